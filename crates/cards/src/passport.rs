//! Reading a passport chip and checking it: BAC from the MRZ, EF.COM, DG1,
//! DG2 and EF.SOD over secure messaging, then passive authentication and
//! the comparison of DG1 with the register's record. Transport-agnostic: the
//! app and `counterctl` use [`crate::reader::PcscTransport`].

use crate::apdu::{self, Command, Response};
use crate::bac::{self, AccessKey};
use crate::lds::{self, ImageFormat};
use crate::pa::{PaError, Sod, TrustStore};
use crate::sm::{Channel, SmError};
use crate::tlv;
use chrono::{DateTime, Utc};
use passport_domain::{Lang, Message};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Instant;

/// Sends one APDU and returns the response (data and status word).
pub trait Transport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError>;
}

/// Failures below the card's own answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("the card service (pcscd) is not running")]
    ServiceNotRunning,
    #[error("no reader named {0:?}")]
    NoSuchReader(String),
    #[error("no passport on any reader")]
    NoCard,
    #[error("the passport was taken off the reader during the read")]
    Removed,
    #[error("the chip stopped answering: the passport was probably taken off the reader")]
    NoAnswer,
    #[error("card reader error: {0}")]
    Other(String),
}

/// Why the chip could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the card is not a passport (no eMRTD application)")]
    NotAPassport,
    #[error("the chip refused the access key: check the document number, birth and expiry dates")]
    WrongAccessKey,
    #[error("the access key is not valid MRZ data")]
    BadAccessKey,
    #[error("secure messaging failed: {0}")]
    SecureMessaging(#[from] SmError),
    #[error("the chip answered {sw:04X} to {what}")]
    Card { what: &'static str, sw: u16 },
    #[error("the chip's answer has no status word")]
    NoStatusWord,
    #[error("the file is empty")]
    EmptyFile,
    #[error("the file does not start with a valid TLV header")]
    FileHeader,
    #[error("the file claims {0} bytes, more than a chip file holds")]
    FileTooLarge(usize),
    #[error("the file ends after {got} of the {expected} bytes its header gives")]
    FileEndsEarly { expected: usize, got: usize },
}

fn m(pl: impl Into<String>, en: impl Into<String>) -> Message {
    Message::new(pl, en)
}

impl TransportError {
    /// For the clerk, in both languages.
    pub fn words(&self) -> Message {
        match self {
            Self::ServiceNotRunning => m("usługa kart (pcscd) nie działa", self.to_string()),
            Self::NoSuchReader(name) => m(format!("brak czytnika „{name}”"), self.to_string()),
            Self::NoCard => m("na czytniku nie ma paszportu", self.to_string()),
            Self::Removed => m(
                "paszport zdjęto z czytnika w trakcie odczytu",
                self.to_string(),
            ),
            Self::NoAnswer => m(
                "układ przestał odpowiadać: paszport prawdopodobnie zdjęto z czytnika",
                self.to_string(),
            ),
            Self::Other(e) => m(format!("błąd czytnika: {e}"), self.to_string()),
        }
    }
}

impl ReadError {
    /// For the clerk, in both languages.
    pub fn words(&self) -> Message {
        match self {
            Self::Transport(t) => t.words(),
            Self::NotAPassport => m(
                "karta nie jest paszportem (brak aplikacji eMRTD)",
                self.to_string(),
            ),
            Self::WrongAccessKey => m(
                "układ odrzucił klucz dostępu: sprawdź numer dokumentu, datę urodzenia i datę ważności",
                self.to_string(),
            ),
            Self::BadAccessKey => m(
                "klucz dostępu nie jest poprawnymi danymi MRZ",
                self.to_string(),
            ),
            Self::SecureMessaging(_) => m("przerwany bezpieczny kanał z układem", self.to_string()),
            Self::Card { what, sw } => m(
                format!("układ odpowiedział {sw:04X} na {what}"),
                self.to_string(),
            ),
            Self::NoStatusWord => m("odpowiedź układu nie ma słowa statusu", self.to_string()),
            Self::EmptyFile => m("plik jest pusty", self.to_string()),
            Self::FileHeader => m(
                "plik nie zaczyna się poprawnym nagłówkiem TLV",
                self.to_string(),
            ),
            Self::FileTooLarge(n) => m(
                format!("plik deklaruje {n} bajtów, więcej niż mieści plik układu"),
                self.to_string(),
            ),
            Self::FileEndsEarly { expected, got } => m(
                format!("plik kończy się po {got} z {expected} bajtów podanych w nagłówku"),
                self.to_string(),
            ),
        }
    }
}

/// Counts what crosses the transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Traffic {
    pub apdus: u32,
    pub bytes_sent: u32,
    pub bytes_received: u32,
}

