//! A failed chip check stops the hand-over whatever `chip_check_required`
//! says, online and offline: a forged or defective passport (a changed
//! DG1, an empty EF.SOD, a garbled DG1) never leaves the counter as "not
//! checked". Against a real SQLite journal and the register simulator on
//! 127.0.0.1, with virtual passports driven in-process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_cards::Outcome;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{Collector, Connection, CoreError, Counter, HandoverRequest};
use passport_register_sim::{Faults, SimConfig, SimHandle};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use virtual_card::passport::{Passport, Personalisation, Variant};

/// A virtual passport on the reader, through the counter's card port.
#[derive(Debug)]
struct VirtualPassport(Mutex<Passport>);

struct Direct<'a>(&'a mut Passport);

impl passport_cards::passport::Transport for Direct<'_> {
    fn transmit(
        &mut self,
        apdu: &[u8],
    ) -> Result<Vec<u8>, passport_cards::passport::TransportError> {
        use passport_cards::vpcd::Card;
        Ok(self.0.apdu(apdu))
    }
}

impl passport_cards::reader::CardPort for VirtualPassport {
    fn check_passport(
        &self,
        _reader: Option<&str>,
        expect: &passport_cards::Expectation<'_>,
    ) -> passport_cards::ChipReport {
        passport_cards::passport::check(&mut Direct(&mut self.0.lock().unwrap()), expect)
    }

    fn prove_clerk_card(
        &self,
        _pin: &str,
    ) -> Result<passport_cards::clerk::ProvenCard, passport_cards::clerk::ClerkCardError> {
        Err(passport_cards::clerk::ClerkCardError::NotAClerkCard)
    }
}

struct Rig {
    sim: SimHandle,
    counter: Counter,
    stop: tokio::sync::oneshot::Sender<()>,
    dir: tempfile::TempDir,
}

async fn rig(policy: &str) -> Rig {
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
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[policy]\nhealth_probe_secs = 1\nrecovery_window_secs = 0\noffline_handover = true\n{policy}"
        ),
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
    tokio::spawn(async move {
        worker
            .run_worker(async {
                rx.await.ok();
            })
            .await;
    });
    // The office's trust store: the test PKI's CSCA.
    let pki = dir.path().join("pki");
    virtual_card::pki::write(&pki).unwrap();
    std::fs::create_dir_all(dir.path().join("csca")).unwrap();
    std::fs::copy(pki.join("trust/csca.pem"), dir.path().join("csca/csca.pem")).unwrap();
    Rig {
        sim,
        counter,
        stop,
        dir,
    }
}

