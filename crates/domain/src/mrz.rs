//! ICAO 9303 TD3 machine-readable zone (passports): two lines of 44 characters.
//!
//! Line 1: `P`, type or filler, issuing state (3), `SURNAME<<GIVEN<NAMES` (39).
//! Line 2: document number (9) + check, nationality (3), birth date + check,
//! sex, expiry date + check, optional data (14) + check, composite check.
//! Check digits weight 7, 3, 1 over digits (their value), `A`–`Z` (10–35)
//! and `<` (0), modulo 10.

use crate::error::FieldError;
use crate::names;
use crate::pesel::Sex;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

pub const LINE_LEN: usize = 44;
const NAME_LEN: usize = 39;

/// The check digit of `s`, or `None` if `s` holds a character outside the MRZ alphabet.
pub fn check_digit(s: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in s.chars().enumerate() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            '<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

/// What goes into a passport's MRZ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MrzRecord {
    /// Second character of the document code (`<` for an ordinary passport).
    #[serde(default = "filler")]
    pub document_type: char,
    pub issuing_state: String,
    pub surname: String,
    pub given_names: String,
    pub document_number: String,
    pub nationality: String,
    pub birth_date: NaiveDate,
    /// `None` is written as `<` (unspecified).
    pub sex: Option<Sex>,
    pub expiry_date: NaiveDate,
    /// Up to 14 characters; for Polish passports possibly the PESEL
    /// (*unverified*: the caller decides what goes here).
    #[serde(default)]
    pub optional_data: String,
}

fn filler() -> char {
    '<'
}

/// A date as the MRZ writes it: two-digit year, month, day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MrzDate {
    pub yy: u8,
    pub mm: u8,
    pub dd: u8,
}

impl MrzDate {
    fn from_date(d: NaiveDate) -> Self {
        Self {
            yy: (d.year().rem_euclid(100)) as u8,
            mm: d.month() as u8,
            dd: d.day() as u8,
        }
    }

    fn text(self) -> String {
        format!("{:02}{:02}{:02}", self.yy, self.mm, self.dd)
    }

    fn in_century(self, century: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(
            century + i32::from(self.yy),
            u32::from(self.mm),
            u32::from(self.dd),
        )
    }

    /// A birth date: the latest century that does not put it after `today`.
    pub fn birth_date(self, today: NaiveDate) -> Option<NaiveDate> {
        let this = today.year() - today.year().rem_euclid(100);
        [this, this - 100]
            .into_iter()
            .filter_map(|c| self.in_century(c))
            .find(|d| *d <= today)
    }

    /// An expiry date: always in the 2000s for documents issued today.
    pub fn expiry_date(self) -> Option<NaiveDate> {
        self.in_century(2000)
    }
}

/// The two lines of a TD3 MRZ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Td3 {
    pub line1: String,
    pub line2: String,
}

/// A TD3 MRZ read back into its fields, every check digit verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedTd3 {
    pub document_code: String,
    pub issuing_state: String,
    /// As written in the MRZ (`<` turned back into spaces).
    pub surname: String,
    pub given_names: String,
    pub document_number: String,
    pub nationality: String,
    pub birth_date: MrzDate,
    pub sex: Option<Sex>,
    pub expiry_date: MrzDate,
    pub optional_data: String,
}

fn pad(s: &str, len: usize) -> String {
    let mut out: String = s.chars().take(len).collect();
    while out.chars().count() < len {
        out.push('<');
    }
    out
}

fn is_mrz_text(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<')
}

/// The name field: surname, `<<`, given names; given names are cut first
/// when the whole does not fit in 39 characters (ICAO 9303 Part 4, 4.2.2.2).
fn name_field(surname: &str, given: &str) -> String {
    let mut field = if given.is_empty() {
        surname.to_owned()
    } else {
        format!("{surname}<<{given}")
    };
    if field.len() > NAME_LEN {
        field.truncate(NAME_LEN);
        // Do not end on a lone `<` that would read as a separator.
        while field.ends_with('<') && field.len() > surname.len() + 2 {
            field.pop();
        }
    }
    pad(&field, NAME_LEN)
}

