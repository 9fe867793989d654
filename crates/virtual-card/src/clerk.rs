//! The virtual clerk card: card identifier, PIN, retry counter, blocking,
//! and an ECDSA P-256 key that signs a challenge once the PIN is verified
//! (the counter ties the card's key to the clerk's account).

use passport_cards::apdu::{self, Command, Response};
use passport_cards::clerk::{AID, PIN_REF, TAG_CARD_ID, TAG_PUBLIC_KEY};
use passport_cards::vpcd::Card;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};

pub struct ClerkCard {
    key: EcdsaKeyPair,
    rng: SystemRandom,
    card_id: String,
    pin: String,
    tries: u8,
    max_tries: u8,
    selected: bool,
    verified: bool,
}

impl std::fmt::Debug for ClerkCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkCard")
            .field("card_id", &self.card_id)
            .field("tries", &self.tries)
            .finish_non_exhaustive()
    }
}

impl ClerkCard {
    /// A card with a fresh key.
    pub fn new(card_id: String, pin: String, tries: u8) -> anyhow::Result<Self> {
        anyhow::ensure!((1..=15).contains(&tries), "tries must be 1 to 15");
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
            .map_err(|_| anyhow::anyhow!("key generation failed"))?;
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .map_err(|_| anyhow::anyhow!("key generation failed"))?;
        Ok(Self {
            key,
            rng,
            card_id,
            pin,
            tries,
            max_tries: tries,
            selected: false,
            verified: false,
        })
    }

    fn answer(&mut self, cmd: &Command) -> Response {
        match (cmd.ins, cmd.p1, cmd.p2) {
            (0xA4, 0x04, _) => {
                self.selected = cmd.data == AID;
                self.verified = false;
                Response::status(if self.selected {
                    apdu::SW_OK
                } else {
                    apdu::SW_FILE_NOT_FOUND
                })
            }
            _ if !self.selected => Response::status(apdu::SW_INS_NOT_SUPPORTED),
            (0xCA, p1, p2) if [p1, p2] == TAG_CARD_ID => {
                Response::ok(self.card_id.as_bytes().to_vec())
            }
            (0xCA, p1, p2) if [p1, p2] == TAG_PUBLIC_KEY => {
                Response::ok(self.key.public_key().as_ref().to_vec())
            }
            (0x20, 0, PIN_REF) if self.tries == 0 => Response::status(apdu::SW_AUTH_BLOCKED),
            (0x20, 0, PIN_REF) if cmd.data.is_empty() => Response::status(if self.verified {
                apdu::SW_OK
            } else {
                0x63C0 | u16::from(self.tries)
            }),
            (0x20, 0, PIN_REF) => {
                if cmd.data == self.pin.as_bytes() {
                    self.tries = self.max_tries;
                    self.verified = true;
                    Response::status(apdu::SW_OK)
                } else {
                    self.tries -= 1;
                    self.verified = false;
                    Response::status(if self.tries == 0 {
                        apdu::SW_AUTH_BLOCKED
                    } else {
                        0x63C0 | u16::from(self.tries)
                    })
                }
            }
            // INTERNAL AUTHENTICATE: signs the terminal's challenge, only
            // after the PIN.
            (0x88, 0, 0) if !self.verified => Response::status(apdu::SW_SECURITY_NOT_SATISFIED),
            (0x88, 0, 0) => match self.key.sign(&self.rng, &cmd.data) {
                Ok(sig) => Response::ok(sig.as_ref().to_vec()),
                Err(_) => Response::status(0x6F00),
            },
            _ => Response::status(apdu::SW_INS_NOT_SUPPORTED),
        }
    }
}

impl Card for ClerkCard {
    fn atr(&self) -> Vec<u8> {
        passport_cards::vpcd::atr_t1(b"PC-CLERK1")
    }

    fn reset(&mut self) {
        self.selected = false;
        self.verified = false;
    }

    fn apdu(&mut self, bytes: &[u8]) -> Vec<u8> {
        match Command::parse(bytes) {
            Some(cmd) => self.answer(&cmd).to_bytes(),
            None => Response::status(apdu::SW_WRONG_LENGTH).to_bytes(),
        }
    }
}
