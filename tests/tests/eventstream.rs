//! Issue #29: output event streams read by the runtime's `eventstream::Receiver` from a
//! local server through the default transport: messages yielded as they are sent (the
//! first before the server sends the next), sorted by `:message-type` (events, a
//! modelled exception, an event type added later, the service's error ending the
//! stream), and a gibibyte of small events read with the process's peak resident memory
//! under 32 MiB. Then the same through generated clients, as a user's build script
//! makes them (`tests/build.rs`): Bedrock Runtime's `ConverseStream` (JSON events, a
//! typed exception mid-stream) and Lambda's `InvokeWithResponseStream` (blob payload
//! events, header members of the output). And S3 Express One Zone sessions (`s3_express`
//! at the end), which need this binary's S3 client and no event stream.

mod common;

// The event-stream clients `tests/build.rs` generates, compiled in this test binary only
// (in the library, every test binary of the crate would read their metadata).
/// Bedrock Runtime (rest-json output event streams: ConverseStream,
/// InvokeModelWithResponseStream).
mod bedrock_runtime {
    include!(concat!(env!("OUT_DIR"), "/bedrock_runtime.rs"));
}

/// CloudWatch Logs (awsJson output event streams that begin with an `initial-response`:
/// StartLiveTail, GetLogObject; with typed mocks and the blocking client).
mod logs {
    include!(concat!(env!("OUT_DIR"), "/logs.rs"));
}

/// S3 (rest-xml output event stream: SelectObjectContent; and CreateSession, GetObject and
/// PutObject for the S3 Express sessions of `s3_express` below, which share this binary's
/// S3 client rather than compile one of their own).
mod s3 {
    include!(concat!(env!("OUT_DIR"), "/s3.rs"));
}

use awsgen_runtime::eventstream::{HeaderValue, Message, ReceiveError, Received, Receiver};
use awsgen_runtime::http::{HttpClient, HyperClient, ProxyConfig};
use awsgen_runtime::ByteStream;
use bytes::Bytes;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A response body whose frames come from a channel (`None`: the body ends).
struct Channel(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for Channel {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|b| b.map(|b| Ok(http_body::Frame::data(b))))
    }
}

/// A server answering one request with the frames sent into the returned channel.
async fn server() -> (String, tokio::sync::mpsc::Sender<Bytes>) {
    server_with(&[]).await
}

/// [`server`], its answer carrying `headers` too.
async fn server_with(
    headers: &'static [(&'static str, &'static str)],
) -> (String, tokio::sync::mpsc::Sender<Bytes>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let body = std::sync::Mutex::new(Some(Channel(rx)));
        let svc = hyper::service::service_fn(move |_req: hyper::Request<hyper::body::Incoming>| {
            let body = body.lock().unwrap().take();
            async move {
                let mut resp = hyper::Response::builder()
                    .header("content-type", "application/vnd.amazon.eventstream")
                    .header("x-amzn-requestid", "stream-request");
                for (k, v) in headers {
                    resp = resp.header(*k, *v);
                }
                let resp = resp.body(body.expect("one request")).unwrap();
                Ok::<_, Infallible>(resp)
            }
        });
        let io = hyper_util::rt::TokioIo::new(tcp);
        let _ = hyper::server::conn::http1::Builder::new()
            .serve_connection(io, svc)
            .await;
    });
    (format!("http://{addr}"), tx)
}

async fn receiver(url: &str) -> Receiver {
    let client = HyperClient::builder()
        .proxy(ProxyConfig::disabled())
        .build()
        .unwrap();
    let get = http::Request::get(format!("{url}/stream"))
        .body(ByteStream::new())
        .unwrap();
    let resp = client.send(get).await.unwrap();
    assert_eq!(resp.status(), 200);
    Receiver::new(resp.into_body())
}

fn text(s: &str) -> HeaderValue {
    HeaderValue::String(s.into())
}

fn event(kind: &str, payload: &str) -> Bytes {
    Message::new(payload.to_string())
        .with_header(":message-type", text("event"))
        .with_header(":event-type", text(kind))
        .with_header(":content-type", text("application/json"))
        .encode()
        .unwrap()
        .into()
}

