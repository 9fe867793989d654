//! `counterctl application submit`'s biometrics: fingerprint images with
//! their finger and quality, finger exceptions, and the signature image or
//! why the applicant cannot sign, all by file path, for scripted intake.
//!
//! The flags are parsed here into the domain's [`BiometricsDraft`], the
//! same value the window sends, so the domain's rules by kind and age
//! decide exactly as they do in the app. A file that cannot be read is an
//! error at its field (`biometrics.fingers[0].png_base64`), listed with
//! every other field error.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use clap::Args;
use passport_counter_core::files;
use passport_domain::biometrics::{
    BiometricsDraft, CannotSignDraft, FINGER_IMAGE, FingerCaptureDraft, FingerExceptionDraft,
    FingerExceptionKind, FingerPosition, SIGNATURE_IMAGE, SignatureDraft, SignatureImageDraft,
};
use passport_domain::{FieldError, ValidationErrors};
use std::path::PathBuf;

/// The biometrics flags of `application submit`.
#[derive(Debug, Clone, Args)]
pub struct BiometricsArgs {
    /// A finger taken: "FINGER=FILE.png:QUALITY", FINGER by MOSIP's name ("Left IndexFinger",
    /// "Right MiddleFinger", "Left Thumb", …), QUALITY 0–100 (repeatable; one finger a hand:
    /// the index finger, else middle, ring, thumb)
    #[arg(long = "finger", value_name = "FINGER=FILE:QUALITY", value_parser = parse_finger)]
    pub fingers: Vec<FingerArg>,
    /// A finger not taken: "FINGER=missing" (missing or amputated), or
    /// "FINGER=temporarily_impossible:SUPERVISOR" (injured, bandaged; SUPERVISOR is the id of
    /// the supervisor who confirms it now: their password on standard input, one line)
    /// (repeatable)
    #[arg(long = "finger-exception", value_name = "FINGER=REASON", value_parser = parse_exception)]
    pub exceptions: Vec<ExceptionArg>,
    /// The applicant's signature, a PNG file (the applicant signs from the age the office's
    /// settings name, 13 by default)
    #[arg(long, value_name = "FILE.png", conflicts_with = "cannot_sign")]
    pub signature: Option<PathBuf>,
    /// The applicant cannot sign: why (3–200 characters)
    #[arg(long, value_name = "REASON")]
    pub cannot_sign: Option<String>,
}

/// `--finger "Left IndexFinger=left.png:87"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerArg {
    pub position: FingerPosition,
    pub file: PathBuf,
    pub quality: u32,
}

/// `--finger-exception "Right IndexFinger=missing"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionArg {
    pub position: FingerPosition,
    pub reason: FingerExceptionKind,
    pub supervisor: Option<String>,
}

fn position(name: &str) -> Result<FingerPosition, String> {
    FingerPosition::from_mosip_name(name.trim()).ok_or_else(|| {
        let names: Vec<&str> = FingerPosition::ALL.iter().map(|p| p.mosip_name()).collect();
        format!(
            "unknown finger {:?}; one of: {}",
            name.trim(),
            names.join(", ")
        )
    })
}

fn parse_finger(s: &str) -> Result<FingerArg, String> {
    let (finger, rest) = s
        .split_once('=')
        .ok_or("expected FINGER=FILE:QUALITY, e.g. \"Left IndexFinger=left.png:87\"")?;
    // The quality after the last colon: a path may hold colons itself.
    let (file, quality) = rest.rsplit_once(':').ok_or(
        "the quality is missing: FINGER=FILE:QUALITY, e.g. \"Left IndexFinger=left.png:87\"",
    )?;
    let quality = quality
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("quality {quality:?} is not a number from 0 to 100"))?;
    if file.is_empty() {
        return Err("the file is missing: FINGER=FILE:QUALITY".into());
    }
    Ok(FingerArg {
        position: position(finger)?,
        file: PathBuf::from(file),
        // Range-checked by the domain (0–100), as for the window.
        quality,
    })
}

fn parse_exception(s: &str) -> Result<ExceptionArg, String> {
    let (finger, reason) = s
        .split_once('=')
        .ok_or("expected FINGER=missing or FINGER=temporarily_impossible:SUPERVISOR")?;
    let (reason, supervisor) = match reason.split_once(':') {
        Some((r, sup)) => (r, Some(sup.trim().to_owned())),
        None => (reason, None),
    };
    let reason = FingerExceptionKind::from_code(reason.trim()).ok_or_else(|| {
        format!("unknown reason {reason:?}: missing, or temporarily_impossible:SUPERVISOR")
    })?;
    Ok(ExceptionArg {
        position: position(finger)?,
        reason,
        supervisor,
    })
}

