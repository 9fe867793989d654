//! The chain heads travel with each sync round, through real HTTP to the
//! register simulator on 127.0.0.1: a normal day's rounds are accepted
//! (a round with nothing new too); a journal rewritten on the counter (an
//! entry removed, the rest renumbered and the chain recomputed, so the
//! local check passes) is refused as a fork, nothing more is sent, and the
//! round ends in its own state instead of retrying.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use chrono::NaiveDate;
use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::entry::{GENESIS_HASH, HashedFields};
use passport_journal::{Identity, Journal, JournalOptions, LogInMethod, SyncState};
use passport_register_client::{ClientConfig, RegisterClient};
use passport_register_sim::{Faults, SimConfig, spawn};
use passport_sync::{DrainEnd, SyncEngine, SyncOptions};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn open(db: &Path) -> Journal {
    Journal::open(db, Identity::demo(), JournalOptions::default())
        .await
        .unwrap()
}

async fn submit(j: &Journal, i: u64) {
    let a = demo::adult_draft(i, today())
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today()))
        .unwrap();
    j.submit_application(&a, demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
}

fn options() -> SyncOptions {
    SyncOptions {
        until_empty: true,
        deadline: Some(Instant::now() + Duration::from_secs(60)),
        batch: 100,
        start_offline: false,
        ..SyncOptions::default()
    }
}

