//! The journal's encryption key, its file and its recovery code.
//!
//! The journal database is encrypted with SQLCipher (AES-256 per page, an
//! HMAC per page) under a 256-bit raw key: no passphrase and so no slow
//! key derivation at every connection. The key is derived from a
//! **recovery code** of 120 random bits, shown once to a supervisor when
//! the key is created (24 base32 characters in groups of four); the code
//! re-creates the key on a new or reinstalled machine. 120 bits are out of
//! reach of a search, so the derivation is one SHA-256 with a domain label.
//!
//! The key is kept in a **key file** readable only by the account (0600 in
//! a 0700 directory), never beside the database: by default under the
//! account's configuration directory, so a copy of the data directory (a
//! backup, a stolen disk image of `~/.local/share`) holds no key. A file
//! the counter did not write, of another length or another format, is an
//! error, never a new key: a new key would hide the queued actions.

use crate::private;
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// RFC 4648 base32: no 0/1/8/9, so a code read aloud or typed is not
/// confused with O/I/B (those digits are read as the letters).
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Random bytes in a recovery code: 120 bits, 24 base32 characters.
const CODE_BYTES: usize = 15;
const CODE_CHARS: usize = CODE_BYTES * 8 / 5;
/// The first line of a key file.
const KEY_FILE_HEADER: &str = "passport-counter journal key v1";
/// The label the key is derived under (changing it changes every key).
const DERIVATION_LABEL: &[u8] = b"passport-counter/journal-key/v1\0";

/// The journal's 256-bit SQLCipher key. Never printed: its `Debug` says
/// only that it is a key.
#[derive(Clone, PartialEq, Eq)]
pub struct JournalKey([u8; 32]);

impl fmt::Debug for JournalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JournalKey(..)")
    }
}

impl JournalKey {
    /// The value of `PRAGMA key` (and of `ATTACH … KEY`) for this raw key:
    /// SQLCipher reads `x'…'` with 64 hex digits as the key itself.
    pub(crate) fn sql_literal(&self) -> String {
        format!("x'{}'", hex(&self.0))
    }

    /// A key for one purpose inside the journal, derived from this one
    /// (HMAC-SHA256 keyed with it, over `label`), so the SQLCipher key
    /// itself signs nothing: what binds offline credentials to this
    /// counter (`credentials`).
    pub(crate) fn derive(&self, label: &[u8]) -> [u8; 32] {
        use hmac::{KeyInit, Mac};
        // Any key length is valid for HMAC: this cannot fail.
        let mut mac = match hmac::Hmac::<sha2_mac::Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes a key of any length"),
        };
        mac.update(label);
        mac.finalize().into_bytes().into()
    }

    /// The key a recovery code stands for.
    pub fn from_recovery_code(code: &RecoveryCode) -> Self {
        let mut h = Sha256::new();
        h.update(DERIVATION_LABEL);
        h.update(code.0);
        Self(h.finalize().into())
    }
}

/// A supervisor-held code that re-creates the journal key, e.g.
/// `ABCD-EFGH-IJKL-MNOP-QRST-UVWX`. Its `Display` is the code itself (it is
/// meant to be shown, once); its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode([u8; CODE_BYTES]);

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars = base32(&self.0);
        for (i, group) in chars.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(group).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl RecoveryCode {
    /// A new code from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; CODE_BYTES];
        rand::fill(&mut bytes);
        Self(bytes)
    }

    /// Reads a code as a person typed it: case, spaces and dashes do not
    /// matter, and 0, 1 and 8 are read as O, I and B.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let mut bits: u64 = 0;
        let mut nbits = 0u32;
        let mut out = Vec::with_capacity(CODE_BYTES);
        let mut count = 0usize;
        for c in text.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                c => c,
            };
            let Some(v) = ALPHABET.iter().position(|&a| char::from(a) == c) else {
                return Err(KeyError::BadCode);
            };
            count += 1;
            bits = (bits << 5) | v as u64;
            nbits += 5;
            if nbits >= 8 {
                nbits -= 8;
                out.push((bits >> nbits) as u8);
                bits &= (1 << nbits) - 1;
            }
        }
        if count != CODE_CHARS {
            return Err(KeyError::BadCode);
        }
        let bytes: [u8; CODE_BYTES] = out.try_into().map_err(|_| KeyError::BadCode)?;
        Ok(Self(bytes))
    }
}

