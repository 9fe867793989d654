//! The counter's own logs, for office IT: what started and stopped, the
//! settings in force, the register's contact coming and going, sync rounds,
//! card readers, print jobs, and errors by their codes.
//!
//! Structured lines from `tracing` (`tracing-subscriber`'s text format: an
//! RFC 3339 UTC time, the level, where it came from, the message and
//! `key=value` fields) go to `logs/` in the data directory, one file per
//! program (`counter.log` for the app, `counterctl.log` for the tool), 0700
//! and 0600 like everything else the counter writes. A file that would grow
//! past `[logs] max_file_kib` is renamed `counter.log.1` (the older ones
//! move up, the oldest beyond `max_files` is deleted), so the logs never
//! hold more than `max_files × max_file_kib` per program. A write that
//! fails (a full disk) loses that line, never the action being logged.
//!
//! **No personal data.** The types holding them print nothing through
//! `Debug` (`passport_domain::redact`), the counter's log sites carry only
//! codes, counts, states, durations and identifiers (a journal entry's id,
//! an application number, a document number), and a test
//! (`tests/log_sites.rs`) refuses a `tracing` macro that names a personal
//! field. Other crates' events (HTTP, SQL) are kept at `warn` whatever the
//! level: their `debug` and `trace` describe requests, not the counter.
//! `tests/log_privacy.rs` runs a day at `trace` and finds no PESEL, name,
//! e-mail or photo bytes in any line.

use crate::files::{create_dir_owner_only, owner_only_file, read_regular_text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The subdirectory of the data directory holding the logs.
pub const LOGS_DIR: &str = "logs";

/// How much is logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Error,
    Warn,
    #[default]
    Info,
    Debug,
    Trace,
}

impl LogLevel {
    fn filter(self) -> tracing::Level {
        match self {
            LogLevel::Error => tracing::Level::ERROR,
            LogLevel::Warn => tracing::Level::WARN,
            LogLevel::Info => tracing::Level::INFO,
            LogLevel::Debug => tracing::Level::DEBUG,
            LogLevel::Trace => tracing::Level::TRACE,
        }
    }
}

/// `[logs]` in `config.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// `error`, `warn`, `info` (the default), `debug` or `trace`.
    pub level: LogLevel,
    /// A log file is rotated before it grows past this many KiB.
    pub max_file_kib: u32,
    /// Files kept per program, the one being written included.
    pub max_files: u32,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            level: LogLevel::Info,
            max_file_kib: 10 * 1024,
            max_files: 5,
        }
    }
}

/// A number in `[logs]`: its key, its inclusive range, where to find it.
pub type LogLimit = (&'static str, u32, u32, fn(&LogSettings) -> u32);

/// The allowed range of each number in `[logs]`, inclusive: at least a
/// screenful, at most 2 GiB in all.
pub const LOG_LIMITS: &[LogLimit] = &[
    ("max_file_kib", 64, 100 * 1024, |l| l.max_file_kib),
    ("max_files", 1, 20, |l| l.max_files),
];

/// Which program writes: each has its own files, so two processes never
/// rotate the same file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    App,
    Counterctl,
}

impl Program {
    pub fn file_stem(self) -> &'static str {
        match self {
            Program::App => "counter",
            Program::Counterctl => "counterctl",
        }
    }
}

/// Why logging could not start or the logs could not be read. Never fatal
/// to the counter: the app and `counterctl` say it and go on.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot write the logs in {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("logging was already started in this process")]
    AlreadyStarted,
    #[error("cannot read the logs: {0}")]
    Read(#[from] crate::files::FileError),
    #[error("`{0}` is not a duration: write a number and s, m, h or d (90s, 30m, 2h, 7d)")]
    Duration(String),
}

impl LogError {
    /// A stable code (the words table has its words).
    pub fn code(&self) -> &'static str {
        match self {
            LogError::Io { .. } => "logs.unwritable",
            LogError::AlreadyStarted => "logs.already_started",
            LogError::Read(_) => "logs.unreadable",
            LogError::Duration(_) => "logs.bad_duration",
        }
    }
}

/// A log file that rotates by size (see the module doc). Writes are whole
/// lines: `tracing-subscriber` formats an event, then writes it at once.
#[derive(Debug)]
pub struct RotatingFile {
    dir: PathBuf,
    stem: &'static str,
    max_bytes: u64,
    max_files: u32,
    file: Option<File>,
}

impl RotatingFile {
    /// Opens (appends to) `<dir>/<stem>.log`, creating `dir` 0700 and the
    /// file 0600.
    pub fn open(
        dir: &Path,
        stem: &'static str,
        max_bytes: u64,
        max_files: u32,
    ) -> io::Result<Self> {
        create_dir_owner_only(dir)?;
        let mut f = Self {
            dir: dir.to_owned(),
            stem,
            max_bytes: max_bytes.max(1),
            max_files: max_files.max(1),
            file: None,
        };
        f.file = Some(f.open_current()?);
        Ok(f)
    }

