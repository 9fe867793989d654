//! `counterctl journal login-failures`: the failed log-ins recorded at this
//! counter, for office IT (who tried which account, when, how it failed,
//! and whether the clerk logged in successfully afterwards).

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