/// A file the chip has but that could not be read whole or does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// "EF.COM", "DG1", "DG2" or "EF.SOD".
    pub file: &'static str,
    pub what: Message,
}

impl Fault {
    fn tlv(file: &'static str, e: &tlv::TlvError) -> Self {
        Self {
            file,
            what: e.words(),
        }
    }
}

/// What was read from the chip. Once BAC succeeded, reading goes on past
/// a damaged file, so that what could be read is checked and shown.
#[derive(Debug, Clone, Default)]
pub struct ChipData {
    /// Data groups EF.COM lists.
    pub listed: Vec<u8>,
    /// Data groups read whole, by number.
    pub groups: BTreeMap<u8, Vec<u8>>,
    /// Mandatory files the chip does not have ("EF.COM", "DG1", "DG2",
    /// "EF.SOD").
    pub missing: Vec<&'static str>,
    /// Files the chip has that could not be read whole or do not parse.
    pub faults: Vec<Fault>,
    pub sod: Option<Vec<u8>>,
    pub traffic: Traffic,
    /// The largest response used per READ BINARY.
    pub chunk: usize,
}

/// Short READ BINARY under secure messaging: 256 bytes minus the
/// protection's overhead, rounded down to whole cipher blocks.
const SHORT_CHUNK: usize = 0xDF;
/// Files larger than this are refused: READ BINARY with an even INS
/// reaches offsets up to 32767 (larger files need the odd INS, which chips
/// with a DG2 of 15–25 KB do not need, and this reader leaves out).
const MAX_FILE: usize = 0x7FFF;

struct Session<'t, T: Transport> {
    transport: &'t mut T,
    key: bac::Key,
    channel: Option<Channel>,
    traffic: Traffic,
}

