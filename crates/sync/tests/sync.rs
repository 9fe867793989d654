//! The sync engine against the register simulator over real HTTP on
//! 127.0.0.1, with real SQLite journals.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use chrono::NaiveDate;
use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_domain::lifecycle::InvalidationReason;
use passport_journal::{
    ChipCheck, Collector, HandoverPayload, Identity, Journal, JournalOptions, Search, SyncState,
};
use passport_register_client::{BreakerConfig, ClientConfig, RegisterClient};
use passport_register_sim::{Faults, SimConfig, SimHandle, spawn};
use passport_sync::{DrainEnd, PacerConfig, SyncEngine, SyncOptions};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn journal(dir: &tempfile::TempDir, identity: Identity, apps: u64) -> Journal {
    let j = Journal::open(
        &dir.path().join("journal.db"),
        identity,
        JournalOptions::default(),
    )
    .await
    .unwrap();
    let rules = ApplicationRules::new(today());
    for i in 0..apps {
        let a = demo::adult_draft(i, today())
            .validate(Some(demo::PHOTO_PNG), &rules)
            .unwrap();
        j.submit_application(&a, demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
    j
}

/// A client tuned for tests: the same logic, shorter clocks.
fn client(url: &str) -> Arc<RegisterClient> {
    let mut c = ClientConfig::new(url);
    c.backoff_base = Duration::from_millis(20);
    c.backoff_cap = Duration::from_millis(400);
    c.request_timeout = Duration::from_secs(5);
    c.breaker = BreakerConfig {
        threshold: 3,
        open_for: Duration::from_millis(100),
        max_open: Duration::from_millis(400),
        jitter: true,
    };
    Arc::new(RegisterClient::new(c).unwrap())
}

fn options() -> SyncOptions {
    SyncOptions {
        until_empty: true,
        deadline: Some(Instant::now() + Duration::from_secs(60)),
        recovery_window: Duration::from_millis(50),
        batch: 100,
        start_offline: false,
        pacer: PacerConfig {
            recovery_interval: Duration::from_millis(10),
            min_after_overload: Duration::from_millis(50),
            ..PacerConfig::default()
        },
    }
}

async fn sim(faults: Faults) -> SimHandle {
    spawn(
        "127.0.0.1:0",
        SimConfig {
            db: None,
            faults,
            seed: 11,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

async fn stats(s: &SimHandle) -> Value {
    reqwest::get(format!("{}/admin/stats", s.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn faults(s: &SimHandle, patch: Value) {
    reqwest::Client::new()
        .post(format!("{}/admin/faults", s.url()))
        .json(&patch)
        .send()
        .await
        .unwrap();
}

async fn states(j: &Journal) -> Vec<String> {
    j.entries(0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.sync_state.as_str().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_mid_drain_then_everything_once() {
    let s = sim(Faults {
        latency_ms: 15,
        retry_after_secs: 1,
        ..Faults::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir, Identity::demo(), 40).await;
    let engine = SyncEngine::new(j.clone(), client(&s.url()));
    let drain = tokio::spawn({
        let engine = engine.clone();
        async move { engine.drain(&options()).await.unwrap() }
    });
    // Cut the register once some entries are through, restore it later.
    while stats(&s).await["applications"].as_u64().unwrap() < 10 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    faults(&s, serde_json::json!({"outage": true})).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mid = j.queue_stats(chrono::Utc::now()).await.unwrap();
    assert!(mid.depth > 0 && mid.acknowledged >= 10, "{mid:?}");
    faults(&s, serde_json::json!({"outage": false})).await;
    let report = drain.await.unwrap();
    assert_eq!(report.end, DrainEnd::Empty);
    assert_eq!(report.acknowledged, 40);
    assert!(report.retries > 0);
    let st = stats(&s).await;
    assert_eq!(
        (
            st["applications"].as_u64(),
            st["duplicate_attempts"].as_u64()
        ),
        (Some(40), Some(0))
    );
    assert!(st["refused_by_outage"].as_u64().unwrap() > 0);
    assert!(states(&j).await.iter().all(|s| s == "acknowledged"));
    let q = j.queue_stats(chrono::Utc::now()).await.unwrap();
    assert_eq!(q.depth, 0);
    assert!(q.last_register_contact.is_some());
    // Applications follow the register's verdict.
    assert!(
        j.search(&Search::Recent, 100)
            .await
            .unwrap()
            .iter()
            .all(|a| a.status == passport_domain::ApplicationStatus::Accepted)
    );
    assert!(j.verify().await.unwrap().ok());
    let progress = engine.subscribe().borrow().clone();
    assert_eq!(
        (progress.done, progress.total, progress.phase.as_str()),
        (40, 40, "done")
    );
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_dropped_after_commit_make_no_duplicates() {
    let s = sim(Faults {
        drop_after_commit: 0.3,
        ..Faults::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir, Identity::demo(), 60).await;
    let report = SyncEngine::new(j.clone(), client(&s.url()))
        .drain(&options())
        .await
        .unwrap();
    assert_eq!((report.end, report.acknowledged), (DrainEnd::Empty, 60));
    let st = stats(&s).await;
    let dropped = st["dropped_after_commit"].as_u64().unwrap();
    assert!(dropped >= 5, "30 % of 60 should drop some: {st}");
    // Every dropped answer was retried and replayed, never stored twice.
    assert_eq!(st["applications"].as_u64(), Some(60));
    assert_eq!(st["duplicate_attempts"].as_u64(), Some(0));
    assert!(st["idempotent_replays"].as_u64().unwrap() >= dropped);
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_is_waited_out_as_told() {
    let cap = 10;
    let s = sim(Faults {
        capacity: cap,
        ..Faults::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir, Identity::demo(), 40).await;
    let start = Instant::now();
    let report = SyncEngine::new(j.clone(), client(&s.url()))
        .drain(&options())
        .await
        .unwrap();
    let took = start.elapsed();
    assert_eq!((report.end, report.acknowledged), (DrainEnd::Empty, 40));
    let st = stats(&s).await;
    assert_eq!(
        (
            st["applications"].as_u64(),
            st["duplicate_attempts"].as_u64()
        ),
        (Some(40), Some(0))
    );
    assert!(
        st["refused_by_capacity"].as_u64().unwrap() > 0,
        "the cap was hit: {st}"
    );
    // 40 requests at 10 a second need ≥ 3 s; a client that ignored
    // Retry-After would hammer the cap and offer far more than it a second.
    assert!(took >= Duration::from_secs(3), "{took:?}");
    let peak = st["peak_requests_per_second"].as_u64().unwrap();
    assert!(
        peak <= 2 * u64::from(cap),
        "offered {peak} a second against a cap of {cap}: {st}"
    );
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_does_not_block_independent_entries_and_dependents_wait() {
    let s = sim(Faults::default()).await;
    // An office the register does not know: its submissions are refused.
    let dir = tempfile::tempdir().unwrap();
    let unknown = Identity {
        office_code: "ZZZ9".into(),
        workstation_id: "01".into(),
        demo: false,
    };
    let j = journal(&dir, unknown, 1).await;
    let number = j.search(&Search::Recent, 1).await.unwrap()[0]
        .number
        .clone();
    j.cache_ready_documents(&[passport_journal::ReadyDocument {
        document_number: "EA1234567".into(),
        application_number: Some(number.clone()),
        pesel: "44051401359".into(),
        surname: "Nowak".into(),
        given_names: "Jan".into(),
        mrz_line1: None,
        mrz_line2: None,
    }])
    .await
    .unwrap();
    let handover = HandoverPayload {
        document_number: "EA1234567".into(),
        collected_by: Collector::Holder,
        identity_check: "dowód osobisty".into(),
        chip_check: ChipCheck::NotChecked,
        previous_passport: None,
        provisional: false,
    };
    j.record_handover(&handover, "clerk-1").await.unwrap();
    let report = SyncEngine::new(j.clone(), client(&s.url()))
        .drain(&options())
        .await
        .unwrap();
    assert_eq!((report.conflicts + report.rejected, report.waiting), (1, 1));
    let entries = j.entries(0, 10).await.unwrap();
    assert_eq!(entries[0].sync_state, SyncState::Rejected);
    assert!(
        entries[0]
            .register_reason
            .as_deref()
            .unwrap()
            .contains("unknown_office")
    );
    assert_eq!(entries[1].sync_state, SyncState::Pending);
    assert!(
        entries[1]
            .last_error
            .as_deref()
            .unwrap()
            .contains("refused"),
        "{:?}",
        entries[1].last_error
    );
    assert_eq!(
        j.application(&number)
            .await
            .unwrap()
            .unwrap()
            .summary
            .sync_state,
        SyncState::Rejected
    );

    // In the demo office: a refused invalidation first, then applications.
    let dir2 = tempfile::tempdir().unwrap();
    let j2 = Journal::open(
        &dir2.path().join("journal.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    j2.invalidate_document("EA0000001", InvalidationReason::ReportedLost, "clerk-1")
        .await
        .unwrap();
    let rules = ApplicationRules::new(today());
    for i in 0..5 {
        let a = demo::adult_draft(100 + i, today())
            .validate(Some(demo::PHOTO_PNG), &rules)
            .unwrap();
        j2.submit_application(&a, demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
    let report = SyncEngine::new(j2.clone(), client(&s.url()))
        .drain(&options())
        .await
        .unwrap();
    assert_eq!(
        (report.acknowledged, report.rejected + report.conflicts),
        (5, 1)
    );
    assert_eq!(
        states(&j2).await,
        [
            "rejected",
            "acknowledged",
            "acknowledged",
            "acknowledged",
            "acknowledged",
            "acknowledged"
        ]
    );
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_until_empty_a_dead_register_ends_the_drain_as_offline() {
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir, Identity::demo(), 3).await;
    let start = Instant::now();
    let opts = SyncOptions {
        until_empty: false,
        ..options()
    };
    let report = SyncEngine::new(j.clone(), client(&format!("http://127.0.0.1:{port}")))
        .drain(&opts)
        .await
        .unwrap();
    assert_eq!(report.end, DrainEnd::Offline);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "offline is detected at once, not after time-outs"
    );
    assert!(
        states(&j).await.iter().all(|s| s == "pending"),
        "nothing is left in flight"
    );
    let e = &j.entries(0, 1).await.unwrap()[0];
    assert!(e.attempts >= 1 && e.last_error.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ready_list_is_pulled_incrementally() {
    let s = sim(Faults::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir, Identity::demo(), 1).await;
    let engine = SyncEngine::new(j.clone(), client(&s.url()));
    assert_eq!(engine.pull_ready_list().await.unwrap(), 6);
    assert_eq!(
        engine.pull_ready_list().await.unwrap(),
        0,
        "only what is new"
    );
    engine.drain(&options()).await.unwrap();
    let number = j.search(&Search::Recent, 1).await.unwrap()[0]
        .number
        .clone();
    let r = reqwest::Client::new()
        .post(format!("{}/admin/personalise", s.url()))
        .json(&serde_json::json!({"application_number": number}))
        .send()
        .await
        .unwrap();
    let doc: Value = r.json().await.unwrap();
    assert_eq!(engine.pull_ready_list().await.unwrap(), 1);
    assert_eq!(
        j.application(&number)
            .await
            .unwrap()
            .unwrap()
            .summary
            .status,
        passport_domain::ApplicationStatus::ReadyForCollection
    );
    // The newly ready document can now be handed over at this counter, even offline.
    let h = HandoverPayload {
        document_number: doc["document_number"].as_str().unwrap().into(),
        collected_by: Collector::Holder,
        identity_check: "dowód osobisty".into(),
        chip_check: ChipCheck::NotChecked,
        previous_passport: None,
        provisional: false,
    };
    j.record_handover(&h, "clerk-1").await.unwrap();
    let report = engine.drain(&options()).await.unwrap();
    assert_eq!(report.acknowledged, 1);
    assert_eq!(stats(&s).await["handovers"].as_u64(), Some(1));
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_drain_at_a_time() {
    let s = sim(Faults {
        latency_ms: 50,
        ..Faults::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let j = journal(&dir, Identity::demo(), 5).await;
    let a = SyncEngine::new(j.clone(), client(&s.url()));
    let b = SyncEngine::new(j.clone(), client(&s.url()));
    let first = tokio::spawn(async move { a.drain(&options()).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        b.drain(&options()).await.unwrap().end,
        DrainEnd::AlreadyRunning
    );
    assert_eq!(first.await.unwrap().acknowledged, 5);
    s.stop().await.unwrap();
}
