//! The applicant's biometrics taken at the counter: fingerprints and the
//! signature (the face image is the application's photo, [`crate::photo`]).
//!
//! What the screens, `counterctl` and the device code hand in is a
//! [`BiometricsDraft`]: finger positions by MOSIP's names, quality scores as
//! numbers, images as base64 PNG, pen strokes as points. [`BiometricsDraft::validate`]
//! decodes and checks every part (bounded before it is read: base64 length,
//! PNG dimensions, stroke and point counts) and applies the rules of
//! [`BiometricsRequirement`] — fingerprints from the age of 12 and never for
//! a temporary passport, the signature from the age the office's settings
//! name — and returns a [`Biometrics`] with strong types, or every field
//! error at once.
//!
//! Images are PNG, not ISO/IEC 19794-4 records: a 19794-4 record is a
//! header (finger position, quality, resolution) around an image compressed
//! with WSQ or JPEG 2000, for which there is no safe, maintained decoder in
//! Rust; this crate already decodes PNG (the photo), and position and
//! quality travel as typed fields beside the image instead of inside a
//! binary header. A real device's 19794-4/JPEG 2000 answer is converted to
//! PNG at the device edge (`crates/biometrics`), so everything behind it
//! checks one format.

use crate::error::FieldError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------------------
// Finger positions
// ---------------------------------------------------------------------------

/// A finger, named as MOSIP's biometric device specification names it in
/// `bioSubType` ("Left IndexFinger", "Right Thumb", …). The serde form is
/// that name; [`FingerPosition::mosip_name`] and
/// [`FingerPosition::from_mosip_name`] are the one conversion, and a test
/// checks serde agrees with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FingerPosition {
    #[serde(rename = "Left Thumb")]
    LeftThumb,
    #[serde(rename = "Left IndexFinger")]
    LeftIndex,
    #[serde(rename = "Left MiddleFinger")]
    LeftMiddle,
    #[serde(rename = "Left RingFinger")]
    LeftRing,
    #[serde(rename = "Left LittleFinger")]
    LeftLittle,
    #[serde(rename = "Right Thumb")]
    RightThumb,
    #[serde(rename = "Right IndexFinger")]
    RightIndex,
    #[serde(rename = "Right MiddleFinger")]
    RightMiddle,
    #[serde(rename = "Right RingFinger")]
    RightRing,
    #[serde(rename = "Right LittleFinger")]
    RightLittle,
}

/// A hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Hand {
    Left,
    Right,
}

/// A finger regardless of hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Digit {
    Thumb,
    Index,
    Middle,
    Ring,
    Little,
}

/// The order in which fingers are taken on each hand: the index finger;
/// when it cannot be taken, the middle finger, then the ring finger, then
/// the thumb. The little finger is never used. (Commission Decision
/// C(2006) 2909 under Regulation (EC) No 2252/2004: "flat fingerprints of
/// the left and right index finger; if an index finger is of insufficient
/// quality or missing, the middle finger, the ring finger or the thumb".)
pub const FALLBACK_ORDER: [Digit; 4] = [Digit::Index, Digit::Middle, Digit::Ring, Digit::Thumb];

impl FingerPosition {
    pub const ALL: [FingerPosition; 10] = [
        FingerPosition::LeftThumb,
        FingerPosition::LeftIndex,
        FingerPosition::LeftMiddle,
        FingerPosition::LeftRing,
        FingerPosition::LeftLittle,
        FingerPosition::RightThumb,
        FingerPosition::RightIndex,
        FingerPosition::RightMiddle,
        FingerPosition::RightRing,
        FingerPosition::RightLittle,
    ];

    /// MOSIP's `bioSubType` name.
    pub fn mosip_name(self) -> &'static str {
        match self {
            FingerPosition::LeftThumb => "Left Thumb",
            FingerPosition::LeftIndex => "Left IndexFinger",
            FingerPosition::LeftMiddle => "Left MiddleFinger",
            FingerPosition::LeftRing => "Left RingFinger",
            FingerPosition::LeftLittle => "Left LittleFinger",
            FingerPosition::RightThumb => "Right Thumb",
            FingerPosition::RightIndex => "Right IndexFinger",
            FingerPosition::RightMiddle => "Right MiddleFinger",
            FingerPosition::RightRing => "Right RingFinger",
            FingerPosition::RightLittle => "Right LittleFinger",
        }
    }

    /// The finger MOSIP's `bioSubType` names, exactly (case and the one
    /// space included), or `None`.
    pub fn from_mosip_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.mosip_name() == name)
    }

    pub fn new(hand: Hand, digit: Digit) -> Self {
        use Digit as D;
        use FingerPosition as F;
        match (hand, digit) {
            (Hand::Left, D::Thumb) => F::LeftThumb,
            (Hand::Left, D::Index) => F::LeftIndex,
            (Hand::Left, D::Middle) => F::LeftMiddle,
            (Hand::Left, D::Ring) => F::LeftRing,
            (Hand::Left, D::Little) => F::LeftLittle,
            (Hand::Right, D::Thumb) => F::RightThumb,
            (Hand::Right, D::Index) => F::RightIndex,
            (Hand::Right, D::Middle) => F::RightMiddle,
            (Hand::Right, D::Ring) => F::RightRing,
            (Hand::Right, D::Little) => F::RightLittle,
        }
    }

    pub fn hand(self) -> Hand {
        use FingerPosition as F;
        match self {
            F::LeftThumb | F::LeftIndex | F::LeftMiddle | F::LeftRing | F::LeftLittle => Hand::Left,
            _ => Hand::Right,
        }
    }

    pub fn digit(self) -> Digit {
        use FingerPosition as F;
        match self {
            F::LeftThumb | F::RightThumb => Digit::Thumb,
            F::LeftIndex | F::RightIndex => Digit::Index,
            F::LeftMiddle | F::RightMiddle => Digit::Middle,
            F::LeftRing | F::RightRing => Digit::Ring,
            F::LeftLittle | F::RightLittle => Digit::Little,
        }
    }

    /// The finger's name in Polish and English, nominative, lower case
    /// ("lewy palec wskazujący", "left index finger").
    pub fn words(self) -> (&'static str, &'static str) {
        use FingerPosition as F;
        match self {
            F::LeftThumb => ("lewy kciuk", "left thumb"),
            F::LeftIndex => ("lewy palec wskazujący", "left index finger"),
            F::LeftMiddle => ("lewy palec środkowy", "left middle finger"),
            F::LeftRing => ("lewy palec serdeczny", "left ring finger"),
            F::LeftLittle => ("lewy mały palec", "left little finger"),
            F::RightThumb => ("prawy kciuk", "right thumb"),
            F::RightIndex => ("prawy palec wskazujący", "right index finger"),
            F::RightMiddle => ("prawy palec środkowy", "right middle finger"),
            F::RightRing => ("prawy palec serdeczny", "right ring finger"),
            F::RightLittle => ("prawy mały palec", "right little finger"),
        }
    }
}

