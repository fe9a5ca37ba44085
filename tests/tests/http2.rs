//! The `http2` feature: HTTP/2 by ALPN over TLS, against a local server on 127.0.0.1 that
//! speaks only HTTP/2 (with a self-signed certificate in `tests/data/tls/`, trusted
//! through `HyperClient::with_roots`, as `ca_bundle` does). Run by `.ci/run` with
//! `--features http2`.
//!
//! Issue #29: Bedrock Runtime's `InvokeModelWithBidirectionalStream` (an input and an
//! output event stream on one HTTP/2 request) against a server that checks signatures as
//! the service does: the request's (with `aws-sigv4`), then each message's `:chunk-
//! signature` chained from it (`aws-sigv4`'s event-stream signer, on messages decoded by
//! `aws-smithy-eventstream`), then the empty message that ends the stream. It echoes each
//! verified chunk as an output event, so the test holds a conversation: the second event
//! is sent only after the first one's answer arrived.
#![cfg(feature = "http2")]

mod common;

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired,
};
use bytes::Bytes;
use common::{config, signature_for, signature_over, Recorded};
use rustls::pki_types::CertificateDer;
use std::sync::{Arc, Mutex};

const CONNECTION: &str = r#"{"Connection":{"EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:E","Status":"deleting"}}"#;

type Seen = Arc<Mutex<Vec<(http::Version, http::request::Parts, Bytes)>>>;

/// Bedrock Runtime, as `tests/build.rs` generates it (with the bidirectional operation).
mod bedrock_runtime {
    include!(concat!(env!("OUT_DIR"), "/bedrock_runtime.rs"));
}

/// A TLS acceptor that offers only `h2` by ALPN, and its (self-signed) certificate.
fn h2_acceptor() -> (tokio_rustls::TlsAcceptor, CertificateDer<'static>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::PrivateKeyDer;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/tls");
    let cert = CertificateDer::from_pem_file(format!("{dir}/cert.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/key.pem")).unwrap();
    #[allow(deprecated)] // ring, as the runtime uses (`runtime/src/http/mod.rs`)
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .unwrap();
    tls.alpn_protocols = vec![b"h2".to_vec()];
    (tokio_rustls::TlsAcceptor::from(Arc::new(tls)), cert)
}

/// Serves `svc` on 127.0.0.1 over TLS offering only `h2` by ALPN: its port, and its
/// (self-signed) certificate for the client to trust.
async fn serve_h2<S, B>(svc: S) -> (u16, CertificateDer<'static>)
where
    S: hyper::service::Service<
            hyper::Request<hyper::body::Incoming>,
            Response = hyper::Response<B>,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (acceptor, cert) = h2_acceptor();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, svc) = (acceptor.clone(), svc.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(tcp).await else {
                    return;
                };
                let _ =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
            });
        }
    });
    (port, cert)
}

/// A server speaking only HTTP/2 that records every request: its port, its log, and its
/// certificate.
async fn h2_server() -> (u16, Seen, CertificateDer<'static>) {
    let seen = Seen::default();
    let log = seen.clone();
    let svc = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let log = log.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = http_body_util::BodyExt::collect(body).await?.to_bytes();
            log.lock().unwrap().push((parts.version, parts, body));
            let resp = hyper::Response::builder()
                .header("content-type", "application/x-amz-json-1.1")
                .header("x-amzn-requestid", "h2-request")
                .body(http_body_util::Full::new(Bytes::from_static(
                    CONNECTION.as_bytes(),
                )))
                .unwrap();
            Ok::<_, hyper::Error>(resp)
        }
    });
    let (port, cert) = serve_h2(svc).await;
    (port, seen, cert)
}

