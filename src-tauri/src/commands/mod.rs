//! The commands the screens call, one module per area. Each takes the
//! [`Counter`](passport_counter_core::Counter), calls one service function
//! and converts its error into the one [`IpcError`] the UI understands.

pub mod applications;
pub mod biometrics;
pub mod cards;
pub mod demo;
pub mod drafts;
pub mod handover;
pub mod intake;
pub mod outbox;
pub mod print;
pub mod scanner;
pub mod session;
pub mod signature;
pub mod start;
pub mod status;
pub mod supervisor;

use passport_counter_core::{CoreError, IpcError};

pub type CmdResult<T> = Result<T, IpcError>;

/// Converts the core's error, and logs it by its code (and each field
/// error's path and code): never its message or a field's value.
pub(crate) fn ipc<T>(r: Result<T, CoreError>) -> CmdResult<T> {
    r.map_err(|e| {
        let e = IpcError::from(e);
        let fields: Vec<(&str, &str)> = e
            .fields
            .iter()
            .map(|f| (f.path.as_str(), f.code.as_str()))
            .collect();
        if e.code == "validation" {
            tracing::debug!(code = %e.code, ?fields, "command refused");
        } else {
            tracing::info!(code = %e.code, ?fields, "command refused");
        }
        e
    })
}