impl<T: Transport> Session<'_, T> {
    fn raw(&mut self, cmd: &Command) -> Result<Response, ReadError> {
        let bytes = cmd.to_bytes();
        let answer = self.transport.transmit(&bytes)?;
        // Saturating: a chip's answers must not be able to overflow a count.
        let len = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.traffic.apdus = self.traffic.apdus.saturating_add(1);
        self.traffic.bytes_sent = self.traffic.bytes_sent.saturating_add(len(bytes.len()));
        self.traffic.bytes_received = self
            .traffic
            .bytes_received
            .saturating_add(len(answer.len()));
        Response::parse(&answer).ok_or(ReadError::NoStatusWord)
    }

    fn secure(&mut self, cmd: &Command) -> Result<Response, ReadError> {
        if self.channel.is_none() {
            self.authenticate()?;
        }
        let Some(channel) = self.channel.as_mut() else {
            return Err(ReadError::WrongAccessKey);
        };
        let protected = channel.protect(cmd);
        let answer = self.raw(&protected)?;
        let Some(channel) = self.channel.as_mut() else {
            return Err(ReadError::WrongAccessKey);
        };
        match channel.unprotect(&answer) {
            Ok(r) => Ok(r),
            // A plain error ends the secure session; the next command
            // authenticates again. A plain success is not an answer a chip
            // in a secure session gives: refused.
            Err(SmError::Unprotected(sw)) if sw != apdu::SW_OK && sw & 0xFF00 != 0x6100 => {
                self.channel = None;
                Ok(Response::status(sw))
            }
            // The two sides' counters no longer agree: the next command
            // authenticates afresh instead of failing every later file.
            Err(e) => {
                self.channel = None;
                Err(e.into())
            }
        }
    }

    fn authenticate(&mut self) -> Result<(), ReadError> {
        let select = Command::new(0, 0xA4, 0x04, 0x0C).with_data(lds::AID);
        if self.raw(&select)?.sw != apdu::SW_OK {
            return Err(ReadError::NotAPassport);
        }
        let challenge = self.raw(&Command::new(0, 0x84, 0, 0).with_le(8))?;
        let rnd_icc: [u8; 8] = match (challenge.sw, challenge.data.try_into()) {
            (apdu::SW_OK, Ok(r)) => r,
            (sw, _) => {
                return Err(ReadError::Card {
                    what: "GET CHALLENGE",
                    sw,
                });
            }
        };
        let terminal = bac::Terminal::new(&self.key, rnd_icc, rand::random());
        let auth = Command::new(0, 0x82, 0, 0)
            .with_data(terminal.authenticate_data())
            .with_le(40);
        let answer = self.raw(&auth)?;
        match answer.sw {
            apdu::SW_OK => {}
            apdu::SW_AUTH_FAILED | apdu::SW_SECURITY_NOT_SATISFIED | 0x6300..=0x63FF => {
                return Err(ReadError::WrongAccessKey);
            }
            sw => {
                return Err(ReadError::Card {
                    what: "EXTERNAL AUTHENTICATE",
                    sw,
                });
            }
        }
        let session = terminal
            .finish(&answer.data)
            .ok_or(ReadError::WrongAccessKey)?;
        self.channel = Some(session.into());
        Ok(())
    }

    /// Selects and reads a file; `None` when the chip does not have it.
    fn read_file(&mut self, fid: [u8; 2], chunk: usize) -> Result<Option<Vec<u8>>, ReadError> {
        let select = Command::new(0, 0xA4, 0x02, 0x0C).with_data(fid);
        match self.secure(&select)?.sw {
            apdu::SW_OK => {}
            apdu::SW_FILE_NOT_FOUND => return Ok(None),
            sw => return Err(ReadError::Card { what: "SELECT", sw }),
        }
        let head = self.read_binary(0, 6)?;
        if head.is_empty() {
            return Err(ReadError::EmptyFile);
        }
        let total = tlv::total_len(&head).map_err(|_| ReadError::FileHeader)?;
        if total > MAX_FILE {
            return Err(ReadError::FileTooLarge(total));
        }
        let mut data = head;
        data.truncate(total);
        while data.len() < total {
            let want = (total - data.len()).min(chunk);
            let part = self.read_binary(data.len(), want)?;
            // A chip answers fewer bytes than asked only at the end of the
            // file (ISO 7816-4): the file is shorter than its header says.
            // Refusing short parts also bounds the APDUs per file.
            if part.len() < want {
                return Err(ReadError::FileEndsEarly {
                    expected: total,
                    got: data.len() + part.len(),
                });
            }
            data.extend(part);
        }
        // A chip answering more than asked: the header's length decides
        // (and the hash then whether the bytes are the signed ones).
        data.truncate(total);
        Ok(Some(data))
    }

    /// Reads one mandatory file into `data`: a file the chip lacks is
    /// missing, one it cannot give whole is a fault; only the transport
    /// (the passport lifted, the service gone) ends the read.
    fn read_into(
        &mut self,
        data: &mut ChipData,
        fid: [u8; 2],
        file: &'static str,
        chunk: usize,
    ) -> Result<Option<Vec<u8>>, ReadError> {
        match self.read_file(fid, chunk) {
            Ok(Some(bytes)) => Ok(Some(bytes)),
            Ok(None) => {
                data.missing.push(file);
                Ok(None)
            }
            Err(e @ ReadError::Transport(_)) => Err(e),
            Err(e) => {
                data.faults.push(Fault {
                    file,
                    what: e.words(),
                });
                Ok(None)
            }
        }
    }

    fn read_binary(&mut self, offset: usize, len: usize) -> Result<Vec<u8>, ReadError> {
        if offset > 0x7FFF {
            return Err(ReadError::FileTooLarge(offset));
        }
        let [p1, p2] = (offset as u16).to_be_bytes();
        let r = self.secure(&Command::new(0, 0xB0, p1, p2).with_le(len))?;
        match r.sw {
            apdu::SW_OK | 0x6282 => Ok(r.data),
            sw => Err(ReadError::Card {
                what: "READ BINARY",
                sw,
            }),
        }
    }
}

