//! Forms in progress: what a clerk has typed into the new application or
//! the hand-over and not yet saved, kept so that nothing typed is lost to a
//! lock, a screen switch, a log-out, a crash or a restart.
//!
//! One row per clerk and form (`drafts`), rewritten as the clerk types. The
//! body is JSON of the typed form structs below (`deny_unknown_fields`, no
//! defaults), read back into them; a row that does not read back is a
//! [`DraftError::Unreadable`] naming the clerk, the form and why, and the
//! row stays for office IT to look at — a draft is never dropped silently.
//! A draft is not a record anybody answers for: it is not a journal entry,
//! and it is deleted when the form is saved (in the same transaction as the
//! application, [`Journal::submit_application_discarding_draft`]) or when
//! the clerk discards it.

use crate::actions::clerk_ok;
use crate::db::now_rfc3339;
use crate::{Journal, JournalError, Result, SubmittedApplication};
use passport_domain::ValidApplication;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

/// The largest form body kept (its JSON): far above anything a clerk types
/// into one form, low enough that a runaway caller cannot fill the disk.
pub const DRAFT_MAX_BYTES: usize = 256 * 1024;

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DraftKind {
    Application,
    Handover,
}

impl DraftKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Handover => "handover",
        }
    }
}

/// The kind of application chosen in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    Passport,
    Temporary,
    Second,
}

/// One parent or guardian row of the application form, as typed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct GuardianFormDraft {
    pub role: String,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
}

/// The new-application form as the clerk left it: every field as typed
/// (the UI's `ApplicationForm`, `ui/src/lib/draft.ts`), valid or not —
/// validation happens when it is submitted, not here.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ApplicationFormDraft {
    pub kind: FormKind,
    pub urgent_reason: String,
    pub validity_days: String,
    pub second_passport_justification: String,
    pub existing_passport: String,
    pub previous_passport: String,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    /// As typed, `dd.mm.rrrr` (or part of it).
    pub birth_date: String,
    pub birth_place: String,
    pub sex: String,
    pub citizenship: String,
    pub street: String,
    pub building: String,
    pub flat: String,
    pub postal_code: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    pub applicant_present: bool,
    pub guardians: Vec<GuardianFormDraft>,
    pub consent_basis: String,
    pub consent_reference: String,
    pub reduction: String,
    pub large_family_card: String,
    /// The chosen photo's file name; the photo itself is kept beside the
    /// body ([`DraftPhoto`]).
    pub photo_name: String,
    /// The biometrics step as left: fingers taken (each PNG within the
    /// domain's cap, two of them far below [`DRAFT_MAX_BYTES`]), exceptions,
    /// the signature's strokes and the image drawn from them. A draft kept
    /// by a release before the step has no such field: read as nothing
    /// taken yet, which is what it was (additive, so those drafts still
    /// read back).
    #[serde(default)]
    pub biometrics: passport_domain::biometrics::BiometricsDraft,
    /// The biometrics step's work in progress: the captures made of each
    /// finger (so a lock, a screen switch or a restart gives no fresh
    /// retakes) and a signature drawn but not yet accepted (so a restart or
    /// a crash does not make the applicant sign again). A draft kept by an
    /// earlier release has none, which means nothing in progress.
    #[serde(default)]
    pub biometrics_progress: Option<BiometricsProgress>,
}

/// What the biometrics step has done and not yet put into the application:
/// not sent to the register, only kept with the form. Bounded by the core
/// when it is saved (`counter-core`'s `save_draft`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct BiometricsProgress {
    /// Captures made of each finger so far; a finger not listed has had
    /// none. One entry a finger.
    pub attempts: Vec<FingerAttempts>,
    /// The office's threshold and retakes as the last capture gave them
    /// (none before the first capture): the screen says how many retakes
    /// are left after a restart, before the next capture.
    pub policy: Option<RetakePolicy>,
    /// The strokes on the pad before "Zatwierdź podpis".
    pub drawn_signature: Option<DrawnSignatureDraft>,
}

/// How many captures of one finger were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct FingerAttempts {
    pub position: passport_domain::biometrics::FingerPosition,
    pub attempts: u8,
}

/// The office's capture rule (`[biometrics]`): the quality a capture must
/// reach, and the retakes after a first capture below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RetakePolicy {
    pub threshold: u8,
    pub retries: u8,
}

