//! Nothing a card sends can crash or hang the counter: property tests for
//! every parser of card data (BER-TLV, APDUs, secure messaging, BAC,
//! EF.COM, DG1, DG2, EF.SOD/CMS/X.509, trust-store files) and for the whole
//! chip check against a chip that answers anything once BAC has succeeded.
//! EF.SOD and certificates built from a real test PKI are mutated in
//! `virtual-card`'s `tests/properties.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use passport_cards::apdu::{Command, Response};
use passport_cards::bac::{self, AccessKey, Session};
use passport_cards::passport::{self, Transport, TransportError};
use passport_cards::sm::Channel;
use passport_cards::tlv::{self, Tlv};
use passport_cards::{Expectation, Outcome, TrustStore, lds, pa};
use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::{BTreeMap, VecDeque};

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..max)
}

/// A TLV header claiming a length (up to 4 GB), then arbitrary bytes: how
/// a chip would ask for an unbounded allocation.
fn claims_length() -> impl Strategy<Value = Vec<u8>> {
    (any::<u8>(), 0u8..6, any::<u32>(), bytes(64)).prop_map(|(tag, n, len, rest)| {
        let mut out = vec![tag];
        if n == 0 {
            out.push(0x7F);
        } else {
            out.push(0x80 | n);
            let be = len.to_be_bytes();
            out.extend(be.iter().cycle().take(usize::from(n)));
        }
        out.extend(rest);
        out
    })
}

fn card_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![bytes(300), claims_length()]
}

