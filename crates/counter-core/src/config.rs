//! Where the app and counterctl find their office, workstation, register and
//! data directory, and the office's offline policy.
//!
//! Each setting comes from, in order: the command-line flag, the environment
//! variable, `config.toml` in the data directory, and otherwise the demo
//! office, clearly labelled, so a newcomer can try everything at once.
//!
//! `config.toml` is outside input: a value that is present but unreadable
//! (a string for a number, `-1`, `1e30`, a key misspelt) is an error naming
//! the file, never a silent default, and every number of the policy is
//! range-checked against [`POLICY_LIMITS`] when the file is loaded, so no
//! later multiplication into seconds or days can overflow.

use crate::logs::{LOG_LIMITS, LogSettings};
use crate::policy::Policy;
use passport_journal::Identity;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest `config.toml` read (a few hundred bytes is usual). A larger
/// file, or `/dev/zero` linked in its place, is refused, not read to the end.
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// The allowed range of one number in `[policy]`, inclusive.
#[derive(Debug, Clone, Copy)]
pub struct PolicyLimit {
    /// The key under `[policy]`.
    pub name: &'static str,
    pub min: u32,
    pub max: u32,
    /// Where to find the value in a [`Policy`].
    pub get: fn(&Policy) -> u32,
}

const fn limit(name: &'static str, min: u32, max: u32, get: fn(&Policy) -> u32) -> PolicyLimit {
    PolicyLimit {
        name,
        min,
        max,
        get,
    }
}

/// Every number in `[policy]` and its range. The limits are what an office
/// could sensibly want, not what the types can hold: a cap of zero would
/// stop all intake, an auto-lock of days is no lock.
pub const POLICY_LIMITS: &[PolicyLimit] = &[
    limit("max_pending", 1, 100_000, |p| p.max_pending),
    limit("max_pending_age_hours", 1, 720, |p| p.max_pending_age_hours),
    limit("ready_list_max_age_hours", 1, 720, |p| {
        p.ready_list_max_age_hours
    }),
    limit("auto_lock_minutes", 1, 240, |p| p.auto_lock_minutes),
    // 0: no offline log-in at all.
    limit("offline_login_days", 0, 90, |p| p.offline_login_days),
    limit("health_probe_secs", 1, 3600, |p| p.health_probe_secs),
    // The same maximum as `counterctl sync --recovery-window`.
    limit("recovery_window_secs", 0, 3600, |p| p.recovery_window_secs),
    // At least a minute (a register asking for less is obeyed anyway), at
    // most a day.
    limit("max_retry_after_secs", 60, 86_400, |p| {
        p.max_retry_after_secs
    }),
    // Long enough for a register under load, short enough that a clerk is
    // not left staring: after it the screen follows the answer live.
    limit("handover_wait_secs", 1, 30, |p| p.handover_wait_secs),
];

/// The longest scanner prefix or suffix, in characters.
pub const MAX_SCANNER_AFFIX_CHARS: usize = 16;

/// `config.toml` in the data directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub office: Option<String>,
    pub workstation: Option<String>,
    /// `register = "https://…"`, or a `[register]` table with `url`,
    /// `ca_file` and `identity_dir` (see [`RegisterFile`]).
    pub register: Option<RegisterFile>,
    pub clerk: Option<String>,
    /// The printer for receipts and protocols (the system default when absent).
    pub printer: Option<String>,
    /// The directory of trusted CSCA certificates (DER or PEM) for the chip
    /// check; `<data dir>/csca` when absent.
    pub csca_dir: Option<String>,
    /// Offline caps, hand-over policy, auto-lock, scanner (safe defaults).
    #[serde(default)]
    pub policy: Policy,
    /// The counter's own logs: level, file size and count (see `logs`).
    #[serde(default)]
    pub logs: LogSettings,
    /// Where the journal's encryption key is kept (see `keys`).
    #[serde(default)]
    pub security: SecuritySettings,
    /// How long acknowledged personal data are kept here (see `retention`).
    #[serde(default)]
    pub retention: crate::retention::RetentionSettings,
    /// Fingerprint devices (MOSIP MDS): ports, quality, trust store (see `biometrics`).
    #[serde(default)]
    pub biometrics: crate::biometrics::BiometricsSettings,
    /// The photo's flatbed scanner (SANE): resolution and area (see `scanner`).
    #[serde(default)]
    pub scanner: crate::scanner::ScannerSettings,
}

