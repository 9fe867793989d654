//! `counterctl status` says plainly when the register refused this
//! workstation's history as a fork (kept by the journal until a report is
//! accepted again): in words for office IT, and in `--json`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::Counter;
use passport_counter_core::config::{Overrides, Resolved};
use std::path::Path;

fn status(data: &Path, json: bool) -> (Option<i32>, String) {
    let mut cmd = common::counterctl();
    cmd.arg("--data-dir").arg(data).arg("status");
    if json {
        cmd.arg("--json");
    }
    let o = cmd.output().unwrap();
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_says_when_the_register_refused_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    counter.shutdown().await;
    drop(counter);

    let (code, out) = status(&data, false);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("history:         no refusal from the register"),
        "{out}"
    );
    let (_, out) = status(&data, true);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["chain_fork"].is_null(), "{v}");

    // Refused by the register (as the sync engine records it).
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    let words = "the chains do not extend what this register saw from DEMO/01";
    counter.journal().record_chain_fork(words).await.unwrap();
    counter.journal().record_chain_fork(words).await.unwrap();
    counter.shutdown().await;
    drop(counter);

    let (code, out) = status(&data, false);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("REFUSED by the register as a fork (chain_fork)"),
        "{out}"
    );
    assert!(out.contains("2 round(s)"), "{out}");
    assert!(out.contains("counterctl audit verify"), "{out}");
    assert!(out.contains(words), "{out}");
    let (_, out) = status(&data, true);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["chain_fork"]["refusals"], 2, "{v}");
    assert_eq!(v["chain_fork"]["register_text"], words, "{v}");
}
