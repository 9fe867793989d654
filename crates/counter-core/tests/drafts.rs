//! Forms in progress through the counter's services: kept for the clerk of
//! the session only, refused without one, gone with the saved application,
//! and a stored form that does not read back is said to the clerk by name.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{
    ApplicationDraftSave, CoreError, Counter, DraftPhotoChange, DraftPhotoView, DraftSave,
    DraftView, IpcError,
};
use passport_domain::demo;
use passport_journal::drafts::PhotoMime;
use passport_journal::{ApplicationFormDraft, DraftKind};
use passport_register_sim::{SimConfig, SimHandle};

async fn start() -> (SimHandle, Counter, tempfile::TempDir) {
    let sim = passport_register_sim::spawn("127.0.0.1:0", SimConfig::default())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(dir.path().to_path_buf()),
        register: Some(sim.url()),
        ..Overrides::default()
    })
    .unwrap();
    let counter = Counter::start(cfg).await.unwrap();
    (sim, counter, dir)
}

fn form(surname: &str) -> ApplicationFormDraft {
    let d = demo::adult_draft(1, chrono::Local::now().date_naive());
    let a = &d.applicant;
    ApplicationFormDraft {
        pesel: a.pesel.clone(),
        surname: surname.into(),
        given_names: a.given_names.clone(),
        birth_date: a.birth_date.clone(),
        birth_place: a.birth_place.clone(),
        sex: a.sex.clone(),
        photo_name: "demo-photo.png".into(),
        ..common::zofia_form()
    }
}

fn photo() -> DraftPhotoView {
    DraftPhotoView {
        mime: PhotoMime::Png,
        base64: base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG),
    }
}

fn save(f: ApplicationFormDraft, photo: DraftPhotoChange) -> DraftSave {
    DraftSave::Application(Box::new(ApplicationDraftSave { form: f, photo }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_the_session_clerks_alone_and_goes_with_the_saved_application() {
    let (_sim, c, _dir) = start().await;
    let mine = save(form("Żółkiewska"), DraftPhotoChange::Set(photo()));

    // Nobody logged in: nothing kept, nothing shown.
    assert!(matches!(
        c.save_draft(&mine).await,
        Err(CoreError::NotLoggedIn)
    ));
    assert!(matches!(
        c.load_draft(DraftKind::Application).await,
        Err(CoreError::NotLoggedIn)
    ));

    c.login("demo-clerk", "demo").await.unwrap();
    c.save_draft(&mine).await.unwrap();
    let Some(DraftView::Application {
        form: f, photo: p, ..
    }) = c.load_draft(DraftKind::Application).await.unwrap()
    else {
        panic!("the draft is kept")
    };
    assert_eq!(*f, form("Żółkiewska"));
    assert_eq!(p, Some(photo()));
    assert!(c.load_draft(DraftKind::Handover).await.unwrap().is_none());

    // Locked: neither read nor written (the window saves before it locks).
    c.lock();
    assert!(matches!(c.save_draft(&mine).await, Err(CoreError::Locked)));
    assert!(matches!(
        c.load_draft(DraftKind::Application).await,
        Err(CoreError::Locked)
    ));
    c.unlock("demo").await.unwrap();

    // Another clerk at the same counter sees none of it, and keeps their own.
    c.logout().await;
    c.login("demo-supervisor", "demo").await.unwrap();
    assert!(
        c.load_draft(DraftKind::Application)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!c.discard_draft(DraftKind::Application).await.unwrap());
    c.logout().await;

    // The same clerk after logging in again: still there; saving the
    // application takes it away.
    c.login("demo-clerk", "demo").await.unwrap();
    assert!(
        c.load_draft(DraftKind::Application)
            .await
            .unwrap()
            .is_some()
    );
    let png = base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG);
    c.submit_application(
        &demo::adult_draft(1, chrono::Local::now().date_naive()),
        Some(&png),
        &common::adult_biometrics(),
    )
    .await
    .unwrap();
    assert!(
        c.load_draft(DraftKind::Application)
            .await
            .unwrap()
            .is_none()
    );

    // A photo that is not base64 is refused at the photo.
    let bad = save(
        form("Nowak"),
        DraftPhotoChange::Set(DraftPhotoView {
            mime: PhotoMime::Jpeg,
            base64: "not base64!".into(),
        }),
    );
    let e = IpcError::from(c.save_draft(&bad).await.unwrap_err());
    assert_eq!(e.fields[0].path, "photo");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_draft_is_said_by_name_and_kept_until_discarded() {
    let (_sim, c, dir) = start().await;
    c.login("demo-clerk", "demo").await.unwrap();
    c.save_draft(&save(form("Nowak"), DraftPhotoChange::Keep))
        .await
        .unwrap();
    // Behind the counter's back, with the journal's key (it is encrypted).
    let key = passport_counter_core::keys::journal_key(c.config()).unwrap();
    passport_journal::cipher::run_sql_behind_the_journal(
        &c.config().journal_path(),
        Some(&key),
        "UPDATE drafts SET body = json_set(body, '$.kind', 'visa');",
    )
    .await
    .unwrap();

    for _ in 0..2 {
        let e = IpcError::from(c.load_draft(DraftKind::Application).await.unwrap_err());
        assert_eq!(e.code, "draft.unreadable");
        assert!(
            e.message
                .pl
                .contains("Zachowanego formularza nowego wniosku"),
            "{}",
            e.message.pl
        );
        assert!(e.message.pl.contains("visa"), "{}", e.message.pl);
    }
    assert!(c.discard_draft(DraftKind::Application).await.unwrap());
    assert!(
        c.load_draft(DraftKind::Application)
            .await
            .unwrap()
            .is_none()
    );
    drop(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_cannot_send_a_field_the_form_does_not_have() {
    let mut json = serde_json::to_value(save(form("Nowak"), DraftPhotoChange::Keep)).unwrap();
    json["application"]["form"]["nickname"] = "Ania".into();
    let err = serde_json::from_value::<DraftSave>(json).unwrap_err();
    assert!(err.to_string().contains("nickname"), "{err}");
    let mut json = serde_json::to_value(save(form("Nowak"), DraftPhotoChange::Keep)).unwrap();
    json["application"]["extra"] = true.into();
    assert!(serde_json::from_value::<DraftSave>(json).is_err());
}
