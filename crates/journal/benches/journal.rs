//! Journal benchmarks, printed as Markdown for docs/BENCHMARKS.md.
//!
//! 1. Durable append: one clerk action (journal entry + application row +
//!    counter, one transaction) against a raw single-row INSERT with the same
//!    WAL / synchronous=FULL settings, measured in the same run (goal ≤ 1.3×).
//! 2. Search over N applications (default 1,000,000) by PESEL and by surname
//!    prefix: p50 and p99 (goal p99 ≤ 10 ms).
//!
//! `cargo bench -p passport-journal --bench journal -- [--appends N] [--rows N] [--dir DIR] [--encrypted]`
//!
//! `--encrypted` opens the journals with a SQLCipher key, as the counter
//! does; the raw baseline stays plaintext, so the ratio includes the cost
//! of encryption.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that fails may panic

use chrono::NaiveDate;
use passport_domain::application::ApplicationRules;
use passport_domain::{ValidApplication, demo};
use passport_journal::{Identity, Journal, JournalOptions, Search};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::time::{Duration, Instant};

struct Args {
    appends: usize,
    rows: usize,
    dir: Option<std::path::PathBuf>,
    encrypted: bool,
}

/// The journal's options: keyed with `--encrypted`.
fn options() -> JournalOptions {
    let encrypted = std::env::args().any(|a| a == "--encrypted");
    JournalOptions {
        key: encrypted.then(|| {
            passport_journal::JournalKey::from_recovery_code(
                &passport_journal::RecoveryCode::generate(),
            )
        }),
        ..JournalOptions::default()
    }
}

