//! Owner-only data on disk through the real core: the demo office (the
//! embedded register simulator's database lies in the data directory too),
//! a log-in, a submitted application, its receipt printed into
//! `printouts/`, a sync acknowledged by the register; then every directory
//! under the data directory must be 0700 and every file 0600, what an
//! earlier release left there 0755 and 0644 included.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

mod common;

use base64::Engine as _;
use passport_counter_core::config::{Overrides, Resolved};
use passport_counter_core::{Counter, DocumentRef};
use passport_domain::demo;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

/// The mode of `p`, or `None` when it went away since it was listed (a
/// file that lives for a moment).
fn mode_if_there(p: &Path) -> Option<u32> {
    match std::fs::symlink_metadata(p) {
        Ok(m) => Some(m.permissions().mode() & 0o777),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("{} went away while listed", p.display());
            None
        }
        Err(e) => panic!("{}: {e}", p.display()),
    }
}

/// Every path under `root` (and `root`) that is not owner-only: 0700 for a
/// directory, 0600 for anything else.
fn loose(root: &Path) -> Vec<(PathBuf, String)> {
    let mut all = vec![root.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir()
            && let Ok(entries) = std::fs::read_dir(&all[i])
        {
            all.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
        i += 1;
    }
    all.into_iter()
        .filter_map(|p| {
            let m = mode_if_there(&p)?;
            let want = if p.is_dir() { 0o700 } else { 0o600 };
            (m != want).then(|| (p, format!("{m:o}")))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_day_leaves_only_owner_only_files_in_the_data_directory() {
    let tmp = tempfile::tempdir().unwrap();
    // A permissive umask, as on most desktops: without the counter's own
    // modes everything below would be 0644 and 0755.
    let probe = tmp.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    assert_ne!(mode(&probe) & 0o044, 0, "run with umask 022");

    let data = tmp.path().join("passport-counter");
    // What the current release left: a 0755 data directory with a 0644
    // printout in a 0755 printouts/, and a config.toml office IT wrote.
    std::fs::create_dir_all(data.join("printouts")).unwrap();
    let old = data.join("printouts/potwierdzenie-DEMO-01-000000-00.pdf");
    std::fs::write(&old, b"%PDF-1.7 old").unwrap();
    std::fs::write(data.join("config.toml"), b"").unwrap();
    for p in [&data, &data.join("printouts")] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let cfg = Resolved::load(&Overrides {
        data_dir: Some(data.clone()),
        ..Overrides::default()
    })
    .unwrap();
    assert!(cfg.demo);
    let counter = Counter::start(cfg).await.unwrap();
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let worker = counter.clone();
    let worker = tokio::spawn(async move {
        worker
            .run_worker(async {
                rx.await.ok();
            })
            .await;
    });

    counter.login("demo-clerk", "demo").await.unwrap();
    let photo = base64::engine::general_purpose::STANDARD.encode(demo::PHOTO_PNG);
    let draft = demo::adult_draft(1, chrono::Local::now().date_naive());
    let submitted = counter
        .submit_application(&draft, Some(&photo), &common::adult_biometrics())
        .await
        .unwrap();
    let printout = counter
        .printout(
            &DocumentRef::Receipt {
                number: submitted.number.clone(),
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(printout.page_count, 1);
    // The copy the earlier release kept was shredded at start, and the new
    // printout left none: the sealed journal renders it again.
    assert!(!old.exists(), "the earlier release's printout is shredded");
    assert!(!data.join("printouts").exists(), "no printout is kept");

    counter.sync_now();
    let start = Instant::now();
    loop {
        let s = counter.status().await;
        if s.queue.acknowledged == 1 && s.queue.depth == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the application was not acknowledged: {s:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // While everything is open: databases with their -wal and -shm, the
    // chain head, the lock files, the printout.
    for name in [
        "demo.db",
        "demo.db-wal",
        "demo.db.head",
        "demo-register.db",
        "demo-register.db-wal",
    ] {
        assert!(data.join(name).exists(), "{name} is written");
    }
    // config.toml is office IT's file, not the counter's to change.
    let config = data.join("config.toml");
    assert_eq!(mode(&config), 0o644);
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(loose(&data), vec![], "while the counter runs");

    stop.send(()).ok();
    worker.await.unwrap();
    counter.shutdown().await;
    assert_eq!(loose(&data), vec![], "after it stopped");
}

/// Every file the counter's code creates goes through the owner-only
/// helpers: the source of the crates that write (test code aside) has no
/// `File::create`, `fs::write`, `create_dir_all` or temporary file, and every
/// `.create(true)` starts from `owner_only_file()` / `file_options()`. A new
/// file written the plain way would be 0644 in a real data directory.
#[test]
fn no_file_is_created_past_the_owner_only_helpers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // A temporary file would lie outside the sealed data directory, in the
    // system's temporary directory: none is made (printouts and previews
    // go through pipes, see `print`).
    let plain = [
        "File::create(",
        "fs::write(",
        "create_dir_all(",
        "fs::create_dir(",
        "DirBuilder::new(",
        "tempfile::",
        "temp_dir(",
        "NamedTempFile",
    ];
    let mut found = Vec::new();
    for dir in [
        "crates/journal/src",
        "crates/counter-core/src",
        "crates/sync/src",
        "crates/counterctl/src",
        "src-tauri/src",
    ] {
        let mut files = vec![root.join(dir)];
        while let Some(p) = files.pop() {
            if p.is_dir() {
                files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") || p.ends_with("journal/src/private.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let lines: Vec<&str> = text
                .lines()
                .take_while(|l| !l.starts_with("#[cfg(test)]") && !l.starts_with("#[cfg(all(test"))
                .collect();
            for (i, line) in lines.iter().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let opens = code.contains(".create(true)") || code.contains(".create_new(true)");
                let helper = lines[i.saturating_sub(4)..=i]
                    .iter()
                    .any(|l| l.contains("owner_only_file()") || l.contains("file_options()"));
                if plain.iter().any(|c| code.contains(c)) || (opens && !helper) {
                    found.push(format!("{}:{}: {}", p.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "files created past the owner-only helpers:\n{}",
        found.join("\n")
    );
}
