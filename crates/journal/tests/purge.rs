//! Retention on a real, encrypted journal file: what the register
//! acknowledged long enough ago loses its personal data, nothing else
//! does; the chains still verify, and a purge done behind the journal's
//! back (no audit record) is named. The database, its WAL and shm are
//! decrypted page by page with the journal's key (AES-256-CBC as SQLCipher
//! 4 writes it) and searched: the purged applicant's PESEL and surname are
//! in none of them, an unacknowledged applicant's are.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use aes::cipher::{BlockCipherDecrypt, KeyInit};
use chrono::{Duration, Utc};
use common::app;
use passport_domain::demo;
use passport_journal::cipher::run_sql_behind_the_journal;
use passport_journal::{
    Identity, Journal, JournalKey, JournalOptions, KeyFile, SyncOutcome, SyncResult,
};
use std::path::{Path, PathBuf};

const PAGE: usize = 4096;
/// SQLCipher 4's reserve at the end of each page: a 16-byte IV, then a
/// 64-byte HMAC-SHA512.
const RESERVE: usize = 80;

/// A key file and the raw key bytes in it (the second line, hex).
fn key(dir: &Path) -> (JournalKey, [u8; 32]) {
    let file = KeyFile::new(dir.join("config/journal.key"));
    let key = file.create().unwrap();
    let text = std::fs::read_to_string(file.path()).unwrap();
    let hex = text.lines().nth(1).unwrap().trim();
    let mut raw = [0u8; 32];
    for (i, b) in raw.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    (key, raw)
}

fn keyed(key: &JournalKey) -> JournalOptions {
    JournalOptions {
        key: Some(key.clone()),
        ..JournalOptions::default()
    }
}

/// One SQLCipher page decrypted (page 1 starts after the 16-byte salt).
fn decrypt_page(aes: &aes::Aes256, page: &[u8], first: bool) -> Vec<u8> {
    let start = if first { 16 } else { 0 };
    let end = PAGE - RESERVE;
    let mut prev: [u8; 16] = page[end..end + 16].try_into().unwrap();
    let mut out = Vec::with_capacity(end - start);
    for chunk in page[start..end].chunks(16) {
        let mut block = aes::Block::try_from(chunk).unwrap();
        aes.decrypt_block(&mut block);
        out.extend(block.iter().zip(prev).map(|(b, p)| b ^ p));
        prev = chunk.try_into().unwrap();
    }
    out
}

/// The database file, its WAL and shm, each decrypted where it holds
/// pages (the shm holds only WAL indexes: searched as it is).
fn decrypted(db: &Path, raw: &[u8; 32]) -> Vec<(PathBuf, Vec<u8>)> {
    let aes = aes::Aes256::new_from_slice(raw).unwrap();
    let with = |suffix: &str| {
        let mut n = db.as_os_str().to_owned();
        n.push(suffix);
        PathBuf::from(n)
    };
    let mut files = Vec::new();
    let bytes = std::fs::read(db).unwrap();
    let mut plain = Vec::new();
    for (i, page) in bytes.chunks(PAGE).enumerate() {
        if page.len() == PAGE {
            plain.extend(decrypt_page(&aes, page, i == 0));
        }
    }
    files.push((db.to_path_buf(), plain));
    let wal = with("-wal");
    if let Ok(bytes) = std::fs::read(&wal) {
        let mut plain = Vec::new();
        // A 32-byte header, then frames: a 24-byte header (the page number
        // first, big-endian) and the page.
        let mut at = 32;
        while at + 24 + PAGE <= bytes.len() {
            let number = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
            plain.extend(decrypt_page(
                &aes,
                &bytes[at + 24..at + 24 + PAGE],
                number == 1,
            ));
            at += 24 + PAGE;
        }
        files.push((wal, plain));
    }
    if let Ok(bytes) = std::fs::read(with("-shm")) {
        files.push((with("-shm"), bytes));
    }
    files
}

fn found(files: &[(PathBuf, Vec<u8>)], needle: &str) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(_, b)| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(p, _)| p.clone())
        .collect()
}

async fn ack(j: &Journal, id: &str) {
    j.record_results(
        &[SyncResult {
            id: id.into(),
            outcome: SyncOutcome::Acknowledged,
        }],
        None,
    )
    .await
    .unwrap();
}

