//! What the status bar shows, and the background worker that keeps the
//! queue moving and the status honest.

use crate::policy::IntakeAllowance;
use crate::session::SessionView;
use crate::{Counter, DemoInfo, lock};
use chrono::{DateTime, Utc};
use passport_journal::QueueStats;
use passport_register_client::ConnectionState;
use passport_sync::{DrainEnd, SyncOptions};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// No answer yet since the start, or an attempt to reach the register
    /// again is under way (after the circuit's wait, or the demo's
    /// "restore"): the clerk sees "connecting…" until the first successful
    /// exchange, or "offline" again if the attempt fails.
    #[default]
    Connecting,
    Online,
    /// Answering, with recent failures.
    Degraded,
    Offline,
}

impl From<ConnectionState> for Connection {
    fn from(s: ConnectionState) -> Self {
        match s {
            ConnectionState::Unknown => Connection::Connecting,
            ConnectionState::Online => Connection::Online,
            ConnectionState::Degraded => Connection::Degraded,
            // A probe deciding whether the register is back is still offline
            // for the clerk.
            ConnectionState::Offline | ConnectionState::Probing => Connection::Offline,
        }
    }
}

/// What is wrong with the channel to the register (see
/// `passport_register_client::tls`): shown in the status bar beside the
/// connection; the journal keeps queuing meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChannelState {
    /// This workstation has no certificate yet: a supervisor enrols it.
    NotEnrolled,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateRevoked,
    /// The register does not accept this workstation's certificate.
    CertificateRefused,
    /// The register's certificate is not from the pinned CA.
    RegisterUntrusted,
}

impl ChannelState {
    pub const ALL: [ChannelState; 6] = [
        Self::NotEnrolled,
        Self::CertificateExpired,
        Self::CertificateNotYetValid,
        Self::CertificateRevoked,
        Self::CertificateRefused,
        Self::RegisterUntrusted,
    ];
}

impl From<passport_register_client::ChannelProblem> for ChannelState {
    fn from(p: passport_register_client::ChannelProblem) -> Self {
        use passport_register_client::ChannelProblem as P;
        match p {
            P::NotEnrolled => Self::NotEnrolled,
            P::CertificateExpired => Self::CertificateExpired,
            P::CertificateNotYetValid => Self::CertificateNotYetValid,
            P::CertificateRevoked => Self::CertificateRevoked,
            P::CertificateRefused => Self::CertificateRefused,
            P::RegisterUntrusted => Self::RegisterUntrusted,
        }
    }
}

/// Everything the always-visible status bar needs; pushed to the UI as an
/// event on every change. Times are absolute (RFC 3339) so the UI can tick
/// "2 min ago" and the countdown each second without asking again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct StatusSnapshot {
    pub connection: Connection,
    /// What is wrong with the channel to the register, when something is
    /// (a certificate expired, revoked, …): the connection is then offline
    /// and this says why.
    pub channel: Option<ChannelState>,
    /// The register's last answer of any kind (a 503 included).
    pub last_contact: Option<String>,
    /// The last exchange that showed a working register: the age the
    /// status bar shows, online or offline ("last successful contact").
    pub last_success: Option<String>,
    /// Since when the register has been unreachable, when it is.
    pub offline_since: Option<String>,
    pub queue: QueueStats,
    pub intake: Option<IntakeAllowance>,
    /// When the ready list was last brought from the register.
    pub ready_list_synced_at: Option<String>,
    pub session: Option<SessionView>,
    pub office: String,
    pub workstation: String,
    pub demo: Option<DemoInfo>,
    /// Refusals no supervisor has decided on yet, newest first: each stays
    /// until someone acts (`notices.rs`).
    pub notices: Vec<crate::Notice>,
    /// The register refused this workstation's history as a fork: nothing
    /// is sent until it accepts the chain heads again (`notices.rs`).
    pub chain_fork: Option<crate::notices::ChainForkNotice>,
}

/// What the worker remembers between rounds.
#[derive(Debug, Default)]
pub(crate) struct WorkerState {
    pub offline_since: Option<DateTime<Utc>>,
    /// An attempt to reach the register again began when the client had
    /// counted this many consecutive failures: "connecting" until it
    /// succeeds, or until a real attempt fails (the count goes up).
    pub reconnecting: Option<u32>,
    last_ready_pull: Option<Instant>,
    last_probe: Option<Instant>,
}

/// How often the ready list is refreshed while the register answers.
const READY_EVERY: Duration = Duration::from_secs(60);
/// How soon to try again while entries wait.
const BUSY_EVERY: Duration = Duration::from_secs(2);

impl Counter {
    /// The latest status, and a notification on each change.
    pub fn watch_status(&self) -> tokio::sync::watch::Receiver<StatusSnapshot> {
        self.inner.status.subscribe()
    }

