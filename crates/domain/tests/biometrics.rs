//! The biometrics' rules and decoders: the rule table (who gives
//! fingerprints and a signature), the fallback order of fingers, the
//! exceptions, and property tests that no input panics the PNG and stroke
//! decoders or the rule.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::NaiveDate;
use passport_domain::biometrics::{
    BiometricsDraft, BiometricsRequirement, CannotSignDraft, FINGER_IMAGE, FingerCaptureDraft,
    FingerExceptionDraft, FingerExceptionKind, FingerExceptionReason, FingerPosition, PngImage,
    SIGNATURE_IMAGE, SignatureDraft, SignatureImageDraft, SignatureRecord, SignatureStrokes,
    SignedDraft, StrokePoint, SupervisorConfirmation, samples,
};
use passport_domain::{ApplicationDraft, ApplicationRules, Pesel, Sex, demo};
use proptest::prelude::*;
use std::sync::OnceLock;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn finger_b64(seed: u32) -> String {
    static CACHE: OnceLock<Vec<String>> = OnceLock::new();
    CACHE.get_or_init(|| {
        (0..10)
            .map(|s| BASE64.encode(samples::finger_png(s)))
            .collect()
    })[seed as usize % 10]
        .clone()
}

fn finger(position: FingerPosition, quality: u32) -> FingerCaptureDraft {
    FingerCaptureDraft {
        position,
        quality,
        png_base64: finger_b64(position as u32),
    }
}

fn exception(position: FingerPosition, supervisor: Option<&str>) -> FingerExceptionDraft {
    FingerExceptionDraft {
        position,
        reason: if supervisor.is_some() {
            FingerExceptionKind::TemporarilyImpossible
        } else {
            FingerExceptionKind::Missing
        },
        supervisor: supervisor.map(str::to_owned),
        confirmation: supervisor.map(|_| confirmed()),
    }
}

/// A confirmation as the core seals it; the domain only asks it is there.
fn confirmed() -> SupervisorConfirmation {
    SupervisorConfirmation {
        confirmed_at: "2026-11-29T10:00:00Z".into(),
        pesel: String::new(),
        seal: "0".repeat(64),
    }
}

fn signature() -> Option<SignatureDraft> {
    Some(SignatureDraft::Image(SignatureImageDraft {
        png_base64: BASE64.encode(samples::signature_png()),
    }))
}

fn both_index() -> BiometricsDraft {
    BiometricsDraft {
        fingers: vec![
            finger(FingerPosition::LeftIndex, 80),
            finger(FingerPosition::RightIndex, 70),
        ],
        finger_exceptions: vec![],
        signature: signature(),
    }
}

const ADULT: BiometricsRequirement = BiometricsRequirement {
    fingerprints: true,
    signature: true,
};

fn codes(d: &BiometricsDraft, req: BiometricsRequirement) -> Vec<(String, String)> {
    match d.validate(req, "biometrics") {
        Ok(_) => vec![],
        Err(es) => es.into_iter().map(|e| (e.path, e.code)).collect(),
    }
}

fn pair(path: &str, code: &str) -> (String, String) {
    (path.to_owned(), code.to_owned())
}

/// An applicant of `age` on `today()` (birthday long past this year).
fn draft(kind: &str, age: i32) -> ApplicationDraft {
    let birth = NaiveDate::from_ymd_opt(2026 - age, 3, 14).unwrap();
    let mut d = demo::adult_draft(7, today());
    d.kind = kind.into();
    if kind == "temporary" {
        d.urgent_reason = Some("Pilny wyjazd na leczenie".into());
    }
    d.applicant.birth_date = birth.to_string();
    let sex = if d.applicant.sex == "F" {
        Sex::Female
    } else {
        Sex::Male
    };
    d.applicant.pesel = Pesel::from_parts(birth, 123, sex).unwrap().to_string();
    if age < 18 {
        d.guardians = vec![passport_domain::application::GuardianDraft {
            role: "mother".into(),
            pesel: Pesel::from_parts(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(), 1, Sex::Female)
                .unwrap()
                .to_string(),
            surname: "Kowalska".into(),
            given_names: "Anna".into(),
        }];
        d.consent = Some(passport_domain::application::ConsentDraft {
            basis: "father_unknown".into(),
            reference: None,
        });
    }
    d
}

