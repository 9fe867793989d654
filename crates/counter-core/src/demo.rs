//! Demo mode: with nothing configured, the counter runs against the
//! register simulator embedded on 127.0.0.1 with demo data, and offers
//! "cut the register" / "restore" so a newcomer sees offline mode and
//! recovery in a minute.

use crate::{CoreError, Counter};
use passport_register_sim::{Faults, SimConfig, SimHandle};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Mutex;

#[derive(Debug)]
pub(crate) struct Demo {
    url: String,
    handle: Mutex<Option<SimHandle>>,
    cut: AtomicBool,
    http: reqwest::Client,
    /// SANE's configuration with its `test` backend (a virtual flatbed),
    /// so the demo scans without a scanner or a root edit; `None` when it
    /// could not be written (then the system's SANE is used).
    sane_dir: Option<PathBuf>,
    /// The demo's fingerprint scanner: the project's MOSIP device emulator
    /// on the first free port of the range, trusted by the data
    /// directory's trust store (`None` when it could not start: the status
    /// bar then says no device).
    fingerprints: std::sync::Mutex<Option<mds_emulator::Emulator>>,
}

/// What the demo menu shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DemoInfo {
    /// The embedded simulator (its `/admin/stats` shows what it stored).
    pub register_url: String,
    pub register_cut: bool,
    /// Accounts the simulator knows: `(clerk id, password, role)`.
    pub accounts: Vec<(String, String, String)>,
}

impl Demo {
    pub(crate) async fn start(cfg: &crate::config::Resolved) -> Result<Self, CoreError> {
        let data_dir = cfg.data_dir.as_path();
        let db = data_dir.join("demo-register.db");
        // Owner-only like the journal: created 0600 before the simulator's
        // SQLite opens it, so its -wal and -shm are 0600 too.
        crate::files::precreate_database(&db)
            .map_err(|e| CoreError::Internal(format!("demo register {}: {e}", db.display())))?;
        let sim = SimConfig {
            db: Some(db),
            // A short Retry-After so "restore" shows recovery within seconds.
            faults: Faults {
                retry_after_secs: 2,
                ..Faults::default()
            },
            seed: 1,
            test_admin: true,
            ..SimConfig::default()
        };
        let handle = passport_register_sim::spawn("127.0.0.1:0", sim)
            .await
            .map_err(|e| CoreError::Internal(format!("demo register: {e}")))?;
        let sane_dir = match write_sane_test_config(&data_dir.join("sane")) {
            Ok(dir) => Some(dir),
            Err(e) => {
                tracing::warn!(error = %e, "demo scanner: SANE's test backend not configured");
                None
            }
        };
        let fingerprints = match start_fingerprint_device(cfg).await {
            Ok(e) => {
                tracing::info!(
                    port = e.port(),
                    "demo fingerprint device (MDS emulator) started"
                );
                Some(e)
            }
            Err(e) => {
                tracing::warn!(error = %e, "demo fingerprint device not started");
                None
            }
        };
        Ok(Self {
            url: handle.url(),
            handle: Mutex::new(Some(handle)),
            cut: AtomicBool::new(false),
            http: reqwest::Client::new(),
            sane_dir,
            fingerprints: std::sync::Mutex::new(fingerprints),
        })
    }

    pub(crate) fn url(&self) -> String {
        self.url.clone()
    }

    pub(crate) async fn stop(&self) {
        // Dropping the emulator closes its port.
        drop(
            self.fingerprints
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take(),
        );
        if let Some(h) = self.handle.lock().await.take() {
            h.stop().await.ok();
        }
    }

    async fn set_outage(&self, outage: bool) -> Result<(), CoreError> {
        self.http
            .post(format!("{}/admin/faults", self.url))
            .json(&serde_json::json!({ "outage": outage }))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| CoreError::Internal(format!("demo register: {e}")))?;
        self.cut.store(outage, Ordering::SeqCst);
        Ok(())
    }
}

