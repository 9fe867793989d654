//! Passive authentication (ICAO 9303 part 11, 5.1): EF.SOD is a CMS
//! SignedData over the LDS security object (the data groups' hashes); its
//! signature verifies with the document signer (DS) certificate inside it,
//! which must chain to a country signing CA (CSCA) from the trust store,
//! and both must be valid now.
//!
//! Parsed with the crate's own TLV reader so that the exact signed bytes are
//! at hand; signatures are verified with `ring` (ECDSA P-256/P-384, RSA
//! PKCS#1 v1.5 and PSS with SHA-256/384/512).

use crate::tlv::{Tlv, TlvError};
use chrono::{DateTime, NaiveDate, Utc};
use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use std::collections::BTreeMap;
use std::path::Path;

/// Object identifiers (their DER value bytes).
pub mod oid {
    pub const SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
    pub const LDS_SECURITY_OBJECT: &[u8] = &[0x67, 0x81, 0x08, 0x01, 0x01, 0x01];
    pub const CSCA_MASTER_LIST: &[u8] = &[0x67, 0x81, 0x08, 0x01, 0x01, 0x02];
    pub const CONTENT_TYPE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x03];
    pub const MESSAGE_DIGEST: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04];
    pub const SHA1: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x1A];
    pub const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    pub const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
    pub const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
    pub const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    pub const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
    pub const ECDSA_SHA256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
    pub const ECDSA_SHA384: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03];
    pub const RSA_SHA256: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
    pub const RSA_SHA384: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C];
    pub const RSA_SHA512: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D];
    pub const RSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
}

/// Why passive authentication failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaError {
    #[error("EF.SOD is malformed: {0}")]
    Malformed(String),
    #[error("unsupported algorithm: {0}")]
    UnsupportedAlgorithm(String),
    #[error("DG{0} is not in EF.SOD")]
    NotInSod(u8),
    #[error("DG{0}'s hash differs from the one in EF.SOD")]
    HashMismatch(u8),
    #[error("the document signer's signature over EF.SOD does not verify")]
    BadSignature,
    #[error("the document signer certificate does not chain to a trusted CSCA")]
    UnknownCsca,
    #[error("the {which} certificate is not valid now (valid {not_before} to {not_after})")]
    CertificateNotValid {
        which: &'static str,
        not_before: String,
        not_after: String,
    },
}

impl PaError {
    /// For the clerk, in both languages.
    pub fn words(&self) -> passport_domain::Message {
        let pl = match self {
            Self::Malformed(what) => format!("EF.SOD ma nieprawidłową strukturę: {what}"),
            Self::UnsupportedAlgorithm(what) => format!("nieobsługiwany algorytm: {what}"),
            Self::NotInSod(n) => format!("DG{n} nie występuje w EF.SOD"),
            Self::HashMismatch(n) => format!("skrót DG{n} inny niż w EF.SOD: dane zmienione"),
            Self::BadSignature => {
                "podpis EF.SOD nie weryfikuje się certyfikatem podpisującego".into()
            }
            Self::UnknownCsca => "certyfikat podpisującego nie pochodzi od zaufanego CSCA".into(),
            Self::CertificateNotValid {
                which,
                not_before,
                not_after,
            } => {
                let which = if *which == "CSCA" {
                    "CSCA"
                } else {
                    "podpisującego"
                };
                format!("certyfikat {which} nieważny dziś (ważny od {not_before} do {not_after})")
            }
        };
        passport_domain::Message::new(pl, self.to_string())
    }
}

impl From<TlvError> for PaError {
    fn from(e: TlvError) -> Self {
        Self::Malformed(e.0.to_owned())
    }
}

/// An X.509 certificate, split into the parts the checks need.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    signature_alg: Vec<u8>,
    signature_params: Vec<u8>,
    signature: Vec<u8>,
    issuer: Vec<u8>,
    serial: Vec<u8>,
    subject: Vec<u8>,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    key_alg: Vec<u8>,
    key_params: Vec<u8>,
    key: Vec<u8>,
}

