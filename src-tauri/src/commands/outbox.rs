//! The outbox: what waits for the register, what it refused.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, OutboxView};
use tauri::State;

#[tauri::command]
pub async fn outbox(counter: State<'_, Counter>) -> CmdResult<OutboxView> {
    ipc(counter.outbox().await)
}

/// "Send now": wakes the sync worker (it also retries on its own).
#[tauri::command]
pub async fn sync_now(counter: State<'_, Counter>) -> CmdResult<()> {
    counter.sync_now();
    Ok(())
}
