//! Fingerprint devices at the counter, through the MOSIP device service
//! interface (MDS / SBI; `passport-biometrics`): `[biometrics]` in
//! `config.toml`, the devices found on the port range and their state (for
//! the status bar, as card readers), and one finger's capture with its
//! quality. The app's commands and `counterctl biometrics` call the same
//! functions here (one door).
//!
//! ```toml
//! [biometrics]
//! first_port = 4501            # the MDS port range on 127.0.0.1
//! last_port = 4600
//! quality_threshold = 40       # 0–100 (NFIQ scaled, as MOSIP sends it)
//! retries = 2                  # retakes below the threshold, then an exception
//! trust_store = "/etc/passport-counter/mds-ca.pem"   # default <data dir>/mds-trust
//! connect_timeout_ms = 300
//! answer_timeout_ms = 2000
//! capture_timeout_ms = 20000
//! ```

use crate::config::{ConfigError, Resolved};
use crate::error::IpcError;
use passport_biometrics::{
    CapturePolicy, DeviceEvent, DeviceState, DeviceWatch, MdsClient, MdsError, MdsOptions,
    StreamEnd, StreamLimits, TrustStore, TrustStoreError,
};
use passport_domain::Message;
use passport_domain::biometrics::{FingerCaptureDraft, FingerPosition};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `[biometrics]` in `config.toml`. Numbers are range-checked when the
/// file is loaded ([`BIOMETRICS_LIMITS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BiometricsSettings {
    pub first_port: u32,
    pub last_port: u32,
    /// The quality (0–100) a capture must reach to be accepted.
    pub quality_threshold: u32,
    /// Retakes after a first capture below the threshold; after them the
    /// clerk records an exception.
    pub retries: u32,
    /// The device providers' certificates (a PEM file or a directory of
    /// them); `<data dir>/mds-trust` when absent.
    pub trust_store: Option<String>,
    pub connect_timeout_ms: u32,
    pub answer_timeout_ms: u32,
    pub capture_timeout_ms: u32,
}

impl Default for BiometricsSettings {
    fn default() -> Self {
        Self {
            first_port: 4501,
            last_port: 4600,
            quality_threshold: 40,
            retries: 2,
            trust_store: None,
            connect_timeout_ms: 300,
            answer_timeout_ms: 2000,
            capture_timeout_ms: 20_000,
        }
    }
}

