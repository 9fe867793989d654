//! Card readers through the real PC/SC stack: pcscd with the vpcd virtual
//! reader driver, a virtual card written here (`passport_cards::vpcd`), the
//! reader watcher, and `counterctl card readers`. pcscd is started and
//! stopped by pid; only one can run on a machine, so the tests here take
//! turns. The passport tests run the project's own virtual passport
//! (`virtual-card`, a separate process stopped by pid) through pcscd and
//! `counterctl card verify`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use passport_cards::vpcd::{BlankCard, Card, Inserted, PORT_0};
use passport_cards::{CardService, ReaderWatch};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SOCKET: &str = "/run/pcscd/pcscd.comm";
const READER_0: &str = "Virtual PCD 00 00";

/// A program started here, stopped by pid (SIGTERM) when stopped or dropped.
struct Started(Child);

impl Started {
    fn stop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            Command::new("kill")
                .arg("-TERM")
                .arg(self.0.id().to_string())
                .status()
                .ok();
        }
        self.0.wait().ok();
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Pcscd(Started);

impl Pcscd {
    fn start() -> Pcscd {
        assert!(
            !Path::new(SOCKET).exists(),
            "another pcscd is running ({SOCKET} exists): only one can run on a machine"
        );
        let child = Command::new("pcscd")
            .arg("--foreground")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pcscd (Debian's pcscd + vsmartcard-vpcd) is needed: make deps installs it");
        let p = Pcscd(Started(child));
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", PORT_0)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "pcscd's vpcd reader did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        p
    }

    fn stop(mut self) {
        self.0.stop();
    }
}

/// Waits for a picture from the watcher that satisfies `f`.
fn expect(
    rx: &mpsc::Receiver<CardService>,
    what: &str,
    f: impl Fn(&CardService) -> bool,
) -> CardService {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = None;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(s) if f(&s) => return s,
            Ok(s) => last = Some(s),
            Err(_) => break,
        }
    }
    panic!("timed out waiting for {what}; last seen: {last:?}");
}

fn reader0(s: &CardService) -> Option<&passport_cards::Reader> {
    s.readers.iter().find(|r| r.name.starts_with(READER_0))
}

fn cli_readers() -> (Option<i32>, serde_json::Value) {
    let o = common::counterctl()
        .args(["card", "readers", "--json"])
        .output()
        .unwrap();
    (
        o.status.code(),
        serde_json::from_slice(&o.stdout).unwrap_or_default(),
    )
}

/// A hang here must fail the run, not hold CI until its time limit.
fn watchdog(limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("the card test hung for {limit:?}: failing it");
        if let Ok(pid) = std::fs::read_to_string("/run/pcscd/pcscd.pid") {
            Command::new("kill")
                .arg("-TERM")
                .arg(pid.trim())
                .status()
                .ok();
        }
        std::process::exit(1);
    });
}

/// Only one pcscd per machine: the tests here take turns.
static PCSCD: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn readers_and_cards_are_followed_live_and_a_stopped_service_is_a_state() {
    let _turn = PCSCD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    watchdog(Duration::from_secs(120));
    // No service yet: a clear state, not an error.
    let (tx, rx) = mpsc::channel();
    let mut watch = ReaderWatch::spawn(move |s| {
        tx.send(s.clone()).ok();
    })
    .unwrap();
    if !Path::new(SOCKET).exists() {
        expect(&rx, "the service reported not running", |s| !s.running);
        let (code, json) = cli_readers();
        assert_eq!(code, Some(3), "{json}");
        assert_eq!(json["running"], false);
    }

    let pcscd = Pcscd::start();
    let s = expect(&rx, "the vpcd reader, empty", |s| {
        s.running && reader0(s).is_some_and(|r| !r.card_present)
    });
    assert!(s.readers.len() >= 2, "{s:?}");

    // Insert the virtual card: seen by the watcher with its ATR.
    let card = Inserted::insert(PORT_0, BlankCard).unwrap();
    let atr: String = BlankCard.atr().iter().map(|b| format!("{b:02X}")).collect();
    let s = expect(&rx, "the card inserted", |s| {
        reader0(s).is_some_and(|r| r.card_present)
    });
    assert_eq!(reader0(&s).unwrap().atr.as_deref(), Some(atr.as_str()));
    let (code, json) = cli_readers();
    assert_eq!(code, Some(0));
    let listed = json["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str().unwrap().starts_with(READER_0))
        .cloned()
        .unwrap();
    assert_eq!(listed["card_present"], true, "{json}");

    // An APDU goes through pcscd to the virtual card and back.
    let ctx = pcsc::Context::establish(pcsc::Scope::User).unwrap();
    let name = ctx
        .list_readers_owned()
        .unwrap()
        .into_iter()
        .find(|n| n.to_string_lossy().starts_with(READER_0))
        .unwrap();
    let conn = ctx
        .connect(&name, pcsc::ShareMode::Shared, pcsc::Protocols::ANY)
        .unwrap();
    let select_mrtd = [
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
    ];
    let mut buf = [0u8; 258];
    let answer = conn.transmit(&select_mrtd, &mut buf).unwrap();
    assert_eq!(answer, [0x6A, 0x82]);
    drop(conn);
    drop(ctx);

    // Removed: seen as empty.
    card.remove().unwrap();
    expect(&rx, "the card removed", |s| {
        reader0(s).is_some_and(|r| !r.card_present)
    });

    // The service stops: a state; it starts again: picked up.
    pcscd.stop();
    expect(&rx, "the service reported stopped", |s| !s.running);
    let pcscd = Pcscd::start();
    expect(&rx, "the service picked up again", |s| {
        s.running && reader0(s).is_some()
    });
    watch.stop();
    pcscd.stop();
}

/// The `virtual-card` program, built next to counterctl by `cargo test`
/// on the workspace (built here when only this crate is tested).
fn virtual_card() -> Command {
    let bin = Path::new(env!("CARGO_BIN_EXE_counterctl")).with_file_name("virtual-card");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let ok = Command::new(cargo)
            .args(["build", "-p", "virtual-card"])
            .status()
            .unwrap();
        assert!(ok.success(), "building virtual-card failed");
    }
    Command::new(bin)
}

