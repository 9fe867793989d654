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
use passport_journal::drafts::{BiometricsProgress, PhotoMime};
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

/// The code of a biometrics step's progress the core does not keep (its
/// words are in `words.json`).
pub const PROGRESS_INVALID: &str = "biometrics_progress.invalid";

/// The range of a `[biometrics]` setting (`BIOMETRICS_LIMITS`): the
/// progress kept lies within what any office may set, not the office's
/// setting of today (a lowered `retries` must not make a kept draft
/// unsavable).
fn setting_range(name: &str) -> Result<std::ops::RangeInclusive<u32>, CoreError> {
    crate::biometrics::BIOMETRICS_LIMITS
        .iter()
        .find(|l| l.0 == name)
        .map(|l| l.1..=l.2)
        .ok_or_else(|| CoreError::Internal(format!("no [biometrics] limit named {name}")))
}

/// A biometrics step's progress as the window sent it, bounded before it
/// is kept: one entry a finger, each finger's captures from 1 to the first
/// capture and the most retakes any office allows, the office's rule
/// within `[biometrics]`' ranges, and a drawn signature as the domain
/// bounds a signature (its size, strokes, points, time), with one pressure
/// from 0 to 100 a point. The first problem found is named at its field.
pub fn progress_within_limits(p: &BiometricsProgress) -> Result<(), CoreError> {
    let refused = |path: &str, pl: String, en: String| {
        CoreError::Invalid(ValidationErrors(vec![FieldError::new(
            path,
            PROGRESS_INVALID,
            pl,
            en,
        )]))
    };
    let retries = setting_range("retries")?;
    let thresholds = setting_range("quality_threshold")?;
    let attempts = 1..=retries.end().saturating_add(1);
    crate::limits::items(
        "biometrics_progress.attempts",
        p.attempts.len(),
        passport_domain::biometrics::MAX_FINGER_ITEMS,
    )?;
    for (i, f) in p.attempts.iter().enumerate() {
        let path = format!("biometrics_progress.attempts[{i}]");
        let (pl, en) = f.position.words();
        if p.attempts[..i].iter().any(|g| g.position == f.position) {
            return Err(refused(
                &path,
                format!("Liczba pobrań odcisku ({pl}) jest podana więcej niż raz."),
                format!("The number of captures of the {en} is given more than once."),
            ));
        }
        if !attempts.contains(&u32::from(f.attempts)) {
            return Err(refused(
                &path,
                format!(
                    "Liczba pobrań odcisku ({pl}) musi wynosić od {} do {}, a wynosi {}.",
                    attempts.start(),
                    attempts.end(),
                    f.attempts
                ),
                format!(
                    "The number of captures of the {en} must be {} to {}, not {}.",
                    attempts.start(),
                    attempts.end(),
                    f.attempts
                ),
            ));
        }
    }
    if let Some(r) = &p.policy
        && (!thresholds.contains(&u32::from(r.threshold))
            || !retries.contains(&u32::from(r.retries)))
    {
        return Err(refused(
            "biometrics_progress.policy",
            format!(
                "Próg jakości musi wynosić od {} do {}, a liczba ponownych pobrań od {} do {}.",
                thresholds.start(),
                thresholds.end(),
                retries.start(),
                retries.end()
            ),
            format!(
                "The quality threshold must be {} to {} and the retakes {} to {}.",
                thresholds.start(),
                thresholds.end(),
                retries.start(),
                retries.end()
            ),
        ));
    }
    if let Some(d) = &p.drawn_signature {
        let path = "biometrics_progress.drawn_signature";
        // By their lengths first, before anything walks them.
        crate::limits::items(
            &format!("{path}.strokes"),
            d.strokes.len(),
            passport_domain::biometrics::MAX_STROKES,
        )?;
        crate::limits::items(
            &format!("{path}.pressures"),
            d.pressures.len(),
            passport_domain::biometrics::MAX_STROKES,
        )?;
        passport_domain::biometrics::SignatureStrokes::check(
            d.width,
            d.height,
            &d.strokes,
            &format!("{path}.strokes"),
        )
        .map_err(|e| CoreError::Invalid(ValidationErrors(vec![e])))?;
        let same_shape = d.pressures.len() == d.strokes.len()
            && d.pressures
                .iter()
                .zip(&d.strokes)
                .all(|(p, s)| p.len() == s.len() && p.iter().all(|v| *v <= 100));
        if !same_shape {
            return Err(refused(
                &format!("{path}.pressures"),
                "Nacisk pióra musi być podany dla każdego punktu podpisu, od 0 do 100.".into(),
                "The pen's pressure must be given for every point of the signature, 0 to 100."
                    .into(),
            ));
        }
    }
    Ok(())
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
                rest.form.biometrics_progress = None;
                crate::limits::form("", &rest, &["base64"])?;
                crate::intake::biometrics_within_limits(&s.form.biometrics)?;
                if let Some(p) = &s.form.biometrics_progress {
                    progress_within_limits(p)?;
                }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use super::*;
    use passport_domain::biometrics::{FingerPosition, StrokePoint};
    use passport_journal::drafts::{DrawnSignatureDraft, FingerAttempts, RetakePolicy};
    use proptest::prelude::*;

    /// The most retakes the domain bound here assumes is the most any
    /// office may set.
    #[test]
    fn the_ranges_are_those_of_the_settings() {
        assert_eq!(setting_range("retries").unwrap(), 0..=5);
        assert_eq!(setting_range("quality_threshold").unwrap(), 1..=100);
        assert!(setting_range("no_such_setting").is_err());
    }

    fn point() -> impl Strategy<Value = StrokePoint> {
        (0u16..1100, 0u16..400, 0u32..700_000).prop_map(|(x, y, t_ms)| StrokePoint { x, y, t_ms })
    }

    fn progress() -> impl Strategy<Value = BiometricsProgress> {
        let attempts = proptest::collection::vec(
            (0usize..10, any::<u8>()).prop_map(|(i, attempts)| FingerAttempts {
                position: FingerPosition::ALL[i],
                attempts,
            }),
            0..14,
        );
        let policy = proptest::option::of(
            (any::<u8>(), any::<u8>())
                .prop_map(|(threshold, retries)| RetakePolicy { threshold, retries }),
        );
        let drawn = proptest::option::of(
            (
                0u16..1200,
                0u16..400,
                proptest::collection::vec(proptest::collection::vec(point(), 0..6), 0..5),
                proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..6), 0..5),
            )
                .prop_map(|(width, height, strokes, pressures)| DrawnSignatureDraft {
                    width,
                    height,
                    strokes,
                    pressures,
                }),
        );
        (attempts, policy, drawn).prop_map(|(attempts, policy, drawn_signature)| {
            BiometricsProgress {
                attempts,
                policy,
                drawn_signature,
            }
        })
    }

    proptest! {
        /// Whatever the window sends, the check answers without a panic,
        /// and what it lets through lies within the bounds it states.
        #[test]
        fn any_progress_is_answered_and_what_passes_is_in_range(p in progress()) {
            let answer = progress_within_limits(&p);
            if let Err(e) = &answer {
                prop_assert!(matches!(e, CoreError::Invalid(v) if v.0.len() == 1), "{e:?}");
            } else {
                prop_assert!(p.attempts.len() <= 10);
                prop_assert!(p.attempts.iter().all(|f| (1..=6).contains(&f.attempts)));
                if let Some(r) = &p.policy {
                    prop_assert!((1..=100).contains(&r.threshold) && r.retries <= 5);
                }
                if let Some(d) = &p.drawn_signature {
                    prop_assert_eq!(d.strokes.len(), d.pressures.len());
                    for (s, pr) in d.strokes.iter().zip(&d.pressures) {
                        prop_assert_eq!(s.len(), pr.len());
                        prop_assert!(!s.is_empty());
                        prop_assert!(s.iter().all(|q| q.x < d.width && q.y < d.height));
                        prop_assert!(pr.iter().all(|v| *v <= 100));
                    }
                }
            }
        }
    }
}
