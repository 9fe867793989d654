//! The biometrics step's work in progress is kept with the form's draft:
//! the captures made of each finger (a lock or a restart gives no fresh
//! retakes), the office's rule as the last capture gave it, and a
//! signature drawn but not yet accepted (a restart or a crash does not make
//! the applicant sign again). Through the core and the journal's SQLite
//! file, across a restart of the counter; what is out of range is refused
//! at its field and the draft kept before stays as it was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use passport_counter_core::{
    ApplicationDraftSave, CoreError, Counter, DraftPhotoChange, DraftSave, DraftView, IpcError,
};
use passport_domain::biometrics::{FingerPosition, StrokePoint};
use passport_journal::drafts::{
    BiometricsProgress, DrawnSignatureDraft, FingerAttempts, RetakePolicy,
};
use passport_journal::{ApplicationFormDraft, DraftKind};

fn form(progress: Option<BiometricsProgress>) -> ApplicationFormDraft {
    ApplicationFormDraft {
        biometrics_progress: progress,
        ..common::zofia_form()
    }
}

fn save(f: ApplicationFormDraft) -> DraftSave {
    DraftSave::Application(Box::new(ApplicationDraftSave {
        form: f,
        photo: DraftPhotoChange::Keep,
    }))
}

/// A signature on the pad of `points` points in two strokes, each point
/// with its pressure.
fn drawn(points: u32) -> DrawnSignatureDraft {
    let stroke = |from: u32, to: u32| -> Vec<StrokePoint> {
        (from..to)
            .map(|i| StrokePoint {
                x: u16::try_from(100 + (i * 7) % 800).unwrap(),
                y: u16::try_from(120 + (i % 50)).unwrap(),
                t_ms: i * 8,
            })
            .collect()
    };
    let strokes = vec![stroke(0, points / 2), stroke(points / 2, points)];
    let pressures = strokes
        .iter()
        .map(|s| {
            (0..s.len())
                .map(|k| u8::try_from(k % 101).unwrap())
                .collect()
        })
        .collect();
    DrawnSignatureDraft {
        width: 1000,
        height: 300,
        strokes,
        pressures,
    }
}

fn progress() -> BiometricsProgress {
    BiometricsProgress {
        attempts: vec![
            FingerAttempts {
                position: FingerPosition::LeftIndex,
                attempts: 3,
            },
            FingerAttempts {
                position: FingerPosition::RightIndex,
                attempts: 1,
            },
        ],
        policy: Some(RetakePolicy {
            threshold: 40,
            retries: 2,
        }),
        drawn_signature: Some(drawn(600)),
    }
}

async fn start(dir: &std::path::Path) -> Counter {
    let c = common::demo_counter(dir).await;
    c.login("demo-clerk", "demo").await.unwrap();
    c
}

async fn kept(c: &Counter) -> ApplicationFormDraft {
    let Some(DraftView::Application { form, .. }) =
        c.load_draft(DraftKind::Application).await.unwrap()
    else {
        panic!("no draft kept");
    };
    *form
}

