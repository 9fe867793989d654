//! The simulator over real HTTP on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_domain::Pesel;
use passport_register_contract::{ChipCheck, Collector, IDEMPOTENCY_KEY, RecordHandover, paths};
mod common;
use common::application;
use passport_register_sim::{Faults, SimHandle};
use serde_json::Value;

async fn sim(faults: Faults) -> SimHandle {
    common::sim(faults, 7).await
}

async fn post(
    url: &str,
    key: Option<&str>,
    body: &impl serde::Serialize,
) -> reqwest::Result<reqwest::Response> {
    let mut r = reqwest::Client::new().post(url).json(body);
    if let Some(k) = key {
        r = r.header(IDEMPOTENCY_KEY, k);
    }
    r.send().await
}

async fn stats(s: &SimHandle) -> Value {
    reqwest::get(format!("{}/admin/stats", s.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_key_replays_and_another_body_is_refused() {
    let s = sim(Faults::default()).await;
    let url = format!("{}{}", s.url(), paths::APPLICATIONS);
    let a = application(1);
    let first = post(&url, Some("k-1"), &a).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post(&url, Some("k-1"), &a).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        first,
        "a replay answers exactly the same"
    );
    let mut other = a.clone();
    other.fee.amount_grosz = 7000;
    let reused = post(&url, Some("k-1"), &other).await.unwrap();
    assert_eq!(reused.status(), 422);
    assert_eq!(
        reused.json::<Value>().await.unwrap()["code"],
        "idempotency_key_reused"
    );
    let missing = post(&url, None, &a).await.unwrap();
    assert_eq!(missing.status(), 422);
    // The same action under a new key is a duplicate: refused and counted.
    let dup = post(&url, Some("k-2"), &a).await.unwrap();
    assert_eq!(dup.status(), 409);
    let st = stats(&s).await;
    assert_eq!(
        (
            st["applications"].as_u64(),
            st["idempotent_replays"].as_u64(),
            st["duplicate_attempts"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn validation_errors_name_their_fields() {
    let s = sim(Faults::default()).await;
    let mut a = application(2);
    a.applicant.pesel = "12345678901".into();
    a.office = "WAW1".into();
    let r = post(
        &format!("{}{}", s.url(), paths::APPLICATIONS),
        Some("k"),
        &a,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let paths: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["applicant.pesel", "application_number"]);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn outage_and_capacity_answer_with_retry_after() {
    let s = sim(Faults {
        outage: true,
        retry_after_secs: 3,
        ..Faults::default()
    })
    .await;
    let r = reqwest::get(format!("{}{}", s.url(), paths::HEALTH))
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "3");
    let client = reqwest::Client::new();
    let f: Value = client
        .post(format!("{}/admin/faults", s.url()))
        .json(&serde_json::json!({"outage": false, "capacity": 5}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (f["outage"].as_bool(), f["capacity"].as_u64()),
        (Some(false), Some(5))
    );
    let mut codes = Vec::new();
    for _ in 0..20 {
        let r = client
            .get(format!("{}{}", s.url(), paths::HEALTH))
            .send()
            .await
            .unwrap();
        if r.status() == 429 {
            assert_eq!(r.headers()["retry-after"], "1");
        }
        codes.push(r.status().as_u16());
    }
    // Twenty requests fall in at most two one-second windows: at most 10 served.
    let served = codes.iter().filter(|&&c| c == 200).count();
    assert!((5..=10).contains(&served), "{codes:?}");
    let st = stats(&s).await;
    assert_eq!(
        st["refused_by_capacity"].as_u64(),
        Some((20 - served) as u64)
    );
    assert!(st["peak_requests_per_second"].as_u64().unwrap() >= 10);
    let bad = client
        .post(format!("{}/admin/faults", s.url()))
        .json(&serde_json::json!({"outgae": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_dropped_response_still_committed_the_write() {
    let s = sim(Faults {
        drop_after_commit: 1.0,
        ..Faults::default()
    })
    .await;
    let url = format!("{}{}", s.url(), paths::APPLICATIONS);
    let a = application(3);
    assert!(
        post(&url, Some("k-3"), &a).await.is_err(),
        "the connection closes with no answer"
    );
    reqwest::Client::new()
        .post(format!("{}/admin/faults", s.url()))
        .json(&serde_json::json!({"drop_after_commit": 0.0}))
        .send()
        .await
        .unwrap();
    // The retry with the same key is answered from the stored first answer.
    let r = post(&url, Some("k-3"), &a).await.unwrap();
    assert_eq!(r.status(), 201);
    let st = stats(&s).await;
    assert_eq!(
        (
            st["applications"].as_u64(),
            st["idempotent_replays"].as_u64(),
            st["dropped_after_commit"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn ready_list_pages_and_handover_rules() {
    let s = sim(Faults::default()).await;
    let client = reqwest::Client::new();
    let page1: Value = client
        .get(format!(
            "{}{}?limit=4",
            s.url(),
            paths::ready_documents("DEMO")
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page1["items"].as_array().unwrap().len(), 4);
    let cursor = page1["next_cursor"].as_str().unwrap().to_owned();
    let page2: Value = client
        .get(format!(
            "{}{}?cursor={cursor}",
            s.url(),
            paths::ready_documents("DEMO")
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page2["items"].as_array().unwrap().len(), 2);
    let doc = &page1["items"][0];
    let mrz = passport_domain::mrz::parse(
        doc["mrz_line1"].as_str().unwrap(),
        doc["mrz_line2"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(
        mrz.document_number,
        doc["document_number"].as_str().unwrap()
    );
    assert!(Pesel::parse(doc["holder"]["pesel"].as_str().unwrap()).is_ok());

    let h = RecordHandover {
        document_number: doc["document_number"].as_str().unwrap().into(),
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk_id: "clerk-1".into(),
        device_time: "2026-11-22T10:00:00.000Z".into(),
        collected_by: Collector::Holder,
        identity_check: "dowód osobisty".into(),
        chip_check: ChipCheck::Passed,
        previous_passport: None,
        provisional: false,
    };
    let url = format!("{}{}", s.url(), paths::HANDOVERS);
    assert_eq!(post(&url, Some("h-1"), &h).await.unwrap().status(), 201);
    let again = post(&url, Some("h-2"), &h).await.unwrap();
    assert_eq!(again.status(), 409);
    assert_eq!(
        again.json::<Value>().await.unwrap()["code"],
        "document_already_issued"
    );
    let elsewhere = RecordHandover {
        office: "WAW1".into(),
        document_number: page1["items"][1]["document_number"]
            .as_str()
            .unwrap()
            .into(),
        ..h
    };
    let r = post(&url, Some("h-3"), &elsewhere).await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "not_ready_here");
    // The handed-over document has left the ready list.
    let all: Value = client
        .get(format!("{}{}", s.url(), paths::ready_documents("DEMO")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    let unknown = client
        .get(format!("{}{}", s.url(), paths::ready_documents("NOPE")))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 409);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_personalised_application_becomes_ready() {
    let s = sim(Faults::default()).await;
    let a = application(4);
    post(
        &format!("{}{}", s.url(), paths::APPLICATIONS),
        Some("k-4"),
        &a,
    )
    .await
    .unwrap();
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/admin/personalise", s.url()))
        .json(&serde_json::json!({"application_number": a.application_number}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let doc: Value = r.json().await.unwrap();
    let status: Value = client
        .get(format!(
            "{}{}",
            s.url(),
            paths::application(&a.application_number)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["status"], "ready_for_collection");
    assert_eq!(status["document_number"], doc["document_number"]);
    let person: Value = client
        .get(format!(
            "{}{}",
            s.url(),
            paths::person_documents(&a.applicant.pesel)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        person["documents"][0]["document_number"],
        doc["document_number"]
    );
    s.stop().await.unwrap();
}
