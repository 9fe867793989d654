//! Failed log-ins slow the next attempt down: after
//! [`FAILURES_BEFORE_WAIT`] failures of one clerk within [`BURST`], each
//! further attempt waits, [`FIRST_WAIT`] after the first such failure and
//! twice as long after each one more, up to [`LONGEST_WAIT`].
//!
//! The failures counted are those recorded in the journal
//! (`login_failures`) whose password was checked, since the clerk's last
//! successful log-in here and within [`COUNTED_FOR`], so the limit holds
//! across restarts of the app and for `counterctl` alike, and a clerk
//! who mistyped yesterday starts fresh today. The rule is a pure function
//! of the failure times, tested here on any clock.

use crate::words::{PluralPl, plural_pl};
use chrono::{DateTime, Utc};
use passport_domain::Message;
use std::time::Duration;

/// Failures within [`BURST`] before a wait begins.
pub const FAILURES_BEFORE_WAIT: usize = 5;
/// How close together those failures must be.
pub const BURST: Duration = Duration::from_secs(5 * 60);
/// The wait after the first failure past the burst.
pub const FIRST_WAIT: Duration = Duration::from_secs(60);
/// The longest wait, however many failures.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);
/// How far back failures count.
pub const COUNTED_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// How long the clerk must still wait at `now` after `failures` (their
/// times, oldest first), if at all.
pub fn wait_left(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
    let n = FAILURES_BEFORE_WAIT;
    if n == 0 || failures.len() < n {
        return None;
    }
    // The first failure that closed a burst: n of them within BURST.
    let burst = chrono::Duration::from_std(BURST).ok()?;
    let start = (n - 1..failures.len()).find(|&i| failures[i] - failures[i + 1 - n] <= burst)?;
    // 1 after the burst's last failure, 2 after one more, …
    let past = u32::try_from(failures.len() - start).unwrap_or(u32::MAX);
    let factor = 2u32.checked_pow(past - 1).unwrap_or(u32::MAX);
    let wait = FIRST_WAIT.saturating_mul(factor).min(LONGEST_WAIT);
    let until = *failures.last()? + chrono::Duration::from_std(wait).ok()?;
    (until - now).to_std().ok().filter(|d| !d.is_zero())
}

/// "in 45 seconds", "in 2 minutes", "in 1 hour" in Polish and English:
/// whole seconds under a minute, else whole minutes (rounded up, so the
/// clerk who waits as told is let in), in the forms after "za".
pub fn retry_in(wait: Duration) -> Message {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let (n, pl, en) = if secs < 60 {
        (secs.max(1), ["sekundę", "sekundy", "sekund"], "second")
    } else if secs < 3600 || !secs.is_multiple_of(3600) {
        (secs.div_ceil(60), ["minutę", "minuty", "minut"], "minute")
    } else {
        (secs / 3600, ["godzinę", "godziny", "godzin"], "hour")
    };
    let form = match plural_pl(i64::try_from(n).unwrap_or(i64::MAX)) {
        PluralPl::ONE => pl[0],
        PluralPl::FEW => pl[1],
        _ => pl[2],
    };
    let s = if n == 1 { "" } else { "s" };
    Message::new(format!("za {n} {form}"), format!("in {n} {en}{s}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn five_failures_within_five_minutes_start_a_growing_wait() {
        // Four failures: no wait at all.
        let four: Vec<_> = (0..4).map(|i| at(i * 10)).collect();
        assert_eq!(wait_left(&four, at(41)), None);
        // The fifth within five minutes: a minute from it.
        let five: Vec<_> = (0..5).map(|i| at(i * 10)).collect();
        assert_eq!(wait_left(&five, at(40)), Some(Duration::from_secs(60)));
        assert_eq!(wait_left(&five, at(70)), Some(Duration::from_secs(30)));
        assert_eq!(wait_left(&five, at(100)), None);
        // One more after the wait: two minutes; then four; …
        let mut more = five.clone();
        more.push(at(100));
        assert_eq!(wait_left(&more, at(100)), Some(Duration::from_secs(120)));
        more.push(at(220));
        assert_eq!(wait_left(&more, at(220)), Some(Duration::from_secs(240)));
        // … never more than an hour.
        let many: Vec<_> = (0..40).map(at).collect();
        assert_eq!(wait_left(&many, at(39)), Some(LONGEST_WAIT));
    }

    #[test]
    fn failures_spread_out_never_wait() {
        // Five failures, each six minutes apart: a clerk who mistypes now
        // and then is never held up.
        let spread: Vec<_> = (0..8).map(|i| at(i * 360)).collect();
        assert_eq!(wait_left(&spread, at(7 * 360)), None);
        // A burst later in the run counts from where it closed.
        let mut later = spread.clone();
        later.extend((1..=4).map(|i| at(7 * 360 + i)));
        assert_eq!(wait_left(&later, at(7 * 360 + 4)), Some(FIRST_WAIT));
    }

    #[test]
    fn the_time_left_is_said_in_words_with_polish_plural_forms() {
        let said = |s: u64| {
            let m = retry_in(Duration::from_secs(s));
            (m.pl, m.en)
        };
        assert_eq!(said(1), ("za 1 sekundę".into(), "in 1 second".into()));
        assert_eq!(said(3), ("za 3 sekundy".into(), "in 3 seconds".into()));
        assert_eq!(said(45), ("za 45 sekund".into(), "in 45 seconds".into()));
        assert_eq!(said(22), ("za 22 sekundy".into(), "in 22 seconds".into()));
        assert_eq!(said(60), ("za 1 minutę".into(), "in 1 minute".into()));
        assert_eq!(said(61), ("za 2 minuty".into(), "in 2 minutes".into()));
        assert_eq!(said(300), ("za 5 minut".into(), "in 5 minutes".into()));
        assert_eq!(
            said(12 * 60),
            ("za 12 minut".into(), "in 12 minutes".into())
        );
        assert_eq!(said(3600), ("za 1 godzinę".into(), "in 1 hour".into()));
        assert_eq!(
            retry_in(Duration::from_millis(59_500)).pl,
            "za 1 minutę",
            "rounded up"
        );
    }
}
