//! Fingerprint devices (MOSIP MDS): the devices and their state (changes
//! arrive as `biometrics` events), and one finger's capture.

use super::{CmdResult, ipc};
use passport_counter_core::Counter;
use passport_counter_core::biometrics::{
    BiometricDevices, FingerCaptureView, PreviewEnd, PreviewEvent,
};
use passport_domain::biometrics::FingerPosition;
use tauri::{Emitter, State};

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

/// A supervisor confirms, with their password, that a finger cannot be
/// taken today; the sealed confirmation the exception keeps.
#[tauri::command]
pub async fn confirm_finger_exception(
    counter: State<'_, Counter>,
    input: passport_counter_core::confirmations::FingerExceptionConfirm,
) -> CmdResult<passport_domain::biometrics::SupervisorConfirmation> {
    ipc(counter.confirm_finger_exception(&input).await)
}

/// The running preview's stop signal: one at a time (the clerk is on one
/// finger); a new start stops the old one.
#[derive(Debug, Default)]
pub struct Preview(pub std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>);

impl Preview {
    fn replace(&self, next: Option<tokio::sync::oneshot::Sender<()>>) {
        let old = match self.0.lock() {
            Ok(mut slot) => std::mem::replace(&mut *slot, next),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), next),
        };
        if let Some(old) = old {
            old.send(()).ok();
        }
    }
}

/// The live preview (STREAM) of `finger` on `port` (or the first ready
/// device) while the clerk is on that finger: `biometric_preview` events,
/// each a JPEG frame as a `data:` URL (at most five a second), then one
/// `ended` with the reason. Stopped by [`biometric_preview_stop`].
#[tauri::command]
pub async fn biometric_preview_start(
    app: tauri::AppHandle,
    counter: State<'_, Counter>,
    preview: State<'_, Preview>,
    finger: FingerPosition,
    port: Option<u16>,
) -> CmdResult<()> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    preview.replace(Some(stop));
    let counter = counter.inner().clone();
    tauri::async_runtime::spawn(async move {
        let frames = app.clone();
        let result = counter
            .biometric_preview(
                finger,
                port,
                async {
                    stopped.await.ok();
                },
                |frame| {
                    frames
                        .emit("biometric_preview", PreviewEvent::Frame(frame))
                        .ok();
                },
            )
            .await;
        // Not logged in (the screen is never there without a clerk): no
        // frames were read; the screen hears the preview stopped.
        let end = result.unwrap_or(PreviewEnd::Stopped);
        app.emit("biometric_preview", PreviewEvent::Ended { finger, end })
            .ok();
    });
    Ok(())
}

/// Stops the live preview (the clerk left the finger, or the capture took
/// its image); nothing if none runs.
#[tauri::command]
pub async fn biometric_preview_stop(preview: State<'_, Preview>) -> CmdResult<()> {
    preview.replace(None);
    Ok(())
}
