//! The counter's services against a real SQLite journal and the register
//! simulator over HTTP on 127.0.0.1, with the background worker running.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{Collector, Connection, CoreError, Counter, HandoverRequest};
use passport_domain::demo;
use passport_register_sim::{Faults, SimConfig, SimHandle};
use std::time::{Duration, Instant};
use virtual_card::passport::{Passport, Personalisation, Variant};

/// A virtual passport on a reader, driven in-process through the counter's
/// chip-reader port (the same card runs through pcscd in counterctl's
/// tests and the app's end-to-end test).
#[derive(Debug)]
struct VirtualPassport(std::sync::Mutex<Passport>);

/// A virtual card answering APDUs directly, without pcscd.
struct Direct<'a, C>(&'a mut C);

impl<C: passport_cards::vpcd::Card> passport_cards::passport::Transport for Direct<'_, C> {
    fn transmit(
        &mut self,
        apdu: &[u8],
    ) -> Result<Vec<u8>, passport_cards::passport::TransportError> {
        Ok(self.0.apdu(apdu))
    }
}

impl VirtualPassport {
    fn new(pki: &std::path::Path, mrz: &str, variant: Variant) -> std::sync::Arc<Self> {
        let (jpeg, width, height) = virtual_card::face::jpeg(2).unwrap();
        let person = Personalisation {
            mrz: mrz.into(),
            jpeg,
            width,
            height,
            max_response: Some(4096),
        };
        let pki = virtual_card::pki::load(pki).unwrap();
        std::sync::Arc::new(Self(std::sync::Mutex::new(
            Passport::new(&person, &pki, variant, None).unwrap(),
        )))
    }
}

impl passport_cards::reader::CardPort for VirtualPassport {
    fn prove_clerk_card(
        &self,
        _pin: &str,
    ) -> Result<passport_cards::clerk::ProvenCard, passport_cards::clerk::ClerkCardError> {
        Err(passport_cards::clerk::ClerkCardError::NotAClerkCard)
    }

    fn check_passport(
        &self,
        _reader: Option<&str>,
        expect: &passport_cards::Expectation<'_>,
    ) -> passport_cards::ChipReport {
        let mut card = self.0.lock().unwrap();
        passport_cards::passport::check(&mut Direct(&mut *card), expect)
    }
}

struct Rig {
    sim: SimHandle,
    counter: Counter,
    stop: tokio::sync::oneshot::Sender<()>,
    worker: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// Stops the worker and closes the journal before the test's runtime
    /// ends, as the app does at exit: a pool left to sqlx's worker threads
    /// closes its SQLCipher connections while the process exits.
    async fn finish(self) {
        self.stop.send(()).ok();
        self.worker.await.ok();
        self.counter.shutdown().await;
    }
}