/// Reads EF.COM, DG1, DG2 and EF.SOD with BAC from `key`.
pub fn read_chip<T: Transport>(transport: &mut T, key: &AccessKey) -> Result<ChipData, ReadError> {
    let seed = key.seed().ok_or(ReadError::BadAccessKey)?;
    let mut s = Session {
        transport,
        key: seed,
        channel: None,
        traffic: Traffic::default(),
    };
    // EF.ATR/INFO (in the master file, read before the application is
    // selected and without secure messaging) says whether the chip takes
    // extended-length reads; without it, short reads.
    // The master file first: the card may have been left with an
    // application selected.
    s.raw(&Command::new(0, 0xA4, 0x00, 0x0C).with_data([0x3F, 0x00]))?;
    let chunk = match s
        .raw(&Command::new(0, 0xA4, 0x02, 0x0C).with_data(lds::FID_ATR_INFO))?
        .sw
    {
        apdu::SW_OK => {
            let r = s.raw(&Command::new(0, 0xB0, 0, 0).with_le(256))?;
            lds::parse_max_response(&r.data)
                // Room for the secure-messaging objects around the data.
                .map(|max| (max.saturating_sub(32) / 8 * 8).clamp(SHORT_CHUNK, 0x7FF0))
                .unwrap_or(SHORT_CHUNK)
        }
        _ => SHORT_CHUNK,
    };
    s.authenticate()?;
    // From here on the chip has proved it holds this document's key: what
    // it then sends, or fails to send, is a verdict about the chip (a
    // forged or defective document must never read as "try again"). Only
    // the transport still makes it unreadable.
    let mut data = ChipData {
        chunk,
        ..ChipData::default()
    };
    if let Some(com) = s.read_into(&mut data, lds::FID_COM, "EF.COM", chunk)? {
        match lds::parse_com(&com) {
            Ok(listed) => data.listed = listed,
            Err(e) => data.faults.push(Fault::tlv("EF.COM", &e)),
        }
    }
    // DG3 and DG4 (fingerprints, iris) need Extended Access Control: not
    // read at the counter. DG1 and DG2 are mandatory whatever EF.COM says.
    for (dg, file) in [(1u8, "DG1"), (2, "DG2")] {
        if let Some(bytes) = s.read_into(&mut data, lds::fid_of(dg), file, chunk)? {
            data.groups.insert(dg, bytes);
        }
    }
    data.sod = s.read_into(&mut data, lds::FID_SOD, "EF.SOD", chunk)?;
    data.traffic = s.traffic;
    Ok(data)
}

/// One check's outcome, in the order they run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CheckResult {
    pub check: Check,
    pub passed: bool,
    /// What was found, in the clerk's language.
    pub detail: Message,
}

/// The checks, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// BAC with the MRZ key.
    Access,
    /// EF.COM, DG1, DG2 and EF.SOD present.
    DataGroups,
    /// Every file read whole and well formed (TLV, a TD3 MRZ in DG1, the
    /// face record in DG2, CMS in EF.SOD).
    Structure,
    /// Every read data group's hash equals EF.SOD's.
    Hashes,
    /// EF.SOD's signature verifies with the document signer certificate.
    Signature,
    /// The document signer chains to a trusted CSCA.
    Chain,
    /// The document signer and CSCA certificates are valid now.
    Validity,
    /// DG1's MRZ equals the register's record.
    Mrz,
}

/// The result of a chip check as the journal, the protocol and the app
/// record it: `passed`, or the first check that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    /// The chip could not be read (no card, removed, wrong key, …).
    Unreadable,
    WrongAccessKey,
    DataGroupMissing,
    HashMismatch,
    BadSignature,
    UnknownCsca,
    CertificateExpired,
    MrzMismatch,
    UnsupportedAlgorithm,
    /// After BAC, a file could not be read whole or does not parse (an
    /// empty or garbled EF.SOD, a garbled EF.COM, DG1 or DG2).
    MalformedData,
}

impl Outcome {
    /// The code stored in the journal's `chip_check`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Unreadable => "unreadable",
            Self::WrongAccessKey => "wrong_access_key",
            Self::DataGroupMissing => "data_group_missing",
            Self::HashMismatch => "hash_mismatch",
            Self::BadSignature => "bad_signature",
            Self::UnknownCsca => "unknown_csca",
            Self::CertificateExpired => "certificate_expired",
            Self::MrzMismatch => "mrz_mismatch",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::MalformedData => "malformed_data",
        }
    }
}

