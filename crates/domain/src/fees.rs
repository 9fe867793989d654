//! Passport fees, computed from a data table with effective-from dates.
//!
//! The amounts live in `data/fees.json` (or an office's own file), never in
//! code: a new regulation is a new schedule with a later `effective_from`,
//! and applications are charged by the schedule in force on their date.

use crate::error::{FieldError, Message};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The table shipped with the product (Dz.U. 2022 poz. 1499).
pub const DEFAULT_TABLE_JSON: &str = include_str!("../data/fees.json");

/// A reduction the applicant claims and shows a document for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReductionClaim {
    #[default]
    None,
    /// Pupil or student, until the 26th birthday.
    Student,
    Pensioner,
    Disabled,
}

/// Which row of the table applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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

impl FeeCase {
    fn describe(self) -> Message {
        let (pl, en) = match self {
            FeeCase::Standard => ("Opłata pełna", "Standard fee"),
            FeeCase::Second => ("Drugi paszport", "Second passport"),
            FeeCase::Temporary => ("Paszport tymczasowy", "Temporary passport"),
            FeeCase::Under12 => ("Dziecko do 12 lat", "Child under 12"),
            FeeCase::Reduced => ("Opłata ulgowa", "Reduced fee"),
            FeeCase::LargeFamilyStandard => ("Karta Dużej Rodziny", "Large Family Card"),
            FeeCase::LargeFamilyReduced => (
                "Karta Dużej Rodziny, opłata ulgowa",
                "Large Family Card, reduced fee",
            ),
            FeeCase::LargeFamilyUnder12 => (
                "Karta Dużej Rodziny, dziecko do 12 lat",
                "Large Family Card, child under 12",
            ),
            FeeCase::Age70Plus => (
                "Osoba po 70. roku życia: bez opłaty",
                "Aged 70 or over: no fee",
            ),
        };
        Message::new(pl, en)
    }
}

/// The fee charged for one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    /// In grosz (1/100 zł).
    pub amount_grosz: u32,
    pub case: FeeCase,
    pub description: Message,
    pub legal_basis: String,
    pub schedule_from: NaiveDate,
}

