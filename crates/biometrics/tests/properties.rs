//! The answer parsers never panic, whatever a "device" sends: garbage
//! bytes, JSON of the wrong shape, huge fields, real answers with one byte
//! changed. A changed signed answer is never accepted as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine;
use mds_emulator::{DevicePki, Variant};
use passport_biometrics::TrustStore;
use passport_biometrics::wire::{self, Expected};
use passport_domain::biometrics::FingerPosition;
use proptest::prelude::*;
use std::sync::OnceLock;
use std::time::SystemTime;

/// One real capture answer and device info from the emulator, with the
/// request they answer and the trust store that accepts them.
struct Real {
    capture: Vec<u8>,
    info: Vec<u8>,
    transaction_id: String,
    trust: TrustStore,
}

fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let b = common::start(Variant::Good).await;
            let http = reqwest::Client::builder().no_proxy().build().unwrap();
            let url = |p: &str| format!("http://127.0.0.1:{}{p}", b.device.port());
            let transaction_id = "prop-0001".to_owned();
            let request = serde_json::json!({
                "env": "Developer", "purpose": "Registration", "specVersion": "1.0",
                "timeout": 3000, "captureTime": "2026-01-01T00:00:00Z",
                "transactionId": transaction_id,
                "bio": [{"type": "Finger", "count": 1, "bioSubType": ["Left IndexFinger"],
                         "exception": [], "requestedScore": 60, "deviceId": "1",
                         "deviceSubId": "0", "previousHash": wire::empty_hash()}],
            });
            let method = |m: &str| reqwest::Method::from_bytes(m.as_bytes()).unwrap();
            let capture = http
                .request(method("RCAPTURE"), url("/capture"))
                .body(request.to_string())
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec();
            let info = http
                .request(method("MOSIPDINFO"), url("/info"))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec();
            let trust = TrustStore::from_pem(&b.device.trust_pem(), "t").unwrap();
            Real {
                capture,
                info,
                transaction_id,
                trust,
            }
        })
    })
}

fn parse_capture(body: &[u8]) -> Result<wire::DeviceCapture, passport_biometrics::MdsError> {
    let r = real();
    wire::parse_capture(
        body,
        &Expected {
            position: FingerPosition::LeftIndex,
            transaction_id: &r.transaction_id,
            previous_hash: &wire::empty_hash(),
        },
        &r.trust,
        SystemTime::now(),
    )
}

#[test]
fn the_real_answers_are_accepted() {
    let r = real();
    let c = parse_capture(&r.capture).unwrap();
    assert!(c.quality.get() >= 78);
    let info = wire::parse_info(&r.info, &r.trust, SystemTime::now()).unwrap();
    assert_eq!(info.len(), 1);
}

#[test]
fn a_trust_store_of_garbage_is_refused() {
    assert!(TrustStore::from_pem("", "t").is_err());
    assert!(
        TrustStore::from_pem(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "t"
        )
        .is_err()
    );
    let pki = DevicePki::generate("S").unwrap();
    assert_eq!(TrustStore::from_pem(&pki.ca_pem(), "t").unwrap().len(), 1);
}

