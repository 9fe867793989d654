//! The register's rules for the biometrics over real HTTP: each part
//! present exactly when the application's flags require it, every image a
//! whole PNG of its stated size and hash, fingers in the fallback order
//! (index, middle, ring, thumb; one a hand), a supervisor exactly for a
//! temporarily impossible finger, and that supervisor an account of the
//! register with the supervisor role; what it accepts it keeps as sent.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_domain::biometrics::samples;
use passport_register_contract::{
    Biometrics, FingerException, FingerExceptionReason, FingerImage, FingerPosition, Fingerprints,
    IDEMPOTENCY_KEY, PngImage, Problem, Signature, SubmitApplication, paths,
};
use passport_register_sim::Faults;
use std::collections::BTreeSet;

mod common;

fn png(bytes: &[u8], width: u32, height: u32) -> PngImage {
    use sha2::{Digest, Sha256};
    PngImage {
        width,
        height,
        sha256: format!("{:x}", Sha256::digest(bytes)),
        base64: common::base64(bytes),
    }
}

fn finger(position: FingerPosition, seed: u32) -> FingerImage {
    FingerImage {
        position,
        quality: 80,
        image: png(&samples::finger_png(seed), 300, 400),
    }
}

fn good() -> Biometrics {
    Biometrics {
        fingerprints: Some(Fingerprints {
            captures: vec![
                finger(FingerPosition::LeftIndex, 1),
                finger(FingerPosition::RightMiddle, 2),
            ],
            exceptions: vec![FingerException {
                position: FingerPosition::RightIndex,
                reason: FingerExceptionReason::TemporarilyImpossible,
                supervisor_id: Some("demo-supervisor".into()),
            }],
        }),
        signature: Some(Signature::Signed {
            image: png(&samples::signature_png(), 400, 120),
        }),
    }
}

async fn post(url: &str, key: &str, a: &SubmitApplication) -> (u16, BTreeSet<(String, String)>) {
    let r = reqwest::Client::new()
        .post(format!("{url}{}", paths::APPLICATIONS))
        .header(IDEMPOTENCY_KEY, key)
        .json(a)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    if status < 300 {
        return (status, BTreeSet::new());
    }
    let p: Problem = serde_json::from_str(&text).unwrap();
    (
        status,
        p.fields.into_iter().map(|f| (f.path, f.code)).collect(),
    )
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
        .collect()
}

