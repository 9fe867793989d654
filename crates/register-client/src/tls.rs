//! The channel to the register: TLS with the register's CA pinned, and this
//! workstation's own certificate (mutual TLS).
//!
//! - **The register is who the pinned CA says it is.** With a CA configured
//!   ([`TlsSettings::ca_file`]) only that CA is trusted: no system roots, so a
//!   certificate any public CA issued for the register's name (or one a
//!   proxy on the office network installed) is refused.
//! - **The workstation is who its certificate says it is.** Each
//!   workstation has its own key pair, made here ([`new_key_and_csr`]; the
//!   private key never leaves the machine) and a certificate the register
//!   issued at a supervisor-run enrolment. It is presented on every
//!   connection.
//! - **A broken channel is a state, not a refusal of the clerk's work.** A
//!   certificate that expired, is not valid yet, was revoked or is not
//!   trusted, a register whose certificate is not from the pinned CA, or no
//!   certificate at all: each is a [`ChannelProblem`] the status bar names,
//!   and the call is *retryable* ([`crate::FailureKind::Channel`]), so the
//!   journal keeps queuing and nothing queued is ever marked refused for it.
//!
//! The identity is two files in its directory (see the counter's
//! `docs/SECURITY.md` for why files and not the journal):
//! [`IDENTITY_KEY_FILE`] and [`IDENTITY_CERT_FILE`].

use chrono::{DateTime, Utc};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The workstation's private key (PEM, PKCS#8) in its identity directory.
pub const IDENTITY_KEY_FILE: &str = "workstation.key";
/// The workstation's certificate (PEM) in its identity directory.
pub const IDENTITY_CERT_FILE: &str = "workstation.crt";
/// The largest certificate, key or CA file read (a few KiB is usual).
pub const MAX_PEM_BYTES: u64 = 256 * 1024;

/// The `Problem.code` a register answers a `/v1` call without a client
/// certificate with (401).
pub const CLIENT_CERTIFICATE_REQUIRED: &str = "client_certificate_required";
/// The `Problem.code` of a client certificate the register does not accept
/// for this call (403).
pub const CLIENT_CERTIFICATE_REFUSED: &str = "client_certificate_refused";

/// The enrolment endpoint: outside `/v1`, the one place a workstation
/// without a certificate may call.
pub const ENROLMENT_PATH: &str = "/enrolment/v1/workstations";

/// What is wrong with the channel to the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelProblem {
    /// No certificate for this workstation (not enrolled yet), or the
    /// register asked for one.
    NotEnrolled,
    /// This workstation's certificate has expired.
    CertificateExpired,
    /// This workstation's certificate is not valid yet (or the clock is wrong).
    CertificateNotYetValid,
    /// The register revoked this workstation's certificate.
    CertificateRevoked,
    /// The register does not accept this workstation's certificate (another
    /// CA's, damaged, or refused for another reason).
    CertificateRefused,
    /// The register's certificate is not from the pinned CA (or not for its
    /// name): nothing is sent to it.
    RegisterUntrusted,
}

impl ChannelProblem {
    /// Every problem, for word tables.
    pub const ALL: [ChannelProblem; 6] = [
        Self::NotEnrolled,
        Self::CertificateExpired,
        Self::CertificateNotYetValid,
        Self::CertificateRevoked,
        Self::CertificateRefused,
        Self::RegisterUntrusted,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotEnrolled => "not_enrolled",
            Self::CertificateExpired => "certificate_expired",
            Self::CertificateNotYetValid => "certificate_not_yet_valid",
            Self::CertificateRevoked => "certificate_revoked",
            Self::CertificateRefused => "certificate_refused",
            Self::RegisterUntrusted => "register_untrusted",
        }
    }
}

/// Where the channel's trust and identity come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// The register's CA (PEM). `None`: the system's usual roots (webpki),
    /// for a register with a public certificate; the counter's
    /// configuration sets one outside the demo.
    pub ca_file: Option<PathBuf>,
    /// The directory of [`IDENTITY_KEY_FILE`] and [`IDENTITY_CERT_FILE`].
    /// Missing files: not enrolled (the register will say so). `None`:
    /// present no certificate (enrolment, which may replace one that no
    /// longer works).
    pub identity_dir: Option<PathBuf>,
}

