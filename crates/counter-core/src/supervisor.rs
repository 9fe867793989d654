//! The supervisor's part: decisions on what the register refused, policy
//! overrides, and the end-of-day summary.
//!
//! Decisions and overrides are kept in the journal database's metadata
//! (durable, per workstation); they do not go to the register.

use crate::Counter;
use crate::error::CoreError;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use passport_domain::{FieldError, ValidationErrors};
use passport_journal::{Journal, KindStateCount};
use serde::{Deserialize, Serialize};

/// A supervisor's recorded decision on a refused entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Decision {
    /// `accept_refusal` (the register is right; the applicant is told),
    /// `corrected_elsewhere` (fixed at the register by other means),
    /// `escalated` (sent on to the central office).
    pub outcome: String,
    pub note: String,
    pub supervisor: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DecisionInput {
    pub entry_id: String,
    pub outcome: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OfflinePeriod {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DaySummary {
    pub date: String,
    pub counts: Vec<KindStateCount>,
    /// Still waiting for the register (any day).
    pub pending: i64,
    pub refused: i64,
    /// Refused entries without a supervisor's decision.
    pub undecided: i64,
    pub offline_periods: Vec<OfflinePeriod>,
}

const OUTCOMES: [&str; 3] = ["accept_refusal", "corrected_elsewhere", "escalated"];
const OVERRIDE_KEY: &str = "policy/override_until";
const OFFLINE_LOG_KEY: &str = "offline_periods";

fn decision_key(entry_id: &str) -> String {
    format!("decision/{entry_id}")
}

fn invalid(path: &str, code: &str, pl: &str, en: &str) -> CoreError {
    CoreError::Invalid(ValidationErrors(vec![FieldError::new(path, code, pl, en)]))
}

impl Counter {
    pub(crate) async fn decision(&self, entry_id: &str) -> Result<Option<Decision>, CoreError> {
        decision_of(&self.inner.journal, entry_id).await
    }

    /// Records a decision on a rejected or conflicting entry.
    pub async fn decide(&self, input: &DecisionInput) -> Result<Decision, CoreError> {
        let sup = self.supervisor()?;
        if !OUTCOMES.contains(&input.outcome.as_str()) {
            return Err(invalid(
                "outcome",
                "decision.outcome",
                "Wybierz decyzję.",
                "Choose a decision.",
            ));
        }
        if input.note.trim().len() < 3 {
            return Err(invalid(
                "note",
                "decision.note",
                "Uzasadnij decyzję (co najmniej kilka słów).",
                "Give a reason for the decision (a few words at least).",
            ));
        }
        if let Some(existing) = self.decision(&input.entry_id).await? {
            // A recorded decision stands: the audit trail is not rewritten.
            return Err(invalid(
                "outcome",
                "decision.exists",
                &format!(
                    "Decyzja już zapisana ({}, {}).",
                    existing.supervisor, existing.decided_at
                ),
                &format!(
                    "A decision is already recorded ({}, {}).",
                    existing.supervisor, existing.decided_at
                ),
            ));
        }
        let state = self.inner.journal.entry_state(&input.entry_id).await?;
        if !matches!(state.as_deref(), Some("rejected" | "conflict")) {
            return Err(CoreError::NotFound(format!(
                "refused entry {}",
                input.entry_id
            )));
        }
        let d = Decision {
            outcome: input.outcome.clone(),
            note: input.note.trim().to_owned(),
            supervisor: sup.clerk_id,
            decided_at: Utc::now().to_rfc3339(),
        };
        let json = serde_json::to_string(&d).map_err(|e| CoreError::Internal(e.to_string()))?;
        self.inner
            .journal
            .meta_set(&decision_key(&input.entry_id), &json)
            .await?;
        Ok(d)
    }

    /// A supervisor, with their own credentials at this counter, lets intake
    /// go on past the offline caps for `hours`.
    pub async fn approve_intake_override(
        &self,
        supervisor_id: &str,
        password: &str,
        hours: u32,
    ) -> Result<String, CoreError> {
        self.clerk()?;
        if !(1..=12).contains(&hours) {
            return Err(invalid(
                "hours",
                "override.hours",
                "Wyjątek: od 1 do 12 godzin.",
                "An override lasts 1 to 12 hours.",
            ));
        }
        let sup = self.check_supervisor(supervisor_id, password).await?;
        let until = Utc::now() + chrono::Duration::hours(i64::from(hours));
        let value = serde_json::to_string(&IntakeOverride {
            until: until.to_rfc3339(),
            supervisor: sup,
        })
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        self.inner.journal.meta_set(OVERRIDE_KEY, &value).await?;
        self.publish_status().await;
        Ok(until.to_rfc3339())
    }

    pub(crate) async fn override_until(&self) -> Result<Option<DateTime<Utc>>, CoreError> {
        override_until(&self.inner.journal).await
    }

    pub(crate) async fn record_offline_period(&self, from: DateTime<Utc>, to: DateTime<Utc>) {
        let journal = &self.inner.journal;
        let mut log: Vec<OfflinePeriod> = journal
            .meta_get(OFFLINE_LOG_KEY)
            .await
            .ok()
            .flatten()
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        log.push(OfflinePeriod {
            from: fmt(from),
            to: fmt(to),
        });
        // A year of outages is plenty for end-of-day reports.
        let excess = log.len().saturating_sub(1000);
        log.drain(..excess);
        if let Ok(json) = serde_json::to_string(&log) {
            journal.meta_set(OFFLINE_LOG_KEY, &json).await.ok();
        }
    }

    /// The end-of-day summary for a local date (today when `None`).
    pub async fn day_summary(&self, date: Option<&str>) -> Result<DaySummary, CoreError> {
        self.supervisor()?;
        summarize_day(&self.inner.journal, parse_day(date)?).await
    }
}

/// A local date as typed (`YYYY-MM-DD`), today when `None`.
pub(crate) fn parse_day(date: Option<&str>) -> Result<NaiveDate, CoreError> {
    match date {
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
            invalid(
                "date",
                "date.format",
                "Data w formacie RRRR-MM-DD.",
                "A date as YYYY-MM-DD.",
            )
        }),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// A supervisor's decision on an entry, if one was recorded.
pub(crate) async fn decision_of(
    journal: &Journal,
    entry_id: &str,
) -> Result<Option<Decision>, CoreError> {
    let Some(json) = journal.meta_get(&decision_key(entry_id)).await? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&json).ok())
}

