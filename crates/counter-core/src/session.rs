//! Who is at the counter: log-in (online, or offline with the verifier
//! cached at the last online log-in), auto-lock after inactivity, roles.
//!
//! The register checks passwords. After a successful online log-in the
//! counter keeps an argon2 verifier of what the clerk typed (never the
//! password), so the same clerk can log in while the register is down, as
//! MOSIP's registration client does after onboarding.
//!
//! A clerk card with its PIN is the other way in: once tied to the clerk's
//! account at this counter (`bind_card`), the card's signature and PIN log
//! the clerk in or unlock, within the same offline window.
//!
//! What the offline log-in trusts (the cached account, a card's binding)
//! is sealed in the journal with a MAC over the clerk, this workstation,
//! the role, the verifier and the expiry (`passport_journal::credentials`):
//! a row edited or copied from another clerk or counter is refused
//! ([`CoreError::CredentialRefused`]), recorded like any refused log-in
//! (`login_failures` and the audit chain) and removed, so the clerk logs
//! in online once to cache it again.
//!
//! A session opened with a clerk card follows the card: taken out of its
//! reader, the session locks ([`Counter::card_readers_changed`]). Locking
//! keeps the session and the clerk's drafts; only the clerk who locked it
//! (password or card) unlocks it.
//!
//! Every password check (log-in, unlock, a supervisor's override, tying a
//! card) passes [`Counter::check_credentials`]: a wrong password is
//! recorded in the journal (`login_failures`: who, when, which counter),
//! and after a burst of them the clerk waits before the next check
//! (`throttle.rs`), whether the register or the cached verifier would
//! have checked it.

use crate::Counter;
use crate::error::CoreError;
use argon2::password_hash::{SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use passport_journal::{
    CachedAccount, CardBinding, CredentialRefusal, Journal, JournalError, LoginFailureReason,
};
use passport_register_client::CallError;
use passport_register_contract::ClerkLogin;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

pub use passport_journal::Role;

/// The register's word for a role; one this release does not know is a
/// refused log-in, never a guessed role.
fn role_from_register(role: &str) -> Result<Role, CoreError> {
    Role::parse(role).ok_or_else(|| {
        CoreError::Internal(format!("the register answered an unknown role {role:?}"))
    })
}

/// What the UI shows about the person logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SessionView {
    pub clerk_id: String,
    pub display_name: String,
    pub role: Role,
    /// False when the log-in was checked against the cached verifier.
    pub verified_online: bool,
    pub locked: bool,
    pub auto_lock_minutes: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Session {
    view: SessionView,
    last_activity: Instant,
    /// The clerk card the session was opened or last unlocked with, and
    /// the reader it was in (when the card port knows it): taken out, the
    /// session locks.
    card: Option<CardInReader>,
    /// Opened by an account identifier alone ([`Counter::script_session`]):
    /// no password or card was checked, so it never has a supervisor's
    /// rights, whatever the account's role.
    unproven: bool,
}

#[derive(Debug, Clone)]
struct CardInReader {
    card_id: String,
    reader: Option<String>,
}

/// A refused credential row, recorded as a refused log-in of the clerk it
/// names (both `login_failures` and the audit chain) and removed, so it
/// cannot be tried again: the clerk logs in online to cache a new one.
async fn refuse_credential(journal: &Journal, r: CredentialRefusal) -> CoreError {
    tracing::warn!(
        kind = ?r.kind,
        fault = r.fault.as_str(),
        "an offline credential did not match its MAC: refused"
    );
    // A row edited to name no valid clerk is refused without a record of
    // whom (there is nobody to name); it is still removed.
    if passport_journal::check_clerk_id(&r.clerk_id).is_ok()
        && let Err(e) = journal
            .record_login_failure(&r.clerk_id, LoginFailureReason::CredentialRefused)
            .await
    {
        return e.into();
    }
    let removed = match r.kind {
        passport_journal::CredentialKind::Account => journal.forget_account(&r.key).await,
        passport_journal::CredentialKind::Card => journal.unbind_card(&r.key).await,
    };
    if let Err(e) = removed {
        return e.into();
    }
    CoreError::CredentialRefused(r)
}

/// Reads what the journal holds for a log-in; a refused row becomes
/// [`CoreError::CredentialRefused`], recorded.
async fn sealed<T>(journal: &Journal, read: Result<T, JournalError>) -> Result<T, CoreError> {
    match read {
        Ok(v) => Ok(v),
        Err(JournalError::CredentialRefused(r)) => Err(refuse_credential(journal, r).await),
        Err(e) => Err(e.into()),
    }
}

/// The password verifier an earlier log-in left, kept when the register
/// confirms the account again by other means (a card, a script). A
/// refused row leaves none (and is recorded).
async fn kept_verifier(journal: &Journal, clerk_id: &str) -> Result<Option<String>, CoreError> {
    match journal.cached_account(clerk_id).await {
        Ok(c) => Ok(c.and_then(|c| c.verifier)),
        Err(JournalError::CredentialRefused(r)) => {
            // The register vouches for the account now; the forged row is
            // recorded and replaced, its verifier not kept.
            let _ = refuse_credential(journal, r).await;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Caches an account the register just confirmed, usable offline for
/// `offline_login_days` from now (the expiry is sealed with the row).
async fn cache_confirmed(
    journal: &Journal,
    account: &CachedAccount,
    offline_login_days: u32,
) -> Result<(), CoreError> {
    let verified = chrono::DateTime::parse_from_rfc3339(&account.verified_at)
        .map_err(|_| CoreError::Internal("a confirmation time that is not a time".into()))?;
    let expires_at = verified.with_timezone(&chrono::Utc)
        + chrono::Duration::days(i64::from(offline_login_days));
    journal
        .cache_account_until(
            account,
            &expires_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        )
        .await?;
    Ok(())
}

async fn hash(password: String) -> Result<String, CoreError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| CoreError::Internal(format!("password hashing: {e}")))
    })
    .await
    .map_err(|e| CoreError::Internal(e.to_string()))?
}