type Limit = (&'static str, u32, u32, fn(&BiometricsSettings) -> u32);

/// Every number of `[biometrics]` and its range: ports outside the
/// privileged range; a threshold of 0 would accept a blank finger; more
/// than 5 retakes tires the applicant; time-outs long enough for a real
/// scanner, short enough that nobody waits on a dead one.
pub const BIOMETRICS_LIMITS: &[Limit] = &[
    ("first_port", 1024, 65_535, |s| s.first_port),
    ("last_port", 1024, 65_535, |s| s.last_port),
    ("quality_threshold", 1, 100, |s| s.quality_threshold),
    ("retries", 0, 5, |s| s.retries),
    ("connect_timeout_ms", 50, 5_000, |s| s.connect_timeout_ms),
    ("answer_timeout_ms", 100, 30_000, |s| s.answer_timeout_ms),
    ("capture_timeout_ms", 1_000, 120_000, |s| {
        s.capture_timeout_ms
    }),
];

/// At most this many ports are searched (MDS's own range is 100).
pub const MAX_PORT_SPAN: u32 = 200;

/// Checks `[biometrics]` (`path` names the file in errors).
pub fn check_settings(s: &BiometricsSettings, path: &Path) -> Result<(), ConfigError> {
    let out_of_range = |setting: &str, value: u32, min: u32, max: u32| ConfigError::OutOfRange {
        path: path.display().to_string(),
        setting: format!("biometrics.{setting}"),
        value: value.to_string(),
        min,
        max,
    };
    for (name, min, max, get) in BIOMETRICS_LIMITS {
        let value = get(s);
        if !(*min..=*max).contains(&value) {
            return Err(out_of_range(name, value, *min, *max));
        }
    }
    let span_max = s.first_port.saturating_add(MAX_PORT_SPAN - 1).min(65_535);
    if !(s.first_port..=span_max).contains(&s.last_port) {
        return Err(out_of_range(
            "last_port",
            s.last_port,
            s.first_port,
            span_max,
        ));
    }
    if s.trust_store
        .as_deref()
        .is_some_and(|t| t.trim().is_empty() || t.len() > 4096)
    {
        return Err(ConfigError::TooLong {
            path: path.display().to_string(),
            setting: "biometrics.trust_store".into(),
            max: 4096,
        });
    }
    Ok(())
}

impl BiometricsSettings {
    pub fn trust_store_path(&self, data_dir: &Path) -> PathBuf {
        self.trust_store
            .as_deref()
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("mds-trust"))
    }

    /// The client's options. The numbers were range-checked at load; a
    /// value that does not fit a port is refused, not wrapped.
    pub fn options(&self) -> Result<MdsOptions, BiometricsError> {
        let port = |v: u32| u16::try_from(v).map_err(|_| BiometricsError::Settings);
        let ms = |v: u32| Duration::from_millis(u64::from(v));
        Ok(MdsOptions {
            ports: port(self.first_port)?..=port(self.last_port)?,
            connect_timeout: ms(self.connect_timeout_ms),
            answer_timeout: ms(self.answer_timeout_ms),
            capture_timeout: ms(self.capture_timeout_ms),
            concurrency: 16,
            env: "Production".into(),
        })
    }

    pub fn policy(&self) -> Result<CapturePolicy, BiometricsError> {
        Ok(CapturePolicy {
            threshold: u8::try_from(self.quality_threshold)
                .ok()
                .filter(|t| *t <= 100)
                .ok_or(BiometricsError::Settings)?,
            retries: u8::try_from(self.retries).map_err(|_| BiometricsError::Settings)?,
        })
    }
}

/// A device's state as the status bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BiometricState {
    Ready,
    Busy,
    NotReady,
    /// Its signature does not verify against the trust store: captures
    /// from it are refused.
    Untrusted,
    /// It was there and is no longer (unplugged, service stopped).
    Gone,
}

impl BiometricState {
    pub const ALL: [BiometricState; 5] = [
        Self::Ready,
        Self::Busy,
        Self::NotReady,
        Self::Untrusted,
        Self::Gone,
    ];
}

impl From<DeviceState> for BiometricState {
    fn from(s: DeviceState) -> Self {
        match s {
            DeviceState::Ready => Self::Ready,
            DeviceState::Busy => Self::Busy,
            DeviceState::NotReady => Self::NotReady,
            DeviceState::Untrusted => Self::Untrusted,
        }
    }
}

/// One fingerprint device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct BiometricDevice {
    pub port: u16,
    pub serial: String,
    pub make: String,
    pub model: String,
    pub state: BiometricState,
    pub spec_version: String,
}

impl From<&passport_biometrics::Device> for BiometricDevice {
    fn from(d: &passport_biometrics::Device) -> Self {
        Self {
            port: d.port,
            serial: d.description.serial.clone(),
            make: d.description.make.clone(),
            model: d.description.model.clone(),
            state: d.state.into(),
            spec_version: d.description.spec_version.clone(),
        }
    }
}

/// The devices now, with those that went since the last look shown as
/// `gone` (the status bar's picture; sent as the `biometrics` event).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct BiometricDevices {
    pub devices: Vec<BiometricDevice>,
    /// The ports searched, for "no device on 4501–4600".
    pub first_port: u16,
    pub last_port: u16,
}

/// One capture, for the screen and `counterctl biometrics capture`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FingerCaptureView {
    /// What the application takes (position, quality, PNG in base64).
    pub capture: FingerCaptureDraft,
    pub width: u32,
    pub height: u32,
    /// The office's threshold and retakes: the screen counts attempts.
    pub threshold: u8,
    pub retries: u8,
    pub meets_threshold: bool,
    pub device_serial: String,
    pub port: u16,
}

