//! What the simulator's test files share: a simulator on 127.0.0.1:0 and a
//! valid submission.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test code

use passport_domain::demo;
use passport_register_contract::{
    Applicant, ApplicationKind, Fee, FeeCase, Photo, Reduction, Sex, SubmitApplication, Validity,
};
use passport_register_sim::{Faults, SimConfig, SimHandle, spawn};

/// A simulator with its own scratch database and a fixed random seed.
pub async fn sim(faults: Faults, seed: u64) -> SimHandle {
    spawn(
        "127.0.0.1:0",
        SimConfig {
            db: None,
            faults,
            seed,
            // The tests read counts and received records from /admin.
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

/// A valid submission of demo applicant `seq` as application `seq` of DEMO-01.
pub fn application(seq: u64) -> SubmitApplication {
    let d = demo::adult_draft(seq, chrono::Utc::now().date_naive());
    SubmitApplication {
        application_number: passport_domain::ApplicationNumber::new("DEMO", "01", seq)
            .unwrap()
            .to_string(),
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk_id: "clerk-1".into(),
        device_time: "2026-11-22T10:00:00.000Z".into(),
        application_date: "2026-11-22".into(),
        kind: ApplicationKind::Passport,
        applicant: Applicant {
            pesel: d.applicant.pesel.clone(),
            surname: d.applicant.surname.clone(),
            given_names: d.applicant.given_names.clone(),
            birth_date: d.applicant.birth_date.clone(),
            birth_place: "Kraków".into(),
            sex: if d.applicant.sex == "F" {
                Sex::F
            } else {
                Sex::M
            },
            citizenship: "POL".into(),
            address: None,
            contact: None,
        },
        applicant_present: true,
        guardians: Vec::new(),
        consent: None,
        reduction: Reduction::None,
        large_family_card: None,
        previous_passport: None,
        fee: Fee {
            amount_grosz: 14000,
            case: FeeCase::Standard,
            schedule_from: "2022-07-01".into(),
        },
        validity: Validity::Years(10),
        fingerprints_required: true,
        signature_required: true,
        photo: photo(demo::PHOTO_PNG),
        // As a counter before biometrics sent it (release 0.1).
        biometrics: None,
    }
}

/// A PNG photo as the contract carries it: base64 and the bytes' SHA-256.
pub fn photo(bytes: &[u8]) -> Photo {
    use sha2::{Digest, Sha256};
    Photo {
        mime: "image/png".into(),
        sha256: format!("{:x}", Sha256::digest(bytes)),
        base64: base64(bytes),
    }
}

/// RFC 4648 base64, standard alphabet, padded (the test's own, so that the
/// simulator's decoder is checked against an independent encoder).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
