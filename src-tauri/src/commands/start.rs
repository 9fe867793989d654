//! Why the counter could not start (a lost journal key, a configuration
//! refused): the window opens anyway and says it in Polish and English with
//! what to do, instead of the process ending with no window at all.

use passport_counter_core::IpcError;

/// Managed at start-up: `Some` when the counter could not start; then no
/// other command has a counter to work with.
pub struct StartFailure(pub Option<IpcError>);

/// The reason the counter did not start, or nothing when it runs.
#[tauri::command]
pub fn start_failure(failure: tauri::State<'_, StartFailure>) -> Option<IpcError> {
    failure.0.clone()
}
