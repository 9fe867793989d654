//! No printed word is drawn over another: each document, with long Polish
//! names and many rows, is read back with poppler's `pdftotext -bbox`, and
//! any two word boxes on a page that intersect fail the test ("przyjęte
//! przez rejestr17" was a label running into its value).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_documents::samples;
use std::process::Command;

#[derive(Debug, Clone)]
struct WordBox {
    page: usize,
    text: String,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// Every word's box, by page, from `pdftotext -bbox`.
fn word_boxes(pdf: &[u8]) -> Vec<WordBox> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: make deps installs it");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let html = String::from_utf8(out.stdout).unwrap();
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').unwrap();
            let text = text.trim_end_matches("</word>").to_owned();
            words.push(WordBox {
                page,
                text,
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            });
        }
    }
    words
}

/// Pairs of words whose boxes intersect by more than a hair (0.2 pt).
fn overlaps(words: &[WordBox]) -> Vec<String> {
    let eps = 0.2;
    let mut found = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            if a.page == b.page
                && a.x0 + eps < b.x1
                && b.x0 + eps < a.x1
                && a.y0 + eps < b.y1
                && b.y0 + eps < a.y1
            {
                found.push(format!("page {}: {:?} over {:?}", a.page, a.text, b.text));
            }
        }
    }
    found
}

fn assert_no_overlap(name: &str, pdf: &[u8], must_contain: &[&str]) {
    let words = word_boxes(pdf);
    assert!(
        words.len() > 20,
        "{name}: only {} words read back",
        words.len()
    );
    let bad = overlaps(&words);
    assert!(
        bad.is_empty(),
        "{name}: overlapping words:\n{}",
        bad.join("\n")
    );
    let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let text = text.join(" ");
    for needle in must_contain {
        assert!(text.contains(needle), "{name}: {needle:?} is not in {text}");
    }
    // Nothing runs past the right margin (20 mm = 56.7 pt from 595.3 pt).
    for w in &words {
        assert!(
            w.x1 <= 595.3 - 56.0,
            "{name}: {:?} runs into the margin ({})",
            w.text,
            w.x1
        );
    }
}

#[test]
fn the_check_finds_an_overlap_when_there_is_one() {
    // The old layout: a label longer than its column ran into its value.
    let words = vec![
        WordBox {
            page: 1,
            text: "rejestr".into(),
            x0: 100.0,
            y0: 10.0,
            x1: 160.0,
            y1: 22.0,
        },
        WordBox {
            page: 1,
            text: "17".into(),
            x0: 155.0,
            y0: 10.0,
            x1: 170.0,
            y1: 22.0,
        },
        WordBox {
            page: 2,
            text: "17".into(),
            x0: 155.0,
            y0: 10.0,
            x1: 170.0,
            y1: 22.0,
        },
    ];
    assert_eq!(overlaps(&words).len(), 1);
}

/// What zbar decodes on the first page rendered at 200 dpi.
fn codes(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args(["--nodbus", "-q"])
        .arg(dir.path().join("page.png"))
        .output()
        .expect("zbarimg (zbar-tools) must be installed");
    let mut codes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    codes.sort();
    codes
}

#[test]
fn the_receipt_codes_stay_clear_of_a_long_header() {
    // A long office name wraps the header onto two lines: the title and
    // the rule must not run over the QR code (it stopped decoding).
    let r = samples::receipt_long();
    assert_eq!(
        codes(&passport_documents::receipt(&r).unwrap()),
        vec![
            format!("CODE-128:{}", r.number),
            format!("QR-Code:{}", r.number)
        ]
    );
}

#[test]
fn the_receipt_has_no_overlapping_words() {
    let pdf = passport_documents::receipt(&samples::receipt_long()).unwrap();
    assert_no_overlap(
        "receipt",
        &pdf,
        &[
            "Szczebrzeszyńska",
            "Brzęczyszczykiewicz-Źdźbłowska",
            "Cudzoziemców",
        ],
    );
    let pdf = passport_documents::receipt(&samples::receipt()).unwrap();
    assert_no_overlap("receipt (short)", &pdf, &["Żółkiewska-Łęcka"]);
}

#[test]
fn the_hand_over_protocol_has_no_overlapping_words() {
    let pdf = passport_documents::handover_protocol(&samples::handover_long()).unwrap();
    assert_no_overlap(
        "hand-over protocol",
        &pdf,
        &["Szczebrzeszyńska", "RNs", "Stołecznego"],
    );
}

#[test]
fn the_day_report_has_no_overlapping_words_and_headed_columns() {
    let pdf = passport_documents::day_report(&samples::day_long(40)).unwrap();
    assert_no_overlap(
        "day report",
        &pdf,
        &[
            "Rodzaj operacji",
            "Stan w rejestrze",
            "Liczba",
            "Decyzja kierownika",
            "strona 1 z",
        ],
    );
    let pdf = passport_documents::day_report(&samples::day(3)).unwrap();
    assert_no_overlap("day report (short)", &pdf, &["Rodzaj operacji"]);
}
