//! What each journal entry records, as Rust types.
//!
//! An entry's payload is stored as JSON text (it is hashed into the chain
//! byte for byte), but nothing in the workspace reads it back by path: it is
//! written from and read into [`EntryPayload`], one variant per entry kind,
//! and a payload that does not read back into its variant is an error of that
//! entry ([`PayloadError`]), never a value filled in with a default.
//!
//! Versions: the payloads written by release 0.1 carry no `"v"` field and are
//! version 1; they read into today's types unchanged (the shapes are the
//! same; `tests/integrity.rs` holds literal 0.1 payloads). A change of
//! shape bumps [`PAYLOAD_VERSION`] and says how the older shape reads.
//!
//! Version 2 adds the court ruling's reference to a legal guardian who
//! collects (`Collector::LegalGuardian::court_ruling`). A version 1
//! guardian has none: it reads as `None`, which is what it recorded. A
//! payload is written in the oldest version that holds it: only a
//! hand-over with a court ruling carries the marker `"v":2` (so a release
//! reading version 1 names it as newer instead of failing on an unknown
//! field), and everything else is written byte for byte as version 1.
//!
//! Version 3 adds the applicant's biometrics to an application
//! (`ValidApplication::biometrics`: the fingerprints or their exceptions,
//! the signature or why there is none; images as base64 PNG inside the
//! payload, which the journal keeps encrypted at rest). An application
//! recorded without them (release 0.1, or the data-only validation) reads
//! as `None` and is written as version 1; one with them carries `"v":3`,
//! whatever parts the rules required (a child's empty biometrics record
//! is still a record that nothing was required).

use crate::entry::EntryKind;
use passport_domain::ValidApplication;
use passport_domain::lifecycle::InvalidationReason;
use passport_domain::pesel::Pesel;
use serde::{Deserialize, Serialize};

/// The payload version this release writes.
pub const PAYLOAD_VERSION: u32 = 3;

/// A saved application: its number, the validated application and the photo
/// it refers to (stored once, by hash, in the `photos` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitPayload {
    pub number: String,
    pub application: ValidApplication,
    pub photo: PhotoRef,
}

impl SubmitPayload {
    /// The payload version that holds this application.
    fn version(&self) -> u32 {
        if self.application.biometrics.is_some() {
            3
        } else {
            1
        }
    }
}

/// A stored photo, by content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoRef {
    /// Hex SHA-256 of the bytes: `journal verify` recomputes it.
    pub sha256: String,
    pub mime: String,
}

/// Who collected a document. Tagged by `kind`, as the app has always
/// written it. Its `Debug` shows no name (`passport_domain::redact`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Collector {
    Holder,
    Parent {
        pesel: Pesel,
        surname: String,
        given_names: String,
    },
    LegalGuardian {
        pesel: Pesel,
        surname: String,
        given_names: String,
        /// The court ruling's reference (version 2): required for the
        /// guardian of an adult under full guardianship. Absent in the
        /// text when there is none, as version 1 wrote it.
        #[serde(skip_serializing_if = "Option::is_none")]
        court_ruling: Option<String>,
    },
}

impl Collector {
    /// The payload version that holds this collector.
    fn version(&self) -> u32 {
        match self {
            Self::LegalGuardian {
                court_ruling: Some(_),
                ..
            } => 2,
            _ => 1,
        }
    }
}

/// What the counter verified of the chip before the hand-over. A failed
/// check never reaches a hand-over (it is refused), so there are two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChipCheck {
    Passed,
    NotChecked,
}

impl ChipCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::NotChecked => "not_checked",
        }
    }
}

/// A hand-over of a ready document. Its `Debug` shows nothing of it (the
/// collector's names, the identity document's number).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverPayload {
    pub document_number: String,
    pub collected_by: Collector,
    /// How identity was checked (document type and number shown).
    pub identity_check: String,
    pub chip_check: ChipCheck,
    /// The holder's previous passport, invalidated by this hand-over.
    pub previous_passport: Option<String>,
    /// Recorded while the register was unreachable.
    pub provisional: bool,
}

