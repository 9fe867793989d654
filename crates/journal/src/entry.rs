//! Journal entries: what is stored for each clerk action and how it is chained.

use crate::payload::{EntryPayload, PayloadError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash the first entry chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a journal entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    SubmitApplication,
    RecordHandover,
    InvalidateDocument,
    /// A supervisor's decision on a refused entry (kept here, not sent).
    SupervisorDecision,
    /// A supervisor lifting the offline intake caps (kept here, not sent).
    IntakeOverride,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        Self::SubmitApplication,
        Self::RecordHandover,
        Self::InvalidateDocument,
        Self::SupervisorDecision,
        Self::IntakeOverride,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SubmitApplication => "submit_application",
            Self::RecordHandover => "record_handover",
            Self::InvalidateDocument => "invalidate_document",
            Self::SupervisorDecision => "supervisor_decision",
            Self::IntakeOverride => "intake_override",
        }
    }

    /// Whether entries of this kind go to the register.
    pub fn is_sent(self) -> bool {
        match self {
            Self::SubmitApplication | Self::RecordHandover | Self::InvalidateDocument => true,
            Self::SupervisorDecision | Self::IntakeOverride => false,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an entry stands with the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// Saved here, not yet sent (or to be sent again).
    Pending,
    /// Sent; the answer has not been recorded yet.
    InFlight,
    Acknowledged,
    /// The register refused it for good (409/422); `register_reason` says why.
    Rejected,
    /// The register's records disagree with this counter's; a supervisor decides.
    Conflict,
    /// Its stored payload cannot be read by this release (damaged, or
    /// written by a newer one): never sent with guessed values;
    /// `last_error` says why and a supervisor sees it.
    Unsendable,
    /// Recorded at this counter only (a supervisor's decision or override):
    /// chained like every entry, never sent.
    Local,
}

impl SyncState {
    pub const ALL: [SyncState; 7] = [
        Self::Pending,
        Self::InFlight,
        Self::Acknowledged,
        Self::Rejected,
        Self::Conflict,
        Self::Unsendable,
        Self::Local,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::InFlight => "in_flight",
            Self::Acknowledged => "acknowledged",
            Self::Rejected => "rejected",
            Self::Conflict => "conflict",
            Self::Unsendable => "unsendable",
            Self::Local => "local",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One journal entry as stored. Its kind and payload are read with
/// [`JournalEntry::payload`]; they stay text here so that an entry this
/// release cannot read is still listed, exported and reported. Its
/// `Debug` leaves the payload out (it holds personal data).
#[derive(Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub seq: i64,
    /// UUIDv7; the idempotency key of the register write.
    pub id: String,
    /// The kind as stored (see [`EntryKind`]).
    pub kind: String,
    /// The application or document number the entry concerns.
    pub record_key: String,
    /// The entry that must reach the register first.
    pub depends_on: Option<String>,
    /// The payload as stored: the exact text the hash covers.
    pub payload_text: String,
    pub clerk_id: String,
    /// RFC 3339, UTC, from this workstation's clock.
    pub device_time: String,
    pub entry_hash: String,
    pub sync_state: SyncState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub register_reason: Option<String>,
    pub state_changed_at: String,
}

/// A journal row as stored: the payload still text.
pub(crate) struct EntryRow {
    pub seq: i64,
    pub id: String,
    pub kind: String,
    pub record_key: String,
    pub depends_on: Option<String>,
    pub payload: String,
    pub clerk_id: String,
    pub device_time: String,
    pub entry_hash: String,
    pub sync_state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub register_reason: Option<String>,
    pub state_changed_at: String,
}

/// `Debug` of an entry: everything but its payload, which holds the
/// personal data (names, PESEL, address, photo reference); see
/// `passport_domain::redact`.
struct Shown<'a> {
    name: &'static str,
    seq: i64,
    id: &'a str,
    kind: &'a str,
    record_key: &'a str,
    clerk_id: &'a str,
    device_time: &'a str,
}

impl Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(self.name)
            .field("seq", &self.seq)
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("record_key", &self.record_key)
            .field("clerk_id", &self.clerk_id)
            .field("device_time", &self.device_time)
            .field(
                "payload",
                &format_args!("{}", passport_domain::redact::REDACTED),
            )
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for JournalEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Shown {
            name: "JournalEntry",
            seq: self.seq,
            id: &self.id,
            kind: &self.kind,
            record_key: &self.record_key,
            clerk_id: &self.clerk_id,
            device_time: &self.device_time,
        }
        .fmt(f)
    }
}