async fn verify(password: String, verifier: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&verifier).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// The account as the register last confirmed it here, if its sealed row
/// is genuine, within `offline_login_days` and before its sealed expiry.
async fn cached_within(
    journal: &passport_journal::Journal,
    clerk_id: &str,
    offline_login_days: u32,
) -> Result<CachedAccount, CoreError> {
    let read = journal.offline_credential(clerk_id).await;
    let Some(cached) = sealed(journal, read).await? else {
        return Err(CoreError::NeverOnline);
    };
    let now = chrono::Utc::now();
    let max_age = chrono::Duration::days(i64::from(offline_login_days));
    let fresh = chrono::DateTime::parse_from_rfc3339(&cached.account.verified_at)
        .is_ok_and(|t| now.signed_duration_since(t) <= max_age);
    let unexpired =
        chrono::DateTime::parse_from_rfc3339(&cached.expires_at).is_ok_and(|t| now <= t);
    if fresh && unexpired {
        Ok(cached.account)
    } else {
        Err(CoreError::NeverOnline)
    }
}

/// Who acts, for a script (`counterctl`): an account identifier the
/// register confirms is open when it answers (the answer is cached, as a
/// log-in's is), or, while it does not, one it confirmed at this counter
/// within `offline_login_days`. A closed or unknown account is refused.
pub async fn confirm_account(
    journal: &passport_journal::Journal,
    client: &passport_register_client::RegisterClient,
    clerk_id: &str,
    offline_login_days: u32,
) -> Result<Checked, CoreError> {
    passport_journal::check_clerk_id(clerk_id)?;
    match client.clerk_account(clerk_id).await {
        Ok(account) => {
            let role = role_from_register(&account.role)?;
            let verifier = kept_verifier(journal, clerk_id).await?;
            // A supervisor's offline password credential is renewed only
            // by their password (a log-in), never by a script naming the
            // account; one with none yet is cached (known at this counter,
            // still no offline log-in by password).
            if role == Role::Supervisor && verifier.is_some() {
                return Ok(Checked {
                    clerk_id: account.clerk_id,
                    display_name: account.display_name,
                    role,
                    online: true,
                });
            }
            cache_confirmed(
                journal,
                &CachedAccount {
                    clerk_id: clerk_id.to_owned(),
                    display_name: account.display_name.clone(),
                    role,
                    verifier,
                    verified_at: chrono::Utc::now().to_rfc3339(),
                },
                offline_login_days,
            )
            .await?;
            Ok(Checked {
                clerk_id: account.clerk_id,
                display_name: account.display_name,
                role,
                online: true,
            })
        }
        Err(CallError::Rejected {
            status: 401 | 403 | 404,
            ..
        }) => {
            journal.forget_account(clerk_id).await?;
            Err(CoreError::UnknownAccount(clerk_id.to_owned()))
        }
        Err(e @ CallError::Rejected { .. }) => Err(CoreError::Register(e)),
        Err(CallError::Retryable { .. } | CallError::CircuitOpen { .. }) => {
            let cached = cached_within(journal, clerk_id, offline_login_days).await?;
            Ok(Checked {
                clerk_id: cached.clerk_id,
                display_name: cached.display_name,
                role: cached.role,
                online: false,
            })
        }
    }
}

