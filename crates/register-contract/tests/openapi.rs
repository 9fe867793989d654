//! docs/register-openapi.json is generated from the contract's types. This
//! test fails when it is stale; `UPDATE_OPENAPI=1 cargo test -p
//! passport-register-contract` (or `make openapi`) rewrites it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

use serde_json::Value;
use std::path::Path;

#[test]
fn the_committed_openapi_document_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/register-openapi.json");
    let generated = passport_register_contract::openapi_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/register-openapi.json is stale: run `make openapi` and commit it"
    );
    let v: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(v["openapi"].as_str().map(|s| &s[..2]), Some("3."));
    for p in [
        "/v1/health",
        "/v1/applications",
        "/v1/handovers",
        "/v1/invalidations",
        "/v1/offices/{office}/ready-documents",
    ] {
        assert!(v["paths"][p].is_object(), "{p} missing");
    }
}

fn document() -> serde_json::Value {
    serde_json::from_str(&passport_register_contract::openapi_json()).unwrap()
}

/// Every operation of the document, as (path, method, operation).
fn operations(v: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut out = Vec::new();
    for (path, item) in v["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn every_problem_code_is_in_the_document_with_its_status_and_meaning() {
    use passport_register_contract::ProblemCode;
    let v = document();
    let schema = &v["components"]["schemas"]["ProblemCode"];
    let listed: Vec<&str> = schema["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let table = schema["description"].as_str().unwrap();
    for c in ProblemCode::ALL {
        // The text a register sends is what serde writes.
        assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        assert_eq!(ProblemCode::parse(c.as_str()), Some(c));
        assert!(listed.contains(&c.as_str()), "{c} not in the enum");
        assert!(
            table.contains(&format!("| `{c}` | {} | {} |", c.status(), c.meaning())),
            "{c} not in the table"
        );
    }
    assert_eq!(listed.len(), ProblemCode::ALL.len());
    for code in [
        "validation",
        "idempotency_key_reused",
        "idempotency_key_missing",
        "document_already_issued",
        "document_invalidated",
        "unknown_document",
        "unknown_office",
        "application_number_taken",
        "not_ready_here",
        "overloaded",
        "unavailable",
        "unknown_clerk",
        "invalid_credentials",
        "bad_request",
        "payload_too_large",
        "internal",
    ] {
        assert!(listed.contains(&code), "{code} missing");
    }
    assert_eq!(
        v["components"]["schemas"]["Problem"]["properties"]["code"]["$ref"],
        "#/components/schemas/ProblemCode"
    );
}

#[test]
fn a_reused_key_is_told_from_a_field_error_by_code_and_an_unknown_code_still_reads() {
    use passport_register_contract::{Problem, ProblemCode};
    let reused: Problem =
        serde_json::from_str(r#"{"code":"idempotency_key_reused","message":"m"}"#).unwrap();
    let field: Problem = serde_json::from_str(
        r#"{"code":"validation","message":"m","fields":[{"path":"applicant.pesel","code":"pesel","message":"x"}]}"#,
    )
    .unwrap();
    assert_eq!(reused.kind(), Some(ProblemCode::IdempotencyKeyReused));
    assert_eq!(field.kind(), Some(ProblemCode::Validation));
    assert_eq!(
        ProblemCode::IdempotencyKeyReused.status(),
        ProblemCode::Validation.status()
    );
    // A code from a later register is read, kept as text, and not guessed at.
    let newer: Problem =
        serde_json::from_str(r#"{"code":"quota_exceeded","message":"m"}"#).unwrap();
    assert_eq!(newer.code, "quota_exceeded");
    assert_eq!(newer.kind(), None);
}

#[test]
fn every_endpoint_documents_400_429_500_503_and_every_body_413_with_retry_after() {
    let v = document();
    let ops = operations(&v);
    assert_eq!(ops.len(), 11);
    for (path, method, op) in ops {
        let answers = op["responses"].as_object().unwrap();
        let mut need = vec!["400", "429", "500", "503"];
        if op.get("requestBody").is_some() {
            need.push("413");
        }
        for status in need {
            let a = &answers
                .get(status)
                .unwrap_or_else(|| panic!("{method} {path}: no {status}"));
            assert_eq!(
                a["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Problem",
                "{method} {path} {status}"
            );
            let text = a["description"].as_str().unwrap();
            assert!(
                text.contains("retry") || text.contains("Retry"),
                "{method} {path} {status} does not say what it means for a retry: {text}"
            );
        }
        for (status, a) in answers {
            if status == "429" || status == "503" {
                // Either form the counter reads: seconds or an HTTP-date.
                let forms: Vec<&Value> = a["headers"]["Retry-After"]["schema"]["oneOf"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{method} {path} {status}: no Retry-After"))
                    .iter()
                    .map(|f| &f["type"])
                    .collect();
                assert_eq!(forms, ["integer", "string"], "{method} {path} {status}");
            }
            // A read has no key: its answers must not tell it to use one.
            let is_write = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
            if !is_write && ["429", "500", "503"].contains(&status.as_str()) {
                let text = a["description"].as_str().unwrap();
                assert!(
                    !text.contains("key") && !text.contains("write"),
                    "{method} {path} {status} speaks of writes: {text}"
                );
            }
        }
    }
}

#[test]
fn the_specification_states_idempotency_cursor_and_limits() {
    let v = document();
    let d = v["info"]["description"].as_str().unwrap();
    for needle in [
        "UUIDv7",
        "across all write endpoints",
        "at least\n  **90 days**",
        "same JSON value",
        "Concurrent use",
        "**422** `idempotency_key_missing`",
        "16 MiB",
        "Retry-After",
        "`next_cursor` is always present",
        "**500, and no answer at all**",
    ] {
        assert!(
            d.contains(needle),
            "the description does not say {needle:?}"
        );
    }
    assert!(!d.contains("null` at the end"));
    let page = &v["components"]["schemas"]["ReadyDocumentsPage"];
    assert!(
        page["required"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("next_cursor")),
        "next_cursor is always present"
    );
    assert_eq!(page["properties"]["next_cursor"]["type"], "string");
    // A page without a cursor is not a v1 page.
    assert!(
        serde_json::from_str::<passport_register_contract::ReadyDocumentsPage>(
            r#"{"items":[],"next_cursor":null}"#
        )
        .is_err()
    );
}

#[test]
fn field_rules_and_the_number_format_are_in_the_schemas() {
    let v = document();
    let s = &v["components"]["schemas"];
    let submit = &s["SubmitApplication"]["properties"];
    let number = &submit["application_number"];
    assert!(
        number["pattern"]
            .as_str()
            .unwrap()
            .starts_with("^[A-Z0-9]{2,8}-")
    );
    assert!(
        number["description"]
            .as_str()
            .unwrap()
            .contains("ISO 7064 MOD 97-10")
    );
    let pesel = &s["Applicant"]["properties"]["pesel"];
    assert_eq!(pesel["pattern"], "^[0-9]{11}$");
    assert!(
        pesel["description"]
            .as_str()
            .unwrap()
            .contains("1,3,7,9,1,3,7,9,1,3")
    );
    assert_eq!(s["Applicant"]["properties"]["birth_date"]["format"], "date");
    assert_eq!(
        s["RecordHandover"]["properties"]["document_number"]["pattern"],
        "^[A-Z]{2}[0-9]{7}$"
    );
    assert!(
        s["Fee"]["properties"]["amount_grosz"]["description"]
            .as_str()
            .unwrap()
            .contains("grosz")
    );
    assert!(
        s["Validity"]["description"]
            .as_str()
            .unwrap()
            .contains("1 to 365")
    );
}

#[test]
fn schemas_and_text_agree_on_every_range_and_rule() {
    let v = document();
    let s = &v["components"]["schemas"];
    let (_, _, ready) = operations(&v)
        .into_iter()
        .find(|(p, _, _)| p.ends_with("/ready-documents"))
        .unwrap();
    let limit = ready["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(
        (
            limit["schema"]["minimum"].as_u64(),
            limit["schema"]["maximum"].as_u64()
        ),
        (Some(1), Some(500))
    );
    let validity = s["Validity"]["oneOf"].as_array().unwrap();
    assert_eq!(
        validity[0]["properties"]["years"]["enum"],
        serde_json::json!([5, 10])
    );
    let days = &validity[1]["properties"]["days"];
    assert_eq!(
        (days["minimum"].as_u64(), days["maximum"].as_u64()),
        (Some(1), Some(365))
    );
    for schema in ["SubmitApplication", "RecordHandover", "InvalidateDocument"] {
        assert_eq!(
            s[schema]["properties"]["clerk_id"]["pattern"], "^[A-Za-z0-9._@-]{1,64}$",
            "{schema}"
        );
    }
    assert!(
        !v.to_string().contains("[`"),
        "a Rust-doc link leaked into the document"
    );
    let number = s["SubmitApplication"]["properties"]["application_number"]["description"]
        .as_str()
        .unwrap();
    for needle in [
        "18446744073709551615",
        "not the IBAN",
        "1764570395971621010",
        "mod 97 that is 6",
        "98 - 18 = 80",
    ] {
        assert!(
            number.contains(needle),
            "the number's description lacks {needle:?}"
        );
    }
    assert!(!number.contains("as in an IBAN"));
    let d = v["info"]["description"].as_str().unwrap();
    for needle in [
        "**last**",
        "for this office",
        "another value is **400**",
        "HTTP-date",
        "414",
    ] {
        assert!(
            d.contains(needle),
            "the description does not say {needle:?}"
        );
    }
}

#[test]
fn the_worked_check_digit_example_is_what_the_algorithm_computes() {
    // The steps the description gives, computed here independently of the
    // domain's code: base-36 value, mod 97, then 98 - (100 n mod 97).
    let value = u128::from_str_radix("DEMO01000042", 36).unwrap();
    assert_eq!(value, 1_764_570_395_971_621_010);
    let n = value % 97;
    assert_eq!(n, 6);
    assert_eq!(98 - (100 * n) % 97, 80);
}

#[test]
fn a_duplicate_member_counts_as_the_last_one() {
    // What the description says, as serde_json reads a body.
    let v: Value = serde_json::from_str(r#"{"a":1,"a":2}"#).unwrap();
    assert_eq!(v, serde_json::json!({"a": 2}));
}