/// What can go wrong with the key, in words for office IT (Polish first).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "Brak klucza dziennika ({path}). Dziennik jest zaszyfrowany i bez klucza nie da się go \
         otworzyć; przywróć klucz kodem odzyskiwania kierownika: \
         counterctl key recover --code … / \
         The journal key is missing ({path}). The journal is encrypted and cannot be opened \
         without it; restore the key with the supervisor's recovery code: \
         counterctl key recover --code …"
    )]
    Missing { path: String },
    #[error(
        "Plik klucza {path} jest nieczytelny lub uszkodzony ({why_pl}); nic nie zostało zmienione. \
         Przywróć klucz kodem odzyskiwania: counterctl key recover --code … / \
         The key file {path} cannot be read or is damaged ({why_en}); nothing was changed. \
         Restore the key with the recovery code: counterctl key recover --code …"
    )]
    Unreadable {
        path: String,
        why_pl: String,
        why_en: String,
    },
    #[error(
        "To nie jest kod odzyskiwania (24 znaki A–Z i 2–7, np. ABCD-EFGH-IJKL-MNOP-QRST-UVWX) / \
         This is not a recovery code (24 characters A–Z and 2–7, e.g. ABCD-EFGH-IJKL-MNOP-QRST-UVWX)"
    )]
    BadCode,
    #[error(
        "Kod odzyskiwania nie pasuje do dziennika {path}: sprawdź kod (to kod tego stanowiska?) / \
         The recovery code does not open the journal {path}: check the code (is it this \
         workstation's?)"
    )]
    CodeDoesNotOpen { path: String },
    #[error(
        "Kod odzyskiwania został już pokazany i nie jest przechowywany; nie można go pokazać \
         ponownie / The recovery code was already shown and is not kept; it cannot be shown again"
    )]
    CodeAlreadyShown,
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