#[derive(Debug, thiserror::Error)]
pub enum BiometricsError {
    #[error("the biometric device trust store: {0}")]
    TrustStore(#[from] TrustStoreError),
    #[error("no fingerprint device on 127.0.0.1:{first}–{last}")]
    NoDevice { first: u16, last: u16 },
    #[error("{0}")]
    Device(#[from] MdsError),
    #[error("[biometrics] settings out of range")]
    Settings,
    /// A port the window asked for outside `[biometrics]`' range: the IPC
    /// cannot make the core talk to any local service.
    #[error("port {port} is outside the fingerprint devices' range {first}–{last}")]
    PortOutsideRange { port: u16, first: u16, last: u16 },
}

impl BiometricsError {
    /// The error's code (`error_code` words) and its message in both languages.
    pub fn ipc(&self) -> IpcError {
        let (code, pl, en): (&str, String, String) = match self {
            BiometricsError::TrustStore(e) => (
                "biometrics.trust_store",
                format!(
                    "Nie można wczytać certyfikatów dostawców czytników linii papilarnych ({e}). Zgłoś to informatykowi."
                ),
                format!(
                    "The fingerprint device providers' certificates cannot be loaded ({e}). Tell office IT."
                ),
            ),
            BiometricsError::PortOutsideRange { port, first, last } => (
                "biometrics.port_outside_range",
                format!(
                    "Port {port} nie należy do zakresu czytników linii papilarnych ({first}–{last})."
                ),
                format!("Port {port} is outside the fingerprint scanners' range ({first}–{last})."),
            ),
            BiometricsError::NoDevice { first, last } => (
                "biometrics.no_device",
                format!(
                    "Nie znaleziono czytnika linii papilarnych (porty {first}–{last}). Podłącz czytnik i spróbuj ponownie."
                ),
                format!(
                    "No fingerprint scanner found (ports {first}–{last}). Plug the scanner in and try again."
                ),
            ),
            BiometricsError::Settings => (
                "biometrics.settings",
                "Ustawienia [biometrics] są poza zakresem.".into(),
                "The [biometrics] settings are out of range.".into(),
            ),
            BiometricsError::Device(e) => {
                let (pl, en) = device_words(e);
                (e.code(), pl, en)
            }
        };
        IpcError {
            code: code.into(),
            message: Message::new(pl, en),
            fields: Vec::new(),
        }
    }
}

fn device_words(e: &MdsError) -> (String, String) {
    match e {
        MdsError::Unreachable { port } | MdsError::Disconnected { port } => (
            format!("Czytnik linii papilarnych (port {port}) został odłączony. Podłącz go ponownie i powtórz pobranie odcisku."),
            format!("The fingerprint scanner (port {port}) was disconnected. Plug it back in and take the finger again."),
        ),
        MdsError::TimedOut { millis, .. } => (
            format!("Czytnik nie odpowiedział w ciągu {} s. Sprawdź czytnik i spróbuj ponownie.", millis.div_ceil(1000)),
            format!("The scanner did not answer within {} s. Check the scanner and try again.", millis.div_ceil(1000)),
        ),
        MdsError::Busy => (
            "Czytnik jest zajęty innym pobraniem. Poczekaj chwilę i spróbuj ponownie.".into(),
            "The scanner is busy with another capture. Wait a moment and try again.".into(),
        ),
        MdsError::NotReady => (
            "Czytnik nie jest gotowy. Sprawdź jego podłączenie.".into(),
            "The scanner is not ready. Check its connection.".into(),
        ),
        MdsError::Device { code, .. } => (
            format!("Czytnik odmówił pobrania (błąd {code}). Połóż palec ponownie."),
            format!("The scanner refused the capture (error {code}). Place the finger again."),
        ),
        MdsError::Signature(_) => (
            "Podpis czytnika jest nieprawidłowy albo czytnik nie jest zaufany: odcisk odrzucono. Zgłoś to informatykowi.".into(),
            "The scanner's signature is wrong or the scanner is not trusted: the capture was refused. Tell office IT.".into(),
        ),
        MdsError::Image(_) => (
            "Obraz odcisku jest nieczytelny lub pusty. Pobierz odcisk ponownie.".into(),
            "The fingerprint image is unreadable or blank. Take the finger again.".into(),
        ),
        MdsError::TooLarge { .. }
        | MdsError::Status { .. }
        | MdsError::Malformed(_)
        | MdsError::OutOfRange { .. }
        | MdsError::Mismatch(_) => (
            "Czytnik przysłał nieprawidłową odpowiedź: odcisk odrzucono. Spróbuj ponownie, a jeśli się powtórzy, zgłoś to informatykowi.".into(),
            "The scanner sent a malformed answer: the capture was refused. Try again; if it happens again, tell office IT.".into(),
        ),
    }
}

/// The client for this counter's settings and trust store.
pub fn client(cfg: &Resolved) -> Result<MdsClient, BiometricsError> {
    let trust = TrustStore::load(&cfg.biometrics.trust_store_path(&cfg.data_dir))?;
    Ok(MdsClient::new(cfg.biometrics.options()?, trust)?)
}

/// `[biometrics]`' port range; the settings' check keeps both within
/// 1024–65535, so a port outside u16 is the settings' error, not a port.
fn port_range(cfg: &Resolved) -> Result<(u16, u16), BiometricsError> {
    let port = |p: u32| u16::try_from(p).map_err(|_| BiometricsError::Settings);
    Ok((
        port(cfg.biometrics.first_port)?,
        port(cfg.biometrics.last_port)?,
    ))
}

/// The fingerprint devices on the port range now.
pub async fn biometric_devices(cfg: &Resolved) -> Result<BiometricDevices, BiometricsError> {
    let client = client(cfg)?;
    let (first_port, last_port) = port_range(cfg)?;
    Ok(BiometricDevices {
        devices: client
            .discover()
            .await
            .iter()
            .map(BiometricDevice::from)
            .collect(),
        first_port,
        last_port,
    })
}

/// One capture of `finger` on the device at `port`, or on the first ready
/// device found. Below the threshold it is still returned (the screen
/// shows the quality and offers a retake); a device failure is an error.
pub async fn capture_finger(
    cfg: &Resolved,
    finger: FingerPosition,
    port: Option<u16>,
) -> Result<FingerCaptureView, BiometricsError> {
    let client = client(cfg)?;
    let policy = cfg.biometrics.policy()?;
    let (first, last) = port_range(cfg)?;
    let (port, device_id) = match port {
        Some(p) if !(first..=last).contains(&p) => {
            return Err(BiometricsError::PortOutsideRange {
                port: p,
                first,
                last,
            });
        }
        Some(p) => {
            let found = client.device_info(p).await?;
            let d = found
                .first()
                .ok_or(BiometricsError::NoDevice { first: p, last: p })?;
            (p, d.device_id.clone())
        }
        None => {
            let devices = client.discover().await;
            let ready = devices.iter().find(|d| d.state == DeviceState::Ready);
            match (ready, devices.first()) {
                (Some(d), _) => (d.port, d.description.device_id.clone()),
                (None, Some(d)) => {
                    return Err(BiometricsError::Device(match d.state {
                        DeviceState::Busy => MdsError::Busy,
                        DeviceState::Untrusted => {
                            MdsError::Signature(passport_biometrics::SignatureError::Untrusted(
                                d.description.serial.clone(),
                            ))
                        }
                        DeviceState::NotReady | DeviceState::Ready => MdsError::NotReady,
                    }));
                }
                (None, None) => return Err(BiometricsError::NoDevice { first, last }),
            }
        }
    };
    let c = client
        .capture(port, &device_id, finger, policy.threshold)
        .await?;
    Ok(FingerCaptureView {
        capture: c.to_draft(),
        width: c.image.width(),
        height: c.image.height(),
        threshold: policy.threshold,
        retries: policy.retries,
        meets_threshold: c.quality.get() >= policy.threshold,
        device_serial: c.serial,
        port,
    })
}

/// The background look at the port range: every `interval`, a discovery
/// round; when anything changed, `on_change` gets the picture (devices
/// that went are listed once as `gone`). The caller spawns the returned
/// future on its runtime (the app's) and it runs until dropped.
pub fn biometric_watch(
    cfg: &Resolved,
    interval: Duration,
    on_change: impl Fn(BiometricDevices) + Send + 'static,
) -> Result<impl std::future::Future<Output = ()> + Send + 'static, BiometricsError> {
    let client = client(cfg)?;
    let (first_port, last_port) = port_range(cfg)?;
    Ok(async move {
        let mut watch = DeviceWatch::new();
        let mut first = true;
        loop {
            let (devices, events) = watch.poll(&client).await;
            if first || !events.is_empty() {
                let mut view: Vec<BiometricDevice> =
                    devices.iter().map(BiometricDevice::from).collect();
                for e in &events {
                    if let DeviceEvent::Gone { port, serial } = e {
                        view.push(BiometricDevice {
                            port: *port,
                            serial: serial.clone(),
                            make: String::new(),
                            model: String::new(),
                            state: BiometricState::Gone,
                            spec_version: String::new(),
                        });
                    }
                }
                on_change(BiometricDevices {
                    devices: view,
                    first_port,
                    last_port,
                });
                first = false;
            }
            tokio::time::sleep(interval).await;
        }
    })
}

impl crate::Counter {
    /// [`biometric_devices`] for this counter's settings.
    pub async fn biometric_devices(&self) -> Result<BiometricDevices, crate::CoreError> {
        Ok(biometric_devices(self.config()).await?)
    }