/// `[security]` in `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    /// `file` (the default: a key file readable only by the account, kept
    /// outside the data directory) or `keyring` (the system's key store;
    /// not available in this release, refused with a message).
    #[serde(default)]
    pub key_store: KeyStore,
    /// The key file, when not the default one under the account's
    /// configuration directory (see [`Resolved::key_file`]). Never inside
    /// the data directory.
    pub key_file: Option<String>,
}

/// `register` in `config.toml`: the URL alone (as before), or a table:
///
/// ```toml
/// [register]
/// url = "https://rejestr.example/"
/// ca_file = "/etc/passport-counter/register-ca.pem"   # the register's CA, pinned
/// identity_dir = "/var/lib/passport-counter/register-identity"  # optional
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    pub url: Option<String>,
    /// The register's CA certificate (PEM): the only one trusted for the
    /// register (no system roots).
    pub ca_file: Option<String>,
    /// Where this workstation's key and certificate are kept;
    /// `<data dir>/register-identity` when absent.
    pub identity_dir: Option<String>,
}

/// The table form of [`RegisterFile`], read strictly.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterTable {
    url: Option<String>,
    ca_file: Option<String>,
    identity_dir: Option<String>,
}

impl<'de> Deserialize<'de> for RegisterFile {
    /// A string is the URL; a table is read with its own field names, so a
    /// misspelt key is named in the error (an untagged enum would only say
    /// "no variant matched").
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RegisterFile;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "the register's URL, or a [register] table (url, ca_file, identity_dir)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RegisterFile, E> {
                Ok(RegisterFile {
                    url: Some(v.to_owned()),
                    ..RegisterFile::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RegisterFile, A::Error> {
                let t =
                    RegisterTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RegisterFile {
                    url: t.url,
                    ca_file: t.ca_file,
                    identity_dir: t.identity_dir,
                })
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Where the journal key is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStore {
    #[default]
    File,
    Keyring,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Flag,
    Environment,
    ConfigFile,
    Default,
}

#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    pub value: Option<String>,
    pub source: Source,
}

fn pick(
    flag: Option<&str>,
    env: Option<&str>,
    file: Option<&str>,
    default: Option<&str>,
) -> Setting {
    let (value, source) = if let Some(v) = flag {
        (Some(v), Source::Flag)
    } else if let Some(v) = env {
        (Some(v), Source::Environment)
    } else if let Some(v) = file {
        (Some(v), Source::ConfigFile)
    } else {
        (default, Source::Default)
    };
    Setting {
        value: value.map(str::to_owned),
        source,
    }
}

/// The settings in force for this run.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
    pub demo: bool,
    pub office: Setting,
    pub workstation: Setting,
    pub clerk: Setting,
    pub register: Setting,
    /// `[register] ca_file`: the register's CA, pinned.
    pub register_ca_file: Setting,
    /// `[register] identity_dir`: this workstation's key and certificate.
    pub register_identity_dir: Setting,
    pub printer: Setting,
    pub csca_dir: Setting,
    pub policy: Policy,
    pub logs: LogSettings,
    pub security: SecuritySettings,
    pub retention: crate::retention::RetentionSettings,
    /// `[biometrics]`: fingerprint devices (see `biometrics`).
    pub biometrics: crate::biometrics::BiometricsSettings,
    /// `[scanner]`: the photo's flatbed scanner (see `scanner`).
    pub scanner: crate::scanner::ScannerSettings,
    /// The journal's key file (see [`Resolved::key_file`]).
    pub key_file: Setting,
}

/// What the command-line flags say.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub office: Option<String>,
    pub workstation: Option<String>,
    pub clerk: Option<String>,
    pub register: Option<String>,
}

