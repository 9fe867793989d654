//! Who may collect a ready passport: the holder in person when an adult,
//! a parent or legal guardian named on the application when a minor, and a
//! legal guardian of an adult under full guardianship with the court
//! ruling's reference. The counter (before it journals a hand-over) and
//! the register simulator (before it records one) apply this same rule.

use crate::application::{Guardian, GuardianRole};
use crate::error::FieldError;
use crate::pesel::Pesel;

/// The longest court ruling reference accepted (a case reference is
/// usually 12–20 characters).
pub const MAX_COURT_RULING_CHARS: usize = 40;

/// Who collects, as far as the rule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectorRole {
    Holder,
    Parent,
    LegalGuardian,
}

/// The field paths errors are reported at (the counter's form and the
/// register's request name them differently).
#[derive(Debug, Clone, Copy)]
pub struct CollectorPaths<'a> {
    pub role: &'a str,
    pub pesel: &'a str,
    pub court_ruling: &'a str,
}

/// What is known about the hand-over when the rule is applied.
#[derive(Debug, Clone, Copy)]
pub struct Collection<'a> {
    /// Under 18 today.
    pub holder_minor: bool,
    pub holder_pesel: &'a str,
    /// The parents and guardians named on the application, when the
    /// application is known here (`None`: taken elsewhere, not checked).
    pub guardians: Option<&'a [Guardian]>,
    pub role: CollectorRole,
    /// The collector's PESEL, when a valid one was given.
    pub collector_pesel: Option<&'a Pesel>,
    /// The court ruling's reference as given (checked with
    /// [`court_ruling`] separately).
    pub court_ruling: Option<&'a str>,
}

/// A court ruling's reference (sygnatura akt), e.g. `III RNs 123/24`: the
/// division in Roman numerals, one or two repertory symbols (`RNs`, `Ns`,
/// `Nsm`, `C`), the case number and the year (two or four digits). Spaces
/// are normalised; anything else is refused at `path`.
pub fn court_ruling(text: &str, path: &str) -> Result<String, FieldError> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let normalised = tokens.join(" ");
    let division = |t: &str| (1..=6).contains(&t.len()) && t.bytes().all(|b| b"IVXLC".contains(&b));
    let repertory = |t: &str| {
        (1..=5).contains(&t.len())
            && t.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
            && t.bytes().all(|b| b.is_ascii_alphabetic())
    };
    let number_year = |t: &str| {
        t.split_once('/').is_some_and(|(n, y)| {
            (1..=6).contains(&n.len())
                && n.bytes().all(|b| b.is_ascii_digit())
                && matches!(y.len(), 2 | 4)
                && y.bytes().all(|b| b.is_ascii_digit())
        })
    };
    let shaped = match tokens.as_slice() {
        [d, r, n] => division(d) && repertory(r) && number_year(n),
        [d, r1, r2, n] => division(d) && repertory(r1) && repertory(r2) && number_year(n),
        _ => false,
    };
    if normalised.is_empty() {
        Err(FieldError::new(
            path,
            "court_ruling.required",
            "Wpisz sygnaturę akt postanowienia sądu o ustanowieniu opiekuna (np. III RNs 123/24).",
            "Enter the case reference of the court ruling appointing the guardian (e.g. III RNs 123/24).",
        ))
    } else if !shaped || normalised.chars().count() > MAX_COURT_RULING_CHARS {
        Err(FieldError::new(
            path,
            "court_ruling.format",
            "Sygnatura akt to: wydział cyframi rzymskimi, symbol repertorium, numer/rok — np. III RNs 123/24. Przepisz ją z postanowienia.",
            "A case reference is: the division in Roman numerals, the repertory symbol, number/year — e.g. III RNs 123/24. Copy it from the ruling.",
        ))
    } else {
        Ok(normalised)
    }
}

/// The kinds of identity document a collector may show, as the hand-over
/// screen offers them and the journal's text names them: the words that
/// open `identity_check` ("dowód osobisty ABC523456").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    /// Polish ID card: 3 letters, 6 digits, the first digit a check digit.
    IdCard,
    /// Polish passport: 2 letters, 7 digits.
    Passport,
    /// Residence card: 2 letters, 7 digits.
    ResidenceCard,
}

