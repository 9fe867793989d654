//! The field rules of the contract, as the register enforces them: every
//! rule `docs/register-openapi.json` states for a write (patterns, free-text
//! rules, dates, the photo's hash, age-dependent rules, the biometrics
//! cut-over), checked before any record is read (the cut-over's one fact
//! from the database, whether the workstation has sent biometrics before,
//! is read first and handed in: `cutover.rs`; the accounts a confirming
//! supervisor is looked up in are the register's fixed list, `seed.rs`),
//! and every broken rule reported at once (422 `validation`, one
//! `FieldProblem` per field).

use crate::cutover::Cutover;
use passport_domain::application::{GuardianRole, age_on};
use passport_domain::collection::{self, Collection, CollectorPaths, CollectorRole};
use passport_domain::{ApplicationNumber, Pesel, Sex};
use passport_register_contract::{
    Address, Applicant, ApplicationKind, Collector, Consent, Contact, FieldProblem, Guardian,
    GuardianRole as WireGuardianRole, InvalidateDocument, Photo, RecordHandover, Reduction,
    Sex as WireSex, SubmitApplication, Validity,
};
use passport_register_contract::{
    Biometrics, FingerExceptionReason, FingerPosition, PngImage as WirePngImage, Signature,
};
use sha2::{Digest, Sha256};

/// The largest photo, decoded (5 MiB), as the contract states it.
const PHOTO_MAX_BYTES: usize = passport_domain::photo::PHOTO_MAX_BYTES;

/// The field code of an application without the biometrics section it
/// needs (the cut-over, `cutover.rs`).
const BIOMETRICS_REQUIRED: &str = "biometrics_required";

/// The longest free text, in characters after trimming.
const TEXT_MAX_CHARS: usize = 200;

/// The problems found so far, in the order the fields were checked.
#[derive(Debug, Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn push(&mut self, path: &str, code: &str, message: &str) {
        self.0.push(FieldProblem {
            path: path.into(),
            code: code.into(),
            message: message.into(),
        });
    }

    /// Free text: 1-200 characters after trimming, with no control or
    /// invisible format character (the domain's one rule for every
    /// free-text field, `check_free_text`).
    fn text(&mut self, path: &str, value: &str) {
        let t = value.trim();
        if t.is_empty() || t.chars().count() > TEXT_MAX_CHARS {
            self.push(path, "text", "required, at most 200 characters");
        } else if let Err(e) = passport_domain::text::check_free_text(value, path) {
            self.push(path, "text", e.message.get(passport_domain::Lang::En));
        }
    }

    fn opt_text(&mut self, path: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.text(path, v);
        }
    }

    /// A date `YYYY-MM-DD` that exists in the calendar.
    fn date(&mut self, path: &str, value: &str) -> Option<chrono::NaiveDate> {
        let d = strict_date(value);
        if d.is_none() {
            self.push(path, "date", "not a date (YYYY-MM-DD)");
        }
        d
    }

    fn passport_number(&mut self, path: &str, value: &str) {
        if !passport_domain::application::valid_passport_number(value) {
            self.push(
                path,
                "passport_number",
                "not 2 capital letters and 7 digits",
            );
        }
    }

    /// What every write carries: office, workstation, clerk and device time.
    fn origin(&mut self, office: &str, workstation: &str, clerk_id: &str, device_time: &str) {
        if !passport_domain::number::valid_office(office) {
            self.push("office", "office", "not 2-8 capital letters or digits");
        }
        if !passport_domain::number::valid_workstation(workstation) {
            self.push(
                "workstation",
                "workstation",
                "not 1-4 capital letters or digits",
            );
        }
        if !valid_clerk_id(clerk_id) {
            self.push("clerk_id", "clerk_id", "not 1-64 of A-Z a-z 0-9 . _ @ -");
        }
        if chrono::DateTime::parse_from_rfc3339(device_time).is_err() {
            self.push("device_time", "datetime", "not an RFC 3339 date and time");
        }
    }
}

/// `YYYY-MM-DD` exactly (chrono alone also takes `2026-1-5` and a sign).
pub(crate) fn strict_date(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    shape
        .then(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// A clerk's account identifier: 1-64 of `A-Z a-z 0-9 . _ @ -`.
pub fn valid_clerk_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'@' | b'-'))
}

