//! What each command does. Output goes to stdout, problems to stderr; the
//! exit code says which (see `exit.rs`).

use crate::cli::{
    ApplicationCmd, AuditCmd, CardCmd, Cli, Command, ConfigCmd, DocumentCmd, JournalCmd, MrzCmd,
    PeselCmd, PrintCmd, RegisterCmd,
};
use crate::exit::Exit;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::files;
use passport_domain::application::ApplicationRules;
use passport_domain::{ApplicationDraft, FieldError, Lang, Pesel, Sex, mrz, text};
use passport_journal::{Journal, JournalError, JournalOptions, Search};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// The largest application file `application submit` reads: a draft is a
/// few kilobytes.
const APPLICATION_FILE_MAX: u64 = 1024 * 1024;
/// The largest photo file read: the domain's limit, so nothing larger is
/// ever held in memory.
const PHOTO_FILE_MAX: u64 = passport_domain::photo::PHOTO_MAX_BYTES as u64;

/// Crash tests set this to hold each action's transaction open before its commit.
const CRASH_PAUSE_ENV: &str = "PASSPORT_COUNTER_CRASH_PAUSE_MS";

pub async fn run(cli: Cli) -> Exit {
    let lang: Lang = cli.global.lang.into();
    let overrides = Overrides {
        data_dir: cli.global.data_dir.clone(),
        office: cli.global.office.clone(),
        workstation: cli.global.workstation.clone(),
        clerk: cli.global.clerk.clone(),
        register: cli.global.register.clone(),
    };
    match cli.command {
        Command::Pesel(PeselCmd::Check { pesel, json }) => pesel_check(&pesel, json.json, lang),
        Command::Mrz(MrzCmd::Check { line1, line2, json }) => {
            mrz_check(&line1, &line2, json.json, lang)
        }
        Command::RegisterSim(args) => crate::register::register_sim(&args).await,
        Command::Card(CardCmd::Readers(j)) => card_readers(j.json),
        Command::Card(CardCmd::Clerk { pin, reader, json }) => {
            crate::card::clerk(pin.as_deref(), reader.as_deref(), json.json)
        }
        Command::Card(CardCmd::Verify(args)) => {
            let csca = match args.csca.clone() {
                Some(dir) => dir,
                None => match Resolved::load(&overrides) {
                    Ok(cfg) => cfg.csca_dir.value.clone().unwrap_or_default().into(),
                    Err(e) => return fail(Exit::Config, &format!("{e:#}")),
                },
            };
            crate::card::verify(&args, &csca, lang)
        }
        command => {
            let cfg = match Resolved::load(&overrides) {
                Ok(c) => c,
                Err(e) => return fail(Exit::Config, &format!("{e:#}")),
            };
            crate::logs::start(&cfg, cli.global.verbose);
            let name = crate::logs::command_name(&command);
            tracing::info!(
                command = name,
                office = cfg.office.value.as_deref().unwrap_or(""),
                workstation = cfg.workstation.value.as_deref().unwrap_or(""),
                demo = cfg.demo,
                data_dir = %cfg.data_dir.display(),
                "counterctl started"
            );
            let code = with_config(command, &cfg, lang).await;
            tracing::info!(command = name, exit = ?code, "counterctl finished");
            code
        }
    }
}