/// A signature drawn on the pad and not yet accepted: the strokes as the
/// pad recorded them, and each point's pen pressure in percent (0–100;
/// only the live line's width uses it).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct DrawnSignatureDraft {
    pub width: u16,
    pub height: u16,
    pub strokes: Vec<Vec<passport_domain::biometrics::StrokePoint>>,
    pub pressures: Vec<Vec<u8>>,
}

/// Who collects the document, as chosen in the hand-over form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CollectorKindDraft {
    Holder,
    Parent,
    LegalGuardian,
}

/// The hand-over form as the clerk left it (`ui/src/screens/Handover.svelte`).
/// A field the hand-over screen adds is added here: a stored draft with a
/// field this release does not know is an error, not silently dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct HandoverFormDraft {
    /// The scanned or typed document number.
    pub document_number: String,
    pub collector_kind: CollectorKindDraft,
    pub collector_pesel: String,
    pub collector_surname: String,
    pub collector_given_names: String,
    pub identity_document: String,
    pub previous_passport: String,
    /// The court ruling of an adult's legal guardian.
    pub court_ruling_reference: String,
}

/// A form body that can be kept as a draft.
pub trait FormDraft: Serialize + DeserializeOwned {
    const KIND: DraftKind;
}

impl FormDraft for ApplicationFormDraft {
    const KIND: DraftKind = DraftKind::Application;
}

impl FormDraft for HandoverFormDraft {
    const KIND: DraftKind = DraftKind::Handover;
}

/// The formats a draft's photo may have (those an application takes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PhotoMime {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl PhotoMime {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "image/jpeg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            _ => None,
        }
    }
}

/// The photo chosen in a form, kept beside the draft's body.
#[derive(Clone, PartialEq, Eq)]
pub struct DraftPhoto {
    pub mime: PhotoMime,
    pub bytes: Vec<u8>,
}

/// What a save does with the stored photo: the form sends the photo only
/// when it changed, not on every keystroke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoChange {
    Keep,
    Set(DraftPhoto),
    Remove,
}

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDraft<B> {
    pub body: B,
    pub photo: Option<DraftPhoto>,
    pub updated_at: String,
}

/// What can go wrong with a draft, by name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error(
        "the stored {kind} draft of clerk {clerk_id} (saved {updated_at}) cannot be read: {reason}; it is kept"
    )]
    Unreadable {
        kind: &'static str,
        clerk_id: String,
        updated_at: String,
        reason: String,
    },
    #[error("the draft is {size} bytes, more than the {limit} kept")]
    TooLarge { size: usize, limit: usize },
    #[error("the draft's photo is {size} bytes, more than the {limit} an application takes")]
    PhotoTooLarge { size: usize, limit: usize },
}

