//! The device: an HTTP/1.1 service on 127.0.0.1 answering the MDS methods
//! (MOSIPDISC `/device`, MOSIPDINFO `/info`, RCAPTURE `/capture`, STREAM
//! `/stream`) as the MOSIP device service specification describes them,
//! with its behaviour chosen by a [`Variant`] that tests switch at will.
//!
//! "Unplugged" is real at the socket: the listener is closed (a connect is
//! refused) and every open connection is dropped without an answer, until
//! [`Emulator::replug`] binds the same port again.

use crate::image;
use crate::pki::DevicePki;
use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited, combinators::BoxBody};
use hyper::{Request, Response, StatusCode, body::Incoming};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// How the device behaves; switchable while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    /// Ready; captures of good quality (78–95).
    Good,
    /// Ready; captures of low quality (22–33), as a dry finger.
    LowQuality,
    /// Reports "Busy" and refuses captures with error 111.
    Busy,
    /// The next RCAPTURE is cut: the connection is dropped without an
    /// answer and the port closes, as a device pulled out mid-capture.
    /// After [`Emulator::replug`] the device is back as `Good`.
    UnpluggedMidCapture,
    /// Every signature (device info, capture data) is wrong by one byte.
    BadSignature,
    /// Every answer waits [`Config::slow`] first.
    Slow,
}

/// The MDS specification version the device answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SpecVersion {
    #[value(name = "0.9.5")]
    V095,
    #[value(name = "1.0")]
    V10,
}

impl SpecVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V095 => "0.9.5",
            SpecVersion::V10 => "1.0",
        }
    }
}

/// What the device is, fixed at start.
#[derive(Debug, Clone)]
pub struct Config {
    pub serial: String,
    pub spec_version: SpecVersion,
    pub variant: Variant,
    /// How long `Slow` waits before answering.
    pub slow: Duration,
    /// How long a STREAM lasts when the request names no time-out.
    pub stream_default: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            serial: "EMU-0000-0001".into(),
            spec_version: SpecVersion::V10,
            variant: Variant::Good,
            slow: Duration::from_secs(5),
            stream_default: Duration::from_secs(5),
        }
    }
}

/// Requests larger than this are refused unread (the device's own limit).
const REQUEST_MAX: usize = 64 * 1024;
/// The STREAM frame rate: the specification asks for 3 or more per second.
const STREAM_FRAME: Duration = Duration::from_millis(200);
const STREAM_BOUNDARY: &str = "mdsframe";

#[derive(Debug)]
struct Shared {
    port: u16,
    config: Config,
    pki: DevicePki,
    variant: Mutex<Variant>,
    /// A capture is under way: a second one is answered "Busy".
    capturing: AtomicBool,
    /// `true` while plugged in; the accept loop ends when it turns `false`.
    plugged: watch::Sender<bool>,
    attempts: AtomicU32,
    captures: AtomicU32,
}

impl Shared {
    fn variant(&self) -> Variant {
        match self.variant.lock() {
            Ok(v) => *v,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
    fn set_variant(&self, v: Variant) {
        match self.variant.lock() {
            Ok(mut g) => *g = v,
            Err(poisoned) => *poisoned.into_inner() = v,
        }
    }
}

/// A running emulated device. Dropping it closes the port.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Emulator {
    /// Serves on `listener` (bound to 127.0.0.1 by the caller: a test binds
    /// the port it chose).
    pub fn start(listener: TcpListener, pki: DevicePki, config: Config) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (plugged, _) = watch::channel(true);
        let shared = Arc::new(Shared {
            port: addr.port(),
            variant: Mutex::new(config.variant),
            config,
            pki,
            capturing: AtomicBool::new(false),
            plugged,
            attempts: AtomicU32::new(0),
            captures: AtomicU32::new(0),
        });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(Self {
            addr,
            shared,
            task: Mutex::new(Some(task)),
        })
    }

    /// Binds 127.0.0.1:`port` and serves there.
    pub async fn bind(port: u16, pki: DevicePki, config: Config) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        Self::start(listener, pki, config)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn variant(&self) -> Variant {
        self.shared.variant()
    }

