//! A passport application as typed at the counter, and its validation.
//!
//! [`ApplicationDraft`] holds what the clerk (or a JSON file given to
//! `counterctl`) supplied, as text, so that a bad date or an unknown kind is a
//! field error rather than a parse failure hiding the other errors.
//! [`ApplicationDraft::validate`] checks everything at once and returns either
//! every error or a [`ValidApplication`] with strong types, the fee and the
//! document's validity.

use crate::biometrics::{Biometrics, BiometricsDraft, BiometricsRequirement};
use crate::error::{FieldError, ValidationErrors};
use crate::fees::{Fee, FeeInput, FeeKind, FeeTable, ReductionClaim};
use crate::names::{self, NameKind};
use crate::pesel::{Pesel, Sex};
use crate::photo::{self, PhotoInfo, PhotoRules};
use crate::text;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Office settings the rules depend on. *Unverified* facts are settings.
#[derive(Debug, Clone)]
pub struct ApplicationRules {
    /// The application date.
    pub today: NaiveDate,
    pub fees: FeeTable,
    pub photo: PhotoRules,
    /// From this age the holder signs the passport (12 or 13 depending on
    /// the source: a setting).
    pub signature_age: u32,
    /// Fingerprints are taken from this age.
    pub fingerprint_age: u32,
    /// A child younger than this need not attend.
    pub attendance_age: u32,
    pub earliest_birth_year: i32,
}

impl ApplicationRules {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            fees: FeeTable::builtin(),
            photo: PhotoRules::default(),
            signature_age: 13,
            fingerprint_age: 12,
            attendance_age: 5,
            earliest_birth_year: 1900,
        }
    }
}

