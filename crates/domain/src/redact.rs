//! Personal data never reach a log by accident: the types that hold them
//! (a PESEL, names, an address, contacts, a whole application) print
//! nothing of their value through `Debug`, only which type it was.
//!
//! `Debug` is what `{:?}`, `tracing`'s `?field`, `dbg!` and an `unwrap` on
//! an error print; a `Debug` derived on these types would write the PESEL,
//! and with it the birth date and sex, into whatever log or panic message
//! receives it. Not even a masked form is shown (the first digits of a
//! PESEL are the birth date). Where a person must read the value (a
//! printout, a request to the register, a screen), the code asks for it by
//! name (`Display`, the fields), never through `Debug`.
//!
//! The counter's log-site test (`crates/counter-core/tests/log_sites.rs`)
//! also refuses any `tracing` macro naming a personal field.

/// What `Debug` prints for a value holding personal data.
pub const REDACTED: &str = "<personal data, not shown>";

/// Implements `Debug` for each type as `Type(<personal data, not shown>)`.
#[macro_export]
macro_rules! personal_data_debug {
    ($($t:ty),+ $(,)?) => {
        $(
            impl ::core::fmt::Debug for $t {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    write!(f, "{}({})", stringify!($t), $crate::redact::REDACTED)
                }
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code

    use crate::application::{Address, ApplicantDraft, ApplicationDraft, Contact, GuardianDraft};
    use crate::{Pesel, demo};

    #[test]
    fn debug_shows_no_personal_value() {
        let pesel: Pesel = "44051401359".parse().unwrap();
        let d = format!("{pesel:?}");
        assert_eq!(d, "Pesel(<personal data, not shown>)");
        for leak in ["4405", "1359", "1944"] {
            assert!(!d.contains(leak), "{d}");
        }
        let draft = demo::adult_draft(1, chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
        let all = format!(
            "{draft:?} {:?} {:?} {:?} {:?} {draft:#?}",
            draft.applicant,
            draft.applicant.address,
            draft.applicant.contact,
            GuardianDraft::default()
        );
        for value in [
            &draft.applicant.pesel,
            &draft.applicant.surname,
            &draft.applicant.given_names,
        ] {
            assert!(!value.is_empty());
            assert!(!all.contains(value.as_str()), "{all}");
        }
        let _: (
            &ApplicationDraft,
            &ApplicantDraft,
            Option<&Address>,
            Option<&Contact>,
        ) = (
            &draft,
            &draft.applicant,
            draft.applicant.address.as_ref(),
            draft.applicant.contact.as_ref(),
        );
    }
}
