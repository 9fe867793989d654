//! The passport point's rules, with no I/O: no clock, no files, no database.
//!
//! Everything here takes what it needs as arguments (today's date, the fee
//! table, the office's settings) so that the UI, `counterctl`, the journal
//! and the register simulator apply exactly the same rules, and a test can
//! exercise any of them on any date.

pub mod application;
pub mod biometrics;
pub mod collection;
pub mod demo;
pub mod error;
pub mod fees;
pub mod lifecycle;
pub mod mrz;
pub mod names;
pub mod number;
pub mod pesel;
pub mod photo;
pub mod redact;
pub mod text;

pub use application::{
    Address, Applicant, ApplicationDraft, ApplicationKind, ApplicationRules, Consent, Contact,
    Guardian, ValidApplication,
};
pub use error::{FieldError, Lang, Message, ValidationErrors};
pub use fees::{Fee, FeeTable, ReductionClaim};
pub use lifecycle::{
    ApplicationEvent, ApplicationStatus, DocumentState, DocumentStatus, InvalidationReason,
};
pub use number::ApplicationNumber;
pub use pesel::{Pesel, Sex};