    pub fn set_variant(&self, v: Variant) {
        self.shared.set_variant(v);
    }

    /// The CA the device's certificate is under, as PEM: the trust store.
    pub fn trust_pem(&self) -> String {
        self.shared.pki.ca_pem()
    }

    /// Captures answered with an image so far.
    pub fn captures(&self) -> u32 {
        self.shared.captures.load(Ordering::Relaxed)
    }

    pub fn is_plugged(&self) -> bool {
        *self.shared.plugged.borrow()
    }

    /// Pulls the device out: the port closes and open connections drop.
    pub fn unplug(&self) {
        self.shared.plugged.send_replace(false);
        if let Ok(mut task) = self.task.lock()
            && let Some(t) = task.take()
        {
            t.abort();
        }
    }

    /// Plugs it back in on the same port, as `Good` if it was cut mid-capture.
    pub async fn replug(&self) -> std::io::Result<()> {
        if self.is_plugged() {
            return Ok(());
        }
        // The old listener may take a moment to be gone after an unplug
        // from inside a capture.
        let mut tries = 0;
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) if tries >= 50 => return Err(e),
                Err(_) => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        };
        if self.shared.variant() == Variant::UnpluggedMidCapture {
            self.shared.set_variant(Variant::Good);
        }
        self.shared.plugged.send_replace(true);
        let task = tokio::spawn(accept_loop(listener, self.shared.clone()));
        if let Ok(mut slot) = self.task.lock()
            && let Some(old) = slot.replace(task)
        {
            old.abort();
        }
        Ok(())
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Ok(mut task) = self.task.lock()
            && let Some(t) = task.take()
        {
            t.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut plugged = shared.plugged.subscribe();
    // Dropped on return: every connection task is aborted with it, so an
    // unplug cuts the answers under way too.
    let mut connections = JoinSet::new();
    let mut failed_accept = false;
    loop {
        tokio::select! {
            unplugged = plugged.wait_for(|p| !*p) => {
                drop(unplugged);
                return;
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone()));
                }
                Err(_) => failed_accept = true,
            },
        }
        if std::mem::take(&mut failed_accept) {
            // As axum's own listener: a failed accept (no descriptors left)
            // is not the end; wait a little rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        while connections.try_join_next().is_some() {}
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(route(req, shared).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(Duration::from_secs(5))
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

type Body = BoxBody<Bytes, Infallible>;

async fn route(req: Request<Incoming>, shared: Arc<Shared>) -> Response<Body> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let body = match Limited::new(req.into_body(), REQUEST_MAX).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return json(
                &shared,
                StatusCode::PAYLOAD_TOO_LARGE,
                &error_only("101", "Request too large"),
            );
        }
    };
    if shared.variant() == Variant::Slow {
        tokio::time::sleep(shared.config.slow).await;
    }
    match (method.as_str(), path.as_str()) {
        ("MOSIPDISC", "/device") => discover(&shared, &body),
        ("MOSIPDINFO", "/info") => info(&shared),
        ("RCAPTURE", "/capture") => capture(&shared, &body).await,
        ("STREAM", "/stream") => stream(&shared, &body),
        (_, "/device" | "/info" | "/capture" | "/stream") => json(
            &shared,
            StatusCode::METHOD_NOT_ALLOWED,
            &error_only("101", "Method not supported"),
        ),
        _ => json(
            &shared,
            StatusCode::NOT_FOUND,
            &error_only("101", "No such resource"),
        ),
    }
}

// ---- wire shapes (the device's side; the counter has its own) ----

#[derive(Debug, Serialize)]
struct ErrorBody {
    #[serde(rename = "errorCode")]
    code: String,
    #[serde(rename = "errorInfo")]
    info: String,
}

#[derive(Debug, Serialize)]
struct ErrorOnly {
    error: ErrorBody,
}

fn error_only(code: &str, info: &str) -> ErrorOnly {
    ErrorOnly {
        error: err(code, info),
    }
}

