//! Basic Access Control (ICAO 9303 part 11, section 4.3): keys from the MRZ,
//! the mutual authentication for both the terminal and the chip (the
//! virtual passport uses the chip's side), and the 3DES primitives secure
//! messaging is built from.

use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use des::{Des, TdesEde2};

/// A two-key 3DES key as BAC uses it (K_a ‖ K_b).
pub type Key = [u8; 16];

/// The MRZ fields the access key is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// The document number as printed in the MRZ (up to 9 characters).
    pub document_number: String,
    /// YYMMDD.
    pub birth: String,
    /// YYMMDD.
    pub expiry: String,
}

impl AccessKey {
    pub fn new(document_number: &str, birth: &str, expiry: &str) -> Self {
        Self {
            document_number: document_number.trim().to_ascii_uppercase(),
            birth: birth.trim().to_owned(),
            expiry: expiry.trim().to_owned(),
        }
    }

    /// The key from the second MRZ line of a TD3 document.
    pub fn from_mrz_line2(line2: &str) -> Option<Self> {
        let doc = line2.get(0..9)?.trim_end_matches('<');
        Some(Self::new(doc, line2.get(13..19)?, line2.get(21..27)?))
    }

    /// "Number+check ‖ birth+check ‖ expiry+check"; `None` when a field is
    /// not in the MRZ alphabet or a date is not six digits.
    pub fn mrz_information(&self) -> Option<String> {
        let mut doc = self.document_number.clone();
        while doc.len() < 9 {
            doc.push('<');
        }
        let dates_ok = [&self.birth, &self.expiry]
            .iter()
            .all(|d| d.len() == 6 && d.bytes().all(|b| b.is_ascii_digit()));
        if !dates_ok {
            return None;
        }
        let mut out = String::with_capacity(24);
        for field in [&doc, &self.birth, &self.expiry] {
            out.push_str(field);
            out.push(char::from(b'0' + passport_domain::mrz::check_digit(field)?));
        }
        Some(out)
    }

    /// K_seed: the first 16 bytes of SHA-1 over the MRZ information.
    pub fn seed(&self) -> Option<Key> {
        let info = self.mrz_information()?;
        Some(first16(&sha1(info.as_bytes())))
    }
}

fn sha1(data: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, data)
        .as_ref()
        .to_vec()
}

fn first16(bytes: &[u8]) -> Key {
    let mut k = [0u8; 16];
    k.copy_from_slice(&bytes[..16]);
    k
}

/// The encryption (counter 1) and MAC (counter 2) keys from a seed, with
/// DES parity set.
pub fn derive_keys(seed: &Key) -> (Key, Key) {
    let derive = |counter: u8| {
        let mut d = seed.to_vec();
        d.extend_from_slice(&[0, 0, 0, counter]);
        let mut k = first16(&sha1(&d));
        for b in &mut k {
            *b = (*b & 0xFE) | u8::from((*b & 0xFE).count_ones() % 2 == 0);
        }
        k
    };
    (derive(1), derive(2))
}

/// ISO 9797-1 padding method 2: 0x80, then zeros to a multiple of 8.
pub fn pad(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    out.push(0x80);
    while !out.len().is_multiple_of(8) {
        out.push(0);
    }
    out
}

/// Removes method-2 padding; `None` when there is none.
pub fn unpad(data: &[u8]) -> Option<&[u8]> {
    let end = data.iter().rposition(|&b| b != 0)?;
    (data[end] == 0x80).then_some(&data[..end])
}

fn tdes(key: &Key) -> TdesEde2 {
    TdesEde2::new(key.into())
}

/// 3DES-CBC with a zero IV over whole blocks.
pub fn encrypt(key: &Key, data: &[u8]) -> Vec<u8> {
    let cipher = tdes(key);
    let mut chain = [0u8; 8];
    let mut out = Vec::with_capacity(data.len());
    for block in data.chunks_exact(8) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        cipher.encrypt_block((&mut chain).into());
        out.extend_from_slice(&chain);
    }
    out
}