/// JSON values of any shape, a few levels deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        ".{0,40}".prop_map(serde_json::Value::from),
        prop_oneof![
            Just("Ready"),
            Just("Busy"),
            Just("Finger"),
            Just("Left IndexFinger"),
            Just("1.0"),
            Just("0.9.5"),
            Just("L0"),
            Just("111"),
            Just("0"),
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("deviceStatus".to_owned()),
                    Just("deviceId".to_owned()),
                    Just("digitalId".to_owned()),
                    Just("deviceCode".to_owned()),
                    Just("specVersion".to_owned()),
                    Just("certification".to_owned()),
                    Just("serviceVersion".to_owned()),
                    Just("biometrics".to_owned()),
                    Just("data".to_owned()),
                    Just("hash".to_owned()),
                    Just("error".to_owned()),
                    Just("errorCode".to_owned()),
                    Just("deviceInfo".to_owned()),
                    "[a-zA-Z]{1,10}",
                ],
                inner,
                0..8,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn garbage_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let r = real();
        let _ = wire::parse_discovery(&bytes);
        let _ = wire::parse_info(&bytes, &r.trust, SystemTime::now());
        let _ = parse_capture(&bytes);
    }

    #[test]
    fn json_of_any_shape_never_panics(v in json_value()) {
        let r = real();
        let bytes = serde_json::to_vec(&v).unwrap();
        let _ = wire::parse_discovery(&bytes);
        let _ = wire::parse_info(&bytes, &r.trust, SystemTime::now());
        prop_assert!(parse_capture(&bytes).is_err());
    }

    #[test]
    fn a_changed_capture_answer_is_never_accepted_as_it_was(
        at in any::<prop::sample::Index>(),
        to in any::<u8>(),
    ) {
        let r = real();
        let mut body = r.capture.clone();
        let i = at.index(body.len());
        prop_assume!(body[i] != to);
        body[i] = to;
        // Either refused, or (a change outside anything read: whitespace,
        // the specVersion beside the data) the same capture.
        if let Ok(c) = parse_capture(&body) {
            let original = parse_capture(&r.capture).unwrap();
            prop_assert_eq!(c.image, original.image);
            prop_assert_eq!(c.quality, original.quality);
        }
    }

    #[test]
    fn a_wrong_signature_is_refused(sig in prop::collection::vec(any::<u8>(), 0..128)) {
        let r = real();
        let answer: serde_json::Value = serde_json::from_slice(&r.capture).unwrap();
        let data = answer["biometrics"][0]["data"].as_str().unwrap();
        let (signed, _) = data.rsplit_once('.').unwrap();
        let forged = format!(
            "{signed}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&sig)
        );
        let mut answer = answer.clone();
        answer["biometrics"][0]["data"] = serde_json::Value::from(forged);
        prop_assert!(parse_capture(&serde_json::to_vec(&answer).unwrap()).is_err());
    }
}

#[test]
fn a_huge_answer_is_refused_not_read_as_one() {
    // 3 MB of a plausible shape: the image bound refuses it.
    let huge = format!(
        "{{\"biometrics\":[{{\"specVersion\":\"1.0\",\"data\":\"{}\",\"hash\":\"\",\"error\":{{\"errorCode\":\"0\"}}}}]}}",
        "A".repeat(3 * 1024 * 1024)
    );
    assert!(parse_capture(huge.as_bytes()).is_err());
}

// STREAM: the multipart parser over garbage, over real frames cut
// anywhere, and its bounds.

use passport_biometrics::{MultipartParser, StreamError};

const PART_MAX: usize = 4096;

