//! A history the register refuses as a fork becomes a state a person
//! sees, not a quiet retry: an older copy of the journal restored at a
//! counter (the register saw more from it before) is refused by the
//! simulator over real HTTP with 409 `chain_fork`; the core's status then
//! carries a typed notice for the supervisor, in Polish and English, that
//! survives a restart of the counter; the worker does not hammer the
//! register while it stands; and it clears once the register accepts the
//! real journal again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_counter_core::Counter;
use passport_counter_core::config::{Overrides, Resolved};
use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_register_sim::SimConfig;
use passport_sync::{DrainEnd, SyncOptions};
use std::path::Path;
use std::time::{Duration, Instant};

async fn start(dir: &Path, register: &str) -> Counter {
    std::fs::write(
        dir.join("config.toml"),
        "[policy]\nhealth_probe_secs = 3\nrecovery_window_secs = 0\n",
    )
    .unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.to_path_buf()),
        register: Some(register.to_owned()),
        ..Overrides::default()
    })
    .unwrap();
    Counter::start(cfg).await.unwrap()
}

async fn submit(c: &Counter, i: u64) {
    let today = chrono::Local::now().date_naive();
    let a = demo::adult_draft(i, today)
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today))
        .unwrap();
    c.journal()
        .submit_application(&a, demo::PHOTO_PNG, "demo-clerk")
        .await
        .unwrap();
}

async fn round(c: &Counter) -> DrainEnd {
    let opts = SyncOptions {
        until_empty: true,
        deadline: Some(Instant::now() + Duration::from_secs(30)),
        recovery_window: Duration::ZERO,
        ..SyncOptions::default()
    };
    c.engine().drain(&opts).await.unwrap().end
}

/// The journal's files (database and chain head), copied while closed.
fn copy_journal(c: &Resolved, to: &Path) {
    let db = c.journal_path();
    let mut head = db.as_os_str().to_owned();
    head.push(".head");
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(&db, to.join("journal.db")).unwrap();
    std::fs::copy(&head, to.join("journal.db.head")).unwrap();
}

fn restore_journal(from: &Path, c: &Resolved) {
    let db = c.journal_path();
    let mut head = db.as_os_str().to_owned();
    head.push(".head");
    std::fs::copy(from.join("journal.db"), &db).unwrap();
    std::fs::copy(from.join("journal.db.head"), &head).unwrap();
}

async fn forks_counted(url: &str) -> u64 {
    let stats: serde_json::Value = reqwest::get(format!("{url}/admin/stats"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["chain_forks"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_history_is_a_notice_for_the_supervisor_not_a_retry_loop() {
    let sim = passport_register_sim::spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let url = sim.url();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let backup = tmp.path().join("backup");

    // A day's first round; a backup of the journal as it was then.
    let c = start(&data, &url).await;
    submit(&c, 1).await;
    assert_eq!(round(&c).await, DrainEnd::Empty);
    assert_eq!(c.status().await.chain_fork, None);
    let cfg = c.config().clone();
    c.shutdown().await;
    drop(c);
    copy_journal(&cfg, &backup);

    // The day goes on: the register sees more of this counter's history.
    let c = start(&data, &url).await;
    c.login("demo-clerk", "demo").await.unwrap();
    submit(&c, 2).await;
    assert_eq!(round(&c).await, DrainEnd::Empty);
    c.shutdown().await;
    drop(c);
    let current = tmp.path().join("current");
    copy_journal(&cfg, &current);

    // The backup restored: refused as a fork, and said so in the status.
    restore_journal(&backup, &cfg);
    let c = start(&data, &url).await;
    assert_eq!(round(&c).await, DrainEnd::ChainFork);
    let notice = c.status().await.chain_fork.expect("a notice for the fork");
    assert!(
        notice.what.pl.contains("Rejestr odrzucił historię"),
        "{notice:?}"
    );
    assert!(
        notice.what.en.contains("refused this counter's history"),
        "{notice:?}"
    );
    assert!(notice.todo.pl.contains("Kierownik"), "{notice:?}");
    assert!(
        notice.todo.en.contains("counterctl audit verify"),
        "{notice:?}"
    );
    assert!(notice.register_text.contains("do not extend"), "{notice:?}");
    assert_eq!(notice.refusals, 1);
    // It outlives a restart of the counter.
    c.shutdown().await;
    drop(c);
    let c = start(&data, &url).await;
    let kept = c.chain_fork_notice().await.unwrap().expect("kept");
    assert_eq!(kept.since, notice.since);

    // The worker sees it too, and does not hammer the register: it looks
    // again at the probe interval (3 s here), not the busy pace (2 s)
    // with entries waiting, and never in a tight loop.
    submit(&c, 3).await;
    let before = forks_counted(&url).await;
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker = c.clone();
    let task = tokio::spawn(async move {
        worker
            .run_worker(async {
                stop_rx.await.ok();
            })
            .await;
    });
    tokio::time::sleep(Duration::from_millis(6500)).await;
    stop.send(()).ok();
    task.await.unwrap();
    let during = forks_counted(&url).await - before;
    assert!(
        (1..=3).contains(&during),
        "{during} refused rounds in 6.5 s"
    );
    let notice = c.status().await.chain_fork.unwrap();
    assert_eq!(u64::from(notice.refusals), 1 + during);
    // Nothing was sent while it stood.
    let waiting = c.journal().queue_stats(chrono::Utc::now()).await.unwrap();
    assert_eq!(waiting.pending, 1, "{waiting:?}");
    c.shutdown().await;
    drop(c);

    // The journal that really went on: accepted, and the notice is gone.
    restore_journal(&current, &cfg);
    let c = start(&data, &url).await;
    c.journal()
        .record_chain_fork("an earlier refusal")
        .await
        .unwrap();
    assert!(c.status().await.chain_fork.is_some());
    assert_eq!(round(&c).await, DrainEnd::Empty);
    assert_eq!(c.status().await.chain_fork, None);
    c.shutdown().await;
    sim.stop().await.unwrap();
}
