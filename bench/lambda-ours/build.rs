fn main() {
    awsgen_codegen::Config::new()
        .model("../../tests/fixtures/botocore-sample/lambda/2015-03-31")
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));
}
