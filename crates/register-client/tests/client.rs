//! Failure classification and the circuit breaker against the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_client::{
    BreakerConfig, CallError, ClientConfig, ConnectionState, FailureKind, RegisterClient,
};
use passport_register_contract::{InvalidateDocument, InvalidationReason};
use passport_register_sim::{Faults, SimConfig, spawn};
use std::time::Duration;

fn config(url: &str) -> ClientConfig {
    let mut c = ClientConfig::new(url);
    c.breaker = BreakerConfig {
        threshold: 2,
        open_for: Duration::from_millis(200),
        max_open: Duration::from_secs(1),
        jitter: false,
    };
    c
}

fn invalidation(number: &str) -> InvalidateDocument {
    InvalidateDocument {
        document_number: number.into(),
        reason: InvalidationReason::ReportedLost,
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk_id: "c".into(),
        device_time: "2026-11-22T10:00:00.000Z".into(),
    }
}

#[tokio::test]
async fn failures_are_classified() {
    let faults = Faults {
        outage: true,
        retry_after_secs: 1,
        ..Faults::default()
    };
    let s = spawn(
        "127.0.0.1:0",
        SimConfig {
            faults,
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let c = RegisterClient::new(config(&s.url())).unwrap();
    assert_eq!(c.status().state, ConnectionState::Unknown);
    let err = c.health().await.unwrap_err();
    let CallError::Retryable {
        kind: FailureKind::Unavailable,
        retry_after: Some(ra),
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*ra, Duration::from_secs(1));
    // Retry-After is honoured first: at least 1 s, spread up to 2 s.
    let d = c.retry_delay(0, &err);
    assert!(
        d >= Duration::from_secs(1) && d <= Duration::from_secs(2),
        "{d:?}"
    );
    assert!(!err.is_final());
    // A 503 says the register is down: the circuit opens at once, for at
    // least the Retry-After, and calls now fail without waiting.
    assert_eq!(c.status().state, ConnectionState::Offline);
    let Err(CallError::CircuitOpen { retry_in }) = c.health().await else {
        panic!("the circuit should be open")
    };
    assert!(retry_in > Duration::from_millis(800), "{retry_in:?}");

    let admin = format!("{}/admin/faults", s.url());
    reqwest::Client::new()
        .post(admin)
        .json(&serde_json::json!({"outage": false}))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(retry_in + Duration::from_millis(50)).await;
    let probe = c.health().await;
    assert!(
        probe.is_ok(),
        "the half-open probe passes and closes the circuit: {probe:?}"
    );
    assert_eq!(c.status().state, ConnectionState::Online);
    assert!(c.status().last_contact.is_some());
    assert!(
        c.status().last_success.is_some(),
        "the probe's 200 is a success"
    );

    // A business rejection is final and does not count against the register.
    let err = c
        .invalidate_document("key-1", &invalidation("EA0000009"))
        .await
        .unwrap_err();
    let CallError::Rejected {
        status: 409,
        problem,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(problem.code, "unknown_document");
    assert!(err.is_final());
    assert_eq!(c.status().state, ConnectionState::Online);
    s.stop().await.unwrap();
}

#[tokio::test]
async fn a_dead_address_is_a_network_failure_and_backoff_is_jittered() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = RegisterClient::new(config(&format!("http://127.0.0.1:{port}"))).unwrap();
    let err = c.health().await.unwrap_err();
    assert!(
        matches!(
            err,
            CallError::Retryable {
                kind: FailureKind::Network,
                ..
            }
        ),
        "{err:?}"
    );
    let delays: Vec<Duration> = (0..50).map(|_| c.retry_delay(3, &err)).collect();
    let cap = Duration::from_millis(250 * 8);
    assert!(delays.iter().all(|d| *d <= cap));
    assert!(
        delays.iter().any(|d| *d < cap / 2) && delays.iter().any(|d| *d > cap / 2),
        "full jitter spreads over [0, cap]"
    );
}