/// `frames` as a device writes them, with or without `Content-Length`.
fn multipart(frames: &[Vec<u8>], lengths: bool) -> Vec<u8> {
    let mut out = b"preamble\r\n".to_vec();
    for f in frames {
        out.extend_from_slice(b"--mdsframe\r\nContent-Type: image/jpeg\r\n");
        if lengths {
            out.extend_from_slice(format!("Content-Length: {}\r\n", f.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(f);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--mdsframe--\r\n");
    out
}

fn parse_in_chunks(bytes: &[u8], cuts: &[usize]) -> Result<Vec<Vec<u8>>, StreamError> {
    let mut p = MultipartParser::new("mdsframe", PART_MAX).unwrap();
    let mut parts = Vec::new();
    let mut at = 0;
    for &c in cuts {
        let c = c % (bytes.len() + 1);
        if c > at {
            parts.extend(p.push(&bytes[at..c])?);
            at = c;
        }
    }
    parts.extend(p.push(&bytes[at..])?);
    assert!(p.is_closed());
    Ok(parts)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn stream_garbage_never_panics(
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..512), 0..16),
        boundary in "[a-zA-Z0-9'()+_,./:=? -]{0,80}",
    ) {
        if let Ok(mut p) = MultipartParser::new(&boundary, PART_MAX) {
            for c in &chunks {
                match p.push(c) {
                    Ok(parts) => for part in parts {
                        prop_assert!(part.len() <= PART_MAX);
                    },
                    Err(_) => break,
                }
            }
        }
        let _ = MultipartParser::boundary_of(&String::from_utf8_lossy(&chunks.concat()));
    }

    #[test]
    fn stream_garbage_around_delimiters_never_panics(
        pieces in prop::collection::vec(prop_oneof![
            Just(b"--mdsframe".to_vec()),
            Just(b"--mdsframe--".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"Content-Length: 99999999999\r\n".to_vec()),
            Just(b"Content-Length: 5\r\n".to_vec()),
            Just(b"Content-Type: image/jpeg\r\n".to_vec()),
            prop::collection::vec(any::<u8>(), 0..64),
        ], 0..40),
    ) {
        let mut p = MultipartParser::new("mdsframe", PART_MAX).unwrap();
        for piece in &pieces {
            match p.push(piece) {
                Ok(parts) => for part in parts {
                    prop_assert!(part.len() <= PART_MAX);
                },
                Err(_) => break,
            }
        }
    }

    #[test]
    fn frames_cut_anywhere_come_out_whole(
        frames in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..600), 0..6),
        cuts in prop::collection::vec(any::<usize>(), 0..12),
        lengths in any::<bool>(),
    ) {
        let mut cuts = cuts;
        let bytes = multipart(&frames, lengths);
        cuts.iter_mut().for_each(|c| *c %= bytes.len() + 1);
        cuts.sort_unstable();
        let parts = parse_in_chunks(&bytes, &cuts).unwrap();
        if lengths {
            prop_assert_eq!(parts, frames);
        } else {
            // Without lengths a frame holding the delimiter would be cut;
            // random bytes of this size never do.
            prop_assume!(!frames.iter().any(|f| f.windows(2).any(|w| w == b"--")));
            prop_assert_eq!(parts, frames);
        }
    }
}

#[test]
fn a_declared_part_over_the_cap_is_refused_before_its_bytes() {
    let mut p = MultipartParser::new("mdsframe", PART_MAX).unwrap();
    let head = format!(
        "--mdsframe\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
        PART_MAX + 1
    );
    assert_eq!(
        p.push(head.as_bytes()),
        Err(StreamError::TooLarge { limit: PART_MAX })
    );
}

#[test]
fn an_undeclared_part_over_the_cap_is_refused_once_it_passes_it() {
    let mut p = MultipartParser::new("mdsframe", PART_MAX).unwrap();
    assert_eq!(p.push(b"--mdsframe\r\n\r\n"), Ok(vec![]));
    let mut refused = false;
    for _ in 0..(PART_MAX / 100 + 2) {
        if p.push(&[7u8; 100]).is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused);
}

#[test]
fn a_part_that_is_not_a_jpeg_is_refused() {
    let mut p = MultipartParser::new("mdsframe", PART_MAX).unwrap();
    assert!(
        p.push(b"--mdsframe\r\nContent-Type: text/html\r\n\r\n<html>")
            .is_err()
    );
}

#[test]
fn boundaries_are_read_from_the_content_type() {
    assert_eq!(
        MultipartParser::boundary_of("multipart/x-mixed-replace; boundary=mdsframe").unwrap(),
        "mdsframe"
    );
    assert_eq!(
        MultipartParser::boundary_of("Multipart/X-Mixed-Replace;boundary=\"a b\"").unwrap(),
        "a b"
    );
    assert!(MultipartParser::boundary_of("application/json").is_err());
    assert!(MultipartParser::boundary_of("multipart/x-mixed-replace").is_err());
    assert!(MultipartParser::new("", PART_MAX).is_err());
    assert!(MultipartParser::new(&"x".repeat(71), PART_MAX).is_err());
}
