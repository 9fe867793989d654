//! The simulator's TLS: a test CA, its server certificate, workstation
//! certificates issued at enrolment, client certificates checked on every
//! `/v1` call, and a revocation list.
//!
//! - **The CA** is generated at start, or read from (and, the first time,
//!   written to) [`TlsSettings::ca_dir`] as `ca.pem` and `ca.key` (0600), so
//!   that counters configured with `ca.pem` keep trusting a simulator that
//!   restarts. The server certificate (for `127.0.0.1`, `::1`, `localhost`
//!   and [`TlsSettings::server_names`]) is issued from it at every start.
//! - **Enrolment** (`POST /enrolment/v1/workstations`, the one path a
//!   client without a certificate may call): a one-time code office IT was
//!   given, a supervisor's account (checked as a log-in is), and a CSR. Only
//!   the CSR's public key is used: the subject (office and workstation) and
//!   the validity are the register's, whatever the request asks.
//! - **Client certificates** are verified in the TLS handshake against the
//!   CA and its revocation list, validity dates included: a certificate
//!   from another CA, expired, not yet valid or revoked ends the handshake
//!   with the matching alert. A connection may carry no certificate at all
//!   (for enrolment); every `/v1` call on it is then 401
//!   `client_certificate_required`.
//! - **Revocation** ([`SimTls::revoke_workstation`]) rebuilds the server's
//!   TLS configuration with a new CRL; connections opened after it refuse
//!   the certificate.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json, Router};
use passport_register_contract::{Problem, ProblemCode};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, RevokedCertParams,
    SerialNumber,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// The enrolment endpoint (the client's `tls::ENROLMENT_PATH`).
pub const ENROLMENT_PATH: &str = "/enrolment/v1/workstations";
/// 401 on a `/v1` call without a client certificate.
pub const CLIENT_CERTIFICATE_REQUIRED: &str = "client_certificate_required";
/// 403: a wrong or used enrolment code.
pub const ENROLMENT_CODE_INVALID: &str = "enrolment_code_invalid";
/// The largest enrolment request read.
const MAX_ENROLMENT_BYTES: usize = 64 * 1024;

/// How the simulator speaks TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// Where the CA is kept (`ca.pem`, `ca.key`); `None`: a CA made at
    /// start and forgotten at exit.
    pub ca_dir: Option<PathBuf>,
    /// The one-time enrolment codes accepted; empty: one random code is
    /// made at start ([`SimTls::enrolment_codes`] shows it).
    pub enrolment_codes: Vec<String>,
    /// How long an issued workstation certificate is valid.
    pub certificate_days: u32,
    /// Host names or addresses in the server certificate besides
    /// `127.0.0.1`, `::1` and `localhost`.
    pub server_names: Vec<String>,
}

impl Default for TlsSettings {
    fn default() -> Self {
        Self {
            ca_dir: None,
            enrolment_codes: Vec::new(),
            certificate_days: 365,
            server_names: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("certificate: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("client verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}: not a PEM key or certificate")]
    Pem(String),
}

/// A certificate the simulator issued.
#[derive(Debug, Clone)]
struct Issued {
    serial: Vec<u8>,
    office: String,
    workstation: String,
}

/// The simulator's TLS state, shared by the listener and the enrolment.
pub struct SimTls {
    ca: Issuer<'static, KeyPair>,
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key_der: Vec<u8>,
    certificate_days: u32,
    codes: Mutex<Vec<String>>,
    issued: Mutex<Vec<Issued>>,
    revoked: Mutex<Vec<Vec<u8>>>,
    crl_number: Mutex<u64>,
    acceptor: RwLock<tokio_rustls::TlsAcceptor>,
}

impl std::fmt::Debug for SimTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimTls").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    // Positive, and never a leading zero byte that DER would strip.
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::from_slice(&bytes)
}

fn ca_params() -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = DistinguishedName::new();
    p.distinguished_name
        .push(DnType::OrganizationName, "Rejestr (symulator)");
    p.distinguished_name
        .push(DnType::CommonName, "Register simulator test CA");
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.serial_number = Some(random_serial());
    p
}

