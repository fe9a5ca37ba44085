//! DescribeEndpoints with a large response (about 1,000 endpoints, 1 MB) N times with the
//! official SDK: parse time and peak memory. `bench-sdk-large <port> <calls>`.
//! (A program of its own, so that `bench-sdk` stays the minimal DeleteConnection program
//! whose build and size `compare.py` measures.)

mod client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let client = client::client(url).await;
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
