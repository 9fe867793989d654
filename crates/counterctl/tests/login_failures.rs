//! `counterctl journal login-failures` lists what the core recorded when
//! wrong passwords were typed in the app (here the core in-process, on the
//! same data directory, against the demo office's simulator).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{CoreError, Counter};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_log_ins_in_the_app_are_listed_for_office_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    for i in 0..5 {
        let r = counter.login("demo-clerk", &format!("guess-{i}")).await;
        assert!(matches!(r, Err(CoreError::BadCredentials)), "{r:?}");
    }
    let r = counter.login("demo-clerk", "demo").await;
    assert!(matches!(r, Err(CoreError::LoginThrottled { .. })), "{r:?}");
    counter.shutdown().await;
    drop(counter);

    let list = |json: bool| {
        let mut c = common::counterctl();
        c.arg("--data-dir")
            .arg(&data)
            .args(["journal", "login-failures"]);
        if json {
            c.arg("--json");
        }
        let o = c.output().unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&list(true)).unwrap();
    let rows = v["login_failures"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "{v}");
    assert_eq!(rows[0]["reason"], "throttled", "newest first: {v}");
    for r in rows {
        assert_eq!(r["clerk_id"], "demo-clerk");
        assert_eq!(r["office"], "DEMO");
        assert_eq!(r["workstation"], "01");
        assert!(r["failed_at"].as_str().unwrap().ends_with('Z'), "{r}");
        assert!(r["cleared_at"].is_null(), "{r}");
    }
    assert_eq!(
        rows.iter()
            .filter(|r| r["reason"] == "register_refused")
            .count(),
        5
    );
    let text = list(false);
    assert!(text.contains("DEMO-01"), "{text}");
    assert!(
        text.contains("wrong password (the register refused it)"),
        "{text}"
    );
    assert!(text.contains("refused unchecked"), "{text}");
}
