//! A supervisor-only command (`journal purge`, `print day`) runs only
//! with the supervisor's password on standard input, checked by the
//! core's log-in the window uses: no password, a wrong one (recorded in
//! `login_failures`) or a clerk's account are refused with exit 2 and the
//! window's words; the supervisor's password works online and, with the
//! register stopped, against the verifier sealed at the online log-in.
//! The real binary against the simulator over HTTP on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use passport_register_sim::{SimConfig, spawn};
use std::path::{Path, PathBuf};

mod common;

struct Run {
    code: Option<i32>,
    out: String,
    err: String,
}

/// counterctl on `data` against `url`, with `password` (when given) as
/// the one line of standard input; none leaves standard input empty.
fn run(data: &Path, url: &str, password: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = common::counterctl();
    cmd.arg("--data-dir")
        .arg(data)
        .args(["--register", url])
        .args(args);
    let o = common::output_with_line(cmd, password);
    Run {
        code: o.status.code(),
        out: String::from_utf8_lossy(&o.stdout).into_owned(),
        err: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

async fn run_async(
    data: PathBuf,
    url: String,
    password: Option<&'static str>,
    args: Vec<String>,
) -> Run {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&data, &url, password, &args)
    })
    .await
    .unwrap()
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| (*s).to_owned()).collect()
}

/// The refused log-ins of `clerk` that `journal login-failures` lists, by reason.
async fn failures(data: &Path, url: &str, clerk: &str) -> Vec<String> {
    let r = run_async(
        data.to_path_buf(),
        url.to_owned(),
        None,
        args(&["journal", "login-failures", "--json"]),
    )
    .await;
    assert_eq!(r.code, Some(0), "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    v["login_failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["clerk_id"] == clerk)
        .map(|f| f["reason"].as_str().unwrap().to_owned())
        .collect()
}

const PURGE: &[&str] = &["journal", "purge", "--dry-run", "--json"];

