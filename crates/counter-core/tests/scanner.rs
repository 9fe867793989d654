//! The scanner through the real SANE front-end (`scanimage`, Debian's
//! `sane-utils`) and SANE's own `test` backend: a configuration directory
//! written here and named by `SANE_CONFIG_DIR` for the child only, so no
//! root edit of `/etc/sane.d` is needed. What it checks: the listing, a
//! scan cut to a 35×45 photo that passes the application's photo checks, a
//! blank scan refused as blank, a slow scanner stopped at its time-out and
//! killed, output over its cap killed, a missing program and garbage from
//! the program each said plainly; and the same through the counter in demo
//! mode, which configures the test backend itself.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::scanner::{
    self, CropFrame, ScanError, ScannerConfig, Scans, write_sane_test_config,
};
use passport_counter_core::{CoreError, Counter};
use std::path::Path;
use std::time::{Duration, Instant};

/// SANE's test backend with `extra` lines in its test.conf.
fn sane(dir: &Path, extra: &str) -> ScannerConfig {
    let sane = write_sane_test_config(&dir.join("sane")).unwrap();
    let conf = std::fs::read_to_string(sane.join("test.conf")).unwrap();
    std::fs::write(sane.join("test.conf"), format!("{conf}{extra}")).unwrap();
    ScannerConfig {
        sane_config_dir: Some(sane),
        ..ScannerConfig::default()
    }
}

/// Processes whose environment names `dir` (the scanimage children of one
/// test): none may outlive a time-out.
fn children_with(dir: &Path) -> Vec<u32> {
    let needle = format!("SANE_CONFIG_DIR={}", dir.display());
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|&b| b == 0).any(|v| v == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

fn field_code(e: CoreError) -> (String, String) {
    match e {
        CoreError::Invalid(v) => (v.0[0].path.clone(), v.0[0].code.clone()),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_test_backend_is_listed_and_scans_a_photo() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = sane(tmp.path(), "");
    let started = Instant::now();
    let devices = scanner::list(&cfg).await.unwrap();
    println!("listed {devices:?} in {:?}", started.elapsed());
    assert_eq!(devices.len(), 1, "{devices:?}");
    assert_eq!(devices[0].name, "test:0");
    assert_eq!(devices[0].model, "frontend-tester");

    let started = Instant::now();
    let scan = scanner::scan(&cfg, "test:0").await.unwrap();
    println!(
        "scanned {:?} px at {} dpi in {:?}",
        scan.size_px(),
        cfg.dpi,
        started.elapsed()
    );
    // 80×100 mm at 400 dpi.
    let (w, h) = scan.size_px();
    assert!(
        (1255..=1262).contains(&w) && (1570..=1577).contains(&h),
        "{w}×{h}"
    );
    assert!((scan.width_mm() - 80.0).abs() < 0.5, "{}", scan.width_mm());
    let preview = scan.preview_png().unwrap();
    let info = passport_domain::photo::inspect(&preview).unwrap();
    assert!(info.height <= 640 && info.width > 300, "{info:?}");

    // The frame where the photo lies: a 35×45 photo that the application's
    // own checks accept (decoded, size, proportions, not blank).
    let frame = CropFrame {
        x_mm: 5.0,
        y_mm: 10.0,
        width_mm: 35.0,
    };
    let photo = scanner::photo_from_scan(&scan, &frame).unwrap();
    assert_eq!((photo.width, photo.height), (551, 708));
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&photo.base64)
        .unwrap();
    passport_domain::photo::validate(&bytes, &Default::default(), "photo").unwrap();

    // A frame beyond the glass is said at the scanner.
    let out = CropFrame {
        x_mm: 60.0,
        ..frame
    };
    assert_eq!(
        field_code(scanner::photo_from_scan(&scan, &out).unwrap_err()),
        ("scanner".into(), "scanner.frame".into())
    );
}

#[tokio::test]
async fn an_empty_glass_is_refused_as_blank() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = sane(tmp.path(), "test-picture \"Solid white\"\n");
    let scan = scanner::scan(&cfg, "test:0").await.unwrap();
    let frame = CropFrame {
        x_mm: 0.0,
        y_mm: 0.0,
        width_mm: 35.0,
    };
    let e = scanner::photo_from_scan(&scan, &frame).unwrap_err();
    assert_eq!(field_code(e), ("photo".into(), "photo.blank".into()));
}