#[test]
fn the_rule_table() {
    let rules = ApplicationRules::new(today());
    // (kind, age, fingerprints, signature) with the default signature age 13.
    let table = [
        ("passport", 40, true, true),
        ("passport", 18, true, true),
        ("passport", 13, true, true),
        ("passport", 12, true, false),
        ("passport", 11, false, false),
        ("passport", 5, false, false),
        ("second", 30, true, true),
        ("temporary", 40, false, true),
        ("temporary", 12, false, false),
        ("temporary", 13, false, true),
        ("temporary", 8, false, false),
    ];
    for (kind, age, fingerprints, signature) in table {
        let d = draft(kind, age);
        let expected = BiometricsRequirement {
            fingerprints,
            signature,
        };
        assert_eq!(
            d.biometrics_requirement(&rules),
            Some(expected),
            "{kind} {age}"
        );
        let app = d.validate(Some(demo::PHOTO_PNG), &rules);
        let app = match (kind, app) {
            ("second", Err(_)) => continue, // needs its own fields; covered above
            (_, a) => a.unwrap_or_else(|e| panic!("{kind} {age}: {e}")),
        };
        assert_eq!(app.biometrics_requirement(), expected, "{kind} {age}");
    }
    // The signature age is a setting (12 or 13).
    let mut twelve = ApplicationRules::new(today());
    twelve.signature_age = 12;
    assert!(
        draft("passport", 12)
            .biometrics_requirement(&twelve)
            .unwrap()
            .signature
    );
}

#[test]
fn an_adult_needs_two_fingers_or_exceptions_and_a_signature() {
    assert_eq!(codes(&both_index(), ADULT), vec![]);

    let none = BiometricsDraft::default();
    let errors = none.validate(ADULT, "biometrics").unwrap_err();
    let finger_error = errors
        .iter()
        .find(|e| e.code == "fingerprints.required")
        .unwrap();
    assert_eq!(finger_error.path, "biometrics.fingers");
    assert!(
        finger_error
            .message
            .pl
            .contains("lewy palec wskazujący, prawy palec wskazujący")
    );
    assert!(
        finger_error
            .message
            .en
            .contains("left index finger, right index finger")
    );
    assert!(errors.iter().any(|e| e.code == "signature.required"));

    // One index finger only: the other is named.
    let mut one = both_index();
    one.fingers.pop();
    let errors = one.validate(ADULT, "biometrics").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.en.ends_with(": right index finger."),
        "{}",
        errors[0].message.en
    );
}

#[test]
fn a_child_under_12_and_a_temporary_passport_need_none_and_take_none() {
    let child = BiometricsRequirement {
        fingerprints: false,
        signature: false,
    };
    let b = BiometricsDraft::default()
        .validate(child, "biometrics")
        .unwrap();
    assert_eq!(
        (b.fingerprints.is_none(), b.signature.is_none()),
        (true, true)
    );
    // Nothing is kept that the law does not ask for.
    assert_eq!(
        codes(&both_index(), child),
        vec![
            pair("biometrics.fingers", "fingerprints.not_taken"),
            pair("biometrics.signature", "signature.not_taken")
        ]
    );
    let temporary_adult = BiometricsRequirement {
        fingerprints: false,
        signature: true,
    };
    let mut signed_only = both_index();
    signed_only.fingers.clear();
    assert_eq!(codes(&signed_only, temporary_adult), vec![]);
}

