//! A finger "temporarily impossible to take" (injured, bandaged) is an
//! exception a supervisor answers for: they confirm it at the counter with
//! their own password, at that moment. Naming a supervisor is not enough.
//!
//! [`Counter::confirm_finger_exception`] checks the password as the
//! window's log-in does: throttled, a refusal recorded, a success an audit
//! row in the supervisor's name. It then seals the confirmation
//! ([`passport_journal::confirmations`]) over the clerk, the supervisor,
//! the finger, the applicant's PESEL as typed and the moment. The window
//! and `counterctl` keep the seal in the exception. When the application
//! is saved, [`finger_exceptions_confirmed`] checks every seal again, and
//! that it is recent ([`CONFIRMATION_VALID_FOR`]). So a confirmation cannot
//! be made up, or moved to another clerk, finger or applicant.

use crate::Counter;
use crate::error::CoreError;
use chrono::{DateTime, Duration, Utc};
use passport_domain::biometrics::{
    BiometricsDraft, FingerExceptionKind, FingerPosition, SupervisorConfirmation,
};
use passport_domain::{FieldError, ValidationErrors};
use passport_journal::{Confirmed, Journal};
use serde::{Deserialize, Serialize};

fn invalid(path: &str, code: &str, pl: &str, en: &str) -> CoreError {
    CoreError::Invalid(ValidationErrors(vec![FieldError::new(path, code, pl, en)]))
}

/// How long a confirmation holds: a working day. A form kept overnight
/// asks the supervisor again.
pub const CONFIRMATION_VALID_FOR: Duration = Duration::hours(12);

/// How far ahead of this counter's clock a confirmation's time may be
/// (another clock, the same counter): a little.
const CLOCK_SKEW: Duration = Duration::minutes(5);

const PURPOSE: &str = "finger_exception";

/// A supervisor confirming, at the counter, that a finger cannot be taken
/// today.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FingerExceptionConfirm {
    pub position: FingerPosition,
    /// The supervisor's clerk id.
    pub supervisor: String,
    pub password: String,
    /// The applicant's PESEL as typed in the form (may be empty).
    pub pesel: String,
}

impl std::fmt::Debug for FingerExceptionConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FingerExceptionConfirm")
            .field("position", &self.position)
            .field("supervisor", &self.supervisor)
            .finish_non_exhaustive()
    }
}

fn confirmed<'a>(
    clerk_id: &'a str,
    supervisor_id: &'a str,
    position: FingerPosition,
    pesel: &'a str,
    confirmed_at: &'a str,
) -> Confirmed<'a> {
    Confirmed {
        purpose: PURPOSE,
        clerk_id,
        supervisor_id,
        subject: position.mosip_name(),
        applicant: pesel.trim(),
        confirmed_at,
    }
}

impl Counter {
    /// The supervisor named confirms, with their password, that
    /// `position` cannot be taken from this applicant today; the sealed
    /// confirmation to keep in the exception.
    pub async fn confirm_finger_exception(
        &self,
        input: &FingerExceptionConfirm,
    ) -> Result<SupervisorConfirmation, CoreError> {
        let clerk = self.clerk()?;
        crate::limits::form("", input, &[])?;
        if input.supervisor.trim().is_empty() {
            return Err(invalid(
                "supervisor",
                "fingerprints.exception.supervisor_required",
                "Podaj identyfikator kierownika, który potwierdza wyjątek.",
                "Give the id of the supervisor who confirms the exception.",
            ));
        }
        if input.password.is_empty() {
            return Err(invalid(
                "password",
                "fingerprints.exception.password_required",
                "Kierownik wpisuje tu swoje hasło.",
                "The supervisor types their password here.",
            ));
        }
        crate::limits::id("supervisor", &input.supervisor)?;
        let supervisor = match self
            .check_supervisor(input.supervisor.trim(), &input.password)
            .await
        {
            Ok(s) => s,
            // The log-in's words name a clerk; here it is the supervisor.
            Err(CoreError::BadCredentials) => {
                return Err(invalid(
                    "password",
                    "auth.bad_credentials",
                    "Nieprawidłowy identyfikator lub hasło kierownika.",
                    "Wrong supervisor id or password.",
                ));
            }
            Err(e) => return Err(e),
        };
        let confirmed_at = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let seal = self.inner.journal.seal_confirmation(&confirmed(
            &clerk.clerk_id,
            &supervisor,
            input.position,
            &input.pesel,
            &confirmed_at,
        ));
        Ok(SupervisorConfirmation {
            confirmed_at,
            pesel: input.pesel.trim().to_owned(),
            seal,
        })
    }
}