/// Every rule a submission breaks, checked against the server's `today`
/// and what the register knows of the biometrics cut-over.
pub fn check_submission(
    r: &SubmitApplication,
    today: chrono::NaiveDate,
    cutover: &Cutover,
) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    let birth = applicant(&mut p, &r.applicant);
    match ApplicationNumber::parse(&r.application_number) {
        Ok(n)
            if n.office() == r.office
                && n.workstation() == r.workstation
                && n.to_string() == r.application_number => {}
        _ => p.push(
            "application_number",
            "number",
            "not a valid number of this office and workstation",
        ),
    }
    p.origin(&r.office, &r.workstation, &r.clerk_id, &r.device_time);
    let applied = p.date("application_date", &r.application_date);
    if let Some(d) = applied
        && today.succ_opt().is_some_and(|tomorrow| d > tomorrow)
    {
        p.push(
            "application_date",
            "date",
            "more than one day after the register's date",
        );
    }
    let age = birth.zip(applied).map(|(b, on)| age_on(b, on));
    kind(&mut p, &r.kind);
    guardians(&mut p, &r.guardians, age);
    if let Some(
        Consent::OtherParentConsent { reference }
        | Consent::CourtRuling { reference }
        | Consent::OtherParentDeceased { reference },
    ) = &r.consent
    {
        p.text("consent.reference", reference);
    }
    if r.reduction == Reduction::Student && age.is_some_and(|a| a >= 26) {
        p.push(
            "reduction",
            "reduction",
            "the student reduction ends on the 26th birthday",
        );
    }
    p.opt_text("large_family_card", r.large_family_card.as_deref());
    if let Some(prev) = &r.previous_passport {
        p.passport_number("previous_passport", prev);
    }
    p.date("fee.schedule_from", &r.fee.schedule_from);
    validity(&mut p, &r.kind, r.validity, age);
    photo(&mut p, &r.photo);
    let (fingerprints_required, signature_required) = requirement(&mut p, r, age);
    match &r.biometrics {
        Some(b) => biometrics(&mut p, b, fingerprints_required, signature_required),
        None => absent_biometrics(
            &mut p,
            applied,
            fingerprints_required || signature_required,
            cutover,
        ),
    }
    p.0
}

/// An application without a biometrics section (as release 0.1 sent every
/// one): refused when the register's rule asks for fingerprints or a
/// signature and either its workstation has sent the section before (it
/// was upgraded, and its queue arrives in order, so this is not an old
/// application: whatever its date says) or it is dated on or after the
/// register's cut-over date. Where the rule asks for neither, an absent
/// section says what an empty one would, and is accepted at any date. An
/// unreadable date is refused at `application_date` already.
fn absent_biometrics(
    p: &mut Problems,
    applied: Option<chrono::NaiveDate>,
    required: bool,
    cutover: &Cutover,
) {
    if !required {
        return;
    }
    if let Some(first) = &cutover.upgraded_by {
        p.push(
            "biometrics",
            BIOMETRICS_REQUIRED,
            &format!(
                "required: this workstation has sent biometrics since application {first}, so an application of its without them is refused whatever its date"
            ),
        );
    } else if let (Some(from), Some(on)) = (cutover.required_from, applied)
        && on >= from
    {
        p.push(
            "biometrics",
            BIOMETRICS_REQUIRED,
            &format!(
                "required for an application dated {from} or later whose applicant gives fingerprints or a signature"
            ),
        );
    }
}