/// The kind of application as supplied (`passport`, `temporary`, `second`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicationDraft {
    #[serde(default)]
    pub kind: String,
    /// Temporary passport: the documented urgent reason.
    #[serde(default)]
    pub urgent_reason: Option<String>,
    /// Temporary passport: validity in days (at most 365; default 365).
    #[serde(default)]
    pub validity_days: Option<u32>,
    /// Second passport: the justification, and the passport already held.
    #[serde(default)]
    pub second_passport_justification: Option<String>,
    #[serde(default)]
    pub existing_passport: Option<String>,
    /// The passport held now, to be invalidated when the new one is collected.
    #[serde(default)]
    pub previous_passport: Option<String>,
    #[serde(default)]
    pub applicant: ApplicantDraft,
    /// Path of the photo file (JPEG or PNG), as given; the bytes are checked separately.
    #[serde(default)]
    pub photo: Option<String>,
    /// Whether the applicant is at the counter (a child under 5 need not be).
    #[serde(default = "yes")]
    pub applicant_present: bool,
    #[serde(default)]
    pub guardians: Vec<GuardianDraft>,
    #[serde(default)]
    pub consent: Option<ConsentDraft>,
    #[serde(default)]
    pub reduction: Option<String>,
    /// Large Family Card number, when the applicant holds one.
    #[serde(default)]
    pub large_family_card: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApplicantDraft {
    #[serde(default)]
    pub pesel: String,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub birth_place: String,
    /// `F` or `M`.
    #[serde(default)]
    pub sex: String,
    /// ISO 3166-1 alpha-3 (`POL`).
    #[serde(default)]
    pub citizenship: String,
    #[serde(default)]
    pub address: Option<Address>,
    #[serde(default)]
    pub contact: Option<Contact>,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Address {
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub flat: Option<String>,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    /// ISO 3166-1 alpha-3; `POL` when omitted.
    #[serde(default)]
    pub country: Option<String>,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Contact {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GuardianDraft {
    /// `mother`, `father` or `legal_guardian`.
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub pesel: String,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
}

/// Why one parent may apply alone for a minor.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConsentDraft {
    /// `other_parent_consent` (certified), `court_ruling`,
    /// `other_parent_deceased`, `father_unknown`.
    #[serde(default)]
    pub basis: String,
    /// The certified consent's, ruling's or death certificate's reference.
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApplicationKind {
    Passport,
    Temporary {
        urgent_reason: String,
        validity_days: u32,
    },
    Second {
        justification: String,
        existing_passport: String,
    },
}

impl ApplicationKind {
    pub fn code(&self) -> &'static str {
        match self {
            ApplicationKind::Passport => "passport",
            ApplicationKind::Temporary { .. } => "temporary",
            ApplicationKind::Second { .. } => "second",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub pesel: Pesel,
    pub surname: String,
    pub given_names: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub sex: Sex,
    pub citizenship: String,
    pub address: Option<Address>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardianRole {
    Mother,
    Father,
    LegalGuardian,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub role: GuardianRole,
    pub pesel: Pesel,
    pub surname: String,
    pub given_names: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Consent {
    BothParentsPresent,
    OtherParentConsent { reference: String },
    CourtRuling { reference: String },
    OtherParentDeceased { reference: String },
    FatherUnknown,
}

/// How long the document will be valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Years(u32),
    Days(u32),
}

/// An application that passed every check.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidApplication {
    pub kind: ApplicationKind,
    pub applicant: Applicant,
    pub applicant_present: bool,
    pub guardians: Vec<Guardian>,
    pub consent: Option<Consent>,
    pub reduction: ReductionClaim,
    pub large_family_card: Option<String>,
    pub previous_passport: Option<String>,
    pub photo: PhotoInfo,
    pub fee: Fee,
    pub validity: Validity,
    /// Age in full years on the application date.
    pub age: u32,
    pub fingerprints_required: bool,
    pub signature_required: bool,
    pub application_date: NaiveDate,
    /// The fingerprints and the signature, checked against
    /// `fingerprints_required` and `signature_required`
    /// ([`ApplicationDraft::validate_with_biometrics`]). `None` for an
    /// application recorded without them: release 0.1 took none (its
    /// journal payloads have no such field), and [`ApplicationDraft::validate`]
    /// checks the data alone. Absent from the stored text when `None`, so
    /// such a payload is written byte for byte as release 0.1 wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biometrics: Option<Biometrics>,
}

impl ValidApplication {
    /// What the rules require of this application's biometrics.
    pub fn biometrics_requirement(&self) -> BiometricsRequirement {
        BiometricsRequirement {
            fingerprints: self.fingerprints_required,
            signature: self.signature_required,
        }
    }
}

/// Full years from `birth` to `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

fn err(path: &str, code: &str, pl: &str, en: &str) -> FieldError {
    FieldError::new(path, code, pl, en)
}

fn required_text(
    value: Option<&str>,
    path: &str,
    max: usize,
    errors: &mut ValidationErrors,
) -> String {
    let v = value.map(str::trim).unwrap_or_default();
    if v.is_empty() {
        errors.push(err(
            path,
            "required",
            "To pole jest wymagane.",
            "This field is required.",
        ));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(
            path,
            "too_long",
            format!("Najwyżej {max} znaków."),
            format!("At most {max} characters."),
        ));
    }
    // Control and format characters are refused for every text field at
    // once, in `validate` (text::check_free_text).
    v.to_owned()
}

/// Parses a date at `path`: `YYYY-MM-DD` (what the JSON carries), or
/// `DD.MM.YYYY` as a clerk types it. The messages speak of the clerk's form.
pub fn parse_date(s: &str, path: &str) -> Result<NaiveDate, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(err(
            path,
            "date.required",
            "Podaj datę (dd.mm.rrrr).",
            "Enter a date (dd.mm.yyyy).",
        ));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map_err(|_| {
            FieldError::new(
                path,
                "date.format",
                format!("„{s}” nie jest poprawną datą: wpisz dzień, miesiąc i rok jako dd.mm.rrrr, np. 28.02.1985."),
                format!("“{s}” is not a valid date: enter day, month and year as dd.mm.yyyy, e.g. 28.02.1985."),
            )
        })
}

/// Checks a Polish passport number: two letters and seven digits.
pub fn valid_passport_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// Normalises a Polish passport number as typed or printed (case, spaces:
/// `ea 0999999` is `EA0999999`), or says at `path` why it is not one.
pub fn passport_number(value: &str, path: &str) -> Result<String, FieldError> {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if valid_passport_number(&v) {
        Ok(v)
    } else {
        Err(err(
            path,
            "document_number.format",
            "Numer paszportu to dwie litery i siedem cyfr, np. EA1234567.",
            "A passport number is two letters and seven digits, e.g. EA1234567.",
        ))
    }
}

/// [`passport_number`], collecting the error; the typed value is kept either way.
fn collect_passport_number(value: &str, path: &str, errors: &mut ValidationErrors) -> String {
    passport_number(value, path).unwrap_or_else(|e| {
        errors.push(e);
        value.trim().to_ascii_uppercase()
    })
}

fn country_code(value: &str, path: &str, errors: &mut ValidationErrors) -> String {
    let v = value.trim().to_ascii_uppercase();
    if v.len() != 3 || !v.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.push(err(
            path,
            "country.format",
            "Kod państwa to trzy litery (ISO 3166-1 alfa-3), np. POL.",
            "A country code is three letters (ISO 3166-1 alpha-3), e.g. POL.",
        ));
    }
    v
}

fn validate_address(a: &Address, errors: &mut ValidationErrors) -> Address {
    let country = country_code(
        a.country.as_deref().unwrap_or("POL"),
        "applicant.address.country",
        errors,
    );
    let street = a
        .street
        .as_deref()
        .map(names::normalize)
        .filter(|s| !s.is_empty());
    if let Some(s) = &street
        && s.chars().count() > 80
    {
        errors.push(err(
            "applicant.address.street",
            "address.street",
            "Ulica: najwyżej 80 znaków.",
            "Street: at most 80 characters.",
        ));
    }
    let building = a.building.trim().to_owned();
    let ok_unit = |s: &str| {
        (1..=10).contains(&s.len())
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '/' || c == '-')
    };
    if !ok_unit(&building) {
        errors.push(err(
            "applicant.address.building",
            "address.building",
            "Numer domu: od 1 do 10 liter, cyfr lub „/”.",
            "Building number: 1 to 10 letters, digits or “/”.",
        ));
    }
    let flat = a
        .flat
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if flat.as_deref().is_some_and(|f| !ok_unit(f)) {
        errors.push(err(
            "applicant.address.flat",
            "address.flat",
            "Numer lokalu: od 1 do 10 liter lub cyfr.",
            "Flat number: 1 to 10 letters or digits.",
        ));
    }
    let postal_code = a.postal_code.trim().to_owned();
    let pc = postal_code.as_bytes();
    let polish_pc = pc.len() == 6
        && pc[2] == b'-'
        && pc
            .iter()
            .enumerate()
            .all(|(i, b)| i == 2 || b.is_ascii_digit());
    if country == "POL" && !polish_pc {
        errors.push(err(
            "applicant.address.postal_code",
            "address.postal_code",
            "Kod pocztowy ma postać 00-000.",
            "A Polish postal code looks like 00-000.",
        ));
    } else if country != "POL" && (postal_code.is_empty() || postal_code.len() > 12) {
        errors.push(err(
            "applicant.address.postal_code",
            "address.postal_code",
            "Podaj kod pocztowy (najwyżej 12 znaków).",
            "Enter a postal code (at most 12 characters).",
        ));
    }
    for e in names::validate_as(
        &a.city,
        NameKind::Place,
        "applicant.address.city",
        ("Miejscowość", "City"),
    ) {
        errors.push(e);
    }
    Address {
        street,
        building,
        flat,
        postal_code,
        city: names::normalize(&a.city),
        country: Some(country),
    }
}

