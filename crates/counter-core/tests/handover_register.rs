//! The hand-over screen says what the register said, and only what it
//! said: the core against a real journal file and the register simulator
//! over HTTP on 127.0.0.1 (no worker running unless a test starts one, so
//! every answer here came through the hand-over's own bounded wait).
//!
//! Also who may collect: the application's parents offered and checked,
//! an adult's passport to the holder in person or to a legal guardian with
//! the court ruling's reference, which the register receives.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use chrono::Datelike;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{
    Collector, CoreError, Counter, DecisionInput, GuardianKind, HandoverOutcome, HandoverRequest,
    HandoverVerdict, NoticeSubject, RegisterCheck,
};
use passport_domain::application::GuardianDraft;
use passport_domain::{Pesel, Sex, demo};
use passport_register_contract::ProblemCode;
use passport_register_sim::{Faults, SimConfig, SimHandle};
use std::path::Path;
use std::time::{Duration, Instant};
use virtual_card::passport::{Passport, Personalisation, Variant};

/// A virtual passport answering the counter's chip check in-process.
#[derive(Debug)]
struct VirtualPassport(std::sync::Mutex<Passport>);

struct Direct<'a, C>(&'a mut C);

impl<C: passport_cards::vpcd::Card> passport_cards::passport::Transport for Direct<'_, C> {
    fn transmit(
        &mut self,
        apdu: &[u8],
    ) -> Result<Vec<u8>, passport_cards::passport::TransportError> {
        Ok(self.0.apdu(apdu))
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

/// Puts a genuine virtual passport for `document` on the counter's reader,
/// with its CSCA in the counter's trust store.
async fn passport_on_reader(c: &Counter, dir: &Path, document: &str) {
    let doc = c.find_document(document).await.unwrap().document;
    let mrz = format!("{}{}", doc.mrz_line1.unwrap(), doc.mrz_line2.unwrap());
    let pki = dir.join("pki");
    virtual_card::pki::write(&pki).unwrap();
    std::fs::create_dir_all(dir.join("csca")).unwrap();
    std::fs::copy(pki.join("trust/csca.pem"), dir.join("csca/csca.pem")).unwrap();
    let (jpeg, width, height) = virtual_card::face::jpeg(2).unwrap();
    let person = Personalisation {
        mrz,
        jpeg,
        width,
        height,
        max_response: Some(4096),
    };
    let pki = virtual_card::pki::load(&pki).unwrap();
    c.set_cards(std::sync::Arc::new(VirtualPassport(std::sync::Mutex::new(
        Passport::new(&person, &pki, Variant::Valid, None).unwrap(),
    ))));
}

async fn sim() -> SimHandle {
    passport_register_sim::spawn(
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
    .unwrap()
}

/// A counter for the data directory `dir` against `sim`, `policy` added to
/// its `config.toml`, the clerk logged in and the ready list pulled.
async fn counter(dir: &Path, sim: &SimHandle, policy: &str) -> Counter {
    std::fs::write(
        dir.join("config.toml"),
        format!("[policy]\nhealth_probe_secs = 1\nrecovery_window_secs = 0\n{policy}"),
    )
    .unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.to_path_buf()),
        register: Some(sim.url()),
        ..Overrides::default()
    })
    .unwrap();
    let c = Counter::start(cfg).await.unwrap();
    c.login("demo-clerk", "demo").await.unwrap();
    c.engine().pull_ready_list().await.unwrap();
    c
}

