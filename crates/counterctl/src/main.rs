//! `counterctl`: the passport counter's command-line tool for office IT.
//!
//! It drives the same domain rules and journal as the desktop app, with no
//! window: check a PESEL or an MRZ, submit an application from a JSON file,
//! list and show applications, export and verify the journal, and report the
//! counter's status. `--help` on any command is its manual.

mod audit;
mod biometrics;
mod card;
mod cli;
mod commands;
mod enrol;
mod exit;
mod handover;
mod key;
mod logs;
mod purge;
mod register;
mod submit_biometrics;
mod supervisor;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return exit::Exit::Failure.into();
        }
    };
    let code = runtime.block_on(async {
        let code = commands::run(cli).await;
        // Before the process exits: see `commands::OPENED`.
        commands::close_journals().await;
        code
    });
    code.into()
}
