//! `counterctl key`: the journal key's recovery code, printed once, and
//! recovery with it on a new or reinstalled machine.

use crate::cli::KeyCmd;
use crate::commands::{core_failure, fail};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_counter_core::keys;
use passport_journal::{JournalError, KeyError, RecoveryCode};

pub async fn run(cfg: &Resolved, cmd: KeyCmd) -> Exit {
    match cmd {
        KeyCmd::RecoveryCode => recovery_code(cfg),
        KeyCmd::Recover { code } => recover(cfg, &code).await,
    }
}

fn recovery_code(cfg: &Resolved) -> Exit {
    let file = match keys::key_file(cfg) {
        Ok(f) => f,
        Err(e) => return core_failure(&e),
    };
    // A key is created at the first start; on a machine where nothing ran
    // yet this creates it now, so the code can be printed before the app's
    // first start.
    if !file.exists()
        && let Err(e) = keys::journal_key(cfg)
    {
        return core_failure(&e);
    }
    match file.take_recovery_code() {
        Ok(code) => {
            println!("Kod odzyskiwania klucza dziennika / Journal key recovery code:");
            println!();
            println!("    {code}");
            println!();
            println!(
                "Zapisz go i przechowaj u kierownika; nie zostanie pokazany ponownie.\n\
                 Write it down and give it to the supervisor; it will not be shown again.\n\
                 Odzyskanie / recovery: counterctl key recover --code {code}"
            );
            Exit::Ok
        }
        Err(e) => fail(Exit::Key, &e.to_string()),
    }
}

async fn recover(cfg: &Resolved, code: &str) -> Exit {
    let code = match RecoveryCode::parse(code) {
        Ok(c) => c,
        Err(e) => return fail(Exit::InvalidInput, &e.to_string()),
    };
    match keys::recover(cfg, &code).await {
        Ok(()) => {
            println!(
                "Klucz dziennika odtworzony / journal key restored: {}",
                cfg.key_file().display()
            );
            Exit::Ok
        }
        Err(passport_counter_core::error::CoreError::Journal(JournalError::Key(
            e @ KeyError::Io { .. },
        ))) => fail(Exit::Storage, &e.to_string()),
        Err(e) => core_failure(&e),
    }
}
