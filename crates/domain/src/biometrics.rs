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
            return Err(format!("stored image has an implausible size {width}×{height}"));
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
        write!(f, "PngImage({}×{}, {} bytes)", self.width, self.height, self.bytes.len())
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
        format!("Plik obrazu jest za duży (najwyżej {} KB).", bounds.max_bytes / 1024),
        format!("The image file is too large (at most {} KB).", bounds.max_bytes / 1024),
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
            && s
                .chars()
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
pub fn next_finger(hand: Hand, has_exception: impl Fn(FingerPosition) -> bool) -> Option<FingerPosition> {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureStrokes {
    pub width: u16,
    pub height: u16,
    pub strokes: Vec<Vec<StrokePoint>>,
}

/// A signature taken: the strokes, and the image rendered from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub strokes: SignatureStrokes,
    pub image: PngImage,
}

/// The signature part of an application where one is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignatureRecord {
    Signed(Signature),
    /// The applicant cannot sign (a disability, cannot write): the reason
    /// as the clerk recorded it, 3–200 characters.
    CannotSign { reason: String },
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Biometrics {
    pub fingerprints: Option<FingerprintSet>,
    pub signature: Option<SignatureRecord>,
}

// ---------------------------------------------------------------------------
// Drafts: what the screens and counterctl send
// ---------------------------------------------------------------------------

/// One finger as captured by a device or given as a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SignatureDraft {
    Signed {
        width: u16,
        height: u16,
        strokes: Vec<Vec<StrokePoint>>,
        /// The rendered image, PNG in base64.
        png_base64: String,
    },
    CannotSign {
        reason: String,
    },
}

/// The biometrics as the screens and `counterctl` send them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
