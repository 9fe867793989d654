//! What the sync engine reads and writes: the queue in order, results in
//! batches, and a little memory (`sync_meta`).

use crate::db::now_rfc3339;
use crate::entry::{EntryRow, JournalEntry};
use crate::{Journal, Result};
use passport_domain::ApplicationStatus;

/// The register's verdict on one entry, as the sync engine records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    Acknowledged,
    /// Refused for good (422, or a 409 about the request itself).
    Rejected {
        reason: String,
    },
    /// The register's records disagree with this counter's (409 about the
    /// record's state): a supervisor decides.
    Conflict {
        reason: String,
    },
    /// Not delivered this time; it stays queued.
    Retry {
        error: String,
    },
    /// Held back: an entry it depends on was not acknowledged.
    Waiting {
        why: String,
    },
    /// Its stored payload cannot be read: never sent; `error` says why.
    Unsendable {
        error: String,
    },
}

#[derive(Debug, Clone)]
pub struct SyncResult {
    pub id: String,
    pub outcome: SyncOutcome,
}

/// Keys in `sync_meta`.
pub mod meta {
    pub const LAST_CONTACT: &str = "last_contact";
    pub const READY_CURSOR: &str = "ready_cursor";
    pub const READY_SYNCED_AT: &str = "ready_synced_at";
}

impl Journal {
    /// Entries left "in flight" by a crash go back to the queue; resending
    /// them is safe because the register replays by idempotency key.
    pub async fn reset_in_flight(&self) -> Result<u64> {
        let n = sqlx::query!(
            "UPDATE journal SET sync_state = 'pending' WHERE sync_state = 'in_flight'"
        )
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n)
    }

    /// Queued entries after `after_seq`, in order.
    pub async fn queued_after(&self, after_seq: i64, limit: u32) -> Result<Vec<JournalEntry>> {
        let limit = i64::from(limit);
        let rows = sqlx::query_as!(
            EntryRow,
            "SELECT seq, id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash,
                    sync_state, attempts, last_error, register_reason, state_changed_at
             FROM journal WHERE sync_state IN ('pending', 'in_flight') AND seq > ?1 ORDER BY seq LIMIT ?2",
            after_seq,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(JournalEntry::try_from).collect()
    }

    /// The sync state of one entry.
    pub async fn entry_state(&self, id: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar!("SELECT sync_state FROM journal WHERE id = ?1", id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Marks entries as being sent: one statement.
    pub async fn mark_in_flight(&self, ids: &[String]) -> Result<()> {
        let ids = serde_json::to_string(ids)?;
        let now = now_rfc3339();
        sqlx::query!(
            "UPDATE journal SET sync_state = 'in_flight', state_changed_at = ?1
             WHERE sync_state = 'pending' AND id IN (SELECT value FROM json_each(?2))",
            now,
            ids
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records the register's verdicts, and what they change locally, in one
    /// transaction. A crash before it commits only means they are sent
    /// again, and replayed by the register.
    pub async fn record_results(
        &self,
        results: &[SyncResult],
        contact: Option<&str>,
    ) -> Result<()> {
        if results.is_empty() && contact.is_none() {
            return Ok(());
        }
        let now = now_rfc3339();
        // Acknowledgements are most of the traffic: one statement for all.
        let acked: Vec<&str> = results
            .iter()
            .filter(|r| r.outcome == SyncOutcome::Acknowledged)
            .map(|r| r.id.as_str())
            .collect();
        let acked = serde_json::to_string(&acked)?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query!(
            "UPDATE journal SET sync_state = 'acknowledged', register_reason = NULL, last_error = NULL,
                    attempts = attempts + 1, state_changed_at = ?1
             WHERE id IN (SELECT value FROM json_each(?2))",
            now,
            acked
        )
        .execute(&mut *tx)
        .await?;
        let (accepted, submitted) = (
            ApplicationStatus::Accepted.as_str(),
            ApplicationStatus::Submitted.as_str(),
        );
        sqlx::query!(
            "UPDATE applications SET status = ?1
             WHERE status = ?2 AND number IN (
                 SELECT j.record_key FROM journal j JOIN json_each(?3) a ON j.id = a.value
                 WHERE j.kind = 'submit_application')",
            accepted,
            submitted,
            acked
        )
        .execute(&mut *tx)
        .await?;
        for r in results
            .iter()
            .filter(|r| r.outcome != SyncOutcome::Acknowledged)
        {
            let (state, reason, error, bump) = match &r.outcome {
                SyncOutcome::Rejected { reason } => ("rejected", Some(reason.as_str()), None, 1),
                SyncOutcome::Conflict { reason } => ("conflict", Some(reason.as_str()), None, 1),
                SyncOutcome::Retry { error } => ("pending", None, Some(error.as_str()), 1),
                SyncOutcome::Waiting { why } => ("pending", None, Some(why.as_str()), 0),
                SyncOutcome::Unsendable { error } => ("unsendable", None, Some(error.as_str()), 0),
                SyncOutcome::Acknowledged => continue,
            };
            sqlx::query!(
                "UPDATE journal SET sync_state = ?1, register_reason = ?2, last_error = ?3, attempts = attempts + ?4, state_changed_at = ?5
                 WHERE id = ?6",
                state,
                reason,
                error,
                bump,
                now,
                r.id
            )
            .execute(&mut *tx)
            .await?;
            if matches!(r.outcome, SyncOutcome::Rejected { .. }) {
                let rejected = ApplicationStatus::Rejected.as_str();
                sqlx::query!(
                    "UPDATE applications SET status = ?1
                     WHERE number = (SELECT record_key FROM journal WHERE id = ?2 AND kind = 'submit_application') AND status = ?3",
                    rejected,
                    r.id,
                    submitted
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(at) = contact {
            upsert_meta(&mut tx, meta::LAST_CONTACT, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A stored photo: its MIME type and bytes.
    pub async fn photo(&self, sha256: &str) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query!("SELECT mime, bytes FROM photos WHERE sha256 = ?1", sha256)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.mime, r.bytes)))
    }

    pub async fn meta_get(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar!("SELECT value FROM sync_meta WHERE key = ?1", key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn meta_set(&self, key: &str, value: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        upsert_meta(&mut conn, key, value).await
    }

    pub async fn meta_delete(&self, key: &str) -> Result<()> {
        sqlx::query!("DELETE FROM sync_meta WHERE key = ?1", key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn upsert_meta(conn: &mut sqlx::SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query!(
        "INSERT INTO sync_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        key,
        value
    )
    .execute(conn)
    .await?;
    Ok(())
}