/// A file that could not be read, at the field its bytes would have filled.
struct Unread {
    path: String,
    error: FieldError,
}

/// The draft the flags describe, with the files read (bounded: a file over
/// the image limit is not read), and the files that could not be.
pub struct Read {
    pub draft: BiometricsDraft,
    unread: Vec<Unread>,
}

impl Read {
    /// `errors` with each error at a file's field replaced by why the file
    /// could not be read: an empty image there says nothing about the file.
    pub fn explain(&self, errors: &mut ValidationErrors) {
        for u in &self.unread {
            errors.0.retain(|e| e.path != u.path);
            errors.0.push(u.error.clone());
        }
    }
}

fn read_image(
    file: &std::path::Path,
    max: usize,
    path: String,
    unread: &mut Vec<Unread>,
) -> String {
    let max = u64::try_from(max).unwrap_or(u64::MAX);
    match files::read_regular_file(file, max) {
        Ok(bytes) => BASE64.encode(bytes),
        Err(e) => {
            let m = e.message();
            unread.push(Unread {
                error: FieldError::new(&path, "image.unreadable", m.pl, m.en),
                path,
            });
            String::new()
        }
    }
}

/// Reads the files the flags name into a draft.
pub fn read(args: &BiometricsArgs) -> Read {
    let mut unread = Vec::new();
    let fingers = args
        .fingers
        .iter()
        .enumerate()
        .map(|(i, f)| FingerCaptureDraft {
            position: f.position,
            quality: f.quality,
            png_base64: read_image(
                &f.file,
                FINGER_IMAGE.max_bytes,
                format!("biometrics.fingers[{i}].png_base64"),
                &mut unread,
            ),
        })
        .collect();
    let finger_exceptions = args
        .exceptions
        .iter()
        .map(|x| FingerExceptionDraft {
            position: x.position,
            reason: x.reason,
            supervisor: x.supervisor.clone(),
            // Given by the supervisor's password before the draft is
            // checked (`supervisor::confirm_finger_exceptions`).
            confirmation: None,
        })
        .collect();
    let signature = match (&args.signature, &args.cannot_sign) {
        (Some(file), _) => Some(SignatureDraft::Image(SignatureImageDraft {
            png_base64: read_image(
                file,
                SIGNATURE_IMAGE.max_bytes,
                "biometrics.signature.png_base64".into(),
                &mut unread,
            ),
        })),
        (None, Some(reason)) => Some(SignatureDraft::CannotSign(CannotSignDraft {
            reason: reason.clone(),
        })),
        (None, None) => None,
    };
    Read {
        draft: BiometricsDraft {
            fingers,
            finger_exceptions,
            signature,
        },
        unread,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code
    use super::*;

    #[test]
    fn finger_flags() {
        let f = parse_finger("Left IndexFinger=/tmp/a:b/left.png:87").unwrap();
        assert_eq!(f.position, FingerPosition::LeftIndex);
        assert_eq!(f.file, PathBuf::from("/tmp/a:b/left.png"));
        assert_eq!(f.quality, 87);
        assert!(
            parse_finger("Left Index=left.png:87")
                .unwrap_err()
                .contains("Left IndexFinger")
        );
        assert!(parse_finger("Left IndexFinger=left.png").is_err());
        assert!(parse_finger("Left IndexFinger=left.png:high").is_err());
        // Out of range is the domain's field error, as from the window.
        assert_eq!(parse_finger("Right Thumb=t.png:250").unwrap().quality, 250);
    }

    #[test]
    fn exception_flags() {
        let x = parse_exception("Right IndexFinger=missing").unwrap();
        assert_eq!(
            (x.position, x.reason, x.supervisor),
            (
                FingerPosition::RightIndex,
                FingerExceptionKind::Missing,
                None
            )
        );
        let x = parse_exception("Left IndexFinger=temporarily_impossible:kierownik1").unwrap();
        assert_eq!(x.reason, FingerExceptionKind::TemporarilyImpossible);
        assert_eq!(x.supervisor.as_deref(), Some("kierownik1"));
        assert!(parse_exception("Left IndexFinger=lost").is_err());
        assert!(parse_exception("missing").is_err());
    }
}
