//! Log-in, lock, unlock, log-out.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, SessionView};
use tauri::State;

#[tauri::command]
pub async fn login(
    counter: State<'_, Counter>,
    clerk_id: String,
    password: String,
) -> CmdResult<SessionView> {
    ipc(counter.login(&clerk_id, &password).await)
}

#[tauri::command]
pub async fn logout(counter: State<'_, Counter>) -> CmdResult<()> {
    counter.logout().await;
    Ok(())
}

#[tauri::command]
pub async fn lock(counter: State<'_, Counter>) -> CmdResult<()> {
    counter.lock();
    Ok(())
}

#[tauri::command]
pub async fn unlock(counter: State<'_, Counter>, password: String) -> CmdResult<SessionView> {
    ipc(counter.unlock(&password).await)
}

/// Logs in or unlocks with the clerk card on a reader and its PIN.
#[tauri::command]
pub async fn card_login(counter: State<'_, Counter>, pin: String) -> CmdResult<SessionView> {
    ipc(counter.card_login(&pin).await)
}

/// Ties the clerk card on a reader to the logged-in clerk.
#[tauri::command]
pub async fn bind_card(
    counter: State<'_, Counter>,
    password: String,
    pin: String,
) -> CmdResult<String> {
    ipc(counter.bind_card(&password, &pin).await)
}

/// The UI reports input now and then; the Rust side enforces auto-lock.
#[tauri::command]
pub async fn touch(counter: State<'_, Counter>) -> CmdResult<()> {
    ipc(counter.touch())
}
