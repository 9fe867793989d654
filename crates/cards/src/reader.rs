//! [`Transport`] over PC/SC: connects to a named reader, or to the first
//! reader holding a card, and maps PC/SC errors to the states a clerk can
//! act on (service not running, no card, card taken away mid-read).

use crate::passport::{Transport, TransportError};
use pcsc::{Context, Error, Protocols, Scope, ShareMode};

/// A connected card.
pub struct PcscTransport {
    card: pcsc::Card,
    /// The reader it is in.
    pub reader: String,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .finish_non_exhaustive()
    }
}

fn map(e: Error) -> TransportError {
    match e {
        Error::NoService | Error::ServiceStopped | Error::NoReadersAvailable => {
            TransportError::ServiceNotRunning
        }
        Error::RemovedCard | Error::ResetCard | Error::NoSmartcard | Error::UnpoweredCard => {
            TransportError::Removed
        }
        Error::ReaderUnavailable | Error::UnknownReader => TransportError::Removed,
        other => TransportError::Other(other.to_string()),
    }
}

/// How long "check the chip" waits for a passport to be laid on a reader:
/// the clerk may press the key first and then put the passport down.
const CARD_WAIT: std::time::Duration = std::time::Duration::from_secs(4);

impl PcscTransport {
    /// Connects to `reader`, or to the first reader with a card in it.
    pub fn connect(reader: Option<&str>) -> Result<Self, TransportError> {
        Self::connect_to(reader, None)
    }

    /// Connects to the card holding application `aid` (selected): on
    /// `reader`, or on whichever reader has it, waiting up to
    /// [`CARD_WAIT`] for it to be laid down. A counter may have the clerk's
    /// card in one reader and a passport on another.
    pub fn connect_to(reader: Option<&str>, aid: Option<&[u8]>) -> Result<Self, TransportError> {
        let deadline = std::time::Instant::now() + CARD_WAIT;
        loop {
            let service = crate::readers();
            if !service.running {
                return Err(TransportError::ServiceNotRunning);
            }
            if let Some(name) = reader
                && !service.readers.iter().any(|r| r.name == name)
            {
                return Err(TransportError::NoSuchReader(name.to_owned()));
            }
            let candidates = service
                .readers
                .iter()
                .filter(|r| r.card_present && reader.is_none_or(|n| n == r.name));
            for r in candidates {
                if let Some(t) = Self::open_app(&r.name, aid) {
                    return Ok(t);
                }
            }
            if std::time::Instant::now() >= deadline {
                return Err(TransportError::NoCard);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// The card on reader `name`, if it holds application `aid` (selected).
    fn open_app(name: &str, aid: Option<&[u8]>) -> Option<Self> {
        let mut t = Self::open(name).ok()?;
        let Some(aid) = aid else {
            return Some(t);
        };
        let select = crate::apdu::Command::new(0, 0xA4, 0x04, 0x0C).with_data(aid);
        t.transmit(&select.to_bytes())
            .is_ok_and(|a| a.ends_with(&[0x90, 0x00]))
            .then_some(t)
    }

    fn open(name: &str) -> Result<Self, TransportError> {
        let ctx = Context::establish(Scope::User).map_err(|_| TransportError::ServiceNotRunning)?;
        let name = name.to_owned();
        let cname = std::ffi::CString::new(name.clone())
            .map_err(|_| TransportError::NoSuchReader(name.clone()))?;
        let card = ctx
            .connect(&cname, ShareMode::Exclusive, Protocols::ANY)
            .map_err(|e| match e {
                Error::NoSmartcard | Error::RemovedCard => TransportError::NoCard,
                other => map(other),
            })?;
        Ok(Self {
            card,
            reader: name,
            buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
        })
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        match self.card.transmit(apdu, &mut self.buffer) {
            // vpcd (and some readers) answer nothing when the card left
            // during the exchange.
            Ok(answer) if answer.len() < 2 => Err(TransportError::NoAnswer),
            Ok(answer) => Ok(answer.to_vec()),
            Err(e) => Err(map(e)),
        }
    }
}

/// Connects to the passport on `reader` (or on whichever reader has one)
/// and checks it; a reader or service problem is an unreadable report, like
/// a chip that does not answer.
pub fn check_passport(reader: Option<&str>, expect: &crate::Expectation<'_>) -> crate::ChipReport {
    let started = std::time::Instant::now();
    let mut t = match PcscTransport::connect_to(reader, Some(&crate::lds::AID)) {
        Ok(t) => t,
        Err(e) => return crate::ChipReport::unreadable(&e.into(), started),
    };
    let report = crate::passport::check(&mut t, expect);
    if report.outcome != crate::Outcome::WrongAccessKey || reader.is_some() {
        return report;
    }
    // The chip refused this document's key: most often another passport
    // (the holder's old one) lies on this reader. Try the others.
    let first = t.reader.clone();
    drop(t);
    let others: Vec<String> = crate::readers()
        .readers
        .into_iter()
        .filter(|r| r.card_present && r.name != first)
        .map(|r| r.name)
        .collect();
    for name in others {
        if let Some(mut t) = PcscTransport::open_app(&name, Some(&crate::lds::AID)) {
            let other = crate::passport::check(&mut t, expect);
            if other.outcome != crate::Outcome::WrongAccessKey {
                return other;
            }
        }
    }
    report
}

/// The port the counter reaches cards through: PC/SC in the app and
/// `counterctl`; tests of the counter's own rules plug in virtual cards
/// driven in-process.
pub trait CardPort: Send + Sync + std::fmt::Debug {
    /// Checks the passport on `reader` (or wherever one is).
    fn check_passport(
        &self,
        reader: Option<&str>,
        expect: &crate::Expectation<'_>,
    ) -> crate::ChipReport;
    /// Has the clerk card (wherever it is) prove itself with `pin`.
    fn prove_clerk_card(
        &self,
        pin: &str,
    ) -> Result<crate::clerk::ProvenCard, crate::clerk::ClerkCardError>;
}

/// PC/SC through pcscd (or the Windows smart-card service).
#[derive(Debug, Clone, Copy, Default)]
pub struct Pcsc;

impl CardPort for Pcsc {
    fn check_passport(
        &self,
        reader: Option<&str>,
        expect: &crate::Expectation<'_>,
    ) -> crate::ChipReport {
        check_passport(reader, expect)
    }

    fn prove_clerk_card(
        &self,
        pin: &str,
    ) -> Result<crate::clerk::ProvenCard, crate::clerk::ClerkCardError> {
        let mut t = PcscTransport::connect_to(None, Some(&crate::clerk::AID))?;
        let proven = crate::clerk::prove(&mut t, pin)?;
        Ok(crate::clerk::ProvenCard {
            reader: Some(t.reader.clone()),
            ..proven
        })
    }
}
