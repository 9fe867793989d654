//! The commands that talk to the register: `sync`, `register-sim`, and the
//! connection probe behind `status`.

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

/// One quick health check, for `status`: `online`, or why not.
pub async fn probe(url: &str) -> String {
    let mut c = ClientConfig::new(url);
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
    let client = match RegisterClient::new(ClientConfig::new(url)) {
        Ok(c) => Arc::new(c),
        Err(e) => return fail(Exit::Config, &format!("cannot use the register URL: {e}")),
    };
    let engine = SyncEngine::new(journal, client);
    let opts = SyncOptions {
        until_empty: args.until_empty,
        deadline: args
            .timeout
            .map(|s| Instant::now() + Duration::from_secs(s)),
        recovery_window: Duration::from_secs_f64(args.recovery_window.max(0.0)),
        ..SyncOptions::default()
    };
    // Progress for a person watching: one line a second on stderr.
    let mut rx = engine.subscribe();
    let watcher = (!args.json.json).then(|| {
        tokio::spawn(async move {
            let mut last = Instant::now() - Duration::from_secs(2);
            while rx.changed().await.is_ok() {
                if last.elapsed() >= Duration::from_secs(1) {
                    last = Instant::now();
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
    let report = match engine.drain(&opts).await {
        Ok(r) => r,
        Err(SyncError::Journal(e)) => return journal_failure(&e),
        Err(e) => return fail(Exit::Storage, &e.to_string()),
    };
    if let Some(w) = watcher {
        w.abort();
    }
    let ready = if args.no_ready_list || report.end != DrainEnd::Empty {
        None
    } else {
        engine.pull_ready_list().await.ok()
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
    }
}

pub async fn register_sim(args: &SimArgs) -> Exit {
    let faults = Faults {
        outage: args.outage,
        error_rate: args.error_rate,
        drop_after_commit: args.drop_after_commit,
        latency_ms: args.latency_ms,
        capacity: args.capacity,
        malformed_rate: args.malformed_rate,
        retry_after_secs: args.retry_after,
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
    println!(
        "stop with Ctrl-C; change faults with POST /admin/faults, see counts at GET /admin/stats"
    );
    let config = SimConfig {
        db: args.db.clone(),
        faults,
        seed: args.seed,
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