/// Writes the MRZ for `rec`. Every field that cannot be written is reported.
pub fn generate(rec: &MrzRecord) -> Result<Td3, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut code_field = |value: &str, path: &str, len: usize, what_pl: &str, what_en: &str| {
        if value.len() != len || !value.chars().all(|c| c.is_ascii_uppercase() || c == '<') {
            errors.push(FieldError::new(
                path,
                "mrz.code",
                format!("{what_pl}: wymagany kod {len} wielkich liter."),
                format!("{what_en}: must be a code of {len} capital letters."),
            ));
        }
    };
    code_field(
        &rec.issuing_state,
        "issuing_state",
        3,
        "Państwo wydające",
        "Issuing state",
    );
    code_field(
        &rec.nationality,
        "nationality",
        3,
        "Obywatelstwo",
        "Nationality",
    );
    if !(rec.document_type == '<' || rec.document_type.is_ascii_uppercase()) {
        errors.push(FieldError::new(
            "document_type",
            "mrz.code",
            "Typ dokumentu: jedna wielka litera lub „<”.",
            "Document type: one capital letter or “<”.",
        ));
    }
    let surname = names::transliterate(&rec.surname);
    let given = names::transliterate(&rec.given_names);
    for (path, r) in [("surname", &surname), ("given_names", &given)] {
        if let Err(c) = r {
            errors.push(FieldError::new(
                path,
                "name.script",
                format!("Litera „{c}” nie ma zapisu w strefie MRZ."),
                format!("The letter “{c}” cannot be written in the MRZ."),
            ));
        }
    }
    if surname.as_ref().is_ok_and(|s| s.is_empty()) {
        errors.push(FieldError::new(
            "surname",
            "name.required",
            "Nazwisko jest wymagane.",
            "Surname is required.",
        ));
    }
    let number = rec.document_number.to_ascii_uppercase();
    if number.is_empty() || number.len() > 9 || !is_mrz_text(&number) {
        errors.push(FieldError::new(
            "document_number",
            "mrz.document_number",
            "Numer dokumentu: od 1 do 9 wielkich liter i cyfr.",
            "Document number: 1 to 9 capital letters and digits.",
        ));
    }
    let optional = rec.optional_data.to_ascii_uppercase();
    if optional.len() > 14 || !is_mrz_text(&optional) {
        errors.push(FieldError::new(
            "optional_data",
            "mrz.optional_data",
            "Dane dodatkowe: najwyżej 14 wielkich liter i cyfr.",
            "Optional data: at most 14 capital letters and digits.",
        ));
    }
    if rec.expiry_date.year() < 2000 || rec.expiry_date.year() > 2099 {
        errors.push(FieldError::new(
            "expiry_date",
            "mrz.expiry_date",
            "Data ważności musi przypadać w latach 2000–2099.",
            "The expiry date must fall in 2000–2099.",
        ));
    }
    let (Ok(surname), Ok(given)) = (surname, given) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let line1 = format!(
        "P{}{}{}",
        rec.document_type,
        rec.issuing_state,
        name_field(&surname, &given)
    );
    let number = pad(&number, 9);
    let birth = MrzDate::from_date(rec.birth_date).text();
    let expiry = MrzDate::from_date(rec.expiry_date).text();
    let optional = pad(&optional, 14);
    let sex = rec.sex.map_or('<', Sex::code);
    // Every part was checked to hold MRZ characters only, so no check digit can fail.
    let cd = |s: &str| check_digit(s).map_or('<', |d| char::from(b'0' + d));
    let n_cd = cd(&number);
    let b_cd = cd(&birth);
    let e_cd = cd(&expiry);
    let o_cd = if optional.chars().all(|c| c == '<') {
        '<'
    } else {
        cd(&optional)
    };
    let composite = format!("{number}{n_cd}{birth}{b_cd}{expiry}{e_cd}{optional}{o_cd}");
    let c_cd = cd(&composite);
    let line2 = format!(
        "{number}{n_cd}{}{birth}{b_cd}{sex}{expiry}{e_cd}{optional}{o_cd}{c_cd}",
        rec.nationality
    );
    Ok(Td3 { line1, line2 })
}

