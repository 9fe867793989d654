//! Pacing: how long a counter waits between two sends.
//!
//! Additive-increase / multiplicative-decrease on the interval: each 429
//! doubles it (the register is over capacity: everyone backs off), each
//! success shrinks it by a small factor (probe for more). After an outage the
//! counter starts slow (`recovery_interval`), like TCP's slow start, because
//! every other counter is coming back at the same time.

use rand::Rng;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct PacerConfig {
    pub enabled: bool,
    /// The interval after recovering from an outage.
    pub recovery_interval: Duration,
    /// The interval after a 429 is at least this.
    pub min_after_overload: Duration,
    pub max_interval: Duration,
    /// Each success multiplies the interval by this (< 1).
    pub speed_up: f64,
}

impl Default for PacerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            recovery_interval: Duration::from_secs(2),
            min_after_overload: Duration::from_millis(500),
            max_interval: Duration::from_secs(30),
            speed_up: 0.9,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pacer {
    config: PacerConfig,
    interval: Duration,
}

impl Pacer {
    pub fn new(config: PacerConfig) -> Self {
        Self {
            config,
            interval: Duration::ZERO,
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
        }
    }

    pub fn overloaded(&mut self) {
        if self.config.enabled {
            self.interval = (self.interval * 2)
                .max(self.config.min_after_overload)
                .min(self.config.max_interval);
        }
    }

    pub fn succeeded(&mut self) {
        self.interval = self.interval.mul_f64(self.config.speed_up);
        if self.interval < Duration::from_millis(5) {
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
    fn backs_off_on_overload_and_speeds_up_on_success() {
        let mut p = Pacer::new(PacerConfig::default());
        assert_eq!(p.next_wait(), Duration::ZERO);
        p.overloaded();
        assert_eq!(p.interval(), Duration::from_millis(500));
        p.overloaded();
        assert_eq!(p.interval(), Duration::from_secs(1));
        for _ in 0..100 {
            p.succeeded();
        }
        assert_eq!(p.interval(), Duration::ZERO);
        p.recovered();
        assert_eq!(p.interval(), Duration::from_secs(2));
        let w = p.next_wait();
        assert!(w >= Duration::from_secs(1) && w <= Duration::from_secs(3));
        let mut off = Pacer::new(PacerConfig {
            enabled: false,
            ..PacerConfig::default()
        });
        off.overloaded();
        assert_eq!(off.next_wait(), Duration::ZERO);
    }
}
