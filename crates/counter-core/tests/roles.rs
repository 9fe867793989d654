//! Roles in the core, not in what the screens show: each supervisor-only
//! right asked for from a clerk's session (a decision on a refusal or a
//! conflict, an exception to the intake limits, the day summary, a purge)
//! is refused with the typed `NotSupervisor` (`auth.supervisor_required`)
//! and leaves the journal as it was; the same call from a supervisor goes
//! through (so the refusal is the role's, not a broken call). Enrolment is
//! a supervisor's account checked by the register itself (its tests are
//! the enrolment's). Sessions lock after inactivity and when
//! the clerk card that opened them leaves its reader (real pcscd with the
//! vpcd virtual reader and a virtual clerk card); locking keeps the draft.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{CoreError, Counter, DecisionInput, DraftSave, DraftView, IpcError};
use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::drafts::CollectorKindDraft;
use passport_journal::{DecisionOutcome, DraftKind, HandoverFormDraft, SyncOutcome, SyncResult};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

async fn start(data: &Path) -> Counter {
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    assert!(cfg.demo);
    Counter::start(cfg).await.unwrap()
}

/// What a refused right must leave as it was: the journal's chain head,
/// the audit chain aside (a log-in is audited, as it should be).
async fn journal_head(c: &Counter) -> (i64, String) {
    let p = c.journal().chain_position().await.unwrap();
    (p.journal.seq, p.journal.hash)
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, CoreError>, right: &str) {
    match r {
        Err(e @ CoreError::NotSupervisor) => {
            assert_eq!(
                IpcError::from(e).code,
                "auth.supervisor_required",
                "{right}"
            );
        }
        other => panic!("{right}: a clerk must be refused, got {other:?}"),
    }
}

/// An entry the register refused, for a supervisor to decide on.
async fn refused_entry(c: &Counter) -> String {
    let today = chrono::Local::now().date_naive();
    let a = demo::adult_draft(7, today)
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today))
        .unwrap();
    let submitted = c
        .journal()
        .submit_application(&a, demo::PHOTO_PNG, "demo-clerk")
        .await
        .unwrap();
    let id = c.journal().entries(0, 100).await.unwrap().pop().unwrap().id;
    let _ = submitted;
    c.journal()
        .record_results(
            &[SyncResult {
                id: id.clone(),
                outcome: SyncOutcome::Rejected {
                    reason: "422 validation: the register would not take it".into(),
                },
            }],
            None,
        )
        .await
        .unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_is_refused_every_supervisor_right_and_nothing_reaches_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("data")).await;
    c.demo_cut_register().await.unwrap();
    let entry = refused_entry(&c).await;
    // Online log-ins first, so both can act while the register is cut.
    c.demo_restore_register().await.unwrap();
    c.login("demo-supervisor", "demo").await.unwrap();
    c.login("demo-clerk", "demo").await.unwrap();
    let before = journal_head(&c).await;

    // Resolving a refusal or a conflict (a supervisor's decision).
    forbidden(
        c.decide(&DecisionInput {
            entry_id: entry.clone(),
            outcome: DecisionOutcome::AcceptRefusal,
            note: "Sprawdzone w rejestrze".into(),
        })
        .await,
        "decide",
    );
    assert_eq!(c.journal().decision(&entry).await.unwrap(), None);

    // An exception to the intake limits (an override): a clerk's own
    // credentials typed as the supervisor's are not a supervisor's.
    forbidden(
        c.approve_intake_override("demo-clerk", "demo", 2).await,
        "intake override",
    );
    assert_eq!(c.journal().intake_override_until().await.unwrap(), None);

    // The supervisor's day summary.
    forbidden(c.day_summary(None).await, "day summary");

    // Purging personal data past retention (even a dry run).
    forbidden(c.purge_personal_data(true).await, "purge (dry run)");
    forbidden(c.purge_personal_data(false).await, "purge");

    assert_eq!(
        journal_head(&c).await,
        before,
        "nothing reached the journal"
    );

    // The same rights for a supervisor: they go through.
    let until = c
        .approve_intake_override("demo-supervisor", "demo", 2)
        .await
        .unwrap();
    assert!(!until.is_empty());
    c.login("demo-supervisor", "demo").await.unwrap();
    c.decide(&DecisionInput {
        entry_id: entry.clone(),
        outcome: DecisionOutcome::AcceptRefusal,
        note: "Sprawdzone w rejestrze".into(),
    })
    .await
    .unwrap();
    c.day_summary(None).await.unwrap();
    c.purge_personal_data(true).await.unwrap();
    assert_eq!(journal_head(&c).await.0, before.0 + 2);
    c.shutdown().await;
}

fn handover_draft() -> DraftSave {
    DraftSave::Handover(HandoverFormDraft {
        document_number: "DA0000001".into(),
        collector_kind: CollectorKindDraft::Holder,
        collector_pesel: String::new(),
        collector_surname: String::new(),
        collector_given_names: String::new(),
        identity_document: "dowód osobisty ABC523456".into(),
        previous_passport: String::new(),
        court_ruling_reference: String::new(),
    })
}

