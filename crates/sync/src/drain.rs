//! One drain of the queue. See the crate docs for the rules it keeps.

use crate::pacer::Pacer;
use crate::request::{self, Request, Unsendable};
use crate::{Progress, SyncEngine, SyncError, SyncOptions};
use passport_journal::{JournalEntry, SyncOutcome, SyncResult};
use passport_register_client::{CallError, ConnectionState, FailureKind};
use passport_register_contract::ProblemCode;
use rand::Rng;
use serde::Serialize;
use std::collections::HashMap;
use std::fs::TryLockError;
use std::time::{Duration, Instant};

/// Why a drain ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrainEnd {
    /// Nothing left that can be sent (entries waiting on refused ones stay).
    Empty,
    /// The register is unreachable (the circuit opened).
    Offline,
    TimedOut,
    /// Another drain of this workstation is running.
    AlreadyRunning,
    /// The register refused this workstation's chain heads as a fork (its
    /// history was rewritten): nothing was sent (`fork` says the register's
    /// words). Not retried: a supervisor and office IT must look.
    ChainFork,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrainReport {
    pub end: DrainEnd,
    pub acknowledged: u64,
    pub rejected: u64,
    pub conflicts: u64,
    /// Entries whose stored payload cannot be read: never sent.
    pub unsendable: u64,
    /// Held back because an entry they depend on was refused.
    pub waiting: u64,
    /// Sends that failed and were tried again.
    pub retries: u64,
    pub elapsed_secs: f64,
    /// The register's words when it refused the chain heads as a fork.
    pub fork: Option<String>,
}

impl DrainReport {
    fn new(end: DrainEnd) -> Self {
        Self {
            end,
            acknowledged: 0,
            rejected: 0,
            conflicts: 0,
            unsendable: 0,
            waiting: 0,
            retries: 0,
            elapsed_secs: 0.0,
            fork: None,
        }
    }
}

/// Codes that mean "the register's records disagree with ours": a
/// supervisor must look. Other refusals are the request's own fault, and a
/// code this release does not know (`None`) is one of those: the entry is
/// rejected with the register's text, never guessed to be a conflict.
fn is_conflict(code: Option<ProblemCode>) -> bool {
    matches!(
        code,
        Some(
            ProblemCode::DocumentAlreadyIssued
                | ProblemCode::DocumentInvalidated
                | ProblemCode::ApplicationNumberTaken
                | ProblemCode::NotReadyHere
        )
    )
}

/// Sleeps `d`, or until `deadline`; false when the deadline came first.
async fn sleep_within(d: Duration, deadline: Option<Instant>) -> bool {
    // A wait too long to add to now is past any deadline.
    match deadline {
        Some(dl) if Instant::now().checked_add(d).is_none_or(|end| end >= dl) => {
            tokio::time::sleep_until(dl.into()).await;
            false
        }
        _ => {
            tokio::time::sleep(d).await;
            true
        }
    }
}

struct Run<'a> {
    engine: &'a SyncEngine,
    opts: &'a SyncOptions,
    report: DrainReport,
    pacer: Pacer,
    attempt: u32,
    offline: bool,
    start: Instant,
    total: u64,
    done: u64,
}

