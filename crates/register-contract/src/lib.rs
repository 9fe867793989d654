//! The central passport register's HTTP contract, version 1: plain serde
//! types shared by the register simulator and the counter's client, and the
//! OpenAPI 3 document generated from them (`docs/register-openapi.json`,
//! kept fresh by a test). The rules below are the document's
//! `info.description` too, so a register team reads the same text.
//!
//! # Rules every endpoint follows
//!
#![doc = include_str!("spec.md")]
#![allow(clippy::needless_for_each)] // inside utoipa's derive

use serde::{Deserialize, Serialize};
use utoipa::openapi::{self, OpenApi as OpenApiDoc};
use utoipa::{Modify, OpenApi, ToSchema};

/// The header carrying the idempotency key of a write.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// The largest request body a register must accept (16 MiB); a longer one
/// is 413 `payload_too_large`.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How long a register keeps an idempotency key and its answer, at least:
/// longer than any offline period a counter's policy allows.
pub const MIN_KEY_RETENTION_DAYS: u32 = 90;

/// The longest idempotency key a register must accept.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 200;

/// Whether `key` is an idempotency key every register accepts: 1 to 200
/// visible ASCII characters.
pub fn valid_idempotency_key(key: &str) -> bool {
    (1..=MAX_IDEMPOTENCY_KEY_LEN).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Paths, relative to the register's base URL.
pub mod paths {
    pub const HEALTH: &str = "/v1/health";
    pub const APPLICATIONS: &str = "/v1/applications";
    pub const HANDOVERS: &str = "/v1/handovers";
    pub const INVALIDATIONS: &str = "/v1/invalidations";
    pub const CLERK_LOGIN: &str = "/v1/clerks/login";

    pub fn application(number: &str) -> String {
        format!("/v1/applications/{number}")
    }

    pub fn ready_documents(office: &str) -> String {
        format!("/v1/offices/{office}/ready-documents")
    }

    pub fn person_documents(pesel: &str) -> String {
        format!("/v1/persons/{pesel}/documents")
    }

    pub fn clerk(clerk_id: &str) -> String {
        format!("/v1/clerks/{clerk_id}")
    }

    /// Where a workstation's chain heads are reported (once per sync round).
    pub fn chain(office: &str, workstation: &str) -> String {
        format!("/v1/offices/{office}/workstations/{workstation}/chain")
    }
}

/// Why the register refused a request: the `code` of every [`Problem`].
///
/// A register sends only these. A counter reads any string (a later minor
/// version may add codes), so [`Problem::code`] stays text on the wire and
/// [`Problem::kind`] gives this enum, or `None` for a code this release does
/// not know; the counter then goes by the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    BadRequest,
    PayloadTooLarge,
    Validation,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
    UnknownOffice,
    UnknownDocument,
    DocumentAlreadyIssued,
    DocumentInvalidated,
    ApplicationNumberTaken,
    NotReadyHere,
    UnknownApplication,
    UnknownClerk,
    InvalidCredentials,
    NotFound,
    MethodNotAllowed,
    Overloaded,
    Unavailable,
    Internal,
    ChainFork,
}

impl ProblemCode {
    /// Every code, in the order the document lists them.
    pub const ALL: [ProblemCode; 20] = [
        Self::BadRequest,
        Self::PayloadTooLarge,
        Self::Validation,
        Self::IdempotencyKeyMissing,
        Self::IdempotencyKeyReused,
        Self::UnknownOffice,
        Self::UnknownDocument,
        Self::DocumentAlreadyIssued,
        Self::DocumentInvalidated,
        Self::ApplicationNumberTaken,
        Self::NotReadyHere,
        Self::UnknownApplication,
        Self::UnknownClerk,
        Self::InvalidCredentials,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Overloaded,
        Self::Unavailable,
        Self::Internal,
        Self::ChainFork,
    ];

