//! PESEL, the Polish national identification number.
//!
//! Eleven digits: `YYMMDD`, a four-digit serial whose last digit carries the
//! sex (even for women, odd for men), and a check digit. The month carries the
//! century: +80 for the 1800s, +0 for the 1900s, +20 for the 2000s, +40 for
//! the 2100s and +60 for the 2200s.

use crate::error::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// Sex as written in PESEL and the MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "M")]
    Male,
}

impl Sex {
    pub fn code(self) -> char {
        match self {
            Sex::Female => 'F',
            Sex::Male => 'M',
        }
    }
}

/// A PESEL whose checksum, date and century all hold. Its `Debug` shows
/// nothing of it (see [`crate::redact`]); `Display` is the number itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pesel {
    digits: [u8; 11],
    birth_date: NaiveDate,
}

/// Why a string is not a PESEL. Each variant has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeselError {
    #[error("PESEL is empty")]
    Empty,
    #[error("PESEL must have 11 digits, found {0} characters")]
    Length(usize),
    #[error("PESEL may contain digits only (character {position} is {found:?})")]
    NotDigit { position: usize, found: char },
    #[error("PESEL check digit is {found}, expected {expected}")]
    Checksum { expected: u8, found: u8 },
    #[error("PESEL month {0:02} encodes no century")]
    Month(u8),
    #[error("PESEL encodes {year:04}-{month:02}-{day:02}, which is not a calendar date")]
    Date { year: i32, month: u32, day: u32 },
}

impl PeselError {
    pub fn code(&self) -> &'static str {
        match self {
            PeselError::Empty => "pesel.required",
            PeselError::Length(_) => "pesel.length",
            PeselError::NotDigit { .. } => "pesel.not_digit",
            PeselError::Checksum { .. } => "pesel.checksum",
            PeselError::Month(_) => "pesel.month",
            PeselError::Date { .. } => "pesel.date",
        }
    }

    /// The error as a field error at `path`, in both languages.
    pub fn to_field_error(&self, path: &str) -> FieldError {
        let pl = match self {
            PeselError::Empty => "Podaj numer PESEL.".to_owned(),
            PeselError::Length(n) => {
                format!("PESEL musi mieć 11 cyfr (wpisano {n} {}).", znaki(*n))
            }
            PeselError::NotDigit { position, found } => {
                format!("PESEL może zawierać tylko cyfry (znak {position}: „{found}”).")
            }
            // Never the digit that would fit: changing the last digit to it
            // makes a valid PESEL of somebody else. A typo is anywhere. The
            // advice first: it must be in the two lines under the field.
            PeselError::Checksum { .. } => {
                "Błędny PESEL: porównaj cyfra po cyfrze z dokumentem.".to_owned()
            }
            PeselError::Month(m) => {
                format!("Miesiąc {m:02} w numerze PESEL nie oznacza żadnego stulecia.")
            }
            PeselError::Date { year, month, day } => format!(
                "PESEL koduje datę {year:04}-{month:02}-{day:02}, która nie istnieje w kalendarzu."
            ),
        };
        let en = match self {
            PeselError::Checksum { .. } => {
                "Wrong PESEL: compare digit by digit with the document.".to_owned()
            }
            _ => self.to_string(),
        };
        FieldError::new(path, self.code(), pl, en)
    }
}

/// "znak", "znaki" or "znaków" after the number `n` (Polish plural forms).
fn znaki(n: usize) -> &'static str {
    let (units, tens) = (n % 10, n % 100);
    if n == 1 {
        "znak"
    } else if (2..=4).contains(&units) && !(12..=14).contains(&tens) {
        "znaki"
    } else {
        "znaków"
    }
}

