//! DeleteConnection N times with the generated client. `bench-ours <port> <calls>`.

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired,
};
use bench_common::{ENDPOINT_ARN, INSTANCE_ARN};

mod client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let client = client::client(url);
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
