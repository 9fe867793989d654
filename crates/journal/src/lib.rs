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
mod db;
pub mod entry;
mod head;
pub mod payload;
mod queries;
pub mod side;
pub mod sync;
mod verify;

pub use actions::{ReadyDocument, SubmittedApplication, check_clerk_id};
pub use db::{Identity, Journal, JournalOptions};
pub use entry::{EntryKind, ExportedEntry, JournalEntry, SyncState};
pub use payload::{
    ChipCheck, Collector, DecisionOutcome, DecisionPayload, EntryPayload, HandoverPayload,
    InvalidatePayload, OverridePayload, PayloadError, PhotoRef, SubmitPayload,
};
pub use side::{CachedAccount, CardBinding, DecisionRecord, OfflineSpan, Role};
pub use queries::{
    ApplicationDetail, ApplicationSummary, HandoverRecord, KindStateCount, LocalDocument,
    QueueStats, Search,
};
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
        "the journal database {path} failed SQLite's integrity check ({found}); \
         nothing can be saved until office IT restores it"
    )]
    Damaged { path: String, found: String },
    #[error(transparent)]
    Payload(#[from] PayloadError),
    #[error("could not create the data directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = JournalError> = std::result::Result<T, E>;
