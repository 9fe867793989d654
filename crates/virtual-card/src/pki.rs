//! The test PKI: a CSCA and a document signer (ECDSA P-256), and EF.SOD
//! signed with them. `virtual-card pki --out DIR` writes
//! `DIR/trust/csca.pem` (what the counter trusts: `--csca DIR/trust`), the
//! same CSCA as an ICAO master list in `DIR/trust-ml/pl.ml`, and the private
//! parts under `DIR/private/` for the virtual passport.

use anyhow::Context;
use passport_cards::pa::oid;
use passport_cards::tlv::{self, Tlv};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    PKCS_ECDSA_P256_SHA256, PKCS_ECDSA_P384_SHA384, SignatureAlgorithm, SigningKey,
};
use std::path::Path;

/// A certificate and its key.
#[derive(Debug)]
pub struct Signer {
    pub cert_der: Vec<u8>,
    pub key: KeyPair,
}

fn csca_params(country_name: &str) -> anyhow::Result<CertificateParams> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    p.distinguished_name.push(DnType::CountryName, "PL");
    p.distinguished_name
        .push(DnType::OrganizationName, "Passport Counter tests");
    p.distinguished_name.push(DnType::CommonName, country_name);
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2045, 1, 1);
    Ok(p)
}

/// A new CSCA named `name` (a second one with the same name but another
/// key is how "signed by an unknown CSCA" is made).
pub fn csca(name: &str) -> anyhow::Result<Signer> {
    csca_on(name, &PKCS_ECDSA_P256_SHA256)
}

/// A new CSCA with a key for `alg` (P-256 or P-384 ECDSA).
pub fn csca_on(name: &str, alg: &'static SignatureAlgorithm) -> anyhow::Result<Signer> {
    let key = KeyPair::generate_for(alg)?;
    let cert = csca_params(name)?.self_signed(&key)?;
    Ok(Signer {
        cert_der: cert.der().to_vec(),
        key,
    })
}

/// A document signer under `csca`, valid from `from` to `to` (years).
pub fn document_signer(
    csca_name: &str,
    csca: &Signer,
    from: (i32, u8, u8),
    to: (i32, u8, u8),
) -> anyhow::Result<Signer> {
    document_signer_on(csca_name, csca, from, to, &PKCS_ECDSA_P256_SHA256)
}

/// A document signer with a key for `alg`.
pub fn document_signer_on(
    csca_name: &str,
    csca: &Signer,
    from: (i32, u8, u8),
    to: (i32, u8, u8),
    alg: &'static SignatureAlgorithm,
) -> anyhow::Result<Signer> {
    let key = KeyPair::generate_for(alg)?;
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    p.distinguished_name.push(DnType::CountryName, "PL");
    p.distinguished_name
        .push(DnType::CommonName, "Document Signer (test)");
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
    p.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
    let issuer = Issuer::new(csca_params(csca_name)?, &csca.key);
    let cert = p.signed_by(&key, &issuer)?;
    Ok(Signer {
        cert_der: cert.der().to_vec(),
        key,
    })
}

pub const CSCA_NAME: &str = "CSCA Poland (test)";

/// Writes a fresh test PKI to `dir`.
pub fn write(dir: &Path) -> anyhow::Result<()> {
    let csca = csca(CSCA_NAME)?;
    let ds = document_signer(CSCA_NAME, &csca, (2024, 1, 1), (2040, 1, 1))?;
    std::fs::create_dir_all(dir.join("trust"))?;
    std::fs::create_dir_all(dir.join("private"))?;
    std::fs::write(dir.join("trust/csca.pem"), to_pem(&csca.cert_der))?;
    // The same CSCA as an ICAO master list, the other form a trust store
    // takes (signed by the CSCA itself here).
    std::fs::create_dir_all(dir.join("trust-ml"))?;
    std::fs::write(
        dir.join("trust-ml/pl.ml"),
        master_list(&[&csca.cert_der], &csca)?,
    )?;
    std::fs::write(dir.join("private/csca.der"), &csca.cert_der)?;
    std::fs::write(dir.join("private/csca.key"), csca.key.serialize_der())?;
    std::fs::write(dir.join("private/ds.der"), &ds.cert_der)?;
    std::fs::write(dir.join("private/ds.key"), ds.key.serialize_der())?;
    Ok(())
}