/// Writes `text` to `path`, 0600 on Unix from its creation.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// The CA of `dir` (made and written there when absent), or a new one.
fn load_or_make_ca(
    dir: Option<&Path>,
) -> Result<(Issuer<'static, KeyPair>, String), TlsSetupError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| TlsSetupError::Io { path, source }
    };
    if let Some(dir) = dir {
        let (cert_path, key_path) = (dir.join("ca.pem"), dir.join("ca.key"));
        if cert_path.exists() {
            let cert = std::fs::read_to_string(&cert_path).map_err(io(&cert_path))?;
            let key = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
            let key = KeyPair::from_pem(&key)
                .map_err(|_| TlsSetupError::Pem(key_path.display().to_string()))?;
            let issuer = Issuer::from_ca_cert_pem(&cert, key)
                .map_err(|_| TlsSetupError::Pem(cert_path.display().to_string()))?;
            return Ok((issuer, cert));
        }
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let key = KeyPair::generate()?;
        let params = ca_params();
        let cert = params.self_signed(&key)?.pem();
        write_private(&key_path, &key.serialize_pem()).map_err(io(&key_path))?;
        write_private(&cert_path, &cert).map_err(io(&cert_path))?;
        return Ok((Issuer::new(params, key), cert));
    }
    let key = KeyPair::generate()?;
    let params = ca_params();
    let cert = params.self_signed(&key)?.pem();
    Ok((Issuer::new(params, key), cert))
}

/// A random one-time code office IT can read aloud: 12 characters from an
/// alphabet without look-alikes, in groups of four.
pub fn new_enrolment_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| {
            let i = rand::Rng::random_range(&mut rng, 0..ALPHABET.len());
            char::from(ALPHABET[i])
        })
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