/// A certificate and its key, as PEM.
#[derive(Clone)]
pub struct ClientIdentity {
    pub certificate_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for ClientIdentity {
    /// The key is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("certificate_pem", &self.certificate_pem)
            .field("key_pem", &"<private key>")
            .finish()
    }
}

/// What a certificate says, for people and for the validity check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// Hex, colon-separated.
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

impl CertificateInfo {
    /// Whether the certificate is valid at `now`, else why not.
    pub fn validity_at(&self, now: DateTime<Utc>) -> Result<(), ChannelProblem> {
        if now < self.not_before {
            Err(ChannelProblem::CertificateNotYetValid)
        } else if now > self.not_after {
            Err(ChannelProblem::CertificateExpired)
        } else {
            Ok(())
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a regular file or is larger than {max} bytes")]
    TooLarge { path: String, max: u64 },
    #[error("{what} is not a PEM certificate: {reason}")]
    NotACertificate { what: String, reason: String },
    #[error("{0} holds no usable private key")]
    NotAKey(String),
    #[error("the register's CA file {0} holds no certificate")]
    NoCa(String),
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("key or certificate request: {0}")]
    Rcgen(#[from] rcgen::Error),
}

/// Reads a PEM file of at most [`MAX_PEM_BYTES`]: `Ok(None)` when absent.
pub fn read_pem(path: &Path) -> Result<Option<String>, TlsError> {
    use std::io::Read;
    let read_err = |source| TlsError::Read {
        path: path.display().to_string(),
        source,
    };
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(TlsError::TooLarge {
                path: path.display().to_string(),
                max: MAX_PEM_BYTES,
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(read_err)?
        .take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_PEM_BYTES {
        return Err(TlsError::TooLarge {
            path: path.display().to_string(),
            max: MAX_PEM_BYTES,
        });
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        read_err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text: {e}"),
        ))
    })
}

/// The identity in `dir`, or `None` when either file is absent.
pub fn load_identity(dir: &Path) -> Result<Option<ClientIdentity>, TlsError> {
    let certificate = read_pem(&dir.join(IDENTITY_CERT_FILE))?;
    let key = read_pem(&dir.join(IDENTITY_KEY_FILE))?;
    Ok(match (certificate, key) {
        (Some(certificate_pem), Some(key_pem)) => Some(ClientIdentity {
            certificate_pem,
            key_pem,
        }),
        _ => None,
    })
}

/// The first certificate in `pem`, read.
pub fn certificate_info(pem: &str, what: &str) -> Result<CertificateInfo, TlsError> {
    let bad = |reason: String| TlsError::NotACertificate {
        what: what.to_owned(),
        reason,
    };
    let der = CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()
        .ok_or_else(|| bad("no CERTIFICATE block".into()))?
        .map_err(|e| bad(e.to_string()))?;
    let (_, cert) =
        x509_parser::parse_x509_certificate(der.as_ref()).map_err(|e| bad(e.to_string()))?;
    let time = |t: x509_parser::time::ASN1Time| {
        DateTime::<Utc>::from_timestamp(t.timestamp(), 0)
            .ok_or_else(|| bad(format!("a date out of range: {t}")))
    };
    Ok(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: time(cert.validity().not_before)?,
        not_after: time(cert.validity().not_after)?,
    })
}

/// The public key (SubjectPublicKeyInfo, DER) of the first certificate in `pem`.
pub fn certificate_public_key(pem: &str) -> Result<Vec<u8>, TlsError> {
    let bad = |reason: String| TlsError::NotACertificate {
        what: "the issued certificate".into(),
        reason,
    };
    let der = CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()
        .ok_or_else(|| bad("no CERTIFICATE block".into()))?
        .map_err(|e| bad(e.to_string()))?;
    let (_, cert) =
        x509_parser::parse_x509_certificate(der.as_ref()).map_err(|e| bad(e.to_string()))?;
    Ok(cert.public_key().raw.to_vec())
}

/// A new key pair for this workstation (ECDSA P-256) and a certificate
/// request for it naming the office and workstation. The key is returned
/// to be stored here; only the request is sent.
pub fn new_key_and_csr(
    office: &str,
    workstation: &str,
) -> Result<(ClientIdentityKey, String), TlsError> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, office);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("{office}/{workstation}"));
    let csr = params.serialize_request(&key)?.pem()?;
    Ok((
        ClientIdentityKey {
            pem: key.serialize_pem(),
            public_key_der: rcgen::PublicKeyData::subject_public_key_info(&key),
        },
        csr,
    ))
}