/// Cases per property (`PROPTEST_CASES` for a longer hunt), and failures
/// kept in `proptest-regressions/` (the default looks for a `lib.rs`
/// beside the test and finds none).
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
    fn tlv_parsing_never_panics_and_stays_inside_its_input(input in card_bytes()) {
        if let Ok((t, rest)) = Tlv::parse(&input) {
            prop_assert!(t.value.len() <= t.raw.len());
            prop_assert_eq!(t.raw.len() + rest.len(), input.len());
            let _ = t.children();
            let _ = t.child(0x30);
        }
        let _ = Tlv::parse_all(&input);
        let _ = tlv::sequence(&input);
        if let Ok(n) = tlv::total_len(&input) {
            // A length from four bytes is at most 4 GB plus the header.
            prop_assert!(n <= u32::MAX as usize + 6);
        }
    }

    #[test]
    fn tlv_round_trips(tag in prop_oneof![0u32..0x1F, 0x5F01u32..0x5F7F, 0x7F01u32..0x7F7F], value in bytes(700)) {
        let enc = tlv::encode(tag, &value);
        let t = Tlv::parse_all(&enc).unwrap();
        prop_assert_eq!((t.tag, t.value), (tag, value.as_slice()));
        prop_assert_eq!(tlv::total_len(&enc).unwrap(), enc.len());
    }

    #[test]
    fn apdus_parse_without_panicking(input in bytes(600)) {
        if let Some(cmd) = Command::parse(&input) {
            // What parsed encodes back to something that parses the same.
            prop_assert_eq!(Command::parse(&cmd.to_bytes()), Some(cmd));
        }
        if let Some(r) = Response::parse(&input) {
            prop_assert_eq!(r.to_bytes(), input);
        }
    }

    #[test]
    fn secure_messaging_refuses_arbitrary_bytes_without_panicking(
        data in card_bytes(),
        sw in any::<u16>(),
        cla in any::<u8>(),
    ) {
        let (mut terminal, mut chip) = channels();
        let _ = terminal.unprotect(&Response { data: data.clone(), sw });
        let _ = chip.open_command(&Command::new(cla, 0xB0, 0, 0).with_data(data));
    }

    /// DO87, DO99, DO97 and others with arbitrary contents and a valid MAC,
    /// so that the opening itself (padding, lengths, status) is reached.
    #[test]
    fn secure_messaging_objects_with_a_valid_mac_never_panic(
        objects in vec((prop_oneof![Just(0x87u32), Just(0x99), Just(0x97), Just(0x85), any::<u8>().prop_map(u32::from)], bytes(40)), 0..4),
        cla in any::<u8>(),
    ) {
        let session = session();
        let mut body: Vec<u8> = objects.iter().flat_map(|(t, v)| tlv::encode(*t, v)).collect();
        // The terminal's response MAC covers SSC+2 and the objects.
        let mut k = (session.ssc + 1).to_be_bytes().to_vec();
        k.extend_from_slice(&body);
        let mac = bac::mac(&session.ks_mac, &bac::pad(&k));
        let mut with_mac = body.clone();
        with_mac.extend(tlv::encode(0x8E, &mac));
        let (mut terminal, _) = channels();
        let _ = terminal.unprotect(&Response { data: with_mac, sw: 0x9000 });
        // The chip's command MAC covers SSC+1, the padded header and the objects.
        let cla = cla | 0x0C;
        let mut m = (session.ssc + 1).to_be_bytes().to_vec();
        m.extend(bac::pad(&[cla, 0xB0, 0, 0]));
        m.extend_from_slice(&body);
        let mac = bac::mac(&session.ks_mac, &bac::pad(&m));
        body.extend(tlv::encode(0x8E, &mac));
        let (_, mut chip) = channels();
        let _ = chip.open_command(&Command::new(cla, 0xB0, 0, 0).with_data(body));
    }

    #[test]
    fn protected_answers_round_trip(data in bytes(600), sw in any::<u16>()) {
        let (mut terminal, mut chip) = channels();
        // The counters move together: one command, one answer.
        let _ = chip.open_command(&terminal.protect(&Command::new(0, 0xB0, 0, 0).with_le(16)));
        let plain = Response { data, sw };
        let back = terminal.unprotect(&chip.protect_response(&plain)).unwrap();
        prop_assert_eq!(back, plain);
    }

    #[test]
    fn bac_answers_of_any_shape_are_refused_without_panicking(answer in bytes(100), rnd in any::<[u8; 8]>()) {
        let seed = AccessKey::new("L898902C", "690806", "940623").seed().unwrap();
        let terminal = bac::Terminal::new(&seed, rnd, [3; 24]);
        prop_assert!(terminal.finish(&answer).is_none() || answer.len() == 40);
        let _ = bac::chip_answer(&seed, &rnd, &answer, [5; 16]);
        let _ = bac::unpad(&answer);
        let _ = bac::decrypt(&seed, &answer);
    }

    #[test]
    fn lds_files_parse_without_panicking(input in card_bytes()) {
        let _ = lds::parse_com(&input);
        let _ = lds::parse_dg1(&input);
        let _ = lds::parse_dg2(&input);
        let _ = lds::parse_max_response(&input);
    }

    /// DG2's templates around an arbitrary biometric record, with and
    /// without ISO 19794-5's "FAC" magic: the record parser is reached.
    #[test]
    fn face_records_of_any_content_never_panic(record in bytes(200), fac in any::<bool>(), points in any::<u16>()) {
        let mut rec = if fac { b"FAC\x00010\x00".to_vec() } else { Vec::new() };
        rec.extend(record);
        if fac && rec.len() >= 20 {
            rec[18..20].copy_from_slice(&points.to_be_bytes());
        }
        let template = tlv::encode(0x7F60, &tlv::encode(0x5F2E, &rec));
        let dg2 = tlv::encode(0x75, &tlv::encode(0x7F61, &template));
        if let Ok(Some(face)) = lds::parse_dg2(&dg2) {
            prop_assert!(face.data.len() <= rec.len());
        }
    }

    #[test]
    fn ef_sod_and_certificates_parse_without_panicking(input in card_bytes()) {
        let _ = pa::Sod::parse(&input);
        let _ = pa::Certificate::from_der(&input);
        let _ = pa::master_list_certificates(&input);
        let _ = pa::oid_text(&input);
        let wrapped = tlv::encode(0x77, &input);
        let _ = pa::Sod::parse(&wrapped);
    }

    /// CMS's nesting with arbitrary leaves: SignedData's fields are reached.
    #[test]
    fn nested_cms_shapes_never_panic(leaves in vec((any::<u8>(), bytes(24)), 0..8)) {
        let inner: Vec<u8> = leaves.iter().flat_map(|(t, v)| tlv::encode(u32::from(*t), v)).collect();
        let signed = tlv::encode(0x30, &[
            tlv::encode(0x02, &[3]),
            tlv::encode(0x31, &[]),
            tlv::encode(0x30, &[tlv::encode(0x06, pa::oid::LDS_SECURITY_OBJECT), tlv::encode(0xA0, &tlv::encode(0x04, &inner))].concat()),
            tlv::encode(0xA0, &inner),
            tlv::encode(0x31, &tlv::encode(0x30, &inner)),
        ].concat());
        let ci = tlv::encode(0x30, &[tlv::encode(0x06, pa::oid::SIGNED_DATA), tlv::encode(0xA0, &signed)].concat());
        let _ = pa::Sod::parse(&tlv::encode(0x77, &ci));
        let _ = pa::master_list_certificates(&ci);
    }

    #[test]
    fn trust_store_files_of_any_content_are_an_error_not_a_panic(
        content in prop_oneof![card_bytes(), ".{0,200}".prop_map(|s| format!("-----BEGIN CERTIFICATE-----\n{s}\n-----END CERTIFICATE-----").into_bytes())],
        ext in prop_oneof![Just("der"), Just("pem"), Just("crt"), Just("cer"), Just("ml")],
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(format!("x.{ext}")), &content).unwrap();
        let _ = TrustStore::load_dir(dir.path());
    }

    #[test]
    fn atrs_of_any_length_are_well_formed(historical in bytes(40)) {
        let atr = passport_cards::vpcd::atr_t1(&historical);
        // T0's low nibble counts the historical bytes that follow; TCK
        // makes the XOR of T0..TCK zero.
        let k = usize::from(atr[1] & 0x0F);
        prop_assert_eq!(atr.len(), 4 + k + 1);
        prop_assert_eq!(atr[1..].iter().fold(0u8, |a, b| a ^ b), 0);
        prop_assert_eq!(passport_cards::hex(&atr).len(), 2 * atr.len());
    }
}

