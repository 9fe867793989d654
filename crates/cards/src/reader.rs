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

/// The first reader with a card, waiting up to [`CARD_WAIT`] for one.
fn wait_for_card(mut service: crate::CardService) -> Result<String, TransportError> {
    let deadline = std::time::Instant::now() + CARD_WAIT;
    loop {
        if let Some(r) = service.readers.iter().find(|r| r.card_present) {
            return Ok(r.name.clone());
        }
        if std::time::Instant::now() >= deadline {
            return Err(TransportError::NoCard);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        service = crate::readers();
        if !service.running {
            return Err(TransportError::ServiceNotRunning);
        }
    }
}

impl PcscTransport {
    /// Connects to `reader`, or to the first reader with a card in it.
    pub fn connect(reader: Option<&str>) -> Result<Self, TransportError> {
        let ctx = Context::establish(Scope::User).map_err(|_| TransportError::ServiceNotRunning)?;
        let service = crate::readers();
        if !service.running {
            return Err(TransportError::ServiceNotRunning);
        }
        let name = match reader {
            Some(name) => {
                let r = service
                    .readers
                    .iter()
                    .find(|r| r.name == name)
                    .ok_or_else(|| TransportError::NoSuchReader(name.to_owned()))?;
                if !r.card_present {
                    return Err(TransportError::NoCard);
                }
                r.name.clone()
            }
            None => wait_for_card(service)?,
        };
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

/// Connects to `reader` (or the first with a card) and checks the passport
/// in it; a reader or service problem is an unreadable report, like a chip
/// that does not answer.
pub fn check_passport(reader: Option<&str>, expect: &crate::Expectation<'_>) -> crate::ChipReport {
    let started = std::time::Instant::now();
    match PcscTransport::connect(reader) {
        Ok(mut t) => crate::passport::check(&mut t, expect),
        Err(e) => crate::ChipReport::unreadable(&e.into(), started),
    }
}

/// The port the counter checks passports through: PC/SC in the app and
/// `counterctl`; tests of the counter's own rules plug in a virtual
/// passport driven in-process.
pub trait ChipReader: Send + Sync + std::fmt::Debug {
    fn check(&self, reader: Option<&str>, expect: &crate::Expectation<'_>) -> crate::ChipReport;
}

/// PC/SC through pcscd (or the Windows smart-card service).
#[derive(Debug, Clone, Copy, Default)]
pub struct Pcsc;

impl ChipReader for Pcsc {
    fn check(&self, reader: Option<&str>, expect: &crate::Expectation<'_>) -> crate::ChipReport {
        check_passport(reader, expect)
    }
}