    /// The code as it is written on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Validation => "validation",
            Self::IdempotencyKeyMissing => "idempotency_key_missing",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::UnknownOffice => "unknown_office",
            Self::UnknownDocument => "unknown_document",
            Self::DocumentAlreadyIssued => "document_already_issued",
            Self::DocumentInvalidated => "document_invalidated",
            Self::ApplicationNumberTaken => "application_number_taken",
            Self::NotReadyHere => "not_ready_here",
            Self::UnknownApplication => "unknown_application",
            Self::UnknownClerk => "unknown_clerk",
            Self::InvalidCredentials => "invalid_credentials",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Overloaded => "overloaded",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::ChainFork => "chain_fork",
        }
    }

    /// The code `text` names, or `None` for one this release does not know.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The HTTP status a register answers with this code.
    pub const fn status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::InvalidCredentials => 401,
            Self::UnknownApplication | Self::UnknownClerk | Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::UnknownOffice
            | Self::UnknownDocument
            | Self::DocumentAlreadyIssued
            | Self::DocumentInvalidated
            | Self::ApplicationNumberTaken
            | Self::NotReadyHere
            | Self::ChainFork => 409,
            Self::PayloadTooLarge => 413,
            Self::Validation | Self::IdempotencyKeyMissing | Self::IdempotencyKeyReused => 422,
            Self::Overloaded => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }

    /// What the code means, and what a counter does with it.
    pub const fn meaning(self) -> &'static str {
        match self {
            Self::BadRequest => {
                "The body is not well-formed JSON, its content type is not application/json, a query parameter (such as a cursor the register did not issue, or a limit outside 1-500) cannot be read, or the request line or headers are too long to read (then with HTTP status 414 or 431). Final: fix the request."
            }
            Self::PayloadTooLarge => "The body is over 16 MiB. Final.",
            Self::Validation => {
                "The request decodes but breaks a field rule; `fields` names each field (path, code, message). Recorded under the idempotency key and replayed. Final: the counter shows it for correction."
            }
            Self::IdempotencyKeyMissing => {
                "A write came without an Idempotency-Key, with an empty one, or with one that is not 1-200 visible ASCII characters. Not recorded. Final for that request."
            }
            Self::IdempotencyKeyReused => {
                "The Idempotency-Key was first used with another request (another body or another endpoint). The first answer stays recorded. Final: a counter bug or a damaged journal; a supervisor must look."
            }
            Self::UnknownOffice => {
                "The office code is not one the register knows. Final (a rejection: the counter's configuration is wrong)."
            }
            Self::UnknownDocument => {
                "No document with this number at the register. Final (a rejection)."
            }
            Self::DocumentAlreadyIssued => {
                "The document was already handed over (perhaps at another counter). Final (a conflict: a supervisor must look)."
            }
            Self::DocumentInvalidated => {
                "The document was invalidated. Final (a conflict: a supervisor must look)."
            }
            Self::ApplicationNumberTaken => {
                "An application with this number exists under another idempotency key. Final (a conflict: the counter sent one action twice, or two counters share an office and workstation code)."
            }
            Self::NotReadyHere => {
                "The document waits at another office. Final (a conflict: a supervisor must look)."
            }
            Self::UnknownApplication => "No application with this number. Final.",
            Self::UnknownClerk => {
                "No active clerk account with this id (unknown or closed). Final."
            }
            Self::InvalidCredentials => {
                "The clerk id or password is wrong, or the account is not active at this office. Final."
            }
            Self::NotFound => "No such endpoint. Final.",
            Self::MethodNotAllowed => "The endpoint does not take this method. Final.",
            Self::Overloaded => {
                "Over the register's capacity; nothing was applied. Retry after Retry-After (a write with the same key)."
            }
            Self::Unavailable => {
                "The register is unavailable; nothing was applied. Retry after Retry-After (a write with the same key)."
            }
            Self::Internal => {
                "An internal error: a write may or may not have been applied; retry it with the same key and body, and the register replays the first answer if it was. A read changed nothing: send it again."
            }
            Self::ChainFork => {
                "The chain heads a workstation reported do not extend the ones the register saw from it before: the counter's journal or audit log was rewritten (an entry removed and the chain recomputed, or an older copy restored). Final: nothing is recorded; a supervisor and office IT must look (`counterctl audit verify`)."
            }
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Problem codes as text, for code that compares [`Problem::code`] as a
/// string; new code should use [`ProblemCode`] and [`Problem::kind`].
pub mod codes {
    use super::ProblemCode as C;

    pub const DOCUMENT_ALREADY_ISSUED: &str = C::DocumentAlreadyIssued.as_str();
    pub const DOCUMENT_INVALIDATED: &str = C::DocumentInvalidated.as_str();
    pub const UNKNOWN_DOCUMENT: &str = C::UnknownDocument.as_str();
    pub const UNKNOWN_OFFICE: &str = C::UnknownOffice.as_str();
    pub const APPLICATION_NUMBER_TAKEN: &str = C::ApplicationNumberTaken.as_str();
    pub const NOT_READY_HERE: &str = C::NotReadyHere.as_str();
    pub const VALIDATION: &str = C::Validation.as_str();
    pub const IDEMPOTENCY_KEY_REUSED: &str = C::IdempotencyKeyReused.as_str();
    pub const IDEMPOTENCY_KEY_MISSING: &str = C::IdempotencyKeyMissing.as_str();
    pub const OVERLOADED: &str = C::Overloaded.as_str();
    pub const UNAVAILABLE: &str = C::Unavailable.as_str();
    pub const UNKNOWN_CLERK: &str = C::UnknownClerk.as_str();
    pub const INVALID_CREDENTIALS: &str = C::InvalidCredentials.as_str();
    pub const BAD_REQUEST: &str = C::BadRequest.as_str();
    pub const PAYLOAD_TOO_LARGE: &str = C::PayloadTooLarge.as_str();
    pub const INTERNAL: &str = C::Internal.as_str();
    pub const CHAIN_FORK: &str = C::ChainFork.as_str();
}

/// An error answer (RFC 7807 in spirit): every non-2xx answer carries one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Machine-readable reason, one of `ProblemCode`. A client must also
    /// accept a code it does not know (a later minor version may add codes)
    /// and then decide by the HTTP status.
    // Text in Rust for that reason; `Problem::kind` gives the enum.
    #[schema(value_type = ProblemCode)]
    pub code: String,
    /// For people, in English; the counter shows its own Polish text by code.
    pub message: String,
    /// Field errors (422 `validation` only; absent otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

/// One field that broke a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// Dotted path of the field in the request (`applicant.pesel`); empty
    /// when the body as a whole does not decode.
    pub path: String,
    /// Which rule: `json` (the body does not have the request's shape),
    /// `text` (empty, over 200 characters, or control/invisible characters),
    /// `date` (not YYYY-MM-DD, or an application date in the future),
    /// `datetime` (not RFC 3339), `pesel` (not 11 digits with a valid check
    /// digit and date), `pesel_mismatch` (birth date or sex differ from the
    /// PESEL), `number` (not a valid application number of this office and
    /// workstation), `passport_number` (not 2 capital letters and 7 digits),
    /// `office`, `workstation`, `clerk_id`, `country` (not 3 letters A-Z),
    /// `postal_code` (not `NN-NNN` in Poland), `email`, `guardians` (given
    /// for an adult or missing for a minor), `reduction` (student from age
    /// 26), `validity`, `photo` (missing, not base64, over 5 MiB, another
    /// type, or a `sha256` that is not the decoded bytes'), `fingerprints`
    /// (given when not required or missing when required, a finger out of
    /// the fallback order, a second finger on one hand, an exception
    /// without its supervisor), `supervisor_unknown` and `not_a_supervisor`
    /// (at an exception's `supervisor_id`: no account of the register, or
    /// an account without the supervisor role), `fingerprint_image` and
    /// `signature_image` (not base64, over size, not a PNG of the stated
    /// size, corrupt or blank, or a `sha256` that is not the decoded
    /// bytes'), `quality`
    /// (over 100), `signature` (given when not required or missing when
    /// required; a `cannot_sign` reason breaking the free-text rule),
    /// `biometrics_required` (at `biometrics`: an application without the
    /// biometrics section after the cut-over; see `biometrics`). A
    /// register may add codes.
    pub code: String,
    pub message: String,
}

impl Problem {
    /// A problem with a code given as text (one read from outside, or a
    /// code this release does not know).
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// A problem with one of the contract's codes: what a register sends.
    pub fn of(code: ProblemCode, message: impl Into<String>) -> Self {
        Self::new(code.as_str(), message)
    }

