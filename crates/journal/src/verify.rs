//! `journal verify`: is the journal whole and consistent with the local tables?

use crate::audit::{AuditFields, AuditKind};
use crate::entry::{GENESIS_HASH, HashedFields, SyncState, sha256_hex};
use crate::payload::EntryPayload;
use crate::purge::{PURGED_PAYLOAD, SealFields, seal};
use crate::{Journal, Result};
use serde::Serialize;

/// What `verify` found. `problems` is empty when all is well.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub applications: u64,
    /// Rows of the audit chain (`audit_log`).
    pub audit_rows: u64,
    pub problems: Vec<String>,
    /// A hash chain (the journal's or the audit log's) is broken: a row
    /// was edited, removed, inserted or moved. (`problems` names it.)
    pub chain_broken: bool,
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

        // Entries whose personal data were purged, with their records.
        let purged = self.purge_records(&mut report).await?;
        // The hash chain, in pages so a large journal is not loaded at once.
        let mut submitted_photos = Vec::new();
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
            // The hashes a broken link is tried against, to tell an edit
            // from a move (`name_break`).
            let page_hashes: Vec<String> = std::iter::once(prev_hash.clone())
                .chain(rows.iter().map(|r| r.entry_hash.clone()))
                .collect();
            for r in rows {
                report.entries += 1;
                if r.seq != expected_seq {
                    report.chain_broken = true;
                    report
                        .problems
                        .push(format!("entries {expected_seq}–{} are missing", r.seq - 1));
                }
                let rehash = |prev_hash: &str, seq: i64| {
                    HashedFields {
                        prev_hash,
                        seq,
                        id: &r.id,
                        kind: &r.kind,
                        record_key: &r.record_key,
                        depends_on: r.depends_on.as_deref(),
                        payload: &r.payload,
                        clerk_id: &r.clerk_id,
                        device_time: &r.device_time,
                    }
                    .hash()
                };
                let what = format!("journal entry {} ({}, {})", r.seq, r.kind, r.id);
                let hashes_right = rehash(&prev_hash, r.seq) == r.entry_hash;
                let purge = purged.get(&r.id);
                // A purged entry's hash covered the payload that is gone: it
                // stands on its purge record instead (see `purge`).
                let is_purged = !hashes_right && r.payload == PURGED_PAYLOAD;
                if is_purged {
                    let fields = SealFields {
                        seq: r.seq,
                        id: &r.id,
                        kind: &r.kind,
                        record_key: &r.record_key,
                        depends_on: r.depends_on.as_deref(),
                        payload_sha256: "",
                        clerk_id: &r.clerk_id,
                        device_time: &r.device_time,
                        entry_hash: &r.entry_hash,
                    };
                    if let Some(problem) = check_purged(&what, fields, purge) {
                        report.chain_broken = true;
                        report.problems.push(problem);
                    }
                } else if !hashes_right {
                    report.chain_broken = true;
                    report.problems.push(name_break(
                        r.seq != expected_seq,
                        &what,
                        r.seq,
                        &r.entry_hash,
                        &page_hashes,
                        rehash,
                    ));
                } else if purge.is_some() {
                    report.problems.push(format!(
                        "{what} has a purge record but still holds its payload"
                    ));
                }
                if SyncState::parse(&r.sync_state).is_none() {
                    report.problems.push(format!(
                        "entry {} has an unknown sync state {:?}",
                        r.seq, r.sync_state
                    ));
                }
                match EntryPayload::decode(&r.kind, &r.payload) {
                    // Said above, when it is not a purge.
                    _ if is_purged => {}
                    Ok(EntryPayload::SubmitApplication(p)) => {
                        submitted_photos.push((r.seq, p.photo.sha256));
                    }
                    Ok(_) => {}
                    Err(e) => report.problems.push(format!("entry {}: {e}", r.seq)),
                }
                prev_hash = r.entry_hash;
                expected_seq = r.seq + 1;
            }
        }

        self.verify_tail(expected_seq - 1, &prev_hash, &mut report)
            .await?;
        self.verify_audit(&mut report).await?;
        self.verify_decisions(&mut report).await?;
        self.verify_numbers(&mut report).await?;
        self.verify_photos(&submitted_photos, &mut report).await?;

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
             WHERE j.kind = 'submit_application' AND a.number IS NULL
               AND NOT EXISTS (SELECT 1 FROM purges p WHERE p.journal_id = j.id)"
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
                "SELECT a.number, a.kind, a.pesel, a.surname, a.given_names, a.birth_date, a.fee_grosz, a.photo_sha256, j.payload
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
                let same = match EntryPayload::decode("submit_application", &r.payload) {
                    Ok(EntryPayload::SubmitApplication(p)) => {
                        let a = &p.application;
                        p.number == r.number
                            && a.kind.code() == r.kind
                            && a.applicant.pesel.to_string() == r.pesel
                            && a.applicant.surname == r.surname
                            && a.applicant.given_names == r.given_names
                            && a.applicant.birth_date.to_string() == r.birth_date
                            && i64::from(a.fee.amount_grosz) == r.fee_grosz
                            && p.photo.sha256 == r.photo_sha256
                    }
                    // Reported with the entry above.
                    Ok(_) | Err(_) => false,
                };
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