/// The environment variable for a setting.
pub fn env_var(name: &str) -> String {
    format!("PASSPORT_COUNTER_{}", name.to_uppercase())
}

fn from_env(name: &str) -> Option<String> {
    std::env::var(env_var(name))
        .ok()
        .filter(|v| !v.trim().is_empty())
}

pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("pl", "Passport Counter", "passport-counter")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("passport-counter-data"))
}

/// The default key file of the journal in `data_dir`: under the account's
/// configuration directory, named after a hash of the data directory's
/// absolute path, so two data directories (a real one, a test's) never
/// share a key file and nothing in the name says whose journal it opens.
fn default_key_file(data_dir: &Path, demo: bool) -> String {
    use sha2::{Digest, Sha256};
    let absolute = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = Sha256::digest(absolute.as_os_str().as_encoded_bytes());
    let id: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{}-{id}.key", if demo { "demo" } else { "journal" });
    directories::ProjectDirs::from("pl", "Passport Counter", "passport-counter")
        .map(|d| d.config_dir().join("journal-keys").join(&name))
        .unwrap_or_else(|| PathBuf::from("passport-counter-keys").join(&name))
        .to_string_lossy()
        .into_owned()
}

impl Resolved {
    /// The register client's settings for `url` under this office's
    /// policy: one place, for the app and every `counterctl` command.
    pub fn client_config(&self, url: impl Into<String>) -> passport_register_client::ClientConfig {
        let url = url.into();
        // TLS settings for an https register (the demo's http://127.0.0.1
        // has none); the CA pinned when configured.
        let tls = url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            .then(|| passport_register_client::TlsSettings {
                ca_file: self.register_ca_file.value.as_deref().map(PathBuf::from),
                identity_dir: Some(self.register_identity_dir()),
            });
        let mut c = passport_register_client::ClientConfig::new(url);
        c.tls = tls;
        c.max_retry_after =
            std::time::Duration::from_secs(u64::from(self.policy.max_retry_after_secs));
        c
    }

    pub fn load(o: &Overrides) -> Result<Self, ConfigError> {
        let data_dir = o
            .data_dir
            .clone()
            .or_else(|| from_env("data").map(PathBuf::from))
            .unwrap_or_else(default_data_dir);
        let config_file = data_dir.join("config.toml");
        let file = read_file_config(&config_file)?;
        let office = pick(
            o.office.as_deref(),
            from_env("office").as_deref(),
            file.office.as_deref(),
            None,
        );
        let workstation = pick(
            o.workstation.as_deref(),
            from_env("workstation").as_deref(),
            file.workstation.as_deref(),
            None,
        );
        let demo = office.value.is_none() && workstation.value.is_none();
        let (office, workstation) = if demo {
            let d = Identity::demo();
            (
                pick(None, None, None, Some(&d.office_code)),
                pick(None, None, None, Some(&d.workstation_id)),
            )
        } else {
            (office, workstation)
        };
        let clerk = pick(
            o.clerk.as_deref(),
            from_env("clerk").as_deref(),
            file.clerk.as_deref(),
            demo.then_some("demo-clerk"),
        );
        let register = pick(
            o.register.as_deref(),
            from_env("register").as_deref(),
            file.register.as_ref().and_then(|r| r.url.as_deref()),
            None,
        );
        // Outside the demo a register is reached over TLS only: over http
        // the clerks' passwords and the applicants' data would travel in
        // clear. The demo's embedded simulator (and tests, which run as the
        // demo office) may use http on 127.0.0.1.
        if !demo
            && let Some(url) = &register.value
            && url
                .trim_start()
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        {
            return Err(ConfigError::PlainHttpRegister {
                from: register.source,
            });
        }
        let register_ca_file = pick(
            None,
            from_env("register_ca_file").as_deref(),
            file.register.as_ref().and_then(|r| r.ca_file.as_deref()),
            None,
        );
        let default_identity = data_dir
            .join("register-identity")
            .to_string_lossy()
            .into_owned();
        let register_identity_dir = pick(
            None,
            from_env("register_identity_dir").as_deref(),
            file.register
                .as_ref()
                .and_then(|r| r.identity_dir.as_deref()),
            Some(&default_identity),
        );
        let printer = pick(
            None,
            from_env("printer").as_deref(),
            file.printer.as_deref(),
            None,
        );
        let default_key = default_key_file(&data_dir, demo);
        let key_file = pick(
            None,
            from_env("key_file").as_deref(),
            file.security.key_file.as_deref(),
            Some(&default_key),
        );
        let default_csca = data_dir.join("csca").to_string_lossy().into_owned();
        let csca_dir = pick(
            None,
            from_env("csca").as_deref(),
            file.csca_dir.as_deref(),
            Some(&default_csca),
        );
        Ok(Self {
            data_dir,
            config_file,
            demo,
            office,
            workstation,
            clerk,
            register,
            register_ca_file,
            register_identity_dir,
            printer,
            csca_dir,
            policy: file.policy,
            logs: file.logs,
            key_file,
            security: file.security,
            retention: file.retention,
            biometrics: file.biometrics,
            scanner: file.scanner,
        })
    }