/// A virtual card process, in the reader until stopped (by pid).
struct VirtualCard(Started);

impl VirtualCard {
    fn insert(args: &[&str]) -> VirtualCard {
        use std::io::BufRead;
        let mut child = virtual_card()
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "inserted", "virtual-card {args:?}");
        wait_for_reader0(true);
        VirtualCard(Started(child))
    }

    fn remove(mut self) {
        self.0.stop();
        wait_for_reader0(false);
    }
}

fn wait_for_reader0(present: bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while reader0(&passport_cards::readers()).map(|r| r.card_present) != Some(present) {
        assert!(
            Instant::now() < deadline,
            "the card did not show as present={present}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn mrz() -> String {
    virtual_card::specimen_mrz("ŻÓŁKIEWSKA", "ANNA MARIA").unwrap()
}

fn verify(trust: &Path, mrz: &str, extra: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let o = common::counterctl()
        .args([
            "card",
            "verify",
            "--doc",
            "DA0000001",
            "--birth",
            "900101",
            "--expiry",
            "350101",
        ])
        .arg("--csca")
        .arg(trust)
        .args(["--mrz", mrz])
        .args(extra)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    (
        o.status.code(),
        serde_json::from_slice(&o.stdout).unwrap_or_default(),
        text,
    )
}

#[test]
fn passports_are_checked_through_pcscd_and_each_broken_one_says_why() {
    let _turn = PCSCD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    watchdog(Duration::from_secs(180));
    let pki = tempfile::tempdir().unwrap();
    let ok = virtual_card()
        .arg("pki")
        .arg("--out")
        .arg(pki.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let pki_dir = pki.path().to_str().unwrap();
    let trust = pki.path().join("trust");
    let mrz = mrz();
    let pcscd = Pcscd::start();

    // Nothing on the reader: cannot be read (3), worth retrying.
    let (code, json, _) = verify(&trust, &mrz, &["--json"]);
    assert_eq!(
        (code, &json["outcome"], &json["retryable"]),
        (Some(3), &"unreadable".into(), &true.into()),
        "{json}"
    );

    // A valid passport: every check passes; the text says what was read.
    let card = VirtualCard::insert(&["passport", "--pki", pki_dir, "--mrz", &mrz]);
    let face = pki.path().join("face.jpg");
    let (code, _, text) = verify(&trust, &mrz, &["--face", face.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{text}");
    for expected in [
        "ZOLKIEWSKA ANNA MARIA",
        "DG1, DG2",
        "ok   chain",
        "ok   validity",
        "ok   mrz",
        "result: passed",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert_eq!(
        std::fs::read(&face).unwrap()[..3],
        [0xFF, 0xD8, 0xFF],
        "DG2's JPEG written"
    );
    let (code, json, _) = verify(&trust, &mrz, &["--json"]);
    assert_eq!(
        (code, &json["outcome"]),
        (Some(0), &"passed".into()),
        "{json}"
    );
    assert_eq!(json["mrz"]["document_number"], "DA0000001");
    assert_eq!(json["data_groups_read"], serde_json::json!([1, 2]));
    assert!(
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["passed"] == true),
        "{json}"
    );

    // The same passport, but the register expects another MRZ.
    let other = mrz.replace("ANNA", "ANKA");
    let (code, json, _) = verify(&trust, &other, &["--json"]);
    assert_eq!(
        (code, &json["outcome"]),
        (Some(1), &"mrz_mismatch".into()),
        "{json}"
    );
    card.remove();

    // Each broken passport fails with its own reason.
    for (variant, code, outcome) in [
        ("tampered-dg1", 1, "hash_mismatch"),
        ("missing-dg2", 1, "data_group_missing"),
        ("bad-signature", 1, "bad_signature"),
        ("unknown-csca", 1, "unknown_csca"),
        ("expired-signer", 1, "certificate_expired"),
        ("wrong-mrz", 3, "wrong_access_key"),
        // Once BAC succeeded, damaged or garbled files are a failed check
        // (1), not "unreadable, try again" (3).
        ("empty-sod", 1, "malformed_data"),
        ("garbled-sod", 1, "malformed_data"),
        ("garbled-com", 1, "malformed_data"),
        ("garbled-dg1", 1, "malformed_data"),
        ("truncated-dg2", 1, "malformed_data"),
    ] {
        let card = VirtualCard::insert(&[
            "passport",
            "--pki",
            pki_dir,
            "--mrz",
            &mrz,
            "--variant",
            variant,
        ]);
        let (got, json, _) = verify(&trust, &mrz, &["--json"]);
        assert_eq!(
            (got, json["outcome"].as_str()),
            (Some(code), Some(outcome)),
            "{variant}: {json}"
        );
        if code == 1 {
            assert_eq!(
                (&json["readable"], &json["retryable"]),
                (&true.into(), &false.into()),
                "{variant}: {json}"
            );
        }
        if variant == "empty-sod" {
            // What was read is kept and shown, in JSON and in text.
            assert_eq!(json["mrz"]["document_number"], "DA0000001", "{json}");
            assert_eq!(json["data_groups_read"], serde_json::json!([1, 2]));
            let (code, _, text) = verify(&trust, &mrz, &[]);
            assert_eq!(code, Some(1), "{text}");
            for expected in [
                "ZOLKIEWSKA ANNA MARIA",
                "FAIL structure    EF.SOD: plik jest pusty",
                "result: malformed_data",
                "verdict: niezgodna: dane w układzie uszkodzone lub niekompletne",
            ] {
                assert!(text.contains(expected), "{expected:?} in:\n{text}");
            }
            assert!(!text.contains("could not be read"), "{text}");
        }
        card.remove();
    }

    // Lifted off the reader in the middle of DG2: a clear, retryable error.
    let _card = VirtualCard::insert(&[
        "passport",
        "--pki",
        pki_dir,
        "--mrz",
        &mrz,
        "--max-response",
        "0",
        "--remove-after",
        "20",
    ]);
    let (code, json, text) = verify(&trust, &mrz, &["--json"]);
    assert_eq!(
        (code, &json["retryable"]),
        (Some(3), &true.into()),
        "{json}"
    );
    assert!(
        json["error"]["en"]
            .as_str()
            .unwrap()
            .contains("taken off the reader"),
        "{text}"
    );
    pcscd.stop();
}

#[test]
fn a_clerk_card_counts_wrong_pins_and_blocks() {
    let _turn = PCSCD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    watchdog(Duration::from_secs(120));
    let pcscd = Pcscd::start();
    let _card = VirtualCard::insert(&[
        "clerk",
        "--card-id",
        "CLK-0042",
        "--pin",
        "2468",
        "--tries",
        "3",
    ]);
    let clerk = |args: &[&str]| {
        let o = common::counterctl()
            .args(["card", "clerk", "--json"])
            .args(args)
            .output()
            .unwrap();
        (
            o.status.code(),
            serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap_or_default(),
        )
    };
    let (code, json) = clerk(&[]);
    assert_eq!(
        (code, &json["card_id"], &json["tries_left"]),
        (Some(0), &"CLK-0042".into(), &3.into()),
        "{json}"
    );
    let (code, json) = clerk(&["--pin", "1111"]);
    assert_eq!((code, &json["tries_left"]), (Some(1), &2.into()), "{json}");
    assert!(
        json["error"].as_str().unwrap().contains("2 tries left"),
        "{json}"
    );
    let (code, json) = clerk(&["--pin", "2468"]);
    assert_eq!(
        (code, &json["card_id"]),
        (Some(0), &"CLK-0042".into()),
        "a right PIN resets the counter: {json}"
    );
    for left in [2, 1] {
        let (_, json) = clerk(&["--pin", "0000"]);
        assert_eq!(json["tries_left"], left, "{json}");
    }
    let (code, json) = clerk(&["--pin", "0000"]);
    assert_eq!(code, Some(1));
    assert!(
        json["error"].as_str().unwrap().contains("blocked"),
        "{json}"
    );
    let (code, json) = clerk(&["--pin", "2468"]);
    assert_eq!(
        code,
        Some(1),
        "blocked stays blocked, even with the right PIN: {json}"
    );
    pcscd.stop();
}
