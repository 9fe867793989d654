//! A finger "temporarily impossible to take" needs a supervisor at that
//! moment, not just a supervisor's name.
//!
//! The supervisor types their password at the counter, through the core's
//! `confirm_finger_exception`. It is checked as a log-in is: a wrong one is
//! refused and audited, and a clerk's account is not a supervisor's. The
//! sealed confirmation then goes with the exception, and the save checks it
//! again. One made up, or moved to another supervisor, finger, applicant,
//! clerk or counter, is refused at the exception's supervisor field, and so
//! is one older than a working day. All of it runs on a demo counter, with
//! its embedded register simulator over real HTTP and its real, encrypted
//! journal file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::confirmations::{
    CONFIRMATION_VALID_FOR, FingerExceptionConfirm, finger_exceptions_confirmed,
};
use passport_counter_core::{CoreError, Counter, IpcError};
use passport_domain::biometrics::{
    BiometricsDraft, FingerCaptureDraft, FingerExceptionDraft, FingerExceptionKind, FingerPosition,
    SupervisorConfirmation, samples,
};
use passport_domain::{ApplicationDraft, demo};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

async fn start(data: &Path) -> Counter {
    common::demo_counter(data).await
}

/// An adult whose right index finger is bandaged today: the left index
/// taken, the right middle finger instead (the fallback), the right
/// index an exception confirmed by `supervisor`.
fn bandaged(supervisor: &str, confirmation: Option<SupervisorConfirmation>) -> BiometricsDraft {
    let mut b = common::adult_biometrics();
    b.fingers
        .retain(|f| f.position == FingerPosition::LeftIndex);
    b.fingers.push(FingerCaptureDraft {
        position: FingerPosition::RightMiddle,
        quality: 80,
        png_base64: BASE64.encode(samples::finger_png(17)),
    });
    b.finger_exceptions = vec![FingerExceptionDraft {
        position: FingerPosition::RightIndex,
        reason: FingerExceptionKind::TemporarilyImpossible,
        supervisor: Some(supervisor.into()),
        confirmation,
    }];
    b
}

fn applicant() -> ApplicationDraft {
    demo::adult_draft(11, chrono::Local::now().date_naive())
}

fn ask(supervisor: &str, password: &str, pesel: &str) -> FingerExceptionConfirm {
    FingerExceptionConfirm {
        position: FingerPosition::RightIndex,
        supervisor: supervisor.into(),
        password: password.into(),
        pesel: pesel.into(),
    }
}