    /// The journal's key file: `PASSPORT_COUNTER_KEY_FILE`, else
    /// `[security] key_file`, else one per data directory under the
    /// account's configuration directory
    /// (`$XDG_CONFIG_HOME/passport-counter/journal-keys/` on Linux,
    /// `%APPDATA%\Passport Counter\passport-counter\config\journal-keys\` on
    /// Windows): never beside the database, so a copy of the data directory
    /// holds no key.
    pub fn key_file(&self) -> PathBuf {
        self.key_file
            .value
            .as_deref()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(default_key_file(&self.data_dir, self.demo)))
    }

    /// Where this workstation's key and certificate for the register are
    /// kept (`[register] identity_dir`, else `<data dir>/register-identity`).
    pub fn register_identity_dir(&self) -> PathBuf {
        self.register_identity_dir
            .value
            .as_deref()
            .map(PathBuf::from)
            .unwrap_or_else(|| self.data_dir.join("register-identity"))
    }

    /// The journal database: demo data never shares a file with real data.
    pub fn journal_path(&self) -> PathBuf {
        self.data_dir
            .join(if self.demo { "demo.db" } else { "journal.db" })
    }

    pub fn identity(&self) -> Result<Identity, ConfigError> {
        let office = self
            .office
            .value
            .clone()
            .ok_or(ConfigError::Missing("office"))?;
        let workstation = self
            .workstation
            .value
            .clone()
            .ok_or(ConfigError::Missing("workstation"))?;
        if !passport_domain::number::valid_office(&office) {
            return Err(ConfigError::Invalid(
                "office",
                "2 to 8 capital letters or digits",
            ));
        }
        if !passport_domain::number::valid_workstation(&workstation) {
            return Err(ConfigError::Invalid(
                "workstation",
                "1 to 4 capital letters or digits",
            ));
        }
        Ok(Identity {
            office_code: office,
            workstation_id: workstation,
            demo: self.demo,
        })
    }

    pub fn clerk(&self) -> Result<String, ConfigError> {
        self.clerk
            .value
            .clone()
            .filter(|c| !c.trim().is_empty())
            .ok_or(ConfigError::Missing("clerk"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no {0} is configured: pass --{0}, set PASSPORT_COUNTER_{upper}, or add `{0} = \"…\"` to config.toml",
        upper = .0.to_uppercase()
    )]
    Missing(&'static str),
    #[error("the {0} is not valid: it must be {1}")]
    Invalid(&'static str, &'static str),
    #[error("{path} is not a valid configuration file: {source}")]
    File {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: `{setting} = {value}` is out of range: it must be {min} to {max}")]
    OutOfRange {
        path: String,
        setting: String,
        value: String,
        min: u32,
        max: u32,
    },
    #[error("{path}: `{setting}` is too long: at most {max} characters")]
    TooLong {
        path: String,
        setting: String,
        max: usize,
    },
    #[error(
        "`[security] key_store = \"keyring\"` nie jest dostępne w tym wydaniu: użyj \"file\" / \
         `[security] key_store = \"keyring\"` is not available in this release: the kernel \
         keyring does not survive a reboot (queued actions would be lost with the key) and the \
         Secret Service needs a desktop session; use \"file\" (the default)"
    )]
    KeyringUnavailable,
    #[error("{path} is not a regular file or is larger than {max} bytes")]
    NotAConfigFile { path: String, max: u64 },
    #[error(
        "ustawienie `register` ({}) wskazuje adres http://: poza trybem demonstracyjnym rejestr \
         jest dostępny tylko przez https:// (hasła i dane osobowe nie mogą iść jawnym tekstem) / \
         the `register` setting ({}) is an http:// URL: outside demo mode the register is reached \
         over https:// only (passwords and personal data must not travel in clear); set it to \
         the register's https:// URL and its CA in `[register] ca_file`",
        source_pl(*.from),
        source_en(*.from)
    )]
    PlainHttpRegister { from: Source },
    /// A `[scanner]` number out of its range (see `scanner::SCANNER_LIMITS`).
    #[error(
        "{path}: `{setting} = {value}` jest poza zakresem: musi wynosić od {min} do {max} {unit} / \
         {path}: `{setting} = {value}` is out of range: it must be {min} to {max} {unit}"
    )]
    ScannerOutOfRange {
        path: String,
        setting: String,
        value: u32,
        min: u32,
        max: u32,
        unit: &'static str,
    },
    /// `[scanner]`'s resolution and area together make a scan larger than
    /// the core decodes.
    #[error(
        "{path}: `scanner.resolution_dpi = {dpi}` na obszarze {width_mm}×{height_mm} mm \
         (`scanner.area_width_mm`, `scanner.area_height_mm`) to skan {pixels} pikseli, a skan \
         może mieć najwyżej {max}: zmniejsz rozdzielczość albo obszar / \
         {path}: `scanner.resolution_dpi = {dpi}` over {width_mm}×{height_mm} mm \
         (`scanner.area_width_mm`, `scanner.area_height_mm`) is a scan of {pixels} pixels, and a \
         scan may have at most {max}: lower the resolution or the area"
    )]
    ScanTooLarge {
        path: String,
        dpi: u32,
        width_mm: u32,
        height_mm: u32,
        pixels: u64,
        max: u64,
    },
}

