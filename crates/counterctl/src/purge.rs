//! `counterctl journal purge`: retention run by office IT for a
//! supervisor, through the same core function the end of the supervisor's
//! day calls (`Counter::purge_personal_data`): the core checks that a
//! supervisor logged in with their password (read from standard input,
//! `supervisor.rs`), never this command.

use crate::commands::{print_field_errors, print_json};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_counter_core::{CoreError, IpcError};
use passport_domain::Lang;
use passport_journal::{JournalError, PurgeReport};

pub async fn purge(cfg: &Resolved, dry_run: bool, json: bool, lang: Lang) -> Exit {
    // The supervisor's password from standard input, checked as the
    // window's log-in checks it (`supervisor.rs`).
    let counter = match crate::supervisor::counter(cfg, lang).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let report = match counter.purge_personal_data(dry_run).await {
        Ok(r) => r,
        Err(e) => return refused(e, lang),
    };
    if json {
        print_json(&serde_json::json!({
            "dry_run": report.dry_run,
            "retention_days": cfg.retention.days,
            "cutoff": report.cutoff,
            "entries": report.entries,
            "kinds": report.kinds,
            "oldest": report.oldest,
            "newest": report.newest,
            "drafts": report.drafts,
            "photos": report.photos,
            "kept_waiting": report.kept_waiting,
            "kept_tampered": report.kept_tampered,
        }));
    } else {
        print_text(&report, cfg.retention.days, lang);
    }
    Exit::Ok
}

fn print_text(r: &PurgeReport, days: u32, lang: Lang) {
    let pl = lang == Lang::Pl;
    let w = passport_counter_core::words::words().ok();
    let head = match (r.dry_run, pl) {
        (true, true) => "Próba (nic nie usunięto): do usunięcia byłyby",
        (true, false) => "Dry run (nothing removed): would be purged",
        (false, true) => "Usunięto dane osobowe",
        (false, false) => "Personal data purged",
    };
    if pl {
        println!(
            "{head}: {} (potwierdzone przez rejestr przed {}, okres przechowywania {})",
            r.entries,
            r.cutoff,
            passport_counter_core::retention::days_pl(days)
        );
    } else {
        println!(
            "{head}: {} (acknowledged by the register before {}, retention {days} days)",
            r.entries, r.cutoff
        );
    }
    for k in &r.kinds {
        let name = w.map_or_else(
            || k.kind.clone(),
            |w| {
                let word = w.entry_kind_text(&k.kind);
                if pl { word.pl.clone() } else { word.en.clone() }
            },
        );
        println!("  {name}: {}", k.count);
    }
    if let (Some(o), Some(n)) = (&r.oldest, &r.newest) {
        let label = if pl { "operacje z" } else { "actions from" };
        println!("  {label}: {o} – {n}");
    }
    let lines: [(&str, &str, u64); 4] = [
        ("szkice formularzy", "form drafts", r.drafts),
        ("zdjęcia", "photos", r.photos),
        (
            "zatrzymane: czeka na nie inna operacja lub odbiór paszportu",
            "kept: another action or a collection waits on them",
            r.kept_waiting,
        ),
        (
            "zatrzymane: wpis zmieniony poza programem (counterctl audit verify)",
            "kept: entry changed outside the program (counterctl audit verify)",
            r.kept_tampered,
        ),
    ];
    for (l_pl, l_en, n) in lines {
        println!("  {}: {n}", if pl { l_pl } else { l_en });
    }
}

/// The core's refusal in the chosen language, and the exit code: a
/// `--clerk` who is not a supervisor is 2 (the input), a journal that
/// cannot be used 4, a lost key 9.
fn refused(e: CoreError, lang: Lang) -> Exit {
    let code = match &e {
        CoreError::Journal(
            JournalError::Key(_)
            | JournalError::KeyRejected { .. }
            | JournalError::KeyNeeded { .. },
        ) => Exit::Key,
        CoreError::Journal(JournalError::Invalid(_)) => Exit::InvalidInput,
        CoreError::Journal(_) => Exit::Storage,
        CoreError::Config(_) => Exit::Config,
        _ => Exit::InvalidInput,
    };
    let ipc = IpcError::from(e);
    eprintln!("error: {} [{}]", ipc.message.get(lang), ipc.code);
    print_field_errors(&ipc.fields, lang);
    code
}
