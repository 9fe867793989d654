//! The device's signatures: compact JWS (RFC 7515) whose header carries
//! the device certificate (`x5c`), checked against the device provider
//! certificates the office configured (the trust store). Only `EdDSA`
//! (Ed25519, the specification's "ECC curve 25519") and `RS256` (the
//! specification's header example) are accepted; `none` never is.

use crate::error::SignatureError;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};
use serde::Deserialize;
use std::path::Path;
use std::time::SystemTime;

/// The certificate algorithms accepted in a chain (device certificate
/// under the provider CA).
static CHAIN_ALGS: &[&dyn SignatureVerificationAlgorithm] = &[
    webpki::ring::ED25519,
    webpki::ring::ECDSA_P256_SHA256,
    webpki::ring::ECDSA_P384_SHA384,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384,
];

/// id-kp-codeSigning: checked only when the device certificate names
/// extended key usages at all.
const EKU_CODE_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03];

/// A trust store file larger than this is refused unread.
const TRUST_FILE_MAX: u64 = 1024 * 1024;
/// At most this many certificates in a JWS header.
const X5C_MAX: usize = 4;

/// The device provider certificates (CA or device certificates) a
/// device's signing certificate must chain to.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Vec<u8>>,
}

/// Why a trust store cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustStoreError {
    #[error("{path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: no certificate in it")]
    Empty { path: String },
    #[error("{path}: certificate {index} is not a readable X.509 certificate")]
    Certificate { path: String, index: usize },
}

impl TrustStore {
    /// PEM text with one or more `CERTIFICATE` blocks.
    pub fn from_pem(text: &str, path: &str) -> Result<Self, TrustStoreError> {
        let mut anchors = Vec::new();
        let mut body: Option<String> = None;
        for line in text.lines().map(str::trim) {
            match (line, &mut body) {
                ("-----BEGIN CERTIFICATE-----", None) => body = Some(String::new()),
                ("-----END CERTIFICATE-----", Some(b)) => {
                    let der = STANDARD.decode(b.as_bytes()).map_err(|_| {
                        TrustStoreError::Certificate {
                            path: path.into(),
                            index: anchors.len(),
                        }
                    })?;
                    let cert = CertificateDer::from(der.as_slice());
                    if webpki::anchor_from_trusted_cert(&cert).is_err() {
                        return Err(TrustStoreError::Certificate {
                            path: path.into(),
                            index: anchors.len(),
                        });
                    }
                    anchors.push(der);
                    body = None;
                }
                (l, Some(b)) => b.push_str(l),
                _ => {}
            }
        }
        if anchors.is_empty() {
            return Err(TrustStoreError::Empty { path: path.into() });
        }
        Ok(Self { anchors })
    }

    /// A PEM file, or every `*.pem`/`*.crt` file of a directory.
    pub fn load(path: &Path) -> Result<Self, TrustStoreError> {
        let shown = path.display().to_string();
        let read_err = |e: std::io::Error| TrustStoreError::Read {
            path: shown.clone(),
            reason: e.to_string(),
        };
        let files: Vec<std::path::PathBuf> = if path.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(path)
                .map_err(read_err)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("pem" | "crt")))
                .collect();
            v.sort();
            v
        } else {
            vec![path.to_path_buf()]
        };
        let mut anchors = Vec::new();
        for file in files {
            let shown = file.display().to_string();
            let read_err = |reason: String| TrustStoreError::Read {
                path: shown.clone(),
                reason,
            };
            let len = std::fs::metadata(&file)
                .map_err(|e| read_err(e.to_string()))?
                .len();
            if len > TRUST_FILE_MAX {
                return Err(read_err(format!("larger than {TRUST_FILE_MAX} bytes")));
            }
            let text = std::fs::read_to_string(&file).map_err(|e| read_err(e.to_string()))?;
            anchors.extend(Self::from_pem(&text, &shown)?.anchors);
        }
        if anchors.is_empty() {
            return Err(TrustStoreError::Empty { path: shown });
        }
        Ok(Self { anchors })
    }

    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum X5c {
    Many(Vec<String>),
    /// The specification's digital ID section writes one string.
    One(String),
}

#[derive(Debug, Deserialize)]
struct Header {
    alg: String,
    x5c: Option<X5c>,
}

/// Verifies a compact JWS and returns its payload bytes.
pub fn verify(token: &str, trust: &TrustStore, now: SystemTime) -> Result<Vec<u8>, SignatureError> {
    if trust.is_empty() {
        return Err(SignatureError::EmptyTrustStore);
    }
    let mut parts = token.split('.');
    let (Some(h64), Some(p64), Some(s64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(SignatureError::NotCompact);
    };
    let b64 = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('='));
    let header_bytes = b64(h64).map_err(|_| SignatureError::NotCompact)?;
    let payload = b64(p64).map_err(|_| SignatureError::NotCompact)?;
    let signature = b64(s64).map_err(|_| SignatureError::NotCompact)?;
    let header: Header =
        serde_json::from_slice(&header_bytes).map_err(|_| SignatureError::Header)?;
    let alg: &dyn SignatureVerificationAlgorithm = match header.alg.as_str() {
        "EdDSA" => webpki::ring::ED25519,
        "RS256" => webpki::ring::RSA_PKCS1_2048_8192_SHA256,
        other => return Err(SignatureError::Algorithm(other.chars().take(16).collect())),
    };
    let chain: Vec<String> = match header.x5c {
        Some(X5c::Many(v)) => v,
        Some(X5c::One(s)) => vec![s],
        None => Vec::new(),
    };
    if chain.is_empty() {
        return Err(SignatureError::NoCertificate);
    }
    if chain.len() > X5C_MAX {
        return Err(SignatureError::Certificate);
    }
    let ders: Vec<Vec<u8>> = chain
        .iter()
        .map(|c| {
            STANDARD
                .decode(c.as_bytes())
                .or_else(|_| URL_SAFE_NO_PAD.decode(c.trim_end_matches('=')))
                .map_err(|_| SignatureError::Certificate)
        })
        .collect::<Result<_, _>>()?;
    let Some((leaf, intermediates)) = ders.split_first() else {
        return Err(SignatureError::NoCertificate);
    };
    let leaf_der = CertificateDer::from(leaf.as_slice());
    let cert =
        webpki::EndEntityCert::try_from(&leaf_der).map_err(|_| SignatureError::Certificate)?;
    let anchor_ders: Vec<CertificateDer<'_>> = trust
        .anchors
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let anchors: Vec<_> = anchor_ders
        .iter()
        .filter_map(|d| webpki::anchor_from_trusted_cert(d).ok())
        .collect();
    let intermediates: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let since_epoch = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| SignatureError::Untrusted("the clock is before 1970".into()))?;
    cert.verify_for_usage(
        CHAIN_ALGS,
        &anchors,
        &intermediates,
        UnixTime::since_unix_epoch(since_epoch),
        webpki::KeyUsage::required_if_present(EKU_CODE_SIGNING),
        None,
        None,
    )
    .map_err(|e| SignatureError::Untrusted(format!("{e:?}")))?;
    let signing_input_len = h64.len() + 1 + p64.len();
    let signing_input = token
        .get(..signing_input_len)
        .ok_or(SignatureError::NotCompact)?;
    cert.verify_signature(alg, signing_input.as_bytes(), &signature)
        .map_err(|_| SignatureError::Mismatch)?;
    Ok(payload)
}
