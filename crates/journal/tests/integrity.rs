//! What `journal verify` must see, what a damaged database refuses, how
//! processes share a fresh data directory, and payloads written by release
//! 0.1 — against real SQLite files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{app, open, raw};

use passport_domain::{InvalidationReason, demo};
use passport_journal::{
    Collector, EntryPayload, Identity, Journal, JournalError, JournalOptions, PayloadError,
};
use std::path::Path;

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
    // With the head file gone as well, the application numbers issued still
    // tell.
    let moved = dir.path().join("head.saved");
    let mut head = db.as_os_str().to_owned();
    head.push(".head");
    std::fs::rename(&head, &moved).unwrap();
    raw(
        &db,
        "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'journal';",
    );
    let problems = open(&db).await.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("3 application numbers were issued but only 2 submissions")),
        "{problems:?}"
    );
    std::fs::rename(&moved, &head).unwrap();
    // Also when SQLite's own high-water mark is reset: the head beside the
    // database still knows.
    raw(
        &db,
        "UPDATE sqlite_sequence SET seq = 2 WHERE name = 'journal';",
    );
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
        problems.iter().any(|p| p.contains("has been changed")),
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
    let root = common::number(
        &db,
        "SELECT rootpage FROM sqlite_schema WHERE name = 'applications_by_pesel'",
    );
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
    let j = Journal::open_read_only(&db, Identity::demo(), None)
        .await
        .unwrap();
    assert_eq!(j.entries(0, 10).await.unwrap().len(), 3);
    assert!(j.verify().await.unwrap().ok());
    let err = j
        .submit_application(&app(9), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap_err();
    // What a clerk reads when the medium is read-only: not saved, which file.
    assert!(
        err.to_string()
            .starts_with("NOT SAVED: the database file or its folder is read-only"),
        "{err}"
    );
    assert!(err.to_string().contains("journal.db"), "{err}");
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
        (
            "invalidate_document",
            r#"{"document_number":"EK1234567","reason":"bored"}"#,
        ),
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
        EntryPayload::decode(
            "invalidate_document",
            r#"{"v":7,"document_number":"EK1234567"}"#
        ),
        Err(PayloadError::NewerVersion { found: 7 })
    ));
}

/// A journal written by release 0.1, its side records still in `sync_meta`,
/// opened by this release: every record moves to its table, nothing is lost.
#[tokio::test]
async fn side_records_of_release_0_1_move_into_their_tables() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    // Only the migrations release 0.1 shipped, as it ran them.
    let old = dir.path().join("migrations-0.1");
    std::fs::create_dir(&old).unwrap();
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    for f in ["20261122000001_journal.sql", "20261122000002_sync_meta.sql"] {
        std::fs::copy(all.join(f), old.join(f)).unwrap();
    }
    {
        let pool = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&db)
                .create_if_missing(true),
        )
        .await
        .unwrap();
        sqlx::migrate::Migrator::new(old.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
    raw(
        &db,
        r#"INSERT INTO workstation VALUES (1, 'DEMO', '01', 1, '2026-11-22T08:00:00.000Z');
           INSERT INTO journal (seq, id, kind, record_key, payload, clerk_id, device_time, entry_hash, sync_state, state_changed_at)
             VALUES (1, 'e-1', 'invalidate_document', 'EK1234567', '{"document_number":"EK1234567","reason":"damaged"}',
                     'clerk-1', '2026-11-22T09:00:00.000Z', 'x', 'rejected', '2026-11-22T09:00:00.000Z');
           INSERT INTO sync_meta VALUES
             ('clerk/anna', '{"display_name":"Anna Nowak","role":"supervisor","verifier":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA","verified_at":"2026-11-22T08:30:00+00:00"}'),
             ('card/CARD-1', '{"clerk_id":"anna","public_key":"04ab","bound_at":"2026-11-22T08:31:00+00:00"}'),
             ('chip_failed/DA0000003', 'hash_mismatch'),
             ('offline_periods', '[{"from":"2026-11-22T09:45:00.000Z","to":"2026-11-22T11:00:00.000Z"},{"from":1,"to":"x"}]'),
             ('decision/e-1', '{"outcome":"escalated","note":"do centrali","supervisor":"anna","decided_at":"2026-11-22T12:00:00+00:00"}'),
             ('policy/override_until', '{"until":"2026-11-22T18:00:00+00:00","supervisor":"anna"}'),
             ('ready_cursor', '17');"#,
    );
    // Read-only, it is refused by name (never read against the old schema).
    assert!(matches!(
        Journal::open_read_only(&db, Identity::demo(), None).await,
        Err(JournalError::SchemaBehind { .. })
    ));
    let j = open(&db).await;
    let a = j.cached_account("anna").await.unwrap().unwrap();
    assert_eq!(
        (a.display_name.as_str(), a.role, a.verifier.is_some()),
        ("Anna Nowak", passport_journal::Role::Supervisor, true)
    );
    assert_eq!(
        j.card_binding("CARD-1").await.unwrap().unwrap().clerk_id,
        "anna"
    );
    assert_eq!(
        j.chip_failure("DA0000003").await.unwrap().as_deref(),
        Some("hash_mismatch")
    );
    let periods = j
        .offline_periods_between("2026-11-22T00:00:00.000Z", "2026-11-23T00:00:00.000Z")
        .await
        .unwrap();
    assert_eq!(periods.len(), 1);
    let d = j.decision("e-1").await.unwrap().unwrap();
    assert_eq!(
        (d.outcome, d.supervisor_id.as_str(), d.journal_id),
        (passport_journal::DecisionOutcome::Escalated, "anna", None)
    );
    assert_eq!(
        j.intake_override_until().await.unwrap().as_deref(),
        Some("2026-11-22T18:00:00+00:00")
    );
    // What moved is gone from sync_meta; what did not read back stays for
    // office IT; the sync engine's own keys stay.
    assert_eq!(j.meta_get("clerk/anna").await.unwrap(), None);
    assert!(j.meta_get("offline_periods").await.unwrap().is_some());
    assert_eq!(
        j.meta_get("ready_cursor").await.unwrap().as_deref(),
        Some("17")
    );
}

