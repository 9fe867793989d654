//! The command line: every command and flag, with its manual.

use crate::exit::EXIT_CODES_HELP;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const SETTINGS_HELP: &str = "\
Settings come from the flag, then the environment variable, then config.toml in
the data directory. With no office and workstation configured, counterctl works
as the DEMO office, workstation 01, clerk demo-clerk, in demo.db: demo data never
mixes with real data.";

#[derive(Debug, Parser)]
#[command(
    name = "counterctl",
    version,
    about = "Passport counter tool for office IT: check, submit, inspect, verify",
    long_about = "counterctl drives the passport counter's rules and local journal without the app's window.\n\n\
                  Use it to check a PESEL or an MRZ, submit an application from a JSON file, look\n\
                  applications up, export and verify the journal, and see the counter's status.",
    after_help = format!("{SETTINGS_HELP}\n\n{EXIT_CODES_HELP}\n\nExample:\n  counterctl pesel check 44051401359\n  counterctl --office WAW1 --workstation 03 status --json")
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Data directory holding config.toml and the journal
    /// [env: PASSPORT_COUNTER_DATA] [default: the platform's data directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Office code, 2–8 capital letters or digits [env: PASSPORT_COUNTER_OFFICE]
    #[arg(long, global = true, value_name = "CODE")]
    pub office: Option<String>,
    /// Workstation id, 1–4 capital letters or digits [env: PASSPORT_COUNTER_WORKSTATION]
    #[arg(long, global = true, value_name = "ID")]
    pub workstation: Option<String>,
    /// Clerk recorded on actions [env: PASSPORT_COUNTER_CLERK]
    #[arg(long, global = true, value_name = "ID")]
    pub clerk: Option<String>,
    /// The central register's base URL [env: PASSPORT_COUNTER_REGISTER]
    #[arg(long, global = true, value_name = "URL")]
    pub register: Option<String>,
    /// Language of field messages
    #[arg(long, global = true, value_enum, default_value_t = Lang::Pl)]
    pub lang: Lang,
    /// Also write the log to stderr (it always goes to logs/counterctl.log
    /// in the data directory, at the level set in config.toml's [logs])
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Pl,
    En,
}

