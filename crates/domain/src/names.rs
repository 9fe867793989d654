//! Personal names: what a clerk may type, and how a name is written in the MRZ.
//!
//! Names are Latin-script words, possibly with Polish or other diacritics,
//! joined by single spaces, hyphens (`Nowak-Kowalska`) or apostrophes
//! (`O'Neill`, `D’Arcy`). Digits, control characters and other punctuation
//! are refused. Every accepted name transliterates to `A`–`Z` and `<` under
//! ICAO 9303 Part 3, so anything the counter accepts can be printed in the MRZ.

use crate::error::FieldError;
use crate::text;
use unicode_normalization::UnicodeNormalization;

/// Length limits, in characters.
pub const SURNAME_MAX: usize = 60;
pub const GIVEN_NAMES_MAX: usize = 60;
pub const PLACE_MAX: usize = 80;

/// Which field a name fills: it decides the length limit and the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Surname,
    GivenNames,
    Place,
}

impl NameKind {
    fn max(self) -> usize {
        match self {
            NameKind::Surname => SURNAME_MAX,
            NameKind::GivenNames => GIVEN_NAMES_MAX,
            NameKind::Place => PLACE_MAX,
        }
    }

    fn what(self) -> (&'static str, &'static str) {
        match self {
            NameKind::Surname => ("Nazwisko", "Surname"),
            NameKind::GivenNames => ("Imiona", "Given names"),
            NameKind::Place => ("Miejsce", "Place"),
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_separator(c: char) -> bool {
    c == ' ' || c == '-' || is_apostrophe(c)
}

/// Trims and collapses runs of spaces: what is stored for a name.
pub fn normalize(input: &str) -> String {
    input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// Checks a name as typed. Returns every problem found, each at `path`.
pub fn validate(input: &str, kind: NameKind, path: &str) -> Vec<FieldError> {
    validate_as(input, kind, path, kind.what())
}

/// [`validate`], with the messages naming the field as the form labels it
/// (`("Miejsce urodzenia", "Place of birth")`), not only by its kind.
pub fn validate_as(
    input: &str,
    kind: NameKind,
    path: &str,
    (what_pl, what_en): (&str, &str),
) -> Vec<FieldError> {
    let name = normalize(input);
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new(
            path,
            "name.required",
            format!("{what_pl}: pole jest wymagane."),
            format!("{what_en} is required."),
        ));
        return errors;
    }
    let len = name.chars().count();
    if len > kind.max() {
        errors.push(FieldError::new(
            path,
            "name.too_long",
            format!("{what_pl}: najwyżej {} znaków (wpisano {len}).", kind.max()),
            format!("{what_en}: at most {} characters (got {len}).", kind.max()),
        ));
    }
    if name.chars().any(|c| c.is_ascii_digit() || c.is_numeric()) {
        errors.push(FieldError::new(
            path,
            "name.digits",
            format!("{what_pl} nie może zawierać cyfr."),
            format!("{what_en} must not contain digits."),
        ));
    }
    // The shared free-text rule, so a name and a street refuse the same
    // characters with the same message.
    if let Err(e) = text::check_free_text(input, path) {
        errors.push(e);
    }
    // Invisible characters are reported above; listing them here would
    // print them.
    let bad: Vec<char> = name
        .chars()
        .filter(|&c| !(c.is_alphabetic() || c.is_numeric() || is_separator(c)))
        .filter(|&c| !text::is_invisible(c))
        .collect();
    if !bad.is_empty() {
        let list: String = bad.iter().map(|c| format!("„{c}” ")).collect();
        errors.push(FieldError::new(
            path,
            "name.characters",
            format!(
                "{what_pl} może zawierać tylko litery, spację, łącznik i apostrof (niedozwolone: {}).",
                list.trim_end()
            ),
            format!(
                "{what_en} may contain only letters, spaces, hyphens and apostrophes (not allowed: {}).",
                list.trim_end()
            ),
        ));
    }
    let chars: Vec<char> = name.chars().collect();
    let starts_or_ends_badly = chars.first().is_some_and(|&c| is_separator(c))
        || chars.last().is_some_and(|&c| is_separator(c));
    let doubled = chars
        .windows(2)
        .any(|w| is_separator(w[0]) && is_separator(w[1]));
    if starts_or_ends_badly || doubled {
        errors.push(FieldError::new(
            path,
            "name.separators",
            format!("{what_pl}: łącznik lub apostrof musi stać między literami."),
            format!("{what_en}: a hyphen or apostrophe must stand between letters."),
        ));
    }
    if errors.is_empty()
        && kind != NameKind::Place
        && let Err(c) = transliterate(&name)
    {
        errors.push(FieldError::new(
                path,
                "name.script",
                format!(
                    "{what_pl}: litera „{c}” nie ma zapisu w strefie MRZ; wpisz imię i nazwisko alfabetem łacińskim."
                ),
                format!(
                    "{what_en}: the letter “{c}” cannot be written in the MRZ; use the Latin alphabet."
                ),
            ));
    }
    errors
}

/// Transliterates a name to the MRZ alphabet (ICAO 9303 Part 3): upper-case
/// `A`–`Z`, with spaces and hyphens as `<` and apostrophes dropped.
/// Returns the first letter that has no transliteration.
pub fn transliterate(name: &str) -> Result<String, char> {
    let mut out = String::with_capacity(name.len());
    for c in normalize(name).chars() {
        if c == ' ' || c == '-' {
            out.push('<');
            continue;
        }
        if is_apostrophe(c) {
            continue;
        }
        if let Some(s) = special(c) {
            out.push_str(s);
            continue;
        }
        let mut pushed = false;
        for d in c.to_uppercase().nfd() {
            if d.is_ascii_uppercase() {
                out.push(d);
                pushed = true;
            } else if is_combining_mark(d) {
                continue;
            } else {
                return Err(c);
            }
        }
        if !pushed {
            return Err(c);
        }
    }
    Ok(out)
}

/// The key a surname is searched by: transliterated, with separators as
/// spaces, so `kowal`, `KOWAL` and `Kowal` find `Kowalska-Łęcka`, and `lecka`
/// finds `Łęcka`. Letters with no transliteration are kept upper-cased.
pub fn search_key(name: &str) -> String {
    normalize(name)
        .chars()
        .map(|c| match transliterate(&c.to_string()) {
            Ok(t) if t.is_empty() => String::new(),
            Ok(t) => t.replace('<', " "),
            Err(_) => c.to_uppercase().collect(),
        })
        .collect()
}

/// Letters ICAO transliterates to something other than their base letter,
/// and letters with no Unicode decomposition (Ł, Ø, Đ …).
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'Ł' | 'ł' => "L",
        'Ä' | 'ä' | 'Æ' | 'æ' => "AE",
        'Ö' | 'ö' | 'Ø' | 'ø' | 'Œ' | 'œ' => "OE",
        'Ü' | 'ü' => "UE",
        'Å' | 'å' => "AA",
        'ß' => "SS",
        'Þ' | 'þ' => "TH",
        'Ð' | 'ð' | 'Đ' | 'đ' => "D",
        'Ħ' | 'ħ' => "H",
        'ı' => "I",
        'Ŋ' | 'ŋ' => "N",
        'Ŧ' | 'ŧ' => "T",
        _ => return None,
    })
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(input: &str, kind: NameKind) -> Vec<String> {
        validate(input, kind, "x")
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn polish_and_compound_names_are_accepted() {
        for ok in [
            "Żółć",
            "Łukasz Wojciech",
            "Nowak-Kowalska",
            "O'Neill",
            "D’Arcy",
            "Gęślą Jaźń",
            "Müller",
        ] {
            assert!(validate(ok, NameKind::Surname, "x").is_empty(), "{ok}");
        }
    }

    #[test]
    fn bad_names_say_why() {
        assert_eq!(codes("", NameKind::Surname), ["name.required"]);
        assert_eq!(codes("   ", NameKind::GivenNames), ["name.required"]);
        assert_eq!(codes("Kowal5ki", NameKind::Surname), ["name.digits"]);
        assert_eq!(
            codes("Kowal\u{7}ski", NameKind::Surname),
            ["text.invisible_characters"]
        );
        // A zero-width space or a bidi override is not "a character not
        // allowed" to be listed back: it is invisible, and said so.
        assert_eq!(
            codes("Kowal\u{200B}ski", NameKind::Surname),
            ["text.invisible_characters"]
        );
        assert_eq!(
            codes("\u{202E}ikslawoK", NameKind::Surname),
            ["text.invisible_characters"]
        );
        assert_eq!(codes("Kowalski!", NameKind::Surname), ["name.characters"]);
        assert_eq!(codes("-Kowalski", NameKind::Surname), ["name.separators"]);
        assert_eq!(
            codes("Nowak--Kowalska", NameKind::Surname),
            ["name.separators"]
        );
        assert_eq!(codes(&"a".repeat(61), NameKind::Surname), ["name.too_long"]);
        assert_eq!(codes("Иванов", NameKind::Surname), ["name.script"]);
    }

    #[test]
    fn transliteration_follows_icao() {
        assert_eq!(transliterate("Żółć-Łęska").unwrap(), "ZOLC<LESKA");
        assert_eq!(transliterate("Ąę Śń Ź").unwrap(), "AE<SN<Z");
        assert_eq!(transliterate("O'Neill").unwrap(), "ONEILL");
        assert_eq!(transliterate("Müller").unwrap(), "MUELLER");
        assert_eq!(transliterate("Иван"), Err('И'));
    }

    #[test]
    fn search_keys_fold_case_and_diacritics() {
        assert_eq!(search_key("Kowalska-Łęcka"), "KOWALSKA LECKA");
        assert_eq!(search_key(" żółć "), "ZOLC");
        assert_eq!(search_key("O'Neill"), "ONEILL");
    }

    #[test]
    fn normalize_collapses_spaces() {
        assert_eq!(normalize("  Jan   Maria "), "Jan Maria");
    }
}
