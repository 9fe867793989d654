//! Records kept beside the journal entries, each in its own table with
//! typed columns: cached log-in verifiers and clerk-card bindings (their
//! types; the sealed rows are `credentials.rs`), failed chip
//! checks, offline periods, and the supervisor's decisions and intake
//! overrides — the last two also journal entries, hash chained like every
//! action (someone answers for them), never sent to the register.

use crate::actions::{Appended, NewEntry, append, clerk_ok, refused};
use crate::db::now_rfc3339;
use crate::entry::JournalEntry;
use crate::payload::{DecisionOutcome, DecisionPayload, EntryPayload, OverridePayload};
use crate::{Journal, JournalError, Result};
use serde::{Deserialize, Serialize};

/// A clerk's role, as the register vouched for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    Supervisor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clerk => "clerk",
            Self::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "clerk" => Some(Self::Clerk),
            "supervisor" => Some(Self::Supervisor),
            _ => None,
        }
    }
}

/// An account as the register last confirmed it at this counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAccount {
    pub clerk_id: String,
    pub display_name: String,
    pub role: Role,
    /// argon2id PHC string of the password typed at the last online
    /// log-in; `None` when only a clerk card confirmed the account.
    pub verifier: Option<String>,
    /// RFC 3339.
    pub verified_at: String,
}

/// A clerk card tied to an account at this counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardBinding {
    pub card_id: String,
    pub clerk_id: String,
    /// The card's P-256 public key, hex.
    pub public_key: String,
    pub bound_at: String,
}

/// A supervisor's decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub entry_id: String,
    pub outcome: DecisionOutcome,
    pub note: String,
    pub supervisor_id: String,
    pub decided_at: String,
    /// The journal entry that records it (`None` for decisions recorded by
    /// release 0.1, before decisions were chained).
    pub journal_id: Option<String>,
}

/// A period the register was unreachable (RFC 3339 UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineSpan {
    pub started_at: String,
    pub ended_at: String,
}

fn corrupt(what: String) -> JournalError {
    JournalError::Corrupt(what)
}

impl Journal {
    // Cached accounts and card bindings: `credentials.rs` (sealed rows).

