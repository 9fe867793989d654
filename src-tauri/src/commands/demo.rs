//! The demo menu: cut and restore the embedded register.

use super::{CmdResult, ipc};
use passport_counter_core::Counter;
use tauri::State;

#[tauri::command]
pub async fn demo_cut_register(counter: State<'_, Counter>) -> CmdResult<()> {
    ipc(counter.demo_cut_register().await)
}

#[tauri::command]
pub async fn demo_restore_register(counter: State<'_, Counter>) -> CmdResult<()> {
    ipc(counter.demo_restore_register().await)
}