async fn with_config(command: Command, cfg: &Resolved, lang: Lang) -> Exit {
    match command {
        Command::Config(ConfigCmd::Show(j)) => config_show(cfg, j.json),
        Command::Application(ApplicationCmd::Submit {
            file,
            biometrics,
            json,
        }) => submit(cfg, &file, &biometrics, json.json, lang).await,
        Command::Application(ApplicationCmd::List {
            pesel,
            surname,
            limit,
            json,
        }) => {
            let search = match (pesel, surname) {
                (Some(p), _) => Search::Pesel(p),
                (None, Some(s)) => Search::SurnamePrefix(s),
                (None, None) => Search::Recent,
            };
            list(cfg, &search, limit, json.json).await
        }
        Command::Application(ApplicationCmd::Show { number, json }) => {
            show(cfg, &number, json.json).await
        }
        Command::Journal(JournalCmd::Export { after }) => export(cfg, after).await,
        Command::Journal(JournalCmd::Verify(j)) | Command::Audit(AuditCmd::Verify(j)) => {
            verify(cfg, j.json).await
        }
        Command::Audit(AuditCmd::List { after, limit, json }) => {
            crate::audit::audit_list(cfg, after, limit, json.json).await
        }
        Command::Journal(JournalCmd::LoginFailures { limit, json }) => {
            crate::audit::login_failures(cfg, limit, json.json).await
        }
        Command::Journal(JournalCmd::Purge { dry_run, json }) => {
            crate::purge::purge(cfg, dry_run, json.json, lang).await
        }
        Command::Status(j) => status(cfg, j.json).await,
        Command::Print(cmd) => print(cfg, cmd, lang).await,
        Command::Handover(args) => crate::handover::handover(cfg, &args, lang).await,
        Command::Document(DocumentCmd::Invalidate {
            document,
            reason,
            json,
        }) => crate::handover::invalidate(cfg, &document, reason, json.json, lang).await,
        Command::Sync(args) => match open_journal(cfg).await {
            Ok(journal) => crate::register::sync(cfg, journal, &args).await,
            Err(code) => code,
        },
        Command::Logs(args) => crate::logs::show(cfg, &args),
        Command::Key(cmd) => crate::key::run(cfg, cmd).await,
        Command::Enrol(args) => crate::enrol::enrol(cfg, &args).await,
        Command::Register(RegisterCmd::Certificate(j)) => crate::enrol::certificate(cfg, j.json),
        Command::Biometrics(cmd) => crate::biometrics::run(cfg, cmd, lang).await,
        Command::Pesel(_) | Command::Mrz(_) | Command::RegisterSim(_) | Command::Card(_) => {
            Exit::Failure
        }
    }
}

fn card_readers(as_json: bool) -> Exit {
    let service = passport_cards::readers();
    if as_json {
        print_json(&serde_json::to_value(&service).unwrap_or_default());
    } else if !service.running {
        eprintln!("the card service is not running (start pcscd)");
    } else if service.readers.is_empty() {
        println!("no card readers");
    } else {
        for r in &service.readers {
            match &r.atr {
                Some(atr) => println!("{}: card present (ATR {atr})", r.name),
                None => println!("{}: no card", r.name),
            }
        }
    }
    if service.running {
        Exit::Ok
    } else {
        Exit::Card
    }
}