/// Moves an entry's last state change back in time (the clock moving on).
async fn age(db: &Path, key: &JournalKey, seq: i64, days: i64) {
    let at =
        (Utc::now() - Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    run_sql_behind_the_journal(
        db,
        Some(key),
        &format!("UPDATE journal SET state_changed_at = '{at}' WHERE seq = {seq}"),
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_and_old_is_purged_the_rest_is_kept_and_the_chain_still_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, raw) = key(tmp.path());
    let db = tmp.path().join("journal.db");
    let j = Journal::open(&db, Identity::demo(), keyed(&key))
        .await
        .unwrap();

    // 1 acknowledged 100 days ago: purged. 2 acknowledged today: kept.
    // 3 never sent: kept. 4 refused 100 days ago: kept. 5 acknowledged 100
    // days ago, its passport waiting for collection here: kept.
    let mut saved = Vec::new();
    for i in 1..=5u64 {
        saved.push(
            j.submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
                .await
                .unwrap(),
        );
    }
    for s in [&saved[0], &saved[1], &saved[4]] {
        ack(&j, &s.journal_id).await;
    }
    j.record_results(
        &[SyncResult {
            id: saved[3].journal_id.clone(),
            outcome: SyncOutcome::Rejected {
                reason: "pesel_invalid".into(),
            },
        }],
        None,
    )
    .await
    .unwrap();
    for seq in [1, 3, 4, 5] {
        age(&db, &key, seq, 100).await;
    }
    j.cache_ready_documents(&[passport_journal::ReadyDocument {
        document_number: "DA9000005".into(),
        application_number: Some(saved[4].number.clone()),
        pesel: app(5).applicant.pesel.to_string(),
        surname: app(5).applicant.surname.clone(),
        given_names: app(5).applicant.given_names.clone(),
        mrz_line1: None,
        mrz_line2: None,
    }])
    .await
    .unwrap();
    // A draft untouched for 100 days, and one from today.
    let old =
        (Utc::now() - Duration::days(100)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    run_sql_behind_the_journal(
        &db,
        Some(&key),
        &format!(
            "INSERT INTO drafts (clerk_id, kind, body, updated_at) VALUES
               ('clerk-1', 'application', '{{\"surname\":\"Zapomniany\"}}', '{old}'),
               ('clerk-2', 'application', '{{\"surname\":\"Dzisiejszy\"}}', '{}')",
            Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        ),
    )
    .await
    .unwrap();

    let purged_pesel = app(1).applicant.pesel.to_string();
    let purged_surname = app(1).applicant.surname.clone();
    let kept_pesel = app(3).applicant.pesel.to_string();
    assert!(
        (2..=5).all(|i| app(i).applicant.surname != purged_surname),
        "the demo applicants must have distinct surnames for this test"
    );

    // A dry run says what would go, and changes nothing.
    let dry = j
        .purge_personal_data("supervisor-1", Utc::now(), 90, true)
        .await
        .unwrap();
    assert_eq!(dry.entries, 1, "{dry:?}");
    assert_eq!(dry.kept_waiting, 1, "{dry:?}");
    assert_eq!(dry.drafts, 1, "{dry:?}");
    assert!(j.application(&saved[0].number).await.unwrap().is_some());
    assert_eq!(j.audit_rows(0, 100).await.unwrap().len(), 0);

    let report = j
        .purge_personal_data("supervisor-1", Utc::now(), 90, false)
        .await
        .unwrap();
    assert_eq!(report.entries, 1, "{report:?}");
    assert_eq!(report.kinds.len(), 1);
    assert_eq!(report.kinds[0].kind, "submit_application");
    assert_eq!(report.kinds[0].count, 1);
    assert_eq!(report.kept_waiting, 1);
    assert_eq!(report.kept_tampered, 0);
    assert_eq!(report.drafts, 1);
    // The photo is the same demo photo as the kept applications': it stays.
    assert_eq!(report.photos, 0);
    assert_eq!(
        report.records,
        vec![("submit_application".to_owned(), saved[0].number.clone())]
    );
    let entries = j.entries(0, 100).await.unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[0].payload_text, "null");
    assert_eq!(
        entries[0].sync_state,
        passport_journal::SyncState::Acknowledged
    );
    assert_eq!(entries[0].record_key, saved[0].number);
    for e in &entries[1..] {
        assert!(e.payload_text.contains(&e.record_key), "{}", e.seq);
    }
    assert!(j.application(&saved[0].number).await.unwrap().is_none());
    for s in &saved[1..] {
        assert!(j.application(&s.number).await.unwrap().is_some());
    }
    let audit = j.audit_rows(0, 100).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].kind, "purge");
    assert_eq!(audit[0].actor, "supervisor-1");
    assert_eq!(audit[0].record_key, saved[0].journal_id);
    // Purging again finds nothing more.
    let again = j
        .purge_personal_data("supervisor-1", Utc::now(), 90, false)
        .await
        .unwrap();
    assert_eq!(again.entries, 0);

    let v = j.verify().await.unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    assert!(!v.chain_broken);

    // What is in the files, decrypted: open, then closed.
    for when in ["open", "closed"] {
        let files = decrypted(&db, &raw);
        assert!(
            !found(&files, &kept_pesel).is_empty(),
            "{when}: the decryption must find the unacknowledged applicant's PESEL"
        );
        assert!(
            !found(&files, &app(3).applicant.surname).is_empty(),
            "{when}"
        );
        assert!(!found(&files, "Dzisiejszy").is_empty(), "{when}");
        for needle in [purged_pesel.as_str(), purged_surname.as_str(), "Zapomniany"] {
            let hits = found(&files, needle);
            assert!(hits.is_empty(), "{when}: {needle} still in {hits:?}");
        }
        if when == "open" {
            j.clone().close().await;
        }
    }

    // Tampering behind the journal's back, each on its own copy.
    let copy = |name: &str| {
        let to = tmp.path().join(name);
        std::fs::copy(&db, &to).unwrap();
        to
    };
    let verify_copy = |path: PathBuf, sql: &'static str| {
        let key = key.clone();
        async move {
            run_sql_behind_the_journal(&path, Some(&key), sql)
                .await
                .unwrap();
            let j = Journal::open(&path, Identity::demo(), keyed(&key))
                .await
                .unwrap();
            let v = j.verify().await.unwrap();
            j.close().await;
            v
        }
    };

    // An acknowledged entry's payload removed without a purge.
    let v = verify_copy(
        copy("no-audit.db"),
        "UPDATE journal SET payload = 'null' WHERE seq = 2",
    )
    .await;
    assert!(v.chain_broken);
    assert!(
        v.problems
            .iter()
            .any(|p| p.starts_with("journal entry 2 (submit_application")
                && p.contains("without a purge record")),
        "{:?}",
        v.problems
    );
    // A purged entry edited afterwards.
    let v = verify_copy(
        copy("edited.db"),
        "UPDATE journal SET record_key = 'DEMO-01-999999-00' WHERE seq = 1",
    )
    .await;
    assert!(v.chain_broken);
    assert!(
        v.problems
            .iter()
            .any(|p| p.starts_with("journal entry 1 (submit_application")
                && p.contains("no longer matches its purge record")),
        "{:?}",
        v.problems
    );
    // The purge row deleted: the entry has no record, and the audit row
    // names a purge that is gone.
    let v = verify_copy(copy("no-row.db"), "DELETE FROM purges").await;
    assert!(v.chain_broken);
    assert!(
        v.problems
            .iter()
            .any(|p| p.contains("journal entry 1") && p.contains("without a purge record")),
        "{:?}",
        v.problems
    );
    assert!(
        v.problems
            .iter()
            .any(|p| p.contains("(audit_log row 1) has no purge row")),
        "{:?}",
        v.problems
    );
}

