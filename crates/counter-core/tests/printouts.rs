//! The printouts read from a real journal file: what a person reads is
//! words and names, never codes or logins, and no word is drawn over
//! another. Also: every error code the app and the domain produce has
//! words in the shared table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Local, Utc};
use passport_counter_core::print;
use passport_counter_core::words::words;
use passport_counter_core::{CoreError, IpcError};
use passport_domain::application::{ApplicationDraft, ApplicationRules};
use passport_domain::{ValidApplication, demo};
use passport_journal::{
    CachedAccount, DecisionOutcome, Identity, Journal, JournalOptions, Role, SyncOutcome,
    SyncResult,
};
use std::process::Command;

fn app(i: u64) -> ValidApplication {
    let today = Local::now().date_naive();
    demo::adult_draft(i, today)
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today))
        .unwrap()
}

async fn account(j: &Journal, id: &str, name: &str, role: Role) {
    j.cache_account(&CachedAccount {
        clerk_id: id.into(),
        display_name: name.into(),
        role,
        verifier: None,
        verified_at: Utc::now().to_rfc3339(),
    })
    .await
    .unwrap();
}

/// (text with every run of white space as one space, word boxes).
fn read_back(pdf: &[u8]) -> (String, Vec<(usize, [f32; 4], String)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let s = tag.find(&key).unwrap() + key.len();
        tag[s..s + tag[s..].find('"').unwrap()].parse().unwrap()
    };
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').unwrap();
            let text = text
                .trim_end_matches("</word>")
                .replace("&amp;", "&")
                .replace("&quot;", "\"");
            let b = [
                attr(tag, "xMin"),
                attr(tag, "yMin"),
                attr(tag, "xMax"),
                attr(tag, "yMax"),
            ];
            words.push((page, b, text));
        }
    }
    let text = words
        .iter()
        .map(|w| w.2.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    (text, words)
}

fn assert_no_overlap(name: &str, words: &[(usize, [f32; 4], String)]) {
    for (i, (pa, a, ta)) in words.iter().enumerate() {
        for (pb, b, tb) in &words[i + 1..] {
            let hit = pa == pb
                && a[0] + 0.2 < b[2]
                && b[0] + 0.2 < a[2]
                && a[1] + 0.2 < b[3]
                && b[1] + 0.2 < a[3];
            assert!(!hit, "{name}: {ta:?} is drawn over {tb:?}");
        }
    }
}

#[tokio::test]
async fn printouts_say_names_and_words_never_logins_or_codes() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(
        &dir.path().join("journal.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    account(
        &j,
        "rejestr17",
        "Małgorzata Brzęczyszczykiewicz-Źdźbłowska",
        Role::Clerk,
    )
    .await;
    account(&j, "kier01", "Piotr Żółkiewski", Role::Supervisor).await;
    let mut saved = Vec::new();
    for i in 0..4 {
        saved.push(
            j.submit_application(&app(i), demo::PHOTO_PNG, "rejestr17")
                .await
                .unwrap(),
        );
    }
    j.record_results(
        &[
            SyncResult {
                id: saved[0].journal_id.clone(),
                outcome: SyncOutcome::Rejected {
                    reason: format!(
                        "409 application_number_taken: the number {} is taken",
                        saved[0].number
                    ),
                },
            },
            SyncResult {
                id: saved[1].journal_id.clone(),
                outcome: SyncOutcome::Unsendable {
                    error: "the photo ab12 is missing from the journal".into(),
                },
            },
            SyncResult {
                id: saved[2].journal_id.clone(),
                outcome: SyncOutcome::Rejected {
                    reason: "422 a_code_from_a_later_register: something".into(),
                },
            },
            SyncResult {
                id: saved[3].journal_id.clone(),
                outcome: SyncOutcome::Acknowledged,
            },
        ],
        None,
    )
    .await
    .unwrap();
    j.record_decision(
        &saved[0].journal_id,
        DecisionOutcome::AcceptRefusal,
        "wnioskodawczyni poinformowana telefonicznie",
        "kier01",
    )
    .await
    .unwrap();

    let receipt = print::receipt(&j, &saved[3].number).await.unwrap();
    let (text, boxes) = read_back(&receipt);
    assert!(text.contains("Brzęczyszczykiewicz-Źdźbłowska"), "{text}");
    assert!(
        !text.contains("rejestr17"),
        "a login on the receipt: {text}"
    );
    assert_no_overlap("receipt", &boxes);

    let day = print::day_report(&j, None, Some("kier01")).await.unwrap();
    let (text, boxes) = read_back(&day);
    for needle in [
        "Rodzaj operacji",
        "Stan w rejestrze",
        "Liczba",
        "Wniosek",
        "rejestr przyjął",
        "rejestr odrzucił",
        "nie do wysłania",
        "numer wniosku jest już zajęty w rejestrze",
        "brak zdjęcia w bazie stanowiska",
        "rejestr podał powód, którego ta wersja programu nie zna",
        "Rejestr ma rację: wnioskodawca zostanie poinformowany",
        "Zdecydował(a) Piotr Żółkiewski",
        "Sporządził(a) Piotr Żółkiewski",
        "jeszcze nie podjęta",
        "3 operacje, w tym 2 bez decyzji",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} is not in the day report:\n{text}"
        );
    }
    for raw in [
        "accept_refusal",
        "application_number_taken",
        "a_code_from_a_later_register",
        "submit_application",
        "acknowledged",
        "rejected",
        "unsendable",
        "kier01",
        "rejestr17",
        "is taken",
        "missing from",
    ] {
        assert!(
            !text.contains(raw),
            "{raw:?} is printed on the day report:\n{text}"
        );
    }
    assert_no_overlap("day report", &boxes);
}

