//! Fingerprint device benchmark, printed as Markdown for docs/BENCHMARKS.md.
//!
//! One round = discovery over 100 ports (one emulated device among them,
//! the other 99 closed) + device info + RCAPTURE of two fingers, through
//! the counter's client (`MdsClient`: bounded reads, JWS verified against
//! the trust store, every field range-checked, the PNG decoded and checked)
//! against the same HTTP exchanges with a bare reqwest client that only
//! reads the bodies, in the same run, rounds interleaved. The ratio is the
//! price of the checks.
//!
//! `cargo bench -p passport-biometrics --bench capture -- [--rounds N]`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that fails may panic

use mds_emulator::{Config, DevicePki, Emulator, Variant};
use passport_biometrics::{MdsClient, MdsOptions, TrustStore, wire};
use passport_domain::biometrics::FingerPosition;
use std::time::{Duration, Instant};

const SPAN: u16 = 100;
const CONCURRENCY: usize = 16;

fn rounds() -> usize {
    let mut it = std::env::args().skip(1);
    let mut n = 50;
    while let Some(a) = it.next() {
        if a == "--rounds" {
            n = match it.next().map(|v| v.parse()) {
                Some(Ok(v)) => v,
                _ => {
                    eprintln!("--rounds takes a number of rounds");
                    std::process::exit(2);
                }
            };
        }
    }
    n
}

/// 100 consecutive free ports below the ephemeral range.
fn free_range() -> u16 {
    (15000..30000)
        .step_by(usize::from(SPAN))
        .find(|&start| {
            (start..start + SPAN).all(|p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
        })
        .expect("100 free ports")
}

fn method(m: &str) -> reqwest::Method {
    reqwest::Method::from_bytes(m.as_bytes()).unwrap()
}

/// The same exchanges with nothing checked: MOSIPDISC on every port (same
/// concurrency), MOSIPDINFO and two RCAPTUREs on the device's, bodies read.
async fn bare_round(http: &reqwest::Client, first: u16, device: u16) -> usize {
    let mut bytes = 0;
    let ports: Vec<u16> = (first..first + SPAN).collect();
    for batch in ports.chunks(CONCURRENCY) {
        let mut set = tokio::task::JoinSet::new();
        for &port in batch {
            let http = http.clone();
            set.spawn(async move {
                let r = http
                    .request(
                        method("MOSIPDISC"),
                        format!("http://127.0.0.1:{port}/device"),
                    )
                    .body(r#"{"type":"Finger"}"#)
                    .send()
                    .await;
                match r {
                    Ok(r) => r.bytes().await.map(|b| b.len()).unwrap_or(0),
                    Err(_) => 0,
                }
            });
        }
        while let Some(n) = set.join_next().await {
            bytes += n.unwrap();
        }
    }
    let url = |p: &str| format!("http://127.0.0.1:{device}{p}");
    bytes += http
        .request(method("MOSIPDINFO"), url("/info"))
        .body("{}")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len();
    for (i, finger) in ["Left IndexFinger", "Right IndexFinger"].iter().enumerate() {
        let body = serde_json::json!({
            "env": "Developer", "purpose": "Registration", "specVersion": "1.0",
            "timeout": 20000, "captureTime": "2026-11-29T12:00:00Z",
            "transactionId": format!("bare-{i}"),
            "bio": [{"type": "Finger", "count": 1, "bioSubType": [finger], "exception": [],
                     "requestedScore": 40, "deviceId": "1", "deviceSubId": "0",
                     "previousHash": wire::empty_hash()}],
            "customOpts": null,
        });
        bytes += http
            .request(method("RCAPTURE"), url("/capture"))
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
    }
    bytes
}

async fn client_round(client: &MdsClient) -> Vec<passport_biometrics::DeviceCapture> {
    let devices = client.discover().await;
    assert_eq!(devices.len(), 1, "{devices:?}");
    let d = &devices[0];
    let mut out = Vec::new();
    for finger in [FingerPosition::LeftIndex, FingerPosition::RightIndex] {
        out.push(
            client
                .capture(d.port, &d.description.device_id, finger, 40)
                .await
                .unwrap(),
        );
    }
    out
}

fn stats(v: &mut [Duration]) -> (f64, f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = v.iter().map(|d| ms(*d)).sum::<f64>() / v.len() as f64;
    (
        mean,
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 99 / 100).min(v.len() - 1)]),
    )
}

