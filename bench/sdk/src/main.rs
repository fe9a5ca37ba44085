//! DeleteConnection N times with the official SDK (`aws-sdk-databasemigration` with
//! `aws-config`). `bench-sdk <port> <calls>`.

use aws_sdk_databasemigration::config::{Credentials, Region};
use bench_common::{AKID, ENDPOINT_ARN, INSTANCE_ARN, SECRET};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AKID, SECRET, None, None, "static"))
        .endpoint_url(url)
        .load()
        .await;
    let client = aws_sdk_databasemigration::Client::new(&shared);
    bench_common::run(calls, || async {
        let out = client
            .delete_connection()
            .endpoint_arn(ENDPOINT_ARN)
            .replication_instance_arn(INSTANCE_ARN)
            .send()
            .await
            .expect("DeleteConnection");
        assert!(out.connection.is_some());
    })
    .await;
}