    pub async fn status(&self) -> StatusSnapshot {
        self.publish_status().await;
        self.inner.status.borrow().clone()
    }

    /// Recomputes the snapshot and publishes it when it changed.
    pub(crate) async fn publish_status(&self) {
        let now = Utc::now();
        let journal = &self.inner.journal;
        let queue = journal.queue_stats(now).await.unwrap_or_default();
        let client = self.inner.client.status();
        let connection = {
            let mut w = lock(&self.inner.worker_state);
            match (Connection::from(client.state), w.reconnecting) {
                (Connection::Offline, Some(failures))
                    if client.consecutive_failures <= failures =>
                {
                    Connection::Connecting
                }
                (c, _) => {
                    if c != Connection::Connecting {
                        w.reconnecting = None;
                    }
                    c
                }
            }
        };
        // The status bar only shows the override; an unreadable one is
        // refused loudly where it matters, at the next save.
        let override_until = self.override_until().await.ok().flatten();
        let intake = Some(self.inner.cfg.policy.allowance(&queue, now, override_until));
        let ready = journal
            .meta_get(passport_journal::sync::meta::READY_SYNCED_AT)
            .await
            .ok()
            .flatten();
        let (offline_since, ended) = {
            let mut w = lock(&self.inner.worker_state);
            let ended = match connection {
                Connection::Offline => {
                    w.offline_since.get_or_insert(now);
                    None
                }
                Connection::Online | Connection::Degraded => w.offline_since.take(),
                // Still the same outage until the register answers.
                Connection::Connecting => None,
            };
            (w.offline_since.map(|t| t.to_rfc3339()), ended)
        };
        if let Some(from) = ended {
            // A period that cannot be written is only missing from the day
            // report; the status is published all the same.
            let _ = self.record_offline_period(from, now).await;
        }
        let id = journal.identity();
        // A notice query that fails keeps the notices last shown rather
        // than clearing them: a refusal must not vanish from the bar.
        let notices = match self.notices().await {
            Ok(n) => n,
            Err(_) => self.inner.status.borrow().notices.clone(),
        };
        // As with notices: a failed read keeps what was shown.
        let chain_fork = match self.chain_fork_notice().await {
            Ok(f) => f,
            Err(_) => self.inner.status.borrow().chain_fork.clone(),
        };
        let snapshot = StatusSnapshot {
            connection,
            channel: client.channel.map(ChannelState::from),
            last_contact: client
                .last_contact
                .map(|t| t.to_rfc3339())
                .or_else(|| queue.last_register_contact.clone()),
            // After a restart, the journal's record of the last verdicts
            // received (written from the client's last success) until
            // this run has its own.
            last_success: client
                .last_success
                .map(|t| t.to_rfc3339())
                .or_else(|| queue.last_register_contact.clone()),
            offline_since,
            queue,
            intake,
            ready_list_synced_at: ready,
            session: self.session(),
            office: id.office_code.clone(),
            workstation: id.workstation_id.clone(),
            demo: self.demo_info(),
            notices,
            chain_fork,
        };
        self.inner.status.send_if_modified(|s| {
            if s.connection != snapshot.connection {
                tracing::info!(
                    from = ?s.connection,
                    to = ?snapshot.connection,
                    failures = client.consecutive_failures,
                    "register contact changed"
                );
            }
            if *s == snapshot {
                false
            } else {
                *s = snapshot;
                true
            }
        });
    }

    /// Runs until `shutdown` resolves: drains the queue whenever something
    /// was saved (or every few seconds while entries wait), refreshes the
    /// ready list, probes an idle register, and publishes the status.
    pub async fn run_worker(&self, shutdown: impl std::future::Future<Output = ()>) {
        // Verdicts written in the middle of a (paced) drain reach the status
        // bar and the saved screen at once, not at the end of the round.
        let follow = async {
            let mut recorded = self.inner.engine.watch_recorded();
            while recorded.changed().await.is_ok() {
                self.publish_status().await;
            }
            std::future::pending::<()>().await;
        };
        tokio::select! {
            () = self.drain_rounds(shutdown) => {}
            () = follow => {}
        }
    }

