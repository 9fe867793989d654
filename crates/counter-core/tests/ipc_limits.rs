//! Arguments over size are refused by the core functions the app's
//! commands call, before anything else reads them, each with the code
//! `input.too_large` at its field (and the words for it in the table).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use base64::Engine as _;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::limits::{self, MAX_PHOTO_BASE64_BYTES, MAX_TEXT_BYTES, TOO_LARGE};
use passport_counter_core::{
    Collector, CoreError, Counter, DecisionInput, HandoverRequest, IpcError,
};
use passport_domain::demo;

fn too_large_at<T: std::fmt::Debug>(r: Result<T, CoreError>) -> String {
    let e = IpcError::from(r.unwrap_err());
    assert_eq!(e.code, "validation", "{e:?}");
    assert_eq!(e.fields.len(), 1, "{e:?}");
    assert_eq!(e.fields[0].code, TOO_LARGE);
    e.fields[0].path.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_size_arguments_are_refused_by_the_core_at_their_field() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(tmp.path().to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    let c = Counter::start(cfg).await.unwrap();
    let huge = "x".repeat(MAX_TEXT_BYTES + 1);
    let mega = "9".repeat(10 * 1024 * 1024);

    assert_eq!(too_large_at(c.login(&mega, "demo").await), "clerk_id");
    assert_eq!(too_large_at(c.login("demo-clerk", &mega).await), "password");
    c.login("demo-clerk", "demo").await.unwrap();
    assert_eq!(too_large_at(c.card_login(&mega).await), "pin");

    let today = chrono::Local::now().date_naive();
    let photo = base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG);
    let mut draft = demo::adult_draft(1, today);
    draft.applicant.surname = huge.clone();
    assert_eq!(
        too_large_at(
            c.submit_application(&draft, Some(&photo), &common::adult_biometrics())
                .await
        ),
        "applicant.surname"
    );
    assert_eq!(
        too_large_at(c.check_application(&draft, Some(&photo), None)),
        "applicant.surname"
    );
    let draft = demo::adult_draft(1, today);
    let big_photo = "A".repeat(MAX_PHOTO_BASE64_BYTES + 4);
    assert_eq!(
        too_large_at(
            c.submit_application(&draft, Some(&big_photo), &common::adult_biometrics())
                .await
        ),
        "photo"
    );
    // At size, the same form goes through.
    c.submit_application(&draft, Some(&photo), &common::adult_biometrics())
        .await
        .unwrap();

    assert_eq!(too_large_at(c.search_applications(&mega).await), "query");
    assert_eq!(too_large_at(c.application(&huge).await), "number");
    assert_eq!(too_large_at(c.find_document(&huge).await), "code");
    assert_eq!(too_large_at(c.handover_outcome(&huge).await), "entry_id");
    let req = HandoverRequest {
        document_number: "DA0000001".into(),
        collector: Collector::Parent {
            pesel: "90010112349".into(),
            surname: huge.clone(),
            given_names: "Anna".into(),
        },
        identity_document: "dowód osobisty ABC523456".into(),
        previous_passport: None,
    };
    assert_eq!(
        too_large_at(c.record_handover(&req).await),
        "collector.surname"
    );
    assert_eq!(
        too_large_at(
            c.decide(&DecisionInput {
                entry_id: "x".into(),
                outcome: passport_journal::DecisionOutcome::AcceptRefusal,
                note: huge.clone(),
            })
            .await
        ),
        "note"
    );
    assert_eq!(too_large_at(c.check_chip(&huge, None).await), "code");
    c.shutdown().await;
}

/// The code has its words in Polish and English, like every other.
#[test]
fn the_code_has_words() {
    let w = passport_counter_core::words::words().unwrap();
    let word = w.field_error(TOO_LARGE).unwrap();
    assert!(word.pl.contains("za długie"), "{}", word.pl);
    assert!(word.en.contains("too long"), "{}", word.en);
    assert!(limits::id("x", "ok").is_ok());
}