#[test]
fn fallback_order_index_middle_ring_thumb() {
    use FingerPosition::*;
    // The right index finger missing: the right middle finger is taken.
    let d = BiometricsDraft {
        fingers: vec![finger(LeftIndex, 80), finger(RightMiddle, 60)],
        finger_exceptions: vec![exception(RightIndex, None)],
        signature: signature(),
    };
    let b = d.validate(ADULT, "biometrics").unwrap();
    let set = b.fingerprints.unwrap();
    assert_eq!(set.captures.len(), 2);
    assert_eq!(
        set.exception(RightIndex).unwrap().reason,
        FingerExceptionReason::Missing
    );

    // The middle finger taken while the index finger has no exception.
    let skipped = BiometricsDraft {
        fingers: vec![finger(LeftIndex, 80), finger(RightMiddle, 60)],
        finger_exceptions: vec![],
        signature: signature(),
    };
    assert_eq!(
        codes(&skipped, ADULT),
        vec![pair("biometrics.fingers", "fingerprints.fallback_order")]
    );

    // An exception for the index finger alone: the middle finger is next.
    let only_exception = BiometricsDraft {
        fingers: vec![finger(LeftIndex, 80)],
        finger_exceptions: vec![exception(RightIndex, Some("kierownik1"))],
        signature: signature(),
    };
    let errors = only_exception.validate(ADULT, "biometrics").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.pl.ends_with(": prawy palec środkowy."),
        "{}",
        errors[0].message.pl
    );

    // A hand with no finger to take: every finger of the order recorded.
    let no_right_hand = BiometricsDraft {
        fingers: vec![finger(LeftIndex, 80)],
        finger_exceptions: [RightIndex, RightMiddle, RightRing, RightThumb]
            .into_iter()
            .map(|p| exception(p, None))
            .collect(),
        signature: signature(),
    };
    assert_eq!(codes(&no_right_hand, ADULT), vec![]);

    // Two fingers of one hand, and the little finger, are refused.
    let two_left = BiometricsDraft {
        fingers: vec![
            finger(LeftIndex, 80),
            finger(LeftMiddle, 60),
            finger(RightIndex, 60),
        ],
        finger_exceptions: vec![],
        signature: signature(),
    };
    assert_eq!(
        codes(&two_left, ADULT),
        vec![pair("biometrics.fingers", "fingerprints.one_per_hand")]
    );
    let little = BiometricsDraft {
        fingers: vec![finger(LeftLittle, 80), finger(RightIndex, 60)],
        finger_exceptions: vec![],
        signature: signature(),
    };
    assert!(codes(&little, ADULT).contains(&pair(
        "biometrics.fingers[0].position",
        "fingerprints.little_finger"
    )));
}

#[test]
fn exceptions_and_their_supervisor() {
    use FingerPosition::*;
    let mut d = BiometricsDraft {
        fingers: vec![finger(LeftIndex, 80), finger(RightMiddle, 60)],
        finger_exceptions: vec![FingerExceptionDraft {
            position: RightIndex,
            reason: FingerExceptionKind::TemporarilyImpossible,
            supervisor: None,
            confirmation: None,
        }],
        signature: signature(),
    };
    assert_eq!(
        codes(&d, ADULT),
        vec![pair(
            "biometrics.finger_exceptions[0].supervisor",
            "fingerprints.exception.supervisor_required"
        )]
    );
    d.finger_exceptions[0].supervisor = Some("kierownik 1".into());
    assert_eq!(
        codes(&d, ADULT)[0].1,
        "fingerprints.exception.supervisor_format"
    );
    d.finger_exceptions[0].supervisor = Some("kierownik1".into());
    // Named, but not confirmed with the supervisor's password.
    assert_eq!(
        codes(&d, ADULT),
        vec![pair(
            "biometrics.finger_exceptions[0].supervisor",
            "fingerprints.exception.confirmation_required"
        )]
    );
    d.finger_exceptions[0].confirmation = Some(confirmed());
    let b = d.validate(ADULT, "biometrics").unwrap();
    match &b.fingerprints.unwrap().exceptions[0].reason {
        FingerExceptionReason::TemporarilyImpossible { supervisor } => {
            assert_eq!(supervisor.as_str(), "kierownik1");
        }
        other => panic!("{other:?}"),
    }
    // A finger both captured and excepted.
    let both = BiometricsDraft {
        fingers: vec![finger(LeftIndex, 80), finger(RightIndex, 60)],
        finger_exceptions: vec![exception(RightIndex, None)],
        signature: signature(),
    };
    assert!(codes(&both, ADULT).contains(&pair(
        "biometrics.finger_exceptions[0].position",
        "fingerprints.duplicate"
    )));
}