/// What the register itself requires of the biometrics, from the kind and
/// the applicant's age on the application date by the domain's own rule
/// (`BiometricsRequirement::new`, the function the counter uses): the
/// counter's `fingerprints_required` and `signature_required` are claims,
/// and one that differs from the rule is refused. The signature's age is an
/// office setting (12 or 13): the register requires it from 13 and leaves
/// it to the counter's flag at exactly 12. When the age cannot be read the
/// flags are used, and the birth date or the date is refused anyway.
fn requirement(p: &mut Problems, r: &SubmitApplication, age: Option<u32>) -> (bool, bool) {
    use passport_domain::application::ApplicationRules;
    use passport_domain::biometrics::BiometricsRequirement;
    let Some(age) = age else {
        return (r.fingerprints_required, r.signature_required);
    };
    // Only the ages matter here; the date is not read.
    let rules = ApplicationRules::new(chrono::NaiveDate::MIN);
    let temporary = matches!(r.kind, ApplicationKind::Temporary { .. });
    let at = |signature_age| {
        BiometricsRequirement::new(temporary, age, rules.fingerprint_age, signature_age)
    };
    let (early, late) = (at(12), at(13));
    let fingerprints = early.fingerprints;
    let signature = if early.signature == late.signature {
        late.signature
    } else {
        r.signature_required
    };
    if r.fingerprints_required != fingerprints {
        p.push(
            "fingerprints_required",
            "fingerprints",
            "not what the rule gives for this kind and age (fingerprints from 12, never for a temporary passport)",
        );
    }
    if r.signature_required != signature {
        p.push(
            "signature_required",
            "signature",
            "not what the rule gives for this age (the signature from 13, at 12 by the office's setting)",
        );
    }
    (fingerprints, signature)
}

fn domain_finger(w: FingerPosition) -> passport_domain::biometrics::FingerPosition {
    use FingerPosition as W;
    use passport_domain::biometrics::FingerPosition as F;
    match w {
        W::LeftThumb => F::LeftThumb,
        W::LeftIndex => F::LeftIndex,
        W::LeftMiddle => F::LeftMiddle,
        W::LeftRing => F::LeftRing,
        W::LeftLittle => F::LeftLittle,
        W::RightThumb => F::RightThumb,
        W::RightIndex => F::RightIndex,
        W::RightMiddle => F::RightMiddle,
        W::RightRing => F::RightRing,
        W::RightLittle => F::RightLittle,
    }
}

/// An image: strict base64 within its size, the hash of its bytes, and a
/// PNG of the stated size that decodes whole and is not blank (the
/// domain's decoder, the counter's own rule).
fn png_image(
    p: &mut Problems,
    path: &str,
    code: &str,
    img: &WirePngImage,
    bounds: &passport_domain::biometrics::ImageBounds,
) {
    let b64 = format!("{path}.base64");
    if img.base64.len() > bounds.max_bytes.div_ceil(3) * 4 {
        p.push(&b64, code, "over size");
        return;
    }
    let Some(bytes) = decode_base64(&img.base64) else {
        p.push(
            &b64,
            code,
            "not base64 (RFC 4648 standard alphabet, padded)",
        );
        return;
    };
    if img.sha256 != format!("{:x}", Sha256::digest(&bytes)) {
        p.push(
            &format!("{path}.sha256"),
            code,
            "not the SHA-256 (64 lower-case hex digits) of the decoded bytes",
        );
    }
    match passport_domain::biometrics::PngImage::decode(bytes, bounds, &b64) {
        Ok(png) if (png.width(), png.height()) == (img.width, img.height) => {}
        Ok(_) => p.push(&format!("{path}.width"), code, "not the PNG's size"),
        Err(e) => p.push(&b64, code, e.message.get(passport_domain::Lang::En)),
    }
}

/// The field code of a confirming supervisor the register has no account
/// for.
const SUPERVISOR_UNKNOWN: &str = "supervisor_unknown";

/// The field code of a confirming "supervisor" whose account has another
/// role (a clerk's).
const NOT_A_SUPERVISOR: &str = "not_a_supervisor";

/// The supervisor who confirmed a temporarily impossible finger: an account
/// of this register with the supervisor role. The simulator's accounts
/// belong to no office (every office knows them: `seed::CLERKS`), so there
/// is no office to match against the application's.
fn supervisor(p: &mut Problems, exception_at: &str, supervisor_id: &str) {
    let at = format!("{exception_at}.supervisor_id");
    match crate::seed::account(supervisor_id) {
        Some(a) if a.role == "supervisor" => {}
        Some(_) => p.push(
            &at,
            NOT_A_SUPERVISOR,
            "this account is not a supervisor's: only a supervisor confirms a temporarily impossible finger",
        ),
        None => p.push(&at, SUPERVISOR_UNKNOWN, "no account of this register has this id"),
    }
}

