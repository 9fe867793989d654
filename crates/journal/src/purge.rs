//! Retention: the personal data of entries the register acknowledged long
//! enough ago are purged from this counter.
//!
//! What is purged, per entry: the payload (replaced by JSON `null`), the
//! application row (PESEL, names, birth date) with its photo when no other
//! application here uses it, the hand-over row (who collected, how
//! identity was checked) and the document row (PESEL, names, MRZ). What
//! stays: the journal row itself (id = idempotency key, kind, record
//! number, clerk, device time, state and the times it changed, the
//! register's answer, the chain hash), an invalidation's reason, and the
//! audit chain. Drafts (nobody's record) older than the retention are
//! deleted. `secure_delete` zeroes what is deleted in the file, and the
//! WAL is checkpointed and truncated afterwards, so the old pages do not
//! linger there either.
//!
//! What is never purged: an entry the register has not acknowledged, and
//! an acknowledged one that something still waits on: an entry on the
//! same record, or depending on it, that is queued, in flight, unsendable,
//! or refused without a supervisor's decision; an application whose
//! passport is waiting for collection here (its guardians decide who may
//! collect it).
//!
//! The chain: an entry's hash covers its payload, so a purged entry's hash
//! cannot be recomputed. Each purge therefore writes, in one transaction,
//! a row in `purges` (the payload's SHA-256) and a `purge` row in the audit
//! chain (who, when, which entry) whose detail is a [`seal`] over every
//! field the entry's hash covered, the payload replaced by its digest, and
//! the hash itself. `verify` accepts an entry without its payload only when
//! both are there and the seal matches the row as it now stands; the next
//! entry's hash covers this one's, so the chain is unbroken. Before an
//! entry is purged its hash is checked: a tampered entry is kept as it is
//! (the evidence), and counted.

use crate::audit::AuditKind;
use crate::entry::{GENESIS_HASH, HashedFields, hex, sha256_hex};
use crate::{Journal, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The payload text of a purged entry.
pub const PURGED_PAYLOAD: &str = "null";

/// How many entries one transaction purges (the clerks' actions wait for
/// no longer than one batch).
const BATCH: i64 = 200;

/// The fields a purge seal covers: everything the entry's chain hash
/// covered, the payload replaced by its SHA-256, and the hash.
#[derive(Debug, Clone, Copy)]
pub struct SealFields<'a> {
    pub seq: i64,
    pub id: &'a str,
    pub kind: &'a str,
    pub record_key: &'a str,
    pub depends_on: Option<&'a str>,
    pub payload_sha256: &'a str,
    pub clerk_id: &'a str,
    pub device_time: &'a str,
    pub entry_hash: &'a str,
}

/// The seal a purge's audit row carries (hex SHA-256, domain-tagged and
/// length-prefixed like the chains' hashes).
pub fn seal(f: &SealFields<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        "purge",
        &f.seq.to_string(),
        f.id,
        f.kind,
        f.record_key,
        f.depends_on.unwrap_or(""),
        f.payload_sha256,
        f.clerk_id,
        f.device_time,
        f.entry_hash,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// How many entries of one kind were (or would be) purged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgedKind {
    /// The entry kind as stored (`submit_application`, …).
    pub kind: String,
    pub count: u64,
}

/// What a purge did (or, in a dry run, would do). No personal data: kinds,
/// counts, dates, record numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub dry_run: bool,
    /// Entries acknowledged before this time (RFC 3339 UTC) were due.
    pub cutoff: String,
    pub entries: u64,
    pub kinds: Vec<PurgedKind>,
    /// The device time of the oldest and newest purged entry.
    pub oldest: Option<String>,
    pub newest: Option<String>,
    /// Drafts not touched since the cutoff, deleted.
    pub drafts: u64,
    /// Photos deleted (no application here uses them any more).
    pub photos: u64,
    /// Due by age, kept because something still waits on them.
    pub kept_waiting: u64,
    /// Due by age, kept because their hash does not verify (evidence).
    pub kept_tampered: u64,
    /// The purged entries' kinds and record numbers (application or
    /// document numbers), for the printouts kept of them.
    pub records: Vec<(String, String)>,
}

