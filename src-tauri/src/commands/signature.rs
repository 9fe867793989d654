//! The applicant's signature: the pad's strokes drawn by the core into the
//! image that will be kept, so the clerk sees exactly that.

use super::{CmdResult, ipc};
use passport_counter_core::Counter;
use passport_domain::biometrics::StrokePoint;
use tauri::State;

#[tauri::command]
pub async fn render_signature(
    counter: State<'_, Counter>,
    width: u16,
    height: u16,
    strokes: Vec<Vec<StrokePoint>>,
) -> CmdResult<String> {
    ipc(counter.render_signature(width, height, &strokes))
}
