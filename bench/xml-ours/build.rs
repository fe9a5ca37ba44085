//! IAM's ListRoles and EC2's DescribeInstances, generated from the models the tests use
//! (botocore 1.44.8, `tests/fixtures/models`).

fn main() {
    for (model, operation) in [
        ("iam/2010-05-08", "ListRoles"),
        ("ec2/2016-11-15", "DescribeInstances"),
    ] {
        awsgen_codegen::Config::new()
            .model(format!("../../tests/fixtures/models/{model}"))
            .operations([operation])
            .compile()
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
