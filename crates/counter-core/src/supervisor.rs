//! The supervisor's part: decisions on what the register refused, policy
//! overrides, and the end-of-day summary.
//!
//! Decisions and overrides are journal entries (hash chained: someone
//! answers for them) with their own tables; they do not go to the register.

use crate::Counter;
use crate::error::CoreError;
use crate::records::display_name;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use passport_domain::{FieldError, ValidationErrors};
use passport_journal::{DecisionOutcome, DecisionRecord, Journal, KindStateCount};
use serde::{Deserialize, Serialize};

/// A supervisor's recorded decision on a refused entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Decision {
    pub outcome: DecisionOutcome,
    pub note: String,
    /// The supervisor's clerk id.
    pub supervisor: String,
    /// Their name, as screens and printouts show it.
    pub supervisor_name: String,
    pub decided_at: String,
}

impl Decision {
    async fn of(journal: &Journal, r: DecisionRecord) -> Result<Self, CoreError> {
        Ok(Self {
            outcome: r.outcome,
            note: r.note,
            supervisor_name: display_name(journal, &r.supervisor_id).await?,
            supervisor: r.supervisor_id,
            decided_at: r.decided_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DecisionInput {
    pub entry_id: String,
    pub outcome: DecisionOutcome,
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

fn invalid(path: &str, code: &str, pl: &str, en: &str) -> CoreError {
    CoreError::Invalid(ValidationErrors(vec![FieldError::new(path, code, pl, en)]))
}

impl Counter {
    pub(crate) async fn decision(&self, entry_id: &str) -> Result<Option<Decision>, CoreError> {
        decision_of(&self.inner.journal, entry_id).await
    }

    /// Records a decision on a rejected or conflicting entry.
    pub async fn decide(&self, input: &DecisionInput) -> Result<Decision, CoreError> {
        crate::limits::form("", input, &[])?;
        let sup = self.supervisor()?;
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
            let when = crate::print::local_time(&existing.decided_at);
            return Err(invalid(
                "outcome",
                "decision.exists",
                &format!(
                    "Decyzja już zapisana ({}, {when}).",
                    existing.supervisor_name
                ),
                &format!(
                    "A decision is already recorded ({}, {when}).",
                    existing.supervisor_name
                ),
            ));
        }
        let recorded = self
            .inner
            .journal
            .record_decision(
                &input.entry_id,
                input.outcome,
                input.note.trim(),
                &sup.clerk_id,
            )
            .await?;
        // The notice it settles leaves the status bar now, not at the
        // worker's next round.
        self.publish_status().await;
        Decision::of(&self.inner.journal, recorded).await
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
                "Wyjątek może trwać od 1 do 12 godzin.",
                "An override lasts 1 to 12 hours.",
            ));
        }
        let sup = self.check_supervisor(supervisor_id, password).await?;
        let until = Utc::now() + chrono::Duration::hours(i64::from(hours));
        self.inner
            .journal
            .record_intake_override(&until.to_rfc3339(), &sup)
            .await?;
        self.publish_status().await;
        Ok(until.to_rfc3339())
    }

    pub(crate) async fn override_until(&self) -> Result<Option<DateTime<Utc>>, CoreError> {
        override_until(&self.inner.journal).await
    }

    pub(crate) async fn record_offline_period(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Ok(self
            .inner
            .journal
            .record_offline_period(&fmt(from), &fmt(to))
            .await?)
    }

    /// The end-of-day summary for a local date (today when `None`).
    pub async fn day_summary(&self, date: Option<&str>) -> Result<DaySummary, CoreError> {
        self.supervisor()?;
        if let Some(date) = date {
            crate::limits::id("date", date)?;
        }
        summarize_day(&self.inner.journal, parse_day(date)?).await
    }
}

/// The day after `day`; the last date chrono can hold has none, which is
/// no day a counter works.
pub(crate) fn next_day(day: NaiveDate) -> Result<NaiveDate, CoreError> {
    day.succ_opt()
        .ok_or_else(|| CoreError::Internal(format!("no day after {day}")))
}

/// A local date as a person types it (`29.11.2026`) or as the screens
/// send it (`2026-11-29`); today when `None`.
pub(crate) fn parse_day(date: Option<&str>) -> Result<NaiveDate, CoreError> {
    match date {
        Some(d) => {
            let d = d.trim();
            NaiveDate::parse_from_str(d, "%d.%m.%Y")
                .or_else(|_| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
                .map_err(|_| {
                    invalid(
                        "date",
                        "date.format",
                        "Podaj datę jako dd.mm.rrrr, np. 29.11.2026.",
                        "Give the date as dd.mm.yyyy, e.g. 29.11.2026.",
                    )
                })
        }
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// A supervisor's decision on an entry, if one was recorded.
pub(crate) async fn decision_of(
    journal: &Journal,
    entry_id: &str,
) -> Result<Option<Decision>, CoreError> {
    match journal.decision(entry_id).await? {
        Some(r) => Ok(Some(Decision::of(journal, r).await?)),
        None => Ok(None),
    }
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
    let end = local_midnight_utc(next_day(day)?);
    let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let counts = journal.counts_between(&fmt(start), &fmt(end)).await?;
    let stats = journal.queue_stats(Utc::now()).await?;
    let mut refusals: Vec<Refusal> = Vec::new();
    for (e, d) in journal.refusals(10_000).await? {
        let d = match d {
            Some(r) => Some(Decision::of(journal, r).await?),
            None => None,
        };
        refusals.push((e, d));
    }
    let undecided = refusals.iter().filter(|(_, d)| d.is_none()).count();
    let offline_periods = journal
        .offline_periods_between(&fmt(start), &fmt(end))
        .await?
        .into_iter()
        .map(|p| OfflinePeriod {
            from: p.started_at,
            to: p.ended_at,
        })
        .collect();
    let summary = DaySummary {
        date: day.to_string(),
        counts,
        pending: stats.depth,
        refused: stats.rejected + stats.conflict + stats.unsendable,
        undecided: i64::try_from(undecided).unwrap_or(i64::MAX),
        offline_periods,
    };
    Ok((summary, refusals))
}

pub(crate) fn local_midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    chrono::Local
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&naive), |t| t.with_timezone(&Utc))
}

/// Until when a supervisor lifted the intake caps, if they did. A stored
/// override that cannot be read is an error, not "no override" and not
/// "overridden".
pub async fn override_until(
    journal: &passport_journal::Journal,
) -> Result<Option<DateTime<Utc>>, CoreError> {
    let Some(until) = journal.intake_override_until().await? else {
        return Ok(None);
    };
    let until = DateTime::parse_from_rfc3339(&until)
        .map_err(|e| CoreError::Internal(format!("the stored intake override {until:?}: {e}")))?;
    Ok(Some(until.with_timezone(&Utc)))
}