async fn print(cfg: &Resolved, cmd: PrintCmd, lang: Lang) -> Exit {
    use passport_counter_core::print::{self, DocumentRef};
    let (doc, to) = match cmd {
        PrintCmd::Receipt { number, to } => (DocumentRef::Receipt { number }, to),
        PrintCmd::Handover { document, to } => (
            DocumentRef::Handover {
                document_number: document,
            },
            to,
        ),
        PrintCmd::Day { date, to } => (DocumentRef::Day { date }, to),
    };
    let rendered = if matches!(doc, DocumentRef::Day { .. }) {
        // The day report is a supervisor's: their password from standard
        // input, checked as the window's log-in checks it.
        let counter = match crate::supervisor::counter(cfg, lang).await {
            Ok(c) => c,
            Err(code) => return code,
        };
        counter.render_document(&doc).await
    } else {
        let journal = match open_journal(cfg).await {
            Ok(j) => j,
            Err(code) => return code,
        };
        print::render(&journal, &doc).await
    };
    let bytes = match rendered {
        Ok(b) => b,
        Err(passport_counter_core::CoreError::NotFound(what)) => {
            return fail(
                Exit::InvalidInput,
                &format!("{what} is not in this counter's journal"),
            );
        }
        Err(passport_counter_core::CoreError::Invalid(errors)) => {
            return fail(Exit::InvalidInput, &errors.to_string());
        }
        Err(e) => return fail(Exit::Failure, &e.to_string()),
    };
    if let Some(path) = &to.output {
        if let Err(e) = print::save(path, &bytes) {
            return fail(Exit::Storage, &e.to_string());
        }
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
    let Some(printer) = to.printer else {
        return Exit::Ok;
    };
    let printer = (printer != "default").then_some(printer);
    match print::send_to_printer(
        &bytes,
        &print::job_title(&doc),
        printer.as_deref(),
        &cfg.data_dir,
    ) {
        Ok(job) => {
            println!("sent to the printer: job {job}");
            Exit::Ok
        }
        Err(e) => fail(
            Exit::Printing,
            &format!("{e}; nothing was changed: print it again"),
        ),
    }
}

pub fn fail(code: Exit, message: &str) -> Exit {
    eprintln!("error: {message}");
    code
}

pub fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

pub fn print_field_errors(errors: &[FieldError], lang: Lang) {
    for e in errors {
        eprintln!("  {}: {} [{}]", e.path, e.message.get(lang), e.code);
    }
}

fn sex_word(s: Sex, lang: Lang) -> &'static str {
    match (s, lang) {
        (Sex::Female, Lang::Pl) => "kobieta",
        (Sex::Male, Lang::Pl) => "mężczyzna",
        (Sex::Female, Lang::En) => "female",
        (Sex::Male, Lang::En) => "male",
    }
}

fn pesel_check(input: &str, as_json: bool, lang: Lang) -> Exit {
    match Pesel::parse(input) {
        Ok(p) => {
            if as_json {
                print_json(
                    &json!({ "valid": true, "pesel": p.to_string(), "birth_date": p.birth_date(), "sex": p.sex() }),
                );
            } else {
                let label = if lang == Lang::Pl {
                    "data urodzenia"
                } else {
                    "birth date"
                };
                println!("PESEL {p}: OK");
                println!("{label}: {}", p.birth_date());
                println!(
                    "{}: {}",
                    if lang == Lang::Pl { "płeć" } else { "sex" },
                    sex_word(p.sex(), lang)
                );
            }
            Exit::Ok
        }
        Err(e) => {
            let fe = e.to_field_error("pesel");
            if as_json {
                print_json(&json!({ "valid": false, "errors": [fe] }));
            } else {
                // What was typed is echoed: escaped, so it cannot drive the terminal.
                println!(
                    "PESEL {}: {}",
                    text::terminal_safe(input.trim()),
                    text::terminal_safe(fe.message.get(lang))
                );
            }
            Exit::CheckFailed
        }
    }
}

fn mrz_check(line1: &str, line2: &str, as_json: bool, lang: Lang) -> Exit {
    match mrz::parse(line1, line2) {
        Ok(p) => {
            if as_json {
                print_json(&json!({ "valid": true, "mrz": p }));
            } else {
                let today = chrono::Local::now().date_naive();
                let date = |d: mrz::MrzDate, birth: bool| {
                    let full = if birth {
                        d.birth_date(today)
                    } else {
                        d.expiry_date()
                    };
                    full.map_or_else(
                        || format!("{:02}{:02}{:02}", d.yy, d.mm, d.dd),
                        |f| f.to_string(),
                    )
                };
                println!("MRZ: OK");
                println!("document code:   {}", p.document_code);
                println!("issuing state:   {}", p.issuing_state);
                println!("surname:         {}", p.surname);
                println!("given names:     {}", p.given_names);
                println!("document number: {}", p.document_number);
                println!("nationality:     {}", p.nationality);
                println!("birth date:      {}", date(p.birth_date, true));
                println!(
                    "sex:             {}",
                    p.sex.map_or("unspecified", |s| sex_word(s, Lang::En))
                );
                println!("expiry date:     {}", date(p.expiry_date, false));
                println!("optional data:   {}", p.optional_data);
            }
            Exit::Ok
        }
        Err(errors) => {
            if as_json {
                print_json(&json!({ "valid": false, "errors": errors }));
            } else {
                println!(
                    "MRZ: {}",
                    if lang == Lang::Pl {
                        "błędy"
                    } else {
                        "invalid"
                    }
                );
                for e in &errors {
                    // Messages may quote the lines typed: escaped for the terminal.
                    println!(
                        "  {}: {} [{}]",
                        e.path,
                        text::terminal_safe(e.message.get(lang)),
                        e.code
                    );
                }
            }
            Exit::CheckFailed
        }
    }
}

