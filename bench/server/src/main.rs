//! A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request as DMS answers
//! DeleteConnection: a fixed `Connection` body and an `x-amzn-RequestId`.
//! `bench-server <port>`; prints `listening <port>` once ready.

use bytes::Bytes;
use http_body_util::BodyExt;

const BODY: &str = r#"{"Connection":{"ReplicationInstanceArn":"arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA","EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ","Status":"deleting","LastFailureMessage":"","EndpointIdentifier":"source-endpoint","ReplicationInstanceIdentifier":"replication-instance-1"}}"#;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8099);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    println!("listening {}", listener.local_addr().expect("addr").port());
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(
                |req: hyper::Request<hyper::body::Incoming>| async move {
                    // Read the whole request, as a real service does.
                    let _ = req.into_body().collect().await;
                    Ok::<_, std::convert::Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/x-amz-json-1.1")
                            .header("x-amzn-requestid", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
                            .body(http_body_util::Full::new(Bytes::from_static(
                                BODY.as_bytes(),
                            )))
                            .expect("response"),
                    )
                },
            );
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                .await;
        });
    }
}
