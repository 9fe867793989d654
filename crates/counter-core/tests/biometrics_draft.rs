//! The biometrics step is kept in the form's draft like the rest of the
//! form (a lock, a crash or a restart loses nothing): a signature of real
//! length (strokes of hundreds of points, more than a form's list may
//! hold) and two fingers' PNGs are kept and read back unchanged, through
//! the core and the journal's SQLite file; what is over the biometrics'
//! own bounds is refused at its field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{
    ApplicationDraftSave, CoreError, Counter, DraftPhotoChange, DraftSave, DraftView, IpcError,
};
use passport_domain::biometrics::{
    BiometricsDraft, FingerCaptureDraft, FingerPosition, SignatureDraft, SignedDraft, StrokePoint,
};
use passport_journal::{ApplicationFormDraft, DraftKind};

fn form(biometrics: BiometricsDraft) -> ApplicationFormDraft {
    ApplicationFormDraft {
        biometrics,
        ..common::zofia_form()
    }
}

fn save(f: ApplicationFormDraft) -> DraftSave {
    DraftSave::Application(Box::new(ApplicationDraftSave {
        form: f,
        photo: DraftPhotoChange::Keep,
    }))
}

fn biometrics(points: u32) -> BiometricsDraft {
    let stroke: Vec<StrokePoint> = (0..points)
        .map(|i| StrokePoint {
            x: u16::try_from(100 + (i * 7) % 800).unwrap(),
            y: u16::try_from(150 + (i % 40)).unwrap(),
            t_ms: i * 8,
        })
        .collect();
    let signature =
        passport_counter_core::signature::render(1000, 300, std::slice::from_ref(&stroke), "s")
            .unwrap();
    let png = base64::engine::general_purpose::STANDARD.encode(passport_domain::demo::PHOTO_PNG);
    BiometricsDraft {
        fingers: vec![
            FingerCaptureDraft {
                position: FingerPosition::LeftIndex,
                quality: 81,
                png_base64: png.clone(),
            },
            FingerCaptureDraft {
                position: FingerPosition::RightIndex,
                quality: 77,
                png_base64: png,
            },
        ],
        finger_exceptions: vec![],
        signature: Some(SignatureDraft::Signed(SignedDraft {
            width: 1000,
            height: 300,
            strokes: vec![stroke],
            png_base64: signature,
        })),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_biometrics_step_is_kept_in_the_draft() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(tmp.path().to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    let c = Counter::start(cfg).await.unwrap();
    c.login("demo-clerk", "demo").await.unwrap();
    // 600 points in one stroke: far more than a form's list (64 items).
    let kept = form(biometrics(600));
    c.save_draft(&save(kept.clone())).await.unwrap();
    let Some(DraftView::Application { form: back, .. }) =
        c.load_draft(DraftKind::Application).await.unwrap()
    else {
        panic!("no draft");
    };
    assert!(*back == kept, "the biometrics came back changed");

    // Over the domain's bounds: refused at the biometrics' field.
    let mut over = biometrics(10);
    over.fingers = vec![over.fingers[0].clone(); 11];
    let e = IpcError::from(c.save_draft(&save(form(over))).await.unwrap_err());
    assert_eq!(e.fields[0].path, "biometrics.fingers", "{e:?}");
    // The rest of the form is bounded as before.
    let mut long = form(BiometricsDraft::default());
    long.surname = "x".repeat(5000);
    assert!(matches!(
        c.save_draft(&save(long)).await,
        Err(CoreError::Invalid(_))
    ));
    c.shutdown().await;
}
