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
    /// Language of field messages
    #[arg(long, global = true, value_enum, default_value_t = Lang::Pl)]
    pub lang: Lang,
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
    /// Show the counter's status: office, queue depth, oldest pending action
    #[command(after_help = "Example:\n  counterctl status\n  counterctl status --json")]
    Status(JsonFlag),
    /// Show the settings in force and where each came from
    #[command(subcommand)]
    Config(ConfigCmd),
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
                      JPEG or PNG, relative to the file. On invalid input nothing is saved, every field\n\
                      error is listed, and the exit code is 2.",
        after_help = "Example:\n  counterctl application submit docs/examples/application-adult.json"
    )]
    Submit {
        /// The application, as JSON
        file: PathBuf,
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
    /// Check the journal's integrity; exit 1 on any inconsistency
    #[command(
        long_about = "Checks SQLite's integrity and foreign keys, the journal's hash chain and numbering\n\
                      (an altered, removed or reordered entry breaks it), and that every application has\n\
                      exactly its submission entry with the same data. Exit 0 when all holds, 1 otherwise.",
        after_help = "Example:\n  counterctl journal verify"
    )]
    Verify(JsonFlag),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the data directory, office, workstation, clerk and register, with their sources
    #[command(after_help = "Example:\n  counterctl config show --json")]
    Show(JsonFlag),
}