async fn post(sim: &SimHandle, path: &str, body: serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{path}", sim.url()))
        .header(
            passport_register_contract::IDEMPOTENCY_KEY,
            format!(
                "other-counter-{}",
                chrono::Utc::now().timestamp_nanos_opt().unwrap()
            ),
        )
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// What the register accepted under an idempotency key (the journal id).
async fn received(sim: &SimHandle, key: &str) -> serde_json::Value {
    let r = reqwest::get(format!("{}/admin/received/{key}", sim.url()))
        .await
        .unwrap();
    assert!(r.status().is_success(), "nothing received under {key}");
    r.json::<serde_json::Value>().await.unwrap()["body"].clone()
}

fn holder(document: &str) -> HandoverRequest {
    HandoverRequest {
        document_number: document.into(),
        collector: Collector::Holder,
        identity_document: "dowód osobisty ABC523456".into(),
        previous_passport: None,
    }
}

fn field_codes(e: &CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Invalid(v) => {
            v.0.iter()
                .map(|f| (f.path.clone(), f.code.clone()))
                .collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_a_hand_over_is_issued_when_the_register_accepted_it() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    let view = c.find_document("DA0000001").await.unwrap();
    assert_eq!(view.verdict, HandoverVerdict::Online);
    let start = Instant::now();
    let saved = c.record_handover(&holder("DA0000001")).await.unwrap();
    assert_eq!(saved.outcome, HandoverOutcome::Issued);
    assert!(!saved.provisional);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        c.handover_outcome(&saved.journal_id).await.unwrap(),
        HandoverOutcome::Issued
    );
    assert_eq!(
        received(&sim, &saved.journal_id).await["collected_by"]["role"],
        "holder"
    );
    assert!(c.status().await.notices.is_empty());
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// The register already has the document as handed over at another
/// counter: the clerk learns it before any "issued", in Polish with what
/// to do, and the notice stays (across a restart) until a supervisor
/// decides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_handed_over_elsewhere_is_refused_and_stays_a_notice() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    // Another counter of the office hands DA0000003 over first.
    let r = post(
        &sim,
        "/v1/handovers",
        serde_json::json!({
            "document_number": "DA0000003", "office": "DEMO", "workstation": "02",
            "clerk_id": "demo-clerk", "device_time": chrono::Utc::now().to_rfc3339(),
            "collected_by": { "role": "holder" }, "identity_check": "dowód osobisty XYZ765432",
            "chip_check": "passed", "previous_passport": null, "provisional": false
        }),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // This counter's ready list still has it waiting.
    let saved = c.record_handover(&holder("DA0000003")).await.unwrap();
    let HandoverOutcome::Refused { refusal } = &saved.outcome else {
        panic!("expected a refusal, got {:?}", saved.outcome);
    };
    assert_eq!(refusal.code, Some(ProblemCode::DocumentAlreadyIssued));
    assert!(refusal.conflict);
    assert_eq!(
        format!("{} {}", refusal.what.pl, refusal.todo.pl),
        "Dokument został już wydany na innym stanowisku lub w innym punkcie. Nie wydawaj go; wezwij kierownika."
    );
    let notices = c.status().await.notices;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(
        (
            notices[0].number.as_str(),
            notices[0].subject,
            notices[0].entry_id.as_str()
        ),
        (
            "DA0000003",
            NoticeSubject::Handover,
            saved.journal_id.as_str()
        )
    );
    assert_eq!(
        notices[0].refusal.code,
        Some(ProblemCode::DocumentAlreadyIssued)
    );
    c.shutdown().await;
    drop(c);

    // Reopened: the notice is still there.
    let c = counter(dir.path(), &sim, "").await;
    let notices = c.status().await.notices;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].entry_id, saved.journal_id);
    // A clerk cannot make it go away; a supervisor's decision does.
    assert!(matches!(
        c.decide(&DecisionInput {
            entry_id: saved.journal_id.clone(),
            outcome: passport_journal::DecisionOutcome::AcceptRefusal,
            note: "Wydany w okienku 2, sprawdzone".into(),
        })
        .await,
        Err(CoreError::NotSupervisor)
    ));
    c.login("demo-supervisor", "demo").await.unwrap();
    c.decide(&DecisionInput {
        entry_id: saved.journal_id.clone(),
        outcome: passport_journal::DecisionOutcome::AcceptRefusal,
        note: "Wydany w okienku 2, sprawdzone".into(),
    })
    .await
    .unwrap();
    assert!(c.status().await.notices.is_empty());
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// Offline, the policy's verdict comes with the document, before the form;
/// a hand-over it allows is queued, provisional, never "issued".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_the_verdict_comes_first_and_the_hand_over_is_queued() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    // The demo office's chip rule is off here (no reader in this test), but
    // offline a passed chip check is needed whatever it says: the verdict
    // says so.
    let c = counter(dir.path(), &sim, "offline_handover = true\n").await;
    post(&sim, "/admin/faults", serde_json::json!({ "outage": true })).await;
    let view = c.find_document("DA0000002").await.unwrap();
    assert_eq!(
        view.verdict,
        HandoverVerdict::Provisional { chip_passed: false }
    );
    assert!(matches!(
        c.record_handover(&holder("DA0000002")).await,
        Err(CoreError::ChipCheckRequired { offline: true, .. })
    ));
    passport_on_reader(&c, dir.path(), "DA0000002").await;
    assert!(c.check_chip("DA0000002", None).await.unwrap().passed);
    assert_eq!(
        c.find_document("DA0000002").await.unwrap().verdict,
        HandoverVerdict::Provisional { chip_passed: true }
    );
    let saved = c.record_handover(&holder("DA0000002")).await.unwrap();
    assert!(saved.provisional);
    assert_eq!(saved.outcome, HandoverOutcome::Queued);
    assert_eq!(
        c.handover_outcome(&saved.journal_id).await.unwrap(),
        HandoverOutcome::Queued
    );
    // The register back: delivered, and only now issued.
    post(
        &sim,
        "/admin/faults",
        serde_json::json!({ "outage": false }),
    )
    .await;
    let start = Instant::now();
    while c.handover_outcome(&saved.journal_id).await.unwrap() != HandoverOutcome::Issued {
        c.engine()
            .drain(&passport_sync::SyncOptions {
                recovery_window: Duration::ZERO,
                until_empty: true,
                deadline: Some(Instant::now() + Duration::from_secs(5)),
                ..passport_sync::SyncOptions::default()
            })
            .await
            .unwrap();
        assert!(start.elapsed() < Duration::from_secs(20), "never issued");
    }
    assert_eq!(received(&sim, &saved.journal_id).await["provisional"], true);

    let off = tempfile::tempdir().unwrap();
    let strict = counter(off.path(), &sim, "").await;
    post(&sim, "/admin/faults", serde_json::json!({ "outage": true })).await;
    let view = strict.find_document("DA0000006").await.unwrap();
    let HandoverVerdict::Forbidden { why, .. } = &view.verdict else {
        panic!("expected the policy to forbid it, got {:?}", view.verdict);
    };
    assert!(why.pl.starts_with("Rejestr jest niedostępny"), "{}", why.pl);
    strict.shutdown().await;
    c.shutdown().await;
    sim.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_adults_passport_goes_to_the_holder_or_a_guardian_with_a_court_ruling() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    let person = |court_ruling: Option<&str>| Collector::LegalGuardian {
        pesel: "70030312347".into(),
        surname: "Nowak".into(),
        given_names: "Jan".into(),
        court_ruling: court_ruling.map(str::to_owned),
    };
    let parent = HandoverRequest {
        collector: Collector::Parent {
            pesel: "70030312347".into(),
            surname: "Nowak".into(),
            given_names: "Jan".into(),
        },
        ..holder("DA0000004")
    };
    let e = c.record_handover(&parent).await.unwrap_err();
    assert_eq!(
        field_codes(&e),
        [("collector.kind".into(), "collector.adult_in_person".into())]
    );
    let without = HandoverRequest {
        collector: person(None),
        ..holder("DA0000004")
    };
    let e = c.record_handover(&without).await.unwrap_err();
    assert_eq!(
        field_codes(&e),
        [(
            "collector.court_ruling".into(),
            "court_ruling.required".into()
        )]
    );
    let garbled = HandoverRequest {
        collector: person(Some("123/24")),
        ..holder("DA0000004")
    };
    let e = c.record_handover(&garbled).await.unwrap_err();
    assert_eq!(
        field_codes(&e),
        [(
            "collector.court_ruling".into(),
            "court_ruling.format".into()
        )]
    );
    // Nothing was saved by the refusals.
    assert_eq!(c.status().await.queue.acknowledged, 0);
    let with = HandoverRequest {
        collector: person(Some(" III  RNs 123/24 ")),
        ..holder("DA0000004")
    };
    let saved = c.record_handover(&with).await.unwrap();
    assert_eq!(saved.outcome, HandoverOutcome::Issued);
    let body = received(&sim, &saved.journal_id).await;
    assert_eq!(body["collected_by"]["role"], "legal_guardian");
    assert_eq!(body["collected_by"]["court_ruling"], "III RNs 123/24");
    assert_eq!(body["collected_by"]["pesel"], "70030312347");
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// A minor's application taken here names both parents: they are offered
/// as collectors, a stranger is refused, and the parent chosen is the one
/// the register receives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_minors_passport_goes_to_a_parent_on_the_application() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    let today = chrono::Local::now().date_naive();
    let birth = chrono::NaiveDate::from_ymd_opt(today.year() - 10, 2, 14).unwrap();
    let parent = |role: &str, serial: u16, sex: Sex, given: &str| GuardianDraft {
        role: role.into(),
        pesel: Pesel::from_parts(
            chrono::NaiveDate::from_ymd_opt(1984, 3, 9).unwrap(),
            serial,
            sex,
        )
        .unwrap()
        .to_string(),
        surname: "Wiśniewska".into(),
        given_names: given.into(),
    };
    let mother = parent("mother", 11, Sex::Female, "Małgorzata");
    let father = parent("father", 12, Sex::Male, "Paweł");
    let mut d = demo::adult_draft(7, today);
    d.applicant.pesel = Pesel::from_parts(birth, 321, Sex::Female)
        .unwrap()
        .to_string();
    d.applicant.birth_date = birth.to_string();
    d.applicant.sex = Sex::Female.code().into();
    d.guardians = vec![mother.clone(), father.clone()];
    let photo = base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG);
    let submitted = c
        .submit_application(&d, Some(&photo), &common::no_biometrics())
        .await
        .unwrap();
    // Sent, then made ready by the register, then on this office's list.
    let start = Instant::now();
    while c.status().await.queue.acknowledged < 1 {
        c.engine()
            .drain(&passport_sync::SyncOptions::default())
            .await
            .unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not acknowledged"
        );
    }
    let r = post(
        &sim,
        "/admin/personalise",
        serde_json::json!({ "application_number": submitted.number }),
    )
    .await;
    assert_eq!(r.status(), 201);
    c.engine().pull_ready_list().await.unwrap();

    let view = c.find_document(&submitted.number).await.unwrap();
    assert!(view.holder_minor && view.guardians_known);
    let offered: Vec<(GuardianKind, &str)> = view
        .guardians
        .iter()
        .map(|g| (g.role, g.pesel.as_str()))
        .collect();
    assert_eq!(
        offered,
        [
            (GuardianKind::Mother, mother.pesel.as_str()),
            (GuardianKind::Father, father.pesel.as_str())
        ]
    );
    let document = view.document.document_number.clone();
    let to = |pesel: &str, given: &str| HandoverRequest {
        collector: Collector::Parent {
            pesel: pesel.into(),
            surname: "Wiśniewska".into(),
            given_names: given.into(),
        },
        ..holder(&document)
    };
    let e = c.record_handover(&holder(&document)).await.unwrap_err();
    assert_eq!(
        field_codes(&e),
        [("collector.kind".into(), "collector.minor".into())]
    );
    let e = c
        .record_handover(&to("70030312347", "Jan"))
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(&e),
        [(
            "collector.pesel".into(),
            "collector.not_on_application".into()
        )]
    );
    let saved = c
        .record_handover(&to(&father.pesel, "Paweł"))
        .await
        .unwrap();
    assert_eq!(saved.outcome, HandoverOutcome::Issued);
    let body = received(&sim, &saved.journal_id).await;
    assert_eq!(body["collected_by"]["role"], "parent");
    assert_eq!(body["collected_by"]["pesel"], father.pesel.as_str());
    assert_eq!(body["collected_by"]["given_names"], "Paweł");
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// The register answering slower than the wait: the screen hears
/// "waiting" in bounded time, and the answer once it comes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_register_is_waited_for_a_bounded_time_then_followed() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "handover_wait_secs = 1\n").await;
    post(
        &sim,
        "/admin/faults",
        serde_json::json!({ "latency_ms": 2500 }),
    )
    .await;
    let start = Instant::now();
    let saved = c.record_handover(&holder("DA0000005")).await.unwrap();
    let waited = start.elapsed();
    assert_eq!(saved.outcome, HandoverOutcome::Waiting);
    // The register's health answer (asked before saving, to know whether
    // the hand-over is provisional: 2.5 s here) and then at most the wait
    // (1 s), not the 2.5 s the hand-over's own answer would take.
    assert!(waited < Duration::from_millis(4500), "{waited:?}");
    post(
        &sim,
        "/admin/faults",
        serde_json::json!({ "latency_ms": 0 }),
    )
    .await;
    let start = Instant::now();
    loop {
        c.engine()
            .drain(&passport_sync::SyncOptions::default())
            .await
            .unwrap();
        match c.handover_outcome(&saved.journal_id).await.unwrap() {
            HandoverOutcome::Issued => break,
            HandoverOutcome::Waiting => {}
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(20), "never issued");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// Opening a document asks the register about it: one handed over at
/// another counter since the ready list is said before any form; offline,
/// the local state stands and is said to be unconfirmed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_document_asks_the_register_for_its_state() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    assert_eq!(
        c.find_document("DA0000003").await.unwrap().register,
        RegisterCheck::Awaiting
    );
    let r = post(
        &sim,
        "/v1/handovers",
        serde_json::json!({
            "document_number": "DA0000003", "office": "DEMO", "workstation": "02",
            "clerk_id": "demo-clerk", "device_time": chrono::Utc::now().to_rfc3339(),
            "collected_by": { "role": "holder" }, "identity_check": "dowód osobisty XYZ765432",
            "chip_check": "passed", "previous_passport": null, "provisional": false
        }),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // The local ready list still says it waits; the register does not.
    let view = c.find_document("DA0000003").await.unwrap();
    assert_eq!(
        view.document.status,
        passport_domain::DocumentState::AwaitingCollection
    );
    assert_eq!(view.register, RegisterCheck::HandedOver);

    // The register gone: bounded, and not checked.
    sim.stop().await.unwrap();
    let start = Instant::now();
    let view = c.find_document("DA0000001").await.unwrap();
    assert_eq!(view.register, RegisterCheck::NotChecked);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    c.shutdown().await;
}