impl Run<'_> {
    fn progress(&self, phase: &str, last_error: Option<String>) {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = self.done as f64 / secs;
        let left = self.total.saturating_sub(self.done);
        let eta = (rate > 0.0).then(|| left as f64 / rate);
        self.engine.publish(Progress {
            phase: phase.into(),
            done: self.done,
            total: self.total,
            rate_per_sec: rate,
            eta_secs: eta,
            last_error,
        });
    }

    async fn flush(&self, results: &mut Vec<SyncResult>) -> Result<(), SyncError> {
        // The verdicts being recorded came from a working register: what is
        // kept as "last contact" is its last successful exchange, not a 503.
        let contact = self
            .engine
            .client
            .status()
            .last_success
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        self.engine
            .journal
            .record_results(results, contact.as_deref())
            .await?;
        if !results.is_empty() {
            self.engine.recorded.send_modify(|n| *n = n.wrapping_add(1));
        }
        results.clear();
        Ok(())
    }

    /// After an outage: wait for a health probe to pass, then a random
    /// delay over the recovery window, then start slow. `false`: give up
    /// (offline without `until_empty`, or the deadline).
    async fn recover(&mut self) -> Result<bool, SyncError> {
        loop {
            match self.engine.client.health().await {
                // A 429 is an answer too: the register is back, and busy.
                Ok(_)
                | Err(CallError::Retryable {
                    kind: FailureKind::Overloaded,
                    ..
                }) => break,
                Err(e) => {
                    if matches!(e, CallError::CircuitOpen { .. }) && !self.opts.until_empty {
                        return Ok(false);
                    }
                    let d = self.engine.client.retry_delay(self.attempt, &e);
                    self.attempt = self.attempt.saturating_add(1);
                    self.progress("offline", Some(e.to_string()));
                    if !sleep_within(d, self.opts.deadline).await {
                        return Ok(false);
                    }
                }
            }
        }
        if !self.opts.recovery_window.is_zero() {
            let d = self
                .opts
                .recovery_window
                .mul_f64(rand::rng().random::<f64>());
            self.progress("starting", None);
            if !sleep_within(d, self.opts.deadline).await {
                return Ok(false);
            }
        }
        self.pacer.recovered();
        self.offline = false;
        self.attempt = 0;
        Ok(true)
    }

    /// Sends one entry until the register decides, or the drain must stop.
    async fn deliver(
        &mut self,
        e: &JournalEntry,
        built: Result<Request, Unsendable>,
        rest: &[String],
        results: &mut Vec<SyncResult>,
    ) -> Result<Option<SyncOutcome>, SyncError> {
        let req = match built {
            Ok(r) => r,
            Err(Unsendable(error)) => return Ok(Some(SyncOutcome::Unsendable { error })),
        };
        loop {
            if self.opts.deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(None);
            }
            if self.offline && !self.recover().await? {
                return Ok(None);
            }
            let wait = self.pacer.next_wait();
            if !wait.is_zero() {
                // Verdicts already in hand are recorded before the pause, so
                // the clerk sees "accepted" now and not after the whole
                // paced batch (at full speed they stay batched).
                self.flush(results).await?;
                if !sleep_within(wait, self.opts.deadline).await {
                    return Ok(None);
                }
            }
            let sent = Instant::now();
            let result = request::post(&self.engine.client, &e.id, &req).await;
            // Logged: the entry's id (its idempotency key), kind, status and
            // problem code, never the request or the register's message.
            let ms = u64::try_from(sent.elapsed().as_millis()).unwrap_or(u64::MAX);
            let err = match result {
                Ok(()) => {
                    tracing::debug!(entry = %e.id, kind = %e.kind, ms, "acknowledged by the register");
                    self.pacer.succeeded();
                    self.attempt = 0;
                    return Ok(Some(SyncOutcome::Acknowledged));
                }
                Err(CallError::Rejected { status, problem }) => {
                    tracing::info!(
                        entry = %e.id,
                        kind = %e.kind,
                        status,
                        code = %problem.code,
                        ms,
                        "refused by the register"
                    );
                    let reason = format!("{status} {}: {}", problem.code, problem.message);
                    return Ok(Some(if is_conflict(problem.kind()) {
                        SyncOutcome::Conflict { reason }
                    } else {
                        SyncOutcome::Rejected { reason }
                    }));
                }
                Err(err) => err,
            };
            // Not delivered: record it (so what was done survives a kill), then wait.
            match &err {
                CallError::Retryable { kind, status, .. } => tracing::warn!(
                    entry = %e.id,
                    failure = ?kind,
                    status = ?status,
                    attempt = self.attempt,
                    ms,
                    "not delivered; will retry"
                ),
                CallError::CircuitOpen { retry_in } => tracing::info!(
                    entry = %e.id,
                    retry_in_secs = retry_in.as_secs(),
                    "not sent: the register is offline"
                ),
                CallError::Rejected { .. } => {}
            }
            self.report.retries += 1;
            results.push(SyncResult {
                id: e.id.clone(),
                outcome: SyncOutcome::Retry {
                    error: err.to_string(),
                },
            });
            self.flush(results).await?;
            self.engine.journal.reset_in_flight().await?;
            if let CallError::Retryable {
                kind: FailureKind::Overloaded,
                ..
            } = &err
            {
                self.pacer.overloaded();
            }
            // The circuit is open (this failure may have opened it): the
            // register is unreachable until a probe says otherwise.
            if matches!(err, CallError::CircuitOpen { .. })
                || self.engine.client.status().state == ConnectionState::Offline
            {
                self.offline = true;
                if !self.opts.until_empty {
                    return Ok(None);
                }
            }
            let d = self.engine.client.retry_delay(self.attempt, &err);
            self.attempt = self.attempt.saturating_add(1);
            self.progress(
                if self.offline { "offline" } else { "waiting" },
                Some(err.to_string()),
            );
            if !self.offline && !sleep_within(d, self.opts.deadline).await {
                return Ok(None);
            }
            self.engine.journal.mark_in_flight(rest).await?;
        }
    }
}