    /// The code, if this release knows it.
    pub fn kind(&self) -> Option<ProblemCode> {
        ProblemCode::parse(&self.code)
    }
}

/// Who a record is about, as the register keeps it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    /// 11 digits; see `Applicant.pesel`.
    #[schema(pattern = r"^[0-9]{11}$")]
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    pub birth_date: String,
    /// `F` or `M`.
    #[schema(pattern = r"^[FM]$")]
    pub sex: String,
}

/// The applicant's photo, as taken at the counter.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Photo {
    /// `image/jpeg` or `image/png`.
    #[schema(pattern = r"^image/(jpeg|png)$")]
    pub mime: String,
    /// Hex SHA-256 of the decoded bytes (64 lower-case hex digits); another
    /// value is 422 (`photo.sha256`).
    #[schema(pattern = r"^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The bytes, base64 (RFC 4648 standard alphabet, padded); at most
    /// 5 MiB decoded. Must not be empty.
    #[schema(min_length = 1)]
    pub base64: String,
}

/// Sex as written in the PESEL and the MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Sex {
    F,
    M,
}

/// What is applied for, with what that kind needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ApplicationKind {
    /// A passport (10 years from age 12, else 5).
    Passport,
    /// A temporary passport, for a documented urgent case.
    Temporary {
        /// Free text (1-200 characters, no control or format characters).
        urgent_reason: String,
        /// 1 to 365.
        #[schema(minimum = 1, maximum = 365)]
        validity_days: u32,
    },
    /// A second passport, on justified grounds.
    Second {
        /// Free text (1-200 characters, no control or format characters).
        justification: String,
        /// The passport the holder keeps: 2 capital letters and 7 digits.
        #[schema(pattern = r"^[A-Z]{2}[0-9]{7}$")]
        existing_passport: String,
    },
}

/// A postal address. Every text member: 1-200 characters, no control or
/// format characters.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: Option<String>,
    pub building: String,
    pub flat: Option<String>,
    /// `NN-NNN` (two digits, a hyphen, three digits) when `country` is
    /// `POL` or absent; abroad, free text in the local form.
    pub postal_code: String,
    pub city: String,
    /// ISO 3166-1 alpha-3; absent means Poland.
    #[schema(pattern = r"^[A-Z]{3}$")]
    pub country: Option<String>,
}

/// How to reach the applicant. Free text: 1-200 characters, no control or
/// format characters.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: Option<String>,
    /// Exactly one `@`, something before it, and a dot inside the domain
    /// after it; no spaces.
    pub email: Option<String>,
}

/// The person the application is for, as the clerk entered and checked it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// PESEL: 11 digits `YYMMDDZZZXQ`. `YYMMDD` is the birth date, the
    /// month carrying the century (+80: 1800s, +0: 1900s, +20: 2000s,
    /// +40: 2100s, +60: 2200s); `X` is even for `F`, odd for `M`; `Q` is the
    /// check digit: (10 - (sum of the first ten digits weighted
    /// 1,3,7,9,1,3,7,9,1,3) mod 10) mod 10. It must agree with `birth_date`
    /// and `sex` (422 `pesel_mismatch`).
    #[schema(pattern = r"^[0-9]{11}$")]
    pub pesel: String,
    /// 1-200 characters, no control or format characters.
    pub surname: String,
    /// 1-200 characters, no control or format characters; several names
    /// separated by spaces.
    pub given_names: String,
    /// YYYY-MM-DD, a real calendar date.
    #[schema(format = Date)]
    pub birth_date: String,
    /// 1-200 characters, no control or format characters.
    pub birth_place: String,
    pub sex: Sex,
    /// ISO 3166-1 alpha-3 (`POL`).
    #[schema(pattern = r"^[A-Z]{3}$")]
    pub citizenship: String,
    pub address: Option<Address>,
    pub contact: Option<Contact>,
}

/// How a guardian is related to the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GuardianRole {
    Mother,
    Father,
    LegalGuardian,
}

/// A parent or legal guardian of a minor applicant.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    pub role: GuardianRole,
    /// A valid PESEL (see `Applicant.pesel`).
    #[schema(pattern = r"^[0-9]{11}$")]
    pub pesel: String,
    /// 1-200 characters, no control or format characters.
    pub surname: String,
    /// 1-200 characters, no control or format characters.
    pub given_names: String,
}

/// On what basis a minor's application was made. A `reference` is the
/// document's reference (free text, 1-200 characters).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "basis", rename_all = "snake_case", deny_unknown_fields)]
pub enum Consent {
    BothParentsPresent,
    OtherParentConsent { reference: String },
    CourtRuling { reference: String },
    OtherParentDeceased { reference: String },
    FatherUnknown,
}

/// A reduced fee the applicant claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reduction {
    None,
    Student,
    Pensioner,
    Disabled,
}

/// Which line of the fee schedule was charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeCase {
    Standard,
    Second,
    Temporary,
    #[serde(rename = "under_12")]
    Under12,
    Reduced,
    LargeFamilyStandard,
    LargeFamilyReduced,
    #[serde(rename = "large_family_under_12")]
    LargeFamilyUnder12,
    #[serde(rename = "age_70_plus")]
    Age70Plus,
}

/// The fee charged at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// In grosz (1/100 zł), an integer: 14000 is 140,00 zł; 0 when no fee
    /// is due (age 70 and over).
    #[schema(minimum = 0)]
    pub amount_grosz: u32,
    pub case: FeeCase,
    /// The schedule in force on the application date (YYYY-MM-DD).
    #[schema(format = Date)]
    pub schedule_from: String,
}

/// How long the document will be valid: `{"years": 10}` (from age 12) or
/// `{"years": 5}` (under 12) for a passport or a second passport;
/// `{"days": N}`, N from 1 to 365, for a temporary passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Years(u32),
    Days(u32),
}