impl SimTls {
    pub fn new(settings: &TlsSettings) -> Result<Self, TlsSetupError> {
        let (ca, ca_pem) = load_or_make_ca(settings.ca_dir.as_deref())?;
        let server_key = KeyPair::generate()?;
        let mut names = vec![
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
            "localhost".to_owned(),
        ];
        names.extend(settings.server_names.iter().cloned());
        let mut params = CertificateParams::new(names)?;
        params.distinguished_name = DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::CommonName, "register simulator");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        let server = params.signed_by(&server_key, &ca)?;
        let ca_der = CertificateDer::from_pem_slice(ca_pem.as_bytes())
            .map_err(|_| TlsSetupError::Pem("the CA".into()))?;
        let codes = if settings.enrolment_codes.is_empty() {
            vec![new_enrolment_code()]
        } else {
            settings.enrolment_codes.clone()
        };
        let server_chain = vec![server.der().clone(), ca_der];
        let server_key_der = server_key.serialize_der();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config(
            &ca,
            &ca_pem,
            &server_chain,
            &server_key_der,
            &[],
            1,
        )?));
        let tls = Self {
            ca,
            server_chain,
            server_key_der,
            ca_pem,
            certificate_days: settings.certificate_days.max(1),
            codes: Mutex::new(codes),
            issued: Mutex::new(Vec::new()),
            revoked: Mutex::new(Vec::new()),
            crl_number: Mutex::new(1),
            acceptor: RwLock::new(acceptor),
        };
        Ok(tls)
    }

    /// The CA's certificate (PEM): what a counter pins.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The enrolment codes not used yet.
    pub fn enrolment_codes(&self) -> Vec<String> {
        lock(&self.codes).clone()
    }

    /// Adds a one-time enrolment code.
    pub fn add_enrolment_code(&self, code: &str) {
        lock(&self.codes).push(code.to_owned());
    }

    /// Revokes every certificate issued to a workstation; returns how many.
    pub fn revoke_workstation(
        &self,
        office: &str,
        workstation: &str,
    ) -> Result<usize, TlsSetupError> {
        let serials: Vec<Vec<u8>> = lock(&self.issued)
            .iter()
            .filter(|i| i.office == office && i.workstation == workstation)
            .map(|i| i.serial.clone())
            .collect();
        lock(&self.revoked).extend(serials.iter().cloned());
        self.rebuild()?;
        Ok(serials.len())
    }

    /// Signs a certificate for `public_key` as a workstation of `office`,
    /// valid from a few minutes ago for [`TlsSettings::certificate_days`].
    fn issue(
        &self,
        public_key: &impl rcgen::PublicKeyData,
        office: &str,
        workstation: &str,
    ) -> Result<String, TlsSetupError> {
        let now = time::OffsetDateTime::now_utc();
        self.issue_valid(
            public_key,
            office,
            workstation,
            now - time::Duration::minutes(5),
            now + time::Duration::days(i64::from(self.certificate_days)),
        )
    }

    /// For tests: a workstation certificate for the key of `csr_pem` with
    /// any validity (an expired one, one not valid yet), from this CA.
    pub fn issue_for_test(
        &self,
        csr_pem: &str,
        office: &str,
        workstation: &str,
        not_before: time::OffsetDateTime,
        not_after: time::OffsetDateTime,
    ) -> Result<String, TlsSetupError> {
        let csr = rcgen::CertificateSigningRequestParams::from_pem(csr_pem)?;
        self.issue_valid(&csr.public_key, office, workstation, not_before, not_after)
    }

    fn issue_valid(
        &self,
        public_key: &impl rcgen::PublicKeyData,
        office: &str,
        workstation: &str,
        not_before: time::OffsetDateTime,
        not_after: time::OffsetDateTime,
    ) -> Result<String, TlsSetupError> {
        let mut p = CertificateParams::default();
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::OrganizationName, office);
        p.distinguished_name
            .push(DnType::CommonName, format!("{office}/{workstation}"));
        p.not_before = not_before;
        p.not_after = not_after;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        p.use_authority_key_identifier_extension = true;
        let serial = random_serial();
        p.serial_number = Some(serial.clone());
        let cert = p.signed_by(public_key, &self.ca)?;
        lock(&self.issued).push(Issued {
            serial: serial.to_bytes(),
            office: office.to_owned(),
            workstation: workstation.to_owned(),
        });
        Ok(cert.pem())
    }

    /// The server configuration for new connections: the server
    /// certificate, client certificates optional but verified against the
    /// CA and the current revocation list.
    fn rebuild(&self) -> Result<(), TlsSetupError> {
        let number = {
            let mut n = lock(&self.crl_number);
            *n += 1;
            *n
        };
        let revoked = lock(&self.revoked).clone();
        let config = server_config(
            &self.ca,
            &self.ca_pem,
            &self.server_chain,
            &self.server_key_der,
            &revoked,
            number,
        )?;
        *self
            .acceptor
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            tokio_rustls::TlsAcceptor::from(Arc::new(config));
        Ok(())
    }

    /// The acceptor for a new connection.
    pub(crate) fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        self.acceptor
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Takes `code` if it is one not used yet.
    fn take_code(&self, code: &str) -> bool {
        let mut codes = lock(&self.codes);
        match codes.iter().position(|c| c == code) {
            Some(i) => {
                codes.remove(i);
                true
            }
            None => false,
        }
    }
}

/// The server configuration: the server certificate, client certificates
/// optional but verified against the CA and a revocation list of `revoked`.
fn server_config(
    ca: &Issuer<'static, KeyPair>,
    ca_pem: &str,
    chain: &[CertificateDer<'static>],
    key_der: &[u8],
    revoked: &[Vec<u8>],
    crl_number: u64,
) -> Result<rustls::ServerConfig, TlsSetupError> {
    let mut roots = rustls::RootCertStore::empty();
    for der in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(der.map_err(|_| TlsSetupError::Pem("the CA".into()))?)?;
    }
    let now = time::OffsetDateTime::now_utc();
    let crl = CertificateRevocationListParams {
        this_update: now - time::Duration::minutes(5),
        next_update: now + time::Duration::days(7),
        crl_number: SerialNumber::from(crl_number),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|s| RevokedCertParams {
                serial_number: SerialNumber::from_slice(s),
                revocation_time: now - time::Duration::minutes(1),
                reason_code: None,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    }
    .signed_by(ca)?;
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
            .with_crls([CertificateRevocationListDer::from(crl.der().to_vec())])
            .only_check_end_entity_revocation()
            .allow_unauthenticated()
            .build()?;
    let key = PrivateKeyDer::try_from(key_der.to_vec())
        .map_err(|_| TlsSetupError::Pem("the server key".into()))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain.to_vec(), key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// What the handshake established about the client: set once, when the
/// handshake ends, and read by every request on the connection.
#[derive(Debug, Clone, Default)]
pub struct Peer(pub Arc<OnceLock<PeerCertificate>>);

/// The client's verified certificate, if it presented one.
#[derive(Debug, Clone)]
pub struct PeerCertificate {
    pub present: bool,
}

/// The enrolment request (the client's `tls::EnrolmentRequest`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrolmentRequest {
    code: String,
    supervisor_id: String,
    supervisor_password: String,
    office: String,
    workstation: String,
    csr_pem: String,
}

#[derive(Serialize)]
struct EnrolmentAnswer {
    certificate_pem: String,
    ca_pem: String,
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(Problem::new(code, message))).into_response()
}