fn validate_contact(c: &Contact, errors: &mut ValidationErrors) -> Contact {
    let phone = c
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let allowed = p
            .chars()
            .enumerate()
            .all(|(i, ch)| ch.is_ascii_digit() || ch == ' ' || ch == '-' || (ch == '+' && i == 0));
        if !allowed || !(9..=15).contains(&digits) {
            errors.push(err(
                "applicant.contact.phone",
                "contact.phone",
                "Numer telefonu: od 9 do 15 cyfr, może zaczynać się od „+”.",
                "Phone number: 9 to 15 digits, may start with “+”.",
            ));
        }
    }
    let email = c
        .email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(e) = &email {
        let ok = e.len() <= 254
            && !e.chars().any(|ch| ch.is_whitespace() || ch.is_control())
            && e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if !ok {
            errors.push(err(
                "applicant.contact.email",
                "contact.email",
                "Adres e-mail jest niepoprawny: powinien mieć postać nazwa@domena.pl, bez spacji.",
                "The e-mail address is not valid: it should look like name@domain.com, with no spaces.",
            ));
        }
    }
    Contact { phone, email }
}

fn names_of(
    surname: &str,
    given: &str,
    prefix: &str,
    errors: &mut ValidationErrors,
) -> (String, String) {
    errors.extend_under(
        prefix,
        names::validate(surname, NameKind::Surname, "surname"),
    );
    errors.extend_under(
        prefix,
        names::validate(given, NameKind::GivenNames, "given_names"),
    );
    (names::normalize(surname), names::normalize(given))
}

impl ApplicationDraft {
    /// Parses a draft from JSON; unknown fields are refused so a typo in a
    /// field name is not silently dropped.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// Every text field of the draft with its path, in the order the
    /// fields appear: what [`text::check_free_text`] is applied to.
    fn text_fields(&self) -> Vec<(String, &str)> {
        fn opt(v: &Option<String>) -> &str {
            v.as_deref().unwrap_or_default()
        }
        let a = &self.applicant;
        let mut out: Vec<(&str, &str)> = vec![
            ("kind", &self.kind),
            ("urgent_reason", opt(&self.urgent_reason)),
            (
                "second_passport_justification",
                opt(&self.second_passport_justification),
            ),
            ("existing_passport", opt(&self.existing_passport)),
            ("previous_passport", opt(&self.previous_passport)),
            ("applicant.pesel", &a.pesel),
            ("applicant.surname", &a.surname),
            ("applicant.given_names", &a.given_names),
            ("applicant.birth_date", &a.birth_date),
            ("applicant.birth_place", &a.birth_place),
            ("applicant.sex", &a.sex),
            ("applicant.citizenship", &a.citizenship),
        ];
        if let Some(ad) = &a.address {
            out.extend([
                ("applicant.address.street", opt(&ad.street)),
                ("applicant.address.building", &ad.building),
                ("applicant.address.flat", opt(&ad.flat)),
                ("applicant.address.postal_code", &ad.postal_code),
                ("applicant.address.city", &ad.city),
                ("applicant.address.country", opt(&ad.country)),
            ]);
        }
        if let Some(c) = &a.contact {
            out.extend([
                ("applicant.contact.phone", opt(&c.phone)),
                ("applicant.contact.email", opt(&c.email)),
            ]);
        }
        out.push(("photo", opt(&self.photo)));
        let mut out: Vec<(String, &str)> =
            out.into_iter().map(|(p, v)| (p.to_owned(), v)).collect();
        for (i, g) in self.guardians.iter().enumerate() {
            for (field, v) in [
                ("role", &g.role),
                ("pesel", &g.pesel),
                ("surname", &g.surname),
                ("given_names", &g.given_names),
            ] {
                out.push((format!("guardians[{i}].{field}"), v));
            }
        }
        if let Some(c) = &self.consent {
            out.push(("consent.basis".into(), &c.basis));
            out.push(("consent.reference".into(), opt(&c.reference)));
        }
        out.push(("reduction".into(), opt(&self.reduction)));
        out.push(("large_family_card".into(), opt(&self.large_family_card)));
        out
    }

    /// Checks everything at once, the biometrics included: what intake
    /// (the app and `counterctl application submit`) calls. The
    /// biometrics' errors come after the data's, under `biometrics.`; when
    /// the kind or the birth date is itself in error, so that the rules by
    /// kind and age cannot be applied, the biometrics' own parts (images,
    /// scores, strokes) are still checked.
    pub fn validate_with_biometrics(
        &self,
        photo: Option<&[u8]>,
        biometrics: &BiometricsDraft,
        rules: &ApplicationRules,
    ) -> Result<ValidApplication, ValidationErrors> {
        const PATH: &str = "biometrics";
        match self.validate(photo, rules) {
            Ok(mut app) => match biometrics.validate(app.biometrics_requirement(), PATH) {
                Ok(b) => {
                    app.biometrics = Some(b);
                    Ok(app)
                }
                Err(errors) => Err(ValidationErrors(errors)),
            },
            Err(mut errors) => {
                let more = match self.biometrics_requirement(rules) {
                    Some(requirement) => match biometrics.validate(requirement, PATH) {
                        Ok(_) => Vec::new(),
                        Err(e) => e,
                    },
                    None => biometrics.check_parts(PATH),
                };
                errors.0.extend(more);
                Err(errors)
            }
        }
    }

    /// The biometrics the rules require, when the kind and the birth date
    /// can be read (whatever else is wrong with the draft).
    pub fn biometrics_requirement(
        &self,
        rules: &ApplicationRules,
    ) -> Option<BiometricsRequirement> {
        let temporary = match self.kind.trim() {
            "temporary" => true,
            "passport" | "second" => false,
            _ => return None,
        };
        let birth = parse_date(&self.applicant.birth_date, "applicant.birth_date")
            .ok()
            .filter(|d| *d <= rules.today)?;
        Some(BiometricsRequirement::new(
            temporary,
            age_on(birth, rules.today),
            rules.fingerprint_age,
            rules.signature_age,
        ))
    }

