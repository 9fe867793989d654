//! What the journal leaves on disk, read as someone who copies the files
//! would: owner-only modes on the data directory and every file in it
//! (SQLite's own -wal and -shm included), and no trace of a PESEL that was
//! deleted or overwritten (`secure_delete`).

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{app, open, raw};

use passport_domain::demo;
use passport_journal::drafts::{FormKind, GuardianFormDraft};
use passport_journal::{ApplicationFormDraft, DraftKind, PhotoChange};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file and directory under `root`, `root` included.
fn walk(root: &Path) -> Vec<PathBuf> {
    let mut all = vec![root.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(&all[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            inner.sort();
            all.extend(inner);
        }
        i += 1;
    }
    all
}

/// The paths under `root` whose mode is not owner-only, with the mode.
fn loose(root: &Path) -> Vec<(PathBuf, u32)> {
    walk(root)
        .into_iter()
        .filter(|p| {
            let want = if p.is_dir() { 0o700 } else { 0o600 };
            mode(p) != want
        })
        .map(|p| {
            let m = mode(&p);
            (p, m)
        })
        .collect()
}

/// The environment really would create loose files: without this the
/// mode checks below could pass by luck of a strict umask.
fn assert_umask_is_permissive(dir: &Path) {
    let probe = dir.join("umask-probe");
    std::fs::File::create(&probe).unwrap();
    let m = mode(&probe);
    std::fs::remove_file(&probe).unwrap();
    assert_ne!(
        m & 0o044,
        0,
        "the umask already hides files from others ({m:o}); run with umask 022"
    );
}

#[tokio::test]
async fn the_data_directory_and_every_file_in_it_are_owner_only() {
    let tmp = tempfile::tempdir().unwrap();
    assert_umask_is_permissive(tmp.path());
    let data = tmp.path().join("fresh/data");
    let db = data.join("journal.db");
    let j = open(&db).await;
    for i in 1..=3 {
        j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
    }
    // While open: the WAL and the shared memory exist and follow the
    // database's mode.
    assert!(data.join("journal.db-wal").exists());
    assert!(data.join("journal.db-shm").exists());
    assert!(data.join("journal.db.head").exists());
    assert_eq!(loose(&data), vec![], "while the journal is open");
    assert_eq!(mode(&tmp.path().join("fresh")), 0o700, "a created parent");
    j.close().await;
    assert_eq!(loose(&data), vec![], "after it is closed");
}

#[tokio::test]
async fn what_an_earlier_release_left_readable_is_tightened_when_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("journal.db");
    let j = open(&db).await;
    j.submit_application(&app(1), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    j.close().await;
    // The current release's modes: 0755 and 0644 (a WAL left by a crash too).
    let set = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };
    std::fs::write(data.join("journal.db-wal"), b"").unwrap();
    for p in walk(&data) {
        set(&p, if p.is_dir() { 0o755 } else { 0o644 });
    }
    assert_ne!(loose(&data), vec![]);

    let j = open(&db).await;
    j.submit_application(&app(2), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    assert_eq!(loose(&data), vec![]);
    j.close().await;
}

const GONE_PESEL: &str = "44051401359";
const REPLACED_PESEL: &str = "02070803628";
const KEPT_PESEL: &str = "90090515836";

fn draft(pesel: &str, surname: &str) -> ApplicationFormDraft {
    ApplicationFormDraft {
        kind: FormKind::Passport,
        urgent_reason: String::new(),
        validity_days: String::new(),
        second_passport_justification: String::new(),
        existing_passport: String::new(),
        previous_passport: String::new(),
        pesel: pesel.into(),
        surname: surname.into(),
        given_names: "Zofia".into(),
        birth_date: String::new(),
        birth_place: String::new(),
        sex: "F".into(),
        citizenship: "POL".into(),
        street: String::new(),
        building: String::new(),
        flat: String::new(),
        postal_code: String::new(),
        city: String::new(),
        phone: String::new(),
        email: String::new(),
        applicant_present: true,
        guardians: Vec::<GuardianFormDraft>::new(),
        consent_basis: String::new(),
        consent_reference: String::new(),
        reduction: "none".into(),
        large_family_card: String::new(),
        photo_name: String::new(),
        biometrics: Default::default(),
        biometrics_progress: None,
    }
}

/// Which files under `dir` hold `needle` anywhere in their bytes.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .filter(|p| {
            std::fs::read(p)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        })
        .collect()
}

#[tokio::test]
async fn a_deleted_or_overwritten_pesel_is_gone_from_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("journal.db");
    let j = open(&db).await;
    for (clerk, pesel) in [
        ("clerk-1", GONE_PESEL),
        ("clerk-2", REPLACED_PESEL),
        ("clerk-3", KEPT_PESEL),
    ] {
        j.save_draft(clerk, &draft(pesel, "Wiśniewska"), &PhotoChange::Keep)
            .await
            .unwrap();
    }
    // In the database file itself, not only in the WAL.
    j.checkpoint().await.unwrap();
    assert!(files_holding(&data, GONE_PESEL).contains(&db));
    // One draft discarded, one replaced by a longer one (so its old cell
    // is freed, not written over in place).
    assert!(
        j.discard_draft("clerk-1", DraftKind::Application)
            .await
            .unwrap()
    );
    j.save_draft(
        "clerk-2",
        &draft("85022812343", "Wiśniewska-Brzęczyszczykiewicz"),
        &PhotoChange::Keep,
    )
    .await
    .unwrap();
    j.close().await;

    assert_eq!(files_holding(&data, GONE_PESEL), Vec::<PathBuf>::new());
    assert_eq!(files_holding(&data, REPLACED_PESEL), Vec::<PathBuf>::new());
    assert_eq!(files_holding(&data, KEPT_PESEL), vec![db], "the kept draft");
}

/// The check above can fail: SQLite's default leaves a deleted row's bytes
/// in the page, and the same search finds them.
#[test]
fn without_secure_delete_a_deleted_pesel_stays_in_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plain.db");
    raw(
        &db,
        &format!(
            "PRAGMA secure_delete = OFF; CREATE TABLE t (x TEXT); \
             INSERT INTO t VALUES ('{GONE_PESEL}'), ('other'); DELETE FROM t WHERE x = '{GONE_PESEL}';"
        ),
    );
    assert_eq!(files_holding(tmp.path(), GONE_PESEL), vec![db]);
}