/// The biometrics' rules: each part present exactly when required, the
/// images whole, the fallback order of fingers, a supervisor of this
/// register for a temporary exception.
fn biometrics(
    p: &mut Problems,
    b: &Biometrics,
    fingerprints_required: bool,
    signature_required: bool,
) {
    use passport_domain::biometrics::{FINGER_IMAGE, Hand, SIGNATURE_IMAGE, next_finger};
    match (&b.fingerprints, fingerprints_required) {
        (Some(_), false) => p.push(
            "biometrics.fingerprints",
            "fingerprints",
            "given although not required",
        ),
        (None, true) => p.push("biometrics.fingerprints", "fingerprints", "required"),
        (None, false) => {}
        (Some(f), true) => {
            let mut seen = Vec::new();
            for (i, c) in f.captures.iter().enumerate() {
                let at = format!("biometrics.fingerprints.captures[{i}]");
                if c.quality > 100 {
                    p.push(&format!("{at}.quality"), "quality", "over 100");
                }
                png_image(
                    p,
                    &format!("{at}.image"),
                    "fingerprint_image",
                    &c.image,
                    &FINGER_IMAGE,
                );
                seen.push(domain_finger(c.position));
            }
            for (i, x) in f.exceptions.iter().enumerate() {
                let at = format!("biometrics.fingerprints.exceptions[{i}]");
                let temporary = x.reason == FingerExceptionReason::TemporarilyImpossible;
                match &x.supervisor_id {
                    Some(s) if temporary && valid_clerk_id(s) => supervisor(p, &at, s),
                    None if !temporary => {}
                    _ => p.push(
                        &format!("{at}.supervisor_id"),
                        "fingerprints",
                        "a supervisor's id exactly for a temporarily impossible finger",
                    ),
                }
                seen.push(domain_finger(x.position));
            }
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            if unique.len() != seen.len() {
                p.push(
                    "biometrics.fingerprints",
                    "fingerprints",
                    "a finger given twice",
                );
            }
            let excepted = |q| f.exceptions.iter().any(|x| domain_finger(x.position) == q);
            for hand in [Hand::Left, Hand::Right] {
                let taken: Vec<_> = f
                    .captures
                    .iter()
                    .map(|c| domain_finger(c.position))
                    .filter(|q| q.hand() == hand)
                    .collect();
                let ok = match (next_finger(hand, excepted), taken.as_slice()) {
                    (Some(expected), [one]) => *one == expected,
                    (None, []) => true,
                    _ => false,
                };
                if !ok {
                    p.push(
                        "biometrics.fingerprints",
                        "fingerprints",
                        "each hand: the first of index, middle, ring, thumb without an exception, or an exception for every one",
                    );
                }
            }
        }
    }
    match (&b.signature, signature_required) {
        (Some(_), false) => p.push(
            "biometrics.signature",
            "signature",
            "given although not required",
        ),
        (None, true) => p.push("biometrics.signature", "signature", "required"),
        (None, false) => {}
        (Some(Signature::Signed { image }), true) => {
            png_image(
                p,
                "biometrics.signature.image",
                "signature_image",
                image,
                &SIGNATURE_IMAGE,
            );
        }
        (Some(Signature::CannotSign { reason }), true) => {
            let n = reason.trim().chars().count();
            if !(3..=200).contains(&n)
                || passport_domain::text::check_free_text(reason, "reason").is_err()
            {
                p.push(
                    "biometrics.signature.reason",
                    "signature",
                    "3-200 characters, no control or format characters",
                );
            }
        }
    }
}