/// With the feature, the transport offers `h2` and a server that takes it gets an HTTP/2
/// request: the authority as `:authority` only (no `Host` field, as RFC 9113 prefers),
/// signed as `host` with the same value (checked with `aws-sigv4`), and the answer parsed.
#[tokio::test]
async fn http2_by_alpn_carries_the_signed_authority() {
    let (port, seen, cert) = h2_server().await;
    let http = awsgen_runtime::http::HyperClient::with_roots(None, &[cert]).unwrap();
    let url = format!("https://localhost:{port}");
    let client = awsgen_dms::Client::new(config(&url).http_client(http).build());
    for _ in 0..2 {
        let out = client
            .delete_connection(DeleteConnectionInput::new(DeleteConnectionInputRequired {
                endpoint_arn: "arn:aws:dms:us-east-1:123456789012:endpoint:E".into(),
                replication_instance_arn: "arn:aws:dms:us-east-1:123456789012:rep:R".into(),
            }))
            .await
            .unwrap();
        assert_eq!(out.connection.unwrap().status.as_deref(), Some("deleting"));
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    for (version, parts, body) in seen.iter() {
        assert_eq!(*version, http::Version::HTTP_2);
        let authority = parts.uri.authority().unwrap().as_str();
        assert_eq!(authority, format!("localhost:{port}"));
        assert!(parts.headers.get(http::header::HOST).is_none(), "{parts:?}");
        let authorization = parts.headers["authorization"].to_str().unwrap();
        assert!(authorization.contains("SignedHeaders=content-type;host;"));
        let mut headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        headers.push(("host".into(), authority.to_string()));
        let received = Recorded {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            headers,
            body: body.to_vec(),
        };
        let expected = signature_over(
            &received,
            "dms",
            &["content-type", "host", "x-amz-target"],
            None,
        );
        assert!(
            authorization.ends_with(&format!("Signature={expected}")),
            "{authorization}"
        );
    }
}

const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// Checks an input event stream's messages as the service does: each outer message's
/// `:chunk-signature` is `aws-sigv4`'s signature of its payload (the inner message) at its
/// `:date`, chained from the last signature (the request's, first).
struct Verifier {
    prior: String,
    decoder: aws_smithy_eventstream::frame::MessageFrameDecoder,
    buf: bytes::BytesMut,
}

impl Verifier {
    fn new(seed: String) -> Self {
        Verifier {
            prior: seed,
            decoder: aws_smithy_eventstream::frame::MessageFrameDecoder::new(),
            buf: bytes::BytesMut::new(),
        }
    }

    /// The inner messages of the complete messages in `data` and before (`None`: the
    /// empty message that ends the stream), or why one is refused.
    fn push(
        &mut self,
        data: &[u8],
    ) -> Result<Vec<Option<aws_smithy_types::event_stream::Message>>, String> {
        use aws_smithy_eventstream::frame::{read_message_from, DecodedFrame};
        self.buf.extend_from_slice(data);
        let mut out = Vec::new();
        loop {
            let outer = match self.decoder.decode_frame(&mut self.buf) {
                Ok(DecodedFrame::Complete(m)) => m,
                Ok(DecodedFrame::Incomplete) => return Ok(out),
                Err(e) => return Err(format!("not a message: {e}")),
            };
            let header = |name: &str| {
                outer
                    .headers()
                    .iter()
                    .find(|h| h.name().as_str() == name)
                    .map(|h| h.value().clone())
                    .ok_or(format!("no {name}"))
            };
            let date = header(":date")?
                .as_timestamp()
                .map_err(|_| ":date is not a timestamp")?;
            let sent = header(":chunk-signature")?
                .as_byte_array()
                .map_err(|_| ":chunk-signature is not bytes")?
                .clone();
            let identity = aws_credential_types::Credentials::new(
                common::AKID,
                common::SECRET,
                None,
                None,
                "server",
            )
            .into();
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region("us-east-1")
                .name("bedrock")
                .time(std::time::SystemTime::try_from(date).unwrap())
                .settings(())
                .build()
                .unwrap();
            let inner = match outer.payload().is_empty() {
                true => None,
                false => {
                    Some(read_message_from(outer.payload().clone()).map_err(|e| e.to_string())?)
                }
            };
            let expected = match &inner {
                Some(m) => aws_sigv4::event_stream::sign_message(m, &self.prior, &params),
                None => aws_sigv4::event_stream::sign_empty_message(&self.prior, &params),
            }
            .unwrap()
            .into_parts()
            .1;
            let sent_hex: String = sent.iter().map(|b| format!("{b:02x}")).collect();
            if sent_hex != expected {
                return Err(format!("message {} is not signed as expected", out.len()));
            }
            self.prior = expected;
            out.push(inner);
        }
    }
}

/// A response body fed from a channel.
struct Channel(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for Channel {
    type Data = Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|b| b.map(|b| Ok(http_body::Frame::data(b))))
    }
}

