//! Demo mode brings its own devices, so `make run` shows biometrics
//! working on a machine with none: the MOSIP device emulator on the first
//! free port of `[biometrics]`' range, trusted through the data directory's
//! trust store (over real HTTP on 127.0.0.1), and SANE's test backend for
//! the scanner (see `tests/scanner.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_counter_core::biometrics::BiometricState;
use passport_domain::biometrics::FingerPosition;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_counter_captures_fingers_from_its_emulator() {
    let tmp = tempfile::tempdir().unwrap();
    let c = common::demo_counter(tmp.path()).await;
    let found = c.biometric_devices().await.unwrap();
    // Another demo running on this machine (a test, the app) has its own
    // device and key: listed, but not trusted here. Ours is ready.
    let device = found
        .devices
        .iter()
        .find(|d| d.serial == "DEMO-FP-0001" && d.state == BiometricState::Ready)
        .unwrap_or_else(|| panic!("the demo device is not listed as ready: {found:?}"));
    assert!((found.first_port..=found.last_port).contains(&device.port));

    // Biometric data only for a logged-in clerk.
    assert!(
        c.capture_finger(FingerPosition::LeftIndex, None)
            .await
            .is_err()
    );
    c.login("demo-clerk", "demo").await.unwrap();
    let v = c
        .capture_finger(FingerPosition::LeftIndex, Some(device.port))
        .await
        .unwrap();
    assert_eq!(v.capture.position, FingerPosition::LeftIndex);
    assert!(v.meets_threshold, "quality {}", v.capture.quality);
    assert_eq!(v.device_serial, "DEMO-FP-0001");
    // The window cannot make the core talk to a port outside [biometrics]'
    // range (IPC is hostile): a typed refusal, no request made.
    let e = c
        .capture_finger(FingerPosition::LeftIndex, Some(22))
        .await
        .unwrap_err();
    let e = passport_counter_core::IpcError::from(e);
    assert_eq!(e.code, "biometrics.port_outside_range", "{e:?}");
    c.shutdown().await;
}
