//! What the register refused and nobody has acted on yet: the entries in
//! state `rejected` or `conflict` without a supervisor's decision. The
//! counter raises each as a notice until a supervisor decides; it is
//! derived from the journal and the `decisions` table alone, so it
//! survives a restart and cannot drift from them.

use crate::entry::SyncState;
use crate::{Journal, Result};

/// One refused entry with no decision yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRefusal {
    pub entry_id: String,
    pub seq: i64,
    /// The entry kind, as stored.
    pub kind: String,
    /// The document or application number it is about.
    pub record_key: String,
    /// `Rejected` or `Conflict`.
    pub state: SyncState,
    /// The register's answer, as the sync engine recorded it.
    pub register_reason: Option<String>,
    /// When the register's answer was recorded (RFC 3339).
    pub since: String,
}

/// Where one entry stands with the register, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryAnswer {
    pub state: SyncState,
    pub register_reason: Option<String>,
    /// When the state last changed (RFC 3339).
    pub since: String,
}

fn state_of(id: &str, stored: &str) -> Result<SyncState> {
    SyncState::parse(stored).ok_or_else(|| {
        crate::JournalError::Corrupt(format!("entry {id} has sync state {stored:?}"))
    })
}

impl Journal {
    /// The sync state and the register's answer of one entry (`None`: no
    /// such entry).
    pub async fn entry_answer(&self, id: &str) -> Result<Option<EntryAnswer>> {
        let row = sqlx::query!(
            "SELECT sync_state, register_reason, state_changed_at FROM journal WHERE id = ?1",
            id
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(EntryAnswer {
                state: state_of(id, &r.sync_state)?,
                register_reason: r.register_reason,
                since: r.state_changed_at,
            })
        })
        .transpose()
    }

    /// Refused entries without a decision, newest first (at most `limit`).
    pub async fn open_refusals(&self, limit: u32) -> Result<Vec<OpenRefusal>> {
        let limit = i64::from(limit);
        let rows = sqlx::query!(
            "SELECT j.seq, j.id, j.kind, j.record_key, j.sync_state, j.register_reason, j.state_changed_at
             FROM journal j
             WHERE j.sync_state IN ('rejected', 'conflict')
               AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.entry_id = j.id)
             ORDER BY j.seq DESC LIMIT ?1",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let state = state_of(&r.id, &r.sync_state)?;
                Ok(OpenRefusal {
                    entry_id: r.id,
                    seq: r.seq,
                    kind: r.kind,
                    record_key: r.record_key,
                    state,
                    register_reason: r.register_reason,
                    since: r.state_changed_at,
                })
            })
            .collect()
    }
}
