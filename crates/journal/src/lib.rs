//! The counter's local journal, in SQLite.
//!
//! Every clerk action is one transaction that appends a [`JournalEntry`] and
//! updates the local tables the screens read; nothing is reported saved
//! before that transaction commits (WAL, `synchronous=FULL`, so a committed
//! action survives kill -9 and power loss). The entry's UUIDv7 `id` is the
//! idempotency key later sent to the register; `seq` is the workstation's own
//! sequence number; `entry_hash` chains each entry to the one before it so
//! [`Journal::verify`] can tell when the journal was altered.

mod actions;
pub mod audit;
pub mod cipher;
pub mod confirmations;
pub mod credentials;
mod db;
pub mod drafts;
pub mod entry;
pub mod fork;
mod head;
pub mod key;
pub mod login_failures;
pub mod notices;
pub mod payload;
pub mod private;
pub mod purge;
mod queries;
pub mod side;
pub mod sync;
mod verify;

pub use actions::{ReadyDocument, SubmittedApplication, check_clerk_id};
pub use audit::{AuditKind, AuditRecord, ChainPoint, ChainPosition, LogInMethod};
pub use cipher::MigrationStep;
pub use confirmations::Confirmed;
pub use credentials::{
    CredentialFault, CredentialKind, CredentialRefusal, MAX_OFFLINE_DAYS, OfflineCredential,
};
pub use db::{Identity, Journal, JournalOptions};
pub use drafts::{
    ApplicationFormDraft, DraftError, DraftKind, DraftPhoto, HandoverFormDraft, PhotoChange,
    StoredDraft,
};
pub use entry::{EntryKind, ExportedEntry, JournalEntry, SyncState};
pub use fork::ChainFork;
pub use key::{JournalKey, KeyError, KeyFile, RecoveryCode};
pub use login_failures::{LoginFailure, LoginFailureReason};
pub use notices::{EntryAnswer, OpenRefusal};
pub use payload::{
    ChipCheck, Collector, DecisionOutcome, DecisionPayload, EntryPayload, HandoverPayload,
    InvalidatePayload, OverridePayload, PayloadError, PhotoRef, SubmitPayload,
};
pub use purge::{PurgeReport, PurgeSummary, PurgedKind};
pub use queries::{
    ApplicationDetail, ApplicationSummary, HandoverRecord, KindStateCount, LocalDocument,
    QueueStats, Search,
};
pub use side::{CachedAccount, CardBinding, DecisionRecord, OfflineSpan, Role};
pub use sync::{SyncOutcome, SyncResult};
pub use verify::VerifyReport;

use passport_domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "this data directory belongs to office {found_office}, workstation {found_workstation}; \
         it cannot be used as office {office}, workstation {workstation}"
    )]
    IdentityMismatch {
        office: String,
        workstation: String,
        found_office: String,
        found_workstation: String,
    },
    #[error("the action was refused: {0}")]
    Invalid(ValidationErrors),
    #[error("{0} was not found")]
    NotFound(String),
    #[error("stored data could not be read: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the journal database is damaged: {0}")]
    Corrupt(String),
    #[error(
        "the journal {path} was written by an older release and must be brought up to date first"
    )]
    SchemaBehind { path: String },
    #[error(
        "the journal database {path} failed SQLite's integrity check ({found}); \
         nothing can be saved until office IT restores it"
    )]
    Damaged { path: String, found: String },
    #[error(transparent)]
    Payload(#[from] PayloadError),
    #[error(transparent)]
    Draft(drafts::DraftError),
    #[error("NOT SAVED: {why} ({path}); the action was not recorded, nothing was sent")]
    NotSaved { path: String, why: NotSavedWhy },
    #[error(transparent)]
    Key(#[from] key::KeyError),
    /// An offline credential or card binding that does not match its MAC
    /// (`credentials`): it logs nobody in.
    #[error(transparent)]
    CredentialRefused(credentials::CredentialRefusal),
    #[error(
        "Klucz nie otwiera dziennika {path}: to nie jest klucz tego dziennika (albo plik jest \
         uszkodzony). Nic nie zostało zmienione. Przywróć klucz kodem odzyskiwania kierownika: \
         counterctl key recover --code … / \
         The key does not open the journal {path}: it is not this journal's key (or the file \
         is damaged). Nothing was changed. Restore the key with the supervisor's recovery \
         code: counterctl key recover --code …"
    )]
    KeyRejected { path: String },
    #[error(
        "Dziennik {path} jest zaszyfrowany, a nie podano klucza / \
         The journal {path} is encrypted and no key was given"
    )]
    KeyNeeded { path: String },
    /// Tests only: a migration stopped where `JournalOptions::stop_migration_after` said.
    #[error("the encryption of the journal was stopped after step {0:?} (a test)")]
    MigrationStopped(cipher::MigrationStep),
    #[error("could not create the data directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Why an action could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotSavedWhy {
    #[error("the disk is full")]
    DiskFull,
    #[error("the database file or its folder is read-only")]
    ReadOnly,
    #[error("the disk could not be written")]
    Io,
}

impl NotSavedWhy {
    /// What SQLite said, in the clerk's words, when it says why a write failed.
    fn of(e: &sqlx::Error) -> Option<Self> {
        let code = e.as_database_error()?.code()?;
        // SQLite's primary result codes (the low byte of an extended one).
        match code.parse::<i32>().ok()? & 0xff {
            13 => Some(Self::DiskFull),
            8 => Some(Self::ReadOnly),
            10 => Some(Self::Io),
            _ => None,
        }
    }
}

impl Journal {
    /// A failed write, said plainly: a full disk, a read-only file or a
    /// failing disk means the action was NOT saved, and which file.
    pub(crate) fn not_saved(&self, e: JournalError) -> JournalError {
        match &e {
            JournalError::Db(db) => match NotSavedWhy::of(db) {
                Some(why) => JournalError::NotSaved {
                    path: self.path().display().to_string(),
                    why,
                },
                None => e,
            },
            _ => e,
        }
    }
}

pub type Result<T, E = JournalError> = std::result::Result<T, E>;