impl fmt::Display for FingerPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mosip_name())
    }
}

impl std::str::FromStr for FingerPosition {
    type Err = UnknownFinger;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_mosip_name(s).ok_or(UnknownFinger)
    }
}

/// A text that is not one of MOSIP's finger names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a finger name: expected one of MOSIP's bioSubType names such as \"Left IndexFinger\"")]
pub struct UnknownFinger;

// ---------------------------------------------------------------------------
// Quality
// ---------------------------------------------------------------------------

/// A capture's quality score, 0–100 (MOSIP's `qualityScore`, NFIQ-style).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Quality(u8);

impl Quality {
    pub const MAX: u32 = 100;

    pub fn new(score: u32) -> Option<Self> {
        u8::try_from(score)
            .ok()
            .filter(|s| u32::from(*s) <= Self::MAX)
            .map(Self)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u32> for Quality {
    type Error = String;
    fn try_from(v: u32) -> Result<Self, Self::Error> {
        Self::new(v).ok_or_else(|| format!("quality {v} is not within 0–100"))
    }
}

impl From<Quality> for u32 {
    fn from(q: Quality) -> Self {
        u32::from(q.0)
    }
}

// ---------------------------------------------------------------------------
// PNG images
// ---------------------------------------------------------------------------

/// Bounds on an image: checked on the header before a pixel is decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageBounds {
    pub max_bytes: usize,
    pub min_width: u32,
    pub min_height: u32,
    pub max_width: u32,
    pub max_height: u32,
    /// Below this standard deviation of luminance (0–255) the image is
    /// blank: a finger never placed, an empty signature pad.
    pub min_luma_stddev: f64,
}

/// A flat finger: at 500 ppi a fingertip is about 300×400 px; a sensor
/// window may be 1000 ppi. Far below and far above are not fingerprints.
pub const FINGER_IMAGE: ImageBounds = ImageBounds {
    max_bytes: 1024 * 1024,
    min_width: 150,
    min_height: 150,
    max_width: 2000,
    max_height: 2000,
    min_luma_stddev: 4.0,
};

/// A signature rendered from its strokes, at the pad's resolution.
pub const SIGNATURE_IMAGE: ImageBounds = ImageBounds {
    max_bytes: 512 * 1024,
    min_width: 100,
    min_height: 30,
    max_width: 4000,
    max_height: 2000,
    min_luma_stddev: 2.0,
};

/// The base64 length of an image of `max_bytes`, with slack for padding
/// and line ends: what a caller may refuse before decoding.
pub const fn max_base64_len(max_bytes: usize) -> usize {
    max_bytes.div_ceil(3) * 4 + 16
}

/// A PNG image whose whole content was decoded and checked, with its size.
/// Stored (journal, register) as base64 of the file; reading it back checks
/// the PNG header and its declared size, not every pixel again.
#[derive(Clone, PartialEq, Eq)]
pub struct PngImage {
    bytes: Vec<u8>,
    width: u32,
    height: u32,
}

impl PngImage {
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.bytes)
    }

    /// Decodes `bytes` and checks them against `bounds`; errors at `path`.
    pub fn decode(bytes: Vec<u8>, bounds: &ImageBounds, path: &str) -> Result<Self, FieldError> {
        decode_png(bytes, bounds, path)
    }

    /// From base64 (the drafts' and the wire's form): the length is checked
    /// before decoding.
    pub fn from_base64(b64: &str, bounds: &ImageBounds, path: &str) -> Result<Self, FieldError> {
        let b64 = b64.trim();
        if b64.len() > max_base64_len(bounds.max_bytes) {
            return Err(too_large(path, bounds));
        }
        let bytes = BASE64.decode(b64).map_err(|_| {
            FieldError::new(
                path,
                "image.unreadable",
                "Obrazu nie można odczytać (niepoprawne base64).",
                "The image cannot be read (invalid base64).",
            )
        })?;
        decode_png(bytes, bounds, path)
    }

    /// From storage: base64, a PNG signature and a sane declared size. The
    /// image was decoded in full when it was taken.
    fn from_stored(b64: &str) -> Result<Self, String> {
        if b64.len() > max_base64_len(STORED_MAX_BYTES) {
            return Err("stored image over size".into());
        }
        let bytes = BASE64
            .decode(b64)
            .map_err(|e| format!("stored image: {e}"))?;
        let (width, height) =
            png_size(&bytes).ok_or_else(|| "stored image is not a PNG".to_string())?;
        if width == 0 || height == 0 || width > STORED_MAX_SIDE || height > STORED_MAX_SIDE {
            return Err(format!(
                "stored image has an implausible size {width}×{height}"
            ));
        }
        Ok(Self {
            bytes,
            width,
            height,
        })
    }
}

