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
use passport_journal::ChipCheck;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// How long a chip check stands for the hand-over of its document.
const VALID_FOR: Duration = Duration::from_secs(15 * 60);

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
        crate::limits::id("code", code)?;
        if let Some(reader) = reader.as_deref() {
            crate::limits::id("reader", reader)?;
        }
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
        self.remember_chip_check(&doc.document_number, report.outcome)
            .await?;
        let (pl, en) = report.outcome.words();
        Ok(ChipCheckView {
            document_number: doc.document_number,
            passed: report.outcome == Outcome::Passed,
            verdict: Message::new(pl, en),
            report,
        })
    }

    /// Keeps a check's verdict: a pass for [`VALID_FOR`] in memory (the
    /// passport must be on the counter now); a failure in the journal's
    /// metadata until a later check of the same document passes, so
    /// neither time nor a restart turns it into "not checked". Outcomes
    /// that say nothing about the passport (unreadable, a wrong access
    /// key — most often another passport on the reader —, an algorithm
    /// this side cannot verify) are not verdicts and change nothing. A
    /// chip that opened with the document's key and then gave damaged or
    /// garbled files (malformed data) is a verdict like a changed hash.
    /// Every outcome is named, so that a new one must be placed here.
    async fn remember_chip_check(&self, number: &str, outcome: Outcome) -> Result<(), CoreError> {
        match outcome {
            Outcome::Passed => {
                self.inner.journal.clear_chip_failure(number).await?;
                lock(&self.inner.chip_checks).insert(number.to_owned(), Instant::now());
            }
            Outcome::Unreadable | Outcome::WrongAccessKey | Outcome::UnsupportedAlgorithm => {}
            failed @ (Outcome::DataGroupMissing
            | Outcome::HashMismatch
            | Outcome::BadSignature
            | Outcome::UnknownCsca
            | Outcome::CertificateExpired
            | Outcome::MrzMismatch
            | Outcome::MalformedData) => {
                // The pass goes first: were the failure not stored, an
                // earlier pass must not stand for this passport.
                lock(&self.inner.chip_checks).remove(number);
                self.inner
                    .journal
                    .record_chip_failure(number, failed.code())
                    .await?;
            }
        }
        Ok(())
    }

    /// What the hand-over of `number` records as its chip check, and
    /// whether it may go ahead: a failed check stops it (until a later
    /// check passes); a missing one stops it offline and where the policy
    /// requires the check.
    pub(crate) async fn chip_check_for_handover(
        &self,
        number: &str,
        offline: bool,
    ) -> Result<ChipCheck, CoreError> {
        if let Some(code) = self.inner.journal.chip_failure(number).await? {
            // Any stored failure refuses, whatever its code says; a code
            // this release does not know (written by a newer one) is shown
            // as the most general failure rather than dropped.
            let outcome =
                Outcome::from_code(&code).map_or(Outcome::MalformedData.code(), Outcome::code);
            return Err(CoreError::ChipCheckFailed {
                number: number.to_owned(),
                outcome,
            });
        }
        let passed = lock(&self.inner.chip_checks)
            .get(number)
            .is_some_and(|at| at.elapsed() <= VALID_FOR);
        if passed {
            Ok(ChipCheck::Passed)
        } else if offline || (self.inner.cfg.policy.chip_check_required && !self.inner.cfg.demo) {
            Err(CoreError::ChipCheckRequired {
                number: number.to_owned(),
                offline,
            })
        } else {
            Ok(ChipCheck::NotChecked)
        }
    }

    /// Forgets a document's chip check once it is handed over.
    pub(crate) fn chip_check_used(&self, number: &str) {
        lock(&self.inner.chip_checks).remove(number);
    }
}