#[test]
fn quality_and_images_are_checked() {
    let mut d = both_index();
    d.fingers[0].quality = 101;
    d.fingers[1].png_base64 = BASE64.encode(samples::grey_png(300, 400, |_, _| 200));
    assert_eq!(
        codes(&d, ADULT),
        vec![
            pair(
                "biometrics.fingers[0].quality",
                "fingerprints.quality_range"
            ),
            pair("biometrics.fingers[1].png_base64", "image.blank"),
        ]
    );
    let small = samples::grey_png(100, 100, |x, _| (x % 2 * 200) as u8);
    assert_eq!(
        PngImage::decode(small, &FINGER_IMAGE, "f")
            .unwrap_err()
            .code,
        "image.resolution"
    );
    let mut truncated = samples::finger_png(3);
    truncated.truncate(truncated.len() - 20);
    assert_eq!(
        PngImage::decode(truncated, &FINGER_IMAGE, "f")
            .unwrap_err()
            .code,
        "image.corrupt"
    );
    assert_eq!(
        PngImage::decode(
            samples::grey_png(2100, 200, |x, _| (x % 3 * 90) as u8),
            &FINGER_IMAGE,
            "f"
        )
        .unwrap_err()
        .code,
        "image.dimensions_too_large"
    );
    assert_eq!(
        PngImage::from_base64("not base64!", &FINGER_IMAGE, "f")
            .unwrap_err()
            .code,
        "image.unreadable"
    );
    let huge = "A".repeat(2 * 1024 * 1024);
    assert_eq!(
        PngImage::from_base64(&huge, &FINGER_IMAGE, "f")
            .unwrap_err()
            .code,
        "image.too_large"
    );
}

#[test]
fn signatures_strokes_and_cannot_sign() {
    let p = |x, y, t_ms| StrokePoint { x, y, t_ms };
    let strokes = vec![vec![p(10, 10, 0), p(50, 40, 30)], vec![p(60, 20, 90)]];
    let ok = SignatureStrokes::check(400, 120, &strokes, "s").unwrap();
    assert_eq!(ok.strokes.len(), 2);
    assert_eq!(
        SignatureStrokes::check(40, 120, &strokes, "s")
            .unwrap_err()
            .code,
        "signature.point_outside"
    );
    let back_in_time = vec![vec![p(10, 10, 50), p(11, 11, 10)]];
    assert_eq!(
        SignatureStrokes::check(400, 120, &back_in_time, "s")
            .unwrap_err()
            .code,
        "signature.time"
    );
    assert_eq!(
        SignatureStrokes::check(400, 120, &[vec![]], "s")
            .unwrap_err()
            .code,
        "signature.empty"
    );
    let too_many = vec![vec![p(1, 1, 0)]; 201];
    assert_eq!(
        SignatureStrokes::check(400, 120, &too_many, "s")
            .unwrap_err()
            .code,
        "signature.too_long"
    );
    let signed = SignatureDraft::Signed(SignedDraft {
        width: 400,
        height: 120,
        strokes,
        png_base64: BASE64.encode(samples::signature_png()),
    });
    assert!(matches!(
        signed.validate("s").unwrap(),
        SignatureRecord::Signed(s) if s.strokes.is_some()
    ));
    let cannot = |reason: &str| {
        SignatureDraft::CannotSign(CannotSignDraft {
            reason: reason.into(),
        })
        .validate("s")
    };
    assert!(matches!(
        cannot(" niedowład obu rąk ").unwrap(),
        SignatureRecord::CannotSign { reason } if reason == "niedowład obu rąk"
    ));
    assert_eq!(
        cannot("x").unwrap_err()[0].code,
        "signature.cannot_sign_reason"
    );
    assert_eq!(
        cannot("a\u{202e}bcd").unwrap_err()[0].code,
        "text.invisible_characters"
    );
    let blank = SignatureDraft::Image(SignatureImageDraft {
        png_base64: BASE64.encode(samples::grey_png(400, 120, |_, _| 255)),
    });
    assert_eq!(blank.validate("s").unwrap_err()[0].code, "image.blank");
    assert!(PngImage::decode(samples::signature_png(), &SIGNATURE_IMAGE, "s").is_ok());
}

