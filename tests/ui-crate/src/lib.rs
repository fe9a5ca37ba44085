//! The DMS client with DeleteConnection only (`tests/golden/dms_delete_connection.rs`, the
//! golden the generator's tests keep current), as a crate of its own for the
//! compile-fail cases in `tests/ui`.
//!
//! trybuild checks its cases in a project of its own, with its own copy of the crate's
//! whole dependency graph; depending on the runtime alone (not on `awsgen-dms`, whose
//! build script compiles the generator, nor on the test crate's dev-dependencies) keeps
//! that check short.

include!("../../golden/dms_delete_connection.rs");
