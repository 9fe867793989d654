//! Secure messaging with 3DES and the retail MAC (ICAO 9303 part 11, 9.8),
//! both directions: the terminal protects commands and checks responses,
//! the chip (the virtual passport) checks commands and protects responses.
//! The send sequence counter goes up once before every command and once
//! before every response, on both sides.

use crate::apdu::{Command, Response};
use crate::bac::{self, Session};
use crate::tlv::{self, Tlv};

/// Why a protected message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmError {
    #[error("the chip answered without secure messaging (status {0:04X})")]
    Unprotected(u16),
    #[error("the message's MAC does not match: the secure channel is broken")]
    BadMac,
    #[error("malformed secure-messaging objects")]
    Malformed,
}

/// One side of an established secure channel.
#[derive(Debug, Clone)]
pub struct Channel {
    ks_enc: bac::Key,
    ks_mac: bac::Key,
    ssc: u64,
}

impl From<Session> for Channel {
    fn from(s: Session) -> Self {
        Self {
            ks_enc: s.ks_enc,
            ks_mac: s.ks_mac,
            ssc: s.ssc,
        }
    }
}

impl Channel {
    fn next_mac_input(&mut self) -> Vec<u8> {
        self.ssc = self.ssc.wrapping_add(1);
        self.ssc.to_be_bytes().to_vec()
    }

    fn le_object(le: usize) -> Vec<u8> {
        if le > 256 {
            tlv::encode(0x97, &((le % 65536) as u16).to_be_bytes())
        } else {
            tlv::encode(0x97, &[(le % 256) as u8])
        }
    }

    /// Terminal: the protected form of `cmd`.
    pub fn protect(&mut self, cmd: &Command) -> Command {
        let cla = cmd.cla | 0x0C;
        let mut m = bac::pad(&[cla, cmd.ins, cmd.p1, cmd.p2]);
        let mut body = Vec::new();
        if !cmd.data.is_empty() {
            let mut v = vec![0x01];
            v.extend(bac::encrypt(&self.ks_enc, &bac::pad(&cmd.data)));
            body.extend(tlv::encode(0x87, &v));
        }
        if let Some(le) = cmd.le {
            body.extend(Self::le_object(le));
        }
        m.extend_from_slice(&body);
        let mut n = self.next_mac_input();
        n.extend(m);
        let cc = bac::mac(&self.ks_mac, &bac::pad(&n));
        body.extend(tlv::encode(0x8E, &cc));
        // The protected response is bigger than the plain one: ask for as
        // much as the form allows.
        let le = if cmd.le.is_some_and(|le| le > 231) || body.len() > 255 {
            65536
        } else {
            256
        };
        Command {
            cla,
            ins: cmd.ins,
            p1: cmd.p1,
            p2: cmd.p2,
            data: body,
            le: Some(le),
        }
    }

    /// Terminal: checks and opens the chip's protected response.
    pub fn unprotect(&mut self, resp: &Response) -> Result<Response, SmError> {
        let n = self.next_mac_input();
        if resp.data.is_empty() {
            return Err(SmError::Unprotected(resp.sw));
        }
        let objects = tlv::sequence(&resp.data).map_err(|_| SmError::Malformed)?;
        let (covered, mac) = split_mac(&objects)?;
        let mut k = n;
        for o in &covered {
            k.extend_from_slice(o.raw);
        }
        if bac::mac(&self.ks_mac, &bac::pad(&k)) != mac {
            return Err(SmError::BadMac);
        }
        let sw = covered
            .iter()
            .find(|o| o.tag == 0x99)
            .and_then(|o| <[u8; 2]>::try_from(o.value).ok())
            .map(u16::from_be_bytes)
            .ok_or(SmError::Malformed)?;
        let data = match covered.iter().find(|o| o.tag == 0x87) {
            Some(o) => self.open(o.value)?,
            None => Vec::new(),
        };
        Ok(Response { data, sw })
    }

    fn open(&self, do87: &[u8]) -> Result<Vec<u8>, SmError> {
        let (&indicator, cryptogram) = do87.split_first().ok_or(SmError::Malformed)?;
        if indicator != 0x01 || cryptogram.len() % 8 != 0 {
            return Err(SmError::Malformed);
        }
        let plain = bac::decrypt(&self.ks_enc, cryptogram);
        bac::unpad(&plain)
            .map(<[u8]>::to_vec)
            .ok_or(SmError::Malformed)
    }

