//! The chain heads travel with each sync round: before sending, the engine
//! asks the register which heads it last accepted from this workstation,
//! reads the hashes its own journal and audit log hold at those positions,
//! and reports them with its heads now. A register that saw another
//! history (an entry removed and the chain recomputed, an older copy
//! restored) refuses with 409 `chain_fork`: the round sends nothing, and
//! the refusal is a state of its own, not a failure to retry.

use crate::{SyncEngine, SyncError};
use passport_journal::ChainPoint as LocalPoint;
use passport_register_client::CallError;
use passport_register_contract::{ChainHeads, ChainPoint, ChainReport, ProblemCode};

/// What the register said of this workstation's chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// The chains extend what the register saw; it now holds these heads.
    Accepted,
    /// The register refused them as a fork; its words.
    Fork(String),
    /// No answer (offline, overloaded), or a refusal that is not about
    /// the chain (an office the register does not know: each entry will
    /// be refused on its own): the round goes on as it would.
    Unanswered,
}

fn point(p: LocalPoint) -> ChainPoint {
    ChainPoint {
        seq: p.seq,
        hash: p.hash,
    }
}

/// The hash held at `seq`, or a hash no chain has (a row the register saw
/// is gone here: the register calls that a fork, as it is).
fn held(seq: i64, hash: Option<String>) -> ChainPoint {
    ChainPoint {
        seq,
        hash: hash.unwrap_or_else(|| "f".repeat(64)),
    }
}

impl SyncEngine {
    /// Reports this workstation's chain heads to the register.
    pub async fn report_chain(&self) -> Result<ChainCheck, SyncError> {
        let identity = self.journal.identity();
        let (office, workstation) = (&identity.office_code, &identity.workstation_id);
        let seen = match self.client.chain_seen(office, workstation).await {
            Ok(s) => s.seen,
            Err(_) => return Ok(ChainCheck::Unanswered),
        };
        let at_seen = match seen {
            None => None,
            Some(seen) => Some(ChainHeads {
                journal: held(
                    seen.journal.seq,
                    self.journal.journal_hash_at(seen.journal.seq).await?,
                ),
                audit: held(
                    seen.audit.seq,
                    self.journal.audit_hash_at(seen.audit.seq).await?,
                ),
            }),
        };
        let now = self.journal.chain_position().await?;
        let report = ChainReport {
            at_seen,
            head: ChainHeads {
                journal: point(now.journal),
                audit: point(now.audit),
            },
        };
        // The refusal is kept in the journal until a report is accepted:
        // the supervisor's notice and `counterctl status` read it there.
        match self.client.report_chain(office, workstation, &report).await {
            Ok(_) => {
                self.journal.clear_chain_fork().await?;
                Ok(ChainCheck::Accepted)
            }
            Err(CallError::Rejected { problem, .. })
                if problem.kind() == Some(ProblemCode::ChainFork) =>
            {
                self.journal.record_chain_fork(&problem.message).await?;
                Ok(ChainCheck::Fork(problem.message))
            }
            Err(_) => Ok(ChainCheck::Unanswered),
        }
    }
}
