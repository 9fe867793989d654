//! The journal key as office IT meets it: the journal is encrypted with a
//! key kept outside the data directory; its recovery code is printed once;
//! a lost key is a distinct exit code with what to do, never a new empty
//! journal; the code re-creates the key and every queued action is there.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples")
}

fn run(data: &Path, key_file: &Path, args: &[&str]) -> Output {
    common::counterctl()
        .env("PASSPORT_COUNTER_KEY_FILE", key_file)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_lost_key_is_refused_with_exit_8_and_the_recovery_code_brings_every_entry_back() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let key_file = d.path().join("config/journal.key");
    std::fs::copy(examples().join("photo.png"), d.path().join("photo.png")).unwrap();
    let app = d.path().join("app.json");
    std::fs::copy(examples().join("application-adult.json"), &app).unwrap();

    let bio = common::adult_biometrics(d.path());
    let args: Vec<&str> = ["application", "submit", app.to_str().unwrap()]
        .into_iter()
        .chain(bio.iter().map(String::as_str))
        .collect();
    let submit = run(&data, &key_file, &args);
    assert_eq!(submit.status.code(), Some(0), "{}", text(&submit));
    assert!(key_file.is_file());
    let before = run(&data, &key_file, &["journal", "export"]);
    assert_eq!(before.status.code(), Some(0), "{}", text(&before));
    assert_eq!(String::from_utf8_lossy(&before.stdout).lines().count(), 1);

    // The journal is not readable without the key: no schema, no rows.
    let db = data.join("demo.db");
    let sqlite = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT COUNT(*) FROM journal")
        .output()
        .unwrap();
    assert!(!sqlite.status.success(), "{}", text(&sqlite));

    // Until a supervisor takes the recovery code, status says so.
    let status = run(&data, &key_file, &["status"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(text(&status).contains("RECOVERY CODE"), "{}", text(&status));

    // The recovery code is printed once.
    let shown = run(&data, &key_file, &["key", "recovery-code"]);
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown));
    let code = String::from_utf8_lossy(&shown.stdout)
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 29 && l.matches('-').count() == 5)
        .unwrap()
        .to_string();
    let status = run(&data, &key_file, &["status"]);
    assert!(
        !text(&status).contains("RECOVERY CODE"),
        "{}",
        text(&status)
    );
    let again = run(&data, &key_file, &["key", "recovery-code"]);
    assert_eq!(again.status.code(), Some(9), "{}", text(&again));
    assert!(
        text(&again).contains("cannot be shown again"),
        "{}",
        text(&again)
    );

    // The machine is reinstalled: the key file is gone. Never silent, never
    // a new key over the old journal.
    std::fs::remove_dir_all(d.path().join("config")).unwrap();
    let lost = run(&data, &key_file, &["journal", "export"]);
    assert_eq!(lost.status.code(), Some(9), "{}", text(&lost));
    assert!(
        text(&lost).contains("counterctl key recover"),
        "{}",
        text(&lost)
    );
    assert!(text(&lost).contains("Brak klucza"), "{}", text(&lost));
    assert!(!key_file.exists(), "no new key was made");

    // A wrong code is refused and writes nothing.
    let wrong = run(
        &data,
        &key_file,
        &["key", "recover", "--code", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"],
    );
    assert_eq!(wrong.status.code(), Some(9), "{}", text(&wrong));
    assert!(!key_file.exists());
    let typo = run(
        &data,
        &key_file,
        &["key", "recover", "--code", "not a code"],
    );
    assert_eq!(typo.status.code(), Some(2), "{}", text(&typo));

    // The right one, typed loosely, brings the key and every entry back.
    let typed = code.to_lowercase().replace('-', " ");
    let recovered = run(&data, &key_file, &["key", "recover", "--code", &typed]);
    assert_eq!(recovered.status.code(), Some(0), "{}", text(&recovered));
    let after = run(&data, &key_file, &["journal", "export"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));
    assert_eq!(after.stdout, before.stdout);
    let verify = run(&data, &key_file, &["journal", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    let status = run(&data, &key_file, &["status", "--json"]);
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
}

#[test]
fn a_key_file_inside_the_data_directory_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let o = run(&data, &data.join("journal.key"), &["status"]);
    assert_eq!(o.status.code(), Some(5), "{}", text(&o));
    assert!(
        text(&o).contains("outside the data directory"),
        "{}",
        text(&o)
    );
}