/// An acknowledged entry edited behind the journal's back is kept as it
/// is (the evidence), and `verify` goes on naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_entry_is_not_purged() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("journal.db");
    let j = common::open(&db).await;
    let s = j
        .submit_application(&app(1), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    ack(&j, &s.journal_id).await;
    run_sql_behind_the_journal(
        &db,
        None,
        "UPDATE journal SET payload = replace(payload, '\"number\"', '\"number\" '),
                            state_changed_at = '2020-01-01T00:00:00.000Z'",
    )
    .await
    .unwrap();
    let report = j
        .purge_personal_data("supervisor-1", Utc::now(), 90, false)
        .await
        .unwrap();
    assert_eq!((report.entries, report.kept_tampered), (0, 1), "{report:?}");
    let v = j.verify().await.unwrap();
    assert!(
        v.problems.iter().any(|p| p.contains("journal entry 1")),
        "{:?}",
        v.problems
    );
    j.close().await;
}

/// The end-of-day summary reads what was purged in a time range.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_was_purged_is_summarised_by_day() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("journal.db");
    let j = common::open(&db).await;
    for i in 1..=3 {
        let s = j
            .submit_application(&app(i), demo::PHOTO_PNG, "clerk-1")
            .await
            .unwrap();
        ack(&j, &s.journal_id).await;
    }
    let later = Utc::now() + Duration::days(91);
    let report = j
        .purge_personal_data("supervisor-1", later, 90, false)
        .await
        .unwrap();
    assert_eq!(report.entries, 3);
    // The last application's photo went with it.
    assert_eq!(report.photos, 1);
    let day = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let s = j
        .purged_between(
            &day(later - Duration::hours(1)),
            &day(later + Duration::hours(1)),
        )
        .await
        .unwrap();
    assert_eq!(s.total(), 3);
    assert_eq!(s.kinds[0].kind, "submit_application");
    assert!(s.oldest <= s.newest);
    assert!(s.oldest.is_some());
    let none = j
        .purged_between(
            &day(Utc::now() - Duration::hours(1)),
            &day(Utc::now() + Duration::hours(1)),
        )
        .await
        .unwrap();
    assert_eq!(none.total(), 0);
    let v = j.verify().await.unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    j.close().await;
}

