//! Retention: personal data the register acknowledged more than
//! `[retention] days` ago are purged from this counter (the journal's
//! `purge` says what goes and what stays, and how the chain still
//! verifies), with the printouts kept of them.
//!
//! One door: the end of the supervisor's day (the day's report made for
//! today) and `counterctl journal purge` both call
//! [`Counter::purge_personal_data`], which only a supervisor may call: the
//! core checks the role, not the screen.
//!
//! The default, 90 days: the register is the record once it has
//! acknowledged an entry, but the counter still serves the applicant for a
//! while: a passport is made within 30 days, then waits to be collected
//! (an application whose passport waits here is never purged, whatever
//! its age), and questions about an application (a reprinted receipt, a
//! complaint) come in the weeks after. An office with other rules sets
//! 1–3650 days.

use crate::Counter;
use crate::error::CoreError;
use chrono::{DateTime, NaiveDate, Utc};
use passport_documents::PurgedSection;
use passport_journal::{Journal, PurgeReport};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The allowed range of `[retention] days`, inclusive.
pub const RETENTION_DAYS: (u32, u32) = (1, 3650);

/// `[retention]` in `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionSettings {
    /// Days after the register's acknowledgement before an entry's personal
    /// data are purged here.
    pub days: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self { days: 90 }
    }
}

/// The retention in Polish words: `1 dzień`, otherwise `N dni` (the
/// genitive plural and the nominative plural of "dzień" are the same).
pub fn days_pl(days: u32) -> String {
    if days == 1 {
        "1 dzień".to_owned()
    } else {
        format!("{days} dni")
    }
}

impl Counter {
    /// Purges what retention allows now (see the module): supervisors
    /// only. `dry_run` writes nothing and says what would go.
    pub async fn purge_personal_data(&self, dry_run: bool) -> Result<PurgeReport, CoreError> {
        let sup = self.supervisor()?;
        purge(
            &self.inner.journal,
            &self.inner.cfg.data_dir,
            &sup.clerk_id,
            self.inner.cfg.retention.days,
            Utc::now(),
            dry_run,
        )
        .await
    }

    /// The end of the supervisor's day: the day's report for today is
    /// made after the purge, so it says what was purged. Another day's
    /// report (a reprint) purges nothing.
    pub(crate) async fn end_of_day(&self, date: Option<&str>) -> Result<(), CoreError> {
        let day = crate::supervisor::parse_day(date)?;
        if day == chrono::Local::now().date_naive() {
            self.purge_personal_data(false).await?;
        }
        Ok(())
    }
}

/// What retention purged on `day` (local), for the day's report: counts
/// per kind in words, the dates of the oldest and newest purged operation.
pub(crate) async fn purged_section(
    journal: &Journal,
    day: NaiveDate,
    w: &crate::words::Words,
) -> Result<PurgedSection, CoreError> {
    use crate::supervisor::{local_midnight_utc, next_day};
    let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let start = local_midnight_utc(day);
    let end = local_midnight_utc(next_day(day)?);
    let s = journal.purged_between(&fmt(start), &fmt(end)).await?;
    let date = |t: &Option<String>| -> Result<Option<String>, CoreError> {
        t.as_deref()
            .map(|t| {
                DateTime::parse_from_rfc3339(t)
                    .map(|t| crate::words::date_pl(t.with_timezone(&chrono::Local).date_naive()))
                    .map_err(|_| {
                        CoreError::Journal(passport_journal::JournalError::Corrupt(format!(
                            "a purged entry's device time {t:?} is not a time"
                        )))
                    })
            })
            .transpose()
    };
    Ok(PurgedSection {
        retention: s.retention_days.map(days_pl),
        counts: s
            .kinds
            .iter()
            .map(|k| (w.entry_kind_text(&k.kind).pl.clone(), k.count))
            .collect(),
        oldest: date(&s.oldest)?,
        newest: date(&s.newest)?,
    })
}

/// The purge itself, and the printouts of what it purged.
async fn purge(
    journal: &Journal,
    data_dir: &Path,
    supervisor: &str,
    days: u32,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<PurgeReport, CoreError> {
    let report = journal
        .purge_personal_data(supervisor, now, days, dry_run)
        .await?;
    if !dry_run {
        let cutoff = (now - chrono::Duration::days(i64::from(days))).date_naive();
        let failed = shred_printouts(data_dir, &report, cutoff);
        tracing::info!(
            entries = report.entries,
            kept_waiting = report.kept_waiting,
            kept_tampered = report.kept_tampered,
            printouts_not_removed = failed,
            "retention purge"
        );
    }
    Ok(report)
}

/// Shreds (overwrites, then removes) the printouts kept of purged
/// records, and day reports of days before the cutoff; returns how many
/// could not be removed (the data directory is owner-only; they are tried
/// again at the next purge).
fn shred_printouts(data_dir: &Path, report: &PurgeReport, cutoff: NaiveDate) -> usize {
    let dir = data_dir.join("printouts");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let purged: Vec<String> = report
        .records
        .iter()
        .filter_map(|(kind, record)| printout_name(kind, record))
        .collect();
    let due: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            // A name that is not UTF-8 is none this counter wrote.
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                return false;
            };
            purged.iter().any(|n| n == name) || day_report_date(name).is_some_and(|d| d < cutoff)
        })
        .collect();
    due.iter()
        .filter(|p| passport_journal::cipher::shred(p).is_err())
        .count()
}

/// The name `print` keeps a record's printout under (the characters it
/// keeps as they are, others as `_`).
fn printout_name(kind: &str, record: &str) -> Option<String> {
    let safe: String = record
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match kind {
        "submit_application" => Some(format!("potwierdzenie-{safe}.pdf")),
        "record_handover" => Some(format!("protokol-wydania-{safe}.pdf")),
        _ => None,
    }
}

/// The day of a kept day report, from its name `raport-dnia-YYYY-MM-DD.pdf`.
fn day_report_date(name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix("raport-dnia-")?.strip_suffix(".pdf")?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code
    use super::*;

    #[test]
    fn days_read_as_polish() {
        assert_eq!(days_pl(1), "1 dzień");
        assert_eq!(days_pl(2), "2 dni");
        assert_eq!(days_pl(90), "90 dni");
    }

    #[test]
    fn printouts_of_purged_records_and_old_day_reports_are_shredded() {
        let dir = tempfile::tempdir().unwrap();
        let printouts = dir.path().join("printouts");
        std::fs::create_dir(&printouts).unwrap();
        for name in [
            "potwierdzenie-DEMO-01-000001-00.pdf",
            "potwierdzenie-DEMO-01-000002-00.pdf",
            "protokol-wydania-DA0000001.pdf",
            "raport-dnia-2026-01-01.pdf",
            "raport-dnia-2026-11-28.pdf",
        ] {
            std::fs::write(printouts.join(name), b"%PDF Kowalski").unwrap();
        }
        let report = PurgeReport {
            records: vec![
                ("submit_application".into(), "DEMO-01-000001-00".into()),
                ("record_handover".into(), "DA0000001".into()),
            ],
            ..PurgeReport::default()
        };
        let cutoff = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(shred_printouts(dir.path(), &report, cutoff), 0);
        let mut left: Vec<String> = std::fs::read_dir(&printouts)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "potwierdzenie-DEMO-01-000002-00.pdf",
                "raport-dnia-2026-11-28.pdf"
            ]
        );
    }
}
