//! `counterctl logs`: what counterctl's own commands logged, shown and
//! exported, filtered by time; `-v` copies the log to stderr; exit codes
//! 0, 2 and 4. The real binary on a temporary data directory.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;
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

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn commands_are_logged_and_shown_exported_and_filtered() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("config.toml"), "[logs]\nlevel = \"debug\"\n").unwrap();

    let status = run(&data, &["status"]);
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    // Without -v, nothing of the log on stderr.
    assert!(!String::from_utf8_lossy(&status.stderr).contains("counterctl started"));
    let verbose = run(&data, &["-v", "config", "show"]);
    assert_eq!(verbose.status.code(), Some(0), "{verbose:?}");
    assert!(
        String::from_utf8_lossy(&verbose.stderr).contains("counterctl started"),
        "{verbose:?}"
    );

    let logs = run(&data, &["logs"]);
    assert_eq!(logs.status.code(), Some(0), "{logs:?}");
    let text = out(&logs);
    for expected in [
        "counterctl started command=\"status\"",
        "counterctl finished command=\"status\" exit=Ok",
        "command=\"config\"",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data.join("logs")), 0o700);
        assert_eq!(mode(&data.join("logs/counterctl.log")), 0o600);
    }

    // Nothing in the future; everything of the last hour.
    let recent = out(&run(&data, &["logs", "--since", "1h"]));
    assert!(recent.contains("command=\"status\""), "{recent}");
    std::fs::write(
        data.join("logs/counter.log.1"),
        "2020-01-01T00:00:00.000000Z  INFO passport_counter_core: counter started\n",
    )
    .unwrap();
    assert!(out(&run(&data, &["logs"])).starts_with("2020-01-01T00:00:00"));
    assert!(!out(&run(&data, &["logs", "--since", "1d"])).contains("2020-01-01"));

    let export = tmp.path().join("export.txt");
    let e = run(
        &data,
        &[
            "logs",
            "--since",
            "7d",
            "--export",
            export.to_str().unwrap(),
        ],
    );
    assert_eq!(e.status.code(), Some(0), "{e:?}");
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(exported.contains("command=\"status\""), "{exported}");
    assert!(!exported.contains("2020-01-01"), "{exported}");

    let bad = run(&data, &["logs", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("yesterday"));
    let unwritable = run(
        &data,
        &[
            "logs",
            "--export",
            tmp.path().join("no/such/dir/x").to_str().unwrap(),
        ],
    );
    assert_eq!(unwritable.status.code(), Some(4), "{unwritable:?}");
}
