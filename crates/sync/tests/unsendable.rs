//! An entry this release cannot read, or whose photo was changed, is never
//! sent with guessed values and never blocks the entries behind it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::{Identity, Journal, JournalOptions, SyncState};
use passport_register_client::{ClientConfig, RegisterClient};
use passport_register_sim::{SimConfig, spawn};
use passport_sync::{PacerConfig, SyncEngine, SyncOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn raw(path: &std::path::Path, sql: &str) {
    let ok = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .status()
        .unwrap()
        .success();
    assert!(ok, "sqlite3 {sql}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_entries_are_held_and_the_queue_moves_on() {
    let today = chrono::Utc::now().date_naive();
    let rules = ApplicationRules::new(today);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = Journal::open(&db, Identity::demo(), JournalOptions::default())
        .await
        .unwrap();
    for i in 0..3 {
        let a = demo::adult_draft(i, today)
            .validate(Some(demo::PHOTO_PNG), &rules)
            .unwrap();
        // Each its own photo, so one can be changed without the others.
        let mut photo = demo::PHOTO_PNG.to_vec();
        photo.extend_from_slice(format!("{i}").as_bytes());
        j.submit_application(&a, &photo, "clerk-1").await.unwrap();
    }
    j.close().await;
    // Entry 1: its collector-style damage — a field under another name.
    raw(
        &db,
        "UPDATE journal SET payload = replace(payload, '\"number\"', '\"numer\"') WHERE seq = 1",
    );
    // Entry 2: one byte of its photo changed.
    raw(
        &db,
        "UPDATE photos SET bytes = CAST(substr(bytes, 1, 100) || x'00' || substr(bytes, 102) AS BLOB) \
         WHERE sha256 = (SELECT json_extract(payload, '$.photo.sha256') FROM journal WHERE seq = 2)",
    );
    let j = Journal::open(&db, Identity::demo(), JournalOptions::default())
        .await
        .unwrap();
    let sim = spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let client = Arc::new(RegisterClient::new(ClientConfig::new(sim.url())).unwrap());
    let report = SyncEngine::new(j.clone(), client)
        .drain(&SyncOptions {
            until_empty: true,
            deadline: Some(Instant::now() + Duration::from_secs(30)),
            recovery_window: Duration::from_millis(10),
            batch: 100,
            start_offline: false,
            pacer: PacerConfig::default(),
        })
        .await
        .unwrap();
    assert_eq!((report.unsendable, report.acknowledged), (2, 1));
    let entries = j.entries(0, 10).await.unwrap();
    let states: Vec<SyncState> = entries.iter().map(|e| e.sync_state).collect();
    assert_eq!(
        states,
        [
            SyncState::Unsendable,
            SyncState::Unsendable,
            SyncState::Acknowledged
        ]
    );
    assert!(
        entries[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("cannot be read")
    );
    assert!(
        entries[1]
            .last_error
            .as_deref()
            .unwrap()
            .contains("has been changed")
    );
    let stats: serde_json::Value = reqwest::get(format!("{}/admin/stats", sim.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stats["applications"], 1,
        "nothing guessed reached the register"
    );
    assert_eq!(
        j.queue_stats(chrono::Utc::now()).await.unwrap().unsendable,
        2
    );
    sim.stop().await.unwrap();
}
