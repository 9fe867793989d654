//! Talking to devices: MDS methods over HTTP on 127.0.0.1, each with a
//! time-out and its answer bounded before it is read; discovery across
//! the port range with bounded concurrency; capture of one finger.

use crate::error::MdsError;
use crate::jws::TrustStore;
use crate::stream::{MultipartParser, PreviewStream, StreamLimits};
use crate::wire::{self, DeviceCapture, DeviceDescription, DeviceStatus, Expected};
use passport_domain::biometrics::FingerPosition;
use reqwest::Method;
use serde::Serialize;
use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// How discovery and capture behave; the counter's `[biometrics]`.
#[derive(Debug, Clone)]
pub struct MdsOptions {
    /// Ports on 127.0.0.1 to look for devices on (MDS: 4501–4600).
    pub ports: RangeInclusive<u16>,
    /// A port with nothing behind it refuses at once; this bounds a port
    /// that accepts and never answers.
    pub connect_timeout: Duration,
    /// Discovery and device info, each.
    pub answer_timeout: Duration,
    /// One RCAPTURE: the device waits for a finger, then answers.
    pub capture_timeout: Duration,
    /// Ports asked at once during discovery.
    pub concurrency: usize,
    /// `env` sent in a capture request.
    pub env: String,
}

impl Default for MdsOptions {
    fn default() -> Self {
        Self {
            ports: 4501..=4600,
            connect_timeout: Duration::from_millis(300),
            answer_timeout: Duration::from_secs(2),
            capture_timeout: Duration::from_secs(20),
            concurrency: 16,
            env: "Developer".into(),
        }
    }
}

/// Answer bounds: discovery and info are small JSON; a capture holds one
/// finger image (the domain's 1 MiB, base64, in a JWS) and its JSON.
const SMALL_ANSWER_MAX: usize = 64 * 1024;
const CAPTURE_ANSWER_MAX: usize = 2 * 1024 * 1024;
/// The app name sent in the `EXT` header, as the specification asks.
const EXT: &str = "passport-counter";

/// A device found on a port, and what the counter makes of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub port: u16,
    pub description: DeviceDescription,
    pub state: DeviceState,
}

/// What the status bar shows for a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    Ready,
    Busy,
    NotReady,
    /// It answers, but its signed device info does not verify against the
    /// trust store: its captures would be refused.
    Untrusted,
}

/// The counter's side of the MDS interface.
#[derive(Debug, Clone)]
pub struct MdsClient {
    http: reqwest::Client,
    options: MdsOptions,
    trust: Arc<TrustStore>,
    transactions: Arc<AtomicU64>,
}

impl MdsClient {
    pub fn new(options: MdsOptions, trust: TrustStore) -> Result<Self, MdsError> {
        let http = reqwest::Client::builder()
            // Devices are on loopback: a proxy from the environment must
            // never see a fingerprint.
            .no_proxy()
            .connect_timeout(options.connect_timeout)
            // Devices answer "Connection: close"; nothing to keep.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| MdsError::Malformed(format!("HTTP client: {e}")))?;
        Ok(Self {
            http,
            options,
            trust: Arc::new(trust),
            transactions: Arc::new(AtomicU64::new(0)),
        })
    }

    pub fn options(&self) -> &MdsOptions {
        &self.options
    }