    /// The outcome code of a document's last failed chip check, if it
    /// failed and no check passed since.
    pub async fn chip_failure(&self, document_number: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!(
            "SELECT outcome FROM chip_failures WHERE document_number = ?1",
            document_number
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn record_chip_failure(&self, document_number: &str, outcome: &str) -> Result<()> {
        let now = now_rfc3339();
        sqlx::query!(
            "INSERT INTO chip_failures (document_number, outcome, failed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (document_number) DO UPDATE SET outcome = excluded.outcome, failed_at = excluded.failed_at",
            document_number,
            outcome,
            now
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn clear_chip_failure(&self, document_number: &str) -> Result<()> {
        sqlx::query!(
            "DELETE FROM chip_failures WHERE document_number = ?1",
            document_number
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn record_offline_period(&self, started_at: &str, ended_at: &str) -> Result<()> {
        sqlx::query!(
            "INSERT OR IGNORE INTO offline_periods (started_at, ended_at) VALUES (?1, ?2)",
            started_at,
            ended_at
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Offline periods overlapping `[from, to)` (RFC 3339 UTC strings).
    pub async fn offline_periods_between(&self, from: &str, to: &str) -> Result<Vec<OfflineSpan>> {
        Ok(sqlx::query_as!(
            OfflineSpan,
            "SELECT started_at, ended_at FROM offline_periods
             WHERE ended_at >= ?1 AND started_at < ?2 ORDER BY started_at",
            from,
            to
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a supervisor's decision on a refused entry: a journal entry
    /// and its row, one transaction. A recorded decision stands: a second
    /// one for the same entry is refused.
    pub async fn record_decision(
        &self,
        entry_id: &str,
        outcome: DecisionOutcome,
        note: &str,
        supervisor_id: &str,
    ) -> Result<DecisionRecord> {
        clerk_ok(supervisor_id)?;
        self.refuse_if_damaged()?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let state = sqlx::query_scalar!("SELECT sync_state FROM journal WHERE id = ?1", entry_id)
            .fetch_optional(&mut *tx)
            .await?;
        if !matches!(
            state.as_deref(),
            Some("rejected" | "conflict" | "unsendable")
        ) {
            return Err(JournalError::NotFound(format!("refused entry {entry_id}")));
        }
        let exists = sqlx::query_scalar!(
            "SELECT 1 AS \"x!: i64\" FROM decisions WHERE entry_id = ?1",
            entry_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_some() {
            return Err(refused(
                "outcome",
                "decision.exists",
                "Decyzja w tej sprawie jest już zapisana.",
                "A decision on this is already recorded.",
            ));
        }
        let payload = EntryPayload::SupervisorDecision(DecisionPayload {
            entry_id: entry_id.to_owned(),
            outcome,
            note: note.to_owned(),
        });
        let now = now_rfc3339();
        let Appended { seq, id, hash } = append(
            &mut tx,
            NewEntry {
                record_key: entry_id,
                depends_on: None,
                payload: &payload,
                clerk_id: supervisor_id,
                device_time: &now,
            },
        )
        .await?;
        let outcome_s = outcome.as_str();
        sqlx::query!(
            "INSERT INTO decisions (entry_id, outcome, note, supervisor_id, decided_at, journal_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            entry_id,
            outcome_s,
            note,
            supervisor_id,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.after_commit(1, seq, &hash);
        Ok(DecisionRecord {
            entry_id: entry_id.to_owned(),
            outcome,
            note: note.to_owned(),
            supervisor_id: supervisor_id.to_owned(),
            decided_at: now,
            journal_id: Some(id),
        })
    }

    pub async fn decision(&self, entry_id: &str) -> Result<Option<DecisionRecord>> {
        let Some(r) = sqlx::query!(
            "SELECT entry_id, outcome, note, supervisor_id, decided_at, journal_id FROM decisions WHERE entry_id = ?1",
            entry_id
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let outcome = DecisionOutcome::parse(&r.outcome)
            .ok_or_else(|| corrupt(format!("decision on {} reads {:?}", r.entry_id, r.outcome)))?;
        Ok(Some(DecisionRecord {
            entry_id: r.entry_id,
            outcome,
            note: r.note,
            supervisor_id: r.supervisor_id,
            decided_at: r.decided_at,
            journal_id: r.journal_id,
        }))
    }

    /// Records a supervisor's intake override: a journal entry and its row.
    pub async fn record_intake_override(&self, until: &str, supervisor_id: &str) -> Result<()> {
        clerk_ok(supervisor_id)?;
        self.refuse_if_damaged()?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let payload = EntryPayload::IntakeOverride(OverridePayload {
            until: until.to_owned(),
        });
        let now = now_rfc3339();
        let Appended { seq, id, hash } = append(
            &mut tx,
            NewEntry {
                record_key: "intake",
                depends_on: None,
                payload: &payload,
                clerk_id: supervisor_id,
                device_time: &now,
            },
        )
        .await?;
        sqlx::query!(
            "INSERT INTO intake_overrides (until, supervisor_id, recorded_at, journal_id) VALUES (?1, ?2, ?3, ?4)",
            until,
            supervisor_id,
            now,
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.after_commit(1, seq, &hash);
        Ok(())
    }

    /// The latest override's end (RFC 3339), if any was ever recorded.
    pub async fn intake_override_until(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar!(
            "SELECT until FROM intake_overrides ORDER BY recorded_at DESC, rowid DESC LIMIT 1"
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Entries the register refused (or this release cannot send), in
    /// order, each with the supervisor's decision if one was recorded: one
    /// query.
    pub async fn refusals(
        &self,
        limit: u32,
    ) -> Result<Vec<(JournalEntry, Option<DecisionRecord>)>> {
        let limit = i64::from(limit);
        let rows = sqlx::query!(
            r#"SELECT j.seq, j.id, j.kind, j.record_key, j.depends_on, j.payload, j.clerk_id, j.device_time,
                      j.entry_hash, j.sync_state, j.attempts, j.last_error, j.register_reason, j.state_changed_at,
                      d.outcome AS "outcome?", d.note AS "note?", d.supervisor_id AS "supervisor_id?",
                      d.decided_at AS "decided_at?", d.journal_id AS "decision_journal_id?"
               FROM journal j LEFT JOIN decisions d ON d.entry_id = j.id
               WHERE j.sync_state IN ('rejected', 'conflict', 'unsendable')
               ORDER BY j.seq LIMIT ?1"#,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let decision = match (r.outcome, r.note, r.supervisor_id, r.decided_at) {
                    (Some(outcome), Some(note), Some(supervisor_id), Some(decided_at)) => {
                        Some(DecisionRecord {
                            outcome: DecisionOutcome::parse(&outcome).ok_or_else(|| {
                                corrupt(format!("decision on {} reads {outcome:?}", r.id))
                            })?,
                            entry_id: r.id.clone(),
                            note,
                            supervisor_id,
                            decided_at,
                            journal_id: r.decision_journal_id,
                        })
                    }
                    (None, None, None, None) => None,
                    _ => return Err(corrupt(format!("the decision on {} is incomplete", r.id))),
                };
                let entry = JournalEntry::try_from(crate::entry::EntryRow {
                    seq: r.seq,
                    id: r.id,
                    kind: r.kind,
                    record_key: r.record_key,
                    depends_on: r.depends_on,
                    payload: r.payload,
                    clerk_id: r.clerk_id,
                    device_time: r.device_time,
                    entry_hash: r.entry_hash,
                    sync_state: r.sync_state,
                    attempts: r.attempts,
                    last_error: r.last_error,
                    register_reason: r.register_reason,
                    state_changed_at: r.state_changed_at,
                })?;
                Ok((entry, decision))
            })
            .collect()
    }
}
