//! Free text from outside: what may be stored, and how it is shown on a terminal.
//!
//! Text typed at the counter, read from an application file or from a card
//! reaches the register, printouts and other clerks' screens. Characters
//! nobody can see there make two different values look the same (a
//! zero-width space inside a street, a bidi override that shows `gpj.exe` as
//! `exe.jpg`), and control characters break lines and drive terminals (ESC
//! sequences). So every free-text field refuses them with one rule,
//! [`check_free_text`], and anything echoed to a terminal goes through
//! [`terminal_safe`].

use crate::error::FieldError;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The stable code of the error [`check_free_text`] returns.
pub const INVISIBLE_CODE: &str = "text.invisible_characters";

/// Unicode format characters (general category Cf) and the line and
/// paragraph separators (Zl, Zp), as of Unicode 16. The standard library
/// knows only Cc (`char::is_control`); the Cf list is short and changes
/// rarely, so it is kept here rather than pulling in a table crate.
const FORMAT: [(u32, u32); 21] = [
    (0x00AD, 0x00AD),   // soft hyphen
    (0x0600, 0x0605),   // Arabic number signs
    (0x061C, 0x061C),   // Arabic letter mark
    (0x06DD, 0x06DD),   // Arabic end of ayah
    (0x070F, 0x070F),   // Syriac abbreviation mark
    (0x0890, 0x0891),   // Arabic pound and piastre marks above
    (0x08E2, 0x08E2),   // Arabic disputed end of ayah
    (0x180E, 0x180E),   // Mongolian vowel separator
    (0x200B, 0x200F),   // zero-width space, (non-)joiners, LRM, RLM
    (0x2028, 0x202E),   // line/paragraph separators, bidi embeddings and overrides
    (0x2060, 0x2064),   // word joiner, invisible operators
    (0x2066, 0x206F),   // bidi isolates, deprecated format characters
    (0xFEFF, 0xFEFF),   // zero-width no-break space (BOM)
    (0xFFF9, 0xFFFB),   // interlinear annotation
    (0x110BD, 0x110BD), // Kaithi number sign
    (0x110CD, 0x110CD), // Kaithi number sign above
    (0x13430, 0x1343F), // Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3), // shorthand format controls
    (0x1D173, 0x1D17A), // musical symbol format controls
    (0xE0001, 0xE0001), // language tag
    (0xE0020, 0xE007F), // tag characters
];

/// Characters of other categories that show as blank or nothing, or stand
/// for nothing a person typed: fillers, blank patterns, variation
/// selectors, private-use areas and noncharacters.
const BLANK_OR_PRIVATE: [(u32, u32); 12] = [
    (0x115F, 0x1160),    // Hangul choseong and jungseong fillers
    (0x2800, 0x2800),    // Braille pattern blank
    (0x3164, 0x3164),    // Hangul filler
    (0xFFA0, 0xFFA0),    // halfwidth Hangul filler
    (0xFE00, 0xFE0F),    // variation selectors
    (0xE0100, 0xE01EF),  // variation selectors supplement
    (0xE000, 0xF8FF),    // private use area
    (0xF0000, 0x10FFFF), // supplementary private use areas A and B
    (0xFDD0, 0xFDEF),    // noncharacters
    (0xFFFE, 0xFFFF),    // noncharacters
    (0x1FFFE, 0x1FFFF),  // noncharacters (each plane's last two are checked below too)
    (0x034F, 0x034F),    // combining grapheme joiner
];

/// Whether `c` is a control (Cc: C0, DEL, C1 — newlines and ESC included), a
/// format character (Cf: bidi overrides and isolates, zero-width characters,
/// soft hyphen, BOM…), a line or paragraph separator, or a blank, private or
/// non-character (fillers, Braille blank, variation selectors, private use).
pub fn is_invisible(c: char) -> bool {
    let u = u32::from(c);
    c.is_control()
        || FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&u))
        || BLANK_OR_PRIVATE
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&u))
        // U+xFFFE and U+xFFFF in every plane are noncharacters.
        || u & 0xFFFE == 0xFFFE
}

/// Refuses `value` at `path` if it holds any [`is_invisible`] character.
///
/// The one rule for every free-text field: names, places, address, e-mail,
/// references, reasons, the identity document shown at a hand-over.
pub fn check_free_text(value: &str, path: &str) -> Result<(), FieldError> {
    if value.chars().any(is_invisible) {
        Err(FieldError::new(
            path,
            INVISIBLE_CODE,
            "Pole zawiera niewidoczne lub sterujące znaki — wpisz tekst ponownie.",
            "The field contains invisible or control characters — type the text again.",
        ))
    } else {
        Ok(())
    }
}

/// `value` with every [`is_invisible`] character written out as `\u{…}`, so
/// that outside text printed on a terminal can neither move the cursor, nor
/// change colours, nor hide or reorder what follows. Backslashes are left as
/// they are: the escape is for a person reading, not for parsing back.
pub fn terminal_safe(value: &str) -> Cow<'_, str> {
    if !value.chars().any(is_invisible) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if is_invisible(c) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod blank_tests {
    use super::*;

    #[test]
    fn blank_fillers_private_use_and_noncharacters_are_refused() {
        for c in [
            '\u{3164}',
            '\u{2800}',
            '\u{FE0F}',
            '\u{E000}',
            '\u{3FFFE}',
            '\u{FFFF}',
            '\u{115F}',
            '\u{FFA0}',
            '\u{E0100}',
            '\u{10FFFD}',
        ] {
            let v = format!("Piotrkowska{c}");
            assert!(
                check_free_text(&v, "street").is_err(),
                "{:04X}",
                u32::from(c)
            );
        }
        for ok in ["Świętokrzyska 12A", "Żółć-Gęślą", "O'Brien", "Zoë"] {
            assert!(check_free_text(ok, "street").is_ok(), "{ok}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_controls_format_characters_and_separators() {
        for bad in [
            "Mar\u{202E}szałkowska",
            "Mar\u{2066}szałkowska\u{2069}",
            "12\u{200B}",
            "jan\u{FEFF}@example.pl",
            "Kowal\u{AD}ski",
            "a\nb",
            "a\rb",
            "\u{1b}[31mred",
            "\u{7f}",
            "\u{85}",
            "line\u{2028}break",
            "tag\u{E0041}",
        ] {
            let e = check_free_text(bad, "applicant.address.street").unwrap_err();
            assert_eq!(e.code, INVISIBLE_CODE, "{bad:?}");
            assert_eq!(e.path, "applicant.address.street");
        }
    }

    #[test]
    fn accepts_ordinary_text() {
        for good in [
            "",
            "Żółkiewska-Łęcka",
            "ul. Piotrkowska 12/3",
            "O’Neill",
            "zofia@example.pl",
            "Leczenie za granicą, skierowanie szpitala nr 12/2025",
            "Ελληνικά — 日本語",
        ] {
            assert!(check_free_text(good, "x").is_ok(), "{good:?}");
        }
    }

    #[test]
    fn terminal_escaping_is_visible_and_idempotent_on_clean_text() {
        assert_eq!(terminal_safe("\u{1b}[2J12345"), "\\u{1b}[2J12345");
        assert_eq!(terminal_safe("a\u{202e}b\nc"), "a\\u{202e}b\\u{a}c");
        assert!(matches!(terminal_safe("Łódź"), Cow::Borrowed("Łódź")));
    }
}