#[tokio::test]
async fn the_register_checks_and_keeps_the_biometrics() {
    let s = common::sim(Faults::default(), 17).await;
    let url = s.url();

    // Release 0.1's submissions carry none and are accepted as before, as
    // long as their workstation has sent no biometrics yet (afterwards it
    // has been upgraded: tests/biometrics_cutover.rs).
    let a = common::application(5);
    assert!(a.biometrics.is_none());
    assert_eq!(post(&url, "k-old", &a).await.0, 201);

    let mut a = common::application(1);
    a.biometrics = Some(good());
    assert_eq!(post(&url, "k-good", &a).await.0, 201);
    #[derive(serde::Deserialize)]
    struct Received {
        body: SubmitApplication,
    }
    let got: Received = reqwest::get(format!("{url}/admin/received/k-good"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got.body.biometrics, Some(good()));

    // The flags are the register's own: claimed otherwise they are refused
    // (the biometrics are checked against the rule, and are right here);
    // missing when required.
    let mut a = common::application(2);
    a.fingerprints_required = false;
    a.signature_required = false;
    a.biometrics = Some(good());
    assert_eq!(
        post(&url, "k-not-required", &a).await,
        (
            422,
            set(&[
                ("fingerprints_required", "fingerprints"),
                ("signature_required", "signature"),
            ])
        )
    );
    let mut a = common::application(3);
    a.biometrics = Some(Biometrics {
        fingerprints: None,
        signature: None,
    });
    assert_eq!(
        post(&url, "k-missing", &a).await,
        (
            422,
            set(&[
                ("biometrics.fingerprints", "fingerprints"),
                ("biometrics.signature", "signature")
            ])
        )
    );

    // Out of order, no supervisor, a changed image, a blank signature, a
    // size that is not the PNG's.
    let mut b = good();
    let f = b.fingerprints.as_mut().unwrap();
    f.exceptions[0].supervisor_id = None;
    f.captures[0].image.sha256 = "0".repeat(64);
    f.captures[1].image.width = 301;
    f.captures.push(finger(FingerPosition::LeftMiddle, 3));
    let blank = samples::grey_png(400, 120, |_, _| 255);
    b.signature = Some(Signature::Signed {
        image: png(&blank, 400, 120),
    });
    let mut a = common::application(4);
    a.biometrics = Some(b);
    assert_eq!(
        post(&url, "k-bad", &a).await,
        (
            422,
            set(&[
                (
                    "biometrics.fingerprints.captures[0].image.sha256",
                    "fingerprint_image"
                ),
                (
                    "biometrics.fingerprints.captures[1].image.width",
                    "fingerprint_image"
                ),
                (
                    "biometrics.fingerprints.exceptions[0].supervisor_id",
                    "fingerprints"
                ),
                ("biometrics.fingerprints", "fingerprints"),
                ("biometrics.signature.image.base64", "signature_image"),
            ])
        )
    );
    s.stop().await.unwrap();
}

/// The register does not take the counter's word for what is required: an
/// adult's passport whose counter says no fingerprints are needed, and sends
/// none, is refused at the flag and at the fingerprints; the same adult with
/// a temporary passport needs none.
#[tokio::test]
async fn the_register_computes_the_requirement_itself() {
    let s = common::sim(Faults::default(), 18).await;
    let url = s.url();
    let signed = || Signature::Signed {
        image: png(&samples::signature_png(), 400, 120),
    };

    let mut a = common::application(4);
    a.fingerprints_required = false;
    a.biometrics = Some(Biometrics {
        fingerprints: None,
        signature: Some(signed()),
    });
    assert_eq!(
        post(&url, "k-lying-counter", &a).await,
        (
            422,
            set(&[
                ("fingerprints_required", "fingerprints"),
                ("biometrics.fingerprints", "fingerprints"),
            ])
        )
    );
    // Nothing was kept.
    let kept = reqwest::get(format!("{url}/admin/received/k-lying-counter"))
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(kept, 404);

    // A temporary passport: no fingerprints, whatever the counter claims.
    let mut a = common::application(5);
    a.kind = passport_register_contract::ApplicationKind::Temporary {
        urgent_reason: "Wyjazd na leczenie".into(),
        validity_days: 365,
    };
    a.validity = passport_register_contract::Validity::Days(365);
    a.biometrics = Some(Biometrics {
        fingerprints: None,
        signature: Some(signed()),
    });
    assert_eq!(
        post(&url, "k-temporary-claimed", &a).await,
        (422, set(&[("fingerprints_required", "fingerprints")]))
    );
    a.fingerprints_required = false;
    assert_eq!(post(&url, "k-temporary", &a).await.0, 201);
}

/// The supervisor a temporarily impossible finger names is one the
/// register knows, with the supervisor role: an unknown id and a clerk's
/// account are refused at that exception's `supervisor_id` (each exception
/// on its own), the seeded supervisor is accepted, also while the account
/// is closed (the confirmation may predate the closure).
#[tokio::test]
async fn only_a_supervisor_of_the_register_confirms_a_temporary_exception() {
    let faults = Faults {
        closed_clerks: vec!["demo-supervisor".into()],
        ..Faults::default()
    };
    let s = common::sim(faults, 19).await;
    let url = s.url();
    let confirmed_by = |supervisor: &str| {
        let mut b = good();
        b.fingerprints.as_mut().unwrap().exceptions[0].supervisor_id = Some(supervisor.into());
        b
    };
    let at = "biometrics.fingerprints.exceptions[0].supervisor_id";

    let mut a = common::application(1);
    a.biometrics = Some(confirmed_by("nobody-at-all"));
    assert_eq!(
        post(&url, "k-unknown", &a).await,
        (422, set(&[(at, "supervisor_unknown")]))
    );
    a.biometrics = Some(confirmed_by("demo-clerk"));
    assert_eq!(
        post(&url, "k-clerk", &a).await,
        (422, set(&[(at, "not_a_supervisor")]))
    );
    // Case matters: an id is the account's exactly.
    a.biometrics = Some(confirmed_by("Demo-Supervisor"));
    assert_eq!(
        post(&url, "k-case", &a).await,
        (422, set(&[(at, "supervisor_unknown")]))
    );

    // Both hands' index fingers temporarily impossible, one confirmed by a
    // clerk: only that exception is refused.
    let mut b = good();
    let f = b.fingerprints.as_mut().unwrap();
    f.captures[0] = finger(FingerPosition::LeftMiddle, 1);
    f.exceptions.push(FingerException {
        position: FingerPosition::LeftIndex,
        reason: FingerExceptionReason::TemporarilyImpossible,
        supervisor_id: Some("demo-clerk".into()),
    });
    let mut a = common::application(2);
    a.biometrics = Some(b.clone());
    assert_eq!(
        post(&url, "k-second", &a).await,
        (
            422,
            set(&[(
                "biometrics.fingerprints.exceptions[1].supervisor_id",
                "not_a_supervisor"
            )])
        )
    );
    b.fingerprints.as_mut().unwrap().exceptions[1].supervisor_id = Some("demo-supervisor".into());
    a.biometrics = Some(b);
    assert_eq!(post(&url, "k-second-fixed", &a).await.0, 201);

    let mut a = common::application(3);
    a.biometrics = Some(confirmed_by("demo-supervisor"));
    assert_eq!(post(&url, "k-supervisor", &a).await.0, 201);
    s.stop().await.unwrap();
}