fn args() -> Args {
    let mut a = Args {
        appends: 2000,
        rows: 1_000_000,
        dir: None,
        encrypted: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--appends" => a.appends = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.appends),
            "--rows" => a.rows = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.rows),
            "--dir" => a.dir = it.next().map(Into::into),
            "--encrypted" => a.encrypted = true,
            _ => {} // cargo bench passes --bench
        }
    }
    a
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn summary(mut d: Vec<Duration>) -> (Duration, Duration, Duration) {
    d.sort();
    let mean = d.iter().sum::<Duration>() / d.len() as u32;
    (mean, percentile(&d, 0.5), percentile(&d, 0.99))
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

const SYLLABLES: [&str; 30] = [
    "ko", "wa", "no", "wi", "śnie", "ja", "ro", "ba", "ma", "zu", "ga", "dą", "bro", "le", "wan",
    "pio", "tro", "kra", "sza", "żu", "łu", "mi", "chal", "sto", "ję", "gra", "bo", "cho", "dzi",
    "sie",
];
const ENDINGS: [&str; 5] = ["wski", "wska", "czyk", "ak", "ek"];

/// A varied surname, so prefix searches see a realistic spread.
fn surname(i: u64) -> String {
    let s = |k: u64| SYLLABLES[(k % 30) as usize];
    let mut name = String::new();
    name.push_str(s(i.wrapping_mul(2_654_435_761) >> 7));
    name.push_str(s(i.wrapping_mul(40_503) >> 3));
    if i.is_multiple_of(3) {
        name.push_str(s(i >> 5));
    }
    name.push_str(ENDINGS[(i % 5) as usize]);
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn application(i: u64, rules: &ApplicationRules) -> ValidApplication {
    let mut a = demo::adult_draft(i, today())
        .validate(Some(demo::PHOTO_PNG), rules)
        .unwrap();
    a.applicant.surname = surname(i);
    a
}

async fn durable_append(dir: &std::path::Path, n: usize) {
    let rules = ApplicationRules::new(today());
    let apps: Vec<ValidApplication> = (0..n as u64).map(|i| application(i, &rules)).collect();
    let journal = Journal::open(&dir.join("append.db"), Identity::demo(), options())
        .await
        .unwrap();
    let raw_opts = SqliteConnectOptions::new()
        .filename(dir.join("raw.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let raw = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(raw_opts)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&raw)
        .await
        .unwrap();
    let body = serde_json::to_string(&apps[0]).unwrap();

    // The same rows an action writes, as fixed SQL with no journal logic
    // (no numbering, JSON, hashing): the floor for "one action, one transaction".
    let same = Journal::open(
        &dir.join("same-rows.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    same.close().await;
    let same_opts = SqliteConnectOptions::new()
        .filename(dir.join("same-rows.db"))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let same = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(same_opts)
        .await
        .unwrap();
    sqlx::query("INSERT INTO photos VALUES ('p', 'image/png', 600, 771, x'00')")
        .execute(&same)
        .await
        .unwrap();
    let payload = serde_json::to_string(
        &serde_json::json!({ "number": "DEMO-01-000001-30", "application": apps[0] }),
    )
    .unwrap();

    // Interleave the three so that disk and cache state affect all alike.
    let (mut journal_t, mut raw_t, mut same_t) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (i, app) in apps.iter().enumerate() {
        let t = Instant::now();
        journal
            .submit_application(app, demo::PHOTO_PNG, "bench")
            .await
            .unwrap();
        journal_t.push(t.elapsed());

        let t = Instant::now();
        sqlx::query("INSERT INTO t (body) VALUES (?1)")
            .bind(&body)
            .execute(&raw)
            .await
            .unwrap();
        raw_t.push(t.elapsed());

        let t = Instant::now();
        let mut tx = same.begin_with("BEGIN IMMEDIATE").await.unwrap();
        sqlx::query("INSERT INTO counters VALUES ('application', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO journal (seq, id, kind, record_key, payload, clerk_id, device_time, entry_hash, state_changed_at) VALUES (?1, ?2, 'submit_application', ?3, ?4, 'bench', '2026-11-22T10:00:00.000Z', ?5, '2026-11-22T10:00:00.000Z')")
            .bind(i as i64 + 1).bind(format!("id-{i}")).bind(format!("N-{i}")).bind(&payload).bind("0".repeat(64))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO applications VALUES (?1, 'passport', ?2, ?3, ?4, 'Anna', '1985-01-01', 'submitted', 14000, 'p', ?5, '2026-11-22T10:00:00.000Z')")
            .bind(format!("N-{i}")).bind(app.applicant.pesel.to_string()).bind(&app.applicant.surname).bind(app.applicant.surname.to_uppercase()).bind(format!("id-{i}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        same_t.push(t.elapsed());
    }
    let (jm, j50, j99) = summary(journal_t);
    let (rm, r50, r99) = summary(raw_t);
    let (sm, s50, s99) = summary(same_t);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("### Durable append ({n} actions each, interleaved; WAL, synchronous=FULL)\n");
    println!("| operation | mean | p50 | p99 | p50 vs baseline |\n|---|---|---|---|---|");
    println!(
        "| raw single-row INSERT, autocommit (baseline) | {} | {} | {} | 1.00× |",
        us(rm),
        us(r50),
        us(r99)
    );
    println!(
        "| the same rows as an action, fixed SQL, one transaction (floor) | {} | {} | {} | {:.2}× |",
        us(sm),
        us(s50),
        us(s99),
        ratio(s50, r50)
    );
    println!(
        "| journal: submit application (number, JSON, hash chain, entry + application + counter + photo) | {} | {} | {} | {:.2}× |",
        us(jm),
        us(j50),
        us(j99),
        ratio(j50, r50)
    );
    println!(
        "\njournal / baseline: mean {:.2}×, p50 {:.2}×, p99 {:.2}× (goal ≤ 1.3×); journal / floor: p50 {:.2}×\n",
        ratio(jm, rm),
        ratio(j50, r50),
        ratio(j99, r99),
        ratio(j50, s50)
    );
    journal.close().await;
}

async fn search(dir: &std::path::Path, rows: usize) {
    let rules = ApplicationRules::new(today());
    let path = dir.join("search.db");
    let journal = Journal::open(&path, Identity::demo(), options())
        .await
        .unwrap();
    let t = Instant::now();
    let batch = 10_000;
    let mut pesels = Vec::new();
    for start in (0..rows).step_by(batch) {
        let apps: Vec<(ValidApplication, Vec<u8>)> = (start..(start + batch).min(rows))
            .map(|i| (application(i as u64, &rules), demo::PHOTO_PNG.to_vec()))
            .collect();
        if start.is_multiple_of(100_000) {
            pesels.push(apps[0].0.applicant.pesel.to_string());
            eprintln!("loaded {start} of {rows} in {:?}", t.elapsed());
        }
        pesels.extend(
            apps.iter()
                .step_by(997)
                .map(|(a, _)| a.applicant.pesel.to_string()),
        );
        journal.submit_many(&apps, "bench").await.unwrap();
    }
    let load = t.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    let queries = 2000;
    let mut by_pesel = Vec::with_capacity(queries);
    let mut found = 0;
    for i in 0..queries {
        let p = &pesels[i * 7919 % pesels.len()];
        let t = Instant::now();
        let r = journal.search(&Search::Pesel(p.clone()), 50).await.unwrap();
        by_pesel.push(t.elapsed());
        found += usize::from(!r.is_empty());
    }
    assert_eq!(found, queries, "every PESEL searched for exists");
    let mut by_prefix = Vec::with_capacity(queries);
    let mut hits = 0usize;
    for i in 0..queries as u64 {
        let name = surname(i * 104_729);
        let len = 2 + (i % 4) as usize;
        let prefix: String = name.chars().take(len).collect::<String>().to_lowercase();
        let t = Instant::now();
        let r = journal
            .search(&Search::SurnamePrefix(prefix), 50)
            .await
            .unwrap();
        by_prefix.push(t.elapsed());
        hits += r.len();
    }
    let (pm, p50, p99) = summary(by_pesel);
    let (sm, s50, s99) = summary(by_prefix);
    println!("### Search over {rows} applications\n");
    println!(
        "Loaded in {:.1} s ({} MB database).\n",
        load.as_secs_f64(),
        size / 1_000_000
    );
    println!("| query ({queries} each) | mean | p50 | p99 |\n|---|---|---|---|");
    println!("| by PESEL | {} | {} | {} |", us(pm), us(p50), us(p99));
    println!(
        "| by surname prefix (2–5 letters, first 50, {:.0} rows a query on average) | {} | {} | {} |",
        hits as f64 / queries as f64,
        us(sm),
        us(s50),
        us(s99)
    );
    println!("\ngoal: p99 ≤ 10 ms\n");
    journal.close().await;
}

fn main() {
    let a = args();
    let tmp = tempfile::tempdir_in(a.dir.clone().unwrap_or_else(std::env::temp_dir)).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Journal {} (SQLCipher key: {})\n",
        if a.encrypted {
            "encrypted"
        } else {
            "plaintext"
        },
        a.encrypted
    );
    rt.block_on(async {
        durable_append(tmp.path(), a.appends).await;
        if a.rows > 0 {
            search(tmp.path(), a.rows).await;
        }
    });
}
