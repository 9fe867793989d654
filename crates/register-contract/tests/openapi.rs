//! docs/register-openapi.json is generated from the contract's types. This
//! test fails when it is stale; `UPDATE_OPENAPI=1 cargo test -p
//! passport-register-contract` (or `make openapi`) rewrites it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code

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
