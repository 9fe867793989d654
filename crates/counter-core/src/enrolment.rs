//! Enrolment: this workstation gets its own certificate for the register.
//!
//! A supervisor runs it with a one-time code office IT got from the
//! register. The key pair is made here and its private half never leaves
//! the machine: the register receives a certificate request (CSR), the
//! code and the supervisor's credentials (which it checks, as only it can:
//! before enrolment this workstation cannot ask `/v1/clerks/login`), and
//! answers with a certificate for that key. The certificate must be for
//! the key made here, and is then stored beside it, both owner-only (see
//! `docs/SECURITY.md`, "The channel to the register", for why files in the
//! identity directory and not the journal).
//!
//! `counterctl enrol` / `counterctl register certificate` call these
//! functions, and so will the app's enrolment screen (not built yet): one
//! door. A running counter reads a new certificate at its next start.

use crate::config::{ConfigError, Resolved};
use passport_journal::private;
use passport_register_client::tls::{
    self, CertificateInfo, ChannelProblem, EnrolmentRequest, IDENTITY_CERT_FILE, IDENTITY_KEY_FILE,
};
use passport_register_client::{CallError, FailureKind, RegisterClient};
use std::io::Write;
use std::path::Path;

/// The longest enrolment code, supervisor id or password accepted.
const MAX_FIELD_CHARS: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum EnrolmentError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error(
        "kod rejestracji jest pusty lub ma niedozwolone znaki / the enrolment code is empty or \
         has characters a code does not have (letters, digits and dashes only)"
    )]
    BadCode,
    #[error("{field}: at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error(
        "rejestr odrzucił kod rejestracji (błędny albo już użyty) / the register refused the \
         enrolment code (wrong, or already used): ask office IT for a new one"
    )]
    CodeRefused,
    #[error(
        "rejestr nie przyjął danych kierownika / the register did not accept the supervisor's \
         account and password (enrolment needs a supervisor)"
    )]
    NotSupervisor,
    #[error("the register refused the enrolment ({status} {code}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error(
        "certyfikat rejestru nie pochodzi od przypiętego urzędu certyfikacji / the register's \
         certificate is not from the pinned CA ([register] ca_file): nothing was sent"
    )]
    RegisterUntrusted,
    #[error("the register could not be reached: {0}")]
    Offline(String),
    #[error("the register's answer is not a certificate for the key made here: {0}")]
    BadAnswer(String),
    #[error("{0}")]
    Tls(#[from] tls::TlsError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the register client: {0}")]
    Client(String),
}

/// What a supervisor types to enrol this workstation.
#[derive(Clone)]
pub struct EnrolmentInput {
    pub code: String,
    pub supervisor_id: String,
    pub supervisor_password: String,
}

impl std::fmt::Debug for EnrolmentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolmentInput")
            .field("supervisor_id", &self.supervisor_id)
            .finish_non_exhaustive()
    }
}

fn check_len(field: &'static str, value: &str) -> Result<(), EnrolmentError> {
    if value.chars().count() > MAX_FIELD_CHARS {
        return Err(EnrolmentError::TooLong {
            field,
            max: MAX_FIELD_CHARS,
        });
    }
    Ok(())
}

/// Enrols this workstation with the configured register and stores its key
/// and certificate; returns what the certificate says.
pub async fn enrol(
    cfg: &Resolved,
    input: &EnrolmentInput,
) -> Result<CertificateInfo, EnrolmentError> {
    check_len("code", &input.code)?;
    check_len("supervisor", &input.supervisor_id)?;
    check_len("password", &input.supervisor_password)?;
    let code = input.code.trim();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(EnrolmentError::BadCode);
    }
    let identity = cfg.identity()?;
    let url = cfg
        .register
        .value
        .clone()
        .ok_or(ConfigError::Missing("register"))?;
    let mut config = cfg.client_config(url);
    // No certificate is presented to be enrolled: there may be none, or
    // one that no longer works.
    if let Some(t) = config.tls.as_mut() {
        t.identity_dir = None;
    }
    let client = RegisterClient::new(config).map_err(|e| EnrolmentError::Client(e.to_string()))?;
    let (key, csr_pem) = tls::new_key_and_csr(&identity.office_code, &identity.workstation_id)?;
    let answer = client
        .enrol(&EnrolmentRequest {
            code: code.to_owned(),
            supervisor_id: input.supervisor_id.trim().to_owned(),
            supervisor_password: input.supervisor_password.clone(),
            office: identity.office_code.clone(),
            workstation: identity.workstation_id.clone(),
            csr_pem,
        })
        .await
        .map_err(|e| match e {
            CallError::Rejected { status, problem } => match (status, problem.code.as_str()) {
                (403, "enrolment_code_invalid") => EnrolmentError::CodeRefused,
                (401, _) => EnrolmentError::NotSupervisor,
                _ => EnrolmentError::Refused {
                    status,
                    code: problem.code,
                    message: problem.message,
                },
            },
            CallError::Retryable {
                kind: FailureKind::Channel(ChannelProblem::RegisterUntrusted),
                ..
            } => EnrolmentError::RegisterUntrusted,
            other => EnrolmentError::Offline(other.to_string()),
        })?;
    let issued_key = tls::certificate_public_key(&answer.certificate_pem)?;
    if issued_key != key.public_key_der {
        return Err(EnrolmentError::BadAnswer(
            "its public key is another".into(),
        ));
    }
    let info = tls::certificate_info(&answer.certificate_pem, "the issued certificate")?;
    store(
        &cfg.register_identity_dir(),
        &key.pem,
        &answer.certificate_pem,
    )?;
    Ok(info)
}

/// Writes the key and the certificate, each whole and 0600 (a temporary
/// file renamed into place), in a 0700 directory: the key first, so a
/// certificate is never found without its key.
fn store(dir: &Path, key_pem: &str, cert_pem: &str) -> Result<(), EnrolmentError> {
    let err = |path: &Path| {
        let path = path.display().to_string();
        move |source| EnrolmentError::Write { path, source }
    };
    private::private_dir(dir).map_err(err(dir))?;
    for (name, text) in [(IDENTITY_KEY_FILE, key_pem), (IDENTITY_CERT_FILE, cert_pem)] {
        let path = dir.join(name);
        let tmp = dir.join(format!("{name}.new"));
        let _ = std::fs::remove_file(&tmp);
        let mut f = private::file_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(err(&tmp))?;
        f.write_all(text.as_bytes()).map_err(err(&tmp))?;
        f.sync_all().map_err(err(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(err(&path))?;
    }
    Ok(())
}

/// This workstation's certificate, when it is enrolled.
pub fn certificate(cfg: &Resolved) -> Result<Option<CertificateInfo>, EnrolmentError> {
    let Some(pem) = tls::read_pem(&cfg.register_identity_dir().join(IDENTITY_CERT_FILE))? else {
        return Ok(None);
    };
    Ok(Some(tls::certificate_info(&pem, IDENTITY_CERT_FILE)?))
}