impl Certificate {
    pub fn from_der(der: &[u8]) -> Result<Self, PaError> {
        let cert = Tlv::parse_all(der)?.expect(0x30)?;
        let [tbs, sig_alg, sig] = cert.children()?[..] else {
            return Err(PaError::Malformed("certificate".into()));
        };
        let tbs_start = tbs.raw.as_ptr() as usize - der.as_ptr() as usize;
        let mut fields = tbs.children()?.into_iter().peekable();
        if fields.peek().is_some_and(|f| f.tag == 0xA0) {
            fields.next();
        }
        let mut next = || {
            fields
                .next()
                .ok_or(PaError::Malformed("certificate fields".into()))
        };
        let serial = next()?;
        let _inner_alg = next()?;
        let issuer = next()?;
        let validity = next()?.children()?;
        let subject = next()?;
        let spki = next()?;
        let [not_before, not_after] = validity[..] else {
            return Err(PaError::Malformed("validity".into()));
        };
        let (key_alg, key_params, key) = public_key(&spki)?;
        let (signature_alg, signature_params) = algorithm(&sig_alg)?;
        Ok(Self {
            der: der.to_vec(),
            tbs: tbs_start..tbs_start + tbs.raw.len(),
            signature_alg,
            signature_params,
            signature: bit_string(&sig)?,
            issuer: issuer.raw.to_vec(),
            serial: serial.raw.to_vec(),
            subject: subject.raw.to_vec(),
            not_before: time(&not_before)?,
            not_after: time(&not_after)?,
            key_alg,
            key_params,
            key,
        })
    }

    fn valid_at(&self, now: DateTime<Utc>) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    fn not_valid(&self, which: &'static str) -> PaError {
        PaError::CertificateNotValid {
            which,
            not_before: self.not_before.format("%Y-%m-%d").to_string(),
            not_after: self.not_after.format("%Y-%m-%d").to_string(),
        }
    }

    /// Whether `self` (an issuer) signed `cert`.
    fn signed(&self, cert: &Certificate) -> bool {
        verify(
            self,
            &cert.signature_alg,
            &cert.signature_params,
            &cert.der[cert.tbs.clone()],
            &cert.signature,
        )
        .unwrap_or(false)
    }
}

fn algorithm(alg: &Tlv<'_>) -> Result<(Vec<u8>, Vec<u8>), PaError> {
    let parts = alg.expect(0x30)?.children()?;
    let oid = parts
        .first()
        .ok_or(PaError::Malformed("algorithm".into()))?;
    let params = parts.get(1).map(|p| p.raw.to_vec()).unwrap_or_default();
    Ok((oid.expect(0x06)?.value.to_vec(), params))
}

/// (algorithm, parameters, key bits) of a SubjectPublicKeyInfo.
type PublicKey = (Vec<u8>, Vec<u8>, Vec<u8>);

fn public_key(spki: &Tlv<'_>) -> Result<PublicKey, PaError> {
    let [alg, key] = spki.children()?[..] else {
        return Err(PaError::Malformed("public key".into()));
    };
    let (oid, params) = algorithm(&alg)?;
    Ok((oid, params, bit_string(&key)?))
}

fn bit_string(t: &Tlv<'_>) -> Result<Vec<u8>, PaError> {
    match t.expect(0x03)?.value.split_first() {
        Some((0, bits)) => Ok(bits.to_vec()),
        _ => Err(PaError::Malformed("bit string".into())),
    }
}

fn time(t: &Tlv<'_>) -> Result<DateTime<Utc>, PaError> {
    let text = std::str::from_utf8(t.value).map_err(|_| PaError::Malformed("time".into()))?;
    let digits = text
        .strip_suffix('Z')
        .ok_or(PaError::Malformed("time zone".into()))?;
    // Digits only, so that slicing below stays on character boundaries.
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PaError::Malformed("time".into()));
    }
    let full = match t.tag {
        0x17 if digits.len() == 12 => {
            let yy: u32 = digits[..2]
                .parse()
                .map_err(|_| PaError::Malformed("time".into()))?;
            format!("{}{digits}", if yy >= 50 { "19" } else { "20" })
        }
        0x18 if digits.len() == 14 => digits.to_owned(),
        _ => return Err(PaError::Malformed("time".into())),
    };
    let num = |r: std::ops::Range<usize>| full.get(r).and_then(|s| s.parse::<u32>().ok());
    // No default for a field that does not parse: the time is malformed.
    let date = (|| {
        let year = i32::try_from(num(0..4)?).ok()?;
        NaiveDate::from_ymd_opt(year, num(4..6)?, num(6..8)?)?.and_hms_opt(
            num(8..10)?,
            num(10..12)?,
            num(12..14)?,
        )
    })()
    .ok_or(PaError::Malformed("time".into()))?;
    Ok(date.and_utc())
}

