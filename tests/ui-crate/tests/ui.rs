//! Compile-time guarantees, checked by compiling small programs that must fail (trybuild).
//! Refresh the expected `.stderr` files with `TRYBUILD=overwrite cargo test -p awsgen-ui --test ui`.
//!
//! Only compile-fail cases live here: with no pass case trybuild runs `cargo check`, not
//! `cargo build`, over its own copy of the dependency graph. What must compile is
//! `tests/tests/api_usage.rs` (crate `awsgen-tests`), an ordinary test. The cases use
//! this crate, the DMS client with DeleteConnection only, whose graph is light.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
