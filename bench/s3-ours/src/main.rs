//! S3 with the generated client against the local server (path style, static test
//! credentials, `us-east-1`, the client's defaults otherwise: CRC32 request checksums
//! and response validation `when_supported`, as the SDK's defaults are).
//!
//! `bench-s3-ours small <port> <calls>`: GetObject of a 1 KiB object, each body read whole.
//! `bench-s3-ours get <port> <bytes> [times]`: GetObject of that many bytes, drained as it
//! comes, `times` times.
//! `bench-s3-ours put <port> <file> [times]`: PutObject of the file, read as it is sent,
//! `times` times.

use awsgen_runtime::ByteStream;
use bench_common::{s3_args, S3Case, AKID, SECRET};
use bench_s3_ours::operation::get_object::{GetObjectInput, GetObjectInputRequired};
use bench_s3_ours::operation::put_object::{PutObjectInput, PutObjectInputRequired};
use bench_s3_ours::{Client, Config, Credentials};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, case) = s3_args();
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(AKID, SECRET, None, None, "static"))
            .endpoint_url(url)
            .force_path_style(true)
            .build(),
    );
    let get = |key: String| {
        let client = client.clone();
        async move {
            client
                .get_object(GetObjectInput::new(GetObjectInputRequired {
                    bucket: "bench".into(),
                    key,
                }))
                .await
                .expect("GetObject")
        }
    };
    match case {
        S3Case::Small { calls } => {
            bench_common::run(calls, || async {
                let out = get(bench_common::SMALL_KEY.into()).await;
                let body = out.body.collect(1 << 20).await.expect("body");
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
                    let input = PutObjectInput::new(PutObjectInputRequired {
                        bucket: "bench".into(),
                        key: "upload".into(),
                    })
                    .body(ByteStream::from_path(&path).await.expect("the file"));
                    let out = client.put_object(input).await.expect("PutObject");
                    assert!(out.e_tag.is_some());
                }
                bytes * times
            })
            .await
        }
    }
}