impl From<Lang> for passport_domain::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Pl => passport_domain::Lang::Pl,
            Lang::En => passport_domain::Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a PESEL number
    #[command(subcommand)]
    Pesel(PeselCmd),
    /// Check a passport's machine-readable zone (ICAO 9303 TD3)
    #[command(subcommand)]
    Mrz(MrzCmd),
    /// Submit, list and show applications
    #[command(subcommand)]
    Application(ApplicationCmd),
    /// Export and verify the local journal
    #[command(subcommand)]
    Journal(JournalCmd),
    /// Verify and list the audit chain (log-ins, refused log-ins, clerk cards) with the journal's
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Show the counter's status: office, queue depth, oldest pending action
    #[command(after_help = "Example:\n  counterctl status\n  counterctl status --json")]
    Status(JsonFlag),
    /// Show the settings in force and where each came from
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Deliver queued actions to the register, once each and in order
    #[command(
        long_about = "Runs one drain of the journal: every queued action is sent to the register with its\n\
                      idempotency key, in order. A refused action is marked (rejected or conflict, with the\n\
                      register's reason) and the queue moves on. Without --until-empty the drain ends when the\n\
                      register is unreachable (exit 6; nothing is lost). Also pulls the office's ready list.\n\
                      Safe to kill at any moment: the next drain resends, and the register replays.",
        after_help = "Example:\n  counterctl --register http://127.0.0.1:8080 sync\n  counterctl sync --until-empty --timeout 600"
    )]
    Sync(SyncArgs),
    /// Print a receipt, a hand-over protocol or the day's report (or save it as PDF)
    #[command(
        subcommand,
        long_about = "Renders the document from the local journal (A4 PDF, Polish) and writes it to a file\n\
                      (-o) or sends it to a printer through CUPS (--printer NAME; `default` for the system's\n\
                      default printer). No copy is kept: the journal is sealed, a PDF file is not. Printing never\n\
                      changes the journal: a failed print can simply be repeated.",
        after_help = "Example:\n  counterctl print receipt DEMO-01-000001-12 -o receipt.pdf\n  \
                      counterctl print handover DA0000001 --printer Office-HP\n  \
                      counterctl print day --date 2026-11-22 -o day.pdf"
    )]
    Print(PrintCmd),
    /// Hand over a ready passport, through the same checks as the app
    #[command(
        long_about = "Records the hand-over of a ready passport exactly as the app does: the clerk\n\
                      (--clerk) must be an open account (the register confirms it when it answers;\n\
                      offline, one confirmed at this counter within offline_login_days); the document\n\
                      must be on the office's ready list (pulled first when the register answers); an\n\
                      adult's passport goes to the holder in person, or to the legal guardian of an\n\
                      adult under full guardianship with the court ruling's reference\n\
                      (--court-ruling); a minor's goes to a parent or legal guardian named on the\n\
                      application; the office policy decides an offline hand-over (then provisional)\n\
                      and whether a passed chip check is required (--check-chip reads it on the\n\
                      reader first). The hand-over is saved in the journal first; online, the\n\
                      register's answer is then waited for (policy handover_wait_secs) and printed:\n\
                      issued, refused (with what to do), queued (offline) or still waiting.\n\n\
                      Exit 0: saved (issued, queued or still waiting). 1: saved, but the register\n\
                      refused it: do not hand the document over. 2: refused here (each reason\n\
                      printed). 3: the chip check failed or could not be read. 4: the journal could\n\
                      not be used. 5: configuration.",
        after_help = "Example:\n  counterctl --clerk demo-clerk handover DA0000001 --collector holder \\\n    \
                      --identity-document 'dowód osobisty ABC123456'\n  \
                      counterctl --clerk demo-clerk handover DA0000002 --collector parent \\\n    \
                      --collector-pesel 90010112349 --collector-surname Wójcik --collector-given-names Anna \\\n    \
                      --identity-document 'dowód osobisty DEF654321' --previous-passport EA0999999 --json\n  \
                      counterctl --clerk demo-clerk handover DA0000004 --collector legal-guardian \\\n    \
                      --collector-pesel 70030312347 --collector-surname Nowak --collector-given-names Jan \\\n    \
                      --court-ruling 'III RNs 123/24' --identity-document 'dowód osobisty GHI111222'"
    )]
    Handover(HandoverArgs),
    /// Documents: invalidate one (lost, stolen, damaged, …)
    #[command(subcommand)]
    Document(DocumentCmd),
    /// Smart-card readers (PC/SC)
    #[command(subcommand)]
    Card(CardCmd),
    /// Fingerprint devices (MOSIP MDS on 127.0.0.1): list them, capture one finger
    #[command(subcommand)]
    Biometrics(crate::biometrics::BiometricsCmd),
    /// Run the register simulator (for demos and tests) until interrupted
    #[command(
        long_about = "Serves the register's v1 API with its own SQLite database and demo data (offices DEMO,\n\
                      WAW1, KRK2; six passports ready at DEMO). Faults can be set here, and with --test-admin\n\
                      changed while it runs: POST /admin/faults with a JSON object of the same names, e.g.\n\
                      {\"outage\": true} or {\"capacity\": 50, \"error_rate\": 0.1}. One fault has no flag and\n\
                      is set only that way: retry_after_raw, a string the outage's 503 sends verbatim as\n\
                      Retry-After instead of retry_after_secs (an HTTP-date, or garbage that breaks the\n\
                      contract on purpose, to test how clients read it; null goes back to seconds), e.g.\n\
                      {\"outage\": true, \"retry_after_raw\": \"Sun, 29 Nov 2026 10:00:00 GMT\"}\n\
                      (retry_after_secs is --retry-after). closed_clerks, a list of clerk ids whose accounts\n\
                      the register treats as closed, is set the same way. GET /admin/stats counts writes stored, idempotent replays, refusals and the peak\n\
                      requests a second. Without --test-admin there is no /admin/* at all (404): anyone who\n\
                      can reach the port could otherwise change faults and read what was received.\n\
                      Connections are timed out: the request head (and the next request on a kept-alive\n\
                      connection) must arrive within 10 s, a body must not stall for 10 s, and at most 256\n\
                      connections are served at once.",
        after_help = "Example:\n  counterctl register-sim --listen 127.0.0.1:8080 --db sim.db --outage --test-admin\n  \
                      curl -X POST -d '{\"outage\": false}' http://127.0.0.1:8080/admin/faults"
    )]
    RegisterSim(SimArgs),
    /// Show or export the counter's logs (the app's and counterctl's)
    #[command(
        long_about = "Prints the log events of the app (logs/counter.log) and of counterctl\n\
                      (logs/counterctl.log) in the data directory, rotated files included, oldest first,\n\
                      merged by time. The logs hold no personal data (no PESEL, name, address, contact or\n\
                      photo): events carry codes, counts, states, durations, application and document numbers\n\
                      and journal entry ids. The level and the size bound are set in config.toml:\n\
                      [logs] level = \"info\" (error, warn, info, debug, trace), max_file_kib = 10240,\n\
                      max_files = 5.\n\n\
                      Exit 0: shown or exported (also when there is nothing to show). 2: --since is not a\n\
                      duration. 4: the logs or the export file could not be read or written.",
        after_help = "Example:\n  counterctl logs --since 2h\n  counterctl logs --since 7d --export /media/usb/counter-logs.txt"
    )]
    Logs(LogsArgs),
    /// The journal's encryption key: its recovery code, and recovery with it
    #[command(subcommand)]
    Key(KeyCmd),
    /// Enrol this workstation with the register: its own key and certificate (a supervisor, a one-time code)
    #[command(
        long_about = "Makes this workstation's key pair here (the private key never leaves the machine), sends\n\
                      a certificate request with the one-time enrolment code office IT got from the register\n\
                      and the supervisor's account to the register's enrolment endpoint, checks that the\n\
                      certificate it answers is for the key made here, and stores both owner-only in the\n\
                      identity directory ([register] identity_dir, default <data dir>/register-identity).\n\
                      The register's certificate must be from the pinned CA ([register] ca_file): otherwise\n\
                      nothing is sent. The supervisor's password is read from standard input (one line),\n\
                      never from the command line. Restart the counter afterwards.\n\n\
                      Exit 0: enrolled. 1: the register refused the code or the supervisor. 2: not a code.\n\
                      4: the key or certificate could not be written. 5: configuration (no register, no\n\
                      office or workstation). 6: the register could not be reached, or its certificate is\n\
                      not from the pinned CA.",
        after_help = "Example:\n  counterctl --office WAW1 --workstation 03 enrol --code K7QM-2XPA-9RTD --supervisor j.nowak < password.txt"
    )]
    Enrol(EnrolArgs),
    /// This workstation's certificate for the register
    #[command(subcommand)]
    Register(RegisterCmd),
}

