//! ISO 7816-4 command and response APDUs, short and extended length.

/// A command APDU. `le` is the number of bytes expected (`Some(256)` or
/// `Some(65536)` mean "as many as you have" in short and extended form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    pub le: Option<usize>,
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Extended form when the data or the expected length does not fit a
    /// short APDU.
    pub fn is_extended(&self) -> bool {
        self.data.len() > 255 || self.le.is_some_and(|le| le > 256)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        let extended = self.is_extended();
        if !self.data.is_empty() {
            if extended {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if extended {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % 65536) as u16).to_be_bytes());
            } else {
                out.push((le % 256) as u8);
            }
        }
        out
    }

    /// Parses a command as a card receives it.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let (&[cla, ins, p1, p2], body) = bytes.split_first_chunk::<4>()?;
        let mut cmd = Self::new(cla, ins, p1, p2);
        match body {
            [] => {}
            [le] => cmd.le = Some(if *le == 0 { 256 } else { usize::from(*le) }),
            [0, hi, lo] => cmd.le = Some(ext_le(*hi, *lo)),
            [0, hi, lo, rest @ ..] => {
                let lc = usize::from(u16::from_be_bytes([*hi, *lo]));
                let data = rest.get(..lc)?;
                cmd.data = data.to_vec();
                match &rest[lc..] {
                    [] => {}
                    [hi, lo] => cmd.le = Some(ext_le(*hi, *lo)),
                    _ => return None,
                }
            }
            [lc, rest @ ..] => {
                let lc = usize::from(*lc);
                cmd.data = rest.get(..lc)?.to_vec();
                match &rest[lc..] {
                    [] => {}
                    [le] => cmd.le = Some(if *le == 0 { 256 } else { usize::from(*le) }),
                    _ => return None,
                }
            }
        }
        Some(cmd)
    }
}

fn ext_le(hi: u8, lo: u8) -> usize {
    match u16::from_be_bytes([hi, lo]) {
        0 => 65536,
        n => usize::from(n),
    }
}

/// A response APDU: data and the status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let (data, sw) = bytes.split_last_chunk::<2>()?;
        Some(Self {
            data: data.to_vec(),
            sw: u16::from_be_bytes(*sw),
        })
    }

    pub fn ok(data: Vec<u8>) -> Self {
        Self { data, sw: SW_OK }
    }

    pub fn status(sw: u16) -> Self {
        Self {
            data: Vec::new(),
            sw,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }
}

pub const SW_OK: u16 = 0x9000;
pub const SW_WRONG_LENGTH: u16 = 0x6700;
pub const SW_SECURITY_NOT_SATISFIED: u16 = 0x6982;
pub const SW_AUTH_BLOCKED: u16 = 0x6983;
pub const SW_SM_OBJECTS_INCORRECT: u16 = 0x6988;
pub const SW_FILE_NOT_FOUND: u16 = 0x6A82;
pub const SW_WRONG_P1P2: u16 = 0x6B00;
pub const SW_INS_NOT_SUPPORTED: u16 = 0x6D00;
pub const SW_AUTH_FAILED: u16 = 0x6300;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_extended_forms_round_trip() {
        let cases = [
            Command::new(0, 0x84, 0, 0).with_le(8),
            Command::new(0, 0xA4, 4, 0x0C).with_data(vec![1; 7]),
            Command::new(0x0C, 0xB0, 0, 0)
                .with_data(vec![2; 13])
                .with_le(256),
            Command::new(0x0C, 0xB0, 0, 0)
                .with_data(vec![2; 13])
                .with_le(4096),
            Command::new(0, 0xB0, 0, 0).with_le(65536),
            Command::new(0, 0xD6, 0, 0).with_data(vec![3; 300]),
        ];
        for cmd in cases {
            assert_eq!(Command::parse(&cmd.to_bytes()), Some(cmd));
        }
        assert_eq!(Command::parse(&[0, 0xB0]), None);
        assert_eq!(Command::parse(&[0, 0xB0, 0, 0, 5, 1]), None);
    }
}