passport_domain::personal_data_debug!(Collector, HandoverPayload);

/// An invalidation of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidatePayload {
    pub document_number: String,
    pub reason: InvalidationReason,
}

/// What a supervisor decided about an entry the register refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// The register is right; the applicant is told.
    AcceptRefusal,
    /// Fixed at the register by other means.
    CorrectedElsewhere,
    /// Sent on to the central office.
    Escalated,
}

impl DecisionOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AcceptRefusal => "accept_refusal",
            Self::CorrectedElsewhere => "corrected_elsewhere",
            Self::Escalated => "escalated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::AcceptRefusal,
            Self::CorrectedElsewhere,
            Self::Escalated,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// A supervisor's decision on a refused entry (the entry's clerk is the
/// supervisor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPayload {
    /// The refused entry it is about.
    pub entry_id: String,
    pub outcome: DecisionOutcome,
    pub note: String,
}

/// A supervisor lifting the offline intake caps until a time (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverridePayload {
    pub until: String,
}

/// The payload of one journal entry. (An application is much larger than
/// the other payloads; payloads are read one entry at a time, so boxing it
/// would buy nothing but an indirection.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum EntryPayload {
    SubmitApplication(SubmitPayload),
    RecordHandover(HandoverPayload),
    InvalidateDocument(InvalidatePayload),
    SupervisorDecision(DecisionPayload),
    IntakeOverride(OverridePayload),
}

/// Why a stored payload cannot be used: the entry is reported with this
/// reason and never sent with guessed values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("unknown entry kind {0:?}")]
    UnknownKind(String),
    #[error("payload version {found} is newer than this release reads ({PAYLOAD_VERSION})")]
    NewerVersion { found: u32 },
    #[error("the {kind} payload cannot be read: {reason}")]
    Malformed { kind: &'static str, reason: String },
}

/// Only the version marker, read before the body.
#[derive(Deserialize)]
struct Version {
    v: Option<u32>,
}

/// A payload with its version marker in front (versions above 1).
#[derive(Serialize)]
struct Marked<'a, T> {
    v: u32,
    #[serde(flatten)]
    body: &'a T,
}

impl EntryPayload {
    pub fn kind(&self) -> EntryKind {
        match self {
            Self::SubmitApplication(_) => EntryKind::SubmitApplication,
            Self::RecordHandover(_) => EntryKind::RecordHandover,
            Self::InvalidateDocument(_) => EntryKind::InvalidateDocument,
            Self::SupervisorDecision(_) => EntryKind::SupervisorDecision,
            Self::IntakeOverride(_) => EntryKind::IntakeOverride,
        }
    }

    /// The text stored in the journal (and hashed into the chain).
    pub fn encode(&self) -> Result<String, serde_json::Error> {
        match self {
            Self::SubmitApplication(p) => match p.version() {
                1 => serde_json::to_string(p),
                v => serde_json::to_string(&Marked { v, body: p }),
            },
            Self::RecordHandover(p) => match p.collected_by.version() {
                1 => serde_json::to_string(p),
                v => serde_json::to_string(&Marked { v, body: p }),
            },
            Self::InvalidateDocument(p) => serde_json::to_string(p),
            Self::SupervisorDecision(p) => serde_json::to_string(p),
            Self::IntakeOverride(p) => serde_json::to_string(p),
        }
    }