/// The one field error a refused save gives: its path and code.
fn refused_at<T: std::fmt::Debug>(r: Result<T, CoreError>) -> (String, String) {
    match r {
        Err(CoreError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1, "{e:?}");
            (e.0[0].path.clone(), e.0[0].code.clone())
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

const AT_SUPERVISOR: &str = "biometrics.finger_exceptions[0].supervisor";

async fn audit_kinds(c: &Counter) -> Vec<(String, String)> {
    c.journal()
        .audit_rows(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.kind, r.actor))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supervisor_confirms_with_their_password_and_the_save_checks_the_seal() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("data")).await;
    // The supervisor has logged in here once, then the clerk works.
    c.login("demo-supervisor", "demo").await.unwrap();
    c.login("demo-clerk", "demo").await.unwrap();
    let draft = applicant();
    let pesel = draft.applicant.pesel.clone();
    let photo = BASE64.encode(demo::PHOTO_PNG);

    // Named, not confirmed: refused at the exception, in both languages.
    let r = c
        .submit_application(&draft, Some(&photo), &bandaged("demo-supervisor", None))
        .await;
    assert_eq!(
        refused_at(r),
        (
            AT_SUPERVISOR.into(),
            "fingerprints.exception.confirmation_required".into()
        )
    );

    // A wrong password: refused, and the refusal is in the audit chain.
    let audit_before = audit_kinds(&c).await.len();
    assert_eq!(
        refused_at(
            c.confirm_finger_exception(&ask("demo-supervisor", "not-it", &pesel))
                .await
        ),
        ("password".into(), "auth.bad_credentials".into())
    );
    let audit = audit_kinds(&c).await;
    assert_eq!(
        audit[audit_before..],
        [("log_in_refused".to_owned(), "demo-supervisor".to_owned())]
    );

    // Nothing typed: said at the field, nothing checked or recorded.
    assert_eq!(
        refused_at(c.confirm_finger_exception(&ask(" ", "demo", &pesel)).await),
        (
            "supervisor".into(),
            "fingerprints.exception.supervisor_required".into()
        )
    );
    assert_eq!(
        refused_at(
            c.confirm_finger_exception(&ask("demo-supervisor", "", &pesel))
                .await
        ),
        (
            "password".into(),
            "fingerprints.exception.password_required".into()
        )
    );
    assert_eq!(audit_kinds(&c).await.len(), audit_before + 1);

    // The clerk's own account typed as the supervisor's is not one.
    match c
        .confirm_finger_exception(&ask("demo-clerk", "demo", &pesel))
        .await
    {
        Err(e @ CoreError::NotSupervisor) => {
            assert_eq!(IpcError::from(e).code, "auth.supervisor_required");
        }
        other => panic!("a clerk must not confirm, got {other:?}"),
    }

    // The supervisor's password: a confirmation, audited in their name.
    let audit_before = audit_kinds(&c).await.len();
    let ok = c
        .confirm_finger_exception(&ask("demo-supervisor", "demo", &pesel))
        .await
        .unwrap();
    assert_eq!(ok.seal.len(), 64);
    assert_eq!(ok.pesel, pesel);
    let audit = audit_kinds(&c).await;
    assert_eq!(
        audit[audit_before..],
        [("log_in".to_owned(), "demo-supervisor".to_owned())]
    );
    // Still the clerk's session: the confirmation does not log anyone in.
    assert_eq!(c.session().unwrap().clerk_id, "demo-clerk");

    // Moved or edited, it no longer holds.
    let forged = |f: &dyn Fn(&mut BiometricsDraft)| {
        let mut b = bandaged("demo-supervisor", Some(ok.clone()));
        f(&mut b);
        b
    };
    let cases: Vec<(&str, BiometricsDraft, ApplicationDraft)> = vec![
        (
            "another supervisor named",
            forged(&|b| b.finger_exceptions[0].supervisor = Some("kierownik2".into())),
            draft.clone(),
        ),
        (
            "the seal edited",
            forged(&|b| {
                let c = b.finger_exceptions[0].confirmation.as_mut().unwrap();
                let flipped = if c.seal.starts_with('0') { "1" } else { "0" };
                c.seal.replace_range(..1, flipped);
            }),
            draft.clone(),
        ),
        (
            "the time edited",
            forged(&|b| {
                b.finger_exceptions[0]
                    .confirmation
                    .as_mut()
                    .unwrap()
                    // The same moment, written otherwise.
                    .confirmed_at = ok.confirmed_at.replace('Z', "+00:00");
            }),
            draft.clone(),
        ),
        (
            "not hexadecimal",
            forged(&|b| {
                b.finger_exceptions[0].confirmation.as_mut().unwrap().seal = "z".repeat(64)
            }),
            draft.clone(),
        ),
        (
            "another applicant, the PESEL in the confirmation edited to match",
            forged(&|b| {
                b.finger_exceptions[0].confirmation.as_mut().unwrap().pesel =
                    demo::adult_draft(12, chrono::Local::now().date_naive())
                        .applicant
                        .pesel
            }),
            demo::adult_draft(12, chrono::Local::now().date_naive()),
        ),
    ];
    for (case, b, d) in cases {
        let r = c.submit_application(&d, Some(&photo), &b).await;
        let (path, code) = refused_at(r);
        assert_eq!(
            (path.as_str(), code.as_str()),
            (AT_SUPERVISOR, "fingerprints.exception.confirmation_invalid"),
            "{case}"
        );
    }
    // Another applicant (a PESEL changed after the confirmation): said as
    // such, at the exception, before the save (the review's check) and at it.
    let other = demo::adult_draft(12, chrono::Local::now().date_naive());
    let b = bandaged("demo-supervisor", Some(ok.clone()));
    let check = c.check_application(&other, Some(&photo), Some(&b)).unwrap();
    assert!(
        check.errors.iter().any(|e| e.path == AT_SUPERVISOR
            && e.code == "fingerprints.exception.confirmation_other_pesel"),
        "{:?}",
        check.errors
    );
    assert_eq!(
        refused_at(c.submit_application(&other, Some(&photo), &b).await),
        (
            AT_SUPERVISOR.into(),
            "fingerprints.exception.confirmation_other_pesel".into()
        )
    );
    // As confirmed, the review's check finds nothing.
    let check = c.check_application(&draft, Some(&photo), Some(&b)).unwrap();
    assert_eq!(check.errors, vec![]);

    // The same seal on another finger: the left index excepted, the left
    // middle and the right index taken.
    let mut other_finger = bandaged("demo-supervisor", Some(ok.clone()));
    other_finger.fingers = [
        (FingerPosition::LeftMiddle, 21),
        (FingerPosition::RightIndex, 22),
    ]
    .map(|(position, seed)| FingerCaptureDraft {
        position,
        quality: 80,
        png_base64: BASE64.encode(samples::finger_png(seed)),
    })
    .to_vec();
    other_finger.finger_exceptions[0].position = FingerPosition::LeftIndex;
    let (path, code) = refused_at(
        c.submit_application(&draft, Some(&photo), &other_finger)
            .await,
    );
    assert_eq!(
        (path.as_str(), code.as_str()),
        (AT_SUPERVISOR, "fingerprints.exception.confirmation_invalid")
    );

    // A working day later it no longer holds (the same check, its clock
    // moved on); just before, it does.
    let b = bandaged("demo-supervisor", Some(ok.clone()));
    let at = chrono::DateTime::parse_from_rfc3339(&ok.confirmed_at)
        .unwrap()
        .with_timezone(&chrono::Utc);
    finger_exceptions_confirmed(
        c.journal(),
        "demo-clerk",
        &pesel,
        &b,
        at + CONFIRMATION_VALID_FOR,
    )
    .unwrap();
    let late = finger_exceptions_confirmed(
        c.journal(),
        "demo-clerk",
        &pesel,
        &b,
        at + CONFIRMATION_VALID_FOR + chrono::Duration::minutes(1),
    );
    assert_eq!(
        refused_at(late),
        (
            AT_SUPERVISOR.into(),
            "fingerprints.exception.confirmation_expired".into()
        )
    );

    // Another clerk's session cannot use it.
    c.login("demo-supervisor", "demo").await.unwrap();
    let (path, code) = refused_at(c.submit_application(&draft, Some(&photo), &b).await);
    assert_eq!(
        (path.as_str(), code.as_str()),
        (AT_SUPERVISOR, "fingerprints.exception.confirmation_invalid")
    );

    // As confirmed, by the clerk who asked: saved, with the supervisor.
    c.login("demo-clerk", "demo").await.unwrap();
    let saved = c
        .submit_application(&draft, Some(&photo), &b)
        .await
        .unwrap();
    assert!(!saved.number.is_empty());
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_from_another_counter_does_not_hold_here() {
    let tmp = tempfile::tempdir().unwrap();
    let here = start(&tmp.path().join("here")).await;
    let there = start(&tmp.path().join("there")).await;
    for c in [&here, &there] {
        c.login("demo-supervisor", "demo").await.unwrap();
        c.login("demo-clerk", "demo").await.unwrap();
    }
    let draft = applicant();
    let pesel = draft.applicant.pesel.clone();
    let theirs = there
        .confirm_finger_exception(&ask("demo-supervisor", "demo", &pesel))
        .await
        .unwrap();
    let photo = BASE64.encode(demo::PHOTO_PNG);
    let r = here
        .submit_application(
            &draft,
            Some(&photo),
            &bandaged("demo-supervisor", Some(theirs)),
        )
        .await;
    assert_eq!(
        refused_at(r),
        (
            AT_SUPERVISOR.into(),
            "fingerprints.exception.confirmation_invalid".into()
        )
    );
    here.shutdown().await;
    there.shutdown().await;
}
