//! A register that misbehaves: absurd or unreadable `Retry-After` headers,
//! oversized bodies. Through the simulator (or a raw socket) over HTTP on
//! 127.0.0.1: the client neither panics nor parks the counter for longer
//! than its caps, and any HTTP answer counts as contact.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_client::{
    BreakerConfig, CallError, ClientConfig, ConnectionState, FailureKind, RegisterClient,
};
use passport_register_sim::{Faults, SimConfig, spawn};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CAP: Duration = Duration::from_secs(3600);

fn config(url: &str) -> ClientConfig {
    let mut c = ClientConfig::new(url);
    c.breaker = BreakerConfig {
        jitter: false,
        ..BreakerConfig::default()
    };
    c
}

/// One 503 from the simulator with `Retry-After: raw`: what the client
/// read from it, and what it then does.
async fn unavailable_with(raw: &str) -> (Option<Duration>, Duration, Duration, RegisterClient) {
    let s = spawn(
        "127.0.0.1:0",
        SimConfig {
            faults: Faults {
                outage: true,
                retry_after_raw: Some(raw.to_owned()),
                ..Faults::default()
            },
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let c = RegisterClient::new(config(&s.url())).unwrap();
    let err = c.health().await.unwrap_err();
    let CallError::Retryable {
        kind: FailureKind::Unavailable,
        status: Some(503),
        retry_after,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    let delay = c.retry_delay(0, &err);
    let Err(CallError::CircuitOpen { retry_in }) = c.health().await else {
        panic!("a 503 opens the circuit")
    };
    s.stop().await.unwrap();
    (*retry_after, delay, retry_in, c)
}

/// Before: `18446744073709551615` panicked in the breaker (`Instant + Duration`
/// overflow), and `9999999999` opened the circuit for 317 years.
#[tokio::test]
async fn a_huge_retry_after_is_capped_at_an_hour() {
    for raw in [
        "18446744073709551615",
        "9999999999",
        "184467440737095516150000",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let (ra, delay, retry_in, c) = unavailable_with(raw).await;
        assert_eq!(ra, Some(CAP), "{raw}");
        assert!(delay <= CAP, "{raw}: {delay:?}");
        assert!(
            retry_in <= CAP && retry_in > CAP - Duration::from_secs(5),
            "{raw}: {retry_in:?}"
        );
        assert_eq!(c.status().state, ConnectionState::Offline);
    }
}

#[tokio::test]
async fn an_http_date_retry_after_is_read() {
    let at = chrono::Utc::now() + chrono::TimeDelta::seconds(120);
    let raw = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let (ra, delay, retry_in, _) = unavailable_with(&raw).await;
    let ra = ra.unwrap();
    assert!(
        ra > Duration::from_secs(100) && ra <= Duration::from_secs(120),
        "{ra:?}"
    );
    assert!(delay >= ra && delay <= 2 * ra, "{delay:?}");
    assert!(retry_in > Duration::from_secs(100), "{retry_in:?}");
}

/// Garbage is no Retry-After: the normal back-off applies (the default
/// breaker's first opening, at most 2 s), not a panic nor a long wait.
#[tokio::test]
async fn a_garbage_retry_after_is_ignored() {
    for raw in ["soon", "-1", "1.5", "1e9", "0x10", "Mon, 99 Foo 2026"] {
        let (ra, delay, retry_in, _) = unavailable_with(raw).await;
        assert_eq!(ra, None, "{raw}");
        assert!(delay <= Duration::from_millis(250), "{raw}: {delay:?}");
        assert!(retry_in <= Duration::from_secs(2), "{raw}: {retry_in:?}");
    }
}

/// Before: a 503 (or a 500) left `last_contact` empty although the register
/// had answered. A refused connection is still no contact. None of them is
/// a *successful* contact, which is what the clerk is told the age of: the
/// status bar said "last contact: 9 s ago" through an outage of 503s.
#[tokio::test]
async fn any_http_answer_is_contact_and_a_dead_address_is_not() {
    let (_, _, _, c) = unavailable_with("1").await;
    assert!(c.status().last_contact.is_some());
    assert_eq!(c.status().last_success, None, "a 503 is not a success");

    let s = spawn(
        "127.0.0.1:0",
        SimConfig {
            faults: Faults {
                error_rate: 1.0,
                ..Faults::default()
            },
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let c = RegisterClient::new(config(&s.url())).unwrap();
    let err = c.health().await.unwrap_err();
    assert!(
        matches!(
            err,
            CallError::Retryable {
                kind: FailureKind::Server,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(c.status().last_contact.is_some());
    assert_eq!(c.status().last_success, None, "a 500 is not a success");
    s.stop().await.unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = RegisterClient::new(config(&format!("http://127.0.0.1:{port}"))).unwrap();
    assert!(c.health().await.is_err());
    assert_eq!(c.status().last_contact, None);
    assert_eq!(c.status().last_success, None);
}

/// A server that answers every connection with `head` and then `body_len`
/// bytes of `x`, then closes.
async fn raw_server(head: &'static str, body_len: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let _ = sock.write_all(head.as_bytes()).await;
                let chunk = vec![b'x'; 8192];
                let mut left = body_len;
                while left > 0 {
                    let n = left.min(chunk.len());
                    if sock.write_all(&chunk[..n]).await.is_err() {
                        return;
                    }
                    left -= n;
                }
            });
        }
    });
    format!("http://{addr}")
}

/// Before: the whole body was read into memory whatever its size.
#[tokio::test]
async fn an_oversized_answer_is_refused_without_reading_it_all() {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n";
    let url = raw_server(head, 16 * 1024).await;
    let mut cfg = config(&url);
    cfg.max_body_bytes = 4096;
    let c = RegisterClient::new(cfg).unwrap();
    let err = c.health().await.unwrap_err();
    assert!(
        matches!(
            err,
            CallError::Retryable {
                kind: FailureKind::Malformed,
                ..
            }
        ),
        "{err:?}"
    );

    // No length announced: read until the limit, then refused.
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    let url = raw_server(head, 1024 * 1024).await;
    let mut cfg = config(&url);
    cfg.max_body_bytes = 4096;
    let c = RegisterClient::new(cfg).unwrap();
    let err = c.health().await.unwrap_err();
    assert!(
        matches!(err, CallError::Retryable { kind: FailureKind::Malformed, ref message, .. } if message.contains("larger")),
        "{err:?}"
    );
}