async fn draft_kept(c: &Counter) {
    match c.load_draft(DraftKind::Handover).await.unwrap() {
        Some(DraftView::Handover { form, .. }) => {
            assert_eq!(form.identity_document, "dowód osobisty ABC523456");
        }
        other => panic!("the draft is kept through the lock: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_locks_in_the_core_and_keeps_the_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("data")).await;
    let s = c.login("demo-clerk", "demo").await.unwrap();
    c.save_draft(&handover_draft()).await.unwrap();
    // Just under the limit: still open, and the action renews it.
    let limit = Duration::from_secs(u64::from(s.auto_lock_minutes) * 60);
    c.pretend_idle_for(limit - Duration::from_secs(5));
    c.touch().unwrap();
    c.pretend_idle_for(limit - Duration::from_secs(5));
    draft_kept(&c).await;
    // Past it: every action is refused as locked, whatever the UI shows.
    c.pretend_idle_for(limit + Duration::from_secs(1));
    assert!(matches!(c.touch(), Err(CoreError::Locked)));
    assert!(matches!(
        c.load_draft(DraftKind::Handover).await,
        Err(CoreError::Locked)
    ));
    assert!(matches!(
        c.save_draft(&handover_draft()).await,
        Err(CoreError::Locked)
    ));
    assert!(c.session().unwrap().locked);
    // Only the clerk's password unlocks it; the draft is still there.
    assert!(matches!(
        c.unlock("wrong").await,
        Err(CoreError::BadCredentials)
    ));
    assert!(!c.unlock("demo").await.unwrap().locked);
    draft_kept(&c).await;
    c.shutdown().await;
}

// --- the clerk card taken out -------------------------------------------

const SOCKET: &str = "/run/pcscd/pcscd.comm";
const READER_0: &str = "Virtual PCD 00 00";

/// pcscd, started here and stopped by its pid.
struct Pcscd(Child);

impl Pcscd {
    fn start() -> Pcscd {
        assert!(
            !Path::new(SOCKET).exists(),
            "another pcscd is running ({SOCKET} exists): only one can run on a machine"
        );
        let child = Command::new("pcscd")
            .arg("--foreground")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pcscd (Debian's pcscd + vsmartcard-vpcd) is needed: make deps installs it");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", passport_cards::vpcd::PORT_0)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "pcscd's vpcd reader did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Pcscd(child)
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            Command::new("kill")
                .arg("-TERM")
                .arg(self.0.id().to_string())
                .status()
                .ok();
        }
        self.0.wait().ok();
    }
}

async fn until(what: &str, f: impl Fn() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < Duration::from_secs(10), "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taking_the_clerk_card_out_of_its_reader_locks_the_session_and_keeps_the_draft() {
    use passport_cards::vpcd::{Inserted, PORT_0};
    let _pcscd = Pcscd::start();
    let tmp = tempfile::tempdir().unwrap();
    let c = start(&tmp.path().join("data")).await;
    let card = SharedCard(std::sync::Arc::new(std::sync::Mutex::new(
        virtual_card::clerk::ClerkCard::new("CLK-0042".into(), "2468".into(), 3).unwrap(),
    )));

    // The card in the vpcd reader, through pcscd; tied to the clerk.
    let inserted = Inserted::insert(PORT_0, card.clone()).unwrap();
    c.login("demo-clerk", "demo").await.unwrap();
    assert_eq!(c.bind_card("demo", "2468").await.unwrap(), "CLK-0042");
    c.logout().await;
    // The reader watcher tells the core of every change, as the app's does.
    let watched = c.clone();
    let mut watch = passport_cards::ReaderWatch::spawn(move |s| {
        watched.card_readers_changed(s);
    })
    .unwrap();
    let s = c.card_login("2468").await.unwrap();
    assert_eq!((s.clerk_id.as_str(), s.locked), ("demo-clerk", false));
    c.save_draft(&handover_draft()).await.unwrap();
    // A picture with the card still there changes nothing.
    assert!(!c.card_readers_changed(&passport_cards::readers()));
    assert!(!c.session().unwrap().locked);

    // Taken out: locked, in the core.
    inserted.remove().unwrap();
    until("the session locks when the card is taken out", || {
        c.session().is_some_and(|s| s.locked)
    })
    .await;
    assert!(matches!(c.touch(), Err(CoreError::Locked)));
    let seen = passport_cards::readers();
    assert!(
        seen.readers
            .iter()
            .any(|r| r.name == READER_0 && !r.card_present),
        "{seen:?}"
    );

    // Put back, the card and its PIN unlock it; the draft is there.
    let _inserted = Inserted::insert(PORT_0, card).unwrap();
    let s = c.card_login("2468").await.unwrap();
    assert!(!s.locked);
    draft_kept(&c).await;

    // A session opened with a password does not follow a card.
    c.login("demo-clerk", "demo").await.unwrap();
    assert!(!c.card_readers_changed(&passport_cards::CardService::default()));
    assert!(!c.session().unwrap().locked);
    watch.stop();
    c.shutdown().await;
}

/// One virtual clerk card that can be taken out and put back (its key
/// is made once, with the card).
#[derive(Clone)]
struct SharedCard(std::sync::Arc<std::sync::Mutex<virtual_card::clerk::ClerkCard>>);

impl passport_cards::vpcd::Card for SharedCard {
    fn atr(&self) -> Vec<u8> {
        self.0.lock().unwrap().atr()
    }

    fn apdu(&mut self, command: &[u8]) -> Vec<u8> {
        self.0.lock().unwrap().apdu(command)
    }

    fn reset(&mut self) {
        self.0.lock().unwrap().reset();
    }
}
