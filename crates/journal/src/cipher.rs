//! Sealing the journal database with SQLCipher: the key on every
//! connection, telling an encrypted file from a plaintext one, and bringing
//! a plaintext journal (what release 0.1 wrote) into an encrypted file
//! without a moment where a queued action could be lost.
//!
//! SQLCipher is SQLite with every page of the database, its WAL and its
//! rollback journal encrypted (AES-256, and an HMAC per page so a changed
//! page is refused, not read). It is the same C library sqlx links
//! (`libsqlite3-sys` with `bundled-sqlcipher`): `PRAGMA key` must be the
//! first statement on every connection, which sqlx's connect options
//! guarantee for a `key` pragma. A plaintext database still opens without a
//! key, which is what lets the migration read the old file.
//!
//! The migration, step by step; the process may die between any two:
//! 1. the plaintext journal's WAL is folded in and switched off;
//!    `sqlcipher_export` copies it into `<db>.encrypting`;
//! 2. the copy is opened with the key and compared with the original: the
//!    row count of every table, the last chain entry's hash, and SQLite's
//!    integrity check;
//! 3. the original gets a second name, `<db>.plaintext` (a hard link: the
//!    copy kept until the new file is verified in place), and the
//!    encrypted file is renamed over `<db>` (atomic);
//! 4. the encrypted journal is opened, compared with the kept copy once
//!    more, and the kept copy is overwritten with zeros and removed.
//!
//! Before step 3 the plaintext file is still the journal and the next start
//! begins again; after it the encrypted file is, and the next start finishes
//! step 4. `tests/encryption.rs` stops the process after each step.

use crate::key::JournalKey;
use crate::{JournalError, Result};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The first 16 bytes of every plaintext SQLite database; an encrypted
/// one starts with its random salt instead.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Where a migration may be stopped by a test, as if the process died there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationStep {
    /// The encrypted copy is written beside the plaintext journal.
    Exported,
    /// The copy was compared with the original and matches.
    Verified,
    /// The encrypted file is the journal; the plaintext copy is still kept.
    Swapped,
}

/// Keeps OpenSSL's crypto library alive until the process is gone.
///
/// SQLCipher encrypts through OpenSSL, which by default registers an
/// `atexit` handler that frees its ciphers. sqlx closes pooled connections
/// on its own worker threads; a pool dropped late (a test's runtime ending,
/// a pool still in a `static`) closes a connection after that handler ran,
/// and SQLCipher's close then touches freed memory: the process crashes with
/// SIGSEGV *after* its work succeeded (sqlx #2249). Closing every journal
/// before exit is the rule (`Counter::shutdown`, counterctl), and this makes
/// a forgotten close harmless: with `OPENSSL_INIT_NO_ATEXIT` the library is
/// not torn down at exit; the operating system reclaims it with the process.
/// Called before the first connection of every open; later calls do nothing.
pub(crate) fn keep_crypto_past_exit() {
    // openssl-sys initialises with OPENSSL_INIT_NO_ATEXIT on every OpenSSL
    // from 1.1.1b (Debian 12 has 3.0; the Windows build vendors 3.x), once
    // per process, and it is the same libcrypto SQLCipher links.
    openssl_sys::init();
}

/// Keys one in-memory connection, once per process, before any journal
/// connection is keyed. SQLCipher sets up its crypto provider (OpenSSL) on
/// the first key it sees; two connections keyed at the same moment on
/// different threads (two journals opening at once, a pool filling) once
/// failed here with "An error occurred with PRAGMA key or rekey" on a
/// healthy new journal, 1 run in many of the test suite. Done once, alone,
/// the later keys find the provider ready. A failure is the open's error.
pub(crate) async fn activate_once() -> Result<()> {
    static ACTIVATED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    ACTIVATED
        .get_or_try_init(|| async {
            let options = SqliteConnectOptions::new().in_memory(true).pragma(
                "key",
                key_pragma(&JournalKey::from_recovery_code(
                    &crate::key::RecoveryCode::generate(),
                )),
            );
            let mut conn = SqliteConnection::connect_with(&options).await?;
            sqlx::query("SELECT count(*) FROM sqlite_master")
                .execute(&mut conn)
                .await?;
            conn.close().await?;
            Ok::<(), JournalError>(())
        })
        .await
        .map(|_| ())
}

