//! The documents read back with real tools: poppler (pdftotext, pdftoppm)
//! finds the exact Polish text; zbar decodes the QR code and the Code 128;
//! the page is drawn where the content should be; the receipt stays small.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_documents::{Receipt, samples};
use std::path::Path;
use std::process::Command;

fn receipt(pending: bool) -> Receipt {
    Receipt {
        pending_register: pending,
        ..samples::receipt()
    }
}

/// The text with every run of white space (line ends too) as one space, so
/// a phrase is found wherever the layout wrapped it.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: make deps installs it");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The first page as an 8-bit grey image: (width, height, pixels).
fn page_gray(pdf: &Path, dpi: u32) -> (usize, usize, Vec<u8>) {
    let out = Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            &dpi.to_string(),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(pdf)
        .output()
        .expect("pdftoppm (poppler-utils) must be installed");
    assert!(out.status.success(), "pdftoppm failed: {out:?}");
    // PGM (P5): "P5\n<w> <h>\n255\n" then w*h bytes.
    let data = out.stdout;
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, data[i + 1..].to_vec())
}

/// Share of dark pixels in a box given in mm from the top-left (A4).
fn ink(img: &(usize, usize, Vec<u8>), x: f32, y: f32, w: f32, h: f32) -> f32 {
    let (pw, ph, px) = img;
    let sx = *pw as f32 / 210.0;
    let sy = *ph as f32 / 297.0;
    let (x0, y0) = ((x * sx) as usize, (y * sy) as usize);
    let (x1, y1) = (((x + w) * sx) as usize, ((y + h) * sy) as usize);
    let mut dark = 0;
    let mut all = 0;
    for row in y0..y1.min(*ph) {
        for col in x0..x1.min(*pw) {
            all += 1;
            if px[row * pw + col] < 128 {
                dark += 1;
            }
        }
    }
    dark as f32 / all.max(1) as f32
}

fn zbar(png_or_pdf_page: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--nodbus", "-q"])
        .arg(png_or_pdf_page)
        .output()
        .expect("zbarimg (zbar-tools) must be installed: make deps installs it");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_receipt_reads_back_in_polish_and_its_codes_decode() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = passport_documents::receipt(&receipt(true)).unwrap();
    assert!(bytes.len() <= 60 * 1024, "receipt is {} bytes", bytes.len());
    let pdf = write(dir.path(), "receipt.pdf", &bytes);
    let text = flat(&pdftotext(&pdf));
    for needle in [
        "Zofia Małgorzata Żółkiewska-Łęcka",
        "DEMO-01-000042-37",
        "850228*****",
        "140,00 zł (Opłata pełna)",
        "Zapisano bez połączenia z rejestrem",
        "Zostanie przekazany automatycznie",
    ] {
        assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
    }
    assert!(
        !text.contains("85022812343"),
        "the full PESEL must not be printed"
    );

    // Both codes decode back to the number (zbar reads the rendered page).
    let png = dir.path().join("page");
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(st.success());
    let mut codes = zbar(&dir.path().join("page.png"));
    codes.sort();
    assert_eq!(
        codes,
        vec![
            "CODE-128:DEMO-01-000042-37".to_owned(),
            "QR-Code:DEMO-01-000042-37".to_owned()
        ]
    );

    // Ink where the content is, none in the margins.
    let img = page_gray(&pdf, 50);
    assert!(
        ink(&img, 20.0, 35.0, 90.0, 25.0) > 0.05,
        "the number and barcode area is blank"
    );
    assert!(
        ink(&img, 150.0, 30.0, 40.0, 40.0) > 0.1,
        "the QR area is blank"
    );
    assert!(
        ink(&img, 0.0, 0.0, 12.0, 297.0) < 0.001,
        "ink in the left margin"
    );
    assert!(
        ink(&img, 0.0, 240.0, 210.0, 57.0) < 0.001,
        "ink at the bottom of a one-part receipt"
    );
}

#[test]
fn the_offline_line_is_only_there_when_the_register_has_not_got_it() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(
        dir.path(),
        "r.pdf",
        &passport_documents::receipt(&receipt(false)).unwrap(),
    );
    let text = pdftotext(&pdf);
    assert!(text.contains("DEMO-01-000042-37"));
    assert!(!text.contains("bez połączenia"), "{text}");
}

#[test]
fn the_hand_over_protocol_and_the_day_report_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let h = samples::handover();
    let pdf = write(
        dir.path(),
        "h.pdf",
        &passport_documents::handover_protocol(&h).unwrap(),
    );
    let text = pdftotext(&pdf);
    for needle in [
        "Łukasz Źdźbło-Ęcki",
        "DA0000001",
        "rodzic: Anna Ślęzak",
        "WYDANIE WARUNKOWE",
        "EA0999999 – unieważniony",
        "podpis odbierającego",
    ] {
        assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
    }

    let d = samples::day(60);
    let pdf = write(
        dir.path(),
        "d.pdf",
        &passport_documents::day_report(&d).unwrap(),
    );
    let text = pdftotext(&pdf);
    for needle in [
        "Raport dnia 22.11.2026",
        "rejestr przyjął",
        "22.11.2026 10:00 – 22.11.2026 10:42",
        "DEMO-01-000060-00",
        "Usunięte dane osobowe (okres przechowywania 90 dni)",
        "20.08.2026 – 24.08.2026",
    ] {
        assert!(text.contains(needle), "{needle:?} is not in:\n{text}");
    }
    assert!(
        text.matches('\u{c}').count() >= 2,
        "60 refusals should need more than one page"
    );
}