/// What the bidirectional server saw: what it checked, and the request body's bytes.
#[derive(Default)]
struct BidiLog {
    notes: Vec<String>,
    /// The request's signature, which the first message chains from.
    seed: String,
    body: Vec<u8>,
}

/// An output event (`chunk`) or exception message, encoded.
fn output_message(kind: &str, name: &str, payload: Vec<u8>) -> Bytes {
    use awsgen_runtime::eventstream::{HeaderValue, Message};
    let s = |v: &str| HeaderValue::String(v.to_string());
    let name_header = if kind == "event" {
        ":event-type"
    } else {
        ":exception-type"
    };
    let m = Message::new(payload)
        .with_header(":message-type", s(kind))
        .with_header(name_header, s(name))
        .with_header(":content-type", s("application/json"));
    Bytes::from(m.encode().unwrap())
}

/// A Bedrock Runtime that verifies the request's signature (403
/// `InvalidSignatureException` if wrong), then each message's, echoing each verified
/// chunk as an output `chunk` event; a message signed wrong ends the answer with a
/// `validationException`.
async fn bidi_server() -> (u16, Arc<Mutex<BidiLog>>, CertificateDer<'static>) {
    let log = Arc::new(Mutex::new(BidiLog::default()));
    let server_log = log.clone();
    let svc = hyper::service::service_fn(move |req| bidi_answer(req, server_log.clone()));
    let (port, cert) = serve_h2(svc).await;
    (port, log, cert)
}

async fn bidi_answer(
    req: hyper::Request<hyper::body::Incoming>,
    log: Arc<Mutex<BidiLog>>,
) -> Result<hyper::Response<Channel>, hyper::Error> {
    let (parts, mut body) = req.into_parts();
    let note = |n: String| log.lock().unwrap().notes.push(n);
    let header = |n: &str| {
        parts
            .headers
            .get(n)
            .map(|v| v.to_str().unwrap().to_string())
    };
    note(format!(
        "{:?} {} {} content-type={:?} payload={:?}",
        parts.version,
        parts.method,
        parts.uri.path(),
        header("content-type"),
        header("x-amz-content-sha256")
    ));
    let authorization = header("authorization").unwrap_or_default();
    let signed: Vec<&str> = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or_default()
        .split(';')
        .collect();
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    headers.push(("host".into(), parts.uri.authority().unwrap().to_string()));
    let received = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body: Vec::new(),
    };
    let seed = signature_for(&received, "bedrock", &signed, None, Some(STREAMING_EVENTS));
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    if !authorization.ends_with(&format!("Signature={seed}")) {
        note("request signature refused".into());
        let wrong = br#"{"message":"The request signature we calculated does not match the signature you provided."}"#;
        tx.try_send(Bytes::from_static(wrong)).unwrap();
        drop(tx);
        let resp = hyper::Response::builder()
            .status(403)
            .header("x-amzn-errortype", "InvalidSignatureException")
            .header("content-type", "application/json")
            .body(Channel(rx))
            .unwrap();
        return Ok(resp);
    }
    note("request signature verified".into());
    log.lock().unwrap().seed = seed.clone();
    tokio::spawn(async move {
        let mut verifier = Verifier::new(seed);
        while let Some(Ok(frame)) = http_body_util::BodyExt::frame(&mut body).await {
            let Ok(data) = frame.into_data() else {
                continue;
            };
            log.lock().unwrap().body.extend_from_slice(&data);
            match verifier.push(&data) {
                Ok(messages) => {
                    for m in messages {
                        let Some(inner) = m else {
                            log.lock().unwrap().notes.push("end verified".into());
                            continue;
                        };
                        log.lock().unwrap().notes.push("chunk verified".into());
                        let echo = output_message("event", "chunk", inner.payload().to_vec());
                        let _ = tx.send(echo).await;
                    }
                }
                Err(e) => {
                    log.lock().unwrap().notes.push(e.clone());
                    let payload = format!(r#"{{"message":"{e}"}}"#).into_bytes();
                    let _ = tx
                        .send(output_message("exception", "validationException", payload))
                        .await;
                    return;
                }
            }
        }
    });
    let resp = hyper::Response::builder()
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-amzn-requestid", "bidi-request")
        .body(Channel(rx))
        .unwrap();
    Ok(resp)
}