impl Journal {
    /// A cut tail: the last entry must be the head recorded beside the
    /// database, and SQLite's high-water mark of the sequence must not be
    /// past it.
    async fn verify_tail(
        &self,
        last_seq: i64,
        last_hash: &str,
        report: &mut VerifyReport,
    ) -> Result<()> {
        // sqlite_sequence is SQLite's own table; the query takes no input.
        let high: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'journal'")
                .fetch_optional(&self.pool)
                .await?;
        if let Some(high) = high.filter(|&h| h > last_seq) {
            report.chain_broken = true;
            report.problems.push(format!(
                "entries {}–{high} were removed from the end of the journal (it ends at entry {last_seq})",
                last_seq + 1
            ));
        }
        match crate::head::read(self.path()) {
            Ok(None) => {}
            Ok(Some(head)) if head.seq > last_seq => {
                report.chain_broken = true;
                report.problems.push(format!(
                    "entries {}–{} were removed from the end of the journal (the recorded head is entry {})",
                    last_seq + 1,
                    head.seq,
                    head.seq
                ));
            }
            Ok(Some(head)) if head.seq == last_seq && head.hash != last_hash => {
                report.chain_broken = true;
                report.problems.push(format!(
                    "entry {last_seq} is not the entry that was written last (its hash differs from the recorded head)"
                ));
            }
            Ok(Some(_)) => {}
            Err(e) => report.problems.push(format!("chain head: {e}")),
        }
        Ok(())
    }

    /// Every stored photo's bytes still hash to their key, and every
    /// submission's photo is there.
    async fn verify_photos(
        &self,
        submitted: &[(i64, String)],
        report: &mut VerifyReport,
    ) -> Result<()> {
        let mut after = String::new();
        let mut stored = std::collections::HashSet::new();
        loop {
            let rows = sqlx::query!(
                "SELECT sha256, bytes FROM photos WHERE sha256 > ?1 ORDER BY sha256 LIMIT 200",
                after
            )
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.sha256.clone();
            for r in rows {
                if sha256_hex(&r.bytes) != r.sha256 {
                    report.problems.push(format!(
                        "the photo {} has been changed: its bytes no longer match their hash",
                        r.sha256
                    ));
                }
                stored.insert(r.sha256);
            }
        }
        for (seq, sha) in submitted {
            if !stored.contains(sha) {
                report
                    .problems
                    .push(format!("entry {seq}: its photo {sha} is missing"));
            }
        }
        Ok(())
    }

    /// Every decision recorded since decisions are chained says what its
    /// journal entry says.
    async fn verify_decisions(&self, report: &mut VerifyReport) -> Result<()> {
        let rows = sqlx::query!(
            r#"SELECT d.entry_id, d.outcome, d.note, d.supervisor_id, d.journal_id AS "journal_id!",
                      j.kind AS "kind?", j.payload AS "payload?", j.clerk_id AS "clerk_id?"
               FROM decisions d LEFT JOIN journal j ON j.id = d.journal_id
               WHERE d.journal_id IS NOT NULL"#
        )
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let same = match (r.kind, r.payload, r.clerk_id) {
                (Some(kind), Some(payload), Some(clerk)) => {
                    match EntryPayload::decode(&kind, &payload) {
                        Ok(EntryPayload::SupervisorDecision(p)) => {
                            p.entry_id == r.entry_id
                                && p.outcome.as_str() == r.outcome
                                && p.note == r.note
                                && clerk == r.supervisor_id
                        }
                        _ => false,
                    }
                }
                _ => false,
            };
            if !same {
                report.problems.push(format!(
                    "the decision on entry {} differs from its journal entry {}",
                    r.entry_id, r.journal_id
                ));
            }
        }
        Ok(())
    }

    /// Every application number issued has its submission in the journal:
    /// the counter only grows, in the same transaction as the entry, so
    /// fewer submissions than numbers means some were removed.
    async fn verify_numbers(&self, report: &mut VerifyReport) -> Result<()> {
        // No counter row: no number was ever issued.
        let issued = sqlx::query_scalar!(
            r#"SELECT COALESCE((SELECT value FROM counters WHERE name = 'application'), 0) AS "n!: i64""#
        )
        .fetch_one(&self.pool)
        .await?;
        let journaled = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM journal WHERE kind = 'submit_application'"#
        )
        .fetch_one(&self.pool)
        .await?;
        if issued > journaled {
            report.problems.push(format!(
                "{issued} application numbers were issued but only {journaled} submissions are in the journal: {} were removed",
                issued - journaled
            ));
        }
        Ok(())
    }
}

