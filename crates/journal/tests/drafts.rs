//! Drafts (forms in progress) against real SQLite files: they survive a
//! reopen, belong to one clerk, go with the saved application in one
//! transaction, and a row that does not read back is a named error.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{app, number, open, raw};

use passport_domain::demo;
use passport_journal::drafts::{
    CollectorKindDraft, DRAFT_MAX_BYTES, FormKind, GuardianFormDraft, PhotoMime,
};
use passport_journal::{
    ApplicationFormDraft, DraftError, DraftKind, DraftPhoto, HandoverFormDraft, JournalError,
    PhotoChange,
};

fn form() -> ApplicationFormDraft {
    ApplicationFormDraft {
        kind: FormKind::Passport,
        urgent_reason: String::new(),
        validity_days: String::new(),
        second_passport_justification: String::new(),
        existing_passport: String::new(),
        previous_passport: String::new(),
        pesel: "85022812343".into(),
        surname: "Żółkiewska".into(),
        given_names: "Anna Maria".into(),
        birth_date: "28.02.1985".into(),
        birth_place: "Łódź".into(),
        sex: "F".into(),
        citizenship: "POL".into(),
        street: String::new(),
        building: String::new(),
        flat: String::new(),
        postal_code: String::new(),
        city: String::new(),
        phone: String::new(),
        email: "anna@".into(),
        applicant_present: true,
        guardians: vec![GuardianFormDraft {
            role: "mother".into(),
            pesel: "6".into(),
            surname: String::new(),
            given_names: String::new(),
        }],
        consent_basis: String::new(),
        consent_reference: String::new(),
        reduction: "none".into(),
        large_family_card: String::new(),
        photo_name: "demo-photo.png".into(),
        biometrics: Default::default(),
        biometrics_progress: None,
    }
}

fn photo() -> DraftPhoto {
    DraftPhoto {
        mime: PhotoMime::Png,
        bytes: demo::PHOTO_PNG.to_vec(),
    }
}

#[tokio::test]
async fn a_draft_reads_back_after_the_journal_is_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    j.save_draft("clerk-1", &form(), &PhotoChange::Set(photo()))
        .await
        .unwrap();
    // A later save without the photo keeps the photo stored before.
    let mut changed = form();
    changed.birth_place = "Łódź-Bałuty".into();
    j.save_draft("clerk-1", &changed, &PhotoChange::Keep)
        .await
        .unwrap();
    j.checkpoint().await.unwrap();
    drop(j);

    let j = open(&db).await;
    let d = j
        .load_draft::<ApplicationFormDraft>("clerk-1")
        .await
        .unwrap()
        .expect("the draft is kept");
    assert_eq!(d.body, changed);
    assert_eq!(d.photo, Some(photo()));
    assert!(d.updated_at.starts_with("20"), "{}", d.updated_at);
    // The hand-over form is another draft: none was kept.
    assert!(
        j.load_draft::<HandoverFormDraft>("clerk-1")
            .await
            .unwrap()
            .is_none()
    );

    j.save_draft("clerk-1", &changed, &PhotoChange::Remove)
        .await
        .unwrap();
    let d = j
        .load_draft::<ApplicationFormDraft>("clerk-1")
        .await
        .unwrap();
    assert_eq!(d.unwrap().photo, None);
}

#[tokio::test]
async fn another_clerk_does_not_see_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&dir.path().join("journal.db")).await;
    j.save_draft("clerk-1", &form(), &PhotoChange::Keep)
        .await
        .unwrap();
    assert!(
        j.load_draft::<ApplicationFormDraft>("clerk-2")
            .await
            .unwrap()
            .is_none()
    );
    let mut theirs = form();
    theirs.surname = "Nowak".into();
    j.save_draft("clerk-2", &theirs, &PhotoChange::Keep)
        .await
        .unwrap();
    // clerk-2 discarding theirs leaves clerk-1's alone.
    assert!(
        j.discard_draft("clerk-2", DraftKind::Application)
            .await
            .unwrap()
    );
    let mine = j
        .load_draft::<ApplicationFormDraft>("clerk-1")
        .await
        .unwrap();
    assert_eq!(mine.unwrap().body.surname, "Żółkiewska");
    assert!(
        !j.discard_draft("clerk-2", DraftKind::Application)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn saving_the_application_deletes_the_draft_in_the_same_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    let handover = HandoverFormDraft {
        document_number: "DA0000003".into(),
        collector_kind: CollectorKindDraft::Holder,
        collector_pesel: String::new(),
        collector_surname: String::new(),
        collector_given_names: String::new(),
        identity_document: "dowód".into(),
        previous_passport: String::new(),
        court_ruling_reference: String::new(),
    };
    j.save_draft("clerk-1", &form(), &PhotoChange::Set(photo()))
        .await
        .unwrap();
    j.save_draft("clerk-1", &handover, &PhotoChange::Keep)
        .await
        .unwrap();

    // When the draft cannot be deleted, the application is not saved
    // either: one transaction.
    raw(
        &db,
        "CREATE TRIGGER refuse_delete BEFORE DELETE ON drafts BEGIN SELECT RAISE(ABORT, 'test'); END;",
    );
    let err = j
        .submit_application_discarding_draft(&app(1), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Db(_)), "{err:?}");
    assert_eq!(number(&db, "SELECT count(*) FROM applications"), 0);
    assert_eq!(number(&db, "SELECT count(*) FROM journal"), 0);
    assert_eq!(number(&db, "SELECT count(*) FROM drafts"), 2);

    raw(&db, "DROP TRIGGER refuse_delete;");
    j.submit_application_discarding_draft(&app(1), demo::PHOTO_PNG, "clerk-1")
        .await
        .unwrap();
    assert_eq!(number(&db, "SELECT count(*) FROM applications"), 1);
    assert!(
        j.load_draft::<ApplicationFormDraft>("clerk-1")
            .await
            .unwrap()
            .is_none()
    );
    // The hand-over in progress is another form: it stays.
    assert_eq!(
        j.load_draft::<HandoverFormDraft>("clerk-1")
            .await
            .unwrap()
            .unwrap()
            .body,
        handover
    );
}

