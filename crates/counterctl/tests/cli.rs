//! counterctl as office IT runs it: the real binary, real SQLite files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

fn bin() -> Command {
    common::counterctl()
}

fn run(data: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// Runs `sql` on the journal in `data` behind counterctl's back, with the
/// key counterctl uses.
fn tamper(data: &Path, sql: &str) {
    use passport_counter_core::config::{Overrides, Resolved};
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    let key = passport_counter_core::keys::journal_key(&cfg).unwrap();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(passport_journal::cipher::run_sql_behind_the_journal(
            &cfg.journal_path(),
            Some(&key),
            sql,
        ))
        .unwrap();
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

/// Writes an application file next to a copy of the example photo.
fn application_file(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    std::fs::copy(examples().join("photo.png"), dir.join("photo.png")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("application-adult.json")).unwrap(),
    )
    .unwrap();
    edit(&mut v);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

#[test]
fn pesel_check_exit_codes_and_output() {
    let d = tempfile::tempdir().unwrap();
    let ok = run(d.path(), &["pesel", "check", "44051401359", "--lang", "en"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(
        stdout(&ok).contains("1944-05-14") && stdout(&ok).contains("male"),
        "{}",
        stdout(&ok)
    );
    let bad = run(d.path(), &["pesel", "check", "44051401358", "--lang", "en"]);
    assert_eq!(bad.status.code(), Some(1));
    // Sent to the document, never told the digit that would fit (typing
    // it in makes somebody else's valid PESEL).
    assert!(
        stdout(&bad).contains("Wrong PESEL")
            && stdout(&bad).contains("compare digit by digit with the document")
            && !stdout(&bad).contains('9'),
        "{}",
        stdout(&bad)
    );
    let json = run(d.path(), &["pesel", "check", "4405140135", "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["errors"][0]["code"], "pesel.length");
}

#[test]
fn mrz_check_names_each_failing_field() {
    let d = tempfile::tempdir().unwrap();
    let l1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    let ok = run(
        d.path(),
        &[
            "mrz",
            "check",
            l1,
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ],
    );
    assert_eq!(ok.status.code(), Some(0));
    assert!(stdout(&ok).contains("ERIKSSON") && stdout(&ok).contains("1974-08-12"));
    let bad = run(
        d.path(),
        &[
            "mrz",
            "check",
            l1,
            "L898902C36UTO7408123F1204150ZE184226B<<<<<10",
            "--json",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    let paths: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["birth_date", "expiry_date", "composite"]);
}

#[test]
fn submit_list_show_export_verify() {
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    let file = application_file(d.path(), "a.json", |_| {});
    let bio = common::adult_biometrics(d.path());
    let submit: Vec<&str> = ["application", "submit", file.to_str().unwrap()]
        .into_iter()
        .chain(bio.iter().map(String::as_str))
        .collect();
    let out = run(&data, &submit);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let number = stdout(&out).lines().last().unwrap().to_owned();
    assert!(number.starts_with("DEMO-01-000001-"), "{number}");
    assert!(stdout(&out).contains("DEMO"));

    let list = run(
        &data,
        &["application", "list", "--surname", "zolk", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v[0]["number"], number.as_str());
    assert_eq!(v[0]["sync_state"], "pending");

    let show = run(
        &data,
        &["application", "show", &number.to_lowercase(), "--json"],
    );
    assert_eq!(show.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["data"]["applicant"]["surname"], "Żółkiewska-Łęcka");
    let mistyped = number.replace("000001", "000010");
    assert_eq!(
        run(&data, &["application", "show", &mistyped])
            .status
            .code(),
        Some(2)
    );

    let status = run(&data, &["status", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        (v["demo"].as_bool(), v["queue"]["depth"].as_i64()),
        (Some(true), Some(1))
    );

    run(&data, &submit);
    let export = run(&data, &["journal", "export"]);
    let lines: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["seq"].as_i64(), lines[1]["seq"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(run(&data, &["journal", "verify"]).status.code(), Some(0));

    // Alter an entry behind the journal's back: verify must notice.
    // The file is encrypted: the edit is made with the journal's key, as
    // someone who had the key file too would.
    tamper(
        &data,
        "UPDATE journal SET clerk_id = 'mallory' WHERE seq = 1",
    );
    let verify = run(&data, &["journal", "verify"]);
    // 8: a hash chain is broken (1 is any other inconsistency).
    assert_eq!(verify.status.code(), Some(8));
    assert!(stdout(&verify).contains("entry 1"), "{}", stdout(&verify));
}

#[test]
fn invalid_application_lists_every_error_and_saves_nothing() {
    let d = tempfile::tempdir().unwrap();
    let file = application_file(d.path(), "bad.json", |v| {
        v["applicant"]["pesel"] = "85022812346".into();
        v["applicant"]["surname"] = "Kowal5ka".into();
        v["applicant"]["birth_date"] = "1985-13-01".into();
        v["photo"] = "missing.jpg".into();
    });
    let out = run(
        d.path(),
        &[
            "--lang",
            "en",
            "application",
            "submit",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for expected in [
        "applicant.pesel",
        "applicant.surname",
        "applicant.birth_date",
        "photo: Cannot read the photo file missing.jpg",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    let status = run(d.path(), &["status", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(v["queue"]["depth"], 0);

    let not_json = d.path().join("x.json");
    std::fs::write(&not_json, "{ \"kind\": \"passport\", \"aplicant\": {} }").unwrap();
    let out = run(
        d.path(),
        &["application", "submit", not_json.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("aplicant"), "{}", stderr(&out));
}

#[test]
fn settings_come_from_flag_then_environment_then_file() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("config.toml"),
        "office = \"FILE\"\nworkstation = \"07\"\nclerk = \"anna\"\n",
    )
    .unwrap();
    let show = |extra_env: Option<(&str, &str)>, args: &[&str]| {
        let mut c = bin();
        c.arg("--data-dir")
            .arg(d.path())
            .args(args)
            .args(["config", "show", "--json"]);
        if let Some((k, v)) = extra_env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let v = show(None, &[]);
    assert_eq!(
        (
            v["office"]["value"].as_str(),
            v["office"]["source"].as_str(),
            v["demo"].as_bool()
        ),
        (Some("FILE"), Some("config_file"), Some(false))
    );
    let v = show(Some(("PASSPORT_COUNTER_OFFICE", "ENVO")), &[]);
    assert_eq!(v["office"]["source"], "environment");
    let v = show(
        Some(("PASSPORT_COUNTER_OFFICE", "ENVO")),
        &["--office", "FLAG"],
    );
    assert_eq!(
        (
            v["office"]["value"].as_str(),
            v["office"]["source"].as_str()
        ),
        (Some("FLAG"), Some("flag"))
    );

    // A journal belongs to one workstation: reusing it for another is a configuration error.
    let o = run(d.path(), &["status"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{:?} {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    // Refused, never a crash: a journal refused at open closes its pool
    // before the process exits (it once died by SIGSEGV more than 1 run in
    // 3 here, so it is asked several times).
    for _ in 0..8 {
        let o = run(d.path(), &["--workstation", "08", "status"]);
        assert_eq!(
            o.status.code(),
            Some(5),
            "{:?} {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(
        run(d.path(), &["--workstation", "08", "status"])
            .status
            .code(),
        Some(5)
    );
    assert_eq!(
        run(d.path(), &["--office", "x", "status"]).status.code(),
        Some(5)
    );
}

#[test]
fn help_is_a_manual() {
    let out = bin().arg("--help").output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("Exit codes") && text.contains("PASSPORT_COUNTER_DATA"),
        "{text}"
    );
    for sub in [
        &["application", "submit", "--help"][..],
        &["journal", "verify", "--help"],
        &["mrz", "check", "--help"],
    ] {
        let o = bin().args(sub).output().unwrap();
        assert!(stdout(&o).contains("Example"), "{sub:?}");
    }
    assert_eq!(
        bin().args(["pesel"]).output().unwrap().status.code(),
        Some(2)
    );
}