fn purge_as(clerk: &str, lang: &str) -> Vec<String> {
    let mut a = args(&["--clerk", clerk, "--lang", lang]);
    a.extend(args(PURGE));
    a
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisor_commands_need_the_supervisors_password() {
    let sim = spawn("127.0.0.1:0", SimConfig::default()).await.unwrap();
    let url = sim.url();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // No password: refused, nothing logged in.
    let r = run_async(
        data.clone(),
        url.clone(),
        None,
        purge_as("demo-supervisor", "en"),
    )
    .await;
    assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
    assert!(r.err.contains("This needs a supervisor"), "{}", r.err);
    assert!(r.out.is_empty(), "{}", r.out);
    let r = run_async(
        data.clone(),
        url.clone(),
        None,
        purge_as("demo-supervisor", "pl"),
    )
    .await;
    assert_eq!(r.code, Some(2), "{}", r.err);
    assert!(
        r.err.contains("To wymaga uprawnień kierownika"),
        "{}",
        r.err
    );

    // A wrong password: refused with the window's words, and counted.
    let r = run_async(
        data.clone(),
        url.clone(),
        Some("not-the-password"),
        purge_as("demo-supervisor", "en"),
    )
    .await;
    assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
    assert!(r.err.contains("Wrong clerk id or password."), "{}", r.err);
    assert!(r.out.is_empty(), "{}", r.out);
    assert_eq!(
        failures(&data, &url, "demo-supervisor").await,
        ["register_refused"]
    );

    // A clerk's own (right) password: a clerk is not a supervisor.
    for (lang, words) in [
        ("pl", "To wymaga uprawnień kierownika."),
        ("en", "This needs a supervisor."),
    ] {
        let r = run_async(
            data.clone(),
            url.clone(),
            Some("demo"),
            purge_as("demo-clerk", lang),
        )
        .await;
        assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
        assert!(r.err.contains(words), "{}", r.err);
        assert!(r.out.is_empty(), "{}", r.out);
    }

    // The supervisor's password: it runs.
    let r = run_async(
        data.clone(),
        url.clone(),
        Some("demo"),
        purge_as("demo-supervisor", "en"),
    )
    .await;
    assert_eq!(r.code, Some(0), "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["dry_run"], true, "{v}");

    // The day report: a clerk is refused, nothing written; the supervisor gets it.
    let day = dir.path().join("day.pdf");
    let day_as = |clerk: &str| {
        let mut a = args(&["--clerk", clerk, "--lang", "en", "print", "day", "-o"]);
        a.push(day.to_string_lossy().into_owned());
        a
    };
    let r = run_async(
        data.clone(),
        url.clone(),
        Some("demo"),
        day_as("demo-clerk"),
    )
    .await;
    assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
    assert!(r.err.contains("This needs a supervisor."), "{}", r.err);
    assert!(!day.exists());
    let r = run_async(data.clone(), url.clone(), None, day_as("demo-supervisor")).await;
    assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
    assert!(!day.exists());
    let r = run_async(
        data.clone(),
        url.clone(),
        Some("demo"),
        day_as("demo-supervisor"),
    )
    .await;
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(std::fs::read(&day).unwrap().starts_with(b"%PDF"));

    // The register stopped: the verifier sealed at the online log-in
    // checks the password, a wrong one is refused and counted as such.
    sim.stop().await.unwrap();
    let r = run_async(
        data.clone(),
        url.clone(),
        Some("not-the-password"),
        purge_as("demo-supervisor", "en"),
    )
    .await;
    assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
    assert!(r.err.contains("Wrong clerk id or password."), "{}", r.err);
    assert!(
        failures(&data, &url, "demo-supervisor")
            .await
            .contains(&"verifier_mismatch".to_owned())
    );
    let r = run_async(
        data.clone(),
        url.clone(),
        Some("demo"),
        purge_as("demo-supervisor", "en"),
    )
    .await;
    assert_eq!(r.code, Some(0), "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v["dry_run"], true, "{v}");
    // Offline, still no way in without the password.
    let r = run_async(
        data.clone(),
        url.clone(),
        None,
        purge_as("demo-supervisor", "en"),
    )
    .await;
    assert_eq!(r.code, Some(2), "{}{}", r.out, r.err);
}

/// The core itself refuses a supervisor's rights to a script's session
/// (an account named, no password checked), whatever the account's role:
/// no future command can forget to ask for the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_session_never_has_a_supervisors_rights() {
    use passport_counter_core::config::{Overrides, Resolved};
    use passport_counter_core::print::DocumentRef;
    use passport_counter_core::{CoreError, Counter};
    let dir = tempfile::tempdir().unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.path().join("data")),
        ..Overrides::default()
    })
    .unwrap();
    let c = Counter::start(cfg).await.unwrap();
    let s = c.script_session("demo-supervisor").await.unwrap();
    assert_eq!(s.role, passport_counter_core::Role::Supervisor);
    let day = DocumentRef::Day { date: None };
    assert!(matches!(
        c.purge_personal_data(true).await,
        Err(CoreError::NotSupervisor)
    ));
    assert!(matches!(
        c.render_document(&day).await,
        Err(CoreError::NotSupervisor)
    ));
    assert!(matches!(
        c.day_summary(None).await,
        Err(CoreError::NotSupervisor)
    ));
    assert!(matches!(
        passport_counter_core::print::render(c.journal(), &day).await,
        Err(CoreError::NotSupervisor)
    ));
    // A clerk's password does not open a supervisor's session.
    assert!(matches!(
        c.supervisor_login("demo-clerk", "demo").await,
        Err(CoreError::NotSupervisor)
    ));
    // The supervisor's password does.
    c.supervisor_login("demo-supervisor", "demo").await.unwrap();
    c.purge_personal_data(true).await.unwrap();
    c.render_document(&day).await.unwrap();
    c.shutdown().await;
}