#[derive(Debug, Subcommand)]
pub enum KeyCmd {
    /// Print the recovery code of this counter's journal key, once
    #[command(
        long_about = "The journal is encrypted (SQLCipher) with a key kept in a key file readable only by this
                      account, outside the data directory ([security] key_file in config.toml, or
                      PASSPORT_COUNTER_KEY_FILE; by default under the account's configuration directory).
                      When the key is created (the first start, or the first start after an update from a
                      release that did not encrypt), a recovery code is kept beside it until this command
                      prints it; then it is overwritten and removed, and cannot be printed again. A
                      supervisor keeps the code (on paper, in the office safe): with it, `counterctl key
                      recover` re-creates the key on a new or reinstalled machine.

                      Exit 0: printed. 9: already printed (or no key was created on this machine). 5:
                      configuration.",
        after_help = "Example:
  counterctl key recovery-code"
    )]
    RecoveryCode,
    /// Re-create the key file from the supervisor's recovery code
    #[command(
        long_about = "Derives the journal key from the recovery code, checks that it opens this counter's
                      journal (when there is one), and writes the key file (0600, its directory 0700),
                      replacing a damaged one. Case, spaces and dashes in the code do not matter.

                      Exit 0: the key file is written. 2: not a recovery code. 9: the code does not open
                      this journal. 4: the key file could not be written. 5: configuration.",
        after_help = "Example:
  counterctl key recover --code ABCD-EFGH-IJKL-MNOP-QRST-UVWX"
    )]
    Recover {
        /// The recovery code, e.g. ABCD-EFGH-IJKL-MNOP-QRST-UVWX
        #[arg(long, value_name = "CODE")]
        code: String,
    },
}

