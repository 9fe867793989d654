//! The office's offline policy: how far intake and hand-over may go while
//! the register cannot be reached, and how the counter locks itself.
//!
//! Intake is capped like a card terminal's offline mode (MOSIP freezes
//! registration the same way): a number of actions waiting for the register
//! and an age of the oldest one. Both caps look at the queue, so they never
//! bite while the register answers (the queue drains in seconds) and need no
//! separate "offline mode" to switch on.

use chrono::{DateTime, Duration, Utc};
use passport_journal::QueueStats;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Intake stops when this many actions wait for the register.
    pub max_pending: u32,
    /// Intake stops when the oldest waiting action is this many hours old.
    pub max_pending_age_hours: u32,
    /// Hand-over while the register is unreachable (provisional). Off by default.
    pub offline_handover: bool,
    /// Offline hand-over needs the ready list synced within this many hours.
    pub ready_list_max_age_hours: u32,
    /// The screen locks after this many minutes without input.
    pub auto_lock_minutes: u32,
    /// A clerk may log in offline for this many days after their last
    /// online log-in at this counter.
    pub offline_login_days: u32,
    /// What the keyboard-wedge scanner sends before and after a code.
    pub scanner_prefix: String,
    pub scanner_suffix: String,
    /// How often an idle counter checks that the register answers.
    pub health_probe_secs: u32,
    /// After an outage, wait a random time up to this before sending.
    pub recovery_window_secs: u32,
    /// The longest wait a register's `Retry-After` may impose on this
    /// counter; a longer one is read as this.
    pub max_retry_after_secs: u32,
    /// A passport is handed over only after its chip check passed (BAC,
    /// passive authentication, DG1 equal to the register's record). On by
    /// default; the demo office, which usually has no reader, skips it.
    /// Offline hand-over always needs it, whatever this says.
    pub chip_check_required: bool,
    /// Online, how long a hand-over waits for the register's answer before
    /// the screen says "being sent" and follows it live (seconds).
    pub handover_wait_secs: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_pending: 300,
            max_pending_age_hours: 72,
            offline_handover: false,
            ready_list_max_age_hours: 24,
            auto_lock_minutes: 10,
            offline_login_days: 14,
            scanner_prefix: String::new(),
            scanner_suffix: String::new(),
            health_probe_secs: 15,
            recovery_window_secs: 10,
            max_retry_after_secs: 3600,
            chip_check_required: true,
            handover_wait_secs: 8,
        }
    }
}

/// Why the policy forbids a hand-over while the register is unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum OfflineHandoverStop {
    /// `offline_handover` is off.
    SwitchedOff,
    /// The ready list was never brought, or is older than
    /// `ready_list_max_age_hours`.
    ReadyListStale,
}

impl OfflineHandoverStop {
    /// What the clerk reads, and what to do.
    pub fn words(self) -> passport_domain::Message {
        match self {
            Self::SwitchedOff => passport_domain::Message::new(
                "Rejestr jest niedostępny, a zasady urzędu nie pozwalają wydawać paszportów bez połączenia. Nie wydawaj dokumentu; poproś o przyjście ponownie, gdy rejestr znów będzie dostępny.",
                "The register is unreachable and the office's policy does not allow hand-overs without it. Do not hand the document over; ask them to come again when the register answers.",
            ),
            Self::ReadyListStale => passport_domain::Message::new(
                "Rejestr jest niedostępny, a lista dokumentów do odbioru jest starsza, niż pozwalają zasady urzędu. Nie wydawaj dokumentu bez połączenia z rejestrem.",
                "The register is unreachable and the list of documents ready for collection is older than the office's policy allows. Do not hand the document over without the register.",
            ),
        }
    }
}

/// Why intake is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IntakeStop {
    PendingCap,
    AgeCap,
}

/// What the status bar's countdown shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct IntakeAllowance {
    /// More actions that may be saved before the pending cap.
    pub pending_left: u32,
    pub max_pending: u32,
    /// When the age cap stops intake (RFC 3339), if anything is waiting.
    pub stops_at: Option<String>,
    /// Set when intake is stopped now.
    pub stopped: Option<IntakeStop>,
    /// A supervisor's override lets intake go on until this time.
    pub override_until: Option<String>,
}

