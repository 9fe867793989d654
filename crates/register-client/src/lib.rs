//! The counter's HTTP client for the central passport register.
//!
//! Every failure is classified: *retryable* (network, time-out, 5xx, 429,
//! 503, a malformed answer) or *final* (409 business rejection, 422
//! validation). Retries back off exponentially with full jitter and a cap,
//! and a `Retry-After` from the register is honoured first. A circuit
//! breaker (closed → open → half-open) turns repeated failures into an
//! "offline" state at once, so the clerk never waits on time-outs; its state
//! and the times of the last contact and of the last successful exchange are
//! observable through [`RegisterClient::status`].
//!
//! Nothing the register sends is trusted to be small: `Retry-After` is read
//! by [`retry_after::parse`] into a wait capped by
//! [`ClientConfig::max_retry_after`], and an answer's body is read only up to
//! [`ClientConfig::max_body_bytes`].
//!
//! The channel ([`tls`]): with [`ClientConfig::tls`] set, the register's CA
//! is pinned and the workstation's certificate presented (mutual TLS); a
//! certificate problem is a retryable [`FailureKind::Channel`] and a state
//! in [`ClientStatus::channel`], never a final refusal of queued work.

mod breaker;
pub mod retry_after;
pub mod tls;

pub use breaker::{BreakerConfig, ConnectionState};
pub use tls::{CertificateInfo, ChannelProblem, TlsSettings};

use breaker::{Breaker, scale};
use chrono::{DateTime, Utc};
use passport_register_contract::{
    ApplicationReceipt, ApplicationStatus, ChainReport, ChainSeen, ClerkAccount, ClerkLogin,
    HandoverReceipt, Health, IDEMPOTENCY_KEY, InvalidateDocument, InvalidationReceipt,
    PersonDocuments, Problem, ReadyDocumentsPage, RecordHandover, SubmitApplication, paths,
};
use rand::Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The register's base URL, e.g. `https://register.example/` (no `/v1`).
    pub base_url: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Back-off: the n-th retry waits up to `min(cap, base · 2ⁿ)`.
    pub backoff_base: Duration,
    /// The longest back-off between retries (default 60 s).
    pub backoff_cap: Duration,
    /// The longest wait a `Retry-After` can impose, jitter included
    /// (default 1 h). A longer one, or a date further ahead, is read as
    /// this: a misbehaving register must not park the counters for longer.
    pub max_retry_after: Duration,
    /// The largest answer body read (default 8 MiB); a longer answer is a
    /// malformed one, so a hostile register cannot exhaust the memory.
    pub max_body_bytes: u64,
    /// Full jitter: wait a random time up to the back-off, not the back-off
    /// itself. Off only to show what lock-step retries do.
    pub jitter: bool,
    /// Wait at least what `Retry-After` says. Off only for the same contrast.
    pub honour_retry_after: bool,
    pub breaker: BreakerConfig,
    /// The channel's trust and identity (see [`tls`]); `None`: plain
    /// reqwest defaults (the demo's `http://127.0.0.1`, and tests).
    pub tls: Option<TlsSettings>,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(15),
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(3600),
            max_body_bytes: 8 * 1024 * 1024,
            jitter: true,
            honour_retry_after: true,
            breaker: BreakerConfig::default(),
            tls: None,
        }
    }
}

