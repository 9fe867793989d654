//! The chip check against the virtual passport without pcscd: the card's
//! logic driven directly, every variant. The same checks run through the
//! real pcscd in `counterctl`'s `tests/cards.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_cards::passport::{self, Transport, TransportError};
use passport_cards::vpcd::Card;
use passport_cards::{AccessKey, Check, Expectation, Outcome, TrustStore};
use virtual_card::passport::{Passport, Personalisation, Variant};

fn mrz() -> String {
    virtual_card::specimen_mrz("KOWALSKA", "ANNA MARIA").unwrap()
}

struct Direct(Passport);

impl Transport for Direct {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.0.removed() {
            return Err(TransportError::Removed);
        }
        Ok(self.0.apdu(apdu))
    }
}

fn pki() -> (tempfile::TempDir, virtual_card::pki::Loaded, TrustStore) {
    let dir = tempfile::tempdir().unwrap();
    virtual_card::pki::write(dir.path()).unwrap();
    let loaded = virtual_card::pki::load(dir.path()).unwrap();
    let trust = TrustStore::load_dir(&dir.path().join("trust")).unwrap();
    (dir, loaded, trust)
}

fn run(
    variant: Variant,
    max_response: Option<u16>,
    remove_after: Option<u32>,
) -> passport_cards::ChipReport {
    let (_dir, pki, trust) = pki();
    let (jpeg, width, height) = virtual_card::face::jpeg(1).unwrap();
    let person = Personalisation {
        mrz: mrz(),
        jpeg,
        width,
        height,
        max_response,
    };
    let mrz = mrz();
    let mut card = Direct(Passport::new(&person, &pki, variant, remove_after).unwrap());
    let expect = Expectation {
        key: AccessKey::new("DA0000001", "900101", "350101"),
        mrz: Some(&mrz),
        trust: &trust,
        now: std::time::SystemTime::now().into(),
    };
    passport::check(&mut card, &expect)
}

fn failed(report: &passport_cards::ChipReport) -> Vec<Check> {
    report
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.check)
        .collect()
}

#[test]
fn a_valid_passport_passes_every_check() {
    for max in [None, Some(4096)] {
        let r = run(Variant::Valid, max, None);
        assert_eq!(r.outcome, Outcome::Passed, "{r:#?}");
        assert_eq!(failed(&r), []);
        let checks: Vec<Check> = r.checks.iter().map(|c| c.check).collect();
        assert_eq!(
            checks,
            [
                Check::Access,
                Check::DataGroups,
                Check::Structure,
                Check::Hashes,
                Check::Signature,
                Check::Chain,
                Check::Validity,
                Check::Mrz
            ]
        );
        let mrz = r.mrz.as_ref().unwrap();
        assert_eq!(
            (mrz.surname.as_str(), mrz.given_names.as_str()),
            ("KOWALSKA", "ANNA MARIA")
        );
        assert_eq!(
            (mrz.document_number.as_str(), mrz.birth.as_str()),
            ("DA0000001", "900101")
        );
        let face = r.face.as_ref().unwrap();
        assert_eq!(face.format, passport_cards::lds::ImageFormat::Jpeg);
        assert!(face.base64.starts_with("/9j/"), "JPEG magic in base64");
        assert_eq!(r.data_groups_read, [1, 2]);
    }
}

#[test]
fn a_p384_document_signer_under_a_p384_csca_verifies() {
    use virtual_card::pki;
    let p384 = &rcgen::PKCS_ECDSA_P384_SHA384;
    let csca = pki::csca_on(pki::CSCA_NAME, p384).unwrap();
    let ds =
        pki::document_signer_on(pki::CSCA_NAME, &csca, (2024, 1, 1), (2040, 1, 1), p384).unwrap();
    let trust = TrustStore {
        cscas: vec![passport_cards::pa::Certificate::from_der(&csca.cert_der).unwrap()],
    };
    let (jpeg, width, height) = virtual_card::face::jpeg(3).unwrap();
    let mrz = mrz();
    let person = Personalisation {
        mrz: mrz.clone(),
        jpeg,
        width,
        height,
        max_response: Some(4096),
    };
    let loaded = pki::Loaded { csca, ds };
    let mut card = Direct(Passport::new(&person, &loaded, Variant::Valid, None).unwrap());
    let expect = Expectation {
        key: AccessKey::new("DA0000001", "900101", "350101"),
        mrz: Some(&mrz),
        trust: &trust,
        now: std::time::SystemTime::now().into(),
    };
    let r = passport::check(&mut card, &expect);
    assert_eq!(r.outcome, Outcome::Passed, "{r:#?}");
}

#[test]
fn a_master_list_is_a_trust_store_too() {
    let dir = tempfile::tempdir().unwrap();
    virtual_card::pki::write(dir.path()).unwrap();
    let from_ml = TrustStore::load_dir(&dir.path().join("trust-ml")).unwrap();
    let from_pem = TrustStore::load_dir(&dir.path().join("trust")).unwrap();
    assert_eq!(from_ml.cscas.len(), 1);
    assert_eq!(from_ml.cscas[0].der, from_pem.cscas[0].der);
    std::fs::write(dir.path().join("trust-ml/broken.ml"), b"not a master list").unwrap();
    let err = TrustStore::load_dir(&dir.path().join("trust-ml")).unwrap_err();
    assert!(err.contains("broken.ml"), "{err}");
}

