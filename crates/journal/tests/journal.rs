//! The journal against real SQLite files in a temporary directory.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{app, open, raw};

use passport_domain::ApplicationNumber;
use passport_domain::demo;
use passport_domain::lifecycle::InvalidationReason;
use passport_journal::{
    ChipCheck, Collector, EntryPayload, HandoverPayload, Identity, Journal, JournalError,
    JournalOptions, ReadyDocument, Search,
};

#[tokio::test]
async fn a_submission_is_journaled_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    let a = app(1);
    let saved = j
        .submit_application(&a, demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    let number = ApplicationNumber::parse(&saved.number).unwrap();
    assert_eq!(
        (number.office(), number.workstation(), number.sequence()),
        ("DEMO", "01", 1)
    );
    assert_eq!(saved.seq, 1);
    assert_eq!(
        uuid::Uuid::parse_str(&saved.journal_id)
            .unwrap()
            .get_version_num(),
        7
    );

    let stats = j.queue_stats(chrono::Utc::now()).await.unwrap();
    assert_eq!((stats.depth, stats.pending, stats.acknowledged), (1, 1, 0));
    assert!(stats.oldest_pending_age_secs.unwrap() < 60);

    let by_number = j
        .search(&Search::Number(saved.number.to_lowercase()), 10)
        .await
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(
        by_number[0].sync_state,
        passport_journal::SyncState::Pending
    );
    let by_pesel = j
        .search(&Search::Pesel(a.applicant.pesel.to_string()), 10)
        .await
        .unwrap();
    assert_eq!(by_pesel[0].number, saved.number);
    // Prefix search ignores case and diacritics: "ł" finds "Ł".
    let prefix: String = a
        .applicant
        .surname
        .chars()
        .take(3)
        .collect::<String>()
        .to_lowercase();
    let by_prefix = j.search(&Search::SurnamePrefix(prefix), 10).await.unwrap();
    assert_eq!(by_prefix[0].number, saved.number);
    assert!(
        j.search(&Search::SurnamePrefix("Qqq".into()), 10)
            .await
            .unwrap()
            .is_empty()
    );

    let detail = j.application(&saved.number).await.unwrap().unwrap();
    assert_eq!(detail.journal_id, saved.journal_id);
    assert_eq!(detail.data.applicant.surname, a.applicant.surname);

    let entries = j.entries(0, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, "submit_application");
    let EntryPayload::SubmitApplication(p) = entries[0].payload().unwrap() else {
        panic!("a submission entry");
    };
    assert_eq!(p.number, saved.number);
    assert_eq!(p.application, a);
    assert!(j.verify().await.unwrap().ok());
}

