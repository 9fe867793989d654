//! The chip check at hand-over: the passport on the reader is opened with
//! the MRZ from the register's ready list, read and passively
//! authenticated against the office's CSCA trust store, and its DG1 must
//! equal the register's record. The result is kept here for a few minutes
//! so the hand-over records what this side verified, not what a screen
//! claims.

use crate::error::CoreError;
use crate::{Counter, lock};
use passport_cards::{AccessKey, ChipReport, Expectation, Outcome, TrustStore};
use passport_domain::Message;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// How long a chip check stands for the hand-over of its document.
const VALID_FOR: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked {
    outcome: Outcome,
    at: Instant,
}

/// A chip check as the hand-over screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChipCheckView {
    pub document_number: String,
    pub report: ChipReport,
    /// The verdict in words.
    pub verdict: Message,
    /// The chip check allows the hand-over (it passed).
    pub passed: bool,
}

impl Counter {
    /// Reads and checks the chip of the passport on `reader` (or the first
    /// reader with a card) for the ready document `code`.
    pub async fn check_chip(
        &self,
        code: &str,
        reader: Option<String>,
    ) -> Result<ChipCheckView, CoreError> {
        self.clerk()?;
        let view = self.find_document(code).await?;
        let doc = view.document;
        let (Some(line1), Some(line2)) = (doc.mrz_line1.clone(), doc.mrz_line2.clone()) else {
            return Err(CoreError::NoMrz(doc.document_number));
        };
        let key = AccessKey::from_mrz_line2(&line2)
            .ok_or_else(|| CoreError::NoMrz(doc.document_number.clone()))?;
        let dir = self.inner.cfg.csca_dir.value.clone().unwrap_or_default();
        let cards = self.cards();
        let report = tokio::task::spawn_blocking(move || {
            let trust =
                TrustStore::load_dir(std::path::Path::new(&dir)).map_err(CoreError::TrustStore)?;
            if trust.cscas.is_empty() {
                return Err(CoreError::TrustStore(format!("no certificates in {dir}")));
            }
            let mrz = format!("{line1}{line2}");
            let expect = Expectation {
                key,
                mrz: Some(&mrz),
                trust: &trust,
                now: std::time::SystemTime::now().into(),
            };
            Ok(cards.check_passport(reader.as_deref(), &expect))
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))??;
        // An unreadable chip (no card, lifted mid-read) is not a verdict on
        // the passport: it does not replace an earlier result.
        if report.readable || report.outcome == Outcome::WrongAccessKey {
            lock(&self.inner.chip_checks).insert(
                doc.document_number.clone(),
                Checked {
                    outcome: report.outcome,
                    at: Instant::now(),
                },
            );
        }
        let (pl, en) = report.outcome.words();
        Ok(ChipCheckView {
            document_number: doc.document_number,
            passed: report.outcome == Outcome::Passed,
            verdict: Message::new(pl, en),
            report,
        })
    }

    /// What the hand-over of `number` records as its chip check, and
    /// whether it may go ahead: a failed check always stops it; a missing
    /// one stops it offline and where the policy requires the check.
    pub(crate) fn chip_check_for_handover(
        &self,
        number: &str,
        offline: bool,
    ) -> Result<&'static str, CoreError> {
        let checked = lock(&self.inner.chip_checks)
            .get(number)
            .filter(|c| c.at.elapsed() <= VALID_FOR)
            .map(|c| c.outcome);
        match checked {
            Some(Outcome::Passed) => Ok(Outcome::Passed.code()),
            Some(failed) if failed != Outcome::Unreadable => Err(CoreError::ChipCheckFailed {
                number: number.to_owned(),
                outcome: failed.code(),
            }),
            _ if offline => Err(CoreError::ChipCheckRequired {
                number: number.to_owned(),
                offline: true,
            }),
            _ if self.inner.cfg.policy.chip_check_required && !self.inner.cfg.demo => {
                Err(CoreError::ChipCheckRequired {
                    number: number.to_owned(),
                    offline: false,
                })
            }
            _ => Ok("not_checked"),
        }
    }

    /// Forgets a document's chip check once it is handed over.
    pub(crate) fn chip_check_used(&self, number: &str) {
        lock(&self.inner.chip_checks).remove(number);
    }
}
