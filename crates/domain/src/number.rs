//! Application numbers assigned at the counter, with no coordination.
//!
//! `OFFICE-WS-SEQUENCE-CC`, e.g. `DEMO-01-000042-80`: the office code and
//! the workstation id are unique by configuration, the sequence is the
//! workstation's own, so no two counters anywhere can assign the same number,
//! online or offline. `CC` are two check digits by ISO 7064 MOD 97-10 over
//! the rest (without the dashes) read as one base-36 number — not the IBAN
//! way of spelling letters out as two digits: `DEMO01000042` is
//! 1764570395971621010, mod 97 is 6, CC = 98 − (100·6 mod 97) = 80. Because 97 is
//! prime, they catch every single wrong character and every swap of two
//! neighbours when the number is typed back at the counter, which a single
//! alphanumeric check character (MOD 37,36) does not.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

const SEQ_WIDTH: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationNumber {
    office: String,
    workstation: String,
    sequence: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("an application number has four parts: OFFICE-WS-SEQUENCE-CC")]
    Shape,
    #[error("the office code must be 2 to 8 letters or digits")]
    Office,
    #[error("the workstation id must be 1 to 4 letters or digits")]
    Workstation,
    #[error("the sequence must be at least six digits")]
    Sequence,
    #[error("the check digits do not match: the number was mistyped")]
    Check,
}

impl NumberError {
    pub fn to_field_error(&self, path: &str) -> FieldError {
        let (code, pl) = match self {
            NumberError::Shape => (
                "number.shape",
                "Numer wniosku ma postać BIURO-SS-NUMER-KK, np. DEMO-01-000042-80.",
            ),
            NumberError::Office => ("number.office", "Kod biura: od 2 do 8 liter lub cyfr."),
            NumberError::Workstation => (
                "number.workstation",
                "Identyfikator stanowiska: od 1 do 4 liter lub cyfr.",
            ),
            NumberError::Sequence => ("number.sequence", "Numer kolejny: co najmniej sześć cyfr."),
            NumberError::Check => (
                "number.check",
                "Cyfry kontrolne się nie zgadzają: numer został błędnie przepisany.",
            ),
        };
        FieldError::new(path, code, pl, self.to_string())
    }
}

fn is_code(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Validates an office code (2–8 capital letters or digits).
pub fn valid_office(s: &str) -> bool {
    is_code(s, 2, 8)
}

/// Validates a workstation id (1–4 capital letters or digits).
pub fn valid_workstation(s: &str) -> bool {
    is_code(s, 1, 4)
}

/// ISO 7064 MOD 97-10 check digits (02–98) over `text` read in base 36.
fn check_digits(text: &str) -> u32 {
    let n = text.bytes().fold(0u32, |acc, b| {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            _ => u32::from(b.to_ascii_uppercase().wrapping_sub(b'A')) + 10,
        };
        (acc * 36 + v) % 97
    });
    98 - (n * 100) % 97
}

impl ApplicationNumber {
    /// The number for the `sequence`-th application of a workstation.
    pub fn new(office: &str, workstation: &str, sequence: u64) -> Result<Self, NumberError> {
        if !valid_office(office) {
            return Err(NumberError::Office);
        }
        if !valid_workstation(workstation) {
            return Err(NumberError::Workstation);
        }
        Ok(Self {
            office: office.to_owned(),
            workstation: workstation.to_owned(),
            sequence,
        })
    }

    /// Reads a number as typed or scanned: case and surrounding space do not matter.
    pub fn parse(input: &str) -> Result<Self, NumberError> {
        let s = input.trim().to_ascii_uppercase();
        let parts: Vec<&str> = s.split('-').collect();
        let [office, ws, seq, check] = parts.as_slice() else {
            return Err(NumberError::Shape);
        };
        if seq.len() < SEQ_WIDTH || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Sequence);
        }
        let sequence: u64 = seq.parse().map_err(|_| NumberError::Sequence)?;
        let n = Self::new(office, ws, sequence)?;
        // A sequence with needless leading zeros would print differently.
        if n.to_string() != s {
            if *check != format!("{:02}", n.check()) {
                return Err(NumberError::Check);
            }
            return Err(NumberError::Sequence);
        }
        Ok(n)
    }

    pub fn office(&self) -> &str {
        &self.office
    }

    pub fn workstation(&self) -> &str {
        &self.workstation
    }

    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    fn body(&self) -> String {
        format!(
            "{}-{}-{:0width$}",
            self.office,
            self.workstation,
            self.sequence,
            width = SEQ_WIDTH
        )
    }

    fn check(&self) -> u32 {
        check_digits(&self.body().replace('-', ""))
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.body(), self.check())
    }
}

impl Serialize for ApplicationNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ApplicationNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ApplicationNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_and_parses() {
        let n = ApplicationNumber::new("DEMO", "01", 42).unwrap();
        let s = n.to_string();
        assert!(s.starts_with("DEMO-01-000042-"), "{s}");
        assert_eq!(ApplicationNumber::parse(&s).unwrap(), n);
        assert_eq!(
            ApplicationNumber::parse(&format!(" {} ", s.to_lowercase())).unwrap(),
            n
        );
        let big = ApplicationNumber::new("WAW1", "12", 12_345_678).unwrap();
        assert_eq!(ApplicationNumber::parse(&big.to_string()).unwrap(), big);
    }

    #[test]
    fn refuses_malformed_numbers() {
        assert_eq!(
            ApplicationNumber::parse("DEMO-01-42"),
            Err(NumberError::Shape)
        );
        assert_eq!(
            ApplicationNumber::parse("D-01-000042-00"),
            Err(NumberError::Office)
        );
        assert_eq!(
            ApplicationNumber::parse("DEMO-01-42-00"),
            Err(NumberError::Sequence)
        );
        assert_eq!(
            ApplicationNumber::new("DEMO", "", 1),
            Err(NumberError::Workstation)
        );
    }

    fn swap(s: &str, i: usize) -> String {
        let mut c: Vec<char> = s.chars().collect();
        c.swap(i, i + 1);
        c.into_iter().collect()
    }

    proptest! {
        #[test]
        fn a_single_wrong_character_is_caught(seq in 0u64..10_000_000, pos in 0usize..18, c in "[0-9A-Z]") {
            let n = ApplicationNumber::new("WAW1", "07", seq).unwrap().to_string();
            let mut chars: Vec<char> = n.chars().collect();
            prop_assume!(pos < chars.len() && chars[pos] != '-');
            let c = c.chars().next().unwrap();
            prop_assume!(chars[pos] != c);
            chars[pos] = c;
            let typo: String = chars.into_iter().collect();
            prop_assert!(ApplicationNumber::parse(&typo).is_err(), "{typo} accepted");
        }

        #[test]
        fn a_swap_of_neighbours_is_caught(seq in 0u64..1_000_000, pos in 0usize..17) {
            let n = ApplicationNumber::new("KRK2", "03", seq).unwrap().to_string();
            let chars: Vec<char> = n.chars().collect();
            prop_assume!(pos + 1 < chars.len() && chars[pos] != chars[pos + 1]);
            prop_assume!(chars[pos] != '-' && chars[pos + 1] != '-');
            prop_assert!(ApplicationNumber::parse(&swap(&n, pos)).is_err());
        }
    }
}
