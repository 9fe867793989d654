//! The one way a supervisor-only command (`journal purge`, `print day`)
//! knows a supervisor runs it: `--clerk` names the account and the
//! password comes from standard input (one line; typed without echo when
//! standard input is a terminal), checked by the core's log-in
//! ([`Counter::supervisor_login`]), the same the window uses: at the
//! register when it answers, against the sealed verifier of the last
//! online log-in when it does not; a wrong password is recorded
//! (`login_failures` and the audit chain) and a burst of them makes the
//! account wait. A clerk's account is refused with the window's words.
//!
//! Never an argument or an environment variable: other accounts on the
//! machine can read those in the process list.
//!
//! Exit 2 for any refusal of who runs the command (no password, a wrong
//! one, a clerk's account, an account that must wait): the invocation
//! named the wrong person or secret, as `--clerk` naming an unknown
//! account is 2 for every other command. 6 when the register does not
//! answer and the account never logged in here with a password.

use crate::commands::{close_at_exit, fail, print_field_errors};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_counter_core::{CoreError, Counter, IpcError};
use passport_domain::Lang;
use passport_journal::JournalError;
use std::io::{BufRead, IsTerminal, Read, Write};

/// The longest password line read from standard input.
const MAX_PASSWORD_LINE: u64 = 1024;

/// Starts the core and logs the supervisor named by `--clerk` in with the
/// password from standard input. The core's supervisor-only functions
/// then find a supervisor who proved it; a script session never is one.
pub async fn counter(cfg: &Resolved, lang: Lang) -> Result<Counter, Exit> {
    let supervisor = cfg
        .clerk()
        .map_err(|e| fail(Exit::Config, &e.to_string()))?;
    let password = read_password(lang).map_err(|message| fail(Exit::InvalidInput, &message))?;
    let counter = Counter::start(cfg.clone())
        .await
        .map_err(|e| refused(e, lang))?;
    close_at_exit(counter.journal().clone());
    counter
        .supervisor_login(&supervisor, &password)
        .await
        .map_err(|e| refused(e, lang))?;
    Ok(counter)
}

/// The password: one line of standard input, or typed at the terminal
/// without echo.
fn read_password(lang: Lang) -> Result<String, String> {
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        read_at_terminal(lang)?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .take(MAX_PASSWORD_LINE)
            .read_line(&mut line)
            .map_err(|e| {
                format!("cannot read the supervisor's password from standard input: {e}")
            })?;
        line
    };
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(match lang {
            Lang::Pl => "To wymaga uprawnień kierownika: podaj hasło kierownika na standardowym wejściu (jeden wiersz). Nic nie zostało zmienione.".into(),
            Lang::En => "This needs a supervisor: give the supervisor's password on standard input (one line). Nothing was changed.".into(),
        });
    }
    Ok(password)
}

/// Prompts on standard error and reads one line with the terminal's echo
/// off (`stty -echo`), restoring it afterwards. A terminal whose echo
/// cannot be turned off is refused rather than showing the password.
fn read_at_terminal(lang: Lang) -> Result<String, String> {
    let prompt = match lang {
        Lang::Pl => "Hasło kierownika: ",
        Lang::En => "Supervisor's password: ",
    };
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let stty = |arg: &str| {
        std::process::Command::new("stty")
            .arg(arg)
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !stty("-echo") {
        eprintln!();
        return Err(
            "cannot turn the terminal's echo off (stty): pipe the password on standard input instead"
                .into(),
        );
    }
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .take(MAX_PASSWORD_LINE)
        .read_line(&mut line);
    stty("echo");
    eprintln!();
    read.map_err(|e| format!("cannot read the supervisor's password: {e}"))?;
    Ok(line)
}

/// The core's refusal in the chosen language (the window's words), and
/// the exit code (see the module).
pub fn refused(e: CoreError, lang: Lang) -> Exit {
    let code = match &e {
        CoreError::Journal(
            JournalError::Key(_)
            | JournalError::KeyRejected { .. }
            | JournalError::KeyNeeded { .. },
        ) => Exit::Key,
        CoreError::Journal(JournalError::Invalid(_)) => Exit::InvalidInput,
        CoreError::Journal(_) => Exit::Storage,
        CoreError::Config(_) => Exit::Config,
        CoreError::NeverOnline => Exit::Offline,
        _ => Exit::InvalidInput,
    };
    let ipc = IpcError::from(e);
    eprintln!("error: {} [{}]", ipc.message.get(lang), ipc.code);
    print_field_errors(&ipc.fields, lang);
    code
}

/// Each "temporarily impossible" finger exception of `draft` confirmed by
/// the supervisor it names, with that supervisor's password from standard
/// input (one line, as for the supervisor-only commands), through the
/// core's confirmation: the same check, audit and seal as the window's
/// exception dialog. One supervisor confirms all of an application's
/// exceptions: one password line. Nothing to confirm reads nothing.
pub async fn confirm_finger_exceptions(
    cfg: &Resolved,
    clerk: &str,
    pesel: &str,
    draft: &mut passport_domain::biometrics::BiometricsDraft,
    lang: Lang,
) -> Result<(), Exit> {
    use passport_domain::biometrics::FingerExceptionKind;
    let named: Vec<String> = draft
        .finger_exceptions
        .iter()
        .filter(|x| x.reason == FingerExceptionKind::TemporarilyImpossible)
        .filter_map(|x| x.supervisor.as_deref().map(str::trim))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let Some(supervisor) = named.first() else {
        return Ok(());
    };
    if named.iter().any(|s| s != supervisor) {
        return Err(fail(
            Exit::InvalidInput,
            match lang {
                Lang::Pl => {
                    "Wszystkie czasowe niemożności pobrania odcisku w jednym wniosku potwierdza jeden kierownik (jedno hasło na standardowym wejściu). Nic nie zostało zapisane."
                }
                Lang::En => {
                    "One supervisor confirms every temporarily impossible finger of one application (one password on standard input). Nothing was saved."
                }
            },
        ));
    }
    let password = read_password(lang).map_err(|message| fail(Exit::InvalidInput, &message))?;
    let counter = Counter::start(cfg.clone())
        .await
        .map_err(|e| refused(e, lang))?;
    let confirmed = confirm_with(&counter, clerk, supervisor, &password, pesel, draft).await;
    counter.shutdown().await;
    confirmed.map_err(|e| refused(e, lang))
}

async fn confirm_with(
    counter: &Counter,
    clerk: &str,
    supervisor: &str,
    password: &str,
    pesel: &str,
    draft: &mut passport_domain::biometrics::BiometricsDraft,
) -> Result<(), CoreError> {
    use passport_counter_core::confirmations::FingerExceptionConfirm;
    use passport_domain::biometrics::FingerExceptionKind;
    counter.script_session(clerk).await?;
    for x in draft.finger_exceptions.iter_mut().filter(|x| {
        x.reason == FingerExceptionKind::TemporarilyImpossible && x.supervisor.is_some()
    }) {
        let c = counter
            .confirm_finger_exception(&FingerExceptionConfirm {
                position: x.position,
                supervisor: supervisor.to_owned(),
                password: password.to_owned(),
                pesel: pesel.to_owned(),
            })
            .await?;
        x.confirmation = Some(c);
    }
    Ok(())
}