/// A decision is a journal entry: chained, never sent, and `verify` sees a
/// decision row edited behind the journal's back.
#[tokio::test]
async fn decisions_are_chained_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    let (_, id) = j
        .invalidate_document("EK1234567", InvalidationReason::Damaged, "clerk-1")
        .await
        .unwrap();
    // Not refused yet: no decision can be taken.
    assert!(
        j.record_decision(
            &id,
            passport_journal::DecisionOutcome::Escalated,
            "x",
            "anna"
        )
        .await
        .is_err()
    );
    j.close().await;
    raw(
        &db,
        &format!("UPDATE journal SET sync_state = 'rejected' WHERE id = '{id}'"),
    );
    let j = open(&db).await;
    let d = j
        .record_decision(
            &id,
            passport_journal::DecisionOutcome::Escalated,
            "do centrali",
            "anna",
        )
        .await
        .unwrap();
    assert!(d.journal_id.is_some());
    assert!(
        j.record_decision(
            &id,
            passport_journal::DecisionOutcome::AcceptRefusal,
            "znowu",
            "anna"
        )
        .await
        .is_err(),
        "a recorded decision stands"
    );
    let entries = j.entries(0, 10).await.unwrap();
    assert_eq!(entries[1].kind, "supervisor_decision");
    assert_eq!(entries[1].sync_state, passport_journal::SyncState::Local);
    assert_eq!(
        j.queued_after(0, 10).await.unwrap().len(),
        0,
        "never queued"
    );
    assert!(j.verify().await.unwrap().ok());
    j.close().await;
    raw(&db, "UPDATE decisions SET outcome = 'accept_refusal'");
    let problems = open(&db).await.verify().await.unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("differs from its journal entry")),
        "{problems:?}"
    );
}

/// A full disk: the error says the action was NOT saved and names the file;
/// nothing half-written is left behind.
#[tokio::test]
async fn a_full_disk_says_not_saved_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    three(&db).await;
    let pages = u32::try_from(common::number(&db, "PRAGMA page_count")).unwrap();
    let j = Journal::open(
        &db,
        Identity::demo(),
        JournalOptions {
            max_page_count: Some(pages),
            ..JournalOptions::default()
        },
    )
    .await
    .unwrap();
    // A photo larger than the room left.
    let mut photo = demo::PHOTO_PNG.to_vec();
    photo.extend(std::iter::repeat_n(7u8, 200_000));
    let err = j
        .submit_application(&app(9), &photo, "clerk-1")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            JournalError::NotSaved { path, why: passport_journal::NotSavedWhy::DiskFull }
                if path.ends_with("journal.db")
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("NOT SAVED: the disk is full"),
        "{err}"
    );
    assert_eq!(
        j.entries(0, 10).await.unwrap().len(),
        3,
        "nothing half-written"
    );
    assert!(j.verify().await.unwrap().ok());
}