fn to_pem(der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .filter_map(|l| std::str::from_utf8(l).ok())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// The PKI written by [`write`].
#[derive(Debug)]
pub struct Loaded {
    pub csca: Signer,
    pub ds: Signer,
}

pub fn load(dir: &Path) -> anyhow::Result<Loaded> {
    let read = |name: &str| {
        std::fs::read(dir.join("private").join(name))
            .with_context(|| format!("{}/private/{name}", dir.display()))
    };
    Ok(Loaded {
        csca: Signer {
            cert_der: read("csca.der")?,
            key: KeyPair::try_from(read("csca.key")?.as_slice())?,
        },
        ds: Signer {
            cert_der: read("ds.der")?,
            key: KeyPair::try_from(read("ds.key")?.as_slice())?,
        },
    })
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv::encode(0x30, &parts.concat())
}

fn oid_der(value: &[u8]) -> Vec<u8> {
    tlv::encode(0x06, value)
}

fn sha256(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

/// EF.SOD over `groups` (number, file), signed by `ds`.
pub fn sod(groups: &[(u8, &[u8])], ds: &Signer) -> anyhow::Result<Vec<u8>> {
    let hashes: Vec<Vec<u8>> = groups
        .iter()
        .map(|(n, data)| seq(&[tlv::encode(0x02, &[*n]), tlv::encode(0x04, &sha256(data))]))
        .collect();
    let lso = seq(&[
        tlv::encode(0x02, &[0]),
        seq(&[oid_der(oid::SHA256)]),
        seq(&hashes),
    ]);
    Ok(tlv::encode(
        0x77,
        &signed(oid::LDS_SECURITY_OBJECT, &lso, ds)?,
    ))
}

/// An ICAO CSCA master list holding `cscas`, signed by `signer`.
pub fn master_list(cscas: &[&[u8]], signer: &Signer) -> anyhow::Result<Vec<u8>> {
    let list = seq(&[tlv::encode(0x02, &[0]), tlv::encode(0x31, &cscas.concat())]);
    signed(oid::CSCA_MASTER_LIST, &list, signer)
}

/// A CMS ContentInfo with SignedData over `content` of `content_type`,
/// signed (ECDSA P-256, SHA-256, signed attributes) by `signer`, whose
/// certificate it carries.
fn signed(content_type: &[u8], content: &[u8], signer: &Signer) -> anyhow::Result<Vec<u8>> {
    let sha256_alg = seq(&[oid_der(oid::SHA256)]);
    let attrs = [
        seq(&[
            oid_der(oid::CONTENT_TYPE),
            tlv::encode(0x31, &oid_der(content_type)),
        ]),
        seq(&[
            oid_der(oid::MESSAGE_DIGEST),
            tlv::encode(0x31, &tlv::encode(0x04, &sha256(content))),
        ]),
    ]
    .concat();
    let signature = signer.key.sign(&tlv::encode(0x31, &attrs))?;

    // IssuerAndSerialNumber from the signer's certificate.
    let cert = Tlv::parse_all(&signer.cert_der)?;
    let tbs = cert.children()?.first().copied().context("certificate")?;
    let fields: Vec<Tlv<'_>> = tbs
        .children()?
        .into_iter()
        .filter(|f| f.tag != 0xA0)
        .collect();
    let (serial, issuer) = (
        fields.first().context("serial")?,
        fields.get(2).context("issuer")?,
    );
    let signer_info = seq(&[
        tlv::encode(0x02, &[1]),
        seq(&[issuer.raw.to_vec(), serial.raw.to_vec()]),
        sha256_alg.clone(),
        tlv::encode(0xA0, &attrs),
        seq(&[oid_der(
            if signer.key.algorithm() == &PKCS_ECDSA_P384_SHA384 {
                oid::ECDSA_SHA384
            } else {
                oid::ECDSA_SHA256
            },
        )]),
        tlv::encode(0x04, &signature),
    ]);
    let signed_data = seq(&[
        tlv::encode(0x02, &[3]),
        tlv::encode(0x31, &sha256_alg),
        seq(&[
            oid_der(content_type),
            tlv::encode(0xA0, &tlv::encode(0x04, content)),
        ]),
        tlv::encode(0xA0, &signer.cert_der),
        tlv::encode(0x31, &signer_info),
    ]);
    Ok(seq(&[
        oid_der(oid::SIGNED_DATA),
        tlv::encode(0xA0, &signed_data),
    ]))
}
