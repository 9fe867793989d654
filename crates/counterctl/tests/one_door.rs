//! counterctl writes through the same door as the app: the office's intake
//! caps and the clerk-identifier rule apply to scripted intake too.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

fn run(data: &Path, args: &[&str]) -> Output {
    common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn application(dir: &Path) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    std::fs::copy(examples.join("photo.png"), dir.join("photo.png")).unwrap();
    std::fs::copy(examples.join("application-adult.json"), dir.join("a.json")).unwrap();
    dir.join("a.json")
}

#[test]
fn scripted_intake_stops_at_the_same_cap_as_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("config.toml"), "[policy]\nmax_pending = 2\n").unwrap();
    let file = application(dir.path());
    let file = file.to_str().unwrap();
    let bio = common::adult_biometrics(dir.path());
    let with_bio = |head: &[&str]| -> Vec<String> {
        head.iter()
            .map(|s| (*s).to_owned())
            .chain(bio.iter().cloned())
            .collect()
    };
    for _ in 0..2 {
        let args = with_bio(&["--clerk", "clerk-1", "application", "submit", file]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&data, &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // Nothing was sent (no register): the third is over the cap, as in the app.
    let args = with_bio(&["--clerk", "clerk-1", "application", "submit", file]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&data, &args);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Przyjmowanie wniosków wstrzymane"), "{err}");
    let list = run(&data, &["application", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2, "the third was not saved");
}

#[test]
fn a_clerk_identifier_is_an_account_identifier() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = application(dir.path());
    let file = file.to_str().unwrap();
    let long = "x".repeat(100_000);
    let bio = common::adult_biometrics(dir.path());
    for clerk in [
        "clerk\nforged line",
        "\u{1b}[31mred",
        long.as_str(),
        "anna kowalska",
    ] {
        let args: Vec<&str> = ["--clerk", clerk, "application", "submit", file]
            .into_iter()
            .chain(bio.iter().map(String::as_str))
            .collect();
        let o = run(&data, &args);
        assert_eq!(o.status.code(), Some(2), "{clerk:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("clerk identifier"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let args: Vec<&str> = [
        "--clerk",
        "anna.kowalska@waw1",
        "application",
        "submit",
        file,
    ]
    .into_iter()
    .chain(bio.iter().map(String::as_str))
    .collect();
    let o = run(&data, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn readers_and_writers_opening_a_fresh_directory_at_once_all_succeed() {
    // Read-only commands used to open the file before the first opener had
    // created its tables ("no such table: workstation").
    for _ in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let children: Vec<_> = (0..6)
            .map(|i| {
                let mut c = common::counterctl();
                c.arg("--data-dir").arg(&data);
                if i % 2 == 0 {
                    c.arg("status");
                } else {
                    c.args(["journal", "verify"]);
                }
                c.stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
}

/// `application submit` confirms who acts as the app's log-in does: an
/// account the register knows and has open, or — while it does not answer —
/// one it confirmed at this counter before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_intake_confirms_the_clerk_with_the_register() {
    use passport_register_sim::{Faults, SimConfig, spawn};
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
    let data = dir.path().join("data");
    let file = application(dir.path());
    let bio = common::adult_biometrics(dir.path());
    let submit = |clerk: &'static str| {
        let (data, file, url, bio) = (data.clone(), file.clone(), url.clone(), bio.clone());
        tokio::task::spawn_blocking(move || {
            common::counterctl()
                .arg("--data-dir")
                .arg(&data)
                .args([
                    "--register",
                    &url,
                    "--clerk",
                    clerk,
                    "application",
                    "submit",
                ])
                .arg(&file)
                .args(&bio)
                .output()
                .unwrap()
        })
    };
    let faults = |patch: serde_json::Value| {
        let url = url.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{url}/admin/faults"))
                .json(&patch)
                .send()
                .await
                .unwrap();
        }
    };
    // Unknown to the register: refused, nothing saved.
    let o = submit("nobody").await.unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("nie zna otwartego konta"));
    // Known and open: saved (and confirmed here for later).
    let o = submit("demo-clerk").await.unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The register down: the clerk confirmed here before may go on; one
    // never confirmed here may not.
    faults(serde_json::json!({"outage": true})).await;
    let o = submit("demo-clerk").await.unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = submit("demo-supervisor").await.unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Back, and the account closed: refused at once.
    faults(serde_json::json!({"outage": false, "closed_clerks": ["demo-clerk"]})).await;
    let o = submit("demo-clerk").await.unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let _ = Faults::default();
    sim.stop().await.unwrap();
}