#[test]
fn the_application_carries_its_checked_biometrics() {
    let rules = ApplicationRules::new(today());
    let adult = draft("passport", 40);
    let app = adult
        .validate_with_biometrics(Some(demo::PHOTO_PNG), &samples::adult_draft(), &rules)
        .unwrap();
    let b = app.biometrics.as_ref().unwrap();
    assert_eq!(b.fingerprints.as_ref().unwrap().captures.len(), 2);
    // Stored and read back (the journal's payload) unchanged.
    let json = serde_json::to_string(&app).unwrap();
    let back: passport_domain::ValidApplication = serde_json::from_str(&json).unwrap();
    assert_eq!(back, app);

    // Without fingerprints: the error names them, after the data's errors.
    let mut bad = adult.clone();
    bad.applicant.surname = String::new();
    let errors = bad
        .validate_with_biometrics(Some(demo::PHOTO_PNG), &BiometricsDraft::default(), &rules)
        .unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "applicant.surname",
            "biometrics.fingers",
            "biometrics.signature"
        ]
    );

    // A draft whose age cannot be read: only the parts are checked.
    let mut no_age = adult;
    no_age.applicant.birth_date = "jutro".into();
    let mut parts = samples::adult_draft();
    parts.fingers[0].quality = 500;
    let errors = no_age
        .validate_with_biometrics(Some(demo::PHOTO_PNG), &parts, &rules)
        .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.code == "fingerprints.quality_range")
    );
    assert!(!errors.iter().any(|e| e.code == "fingerprints.required"));
}

// --- no input panics ---------------------------------------------------------

fn position() -> impl Strategy<Value = FingerPosition> {
    prop::sample::select(FingerPosition::ALL.to_vec())
}