/// The verification algorithm for a signature algorithm and a key.
fn ring_algorithm(
    sig_alg: &[u8],
    sig_params: &[u8],
    cert: &Certificate,
) -> Result<&'static dyn VerificationAlgorithm, PaError> {
    let curve = Tlv::parse_all(&cert.key_params)
        .ok()
        .filter(|t| t.tag == 0x06)
        .map(|t| t.value.to_vec());
    let alg: Option<&'static dyn VerificationAlgorithm> = match (sig_alg, cert.key_alg.as_slice()) {
        (oid::ECDSA_SHA256 | oid::ECDSA_SHA384, oid::EC_PUBLIC_KEY) => {
            match (sig_alg, curve.as_deref()) {
                (oid::ECDSA_SHA256, Some(oid::P256)) => Some(&signature::ECDSA_P256_SHA256_ASN1),
                (oid::ECDSA_SHA384, Some(oid::P256)) => Some(&signature::ECDSA_P256_SHA384_ASN1),
                (oid::ECDSA_SHA256, Some(oid::P384)) => Some(&signature::ECDSA_P384_SHA256_ASN1),
                (oid::ECDSA_SHA384, Some(oid::P384)) => Some(&signature::ECDSA_P384_SHA384_ASN1),
                _ => None,
            }
        }
        (oid::RSA_SHA256, _) => Some(&signature::RSA_PKCS1_2048_8192_SHA256),
        (oid::RSA_SHA384, _) => Some(&signature::RSA_PKCS1_2048_8192_SHA384),
        (oid::RSA_SHA512, _) => Some(&signature::RSA_PKCS1_2048_8192_SHA512),
        (oid::RSA_PSS, _) => match pss_hash(sig_params).as_deref() {
            Some(oid::SHA256) => Some(&signature::RSA_PSS_2048_8192_SHA256),
            Some(oid::SHA384) => Some(&signature::RSA_PSS_2048_8192_SHA384),
            Some(oid::SHA512) => Some(&signature::RSA_PSS_2048_8192_SHA512),
            _ => None,
        },
        _ => None,
    };
    alg.ok_or_else(|| PaError::UnsupportedAlgorithm(format!("signature {}", oid_text(sig_alg))))
}

/// RSASSA-PSS parameters: `[0]` holds the hash algorithm (default SHA-1).
fn pss_hash(params: &[u8]) -> Option<Vec<u8>> {
    let seq = Tlv::parse_all(params).ok()?;
    let hash = seq.child(0xA0).ok()?;
    let alg = Tlv::parse_all(hash.value).ok()?;
    Some(alg.children().ok()?.first()?.value.to_vec())
}

fn verify(
    signer: &Certificate,
    sig_alg: &[u8],
    sig_params: &[u8],
    message: &[u8],
    sig: &[u8],
) -> Result<bool, PaError> {
    let alg = ring_algorithm(sig_alg, sig_params, signer)?;
    Ok(UnparsedPublicKey::new(alg, &signer.key)
        .verify(message, sig)
        .is_ok())
}

/// Dotted text of an OID, for messages.
pub fn oid_text(bytes: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut acc: u64 = 0;
    for &b in bytes {
        acc = (acc << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (acc / 40).min(2);
                parts.push(first.to_string());
                parts.push((acc - first * 40).to_string());
            } else {
                parts.push(acc.to_string());
            }
            acc = 0;
        }
    }
    parts.join(".")
}

