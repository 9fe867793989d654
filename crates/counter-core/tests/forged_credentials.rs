//! Offline credentials cannot be forged: the rows that let a clerk log in
//! while the register is down are edited behind the journal's back (with
//! its key, as someone holding the file and the key would), copied from
//! another clerk, and copied from another counter's journal. None of them
//! logs anyone in: each is refused with a typed error, recorded as a
//! refused log-in (in `login_failures` and the audit chain) and removed;
//! the genuine row still logs its clerk in offline.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{CoreError, Counter, IpcError};
use passport_journal::{CredentialFault, CredentialKind, LoginFailureReason};
use std::path::Path;

async fn start(data: &Path) -> Counter {
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    assert!(cfg.demo);
    Counter::start(cfg).await.unwrap()
}

/// Runs `sql` on the counter's journal file behind its back, with its key.
async fn sqlite(c: &Counter, sql: &str) {
    let key = passport_counter_core::keys::journal_key(c.config()).unwrap();
    passport_journal::cipher::run_sql_behind_the_journal(
        &c.config().journal_path(),
        Some(&key),
        sql,
    )
    .await
    .unwrap();
}

/// The genuine rows, as sealed by the counter, put back.
const RESTORE: &str = "DELETE FROM offline_credentials;
     INSERT INTO offline_credentials SELECT * FROM genuine;";

