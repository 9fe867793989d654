//! What the clerk entered is what the register stores, field by field.
//!
//! A property test generates actions of every kind — adult, minor with two
//! parents, one parent with each consent basis, temporary and second
//! passports; hand-overs to the holder, a parent named on the application
//! and a legal guardian of an adult with the court ruling's reference, with
//! and without the previous passport; invalidations for every reason —,
//! saves them through the real journal (a SQLite file), drains them with the
//! real sync engine over HTTP to the register simulator on 127.0.0.1, and
//! compares what the simulator accepted (`GET /admin/received/{key}`, the
//! request as it parsed it) with the input, field by field. The comparison
//! is written out here by hand, independently of the conversions it checks.
//!
//! It was written after a hand-over to a parent reached the register as
//! "collected by the holder" while every other test passed.
//!
//! The application carries its biometrics as the rules require them by
//! kind and age: on each hand the index finger or, after exceptions
//! (missing, or temporarily impossible with a supervisor), the next finger
//! of the fallback order, or exceptions for the whole hand; the signature
//! drawn (strokes and image), given as an image, or why there is none. The
//! register must receive every finger's position, quality and exact image
//! bytes, every exception with its reason, and the signature's image.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use chrono::{Datelike, NaiveDate};
use passport_domain::application::{
    Address, ApplicantDraft, ApplicationDraft, ApplicationRules, ConsentDraft, Contact,
    GuardianDraft,
};
use passport_domain::{InvalidationReason, Pesel, Sex, demo};
use passport_journal::{
    ChipCheck, Collector, HandoverPayload, Identity, Journal, JournalOptions, ReadyDocument,
};
use passport_register_client::{BreakerConfig, ClientConfig, RegisterClient};
use passport_register_contract as wire;
use passport_register_sim::{SimConfig, spawn};
use passport_sync::{PacerConfig, SyncEngine, SyncOptions};
use proptest::prelude::*;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Names as clerks type them: Polish letters, hyphens, apostrophes.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Żółkiewska",
        "Łukasiewicz-Śliwa",
        "Nowak",
        "O'Brien",
        "Grzegorzewski",
        "Ćwik",
        "Dąbrowska",
        "Źrebięta",
    ])
    .prop_map(str::to_owned)
}

fn given() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Anna Maria",
        "Jakub",
        "Łucja",
        "Zoë",
        "Jan Paweł",
        "Ewa",
    ])
    .prop_map(str::to_owned)
}

fn pesel_for(birth: NaiveDate, serial: u16, sex: Sex) -> String {
    Pesel::from_parts(birth, serial, sex).unwrap().to_string()
}

#[derive(Debug, Clone)]
enum Who {
    Adult,
    /// Aged 12–17.
    Teen,
    /// Under 12.
    Child,
}

#[derive(Debug, Clone)]
enum Parents {
    Both,
    /// One parent and the basis (`other_parent_consent` …) with a reference.
    One(&'static str),
}

#[derive(Debug, Clone)]
enum Kind {
    Passport,
    Temporary { reason: String, days: u32 },
    Second { justification: String },
}

#[derive(Debug, Clone)]
struct Case {
    who: Who,
    parents: Parents,
    kind: Kind,
    female: bool,
    serial: u16,
    surname: String,
    given: String,
    address: bool,
    email: bool,
    reduction: Option<&'static str>,
    large_family: bool,
    previous: Option<u32>,
    /// An adult: 0 the holder, 1–2 a legal guardian with a court ruling. A
    /// minor: a parent named on the application (1: the second, when two).
    collector: u8,
    /// The court ruling's reference an adult's guardian gives.
    ruling: String,
    handover_previous: Option<u32>,
    reason: InvalidationReason,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop_oneof![Just(Who::Adult), Just(Who::Teen), Just(Who::Child)],
            prop_oneof![
                Just(Parents::Both),
                Just(Parents::One("other_parent_consent")),
                Just(Parents::One("court_ruling")),
                Just(Parents::One("other_parent_deceased")),
                Just(Parents::One("father_unknown")),
            ],
            prop_oneof![
                Just(Kind::Passport),
                (1u32..=365).prop_map(|days| Kind::Temporary {
                    reason: "Leczenie za granicą — skierowanie nr 12/2026".into(),
                    days
                }),
                Just(Kind::Second {
                    justification: "Częste wyjazdy służbowe, wizy w drugim paszporcie".into()
                }),
            ],
            any::<bool>(),
            0u16..5000,
            name(),
            given(),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop::sample::select(vec![
                "student",
                "pensioner",
                "disabled",
            ])),
            any::<bool>(),
            prop::option::of(1_000_000u32..9_999_999),
            0u8..3,
            prop::option::of(1_000_000u32..9_999_999),
            prop::sample::select(InvalidationReason::ALL.to_vec()),
            (
                prop::sample::select(vec!["I", "III", "IV", "XII"]),
                prop::sample::select(vec!["RNs", "Ns", "Nsm", "C Nsm"]),
                1u32..=999_999,
                prop_oneof![
                    (0u32..100).prop_map(|y| format!("{y:02}")),
                    (1990u32..2100).prop_map(|y| y.to_string())
                ],
            )
                .prop_map(|(d, r, n, y)| format!("{d} {r} {n}/{y}")),
        ),
    )
        .prop_map(
            |(
                (who, parents, kind, female, serial, surname, given),
                (address, email, reduction, large_family, previous, collector, hp, reason, ruling),
            )| Case {
                who,
                parents,
                kind,
                female,
                serial,
                surname,
                given,
                address,
                email,
                reduction,
                large_family,
                previous,
                collector,
                ruling,
                handover_previous: hp,
                reason,
            },
        )
}