// By hand: the derive gives each member only `minimum: 0` (from u32), and
// the document must state the rules the register enforces.
impl utoipa::PartialSchema for Validity {
    fn schema() -> openapi::RefOr<openapi::schema::Schema> {
        let member = |name: &str, value: openapi::ObjectBuilder| {
            openapi::ObjectBuilder::new()
                .property(name, value)
                .required(name)
                .build()
        };
        let years = openapi::ObjectBuilder::new()
            .schema_type(openapi::Type::Integer)
            .enum_values(Some([5, 10]));
        let days = openapi::ObjectBuilder::new()
            .schema_type(openapi::Type::Integer)
            .minimum(Some(1))
            .maximum(Some(365));
        openapi::OneOfBuilder::new()
            .item(member("years", years))
            .item(member("days", days))
            .description(Some(
                "How long the document will be valid: `{\"years\": 10}` (from age 12 on the application date) or `{\"years\": 5}` (under 12) for a passport or a second passport; `{\"days\": N}`, N from 1 to 365 and equal to the kind's `validity_days`, for a temporary passport.",
            ))
            .into()
    }
}

impl ToSchema for Validity {}

/// `POST /v1/applications`: everything the clerk entered and the counter
/// checked, field by field.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitApplication {
    /// Assigned at the counter with no coordination:
    /// `OFFICE-WS-SEQUENCE-CC`, e.g. `DEMO-01-000042-80`. `OFFICE` is this
    /// request's `office`, `WS` its `workstation`, `SEQUENCE` the
    /// workstation's own counter in decimal, from 0 to
    /// 18446744073709551615 (2^64 - 1), at least six digits and no more
    /// leading zeros than that needs; a larger sequence is 422 `number`
    /// although the pattern allows 20 digits. `CC` are two check digits:
    /// read `OFFICE`, `WS` and `SEQUENCE` without the hyphens as one base-36
    /// number (each character one digit: `0`-`9` are 0-9, `A`-`Z` are
    /// 10-35), let n be that number mod 97, then CC = 98 - (100 x n mod 97),
    /// written with two digits (02-98). That is the final step of
    /// ISO 7064 MOD 97-10 applied to the base-36 value; it is not the IBAN
    /// method, which first replaces each letter by two decimal digits (that
    /// would give 44 here). Worked example: `DEMO01000042` in base 36 is
    /// 1764570395971621010; mod 97 that is 6; 100 x 6 = 600, 600 mod 97 =
    /// 18; 98 - 18 = 80: `DEMO-01-000042-80`. Upper case; unique in the
    /// register (another key with the same number is 409
    /// `application_number_taken`).
    #[schema(pattern = r"^[A-Z0-9]{2,8}-[A-Z0-9]{1,4}-(?:[0-9]{6}|[1-9][0-9]{6,19})-[0-9]{2}$")]
    pub application_number: String,
    /// The office code: 2-8 capital letters or digits, known to the register
    /// (409 `unknown_office` otherwise).
    #[schema(pattern = r"^[A-Z0-9]{2,8}$")]
    pub office: String,
    /// The workstation id: 1-4 capital letters or digits.
    #[schema(pattern = r"^[A-Z0-9]{1,4}$")]
    pub workstation: String,
    /// The clerk's account identifier: 1-64 characters of `A-Z a-z 0-9 .
    /// _ @ -`.
    #[schema(pattern = r"^[A-Za-z0-9._@-]{1,64}$")]
    pub clerk_id: String,
    /// When the clerk saved it (RFC 3339), which may be long before it is sent.
    #[schema(format = DateTime)]
    pub device_time: String,
    /// The application date (YYYY-MM-DD) the fee and validity were set by;
    /// at most one day after the register's own date (counters' clocks and
    /// time zones differ), never later.
    #[schema(format = Date)]
    pub application_date: String,
    pub kind: ApplicationKind,
    pub applicant: Applicant,
    /// Whether the applicant was at the counter (a child under 5 need not be).
    pub applicant_present: bool,
    /// Parents or guardians: at least one for a minor (under 18 on
    /// `application_date`), none for an adult.
    pub guardians: Vec<Guardian>,
    /// For a minor: on what basis.
    pub consent: Option<Consent>,
    /// `student` only under 26 on `application_date`.
    pub reduction: Reduction,
    /// Large Family Card number, when one was shown: free text, 1-200
    /// characters, no control or format characters.
    pub large_family_card: Option<String>,
    /// The applicant's previous passport, when they have one: 2 capital
    /// letters and 7 digits.
    #[schema(pattern = r"^[A-Z]{2}[0-9]{7}$")]
    pub previous_passport: Option<String>,
    pub fee: Fee,
    pub validity: Validity,
    /// Fingerprints are taken from age 12 on `application_date`, never for a
    /// temporary passport. The register computes this itself from `kind` and
    /// the birth date and checks the biometrics against its own result: a
    /// flag that differs is 422 `fingerprints_required` (and likewise
    /// `signature_required`: from 13, at exactly 12 by the office's setting).
    pub fingerprints_required: bool,
    pub signature_required: bool,
    pub photo: Photo,
    /// The fingerprints and the signature. Absent from applications saved
    /// by counters before biometrics were taken (release 0.1); present in
    /// every later one.
    ///
    /// The cut-over. An application without this section is refused with
    /// 422 `validation` and one field error at `biometrics`, code
    /// `biometrics_required`, when the register's own rule (from `kind` and
    /// the age on `application_date`, as for `fingerprints_required` and
    /// `signature_required` above) asks for fingerprints or a signature,
    /// and either:
    ///
    /// - its `application_date` is on or after the register's
    ///   `biometrics_required_from` date, a setting of each register's
    ///   deployment, which it announces in its `GET /v1/health` answer
    ///   (`biometrics_required_from`, absent while none is set) so that
    ///   counter teams and office IT read by when every counter must be
    ///   upgraded (before it, release 0.1's applications, which may wait
    ///   in a counter's offline queue for days after its upgrade, are
    ///   accepted without the section); or
    /// - the register has already accepted an application with this
    ///   section from the same workstation (`office` and `workstation`),
    ///   whatever this one's date: that counter has been upgraded, and a
    ///   counter sends its queue in order, oldest first, so all its
    ///   release 0.1 applications came before. This stops a counter from
    ///   leaving the section out and backdating the application.
    ///
    /// Where the rule asks for neither (under 12; a temporary passport
    /// under the signing age), the section may be absent at any date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biometrics: Option<Biometrics>,
}

