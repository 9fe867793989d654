//! The Passport Counter desktop app.
//!
//! This crate alone depends on Tauri: it opens the window, hands the core's
//! services to the UI as thin commands (`commands/`), runs the sync worker
//! in the background, and pushes its state to the UI as events (`status`,
//! `sync-progress`). The screens themselves live in `ui/`.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

use passport_counter_core::Counter;
use passport_counter_core::config::{Overrides, Resolved};
use std::sync::LazyLock;
use std::time::Instant;
use tauri::{Emitter, Manager, RunEvent};

/// When the process started, for the start-up probe.
pub(crate) static STARTED: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Opens the journal (and, in demo mode, the embedded register), starts the
/// sync worker and the event forwarding.
fn start(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let cfg = match Resolved::load(&Overrides::default()) {
        Ok(cfg) => cfg,
        Err(e) => {
            // No configuration, so no log settings: the default ones, in
            // the data directory the configuration would have named.
            let data_dir = std::env::var(passport_counter_core::config::env_var("data"))
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(std::path::PathBuf::from)
                .unwrap_or_else(passport_counter_core::config::default_data_dir);
            passport_counter_core::logs::init(
                &data_dir,
                &passport_counter_core::logs::LogSettings::default(),
                passport_counter_core::logs::Program::App,
                true,
            )
            .ok();
            return Err(Box::new(passport_counter_core::CoreError::from(e)));
        }
    };
    // Logs that cannot be written are said, not fatal: the clerk's work
    // does not depend on them.
    if let Err(e) = passport_counter_core::logs::init(
        &cfg.data_dir,
        &cfg.logs,
        passport_counter_core::logs::Program::App,
        false,
    ) {
        eprintln!("warning: {e}");
    }
    let counter = tauri::async_runtime::block_on(Counter::start(cfg))?;
    app.manage(counter.clone());
    // The window's last scan, which the photo's frame is cut from.
    app.manage(passport_counter_core::scanner::Scans::default());

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    app.manage(WorkerStop(std::sync::Mutex::new(Some(stop))));
    let worker = counter.clone();
    tauri::async_runtime::spawn(async move {
        worker
            .run_worker(async {
                stopped.await.ok();
            })
            .await;
    });

    let handle = app.handle().clone();
    let mut status = counter.watch_status();
    tauri::async_runtime::spawn(async move {
        while status.changed().await.is_ok() {
            let snapshot = status.borrow_and_update().clone();
            handle.emit("status", snapshot).ok();
        }
    });
    // Card readers: a thread of their own; each change is kept and pushed.
    app.manage(commands::cards::Cards::default());
    let handle = app.handle().clone();
    let cards_counter = counter.clone();
    let watch = passport_cards::ReaderWatch::spawn(move |service| {
        // The clerk card taken out of its reader locks the session in the
        // core; the status (session locked) is pushed at once.
        if cards_counter.card_readers_changed(service) {
            let c = cards_counter.clone();
            tauri::async_runtime::spawn(async move {
                c.status().await;
            });
        }
        // Reader names and whether a card lies on each: no card's content.
        let readers: Vec<(&str, bool)> = service
            .readers
            .iter()
            .map(|r| (r.name.as_str(), r.card_present))
            .collect();
        tracing::info!(running = service.running, ?readers, "card readers changed");
        if let Some(cards) = handle.try_state::<commands::cards::Cards>()
            && let Ok(mut c) = cards.0.lock()
        {
            *c = service.clone();
        }
        handle.emit("cards", service).ok();
    })?;
    app.manage(CardWatch(std::sync::Mutex::new(Some(watch))));
    // Fingerprint devices (MOSIP MDS on 127.0.0.1): a discovery round every
    // 3 s on the app's runtime; each change is kept and pushed.
    app.manage(commands::biometrics::Biometrics::default());
    app.manage(commands::biometrics::Preview::default());
    let handle = app.handle().clone();
    match passport_counter_core::biometrics::biometric_watch(
        counter.config(),
        std::time::Duration::from_secs(3),
        move |devices| {
            let states: Vec<(u16, &str, _)> = devices
                .devices
                .iter()
                .map(|d| (d.port, d.serial.as_str(), d.state))
                .collect();
            tracing::info!(?states, "fingerprint devices changed");
            if let Some(b) = handle.try_state::<commands::biometrics::Biometrics>()
                && let Ok(mut b) = b.0.lock()
            {
                *b = devices.clone();
            }
            handle.emit("biometrics", devices).ok();
        },
    ) {
        Ok(watch) => {
            tauri::async_runtime::spawn(watch);
        }
        Err(e) => tracing::warn!(error = %e, "fingerprint devices are not watched"),
    }

    let handle = app.handle().clone();
    let mut progress = counter.engine().subscribe();
    tauri::async_runtime::spawn(async move {
        while progress.changed().await.is_ok() {
            let p = progress.borrow_and_update().clone();
            handle.emit("sync-progress", p).ok();
        }
    });
    // Last: a step above that failed leaves the failure to be said.
    app.manage(commands::start::StartFailure(None));
    Ok(())
}

