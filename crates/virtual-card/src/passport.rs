//! The virtual passport: an eMRTD application with BAC and secure messaging
//! as a chip does them, the master file's EF.ATR/INFO, and the variants
//! that are wrong on purpose.

use crate::pki::{self, Signer};
use passport_cards::apdu::{self, Command, Response};
use passport_cards::bac::{self, AccessKey};
use passport_cards::sm::Channel;
use passport_cards::vpcd::Card;
use passport_cards::{lds, tlv};
use std::collections::BTreeMap;

/// How the passport is wrong, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    /// A valid passport.
    Valid,
    /// DG1 changed after EF.SOD was signed (hash mismatch).
    TamperedDg1,
    /// DG2 listed and signed but not on the chip.
    MissingDg2,
    /// EF.SOD's signature corrupted.
    BadSignature,
    /// Document signer issued by a CSCA the counter does not trust (same
    /// name, another key).
    UnknownCsca,
    /// Document signer certificate expired.
    ExpiredSigner,
    /// The chip's access key is not the printed MRZ's (BAC fails).
    WrongMrz,
    /// EF.SOD is on the chip but empty (as Debian's `vicc -t ePass`).
    EmptySod,
    /// EF.SOD is a well-framed file whose CMS does not parse.
    GarbledSod,
    /// EF.COM's inner list runs past its end.
    GarbledCom,
    /// DG1's MRZ object runs past the file's end; EF.SOD signs the garbled
    /// file as it is, so only its structure is wrong.
    GarbledDg1,
    /// DG2 ends before the length its header gives (as a chip whose write
    /// was cut short); EF.SOD signs the whole file.
    TruncatedDg2,
}

/// What the passport holds.
#[derive(Debug, Clone)]
pub struct Personalisation {
    /// Both MRZ lines, 88 characters.
    pub mrz: String,
    pub jpeg: Vec<u8>,
    pub width: u16,
    pub height: u16,
    /// The largest response in one APDU (EF.ATR/INFO); `None` = short only.
    pub max_response: Option<u16>,
}

#[derive(Debug, PartialEq, Eq)]
enum Selected {
    Master,
    Application,
}

/// The card as vpcd sees it.
pub struct Passport {
    files: BTreeMap<[u8; 2], Vec<u8>>,
    atr_info: Option<Vec<u8>>,
    seed: bac::Key,
    selected: Selected,
    file: Option<[u8; 2]>,
    challenge: Option<[u8; 8]>,
    channel: Option<Channel>,
    max_response: usize,
    /// Remove the card after this many APDUs (a passport lifted off the
    /// reader mid-read).
    remove_after: Option<u32>,
    apdus: u32,
}

impl std::fmt::Debug for Passport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passport")
            .field("files", &self.files.len())
            .finish_non_exhaustive()
    }
}