impl Outcome {
    /// The verdict in words, Polish and English, for the clerk and the
    /// hand-over protocol.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Passed => (
                "zgodna: dane i podpis układu poprawne",
                "passed: the chip's data and signature are valid",
            ),
            Self::Unreadable => ("nie odczytano układu", "the chip could not be read"),
            Self::WrongAccessKey => (
                "niezgodna: układ nie przyjął klucza z MRZ dokumentu",
                "failed: the chip refused the key from the document's MRZ",
            ),
            Self::DataGroupMissing => (
                "niezgodna: w układzie brakuje grupy danych",
                "failed: a data group is missing from the chip",
            ),
            Self::HashMismatch => (
                "niezgodna: dane w układzie zmienione (skrót inny niż w EF.SOD)",
                "failed: the chip's data was changed (hash differs from EF.SOD)",
            ),
            Self::BadSignature => (
                "niezgodna: podpis EF.SOD nieprawidłowy",
                "failed: EF.SOD's signature is not valid",
            ),
            Self::UnknownCsca => (
                "niezgodna: certyfikat podpisującego spoza zaufanych CSCA",
                "failed: the document signer is not from a trusted CSCA",
            ),
            Self::CertificateExpired => (
                "niezgodna: certyfikat nieważny (wygasł)",
                "failed: a certificate is not valid (expired)",
            ),
            Self::MrzMismatch => (
                "niezgodna: DG1 różni się od danych w rejestrze",
                "failed: DG1 differs from the register's record",
            ),
            Self::UnsupportedAlgorithm => (
                "nie sprawdzono: nieobsługiwany algorytm podpisu",
                "not checked: unsupported signature algorithm",
            ),
            Self::MalformedData => (
                "niezgodna: dane w układzie uszkodzone lub niekompletne",
                "failed: the chip's data is malformed or incomplete",
            ),
        }
    }

    /// Every outcome.
    pub const ALL: [Self; 11] = [
        Self::Passed,
        Self::Unreadable,
        Self::WrongAccessKey,
        Self::DataGroupMissing,
        Self::HashMismatch,
        Self::BadSignature,
        Self::UnknownCsca,
        Self::CertificateExpired,
        Self::MrzMismatch,
        Self::UnsupportedAlgorithm,
        Self::MalformedData,
    ];

    /// The outcome for a journal code (`None` for `not_checked`).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// DG1's MRZ fields, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MrzFields {
    pub line1: String,
    pub line2: String,
    pub document_number: String,
    pub issuing_state: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    /// YYMMDD.
    pub birth: String,
    pub sex: String,
    /// YYMMDD.
    pub expiry: String,
}

impl MrzFields {
    /// The fields at their TD3 positions, as the chip holds them. Not the
    /// domain's `mrz::parse`, which refuses wrong check digits: the report
    /// shows what a faulty chip says too (DG1 is compared whole anyway).
    fn parse(mrz: &str) -> Option<Self> {
        let alphabet = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<';
        if mrz.len() != 88 || !mrz.bytes().all(alphabet) {
            return None;
        }
        let (l1, l2) = mrz.split_at(44);
        let names = l1[5..].trim_end_matches('<');
        let (surname, given) = names.split_once("<<").unwrap_or((names, ""));
        let clean = |s: &str| s.replace('<', " ").trim().to_owned();
        Some(Self {
            line1: l1.to_owned(),
            line2: l2.to_owned(),
            document_number: clean(&l2[0..9]),
            issuing_state: clean(&l1[2..5]),
            surname: clean(surname),
            given_names: clean(given),
            nationality: clean(&l2[10..13]),
            birth: l2[13..19].to_owned(),
            sex: clean(&l2[20..21]),
            expiry: l2[21..27].to_owned(),
        })
    }
}

/// The face image from DG2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FaceImage {
    pub format: ImageFormat,
    pub width: u16,
    pub height: u16,
    /// The image, base64 (JPEG shows in the app; JPEG 2000 does not).
    pub base64: String,
}

impl FaceImage {
    /// The image file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(&self.base64)
            .unwrap_or_default()
    }
}

/// Everything a chip check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChipReport {
    pub outcome: Outcome,
    /// Whether the chip could be read at all (exit 3 when not).
    pub readable: bool,
    /// A failure worth retrying as is (the passport was lifted off the
    /// reader, no card yet): put it back and check again.
    pub retryable: bool,
    /// Why it could not be read, when it could not.
    pub error: Option<Message>,
    pub mrz: Option<MrzFields>,
    pub data_groups_listed: Vec<u8>,
    pub data_groups_read: Vec<u8>,
    pub checks: Vec<CheckResult>,
    /// DG2's first face image (left out of `counterctl`'s JSON).
    pub face: Option<FaceImage>,
    pub traffic: Traffic,
    pub millis: u64,
}

