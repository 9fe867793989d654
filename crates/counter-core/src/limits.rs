//! How large an argument from the screens may be, checked in Rust before
//! anything else looks at it.
//!
//! The window is outside input like a file or the network: a screen with
//! a bug (or a script injected into it) could send a 100 MB surname, a
//! password of a million characters to argon2, or ten thousand guardians.
//! Every service the app's commands call checks its arguments here first
//! and refuses what is over size with the code `input.too_large`, naming
//! the field; only then does validation (which has its own, tighter,
//! per-field rules and words) run. The photo has its own cap: the
//! domain's [`PHOTO_MAX_BYTES`](passport_domain::photo::PHOTO_MAX_BYTES)
//! in base64 (4/3) and a little slack for padding and line ends.

use crate::CoreError;
use passport_domain::{FieldError, ValidationErrors};
use serde::Serialize;

/// An identifier: a clerk's, an application or document number, a journal
/// entry id, a scanned code, a reader's name, a date.
pub const MAX_ID_BYTES: usize = 256;
/// A password or a PIN.
pub const MAX_SECRET_BYTES: usize = 1024;
/// Any one text of a form or a note (names, addresses, a supervisor's
/// note, a search): far above any rule of the domain.
pub const MAX_TEXT_BYTES: usize = 4096;
/// Items in any one list of a form (guardians, …).
pub const MAX_ITEMS: usize = 64;
/// A photo in base64: the domain's cap × 4/3, and slack.
pub const MAX_PHOTO_BASE64_BYTES: usize =
    passport_domain::photo::PHOTO_MAX_BYTES.div_ceil(3) * 4 + 1024;

/// The code of an argument over size (its words are in `words.json`).
pub const TOO_LARGE: &str = "input.too_large";

fn too_large(field: &str, max: usize) -> CoreError {
    CoreError::Invalid(ValidationErrors(vec![FieldError::new(
        field,
        TOO_LARGE,
        format!("To pole jest za długie: dopuszczalne najwyżej {max} bajtów."),
        format!("This field is too long: at most {max} bytes are allowed."),
    )]))
}

/// An identifier-sized text argument.
pub fn id(field: &str, value: &str) -> Result<(), CoreError> {
    bytes(field, value, MAX_ID_BYTES)
}

/// A password or PIN.
pub fn secret(field: &str, value: &str) -> Result<(), CoreError> {
    bytes(field, value, MAX_SECRET_BYTES)
}

/// A free text (a note, a search).
pub fn text(field: &str, value: &str) -> Result<(), CoreError> {
    bytes(field, value, MAX_TEXT_BYTES)
}

/// A list of `n` items where at most `max` belong (the fingers of a
/// hand-in, the strokes of a signature): refused by its length alone.
pub fn items(field: &str, n: usize, max: usize) -> Result<(), CoreError> {
    if n > max {
        Err(CoreError::Invalid(ValidationErrors(vec![FieldError::new(
            field,
            TOO_LARGE,
            format!("Za dużo pozycji: dopuszczalne najwyżej {max}."),
            format!("Too many items: at most {max} are allowed."),
        )])))
    } else {
        Ok(())
    }
}

/// An image of at most `max_bytes` in base64 (4/3, with a little slack).
pub fn image_base64(field: &str, value: &str, max_bytes: usize) -> Result<(), CoreError> {
    bytes(field, value, max_bytes.div_ceil(3) * 4 + 16)
}

/// A photo in base64, when there is one.
pub fn photo_base64(field: &str, value: Option<&str>) -> Result<(), CoreError> {
    value.map_or(Ok(()), |v| bytes(field, v, MAX_PHOTO_BASE64_BYTES))
}

fn bytes(field: &str, value: &str, max: usize) -> Result<(), CoreError> {
    if value.len() > max {
        Err(too_large(field, max))
    } else {
        Ok(())
    }
}

/// Every text in a structured argument (a form, a hand-over, a decision)
/// at most [`MAX_TEXT_BYTES`] and every list at most [`MAX_ITEMS`] long;
/// `photos` names the fields (by the end of their path) that hold a photo in base64 and
/// have [`MAX_PHOTO_BASE64_BYTES`] instead. The first one over size is
/// named by its path (`applicant.surname`, `guardians[3].given_names`).
pub fn form<T: Serialize>(root: &str, value: &T, photos: &[&str]) -> Result<(), CoreError> {
    let v = serde_json::to_value(value).map_err(|e| CoreError::Internal(e.to_string()))?;
    walk(&v, root, photos)
}

fn walk(v: &serde_json::Value, path: &str, photos: &[&str]) -> Result<(), CoreError> {
    use serde_json::Value as V;
    match v {
        V::String(s) => {
            let max = if photos.iter().any(|p| path.ends_with(p)) {
                MAX_PHOTO_BASE64_BYTES
            } else {
                MAX_TEXT_BYTES
            };
            bytes(path, s, max)
        }
        V::Array(items) => {
            if items.len() > MAX_ITEMS {
                return Err(too_large(path, MAX_ITEMS));
            }
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), photos)?;
            }
            Ok(())
        }
        V::Object(fields) => {
            for (k, item) in fields {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, &p, photos)?;
            }
            Ok(())
        }
        V::Null | V::Bool(_) | V::Number(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use super::*;

    fn field_code(e: CoreError) -> (String, String) {
        match e {
            CoreError::Invalid(v) => (v.0[0].path.clone(), v.0[0].code.clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn over_size_is_refused_by_field_and_at_size_is_not() {
        assert!(id("clerk_id", &"a".repeat(MAX_ID_BYTES)).is_ok());
        assert_eq!(
            field_code(id("clerk_id", &"a".repeat(MAX_ID_BYTES + 1)).unwrap_err()),
            ("clerk_id".into(), TOO_LARGE.into())
        );
        // Bytes, not characters: 2 bytes each.
        assert!(secret("password", &"ą".repeat(MAX_SECRET_BYTES / 2 + 1)).is_err());
        assert!(text("note", &"x".repeat(MAX_TEXT_BYTES + 1)).is_err());
        let photo = "A".repeat(MAX_PHOTO_BASE64_BYTES);
        assert!(photo_base64("photo", Some(&photo)).is_ok());
        assert!(photo_base64("photo", None).is_ok());
        let over = "A".repeat(MAX_PHOTO_BASE64_BYTES + 1);
        assert!(photo_base64("photo", Some(&over)).is_err());
    }

    /// The largest photo the domain accepts fits in base64, with room.
    #[test]
    fn the_largest_photo_fits_its_base64_cap() {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD
            .encode(vec![0u8; passport_domain::photo::PHOTO_MAX_BYTES]);
        assert!(photo_base64("photo", Some(&b64)).is_ok());
        assert!(b64.len() + 1000 <= MAX_PHOTO_BASE64_BYTES);
    }

    #[test]
    fn a_form_names_the_field_over_size() {
        let mut d = passport_domain::demo::adult_draft(
            1,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        );
        assert!(form("", &d, &[]).is_ok());
        d.applicant.surname = "x".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(
            field_code(form("", &d, &[]).unwrap_err()),
            ("applicant.surname".into(), TOO_LARGE.into())
        );
        d.applicant.surname = "Nowak".into();
        d.guardians = vec![Default::default(); MAX_ITEMS + 1];
        assert_eq!(field_code(form("", &d, &[]).unwrap_err()).0, "guardians");
    }
}
