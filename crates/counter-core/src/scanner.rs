//! The applicant's photo from a flatbed scanner, through SANE (the Linux
//! scanner standard) by its own front-end, `scanimage` from Debian's
//! `sane-utils`: every SANE backend (USB, network, eSCL/AirScan, and the
//! `test` backend the tests and the demo use) without linking libsane.
//!
//! `scanimage` is outside input like any device: it runs as a child process
//! with a time-out (killed by its pid when it runs over, and reaped), its
//! output is read to a cap and the process killed when it goes beyond, and
//! what it printed is parsed into types with every field bounded. The scan
//! is a PNG that is decoded here with the image's size checked before any
//! pixel is allocated.
//!
//! The clerk lays the printed photo on the glass, scans, and places a
//! 35×45 frame over the preview ([`CropFrame`], in millimetres of the
//! glass); the crop is cut here from the scan kept in [`Scans`] (the window
//! never sends an image back) and goes through the same photo checks as a
//! file ([`passport_domain::photo::validate`]: decoded, size, proportions,
//! not blank).

use crate::config::ConfigError;
pub use crate::demo::write_sane_test_config;
use crate::{CoreError, Counter, limits};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_domain::photo::{PhotoRules, validate};
use passport_domain::{FieldError, ValidationErrors};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Where a scanner problem is shown: at the scanner's control.
pub const FIELD: &str = "scanner";
/// The photo's proportions: 35 mm wide, 45 mm high.
pub const PHOTO_WIDTH_MM: f64 = 35.0;
pub const PHOTO_HEIGHT_MM: f64 = 45.0;
/// The largest scan read from `scanimage` (a PNG): 100×130 mm at 600 dpi in
/// colour is ~15 MB raw and less as PNG.
pub const MAX_SCAN_BYTES: usize = 32 << 20;
/// The largest scan decoded, in pixels (width × height), checked from the
/// PNG's header before decoding: 3 bytes a pixel is 72 MB at most.
pub const MAX_SCAN_PIXELS: u64 = 24_000_000;
/// What `scanimage -f` prints per device is a line; more devices than this,
/// or a longer listing, is not a listing.
const MAX_LIST_BYTES: usize = 64 * 1024;
const MAX_DEVICES: usize = 32;
/// Error output kept for the message and the log.
const MAX_STDERR_BYTES: usize = 16 * 1024;
/// The preview's height in pixels: enough to place the frame on screen.
const PREVIEW_HEIGHT: u32 = 640;

/// `[scanner]` in `config.toml`: the flatbed scanner the photo is taken
/// from through SANE (not the hand-held code reader of `[policy]
/// scanner_prefix`). An absent key is its default (400 dpi, 80×100 mm); a
/// present one is range-checked when the file is loaded
/// ([`check_settings`]), so a scan is never asked for that could not
/// become a photo or that the core would refuse to decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScannerSettings {
    /// The scan's resolution in dots per inch (`--resolution`).
    pub resolution_dpi: u32,
    /// The part of the glass scanned, from its top-left corner, in whole
    /// millimetres (`-x`, `-y`).
    pub area_width_mm: u32,
    pub area_height_mm: u32,
}

impl Default for ScannerSettings {
    fn default() -> Self {
        Self {
            resolution_dpi: 400,
            area_width_mm: 80,
            area_height_mm: 100,
        }
    }
}

type Limit = (
    &'static str,
    u32,
    u32,
    &'static str,
    fn(&ScannerSettings) -> u32,
);

/// Every number of `[scanner]`, its range and its unit. The resolution:
/// from 360 dpi, where a 35 mm print is 496 px, just over the photo's
/// 492 px minimum, to 600 dpi, where the 35×45 mm crop is 2.6 MB of pixels,
/// well within the photo's 5 MB. The area: at least one photo (35×45 mm),
/// at most an A4 flatbed's glass (216×297 mm).
pub const SCANNER_LIMITS: &[Limit] = &[
    ("resolution_dpi", 360, 600, "dpi", |s| s.resolution_dpi),
    ("area_width_mm", 35, 216, "mm", |s| s.area_width_mm),
    ("area_height_mm", 45, 297, "mm", |s| s.area_height_mm),
];