/// A hand-over waits for its own acknowledgement before its application
/// is purged; then both go, with who collected (a parent), the document
/// and the previous passport it invalidated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_and_its_application_are_purged_together() {
    use passport_journal::{ChipCheck, Collector, HandoverPayload, ReadyDocument};
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("journal.db");
    let j = common::open(&db).await;
    let a = app(5);
    let saved = j
        .submit_application(&a, demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    let doc = |number: &str, app_number: Option<String>| ReadyDocument {
        document_number: number.into(),
        application_number: app_number,
        pesel: a.applicant.pesel.to_string(),
        surname: a.applicant.surname.clone(),
        given_names: a.applicant.given_names.clone(),
        mrz_line1: None,
        mrz_line2: None,
    };
    j.cache_ready_documents(&[
        doc("EA1000001", Some(saved.number.clone())),
        doc("EA0999999", None),
    ])
    .await
    .unwrap();
    let (_, handover_id) = j
        .record_handover(
            &HandoverPayload {
                document_number: "EA1000001".into(),
                collected_by: Collector::Parent {
                    pesel: app(9).applicant.pesel,
                    surname: "Rodzicowa".into(),
                    given_names: "Halina".into(),
                },
                identity_check: "dowód osobisty ABC123456".into(),
                chip_check: ChipCheck::Passed,
                previous_passport: Some("EA0999999".into()),
                provisional: false,
            },
            "clerk-1",
        )
        .await
        .unwrap();
    ack(&j, &saved.journal_id).await;
    let old = "UPDATE journal SET state_changed_at = '2020-01-01T00:00:00.000Z'";
    run_sql_behind_the_journal(&db, None, old).await.unwrap();

    // The hand-over is not acknowledged yet: the application waits for it.
    let r = j
        .purge_personal_data("supervisor-1", Utc::now(), 90, false)
        .await
        .unwrap();
    assert_eq!((r.entries, r.kept_waiting), (0, 1), "{r:?}");
    assert!(j.handover("EA1000001").await.unwrap().is_some());

    ack(&j, &handover_id).await;
    run_sql_behind_the_journal(&db, None, old).await.unwrap();
    let r = j
        .purge_personal_data("supervisor-1", Utc::now(), 90, false)
        .await
        .unwrap();
    assert_eq!(r.entries, 2, "{r:?}");
    assert_eq!(
        r.kinds
            .iter()
            .map(|k| (k.kind.as_str(), k.count))
            .collect::<Vec<_>>(),
        [("record_handover", 1), ("submit_application", 1)]
    );
    assert!(j.handover("EA1000001").await.unwrap().is_none());
    assert!(j.document("EA1000001").await.unwrap().is_none());
    assert!(j.document("EA0999999").await.unwrap().is_none());
    assert!(j.application(&saved.number).await.unwrap().is_none());
    let v = j.verify().await.unwrap();
    assert!(v.ok(), "{:?}", v.problems);
    j.close().await;
    // Nothing of the holder or the parent is left in the (plain) file.
    let bytes = std::fs::read(&db).unwrap();
    for needle in [
        a.applicant.pesel.to_string(),
        app(9).applicant.pesel.to_string(),
        "Rodzicowa".to_owned(),
        a.applicant.surname.clone(),
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} is still in the file"
        );
    }
}