/// The identity document is typed: a number without its kind, or an ID
/// card number with a wrong check digit, is refused at the field in
/// Polish and English; a good one is journaled as "kind number".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identity_document_needs_its_kind_and_a_number_of_that_kind() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    for (text, code) in [
        ("ABC523456", "identity_document.kind"),
        ("dowód osobisty ABC123456", "identity_document.id_card"),
        ("paszport EA12345", "identity_document.passport"),
    ] {
        let mut req = holder("DA0000001");
        req.identity_document = text.into();
        let e = c.record_handover(&req).await.unwrap_err();
        assert_eq!(
            field_codes(&e),
            vec![("identity_document".to_owned(), code.to_owned())],
            "{text}"
        );
    }
    let mut req = holder("DA0000001");
    req.identity_document = "dowód osobisty  abc523456".into();
    let saved = c.record_handover(&req).await.unwrap();
    assert_eq!(
        received(&sim, &saved.journal_id).await["identity_check"],
        "dowód osobisty ABC523456"
    );
    c.shutdown().await;
    sim.stop().await.unwrap();
}

/// An over-long scan is refused with words at the field, not echoed back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_over_long_scan_is_refused_without_echoing_it() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let c = counter(dir.path(), &sim, "").await;
    let long = "X".repeat(200);
    let e = c.find_document(&long).await.unwrap_err();
    assert_eq!(
        field_codes(&e),
        vec![("code".to_owned(), "code.too_long".to_owned())]
    );
    let CoreError::Invalid(v) = &e else {
        unreachable!()
    };
    assert!(
        !v.0[0].message.pl.contains(&long[..31]),
        "{:?}",
        v.0[0].message
    );
    assert!(v.0[0].message.pl.contains("wpisano 200"));
    c.shutdown().await;
    sim.stop().await.unwrap();
}