    /// [`capture_finger`], for a logged-in clerk only: the image is an
    /// applicant's biometric data.
    pub async fn capture_finger(
        &self,
        finger: FingerPosition,
        port: Option<u16>,
    ) -> Result<FingerCaptureView, crate::CoreError> {
        self.clerk()?;
        Ok(capture_finger(self.config(), finger, port).await?)
    }
}

/// One frame of a device's live preview (STREAM), checked as a JPEG, for
/// the screen: a `data:` URL an `<img>` shows as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PreviewFrame {
    pub finger: FingerPosition,
    pub port: u16,
    /// `data:image/jpeg;base64,…`
    pub data_url: String,
    pub width: u16,
    pub height: u16,
}

/// How a preview ended: the screen shows a calm state for each, never an
/// error (the capture does not need the preview).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PreviewEnd {
    /// The clerk left the finger, or the capture took its image.
    Stopped,
    /// The device ended the stream, or its time was up.
    Finished,
    /// No bytes from the device for a while.
    Stalled,
    /// The device was unplugged or its service stopped.
    Gone,
    /// The device is busy (another capture).
    Busy,
    /// The device offers no STREAM (an error, or no frames).
    NotOffered,
    /// The device sent something that is not a JPEG preview.
    BadFrame,
    /// No ready device on the port range, or the port asked for is
    /// outside it (the window cannot make the core stream from any local
    /// service).
    NoDevice,
}

