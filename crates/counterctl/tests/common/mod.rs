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

/// An adult's biometrics as the window hands them to the core (both
/// index fingers, the domain's synthetic captures, and a signature drawn
/// on the pad, its strokes with the image the core draws from them): the
/// core saves no adult's passport without them, and refuses the domain's
/// sample signature, an image alone, from anyone but `counterctl`.
#[allow(dead_code)] // not every test file submits through the core
pub fn adult_biometrics_from_window() -> passport_domain::biometrics::BiometricsDraft {
    use passport_counter_core::signature::{PAD_HEIGHT, PAD_WIDTH, render};
    use passport_domain::biometrics::{SignatureDraft, SignedDraft, StrokePoint, samples};
    // One wavy stroke across most of the pad, sampled at 60 Hz.
    let stroke: Vec<StrokePoint> = (0..200u16)
        .map(|i| StrokePoint {
            x: 100 + i * 4,
            y: 150 + (i % 40),
            t_ms: u32::from(i) * 16,
        })
        .collect();
    let png_base64 = render(
        PAD_WIDTH,
        PAD_HEIGHT,
        std::slice::from_ref(&stroke),
        "biometrics.signature",
    )
    .unwrap();
    passport_domain::biometrics::BiometricsDraft {
        signature: Some(SignatureDraft::Signed(SignedDraft {
            width: PAD_WIDTH,
            height: PAD_HEIGHT,
            strokes: vec![stroke],
            png_base64,
        })),
        ..samples::adult_draft()
    }
}

/// Runs `cmd` with `line` (when given) as the one line of its standard
/// input (a supervisor's password); none leaves standard input empty.
#[allow(dead_code)] // not every test file reads a password
pub fn output_with_line(mut cmd: Command, line: Option<&str>) -> std::process::Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if let Some(l) = line {
        writeln!(stdin, "{l}").unwrap();
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}
