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
