//! `counterctl print` with the real parts: documents from a real journal,
//! read back with poppler, and a print job through a private CUPS with the
//! cups-pdf virtual printer, whose output file must appear.
//!
//! The CUPS part needs root (the cups-pdf backend runs as root) and Debian's
//! `cups` + `printer-driver-cups-pdf` (make deps installs them). The private
//! cupsd listens on a socket in a temporary directory, so a system cupsd is
//! left alone; it is stopped by pid. cups-pdf reads its settings from
//! /etc/cups only: the test writes `/etc/cups/cups-pdf-<dir>.conf` for its
//! own queue and removes it afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

fn counterctl(data: &Path) -> Command {
    let mut c = common::counterctl();
    c.arg("--data-dir").arg(data);
    c
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: make deps installs it");
    String::from_utf8(out.stdout).unwrap()
}

/// Saves the adult example application; returns its number.
fn submit(data: &Path) -> String {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/examples/application-adult.json");
    let out = ok(&counterctl(data)
        .args(["application", "submit", "--json"])
        .arg(example)
        .args(common::adult_biometrics(data))
        .output()
        .unwrap());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["number"].as_str().unwrap().to_owned()
}

#[test]
fn documents_are_written_as_pdf_with_their_polish_text() {
    let dir = tempfile::tempdir().unwrap();
    let number = submit(dir.path());
    let receipt = dir.path().join("receipt.pdf");
    let out = ok(&counterctl(dir.path())
        .args(["print", "receipt", &number, "-o"])
        .arg(&receipt)
        .output()
        .unwrap());
    assert!(out.contains("receipt.pdf"), "{out}");
    let text = pdftotext(&receipt);
    assert!(text.contains("Zofia Małgorzata Żółkiewska-Łęcka"), "{text}");
    assert!(text.contains(&number), "{text}");
    // Never sent to a register: the offline line is there.
    assert!(
        text.contains("Zapisano bez połączenia z rejestrem"),
        "{text}"
    );

    // The day report is a supervisor's: their password on standard input.
    let day = dir.path().join("day.pdf");
    let mut child = counterctl(dir.path())
        .args(["--clerk", "demo-supervisor", "print", "day", "-o"])
        .arg(&day)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        writeln!(child.stdin.take().unwrap(), "demo").unwrap();
    }
    ok(&child.wait_with_output().unwrap());
    let text = pdftotext(&day);
    assert!(text.contains("Raport dnia"), "{text}");
    // The day's operations as a headed table: kind, state in words, count.
    assert!(text.contains("Rodzaj operacji"), "{text}");
    assert!(
        text.lines().any(|l| l.contains("Wniosek")
            && l.contains("czeka na wysłanie")
            && l.trim_end().ends_with('1')),
        "{text}"
    );

    // A number not in the journal is invalid input (exit 2), nothing written.
    let o = counterctl(dir.path())
        .args(["print", "receipt", "DEMO-01-999999-00", "-o"])
        .arg(dir.path().join("x.pdf"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("x.pdf").exists());
    // One destination, not none and not two.
    let o = counterctl(dir.path())
        .args(["print", "receipt", &number])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// A private cupsd with one cups-pdf queue; stopped and cleaned up on drop.
struct Cups {
    dir: tempfile::TempDir,
    cupsd: Child,
    pdf_conf: PathBuf,
}

impl Cups {
    fn socket(&self) -> PathBuf {
        self.dir.path().join("cups.sock")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn start() -> Cups {
        let uid = String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout).unwrap();
        assert_eq!(
            uid.trim(),
            "0",
            "printing to the cups-pdf virtual printer needs root (its backend runs as root): run make test as root"
        );
        let dir = tempfile::Builder::new()
            .prefix("cupspdf")
            .tempdir_in("/tmp")
            .unwrap();
        let d = dir.path();
        for sub in [
            "etc",
            "spool/tmp",
            "cache",
            "run",
            "log",
            "out",
            "pdflog",
            "pdfspool",
        ] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        let chmod = |p: &Path, mode: &str| {
            assert!(
                Command::new("chmod")
                    .arg(mode)
                    .arg(p)
                    .status()
                    .unwrap()
                    .success()
            );
        };
        chmod(d, "0755");
        chmod(&d.join("out"), "1777");
        let p = d.display();
        std::fs::write(
            d.join("etc/cups-files.conf"),
            format!(
                "ServerRoot {p}/etc\nRequestRoot {p}/spool\nTempDir {p}/spool/tmp\nCacheDir {p}/cache\n\
                 StateDir {p}/run\nAccessLog {p}/log/access_log\nErrorLog {p}/log/error_log\n\
                 PageLog {p}/log/page_log\nPrintcap {p}/run/printcap\nSystemGroup root\nFileDevice No\n"
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("etc/cupsd.conf"),
            format!(
                "LogLevel warn\nListen {p}/cups.sock\nBrowsing No\nBrowseLocalProtocols none\n\
                 WebInterface No\nDefaultShared No\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
            ),
        )
        .unwrap();
        // cups-pdf finds this by the queue's device URI `cups-pdf:/<name>`.
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let pdf_conf = PathBuf::from(format!("/etc/cups/cups-pdf-{name}.conf"));
        std::fs::write(
            &pdf_conf,
            format!(
                "Out {p}/out\nAnonDirName {p}/out\nSpool {p}/pdfspool\nLog {p}/pdflog\nGrp lp\n"
            ),
        )
        .expect("cannot write /etc/cups/cups-pdf-*.conf: is printer-driver-cups-pdf installed?");
        let cupsd = Command::new("cupsd")
            .arg("-f")
            .arg("-c")
            .arg(d.join("etc/cupsd.conf"))
            .arg("-s")
            .arg(d.join("etc/cups-files.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cupsd (Debian's cups) is needed: make deps installs it");
        let cups = Cups {
            dir,
            cupsd,
            pdf_conf,
        };
        let start = Instant::now();
        loop {
            let o = Command::new("lpstat")
                .arg("-h")
                .arg(cups.socket())
                .arg("-r")
                .output()
                .unwrap();
            if String::from_utf8_lossy(&o.stdout).contains("is running") {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the private cupsd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let o = Command::new("lpadmin")
            .arg("-h")
            .arg(cups.socket())
            .args(["-p", "passport-test", "-E", "-v"])
            .arg(format!("cups-pdf:/{name}"))
            .args([
                "-m",
                "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
                "-o",
                "printer-is-shared=false",
                "-o",
                "TitlePref=1",
            ])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "lpadmin: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        cups
    }
}

impl Drop for Cups {
    fn drop(&mut self) {
        // By pid: this instance only.
        Command::new("kill")
            .arg("-TERM")
            .arg(self.cupsd.id().to_string())
            .status()
            .ok();
        self.cupsd.wait().ok();
        std::fs::remove_file(&self.pdf_conf).ok();
    }
}

#[test]
fn a_receipt_prints_through_cups_to_the_virtual_pdf_printer() {
    let cups = Cups::start();
    let data = tempfile::tempdir().unwrap();
    let number = submit(data.path());
    let out = ok(&counterctl(data.path())
        .env("CUPS_SERVER", cups.socket())
        .args(["print", "receipt", &number, "--printer", "passport-test"])
        .output()
        .unwrap());
    assert!(out.contains("job passport-test-"), "{out}");
    // No copy is kept: it went to lp on its standard input.
    assert!(!data.path().join("printouts").exists());

    // The job's output: cups-pdf writes <title>-job_<id>.pdf once the job completes.
    let start = Instant::now();
    let printed = loop {
        let done = Command::new("lpstat")
            .arg("-h")
            .arg(cups.socket())
            .args(["-W", "completed", "-o", "passport-test"])
            .output()
            .unwrap();
        let found = std::fs::read_dir(cups.out())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "pdf"));
        if let (Some(p), true) = (found, !done.stdout.is_empty()) {
            break p;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no output from the virtual printer"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // What came out of the printer: the page goes through PostScript and
    // Ghostscript, which drops the text layer's Unicode map, so the page is
    // checked the way a scanner at the counter would: both codes decode to
    // the number.
    let png = cups.dir.path().join("printed");
    assert!(
        Command::new("pdftoppm")
            .args(["-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&printed)
            .arg(&png)
            .status()
            .unwrap()
            .success()
    );
    let codes = Command::new("zbarimg")
        .args(["--nodbus", "-q"])
        .arg(cups.dir.path().join("printed.png"))
        .output()
        .expect("zbarimg (zbar-tools) is needed: make deps installs it");
    let mut codes: Vec<String> = String::from_utf8_lossy(&codes.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        vec![format!("CODE-128:{number}"), format!("QR-Code:{number}")]
    );

    // A printer that does not exist: a clear message, exit 7, nothing changed.
    let o = counterctl(data.path())
        .env("CUPS_SERVER", cups.socket())
        .args(["print", "receipt", &number, "--printer", "no-such-printer"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("printer") && err.contains("print it again"),
        "{err}"
    );
}