fn mrz_err(path: &str, code: &str, pl: String, en: String) -> FieldError {
    FieldError::new(path, code, pl, en)
}

fn check_failed(path: &str, what_pl: &str, what_en: &str) -> FieldError {
    mrz_err(
        path,
        "mrz.check_digit",
        format!("Cyfra kontrolna pola „{what_pl}” się nie zgadza."),
        format!("The check digit of the {what_en} does not match."),
    )
}

fn parse_date(s: &str) -> Option<MrzDate> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |i: usize| (s.as_bytes()[i] - b'0') * 10 + (s.as_bytes()[i + 1] - b'0');
    let d = MrzDate {
        yy: n(0),
        mm: n(2),
        dd: n(4),
    };
    // Any century will do to ask whether the month and day exist; 2000 is a leap year.
    d.in_century(2000).map(|_| d)
}

/// Reads a TD3 MRZ, verifying every check digit. Each failure names its field.
pub fn parse(line1: &str, line2: &str) -> Result<ParsedTd3, Vec<FieldError>> {
    let line1 = line1.trim();
    let line2 = line2.trim();
    let mut errors = Vec::new();
    for (path, line, n) in [("line1", line1, 1), ("line2", line2, 2)] {
        if line.chars().count() != LINE_LEN {
            errors.push(mrz_err(
                path,
                "mrz.line_length",
                format!(
                    "Wiersz {n} strefy MRZ musi mieć 44 znaki (ma {}).",
                    line.chars().count()
                ),
                format!(
                    "MRZ line {n} must have 44 characters (has {}).",
                    line.chars().count()
                ),
            ));
        } else if !is_mrz_text(line) {
            errors.push(mrz_err(
                path,
                "mrz.characters",
                format!("Wiersz {n} strefy MRZ może zawierać tylko wielkie litery, cyfry i „<”."),
                format!("MRZ line {n} may contain only capital letters, digits and “<”."),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let document_code = line1[0..2].trim_end_matches('<').to_owned();
    if !document_code.starts_with('P') {
        errors.push(mrz_err(
            "document_code",
            "mrz.document_code",
            "To nie jest strefa MRZ paszportu (kod dokumentu musi zaczynać się od „P”).".into(),
            "Not a passport MRZ (the document code must start with “P”).".into(),
        ));
    }
    let issuing_state = line1[2..5].to_owned();
    let name = &line1[5..];
    let (surname, given) = name.split_once("<<").unwrap_or((name, ""));
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };

    let number_raw = &line2[0..9];
    let nationality = line2[10..13].to_owned();
    let birth_raw = &line2[13..19];
    let sex_raw = &line2[20..21];
    let expiry_raw = &line2[21..27];
    let optional_raw = &line2[28..42];

    let digit_at = |i: usize| line2.as_bytes()[i];
    let verify =
        |field: &str, cd_pos: usize| check_digit(field).map(|d| b'0' + d) == Some(digit_at(cd_pos));

    if !verify(number_raw, 9) {
        errors.push(check_failed(
            "document_number",
            "numer dokumentu",
            "document number",
        ));
    }
    let birth = parse_date(birth_raw);
    if birth.is_none() {
        errors.push(mrz_err(
            "birth_date",
            "mrz.date",
            format!("Data urodzenia „{birth_raw}” nie jest poprawną datą RRMMDD."),
            format!("Birth date “{birth_raw}” is not a valid YYMMDD date."),
        ));
    }
    if !verify(birth_raw, 19) {
        errors.push(check_failed("birth_date", "data urodzenia", "birth date"));
    }
    let sex = match sex_raw {
        "F" => Some(Sex::Female),
        "M" => Some(Sex::Male),
        "<" | "X" => None,
        other => {
            errors.push(mrz_err(
                "sex",
                "mrz.sex",
                format!("Płeć „{other}” nie jest jednym z F, M, <."),
                format!("Sex “{other}” is not one of F, M, <."),
            ));
            None
        }
    };
    let expiry = parse_date(expiry_raw);
    if expiry.is_none() {
        errors.push(mrz_err(
            "expiry_date",
            "mrz.date",
            format!("Data ważności „{expiry_raw}” nie jest poprawną datą RRMMDD."),
            format!("Expiry date “{expiry_raw}” is not a valid YYMMDD date."),
        ));
    }
    if !verify(expiry_raw, 27) {
        errors.push(check_failed("expiry_date", "data ważności", "expiry date"));
    }
    // An empty optional field may carry `<` or 0 as its check digit.
    let optional_empty = optional_raw.chars().all(|c| c == '<');
    if !(verify(optional_raw, 42) || (optional_empty && digit_at(42) == b'<')) {
        errors.push(check_failed(
            "optional_data",
            "dane dodatkowe",
            "optional data",
        ));
    }
    let composite = format!("{}{}{}", &line2[0..10], &line2[13..20], &line2[21..43]);
    if !verify(&composite, 43) {
        errors.push(check_failed(
            "composite",
            "suma kontrolna całości",
            "composite",
        ));
    }
    match (birth, expiry, errors.is_empty()) {
        (Some(birth_date), Some(expiry_date), true) => Ok(ParsedTd3 {
            document_code,
            issuing_state,
            surname: words(surname),
            given_names: words(given),
            document_number: number_raw.trim_end_matches('<').to_owned(),
            nationality,
            birth_date,
            sex,
            expiry_date,
            optional_data: optional_raw.trim_end_matches('<').to_owned(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The specimen from ICAO 9303 Part 4, Appendix A.
    const ICAO_1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const ICAO_2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn check_digits_match_the_icao_specimen() {
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some(1));
        assert_eq!(check_digit("a"), None);
    }

    #[test]
    fn parses_the_icao_specimen() {
        let p = parse(ICAO_1, ICAO_2).unwrap();
        assert_eq!(p.document_code, "P");
        assert_eq!(p.issuing_state, "UTO");
        assert_eq!(p.surname, "ERIKSSON");
        assert_eq!(p.given_names, "ANNA MARIA");
        assert_eq!(p.document_number, "L898902C3");
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(
            p.birth_date.birth_date(date(2026, 1, 1)),
            Some(date(1974, 8, 12))
        );
        assert_eq!(p.expiry_date.expiry_date(), Some(date(2012, 4, 15)));
        assert_eq!(p.optional_data, "ZE184226B");
    }

    #[test]
    fn each_broken_check_digit_is_named() {
        let mut l2: Vec<char> = ICAO_2.chars().collect();
        l2[9] = '7'; // document number check
        l2[27] = '0'; // expiry check
        let l2: String = l2.into_iter().collect();
        let errs = parse(ICAO_1, &l2).unwrap_err();
        let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["document_number", "expiry_date", "composite"]);
    }

    #[test]
    fn wrong_lengths_and_characters_are_refused() {
        let errs = parse("P<POL", "abc").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().all(|e| e.code == "mrz.line_length"));
        let lower = ICAO_2.to_lowercase();
        assert_eq!(parse(ICAO_1, &lower).unwrap_err()[0].code, "mrz.characters");
    }

    #[test]
    fn generates_a_polish_passport() {
        let rec = MrzRecord {
            document_type: '<',
            issuing_state: "POL".into(),
            surname: "Żółkiewska-Łęcka".into(),
            given_names: "Zofia Małgorzata".into(),
            document_number: "EA1234567".into(),
            nationality: "POL".into(),
            birth_date: date(1985, 2, 28),
            sex: Some(Sex::Female),
            expiry_date: date(2036, 11, 21),
            optional_data: String::new(),
        };
        let td3 = generate(&rec).unwrap();
        assert_eq!(td3.line1, "P<POLZOLKIEWSKA<LECKA<<ZOFIA<MALGORZATA<<<<<");
        assert_eq!(td3.line1.len(), 44);
        assert_eq!(td3.line2.len(), 44);
        let back = parse(&td3.line1, &td3.line2).unwrap();
        assert_eq!(back.document_number, "EA1234567");
        assert_eq!(back.surname, "ZOLKIEWSKA LECKA");
    }

    #[test]
    fn long_names_are_truncated_given_names_first() {
        let f = name_field("KOWALSKA", "ANNA<MARIA<JOANNA<KATARZYNA<ELZBIETA");
        assert_eq!(f.len(), 39);
        assert!(f.starts_with("KOWALSKA<<ANNA<MARIA"));
    }

    #[test]
    fn generation_reports_every_bad_field() {
        let rec = MrzRecord {
            document_type: '<',
            issuing_state: "PL".into(),
            surname: "Иванов".into(),
            given_names: "Jan".into(),
            document_number: "EA12345678".into(),
            nationality: "POL".into(),
            birth_date: date(1985, 2, 28),
            sex: None,
            expiry_date: date(2036, 11, 21),
            optional_data: String::new(),
        };
        let errs = generate(&rec).unwrap_err();
        let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["issuing_state", "surname", "document_number"]);
    }

    /// Short enough that surname and given name fit the 39-character field
    /// together (truncation is tested separately).
    fn polish_surname() -> impl Strategy<Value = String> {
        "[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]{1,10}(-[A-ZŁŻ][a-zł]{1,5})?"
    }

    fn polish_given_name() -> impl Strategy<Value = String> {
        "[A-ZĄĆĘŁŃÓŚŹŻ][a-ząćęłńóśźż]{1,10}"
    }

    proptest! {
        #[test]
        fn round_trips(
            surname in polish_surname(),
            given in polish_given_name(),
            number in "[A-Z]{2}[0-9]{7}",
            birth_days in 0i64..(99 * 365),
            valid_days in 1i64..(10 * 365),
            sex in prop_oneof![Just(Some(Sex::Female)), Just(Some(Sex::Male)), Just(None)],
            optional in "[0-9]{0,11}",
        ) {
            let today = date(2026, 11, 22);
            let birth = today - chrono::Duration::days(birth_days);
            let expiry = today + chrono::Duration::days(valid_days);
            let rec = MrzRecord {
                document_type: '<',
                issuing_state: "POL".into(),
                surname: surname.clone(),
                given_names: given.clone(),
                document_number: number.clone(),
                nationality: "POL".into(),
                birth_date: birth,
                sex,
                expiry_date: expiry,
                optional_data: optional.clone(),
            };
            let td3 = generate(&rec).unwrap();
            let p = parse(&td3.line1, &td3.line2).unwrap();
            prop_assert_eq!(p.document_number, number);
            prop_assert_eq!(p.birth_date.birth_date(today), Some(birth));
            prop_assert_eq!(p.expiry_date.expiry_date(), Some(expiry));
            prop_assert_eq!(p.sex, sex);
            prop_assert_eq!(p.optional_data, optional);
            prop_assert_eq!(p.surname, names::transliterate(&surname).unwrap().replace('<', " "));
            prop_assert_eq!(p.given_names, names::transliterate(&given).unwrap().replace('<', " "));
        }

        #[test]
        fn any_changed_character_in_line2_is_caught(pos in 0usize..44, c in "[A-Z0-9<]") {
            let c = c.chars().next().unwrap();
            let mut l2: Vec<char> = ICAO_2.chars().collect();
            // A check digit only sees a character's value modulo 10, so `0`, `<`,
            // `A` and `K` are alike to it: ICAO's scheme cannot catch those swaps.
            let value = |c: char| check_digit(&c.to_string());
            prop_assume!(value(l2[pos]) != value(c));
            // The nationality and the sex are not under any check digit.
            prop_assume!(!(10..13).contains(&pos) && pos != 20);
            l2[pos] = c;
            let l2: String = l2.into_iter().collect();
            prop_assert!(parse(ICAO_1, &l2).is_err());
        }

        #[test]
        fn never_panics(a in "\\PC{0,50}", b in "\\PC{0,50}") {
            let _ = parse(&a, &b);
        }
    }
}