/// `POST /enrolment/v1/workstations`.
async fn enrol(State(tls): State<Arc<SimTls>>, headers: HeaderMap, body: Bytes) -> Response {
    let json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json || body.len() > MAX_ENROLMENT_BYTES {
        return refuse(
            StatusCode::BAD_REQUEST,
            ProblemCode::BadRequest.as_str(),
            "an enrolment request is a JSON body of at most 64 KiB",
        );
    }
    let req: EnrolmentRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                ProblemCode::BadRequest.as_str(),
                &format!("not an enrolment request: {e}"),
            );
        }
    };
    if !passport_domain::number::valid_office(&req.office)
        || !passport_domain::number::valid_workstation(&req.workstation)
        || !crate::seed::OFFICES.iter().any(|(c, _)| *c == req.office)
    {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            ProblemCode::UnknownOffice.as_str(),
            "an office the register does not know, or a workstation id that is not 1 to 4 capital letters or digits",
        );
    }
    let supervisor = crate::seed::CLERKS
        .iter()
        .find(|c| c.clerk_id == req.supervisor_id && c.password == req.supervisor_password);
    match supervisor {
        Some(c) if c.role == "supervisor" => {}
        _ => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                ProblemCode::InvalidCredentials.as_str(),
                "enrolment needs a supervisor's account and password",
            );
        }
    }
    let csr = match rcgen::CertificateSigningRequestParams::from_pem(&req.csr_pem) {
        Ok(c) => c,
        Err(e) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                ProblemCode::Validation.as_str(),
                &format!("the certificate request cannot be read or its signature is wrong: {e}"),
            );
        }
    };
    // The code last: a request refused for another reason leaves it usable.
    if !tls.take_code(req.code.trim()) {
        return refuse(
            StatusCode::FORBIDDEN,
            ENROLMENT_CODE_INVALID,
            "the enrolment code is wrong or was already used",
        );
    }
    match tls.issue(&csr.public_key, &req.office, &req.workstation) {
        Ok(certificate_pem) => (
            StatusCode::CREATED,
            Json(EnrolmentAnswer {
                certificate_pem,
                ca_pem: tls.ca_pem.clone(),
            }),
        )
            .into_response(),
        Err(e) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            ProblemCode::Internal.as_str(),
            &format!("the certificate could not be issued: {e}"),
        ),
    }
}

/// Every `/v1` call needs a verified client certificate.
async fn require_certificate(peer: Option<Extension<Peer>>, req: Request, next: Next) -> Response {
    let present = peer
        .and_then(|Extension(p)| p.0.get().map(|c| c.present))
        .unwrap_or(false);
    if req.uri().path().starts_with("/v1/") && !present {
        return refuse(
            StatusCode::UNAUTHORIZED,
            CLIENT_CERTIFICATE_REQUIRED,
            "this register answers only workstations with a certificate it issued: enrol the workstation (counterctl enrol --code …)",
        );
    }
    next.run(req).await
}

/// The register's routes with enrolment added and `/v1` behind client
/// certificates.
pub(crate) fn wrap(app: Router, tls: Arc<SimTls>) -> Router {
    let enrolment = Router::new()
        .route(ENROLMENT_PATH, axum::routing::post(enrol))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_ENROLMENT_BYTES))
        .with_state(tls);
    app.merge(enrolment)
        .layer(axum::middleware::from_fn(require_certificate))
}