fn config_show(cfg: &Resolved, as_json: bool) -> Exit {
    if as_json {
        print_json(&serde_json::to_value(cfg).unwrap_or_default());
        return Exit::Ok;
    }
    let show = |name: &str, s: &passport_counter_core::config::Setting| {
        println!(
            "{name:<12} {:<24} ({:?})",
            s.value.as_deref().unwrap_or("-"),
            s.source
        );
    };
    if cfg.demo {
        println!("DEMO OFFICE: nothing is configured; data is for trying the product only.");
    }
    println!("{:<12} {}", "data dir", cfg.data_dir.display());
    println!("{:<12} {}", "config file", cfg.config_file.display());
    println!("{:<12} {}", "journal", cfg.journal_path().display());
    show("office", &cfg.office);
    show("workstation", &cfg.workstation);
    show("clerk", &cfg.clerk);
    show("register", &cfg.register);
    show("printer", &cfg.printer);
    show("csca dir", &cfg.csca_dir);
    Exit::Ok
}

/// Opens the journal for a command that only reads: nothing is created,
/// migrated or written, so a read-only file or medium still works.
/// A journal that does not exist yet is created as for any command.
pub async fn open_journal_read_only(cfg: &Resolved) -> Result<Journal, Exit> {
    if !cfg.journal_path().is_file() {
        return open_journal(cfg).await;
    }
    let identity = cfg
        .identity()
        .map_err(|e| fail(Exit::Config, &e.to_string()))?;
    let key = journal_key(cfg)?;
    match Journal::open_read_only(&cfg.journal_path(), identity, Some(&key)).await {
        // Written by an older release, or being brought up to date by
        // another process right now: open it as any command would (that
        // waits for the other process and migrates).
        Err(JournalError::SchemaBehind { .. }) => open_journal(cfg).await,
        other => other.map(close_at_exit).map_err(|e| journal_failure(&e)),
    }
}

pub async fn open_journal(cfg: &Resolved) -> Result<Journal, Exit> {
    let identity = cfg
        .identity()
        .map_err(|e| fail(Exit::Config, &e.to_string()))?;
    let pause = std::env::var(CRASH_PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis);
    let options = JournalOptions {
        pause_before_commit: pause,
        key: Some(journal_key(cfg)?),
        ..JournalOptions::default()
    };
    Journal::open(&cfg.journal_path(), identity, options)
        .await
        .map(close_at_exit)
        .map_err(|e| journal_failure(&e))
}

/// Every journal this run opened, closed by `main` before the process
/// exits ([`close_journals`]). sqlx closes a dropped connection on its
/// worker thread, which may still be running as the process exits (sqlx
/// issue #2249, open); with SQLCipher that thread then calls into OpenSSL
/// after OpenSSL's exit handler has freed its state, and the process dies
/// of a protection fault after its work is done, its exit code lost.
/// Closing the pools first waits until every connection is closed. A
/// process-wide list because the C libraries' state it guards is
/// process-wide too.
static OPENED: std::sync::Mutex<Vec<Journal>> = std::sync::Mutex::new(Vec::new());

/// Registers `journal` to be closed before exit; returns it.
pub fn close_at_exit(journal: Journal) -> Journal {
    OPENED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(journal.clone());
    journal
}