/// A hash function named by its OID.
pub fn hash(alg: &[u8], data: &[u8]) -> Result<Vec<u8>, PaError> {
    let alg = match alg {
        oid::SHA1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        oid::SHA256 => &ring::digest::SHA256,
        oid::SHA384 => &ring::digest::SHA384,
        oid::SHA512 => &ring::digest::SHA512,
        other => {
            return Err(PaError::UnsupportedAlgorithm(format!(
                "hash {}",
                oid_text(other)
            )));
        }
    };
    Ok(ring::digest::digest(alg, data).as_ref().to_vec())
}

/// A CMS ContentInfo holding SignedData of `content_type`: the
/// encapsulated content and the SignedData's fields.
fn signed_data<'a>(
    content_info: &'a [u8],
    content_type: &[u8],
) -> Result<(Vec<u8>, Vec<Tlv<'a>>), PaError> {
    let parts = Tlv::parse_all(content_info)?.expect(0x30)?.children()?;
    let [ct, content] = parts[..] else {
        return Err(PaError::Malformed("content info".into()));
    };
    if ct.expect(0x06)?.value != oid::SIGNED_DATA {
        return Err(PaError::Malformed("not signed data".into()));
    }
    let fields = Tlv::parse_all(content.expect(0xA0)?.value)?
        .expect(0x30)?
        .children()?;
    let encap = fields
        .iter()
        .find(|f| f.tag == 0x30)
        .ok_or(PaError::Malformed("encapsulated content".into()))?
        .children()?;
    let [e_type, e_content] = encap[..] else {
        return Err(PaError::Malformed("encapsulated content".into()));
    };
    if e_type.expect(0x06)?.value != content_type {
        return Err(PaError::Malformed(format!(
            "content type {}",
            oid_text(e_type.value)
        )));
    }
    let e_content = Tlv::parse_all(e_content.expect(0xA0)?.value)?
        .expect(0x04)?
        .value
        .to_vec();
    Ok((e_content, fields))
}

/// The CSCA certificates in an ICAO CSCA master list (CMS SignedData over
/// `CscaMasterList ::= SEQUENCE { version, certList SET OF Certificate }`).
/// The list's own signature is not checked here: like a directory of
/// certificates, the file must come to the office by a trusted channel.
pub fn master_list_certificates(der: &[u8]) -> Result<Vec<Certificate>, PaError> {
    let (list, _) = signed_data(der, oid::CSCA_MASTER_LIST)?;
    let list = Tlv::parse_all(&list)?.expect(0x30)?.children()?;
    let set = list
        .get(1)
        .ok_or(PaError::Malformed("master list".into()))?
        .expect(0x31)?;
    set.children()?
        .iter()
        .map(|c| Certificate::from_der(c.raw))
        .collect()
}

/// EF.SOD, parsed.
#[derive(Debug, Clone)]
pub struct Sod {
    /// The data groups' hashes, by number.
    pub hashes: BTreeMap<u8, Vec<u8>>,
    hash_alg: Vec<u8>,
    e_content: Vec<u8>,
    digest_alg: Vec<u8>,
    signed_attrs: Vec<u8>,
    signature_alg: Vec<u8>,
    signature_params: Vec<u8>,
    signature: Vec<u8>,
    pub signer: Certificate,
}

