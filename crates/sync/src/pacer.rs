//! Pacing: how long a counter waits between two sends.
//!
//! TCP's congestion control, on a send rate instead of a window. After an
//! outage a counter starts slow (`recovery_interval`), because every other
//! counter is coming back at the same time, and grows its rate by half with
//! each success (slow start) until the register first answers 429. From then
//! on each 429 halves the rate and each second of successes adds a little
//! (`additive` requests a second): thousands of counters that cannot see one
//! another settle near the register's capacity instead of stampeding it, and
//! a counter alone still reaches full speed within a few dozen sends.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PacerConfig {
    pub enabled: bool,
    /// The interval between sends just after an outage.
    pub recovery_interval: Duration,
    /// The interval after a 429 is at least this.
    pub min_after_overload: Duration,
    pub max_interval: Duration,
    /// Slow start: each success multiplies the rate by this.
    pub slow_start_factor: f64,
    /// After the first 429: requests a second gained per second of successes.
    pub additive: f64,
}

impl Default for PacerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            recovery_interval: Duration::from_secs(8),
            min_after_overload: Duration::from_millis(100),
            max_interval: Duration::from_secs(10),
            slow_start_factor: 1.25,
            additive: 0.01,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pacer {
    config: PacerConfig,
    interval: Duration,
    slow_start: bool,
}

/// Below this the counter is not paced at all.
const UNPACED: Duration = Duration::from_millis(5);

impl Pacer {
    pub fn new(config: PacerConfig) -> Self {
        Self {
            config,
            interval: Duration::ZERO,
            slow_start: true,
        }
    }

    /// The wait before the next send, jittered over [½, 1½] of the interval.
    pub fn next_wait(&self) -> Duration {
        if !self.config.enabled || self.interval.is_zero() {
            return Duration::ZERO;
        }
        self.interval.mul_f64(0.5 + rand::rng().random::<f64>())
    }

    pub fn recovered(&mut self) {
        if self.config.enabled {
            self.interval = self.config.recovery_interval;
            self.slow_start = true;
        }
    }

    pub fn overloaded(&mut self) {
        if self.config.enabled {
            self.slow_start = false;
            self.interval = (self.interval * 2)
                .max(self.config.min_after_overload)
                .min(self.config.max_interval);
        }
    }

    pub fn succeeded(&mut self) {
        if self.interval.is_zero() {
            return;
        }
        let secs = self.interval.as_secs_f64();
        let rate = if self.slow_start {
            self.config.slow_start_factor / secs
        } else {
            // One success every `secs` seconds: `additive · secs` per success
            // is `additive` a second.
            1.0 / secs + self.config.additive * secs
        };
        self.interval = Duration::from_secs_f64(1.0 / rate);
        if self.interval < UNPACED {
            self.interval = Duration::ZERO;
        }
    }

    #[cfg(test)]
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_then_additive_increase_multiplicative_decrease() {
        let mut p = Pacer::new(PacerConfig::default());
        assert_eq!(
            p.next_wait(),
            Duration::ZERO,
            "not paced before any trouble"
        );
        p.recovered();
        assert_eq!(p.interval(), Duration::from_secs(8));
        let w = p.next_wait();
        assert!(w >= Duration::from_secs(4) && w <= Duration::from_secs(12));
        // Slow start: the rate grows by half with each success; a counter
        // alone is at full speed within a few dozen sends.
        p.succeeded();
        assert!((p.interval().as_secs_f64() - 8.0 / 1.25).abs() < 1e-6);
        for _ in 0..40 {
            p.succeeded();
        }
        assert_eq!(p.interval(), Duration::ZERO);
        // The first 429 ends slow start and halves the rate.
        p.overloaded();
        assert_eq!(p.interval(), Duration::from_millis(100));
        p.overloaded();
        assert_eq!(p.interval(), Duration::from_millis(200));
        // Then growth is additive: 0.01 requests a second per second.
        let before = 1.0 / p.interval().as_secs_f64();
        p.succeeded();
        let after = 1.0 / p.interval().as_secs_f64();
        assert!(
            (after - before - 0.01 * 0.2).abs() < 1e-6,
            "{before} → {after}"
        );
        for _ in 0..10 {
            p.overloaded();
        }
        assert_eq!(p.interval(), Duration::from_secs(10), "capped");
        let mut off = Pacer::new(PacerConfig {
            enabled: false,
            ..PacerConfig::default()
        });
        off.overloaded();
        off.recovered();
        assert_eq!(off.next_wait(), Duration::ZERO);
    }
}