    /// Checks the application's data (everything but the biometrics: the
    /// result's `biometrics` is `None`). `photo` is the photo file's bytes,
    /// if the caller could read it.
    ///
    /// A field holding an invisible or control character gets that one
    /// error only: any other message about it (a "bad character", a wrong
    /// format) would point at something the clerk cannot see.
    pub fn validate(
        &self,
        photo: Option<&[u8]>,
        rules: &ApplicationRules,
    ) -> Result<ValidApplication, ValidationErrors> {
        let fields = self.text_fields();
        let invisible: Vec<FieldError> = fields
            .iter()
            .filter_map(|(path, v)| text::check_free_text(v, path).err())
            .collect();
        let checked = self.validate_fields(photo, rules);
        if invisible.is_empty() {
            return checked;
        }
        // Merge in field order: before each other error, the invisible ones
        // of the text fields that come before it.
        let rank = |path: &str| fields.iter().position(|(p, _)| p == path);
        let mut pending = invisible.into_iter().peekable();
        let mut merged = ValidationErrors::default();
        for e in checked.err().unwrap_or_default().0 {
            if let Some(k) = rank(&e.path) {
                while let Some(p) = pending.next_if(|p| rank(&p.path) <= Some(k)) {
                    merged.push(p);
                }
            }
            let shown = merged
                .iter()
                .any(|m| m.path == e.path && m.code == text::INVISIBLE_CODE);
            if !shown {
                merged.push(e);
            }
        }
        merged.0.extend(pending);
        Err(merged)
    }

    fn validate_fields(
        &self,
        photo: Option<&[u8]>,
        rules: &ApplicationRules,
    ) -> Result<ValidApplication, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let today = rules.today;
        let a = &self.applicant;

