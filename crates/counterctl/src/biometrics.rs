//! `counterctl biometrics devices` and `biometrics capture`: fingerprint
//! scanners (MOSIP MDS on 127.0.0.1) from the command line, for office IT
//! checking a scanner, as `card readers` does for card readers. Both go
//! through the core's own functions, the ones the app calls.

use crate::commands::{fail, print_json};
use crate::exit::Exit;
use clap::Subcommand;
use passport_counter_core::biometrics::{
    self, BiometricDevices, BiometricState, BiometricsError, FingerCaptureView,
};
use passport_counter_core::config::Resolved;
use passport_domain::Lang;
use passport_domain::biometrics::FingerPosition;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum BiometricsCmd {
    /// List the fingerprint devices on the MDS port range and their state (exit 3: none)
    #[command(
        long_about = "Asks every port of [biometrics] first_port..last_port on 127.0.0.1 (MOSIP MDS:\n\
                      MOSIPDISC, then the signed MOSIPDINFO verified against [biometrics] trust_store)\n\
                      and lists each device found with its state: ready, busy, not_ready, or untrusted\n\
                      (it answers, but its signature does not verify: its captures would be refused).\n\n\
                      Exit 0: at least one device. 3: none found. 5: configuration (trust store).",
        after_help = "Example:\n  counterctl biometrics devices\n  counterctl biometrics devices --json"
    )]
    Devices {
        /// Print one JSON object instead of text
        #[arg(long)]
        json: bool,
    },
    /// Capture one finger once and print its quality
    #[command(
        long_about = "Sends RCAPTURE for one finger to the first ready device (or the one on --port),\n\
                      verifies the signed answer against [biometrics] trust_store, checks the image, and\n\
                      prints the quality against [biometrics] quality_threshold. The image is biometric\n\
                      data: it is written only with -o, readable by this account only.\n\n\
                      Exit 0: captured at or above the threshold. 1: captured below it, or the device's\n\
                      signature or answer was refused. 2: an unknown finger name. 3: no device, or it is\n\
                      busy, unplugged or silent. 4: the file could not be written. 5: configuration.",
        after_help = "Example:\n  counterctl biometrics capture --finger \"Left IndexFinger\"\n  \
                      counterctl biometrics capture --finger \"Right IndexFinger\" -o right.png --json"
    )]
    Capture {
        /// The finger, by MOSIP's name: "Left IndexFinger", "Right Thumb", "Left MiddleFinger", …
        #[arg(long, value_parser = parse_finger)]
        finger: FingerPosition,
        /// The device's port (otherwise the first ready device on the range)
        #[arg(long)]
        port: Option<u16>,
        /// Write the finger image (PNG) to this file
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Print one JSON object instead of text
        #[arg(long)]
        json: bool,
    },
}

fn parse_finger(s: &str) -> Result<FingerPosition, String> {
    FingerPosition::from_mosip_name(s.trim()).ok_or_else(|| {
        let all: Vec<&str> = FingerPosition::ALL.iter().map(|p| p.mosip_name()).collect();
        format!("one of: {}", all.join(", "))
    })
}

pub async fn run(cfg: &Resolved, cmd: BiometricsCmd, lang: Lang) -> Exit {
    match cmd {
        BiometricsCmd::Devices { json } => devices(cfg, json, lang).await,
        BiometricsCmd::Capture {
            finger,
            port,
            output,
            json,
        } => capture(cfg, finger, port, output, json, lang).await,
    }
}

fn state_word(s: BiometricState, lang: Lang) -> String {
    passport_counter_core::words::words()
        .ok()
        .and_then(|w| w.biometric_state(s))
        .map(|w| w.get(lang).to_owned())
        .unwrap_or_else(|| format!("{s:?}"))
}

