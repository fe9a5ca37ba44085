//! The whole S3 model (botocore 1.44.8, `tests/fixtures/models/s3`), every operation.

fn main() {
    awsgen_codegen::Config::new()
        .model("../../tests/fixtures/models/s3/2006-03-01")
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
}
