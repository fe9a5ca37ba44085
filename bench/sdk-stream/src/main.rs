//! A streaming download with the official SDK: S3 GetObject (path style) of the local
//! server's `/bench/stream` object, its `ByteStream` body drained chunk by chunk.
//! `bench-sdk-stream <port> <bytes>`; prints the stream report line.

use aws_sdk_s3::config::{Credentials, Region};
use bench_common::{AKID, SECRET};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, bytes) = bench_common::stream_args();
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AKID, SECRET, None, None, "static"))
        .endpoint_url(url)
        .load()
        .await;
    let config = aws_sdk_s3::config::Builder::from(&shared)
        .force_path_style(true)
        .build();
    let client = aws_sdk_s3::Client::from_conf(config);
    bench_common::stream(bytes, || async {
        let out = client
            .get_object()
            .bucket("bench")
            .key(format!("stream-{bytes}"))
            .send()
            .await
            .expect("GetObject");
        let mut body = out.body;
        let mut n = 0u64;
        while let Some(chunk) = body.next().await {
            n += chunk.expect("body").len() as u64;
        }
        n
    })
    .await;
}