/// A checked identity, from the register or from the cache.
#[derive(Debug)]
pub struct Checked {
    clerk_id: String,
    display_name: String,
    role: Role,
    online: bool,
}

impl Counter {
    /// Checks a clerk's credentials: at the register when it answers
    /// (refreshing the cached verifier), against the cache when it does not.
    async fn check_credentials(
        &self,
        clerk_id: &str,
        password: &str,
    ) -> Result<Checked, CoreError> {
        crate::limits::id("clerk_id", clerk_id)?;
        crate::limits::secret("password", password)?;
        let clerk_id = clerk_id.trim();
        if clerk_id.is_empty() || password.is_empty() {
            return Err(CoreError::BadCredentials);
        }
        // An identifier no account can have: nothing to ask or to record.
        if passport_journal::check_clerk_id(clerk_id).is_err() {
            return Err(CoreError::BadCredentials);
        }
        self.refuse_if_throttled(clerk_id).await?;
        let checked = self.check_password(clerk_id, password).await?;
        self.inner.journal.clear_login_failures(clerk_id).await?;
        let method = if checked.online {
            passport_journal::LogInMethod::PasswordOnline
        } else {
            passport_journal::LogInMethod::PasswordOffline
        };
        self.inner
            .journal
            .record_log_in(&checked.clerk_id, method)
            .await?;
        Ok(checked)
    }

