//! The applicant's photo: format and size checks on the file's bytes.
//!
//! Reading the file is the caller's job; this module only looks at the bytes
//! (JPEG or PNG header) so the UI and `counterctl` refuse the same photos.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoFormat {
    Jpeg,
    Png,
}

impl PhotoFormat {
    pub fn mime(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "image/jpeg",
            PhotoFormat::Png => "image/png",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoInfo {
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
}

/// Limits on the photo. The defaults follow the 35×45 mm passport photo at
/// the resolution gov.pl asks for in e-applications (at least 492×633 px).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PhotoRules {
    pub min_width: u32,
    pub min_height: u32,
    /// Width / height, 35/45 for a passport photo.
    pub aspect: f64,
    /// How far the aspect may stray, as a fraction of it.
    pub aspect_tolerance: f64,
    pub max_bytes: usize,
}

impl Default for PhotoRules {
    fn default() -> Self {
        Self {
            min_width: 492,
            min_height: 633,
            aspect: 35.0 / 45.0,
            aspect_tolerance: 0.03,
            max_bytes: 5 * 1024 * 1024,
        }
    }
}

/// Reads the format and the pixel size from a JPEG or PNG header.
pub fn inspect(bytes: &[u8]) -> Option<PhotoInfo> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let be =
            |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        return Some(PhotoInfo {
            format: PhotoFormat::Png,
            width: be(16),
            height: be(20),
        });
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return jpeg_size(bytes).map(|(width, height)| PhotoInfo {
            format: PhotoFormat::Jpeg,
            width,
            height,
        });
    }
    None
}

fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_sof {
            if i + 9 > b.len() {
                return None;
            }
            let h = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let w = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

/// Checks a photo's bytes against `rules`; every problem is reported at `path`.
pub fn validate(
    bytes: &[u8],
    rules: &PhotoRules,
    path: &str,
) -> Result<PhotoInfo, Vec<FieldError>> {
    let Some(info) = inspect(bytes) else {
        return Err(vec![FieldError::new(
            path,
            "photo.format",
            "Zdjęcie musi być plikiem JPEG lub PNG.",
            "The photo must be a JPEG or PNG file.",
        )]);
    };
    let mut errors = Vec::new();
    if bytes.len() > rules.max_bytes {
        errors.push(FieldError::new(
            path,
            "photo.too_large",
            format!(
                "Plik zdjęcia jest za duży (najwyżej {} KB).",
                rules.max_bytes / 1024
            ),
            format!(
                "The photo file is too large (at most {} KB).",
                rules.max_bytes / 1024
            ),
        ));
    }
    if info.width < rules.min_width || info.height < rules.min_height {
        errors.push(FieldError::new(
            path,
            "photo.resolution",
            format!(
                "Zdjęcie ma {}×{} pikseli; wymagane co najmniej {}×{}.",
                info.width, info.height, rules.min_width, rules.min_height
            ),
            format!(
                "The photo is {}×{} pixels; at least {}×{} is required.",
                info.width, info.height, rules.min_width, rules.min_height
            ),
        ));
    }
    let aspect = f64::from(info.width) / f64::from(info.height.max(1));
    if (aspect - rules.aspect).abs() > rules.aspect * rules.aspect_tolerance {
        errors.push(FieldError::new(
            path,
            "photo.aspect",
            "Zdjęcie musi mieć proporcje 35×45 mm (pionowe).",
            "The photo must have the 35×45 mm (portrait) proportions.",
        ));
    }
    if errors.is_empty() {
        Ok(info)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG header of the given size: enough for `inspect`.
    pub(crate) fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 2, 0, 0, 0]);
        v
    }

    fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46];
        v.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[0; 12]);
        v
    }

    #[test]
    fn reads_sizes() {
        assert_eq!(inspect(&png_header(700, 900)).unwrap().width, 700);
        let j = inspect(&jpeg_header(492, 633)).unwrap();
        assert_eq!((j.format, j.width, j.height), (PhotoFormat::Jpeg, 492, 633));
        assert_eq!(inspect(b"GIF89a"), None);
    }

    #[test]
    fn checks_resolution_and_aspect() {
        let r = PhotoRules::default();
        assert!(validate(&png_header(700, 900), &r, "photo").is_ok());
        let codes = |b: &[u8]| -> Vec<String> {
            validate(b, &r, "photo")
                .unwrap_err()
                .into_iter()
                .map(|e| e.code)
                .collect()
        };
        assert_eq!(codes(&png_header(350, 450)), ["photo.resolution"]);
        assert_eq!(codes(&png_header(900, 900)), ["photo.aspect"]);
        assert_eq!(codes(b"not an image"), ["photo.format"]);
    }
}
