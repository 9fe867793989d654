//! `journal verify`: is the journal whole and consistent with the local tables?

use crate::entry::{EntryKind, GENESIS_HASH, HashedFields, SyncState};
use crate::{Journal, Result};
use serde::Serialize;

/// What `verify` found. `problems` is empty when all is well.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub applications: u64,
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Journal {
    /// Checks SQLite's own integrity, the hash chain and numbering of the
    /// journal, and that every application has exactly its submission entry
    /// with the same data.
    pub async fn verify(&self) -> Result<VerifyReport> {
        let mut report = VerifyReport::default();
        // Pragmas cannot be described by the query macros; these take no input.
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        if integrity != ["ok"] {
            report.problems.extend(
                integrity
                    .into_iter()
                    .map(|p| format!("SQLite integrity: {p}")),
            );
        }
        let fk: Vec<String> = sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(&self.pool)
            .await?;
        report.problems.extend(
            fk.into_iter()
                .map(|t| format!("a row of {t} refers to a missing row")),
        );

        // The hash chain, in pages so a large journal is not loaded at once.
        let mut prev_hash = GENESIS_HASH.to_owned();
        let mut expected_seq = 1i64;
        loop {
            let rows = sqlx::query!(
                "SELECT seq, id, kind, record_key, depends_on, payload, clerk_id, device_time, entry_hash, sync_state
                 FROM journal WHERE seq >= ?1 ORDER BY seq LIMIT 5000",
                expected_seq
            )
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                report.entries += 1;
                if r.seq != expected_seq {
                    report
                        .problems
                        .push(format!("entries {expected_seq}–{} are missing", r.seq - 1));
                }
                let hash = HashedFields {
                    prev_hash: &prev_hash,
                    seq: r.seq,
                    id: &r.id,
                    kind: &r.kind,
                    record_key: &r.record_key,
                    depends_on: r.depends_on.as_deref(),
                    payload: &r.payload,
                    clerk_id: &r.clerk_id,
                    device_time: &r.device_time,
                }
                .hash();
                if hash != r.entry_hash {
                    report.problems.push(format!(
                        "entry {} ({}) does not match its hash: altered or reordered",
                        r.seq, r.id
                    ));
                }
                if EntryKind::parse(&r.kind).is_none() {
                    report
                        .problems
                        .push(format!("entry {} has an unknown kind {:?}", r.seq, r.kind));
                }
                if SyncState::parse(&r.sync_state).is_none() {
                    report.problems.push(format!(
                        "entry {} has an unknown sync state {:?}",
                        r.seq, r.sync_state
                    ));
                }
                if serde_json::from_str::<serde_json::Value>(&r.payload).is_err() {
                    report
                        .problems
                        .push(format!("entry {} has a payload that is not JSON", r.seq));
                }
                prev_hash = r.entry_hash;
                expected_seq = r.seq + 1;
            }
        }

        // Applications and their submission entries, one to one.
        let orphans = sqlx::query_scalar!(
            "SELECT a.number FROM applications a LEFT JOIN journal j ON j.id = a.journal_id
             WHERE j.id IS NULL OR j.kind <> 'submit_application' OR j.record_key <> a.number"
        )
        .fetch_all(&self.pool)
        .await?;
        report.problems.extend(
            orphans
                .into_iter()
                .map(|n| format!("application {n} has no matching submission entry")),
        );
        let missing = sqlx::query_scalar!(
            "SELECT j.record_key FROM journal j LEFT JOIN applications a ON a.number = j.record_key AND a.journal_id = j.id
             WHERE j.kind = 'submit_application' AND a.number IS NULL"
        )
        .fetch_all(&self.pool)
        .await?;
        report.problems.extend(
            missing
                .into_iter()
                .map(|n| format!("submission of {n} is journaled but the application is missing")),
        );
        let mut after = String::new();
        loop {
            let rows = sqlx::query!(
                "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.fee_grosz, j.payload
                 FROM applications a JOIN journal j ON j.id = a.journal_id
                 WHERE a.number > ?1 ORDER BY a.number LIMIT 5000",
                after
            )
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.number.clone();
            for r in rows {
                report.applications += 1;
                // The row the screens read must say what the journal says.
                let p: serde_json::Value = serde_json::from_str(&r.payload).unwrap_or_default();
                let a = &p["application"];
                let same = p["number"] == r.number.as_str()
                    && a["kind"]["kind"] == r.kind.as_str()
                    && a["applicant"]["pesel"] == r.pesel.as_str()
                    && a["applicant"]["surname"] == r.surname.as_str()
                    && a["applicant"]["given_names"] == r.given_names.as_str()
                    && a["applicant"]["birth_date"] == r.birth_date.as_str()
                    && a["fee"]["amount_grosz"] == r.fee_grosz;
                if !same {
                    report.problems.push(format!(
                        "application {} differs from its journal entry",
                        r.number
                    ));
                }
            }
        }
        Ok(report)
    }
}