    /// One MDS method: `method` to `path` on `port` with a JSON `body`; the
    /// answer's bytes, at most `limit` of them, within `timeout`.
    async fn exchange<B: Serialize>(
        &self,
        port: u16,
        method: &'static str,
        path: &str,
        body: &B,
        limit: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, MdsError> {
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|_| MdsError::Malformed("method".into()))?;
        let body = serde_json::to_vec(body).map_err(|e| MdsError::Malformed(e.to_string()))?;
        let millis = timeout.as_millis() as u64;
        let classify = |e: reqwest::Error| {
            if e.is_timeout() {
                MdsError::TimedOut { port, millis }
            } else if e.is_connect() {
                MdsError::Unreachable { port }
            } else {
                MdsError::Disconnected { port }
            }
        };
        let run = async {
            let mut response = self
                .http
                .request(method, format!("http://127.0.0.1:{port}{path}"))
                .header("EXT", EXT)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body)
                .send()
                .await
                .map_err(classify)?;
            if !response.status().is_success() {
                return Err(MdsError::Status {
                    status: response.status().as_u16(),
                });
            }
            if response.content_length().is_some_and(|n| n > limit as u64) {
                return Err(MdsError::TooLarge { limit });
            }
            let mut out = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if out.len() + chunk.len() > limit {
                    return Err(MdsError::TooLarge { limit });
                }
                out.extend_from_slice(&chunk);
            }
            Ok(out)
        };
        // The whole exchange, body included, within the time-out: a device
        // that trickles its answer is no better than a silent one.
        match tokio::time::timeout(timeout, run).await {
            Ok(answer) => answer,
            Err(_elapsed) => Err(MdsError::TimedOut { port, millis }),
        }
    }

    /// MOSIPDISC on one port.
    pub async fn discover_port(&self, port: u16) -> Result<Vec<DeviceDescription>, MdsError> {
        let body = self
            .exchange(
                port,
                "MOSIPDISC",
                "/device",
                &wire::DiscoverRequest { kind: "Finger" },
                SMALL_ANSWER_MAX,
                self.options.answer_timeout,
            )
            .await?;
        wire::parse_discovery(&body)
    }

    /// MOSIPDINFO on one port, signatures verified.
    pub async fn device_info(&self, port: u16) -> Result<Vec<DeviceDescription>, MdsError> {
        let body = self
            .exchange(
                port,
                "MOSIPDINFO",
                "/info",
                &serde_json::Map::new(),
                SMALL_ANSWER_MAX,
                self.options.answer_timeout,
            )
            .await?;
        wire::parse_info(&body, &self.trust, SystemTime::now())
    }

    /// Asks one port what is there: discovery, then the signed device info.
    async fn probe(&self, port: u16) -> Vec<Device> {
        let Ok(found) = self.discover_port(port).await else {
            return Vec::new();
        };
        if found.is_empty() {
            return Vec::new();
        }
        match self.device_info(port).await {
            Ok(infos) => infos
                .into_iter()
                .map(|d| Device {
                    port,
                    state: match d.status {
                        DeviceStatus::Ready => DeviceState::Ready,
                        DeviceStatus::Busy => DeviceState::Busy,
                        DeviceStatus::NotReady | DeviceStatus::NotRegistered => {
                            DeviceState::NotReady
                        }
                    },
                    description: d,
                })
                .collect(),
            Err(e) => {
                let state = match e {
                    MdsError::Busy => DeviceState::Busy,
                    MdsError::NotReady => DeviceState::NotReady,
                    _ => DeviceState::Untrusted,
                };
                found
                    .into_iter()
                    .map(|d| Device {
                        port,
                        description: d,
                        state,
                    })
                    .collect()
            }
        }
    }

    /// Every finger device on the port range, by port. A closed port costs
    /// one refused connect; at most `concurrency` ports are asked at once.
    pub async fn discover(&self) -> Vec<Device> {
        let ports: Vec<u16> = self.options.ports.clone().collect();
        let mut found = Vec::new();
        for batch in ports.chunks(self.options.concurrency.max(1)) {
            let mut set = tokio::task::JoinSet::new();
            for &port in batch {
                let me = self.clone();
                set.spawn(async move { me.probe(port).await });
            }
            while let Some(result) = set.join_next().await {
                if let Ok(devices) = result {
                    found.extend(devices);
                }
            }
        }
        found.sort_by_key(|d| d.port);
        found
    }

    fn transaction_id(&self) -> String {
        let n = self.transactions.fetch_add(1, Ordering::Relaxed);
        let t = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        format!("pc-{t}-{n}")
    }

    /// RCAPTURE of one finger on the device at `port`, asking for
    /// `requested_score`; the answer verified and checked
    /// ([`wire::parse_capture`]).
    pub async fn capture(
        &self,
        port: u16,
        device_id: &str,
        position: FingerPosition,
        requested_score: u8,
    ) -> Result<DeviceCapture, MdsError> {
        let transaction_id = self.transaction_id();
        let previous_hash = wire::empty_hash();
        let timeout = self.options.capture_timeout;
        let request = wire::CaptureRequest {
            env: &self.options.env,
            purpose: "Registration",
            spec_version: "1.0",
            timeout: timeout.as_millis() as u64,
            capture_time: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            transaction_id: &transaction_id,
            bio: [wire::BioRequest {
                kind: "Finger",
                count: 1,
                bio_sub_type: [position.mosip_name()],
                exception: [],
                requested_score: requested_score.min(100),
                device_id,
                device_sub_id: "0",
                previous_hash: &previous_hash,
            }],
            custom_opts: None,
        };
        // The device answers within its time-out "with the best frame";
        // a little more for the answer to travel.
        let body = self
            .exchange(
                port,
                "RCAPTURE",
                "/capture",
                &request,
                CAPTURE_ANSWER_MAX,
                timeout + Duration::from_secs(1),
            )
            .await?;
        wire::parse_capture(
            &body,
            &Expected {
                position,
                transaction_id: &transaction_id,
                previous_hash: &previous_hash,
            },
            &self.trust,
            SystemTime::now(),
        )
    }

    /// STREAM on the device at `port` (`serial` for specVersion 1.0,
    /// `device_id` for 0.9.5): the open preview, or what the device said
    /// instead (a JSON error: busy, not ready, no STREAM). The answer's
    /// headers come within `limits.stall`; the frames within the limits
    /// ([`PreviewStream::next_frame`]).
    pub async fn stream(
        &self,
        port: u16,
        serial: &str,
        device_id: &str,
        limits: StreamLimits,
    ) -> Result<PreviewStream, MdsError> {
        let started = tokio::time::Instant::now();
        let request = wire::StreamRequest {
            serial_no: serial,
            device_id,
            device_sub_id: "0",
            timeout: limits.total.as_millis() as u64,
        };
        let body = serde_json::to_vec(&request).map_err(|e| MdsError::Malformed(e.to_string()))?;
        let method =
            Method::from_bytes(b"STREAM").map_err(|_| MdsError::Malformed("method".into()))?;
        let millis = limits.stall.as_millis() as u64;
        let send = self
            .http
            .request(method, format!("http://127.0.0.1:{port}/stream"))
            .header("EXT", EXT)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send();
        let mut response = match tokio::time::timeout(limits.stall, send).await {
            Err(_) => return Err(MdsError::TimedOut { port, millis }),
            Ok(Err(e)) if e.is_connect() => return Err(MdsError::Unreachable { port }),
            Ok(Err(e)) if e.is_timeout() => return Err(MdsError::TimedOut { port, millis }),
            Ok(Err(_)) => return Err(MdsError::Disconnected { port }),
            Ok(Ok(r)) => r,
        };
        if !response.status().is_success() {
            return Err(MdsError::Status {
                status: response.status().as_u16(),
            });
        }
        // Frames come as multipart; anything else (no content type
        // included) is read below as the device's JSON answer.
        let multipart = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/")
            })
            .map(str::to_owned);
        if let Some(content_type) = multipart {
            let boundary = MultipartParser::boundary_of(&content_type)
                .map_err(|e| MdsError::Malformed(e.to_string()))?;
            let parser = MultipartParser::new(&boundary, limits.part_max)
                .map_err(|e| MdsError::Malformed(e.to_string()))?;
            return Ok(PreviewStream::new(port, response, parser, limits, started));
        }
        // Not frames: the device's JSON error, read bounded.
        let read = async {
            let mut out = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|_| MdsError::Disconnected { port })?
            {
                if out.len() + chunk.len() > SMALL_ANSWER_MAX {
                    return Err(MdsError::TooLarge {
                        limit: SMALL_ANSWER_MAX,
                    });
                }
                out.extend_from_slice(&chunk);
            }
            Ok(out)
        };
        let body = match tokio::time::timeout(limits.stall, read).await {
            Ok(body) => body?,
            Err(_elapsed) => return Err(MdsError::TimedOut { port, millis }),
        };
        Err(wire::stream_refusal(&body))
    }
}
