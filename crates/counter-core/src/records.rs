//! What the clerk looks up: applications (by number, PESEL or surname) and
//! the outbox, each item with its sync state and the register's reason.

use crate::Counter;
use crate::error::CoreError;
use crate::supervisor::Decision;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_domain::number::ApplicationNumber;
use passport_journal::{
    ApplicationDetail, ApplicationSummary, EntryKind, Journal, JournalEntry, Search, SyncState,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ApplicationView {
    pub detail: ApplicationDetail,
    /// The photo as a `data:` URL for the preview.
    pub photo_data_url: Option<String>,
}

/// One journal entry as the outbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OutboxItem {
    pub id: String,
    pub seq: i64,
    /// The entry kind as stored (`submit_application`, `record_handover`,
    /// …); screens show its words from `words.json`.
    pub kind: String,
    /// The application or document the entry is about.
    pub record_key: String,
    pub device_time: String,
    pub sync_state: SyncState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub register_reason: Option<String>,
    /// Waits for this entry (refused or not yet sent).
    pub depends_on: Option<String>,
    pub clerk_id: String,
    /// The person the entry is about (applicant or holder), when known here.
    pub person: Option<String>,
    /// A supervisor's recorded decision on a refused entry.
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OutboxView {
    /// Waiting or being sent, oldest first.
    pub queued: Vec<OutboxItem>,
    /// Refused by the register (rejected or conflict), oldest first.
    pub refused: Vec<OutboxItem>,
    /// The latest acknowledged, newest first.
    pub recent: Vec<OutboxItem>,
}

/// How a typed query is understood: an application number, a PESEL (11
/// digits), nothing (the newest), or else a surname prefix.
pub fn parse_query(q: &str) -> Search {
    let q = q.trim();
    if q.is_empty() {
        Search::Recent
    } else if q.len() == 11 && q.bytes().all(|b| b.is_ascii_digit()) {
        Search::Pesel(q.to_owned())
    } else if ApplicationNumber::parse(q).is_ok() {
        Search::Number(q.to_owned())
    } else {
        Search::SurnamePrefix(q.to_owned())
    }
}

impl Counter {
    pub async fn search_applications(
        &self,
        query: &str,
    ) -> Result<Vec<ApplicationSummary>, CoreError> {
        self.reader()?;
        crate::limits::text("query", query)?;
        Ok(self.inner.journal.search(&parse_query(query), 100).await?)
    }

    pub async fn application(&self, number: &str) -> Result<ApplicationView, CoreError> {
        self.reader()?;
        crate::limits::id("number", number)?;
        let detail = self
            .inner
            .journal
            .application(number)
            .await?
            .ok_or_else(|| CoreError::NotFound(number.to_owned()))?;
        let photo_data_url = self
            .inner
            .journal
            .photo(&detail.photo_sha256)
            .await?
            .map(|(mime, bytes)| format!("data:{mime};base64,{}", BASE64.encode(bytes)));
        Ok(ApplicationView {
            detail,
            photo_data_url,
        })
    }

    pub async fn outbox(&self) -> Result<OutboxView, CoreError> {
        self.reader()?;
        let journal = &self.inner.journal;
        let mut queued = Vec::new();
        let mut refused = Vec::new();
        for e in journal.unacknowledged(500).await? {
            let item = self.outbox_item(e).await?;
            if matches!(
                item.sync_state,
                SyncState::Rejected | SyncState::Conflict | SyncState::Unsendable
            ) {
                refused.push(item);
            } else {
                queued.push(item);
            }
        }
        let mut recent = Vec::new();
        for e in journal.recent_entries(50).await? {
            if e.sync_state == SyncState::Acknowledged {
                recent.push(self.outbox_item(e).await?);
            }
        }
        Ok(OutboxView {
            queued,
            refused,
            recent,
        })
    }

    async fn outbox_item(&self, e: JournalEntry) -> Result<OutboxItem, CoreError> {
        let decision = self.decision(&e.id).await?;
        let person = person_of(&self.inner.journal, &e.kind, &e.record_key).await?;
        Ok(OutboxItem {
            person,
            id: e.id,
            seq: e.seq,
            kind: e.kind,
            record_key: e.record_key,
            device_time: e.device_time,
            sync_state: e.sync_state,
            attempts: e.attempts,
            last_error: e.last_error,
            register_reason: e.register_reason,
            depends_on: e.depends_on,
            clerk_id: e.clerk_id,
            decision,
        })
    }
}

/// A clerk's name as the register last gave it at this counter; the
/// identifier itself for an account never confirmed here (a script's
/// `--clerk`), so a printout still says who.
pub(crate) async fn display_name(journal: &Journal, clerk_id: &str) -> Result<String, CoreError> {
    Ok(journal
        .cached_account(clerk_id)
        .await?
        .map_or_else(|| clerk_id.to_owned(), |a| a.display_name))
}

/// The person an entry is about: the applicant of an application, the
/// holder of a document handed over or invalidated; `None` for the
/// supervisor's own records and for what this counter does not hold.
pub(crate) async fn person_of(
    journal: &Journal,
    kind: &str,
    record_key: &str,
) -> Result<Option<String>, CoreError> {
    let name = |given: &str, surname: &str| format!("{given} {surname}");
    Ok(match EntryKind::parse(kind) {
        Some(EntryKind::SubmitApplication) => journal
            .application(record_key)
            .await?
            .map(|a| name(&a.summary.given_names, &a.summary.surname)),
        Some(EntryKind::RecordHandover | EntryKind::InvalidateDocument) => journal
            .document(record_key)
            .await?
            .map(|d| name(&d.given_names, &d.surname)),
        Some(EntryKind::SupervisorDecision | EntryKind::IntakeOverride) | None => None,
    })
}

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(ApplicationView);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_read_as_number_pesel_or_surname() {
        assert_eq!(parse_query("  "), Search::Recent);
        assert_eq!(
            parse_query("85022812343"),
            Search::Pesel("85022812343".into())
        );
        assert_eq!(parse_query("Żółk"), Search::SurnamePrefix("Żółk".into()));
    }
}