#[tokio::test]
async fn a_draft_that_does_not_read_back_is_a_named_error_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    j.save_draft("clerk-1", &form(), &PhotoChange::Keep)
        .await
        .unwrap();
    // A field this release does not know (written by a newer one, or by hand).
    raw(
        &db,
        "UPDATE drafts SET body = json_set(body, '$.nickname', 'Ania') WHERE clerk_id = 'clerk-1';",
    );
    let err = j
        .load_draft::<ApplicationFormDraft>("clerk-1")
        .await
        .unwrap_err();
    match err {
        JournalError::Draft(DraftError::Unreadable {
            kind,
            clerk_id,
            reason,
            ..
        }) => {
            assert_eq!((kind, clerk_id.as_str()), ("application", "clerk-1"));
            assert!(reason.contains("nickname"), "{reason}");
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
    // A missing field is as unreadable as an unknown one: no defaults.
    raw(
        &db,
        "UPDATE drafts SET body = json_remove(body, '$.nickname', '$.surname') WHERE clerk_id = 'clerk-1';",
    );
    let err = j
        .load_draft::<ApplicationFormDraft>("clerk-1")
        .await
        .unwrap_err();
    assert!(
        matches!(err, JournalError::Draft(DraftError::Unreadable { ref reason, .. }) if reason.contains("surname")),
        "{err:?}"
    );
    assert_eq!(number(&db, "SELECT count(*) FROM drafts"), 1);
    // The clerk can still discard it.
    assert!(
        j.discard_draft("clerk-1", DraftKind::Application)
            .await
            .unwrap()
    );
    assert_eq!(number(&db, "SELECT count(*) FROM drafts"), 0);
}

#[tokio::test]
async fn a_draft_over_the_size_cap_is_refused_and_the_one_before_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let j = open(&db).await;
    j.save_draft("clerk-1", &form(), &PhotoChange::Keep)
        .await
        .unwrap();
    let mut huge = form();
    huge.surname = "x".repeat(DRAFT_MAX_BYTES);
    let err = j
        .save_draft("clerk-1", &huge, &PhotoChange::Keep)
        .await
        .unwrap_err();
    assert!(
        matches!(err, JournalError::Draft(DraftError::TooLarge { limit, .. }) if limit == DRAFT_MAX_BYTES),
        "{err:?}"
    );
    let big_photo = DraftPhoto {
        mime: PhotoMime::Jpeg,
        bytes: vec![0; passport_domain::photo::PHOTO_MAX_BYTES + 1],
    };
    let err = j
        .save_draft("clerk-1", &form(), &PhotoChange::Set(big_photo))
        .await
        .unwrap_err();
    assert!(
        matches!(err, JournalError::Draft(DraftError::PhotoTooLarge { .. })),
        "{err:?}"
    );
    let kept = j
        .load_draft::<ApplicationFormDraft>("clerk-1")
        .await
        .unwrap();
    assert_eq!(kept.unwrap().body, form());
    // Just under the cap is kept.
    let mut big = form();
    big.surname = "x".repeat(DRAFT_MAX_BYTES - 2_000);
    j.save_draft("clerk-1", &big, &PhotoChange::Keep)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_draft_needs_a_clerk() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&dir.path().join("journal.db")).await;
    let err = j
        .save_draft("", &form(), &PhotoChange::Keep)
        .await
        .unwrap_err();
    assert!(matches!(err, JournalError::Invalid(_)), "{err:?}");
}
