//! What the counterctl test files share.

use std::process::Command;

/// The real counterctl binary, with none of the settings' environment
/// variables of whoever runs the tests.
pub fn counterctl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_counterctl"));
    for var in [
        "PASSPORT_COUNTER_DATA",
        "PASSPORT_COUNTER_OFFICE",
        "PASSPORT_COUNTER_WORKSTATION",
        "PASSPORT_COUNTER_CLERK",
        "PASSPORT_COUNTER_REGISTER",
        "PASSPORT_COUNTER_PRINTER",
        "PASSPORT_COUNTER_KEY_FILE",
        "CUPS_SERVER",
    ] {
        c.env_remove(var);
    }
    c.env("RUST_BACKTRACE", "0");
    c
}
