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
//! same; `tests/integrity.rs` holds literal 0.1 payloads). A future
//! change of shape bumps [`PAYLOAD_VERSION`] and adds an explicit conversion
//! from the older struct, so old journals keep syncing exactly what was
//! entered.

use crate::entry::EntryKind;
use passport_domain::ValidApplication;
use passport_domain::lifecycle::InvalidationReason;
use passport_domain::pesel::Pesel;
use serde::{Deserialize, Serialize};

/// The payload version this release writes.
pub const PAYLOAD_VERSION: u32 = 1;

/// A saved application: its number, the validated application and the photo
/// it refers to (stored once, by hash, in the `photos` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitPayload {
    pub number: String,
    pub application: ValidApplication,
    pub photo: PhotoRef,
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
/// written it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    },
}

/// What the counter verified of the chip before the hand-over. A failed
/// check never reaches a hand-over (it is refused), so there are two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// A hand-over of a ready document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// An invalidation of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidatePayload {
    pub document_number: String,
    pub reason: InvalidationReason,
}

/// What a supervisor decided about an entry the register refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
            Self::SubmitApplication(p) => serde_json::to_string(p),
            Self::RecordHandover(p) => serde_json::to_string(p),
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
        match version.v {
            None => {}
            Some(found) if found > PAYLOAD_VERSION => {
                return Err(PayloadError::NewerVersion { found });
            }
            Some(found) => {
                return Err(PayloadError::Malformed {
                    kind: kind.as_str(),
                    reason: format!("version {found} is written without a marker"),
                });
            }
        }
        Ok(match kind {
            EntryKind::SubmitApplication => {
                Self::SubmitApplication(serde_json::from_str(text).map_err(malformed)?)
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
