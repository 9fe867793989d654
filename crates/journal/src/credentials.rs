//! Offline credentials: what lets a clerk log in while the register is
//! down — the account as the register last confirmed it here (role, argon2
//! verifier, when, until when) and the clerk cards tied to accounts — each
//! row bound to this counter by a MAC.
//!
//! The MAC is HMAC-SHA256 under a key derived from the journal's key with a
//! fixed label ([`crate::key::JournalKey::derive`]), never the key itself,
//! over the clerk, the office and workstation and every value the log-in
//! trusts (role, verifier, verified at, expiry; a card's identifier and
//! public key). A row edited behind the journal's back (a clerk made
//! supervisor, an expiry pushed, a verifier replaced), or copied from
//! another clerk's row or another counter's journal, no longer matches and
//! reads back as [`JournalError::CredentialRefused`], never as an account.
//!
//! What it defends: the file is encrypted (SQLCipher), so editing it needs
//! the key; the MAC makes a row's binding to one clerk at one counter part
//! of the row, so a row moved between clerks or counters, or edited by a
//! tool that can write the database but does not reproduce the derivation,
//! is refused. Whoever holds the journal key and this source can compute a
//! MAC: the key's protection (key file 0600 outside the data directory,
//! recovery code) is what stands against them.
//!
//! A journal opened without a key (the journal's own tests) has no secret:
//! its MACs are under a fixed public key, which still catches a row edited
//! or copied by hand, but not a forger who reads this file.

use crate::db::now_rfc3339;
use crate::side::{CachedAccount, CardBinding, Role};
use crate::{Journal, JournalError, Result};
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2_mac::Sha256>;

/// The label the MAC key is derived under (changing it refuses every row).
const LABEL: &[u8] = b"passport-counter/offline-credentials/v1\0";

/// The longest an account confirmed here may log in offline when no
/// shorter expiry was given: the largest `offline_login_days` the
/// configuration accepts. The core's policy is checked on top of it.
pub const MAX_OFFLINE_DAYS: i64 = 90;

/// Which kind of row was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// A cached account (`offline_credentials`), keyed by clerk.
    Account,
    /// A clerk-card binding (`clerk_cards`), keyed by card.
    Card,
}

/// Why a row was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialFault {
    /// Its MAC does not match its values: edited, or copied from another
    /// clerk's row or from another counter's journal.
    Forged,
    /// It names another office or workstation: copied from another counter.
    OtherWorkstation,
}

impl CredentialFault {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forged => "forged",
            Self::OtherWorkstation => "other_workstation",
        }
    }
}

/// A row that must not log anyone in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the offline {} row {key:?} is refused: {}", match .kind { CredentialKind::Account => "credential", CredentialKind::Card => "card binding" }, .fault.as_str())]
pub struct CredentialRefusal {
    pub kind: CredentialKind,
    /// The clerk (an account) or the card (a binding) the row is keyed by.
    pub key: String,
    /// The clerk the row names (for a card: the clerk it claims).
    pub clerk_id: String,
    pub fault: CredentialFault,
}

/// A cached account with the moment it stops logging anyone in offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineCredential {
    pub account: CachedAccount,
    /// RFC 3339.
    pub expires_at: String,
}

/// Appends one length-prefixed field, so no two different rows give the
/// same bytes (`"ab","c"` and `"a","bc"`).
fn field(mac: &mut HmacSha256, value: &[u8]) {
    mac.update(&(value.len() as u64).to_be_bytes());
    mac.update(value);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The values of an account row, as the MAC covers them.
struct AccountRow<'a> {
    clerk_id: &'a str,
    office_code: &'a str,
    workstation_id: &'a str,
    display_name: &'a str,
    role: &'a str,
    verifier: Option<&'a str>,
    verified_at: &'a str,
    expires_at: &'a str,
}

struct CardRow<'a> {
    card_id: &'a str,
    clerk_id: &'a str,
    office_code: &'a str,
    workstation_id: &'a str,
    public_key: &'a str,
    bound_at: &'a str,
}

