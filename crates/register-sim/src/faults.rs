//! Fault injection and traffic statistics.

use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The faults in force. `POST /admin/faults` takes any subset of these keys
/// and changes only those; the flags of `counterctl register-sim` mirror them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Answer every /v1 request with 503 and `Retry-After`.
    pub outage: bool,
    /// Share of /v1 requests answered 500 (0.0–1.0).
    pub error_rate: f64,
    /// Share of writes whose response is dropped after the write committed
    /// (the connection is closed with no answer).
    pub drop_after_commit: f64,
    /// Delay before every /v1 answer, in milliseconds.
    pub latency_ms: u64,
    /// Requests a second served; more get 429 with `Retry-After`. 0: no cap.
    pub capacity: u32,
    /// Share of successful writes answered with a malformed body.
    pub malformed_rate: f64,
    /// The `Retry-After` sent with 503, in seconds (429 always says 1).
    pub retry_after_secs: u64,
    /// Sent verbatim as the 503's `Retry-After` instead of
    /// `retry_after_secs` (an HTTP-date, or garbage to test clients with:
    /// the one way the simulator breaks the contract, on purpose).
    pub retry_after_raw: Option<String>,
    /// Clerk accounts closed at the register: their log-ins (password or
    /// card) are refused. Not a fault, but set the same way.
    pub closed_clerks: Vec<String>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            outage: false,
            error_rate: 0.0,
            drop_after_commit: 0.0,
            latency_ms: 0,
            capacity: 0,
            malformed_rate: 0.0,
            retry_after_secs: 2,
            retry_after_raw: None,
            closed_clerks: Vec::new(),
        }
    }
}

impl Faults {
    /// Applies a partial JSON object of fault settings.
    pub fn merge(&mut self, patch: &serde_json::Value) -> Result<(), serde_json::Error> {
        let mut current = serde_json::to_value(&*self)?;
        if let (Some(cur), Some(p)) = (current.as_object_mut(), patch.as_object()) {
            for (k, v) in p {
                cur.insert(k.clone(), v.clone());
            }
        }
        *self = serde_json::from_value(current)?;
        Ok(())
    }
}

/// `GET /admin/stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Writes stored, by kind (each idempotency key once).
    pub applications: u64,
    pub handovers: u64,
    pub invalidations: u64,
    /// Requests answered by replaying the first answer for their key.
    pub idempotent_replays: u64,
    /// Submissions of an application number already stored under another
    /// key: a client that sent the same action twice. Must stay 0.
    pub duplicate_attempts: u64,
    /// Requests refused with 429 by the capacity cap.
    pub refused_by_capacity: u64,
    pub refused_by_outage: u64,
    pub injected_errors: u64,
    pub dropped_after_commit: u64,
    pub malformed_responses: u64,
    /// Ready-list items sent, over all pages: a counter that pulls by
    /// cursor gets each document once.
    pub ready_items_served: u64,
    /// Clerk log-in checks answered.
    pub logins: u64,
    /// Chain reports refused as a fork (a rewritten history).
    pub chain_forks: u64,
    /// All /v1 requests received.
    pub requests: u64,
    /// The most /v1 requests received in one second (offered load).
    pub peak_requests_per_second: u32,
    /// /v1 requests received in each second since start (or the last reset).
    pub requests_per_second: Vec<u32>,
}

/// Counts requests in one-second windows.
#[derive(Debug)]
pub struct Traffic {
    start: Instant,
    pub per_second: Vec<u32>,
    served_second: u64,
    served_in_second: u32,
}

impl Traffic {
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            per_second: Vec::new(),
            served_second: 0,
            served_in_second: 0,
        }
    }

    /// Records an arriving request (offered load).
    pub fn offer(&mut self) {
        let second = self.start.elapsed().as_secs();
        let idx = usize::try_from(second).unwrap_or(usize::MAX).min(86_400);
        if self.per_second.len() <= idx {
            self.per_second.resize(idx + 1, 0);
        }
        if let Some(n) = self.per_second.get_mut(idx) {
            *n = n.saturating_add(1);
        }
    }

    /// Whether the cap lets one more request through in this second.
    pub fn admit(&mut self, capacity: u32) -> bool {
        let second = self.start.elapsed().as_secs();
        if second != self.served_second {
            self.served_second = second;
            self.served_in_second = 0;
        }
        if capacity > 0 && self.served_in_second >= capacity {
            return false;
        }
        self.served_in_second = self.served_in_second.saturating_add(1);
        true
    }

    pub fn reset(&mut self) {
        *self = Self::new();
    }
}
