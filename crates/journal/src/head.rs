//! The chain head, kept beside the database (`journal.db.head`).
//!
//! The hash chain shows an edited, inserted or reordered entry, but not a
//! cut tail: delete the last entries and what is left is still a valid
//! chain. So after every commit the last entry's number and hash are
//! written to a small file next to the database, which deleting rows does
//! not reach; `journal verify` compares the two (and SQLite's own
//! high-water mark of the sequence). The file may lag behind the
//! database (a crash between commit and write, two processes writing in
//! turn) but never run ahead of it, so only "the database is behind the
//! head" is reported.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The last entry as recorded beside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

fn head_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".head");
    PathBuf::from(name)
}

/// Records the head after a commit. Written to a temporary file and
/// renamed, so a reader sees the old head or the new one, never half.
/// A failure leaves the previous head, which only makes `verify` see less:
/// the committed action itself is already durable.
pub(crate) fn record(db: &Path, seq: i64, hash: &str) {
    let path = head_path(db);
    let mut tmp = path.clone().into_os_string();
    tmp.push(format!(".{}.tmp", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| writeln!(f, "{seq} {hash}"))
        .and_then(|()| std::fs::rename(&tmp, &path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The recorded head, if there is one. `Err` when the file exists but does
/// not hold a head (it was tampered with, or the medium is damaged).
pub(crate) fn read(db: &Path) -> Result<Option<Head>, String> {
    let path = head_path(db);
    let text = match std::fs::read(&path) {
        Ok(bytes) if bytes.len() <= 256 => bytes,
        Ok(_) => return Err(format!("{} is not a chain head", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let text = String::from_utf8(text).map_err(|_| format!("{} is not text", path.display()))?;
    let mut parts = text.split_whitespace();
    let (Some(seq), Some(hash), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!("{} is not a chain head", path.display()));
    };
    let seq = seq
        .parse::<i64>()
        .map_err(|_| format!("{} holds no entry number", path.display()))?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("{} holds no hash", path.display()));
    }
    Ok(Some(Head {
        seq,
        hash: hash.to_owned(),
    }))
}