    /// Reads a stored payload of entry kind `kind` (as stored) back into
    /// its type.
    pub fn decode(kind: &str, text: &str) -> Result<Self, PayloadError> {
        let kind = EntryKind::parse(kind).ok_or_else(|| PayloadError::UnknownKind(kind.into()))?;
        let malformed = |e: serde_json::Error| PayloadError::Malformed {
            kind: kind.as_str(),
            reason: e.to_string(),
        };
        // Version 1 (release 0.1) wrote no marker; a marker above this
        // release's is a journal from a newer release, not garbage.
        let version: Version = serde_json::from_str(text).map_err(malformed)?;
        let mut unmarked = String::new();
        let text = match version.v {
            None => text,
            Some(found) if found > PAYLOAD_VERSION => {
                return Err(PayloadError::NewerVersion { found });
            }
            // Version 2 only adds an optional field to a hand-over's legal
            // guardian, version 3 the optional biometrics to an
            // application: the body without its marker reads into today's
            // types (every struct still refuses unknown fields).
            Some(2) if kind == EntryKind::RecordHandover => {
                unmark(text, &mut unmarked).map_err(malformed)?
            }
            Some(3) if kind == EntryKind::SubmitApplication => {
                unmark(text, &mut unmarked).map_err(malformed)?
            }
            Some(found) => {
                return Err(PayloadError::Malformed {
                    kind: kind.as_str(),
                    reason: format!("version {found} is never written with a marker for this kind"),
                });
            }
        };
        Ok(match kind {
            EntryKind::SubmitApplication => {
                let p: SubmitPayload = serde_json::from_str(text).map_err(malformed)?;
                // A marker promises what the version adds.
                if version.v.is_some_and(|v| v != p.version()) {
                    return Err(PayloadError::Malformed {
                        kind: kind.as_str(),
                        reason: "a version 3 application without biometrics".into(),
                    });
                }
                Self::SubmitApplication(p)
            }
            EntryKind::RecordHandover => {
                Self::RecordHandover(serde_json::from_str(text).map_err(malformed)?)
            }
            EntryKind::InvalidateDocument => {
                Self::InvalidateDocument(serde_json::from_str(text).map_err(malformed)?)
            }
            EntryKind::SupervisorDecision => {
                Self::SupervisorDecision(serde_json::from_str(text).map_err(malformed)?)
            }
            EntryKind::IntakeOverride => {
                Self::IntakeOverride(serde_json::from_str(text).map_err(malformed)?)
            }
        })
    }
}

