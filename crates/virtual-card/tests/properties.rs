//! Passive authentication never panics on a damaged EF.SOD, certificate or
//! master list: real ones from the test PKI with bytes changed, cut off
//! or inserted (arbitrary bytes alone rarely get past the outer TLV; see
//! `passport-cards`' `tests/properties.rs` for those), and the whole
//! virtual passport with its files damaged the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_cards::pa::{Certificate, Sod, TrustStore, master_list_certificates};
use passport_cards::passport::{self, Transport, TransportError};
use passport_cards::vpcd::Card;
use passport_cards::{AccessKey, Expectation, Outcome, lds};
use proptest::prelude::*;
use proptest::sample::Index;
use std::sync::OnceLock;
use virtual_card::passport::{Passport, Personalisation, Variant};

/// One test PKI and one signed EF.SOD for every case.
struct Fixture {
    sod: Vec<u8>,
    csca: Vec<u8>,
    ds: Vec<u8>,
    master_list: Vec<u8>,
    dg1: Vec<u8>,
    trust: TrustStore,
    dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        virtual_card::pki::write(dir.path()).unwrap();
        let pki = virtual_card::pki::load(dir.path()).unwrap();
        let mrz = virtual_card::specimen_mrz("KOWALSKA", "ANNA").unwrap();
        let dg1 = lds::build_dg1(&mrz);
        let dg2 = lds::build_dg2(&[0xFF, 0xD8, 0xFF, 0xD9], 1, 1);
        Fixture {
            sod: virtual_card::pki::sod(&[(1, &dg1), (2, &dg2)], &pki.ds).unwrap(),
            master_list: std::fs::read(dir.path().join("trust-ml/pl.ml")).unwrap(),
            csca: pki.csca.cert_der,
            ds: pki.ds.cert_der,
            dg1,
            trust: TrustStore::load_dir(&dir.path().join("trust")).unwrap(),
            dir,
        }
    })
}

/// A damage: change, remove or insert bytes, or cut the tail.
#[derive(Debug, Clone)]
enum Damage {
    Set(Index, u8),
    Remove(Index),
    Insert(Index, u8),
    Cut(Index),
}

fn damages() -> impl Strategy<Value = Vec<Damage>> {
    proptest::collection::vec(
        prop_oneof![
            4 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Set(i, b)),
            1 => any::<Index>().prop_map(Damage::Remove),
            1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Insert(i, b)),
            1 => any::<Index>().prop_map(Damage::Cut),
        ],
        1..4,
    )
}

fn damaged(bytes: &[u8], damages: &[Damage]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for d in damages {
        if out.is_empty() {
            break;
        }
        match d {
            Damage::Set(i, b) => {
                let i = i.index(out.len());
                out[i] = *b;
            }
            Damage::Remove(i) => {
                out.remove(i.index(out.len()));
            }
            Damage::Insert(i, b) => out.insert(i.index(out.len()), *b),
            Damage::Cut(i) => out.truncate(i.index(out.len())),
        }
    }
    out
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "proptest-regressions/properties.txt",
            ),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn a_damaged_ef_sod_is_an_error_or_a_failed_check_never_a_panic(d in damages()) {
        let f = fixture();
        let bytes = damaged(&f.sod, &d);
        if let Ok(sod) = Sod::parse(&bytes) {
            let _ = sod.check_hash(1, &f.dg1);
            let _ = sod.check_signature();
            let _ = f.trust.issuer_of(&sod.signer);
            let _ = f.trust.check_signer(&sod.signer, std::time::SystemTime::now().into());
        }
    }

    #[test]
    fn damaged_certificates_and_master_lists_never_panic(d in damages()) {
        let f = fixture();
        for der in [&f.csca, &f.ds] {
            if let Ok(cert) = Certificate::from_der(&damaged(der, &d)) {
                let trust = TrustStore { cscas: vec![cert.clone()] };
                let _ = trust.issuer_of(&Certificate::from_der(&f.ds).unwrap());
                let _ = f.trust.check_signer(&cert, std::time::SystemTime::now().into());
            }
        }
        let _ = master_list_certificates(&damaged(&f.master_list, &d));
    }
}

/// The virtual passport with one file damaged, read through its secure
/// messaging: always read (BAC succeeded), never passed unless untouched.
struct Damaged {
    card: Passport,
}

impl Transport for Damaged {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.card.apdu(apdu))
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn the_whole_check_of_a_passport_with_a_damaged_file_is_a_verdict(
        file in prop_oneof![Just(lds::FID_COM), Just(lds::fid_of(1)), Just(lds::fid_of(2)), Just(lds::FID_SOD)],
        d in damages(),
    ) {
        let f = fixture();
        let pki = virtual_card::pki::load(f.dir.path()).unwrap();
        let mrz = virtual_card::specimen_mrz("KOWALSKA", "ANNA").unwrap();
        let person = Personalisation {
            mrz: mrz.clone(),
            jpeg: vec![0xFF, 0xD8, 0xFF, 0xD9],
            width: 1,
            height: 1,
            max_response: Some(4096),
        };
        let mut card = Passport::new(&person, &pki, Variant::Valid, None).unwrap();
        let original = card.file(file).unwrap().to_vec();
        let changed = damaged(&original, &d);
        card.set_file(file, changed.clone());
        let expect = Expectation {
            key: AccessKey::new("DA0000001", "900101", "350101"),
            mrz: Some(&mrz),
            trust: &f.trust,
            now: std::time::SystemTime::now().into(),
        };
        let r = passport::check(&mut Damaged { card }, &expect);
        prop_assert!(r.readable, "{r:#?}");
        prop_assert_ne!(r.outcome, Outcome::Unreadable);
        // Every byte of DG1 and DG2 is hashed (EF.COM is not signed, and
        // EF.SOD has fields outside its signature).
        if changed != original && [lds::fid_of(1), lds::fid_of(2)].contains(&file) {
            prop_assert_ne!(r.outcome, Outcome::Passed, "{:#?}", r);
        }
    }
}
