//! Failed log-ins through the real core on a real journal file, against
//! the demo office's register simulator: each is recorded (who, when,
//! which counter, how), a burst makes the clerk wait (said in words with
//! the time left), the wait survives a restart, holds offline too, and a
//! successful log-in after it ends the run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{CoreError, Counter, IpcError};
use passport_journal::LoginFailureReason;
use std::path::Path;
use std::time::Duration;

async fn start(data: &Path) -> Counter {
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    assert!(cfg.demo);
    Counter::start(cfg).await.unwrap()
}

/// Runs `sql` on the journal file behind the counter's back (as a clock
/// moving on would), with the journal's key (it is encrypted).
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

/// The failures of `clerk` as recorded, oldest first, by reason.
async fn recorded(c: &Counter, clerk: &str) -> Vec<LoginFailureReason> {
    let mut all = c.journal().login_failures(1000).await.unwrap();
    all.reverse();
    all.into_iter()
        .filter(|f| f.clerk_id == clerk)
        .map(|f| f.reason)
        .collect()
}

fn throttled(r: Result<passport_counter_core::SessionView, CoreError>) -> Duration {
    match r {
        Err(CoreError::LoginThrottled { wait, .. }) => wait,
        other => panic!("expected a wait, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_wrong_passwords_makes_the_clerk_wait_and_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let c = start(&data).await;

    for i in 0..5 {
        assert!(
            matches!(
                c.login("demo-clerk", &format!("guess-{i}")).await,
                Err(CoreError::BadCredentials)
            ),
            "attempt {i}"
        );
    }
    // The sixth attempt is refused unchecked, even with the right password.
    let wait = throttled(c.login("demo-clerk", "demo").await);
    assert!(
        wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    let said = IpcError::from(CoreError::LoginThrottled {
        clerk_id: "demo-clerk".into(),
        wait,
    });
    assert_eq!(said.code, "auth.throttled");
    assert!(
        said.message.pl.contains("za 1 minutę"),
        "{}",
        said.message.pl
    );
    assert!(
        said.message.en.contains("in 1 minute"),
        "{}",
        said.message.en
    );

    // Recorded: who, which counter, how, when.
    let all = c.journal().login_failures(100).await.unwrap();
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|f| f.clerk_id == "demo-clerk"
        && f.office_code == "DEMO"
        && f.workstation_id == "01"
        && f.cleared_at.is_none()
        && chrono::DateTime::parse_from_rfc3339(&f.failed_at).is_ok()));
    let mut expected = vec![LoginFailureReason::RegisterRefused; 5];
    expected.push(LoginFailureReason::Throttled);
    assert_eq!(recorded(&c, "demo-clerk").await, expected);

    // Another clerk at the same counter is not held up.
    c.login("demo-supervisor", "demo").await.unwrap();
    // Nor is the lock a way round: unlocking as demo-clerk is a log-in too.
    c.logout().await;

    // The wait is in the journal, not in the process: it survives a restart.
    c.shutdown().await;
    drop(c);
    let c = start(&data).await;
    throttled(c.login("demo-clerk", "demo").await);

    // A minute later (the failures moved back in the file) the right
    // password is let in, which ends the run: the records stay, cleared.
    sqlite(
        &c,
        "UPDATE login_failures SET failed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 minutes')",
    )
    .await;
    let s = c.login("demo-clerk", "demo").await.unwrap();
    assert_eq!(s.clerk_id, "demo-clerk");
    let all = c.journal().login_failures(100).await.unwrap();
    assert_eq!(all.len(), 7);
    assert!(all.iter().all(|f| f.cleared_at.is_some()), "{all:?}");
    // The next wrong password is one failure again, not a wait.
    c.logout().await;
    assert!(matches!(
        c.login("demo-clerk", "wrong").await,
        Err(CoreError::BadCredentials)
    ));
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_guesses_against_the_cached_verifier_and_unlocks_count_too() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("data")).await;
    // Online once, so a verifier is cached; then the register goes away.
    c.login("demo-clerk", "demo").await.unwrap();
    c.demo_cut_register().await.unwrap();
    c.lock();
    // Unlock attempts are password checks like a log-in.
    for i in 0..2 {
        assert!(matches!(
            c.unlock(&format!("guess-{i}")).await,
            Err(CoreError::BadCredentials)
        ));
    }
    c.logout().await;
    for i in 0..3 {
        assert!(matches!(
            c.login("demo-clerk", &format!("offline-{i}")).await,
            Err(CoreError::BadCredentials)
        ));
    }
    throttled(c.login("demo-clerk", "demo").await);
    assert_eq!(
        recorded(&c, "demo-clerk").await,
        vec![
            LoginFailureReason::VerifierMismatch,
            LoginFailureReason::VerifierMismatch,
            LoginFailureReason::VerifierMismatch,
            LoginFailureReason::VerifierMismatch,
            LoginFailureReason::VerifierMismatch,
            LoginFailureReason::Throttled,
        ]
    );
    c.shutdown().await;
}
