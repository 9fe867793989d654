//! Reading a file someone handed the counter (an application file, a
//! photo), bounded.
//!
//! A path from outside may name `/dev/zero` (reading never ends, memory
//! does), a FIFO (opening and reading block for ever), a directory, or a
//! 200 MB file where a few megabytes are expected. [`read_regular_file`]
//! opens without blocking, looks at what it opened (not at the path, which
//! may change in between), refuses anything but a regular file and anything
//! over the cap before reading a byte, and reads at most one byte past the
//! cap, so a file that grows while it is read is refused as well.

use passport_domain::Message;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read. Every variant names the path.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a regular file (it is {kind})", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} is too large: {size} bytes, at most {max} allowed", path.display())]
    TooLarge { path: PathBuf, size: u64, max: u64 },
}

impl FileError {
    pub fn path(&self) -> &Path {
        match self {
            FileError::Io { path, .. }
            | FileError::NotRegular { path, .. }
            | FileError::TooLarge { path, .. } => path,
        }
    }

    /// A stable code for the UI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            FileError::Io { .. } => "file.unreadable",
            FileError::NotRegular { .. } => "file.not_regular",
            FileError::TooLarge { .. } => "file.too_large",
        }
    }

    /// The message in Polish and English.
    pub fn message(&self) -> Message {
        let path = self.path().display();
        match self {
            FileError::Io { source, .. } => Message::new(
                format!("Nie można odczytać pliku {path}: {source}."),
                format!("Cannot read {path}: {source}."),
            ),
            FileError::NotRegular { kind, .. } => Message::new(
                format!(
                    "{path} nie jest zwykłym plikiem ({}); wskaż plik zapisany na dysku.",
                    kind_pl(kind)
                ),
                format!(
                    "{path} is not a regular file (it is {kind}); choose a file saved on disk."
                ),
            ),
            FileError::TooLarge { size, max, .. } => Message::new(
                format!(
                    "Plik {path} jest za duży ({} KB); dopuszczalny rozmiar to najwyżej {} KB.",
                    size.div_ceil(1024),
                    max / 1024
                ),
                format!(
                    "{path} is too large ({} KB); at most {} KB is allowed.",
                    size.div_ceil(1024),
                    max / 1024
                ),
            ),
        }
    }
}

fn kind_pl(kind: &str) -> &'static str {
    match kind {
        "a directory" => "to katalog",
        "a named pipe (FIFO)" => "to potok nazwany (FIFO)",
        "a character device" => "to urządzenie znakowe",
        "a block device" => "to urządzenie blokowe",
        "a socket" => "to gniazdo",
        _ => "to plik specjalny",
    }
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// `O_NONBLOCK`, so that opening a FIFO returns at once instead of waiting
/// for a writer; on regular files it changes nothing. The values are the
/// kernels' ABI (the `libc` crate is not a dependency of this crate).
#[cfg(any(target_os = "linux", target_os = "android"))]
const O_NONBLOCK: Option<i32> = Some(0o4000);
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
const O_NONBLOCK: Option<i32> = Some(0x0004);
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
const O_NONBLOCK: Option<i32> = None;

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if let Some(flag) = O_NONBLOCK {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(flag);
    }
    if O_NONBLOCK.is_none() {
        // Look before opening: a pipe swapped in between could still block,
        // but the common mistakes are caught before they hang.
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::other(kind_of(&meta)));
        }
    }
    options.open(path)
}

/// Reads the regular file at `path` whole, if it holds at most `max_bytes`.
///
/// Refuses, naming the path: what cannot be opened, anything that is not a
/// regular file (a directory, a FIFO, a device such as `/dev/zero`), a
/// file whose size is over `max_bytes` (before reading any of it), and a
/// file that turns out longer than `max_bytes` while being read.
pub fn read_regular_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, FileError> {
    let io = |source| FileError::Io {
        path: path.to_owned(),
        source,
    };
    let file = open(path).map_err(io)?;
    // The open handle's metadata, not the path's: what is read is what was
    // checked.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular {
            path: path.to_owned(),
            kind: kind_of(&meta),
        });
    }
    let too_large = |size| FileError::TooLarge {
        path: path.to_owned(),
        size,
        max: max_bytes,
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > max_bytes {
        return Err(too_large(read));
    }
    Ok(bytes)
}

/// [`read_regular_file`] for text: the bytes must be UTF-8.
pub fn read_regular_text(path: &Path, max_bytes: u64) -> Result<String, FileError> {
    let bytes = read_regular_file(path, max_bytes)?;
    String::from_utf8(bytes).map_err(|e| FileError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
    })
}

/// Writing the counter's own files owner-only (0700 directories, 0600
/// files, from their first moment): the journal's rules, shared by
/// printouts, the demo register and exported images. See
/// [`passport_journal::private`].
pub use passport_journal::private::{
    create_dir_owner_only, file_options as owner_only_file, precreate_database,
};

/// Writes a small file of the counter's own (a configuration the demo
/// makes, a trust store it generates) 0600, replacing what was there; a
/// file left looser by an earlier run loses its group and other bits.
pub fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = owner_only_file()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    passport_journal::private::tighten_file(&file)?;
    file.write_all(bytes)?;
    file.sync_all()
}
