//! Every Rust fragment of README.md, docs/*.md and the crates' READMEs, compiled with
//! warnings denied; those marked `run` are run against the typed mocks (see `build.rs`
//! for how a fragment is wrapped). A failure names the document and line in the item's
//! doc comment (`/// README.md:35`) of `OUT_DIR/doc_fragments.rs`.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/doc_fragments.rs"));
