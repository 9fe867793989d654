//! BER-TLV as the chip and CMS use it: tags of one to three bytes, definite
//! lengths of up to four bytes. Parsing never panics on what a card sends;
//! a malformed object is [`TlvError`].

/// A tag and its value, borrowed from the input; `raw` is the whole object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u32,
    pub value: &'a [u8],
    pub raw: &'a [u8],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed TLV: {0}")]
pub struct TlvError(pub &'static str);

impl TlvError {
    /// For the clerk, in both languages.
    pub fn words(&self) -> passport_domain::Message {
        let pl = match self.0 {
            "empty" => "brak danych",
            "tag too long" => "za długi znacznik",
            "length missing" => "brak długości",
            "bad length" => "nieprawidłowa długość",
            "value runs past the end" => "wartość wykracza poza koniec danych",
            "bytes after the object" => "nadmiarowe bajty po obiekcie",
            "expected tag missing" => "brak oczekiwanego znacznika",
            "unexpected tag" => "nieoczekiwany znacznik",
            "MRZ is not text" => "MRZ nie jest tekstem",
            "not a face record" => "to nie jest rekord twarzy",
            "face record too short" => "rekord twarzy za krótki",
            "no biometric data block" => "brak bloku danych biometrycznych",
            _ => "nieprawidłowa struktura",
        };
        passport_domain::Message::new(
            format!("nieprawidłowa struktura TLV: {pl}"),
            self.to_string(),
        )
    }
}

impl<'a> Tlv<'a> {
    /// The first object in `input` and what follows it.
    pub fn parse(input: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8]), TlvError> {
        let (tag, tag_len) = read_tag(input)?;
        let (len, len_len) = read_len(&input[tag_len..])?;
        let start = tag_len + len_len;
        let end = start
            .checked_add(len)
            .filter(|&e| e <= input.len())
            .ok_or(TlvError("value runs past the end"))?;
        Ok((
            Tlv {
                tag,
                value: &input[start..end],
                raw: &input[..end],
            },
            &input[end..],
        ))
    }

    /// Exactly one object filling `input`.
    pub fn parse_all(input: &'a [u8]) -> Result<Tlv<'a>, TlvError> {
        match Self::parse(input)? {
            (tlv, []) => Ok(tlv),
            _ => Err(TlvError("bytes after the object")),
        }
    }

    /// The objects inside a constructed value, in order.
    pub fn children(&self) -> Result<Vec<Tlv<'a>>, TlvError> {
        sequence(self.value)
    }

    /// The first child with `tag`.
    pub fn child(&self, tag: u32) -> Result<Tlv<'a>, TlvError> {
        self.children()?
            .into_iter()
            .find(|c| c.tag == tag)
            .ok_or(TlvError("expected tag missing"))
    }

    /// Checks the tag, for the positional fields of ASN.1 structures.
    pub fn expect(self, tag: u32) -> Result<Self, TlvError> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(TlvError("unexpected tag"))
        }
    }
}

/// All objects in `input`, back to back.
pub fn sequence(mut input: &[u8]) -> Result<Vec<Tlv<'_>>, TlvError> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let (tlv, rest) = Tlv::parse(input)?;
        out.push(tlv);
        input = rest;
    }
    Ok(out)
}

fn read_tag(input: &[u8]) -> Result<(u32, usize), TlvError> {
    let first = *input.first().ok_or(TlvError("empty"))?;
    if first & 0x1F != 0x1F {
        return Ok((u32::from(first), 1));
    }
    let mut tag = u32::from(first);
    for (i, &b) in input.iter().enumerate().skip(1).take(3) {
        tag = (tag << 8) | u32::from(b);
        if b & 0x80 == 0 {
            return Ok((tag, i + 1));
        }
    }
    Err(TlvError("tag too long"))
}

fn read_len(input: &[u8]) -> Result<(usize, usize), TlvError> {
    let first = *input.first().ok_or(TlvError("length missing"))?;
    if first < 0x80 {
        return Ok((usize::from(first), 1));
    }
    let n = usize::from(first & 0x7F);
    if n == 0 || n > 4 || input.len() < 1 + n {
        return Err(TlvError("bad length"));
    }
    let len = input[1..=n]
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    Ok((len, 1 + n))
}

/// Encodes one object (DER lengths: the shortest form).
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    let tag_bytes = tag.to_be_bytes();
    let skip = tag_bytes.iter().take_while(|&&b| b == 0).count().min(3);
    out.extend_from_slice(&tag_bytes[skip..]);
    encode_len(&mut out, value.len());
    out.extend_from_slice(value);
    out
}

fn encode_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// The length of the object starting at `head` (tag and length bytes
/// only), for reading a file whose size the card does not say.
pub fn total_len(head: &[u8]) -> Result<usize, TlvError> {
    let (_, tag_len) = read_tag(head)?;
    let (len, len_len) = read_len(&head[tag_len..])?;
    Ok(tag_len + len_len + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_short_long_and_multibyte_tags() {
        for (tag, len) in [(0x61, 5), (0x5F1F, 88), (0x7F61, 300), (0x30, 70_000)] {
            let value = vec![0xAB; len];
            let bytes = encode(tag, &value);
            let tlv = Tlv::parse_all(&bytes).unwrap();
            assert_eq!((tlv.tag, tlv.value.len()), (tag, len));
            assert_eq!(total_len(&bytes[..6]).unwrap(), bytes.len());
        }
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for bad in [
            &[][..],
            &[0x61],
            &[0x61, 0x05, 1],
            &[0x5F],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
        ] {
            assert!(Tlv::parse(bad).is_err(), "{bad:02X?}");
        }
    }
}
