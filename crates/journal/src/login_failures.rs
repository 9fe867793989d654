//! Failed log-ins, kept beside the journal (`login_failures`): the audit
//! record (who, when, which counter, how) and what the wait before the
//! next attempt is counted from. The rule itself lives in the core
//! (`passport-counter-core`'s `throttle.rs`); this is storage only.

use crate::db::now_rfc3339;
use crate::{Journal, JournalError, Result};

/// How a log-in failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoginFailureReason {
    /// The register refused the password (or the account).
    RegisterRefused,
    /// Offline: the password did not match the cached verifier.
    VerifierMismatch,
    /// Refused unchecked: the clerk had to wait after earlier failures.
    Throttled,
    /// Refused unchecked: the cached offline credential or card binding
    /// did not match its MAC (edited, or copied from another clerk or
    /// counter; see `credentials`).
    CredentialRefused,
}

impl LoginFailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RegisterRefused => "register_refused",
            Self::VerifierMismatch => "verifier_mismatch",
            Self::Throttled => "throttled",
            Self::CredentialRefused => "credential_refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "register_refused" => Some(Self::RegisterRefused),
            "verifier_mismatch" => Some(Self::VerifierMismatch),
            "throttled" => Some(Self::Throttled),
            "credential_refused" => Some(Self::CredentialRefused),
            _ => None,
        }
    }

    /// Whether the password was checked: only those failures count
    /// towards the wait (an attempt refused unchecked told nobody anything).
    pub fn was_checked(self) -> bool {
        !matches!(self, Self::Throttled | Self::CredentialRefused)
    }
}

/// One failed log-in as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginFailure {
    pub clerk_id: String,
    pub office_code: String,
    pub workstation_id: String,
    /// RFC 3339 UTC.
    pub failed_at: String,
    pub reason: LoginFailureReason,
    /// When the same clerk next logged in successfully here.
    pub cleared_at: Option<String>,
}

impl Journal {
    /// Records a failed log-in of `clerk_id` at this counter, now.
    pub async fn record_login_failure(
        &self,
        clerk_id: &str,
        reason: LoginFailureReason,
    ) -> Result<()> {
        crate::actions::check_clerk_id(clerk_id)?;
        let now = now_rfc3339();
        let reason = reason.as_str();
        // The side table the wait is counted from, and the chained audit
        // row that shows one removed from it: one transaction.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query!(
            "INSERT INTO login_failures (clerk_id, office_code, workstation_id, failed_at, reason)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            clerk_id,
            self.identity.office_code,
            self.identity.workstation_id,
            now,
            reason
        )
        .execute(&mut *tx)
        .await?;
        crate::audit::append(
            &mut tx,
            &self.identity,
            crate::audit::AuditKind::LogInRefused,
            clerk_id,
            "",
            &now,
            reason,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// When `clerk_id`'s failures that count towards a wait happened: the
    /// password was checked, the clerk has not logged in successfully
    /// since, at or after `since` (RFC 3339 UTC); oldest first.
    pub async fn open_login_failures(&self, clerk_id: &str, since: &str) -> Result<Vec<String>> {
        let rows = sqlx::query!(
            "SELECT failed_at FROM login_failures
             WHERE clerk_id = ?1 AND cleared_at IS NULL AND failed_at >= ?2
               AND reason IN ('register_refused', 'verifier_mismatch')
             ORDER BY failed_at, id",
            clerk_id,
            since
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.failed_at).collect())
    }

    /// `clerk_id` logged in successfully: their earlier failures no longer
    /// count towards a wait (the records stay, marked with the time).
    pub async fn clear_login_failures(&self, clerk_id: &str) -> Result<()> {
        let now = now_rfc3339();
        sqlx::query!(
            "UPDATE login_failures SET cleared_at = ?2 WHERE clerk_id = ?1 AND cleared_at IS NULL",
            clerk_id,
            now
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The failed log-ins recorded here, newest first, at most `limit`
    /// (for office IT and audit).
    pub async fn login_failures(&self, limit: u32) -> Result<Vec<LoginFailure>> {
        let limit = i64::from(limit);
        let rows = sqlx::query!(
            "SELECT clerk_id, office_code, workstation_id, failed_at, reason, cleared_at
             FROM login_failures ORDER BY failed_at DESC, id DESC LIMIT ?1",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let reason = LoginFailureReason::parse(&r.reason).ok_or_else(|| {
                    JournalError::Corrupt(format!(
                        "a failed log-in of {} has the reason {:?}",
                        r.clerk_id, r.reason
                    ))
                })?;
                Ok(LoginFailure {
                    clerk_id: r.clerk_id,
                    office_code: r.office_code,
                    workstation_id: r.workstation_id,
                    failed_at: r.failed_at,
                    reason,
                    cleared_at: r.cleared_at,
                })
            })
            .collect()
    }
}
