//! Generates the DMS client from the pinned botocore model into `OUT_DIR/dms.rs`.

fn main() {
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/dms/2016-01-01/service-2.json");
    if let Err(e) = awsgen_codegen::Config::new().model(&model).compile() {
        // A build script reports failure by exiting non-zero; the message names the
        // model file, shape and member.
        eprintln!("error: generating the DMS client failed: {e}");
        std::process::exit(1);
    }
}
