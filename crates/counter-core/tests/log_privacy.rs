//! No personal data in the logs, nor in any other file the counter writes
//! in its data directory, the journal database included (it is encrypted:
//! issue #13, point 1).
//!
//! A day through the real core with logging at `trace`: a failed and a
//! successful log-in, applications with known PESELs, names, e-mails,
//! phones and a photo, a hand-over, a sync against the register simulator
//! over real HTTP on 127.0.0.1, a refusal by the register, a receipt and a
//! hand-over protocol printed to `printouts/`. Then every log line and
//! every file is searched for each PESEL, surname, given name, e-mail,
//! phone, a 32-byte window of the photo and the same window in base64;
//! any hit fails. The scanner is proved able to fail on a planted leak.
//!
//! One test per binary: logging is a process-wide subscriber.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use base64::Engine as _;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::logs::{self, Program};
use passport_counter_core::{Collector, Counter, DocumentRef, HandoverOutcome, HandoverRequest};
use passport_domain::demo;
use passport_register_sim::{SimConfig, SimHandle};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One value that must not appear, with what it is (the test's data are
/// made up, so a failure may name the value).
#[derive(Debug, Clone)]
struct Needle {
    what: String,
    bytes: Vec<u8>,
    /// Text compared without regard to case (names, e-mails).
    fold_case: bool,
}

impl Needle {
    fn text(what: &str, value: &str) -> Self {
        Self {
            what: format!("{what} {value:?}"),
            bytes: value.to_lowercase().into_bytes(),
            fold_case: true,
        }
    }

    fn bytes(what: &str, value: &[u8]) -> Self {
        Self {
            what: what.to_owned(),
            bytes: value.to_vec(),
            fold_case: false,
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Every (file, needle) pair where the needle occurs in the file.
fn leaks(files: &[(PathBuf, Vec<u8>)], needles: &[Needle]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        let folded = String::from_utf8_lossy(bytes).to_lowercase().into_bytes();
        for n in needles {
            let hay = if n.fold_case { &folded } else { bytes };
            if contains(hay, &n.bytes) {
                found.push((path.clone(), n.what.clone()));
            }
        }
    }
    found
}

/// Every regular file under `root`, with its bytes.
fn files_under(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut dirs = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                files.push((p, bytes));
            }
        }
    }
    files.sort();
    files
}

/// The photo's give-aways: a 32-byte window from its middle, and that
/// window as it appears inside the photo's base64 (44 characters from a
/// 3-byte boundary).
fn photo_needles(photo: &[u8]) -> Vec<Needle> {
    let mid = (photo.len() / 2) / 3 * 3;
    let b64 = base64::engine::general_purpose::STANDARD.encode(photo);
    let at = mid / 3 * 4;
    vec![
        Needle::bytes("32 bytes of the photo", &photo[mid..mid + 32]),
        Needle::bytes("the photo's base64", &b64.as_bytes()[at..at + 44]),
    ]
}

