//! Forms in progress, kept for the logged-in clerk as they type (the new
//! application, the hand-over), so that a lock, a screen switch, a log-out,
//! a crash or a restart loses nothing: offered back on return, discarded
//! only by the clerk or by saving the form (the journal deletes it in the
//! same transaction as the application).
//!
//! A draft belongs to the clerk of the session: without one (or locked)
//! nothing is kept or shown, and one clerk never sees another's.

use crate::Counter;
use crate::error::CoreError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_domain::{FieldError, ValidationErrors};
use passport_journal::drafts::PhotoMime;
use passport_journal::{
    ApplicationFormDraft, DraftKind, DraftPhoto, HandoverFormDraft, PhotoChange, StoredDraft,
};
use serde::{Deserialize, Serialize};

/// A form's draft as the window sends it (externally tagged, so that every
/// part can refuse a field it does not know).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftSave {
    Application(Box<ApplicationDraftSave>),
    Handover(HandoverFormDraft),
}

/// The new-application form and what to do with its photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDraftSave {
    pub form: ApplicationFormDraft,
    pub photo: DraftPhotoChange,
}

/// What a save does with the stored photo: the window sends the photo only
/// when it changed, not with every keystroke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DraftPhotoChange {
    Keep,
    Remove,
    Set(DraftPhotoView),
}

/// The chosen photo of a draft, in base64.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct DraftPhotoView {
    pub mime: PhotoMime,
    pub base64: String,
}

/// A kept draft, to offer back to the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DraftView {
    Application {
        form: Box<ApplicationFormDraft>,
        photo: Option<DraftPhotoView>,
        /// When it was last kept (RFC 3339).
        updated_at: String,
    },
    Handover {
        form: HandoverFormDraft,
        updated_at: String,
    },
}

/// The photo the window sent, refused by its length before it is decoded.
fn photo_change(change: &DraftPhotoChange) -> Result<PhotoChange, CoreError> {
    const MAX_BASE64: usize = passport_domain::photo::PHOTO_MAX_BYTES / 3 * 4 + 4;
    let refused = |code: &str, pl: &str, en: &str| {
        CoreError::Invalid(ValidationErrors(vec![FieldError::new(
            "photo", code, pl, en,
        )]))
    };
    Ok(match change {
        DraftPhotoChange::Keep => PhotoChange::Keep,
        DraftPhotoChange::Remove => PhotoChange::Remove,
        DraftPhotoChange::Set(DraftPhotoView { mime, base64 }) => {
            if base64.len() > MAX_BASE64 + 2 {
                return Err(refused(
                    "photo.too_large",
                    "Plik zdjęcia jest za duży.",
                    "The photo file is too large.",
                ));
            }
            let bytes = BASE64.decode(base64.trim()).map_err(|_| {
                refused(
                    "photo.unreadable",
                    "Nie można odczytać pliku zdjęcia.",
                    "The photo file cannot be read.",
                )
            })?;
            PhotoChange::Set(DraftPhoto { mime: *mime, bytes })
        }
    })
}

fn photo_view(p: DraftPhoto) -> DraftPhotoView {
    DraftPhotoView {
        mime: p.mime,
        base64: BASE64.encode(p.bytes),
    }
}

impl Counter {
    /// Keeps the form as the logged-in clerk's draft; when it was kept.
    pub async fn save_draft(&self, draft: &DraftSave) -> Result<String, CoreError> {
        let clerk = self.clerk()?;
        match draft {
            // The biometrics step has its own bounds (a pen stroke is
            // hundreds of points, more than a form's list; images have
            // their caps): checked as intake checks them, the rest of the
            // form as any form.
            DraftSave::Application(s) => {
                let mut rest = s.clone();
                rest.form.biometrics = passport_domain::biometrics::BiometricsDraft::default();
                crate::limits::form("", &rest, &["base64"])?;
                crate::intake::biometrics_within_limits(&s.form.biometrics)?;
            }
            DraftSave::Handover(_) => crate::limits::form("", draft, &["base64"])?,
        }
        let j = &self.inner.journal;
        Ok(match draft {
            DraftSave::Application(s) => {
                let ApplicationDraftSave { form, photo } = &**s;
                j.save_draft(&clerk.clerk_id, form, &photo_change(photo)?)
                    .await?
            }
            DraftSave::Handover(form) => {
                j.save_draft(&clerk.clerk_id, form, &PhotoChange::Keep)
                    .await?
            }
        })
    }

    /// The logged-in clerk's kept draft of a form, if any. One that cannot
    /// be read is an error (`draft.unreadable`), and it stays stored.
    pub async fn load_draft(&self, kind: DraftKind) -> Result<Option<DraftView>, CoreError> {
        let clerk = self.reader()?;
        let j = &self.inner.journal;
        Ok(match kind {
            DraftKind::Application => j
                .load_draft::<ApplicationFormDraft>(&clerk.clerk_id)
                .await?
                .map(
                    |StoredDraft {
                         body,
                         photo,
                         updated_at,
                     }| DraftView::Application {
                        form: Box::new(body),
                        photo: photo.map(photo_view),
                        updated_at,
                    },
                ),
            DraftKind::Handover => j
                .load_draft::<HandoverFormDraft>(&clerk.clerk_id)
                .await?
                .map(|d| DraftView::Handover {
                    form: d.body,
                    updated_at: d.updated_at,
                }),
        })
    }

    /// Deletes the logged-in clerk's draft of a form (the clerk discarded
    /// it); whether there was one.
    pub async fn discard_draft(&self, kind: DraftKind) -> Result<bool, CoreError> {
        let clerk = self.clerk()?;
        Ok(self
            .inner
            .journal
            .discard_draft(&clerk.clerk_id, kind)
            .await?)
    }
}

// Personal data: nothing of them through Debug (see `passport_domain::redact`).
passport_domain::personal_data_debug!(DraftPhotoView);