impl Journal {
    fn credential_mac(&self) -> HmacSha256 {
        let key = match &self.options.key {
            Some(k) => k.derive(LABEL),
            None => [0; 32],
        };
        match HmacSha256::new_from_slice(&key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes a key of any length"),
        }
    }

    fn account_mac(&self, r: &AccountRow<'_>) -> HmacSha256 {
        let mut mac = self.credential_mac();
        field(&mut mac, b"account");
        for v in [
            r.clerk_id,
            r.office_code,
            r.workstation_id,
            r.display_name,
            r.role,
        ] {
            field(&mut mac, v.as_bytes());
        }
        // Absent and empty are different rows.
        match r.verifier {
            Some(v) => {
                field(&mut mac, b"1");
                field(&mut mac, v.as_bytes());
            }
            None => field(&mut mac, b"0"),
        }
        field(&mut mac, r.verified_at.as_bytes());
        field(&mut mac, r.expires_at.as_bytes());
        mac
    }

    fn card_mac(&self, r: &CardRow<'_>) -> HmacSha256 {
        let mut mac = self.credential_mac();
        field(&mut mac, b"card");
        for v in [
            r.card_id,
            r.clerk_id,
            r.office_code,
            r.workstation_id,
            r.public_key,
            r.bound_at,
        ] {
            field(&mut mac, v.as_bytes());
        }
        mac
    }

    /// Whether a row's office and workstation are this journal's and its
    /// MAC matches (compared in constant time).
    fn check_row(
        &self,
        office_code: &str,
        workstation_id: &str,
        mac: HmacSha256,
        stored: &str,
    ) -> std::result::Result<(), CredentialFault> {
        if office_code != self.identity.office_code
            || workstation_id != self.identity.workstation_id
        {
            return Err(CredentialFault::OtherWorkstation);
        }
        let stored = unhex(stored).ok_or(CredentialFault::Forged)?;
        mac.verify_slice(&stored)
            .map_err(|_| CredentialFault::Forged)
    }