#[tokio::test]
async fn a_slow_scanner_is_stopped_at_its_time_out_and_killed() {
    let tmp = tempfile::tempdir().unwrap();
    // 200 ms after every buffer: a scan of minutes.
    let mut cfg = sane(tmp.path(), "read-delay true\nread-delay-duration 200000\n");
    cfg.scan_timeout = Duration::from_secs(2);
    let started = Instant::now();
    let e = scanner::scan(&cfg, "test:0").await.unwrap_err();
    let took = started.elapsed();
    println!("slow scan stopped after {took:?}");
    assert_eq!(e, ScanError::TimedOut(Duration::from_secs(2)));
    assert!(took < Duration::from_secs(4), "{took:?}");
    let dir = cfg.sane_config_dir.as_ref().unwrap();
    assert!(
        children_with(dir).is_empty(),
        "scanimage outlived its time-out"
    );
    assert_eq!(
        field_code(e.into()),
        ("scanner".into(), "scanner.timeout".into())
    );
}

#[tokio::test]
async fn output_over_the_cap_is_not_read_and_the_scan_killed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = sane(tmp.path(), "");
    cfg.max_scan_bytes = 10_000;
    let e = scanner::scan(&cfg, "test:0").await.unwrap_err();
    assert_eq!(e, ScanError::TooLarge(10_000));
    assert!(children_with(cfg.sane_config_dir.as_ref().unwrap()).is_empty());
}

#[tokio::test]
async fn a_missing_program_and_garbage_are_said_plainly() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = ScannerConfig {
        program: tmp.path().join("no-such-scanimage"),
        ..ScannerConfig::default()
    };
    assert!(matches!(
        scanner::list(&missing).await,
        Err(ScanError::NotInstalled(_))
    ));
    // A front-end that prints something that is not a PNG.
    let fake = tmp.path().join("fake-scanimage");
    std::fs::write(&fake, "#!/bin/sh\nhead -c 5000 /dev/urandom\n").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let garbage = ScannerConfig {
        program: fake,
        ..ScannerConfig::default()
    };
    assert!(matches!(
        scanner::scan(&garbage, "test:0").await,
        Err(ScanError::BadImage(_))
    ));
    // A device that does not exist: scanimage's own message.
    let cfg = sane(tmp.path(), "");
    match scanner::scan(&cfg, "test:7").await.unwrap_err() {
        ScanError::Failed(why) => assert!(why.contains("test:7"), "{why}"),
        e => panic!("{e:?}"),
    }
    // A name that would be an option stays a name.
    assert!(scanner::scan(&cfg, "--help").await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_counter_scans_with_the_test_backend() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(tmp.path().to_path_buf()),
        ..Overrides::default()
    })
    .unwrap();
    let c = Counter::start(cfg).await.unwrap();
    let scans = Scans::default();
    // Nobody logged in: nothing scanned.
    assert!(matches!(c.scanners().await, Err(CoreError::NotLoggedIn)));
    c.login("demo-clerk", "demo").await.unwrap();
    let devices = c.scanners().await.unwrap();
    assert_eq!(devices[0].name, "test:0");
    let frame = CropFrame {
        x_mm: 0.0,
        y_mm: 0.0,
        width_mm: 35.0,
    };
    assert_eq!(
        field_code(c.crop_scan(&scans, &frame).unwrap_err()),
        ("scanner".into(), "scanner.no_scan".into())
    );
    // A device name SANE does not list is refused before scanimage runs.
    let e = passport_counter_core::IpcError::from(c.scan(&scans, "test:9").await.unwrap_err());
    assert_eq!(e.fields[0].code, "scanner.none", "{e:?}");
    let view = c.scan(&scans, "test:0").await.unwrap();
    assert_eq!(view.frame, frame);
    assert!((view.width_mm - 80.0).abs() < 0.5);
    let photo = c.crop_scan(&scans, &view.frame).unwrap();
    assert_eq!((photo.width, photo.height), (551, 708));
    c.shutdown().await;
}

/// A demo counter whose data directory's `config.toml` is `toml`.
fn load_with(
    dir: &Path,
    toml: &str,
) -> Result<Resolved, passport_counter_core::config::ConfigError> {
    std::fs::write(dir.join("config.toml"), toml).unwrap();
    Resolved::load(&Overrides {
        data_dir: Some(dir.to_path_buf()),
        ..Overrides::default()
    })
}