impl ChipReport {
    pub(crate) fn unreadable(e: &ReadError, started: Instant) -> Self {
        let (outcome, retryable) = match e {
            ReadError::WrongAccessKey => (Outcome::WrongAccessKey, false),
            ReadError::Transport(
                TransportError::Removed | TransportError::NoCard | TransportError::NoAnswer,
            )
            | ReadError::SecureMessaging(_) => (Outcome::Unreadable, true),
            _ => (Outcome::Unreadable, false),
        };
        Self {
            outcome,
            readable: false,
            retryable,
            error: Some(e.words()),
            mrz: None,
            data_groups_listed: Vec::new(),
            data_groups_read: Vec::new(),
            checks: vec![CheckResult {
                check: Check::Access,
                passed: false,
                detail: e.words(),
            }],
            face: None,
            traffic: Traffic::default(),
            millis: started.elapsed().as_millis() as u64,
        }
    }
}

/// What the chip must match and what it is checked against.
#[derive(Debug, Clone)]
pub struct Expectation<'a> {
    pub key: AccessKey,
    /// The register's DG1 MRZ (both lines, 88 characters), when known.
    pub mrz: Option<&'a str>,
    pub trust: &'a TrustStore,
    pub now: DateTime<Utc>,
}

/// Reads the chip and runs every check.
pub fn check<T: Transport>(transport: &mut T, expect: &Expectation<'_>) -> ChipReport {
    let started = Instant::now();
    match read_chip(transport, &expect.key) {
        Ok(data) => {
            let mut report = verify(&data, expect);
            report.millis = started.elapsed().as_millis() as u64;
            report
        }
        Err(e) => ChipReport::unreadable(&e, started),
    }
}

