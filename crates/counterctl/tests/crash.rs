//! Killing `counterctl application submit` at any instant never leaves a
//! half-written application: each run either saved everything or nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use rand::Rng;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// For the biometrics an adult's application needs.
#[allow(dead_code)]
mod common;

fn counterctl(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterctl"));
    for var in [
        "PASSPORT_COUNTER_OFFICE",
        "PASSPORT_COUNTER_WORKSTATION",
        "PASSPORT_COUNTER_CLERK",
    ] {
        c.env_remove(var);
    }
    c.arg("--data-dir").arg(data);
    c
}

fn application(dir: &Path) -> std::path::PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    std::fs::copy(examples.join("photo.png"), dir.join("photo.png")).unwrap();
    std::fs::copy(examples.join("application-adult.json"), dir.join("a.json")).unwrap();
    dir.join("a.json")
}

fn verify(data: &Path) -> (u64, u64) {
    let out = counterctl(data)
        .args(["journal", "verify", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "journal verify failed: {v}");
    (
        v["entries"].as_u64().unwrap(),
        v["applications"].as_u64().unwrap(),
    )
}

/// Polls until the process has run `at`, then kills it (SIGKILL) by its pid.
fn kill_after(child: &mut std::process::Child, at: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < at {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().is_ok() && child.wait().unwrap().code().is_none()
}

#[test]
fn a_kill_inside_the_transaction_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = application(dir.path());
    let bio = common::adult_biometrics(dir.path());
    // Warm up: create the database so the kill lands in the action itself.
    assert!(
        counterctl(&data)
            .arg("status")
            .output()
            .unwrap()
            .status
            .success()
    );
    let mut child = counterctl(&data)
        .env("PASSPORT_COUNTER_CRASH_PAUSE_MS", "3000")
        .args(["application", "submit"])
        .arg(&file)
        .args(&bio)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Start-up and validation take milliseconds; at 1.5 s the transaction
    // has written everything and waits before its commit.
    assert!(
        kill_after(&mut child, Duration::from_millis(1500)),
        "the process ended before it was killed"
    );
    assert_eq!(verify(&data), (0, 0));
    // The rolled-back number is assigned to the next application.
    let out = counterctl(&data)
        .args(["application", "submit"])
        .arg(&file)
        .args(&bio)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .trim_end()
            .ends_with(char::is_numeric)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("DEMO-01-000001-"));
    assert_eq!(verify(&data), (1, 1));
}

#[test]
fn kills_at_random_instants_leave_a_consistent_journal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = application(dir.path());
    let bio = common::adult_biometrics(dir.path());
    assert!(
        counterctl(&data)
            .arg("status")
            .output()
            .unwrap()
            .status
            .success()
    );
    let mut rng = rand::rng();
    let (mut killed, mut finished) = (0, 0);
    let mut printed = Vec::new();
    // How long a submit takes on this machine right now (it varies tenfold
    // with the load of the other tests): the kill window spans it, so that
    // kills at every stage and finished runs both happen.
    let took = (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            let out = counterctl(&data)
                .env("PASSPORT_COUNTER_CRASH_PAUSE_MS", "20")
                .args(["application", "submit"])
                .arg(&file)
                .args(&bio)
                .output()
                .unwrap();
            assert!(out.status.success());
            printed.push(
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .to_owned(),
            );
            t.elapsed()
        })
        .max()
        .unwrap();
    let window = u64::try_from(took.as_micros()).unwrap() * 2;
    for _ in 0..50 {
        let mut child = counterctl(&data)
            .env("PASSPORT_COUNTER_CRASH_PAUSE_MS", "20")
            .args(["application", "submit"])
            .arg(&file)
            .args(&bio)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let at = Duration::from_micros(rng.random_range(0..window));
        if kill_after(&mut child, at) {
            killed += 1;
        } else {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                finished += 1;
                printed.push(
                    String::from_utf8_lossy(&out.stdout)
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
        // After every kill the journal is whole, and entries match applications.
        let (entries, apps) = verify(&data);
        assert_eq!(entries, apps);
    }
    let (entries, _) = verify(&data);
    // Every number that was printed is saved; a killed run saved at most its one.
    assert!(entries as usize >= printed.len());
    assert!(entries as usize <= printed.len() + killed);
    for n in &printed {
        let o = counterctl(&data)
            .args(["application", "show", n])
            .output()
            .unwrap();
        assert!(o.status.success(), "{n} was printed but is not saved");
    }
    assert!(
        killed >= 10 && finished >= 5,
        "kills {killed}, finished {finished}: widen the window"
    );
}
