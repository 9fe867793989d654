//! The journal sealed at rest (SQLCipher), read as a thief with a copy of
//! the disk would: no PESEL, name, e-mail or photo in the database, its WAL
//! or its shared-memory file; the file does not open without its key (not
//! even its schema); a plaintext journal of release 0.1 is encrypted on
//! first open with nothing lost, even when the process dies between steps;
//! a lost key file is re-created from the recovery code.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::today;

use passport_domain::application::ApplicationRules;
use passport_domain::{ValidApplication, demo};
use passport_journal::{
    Identity, Journal, JournalError, JournalKey, JournalOptions, KeyError, KeyFile, MigrationStep,
    RecoveryCode,
};
use std::path::{Path, PathBuf};

const EMAIL: &str = "zofia.tajemnicza@example.pl";
const SURNAME: &str = "Brzęczyszczykiewicz";

/// Applicant `i` with a surname and an e-mail to search for.
fn app(i: u64) -> ValidApplication {
    let mut d = demo::adult_draft(i, today());
    d.applicant.surname = SURNAME.into();
    if let Some(c) = d.applicant.contact.as_mut() {
        c.email = Some(EMAIL.into());
    }
    d.validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today()))
        .unwrap()
}

fn pesel(i: u64) -> String {
    demo::adult_draft(i, today()).applicant.pesel
}

/// What must not be readable: PESELs, the surname, the e-mail, and a run
/// of the photo's bytes.
fn secrets() -> Vec<Vec<u8>> {
    let mut s: Vec<Vec<u8>> = (0..3).map(|i| pesel(i).into_bytes()).collect();
    s.push(SURNAME.as_bytes().to_vec());
    s.push(EMAIL.as_bytes().to_vec());
    let mid = demo::PHOTO_PNG.len() / 2;
    s.push(demo::PHOTO_PNG[mid..mid + 48].to_vec());
    s
}

/// Every (file, secret) pair where the file's bytes hold the secret.
fn found(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if !p.is_file() {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        for s in secrets() {
            if bytes.windows(s.len()).any(|w| w == s.as_slice()) {
                hits.push((
                    p.clone(),
                    String::from_utf8_lossy(&s[..s.len().min(20)]).into(),
                ));
            }
        }
    }
    hits
}

fn keyed(key: &JournalKey) -> JournalOptions {
    JournalOptions {
        key: Some(key.clone()),
        ..JournalOptions::default()
    }
}

async fn fill(j: &Journal) {
    for i in 0..3 {
        j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
}

/// The chain, entry by entry, as the journal reads it.
async fn chain(j: &Journal) -> Vec<(i64, String)> {
    j.entries(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.seq, e.entry_hash))
        .collect()
}