impl ScannerSettings {
    /// The scan's size in pixels at this resolution.
    pub fn scan_pixels(&self) -> u64 {
        let px = |mm: u32| (u64::from(mm) * u64::from(self.resolution_dpi) * 10 + 127) / 254;
        px(self.area_width_mm) * px(self.area_height_mm)
    }
}

/// Checks `[scanner]` (`path` names the file in errors): each number in
/// its range, and the scan they make together within what the core
/// decodes ([`MAX_SCAN_PIXELS`]).
pub fn check_settings(s: &ScannerSettings, path: &Path) -> Result<(), ConfigError> {
    for (name, min, max, unit, get) in SCANNER_LIMITS {
        let value = get(s);
        if !(*min..=*max).contains(&value) {
            return Err(ConfigError::ScannerOutOfRange {
                path: path.display().to_string(),
                setting: format!("scanner.{name}"),
                value,
                min: *min,
                max: *max,
                unit,
            });
        }
    }
    let pixels = s.scan_pixels();
    if pixels > MAX_SCAN_PIXELS {
        return Err(ConfigError::ScanTooLarge {
            path: path.display().to_string(),
            dpi: s.resolution_dpi,
            width_mm: s.area_width_mm,
            height_mm: s.area_height_mm,
            pixels,
            max: MAX_SCAN_PIXELS,
        });
    }
    Ok(())
}

/// How the scanner is reached.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannerConfig {
    /// The front-end (`scanimage` on the PATH).
    pub program: PathBuf,
    /// SANE's configuration directory (`SANE_CONFIG_DIR` for the child
    /// only), when not the system's `/etc/sane.d`: the demo's and the
    /// tests' enable the `test` backend there, so no root edit is needed.
    pub sane_config_dir: Option<PathBuf>,
    /// Resolution of the scan. 35 mm at 400 dpi is 551 px: above the
    /// photo's 492 px minimum, with room for a frame a little smaller.
    pub dpi: u32,
    /// The part of the glass scanned, from its top-left corner (`-x`, `-y`
    /// in mm): a printed photo laid in the corner, not the whole A4 bed.
    pub area_mm: (f64, f64),
    /// Listing devices (network discovery can take seconds) and scanning.
    pub list_timeout: Duration,
    pub scan_timeout: Duration,
    /// The most bytes of a scan read (a PNG).
    pub max_scan_bytes: usize,
}

impl ScannerConfig {
    /// The front-end's defaults with the office's `[scanner]` settings.
    pub fn with_settings(s: &ScannerSettings) -> Self {
        Self {
            program: PathBuf::from("scanimage"),
            sane_config_dir: None,
            dpi: s.resolution_dpi,
            area_mm: (f64::from(s.area_width_mm), f64::from(s.area_height_mm)),
            list_timeout: Duration::from_secs(20),
            scan_timeout: Duration::from_secs(120),
            max_scan_bytes: MAX_SCAN_BYTES,
        }
    }
}

impl Default for ScannerConfig {
    /// `[scanner]`'s defaults: 400 dpi, 80×100 mm.
    fn default() -> Self {
        Self::with_settings(&ScannerSettings::default())
    }
}

/// One scanner SANE found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScannerDevice {
    /// SANE's device name (`test:0`, `airscan:e0:Canon …`): what a scan names.
    pub name: String,
    pub vendor: String,
    pub model: String,
    /// `flatbed scanner`, `virtual device` …
    pub kind: String,
}

/// Where the photo is cut from the scan: its top-left corner and its width
/// in millimetres of the glass; the height follows from 35×45.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct CropFrame {
    pub x_mm: f64,
    pub y_mm: f64,
    pub width_mm: f64,
}