/// A finger, by the name MOSIP's biometric device specification gives it
/// in `bioSubType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum FingerPosition {
    #[serde(rename = "Left Thumb")]
    LeftThumb,
    #[serde(rename = "Left IndexFinger")]
    LeftIndex,
    #[serde(rename = "Left MiddleFinger")]
    LeftMiddle,
    #[serde(rename = "Left RingFinger")]
    LeftRing,
    #[serde(rename = "Left LittleFinger")]
    LeftLittle,
    #[serde(rename = "Right Thumb")]
    RightThumb,
    #[serde(rename = "Right IndexFinger")]
    RightIndex,
    #[serde(rename = "Right MiddleFinger")]
    RightMiddle,
    #[serde(rename = "Right RingFinger")]
    RightRing,
    #[serde(rename = "Right LittleFinger")]
    RightLittle,
}

/// A PNG image taken at the counter (a finger, a signature).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PngImage {
    /// As the PNG header states it. A finger is 150-2000 pixels a side, a
    /// signature 100-4000 wide and 30-2000 high.
    pub width: u32,
    pub height: u32,
    /// Hex SHA-256 of the decoded bytes (64 lower-case hex digits).
    #[schema(pattern = r"^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The PNG file, base64 (RFC 4648 standard alphabet, padded); at most
    /// 1 MiB decoded for a finger, 512 KiB for a signature. The register
    /// decodes it whole: a truncated, corrupt or uniform (blank) image is
    /// 422.
    #[schema(min_length = 1)]
    pub base64: String,
}

/// One finger taken: a flat print, its position and its quality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FingerImage {
    pub position: FingerPosition,
    /// The capture's quality score, 0-100 (the device's `qualityScore`).
    #[schema(minimum = 0, maximum = 100)]
    pub quality: u8,
    pub image: PngImage,
}

/// Why a finger was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FingerExceptionReason {
    /// Missing or amputated.
    Missing,
    /// Injured, bandaged: cannot be taken today; a supervisor confirmed it.
    TemporarilyImpossible,
}

/// A finger recorded as not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FingerException {
    pub position: FingerPosition,
    pub reason: FingerExceptionReason,
    /// The confirming supervisor's account identifier: present exactly
    /// when `reason` is `temporarily_impossible`. It names an account of
    /// this register with the supervisor role (an account the register
    /// does not know is 422 at this field, code `supervisor_unknown`; one
    /// with another role, a clerk's, code `not_a_supervisor`). A closed
    /// account still counts: the confirmation may have waited in a
    /// counter's offline queue since before it was closed.
    #[schema(pattern = r"^[A-Za-z0-9._@-]{1,64}$")]
    pub supervisor_id: Option<String>,
}

/// Two flat fingers, one from each hand, or the exceptions that stand in
/// for them. On each hand the fingers are taken in the order index,
/// middle, ring, thumb (the little finger never): the captured finger is
/// the first of that order without an exception, or every finger of that
/// order has one (422 `biometrics.fingerprints` otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Fingerprints {
    /// At most one a hand.
    pub captures: Vec<FingerImage>,
    pub exceptions: Vec<FingerException>,
}

/// The applicant's signature, or why there is none.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signature {
    /// Signed on the counter's pad: the image rendered from the strokes.
    Signed { image: PngImage },
    /// The applicant cannot sign: the reason as recorded (free text, 3-200
    /// characters, no control or format characters).
    CannotSign { reason: String },
}

/// The biometrics taken at the counter. Each part is present exactly when
/// the application's `fingerprints_required` or `signature_required` is
/// true (422 `biometrics.fingerprints` / `biometrics.signature`
/// otherwise): nothing is sent that the law does not ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Biometrics {
    pub fingerprints: Option<Fingerprints>,
    pub signature: Option<Signature>,
}

/// 201 to `POST /v1/applications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationReceipt {
    pub application_number: String,
    /// `accepted`.
    pub status: String,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub accepted_at: String,
}

/// `GET /v1/applications/{number}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationStatus {
    pub application_number: String,
    /// `accepted`, `in_personalisation`, `ready_for_collection`, `handed_over`.
    pub status: String,
    /// 2 capital letters and 7 digits, once personalised.
    pub document_number: Option<String>,
}

/// One document waiting at an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReadyDocument {
    /// 2 capital letters and 7 digits (`ER1234567`).
    #[schema(pattern = r"^[A-Z]{2}[0-9]{7}$")]
    pub document_number: String,
    pub application_number: Option<String>,
    pub holder: Person,
    /// The TD3 machine-readable zone, 44 characters each line.
    pub mrz_line1: String,
    pub mrz_line2: String,
    /// What the chip's DG1 must contain: the two MRZ lines, concatenated.
    pub expected_dg1_mrz: String,
    /// `ready_for_collection`.
    pub status: String,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub ready_since: String,
}

/// `GET /v1/offices/{office}/ready-documents?cursor=…&limit=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReadyDocumentsPage {
    /// In the order the documents became ready, oldest first.
    pub items: Vec<ReadyDocument>,
    /// Always present, opaque. Pass it back as `cursor` to get what became
    /// ready after this page. On an empty page it equals the cursor sent
    /// (or the start of the list when none was): nothing new yet, ask again
    /// later with it.
    pub next_cursor: String,
}

/// Who collected a document.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Collector {
    /// The holder in person: always so for an adult holder, unless a legal
    /// guardian with a court ruling collects it.
    Holder,
    /// A parent of a minor holder: a valid PESEL, and names of 1-200
    /// characters with no control or format characters. A parent cannot
    /// collect an adult's passport (422 at `collected_by.role`).
    Parent {
        pesel: String,
        surname: String,
        given_names: String,
    },
    /// A legal guardian (of a minor, or of an adult under full
    /// guardianship); the same rules as `parent`.
    LegalGuardian {
        pesel: String,
        surname: String,
        given_names: String,
        /// The reference (sygnatura akt) of the court ruling that appointed
        /// the guardian, e.g. `III RNs 123/24`: a Roman-numeral division,
        /// one or two repertory symbols, number/year. Required when the
        /// holder is an adult (full guardianship): 422 at
        /// `collected_by.court_ruling` without it. Left out (never `null`)
        /// when there is none, so a request recorded before the field
        /// existed is the same body when it is sent again.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(
            pattern = r"^[IVXLC]{1,6} [A-Z][A-Za-z]{0,4}( [A-Z][A-Za-z]{0,4})? [0-9]{1,6}/([0-9]{2}|[0-9]{4})$"
        )]
        court_ruling: Option<String>,
    },
}

