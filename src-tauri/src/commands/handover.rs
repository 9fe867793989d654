//! Handing over ready documents.

use super::{CmdResult, ipc};
use passport_counter_core::{
    ChipCheckView, Counter, DocumentView, HandoverOutcome, HandoverRequest, HandoverSaved,
};
use passport_journal::LocalDocument;
use tauri::State;

#[tauri::command]
pub async fn find_document(counter: State<'_, Counter>, code: String) -> CmdResult<DocumentView> {
    ipc(counter.find_document(&code).await)
}

#[tauri::command]
pub async fn ready_documents(counter: State<'_, Counter>) -> CmdResult<Vec<LocalDocument>> {
    ipc(counter.ready_documents().await)
}

#[tauri::command]
pub async fn record_handover(
    counter: State<'_, Counter>,
    request: HandoverRequest,
) -> CmdResult<HandoverSaved> {
    ipc(counter.record_handover(&request).await)
}

/// Reads and checks the chip of the passport on the reader.
#[tauri::command]
pub async fn check_chip(
    counter: State<'_, Counter>,
    document_number: String,
    reader: Option<String>,
) -> CmdResult<ChipCheckView> {
    ipc(counter.check_chip(&document_number, reader).await)
}

/// Where a recorded hand-over stands with the register now (asked again
/// as the status changes, after the first bounded wait).
#[tauri::command]
pub async fn handover_outcome(
    counter: State<'_, Counter>,
    journal_id: String,
) -> CmdResult<HandoverOutcome> {
    ipc(counter.handover_outcome(&journal_id).await)
}