/// A card answering the given byte strings in turn, then nothing.
struct Answers(VecDeque<Vec<u8>>);

impl Transport for Answers {
    fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0.pop_front().ok_or(TransportError::NoAnswer)
    }
}

fn ok_or_anything() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(vec![0x90, 0x00]),
        bytes(80).prop_map(|mut b| {
            b.extend([0x90, 0x00]);
            b
        }),
        bytes(80),
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// The clerk card's answers: identifier, PIN tries, public key and the
    /// signature over a challenge, all from the card.
    #[test]
    fn clerk_card_answers_of_any_shape_never_panic(answers in vec(ok_or_anything(), 0..8)) {
        use passport_cards::clerk;
        if let Ok(id) = clerk::card_id(&mut Answers(answers.clone().into())) {
            prop_assert!(!id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_graphic()));
        }
        let _ = clerk::tries_left(&mut Answers(answers.clone().into()));
        let _ = clerk::verify_pin(&mut Answers(answers.clone().into()), "1234");
        let _ = clerk::public_key(&mut Answers(answers.clone().into()));
        // A signature from arbitrary bytes never verifies.
        prop_assert!(clerk::prove(&mut Answers(answers.into()), "1234").is_err());
    }
}

fn session() -> Session {
    Session {
        ks_enc: [0x97; 16],
        ks_mac: [0xF1; 16],
        ssc: 0x887022120C06C226,
    }
}

fn channels() -> (Channel, Channel) {
    (session().into(), session().into())
}

// --- The whole check against a chip that answers anything after BAC ---

const MRZ: &str =
    "P<POLKOWALSKA<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<DA00000014POL9001017F3501017<<<<<<<<<<<<<<02";

fn key() -> AccessKey {
    AccessKey::new("DA0000001", "900101", "350101")
}

/// How the chip answers one protected command after BAC.
#[derive(Debug, Clone)]
enum Answer {
    /// As its files say.
    Honest,
    /// This plain answer, properly protected.
    Protected(Vec<u8>, u16),
    /// These bytes as they are (not protected, maybe not even a status).
    Raw(Vec<u8>),
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        6 => Just(Answer::Honest),
        2 => (card_bytes(), prop_oneof![Just(0x9000u16), Just(0x6282), Just(0x6A82), any::<u16>()])
            .prop_map(|(d, sw)| Answer::Protected(d, sw)),
        1 => bytes(40).prop_map(Answer::Raw),
    ]
}

