//! S3 with the official SDK against the local server: the same three cases as
//! `bench-s3-ours` (path style, static test credentials, `us-east-1`, the SDK's defaults
//! otherwise).

use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::primitives::ByteStream;
use bench_common::{s3_args, S3Case, AKID, SECRET};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, case) = s3_args();
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AKID, SECRET, None, None, "static"))
        .endpoint_url(url)
        .load()
        .await;
    let client = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(true)
            .build(),
    );
    let get = |key: String| {
        let client = client.clone();
        async move {
            client
                .get_object()
                .bucket("bench")
                .key(key)
                .send()
                .await
                .expect("GetObject")
        }
    };
    match case {
        S3Case::Small { calls } => {
            bench_common::run(calls, || async {
                let out = get(bench_common::SMALL_KEY.into()).await;
                let body = out.body.collect().await.expect("body").into_bytes();
                assert_eq!(body.len(), bench_common::SMALL_BYTES);
            })
            .await
        }
        S3Case::Get { bytes, times } => {
            bench_common::stream(bytes * times, || async {
                let mut n = 0u64;
                for _ in 0..times {
                    let mut body = get(format!("stream-{bytes}")).await.body;
                    while let Some(chunk) = body.next().await {
                        n += chunk.expect("body").len() as u64;
                    }
                }
                n
            })
            .await
        }
        S3Case::Put { path, bytes, times } => {
            bench_common::stream(bytes * times, || async {
                for _ in 0..times {
                    let out = client
                        .put_object()
                        .bucket("bench")
                        .key("upload")
                        .body(ByteStream::from_path(&path).await.expect("the file"))
                        .send()
                        .await
                        .expect("PutObject");
                    assert!(out.e_tag.is_some());
                }
                bytes * times
            })
            .await
        }
    }
}