/// What the screen hears while the clerk is on a finger (the app's
/// `biometric_preview` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PreviewEvent {
    Frame(PreviewFrame),
    Ended {
        finger: FingerPosition,
        end: PreviewEnd,
    },
}

/// The preview's bounds: five frames a second at most, a frame no larger
/// than a finger image may be, a minute at most (the screen asks again
/// for the next finger or a retake).
pub const PREVIEW_LIMITS: StreamLimits = StreamLimits {
    part_max: 512 * 1024,
    min_interval: Duration::from_millis(200),
    total: Duration::from_secs(60),
    stall: Duration::from_secs(3),
};

/// The largest preview frame's side in pixels.
const PREVIEW_SIDE_MAX: usize = 2000;

/// A frame's size if it is a JPEG: the markers, then the header decoded
/// (zune-jpeg, strict, size bounded); the pixels are the webview's job.
pub fn preview_jpeg_size(bytes: &[u8]) -> Option<(u16, u16)> {
    use zune_jpeg::JpegDecoder;
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::options::DecoderOptions;
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || !bytes.ends_with(&[0xFF, 0xD9]) {
        return None;
    }
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(PREVIEW_SIDE_MAX)
        .set_max_height(PREVIEW_SIDE_MAX);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().ok()?;
    let info = decoder.info()?;
    (info.width > 0 && info.height > 0).then_some((info.width, info.height))
}

