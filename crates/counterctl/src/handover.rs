//! `counterctl handover` and `counterctl document invalidate`: office IT's
//! and scripts' way to the same core functions the app calls — the same
//! session rules, policy, chip check and validation, one door into the
//! journal.

use crate::cli::{CollectorRole, HandoverArgs};
use crate::commands::{fail, print_field_errors, print_json};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_counter_core::{
    Collector, CoreError, Counter, HandoverOutcome, HandoverRequest, IpcError,
};
use passport_domain::{InvalidationReason, Lang};
use serde_json::json;

/// Starts the core for the configured workstation with a script session
/// for `--clerk`, and pulls the ready list when the register answers.
async fn counter(cfg: &Resolved, lang: Lang) -> Result<Counter, Exit> {
    let clerk = cfg
        .clerk()
        .map_err(|e| fail(Exit::Config, &e.to_string()))?;
    let counter = Counter::start(cfg.clone())
        .await
        .map_err(|e| refused(e, lang))?;
    crate::commands::close_at_exit(counter.journal().clone());
    counter
        .script_session(&clerk)
        .await
        .map_err(|e| refused(e, lang))?;
    if counter.session().is_some_and(|s| s.verified_online) {
        // Best effort: offline, the cached list decides (and the policy
        // says whether an offline hand-over may use it).
        let _ = counter.engine().pull_ready_list().await;
    }
    Ok(counter)
}

/// Prints the core's refusal in the clerk's language, with its fields,
/// and picks the exit code.
fn refused(e: CoreError, lang: Lang) -> Exit {
    let code = match &e {
        // The journal refusing an action (its rules, an unknown document)
        // is the input's fault; anything else about the journal is storage.
        CoreError::Journal(
            passport_journal::JournalError::Invalid(_)
            | passport_journal::JournalError::NotFound(_),
        ) => Exit::InvalidInput,
        CoreError::Journal(
            passport_journal::JournalError::Key(_)
            | passport_journal::JournalError::KeyRejected { .. }
            | passport_journal::JournalError::KeyNeeded { .. },
        ) => Exit::Key,
        CoreError::Journal(_) => Exit::Storage,
        CoreError::Config(_) => Exit::Config,
        CoreError::ChipCheckFailed { .. } | CoreError::Card(_) | CoreError::TrustStore(_) => {
            Exit::Card
        }
        _ => Exit::InvalidInput,
    };
    let ipc = IpcError::from(e);
    eprintln!("error: {} [{}]", ipc.message.get(lang), ipc.code);
    print_field_errors(&ipc.fields, lang);
    code
}