    async fn drain_rounds(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let policy = &self.inner.cfg.policy;
        let mut opts = SyncOptions {
            recovery_window: Duration::from_secs(u64::from(policy.recovery_window_secs)),
            ..SyncOptions::default()
        };
        if self.inner.demo.is_some() {
            // One counter against its own simulator: the first send after
            // "restore" need not wait the 4–12 s a counter among thousands
            // does. Slow start and the 429 back-off stay as they are.
            opts.pacer.recovery_interval = Duration::from_millis(500);
        }
        let probe_every = Duration::from_secs(u64::from(policy.health_probe_secs.max(1)));
        self.inner.journal.reset_in_flight().await.ok();
        loop {
            // While the circuit is open the register is known to be down:
            // no drain (it would only record another failed attempt) until
            // the breaker lets a probe through.
            let client = self.inner.client.status();
            let circuit_open = client.state == ConnectionState::Offline;
            let probing = client.state == ConnectionState::Probing;
            if probing {
                // The wait is over and this round tries again: say so
                // while it does.
                self.reconnect_attempt().await;
            }
            let report = if circuit_open {
                None
            } else {
                Some(self.inner.engine.drain(&opts).await)
            };
            match &report {
                // Said every round it lasts, and shown in the status bar
                // (`chain_fork`): never a quiet retry.
                Some(Ok(r)) if r.end == DrainEnd::ChainFork => tracing::warn!(
                    "sync round: the register refused this workstation's history as a fork; nothing sent"
                ),
                Some(Ok(r)) if r.acknowledged + r.rejected + r.conflicts + r.retries > 0 => {
                    tracing::info!(
                        end = ?r.end,
                        acknowledged = r.acknowledged,
                        rejected = r.rejected,
                        conflicts = r.conflicts,
                        unsendable = r.unsendable,
                        waiting = r.waiting,
                        retries = r.retries,
                        secs = r.elapsed_secs,
                        "sync round"
                    );
                }
                Some(Ok(r)) => tracing::trace!(end = ?r.end, "sync round: nothing sent"),
                // By kind only: a register's message may quote what it was sent.
                Some(Err(e)) => tracing::warn!(
                    error = match e {
                        passport_sync::SyncError::Journal(_) => "journal",
                        passport_sync::SyncError::Lock { .. } => "lock",
                        passport_sync::SyncError::Register(_) => "register",
                        passport_sync::SyncError::BuilderStopped => "builder_stopped",
                    },
                    "sync round failed"
                ),
                None => tracing::trace!("sync round skipped: the register is offline"),
            }
            // Came back from an outage: the next drain starts as a recovery.
            opts.start_offline =
                circuit_open || matches!(&report, Some(Ok(r)) if r.end == DrainEnd::Offline);
            let contacted = matches!(
                &report,
                Some(Ok(r)) if r.acknowledged + r.rejected + r.conflicts > 0
            );
            self.refresh_ready_list().await;
            if probing && !contacted {
                // The attempt announced above is made now, not at the next
                // probe interval.
                self.inner.client.health().await.ok();
            } else if !contacted {
                self.probe_if_idle(probe_every).await;
            }
            self.publish_status().await;
            // A refused history is not retried at the busy pace: the next
            // look is at the probe interval (a supervisor must act).
            let forked = matches!(&report, Some(Ok(r)) if r.end == DrainEnd::ChainFork);
            let waiting = self.inner.status.borrow().queue.depth > 0 && !forked;
            let pause = if waiting { BUSY_EVERY } else { probe_every };
            tokio::select! {
                () = &mut shutdown => break,
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    }

    async fn refresh_ready_list(&self) {
        let due = {
            let w = lock(&self.inner.worker_state);
            w.last_ready_pull.is_none_or(|t| t.elapsed() >= READY_EVERY)
        };
        let online = matches!(
            Connection::from(self.inner.client.status().state),
            Connection::Online | Connection::Degraded | Connection::Connecting
        );
        if due && online && self.inner.engine.pull_ready_list().await.is_ok() {
            lock(&self.inner.worker_state).last_ready_pull = Some(Instant::now());
        }
    }

    /// An idle counter still wants to know whether the register answers:
    /// one health call per probe interval (the breaker keeps it quiet while
    /// the register is known to be down).
    async fn probe_if_idle(&self, every: Duration) {
        let due = {
            let w = lock(&self.inner.worker_state);
            w.last_probe.is_none_or(|t| t.elapsed() >= every)
        };
        if due {
            lock(&self.inner.worker_state).last_probe = Some(Instant::now());
            self.inner.client.health().await.ok();
        }
    }

    /// An attempt to reach the register again starts now: the status says
    /// "connecting" until it succeeds or a real attempt fails.
    pub(crate) async fn reconnect_attempt(&self) {
        let failures = self.inner.client.status().consecutive_failures;
        lock(&self.inner.worker_state).reconnecting = Some(failures);
        self.publish_status().await;
    }

    /// Is the register answering now? Asked each time (a hand-over is rare
    /// and "online" a moment ago proves nothing); an open circuit answers
    /// at once without a request.
    pub(crate) async fn register_reachable(&self) -> bool {
        self.inner.client.health().await.is_ok()
    }
}
