//! The clerk card: an application that holds the card's identifier and a
//! PIN with a retry counter (ISO 7816-4 VERIFY). The counter reads the
//! identifier, asks the clerk for the PIN, and maps the identifier to the
//! clerk's account. Both sides live here: the reader's calls and the
//! protocol constants the virtual clerk card answers to.

use crate::apdu::{self, Command, Response};
use crate::passport::{Transport, TransportError};

/// The clerk application's identifier (proprietary range).
pub const AID: [u8; 8] = [0xF0, 0x50, 0x43, 0x43, 0x4C, 0x45, 0x52, 0x4B];
/// GET DATA P1P2 for the card identifier.
pub const TAG_CARD_ID: [u8; 2] = [0x01, 0x01];
/// GET DATA P1P2 for the card's public key (uncompressed P-256 point).
pub const TAG_PUBLIC_KEY: [u8; 2] = [0x01, 0x02];
/// VERIFY's P2 for the clerk PIN.
pub const PIN_REF: u8 = 0x81;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClerkCardError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the card is not a clerk card")]
    NotAClerkCard,
    #[error("wrong PIN: {tries_left} tries left")]
    WrongPin { tries_left: u8 },
    #[error("the card is blocked: too many wrong PINs (a supervisor unblocks it)")]
    Blocked,
    #[error("the PIN must be 4 to 8 digits")]
    BadPin,
    #[error("the card answered {0:04X}")]
    Card(u16),
    #[error("the card's signature does not verify: not the card it claims to be")]
    BadSignature,
    #[error("the card's identifier is not 1 to 64 printable ASCII characters")]
    BadCardId,
}

impl ClerkCardError {
    /// For the clerk, in both languages.
    pub fn words(&self) -> passport_domain::Message {
        let pl = match self {
            Self::Transport(t) => return t.words(),
            Self::NotAClerkCard => "to nie jest karta urzędnika".to_owned(),
            Self::WrongPin { tries_left: 1 } => "błędny PIN: została 1 próba".to_owned(),
            Self::WrongPin {
                tries_left: n @ 2..=4,
            } => format!("błędny PIN: pozostały {n} próby"),
            Self::WrongPin { tries_left } => format!("błędny PIN: pozostało {tries_left} prób"),
            Self::Blocked => {
                "karta zablokowana po zbyt wielu błędnych PIN-ach (odblokowuje kierownik)"
                    .to_owned()
            }
            Self::BadPin => "PIN ma od 4 do 8 cyfr".to_owned(),
            Self::Card(sw) => format!("karta odpowiedziała {sw:04X}"),
            Self::BadSignature => "podpis karty się nie zgadza: to nie ta karta".to_owned(),
            Self::BadCardId => {
                "identyfikator karty nie jest tekstem z 1–64 drukowalnych znaków ASCII".to_owned()
            }
        };
        passport_domain::Message::new(pl, self.to_string())
    }
}

fn send<T: Transport>(t: &mut T, cmd: &Command) -> Result<Response, ClerkCardError> {
    let answer = t.transmit(&cmd.to_bytes())?;
    Response::parse(&answer).ok_or(ClerkCardError::Card(0))
}

/// Selects the clerk application and reads the card identifier.
pub fn card_id<T: Transport>(t: &mut T) -> Result<String, ClerkCardError> {
    if send(t, &Command::new(0, 0xA4, 0x04, 0x0C).with_data(AID))?.sw != apdu::SW_OK {
        return Err(ClerkCardError::NotAClerkCard);
    }
    let r = send(
        t,
        &Command::new(0, 0xCA, TAG_CARD_ID[0], TAG_CARD_ID[1]).with_le(256),
    )?;
    match r.sw {
        apdu::SW_OK => card_id_text(r.data),
        sw => Err(ClerkCardError::Card(sw)),
    }
}