/// A key pair made by [`new_key_and_csr`], before its certificate exists.
pub struct ClientIdentityKey {
    /// PKCS#8 PEM.
    pub pem: String,
    /// SubjectPublicKeyInfo DER, to check the issued certificate is for it.
    pub public_key_der: Vec<u8>,
}

impl std::fmt::Debug for ClientIdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientIdentityKey(<private key>)")
    }
}

/// The enrolment request: a one-time code from office IT, the supervisor
/// who runs the enrolment (the register checks the account and its role),
/// and the workstation's certificate request.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRequest {
    pub code: String,
    pub supervisor_id: String,
    pub supervisor_password: String,
    pub office: String,
    pub workstation: String,
    pub csr_pem: String,
}

impl std::fmt::Debug for EnrolmentRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrolmentRequest")
            .field("supervisor_id", &self.supervisor_id)
            .field("office", &self.office)
            .field("workstation", &self.workstation)
            .finish_non_exhaustive()
    }
}

/// The register's answer: the workstation's certificate and the CA that
/// issued it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentAnswer {
    pub certificate_pem: String,
    pub ca_pem: String,
}

/// The rustls client configuration: only `ca_pem`'s roots (no system
/// roots), and the identity presented when there is one.
pub fn client_config(
    ca_pem: &str,
    identity: Option<&ClientIdentity>,
    ca_name: &str,
) -> Result<rustls::ClientConfig, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        let cert = cert.map_err(|e| TlsError::NotACertificate {
            what: ca_name.to_owned(),
            reason: e.to_string(),
        })?;
        roots.add(cert)?;
    }
    if roots.is_empty() {
        return Err(TlsError::NoCa(ca_name.to_owned()));
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots);
    Ok(match identity {
        Some(id) => {
            let (chain, key) = identity_parts(id)?;
            builder.with_client_auth_cert(chain, key)?
        }
        None => builder.with_no_client_auth(),
    })
}

/// The certificate chain and key of `id`, parsed.
pub(crate) fn identity_parts(
    id: &ClientIdentity,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), TlsError> {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(id.certificate_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| TlsError::NotACertificate {
                what: IDENTITY_CERT_FILE.into(),
                reason: e.to_string(),
            })?;
    if chain.is_empty() {
        return Err(TlsError::NotACertificate {
            what: IDENTITY_CERT_FILE.into(),
            reason: "no CERTIFICATE block".into(),
        });
    }
    let key = PrivateKeyDer::from_pem_slice(id.key_pem.as_bytes())
        .map_err(|_| TlsError::NotAKey(IDENTITY_KEY_FILE.into()))?;
    Ok((chain, key))
}

/// What a failed call says about the channel, if anything: walks the
/// error's sources for the TLS error rustls reported (on this side, about
/// the register's certificate; or the register's alert about ours).
pub fn classify(err: &(dyn std::error::Error + 'static)) -> Option<ChannelProblem> {
    // Bounded: a chain of errors is short, but nothing here trusts that.
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    for _ in 0..32 {
        let e = next?;
        if let Some(p) = e.downcast_ref::<rustls::Error>().and_then(of_rustls) {
            return Some(p);
        }
        // io::Error's source() skips the error it wraps (and connectors
        // wrap an io::Error in another): look inside instead.
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => std::error::Error::source(io),
            },
            None => e.source(),
        };
    }
    None
}

fn of_rustls(e: &rustls::Error) -> Option<ChannelProblem> {
    use rustls::AlertDescription as A;
    match e {
        // This side refused the register's certificate.
        rustls::Error::InvalidCertificate(_) => Some(ChannelProblem::RegisterUntrusted),
        // The register refused ours.
        rustls::Error::AlertReceived(alert) => match alert {
            A::CertificateExpired => Some(ChannelProblem::CertificateExpired),
            A::CertificateRevoked => Some(ChannelProblem::CertificateRevoked),
            A::CertificateRequired => Some(ChannelProblem::NotEnrolled),
            A::BadCertificate
            | A::UnknownCA
            | A::CertificateUnknown
            | A::UnsupportedCertificate
            | A::AccessDenied
            | A::DecryptError => Some(ChannelProblem::CertificateRefused),
            _ => None,
        },
        _ => None,
    }
}
