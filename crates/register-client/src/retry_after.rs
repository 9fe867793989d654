//! Reading the register's `Retry-After` header (RFC 9110 §10.2.3) into a
//! wait the counter can afford.
//!
//! The header is outside data: a misbehaving register (or anything between
//! it and the counter) can send `18446744073709551615`, a date in the year
//! 9999, or bytes that are no number at all. Whatever it sends, the result
//! is either no value (garbage: the caller falls back to its own back-off)
//! or a wait no longer than the caller's cap, so no arithmetic on `Instant`
//! downstream can overflow and no counter is parked for centuries.

use chrono::{DateTime, NaiveDateTime, Utc};
use std::time::Duration;

/// The wait a `Retry-After` value asks for, at most `cap`.
///
/// Both forms of the header are read: delta-seconds (`120`) and an
/// HTTP-date, in the preferred IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37
/// GMT`) and the two obsolete ones every recipient must still accept
/// (RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6
/// 08:49:37 1994`). A date already past means "now" (zero). A number too
/// long for `u64` is still a number, only a large one: it is the cap.
/// Anything else is `None`, as if the header were absent.
pub fn parse(value: &[u8], now: DateTime<Utc>, cap: Duration) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?.trim_matches([' ', '\t']);
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        // Only an overflow can make a string of digits fail to parse.
        let secs = text.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(cap));
    }
    let date = http_date(text)?;
    // A negative difference (a date in the past) is "retry now". chrono's
    // dates are bounded, so the subtraction itself cannot overflow.
    let wait = (date - now).to_std().unwrap_or(Duration::ZERO);
    Some(wait.min(cap))
}

/// An HTTP-date in any of its three forms, as UTC.
fn http_date(text: &str) -> Option<DateTime<Utc>> {
    // IMF-fixdate. RFC 2822's parser also takes numeric zones and comments,
    // which a strict reader would refuse; reading them is harmless because
    // the result is capped like any other.
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d.with_timezone(&Utc));
    }
    // RFC 850 and asctime carry no zone: HTTP-dates are always GMT.
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("1994-11-06T08:49:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn p(s: &str) -> Option<Duration> {
        parse(s.as_bytes(), now(), HOUR)
    }

    #[test]
    fn delta_seconds_are_read_and_capped() {
        assert_eq!(p("120"), Some(Duration::from_secs(120)));
        assert_eq!(p(" 0 "), Some(Duration::ZERO));
        assert_eq!(p("9999999999"), Some(HOUR));
        assert_eq!(p("18446744073709551615"), Some(HOUR));
        assert_eq!(p("99999999999999999999999999999999"), Some(HOUR));
    }

    #[test]
    fn http_dates_in_all_three_forms_are_read() {
        let at = Some(Duration::from_secs(37));
        assert_eq!(p("Sun, 06 Nov 1994 08:49:37 GMT"), at);
        assert_eq!(p("Sunday, 06-Nov-94 08:49:37 GMT"), at);
        assert_eq!(p("Sun Nov  6 08:49:37 1994"), at);
        assert_eq!(p("Fri, 31 Dec 9999 23:59:59 GMT"), Some(HOUR));
        assert_eq!(p("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
    }

    #[test]
    fn garbage_is_no_retry_after() {
        for s in [
            "", " ", "-1", "1.5", "+5", "1e9", "soon", "120s", "0x10", "١٢٣",
        ] {
            assert_eq!(p(s), None, "{s:?}");
        }
        assert_eq!(parse(&[0xff, 0x31], now(), HOUR), None);
    }

    proptest! {
        #[test]
        fn never_panics_and_never_exceeds_the_cap(
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            cap_secs in any::<u64>(),
            now_secs in -100_000_000_000i64..100_000_000_000i64,
        ) {
            let cap = Duration::from_secs(cap_secs);
            let now = DateTime::from_timestamp(now_secs, 0).unwrap_or_default();
            if let Some(d) = parse(&bytes, now, cap) {
                prop_assert!(d <= cap);
            }
        }

        #[test]
        fn header_like_strings_never_panic(
            s in "[0-9 ,:A-Za-z-]{0,40}|[0-9]{0,40}",
        ) {
            if let Some(d) = p(&s) {
                prop_assert!(d <= HOUR);
            }
        }
    }
}