/// A minimal eMRTD chip: BAC and secure messaging done right, files and
/// answers from the test.
struct FuzzChip {
    seed: bac::Key,
    files: BTreeMap<[u8; 2], Vec<u8>>,
    file: Option<[u8; 2]>,
    challenge: Option<[u8; 8]>,
    channel: Option<Channel>,
    script: VecDeque<Answer>,
    /// Every APDU the reader sent: a loop shows as thousands.
    apdus: usize,
    /// Answer at most this many bytes per READ BINARY after the first,
    /// whatever was asked.
    trickle: Option<usize>,
    authenticated: bool,
}

impl FuzzChip {
    fn new(files: BTreeMap<[u8; 2], Vec<u8>>, script: Vec<Answer>) -> Self {
        Self {
            seed: key().seed().unwrap(),
            files,
            file: None,
            challenge: None,
            channel: None,
            script: script.into(),
            apdus: 0,
            trickle: None,
            authenticated: false,
        }
    }

    fn honest(&mut self, cmd: &Command) -> Response {
        match cmd.ins {
            0xA4 => match <[u8; 2]>::try_from(cmd.data.as_slice()) {
                Ok(fid) if self.files.contains_key(&fid) => {
                    self.file = Some(fid);
                    Response::status(0x9000)
                }
                _ => Response::status(0x6A82),
            },
            0xB0 => {
                let Some(data) = self.file.and_then(|f| self.files.get(&f)) else {
                    return Response::status(0x6986);
                };
                let offset = usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]));
                // The header (offset 0) whole, then the trickle.
                let trickle = self.trickle.filter(|_| offset > 0);
                let want = cmd.le.unwrap_or(256).min(trickle.unwrap_or(usize::MAX));
                let start = offset.min(data.len());
                let end = (offset + want).min(data.len());
                let mut r = Response::ok(data[start..end].to_vec());
                if end - start < want {
                    r.sw = 0x6282;
                }
                r
            }
            _ => Response::status(0x6D00),
        }
    }
}

impl Transport for FuzzChip {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.apdus += 1;
        if self.apdus > 5_000 {
            // Far more than reading four files of 32 KB in 223-byte parts
            // takes: the reader is looping.
            return Err(TransportError::Other("the reader loops".into()));
        }
        let cmd = Command::parse(apdu).expect("the reader sends well-formed APDUs");
        if cmd.cla & 0x0C == 0x0C {
            let Some(channel) = self.channel.as_mut() else {
                return Ok(Response::status(0x6982).to_bytes());
            };
            let Ok(plain) = channel.open_command(&cmd) else {
                self.channel = None;
                return Ok(Response::status(0x6988).to_bytes());
            };
            let answer = self.script.pop_front().unwrap_or(Answer::Honest);
            let r = match answer {
                Answer::Honest => self.honest(&plain),
                Answer::Protected(data, sw) => Response { data, sw },
                Answer::Raw(bytes) => return Ok(bytes),
            };
            let channel = self.channel.as_mut().expect("still open");
            return Ok(channel.protect_response(&r).to_bytes());
        }
        self.channel = None;
        let r = match (cmd.ins, cmd.p1) {
            (0xA4, _) => Response::status(if cmd.data.len() == 7 || cmd.data == [0x3F, 0] {
                0x9000
            } else {
                0x6A82
            }),
            (0x84, _) => {
                let rnd = [0x46; 8];
                self.challenge = Some(rnd);
                Response::ok(rnd.to_vec())
            }
            (0x82, _) => {
                let rnd = self.challenge.take().unwrap_or_default();
                match bac::chip_answer(&self.seed, &rnd, &cmd.data, [0x0B; 16]) {
                    Some((answer, session)) => {
                        self.channel = Some(session.into());
                        self.authenticated = true;
                        Response::ok(answer)
                    }
                    None => Response::status(0x6300),
                }
            }
            _ => Response::status(0x6D00),
        };
        Ok(r.to_bytes())
    }
}

fn file_content() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        1 => Just(None),
        3 => card_bytes().prop_map(Some),
        // A well-formed file with a few bytes changed or cut off.
        3 => (prop_oneof![
                Just(lds::build_com(&[1, 2])),
                Just(lds::build_dg1(MRZ)),
                Just(lds::build_dg2(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9], 240, 320)),
            ], vec((any::<prop::sample::Index>(), any::<u8>()), 0..3), any::<prop::sample::Index>())
            .prop_map(|(mut f, changes, cut)| {
                for (at, b) in changes {
                    let i = at.index(f.len());
                    f[i] = b;
                }
                f.truncate(cut.index(f.len() + 1).max(1));
                Some(f)
            }),
    ]
}

