//! counterctl given hostile input: files that are not files, photos that
//! are not photos, text that drives the terminal. Each test is a finding
//! that failed before its fix.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

fn run(data: &Path, args: &[&str]) -> Output {
    common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs with a deadline: a command that hangs (a FIFO) is killed and the
/// test fails instead of hanging too.
fn run_within(data: &Path, args: &[&str], limit: Duration) -> Output {
    let mut cmd: Command = common::counterctl();
    let child = cmd
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()).ok());
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // Only the child this test started, by its id.
            Command::new("kill")
                .args(["-9", &id.to_string()])
                .status()
                .ok();
            panic!(
                "counterctl {args:?} still running after {:?}",
                started.elapsed()
            );
        }
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples")
}

/// The example adult application in `dir`, its photo field set to `photo`.
fn application(dir: &Path, photo: &str) -> PathBuf {
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("application-adult.json")).unwrap(),
    )
    .unwrap();
    v["photo"] = photo.into();
    let path = dir.join("application.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

fn queue_depth(data: &Path) -> serde_json::Value {
    let status = run(data, &["status", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    v["queue"]["depth"].clone()
}

#[test]
fn pesel_check_escapes_what_it_echoes() {
    // Before: `counterctl pesel check $'\e[2J12345'` printed the ESC raw,
    // and the terminal cleared the screen.
    let d = tempfile::tempdir().unwrap();
    let out = run(
        d.path(),
        &["pesel", "check", "\u{1b}[2J1\u{202e}2", "--lang", "en"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}[2J1\\u{202e}2"), "{text:?}");
}

#[test]
fn mrz_check_escapes_what_it_echoes() {
    let d = tempfile::tempdir().unwrap();
    let line = format!("P<POL\u{1b}]0;pwned\u{7}{}", "<".repeat(36));
    let out = run(d.path(), &["mrz", "check", &line, &line, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
}

#[cfg(unix)]
#[test]
fn an_application_file_at_dev_zero_is_refused_at_once() {
    // Before: read until memory ran out.
    let d = tempfile::tempdir().unwrap();
    let out = run_within(
        d.path(),
        &["--lang", "en", "application", "submit", "/dev/zero"],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/dev/zero is not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn an_application_file_that_is_a_fifo_does_not_hang() {
    // Before: blocked for ever waiting for a writer.
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("application.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = run_within(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            fifo.to_str().unwrap(),
        ],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("named pipe"), "{}", stderr(&out));
}

#[test]
fn an_oversize_application_file_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("application.json");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(50 << 20).unwrap();
    drop(f);
    let out = run(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("too large"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn photos_that_are_not_files_or_too_large_are_refused_unread() {
    let d = tempfile::tempdir().unwrap();
    // A photo at /dev/zero: before, read until memory ran out.
    let app = application(d.path(), "/dev/zero");
    let out = run_within(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            app.to_str().unwrap(),
        ],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("photo.unreadable"),
        "{}",
        stderr(&out)
    );
    // A 200 MB photo: before, read whole and only then refused.
    let big = d.path().join("big.jpg");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200 << 20)
        .unwrap();
    let app = application(d.path(), "big.jpg");
    let out = run(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            app.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("too large"), "{}", stderr(&out));
    assert_eq!(queue_depth(d.path()), 0);
}

#[test]
fn a_truncated_photo_is_not_saved() {
    // Before: a 12-byte "JPEG" (SOI + a frame header declaring 700×900)
    // passed the header check and was saved with the application.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("photo.jpg"),
        [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x03, 0x84, 0x02, 0xBC, 0x08,
        ],
    )
    .unwrap();
    let app = application(d.path(), "photo.jpg");
    let out = run(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            app.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("photo.corrupt"), "{}", stderr(&out));
    assert_eq!(queue_depth(d.path()), 0);
}

#[test]
fn invisible_characters_in_an_application_file_are_refused() {
    // Before: a street with a bidi override and an e-mail with a
    // zero-width space were saved and sent to the register.
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(examples().join("photo.png"), d.path().join("photo.png")).unwrap();
    let app = application(d.path(), "photo.png");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&app).unwrap()).unwrap();
    v["applicant"]["address"]["street"] = "Piotr\u{202e}kowska".into();
    v["applicant"]["contact"] = serde_json::json!({ "email": "jan\u{200b}@example.pl" });
    std::fs::write(&app, serde_json::to_string(&v).unwrap()).unwrap();
    let out = run(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            app.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for path in ["applicant.address.street", "applicant.contact.email"] {
        assert!(
            err.contains(&format!("{path}: ")) && err.contains("text.invisible_characters"),
            "{err}"
        );
    }
    assert_eq!(queue_depth(d.path()), 0);
}
