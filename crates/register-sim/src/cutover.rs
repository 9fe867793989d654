//! The biometrics cut-over: from when the register refuses an application
//! that comes without a biometrics section although its rule asks for
//! fingerprints or a signature.
//!
//! Release 0.1 counters sent no biometrics section, and a counter may
//! still hold such applications in its offline queue for days after it is
//! upgraded, so an absent section cannot be refused outright. Two rules
//! tell a release 0.1 application from a hostile or broken counter's:
//!
//! - **A date** ([`crate::SimConfig::biometrics_required_from`]): an
//!   application dated on or after it needs the section. Alone it is weak:
//!   the application date is the counter's word, and a counter can backdate.
//! - **The counter's own history**: a workstation (office + workstation
//!   code) the register has accepted an application with the section from
//!   has been upgraded, and it sends its queue in order (one request at a
//!   time, oldest first), so all its release 0.1 applications came before
//!   that one. From then on an application of its without the section is
//!   refused whatever its date. Kept in `reg_biometrics_counters`, so a
//!   restart does not forget it.
//!
//! The rule itself (with every other field rule, all at once) is in
//! `rules.rs`; this module reads and records what the register knows.

use passport_register_contract::SubmitApplication;
use sqlx::SqliteConnection;

/// What the register knows, before checking an application, about whether
/// it must carry a biometrics section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutover {
    /// The register's setting: applications dated on or after it need the
    /// section when their rule asks for fingerprints or a signature.
    pub required_from: Option<chrono::NaiveDate>,
    /// The first application with a biometrics section accepted from this
    /// application's workstation, when there was one.
    pub upgraded_by: Option<String>,
}

impl Cutover {
    /// What applies to `r`: the workstation's history is read only when
    /// the section is absent (it matters only then).
    pub async fn for_request(
        conn: &mut SqliteConnection,
        required_from: Option<chrono::NaiveDate>,
        r: &SubmitApplication,
    ) -> Result<Self, sqlx::Error> {
        let upgraded_by = match &r.biometrics {
            Some(_) => None,
            None => {
                sqlx::query_scalar!(
                    "SELECT first_application FROM reg_biometrics_counters
                     WHERE office_code = ?1 AND workstation_id = ?2",
                    r.office,
                    r.workstation
                )
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        Ok(Self {
            required_from,
            upgraded_by,
        })
    }
}

/// Records, in the accepting transaction, that `r`'s workstation has sent
/// a biometrics section, when `r` carries one; the first such application
/// stays.
pub async fn record_accepted(
    conn: &mut SqliteConnection,
    r: &SubmitApplication,
    accepted_at: &str,
) -> Result<(), sqlx::Error> {
    if r.biometrics.is_none() {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO reg_biometrics_counters (office_code, workstation_id, first_application, first_accepted_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (office_code, workstation_id) DO NOTHING",
        r.office,
        r.workstation,
        r.application_number,
        accepted_at
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A date as the command line gives `--biometrics-required-from`: exactly
/// `YYYY-MM-DD`, a day that exists.
pub fn parse_required_from(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::rules::strict_date(s)
        .ok_or_else(|| format!("{s:?} is not a calendar date written YYYY-MM-DD (e.g. 2027-01-01)"))
}
