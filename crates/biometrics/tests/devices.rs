//! The client against the project's MDS emulator over real HTTP on
//! 127.0.0.1: discovery, capture, retakes, and each way a device fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{start, start_with};
use mds_emulator::Variant;
use passport_biometrics::{
    CapturePolicy, DeviceEvent, DeviceState, DeviceWatch, FingerOutcome, MdsClient, MdsError,
    SignatureError, TrustStore, take_finger,
};
use passport_domain::biometrics::FingerPosition;
use std::time::{Duration, Instant};

const POLICY: CapturePolicy = CapturePolicy {
    threshold: 60,
    retries: 2,
};

#[tokio::test]
async fn discovery_finds_the_device_and_nothing_on_closed_ports() {
    let b = start(Variant::Good).await;
    let started = Instant::now();
    let devices = b.client.discover().await;
    assert_eq!(devices.len(), 1, "{devices:?}");
    let d = &devices[0];
    assert_eq!(d.port, b.first + 2);
    assert_eq!(d.state, DeviceState::Ready);
    assert_eq!(d.description.serial, "EMU-TEST-0001");
    assert_eq!(d.description.spec_version, "1.0");
    // Seven closed ports and one device: refused connects cost nothing.
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn two_good_fingers_are_accepted_with_their_quality() {
    let b = start(Variant::Good).await;
    for finger in [FingerPosition::LeftIndex, FingerPosition::RightIndex] {
        let outcome = take_finger(&b.client, b.device.port(), "1", finger, POLICY)
            .await
            .unwrap();
        let FingerOutcome::Accepted(c) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(c.position, finger);
        assert!(c.quality.get() >= 60, "{}", c.quality.get());
        assert_eq!((c.image.width(), c.image.height()), (200, 250));
        let domain = c.into_domain();
        assert_eq!(domain.position, finger);
    }
    assert_eq!(b.device.captures(), 2);
}

#[tokio::test]
async fn low_quality_is_retaken_then_an_exception_is_asked_for_with_the_best_kept() {
    let b = start(Variant::LowQuality).await;
    let outcome = take_finger(
        &b.client,
        b.device.port(),
        "1",
        FingerPosition::LeftIndex,
        POLICY,
    )
    .await
    .unwrap();
    let FingerOutcome::ExceptionNeeded { best, attempts } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(attempts, 3, "one capture and two retakes");
    assert_eq!(b.device.captures(), 3);
    let best = best.expect("the best capture is kept");
    assert!(best.quality.get() < 60);
    // The device's qualities are 22–33; the kept one is the highest seen.
    assert!(best.quality.get() >= 22);

    // The device gets better (the finger is wiped): the next one passes.
    b.device.set_variant(Variant::Good);
    let again = take_finger(
        &b.client,
        b.device.port(),
        "1",
        FingerPosition::LeftIndex,
        POLICY,
    )
    .await
    .unwrap();
    assert!(matches!(again, FingerOutcome::Accepted(_)), "{again:?}");
}

#[tokio::test]
async fn unplugged_mid_capture_is_a_gone_state_and_a_retry_after_replug_works() {
    let b = start(Variant::UnpluggedMidCapture).await;
    let mut watch = DeviceWatch::new();
    let (_, events) = watch.poll(&b.client).await;
    assert!(
        matches!(
            events.as_slice(),
            [DeviceEvent::Appeared {
                state: DeviceState::Ready,
                ..
            }]
        ),
        "{events:?}"
    );

    let err = b
        .client
        .capture(b.device.port(), "1", FingerPosition::LeftIndex, 60)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        MdsError::Disconnected {
            port: b.device.port()
        }
    );
    assert!(err.is_gone());
    assert!(!b.device.is_plugged());

    // While out: the port is closed, the capture says so, the watch too.
    let err = b
        .client
        .capture(b.device.port(), "1", FingerPosition::LeftIndex, 60)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        MdsError::Unreachable {
            port: b.device.port()
        }
    );
    let (devices, events) = watch.poll(&b.client).await;
    assert!(devices.is_empty());
    assert!(
        matches!(events.as_slice(), [DeviceEvent::Gone { .. }]),
        "{events:?}"
    );

    b.device.replug().await.unwrap();
    let (_, events) = watch.poll(&b.client).await;
    assert!(
        matches!(events.as_slice(), [DeviceEvent::Appeared { .. }]),
        "{events:?}"
    );
    let c = b
        .client
        .capture(b.device.port(), "1", FingerPosition::LeftIndex, 60)
        .await
        .unwrap();
    assert!(c.quality.get() >= 60);
}