/// Where a setting came from, said in Polish.
fn source_pl(s: Source) -> &'static str {
    match s {
        Source::Flag => "opcja --register",
        Source::Environment => "zmienna PASSPORT_COUNTER_REGISTER",
        Source::ConfigFile => "config.toml",
        Source::Default => "domyślne",
    }
}

/// Where a setting came from, said in English.
fn source_en(s: Source) -> &'static str {
    match s {
        Source::Flag => "--register",
        Source::Environment => "PASSPORT_COUNTER_REGISTER",
        Source::ConfigFile => "config.toml",
        Source::Default => "default",
    }
}

fn read_file_config(path: &Path) -> Result<FileConfig, ConfigError> {
    let read_err = |source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    };
    let refused = || ConfigError::NotAConfigFile {
        path: path.display().to_string(),
        max: MAX_CONFIG_BYTES,
    };
    // Only a regular file, checked before opening: opening a FIFO blocks
    // until someone writes to it, and a device such as /dev/zero never ends.
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(refused()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => return Err(read_err(e)),
    }
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_CONFIG_BYTES {
        return Err(refused());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        read_err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text: {e}"),
        ))
    })?;
    parse_file_config(&text, path)
}

/// Reads the text of a `config.toml` (`path` only names it in errors) and
/// checks every number against [`POLICY_LIMITS`].
pub fn parse_file_config(text: &str, path: &Path) -> Result<FileConfig, ConfigError> {
    let config: FileConfig = toml::from_str(text).map_err(|e| ConfigError::File {
        path: path.display().to_string(),
        source: Box::new(e),
    })?;
    check_policy(&config.policy, path)?;
    check_logs(&config.logs, path)?;
    check_retention(&config.retention, path)?;
    crate::biometrics::check_settings(&config.biometrics, path)?;
    crate::scanner::check_settings(&config.scanner, path)?;
    Ok(config)
}