impl CropFrame {
    pub fn height_mm(&self) -> f64 {
        self.width_mm * PHOTO_HEIGHT_MM / PHOTO_WIDTH_MM
    }
}

/// A scan as the window shows it: a preview to place the frame on, the
/// glass's size in mm, and where the frame starts.
#[derive(Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScanView {
    /// A PNG, at most [`PREVIEW_HEIGHT`] high, in base64.
    pub preview_base64: String,
    pub width_mm: f64,
    pub height_mm: f64,
    pub dpi: u32,
    /// 35×45 mm at the top-left corner, where the photo is laid.
    pub frame: CropFrame,
}

/// The photo cut from the scan, ready to be the application's photo.
#[derive(Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScannedPhoto {
    /// A PNG in base64.
    pub base64: String,
    pub width: u32,
    pub height: u32,
}

passport_domain::personal_data_debug!(ScanView);
passport_domain::personal_data_debug!(ScannedPhoto);

/// A scan, decoded: 8-bit RGB rows.
#[derive(Clone)]
pub struct Scan {
    width: u32,
    height: u32,
    dpi: u32,
    rgb: Vec<u8>,
}

passport_domain::personal_data_debug!(Scan);

/// The last scan of this window, which the frame is cut from. Held by the
/// app (one per window), not by the core: it is the window's work in hand.
#[derive(Debug, Default)]
pub struct Scans(Mutex<Option<Scan>>);

impl Scans {
    fn put(&self, scan: Scan) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(scan);
    }

    fn get(&self) -> Option<Scan> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Forgets the scan (the photo was taken, or the clerk left).
    pub fn clear(&self) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

/// Why there is no scan.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ScanError {
    #[error("scanimage is not installed ({0})")]
    NotInstalled(String),
    #[error("scanimage ran over {0:?} and was stopped")]
    TimedOut(Duration),
    #[error("scanimage printed more than {0} bytes")]
    TooLarge(usize),
    #[error("scanimage failed: {0}")]
    Failed(String),
    #[error("no scanner is connected")]
    NoScanner,
    #[error("the scan is not a readable PNG: {0}")]
    BadImage(String),
    #[error("no scan to cut the photo from")]
    NoScan,
    #[error("the frame is outside the scan")]
    FrameOutside,
}

impl From<ScanError> for CoreError {
    fn from(e: ScanError) -> Self {
        use ScanError as E;
        let (code, pl, en) = match &e {
            E::NotInstalled(_) => (
                "scanner.not_installed",
                "Brak programu do skanowania (pakiet sane-utils) — zgłoś to informatykowi urzędu; zdjęcie można wczytać z pliku.".to_owned(),
                "The scanning program is missing (the sane-utils package) — tell office IT; the photo can be taken from a file.".to_owned(),
            ),
            E::TimedOut(t) => (
                "scanner.timeout",
                format!("Skaner nie skończył w {} s i został zatrzymany — sprawdź skaner i spróbuj ponownie.", t.as_secs()),
                format!("The scanner did not finish within {} s and was stopped — check the scanner and try again.", t.as_secs()),
            ),
            E::TooLarge(_) => (
                "scanner.too_large",
                "Skan jest za duży — sprawdź ustawienia skanera (rozdzielczość, obszar).".to_owned(),
                "The scan is too large — check the scanner's settings (resolution, area).".to_owned(),
            ),
            E::Failed(why) => (
                "scanner.failed",
                format!("Skanowanie nie powiodło się: {why}"),
                format!("Scanning failed: {why}"),
            ),
            E::NoScanner => (
                "scanner.none",
                "Nie znaleziono skanera — sprawdź, czy jest włączony i podłączony; zdjęcie można też wczytać z pliku.".to_owned(),
                "No scanner found — check that it is on and connected; the photo can also be taken from a file.".to_owned(),
            ),
            E::BadImage(_) => (
                "scanner.bad_image",
                "Skaner zwrócił nieczytelny obraz — zeskanuj ponownie.".to_owned(),
                "The scanner returned an unreadable image — scan again.".to_owned(),
            ),
            E::NoScan => (
                "scanner.no_scan",
                "Najpierw zeskanuj zdjęcie.".to_owned(),
                "Scan the photo first.".to_owned(),
            ),
            E::FrameOutside => (
                "scanner.frame",
                "Ramka wykracza poza skan — przesuń ją lub zmniejsz.".to_owned(),
                "The frame goes beyond the scan — move it or make it smaller.".to_owned(),
            ),
        };
        tracing::info!(error = %e, code, "scanner");
        CoreError::Invalid(ValidationErrors(vec![FieldError::new(FIELD, code, pl, en)]))
    }
}

