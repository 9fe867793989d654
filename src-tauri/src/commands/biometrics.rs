//! Fingerprint devices (MOSIP MDS): the devices and their state (changes
//! arrive as `biometrics` events), and one finger's capture.

use super::{CmdResult, ipc};
use passport_counter_core::Counter;
use passport_counter_core::biometrics::{BiometricDevices, FingerCaptureView};
use passport_domain::biometrics::FingerPosition;
use tauri::State;

/// The device watcher's latest picture, shared with the event forwarder.
#[derive(Debug, Default)]
pub struct Biometrics(pub std::sync::Mutex<BiometricDevices>);

/// The latest picture the watcher saw (no new discovery round).
#[tauri::command]
pub async fn biometric_devices(devices: State<'_, Biometrics>) -> CmdResult<BiometricDevices> {
    Ok(devices
        .0
        .lock()
        .map(|d| d.clone())
        .unwrap_or_else(|e| e.into_inner().clone()))
}

/// One capture of `finger` (MOSIP's name, checked by serde into the
/// domain's type) on `port`, or on the first ready device.
#[tauri::command]
pub async fn capture_finger(
    counter: State<'_, Counter>,
    finger: FingerPosition,
    port: Option<u16>,
) -> CmdResult<FingerCaptureView> {
    ipc(counter.capture_finger(finger, port).await)
}
