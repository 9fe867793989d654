//! New applications: live checks while the clerk types, and the submission
//! that commits to the journal and shows the number at once, online or not.
//!
//! The biometrics (fingerprints or their exceptions, the signature or why
//! there is none) come beside the draft as a [`BiometricsDraft`]: bounded
//! here first (counts, base64 lengths, strokes), the signature drawn again
//! from its strokes ([`crate::signature::rendered`]: the window's own
//! image is never kept), then checked with the application by the domain's
//! rules by kind and age, and a finger temporarily impossible to take must
//! carry a supervisor's confirmation sealed at this counter
//! ([`crate::confirmations`]).

use crate::Counter;
use crate::error::CoreError;
use crate::limits;
use crate::status::Connection;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use passport_domain::biometrics::{
    BiometricsDraft, FINGER_IMAGE, MAX_FINGER_ITEMS, MAX_POINTS, MAX_STROKES, SIGNATURE_IMAGE,
    SignatureDraft,
};
use passport_domain::{
    ApplicationDraft, ApplicationRules, FieldError, Message, ValidApplication, ValidationErrors,
};
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

/// The biometrics the window sent, refused by size before anything reads
/// them: at most ten fingers and ten exceptions, each image within its
/// base64 length, the signature's strokes and points within the domain's
/// bounds, texts within the form's.
pub fn biometrics_within_limits(b: &BiometricsDraft) -> Result<(), CoreError> {
    limits::items("biometrics.fingers", b.fingers.len(), MAX_FINGER_ITEMS)?;
    limits::items(
        "biometrics.finger_exceptions",
        b.finger_exceptions.len(),
        MAX_FINGER_ITEMS,
    )?;
    for (i, f) in b.fingers.iter().enumerate() {
        limits::image_base64(
            &format!("biometrics.fingers[{i}].png_base64"),
            &f.png_base64,
            FINGER_IMAGE.max_bytes,
        )?;
    }
    for (i, x) in b.finger_exceptions.iter().enumerate() {
        if let Some(s) = &x.supervisor {
            limits::id(&format!("biometrics.finger_exceptions[{i}].supervisor"), s)?;
        }
    }
    match &b.signature {
        None => {}
        Some(SignatureDraft::Signed(s)) => {
            limits::items("biometrics.signature.strokes", s.strokes.len(), MAX_STROKES)?;
            let points: usize = s.strokes.iter().map(Vec::len).sum();
            limits::items("biometrics.signature.strokes", points, MAX_POINTS)?;
            limits::image_base64(
                "biometrics.signature.png_base64",
                &s.png_base64,
                SIGNATURE_IMAGE.max_bytes,
            )?;
        }
        Some(SignatureDraft::Image(s)) => {
            limits::image_base64(
                "biometrics.signature.png_base64",
                &s.png_base64,
                SIGNATURE_IMAGE.max_bytes,
            )?;
        }
        Some(SignatureDraft::CannotSign(c)) => {
            limits::text("biometrics.signature.reason", &c.reason)?;
        }
    }
    Ok(())
}

/// The captures themselves, beyond their form: each at or above the
/// office's `[biometrics] quality_threshold` (a scripted intake cannot file
/// what the window would have made the clerk retake), no image given for
/// two fingers (the same PNG bytes), and no finger image that is the face
/// photo. The app and `counterctl` both call this before they save.
pub fn captures_acceptable(
    b: &BiometricsDraft,
    photo: Option<&[u8]>,
    quality_threshold: u32,
) -> Result<(), CoreError> {
    use sha2::{Digest, Sha256};
    let mut errors = ValidationErrors::default();
    let photo_hash = photo.map(Sha256::digest);
    let mut seen: Vec<(_, passport_domain::biometrics::FingerPosition)> = Vec::new();
    for (i, f) in b.fingers.iter().enumerate() {
        let (pl, en) = f.position.words();
        if f.quality < quality_threshold {
            errors.push(FieldError::new(
                format!("biometrics.fingers[{i}].quality"),
                "fingerprints.quality_below_threshold",
                format!(
                    "Jakość odcisku (palec: {pl}) wynosi {}, poniżej progu {quality_threshold}: pobierz odcisk ponownie albo zapisz wyjątek.",
                    f.quality
                ),
                format!(
                    "The {en}'s quality is {}, below the threshold of {quality_threshold}: take it again or record an exception.",
                    f.quality
                ),
            ));
        }
        // An image that does not decode is the domain's error at this path.
        let Ok(bytes) = BASE64.decode(f.png_base64.trim()) else {
            continue;
        };
        let hash = Sha256::digest(&bytes);
        if photo_hash.as_ref() == Some(&hash) {
            errors.push(FieldError::new(
                format!("biometrics.fingers[{i}].png_base64"),
                "fingerprints.image_is_photo",
                format!("Obraz odcisku (palec: {pl}) to zdjęcie twarzy, nie odcisk palca."),
                format!("The {en}'s image is the face photo, not a fingerprint."),
            ));
        }
        if let Some((_, other)) = seen.iter().find(|(h, _)| *h == hash) {
            let (other_pl, other_en) = other.words();
            errors.push(FieldError::new(
                format!("biometrics.fingers[{i}].png_base64"),
                "fingerprints.image_repeated",
                format!(
                    "Obraz odcisku (palec: {pl}) jest tym samym obrazem co odcisk innego palca ({other_pl}): każdy palec pobiera się osobno."
                ),
                format!(
                    "The {en}'s image is the same image as the {other_en}'s: each finger is taken on its own."
                ),
            ));
        }
        seen.push((hash, f.position));
    }
    errors.into_result(()).map_err(CoreError::Invalid)
}