/// Why a retryable call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Network,
    Timeout,
    /// 500 and other 5xx but 503.
    Server,
    /// 429: the register is up but over capacity.
    Overloaded,
    /// 503: the register is unavailable.
    Unavailable,
    /// A 2xx whose body could not be read.
    Malformed,
    /// The channel cannot be trusted or the register does not accept this
    /// workstation's certificate (see [`tls`]): retryable, so the queue
    /// waits, but only enrolment or office IT mends it.
    Channel(ChannelProblem),
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{0}")]
    Tls(#[from] tls::TlsError),
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum CallError {
    /// Try again later: nothing final was learned.
    #[error("the register could not be reached ({kind:?}): {message}")]
    Retryable {
        kind: FailureKind,
        status: Option<u16>,
        retry_after: Option<Duration>,
        message: String,
    },
    /// The register refused the request for good (409, 422, other 4xx).
    #[error("the register refused it ({status} {}): {}", problem.code, problem.message)]
    Rejected { status: u16, problem: Problem },
    /// The circuit is open: the register is treated as offline for now.
    #[error("the register is offline; next attempt in {} s", retry_in.as_secs())]
    CircuitOpen { retry_in: Duration },
}

impl CallError {
    pub fn is_final(&self) -> bool {
        matches!(self, CallError::Rejected { .. })
    }
}

/// What the app shows about the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientStatus {
    pub state: ConnectionState,
    /// The last HTTP answer of any kind, a 503 included.
    pub last_contact: Option<DateTime<Utc>>,
    /// The last exchange that showed a working register (an answer the
    /// breaker counts as success: 2xx, a final refusal, 429). What the clerk
    /// is told as "last successful contact": a 503 every few seconds during
    /// an outage is contact, but not this.
    pub last_success: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    /// What is wrong with the channel, since the last call that showed it
    /// (cleared by the next exchange that worked).
    pub channel: Option<ChannelProblem>,
}

