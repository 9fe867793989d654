//! `mds-emulator`: a MOSIP biometric device (fingerprint, MDS / SBI) on
//! 127.0.0.1 for trying the counter without hardware.
//!
//! ```text
//! mds-emulator pki --out target/mds-pki
//! mds-emulator serve --pki target/mds-pki --port 4501 [--variant low-quality]
//! ```
//!
//! While it serves, lines on standard input switch it: a variant's name
//! (`good`, `low-quality`, `busy`, `unplugged-mid-capture`, `bad-signature`,
//! `slow`), `unplug` or `replug`.

use clap::{Parser, Subcommand, ValueEnum};
use mds_emulator::{Config, DevicePki, Emulator, SpecVersion, Variant};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::AsyncBufReadExt;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "A MOSIP biometric device (MDS) emulator on 127.0.0.1"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Writes a device provider CA and a device certificate: DIR/ca.pem is
    /// the counter's trust store ([biometrics] trust_store), the rest is
    /// the device's.
    #[command(after_help = "Example:\n  mds-emulator pki --out target/mds-pki")]
    Pki {
        #[arg(long)]
        out: PathBuf,
        /// The device's serial number (deviceCode).
        #[arg(long, default_value = "EMU-0000-0001")]
        serial: String,
    },
    /// Serves the device until interrupted; prints "listening on ADDR".
    #[command(
        after_help = "Example:\n  mds-emulator serve --pki target/mds-pki --port 4501 --variant good\n\nType a variant's name, `unplug` or `replug` on standard input to switch it."
    )]
    Serve {
        /// The PKI written by `mds-emulator pki`.
        #[arg(long)]
        pki: PathBuf,
        /// The port on 127.0.0.1 (MDS devices use 4501–4600); 0 picks a free one.
        #[arg(long, default_value_t = 4501)]
        port: u16,
        #[arg(long, value_enum, default_value = "good")]
        variant: Variant,
        #[arg(long, value_enum, default_value = "1.0")]
        spec_version: SpecVersion,
        /// How long the `slow` variant waits before each answer, in milliseconds.
        #[arg(long, default_value_t = 5000)]
        slow_ms: u64,
        #[arg(long, default_value = "EMU-0000-0001")]
        serial: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Pki { out, serial } => {
            DevicePki::generate(&serial)?.write(&out)?;
            println!("{}", out.join("ca.pem").display());
        }
        Cmd::Serve {
            pki,
            port,
            variant,
            spec_version,
            slow_ms,
            serial,
        } => {
            let config = Config {
                serial,
                spec_version,
                variant,
                slow: Duration::from_millis(slow_ms),
                ..Config::default()
            };
            let device = Emulator::bind(port, DevicePki::load(&pki)?, config).await?;
            println!("listening on {}", device.addr());
            let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
            loop {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => break,
                    line = lines.next_line() => match line? {
                        None => std::future::pending::<()>().await,
                        Some(l) => match l.trim() {
                            "unplug" => device.unplug(),
                            "replug" => device.replug().await?,
                            other => match Variant::from_str(other, true) {
                                Ok(v) => device.set_variant(v),
                                Err(e) => eprintln!("{e}"),
                            },
                        },
                    },
                }
                println!(
                    "variant {:?}, plugged {}",
                    device.variant(),
                    device.is_plugged()
                );
            }
        }
    }
    Ok(())
}
