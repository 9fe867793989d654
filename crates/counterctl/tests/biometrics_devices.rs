//! `counterctl biometrics devices` and `biometrics capture` against the
//! project's MDS emulator over real HTTP on 127.0.0.1, through the real
//! binary: what office IT sees, and the exit codes scripts rely on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use mds_emulator::{Config, DevicePki, Emulator, Variant};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicU16, Ordering};

/// Port blocks below the ephemeral range and apart from the biometrics
/// crate's tests' (20000–32000), offset by process.
const BASE: u16 = 12000;
const BLOCK: u16 = 6;
static NEXT: AtomicU16 = AtomicU16::new(0);

fn free_block() -> u16 {
    let offset = (std::process::id() % 500) as u16 * 2;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let start = BASE + ((offset + n) % 1200) * BLOCK;
        if (start..start + BLOCK).all(|p| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok()) {
            return start;
        }
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    data: PathBuf,
    device: Emulator,
}

async fn setup(variant: Variant) -> Setup {
    let first = free_block();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let pki = DevicePki::generate("EMU-CTL-0001").unwrap();
    let trust = dir.path().join("mds-ca.pem");
    std::fs::write(&trust, pki.ca_pem()).unwrap();
    std::fs::write(
        data.join("config.toml"),
        format!(
            "[biometrics]\nfirst_port = {first}\nlast_port = {}\ntrust_store = \"{}\"\n\
             capture_timeout_ms = 3000\nanswer_timeout_ms = 1500\n",
            first + BLOCK - 1,
            trust.display()
        ),
    )
    .unwrap();
    let config = Config {
        variant,
        serial: "EMU-CTL-0001".into(),
        ..Config::default()
    };
    let device = Emulator::bind(first + 1, pki, config).await.unwrap();
    Setup {
        _dir: dir,
        data,
        device,
    }
}

async fn run(data: &Path, args: &[&str]) -> Output {
    let mut c = common::counterctl();
    c.arg("--data-dir")
        .arg(data)
        .arg("--lang")
        .arg("en")
        .args(args);
    c.env("XDG_CONFIG_HOME", data.join("xdg"));
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn devices_lists_the_emulator_and_exits_3_when_it_is_gone() {
    let s = setup(Variant::Good).await;
    let out = run(&s.data, &["biometrics", "devices", "--json"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1, "{v}");
    assert_eq!(devices[0]["port"], s.device.port());
    assert_eq!(devices[0]["state"], "ready");
    assert_eq!(devices[0]["serial"], "EMU-CTL-0001");

    let out = run(&s.data, &["biometrics", "devices"]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("EMU-CTL-0001") && text.contains("ready"),
        "{text}"
    );

    s.device.set_variant(Variant::Busy);
    let v = json(&run(&s.data, &["biometrics", "devices", "--json"]).await);
    assert_eq!(v["devices"][0]["state"], "busy");

    s.device.unplug();
    let out = run(&s.data, &["biometrics", "devices"]).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No fingerprint devices on 127.0.0.1:"));
}

#[tokio::test(flavor = "multi_thread")]
async fn capture_prints_the_quality_and_writes_the_image() {
    let s = setup(Variant::Good).await;
    let png = s.data.join("left.png");
    let out = run(
        &s.data,
        &[
            "biometrics",
            "capture",
            "--finger",
            "Left IndexFinger",
            "-o",
            png.to_str().unwrap(),
            "--json",
        ],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["finger"], "Left IndexFinger");
    assert!(v["quality"].as_u64().unwrap() >= 40, "{v}");
    assert_eq!(v["meets_threshold"], true);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&png).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "biometric data readable by others: {mode:o}"
        );
    }

    let out = run(
        &s.data,
        &["biometrics", "capture", "--finger", "Right IndexFinger"],
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("right index finger: quality"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn capture_exit_codes_say_what_went_wrong() {
    let s = setup(Variant::LowQuality).await;
    let capture = ["biometrics", "capture", "--finger", "Left IndexFinger"];
    // Below the threshold: captured, but a check failed.
    let out = run(&s.data, &capture).await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("too low"));

    s.device.set_variant(Variant::BadSignature);
    let out = run(&s.data, &capture).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature"));

    s.device.set_variant(Variant::Busy);
    let out = run(&s.data, &capture).await;
    assert_eq!(out.status.code(), Some(3));

    s.device.set_variant(Variant::UnpluggedMidCapture);
    let out = run(&s.data, &capture).await;
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("disconnected"));
    s.device.replug().await.unwrap();
    let out = run(&s.data, &capture).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run(
        &s.data,
        &["biometrics", "capture", "--finger", "left index"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Left IndexFinger"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_trust_store_or_a_bad_range_is_a_configuration_error() {
    let s = setup(Variant::Good).await;
    let cfg = s.data.join("config.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, text.replace("mds-ca.pem", "nowhere.pem")).unwrap();
    let out = run(&s.data, &["biometrics", "devices"]).await;
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(&cfg, "[biometrics]\nquality_threshold = 0\n").unwrap();
    let out = run(&s.data, &["biometrics", "devices"]).await;
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("biometrics.quality_threshold"));

    std::fs::write(&cfg, "[biometrics]\nfirst_port = 4501\nlast_port = 9000\n").unwrap();
    let out = run(&s.data, &["biometrics", "devices"]).await;
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("biometrics.last_port"));
}