/// The applicant's rules; gives the birth date when it is one.
fn applicant(p: &mut Problems, a: &Applicant) -> Option<chrono::NaiveDate> {
    p.text("applicant.surname", &a.surname);
    p.text("applicant.given_names", &a.given_names);
    p.text("applicant.birth_place", &a.birth_place);
    let birth = p.date("applicant.birth_date", &a.birth_date);
    match Pesel::parse(&a.pesel) {
        Err(_) => p.push("applicant.pesel", "pesel", "not a valid PESEL"),
        Ok(pesel) => {
            if birth.is_some_and(|b| b != pesel.birth_date()) {
                p.push(
                    "applicant.birth_date",
                    "pesel_mismatch",
                    "differs from the birth date in the PESEL",
                );
            }
            let sex = match a.sex {
                WireSex::F => Sex::Female,
                WireSex::M => Sex::Male,
            };
            if pesel.sex() != sex {
                p.push(
                    "applicant.sex",
                    "pesel_mismatch",
                    "differs from the sex in the PESEL",
                );
            }
        }
    }
    if !is_country(&a.citizenship) {
        p.push("applicant.citizenship", "country", "not three letters A-Z");
    }
    if let Some(ad) = &a.address {
        address(p, ad);
    }
    if let Some(c) = &a.contact {
        contact(p, c);
    }
    birth
}

/// ISO 3166-1 alpha-3 in form: three capital letters.
fn is_country(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn address(p: &mut Problems, a: &Address) {
    p.opt_text("applicant.address.street", a.street.as_deref());
    p.text("applicant.address.building", &a.building);
    p.opt_text("applicant.address.flat", a.flat.as_deref());
    p.text("applicant.address.city", &a.city);
    let country = a.country.as_deref();
    if country.is_some_and(|c| !is_country(c)) {
        p.push(
            "applicant.address.country",
            "country",
            "not three letters A-Z",
        );
    }
    if country.is_none_or(|c| c == "POL") {
        let b = a.postal_code.as_bytes();
        let polish = b.len() == 6
            && b.iter().enumerate().all(|(i, c)| {
                if i == 2 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !polish {
            p.push(
                "applicant.address.postal_code",
                "postal_code",
                "a Polish postal code is NN-NNN",
            );
        }
    } else {
        p.text("applicant.address.postal_code", &a.postal_code);
    }
}

fn contact(p: &mut Problems, c: &Contact) {
    p.opt_text("applicant.contact.phone", c.phone.as_deref());
    if let Some(email) = &c.email {
        let before = p.0.len();
        p.text("applicant.contact.email", email);
        let well_formed = email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
        });
        if p.0.len() == before && !well_formed {
            p.push(
                "applicant.contact.email",
                "email",
                "not an e-mail address (one @, a dot in the domain)",
            );
        }
    }
}

fn kind(p: &mut Problems, k: &ApplicationKind) {
    match k {
        ApplicationKind::Passport => {}
        ApplicationKind::Temporary {
            urgent_reason,
            validity_days,
        } => {
            p.text("kind.urgent_reason", urgent_reason);
            if !(1..=365).contains(validity_days) {
                p.push("kind.validity_days", "validity", "not 1 to 365");
            }
        }
        ApplicationKind::Second {
            justification,
            existing_passport,
        } => {
            p.text("kind.justification", justification);
            p.passport_number("kind.existing_passport", existing_passport);
        }
    }
}

/// A minor (under 18 on the application date) has guardians; an adult none.
fn guardians(p: &mut Problems, gs: &[Guardian], age: Option<u32>) {
    match age {
        Some(a) if a >= 18 && !gs.is_empty() => p.push(
            "guardians",
            "guardians",
            "the applicant is an adult: no guardians are given",
        ),
        Some(a) if a < 18 && gs.is_empty() => p.push(
            "guardians",
            "guardians",
            "the applicant is a minor: a parent or guardian is required",
        ),
        _ => {}
    }
    for (i, g) in gs.iter().enumerate() {
        if Pesel::parse(&g.pesel).is_err() {
            p.push(
                &format!("guardians[{i}].pesel"),
                "pesel",
                "not a valid PESEL",
            );
        }
        p.text(&format!("guardians[{i}].surname"), &g.surname);
        p.text(&format!("guardians[{i}].given_names"), &g.given_names);
    }
}

/// Years 10 from age 12, 5 under 12, for a passport or a second one; days
/// 1-365, the same as the kind's, for a temporary one.
fn validity(p: &mut Problems, k: &ApplicationKind, v: Validity, age: Option<u32>) {
    match (k, v) {
        (ApplicationKind::Temporary { validity_days, .. }, Validity::Days(d)) => {
            if !(1..=365).contains(&d) {
                p.push("validity.days", "validity", "not 1 to 365");
            } else if d != *validity_days {
                p.push(
                    "validity.days",
                    "validity",
                    "differs from kind.validity_days",
                );
            }
        }
        (ApplicationKind::Temporary { .. }, Validity::Years(_)) => p.push(
            "validity",
            "validity",
            "a temporary passport is valid for days",
        ),
        (_, Validity::Days(_)) => p.push(
            "validity",
            "validity",
            "a passport is valid for 5 or 10 years",
        ),
        (_, Validity::Years(y)) => {
            if y != 5 && y != 10 {
                p.push("validity.years", "validity", "not 5 or 10");
            } else if age.is_some_and(|a| (a >= 12) != (y == 10)) {
                p.push(
                    "validity.years",
                    "validity",
                    "10 years from age 12, 5 under 12",
                );
            }
        }
    }
}

fn photo(p: &mut Problems, ph: &Photo) {
    if ph.mime != "image/jpeg" && ph.mime != "image/png" {
        p.push("photo.mime", "photo", "not image/jpeg or image/png");
    }
    if ph.base64.is_empty() {
        p.push("photo.base64", "photo", "the photo is missing");
        return;
    }
    // Refused by length before decoding: 4 characters for every 3 bytes.
    if ph.base64.len() > PHOTO_MAX_BYTES.div_ceil(3) * 4 {
        p.push("photo.base64", "photo", "over 5 MiB decoded");
        return;
    }
    let Some(bytes) = decode_base64(&ph.base64) else {
        p.push(
            "photo.base64",
            "photo",
            "not base64 (RFC 4648 standard alphabet, padded)",
        );
        return;
    };
    if bytes.len() > PHOTO_MAX_BYTES {
        p.push("photo.base64", "photo", "over 5 MiB decoded");
    }
    if ph.sha256 != format!("{:x}", Sha256::digest(&bytes)) {
        p.push(
            "photo.sha256",
            "photo",
            "not the SHA-256 (64 lower-case hex digits) of the decoded bytes",
        );
    }
}

/// Strict RFC 4648 base64, standard alphabet, padded: no whitespace, no
/// missing or misplaced padding, no stray bits in the last character. A
/// dozen lines here rather than a new dependency for the simulator.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let b = s.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    let last = b.len() / 4 - 1;
    for (i, quad) in b.chunks_exact(4).enumerate() {
        let pad = quad.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && i != last) {
            return None;
        }
        let mut n = 0u32;
        for c in &quad[..4 - pad] {
            n = (n << 6) | value(*c)?;
        }
        n <<= 6 * pad;
        let [_, b0, b1, b2] = n.to_be_bytes();
        match pad {
            0 => out.extend_from_slice(&[b0, b1, b2]),
            1 if b2 == 0 => out.extend_from_slice(&[b0, b1]),
            2 if b1 == 0 && b2 == 0 => out.push(b0),
            _ => return None,
        }
    }
    Some(out)
}