/// The inverse of [`encrypt`]; trailing bytes that are not a whole block
/// are dropped (the caller's padding check then fails).
pub fn decrypt(key: &Key, data: &[u8]) -> Vec<u8> {
    let cipher = tdes(key);
    let mut prev = [0u8; 8];
    let mut out = Vec::with_capacity(data.len());
    for block in data.chunks_exact(8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(block);
        let ct = b;
        cipher.decrypt_block((&mut b).into());
        for (x, p) in b.iter_mut().zip(prev) {
            *x ^= p;
        }
        out.extend_from_slice(&b);
        prev = ct;
    }
    out
}

/// ISO 9797-1 MAC algorithm 3 ("retail MAC") with DES over data already
/// padded to whole blocks.
pub fn mac(key: &Key, padded: &[u8]) -> [u8; 8] {
    let ka = Des::new((&key[..8]).try_into().unwrap_or(&[0u8; 8]).into());
    let kb = Des::new((&key[8..]).try_into().unwrap_or(&[0u8; 8]).into());
    let mut h = [0u8; 8];
    for block in padded.chunks_exact(8) {
        for (x, b) in h.iter_mut().zip(block) {
            *x ^= b;
        }
        ka.encrypt_block((&mut h).into());
    }
    kb.decrypt_block((&mut h).into());
    ka.encrypt_block((&mut h).into());
    h
}

/// Session keys and the starting send sequence counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub ks_enc: Key,
    pub ks_mac: Key,
    pub ssc: u64,
}

fn session(k_ifd: &[u8], k_icc: &[u8], rnd_icc: &[u8], rnd_ifd: &[u8]) -> Session {
    let mut seed = [0u8; 16];
    for (i, s) in seed.iter_mut().enumerate() {
        *s = k_ifd[i] ^ k_icc[i];
    }
    let (ks_enc, ks_mac) = derive_keys(&seed);
    let mut ssc = [0u8; 8];
    ssc[..4].copy_from_slice(&rnd_icc[4..8]);
    ssc[4..].copy_from_slice(&rnd_ifd[4..8]);
    Session {
        ks_enc,
        ks_mac,
        ssc: u64::from_be_bytes(ssc),
    }
}

/// The terminal's side: the EXTERNAL AUTHENTICATE data for the chip's
/// challenge, and then the check of the chip's answer.
#[derive(Debug)]
pub struct Terminal {
    k_enc: Key,
    k_mac: Key,
    rnd_ifd: [u8; 8],
    k_ifd: [u8; 16],
    rnd_icc: [u8; 8],
}

impl Terminal {
    /// `random` supplies RND.IFD and K.IFD (24 bytes).
    pub fn new(seed: &Key, rnd_icc: [u8; 8], random: [u8; 24]) -> Self {
        let (k_enc, k_mac) = derive_keys(seed);
        let mut rnd_ifd = [0u8; 8];
        rnd_ifd.copy_from_slice(&random[..8]);
        let mut k_ifd = [0u8; 16];
        k_ifd.copy_from_slice(&random[8..]);
        Self {
            k_enc,
            k_mac,
            rnd_ifd,
            k_ifd,
            rnd_icc,
        }
    }

    /// E_IFD ‖ M_IFD (40 bytes).
    pub fn authenticate_data(&self) -> Vec<u8> {
        let mut s = self.rnd_ifd.to_vec();
        s.extend_from_slice(&self.rnd_icc);
        s.extend_from_slice(&self.k_ifd);
        let mut e = encrypt(&self.k_enc, &s);
        let m = mac(&self.k_mac, &pad(&e));
        e.extend_from_slice(&m);
        e
    }

    /// Checks E_ICC ‖ M_ICC and derives the session; `None` when the chip's
    /// answer is not for this terminal.
    pub fn finish(&self, answer: &[u8]) -> Option<Session> {
        let (e, m) = answer.split_at_checked(32)?;
        if m.len() != 8 || mac(&self.k_mac, &pad(e)) != m {
            return None;
        }
        let r = decrypt(&self.k_enc, e);
        if r[..8] != self.rnd_icc || r[8..16] != self.rnd_ifd {
            return None;
        }
        Some(session(
            &self.k_ifd,
            &r[16..32],
            &self.rnd_icc,
            &self.rnd_ifd,
        ))
    }
}

