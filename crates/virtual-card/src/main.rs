//! `virtual-card`: the project's own virtual smart cards, inserted into a
//! vsmartcard `vpcd` reader of a running pcscd. Tests and benchmarks start
//! it, wait for "inserted" on stdout, and stop it by pid (the card leaves
//! the reader when the process ends).
//!
//! ```text
//! virtual-card pki --out target/pki
//! virtual-card passport --pki target/pki --mrz "$(cat mrz.txt)" [--variant tampered-dg1]
//! virtual-card clerk --card-id CLK-0001 --pin 1234
//! ```

use virtual_card::{clerk, face, passport, pki};

use clap::{Parser, Subcommand};
use passport_cards::vpcd::{self, Card, Inserted};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Virtual smart cards (eMRTD passport, clerk card) for a vpcd reader"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Generates a test PKI: DIR/trust/csca.pem (give DIR/trust to
    /// `counterctl card verify --csca`) and DIR/private/ for the passport.
    Pki {
        #[arg(long)]
        out: PathBuf,
    },
    /// Inserts a virtual passport and serves it until killed.
    Passport {
        /// The test PKI written by `virtual-card pki`.
        #[arg(long)]
        pki: PathBuf,
        /// Both MRZ lines (88 characters, no newline), as the register's
        /// ready list has them.
        #[arg(long)]
        mrz: String,
        /// Make it wrong on purpose.
        #[arg(long, value_enum, default_value = "valid")]
        variant: passport::Variant,
        /// Answer at most this many bytes per READ BINARY (EF.ATR/INFO);
        /// 0 = short APDUs only, as older chips.
        #[arg(long, default_value_t = 4096)]
        max_response: u16,
        /// Leave the reader after this many APDUs (lifted mid-read).
        #[arg(long)]
        remove_after: Option<u32>,
        #[command(flatten)]
        reader: ReaderArgs,
    },
    /// Inserts a virtual clerk card (PIN, retry counter, card identifier).
    Clerk {
        #[arg(long)]
        card_id: String,
        #[arg(long)]
        pin: String,
        /// Tries left before the card blocks.
        #[arg(long, default_value_t = 3)]
        tries: u8,
        #[command(flatten)]
        reader: ReaderArgs,
    },
}

#[derive(Debug, clap::Args)]
struct ReaderArgs {
    /// The vpcd reader's port on 127.0.0.1 (35963 = "Virtual PCD 00 00",
    /// 35964 = "Virtual PCD 00 01").
    #[arg(long, default_value_t = vpcd::PORT_0)]
    port: u16,
    /// How long to wait for pcscd's vpcd port.
    #[arg(long, default_value_t = 10)]
    wait_secs: u64,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Cmd::Pki { out } => {
            pki::write(&out)?;
            println!("{}", out.join("trust").display());
            Ok(())
        }
        Cmd::Passport {
            pki: dir,
            mrz,
            variant,
            max_response,
            remove_after,
            reader,
        } => {
            let (jpeg, width, height) = face::jpeg(0x5eed)?;
            let person = passport::Personalisation {
                mrz,
                jpeg,
                width,
                height,
                max_response: (max_response > 256).then_some(max_response),
            };
            let card = passport::Passport::new(&person, &pki::load(&dir)?, variant, remove_after)?;
            serve(card, &reader)
        }
        Cmd::Clerk {
            card_id,
            pin,
            tries,
            reader,
        } => serve(clerk::ClerkCard::new(card_id, pin, tries)?, &reader),
    }
}

/// Inserts `card` (retrying until the reader listens) and stays until the
/// card removes itself or the process is killed.
fn serve(card: impl Card, reader: &ReaderArgs) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(reader.wait_secs);
    let stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", reader.port)) {
            Ok(stream) => break stream,
            Err(e) if Instant::now() >= deadline => {
                anyhow::bail!(
                    "no vpcd reader on 127.0.0.1:{} ({e}): is pcscd running?",
                    reader.port
                )
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let inserted = Inserted::attach(stream, card)?;
    println!("inserted");
    std::io::stdout().flush()?;
    while inserted.is_inserted() {
        std::thread::sleep(Duration::from_millis(50));
    }
    // Whoever started it may have stopped reading.
    let _ = writeln!(std::io::stdout(), "removed");
    Ok(())
}