#[tokio::test]
async fn numbers_and_sequence_continue_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    for i in 0..3 {
        j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
    j.close().await;
    let j = open(&db).await;
    let saved = j
        .submit_application(&app(9), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    assert_eq!(saved.seq, 4);
    assert!(saved.number.starts_with("DEMO-01-000004-"));
    let report = j.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!((report.entries, report.applications), (4, 4));
}

#[tokio::test]
async fn a_database_belongs_to_one_workstation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    open(&db).await.close().await;
    let other = Identity {
        office_code: "WAW1".into(),
        workstation_id: "02".into(),
        demo: false,
    };
    let err = Journal::open(&db, other, JournalOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, JournalError::IdentityMismatch { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn verify_finds_altered_missing_and_orphaned_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    let mut numbers = Vec::new();
    for i in 0..3 {
        numbers.push(
            j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
                .await
                .unwrap()
                .number,
        );
    }
    j.close().await;

    raw(
        &db,
        "UPDATE journal SET payload = json_set(payload, '$.application.applicant.pesel', '00000000000') WHERE seq = 2",
    );
    let j = open(&db).await;
    let problems = j.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("entry 2") && p.contains("hash")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&numbers[1]) && p.contains("differs")),
        "{problems:?}"
    );
    j.close().await;

    raw(
        &db,
        "PRAGMA foreign_keys=OFF; DELETE FROM applications WHERE number = (SELECT record_key FROM journal WHERE seq = 3)",
    );
    let j = open(&db).await;
    let problems = j.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&numbers[2]) && p.contains("missing")),
        "{problems:?}"
    );
    j.close().await;

    raw(
        &db,
        "PRAGMA foreign_keys=OFF; DELETE FROM journal WHERE seq = 1",
    );
    let j = open(&db).await;
    let problems = j.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("entries 1–1 are missing")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn a_handover_follows_its_application_and_invalidates_the_old_passport() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&dir.path().join("journal.db")).await;
    let a = app(5);
    let saved = j
        .submit_application(&a, demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    let doc = |number: &str, app_number: Option<String>| ReadyDocument {
        document_number: number.into(),
        application_number: app_number,
        pesel: a.applicant.pesel.to_string(),
        surname: a.applicant.surname.clone(),
        given_names: a.applicant.given_names.clone(),
        mrz_line1: None,
        mrz_line2: None,
    };
    j.cache_ready_documents(&[
        doc("EA1000001", Some(saved.number.clone())),
        doc("EA0999999", None),
    ])
    .await
    .unwrap();
    let h = HandoverPayload {
        document_number: "EA1000001".into(),
        collected_by: Collector::Holder,
        identity_check: "dowód osobisty ABC123456".into(),
        chip_check: ChipCheck::Passed,
        previous_passport: Some("EA0999999".into()),
        provisional: false,
    };
    let (seq, _) = j.record_handover(&h, "clerk-1").await.unwrap();
    assert_eq!(seq, 2);
    let entries = j.entries(1, 10).await.unwrap();
    assert_eq!(
        entries[0].depends_on.as_deref(),
        Some(saved.journal_id.as_str())
    );
    assert_eq!(
        j.application(&saved.number)
            .await
            .unwrap()
            .unwrap()
            .summary
            .status,
        passport_domain::ApplicationStatus::HandedOver
    );

    // Handing the same document over twice is refused, and nothing is journaled.
    let err = j.record_handover(&h, "clerk-1").await.unwrap_err();
    assert!(matches!(err, JournalError::Invalid(_)), "{err}");
    // The previous passport is already invalid; invalidating it again is refused.
    let err = j
        .invalidate_document("EA0999999", InvalidationReason::ReportedLost, "clerk-1")
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Invalid(_)), "{err}");
    assert_eq!(j.entries(0, 10).await.unwrap().len(), 2);
    // An unknown document cannot be handed over.
    let unknown = HandoverPayload {
        document_number: "EA7777777".into(),
        ..h
    };
    assert!(matches!(
        j.record_handover(&unknown, "clerk-1").await.unwrap_err(),
        JournalError::NotFound(_)
    ));
    assert!(j.verify().await.unwrap().ok());
}

#[tokio::test]
async fn invalidation_is_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&dir.path().join("journal.db")).await;
    j.invalidate_document("ek1234567", InvalidationReason::ReportedStolen, "clerk-1")
        .await
        .unwrap();
    let err = j
        .invalidate_document("EK1234567", InvalidationReason::ReportedLost, "clerk-1")
        .await
        .unwrap_err();
    let JournalError::Invalid(errors) = err else {
        panic!("expected a refusal")
    };
    assert_eq!(errors.0[0].code, "document.already_invalidated");
    let err = j
        .invalidate_document("123", InvalidationReason::Damaged, "clerk-1")
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Invalid(_)));
    let entries = j.entries(0, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].payload().unwrap(),
        EntryPayload::InvalidateDocument(passport_journal::InvalidatePayload {
            document_number: "EK1234567".into(),
            reason: InvalidationReason::ReportedStolen,
        })
    );
}

#[tokio::test]
async fn the_oldest_pending_age_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&dir.path().join("journal.db")).await;
    j.submit_application(&app(1), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    let later = chrono::Utc::now() + chrono::Duration::hours(3);
    let stats = j.queue_stats(later).await.unwrap();
    let age = stats.oldest_pending_age_secs.unwrap();
    assert!((3 * 3600 - 5..=3 * 3600 + 5).contains(&age), "{age}");
}

#[tokio::test]
async fn an_empty_clerk_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&dir.path().join("journal.db")).await;
    assert!(matches!(
        j.submit_application(&app(1), demo::PHOTO_PNG, " ").await,
        Err(JournalError::Invalid(_))
    ));
}