async fn rig(config_toml: &str) -> Rig {
    let sim = passport_register_sim::spawn(
        "127.0.0.1:0",
        SimConfig {
            faults: Faults {
                retry_after_secs: 1,
                ..Faults::default()
            },
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let policy = "[policy]\nhealth_probe_secs = 1\nrecovery_window_secs = 0\n";
    std::fs::write(
        dir.path().join("config.toml"),
        format!("{policy}{config_toml}"),
    )
    .unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.path().to_path_buf()),
        register: Some(sim.url()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    let (stop, rx) = tokio::sync::oneshot::channel();
    let worker = counter.clone();
    let worker = tokio::spawn(async move {
        worker
            .run_worker(async {
                rx.await.ok();
            })
            .await;
    });
    Rig {
        sim,
        counter,
        stop,
        worker,
        _dir: dir,
    }
}

async fn outage(r: &Rig, on: bool) {
    reqwest::Client::new()
        .post(format!("{}/admin/faults", r.sim.url()))
        .json(&serde_json::json!({ "outage": on }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
}

async fn stats(r: &Rig) -> serde_json::Value {
    reqwest::get(format!("{}/admin/stats", r.sim.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn photo() -> String {
    base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG)
}

fn draft(i: u64) -> passport_domain::ApplicationDraft {
    demo::adult_draft(i, chrono::Local::now().date_naive())
}

/// Waits until `f` holds, or fails after 30 s saying what it waited for.
async fn until(what: &str, r: &Rig, f: impl Fn(&passport_counter_core::StatusSnapshot) -> bool) {
    let start = Instant::now();
    loop {
        let s = r.counter.status().await;
        if f(&s) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}: {s:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_at_the_counter_online_offline_and_back() {
    let r = rig("").await;
    let c = &r.counter;

    assert!(matches!(
        c.submit_application(&draft(1), Some(&photo()), &common::adult_biometrics())
            .await,
        Err(CoreError::NotLoggedIn)
    ));
    assert!(matches!(
        c.login("demo-clerk", "wrong").await,
        Err(CoreError::BadCredentials)
    ));
    let s = c.login("demo-clerk", "demo").await.unwrap();
    assert!(s.verified_online);

    // Online: saved, then acknowledged by the worker.
    let first = c
        .submit_application(&draft(1), Some(&photo()), &common::adult_biometrics())
        .await
        .unwrap();
    assert!(first.number.starts_with("DEMO-01-"));
    until("the first application acknowledged", &r, |s| {
        s.queue.acknowledged == 1
    })
    .await;

    // Bad input: an error at the field, nothing saved.
    let mut bad = draft(2);
    bad.applicant.pesel = "85022812344".into();
    match c
        .submit_application(&bad, Some(&photo()), &common::adult_biometrics())
        .await
    {
        Err(CoreError::Invalid(errors)) => assert!(errors.has("applicant.pesel"), "{errors:?}"),
        other => panic!("expected a field error, got {other:?}"),
    }
    // An adult's passport without biometrics: refused naming the
    // fingerprints and the signature, nothing saved (the register counts
    // three applications below, not four).
    match c
        .submit_application(&draft(2), Some(&photo()), &common::no_biometrics())
        .await
    {
        Err(CoreError::Invalid(errors)) => {
            let codes: Vec<_> = errors.0.iter().map(|e| (&*e.path, &*e.code)).collect();
            assert!(
                codes.contains(&("biometrics.fingers", "fingerprints.required"))
                    && codes.contains(&("biometrics.signature", "signature.required")),
                "{codes:?}"
            );
        }
        other => panic!("expected the biometrics refused, got {other:?}"),
    }

    // The register goes away: two more are saved at once and wait.
    outage(&r, true).await;
    c.submit_application(&draft(3), Some(&photo()), &common::adult_biometrics())
        .await
        .unwrap();
    c.submit_application(&draft(4), Some(&photo()), &common::adult_biometrics())
        .await
        .unwrap();
    until("offline with 2 queued", &r, |s| {
        s.connection == Connection::Offline && s.queue.depth == 2 && s.offline_since.is_some()
    })
    .await;

    // Offline log-in works with the cached verifier, only for the right password.
    c.logout().await;
    assert!(matches!(
        c.login("demo-clerk", "nope").await,
        Err(CoreError::BadCredentials)
    ));
    assert!(matches!(
        c.login("demo-supervisor", "demo").await,
        Err(CoreError::NeverOnline)
    ));
    let s = c.login("demo-clerk", "demo").await.unwrap();
    assert!(!s.verified_online);

    // Offline hand-over is off by default.
    let req = HandoverRequest {
        document_number: "da 0000001".into(),
        collector: Collector::Holder,
        identity_document: "dowód osobisty ABC523456".into(),
        previous_passport: None,
    };
    let found = c.find_document("da 0000001").await.unwrap();
    assert_eq!(
        found.document.status,
        passport_domain::DocumentState::AwaitingCollection
    );
    assert!(matches!(
        c.record_handover(&req).await,
        Err(CoreError::OfflineHandover(_))
    ));

    // Back: the queue drains to 0, each application stored once.
    outage(&r, false).await;
    until("the queue drained", &r, |s| {
        s.queue.depth == 0 && s.connection == Connection::Online
    })
    .await;
    let st = stats(&r).await;
    assert_eq!(st["applications"], 3, "{st}");
    assert_eq!(st["duplicate_attempts"], 0, "{st}");

    // Hand-over online, acknowledged by the register.
    let saved = c.record_handover(&req).await.unwrap();
    assert!(!saved.provisional);
    until("the hand-over acknowledged", &r, |s| {
        s.queue.depth == 0 && s.queue.acknowledged == 4
    })
    .await;
    assert_eq!(stats(&r).await["handovers"], 1);
    assert!(matches!(
        c.record_handover(&req).await,
        Err(CoreError::NotReady { .. })
    ));

    let outbox = c.outbox().await.unwrap();
    assert_eq!(
        (
            outbox.queued.len(),
            outbox.refused.len(),
            outbox.recent.len()
        ),
        (0, 0, 4)
    );
    let found = c.search_applications(&first.number).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].sync_state,
        passport_journal::SyncState::Acknowledged
    );
    r.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pending_cap_stops_intake_until_a_supervisor_overrides() {
    let r = rig("max_pending = 1\nauto_lock_minutes = 10\n").await;
    let c = &r.counter;
    // The supervisor has logged in here once, online.
    c.login("demo-supervisor", "demo").await.unwrap();
    c.logout().await;
    c.login("demo-clerk", "demo").await.unwrap();
    outage(&r, true).await;
    c.submit_application(&draft(10), Some(&photo()), &common::adult_biometrics())
        .await
        .unwrap();
    assert!(matches!(
        c.submit_application(&draft(11), Some(&photo()), &common::adult_biometrics())
            .await,
        Err(CoreError::Intake(
            passport_counter_core::policy::IntakeStop::PendingCap
        ))
    ));
    let status = c.status().await;
    assert_eq!(status.intake.as_ref().unwrap().pending_left, 0);
    assert!(matches!(
        c.approve_intake_override("demo-clerk", "demo", 2).await,
        Err(CoreError::NotSupervisor)
    ));
    c.approve_intake_override("demo-supervisor", "demo", 2)
        .await
        .unwrap();
    c.submit_application(&draft(11), Some(&photo()), &common::adult_biometrics())
        .await
        .unwrap();
    r.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_hand_over_when_the_policy_allows_is_provisional_and_delivered_later() {
    let r = rig("offline_handover = true\n").await;
    let c = &r.counter;
    c.login("demo-clerk", "demo").await.unwrap();
    until("the ready list pulled", &r, |s| {
        s.ready_list_synced_at.is_some()
    })
    .await;
    outage(&r, true).await;
    let req = HandoverRequest {
        document_number: "DA0000002".into(),
        collector: Collector::Holder,
        identity_document: "paszport EA1234567".into(),
        previous_passport: Some("ea 0999999".into()),
    };
    // Bad input is refused at its field even offline.
    let mut bad = req.clone();
    bad.identity_document = "x".into();
    match c.record_handover(&bad).await {
        Err(CoreError::Invalid(e)) => assert!(e.has("identity_document"), "{e:?}"),
        other => panic!("expected a field error, got {other:?}"),
    }
    // Offline, the chip must have been checked and passed.
    assert!(matches!(
        c.record_handover(&req).await,
        Err(CoreError::ChipCheckRequired { offline: true, .. })
    ));
    let doc = c.find_document("DA0000002").await.unwrap().document;
    let mrz = format!("{}{}", doc.mrz_line1.unwrap(), doc.mrz_line2.unwrap());
    let pki = r._dir.path().join("pki");
    virtual_card::pki::write(&pki).unwrap();
    std::fs::create_dir_all(r._dir.path().join("csca")).unwrap();
    std::fs::copy(
        pki.join("trust/csca.pem"),
        r._dir.path().join("csca/csca.pem"),
    )
    .unwrap();
    // A chip whose DG1 was changed: the check says so and the hand-over
    // is refused, offline or not.
    c.set_cards(VirtualPassport::new(&pki, &mrz, Variant::TamperedDg1));
    let check = c.check_chip("DA0000002", None).await.unwrap();
    assert_eq!(check.report.outcome, passport_cards::Outcome::HashMismatch);
    assert!(!check.passed);
    assert!(matches!(
        c.record_handover(&req).await,
        Err(CoreError::ChipCheckFailed {
            outcome: "hash_mismatch",
            ..
        })
    ));
    // The genuine passport passes; the hand-over records it.
    c.set_cards(VirtualPassport::new(&pki, &mrz, Variant::Valid));
    let check = c.check_chip("DA0000002", None).await.unwrap();
    assert!(check.passed, "{:#?}", check.report);
    assert!(check.report.face.is_some());
    let saved = c.record_handover(&req).await.unwrap();
    assert!(saved.provisional);
    let recorded = c.journal().handover("DA0000002").await.unwrap().unwrap();
    assert_eq!(recorded.chip_check, passport_journal::ChipCheck::Passed);
    assert_eq!(
        c.find_document("DA0000002").await.unwrap().document.status,
        passport_domain::DocumentState::Valid
    );
    outage(&r, false).await;
    until("the hand-over delivered", &r, |s| {
        s.queue.depth == 0 && s.queue.acknowledged >= 1
    })
    .await;
    let st = stats(&r).await;
    assert_eq!(st["handovers"], 1, "{st}");
    r.finish().await;
}

/// A virtual clerk card in a reader, driven in-process (through pcscd in
/// counterctl's tests and the app's end-to-end test).
#[derive(Debug)]
struct VirtualClerkCard(std::sync::Mutex<virtual_card::clerk::ClerkCard>);

impl VirtualClerkCard {
    fn new(card_id: &str, pin: &str) -> std::sync::Arc<Self> {
        let card = virtual_card::clerk::ClerkCard::new(card_id.into(), pin.into(), 3).unwrap();
        std::sync::Arc::new(Self(std::sync::Mutex::new(card)))
    }
}

impl passport_cards::reader::CardPort for VirtualClerkCard {
    fn check_passport(
        &self,
        _: Option<&str>,
        _: &passport_cards::Expectation<'_>,
    ) -> passport_cards::ChipReport {
        unreachable!("no passport here")
    }

    fn prove_clerk_card(
        &self,
        pin: &str,
    ) -> Result<passport_cards::clerk::ProvenCard, passport_cards::clerk::ClerkCardError> {
        passport_cards::clerk::prove(&mut Direct(&mut *self.0.lock().unwrap()), pin)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_card_tied_to_the_account_logs_in_and_unlocks_with_its_pin() {
    use passport_cards::clerk::ClerkCardError;
    let r = rig("").await;
    let c = &r.counter;
    let card = VirtualClerkCard::new("CLK-0007", "2468");
    c.set_cards(card.clone());
    // Not tied yet.
    assert!(matches!(
        c.card_login("2468").await,
        Err(CoreError::CardNotBound)
    ));
    c.login("demo-clerk", "demo").await.unwrap();
    // Tying needs the clerk's password again and the card's PIN.
    assert!(matches!(
        c.bind_card("wrong", "2468").await,
        Err(CoreError::BadCredentials)
    ));
    assert!(matches!(
        c.bind_card("demo", "1111").await,
        Err(CoreError::Card(ClerkCardError::WrongPin { tries_left: 2 }))
    ));
    assert_eq!(c.bind_card("demo", "2468").await.unwrap(), "CLK-0007");
    // Another clerk cannot take the card over.
    c.login("demo-supervisor", "demo").await.unwrap();
    assert!(matches!(
        c.bind_card("demo", "2468").await,
        Err(CoreError::CardBoundElsewhere)
    ));
    c.logout().await;

    // A wrong PIN says how many tries are left; the right one logs in.
    assert!(matches!(
        c.card_login("0000").await,
        Err(CoreError::Card(ClerkCardError::WrongPin { tries_left: 2 }))
    ));
    let s = c.card_login("2468").await.unwrap();
    assert_eq!((s.clerk_id.as_str(), s.locked), ("demo-clerk", false));
    assert!(s.verified_online, "the register confirmed the account");
    // Locked: the card unlocks it, but only for the clerk who locked it.
    c.lock();
    assert!(c.session().unwrap().locked);
    assert!(!c.card_login("2468").await.unwrap().locked);
    c.login("demo-supervisor", "demo").await.unwrap();
    c.lock();
    assert!(matches!(
        c.card_login("2468").await,
        Err(CoreError::CardOtherClerk)
    ));
    c.logout().await;

    // The register down: the cached confirmation is enough.
    outage(&r, true).await;
    let s = c.card_login("2468").await.unwrap();
    assert!(!s.verified_online);
    outage(&r, false).await;
    until("the register back", &r, |s| {
        s.connection == Connection::Online
    })
    .await;

    // Another card claiming the same identifier (another key) is refused.
    c.set_cards(VirtualClerkCard::new("CLK-0007", "2468"));
    assert!(matches!(
        c.card_login("2468").await,
        Err(CoreError::CardNotBound)
    ));

    // Three wrong PINs block the card, and then even the right one fails.
    c.set_cards(card);
    for _ in 0..2 {
        assert!(c.card_login("0000").await.is_err());
    }
    assert!(matches!(
        c.card_login("0000").await,
        Err(CoreError::Card(ClerkCardError::Blocked))
    ));
    assert!(matches!(
        c.card_login("2468").await,
        Err(CoreError::Card(ClerkCardError::Blocked))
    ));

    // An account closed at the register loses its card here at once.
    let card = VirtualClerkCard::new("CLK-0008", "1357");
    c.set_cards(card);
    c.login("demo-clerk", "demo").await.unwrap();
    c.bind_card("demo", "1357").await.unwrap();
    c.logout().await;
    reqwest::Client::new()
        .post(format!("{}/admin/faults", r.sim.url()))
        .json(&serde_json::json!({ "closed_clerks": ["demo-clerk"] }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let closed = c.card_login("1357").await;
    assert!(
        matches!(closed, Err(CoreError::AccountClosed)),
        "{closed:?}"
    );
    outage(&r, true).await;
    assert!(
        c.card_login("1357").await.is_err(),
        "not even offline afterwards: the card and the cached account are gone"
    );
    r.finish().await;
}
