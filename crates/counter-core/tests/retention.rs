//! Retention through the real core on a real, encrypted journal file,
//! synced with the demo office's register simulator over HTTP on
//! 127.0.0.1: a clerk may not purge; a supervisor's end of day (today's
//! report) purges what the register acknowledged more than 90 days ago,
//! keeps what it acknowledged lately and what it never saw, the report
//! says what was purged (counts per kind, dates), and the chains verify.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{CoreError, Counter, DocumentRef, print};
use passport_domain::demo;
use std::path::Path;
use std::time::{Duration, Instant};

async fn start(data: &Path) -> Counter {
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    assert!(cfg.demo);
    assert_eq!(cfg.retention.days, 90);
    Counter::start(cfg).await.unwrap()
}

/// Runs `sql` on the journal file behind the counter's back (the clock
/// moving on), with the journal's key.
async fn sqlite(c: &Counter, sql: &str) {
    let key = passport_counter_core::keys::journal_key(c.config()).unwrap();
    passport_journal::cipher::run_sql_behind_the_journal(
        &c.config().journal_path(),
        Some(&key),
        sql,
    )
    .await
    .unwrap();
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("day.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_supervisors_end_of_day_purges_what_the_register_acknowledged_long_ago() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let c = start(&data).await;
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let worker = c.clone();
    let worker = tokio::spawn(async move {
        worker
            .run_worker(async {
                rx.await.ok();
            })
            .await;
    });

    c.login("demo-clerk", "demo").await.unwrap();
    let photo = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, demo::PHOTO_PNG);
    let today = chrono::Local::now().date_naive();
    let mut numbers = Vec::new();
    for i in 1..=3 {
        let s = c
            .submit_application(
                &demo::adult_draft(i, today),
                Some(&photo),
                &common::adult_biometrics(),
            )
            .await
            .unwrap();
        numbers.push(s.number);
    }
    c.sync_now();
    let t = Instant::now();
    while c.status().await.queue.acknowledged < 3 {
        assert!(t.elapsed() < Duration::from_secs(30), "not acknowledged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(()).unwrap();
    worker.await.unwrap();
    // A fourth, never sent (the worker is stopped): pending.
    let pending = c
        .submit_application(
            &demo::adult_draft(4, today),
            Some(&photo),
            &common::adult_biometrics(),
        )
        .await
        .unwrap();
    // The register acknowledged the first two 100 days ago; the pending
    // one was saved 100 days ago too.
    sqlite(
        &c,
        "UPDATE journal SET state_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-100 days')
         WHERE seq IN (1, 2, 4)",
    )
    .await;

    // A clerk may not purge, nor make the day's report that runs it.
    assert!(matches!(
        c.purge_personal_data(true).await,
        Err(CoreError::NotSupervisor)
    ));
    assert!(matches!(
        c.printout(&DocumentRef::Day { date: None }, false).await,
        Err(CoreError::NotSupervisor)
    ));
    assert!(
        c.journal()
            .application(&numbers[0])
            .await
            .unwrap()
            .is_some()
    );

    c.logout().await;
    c.login("demo-supervisor", "demo").await.unwrap();
    let dry = c.purge_personal_data(true).await.unwrap();
    assert_eq!(dry.entries, 2, "{dry:?}");
    assert!(
        c.journal()
            .application(&numbers[0])
            .await
            .unwrap()
            .is_some()
    );

    // The end of the supervisor's day: today's report.
    c.printout(&DocumentRef::Day { date: None }, false)
        .await
        .unwrap();
    for n in &numbers[..2] {
        assert!(c.journal().application(n).await.unwrap().is_none(), "{n}");
    }
    assert!(
        c.journal()
            .application(&numbers[2])
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        c.journal()
            .application(&pending.number)
            .await
            .unwrap()
            .is_some()
    );
    let audit = c.journal().audit_rows(0, 1000).await.unwrap();
    let purges: Vec<_> = audit.iter().filter(|r| r.kind == "purge").collect();
    assert_eq!(purges.len(), 2);
    assert!(purges.iter().all(|r| r.actor == "demo-supervisor"));

    // The report says what was purged: per kind, and the days the purged
    // operations were taken on.
    let pdf = print::render_for(
        c.journal(),
        &DocumentRef::Day { date: None },
        Some("demo-supervisor"),
    )
    .await
    .unwrap();
    let text = pdf_text(&pdf);
    let day = today.format("%d.%m.%Y").to_string();
    for needle in [
        "Usunięte dane osobowe (okres przechowywania 90 dni)".to_owned(),
        "Wniosek 2".to_owned(),
        format!("Operacje z dni {day} – {day}"),
    ] {
        assert!(text.contains(&needle), "{needle:?} is not in: {text}");
    }
    let applicant = demo::adult_draft(1, today);
    assert!(!text.contains(&applicant.applicant.surname), "{text}");

    // A second end of day finds nothing more; the chains verify.
    assert_eq!(c.purge_personal_data(false).await.unwrap().entries, 0);
    let v = c.journal().verify().await.unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    c.shutdown().await;
}