#[derive(Debug, Args)]
pub struct EnrolArgs {
    /// The one-time enrolment code from office IT, e.g. K7QM-2XPA-9RTD
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// The supervisor who runs the enrolment (their password on standard input)
    #[arg(long, value_name = "ID")]
    pub supervisor: String,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Subcommand)]
pub enum RegisterCmd {
    /// Show this workstation's certificate: subject, issuer, serial, validity
    #[command(
        long_about = "Reads the certificate in the identity directory ([register] identity_dir, default\n\
                      <data dir>/register-identity) and shows its subject, issuer, serial number and\n\
                      validity, and whether it is valid now.\n\n\
                      Exit 0: a certificate valid now. 1: expired or not valid yet (a supervisor enrols the\n\
                      workstation again). 5: not enrolled, or the certificate cannot be read.",
        after_help = "Example:\n  counterctl register certificate\n  counterctl register certificate --json"
    )]
    Certificate(JsonFlag),
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Only events of the last DURATION: a number and s, m, h or d (90s, 30m, 2h, 7d)
    #[arg(long, value_name = "DURATION")]
    pub since: Option<String>,
    /// Write the events to FILE (created owner-only, replaced if present) instead of printing them
    #[arg(long, value_name = "FILE")]
    pub export: Option<std::path::PathBuf>,
}

/// Who collects the passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CollectorRole {
    /// The holder in person
    Holder,
    /// A parent of a minor holder
    Parent,
    /// A legal guardian (of a minor, or of an adult under full guardianship)
    LegalGuardian,
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// The document number (or the application number, or the scanned code)
    pub document: String,
    /// Who collects it
    #[arg(long, value_enum)]
    pub collector: CollectorRole,
    /// The collector's PESEL (parent or legal guardian)
    #[arg(long, required_if_eq_any([("collector", "parent"), ("collector", "legal-guardian")]))]
    pub collector_pesel: Option<String>,
    /// The collector's surname (parent or legal guardian)
    #[arg(long, required_if_eq_any([("collector", "parent"), ("collector", "legal-guardian")]))]
    pub collector_surname: Option<String>,
    /// The collector's given names (parent or legal guardian)
    #[arg(long, required_if_eq_any([("collector", "parent"), ("collector", "legal-guardian")]))]
    pub collector_given_names: Option<String>,
    /// The court ruling's reference (sygnatura akt, e.g. 'III RNs 123/24'): a legal guardian
    /// of an adult under full guardianship collects only with it
    #[arg(long, requires = "collector_pesel")]
    pub court_ruling: Option<String>,
    /// The identity document shown, its kind and number (e.g. 'dowód osobisty ABC123456')
    #[arg(long)]
    pub identity_document: String,
    /// The holder's previous passport, invalidated by this hand-over
    #[arg(long)]
    pub previous_passport: Option<String>,
    /// Check the passport's chip on a reader first (as Alt+C in the app)
    #[arg(long)]
    pub check_chip: bool,
    /// The reader for --check-chip (default: whichever reader holds a passport)
    #[arg(long, requires = "check_chip")]
    pub reader: Option<String>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Subcommand)]