#[tokio::test]
async fn a_bad_signature_is_refused_and_the_device_shown_untrusted() {
    let b = start(Variant::BadSignature).await;
    let err = b
        .client
        .capture(b.device.port(), "1", FingerPosition::RightIndex, 60)
        .await
        .unwrap_err();
    assert_eq!(err, MdsError::Signature(SignatureError::Mismatch));
    let devices = b.client.discover().await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].state, DeviceState::Untrusted);
}

#[tokio::test]
async fn a_device_under_another_provider_is_refused() {
    let b = start(Variant::Good).await;
    let other = mds_emulator::DevicePki::generate("OTHER").unwrap();
    let client = MdsClient::new(
        common::options(b.first),
        TrustStore::from_pem(&other.ca_pem(), "other").unwrap(),
    )
    .unwrap();
    let err = client
        .capture(b.device.port(), "1", FingerPosition::RightIndex, 60)
        .await
        .unwrap_err();
    assert!(
        matches!(err, MdsError::Signature(SignatureError::Untrusted(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_busy_device_is_shown_busy_and_refuses_captures() {
    let b = start(Variant::Busy).await;
    let devices = b.client.discover().await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].state, DeviceState::Busy);
    let err = b
        .client
        .capture(b.device.port(), "1", FingerPosition::LeftIndex, 60)
        .await
        .unwrap_err();
    assert_eq!(err, MdsError::Busy);

    let mut watch = DeviceWatch::new();
    watch.poll(&b.client).await;
    b.device.set_variant(Variant::Good);
    let (_, events) = watch.poll(&b.client).await;
    assert!(
        matches!(
            events.as_slice(),
            [DeviceEvent::Changed {
                state: DeviceState::Ready,
                ..
            }]
        ),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_slow_device_times_out_without_hanging() {
    let b = start_with(Variant::Slow, Duration::from_secs(30)).await;
    let started = Instant::now();
    let err = b
        .client
        .capture(b.device.port(), "1", FingerPosition::LeftIndex, 60)
        .await
        .unwrap_err();
    // capture_timeout 3 s plus 1 s for the answer to travel.
    assert!(matches!(err, MdsError::TimedOut { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );

    let started = Instant::now();
    assert!(b.client.discover().await.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

/// A "device" that answers with an endless body: refused at the bound,
/// long before the time-out.
#[tokio::test]
async fn an_endless_answer_is_cut_at_the_bound() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let first = common::free_block();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", first))
        .await
        .unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
                    .await;
                let chunk = vec![b' '; 64 * 1024];
                while s.write_all(&chunk).await.is_ok() {}
            });
        }
    });
    let pki = mds_emulator::DevicePki::generate("X").unwrap();
    let client = MdsClient::new(
        common::options(first),
        TrustStore::from_pem(&pki.ca_pem(), "t").unwrap(),
    )
    .unwrap();
    let started = Instant::now();
    let err = client
        .capture(first, "1", FingerPosition::LeftIndex, 60)
        .await
        .unwrap_err();
    assert!(matches!(err, MdsError::TooLarge { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(client.discover_port(first).await.is_err());
}

/// A device answering with specVersion 0.9.5 is found and captured from as
/// a 1.0 one is.
#[tokio::test]
async fn a_spec_0_9_5_device_is_found_and_captured() {
    let first = common::free_block();
    let pki = mds_emulator::DevicePki::generate("EMU-095").unwrap();
    let trust = TrustStore::from_pem(&pki.ca_pem(), "t").unwrap();
    let config = mds_emulator::Config {
        spec_version: mds_emulator::SpecVersion::V095,
        serial: "EMU-095".into(),
        ..mds_emulator::Config::default()
    };
    let device = mds_emulator::Emulator::bind(first + 5, pki, config)
        .await
        .unwrap();
    let client = MdsClient::new(common::options(first), trust).unwrap();
    let devices = client.discover().await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].description.spec_version, "0.9.5");
    let c = client
        .capture(device.port(), "1", FingerPosition::RightThumb, 60)
        .await
        .unwrap();
    assert_eq!(c.position, FingerPosition::RightThumb);
}
