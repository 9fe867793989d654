//! What the counter's tests share: the biometrics an application is
//! submitted with. The core saves no application without them (an
//! adult's passport needs both fingerprints and a signature), so a test
//! that files an adult's application gives them as the window would.

#![allow(dead_code)] // not every test file uses every helper
#![allow(clippy::unwrap_used)] // test code

use passport_counter_core::signature::{PAD_HEIGHT, PAD_WIDTH};
use passport_domain::biometrics::{
    BiometricsDraft, SignatureDraft, SignedDraft, StrokePoint, samples,
};

/// An adult's biometrics as the window sends them: both index fingers
/// (the domain's synthetic captures, quality 80 and 75) and a signature
/// drawn on the pad, its strokes with the image the core draws from them.
/// The domain's sample signature is an image alone, which only
/// `counterctl` may give; the core refuses it from the window.
pub fn adult_biometrics() -> BiometricsDraft {
    // One wavy stroke across most of the pad, sampled at 60 Hz.
    let stroke: Vec<StrokePoint> = (0..200u16)
        .map(|i| StrokePoint {
            x: 100 + i * 4,
            y: 150 + (i % 40),
            t_ms: u32::from(i) * 16,
        })
        .collect();
    let png_base64 = passport_counter_core::signature::render(
        PAD_WIDTH,
        PAD_HEIGHT,
        std::slice::from_ref(&stroke),
        "biometrics.signature",
    )
    .unwrap();
    BiometricsDraft {
        signature: Some(SignatureDraft::Signed(SignedDraft {
            width: PAD_WIDTH,
            height: PAD_HEIGHT,
            strokes: vec![stroke],
            png_base64,
        })),
        ..samples::adult_draft()
    }
}

/// No biometrics taken: all a child under 12 or a temporary passport
/// gives, and what an adult's passport is refused with.
pub fn no_biometrics() -> BiometricsDraft {
    BiometricsDraft::default()
}

/// A demo counter (its embedded register simulator) on `data`.
pub async fn demo_counter(data: &std::path::Path) -> passport_counter_core::Counter {
    let cfg =
        passport_counter_core::config::Resolved::load(&passport_counter_core::config::Overrides {
            data_dir: Some(data.to_path_buf()),
            ..passport_counter_core::config::Overrides::default()
        })
        .unwrap();
    assert!(cfg.demo);
    passport_counter_core::Counter::start(cfg).await.unwrap()
}

/// The new-application form as the window keeps it, Zofia Żółkiewska's
/// data typed, nothing of the biometrics step yet.
pub fn zofia_form() -> passport_journal::ApplicationFormDraft {
    let s = String::new;
    passport_journal::ApplicationFormDraft {
        kind: passport_journal::drafts::FormKind::Passport,
        urgent_reason: s(),
        validity_days: s(),
        second_passport_justification: s(),
        existing_passport: s(),
        previous_passport: s(),
        pesel: "85022812343".into(),
        surname: "Żółkiewska".into(),
        given_names: "Zofia".into(),
        birth_date: "28.02.1985".into(),
        birth_place: "Łódź".into(),
        sex: "F".into(),
        citizenship: "POL".into(),
        street: s(),
        building: s(),
        flat: s(),
        postal_code: s(),
        city: s(),
        phone: s(),
        email: s(),
        applicant_present: true,
        guardians: vec![],
        consent_basis: s(),
        consent_reference: s(),
        reduction: "none".into(),
        large_family_card: s(),
        photo_name: s(),
        biometrics: BiometricsDraft::default(),
        biometrics_progress: None,
    }
}