/// What lies at a database path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileState {
    /// Missing or empty: a new journal.
    New,
    Plaintext,
    Encrypted,
}

pub(crate) fn file_state(path: &Path) -> io::Result<FileState> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(FileState::New),
        Err(e) => return Err(e),
    };
    let mut head = Vec::with_capacity(16);
    (&mut file).take(16).read_to_end(&mut head)?;
    Ok(if head.is_empty() {
        FileState::New
    } else if head == SQLITE_HEADER {
        FileState::Plaintext
    } else {
        FileState::Encrypted
    })
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The value given to `PRAGMA key` (sqlx writes it into the statement as
/// is): the raw key as a quoted `x'…'` literal.
pub(crate) fn key_pragma(key: &JournalKey) -> String {
    format!("\"{}\"", key.sql_literal())
}

/// SQLite's "file is not a database": what SQLCipher answers when the key
/// is wrong (or missing) for an encrypted file.
pub(crate) fn is_not_a_database(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| c & 0xff == 26)
}

fn io_err(path: &Path) -> impl Fn(io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.display().to_string(),
        source,
    }
}

async fn connect(
    path: &Path,
    key: Option<&JournalKey>,
    read_only: bool,
) -> Result<SqliteConnection> {
    let mut options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(10));
    if let Some(key) = key {
        options = options.pragma("key", key_pragma(key));
    }
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// What the comparison looks at: every table's row count and the chain's
/// last entry.
#[derive(Debug, PartialEq, Eq)]
struct Fingerprint {
    rows: BTreeMap<String, i64>,
    sequences: Option<String>,
    last_entry: Option<(i64, String)>,
}

async fn fingerprint(conn: &mut SqliteConnection) -> Result<Fingerprint> {
    // Table names come from the schema, not from input; they are quoted
    // as identifiers. These statements cannot be static: the set of tables
    // is whatever the file holds.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = BTreeMap::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM \"{}\"",
            t.replace('"', "\"\"")
        )))
        .fetch_one(&mut *conn)
        .await?;
        rows.insert(t, n);
    }
    // The chain's high-water marks (what `verify` compares a cut tail with).
    let sequences: Option<String> = if tables_has_sequence(&mut *conn).await? {
        sqlx::query_scalar("SELECT group_concat(name || '=' || seq, ',') FROM sqlite_sequence")
            .fetch_one(&mut *conn)
            .await?
    } else {
        None
    };
    let last_entry = if rows.contains_key("journal") {
        sqlx::query_as("SELECT seq, entry_hash FROM journal ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
    } else {
        None
    };
    Ok(Fingerprint {
        rows,
        sequences,
        last_entry,
    })
}

async fn tables_has_sequence(conn: &mut SqliteConnection) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

async fn integrity_ok(conn: &mut SqliteConnection) -> Result<bool> {
    let found: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await?;
    Ok(found == ["ok"])
}

fn stop_here(stop: Option<MigrationStep>, step: MigrationStep) -> Result<()> {
    if stop == Some(step) {
        return Err(JournalError::MigrationStopped(step));
    }
    Ok(())
}