/// What the end-of-day screen and report show for `day`.
pub(crate) async fn summarize_day(
    journal: &Journal,
    day: NaiveDate,
) -> Result<DaySummary, CoreError> {
    Ok(summarize_day_with_refusals(journal, day).await?.0)
}

/// A refused entry and the supervisor's decision on it, if any.
pub(crate) type Refusal = (passport_journal::JournalEntry, Option<Decision>);

/// The summary, and the refusals it counted (for the printed report), read
/// once.
pub(crate) async fn summarize_day_with_refusals(
    journal: &Journal,
    day: NaiveDate,
) -> Result<(DaySummary, Vec<Refusal>), CoreError> {
    let start = local_midnight_utc(day);
    let end = local_midnight_utc(day.succ_opt().unwrap_or(day));
    let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let counts = journal.counts_between(&fmt(start), &fmt(end)).await?;
    let stats = journal.queue_stats(Utc::now()).await?;
    let mut refusals = Vec::new();
    for e in journal.unacknowledged(10_000).await? {
        if matches!(e.sync_state.as_str(), "rejected" | "conflict") {
            let decision = decision_of(journal, &e.id).await?;
            refusals.push((e, decision));
        }
    }
    let undecided = refusals.iter().filter(|(_, d)| d.is_none()).count();
    let offline_periods = journal
        .meta_get(OFFLINE_LOG_KEY)
        .await?
        .and_then(|j| serde_json::from_str::<Vec<OfflinePeriod>>(&j).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.to.as_str() >= fmt(start).as_str() && p.from.as_str() < fmt(end).as_str())
        .collect();
    let summary = DaySummary {
        date: day.to_string(),
        counts,
        pending: stats.depth,
        refused: stats.rejected + stats.conflict,
        undecided: i64::try_from(undecided).unwrap_or(i64::MAX),
        offline_periods,
    };
    Ok((summary, refusals))
}

fn local_midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono::Local
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&naive), |t| t.with_timezone(&Utc))
}

/// A supervisor's intake override as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakeOverride {
    until: String,
    supervisor: String,
}

/// Until when a supervisor lifted the intake caps, if they did. A stored
/// override that cannot be read is an error, not "no override" and not
/// "overridden".
pub async fn override_until(
    journal: &passport_journal::Journal,
) -> Result<Option<DateTime<Utc>>, CoreError> {
    let Some(json) = journal.meta_get(OVERRIDE_KEY).await? else {
        return Ok(None);
    };
    let unreadable = |e: String| CoreError::Internal(format!("the stored intake override: {e}"));
    let o: IntakeOverride = serde_json::from_str(&json).map_err(|e| unreadable(e.to_string()))?;
    let until = DateTime::parse_from_rfc3339(&o.until).map_err(|e| unreadable(e.to_string()))?;
    Ok(Some(until.with_timezone(&Utc)))
}
