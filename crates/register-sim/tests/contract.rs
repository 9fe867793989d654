//! The simulator keeps the rules `docs/register-openapi.json` states, over
//! real HTTP on 127.0.0.1: every refusal is a `Problem` with a contract code
//! and that code's status, 400/413 for bodies that cannot be read,
//! idempotency by JSON value with every final answer replayed and
//! concurrent use of a key applied once, `Retry-After` on every 429/503, and
//! the ready-list cursor.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_contract::{IDEMPOTENCY_KEY, MAX_BODY_BYTES, Problem, ProblemCode, paths};
mod common;
use common::application;
use passport_register_sim::{Faults, SimConfig, SimHandle, spawn};
use serde_json::{Value, json};

async fn sim(faults: Faults) -> SimHandle {
    common::sim(faults, 11).await
}

/// Posts raw bytes with a content type and an optional key.
async fn post_raw(
    url: &str,
    content_type: &str,
    key: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .body(body);
    if let Some(k) = key {
        r = r.header(IDEMPOTENCY_KEY, k);
    }
    r.send().await.unwrap()
}

/// The answer's status and its Problem, checked to carry a contract code
/// whose status is the answer's.
async fn refusal(r: reqwest::Response) -> (u16, ProblemCode, Problem) {
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let p: Problem = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{status} without a Problem body ({e}): {text}"));
    let code = p
        .kind()
        .unwrap_or_else(|| panic!("{status}: {} is not a contract code", p.code));
    assert_eq!(code.status(), status, "{code} answered with {status}");
    (status, code, p)
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
async fn unreadable_bodies_are_400_and_oversize_ones_413_with_problems() {
    let s = sim(Faults::default()).await;
    for path in [
        paths::APPLICATIONS,
        paths::HANDOVERS,
        paths::INVALIDATIONS,
        paths::CLERK_LOGIN,
    ] {
        let url = format!("{}{path}", s.url());
        let (_, code, _) =
            refusal(post_raw(&url, "application/json", Some("k-bad"), "{\"office\": ").await).await;
        assert_eq!(code, ProblemCode::BadRequest, "{path}: truncated JSON");
        let (_, code, _) = refusal(post_raw(&url, "text/plain", Some("k-bad"), "{}").await).await;
        assert_eq!(
            code,
            ProblemCode::BadRequest,
            "{path}: not declared as JSON"
        );
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        let (_, code, _) =
            refusal(post_raw(&url, "application/json", Some("k-big"), big).await).await;
        assert_eq!(code, ProblemCode::PayloadTooLarge, "{path}: over 16 MiB");
    }
    // A body of the limit's size is read (and then refused for its content).
    let mut at_limit = b"{\"x\":\"".to_vec();
    at_limit.resize(MAX_BODY_BYTES - 2, b'a');
    at_limit.extend_from_slice(b"\"}");
    let (_, code, _) = refusal(
        post_raw(
            &format!("{}{}", s.url(), paths::APPLICATIONS),
            "application/json; charset=utf-8",
            Some("k-limit"),
            at_limit,
        )
        .await,
    )
    .await;
    assert_eq!(code, ProblemCode::Validation);
    let (_, code, _) = refusal(
        reqwest::get(format!("{}/v1/nothing-here", s.url()))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, ProblemCode::NotFound);
    let (_, code, _) = refusal(
        reqwest::Client::new()
            .delete(format!("{}{}", s.url(), paths::APPLICATIONS))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, ProblemCode::MethodNotAllowed);
    let (_, code, _) = refusal(
        reqwest::get(format!(
            "{}/v1/offices/DEMO/ready-documents?limit=many",
            s.url()
        ))
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(code, ProblemCode::BadRequest);
    assert_eq!(stats(&s).await["applications"], 0);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn the_same_request_is_the_same_json_value_and_the_key_spans_endpoints() {
    let s = sim(Faults::default()).await;
    let url = format!("{}{}", s.url(), paths::APPLICATIONS);
    let a = serde_json::to_value(application(31)).unwrap();
    let compact = serde_json::to_string(&a).unwrap();
    let first = post_raw(&url, "application/json", Some("k-31"), compact).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    // The same value, members in another order and pretty-printed.
    let mut members: Vec<(String, Value)> = a.as_object().unwrap().clone().into_iter().collect();
    members.reverse();
    let reordered = format!(
        "{{\n  {}\n}}",
        members
            .iter()
            .map(|(k, v)| format!("{}: {}", json!(k), serde_json::to_string_pretty(v).unwrap()))
            .collect::<Vec<_>>()
            .join(",\n  ")
    );
    let again = post_raw(&url, "application/json", Some("k-31"), reordered).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.text().await.unwrap(), first, "replayed byte for byte");
    // The same key on another endpoint is another request.
    let (_, code, _) = refusal(
        post_raw(
            &format!("{}{}", s.url(), paths::INVALIDATIONS),
            "application/json",
            Some("k-31"),
            json!({"document_number": "DA0000001", "reason": "damaged", "office": "DEMO",
                   "workstation": "01", "clerk_id": "c", "device_time": "2026-11-22T10:00:00Z"})
            .to_string(),
        )
        .await,
    )
    .await;
    assert_eq!(code, ProblemCode::IdempotencyKeyReused);
    let st = stats(&s).await;
    assert_eq!(
        (st["applications"].as_u64(), st["invalidations"].as_u64()),
        (Some(1), Some(0))
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn every_final_answer_is_replayed_and_keys_outside_the_alphabet_are_missing() {
    let s = sim(Faults::default()).await;
    let url = format!("{}{}", s.url(), paths::APPLICATIONS);
    // A body of the wrong shape: 422 validation, recorded under its key.
    let (status, code, p) =
        refusal(post_raw(&url, "application/json", Some("k-shape"), "{\"office\": 1}").await).await;
    assert_eq!((status, code), (422, ProblemCode::Validation));
    assert_eq!(p.fields[0].code, "json");
    let again = post_raw(
        &url,
        "application/json",
        Some("k-shape"),
        "{ \"office\" : 1 }",
    )
    .await;
    assert_eq!(refusal(again).await.2, p, "replayed");
    let valid = serde_json::to_string(&application(40)).unwrap();
    let (_, code, _) =
        refusal(post_raw(&url, "application/json", Some("k-shape"), valid.clone()).await).await;
    assert_eq!(
        code,
        ProblemCode::IdempotencyKeyReused,
        "the first answer stays"
    );
    // A business refusal (409) is replayed too.
    let mut unknown = application(41);
    unknown.office = "NOPE".into();
    unknown.application_number = passport_domain::ApplicationNumber::new("NOPE", "01", 41)
        .unwrap()
        .to_string();
    let body = serde_json::to_string(&unknown).unwrap();
    let first =
        refusal(post_raw(&url, "application/json", Some("k-409"), body.clone()).await).await;
    assert_eq!(first.1, ProblemCode::UnknownOffice);
    let second = refusal(post_raw(&url, "application/json", Some("k-409"), body).await).await;
    assert_eq!(first.2, second.2);
    // Keys the contract does not allow are missing keys, and not recorded.
    let long = "k".repeat(201);
    for key in ["", " ", "klucz-zażółć", long.as_str()] {
        let r = reqwest::Client::new()
            .post(&url)
            .header("content-type", "application/json")
            .header(
                IDEMPOTENCY_KEY,
                reqwest::header::HeaderValue::from_bytes(key.as_bytes()).unwrap(),
            )
            .body(valid.clone())
            .send()
            .await
            .unwrap();
        let (_, code, _) = refusal(r).await;
        assert_eq!(code, ProblemCode::IdempotencyKeyMissing, "{key:?}");
    }
    let ok = post_raw(&url, "application/json", Some(&"k".repeat(200)), valid).await;
    assert_eq!(ok.status(), 201);
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_used_concurrently_is_applied_once_and_every_request_gets_its_answer() {
    let s = sim(Faults {
        latency_ms: 20,
        ..Faults::default()
    })
    .await;
    let url = format!("{}{}", s.url(), paths::APPLICATIONS);
    let body = serde_json::to_string(&application(50)).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (url, body) = (url.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = post_raw(&url, "application/json", Some("k-same"), body).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, 201);
    let st = stats(&s).await;
    assert_eq!(
        (
            st["applications"].as_u64(),
            st["idempotent_replays"].as_u64(),
            st["duplicate_attempts"].as_u64()
        ),
        (Some(1), Some(7), Some(0))
    );
    s.stop().await.unwrap();
}

#[tokio::test]
async fn every_429_and_503_carries_retry_after() {
    let s = sim(Faults {
        outage: true,
        retry_after_secs: 4,
        ..Faults::default()
    })
    .await;
    let client = reqwest::Client::new();
    let app = serde_json::to_string(&application(60)).unwrap();
    let requests = |base: &str| {
        vec![
            client.get(format!("{base}{}", paths::HEALTH)),
            client.get(format!("{base}{}", paths::application("DEMO-01-000060-00"))),
            client.get(format!("{base}{}", paths::ready_documents("DEMO"))),
            client.get(format!("{base}{}", paths::person_documents("44051401359"))),
            client.get(format!("{base}{}", paths::clerk("demo-clerk"))),
            client
                .post(format!("{base}{}", paths::CLERK_LOGIN))
                .json(&json!({"clerk_id": "demo-clerk", "password": "demo", "office": "DEMO"})),
            client
                .post(format!("{base}{}", paths::APPLICATIONS))
                .header(IDEMPOTENCY_KEY, "k-60")
                .header("content-type", "application/json")
                .body(app.clone()),
            client
                .post(format!("{base}{}", paths::HANDOVERS))
                .header(IDEMPOTENCY_KEY, "k-61")
                .json(&json!({})),
            client
                .post(format!("{base}{}", paths::INVALIDATIONS))
                .header(IDEMPOTENCY_KEY, "k-62")
                .json(&json!({})),
        ]
    };
    for r in requests(&s.url()) {
        let r = r.send().await.unwrap();
        assert_eq!(r.headers()["retry-after"], "4", "{}", r.url());
        let (status, code, _) = refusal(r).await;
        assert_eq!((status, code), (503, ProblemCode::Unavailable));
    }
    client
        .post(format!("{}/admin/faults", s.url()))
        .json(&json!({"outage": false, "capacity": 1}))
        .send()
        .await
        .unwrap();
    let mut refused = 0;
    for _ in 0..3 {
        for r in requests(&s.url()) {
            let r = r.send().await.unwrap();
            if r.status() == 429 {
                refused += 1;
                assert_eq!(r.headers()["retry-after"], "1", "{}", r.url());
                assert_eq!(refusal(r).await.1, ProblemCode::Overloaded);
            }
        }
    }
    assert!(refused > 0);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn the_ready_cursor_is_always_present_and_only_what_the_register_issued() {
    let s = sim(Faults::default()).await;
    let base = format!("{}{}", s.url(), paths::ready_documents("DEMO"));
    let page = |q: String| {
        let url = format!("{base}{q}");
        async move { reqwest::get(url).await.unwrap() }
    };
    let all: Value = page(String::new()).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 6);
    let cursor = all["next_cursor"].as_str().unwrap().to_owned();
    let empty: Value = page(format!("?cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["items"].as_array().unwrap().len(), 0);
    assert_eq!(
        empty["next_cursor"],
        cursor.as_str(),
        "nothing new: ask again with the same cursor"
    );
    let other: Value = reqwest::get(format!("{}{}", s.url(), paths::ready_documents("KRK2")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        other["next_cursor"].is_string(),
        "present even on a first empty page"
    );
    for bad in ["-1", "abc", "1e3", "%20"] {
        let (_, code, _) = refusal(page(format!("?cursor={bad}")).await).await;
        assert_eq!(code, ProblemCode::BadRequest, "{bad}");
    }
    let st = stats(&s).await;
    assert_eq!(st["ready_items_served"], 6);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_damaged_stored_row_is_an_error_not_a_panic_or_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let s = spawn(
        "127.0.0.1:0",
        SimConfig {
            db: Some(db.clone()),
            faults: Faults::default(),
            seed: 3,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let url = format!("{}{}", s.url(), paths::APPLICATIONS);
    let a = application(70);
    let body = serde_json::to_string(&a).unwrap();
    assert_eq!(
        post_raw(&url, "application/json", Some("k-70"), body.clone())
            .await
            .status(),
        201
    );
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE reg_idempotency SET body = 'not json' WHERE key = 'k-70'")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE reg_applications SET birth_date = 'garbage', sex = 'X'")
        .execute(&pool)
        .await
        .unwrap();
    let (_, code, _) = refusal(post_raw(&url, "application/json", Some("k-70"), body).await).await;
    assert_eq!(code, ProblemCode::Internal, "a replay of a damaged answer");
    let r = reqwest::Client::new()
        .post(format!("{}/admin/personalise", s.url()))
        .json(&json!({"application_number": a.application_number}))
        .send()
        .await
        .unwrap();
    assert_eq!(refusal(r).await.1, ProblemCode::Internal);
    let docs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reg_documents WHERE application_number IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(docs, 0, "no phantom document");
    assert_eq!(
        reqwest::get(format!("{}{}", s.url(), paths::HEALTH))
            .await
            .unwrap()
            .status(),
        200
    );
    pool.close().await;
    s.stop().await.unwrap();
}

#[test]
fn the_documented_number_example_has_the_domains_check_digits() {
    let n = passport_domain::ApplicationNumber::new("DEMO", "01", 42).unwrap();
    assert_eq!(n.to_string(), "DEMO-01-000042-80");
    let doc = passport_register_contract::openapi_json();
    assert!(doc.contains("DEMO-01-000042-80"));
}
