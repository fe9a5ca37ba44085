//! DeleteConnection N times with the official SDK (`aws-sdk-databasemigration` with
//! `aws-config`). `bench-sdk <port> <calls>`.

use bench_common::{ENDPOINT_ARN, INSTANCE_ARN};

mod client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let client = client::client(url).await;
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
