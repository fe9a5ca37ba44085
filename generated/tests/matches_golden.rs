//! The code this crate compiles is byte for byte the checked-in golden
//! `tests/golden/dms.rs`, so that golden is compiled (under `#![deny(warnings)]`) by
//! building this crate.

#[test]
fn compiled_code_is_the_golden() {
    let compiled = include_str!(concat!(env!("OUT_DIR"), "/dms.rs"));
    let golden_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/dms.rs");
    let golden = std::fs::read_to_string(golden_path).unwrap_or_default();
    assert!(
        compiled == golden,
        "{golden_path} differs from what build.rs generated; refresh it with \
         `UPDATE_GOLDEN=1 cargo test -p awsgen-codegen --test golden` and review the diff"
    );
}
