//! `counterctl journal purge`, the real binary on a demo data directory
//! the core filled the app's way (applications synced with the demo
//! office's register simulator over HTTP): a clerk is refused (exit 2,
//! nothing purged); a supervisor's dry run says what would go; the purge
//! removes what the register acknowledged more than 90 days ago and keeps
//! the rest; `audit verify` passes after it, and names a payload removed
//! behind the journal's back with exit 8.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::Counter;
use passport_counter_core::config::{Overrides, Resolved};
use passport_domain::demo;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Three applications the register acknowledged, a fourth never sent.
async fn day(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let c = Counter::start(cfg).await.unwrap();
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let worker = c.clone();
    let worker = tokio::spawn(async move {
        worker
            .run_worker(async {
                rx.await.ok();
            })
            .await;
    });
    c.login("demo-clerk", "demo").await.unwrap();
    let photo = base64(demo::PHOTO_PNG);
    let today = chrono::Local::now().date_naive();
    for i in 1..=3 {
        c.submit_application(
            &demo::adult_draft(i, today),
            Some(&photo),
            &common::adult_biometrics_from_window(),
        )
        .await
        .unwrap();
    }
    c.sync_now();
    let t = Instant::now();
    while c.status().await.queue.acknowledged < 3 {
        assert!(t.elapsed() < Duration::from_secs(30), "not acknowledged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(()).unwrap();
    worker.await.unwrap();
    c.submit_application(
        &demo::adult_draft(4, today),
        Some(&photo),
        &common::adult_biometrics_from_window(),
    )
    .await
    .unwrap();
    c.shutdown().await;
    drop(c);
    data
}

/// Standard base64 with padding (what the screens send a photo as).
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn run(data: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `run` with `password` as the one line of standard input (a
/// supervisor-only command reads it there).
fn run_as(data: &Path, password: &str, args: &[&str]) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `sql` on the journal behind the counter's back, with its key.
fn sqlite(data: &Path, sql: &str) {
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    let key = passport_counter_core::keys::journal_key(&cfg).unwrap();
    tokio::task::block_in_place(|| {
        tokio::runtime::Handle::current().block_on(
            passport_journal::cipher::run_sql_behind_the_journal(
                &cfg.journal_path(),
                Some(&key),
                sql,
            ),
        )
    })
    .unwrap();
}

/// The payload of each entry as `journal export` prints it, in order.
fn payloads(data: &Path) -> Vec<serde_json::Value> {
    let (code, out, err) = run(data, &["journal", "export"]);
    assert_eq!(code, Some(0), "{err}");
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["payload"].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_supervisor_purges_and_the_chains_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let data = day(dir.path()).await;
    sqlite(
        &data,
        "UPDATE journal SET state_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-100 days')
         WHERE seq IN (1, 2, 4)",
    );

    // A clerk: refused by the core, nothing purged.
    let (code, out, err) = run_as(
        &data,
        "demo",
        &["--clerk", "demo-clerk", "journal", "purge"],
    );
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("supervisor"), "{err}");
    assert!(payloads(&data).iter().all(|p| !p.is_null()));

    // A supervisor's dry run: two would go, nothing does.
    let (code, out, err) = run_as(
        &data,
        "demo",
        &[
            "--clerk",
            "demo-supervisor",
            "journal",
            "purge",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["entries"], 2, "{v}");
    assert_eq!(v["retention_days"], 90);
    assert!(payloads(&data).iter().all(|p| !p.is_null()));

    let (code, out, err) = run_as(
        &data,
        "demo",
        &["--clerk", "demo-supervisor", "journal", "purge", "--json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["entries"], 2, "{v}");
    assert_eq!(
        v["kinds"],
        serde_json::json!([{ "kind": "submit_application", "count": 2 }])
    );
    let p = payloads(&data);
    assert_eq!(p.len(), 4);
    assert!(p[0].is_null() && p[1].is_null(), "{p:?}");
    assert!(!p[2].is_null() && !p[3].is_null(), "{p:?}");

    // Text output, again: nothing more to purge.
    let (code, out, err) = run_as(
        &data,
        "demo",
        &["--clerk", "demo-supervisor", "journal", "purge"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("Personal data purged: 0"), "{out}");

    let (code, out, err) = run(&data, &["audit", "verify"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, _) = run(&data, &["audit", "list", "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(out.matches("\"purge\"").count(), 2, "{out}");

    // A payload removed behind the journal's back: no purge record.
    sqlite(&data, "UPDATE journal SET payload = 'null' WHERE seq = 3");
    let (code, out, err) = run(&data, &["audit", "verify"]);
    assert_eq!(code, Some(8), "{out}{err}");
    let all = out + &err;
    assert!(
        all.contains("journal entry 3 (submit_application")
            && all.contains("without a purge record"),
        "{all}"
    );
}