fn parent(role: &str, serial: u16) -> GuardianDraft {
    let sex = if role == "father" {
        Sex::Male
    } else {
        Sex::Female
    };
    GuardianDraft {
        role: role.into(),
        pesel: pesel_for(NaiveDate::from_ymd_opt(1984, 3, 9).unwrap(), serial, sex),
        surname: "Wiśniewska-Kołodziej".into(),
        given_names: if role == "father" {
            "Paweł"
        } else {
            "Małgorzata"
        }
        .into(),
    }
}

fn draft(c: &Case) -> ApplicationDraft {
    let t = today();
    let years = match c.who {
        Who::Adult => 24,
        Who::Teen => 15,
        Who::Child => 7,
    };
    let birth = NaiveDate::from_ymd_opt(t.year() - years, 2, 14).unwrap();
    let sex = if c.female { Sex::Female } else { Sex::Male };
    let mut d = ApplicationDraft {
        kind: "passport".into(),
        applicant: ApplicantDraft {
            pesel: pesel_for(birth, c.serial, sex),
            surname: c.surname.clone(),
            given_names: c.given.clone(),
            birth_date: birth.to_string(),
            birth_place: "Gorzów Wielkopolski".into(),
            sex: sex.code().into(),
            citizenship: "POL".into(),
            address: c.address.then(|| Address {
                street: Some("Świętokrzyska".into()),
                building: "12A".into(),
                flat: Some("7".into()),
                postal_code: "00-116".into(),
                city: "Warszawa".into(),
                country: None,
            }),
            contact: Some(Contact {
                phone: Some("+48 600 100 200".into()),
                email: c.email.then(|| "jan.kowalski@example.pl".into()),
            }),
        },
        photo: Some("photo.png".into()),
        applicant_present: true,
        previous_passport: c.previous.map(|n| format!("EA{n:07}")),
        reduction: c
            .reduction
            .filter(|_| matches!(c.who, Who::Adult))
            .map(str::to_owned),
        large_family_card: c.large_family.then(|| "KDR/2024/000123".into()),
        ..Default::default()
    };
    match &c.kind {
        Kind::Passport => {}
        Kind::Temporary { reason, days } => {
            d.kind = "temporary".into();
            d.urgent_reason = Some(reason.clone());
            d.validity_days = Some(*days);
        }
        Kind::Second { justification } => {
            d.kind = "second".into();
            d.second_passport_justification = Some(justification.clone());
            d.existing_passport = Some("EB1234567".into());
        }
    }
    if !matches!(c.who, Who::Adult) {
        match c.parents {
            Parents::Both => {
                d.guardians = vec![parent("mother", 11), parent("father", 12)];
            }
            Parents::One(basis) => {
                d.guardians = vec![parent("mother", 11)];
                d.consent = Some(ConsentDraft {
                    basis: basis.into(),
                    reference: (basis != "father_unknown").then(|| "III RC 12/25".into()),
                });
            }
        }
    }
    d
}

fn client(url: &str) -> Arc<RegisterClient> {
    let mut c = ClientConfig::new(url);
    c.backoff_base = Duration::from_millis(20);
    c.backoff_cap = Duration::from_millis(200);
    c.breaker = BreakerConfig {
        threshold: 3,
        open_for: Duration::from_millis(100),
        max_open: Duration::from_millis(200),
        jitter: true,
    };
    Arc::new(RegisterClient::new(c).unwrap())
}

