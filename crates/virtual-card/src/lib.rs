//! The project's own virtual smart cards (see `virtual-card --help`): the
//! card logic is a library so that tests can also drive it in-process.

pub mod clerk;
pub mod face;
pub mod passport;
pub mod pki;

/// The MRZ (both lines, 88 characters) of the specimen passport tests and
/// the benchmark personalise: document DA0000001, Polish, born 1990-01-01,
/// expiring 2035-01-01, with the given names (transliterated as the MRZ
/// writes them).
pub fn specimen_mrz(surname: &str, given_names: &str) -> anyhow::Result<String> {
    let date =
        |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow::anyhow!("date"));
    let td3 = passport_domain::mrz::generate(&passport_domain::mrz::MrzRecord {
        document_type: '<',
        issuing_state: "POL".into(),
        surname: surname.into(),
        given_names: given_names.into(),
        document_number: "DA0000001".into(),
        nationality: "POL".into(),
        birth_date: date(1990, 1, 1)?,
        sex: Some(passport_domain::pesel::Sex::Female),
        expiry_date: date(2035, 1, 1)?,
        optional_data: String::new(),
    })
    .map_err(|e| anyhow::anyhow!("MRZ: {e:?}"))?;
    Ok(format!("{}{}", td3.line1, td3.line2))
}
