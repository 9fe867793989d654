//! The circuit breaker: closed → open → half-open.
//!
//! Closed: calls go through; `threshold` consecutive failures open it.
//! Open: calls fail at once with the time left, so the counter drops into
//! offline mode instead of hanging on time-outs. After the open period
//! (growing with each re-opening, with full jitter) one probe call is let
//! through (half-open): success closes the circuit, failure re-opens it.
//!
//! Every period comes from configuration or from the register's
//! `Retry-After`, so none of them is trusted to be small: durations are
//! scaled and added with helpers that saturate instead of panicking.

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
                    Err(until.saturating_duration_since(now))
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

    /// Ends the open period now: the next call is the probe. Only for an
    /// event that tells this one counter the register is back (the demo's
    /// "restore", pressed by the person at it), never on a timer: counters
    /// coming back together after a real outage keep their jittered
    /// periods, and the sync engine's recovery window and slow start still
    /// pace what follows the probe.
    pub fn probe_now(&mut self) {
        if let State::Open { .. } = self.state {
            self.state = State::HalfOpen { probing: false };
        }
    }

    pub fn success(&mut self) {
        self.state = State::Closed;
        self.failures = 0;
        self.openings = 0;
        self.ever_succeeded = true;
    }

    /// The register said it is down (503): open at once, for at least
    /// what its `Retry-After` says (already capped by the caller), rather
    /// than spending more calls on it. The whole period never exceeds `cap`.
    pub fn unavailable(&mut self, retry_after: Option<Duration>, cap: Duration) {
        self.failures = self.failures.max(self.config.threshold.saturating_sub(1));
        self.failure();
        if let (State::Open { until }, Some(ra)) = (&mut self.state, retry_after) {
            let u = if self.config.jitter {
                rand::rng().random::<f64>()
            } else {
                0.0
            };
            let wait = spread_retry_after(ra, cap, u);
            *until = (*until).max(later(Instant::now(), wait));
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
                scale(exp, 0.5 + rand::rng().random::<f64>() / 2.0)
            } else {
                exp
            };
            self.openings = self.openings.saturating_add(1);
            self.state = State::Open {
                until: later(Instant::now(), period),
            };
        }
    }
}

/// `d · f` for a factor in [0, 1] (clamped; NaN is 0). `Duration::mul_f64`
/// panics when the product does not fit, which a configured
/// `Duration::MAX` times a factor rounding up to 1.0 can reach.
pub(crate) fn scale(d: Duration, f: f64) -> Duration {
    let f = if f.is_nan() { 0.0 } else { f.clamp(0.0, 1.0) };
    Duration::try_from_secs_f64(d.as_secs_f64() * f)
        .unwrap_or(d)
        .min(d)
}

/// `now + d`, or the latest instant this platform can represent on the way
/// there: `Instant + Duration` panics on overflow.
pub(crate) fn later(now: Instant, mut d: Duration) -> Instant {
    loop {
        if let Some(t) = now.checked_add(d) {
            return t;
        }
        d /= 2;
    }
}

/// The wait after a `Retry-After` of `ra`: not before it, and spread over
/// as long again by `u` in [0, 1] (every counter hears the same value at
/// the same moment, and would otherwise all probe in the same instant), but
/// never longer than `cap`. Counters told more than half the cap bunch up
/// at the cap; that costs one health probe each, and the sync engine's
/// recovery window spreads the real traffic after it.
fn spread_retry_after(ra: Duration, cap: Duration, u: f64) -> Duration {
    ra.saturating_add(scale(ra, u)).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// Before: `Instant::now() + ra` with `ra = u64::MAX` seconds panicked,
    /// and 9999999999 s opened the circuit for centuries.
    #[test]
    fn a_huge_retry_after_is_capped_and_does_not_panic() {
        let cap = Duration::from_secs(3600);
        for ra in [
            Duration::from_secs(u64::MAX),
            Duration::MAX,
            Duration::from_secs(9_999_999_999),
        ] {
            let mut b = breaker();
            b.unavailable(Some(ra), cap);
            let wait = b.admit().unwrap_err();
            assert!(wait <= cap, "{wait:?}");
            assert!(wait > cap - Duration::from_secs(1), "{wait:?}");
        }
    }

    fn duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::MAX),
            Just(Duration::ZERO),
            (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
            (0u64..10_000_000_000).prop_map(Duration::from_nanos),
        ]
    }

    #[derive(Debug, Clone)]
    enum Op {
        Failure,
        Unavailable(Option<Duration>, Duration),
        Success,
        Admit,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::Failure),
            (proptest::option::of(duration()), duration())
                .prop_map(|(ra, cap)| Op::Unavailable(ra, cap)),
            Just(Op::Success),
            Just(Op::Admit),
        ]
    }

    proptest! {
        /// Any configuration, any Retry-After, any sequence of events: no
        /// panic, and no wait longer than the longer of the two caps.
        #[test]
        fn never_panics_and_waits_are_bounded(
            threshold in any::<u32>(),
            open_for in duration(),
            max_open in duration(),
            jitter in any::<bool>(),
            ops in proptest::collection::vec(op(), 0..40),
        ) {
            let mut b = Breaker::new(BreakerConfig { threshold, open_for, max_open, jitter });
            let mut bound = max_open.max(Duration::from_millis(100));
            for o in ops {
                match o {
                    Op::Failure => b.failure(),
                    Op::Unavailable(ra, cap) => {
                        bound = bound.max(cap);
                        b.unavailable(ra, cap);
                    }
                    Op::Success => b.success(),
                    Op::Admit => {
                        if let Err(w) = b.admit() {
                            prop_assert!(w <= bound, "{w:?} > {bound:?}");
                        }
                    }
                }
                let _ = b.state();
            }
        }

        #[test]
        fn scale_and_spread_never_panic(d in duration(), cap in duration(), u in any::<f64>()) {
            prop_assert!(scale(d, u) <= d);
            prop_assert!(spread_retry_after(d, cap, u) <= cap);
            let _ = later(Instant::now(), d);
        }
    }
}
