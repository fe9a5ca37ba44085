//! Compile-time guarantees, checked by compiling small programs (trybuild).
//! Refresh the expected `.stderr` files with `TRYBUILD=overwrite cargo test -p awsgen-tests --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
