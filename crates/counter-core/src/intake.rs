//! New applications: live checks while the clerk types, and the submission
//! that commits to the journal and shows the number at once, online or not.

use crate::Counter;
use crate::error::CoreError;
use crate::limits;
use crate::status::Connection;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_domain::{ApplicationDraft, ApplicationRules, FieldError, Message, ValidationErrors};
use serde::{Deserialize, Serialize};

/// The fee as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FeeView {
    pub amount_grosz: u32,
    /// `140,00 zł`.
    pub display: String,
    pub description: Message,
    pub legal_basis: String,
}

/// The result of checking a draft: every field error, and what follows
/// from the draft when it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DraftCheck {
    pub errors: Vec<FieldError>,
    pub fee: Option<FeeView>,
    pub age: Option<u32>,
    pub fingerprints_required: bool,
    pub signature_required: bool,
    /// `10 years`, `5 years`, `365 days`.
    pub validity: Option<Message>,
}

/// What the clerk sees once the application is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Submitted {
    pub number: String,
    pub journal_id: String,
    pub fee: FeeView,
    /// The register could not be reached when it was saved: it will be sent
    /// automatically.
    pub saved_offline: bool,
}

/// The photo the window sent, in base64: refused by its length before it
/// is decoded, so the IPC cannot make the core hold more than the domain's
/// photo limit.
fn photo_bytes(photo_base64: Option<&str>) -> Result<Option<Vec<u8>>, CoreError> {
    const MAX_BASE64: usize = passport_domain::photo::PHOTO_MAX_BYTES / 3 * 4 + 4;
    photo_base64
        .map(|b| {
            if b.len() > MAX_BASE64 + 2 {
                return Err(CoreError::Invalid(ValidationErrors(vec![FieldError::new(
                    "photo",
                    "photo.too_large",
                    "Plik zdjęcia jest za duży.",
                    "The photo file is too large.",
                )])));
            }
            BASE64.decode(b.trim()).map_err(|_| {
                CoreError::Invalid(ValidationErrors(vec![FieldError::new(
                    "photo",
                    "photo.unreadable",
                    "Nie można odczytać pliku zdjęcia.",
                    "The photo file cannot be read.",
                )]))
            })
        })
        .transpose()
}

impl Counter {
    fn rules(&self) -> ApplicationRules {
        ApplicationRules::new(chrono::Local::now().date_naive())
    }

    /// Checks a draft (the form calls this as the clerk types).
    pub fn check_application(
        &self,
        draft: &ApplicationDraft,
        photo_base64: Option<&str>,
    ) -> Result<DraftCheck, CoreError> {
        self.reader()?;
        limits::form("", draft, &[])?;
        limits::photo_base64("photo", photo_base64)?;
        let photo = photo_bytes(photo_base64)?;
        Ok(match draft.validate(photo.as_deref(), &self.rules()) {
            Ok(app) => DraftCheck {
                errors: Vec::new(),
                fee: Some(fee_view(&app.fee)),
                age: Some(app.age),
                fingerprints_required: app.fingerprints_required,
                signature_required: app.signature_required,
                validity: Some(match app.validity {
                    passport_domain::application::Validity::Years(y) => {
                        Message::new(format!("{y} lat"), format!("{y} years"))
                    }
                    passport_domain::application::Validity::Days(d) => {
                        Message::new(format!("{d} dni"), format!("{d} days"))
                    }
                }),
            },
            Err(errors) => DraftCheck {
                errors: errors.0,
                fee: None,
                age: None,
                fingerprints_required: false,
                signature_required: false,
                validity: None,
            },
        })
    }

    /// Validates again (whatever the UI sent), checks the offline policy,
    /// commits to the journal, and wakes the sync worker.
    pub async fn submit_application(
        &self,
        draft: &ApplicationDraft,
        photo_base64: Option<&str>,
    ) -> Result<Submitted, CoreError> {
        let clerk = self.clerk()?;
        limits::form("", draft, &[])?;
        limits::photo_base64("photo", photo_base64)?;
        let photo = photo_bytes(photo_base64)?;
        let app = draft
            .validate(photo.as_deref(), &self.rules())
            .map_err(CoreError::Invalid)?;
        self.intake_allowed().await?;
        // The domain's rules require the photo: a validated application
        // without one is a defect, never an empty photo in the journal.
        let photo = photo
            .as_deref()
            .ok_or_else(|| CoreError::Internal("a validated application has no photo".into()))?;
        let saved = self
            .inner
            .journal
            // The form's kept draft goes in the same transaction.
            .submit_application_discarding_draft(&app, photo, &clerk.clerk_id)
            .await?;
        let saved_offline =
            Connection::from(self.inner.client.status().state) == Connection::Offline;
        self.sync_now();
        self.publish_status().await;
        Ok(Submitted {
            number: saved.number,
            journal_id: saved.journal_id,
            fee: fee_view(&app.fee),
            saved_offline,
        })
    }

    async fn intake_allowed(&self) -> Result<(), CoreError> {
        intake_allowed(&self.inner.journal, &self.inner.cfg.policy).await
    }
}

/// Whether the office's caps let one more action be saved now: the one
/// check the app and `counterctl` both pass before they write.
pub async fn intake_allowed(
    journal: &passport_journal::Journal,
    policy: &crate::policy::Policy,
) -> Result<(), CoreError> {
    let now = chrono::Utc::now();
    let stats = journal.queue_stats(now).await?;
    let override_until = crate::supervisor::override_until(journal).await?;
    match policy.allowance(&stats, now, override_until).stopped {
        Some(stop) => Err(CoreError::Intake(stop)),
        None => Ok(()),
    }
}

fn fee_view(fee: &passport_domain::Fee) -> FeeView {
    FeeView {
        amount_grosz: fee.amount_grosz,
        display: fee.display_pln(),
        description: fee.description.clone(),
        legal_basis: fee.legal_basis.clone(),
    }
}
