//! Forms in progress (the new application, the hand-over), kept for the
//! logged-in clerk as they type and offered back on return.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, DraftSave, DraftView};
use passport_journal::DraftKind;
use tauri::State;

#[tauri::command]
pub async fn draft_save(counter: State<'_, Counter>, draft: DraftSave) -> CmdResult<String> {
    ipc(counter.save_draft(&draft).await)
}

#[tauri::command]
pub async fn draft_load(
    counter: State<'_, Counter>,
    kind: DraftKind,
) -> CmdResult<Option<DraftView>> {
    ipc(counter.load_draft(kind).await)
}

#[tauri::command]
pub async fn draft_discard(counter: State<'_, Counter>, kind: DraftKind) -> CmdResult<bool> {
    ipc(counter.discard_draft(kind).await)
}
