//! Printed documents: preview (a PDF saved under printouts/ and a picture
//! of its first page) and printing through the system.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, DocumentRef, Printout};
use tauri::State;

#[tauri::command]
pub async fn printout(
    counter: State<'_, Counter>,
    doc: DocumentRef,
    print: bool,
) -> CmdResult<Printout> {
    // The printer is office configuration (config.toml), not the window's choice.
    ipc(counter.printout(&doc, print).await)
}