/// A dry run counts the photos the purge then removes: a photo goes when
/// every application holding it is purged (here two applications share
/// the demo photo and both go: one photo), not before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_counts_the_photos_the_purge_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let (key, _) = key(tmp.path());
    let db = tmp.path().join("journal.db");
    let j = Journal::open(&db, Identity::demo(), keyed(&key))
        .await
        .unwrap();
    let apps: Vec<_> = (1..=2)
        .map(|i| (app(i), demo::PHOTO_PNG.to_vec()))
        .collect();
    let saved = j.submit_many(&apps, "clerk-1").await.unwrap();
    let acks: Vec<SyncResult> = saved
        .iter()
        .map(|s| SyncResult {
            id: s.journal_id.clone(),
            outcome: SyncOutcome::Acknowledged,
        })
        .collect();
    j.record_results(&acks, None).await.unwrap();
    let later = Utc::now() + Duration::days(91);
    let dry = j
        .purge_personal_data("supervisor-1", later, 90, true)
        .await
        .unwrap();
    let real = j
        .purge_personal_data("supervisor-1", later, 90, false)
        .await
        .unwrap();
    assert_eq!((dry.entries, real.entries), (2, 2));
    assert_eq!(real.photos, 1, "{real:?}");
    assert_eq!(dry.photos, real.photos, "the dry run said {dry:?}");
    j.close().await;
}

/// How long a purge of many entries takes, on an encrypted journal (the
/// end of a busy quarter). Run: `cargo test --release -p passport-journal
/// --test purge -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a check"]
async fn measure_a_purge_of_many_entries() {
    const N: u64 = 5_000;
    let tmp = tempfile::tempdir().unwrap();
    let (key, _) = key(tmp.path());
    let db = tmp.path().join("journal.db");
    let j = Journal::open(&db, Identity::demo(), keyed(&key))
        .await
        .unwrap();
    let apps: Vec<_> = (1..=N)
        .map(|i| (app(i), demo::PHOTO_PNG.to_vec()))
        .collect();
    let saved = j.submit_many(&apps, "clerk-1").await.unwrap();
    let acks: Vec<SyncResult> = saved
        .iter()
        .map(|s| SyncResult {
            id: s.journal_id.clone(),
            outcome: SyncOutcome::Acknowledged,
        })
        .collect();
    j.record_results(&acks, None).await.unwrap();
    let later = Utc::now() + Duration::days(91);
    let t = std::time::Instant::now();
    let dry = j
        .purge_personal_data("supervisor-1", later, 90, true)
        .await
        .unwrap();
    let dry_ms = t.elapsed().as_millis();
    let t = std::time::Instant::now();
    let r = j
        .purge_personal_data("supervisor-1", later, 90, false)
        .await
        .unwrap();
    let purge_ms = t.elapsed().as_millis();
    let t = std::time::Instant::now();
    let v = j.verify().await.unwrap();
    let verify_ms = t.elapsed().as_millis();
    assert_eq!((dry.entries, r.entries), (N, N));
    assert!(v.ok(), "{:?}", v.problems);
    eprintln!(
        "MEASURE {N} entries: dry run {dry_ms} ms, purge {purge_ms} ms ({:.2} ms/entry), verify after {verify_ms} ms",
        purge_ms as f64 / N as f64
    );
    j.close().await;
}