/// A conversation: each event goes out as it is sent and its echo comes back before the
/// next is sent; every message's signature (and the request's) is verified by the
/// server; closing the sink ends the stream with the signed empty message, and the
/// answer with it.
#[tokio::test]
async fn a_bidirectional_stream_is_signed_message_by_message() {
    use bedrock_runtime::operation::invoke_model_with_bidirectional_stream::{
        InvokeModelWithBidirectionalStreamEvent as Out, InvokeModelWithBidirectionalStreamInput,
        InvokeModelWithBidirectionalStreamInputEvent as In,
        InvokeModelWithBidirectionalStreamInputRequired,
    };
    use bedrock_runtime::types::BidirectionalInputPayloadPart;
    let (port, log, cert) = bidi_server().await;
    let http = awsgen_runtime::http::HyperClient::with_roots(None, &[cert]).unwrap();
    let url = format!("https://localhost:{port}");
    let client = bedrock_runtime::Client::new(config(&url).http_client(http).build());
    let (sink, events) = awsgen_runtime::eventstream::EventSender::channel(4);
    let chunk = |b: &[u8]| {
        In::Chunk(BidirectionalInputPayloadPart::new().bytes(awsgen_runtime::Blob::new(b.to_vec())))
    };
    let input = InvokeModelWithBidirectionalStreamInput::new(
        InvokeModelWithBidirectionalStreamInputRequired {
            model_id: "amazon.nova-sonic-v1:0".into(),
            body: events,
        },
    );
    let mut out = client
        .invoke_model_with_bidirectional_stream(input)
        .await
        .unwrap();
    for said in [&b"hello"[..], b"", &[7u8; 100_000]] {
        sink.send(chunk(said)).await.unwrap();
        let heard = out.body.recv().await.unwrap();
        let Some(Out::Chunk(part)) = heard else {
            panic!("no echo of {} bytes: {heard:?}", said.len());
        };
        assert_eq!(part.bytes.unwrap().as_slice(), said);
    }
    drop(sink);
    assert!(
        out.body.recv().await.unwrap().is_none(),
        "the answer ends with the stream"
    );
    let log = log.lock().unwrap();
    assert_eq!(
        log.notes,
        [
            format!("HTTP/2.0 POST /model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream content-type=Some(\"application/vnd.amazon.eventstream\") payload=Some(\"{STREAMING_EVENTS}\")"),
            "request signature verified".into(),
            "chunk verified".into(),
            "chunk verified".into(),
            "chunk verified".into(),
            "end verified".into(),
        ]
    );
    // The server's check can fail: the recorded stream passes it again, but not with a
    // message's content changed (its CRCs made right, its signature kept), nor with two
    // messages swapped, nor from another seed.
    let seed = log.seed.clone();
    let verify = |messages: &[aws_smithy_types::event_stream::Message], seed: &str| {
        let mut bytes = Vec::new();
        for m in messages {
            aws_smithy_eventstream::frame::write_message_to(m, &mut bytes).unwrap();
        }
        Verifier::new(seed.to_string())
            .push(&bytes)
            .map(|m| m.len())
    };
    let mut decoder = aws_smithy_eventstream::frame::MessageFrameDecoder::new();
    let mut buf = bytes::BytesMut::from(&log.body[..]);
    let mut sent = Vec::new();
    while let Ok(aws_smithy_eventstream::frame::DecodedFrame::Complete(m)) =
        decoder.decode_frame(&mut buf)
    {
        sent.push(m);
    }
    assert_eq!(verify(&sent, &seed), Ok(4));
    let mut changed = sent.clone();
    let inner =
        aws_smithy_eventstream::frame::read_message_from(changed[0].payload().clone()).unwrap();
    let with_headers = |mut m: aws_smithy_types::event_stream::Message,
                        from: &aws_smithy_types::event_stream::Message| {
        for h in from.headers() {
            m = m.add_header(h.clone());
        }
        m
    };
    let altered = with_headers(
        aws_smithy_types::event_stream::Message::new(&br#"{"bytes":"aGVsbG8h"}"#[..]),
        &inner,
    );
    let mut altered_bytes = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&altered, &mut altered_bytes).unwrap();
    changed[0] = with_headers(
        aws_smithy_types::event_stream::Message::new(altered_bytes),
        &sent[0],
    );
    assert_eq!(
        verify(&changed, &seed),
        Err("message 0 is not signed as expected".into())
    );
    let mut swapped = sent.clone();
    swapped.swap(1, 2);
    assert_eq!(
        verify(&swapped, &seed),
        Err("message 1 is not signed as expected".into())
    );
    assert_eq!(
        verify(&sent, &"0".repeat(64)),
        Err("message 0 is not signed as expected".into())
    );
}