fn person_needles(
    pesel: &str,
    surname: &str,
    given: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Vec<Needle> {
    let mut n = vec![
        Needle::bytes("a PESEL", pesel.as_bytes()),
        Needle::text("a surname", surname),
    ];
    n.extend(
        given
            .split_whitespace()
            .map(|g| Needle::text("a given name", g)),
    );
    n.extend(email.map(|e| Needle::text("an e-mail", e)));
    n.extend(phone.map(|p| Needle::text("a phone", p)));
    n
}

/// The scanner must be able to fail: a PESEL, a name in other case, an
/// e-mail and the photo planted in a log line and a file are all found,
/// and a clean log finds nothing.
#[test]
fn the_scanner_finds_a_planted_leak() {
    let photo = demo::PHOTO_PNG;
    let mut needles = person_needles(
        "44051401359",
        "Brzęczyszczykiewicz",
        "Grzegorz Jan",
        Some("g.b@example.pl"),
        None,
    );
    needles.extend(photo_needles(photo));
    let b64 = base64::engine::general_purpose::STANDARD.encode(photo);
    let clean =
        b"2026-11-29T10:00:00.000000Z  INFO passport_counter_core: counter started office=DEMO\n"
            .to_vec();
    let files = vec![
        (PathBuf::from("logs/counter.log"), clean.clone()),
        (
            PathBuf::from("logs/leak.log"),
            b"2026-11-29T10:00:01Z DEBUG x: pesel=44051401359 name=BRZ\xc4\x98CZYSZCZYKIEWICZ mail=G.B@Example.pl\n".to_vec(),
        ),
        (PathBuf::from("cache.bin"), photo.to_vec()),
        (PathBuf::from("draft.json"), format!("{{\"photo\":\"{b64}\"}}").into_bytes()),
    ];
    let mut found: Vec<(String, String)> = leaks(&files, &needles)
        .into_iter()
        .map(|(p, w)| (p.display().to_string(), w))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("cache.bin".to_owned(), "32 bytes of the photo".to_owned()),
            ("draft.json".to_owned(), "the photo's base64".to_owned()),
            ("logs/leak.log".to_owned(), "a PESEL".to_owned()),
            (
                "logs/leak.log".to_owned(),
                "a surname \"Brzęczyszczykiewicz\"".to_owned()
            ),
            (
                "logs/leak.log".to_owned(),
                "an e-mail \"g.b@example.pl\"".to_owned()
            ),
        ]
    );
    assert!(leaks(&[(PathBuf::from("ok"), clean)], &needles).is_empty());
}

async fn sim() -> SimHandle {
    passport_register_sim::spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap()
}