pub enum DocumentCmd {
    /// Invalidate a document (reported lost or stolen, damaged, …), as the app does
    #[command(
        after_help = "Reasons: new-document-collected, reported-lost, reported-stolen, damaged, data-changed,\n\
                      holder-deceased, citizenship-lost, defective-personalisation, lost-in-transit,\n\
                      not-collected-in-time.\n\n\
                      Example:\n  counterctl --clerk demo-clerk document invalidate EK1234567 --reason reported-lost"
    )]
    Invalidate {
        /// The document number (2 letters and 7 digits)
        document: String,
        /// Why (see the list below)
        #[arg(long, value_parser = parse_reason)]
        reason: passport_domain::InvalidationReason,
        #[command(flatten)]
        json: JsonFlag,
    },
}

/// A ground for invalidation as typed (`reported-lost` or `reported_lost`):
/// the domain's own list, so the two cannot drift apart.
fn parse_reason(s: &str) -> Result<passport_domain::InvalidationReason, String> {
    passport_domain::InvalidationReason::parse(&s.trim().replace('-', "_")).ok_or_else(|| {
        let all: Vec<String> = passport_domain::InvalidationReason::ALL
            .iter()
            .map(|r| r.as_str().replace('_', "-"))
            .collect();
        format!("one of: {}", all.join(", "))
    })
}

#[derive(Debug, Subcommand)]
pub enum CardCmd {
    /// List the readers and whether a card is in each (exit 3: the card service is not running)
    #[command(after_help = "Example:\n  counterctl card readers\n  counterctl card readers --json")]
    Readers(JsonFlag),
    /// Read a passport's chip and check it (BAC, data groups, passive authentication)
    #[command(
        long_about = "Opens the chip with BAC from the document number, birth date and expiry date\n\
                      (as in the MRZ), reads EF.COM, DG1, DG2 and EF.SOD, and checks: the data groups\n\
                      are there; their hashes equal EF.SOD's; EF.SOD's signature verifies with its\n\
                      document signer certificate; that certificate was issued by a CSCA in the trust\n\
                      store; both certificates are valid today; and, with --mrz, DG1 equals the\n\
                      register's record. Prints what it read and each check's result.\n\n\
                      Every file must be complete and well formed: once the chip opened with the\n\
                      document's key, a damaged or garbled file is a failed check (malformed_data),\n\
                      never \"try again\", and what was read is still shown.\n\n\
                      Exit 0: every check passed. 1: a check failed (the first failed check is the\n\
                      result). 3: the chip could not be read (no card, card removed, wrong access key,\n\
                      card service not running).",
        after_help = "Example:\n  counterctl card verify --doc DA0000001 --birth 900101 --expiry 350101\n  \
                      counterctl card verify --doc DA0000001 --birth 900101 --expiry 350101 \\\n    \
                      --reader 'Virtual PCD 00 00' --csca /etc/passport-counter/csca --json"
    )]
    Verify(VerifyArgs),
    /// Read a clerk card's identifier and check its PIN (shows the tries left)
    #[command(
        after_help = "Example:\n  counterctl card clerk --pin 1234\n  counterctl card clerk   (identifier and tries left only)"
    )]
    Clerk {
        /// The PIN; without it only the identifier and the tries left are shown
        #[arg(long)]
        pin: Option<String>,
        /// The reader (default: whichever reader holds a clerk card)
        #[arg(long)]
        reader: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The document number as in the MRZ (e.g. DA0000001)
    #[arg(long)]
    pub doc: String,
    /// The holder's birth date, YYMMDD
    #[arg(long)]
    pub birth: String,
    /// The document's expiry date, YYMMDD
    #[arg(long)]
    pub expiry: String,
    /// The reader (default: whichever reader holds a passport)
    #[arg(long)]
    pub reader: Option<String>,
    /// Directory of trusted CSCA certificates, DER or PEM (default: the configured `csca_dir`,
    /// `PASSPORT_COUNTER_CSCA`, or `<data dir>/csca`)
    #[arg(long)]
    pub csca: Option<std::path::PathBuf>,
    /// The register's DG1 MRZ (both lines, 88 characters) that DG1 must equal
    #[arg(long)]
    pub mrz: Option<String>,
    /// Write the DG2 face image to this file
    #[arg(long)]
    pub face: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Subcommand)]