#[derive(Debug)]
pub struct RegisterClient {
    http: reqwest::Client,
    config: ClientConfig,
    base: String,
    breaker: Mutex<Breaker>,
    last_contact: Mutex<Option<DateTime<Utc>>>,
    last_success: Mutex<Option<DateTime<Utc>>>,
    /// This workstation's certificate, read at start, for the validity
    /// check before each call.
    identity: Option<CertificateInfo>,
    channel: Mutex<Option<ChannelProblem>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl RegisterClient {
    /// A client for `config`; with [`ClientConfig::tls`], the CA file and
    /// the identity are read now (an unreadable one is an error; an absent
    /// identity is "not enrolled", which the register will confirm).
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("passport-counter/", env!("CARGO_PKG_VERSION")));
        let mut identity = None;
        if let Some(settings) = &config.tls {
            let id = match &settings.identity_dir {
                Some(dir) => tls::load_identity(dir)?,
                None => None,
            };
            if let Some(id) = &id {
                identity = Some(tls::certificate_info(
                    &id.certificate_pem,
                    tls::IDENTITY_CERT_FILE,
                )?);
            }
            match &settings.ca_file {
                Some(ca_file) => {
                    let name = ca_file.display().to_string();
                    let ca = tls::read_pem(ca_file)?.ok_or_else(|| tls::TlsError::Read {
                        path: name.clone(),
                        source: std::io::ErrorKind::NotFound.into(),
                    })?;
                    builder =
                        builder.use_preconfigured_tls(tls::client_config(&ca, id.as_ref(), &name)?);
                }
                None => {
                    if let Some(id) = &id {
                        let pem = format!("{}\n{}", id.key_pem, id.certificate_pem);
                        builder = builder.identity(reqwest::Identity::from_pem(pem.as_bytes())?);
                    }
                }
            }
        }
        let mut client = Self::with_http(config, builder.build()?);
        client.identity = identity;
        Ok(client)
    }

    /// Shares an existing connection pool (many simulated workstations in one process).
    pub fn with_http(config: ClientConfig, http: reqwest::Client) -> Self {
        let base = config.base_url.trim_end_matches('/').to_owned();
        let breaker = Breaker::new(config.breaker.clone());
        Self {
            http,
            config,
            base,
            breaker: Mutex::new(breaker),
            last_contact: Mutex::new(None),
            last_success: Mutex::new(None),
            identity: None,
            channel: Mutex::new(None),
        }
    }

    /// This workstation's certificate as read at start, when enrolled.
    pub fn certificate(&self) -> Option<&CertificateInfo> {
        self.identity.as_ref()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn status(&self) -> ClientStatus {
        let b = lock(&self.breaker);
        ClientStatus {
            state: b.state(),
            last_contact: *lock(&self.last_contact),
            last_success: *lock(&self.last_success),
            consecutive_failures: b.failures(),
            channel: *lock(&self.channel),
        }
    }

    /// How long to wait before retry number `attempt` (0-based) after `err`:
    /// `Retry-After` first, then exponential back-off with full jitter.
    /// Never longer than the larger of `backoff_cap` and `max_retry_after`
    /// (or, for an open circuit, than the breaker's own period).
    pub fn retry_delay(&self, attempt: u32, err: &CallError) -> Duration {
        let exp = self
            .config
            .backoff_base
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.config.backoff_cap);
        let mut rng = rand::rng();
        let backoff = if self.config.jitter {
            scale(exp, rng.random::<f64>())
        } else {
            exp
        };
        match err {
            CallError::CircuitOpen { retry_in } => *retry_in,
            CallError::Retryable {
                retry_after: Some(ra),
                ..
            } if self.config.honour_retry_after => {
                // Not before the register said, and spread over as long again
                // so that everyone told "1 s" does not return in the same instant.
                let ra = (*ra).min(self.config.max_retry_after);
                let u = if self.config.jitter {
                    rng.random::<f64>()
                } else {
                    0.0
                };
                ra.saturating_add(scale(ra, u).max(backoff.min(ra)))
                    .min(self.config.max_retry_after)
            }
            CallError::Retryable {
                retry_after: Some(_),
                ..
            } => self.config.backoff_base.min(self.config.backoff_cap),
            _ => backoff,
        }
    }

    fn admit(&self) -> Result<(), CallError> {
        lock(&self.breaker)
            .admit()
            .map_err(|retry_in| CallError::CircuitOpen { retry_in })
    }

    fn contact(&self) {
        *lock(&self.last_contact) = Some(Utc::now());
    }

    async fn call<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, CallError> {
        self.admit()?;
        let result = self.send::<T>(req).await;
        let mut b = lock(&self.breaker);
        match &result {
            // Overload is an answer from a working register: pace, do not trip.
            Ok(_)
            | Err(CallError::Rejected { .. })
            | Err(CallError::Retryable {
                kind: FailureKind::Overloaded,
                ..
            }) => {
                b.success();
                *lock(&self.last_success) = Some(Utc::now());
                *lock(&self.channel) = None;
            }
            Err(CallError::Retryable {
                kind: FailureKind::Channel(problem),
                ..
            }) => {
                b.failure();
                *lock(&self.channel) = Some(*problem);
            }
            // The register says it is down: believe it at once.
            Err(CallError::Retryable {
                kind: FailureKind::Unavailable,
                retry_after,
                ..
            }) => b.unavailable(*retry_after, self.config.max_retry_after),
            Err(CallError::Retryable { .. }) => b.failure(),
            Err(CallError::CircuitOpen { .. }) => {}
        }
        result
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, CallError> {
        // A certificate out of its validity is not sent to be refused: the
        // state is known here, and the register need not see it.
        if let Some(Err(problem)) = self.identity.as_ref().map(|c| c.validity_at(Utc::now())) {
            return Err(channel_failure(problem, None));
        }
        let resp = req.send().await.map_err(|e| {
            if let Some(problem) = tls::classify(&e) {
                return channel_failure(problem, None);
            }
            CallError::Retryable {
                kind: if e.is_timeout() {
                    FailureKind::Timeout
                } else {
                    FailureKind::Network
                },
                status: None,
                retry_after: None,
                message: e.to_string(),
            }
        })?;
        // Any HTTP answer, even a 503, shows the register is there; only a
        // failed connection or a time-out (above) is no contact.
        self.contact();
        let status = resp.status().as_u16();
        let ra = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| {
                retry_after::parse(v.as_bytes(), Utc::now(), self.config.max_retry_after)
            });
        let bytes = self
            .body(resp)
            .await
            .map_err(|(kind, message)| CallError::Retryable {
                kind,
                status: Some(status),
                retry_after: ra,
                message,
            })?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|e| CallError::Retryable {
                kind: FailureKind::Malformed,
                status: Some(status),
                retry_after: None,
                message: format!("unreadable answer: {e}"),
            });
        }
        let problem = serde_json::from_slice::<Problem>(&bytes).unwrap_or_else(|_| {
            Problem::new(
                "unknown",
                String::from_utf8_lossy(&bytes)
                    .chars()
                    .take(200)
                    .collect::<String>(),
            )
        });
        let retryable = |kind| CallError::Retryable {
            kind,
            status: Some(status),
            retry_after: ra,
            message: problem.message.clone(),
        };
        match (status, problem.code.as_str()) {
            (401, tls::CLIENT_CERTIFICATE_REQUIRED) => {
                return Err(channel_failure(ChannelProblem::NotEnrolled, Some(status)));
            }
            (403, tls::CLIENT_CERTIFICATE_REFUSED) => {
                return Err(channel_failure(
                    ChannelProblem::CertificateRefused,
                    Some(status),
                ));
            }
            _ => {}
        }
        match status {
            429 => Err(retryable(FailureKind::Overloaded)),
            503 => Err(retryable(FailureKind::Unavailable)),
            500..=599 => Err(retryable(FailureKind::Server)),
            _ => Err(CallError::Rejected { status, problem }),
        }
    }

    /// The answer's body, at most `max_body_bytes` of it: a `Content-Length`
    /// above the limit is refused before reading, and a body without one is
    /// read in chunks and refused as soon as it passes the limit.
    async fn body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, (FailureKind, String)> {
        let limit = self.config.max_body_bytes;
        let too_large = || {
            (
                FailureKind::Malformed,
                format!("the answer is larger than {limit} bytes"),
            )
        };
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    let len =
                        u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
                    if len > limit {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => {
                    let kind = if e.is_timeout() {
                        FailureKind::Timeout
                    } else {
                        FailureKind::Network
                    };
                    return Err((kind, e.to_string()));
                }
            }
        }
    }

    /// Enrols this workstation: the register checks the one-time code and
    /// the supervisor, and issues a certificate for the request's key.
    /// Called on a client built without an identity (a workstation being
    /// enrolled has none, or one that no longer works).
    pub async fn enrol(
        &self,
        req: &tls::EnrolmentRequest,
    ) -> Result<tls::EnrolmentAnswer, CallError> {
        self.call(self.http.post(self.url(tls::ENROLMENT_PATH)).json(req))
            .await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn write(&self, path: &str, key: &str, body: &impl Serialize) -> reqwest::RequestBuilder {
        self.http
            .post(self.url(path))
            .header(IDEMPOTENCY_KEY, key)
            .json(body)
    }

    pub async fn health(&self) -> Result<Health, CallError> {
        self.call(self.http.get(self.url(paths::HEALTH))).await
    }

    /// A health probe now, even while the circuit is open (see
    /// the breaker's `probe_now`): one call, whose answer closes or re-opens
    /// the circuit as any probe's does.
    pub async fn probe_now(&self) -> Result<Health, CallError> {
        lock(&self.breaker).probe_now();
        self.health().await
    }

    /// Submits an application; `key` is its journal entry's id.
    pub async fn submit_application(
        &self,
        key: &str,
        req: &SubmitApplication,
    ) -> Result<ApplicationReceipt, CallError> {
        self.call(self.write(paths::APPLICATIONS, key, req)).await
    }

    pub async fn record_handover(
        &self,
        key: &str,
        req: &RecordHandover,
    ) -> Result<HandoverReceipt, CallError> {
        self.call(self.write(paths::HANDOVERS, key, req)).await
    }

    pub async fn invalidate_document(
        &self,
        key: &str,
        req: &InvalidateDocument,
    ) -> Result<InvalidationReceipt, CallError> {
        self.call(self.write(paths::INVALIDATIONS, key, req)).await
    }

    pub async fn application_status(&self, number: &str) -> Result<ApplicationStatus, CallError> {
        self.call(self.http.get(self.url(&paths::application(number))))
            .await
    }

    /// One page of the office's ready list, after `cursor`.
    pub async fn ready_documents(
        &self,
        office: &str,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<ReadyDocumentsPage, CallError> {
        let mut req = self
            .http
            .get(self.url(&paths::ready_documents(office)))
            .query(&[("limit", limit.to_string())]);
        if let Some(c) = cursor {
            req = req.query(&[("cursor", c)]);
        }
        self.call(req).await
    }

    /// Asks the register whether a clerk's password is right. A wrong one is
    /// `Rejected` with status 401 (`codes::INVALID_CREDENTIALS`).
    pub async fn clerk_login(&self, req: &ClerkLogin) -> Result<ClerkAccount, CallError> {
        self.call(self.http.post(self.url(paths::CLERK_LOGIN)).json(req))
            .await
    }

    /// Whether a clerk's account is active (404 `codes::UNKNOWN_CLERK` when
    /// it is closed or unknown).
    pub async fn clerk_account(&self, clerk_id: &str) -> Result<ClerkAccount, CallError> {
        self.call(self.http.get(self.url(&paths::clerk(clerk_id))))
            .await
    }

    /// The chain heads the register last accepted from this workstation.
    pub async fn chain_seen(
        &self,
        office: &str,
        workstation: &str,
    ) -> Result<ChainSeen, CallError> {
        self.call(self.http.get(self.url(&paths::chain(office, workstation))))
            .await
    }

    /// Reports this workstation's chain heads; a rewritten history is
    /// `Rejected` with status 409 `chain_fork`.
    pub async fn report_chain(
        &self,
        office: &str,
        workstation: &str,
        report: &ChainReport,
    ) -> Result<ChainSeen, CallError> {
        self.call(
            self.http
                .put(self.url(&paths::chain(office, workstation)))
                .json(report),
        )
        .await
    }

    pub async fn person_documents(&self, pesel: &str) -> Result<PersonDocuments, CallError> {
        self.call(self.http.get(self.url(&paths::person_documents(pesel))))
            .await
    }
}

fn channel_failure(problem: ChannelProblem, status: Option<u16>) -> CallError {
    CallError::Retryable {
        kind: FailureKind::Channel(problem),
        status,
        retry_after: None,
        message: format!("the channel to the register: {}", problem.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::MAX),
            Just(Duration::ZERO),
            (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
            (0u64..100_000_000_000).prop_map(Duration::from_nanos),
        ]
    }

    fn error() -> impl Strategy<Value = CallError> {
        prop_oneof![
            proptest::option::of(duration()).prop_map(|retry_after| CallError::Retryable {
                kind: FailureKind::Unavailable,
                status: Some(503),
                retry_after,
                message: String::new(),
            }),
            duration().prop_map(|retry_in| CallError::CircuitOpen { retry_in }),
            Just(CallError::Rejected {
                status: 409,
                problem: Problem::new("x", "y"),
            }),
        ]
    }

    proptest! {
        /// Any settings, any attempt count, any Retry-After: no panic, and no
        /// wait beyond the caps that apply.
        #[test]
        fn retry_delay_never_panics_and_is_bounded(
            base in duration(),
            cap in duration(),
            max_ra in duration(),
            jitter in any::<bool>(),
            honour in any::<bool>(),
            attempt in any::<u32>(),
            err in error(),
        ) {
            let mut config = ClientConfig::new("http://127.0.0.1:9");
            config.backoff_base = base;
            config.backoff_cap = cap;
            config.max_retry_after = max_ra;
            config.jitter = jitter;
            config.honour_retry_after = honour;
            let client = RegisterClient::with_http(config, reqwest::Client::new());
            let d = client.retry_delay(attempt, &err);
            let bound = match &err {
                CallError::CircuitOpen { retry_in } => *retry_in,
                _ => cap.max(max_ra),
            };
            prop_assert!(d <= bound, "{d:?} > {bound:?}");
        }
    }
}