impl Passport {
    pub fn new(
        person: &Personalisation,
        pki: &pki::Loaded,
        variant: Variant,
        remove_after: Option<u32>,
    ) -> anyhow::Result<Self> {
        anyhow::ensure!(
            person.mrz.len() == 88,
            "the MRZ must be two lines of 44 characters"
        );
        let mut dg1 = lds::build_dg1(&person.mrz);
        if variant == Variant::GarbledDg1 {
            // 61 5B 5F1F 58 <88 characters>: the MRZ object now claims
            // 0x5A bytes, two more than the file holds.
            if let Some(len) = dg1.get_mut(4) {
                *len += 2;
            }
        }
        let dg2 = lds::build_dg2(&person.jpeg, person.width, person.height);
        let signer: Signer = match variant {
            Variant::UnknownCsca => {
                let other = pki::csca(pki::CSCA_NAME)?;
                pki::document_signer(pki::CSCA_NAME, &other, (2024, 1, 1), (2040, 1, 1))?
            }
            Variant::ExpiredSigner => {
                pki::document_signer(pki::CSCA_NAME, &pki.csca, (2021, 1, 1), (2023, 1, 1))?
            }
            _ => Signer {
                cert_der: pki.ds.cert_der.clone(),
                key: rcgen::KeyPair::try_from(pki.ds.key.serialize_der().as_slice())?,
            },
        };
        let mut sod = pki::sod(&[(1, &dg1), (2, &dg2)], &signer)?;
        if variant == Variant::BadSignature {
            // The signature is the last object: flip a byte in its middle.
            let at = sod.len() - 20;
            sod[at] ^= 0x55;
        }
        match variant {
            Variant::EmptySod => sod.clear(),
            // Framed as EF.SOD, but a SEQUENCE of an INTEGER is no CMS.
            Variant::GarbledSod => sod = tlv::encode(0x77, &tlv::encode(0x30, &[2, 1, 3])),
            _ => {}
        }
        let com = if variant == Variant::GarbledCom {
            // 60 03 | 5C 05 61: the list claims five bytes, one is there.
            vec![0x60, 0x03, 0x5C, 0x05, 0x61]
        } else {
            lds::build_com(&[1, 2])
        };
        let mut files = BTreeMap::new();
        files.insert(lds::FID_COM, com);
        files.insert(
            lds::fid_of(1),
            if variant == Variant::TamperedDg1 {
                tamper(&dg1)
            } else {
                dg1
            },
        );
        match variant {
            Variant::MissingDg2 => {}
            Variant::TruncatedDg2 => {
                files.insert(lds::fid_of(2), dg2[..dg2.len() / 2].to_vec());
            }
            _ => {
                files.insert(lds::fid_of(2), dg2);
            }
        }
        files.insert(lds::FID_SOD, sod);

        let line2 = &person.mrz[44..];
        let mut key = AccessKey::from_mrz_line2(line2)
            .ok_or_else(|| anyhow::anyhow!("MRZ line 2 is malformed"))?;
        if variant == Variant::WrongMrz {
            key.expiry = if key.expiry == "991231" {
                "991230".into()
            } else {
                "991231".into()
            };
        }
        let seed = key
            .seed()
            .ok_or_else(|| anyhow::anyhow!("the MRZ's key fields are malformed"))?;
        Ok(Self {
            files,
            atr_info: person.max_response.map(|max| lds::build_atr_info(max, max)),
            seed,
            selected: Selected::Master,
            file: None,
            challenge: None,
            channel: None,
            max_response: person.max_response.map_or(256, usize::from),
            remove_after,
            apdus: 0,
        })
    }

    /// A file's bytes as the chip holds them.
    pub fn file(&self, fid: [u8; 2]) -> Option<&[u8]> {
        self.files.get(&fid).map(Vec::as_slice)
    }

    /// Replaces a file's bytes (tests damage a file this way, after
    /// EF.SOD was signed).
    pub fn set_file(&mut self, fid: [u8; 2], bytes: Vec<u8>) {
        self.files.insert(fid, bytes);
    }

    fn plain(&mut self, cmd: &Command, secured: bool) -> Response {
        match (cmd.ins, cmd.p1) {
            (0xA4, 0x04) if cmd.data == lds::AID => {
                self.selected = Selected::Application;
                self.file = None;
                self.channel = None;
                Response::status(apdu::SW_OK)
            }
            (0xA4, 0x04) => Response::status(apdu::SW_FILE_NOT_FOUND),
            (0xA4, 0x00) if cmd.data == [0x3F, 0x00] => {
                self.selected = Selected::Master;
                self.file = None;
                self.channel = None;
                Response::status(apdu::SW_OK)
            }
            (0xA4, 0x00 | 0x02) => {
                let Ok(fid) = <[u8; 2]>::try_from(cmd.data.as_slice()) else {
                    return Response::status(apdu::SW_WRONG_LENGTH);
                };
                let found = match self.selected {
                    Selected::Master => fid == lds::FID_ATR_INFO && self.atr_info.is_some(),
                    Selected::Application if !secured => {
                        return Response::status(apdu::SW_SECURITY_NOT_SATISFIED);
                    }
                    Selected::Application => self.files.contains_key(&fid),
                };
                if found {
                    self.file = Some(fid);
                    Response::status(apdu::SW_OK)
                } else {
                    Response::status(apdu::SW_FILE_NOT_FOUND)
                }
            }
            (0xB0, _) => self.read_binary(cmd, secured),
            (0x84, _) if self.selected == Selected::Application => {
                let rnd: [u8; 8] = rand::random();
                self.challenge = Some(rnd);
                Response::ok(rnd.to_vec())
            }
            (0x82, _) if self.selected == Selected::Application => {
                let Some(rnd_icc) = self.challenge.take() else {
                    return Response::status(apdu::SW_SECURITY_NOT_SATISFIED);
                };
                match bac::chip_answer(&self.seed, &rnd_icc, &cmd.data, rand::random()) {
                    Some((answer, session)) => {
                        self.channel = Some(session.into());
                        Response::ok(answer)
                    }
                    None => Response::status(apdu::SW_AUTH_FAILED),
                }
            }
            _ => Response::status(apdu::SW_INS_NOT_SUPPORTED),
        }
    }

