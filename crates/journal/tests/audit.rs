//! The audit chain (log-ins, refused log-ins, card bindings) and the
//! journal's chain: a row edited, deleted, inserted or moved with the
//! sqlite3 command line on a real file is named by `verify` (which table,
//! which row, what happened), and the report says the chain is broken.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{app, open, raw};

use passport_domain::demo;
use passport_journal::{CardBinding, LogInMethod, LoginFailureReason};
use std::path::{Path, PathBuf};

/// A day: three applications, an intake override, two log-ins, a refused
/// one and a card tied. Audit rows: 1 log-in, 2 refused, 3 card, 4 log-in.
async fn day(dir: &Path) -> PathBuf {
    let db = dir.join("journal.db");
    let j = open(&db).await;
    j.record_log_in("clerk-1", LogInMethod::PasswordOnline)
        .await
        .unwrap();
    for i in 0..3 {
        j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
    j.record_login_failure("clerk-2", LoginFailureReason::VerifierMismatch)
        .await
        .unwrap();
    j.bind_card(&CardBinding {
        card_id: "card-0001".into(),
        clerk_id: "clerk-1".into(),
        public_key: "04ab".into(),
        bound_at: "2026-11-29T08:00:00.000Z".into(),
    })
    .await
    .unwrap();
    j.record_log_in("super-1", LogInMethod::CardOffline)
        .await
        .unwrap();
    j.record_intake_override("2026-11-29T18:00:00Z", "super-1")
        .await
        .unwrap();
    let report = j.verify().await.unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!((report.entries, report.audit_rows), (4, 4));
    j.close().await;
    db
}

/// Tampers with a fresh day's file and returns what verify says.
async fn tampered(sql: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let db = day(dir.path()).await;
    raw(&db, &format!("PRAGMA foreign_keys=OFF; {sql}"));
    let report = open(&db).await.verify().await.unwrap();
    assert!(report.chain_broken, "{:?}", report.problems);
    report.problems
}

fn named(problems: &[String], what: &str) {
    assert!(
        problems.iter().any(|p| p.contains(what)),
        "no problem says {what:?}: {problems:?}"
    );
}

#[tokio::test]
async fn an_edited_audit_row_is_named() {
    // Someone turns a refused log-in into another clerk's.
    let p = tampered("UPDATE audit_log SET actor = 'clerk-9' WHERE seq = 2;").await;
    named(&p, "audit_log row 2 (log_in_refused by clerk-9");
    named(&p, "its contents were edited");
}

#[tokio::test]
async fn a_deleted_audit_row_is_named() {
    let p = tampered("DELETE FROM audit_log WHERE seq = 3;").await;
    named(&p, "audit_log rows 3–3 are missing (deleted)");
    // The row after it no longer follows.
    named(&p, "audit_log row 4 (log_in by super-1");
    named(&p, "the rows before it were removed");
}

#[tokio::test]
async fn a_deleted_last_audit_row_is_named() {
    let p = tampered("DELETE FROM audit_log WHERE seq = 4;").await;
    named(
        &p,
        "audit_log rows 4–4 were removed from the end (it ends at row 3)",
    );
}

#[tokio::test]
async fn an_inserted_audit_row_is_named() {
    // A card binding written into the file, with a made-up hash.
    let p = tampered(
        "INSERT INTO audit_log (seq, kind, actor, record_key, office_code, workstation_id, at, detail, entry_hash)
         VALUES (5, 'card_bound', 'super-1', 'card-0666', 'DEMO-01', 'WS-01', '2026-11-29T09:00:00.000Z', '04cd',
                 '1111111111111111111111111111111111111111111111111111111111111111');",
    )
    .await;
    named(&p, "audit_log row 5 (card_bound by super-1");
    named(&p, "or it was inserted");
}

#[tokio::test]
async fn reordered_audit_rows_are_named() {
    let p = tampered(
        "UPDATE audit_log SET seq = -1 WHERE seq = 2;
         UPDATE audit_log SET seq = 2 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = -1;",
    )
    .await;
    named(&p, "audit_log row 2 (card_bound by clerk-1");
    named(&p, "it was written as number 3, so rows were reordered");
    named(&p, "audit_log row 3 (log_in_refused by clerk-2");
    named(&p, "it was written as number 2");
}

#[tokio::test]
async fn a_refused_log_in_deleted_from_its_side_table_is_named() {
    // What lifts a wait: the failure gone from login_failures. The chain
    // itself is whole, so this is a check failure, not a broken chain.
    let dir = tempfile::tempdir().unwrap();
    let db = day(dir.path()).await;
    raw(&db, "DELETE FROM login_failures;");
    let report = open(&db).await.verify().await.unwrap();
    assert!(!report.chain_broken);
    named(
        &report.problems,
        "login_failures: the refused log-in of clerk-2",
    );
    named(&report.problems, "(audit_log row 2) was deleted");
}

#[tokio::test]
async fn an_edited_journal_entry_is_named() {
    // The override's end moved later.
    let p = tampered(
        "UPDATE journal SET payload = '{\"until\":\"2026-12-31T18:00:00Z\"}' WHERE seq = 4;",
    )
    .await;
    named(&p, "journal entry 4 (intake_override");
    named(&p, "its contents were edited");
}

#[tokio::test]
async fn reordered_journal_entries_are_named() {
    let p = tampered(
        "UPDATE journal SET seq = -1 WHERE seq = 1;
         UPDATE journal SET seq = 1 WHERE seq = 2;
         UPDATE journal SET seq = 2 WHERE seq = -1;",
    )
    .await;
    named(&p, "journal entry 1 (submit_application");
    named(&p, "it was written as number 2, so rows were reordered");
}

#[tokio::test]
async fn a_deleted_journal_entry_is_named() {
    let p = tampered(
        "DELETE FROM applications WHERE journal_id = (SELECT id FROM journal WHERE seq = 2);
         DELETE FROM journal WHERE seq = 2;",
    )
    .await;
    named(&p, "entries 2–2 are missing");
    named(&p, "journal entry 3 (submit_application");
    named(
        &p,
        "does not follow the row before it: the rows before it were removed",
    );
}
