//! What the journal's test files share: a fixed "today", demo applications,
//! a journal opened as the demo workstation, and the sqlite3 command line
//! for changing or reading the file behind the journal's back.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test code

use chrono::NaiveDate;
use passport_domain::application::ApplicationRules;
use passport_domain::{ValidApplication, demo};
use passport_journal::{Identity, Journal, JournalOptions};
use std::path::Path;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// Demo applicant `i`, validated with the demo photo.
pub fn app(i: u64) -> ValidApplication {
    demo::adult_draft(i, today())
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today()))
        .unwrap()
}

pub async fn open(path: &Path) -> Journal {
    Journal::open(path, Identity::demo(), JournalOptions::default())
        .await
        .unwrap()
}

/// Runs `sql` on the file with the sqlite3 command line.
pub fn raw(path: &Path, sql: &str) {
    let status = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .status()
        .unwrap();
    assert!(status.success(), "sqlite3 {sql}");
}

/// The single number `sql` answers, read with the sqlite3 command line.
pub fn number(path: &Path, sql: &str) -> u64 {
    let out = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(sql)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Whether the file `path` + `suffix` (`-wal`, `.plaintext`) exists.
pub fn exists_with_suffix(path: &Path, suffix: &str) -> bool {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    Path::new(&name).exists()
}