/// The register already has `document` as handed over at another counter.
async fn handed_over_elsewhere(sim: &SimHandle, document: &str) {
    let r = reqwest::Client::new()
        .post(format!("{}/v1/handovers", sim.url()))
        .header(
            passport_register_contract::IDEMPOTENCY_KEY,
            format!("other-counter-{document}"),
        )
        .json(&serde_json::json!({
            "document_number": document, "office": "DEMO", "workstation": "02",
            "clerk_id": "demo-clerk", "device_time": chrono::Utc::now().to_rfc3339(),
            "collected_by": { "role": "holder" }, "identity_check": "dowód osobisty XYZ765432",
            "chip_check": "passed", "previous_passport": null, "provisional": false
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

fn holder(document: &str) -> HandoverRequest {
    HandoverRequest {
        document_number: document.into(),
        collector: Collector::Holder,
        identity_document: "dowód osobisty ABC523456".into(),
        previous_passport: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_at_trace_level_logs_no_personal_data() {
    let sim = sim().await;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("passport-counter");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("config.toml"),
        "[policy]\nhealth_probe_secs = 1\nrecovery_window_secs = 0\n[logs]\nlevel = \"trace\"\n",
    )
    .unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        register: Some(sim.url()),
        ..Overrides::default()
    })
    .unwrap();
    assert_eq!(cfg.logs.level, logs::LogLevel::Trace);
    logs::init(&cfg.data_dir, &cfg.logs, Program::App, false).unwrap();

    let counter = Counter::start(cfg).await.unwrap();
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let worker = counter.clone();
    let worker = tokio::spawn(async move {
        worker
            .run_worker(async {
                rx.await.ok();
            })
            .await;
    });
    assert!(counter.login("demo-clerk", "wrong").await.is_err());
    counter.login("demo-clerk", "demo").await.unwrap();

    let photo = demo::PHOTO_PNG;
    let photo_b64 = base64::engine::general_purpose::STANDARD.encode(photo);
    let mut needles = photo_needles(photo);
    let today = chrono::Local::now().date_naive();
    let mut numbers = Vec::new();
    for (i, (surname, given, email)) in [
        ("Brzęczyszczykiewicz", "Grzegorz", "grzegorz.b@example.pl"),
        (
            "Przybyszewska",
            "Bożenna Anastazja",
            "b.przybyszewska@example.com",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut draft = demo::adult_draft(u64::try_from(i).unwrap() + 11, today);
        draft.applicant.surname = surname.into();
        draft.applicant.given_names = given.into();
        let contact = draft.applicant.contact.get_or_insert_default();
        contact.email = Some(email.into());
        let a = &draft.applicant;
        needles.extend(person_needles(
            &a.pesel,
            surname,
            given,
            Some(email),
            a.contact.as_ref().and_then(|c| c.phone.as_deref()),
        ));
        // A form that fails validation first (a PESEL one digit off), then
        // the application itself.
        let mut wrong = draft.clone();
        wrong.applicant.pesel = format!("{}0", &a.pesel[..10]);
        if wrong.applicant.pesel == a.pesel {
            wrong.applicant.pesel = format!("{}1", &a.pesel[..10]);
        }
        assert!(
            counter
                .submit_application(&wrong, Some(&photo_b64), &common::adult_biometrics())
                .await
                .is_err()
        );
        let submitted = counter
            .submit_application(&draft, Some(&photo_b64), &common::adult_biometrics())
            .await
            .unwrap();
        numbers.push(submitted.number);
    }

    // The holders of the documents handed over here are persons too.
    counter.engine().pull_ready_list().await.unwrap();
    for d in ["DA0000001", "DA0000003"] {
        let doc = counter.find_document(d).await.unwrap().document;
        needles.extend(person_needles(
            &doc.pesel,
            &doc.surname,
            &doc.given_names,
            None,
            None,
        ));
    }
    let issued = counter.record_handover(&holder("DA0000001")).await.unwrap();
    assert_eq!(issued.outcome, HandoverOutcome::Issued);
    handed_over_elsewhere(&sim, "DA0000003").await;
    let refused = counter.record_handover(&holder("DA0000003")).await.unwrap();
    assert!(
        matches!(refused.outcome, HandoverOutcome::Refused { .. }),
        "{:?}",
        refused.outcome
    );

    for doc in [
        DocumentRef::Receipt {
            number: numbers[0].clone(),
        },
        DocumentRef::Handover {
            document_number: "DA0000001".into(),
        },
    ] {
        counter.printout(&doc, false).await.unwrap();
    }

    counter.sync_now();
    let start = Instant::now();
    loop {
        let s = counter.status().await;
        if s.queue.depth == 0 && s.queue.acknowledged >= 3 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not delivered: {:?}",
            s.queue
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(()).ok();
    worker.await.unwrap();
    counter.shutdown().await;
    sim.stop().await.unwrap();

    // The logs were written, at trace level, with what office IT needs.
    let lines = logs::read(&data, None).unwrap();
    let text: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
    for event in [
        "counter started",
        "register contact changed",
        "acknowledged by the register",
        "refused by the register",
        "sync round",
        "printout previewed",
        "counter stopping",
    ] {
        assert!(text.contains(event), "no {event:?} in the log:\n{text}");
    }
    assert!(text.contains("TRACE") || text.contains("DEBUG"), "{text}");
    eprintln!("MEASURE log lines: {}, bytes: {}", lines.len(), text.len());

    // Every file the counter wrote, the journal database, its WAL and
    // shared memory included: they are encrypted (issue #13, point 1).
    let files: Vec<(PathBuf, Vec<u8>)> = files_under(&data);
    let names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.strip_prefix(&data).unwrap().display().to_string())
        .collect();
    eprintln!("MEASURE scanned files: {names:?}");
    assert!(names.iter().any(|n| n.starts_with("logs/")), "{names:?}");
    assert!(names.iter().any(|n| n == "demo.db"), "{names:?}");
    // Printouts are not kept: the PDF lives in memory (see `print`).
    assert!(
        !names.iter().any(|n| n.starts_with("printouts/")),
        "{names:?}"
    );
    let found = leaks(&files, &needles);
    assert!(found.is_empty(), "personal data found: {found:?}");
}