/// Closes every journal this run opened (see [`OPENED`]).
pub async fn close_journals() {
    let all = std::mem::take(
        &mut *OPENED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for j in all {
        j.close().await;
    }
}

/// The journal's key from the configured store (created for a journal
/// that has none yet); a lost or unreadable key is exit 9.
fn journal_key(cfg: &Resolved) -> Result<passport_journal::JournalKey, Exit> {
    passport_counter_core::keys::journal_key(cfg).map_err(|e| core_failure(&e))
}

/// A core error met while opening: the key's are exit 9, the
/// configuration's 5, the journal's as [`journal_failure`].
pub fn core_failure(e: &passport_counter_core::error::CoreError) -> Exit {
    use passport_counter_core::error::CoreError;
    match e {
        CoreError::Journal(j) => journal_failure(j),
        CoreError::Config(_) => fail(Exit::Config, &e.to_string()),
        _ => fail(Exit::Storage, &e.to_string()),
    }
}

pub fn journal_failure(e: &JournalError) -> Exit {
    match e {
        JournalError::Key(_)
        | JournalError::KeyRejected { .. }
        | JournalError::KeyNeeded { .. } => fail(Exit::Key, &e.to_string()),
        JournalError::IdentityMismatch { .. } => fail(Exit::Config, &e.to_string()),
        JournalError::Invalid(errors) => {
            eprintln!("error: {e}");
            print_field_errors(&errors.0, Lang::En);
            Exit::InvalidInput
        }
        _ => fail(Exit::Storage, &e.to_string()),
    }
}

async fn submit(
    cfg: &Resolved,
    file: &Path,
    biometrics: &crate::submit_biometrics::BiometricsArgs,
    as_json: bool,
    lang: Lang,
) -> Exit {
    // Bounded: a FIFO, a device or a huge file is refused, not read.
    let text = match files::read_regular_text(file, APPLICATION_FILE_MAX) {
        Ok(t) => t,
        Err(e) => return fail(Exit::InvalidInput, e.message().get(lang)),
    };
    let draft = match ApplicationDraft::from_json(&text) {
        Ok(d) => d,
        Err(e) => {
            return fail(
                Exit::InvalidInput,
                &format!("{} is not an application file: {e}", file.display()),
            );
        }
    };
    let clerk = match cfg.clerk() {
        Ok(c) => c,
        Err(e) => return fail(Exit::Config, &e.to_string()),
    };
    // The photo path is relative to the application file.
    let base = file.parent().unwrap_or(Path::new("."));
    let photo_read = draft
        .photo
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| (p, files::read_regular_file(&base.join(p), PHOTO_FILE_MAX)));
    let photo = match &photo_read {
        Some((_, Ok(bytes))) => Some(bytes.as_slice()),
        _ => None,
    };
    let rules = ApplicationRules::new(chrono::Local::now().date_naive());
    let mut biometrics = crate::submit_biometrics::read(biometrics);
    // A finger temporarily impossible to take: the supervisor named
    // confirms it now with their password, as in the window.
    if let Err(code) = crate::supervisor::confirm_finger_exceptions(
        cfg,
        &clerk,
        &draft.applicant.pesel,
        &mut biometrics.draft,
        lang,
    )
    .await
    {
        return code;
    }
    let validated = draft
        .validate_with_biometrics(photo, &biometrics.draft, &rules)
        .map_err(|mut errors| {
            biometrics.explain(&mut errors);
            if let Some((path, Err(e))) = &photo_read {
                for fe in errors.0.iter_mut().filter(|fe| fe.code == "photo.required") {
                    *fe = FieldError::new(
                        "photo",
                        "photo.unreadable",
                        format!("Nie można odczytać pliku zdjęcia {path}: {e}."),
                        format!("Cannot read the photo file {path}: {e}."),
                    );
                }
            }
            errors
        });
    let print_errors = |errors: &passport_domain::ValidationErrors| {
        if as_json {
            print_json(&json!({ "saved": false, "errors": errors }));
        } else {
            let head = match lang {
                Lang::Pl => format!(
                    "Wniosek nie został zapisany. Liczba błędów: {}.",
                    errors.len()
                ),
                Lang::En => format!(
                    "The application was not saved: {} field errors.",
                    errors.len()
                ),
            };
            eprintln!("{head}");
            print_field_errors(&errors.0, lang);
        }
        Exit::InvalidInput
    };
    let app = match validated {
        Ok(a) => a,
        Err(errors) => return print_errors(&errors),
    };
    // The captures as the app checks them: at or above the office's
    // quality threshold, no image for two fingers, none the face photo.
    if let Err(e) = passport_counter_core::captures_acceptable(
        &biometrics.draft,
        photo,
        cfg.biometrics.quality_threshold,
    ) {
        return match e {
            passport_counter_core::error::CoreError::Invalid(errors) => print_errors(&errors),
            e => core_failure(&e),
        };
    }
    let journal = match open_journal(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    // Every confirmation sealed here, for this clerk, finger and PESEL,
    // and recent: checked again as the app checks it.
    if let Err(e) = passport_counter_core::confirmations::finger_exceptions_confirmed(
        &journal,
        &clerk,
        &draft.applicant.pesel,
        &biometrics.draft,
        chrono::Utc::now(),
    ) {
        journal.close().await;
        return match e {
            passport_counter_core::error::CoreError::Invalid(errors) => print_errors(&errors),
            e => core_failure(&e),
        };
    }
    // Who acts: the register confirms the account (or, while it does not
    // answer, it confirmed it here within offline_login_days), as for the
    // app's log-in. The demo office without a register has only its demo
    // accounts and nothing real to protect.
    if let Some(url) = &cfg.register.value {
        let client =
            match passport_register_client::RegisterClient::new(cfg.client_config(url.clone())) {
                Ok(c) => c,
                Err(e) => return fail(Exit::Config, &format!("register: {e}")),
            };
        if let Err(e) = passport_counter_core::session::confirm_account(
            &journal,
            &client,
            &clerk,
            cfg.policy.offline_login_days,
        )
        .await
        {
            let ipc = passport_counter_core::IpcError::from(e);
            return fail(Exit::InvalidInput, ipc.message.get(lang));
        }
    } else if !cfg.demo {
        return fail(
            Exit::Config,
            "no register is configured, so the clerk's account cannot be confirmed: set `register` (nothing was saved)",
        );
    }
    // The same caps the app applies (pending count, oldest age, a
    // supervisor's override): one door into the journal.
    if let Err(e) = passport_counter_core::intake_allowed(&journal, &cfg.policy).await {
        let ipc = passport_counter_core::IpcError::from(e);
        return fail(Exit::InvalidInput, ipc.message.get(lang));
    }
    let photo = photo.unwrap_or_default();
    match journal.submit_application(&app, photo, &clerk).await {
        Ok(saved) => {
            if as_json {
                print_json(
                    &json!({ "saved": true, "number": saved.number, "journal_id": saved.journal_id, "seq": saved.seq, "fee": app.fee }),
                );
            } else {
                let (saved_word, fee_word) = match lang {
                    Lang::Pl => ("Zapisano wniosek", "opłata"),
                    Lang::En => ("Saved application", "fee"),
                };
                // The kind in words of the chosen language, not its code.
                let kind = passport_counter_core::words::words()
                    .map(|w| w.application_kind(app.kind.code()).get(lang).to_owned())
                    .unwrap_or_else(|_| app.kind.code().to_owned());
                println!(
                    "{saved_word}: {} {} ({kind}, {fee_word} {})",
                    app.applicant.given_names,
                    app.applicant.surname,
                    app.fee.display_pln()
                );
                if cfg.demo {
                    println!("(DEMO office: not a real application)");
                }
                println!("{}", saved.number);
            }
            journal.close().await;
            Exit::Ok
        }
        Err(e) => journal_failure(&e),
    }
}

async fn list(cfg: &Resolved, search: &Search, limit: u32, as_json: bool) -> Exit {
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    let rows = match journal.search(search, limit).await {
        Ok(r) => r,
        Err(e) => return journal_failure(&e),
    };
    if as_json {
        print_json(&serde_json::to_value(&rows).unwrap_or_default());
    } else if rows.is_empty() {
        println!("no applications");
    } else {
        println!(
            "{:<20} {:<9} {:<11} {:<28} {:<10} {:<12}",
            "NUMBER", "KIND", "PESEL", "NAME", "STATUS", "SYNC"
        );
        for r in &rows {
            let name: String = format!("{} {}", r.surname, r.given_names)
                .chars()
                .take(28)
                .collect();
            println!(
                "{:<20} {:<9} {:<11} {:<28} {:<10} {:<12}",
                r.number,
                r.kind,
                r.pesel,
                name,
                r.status.as_str(),
                r.sync_state.as_str()
            );
        }
    }
    Exit::Ok
}

async fn show(cfg: &Resolved, number: &str, as_json: bool) -> Exit {
    if let Err(e) = passport_domain::ApplicationNumber::parse(number) {
        let fe = e.to_field_error("number");
        return fail(
            Exit::InvalidInput,
            &format!("{number}: {} / {}", fe.message.pl, fe.message.en),
        );
    }
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    match journal.application(number).await {
        Ok(Some(d)) => {
            if as_json {
                print_json(&serde_json::to_value(&d).unwrap_or_default());
            } else {
                let s = &d.summary;
                println!("number:       {}", s.number);
                println!("kind:         {}", s.kind);
                println!(
                    "applicant:    {} {} (PESEL {}, born {})",
                    s.given_names, s.surname, s.pesel, s.birth_date
                );
                println!("status:       {}", s.status.as_str());
                println!(
                    "fee:          {},{:02} zł",
                    s.fee_grosz / 100,
                    s.fee_grosz % 100
                );
                println!("saved at:     {}", s.created_at);
                println!(
                    "sync state:   {} (attempts {})",
                    s.sync_state.as_str(),
                    d.attempts
                );
                if let Some(r) = &s.register_reason {
                    println!("register:     {r}");
                }
                if let Some(e) = &d.last_error {
                    println!("last error:   {e}");
                }
                println!("journal:      #{} {}", d.journal_seq, d.journal_id);
            }
            Exit::Ok
        }
        Ok(None) => fail(
            Exit::CheckFailed,
            &format!("no application {number} at this counter"),
        ),
        Err(e) => journal_failure(&e),
    }
}

async fn export(cfg: &Resolved, after: i64) -> Exit {
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut after = after;
    loop {
        let page = match journal.entries(after, 1000).await {
            Ok(p) => p,
            Err(e) => return journal_failure(&e),
        };
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            // An entry whose payload is not JSON at all cannot be exported
            // faithfully: stop and say which (journal verify names it too).
            let line = match entry.exported().and_then(|e| serde_json::to_string(&e)) {
                Ok(line) => line,
                Err(e) => {
                    let _ = out.flush();
                    eprintln!("entry {} cannot be exported: {e}", entry.seq);
                    return Exit::CheckFailed;
                }
            };
            // A closed pipe (`| head`) ends the export quietly.
            if writeln!(out, "{line}").is_err() {
                return Exit::Ok;
            }
        }
    }
    if out.flush().is_err() {
        return Exit::Ok;
    }
    Exit::Ok
}

