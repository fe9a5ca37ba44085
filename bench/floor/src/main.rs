//! The floor: a bare hyper client posting the same bytes (no client library, no
//! signing, no parsing). `bench-floor <port> <calls> [describe-endpoints]`: with
//! DescribeEndpoints it only reads the large body, the transfer every client pays.

use bytes::Bytes;
use http_body_util::BodyExt;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, case) = bench_common::args();
    let (target, body) = match case {
        bench_common::Case::DeleteConnection => (
            "AmazonDMSv20160101.DeleteConnection",
            format!(
                r#"{{"EndpointArn":"{}","ReplicationInstanceArn":"{}"}}"#,
                bench_common::ENDPOINT_ARN,
                bench_common::INSTANCE_ARN
            ),
        ),
        bench_common::Case::DescribeEndpoints => {
            ("AmazonDMSv20160101.DescribeEndpoints", "{}".to_string())
        }
    };
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<Bytes>>();
    let body = Bytes::from(body);
    bench_common::run(calls, || {
        let req = hyper::Request::post(format!("{url}/"))
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", target)
            .body(http_body_util::Full::new(body.clone()))
            .expect("request");
        let client = &client;
        async move {
            let resp = client.request(req).await.expect("send");
            let bytes = resp.into_body().collect().await.expect("body").to_bytes();
            assert!(!bytes.is_empty());
        }
    })
    .await;
}
