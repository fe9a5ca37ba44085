//! DeleteConnection N times with the generated client. `bench-ours <port> <calls>`.

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired,
};
use awsgen_dms::{Client, Config, Credentials};
use bench_common::{AKID, ENDPOINT_ARN, INSTANCE_ARN, SECRET};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(AKID, SECRET, None, None, "static"))
            .endpoint_url(url)
            .build(),
    );
    bench_common::run(calls, || async {
        let out = client
            .delete_connection(DeleteConnectionInput::new(DeleteConnectionInputRequired {
                endpoint_arn: ENDPOINT_ARN.into(),
                replication_instance_arn: INSTANCE_ARN.into(),
            }))
            .await
            .expect("DeleteConnection");
        assert!(out.connection.is_some());
    })
    .await;
}