#[tokio::test]
async fn events_are_read_as_they_are_sent() {
    let (url, tx) = server().await;
    tx.send(event("contentBlockDelta", r#"{"delta":{"text":"Hel"}}"#))
        .await
        .unwrap();
    let mut rx = receiver(&url).await;
    // The first event arrives while the server has sent nothing more.
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
        .await
        .expect("the first event before the rest is sent");
    let Some(Ok(Received::Event {
        event_type,
        message,
    })) = first
    else {
        panic!("{first:?}");
    };
    assert_eq!(event_type, "contentBlockDelta");
    assert_eq!(message.payload, r#"{"delta":{"text":"Hel"}}"#);

    // The next one split across two writes, a modelled exception, an event type the
    // model does not know yet, then the service's error.
    let second = event("contentBlockDelta", r#"{"delta":{"text":"lo"}}"#);
    tx.send(second.slice(..7)).await.unwrap();
    tx.send(second.slice(7..)).await.unwrap();
    let exception = Message::new(r#"{"message":"slow down"}"#)
        .with_header(":message-type", text("exception"))
        .with_header(":exception-type", text("throttlingException"))
        .encode()
        .unwrap();
    tx.send(exception.into()).await.unwrap();
    tx.send(event("somethingNew", "{}")).await.unwrap();
    let error = Message::default()
        .with_header(":message-type", text("error"))
        .with_header(":error-code", text("InternalFailure"))
        .with_header(":error-message", text("the model fell over"))
        .encode()
        .unwrap();
    tx.send(error.into()).await.unwrap();
    drop(tx);

    let Some(Ok(Received::Event { message, .. })) = rx.recv().await else {
        panic!("the second event");
    };
    assert_eq!(message.payload, r#"{"delta":{"text":"lo"}}"#);
    let got = rx.recv().await;
    let Some(Ok(Received::Exception {
        exception_type,
        message,
    })) = got
    else {
        panic!("{got:?}");
    };
    assert_eq!(exception_type, "throttlingException");
    assert_eq!(message.payload, r#"{"message":"slow down"}"#);
    let got = rx.recv().await;
    assert!(
        matches!(&got, Some(Ok(Received::Event { event_type, .. })) if event_type == "somethingNew"),
        "{got:?}"
    );
    let got = rx.recv().await;
    let Some(Err(e @ ReceiveError::Service { .. })) = got else {
        panic!("{got:?}");
    };
    assert_eq!(
        e.to_string(),
        "the service ended the event stream: InternalFailure: the model fell over"
    );
    assert!(rx.recv().await.is_none(), "nothing after the error");
}

#[tokio::test]
async fn a_stream_cut_inside_a_message_is_an_error() {
    let (url, tx) = server().await;
    let whole = event("chunk", "{}");
    tx.send(whole.clone()).await.unwrap();
    tx.send(whole.slice(..whole.len() - 3)).await.unwrap();
    drop(tx);
    let mut rx = receiver(&url).await;
    assert!(matches!(rx.recv().await, Some(Ok(Received::Event { .. }))));
    let got = rx.recv().await;
    let Some(Err(e @ ReceiveError::Frame(_))) = got else {
        panic!("{got:?}");
    };
    let source = std::error::Error::source(&e).map(|s| s.to_string());
    assert!(
        source
            .as_deref()
            .is_some_and(|s| s.contains("ended inside a message")),
        "{source:?}"
    );
    assert!(rx.recv().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gibibyte_of_small_events_in_bounded_memory() {
    const GIB: usize = 1 << 30;
    // 4 KiB events, 16 to a write.
    let one = event("chunk", &"x".repeat(4096));
    let batch: Bytes = one.iter().copied().cycle().take(one.len() * 16).collect();
    let events = GIB / 4096;
    let (url, tx) = server().await;
    tokio::spawn(async move {
        for _ in 0..events / 16 {
            if tx.send(batch.clone()).await.is_err() {
                return;
            }
        }
    });
    let mut rx = receiver(&url).await;
    let (mut n, mut bytes) = (0usize, 0usize);
    while let Some(got) = rx.recv().await {
        let Received::Event { message, .. } = got.unwrap() else {
            panic!("an event");
        };
        n += 1;
        bytes += message.payload.len();
    }
    assert_eq!((n, bytes), (events, GIB));
    let peak = common::peak_rss();
    assert!(peak < 32 << 20, "peak RSS {} MiB", peak >> 20);
    eprintln!(
        "event stream of 1 GiB in {n} events: peak RSS {:.1} MiB",
        peak as f64 / 1048576.0
    );
}

#[tokio::test]
async fn bedrock_converse_stream_yields_typed_events_as_they_come() {
    use crate::bedrock_runtime::operation::converse_stream::{
        ConverseStreamError, ConverseStreamEvent, ConverseStreamInput,
    };
    use crate::bedrock_runtime::types::ContentBlockDelta;
    let (url, tx) = server().await;
    tx.send(event("messageStart", r#"{"role":"assistant"}"#))
        .await
        .unwrap();
    let client = crate::bedrock_runtime::client::Client::new(common::config(&url).build());
    let mut out = client
        .converse_stream(ConverseStreamInput::new("anthropic.claude"))
        .await
        .unwrap();
    // The first event is yielded before the server sends the next.
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), out.stream.recv())
        .await
        .expect("the first event before the rest is sent");
    let Ok(Some(ConverseStreamEvent::MessageStart(start))) = first else {
        panic!("{first:?}");
    };
    assert_eq!(start.role.as_ref().map(|r| r.as_str()), Some("assistant"));

    for text in ["Hel", "lo"] {
        let body = format!(r#"{{"delta":{{"text":"{text}"}},"contentBlockIndex":0}}"#);
        tx.send(event("contentBlockDelta", &body)).await.unwrap();
    }
    tx.send(event("brandNewEvent", r#"{"x":1}"#)).await.unwrap();
    let exception = Message::new(r#"{"message":"slow down"}"#)
        .with_header(":message-type", text("exception"))
        .with_header(":exception-type", text("throttlingException"))
        .with_header(":content-type", text("application/json"))
        .encode()
        .unwrap();
    tx.send(exception.into()).await.unwrap();
    drop(tx);

    let mut said = String::new();
    for _ in 0..2 {
        let got = out.stream.recv().await;
        let Ok(Some(ConverseStreamEvent::ContentBlockDelta(d))) = got else {
            panic!("{got:?}");
        };
        let Some(ContentBlockDelta::Text(t)) = &d.delta else {
            panic!("{d:?}");
        };
        said.push_str(t);
    }
    assert_eq!(said, "Hello");
    let got = out.stream.recv().await;
    let Ok(Some(ConverseStreamEvent::Unknown(m))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(
        m.header(":event-type").and_then(|v| v.as_str()),
        Some("brandNewEvent")
    );
    let got = out.stream.recv().await;
    let Err(err @ ConverseStreamError::ThrottlingException(e)) = &got else {
        panic!("{got:?}");
    };
    use awsgen_runtime::ProvideErrorMetadata;
    assert_eq!(e.message.as_deref(), Some("slow down"));
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.message(), Some("slow down"));
    assert!(
        matches!(out.stream.recv().await, Ok(None)),
        "the stream ends"
    );
}

#[tokio::test]
async fn lambda_invoke_with_response_stream_reads_payload_chunks() {
    use awsgen_tests::lambda::operation::invoke_with_response_stream::{
        InvokeWithResponseStreamError, InvokeWithResponseStreamEvent, InvokeWithResponseStreamInput,
    };
    let (url, tx) = server_with(&[("x-amz-executed-version", "7")]).await;
    let chunk = |bytes: &[u8]| -> Bytes {
        Message::new(bytes.to_vec())
            .with_header(":message-type", text("event"))
            .with_header(":event-type", text("PayloadChunk"))
            .with_header(":content-type", text("application/octet-stream"))
            .encode()
            .unwrap()
            .into()
    };
    tx.send(chunk(b"\x00binary\xff")).await.unwrap();
    tx.send(chunk(b"")).await.unwrap();
    tx.send(event("InvokeComplete", r#"{"LogResult":"bG9n"}"#))
        .await
        .unwrap();
    let error = Message::default()
        .with_header(":message-type", text("error"))
        .with_header(":error-code", text("ServiceException"))
        .with_header(":error-message", text("gone"))
        .encode()
        .unwrap();
    tx.send(error.into()).await.unwrap();
    drop(tx);
    let client = awsgen_tests::lambda::client::Client::new(common::config(&url).build());
    let mut out = client
        .invoke_with_response_stream(InvokeWithResponseStreamInput::new("f"))
        .await
        .unwrap();
    assert_eq!(out.executed_version.as_deref(), Some("7"));
    let mut payload = Vec::new();
    loop {
        match out.event_stream.recv().await {
            Ok(Some(InvokeWithResponseStreamEvent::PayloadChunk(c))) => {
                payload.extend_from_slice(c.payload.as_ref().map_or(&[][..], |b| b.as_slice()))
            }
            Ok(Some(InvokeWithResponseStreamEvent::InvokeComplete(c))) => {
                assert_eq!(c.log_result.as_deref(), Some("bG9n"));
            }
            Err(e @ InvokeWithResponseStreamError::ServiceException(_)) => {
                use awsgen_runtime::ProvideErrorMetadata;
                assert_eq!(e.message(), Some("gone"));
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(payload, b"\x00binary\xff");
    assert!(matches!(out.event_stream.recv().await, Ok(None)));
}

/// CloudWatch Logs' `StartLiveTail` (awsJson): the stream begins with the
/// `initial-response` event, which the call reads (the output's other members, here
/// none) before it returns; the events after it are typed, an event added later is
/// `Unknown`, and the stream's own exception (`SessionTimeoutException`, which the
/// operation does not list among its errors) is a typed variant, as botocore's
/// `JSONParser._handle_event_stream` and `EventStream` read them.
#[tokio::test]
async fn logs_start_live_tail_reads_the_initial_response_then_typed_events() {
    use crate::logs::operation::start_live_tail::{
        StartLiveTailError, StartLiveTailEvent, StartLiveTailInput,
    };
    let (url, tx) = server().await;
    tx.send(event("initial-response", "{}")).await.unwrap();
    let client = crate::logs::client::Client::new(
        common::config(&url)
            .disable_host_prefix_injection(true)
            .build(),
    );
    let call = client.start_live_tail(StartLiveTailInput::new(vec!["arn:group".to_string()]));
    let mut out = tokio::time::timeout(std::time::Duration::from_secs(5), call)
        .await
        .expect("the call returns once the initial response is read")
        .unwrap();
    use awsgen_runtime::RequestId;
    assert_eq!(out.request_id(), Some("stream-request"));
    tx.send(event(
        "sessionStart",
        r#"{"sessionId":"s-1","logGroupIdentifiers":["arn:group"]}"#,
    ))
    .await
    .unwrap();
    let got = out.response_stream.recv().await;
    let Ok(Some(StartLiveTailEvent::SessionStart(start))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(start.session_id.as_deref(), Some("s-1"));
    tx.send(event(
        "sessionUpdate",
        r#"{"sessionResults":[{"message":"hello","timestamp":1700000000000}]}"#,
    ))
    .await
    .unwrap();
    tx.send(event("somethingNew", "{}")).await.unwrap();
    let timeout = Message::new(r#"{"message":"session over"}"#)
        .with_header(":message-type", text("exception"))
        .with_header(":exception-type", text("SessionTimeoutException"))
        .with_header(":content-type", text("application/json"))
        .encode()
        .unwrap();
    tx.send(timeout.into()).await.unwrap();
    drop(tx);
    let got = out.response_stream.recv().await;
    let Ok(Some(StartLiveTailEvent::SessionUpdate(update))) = &got else {
        panic!("{got:?}");
    };
    let results = update.session_results.as_deref().unwrap_or_default();
    assert_eq!(results[0].message.as_deref(), Some("hello"));
    let got = out.response_stream.recv().await;
    assert!(
        matches!(&got, Ok(Some(StartLiveTailEvent::Unknown(_)))),
        "{got:?}"
    );
    let got = out.response_stream.recv().await;
    let Err(err @ StartLiveTailError::SessionTimeoutException(_)) = &got else {
        panic!("{got:?}");
    };
    use awsgen_runtime::ProvideErrorMetadata;
    assert_eq!(err.message(), Some("session over"));
    assert!(matches!(out.response_stream.recv().await, Ok(None)));
}

/// A stream that does not begin with `initial-response`: an exception there is the
/// call's typed error (botocore only says "First event was not of type
/// initial-response"); any other first event, or none, is that parse error, with the
/// status and request id.
#[tokio::test]
async fn logs_start_live_tail_without_an_initial_response_fails_clearly() {
    use crate::logs::operation::start_live_tail::{StartLiveTailError, StartLiveTailInput};
    let exception = Message::new(r#"{"message":"too many sessions"}"#)
        .with_header(":message-type", text("exception"))
        .with_header(":exception-type", text("SessionStreamingException"))
        .with_header(":content-type", text("application/json"))
        .encode()
        .unwrap();
    for (first, expect) in [
        (Some(Bytes::from(exception)), "exception"),
        (
            Some(event("sessionStart", "{}")),
            "the event `sessionStart`",
        ),
        (None, "the stream ended before it"),
    ] {
        let (url, tx) = server().await;
        if let Some(first) = first {
            tx.send(first).await.unwrap();
        }
        drop(tx);
        let client = crate::logs::client::Client::new(
            common::config(&url)
                .disable_host_prefix_injection(true)
                .build(),
        );
        let got = client
            .start_live_tail(StartLiveTailInput::new(vec!["g".to_string()]))
            .await;
        match (&got, expect) {
            (Err(StartLiveTailError::SessionStreamingException(e)), "exception") => {
                assert_eq!(e.message.as_deref(), Some("too many sessions"))
            }
            (Err(StartLiveTailError::Request(e)), _) => {
                let shown = e.to_string();
                assert!(
                    shown.contains("First event was not of type initial-response")
                        && shown.contains(expect),
                    "{shown}"
                );
                let awsgen_runtime::RequestError::Response {
                    status, request_id, ..
                } = e
                else {
                    panic!("{e:?}");
                };
                assert_eq!(
                    (*status, request_id.as_deref()),
                    (200, Some("stream-request"))
                );
            }
            _ => panic!("{expect}: {:?}", got.map(|_| ())),
        }
    }
}

/// The blocking client hands over an output event stream too: `events` receives it as an
/// `Iterator` on the client's own runtime, the stream's exception as its last item.
#[test]
fn the_blocking_client_iterates_events() {
    use crate::logs::operation::start_live_tail::{
        StartLiveTailError, StartLiveTailEvent, StartLiveTailInput,
    };
    // The server runs on a runtime of its own; the blocking client on its own.
    let server_rt = tokio::runtime::Runtime::new().unwrap();
    let (url, tx) = server_rt.block_on(server());
    server_rt.block_on(async {
        tx.send(event("initial-response", "{}")).await.unwrap();
        tx.send(event("sessionStart", r#"{"sessionId":"s-2"}"#))
            .await
            .unwrap();
        let exception = Message::new(r#"{"message":"over"}"#)
            .with_header(":message-type", text("exception"))
            .with_header(":exception-type", text("SessionTimeoutException"))
            .encode()
            .unwrap();
        tx.send(exception.into()).await.unwrap();
    });
    drop(tx);
    let client = crate::logs::blocking::Client::new(
        common::config(&url)
            .disable_host_prefix_injection(true)
            .build(),
    )
    .unwrap();
    let out = client
        .start_live_tail(StartLiveTailInput::new(vec!["g".to_string()]))
        .unwrap();
    let events: Vec<_> = client.events(out.response_stream).collect();
    assert_eq!(events.len(), 2, "{events:?}");
    let Ok(StartLiveTailEvent::SessionStart(start)) = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(start.session_id.as_deref(), Some("s-2"));
    assert!(
        matches!(
            &events[1],
            Err(StartLiveTailError::SessionTimeoutException(_))
        ),
        "{events:?}"
    );
}

/// Typed mocks answer an event-stream operation with typed events: awsJson's
/// `initial-response` written for the call, each event as `__event` reads it back, an
/// event the model does not name as its message, the stream's exception typed.
#[tokio::test]
async fn mocks_answer_with_typed_events() {
    use crate::logs::operation::start_live_tail::{
        StartLiveTail, StartLiveTailError, StartLiveTailEvent, StartLiveTailInput,
        StartLiveTailOutput,
    };
    use crate::logs::test_util::{mock, mock_config};
    use crate::logs::types::error::SessionTimeoutException;
    use crate::logs::types::LiveTailSessionStart;
    let unknown = Message::new("{}").with_header(":event-type", text("later"));
    let rule = mock::<StartLiveTail>().then_events(
        StartLiveTailOutput::default(),
        vec![
            Ok(StartLiveTailEvent::SessionStart(
                LiveTailSessionStart::default().with_session_id("s-9"),
            )),
            Ok(StartLiveTailEvent::Unknown(unknown.clone())),
            Err(StartLiveTailError::SessionTimeoutException(
                SessionTimeoutException::default().with_message("time is up"),
            )),
        ],
    );
    let client = crate::logs::client::Client::new(mock_config(&[&rule]));
    let mut out = client
        .start_live_tail(StartLiveTailInput::new(vec!["g".to_string()]))
        .await
        .unwrap();
    let got = out.response_stream.recv().await;
    let Ok(Some(StartLiveTailEvent::SessionStart(start))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(start.session_id.as_deref(), Some("s-9"));
    let got = out.response_stream.recv().await;
    let Ok(Some(StartLiveTailEvent::Unknown(m))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(m, &unknown);
    let got = out.response_stream.recv().await;
    let Err(err @ StartLiveTailError::SessionTimeoutException(_)) = &got else {
        panic!("{got:?}");
    };
    use awsgen_runtime::ProvideErrorMetadata;
    assert_eq!(err.message(), Some("time is up"));
    assert!(matches!(out.response_stream.recv().await, Ok(None)));
    assert_eq!(rule.calls(), 1);
}

/// rest-json: the output's header members come from the mock's output, blob payload
/// events are their bytes, and an error the stream does not model ends it as the
/// service's `error` message (its code and message).
#[tokio::test]
async fn mocks_answer_rest_json_event_streams() {
    use awsgen_tests::lambda::operation::invoke_with_response_stream::{
        InvokeWithResponseStream, InvokeWithResponseStreamError, InvokeWithResponseStreamEvent,
        InvokeWithResponseStreamInput, InvokeWithResponseStreamOutput,
    };
    use awsgen_tests::lambda::test_util::{mock, mock_config};
    use awsgen_tests::lambda::types::{
        InvokeResponseStreamUpdate, InvokeWithResponseStreamCompleteEvent,
    };
    let unhandled = awsgen_runtime::UnhandledError::new(
        awsgen_runtime::ErrorMetadata::new("SomethingNew").with_message("not modelled"),
        &[],
    );
    let rule = mock::<InvokeWithResponseStream>().then_events(
        InvokeWithResponseStreamOutput::default().with_executed_version("3"),
        vec![
            Ok(InvokeWithResponseStreamEvent::PayloadChunk(
                InvokeResponseStreamUpdate::default()
                    .with_payload(awsgen_runtime::Blob::new(b"\x00bytes".to_vec())),
            )),
            Ok(InvokeWithResponseStreamEvent::InvokeComplete(
                InvokeWithResponseStreamCompleteEvent::default().with_log_result("bG9n"),
            )),
            Err(InvokeWithResponseStreamError::Unhandled(unhandled)),
        ],
    );
    let client = awsgen_tests::lambda::client::Client::new(mock_config(&[&rule]));
    let mut out = client
        .invoke_with_response_stream(InvokeWithResponseStreamInput::new("f"))
        .await
        .unwrap();
    assert_eq!(out.executed_version.as_deref(), Some("3"));
    let got = out.event_stream.recv().await;
    let Ok(Some(InvokeWithResponseStreamEvent::PayloadChunk(c))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(
        c.payload.as_ref().map(|b| b.as_slice()),
        Some(&b"\x00bytes"[..])
    );
    let got = out.event_stream.recv().await;
    let Ok(Some(InvokeWithResponseStreamEvent::InvokeComplete(done))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(done.log_result.as_deref(), Some("bG9n"));
    let got = out.event_stream.recv().await;
    let Err(err @ InvokeWithResponseStreamError::Unhandled(_)) = &got else {
        panic!("{got:?}");
    };
    use awsgen_runtime::ProvideErrorMetadata;
    assert_eq!(
        (err.code(), err.message()),
        (Some("SomethingNew"), Some("not modelled"))
    );
}

/// S3's `SelectObjectContent` (rest-xml): `Records` events are their bytes, `Stats` and
/// `Progress` their XML payload read through the shape table, `Cont` and `End` empty, as
/// botocore's `EventStreamXMLParser` reads them.
#[tokio::test]
async fn s3_select_object_content_reads_xml_events() {
    use crate::s3::operation::select_object_content::{
        SelectObjectContentEvent, SelectObjectContentInput, SelectObjectContentInputRequired,
    };
    use crate::s3::types::{
        CsvInput, CsvOutput, ExpressionType, InputSerialization, OutputSerialization,
    };
    let xml_event = |kind: &str, payload: &str| -> Bytes {
        Message::new(payload.to_string())
            .with_header(":message-type", text("event"))
            .with_header(":event-type", text(kind))
            .with_header(":content-type", text("text/xml"))
            .encode()
            .unwrap()
            .into()
    };
    let records = Message::new(&b"a,1\nb,2\n"[..])
        .with_header(":message-type", text("event"))
        .with_header(":event-type", text("Records"))
        .with_header(":content-type", text("application/octet-stream"))
        .encode()
        .unwrap();
    let (url, tx) = server().await;
    tx.send(records.into()).await.unwrap();
    tx.send(xml_event(
        "Stats",
        "<Stats><BytesScanned>10</BytesScanned><BytesProcessed>8</BytesProcessed><BytesReturned>8</BytesReturned></Stats>",
    ))
    .await
    .unwrap();
    tx.send(xml_event("Cont", "")).await.unwrap();
    tx.send(xml_event("End", "")).await.unwrap();
    drop(tx);
    let client = crate::s3::client::Client::new(
        common::config(&url)
            .s3(awsgen_runtime::s3::S3Config::default().force_path_style(true))
            .build(),
    );
    let input = SelectObjectContentInput::new(SelectObjectContentInputRequired {
        bucket: "b".into(),
        key: "k.csv".into(),
        expression: "SELECT * FROM S3Object".into(),
        expression_type: ExpressionType::Sql,
        input_serialization: InputSerialization::new().csv(CsvInput::new()),
        output_serialization: OutputSerialization::new().csv(CsvOutput::new()),
    });
    let mut out = client.select_object_content(input).await.unwrap();
    let got = out.payload.recv().await;
    let Ok(Some(SelectObjectContentEvent::Records(r))) = &got else {
        panic!("{got:?}");
    };
    assert_eq!(
        r.payload.as_ref().map(|b| b.as_slice()),
        Some(&b"a,1\nb,2\n"[..])
    );
    let got = out.payload.recv().await;
    let Ok(Some(SelectObjectContentEvent::Stats(s))) = &got else {
        panic!("{got:?}");
    };
    let details = s.details.as_ref().unwrap();
    assert_eq!(
        (
            details.bytes_scanned,
            details.bytes_processed,
            details.bytes_returned
        ),
        (Some(10), Some(8), Some(8))
    );
    let got = out.payload.recv().await;
    assert!(
        matches!(&got, Ok(Some(SelectObjectContentEvent::Cont(_)))),
        "{got:?}"
    );
    let got = out.payload.recv().await;
    assert!(
        matches!(&got, Ok(Some(SelectObjectContentEvent::End(_)))),
        "{got:?}"
    );
    assert!(matches!(out.payload.recv().await, Ok(None)));
}

/// Without the runtime's `http2` feature, the default transport cannot carry an input
/// event stream (AWS takes them over HTTP/2 only; `tests/http2.rs` holds the
/// conversation): the call says which feature to enable, before anything is sent.
#[cfg(not(feature = "http2"))]
#[tokio::test]
async fn a_bidirectional_stream_without_http2_says_what_to_enable() {
    use crate::bedrock_runtime::operation::invoke_model_with_bidirectional_stream::{
        InvokeModelWithBidirectionalStreamError, InvokeModelWithBidirectionalStreamInput,
        InvokeModelWithBidirectionalStreamInputRequired,
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let client = bedrock_runtime::Client::new(common::config(&url).build());
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
    let InvokeModelWithBidirectionalStreamError::Request(awsgen_runtime::RequestError::Build {
        message,
    }) = &err
    else {
        panic!("{err:?}");
    };
    assert!(message.contains("`http2` feature"), "{message}");
    assert!(listener.accept().is_err(), "nothing was sent");
}

/// The eventstream format's published vectors: smithy-rs's `aws-smithy-eventstream` test
/// data (`tests/data/smithy-rs/eventstream`, Apache-2.0, see its `PROVENANCE.md`) and the
/// two messages of aws-c-event-stream's deserializer tests that smithy-rs's tests carry.
/// Each valid one decodes to what smithy-rs's tests expect and encodes back to the same
/// bytes; each invalid one is refused (or, cut off, refused at the end of the stream).
#[test]
fn the_published_eventstream_vectors_pass() {
    use awsgen_runtime::eventstream::Decoder;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/smithy-rs/eventstream");
    let read = |name: &str| std::fs::read(format!("{dir}/{name}")).unwrap();
    let decode = |bytes: &[u8]| {
        let mut d = Decoder::new();
        d.push(bytes);
        let m = d.next_message()?;
        d.finish().map(|_| m)
    };
    let all = read("valid_with_all_headers_and_payload");
    let m = decode(&all).unwrap().unwrap();
    let expected = Message::new(&b"some payload"[..])
        .with_header("true", HeaderValue::Bool(true))
        .with_header("false", HeaderValue::Bool(false))
        .with_header("byte", HeaderValue::Byte(50))
        .with_header("short", HeaderValue::Int16(20_000))
        .with_header("int", HeaderValue::Int32(500_000))
        .with_header("long", HeaderValue::Int64(50_000_000_000))
        .with_header(
            "bytes",
            HeaderValue::Bytes(Bytes::from_static(b"some bytes")),
        )
        .with_header("str", text("some str"))
        .with_header("time", HeaderValue::Timestamp(5_000_000_000))
        .with_header(
            "uuid",
            HeaderValue::Uuid(0xb79bc914_de21_4e13_b8b2_bc47e85b7f0b_u128.to_be_bytes()),
        );
    assert_eq!(m, expected);
    assert_eq!(expected.encode().unwrap(), all);
    // aws-c-event-stream's `message_deserializer_test.c`, as smithy-rs's tests hold them.
    let no_headers: &[u8] = &[
        0x00, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x52, 0x8c, 0x5a, 0x7b, 0x27, 0x66,
        0x6f, 0x6f, 0x27, 0x3a, 0x27, 0x62, 0x61, 0x72, 0x27, 0x7d, 0xc3, 0x65, 0x39, 0x36,
    ];
    let one_header: &[u8] = &[
        0x00, 0x00, 0x00, 0x3D, 0x00, 0x00, 0x00, 0x20, 0x07, 0xFD, 0x83, 0x96, 0x0C, b'c', b'o',
        b'n', b't', b'e', b'n', b't', b'-', b't', b'y', b'p', b'e', 0x07, 0x00, 0x10, b'a', b'p',
        b'p', b'l', b'i', b'c', b'a', b't', b'i', b'o', b'n', b'/', b'j', b's', b'o', b'n', 0x7b,
        0x27, 0x66, 0x6f, 0x6f, 0x27, 0x3a, 0x27, 0x62, 0x61, 0x72, 0x27, 0x7d, 0x8D, 0x9C, 0x08,
        0xB1,
    ];
    let crt = [
        (no_headers, Message::new(&b"{'foo':'bar'}"[..])),
        (
            one_header,
            Message::new(&b"{'foo':'bar'}"[..])
                .with_header("content-type", text("application/json")),
        ),
    ];
    for (bytes, want) in crt {
        assert_eq!(decode(bytes).unwrap().as_ref(), Some(&want));
        assert_eq!(want.encode().unwrap(), bytes);
    }
    for name in ["valid_empty_payload", "valid_no_headers"] {
        let bytes = read(name);
        let m = decode(&bytes).unwrap().unwrap();
        assert_eq!(m.encode().unwrap(), bytes, "{name}");
    }
    for name in [
        "invalid_header_name_length",
        "invalid_header_name_length_too_long",
        "invalid_header_string_length_cut_off",
        "invalid_header_string_value_length",
        "invalid_header_value_type",
        "invalid_headers_length",
        "invalid_message_checksum",
        "invalid_prelude_checksum",
    ] {
        let got = decode(&read(name));
        assert!(got.is_err(), "{name} was read: {got:?}");
    }
}

/// Typed mocks answer a bidirectional operation with typed events too (its input's events
/// are not sent anywhere: the mock answers at once).
#[tokio::test]
async fn mocks_answer_a_bidirectional_operation() {
    use crate::bedrock_runtime::operation::invoke_model_with_bidirectional_stream::{
        InvokeModelWithBidirectionalStream, InvokeModelWithBidirectionalStreamEvent as Out,
        InvokeModelWithBidirectionalStreamInput,
        InvokeModelWithBidirectionalStreamInputEvent as In,
        InvokeModelWithBidirectionalStreamInputRequired, InvokeModelWithBidirectionalStreamOutput,
    };
    use crate::bedrock_runtime::test_util::{mock, mock_config};
    use crate::bedrock_runtime::types::{
        BidirectionalInputPayloadPart, BidirectionalOutputPayloadPart,
    };
    let part = BidirectionalOutputPayloadPart::default()
        .with_bytes(awsgen_runtime::Blob::new(b"spoken".to_vec()));
    let rule = mock::<InvokeModelWithBidirectionalStream>().then_events(
        InvokeModelWithBidirectionalStreamOutput::default(),
        vec![Ok(Out::Chunk(part.clone()))],
    );
    let client = crate::bedrock_runtime::client::Client::new(mock_config(&[&rule]));
    let said = In::Chunk(
        BidirectionalInputPayloadPart::new().bytes(awsgen_runtime::Blob::new(b"hi".to_vec())),
    );
    let input = InvokeModelWithBidirectionalStreamInput::new(
        InvokeModelWithBidirectionalStreamInputRequired {
            model_id: "amazon.nova-sonic-v1:0".into(),
            body: awsgen_runtime::eventstream::EventSender::from(vec![said]),
        },
    );
    let mut out = client
        .invoke_model_with_bidirectional_stream(input)
        .await
        .unwrap();
    assert_eq!(out.body.recv().await.unwrap(), Some(Out::Chunk(part)));
    assert_eq!(out.body.recv().await.unwrap(), None);
    assert_eq!(rule.calls(), 1);
}

/// S3 Express One Zone (botocore's `S3ExpressIdentityResolver` and `S3ExpressAuth`): a
/// directory bucket's requests are signed with the session its `CreateSession` opens
/// (itself signed with the client's keys, for the `s3express` signing name), the token
/// in `x-amz-s3session-token` and never in `x-amz-security-token`; the session is kept
/// for the bucket's later calls; a presigned URL carries it as `X-Amz-S3session-Token`.
mod s3_express {
    use crate::common::{config, signature_as, Recorded, Reply, Server, AKID};
    use crate::s3;
    use s3::operation::get_object::{GetObjectInput, GetObjectInputRequired};
    use s3::operation::put_object::{PutObjectInput, PutObjectInputRequired};

    /// A directory bucket of us-east-1's zone `use1-az4`.
    const BUCKET: &str = "mybucket--use1-az4--x-s3";
    const SESSION: (&str, &str) = ("ASIASESSIONKEY", "sessionSecretKeyOfTheDirectoryBucket00");

    fn xml(status: u16, body: &str) -> Reply {
        Reply::Http(
            status,
            vec![("content-type", "text/xml".into())],
            body.as_bytes().to_vec(),
        )
    }

    fn session(token: &str, expiration: &str) -> Reply {
        let body = format!(
            "<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials>\
             <SessionToken>{token}</SessionToken><SecretAccessKey>{}</SecretAccessKey>\
             <AccessKeyId>{}</AccessKeyId><Expiration>{expiration}</Expiration></Credentials>\
             </CreateSessionResult>",
            SESSION.1, SESSION.0
        );
        xml(200, &body)
    }

    fn object() -> Reply {
        Reply::Http(200, vec![("etag", "\"e\"".into())], b"hello".to_vec())
    }

    fn stored() -> Reply {
        Reply::Http(200, vec![("etag", "\"e\"".into())], Vec::new())
    }

    fn client(server: &Server) -> s3::Client {
        s3::Client::new(config(&server.url()).build())
    }

    fn get(key: &str) -> GetObjectInput {
        GetObjectInput::new(GetObjectInputRequired {
            bucket: BUCKET.into(),
            key: key.into(),
        })
    }

    /// The headers `req` signed, as its `Authorization` names them.
    fn signed_headers(req: &Recorded) -> Vec<String> {
        let auth = req.header("authorization").unwrap();
        let list = auth.split("SignedHeaders=").nth(1).unwrap();
        let list = list.split(',').next().unwrap();
        list.split(';').map(str::to_string).collect()
    }

    fn signature(req: &Recorded, keys: (&str, &str)) -> String {
        let names = signed_headers(req);
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let hash = req.header("x-amz-content-sha256");
        signature_as(req, keys, "s3express", &names, None, hash)
    }

    #[tokio::test]
    async fn requests_are_signed_with_the_buckets_session() {
        let server = Server::start(vec![
            session("TOKEN-1", "2099-01-01T00:00:00Z"),
            object(),
            object(),
            stored(),
        ])
        .await;
        let client = client(&server);
        for key in ["a", "b"] {
            let out = client.get_object(get(key)).await.unwrap();
            assert_eq!(out.body.collect(1 << 10).await.unwrap().as_ref(), b"hello");
        }
        let put = PutObjectInput::new(PutObjectInputRequired {
            bucket: BUCKET.into(),
            key: "c".into(),
        })
        .body(awsgen_runtime::ByteStream::from(b"payload".to_vec()));
        client.put_object(put).await.unwrap();

        let reqs = server.requests();
        assert_eq!(reqs.len(), 4, "one session for the three calls: {reqs:#?}");
        // The session, opened with the client's own keys.
        let open = &reqs[0];
        assert_eq!(
            (open.method.as_str(), open.path.as_str()),
            ("GET", "/mybucket--use1-az4--x-s3")
        );
        assert_eq!(open.query, "session");
        let auth = open.header("authorization").unwrap();
        assert!(
            auth.contains(&format!(
                "Credential={AKID}/20150830/us-east-1/s3express/aws4_request"
            )),
            "{auth}"
        );
        assert_eq!(open.header("x-amz-s3session-token"), None);
        assert!(
            auth.ends_with(&signature(open, (AKID, crate::common::SECRET))),
            "{auth}"
        );
        // The calls, with the session's.
        for (req, path) in reqs[1..].iter().zip(["a", "b", "c"]) {
            assert_eq!(req.path, format!("/{BUCKET}/{path}"));
            assert_eq!(req.header("x-amz-s3session-token"), Some("TOKEN-1"));
            assert_eq!(req.header("x-amz-security-token"), None);
            assert!(signed_headers(req).contains(&"x-amz-s3session-token".to_string()));
            let auth = req.header("authorization").unwrap();
            assert!(
                auth.contains(&format!(
                    "Credential={}/20150830/us-east-1/s3express/aws4_request",
                    SESSION.0
                )),
                "{auth}"
            );
            assert!(auth.ends_with(&signature(req, SESSION)), "{auth}");
        }
        assert_eq!(reqs[3].body, b"payload");
    }

    #[tokio::test]
    async fn an_expired_session_is_opened_again() {
        let server = Server::start(vec![
            session("OLD", "2015-08-30T12:36:00Z"),
            object(),
            session("NEW", "2099-01-01T00:00:00Z"),
            object(),
        ])
        .await;
        let client = client(&server);
        client.get_object(get("a")).await.unwrap();
        client.get_object(get("a")).await.unwrap();
        let tokens: Vec<_> = server
            .requests()
            .iter()
            .map(|r| {
                (
                    r.query.clone(),
                    r.header("x-amz-s3session-token").map(str::to_string),
                )
            })
            .collect();
        assert_eq!(
            tokens,
            [
                ("session".into(), None),
                (String::new(), Some("OLD".into())),
                ("session".into(), None),
                (String::new(), Some("NEW".into())),
            ]
        );
    }

    #[tokio::test]
    async fn a_session_refused_says_why_and_sends_nothing_else() {
        let denied =
            "<Error><Code>AccessDenied</Code><Message>No session for you</Message></Error>";
        let server = Server::start(vec![xml(403, denied)]).await;
        let err = client(&server).get_object(get("a")).await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("S3 Express CreateSession"), "{text}");
        assert!(text.contains(BUCKET), "{text}");
        assert!(text.contains("No session for you"), "{text}");
        assert_eq!(server.requests().len(), 1, "only the session was asked for");
    }

    #[tokio::test]
    async fn a_presigned_url_carries_the_session() {
        let server = Server::start(vec![session("TOKEN-P", "2099-01-01T00:00:00Z")]).await;
        let url = client(&server)
            .presign::<s3::operation::get_object::GetObject>(
                get("k"),
                std::time::Duration::from_secs(300),
            )
            .await
            .unwrap();
        let uri = url.uri().to_string();
        assert!(uri.contains("X-Amz-S3session-Token=TOKEN-P"), "{uri}");
        assert!(!uri.contains("X-Amz-Security-Token"), "{uri}");
        assert!(
            uri.contains(&format!(
                "X-Amz-Credential={}%2F20150830%2Fus-east-1%2Fs3express%2Faws4_request",
                SESSION.0
            )),
            "{uri}"
        );
        let shown = format!("{url:?}");
        assert!(!shown.contains("TOKEN-P"), "{shown}");
    }
}