fn check_logs(logs: &LogSettings, path: &Path) -> Result<(), ConfigError> {
    for (name, min, max, get) in LOG_LIMITS {
        let value = get(logs);
        if !(*min..=*max).contains(&value) {
            return Err(ConfigError::OutOfRange {
                path: path.display().to_string(),
                setting: format!("logs.{name}"),
                value: value.to_string(),
                min: *min,
                max: *max,
            });
        }
    }
    Ok(())
}

fn check_retention(
    retention: &crate::retention::RetentionSettings,
    path: &Path,
) -> Result<(), ConfigError> {
    let (min, max) = crate::retention::RETENTION_DAYS;
    if (min..=max).contains(&retention.days) {
        return Ok(());
    }
    Err(ConfigError::OutOfRange {
        path: path.display().to_string(),
        setting: "retention.days".into(),
        value: retention.days.to_string(),
        min,
        max,
    })
}

fn check_policy(policy: &Policy, path: &Path) -> Result<(), ConfigError> {
    for l in POLICY_LIMITS {
        let value = (l.get)(policy);
        if !(l.min..=l.max).contains(&value) {
            return Err(ConfigError::OutOfRange {
                path: path.display().to_string(),
                setting: format!("policy.{}", l.name),
                value: value.to_string(),
                min: l.min,
                max: l.max,
            });
        }
    }
    for (name, value) in [
        ("scanner_prefix", &policy.scanner_prefix),
        ("scanner_suffix", &policy.scanner_suffix),
    ] {
        if value.chars().count() > MAX_SCANNER_AFFIX_CHARS {
            return Err(ConfigError::TooLong {
                path: path.display().to_string(),
                setting: format!("policy.{name}"),
                max: MAX_SCANNER_AFFIX_CHARS,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // test code

    use super::*;

    fn parse(text: &str) -> Result<FileConfig, ConfigError> {
        parse_file_config(text, Path::new("/etc/counter/config.toml"))
    }

    #[test]
    fn the_defaults_and_the_limits_edges_are_in_range() {
        assert!(check_policy(&Policy::default(), Path::new("x")).is_ok());
        let c = parse(
            "office = \"WAW1\"\n[policy]\nmax_pending = 1\nauto_lock_minutes = 240\n\
             health_probe_secs = 1\nrecovery_window_secs = 0\noffline_login_days = 0\n",
        )
        .unwrap();
        assert_eq!(c.policy.max_pending, 1);
        assert_eq!(c.policy.recovery_window_secs, 0);
    }

    /// Office IT sets how long a register's Retry-After may park this
    /// counter; out of range is refused by name.
    #[test]
    fn the_retry_after_cap_comes_from_the_policy() {
        let c = parse("[policy]\nmax_retry_after_secs = 120\n").unwrap();
        assert_eq!(c.policy.max_retry_after_secs, 120);
        let err = parse("[policy]\nmax_retry_after_secs = 9999999\n").unwrap_err();
        assert!(err.to_string().contains("max_retry_after_secs"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "[policy]\nmax_retry_after_secs = 120\n",
        )
        .unwrap();
        let r = Resolved::load(&Overrides {
            data_dir: Some(dir.path().to_path_buf()),
            ..Overrides::default()
        })
        .unwrap();
        assert_eq!(
            r.client_config("http://127.0.0.1:1").max_retry_after,
            std::time::Duration::from_secs(120)
        );
    }

    /// A number added to the policy without a range fails here.
    #[test]
    fn every_number_of_the_policy_has_a_range() {
        let v = serde_json::to_value(Policy::default()).unwrap();
        let mut numbers: Vec<&str> = v
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v.is_number())
            .map(|(k, _)| k.as_str())
            .collect();
        let mut limited: Vec<&str> = POLICY_LIMITS.iter().map(|l| l.name).collect();
        numbers.sort_unstable();
        limited.sort_unstable();
        assert_eq!(numbers, limited);
    }

    /// Before: every u32 was taken as it stood (`auto_lock_minutes =
    /// 4294967295` then overflowed into seconds; `max_pending = 0` stopped
    /// all intake).
    #[test]
    fn an_out_of_range_number_names_the_setting_the_file_and_the_range() {
        for (line, setting) in [
            ("max_pending = 0", "policy.max_pending"),
            ("max_pending = 4294967295", "policy.max_pending"),
            ("auto_lock_minutes = 4294967295", "policy.auto_lock_minutes"),
            ("auto_lock_minutes = 0", "policy.auto_lock_minutes"),
            ("health_probe_secs = 0", "policy.health_probe_secs"),
            ("recovery_window_secs = 3601", "policy.recovery_window_secs"),
            (
                "ready_list_max_age_hours = 100000",
                "policy.ready_list_max_age_hours",
            ),
            ("offline_login_days = 365", "policy.offline_login_days"),
            ("max_pending_age_hours = 0", "policy.max_pending_age_hours"),
        ] {
            let err = parse(&format!("[policy]\n{line}\n")).unwrap_err();
            let msg = err.to_string();
            assert!(
                matches!(err, ConfigError::OutOfRange { .. }),
                "{line}: {msg}"
            );
            assert!(msg.contains(setting), "{msg}");
            assert!(msg.contains("/etc/counter/config.toml"), "{msg}");
            assert!(msg.contains(" to "), "{msg}");
        }
        let err = parse("[policy]\nscanner_prefix = \"01234567890123456789\"\n").unwrap_err();
        assert!(err.to_string().contains("policy.scanner_prefix"), "{err}");
    }

    /// `[retention] days`: 90 when absent, 1–3650, a typo refused.
    #[test]
    fn the_retention_is_range_checked() {
        assert_eq!(parse("").unwrap().retention.days, 90);
        assert_eq!(
            parse("[retention]\ndays = 30\n").unwrap().retention.days,
            30
        );
        for text in ["[retention]\ndays = 0\n", "[retention]\ndays = 3651\n"] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains("retention.days"), "{e}");
        }
        for text in [
            "[retention]\ndays = -1\n",
            "[retention]\ndayz = 30\n",
            "[retention]\ndays = \"30\"\n",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    /// `[logs]`: the level by name, the sizes in range, a typo refused.
    #[test]
    fn the_logs_section_is_checked_like_the_policy() {
        let c = parse("[logs]\nlevel = \"trace\"\nmax_files = 3\n").unwrap();
        assert_eq!(c.logs.level, crate::logs::LogLevel::Trace);
        assert_eq!(c.logs.max_files, 3);
        assert_eq!(c.logs.max_file_kib, 10 * 1024);
        assert_eq!(parse("").unwrap().logs, LogSettings::default());
        for (text, setting) in [
            ("[logs]\nmax_files = 0\n", "logs.max_files"),
            ("[logs]\nmax_files = 1000\n", "logs.max_files"),
            ("[logs]\nmax_file_kib = 1\n", "logs.max_file_kib"),
            ("[logs]\nmax_file_kib = 4294967295\n", "logs.max_file_kib"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(
                matches!(err, ConfigError::OutOfRange { .. }),
                "{text}: {err}"
            );
            assert!(err.to_string().contains(setting), "{err}");
        }
        for text in [
            "[logs]\nlevel = \"verbose\"\n",
            "[logs]\nlevel = \"INFO\"\n",
            "[logs]\nlevl = \"info\"\n",
            "[logs]\nmax_files = -1\n",
        ] {
            let err = parse(text).unwrap_err();
            assert!(matches!(err, ConfigError::File { .. }), "{text}: {err}");
        }
    }

    /// A value present but unreadable is an error naming the file, not the default.
    #[test]
    fn an_unreadable_value_is_a_loud_error() {
        for text in [
            "[policy]\nmax_pending = -1\n",
            "[policy]\nmax_pending = 1e30\n",
            "[policy]\nmax_pending = \"300\"\n",
            "[policy]\nmax_pending = 99999999999999999999\n",
            "[policy]\nmax_pendin = 3\n",
            "[policy]\nhealth_probe_secs = nan\n",
            "office = 5\n",
            "office = \"WAW1\"\noffice = \"KRK2\"\n",
            "[policy\n",
        ] {
            let err = parse(text).unwrap_err();
            assert!(matches!(err, ConfigError::File { .. }), "{text}: {err}");
            assert!(
                err.to_string().contains("/etc/counter/config.toml"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_directory_a_device_a_huge_file_and_bad_utf8_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; 100_000]).unwrap();
        let err = read_file_config(&big).unwrap_err();
        assert!(err.to_string().contains("big.toml"), "{err}");
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, [0xff, 0xfe, b'=']).unwrap();
        let err = read_file_config(&bad).unwrap_err();
        assert!(err.to_string().contains("bad.toml"), "{err}");
        let err = read_file_config(dir.path()).unwrap_err();
        assert!(matches!(err, ConfigError::NotAConfigFile { .. }), "{err}");
        let err = read_file_config(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(err, ConfigError::NotAConfigFile { .. }), "{err}");
        assert!(read_file_config(&dir.path().join("absent.toml")).is_ok());
    }

    /// A small deterministic generator (xorshift): counter-core has no
    /// proptest dependency, and throwing mutated text at a parser needs none.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
        }
    }

    /// No text, however broken, makes loading panic; whatever loads is in range.
    #[test]
    fn arbitrary_text_never_panics() {
        let base = "office = \"WAW1\"\nworkstation = \"03\"\n[policy]\nmax_pending = 300\n\
                    auto_lock_minutes = 10\nhealth_probe_secs = 15\nscanner_prefix = \"]C0\"\n";
        let pieces = [
            "0",
            "-1",
            "1e30",
            "inf",
            "nan",
            "4294967295",
            "18446744073709551616",
            "\"",
            "'",
            "[",
            "]",
            "=",
            "\n",
            "[policy]",
            "max_pending",
            "offline_login_days = ",
            "1979-05-27",
            "{}",
            "\\u0000",
            "\u{202e}",
            "#",
            ".",
            "[[policy]]",
            "true",
        ];
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5000 {
            let mut text: Vec<char> = base.chars().collect();
            for _ in 0..=g.below(6) {
                let at = g.below(text.len() + 1);
                match g.below(3) {
                    0 => {
                        let p = pieces[g.below(pieces.len())];
                        text.splice(at..at, p.chars());
                    }
                    1 if at < text.len() => {
                        let end = (at + g.below(8)).min(text.len());
                        text.drain(at..end);
                    }
                    _ => {
                        let c = u32::try_from(g.next() % 0x11_0000)
                            .ok()
                            .and_then(char::from_u32)
                            .unwrap_or('?');
                        text.insert(at, c);
                    }
                }
            }
            let text: String = text.into_iter().collect();
            if let Ok(c) = parse(&text) {
                assert!(check_policy(&c.policy, Path::new("x")).is_ok(), "{text}");
            }
        }
        for _ in 0..2000 {
            let len = g.below(200);
            let bytes: Vec<u8> = (0..len).map(|_| g.next().to_le_bytes()[0]).collect();
            let _ = parse(&String::from_utf8_lossy(&bytes));
        }
    }
}