/// How far a moved row is looked for from where it stands.
const MOVED_WITHIN: i64 = 8;

/// Names what broke a chain at a row whose hash does not follow from the
/// row before it: `rehash(prev, seq)` is the row's hash had it been written
/// as row `seq` after the row hashed `prev`; `hashes` are the stored hashes
/// near it (and the one before the first). A row that hashes right at
/// another position was moved; one that hashes right at its own position
/// after another row follows a row removed, inserted or rewritten; one
/// that hashes right nowhere was edited (or written in by hand). After a
/// gap (`after_gap`) the row it followed is gone: that is what is said.
fn name_break(
    after_gap: bool,
    what: &str,
    seq: i64,
    stored: &str,
    hashes: &[String],
    rehash: impl Fn(&str, i64) -> String,
) -> String {
    // The rows it followed are gone, and their hashes with them.
    if after_gap && rehash(GENESIS_HASH, seq) != stored {
        return format!(
            "{what} does not follow the row before it: the rows before it were removed"
        );
    }
    let genesis = GENESIS_HASH.to_owned();
    let prevs = || hashes.iter().chain(std::iter::once(&genesis));
    for at in (seq - MOVED_WITHIN).max(1)..=seq + MOVED_WITHIN {
        if at != seq && prevs().any(|p| rehash(p, at) == stored) {
            return format!(
                "{what} does not match its hash: it was written as number {at}, so rows were reordered or renumbered"
            );
        }
    }
    if prevs().any(|p| rehash(p, seq) == stored) {
        return format!(
            "{what} does not follow the row before it: a row before it was removed, inserted or rewritten"
        );
    }
    format!("{what} does not match its hash: its contents were edited, or it was inserted")
}

impl Journal {
    /// The audit chain: numbering, hashes, a cut tail (SQLite's
    /// high-water mark), and every refused log-in it records still in
    /// `login_failures` (where the wait is counted from).
    async fn verify_audit(&self, report: &mut VerifyReport) -> Result<()> {
        let rows = sqlx::query_as!(
            crate::audit::AuditRecord,
            "SELECT seq, kind, actor, record_key, office_code, workstation_id, at, detail, entry_hash
             FROM audit_log ORDER BY seq"
        )
        .fetch_all(&self.pool)
        .await?;
        let hashes: Vec<String> = rows.iter().map(|r| r.entry_hash.clone()).collect();
        let mut prev_hash = GENESIS_HASH.to_owned();
        let mut expected_seq = 1i64;
        for r in &rows {
            report.audit_rows += 1;
            if r.seq != expected_seq {
                report.chain_broken = true;
                report.problems.push(format!(
                    "audit_log rows {expected_seq}–{} are missing (deleted)",
                    r.seq - 1
                ));
            }
            let rehash = |prev_hash: &str, seq: i64| {
                AuditFields {
                    prev_hash,
                    seq,
                    kind: &r.kind,
                    actor: &r.actor,
                    record_key: &r.record_key,
                    office_code: &r.office_code,
                    workstation_id: &r.workstation_id,
                    at: &r.at,
                    detail: &r.detail,
                }
                .hash()
            };
            if rehash(&prev_hash, r.seq) != r.entry_hash {
                report.chain_broken = true;
                report.problems.push(name_break(
                    r.seq != expected_seq,
                    &format!(
                        "audit_log row {} ({} by {} at {})",
                        r.seq, r.kind, r.actor, r.at
                    ),
                    r.seq,
                    &r.entry_hash,
                    &hashes,
                    rehash,
                ));
            }
            if AuditKind::parse(&r.kind).is_none() {
                report.problems.push(format!(
                    "audit_log row {} has an unknown kind {:?}",
                    r.seq, r.kind
                ));
            }
            prev_hash = r.entry_hash.clone();
            expected_seq = r.seq + 1;
        }
        let last_seq = expected_seq - 1;
        // sqlite_sequence is SQLite's own table; the query takes no input.
        let high: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
                .fetch_optional(&self.pool)
                .await?;
        if let Some(high) = high.filter(|&h| h > last_seq) {
            report.chain_broken = true;
            report.problems.push(format!(
                "audit_log rows {}–{high} were removed from the end (it ends at row {last_seq})",
                last_seq + 1
            ));
        }
        let missing = sqlx::query!(
            "SELECT a.seq, a.actor, a.at FROM audit_log a
             WHERE a.kind = 'log_in_refused' AND NOT EXISTS (
                 SELECT 1 FROM login_failures f
                 WHERE f.clerk_id = a.actor AND f.failed_at = a.at AND f.reason = a.detail)
             ORDER BY a.seq"
        )
        .fetch_all(&self.pool)
        .await?;
        report.problems.extend(missing.into_iter().map(|m| {
            format!(
                "login_failures: the refused log-in of {} at {} (audit_log row {}) was deleted",
                m.actor, m.at, m.seq
            )
        }));
        Ok(())
    }
}

