//! The circuit breaker: closed → open → half-open.
//!
//! Closed: calls go through; `threshold` consecutive failures open it.
//! Open: calls fail at once with the time left, so the counter drops into
//! offline mode instead of hanging on time-outs. After the open period
//! (growing with each re-opening, with full jitter) one probe call is let
//! through (half-open): success closes the circuit, failure re-opens it.

use rand::Rng;
use serde::Serialize;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BreakerConfig {
    /// Consecutive failures that open the circuit.
    pub threshold: u32,
    /// The first open period; each re-opening doubles it, up to `max_open`.
    pub open_for: Duration,
    pub max_open: Duration,
    /// Spread each open period uniformly over [½, 1] of itself, so counters
    /// that went offline together do not probe together.
    pub jitter: bool,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            threshold: 3,
            open_for: Duration::from_secs(2),
            max_open: Duration::from_secs(60),
            jitter: true,
        }
    }
}

/// What the status bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// Never tried yet.
    Unknown,
    Online,
    /// Answering, but with recent failures.
    Degraded,
    /// The circuit is open: treated as unreachable.
    Offline,
    /// A probe is deciding whether the register is back.
    Probing,
}

#[derive(Debug)]
enum State {
    Closed,
    Open { until: Instant },
    HalfOpen { probing: bool },
}

#[derive(Debug)]
pub struct Breaker {
    config: BreakerConfig,
    state: State,
    failures: u32,
    openings: u32,
    ever_succeeded: bool,
}

impl Breaker {
    pub fn new(config: BreakerConfig) -> Self {
        Self {
            config,
            state: State::Closed,
            failures: 0,
            openings: 0,
            ever_succeeded: false,
        }
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn state(&self) -> ConnectionState {
        match self.state {
            State::Closed if self.failures > 0 => ConnectionState::Degraded,
            State::Closed if self.ever_succeeded => ConnectionState::Online,
            State::Closed => ConnectionState::Unknown,
            State::Open { until } if Instant::now() < until => ConnectionState::Offline,
            State::Open { .. } | State::HalfOpen { .. } => ConnectionState::Probing,
        }
    }

    /// May a call go now? `Err(wait)` while open, or while a probe is out.
    pub fn admit(&mut self) -> Result<(), Duration> {
        match self.state {
            State::Closed => Ok(()),
            State::Open { until } => {
                let now = Instant::now();
                if now < until {
                    Err(until - now)
                } else {
                    self.state = State::HalfOpen { probing: true };
                    Ok(())
                }
            }
            State::HalfOpen { probing: true } => Err(Duration::from_millis(100)),
            State::HalfOpen { probing: false } => {
                self.state = State::HalfOpen { probing: true };
                Ok(())
            }
        }
    }

    pub fn success(&mut self) {
        self.state = State::Closed;
        self.failures = 0;
        self.openings = 0;
        self.ever_succeeded = true;
    }

    /// The register said it is down (503): open at once, for at least
    /// what its `Retry-After` says, rather than spending more calls on it.
    pub fn unavailable(&mut self, retry_after: Option<Duration>) {
        self.failures = self.failures.max(self.config.threshold.saturating_sub(1));
        self.failure();
        if let (State::Open { until }, Some(ra)) = (&mut self.state, retry_after) {
            // Every counter hears the same Retry-After at the same moment:
            // not before it, and spread over as long again, or they would
            // all probe in the same instant.
            let spread = if self.config.jitter {
                ra.mul_f64(rand::rng().random::<f64>())
            } else {
                Duration::ZERO
            };
            *until = (*until).max(Instant::now() + ra + spread);
        }
    }

    pub fn failure(&mut self) {
        self.failures = self.failures.saturating_add(1);
        let trip = match self.state {
            State::Closed => self.failures >= self.config.threshold,
            State::HalfOpen { .. } | State::Open { .. } => true,
        };
        if trip {
            let exp = self
                .config
                .open_for
                .saturating_mul(2u32.saturating_pow(self.openings.min(16)))
                .min(self.config.max_open);
            let period = if self.config.jitter {
                exp.mul_f64(0.5 + rand::rng().random::<f64>() / 2.0)
            } else {
                exp
            };
            self.openings = self.openings.saturating_add(1);
            self.state = State::Open {
                until: Instant::now() + period,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> Breaker {
        Breaker::new(BreakerConfig {
            threshold: 2,
            open_for: Duration::from_millis(30),
            max_open: Duration::from_millis(100),
            jitter: false,
        })
    }

    #[test]
    fn opens_after_the_threshold_and_probes_after_the_period() {
        let mut b = breaker();
        assert_eq!(b.state(), ConnectionState::Unknown);
        b.failure();
        assert_eq!(b.state(), ConnectionState::Degraded);
        assert!(b.admit().is_ok());
        b.failure();
        assert_eq!(b.state(), ConnectionState::Offline);
        let wait = b.admit().unwrap_err();
        assert!(wait <= Duration::from_millis(30));
        std::thread::sleep(wait);
        assert!(b.admit().is_ok(), "one probe goes through");
        assert!(b.admit().is_err(), "only one");
        b.failure();
        assert_eq!(b.state(), ConnectionState::Offline);
        // Re-opened for twice as long.
        assert!(b.admit().unwrap_err() > Duration::from_millis(30));
        std::thread::sleep(Duration::from_millis(61));
        assert!(b.admit().is_ok());
        b.success();
        assert_eq!(b.state(), ConnectionState::Online);
        assert!(b.admit().is_ok());
    }
}
