//! The commands that talk to the register: `sync`, `register-sim`, and the
//! connection probe behind `status`, with the parsers of `sync`'s numbers.

use crate::cli::{SimArgs, SyncArgs};
use crate::commands::{fail, journal_failure, print_json};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_journal::Journal;
use passport_register_client::{ClientConfig, RegisterClient};
use passport_register_sim::{Faults, SimConfig};
use passport_sync::{DrainEnd, SyncEngine, SyncError, SyncOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest `sync --timeout`: a day. Longer is a typo, and an unbounded
/// one overflowed the deadline's `Instant` arithmetic.
pub const MAX_SYNC_TIMEOUT_SECS: u64 = 24 * 3600;
/// The longest `sync --recovery-window`, the same as `recovery_window_secs`
/// in config.toml: spreading a restart over more than an hour only delays it.
pub const MAX_RECOVERY_WINDOW_SECS: f64 = 3600.0;

/// `sync --timeout`: whole seconds, 1 to [`MAX_SYNC_TIMEOUT_SECS`].
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs: u64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a whole number of seconds"))?;
    if (1..=MAX_SYNC_TIMEOUT_SECS).contains(&secs) {
        Ok(Duration::from_secs(secs))
    } else {
        Err(format!(
            "{secs} s is out of range: 1 to {MAX_SYNC_TIMEOUT_SECS} (24 h)"
        ))
    }
}

/// `sync --recovery-window`: seconds, fractions allowed, 0 to
/// [`MAX_RECOVERY_WINDOW_SECS`]. `inf`, `NaN` and negatives are refused here
/// because `Duration::from_secs_f64` panics on them.
pub fn parse_recovery_window(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if secs.is_finite() && (0.0..=MAX_RECOVERY_WINDOW_SECS).contains(&secs) {
        Duration::try_from_secs_f64(secs).map_err(|e| e.to_string())
    } else {
        Err(format!(
            "`{s}` is out of range: 0 to {MAX_RECOVERY_WINDOW_SECS} seconds"
        ))
    }
}

/// One quick health check, for `status`: `online`, or why not. `c` is the
/// configured client's settings (the pinned CA and this workstation's
/// certificate with them), with short time-outs.
pub async fn probe(mut c: ClientConfig) -> String {
    c.connect_timeout = Duration::from_secs(2);
    c.request_timeout = Duration::from_secs(3);
    let Ok(client) = RegisterClient::new(c) else {
        return "offline: cannot build a client".into();
    };
    let start = Instant::now();
    match client.health().await {
        Ok(_) => format!("online, answered in {} ms", start.elapsed().as_millis()),
        Err(e) => format!("offline: {e}"),
    }
}

pub async fn sync(cfg: &Resolved, journal: Journal, args: &SyncArgs) -> Exit {
    let Some(url) = cfg.register.value.clone() else {
        return fail(
            Exit::Config,
            "no register is configured: pass --register URL, set PASSPORT_COUNTER_REGISTER, or add `register = \"…\"` to config.toml \
             (try `counterctl register-sim` for a local one)",
        );
    };
    let client = match RegisterClient::new(cfg.client_config(url)) {
        Ok(c) => Arc::new(c),
        Err(e) => return fail(Exit::Config, &format!("cannot use the register URL: {e}")),
    };
    let engine = SyncEngine::new(journal, client);
    let start = Instant::now();
    // The parser bounds the timeout to a day, so this cannot overflow; were
    // it ever to, refusing beats running without the bound that was asked for.
    let deadline = match args.timeout.map(|t| start.checked_add(t)) {
        Some(None) => return fail(Exit::InvalidInput, "--timeout is too far in the future"),
        Some(Some(d)) => Some(d),
        None => None,
    };
    let opts = SyncOptions {
        until_empty: args.until_empty,
        deadline,
        recovery_window: args.recovery_window,
        ..SyncOptions::default()
    };
    // Progress for a person watching: one line a second on stderr.
    let mut rx = engine.subscribe();
    let watcher = (!args.json.json).then(|| {
        tokio::spawn(async move {
            let mut last = Instant::now().checked_sub(Duration::from_secs(2));
            while rx.changed().await.is_ok() {
                if last.is_none_or(|l| l.elapsed() >= Duration::from_secs(1)) {
                    last = Some(Instant::now());
                    let p = rx.borrow().clone();
                    let eta = p
                        .eta_secs
                        .map_or_else(String::new, |s| format!(", about {s:.0} s left"));
                    eprintln!(
                        "{}: {}/{} ({:.1}/s{eta})",
                        p.phase, p.done, p.total, p.rate_per_sec
                    );
                }
            }
        })
    });
    // The engine stops at the deadline between requests; the timeout here
    // makes it a hard bound by dropping the whole run, which cancels a
    // request still on the wire. What was in flight stays queued (the next
    // drain resets it) and its idempotency key makes the resend safe.
    let run = async {
        let report = engine.drain(&opts).await?;
        let ready = if args.no_ready_list || report.end != DrainEnd::Empty {
            None
        } else {
            engine.pull_ready_list().await.ok()
        };
        Ok::<_, SyncError>((report, ready))
    };
    let outcome = match deadline {
        Some(d) => tokio::time::timeout_at(d.into(), run).await.ok(),
        None => Some(run.await),
    };
    if let Some(w) = watcher {
        w.abort();
    }
    let (report, ready) = match outcome {
        Some(Ok(r)) => r,
        Some(Err(SyncError::Journal(e))) => return journal_failure(&e),
        Some(Err(e)) => return fail(Exit::Storage, &e.to_string()),
        None => return cancelled(&engine, start, args.json.json).await,
    };
    let stats = engine.journal().queue_stats(chrono::Utc::now()).await.ok();
    if args.json.json {
        print_json(
            &serde_json::json!({ "report": report, "ready_documents_pulled": ready, "queue": stats }),
        );
    } else {
        println!(
            "sync {:?}: {} acknowledged, {} rejected, {} conflicts, {} waiting, {} retries, {:.1} s",
            report.end,
            report.acknowledged,
            report.rejected,
            report.conflicts,
            report.waiting,
            report.retries,
            report.elapsed_secs
        );
        if let Some(n) = ready {
            println!("ready list: {n} new documents");
        }
        if let Some(q) = stats {
            println!("queue: {} waiting", q.depth);
        }
    }
    match report.end {
        DrainEnd::Empty => Exit::Ok,
        DrainEnd::AlreadyRunning => fail(
            Exit::CheckFailed,
            "another sync of this workstation is running",
        ),
        DrainEnd::Offline | DrainEnd::TimedOut => Exit::Offline,
        DrainEnd::ChainFork => fail(
            Exit::ChainBroken,
            "the register refused this workstation's history as rewritten (chain_fork): nothing was sent; run `counterctl audit verify` and call a supervisor",
        ),
    }
}