/// Refused as forged (or copied), recorded and audited as such, and gone.
async fn refused(c: &Counter, clerk: &str, password: &str, fault: CredentialFault, what: &str) {
    let failures_before = c.journal().login_failures(1000).await.unwrap().len();
    let audit_before = c.journal().audit_rows(0, 10_000).await.unwrap().len();
    match c.login(clerk, password).await {
        Err(CoreError::CredentialRefused(r)) => {
            assert_eq!(
                (r.kind, r.fault, r.clerk_id.as_str()),
                (CredentialKind::Account, fault, clerk),
                "{what}"
            );
            let said = IpcError::from(CoreError::CredentialRefused(r));
            assert_eq!(said.code, "auth.credential_refused", "{what}");
            assert!(said.message.pl.contains("odrzucono"), "{}", said.message.pl);
        }
        other => panic!("{what}: expected a refused credential, got {other:?}"),
    }
    assert!(c.session().is_none(), "{what}: nobody is logged in");
    let failures = c.journal().login_failures(1000).await.unwrap();
    assert_eq!(failures.len(), failures_before + 1, "{what}");
    let last = &failures[0];
    assert_eq!(
        (last.clerk_id.as_str(), last.reason),
        (clerk, LoginFailureReason::CredentialRefused),
        "{what}"
    );
    let audit = c.journal().audit_rows(0, 10_000).await.unwrap();
    assert_eq!(audit.len(), audit_before + 1, "{what}");
    let row = audit.last().unwrap();
    assert_eq!(
        (row.kind.as_str(), row.actor.as_str(), row.detail.as_str()),
        ("log_in_refused", clerk, "credential_refused"),
        "{what}"
    );
    // Removed: the same forgery cannot be tried again, and the clerk is
    // told to log in online.
    assert!(
        matches!(c.login(clerk, password).await, Err(CoreError::NeverOnline)),
        "{what}: the refused row is removed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_edited_or_copied_credential_logs_in_and_the_genuine_one_still_does() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("a")).await;
    // Both accounts confirmed online here, so both are cached and sealed.
    c.login("demo-clerk", "demo").await.unwrap();
    c.logout().await;
    c.login("demo-supervisor", "demo").await.unwrap();
    c.logout().await;
    c.demo_cut_register().await.unwrap();
    sqlite(
        &c,
        "CREATE TABLE genuine AS SELECT * FROM offline_credentials;",
    )
    .await;

    // The genuine row logs the clerk in offline, as a clerk.
    let s = c.login("demo-clerk", "demo").await.unwrap();
    assert!(!s.verified_online);
    assert_eq!(s.role, passport_counter_core::Role::Clerk);
    c.logout().await;

    // A clerk made supervisor.
    sqlite(
        &c,
        "UPDATE offline_credentials SET role = 'supervisor' WHERE clerk_id = 'demo-clerk';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::Forged,
        "role edited",
    )
    .await;

    // An expiry pushed (and the confirmation moved to now: an old row
    // made young).
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        "UPDATE offline_credentials SET expires_at = '2099-01-01T00:00:00.000Z' WHERE clerk_id = 'demo-clerk';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::Forged,
        "expiry pushed",
    )
    .await;
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        "UPDATE offline_credentials SET verified_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 day')
         WHERE clerk_id = 'demo-clerk';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::Forged,
        "confirmation moved",
    )
    .await;

    // A verifier replaced by one of a password the forger knows.
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        "UPDATE offline_credentials SET verifier = (SELECT verifier FROM genuine WHERE clerk_id = 'demo-supervisor')
         WHERE clerk_id = 'demo-clerk';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::Forged,
        "verifier replaced",
    )
    .await;

    // The supervisor's whole row (role, verifier, its MAC) copied under
    // the clerk's identifier.
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        "DELETE FROM offline_credentials WHERE clerk_id = 'demo-clerk';
         INSERT INTO offline_credentials
           SELECT 'demo-clerk', office_code, workstation_id, display_name, role, verifier, verified_at, expires_at, mac
           FROM genuine WHERE clerk_id = 'demo-supervisor';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::Forged,
        "another clerk's row",
    )
    .await;

    // A row that names another workstation.
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        "UPDATE offline_credentials SET workstation_id = '02' WHERE clerk_id = 'demo-clerk';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::OtherWorkstation,
        "another workstation named",
    )
    .await;

    // A MAC that is not one.
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        "UPDATE offline_credentials SET mac = 'not a mac' WHERE clerk_id = 'demo-clerk';",
    )
    .await;
    refused(
        &c,
        "demo-clerk",
        "demo",
        CredentialFault::Forged,
        "garbage MAC",
    )
    .await;

    // A genuine row from another counter's journal (its own key), copied
    // over whole, MAC and all: through a plaintext file, as the forger
    // would carry it.
    let other = start(&tmp.path().join("b")).await;
    other.login("demo-supervisor", "demo").await.unwrap();
    other.logout().await;
    let carried = tmp.path().join("carried.db");
    // A plain SQLite file (the journal's connections do not create files).
    let made = std::process::Command::new("sqlite3")
        .arg(&carried)
        .arg("CREATE TABLE made (x); DROP TABLE made;")
        .status()
        .unwrap();
    assert!(made.success());
    let attach = format!("ATTACH DATABASE '{}' AS carried KEY '';", carried.display());
    sqlite(
        &other,
        &format!(
            "{attach} CREATE TABLE carried.rows AS SELECT * FROM offline_credentials WHERE clerk_id = 'demo-supervisor';"
        ),
    )
    .await;
    other.shutdown().await;
    sqlite(&c, RESTORE).await;
    sqlite(
        &c,
        &format!(
            "{attach} DELETE FROM offline_credentials WHERE clerk_id = 'demo-supervisor';
             INSERT INTO offline_credentials SELECT * FROM carried.rows;"
        ),
    )
    .await;
    refused(
        &c,
        "demo-supervisor",
        "demo",
        CredentialFault::Forged,
        "another counter's row",
    )
    .await;

    // After all that, the genuine rows put back still log in, each with
    // its own role, and `audit verify` finds the chain whole.
    sqlite(&c, RESTORE).await;
    let s = c.login("demo-clerk", "demo").await.unwrap();
    assert_eq!(
        (s.role, s.verified_online),
        (passport_counter_core::Role::Clerk, false)
    );
    c.logout().await;
    let s = c.login("demo-supervisor", "demo").await.unwrap();
    assert_eq!(s.role, passport_counter_core::Role::Supervisor);
    c.logout().await;
    let report = c.journal().verify().await.unwrap();
    assert!(!report.chain_broken, "{:?}", report.problems);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_past_its_sealed_expiry_does_not_log_in() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("a")).await;
    c.login("demo-clerk", "demo").await.unwrap();
    c.logout().await;
    c.demo_cut_register().await.unwrap();
    // Its MAC made for an expiry in the past (by the journal itself):
    // genuine, and expired.
    let mut account = c
        .journal()
        .cached_account("demo-clerk")
        .await
        .unwrap()
        .unwrap();
    account.verified_at = chrono::Utc::now().to_rfc3339();
    c.journal()
        .cache_account_until(&account, "2020-01-01T00:00:00.000Z")
        .await
        .unwrap();
    assert!(matches!(
        c.login("demo-clerk", "demo").await,
        Err(CoreError::NeverOnline)
    ));
    // Not a forgery: nothing recorded as one.
    assert!(c.journal().login_failures(100).await.unwrap().is_empty());
    c.shutdown().await;
}
