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
//! head" is reported. Someone who can rewrite the database, the head file
//! and SQLite's sequence together is beyond what a local file can show:
//! that needs the chain head to be known outside this machine.
//!
//! One fixed-length record, rewritten in place on a file kept open: a
//! clerk's commit pays one small write, not a create and a rename.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// The head file, open for writing.
#[derive(Debug)]
pub(crate) struct HeadFile {
    file: Mutex<std::fs::File>,
}

impl HeadFile {
    /// Opens (creating) the head file beside `db`; `None` when it cannot be
    /// opened (a read-only directory): the journal works, `verify` sees less.
    pub(crate) fn open(db: &Path) -> Option<Self> {
        crate::private::file_options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(head_path(db))
            .ok()
            // Owner-only (an earlier release created it 0644); a file that
            // cannot be tightened is not used.
            .filter(|file| crate::private::tighten_file(file).is_ok())
            .map(|file| Self {
                file: Mutex::new(file),
            })
    }

    /// Records the head after a commit: one record of fixed length (the
    /// number zero-padded), so a rewrite never leaves a longer old tail. A
    /// failed write leaves the previous head, which only makes `verify` see
    /// less: the committed action itself is already durable.
    pub(crate) fn record(&self, seq: i64, hash: &str) {
        let line = format!("{seq:020} {hash}\n");
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(line.as_bytes()));
    }
}

/// The recorded head, if there is one. `Err` when the file exists but does
/// not hold a head (it was tampered with, or the medium is damaged).
pub(crate) fn read(db: &Path) -> Result<Option<Head>, String> {
    let path = head_path(db);
    let text = match std::fs::read(&path) {
        Ok(bytes) if bytes.is_empty() => return Ok(None),
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
