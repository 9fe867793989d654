//! What the screens and `counterctl` read: queue state, application search,
//! journal entries.

use crate::entry::{EntryRow, JournalEntry};
use crate::{Journal, Result};
use chrono::{DateTime, Utc};
use passport_domain::names;
use passport_domain::number::ApplicationNumber;
use serde::{Deserialize, Serialize};

/// The sync queue at a glance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueueStats {
    /// Entries not yet acknowledged nor finally refused (pending + in flight).
    pub depth: i64,
    pub pending: i64,
    pub in_flight: i64,
    pub acknowledged: i64,
    pub rejected: i64,
    pub conflict: i64,
    /// Device time of the oldest entry still in the queue.
    pub oldest_pending: Option<String>,
    pub oldest_pending_age_secs: Option<i64>,
    /// Last time the register answered this workstation (set by sync).
    pub last_register_contact: Option<String>,
}

/// How to look for applications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// Exact application number (as typed: case and spaces do not matter).
    Number(String),
    Pesel(String),
    /// Surname prefix, case- and diacritic-insensitive.
    SurnamePrefix(String),
    /// The newest applications.
    Recent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicationSummary {
    pub number: String,
    pub kind: String,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    pub birth_date: String,
    pub status: String,
    pub fee_grosz: i64,
    pub created_at: String,
    pub sync_state: String,
    pub register_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub summary: ApplicationSummary,
    pub journal_id: String,
    pub journal_seq: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub photo_sha256: String,
    /// Who took it.
    pub clerk_id: String,
    /// The application as validated and journaled.
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub data: serde_json::Value,
}

