//! A simulator of the central passport register.
//!
//! It speaks the v1 contract (`passport-register-contract`) over real HTTP,
//! keeps its own SQLite database, and gives every write exactly-once
//! semantics through idempotency keys. Faults can be injected at start and
//! changed while it runs (`POST /admin/faults`): an outage (503 +
//! Retry-After), a random 500 rate, latency, a capacity cap in requests per
//! second (429 + Retry-After), responses dropped after the write committed,
//! and malformed bodies; all random choices come from `--seed`.
//!
//! [`run`] takes a listener and a shutdown signal, so a test binds
//! 127.0.0.1:0 and runs the simulator in-process; [`spawn`] does that for you.
//!
//! The `/admin/*` endpoints (faults, counts, personalising a document, what
//! was received) let anyone change or read the register: they exist only
//! when [`SimConfig::test_admin`] is set (`counterctl register-sim
//! --test-admin`, the demo mode, tests that use them); otherwise `/admin/*`
//! is 404 like any unknown path. Slow and idle clients are timed out
//! ([`Limits`], `serve.rs`).

mod api;
mod cutover;
mod faults;
mod heads;
mod listener;
mod rules;
mod seed;
mod serve;
mod store;
pub mod tls;

pub use cutover::parse_required_from;
pub use faults::{Faults, Stats};
pub use seed::{CLERKS, DemoClerk};
pub use serve::Limits;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The simulator's database file; `None` uses a temporary one.
    pub db: Option<PathBuf>,
    pub faults: Faults,
    /// Seed for every random choice (fault rolls, document numbers).
    pub seed: u64,
    /// Serve `/admin/*` (change faults, read counts and received records,
    /// personalise documents): for tests and the demo only, never by
    /// default.
    pub test_admin: bool,
    /// Time-outs for slow and idle clients, and the connection cap.
    pub limits: Limits,
    /// Serve over TLS with client certificates (see [`tls`]); `None`:
    /// plain HTTP (the demo on 127.0.0.1, most tests).
    pub tls: Option<tls::TlsSettings>,
    /// The biometrics cut-over date: an application dated on or after it
    /// without a biometrics section is refused (422 at `biometrics`,
    /// `biometrics_required`) when its rule asks for fingerprints or a
    /// signature. `None` (the default): no date yet, the transition while
    /// release 0.1 counters' queues drain. The demo and the tests run so: a
    /// demo data directory may still hold a release 0.1 queue, and tests of
    /// the sync path queue release 0.1's data-only applications dated
    /// today; any fixed date would start refusing them on that day. A
    /// workstation that has sent biometrics once is held to them whatever
    /// this says (`cutover.rs`).
    pub biometrics_required_from: Option<chrono::NaiveDate>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            db: None,
            faults: Faults::default(),
            seed: 1,
            test_admin: false,
            limits: Limits::default(),
            tls: None,
            biometrics_required_from: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("simulator database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("simulator database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsSetupError),
}

/// Serves the register on `listener` until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    config: SimConfig,
) -> Result<(), SimError> {
    let state = Arc::new(api::Sim::open(&config).await?);
    let app = api::router(state, config.test_admin);
    let (app, tls) = with_tls(app, &config)?;
    serve::serve(listener, app, shutdown, config.limits, tls).await?;
    Ok(())
}

/// The router with enrolment and client certificates, when TLS is on.
fn with_tls(
    app: axum::Router,
    config: &SimConfig,
) -> Result<(axum::Router, Option<Arc<tls::SimTls>>), SimError> {
    Ok(match &config.tls {
        Some(settings) => {
            let t = Arc::new(tls::SimTls::new(settings)?);
            (tls::wrap(app, t.clone()), Some(t))
        }
        None => (app, None),
    })
}

/// A simulator running in the background of this process.
#[derive(Debug)]
pub struct SimHandle {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), SimError>>,
    tls: Option<Arc<tls::SimTls>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`, or `https://` with TLS.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The TLS state (CA, enrolment codes, revocation), when TLS is on.
    pub fn tls(&self) -> Option<&tls::SimTls> {
        self.tls.as_deref()
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) -> Result<(), SimError> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.task.await.unwrap_or(Ok(()))
    }
}

/// Starts a simulator on `addr` (use `127.0.0.1:0` for a free port).
pub async fn spawn(addr: &str, config: SimConfig) -> Result<SimHandle, SimError> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(api::Sim::open(&config).await?);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = api::router(state, config.test_admin);
    let (app, tls) = with_tls(app, &config)?;
    let limits = config.limits;
    let serve_tls = tls.clone();
    let task = tokio::spawn(async move {
        let stop = async move {
            let _ = rx.await;
        };
        serve::serve(listener, app, stop, limits, serve_tls).await?;
        Ok(())
    });
    Ok(SimHandle {
        addr,
        stop: Some(tx),
        task,
        tls,
    })
}
