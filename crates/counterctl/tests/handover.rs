//! `counterctl handover` and `document invalidate` go through the core the
//! app uses: the demo office with its embedded register simulator, real
//! SQLite files, the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;
use std::process::Output;

mod common;

fn run(data: &Path, args: &[&str]) -> Output {
    common::counterctl()
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn exported(data: &Path) -> Vec<serde_json::Value> {
    let o = run(data, &["journal", "export"]);
    assert!(o.status.success(), "{}", err(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An adult's passport: a parent is refused at the collector's role (the
/// domain's rule, as in the app); the legal guardian of an adult under
/// full guardianship collects with the court ruling, which is journaled
/// and sent. (Before: a parent collecting an adult's passport was saved.)
#[test]
fn a_guardian_collecting_with_a_court_ruling_is_recorded_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let person = [
        "--collector-pesel",
        "90010112349",
        "--collector-surname",
        "Wójcik",
        "--collector-given-names",
        "Anna",
    ];
    let handover = |collector: &[&str]| {
        let mut args = vec!["--clerk", "demo-clerk", "handover", "DA0000002"];
        args.extend_from_slice(collector);
        args.extend_from_slice(&person);
        args.extend_from_slice(&[
            "--identity-document",
            "dowód osobisty ABC523456",
            "--previous-passport",
            "ea 0999999",
            "--json",
        ]);
        run(data, &args)
    };
    let parent = handover(&["--collector", "parent"]);
    assert_eq!(parent.status.code(), Some(2), "{}", err(&parent));
    assert!(err(&parent).contains("collector.kind"), "{}", err(&parent));
    let no_ruling = handover(&["--collector", "legal-guardian"]);
    assert_eq!(no_ruling.status.code(), Some(2), "{}", err(&no_ruling));
    assert!(
        err(&no_ruling).contains("collector.court_ruling"),
        "{}",
        err(&no_ruling)
    );
    let o = handover(&[
        "--collector",
        "legal-guardian",
        "--court-ruling",
        "III RNs 123/24",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let saved: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(saved["document_number"], "DA0000002");
    // The demo register answered within the wait.
    assert_eq!(saved["outcome"], "issued", "{saved}");
    let entries = exported(data);
    let h = entries
        .iter()
        .find(|e| e["kind"] == "record_handover")
        .expect("a hand-over entry");
    assert_eq!(
        h["payload"]["collected_by"],
        serde_json::json!({"kind": "legal_guardian", "pesel": "90010112349", "surname": "Wójcik", "given_names": "Anna", "court_ruling": "III RNs 123/24"})
    );
    assert_eq!(h["payload"]["v"], 2);
    assert_eq!(h["payload"]["previous_passport"], "EA0999999");
    assert_eq!(h["clerk_id"], "demo-clerk");

    // The same document again: the core refuses it (already handed over).
    let again = run(
        data,
        &[
            "--clerk",
            "demo-clerk",
            "handover",
            "DA0000002",
            "--collector",
            "holder",
            "--identity-document",
            "dowód osobisty ABC523456",
        ],
    );
    assert_eq!(again.status.code(), Some(2), "{}", err(&again));
}

#[test]
fn the_core_decides_who_may_act_and_what_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    // No such account at the register.
    let o = run(
        data,
        &[
            "--clerk",
            "nobody",
            "document",
            "invalidate",
            "EK1234567",
            "--reason",
            "reported-lost",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    // A parent with an invalid PESEL is refused at its field.
    let o = run(
        data,
        &[
            "--clerk",
            "demo-clerk",
            "handover",
            "DA0000003",
            "--collector",
            "parent",
            "--collector-pesel",
            "90010112340",
            "--collector-surname",
            "Wójcik",
            "--collector-given-names",
            "Anna",
            "--identity-document",
            "dowód osobisty ABC523456",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("collector.pesel"), "{}", err(&o));
    // An invalidation through the core, with its reason.
    let o = run(
        data,
        &[
            "--clerk",
            "demo-clerk",
            "document",
            "invalidate",
            "EK1234567",
            "--reason",
            "reported-stolen",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let entries = exported(data);
    let i = entries
        .iter()
        .find(|e| e["kind"] == "invalidate_document")
        .unwrap();
    assert_eq!(i["payload"]["reason"], "reported_stolen");
    // Twice: refused as input (exit 2), not as a broken journal (exit 4).
    let o = run(
        data,
        &[
            "--clerk",
            "demo-clerk",
            "document",
            "invalidate",
            "EK1234567",
            "--reason",
            "reported-lost",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    // A collector's name longer than the register takes is refused here,
    // not saved and refused later.
    let long = "a".repeat(5000);
    let o = run(
        data,
        &[
            "--clerk",
            "demo-clerk",
            "handover",
            "DA0000004",
            "--collector",
            "legal-guardian",
            "--collector-pesel",
            "90010112349",
            "--collector-surname",
            &long,
            "--collector-given-names",
            "Anna",
            "--identity-document",
            "dowód osobisty ABC523456",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("collector.surname"), "{}", err(&o));
}
