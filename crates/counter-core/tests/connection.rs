//! What the status bar is told about the register: connecting, online,
//! offline, and the age of the last *successful* exchange, against the
//! register simulator over HTTP with the background worker running.
//!
//! Before: through an outage of 503s the bar said "last contact: 9 s ago"
//! (any answer counted), and a register coming back went from "offline"
//! straight to "online" with nothing in between.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{Connection, Counter, StatusSnapshot};
use passport_register_sim::{Faults, SimConfig};
use std::time::{Duration, Instant};

async fn faults(url: &str, patch: serde_json::Value) {
    reqwest::Client::new()
        .post(format!("{url}/admin/faults"))
        .json(&patch)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

/// The next published snapshot for which `f` holds (every one seen is
/// handed to `seen`), or a failure after 30 s.
async fn until(
    what: &str,
    rx: &mut tokio::sync::watch::Receiver<StatusSnapshot>,
    mut seen: impl FnMut(&StatusSnapshot),
    f: impl Fn(&StatusSnapshot) -> bool,
) -> StatusSnapshot {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        {
            let s = rx.borrow_and_update();
            seen(&s);
            if f(&s) {
                return s.clone();
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.changed()).await {
            Ok(Ok(())) => {}
            _ => panic!("timed out waiting for {what}: {:?}", *rx.borrow()),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_shows_the_last_success_and_a_return_shows_connecting() {
    let sim = passport_register_sim::spawn(
        "127.0.0.1:0",
        SimConfig {
            faults: Faults {
                retry_after_secs: 1,
                ..Faults::default()
            },
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[policy]\nhealth_probe_secs = 1\nrecovery_window_secs = 0\n",
    )
    .unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.path().to_path_buf()),
        register: Some(sim.url()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    let mut rx = counter.watch_status();
    // Before the worker's first round: nothing has answered yet.
    assert_eq!(counter.status().await.connection, Connection::Connecting);
    assert_eq!(counter.status().await.last_success, None);
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = counter.clone();
    let task = tokio::spawn(async move {
        worker
            .run_worker(async {
                stop_rx.await.ok();
            })
            .await;
    });

    let online = until(
        "online",
        &mut rx,
        |_| {},
        |s| s.connection == Connection::Online,
    )
    .await;
    let success = online.last_success.clone().expect("a success while online");

    // An outage: the register answers 503 (contact), never successfully.
    faults(&sim.url(), serde_json::json!({ "outage": true })).await;
    until(
        "offline",
        &mut rx,
        |_| {},
        |s| s.connection == Connection::Offline,
    )
    .await;
    // Let the worker probe through a few 503s.
    let later = until(
        "a 503 answered after the outage began",
        &mut rx,
        |_| {},
        |s| s.connection == Connection::Offline && s.last_contact > Some(success.clone()),
    )
    .await;
    assert_eq!(
        later.last_success.as_deref(),
        Some(success.as_str()),
        "a 503 is contact, not a successful one"
    );

    // Back, slowly: each answer takes 1.5 s, so the attempt is seen.
    faults(
        &sim.url(),
        serde_json::json!({ "outage": false, "latency_ms": 1500 }),
    )
    .await;
    let mut states = Vec::new();
    let back = until(
        "online again",
        &mut rx,
        |s| {
            if states.last() != Some(&s.connection) {
                states.push(s.connection);
            }
        },
        |s| s.connection == Connection::Online,
    )
    .await;
    let connecting = states.iter().position(|c| *c == Connection::Connecting);
    assert!(
        connecting.is_some(),
        "\"connecting\" is shown before \"online\": {states:?}"
    );
    assert!(back.last_success > Some(success), "{back:?}");
    assert_eq!(back.offline_since, None);

    stop.send(()).ok();
    task.await.unwrap();
    sim.stop().await.unwrap();
}

/// A counter for `dir` (`config.toml` holding `policy`) and its worker;
/// the sender stops the worker.
async fn with_worker(
    dir: &std::path::Path,
    register: Option<String>,
    policy: &str,
) -> (
    Counter,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    std::fs::write(dir.join("config.toml"), format!("[policy]\n{policy}")).unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.to_path_buf()),
        register,
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = counter.clone();
    let task = tokio::spawn(async move {
        worker
            .run_worker(async {
                stop_rx.await.ok();
            })
            .await;
    });
    (counter, stop, task)
}

/// Before: the notice a supervisor had just settled stayed in the bar
/// until the worker's next round (the probe interval, 15 s by default).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_clears_its_notice_from_the_bar_at_once() {
    let sim = passport_register_sim::spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (c, stop, task) = with_worker(
        dir.path(),
        Some(sim.url()),
        "health_probe_secs = 15\nrecovery_window_secs = 0\n",
    )
    .await;
    c.login("demo-clerk", "demo").await.unwrap();
    c.engine().pull_ready_list().await.unwrap();
    // Another counter hands DA0000003 over first; this one is refused.
    let r = reqwest::Client::new()
        .post(format!("{}/v1/handovers", sim.url()))
        .header(
            passport_register_contract::IDEMPOTENCY_KEY,
            "other-counter-1",
        )
        .json(&serde_json::json!({
            "document_number": "DA0000003", "office": "DEMO", "workstation": "02",
            "clerk_id": "demo-clerk", "device_time": chrono::Utc::now().to_rfc3339(),
            "collected_by": { "role": "holder" }, "identity_check": "dowód osobisty XYZ765432",
            "chip_check": "passed", "previous_passport": null, "provisional": false
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let saved = c
        .record_handover(&passport_counter_core::HandoverRequest {
            document_number: "DA0000003".into(),
            collector: passport_counter_core::Collector::Holder,
            identity_document: "dowód osobisty ABC523456".into(),
            previous_passport: None,
        })
        .await
        .unwrap();
    let mut rx = c.watch_status();
    until("the notice", &mut rx, |_| {}, |s| s.notices.len() == 1).await;
    c.login("demo-supervisor", "demo").await.unwrap();
    let decided = Instant::now();
    c.decide(&passport_counter_core::DecisionInput {
        entry_id: saved.journal_id.clone(),
        outcome: passport_journal::DecisionOutcome::AcceptRefusal,
        note: "Wydany w okienku 2, sprawdzone".into(),
    })
    .await
    .unwrap();
    // Only what is pushed counts: `status()` would recompute on demand.
    until("no notice", &mut rx, |_| {}, |s| s.notices.is_empty()).await;
    let took = decided.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "the notice left after {took:?}"
    );
    stop.send(()).ok();
    task.await.unwrap();
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// Before: after the demo's "restore" the bar said "connecting…" for as
/// long as the circuit's open period had left (it grows over an outage, to
/// a minute), 15–20 s in the tester's run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_restore_is_online_within_a_second_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let (c, stop, task) = with_worker(dir.path(), None, "health_probe_secs = 1\n").await;
    assert!(c.config().demo);
    let mut rx = c.watch_status();
    until(
        "online",
        &mut rx,
        |_| {},
        |s| s.connection == Connection::Online,
    )
    .await;
    c.demo_cut_register().await.unwrap();
    until(
        "offline",
        &mut rx,
        |_| {},
        |s| s.connection == Connection::Offline,
    )
    .await;
    // Cut long enough for the circuit to re-open a second time: its open
    // period (at least the register's Retry-After of 2 s) has begun.
    let deadline = Instant::now() + Duration::from_secs(30);
    while c.engine().client().status().consecutive_failures < 4 {
        assert!(Instant::now() < deadline, "the worker stopped probing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let restored = Instant::now();
    c.demo_restore_register().await.unwrap();
    until(
        "online again",
        &mut rx,
        |_| {},
        |s| s.connection == Connection::Online,
    )
    .await;
    let took = restored.elapsed();
    assert!(took < Duration::from_millis(1500), "online after {took:?}");
    stop.send(()).ok();
    task.await.unwrap();
    c.shutdown().await;
}
