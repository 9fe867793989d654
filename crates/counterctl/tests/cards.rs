//! Card readers through the real PC/SC stack: pcscd with the vpcd virtual
//! reader driver, a virtual card written here (`passport_cards::vpcd`), the
//! reader watcher, and `counterctl card readers`. pcscd is started and
//! stopped by pid; only one can run on a machine, so everything that needs
//! it is in this one test.

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

struct Pcscd(Child);

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
        let p = Pcscd(child);
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
        self.kill();
    }

    fn kill(&mut self) {
        Command::new("kill")
            .arg("-TERM")
            .arg(self.0.id().to_string())
            .status()
            .ok();
        self.0.wait().ok();
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            self.kill();
        }
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

#[test]
fn readers_and_cards_are_followed_live_and_a_stopped_service_is_a_state() {
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