/// What a child printed and how it ended.
struct Output {
    stdout: Vec<u8>,
    stderr: String,
    success: bool,
}

/// Reads at most `cap` bytes; `None` when there was more.
async fn read_capped(
    r: Option<impl AsyncRead + Unpin>,
    cap: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    let Some(r) = r else {
        return Ok(Some(Vec::new()));
    };
    let mut buf = Vec::new();
    // One byte over the cap tells "exactly at the cap" from "more".
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    r.take(limit).read_to_end(&mut buf).await?;
    Ok((buf.len() <= cap).then_some(buf))
}

/// Runs `scanimage` with `args`, its output capped at `cap` bytes, killed
/// by its pid when it runs over `timeout` or over the cap.
async fn run(
    cfg: &ScannerConfig,
    args: &[String],
    cap: usize,
    timeout: Duration,
) -> Result<Output, ScanError> {
    let mut cmd = tokio::process::Command::new(&cfg.program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Also when this future is dropped (the window went away).
        .kill_on_drop(true);
    if let Some(dir) = &cfg.sane_config_dir {
        cmd.env("SANE_CONFIG_DIR", dir);
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ScanError::NotInstalled(cfg.program.display().to_string()),
        _ => ScanError::Failed(e.to_string()),
    })?;
    let pid = child.id();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let work = async {
        let (out, err) = tokio::join!(
            read_capped(stdout, cap),
            read_capped(stderr, MAX_STDERR_BYTES)
        );
        (out, err)
    };
    let (out, err) = match tokio::time::timeout(timeout, work).await {
        Ok(v) => v,
        Err(_) => {
            tracing::warn!(?pid, ?timeout, "scanimage ran over its time: killed");
            child.start_kill().ok();
            child.wait().await.ok();
            return Err(ScanError::TimedOut(timeout));
        }
    };
    let out = out.map_err(|e| ScanError::Failed(e.to_string()))?;
    let Some(stdout) = out else {
        tracing::warn!(?pid, cap, "scanimage printed over its cap: killed");
        child.start_kill().ok();
        child.wait().await.ok();
        return Err(ScanError::TooLarge(cap));
    };
    let stderr = err
        .ok()
        .flatten()
        .unwrap_or_else(|| b"(too much error output)".to_vec());
    // Both pipes are closed: the child has ended or is about to.
    let status = match tokio::time::timeout(Duration::from_secs(5), child.wait()).await {
        Ok(s) => s.map_err(|e| ScanError::Failed(e.to_string()))?,
        Err(_) => {
            child.start_kill().ok();
            child.wait().await.ok();
            return Err(ScanError::TimedOut(timeout));
        }
    };
    Ok(Output {
        stdout,
        stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
        success: status.success(),
    })
}

/// One field of a listing line: printable, bounded.
fn listed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Reads `scanimage -f '%d\t%v\t%m\t%t\n'`.
fn parse_list(out: &[u8]) -> Vec<ScannerDevice> {
    String::from_utf8_lossy(out)
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let name = listed(f.next()?);
            let (vendor, model, kind) = (listed(f.next()?), listed(f.next()?), listed(f.next()?));
            (!name.is_empty() && name.len() <= limits::MAX_ID_BYTES).then_some(ScannerDevice {
                name,
                vendor,
                model,
                kind,
            })
        })
        .take(MAX_DEVICES)
        .collect()
}

