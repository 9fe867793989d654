//! The central passport register's HTTP contract, version 1.
//!
//! Plain serde types shared by the register simulator and the counter's
//! client, and the OpenAPI 3 document generated from them
//! (`docs/register-openapi.json`, kept fresh by a test).
//!
//! Rules every endpoint follows:
//! - Every write carries an `Idempotency-Key` header (the counter's journal
//!   entry id). The same key with the same body replays the first response;
//!   the same key with a different body is 422 `idempotency_key_reused`.
//! - A business rejection is 409 with a machine-readable [`Problem::code`];
//!   invalid input is 422 with field paths; overload is 429 and an outage 503,
//!   both with `Retry-After` (seconds).

#![allow(clippy::needless_for_each)] // inside utoipa's derive

use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// The header carrying the idempotency key of a write.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

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
}

/// Problem codes a client may act on.
pub mod codes {
    /// 409: the document was already handed over.
    pub const DOCUMENT_ALREADY_ISSUED: &str = "document_already_issued";
    /// 409: the document was invalidated.
    pub const DOCUMENT_INVALIDATED: &str = "document_invalidated";
    /// 409: no such document at the register.
    pub const UNKNOWN_DOCUMENT: &str = "unknown_document";
    /// 409: the office is not known to the register.
    pub const UNKNOWN_OFFICE: &str = "unknown_office";
    /// 409: an application with this number exists with other data.
    pub const APPLICATION_NUMBER_TAKEN: &str = "application_number_taken";
    /// 409: the document is not ready for collection at this office.
    pub const NOT_READY_HERE: &str = "not_ready_here";
    /// 422: the request failed validation; see `fields`.
    pub const VALIDATION: &str = "validation";
    /// 422: the idempotency key was used with a different body.
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency_key_reused";
    /// 422: a write came without an idempotency key.
    pub const IDEMPOTENCY_KEY_MISSING: &str = "idempotency_key_missing";
    /// 429: over the register's capacity.
    pub const OVERLOADED: &str = "overloaded";
    /// 503: the register is unavailable.
    pub const UNAVAILABLE: &str = "unavailable";
    /// 404: no active clerk account with this id (closed or unknown).
    pub const UNKNOWN_CLERK: &str = "unknown_clerk";
    /// 401: the clerk id or password is wrong, or the account is not active at this office.
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    /// 500: an internal error.
    pub const INTERNAL: &str = "internal";
}

/// An error answer (RFC 7807 in spirit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Machine-readable reason, one of the `codes`.
    pub code: String,
    /// For people, in English; the counter shows its own Polish text by code.
    pub message: String,
    /// Field errors (422).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    pub path: String,
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

/// Who a record is about, as the register keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    /// YYYY-MM-DD.
    pub birth_date: String,
    /// `F` or `M`.
    pub sex: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Photo {
    /// `image/jpeg` or `image/png`.
    pub mime: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The bytes, base64 (standard alphabet, padded).
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
        urgent_reason: String,
        /// 1 to 365.
        validity_days: u32,
    },
    /// A second passport, on justified grounds.
    Second {
        justification: String,
        /// The passport the holder keeps (9 characters, `AA9999999`).
        existing_passport: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: Option<String>,
    pub building: String,
    pub flat: Option<String>,
    /// `NN-NNN` in Poland.
    pub postal_code: String,
    pub city: String,
    /// ISO 3166-1 alpha-3; absent means Poland.
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The person the application is for, as the clerk entered and checked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// 11 digits with a valid check digit; encodes `birth_date` and `sex`.
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
    /// YYYY-MM-DD.
    pub birth_date: String,
    pub birth_place: String,
    pub sex: Sex,
    /// ISO 3166-1 alpha-3 (`POL`).
    pub citizenship: String,
    pub address: Option<Address>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GuardianRole {
    Mother,
    Father,
    LegalGuardian,
}

/// A parent or legal guardian of a minor applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    pub role: GuardianRole,
    pub pesel: String,
    pub surname: String,
    pub given_names: String,
}