/// The chip check the counter ran before the hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChipCheck {
    /// Passive authentication passed and DG1 equals the register's MRZ.
    Passed,
    /// No check was run (allowed online by the office's policy only).
    NotChecked,
}

/// `POST /v1/handovers`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordHandover {
    /// 2 capital letters and 7 digits; a number the register does not have
    /// is 409 `unknown_document`.
    #[schema(pattern = r"^[A-Z]{2}[0-9]{7}$")]
    pub document_number: String,
    /// The office handing it over; the document must wait there (409
    /// `not_ready_here` otherwise).
    #[schema(pattern = r"^[A-Z0-9]{2,8}$")]
    pub office: String,
    #[schema(pattern = r"^[A-Z0-9]{1,4}$")]
    pub workstation: String,
    /// The clerk's account identifier: 1-64 characters of `A-Z a-z 0-9 .
    /// _ @ -`.
    #[schema(pattern = r"^[A-Za-z0-9._@-]{1,64}$")]
    pub clerk_id: String,
    /// When the clerk recorded it (RFC 3339).
    #[schema(format = DateTime)]
    pub device_time: String,
    pub collected_by: Collector,
    /// How identity was checked (document shown and its number): free text,
    /// 1-200 characters, no control or format characters.
    pub identity_check: String,
    pub chip_check: ChipCheck,
    /// The holder's previous passport, invalidated by this hand-over (2
    /// capital letters and 7 digits).
    #[schema(pattern = r"^[A-Z]{2}[0-9]{7}$")]
    pub previous_passport: Option<String>,
    /// Recorded while the register was unreachable.
    pub provisional: bool,
}

/// 201 to `POST /v1/handovers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HandoverReceipt {
    pub document_number: String,
    /// `issued`.
    pub status: String,
    pub previous_passport_invalidated: Option<String>,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// Why a document is invalidated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvalidationReason {
    NewDocumentCollected,
    ReportedLost,
    ReportedStolen,
    Damaged,
    DataChanged,
    HolderDeceased,
    CitizenshipLost,
    DefectivePersonalisation,
    LostInTransit,
    NotCollectedInTime,
}

/// `POST /v1/invalidations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvalidateDocument {
    /// 2 capital letters and 7 digits; 409 `unknown_document` when the
    /// register does not have it, `document_invalidated` when it already is.
    #[schema(pattern = r"^[A-Z]{2}[0-9]{7}$")]
    pub document_number: String,
    pub reason: InvalidationReason,
    #[schema(pattern = r"^[A-Z0-9]{2,8}$")]
    pub office: String,
    #[schema(pattern = r"^[A-Z0-9]{1,4}$")]
    pub workstation: String,
    /// The clerk's account identifier: 1-64 characters of `A-Z a-z 0-9 .
    /// _ @ -`.
    #[schema(pattern = r"^[A-Za-z0-9._@-]{1,64}$")]
    pub clerk_id: String,
    /// When the clerk recorded it (RFC 3339).
    #[schema(format = DateTime)]
    pub device_time: String,
}

/// 201 to `POST /v1/invalidations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvalidationReceipt {
    pub document_number: String,
    /// `invalidated`.
    pub status: String,
    pub reason: InvalidationReason,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// One of a person's documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonDocument {
    pub document_number: String,
    /// `ready_for_collection`, `valid`, `invalidated`.
    pub status: String,
    /// Why it was invalidated (an `InvalidationReason`), when it was.
    pub invalidation_reason: Option<String>,
}

/// `GET /v1/persons/{pesel}/documents`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonDocuments {
    pub pesel: String,
    pub documents: Vec<PersonDocument>,
}

/// `POST /v1/clerks/login`: the register checks a clerk's password. Not a
/// write: no idempotency key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClerkLogin {
    pub clerk_id: String,
    pub password: String,
    pub office: String,
}

/// The clerk the register vouched for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClerkAccount {
    pub clerk_id: String,
    pub display_name: String,
    /// `clerk` or `supervisor`.
    pub role: String,
}

/// One position in a workstation's hash chain: the last row's number and
/// its hash (0 and 64 zeros for an empty chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainPoint {
    #[schema(minimum = 0)]
    pub seq: i64,
    /// Hex SHA-256, 64 lower-case characters.
    pub hash: String,
}

impl ChainPoint {
    /// A number of at least 0 and a hash of 64 lower-case hex digits.
    pub fn well_formed(&self) -> bool {
        self.seq >= 0
            && self.hash.len() == 64
            && self
                .hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    }
}

/// A workstation's two chains: the journal (every action, decision and
/// override) and the audit log (log-ins, refused log-ins, clerk cards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainHeads {
    pub journal: ChainPoint,
    pub audit: ChainPoint,
}

/// `GET /v1/offices/{office}/workstations/{workstation}/chain`: the heads
/// the register last accepted from the workstation (`null`: none yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainSeen {
    pub seen: Option<ChainHeads>,
}

/// `PUT /v1/offices/{office}/workstations/{workstation}/chain`, once per
/// sync round: the workstation's heads now, and the hashes its chains hold
/// today at the positions the register last accepted (read from `GET`
/// just before; `null` when the register had none). The register accepts
/// when `at_seen` equals what it saw and `head` is not behind it: the
/// chains only grew. Sending the same report again is accepted again
/// (a PUT: no idempotency key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainReport {
    pub at_seen: Option<ChainHeads>,
    pub head: ChainHeads,
}

