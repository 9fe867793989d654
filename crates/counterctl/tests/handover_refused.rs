//! `counterctl handover` says what the register said: a document the
//! register already has as handed over at another counter is saved in the
//! journal (journal first, as in the app) and then refused by the
//! register within the wait; the command prints the refusal with what to
//! do and exits 1. The real binary against the simulator on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use passport_register_sim::{SimConfig, spawn};
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

fn run(data: &Path, url: &str, args: &[&str]) -> Output {
    common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(["--register", url, "--clerk", "demo-clerk", "--lang", "pl"])
        .args(args)
        .output()
        .unwrap()
}

async fn run_async(data: PathBuf, url: String, args: Vec<&'static str>) -> Output {
    tokio::task::spawn_blocking(move || run(&data, &url, &args))
        .await
        .unwrap()
}

#[test]
fn a_hand_over_the_register_refuses_exits_1_with_what_to_do() {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let sim = spawn(
                "127.0.0.1:0",
                SimConfig {
                    test_admin: true,
                    ..SimConfig::default()
                },
            )
            .await
            .unwrap();
            let url = sim.url();
            let dir = tempfile::tempdir().unwrap();
            let data = dir.path().to_path_buf();
            // A first hand-over brings the ready list, DA0000003 on it.
            let first = run_async(
                data.clone(),
                url.clone(),
                vec![
                    "handover",
                    "DA0000001",
                    "--collector",
                    "holder",
                    "--identity-document",
                    "dowód osobisty ABC523456",
                    "--json",
                ],
            )
            .await;
            assert!(
                first.status.success(),
                "{}",
                String::from_utf8_lossy(&first.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
            assert_eq!(v["outcome"], "issued", "{v}");

            // Another counter of the office hands DA0000003 over first.
            let r = reqwest::Client::new()
                .post(format!("{url}/v1/handovers"))
                .header("Idempotency-Key", "other-counter-1")
                .json(&serde_json::json!({
                    "document_number": "DA0000003", "office": "DEMO", "workstation": "02",
                    "clerk_id": "demo-clerk", "device_time": "2026-11-29T10:00:00Z",
                    "collected_by": { "role": "holder" },
                    "identity_check": "dowód osobisty XYZ765432", "chip_check": "passed",
                    "previous_passport": null, "provisional": false
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);

            let o = run_async(
                data.clone(),
                url.clone(),
                vec![
                    "handover",
                    "DA0000003",
                    "--collector",
                    "holder",
                    "--identity-document",
                    "dowód osobisty ABC523456",
                ],
            )
            .await;
            let out = String::from_utf8_lossy(&o.stdout);
            assert_eq!(o.status.code(), Some(1), "{out}");
            assert!(out.contains("REJESTR ODMÓWIŁ"), "{out}");
            assert!(
                out.contains(
                    "Dokument został już wydany na innym stanowisku lub w innym punkcie. Nie wydawaj go; wezwij kierownika."
                ),
                "{out}"
            );
            sim.stop().await.unwrap();
        });
}
