//! The audit chain (`audit_log`): log-ins, refused log-ins, clerk-card
//! bindings and their removal, purges: who, what, when, which record,
//! which counter. Each row's hash covers the previous row's, as the
//! journal's entries do, so `verify` names a row edited, removed, inserted
//! or moved. Decisions and overrides are journal entries and are chained
//! there. Rows are only ever appended, in the same transaction as what
//! they record.

use crate::db::now_rfc3339;
use crate::entry::{GENESIS_HASH, hex};
use crate::{Identity, Journal, Result};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

/// What an audit row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditKind {
    /// A clerk logged in (or unlocked); `detail` says how it was checked.
    LogIn,
    /// A log-in was refused; `detail` is the reason (as in `login_failures`).
    LogInRefused,
    /// A clerk card was tied to a clerk; `detail` is the card's public key.
    CardBound,
    /// A clerk card's binding was removed (the account was closed).
    CardUnbound,
    /// Personal data of an acknowledged record were purged.
    Purge,
}

impl AuditKind {
    pub const ALL: [AuditKind; 5] = [
        Self::LogIn,
        Self::LogInRefused,
        Self::CardBound,
        Self::CardUnbound,
        Self::Purge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LogIn => "log_in",
            Self::LogInRefused => "log_in_refused",
            Self::CardBound => "card_bound",
            Self::CardUnbound => "card_unbound",
            Self::Purge => "purge",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a successful log-in was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogInMethod {
    /// The register confirmed the password.
    PasswordOnline,
    /// The register did not answer; the cached verifier matched.
    PasswordOffline,
    /// The clerk card and its PIN (the register confirmed the account).
    CardOnline,
    /// The clerk card and its PIN, the register unreachable.
    CardOffline,
}

impl LogInMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PasswordOnline => "password_online",
            Self::PasswordOffline => "password_offline",
            Self::CardOnline => "card_online",
            Self::CardOffline => "card_offline",
        }
    }
}

/// The fields an audit row's hash covers: all of them but the hash.
#[derive(Debug, Clone, Copy)]
pub struct AuditFields<'a> {
    pub prev_hash: &'a str,
    pub seq: i64,
    pub kind: &'a str,
    pub actor: &'a str,
    pub record_key: &'a str,
    pub office_code: &'a str,
    pub workstation_id: &'a str,
    pub at: &'a str,
    pub detail: &'a str,
}

impl AuditFields<'_> {
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        // A domain tag, so an audit row never hashes like a journal entry.
        for part in [
            "audit",
            self.prev_hash,
            &self.seq.to_string(),
            self.kind,
            self.actor,
            self.record_key,
            self.office_code,
            self.workstation_id,
            self.at,
            self.detail,
        ] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        hex(&h.finalize())
    }
}

/// One audit row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub kind: String,
    pub actor: String,
    pub record_key: String,
    pub office_code: String,
    pub workstation_id: String,
    pub at: String,
    pub detail: String,
    pub entry_hash: String,
}

/// A position in a hash chain: the last row's number and hash (0 and the
/// genesis hash when the chain is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainPoint {
    pub seq: i64,
    pub hash: String,
}

/// Where both of this counter's chains stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainPosition {
    pub journal: ChainPoint,
    pub audit: ChainPoint,
}

/// Appends an audit row inside the caller's transaction (which must have
/// been begun IMMEDIATE, so the last row read is the last row).
pub(crate) async fn append(
    tx: &mut SqliteConnection,
    identity: &Identity,
    kind: AuditKind,
    actor: &str,
    record_key: &str,
    at: &str,
    detail: &str,
) -> Result<i64> {
    let last = sqlx::query!("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    // The sequence's high-water mark, not the last row: a removed tail's
    // numbers are never reused (so `verify` can see the cut).
    let high: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
            .fetch_optional(&mut *tx)
            .await?;
    let (last_seq, prev_hash) = match last {
        Some(r) => (r.seq, r.entry_hash),
        None => (0, GENESIS_HASH.to_owned()),
    };
    let seq = high.unwrap_or(0).max(last_seq) + 1;
    let kind = kind.as_str();
    let hash = AuditFields {
        prev_hash: &prev_hash,
        seq,
        kind,
        actor,
        record_key,
        office_code: &identity.office_code,
        workstation_id: &identity.workstation_id,
        at,
        detail,
    }
    .hash();
    sqlx::query!(
        "INSERT INTO audit_log (seq, kind, actor, record_key, office_code, workstation_id, at, detail, entry_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        seq,
        kind,
        actor,
        record_key,
        identity.office_code,
        identity.workstation_id,
        at,
        detail,
        hash
    )
    .execute(&mut *tx)
    .await?;
    Ok(seq)
}

impl Journal {
    /// Records a successful log-in (or unlock) of `clerk_id`, and how it
    /// was checked.
    pub async fn record_log_in(&self, clerk_id: &str, method: LogInMethod) -> Result<()> {
        crate::actions::check_clerk_id(clerk_id)?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        append(
            &mut tx,
            &self.identity,
            AuditKind::LogIn,
            clerk_id,
            "",
            &now_rfc3339(),
            method.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The audit rows after `after_seq`, in order, at most `limit`.
    pub async fn audit_rows(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditRecord>> {
        let limit = i64::from(limit);
        Ok(sqlx::query_as!(
            AuditRecord,
            "SELECT seq, kind, actor, record_key, office_code, workstation_id, at, detail, entry_hash
             FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            after_seq,
            limit
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Where the journal's and the audit chain's heads stand now.
    pub async fn chain_position(&self) -> Result<ChainPosition> {
        let journal = sqlx::query!("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?
            .map(|r| ChainPoint {
                seq: r.seq,
                hash: r.entry_hash,
            });
        let audit = sqlx::query!("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?
            .map(|r| ChainPoint {
                seq: r.seq,
                hash: r.entry_hash,
            });
        let genesis = || ChainPoint {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
        };
        Ok(ChainPosition {
            journal: journal.unwrap_or_else(genesis),
            audit: audit.unwrap_or_else(genesis),
        })
    }

    /// The hash this journal holds for entry `seq` (the genesis hash for
    /// 0), `None` when it has no such entry.
    pub async fn journal_hash_at(&self, seq: i64) -> Result<Option<String>> {
        if seq == 0 {
            return Ok(Some(GENESIS_HASH.to_owned()));
        }
        Ok(
            sqlx::query_scalar!("SELECT entry_hash FROM journal WHERE seq = ?1", seq)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The hash this journal holds for audit row `seq` (the genesis hash
    /// for 0), `None` when it has no such row.
    pub async fn audit_hash_at(&self, seq: i64) -> Result<Option<String>> {
        if seq == 0 {
            return Ok(Some(GENESIS_HASH.to_owned()));
        }
        Ok(
            sqlx::query_scalar!("SELECT entry_hash FROM audit_log WHERE seq = ?1", seq)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