/// The identifier as the card sent it, if it is one: it is shown on
/// screens and terminals and tied to an account, so escape sequences,
/// control characters and kilobytes of text are refused.
fn card_id_text(bytes: Vec<u8>) -> Result<String, ClerkCardError> {
    let printable = |b: &u8| b.is_ascii_graphic();
    if bytes.is_empty() || bytes.len() > 64 || !bytes.iter().all(printable) {
        return Err(ClerkCardError::BadCardId);
    }
    String::from_utf8(bytes).map_err(|_| ClerkCardError::BadCardId)
}

/// Tries left before the card blocks (VERIFY without data), after
/// [`card_id`] selected the application.
pub fn tries_left<T: Transport>(t: &mut T) -> Result<u8, ClerkCardError> {
    let r = send(t, &Command::new(0, 0x20, 0, PIN_REF))?;
    match r.sw {
        apdu::SW_OK => Ok(u8::MAX),
        sw @ 0x63C0..=0x63CF => Ok((sw & 0x0F) as u8),
        apdu::SW_AUTH_BLOCKED => Err(ClerkCardError::Blocked),
        sw => Err(ClerkCardError::Card(sw)),
    }
}

/// Presents the PIN to the card.
pub fn verify_pin<T: Transport>(t: &mut T, pin: &str) -> Result<(), ClerkCardError> {
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ClerkCardError::BadPin);
    }
    let r = send(
        t,
        &Command::new(0, 0x20, 0, PIN_REF).with_data(pin.as_bytes()),
    )?;
    match r.sw {
        apdu::SW_OK => Ok(()),
        apdu::SW_AUTH_BLOCKED | 0x63C0 => Err(ClerkCardError::Blocked),
        sw @ 0x63C1..=0x63CF => Err(ClerkCardError::WrongPin {
            tries_left: (sw & 0x0F) as u8,
        }),
        sw => Err(ClerkCardError::Card(sw)),
    }
}

/// The card's public key (an uncompressed P-256 point).
pub fn public_key<T: Transport>(t: &mut T) -> Result<Vec<u8>, ClerkCardError> {
    let cmd = Command::new(0, 0xCA, TAG_PUBLIC_KEY[0], TAG_PUBLIC_KEY[1]).with_le(256);
    let r = send(t, &cmd)?;
    match r.sw {
        apdu::SW_OK => Ok(r.data),
        sw => Err(ClerkCardError::Card(sw)),
    }
}

/// A card that proved itself: its identifier and public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenCard {
    pub card_id: String,
    pub public_key: Vec<u8>,
    /// The reader it is in, when the transport knows it (PC/SC does): a
    /// session opened with the card locks when it leaves that reader.
    pub reader: Option<String>,
}

/// Reads the card, checks the PIN, and has the card sign a fresh
/// challenge with the key it reports. The caller compares that key with
/// the one tied to the account.
pub fn prove<T: Transport>(t: &mut T, pin: &str) -> Result<ProvenCard, ClerkCardError> {
    let card_id = card_id(t)?;
    verify_pin(t, pin)?;
    let public_key = public_key(t)?;
    let challenge: [u8; 32] = rand::random();
    let r = send(
        t,
        &Command::new(0, 0x88, 0, 0)
            .with_data(challenge)
            .with_le(256),
    )?;
    if r.sw != apdu::SW_OK {
        return Err(ClerkCardError::Card(r.sw));
    }
    let key = ring::signature::UnparsedPublicKey::new(
        &ring::signature::ECDSA_P256_SHA256_ASN1,
        &public_key,
    );
    key.verify(&challenge, &r.data)
        .map_err(|_| ClerkCardError::BadSignature)?;
    Ok(ProvenCard {
        card_id,
        public_key,
        reader: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_identifier_with_escapes_or_too_long_is_refused() {
        assert_eq!(card_id_text(b"CLK-0042".to_vec()).unwrap(), "CLK-0042");
        for bad in [
            b"".to_vec(),
            b"CLK\x1b[2J".to_vec(),
            b"CLK 1".to_vec(),
            b"CLK-\n".to_vec(),
            vec![b'A'; 65],
            "KARTA-Ż".as_bytes().to_vec(),
        ] {
            assert_eq!(
                card_id_text(bad.clone()),
                Err(ClerkCardError::BadCardId),
                "{bad:?}"
            );
        }
    }
}