/// Runs the checks on what was read. The outcome is the first failed
/// check; later checks still run where they can, so the report says
/// everything that is wrong and shows everything that was read.
pub fn verify(data: &ChipData, expect: &Expectation<'_>) -> ChipReport {
    let mut checks = vec![CheckResult {
        check: Check::Access,
        passed: true,
        detail: m("BAC z kluczem z MRZ", "BAC with the MRZ key"),
    }];
    let mut outcome = Outcome::Passed;
    let mut record = |check: Check, result: Result<Message, (Outcome, Message)>| {
        let (passed, detail) = match result {
            Ok(d) => (true, d),
            Err((o, d)) => {
                if outcome == Outcome::Passed {
                    outcome = o;
                }
                (false, d)
            }
        };
        checks.push(CheckResult {
            check,
            passed,
            detail,
        });
    };

    let missing = data.missing.join(", ");
    record(
        Check::DataGroups,
        if data.missing.is_empty() {
            Ok(m(
                "EF.COM, DG1, DG2 i EF.SOD obecne",
                "EF.COM, DG1, DG2 and EF.SOD present",
            ))
        } else {
            Err((
                Outcome::DataGroupMissing,
                m(format!("brak: {missing}"), format!("missing: {missing}")),
            ))
        },
    );

    // Every file as a structure: what does not parse is a failed check of
    // its own, and what does parse is still shown.
    let mut faults = data.faults.clone();
    let mrz_text = match data.groups.get(&1).map(|b| lds::parse_dg1(b)) {
        Some(Ok(text)) => Some(text),
        Some(Err(e)) => {
            faults.push(Fault::tlv("DG1", &e));
            None
        }
        None => None,
    };
    let mrz = mrz_text.as_deref().and_then(MrzFields::parse);
    if mrz_text.is_some() && mrz.is_none() {
        faults.push(Fault {
            file: "DG1",
            what: m(
                "MRZ nie składa się z dwóch wierszy po 44 znaki alfabetu MRZ",
                "the MRZ is not two lines of 44 MRZ characters",
            ),
        });
    }
    let face = match data.groups.get(&2).map(|b| lds::parse_dg2(b)) {
        Some(Ok(face)) => face,
        Some(Err(e)) => {
            faults.push(Fault::tlv("DG2", &e));
            None
        }
        None => None,
    };
    let sod = match data.sod.as_deref().map(Sod::parse) {
        Some(Ok(sod)) => Some(sod),
        Some(Err(e)) => {
            faults.push(Fault {
                file: "EF.SOD",
                what: e.words(),
            });
            None
        }
        None => None,
    };
    record(
        Check::Structure,
        if faults.is_empty() {
            Ok(m(
                "pliki układu kompletne i poprawnie zbudowane",
                "the chip's files are complete and well formed",
            ))
        } else {
            let list = |lang| {
                faults
                    .iter()
                    .map(|f| format!("{}: {}", f.file, f.what.get(lang)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            Err((Outcome::MalformedData, m(list(Lang::Pl), list(Lang::En))))
        },
    );

    let pa_failure = |e: PaError| {
        let outcome = match e {
            PaError::HashMismatch(_) | PaError::NotInSod(_) => Outcome::HashMismatch,
            PaError::BadSignature => Outcome::BadSignature,
            PaError::Malformed(_) => Outcome::MalformedData,
            PaError::UnknownCsca => Outcome::UnknownCsca,
            PaError::CertificateNotValid { .. } => Outcome::CertificateExpired,
            PaError::UnsupportedAlgorithm(_) => Outcome::UnsupportedAlgorithm,
        };
        (outcome, e.words())
    };
    match &sod {
        Some(sod) => {
            let hashes = data
                .groups
                .iter()
                .map(|(n, bytes)| sod.check_hash(*n, bytes))
                .find(Result::is_err)
                .unwrap_or(Ok(()));
            let read: Vec<String> = data.groups.keys().map(|d| format!("DG{d}")).collect();
            record(
                Check::Hashes,
                hashes
                    .map(|()| {
                        let read = read.join(", ");
                        m(
                            format!("{read} zgodne z EF.SOD"),
                            format!("{read} match EF.SOD"),
                        )
                    })
                    .map_err(pa_failure),
            );
            record(
                Check::Signature,
                sod.check_signature()
                    .map(|()| {
                        m(
                            "EF.SOD podpisany przez podmiot podpisujący",
                            "EF.SOD signed by its document signer",
                        )
                    })
                    .map_err(pa_failure),
            );
            let chain = expect
                .trust
                .issuer_of(&sod.signer)
                .map(|_| {
                    m(
                        "certyfikat podpisującego wydany przez zaufane CSCA",
                        "document signer issued by a trusted CSCA",
                    )
                })
                .ok_or_else(|| pa_failure(PaError::UnknownCsca));
            let chained = chain.is_ok();
            record(Check::Chain, chain);
            if chained {
                record(
                    Check::Validity,
                    expect
                        .trust
                        .check_signer(&sod.signer, expect.now)
                        .map(|()| m("certyfikaty ważne dziś", "certificates valid today"))
                        .map_err(pa_failure),
                );
            }
        }
        None => {
            // Without EF.SOD nothing the chip holds is authenticated: the
            // passive authentication fails (the outcome is already the
            // missing or malformed file above).
            let why = if data.missing.contains(&"EF.SOD") {
                Outcome::DataGroupMissing
            } else {
                Outcome::MalformedData
            };
            let not_checked = m(
                "nie sprawdzono: brak poprawnego EF.SOD",
                "not checked: no well-formed EF.SOD",
            );
            record(Check::Hashes, Err((why, not_checked.clone())));
            record(Check::Signature, Err((why, not_checked)));
        }
    }

    if let Some(expected) = expect.mrz {
        record(
            Check::Mrz,
            match &mrz_text {
                Some(t) if t == expected => Ok(m(
                    "DG1 zgodna z danymi z rejestru",
                    "DG1 equals the register's record",
                )),
                Some(_) => Err((
                    Outcome::MrzMismatch,
                    m(
                        "DG1 różni się od danych z rejestru",
                        "DG1 differs from the register's record",
                    ),
                )),
                None => Err((
                    Outcome::MrzMismatch,
                    m("nie odczytano DG1", "DG1 could not be read"),
                )),
            },
        );
    }

    let face = face.map(|f| {
        use base64::Engine;
        FaceImage {
            format: f.format,
            width: f.width,
            height: f.height,
            base64: base64::engine::general_purpose::STANDARD.encode(&f.data),
        }
    });
    ChipReport {
        outcome,
        readable: true,
        retryable: false,
        error: None,
        mrz,
        data_groups_listed: data.listed.clone(),
        data_groups_read: data.groups.keys().copied().collect(),
        checks,
        face,
        traffic: data.traffic,
        millis: 0,
    }
}