/// A purge as recorded: the `purges` row and its audit row (`None` when
/// that row is missing or is not a purge of this entry).
struct PurgeRecord {
    payload_sha256: String,
    audit_seq: i64,
    /// The audit row's seal, when the row is a purge of this entry.
    sealed: Option<String>,
}

/// Checks an entry whose payload is gone against its purge record; the
/// problem, if any, names the entry and what is missing or differs.
fn check_purged(what: &str, row: SealFields<'_>, purge: Option<&PurgeRecord>) -> Option<String> {
    let Some(p) = purge else {
        return Some(format!(
            "{what}: its payload was removed without a purge record (no purge in the audit chain): personal data deleted, or the entry edited, behind the journal's back"
        ));
    };
    let Some(sealed) = &p.sealed else {
        return Some(format!(
            "{what}: its purge's audit_log row {} is missing or is not the purge of this entry",
            p.audit_seq
        ));
    };
    let expected = seal(&SealFields {
        payload_sha256: &p.payload_sha256,
        ..row
    });
    (expected != *sealed).then(|| {
        format!(
            "{what}: purged, but it no longer matches its purge record (audit_log row {}): the entry or its purge record was edited",
            p.audit_seq
        )
    })
}

impl Journal {
    /// Every purge record, by journal id; a purge row without its entry,
    /// and a `purge` audit row without its purge row, are problems here.
    async fn purge_records(
        &self,
        report: &mut VerifyReport,
    ) -> Result<std::collections::HashMap<String, PurgeRecord>> {
        let rows = sqlx::query!(
            r#"SELECT p.journal_id, p.payload_sha256, p.audit_seq,
                      a.kind AS "audit_kind?", a.record_key AS "audit_record?", a.detail AS "detail?"
               FROM purges p LEFT JOIN audit_log a ON a.seq = p.audit_seq"#
        )
        .fetch_all(&self.pool)
        .await?;
        let mut map = std::collections::HashMap::with_capacity(rows.len());
        for r in rows {
            let is_its_purge = r.audit_kind.as_deref() == Some(AuditKind::Purge.as_str())
                && r.audit_record.as_deref() == Some(r.journal_id.as_str());
            map.insert(
                r.journal_id,
                PurgeRecord {
                    payload_sha256: r.payload_sha256,
                    audit_seq: r.audit_seq,
                    sealed: if is_its_purge { r.detail } else { None },
                },
            );
        }
        let orphans = sqlx::query!(
            "SELECT a.seq, a.record_key, a.actor, a.at FROM audit_log a
             WHERE a.kind = 'purge' AND NOT EXISTS (
                 SELECT 1 FROM purges p WHERE p.audit_seq = a.seq AND p.journal_id = a.record_key)
             ORDER BY a.seq"
        )
        .fetch_all(&self.pool)
        .await?;
        report.problems.extend(orphans.into_iter().map(|o| {
            format!(
                "purges: the purge of entry {} by {} at {} (audit_log row {}) has no purge row (deleted)",
                o.record_key, o.actor, o.at, o.seq
            )
        }));
        Ok(map)
    }
}