#[test]
fn every_field_error_the_domain_gives_has_words() {
    let w = words().unwrap();
    let rules = ApplicationRules::new(Local::now().date_naive());
    let mut drafts = vec![ApplicationDraft::default()];
    let mut bad = demo::adult_draft(1, Local::now().date_naive());
    bad.applicant.pesel = "85022812344".into();
    bad.applicant.contact.get_or_insert_default().email = Some("nie-e-mail".into());
    drafts.push(bad);
    let mut codes = Vec::new();
    for d in drafts {
        for photo in [None, Some(&b"not an image"[..])] {
            if let Err(errors) = d.validate(photo, &rules) {
                codes.extend(errors.0.into_iter().map(|e| e.code));
            }
        }
    }
    assert!(codes.len() > 5, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| w.field_error(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "field error codes without words: {missing:?}"
    );
}

#[test]
fn every_error_code_the_app_shows_has_words() {
    let w = words().unwrap();
    let errors = [
        CoreError::NotLoggedIn,
        CoreError::Locked,
        CoreError::NotSupervisor,
        CoreError::BadCredentials,
        CoreError::NeverOnline,
        CoreError::NotFound("x".into()),
        CoreError::NotDemo,
        CoreError::NoMrz("x".into()),
        CoreError::TrustStore("x".into()),
        CoreError::CardNotBound,
        CoreError::CardBoundElsewhere,
        CoreError::CardOtherClerk,
        CoreError::AccountClosed,
        CoreError::UnknownAccount("x".into()),
        CoreError::Internal("x".into()),
        CoreError::ChipCheckRequired {
            number: "x".into(),
            offline: true,
        },
        CoreError::ChipCheckRequired {
            number: "x".into(),
            offline: false,
        },
        CoreError::NotReady {
            number: "x".into(),
            status: passport_domain::DocumentState::Valid,
        },
    ];
    let missing: Vec<String> = errors
        .into_iter()
        .map(|e| IpcError::from(e).code)
        .filter(|c| w.error_code(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "IPC error codes without words: {missing:?}"
    );
}

/// Width and height of a PNG `data:` URL, from its IHDR.
fn png_size(data_url: &str) -> (u32, u32) {
    use base64::Engine as _;
    let b64 = data_url.strip_prefix("data:image/png;base64,").unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_show_every_page_at_a_readable_size() {
    use base64::Engine as _;
    use passport_counter_core::config::{Overrides, Resolved};
    use passport_counter_core::{Counter, DocumentRef};
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(tmp.path().join("data")),
        ..Overrides::default()
    })
    .unwrap();
    assert!(cfg.demo);
    let counter = Counter::start(cfg).await.unwrap();
    counter.login("demo-clerk", "demo").await.unwrap();
    let photo = base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG);
    let draft = demo::adult_draft(1, Local::now().date_naive());
    let saved = counter
        .submit_application(&draft, Some(&photo), &common::adult_biometrics())
        .await
        .unwrap();
    let receipt = counter
        .printout(
            &DocumentRef::Receipt {
                number: saved.number.clone(),
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(receipt.page_count, 1);
    assert_eq!(receipt.preview_pages.len(), 1, "one page, one preview");
    let (w, h) = png_size(&receipt.preview_pages[0]);
    // 110 dpi: an A4 page ~909 px wide, readable across a screen.
    assert!((880..=940).contains(&w), "{w} px wide");
    assert!(h > w, "portrait: {w}×{h}");

    // The day report is the supervisor's, with the date typed as dd.mm.rrrr.
    let day = DocumentRef::Day {
        date: Some(Local::now().date_naive().format("%d.%m.%Y").to_string()),
    };
    assert!(matches!(
        counter.printout(&day, false).await,
        Err(CoreError::NotSupervisor)
    ));
    counter.logout().await;
    counter.login("demo-supervisor", "demo").await.unwrap();
    let report = counter.printout(&day, false).await.unwrap();
    assert!(report.page_count >= 1);
    assert_eq!(report.preview_pages.len(), report.page_count as usize);
    // Nothing kept on disk, by the printouts or their previews: the PDFs
    // hold names and birth dates, the sealed journal renders them again.
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("printouts") || n.starts_with(".preview") || n.ends_with(".pdf"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