fn main() {
    let rounds = rounds();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let first = free_range();
        let device_port = first + SPAN / 2;
        let pki = DevicePki::generate("EMU-BENCH-0001").unwrap();
        let trust = TrustStore::from_pem(&pki.ca_pem(), "bench").unwrap();
        let config = Config {
            variant: Variant::Good,
            serial: "EMU-BENCH-0001".into(),
            ..Config::default()
        };
        let _device = Emulator::bind(device_port, pki, config).await.unwrap();
        let client = MdsClient::new(
            MdsOptions {
                ports: first..=first + SPAN - 1,
                concurrency: CONCURRENCY,
                ..MdsOptions::default()
            },
            trust,
        )
        .unwrap();
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();

        // Warm-up: both paths once.
        let captures = client_round(&client).await;
        let bare_bytes = bare_round(&http, first, device_port).await;

        let (mut ours, mut bare) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            client_round(&client).await;
            ours.push(t.elapsed());
            let t = Instant::now();
            bare_round(&http, first, device_port).await;
            bare.push(t.elapsed());
        }
        let (om, o50, o99) = stats(&mut ours);
        let (bm, b50, b99) = stats(&mut bare);

        // Capture alone (no discovery): the verification's share.
        let (mut ours_cap, mut bare_cap) = (Vec::new(), Vec::new());
        for i in 0..rounds {
            let t = Instant::now();
            client
                .capture(device_port, "1", FingerPosition::LeftIndex, 40)
                .await
                .unwrap();
            ours_cap.push(t.elapsed());
            let t = Instant::now();
            let body = serde_json::json!({
                "env": "Developer", "purpose": "Registration", "specVersion": "1.0",
                "timeout": 20000, "captureTime": "2026-11-29T12:00:00Z",
                "transactionId": format!("bare-c-{i}"),
                "bio": [{"type": "Finger", "count": 1, "bioSubType": ["Left IndexFinger"],
                         "exception": [], "requestedScore": 40, "deviceId": "1",
                         "deviceSubId": "0", "previousHash": wire::empty_hash()}],
            });
            http.request(method("RCAPTURE"), format!("http://127.0.0.1:{device_port}/capture"))
                .body(body.to_string())
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            bare_cap.push(t.elapsed());
        }
        let (ocm, oc50, _) = stats(&mut ours_cap);
        let (bcm, bc50, _) = stats(&mut bare_cap);

        let drafts: Vec<_> = captures.iter().map(|c| c.to_draft()).collect();
        let payload = serde_json::to_vec(&drafts).unwrap().len();
        let png: usize = captures.iter().map(|c| c.image.bytes().len()).sum();

        println!("### Discovery + two fingers through the MDS emulator ({rounds} rounds each, interleaved)\n");
        println!("100 ports on 127.0.0.1, one device, 99 closed; discovery {CONCURRENCY} ports at a time; device info; RCAPTURE of the left and right index fingers (200×250 PNG each).\n");
        println!("| path | mean | p50 | p99 |");
        println!("|---|---|---|---|");
        println!("| counter's client (verified, range-checked, PNG decoded) | {om:.2} ms | {o50:.2} ms | {o99:.2} ms |");
        println!("| bare reqwest, same exchanges, bodies only read | {bm:.2} ms | {b50:.2} ms | {b99:.2} ms |");
        println!("| **ratio (mean)** | **{:.2}×** | {:.2}× | |", om / bm, o50 / b50);
        println!();
        println!("| one RCAPTURE alone | mean | p50 |");
        println!("|---|---|---|");
        println!("| counter's client | {ocm:.2} ms | {oc50:.2} ms |");
        println!("| bare reqwest | {bcm:.2} ms | {bc50:.2} ms |");
        println!("| ratio | {:.2}× | {:.2}× |", ocm / bcm, oc50 / bc50);
        println!();
        println!(
            "Bytes of one bare round's answers: {bare_bytes}. Two finger captures as the application draft carries them (position, quality, PNG in base64, JSON): {payload} bytes ({png} bytes of PNG)."
        );
    });
}
