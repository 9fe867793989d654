//! Seals for what a supervisor confirmed at this counter with their
//! password, carried in a form until it is saved: today a finger
//! temporarily impossible to take.
//!
//! The core checks the supervisor's password, then seals the confirmation
//! with HMAC-SHA256 under a key derived from the journal's key (its own
//! label, so a credential's MAC is never a confirmation's), over what was
//! confirmed: the clerk at the counter, the supervisor, the subject (the
//! finger), the applicant (the PESEL as typed) and the moment. The window
//! and `counterctl` carry the seal; the core checks it again when the
//! application is saved. A seal made up, or moved to another clerk,
//! supervisor, finger or applicant, does not match.
//!
//! A journal opened without a key (the journal's own tests) seals under a
//! fixed public key, as its credentials are (`credentials`).

use crate::Journal;
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2_mac::Sha256>;

/// The label the sealing key is derived under.
const LABEL: &[u8] = b"passport-counter/supervisor-confirmations/v1\0";

/// What a supervisor confirmed, as the seal covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmed<'a> {
    /// What kind of thing, e.g. `finger_exception`.
    pub purpose: &'a str,
    /// The clerk whose session asked for it.
    pub clerk_id: &'a str,
    pub supervisor_id: &'a str,
    /// What exactly, e.g. the finger's MOSIP name.
    pub subject: &'a str,
    /// Whose application: the PESEL as typed (may be empty).
    pub applicant: &'a str,
    /// RFC 3339.
    pub confirmed_at: &'a str,
}

impl Journal {
    fn confirmation_mac(&self, c: &Confirmed<'_>) -> HmacSha256 {
        let key = match &self.options.key {
            Some(k) => k.derive(LABEL),
            None => [0; 32],
        };
        let mut mac = match HmacSha256::new_from_slice(&key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes a key of any length"),
        };
        for v in [
            c.purpose,
            self.identity.office_code.as_str(),
            self.identity.workstation_id.as_str(),
            c.clerk_id,
            c.supervisor_id,
            c.subject,
            c.applicant,
            c.confirmed_at,
        ] {
            // Length-prefixed, so no two different confirmations give the
            // same bytes.
            mac.update(&(v.len() as u64).to_be_bytes());
            mac.update(v.as_bytes());
        }
        mac
    }

    /// The seal of a confirmation: 64 hexadecimal digits.
    pub fn seal_confirmation(&self, c: &Confirmed<'_>) -> String {
        self.confirmation_mac(c)
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `seal` is this counter's seal of exactly `c` (compared in
    /// constant time). Anything but 64 hexadecimal digits is not.
    pub fn confirmation_holds(&self, c: &Confirmed<'_>, seal: &str) -> bool {
        if seal.len() != 64 || !seal.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        let bytes: Option<Vec<u8>> = (0..seal.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(seal.get(i..i + 2)?, 16).ok())
            .collect();
        bytes.is_some_and(|b| self.confirmation_mac(c).verify_slice(&b).is_ok())
    }
}
