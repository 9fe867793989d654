//! `counterctl journal login-failures`: the failed log-ins recorded at this
//! counter, for office IT (who tried which account, when, how it failed,
//! and whether the clerk logged in successfully afterwards); and
//! `counterctl audit list`, the audit chain's rows.

use crate::commands::{journal_failure, open_journal_read_only, print_json};
use crate::exit::Exit;
use passport_counter_core::config::Resolved;
use passport_journal::LoginFailureReason;
use serde_json::json;

/// How a failure is said in the listing.
fn reason_words(reason: LoginFailureReason) -> &'static str {
    match reason {
        LoginFailureReason::RegisterRefused => "wrong password (the register refused it)",
        LoginFailureReason::VerifierMismatch => "wrong password (checked offline)",
        LoginFailureReason::Throttled => "refused unchecked: waiting after failed log-ins",
        LoginFailureReason::CredentialRefused => {
            "refused unchecked: the offline credential was edited or copied (MAC)"
        }
    }
}

pub async fn login_failures(cfg: &Resolved, limit: u32, as_json: bool) -> Exit {
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    let rows = match journal.login_failures(limit).await {
        Ok(rows) => rows,
        Err(e) => return journal_failure(&e),
    };
    if as_json {
        let rows: Vec<_> = rows
            .iter()
            .map(|f| {
                json!({
                    "clerk_id": f.clerk_id,
                    "office": f.office_code,
                    "workstation": f.workstation_id,
                    "failed_at": f.failed_at,
                    "reason": f.reason.as_str(),
                    "cleared_at": f.cleared_at,
                })
            })
            .collect();
        print_json(&json!({ "login_failures": rows }));
        return Exit::Ok;
    }
    if rows.is_empty() {
        println!("no failed log-ins recorded");
        return Exit::Ok;
    }
    println!("{:<24} {:<20} {:<10} how", "when (UTC)", "clerk", "counter");
    for f in &rows {
        let later = f
            .cleared_at
            .as_deref()
            .map(|t| format!("; logged in at {t}"))
            .unwrap_or_default();
        println!(
            "{:<24} {:<20} {:<10} {}{later}",
            f.failed_at,
            f.clerk_id,
            format!("{}-{}", f.office_code, f.workstation_id),
            reason_words(f.reason)
        );
    }
    Exit::Ok
}

/// `counterctl audit list`: the audit chain's rows in order.
pub async fn audit_list(cfg: &Resolved, after: i64, limit: u32, as_json: bool) -> Exit {
    let journal = match open_journal_read_only(cfg).await {
        Ok(j) => j,
        Err(code) => return code,
    };
    let rows = match journal.audit_rows(after, limit).await {
        Ok(rows) => rows,
        Err(e) => return journal_failure(&e),
    };
    if as_json {
        let rows: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "seq": r.seq,
                    "kind": r.kind,
                    "actor": r.actor,
                    "record": r.record_key,
                    "office": r.office_code,
                    "workstation": r.workstation_id,
                    "at": r.at,
                    "detail": r.detail,
                    "hash": r.entry_hash,
                })
            })
            .collect();
        print_json(&json!({ "audit": rows }));
        return Exit::Ok;
    }
    if rows.is_empty() {
        println!("no audit rows after {after}");
        return Exit::Ok;
    }
    println!(
        "{:>6} {:<24} {:<15} {:<20} {:<12} detail",
        "seq", "when (UTC)", "what", "who", "record"
    );
    for r in &rows {
        println!(
            "{:>6} {:<24} {:<15} {:<20} {:<12} {}",
            r.seq, r.at, r.kind, r.actor, r.record_key, r.detail
        );
    }
    Exit::Ok
}
