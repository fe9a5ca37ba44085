//! Generates the DMS client from the pinned botocore model into `OUT_DIR/dms.rs`.
//!
//! The model is read from this package's own `models/` (links to the workspace's
//! `models/`, which cargo packages as files), so that the published crate builds.
//!
//! `AWSGEN_DMS_OPERATIONS=DeleteConnection,DescribeConnections` limits the client to those
//! operations (and the shapes they use), for smaller, faster builds.

fn main() {
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models/dms/2016-01-01/service-2.json");
    println!("cargo:rerun-if-env-changed=AWSGEN_DMS_OPERATIONS");
    let mut config = awsgen_codegen::Config::new();
    config
        .model(&model)
        .blocking_feature("blocking")
        .test_util_feature("test-util")
        .examples("dms_examples.rs", "awsgen_dms");
    if let Ok(ops) = std::env::var("AWSGEN_DMS_OPERATIONS") {
        config.operations(ops.split(',').map(str::trim).filter(|s| !s.is_empty()));
    }
    if let Err(e) = config.compile() {
        // A build script reports failure by exiting non-zero; the message names the
        // model file, shape and member.
        eprintln!("error: generating the DMS client failed: {e}");
        std::process::exit(1);
    }
}
