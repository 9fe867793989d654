//! The emulator's test PKI: a device provider CA and a device certificate
//! under it, both Ed25519 (the MDS specification's "ECC curve 25519" for
//! the biometric signature; the JWS algorithm is `EdDSA`). The counter
//! trusts the CA (`ca.pem`); the device signs with its own key and sends
//! its certificate in the JWS header (`x5c`).

use anyhow::Context;
use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    PKCS_ED25519,
};
use std::path::Path;

/// A certificate and its key.
#[derive(Debug)]
pub struct Signer {
    pub cert_der: Vec<u8>,
    pub key: KeyPair,
}

/// The device provider's CA and one device under it.
#[derive(Debug)]
pub struct DevicePki {
    pub ca: Signer,
    pub device: Signer,
}

fn ca_params(name: &str) -> anyhow::Result<CertificateParams> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    p.distinguished_name.push(DnType::CountryName, "PL");
    p.distinguished_name
        .push(DnType::OrganizationName, "Passport Counter tests");
    p.distinguished_name.push(DnType::CommonName, name);
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2045, 1, 1);
    Ok(p)
}

pub const CA_NAME: &str = "MDS device provider (test)";

impl DevicePki {
    /// A fresh CA and a device certificate for `serial`.
    pub fn generate(serial: &str) -> anyhow::Result<Self> {
        let ca_key = KeyPair::generate_for(&PKCS_ED25519)?;
        let ca_cert = ca_params(CA_NAME)?.self_signed(&ca_key)?;
        let ca = Signer {
            cert_der: ca_cert.der().to_vec(),
            key: ca_key,
        };
        let device = Self::device_under(&ca, serial)?;
        Ok(Self { ca, device })
    }

    fn device_under(ca: &Signer, serial: &str) -> anyhow::Result<Signer> {
        let key = KeyPair::generate_for(&PKCS_ED25519)?;
        let mut p = CertificateParams::new(Vec::<String>::new())?;
        p.distinguished_name.push(DnType::CountryName, "PL");
        p.distinguished_name
            .push(DnType::CommonName, format!("MDS device {serial}"));
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.not_before = rcgen::date_time_ymd(2024, 1, 1);
        p.not_after = rcgen::date_time_ymd(2040, 1, 1);
        let issuer = Issuer::new(ca_params(CA_NAME)?, &ca.key);
        let cert = p.signed_by(&key, &issuer)?;
        Ok(Signer {
            cert_der: cert.der().to_vec(),
            key,
        })
    }

    /// Writes `DIR/ca.pem` (the trust store the counter is given) and the
    /// private parts `DIR/ca.key`, `DIR/device.pem`, `DIR/device.key`.
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        std::fs::write(dir.join("ca.pem"), to_pem(&self.ca.cert_der))?;
        std::fs::write(dir.join("ca.key"), self.ca.key.serialize_pem())?;
        std::fs::write(dir.join("device.pem"), to_pem(&self.device.cert_der))?;
        std::fs::write(dir.join("device.key"), self.device.key.serialize_pem())?;
        Ok(())
    }

    /// Reads what [`DevicePki::write`] wrote.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .with_context(|| format!("{}/{name}", dir.display()))
        };
        let der = |pem: String| -> anyhow::Result<Vec<u8>> {
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            Ok(base64::engine::general_purpose::STANDARD.decode(body)?)
        };
        Ok(Self {
            ca: Signer {
                cert_der: der(read("ca.pem")?)?,
                key: KeyPair::from_pem(&read("ca.key")?)?,
            },
            device: Signer {
                cert_der: der(read("device.pem")?)?,
                key: KeyPair::from_pem(&read("device.key")?)?,
            },
        })
    }

    /// The CA as PEM: what a test writes as the counter's trust store.
    pub fn ca_pem(&self) -> String {
        to_pem(&self.ca.cert_der)
    }
}

pub fn to_pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}