impl Sod {
    /// Parses EF.SOD (tag 77 around a CMS ContentInfo).
    pub fn parse(ef_sod: &[u8]) -> Result<Self, PaError> {
        let outer = Tlv::parse_all(ef_sod)?.expect(0x77)?;
        let (e_content, fields) = signed_data(outer.value, oid::LDS_SECURITY_OBJECT)?;
        let certs: Vec<Certificate> = fields
            .iter()
            .find(|f| f.tag == 0xA0)
            .ok_or(PaError::Malformed("no document signer certificate".into()))?
            .children()?
            .iter()
            .map(|c| Certificate::from_der(c.raw))
            .collect::<Result<_, _>>()?;
        let signer_infos = fields
            .iter()
            .rev()
            .find(|f| f.tag == 0x31)
            .ok_or(PaError::Malformed("no signer info".into()))?
            .children()?;
        let info = signer_infos
            .first()
            .ok_or(PaError::Malformed("no signer info".into()))?
            .children()?;
        // version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature.
        // The signer is the certificate the sid names (issuer and serial);
        // with a subject key identifier instead, the only or first one.
        let sid = info
            .get(1)
            .ok_or(PaError::Malformed("signer info".into()))?;
        let signer = if sid.tag == 0x30 {
            let [issuer, serial] = sid.children()?[..] else {
                return Err(PaError::Malformed("signer identifier".into()));
            };
            certs
                .iter()
                .find(|c| c.issuer == issuer.raw && c.serial == serial.raw)
                .cloned()
                .ok_or(PaError::Malformed(
                    "the signer's certificate is not in EF.SOD".into(),
                ))?
        } else {
            certs
                .first()
                .cloned()
                .ok_or(PaError::Malformed("no document signer certificate".into()))?
        };
        let digest_alg = algorithm(
            info.get(2)
                .ok_or(PaError::Malformed("signer info".into()))?,
        )?
        .0;
        let attrs = info
            .get(3)
            .ok_or(PaError::Malformed("signer info".into()))?
            .expect(0xA0)?;
        let (signature_alg, signature_params) = algorithm(
            info.get(4)
                .ok_or(PaError::Malformed("signer info".into()))?,
        )?;
        let signature = info
            .get(5)
            .ok_or(PaError::Malformed("signer info".into()))?
            .expect(0x04)?
            .value
            .to_vec();

        let lso = Tlv::parse_all(&e_content)?.expect(0x30)?.children()?;
        let hash_alg = algorithm(
            lso.get(1)
                .ok_or(PaError::Malformed("security object".into()))?,
        )?
        .0;
        let mut hashes = BTreeMap::new();
        for dg in lso
            .get(2)
            .ok_or(PaError::Malformed("security object".into()))?
            .children()?
        {
            let [number, value] = dg.children()?[..] else {
                return Err(PaError::Malformed("data group hash".into()));
            };
            let n = match number.expect(0x02)?.value {
                [n @ 1..=16] => *n,
                _ => return Err(PaError::Malformed("data group number".into())),
            };
            if hashes
                .insert(n, value.expect(0x04)?.value.to_vec())
                .is_some()
            {
                return Err(PaError::Malformed(format!("DG{n} listed twice")));
            }
        }
        Ok(Self {
            hashes,
            hash_alg,
            e_content,
            digest_alg,
            signed_attrs: attrs.raw.to_vec(),
            signature_alg,
            signature_params,
            signature,
            signer,
        })
    }

    /// Whether `data` is DG`n` as signed.
    pub fn check_hash(&self, n: u8, data: &[u8]) -> Result<(), PaError> {
        let expected = self.hashes.get(&n).ok_or(PaError::NotInSod(n))?;
        if hash(&self.hash_alg, data)? == *expected {
            Ok(())
        } else {
            Err(PaError::HashMismatch(n))
        }
    }

    /// The signed attributes' message digest is the security object's, and
    /// the signature over them verifies with the signer's key.
    pub fn check_signature(&self) -> Result<(), PaError> {
        let attrs = Tlv::parse_all(&self.signed_attrs)?;
        let digest = attrs
            .children()?
            .into_iter()
            .find_map(|a| {
                let parts = a.children().ok()?;
                (parts.first()?.value == oid::MESSAGE_DIGEST)
                    .then(|| Some(parts.get(1)?.children().ok()?.first()?.value.to_vec()))
                    .flatten()
            })
            .ok_or(PaError::Malformed("no message digest attribute".into()))?;
        if hash(&self.digest_alg, &self.e_content)? != digest {
            return Err(PaError::BadSignature);
        }
        // The signature covers the attributes as a SET (tag 31), not as
        // the [0] they are stored under.
        let mut signed = self.signed_attrs.clone();
        signed[0] = 0x31;
        if verify(
            &self.signer,
            &self.signature_alg,
            &self.signature_params,
            &signed,
            &self.signature,
        )? {
            Ok(())
        } else {
            Err(PaError::BadSignature)
        }
    }
}

/// Trusted CSCA certificates.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    pub cscas: Vec<Certificate>,
}