// Types that hold personal data (PESEL, names, birth date, address, phone,
// e-mail, photo, fingerprints, signature, identity document numbers) or a
// password print none of it through `Debug` (what `{:?}`, `tracing`'s
// `?field` and an `unwrap` show): only the type's name (see
// `passport_domain::redact`). Types that contain them (`ReadyDocument`,
// `ReadyDocumentsPage`, `FingerImage`, …) derive `Debug` and so show the
// redacted form in their place.
passport_domain::personal_data_debug!(
    Person,
    Photo,
    Address,
    Contact,
    Applicant,
    Guardian,
    Consent,
    SubmitApplication,
    PngImage,
    Signature,
    Collector,
    RecordHandover,
    PersonDocuments,
    ClerkLogin,
);

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// The register's clock (RFC 3339).
    #[schema(format = DateTime)]
    pub time: String,
    /// The date (YYYY-MM-DD) from which an application that needs
    /// fingerprints or a signature must carry its biometrics section (the
    /// cut-over: see `SubmitApplication::biometrics`); absent while this
    /// register has none set. Informative: a register applies it whether a
    /// counter read it or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub biometrics_required_from: Option<String>,
}

/// The endpoints, declared for the OpenAPI document; the simulator
/// implements them. Each declares the answers particular to it; the
/// answers every endpoint can give (400, 413 for a body, 429, 500, 503) are
/// added by [`CommonAnswers`], so none can be forgotten.
#[allow(dead_code)]
mod endpoints {
    use super::*;

    /// Whether the register answers. Counters probe it while offline.
    #[utoipa::path(get, path = "/v1/health", tag = "register",
        responses((status = 200, body = Health, description = "The register is up")))]
    fn health() {}

    /// Records an application. Idempotent (see the rules above).
    #[utoipa::path(post, path = "/v1/applications", tag = "register", request_body = SubmitApplication,
        params(("Idempotency-Key" = String, Header, description = "The counter's journal entry id (UUIDv7); 1-200 visible ASCII characters")),
        responses(
            (status = 201, body = ApplicationReceipt, description = "Accepted; a replay for the same key and body answers exactly the same"),
            (status = 409, body = Problem, description = "`unknown_office` or `application_number_taken`; recorded under the key and replayed"),
            (status = 422, body = Problem, description = "`validation` (recorded and replayed), `idempotency_key_missing` or `idempotency_key_reused`")))]
    fn submit_application() {}

    /// Where an application stands.
    #[utoipa::path(get, path = "/v1/applications/{number}", tag = "register",
        params(("number" = String, Path, description = "The application number")),
        responses((status = 200, body = ApplicationStatus),
            (status = 404, body = Problem, description = "`unknown_application`")))]
    fn application_status() {}

    /// The documents waiting at an office, by cursor (see the rules above).
    #[utoipa::path(get, path = "/v1/offices/{office}/ready-documents", tag = "register",
        params(("office" = String, Path, description = "The office code"),
            ("cursor" = Option<String>, Query, description = "The `next_cursor` of the last page read; absent: from the start. Opaque; one the register did not issue for this office (one ahead of its list in particular) is 400 `bad_request`"),
            ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Items per page, 1-500 (default 100); outside that range, 400 `bad_request`")),
        responses((status = 200, body = ReadyDocumentsPage, description = "The next page; empty when nothing became ready since the cursor"),
            (status = 409, body = Problem, description = "`unknown_office`")))]
    fn ready_documents() {}

    /// Records that a document was handed over. Idempotent.
    #[utoipa::path(post, path = "/v1/handovers", tag = "register", request_body = RecordHandover,
        params(("Idempotency-Key" = String, Header, description = "The counter's journal entry id (UUIDv7); 1-200 visible ASCII characters")),
        responses((status = 201, body = HandoverReceipt, description = "Recorded; a replay for the same key and body answers exactly the same"),
            (status = 409, body = Problem, description = "`unknown_document`, `document_already_issued`, `document_invalidated` or `not_ready_here`; recorded under the key and replayed"),
            (status = 422, body = Problem, description = "`validation` (recorded and replayed), `idempotency_key_missing` or `idempotency_key_reused`")))]
    fn record_handover() {}

    /// Invalidates a document. Idempotent.
    #[utoipa::path(post, path = "/v1/invalidations", tag = "register", request_body = InvalidateDocument,
        params(("Idempotency-Key" = String, Header, description = "The counter's journal entry id (UUIDv7); 1-200 visible ASCII characters")),
        responses((status = 201, body = InvalidationReceipt, description = "Recorded; a replay for the same key and body answers exactly the same"),
            (status = 409, body = Problem, description = "`unknown_document` or `document_invalidated`; recorded under the key and replayed"),
            (status = 422, body = Problem, description = "`validation` (recorded and replayed), `idempotency_key_missing` or `idempotency_key_reused`")))]
    fn invalidate_document() {}

    /// A person's documents, by PESEL.
    #[utoipa::path(get, path = "/v1/persons/{pesel}/documents", tag = "register",
        params(("pesel" = String, Path, description = "The person's PESEL")),
        responses((status = 200, body = PersonDocuments, description = "Possibly empty")))]
    fn person_documents() {}

    /// Checks a clerk's password. Not a write: no idempotency key; safe to
    /// repeat.
    #[utoipa::path(post, path = "/v1/clerks/login", tag = "register", request_body = ClerkLogin,
        responses((status = 200, body = ClerkAccount),
            (status = 401, body = Problem, description = "`invalid_credentials`"),
            (status = 422, body = Problem, description = "`validation`: the body does not have the request's shape")))]
    fn clerk_login() {}

    /// Whether a clerk's account is active: what a counter asks before it
    /// lets a clerk card log in while the register answers.
    #[utoipa::path(get, path = "/v1/clerks/{clerk_id}", tag = "register",
        params(("clerk_id" = String, Path)),
        responses((status = 200, body = ClerkAccount),
            (status = 404, body = Problem, description = "`unknown_clerk`")))]
    fn clerk_account() {}

    /// The chain heads the register last accepted from a workstation.
    #[utoipa::path(get, path = "/v1/offices/{office}/workstations/{workstation}/chain", tag = "register",
        params(("office" = String, Path), ("workstation" = String, Path)),
        responses((status = 200, body = ChainSeen)))]
    fn chain_seen() {}

    /// A workstation reports its chain heads (once per sync round).
    #[utoipa::path(put, path = "/v1/offices/{office}/workstations/{workstation}/chain", tag = "register",
        request_body = ChainReport,
        params(("office" = String, Path), ("workstation" = String, Path)),
        responses((status = 200, body = ChainSeen, description = "Accepted: `seen` is the new head"),
            (status = 409, body = Problem, description = "`chain_fork`: the chains do not extend what the register saw"),
            (status = 422, body = Problem, description = "`validation`: a number below 0 or a hash that is not 64 hex digits")))]
    fn report_chain() {}

    #[derive(utoipa::OpenApi)]
    #[openapi(
        info(
            title = "Central passport register (as the counter sees it)",
            version = "1.0.0",
        ),
        modifiers(&CommonAnswers),
        paths(
            health,
            submit_application,
            application_status,
            ready_documents,
            record_handover,
            invalidate_document,
            person_documents,
            clerk_login,
            clerk_account,
            chain_seen,
            report_chain
        ),
        components(schemas(
            ProblemCode,
            ClerkLogin,
            ClerkAccount,
            Problem,
            FieldProblem,
            Person,
            Photo,
            Sex,
            ApplicationKind,
            Address,
            Contact,
            Applicant,
            GuardianRole,
            Guardian,
            Consent,
            Reduction,
            FeeCase,
            Fee,
            Validity,
            ChipCheck,
            InvalidationReason,
            SubmitApplication,
            FingerPosition,
            PngImage,
            FingerImage,
            FingerExceptionReason,
            FingerException,
            Fingerprints,
            Signature,
            Biometrics,
            ApplicationReceipt,
            ApplicationStatus,
            ReadyDocument,
            ReadyDocumentsPage,
            Collector,
            RecordHandover,
            HandoverReceipt,
            InvalidateDocument,
            InvalidationReceipt,
            PersonDocument,
            PersonDocuments,
            ChainPoint,
            ChainHeads,
            ChainSeen,
            ChainReport,
            Health
        ))
    )]
    pub struct Doc;
}