impl PurgeReport {
    fn count(&mut self, kind: &str, device_time: &str, record_key: &str) {
        self.entries += 1;
        match self.kinds.iter_mut().find(|k| k.kind == kind) {
            Some(k) => k.count += 1,
            None => self.kinds.push(PurgedKind {
                kind: kind.to_owned(),
                count: 1,
            }),
        }
        let t = device_time.to_owned();
        self.oldest = Some(self.oldest.take().map_or(t.clone(), |o| o.min(t.clone())));
        self.newest = Some(self.newest.take().map_or(t.clone(), |n| n.max(t)));
        self.records.push((kind.to_owned(), record_key.to_owned()));
    }
}

/// What was purged between two times (for the end-of-day report).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PurgeSummary {
    /// The retention those purges ran with (the longest, if it changed).
    pub retention_days: Option<u32>,
    pub kinds: Vec<PurgedKind>,
    pub oldest: Option<String>,
    pub newest: Option<String>,
}

impl PurgeSummary {
    pub fn total(&self) -> u64 {
        self.kinds.iter().map(|k| k.count).sum()
    }
}

/// An acknowledged entry old enough to be purged, as stored.
struct Candidate {
    seq: i64,
    id: String,
    kind: String,
    record_key: String,
    depends_on: Option<String>,
    payload: String,
    clerk_id: String,
    device_time: String,
    entry_hash: String,
    waiting: bool,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Journal {
    /// Purges the personal data of entries acknowledged by the register
    /// more than `retention_days` before `now`, and drafts untouched as
    /// long, recording each purge in the audit chain as done by
    /// `supervisor_id`. With `dry_run` nothing is written: the report says
    /// what would be purged. Who may purge is decided by the caller (the
    /// core: supervisors only).
    pub async fn purge_personal_data(
        &self,
        supervisor_id: &str,
        now: DateTime<Utc>,
        retention_days: u32,
        dry_run: bool,
    ) -> Result<PurgeReport> {
        crate::actions::check_clerk_id(supervisor_id)?;
        if !dry_run {
            self.refuse_if_damaged()?;
        }
        let cutoff = rfc3339(now - chrono::Duration::days(i64::from(retention_days)));
        let mut report = PurgeReport {
            dry_run,
            cutoff: cutoff.clone(),
            ..PurgeReport::default()
        };
        let at = rfc3339(now);
        // A dry run counts the photos the purge would remove: each photo of
        // a candidate, and how many candidates hold it (one photo can be
        // two applications'); it goes when no other application holds it.
        let mut dry_photos: std::collections::BTreeMap<String, i64> =
            std::collections::BTreeMap::new();
        // Entries are taken in order after the last one looked at, so an
        // entry kept (waiting, tampered) is not looked at again.
        let mut after = 0i64;
        loop {
            let mut tx = if dry_run {
                self.pool.begin().await?
            } else {
                self.pool.begin_with("BEGIN IMMEDIATE").await?
            };
            let batch = candidates(&mut tx, &cutoff, after).await?;
            let Some(last) = batch.last() else {
                tx.rollback().await?;
                break;
            };
            after = last.seq;
            for c in batch {
                if c.waiting {
                    report.kept_waiting += 1;
                    continue;
                }
                if !hash_verifies(&mut tx, &c).await? {
                    report.kept_tampered += 1;
                    continue;
                }
                report.count(&c.kind, &c.device_time, &c.record_key);
                if dry_run {
                    let photo = sqlx::query_scalar!(
                        "SELECT photo_sha256 FROM applications WHERE journal_id = ?1",
                        c.id
                    )
                    .fetch_optional(&mut *tx)
                    .await?;
                    if let Some(sha) = photo {
                        *dry_photos.entry(sha).or_insert(0) += 1;
                    }
                } else {
                    report.photos +=
                        purge_entry(&mut tx, self, supervisor_id, &at, retention_days, &c).await?;
                }
            }
            if dry_run {
                tx.rollback().await?;
            } else {
                tx.commit().await?;
            }
        }
        for (sha, held_by_candidates) in &dry_photos {
            let held_by_all = sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM applications WHERE photo_sha256 = ?1"#,
                sha
            )
            .fetch_one(&self.pool)
            .await?;
            if held_by_all == *held_by_candidates {
                report.photos += 1;
            }
        }
        report.drafts = if dry_run {
            sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM drafts WHERE updated_at < ?1"#,
                cutoff
            )
            .fetch_one(&self.pool)
            .await?
            .unsigned_abs()
        } else {
            sqlx::query!("DELETE FROM drafts WHERE updated_at < ?1", cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected()
        };
        if !dry_run && (report.entries > 0 || report.drafts > 0) {
            // The pages that held the data are rewritten zeroed in the WAL;
            // copy them into the file and empty the WAL, so no older frame
            // keeps the data. Busy (a reader's snapshot) leaves it to the
            // next checkpoint; nothing is lost either way.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        report.kinds.sort_by(|a, b| a.kind.cmp(&b.kind));
        Ok(report)
    }

    /// What was purged with a purge time in `[from, to)` (RFC 3339 UTC):
    /// counts per kind, and the oldest and newest purged entry's device
    /// time.
    pub async fn purged_between(&self, from: &str, to: &str) -> Result<PurgeSummary> {
        let rows = sqlx::query!(
            r#"SELECT j.kind AS "kind!", COUNT(*) AS "n!: i64", MIN(j.device_time) AS "oldest!: String",
                      MAX(j.device_time) AS "newest!: String", MAX(p.retention_days) AS "days!: i64"
               FROM purges p JOIN journal j ON j.id = p.journal_id
               WHERE p.purged_at >= ?1 AND p.purged_at < ?2
               GROUP BY j.kind ORDER BY j.kind"#,
            from,
            to
        )
        .fetch_all(&self.pool)
        .await?;
        let mut s = PurgeSummary::default();
        for r in rows {
            let days = u32::try_from(r.days).map_err(|_| {
                crate::JournalError::Corrupt(format!("a purge records {} days", r.days))
            })?;
            s.retention_days = Some(s.retention_days.map_or(days, |d| d.max(days)));
            s.oldest = Some(
                s.oldest
                    .take()
                    .map_or(r.oldest.clone(), |o| o.min(r.oldest)),
            );
            s.newest = Some(
                s.newest
                    .take()
                    .map_or(r.newest.clone(), |n| n.max(r.newest)),
            );
            s.kinds.push(PurgedKind {
                kind: r.kind,
                count: r.n.unsigned_abs(),
            });
        }
        Ok(s)
    }
}

/// The next acknowledged, unpurged entries after `after` acknowledged
/// before `cutoff`, each marked when something still waits on it.
async fn candidates(
    tx: &mut sqlx::SqliteConnection,
    cutoff: &str,
    after: i64,
) -> Result<Vec<Candidate>> {
    let rows = sqlx::query!(
        // What still waits (queued, in flight, refused or in conflict
        // without a decision, unsendable) is few rows: gathered once per
        // batch, not scanned again for every candidate.
        r#"WITH unsettled AS MATERIALIZED (
               SELECT d.id, d.depends_on, d.record_key FROM journal d
               -- By name, not NOT IN: the state index finds them.
               WHERE d.sync_state IN ('pending', 'in_flight', 'rejected', 'conflict', 'unsendable')
                 AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.entry_id = d.id))
           SELECT j.seq, j.id, j.kind, j.record_key, j.depends_on, j.payload, j.clerk_id,
                  j.device_time, j.entry_hash,
                  (EXISTS (SELECT 1 FROM unsettled u
                           WHERE u.depends_on = j.id OR (u.record_key = j.record_key AND u.id <> j.id))
                   OR (j.kind = 'submit_application' AND EXISTS (
                           SELECT 1 FROM documents doc
                           WHERE doc.application_number = j.record_key
                             AND doc.status = 'awaiting_collection'))) AS "waiting!: bool"
           FROM journal j
           WHERE j.seq > ?1 AND j.sync_state = 'acknowledged' AND j.state_changed_at < ?2
             AND NOT EXISTS (SELECT 1 FROM purges p WHERE p.journal_id = j.id)
           ORDER BY j.seq LIMIT ?3"#,
        after,
        cutoff,
        BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Candidate {
            seq: r.seq,
            id: r.id,
            kind: r.kind,
            record_key: r.record_key,
            depends_on: r.depends_on,
            payload: r.payload,
            clerk_id: r.clerk_id,
            device_time: r.device_time,
            entry_hash: r.entry_hash,
            waiting: r.waiting,
        })
        .collect())
}