struct WorkerStop(std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>);

struct CardWatch(std::sync::Mutex<Option<passport_cards::ReaderWatch>>);

fn main() {
    LazyLock::force(&STARTED);
    let context = tauri::generate_context!();
    let app = tauri::Builder::default()
        .setup(|app| {
            // A counter that cannot start still opens its window, which
            // says why and what to do (commands::start); the error is
            // logged, and the process ends with its exit code on close.
            if let Err(e) = start(app) {
                let failure = match e.downcast::<passport_counter_core::CoreError>() {
                    Ok(core) => passport_counter_core::IpcError::from(*core),
                    Err(other) => passport_counter_core::IpcError::from(
                        passport_counter_core::CoreError::Internal(other.to_string()),
                    ),
                };
                tracing::error!(code = %failure.code, message = %failure.message.en, "the counter could not start");
                eprintln!("passport-counter: {}", failure.message.en);
                app.manage(commands::start::StartFailure(Some(failure)));
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::login,
            commands::session::logout,
            commands::session::lock,
            commands::session::unlock,
            commands::session::card_login,
            commands::session::bind_card,
            commands::session::touch,
            commands::status::status,
            commands::status::policy,
            commands::status::app_ready,
            commands::intake::check_application,
            commands::intake::submit_application,
            commands::drafts::draft_save,
            commands::drafts::draft_load,
            commands::drafts::draft_discard,
            commands::applications::search_applications,
            commands::applications::application,
            commands::handover::find_document,
            commands::handover::ready_documents,
            commands::handover::record_handover,
            commands::handover::check_chip,
            commands::outbox::outbox,
            commands::outbox::sync_now,
            commands::print::printout,
            commands::handover::handover_outcome,
            commands::cards::cards,
            commands::supervisor::decide,
            commands::supervisor::approve_intake_override,
            commands::supervisor::day_summary,
            commands::demo::demo_cut_register,
            commands::demo::demo_restore_register,
            commands::scanner::scanners,
            commands::scanner::scan,
            commands::scanner::crop_scan,
            commands::signature::render_signature,
            commands::biometrics::biometric_devices,
            commands::biometrics::capture_finger,
            commands::biometrics::confirm_finger_exception,
            commands::biometrics::biometric_preview_start,
            commands::biometrics::biometric_preview_stop,
            commands::start::start_failure,
        ])
        .build(context);
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("passport-counter: cannot start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            if let Some(stop) = handle.try_state::<WorkerStop>() {
                let sender = stop.0.lock().ok().and_then(|mut s| s.take());
                if let Some(s) = sender {
                    s.send(()).ok();
                }
            }
            if let Some(watch) = handle.try_state::<CardWatch>() {
                let w = watch.0.lock().ok().and_then(|mut w| w.take());
                if let Some(mut w) = w {
                    w.stop();
                }
            }
            if let Some(counter) = handle.try_state::<Counter>() {
                tauri::async_runtime::block_on(counter.shutdown());
            }
            tracing::info!("app stopped");
        }
    });
}
