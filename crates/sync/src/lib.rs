//! The sync engine: the journal's road to the register.
//!
//! - Drains queued entries **in journal order**, one drain at a time per
//!   workstation (a lock file beside the journal), resumable after a crash at
//!   any point: entries left "in flight" are sent again with the same
//!   idempotency key and the register replays its first answer.
//! - A final rejection marks that entry (rejected, or conflict when the
//!   register's records disagree) and the queue moves on; an entry that
//!   depends on a refused one waits and says why.
//! - A retryable failure stops the queue at that entry (order matters) and
//!   retries it after `Retry-After` or back-off with full jitter; when the
//!   circuit opens the drain ends as "offline" (or waits, `until_empty`).
//! - On recovery from an outage it starts after a random delay over a
//!   window, and then paces itself: slower after each 429, faster after each
//!   success, so thousands of counters coming back together do not stampede
//!   the register.
//! - Progress (done / total, rate, ETA) is published on a watch channel.

mod chain;
mod drain;
mod pacer;
mod ready;
mod request;

pub use chain::ChainCheck;
pub use drain::{DrainEnd, DrainReport};
pub use pacer::PacerConfig;
pub use request::{Request, Unsendable, build as build_request};

use passport_journal::Journal;
use passport_register_client::RegisterClient;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("journal: {0}")]
    Journal(#[from] passport_journal::JournalError),
    #[error("the lock file {path} cannot be used: {source}")]
    Lock {
        path: String,
        source: std::io::Error,
    },
    #[error("the register: {0}")]
    Register(#[from] passport_register_client::CallError),
    #[error("the request builder stopped before the batch was sent")]
    BuilderStopped,
}

/// How a drain behaves.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Keep waiting through outages until the queue is empty (or the deadline).
    pub until_empty: bool,
    pub deadline: Option<Instant>,
    /// On recovery from an outage, wait a random time up to this before sending.
    pub recovery_window: Duration,
    /// Entries read and marked "in flight" at a time.
    pub batch: u32,
    /// The register was unreachable when the last drain ended: begin as
    /// after an outage (probe, random delay over the recovery window, slow
    /// start), so a counter that retries drain by drain does not stampede.
    pub start_offline: bool,
    pub pacer: PacerConfig,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            until_empty: false,
            deadline: None,
            recovery_window: Duration::from_secs(10),
            batch: 100,
            start_offline: false,
            pacer: PacerConfig::default(),
        }
    }
}

/// What the progress bar shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    /// `idle`, `starting`, `sending`, `waiting`, `offline`, `done`.
    pub phase: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// Entries a second over the drain so far.
    pub rate_per_sec: f64,
    pub eta_secs: Option<f64>,
    pub last_error: Option<String>,
}

/// One workstation's sync engine.
#[derive(Debug, Clone)]
pub struct SyncEngine {
    journal: Journal,
    client: Arc<RegisterClient>,
    progress: Arc<watch::Sender<Progress>>,
    /// Counts the times verdicts were written to the journal.
    recorded: Arc<watch::Sender<u64>>,
}

impl SyncEngine {
    pub fn new(journal: Journal, client: Arc<RegisterClient>) -> Self {
        let (tx, _) = watch::channel(Progress {
            phase: "idle".into(),
            ..Progress::default()
        });
        Self {
            journal,
            client,
            progress: Arc::new(tx),
            recorded: Arc::new(watch::channel(0).0),
        }
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn client(&self) -> &RegisterClient {
        &self.client
    }

    /// Progress events: the latest state, and a notification on each change.
    pub fn subscribe(&self) -> watch::Receiver<Progress> {
        self.progress.subscribe()
    }

    /// Changes each time register verdicts are written to the journal (a
    /// queue or a notice has changed): the status follows it at once.
    pub fn watch_recorded(&self) -> watch::Receiver<u64> {
        self.recorded.subscribe()
    }

    fn publish(&self, p: Progress) {
        self.progress.send_replace(p);
    }
}
