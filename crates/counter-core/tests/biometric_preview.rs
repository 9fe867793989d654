//! The live preview (STREAM) through the core, as the window runs it: the
//! demo counter's own MDS emulator over real HTTP on 127.0.0.1, frames
//! checked as JPEGs and handed out as `data:` URLs at most five a second,
//! stopped when the clerk leaves the finger; a port with no device ends it
//! as `gone`, and only a logged-in clerk sees an applicant's finger.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::biometrics::{BiometricState, PreviewEnd, preview_jpeg_size};
use passport_domain::biometrics::FingerPosition;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_hands_out_jpeg_frames_until_the_clerk_leaves_the_finger() {
    let tmp = tempfile::tempdir().unwrap();
    let c = common::demo_counter(tmp.path()).await;
    let found = c.biometric_devices().await.unwrap();
    let device = found
        .devices
        .iter()
        .find(|d| d.serial == "DEMO-FP-0001" && d.state == BiometricState::Ready)
        .unwrap_or_else(|| panic!("the demo device is not listed as ready: {found:?}"))
        .clone();

    // Not logged in: no frames.
    let mut frames = Vec::new();
    assert!(
        c.biometric_preview(
            FingerPosition::LeftIndex,
            Some(device.port),
            std::future::pending(),
            |f| frames.push(f)
        )
        .await
        .is_err()
    );
    assert!(frames.is_empty());

    c.login("demo-clerk", "demo").await.unwrap();
    let started = Instant::now();
    let mut times = Vec::new();
    let end = c
        .biometric_preview(
            FingerPosition::LeftIndex,
            Some(device.port),
            tokio::time::sleep(Duration::from_millis(1500)),
            |f| {
                times.push(started.elapsed());
                frames.push(f);
            },
        )
        .await
        .unwrap();
    assert_eq!(end, PreviewEnd::Stopped);
    assert!(started.elapsed() < Duration::from_secs(3));
    // 1.5 s at five a second at most.
    assert!((3..=8).contains(&frames.len()), "{}", frames.len());
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(150), "{times:?}");
    }
    for f in &frames {
        assert_eq!(f.finger, FingerPosition::LeftIndex);
        assert_eq!(f.port, device.port);
        assert!(f.data_url.starts_with("data:image/jpeg;base64,"));
        assert!(f.width > 0 && f.height > 0);
    }

    // A port of the range with nothing on it: the preview ends at once
    // as gone.
    let port = (found.first_port..=found.last_port)
        .find(|&p| p != device.port && std::net::TcpListener::bind(("127.0.0.1", p)).is_ok())
        .unwrap();
    let end = c
        .biometric_preview(
            FingerPosition::RightIndex,
            Some(port),
            std::future::pending(),
            |_| panic!("no frames from an empty port"),
        )
        .await
        .unwrap();
    assert_eq!(end, PreviewEnd::Gone);

    // A port outside the range is never asked: no device, at once.
    let end = c
        .biometric_preview(
            FingerPosition::RightIndex,
            Some(found.first_port.saturating_sub(1)),
            std::future::pending(),
            |_| panic!("no frames from outside the range"),
        )
        .await
        .unwrap();
    assert_eq!(end, PreviewEnd::NoDevice);
    c.shutdown().await;
}

#[test]
fn only_jpegs_pass_the_frame_check() {
    assert_eq!(preview_jpeg_size(b""), None);
    assert_eq!(preview_jpeg_size(b"\xFF\xD8\xFF\xFF\xD9"), None);
    assert_eq!(preview_jpeg_size(b"\x89PNG\r\n\x1a\n"), None);
    let jpeg = mds_emulator::image::finger_jpeg(0, 0, 60).unwrap();
    let (w, h) = preview_jpeg_size(&jpeg).unwrap();
    assert!(w > 0 && h > 0);
    // Cut short: the end marker is gone.
    assert_eq!(preview_jpeg_size(&jpeg[..jpeg.len() / 2]), None);
}
