//! New applications.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, DraftCheck, Submitted};
use passport_domain::ApplicationDraft;
use tauri::State;

#[tauri::command]
pub async fn check_application(
    counter: State<'_, Counter>,
    draft: ApplicationDraft,
    photo_base64: Option<String>,
) -> CmdResult<DraftCheck> {
    ipc(counter.check_application(&draft, photo_base64.as_deref()))
}

#[tauri::command]
pub async fn submit_application(
    counter: State<'_, Counter>,
    draft: ApplicationDraft,
    photo_base64: Option<String>,
) -> CmdResult<Submitted> {
    ipc(counter
        .submit_application(&draft, photo_base64.as_deref())
        .await)
}
