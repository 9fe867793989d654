//! Who may collect, as the register checks it (the domain's rule,
//! `passport_domain::collection`): an adult's passport goes to the holder
//! or to a legal guardian with the court ruling's reference, whatever a
//! counter sent.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use passport_domain::{Pesel, Sex};
use passport_register_contract::{Guardian, GuardianRole, IDEMPOTENCY_KEY, Validity};
use passport_register_sim::Faults;
use serde_json::{Value, json};

async fn hand_over(url: &str, key: &str, collected_by: Value) -> (u16, Value) {
    hand_over_doc(url, key, "DA0000001", collected_by).await
}

async fn hand_over_doc(url: &str, key: &str, document: &str, collected_by: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{url}/v1/handovers"))
        .header(IDEMPOTENCY_KEY, key)
        .json(&json!({
            "document_number": document, "office": "DEMO", "workstation": "01",
            "clerk_id": "clerk-1", "device_time": "2026-11-22T10:00:00.000Z",
            "collected_by": collected_by, "identity_check": "dowód osobisty ABC123456",
            "chip_check": "passed", "previous_passport": null, "provisional": false
        }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn paths(problem: &Value) -> Vec<(&str, &str)> {
    problem["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn an_adults_passport_goes_to_the_holder_or_a_guardian_with_a_court_ruling() {
    let sim = common::sim(Faults::default(), 1).await;
    let url = sim.url();
    let person = |role: &str| json!({ "role": role, "pesel": "70030312347", "surname": "Nowak", "given_names": "Jan" });
    let (status, p) = hand_over(&url, "k1", person("parent")).await;
    assert_eq!(
        (status, paths(&p)),
        (
            422,
            vec![("collected_by.role", "collector.adult_in_person")]
        )
    );
    let (status, p) = hand_over(&url, "k2", person("legal_guardian")).await;
    assert_eq!(
        (status, paths(&p)),
        (
            422,
            vec![("collected_by.court_ruling", "court_ruling.required")]
        )
    );
    let mut garbled = person("legal_guardian");
    garbled["court_ruling"] = json!("RNs 123/24");
    let (status, p) = hand_over(&url, "k3", garbled).await;
    assert_eq!(
        (status, paths(&p)),
        (422, vec![("collected_by.court_ruling", "court_ruling")])
    );
    let mut with = person("legal_guardian");
    with["court_ruling"] = json!("III RNs 123/24");
    let (status, receipt) = hand_over(&url, "k4", with).await;
    assert_eq!(status, 201, "{receipt}");
    let got: Value = reqwest::get(format!("{url}/admin/received/k4"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        got["body"]["collected_by"]["court_ruling"],
        "III RNs 123/24"
    );
    sim.stop().await.unwrap();
}

fn pesel(y: i32, m: u32, d: u32, serial: u16, sex: Sex) -> String {
    Pesel::from_parts(
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        serial,
        sex,
    )
    .unwrap()
    .to_string()
}

/// A minor's passport goes to a parent named on the application the
/// register accepted: the holder and a stranger are 422, the mother 201.
#[tokio::test]
async fn a_minors_passport_goes_to_a_parent_on_the_application() {
    let sim = common::sim(Faults::default(), 1).await;
    let url = sim.url();
    let mother = pesel(1984, 3, 9, 11, Sex::Female);
    let mut app = common::application(41);
    app.applicant.pesel = pesel(2016, 2, 14, 321, Sex::Female);
    app.applicant.birth_date = "2016-02-14".into();
    app.applicant.sex = passport_register_contract::Sex::F;
    app.validity = Validity::Years(5);
    // Ten on the application date: no fingerprints, no signature.
    app.fingerprints_required = false;
    app.signature_required = false;
    app.guardians = vec![
        Guardian {
            role: GuardianRole::Mother,
            pesel: mother.clone(),
            surname: "Nowak".into(),
            given_names: "Anna".into(),
        },
        Guardian {
            role: GuardianRole::Father,
            pesel: pesel(1983, 5, 1, 12, Sex::Male),
            surname: "Nowak".into(),
            given_names: "Jan".into(),
        },
    ];
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{url}/v1/applications"))
        .header(IDEMPOTENCY_KEY, "minor-app")
        .json(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let doc: Value = client
        .post(format!("{url}/admin/personalise"))
        .json(&json!({ "application_number": app.application_number }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let document = doc["document_number"].as_str().unwrap();
    let parent = |pesel: &str| json!({ "role": "parent", "pesel": pesel, "surname": "Nowak", "given_names": "Anna" });
    let (status, p) = hand_over_doc(&url, "m1", document, json!({ "role": "holder" })).await;
    assert_eq!(
        (status, paths(&p)),
        (422, vec![("collected_by.role", "collector.minor")])
    );
    let (status, p) = hand_over_doc(&url, "m2", document, parent("70030312347")).await;
    assert_eq!(
        (status, paths(&p)),
        (
            422,
            vec![("collected_by.pesel", "collector.not_on_application")]
        )
    );
    let (status, receipt) = hand_over_doc(&url, "m3", document, parent(&mother)).await;
    assert_eq!(status, 201, "{receipt}");
    sim.stop().await.unwrap();
}