/// `text` without its `"v"` marker, kept in `out`.
fn unmark<'a>(text: &str, out: &'a mut String) -> Result<&'a str, serde_json::Error> {
    let mut body: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)?;
    body.remove("v");
    *out = serde_json::to_string(&body)?;
    Ok(out.as_str())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn handover(collected_by: Collector) -> EntryPayload {
        EntryPayload::RecordHandover(HandoverPayload {
            document_number: "DA0000002".into(),
            collected_by,
            identity_check: "dowód osobisty ABC123456".into(),
            chip_check: ChipCheck::Passed,
            previous_passport: None,
            provisional: false,
        })
    }

    fn guardian(court_ruling: Option<&str>) -> Collector {
        Collector::LegalGuardian {
            pesel: Pesel::parse("90010112349").unwrap(),
            surname: "Wójcik".into(),
            given_names: "Anna".into(),
            court_ruling: court_ruling.map(str::to_owned),
        }
    }

    /// A guardian without a court ruling is written exactly as version 1
    /// wrote it; with one, as version 2 with its marker; both read back.
    #[test]
    fn a_court_ruling_is_version_2_and_everything_else_stays_version_1() {
        let v1 = handover(guardian(None));
        let text = v1.encode().unwrap();
        assert_eq!(
            text,
            r#"{"document_number":"DA0000002","collected_by":{"kind":"legal_guardian","pesel":"90010112349","surname":"Wójcik","given_names":"Anna"},"identity_check":"dowód osobisty ABC123456","chip_check":"passed","previous_passport":null,"provisional":false}"#
        );
        assert_eq!(EntryPayload::decode("record_handover", &text).unwrap(), v1);

        let v2 = handover(guardian(Some("III RNs 123/24")));
        let text = v2.encode().unwrap();
        assert!(text.starts_with(r#"{"v":2,"document_number""#), "{text}");
        assert!(
            text.contains(r#""court_ruling":"III RNs 123/24""#),
            "{text}"
        );
        assert_eq!(EntryPayload::decode("record_handover", &text).unwrap(), v2);
    }

    fn application(with_biometrics: bool) -> EntryPayload {
        use passport_domain::biometrics::samples;
        use passport_domain::{ApplicationRules, demo};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let draft = demo::adult_draft(3, today);
        let rules = ApplicationRules::new(today);
        let application = if with_biometrics {
            draft
                .validate_with_biometrics(Some(demo::PHOTO_PNG), &samples::adult_draft(), &rules)
                .unwrap()
        } else {
            draft.validate(Some(demo::PHOTO_PNG), &rules).unwrap()
        };
        EntryPayload::SubmitApplication(SubmitPayload {
            number: "DEMO-01-000042-80".into(),
            application,
            photo: PhotoRef {
                sha256: "0".repeat(64),
                mime: "image/png".into(),
            },
        })
    }

    /// An application with biometrics is version 3 with its marker; one
    /// without is written as version 1 wrote it; both read back; a marker
    /// without the biometrics it promises is refused.
    #[test]
    fn biometrics_are_version_3_and_an_application_without_them_stays_version_1() {
        let v1 = application(false);
        let text = v1.encode().unwrap();
        assert!(text.starts_with(r#"{"number":"#), "{}", &text[..40]);
        assert!(!text.contains("biometrics"));
        assert_eq!(
            EntryPayload::decode("submit_application", &text).unwrap(),
            v1
        );

        let v3 = application(true);
        let text = v3.encode().unwrap();
        assert!(text.starts_with(r#"{"v":3,"number":"#), "{}", &text[..40]);
        assert!(text.contains(r#""position":"Left IndexFinger""#));
        assert_eq!(
            EntryPayload::decode("submit_application", &text).unwrap(),
            v3
        );

        let v1_text = v1.encode().unwrap();
        let falsely_marked = format!("{{\"v\":3,{}", &v1_text[1..]);
        assert!(matches!(
            EntryPayload::decode("submit_application", &falsely_marked),
            Err(PayloadError::Malformed { .. })
        ));
        // A stored finger image that is not a PNG is an error of the entry.
        let tampered = text.replacen(r#""image":"iVBOR"#, r#""image":"AAAA"#, 1);
        assert_ne!(tampered, text);
        assert!(matches!(
            EntryPayload::decode("submit_application", &tampered),
            Err(PayloadError::Malformed { .. })
        ));
    }

    #[test]
    fn markers_that_were_never_written_are_errors() {
        let marked_v1 = r#"{"v":1,"document_number":"DA0000002","collected_by":{"kind":"holder"},"identity_check":"x","chip_check":"passed","previous_passport":null,"provisional":false}"#;
        assert!(matches!(
            EntryPayload::decode("record_handover", marked_v1),
            Err(PayloadError::Malformed { .. })
        ));
        let v2_invalidation = r#"{"v":2,"document_number":"DA0000002","reason":"lost"}"#;
        assert!(matches!(
            EntryPayload::decode("invalidate_document", v2_invalidation),
            Err(PayloadError::Malformed { .. })
        ));
        let v4 = r#"{"v":4,"document_number":"DA0000002"}"#;
        assert_eq!(
            EntryPayload::decode("record_handover", v4),
            Err(PayloadError::NewerVersion { found: 4 })
        );
        let v3_handover = r#"{"v":3,"document_number":"DA0000002"}"#;
        assert!(matches!(
            EntryPayload::decode("record_handover", v3_handover),
            Err(PayloadError::Malformed { .. })
        ));
        // This release never writes a ruling without the marker; read, it
        // means the same either way, so it is not refused.
        let unmarked_ruling = r#"{"document_number":"DA0000002","collected_by":{"kind":"legal_guardian","pesel":"90010112349","surname":"W","given_names":"A","court_ruling":"I Ns 1/24"},"identity_check":"x","chip_check":"passed","previous_passport":null,"provisional":false}"#;
        assert!(EntryPayload::decode("record_handover", unmarked_ruling).is_ok());
    }
}
