//! No log site names personal data: every `tracing` macro in the
//! workspace's sources (its fields, its values and the names inlined in its
//! format string) is searched for the words personal data go by (a PESEL,
//! names, address, contacts, photo, the application, who collects, the
//! request or answer bodies, passwords and PINs). Types holding such data
//! already print nothing through `Debug` (`passport_domain::redact`); this
//! keeps a `%surname` or `{pesel}` from being written in the first place.
//! `tests/log_privacy.rs` checks what a real day actually logs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

/// Identifiers (whole words, any case, `_`-separated parts included) no
/// log site may use.
const FORBIDDEN: &[&str] = &[
    "pesel",
    "surname",
    "surnames",
    "given",
    "names",
    "birth",
    "address",
    "street",
    "postal",
    "phone",
    "email",
    "mail",
    "photo",
    "face",
    "jpeg",
    "png",
    "image",
    "applicant",
    "guardian",
    "guardians",
    "collector",
    "holder",
    "draft",
    "form",
    "mrz",
    "dg1",
    "dg2",
    "identity",
    "password",
    "pin",
    "secret",
    "verifier",
    "body",
    "payload",
    "req",
    "request",
    "application",
    "app",
    "person",
];

const MACROS: &[&str] = &[
    "trace",
    "debug",
    "info",
    "warn",
    "error",
    "event",
    "span",
    "trace_span",
    "debug_span",
    "info_span",
    "warn_span",
    "error_span",
];

/// The text of every `tracing` macro call in `source`: `tracing::info!(…)`,
/// or `info!(…)` in a file that imports from `tracing`.
fn log_calls(source: &str) -> Vec<String> {
    let imports = source.contains("use tracing");
    let bytes = source.as_bytes();
    let mut calls = Vec::new();
    for m in MACROS {
        let pat = format!("{m}!");
        let mut from = 0;
        while let Some(at) = source[from..].find(&pat) {
            let start = from + at;
            from = start + pat.len();
            let before = &source[..start];
            let qualified = before.strip_suffix("tracing::").is_some_and(|b| {
                !b.chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            });
            let bare = imports
                && !before
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            if !(qualified || bare) {
                continue;
            }
            let rest = &source[from..];
            let open = rest.len() - rest.trim_start().len();
            if bytes.get(from + open) != Some(&b'(') {
                continue;
            }
            let mut depth = 0usize;
            let mut in_str = false;
            let mut escaped = false;
            let mut end = None;
            for (i, c) in source[from + open..].char_indices() {
                if in_str {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_str = true,
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(from + open + i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(end) = end {
                calls.push(source[start..end].to_owned());
            }
        }
    }
    calls
}

/// The identifiers a call uses: outside string literals, and the names
/// inlined in its format strings (`{pesel}`, `{:?}` has none).
fn identifiers(call: &str) -> Vec<String> {
    let mut code = String::new();
    let mut inlined = String::new();
    let mut in_str = false;
    let mut escaped = false;
    for c in call.chars() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    in_str = false;
                    code.push(' ');
                }
                _ => inlined.push(c),
            }
        } else if c == '"' {
            in_str = true;
        } else {
            code.push(c);
        }
    }
    // In a format string only what is inside braces names a value.
    let mut from_format = String::new();
    let mut depth = 0;
    for c in inlined.chars() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = 0;
                from_format.push(' ');
            }
            _ if depth > 0 => from_format.push(c),
            _ => {}
        }
    }
    format!("{code} {from_format}")
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let lower = w.to_lowercase();
            let mut parts: Vec<String> = lower.split('_').map(str::to_owned).collect();
            parts.push(lower);
            parts
        })
        .collect()
}

/// What a call uses that it must not.
fn forbidden_in(call: &str) -> Vec<String> {
    let macro_name = call.split('!').next().unwrap_or("");
    let mut found: Vec<String> = identifiers(call)
        .into_iter()
        .filter(|w| FORBIDDEN.contains(&w.as_str()))
        // The macro's own path (`tracing::info`) is not a value.
        .filter(|w| !macro_name.to_lowercase().contains(w.as_str()))
        .collect();
    found.sort();
    found.dedup();
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_log_site_names_personal_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    // Only the sources the programs run, not tests (their own data).
    files.retain(|p| {
        let s = p.to_string_lossy();
        !s.contains("/tests/") && !s.contains("/benches/") && !s.contains("/examples/")
    });
    assert!(files.len() > 50, "{} files", files.len());
    let mut sites = 0;
    let mut bad = Vec::new();
    for f in &files {
        let source = std::fs::read_to_string(f).unwrap();
        for call in log_calls(&source) {
            sites += 1;
            let found = forbidden_in(&call);
            if !found.is_empty() {
                bad.push(format!("{}: {found:?} in {call}", f.display()));
            }
        }
    }
    // The counter does log: the search found its sites.
    assert!(sites >= 10, "only {sites} log sites found");
    assert!(
        bad.is_empty(),
        "log sites naming personal data:\n{}",
        bad.join("\n")
    );
}

/// The search can fail: planted log sites that name personal data are
/// found, however they name it; the counter's own kinds of site pass.
#[test]
fn the_search_finds_planted_personal_data() {
    let source = r#"
        use tracing::{debug, info};
        fn f() {
            tracing::info!(pesel = %a.pesel, "saved");
            debug!(?draft, "checked");
            tracing::warn!("collector {} refused", req.collector.surname);
            info!("mailing {email}");
            tracing::trace!(entry = %e.id, kind = %e.kind, "acknowledged by the register");
            tracing::info!(document = ?doc, pages, "printout saved");
            tracing::error!(applicant_name = %n, "x");
            not_tracing::info!(pesel);
            my_info!(pesel);
        }
    "#;
    let calls = log_calls(source);
    let found: Vec<Vec<String>> = calls.iter().map(|c| forbidden_in(c)).collect();
    let flagged: Vec<&String> = calls
        .iter()
        .zip(&found)
        .filter(|(_, f)| !f.is_empty())
        .map(|(c, _)| c)
        .collect();
    assert_eq!(flagged.len(), 5, "{calls:#?}\n{found:?}");
    for needle in [
        "a.pesel",
        "?draft",
        "req.collector",
        "{email}",
        "applicant_name",
    ] {
        assert!(
            flagged.iter().any(|c| c.contains(needle)),
            "{needle} not flagged: {flagged:#?}"
        );
    }
    // Neither the look-alike macros nor the safe sites.
    assert!(
        !calls
            .iter()
            .any(|c| c.contains("not_tracing") || c.contains("my_info"))
    );
    assert_eq!(calls.len(), 7, "{calls:#?}");
}