/// Whether the entry still hashes to its chain hash after the entry
/// before it (an entry edited behind the journal's back is not purged:
/// `verify` must go on naming it).
async fn hash_verifies(tx: &mut sqlx::SqliteConnection, c: &Candidate) -> Result<bool> {
    let before = c.seq - 1;
    let prev = if before == 0 {
        Some(GENESIS_HASH.to_owned())
    } else {
        sqlx::query_scalar!("SELECT entry_hash FROM journal WHERE seq = ?1", before)
            .fetch_optional(&mut *tx)
            .await?
    };
    let Some(prev_hash) = prev else {
        return Ok(false);
    };
    let rehash = HashedFields {
        prev_hash: &prev_hash,
        seq: c.seq,
        id: &c.id,
        kind: &c.kind,
        record_key: &c.record_key,
        depends_on: c.depends_on.as_deref(),
        payload: &c.payload,
        clerk_id: &c.clerk_id,
        device_time: &c.device_time,
    }
    .hash();
    Ok(rehash == c.entry_hash)
}

/// Purges one entry inside the transaction; returns how many photos went.
async fn purge_entry(
    tx: &mut sqlx::SqliteConnection,
    journal: &Journal,
    supervisor_id: &str,
    at: &str,
    retention_days: u32,
    c: &Candidate,
) -> Result<u64> {
    let payload_sha256 = sha256_hex(c.payload.as_bytes());
    let sealed = seal(&SealFields {
        seq: c.seq,
        id: &c.id,
        kind: &c.kind,
        record_key: &c.record_key,
        depends_on: c.depends_on.as_deref(),
        payload_sha256: &payload_sha256,
        clerk_id: &c.clerk_id,
        device_time: &c.device_time,
        entry_hash: &c.entry_hash,
    });
    let audit_seq = crate::audit::append(
        tx,
        &journal.identity,
        AuditKind::Purge,
        supervisor_id,
        &c.id,
        at,
        &sealed,
    )
    .await?;
    sqlx::query!(
        "INSERT INTO purges (journal_id, audit_seq, payload_sha256, purged_at, retention_days)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        c.id,
        audit_seq,
        payload_sha256,
        at,
        retention_days
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE journal SET payload = ?1 WHERE id = ?2",
        PURGED_PAYLOAD,
        c.id
    )
    .execute(&mut *tx)
    .await?;
    // The local rows holding a person. By the entry's id, not its payload:
    // a purge never needs to read what it removes.
    let photo = sqlx::query_scalar!(
        "DELETE FROM applications WHERE journal_id = ?1 RETURNING photo_sha256",
        c.id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let mut photos = 0;
    if let Some(sha) = photo {
        photos = sqlx::query!(
            "DELETE FROM photos WHERE sha256 = ?1
               AND NOT EXISTS (SELECT 1 FROM applications WHERE photo_sha256 = ?1)",
            sha
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    // The document handed over and the holder's previous passport it
    // invalidated, or the document this entry invalidated.
    let mut documents = Vec::new();
    if let Some(h) = sqlx::query!(
        "DELETE FROM handovers WHERE journal_id = ?1 RETURNING document_number, previous_passport",
        c.id
    )
    .fetch_optional(&mut *tx)
    .await?
    {
        documents.push(h.document_number);
        documents.extend(h.previous_passport);
    }
    documents.extend(
        sqlx::query_scalar!(
            "SELECT document_number FROM invalidations WHERE journal_id = ?1",
            c.id
        )
        .fetch_optional(&mut *tx)
        .await?,
    );
    for document in documents {
        // A document still waiting for collection is the register's ready
        // list, not this entry's record; one with a hand-over kept here
        // stays with it.
        sqlx::query!(
            "DELETE FROM documents WHERE document_number = ?1 AND status <> 'awaiting_collection'
               AND NOT EXISTS (SELECT 1 FROM handovers WHERE document_number = ?1 OR previous_passport = ?1)",
            document
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(photos)
}

#[cfg(test)]
mod tests {
    use crate::entry::SyncState;

    /// The candidates' query names the states that still wait (so the
    /// state index finds them); a new state must be placed on one side.
    #[test]
    fn every_sync_state_is_either_settled_or_named_as_waiting() {
        let source = include_str!("purge.rs");
        let start = source.find("WHERE d.sync_state IN (").unwrap_or(0);
        let line = &source[start..start + source[start..].find('\n').unwrap_or(0)];
        for state in SyncState::ALL {
            let settled = matches!(state, SyncState::Acknowledged | SyncState::Local);
            let named = line.contains(&format!("'{}'", state.as_str()));
            assert!(settled != named, "{state:?} in {line:?}");
        }
    }
}