async fn verify(cfg: &Resolved, as_json: bool) -> Exit {
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    let report = match journal.verify().await {
        Ok(r) => r,
        Err(e) => return journal_failure(&e),
    };
    if as_json {
        print_json(
            &json!({ "ok": report.ok(), "chain_broken": report.chain_broken, "entries": report.entries, "applications": report.applications, "audit_rows": report.audit_rows, "problems": report.problems }),
        );
    } else if report.ok() {
        println!(
            "journal OK: {} entries, {} applications, {} audit rows",
            report.entries, report.applications, report.audit_rows
        );
    } else {
        let n = report.problems.len();
        let noun = if n == 1 { "problem" } else { "problems" };
        println!("journal INCONSISTENT: {n} {noun}");
        for p in &report.problems {
            println!("  {p}");
        }
    }
    if report.ok() {
        Exit::Ok
    } else if report.chain_broken {
        Exit::ChainBroken
    } else {
        Exit::CheckFailed
    }
}

async fn status(cfg: &Resolved, as_json: bool) -> Exit {
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    let stats = match journal.queue_stats(chrono::Utc::now()).await {
        Ok(s) => s,
        Err(e) => return journal_failure(&e),
    };
    // The register's standing refusal of this workstation's history (a
    // fork), kept by the journal until a report is accepted again.
    let fork = match journal.chain_fork().await {
        Ok(f) => f,
        Err(e) => return journal_failure(&e),
    };
    // A recovery code nobody has taken yet: without it a lost key file
    // loses every queued action, so status says so until it is shown.
    let recovery_code_pending = match passport_counter_core::keys::key_file(cfg) {
        Ok(f) => f.recovery_code_pending(),
        Err(e) => return fail(Exit::Config, &e.to_string()),
    };
    let id = journal.identity();
    let connection = match &cfg.register.value {
        Some(url) => crate::register::probe(cfg.client_config(url.clone())).await,
        None => "not configured".to_owned(),
    };
    if as_json {
        print_json(&json!({
            "demo": cfg.demo,
            "office": id.office_code,
            "workstation": id.workstation_id,
            "data_dir": cfg.data_dir,
            "register": cfg.register.value,
            "connection": connection,
            "queue": stats,
            "recovery_code_pending": recovery_code_pending,
            "chain_fork": fork.as_ref().map(|f| json!({
                "since": f.first_refused_at,
                "last_refused_at": f.last_refused_at,
                "refusals": f.refusals,
                "register_text": f.register_text,
            })),
        }));
        return Exit::Ok;
    }
    if cfg.demo {
        println!("DEMO OFFICE (nothing configured; see `counterctl config show`)");
    }
    println!(
        "office:          {} / workstation {}",
        id.office_code, id.workstation_id
    );
    println!("data dir:        {}", cfg.data_dir.display());
    println!(
        "register:        {} ({connection})",
        cfg.register.value.as_deref().unwrap_or("-")
    );
    println!(
        "last contact:    {}",
        stats.last_register_contact.as_deref().unwrap_or("never")
    );
    println!(
        "queue:           {} waiting ({} pending, {} sending)",
        stats.depth, stats.pending, stats.in_flight
    );
    match stats.oldest_pending_age_secs {
        Some(age) => println!(
            "oldest waiting:  {} ({})",
            human_age(age),
            stats.oldest_pending.as_deref().unwrap_or("")
        ),
        None => println!("oldest waiting:  -"),
    }
    println!("acknowledged:    {}", stats.acknowledged);
    println!("rejected:        {}", stats.rejected);
    println!("conflicts:       {}", stats.conflict);
    println!(
        "unsendable:      {} (records this release cannot read: a supervisor decides)",
        stats.unsendable
    );
    println!(
        "kept here:       {} (supervisor decisions and overrides, never sent)",
        stats.local
    );
    if recovery_code_pending {
        println!(
            "RECOVERY CODE:   not yet taken: a supervisor runs `counterctl key recovery-code` once and keeps the code (without it a lost key file loses the journal)"
        );
    }
    match &fork {
        None => println!("history:         no refusal from the register"),
        Some(f) => {
            println!(
                "history:         REFUSED by the register as a fork (chain_fork) since {}, {} round(s), last {}: nothing is sent; run `counterctl audit verify` and call a supervisor",
                f.first_refused_at, f.refusals, f.last_refused_at
            );
            println!("                 the register said: {}", f.register_text);
        }
    }
    Exit::Ok
}

fn human_age(secs: i64) -> String {
    match secs {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}
