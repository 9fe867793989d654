//! The supervisor's decisions, overrides and end-of-day summary.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, DaySummary, Decision, DecisionInput};
use tauri::State;

#[tauri::command]
pub async fn decide(counter: State<'_, Counter>, input: DecisionInput) -> CmdResult<Decision> {
    ipc(counter.decide(&input).await)
}

#[tauri::command]
pub async fn approve_intake_override(
    counter: State<'_, Counter>,
    supervisor_id: String,
    password: String,
    hours: u32,
) -> CmdResult<String> {
    ipc(counter
        .approve_intake_override(&supervisor_id, &password, hours)
        .await)
}

#[tauri::command]
pub async fn day_summary(
    counter: State<'_, Counter>,
    date: Option<String>,
) -> CmdResult<DaySummary> {
    ipc(counter.day_summary(date.as_deref()).await)
}
