//! `counterctl application submit` with biometrics, against the register
//! simulator over real HTTP: an adult's passport without fingerprints is
//! exit 2 naming them (Polish and English); with them it is saved, synced,
//! and what the register received is exactly the files given (read back
//! from the simulator); a child under 12 and a temporary passport need no
//! fingerprints; a temporary exception is confirmed by the supervisor's
//! password on standard input (a missing, wrong or clerk's one is exit 2).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use passport_domain::biometrics::samples;
use passport_register_contract as wire;
use passport_register_sim::{SimConfig, spawn};
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

struct Counter {
    data: PathBuf,
    url: String,
}

impl Counter {
    async fn run(&self, args: Vec<String>) -> Output {
        self.run_with_input(args, None).await
    }

    /// Runs with `input` (a line) on standard input, or none.
    async fn run_with_input(&self, args: Vec<String>, input: Option<String>) -> Output {
        let (data, url) = (self.data.clone(), self.url.clone());
        tokio::task::spawn_blocking(move || {
            let mut cmd = common::counterctl();
            cmd.arg("--data-dir")
                .arg(&data)
                .args(["--register", &url])
                .args(&args);
            common::output_with_line(cmd, input.as_deref())
        })
        .await
        .unwrap()
    }

    /// `submit` with the supervisor's password on standard input.
    async fn submit_confirmed(
        &self,
        clerk: &str,
        file: &Path,
        extra: &[String],
        password: Option<&str>,
    ) -> Output {
        let mut args: Vec<String> = ["--lang", "en", "--clerk", clerk, "application", "submit"]
            .map(String::from)
            .to_vec();
        args.push(file.display().to_string());
        args.extend_from_slice(extra);
        args.push("--json".into());
        self.run_with_input(args, password.map(str::to_owned)).await
    }

    async fn submit(&self, clerk: &str, lang: &str, file: &Path, extra: &[String]) -> Output {
        let mut args: Vec<String> = ["--lang", lang, "--clerk", clerk, "application", "submit"]
            .map(String::from)
            .to_vec();
        args.push(file.display().to_string());
        args.extend_from_slice(extra);
        args.push("--json".into());
        self.run(args).await
    }
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// The adult example with its photo, a temporary-passport variant of it,
/// and the minor example; finger and signature PNGs beside them.
struct Files {
    adult: PathBuf,
    temporary: PathBuf,
    child: PathBuf,
    left: PathBuf,
    middle: PathBuf,
    right: PathBuf,
    signature: PathBuf,
}

fn files(dir: &Path) -> Files {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    std::fs::copy(examples.join("photo.png"), dir.join("photo.png")).unwrap();
    std::fs::copy(
        examples.join("application-adult.json"),
        dir.join("adult.json"),
    )
    .unwrap();
    std::fs::copy(
        examples.join("application-minor.json"),
        dir.join("child.json"),
    )
    .unwrap();
    let mut temporary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("adult.json")).unwrap()).unwrap();
    temporary["kind"] = "temporary".into();
    temporary["urgent_reason"] = "Pilny wyjazd na leczenie za granicą".into();
    std::fs::write(dir.join("temporary.json"), temporary.to_string()).unwrap();
    let write = |name: &str, bytes: Vec<u8>| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    Files {
        adult: dir.join("adult.json"),
        temporary: dir.join("temporary.json"),
        child: dir.join("child.json"),
        left: write("left-index.png", samples::finger_png(11)),
        middle: write("right-middle.png", samples::finger_png(12)),
        right: write("right-index.png", samples::finger_png(13)),
        signature: write("signature.png", samples::signature_png()),
    }
}

fn flag(name: &str, value: String) -> [String; 2] {
    [name.to_owned(), value]
}

