//! Where the app and counterctl find their office, workstation, register and
//! data directory, and the office's offline policy.
//!
//! Each setting comes from, in order: the command-line flag, the environment
//! variable, `config.toml` in the data directory, and otherwise the demo
//! office, clearly labelled, so a newcomer can try everything at once.

use crate::policy::Policy;
use passport_journal::Identity;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// `config.toml` in the data directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub office: Option<String>,
    pub workstation: Option<String>,
    pub register: Option<String>,
    pub clerk: Option<String>,
    /// The printer for receipts and protocols (the system default when absent).
    pub printer: Option<String>,
    /// The directory of trusted CSCA certificates (DER or PEM) for the chip
    /// check; `<data dir>/csca` when absent.
    pub csca_dir: Option<String>,
    /// Offline caps, hand-over policy, auto-lock, scanner (safe defaults).
    #[serde(default)]
    pub policy: Policy,
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
    pub printer: Setting,
    pub csca_dir: Setting,
    pub policy: Policy,
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

impl Resolved {
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
            file.register.as_deref(),
            None,
        );
        let printer = pick(
            None,
            from_env("printer").as_deref(),
            file.printer.as_deref(),
            None,
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
            printer,
            csca_dir,
            policy: file.policy,
        })
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
}

fn read_file_config(path: &Path) -> Result<FileConfig, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::File {
            path: path.display().to_string(),
            source: Box::new(e),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(source) => Err(ConfigError::Read {
            path: path.display().to_string(),
            source,
        }),
    }
}
