//! What the counterctl test files share.

use std::path::Path;
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

/// The biometrics flags of an adult's `application submit` (both index
/// fingers and a signature), their sample PNGs written into `dir`: an
/// adult's passport is refused without fingerprints.
#[allow(dead_code)] // not every test file submits
pub fn adult_biometrics(dir: &Path) -> Vec<String> {
    use passport_domain::biometrics::samples;
    let write = |name: &str, bytes: Vec<u8>| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    };
    let left = write("left-index.png", samples::finger_png(1));
    let right = write("right-index.png", samples::finger_png(2));
    let signature = write("signature.png", samples::signature_png());
    vec![
        "--finger".into(),
        format!("Left IndexFinger={left}:80"),
        "--finger".into(),
        format!("Right IndexFinger={right}:75"),
        "--signature".into(),
        signature,
    ]
}