/// Every rule a hand-over breaks.
pub fn check_handover(r: &RecordHandover) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    p.passport_number("document_number", &r.document_number);
    p.origin(&r.office, &r.workstation, &r.clerk_id, &r.device_time);
    match &r.collected_by {
        Collector::Holder => {}
        Collector::Parent {
            pesel,
            surname,
            given_names,
        }
        | Collector::LegalGuardian {
            pesel,
            surname,
            given_names,
            ..
        } => {
            if Pesel::parse(pesel).is_err() {
                p.push("collected_by.pesel", "pesel", "not a valid PESEL");
            }
            p.text("collected_by.surname", surname);
            p.text("collected_by.given_names", given_names);
        }
    }
    if let Collector::LegalGuardian {
        court_ruling: Some(r),
        ..
    } = &r.collected_by
    {
        // The pattern the contract states, checked as the domain does it.
        let path = "collected_by.court_ruling";
        match collection::court_ruling(r, path) {
            Ok(normalised) if normalised == *r => {}
            _ => p.push(
                path,
                "court_ruling",
                "not a court case reference such as `III RNs 123/24`",
            ),
        }
    }
    p.text("identity_check", &r.identity_check);
    if let Some(prev) = &r.previous_passport {
        p.passport_number("previous_passport", prev);
    }
    p.0
}

