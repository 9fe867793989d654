//! Exit codes, the contract scripts rely on. Listed in `counterctl --help`.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done; every check passed.
    Ok,
    /// 1: a check failed (invalid PESEL or MRZ, journal inconsistent, a
    /// hand-over the register refused).
    CheckFailed,
    /// 2: the input is invalid (bad flags, a file that is not an application).
    InvalidInput,
    /// 3: the card service (pcscd) is not running, or the card cannot be read.
    Card,
    /// 4: the data directory or the journal database could not be used.
    Storage,
    /// 5: the configuration is missing or invalid.
    Config,
    /// 6: the register is unreachable; queued actions stay queued.
    Offline,
    /// 7: the document could not be printed (no printing system, printer refused).
    Printing,
    /// 8: a hash chain (the journal's or the audit log's) is broken: a row
    /// was edited, removed, inserted or moved (verify), or the register
    /// refused the workstation's history as rewritten (sync).
    ChainBroken,
    /// 9: the journal's key is missing, unreadable or does not open the
    /// journal (restore it with `counterctl key recover --code …`).
    Key,
    /// 70: anything else (a bug: please report it with the message).
    Failure,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(match e {
            Exit::Ok => 0,
            Exit::CheckFailed => 1,
            Exit::InvalidInput => 2,
            Exit::Card => 3,
            Exit::Storage => 4,
            Exit::Config => 5,
            Exit::Offline => 6,
            Exit::Printing => 7,
            Exit::ChainBroken => 8,
            Exit::Key => 9,
            Exit::Failure => 70,
        })
    }
}

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0   success; every check passed
  1   a check failed (invalid PESEL or MRZ, inconsistent journal, a hand-over the register refused)
  2   invalid input (bad arguments, an application with field errors; a supervisor-only command
      without the supervisor's password on standard input, a wrong one, or a clerk's account)
  3   the card service (pcscd) is not running, or the card cannot be read;
      biometrics: no fingerprint device found, or it is busy, unplugged or silent
  4   the data directory or journal database cannot be used
  5   the configuration is missing or invalid
  6   the register is unreachable (sync: actions stay queued, nothing is lost)
  7   the document could not be printed (nothing changed; print it again)
  8   a hash chain is broken: journal/audit verify found a row edited, removed, inserted or moved,
      or sync: the register refused this workstation's history as rewritten (chain_fork)
  9   the journal key is missing or does not open the journal (counterctl key recover --code …)
  70  internal error (please report it with the message)";
