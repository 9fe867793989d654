//! Hostile input over real HTTP on 127.0.0.1: arbitrary bytes, arbitrary
//! JSON and mutated valid requests posted to every endpoint, and arbitrary
//! path segments and cursors. The simulator answers each with a status below
//! 500 and a `Problem` for every refusal, and keeps serving.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_contract::{IDEMPOTENCY_KEY, Problem, paths};
use passport_register_sim::{Faults, SimConfig, SimHandle, spawn};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::OnceLock;

/// One runtime and one simulator for every case: a case is a request, not
/// a server start.
fn harness() -> &'static (tokio::runtime::Runtime, SimHandle) {
    static H: OnceLock<(tokio::runtime::Runtime, SimHandle)> = OnceLock::new();
    H.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let s = rt
            .block_on(spawn(
                "127.0.0.1:0",
                SimConfig {
                    db: None,
                    faults: Faults::default(),
                    seed: 5,
                    ..SimConfig::default()
                },
            ))
            .unwrap();
        (rt, s)
    })
}

const WRITES: [&str; 4] = [
    paths::APPLICATIONS,
    paths::HANDOVERS,
    paths::INVALIDATIONS,
    paths::CLERK_LOGIN,
];

/// Sends one request and checks the answer: no 5xx, a Problem on every
/// refusal, and the server still answers its health check.
fn check(req: impl FnOnce(&reqwest::Client, &str) -> reqwest::RequestBuilder) {
    let (rt, s) = harness();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let r = req(&client, &s.url()).send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        assert!(status < 500, "{status}: {text}");
        if status >= 400 {
            let p: Result<Problem, _> = serde_json::from_str(&text);
            assert!(
                p.is_ok_and(|p| p.kind().is_some()),
                "{status} without a Problem: {text}"
            );
        }
        let h = client
            .get(format!("{}{}", s.url(), paths::HEALTH))
            .send()
            .await
            .unwrap();
        assert_eq!(h.status(), 200);
    });
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::from),
        Just(Value::from(u64::MAX)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("office".to_owned()),
                    Just("document_number".to_owned()),
                    Just("applicant".to_owned()),
                    Just("kind".to_owned()),
                    Just("collected_by".to_owned()),
                    ".{0,12}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid hand-over with one member replaced by an arbitrary value.
fn mutated_handover() -> impl Strategy<Value = Value> {
    let base = json!({
        "document_number": "DA0000001", "office": "DEMO", "workstation": "01",
        "clerk_id": "demo-clerk", "device_time": "2026-11-22T10:00:00Z",
        "collected_by": {"role": "holder"}, "identity_check": "ID ABC123456",
        "chip_check": "not_checked", "previous_passport": null, "provisional": false
    });
    (0usize..10, json_value()).prop_map(move |(i, v)| {
        let mut b = base.clone();
        let key = b.as_object().unwrap().keys().nth(i).unwrap().clone();
        b[key] = v;
        b
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_to_every_write(bytes in prop::collection::vec(any::<u8>(), 0..512),
                                      which in 0usize..4,
                                      ct in prop_oneof![Just("application/json"), Just("text/plain"), Just("application/json; charset=latin2")],
                                      key in prop::option::of("[ -~]{0,8}")) {
        check(|c, base| {
            let mut r = c.post(format!("{base}{}", WRITES[which])).header("content-type", ct).body(bytes);
            if let Some(k) = key { r = r.header(IDEMPOTENCY_KEY, k); }
            r
        });
    }

    #[test]
    fn arbitrary_json_to_every_write(v in json_value(), which in 0usize..4, key in "[a-z0-9-]{1,12}") {
        check(|c, base| c.post(format!("{base}{}", WRITES[which])).header(IDEMPOTENCY_KEY, key).json(&v));
    }

    #[test]
    fn mutated_handovers(v in mutated_handover(), key in "[a-z0-9-]{1,12}") {
        check(|c, base| c.post(format!("{base}{}", paths::HANDOVERS)).header(IDEMPOTENCY_KEY, key).json(&v));
    }

    #[test]
    fn arbitrary_path_segments_and_queries(seg in ".{0,30}", query in ".{0,30}", which in 0usize..4) {
        check(|c, base| {
            let seg: String = seg.bytes().map(|b| format!("%{b:02X}")).collect();
            let path = match which {
                0 => format!("/v1/applications/{seg}"),
                1 => format!("/v1/offices/{seg}/ready-documents"),
                2 => format!("/v1/persons/{seg}/documents"),
                _ => format!("/v1/clerks/{seg}"),
            };
            c.get(format!("{base}{path}")).query(&[("cursor", query.as_str()), ("limit", query.as_str())])
        });
    }
}