fn err(code: &str, info: &str) -> ErrorBody {
    ErrorBody {
        code: code.into(),
        info: info.into(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DigitalId<'a> {
    serial_no: &'a str,
    make: &'a str,
    model: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    device_sub_type: &'a str,
    device_provider: &'a str,
    device_provider_id: &'a str,
    date_time: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DeviceDescription {
    device_status: &'static str,
    device_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    firmware: Option<&'static str>,
    certification: &'static str,
    service_version: &'static str,
    device_sub_id: Vec<&'static str>,
    callback_id: String,
    digital_id: String,
    device_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    env: Option<&'static str>,
    purpose: &'static str,
    spec_version: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoEntry {
    device_info: String,
    error: ErrorBody,
}

/// A number the specification's examples write as a string; both forms
/// are accepted from an application.
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
            Num::Text(s) => s.trim().parse().ok(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct DiscoverRequest {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CaptureRequest {
    env: String,
    purpose: String,
    spec_version: String,
    timeout: Num,
    transaction_id: String,
    bio: Vec<BioRequest>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BioRequest {
    #[serde(rename = "type")]
    kind: String,
    count: Num,
    #[serde(default)]
    bio_sub_type: Vec<String>,
    #[serde(default)]
    exception: Vec<String>,
    requested_score: Num,
    previous_hash: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CaptureData {
    digital_id: String,
    bio_type: &'static str,
    device_code: String,
    device_service_version: &'static str,
    bio_sub_type: String,
    purpose: String,
    env: String,
    bio_value: String,
    transaction_id: String,
    timestamp: String,
    requested_score: String,
    quality_score: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CaptureEntry {
    spec_version: &'static str,
    data: String,
    hash: String,
    error: ErrorBody,
}

#[derive(Debug, Serialize)]
struct CaptureAnswer {
    biometrics: Vec<CaptureEntry>,
}

/// The finger names of the specification, in its order.
pub const FINGERS: [&str; 10] = [
    "Left IndexFinger",
    "Left MiddleFinger",
    "Left RingFinger",
    "Left LittleFinger",
    "Left Thumb",
    "Right IndexFinger",
    "Right MiddleFinger",
    "Right RingFinger",
    "Right LittleFinger",
    "Right Thumb",
];

// ---- the methods ----

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn status_now(shared: &Shared) -> (&'static str, ErrorBody) {
    if shared.variant() == Variant::Busy || shared.capturing.load(Ordering::Relaxed) {
        ("Busy", err("111", "Device is Busy"))
    } else {
        ("Ready", err("0", "Success"))
    }
}

fn digital_id_json(shared: &Shared) -> Vec<u8> {
    let id = DigitalId {
        serial_no: &shared.config.serial,
        make: "Passport Counter",
        model: "MDS emulator",
        kind: "Finger",
        device_sub_type: "Single",
        device_provider: "Passport Counter tests",
        device_provider_id: "PC-TEST",
        date_time: now(),
    };
    serde_json::to_vec(&id).unwrap_or_default()
}

/// A compact JWS (RFC 7515) over `payload` with the device key: header
/// `{"alg":"EdDSA","typ":"JWT","x5c":[device certificate]}`.
fn sign(shared: &Shared, payload: &[u8]) -> String {
    let header = serde_json::json!({
        "alg": "EdDSA",
        "typ": "JWT",
        "x5c": [base64::engine::general_purpose::STANDARD.encode(&shared.pki.device.cert_der)],
    });
    let signing_input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(payload)
    );
    let mut signature = rcgen::SigningKey::sign(&shared.pki.device.key, signing_input.as_bytes())
        .unwrap_or_default();
    if shared.variant() == Variant::BadSignature
        && let Some(last) = signature.last_mut()
    {
        *last ^= 0x01;
    }
    format!("{signing_input}.{}", b64url(&signature))
}

fn description(shared: &Shared, signed: bool) -> DeviceDescription {
    let (status, error) = status_now(shared);
    let digital = digital_id_json(shared);
    DeviceDescription {
        device_status: status,
        device_id: "1",
        firmware: signed.then_some("emu-1.0"),
        certification: "L0",
        service_version: shared.config.spec_version.as_str(),
        device_sub_id: vec!["0"],
        callback_id: format!("http://127.0.0.1:{}/", shared.port),
        // Unsigned in discovery, signed in device info (the specification's
        // signature table).
        digital_id: if signed {
            sign(shared, &digital)
        } else {
            b64url(&digital)
        },
        device_code: shared.config.serial.clone(),
        env: signed.then_some("Developer"),
        purpose: "Registration",
        spec_version: vec![shared.config.spec_version.as_str()],
        error: (!signed).then_some(error),
    }
}

fn discover(shared: &Shared, body: &[u8]) -> Response<Body> {
    let kind = if body.iter().all(u8::is_ascii_whitespace) {
        "Biometric Device".to_owned()
    } else {
        match serde_json::from_slice::<DiscoverRequest>(body) {
            Ok(r) => r.kind,
            Err(_) => {
                return json(
                    shared,
                    StatusCode::OK,
                    &error_only("101", "Invalid JSON Value Type For Discovery"),
                );
            }
        }
    };
    let devices = if kind == "Biometric Device" || kind == "Finger" {
        vec![description(shared, false)]
    } else {
        Vec::new()
    };
    json(shared, StatusCode::OK, &devices)
}

fn info(shared: &Shared) -> Response<Body> {
    let description = description(shared, true);
    let (_, error) = status_now(shared);
    let payload = serde_json::to_vec(&description).unwrap_or_default();
    let entries = vec![InfoEntry {
        device_info: sign(shared, &payload),
        error,
    }];
    json(shared, StatusCode::OK, &entries)
}

fn capture_error(shared: &Shared, code: &str, info: &str) -> Response<Body> {
    json(
        shared,
        StatusCode::OK,
        &CaptureAnswer {
            biometrics: vec![CaptureEntry {
                spec_version: shared.config.spec_version.as_str(),
                data: String::new(),
                hash: String::new(),
                error: err(code, info),
            }],
        },
    )
}

/// Clears "capturing" however the capture ends (an unplug aborts it).
struct Capturing<'a>(&'a AtomicBool);
impl Drop for Capturing<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

fn valid_transaction_id(id: &str) -> bool {
    (4..=50).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

async fn capture(shared: &Shared, body: &[u8]) -> Response<Body> {
    let Ok(request) = serde_json::from_slice::<CaptureRequest>(body) else {
        return capture_error(shared, "101", "Invalid JSON Value");
    };
    if !valid_transaction_id(&request.transaction_id) {
        return capture_error(shared, "112", "Invalid Transaction ID");
    }
    let [bio] = request.bio.as_slice() else {
        return capture_error(shared, "109", "Requested number of biometric not supported");
    };
    let finger = match bio.bio_sub_type.as_slice() {
        [one] => FINGERS.iter().position(|f| f == one),
        _ => None,
    };
    let (Some(finger), true, Some(1.0), Some(requested), Some(timeout)) = (
        finger,
        bio.kind == "Finger",
        bio.count.value(),
        bio.requested_score.value(),
        request.timeout.value(),
    ) else {
        return capture_error(
            shared,
            "109",
            "Requested number of biometric (Finger) not supported",
        );
    };
    if !(0.0..=100.0).contains(&requested) || !(0.0..=600_000.0).contains(&timeout) {
        return capture_error(shared, "101", "Invalid JSON Value");
    }
    if bio.exception.iter().any(|e| e == FINGERS[finger]) {
        return capture_error(
            shared,
            "101",
            "The requested finger is marked as an exception",
        );
    }
    let previous = match hex_upper_decode(&bio.previous_hash) {
        Some(p) => p,
        None => return capture_error(shared, "101", "Invalid previousHash"),
    };
    match shared.variant() {
        Variant::Busy => return capture_error(shared, "111", "Device is Busy"),
        Variant::UnpluggedMidCapture => {
            // The answer never comes: the accept loop ends and aborts this
            // connection's task with it.
            shared.plugged.send_replace(false);
            std::future::pending::<()>().await;
        }
        _ => {}
    }
    if shared
        .capturing
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Relaxed)
        .is_err()
    {
        return capture_error(shared, "111", "Device is Busy");
    }
    let _capturing = Capturing(&shared.capturing);
    let attempt = shared.attempts.fetch_add(1, Ordering::Relaxed);
    let spread = (attempt.wrapping_mul(7) + finger as u32 * 5) % 18;
    let quality: u8 = match shared.variant() {
        Variant::LowQuality => 22 + (spread % 12) as u8,
        _ => 78 + spread as u8,
    };
    let png = match image::finger_png(finger as u8, attempt, quality) {
        Ok(p) => p,
        Err(_) => return capture_error(shared, "102", "Technical error during extraction"),
    };
    // hash = SHA-256(previous hash ‖ SHA-256(biometric data)), upper-case hex.
    let mut h = Sha256::new();
    h.update(&previous);
    h.update(Sha256::digest(&png));
    let hash = hex_upper(&h.finalize());
    let digital = digital_id_json(shared);
    let data = CaptureData {
        digital_id: sign(shared, &digital),
        bio_type: "Finger",
        device_code: shared.config.serial.clone(),
        device_service_version: shared.config.spec_version.as_str(),
        bio_sub_type: FINGERS[finger].to_owned(),
        purpose: request.purpose.clone(),
        env: request.env.clone(),
        bio_value: b64url(&png),
        transaction_id: request.transaction_id.clone(),
        timestamp: now(),
        requested_score: format!("{requested}"),
        quality_score: format!("{quality}"),
    };
    let _ = request.spec_version;
    let payload = serde_json::to_vec(&data).unwrap_or_default();
    let answer = CaptureAnswer {
        biometrics: vec![CaptureEntry {
            spec_version: shared.config.spec_version.as_str(),
            data: sign(shared, &payload),
            hash,
            error: err("0", "Success"),
        }],
    };
    shared.captures.fetch_add(1, Ordering::Relaxed);
    json(shared, StatusCode::OK, &answer)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StreamRequest {
    #[serde(default)]
    timeout: Option<Num>,
}

/// STREAM: an M-JPEG preview (`multipart/x-mixed-replace`), five frames a
/// second until the request's time-out or the application hangs up.
fn stream(shared: &Shared, body: &[u8]) -> Response<Body> {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        StreamRequest { timeout: None }
    } else {
        match serde_json::from_slice::<StreamRequest>(body) {
            Ok(r) => r,
            Err(_) => {
                return json(
                    shared,
                    StatusCode::OK,
                    &error_only("101", "Invalid JSON Value"),
                );
            }
        }
    };
    if shared.variant() == Variant::Busy {
        return json(shared, StatusCode::OK, &error_only("111", "Device is Busy"));
    }
    let lasts = match request.timeout.as_ref().map(Num::value) {
        None => shared.config.stream_default,
        Some(Some(ms)) if (0.0..=300_000.0).contains(&ms) => Duration::from_millis(ms as u64),
        Some(_) => {
            return json(
                shared,
                StatusCode::OK,
                &error_only("101", "Invalid timeout"),
            );
        }
    };
    let (mut tx, channel) = http_body_util::channel::Channel::<Bytes, Infallible>::new(2);
    tokio::spawn(async move {
        let end = tokio::time::Instant::now() + lasts;
        let mut frame = 0u32;
        while tokio::time::Instant::now() < end {
            let Ok(jpeg) = image::finger_jpeg(0, frame, 60) else {
                return;
            };
            let mut part = format!(
                "--{STREAM_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
                jpeg.len()
            )
            .into_bytes();
            part.extend_from_slice(&jpeg);
            part.extend_from_slice(b"\r\n");
            if tx.send_data(Bytes::from(part)).await.is_err() {
                return;
            }
            frame += 1;
            tokio::time::sleep(STREAM_FRAME).await;
        }
    });
    let mut response = Response::new(BoxBody::new(channel));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("multipart/x-mixed-replace; boundary=mdsframe"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    response
}

fn json<T: Serialize>(_shared: &Shared, status: StatusCode, value: &T) -> Response<Body> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(body)).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-store"),
    );
    response
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn hex_upper_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
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