/// The largest image read back from storage (the largest bound above).
const STORED_MAX_BYTES: usize = 1024 * 1024;
const STORED_MAX_SIDE: u32 = 4000;

impl fmt::Debug for PngImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Biometric data never goes to a log.
        write!(
            f,
            "PngImage({}×{}, {} bytes)",
            self.width,
            self.height,
            self.bytes.len()
        )
    }
}

impl Serialize for PngImage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for PngImage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_stored(&s).map_err(serde::de::Error::custom)
    }
}

fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.len() < 24 || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((be(16), be(20)))
}

fn too_large(path: &str, bounds: &ImageBounds) -> FieldError {
    FieldError::new(
        path,
        "image.too_large",
        format!(
            "Plik obrazu jest za duży (najwyżej {} KB).",
            bounds.max_bytes / 1024
        ),
        format!(
            "The image file is too large (at most {} KB).",
            bounds.max_bytes / 1024
        ),
    )
}

fn decode_png(bytes: Vec<u8>, bounds: &ImageBounds, path: &str) -> Result<PngImage, FieldError> {
    use png::{ColorType, Decoder, Limits, Transformations};
    let not_png = || {
        FieldError::new(
            path,
            "image.format",
            "Obraz musi być plikiem PNG.",
            "The image must be a PNG file.",
        )
    };
    let corrupt = || {
        FieldError::new(
            path,
            "image.corrupt",
            "Plik obrazu jest uszkodzony lub niekompletny — pobierz go ponownie.",
            "The image file is damaged or incomplete — take it again.",
        )
    };
    if bytes.len() > bounds.max_bytes {
        return Err(too_large(path, bounds));
    }
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(not_png());
    }
    let (width, height) = png_size(&bytes).ok_or_else(corrupt)?;
    if width > bounds.max_width || height > bounds.max_height {
        return Err(FieldError::new(
            path,
            "image.dimensions_too_large",
            format!(
                "Obraz ma {width}×{height} pikseli; dopuszczalne najwyżej {}×{}.",
                bounds.max_width, bounds.max_height
            ),
            format!(
                "The image is {width}×{height} pixels; at most {}×{} is allowed.",
                bounds.max_width, bounds.max_height
            ),
        ));
    }
    if width < bounds.min_width || height < bounds.min_height {
        return Err(FieldError::new(
            path,
            "image.resolution",
            format!(
                "Obraz ma {width}×{height} pikseli; wymagane co najmniej {}×{}.",
                bounds.min_width, bounds.min_height
            ),
            format!(
                "The image is {width}×{height} pixels; at least {}×{} is required.",
                bounds.min_width, bounds.min_height
            ),
        ));
    }
    let limits = Limits { bytes: 16 << 20 };
    let mut decoder = Decoder::new_with_limits(std::io::Cursor::new(&bytes[..]), limits);
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|_| corrupt())?;
    let channels = match reader.output_color_type().0 {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(corrupt()),
    };
    let (mut n, mut sum, mut sum_sq) = (0u64, 0u64, 0u64);
    while let Some(row) = reader.next_row().map_err(|_| corrupt())? {
        for px in row.data().chunks_exact(channels) {
            let y = match *px {
                [g] => luma(g, g, g, 255),
                [g, a] => luma(g, g, g, a),
                [r, g, b] => luma(r, g, b, 255),
                [r, g, b, a] => luma(r, g, b, a),
                _ => 0,
            };
            let y = u64::from(y);
            n += 1;
            sum += y;
            sum_sq += y * y;
        }
    }
    reader.finish().map_err(|_| corrupt())?;
    if n != u64::from(width) * u64::from(height) {
        return Err(corrupt());
    }
    // u64 → f64: exact enough at these magnitudes (≤ 4000² pixels).
    let (nf, mean) = (n as f64, sum as f64 / n.max(1) as f64);
    let stddev = (sum_sq as f64 / nf.max(1.0) - mean * mean).max(0.0).sqrt();
    if stddev < bounds.min_luma_stddev {
        return Err(FieldError::new(
            path,
            "image.blank",
            "Obraz jest jednolity (pusty) — pobierz go ponownie.",
            "The image is uniform (blank) — take it again.",
        ));
    }
    Ok(PngImage {
        bytes,
        width,
        height,
    })
}

/// Rec. 601 luminance over white by alpha: a transparent image is blank.
fn luma(r: u8, g: u8, b: u8, a: u8) -> u8 {
    let y = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
    let a = u32::from(a);
    u8::try_from((y * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
}

// ---------------------------------------------------------------------------
// Fingerprints
// ---------------------------------------------------------------------------

/// One finger taken: where, how well, and the image.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerCapture {
    pub position: FingerPosition,
    pub quality: Quality,
    pub image: PngImage,
}

/// Why a finger was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FingerExceptionReason {
    /// Missing or amputated: permanent.
    Missing,
    /// Injured, bandaged, or otherwise cannot be taken today: a supervisor
    /// confirms, and answers for it.
    TemporarilyImpossible { supervisor: SupervisorId },
}

impl FingerExceptionReason {
    pub fn code(&self) -> &'static str {
        match self {
            FingerExceptionReason::Missing => "missing",
            FingerExceptionReason::TemporarilyImpossible { .. } => "temporarily_impossible",
        }
    }
}

/// A supervisor's clerk id: 1–64 characters, letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SupervisorId(String);

impl SupervisorId {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let ok = (1..=64).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        ok.then(|| Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SupervisorId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).ok_or_else(|| "not a clerk id".to_string())
    }
}