/// A request signed with another secret is refused by the server's check of the request
/// signature, before any message: the operation's error, with the service's code.
#[tokio::test]
async fn a_wrongly_signed_bidirectional_request_is_refused() {
    use awsgen_runtime::ProvideErrorMetadata as _;
    use bedrock_runtime::operation::invoke_model_with_bidirectional_stream::{
        InvokeModelWithBidirectionalStreamInput, InvokeModelWithBidirectionalStreamInputRequired,
    };
    let (port, log, cert) = bidi_server().await;
    let http = awsgen_runtime::http::HyperClient::with_roots(None, &[cert]).unwrap();
    let url = format!("https://localhost:{port}");
    let creds = awsgen_runtime::Credentials::new(common::AKID, "not-the-secret", None, None, "t");
    let client =
        bedrock_runtime::Client::new(config(&url).http_client(http).credentials(creds).build());
    let input = InvokeModelWithBidirectionalStreamInput::new(
        InvokeModelWithBidirectionalStreamInputRequired {
            model_id: "amazon.nova-sonic-v1:0".into(),
            body: awsgen_runtime::eventstream::EventSender::from(Vec::new()),
        },
    );
    let err = client
        .invoke_model_with_bidirectional_stream(input)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err}");
    assert!(
        err.message().unwrap_or_default().contains("signature"),
        "{err}"
    );
    assert_eq!(log.lock().unwrap().notes[1], "request signature refused");
}

/// The blocking client holds the same conversation: events sent from plain code with
/// `EventSink::blocking_send`, the answers read through `events`, which drives the
/// connection (the request's body included) on the client's runtime.
#[test]
fn a_blocking_client_holds_a_bidirectional_conversation() {
    use bedrock_runtime::operation::invoke_model_with_bidirectional_stream::{
        InvokeModelWithBidirectionalStreamEvent as Out, InvokeModelWithBidirectionalStreamInput,
        InvokeModelWithBidirectionalStreamInputEvent as In,
        InvokeModelWithBidirectionalStreamInputRequired,
    };
    use bedrock_runtime::types::BidirectionalInputPayloadPart;
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let (port, log, cert) = server_runtime.block_on(bidi_server());
    let http = awsgen_runtime::http::HyperClient::with_roots(None, &[cert]).unwrap();
    let url = format!("https://localhost:{port}");
    let client =
        bedrock_runtime::blocking::Client::new(config(&url).http_client(http).build()).unwrap();
    let (sink, events) = awsgen_runtime::eventstream::EventSender::channel(4);
    let chunk = |b: &[u8]| {
        In::Chunk(BidirectionalInputPayloadPart::new().bytes(awsgen_runtime::Blob::new(b.to_vec())))
    };
    sink.blocking_send(chunk(b"one")).unwrap();
    let input = InvokeModelWithBidirectionalStreamInput::new(
        InvokeModelWithBidirectionalStreamInputRequired {
            model_id: "amazon.nova-sonic-v1:0".into(),
            body: events,
        },
    );
    let out = client
        .invoke_model_with_bidirectional_stream(input)
        .unwrap();
    let mut answers = client.events(out.body);
    let heard = |answers: &mut dyn Iterator<Item = Result<Out, _>>| match answers.next() {
        Some(Ok(Out::Chunk(part))) => part.bytes.unwrap().as_slice().to_vec(),
        other => panic!("{other:?}"),
    };
    assert_eq!(heard(&mut answers), b"one");
    sink.blocking_send(chunk(b"two")).unwrap();
    assert_eq!(heard(&mut answers), b"two");
    drop(sink);
    assert!(answers.next().is_none());
    assert_eq!(
        log.lock().unwrap().notes.last().map(String::as_str),
        Some("end verified")
    );
}
