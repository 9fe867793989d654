//! Failure classification and the circuit breaker against the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_client::{
    BreakerConfig, CallError, ClientConfig, ConnectionState, FailureKind, RegisterClient,
};
use passport_register_contract::InvalidateDocument;
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
        reason: "reported_lost".into(),
        office: "DEMO".into(),
        workstation: "01".into(),
        clerk_id: "c".into(),
        device_time: "2026-11-22T10:00:00.000Z".into(),
    }
}

#[tokio::test]
async fn failures_are_classified() {
    let s = spawn(
        "127.0.0.1:0",
        SimConfig {
            faults: Faults {
                outage: true,
                retry_after_secs: 4,
                ..Faults::default()
            },
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
    assert_eq!(*ra, Duration::from_secs(4));
    // Retry-After is honoured first: at least 4 s, spread up to 8 s.
    let d = c.retry_delay(0, &err);
    assert!(
        d >= Duration::from_secs(4) && d <= Duration::from_secs(8),
        "{d:?}"
    );
    assert!(!err.is_final());
    // A second failure opens the circuit: calls now fail at once.
    c.health().await.unwrap_err();
    assert_eq!(c.status().state, ConnectionState::Offline);
    assert!(matches!(
        c.health().await,
        Err(CallError::CircuitOpen { .. })
    ));

    reqwest::Client::new()
        .post(format!("{}/admin/faults", s.url()))
        .json(&serde_json::json!({"outage": false}))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(
        c.health().await.is_ok(),
        "the half-open probe passes and closes the circuit"
    );
    assert_eq!(c.status().state, ConnectionState::Online);
    assert!(c.status().last_contact.is_some());

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