fn sqlite3(db: &Path, sql: &str) -> (bool, String) {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn nothing_personal_is_readable_in_the_database_wal_or_shm() {
    let tmp = tempfile::tempdir().unwrap();
    let key = KeyFile::new(tmp.path().join("config/journal.key"))
        .create()
        .unwrap();
    let data = tmp.path().join("data");
    let db = data.join("journal.db");
    let j = Journal::open(&db, Identity::demo(), keyed(&key))
        .await
        .unwrap();
    fill(&j).await;
    // While open: the committed actions are in the WAL (and the -shm).
    assert!(common::exists_with_suffix(&db, "-wal"));
    assert_eq!(found(&data), vec![], "while open");
    j.checkpoint().await.unwrap();
    assert_eq!(found(&data), vec![], "after a checkpoint");
    j.close().await;
    assert_eq!(found(&data), vec![], "after close");

    // The same search finds them in a journal opened without a key.
    let plain_dir = tmp.path().join("plain");
    let plain = Journal::open(
        &plain_dir.join("journal.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    fill(&plain).await;
    plain.close().await;
    assert_eq!(
        found(&plain_dir).len(),
        secrets().len(),
        "{:?}",
        found(&plain_dir)
    );

    // Without the key, or with another, it does not open, and says so.
    let other = JournalKey::from_recovery_code(&RecoveryCode::generate());
    let refused = Journal::open(&db, Identity::demo(), keyed(&other)).await;
    let Err(JournalError::KeyRejected { .. }) = refused else {
        panic!("{refused:?}");
    };
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("counterctl key recover"), "{message}");
    assert!(message.contains("Klucz nie otwiera"), "{message}");
    assert!(matches!(
        Journal::open(&db, Identity::demo(), JournalOptions::default()).await,
        Err(JournalError::KeyNeeded { .. })
    ));
    assert!(matches!(
        Journal::open_read_only(&db, Identity::demo(), Some(&other)).await,
        Err(JournalError::KeyRejected { .. })
    ));
    // The sqlite3 command line sees no schema, no table, no row.
    let (ok, said) = sqlite3(&db, ".tables");
    assert!(!ok || said.trim().is_empty(), "{said}");
    let (ok, said) = sqlite3(&db, "SELECT COUNT(*) FROM journal");
    assert!(!ok, "{said}");
    assert!(said.contains("not a database"), "{said}");

    // With the key it still opens, every entry there.
    let j = Journal::open_read_only(&db, Identity::demo(), Some(&key))
        .await
        .unwrap();
    assert_eq!(chain(&j).await.len(), 3);
    assert!(j.verify().await.unwrap().ok());
    j.close().await;
}

/// A plaintext journal as release 0.1 wrote it, with three applications,
/// and its chain.
async fn plaintext_journal(db: &Path) -> Vec<(i64, String)> {
    let j = Journal::open(db, Identity::demo(), JournalOptions::default())
        .await
        .unwrap();
    fill(&j).await;
    let before = chain(&j).await;
    j.close().await;
    assert_eq!(found(db.parent().unwrap()).len(), secrets().len());
    before
}

#[tokio::test]
async fn a_plaintext_journal_is_encrypted_on_first_open_with_nothing_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("journal.db");
    let before = plaintext_journal(&db).await;
    let key = JournalKey::from_recovery_code(&RecoveryCode::generate());

    let j = Journal::open(&db, Identity::demo(), keyed(&key))
        .await
        .unwrap();
    assert_eq!(chain(&j).await, before);
    assert!(j.verify().await.unwrap().ok());
    // And it goes on: a new action chains to the migrated ones.
    j.submit_application(&app(4), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    assert!(j.verify().await.unwrap().ok());
    j.close().await;

    assert_eq!(found(&data), vec![]);
    assert!(!common::exists_with_suffix(&db, ".plaintext"));
    assert!(!common::exists_with_suffix(&db, ".encrypting"));
    let (ok, _) = sqlite3(&db, "SELECT COUNT(*) FROM journal");
    assert!(!ok);
}

#[tokio::test]
async fn a_migration_stopped_after_any_step_loses_nothing() {
    for step in [
        MigrationStep::Exported,
        MigrationStep::Verified,
        MigrationStep::Swapped,
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let db = data.join("journal.db");
        let before = plaintext_journal(&db).await;
        let key = JournalKey::from_recovery_code(&RecoveryCode::generate());

        let stopped = Journal::open(
            &db,
            Identity::demo(),
            JournalOptions {
                stop_migration_after: Some(step),
                ..keyed(&key)
            },
        )
        .await;
        assert!(
            matches!(stopped, Err(JournalError::MigrationStopped(s)) if s == step),
            "{step:?}: {stopped:?}"
        );
        // The plaintext is kept until the encrypted journal is verified in place.
        assert!(
            !found(&data).is_empty(),
            "{step:?}: the plaintext copy is kept"
        );

        let j = Journal::open(&db, Identity::demo(), keyed(&key))
            .await
            .unwrap();
        assert_eq!(chain(&j).await, before, "{step:?}");
        assert!(j.verify().await.unwrap().ok(), "{step:?}");
        j.close().await;
        assert_eq!(found(&data), vec![], "{step:?}");
        let left: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".plaintext") || n.contains(".encrypting"))
            .collect();
        assert_eq!(left, Vec::<String>::new(), "{step:?}");
    }
}

#[tokio::test]
async fn a_lost_key_file_is_recreated_from_the_recovery_code() {
    let tmp = tempfile::tempdir().unwrap();
    let key_file = KeyFile::new(tmp.path().join("config/journal.key"));
    let key = key_file.create().unwrap();
    let code = key_file.take_recovery_code().unwrap();
    let db = tmp.path().join("data/journal.db");
    let j = Journal::open(&db, Identity::demo(), keyed(&key))
        .await
        .unwrap();
    fill(&j).await;
    let before = chain(&j).await;
    j.close().await;

    // The machine is reinstalled: the key file is gone, and it says so.
    std::fs::remove_dir_all(tmp.path().join("config")).unwrap();
    let missing = key_file.load().unwrap_err();
    assert!(matches!(missing, KeyError::Missing { .. }));
    assert!(missing.to_string().contains("counterctl key recover"));

    // The supervisor types the code as printed (any case, with spaces).
    let typed = code.to_string().to_lowercase().replace('-', " ");
    let restored = key_file
        .restore(&RecoveryCode::parse(&typed).unwrap())
        .unwrap();
    assert_eq!(restored, key);
    let j = Journal::open(&db, Identity::demo(), keyed(&key_file.load().unwrap()))
        .await
        .unwrap();
    assert_eq!(chain(&j).await, before, "every queued entry is still there");
    assert_eq!(j.queue_stats(chrono::Utc::now()).await.unwrap().pending, 3);
    j.close().await;
}
