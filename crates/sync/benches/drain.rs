//! Drain throughput: the sync engine delivering N queued actions to the
//! simulator, against a bare HTTP client posting the very same requests
//! (same bodies, same idempotency keys) to a fresh simulator, in the same
//! run. Goal: engine ≤ 1.2× bare.
//!
//! `cargo bench -p passport-sync --bench drain -- [--ops N] [--rounds N]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing benchmark may panic

use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::{Identity, Journal, JournalOptions};
use passport_register_client::{ClientConfig, RegisterClient};
use passport_register_contract::IDEMPOTENCY_KEY;
use passport_register_sim::{SimConfig, spawn};
use passport_sync::{Request, SyncEngine, SyncOptions, build_request};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn queued_journal(dir: &std::path::Path, ops: usize) -> Journal {
    let j = Journal::open(
        &dir.join("journal.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    let rules = ApplicationRules::new(today);
    for chunk in (0..ops as u64).collect::<Vec<_>>().chunks(1000) {
        let apps: Vec<_> = chunk
            .iter()
            .map(|&i| {
                (
                    demo::adult_draft(i, today)
                        .validate(Some(demo::PHOTO_PNG), &rules)
                        .unwrap(),
                    demo::PHOTO_PNG.to_vec(),
                )
            })
            .collect();
        j.submit_many(&apps, "bench").await.unwrap();
    }
    j
}

async fn stored(url: &str) -> u64 {
    let v: serde_json::Value = reqwest::get(format!("{url}/admin/stats"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["duplicate_attempts"].as_u64(), Some(0));
    v["applications"].as_u64().unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let ops = arg("--ops", 10_000);
    let rounds = arg("--rounds", 2);
    let (mut bare_t, mut client_t, mut engine_t) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let dir = tempfile::tempdir().unwrap();
        let journal = queued_journal(dir.path(), ops).await;
        let entries = journal
            .queued_after(0, u32::try_from(ops).unwrap())
            .await
            .unwrap();
        let mut requests = Vec::with_capacity(ops);
        let mut typed = Vec::with_capacity(ops);
        for e in &entries {
            let r = build_request(&journal, e).await.unwrap();
            requests.push((
                e.id.clone(),
                r.path(),
                match &r {
                    Request::Submit(b) => serde_json::to_vec(b),
                    Request::Handover(b) => serde_json::to_vec(b),
                    Request::Invalidate(b) => serde_json::to_vec(b),
                }
                .unwrap(),
            ));
            if let Request::Submit(s) = r {
                typed.push((e.id.clone(), s));
            }
        }

        // Bare: one reqwest client posting the prepared bodies in order.
        let sim = spawn(
            "127.0.0.1:0",
            SimConfig {
                test_admin: true,
                ..SimConfig::default()
            },
        )
        .await
        .unwrap();
        let http = reqwest::Client::new();
        let t = Instant::now();
        for (key, path, body) in &requests {
            let r = http
                .post(format!("{}{path}", sim.url()))
                .header(IDEMPOTENCY_KEY, key)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap();
        }
        bare_t.push(t.elapsed());
        assert_eq!(stored(&sim.url()).await, ops as u64);
        sim.stop().await.unwrap();

        // The client alone: the same typed requests through RegisterClient
        // (serialisation, classification, breaker), no journal.
        let sim = spawn(
            "127.0.0.1:0",
            SimConfig {
                test_admin: true,
                ..SimConfig::default()
            },
        )
        .await
        .unwrap();
        let client = RegisterClient::new(ClientConfig::new(sim.url())).unwrap();
        let t = Instant::now();
        for (key, req) in &typed {
            client.submit_application(key, req).await.unwrap();
        }
        client_t.push(t.elapsed());
        assert_eq!(stored(&sim.url()).await, ops as u64);
        sim.stop().await.unwrap();

        // The engine: reads the journal, builds, sends, records verdicts.
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
        let engine = SyncEngine::new(journal.clone(), client);
        let t = Instant::now();
        let report = engine
            .drain(&SyncOptions {
                recovery_window: Duration::ZERO,
                ..SyncOptions::default()
            })
            .await
            .unwrap();
        engine_t.push(t.elapsed());
        assert_eq!(report.acknowledged, ops as u64);
        assert_eq!(stored(&sim.url()).await, ops as u64);
        sim.stop().await.unwrap();
        eprintln!(
            "round {round}: bare {:?}, client {:?}, engine {:?}",
            bare_t[round], client_t[round], engine_t[round]
        );
    }
    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    let (b, c, e) = (best(&bare_t), best(&client_t), best(&engine_t));
    println!("### Drain {ops} queued applications to the simulator (best of {rounds} rounds)\n");
    println!("| client | time | per operation | throughput |\n|---|---|---|---|");
    for (name, d) in [
        ("bare HTTP client, same bodies pre-serialised (baseline)", b),
        (
            "RegisterClient alone, same requests (serialise, classify, breaker)",
            c,
        ),
        ("sync engine (journal → request → register → verdicts)", e),
    ] {
        let secs = d.as_secs_f64();
        println!(
            "| {name} | {secs:.2} s | {:.0} µs | {:.0} ops/s |",
            secs * 1e6 / ops as f64,
            ops as f64 / secs
        );
    }
    let ratio = |x: Duration| x.as_secs_f64() / b.as_secs_f64();
    println!(
        "\nratio engine / bare: {:.2}× (goal ≤ 1.2×); RegisterClient alone / bare: {:.2}×\n",
        ratio(e),
        ratio(c)
    );
}