pub enum PrintCmd {
    /// The applicant's receipt for an application taken here
    Receipt {
        /// The application number
        number: String,
        #[command(flatten)]
        to: PrintTo,
    },
    /// The protocol of a hand-over recorded here
    Handover {
        /// The document (passport) number
        document: String,
        #[command(flatten)]
        to: PrintTo,
    },
    /// The end-of-day report (supervisor: `--clerk` and their password on standard input)
    #[command(
        long_about = "The end-of-day report, as the app's supervisor screen makes it, without the purge the\n\
                      app runs first. Only a supervisor: `--clerk` names the supervisor and their password is\n\
                      read from standard input (one line; typed without echo when it is a terminal), checked\n\
                      as the app's log-in checks it (online, or offline against the verifier of their last\n\
                      online log-in here; wrong passwords recorded and throttled). No password, a wrong one,\n\
                      or a clerk's account: exit 2, nothing written.",
        after_help = "Example:\n  counterctl --clerk demo-supervisor print day -o day.pdf < password.txt"
    )]
    Day {
        /// The day, YYYY-MM-DD (today when omitted)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[command(flatten)]
        to: PrintTo,
    },
}

/// Where the document goes: a file or a printer (one of the two).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PrintTo {
    /// Write the PDF to this file
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Send it to this CUPS printer (`lpstat -p` lists them; `default`: the system's default)
    #[arg(long, value_name = "NAME")]
    pub printer: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Keep going through outages until the queue is empty (or --timeout)
    #[arg(long)]
    pub until_empty: bool,
    /// Stop after this many whole seconds, 1 to 86400 (24 h). A hard bound: requests in flight
    /// are cancelled, the command exits 6, and the actions not yet acknowledged stay queued
    /// (the next sync resends them; the register replays what it already stored)
    #[arg(long, value_name = "S", value_parser = crate::register::parse_timeout)]
    pub timeout: Option<std::time::Duration>,
    /// After an outage, wait a random time up to this many seconds before sending,
    /// 0 to 3600 (fractions allowed, e.g. 2.5)
    #[arg(long, value_name = "S", default_value = "0", value_parser = crate::register::parse_recovery_window)]
    pub recovery_window: std::time::Duration,
    /// Do not pull the office's ready list
    #[arg(long)]
    pub no_ready_list: bool,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// The simulator's database file (in memory when omitted)
    #[arg(long, value_name = "FILE")]
    pub db: Option<std::path::PathBuf>,
    /// Start in an outage: every request gets 503 with Retry-After
    #[arg(long)]
    pub outage: bool,
    /// Requests a second served; more get 429 with Retry-After (0: no cap)
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub capacity: u32,
    /// Share of requests answered 500, 0.0–1.0
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub error_rate: f64,
    /// Share of writes whose answer is dropped after they committed
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub drop_after_commit: f64,
    /// Share of successful writes answered with a malformed body
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub malformed_rate: f64,
    /// Delay before every answer, in milliseconds
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub latency_ms: u64,
    /// Retry-After sent with 503, in seconds
    #[arg(long, default_value_t = 2, value_name = "S")]
    pub retry_after: u64,
    /// Seed for every random choice, so a run can be reproduced
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Serve /admin/* (change faults, read counts and received records, personalise documents):
    /// for tests and demos only, since it answers anyone who reaches the port
    #[arg(long)]
    pub test_admin: bool,
    /// Serve over TLS with client certificates, the CA kept in DIR (ca.pem, ca.key; made there
    /// the first time): counters pin DIR/ca.pem and enrol with a code
    #[arg(long, value_name = "DIR")]
    pub tls_ca_dir: Option<std::path::PathBuf>,
    /// A one-time enrolment code the simulator accepts (repeatable); without it one is made and
    /// printed at start
    #[arg(long, value_name = "CODE", requires = "tls_ca_dir")]
    pub enrolment_code: Vec<String>,
    /// Days an issued workstation certificate is valid
    #[arg(long, default_value_t = 365, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub certificate_days: u32,
    /// A host name or address for the server certificate besides 127.0.0.1, ::1 and localhost
    /// (repeatable)
    #[arg(long, value_name = "NAME", requires = "tls_ca_dir")]
    pub tls_name: Vec<String>,
    /// The biometrics cut-over, YYYY-MM-DD: an application dated on or after it without a
    /// biometrics section is refused when fingerprints or a signature are required. Without it
    /// there is no date (release 0.1 queues drain); a workstation that sent biometrics once is
    /// held to them whatever the date
    #[arg(long, value_name = "DATE", value_parser = passport_register_sim::parse_required_from)]
    pub biometrics_required_from: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum PeselCmd {
    /// Exit 0 and print the birth date and sex if valid; exit 1 and say why if not
    #[command(after_help = "Example:\n  counterctl pesel check 44051401359")]
    Check {
        /// The 11-digit PESEL
        pesel: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum MrzCmd {
    /// Exit 0 with the parsed fields when every check digit holds; exit 1 naming each failing field
    #[command(
        after_help = "Example (the ICAO 9303 specimen; quote the lines, `<` is special to the shell):\n  \
        counterctl mrz check 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'"
    )]
    Check {
        /// First line, 44 characters
        line1: String,
        /// Second line, 44 characters
        line2: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApplicationCmd {
    /// Validate an application file and save it to the journal
    #[command(
        long_about = "Validates the application with exactly the rules the app uses, saves it and its journal\n\
                      entry in one transaction, and prints the application number as the last line.\n\
                      The file format is described by docs/application.schema.json; `photo` is a path to a\n\
                      JPEG or PNG, relative to the file. The biometrics come as flags, files by path\n\
                      (relative to the current directory): from age 12 (not for a temporary passport)\n\
                      two fingers, one a hand, or exceptions for them; from the signing age a signature\n\
                      or why the applicant cannot sign. On invalid input nothing is saved, every field\n\
                      error is listed, and the exit code is 2.",
        after_help = "Example:\n  counterctl application submit docs/examples/application-adult.json \\\n    --finger \"Left IndexFinger=left.png:87\" --finger \"Right IndexFinger=right.png:74\" \\\n    --signature signature.png\n  counterctl application submit adult.json --finger \"Left IndexFinger=left.png:87\" \\\n    --finger-exception \"Right IndexFinger=missing\" --finger \"Right MiddleFinger=middle.png:70\" \\\n    --cannot-sign \"niedowład obu rąk\""
    )]
    Submit {
        /// The application, as JSON
        file: PathBuf,
        #[command(flatten)]
        biometrics: crate::submit_biometrics::BiometricsArgs,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// List applications, newest first, or those matching a search
    #[command(
        after_help = "Example:\n  counterctl application list --surname kow\n  counterctl application list --pesel 44051401359 --json"
    )]
    List {
        /// Only this PESEL
        #[arg(long, conflicts_with = "surname")]
        pesel: Option<String>,
        /// Surnames starting with this (case and Polish letters do not matter)
        #[arg(long)]
        surname: Option<String>,
        /// At most this many
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one application with its sync state
    #[command(after_help = "Example:\n  counterctl application show DEMO-01-000001-43")]
    Show {
        /// The application number, e.g. DEMO-01-000001-43
        number: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum JournalCmd {
    /// Print journal entries as JSON lines, one entry a line, in order
    #[command(
        after_help = "Example:\n  counterctl journal export > journal.jsonl\n  counterctl journal export --after 1000"
    )]
    Export {
        /// Only entries after this sequence number
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
    /// Check the journal's integrity; exit 1 on any inconsistency, 8 on a broken chain
    #[command(
        long_about = "Checks SQLite's integrity and foreign keys, the journal's hash chain and numbering\n\
                      (an altered, removed or reordered entry breaks it), the audit chain (log-ins, refused\n\
                      log-ins, clerk cards), and that every application has exactly its submission entry\n\
                      with the same data. Exit 0 when all holds, 8 when a hash chain is broken (each broken\n\
                      row is named), 1 for any other inconsistency. The same as `counterctl audit verify`.",
        after_help = "Example:\n  counterctl journal verify"
    )]
    Verify(JsonFlag),
    /// List the failed log-ins recorded at this counter, newest first
    #[command(
        long_about = "Every wrong password typed at this counter (log-in, unlock, a supervisor's override,\n\
                      tying a clerk card) is recorded: the clerk identifier typed, the office and workstation,\n\
                      the time (UTC), and how it failed: refused by the register, refused offline by the cached\n\
                      verifier, or refused unchecked because the clerk had to wait (after 5 failures within 5\n\
                      minutes the next attempt waits 1 minute, then 2, 4, ... up to an hour). A later successful\n\
                      log-in of the same clerk is shown beside the failures it ended.",
        after_help = "Example:\n  counterctl journal login-failures --limit 20\n  counterctl journal login-failures --json"
    )]
    LoginFailures {
        /// At most this many, newest first
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Purge the personal data the register acknowledged more than `[retention] days` ago (supervisor)
    #[command(
        long_about = "Retention: for every action the register acknowledged more than `[retention] days` ago\n\
                      (config.toml, 1-3650, default 90), the personal data kept here are removed: the\n\
                      application's PESEL, names, address, contacts and photo, who collected a passport, the\n\
                      document's holder; form drafts untouched as long go too. The record itself stays (its\n\
                      number, kind, idempotency key, state, times, the register's answer), and each purge is\n\
                      a row of the audit chain, so `counterctl audit verify` still passes. Never purged: an\n\
                      action the register has not acknowledged, one another action or a supervisor's decision\n\
                      waits on, an application whose passport waits for collection here. Printouts kept of\n\
                      purged records are overwritten and removed. The same purge runs when a supervisor makes\n\
                      today's end-of-day report. Only a supervisor may purge: `--clerk` names the supervisor\n\
                      and their password is read from standard input (one line; typed without echo when it is\n\
                      a terminal; never an argument), checked as the app's log-in checks it: by the register,\n\
                      or while it does not answer against the verifier of their last online log-in here.\n\
                      A wrong password is recorded (journal login-failures) and a burst of them makes the\n\
                      account wait. No password, a wrong one, or a clerk's account: refused with exit 2\n\
                      (6: the register does not answer and the supervisor never logged in here).\n\
                      `--dry-run` only says what would be purged.",
        after_help = "Example:\n  counterctl --clerk demo-supervisor journal purge --dry-run < password.txt\n  counterctl --clerk demo-supervisor journal purge --json   (asks for the password)"
    )]
    Purge {
        /// Say what would be purged; remove nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check both hash chains and name every broken row; exit 8 on a broken chain
    #[command(
        long_about = "Checks the journal's hash chain (every action, decision and override) and the audit\n\
                      chain (log-ins, refused log-ins, clerk cards bound and unbound), and everything\n\
                      `counterctl journal verify` checks (it is the same check). A row edited, deleted,\n\
                      inserted or moved is named: the table, its number, and what happened. Exit 0 when\n\
                      all holds, 8 when a hash chain is broken, 1 for any other inconsistency.",
        after_help = "Example:\n  counterctl audit verify\n  counterctl audit verify --json"
    )]
    Verify(JsonFlag),
    /// List the audit chain's rows in order: number, kind, who, which record, when, detail
    #[command(after_help = "Example:\n  counterctl audit list --after 100 --json")]
    List {
        /// Only rows after this number
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// At most this many
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the data directory, office, workstation, clerk and register, with their sources
    #[command(after_help = "Example:\n  counterctl config show --json")]
    Show(JsonFlag),
}