impl SyncEngine {
    /// Delivers queued entries in order. See [`crate::SyncOptions`].
    pub async fn drain(&self, opts: &SyncOptions) -> Result<DrainReport, SyncError> {
        let lock_path = self.journal.path().with_extension("sync.lock");
        let lock_err = |source| SyncError::Lock {
            path: lock_path.display().to_string(),
            source,
        };
        // Owner-only, as every file beside the journal.
        let lock = passport_journal::private::file_options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(lock_err)?;
        passport_journal::private::tighten_file(&lock).map_err(lock_err)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(DrainReport::new(DrainEnd::AlreadyRunning)),
            Err(TryLockError::Error(e)) => return Err(lock_err(e)),
        }
        let result = self.drain_locked(opts).await;
        // Closing the file releases the lock; a killed process releases it too.
        drop(lock);
        result
    }

    async fn drain_locked(&self, opts: &SyncOptions) -> Result<DrainReport, SyncError> {
        self.journal.reset_in_flight().await?;
        // The chain heads first, once a round: a history the register
        // refuses as rewritten sends nothing.
        if !opts.start_offline
            && let crate::ChainCheck::Fork(words) = self.report_chain().await?
        {
            let mut report = DrainReport::new(DrainEnd::ChainFork);
            report.fork = Some(words);
            return Ok(report);
        }
        let stats = self.journal.queue_stats(chrono::Utc::now()).await?;
        let mut run = Run {
            engine: self,
            opts,
            report: DrainReport::new(DrainEnd::Empty),
            pacer: Pacer::new(opts.pacer.clone()),
            attempt: 0,
            offline: opts.start_offline,
            start: Instant::now(),
            total: u64::try_from(stats.depth).unwrap_or(0),
            done: 0,
        };
        run.progress("sending", None);
        // Verdicts reached in this drain, for dependency checks before they are flushed.
        let mut verdicts: HashMap<String, &'static str> = HashMap::new();
        let mut after = 0i64;
        let end = 'drain: loop {
            let batch = self.journal.queued_after(after, opts.batch).await?;
            if batch.is_empty() {
                break DrainEnd::Empty;
            }
            let ids: Vec<String> = batch.iter().map(|e| e.id.clone()).collect();
            self.journal.mark_in_flight(&ids).await?;
            // Requests are built (photos read, JSON assembled) on another task
            // while earlier ones are on the wire; they arrive in journal order.
            let (tx, mut built) = tokio::sync::mpsc::channel(16);
            let producer = {
                let (journal, entries) = (self.journal.clone(), batch.clone());
                tokio::spawn(async move {
                    for e in &entries {
                        if tx.send(request::build(&journal, e).await).await.is_err() {
                            break;
                        }
                    }
                })
            };
            let mut results = Vec::new();
            for (i, e) in batch.iter().enumerate() {
                after = e.seq;
                // The builder ends only after sending every entry's request,
                // or by a panic: then nothing is marked, the drain stops.
                let request = built.recv().await.ok_or(SyncError::BuilderStopped)?;
                if let Some(dep) = &e.depends_on {
                    let state = match verdicts.get(dep) {
                        Some(s) => Some((*s).to_owned()),
                        None => self.journal.entry_state(dep).await?,
                    };
                    let why = match state.as_deref() {
                        Some("acknowledged") => None,
                        Some("rejected" | "conflict") => {
                            Some(format!("waits for entry {dep}, which the register refused"))
                        }
                        Some("unsendable") => Some(format!(
                            "waits for entry {dep}, which cannot be sent (its record is unreadable)"
                        )),
                        _ => Some(format!("waits for entry {dep}, not yet delivered")),
                    };
                    if let Some(why) = why {
                        run.report.waiting += 1;
                        verdicts.insert(e.id.clone(), "waiting");
                        results.push(SyncResult {
                            id: e.id.clone(),
                            outcome: SyncOutcome::Waiting { why },
                        });
                        continue;
                    }
                }
                let Some(outcome) = run.deliver(e, request, &ids[i..], &mut results).await? else {
                    producer.abort();
                    run.flush(&mut results).await?;
                    self.journal.reset_in_flight().await?;
                    break 'drain if run.offline {
                        DrainEnd::Offline
                    } else {
                        DrainEnd::TimedOut
                    };
                };
                let verdict = match &outcome {
                    SyncOutcome::Acknowledged => {
                        run.report.acknowledged += 1;
                        "acknowledged"
                    }
                    SyncOutcome::Conflict { .. } => {
                        run.report.conflicts += 1;
                        "conflict"
                    }
                    SyncOutcome::Unsendable { .. } => {
                        run.report.unsendable += 1;
                        "unsendable"
                    }
                    _ => {
                        run.report.rejected += 1;
                        "rejected"
                    }
                };
                verdicts.insert(e.id.clone(), verdict);
                results.push(SyncResult {
                    id: e.id.clone(),
                    outcome,
                });
                run.done += 1;
                run.progress("sending", None);
            }
            run.flush(&mut results).await?;
        };
        run.report.end = end;
        run.report.elapsed_secs = run.start.elapsed().as_secs_f64();
        run.progress(
            if end == DrainEnd::Empty {
                "done"
            } else {
                "offline"
            },
            None,
        );
        Ok(run.report)
    }
}