/// The smallest string greater than every string starting with `prefix`
/// (search keys hold only `A`–`Z` and spaces, so bumping the last byte works).
fn prefix_end(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last = last.saturating_add(1);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

impl Journal {
    pub async fn queue_stats(&self, now: DateTime<Utc>) -> Result<QueueStats> {
        let rows = sqlx::query!(
            r#"SELECT sync_state AS "sync_state!", COUNT(*) AS "n!: i64", MIN(device_time) AS "oldest?: String"
               FROM journal GROUP BY sync_state"#
        )
        .fetch_all(&self.pool)
        .await?;
        let mut s = QueueStats::default();
        for r in rows {
            match r.sync_state.as_str() {
                "pending" => s.pending = r.n,
                "in_flight" => s.in_flight = r.n,
                "acknowledged" => s.acknowledged = r.n,
                "rejected" => s.rejected = r.n,
                "conflict" => s.conflict = r.n,
                _ => {}
            }
            if matches!(r.sync_state.as_str(), "pending" | "in_flight") {
                s.oldest_pending = match (s.oldest_pending.take(), r.oldest) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        s.depth = s.pending + s.in_flight;
        s.last_register_contact = self.meta_get(crate::sync::meta::LAST_CONTACT).await?;
        s.oldest_pending_age_secs = s
            .oldest_pending
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| (now - t.with_timezone(&Utc)).num_seconds().max(0));
        Ok(s)
    }

    /// Applications matching `search`, newest first, at most `limit`.
    pub async fn search(&self, search: &Search, limit: u32) -> Result<Vec<ApplicationSummary>> {
        let limit = i64::from(limit);
        let rows = match search {
            Search::Number(n) => {
                let n = ApplicationNumber::parse(n).map(|n| n.to_string()).unwrap_or_else(|_| n.trim().to_ascii_uppercase());
                sqlx::query_as!(
                    ApplicationSummary,
                    "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.status, a.fee_grosz,
                            a.created_at, j.sync_state, j.register_reason
                     FROM applications a JOIN journal j ON j.id = a.journal_id
                     WHERE a.number = ?1 LIMIT ?2",
                    n,
                    limit
                )
                .fetch_all(&self.pool)
                .await?
            }
            Search::Pesel(p) => {
                let p = p.trim();
                sqlx::query_as!(
                    ApplicationSummary,
                    "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.status, a.fee_grosz,
                            a.created_at, j.sync_state, j.register_reason
                     FROM applications a JOIN journal j ON j.id = a.journal_id
                     WHERE a.pesel = ?1 ORDER BY a.created_at DESC LIMIT ?2",
                    p,
                    limit
                )
                .fetch_all(&self.pool)
                .await?
            }
            Search::SurnamePrefix(prefix) => {
                let from = names::search_key(prefix);
                if from.is_empty() {
                    return Ok(Vec::new());
                }
                let to = prefix_end(&from);
                sqlx::query_as!(
                    ApplicationSummary,
                    "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.status, a.fee_grosz,
                            a.created_at, j.sync_state, j.register_reason
                     FROM applications a JOIN journal j ON j.id = a.journal_id
                     WHERE a.surname_key >= ?1 AND a.surname_key < ?2
                     ORDER BY a.surname_key, a.number LIMIT ?3",
                    from,
                    to,
                    limit
                )
                .fetch_all(&self.pool)
                .await?
            }
            Search::Recent => {
                sqlx::query_as!(
                    ApplicationSummary,
                    "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.status, a.fee_grosz,
                            a.created_at, j.sync_state, j.register_reason
                     FROM applications a JOIN journal j ON j.id = a.journal_id
                     ORDER BY j.seq DESC LIMIT ?1",
                    limit
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        Ok(rows)
    }

    /// One application with everything stored about it.
    pub async fn application(&self, number: &str) -> Result<Option<ApplicationDetail>> {
        let n = ApplicationNumber::parse(number)
            .map(|n| n.to_string())
            .unwrap_or_else(|_| number.trim().to_ascii_uppercase());
        let row = sqlx::query!(
            "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.status, a.fee_grosz,
                    a.created_at, a.photo_sha256, j.payload, j.clerk_id, j.id AS journal_id, j.seq AS journal_seq, j.sync_state,
                    j.register_reason, j.attempts, j.last_error
             FROM applications a JOIN journal j ON j.id = a.journal_id
             WHERE a.number = ?1",
            n
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(ApplicationDetail {
            summary: ApplicationSummary {
                number: r.number,
                kind: r.kind,
                pesel: r.pesel,
                surname: r.surname,
                given_names: r.given_names,
                birth_date: r.birth_date,
                status: r.status,
                fee_grosz: r.fee_grosz,
                created_at: r.created_at,
                sync_state: r.sync_state,
                register_reason: r.register_reason,
            },
            journal_id: r.journal_id,
            journal_seq: r.journal_seq,
            attempts: r.attempts,
            last_error: r.last_error,
            photo_sha256: r.photo_sha256,
            clerk_id: r.clerk_id,
            data: serde_json::from_str::<serde_json::Value>(&r.payload)?["application"].take(),
        }))
    }

    /// Journal entries after `after_seq`, in order, at most `limit`.
    pub async fn entries(&self, after_seq: i64, limit: u32) -> Result<Vec<JournalEntry>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            EntryRow,
            "SELECT seq, id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash,
                    sync_state, attempts, last_error, register_reason, state_changed_at
             FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            after_seq,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok(JournalEntry::try_from(r)?))
            .collect()
    }

    /// Entries the register has not acknowledged (queued, in flight, refused),
    /// oldest first: the outbox.
    pub async fn unacknowledged(&self, limit: u32) -> Result<Vec<JournalEntry>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            EntryRow,
            "SELECT seq, id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash,
                    sync_state, attempts, last_error, register_reason, state_changed_at
             FROM journal WHERE sync_state != 'acknowledged' ORDER BY seq LIMIT ?1",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok(JournalEntry::try_from(r)?))
            .collect()
    }

    /// The newest entries, newest first.
    pub async fn recent_entries(&self, limit: u32) -> Result<Vec<JournalEntry>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            EntryRow,
            "SELECT seq, id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash,
                    sync_state, attempts, last_error, register_reason, state_changed_at
             FROM journal ORDER BY seq DESC LIMIT ?1",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| Ok(JournalEntry::try_from(r)?))
            .collect()
    }

    /// How many entries of each kind and sync state were saved with a device
    /// time in `[from, to)` (RFC 3339 UTC strings): the end-of-day counts.
    pub async fn counts_between(&self, from: &str, to: &str) -> Result<Vec<KindStateCount>> {
        let rows = sqlx::query!(
            "SELECT kind, sync_state, COUNT(*) AS n FROM journal
             WHERE device_time >= ?1 AND device_time < ?2
             GROUP BY kind, sync_state ORDER BY kind, sync_state",
            from,
            to
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| KindStateCount {
                kind: r.kind,
                sync_state: r.sync_state,
                count: r.n,
            })
            .collect())
    }

    /// A document known at this counter, by document number or by the
    /// application it was made for (as typed or scanned: case and spaces
    /// do not matter).
    pub async fn document(&self, number: &str) -> Result<Option<LocalDocument>> {
        let n: String = number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let n = ApplicationNumber::parse(&n).map_or(n, |a| a.to_string());
        let row = sqlx::query_as!(
            LocalDocument,
            "SELECT document_number, application_number, pesel, surname, given_names, mrz_line1, mrz_line2,
                    status, invalidation_reason, synced_at
             FROM documents WHERE document_number = ?1 OR application_number = ?1
             ORDER BY document_number = ?1 DESC LIMIT 1",
            n
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// A hand-over recorded at this counter, with the holder and the clerk.
    pub async fn handover(&self, document_number: &str) -> Result<Option<HandoverRecord>> {
        let n = document_number.trim().to_ascii_uppercase();
        let row = sqlx::query_as!(
            HandoverRecord,
            "SELECT h.document_number, h.application_number, d.pesel, d.surname, d.given_names,
                    h.collected_by, h.identity_check, h.chip_check, h.previous_passport,
                    h.provisional != 0 AS \"provisional!: bool\", h.recorded_at, j.clerk_id, j.sync_state
             FROM handovers h JOIN documents d ON d.document_number = h.document_number
                              JOIN journal j ON j.id = h.journal_id
             WHERE h.document_number = ?1",
            n
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// Documents waiting for collection at this office, by number.
    pub async fn ready_documents(&self, limit: u32) -> Result<Vec<LocalDocument>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            LocalDocument,
            "SELECT document_number, application_number, pesel, surname, given_names, mrz_line1, mrz_line2,
                    status, invalidation_reason, synced_at
             FROM documents WHERE status = 'awaiting_collection' ORDER BY document_number LIMIT ?1",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

/// A hand-over as recorded, for its protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverRecord {
    pub document_number: String,
    pub application_number: Option<String>,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    /// JSON: who collected it.
    pub collected_by: String,
    pub identity_check: String,
    pub chip_check: String,
    pub previous_passport: Option<String>,
    pub provisional: bool,
    pub recorded_at: String,
    pub clerk_id: String,
    pub sync_state: String,
}

/// One line of the end-of-day counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KindStateCount {
    pub kind: String,
    pub sync_state: String,
    pub count: i64,
}

/// A document as this counter knows it (from the ready list, or after its
/// hand-over or invalidation here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LocalDocument {
    pub document_number: String,
    pub application_number: Option<String>,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    pub mrz_line1: Option<String>,
    pub mrz_line2: Option<String>,
    /// `awaiting_collection`, `valid` (handed over), `invalidated`.
    pub status: String,
    pub invalidation_reason: Option<String>,
    /// When the ready list last brought it.
    pub synced_at: Option<String>,
}