pub async fn handover(cfg: &Resolved, args: &HandoverArgs, lang: Lang) -> Exit {
    let counter = match counter(cfg, lang).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let person = || {
        (
            args.collector_pesel.clone().unwrap_or_default(),
            args.collector_surname.clone().unwrap_or_default(),
            args.collector_given_names.clone().unwrap_or_default(),
        )
    };
    // clap requires the three collector fields for a parent or guardian;
    // an empty one is then refused by the core at its field.
    let collector = match args.collector {
        CollectorRole::Holder => Collector::Holder,
        CollectorRole::Parent => {
            let (pesel, surname, given_names) = person();
            Collector::Parent {
                pesel,
                surname,
                given_names,
            }
        }
        CollectorRole::LegalGuardian => {
            let (pesel, surname, given_names) = person();
            Collector::LegalGuardian {
                pesel,
                surname,
                given_names,
                court_ruling: args.court_ruling.clone(),
            }
        }
    };
    if args.check_chip {
        match counter
            .check_chip(&args.document, args.reader.clone())
            .await
        {
            Ok(view) if view.passed => {}
            Ok(view) => {
                eprintln!("error: {}", view.verdict.get(lang));
                counter.shutdown().await;
                return Exit::Card;
            }
            Err(e) => {
                counter.shutdown().await;
                return refused(e, lang);
            }
        }
    }
    let req = HandoverRequest {
        document_number: args.document.clone(),
        collector,
        identity_document: args.identity_document.clone(),
        previous_passport: args.previous_passport.clone(),
    };
    let result = counter.record_handover(&req).await;
    counter.shutdown().await;
    match result {
        Ok(saved) => {
            let refusal = match &saved.outcome {
                HandoverOutcome::Refused { refusal } => Some(refusal),
                _ => None,
            };
            if args.json.json {
                print_json(&json!({
                    "saved": true,
                    "document_number": saved.document_number,
                    "journal_id": saved.journal_id,
                    "provisional": saved.provisional,
                    "outcome": outcome_word(&saved.outcome),
                    "refusal": refusal.map(|r| json!({
                        "code": r.code.map(|c| c.as_str()),
                        "conflict": r.conflict,
                        "what": r.what.get(lang),
                        "todo": r.todo.get(lang),
                        "register": r.register_text,
                    })),
                }));
            } else {
                let (word, state) = match (lang, &saved.outcome) {
                    (Lang::Pl, HandoverOutcome::Issued) => (
                        "Zapisano wydanie",
                        "przyjęte przez rejestr: dokument wydany",
                    ),
                    (Lang::Pl, HandoverOutcome::Refused { .. }) => {
                        ("Zapisano wydanie", "REJESTR ODMÓWIŁ")
                    }
                    (Lang::Pl, HandoverOutcome::Queued) => (
                        "Zapisano wydanie",
                        "warunkowo: rejestr niedostępny, zostanie wysłane później",
                    ),
                    (Lang::Pl, HandoverOutcome::Waiting) => (
                        "Zapisano wydanie",
                        "wysyłanie do rejestru trwa; stan pokaże `counterctl status`",
                    ),
                    (Lang::En, HandoverOutcome::Issued) => {
                        ("Hand-over saved", "accepted by the register: issued")
                    }
                    (Lang::En, HandoverOutcome::Refused { .. }) => {
                        ("Hand-over saved", "THE REGISTER REFUSED IT")
                    }
                    (Lang::En, HandoverOutcome::Queued) => (
                        "Hand-over saved",
                        "provisional: the register is unreachable; it is sent later",
                    ),
                    (Lang::En, HandoverOutcome::Waiting) => (
                        "Hand-over saved",
                        "still being sent to the register; `counterctl status` shows it",
                    ),
                };
                println!("{word}: {} ({state})", saved.document_number);
                if let Some(r) = refusal {
                    println!("{} {}", r.what.get(lang), r.todo.get(lang));
                }
            }
            if refusal.is_some() {
                Exit::CheckFailed
            } else {
                Exit::Ok
            }
        }
        Err(e) => refused(e, lang),
    }
}

/// The outcome as scripts read it in `--json`.
fn outcome_word(o: &HandoverOutcome) -> &'static str {
    match o {
        HandoverOutcome::Issued => "issued",
        HandoverOutcome::Refused { .. } => "refused",
        HandoverOutcome::Queued => "queued",
        HandoverOutcome::Waiting => "waiting",
    }
}

pub async fn invalidate(
    cfg: &Resolved,
    document: &str,
    reason: InvalidationReason,
    as_json: bool,
    lang: Lang,
) -> Exit {
    let counter = match counter(cfg, lang).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let result = counter.invalidate_document(document, reason).await;
    counter.shutdown().await;
    match result {
        Ok(saved) => {
            if as_json {
                print_json(&json!({
                    "saved": true,
                    "document_number": saved.document_number,
                    "reason": reason.as_str(),
                    "journal_id": saved.journal_id,
                }));
            } else {
                let word = match lang {
                    Lang::Pl => "Zapisano unieważnienie",
                    Lang::En => "Invalidation saved",
                };
                println!("{word}: {} ({})", saved.document_number, reason.label_pl());
            }
            Exit::Ok
        }
        Err(e) => refused(e, lang),
    }
}