/// The refused field's path and code.
fn refusal(e: CoreError) -> (String, String) {
    let e = IpcError::from(e);
    assert_eq!(e.code, "validation", "{e:?}");
    (e.fields[0].path.clone(), e.fields[0].code.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_survives_a_restart_of_the_counter() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(tmp.path()).await;
    let mine = form(Some(progress()));
    c.save_draft(&save(mine.clone())).await.unwrap();
    c.shutdown().await;

    // A new counter on the same data directory: the journal's file read
    // again, nothing of the old process's memory.
    let c = start(tmp.path()).await;
    let back = kept(&c).await;
    assert!(back == mine, "the progress came back changed");
    let p = back.biometrics_progress.unwrap();
    assert_eq!(p.attempts[0].attempts, 3);
    let d = p.drawn_signature.unwrap();
    assert_eq!(d.strokes.iter().map(Vec::len).sum::<usize>(), 600);
    assert_eq!(d.pressures[0][100], 100);

    // Nothing in progress is kept as nothing.
    c.save_draft(&save(form(None))).await.unwrap();
    assert!(kept(&c).await.biometrics_progress.is_none());
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_most_any_office_allows_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(tmp.path()).await;
    // Every finger but the little ones, each at the first capture and the
    // five retakes `[biometrics] retries` may allow at most; the strictest
    // rule; a long signature.
    let attempts = FingerPosition::ALL
        .into_iter()
        .filter(|p| !matches!(p, FingerPosition::LeftLittle | FingerPosition::RightLittle))
        .map(|position| FingerAttempts {
            position,
            attempts: 6,
        })
        .collect();
    let most = form(Some(BiometricsProgress {
        attempts,
        policy: Some(RetakePolicy {
            threshold: 100,
            retries: 5,
        }),
        drawn_signature: Some(drawn(2000)),
    }));
    c.save_draft(&save(most.clone())).await.unwrap();
    assert!(kept(&c).await == most);
    c.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_out_of_range_is_refused_at_its_field() {
    let tmp = tempfile::tempdir().unwrap();
    let c = start(tmp.path()).await;
    let good = form(Some(progress()));
    c.save_draft(&save(good.clone())).await.unwrap();

    let refused = |change: fn(&mut BiometricsProgress)| {
        let mut p = progress();
        change(&mut p);
        save(form(Some(p)))
    };
    let cases: Vec<(DraftSave, &str, &str)> = vec![
        (
            refused(|p| p.attempts[1].attempts = 7),
            "biometrics_progress.attempts[1]",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| p.attempts[0].attempts = 0),
            "biometrics_progress.attempts[0]",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| p.attempts[1].position = FingerPosition::LeftIndex),
            "biometrics_progress.attempts[1]",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| p.attempts = vec![p.attempts[0]; 11]),
            "biometrics_progress.attempts",
            "input.too_large",
        ),
        (
            refused(|p| {
                p.policy = Some(RetakePolicy {
                    threshold: 0,
                    retries: 2,
                })
            }),
            "biometrics_progress.policy",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| {
                p.policy = Some(RetakePolicy {
                    threshold: 40,
                    retries: 6,
                })
            }),
            "biometrics_progress.policy",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| p.drawn_signature.as_mut().unwrap().strokes[0][3].y = 300),
            "biometrics_progress.drawn_signature.strokes",
            "signature.point_outside",
        ),
        (
            refused(|p| p.drawn_signature.as_mut().unwrap().strokes[1][0].t_ms = 0),
            "biometrics_progress.drawn_signature.strokes",
            "signature.time",
        ),
        (
            refused(|p| p.drawn_signature = Some(drawn(20_002))),
            "biometrics_progress.drawn_signature.strokes",
            "signature.too_long",
        ),
        (
            refused(|p| {
                let d = p.drawn_signature.as_mut().unwrap();
                d.strokes = vec![d.strokes[0][..1].to_vec(); 201];
                d.pressures = vec![vec![50]; 201];
            }),
            "biometrics_progress.drawn_signature.strokes",
            "input.too_large",
        ),
        (
            refused(|p| {
                p.drawn_signature.as_mut().unwrap().pressures[1].pop();
            }),
            "biometrics_progress.drawn_signature.pressures",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| p.drawn_signature.as_mut().unwrap().pressures[0][5] = 101),
            "biometrics_progress.drawn_signature.pressures",
            "biometrics_progress.invalid",
        ),
        (
            refused(|p| p.drawn_signature.as_mut().unwrap().width = 0),
            "biometrics_progress.drawn_signature.strokes",
            "signature.pad_size",
        ),
    ];
    for (draft, path, code) in cases {
        let e = c.save_draft(&draft).await.unwrap_err();
        assert_eq!(
            refusal(e),
            (path.to_owned(), code.to_owned()),
            "{path} {code}"
        );
    }
    // Each refusal left the draft kept before as it was.
    assert!(kept(&c).await == good);
    c.shutdown().await;
}

/// A draft kept by a release before the progress was kept has no such
/// field: it reads back as nothing in progress. An unknown field in the
/// progress is refused, like anywhere in the draft.
#[test]
fn an_earlier_releases_draft_reads_as_nothing_in_progress() {
    let mut v = serde_json::to_value(form(Some(progress()))).unwrap();
    let body = v.as_object_mut().unwrap();
    body.remove("biometrics_progress");
    let old: ApplicationFormDraft = serde_json::from_value(v.clone()).unwrap();
    assert!(old.biometrics_progress.is_none());

    let mut v = serde_json::to_value(form(Some(progress()))).unwrap();
    v["biometrics_progress"]["fingers_left"] = serde_json::json!(3);
    assert!(serde_json::from_value::<ApplicationFormDraft>(v).is_err());
}