/// A SANE configuration directory with only the `test` backend, one
/// device that scans in colour a picture that is not blank (SANE's own
/// "Color pattern"): what `SANE_CONFIG_DIR` points at for the demo and the
/// tests. The system's `/etc/sane.d` is left alone.
pub fn write_sane_test_config(dir: &Path) -> std::io::Result<PathBuf> {
    crate::files::create_dir_owner_only(dir)?;
    crate::files::write_owner_only(&dir.join("dll.conf"), b"test\n")?;
    crate::files::write_owner_only(
        &dir.join("test.conf"),
        b"number_of_devices 1\nmode Color\ntest-picture \"Color pattern\"\n",
    )?;
    Ok(dir.to_path_buf())
}

/// Starts the MDS emulator on the first port of `[biometrics]`' range that
/// is free, and writes its CA as the trust store when the store is the
/// data directory's own (one configured elsewhere is office IT's, left
/// alone).
async fn start_fingerprint_device(
    cfg: &crate::config::Resolved,
) -> Result<mds_emulator::Emulator, String> {
    let b = &cfg.biometrics;
    let pki = mds_emulator::DevicePki::generate("DEMO-FP-0001").map_err(|e| e.to_string())?;
    let config = mds_emulator::Config {
        serial: "DEMO-FP-0001".into(),
        ..mds_emulator::Config::default()
    };
    let (first, last) = (
        u16::try_from(b.first_port).map_err(|e| e.to_string())?,
        u16::try_from(b.last_port).map_err(|e| e.to_string())?,
    );
    let mut bound = None;
    for port in first..=last {
        if let Ok(l) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            bound = Some(l);
            break;
        }
    }
    let listener = bound.ok_or_else(|| format!("no free port on 127.0.0.1:{first}–{last}"))?;
    let emulator =
        mds_emulator::Emulator::start(listener, pki, config).map_err(|e| e.to_string())?;
    if b.trust_store.is_none() {
        let path = b.trust_store_path(&cfg.data_dir);
        crate::files::write_owner_only(&path, emulator.trust_pem().as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(emulator)
}

impl Counter {
    /// The demo's SANE configuration (its `test` backend), if any.
    pub(crate) fn demo_sane_dir(&self) -> Option<PathBuf> {
        self.inner.demo.as_ref().and_then(|d| d.sane_dir.clone())
    }

    pub(crate) fn demo_info(&self) -> Option<DemoInfo> {
        self.inner.demo.as_ref().map(|d| DemoInfo {
            register_url: d.url.clone(),
            register_cut: d.cut.load(Ordering::SeqCst),
            accounts: passport_register_sim::CLERKS
                .iter()
                .map(|c| (c.clerk_id.into(), c.password.into(), c.role.into()))
                .collect(),
        })
    }

    /// Demo menu: the simulated register stops answering (503).
    pub async fn demo_cut_register(&self) -> Result<(), CoreError> {
        let demo = self.inner.demo.as_ref().ok_or(CoreError::NotDemo)?;
        demo.set_outage(true).await?;
        // Ask at once, so the status bar shows it now rather than at the
        // next probe (a 503 opens the circuit straight away).
        self.inner.client.health().await.ok();
        self.sync_now();
        self.publish_status().await;
        Ok(())
    }

    /// Demo menu: the simulated register answers again; the queue drains.
    pub async fn demo_restore_register(&self) -> Result<(), CoreError> {
        let demo = self.inner.demo.as_ref().ok_or(CoreError::NotDemo)?;
        demo.set_outage(false).await?;
        // The clerk who pressed "restore" sees it being tried, and it is
        // tried now rather than when the circuit's open period (grown over
        // the outage, up to a minute) runs out: one counter against its own
        // simulator has no herd to spread. The queue then drains paced as
        // after any outage (recovery window, slow start).
        self.reconnect_attempt().await;
        self.inner.client.probe_now().await.ok();
        self.publish_status().await;
        self.sync_now();
        Ok(())
    }
}
