//! The register's refusal of this workstation's history as a fork (409
//! `chain_fork`), kept (`chain_fork`, one row) until a later report of the
//! chain heads is accepted: a state the supervisor's notice and `counterctl
//! status` read, across restarts, rather than a round that fails again
//! unseen.

use crate::db::now_rfc3339;
use crate::{Journal, Result};

/// The register's open refusal of this workstation's chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFork {
    /// The register's own words, for office IT.
    pub register_text: String,
    /// RFC 3339 UTC.
    pub first_refused_at: String,
    pub last_refused_at: String,
    /// How many rounds the register refused since the first.
    pub refusals: i64,
}

impl Journal {
    /// Records a refusal (the first, or one more of the same fork).
    pub async fn record_chain_fork(&self, register_text: &str) -> Result<()> {
        let now = now_rfc3339();
        sqlx::query!(
            "INSERT INTO chain_fork (id, register_text, first_refused_at, last_refused_at, refusals)
             VALUES (1, ?1, ?2, ?2, 1)
             ON CONFLICT (id) DO UPDATE SET register_text = excluded.register_text,
                 last_refused_at = excluded.last_refused_at, refusals = refusals + 1",
            register_text,
            now
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The register accepted the chains again: the fork is over.
    pub async fn clear_chain_fork(&self) -> Result<()> {
        sqlx::query!("DELETE FROM chain_fork")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The open refusal, if the register refused the last report.
    pub async fn chain_fork(&self) -> Result<Option<ChainFork>> {
        Ok(sqlx::query_as!(
            ChainFork,
            "SELECT register_text, first_refused_at, last_refused_at, refusals FROM chain_fork WHERE id = 1"
        )
        .fetch_optional(&self.pool)
        .await?)
    }
}