#[test]
fn extended_reads_need_fewer_apdus() {
    let short = run(Variant::Valid, None, None).traffic;
    let long = run(Variant::Valid, Some(4096), None).traffic;
    assert!(long.apdus * 3 < short.apdus, "{long:?} vs {short:?}");
}

#[test]
fn each_broken_passport_fails_with_its_own_reason() {
    let cases = [
        (Variant::TamperedDg1, Outcome::HashMismatch, Check::Hashes),
        (
            Variant::MissingDg2,
            Outcome::DataGroupMissing,
            Check::DataGroups,
        ),
        (
            Variant::BadSignature,
            Outcome::BadSignature,
            Check::Signature,
        ),
        (Variant::UnknownCsca, Outcome::UnknownCsca, Check::Chain),
        (
            Variant::ExpiredSigner,
            Outcome::CertificateExpired,
            Check::Validity,
        ),
    ];
    for (variant, outcome, check) in cases {
        let r = run(variant, Some(4096), None);
        assert_eq!(r.outcome, outcome, "{variant:?}: {r:#?}");
        assert!(r.readable);
        assert_eq!(failed(&r).first(), Some(&check), "{variant:?}");
    }
    // Tampering DG1 also makes it differ from the register's record.
    assert_eq!(
        failed(&run(Variant::TamperedDg1, None, None)),
        [Check::Hashes, Check::Mrz]
    );
}

/// Once BAC succeeded, a damaged or garbled file is a failed check of its
/// own (malformed data), never "unreadable, try again", and the report
/// keeps everything that was read.
#[test]
fn a_chip_with_damaged_files_fails_and_shows_what_it_read() {
    for (variant, file) in [
        (Variant::EmptySod, "EF.SOD"),
        (Variant::GarbledSod, "EF.SOD"),
        (Variant::GarbledCom, "EF.COM"),
        (Variant::GarbledDg1, "DG1"),
        (Variant::TruncatedDg2, "DG2"),
    ] {
        for max in [None, Some(4096)] {
            let r = run(variant, max, None);
            assert_eq!(
                (r.outcome, r.readable, r.retryable),
                (Outcome::MalformedData, true, false),
                "{variant:?}: {r:#?}"
            );
            assert_eq!(r.error, None);
            assert_eq!(failed(&r).first(), Some(&Check::Structure), "{variant:?}");
            let structure = r.checks.iter().find(|c| c.check == Check::Structure);
            let detail = &structure.unwrap().detail;
            assert!(detail.en.starts_with(file), "{variant:?}: {detail:?}");
            // What could be read is there.
            if variant != Variant::GarbledDg1 {
                let mrz = r.mrz.as_ref().expect("DG1 shown");
                assert_eq!(mrz.surname, "KOWALSKA", "{variant:?}");
                assert_eq!(mrz.document_number, "DA0000001");
            }
            if !matches!(variant, Variant::TruncatedDg2) {
                assert!(r.face.is_some(), "{variant:?}: DG2 shown");
            }
            if variant != Variant::GarbledCom {
                assert_eq!(r.data_groups_listed, [1, 2], "{variant:?}");
            }
        }
    }
    // The empty EF.SOD: the passive authentication could not run, and says
    // so; DG1 and DG2 were read whole.
    let r = run(Variant::EmptySod, None, None);
    assert_eq!(r.data_groups_read, [1, 2]);
    assert_eq!(
        failed(&r),
        [Check::Structure, Check::Hashes, Check::Signature]
    );
    let detail = &r.checks[2].detail;
    assert_eq!(detail.en, "EF.SOD: the file is empty", "{detail:?}");
    assert_eq!(detail.pl, "EF.SOD: plik jest pusty", "{detail:?}");
    // A garbled DG1 is not shown, and differs from the register's record.
    let r = run(Variant::GarbledDg1, None, None);
    assert_eq!(r.mrz, None);
    assert_eq!(failed(&r), [Check::Structure, Check::Mrz]);
    // The truncated DG2 is not hashed: what was signed cannot be compared.
    let r = run(Variant::TruncatedDg2, Some(4096), None);
    assert_eq!(r.data_groups_read, [1]);
    assert!(
        r.checks[2].detail.en.contains("ends after"),
        "{:?}",
        r.checks[2].detail
    );
}

#[test]
fn a_wrong_access_key_or_a_lifted_passport_is_unreadable() {
    let r = run(Variant::WrongMrz, None, None);
    assert_eq!(
        (r.outcome, r.readable, r.retryable),
        (Outcome::WrongAccessKey, false, false)
    );
    let r = run(Variant::Valid, None, Some(12));
    assert_eq!(
        (r.outcome, r.readable, r.retryable),
        (Outcome::Unreadable, false, true),
        "{r:#?}"
    );
}