/// The key file of one journal, and the one-time recovery code beside it
/// until a supervisor has seen it.
#[derive(Debug, Clone)]
pub struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn code_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".recovery-code");
        PathBuf::from(name)
    }

    fn io(&self, path: &Path) -> impl Fn(io::Error) -> KeyError {
        let path = path.display().to_string();
        move |source| KeyError::Io {
            path: path.clone(),
            source,
        }
    }

    /// Whether a key file is there (it may still be unreadable).
    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Reads the key. A missing file is [`KeyError::Missing`]; anything but
    /// a key file this counter wrote is [`KeyError::Unreadable`].
    pub fn load(&self) -> Result<JournalKey, KeyError> {
        // Why, in each language (the system's own words for an I/O error).
        let unreadable = |pl: &str, en: &str| KeyError::Unreadable {
            path: self.path.display().to_string(),
            why_pl: pl.into(),
            why_en: en.into(),
        };
        let io_err = |e: io::Error| {
            let e = e.to_string();
            unreadable(&format!("błąd odczytu: {e}"), &e)
        };
        let mut text = String::new();
        match std::fs::File::open(&self.path) {
            Ok(f) => {
                // A key file someone loosened (0644) is the journal open to
                // every account here: it is made 0600 again, and so is its
                // directory, before the key is used.
                crate::private::tighten_file(&f).map_err(io_err)?;
                if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    crate::private::tighten(dir).map_err(io_err)?;
                }
                f.take(1024).read_to_string(&mut text).map_err(io_err)?
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(KeyError::Missing {
                    path: self.path.display().to_string(),
                });
            }
            Err(e) => return Err(io_err(e)),
        };
        let mut lines = text.lines();
        if lines.next() != Some(KEY_FILE_HEADER) {
            return Err(unreadable(
                "to nie jest plik klucza dziennika",
                "not a journal key file",
            ));
        }
        let hex_key = lines
            .next()
            .ok_or_else(|| unreadable("brak klucza po nagłówku", "no key after the header"))?
            .trim();
        let not_hex = || {
            unreadable(
                "klucz nie jest zapisem 64 cyfr szesnastkowych",
                "the key is not 64 hex digits",
            )
        };
        let bytes = unhex(hex_key).ok_or_else(not_hex)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| not_hex())?;
        Ok(JournalKey(key))
    }

    /// Creates a new key with its recovery code, writes the key file (its
    /// directory 0700, the file 0600, never over an existing one) and keeps
    /// the code beside it, 0600, until [`KeyFile::take_recovery_code`]
    /// shows it. Two processes creating it at once end with one key: the
    /// second reads the first one's.
    pub fn create(&self) -> Result<JournalKey, KeyError> {
        let code = RecoveryCode::generate();
        let key = JournalKey::from_recovery_code(&code);
        match self.write_new(&key) {
            Ok(()) => {}
            Err(KeyError::Io { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists => {
                return self.load();
            }
            Err(e) => return Err(e),
        }
        let code_path = self.code_path();
        let mut f = private::file_options()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&code_path)
            .map_err(self.io(&code_path))?;
        writeln!(f, "{code}")
            .and_then(|()| f.sync_all())
            .map_err(self.io(&code_path))?;
        Ok(key)
    }

    /// Writes the key a recovery code stands for, replacing a damaged key
    /// file. The caller checks first that the key opens the journal.
    pub fn restore(&self, code: &RecoveryCode) -> Result<JournalKey, KeyError> {
        let key = JournalKey::from_recovery_code(code);
        let tmp = {
            let mut name = self.path.as_os_str().to_owned();
            name.push(".new");
            PathBuf::from(name)
        };
        let _ = std::fs::remove_file(&tmp);
        KeyFile::new(&tmp).write_new(&key)?;
        std::fs::rename(&tmp, &self.path).map_err(self.io(&self.path))?;
        Ok(key)
    }

    fn write_new(&self, key: &JournalKey) -> Result<(), KeyError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            private::private_dir(dir).map_err(self.io(dir))?;
        }
        // Written whole under a name of its own, then linked into place: a
        // process reading the key file never sees it half written, and a
        // link, unlike a rename, fails when another process got there first.
        let mut tmp = self.path.as_os_str().to_owned();
        tmp.push(format!(".{}.tmp", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let _ = std::fs::remove_file(&tmp);
        let written = private::file_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| {
                writeln!(f, "{KEY_FILE_HEADER}\n{}", hex(&key.0))?;
                f.sync_all()
            })
            .and_then(|()| std::fs::hard_link(&tmp, &self.path));
        let _ = std::fs::remove_file(&tmp);
        written.map_err(self.io(&self.path))?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::cipher::sync_dir(dir);
        }
        Ok(())
    }

    /// The recovery code of a key created on this machine, once: it is
    /// overwritten and removed as it is read, so a later copy of the
    /// account's files does not hold it.
    pub fn take_recovery_code(&self) -> Result<RecoveryCode, KeyError> {
        let code_path = self.code_path();
        let text = match std::fs::read_to_string(&code_path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(KeyError::CodeAlreadyShown);
            }
            Err(e) => return Err(self.io(&code_path)(e)),
        };
        let code = RecoveryCode::parse(text.trim())?;
        crate::cipher::shred(&code_path).map_err(self.io(&code_path))?;
        Ok(code)
    }

    /// Whether the recovery code is still waiting to be shown.
    pub fn recovery_code_pending(&self) -> bool {
        self.code_path().exists()
    }
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let mut bits: u32 = 0;
    let mut nbits = 0u32;
    for &b in bytes {
        bits = (bits << 8) | u32::from(b);
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            out.push(char::from(ALPHABET[((bits >> nbits) & 31) as usize]));
        }
        bits &= (1 << nbits) - 1;
    }
    if nbits > 0 {
        out.push(char::from(ALPHABET[((bits << (5 - nbits)) & 31) as usize]));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_as_typed_loosely() {
        let code = RecoveryCode::generate();
        let shown = code.to_string();
        assert_eq!(shown.len(), 24 + 5);
        assert_eq!(RecoveryCode::parse(&shown).unwrap(), code);
        let typed = shown.to_lowercase().replace('-', " ").replace('o', "0");
        assert_eq!(RecoveryCode::parse(&typed).unwrap(), code);
        assert!(RecoveryCode::parse(&shown[..20]).is_err());
        assert!(RecoveryCode::parse("ABCD-EFGH-IJKL-MNOP-QRST-UVW9").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_loosened_key_file_is_made_owner_only_again_before_use() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::new(dir.path().join("keys/journal.key"));
        let key = file.create().unwrap();
        let keys = dir.path().join("keys");
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(file.load().unwrap(), key);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(file.path()), 0o600);
        assert_eq!(mode(&keys), 0o700);
    }

    #[test]
    fn the_key_file_holds_the_key_and_the_code_is_shown_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::new(dir.path().join("keys/journal.key"));
        assert!(matches!(file.load(), Err(KeyError::Missing { .. })));
        let key = file.create().unwrap();
        assert_eq!(file.load().unwrap(), key);
        let code = file.take_recovery_code().unwrap();
        assert!(matches!(
            file.take_recovery_code(),
            Err(KeyError::CodeAlreadyShown)
        ));
        assert_eq!(JournalKey::from_recovery_code(&code), key);
        std::fs::remove_file(file.path()).unwrap();
        assert_eq!(file.restore(&code).unwrap(), key);
        assert_eq!(file.load().unwrap(), key);
        assert!(!format!("{key:?}{code:?}").contains(&code.to_string()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(file.path()), 0o600);
            assert_eq!(mode(file.path().parent().unwrap()), 0o700);
        }
        std::fs::write(file.path(), "something else\n").unwrap();
        assert!(matches!(file.load(), Err(KeyError::Unreadable { .. })));
        // Why, in each half in its own language.
        std::fs::write(file.path(), format!("{KEY_FILE_HEADER}\nzz\n")).unwrap();
        let text = file.load().unwrap_err().to_string();
        let (pl, en) = text.split_once(" / ").unwrap();
        assert!(
            pl.contains("64 cyfr szesnastkowych") && !pl.contains("hex digits"),
            "{pl}"
        );
        assert!(en.contains("the key is not 64 hex digits"), "{en}");
    }
}