/// Adds what holds for every endpoint: the specification as the document's
/// description, the table of problem codes, and the answers any endpoint can
/// give (400; 413 where there is a body; 429 and 503 with `Retry-After`;
/// 500), so that no endpoint can leave one out.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, doc: &mut OpenApiDoc) {
        doc.info.description = Some(include_str!("spec.md").to_owned());
        if let Some(openapi::RefOr::T(openapi::Schema::Object(o))) = doc
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("ProblemCode"))
        {
            o.description = Some(problem_code_table());
        }
        for item in doc.paths.paths.values_mut() {
            let ops = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
            ];
            for op in ops.into_iter().flatten() {
                let has_body = op.request_body.is_some();
                // A write is what carries an idempotency key; a read (a GET,
                // or the clerk log-in) changes nothing, so its retry is
                // simply the same request again.
                let is_write = op.parameters.iter().flatten().any(|p| {
                    p.name == IDEMPOTENCY_KEY
                        && matches!(p.parameter_in, openapi::path::ParameterIn::Header)
                });
                let answers = &mut op.responses.responses;
                let (overloaded, internal, unavailable) = if is_write {
                    (
                        "`overloaded`: nothing was applied. Retry with the same key after `Retry-After` (seconds, or an HTTP-date).",
                        "`internal`: the write may or may not have been applied. Retry with the same key and body; the register replays the first answer if it was.",
                        "`unavailable`: nothing was applied. Retry with the same key after `Retry-After` (seconds, or an HTTP-date).",
                    )
                } else {
                    (
                        "`overloaded`: not served. Send the same request again after `Retry-After` (seconds, or an HTTP-date).",
                        "`internal`: not served. Retry as it was: a read changes nothing at the register, so sending it again is always safe (back off first).",
                        "`unavailable`: not served. Send the same request again after `Retry-After` (seconds, or an HTTP-date).",
                    )
                };
                let mut common = vec![
                    (400, "`bad_request`: not well-formed JSON, not `application/json`, or a query parameter that cannot be read. Final: do not retry.".to_owned()),
                    (429, overloaded.to_owned()),
                    (500, internal.to_owned()),
                    (503, unavailable.to_owned()),
                ];
                if has_body {
                    common.push((
                        413,
                        format!(
                            "`payload_too_large`: the body is over {MAX_BODY_BYTES} bytes (16 MiB). Final: do not retry."
                        ),
                    ));
                }
                for (status, text) in common {
                    answers
                        .entry(status.to_string())
                        .or_insert_with(|| openapi::RefOr::T(problem_answer(&text)));
                }
                for status in ["429", "503"] {
                    if let Some(openapi::RefOr::T(r)) = answers.get_mut(status) {
                        r.headers
                            .entry("Retry-After".to_owned())
                            .or_insert_with(retry_after_header);
                    }
                }
            }
        }
    }
}

/// An answer with a `Problem` body.
fn problem_answer(description: &str) -> openapi::Response {
    openapi::ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            openapi::Content::new(Some(openapi::Ref::from_schema_name("Problem"))),
        )
        .build()
}

/// `Retry-After`, as every 429 and 503 carries it: either form RFC 9110
/// allows, since the counter reads both (the simulator sends seconds).
fn retry_after_header() -> openapi::Header {
    let seconds = openapi::ObjectBuilder::new()
        .schema_type(openapi::Type::Integer)
        .minimum(Some(0))
        .description(Some("delta-seconds"));
    let date = openapi::ObjectBuilder::new()
        .schema_type(openapi::Type::String)
        .description(Some(
            "an HTTP-date (RFC 9110 IMF-fixdate, e.g. `Sun, 29 Nov 2026 10:00:00 GMT`)",
        ));
    openapi::HeaderBuilder::new()
        .schema(openapi::OneOfBuilder::new().item(seconds).item(date))
        .description(Some(
            "Always present: how long to wait before retrying, in seconds (an integer >= 0, what the simulator sends) or as an HTTP-date. The counter reads both and caps any wait at 1 hour.",
        ))
        .build()
}

/// Every code with its HTTP status and meaning, as a Markdown table.
fn problem_code_table() -> String {
    let mut s = String::from(
        "The `code` of a `Problem`. A counter decides by code, and by HTTP status for a code it does not know.\n\n| code | status | meaning |\n|---|---|---|\n",
    );
    for c in ProblemCode::ALL {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.as_str(),
            c.status(),
            c.meaning()
        ));
    }
    s
}

/// The OpenAPI document, pretty-printed JSON with a final newline.
pub fn openapi_json() -> String {
    let doc = endpoints::Doc::openapi();
    let mut s = doc.to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
