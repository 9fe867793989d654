//! The thundering herd: W workstations, each with its own journal of K
//! queued actions, all offline during an outage, reconnecting when the
//! register comes back at one instant. The register is capped at R requests
//! a second. Measures the offered load per second (goal: ≤ 1.1 R after the
//! first second), the time to drain everything (goal: ≤ 1.3 × the ideal
//! W·K / R) and duplicates (goal: 0); then the same with jitter, Retry-After
//! and pacing switched off, for contrast.
//!
//! `cargo bench -p passport-sync --bench herd -- [--workstations 1000] [--ops 20] [--capacity 200] [--mode both|paced|naive]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing benchmark may panic

use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::{Identity, Journal, JournalOptions};
use passport_register_client::{BreakerConfig, ClientConfig, RegisterClient};
use passport_register_sim::{Faults, SimConfig, SimHandle, spawn};
use passport_sync::{PacerConfig, SyncEngine, SyncOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn admin(sim: &SimHandle, path: &str, body: serde_json::Value) {
    reqwest::Client::new()
        .post(format!("{}{path}", sim.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
}

struct Outcome {
    drain_secs: f64,
    peak_after_first: u32,
    per_second: Vec<u32>,
    stored: u64,
    duplicates: u64,
    refused: u64,
    requests: u64,
}

async fn run(
    paced: bool,
    workstations: usize,
    ops: usize,
    capacity: u32,
    dir: &std::path::Path,
) -> Outcome {
    let faults = Faults {
        outage: true,
        capacity,
        retry_after_secs: 5,
        ..Faults::default()
    };
    let sim = spawn(
        "127.0.0.1:0",
        SimConfig {
            db: Some(dir.join("register.db")),
            faults,
            seed: 5,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    let rules = ApplicationRules::new(today);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(workstations)
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap();
    let mut engines = Vec::with_capacity(workstations);
    for w in 0..workstations {
        // Workstation ids 1, 2, … in hexadecimal: at most four characters.
        let id = Identity {
            office_code: "DEMO".into(),
            workstation_id: format!("{:X}", w + 1),
            demo: false,
        };
        let j = Journal::open(
            &dir.join(format!("ws{w}.db")),
            id,
            JournalOptions::default(),
        )
        .await
        .unwrap();
        let apps: Vec<_> = (0..ops)
            .map(|i| {
                (
                    demo::adult_draft((w * ops + i) as u64, today)
                        .validate(Some(demo::PHOTO_PNG), &rules)
                        .unwrap(),
                    demo::PHOTO_PNG.to_vec(),
                )
            })
            .collect();
        j.submit_many(&apps, "bench").await.unwrap();
        let mut c = ClientConfig::new(sim.url());
        c.backoff_cap = Duration::from_secs(30);
        c.breaker = BreakerConfig {
            threshold: 3,
            open_for: Duration::from_secs(1),
            max_open: Duration::from_secs(8),
            jitter: paced,
        };
        c.jitter = paced;
        c.honour_retry_after = paced;
        engines.push(SyncEngine::new(
            j,
            Arc::new(RegisterClient::with_http(c, http.clone())),
        ));
    }
    let opts = SyncOptions {
        until_empty: true,
        deadline: Some(Instant::now() + Duration::from_secs(900)),
        recovery_window: if paced {
            Duration::from_secs(10)
        } else {
            Duration::ZERO
        },
        batch: 100,
        start_offline: false,
        pacer: PacerConfig {
            enabled: paced,
            ..PacerConfig::default()
        },
    };
    let tasks: Vec<_> = engines
        .into_iter()
        .map(|e| {
            let opts = opts.clone();
            tokio::spawn(async move {
                e.drain(&opts).await.unwrap();
                Instant::now()
            })
        })
        .collect();
    // Everyone finds the register down and goes offline; then it returns.
    tokio::time::sleep(Duration::from_secs(6)).await;
    admin(&sim, "/admin/reset-stats", serde_json::json!({})).await;
    let t0 = Instant::now();
    admin(&sim, "/admin/faults", serde_json::json!({"outage": false})).await;
    let mut last = t0;
    for t in tasks {
        last = last.max(t.await.unwrap());
    }
    let stats: serde_json::Value = reqwest::get(format!("{}/admin/stats", sim.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    sim.stop().await.unwrap();
    let per_second: Vec<u32> = stats["requests_per_second"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| u32::try_from(v.as_u64().unwrap()).unwrap())
        .collect();
    Outcome {
        drain_secs: (last - t0).as_secs_f64(),
        peak_after_first: per_second.iter().skip(1).copied().max().unwrap_or(0),
        per_second,
        stored: stats["applications"].as_u64().unwrap(),
        duplicates: stats["duplicate_attempts"].as_u64().unwrap(),
        refused: stats["refused_by_capacity"].as_u64().unwrap(),
        requests: stats["requests"].as_u64().unwrap(),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let workstations: usize = arg("--workstations", 1000);
    let ops: usize = arg("--ops", 20);
    let capacity: u32 = arg("--capacity", 200);
    let mode: String = arg("--mode", "both".to_owned());
    let total = (workstations * ops) as f64;
    let ideal = total / f64::from(capacity);
    println!(
        "### Herd: {workstations} workstations × {ops} queued actions, register capped at R = {capacity}/s\n"
    );
    println!(
        "Ideal drain time N/R = {ideal:.0} s. The register comes back at t = 0 after every counter went offline.\n"
    );
    println!(
        "| run | drain time | vs ideal | peak offered after 1st s | vs R | requests | refused (429) | stored | duplicates |\n|---|---|---|---|---|---|---|---|---|"
    );
    let mut series = Vec::new();
    for paced in [true, false] {
        if (mode == "paced" && !paced) || (mode == "naive" && paced) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let o = run(paced, workstations, ops, capacity, dir.path()).await;
        let name = if paced {
            "jitter + Retry-After + pacing (default)"
        } else {
            "no jitter, no Retry-After, no pacing"
        };
        println!(
            "| {name} | {:.1} s | {:.2}× | {} /s | {:.2}× | {} | {} | {} | {} |",
            o.drain_secs,
            o.drain_secs / ideal,
            o.peak_after_first,
            f64::from(o.peak_after_first) / f64::from(capacity),
            o.requests,
            o.refused,
            o.stored,
            o.duplicates
        );
        series.push((name, o.per_second));
    }
    println!("\nOffered load per second from t = 0:\n");
    for (name, s) in series {
        println!(
            "- {name}: {}",
            s.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
        );
    }
    println!();
}