    /// Chip: checks and opens a protected command.
    pub fn open_command(&mut self, cmd: &Command) -> Result<Command, SmError> {
        let n = self.next_mac_input();
        if cmd.cla & 0x0C != 0x0C {
            return Err(SmError::Unprotected(0));
        }
        let objects = tlv::sequence(&cmd.data).map_err(|_| SmError::Malformed)?;
        let (covered, mac) = split_mac(&objects)?;
        let mut m = n;
        m.extend(bac::pad(&[cmd.cla, cmd.ins, cmd.p1, cmd.p2]));
        for o in &covered {
            m.extend_from_slice(o.raw);
        }
        if bac::mac(&self.ks_mac, &bac::pad(&m)) != mac {
            return Err(SmError::BadMac);
        }
        let mut plain = Command::new(cmd.cla & !0x0C, cmd.ins, cmd.p1, cmd.p2);
        for o in covered {
            match o.tag {
                0x87 => plain.data = self.open(o.value)?,
                0x97 => {
                    plain.le = Some(match o.value {
                        [0] => 256,
                        [n] => usize::from(*n),
                        [0, 0] => 65536,
                        [hi, lo] => usize::from(u16::from_be_bytes([*hi, *lo])),
                        _ => return Err(SmError::Malformed),
                    })
                }
                _ => return Err(SmError::Malformed),
            }
        }
        Ok(plain)
    }

    /// Chip: the protected form of a response.
    pub fn protect_response(&mut self, resp: &Response) -> Response {
        let mut body = Vec::new();
        if !resp.data.is_empty() {
            let mut v = vec![0x01];
            v.extend(bac::encrypt(&self.ks_enc, &bac::pad(&resp.data)));
            body.extend(tlv::encode(0x87, &v));
        }
        body.extend(tlv::encode(0x99, &resp.sw.to_be_bytes()));
        let mut k = self.next_mac_input();
        k.extend_from_slice(&body);
        let cc = bac::mac(&self.ks_mac, &bac::pad(&k));
        body.extend(tlv::encode(0x8E, &cc));
        Response::ok(body).with_sw(resp.sw)
    }
}

impl Response {
    fn with_sw(mut self, sw: u16) -> Self {
        self.sw = sw;
        self
    }
}

/// The objects the MAC covers and the MAC, which must come last.
fn split_mac<'a>(objects: &[Tlv<'a>]) -> Result<(Vec<Tlv<'a>>, [u8; 8]), SmError> {
    let (last, covered) = objects.split_last().ok_or(SmError::Malformed)?;
    if last.tag != 0x8E {
        return Err(SmError::Malformed);
    }
    let mac = <[u8; 8]>::try_from(last.value).map_err(|_| SmError::Malformed)?;
    Ok((covered.to_vec(), mac))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bac::tests::h;

    fn icao_session() -> Channel {
        Channel {
            ks_enc: h("979EC13B1CBFE9DCD01AB0FED307EAE5").try_into().unwrap(),
            ks_mac: h("F1CB1F1FB5ADF208806B89DC579DC1F8").try_into().unwrap(),
            ssc: 0x887022120C06C226,
        }
    }

    /// ICAO 9303 part 11, appendix D.4: SELECT EF.COM and its answer.
    #[test]
    fn icao_worked_example() {
        let mut terminal = icao_session();
        let select = Command::new(0, 0xA4, 0x02, 0x0C).with_data(h("011E"));
        let protected = terminal.protect(&select);
        assert_eq!(
            protected.data,
            h("8709016375432908C044F68E08BF8B92D635FF24F8")
        );
        let answer = Response::parse(&h("990290008E08FA855A5D4C50A8ED9000")).unwrap();
        assert_eq!(terminal.unprotect(&answer).unwrap(), Response::ok(vec![]));
    }

    #[test]
    fn both_sides_agree_and_a_changed_byte_is_caught() {
        let (mut terminal, mut chip) = (icao_session(), icao_session());
        let read = Command::new(0, 0xB0, 0, 4).with_le(18);
        let opened = chip.open_command(&terminal.protect(&read)).unwrap();
        assert_eq!(opened, read);
        let protected = chip.protect_response(&Response::ok(b"60145F0104303130".to_vec()));
        let plain = terminal.unprotect(&protected).unwrap();
        assert_eq!(plain.data, b"60145F0104303130");

        let mut tampered = chip.protect_response(&Response::ok(vec![1, 2, 3]));
        tampered.data[3] ^= 1;
        assert_eq!(terminal.unprotect(&tampered), Err(SmError::BadMac));
        let big = Command::new(0, 0xB0, 0, 0).with_le(4096);
        let protected = terminal.protect(&big);
        assert!(protected.is_extended());
        assert_eq!(chip.clone().open_command(&protected).unwrap(), big);
    }
}
