//! What the passport counter does, as services: the desktop app's commands
//! and `counterctl` call these, and tests drive them without a window.
//!
//! [`Counter`] owns the journal, the register client, the sync engine and
//! the clerk's session. Every action commits to the journal first and then
//! wakes the background [`worker`](Counter::run_worker), which drains the
//! queue to the register: the same path online and offline.

pub mod bindings;
pub mod biometrics;
mod chip;
pub mod config;
pub mod confirmations;
mod demo;
mod drafts;
pub mod enrolment;
pub mod error;
pub mod files;
mod handover;
mod intake;
pub mod keys;
pub mod limits;
pub mod logs;
mod notices;
pub mod policy;
pub mod print;
mod records;
pub mod retention;
pub mod scanner;
pub mod session;
pub mod signature;
mod status;
mod supervisor;
pub mod throttle;
pub mod words;

pub use chip::ChipCheckView;
pub use demo::DemoInfo;
pub use drafts::{ApplicationDraftSave, DraftPhotoChange, DraftPhotoView, DraftSave, DraftView};
pub use error::{CoreError, IpcError};
pub use handover::{
    Collector, DocumentView, GuardianChoice, GuardianKind, HandoverOutcome, HandoverRequest,
    HandoverSaved, HandoverVerdict, InvalidationSaved, RegisterCheck,
};
pub use intake::{
    DraftCheck, FeeView, Submitted, biometrics_within_limits, captures_acceptable, intake_allowed,
};
pub use notices::{ChainForkNotice, Notice, NoticeSubject, Refusal};
pub use print::{DocumentRef, Printout};
pub use records::{ApplicationView, OutboxItem, OutboxView};
pub use session::{Role, SessionView};
pub use status::{ChannelState, Connection, StatusSnapshot};
pub use supervisor::{DaySummary, Decision, DecisionInput, OfflinePeriod};

use config::Resolved;
use passport_journal::{Journal, JournalOptions};
use passport_register_client::RegisterClient;
use passport_sync::SyncEngine;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{Notify, watch};

/// The counter's services. Cheap to clone: clones share everything.
#[derive(Debug, Clone)]
pub struct Counter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    cfg: Resolved,
    journal: Journal,
    /// The register's address as logged (see `logs::loggable_url`).
    client_url_for_log: String,
    client: Arc<RegisterClient>,
    engine: SyncEngine,
    session: Mutex<Option<session::Session>>,
    status: watch::Sender<StatusSnapshot>,
    wake: Notify,
    demo: Option<demo::Demo>,
    worker_state: Mutex<status::WorkerState>,
    /// When each document's chip check last passed (failures are kept in
    /// the journal): what the hand-over records.
    chip_checks: Mutex<std::collections::HashMap<String, std::time::Instant>>,
    /// How cards are reached (PC/SC unless a test plugs in another).
    cards: Mutex<Arc<dyn passport_cards::reader::CardPort>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Counter {
    /// Opens the journal for the configured workstation. With nothing
    /// configured (the demo office and no register), starts the register
    /// simulator on 127.0.0.1 with demo data and uses it.
    pub async fn start(mut cfg: Resolved) -> Result<Self, CoreError> {
        let identity = cfg.identity()?;
        let key = keys::journal_key(&cfg)?;
        let options = JournalOptions {
            key: Some(key),
            ..JournalOptions::default()
        };
        let journal = Journal::open(&cfg.journal_path(), identity, options).await?;
        // Printouts are not kept (see `print`): an earlier release's copies
        // are shredded. Not fatal: the data directory is 0700 by now.
        for (path, e) in print::shred_kept_printouts(&cfg.data_dir) {
            tracing::warn!(file = %path.display(), error = %e, "a kept printout could not be shredded");
        }
        let (register_url, demo) = match cfg.register.value.clone() {
            Some(url) => (url, None),
            None if cfg.demo => {
                // One counter against its own simulator: no herd to spread,
                // and "restore" should show recovery within seconds.
                cfg.policy.recovery_window_secs = cfg.policy.recovery_window_secs.min(2);
                let d = demo::Demo::start(&cfg).await?;
                (d.url(), Some(d))
            }
            None => return Err(config::ConfigError::Missing("register").into()),
        };
        let client_url_for_log = logs::loggable_url(&register_url);
        let client = RegisterClient::new(cfg.client_config(register_url))
            .map_err(|e| CoreError::Internal(format!("register client: {e}")))?;
        let client = Arc::new(client);
        let engine = SyncEngine::new(journal.clone(), client.clone());
        let (status, _) = watch::channel(StatusSnapshot::default());
        let counter = Self {
            inner: Arc::new(Inner {
                cfg,
                journal,
                client_url_for_log,
                client,
                engine,
                session: Mutex::new(None),
                status,
                wake: Notify::new(),
                demo,
                worker_state: Mutex::new(status::WorkerState::default()),
                chip_checks: Mutex::new(std::collections::HashMap::new()),
                cards: Mutex::new(Arc::new(passport_cards::reader::Pcsc)),
            }),
        };
        counter.log_started();
        counter.publish_status().await;
        Ok(counter)
    }

    /// Replaces PC/SC (tests drive virtual cards in-process through this
    /// port).
    pub fn set_cards(&self, cards: Arc<dyn passport_cards::reader::CardPort>) {
        *lock(&self.inner.cards) = cards;
    }

    pub(crate) fn cards(&self) -> Arc<dyn passport_cards::reader::CardPort> {
        lock(&self.inner.cards).clone()
    }

    pub fn config(&self) -> &Resolved {
        &self.inner.cfg
    }

    pub fn journal(&self) -> &Journal {
        &self.inner.journal
    }

    pub fn engine(&self) -> &SyncEngine {
        &self.inner.engine
    }

    fn session_slot(&self) -> MutexGuard<'_, Option<session::Session>> {
        lock(&self.inner.session)
    }

    /// Wakes the sync worker: something was saved, or a person asked.
    pub fn sync_now(&self) {
        self.inner.wake.notify_one();
    }

    /// What office IT needs to know about this run (no secrets: the
    /// register's address without any credentials in it).
    fn log_started(&self) {
        let c = &self.inner.cfg;
        let id = self.inner.journal.identity();
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            office = %id.office_code,
            workstation = %id.workstation_id,
            demo = c.demo,
            register = %self.inner.client_url_for_log,
            data_dir = %c.data_dir.display(),
            journal = %c.journal_path().display(),
            printer = c.printer.value.as_deref().unwrap_or("(system default)"),
            csca_dir = c.csca_dir.value.as_deref().unwrap_or(""),
            log_level = ?c.logs.level,
            policy = ?c.policy,
            "counter started"
        );
    }

    /// Stops the embedded simulator (demo mode) and closes the journal.
    pub async fn shutdown(&self) {
        tracing::info!("counter stopping");
        if let Some(d) = &self.inner.demo {
            d.stop().await;
        }
        self.inner.journal.checkpoint().await.ok();
        // Closed before the process exits, not left to sqlx's worker
        // threads: with SQLCipher a connection closing while OpenSSL's
        // exit handler runs crashes the process (sqlx issue #2249; see
        // counterctl's `commands::OPENED`). Nothing is used after this.
        self.inner.journal.clone().close().await;
    }
}