/// On what basis a minor's application was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// In grosz (1/100 zł).
    pub amount_grosz: u32,
    pub case: FeeCase,
    /// The schedule in force on the application date (YYYY-MM-DD).
    pub schedule_from: String,
}

/// How long the document will be valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    Years(u32),
    Days(u32),
}

/// `POST /v1/applications`: everything the clerk entered and the counter
/// checked, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitApplication {
    /// Assigned at the counter: `OFFICE-WS-SEQUENCE-CC`.
    pub application_number: String,
    pub office: String,
    pub workstation: String,
    pub clerk_id: String,
    /// When the clerk saved it (RFC 3339), which may be long before it is sent.
    pub device_time: String,
    /// The application date (YYYY-MM-DD) the fee and validity were set by.
    pub application_date: String,
    pub kind: ApplicationKind,
    pub applicant: Applicant,
    /// Whether the applicant was at the counter (a child under 5 need not be).
    pub applicant_present: bool,
    /// Parents or guardians, for a minor.
    pub guardians: Vec<Guardian>,
    /// For a minor: on what basis.
    pub consent: Option<Consent>,
    pub reduction: Reduction,
    /// Large Family Card number, when one was shown.
    pub large_family_card: Option<String>,
    /// The applicant's previous passport, when they have one.
    pub previous_passport: Option<String>,
    pub fee: Fee,
    pub validity: Validity,
    pub fingerprints_required: bool,
    pub signature_required: bool,
    pub photo: Photo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationReceipt {
    pub application_number: String,
    /// `accepted`.
    pub status: String,
    pub accepted_at: String,
}

/// `GET /v1/applications/{number}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationStatus {
    pub application_number: String,
    /// `accepted`, `in_personalisation`, `ready_for_collection`, `handed_over`.
    pub status: String,
    pub document_number: Option<String>,
}

/// One document waiting at an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReadyDocument {
    pub document_number: String,
    pub application_number: Option<String>,
    pub holder: Person,
    pub mrz_line1: String,
    pub mrz_line2: String,
    /// What the chip's DG1 must contain: the two MRZ lines, concatenated.
    pub expected_dg1_mrz: String,
    /// `ready_for_collection`.
    pub status: String,
    pub ready_since: String,
}

/// `GET /v1/offices/{office}/ready-documents?cursor=…&limit=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReadyDocumentsPage {
    pub items: Vec<ReadyDocument>,
    /// Pass back as `cursor` for the next page; `null` at the end (keep the
    /// last cursor to fetch only what became ready since).
    pub next_cursor: Option<String>,
}

/// Who collected a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Collector {
    /// The holder in person.
    Holder,
    /// A parent of a minor holder.
    Parent {
        pesel: String,
        surname: String,
        given_names: String,
    },
    /// A legal guardian (of a minor, or of an adult under full guardianship).
    LegalGuardian {
        pesel: String,
        surname: String,
        given_names: String,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordHandover {
    pub document_number: String,
    pub office: String,
    pub workstation: String,
    pub clerk_id: String,
    pub device_time: String,
    pub collected_by: Collector,
    /// How identity was checked (document shown and its number).
    pub identity_check: String,
    pub chip_check: ChipCheck,
    /// The holder's previous passport, invalidated by this hand-over.
    pub previous_passport: Option<String>,
    /// Recorded while the register was unreachable.
    pub provisional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HandoverReceipt {
    pub document_number: String,
    /// `issued`.
    pub status: String,
    pub previous_passport_invalidated: Option<String>,
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
    pub document_number: String,
    pub reason: InvalidationReason,
    pub office: String,
    pub workstation: String,
    pub clerk_id: String,
    pub device_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InvalidationReceipt {
    pub document_number: String,
    /// `invalidated`.
    pub status: String,
    pub reason: InvalidationReason,
    pub recorded_at: String,
}

/// One of a person's documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonDocument {
    pub document_number: String,
    /// `ready_for_collection`, `valid`, `invalidated`.
    pub status: String,
    /// Why it was invalidated (`reported_lost` …), when it was.
    pub invalidation_reason: Option<String>,
}

/// `GET /v1/persons/{pesel}/documents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonDocuments {
    pub pesel: String,
    pub documents: Vec<PersonDocument>,
}

/// `POST /v1/clerks/login`: the register checks a clerk's password. Not a
/// write: no idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    pub time: String,
}