/// Encrypts the plaintext journal at `path` in place (see the module doc).
/// Runs under the journal's migration lock; no other connection is open.
pub(crate) async fn encrypt_plaintext(
    path: &Path,
    key: &JournalKey,
    stop: Option<MigrationStep>,
) -> Result<()> {
    let sealed = sibling(path, ".encrypting");
    let kept = sibling(path, ".plaintext");
    // Leftovers of a run that died before the swap: the plaintext file is
    // still the journal, so both are dropped and the work starts over.
    // `kept` is then a second name of the journal itself: unlinked, never
    // overwritten.
    for leftover in [
        kept.clone(),
        sealed.clone(),
        sibling(&sealed, "-journal"),
        sibling(&sealed, "-wal"),
        sibling(&sealed, "-shm"),
    ] {
        match std::fs::remove_file(&leftover) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_err(&leftover)(e)),
            _ => {}
        }
    }
    crate::private::precreate_database(&sealed).map_err(io_err(&sealed))?;

    let mut plain = connect(path, None, false).await?;
    // Folds the WAL into the file and removes it: after the swap, a
    // plaintext -wal beside the encrypted file would be read as its own.
    let _: Vec<String> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_all(&mut plain)
        .await?;
    let before = fingerprint(&mut plain).await?;
    let sealed_name = sealed.to_string_lossy().into_owned();
    sqlx::query("ATTACH DATABASE ?1 AS sealed KEY ?2")
        .bind(&sealed_name)
        .bind(key.sql_literal())
        .execute(&mut plain)
        .await?;
    sqlx::query("SELECT sqlcipher_export('sealed')")
        .fetch_all(&mut plain)
        .await?;
    sqlx::query("DETACH DATABASE sealed")
        .execute(&mut plain)
        .await?;
    plain.close().await?;
    sync_file(&sealed)?;
    stop_here(stop, MigrationStep::Exported)?;

    let mut copy = connect(&sealed, Some(key), false).await?;
    let after = fingerprint(&mut copy).await?;
    let intact = integrity_ok(&mut copy).await?;
    copy.close().await?;
    if after != before || !intact {
        let _ = std::fs::remove_file(&sealed);
        return Err(JournalError::Corrupt(format!(
            "the encrypted copy of {} does not match the original (nothing was changed; \
             the plaintext journal is still in use)",
            path.display()
        )));
    }
    stop_here(stop, MigrationStep::Verified)?;

    std::fs::hard_link(path, &kept).map_err(io_err(&kept))?;
    std::fs::rename(&sealed, path).map_err(io_err(path))?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    stop_here(stop, MigrationStep::Swapped)?;
    finish(path, key).await
}

/// Step 4: the encrypted journal is in place; the plaintext copy kept
/// beside it is compared with it once more, then shredded. Nothing to do
/// when there is no kept copy. A copy that does not match is kept (it may
/// be the only complete one) and named in the error.
pub(crate) async fn finish(path: &Path, key: &JournalKey) -> Result<()> {
    let kept = sibling(path, ".plaintext");
    if !kept.exists() {
        return Ok(());
    }
    let mut old = connect(&kept, None, true).await?;
    let before = fingerprint(&mut old).await?;
    old.close().await?;
    let mut now = connect(path, Some(key), true).await?;
    let after = fingerprint(&mut now).await?;
    let intact = integrity_ok(&mut now).await?;
    now.close().await?;
    if before != after || !intact {
        return Err(JournalError::Corrupt(format!(
            "the encrypted journal {} does not match the plaintext copy {} kept beside it; \
             the copy is kept: call office IT",
            path.display(),
            kept.display()
        )));
    }
    for f in [
        kept.clone(),
        sibling(&kept, "-wal"),
        sibling(&kept, "-shm"),
        sibling(&kept, "-journal"),
    ] {
        if f.exists() {
            shred(&f).map_err(io_err(&f))?;
        }
    }
    Ok(())
}

/// Overwrites a file with zeros, syncs it and removes it. On a journaling
/// or copy-on-write file system, or an SSD, old blocks may survive the
/// overwrite; it is best effort against reading the directory afterwards,
/// which the encryption, not this, defends against.
pub fn shred(path: &Path) -> io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    let len = f.metadata()?.len();
    f.seek(io::SeekFrom::Start(0))?;
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        f.write_all(&zeros[..n])?;
        left -= n as u64;
    }
    f.sync_all()?;
    drop(f);
    std::fs::remove_file(path)?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io_err(path))
}

/// Makes a rename or a new file in `dir` durable (Unix; a no-op elsewhere).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Whether the database at `path` is encrypted (false for a missing, empty
/// or plaintext file).
pub fn is_encrypted(path: &Path) -> io::Result<bool> {
    Ok(file_state(path)? == FileState::Encrypted)
}

/// Runs `sql` on the database at `path` opened with `key`, outside the
/// journal's own code: for tests that change the file behind the journal's
/// back (a clock moving on, an edited row), as the sqlite3 command line did
/// before the file was encrypted. Not for the product: the journal is the
/// only way to write the database.
#[doc(hidden)]
pub async fn run_sql_behind_the_journal(
    path: &Path,
    key: Option<&JournalKey>,
    sql: &str,
) -> Result<()> {
    let mut conn = connect(path, key, false).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}
