//! Looking up applications.

use super::{CmdResult, ipc};
use passport_counter_core::{ApplicationView, Counter};
use passport_journal::ApplicationSummary;
use tauri::State;

#[tauri::command]
pub async fn search_applications(
    counter: State<'_, Counter>,
    query: String,
) -> CmdResult<Vec<ApplicationSummary>> {
    ipc(counter.search_applications(&query).await)
}

#[tauri::command]
pub async fn application(
    counter: State<'_, Counter>,
    number: String,
) -> CmdResult<ApplicationView> {
    ipc(counter.application(&number).await)
}