impl Policy {
    pub fn allowance(
        &self,
        stats: &QueueStats,
        now: DateTime<Utc>,
        override_until: Option<DateTime<Utc>>,
    ) -> IntakeAllowance {
        let depth = u32::try_from(stats.depth.max(0)).unwrap_or(u32::MAX);
        let stops_at = stats
            .oldest_pending
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| {
                t.with_timezone(&Utc) + Duration::hours(i64::from(self.max_pending_age_hours))
            });
        let override_until = override_until.filter(|u| *u > now);
        let stopped = if override_until.is_some() {
            None
        } else if depth >= self.max_pending {
            Some(IntakeStop::PendingCap)
        } else if stops_at.is_some_and(|s| s <= now) {
            Some(IntakeStop::AgeCap)
        } else {
            None
        };
        IntakeAllowance {
            pending_left: self.max_pending.saturating_sub(depth),
            max_pending: self.max_pending,
            stops_at: stops_at.map(|t| t.to_rfc3339()),
            stopped,
            override_until: override_until.map(|t| t.to_rfc3339()),
        }
    }

    /// Whether a hand-over may be recorded while the register is
    /// unreachable: only when the policy allows it and the ready list was
    /// brought within `ready_list_max_age_hours` (RFC 3339 `ready_synced_at`).
    pub fn offline_handover(
        &self,
        ready_synced_at: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), OfflineHandoverStop> {
        if !self.offline_handover {
            return Err(OfflineHandoverStop::SwitchedOff);
        }
        let fresh = ready_synced_at
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| {
                now.signed_duration_since(t)
                    <= Duration::hours(i64::from(self.ready_list_max_age_hours))
            });
        if fresh {
            Ok(())
        } else {
            Err(OfflineHandoverStop::ReadyListStale)
        }
    }

    /// A scanned or typed code without the scanner's prefix and suffix,
    /// spaces, or case.
    pub fn clean_scan(&self, raw: &str) -> String {
        let mut s = raw.trim();
        if !self.scanner_prefix.is_empty() {
            s = s.strip_prefix(self.scanner_prefix.as_str()).unwrap_or(s);
        }
        if !self.scanner_suffix.is_empty() {
            s = s.strip_suffix(self.scanner_suffix.as_str()).unwrap_or(s);
        }
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(depth: i64, oldest: Option<&str>) -> QueueStats {
        QueueStats {
            depth,
            pending: depth,
            oldest_pending: oldest.map(str::to_owned),
            ..QueueStats::default()
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn caps_stop_intake_and_an_override_lifts_them() {
        let p = Policy {
            max_pending: 3,
            max_pending_age_hours: 2,
            ..Policy::default()
        };
        let now = at("2026-11-22T12:00:00Z");
        let a = p.allowance(&stats(2, Some("2026-11-22T11:00:00Z")), now, None);
        assert_eq!((a.pending_left, a.stopped), (1, None));
        assert_eq!(a.stops_at.as_deref(), Some("2026-11-22T13:00:00+00:00"));
        let a = p.allowance(&stats(3, Some("2026-11-22T11:00:00Z")), now, None);
        assert_eq!(a.stopped, Some(IntakeStop::PendingCap));
        let a = p.allowance(&stats(1, Some("2026-11-22T09:59:00Z")), now, None);
        assert_eq!(a.stopped, Some(IntakeStop::AgeCap));
        let later = at("2026-11-22T12:30:00Z");
        let a = p.allowance(&stats(9, Some("2026-11-22T09:00:00Z")), now, Some(later));
        assert_eq!(a.stopped, None);
        let expired = at("2026-11-22T11:30:00Z");
        let a = p.allowance(&stats(9, None), now, Some(expired));
        assert_eq!(a.stopped, Some(IntakeStop::PendingCap));
    }

    #[test]
    fn offline_hand_over_needs_the_policy_and_a_fresh_ready_list() {
        let now = at("2026-11-22T12:00:00Z");
        let off = Policy::default();
        assert_eq!(
            off.offline_handover(Some("2026-11-22T11:00:00Z"), now),
            Err(OfflineHandoverStop::SwitchedOff)
        );
        let on = Policy {
            offline_handover: true,
            ready_list_max_age_hours: 2,
            ..Policy::default()
        };
        assert_eq!(
            on.offline_handover(Some("2026-11-22T11:00:00Z"), now),
            Ok(())
        );
        for stale in [None, Some("2026-11-22T09:59:00Z"), Some("yesterday")] {
            assert_eq!(
                on.offline_handover(stale, now),
                Err(OfflineHandoverStop::ReadyListStale)
            );
        }
    }

    #[test]
    fn scanner_prefix_and_suffix_are_removed() {
        let p = Policy {
            scanner_prefix: "]C0".into(),
            scanner_suffix: "#".into(),
            ..Policy::default()
        };
        assert_eq!(p.clean_scan("]C0da 0000001#"), "DA0000001");
        assert_eq!(p.clean_scan(" da0000001 "), "DA0000001");
    }
}