/// The scanners SANE finds now.
pub async fn list(cfg: &ScannerConfig) -> Result<Vec<ScannerDevice>, ScanError> {
    let args = ["--formatted-device-list=%d\t%v\t%m\t%t%n".to_owned()];
    let out = run(cfg, &args, MAX_LIST_BYTES, cfg.list_timeout).await?;
    if !out.success {
        return Err(ScanError::Failed(first_line(&out.stderr)));
    }
    Ok(parse_list(&out.stdout))
}

fn first_line(s: &str) -> String {
    listed(
        s.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("(no message)"),
    )
}

/// Scans the configured area of `device`'s glass.
pub async fn scan(cfg: &ScannerConfig, device: &str) -> Result<Scan, ScanError> {
    // Passed as one `--device-name=…` argument: a name cannot become an option.
    if device.is_empty()
        || device.len() > limits::MAX_ID_BYTES
        || device.chars().any(char::is_control)
    {
        return Err(ScanError::NoScanner);
    }
    let args = [
        format!("--device-name={device}"),
        "--format=png".to_owned(),
        format!("--resolution={}", cfg.dpi),
        "-x".to_owned(),
        cfg.area_mm.0.to_string(),
        "-y".to_owned(),
        cfg.area_mm.1.to_string(),
    ];
    let out = run(
        cfg,
        &args,
        cfg.max_scan_bytes.min(MAX_SCAN_BYTES),
        cfg.scan_timeout,
    )
    .await?;
    if !out.success {
        return Err(ScanError::Failed(first_line(&out.stderr)));
    }
    decode(&out.stdout, cfg.dpi)
}

/// The scan's pixels, 8-bit RGB; its size checked before they are allocated.
fn decode(png_bytes: &[u8], dpi: u32) -> Result<Scan, ScanError> {
    use png::{ColorType, Decoder, Limits, Transformations};
    let bad = |e: &dyn std::fmt::Display| ScanError::BadImage(e.to_string());
    let info = passport_domain::photo::inspect(png_bytes)
        .filter(|i| i.format == passport_domain::photo::PhotoFormat::Png)
        .ok_or_else(|| bad(&"not a PNG"))?;
    let pixels = u64::from(info.width) * u64::from(info.height);
    if pixels == 0 || pixels > MAX_SCAN_PIXELS {
        return Err(bad(&format!("{}×{} pixels", info.width, info.height)));
    }
    let mut decoder =
        Decoder::new_with_limits(std::io::Cursor::new(png_bytes), Limits { bytes: 16 << 20 });
    decoder.set_transformations(Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| bad(&e))?;
    let (color, _) = reader.output_color_type();
    let channels = match color {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(bad(&"indexed colour")),
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let mut rgb = Vec::with_capacity(w * h * 3);
    while let Some(row) = reader.next_row().map_err(|e| bad(&e))? {
        for px in row.data().chunks_exact(channels) {
            match *px {
                [g] | [g, _] => rgb.extend_from_slice(&[g, g, g]),
                [r, g, b] | [r, g, b, _] => rgb.extend_from_slice(&[r, g, b]),
                _ => {}
            }
        }
    }
    if rgb.len() != w * h * 3 {
        return Err(bad(&"truncated"));
    }
    Ok(Scan {
        width: info.width,
        height: info.height,
        dpi,
        rgb,
    })
}

fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>, CoreError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let internal = |e: png::EncodingError| CoreError::Internal(format!("scan PNG: {e}"));
    let mut writer = enc.write_header().map_err(internal)?;
    writer.write_image_data(rgb).map_err(internal)?;
    writer.finish().map_err(internal)?;
    Ok(out)
}

impl Scan {
    pub fn width_mm(&self) -> f64 {
        f64::from(self.width) * 25.4 / f64::from(self.dpi)
    }

    pub fn height_mm(&self) -> f64 {
        f64::from(self.height) * 25.4 / f64::from(self.dpi)
    }