impl Counter {
    fn rules(&self) -> ApplicationRules {
        ApplicationRules::new(chrono::Local::now().date_naive())
    }

    /// Checks a draft (the form calls this as the clerk types, `None`
    /// while no biometrics are taken yet) and, once the window has them,
    /// its biometrics: their errors come with the data's. What the rules
    /// require by kind and age is given whenever the kind and the birth
    /// date can be read, so the form knows whether to show the biometrics
    /// step before the rest is valid. A check is never a save: saving goes
    /// through [`Self::submit_application`], which always takes them.
    pub fn check_application(
        &self,
        draft: &ApplicationDraft,
        photo_base64: Option<&str>,
        biometrics: Option<&BiometricsDraft>,
    ) -> Result<DraftCheck, CoreError> {
        let session = self.reader()?;
        limits::form("", draft, &[])?;
        limits::photo_base64("photo", photo_base64)?;
        if let Some(b) = biometrics {
            biometrics_within_limits(b)?;
        }
        let photo = photo_bytes(photo_base64)?;
        let rules = self.rules();
        let checked = match biometrics {
            Some(b) => {
                let b = rendered_signature(b)?;
                let checked = draft.validate_with_biometrics(photo.as_deref(), &b, &rules);
                // The supervisors' confirmations as the save will check
                // them (a PESEL changed since, another clerk), so the
                // review says so before the save does.
                match crate::confirmations::finger_exceptions_confirmed(
                    &self.inner.journal,
                    &session.clerk_id,
                    &draft.applicant.pesel,
                    &b,
                    chrono::Utc::now(),
                ) {
                    Ok(()) => checked,
                    Err(CoreError::Invalid(more)) => match checked {
                        Ok(_) => Err(more),
                        Err(mut errors) => {
                            errors.0.extend(more.0);
                            Err(errors)
                        }
                    },
                    Err(e) => return Err(e),
                }
            }
            None => draft.validate(photo.as_deref(), &rules),
        };
        Ok(match checked {
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
            Err(errors) => {
                let requirement = draft.biometrics_requirement(&rules);
                DraftCheck {
                    errors: errors.0,
                    fee: None,
                    age: None,
                    fingerprints_required: requirement.is_some_and(|r| r.fingerprints),
                    signature_required: requirement.is_some_and(|r| r.signature),
                    validity: None,
                }
            }
        })
    }

    /// Validates again (whatever the UI sent) with the biometrics and the
    /// rules by kind and age, checks the supervisors' confirmations and the offline
    /// policy, commits to the journal, and wakes the sync worker. The only
    /// way the core saves an application: none taken is an empty
    /// [`BiometricsDraft`], which the rules refuse for an adult's passport.
    pub async fn submit_application(
        &self,
        draft: &ApplicationDraft,
        photo_base64: Option<&str>,
        biometrics: &BiometricsDraft,
    ) -> Result<Submitted, CoreError> {
        let clerk = self.clerk()?;
        limits::form("", draft, &[])?;
        limits::photo_base64("photo", photo_base64)?;
        biometrics_within_limits(biometrics)?;
        let photo = photo_bytes(photo_base64)?;
        let biometrics = rendered_signature(biometrics)?;
        let app = draft
            .validate_with_biometrics(photo.as_deref(), &biometrics, &self.rules())
            .map_err(CoreError::Invalid)?;
        captures_acceptable(
            &biometrics,
            photo.as_deref(),
            self.inner.cfg.biometrics.quality_threshold,
        )?;
        crate::confirmations::finger_exceptions_confirmed(
            &self.inner.journal,
            &clerk.clerk_id,
            &draft.applicant.pesel,
            &biometrics,
            chrono::Utc::now(),
        )?;
        self.save(app, photo, &clerk.clerk_id).await
    }

    async fn save(
        &self,
        app: ValidApplication,
        photo: Option<Vec<u8>>,
        clerk_id: &str,
    ) -> Result<Submitted, CoreError> {
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
            .submit_application_discarding_draft(&app, photo, clerk_id)
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

/// The biometrics with the signature as this module keeps it: drawn again
/// from the strokes the window sent; an image alone is refused from the
/// window (it is for `counterctl`, which office IT answers for).
fn rendered_signature(b: &BiometricsDraft) -> Result<BiometricsDraft, CoreError> {
    Ok(BiometricsDraft {
        fingers: b.fingers.clone(),
        finger_exceptions: b.finger_exceptions.clone(),
        signature: b
            .signature
            .as_ref()
            .map(|s| crate::signature::rendered(s, "biometrics.signature"))
            .transpose()?,
    })
}

fn fee_view(fee: &passport_domain::Fee) -> FeeView {
    FeeView {
        amount_grosz: fee.amount_grosz,
        display: fee.display_pln(),
        description: fee.description.clone(),
        legal_basis: fee.legal_basis.clone(),
    }
}