impl From<SupervisorId> for String {
    fn from(s: SupervisorId) -> Self {
        s.0
    }
}

/// A finger recorded as not taken, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerException {
    pub position: FingerPosition,
    #[serde(flatten)]
    pub reason: FingerExceptionReason,
}

/// The fingerprints of one application, checked against the fallback rule:
/// on each hand, the first finger of [`FALLBACK_ORDER`] without an
/// exception is captured, or every finger of that order has an exception.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintSet {
    /// At most one a hand.
    pub captures: Vec<FingerCapture>,
    pub exceptions: Vec<FingerException>,
}

impl FingerprintSet {
    pub fn capture(&self, position: FingerPosition) -> Option<&FingerCapture> {
        self.captures.iter().find(|c| c.position == position)
    }
    pub fn exception(&self, position: FingerPosition) -> Option<&FingerException> {
        self.exceptions.iter().find(|e| e.position == position)
    }
}

/// Which finger a hand still needs, given the exceptions recorded: the
/// first finger of the fallback order without one, or `None` when all of
/// them have one.
pub fn next_finger(
    hand: Hand,
    has_exception: impl Fn(FingerPosition) -> bool,
) -> Option<FingerPosition> {
    FALLBACK_ORDER
        .into_iter()
        .map(|d| FingerPosition::new(hand, d))
        .find(|p| !has_exception(*p))
}

// ---------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------

/// A point of a pen stroke, in the pad's pixels from its top left, and the
/// milliseconds since the first point of the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StrokePoint {
    pub x: u16,
    pub y: u16,
    pub t_ms: u32,
}

/// The most strokes and points a signature may have: a long signature is
/// a few dozen strokes and a few thousand points at 60 Hz.
pub const MAX_STROKES: usize = 200;
pub const MAX_POINTS: usize = 20_000;
/// The largest pad, in pixels a side.
pub const MAX_PAD_SIDE: u16 = 4000;
/// The longest a signature may take.
pub const MAX_SIGNATURE_MS: u32 = 10 * 60 * 1000;

/// The pen strokes of a signature on a pad of `width`×`height`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureStrokes {
    pub width: u16,
    pub height: u16,
    pub strokes: Vec<Vec<StrokePoint>>,
}

/// A signature taken: the image, and the strokes it was rendered from
/// when it was drawn on the counter's pad (`None` for an image given as a
/// file: `counterctl application submit --signature`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub strokes: Option<SignatureStrokes>,
    pub image: PngImage,
}

/// The signature part of an application where one is required.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignatureRecord {
    Signed(Signature),
    /// The applicant cannot sign (a disability, cannot write): the reason
    /// as the clerk recorded it, 3–200 characters.
    CannotSign {
        reason: String,
    },
}

pub const CANNOT_SIGN_REASON_MAX: usize = 200;

// ---------------------------------------------------------------------------
// The application's biometrics and its rules
// ---------------------------------------------------------------------------

/// What the rules require of one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BiometricsRequirement {
    pub fingerprints: bool,
    pub signature: bool,
}

impl BiometricsRequirement {
    /// Fingerprints from `fingerprint_age`, never for a temporary passport;
    /// the signature from `signature_age` (an office setting).
    pub fn new(temporary: bool, age: u32, fingerprint_age: u32, signature_age: u32) -> Self {
        Self {
            fingerprints: !temporary && age >= fingerprint_age,
            signature: age >= signature_age,
        }
    }
}

/// The biometrics of a valid application. A part is present exactly when
/// the rules require it: nothing is kept that the law does not ask for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Biometrics {
    pub fingerprints: Option<FingerprintSet>,
    pub signature: Option<SignatureRecord>,
}

// ---------------------------------------------------------------------------
// Drafts: what the screens and counterctl send
// ---------------------------------------------------------------------------

/// One finger as captured by a device or given as a file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FingerCaptureDraft {
    pub position: FingerPosition,
    /// 0–100.
    pub quality: u32,
    /// The PNG file in base64.
    pub png_base64: String,
}

/// `missing` or `temporarily_impossible`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FingerExceptionKind {
    Missing,
    TemporarilyImpossible,
}

impl FingerExceptionKind {
    pub fn code(self) -> &'static str {
        match self {
            FingerExceptionKind::Missing => "missing",
            FingerExceptionKind::TemporarilyImpossible => "temporarily_impossible",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Missing, Self::TemporarilyImpossible]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FingerExceptionDraft {
    pub position: FingerPosition,
    pub reason: FingerExceptionKind,
    /// The confirming supervisor's clerk id (temporarily impossible only).
    #[serde(default)]
    pub supervisor: Option<String>,
    /// The supervisor's confirmation, given with their password at the
    /// counter (temporarily impossible only). Sealed by the core; the
    /// domain only asks that it is there. A draft kept before confirmations
    /// existed has none, which is what it was: not confirmed.
    #[serde(default)]
    pub confirmation: Option<SupervisorConfirmation>,
}

/// A supervisor's confirmation as the core gave it: when, and the seal
/// (an HMAC under a key derived from the journal's) over the clerk, the
/// supervisor, the finger, the applicant's PESEL as typed and that moment.
/// Neither the window nor a script can make one; the core checks it again
/// when the application is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisorConfirmation {
    /// RFC 3339, UTC.
    pub confirmed_at: String,
    /// The PESEL it was confirmed for, as typed then (the seal covers it):
    /// the window shows at once that a PESEL changed since needs the
    /// supervisor again.
    pub pesel: String,
    /// 64 hexadecimal digits.
    pub seal: String,
}

