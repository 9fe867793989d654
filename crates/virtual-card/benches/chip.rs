//! The chip check's cost through the real pcscd: BAC, EF.COM, DG1, DG2
//! (a 20 KB JPEG), EF.SOD and passive authentication against the project's
//! virtual passport in a vpcd reader, with extended-length and with short
//! reads. Baseline, same run: the same APDU traffic (count and sizes) to a
//! card that just answers with bytes, so the ratio is what BAC, secure
//! messaging, parsing and the signature checks add to the transport.
//!
//! Needs root and no other pcscd (it starts its own, stopped by pid):
//!   cargo bench -p virtual-card --bench chip -- [ROUNDS]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_cards::passport::{self, Transport, TransportError};
use passport_cards::vpcd::{Card, Inserted, PORT_0};
use passport_cards::{AccessKey, ChipReport, Expectation, Outcome, PcscTransport, TrustStore};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use virtual_card::passport::{Passport, Personalisation, Variant};

fn mrz() -> String {
    virtual_card::specimen_mrz("KOWALSKA", "ANNA").unwrap()
}

/// Records each exchange's sizes while driving the card directly.
struct Recording<'a>(&'a mut Passport, Vec<(usize, usize)>);

impl Transport for Recording<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let answer = self.0.apdu(apdu);
        self.1.push((apdu.len(), answer.len()));
        Ok(answer)
    }
}

/// Answers the n-th APDU with the n-th recorded response size (then 9000).
struct Scripted(Arc<Mutex<(Vec<usize>, usize)>>);

impl Card for Scripted {
    fn atr(&self) -> Vec<u8> {
        vec![0x3B, 0x80, 0x80, 0x01, 0x01]
    }

    fn apdu(&mut self, _command: &[u8]) -> Vec<u8> {
        let mut s = self.0.lock().unwrap();
        let len = s.0[s.1 % s.0.len()];
        s.1 += 1;
        let mut out = vec![0x5A; len.saturating_sub(2)];
        out.extend([0x90, 0x00]);
        out
    }
}

/// A well-formed command APDU of exactly `len` bytes (short or extended).
fn filler_apdu(len: usize) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xD6, 0x00, 0x00];
    match len {
        0..=4 => {}
        5 => apdu.push(0x00),
        6..=260 => {
            apdu.push((len - 5) as u8);
            apdu.resize(len, 0x5A);
        }
        _ => {
            apdu.push(0);
            apdu.extend(((len - 7) as u16).to_be_bytes());
            apdu.resize(len, 0x5A);
        }
    }
    apdu
}

fn wait_card(present: bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while passport_cards::readers()
        .readers
        .iter()
        .any(|r| r.name.starts_with("Virtual PCD 00 00") && r.card_present)
        != present
    {
        assert!(Instant::now() < deadline, "card present={present} not seen");
        std::thread::sleep(Duration::from_millis(20));
    }
}

struct Stats {
    median: f64,
    p95: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    Stats {
        median: ms[ms.len() / 2],
        p95: ms[(ms.len() * 95 / 100).min(ms.len() - 1)],
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30);
    assert!(
        !std::path::Path::new("/run/pcscd/pcscd.comm").exists(),
        "another pcscd is running"
    );
    let mut pcscd = Command::new("pcscd")
        .arg("--foreground")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pcscd");
    while std::net::TcpStream::connect(("127.0.0.1", PORT_0)).is_err() {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The probe above counted as a card; let pcscd see it leave.
    wait_card(false);

    let dir = tempfile::tempdir().unwrap();
    virtual_card::pki::write(dir.path()).unwrap();
    let pki = virtual_card::pki::load(dir.path()).unwrap();
    let trust = TrustStore::load_dir(&dir.path().join("trust")).unwrap();
    let mrz = mrz();
    let (jpeg, width, height) = virtual_card::face::jpeg(0x5eed).unwrap();
    let expect = Expectation {
        key: AccessKey::new("DA0000001", "900101", "350101"),
        mrz: Some(&mrz),
        trust: &trust,
        now: std::time::SystemTime::now().into(),
    };
    let card = |max_response| {
        let person = Personalisation {
            mrz: mrz.clone(),
            jpeg: jpeg.clone(),
            width,
            height,
            max_response,
        };
        Passport::new(&person, &pki, Variant::Valid, None).unwrap()
    };
    println!(
        "chip check through pcscd + vpcd, {rounds} rounds each, DG2 {} bytes",
        jpeg.len() + 60
    );
    println!(
        "{:<34} {:>9} {:>9} {:>6} {:>8} {:>8} {:>7}",
        "", "median ms", "p95 ms", "APDUs", "sent B", "recv B", "ratio"
    );

    for (label, max_response) in [
        ("extended reads (EF.ATR/INFO 4 KB)", Some(4096)),
        ("short reads (223 B)", None),
    ] {
        // The traffic pattern, and the same check without pcscd.
        let mut direct = card(max_response);
        let mut rec = Recording(&mut direct, Vec::new());
        let report: ChipReport = passport::check(&mut rec, &expect);
        assert_eq!(report.outcome, Outcome::Passed);
        let pattern = rec.1;
        let mut in_process = Vec::new();
        for _ in 0..rounds {
            let mut c = card(max_response);
            let mut t = Recording(&mut c, Vec::new());
            let t0 = Instant::now();
            assert_eq!(passport::check(&mut t, &expect).outcome, Outcome::Passed);
            in_process.push(t0.elapsed().as_secs_f64() * 1e3);
        }

        let inserted = Inserted::insert(PORT_0, card(max_response)).unwrap();
        wait_card(true);
        let mut full = Vec::new();
        let mut traffic = report.traffic;
        for i in 0..rounds + 2 {
            let t0 = Instant::now();
            let r = passport_cards::reader::check_passport(None, &expect);
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            assert_eq!(r.outcome, Outcome::Passed, "{r:?}");
            traffic = r.traffic;
            if i >= 2 {
                full.push(ms);
            }
        }
        inserted.remove().unwrap();
        wait_card(false);

        // Baseline: the same exchanges, sizes only, no security.
        let script = Arc::new(Mutex::new((
            pattern.iter().map(|p| p.1).collect::<Vec<_>>(),
            0,
        )));
        let inserted = Inserted::insert(PORT_0, Scripted(script.clone())).unwrap();
        wait_card(true);
        let mut base = Vec::new();
        for i in 0..rounds + 2 {
            script.lock().unwrap().1 = 0;
            let t0 = Instant::now();
            let mut t = PcscTransport::connect(None).unwrap();
            for (sent, _) in &pattern {
                t.transmit(&filler_apdu(*sent)).unwrap();
            }
            drop(t);
            if i >= 2 {
                base.push(t0.elapsed().as_secs_f64() * 1e3);
            }
        }
        inserted.remove().unwrap();
        wait_card(false);

        let (f, b, p) = (stats(full), stats(base), stats(in_process));
        println!(
            "{:<34} {:>9.1} {:>9.1} {:>6} {:>8} {:>8} {:>6.2}×",
            label,
            f.median,
            f.p95,
            traffic.apdus,
            traffic.bytes_sent,
            traffic.bytes_received,
            f.median / b.median
        );
        println!(
            "{:<34} {:>9.1} {:>9.1} {:>6}",
            "  baseline: same traffic, no crypto",
            b.median,
            b.p95,
            pattern.len()
        );
        println!(
            "{:<34} {:>9.1} {:>9.1}",
            "  the check without pcscd", p.median, p.p95
        );
    }
    Command::new("kill")
        .arg(pcscd.id().to_string())
        .status()
        .ok();
    pcscd.wait().ok();
}