impl Pesel {
    /// Parses and checks a PESEL. Surrounding white space is ignored.
    pub fn parse(input: &str) -> Result<Self, PeselError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(PeselError::Empty);
        }
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(PeselError::NotDigit {
                position: i + 1,
                found: c,
            });
        }
        let count = s.chars().count();
        if count != 11 {
            return Err(PeselError::Length(count));
        }
        let mut digits = [0u8; 11];
        for (slot, b) in digits.iter_mut().zip(s.bytes()) {
            *slot = b - b'0';
        }
        let expected = check_digit(&digits[..10]);
        if expected != digits[10] {
            return Err(PeselError::Checksum {
                expected,
                found: digits[10],
            });
        }
        let birth_date = decode_date(&digits)?;
        Ok(Self { digits, birth_date })
    }

    /// Builds the PESEL for a birth date, a serial (0–4999: the 5,000 numbers
    /// of one sex on one day) and a sex. `None` when the date lies outside
    /// 1800–2299 or the serial is too large. Used by tests and demo data.
    pub fn from_parts(birth_date: NaiveDate, serial: u16, sex: Sex) -> Option<Self> {
        if serial > 4999 {
            return None;
        }
        let year = birth_date.year();
        let offset = match year {
            1800..=1899 => 80,
            1900..=1999 => 0,
            2000..=2099 => 20,
            2100..=2199 => 40,
            2200..=2299 => 60,
            _ => return None,
        };
        let yy = u32::try_from(year.rem_euclid(100)).ok()?;
        let mm = birth_date.month() + offset;
        let dd = birth_date.day();
        let sex_digit = (serial % 5) * 2 + if sex == Sex::Male { 1 } else { 0 };
        let serial3 = u32::from(serial / 5);
        let text = format!("{yy:02}{mm:02}{dd:02}{serial3:03}{sex_digit}");
        let mut digits = [0u8; 11];
        for (slot, b) in digits.iter_mut().zip(text.bytes()) {
            *slot = b - b'0';
        }
        digits[10] = check_digit(&digits[..10]);
        Some(Self { digits, birth_date })
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    pub fn sex(&self) -> Sex {
        if self.digits[9].is_multiple_of(2) {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// The PESEL with all but the first two and last two digits hidden, as
    /// printed on a receipt handed to the public.
    pub fn masked(&self) -> String {
        let s = self.to_string();
        format!("{}*******{}", &s[..2], &s[9..])
    }
}

impl fmt::Display for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.digits {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Pesel {
    type Err = PeselError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Pesel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Pesel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Pesel::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The check digit over the first ten digits.
pub fn check_digit(first_ten: &[u8]) -> u8 {
    let sum: u32 = first_ten
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn decode_date(d: &[u8; 11]) -> Result<NaiveDate, PeselError> {
    let yy = i32::from(d[0] * 10 + d[1]);
    let mm = d[2] * 10 + d[3];
    let dd = u32::from(d[4] * 10 + d[5]);
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return Err(PeselError::Month(mm)),
    };
    let year = century + yy;
    NaiveDate::from_ymd_opt(year, u32::from(month), dd).ok_or(PeselError::Date {
        year,
        month: u32::from(month),
        day: dd,
    })
}

crate::personal_data_debug!(Pesel);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn known_valid_numbers_decode() {
        // 1944-05-14, male (the classic example from the PESEL documentation).
        let p = Pesel::parse("44051401359").unwrap();
        assert_eq!(p.birth_date(), date(1944, 5, 14));
        assert_eq!(p.sex(), Sex::Male);
        // 2002-03-15, female: month 23 carries the 2000s.
        let p = Pesel::parse("02231512340").unwrap_err();
        assert_eq!(p.code(), "pesel.checksum");
        let p = Pesel::from_parts(date(2002, 3, 15), 123, Sex::Female).unwrap();
        assert_eq!(&p.to_string()[..6], "022315");
        assert_eq!(Pesel::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn every_century_decodes() {
        for (y, month_digits) in [
            (1850, "83"),
            (1950, "03"),
            (2050, "23"),
            (2150, "43"),
            (2250, "63"),
        ] {
            let p = Pesel::from_parts(date(y, 3, 1), 7, Sex::Male).unwrap();
            assert_eq!(&p.to_string()[2..4], month_digits, "year {y}");
            assert_eq!(
                Pesel::parse(&p.to_string()).unwrap().birth_date(),
                date(y, 3, 1)
            );
        }
    }

    #[test]
    fn each_failure_has_its_own_code() {
        assert_eq!(Pesel::parse("").unwrap_err().code(), "pesel.required");
        assert_eq!(
            Pesel::parse("4405140135").unwrap_err().code(),
            "pesel.length"
        );
        assert_eq!(
            Pesel::parse("44051401a59").unwrap_err().code(),
            "pesel.not_digit"
        );
        assert_eq!(
            Pesel::parse("44051401358").unwrap_err().code(),
            "pesel.checksum"
        );
        // Month 13 belongs to no century. Fix the check digit so only the month is wrong.
        assert_eq!(
            Pesel::parse(&with_check("4413140135")).unwrap_err().code(),
            "pesel.month"
        );
        // 1900-02-29 does not exist (1900 is not a leap year).
        assert_eq!(
            Pesel::parse(&with_check("0002290135")).unwrap_err().code(),
            "pesel.date"
        );
        // 2000-02-29 does.
        assert!(Pesel::parse(&with_check("0022290135")).is_ok());
    }

    #[test]
    fn messages_are_in_both_languages() {
        let e = Pesel::parse("44051401358")
            .unwrap_err()
            .to_field_error("applicant.pesel");
        assert!(e.message.pl.contains("cyfra po cyfrze"));
        assert!(e.message.en.contains("digit by digit"));
        assert_eq!(e.path, "applicant.pesel");
        // It sends the clerk to the document, and never names the digit
        // that would fit (editing it in makes somebody else's PESEL).
        assert!(e.message.pl.contains("z dokumentem"), "{}", e.message.pl);
        assert!(e.message.en.contains("document"), "{}", e.message.en);
        assert!(
            !e.message.pl.chars().any(|c| c.is_ascii_digit()),
            "{}",
            e.message.pl
        );
        assert!(
            !e.message.en.chars().any(|c| c.is_ascii_digit()),
            "{}",
            e.message.en
        );
    }

    #[test]
    fn the_length_message_uses_the_right_plural() {
        let pl = |s: &str| Pesel::parse(s).unwrap_err().to_field_error("p").message.pl;
        assert!(pl("1").contains("(wpisano 1 znak)."), "{}", pl("1"));
        assert!(pl("123").contains("(wpisano 3 znaki)."));
        assert!(pl("12345").contains("(wpisano 5 znaków)."));
        assert!(pl("123456789012").contains("(wpisano 12 znaków)."));
        assert!(pl(&"1".repeat(22)).contains("(wpisano 22 znaki)."));
    }

    #[test]
    fn masking_hides_the_birth_date_and_serial() {
        let p = Pesel::parse("44051401359").unwrap();
        assert_eq!(p.masked(), "44*******59");
    }

    fn with_check(first_ten: &str) -> String {
        let d: Vec<u8> = first_ten.bytes().map(|b| b - b'0').collect();
        format!("{first_ten}{}", check_digit(&d))
    }

    proptest! {
        #[test]
        fn round_trips(days in 0i64..(500 * 366), serial in 0u16..5000, male in any::<bool>()) {
            let birth = date(1800, 1, 1) + chrono::Duration::days(days);
            prop_assume!(birth.year() < 2300);
            let sex = if male { Sex::Male } else { Sex::Female };
            let p = Pesel::from_parts(birth, serial, sex).unwrap();
            let back = Pesel::parse(&p.to_string()).unwrap();
            prop_assert_eq!(back.birth_date(), birth);
            prop_assert_eq!(back.sex(), sex);
            prop_assert_eq!(back, p);
        }

        #[test]
        fn any_single_digit_change_is_caught(days in 0i64..(200 * 366), serial in 0u16..1000, pos in 0usize..11, delta in 1u8..10) {
            let birth = date(1900, 1, 1) + chrono::Duration::days(days);
            let p = Pesel::from_parts(birth, serial, Sex::Female).unwrap().to_string();
            let mut bytes = p.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            // Weights 1,3,7,9 are all coprime with 10, so every single-digit change
            // breaks the checksum (or, for the check digit itself, mismatches it).
            prop_assert!(Pesel::parse(&changed).is_err());
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = Pesel::parse(&s);
        }
    }
}