impl IdentityKind {
    pub const ALL: [IdentityKind; 3] = [Self::IdCard, Self::Passport, Self::ResidenceCard];

    /// The Polish words the journal's text starts with.
    pub fn words(self) -> &'static str {
        match self {
            Self::IdCard => "dowód osobisty",
            Self::Passport => "paszport",
            Self::ResidenceCard => "karta pobytu",
        }
    }

    fn shaped(self, number: &str) -> bool {
        let b = number.as_bytes();
        let (letters, digits) = match self {
            Self::IdCard => (3, 6),
            Self::Passport | Self::ResidenceCard => (2, 7),
        };
        b.len() == letters + digits
            && b[..letters].iter().all(u8::is_ascii_uppercase)
            && b[letters..].iter().all(u8::is_ascii_digit)
            && (self != Self::IdCard || id_card_check_digit_ok(b))
    }
}

/// The ID card's check digit (the 4th character): weights 7 3 1 9 7 3 1 7
/// 3, letters A = 10 … Z = 35, the sum divisible by 10.
fn id_card_check_digit_ok(b: &[u8]) -> bool {
    const W: [u32; 9] = [7, 3, 1, 9, 7, 3, 1, 7, 3];
    let sum: u32 = b
        .iter()
        .zip(W)
        .map(|(&c, w)| {
            let v = if c.is_ascii_digit() {
                u32::from(c - b'0')
            } else {
                u32::from(c - b'A') + 10
            };
            v * w
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The identity document shown at a hand-over, as the journal records it:
/// its kind's words and the number ("dowód osobisty ABC523456"), the
/// number's format checked for the kind (the ID card's check digit too).
/// Returns the normalised text; refused at `path` with what to do.
pub fn identity_document(text: &str, path: &str) -> Result<String, FieldError> {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = t.to_lowercase();
    let Some(kind) = IdentityKind::ALL
        .into_iter()
        .find(|k| lower.starts_with(&format!("{} ", k.words())) || lower == k.words())
    else {
        return Err(FieldError::new(
            path,
            "identity_document.kind",
            "Wybierz rodzaj okazanego dokumentu (dowód osobisty, paszport, karta pobytu) i wpisz jego numer.",
            "Choose the kind of document shown (ID card, passport, residence card) and enter its number.",
        ));
    };
    let number: String = t
        .chars()
        .skip(kind.words().chars().count())
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if number.is_empty() {
        return Err(FieldError::new(
            path,
            "identity_document.required",
            "Wpisz numer okazanego dokumentu.",
            "Enter the number of the document shown.",
        ));
    }
    if !kind.shaped(&number) {
        return Err(match kind {
            IdentityKind::IdCard => FieldError::new(
                path,
                "identity_document.id_card",
                "Numer dowodu osobistego to 3 litery i 6 cyfr, np. ABC523456 (pierwsza cyfra jest kontrolna): porównaj go z dowodem.",
                "An ID card number is 3 letters and 6 digits, e.g. ABC523456 (the first digit is a check digit): compare it with the card.",
            ),
            IdentityKind::Passport => FieldError::new(
                path,
                "identity_document.passport",
                "Numer paszportu to 2 litery i 7 cyfr, np. EA1234567: porównaj go z paszportem.",
                "A passport number is 2 letters and 7 digits, e.g. EA1234567: compare it with the passport.",
            ),
            IdentityKind::ResidenceCard => FieldError::new(
                path,
                "identity_document.residence_card",
                "Numer karty pobytu to 2 litery i 7 cyfr, np. RP1234567: porównaj go z kartą.",
                "A residence card number is 2 letters and 7 digits, e.g. RP1234567: compare it with the card.",
            ),
        });
    }
    Ok(format!("{} {number}", kind.words()))
}

fn role_words(role: GuardianRole) -> (&'static str, &'static str) {
    match role {
        GuardianRole::Mother => ("matka", "mother"),
        GuardianRole::Father => ("ojciec", "father"),
        GuardianRole::LegalGuardian => ("opiekun prawny", "legal guardian"),
    }
}

/// Every way this collection breaks the rule (empty: allowed). The
/// collector's own fields (a valid PESEL, names) are checked by the caller.
pub fn check(c: &Collection<'_>, paths: CollectorPaths<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let is_holder = c
        .collector_pesel
        .is_some_and(|p| p.to_string() == c.holder_pesel);
    match (c.holder_minor, c.role) {
        (true, CollectorRole::Holder) => errors.push(FieldError::new(
            paths.role,
            "collector.minor",
            "Paszport osoby małoletniej odbiera rodzic lub opiekun prawny.",
            "A minor's passport is collected by a parent or legal guardian.",
        )),
        (false, CollectorRole::Holder) => {}
        (false, CollectorRole::Parent) => errors.push(FieldError::new(
            paths.role,
            "collector.adult_in_person",
            "Paszport osoby pełnoletniej odbiera posiadacz osobiście — rodzic nie może go odebrać. Wyjątek: opiekun prawny osoby całkowicie ubezwłasnowolnionej, z postanowieniem sądu.",
            "An adult's passport is collected by the holder in person — a parent cannot collect it. The exception: the legal guardian of a person under full guardianship, with the court ruling.",
        )),
        (false, CollectorRole::LegalGuardian) => {
            if c.court_ruling.is_none_or(|r| r.trim().is_empty()) {
                errors.push(FieldError::new(
                    paths.court_ruling,
                    "court_ruling.required",
                    "Paszport osoby pełnoletniej opiekun prawny odbiera tylko na podstawie postanowienia sądu o całkowitym ubezwłasnowolnieniu i ustanowieniu opiekuna: wpisz sygnaturę akt (np. III RNs 123/24).",
                    "A legal guardian collects an adult's passport only on a court ruling of full guardianship: enter its case reference (e.g. III RNs 123/24).",
                ));
            }
        }
        (true, role @ (CollectorRole::Parent | CollectorRole::LegalGuardian)) => {
            if let (Some(guardians), Some(pesel)) = (c.guardians, c.collector_pesel) {
                match guardians.iter().find(|g| g.pesel == *pesel) {
                    None => errors.push(FieldError::new(
                        paths.pesel,
                        "collector.not_on_application",
                        "Tej osoby nie ma wśród rodziców i opiekunów wskazanych we wniosku. Paszport małoletniego wydaj tylko osobie z wniosku; porównaj numer PESEL z okazanym dokumentem.",
                        "This person is not among the parents and guardians named on the application. Hand a minor's passport only to a person named there; compare the PESEL with the document shown.",
                    )),
                    Some(g) => {
                        let parent = matches!(g.role, GuardianRole::Mother | GuardianRole::Father);
                        if parent != (role == CollectorRole::Parent) {
                            let (pl, en) = role_words(g.role);
                            errors.push(FieldError::new(
                                paths.role,
                                "collector.role_differs",
                                format!("We wniosku ta osoba figuruje jako {pl}: wybierz ją z listy odbierających."),
                                format!("The application names this person as {en}: choose them from the list of collectors."),
                            ));
                        }
                    }
                }
            }
        }
    }
    if is_holder && c.role != CollectorRole::Holder {
        errors.push(FieldError::new(
            paths.pesel,
            "collector.is_holder",
            "To numer PESEL posiadacza paszportu, a nie osoby odbierającej w jego imieniu.",
            "This is the holder's own PESEL, not that of a person collecting for them.",
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PATHS: CollectorPaths<'static> = CollectorPaths {
        role: "collector.kind",
        pesel: "collector.pesel",
        court_ruling: "collector.court_ruling",
    };

    fn guardian(role: GuardianRole, pesel: &str) -> Guardian {
        Guardian {
            role,
            pesel: Pesel::parse(pesel).unwrap(),
            surname: "Nowak".into(),
            given_names: "Anna".into(),
        }
    }

    fn codes(c: &Collection<'_>) -> Vec<String> {
        check(c, PATHS).into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn identity_documents_are_typed_and_checked() {
        assert_eq!(
            identity_document(" dowód  osobisty abc523456 ", "p").unwrap(),
            "dowód osobisty ABC523456"
        );
        assert_eq!(
            identity_document("paszport EA1234567", "p").unwrap(),
            "paszport EA1234567"
        );
        assert_eq!(
            identity_document("karta pobytu RP1234567", "p").unwrap(),
            "karta pobytu RP1234567"
        );
        let code = |t: &str| identity_document(t, "p").unwrap_err().code;
        // No kind: the tester's "ABC123456".
        assert_eq!(code("ABC523456"), "identity_document.kind");
        assert_eq!(code("dowód osobisty"), "identity_document.required");
        // The check digit (ABC1… is wrong; ABC5… is right).
        assert_eq!(
            code("dowód osobisty ABC123456"),
            "identity_document.id_card"
        );
        assert_eq!(
            code("dowód osobisty AB1234567"),
            "identity_document.id_card"
        );
        assert_eq!(code("paszport EA123456"), "identity_document.passport");
        assert_eq!(
            code("karta pobytu RPX123456"),
            "identity_document.residence_card"
        );
        let e = identity_document("ABC", "identity_document").unwrap_err();
        assert_eq!(e.path, "identity_document");
        assert!(e.message.pl.contains("rodzaj") && e.message.en.contains("kind"));
    }

    #[test]
    fn court_rulings_are_case_references() {
        assert_eq!(
            court_ruling(" III  RNs 123/24 ", "p").unwrap(),
            "III RNs 123/24"
        );
        assert_eq!(
            court_ruling("I Ns 4567/2023", "p").unwrap(),
            "I Ns 4567/2023"
        );
        assert_eq!(
            court_ruling("XII C Nsm 1/25", "p").unwrap(),
            "XII C Nsm 1/25"
        );
        for bad in [
            "123/24",
            "III RNs",
            "III RNs 123",
            "3 RNs 123/24",
            "III RNs 12/3",
            "III rns 1/24",
            "III RNs 1/24 x",
        ] {
            assert_eq!(
                court_ruling(bad, "p").unwrap_err().code,
                "court_ruling.format",
                "{bad}"
            );
        }
        assert_eq!(
            court_ruling("  ", "p").unwrap_err().code,
            "court_ruling.required"
        );
    }

    #[test]
    fn an_adult_collects_in_person_or_through_a_guardian_with_a_ruling() {
        let other = Pesel::parse("80010112340").unwrap();
        let base = Collection {
            holder_minor: false,
            holder_pesel: "90010112349",
            guardians: Some(&[]),
            role: CollectorRole::Holder,
            collector_pesel: None,
            court_ruling: None,
        };
        assert!(codes(&base).is_empty());
        let parent = Collection {
            role: CollectorRole::Parent,
            collector_pesel: Some(&other),
            ..base
        };
        assert_eq!(codes(&parent), ["collector.adult_in_person"]);
        let guardian = Collection {
            role: CollectorRole::LegalGuardian,
            collector_pesel: Some(&other),
            ..base
        };
        assert_eq!(codes(&guardian), ["court_ruling.required"]);
        let with_ruling = Collection {
            court_ruling: Some("III RNs 123/24"),
            ..guardian
        };
        assert!(codes(&with_ruling).is_empty());
    }

    #[test]
    fn a_minors_passport_goes_to_a_person_on_the_application() {
        let mother = guardian(GuardianRole::Mother, "80010112340");
        let guardians = [mother.clone()];
        let stranger = Pesel::parse("75010112346").unwrap();
        let base = Collection {
            holder_minor: true,
            holder_pesel: "15210112348",
            guardians: Some(&guardians),
            role: CollectorRole::Parent,
            collector_pesel: Some(&mother.pesel),
            court_ruling: None,
        };
        assert!(codes(&base).is_empty());
        assert_eq!(
            codes(&Collection {
                role: CollectorRole::Holder,
                collector_pesel: None,
                ..base
            }),
            ["collector.minor"]
        );
        assert_eq!(
            codes(&Collection {
                collector_pesel: Some(&stranger),
                ..base
            }),
            ["collector.not_on_application"]
        );
        assert_eq!(
            codes(&Collection {
                role: CollectorRole::LegalGuardian,
                ..base
            }),
            ["collector.role_differs"]
        );
        // Taken elsewhere: the guardians are not known here.
        assert!(
            codes(&Collection {
                guardians: None,
                collector_pesel: Some(&stranger),
                ..base
            })
            .is_empty()
        );
    }
}
