//! Numbers from outside are hostile: `sync`'s flags, the register's
//! `Retry-After`, and `--timeout` as a hard bound. The real counterctl
//! binary against the register simulator on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use passport_register_sim::{Faults, SimConfig, SimHandle, spawn};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

mod common;

fn run(data: &Path, args: &[&str]) -> Output {
    common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Before: `--recovery-window 1e30`, `inf`, `NaN` or `-1` panicked in
/// `Duration::from_secs_f64` and `--timeout 18446744073709551615` in
/// `Instant + Duration` (exit 101). Now each is a usage error (exit 2)
/// naming the range, before anything is opened.
#[test]
fn out_of_range_sync_flags_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    for args in [
        ["--recovery-window", "1e30"],
        ["--recovery-window", "inf"],
        ["--recovery-window", "NaN"],
        ["--recovery-window=-1", "--recovery-window"],
        ["--recovery-window", "3600.5"],
        ["--recovery-window", "soon"],
        ["--timeout", "18446744073709551615"],
        ["--timeout", "99999999999999999999999"],
        ["--timeout", "0"],
        ["--timeout", "86401"],
        ["--timeout=-5", "--timeout"],
        ["--timeout", "1.5"],
    ] {
        let mut all = vec!["--register", "http://127.0.0.1:9", "sync"];
        // `--flag=-1` reaches the parser; `--flag -1` is refused as an unknown flag.
        all.extend(if args[0].contains('=') {
            &args[..1]
        } else {
            &args[..]
        });
        let o = run(d.path(), &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        let flag = args[0].split('=').next().unwrap();
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    // The edges are accepted (parsing only: --help stops before running).
    for args in [
        ["--recovery-window", "3600"],
        ["--recovery-window", "0.25"],
        ["--timeout", "86400"],
        ["--timeout", "1"],
    ] {
        let o = run(d.path(), &["sync", args[0], args[1], "--help"]);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
    }
}

/// Before: `auto_lock_minutes = 4294967295` or `max_pending = 0` loaded as
/// they stood. Now a number out of range in config.toml stops every command
/// with exit 5, naming the setting, the file and the allowed range; an
/// unreadable value names the file.
#[test]
fn config_numbers_are_range_checked_by_name() {
    for (toml, needle) in [
        (
            "[policy]\nauto_lock_minutes = 4294967295\n",
            "policy.auto_lock_minutes",
        ),
        ("[policy]\nmax_pending = 0\n", "1 to 100000"),
        (
            "[policy]\nrecovery_window_secs = 86400\n",
            "policy.recovery_window_secs",
        ),
        ("[policy]\nhealth_probe_secs = -1\n", "health_probe_secs"),
        ("[policy]\nmax_pending = 1e30\n", "max_pending"),
    ] {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("config.toml"), toml).unwrap();
        let o = run(d.path(), &["status"]);
        assert_eq!(o.status.code(), Some(5), "{toml}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{toml}: {err}");
        assert!(err.contains("config.toml"), "{toml}: {err}");
    }
}

/// The simulator's shares are probabilities and its latency is bounded:
/// refused (exit 2) before it listens.
#[test]
fn register_sim_numbers_are_range_checked() {
    let d = tempfile::tempdir().unwrap();
    for args in [
        ["--error-rate", "NaN"],
        ["--error-rate=-0.5", ""],
        ["--drop-after-commit", "1.5"],
        ["--malformed-rate", "inf"],
        ["--latency-ms", "18446744073709551615"],
    ] {
        let mut all = vec!["register-sim", "--listen", "127.0.0.1:0"];
        all.extend(args.iter().filter(|a| !a.is_empty()));
        let o = run(d.path(), &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let flag = args[0].split('=').next().unwrap();
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(flag),
            "{}",
            text(&o)
        );
    }
}

async fn sim(faults: Faults) -> SimHandle {
    spawn(
        "127.0.0.1:0",
        SimConfig {
            faults,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

async fn set_faults(s: &SimHandle, patch: serde_json::Value) {
    reqwest::Client::new()
        .post(format!("{}/admin/faults", s.url()))
        .json(&patch)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

async fn stats(s: &SimHandle) -> serde_json::Value {
    reqwest::get(format!("{}/admin/stats", s.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A valid PESEL of a woman born on 1985-02-28, `n` making it unique.
fn pesel(n: u32) -> String {
    let head = format!("850228{:03}{}", n % 1000, (n / 1000 % 5) * 2);
    let sum: u32 = head
        .bytes()
        .zip([1, 3, 7, 9, 1, 3, 7, 9, 1, 3])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{head}{}", (10 - sum % 10) % 10)
}

/// Saves `n` applications (different applicants) through `application submit`.
fn submit(data: &Path, n: u32) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let dir = data.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(examples.join("photo.png"), dir.join("photo.png")).unwrap();
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(examples.join("application-adult.json")).unwrap(),
    )
    .unwrap();
    for i in 0..n {
        let mut v = template.clone();
        v["applicant"]["pesel"] = pesel(i + 1).into();
        v.as_object_mut().unwrap().remove("previous_passport");
        let file: PathBuf = dir.join(format!("app-{i}.json"));
        std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
        let bio = common::adult_biometrics(&dir);
        let args: Vec<&str> = ["application", "submit", file.to_str().unwrap()]
            .into_iter()
            .chain(bio.iter().map(String::as_str))
            .collect();
        let o = run(data, &args);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
}

fn queue(data: &Path) -> serde_json::Value {
    let o = run(data, &["status", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["queue"].clone()
}

/// Before: a 503 with `Retry-After: 18446744073709551615` made `sync` and
/// `status` panic (exit 101); `9999999999` parked the breaker for centuries.
/// Now sync stops as offline (exit 6) at once, status reports offline, and
/// the 503 counts as contact with the register.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_retry_after_neither_panics_nor_parks() {
    for retry_after in [u64::MAX, 9_999_999_999] {
        let s = sim(Faults {
            outage: true,
            retry_after_secs: retry_after,
            ..Faults::default()
        })
        .await;
        let d = tempfile::tempdir().unwrap();
        let data = d.path().to_path_buf();
        let url = s.url();
        let (sync, status) = tokio::task::spawn_blocking(move || {
            submit(&data, 1);
            let start = Instant::now();
            let sync = run(&data, &["--register", &url, "sync", "--timeout", "60"]);
            assert!(start.elapsed() < Duration::from_secs(30), "{}", text(&sync));
            let status = run(&data, &["--register", &url, "status", "--json"]);
            (sync, status)
        })
        .await
        .unwrap();
        assert_eq!(sync.status.code(), Some(6), "{}", text(&sync));
        assert_eq!(status.status.code(), Some(0), "{}", text(&status));
        let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        assert!(
            v["connection"].as_str().unwrap().starts_with("offline"),
            "{v}"
        );
        // A 503 is an answer but not a working register: the last
        // successful contact stays unknown (this counter never had one).
        assert!(
            v["queue"]["last_register_contact"].is_null(),
            "a 503 is not a successful contact: {v}"
        );
        assert_eq!(v["queue"]["depth"], 1, "{v}");
        s.stop().await.unwrap();
    }
}

/// Before: `--timeout` was checked only between requests, so a slow
/// register held `sync` for as long as its answer took. Now it is a hard
/// bound: the request in flight is cancelled at the deadline (exit 6), and
/// a clean sync afterwards delivers every action exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_is_a_hard_bound_and_the_resend_is_exactly_once() {
    const ACTIONS: u32 = 5;
    // Each answer takes 2 s. A round opens with the chain heads (GET, then
    // PUT: ~4 s); the first action is acknowledged at ~6 s, the second is
    // on the wire when the 7 s timeout expires (it would answer at ~8 s).
    let s = sim(Faults {
        latency_ms: 2000,
        ..Faults::default()
    })
    .await;
    let d = tempfile::tempdir().unwrap();
    let data = d.path().to_path_buf();
    let url = s.url();
    let (o, elapsed) = tokio::task::spawn_blocking({
        let data = data.clone();
        let url = url.clone();
        move || {
            submit(&data, ACTIONS);
            let start = Instant::now();
            let o = run(
                &data,
                &["--register", &url, "sync", "--timeout", "7", "--json"],
            );
            (o, start.elapsed())
        }
    })
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(6), "{}", text(&o));
    assert!(
        elapsed < Duration::from_millis(7800),
        "the request in flight was not cancelled: {elapsed:?}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["report"]["end"], "timed_out", "{v}");
    let st = stats(&s).await;
    let stored = st["applications"].as_u64().unwrap();
    assert!(
        (1..u64::from(ACTIONS)).contains(&stored),
        "timed out mid-drain: {st}"
    );

    let q = tokio::task::spawn_blocking({
        let data = data.clone();
        move || queue(&data)
    })
    .await
    .unwrap();
    assert_eq!(q["in_flight"], 0, "nothing is left marked in flight: {q}");
    // The engine records verdicts a batch at a time, so an acknowledgement
    // received before the cancel may not be recorded: such an entry is
    // resent, and the register replays it. Nothing delivered is lost.
    let depth = q["depth"].as_u64().unwrap();
    assert!(
        (u64::from(ACTIONS) - stored..=u64::from(ACTIONS)).contains(&depth),
        "{q}"
    );

    set_faults(&s, serde_json::json!({ "latency_ms": 0 })).await;
    let o = tokio::task::spawn_blocking({
        let data = data.clone();
        move || run(&data, &["--register", &url, "sync", "--timeout", "60"])
    })
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let st = stats(&s).await;
    assert_eq!(st["applications"], ACTIONS, "every action once: {st}");
    assert_eq!(st["duplicate_attempts"], 0, "{st}");
    let q = tokio::task::spawn_blocking(move || queue(&data))
        .await
        .unwrap();
    assert_eq!(q["depth"], 0, "{q}");
    s.stop().await.unwrap();
}