/// A signature as drawn on the pad, or why there is none. (Each variant
/// is its own struct so that unknown fields are refused in both.)
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SignatureDraft {
    /// Drawn on the counter's pad.
    Signed(SignedDraft),
    /// An image alone, given as a file (scripted intake).
    Image(SignatureImageDraft),
    CannotSign(CannotSignDraft),
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureImageDraft {
    /// PNG in base64.
    pub png_base64: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedDraft {
    /// The pad's size in pixels; every point lies on it.
    pub width: u16,
    pub height: u16,
    pub strokes: Vec<Vec<StrokePoint>>,
    /// The rendered image, PNG in base64.
    pub png_base64: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CannotSignDraft {
    pub reason: String,
}

/// The biometrics as the screens and `counterctl` send them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BiometricsDraft {
    #[serde(default)]
    pub fingers: Vec<FingerCaptureDraft>,
    #[serde(default)]
    pub finger_exceptions: Vec<FingerExceptionDraft>,
    #[serde(default)]
    pub signature: Option<SignatureDraft>,
}

crate::personal_data_debug!(
    FingerCapture,
    FingerprintSet,
    SignatureStrokes,
    Signature,
    SignatureRecord,
    Biometrics,
    FingerCaptureDraft,
    SignatureDraft,
    SignedDraft,
    SignatureImageDraft,
    CannotSignDraft,
    BiometricsDraft,
);

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/// The most fingers and exceptions a draft may list (ten fingers).
pub const MAX_FINGER_ITEMS: usize = 10;

fn list_of(positions: &[FingerPosition]) -> (String, String) {
    let pl: Vec<&str> = positions.iter().map(|p| p.words().0).collect();
    let en: Vec<&str> = positions.iter().map(|p| p.words().1).collect();
    (pl.join(", "), en.join(", "))
}

impl BiometricsDraft {
    /// Checks every part and applies `requirement`; errors are under
    /// `path` (`biometrics.fingers[0].quality`, `biometrics.signature`, …).
    pub fn validate(
        &self,
        requirement: BiometricsRequirement,
        path: &str,
    ) -> Result<Biometrics, Vec<FieldError>> {
        let mut errors = Vec::new();
        let parts = self.parts(path, &mut errors);
        let fingers_path = format!("{path}.fingers");
        let signature_path = format!("{path}.signature");
        let fingerprints = if requirement.fingerprints {
            let missing = parts.missing_fingers();
            if !missing.is_empty() {
                let (pl, en) = list_of(&missing);
                errors.push(FieldError::new(
                    &fingers_path,
                    "fingerprints.required",
                    format!("Pobierz odciski palców albo zapisz wyjątki: {pl}."),
                    format!("Take the fingerprints or record exceptions: {en}."),
                ));
            }
            parts.fallback_errors(&fingers_path, &mut errors);
            Some(FingerprintSet {
                captures: parts.captures,
                exceptions: parts.exceptions,
            })
        } else {
            if !self.fingers.is_empty() || !self.finger_exceptions.is_empty() {
                errors.push(FieldError::new(
                    &fingers_path,
                    "fingerprints.not_taken",
                    "Odcisków palców nie pobiera się w tym wniosku (dziecko poniżej wieku pobierania odcisków albo paszport tymczasowy): usuń je.",
                    "No fingerprints are taken for this application (a child below the fingerprint age, or a temporary passport): remove them.",
                ));
            }
            None
        };
        let signature = match (requirement.signature, parts.signature) {
            (true, Some(s)) => Some(s),
            (true, None) => {
                if self.signature.is_none() {
                    errors.push(FieldError::new(
                        &signature_path,
                        "signature.required",
                        "Wnioskodawca składa podpis: pobierz podpis albo zapisz, dlaczego nie może się podpisać.",
                        "The applicant signs: take the signature or record why they cannot sign.",
                    ));
                }
                None
            }
            (false, _) => {
                if self.signature.is_some() {
                    errors.push(FieldError::new(
                        &signature_path,
                        "signature.not_taken",
                        "Wnioskodawca nie składa podpisu (jest poniżej wieku składania podpisu): usuń podpis.",
                        "The applicant does not sign (below the signing age): remove the signature.",
                    ));
                }
                None
            }
        };
        if errors.is_empty() {
            Ok(Biometrics {
                fingerprints,
                signature,
            })
        } else {
            Err(errors)
        }
    }

    /// The errors of the parts alone (images, scores, strokes, exceptions),
    /// when the rules cannot be applied yet: the applicant's age or the
    /// kind of application is itself in error.
    pub fn check_parts(&self, path: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let _ = self.parts(path, &mut errors);
        errors
    }

    fn parts(&self, path: &str, errors: &mut Vec<FieldError>) -> Parts {
        let mut parts = Parts {
            captures: Vec::new(),
            exceptions: Vec::new(),
            signature: None,
            captured: Vec::new(),
            excepted: Vec::new(),
        };
        let fingers_path = format!("{path}.fingers");
        if self.fingers.len() > MAX_FINGER_ITEMS || self.finger_exceptions.len() > MAX_FINGER_ITEMS
        {
            errors.push(FieldError::new(
                &fingers_path,
                "fingerprints.too_many",
                format!("Najwyżej {MAX_FINGER_ITEMS} palców."),
                format!("At most {MAX_FINGER_ITEMS} fingers."),
            ));
        } else {
            let mut seen: Vec<FingerPosition> = Vec::new();
            let mut seen_once = |p: FingerPosition, at: &str, errors: &mut Vec<FieldError>| {
                let (pl, en) = p.words();
                if seen.contains(&p) {
                    errors.push(FieldError::new(
                        at,
                        "fingerprints.duplicate",
                        format!("Ten palec podano już wcześniej: {pl}."),
                        format!("This finger is already given: {en}."),
                    ));
                    return false;
                }
                seen.push(p);
                if p.digit() == Digit::Little {
                    errors.push(FieldError::new(
                        at,
                        "fingerprints.little_finger",
                        "Małego palca nie pobiera się: kolejno palec wskazujący, środkowy, serdeczny, kciuk.",
                        "The little finger is not taken: index, middle, ring finger, then the thumb.",
                    ));
                    return false;
                }
                true
            };
            for (i, f) in self.fingers.iter().enumerate() {
                let at = format!("{fingers_path}[{i}]");
                let position_ok = seen_once(f.position, &format!("{at}.position"), errors);
                if position_ok {
                    parts.captured.push(f.position);
                }
                let quality = Quality::new(f.quality);
                if quality.is_none() {
                    errors.push(FieldError::new(
                        format!("{at}.quality"),
                        "fingerprints.quality_range",
                        "Jakość odcisku to liczba od 0 do 100.",
                        "A fingerprint's quality is a number from 0 to 100.",
                    ));
                }
                let image = PngImage::from_base64(
                    &f.png_base64,
                    &FINGER_IMAGE,
                    &format!("{at}.png_base64"),
                )
                .map_err(|e| errors.push(e))
                .ok();
                if let (true, Some(quality), Some(image)) = (position_ok, quality, image) {
                    parts.captures.push(FingerCapture {
                        position: f.position,
                        quality,
                        image,
                    });
                }
            }
            let exceptions_path = format!("{path}.finger_exceptions");
            for (i, x) in self.finger_exceptions.iter().enumerate() {
                let at = format!("{exceptions_path}[{i}]");
                let position_ok = seen_once(x.position, &format!("{at}.position"), errors);
                if position_ok {
                    parts.excepted.push(x.position);
                }
                let supervisor = x
                    .supervisor
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty());
                let reason = match (x.reason, supervisor) {
                    (FingerExceptionKind::Missing, None) => Some(FingerExceptionReason::Missing),
                    (FingerExceptionKind::Missing, _) if x.confirmation.is_some() => {
                        errors.push(FieldError::new(
                            format!("{at}.supervisor"),
                            "fingerprints.exception.supervisor_not_needed",
                            "Brak palca nie wymaga potwierdzenia kierownika: usuń potwierdzenie albo zmień powód na czasową niemożność.",
                            "A missing finger needs no supervisor's confirmation: remove the confirmation or change the reason to temporarily impossible.",
                        ));
                        None
                    }
                    (FingerExceptionKind::Missing, Some(_)) => {
                        errors.push(FieldError::new(
                            format!("{at}.supervisor"),
                            "fingerprints.exception.supervisor_not_needed",
                            "Brak palca nie wymaga potwierdzenia kierownika: usuń kierownika albo zmień powód na czasową niemożność.",
                            "A missing finger needs no supervisor's confirmation: remove the supervisor or change the reason to temporarily impossible.",
                        ));
                        None
                    }
                    (FingerExceptionKind::TemporarilyImpossible, None) => {
                        errors.push(FieldError::new(
                            format!("{at}.supervisor"),
                            "fingerprints.exception.supervisor_required",
                            "Czasową niemożność pobrania odcisku potwierdza kierownik: podaj jego identyfikator.",
                            "A finger temporarily impossible to take is confirmed by a supervisor: give their id.",
                        ));
                        None
                    }
                    (FingerExceptionKind::TemporarilyImpossible, Some(s)) => {
                        match SupervisorId::parse(s) {
                            Some(_) if x.confirmation.is_none() => {
                                errors.push(FieldError::new(
                                    format!("{at}.supervisor"),
                                    "fingerprints.exception.confirmation_required",
                                    "Kierownik potwierdza czasową niemożność pobrania odcisku swoim hasłem na tym stanowisku.",
                                    "The supervisor confirms a finger temporarily impossible to take with their password at this counter.",
                                ));
                                None
                            }
                            Some(supervisor) => {
                                Some(FingerExceptionReason::TemporarilyImpossible { supervisor })
                            }
                            None => {
                                errors.push(FieldError::new(
                                    format!("{at}.supervisor"),
                                    "fingerprints.exception.supervisor_format",
                                    "Identyfikator kierownika: od 1 do 64 liter, cyfr, „.”, „_”, „-” lub „@”.",
                                    "A supervisor's id: 1 to 64 letters, digits, “.”, “_”, “-” or “@”.",
                                ));
                                None
                            }
                        }
                    }
                };
                if let (true, Some(reason)) = (position_ok, reason) {
                    parts.exceptions.push(FingerException {
                        position: x.position,
                        reason,
                    });
                }
            }
        }
        if let Some(s) = &self.signature {
            parts.signature = s
                .validate(&format!("{path}.signature"))
                .map_err(|e| errors.extend(e))
                .ok();
        }
        parts
    }
}

/// The parts of a draft that passed their own checks.
/// The fallback rule is applied to every finger given, valid or not: a
/// finger whose image or exception is itself in error has its own error,
/// and is not also reported as missing or out of order.
struct Parts {
    captures: Vec<FingerCapture>,
    exceptions: Vec<FingerException>,
    signature: Option<SignatureRecord>,
    /// Every finger given as captured, and as excepted (once each).
    captured: Vec<FingerPosition>,
    excepted: Vec<FingerPosition>,
}

impl Parts {
    fn has_exception(&self, p: FingerPosition) -> bool {
        self.excepted.contains(&p)
    }

    /// The finger each hand still needs: the next one of the fallback
    /// order when the hand has no capture.
    fn missing_fingers(&self) -> Vec<FingerPosition> {
        [Hand::Left, Hand::Right]
            .into_iter()
            .filter(|h| !self.captured.iter().any(|c| c.hand() == *h))
            .filter_map(|h| next_finger(h, |p| self.has_exception(p)))
            .collect()
    }

    /// A capture that is not the finger the fallback order names for its
    /// hand (another finger taken while an earlier one has no exception),
    /// or a second capture on one hand.
    fn fallback_errors(&self, path: &str, errors: &mut Vec<FieldError>) {
        for hand in [Hand::Left, Hand::Right] {
            let on_hand: Vec<FingerPosition> = self
                .captured
                .iter()
                .copied()
                .filter(|c| c.hand() == hand)
                .collect();
            if on_hand.len() > 1 {
                let (pl, en) = list_of(&on_hand);
                errors.push(FieldError::new(
                    path,
                    "fingerprints.one_per_hand",
                    format!("Z każdej ręki pobiera się jeden palec; podano: {pl}."),
                    format!("One finger is taken from each hand; given: {en}."),
                ));
                continue;
            }
            let Some(captured) = on_hand.first() else {
                continue;
            };
            match next_finger(hand, |p| self.has_exception(p)) {
                Some(expected) if expected == *captured => {}
                Some(expected) => {
                    let (epl, een) = expected.words();
                    let (cpl, cen) = captured.words();
                    errors.push(FieldError::new(
                        path,
                        "fingerprints.fallback_order",
                        format!("Pobrano: {cpl}, a najpierw pobiera się: {epl} — pobierz go albo zapisz dla niego wyjątek."),
                        format!("Taken: {cen}, but first comes the {een} — take it or record an exception for it."),
                    ));
                }
                // Unreachable: the capture's own finger would have no
                // exception, so the order names a finger. Said all the same.
                None => errors.push(FieldError::new(
                    path,
                    "fingerprints.duplicate",
                    "Palec ma jednocześnie odcisk i wyjątek.",
                    "A finger has both a capture and an exception.",
                )),
            }
        }
    }
}

impl SignatureDraft {
    /// Checks the strokes and the image, or the reason; errors at `path`.
    pub fn validate(&self, path: &str) -> Result<SignatureRecord, Vec<FieldError>> {
        match self {
            SignatureDraft::CannotSign(CannotSignDraft { reason }) => {
                let reason = reason.trim();
                if let Err(e) = crate::text::check_free_text(reason, &format!("{path}.reason")) {
                    return Err(vec![e]);
                }
                let n = reason.chars().count();
                if !(3..=CANNOT_SIGN_REASON_MAX).contains(&n) {
                    return Err(vec![FieldError::new(
                        format!("{path}.reason"),
                        "signature.cannot_sign_reason",
                        format!(
                            "Podaj, dlaczego wnioskodawca nie może się podpisać (od 3 do {CANNOT_SIGN_REASON_MAX} znaków)."
                        ),
                        format!(
                            "Give why the applicant cannot sign (3 to {CANNOT_SIGN_REASON_MAX} characters)."
                        ),
                    )]);
                }
                Ok(SignatureRecord::CannotSign {
                    reason: reason.to_owned(),
                })
            }
            SignatureDraft::Signed(SignedDraft {
                width,
                height,
                strokes,
                png_base64,
            }) => {
                let mut errors = Vec::new();
                let strokes =
                    SignatureStrokes::check(*width, *height, strokes, &format!("{path}.strokes"))
                        .map_err(|e| errors.push(e))
                        .ok();
                let image = PngImage::from_base64(
                    png_base64,
                    &SIGNATURE_IMAGE,
                    &format!("{path}.png_base64"),
                )
                .map_err(|e| errors.push(e))
                .ok();
                match (strokes, image) {
                    (Some(strokes), Some(image)) => Ok(SignatureRecord::Signed(Signature {
                        strokes: Some(strokes),
                        image,
                    })),
                    _ => Err(errors),
                }
            }
            SignatureDraft::Image(SignatureImageDraft { png_base64 }) => {
                PngImage::from_base64(png_base64, &SIGNATURE_IMAGE, &format!("{path}.png_base64"))
                    .map(|image| {
                        SignatureRecord::Signed(Signature {
                            strokes: None,
                            image,
                        })
                    })
                    .map_err(|e| vec![e])
            }
        }
    }
}

impl SignatureStrokes {
    /// Checks a pad's size and its strokes: at least one point, at most
    /// [`MAX_STROKES`] strokes and [`MAX_POINTS`] points, every point on
    /// the pad, time never going back and at most [`MAX_SIGNATURE_MS`].
    /// The first problem found is the one reported, at `path`.
    pub fn check(
        width: u16,
        height: u16,
        strokes: &[Vec<StrokePoint>],
        path: &str,
    ) -> Result<Self, FieldError> {
        let e = |code: &str, pl: String, en: String| FieldError::new(path, code, pl, en);
        if !(1..=MAX_PAD_SIDE).contains(&width) || !(1..=MAX_PAD_SIDE).contains(&height) {
            return Err(e(
                "signature.pad_size",
                format!("Rozmiar podkładki do podpisu: od 1 do {MAX_PAD_SIDE} pikseli na bok."),
                format!("The signature pad's size: 1 to {MAX_PAD_SIDE} pixels a side."),
            ));
        }
        let points: usize = strokes.iter().map(Vec::len).sum();
        if strokes.len() > MAX_STROKES || points > MAX_POINTS {
            return Err(e(
                "signature.too_long",
                format!(
                    "Podpis ma za dużo kresek lub punktów (najwyżej {MAX_STROKES} kresek i {MAX_POINTS} punktów)."
                ),
                format!(
                    "The signature has too many strokes or points (at most {MAX_STROKES} strokes and {MAX_POINTS} points)."
                ),
            ));
        }
        if points == 0 || strokes.iter().any(Vec::is_empty) {
            return Err(e(
                "signature.empty",
                "Podpis jest pusty: wnioskodawca podpisuje się na podkładce.".into(),
                "The signature is empty: the applicant signs on the pad.".into(),
            ));
        }
        let mut last_t = 0u32;
        for p in strokes.iter().flatten() {
            if p.x >= width || p.y >= height {
                return Err(e(
                    "signature.point_outside",
                    format!(
                        "Punkt podpisu ({}, {}) leży poza podkładką {width}×{height}.",
                        p.x, p.y
                    ),
                    format!(
                        "A signature point ({}, {}) lies outside the {width}×{height} pad.",
                        p.x, p.y
                    ),
                ));
            }
            if p.t_ms < last_t || p.t_ms > MAX_SIGNATURE_MS {
                return Err(e(
                    "signature.time",
                    "Czas punktów podpisu cofa się albo przekracza 10 minut: podpisz ponownie."
                        .into(),
                    "The signature's point times go back or exceed 10 minutes: sign again.".into(),
                ));
            }
            last_t = p.t_ms;
        }
        Ok(Self {
            width,
            height,
            strokes: strokes.to_vec(),
        })
    }
}

// ---------------------------------------------------------------------------
// Synthetic samples
// ---------------------------------------------------------------------------

/// Synthetic images that pass the checks: for the demo office, the device
/// emulator and tests. Not anyone's finger or hand.
pub mod samples {
    /// A grey PNG of `width`×`height` with the pixel `f(x, y)`.
    pub fn grey_png(width: u32, height: u32, f: impl Fn(u32, u32) -> u8) -> Vec<u8> {
        let mut data =
            Vec::with_capacity(usize::try_from(u64::from(width) * u64::from(height)).unwrap_or(0));
        for y in 0..height {
            for x in 0..width {
                data.push(f(x, y));
            }
        }
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        // Encoding into memory fails only on a wrong data length, which
        // the loop above rules out; an empty image is refused by the checks.
        if let Ok(mut w) = enc.write_header()
            && w.write_image_data(&data).is_ok()
        {
            let _ = w.finish();
        }
        out
    }

    /// A flat fingerprint, 300×400: concentric ridges around a centre that
    /// `seed` moves, so two fingers are two different images.
    pub fn finger_png(seed: u32) -> Vec<u8> {
        let (cx, cy) = (
            150.0 + f64::from(seed % 7) * 5.0,
            220.0 + f64::from(seed % 5) * 6.0,
        );
        grey_png(300, 400, |x, y| {
            let (dx, dy) = (f64::from(x) - cx, (f64::from(y) - cy) * 0.8);
            let r = (dx * dx + dy * dy).sqrt();
            let ridge = (r / 4.5 + f64::from(seed)).sin();
            // Outside the fingertip's oval: the sensor's white.
            if dx * dx / (130.0 * 130.0) + dy * dy / (170.0 * 170.0) > 1.0 {
                250
            } else if ridge > 0.0 {
                40
            } else {
                210
            }
        })
    }

    /// What an adult gives at the counter: both index fingers (quality 80
    /// and 75) and a signature image.
    pub fn adult_draft() -> super::BiometricsDraft {
        use super::*;
        let finger = |position, seed, quality| FingerCaptureDraft {
            position,
            quality,
            png_base64: BASE64.encode(finger_png(seed)),
        };
        BiometricsDraft {
            fingers: vec![
                finger(FingerPosition::LeftIndex, 1, 80),
                finger(FingerPosition::RightIndex, 2, 75),
            ],
            finger_exceptions: Vec::new(),
            signature: Some(SignatureDraft::Image(SignatureImageDraft {
                png_base64: BASE64.encode(signature_png()),
            })),
        }
    }

    /// A signature, 400×120: a dark wave on white.
    pub fn signature_png() -> Vec<u8> {
        grey_png(400, 120, |x, y| {
            let wave = 60.0 + 30.0 * (f64::from(x) / 23.0).sin();
            if (f64::from(y) - wave).abs() < 2.5 && (30..370).contains(&x) {
                20
            } else {
                255
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn serde_names_are_mosips() {
        for p in FingerPosition::ALL {
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.mosip_name()));
            assert_eq!(FingerPosition::from_mosip_name(p.mosip_name()), Some(p));
            assert_eq!(FingerPosition::new(p.hand(), p.digit()), p);
        }
        assert_eq!(FingerPosition::from_mosip_name("Left indexfinger"), None);
        assert_eq!(FingerPosition::from_mosip_name("Left  IndexFinger"), None);
    }

    #[test]
    fn signature_drafts_refuse_unknown_fields_in_either_variant() {
        let ok = r#"{"kind":"cannot_sign","reason":"niedowład rąk"}"#;
        assert!(serde_json::from_str::<SignatureDraft>(ok).is_ok());
        let typo = r#"{"kind":"cannot_sign","reasn":"x"}"#;
        assert!(serde_json::from_str::<SignatureDraft>(typo).is_err());
        let extra = r#"{"kind":"signed","width":10,"height":10,"strokes":[],"png_base64":"","color":"red"}"#;
        assert!(serde_json::from_str::<SignatureDraft>(extra).is_err());
        let signed = r#"{"kind":"signed","width":10,"height":10,"strokes":[[{"x":1,"y":2,"t_ms":0}]],"png_base64":""}"#;
        assert!(serde_json::from_str::<SignatureDraft>(signed).is_ok());
    }

    #[test]
    fn quality_is_0_to_100() {
        assert_eq!(Quality::new(100).map(Quality::get), Some(100));
        assert_eq!(Quality::new(0).map(Quality::get), Some(0));
        assert_eq!(Quality::new(101), None);
        assert!(serde_json::from_str::<Quality>("101").is_err());
        assert!(serde_json::from_str::<Quality>("-1").is_err());
    }
}