fn options() -> SyncOptions {
    SyncOptions {
        until_empty: true,
        deadline: Some(Instant::now() + Duration::from_secs(30)),
        recovery_window: Duration::from_millis(10),
        batch: 100,
        start_offline: false,
        pacer: PacerConfig {
            recovery_interval: Duration::from_millis(10),
            min_after_overload: Duration::from_millis(50),
            ..PacerConfig::default()
        },
    }
}

async fn received<T: serde::de::DeserializeOwned>(url: &str, key: &str) -> T {
    #[derive(serde::Deserialize)]
    struct Received<T> {
        body: T,
    }
    let r = reqwest::get(format!("{url}/admin/received/{key}"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the register accepted nothing under {key}");
    r.json::<Received<T>>().await.unwrap().body
}

/// The submission as received against the draft the clerk typed.
fn assert_application(d: &ApplicationDraft, got: &wire::SubmitApplication) {
    let a = &d.applicant;
    let g = &got.applicant;
    assert_eq!(g.pesel, a.pesel);
    assert_eq!(g.surname, a.surname);
    assert_eq!(g.given_names, a.given_names);
    assert_eq!(g.birth_date, a.birth_date);
    assert_eq!(g.birth_place, a.birth_place);
    assert_eq!(
        match g.sex {
            wire::Sex::F => "F",
            wire::Sex::M => "M",
        },
        a.sex
    );
    assert_eq!(g.citizenship, a.citizenship);
    match (&a.address, &g.address) {
        (None, None) => {}
        (Some(x), Some(y)) => {
            // No country typed means Poland (the domain fills it in).
            let country = x.country.clone().or_else(|| Some("POL".into()));
            assert_eq!(
                (
                    &y.street,
                    &y.building,
                    &y.flat,
                    &y.postal_code,
                    &y.city,
                    &y.country
                ),
                (
                    &x.street,
                    &x.building,
                    &x.flat,
                    &x.postal_code,
                    &x.city,
                    &country
                )
            );
        }
        other => panic!("address: {other:?}"),
    }
    let (c, gc) = (a.contact.as_ref().unwrap(), g.contact.as_ref().unwrap());
    assert_eq!((&gc.phone, &gc.email), (&c.phone, &c.email));
    match (&d.kind[..], &got.kind) {
        ("passport", wire::ApplicationKind::Passport) => {}
        (
            "temporary",
            wire::ApplicationKind::Temporary {
                urgent_reason,
                validity_days,
            },
        ) => {
            assert_eq!(Some(urgent_reason), d.urgent_reason.as_ref());
            assert_eq!(Some(*validity_days), d.validity_days);
        }
        (
            "second",
            wire::ApplicationKind::Second {
                justification,
                existing_passport,
            },
        ) => {
            assert_eq!(
                Some(justification),
                d.second_passport_justification.as_ref()
            );
            assert_eq!(Some(existing_passport), d.existing_passport.as_ref());
        }
        other => panic!("kind: {other:?}"),
    }
    assert_eq!(got.guardians.len(), d.guardians.len());
    for (x, y) in d.guardians.iter().zip(&got.guardians) {
        let role = match y.role {
            wire::GuardianRole::Mother => "mother",
            wire::GuardianRole::Father => "father",
            wire::GuardianRole::LegalGuardian => "legal_guardian",
        };
        assert_eq!(
            (role, &y.pesel, &y.surname, &y.given_names),
            (&x.role[..], &x.pesel, &x.surname, &x.given_names)
        );
    }
    match (&d.consent, d.guardians.len(), &got.consent) {
        (_, 0, None) | (None, 2, Some(wire::Consent::BothParentsPresent)) => {}
        (Some(c), 1, Some(got)) => {
            let (basis, reference) = match got {
                wire::Consent::OtherParentConsent { reference } => {
                    ("other_parent_consent", Some(reference))
                }
                wire::Consent::CourtRuling { reference } => ("court_ruling", Some(reference)),
                wire::Consent::OtherParentDeceased { reference } => {
                    ("other_parent_deceased", Some(reference))
                }
                wire::Consent::FatherUnknown => ("father_unknown", None),
                wire::Consent::BothParentsPresent => ("both_parents_present", None),
            };
            assert_eq!(basis, c.basis);
            assert_eq!(reference, c.reference.as_ref());
        }
        other => panic!("consent: {other:?}"),
    }
    let reduction = match got.reduction {
        wire::Reduction::None => None,
        wire::Reduction::Student => Some("student"),
        wire::Reduction::Pensioner => Some("pensioner"),
        wire::Reduction::Disabled => Some("disabled"),
    };
    assert_eq!(reduction, d.reduction.as_deref());
    assert_eq!(got.large_family_card, d.large_family_card);
    assert_eq!(got.previous_passport, d.previous_passport);
    assert_eq!(got.applicant_present, d.applicant_present);
    assert_eq!(got.photo.base64, {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG)
    });
}

/// One hand: how many fingers of the fallback order (index, middle, ring,
/// thumb) have an exception before the one taken (4: the whole hand), and
/// whether those exceptions are temporary (a supervisor confirmed them).
#[derive(Debug, Clone)]
struct HandCase {
    skipped: usize,
    temporary: bool,
    quality: u32,
    seed: u32,
}

#[derive(Debug, Clone)]
enum SignatureCase {
    /// Drawn on a 400×120 pad: strokes of (x, y) with rising times.
    Drawn(Vec<Vec<(u16, u16)>>),
    Image,
    CannotSign(&'static str),
}

#[derive(Debug, Clone)]
struct BioCase {
    left: HandCase,
    right: HandCase,
    signature: SignatureCase,
}

fn hand() -> impl Strategy<Value = HandCase> {
    (
        prop_oneof![4 => Just(0usize), 1 => 1usize..=4],
        any::<bool>(),
        0u32..=100,
        0u32..10,
    )
        .prop_map(|(skipped, temporary, quality, seed)| HandCase {
            skipped,
            temporary,
            quality,
            seed,
        })
}

fn bio_case() -> impl Strategy<Value = BioCase> {
    let stroke = prop::collection::vec((0u16..400, 0u16..120), 1..30);
    (
        hand(),
        hand(),
        prop_oneof![
            prop::collection::vec(stroke, 1..5).prop_map(SignatureCase::Drawn),
            Just(SignatureCase::Image),
            prop::sample::select(vec!["Niedowład obu rąk", "Nie umie pisać — zaświadczenie"])
                .prop_map(SignatureCase::CannotSign),
        ],
    )
        .prop_map(|(left, right, signature)| BioCase {
            left,
            right,
            signature,
        })
}

/// The register's seeded supervisor: the register refuses a confirmation
/// by an account it does not know, or by one without the supervisor role.
const SUPERVISOR: &str = "demo-supervisor";

/// The biometrics the case describes, with what the rules require of `d`.
fn biometrics_draft(
    b: &BioCase,
    d: &ApplicationDraft,
    rules: &ApplicationRules,
) -> passport_domain::biometrics::BiometricsDraft {
    use base64::Engine;
    use passport_domain::biometrics::*;
    let required = d.biometrics_requirement(rules).unwrap();
    let mut draft = BiometricsDraft::default();
    if required.fingerprints {
        for (h, case) in [(Hand::Left, &b.left), (Hand::Right, &b.right)] {
            for (i, digit) in FALLBACK_ORDER.into_iter().enumerate() {
                let position = FingerPosition::new(h, digit);
                if i < case.skipped {
                    draft.finger_exceptions.push(FingerExceptionDraft {
                        position,
                        reason: if case.temporary {
                            FingerExceptionKind::TemporarilyImpossible
                        } else {
                            FingerExceptionKind::Missing
                        },
                        supervisor: case.temporary.then(|| SUPERVISOR.to_owned()),
                        // The domain asks that a confirmation is there; the
                        // core checks its seal (`counter-core` tests), not
                        // what this test follows: journal to register.
                        confirmation: case.temporary.then(|| SupervisorConfirmation {
                            confirmed_at: "2026-11-29T10:00:00Z".into(),
                            pesel: d.applicant.pesel.clone(),
                            seal: "0".repeat(64),
                        }),
                    });
                } else {
                    draft.fingers.push(FingerCaptureDraft {
                        position,
                        quality: case.quality,
                        png_base64: base64::engine::general_purpose::STANDARD
                            .encode(samples::finger_png(case.seed + i as u32)),
                    });
                    break;
                }
            }
        }
    }
    if required.signature {
        let image = base64::engine::general_purpose::STANDARD.encode(samples::signature_png());
        draft.signature = Some(match &b.signature {
            SignatureCase::Drawn(strokes) => {
                let mut t = 0;
                SignatureDraft::Signed(SignedDraft {
                    width: 400,
                    height: 120,
                    strokes: strokes
                        .iter()
                        .map(|s| {
                            s.iter()
                                .map(|&(x, y)| {
                                    t += 16;
                                    StrokePoint { x, y, t_ms: t }
                                })
                                .collect()
                        })
                        .collect(),
                    png_base64: image,
                })
            }
            SignatureCase::Image => {
                SignatureDraft::Image(SignatureImageDraft { png_base64: image })
            }
            SignatureCase::CannotSign(reason) => SignatureDraft::CannotSign(CannotSignDraft {
                reason: (*reason).to_owned(),
            }),
        });
    }
    draft
}

/// The biometrics as received against the draft, by hand.
fn assert_biometrics(
    b: &passport_domain::biometrics::BiometricsDraft,
    app: &passport_domain::ValidApplication,
    got: &wire::SubmitApplication,
) {
    use passport_domain::biometrics::{FingerExceptionKind, SignatureDraft};
    let received = got.biometrics.as_ref().expect("biometrics are sent");
    assert_eq!(got.fingerprints_required, app.fingerprints_required);
    assert_eq!(got.signature_required, app.signature_required);
    match &received.fingerprints {
        None => assert!(!app.fingerprints_required && b.fingers.is_empty()),
        Some(f) => {
            assert!(app.fingerprints_required);
            assert_eq!(f.captures.len(), b.fingers.len());
            for (sent, given) in f.captures.iter().zip(&b.fingers) {
                // The contract's finger names are MOSIP's, as the domain's.
                assert_eq!(
                    serde_json::to_value(sent.position).unwrap(),
                    given.position.mosip_name()
                );
                assert_eq!(u32::from(sent.quality), given.quality);
                assert_eq!(sent.image.base64, given.png_base64);
                assert_eq!((sent.image.width, sent.image.height), (300, 400));
            }
            assert_eq!(f.exceptions.len(), b.finger_exceptions.len());
            for (sent, given) in f.exceptions.iter().zip(&b.finger_exceptions) {
                assert_eq!(
                    serde_json::to_value(sent.position).unwrap(),
                    given.position.mosip_name()
                );
                let reason = match sent.reason {
                    wire::FingerExceptionReason::Missing => FingerExceptionKind::Missing,
                    wire::FingerExceptionReason::TemporarilyImpossible => {
                        FingerExceptionKind::TemporarilyImpossible
                    }
                };
                assert_eq!(reason, given.reason);
                assert_eq!(sent.supervisor_id, given.supervisor);
            }
        }
    }
    match (&received.signature, &b.signature) {
        (None, None) => assert!(!app.signature_required),
        (Some(wire::Signature::Signed { image }), Some(SignatureDraft::Signed(s))) => {
            assert_eq!(image.base64, s.png_base64);
        }
        (Some(wire::Signature::Signed { image }), Some(SignatureDraft::Image(s))) => {
            assert_eq!(image.base64, s.png_base64);
        }
        (Some(wire::Signature::CannotSign { reason }), Some(SignatureDraft::CannotSign(s))) => {
            assert_eq!(reason, &s.reason);
        }
        (got, given) => panic!("signature: sent {got:?}, given {given:?}"),
    }
}

async fn run(c: Case, bio: BioCase) {
    let t0 = today();
    let rules = ApplicationRules::new(t0);
    let d = draft(&c);
    let b = biometrics_draft(&bio, &d, &rules);
    let app = d
        .validate_with_biometrics(Some(demo::PHOTO_PNG), &b, &rules)
        .unwrap_or_else(|e| panic!("the generated application is valid: {e}\n{d:#?}"));
    let sim = spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let url = sim.url();
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(
        &dir.path().join("journal.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    let engine = SyncEngine::new(j.clone(), client(&url));

    // The application.
    let saved = j
        .submit_application(&app, demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    assert_eq!(engine.drain(&options()).await.unwrap().acknowledged, 1);
    let got: wire::SubmitApplication = received(&url, &saved.journal_id).await;
    assert_application(&d, &got);
    assert_biometrics(&b, &app, &got);
    assert_eq!(got.application_number, saved.number);
    assert_eq!((&got.office[..], &got.clerk_id[..]), ("DEMO", "clerk-1"));

    // Its passport, personalised, handed over.
    let ready: wire::ReadyDocument = reqwest::Client::new()
        .post(format!("{url}/admin/personalise"))
        .json(&serde_json::json!({ "application_number": saved.number }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    j.cache_ready_documents(&[ReadyDocument {
        document_number: ready.document_number.clone(),
        application_number: ready.application_number.clone(),
        pesel: ready.holder.pesel.clone(),
        surname: ready.holder.surname.clone(),
        given_names: ready.holder.given_names.clone(),
        mrz_line1: Some(ready.mrz_line1.clone()),
        mrz_line2: Some(ready.mrz_line2.clone()),
    }])
    .await
    .unwrap();
    // Who may collect is the register's rule too: an adult in person or
    // through a guardian with a court ruling, a minor through a parent on
    // the application.
    let guardian = match c.collector {
        1 => d.guardians.get(1).or(d.guardians.first()),
        _ => d.guardians.first(),
    }
    .cloned()
    .unwrap_or_else(|| parent("mother", 44));
    let person = || {
        (
            Pesel::parse(&guardian.pesel).unwrap(),
            guardian.surname.clone(),
            guardian.given_names.clone(),
        )
    };
    let collected_by = match (&c.who, c.collector) {
        (Who::Adult, 0) => Collector::Holder,
        (Who::Adult, _) => {
            let (pesel, surname, given_names) = person();
            Collector::LegalGuardian {
                pesel,
                surname,
                given_names,
                court_ruling: Some(c.ruling.clone()),
            }
        }
        (Who::Teen | Who::Child, _) => {
            let (pesel, surname, given_names) = person();
            Collector::Parent {
                pesel,
                surname,
                given_names,
            }
        }
    };
    let h = HandoverPayload {
        document_number: ready.document_number.clone(),
        collected_by: collected_by.clone(),
        identity_check: "dowód osobisty ABC 123456".into(),
        chip_check: if c.serial.is_multiple_of(2) {
            ChipCheck::Passed
        } else {
            ChipCheck::NotChecked
        },
        previous_passport: c.handover_previous.map(|n| format!("EC{n:07}")),
        provisional: c.serial.is_multiple_of(3),
    };
    let (_, handover_id) = j.record_handover(&h, "clerk-2").await.unwrap();
    assert_eq!(engine.drain(&options()).await.unwrap().acknowledged, 1);
    let got: wire::RecordHandover = received(&url, &handover_id).await;
    assert_eq!(got.document_number, h.document_number);
    match (&collected_by, &got.collected_by) {
        (Collector::Holder, wire::Collector::Holder) => {}
        (
            Collector::Parent {
                pesel,
                surname,
                given_names,
            },
            wire::Collector::Parent {
                pesel: p,
                surname: s,
                given_names: g,
            },
        ) => {
            assert_eq!(
                (&pesel.to_string(), surname, given_names),
                (p, s, g),
                "the collector reaches the register as recorded"
            );
        }
        (
            Collector::LegalGuardian {
                pesel,
                surname,
                given_names,
                court_ruling,
            },
            wire::Collector::LegalGuardian {
                pesel: p,
                surname: s,
                given_names: g,
                court_ruling: r,
            },
        ) => {
            assert_eq!(
                (&pesel.to_string(), surname, given_names, court_ruling),
                (p, s, g, r),
                "the guardian and the court ruling reach the register as recorded"
            );
        }
        other => panic!("collector: {other:?}"),
    }
    assert_eq!(got.identity_check, h.identity_check);
    assert_eq!(
        got.chip_check,
        match h.chip_check {
            ChipCheck::Passed => wire::ChipCheck::Passed,
            ChipCheck::NotChecked => wire::ChipCheck::NotChecked,
        }
    );
    assert_eq!(got.previous_passport, h.previous_passport);
    assert_eq!(got.provisional, h.provisional);
    assert_eq!(got.clerk_id, "clerk-2");

    // The same passport invalidated, for the generated reason.
    let (_, inv_id) = j
        .invalidate_document(&ready.document_number, c.reason, "clerk-3")
        .await
        .unwrap();
    assert_eq!(engine.drain(&options()).await.unwrap().acknowledged, 1);
    let got: wire::InvalidateDocument = received(&url, &inv_id).await;
    assert_eq!(got.document_number, ready.document_number);
    assert_eq!(
        serde_json::to_value(got.reason).unwrap(),
        c.reason.as_str(),
        "the reason reaches the register as recorded"
    );
    assert!(j.verify().await.unwrap().ok());
    sim.stop().await.unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn what_the_clerk_entered_is_what_the_register_stores(c in case(), bio in bio_case()) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(c, bio));
    }
}
