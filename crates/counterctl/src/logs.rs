//! `counterctl logs`, and counterctl's own log: every command that reads
//! the configuration logs its start and exit code to
//! `logs/counterctl.log` in the data directory (stderr too with `-v`).

use crate::cli::{Command, LogsArgs};
use crate::commands::fail;
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_counter_core::logs::{self, LogError, Program};

/// Starts counterctl's log. A log that cannot be written is said only
/// with `-v`: a command run by another account (say, reading the status)
/// must not fail or chatter for it.
pub fn start(cfg: &Resolved, verbose: bool) {
    if let Err(e) = logs::init(&cfg.data_dir, &cfg.logs, Program::Counterctl, verbose)
        && verbose
    {
        eprintln!("warning: {e}");
    }
}

/// The command's name as logged: never its arguments, which may hold a
/// PESEL or a name (`handover --collector-pesel`).
pub fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Pesel(_) => "pesel",
        Command::Mrz(_) => "mrz",
        Command::Application(_) => "application",
        Command::Journal(_) => "journal",
        Command::Audit(_) => "audit",
        Command::Status(_) => "status",
        Command::Config(_) => "config",
        Command::Sync(_) => "sync",
        Command::Print(_) => "print",
        Command::Handover(_) => "handover",
        Command::Document(_) => "document",
        Command::Card(_) => "card",
        Command::Biometrics(_) => "biometrics",
        Command::RegisterSim(_) => "register-sim",
        Command::Logs(_) => "logs",
        Command::Key(_) => "key",
        Command::Enrol(_) => "enrol",
        Command::Register(_) => "register",
    }
}

fn exit_for(e: &LogError) -> Exit {
    match e {
        LogError::Duration(_) => Exit::InvalidInput,
        LogError::Io { .. } | LogError::Read(_) | LogError::AlreadyStarted => Exit::Storage,
    }
}

/// `counterctl logs [--since DURATION] [--export FILE]`.
pub fn show(cfg: &Resolved, args: &LogsArgs) -> Exit {
    let since = match args.since.as_deref().map(logs::parse_duration).transpose() {
        Ok(d) => d.and_then(|d| {
            chrono::Duration::from_std(d)
                .ok()
                .and_then(|d| chrono::Utc::now().checked_sub_signed(d))
        }),
        Err(e) => return fail(exit_for(&e), &e.to_string()),
    };
    let lines = match logs::read(&cfg.data_dir, since) {
        Ok(l) => l,
        Err(e) => return fail(exit_for(&e), &e.to_string()),
    };
    match &args.export {
        Some(path) => match logs::export(&lines, path) {
            Ok(()) => {
                println!("{} events written to {}", lines.len(), path.display());
                Exit::Ok
            }
            Err(e) => fail(exit_for(&e), &e.to_string()),
        },
        None => {
            for l in &lines {
                println!("{}", l.text);
            }
            Exit::Ok
        }
    }
}