impl Rig {
    async fn until(&self, what: &str, f: impl Fn(&passport_counter_core::StatusSnapshot) -> bool) {
        let start = Instant::now();
        loop {
            let s = self.counter.status().await;
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

    async fn outage(&self, on: bool) {
        reqwest::Client::new()
            .post(format!("{}/admin/faults", self.sim.url()))
            .json(&serde_json::json!({ "outage": on }))
            .send()
            .await
            .unwrap();
        self.until(if on { "offline" } else { "online" }, |s| {
            (s.connection == Connection::Offline) == on
        })
        .await;
    }

    /// Lays a passport of `variant` for `number` on the reader.
    async fn lay(&self, number: &str, variant: Variant) {
        let doc = self.counter.find_document(number).await.unwrap().document;
        let (jpeg, width, height) = virtual_card::face::jpeg(4).unwrap();
        let person = Personalisation {
            mrz: format!("{}{}", doc.mrz_line1.unwrap(), doc.mrz_line2.unwrap()),
            jpeg,
            width,
            height,
            max_response: Some(4096),
        };
        let pki = virtual_card::pki::load(&self.dir.path().join("pki")).unwrap();
        let card = Passport::new(&person, &pki, variant, None).unwrap();
        self.counter
            .set_cards(Arc::new(VirtualPassport(Mutex::new(card))));
    }
}

fn handover(number: &str) -> HandoverRequest {
    HandoverRequest {
        document_number: number.into(),
        collector: Collector::Holder,
        identity_document: "paszport EA1234567".into(),
        previous_passport: Some("ea 0999999".into()),
    }
}

fn refused_for(result: Result<impl std::fmt::Debug, CoreError>, outcome: Outcome, when: &str) {
    match result {
        Err(CoreError::ChipCheckFailed { outcome: got, .. }) => {
            assert_eq!(got, outcome.code(), "{when}")
        }
        other => panic!("{when}: expected the hand-over refused ({outcome:?}), got {other:?}"),
    }
}

/// Each failing chip is refused online and offline; a later unreadable
/// read or a wrong key does not lift the refusal; only a passing check
/// does.
async fn failures_refuse_the_handover(policy: &str) {
    let r = rig(policy).await;
    let c = &r.counter;
    c.login("demo-clerk", "demo").await.unwrap();
    r.until("the ready list pulled", |s| {
        s.ready_list_synced_at.is_some()
    })
    .await;
    let number = "DA0000002";
    for (variant, outcome) in [
        (Variant::TamperedDg1, Outcome::HashMismatch),
        (Variant::EmptySod, Outcome::MalformedData),
        (Variant::GarbledDg1, Outcome::MalformedData),
        (Variant::TruncatedDg2, Outcome::MalformedData),
    ] {
        let when = format!("{variant:?} with {policy:?}");
        r.lay(number, variant).await;
        let check = c.check_chip(number, None).await.unwrap();
        assert_eq!(check.report.outcome, outcome, "{when}: {:#?}", check.report);
        assert!(!check.passed, "{when}");
        assert!(check.report.readable, "{when}");
        refused_for(
            c.record_handover(&handover(number)).await,
            outcome,
            &format!("{when}, online"),
        );
        r.outage(true).await;
        refused_for(
            c.record_handover(&handover(number)).await,
            outcome,
            &format!("{when}, offline"),
        );
        r.outage(false).await;
        // Neither a passport lifted off the reader nor another passport
        // (a wrong key) turns the failure into "not checked".
        r.lay(number, Variant::WrongMrz).await;
        let check = c.check_chip(number, None).await.unwrap();
        assert_eq!(check.report.outcome, Outcome::WrongAccessKey);
        refused_for(
            c.record_handover(&handover(number)).await,
            outcome,
            &format!("{when}, then a wrong key"),
        );
    }
    // The genuine passport passes, and then the hand-over goes ahead.
    r.lay(number, Variant::Valid).await;
    let check = c.check_chip(number, None).await.unwrap();
    assert!(check.passed, "{:#?}", check.report);
    let saved = c.record_handover(&handover(number)).await.unwrap();
    assert!(!saved.provisional);
    r.stop.send(()).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_chip_stops_the_handover_when_the_check_is_required() {
    failures_refuse_the_handover("chip_check_required = true\n").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_chip_stops_the_handover_when_the_check_is_optional() {
    failures_refuse_the_handover("chip_check_required = false\n").await;
}

/// Where the check is optional, a passport never checked goes ahead
/// online as "not checked" (the rule the failures above must not fall
/// back to), and offline still needs a passing check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_optional_check_not_made_is_not_a_failure() {
    let r = rig("chip_check_required = false\n").await;
    let c = &r.counter;
    c.login("demo-clerk", "demo").await.unwrap();
    r.until("the ready list pulled", |s| {
        s.ready_list_synced_at.is_some()
    })
    .await;
    r.outage(true).await;
    assert!(matches!(
        c.record_handover(&handover("DA0000002")).await,
        Err(CoreError::ChipCheckRequired { offline: true, .. })
    ));
    r.outage(false).await;
    let saved = c.record_handover(&handover("DA0000002")).await.unwrap();
    assert!(!saved.provisional);
    let recorded = c.journal().handover("DA0000002").await.unwrap().unwrap();
    assert_eq!(recorded.chip_check.as_str(), "not_checked");
    r.stop.send(()).ok();
}
