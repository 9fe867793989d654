//! The journal's key, from the store `[security] key_store` names: the one
//! place the app and `counterctl` get it, so both create it the same way
//! and refuse the same way when it is lost.
//!
//! A key is created only for a journal that has none yet: a new data
//! directory, or a plaintext journal of release 0.1 (which the journal then
//! encrypts). An encrypted journal whose key file is missing is refused,
//! never given a new key: that would leave every queued action unreadable.
//! The recovery code of a new key waits beside the key file until a
//! supervisor has it printed (`counterctl key recovery-code`).

use crate::config::{ConfigError, KeyStore, Resolved};
use crate::error::CoreError;
use passport_journal::{JournalError, JournalKey, KeyError, KeyFile, RecoveryCode};

/// The key file the configuration names, refused inside the data
/// directory (a copy of that directory must not carry its key).
pub fn key_file(cfg: &Resolved) -> Result<KeyFile, CoreError> {
    if cfg.security.key_store == KeyStore::Keyring {
        return Err(ConfigError::KeyringUnavailable.into());
    }
    let path = cfg.key_file();
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    if absolute(&path).starts_with(absolute(&cfg.data_dir)) {
        return Err(ConfigError::Invalid(
            "key file",
            "outside the data directory (a copy of the data directory must not hold its key)",
        )
        .into());
    }
    Ok(KeyFile::new(path))
}

/// The journal's key: read from its store, or created when the journal has
/// none yet (see the module doc).
pub fn journal_key(cfg: &Resolved) -> Result<JournalKey, CoreError> {
    let file = key_file(cfg)?;
    match file.load() {
        Ok(key) => Ok(key),
        Err(KeyError::Missing { path }) => {
            let journal = cfg.journal_path();
            let encrypted = passport_journal::cipher::is_encrypted(&journal).map_err(|source| {
                JournalError::Io {
                    path: journal.display().to_string(),
                    source,
                }
            })?;
            if encrypted {
                return Err(JournalError::Key(KeyError::Missing { path }).into());
            }
            Ok(file.create().map_err(JournalError::Key)?)
        }
        Err(e) => Err(JournalError::Key(e).into()),
    }
}

/// Re-creates the key file from a supervisor's recovery code, after checking
/// that the code opens this journal (when there is one).
pub async fn recover(cfg: &Resolved, code: &RecoveryCode) -> Result<(), CoreError> {
    let file = key_file(cfg)?;
    let key = JournalKey::from_recovery_code(code);
    let journal = cfg.journal_path();
    let encrypted =
        passport_journal::cipher::is_encrypted(&journal).map_err(|source| JournalError::Io {
            path: journal.display().to_string(),
            source,
        })?;
    if encrypted {
        match passport_journal::Journal::open_read_only(&journal, cfg.identity()?, Some(&key)).await
        {
            Ok(j) => j.close().await,
            // The key opened the file; it is behind in schema or finishing a
            // migration, which the next ordinary open does.
            Err(JournalError::SchemaBehind { .. }) => {}
            Err(JournalError::KeyRejected { path }) => {
                return Err(JournalError::Key(KeyError::CodeDoesNotOpen { path }).into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    file.restore(code).map_err(JournalError::Key)?;
    Ok(())
}