/// The endpoints, declared for the OpenAPI document; the simulator implements them.
#[allow(dead_code)]
mod endpoints {
    use super::*;

    #[utoipa::path(get, path = "/v1/health", tag = "register",
        responses((status = 200, body = Health), (status = 503, body = Problem)))]
    fn health() {}

    #[utoipa::path(post, path = "/v1/applications", tag = "register", request_body = SubmitApplication,
        params(("Idempotency-Key" = String, Header, description = "The counter's journal entry id (UUIDv7)")),
        responses(
            (status = 201, body = ApplicationReceipt, description = "Accepted (a replay answers the same)"),
            (status = 409, body = Problem), (status = 422, body = Problem),
            (status = 429, body = Problem, headers(("Retry-After" = u64))),
            (status = 503, body = Problem, headers(("Retry-After" = u64)))))]
    fn submit_application() {}

    #[utoipa::path(get, path = "/v1/applications/{number}", tag = "register",
        params(("number" = String, Path)),
        responses((status = 200, body = ApplicationStatus), (status = 404, body = Problem)))]
    fn application_status() {}

    #[utoipa::path(get, path = "/v1/offices/{office}/ready-documents", tag = "register",
        params(("office" = String, Path), ("cursor" = Option<String>, Query), ("limit" = Option<u32>, Query)),
        responses((status = 200, body = ReadyDocumentsPage), (status = 409, body = Problem)))]
    fn ready_documents() {}

    #[utoipa::path(post, path = "/v1/handovers", tag = "register", request_body = RecordHandover,
        params(("Idempotency-Key" = String, Header)),
        responses((status = 201, body = HandoverReceipt), (status = 409, body = Problem), (status = 422, body = Problem),
            (status = 429, body = Problem), (status = 503, body = Problem)))]
    fn record_handover() {}

    #[utoipa::path(post, path = "/v1/invalidations", tag = "register", request_body = InvalidateDocument,
        params(("Idempotency-Key" = String, Header)),
        responses((status = 201, body = InvalidationReceipt), (status = 409, body = Problem), (status = 422, body = Problem),
            (status = 429, body = Problem), (status = 503, body = Problem)))]
    fn invalidate_document() {}

    #[utoipa::path(get, path = "/v1/persons/{pesel}/documents", tag = "register",
        params(("pesel" = String, Path)),
        responses((status = 200, body = PersonDocuments)))]
    fn person_documents() {}

    #[utoipa::path(post, path = "/v1/clerks/login", tag = "register", request_body = ClerkLogin,
        responses((status = 200, body = ClerkAccount), (status = 401, body = Problem),
            (status = 503, body = Problem, headers(("Retry-After" = u64)))))]
    fn clerk_login() {}

    /// Whether a clerk's account is active: what a counter asks before it
    /// lets a clerk card log in while the register answers.
    #[utoipa::path(get, path = "/v1/clerks/{clerk_id}", tag = "register",
        params(("clerk_id" = String, Path)),
        responses((status = 200, body = ClerkAccount), (status = 404, body = Problem),
            (status = 503, body = Problem, headers(("Retry-After" = u64)))))]
    fn clerk_account() {}

    #[derive(utoipa::OpenApi)]
    #[openapi(
        info(
            title = "Central passport register (as the counter sees it)",
            version = "1.0.0",
            description = "Writes carry Idempotency-Key: same key and body replays the first answer, same key with another body is 422. 409 is a business rejection with a code, 422 a validation error with field paths, 429 and 503 carry Retry-After."
        ),
        paths(
            health,
            submit_application,
            application_status,
            ready_documents,
            record_handover,
            invalidate_document,
            person_documents,
            clerk_login,
            clerk_account
        ),
        components(schemas(
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
            Health
        ))
    )]
    pub struct Doc;
}

/// The OpenAPI document, pretty-printed JSON with a final newline.
pub fn openapi_json() -> String {
    let doc = endpoints::Doc::openapi();
    let mut s = doc.to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
