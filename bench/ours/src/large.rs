//! DescribeEndpoints with a large response (about 1,000 endpoints, 1 MB) N times with the
//! generated client: parse time and peak memory. `bench-ours-large <port> <calls>`.
//! (A program of its own, so that `bench-ours` stays the minimal DeleteConnection program
//! whose build and size `compare.py` measures.)

mod client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let client = client::client(url);
    bench_common::run(calls, || async {
        let out = client
            .describe_endpoints(Default::default())
            .await
            .expect("DescribeEndpoints");
        assert_eq!(
            out.endpoints.map_or(0, |e| e.len()),
            bench_common::ENDPOINTS
        );
    })
    .await;
}
