//! Compiles the checked-in golden files, so a golden that does not compile fails the
//! build (under `#![deny(warnings)]`, like any generated client).
//!
//! The whole-DMS golden is compiled by the `awsgen-dms` crate: its build script generates
//! the same file, and `generated/tests/matches_golden.rs` checks the two are identical.

#![deny(warnings)]

/// The generator's output for DMS with the allow-list `["DeleteConnection"]`
/// (`tests/golden/dms_delete_connection.rs`).
pub mod dms_delete_connection {
    include!("../golden/dms_delete_connection.rs");
}

/// The generator's output for the fixture model `tests/fixtures/recursive`
/// (`tests/golden/fixture.rs`): recursion, maps, documents, keywords, odd enum values.
pub mod fixture {
    include!("../golden/fixture.rs");
}

/// The generator's output for the rest-json fixture model `tests/fixtures/restjson`
/// (`tests/golden/restjson.rs`): every HTTP binding (labels, greedy labels, a literal
/// query, query lists and maps, headers of every kind, status code, payloads, a fault's
/// header members); `tests/tests/restjson.rs` sends it against a local server.
pub mod restjson {
    include!("../golden/restjson.rs");
}

/// The bodies of the fuzz targets (`fuzz/`), also run on stable by `tests/tests/fuzz.rs`.
pub mod fuzz;