impl Journal {
    /// Keeps `body` as `clerk_id`'s draft of its form, replacing the one
    /// before; the photo as `photo` says.
    pub async fn save_draft<B: FormDraft>(
        &self,
        clerk_id: &str,
        body: &B,
        photo: &PhotoChange,
    ) -> Result<String> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let json = serde_json::to_string(body)?;
        if json.len() > DRAFT_MAX_BYTES {
            return Err(DraftError::TooLarge {
                size: json.len(),
                limit: DRAFT_MAX_BYTES,
            }
            .into());
        }
        if let PhotoChange::Set(p) = photo
            && p.bytes.len() > passport_domain::photo::PHOTO_MAX_BYTES
        {
            return Err(DraftError::PhotoTooLarge {
                size: p.bytes.len(),
                limit: passport_domain::photo::PHOTO_MAX_BYTES,
            }
            .into());
        }
        self.save_draft_tx(clerk_id, B::KIND, &json, photo)
            .await
            .map_err(|e| self.not_saved(e))
    }

    async fn save_draft_tx(
        &self,
        clerk_id: &str,
        kind: DraftKind,
        json: &str,
        photo: &PhotoChange,
    ) -> Result<String> {
        let kind = kind.as_str();
        let now = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query!(
            "INSERT INTO drafts (clerk_id, kind, body, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (clerk_id, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            clerk_id,
            kind,
            json,
            now
        )
        .execute(&mut *tx)
        .await?;
        match photo {
            PhotoChange::Keep => {}
            PhotoChange::Set(p) => {
                let mime = p.mime.as_str();
                sqlx::query!(
                    "UPDATE drafts SET photo = ?1, photo_mime = ?2 WHERE clerk_id = ?3 AND kind = ?4",
                    p.bytes,
                    mime,
                    clerk_id,
                    kind
                )
                .execute(&mut *tx)
                .await?;
            }
            PhotoChange::Remove => {
                sqlx::query!(
                    "UPDATE drafts SET photo = NULL, photo_mime = NULL WHERE clerk_id = ?1 AND kind = ?2",
                    clerk_id,
                    kind
                )
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(now)
    }

    /// `clerk_id`'s draft of the form `B`, if one is kept. One that does not
    /// read back is an error, and stays stored.
    pub async fn load_draft<B: FormDraft>(&self, clerk_id: &str) -> Result<Option<StoredDraft<B>>> {
        clerk_ok(clerk_id)?;
        let kind = B::KIND.as_str();
        let Some(row) = sqlx::query!(
            "SELECT body, photo, photo_mime, updated_at FROM drafts WHERE clerk_id = ?1 AND kind = ?2",
            clerk_id,
            kind
        )
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let unreadable = |reason: String| DraftError::Unreadable {
            kind,
            clerk_id: clerk_id.to_owned(),
            updated_at: row.updated_at.clone(),
            reason,
        };
        // serde's own words, without its list of every expected field.
        let body: B = serde_json::from_str(&row.body).map_err(|e| {
            let why = e.to_string();
            unreadable(why.split(", expected").next().unwrap_or(&why).to_owned())
        })?;
        let photo = match (row.photo, row.photo_mime) {
            (None, None) => None,
            (Some(bytes), Some(mime)) => Some(DraftPhoto {
                mime: PhotoMime::parse(&mime)
                    .ok_or_else(|| unreadable(format!("unknown photo format {mime:?}")))?,
                bytes,
            }),
            _ => return Err(unreadable("a photo without its format".into()).into()),
        };
        Ok(Some(StoredDraft {
            body,
            photo,
            updated_at: row.updated_at,
        }))
    }

    /// Deletes `clerk_id`'s draft of `kind` (the clerk discarded it);
    /// whether there was one.
    pub async fn discard_draft(&self, clerk_id: &str, kind: DraftKind) -> Result<bool> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let mut conn = self.pool.acquire().await?;
        delete_draft_in(&mut conn, clerk_id, kind)
            .await
            .map_err(|e| self.not_saved(e))
    }

    /// Saves a validated application (as [`Journal::submit_application`])
    /// and deletes the clerk's application draft in the same transaction:
    /// the form is either still kept or saved, never neither.
    pub async fn submit_application_discarding_draft(
        &self,
        app: &ValidApplication,
        photo: &[u8],
        clerk_id: &str,
    ) -> Result<SubmittedApplication> {
        clerk_ok(clerk_id)?;
        self.refuse_if_damaged()?;
        let saved = async {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let saved = self.submit_in(&mut tx, app, photo, clerk_id).await?;
            delete_draft_in(&mut tx, clerk_id, DraftKind::Application).await?;
            self.pause_for_crash_test().await;
            tx.commit().await?;
            Ok(saved)
        }
        .await
        .map_err(|e| self.not_saved(e))?;
        self.after_commit(1, saved.seq, &saved.entry_hash);
        Ok(saved)
    }
}

/// Deletes a clerk's draft inside the caller's transaction (the action that
/// saves the form deletes its draft with it); whether there was one.
pub(crate) async fn delete_draft_in(
    conn: &mut SqliteConnection,
    clerk_id: &str,
    kind: DraftKind,
) -> Result<bool> {
    let kind = kind.as_str();
    let done = sqlx::query!(
        "DELETE FROM drafts WHERE clerk_id = ?1 AND kind = ?2",
        clerk_id,
        kind
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

impl From<DraftError> for JournalError {
    fn from(e: DraftError) -> Self {
        Self::Draft(e)
    }
}

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(
    GuardianFormDraft,
    ApplicationFormDraft,
    BiometricsProgress,
    DrawnSignatureDraft
);

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(HandoverFormDraft, DraftPhoto);
