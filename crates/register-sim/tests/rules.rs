//! The field rules `docs/register-openapi.json` states, enforced over real
//! HTTP on 127.0.0.1: every broken rule of a write in one 422 `validation`
//! (before any record is looked up), the ready-list cursor and limit, and
//! the answers hyper gives before the register's code runs (a declared body
//! over the limit, a request line too long) with a `Problem` body.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use chrono::{Days, NaiveDate, Utc};
use passport_domain::{Pesel, Sex as DomainSex};
use passport_register_contract::{
    Address, ApplicationKind, ChipCheck, Collector, Contact, Guardian, GuardianRole,
    IDEMPOTENCY_KEY, InvalidateDocument, InvalidationReason, Problem, ProblemCode, RecordHandover,
    Reduction, Sex, SubmitApplication, Validity, paths,
};
mod common;
use common::application;
use passport_register_sim::{Faults, SimHandle};
use std::collections::BTreeSet;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn sim() -> SimHandle {
    common::sim(Faults::default(), 13).await
}

/// Posts `body` under `key`; the status and the (path, code) of each field
/// problem.
async fn post(
    s: &SimHandle,
    path: &str,
    key: &str,
    body: &impl serde::Serialize,
) -> (u16, BTreeSet<(String, String)>) {
    let r = reqwest::Client::new()
        .post(format!("{}{path}", s.url()))
        .header(IDEMPOTENCY_KEY, key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    if status < 300 {
        return (status, BTreeSet::new());
    }
    let p: Problem = serde_json::from_str(&text).unwrap();
    if status == 422 {
        assert_eq!(p.kind(), Some(ProblemCode::Validation), "{text}");
    }
    let fields = p.fields.into_iter().map(|f| (f.path, f.code)).collect();
    (status, fields)
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
        .collect()
}

/// Application `seq` for a person born on `birth`, applied for today.
fn born(seq: u64, birth: NaiveDate) -> SubmitApplication {
    let mut a = application(seq);
    let pesel = Pesel::from_parts(birth, 123, DomainSex::Female).unwrap();
    a.applicant.pesel = pesel.to_string();
    a.applicant.birth_date = birth.to_string();
    a.applicant.sex = Sex::F;
    a.application_date = Utc::now().date_naive().to_string();
    // The biometrics the register requires at that age (its own rule).
    let age = passport_domain::application::age_on(birth, Utc::now().date_naive());
    a.fingerprints_required = age >= 12;
    a.signature_required = age >= 13;
    a
}

fn years_ago(years: u32) -> NaiveDate {
    let today = Utc::now().date_naive();
    NaiveDate::from_ymd_opt(today.year_ce().1 as i32 - years as i32, 1, 15).unwrap()
}

use chrono::Datelike;

fn guardian() -> Guardian {
    Guardian {
        role: GuardianRole::Mother,
        pesel: Pesel::from_parts(years_ago(40), 456, DomainSex::Female)
            .unwrap()
            .to_string(),
        surname: "Nowak".into(),
        given_names: "Anna".into(),
    }
}

#[tokio::test]
async fn every_broken_rule_of_a_submission_is_reported_at_once() {
    let s = sim().await;
    let mut a = born(1, years_ago(40));
    let tomorrow_but_one = Utc::now().date_naive().checked_add_days(Days::new(2));
    a.application_date = tomorrow_but_one.unwrap().to_string();
    a.device_time = "garbage".into();
    a.clerk_id = "anna nowak".into();
    a.applicant.citizenship = "PL1".into();
    a.applicant.address = Some(Address {
        street: Some("Mar\u{202E}szałkowska".into()),
        building: "1".into(),
        flat: None,
        postal_code: "00000".into(),
        city: "Warsza\u{200B}wa".into(),
        country: None,
    });
    a.applicant.contact = Some(Contact {
        phone: Some("600\u{1b}[31m".into()),
        email: Some("jan@@example.pl".into()),
    });
    a.kind = ApplicationKind::Temporary {
        urgent_reason: "wyjazd\u{2066}".into(),
        validity_days: 30,
    };
    a.fingerprints_required = false;
    a.validity = Validity::Days(400);
    a.guardians = vec![guardian()];
    a.reduction = Reduction::Student;
    a.large_family_card = Some("KDR\u{AD}1".into());
    a.previous_passport = Some("ab1234567".into());
    a.photo.mime = "image/gif".into();
    a.photo.sha256 = common::photo(b"another photo").sha256;
    let (status, fields) = post(&s, paths::APPLICATIONS, "k-all", &a).await;
    assert_eq!(status, 422);
    assert_eq!(
        fields,
        set(&[
            ("application_date", "date"),
            ("device_time", "datetime"),
            ("clerk_id", "clerk_id"),
            ("applicant.citizenship", "country"),
            ("applicant.address.street", "text"),
            ("applicant.address.city", "text"),
            ("applicant.address.postal_code", "postal_code"),
            ("applicant.contact.phone", "text"),
            ("applicant.contact.email", "email"),
            ("kind.urgent_reason", "text"),
            ("validity.days", "validity"),
            ("guardians", "guardians"),
            ("reduction", "reduction"),
            ("large_family_card", "text"),
            ("previous_passport", "passport_number"),
            ("photo.mime", "photo"),
            ("photo.sha256", "photo"),
        ])
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn each_rule_alone_and_what_it_still_accepts() {
    let s = sim().await;
    let adult = || born(2, years_ago(40));
    type Change = fn(&mut SubmitApplication);
    let cases: [(Change, &[(&str, &str)]); 9] = [
        (
            |a| a.photo.base64 = "not base64!".into(),
            &[("photo.base64", "photo")],
        ),
        (
            |a| a.photo.base64 = String::new(),
            &[("photo.base64", "photo")],
        ),
        (
            |a| {
                a.kind = ApplicationKind::Second {
                    justification: "praca".into(),
                    existing_passport: "EA12345678".into(),
                }
            },
            &[("kind.existing_passport", "passport_number")],
        ),
        (
            |a| a.validity = Validity::Years(7),
            &[("validity.years", "validity")],
        ),
        (
            |a| a.validity = Validity::Years(5),
            &[("validity.years", "validity")],
        ),
        (
            |a| {
                a.applicant.address = Some(Address {
                    street: None,
                    building: "1".into(),
                    flat: None,
                    postal_code: "00-950".into(),
                    city: "Warszawa".into(),
                    country: Some("POL".into()),
                });
                a.applicant.contact = Some(Contact {
                    phone: None,
                    email: Some("jan@example".into()),
                });
            },
            &[("applicant.contact.email", "email")],
        ),
        (
            // Abroad, the local form of postal code.
            |a| {
                a.applicant.address = Some(Address {
                    street: Some("Main St".into()),
                    building: "1".into(),
                    flat: None,
                    postal_code: "SW1A 1AA".into(),
                    city: "London".into(),
                    country: Some("gbr".into()),
                })
            },
            &[("applicant.address.country", "country")],
        ),
        (
            |a| a.device_time = "2026-11-22 10:00".into(),
            &[("device_time", "datetime")],
        ),
        (|a| a.clerk_id = "a".repeat(65), &[("clerk_id", "clerk_id")]),
    ];
    for (i, (change, expected)) in cases.into_iter().enumerate() {
        let mut a = adult();
        change(&mut a);
        let (status, fields) = post(&s, paths::APPLICATIONS, &format!("k-case-{i}"), &a).await;
        assert_eq!((status, fields), (422, set(expected)), "case {i}");
    }
    // A minor needs a guardian; with one, and a student under 26, accepted.
    let mut child = born(3, years_ago(10));
    child.validity = Validity::Years(5);
    let (status, fields) = post(&s, paths::APPLICATIONS, "k-child-alone", &child).await;
    assert_eq!((status, fields), (422, set(&[("guardians", "guardians")])));
    child.guardians = vec![guardian()];
    child.application_number = "DEMO-01-000004-00".into();
    let number = passport_domain::ApplicationNumber::new("DEMO", "01", 4).unwrap();
    child.application_number = number.to_string();
    assert_eq!(
        post(&s, paths::APPLICATIONS, "k-child", &child).await.0,
        201
    );
    let mut student = born(5, years_ago(20));
    student.reduction = Reduction::Student;
    student.application_date = (Utc::now().date_naive() + Days::new(1)).to_string();
    assert_eq!(
        post(&s, paths::APPLICATIONS, "k-student", &student).await.0,
        201
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn handovers_and_invalidations_are_checked_before_any_lookup() {
    let s = sim().await;
    let h = RecordHandover {
        document_number: "da1".into(),
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk_id: String::new(),
        device_time: "yesterday".into(),
        collected_by: Collector::Parent {
            pesel: "12345678901".into(),
            surname: "Nowak\u{200F}".into(),
            given_names: "Anna".into(),
        },
        identity_check: "dowód osobisty\nABC123456".into(),
        chip_check: ChipCheck::NotChecked,
        previous_passport: Some("EA099999".into()),
        provisional: false,
    };
    let (status, fields) = post(&s, paths::HANDOVERS, "h-bad", &h).await;
    assert_eq!(status, 422, "not 409 unknown_document");
    assert_eq!(
        fields,
        set(&[
            ("document_number", "passport_number"),
            ("clerk_id", "clerk_id"),
            ("device_time", "datetime"),
            ("collected_by.pesel", "pesel"),
            ("collected_by.surname", "text"),
            ("identity_check", "text"),
            ("previous_passport", "passport_number"),
        ])
    );
    let inv = InvalidateDocument {
        document_number: "DA000000".into(),
        reason: InvalidationReason::Damaged,
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk_id: "demo-clerk".into(),
        device_time: "2026-11-22T10:00:00+01:00".into(),
    };
    let (status, fields) = post(&s, paths::INVALIDATIONS, "i-bad", &inv).await;
    assert_eq!(
        (status, fields),
        (422, set(&[("document_number", "passport_number")]))
    );
    // Well-formed but unknown: still the register's 409.
    let inv = InvalidateDocument {
        document_number: "ZZ0000000".into(),
        ..inv
    };
    assert_eq!(
        post(&s, paths::INVALIDATIONS, "i-unknown", &inv).await.0,
        409
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_cursor_is_only_one_issued_for_that_office_and_limit_is_1_to_500() {
    let s = sim().await;
    let status = |q: String| {
        let url = format!("{}{q}", s.url());
        async move {
            let r = reqwest::get(url).await.unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            if status >= 400 {
                let p: Problem = serde_json::from_str(&text).unwrap();
                assert_eq!(p.kind(), Some(ProblemCode::BadRequest), "{text}");
            }
            status
        }
    };
    let demo = paths::ready_documents("DEMO");
    let krk = paths::ready_documents("KRK2");
    // Six documents wait at DEMO, ready_seq 1 to 6.
    for ok in [
        "",
        "?cursor=0",
        "?cursor=6",
        "?cursor=3",
        "?limit=1",
        "?limit=500",
    ] {
        assert_eq!(status(format!("{demo}{ok}")).await, 200, "{ok}");
    }
    for bad in [
        "?cursor=7",
        "?cursor=06",
        "?cursor=+6",
        "?limit=0",
        "?limit=501",
    ] {
        assert_eq!(status(format!("{demo}{bad}")).await, 400, "{bad}");
    }
    // 3 is a cursor of DEMO's list, never issued for KRK2.
    assert_eq!(status(format!("{krk}?cursor=3")).await, 400);
    assert_eq!(status(format!("{krk}?cursor=0")).await, 200);
    s.stop().await.unwrap();
}

/// Sends `request` on a raw connection and reads the answer to its end.
async fn raw(s: &SimHandle, request: &[u8]) -> String {
    let mut c = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    c.write_all(request).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(10), c.read_to_end(&mut out))
        .await
        .expect("the answer came at once and the connection was closed")
        .unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// The Problem in a raw answer.
fn problem_of(answer: &str) -> Problem {
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str(body).unwrap_or_else(|e| panic!("no Problem ({e}): {answer}"))
}

#[tokio::test]
async fn a_declared_oversize_body_is_413_at_once_and_a_long_uri_414_with_a_problem() {
    let s = sim().await;
    let answer = raw(
        &s,
        b"POST /v1/applications HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n\
          idempotency-key: k-huge\r\ncontent-length: 99999999999\r\n\r\n{",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert_eq!(
        problem_of(&answer).kind(),
        Some(ProblemCode::PayloadTooLarge)
    );
    let long = format!(
        "GET /v1/applications/{} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n",
        "A".repeat(70_000)
    );
    let answer = raw(&s, long.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 414 "), "{answer}");
    assert_eq!(problem_of(&answer).kind(), Some(ProblemCode::BadRequest));
    // The server still serves.
    let h = reqwest::get(format!("{}{}", s.url(), paths::HEALTH))
        .await
        .unwrap();
    assert_eq!(h.status(), 200);
    s.stop().await.unwrap();
}
