//! `Debug` shows no personal data: a full application (PESEL, names,
//! birth date and place, address, phone, e-mail, photo) saved in a real
//! journal, read back as its entry and payload, and built into the
//! register's request, is printed with `{:?}` and `{:#?}` (what a log
//! line, a `tracing` field or a panic would show) and none of its values
//! is there. The same for a hand-over to a parent (names, PESEL, the
//! identity document's number) as the journal and the register's contract
//! hold it, and for a log-in request's password.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use base64::Engine as _;
use chrono::NaiveDate;
use passport_domain::application::ApplicationRules;
use passport_domain::demo;
use passport_journal::{Collector, HandoverPayload, Identity, Journal, JournalOptions};
use passport_register_contract as wire;

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Every personal value that must not show, checked in both forms.
fn assert_hidden(shown: &str, values: &[&str], what: &str) {
    for v in values {
        assert!(!v.is_empty(), "{what}: an empty value proves nothing");
        assert!(
            !shown.contains(v),
            "{what}: {v:?} shows in its Debug: {shown}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_application_prints_none_of_its_personal_data() {
    let mut draft = demo::adult_draft(3, today());
    let contact = draft.applicant.contact.as_mut().unwrap();
    contact.email = Some("ewa.wisniewska@example.pl".into());
    let a = &draft.applicant;
    let address = a.address.clone().unwrap();
    let phone = a.contact.as_ref().unwrap().phone.clone().unwrap();
    let photo_b64 = base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG);
    let values: Vec<String> = vec![
        a.pesel.clone(),
        a.surname.clone(),
        a.given_names.clone(),
        a.birth_date.clone(),
        a.birth_place.clone(),
        address.street.clone().unwrap(),
        address.postal_code.clone(),
        phone,
        "ewa.wisniewska@example.pl".into(),
        // The photo, as the request carries it (any stretch of it).
        photo_b64[..48].to_owned(),
    ];
    let values: Vec<&str> = values.iter().map(String::as_str).collect();

    let valid = draft
        .validate(Some(demo::PHOTO_PNG), &ApplicationRules::new(today()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(
        &dir.path().join("journal.db"),
        Identity::demo(),
        JournalOptions::default(),
    )
    .await
    .unwrap();
    j.submit_application(&valid, demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    let entry = j.entries(0, 10).await.unwrap().pop().unwrap();
    let payload = entry.payload().unwrap();
    let request = passport_sync::build_request(&j, &entry).await.unwrap();
    let passport_sync::Request::Submit(submit) = &request else {
        panic!("an application is a submit request");
    };
    // The request really holds them (so their absence below means
    // something).
    let wire_text = serde_json::to_string(submit).unwrap();
    for v in &values {
        assert!(wire_text.contains(v), "{v:?} is not in the request");
    }
    let shown = format!(
        "{draft:?} {valid:?} {entry:?} {entry:#?} {payload:?} {payload:#?} {request:?} {request:#?} \
         {submit:?} {:?} {:?} {:?} {:?}",
        submit.applicant, submit.applicant.address, submit.applicant.contact, submit.photo,
    );
    assert_hidden(&shown, &values, "an application");
    // The types still say what they are.
    assert!(shown.contains("SubmitApplication"), "{shown}");
    assert!(shown.contains(passport_domain::redact::REDACTED), "{shown}");
    j.close().await;
}

#[test]
fn a_hand_over_and_a_log_in_print_none_of_their_personal_data() {
    let pesel = "44051401359";
    let handover = HandoverPayload {
        document_number: "DA0000001".into(),
        collected_by: Collector::Parent {
            pesel: pesel.parse().unwrap(),
            surname: "Wiśniewska".into(),
            given_names: "Ewa Maria".into(),
        },
        identity_check: "dowód osobisty ABC523456".into(),
        chip_check: passport_journal::ChipCheck::Passed,
        previous_passport: None,
        provisional: false,
    };
    let wire_collector = wire::Collector::Parent {
        pesel: pesel.into(),
        surname: "Wiśniewska".into(),
        given_names: "Ewa Maria".into(),
    };
    let login = wire::ClerkLogin {
        clerk_id: "clerk-1".into(),
        password: "tajne-hasło-42".into(),
        office: "DEMO".into(),
    };
    let person = wire::Person {
        pesel: pesel.into(),
        surname: "Wiśniewska".into(),
        given_names: "Ewa Maria".into(),
        birth_date: "1944-05-14".into(),
        sex: "K".into(),
    };
    let shown = format!(
        "{handover:?} {handover:#?} {:?} {wire_collector:?} {login:?} {person:#?}",
        handover.collected_by
    );
    assert_hidden(
        &shown,
        &[
            pesel,
            "Wiśniewska",
            "Ewa Maria",
            "ABC523456",
            "tajne-hasło-42",
            "1944-05-14",
        ],
        "a hand-over, a log-in, a person",
    );
}
