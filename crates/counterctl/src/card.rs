//! `counterctl card verify` and `card clerk`: the chip check and the clerk
//! card from the command line, for office IT diagnosing a reader.

use crate::cli::VerifyArgs;
use crate::commands::{fail, print_json};
use crate::exit::Exit;
use passport_cards::clerk::{self, ClerkCardError};
use passport_cards::{AccessKey, ChipReport, Expectation, Outcome, PcscTransport, TrustStore};
use passport_domain::Lang;
use std::path::Path;

pub fn verify(args: &VerifyArgs, csca: &Path, lang: Lang) -> Exit {
    let key = AccessKey::new(&args.doc, &args.birth, &args.expiry);
    if key.document_number.is_empty()
        || key.document_number.len() > 9
        || key.mrz_information().is_none()
    {
        return fail(
            Exit::InvalidInput,
            "--doc must be up to 9 letters and digits, --birth and --expiry six digits (YYMMDD)",
        );
    }
    if let Some(mrz) = &args.mrz
        && mrz.len() != 88
    {
        return fail(
            Exit::InvalidInput,
            "--mrz must be both MRZ lines together, 88 characters",
        );
    }
    let trust = match TrustStore::load_dir(csca) {
        Ok(t) if t.cscas.is_empty() => {
            return fail(
                Exit::Config,
                &format!("no CSCA certificates in {}", csca.display()),
            );
        }
        Ok(t) => t,
        Err(e) => {
            return fail(
                Exit::Config,
                &format!("the CSCA trust store cannot be read: {e}"),
            );
        }
    };
    let expect = Expectation {
        key,
        mrz: args.mrz.as_deref(),
        trust: &trust,
        now: std::time::SystemTime::now().into(),
    };
    let mut report = passport_cards::reader::check_passport(args.reader.as_deref(), &expect);
    if let (Some(path), Some(face)) = (&args.face, &report.face)
        // A face image is biometric data: owner-only, as the counter's own files.
        && let Err(e) = passport_counter_core::files::owner_only_file()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, &face.bytes()))
    {
        return fail(Exit::Storage, &format!("{}: {e}", path.display()));
    }
    if args.json.json {
        report.face = None;
        print_json(&serde_json::to_value(&report).unwrap_or_default());
    } else {
        print_report(&report, lang);
    }
    match report.outcome {
        Outcome::Passed => Exit::Ok,
        _ if !report.readable => Exit::Card,
        _ => Exit::CheckFailed,
    }
}

fn print_report(r: &ChipReport, lang: Lang) {
    if let Some(error) = &r.error {
        eprintln!("the chip could not be read: {}", error.get(lang));
        if r.retryable {
            eprintln!("put the passport back on the reader and try again");
        }
        return;
    }
    let dgs = |v: &[u8]| {
        v.iter()
            .map(|d| format!("DG{d}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("EF.COM lists: {}", dgs(&r.data_groups_listed));
    println!("read:         {}", dgs(&r.data_groups_read));
    if let Some(m) = &r.mrz {
        println!("MRZ:          {}", m.line1);
        println!("              {}", m.line2);
        println!(
            "              {} {}, document {}, {} {}, born {}, expires {}",
            m.surname, m.given_names, m.document_number, m.nationality, m.sex, m.birth, m.expiry
        );
    }
    if let Some(f) = &r.face {
        println!("face image:   {:?} {}×{}", f.format, f.width, f.height);
    }
    for c in &r.checks {
        let mark = if c.passed { "ok  " } else { "FAIL" };
        let name = serde_json::to_value(c.check)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        println!("  {mark} {name:<12} {}", c.detail.get(lang));
    }
    println!(
        "result: {} ({} APDUs, {} bytes sent, {} received, {} ms)",
        r.outcome.code(),
        r.traffic.apdus,
        r.traffic.bytes_sent,
        r.traffic.bytes_received,
        r.millis
    );
    let (pl, en) = r.outcome.words();
    println!(
        "verdict: {}",
        match lang {
            Lang::Pl => pl,
            Lang::En => en,
        }
    );
}

pub fn clerk(pin: Option<&str>, reader: Option<&str>, as_json: bool) -> Exit {
    let run = || -> Result<(String, Option<u8>), ClerkCardError> {
        let mut t = PcscTransport::connect_to(reader, Some(&clerk::AID))?;
        let id = clerk::card_id(&mut t)?;
        match pin {
            Some(pin) => clerk::verify_pin(&mut t, pin).map(|()| (id, None)),
            None => Ok((id, Some(clerk::tries_left(&mut t)?))),
        }
    };
    match run() {
        Ok((id, tries)) => {
            if as_json {
                print_json(
                    &serde_json::json!({ "card_id": id, "pin_ok": pin.is_some(), "tries_left": tries }),
                );
            } else {
                println!("card {id}");
                match tries {
                    Some(t) if t == u8::MAX => println!("PIN already verified"),
                    Some(t) => println!("{t} tries left"),
                    None => println!("PIN correct"),
                }
            }
            Exit::Ok
        }
        Err(e) => {
            if as_json {
                let tries = match e {
                    ClerkCardError::WrongPin { tries_left } => Some(tries_left),
                    ClerkCardError::Blocked => Some(0),
                    _ => None,
                };
                print_json(&serde_json::json!({ "error": e.to_string(), "tries_left": tries }));
            } else {
                eprintln!("error: {e}");
            }
            match e {
                ClerkCardError::WrongPin { .. } | ClerkCardError::Blocked => Exit::CheckFailed,
                ClerkCardError::BadPin => Exit::InvalidInput,
                _ => Exit::Card,
            }
        }
    }
}