        // Kind and its own fields.
        let kind_code = self.kind.trim();
        if !["passport", "temporary", "second"].contains(&kind_code) {
            errors.push(FieldError::new(
                "kind",
                "kind.unknown",
                "Rodzaj wniosku: paszport (passport), paszport tymczasowy (temporary) lub drugi paszport (second).",
                "Kind of application: passport, temporary or second.",
            ));
        }
        let kind = match kind_code {
            "temporary" => {
                let urgent_reason = required_text(
                    self.urgent_reason.as_deref(),
                    "urgent_reason",
                    500,
                    &mut errors,
                );
                let validity_days = self.validity_days.unwrap_or(365);
                if !(1..=365).contains(&validity_days) {
                    errors.push(err(
                        "validity_days",
                        "validity_days.range",
                        "Paszport tymczasowy jest ważny najwyżej 365 dni.",
                        "A temporary passport is valid for at most 365 days.",
                    ));
                }
                Some(ApplicationKind::Temporary {
                    urgent_reason,
                    validity_days,
                })
            }
            "second" => {
                let justification = required_text(
                    self.second_passport_justification.as_deref(),
                    "second_passport_justification",
                    500,
                    &mut errors,
                );
                let existing = self.existing_passport.as_deref().unwrap_or_default();
                let existing_passport = if existing.trim().is_empty() {
                    errors.push(err(
                        "existing_passport",
                        "required",
                        "Podaj numer posiadanego paszportu.",
                        "Enter the number of the passport already held.",
                    ));
                    String::new()
                } else {
                    collect_passport_number(existing, "existing_passport", &mut errors)
                };
                Some(ApplicationKind::Second {
                    justification,
                    existing_passport,
                })
            }
            "passport" => Some(ApplicationKind::Passport),
            _ => None,
        };
        let previous_passport = self
            .previous_passport
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|p| collect_passport_number(p, "previous_passport", &mut errors));

        // The applicant.
        let pesel = Pesel::parse(&a.pesel)
            .map_err(|e| errors.push(e.to_field_error("applicant.pesel")))
            .ok();
        let (surname, given_names) = names_of(&a.surname, &a.given_names, "applicant", &mut errors);
        errors.extend_under(
            "applicant",
            names::validate_as(
                &a.birth_place,
                NameKind::Place,
                "birth_place",
                ("Miejsce urodzenia", "Place of birth"),
            ),
        );
        let birth_date = match parse_date(&a.birth_date, "applicant.birth_date") {
            Ok(d) if d > today => {
                errors.push(err(
                    "applicant.birth_date",
                    "date.future",
                    "Data urodzenia nie może być w przyszłości.",
                    "The birth date cannot be in the future.",
                ));
                None
            }
            Ok(d) if d.year() < rules.earliest_birth_year => {
                errors.push(FieldError::new(
                    "applicant.birth_date",
                    "date.implausible",
                    format!(
                        "Data urodzenia przed {} rokiem jest niewiarygodna; sprawdź ją.",
                        rules.earliest_birth_year
                    ),
                    format!(
                        "A birth date before {} is implausible; check it.",
                        rules.earliest_birth_year
                    ),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let sex = match a.sex.trim() {
            "F" | "K" => Some(Sex::Female),
            "M" => Some(Sex::Male),
            _ => {
                errors.push(err(
                    "applicant.sex",
                    "sex.invalid",
                    "Płeć: F (kobieta) lub M (mężczyzna).",
                    "Sex: F (female) or M (male).",
                ));
                None
            }
        };
        if let (Some(p), Some(d)) = (&pesel, birth_date)
            && p.birth_date() != d
        {
            // At the PESEL here; the form shows it at whichever of the two
            // fields the clerk changed last. Short: it must fit the two
            // lines under either field.
            let (from_pesel, typed) = (p.birth_date().format("%d.%m.%Y"), d.format("%d.%m.%Y"));
            errors.push(FieldError::new(
                "applicant.pesel",
                "pesel.birth_date_mismatch",
                format!("PESEL wskazuje {from_pesel}, wpisano {typed}. Sprawdź dokument."),
                format!("The PESEL says {from_pesel}, entered {typed}. Check the document."),
            ));
        }
        if let (Some(p), Some(s)) = (&pesel, sex)
            && p.sex() != s
        {
            errors.push(err(
                "applicant.pesel",
                "pesel.sex_mismatch",
                "PESEL wskazuje inną płeć niż wpisana.",
                "The PESEL gives a different sex from the one entered.",
            ));
        }
        let citizenship = country_code(&a.citizenship, "applicant.citizenship", &mut errors);
        if citizenship.len() == 3 && citizenship != "POL" {
            errors.push(err(
                "applicant.citizenship",
                "citizenship.not_polish",
                "Paszport wydaje się wyłącznie obywatelom polskim.",
                "Passports are issued to Polish citizens only.",
            ));
        }
        let address = a
            .address
            .as_ref()
            .map(|ad| validate_address(ad, &mut errors));
        let contact = a.contact.as_ref().map(|c| validate_contact(c, &mut errors));

        // Photo.
        let photo_info = match photo {
            None => {
                errors.push(err(
                    "photo",
                    "photo.required",
                    "Dołącz zdjęcie (JPEG lub PNG).",
                    "Attach a photo (JPEG or PNG).",
                ));
                None
            }
            Some(bytes) => photo::validate(bytes, &rules.photo, "photo")
                .map_err(|es| es.into_iter().for_each(|e| errors.push(e)))
                .ok(),
        };

        // Age-dependent rules: attendance, guardians, consent, fee.
        let age = birth_date.map(|d| age_on(d, today));
        if let Some(age) = age
            && !self.applicant_present
            && age >= rules.attendance_age
        {
            errors.push(FieldError::new(
                "applicant_present",
                "attendance.required",
                format!(
                    "Osoba w wieku {} lat lub starsza musi stawić się osobiście.",
                    rules.attendance_age
                ),
                format!(
                    "An applicant aged {} or over must attend in person.",
                    rules.attendance_age
                ),
            ));
        }
        let minor = age.is_some_and(|a| a < 18);
        let mut guardians = Vec::new();
        for (i, g) in self.guardians.iter().enumerate() {
            let prefix = format!("guardians[{i}]");
            let role = match g.role.trim() {
                "mother" => Some(GuardianRole::Mother),
                "father" => Some(GuardianRole::Father),
                "legal_guardian" => Some(GuardianRole::LegalGuardian),
                _ => {
                    errors.push(err(&format!("{prefix}.role"), "guardian.role", "Rola: matka (mother), ojciec (father) lub opiekun prawny (legal_guardian).", "Role: mother, father or legal_guardian."));
                    None
                }
            };
            let gp = Pesel::parse(&g.pesel)
                .map_err(|e| errors.push(e.to_field_error(&format!("{prefix}.pesel"))))
                .ok();
            if let Some(p) = &gp {
                if age_on(p.birth_date(), today) < 18 {
                    errors.push(err(
                        &format!("{prefix}.pesel"),
                        "guardian.minor",
                        "Rodzic lub opiekun składający wniosek musi być pełnoletni.",
                        "A parent or guardian applying must be an adult.",
                    ));
                }
                if pesel.as_ref() == Some(p) {
                    errors.push(err(
                        &format!("{prefix}.pesel"),
                        "guardian.same_person",
                        "Opiekun nie może być wnioskodawcą.",
                        "The guardian cannot be the applicant.",
                    ));
                }
                if guardians.iter().any(|other: &Guardian| &other.pesel == p) {
                    errors.push(err(
                        &format!("{prefix}.pesel"),
                        "guardian.same_pesel",
                        "Ten PESEL podano już u pierwszego rodzica lub opiekuna.",
                        "This PESEL is already given for the first parent or guardian.",
                    ));
                }
            }
            let (surname, given_names) = names_of(&g.surname, &g.given_names, &prefix, &mut errors);
            if let (Some(role), Some(pesel)) = (role, gp) {
                guardians.push(Guardian {
                    role,
                    pesel,
                    surname,
                    given_names,
                });
            }
        }
        if !minor && !self.guardians.is_empty() && age.is_some() {
            errors.push(err(
                "guardians",
                "guardians.not_minor",
                "Wnioskodawca jest pełnoletni: nie podaje się opiekunów.",
                "The applicant is an adult: no guardians are given.",
            ));
        }
        let consent = if minor {
            self.minor_consent(&mut errors)
        } else {
            None
        };

        let reduction = match self.reduction.as_deref().map(str::trim).unwrap_or("none") {
            "" | "none" => Some(ReductionClaim::None),
            "student" => Some(ReductionClaim::Student),
            "pensioner" => Some(ReductionClaim::Pensioner),
            "disabled" => Some(ReductionClaim::Disabled),
            _ => {
                errors.push(err("reduction", "reduction.unknown", "Ulga: brak (none), uczeń/student (student), emeryt/rencista (pensioner), osoba niepełnosprawna (disabled).", "Reduction: none, student, pensioner or disabled."));
                None
            }
        };
        let large_family_card = self
            .large_family_card
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if large_family_card.as_deref().is_some_and(|c| {
            c.len() > 20
                || !c
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '/' || ch == '-')
        }) {
            errors.push(err(
                "large_family_card",
                "large_family_card.format",
                "Numer Karty Dużej Rodziny: do 20 liter, cyfr, „/” lub „-”.",
                "Large Family Card number: up to 20 letters, digits, “/” or “-”.",
            ));
        }
        let fee = match (&kind, age, reduction) {
            (Some(k), Some(age), Some(reduction)) => {
                let fee_kind = match k {
                    ApplicationKind::Passport => FeeKind::Passport,
                    ApplicationKind::Temporary { .. } => FeeKind::Temporary,
                    ApplicationKind::Second { .. } => FeeKind::Second,
                };
                rules
                    .fees
                    .compute(&FeeInput {
                        kind: fee_kind,
                        age,
                        reduction,
                        large_family_card: large_family_card.is_some(),
                        application_date: today,
                    })
                    .map_err(|e| errors.push(e))
                    .ok()
            }
            _ => None,
        };

        let (
            Some(kind),
            Some(pesel),
            Some(birth_date),
            Some(sex),
            Some(photo),
            Some(fee),
            Some(age),
            Some(reduction),
        ) = (
            kind, pesel, birth_date, sex, photo_info, fee, age, reduction,
        )
        else {
            return Err(errors);
        };
        let requirement = BiometricsRequirement::new(
            matches!(kind, ApplicationKind::Temporary { .. }),
            age,
            rules.fingerprint_age,
            rules.signature_age,
        );
        let validity = match &kind {
            ApplicationKind::Temporary { validity_days, .. } => Validity::Days(*validity_days),
            _ if age >= 12 => Validity::Years(10),
            _ => Validity::Years(5),
        };
        errors.into_result(ValidApplication {
            kind,
            applicant: Applicant {
                pesel,
                surname,
                given_names,
                birth_date,
                birth_place: names::normalize(&a.birth_place),
                sex,
                citizenship,
                address,
                contact,
            },
            applicant_present: self.applicant_present,
            guardians,
            consent,
            reduction,
            large_family_card,
            previous_passport,
            photo,
            fee,
            validity,
            age,
            fingerprints_required: requirement.fingerprints,
            signature_required: requirement.signature,
            application_date: today,
            biometrics: None,
        })
    }

    fn minor_consent(&self, errors: &mut ValidationErrors) -> Option<Consent> {
        match self.guardians.len() {
            0 => {
                errors.push(err("guardians", "guardians.required", "Wniosek za małoletniego składają rodzice lub opiekun prawny: podaj ich dane.", "An application for a minor is made by the parents or a legal guardian: enter them."));
                None
            }
            2 => Some(Consent::BothParentsPresent),
            1 => {
                let Some(c) = &self.consent else {
                    errors.push(err("consent", "consent.required", "Gdy stawia się jeden rodzic, wskaż podstawę: zgoda drugiego rodzica, orzeczenie sądu, akt zgonu lub ojciec nieznany.", "When one parent attends, give the basis: the other parent's consent, a court ruling, a death certificate, or father unknown."));
                    return None;
                };
                let mut reference = || {
                    let r = c.reference.as_deref().map(str::trim).unwrap_or_default();
                    if r.is_empty() {
                        errors.push(err(
                            "consent.reference",
                            "required",
                            "Podaj sygnaturę lub numer dokumentu.",
                            "Enter the document's reference number.",
                        ));
                    }
                    r.to_owned()
                };
                match c.basis.trim() {
                    "other_parent_consent" => Some(Consent::OtherParentConsent {
                        reference: reference(),
                    }),
                    "court_ruling" => Some(Consent::CourtRuling {
                        reference: reference(),
                    }),
                    "other_parent_deceased" => Some(Consent::OtherParentDeceased {
                        reference: reference(),
                    }),
                    "father_unknown" => Some(Consent::FatherUnknown),
                    _ => {
                        errors.push(err("consent.basis", "consent.basis", "Podstawa: other_parent_consent, court_ruling, other_parent_deceased lub father_unknown.", "Basis: other_parent_consent, court_ruling, other_parent_deceased or father_unknown."));
                        None
                    }
                }
            }
            _ => {
                errors.push(err(
                    "guardians",
                    "guardians.too_many",
                    "Podaj najwyżej dwoje rodziców lub opiekunów.",
                    "Give at most two parents or guardians.",
                ));
                None
            }
        }
    }
}

crate::personal_data_debug!(
    ApplicationDraft,
    ApplicantDraft,
    Address,
    Contact,
    GuardianDraft,
    ConsentDraft,
    ApplicationKind,
    Applicant,
    Guardian,
    Consent,
    ValidApplication,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::tests::png;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn pesel(y: i32, m: u32, d: u32, sex: Sex) -> String {
        Pesel::from_parts(NaiveDate::from_ymd_opt(y, m, d).unwrap(), 17, sex)
            .unwrap()
            .to_string()
    }

    fn adult() -> ApplicationDraft {
        ApplicationDraft {
            kind: "passport".into(),
            applicant: ApplicantDraft {
                pesel: pesel(1985, 2, 28, Sex::Female),
                surname: "Żółkiewska-Łęcka".into(),
                given_names: "Zofia Małgorzata".into(),
                birth_date: "1985-02-28".into(),
                birth_place: "Łódź".into(),
                sex: "F".into(),
                citizenship: "POL".into(),
                address: Some(Address {
                    street: Some("Piotrkowska".into()),
                    building: "12".into(),
                    flat: Some("3".into()),
                    postal_code: "90-001".into(),
                    city: "Łódź".into(),
                    country: None,
                }),
                contact: Some(Contact {
                    phone: Some("+48 600 100 200".into()),
                    email: Some("zofia@example.pl".into()),
                }),
            },
            photo: Some("photo.png".into()),
            applicant_present: true,
            ..Default::default()
        }
    }

    fn photo() -> Vec<u8> {
        crate::demo::PHOTO_PNG.to_vec()
    }

    fn codes(d: &ApplicationDraft) -> Vec<(String, String)> {
        d.validate(Some(&photo()), &ApplicationRules::new(today()))
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.path, e.code))
            .collect()
    }

    #[test]
    fn a_valid_adult_application() {
        let v = adult()
            .validate(Some(&photo()), &ApplicationRules::new(today()))
            .unwrap();
        assert_eq!(v.age, 41);
        assert_eq!(v.validity, Validity::Years(10));
        assert_eq!(v.fee.amount_grosz, 14000);
        assert!(v.fingerprints_required && v.signature_required);
        assert_eq!(v.applicant.surname, "Żółkiewska-Łęcka");
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let mut d = adult();
        d.kind = "visa".into();
        d.applicant.pesel = "85022812345".into();
        d.applicant.surname = "K0walska".into();
        d.applicant.birth_date = "1985-02-30".into();
        d.applicant.sex = "X".into();
        d.applicant.citizenship = "DEU".into();
        let got = codes(&d);
        let paths: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "kind",
                "applicant.pesel",
                "applicant.surname",
                "applicant.birth_date",
                "applicant.sex",
                "applicant.citizenship"
            ]
        );
    }

    #[test]
    fn pesel_must_agree_with_birth_date_and_sex() {
        let mut d = adult();
        d.applicant.birth_date = "1985-03-01".into();
        d.applicant.sex = "M".into();
        let got = codes(&d);
        assert_eq!(
            got,
            [
                (
                    "applicant.pesel".to_owned(),
                    "pesel.birth_date_mismatch".to_owned()
                ),
                (
                    "applicant.pesel".to_owned(),
                    "pesel.sex_mismatch".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn messages_name_the_field_as_labelled_and_dates_as_typed() {
        let mut d = adult();
        d.applicant.birth_place = " ".into();
        d.applicant.contact = Some(Contact {
            phone: None,
            email: Some("anna@".into()),
        });
        let errors = d
            .validate(
                Some(crate::demo::PHOTO_PNG),
                &ApplicationRules::new(today()),
            )
            .unwrap_err()
            .0;
        let pl = |path: &str| {
            errors
                .iter()
                .find(|e| e.path == path)
                .map(|e| e.message.pl.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            pl("applicant.birth_place"),
            "Miejsce urodzenia: pole jest wymagane."
        );
        assert!(pl("applicant.contact.email").contains("nazwa@domena.pl"));

        // The clerk's dd.mm.rrrr is read, and the mismatch is said in it.
        let mut d = adult();
        d.applicant.birth_date = "28.02.1985".into();
        assert!(
            d.validate(Some(&photo()), &ApplicationRules::new(today()))
                .is_ok()
        );
        d.applicant.birth_date = "01.03.1985".into();
        let e = d
            .validate(
                Some(crate::demo::PHOTO_PNG),
                &ApplicationRules::new(today()),
            )
            .unwrap_err()
            .0;
        assert!(
            e[0].message.pl.contains("28.02.1985, wpisano 01.03.1985"),
            "{}",
            e[0].message.pl
        );
        d.applicant.birth_date = "31.02.1985".into();
        assert_eq!(
            codes(&d),
            [("applicant.birth_date".to_owned(), "date.format".to_owned())]
        );
    }

    #[test]
    fn birth_dates_must_be_plausible() {
        let mut d = adult();
        d.applicant.birth_date = "2027-01-01".into();
        assert!(codes(&d).contains(&("applicant.birth_date".into(), "date.future".into())));
        d.applicant.birth_date = "1850-01-01".into();
        assert!(codes(&d).contains(&("applicant.birth_date".into(), "date.implausible".into())));
    }

    fn child(age_years: i32) -> ApplicationDraft {
        let mut d = adult();
        let y = 2026 - age_years;
        d.applicant.pesel = pesel(y, 1, 10, Sex::Male);
        d.applicant.birth_date = format!("{y}-01-10");
        d.applicant.sex = "M".into();
        d.applicant.given_names = "Jan".into();
        d
    }

    fn parent(role: &str, y: i32) -> GuardianDraft {
        GuardianDraft {
            role: role.into(),
            pesel: pesel(
                y,
                6,
                1,
                if role == "mother" {
                    Sex::Female
                } else {
                    Sex::Male
                },
            ),
            surname: "Kowalska".into(),
            given_names: "Anna".into(),
        }
    }

    #[test]
    fn a_guardian_is_neither_the_applicant_nor_the_other_guardian() {
        let mut d = child(8);
        let mut same = parent("mother", 1990);
        same.pesel = d.applicant.pesel.clone();
        d.guardians = vec![same];
        assert!(codes(&d).contains(&("guardians[0].pesel".into(), "guardian.same_person".into())));
        let mother = parent("mother", 1990);
        let mut twice = parent("father", 1988);
        twice.pesel = mother.pesel.clone();
        d.guardians = vec![mother, twice];
        assert_eq!(
            codes(&d),
            [(
                "guardians[1].pesel".to_owned(),
                "guardian.same_pesel".to_owned()
            )]
        );
    }

    #[test]
    fn minors_need_guardians_and_a_consent_basis() {
        let mut d = child(8);
        assert_eq!(
            codes(&d),
            [("guardians".to_owned(), "guardians.required".to_owned())]
        );
        d.guardians = vec![parent("mother", 1990)];
        assert_eq!(
            codes(&d),
            [("consent".to_owned(), "consent.required".to_owned())]
        );
        d.consent = Some(ConsentDraft {
            basis: "court_ruling".into(),
            reference: None,
        });
        assert_eq!(
            codes(&d),
            [("consent.reference".to_owned(), "required".to_owned())]
        );
        d.consent = Some(ConsentDraft {
            basis: "court_ruling".into(),
            reference: Some("III RC 12/25".into()),
        });
        let v = d
            .validate(Some(&photo()), &ApplicationRules::new(today()))
            .unwrap();
        assert_eq!(v.validity, Validity::Years(5));
        assert_eq!(v.fee.amount_grosz, 3000);
        assert!(!v.fingerprints_required);
        d.guardians.push(parent("father", 1988));
        d.consent = None;
        let v = d
            .validate(Some(&photo()), &ApplicationRules::new(today()))
            .unwrap();
        assert_eq!(v.consent, Some(Consent::BothParentsPresent));
    }

    #[test]
    fn attendance_and_guardian_age() {
        let mut d = child(3);
        d.applicant_present = false;
        d.guardians = vec![parent("mother", 1990), parent("father", 2010)];
        assert_eq!(
            codes(&d),
            [("guardians[1].pesel".to_owned(), "guardian.minor".to_owned())]
        );
        let mut d = child(7);
        d.applicant_present = false;
        d.guardians = vec![parent("mother", 1990), parent("father", 1990)];
        assert_eq!(
            codes(&d),
            [(
                "applicant_present".to_owned(),
                "attendance.required".to_owned()
            )]
        );
    }

    #[test]
    fn kind_specific_fields() {
        let mut d = adult();
        d.kind = "temporary".into();
        d.validity_days = Some(400);
        assert_eq!(
            codes(&d),
            [
                ("urgent_reason".to_owned(), "required".to_owned()),
                ("validity_days".to_owned(), "validity_days.range".to_owned())
            ]
        );
        d.urgent_reason = Some("Leczenie za granicą, skierowanie szpitala".into());
        d.validity_days = None;
        let v = d
            .validate(Some(&photo()), &ApplicationRules::new(today()))
            .unwrap();
        assert_eq!(v.validity, Validity::Days(365));
        assert_eq!(v.fee.amount_grosz, 3000);

        let mut d = adult();
        d.kind = "second".into();
        d.existing_passport = Some("E1234567".into());
        assert_eq!(
            codes(&d),
            [
                (
                    "second_passport_justification".to_owned(),
                    "required".to_owned()
                ),
                (
                    "existing_passport".to_owned(),
                    "document_number.format".to_owned()
                )
            ]
        );
    }

    #[test]
    fn address_and_contact() {
        let mut d = adult();
        if let Some(a) = d.applicant.address.as_mut() {
            a.postal_code = "90001".into();
        }
        d.applicant.contact = Some(Contact {
            phone: Some("12ab".into()),
            email: Some("zofia@".into()),
        });
        assert_eq!(
            codes(&d),
            [
                (
                    "applicant.address.postal_code".to_owned(),
                    "address.postal_code".to_owned()
                ),
                (
                    "applicant.contact.phone".to_owned(),
                    "contact.phone".to_owned()
                ),
                (
                    "applicant.contact.email".to_owned(),
                    "contact.email".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn invisible_characters_are_refused_in_every_free_text_field() {
        // Each of these was accepted before (street and e-mail checked only
        // `char::is_control`; the reasons allowed newlines): the register
        // would have stored text that reads the same but is not.
        let mut d = adult();
        if let Some(a) = d.applicant.address.as_mut() {
            a.street = Some("Piotr\u{202E}kowska".into());
            a.building = "12\u{200B}".into();
        }
        if let Some(c) = d.applicant.contact.as_mut() {
            c.email = Some("zofia\u{2066}@example.pl".into());
        }
        assert_eq!(
            codes(&d),
            [
                (
                    "applicant.address.street".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
                (
                    "applicant.address.building".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
                (
                    "applicant.contact.email".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
            ]
        );

        let mut d = adult();
        d.kind = "temporary".into();
        d.urgent_reason = Some("Leczenie\nza granicą \u{1b}[2J".into());
        d.applicant.birth_place = "Łó\u{AD}dź".into();
        d.applicant.given_names = "Zofia\u{FEFF}".into();
        assert_eq!(
            codes(&d),
            [
                (
                    "urgent_reason".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
                (
                    "applicant.given_names".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
                (
                    "applicant.birth_place".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
            ]
        );

        let mut d = child(8);
        d.guardians = vec![parent("mother", 1990)];
        d.guardians[0].surname = "Kowal\u{200D}ska".into();
        d.consent = Some(ConsentDraft {
            basis: "court_ruling".into(),
            reference: Some("III RC\u{2067} 12/25".into()),
        });
        assert_eq!(
            codes(&d),
            [
                (
                    "guardians[0].surname".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
                (
                    "consent.reference".to_owned(),
                    "text.invisible_characters".to_owned()
                ),
            ]
        );
        let e = d
            .validate(Some(&photo()), &ApplicationRules::new(today()))
            .unwrap_err();
        assert!(e.0[0].message.pl.contains("niewidoczne"));
    }

    #[test]
    fn photo_is_required_and_checked() {
        let rules = ApplicationRules::new(today());
        let e = adult().validate(None, &rules).unwrap_err();
        assert!(e.has("photo"));
        let e = adult()
            .validate(Some(&png(100, 100, false)), &rules)
            .unwrap_err();
        assert_eq!(
            e.0.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            ["photo.resolution", "photo.aspect"]
        );
    }

    #[test]
    fn json_with_unknown_fields_is_refused() {
        assert!(
            ApplicationDraft::from_json(r#"{"kind":"passport","applicant":{"surnme":"X"}}"#)
                .is_err()
        );
        assert!(ApplicationDraft::from_json(r#"{"kind":"passport"}"#).is_ok());
    }

    #[test]
    fn age_counts_full_years() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(age_on(d(2014, 11, 23), d(2026, 11, 22)), 11);
        assert_eq!(age_on(d(2014, 11, 22), d(2026, 11, 22)), 12);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
    }
}

#[cfg(test)]
mod schema_tests {
    //! docs/application.schema.json documents this module's JSON format; these
    //! tests fail when the two drift apart, and check the shipped examples.
    use super::*;
    use std::collections::BTreeSet;

    fn schema() -> serde_json::Value {
        let text = include_str!("../../../docs/application.schema.json");
        serde_json::from_str(text).unwrap()
    }

    fn schema_keys(node: &serde_json::Value) -> BTreeSet<String> {
        node["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    fn draft_keys<T: Serialize>(value: &T) -> BTreeSet<String> {
        serde_json::to_value(value)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    #[test]
    fn the_schema_names_exactly_the_draft_fields() {
        let s = schema();
        assert_eq!(schema_keys(&s), draft_keys(&ApplicationDraft::default()));
        let applicant = &s["properties"]["applicant"];
        assert_eq!(
            schema_keys(applicant),
            draft_keys(&ApplicantDraft::default())
        );
        assert_eq!(
            schema_keys(&applicant["properties"]["address"]),
            draft_keys(&Address::default())
        );
        assert_eq!(
            schema_keys(&applicant["properties"]["contact"]),
            draft_keys(&Contact::default())
        );
        assert_eq!(
            schema_keys(&s["properties"]["guardians"]["items"]),
            draft_keys(&GuardianDraft::default())
        );
        assert_eq!(
            schema_keys(&s["properties"]["consent"]),
            draft_keys(&ConsentDraft::default())
        );
    }

    #[test]
    fn the_examples_are_valid_applications() {
        let photo = include_bytes!("../../../docs/examples/photo.png");
        let rules = ApplicationRules::new(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        for text in [
            include_str!("../../../docs/examples/application-adult.json"),
            include_str!("../../../docs/examples/application-minor.json"),
        ] {
            let draft = ApplicationDraft::from_json(text).unwrap();
            if let Err(e) = draft.validate(Some(photo), &rules) {
                panic!("an example is invalid: {e}");
            }
        }
    }
}