/// Bytes that are a PNG, a PNG cut or bit-flipped, or anything.
fn png_bytes() -> impl Strategy<Value = Vec<u8>> {
    let good = (0u32..10).prop_map(samples::finger_png);
    prop_oneof![
        good.clone(),
        (good.clone(), any::<prop::sample::Index>())
            .prop_map(|(b, i)| b[..i.index(b.len())].to_vec()),
        (good, any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut b, i, x)| {
            let k = i.index(b.len());
            b[k] ^= x | 1;
            b
        }),
        (1u32..3000, 1u32..3000, any::<u8>()).prop_map(|(w, h, ty)| {
            let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
            v.extend_from_slice(&w.to_be_bytes());
            v.extend_from_slice(&h.to_be_bytes());
            v.extend_from_slice(&[8, ty % 7, 0, 0, 0]);
            v
        }),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

fn points() -> impl Strategy<Value = Vec<Vec<StrokePoint>>> {
    prop::collection::vec(
        prop::collection::vec(
            (any::<u16>(), any::<u16>(), any::<u32>()).prop_map(|(x, y, t_ms)| StrokePoint {
                x,
                y,
                t_ms,
            }),
            0..20,
        ),
        0..10,
    )
}

fn draft_biometrics() -> impl Strategy<Value = BiometricsDraft> {
    let capture = (position(), 0u32..200, png_bytes()).prop_map(|(position, quality, b)| {
        FingerCaptureDraft {
            position,
            quality,
            png_base64: BASE64.encode(b),
        }
    });
    let confirmation = proptest::option::of((".{0,40}", ".{0,20}", ".{0,80}").prop_map(
        |(confirmed_at, pesel, seal)| SupervisorConfirmation {
            confirmed_at,
            pesel,
            seal,
        },
    ));
    let exception = (
        position(),
        any::<bool>(),
        proptest::option::of(".{0,70}"),
        confirmation,
    )
        .prop_map(
            |(position, temporary, supervisor, confirmation)| FingerExceptionDraft {
                position,
                reason: if temporary {
                    FingerExceptionKind::TemporarilyImpossible
                } else {
                    FingerExceptionKind::Missing
                },
                supervisor,
                confirmation,
            },
        );
    let signature = prop_oneof![
        Just(None),
        ".{0,300}".prop_map(|reason| Some(SignatureDraft::CannotSign(CannotSignDraft { reason }))),
        (any::<u16>(), any::<u16>(), points(), png_bytes()).prop_map(
            |(width, height, strokes, b)| {
                Some(SignatureDraft::Signed(SignedDraft {
                    width,
                    height,
                    strokes,
                    png_base64: BASE64.encode(b),
                }))
            }
        ),
        any::<String>()
            .prop_map(|png_base64| Some(SignatureDraft::Image(SignatureImageDraft { png_base64 }))),
    ];
    (
        prop::collection::vec(capture, 0..12),
        prop::collection::vec(exception, 0..12),
        signature,
    )
        .prop_map(|(fingers, finger_exceptions, signature)| BiometricsDraft {
            fingers,
            finger_exceptions,
            signature,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn png_decoding_never_panics(bytes in png_bytes()) {
        let _ = PngImage::decode(bytes.clone(), &FINGER_IMAGE, "f");
        let _ = PngImage::decode(bytes, &SIGNATURE_IMAGE, "s");
    }

    #[test]
    fn base64_and_stored_images_never_panic(text in ".{0,400}") {
        let _ = PngImage::from_base64(&text, &FINGER_IMAGE, "f");
        let _ = serde_json::from_str::<PngImage>(&serde_json::to_string(&text).unwrap());
    }

    #[test]
    fn stroke_checks_never_panic(w in any::<u16>(), h in any::<u16>(), strokes in points()) {
        if let Ok(s) = SignatureStrokes::check(w, h, &strokes, "s") {
            prop_assert!(s.strokes.iter().flatten().all(|p| p.x < w && p.y < h));
        }
    }

    #[test]
    fn the_rule_never_panics_and_a_result_keeps_it(
        d in draft_biometrics(),
        fingerprints in any::<bool>(),
        signature in any::<bool>(),
    ) {
        let req = BiometricsRequirement { fingerprints, signature };
        match d.validate(req, "biometrics") {
            Ok(b) => {
                prop_assert_eq!(b.fingerprints.is_some(), fingerprints);
                prop_assert_eq!(b.signature.is_some(), signature);
                if let Some(set) = b.fingerprints {
                    // Two fingers or exceptions standing in for them.
                    prop_assert!(set.captures.len() <= 2);
                    prop_assert!(set.captures.len() + set.exceptions.len() >= 2);
                }
            }
            Err(es) => {
                prop_assert!(!es.is_empty());
                for e in es {
                    prop_assert!(e.path.starts_with("biometrics."));
                    prop_assert!(!e.message.pl.is_empty() && !e.message.en.is_empty());
                }
            }
        }
        let _ = d.check_parts("biometrics");
    }
}
