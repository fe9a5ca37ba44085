//! A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request as DMS answers
//! DeleteConnection: a fixed `Connection` body and an `x-amzn-RequestId`; a
//! DescribeEndpoints request (by `X-Amz-Target`) gets the body in the file given as the
//! second argument (`bench/describe_endpoints.py` makes it), if any.
//! A query or ec2 request (a form body) whose `Action` is named by a later argument
//! `Action=answer.xml` gets that file as `text/xml` (`bench/xml_bodies.py` makes them).
//! A GET of any path ending in `stream-<bytes>` gets that many bytes, generated as they are
//! sent, with S3's GetObject headers; a PUT is drained (S3's PutObject, `aws-chunked` or
//! not) and answered with an `ETag`.
//! `bench-server <port> [describe-endpoints-body.json|-] [Action=answer.xml ...]`; prints
//! `listening <port>` once ready.

use bytes::Bytes;
use http_body_util::BodyExt;

const REQUEST_ID_2: &str =
    "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=";

const BODY: &str = r#"{"Connection":{"ReplicationInstanceArn":"arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA","EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ","Status":"deleting","LastFailureMessage":"","EndpointIdentifier":"source-endpoint","ReplicationInstanceIdentifier":"replication-instance-1"}}"#;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(8099);
    let large: &'static [u8] = match std::env::args().nth(2).filter(|p| p != "-") {
        Some(path) => std::fs::read(&path)
            .expect("the DescribeEndpoints body")
            .leak(),
        None => BODY.as_bytes(),
    };
    // `Action=file` arguments: the XML answers, by action.
    let xml: &'static [(String, &'static [u8])] = std::env::args()
        .skip(3)
        .map(|a| {
            let (action, path) = a.split_once('=').expect("Action=answer.xml");
            let body: &'static [u8] = std::fs::read(path).expect("the XML answer").leak();
            (action.to_string(), body)
        })
        .collect::<Vec<_>>()
        .leak();
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
                move |req: hyper::Request<hyper::body::Incoming>| async move {
                    if req.method() == hyper::Method::GET {
                        // `/bench/stream-<bytes>`: that many bytes, generated as sent.
                        let bytes = req
                            .uri()
                            .path()
                            .rsplit_once("stream-")
                            .and_then(|(_, n)| n.parse().ok())
                            .unwrap_or(0u64);
                        // With the headers S3 sends on a GetObject.
                        return Ok(hyper::Response::builder()
                            .header("content-length", bytes)
                            .header("content-type", "application/octet-stream")
                            .header("etag", "\"0123456789abcdef0123456789abcdef\"")
                            .header("last-modified", "Mon, 07 Dec 2026 12:00:00 GMT")
                            .header("accept-ranges", "bytes")
                            .header("server", "AmazonS3")
                            .header("x-amzn-requestid", "stream")
                            .header("x-amz-request-id", "0123456789ABCDEF")
                            .header("x-amz-id-2", REQUEST_ID_2)
                            .body(Body::Stream(Generated { left: bytes }))
                            .expect("response"));
                    }
                    if req.method() == hyper::Method::PUT {
                        // An S3 PutObject: the body drained as it arrives (aws-chunked or
                        // not), its length checked against what the request declared.
                        let declared: Option<u64> = req
                            .headers()
                            .get("x-amz-decoded-content-length")
                            .or_else(|| req.headers().get("content-length"))
                            .and_then(|v| v.to_str().ok()?.parse().ok());
                        let mut body = req.into_body();
                        let mut received = 0u64;
                        while let Some(Ok(frame)) = body.frame().await {
                            if let Some(data) = frame.data_ref() {
                                received += data.len() as u64;
                            }
                        }
                        let status = if declared.is_some_and(|d| received >= d) {
                            200
                        } else {
                            400
                        };
                        return Ok(hyper::Response::builder()
                            .status(status)
                            .header("content-length", 0)
                            .header("etag", "\"0123456789abcdef0123456789abcdef\"")
                            .header("x-amz-request-id", "0123456789ABCDEF")
                            .header("x-amz-id-2", REQUEST_ID_2)
                            .body(Body::Full(http_body_util::Full::new(Bytes::new())))
                            .expect("response"));
                    }
                    let describe = req
                        .headers()
                        .get("x-amz-target")
                        .is_some_and(|t| t.as_bytes().ends_with(b".DescribeEndpoints"));
                    // Read the whole request, as a real service does.
                    let request = req
                        .into_body()
                        .collect()
                        .await
                        .map(|b| b.to_bytes())
                        .unwrap_or_default();
                    if let Some(body) = action(&request)
                        .and_then(|a| xml.iter().find(|(name, _)| name.as_bytes() == a))
                        .map(|(_, body)| *body)
                    {
                        return Ok(hyper::Response::builder()
                            .header("content-type", "text/xml")
                            .body(Body::Full(http_body_util::Full::new(Bytes::from_static(
                                body,
                            ))))
                            .expect("response"));
                    }
                    Ok::<_, std::convert::Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/x-amz-json-1.1")
                            .header("x-amzn-requestid", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
                            .body(Body::Full(http_body_util::Full::new(Bytes::from_static(
                                if describe { large } else { BODY.as_bytes() },
                            ))))
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

/// The `Action` of a form body (`Action=ListRoles&Version=...`), if any.
fn action(form: &[u8]) -> Option<&[u8]> {
    form.split(|&b| b == b'&')
        .find_map(|pair| pair.strip_prefix(b"Action="))
}

/// A response body: fixed bytes, or a generated stream.
enum Body {
    Full(http_body_util::Full<Bytes>),
    Stream(Generated),
}

/// `left` bytes of a 256 KiB pattern, sent without holding the body.
struct Generated {
    left: u64,
}

static PATTERN: [u8; 256 * 1024] = [0x5a; 256 * 1024];

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Body::Full(f) => std::pin::Pin::new(f).poll_frame(cx),
            Body::Stream(g) => {
                if g.left == 0 {
                    return std::task::Poll::Ready(None);
                }
                let n = g.left.min(PATTERN.len() as u64) as usize;
                g.left -= n as u64;
                std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from_static(
                    &PATTERN[..n],
                )))))
            }
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            Body::Full(f) => f.size_hint(),
            Body::Stream(g) => hyper::body::SizeHint::with_exact(g.left),
        }
    }
}