impl From<StreamEnd> for PreviewEnd {
    fn from(e: StreamEnd) -> Self {
        match e {
            StreamEnd::Finished | StreamEnd::TimeLimit => Self::Finished,
            StreamEnd::Stalled => Self::Stalled,
            StreamEnd::Gone { .. } => Self::Gone,
            StreamEnd::Refused(_) => Self::BadFrame,
        }
    }
}

impl From<&MdsError> for PreviewEnd {
    fn from(e: &MdsError) -> Self {
        match e {
            e if e.is_gone() => Self::Gone,
            MdsError::TimedOut { .. } => Self::Stalled,
            MdsError::Busy => Self::Busy,
            _ => Self::NotOffered,
        }
    }
}

/// The live preview of `finger` on the device at `port` (or the first
/// ready one) while the clerk is on that finger: each frame, checked as a
/// JPEG, goes to `on_frame`; it runs until `stop` completes (the clerk
/// left the finger, or the capture ended), the device ends the stream, or
/// [`PREVIEW_LIMITS`] end it. Never an error: the capture goes on without
/// a preview, and the end says why there is none.
pub async fn run_preview(
    cfg: &Resolved,
    finger: FingerPosition,
    port: Option<u16>,
    limits: StreamLimits,
    stop: impl std::future::Future<Output = ()>,
    mut on_frame: impl FnMut(PreviewFrame),
) -> PreviewEnd {
    use base64::Engine;
    let (Ok(client), Ok((first, last))) = (client(cfg), port_range(cfg)) else {
        return PreviewEnd::NotOffered;
    };
    let run = async {
        let (port, device) = match port {
            Some(p) if !(first..=last).contains(&p) => return PreviewEnd::NoDevice,
            Some(p) => match client.device_info(p).await {
                Ok(found) => match found.into_iter().next() {
                    Some(d) => (p, d),
                    None => return PreviewEnd::NoDevice,
                },
                Err(e) => return PreviewEnd::from(&e),
            },
            None => match client
                .discover()
                .await
                .into_iter()
                .find(|d| d.state == DeviceState::Ready)
            {
                Some(d) => (d.port, d.description),
                None => return PreviewEnd::NoDevice,
            },
        };
        let mut preview = match client
            .stream(port, &device.serial, &device.device_id, limits)
            .await
        {
            Ok(p) => p,
            Err(e) => return PreviewEnd::from(&e),
        };
        loop {
            match preview.next_frame().await {
                Ok(jpeg) => {
                    let Some((width, height)) = preview_jpeg_size(&jpeg) else {
                        return PreviewEnd::BadFrame;
                    };
                    let b64 = base64::engine::general_purpose::STANDARD.encode(&jpeg);
                    on_frame(PreviewFrame {
                        finger,
                        port,
                        data_url: format!("data:image/jpeg;base64,{b64}"),
                        width,
                        height,
                    });
                }
                Err(end) => return PreviewEnd::from(end),
            }
        }
    };
    tokio::select! {
        end = run => end,
        () = stop => PreviewEnd::Stopped,
    }
}

impl crate::Counter {
    /// [`run_preview`] with [`PREVIEW_LIMITS`], for a logged-in clerk only
    /// (the frames are an applicant's finger).
    pub async fn biometric_preview(
        &self,
        finger: FingerPosition,
        port: Option<u16>,
        stop: impl std::future::Future<Output = ()>,
        on_frame: impl FnMut(PreviewFrame),
    ) -> Result<PreviewEnd, crate::CoreError> {
        self.clerk()?;
        Ok(run_preview(self.config(), finger, port, PREVIEW_LIMITS, stop, on_frame).await)
    }
}
