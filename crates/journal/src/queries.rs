//! What the screens and `counterctl` read: queue state, application search,
//! journal entries.

use crate::entry::{EntryKind, EntryRow, JournalEntry, SyncState};
use crate::payload::{ChipCheck, Collector, EntryPayload};
use crate::{Journal, Result};
use chrono::{DateTime, Utc};
use passport_domain::names;
use passport_domain::number::ApplicationNumber;
use passport_domain::{ApplicationStatus, DocumentState, DocumentStatus, InvalidationReason};
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
    /// Entries whose stored payload this release cannot read: never sent.
    pub unsendable: i64,
    /// Records kept at this counter only (decisions, overrides).
    pub local: i64,
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

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicationSummary {
    pub number: String,
    pub kind: String,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    pub birth_date: String,
    pub status: ApplicationStatus,
    pub fee_grosz: i64,
    pub created_at: String,
    pub sync_state: SyncState,
    pub register_reason: Option<String>,
}

/// An application row as stored: its states still text.
#[derive(Debug)]
struct SummaryRow {
    number: String,
    kind: String,
    pesel: String,
    surname: String,
    given_names: String,
    birth_date: String,
    status: String,
    fee_grosz: i64,
    created_at: String,
    sync_state: String,
    register_reason: Option<String>,
}

impl TryFrom<SummaryRow> for ApplicationSummary {
    type Error = crate::JournalError;

    fn try_from(r: SummaryRow) -> Result<Self> {
        let corrupt = |what: &str, v: &str| {
            crate::JournalError::Corrupt(format!("application {} has the {what} {v:?}", r.number))
        };
        Ok(Self {
            status: ApplicationStatus::parse(&r.status)
                .ok_or_else(|| corrupt("status", &r.status))?,
            sync_state: SyncState::parse(&r.sync_state)
                .ok_or_else(|| corrupt("sync state", &r.sync_state))?,
            number: r.number,
            kind: r.kind,
            pesel: r.pesel,
            surname: r.surname,
            given_names: r.given_names,
            birth_date: r.birth_date,
            fee_grosz: r.fee_grosz,
            created_at: r.created_at,
            register_reason: r.register_reason,
        })
    }
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
    pub data: passport_domain::ValidApplication,
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
            let state = SyncState::parse(&r.sync_state).ok_or_else(|| {
                crate::JournalError::Corrupt(format!("unknown sync state {:?}", r.sync_state))
            })?;
            *match state {
                SyncState::Pending => &mut s.pending,
                SyncState::InFlight => &mut s.in_flight,
                SyncState::Acknowledged => &mut s.acknowledged,
                SyncState::Rejected => &mut s.rejected,
                SyncState::Conflict => &mut s.conflict,
                SyncState::Unsendable => &mut s.unsendable,
                SyncState::Local => &mut s.local,
            } = r.n;
            if matches!(state, SyncState::Pending | SyncState::InFlight) {
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
                    SummaryRow,
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
                    SummaryRow,
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
                    SummaryRow,
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
                    SummaryRow,
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
        rows.into_iter().map(ApplicationSummary::try_from).collect()
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
        let summary = ApplicationSummary::try_from(SummaryRow {
            number: r.number.clone(),
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
        })?;
        let data = match EntryPayload::decode(EntryKind::SubmitApplication.as_str(), &r.payload)? {
            EntryPayload::SubmitApplication(p) => p.application,
            other => {
                return Err(crate::JournalError::Corrupt(format!(
                    "application {} points at a {} entry",
                    r.number,
                    other.kind().as_str()
                )));
            }
        };
        Ok(Some(ApplicationDetail {
            summary,
            journal_id: r.journal_id,
            journal_seq: r.journal_seq,
            attempts: r.attempts,
            last_error: r.last_error,
            photo_sha256: r.photo_sha256,
            clerk_id: r.clerk_id,
            data,
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
        rows.into_iter().map(JournalEntry::try_from).collect()
    }

    /// Entries the register has not acknowledged (queued, in flight, refused),
    /// oldest first: the outbox.
    pub async fn unacknowledged(&self, limit: u32) -> Result<Vec<JournalEntry>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            EntryRow,
            r#"SELECT seq AS "seq!", id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash,
                    sync_state, attempts, last_error, register_reason, state_changed_at
             FROM journal WHERE sync_state NOT IN ('acknowledged', 'local') ORDER BY seq LIMIT ?1"#,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(JournalEntry::try_from).collect()
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
        rows.into_iter().map(JournalEntry::try_from).collect()
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
        rows.into_iter()
            .map(|r| {
                Ok(KindStateCount {
                    sync_state: SyncState::parse(&r.sync_state).ok_or_else(|| {
                        crate::JournalError::Corrupt(format!(
                            "unknown sync state {:?}",
                            r.sync_state
                        ))
                    })?,
                    kind: r.kind,
                    count: r.n,
                })
            })
            .collect()
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
            DocumentRow,
            "SELECT document_number, application_number, pesel, surname, given_names, mrz_line1, mrz_line2,
                    status, invalidation_reason, synced_at
             FROM documents WHERE document_number = ?1 OR application_number = ?1
             ORDER BY document_number = ?1 DESC LIMIT 1",
            n
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(LocalDocument::try_from).transpose()
    }

    /// A hand-over recorded at this counter, with the holder and the clerk.
    pub async fn handover(&self, document_number: &str) -> Result<Option<HandoverRecord>> {
        let n = document_number.trim().to_ascii_uppercase();
        let row = sqlx::query_as!(
            HandoverRow,
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
        row.map(HandoverRecord::try_from).transpose()
    }

    /// Documents waiting for collection at this office, by number.
    pub async fn ready_documents(&self, limit: u32) -> Result<Vec<LocalDocument>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            DocumentRow,
            "SELECT document_number, application_number, pesel, surname, given_names, mrz_line1, mrz_line2,
                    status, invalidation_reason, synced_at
             FROM documents WHERE status = 'awaiting_collection' ORDER BY document_number LIMIT ?1",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(LocalDocument::try_from).collect()
    }
}

/// A hand-over as recorded, for its protocol.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverRecord {
    pub document_number: String,
    pub application_number: Option<String>,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    pub collected_by: Collector,
    pub identity_check: String,
    pub chip_check: ChipCheck,
    pub previous_passport: Option<String>,
    pub provisional: bool,
    pub recorded_at: String,
    pub clerk_id: String,
    pub sync_state: String,
}

/// The hand-over row as stored: who collected it still JSON text.
#[derive(Debug)]
struct HandoverRow {
    document_number: String,
    application_number: Option<String>,
    pesel: String,
    surname: String,
    given_names: String,
    collected_by: String,
    identity_check: String,
    chip_check: String,
    previous_passport: Option<String>,
    provisional: bool,
    recorded_at: String,
    clerk_id: String,
    sync_state: String,
}

impl TryFrom<HandoverRow> for HandoverRecord {
    type Error = crate::JournalError;

