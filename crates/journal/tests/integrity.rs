//! What `journal verify` must see, what a damaged database refuses, how
//! processes share a fresh data directory, and payloads written by release
//! 0.1 — against real SQLite files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use chrono::NaiveDate;
use passport_domain::application::ApplicationRules;
use passport_domain::{InvalidationReason, ValidApplication, demo};
use passport_journal::{
    Collector, EntryPayload, Identity, Journal, JournalError, JournalOptions, PayloadError,
};
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn app(i: u64) -> ValidApplication {
    demo::adult_draft(i, today())
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today()))
        .unwrap()
}

async fn open(path: &Path) -> Journal {
    Journal::open(path, Identity::demo(), JournalOptions::default())
        .await
        .unwrap()
}

fn raw(path: &Path, sql: &str) {
    let status = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .status()
        .unwrap();
    assert!(status.success(), "sqlite3 {sql}");
}

async fn three(db: &Path) {
    let j = open(db).await;
    for i in 0..3 {
        j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
    assert!(j.verify().await.unwrap().ok());
    j.close().await;
}

#[tokio::test]
async fn a_cut_tail_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    three(&db).await;
    // The last entry and its application, deleted together: what is left is
    // a valid chain, and used to pass.
    raw(
        &db,
        "PRAGMA foreign_keys=OFF; DELETE FROM applications WHERE journal_id = (SELECT id FROM journal WHERE seq = 3); DELETE FROM journal WHERE seq = 3;",
    );
    let problems = open(&db).await.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("entries 3–3 were removed from the end")),
        "{problems:?}"
    );
    // Also when SQLite's own high-water mark is reset: the head beside the
    // database still knows.
    raw(&db, "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'journal';");
    let problems = open(&db).await.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("recorded head is entry 3")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn a_changed_photo_is_reported_and_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    three(&db).await;
    // One byte inside the stored photo.
    raw(
        &db,
        "UPDATE photos SET bytes = CAST(substr(bytes, 1, 100) || x'00' || substr(bytes, 102) AS BLOB)",
    );
    let problems = open(&db).await.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("has been changed")),
        "{problems:?}"
    );
}

#[tokio::test]
async fn a_damaged_database_refuses_actions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    three(&db).await;
    // Damage an index page the way a failing disk would: garbage over the
    // b-tree page header of the PESEL index (the WAL was checkpointed into
    // the file when the journal closed).
    let root = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT rootpage FROM sqlite_schema WHERE name = 'applications_by_pesel'")
        .output()
        .unwrap();
    let root: u64 = String::from_utf8(root.stdout).unwrap().trim().parse().unwrap();
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        f.seek(SeekFrom::Start((root - 1) * 4096)).unwrap();
        f.write_all(&[0xA5; 64]).unwrap();
        f.sync_all().unwrap();
    }
    let j = open(&db).await;
    assert!(j.damage().is_some(), "the quick check sees it");
    let err = j
        .submit_application(&app(9), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap_err();
    let JournalError::Damaged { path, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(path.ends_with("journal.db"));
    assert!(err.to_string().contains("nothing can be saved"), "{err}");
}

#[tokio::test]
async fn a_read_only_database_can_still_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    three(&db).await;
    let j = Journal::open_read_only(&db, Identity::demo()).await.unwrap();
    assert_eq!(j.entries(0, 10).await.unwrap().len(), 3);
    assert!(j.verify().await.unwrap().ok());
    let err = j
        .submit_application(&app(9), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("readonly"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn processes_opening_a_fresh_directory_at_once_all_succeed() {
    // Six openers at once on a fresh directory: a third used to fail with
    // "table workstation already exists". Each opener has its own pool, as
    // six processes would; the migration lock is a file lock.
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(format!("journal-{round}.db"));
        let opens = (0..6).map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                Journal::open(&db, Identity::demo(), JournalOptions::default()).await
            })
        });
        for o in futures_join(opens).await {
            o.unwrap();
        }
    }
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await.unwrap());
    }
    out
}

/// Payloads exactly as release 0.1 wrote them read into today's types.
#[test]
fn payloads_written_by_release_0_1_read_back() {
    let handover = r#"{"document_number":"DA0000002","collected_by":{"kind":"parent","pesel":"90010112349","surname":"Wójcik","given_names":"Anna"},"identity_check":"dowód osobisty ABC123456","chip_check":"not_checked","previous_passport":"EA0999999","provisional":true}"#;
    let EntryPayload::RecordHandover(h) =
        EntryPayload::decode("record_handover", handover).unwrap()
    else {
        panic!("a hand-over");
    };
    assert!(matches!(
        &h.collected_by,
        Collector::Parent { surname, .. } if surname == "Wójcik"
    ));
    assert!(h.provisional);
    let invalidation = r#"{"document_number":"EK1234567","reason":"reported_stolen"}"#;
    assert!(matches!(
        EntryPayload::decode("invalidate_document", invalidation).unwrap(),
        EntryPayload::InvalidateDocument(i) if i.reason == InvalidationReason::ReportedStolen
    ));
    let a = app(1);
    let submission = format!(
        r#"{{"number":"DEMO-01-000001-12","application":{},"photo":{{"sha256":"ab","mime":"image/png"}}}}"#,
        serde_json::to_string(&a).unwrap()
    );
    assert!(matches!(
        EntryPayload::decode("submit_application", &submission).unwrap(),
        EntryPayload::SubmitApplication(s) if s.application == a
    ));
}

/// What a payload that cannot be read becomes: a named error, never a
/// value with defaults. (The collector once became "holder" this way.)
#[test]
fn an_unreadable_payload_is_an_error_not_a_default() {
    for (kind, text) in [
        // The collector under another key.
        (
            "record_handover",
            r#"{"document_number":"DA0000002","collected_by":{"role":"parent"},"identity_check":"x","chip_check":"passed","previous_passport":null,"provisional":false}"#,
        ),
        // A parent without a PESEL.
        (
            "record_handover",
            r#"{"document_number":"DA0000002","collected_by":{"kind":"parent","surname":"A","given_names":"B"},"identity_check":"x","chip_check":"passed","previous_passport":null,"provisional":false}"#,
        ),
        // A chip verdict no hand-over can carry.
        (
            "record_handover",
            r#"{"document_number":"DA0000002","collected_by":{"kind":"holder"},"identity_check":"x","chip_check":"hash_mismatch","previous_passport":null,"provisional":false}"#,
        ),
        ("invalidate_document", r#"{"document_number":"EK1234567","reason":"bored"}"#),
        ("invalidate_document", r#"{"document_number":"EK1234567"}"#),
        ("submit_application", r#"{"number":"X"}"#),
        ("submit_application", "not json"),
    ] {
        assert!(
            matches!(
                EntryPayload::decode(kind, text),
                Err(PayloadError::Malformed { .. })
            ),
            "{kind} {text}"
        );
    }
    assert!(matches!(
        EntryPayload::decode("teleport", "{}"),
        Err(PayloadError::UnknownKind(_))
    ));
    assert!(matches!(
        EntryPayload::decode("invalidate_document", r#"{"v":7,"document_number":"EK1234567"}"#),
        Err(PayloadError::NewerVersion { found: 7 })
    ));
}