    /// Refuses, unchecked and recorded, an attempt while `clerk_id` must
    /// wait after failed log-ins.
    async fn refuse_if_throttled(&self, clerk_id: &str) -> Result<(), CoreError> {
        let journal = &self.inner.journal;
        let now = chrono::Utc::now();
        let since =
            now - chrono::Duration::from_std(crate::throttle::COUNTED_FOR).unwrap_or_default();
        let since = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let failures = journal
            .open_login_failures(clerk_id, &since)
            .await?
            .into_iter()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(&t)
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .map_err(|_| {
                        CoreError::Journal(passport_journal::JournalError::Corrupt(format!(
                            "a failed log-in of {clerk_id} has the time {t:?}"
                        )))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(wait) = crate::throttle::wait_left(&failures, now) {
            journal
                .record_login_failure(clerk_id, LoginFailureReason::Throttled)
                .await?;
            return Err(CoreError::LoginThrottled {
                clerk_id: clerk_id.to_owned(),
                wait,
            });
        }
        Ok(())
    }

    /// The password check itself: at the register when it answers
    /// (refreshing the cached verifier), against the cache when it does
    /// not. A wrong password is recorded, with how it was checked.
    async fn check_password(&self, clerk_id: &str, password: &str) -> Result<Checked, CoreError> {
        let journal = &self.inner.journal;
        let req = ClerkLogin {
            clerk_id: clerk_id.to_owned(),
            password: password.to_owned(),
            office: journal.identity().office_code.clone(),
        };
        match self.inner.client.clerk_login(&req).await {
            Ok(account) => {
                let cached = CachedAccount {
                    clerk_id: clerk_id.to_owned(),
                    display_name: account.display_name.clone(),
                    role: role_from_register(&account.role)?,
                    verifier: Some(hash(password.to_owned()).await?),
                    verified_at: chrono::Utc::now().to_rfc3339(),
                };
                cache_confirmed(journal, &cached, self.inner.cfg.policy.offline_login_days).await?;
                Ok(Checked {
                    clerk_id: account.clerk_id,
                    display_name: account.display_name,
                    role: cached.role,
                    online: true,
                })
            }
            Err(CallError::Rejected {
                status: 401 | 403, ..
            }) => {
                // A changed password or a closed account must not keep
                // working offline.
                journal.forget_account(clerk_id).await?;
                journal
                    .record_login_failure(clerk_id, LoginFailureReason::RegisterRefused)
                    .await?;
                Err(CoreError::BadCredentials)
            }
            Err(e @ CallError::Rejected { .. }) => Err(CoreError::Register(e)),
            Err(CallError::Retryable { .. } | CallError::CircuitOpen { .. }) => {
                let cached = self.cached_clerk(clerk_id).await?;
                // Confirmed by a clerk card only: no password to compare.
                let Some(verifier) = cached.verifier else {
                    return Err(CoreError::NeverOnline);
                };
                if !verify(password.to_owned(), verifier).await {
                    journal
                        .record_login_failure(clerk_id, LoginFailureReason::VerifierMismatch)
                        .await?;
                    return Err(CoreError::BadCredentials);
                }
                Ok(Checked {
                    clerk_id: clerk_id.to_owned(),
                    display_name: cached.display_name,
                    role: cached.role,
                    online: false,
                })
            }
        }
    }

    pub async fn login(&self, clerk_id: &str, password: &str) -> Result<SessionView, CoreError> {
        let c = self.check_credentials(clerk_id, password).await?;
        Ok(self.start_session(c, None).await)
    }

    /// A supervisor's log-in for a supervisor-only script command
    /// (`counterctl journal purge`, `print day`): the same check as
    /// [`Counter::login`] (online at the register, offline against the
    /// sealed verifier; failures recorded and throttled), then the role.
    /// A clerk's account is refused as the window refuses it
    /// ([`CoreError::NotSupervisor`]) and no session is left open.
    pub async fn supervisor_login(
        &self,
        clerk_id: &str,
        password: &str,
    ) -> Result<SessionView, CoreError> {
        let c = self.check_credentials(clerk_id, password).await?;
        if c.role != Role::Supervisor {
            return Err(CoreError::NotSupervisor);
        }
        Ok(self.start_session(c, None).await)
    }

    /// The session of a clerk just checked, replacing any other.
    async fn start_session(&self, c: Checked, card: Option<CardInReader>) -> SessionView {
        self.open_session(c, card, false).await
    }

    async fn open_session(
        &self,
        c: Checked,
        card: Option<CardInReader>,
        unproven: bool,
    ) -> SessionView {
        let view = SessionView {
            clerk_id: c.clerk_id,
            display_name: c.display_name,
            role: c.role,
            verified_online: c.online,
            locked: false,
            auto_lock_minutes: self.inner.cfg.policy.auto_lock_minutes,
        };
        *self.session_slot() = Some(Session {
            view: view.clone(),
            last_activity: Instant::now(),
            card,
            unproven,
        });
        self.publish_status().await;
        view
    }

    /// A session for office IT's scripts (`counterctl handover`, …), by
    /// account identifier alone: the register must confirm the account is
    /// open when it answers; when it does not, the account must have been
    /// confirmed at this counter within `offline_login_days`, as for an
    /// offline log-in. The script then passes every check the app does.
    /// No password was checked, so the session has no supervisor's rights
    /// ([`Counter::supervisor_login`] opens those).
    pub async fn script_session(&self, clerk_id: &str) -> Result<SessionView, CoreError> {
        let account = confirm_account(
            &self.inner.journal,
            &self.inner.client,
            clerk_id,
            self.inner.cfg.policy.offline_login_days,
        )
        .await?;
        Ok(self.open_session(account, None, true).await)
    }

    pub async fn logout(&self) {
        *self.session_slot() = None;
        self.publish_status().await;
    }

    pub fn lock(&self) {
        if let Some(s) = self.session_slot().as_mut() {
            s.view.locked = true;
        }
    }

    /// Unlocks with the logged-in clerk's password (checked like a log-in).
    pub async fn unlock(&self, password: &str) -> Result<SessionView, CoreError> {
        let clerk_id = self
            .session_slot()
            .as_ref()
            .map(|s| s.view.clerk_id.clone())
            .ok_or(CoreError::NotLoggedIn)?;
        self.check_credentials(&clerk_id, password).await?;
        let mut slot = self.session_slot();
        let s = slot.as_mut().ok_or(CoreError::NotLoggedIn)?;
        s.view.locked = false;
        s.last_activity = Instant::now();
        // Unlocked by password: no card to follow any more.
        s.card = None;
        Ok(s.view.clone())
    }

    /// The card readers changed (the app's reader watcher calls this on
    /// every picture): a session opened with a clerk card locks when that
    /// card is no longer in its reader, or when the card service stopped
    /// (the card can no longer be seen). A passport lifted from another
    /// reader changes nothing. Locking keeps the session and the drafts.
    /// True when this locked the session (the caller then publishes the
    /// status: [`Counter::status`]).
    pub fn card_readers_changed(&self, service: &passport_cards::CardService) -> bool {
        let mut slot = self.session_slot();
        let Some(s) = slot.as_mut() else {
            return false;
        };
        let Some(CardInReader {
            card_id,
            reader: Some(reader),
        }) = &s.card
        else {
            return false;
        };
        let still_in = service.running
            && service
                .readers
                .iter()
                .any(|r| &r.name == reader && r.card_present);
        if !still_in && !s.view.locked {
            s.view.locked = true;
            tracing::info!(
                card = %card_id,
                "the clerk card was taken out of its reader: the session is locked"
            );
            return true;
        }
        false
    }

    pub fn session(&self) -> Option<SessionView> {
        self.session_slot().as_ref().map(|s| s.view.clone())
    }

    /// The clerk for an action: logged in, not locked, and active within
    /// the auto-lock time, which this renews. The Rust side enforces the
    /// lock; the UI's timer only shows it sooner.
    pub(crate) fn clerk(&self) -> Result<SessionView, CoreError> {
        self.session_check(true)
    }

    /// The same check for a read (screens refresh on every status event):
    /// it does not count as activity, so it never keeps a session awake.
    pub(crate) fn reader(&self) -> Result<SessionView, CoreError> {
        self.session_check(false)
    }

    fn session_check(&self, renew: bool) -> Result<SessionView, CoreError> {
        let limit = Duration::from_secs(u64::from(self.inner.cfg.policy.auto_lock_minutes) * 60);
        let mut slot = self.session_slot();
        let s = slot.as_mut().ok_or(CoreError::NotLoggedIn)?;
        if !s.view.locked && !limit.is_zero() && s.last_activity.elapsed() > limit {
            s.view.locked = true;
        }
        if s.view.locked {
            return Err(CoreError::Locked);
        }
        if renew {
            s.last_activity = Instant::now();
        }
        Ok(s.view.clone())
    }

    /// A supervisor, checked by password or card at this counter: a
    /// script's session by account identifier alone is never one.
    pub(crate) fn supervisor(&self) -> Result<SessionView, CoreError> {
        let s = self.reader()?;
        let unproven = self.session_slot().as_ref().is_none_or(|s| s.unproven);
        if s.role == Role::Supervisor && !unproven {
            Ok(s)
        } else {
            Err(CoreError::NotSupervisor)
        }
    }

    /// A supervisor's credentials typed at a clerk's counter, for an override.
    pub(crate) async fn check_supervisor(
        &self,
        clerk_id: &str,
        password: &str,
    ) -> Result<String, CoreError> {
        let c = self.check_credentials(clerk_id, password).await?;
        if c.role == Role::Supervisor {
            Ok(c.clerk_id)
        } else {
            Err(CoreError::NotSupervisor)
        }
    }

    /// Ties the clerk card on a reader to the logged-in clerk: the clerk's
    /// password again (an unattended unlocked counter is not enough), the
    /// card's PIN and a signature from its key. A card tied to another
    /// clerk stays theirs. Later that card and PIN log the clerk in (or
    /// unlock) at this counter.
    pub async fn bind_card(&self, password: &str, pin: &str) -> Result<String, CoreError> {
        let clerk = self.clerk()?;
        self.check_credentials(&clerk.clerk_id, password).await?;
        let card = self.prove_card(pin).await?;
        if let Some(existing) = self.bound_card(&card.card_id).await?
            && existing.clerk_id != clerk.clerk_id
        {
            return Err(CoreError::CardBoundElsewhere);
        }
        self.inner
            .journal
            .bind_card(&CardBinding {
                card_id: card.card_id.clone(),
                clerk_id: clerk.clerk_id,
                public_key: passport_cards::hex(&card.public_key),
                bound_at: chrono::Utc::now().to_rfc3339(),
            })
            .await?;
        Ok(card.card_id)
    }

    async fn bound_card(&self, card_id: &str) -> Result<Option<CardBinding>, CoreError> {
        let journal = &self.inner.journal;
        sealed(journal, journal.card_binding(card_id).await).await
    }

    /// Logs in (or unlocks) with the clerk card and its PIN. The card must
    /// be the one tied to an account here (same identifier and key); a
    /// locked counter unlocks only for the clerk who locked it. While the
    /// register answers it must confirm the account is open (a closed one
    /// loses its card here at once); while it does not, the account must
    /// have been confirmed within `offline_login_days`, as for an offline
    /// password log-in.
    pub async fn card_login(&self, pin: &str) -> Result<SessionView, CoreError> {
        let card = self.prove_card(pin).await?;
        let bound = match self.bound_card(&card.card_id).await? {
            Some(b) if b.public_key == passport_cards::hex(&card.public_key) => b,
            _ => return Err(CoreError::CardNotBound),
        };
        if let Some(s) = self.session_slot().as_ref()
            && s.view.locked
            && s.view.clerk_id != bound.clerk_id
        {
            return Err(CoreError::CardOtherClerk);
        }
        let journal = &self.inner.journal;
        let (cached, online) = match self.inner.client.clerk_account(&bound.clerk_id).await {
            Ok(account) => {
                // The password verifier, if a password log-in left one, is
                // kept; the card alone does not make one.
                let verifier = kept_verifier(journal, &bound.clerk_id).await?;
                let cached = CachedAccount {
                    clerk_id: bound.clerk_id.clone(),
                    display_name: account.display_name,
                    role: role_from_register(&account.role)?,
                    verifier,
                    verified_at: chrono::Utc::now().to_rfc3339(),
                };
                cache_confirmed(journal, &cached, self.inner.cfg.policy.offline_login_days).await?;
                (cached, true)
            }
            Err(CallError::Rejected {
                status: 401 | 403 | 404,
                ..
            }) => {
                journal.forget_account(&bound.clerk_id).await?;
                journal.unbind_card(&card.card_id).await?;
                return Err(CoreError::AccountClosed);
            }
            Err(e @ CallError::Rejected { .. }) => return Err(CoreError::Register(e)),
            Err(CallError::Retryable { .. } | CallError::CircuitOpen { .. }) => {
                (self.cached_clerk(&bound.clerk_id).await?, false)
            }
        };
        let method = if online {
            passport_journal::LogInMethod::CardOnline
        } else {
            passport_journal::LogInMethod::CardOffline
        };
        journal.record_log_in(&bound.clerk_id, method).await?;
        let card = CardInReader {
            card_id: card.card_id,
            reader: card.reader,
        };
        Ok(self
            .start_session(
                Checked {
                    clerk_id: bound.clerk_id,
                    display_name: cached.display_name,
                    role: cached.role,
                    online,
                },
                Some(card),
            )
            .await)
    }

    async fn prove_card(&self, pin: &str) -> Result<passport_cards::clerk::ProvenCard, CoreError> {
        crate::limits::secret("pin", pin)?;
        let cards = self.cards();
        let pin = pin.to_owned();
        tokio::task::spawn_blocking(move || cards.prove_clerk_card(&pin))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))?
            .map_err(CoreError::Card)
    }

    /// The account as the register last confirmed it, if recently enough.
    async fn cached_clerk(&self, clerk_id: &str) -> Result<CachedAccount, CoreError> {
        cached_within(
            &self.inner.journal,
            clerk_id,
            self.inner.cfg.policy.offline_login_days,
        )
        .await
    }

    /// Tests only: the session's last activity moved `idle` into the past,
    /// as if the clerk had left the counter that long ago (the shortest
    /// auto-lock is a minute; a test need not wait it out).
    #[doc(hidden)]
    pub fn pretend_idle_for(&self, idle: Duration) {
        if let Some(s) = self.session_slot().as_mut()
            && let Some(then) = s.last_activity.checked_sub(idle)
        {
            s.last_activity = then;
        }
    }

    /// Keeps the session alive (the UI calls it on input).
    pub fn touch(&self) -> Result<(), CoreError> {
        self.clerk().map(|_| ())
    }
}