/// Every "temporarily impossible" exception in `b` carries a confirmation
/// this counter sealed for `clerk_id`, its supervisor, its finger and
/// `pesel`, made within [`CONFIRMATION_VALID_FOR`] of `now`. Errors are at
/// the exception's supervisor.
pub fn finger_exceptions_confirmed(
    journal: &Journal,
    clerk_id: &str,
    pesel: &str,
    b: &BiometricsDraft,
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    let mut errors = ValidationErrors::default();
    for (i, x) in b.finger_exceptions.iter().enumerate() {
        if x.reason != FingerExceptionKind::TemporarilyImpossible {
            continue;
        }
        let path = format!("biometrics.finger_exceptions[{i}].supervisor");
        // The domain refuses a missing supervisor or confirmation with its
        // own words; nothing to check here then.
        let (Some(supervisor), Some(c)) = (x.supervisor.as_deref(), x.confirmation.as_ref()) else {
            continue;
        };
        let (pl, en) = x.position.words();
        if c.pesel.trim() != pesel.trim() {
            errors.push(FieldError::new(
                path,
                "fingerprints.exception.confirmation_other_pesel",
                format!(
                    "Kierownik potwierdził wyjątek (palec: {pl}) dla innego numeru PESEL niż teraz we wniosku: poproś kierownika o ponowne potwierdzenie."
                ),
                format!(
                    "The supervisor confirmed the exception ({en}) for another PESEL than the application now has: ask the supervisor to confirm again."
                ),
            ));
            continue;
        }
        let holds = journal.confirmation_holds(
            &confirmed(
                clerk_id,
                supervisor.trim(),
                x.position,
                pesel,
                &c.confirmed_at,
            ),
            &c.seal,
        );
        if !holds {
            errors.push(FieldError::new(
                path,
                "fingerprints.exception.confirmation_invalid",
                format!(
                    "Potwierdzenie kierownika (palec: {pl}) nie pasuje do tego wniosku (inny kierownik, palec, urzędnik lub stanowisko): poproś kierownika o ponowne potwierdzenie."
                ),
                format!(
                    "The supervisor's confirmation ({en}) does not match this application (another supervisor, finger, clerk or counter): ask the supervisor to confirm again."
                ),
            ));
            continue;
        }
        // Sealed here, so the time is ours; still read as hostile.
        let at = DateTime::parse_from_rfc3339(&c.confirmed_at).map(|t| t.with_timezone(&Utc));
        let fresh = at.is_ok_and(|t| t <= now + CLOCK_SKEW && now - t <= CONFIRMATION_VALID_FOR);
        if !fresh {
            errors.push(FieldError::new(
                path,
                "fingerprints.exception.confirmation_expired",
                format!(
                    "Potwierdzenie kierownika (palec: {pl}) jest starsze niż {} godzin: poproś kierownika o ponowne potwierdzenie.",
                    CONFIRMATION_VALID_FOR.num_hours()
                ),
                format!(
                    "The supervisor's confirmation ({en}) is older than {} hours: ask the supervisor to confirm again.",
                    CONFIRMATION_VALID_FOR.num_hours()
                ),
            ));
        }
    }
    errors.into_result(()).map_err(CoreError::Invalid)
}
