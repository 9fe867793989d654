//! The captures' own checks at intake (`captures_acceptable`, the one door
//! for the app and `counterctl`): below the office's quality threshold, one
//! image for two fingers, the face photo as a finger: each refused at the
//! finger's field, naming the finger (and the threshold) in both languages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_counter_core::captures_acceptable;
use passport_counter_core::error::CoreError;
use passport_domain::biometrics::{BiometricsDraft, FingerCaptureDraft, FingerPosition, samples};

fn finger(position: FingerPosition, quality: u32, png: &[u8]) -> FingerCaptureDraft {
    FingerCaptureDraft {
        position,
        quality,
        png_base64: BASE64.encode(png),
    }
}

fn draft(fingers: Vec<FingerCaptureDraft>) -> BiometricsDraft {
    BiometricsDraft {
        fingers,
        finger_exceptions: Vec::new(),
        signature: None,
    }
}

fn refused(r: Result<(), CoreError>) -> Vec<(String, String, String, String)> {
    match r {
        Err(CoreError::Invalid(e)) => {
            e.0.into_iter()
                .map(|f| {
                    let (pl, en) = (
                        f.message.get(passport_domain::Lang::Pl).to_owned(),
                        f.message.get(passport_domain::Lang::En).to_owned(),
                    );
                    (f.path, f.code, pl, en)
                })
                .collect()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn good_captures_pass() {
    let (a, b) = (samples::finger_png(1), samples::finger_png(2));
    let d = draft(vec![
        finger(FingerPosition::LeftIndex, 40, &a),
        finger(FingerPosition::RightIndex, 90, &b),
    ]);
    captures_acceptable(&d, Some(&samples::finger_png(3)), 40).unwrap();
}

#[test]
fn below_the_threshold_is_refused_naming_finger_and_threshold() {
    let (a, b) = (samples::finger_png(1), samples::finger_png(2));
    let d = draft(vec![
        finger(FingerPosition::LeftIndex, 39, &a),
        finger(FingerPosition::RightIndex, 90, &b),
    ]);
    let e = refused(captures_acceptable(&d, None, 40));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, "biometrics.fingers[0].quality");
    assert_eq!(e[0].1, "fingerprints.quality_below_threshold");
    assert!(e[0].2.contains("lewy palec wskazujący") && e[0].2.contains("progu 40"));
    assert!(e[0].3.contains("left index finger") && e[0].3.contains("threshold of 40"));
}

#[test]
fn one_image_for_two_fingers_and_the_photo_are_refused() {
    let a = samples::finger_png(1);
    let d = draft(vec![
        finger(FingerPosition::LeftIndex, 80, &a),
        finger(FingerPosition::RightIndex, 80, &a),
    ]);
    let e = refused(captures_acceptable(&d, None, 40));
    assert_eq!(
        e.iter()
            .map(|x| (x.0.as_str(), x.1.as_str()))
            .collect::<Vec<_>>(),
        [(
            "biometrics.fingers[1].png_base64",
            "fingerprints.image_repeated"
        )]
    );
    assert!(e[0].2.contains("prawy palec wskazujący") && e[0].2.contains("lewy palec wskazujący"));

    let photo = samples::finger_png(7);
    let d = draft(vec![
        finger(FingerPosition::LeftIndex, 80, &photo),
        finger(FingerPosition::RightIndex, 80, &a),
    ]);
    let e = refused(captures_acceptable(&d, Some(&photo), 40));
    assert_eq!(
        e.iter()
            .map(|x| (x.0.as_str(), x.1.as_str()))
            .collect::<Vec<_>>(),
        [(
            "biometrics.fingers[0].png_base64",
            "fingerprints.image_is_photo"
        )]
    );
}
