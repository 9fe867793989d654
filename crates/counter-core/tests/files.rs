//! Bounded file reading: what `counterctl` and the app read from a path
//! someone typed never hangs, never exhausts memory, and names the path.

use passport_counter_core::files::{FileError, read_regular_file, read_regular_text};
use std::path::Path;
use std::time::{Duration, Instant};

const CAP: u64 = 1024 * 1024;

fn quickly<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(500), "took {took:?}");
    out
}

#[test]
fn a_normal_file_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("application.json");
    std::fs::write(&path, b"{\"kind\":\"passport\"}").unwrap();
    assert_eq!(
        read_regular_file(&path, CAP).unwrap(),
        b"{\"kind\":\"passport\"}"
    );
    assert_eq!(
        read_regular_text(&path, CAP).unwrap(),
        "{\"kind\":\"passport\"}"
    );
    // Exactly at the cap is allowed.
    std::fs::write(&path, vec![b'x'; CAP as usize]).unwrap();
    assert_eq!(read_regular_file(&path, CAP).unwrap().len(), CAP as usize);
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_without_reading() {
    // Before: `std::fs::read` of /dev/zero grew until memory ran out.
    let e = quickly(|| read_regular_file(Path::new("/dev/zero"), CAP)).unwrap_err();
    assert!(
        matches!(
            e,
            FileError::NotRegular {
                kind: "a character device",
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.code(), "file.not_regular");
    assert!(e.to_string().contains("/dev/zero"));
    assert!(e.message().pl.contains("/dev/zero"));
}

#[cfg(unix)]
#[test]
fn a_fifo_does_not_block() {
    // Before: opening a FIFO with no writer blocked for ever.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("photo.jpg");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let e = quickly(|| read_regular_file(&fifo, CAP)).unwrap_err();
    assert!(
        matches!(
            e,
            FileError::NotRegular {
                kind: "a named pipe (FIFO)",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.message().pl.contains("potok nazwany"));
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = read_regular_file(dir.path(), CAP).unwrap_err();
    assert_eq!(e.code(), "file.not_regular", "{e:?}");
    assert_eq!(e.path(), dir.path());
}

#[test]
fn one_byte_over_the_cap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.png");
    std::fs::write(&path, vec![0u8; CAP as usize + 1]).unwrap();
    let e = read_regular_file(&path, CAP).unwrap_err();
    assert!(
        matches!(e, FileError::TooLarge { size, max: CAP, .. } if size == CAP + 1),
        "{e:?}"
    );
    assert!(e.message().en.contains("too large"));
    assert!(e.message().pl.contains("za duży"));
}

#[test]
fn a_sparse_200_mb_file_is_refused_before_reading() {
    // Before: read whole (200 MB) and only then refused by the photo check.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(200 << 20).unwrap();
    drop(f);
    let e = quickly(|| read_regular_file(&path, 5 << 20)).unwrap_err();
    assert!(
        matches!(e, FileError::TooLarge { size, .. } if size == 200 << 20),
        "{e:?}"
    );
}

#[test]
fn a_missing_file_names_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.json");
    let e = read_regular_file(&path, CAP).unwrap_err();
    assert_eq!(e.code(), "file.unreadable");
    assert!(e.to_string().contains("missing.json"));
}

#[test]
fn text_must_be_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("application.json");
    std::fs::write(&path, b"\xff\xfe{}").unwrap();
    assert_eq!(
        read_regular_text(&path, CAP).unwrap_err().code(),
        "file.unreadable"
    );
}
