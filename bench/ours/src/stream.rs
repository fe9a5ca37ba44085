//! A streaming download through our transport: `HyperClient` (the default of every
//! generated client) and `ByteStream`, drained chunk by chunk, from the local server's
//! `/bench/stream` object. `bench-ours-stream <port> <bytes>`; prints the stream report
//! line. (S3 itself is issue #28; the transport and the body are what stream.)

use awsgen_runtime::http::{HttpClient, HyperClient};
use awsgen_runtime::ByteStream;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, bytes) = bench_common::stream_args();
    let client = HyperClient::builder().build().expect("transport");
    bench_common::stream(bytes, || async {
        let request = http::Request::get(format!("{url}/bench/stream-{bytes}"))
            .body(ByteStream::new())
            .expect("request");
        let response = client.send(request).await.expect("GET");
        assert_eq!(response.status(), 200);
        let mut body = response.into_body();
        let mut n = 0u64;
        while let Some(chunk) = body.next().await {
            n += chunk.expect("body").len() as u64;
        }
        n
    })
    .await;
}