/// Who may collect this document, once it is found: the holder's age
/// (from the birth date the register holds, on `today`) and the guardians
/// named on its application (`None` when the register has no application
/// for it) decide, by the domain's rule (`passport_domain::collection`).
pub fn check_collector(
    r: &RecordHandover,
    holder_pesel: &str,
    holder_birth: chrono::NaiveDate,
    today: chrono::NaiveDate,
    guardians: Option<&[Guardian]>,
) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    let (role, pesel, court_ruling) = match &r.collected_by {
        Collector::Holder => (CollectorRole::Holder, None, None),
        Collector::Parent { pesel, .. } => (CollectorRole::Parent, Pesel::parse(pesel).ok(), None),
        Collector::LegalGuardian {
            pesel,
            court_ruling,
            ..
        } => (
            CollectorRole::LegalGuardian,
            Pesel::parse(pesel).ok(),
            court_ruling.as_deref(),
        ),
    };
    // The application's guardians in the domain's terms; one that does not
    // read back (it passed these same rules when it was accepted) is left
    // out, so the collector is refused rather than let through.
    let guardians: Option<Vec<passport_domain::Guardian>> = guardians.map(|gs| {
        gs.iter()
            .filter_map(|g| {
                Some(passport_domain::Guardian {
                    role: match g.role {
                        WireGuardianRole::Mother => GuardianRole::Mother,
                        WireGuardianRole::Father => GuardianRole::Father,
                        WireGuardianRole::LegalGuardian => GuardianRole::LegalGuardian,
                    },
                    pesel: Pesel::parse(&g.pesel).ok()?,
                    surname: g.surname.clone(),
                    given_names: g.given_names.clone(),
                })
            })
            .collect()
    });
    let c = Collection {
        holder_minor: age_on(holder_birth, today) < 18,
        holder_pesel,
        guardians: guardians.as_deref(),
        role,
        collector_pesel: pesel.as_ref(),
        court_ruling,
    };
    let paths = CollectorPaths {
        role: "collected_by.role",
        pesel: "collected_by.pesel",
        court_ruling: "collected_by.court_ruling",
    };
    for e in collection::check(&c, paths) {
        p.push(&e.path, &e.code, e.message.get(passport_domain::Lang::En));
    }
    p.0
}

/// Every rule an invalidation breaks.
pub fn check_invalidation(r: &InvalidateDocument) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    p.passport_number("document_number", &r.document_number);
    p.origin(&r.office, &r.workstation, &r.clerk_id, &r.device_time);
    p.0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64_is_strict() {
        assert_eq!(decode_base64("TWFu").unwrap(), b"Man");
        assert_eq!(decode_base64("TWE=").unwrap(), b"Ma");
        assert_eq!(decode_base64("TQ==").unwrap(), b"M");
        assert_eq!(decode_base64("iVBORw0KGgo=").unwrap(), b"\x89PNG\r\n\x1a\n");
        for bad in [
            "", "TWF", "TW=u", "TQ=", "TR==", "TWE=TWFu", "TW u", "TQ===", "====", "T-8_",
        ] {
            assert_eq!(decode_base64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_are_exactly_yyyy_mm_dd() {
        assert!(strict_date("2026-11-22").is_some());
        for bad in [
            "2026-1-22",
            "+2026-11-22",
            "2026-02-30",
            "20261122",
            "2026-11-22 ",
        ] {
            assert!(strict_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn clerk_ids() {
        assert!(valid_clerk_id("demo-clerk"));
        assert!(valid_clerk_id("anna.nowak@waw1_2"));
        assert!(!valid_clerk_id(""));
        assert!(!valid_clerk_id(&"a".repeat(65)));
        assert!(!valid_clerk_id("anna nowak"));
        assert!(!valid_clerk_id("anna\u{200B}"));
    }
}