impl Fee {
    /// `140,00 zł`, as printed in Poland.
    pub fn display_pln(&self) -> String {
        format!(
            "{},{:02} zł",
            self.amount_grosz / 100,
            self.amount_grosz % 100
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub effective_from: NaiveDate,
    pub legal_basis: String,
    pub amounts_grosz: BTreeMap<FeeCase, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeeTable {
    pub schedules: Vec<Schedule>,
}

#[derive(Debug, thiserror::Error)]
pub enum FeeTableError {
    #[error("the fee table is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("schedule from {0} has no amount for {1:?}")]
    Missing(NaiveDate, FeeCase),
    #[error("the fee table has no schedules")]
    Empty,
}

const ALL_CASES: [FeeCase; 9] = [
    FeeCase::Standard,
    FeeCase::Second,
    FeeCase::Temporary,
    FeeCase::Under12,
    FeeCase::Reduced,
    FeeCase::LargeFamilyStandard,
    FeeCase::LargeFamilyReduced,
    FeeCase::LargeFamilyUnder12,
    FeeCase::Age70Plus,
];

/// What the fee depends on.
#[derive(Debug, Clone, Copy)]
pub struct FeeInput {
    pub kind: FeeKind,
    /// Age in full years on the application date.
    pub age: u32,
    pub reduction: ReductionClaim,
    pub large_family_card: bool,
    pub application_date: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeKind {
    Passport,
    Second,
    Temporary,
}

impl FeeTable {
    /// Parses and checks a table: every schedule names every case.
    pub fn from_json(json: &str) -> Result<Self, FeeTableError> {
        let mut table: FeeTable = serde_json::from_str(json)?;
        if table.schedules.is_empty() {
            return Err(FeeTableError::Empty);
        }
        for s in &table.schedules {
            if let Some(c) = ALL_CASES.iter().find(|c| !s.amounts_grosz.contains_key(c)) {
                return Err(FeeTableError::Missing(s.effective_from, *c));
            }
        }
        table.schedules.sort_by_key(|s| s.effective_from);
        Ok(table)
    }

    /// The table shipped with the product.
    pub fn builtin() -> Self {
        // The shipped table is checked by a test; failing here is a build defect.
        #[allow(clippy::expect_used)]
        Self::from_json(DEFAULT_TABLE_JSON).expect("the built-in fee table is valid")
    }

    fn schedule_on(&self, date: NaiveDate) -> Option<&Schedule> {
        self.schedules
            .iter()
            .rev()
            .find(|s| s.effective_from <= date)
    }

    /// The fee for `input`, or the field error that stops it being computed.
    pub fn compute(&self, input: &FeeInput) -> Result<Fee, FieldError> {
        let Some(schedule) = self.schedule_on(input.application_date) else {
            return Err(FieldError::new(
                "fee",
                "fee.no_schedule",
                "Brak taryfy opłat obowiązującej w dniu złożenia wniosku.",
                "No fee schedule is in force on the application date.",
            ));
        };
        if input.reduction == ReductionClaim::Student && input.age >= 26 {
            return Err(FieldError::new(
                "reduction",
                "fee.student_age",
                "Ulga dla ucznia lub studenta przysługuje do ukończenia 26 lat.",
                "The pupil or student reduction applies only until the 26th birthday.",
            ));
        }
        let reduced = (12..18).contains(&input.age) || input.reduction != ReductionClaim::None;
        let lf = input.large_family_card;
        let case = match input.kind {
            _ if input.age >= 70 => FeeCase::Age70Plus,
            FeeKind::Temporary => FeeCase::Temporary,
            FeeKind::Second => FeeCase::Second,
            FeeKind::Passport if input.age < 12 && lf => FeeCase::LargeFamilyUnder12,
            FeeKind::Passport if input.age < 12 => FeeCase::Under12,
            FeeKind::Passport if reduced && lf => FeeCase::LargeFamilyReduced,
            FeeKind::Passport if reduced => FeeCase::Reduced,
            FeeKind::Passport if lf => FeeCase::LargeFamilyStandard,
            FeeKind::Passport => FeeCase::Standard,
        };
        let amount_grosz = schedule
            .amounts_grosz
            .get(&case)
            .copied()
            .unwrap_or_default();
        Ok(Fee {
            amount_grosz,
            case,
            description: case.describe(),
            legal_basis: schedule.legal_basis.clone(),
            schedule_from: schedule.effective_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn fee(kind: FeeKind, age: u32, reduction: ReductionClaim, lf: bool) -> u32 {
        FeeTable::builtin()
            .compute(&FeeInput {
                kind,
                age,
                reduction,
                large_family_card: lf,
                application_date: date(2026, 11, 22),
            })
            .unwrap()
            .amount_grosz
    }

    #[test]
    fn the_regulation_table() {
        use FeeKind::*;
        use ReductionClaim as R;
        assert_eq!(fee(Passport, 40, R::None, false), 14000);
        assert_eq!(fee(Second, 40, R::None, false), 28000);
        assert_eq!(fee(Temporary, 40, R::None, false), 3000);
        assert_eq!(fee(Passport, 11, R::None, false), 3000);
        assert_eq!(fee(Passport, 12, R::None, false), 7000);
        assert_eq!(fee(Passport, 17, R::None, false), 7000);
        assert_eq!(fee(Passport, 18, R::None, false), 14000);
        assert_eq!(fee(Passport, 25, R::Student, false), 7000);
        assert_eq!(fee(Passport, 64, R::Pensioner, false), 7000);
        assert_eq!(fee(Passport, 30, R::Disabled, false), 7000);
        assert_eq!(fee(Passport, 5, R::None, true), 1500);
        assert_eq!(fee(Passport, 15, R::None, true), 3500);
        assert_eq!(fee(Passport, 40, R::None, true), 7000);
        assert_eq!(fee(Passport, 70, R::None, false), 0);
        assert_eq!(fee(Second, 75, R::None, false), 0);
    }

    #[test]
    fn student_reduction_ends_at_26() {
        let err = FeeTable::builtin()
            .compute(&FeeInput {
                kind: FeeKind::Passport,
                age: 26,
                reduction: ReductionClaim::Student,
                large_family_card: false,
                application_date: date(2026, 1, 1),
            })
            .unwrap_err();
        assert_eq!(err.code, "fee.student_age");
    }

    #[test]
    fn the_schedule_in_force_on_the_date_applies() {
        let mut table = FeeTable::builtin();
        let mut later = table.schedules[0].clone();
        later.effective_from = date(2027, 1, 1);
        later.amounts_grosz.insert(FeeCase::Standard, 16000);
        table.schedules.push(later);
        let json = serde_json::to_string(&table).unwrap();
        let table = FeeTable::from_json(&json).unwrap();
        let on = |d| {
            table
                .compute(&FeeInput {
                    kind: FeeKind::Passport,
                    age: 40,
                    reduction: ReductionClaim::None,
                    large_family_card: false,
                    application_date: d,
                })
                .map(|f| f.amount_grosz)
        };
        assert_eq!(on(date(2026, 12, 31)), Ok(14000));
        assert_eq!(on(date(2027, 1, 1)), Ok(16000));
        assert_eq!(on(date(2022, 6, 30)).unwrap_err().code, "fee.no_schedule");
    }

    #[test]
    fn a_table_missing_a_case_is_refused() {
        let json = DEFAULT_TABLE_JSON.replace("\"age_70_plus\": 0", "\"x\": 0");
        assert!(FeeTable::from_json(&json).is_err());
    }

    #[test]
    fn amounts_print_in_zloty() {
        let f = FeeTable::builtin()
            .compute(&FeeInput {
                kind: FeeKind::Passport,
                age: 40,
                reduction: ReductionClaim::None,
                large_family_card: false,
                application_date: date(2026, 1, 1),
            })
            .unwrap();
        assert_eq!(f.display_pln(), "140,00 zł");
    }
}