    fn read_binary(&self, cmd: &Command, secured: bool) -> Response {
        let Some(fid) = self.file else {
            return Response::status(0x6986);
        };
        let data = match self.selected {
            Selected::Master => self.atr_info.as_deref(),
            Selected::Application if secured => self.files.get(&fid).map(Vec::as_slice),
            Selected::Application => return Response::status(apdu::SW_SECURITY_NOT_SATISFIED),
        };
        let Some(data) = data else {
            return Response::status(apdu::SW_FILE_NOT_FOUND);
        };
        if cmd.p1 & 0x80 != 0 {
            return Response::status(apdu::SW_WRONG_P1P2);
        }
        let offset = usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]));
        if offset > data.len() {
            return Response::status(apdu::SW_WRONG_P1P2);
        }
        let want = cmd.le.unwrap_or(256);
        if want > self.max_response {
            return Response::status(apdu::SW_WRONG_LENGTH);
        }
        let end = (offset + want).min(data.len());
        let mut r = Response::ok(data[offset..end].to_vec());
        if end - offset < want {
            r.sw = 0x6282; // end of file reached before Le bytes
        }
        r
    }
}

/// One character of the name changed: the file still parses, its hash
/// no longer matches.
fn tamper(dg1: &[u8]) -> Vec<u8> {
    let mut out = dg1.to_vec();
    if let Some(i) = out.iter().position(|&b| b == b'<').map(|i| i + 6) {
        out[i] = if out[i] == b'X' { b'Y' } else { b'X' };
    }
    out
}

impl Card for Passport {
    fn atr(&self) -> Vec<u8> {
        passport_cards::vpcd::atr_t1(b"eMRTD-TEST")
    }

    fn apdu(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.apdus += 1;
        let Some(cmd) = Command::parse(bytes) else {
            return Response::status(apdu::SW_WRONG_LENGTH).to_bytes();
        };
        let protected = cmd.cla & 0x0C == 0x0C;
        let response = match (protected, self.channel.as_mut()) {
            (true, Some(channel)) => match channel.open_command(&cmd) {
                Ok(plain) => {
                    let r = self.plain(&plain, true);
                    match self.channel.as_mut() {
                        Some(channel) => channel.protect_response(&r),
                        None => r,
                    }
                }
                Err(_) => {
                    // A secure-messaging error ends the session.
                    self.channel = None;
                    Response::status(apdu::SW_SM_OBJECTS_INCORRECT)
                }
            },
            (true, None) => Response::status(apdu::SW_SECURITY_NOT_SATISFIED),
            (false, _) => {
                // A plain command ends a secure session.
                self.channel = None;
                self.plain(&cmd, false)
            }
        };
        response.to_bytes()
    }

    fn reset(&mut self) {
        self.selected = Selected::Master;
        self.file = None;
        self.challenge = None;
        self.channel = None;
    }

    fn removed(&self) -> bool {
        self.remove_after.is_some_and(|n| self.apdus >= n)
    }
}