fn error_exit(e: &BiometricsError, lang: Lang) -> Exit {
    let ipc = e.ipc();
    let code = match e {
        BiometricsError::TrustStore(_) | BiometricsError::Settings => Exit::Config,
        BiometricsError::NoDevice { .. } => Exit::Card,
        // --port outside [biometrics]' range: the command line's mistake.
        BiometricsError::PortOutsideRange { .. } => Exit::InvalidInput,
        BiometricsError::Device(d) => match d {
            passport_biometrics::MdsError::Unreachable { .. }
            | passport_biometrics::MdsError::Disconnected { .. }
            | passport_biometrics::MdsError::TimedOut { .. }
            | passport_biometrics::MdsError::Busy
            | passport_biometrics::MdsError::NotReady => Exit::Card,
            _ => Exit::CheckFailed,
        },
    };
    fail(code, &format!("{} ({e})", ipc.message.get(lang)))
}

async fn devices(cfg: &Resolved, as_json: bool, lang: Lang) -> Exit {
    let found: BiometricDevices = match biometrics::biometric_devices(cfg).await {
        Ok(d) => d,
        Err(e) => return error_exit(&e, lang),
    };
    if as_json {
        print_json(&serde_json::to_value(&found).unwrap_or_default());
    } else if found.devices.is_empty() {
        let (first, last) = (found.first_port, found.last_port);
        match lang {
            Lang::Pl => println!("Brak czytników linii papilarnych na 127.0.0.1:{first}–{last}"),
            Lang::En => println!("No fingerprint devices on 127.0.0.1:{first}–{last}"),
        }
    } else {
        for d in &found.devices {
            let serial = match lang {
                Lang::Pl => "nr seryjny",
                Lang::En => "serial",
            };
            println!(
                "127.0.0.1:{}  {} {} ({serial} {}, MDS {}): {}",
                d.port,
                d.make,
                d.model,
                d.serial,
                d.spec_version,
                state_word(d.state, lang)
            );
        }
    }
    if found.devices.is_empty() {
        Exit::Card
    } else {
        Exit::Ok
    }
}

async fn capture(
    cfg: &Resolved,
    finger: FingerPosition,
    port: Option<u16>,
    output: Option<PathBuf>,
    as_json: bool,
    lang: Lang,
) -> Exit {
    let view: FingerCaptureView = match biometrics::capture_finger(cfg, finger, port).await {
        Ok(v) => v,
        Err(e) => return error_exit(&e, lang),
    };
    if let Some(path) = &output {
        use base64::Engine;
        let bytes = match base64::engine::general_purpose::STANDARD.decode(&view.capture.png_base64)
        {
            Ok(b) => b,
            Err(e) => return fail(Exit::Failure, &format!("the capture's image: {e}")),
        };
        // A finger image is biometric data: owner-only, as the counter's own files.
        if let Err(e) = passport_counter_core::files::owner_only_file()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes))
        {
            return fail(Exit::Storage, &format!("{}: {e}", path.display()));
        }
    }
    if as_json {
        print_json(&serde_json::json!({
            "finger": view.capture.position,
            "quality": view.capture.quality,
            "threshold": view.threshold,
            "meets_threshold": view.meets_threshold,
            "width": view.width,
            "height": view.height,
            "device_serial": view.device_serial,
            "port": view.port,
            "output": output.as_ref().map(|p| p.display().to_string()),
        }));
    } else {
        let (pl, en) = finger.words();
        let (q, t) = (view.capture.quality, view.threshold);
        match (lang, view.meets_threshold) {
            (Lang::Pl, true) => println!("{pl}: jakość {q} (próg {t}) — dobra"),
            (Lang::Pl, false) => {
                println!("{pl}: jakość {q} (próg {t}) — za niska: pobierz ponownie")
            }
            (Lang::En, true) => println!("{en}: quality {q} (threshold {t}) — good"),
            (Lang::En, false) => {
                println!("{en}: quality {q} (threshold {t}) — too low: take it again")
            }
        }
        println!(
            "device {} on 127.0.0.1:{}, image {}×{}{}",
            view.device_serial,
            view.port,
            view.width,
            view.height,
            output
                .as_ref()
                .map(|p| format!(", written to {}", p.display()))
                .unwrap_or_default()
        );
    }
    if view.meets_threshold {
        Exit::Ok
    } else {
        Exit::CheckFailed
    }
}
