//! The MDS wire format as devices send it (MOSIP device service
//! specification, 0.9.5 and 1.0), and the parsers that turn an answer's
//! bytes into this crate's typed values: everything is bounded before it
//! is read, range-checked, and signed parts are verified before a field of
//! them is believed. Parsers take bytes and never panic (proptests).

use crate::error::MdsError;
use crate::jws::{self, TrustStore};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use passport_domain::biometrics::{FINGER_IMAGE, FingerPosition, PngImage, Quality};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// The specification versions this client speaks.
pub const SPEC_VERSIONS: [&str; 2] = ["0.9.5", "1.0"];
/// Text fields from a device longer than this are refused.
const TEXT_MAX: usize = 256;

// ---- what the counter sends ----

#[derive(Debug, Serialize)]
pub(crate) struct DiscoverRequest<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CaptureRequest<'a> {
    pub env: &'a str,
    pub purpose: &'a str,
    pub spec_version: &'a str,
    pub timeout: u64,
    pub capture_time: String,
    pub transaction_id: &'a str,
    pub bio: [BioRequest<'a>; 1],
    pub custom_opts: Option<()>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BioRequest<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub count: u8,
    pub bio_sub_type: [&'a str; 1],
    pub exception: [&'a str; 0],
    pub requested_score: u8,
    pub device_id: &'a str,
    pub device_sub_id: &'a str,
    pub previous_hash: &'a str,
}

// ---- what devices send ----

/// A number the specification's examples write as a string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Num {
    fn value(&self) -> Option<f64> {
        match self {
            Num::Int(i) => Some(*i as f64),
            Num::Float(f) => Some(*f),
            Num::Text(s) if s.len() <= 32 => s.trim().parse().ok(),
            Num::Text(_) => None,
        }
        .filter(|v: &f64| v.is_finite())
    }
}

#[derive(Debug, Deserialize)]
struct WireError {
    #[serde(rename = "errorCode")]
    code: Num,
    #[serde(rename = "errorInfo", default)]
    info: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireDevice {
    device_status: String,
    device_id: String,
    certification: String,
    service_version: String,
    digital_id: String,
    device_code: String,
    spec_version: Vec<String>,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    error: Option<WireError>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireDigitalId {
    serial_no: String,
    make: String,
    model: String,
    #[serde(rename = "type")]
    kind: String,
    device_sub_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireInfoEntry {
    device_info: String,
    #[serde(default)]
    error: Option<WireError>,
}

#[derive(Debug, Deserialize)]
struct WireCaptureAnswer {
    biometrics: Vec<WireCaptureEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCaptureEntry {
    #[serde(default)]
    data: String,
    #[serde(default)]
    hash: String,
    error: WireError,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCaptureData {
    digital_id: String,
    bio_type: String,
    device_code: String,
    bio_sub_type: String,
    bio_value: String,
    transaction_id: String,
    timestamp: String,
    quality_score: Num,
}

// ---- typed results ----

/// A device's status as it reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Ready,
    Busy,
    NotReady,
    NotRegistered,
}

impl DeviceStatus {
    fn parse(s: &str) -> Result<Self, MdsError> {
        Ok(match s {
            "Ready" => DeviceStatus::Ready,
            "Busy" => DeviceStatus::Busy,
            "Not Ready" => DeviceStatus::NotReady,
            "Not Registered" => DeviceStatus::NotRegistered,
            _ => {
                return Err(MdsError::OutOfRange {
                    field: "deviceStatus",
                });
            }
        })
    }
}

/// What a device says of itself (discovery, or verified device info).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceDescription {
    pub status: DeviceStatus,
    pub device_id: String,
    /// `deviceCode`: the serial number printed on the device.
    pub serial: String,
    pub make: String,
    pub model: String,
    /// "Slap", "Single" or "Touchless".
    pub sub_type: String,
    pub certification: String,
    pub spec_version: String,
    pub service_version: String,
    pub purpose: String,
}

/// One capture as the device answered it, verified.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceCapture {
    pub position: FingerPosition,
    pub quality: Quality,
    /// The score as the device sent it (a floating point number).
    pub quality_score: f64,
    pub image: PngImage,
    pub serial: String,
    pub taken_at: DateTime<Utc>,
    /// The capture's `hash` (the chain's next `previousHash`).
    pub hash: String,
}

fn text(field: &'static str, s: &str) -> Result<String, MdsError> {
    if s.len() > TEXT_MAX || s.chars().any(char::is_control) {
        return Err(MdsError::OutOfRange { field });
    }
    Ok(s.to_owned())
}

fn nonempty(field: &'static str, s: &str) -> Result<String, MdsError> {
    let t = text(field, s)?;
    if t.trim().is_empty() {
        return Err(MdsError::OutOfRange { field });
    }
    Ok(t)
}

fn error_code(e: &WireError) -> Result<u16, MdsError> {
    e.code
        .value()
        .filter(|v| v.fract() == 0.0 && (0.0..=999.0).contains(v))
        .map(|v| v as u16)
        .ok_or(MdsError::OutOfRange { field: "errorCode" })
}

/// The MDS error codes that are states, not failures.
fn check_error(e: Option<&WireError>) -> Result<(), MdsError> {
    let Some(e) = e else { return Ok(()) };
    match error_code(e)? {
        0 => Ok(()),
        110 => Err(MdsError::NotReady),
        111 => Err(MdsError::Busy),
        code => Err(MdsError::Device {
            code,
            info: e
                .info
                .as_deref()
                .map(|i| i.chars().filter(|c| !c.is_control()).take(120).collect())
                .unwrap_or_else(|| "no description".to_owned()),
        }),
    }
}

fn spec_version(v: &[String]) -> Result<String, MdsError> {
    // Element zero is the version the answer was made with.
    match v.first() {
        Some(s) if SPEC_VERSIONS.contains(&s.as_str()) => Ok(s.clone()),
        _ => Err(MdsError::OutOfRange {
            field: "specVersion",
        }),
    }
}

fn digital_id(bytes: &[u8]) -> Result<WireDigitalId, MdsError> {
    let id: WireDigitalId = serde_json::from_slice(bytes)
        .map_err(|e| MdsError::Malformed(format!("digitalId: {e}")))?;
    if id.kind != "Finger" {
        return Err(MdsError::OutOfRange {
            field: "digitalId.type",
        });
    }
    Ok(id)
}

fn describe(d: WireDevice, id: WireDigitalId) -> Result<DeviceDescription, MdsError> {
    let serial = nonempty("deviceCode", &d.device_code)?;
    if id.serial_no != serial {
        return Err(MdsError::Mismatch(
            "deviceCode is not the digital ID's serialNo",
        ));
    }
    if !matches!(d.certification.as_str(), "L0" | "L1") {
        return Err(MdsError::OutOfRange {
            field: "certification",
        });
    }
    Ok(DeviceDescription {
        status: DeviceStatus::parse(&d.device_status)?,
        device_id: nonempty("deviceId", &d.device_id)?,
        serial,
        make: text("digitalId.make", &id.make)?,
        model: text("digitalId.model", &id.model)?,
        sub_type: text("digitalId.deviceSubType", &id.device_sub_type)?,
        certification: d.certification,
        spec_version: spec_version(&d.spec_version)?,
        service_version: text("serviceVersion", &d.service_version)?,
        purpose: text("purpose", &d.purpose)?,
    })
}

/// MOSIPDISC's answer: the finger devices behind one port. The digital ID
/// is unsigned here (the specification's signature table); trust comes
/// from [`parse_info`].
pub fn parse_discovery(body: &[u8]) -> Result<Vec<DeviceDescription>, MdsError> {
    let devices: Vec<WireDevice> =
        serde_json::from_slice(body).map_err(|e| MdsError::Malformed(format!("discovery: {e}")))?;
    if devices.len() > 8 {
        return Err(MdsError::OutOfRange { field: "devices" });
    }
    devices
        .into_iter()
        .map(|d| {
            // Its status says what the code would; the code is still checked.
            if let Some(e) = &d.error {
                error_code(e)?;
            }
            let raw = URL_SAFE_NO_PAD
                .decode(d.digital_id.trim_end_matches('='))
                .map_err(|_| MdsError::Malformed("digitalId is not base64url".into()))?;
            let id = digital_id(&raw)?;
            describe(d, id)
        })
        .collect()
}

/// MOSIPDINFO's answer, every `deviceInfo` (and the digital ID inside it)
/// verified against `trust`. A device that is not registered (error 100,
/// unsigned info) is reported as such, not trusted.
pub fn parse_info(
    body: &[u8],
    trust: &TrustStore,
    now: SystemTime,
) -> Result<Vec<DeviceDescription>, MdsError> {
    let entries: Vec<WireInfoEntry> = serde_json::from_slice(body)
        .map_err(|e| MdsError::Malformed(format!("device info: {e}")))?;
    if entries.len() > 8 {
        return Err(MdsError::OutOfRange { field: "devices" });
    }
    entries
        .into_iter()
        .map(|entry| {
            if let Some(e) = &entry.error
                && error_code(e)? == 100
            {
                return Err(MdsError::NotReady);
            }
            let payload = jws::verify(&entry.device_info, trust, now)?;
            let d: WireDevice = serde_json::from_slice(&payload)
                .map_err(|e| MdsError::Malformed(format!("deviceInfo: {e}")))?;
            let id_payload = jws::verify(&d.digital_id, trust, now)?;
            let id = digital_id(&id_payload)?;
            describe(d, id)
        })
        .collect()
}

/// What a capture answer must match.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub position: FingerPosition,
    pub transaction_id: &'a str,
    /// Upper-case hex of the `previousHash` sent.
    pub previous_hash: &'a str,
}

/// RCAPTURE's answer for one finger: the data JWS and the digital ID in it
/// verified, the finger, transaction and hash chain matched, the quality
/// 0–100, the image a decodable, non-blank PNG within the domain's bounds.
pub fn parse_capture(
    body: &[u8],
    expected: &Expected<'_>,
    trust: &TrustStore,
    now: SystemTime,
) -> Result<DeviceCapture, MdsError> {
    let answer: WireCaptureAnswer =
        serde_json::from_slice(body).map_err(|e| MdsError::Malformed(format!("capture: {e}")))?;
    let [entry] = answer.biometrics.as_slice() else {
        return Err(MdsError::OutOfRange {
            field: "biometrics",
        });
    };
    check_error(Some(&entry.error))?;
    let payload = jws::verify(&entry.data, trust, now)?;
    let data: WireCaptureData = serde_json::from_slice(&payload)
        .map_err(|e| MdsError::Malformed(format!("capture data: {e}")))?;
    let id = digital_id(&jws::verify(&data.digital_id, trust, now)?)?;
    if data.bio_type != "Finger" {
        return Err(MdsError::OutOfRange { field: "bioType" });
    }
    let position =
        FingerPosition::from_mosip_name(&data.bio_sub_type).ok_or(MdsError::OutOfRange {
            field: "bioSubType",
        })?;
    if position != expected.position {
        return Err(MdsError::Mismatch("another finger than the one asked for"));
    }
    if data.transaction_id != expected.transaction_id {
        return Err(MdsError::Mismatch("another transaction"));
    }
    let serial = nonempty("deviceCode", &data.device_code)?;
    if id.serial_no != serial {
        return Err(MdsError::Mismatch(
            "deviceCode is not the digital ID's serialNo",
        ));
    }
    let quality_score = data
        .quality_score
        .value()
        .filter(|q| (0.0..=100.0).contains(q))
        .ok_or(MdsError::OutOfRange {
            field: "qualityScore",
        })?;
    let quality = Quality::new(quality_score.round() as u32).ok_or(MdsError::OutOfRange {
        field: "qualityScore",
    })?;
    let taken_at = DateTime::parse_from_rfc3339(data.timestamp.trim())
        .map_err(|_| MdsError::OutOfRange { field: "timestamp" })?
        .with_timezone(&Utc);
    // The image's size is bounded by the answer's; base64 is checked
    // against the domain's limit before decoding.
    if data.bio_value.len() > passport_domain::biometrics::max_base64_len(FINGER_IMAGE.max_bytes) {
        return Err(MdsError::TooLarge {
            limit: FINGER_IMAGE.max_bytes,
        });
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(data.bio_value.trim_end_matches('='))
        .map_err(|_| MdsError::Malformed("bioValue is not base64url".into()))?;
    // hash = SHA-256(previousHash ‖ SHA-256(biometric data)), hex.
    let previous =
        hex_decode(expected.previous_hash).ok_or(MdsError::Mismatch("previousHash is not hex"))?;
    let mut h = Sha256::new();
    h.update(&previous);
    h.update(Sha256::digest(&bytes));
    let hash = hex_upper(&h.finalize());
    if !entry.hash.eq_ignore_ascii_case(&hash) {
        return Err(MdsError::Mismatch(
            "the hash does not chain to the previous capture",
        ));
    }
    let image = PngImage::decode(bytes, &FINGER_IMAGE, "bioValue")
        .map_err(|e| MdsError::Image(e.message.en))?;
    Ok(DeviceCapture {
        position,
        quality,
        quality_score,
        image,
        serial,
        taken_at,
        hash,
    })
}

pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..32)
        .map(|i| u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

/// The `previousHash` of a first capture: SHA-256 of the empty string.
pub fn empty_hash() -> String {
    hex_upper(&Sha256::digest(b""))
}

/// A STREAM request (MDS: `serialNo` in 1.0, `deviceId` in 0.9.5; both
/// are sent, a device reads the one its version names).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StreamRequest<'a> {
    pub serial_no: &'a str,
    pub device_id: &'a str,
    pub device_sub_id: &'a str,
    /// Milliseconds, as the specification's other time-outs.
    pub timeout: u64,
}

/// A device that answers STREAM with JSON instead of frames: the error it
/// names (busy, not ready, another MDS code), or a malformed answer.
pub(crate) fn stream_refusal(body: &[u8]) -> MdsError {
    #[derive(Deserialize)]
    struct Answer {
        error: Option<WireError>,
    }
    match serde_json::from_slice::<Answer>(body) {
        Ok(a) => match check_error(a.error.as_ref()) {
            Err(e) => e,
            Ok(()) => MdsError::Malformed("STREAM answered JSON without frames".into()),
        },
        Err(_) => MdsError::Malformed("STREAM answer is neither frames nor JSON".into()),
    }
}