async fn received(url: &str, key: &str) -> wire::SubmitApplication {
    #[derive(serde::Deserialize)]
    struct Received {
        body: wire::SubmitApplication,
    }
    let r = reqwest::get(format!("{url}/admin/received/{key}"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the register accepted nothing under {key}");
    r.json::<Received>().await.unwrap().body
}

fn decoded(image: &wire::PngImage) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(&image.base64)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_reaches_the_register_is_exactly_what_was_given() {
    let sim = spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = files(dir.path());
    let c = Counter {
        data: dir.path().join("data"),
        url: sim.url(),
    };

    // No fingerprints, no signature: exit 2, naming the fingers, in both
    // languages; nothing saved.
    for (lang, words) in [
        ("pl", "lewy palec wskazujący, prawy palec wskazujący"),
        ("en", "left index finger, right index finger"),
    ] {
        let o = c.submit("demo-clerk", lang, &f.adult, &[]).await;
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
        let errors = out(&o)["errors"].clone();
        let fingers = errors
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == "biometrics.fingers")
            .unwrap_or_else(|| panic!("{errors}"));
        assert_eq!(fingers["code"], "fingerprints.required");
        assert!(
            fingers["message"][lang].as_str().unwrap().contains(words),
            "{fingers}"
        );
        assert!(
            errors
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == "signature.required"),
            "{errors}"
        );
    }
    // Without --json the text names them too.
    let o = c
        .run(
            [
                "--lang",
                "en",
                "--clerk",
                "demo-clerk",
                "application",
                "submit",
            ]
            .map(String::from)
            .into_iter()
            .chain([f.adult.display().to_string()])
            .collect(),
        )
        .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("biometrics.fingers"), "{}", err(&o));
    assert!(err(&o).contains("left index finger"), "{}", err(&o));

    // A quality out of range and an unreadable file: errors at their fields.
    let bad = [
        flag(
            "--finger",
            format!("Left IndexFinger={}:101", f.left.display()),
        ),
        flag("--finger", "Right IndexFinger=/nonexistent/r.png:70".into()),
        flag("--signature", f.signature.display().to_string()),
    ]
    .concat();
    let o = c.submit("demo-clerk", "en", &f.adult, &bad).await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let paths: Vec<String> = out(&o)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["path"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            "biometrics.fingers[0].quality fingerprints.quality_range",
            "biometrics.fingers[1].png_base64 image.unreadable"
        ]
    );

    // The left index finger, the right index finger missing so the right
    // middle finger, and the signature: saved, then synced.
    let given = [
        flag(
            "--finger",
            format!("Left IndexFinger={}:87", f.left.display()),
        ),
        flag("--finger-exception", "Right IndexFinger=missing".into()),
        flag(
            "--finger",
            format!("Right MiddleFinger={}:64", f.middle.display()),
        ),
        flag("--signature", f.signature.display().to_string()),
    ]
    .concat();
    let o = c.submit("demo-clerk", "en", &f.adult, &given).await;
    assert!(o.status.success(), "{}", err(&o));
    let key = out(&o)["journal_id"].as_str().unwrap().to_owned();
    let o = c
        .run(
            [
                "sync",
                "--until-empty",
                "--timeout",
                "60",
                "--no-ready-list",
            ]
            .map(String::from)
            .to_vec(),
        )
        .await;
    assert!(o.status.success(), "{}", err(&o));

    let got = received(&sim.url(), &key).await;
    assert!(got.fingerprints_required && got.signature_required);
    let b = got.biometrics.expect("biometrics sent");
    let fp = b.fingerprints.expect("fingerprints sent");
    assert_eq!(fp.captures.len(), 2);
    let left = &fp.captures[0];
    assert_eq!(
        (left.position, left.quality),
        (wire::FingerPosition::LeftIndex, 87)
    );
    assert_eq!(decoded(&left.image), std::fs::read(&f.left).unwrap());
    assert_eq!((left.image.width, left.image.height), (300, 400));
    let middle = &fp.captures[1];
    assert_eq!(
        (middle.position, middle.quality),
        (wire::FingerPosition::RightMiddle, 64)
    );
    assert_eq!(decoded(&middle.image), std::fs::read(&f.middle).unwrap());
    assert_eq!(
        fp.exceptions,
        [wire::FingerException {
            position: wire::FingerPosition::RightIndex,
            reason: wire::FingerExceptionReason::Missing,
            supervisor_id: None,
        }]
    );
    match b.signature.expect("signature sent") {
        wire::Signature::Signed { image } => {
            assert_eq!(decoded(&image), std::fs::read(&f.signature).unwrap());
        }
        other => panic!("{other:?}"),
    }

    // A temporary exception is confirmed by the supervisor it names, with
    // their password on standard input, checked as the window checks it.
    let temporary_exception = |supervisor: &str| {
        [
            flag(
                "--finger",
                format!("Left IndexFinger={}:87", f.left.display()),
            ),
            flag(
                "--finger-exception",
                format!("Right IndexFinger=temporarily_impossible:{supervisor}"),
            ),
            flag(
                "--finger",
                format!("Right MiddleFinger={}:64", f.middle.display()),
            ),
            flag("--cannot-sign", "Niedowład obu rąk po udarze".into()),
        ]
        .concat()
    };
    let exception = temporary_exception("demo-supervisor");
    // No password: refused before anything is saved.
    let o = c
        .submit_confirmed("demo-clerk", &f.adult, &exception, None)
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("supervisor's password"), "{}", err(&o));
    // A wrong one: the log-in's refusal.
    let o = c
        .submit_confirmed("demo-clerk", &f.adult, &exception, Some("not-it"))
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("auth."), "{}", err(&o));
    // A clerk's account named as the supervisor: not one.
    let o = c
        .submit_confirmed(
            "demo-clerk",
            &f.adult,
            &temporary_exception("demo-clerk"),
            Some("demo"),
        )
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("auth.supervisor_required"), "{}", err(&o));
    // Two supervisors for one application: one password cannot be both.
    let two = [
        flag(
            "--finger-exception",
            "Left IndexFinger=temporarily_impossible:demo-supervisor".into(),
        ),
        flag(
            "--finger",
            format!("Left MiddleFinger={}:64", f.left.display()),
        ),
        flag(
            "--finger-exception",
            "Right IndexFinger=temporarily_impossible:kierownik2".into(),
        ),
        flag(
            "--finger",
            format!("Right MiddleFinger={}:64", f.middle.display()),
        ),
        flag("--cannot-sign", "Niedowład obu rąk po udarze".into()),
    ]
    .concat();
    let o = c
        .submit_confirmed("demo-clerk", &f.adult, &two, Some("demo"))
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("One supervisor"), "{}", err(&o));
    // The supervisor's password: saved.
    let o = c
        .submit_confirmed("demo-clerk", &f.adult, &exception, Some("demo"))
        .await;
    assert!(
        o.status.success(),
        "{} {}",
        err(&o),
        String::from_utf8_lossy(&o.stdout)
    );
    let temporary_key = out(&o)["journal_id"].as_str().unwrap().to_owned();

    // A temporary passport: no fingerprints (given, they are refused), the
    // signature still.
    let o = c.submit("demo-clerk", "en", &f.temporary, &given).await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(out(&o)["errors"][0]["code"], "fingerprints.not_taken");
    let signature_only = flag("--signature", f.signature.display().to_string());
    let o = c
        .submit("demo-clerk", "en", &f.temporary, &signature_only)
        .await;
    assert!(o.status.success(), "{}", err(&o));
    let temporary_passport_key = out(&o)["journal_id"].as_str().unwrap().to_owned();

    // A child under 12 (the minor example, born 2018): none at all.
    let o = c
        .submit("demo-clerk", "en", &f.child, &signature_only)
        .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert_eq!(out(&o)["errors"][0]["code"], "signature.not_taken");
    let o = c.submit("demo-clerk", "en", &f.child, &[]).await;
    assert!(o.status.success(), "{}", err(&o));
    let child_key = out(&o)["journal_id"].as_str().unwrap().to_owned();

    let o = c
        .run(
            [
                "sync",
                "--until-empty",
                "--timeout",
                "60",
                "--no-ready-list",
            ]
            .map(String::from)
            .to_vec(),
        )
        .await;
    assert!(o.status.success(), "{}", err(&o));
    let got = received(&sim.url(), &temporary_key).await;
    let b = got.biometrics.unwrap();
    let exception = &b.fingerprints.unwrap().exceptions[0];
    assert_eq!(
        (exception.reason, exception.supervisor_id.as_deref()),
        (
            wire::FingerExceptionReason::TemporarilyImpossible,
            Some("demo-supervisor")
        )
    );
    assert_eq!(
        b.signature,
        Some(wire::Signature::CannotSign {
            reason: "Niedowład obu rąk po udarze".into()
        })
    );
    let got = received(&sim.url(), &temporary_passport_key).await;
    assert!(!got.fingerprints_required);
    let b = got.biometrics.unwrap();
    assert!(b.fingerprints.is_none());
    assert!(matches!(b.signature, Some(wire::Signature::Signed { .. })));
    let got = received(&sim.url(), &child_key).await;
    assert_eq!(
        got.biometrics,
        Some(wire::Biometrics {
            fingerprints: None,
            signature: None
        })
    );
    sim.stop().await.unwrap();
}