    /// The account as the register last confirmed it here, its MAC checked.
    pub async fn offline_credential(&self, clerk_id: &str) -> Result<Option<OfflineCredential>> {
        let Some(r) = sqlx::query!(
            "SELECT clerk_id, office_code, workstation_id, display_name, role, verifier,
                    verified_at, expires_at, mac
             FROM offline_credentials WHERE clerk_id = ?1",
            clerk_id
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let mac = self.account_mac(&AccountRow {
            clerk_id: &r.clerk_id,
            office_code: &r.office_code,
            workstation_id: &r.workstation_id,
            display_name: &r.display_name,
            role: &r.role,
            verifier: r.verifier.as_deref(),
            verified_at: &r.verified_at,
            expires_at: &r.expires_at,
        });
        self.check_row(&r.office_code, &r.workstation_id, mac, &r.mac)
            .map_err(|fault| {
                JournalError::CredentialRefused(CredentialRefusal {
                    kind: CredentialKind::Account,
                    key: r.clerk_id.clone(),
                    clerk_id: r.clerk_id.clone(),
                    fault,
                })
            })?;
        let role = Role::parse(&r.role).ok_or_else(|| {
            JournalError::Corrupt(format!("account {} has the role {:?}", r.clerk_id, r.role))
        })?;
        Ok(Some(OfflineCredential {
            account: CachedAccount {
                clerk_id: r.clerk_id,
                display_name: r.display_name,
                role,
                verifier: r.verifier,
                verified_at: r.verified_at,
            },
            expires_at: r.expires_at,
        }))
    }

    /// [`Self::offline_credential`] without its expiry.
    pub async fn cached_account(&self, clerk_id: &str) -> Result<Option<CachedAccount>> {
        Ok(self.offline_credential(clerk_id).await?.map(|c| c.account))
    }

    /// Caches an account the register just confirmed, usable offline until
    /// `expires_at` (RFC 3339), sealed with its MAC.
    pub async fn cache_account_until(&self, a: &CachedAccount, expires_at: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        self.put_account(&mut conn, a, expires_at).await
    }

    /// Caches an account usable offline for at most [`MAX_OFFLINE_DAYS`]
    /// after `verified_at` (the core's policy may allow less).
    pub async fn cache_account(&self, a: &CachedAccount) -> Result<()> {
        let expires_at = ceiling(&a.clerk_id, &a.verified_at)?;
        self.cache_account_until(a, &expires_at).await
    }

    async fn put_account(
        &self,
        conn: &mut sqlx::SqliteConnection,
        a: &CachedAccount,
        expires_at: &str,
    ) -> Result<()> {
        let role = a.role.as_str();
        let (office, ws) = (&self.identity.office_code, &self.identity.workstation_id);
        let mac = hex(&self
            .account_mac(&AccountRow {
                clerk_id: &a.clerk_id,
                office_code: office,
                workstation_id: ws,
                display_name: &a.display_name,
                role,
                verifier: a.verifier.as_deref(),
                verified_at: &a.verified_at,
                expires_at,
            })
            .finalize()
            .into_bytes());
        sqlx::query!(
            "INSERT INTO offline_credentials
                 (clerk_id, office_code, workstation_id, display_name, role, verifier, verified_at, expires_at, mac)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (clerk_id) DO UPDATE SET office_code = excluded.office_code,
                 workstation_id = excluded.workstation_id, display_name = excluded.display_name,
                 role = excluded.role, verifier = excluded.verifier, verified_at = excluded.verified_at,
                 expires_at = excluded.expires_at, mac = excluded.mac",
            a.clerk_id,
            office,
            ws,
            a.display_name,
            role,
            a.verifier,
            a.verified_at,
            expires_at,
            mac
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Forgets an account (a changed password, a closed account): it no
    /// longer logs in offline. A refused (forged) row is removed too.
    pub async fn forget_account(&self, clerk_id: &str) -> Result<()> {
        sqlx::query!(
            "DELETE FROM offline_credentials WHERE clerk_id = ?1",
            clerk_id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The card's binding, its MAC checked.
    pub async fn card_binding(&self, card_id: &str) -> Result<Option<CardBinding>> {
        let Some(r) = sqlx::query!(
            "SELECT card_id, clerk_id, office_code, workstation_id, public_key, bound_at, mac
             FROM clerk_cards WHERE card_id = ?1",
            card_id
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let mac = self.card_mac(&CardRow {
            card_id: &r.card_id,
            clerk_id: &r.clerk_id,
            office_code: &r.office_code,
            workstation_id: &r.workstation_id,
            public_key: &r.public_key,
            bound_at: &r.bound_at,
        });
        self.check_row(&r.office_code, &r.workstation_id, mac, &r.mac)
            .map_err(|fault| {
                JournalError::CredentialRefused(CredentialRefusal {
                    kind: CredentialKind::Card,
                    key: r.card_id.clone(),
                    clerk_id: r.clerk_id.clone(),
                    fault,
                })
            })?;
        Ok(Some(CardBinding {
            card_id: r.card_id,
            clerk_id: r.clerk_id,
            public_key: r.public_key,
            bound_at: r.bound_at,
        }))
    }

    async fn put_card(&self, conn: &mut sqlx::SqliteConnection, b: &CardBinding) -> Result<()> {
        let (office, ws) = (&self.identity.office_code, &self.identity.workstation_id);
        let mac = hex(&self
            .card_mac(&CardRow {
                card_id: &b.card_id,
                clerk_id: &b.clerk_id,
                office_code: office,
                workstation_id: ws,
                public_key: &b.public_key,
                bound_at: &b.bound_at,
            })
            .finalize()
            .into_bytes());
        sqlx::query!(
            "INSERT INTO clerk_cards (card_id, clerk_id, office_code, workstation_id, public_key, bound_at, mac)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (card_id) DO UPDATE SET clerk_id = excluded.clerk_id,
                 office_code = excluded.office_code, workstation_id = excluded.workstation_id,
                 public_key = excluded.public_key, bound_at = excluded.bound_at, mac = excluded.mac",
            b.card_id,
            b.clerk_id,
            office,
            ws,
            b.public_key,
            b.bound_at,
            mac
        )
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Ties a card to a clerk, sealed, with its chained audit row.
    pub async fn bind_card(&self, b: &CardBinding) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        self.put_card(&mut tx, b).await?;
        crate::audit::append(
            &mut tx,
            &self.identity,
            crate::audit::AuditKind::CardBound,
            &b.clerk_id,
            &b.card_id,
            &b.bound_at,
            &b.public_key,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a card's binding (the account was closed, or the row was
    /// refused), with its chained audit row naming the clerk it was tied to.
    pub async fn unbind_card(&self, card_id: &str) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let clerk = sqlx::query_scalar!(
            "DELETE FROM clerk_cards WHERE card_id = ?1 RETURNING clerk_id",
            card_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(clerk) = clerk {
            crate::audit::append(
                &mut tx,
                &self.identity,
                crate::audit::AuditKind::CardUnbound,
                &clerk,
                card_id,
                &now_rfc3339(),
                "",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Once, at the first open after migration 11: the rows of the old
    /// unsealed tables (`clerk_verifiers`, `card_bindings`) are sealed into
    /// the new ones and removed from the old, in one transaction with the
    /// removal of the mark that asks for it. Rows that do not read back (a
    /// role this release does not know) are dropped, not guessed.
    pub(crate) async fn adopt_unsealed_credentials(&self) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let due = sqlx::query_scalar!("DELETE FROM credentials_to_adopt RETURNING id")
            .fetch_optional(&mut *tx)
            .await?;
        if due.is_none() {
            return Ok(());
        }
        let accounts = sqlx::query!(
            "SELECT clerk_id, display_name, role, verifier, verified_at FROM clerk_verifiers"
        )
        .fetch_all(&mut *tx)
        .await?;
        for r in accounts {
            // The old table's CHECK allows only these two.
            let Some(role) = Role::parse(&r.role) else {
                continue;
            };
            let Ok(expires_at) = ceiling(&r.clerk_id, &r.verified_at) else {
                continue;
            };
            let a = CachedAccount {
                clerk_id: r.clerk_id,
                display_name: r.display_name,
                role,
                verifier: r.verifier,
                verified_at: r.verified_at,
            };
            self.put_account(&mut tx, &a, &expires_at).await?;
        }
        let cards = sqlx::query_as!(
            CardBinding,
            "SELECT card_id, clerk_id, public_key, bound_at FROM card_bindings"
        )
        .fetch_all(&mut *tx)
        .await?;
        for b in &cards {
            self.put_card(&mut tx, b).await?;
        }
        sqlx::query!("DELETE FROM clerk_verifiers")
            .execute(&mut *tx)
            .await?;
        sqlx::query!("DELETE FROM card_bindings")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// `verified_at` + [`MAX_OFFLINE_DAYS`], RFC 3339.
fn ceiling(clerk_id: &str, verified_at: &str) -> Result<String> {
    let t = chrono::DateTime::parse_from_rfc3339(verified_at).map_err(|_| {
        JournalError::Corrupt(format!(
            "the account {clerk_id} was confirmed at {verified_at:?}, not a time"
        ))
    })?;
    Ok(
        (t.with_timezone(&chrono::Utc) + chrono::Duration::days(MAX_OFFLINE_DAYS))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_a_mac() {
        let bytes: Vec<u8> = (0..32).collect();
        assert_eq!(unhex(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex(&"g".repeat(64)), None);
        assert_eq!(unhex(""), None);
        // Multi-byte characters never split a slice.
        assert_eq!(unhex(&"ą".repeat(32)), None);
    }
}
