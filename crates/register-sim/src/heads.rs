//! The chain heads the register last accepted from each workstation, in
//! the simulator's database (`reg_chain_heads`): a restart does not forget
//! them, so a counter that rewrote its history while the register was down
//! is still refused with 409 `chain_fork`.
//!
//! A report is compared and stored in one `BEGIN IMMEDIATE` transaction:
//! two reports of one workstation at once cannot both extend the same
//! heads.

use passport_register_contract::{ChainHeads, ChainPoint, ChainReport};
use sqlx::{SqliteConnection, SqlitePool};

/// What the register made of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The chains extend what was seen (or nothing was): these are kept.
    Accepted,
    /// They do not: what was seen stays, and is said in the refusal.
    Fork { seen: ChainHeads },
}

/// The heads last accepted from `office`/`workstation`.
pub async fn seen(
    db: &SqlitePool,
    office: &str,
    workstation: &str,
) -> Result<Option<ChainHeads>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    read(&mut conn, office, workstation).await
}

async fn read(
    conn: &mut SqliteConnection,
    office: &str,
    workstation: &str,
) -> Result<Option<ChainHeads>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT journal_seq, journal_hash, audit_seq, audit_hash FROM reg_chain_heads
         WHERE office_code = ?1 AND workstation_id = ?2",
        office,
        workstation
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| ChainHeads {
        journal: ChainPoint {
            seq: r.journal_seq,
            hash: r.journal_hash,
        },
        audit: ChainPoint {
            seq: r.audit_seq,
            hash: r.audit_hash,
        },
    }))
}

/// Accepts `report` when its `at_seen` is what was last accepted and
/// neither head is behind it (the chains only grew), keeping its heads;
/// otherwise a fork, and nothing changes.
pub async fn report(
    db: &SqlitePool,
    office: &str,
    workstation: &str,
    report: &ChainReport,
) -> Result<Verdict, sqlx::Error> {
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    if let Some(seen) = read(&mut tx, office, workstation).await? {
        let behind =
            report.head.journal.seq < seen.journal.seq || report.head.audit.seq < seen.audit.seq;
        if report.at_seen.as_ref() != Some(&seen) || behind {
            return Ok(Verdict::Fork { seen });
        }
    }
    let now = crate::store::now();
    let h = &report.head;
    sqlx::query!(
        "INSERT INTO reg_chain_heads
             (office_code, workstation_id, journal_seq, journal_hash, audit_seq, audit_hash, accepted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (office_code, workstation_id) DO UPDATE SET
             journal_seq = excluded.journal_seq, journal_hash = excluded.journal_hash,
             audit_seq = excluded.audit_seq, audit_hash = excluded.audit_hash,
             accepted_at = excluded.accepted_at",
        office,
        workstation,
        h.journal.seq,
        h.journal.hash,
        h.audit.seq,
        h.audit.hash,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Verdict::Accepted)
}