    fn path(&self, index: u32) -> PathBuf {
        if index == 0 {
            self.dir.join(format!("{}.log", self.stem))
        } else {
            self.dir.join(format!("{}.log.{index}", self.stem))
        }
    }

    fn open_current(&self) -> io::Result<File> {
        owner_only_file()
            .create(true)
            .append(true)
            .open(self.path(0))
    }

    /// `stem.log` becomes `stem.log.1`, `.1` becomes `.2`, …; the file that
    /// would be number `max_files` is deleted.
    fn rotate(&mut self) -> io::Result<()> {
        self.file = None;
        let last = self.max_files.saturating_sub(1);
        if last == 0 {
            std::fs::remove_file(self.path(0))?;
        } else {
            match std::fs::remove_file(self.path(last)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            for i in (0..last).rev() {
                match std::fs::rename(self.path(i), self.path(i + 1)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
        }
        self.file = Some(self.open_current()?);
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let len = match &self.file {
            Some(f) => f.metadata()?.len(),
            None => {
                self.file = Some(self.open_current()?);
                0
            }
        };
        let add = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        if len > 0 && len.saturating_add(add) > self.max_bytes {
            self.rotate()?;
        }
        match &mut self.file {
            Some(f) => {
                f.write_all(buf)?;
                Ok(buf.len())
            }
            None => Err(io::Error::other("log file not open")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// The logs directory of a data directory.
pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(LOGS_DIR)
}

/// Starts logging for this process: `settings`' level for the counter's
/// own crates, `warn` (or less) for every other crate, into `program`'s
/// rotating file under `data_dir`, and to stderr as well when `stderr`.
pub fn init(
    data_dir: &Path,
    settings: &LogSettings,
    program: Program,
    stderr: bool,
) -> Result<(), LogError> {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::{Layer as _, fmt};

    let dir = logs_dir(data_dir);
    let io_err = |source| LogError::Io {
        path: dir.clone(),
        source,
    };
    // The data directory itself 0700 too, when logging is the first to
    // create it.
    create_dir_owner_only(data_dir).map_err(io_err)?;
    let file = RotatingFile::open(
        &dir,
        program.file_stem(),
        u64::from(settings.max_file_kib) * 1024,
        settings.max_files,
    )
    .map_err(io_err)?;
    let own = LevelFilter::from_level(settings.level.filter());
    let others = own.min(LevelFilter::WARN);
    let targets = Targets::new()
        .with_target("passport", own)
        .with_target("counterctl", own)
        .with_default(others);
    let file_layer = fmt::layer()
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .with_filter(targets.clone());
    let stderr_layer = stderr.then(|| fmt::layer().with_writer(io::stderr).with_filter(targets));
    let subscriber = tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer);
    tracing::subscriber::set_global_default(subscriber).map_err(|_| LogError::AlreadyStarted)
}

/// One log event: its time and its text (with any continuation lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// Every log file under `data_dir/logs` (both programs, rotated ones
/// included).
pub fn log_files(data_dir: &Path) -> Result<Vec<PathBuf>, LogError> {
    let dir = logs_dir(data_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(LogError::Io { path: dir, source }),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LogError::Io {
            path: dir.clone(),
            source,
        })?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = [Program::App, Program::Counterctl].iter().any(|p| {
            let base = format!("{}.log", p.file_stem());
            name == base.as_str()
                || name
                    .strip_prefix(&format!("{base}."))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        if ours {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// The largest log file read: the largest a file may grow to, and some.
const MAX_LOG_FILE_BYTES: u64 = 101 * 1024 * 1024;

/// Parses the events of one log file's text. A line that does not start
/// with a time continues the event before it; text before the first event
/// is skipped.
pub fn parse(text: &str) -> Vec<LogLine> {
    let mut out: Vec<LogLine> = Vec::new();
    for line in text.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        match DateTime::parse_from_rfc3339(first) {
            Ok(at) => out.push(LogLine {
                at: at.with_timezone(&Utc),
                text: line.to_owned(),
            }),
            Err(_) => {
                if let Some(last) = out.last_mut() {
                    last.text.push('\n');
                    last.text.push_str(line);
                }
            }
        }
    }
    out
}

/// Every event logged at or after `since` (all when `None`), oldest first,
/// the programs' files merged.
pub fn read(data_dir: &Path, since: Option<DateTime<Utc>>) -> Result<Vec<LogLine>, LogError> {
    let mut all = Vec::new();
    for path in log_files(data_dir)? {
        let text = match read_regular_text(&path, MAX_LOG_FILE_BYTES) {
            Ok(t) => t,
            // Rotated away between listing and reading.
            Err(crate::files::FileError::Io { source, .. })
                if source.kind() == io::ErrorKind::NotFound =>
            {
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        all.extend(
            parse(&text)
                .into_iter()
                .filter(|l| since.is_none_or(|s| l.at >= s)),
        );
    }
    all.sort_by_key(|l| l.at);
    Ok(all)
}

/// Writes `lines` to `path` (created 0600, replaced if it exists).
pub fn export(lines: &[LogLine], path: &Path) -> Result<(), LogError> {
    let io_err = |source| LogError::Io {
        path: path.to_owned(),
        source,
    };
    let mut f = owner_only_file()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(io_err)?;
    passport_journal::private::tighten_file(&f).map_err(io_err)?;
    for l in lines {
        writeln!(f, "{}", l.text).map_err(io_err)?;
    }
    f.sync_all().map_err(io_err)
}

/// `90s`, `30m`, `2h`, `7d`: how far back `counterctl logs --since` looks.
pub fn parse_duration(text: &str) -> Result<Duration, LogError> {
    let bad = || LogError::Duration(text.to_owned());
    let t = text.trim();
    let Some((at, _)) = t.char_indices().last() else {
        return Err(bad());
    };
    let (number, unit) = t.split_at(at);
    let n: u64 = number.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        _ => None,
    }
    .filter(|s| *s <= 3650 * 86_400)
    .ok_or_else(bad)?;
    Ok(Duration::from_secs(secs))
}

/// A register address as it may be logged: scheme, host and port only (a
/// user name or password in the URL, a path or a query are left out).
pub fn loggable_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    if scheme.is_empty() {
        host.to_owned()
    } else {
        format!("{scheme}://{host}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use super::*;

    #[test]
    fn a_file_rotates_by_size_and_keeps_at_most_max_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("logs");
        let mut f = RotatingFile::open(&dir, "counter", 1000, 3).unwrap();
        let line = format!("{}\n", "x".repeat(99));
        for _ in 0..100 {
            f.write_all(line.as_bytes()).unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["counter.log", "counter.log.1", "counter.log.2"]);
        for n in &names {
            let len = std::fs::metadata(dir.join(n)).unwrap().len();
            assert!(len <= 1000 && len.is_multiple_of(100), "{n}: {len}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            for n in &names {
                assert_eq!(mode(&dir.join(n)), 0o600, "{n}");
            }
        }
    }

    #[test]
    fn one_file_only_is_emptied_by_rotation() {
        let tmp = tempfile::tempdir().unwrap();
        let mut f = RotatingFile::open(tmp.path(), "counterctl", 100, 1).unwrap();
        for _ in 0..10 {
            f.write_all(&[b'y'; 60]).unwrap();
        }
        assert_eq!(
            std::fs::metadata(tmp.path().join("counterctl.log"))
                .unwrap()
                .len(),
            60
        );
    }

    #[test]
    fn events_are_read_merged_and_filtered_by_time() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(LOGS_DIR);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("counter.log.1"),
            "2026-11-29T10:00:00.000000Z  INFO passport_counter_core: started\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("counter.log"),
            "2026-11-29T12:00:00.000000Z  WARN passport_counter_core: two\nlines\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("counterctl.log"),
            "2026-11-29T11:00:00.000000Z  INFO counterctl: sync\n",
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), "2026-11-29T11:30:00Z x\n").unwrap();
        let all = read(tmp.path(), None).unwrap();
        let texts: Vec<&str> = all.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "2026-11-29T10:00:00.000000Z  INFO passport_counter_core: started",
                "2026-11-29T11:00:00.000000Z  INFO counterctl: sync",
                "2026-11-29T12:00:00.000000Z  WARN passport_counter_core: two\nlines",
            ]
        );
        let since = DateTime::parse_from_rfc3339("2026-11-29T11:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(read(tmp.path(), Some(since)).unwrap().len(), 2);
        let out = tmp.path().join("export.log");
        export(&all[1..], &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "2026-11-29T11:00:00.000000Z  INFO counterctl: sync\n\
             2026-11-29T12:00:00.000000Z  WARN passport_counter_core: two\nlines\n"
        );
        assert!(read(&tmp.path().join("absent"), None).unwrap().is_empty());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("30m").unwrap(), Duration::from_secs(1800));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7200));
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(604_800));
        for bad in [
            "",
            "h",
            "5",
            "-5m",
            "5 weeks",
            "99999999999999999999d",
            "ąm",
            "mą",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_url_is_logged_without_credentials_or_path() {
        assert_eq!(
            loggable_url("https://user:secret@register.gov.pl:8443/v1?token=x"),
            "https://register.gov.pl:8443"
        );
        assert_eq!(
            loggable_url("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
    }
}