/// The chip's side of the mutual authentication; `random` supplies K.ICC.
/// `None` when the terminal does not know the access key (the chip answers
/// "authentication failed").
pub fn chip_answer(
    seed: &Key,
    rnd_icc: &[u8; 8],
    data: &[u8],
    k_icc: [u8; 16],
) -> Option<(Vec<u8>, Session)> {
    let (k_enc, k_mac) = derive_keys(seed);
    let (e, m) = data.split_at_checked(32)?;
    if m.len() != 8 || mac(&k_mac, &pad(e)) != m {
        return None;
    }
    let s = decrypt(&k_enc, e);
    if s[8..16] != rnd_icc[..] {
        return None;
    }
    let rnd_ifd = &s[..8];
    let k_ifd = &s[16..32];
    let mut r = rnd_icc.to_vec();
    r.extend_from_slice(rnd_ifd);
    r.extend_from_slice(&k_icc);
    let mut answer = encrypt(&k_enc, &r);
    let m = mac(&k_mac, &pad(&answer));
    answer.extend_from_slice(&m);
    Some((answer, session(k_ifd, &k_icc, rnd_icc, rnd_ifd)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn h(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// ICAO 9303 part 11, appendix D.
    #[test]
    fn icao_worked_example() {
        let key = AccessKey::new("L898902C", "690806", "940623");
        assert_eq!(key.mrz_information().unwrap(), "L898902C<369080619406236");
        let seed = key.seed().unwrap();
        assert_eq!(seed.to_vec(), h("239AB9CB282DAF66231DC5A4DF6BFBAE"));
        let (k_enc, k_mac) = derive_keys(&seed);
        assert_eq!(k_enc.to_vec(), h("AB94FDECF2674FDFB9B391F85D7F76F2"));
        assert_eq!(k_mac.to_vec(), h("7962D9ECE03D1ACD4C76089DCE131543"));

        let rnd_icc: [u8; 8] = h("4608F91988702212").try_into().unwrap();
        let mut random = h("781723860C06C226");
        random.extend(h("0B795240CB7049B01C19B33E32804F0B"));
        let terminal = Terminal::new(&seed, rnd_icc, random.try_into().unwrap());
        let data = terminal.authenticate_data();
        assert_eq!(
            data,
            h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
        );
        let k_icc: [u8; 16] = h("0B4F80323EB3191CB04970CB4052790B").try_into().unwrap();
        let (answer, chip) = chip_answer(&seed, &rnd_icc, &data, k_icc).unwrap();
        assert_eq!(
            answer,
            h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")
        );
        let session = terminal.finish(&answer).unwrap();
        assert_eq!(session, chip);
        assert_eq!(
            session.ks_enc.to_vec(),
            h("979EC13B1CBFE9DCD01AB0FED307EAE5")
        );
        assert_eq!(
            session.ks_mac.to_vec(),
            h("F1CB1F1FB5ADF208806B89DC579DC1F8")
        );
        assert_eq!(session.ssc, 0x887022120C06C226);
    }

    #[test]
    fn a_wrong_access_key_is_refused_by_the_chip() {
        let right = AccessKey::new("L898902C", "690806", "940623")
            .seed()
            .unwrap();
        let wrong = AccessKey::new("L898902C", "690806", "940624")
            .seed()
            .unwrap();
        let rnd_icc = [7u8; 8];
        let terminal = Terminal::new(&wrong, rnd_icc, [9u8; 24]);
        assert!(chip_answer(&right, &rnd_icc, &terminal.authenticate_data(), [1; 16]).is_none());
    }

    #[test]
    fn access_key_from_the_second_mrz_line() {
        let line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        let key = AccessKey::from_mrz_line2(line2).unwrap();
        assert_eq!(key, AccessKey::new("L898902C3", "740812", "120415"));
        assert_eq!(
            AccessKey::new("AB12", "7408x2", "120415").mrz_information(),
            None
        );
    }
}