proptest! {
    #![proptest_config(config(96))]

    /// Once BAC has succeeded, whatever the chip says is a verdict about
    /// the chip (read, with its own outcome), never "unreadable": the
    /// reader neither panics nor loops, and a DG1 that parses is shown.
    #[test]
    fn a_chip_answering_anything_after_bac_gets_a_verdict(
        com in file_content(),
        dg1 in prop_oneof![Just(Some(lds::build_dg1(MRZ))), file_content()],
        dg2 in file_content(),
        sod in file_content(),
        script in vec(answer(), 0..12),
    ) {
        let mut files = BTreeMap::new();
        for (fid, f) in [(lds::FID_COM, com), (lds::fid_of(1), dg1.clone()), (lds::fid_of(2), dg2), (lds::FID_SOD, sod)] {
            if let Some(f) = f {
                files.insert(fid, f);
            }
        }
        let honest = script.iter().all(|a| matches!(a, Answer::Honest));
        let mut chip = FuzzChip::new(files, script);
        let trust = TrustStore::default();
        let expect = Expectation { key: key(), mrz: Some(MRZ), trust: &trust, now: std::time::SystemTime::now().into() };
        let report = passport::check(&mut chip, &expect);
        prop_assert!(chip.apdus <= 5_000, "the reader looped: {} APDUs", chip.apdus);
        prop_assert!(chip.authenticated);
        prop_assert!(report.readable, "{report:#?}");
        prop_assert!(!matches!(report.outcome, Outcome::Unreadable | Outcome::WrongAccessKey | Outcome::Passed), "{report:#?}");
        if honest && dg1 == Some(lds::build_dg1(MRZ)) {
            prop_assert_eq!(report.mrz.as_ref().map(|m| m.surname.as_str()), Some("KOWALSKA"));
        }
    }
}

#[test]
fn a_header_claiming_4_gb_is_refused_before_reading() {
    let mut files = BTreeMap::new();
    files.insert(lds::FID_COM, lds::build_com(&[1, 2]));
    files.insert(lds::fid_of(1), lds::build_dg1(MRZ));
    files.insert(lds::fid_of(2), lds::build_dg2(&[0xFF, 0xD8, 0xFF], 1, 1));
    files.insert(lds::FID_SOD, vec![0x77, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x30]);
    let mut chip = FuzzChip::new(files, Vec::new());
    let trust = TrustStore::default();
    let expect = Expectation {
        key: key(),
        mrz: None,
        trust: &trust,
        now: std::time::SystemTime::now().into(),
    };
    let report = passport::check(&mut chip, &expect);
    assert!(chip.apdus < 40, "{} APDUs", chip.apdus);
    assert_eq!(report.outcome, Outcome::MalformedData, "{report:#?}");
    assert!(report.readable);
    // What was read is still shown.
    assert_eq!(report.mrz.unwrap().surname, "KOWALSKA");
}

/// A chip answering one byte per READ BINARY (without saying the file
/// ended) used to be read byte by byte: thousands of APDUs, a minute on a
/// real reader. A short answer now means the file ended early.
#[test]
fn a_chip_trickling_one_byte_per_read_is_not_read_byte_by_byte() {
    let mut files = BTreeMap::new();
    files.insert(lds::FID_COM, lds::build_com(&[1, 2]));
    files.insert(lds::fid_of(1), lds::build_dg1(MRZ));
    files.insert(lds::fid_of(2), lds::build_dg2(&[0xAB; 5000], 1, 1));
    files.insert(lds::FID_SOD, vec![0x77, 0x82, 0x10, 0x00]);
    let mut chip = FuzzChip::new(files, Vec::new());
    chip.trickle = Some(1);
    let trust = TrustStore::default();
    let expect = Expectation {
        key: key(),
        mrz: None,
        trust: &trust,
        now: std::time::SystemTime::now().into(),
    };
    let report = passport::check(&mut chip, &expect);
    assert!(chip.apdus < 60, "{} APDUs", chip.apdus);
    assert_eq!(report.outcome, Outcome::MalformedData, "{report:#?}");
}