/// A scripted intake is checked as the window is: a capture below the
/// office's quality threshold (40 by default), one image given for two
/// fingers, and the face photo given as a finger are each exit 2 at the
/// finger's field, naming the finger (and the threshold), nothing saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn low_quality_repeated_and_photo_images_are_refused() {
    let sim = spawn(
        "127.0.0.1:0",
        SimConfig {
            test_admin: true,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = files(dir.path());
    let c = Counter {
        data: dir.path().join("data"),
        url: sim.url(),
    };
    let signature = flag("--signature", f.signature.display().to_string());
    let refused = |o: &Output| -> Vec<(String, String, String, String)> {
        assert_eq!(o.status.code(), Some(2), "{}", err(o));
        out(o)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["path"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                    e["message"]["pl"].as_str().unwrap().to_owned(),
                    e["message"]["en"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };

    let low = [
        flag(
            "--finger",
            format!("Left IndexFinger={}:10", f.left.display()),
        ),
        flag(
            "--finger",
            format!("Right IndexFinger={}:80", f.right.display()),
        ),
        signature.clone(),
    ]
    .concat();
    let e = refused(&c.submit("demo-clerk", "en", &f.adult, &low).await);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        (
            "biometrics.fingers[0].quality",
            "fingerprints.quality_below_threshold"
        )
    );
    assert!(
        e[0].2.contains("lewy palec wskazujący") && e[0].2.contains("40"),
        "{e:?}"
    );
    assert!(
        e[0].3.contains("left index finger") && e[0].3.contains("40"),
        "{e:?}"
    );

    let twice = [
        flag(
            "--finger",
            format!("Left IndexFinger={}:80", f.left.display()),
        ),
        flag(
            "--finger",
            format!("Right IndexFinger={}:80", f.left.display()),
        ),
        signature.clone(),
    ]
    .concat();
    let e = refused(&c.submit("demo-clerk", "en", &f.adult, &twice).await);
    assert_eq!(
        e.iter()
            .map(|x| (x.0.as_str(), x.1.as_str()))
            .collect::<Vec<_>>(),
        [(
            "biometrics.fingers[1].png_base64",
            "fingerprints.image_repeated"
        )]
    );

    let photo = dir.path().join("photo.png");
    let face = [
        flag(
            "--finger",
            format!("Left IndexFinger={}:80", photo.display()),
        ),
        flag(
            "--finger",
            format!("Right IndexFinger={}:80", f.right.display()),
        ),
        signature,
    ]
    .concat();
    let o = c.submit("demo-clerk", "en", &f.adult, &face).await;
    let e = refused(&o);
    assert!(
        e.iter().any(|x| x.0 == "biometrics.fingers[0].png_base64"),
        "{e:?}"
    );

    // Nothing was saved.
    let o = c.run(vec!["outbox".into(), "--json".into()]).await;
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!text.contains("\"number\""), "{text}");
}