impl TrustStore {
    /// Every certificate in `dir` (DER or PEM: `.der`, `.cer`, `.crt`,
    /// `.pem`) and every CSCA in an ICAO master list there (`.ml`); a file
    /// that is neither is an error naming it.
    pub fn load_dir(dir: &Path) -> Result<Self, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut cscas = Vec::new();
        for path in paths {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if !["der", "cer", "crt", "pem", "ml"].contains(&ext.as_str()) {
                continue;
            }
            let bytes = read_bounded(&path)?;
            if ext == "ml" {
                let list = master_list_certificates(&bytes)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                cscas.extend(list);
                continue;
            }
            for der in der_certificates(&bytes) {
                cscas.push(
                    Certificate::from_der(&der).map_err(|e| format!("{}: {e}", path.display()))?,
                );
            }
        }
        Ok(Self { cscas })
    }

    /// The CSCA that signed `ds`, if one here did; checks the signature,
    /// not only the names.
    pub fn issuer_of(&self, ds: &Certificate) -> Option<&Certificate> {
        self.cscas
            .iter()
            .find(|c| c.subject == ds.issuer && c.signed(ds))
    }

    /// Chain and validity of the document signer, at `now`.
    pub fn check_signer(&self, ds: &Certificate, now: DateTime<Utc>) -> Result<(), PaError> {
        let csca = self.issuer_of(ds).ok_or(PaError::UnknownCsca)?;
        if !ds.valid_at(now) {
            return Err(ds.not_valid("document signer"));
        }
        if !csca.valid_at(now) {
            return Err(csca.not_valid("CSCA"));
        }
        Ok(())
    }
}

/// The largest trust-store file read: ICAO's and national CSCA master
/// lists are a few megabytes.
const MAX_TRUST_FILE: u64 = 32 * 1024 * 1024;

/// A regular file's bytes, refused when larger than [`MAX_TRUST_FILE`]: a
/// FIFO would block the counter for ever and `/dev/zero` fill its memory.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let name = path.display();
    // Metadata follows symbolic links: a link to a device is refused too.
    let meta = std::fs::metadata(path).map_err(|e| format!("{name}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{name}: not a regular file"));
    }
    if meta.len() > MAX_TRUST_FILE {
        return Err(format!(
            "{name}: {} bytes, more than the {MAX_TRUST_FILE} a trust-store file may have",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    // Bounded again while reading: the file may grow after the check.
    file.take(MAX_TRUST_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_TRUST_FILE {
        return Err(format!("{name}: larger than {MAX_TRUST_FILE} bytes"));
    }
    Ok(bytes)
}

/// A file's certificates: the file itself when it is DER, every PEM block
/// otherwise.
fn der_certificates(bytes: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    if bytes.first() == Some(&0x30) {
        return vec![bytes.to_vec()];
    }
    let text = String::from_utf8_lossy(bytes);
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .filter_map(|block| {
            let body: String = block.split("-----END").next()?.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD.decode(body).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on a thread and fails the test if it takes longer than a
    /// few seconds (a hang must not hold the test run).
    fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()).ok());
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("hung: more than 5 s")
    }

    #[test]
    fn a_fifo_or_a_device_in_the_trust_store_is_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.der")).unwrap();
        let path = dir.path().to_owned();
        let err = within_seconds(move || TrustStore::load_dir(&path)).unwrap_err();
        assert!(
            err.contains("zero.der") && err.contains("not a regular file"),
            "{err}"
        );

        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("csca.pem");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let path = dir.path().to_owned();
        let err = within_seconds(move || TrustStore::load_dir(&path)).unwrap_err();
        assert!(err.contains("csca.pem"), "{err}");
    }

    #[test]
    fn an_oversized_trust_store_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = std::fs::File::create(dir.path().join("big.ml")).unwrap();
        big.set_len(MAX_TRUST_FILE + 1).unwrap();
        let err = TrustStore::load_dir(dir.path()).unwrap_err();
        assert!(err.contains("big.ml") && err.contains("more than"), "{err}");
    }

    #[test]
    fn oids_print_dotted() {
        assert_eq!(oid_text(oid::SHA256), "2.16.840.1.101.3.4.2.1");
        assert_eq!(oid_text(oid::LDS_SECURITY_OBJECT), "2.23.136.1.1.1");
    }
}