    pub fn size_px(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// A smaller copy (every n-th pixel) for the screen.
    pub fn preview_png(&self) -> Result<Vec<u8>, CoreError> {
        let step = self.height.div_ceil(PREVIEW_HEIGHT).max(1) as usize;
        let (w, h) = (self.width as usize, self.height as usize);
        let (pw, ph) = (w.div_ceil(step), h.div_ceil(step));
        let mut out = Vec::with_capacity(pw * ph * 3);
        for y in (0..h).step_by(step) {
            for x in (0..w).step_by(step) {
                let i = (y * w + x) * 3;
                out.extend_from_slice(&self.rgb[i..i + 3]);
            }
        }
        // ≤ the scan's own u32 sizes.
        encode_rgb(pw as u32, ph as u32, &out)
    }

    /// The frame's pixels as a PNG, at the scan's resolution.
    pub fn crop_png(&self, f: &CropFrame) -> Result<(Vec<u8>, u32, u32), ScanError> {
        let ok = |v: f64| v.is_finite() && v >= 0.0;
        if !ok(f.x_mm) || !ok(f.y_mm) || !ok(f.width_mm) || f.width_mm < 1.0 {
            return Err(ScanError::FrameOutside);
        }
        let px = |mm: f64| (mm * f64::from(self.dpi) / 25.4).round();
        let (x, y, w) = (px(f.x_mm), px(f.y_mm), px(f.width_mm));
        let h = (w * PHOTO_HEIGHT_MM / PHOTO_WIDTH_MM).round();
        // A frame just over the edge by rounding is the edge.
        let slack = 1.0;
        if x + w > f64::from(self.width) + slack || y + h > f64::from(self.height) + slack {
            return Err(ScanError::FrameOutside);
        }
        // Within the scan's u32 sizes (checked just above).
        let (x, y) = (x as usize, y as usize);
        let w = (w as usize).min(self.width as usize - x.min(self.width as usize));
        let h = (h as usize).min(self.height as usize - y.min(self.height as usize));
        if w == 0 || h == 0 {
            return Err(ScanError::FrameOutside);
        }
        let sw = self.width as usize;
        let mut rgb = Vec::with_capacity(w * h * 3);
        for row in y..y + h {
            let start = (row * sw + x) * 3;
            rgb.extend_from_slice(&self.rgb[start..start + w * 3]);
        }
        let png =
            encode_rgb(w as u32, h as u32, &rgb).map_err(|e| ScanError::BadImage(e.to_string()))?;
        Ok((png, w as u32, h as u32))
    }
}

/// Cuts the photo and checks it as the application will: errors at `photo`.
pub fn photo_from_scan(scan: &Scan, frame: &CropFrame) -> Result<ScannedPhoto, CoreError> {
    let (png, width, height) = scan.crop_png(frame)?;
    validate(&png, &PhotoRules::default(), "photo")
        .map_err(|e| CoreError::Invalid(ValidationErrors(e)))?;
    Ok(ScannedPhoto {
        base64: BASE64.encode(png),
        width,
        height,
    })
}

impl Counter {
    /// How this counter reaches its scanner: the system's SANE, or in demo
    /// mode SANE's `test` backend configured in the data directory; the
    /// resolution and the area from `[scanner]`.
    pub fn scanner_config(&self) -> ScannerConfig {
        ScannerConfig {
            sane_config_dir: self.demo_sane_dir(),
            ..ScannerConfig::with_settings(&self.inner.cfg.scanner)
        }
    }

    /// The scanners SANE finds now (for the logged-in clerk).
    pub async fn scanners(&self) -> Result<Vec<ScannerDevice>, CoreError> {
        self.clerk()?;
        Ok(list(&self.scanner_config()).await?)
    }

