//! The simulator as a hostile client meets it: `/admin/*` is not there
//! unless started for tests, and slow, half-open and idle connections are
//! closed within the time-outs while ordinary requests are served.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_register_sim::{Limits, SimConfig, SimHandle, spawn};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn sim(test_admin: bool, limits: Limits) -> SimHandle {
    spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin,
            limits,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

/// Short time-outs, so the test takes seconds, not the default's tens.
fn short() -> Limits {
    Limits {
        header_read: Duration::from_secs(2),
        body_idle: Duration::from_secs(2),
        ..Limits::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_endpoints_exist_only_when_started_for_tests() {
    let http = reqwest::Client::new();
    let closed = sim(false, Limits::default()).await;
    for (method, path) in [
        (reqwest::Method::GET, "/admin/stats"),
        (reqwest::Method::GET, "/admin/faults"),
        (reqwest::Method::POST, "/admin/faults"),
        (reqwest::Method::POST, "/admin/reset-stats"),
        (reqwest::Method::POST, "/admin/personalise"),
        (reqwest::Method::GET, "/admin/received/k-1"),
    ] {
        let r = http
            .request(method.clone(), format!("{}{path}", closed.url()))
            .header("content-type", "application/json")
            .body(r#"{"outage": true}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{method} {path}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["code"], "not_found", "{method} {path}: {body}");
    }
    // The outage asked for above was not set.
    let health = http
        .get(format!("{}/v1/health", closed.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    closed.stop().await.unwrap();

    let open = sim(true, Limits::default()).await;
    let r = http
        .get(format!("{}/admin/stats", open.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    open.stop().await.unwrap();
}

/// Reads until the server closes the connection (EOF or a reset), or
/// `within` passes; how long that took, `None` if it stayed open.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        let left = within.checked_sub(start.elapsed())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_are_closed_while_requests_are_served() {
    let limits = short();
    let s = sim(false, limits).await;
    let opened = Instant::now();
    let mut slow = Vec::new();
    for i in 0..100 {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        // Half a request head, never finished.
        c.write_all(format!("POST /v1/applications HTTP/1.1\r\nHost: x\r\nX-Slow-{i}: ").as_bytes())
            .await
            .unwrap();
        slow.push(c);
    }

    // Meanwhile an ordinary request is answered at once.
    let t = Instant::now();
    let health = reqwest::get(format!("{}/v1/health", s.url())).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "a request waited {:?} behind the half-open connections",
        t.elapsed()
    );

    // Every half-open connection is closed within the header time-out
    // (counted from when it was opened; some slack for a loaded machine).
    let deadline = limits.header_read + Duration::from_secs(3);
    let mut slowest = Duration::ZERO;
    for (i, c) in slow.iter_mut().enumerate() {
        let left = deadline.saturating_sub(opened.elapsed());
        assert!(
            closed_within(c, left).await.is_some(),
            "connection {i} still open {:?} after it was opened",
            opened.elapsed()
        );
        slowest = slowest.max(opened.elapsed());
    }
    assert!(
        slowest >= limits.header_read - Duration::from_millis(500),
        "closed after {slowest:?}, before the time-out: something else closed them"
    );
    eprintln!(
        "100 half-open connections closed {slowest:?} after opening (time-out {:?})",
        limits.header_read
    );
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_and_a_stalled_body_are_closed() {
    let limits = short();
    let s = sim(false, limits).await;

    // A whole request, answered, then nothing: idle keep-alive.
    let mut idle = TcpStream::connect(s.addr).await.unwrap();
    idle.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    idle.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    let took = closed_within(&mut idle, limits.header_read + Duration::from_secs(3))
        .await
        .expect("an idle keep-alive connection stays open");
    assert!(took >= limits.header_read - Duration::from_millis(500), "{took:?}");

    // A body that stops half-way: refused and closed, not waited for.
    let mut stalled = TcpStream::connect(s.addr).await.unwrap();
    stalled
        .write_all(
            b"POST /v1/clerks/login HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n\
              content-length: 1000\r\n\r\n{\"clerk_id\":",
        )
        .await
        .unwrap();
    let start = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let within = limits.body_idle + Duration::from_secs(3);
    loop {
        let left = within
            .checked_sub(start.elapsed())
            .expect("a stalled body is waited for past the time-out");
        match tokio::time::timeout(left, stalled.read(&mut buf)).await {
            Err(_) => panic!("a stalled body is waited for past the time-out"),
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    s.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_wait_for_a_free_one() {
    let limits = Limits {
        max_connections: 10,
        ..short()
    };
    let s = sim(false, limits).await;
    let mut held = Vec::new();
    for _ in 0..10 {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(b"GET /v1/health HTTP/1.1\r\n").await.unwrap();
        held.push(c);
    }
    // The eleventh is served only once the time-out frees a slot.
    let t = Instant::now();
    let health = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .get(format!("{}/v1/health", s.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let waited = t.elapsed();
    assert!(
        waited >= limits.header_read - Duration::from_millis(700)
            && waited < limits.header_read + Duration::from_secs(3),
        "served after {waited:?}"
    );
    drop(held);
    s.stop().await.unwrap();
}
