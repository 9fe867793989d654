//! Owner-only files and directories: what the counter writes is readable by
//! the account it runs under and nobody else.
//!
//! The journal, its WAL, the chain head, printouts and the demo register
//! hold personal data (PESEL, names, photos). On Unix every directory the
//! counter creates is made 0700 and every file 0600 at creation (the mode
//! is passed to `open`/`mkdir`, so there is no moment when the file exists
//! readable by others, whatever the umask), and what an earlier release
//! left looser (0644 files, a 0755 data directory) is tightened when it is
//! opened again.
//!
//! SQLite creates its own files: the database with 0644 less the umask,
//! and the `-wal` and `-shm` files with the *database file's* mode (its
//! `findCreateFileMode`, `unixOpenSharedMemory`). So the database file is
//! created here, empty and 0600, before SQLite opens it (an empty file is
//! an empty database to SQLite), and its companions follow it.
//!
//! On Windows the data directory lies in the account's own profile, whose
//! ACL already keeps other users out; these functions change nothing there.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// The mode of every directory the counter creates.
pub const DIR_MODE: u32 = 0o700;
/// The mode of every file the counter creates.
pub const FILE_MODE: u32 = 0o600;

/// Options for a file the counter creates: 0600 from its first moment on
/// Unix. Add `read`/`write`/`create`/`create_new`/`truncate` as needed.
pub fn file_options() -> OpenOptions {
    #[allow(unused_mut)] // mutated on Unix only
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options
}

/// Creates `dir` and any missing parents, each new one 0700. A directory
/// that already exists is left as it is: use [`private_dir`] for one the
/// counter owns (the data directory), not for a path a person chose.
pub fn create_dir_owner_only(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)
}

/// A directory the counter owns (the data directory, `printouts/`):
/// created 0700 with any missing parents, and its group and other bits
/// dropped when it exists with them.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    create_dir_owner_only(dir)?;
    tighten(dir)
}

/// Creates the file at `path` empty and 0600 when it does not exist yet,
/// so that a program that creates it by itself (SQLite) finds it there
/// with the right mode; then tightens it (and SQLite's `-wal`, `-shm` and
/// `-journal` beside it, when present) if an earlier release left them
/// looser.
pub fn precreate_database(path: &Path) -> io::Result<()> {
    match file_options().write(true).create_new(true).open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    tighten(path)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        tighten(Path::new(&name))?;
    }
    Ok(())
}

/// Drops the group and other bits of an open file (an earlier release
/// created it 0644). Through the handle, so it is the file that was opened.
pub fn tighten_file(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & !0o077))?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Drops the group and other bits of what is at `path`, if anything is
/// (0755 becomes 0700, 0644 becomes 0600; the owner's own bits are kept as
/// they are): a path that does not exist is not an error. A symbolic link
/// is left alone (the data directory is 0700, so nobody else can have put
/// one there).
pub fn tighten(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        let current = meta.permissions().mode() & 0o7777;
        if current & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(current & !0o077))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// [`tighten`]s `root` and every directory and file under it, not
/// following symbolic links: for a directory only the counter writes
/// (`printouts/`) that an earlier release left 0755 with 0644 files.
/// Returns what could not be tightened (a file owned by another account),
/// so the caller can say so; nothing is changed outside `root`.
pub fn tighten_tree(root: &Path) -> Vec<(std::path::PathBuf, io::Error)> {
    let mut failed = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if let Err(e) = tighten(&dir) {
            failed.push((dir.clone(), e));
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => {
                failed.push((dir, e));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => {
                    if let Err(e) = tighten(&path) {
                        failed.push((path, e));
                    }
                }
                // Symbolic links, sockets, FIFOs: not the counter's files.
                Ok(_) => {}
                Err(e) => failed.push((path, e)),
            }
        }
    }
    failed
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn new_directories_and_files_are_owner_only_and_old_ones_tightened() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("a/b/data");
        private_dir(&data).unwrap();
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert_eq!(mode(&data), 0o700);

        let file = data.join("f");
        file_options()
            .write(true)
            .create_new(true)
            .open(&file)
            .unwrap();
        assert_eq!(mode(&file), 0o600);

        // What an earlier release left: 0755 and 0644.
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let sub = data.join("printouts");
        std::fs::create_dir(&sub).unwrap();
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o775)).unwrap();
        assert!(tighten_tree(&data).is_empty());
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&sub), 0o700);
        assert_eq!(mode(&file), 0o600);

        // Only group and other bits go: a read-only file stays read-only,
        // an owner's execute bit stays, nothing is widened.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        tighten(&file).unwrap();
        assert_eq!(mode(&file), 0o400);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        tighten(&file).unwrap();
        assert_eq!(mode(&file), 0o700);
    }

    #[test]
    fn a_database_and_its_companions_are_created_or_tightened_to_0600() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("journal.db");
        precreate_database(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
        let wal = tmp.path().join("journal.db-wal");
        std::fs::write(&wal, b"x").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        precreate_database(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&wal), 0o600);
    }
}
