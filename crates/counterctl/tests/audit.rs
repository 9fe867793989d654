//! `counterctl audit verify` (and `journal verify`, the same check) on a
//! data directory the core wrote in the app's way: log-ins and a refused
//! one in the audit chain; a row edited, deleted, inserted or moved behind
//! the journal's back (with its key: the file is encrypted) is named, and
//! the exit code is 8.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{CoreError, Counter};
use std::path::{Path, PathBuf};

/// A demo counter's data directory: a refused log-in, two log-ins.
/// Audit rows: 1 refused, 2 log-in, 3 log-in.
async fn day(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    // The key file named in config.toml, so the copies of the data
    // directory below (config.toml with them) open with the same key.
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("config.toml"),
        format!(
            "[security]\nkey_file = {:?}\n",
            dir.join("keys/journal.key").display().to_string()
        ),
    )
    .unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    let r = counter.login("demo-clerk", "guess").await;
    assert!(matches!(r, Err(CoreError::BadCredentials)), "{r:?}");
    counter.login("demo-clerk", "demo").await.unwrap();
    counter.login("demo-clerk", "demo").await.unwrap();
    counter.shutdown().await;
    drop(counter);
    data
}

fn run(data: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap() + &String::from_utf8_lossy(&o.stderr),
    )
}

/// Runs `sql` on the journal behind the counter's back, as the sqlite3
/// command line would, with the journal's key (the file is encrypted).
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_each_tampered_row_and_exits_8() {
    let dir = tempfile::tempdir().unwrap();
    let data = day(dir.path()).await;

    let (code, out) = run(&data, &["audit", "verify"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("3 audit rows"), "{out}");
    let (code, out) = run(&data, &["audit", "list", "--json"]);
    assert_eq!(code, Some(0), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<_> = v["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("log_in_refused".to_owned(), "register_refused".to_owned()),
            ("log_in".to_owned(), "password_online".to_owned()),
            ("log_in".to_owned(), "password_online".to_owned()),
        ]
    );

    // Each tampering on its own copy of the day.
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "edited",
            "UPDATE audit_log SET detail = 'password_offline' WHERE seq = 2;",
            &["audit_log row 2 (log_in by demo-clerk", "its contents were edited"],
        ),
        (
            "deleted",
            "DELETE FROM audit_log WHERE seq = 1;",
            &["audit_log rows 1–1 are missing (deleted)", "audit_log row 2"],
        ),
        (
            "inserted",
            "INSERT INTO audit_log (seq, kind, actor, record_key, office_code, workstation_id, at, detail, entry_hash)
             VALUES (4, 'log_in', 'demo-super', '', 'DEMO', '01', '2026-11-29T09:00:00.000Z', 'password_online',
                     (SELECT entry_hash FROM audit_log WHERE seq = 3));",
            &["audit_log row 4 (log_in by demo-super"],
        ),
        (
            "reordered",
            "UPDATE audit_log SET seq = -1 WHERE seq = 1;
             UPDATE audit_log SET seq = 1 WHERE seq = 2;
             UPDATE audit_log SET seq = 2 WHERE seq = -1;",
            &["audit_log row 1 (log_in by demo-clerk", "rows were reordered"],
        ),
    ];
    for (name, sql, expected) in cases {
        let copy = dir.path().join(name);
        let status = std::process::Command::new("cp")
            .arg("-a")
            .arg(&data)
            .arg(&copy)
            .status()
            .unwrap();
        assert!(status.success());
        sqlite(&copy, sql);
        for command in [["audit", "verify"], ["journal", "verify"]] {
            let (code, out) = run(&copy, &command);
            assert_eq!(code, Some(8), "{name}, {command:?}: {out}");
            for what in expected {
                assert!(out.contains(what), "{name}: no {what:?} in {out}");
            }
        }
        let (code, out) = run(&copy, &["audit", "verify", "--json"]);
        assert_eq!(code, Some(8), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["chain_broken"], true, "{v}");
    }
}
