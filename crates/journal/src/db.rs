//! Opening the journal database: durability settings, migrations, identity.

use crate::{JournalError, Result};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The office and workstation a journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub office_code: String,
    pub workstation_id: String,
    /// A demo office: its data is for trying the product, never real.
    pub demo: bool,
}

impl Identity {
    /// The office and workstation used when nothing is configured.
    pub fn demo() -> Self {
        Self {
            office_code: "DEMO".into(),
            workstation_id: "01".into(),
            demo: true,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct JournalOptions {
    /// Crash tests only: sleep inside each action's transaction, after its
    /// writes and before the commit, so a test can kill the process there.
    pub pause_before_commit: Option<Duration>,
    /// Fault tests only: the most pages the database file may grow to
    /// (SQLite's `max_page_count`), so a test fills "the disk" for real.
    pub max_page_count: Option<u32>,
    /// The SQLCipher key (see `key`): the database is encrypted with it,
    /// and a plaintext journal of an earlier release is encrypted when it is
    /// opened. `None` opens a plaintext database (tests of the journal's
    /// own logic, the register simulator's side); the counter always sets it.
    pub key: Option<crate::key::JournalKey>,
    /// Tests only: stop the encryption of a plaintext journal after this
    /// step, as if the process died there.
    pub stop_migration_after: Option<crate::cipher::MigrationStep>,
}

/// The open journal. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Journal {
    pub(crate) pool: SqlitePool,
    pub(crate) identity: Identity,
    pub(crate) options: JournalOptions,
    path: std::path::PathBuf,
    commits: Arc<AtomicU32>,
    /// What SQLite's quick check found wrong at open; while set, no action
    /// is saved (see [`Journal::damage`]).
    damage: Option<Arc<str>>,
    /// The chain head beside the database (none when opened read-only, or
    /// when the file cannot be opened: then `verify` sees less).
    head: Option<Arc<crate::head::HeadFile>>,
}

/// This release's migrations, embedded at build time.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Actions between background WAL checkpoints.
const CHECKPOINT_EVERY: u32 = 64;

impl Journal {
    /// Opens (creating if needed) the journal at `path` for `identity`.
    /// A database that belongs to another office or workstation is refused.
    pub async fn open(path: &Path, identity: Identity, options: JournalOptions) -> Result<Self> {
        crate::cipher::keep_crypto_past_exit();
        crate::cipher::activate_once().await?;
        // The data directory holds personal data: 0700, tightened if an
        // earlier release left it 0755 (see `private`). The journal's own
        // files are tightened as they are opened; what else lies in the
        // directory is not the journal's to change.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private::private_dir(dir).map_err(|source| JournalError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        // Processes opening a fresh data directory at once would race to
        // create the same tables, and a reader could see half a schema:
        // creating the file, migrating and claiming the identity run under
        // a lock file beside the database.
        let guard = lock_file(&path.with_extension("migrate.lock")).await?;
        let state = crate::cipher::file_state(path).map_err(|source| JournalError::Io {
            path: path.display().to_string(),
            source,
        })?;
        match (&options.key, state) {
            (Some(key), crate::cipher::FileState::Plaintext) => {
                crate::cipher::encrypt_plaintext(path, key, options.stop_migration_after).await?;
            }
            (None, crate::cipher::FileState::Encrypted) => {
                return Err(JournalError::KeyNeeded {
                    path: path.display().to_string(),
                });
            }
            _ => {}
        }
        // Created 0600 before SQLite opens it: SQLite would create it 0644
        // less the umask, and gives its -wal and -shm the database's mode.
        crate::private::precreate_database(path).map_err(|source| JournalError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let connect = SqliteConnectOptions::new().filename(path);
        // First on every connection (sqlx sends `key` before any other
        // pragma): without it SQLCipher reads the file as plaintext.
        let connect = match &options.key {
            Some(key) => connect.pragma("key", crate::cipher::key_pragma(key)),
            None => connect,
        };
        let connect = connect
            .create_if_missing(true)
            // A deleted or overwritten row (a discarded draft's PESEL, a
            // replaced photo) is zeroed in the file, not left in a free
            // page for anyone who copies the file to read.
            .pragma("secure_delete", "ON")
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: the WAL is synced at every commit, so a reported save
            // survives power loss, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // A clerk's commit never pays for a checkpoint: they run in the
            // background after every CHECKPOINT_EVERY actions (see `after_commit`).
            .pragma("wal_autocheckpoint", "0")
            .busy_timeout(Duration::from_secs(10));
        let connect = match options.max_page_count {
            Some(n) => connect.pragma("max_page_count", n.to_string()),
            None => connect,
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(connect)
            .await
            .map_err(|e| refused_key(e, path, options.key.is_some()))?;
        let mut journal = Self {
            pool,
            identity,
            options,
            path: path.to_path_buf(),
            commits: Arc::new(AtomicU32::new(0)),
            damage: None,
            head: crate::head::HeadFile::open(path).map(Arc::new),
        };
        // A journal refused from here on (another workstation's, a failed
        // migration) closes its connections before the error goes up: a
        // pool left to close on sqlx's threads while the process exits
        // crashed `counterctl --workstation 08 status` on 07's journal
        // (SIGSEGV instead of exit 5, more than 1 run in 3).
        match journal.finish_open(path).await {
            Ok(()) => {
                drop(guard);
                Ok(journal)
            }
            Err(e) => {
                journal.pool.close().await;
                Err(e)
            }
        }
    }

    /// What `open` does once the pool is there: migrate, claim and check
    /// the identity, seal old credentials, finish a plaintext migration,
    /// and look for damage.
    async fn finish_open(&mut self, path: &Path) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        self.claim_identity().await?;
        // Once after migration 11: the old unsealed credentials sealed.
        self.adopt_unsealed_credentials().await?;
        // A migration from plaintext that stopped after the swap: the kept
        // plaintext copy is compared with the journal and shredded.
        if let Some(key) = &self.options.key {
            crate::cipher::finish(path, key).await?;
        }
        self.damage = self.quick_check().await?;
        Ok(())
    }

    /// Opens an existing journal for reading only: nothing is created,
    /// migrated or written, so it works on a read-only file or medium. A
    /// journal whose schema is not this release's (not migrated yet, or
    /// being migrated right now) is [`JournalError::SchemaBehind`]: open it
    /// with [`Journal::open`], which migrates.
    /// `key` as in [`JournalOptions::key`]; a plaintext journal opened with
    /// a key is also `SchemaBehind` (opening it for writing encrypts it).
    pub async fn open_read_only(
        path: &Path,
        identity: Identity,
        key: Option<&crate::key::JournalKey>,
    ) -> Result<Self> {
        crate::cipher::keep_crypto_past_exit();
        crate::cipher::activate_once().await?;
        if !path.is_file() {
            return Err(JournalError::NotFound(format!(
                "the journal database {}",
                path.display()
            )));
        }
        // Wait for a process that is creating or migrating this journal
        // right now (its lock file exists then); on a read-only medium
        // there is no such process and no lock file to take.
        let lock_path = path.with_extension("migrate.lock");
        let _guard = match std::fs::File::options().write(true).open(&lock_path) {
            Ok(_) => Some(lock_file(&lock_path).await?),
            Err(_) => None,
        };
        let state = crate::cipher::file_state(path).map_err(|source| JournalError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let leftover = crate::cipher::sibling(path, ".plaintext").exists();
        if key.is_some() && (state == crate::cipher::FileState::Plaintext || leftover) {
            return Err(JournalError::SchemaBehind {
                path: path.display().to_string(),
            });
        }
        let connect = SqliteConnectOptions::new().filename(path);
        let connect = match key {
            Some(key) => connect.pragma("key", crate::cipher::key_pragma(key)),
            None => connect,
        };
        let connect = connect
            .read_only(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(connect)
            .await
            .map_err(|e| refused_key(e, path, key.is_some()))?;
        // sqlx's own bookkeeping table (absent before the first migration);
        // these queries take no input.
        // Every refusal from here on closes the pool first (see `open`).
        let bookkept: i64 = match sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&pool)
        .await
        {
            Ok(n) => n,
            Err(e) => {
                pool.close().await;
                // The first read of the file: where a key that does not fit shows.
                return Err(refused_key(e, path, key.is_some()));
            }
        };
        let applied: Option<i64> = if bookkept == 0 {
            None
        } else {
            match sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&pool)
                .await
            {
                Ok(v) => v,
                Err(e) => {
                    pool.close().await;
                    return Err(e.into());
                }
            }
        };
        let latest = MIGRATOR.iter().map(|m| m.version).max();
        if applied.is_none() || applied < latest {
            pool.close().await;
            return Err(JournalError::SchemaBehind {
                path: path.display().to_string(),
            });
        }
        let journal = Self {
            pool,
            identity,
            options: JournalOptions {
                key: key.cloned(),
                ..JournalOptions::default()
            },
            path: path.to_path_buf(),
            commits: Arc::new(AtomicU32::new(0)),
            damage: None,
            head: None,
        };
        if let Err(e) = journal.check_identity().await {
            journal.pool.close().await;
            return Err(e);
        }
        Ok(journal)
    }

    /// What SQLite's quick check found wrong when the journal was opened:
    /// while the database is damaged, actions are refused (office IT
    /// restores it) rather than written into a broken file.
    pub fn damage(&self) -> Option<&str> {
        self.damage.as_deref()
    }

    pub(crate) fn refuse_if_damaged(&self) -> Result<()> {
        match &self.damage {
            Some(d) => Err(JournalError::Damaged {
                path: self.path.display().to_string(),
                found: d.to_string(),
            }),
            None => Ok(()),
        }
    }

    async fn quick_check(&self) -> Result<Option<Arc<str>>> {
        // Pragmas cannot be described by the query macros; this takes no input.
        let found: Vec<String> = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_all(&self.pool)
            .await?;
        Ok((found != ["ok"]).then(|| found.join("; ").into()))
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the pool, waiting for connections to finish; SQLite
    /// checkpoints the WAL into the database as the last one closes.
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Copies committed WAL pages into the database file, without blocking
    /// writers (PASSIVE). Durability does not depend on it: the WAL is synced
    /// at every commit.
    pub async fn checkpoint(&self) -> Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Called after each commit of `actions` actions, the last of them entry
    /// `seq` with chain hash `hash`: records the chain head beside the
    /// database, and every CHECKPOINT_EVERY actions checkpoints on another
    /// pooled connection, off the clerk's path.
    pub(crate) fn after_commit(&self, actions: u32, seq: i64, hash: &str) {
        if let Some(head) = &self.head {
            head.record(seq, hash);
        }
        let before = self.commits.fetch_add(actions, Ordering::Relaxed);
        if before / CHECKPOINT_EVERY != (before + actions) / CHECKPOINT_EVERY {
            let journal = self.clone();
            tokio::spawn(async move {
                // A failed checkpoint is retried at the next one; nothing is lost.
                let _ = journal.checkpoint().await;
            });
        }
    }

    async fn claim_identity(&self) -> Result<()> {
        let now = now_rfc3339();
        let demo = i64::from(self.identity.demo);
        sqlx::query!(
            "INSERT INTO workstation (id, office_code, workstation_id, demo, created_at)
             VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            self.identity.office_code,
            self.identity.workstation_id,
            demo,
            now
        )
        .execute(&self.pool)
        .await?;
        self.check_identity().await
    }

    async fn check_identity(&self) -> Result<()> {
        // No row: the journal is being created right now (the row is
        // claimed under the migration lock, after the schema).
        let Some(row) =
            sqlx::query!("SELECT office_code, workstation_id FROM workstation WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?
        else {
            return Err(JournalError::SchemaBehind {
                path: self.path.display().to_string(),
            });
        };
        if row.office_code != self.identity.office_code
            || row.workstation_id != self.identity.workstation_id
        {
            return Err(JournalError::IdentityMismatch {
                office: self.identity.office_code.clone(),
                workstation: self.identity.workstation_id.clone(),
                found_office: row.office_code,
                found_workstation: row.workstation_id,
            });
        }
        Ok(())
    }
}

/// SQLite's "file is not a database" at open is, for an encrypted journal,
/// a key that does not fit (or none): said as such, never as a damaged file.
fn refused_key(e: sqlx::Error, path: &Path, keyed: bool) -> JournalError {
    if !crate::cipher::is_not_a_database(&e) {
        return e.into();
    }
    let path = path.display().to_string();
    if keyed {
        JournalError::KeyRejected { path }
    } else {
        JournalError::KeyNeeded { path }
    }
}

pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Takes an exclusive lock on `path` (created if missing), waiting for
/// another process to release it; released when the file is dropped.
async fn lock_file(path: &Path) -> Result<std::fs::File> {
    let path = path.to_path_buf();
    let io = |source| JournalError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = crate::private::file_options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    crate::private::tighten_file(&file).map_err(io)?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| io(std::io::Error::other(e)))?
        .map_err(io)
}