/// `sync --timeout` expired with the run unfinished: the run was dropped.
async fn cancelled(engine: &SyncEngine, start: Instant, as_json: bool) -> Exit {
    // Entries marked in flight would only be reset by the next drain; doing
    // it now keeps `status` honest in between. A failure here loses nothing.
    let _ = engine.journal().reset_in_flight().await;
    let stats = engine.journal().queue_stats(chrono::Utc::now()).await.ok();
    let elapsed = start.elapsed().as_secs_f64();
    if as_json {
        print_json(&serde_json::json!({
            "report": { "end": DrainEnd::TimedOut, "cancelled": true, "elapsed_secs": elapsed },
            "ready_documents_pulled": null,
            "queue": stats,
        }));
    } else {
        let waiting = stats.map_or_else(|| "the rest".to_owned(), |q| q.depth.to_string());
        eprintln!(
            "sync timed out after {elapsed:.1} s: requests in flight were cancelled; \
             {waiting} actions stay queued and the next sync resends them"
        );
    }
    Exit::Offline
}

/// The longest `register-sim --latency-ms`: ten minutes is already far
/// beyond any client's time-out.
pub const MAX_SIM_LATENCY_MS: u64 = 600_000;

/// The simulator's numbers: shares are probabilities (NaN, negatives and
/// more than 1 would silently mean "never" or "always"), and the latency
/// is bounded. `--retry-after` is left free: odd values are what it is for.
fn check_sim_args(args: &SimArgs) -> Result<(), String> {
    for (flag, p) in [
        ("--error-rate", args.error_rate),
        ("--drop-after-commit", args.drop_after_commit),
        ("--malformed-rate", args.malformed_rate),
    ] {
        if !(0.0..=1.0).contains(&p) {
            return Err(format!("{flag} {p} is out of range: 0.0 to 1.0"));
        }
    }
    if args.latency_ms > MAX_SIM_LATENCY_MS {
        return Err(format!(
            "--latency-ms {} is out of range: 0 to {MAX_SIM_LATENCY_MS}",
            args.latency_ms
        ));
    }
    Ok(())
}

pub async fn register_sim(args: &SimArgs) -> Exit {
    if let Err(why) = check_sim_args(args) {
        return fail(Exit::InvalidInput, &why);
    }
    let faults = Faults {
        outage: args.outage,
        error_rate: args.error_rate,
        drop_after_commit: args.drop_after_commit,
        latency_ms: args.latency_ms,
        capacity: args.capacity,
        malformed_rate: args.malformed_rate,
        retry_after_secs: args.retry_after,
        retry_after_raw: None,
        // Closed accounts are set while it runs (POST /admin/faults).
        closed_clerks: Vec::new(),
    };
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(l) => l,
        Err(e) => {
            return fail(
                Exit::InvalidInput,
                &format!("cannot listen on {}: {e}", args.listen),
            );
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!(
        "register simulator on http://{addr} (faults: {})",
        serde_json::to_string(&faults).unwrap_or_default()
    );
    if args.test_admin {
        println!(
            "stop with Ctrl-C; change faults with POST /admin/faults, see counts at GET /admin/stats"
        );
    } else {
        println!("stop with Ctrl-C; no /admin/* (start with --test-admin for it)");
    }
    if let Some(from) = args.biometrics_required_from {
        println!("biometrics required of applications dated {from} or later");
    }
    let tls = crate::enrol::sim_tls(args);
    if let Some(t) = &tls {
        // Office IT pins this CA and gives the code to the supervisor who
        // enrols a workstation.
        if let Some(dir) = &t.ca_dir {
            println!(
                "TLS with client certificates: https://{addr}, the CA in {}",
                dir.join("ca.pem").display()
            );
        }
        for code in &t.enrolment_codes {
            println!("enrolment code (one use): {code}");
        }
    }
    let config = SimConfig {
        db: args.db.clone(),
        faults,
        seed: args.seed,
        test_admin: args.test_admin,
        tls,
        biometrics_required_from: args.biometrics_required_from,
        ..SimConfig::default()
    };
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                    Ok(t) => t,
                    Err(_) => return,
                };
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
    };
    match passport_register_sim::run(listener, shutdown, config).await {
        Ok(()) => Exit::Ok,
        Err(e) => fail(Exit::Storage, &e.to_string()),
    }
}
