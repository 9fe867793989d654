//! The biometrics cut-over over real HTTP on 127.0.0.1: an application
//! without a biometrics section is refused (422 at `biometrics`,
//! `biometrics_required`) when the register's rule asks for fingerprints or
//! a signature and it is dated on or after `biometrics_required_from`, or
//! its workstation has sent the section before (whatever its date, and
//! after a restart on the same database file); where the rule asks for
//! nothing, an absent section is accepted at any date.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use chrono::{Datelike, Days, NaiveDate, Utc};
use passport_domain::biometrics::samples;
use passport_domain::{ApplicationNumber, Pesel, Sex as DomainSex};
use passport_register_contract::{
    ApplicationKind, Biometrics, FingerImage, FingerPosition, Fingerprints, Guardian, GuardianRole,
    IDEMPOTENCY_KEY, PngImage, Problem, ProblemCode, Sex, Signature, SubmitApplication, Validity,
    paths,
};
use passport_register_sim::{SimConfig, SimHandle, spawn};
use std::collections::BTreeSet;
use std::path::Path;

mod common;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The cut-over used here: ten days ago, so applications can be dated
/// before it, on it and after it (never after the register's tomorrow).
fn cutover() -> NaiveDate {
    today() - Days::new(10)
}

async fn sim(db: &Path, required_from: Option<NaiveDate>) -> SimHandle {
    spawn(
        "127.0.0.1:0",
        SimConfig {
            db: Some(db.to_owned()),
            test_admin: true,
            biometrics_required_from: required_from,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

/// Application `seq` of DEMO/`workstation` for someone born on `birth`,
/// dated `on`, without a biometrics section (as release 0.1 sent it), its
/// flags and validity as the rules give them for that age.
fn application(workstation: &str, seq: u64, birth: NaiveDate, on: NaiveDate) -> SubmitApplication {
    let mut a = common::application(seq);
    a.workstation = workstation.into();
    a.application_number = ApplicationNumber::new("DEMO", workstation, seq)
        .unwrap()
        .to_string();
    let pesel = Pesel::from_parts(birth, 123, DomainSex::Female).unwrap();
    a.applicant.pesel = pesel.to_string();
    a.applicant.birth_date = birth.to_string();
    a.applicant.sex = Sex::F;
    a.application_date = on.to_string();
    a.device_time = format!("{on}T10:00:00.000Z");
    let age = passport_domain::application::age_on(birth, on);
    a.fingerprints_required = age >= 12;
    a.signature_required = age >= 13;
    a.validity = Validity::Years(if age >= 12 { 10 } else { 5 });
    if age < 18 {
        a.guardians = vec![Guardian {
            role: GuardianRole::Mother,
            pesel: Pesel::from_parts(years_ago(40), 456, DomainSex::Female)
                .unwrap()
                .to_string(),
            surname: "Nowak".into(),
            given_names: "Anna".into(),
        }];
    }
    assert!(a.biometrics.is_none());
    a
}

fn adult(workstation: &str, seq: u64, on: NaiveDate) -> SubmitApplication {
    application(workstation, seq, years_ago(40), on)
}

/// Eight years old: neither fingerprints nor a signature.
fn child(workstation: &str, seq: u64, on: NaiveDate) -> SubmitApplication {
    application(workstation, seq, years_ago(8), on)
}

fn temporary(mut a: SubmitApplication) -> SubmitApplication {
    a.kind = ApplicationKind::Temporary {
        urgent_reason: "Wyjazd na leczenie".into(),
        validity_days: 30,
    };
    a.validity = Validity::Days(30);
    a.fingerprints_required = false;
    a
}

fn years_ago(years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(today().year() - years, 1, 15).unwrap()
}

fn png(bytes: &[u8], width: u32, height: u32) -> PngImage {
    use sha2::{Digest, Sha256};
    PngImage {
        width,
        height,
        sha256: format!("{:x}", Sha256::digest(bytes)),
        base64: common::base64(bytes),
    }
}

/// An adult's biometrics: an index finger of each hand and a signature.
fn with_biometrics(mut a: SubmitApplication) -> SubmitApplication {
    let finger = |position, seed| FingerImage {
        position,
        quality: 80,
        image: png(&samples::finger_png(seed), 300, 400),
    };
    a.biometrics = Some(Biometrics {
        fingerprints: Some(Fingerprints {
            captures: vec![
                finger(FingerPosition::LeftIndex, 1),
                finger(FingerPosition::RightIndex, 2),
            ],
            exceptions: Vec::new(),
        }),
        signature: Some(Signature::Signed {
            image: png(&samples::signature_png(), 400, 120),
        }),
    });
    a
}

/// Posts `a` under `key`: the status and the (path, code) of each field
/// problem, a 422 checked to be `validation`.
async fn post(
    s: &SimHandle,
    key: &str,
    a: &SubmitApplication,
) -> (u16, BTreeSet<(String, String)>) {
    let r = reqwest::Client::new()
        .post(format!("{}{}", s.url(), paths::APPLICATIONS))
        .header(IDEMPOTENCY_KEY, key)
        .json(a)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    if status < 300 {
        return (status, BTreeSet::new());
    }
    let p: Problem = serde_json::from_str(&text).unwrap();
    assert_eq!(p.kind(), Some(ProblemCode::Validation), "{text}");
    let fields = p.fields.into_iter().map(|f| (f.path, f.code)).collect();
    (status, fields)
}

fn accepted() -> (u16, BTreeSet<(String, String)>) {
    (201, BTreeSet::new())
}

fn required() -> (u16, BTreeSet<(String, String)>) {
    let field = ("biometrics".to_owned(), "biometrics_required".to_owned());
    (422, BTreeSet::from([field]))
}

#[tokio::test]
async fn from_the_cutover_date_the_section_is_required_where_the_rule_asks_for_biometrics() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(&dir.path().join("register.db"), Some(cutover())).await;
    let before = cutover() - Days::new(1);

    // Release 0.1's application, dated the day before: accepted.
    assert_eq!(
        post(&s, "k-before", &adult("01", 1, before)).await,
        accepted()
    );
    // On the date and after it: refused at `biometrics`, and nothing else.
    assert_eq!(
        post(&s, "k-on", &adult("01", 2, cutover())).await,
        required()
    );
    assert_eq!(
        post(&s, "k-today", &adult("01", 3, today())).await,
        required()
    );
    // The refusal is final: recorded and replayed for the same key.
    assert_eq!(
        post(&s, "k-on", &adult("01", 2, cutover())).await,
        required()
    );
    let kept = reqwest::get(format!("{}/admin/received/k-on", s.url()))
        .await
        .unwrap()
        .status()
        .as_u16();
    assert_eq!(kept, 404, "a refused application is not kept");

    // Nothing required, nothing to send: a child under 12, a temporary
    // passport under 12 (an absent section says what an empty one would).
    assert_eq!(
        post(&s, "k-child", &child("01", 4, today())).await,
        accepted()
    );
    let t = temporary(child("01", 5, today()));
    assert_eq!(post(&s, "k-temporary-child", &t).await, accepted());
    // An adult's temporary passport needs no fingerprints but a signature.
    let t = temporary(adult("01", 6, today()));
    assert_eq!(post(&s, "k-temporary-adult", &t).await, required());
    // With the section, as every counter since release 0.1 sends it.
    let a = with_biometrics(adult("01", 7, today()));
    assert_eq!(post(&s, "k-with", &a).await, accepted());
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_workstation_that_sent_biometrics_is_held_to_them_whatever_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let s = sim(&db, Some(cutover())).await;
    let old = cutover() - Days::new(5);

    // DEMO/01's offline queue after its upgrade, in order: a release 0.1
    // application, then its first with biometrics.
    assert_eq!(
        post(&s, "k-01-queued", &adult("01", 1, old)).await,
        accepted()
    );
    let a = with_biometrics(adult("01", 2, today()));
    assert_eq!(post(&s, "k-01-upgraded", &a).await, accepted());
    // Then one without, dated before the cut-over: backdated, refused.
    assert_eq!(
        post(&s, "k-01-backdated", &adult("01", 3, old)).await,
        required()
    );
    // Still nothing is asked where the rule asks for nothing.
    assert_eq!(
        post(&s, "k-01-child", &child("01", 4, old)).await,
        accepted()
    );
    // Another workstation with the same date has sent no biometrics: its
    // release 0.1 queue is accepted.
    assert_eq!(
        post(&s, "k-02-queued", &adult("02", 1, old)).await,
        accepted()
    );
    s.stop().await.unwrap();

    // Restarted on the same database file, even with no cut-over date set:
    // DEMO/01 is still held to them, DEMO/02 still is not.
    let s = sim(&db, None).await;
    assert_eq!(
        post(&s, "k-01-after-restart", &adult("01", 5, old)).await,
        required()
    );
    assert_eq!(
        post(&s, "k-01-today", &adult("01", 6, today())).await,
        required()
    );
    assert_eq!(
        post(&s, "k-02-after-restart", &adult("02", 2, old)).await,
        accepted()
    );
    // Without a date, DEMO/02's application of today without the section is
    // still taken for a release 0.1 one.
    assert_eq!(
        post(&s, "k-02-today", &adult("02", 3, today())).await,
        accepted()
    );
    s.stop().await.unwrap();
}

/// A refused application with a biometrics section does not count as the
/// workstation's upgrade: only what the register accepted does (a counter
/// whose first biometrics were refused corrects and resends them; its
/// earlier queue is not affected either way, it came first).
#[tokio::test]
async fn only_an_accepted_section_marks_the_workstation() {
    let dir = tempfile::tempdir().unwrap();
    let s = sim(&dir.path().join("register.db"), None).await;
    let old = cutover() - Days::new(5);
    let mut a = with_biometrics(adult("03", 1, today()));
    a.fingerprints_required = false;
    assert_eq!(post(&s, "k-03-refused", &a).await.0, 422);
    assert_eq!(
        post(&s, "k-03-queued", &adult("03", 2, old)).await,
        accepted()
    );
    s.stop().await.unwrap();
}

#[test]
fn the_command_line_date_is_exactly_yyyy_mm_dd() {
    use passport_register_sim::parse_required_from;
    assert_eq!(
        parse_required_from("2027-01-01"),
        Ok(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())
    );
    for bad in [
        "2027-1-1",
        "2027-02-30",
        "",
        "01.01.2027",
        "2027-01-01T00:00",
    ] {
        assert!(parse_required_from(bad).is_err(), "{bad}");
    }
}

/// The register announces its cut-over date in its health answer, and
/// leaves the field out while it has none.
#[tokio::test]
async fn the_health_answer_announces_the_cutover_date() {
    let dir = tempfile::tempdir().unwrap();
    let health = |s: &SimHandle| {
        let url = format!("{}{}", s.url(), paths::HEALTH);
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };
    let s = sim(&dir.path().join("with.db"), Some(cutover())).await;
    let h: passport_register_contract::Health = serde_json::from_str(&health(&s).await).unwrap();
    assert_eq!(h.biometrics_required_from, Some(cutover().to_string()));
    s.stop().await.unwrap();

    let s = sim(&dir.path().join("without.db"), None).await;
    let text = health(&s).await;
    assert!(!text.contains("biometrics_required_from"), "{text}");
    let h: passport_register_contract::Health = serde_json::from_str(&text).unwrap();
    assert_eq!(h.biometrics_required_from, None);
    assert_eq!(h.status, "ok");
    s.stop().await.unwrap();
}
