//! The status bar's first state (later ones arrive as `status` events).

use super::CmdResult;
use passport_counter_core::policy::Policy;
use passport_counter_core::{Counter, StatusSnapshot};
use tauri::State;

#[tauri::command]
pub async fn status(counter: State<'_, Counter>) -> CmdResult<StatusSnapshot> {
    Ok(counter.status().await)
}

#[tauri::command]
pub async fn policy(counter: State<'_, Counter>) -> CmdResult<Policy> {
    Ok(counter.config().policy.clone())
}

/// The first screen is interactive. With `PASSPORT_COUNTER_STARTUP_PROBE`
/// set, prints the time since the process started (the start-up benchmark
/// reads it) and, when the value is `exit`, quits.
#[tauri::command]
pub async fn app_ready(app: tauri::AppHandle) -> CmdResult<()> {
    if let Ok(mode) = std::env::var("PASSPORT_COUNTER_STARTUP_PROBE") {
        println!(
            "interactive-after-ms {}",
            crate::STARTED.elapsed().as_millis()
        );
        if mode == "exit" {
            app.exit(0);
        }
    }
    Ok(())
}