    /// Scans `device`'s glass; the scan is kept in `scans` for the crop.
    pub async fn scan(&self, scans: &Scans, device: &str) -> Result<ScanView, CoreError> {
        self.clerk()?;
        limits::id("device", device)?;
        // Only a scanner SANE lists now: the window cannot make scanimage
        // open any device name it likes (IPC is hostile).
        let cfg = self.scanner_config();
        if !list(&cfg).await?.iter().any(|d| d.name == device) {
            return Err(ScanError::NoScanner.into());
        }
        let s = scan(&cfg, device).await?;
        let view = ScanView {
            preview_base64: BASE64.encode(s.preview_png()?),
            width_mm: s.width_mm(),
            height_mm: s.height_mm(),
            dpi: s.dpi,
            frame: CropFrame {
                x_mm: 0.0,
                y_mm: 0.0,
                width_mm: PHOTO_WIDTH_MM.min(s.width_mm()),
            },
        };
        scans.put(s);
        Ok(view)
    }

    /// Cuts the photo at `frame` from the last scan and checks it.
    pub fn crop_scan(&self, scans: &Scans, frame: &CropFrame) -> Result<ScannedPhoto, CoreError> {
        self.clerk()?;
        let scan = scans.get().ok_or(ScanError::NoScan)?;
        photo_from_scan(&scan, frame)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use super::*;

    #[test]
    fn a_listing_is_read_bounded() {
        let out = b"test:0\tNoname\tfrontend-tester\tvirtual device\n\
                    bad\n\
                    \tNoname\tx\ty\n\
                    test:1\tNo\x07name\tfrontend-tester\tvirtual device\n";
        let d = parse_list(out);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].name, "test:0");
        assert_eq!(d[1].vendor, "Noname");
        let flood: Vec<u8> = b"a\tb\tc\td\n".repeat(1000);
        assert_eq!(parse_list(&flood).len(), MAX_DEVICES);
    }

    fn scan_of(w: u32, h: u32, dpi: u32) -> Scan {
        let mut rgb = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let v = ((x / 7 + y / 5) % 200) as u8 + 20;
                rgb.extend_from_slice(&[v, v / 2, 255 - v]);
            }
        }
        Scan {
            width: w,
            height: h,
            dpi,
            rgb,
        }
    }

    #[test]
    fn the_frame_is_cut_at_its_place_in_35_by_45() {
        let s = scan_of(1260, 1575, 400); // 80×100 mm at 400 dpi
        let f = CropFrame {
            x_mm: 10.0,
            y_mm: 20.0,
            width_mm: 35.0,
        };
        let p = photo_from_scan(&s, &f).unwrap();
        assert_eq!((p.width, p.height), (551, 708));
        let too_far = CropFrame { x_mm: 50.0, ..f };
        assert_eq!(s.crop_png(&too_far).unwrap_err(), ScanError::FrameOutside);
        for bad in [f64::NAN, -1.0, f64::INFINITY] {
            assert_eq!(
                s.crop_png(&CropFrame { x_mm: bad, ..f }).unwrap_err(),
                ScanError::FrameOutside
            );
            assert_eq!(
                s.crop_png(&CropFrame { width_mm: bad, ..f }).unwrap_err(),
                ScanError::FrameOutside
            );
        }
        // Too small a frame is the photo's own error, at the photo.
        let small = CropFrame {
            width_mm: 20.0,
            ..f
        };
        match photo_from_scan(&s, &small).unwrap_err() {
            CoreError::Invalid(v) => assert_eq!(
                (v.0[0].path.as_str(), v.0[0].code.as_str()),
                ("photo", "photo.resolution")
            ),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_scan_that_is_not_a_png_or_too_big_is_refused_before_decoding() {
        assert!(matches!(
            decode(b"not a png", 400),
            Err(ScanError::BadImage(_))
        ));
        let mut header = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        header.extend_from_slice(&60000u32.to_be_bytes());
        header.extend_from_slice(&60000u32.to_be_bytes());
        header.extend_from_slice(&[8, 2, 0, 0, 0]);
        assert!(matches!(decode(&header, 400), Err(ScanError::BadImage(_))));
    }
}
