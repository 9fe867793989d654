//! STREAM, the live preview, against the project's MDS emulator over real
//! HTTP on 127.0.0.1: frames arrive as JPEGs, no faster than the limit,
//! the preview ends when its time is up or when the counter lets go, and
//! an unplugged device ends it with a typed state.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::start;
use mds_emulator::Variant;
use passport_biometrics::{MdsError, StreamEnd, StreamLimits};
use std::time::{Duration, Instant};

fn limits() -> StreamLimits {
    StreamLimits {
        part_max: 256 * 1024,
        min_interval: Duration::from_millis(200),
        total: Duration::from_secs(3),
        stall: Duration::from_secs(2),
    }
}

fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9])
}

#[tokio::test]
async fn frames_arrive_as_jpegs_no_faster_than_the_limit() {
    let b = start(Variant::Good).await;
    let port = b.device.port();
    let mut preview = b
        .client
        .stream(port, "EMU-TEST-0001", "1", limits())
        .await
        .unwrap();
    let started = Instant::now();
    let mut times = Vec::new();
    for _ in 0..5 {
        let frame = preview.next_frame().await.unwrap();
        assert!(is_jpeg(&frame), "{:02X?}", &frame[..frame.len().min(8)]);
        assert!(frame.len() <= 256 * 1024);
        times.push(started.elapsed());
    }
    for pair in times.windows(2) {
        // The emulator sends every 200 ms; the reader never hands out two
        // within its interval (slack for this test being woken late).
        assert!(pair[1] - pair[0] >= Duration::from_millis(150), "{times:?}");
    }
    assert_eq!(preview.delivered(), 5);
}

#[tokio::test]
async fn a_faster_device_is_thinned_to_the_limit() {
    let b = start(Variant::Good).await;
    let slow = StreamLimits {
        min_interval: Duration::from_millis(500),
        total: Duration::from_millis(2100),
        ..limits()
    };
    let mut preview = b
        .client
        .stream(b.device.port(), "EMU-TEST-0001", "1", slow)
        .await
        .unwrap();
    let mut frames = 0;
    let end = loop {
        match preview.next_frame().await {
            Ok(_) => frames += 1,
            Err(end) => break end,
        }
    };
    // 2.1 s at one frame per 0.5 s: five at most, though the device sent
    // about ten.
    assert!((3..=5).contains(&frames), "{frames}");
    assert!(preview.dropped() >= 3, "{}", preview.dropped());
    assert!(
        matches!(end, StreamEnd::TimeLimit | StreamEnd::Finished),
        "{end:?}"
    );
}

#[tokio::test]
async fn the_preview_ends_at_its_time_limit() {
    let b = start(Variant::Good).await;
    let short = StreamLimits {
        total: Duration::from_millis(700),
        ..limits()
    };
    let started = Instant::now();
    let mut preview = b
        .client
        .stream(b.device.port(), "EMU-TEST-0001", "1", short)
        .await
        .unwrap();
    let end = loop {
        if let Err(end) = preview.next_frame().await {
            break end;
        }
    };
    // The device was asked for 700 ms too: whichever side ends first.
    assert!(
        matches!(end, StreamEnd::TimeLimit | StreamEnd::Finished),
        "{end:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn letting_go_closes_the_stream_and_the_device_serves_on() {
    let b = start(Variant::Good).await;
    let port = b.device.port();
    let mut preview = b
        .client
        .stream(port, "EMU-TEST-0001", "1", limits())
        .await
        .unwrap();
    preview.next_frame().await.unwrap();
    drop(preview);
    // The device is not held by the dropped preview: a capture goes on.
    let c = b
        .client
        .capture(
            port,
            "1",
            passport_domain::biometrics::FingerPosition::LeftIndex,
            60,
        )
        .await
        .unwrap();
    assert!(c.quality.get() >= 60);
    // And a new preview starts.
    let mut again = b
        .client
        .stream(port, "EMU-TEST-0001", "1", limits())
        .await
        .unwrap();
    assert!(is_jpeg(&again.next_frame().await.unwrap()));
}

#[tokio::test]
async fn an_unplugged_device_ends_the_preview_as_gone() {
    let b = start(Variant::Good).await;
    let port = b.device.port();
    let mut preview = b
        .client
        .stream(port, "EMU-TEST-0001", "1", limits())
        .await
        .unwrap();
    preview.next_frame().await.unwrap();
    b.device.unplug();
    let started = Instant::now();
    let end = loop {
        if let Err(end) = preview.next_frame().await {
            break end;
        }
    };
    assert_eq!(end, StreamEnd::Gone { port });
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // And a new preview on the empty port is refused as unreachable.
    let again = b.client.stream(port, "EMU-TEST-0001", "1", limits()).await;
    assert!(
        matches!(again, Err(MdsError::Unreachable { .. })),
        "{again:?}"
    );
    assert!(again.unwrap_err().is_gone());
}

#[tokio::test]
async fn a_busy_device_says_so_instead_of_streaming() {
    let b = start(Variant::Busy).await;
    let again = b
        .client
        .stream(b.device.port(), "EMU-TEST-0001", "1", limits())
        .await;
    assert!(matches!(again, Err(MdsError::Busy)), "{again:?}");
}

#[tokio::test]
async fn a_port_without_a_device_is_unreachable() {
    let b = start(Variant::Good).await;
    let r = b
        .client
        .stream(b.first, "EMU-TEST-0001", "1", limits())
        .await;
    assert!(matches!(r, Err(MdsError::Unreachable { .. })), "{r:?}");
}
