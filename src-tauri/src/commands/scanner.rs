//! The photo from a scanner: the scanners SANE finds, a scan of the glass
//! (kept by the app for the crop, never sent back by the window), and the
//! 35×45 photo cut from it where the clerk placed the frame.

use super::{CmdResult, ipc};
use passport_counter_core::Counter;
use passport_counter_core::scanner::{CropFrame, ScanView, ScannedPhoto, ScannerDevice, Scans};
use tauri::State;

#[tauri::command]
pub async fn scanners(counter: State<'_, Counter>) -> CmdResult<Vec<ScannerDevice>> {
    ipc(counter.scanners().await)
}

#[tauri::command]
pub async fn scan(
    counter: State<'_, Counter>,
    scans: State<'_, Scans>,
    device: String,
) -> CmdResult<ScanView> {
    ipc(counter.scan(&scans, &device).await)
}

#[tauri::command]
pub async fn crop_scan(
    counter: State<'_, Counter>,
    scans: State<'_, Scans>,
    frame: CropFrame,
) -> CmdResult<ScannedPhoto> {
    ipc(counter.crop_scan(&scans, &frame))
}