/// `[scanner]` reaches scanimage: the test backend scans the area office
/// IT set at the resolution it set (a 60×70 mm scan at 360 dpi, not the
/// default 80×100 mm at 400), and the photo cut from it passes the
/// application's checks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scanner_section_sets_the_resolution_and_the_area() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = load_with(
        tmp.path(),
        "[scanner]\nresolution_dpi = 360\narea_width_mm = 60\narea_height_mm = 70\n",
    )
    .unwrap();
    assert!(cfg.demo);
    assert_eq!(
        (
            cfg.scanner.resolution_dpi,
            cfg.scanner.area_width_mm,
            cfg.scanner.area_height_mm
        ),
        (360, 60, 70)
    );
    let c = Counter::start(cfg).await.unwrap();
    c.login("demo-clerk", "demo").await.unwrap();
    let scans = Scans::default();
    let view = c.scan(&scans, "test:0").await.unwrap();
    assert_eq!(view.dpi, 360);
    assert!((view.width_mm - 60.0).abs() < 0.5, "{}", view.width_mm);
    assert!((view.height_mm - 70.0).abs() < 0.5, "{}", view.height_mm);
    let photo = c.crop_scan(&scans, &view.frame).unwrap();
    // 35 mm at 360 dpi.
    assert_eq!((photo.width, photo.height), (496, 638));
    c.shutdown().await;

    // Absent keys are the defaults, which are what the scanner had built in.
    let tmp = tempfile::tempdir().unwrap();
    let cfg = load_with(tmp.path(), "[scanner]\nresolution_dpi = 600\n").unwrap();
    assert_eq!(
        (cfg.scanner.area_width_mm, cfg.scanner.area_height_mm),
        (80, 100)
    );
    let defaults = load_with(tmp.path(), "").unwrap().scanner;
    let built_in = ScannerConfig::default();
    assert_eq!(defaults.resolution_dpi, built_in.dpi);
    assert_eq!(
        (
            f64::from(defaults.area_width_mm),
            f64::from(defaults.area_height_mm)
        ),
        built_in.area_mm
    );
}

/// A `[scanner]` value out of range stops loading with the key, the file
/// and the range named in Polish and English; one that is not a whole
/// number, or a key misspelt, is the file's error, never the default.
#[test]
fn a_bad_scanner_value_is_refused_with_its_key_named() {
    let tmp = tempfile::tempdir().unwrap();
    for (toml, key, range) in [
        ("resolution_dpi = 300", "scanner.resolution_dpi", "360"),
        ("resolution_dpi = 4800", "scanner.resolution_dpi", "600"),
        ("resolution_dpi = 0", "scanner.resolution_dpi", "360"),
        ("area_width_mm = 20", "scanner.area_width_mm", "35"),
        ("area_width_mm = 4294967295", "scanner.area_width_mm", "216"),
        ("area_height_mm = 44", "scanner.area_height_mm", "45"),
        ("area_height_mm = 298", "scanner.area_height_mm", "297"),
    ] {
        let e = load_with(tmp.path(), &format!("[scanner]\n{toml}\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("`{key} = ")), "{toml}: {e}");
        assert!(e.contains("config.toml"), "{e}");
        assert!(
            e.contains("jest poza zakresem") && e.contains("is out of range"),
            "{e}"
        );
        assert!(e.contains(range), "{e}");
    }
    // Each in range, together over what a scan may have.
    let e = load_with(
        tmp.path(),
        "[scanner]\nresolution_dpi = 600\narea_width_mm = 216\narea_height_mm = 297\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("scanner.resolution_dpi = 600") && e.contains("216×297 mm"),
        "{e}"
    );
    assert!(e.contains("pikseli") && e.contains("pixels"), "{e}");
    for toml in [
        "resolution_dpi = \"400\"",
        "resolution_dpi = -400",
        "resolution_dpi = 400.5",
        "area_width_mm = nan",
        "resolution = 400",
    ] {
        let e = load_with(tmp.path(), &format!("[scanner]\n{toml}\n")).unwrap_err();
        assert!(
            matches!(e, passport_counter_core::config::ConfigError::File { .. }),
            "{toml}: {e}"
        );
    }
}

/// Every code the scanner and the signature give has its words in the
/// shared table (the screens' summaries and the printouts read them).
#[test]
fn every_scanner_and_signature_code_has_words() {
    let w = passport_counter_core::words::words().unwrap();
    let errors = [
        ScanError::NotInstalled("scanimage".into()),
        ScanError::TimedOut(Duration::from_secs(1)),
        ScanError::TooLarge(1),
        ScanError::Failed("x".into()),
        ScanError::NoScanner,
        ScanError::BadImage("x".into()),
        ScanError::NoScan,
        ScanError::FrameOutside,
    ];
    let mut codes: Vec<String> = errors.into_iter().map(|e| field_code(e.into()).1).collect();
    codes.extend(
        [
            "signature.image_from_window",
            "signature.too_long",
            "signature.empty",
        ]
        .map(String::from),
    );
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| w.field_error(c).is_none())
        .collect();
    assert!(missing.is_empty(), "codes without words: {missing:?}");
}
