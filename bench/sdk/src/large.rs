//! DescribeEndpoints with a large response (about 1,000 endpoints, 1 MB) N times with the
//! official SDK: parse time and peak memory. `bench-sdk-large <port> <calls>`.
//! (A program of its own, so that `bench-sdk` stays the minimal DeleteConnection program
//! whose build and size `compare.py` measures.)

use aws_sdk_databasemigration::config::{Credentials, Region};
use bench_common::{AKID, SECRET};

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
            .describe_endpoints()
            .send()
            .await
            .expect("DescribeEndpoints");
        assert_eq!(
            out.endpoints.map_or(0, |e| e.len()),
            bench_common::ENDPOINTS
        );
    })
    .await;
}