fn sqlite(db: &Path, sql: &str) {
    let st = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .status()
        .unwrap();
    assert!(st.success(), "sqlite3 {sql}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_of_rounds_is_accepted_and_a_rewritten_journal_is_a_fork() {
    let s = spawn(
        "127.0.0.1:0",
        SimConfig {
            db: None,
            faults: Faults::default(),
            seed: 5,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let client = Arc::new(RegisterClient::new(ClientConfig::new(s.url())).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");

    // A normal day: three rounds, log-ins between them, one with nothing new.
    let j = open(&db).await;
    let engine = SyncEngine::new(j.clone(), client.clone());
    j.record_log_in("clerk-1", LogInMethod::PasswordOnline)
        .await
        .unwrap();
    for i in 0..3 {
        submit(&j, i).await;
    }
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!((r.end, r.acknowledged), (DrainEnd::Empty, 3), "{r:?}");
    j.record_log_in("clerk-1", LogInMethod::PasswordOffline)
        .await
        .unwrap();
    submit(&j, 3).await;
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!((r.end, r.acknowledged), (DrainEnd::Empty, 1), "{r:?}");
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!((r.end, r.acknowledged, r.fork), (DrainEnd::Empty, 0, None));
    drop(engine);
    j.close().await;

    // The rewrite: entry 2 removed with its application, the later ones
    // renumbered, every hash recomputed, the sequence and the head file
    // made to agree: the chain checks out locally.
    sqlite(
        &db,
        "PRAGMA foreign_keys=OFF;
         DELETE FROM applications WHERE journal_id = (SELECT id FROM journal WHERE seq = 2);
         DELETE FROM journal WHERE seq = 2;
         UPDATE journal SET seq = seq - 1 WHERE seq > 2;
         UPDATE sqlite_sequence SET seq = 3 WHERE name = 'journal';",
    );
    let j = open(&db).await;
    let mut prev = GENESIS_HASH.to_owned();
    let mut updates = String::new();
    for e in j.entries(0, 100).await.unwrap() {
        let hash = HashedFields {
            prev_hash: &prev,
            seq: e.seq,
            id: &e.id,
            kind: &e.kind,
            record_key: &e.record_key,
            depends_on: e.depends_on.as_deref(),
            payload: &e.payload_text,
            clerk_id: &e.clerk_id,
            device_time: &e.device_time,
        }
        .hash();
        updates.push_str(&format!(
            "UPDATE journal SET entry_hash = '{hash}' WHERE seq = {};",
            e.seq
        ));
        prev = hash;
    }
    j.close().await;
    sqlite(&db, &updates);
    let mut head = db.as_os_str().to_owned();
    head.push(".head");
    std::fs::write(&head, format!("{:020} {prev}\n", 3)).unwrap();
    let j = open(&db).await;
    // (The application numbers issued still tell locally; a rewrite that
    // also lowers that counter is caught by the register alone.)
    let local = j.verify().await.unwrap();
    assert!(
        !local.chain_broken,
        "the chain passes locally: {:?}",
        local.problems
    );

    // The next round: refused as a fork, and what was added is not sent.
    submit(&j, 4).await;
    let engine = SyncEngine::new(j.clone(), client.clone());
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!(r.end, DrainEnd::ChainFork, "{r:?}");
    assert_eq!(r.acknowledged, 0);
    let words = r.fork.unwrap();
    assert!(words.contains("do not extend"), "{words}");
    let last = j.entries(0, 100).await.unwrap().pop().unwrap();
    assert_eq!(last.sync_state, SyncState::Pending);
    // Again: the same refusal, at once (not a retry loop).
    let started = Instant::now();
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!(r.end, DrainEnd::ChainFork);
    assert!(started.elapsed() < Duration::from_secs(5));
    let stats: serde_json::Value = reqwest::get(format!("{}/admin/stats", s.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["chain_forks"], 2, "{stats}");
}

/// Copies the journal's files (database and head file) from `from` to
/// `to`, a closed journal's.
fn copy_journal(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in ["journal.db", "journal.db.head"] {
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_register_still_knows_the_heads_and_refuses_an_older_copy() {
    let reg = tempfile::tempdir().unwrap();
    let config = || SimConfig {
        db: Some(reg.path().join("register.db")),
        faults: Faults::default(),
        seed: 6,
        test_admin: true,
        ..SimConfig::default()
    };
    let s = spawn("127.0.0.1:0", config()).await.unwrap();
    let client = Arc::new(RegisterClient::new(ClientConfig::new(s.url())).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let kept = tempfile::tempdir().unwrap();

    // Round 1, then a copy of the journal as it was (a backup).
    let j = open(&db).await;
    submit(&j, 0).await;
    let r = SyncEngine::new(j.clone(), client.clone())
        .drain(&options())
        .await
        .unwrap();
    assert_eq!((r.end, r.acknowledged), (DrainEnd::Empty, 1), "{r:?}");
    j.close().await;
    copy_journal(dir.path(), kept.path());

    // Round 2 goes further; then the register restarts.
    let j = open(&db).await;
    j.record_log_in("clerk-1", LogInMethod::PasswordOnline)
        .await
        .unwrap();
    submit(&j, 1).await;
    let r = SyncEngine::new(j.clone(), client.clone())
        .drain(&options())
        .await
        .unwrap();
    assert_eq!((r.end, r.acknowledged), (DrainEnd::Empty, 1), "{r:?}");
    assert_eq!(j.chain_fork().await.unwrap(), None);
    j.close().await;
    let current = tempfile::tempdir().unwrap();
    copy_journal(dir.path(), current.path());
    s.stop().await.unwrap();
    let s = spawn("127.0.0.1:0", config()).await.unwrap();
    let client = Arc::new(RegisterClient::new(ClientConfig::new(s.url())).unwrap());

    // The backup restored in place of the journal: behind what the
    // register saw before its restart, so a fork, and nothing is sent.
    copy_journal(kept.path(), dir.path());
    let j = open(&db).await;
    submit(&j, 2).await;
    let engine = SyncEngine::new(j.clone(), client.clone());
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!((r.end, r.acknowledged), (DrainEnd::ChainFork, 0), "{r:?}");
    // The refusal is kept in the journal (what the supervisor's notice
    // and `counterctl status` read), counted each round, not retried
    // quietly.
    let fork = j.chain_fork().await.unwrap().expect("the fork is recorded");
    assert_eq!(fork.refusals, 1);
    assert!(fork.register_text.contains("do not extend"), "{fork:?}");
    let r = engine.drain(&options()).await.unwrap();
    assert_eq!(r.end, DrainEnd::ChainFork);
    assert_eq!(j.chain_fork().await.unwrap().unwrap().refusals, 2);
    j.close().await;

    // The journal that really went on is accepted by the restarted
    // register (restarted once more), and a fork recorded in it earlier
    // is cleared when it is.
    s.stop().await.unwrap();
    let s = spawn("127.0.0.1:0", config()).await.unwrap();
    let client = Arc::new(RegisterClient::new(ClientConfig::new(s.url())).unwrap());
    copy_journal(current.path(), dir.path());
    let j = open(&db).await;
    j.record_chain_fork("an earlier refusal").await.unwrap();
    let r = SyncEngine::new(j.clone(), client.clone())
        .drain(&options())
        .await
        .unwrap();
    assert_eq!(r.end, DrainEnd::Empty, "{r:?}");
    assert_eq!(j.chain_fork().await.unwrap(), None);
    j.close().await;
    s.stop().await.unwrap();
}