    fn try_from(r: HandoverRow) -> Result<Self> {
        let chip_check = match r.chip_check.as_str() {
            "passed" => ChipCheck::Passed,
            "not_checked" => ChipCheck::NotChecked,
            other => {
                return Err(crate::JournalError::Corrupt(format!(
                    "hand-over of {} records the chip check {other:?}",
                    r.document_number
                )));
            }
        };
        Ok(Self {
            collected_by: serde_json::from_str(&r.collected_by)?,
            chip_check,
            document_number: r.document_number,
            application_number: r.application_number,
            pesel: r.pesel,
            surname: r.surname,
            given_names: r.given_names,
            identity_check: r.identity_check,
            previous_passport: r.previous_passport,
            provisional: r.provisional,
            recorded_at: r.recorded_at,
            clerk_id: r.clerk_id,
            sync_state: r.sync_state,
        })
    }
}

/// One line of the end-of-day counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KindStateCount {
    pub kind: String,
    pub sync_state: SyncState,
    pub count: i64,
}

/// A document as this counter knows it (from the ready list, or after its
/// hand-over or invalidation here).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LocalDocument {
    pub document_number: String,
    pub application_number: Option<String>,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    pub mrz_line1: Option<String>,
    pub mrz_line2: Option<String>,
    /// Waiting, handed over and in force, or invalidated (with the reason).
    pub status: DocumentState,
    pub invalidation_reason: Option<InvalidationReason>,
    /// When the ready list last brought it.
    pub synced_at: Option<String>,
}

/// A document row as stored: its state still text.
#[derive(Debug)]
struct DocumentRow {
    document_number: String,
    application_number: Option<String>,
    pesel: String,
    surname: String,
    given_names: String,
    mrz_line1: Option<String>,
    mrz_line2: Option<String>,
    status: String,
    invalidation_reason: Option<String>,
    synced_at: Option<String>,
}

impl TryFrom<DocumentRow> for LocalDocument {
    type Error = crate::JournalError;

    fn try_from(r: DocumentRow) -> Result<Self> {
        let status = DocumentStatus::parse(&r.status, r.invalidation_reason.as_deref())
            .ok_or_else(|| {
                crate::JournalError::Corrupt(format!(
                    "document {} has the state {:?} ({:?})",
                    r.document_number, r.status, r.invalidation_reason
                ))
            })?;
        Ok(Self {
            status: status.state(),
            invalidation_reason: status.reason(),
            document_number: r.document_number,
            application_number: r.application_number,
            pesel: r.pesel,
            surname: r.surname,
            given_names: r.given_names,
            mrz_line1: r.mrz_line1,
            mrz_line2: r.mrz_line2,
            synced_at: r.synced_at,
        })
    }
}

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(ApplicationSummary, HandoverRecord, LocalDocument);
