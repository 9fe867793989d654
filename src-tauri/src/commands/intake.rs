//! New applications.

use super::{CmdResult, ipc};
use passport_counter_core::{Counter, DraftCheck, Submitted};
use passport_domain::ApplicationDraft;
use passport_domain::biometrics::BiometricsDraft;
use tauri::State;

#[tauri::command]
pub async fn check_application(
    counter: State<'_, Counter>,
    draft: ApplicationDraft,
    photo_base64: Option<String>,
    // Sent once the biometrics step has anything; absent while the clerk
    // types the data.
    biometrics: Option<BiometricsDraft>,
) -> CmdResult<DraftCheck> {
    ipc(counter.check_application(&draft, photo_base64.as_deref(), biometrics.as_ref()))
}

#[tauri::command]
pub async fn submit_application(
    counter: State<'_, Counter>,
    draft: ApplicationDraft,
    photo_base64: Option<String>,
    biometrics: Option<BiometricsDraft>,
) -> CmdResult<Submitted> {
    // No biometrics sent is none taken: the rules then name what the
    // application needs (an adult's fingerprints and signature), never a
    // silent pass.
    let none_taken = BiometricsDraft {
        fingers: Vec::new(),
        finger_exceptions: Vec::new(),
        signature: None,
    };
    ipc(counter
        .submit_application(
            &draft,
            photo_base64.as_deref(),
            biometrics.as_ref().unwrap_or(&none_taken),
        )
        .await)
}
