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

#[test]
fn a_parent_collecting_is_recorded_as_the_parent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let o = run(
        data,
        &[
            "--clerk",
            "demo-clerk",
            "handover",
            "DA0000002",
            "--collector",
            "parent",
            "--collector-pesel",
            "90010112349",
            "--collector-surname",
            "Wójcik",
            "--collector-given-names",
            "Anna",
            "--identity-document",
            "dowód osobisty ABC123456",
            "--previous-passport",
            "ea 0999999",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", err(&o));
    let saved: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(saved["document_number"], "DA0000002");
    let entries = exported(data);
    let h = entries
        .iter()
        .find(|e| e["kind"] == "record_handover")
        .expect("a hand-over entry");
    assert_eq!(
        h["payload"]["collected_by"],
        serde_json::json!({"kind": "parent", "pesel": "90010112349", "surname": "Wójcik", "given_names": "Anna"})
    );
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
            "dowód osobisty ABC123456",
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
            "dowód osobisty ABC123456",
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
            "dowód osobisty ABC123456",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("collector.surname"), "{}", err(&o));
}