impl std::fmt::Debug for EntryRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Shown {
            name: "EntryRow",
            seq: self.seq,
            id: &self.id,
            kind: &self.kind,
            record_key: &self.record_key,
            clerk_id: &self.clerk_id,
            device_time: &self.device_time,
        }
        .fmt(f)
    }
}

impl std::fmt::Debug for ExportedEntry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Shown {
            name: "ExportedEntry",
            seq: self.seq,
            id: self.id,
            kind: self.kind,
            record_key: self.record_key,
            clerk_id: self.clerk_id,
            device_time: self.device_time,
        }
        .fmt(f)
    }
}

impl JournalEntry {
    /// The entry's payload as its type; an error names what is wrong.
    pub fn payload(&self) -> Result<EntryPayload, PayloadError> {
        EntryPayload::decode(&self.kind, &self.payload_text)
    }

    /// The entry's kind, when this release knows it.
    pub fn entry_kind(&self) -> Option<EntryKind> {
        EntryKind::parse(&self.kind)
    }
}

/// An entry as `journal export` writes it: one JSON object a line, the
/// payload as the stored JSON itself.
#[derive(Serialize)]
pub struct ExportedEntry<'a> {
    pub seq: i64,
    pub id: &'a str,
    pub kind: &'a str,
    pub record_key: &'a str,
    pub depends_on: Option<&'a str>,
    pub payload: &'a serde_json::value::RawValue,
    pub clerk_id: &'a str,
    pub device_time: &'a str,
    pub entry_hash: &'a str,
    pub sync_state: SyncState,
    pub attempts: i64,
    pub last_error: Option<&'a str>,
    pub register_reason: Option<&'a str>,
    pub state_changed_at: &'a str,
}

impl JournalEntry {
    /// The export form; fails only when the stored payload is not JSON at
    /// all (then the export stops and says which entry).
    pub fn exported(&self) -> Result<ExportedEntry<'_>, serde_json::Error> {
        Ok(ExportedEntry {
            seq: self.seq,
            id: &self.id,
            kind: &self.kind,
            record_key: &self.record_key,
            depends_on: self.depends_on.as_deref(),
            payload: serde_json::from_str(&self.payload_text)?,
            clerk_id: &self.clerk_id,
            device_time: &self.device_time,
            entry_hash: &self.entry_hash,
            sync_state: self.sync_state,
            attempts: self.attempts,
            last_error: self.last_error.as_deref(),
            register_reason: self.register_reason.as_deref(),
            state_changed_at: &self.state_changed_at,
        })
    }
}

impl TryFrom<EntryRow> for JournalEntry {
    type Error = crate::JournalError;

    fn try_from(r: EntryRow) -> Result<Self, Self::Error> {
        // The table's CHECK constraint admits only known states: anything
        // else is a database changed behind the journal's back.
        let sync_state = SyncState::parse(&r.sync_state).ok_or_else(|| {
            crate::JournalError::Corrupt(format!(
                "entry {} has an unknown sync state {:?}",
                r.seq, r.sync_state
            ))
        })?;
        Ok(JournalEntry {
            payload_text: r.payload,
            sync_state,
            seq: r.seq,
            id: r.id,
            kind: r.kind,
            record_key: r.record_key,
            depends_on: r.depends_on,
            clerk_id: r.clerk_id,
            device_time: r.device_time,
            entry_hash: r.entry_hash,
            attempts: r.attempts,
            last_error: r.last_error,
            register_reason: r.register_reason,
            state_changed_at: r.state_changed_at,
        })
    }
}

/// The fields an entry's hash covers: everything but its sync bookkeeping.
#[derive(Debug, Clone, Copy)]
pub struct HashedFields<'a> {
    pub prev_hash: &'a str,
    pub seq: i64,
    pub id: &'a str,
    pub kind: &'a str,
    pub record_key: &'a str,
    pub depends_on: Option<&'a str>,
    pub payload: &'a str,
    pub clerk_id: &'a str,
    pub device_time: &'a str,
}

impl HashedFields<'_> {
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.prev_hash,
            &self.seq.to_string(),
            self.id,
            self.kind,
            self.record_key,
            self.depends_on.unwrap_or(""),
            self.payload,
            self.clerk_id,
            self.device_time,
        ] {
            // Length-prefixed, so no two different entries hash the same input.
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        hex(&h.finalize())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}
