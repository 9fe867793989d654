//! `counterctl sync` killed (SIGKILL) at random moments, 50 times, against
//! the register simulator over HTTP: a final clean drain leaves every action
//! stored exactly once, and the journal whole.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::{Identity, Journal, JournalOptions};
use passport_register_sim::{Faults, SimConfig, spawn};
use rand::Rng;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ACTIONS: u64 = 300;

fn counterctl(data: &Path, register: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterctl"));
    for var in [
        "PASSPORT_COUNTER_OFFICE",
        "PASSPORT_COUNTER_WORKSTATION",
        "PASSPORT_COUNTER_CLERK",
    ] {
        c.env_remove(var);
    }
    c.arg("--data-dir")
        .arg(data)
        .arg("--register")
        .arg(register);
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_sync_never_duplicates() {
    let faults = Faults {
        latency_ms: 3,
        drop_after_commit: 0.05,
        ..Faults::default()
    };
    let sim = spawn(
        "127.0.0.1:0",
        SimConfig {
            db: None,
            faults,
            seed: 3,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let journal = Journal::open(
        &data.join("demo.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    let rules = ApplicationRules::new(today);
    let apps: Vec<_> = (0..ACTIONS)
        .map(|i| {
            (
                demo::adult_draft(i, today)
                    .validate(Some(demo::PHOTO_PNG), &rules)
                    .unwrap(),
                demo::PHOTO_PNG.to_vec(),
            )
        })
        .collect();
    journal.submit_many(&apps, "clerk-1").await.unwrap();
    journal.close().await;

    let url = sim.url();
    let mut killed = 0;
    let kills = tokio::task::spawn_blocking({
        let data = data.clone();
        let url = url.clone();
        move || {
            let mut rng = rand::rng();
            for _ in 0..50 {
                let mut child = counterctl(&data, &url)
                    .args(["sync", "--until-empty", "--no-ready-list", "--json"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                let at = Duration::from_millis(rng.random_range(20..200));
                let start = Instant::now();
                while start.elapsed() < at && child.try_wait().unwrap().is_none() {
                    std::thread::sleep(Duration::from_millis(1));
                }
                if child.try_wait().unwrap().is_none() {
                    child.kill().unwrap();
                    killed += 1;
                }
                child.wait().unwrap();
            }
            killed
        }
    });
    let killed = kills.await.unwrap();
    assert!(
        killed >= 30,
        "only {killed} of 50 runs were killed mid-sync"
    );

    let out = counterctl(&data, &url)
        .args(["sync", "--until-empty", "--timeout", "20", "--json"])
        .output()
        .unwrap();
    if out.status.code() != Some(0) {
        let export = counterctl(&data, &url)
            .args(["journal", "export"])
            .output()
            .unwrap();
        let first = String::from_utf8_lossy(&export.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let v: serde_json::Value = serde_json::from_str(&first).unwrap_or_default();
        panic!(
            "final sync failed: {}\nfirst entry: {} {}",
            String::from_utf8_lossy(&out.stdout),
            v["last_error"],
            v["attempts"]
        );
    }
    let verify = counterctl(&data, &url)
        .args(["journal", "verify"])
        .output()
        .unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    let stats: serde_json::Value = reqwest::get(format!("{url}/admin/stats"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["applications"].as_u64(), Some(ACTIONS), "{stats}");
    assert_eq!(stats["duplicate_attempts"].as_u64(), Some(0), "{stats}");
    let status = counterctl(&data, &url)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        (
            v["queue"]["depth"].as_i64(),
            v["queue"]["acknowledged"].as_i64()
        ),
        (Some(0), Some(ACTIONS as i64))
    );
    sim.stop().await.unwrap();
}
