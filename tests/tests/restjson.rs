//! The rest-json fixture model (`tests/fixtures/restjson`, golden `tests/golden/restjson.rs`)
//! on the wire: every binding of one request, the answer's headers and status, a fault's
//! header members, and each operation's `staticContextParams` choosing its endpoint.

mod common;

use awsgen_runtime::{Blob, ByteStream, DateTime, ProvideErrorMetadata};
use awsgen_tests::restjson::operation::download::{DownloadError, DownloadInput};
use awsgen_tests::restjson::operation::get_blob::{GetBlobError, GetBlobInput};
use awsgen_tests::restjson::operation::ping::PingInput;
use awsgen_tests::restjson::operation::post_doc::PostDocInput;
use awsgen_tests::restjson::operation::put_thing::{PutThingInput, PutThingInputRequired};
use awsgen_tests::restjson::operation::upload::{UploadInput, UploadInputRequired};
use awsgen_tests::restjson::types::{Mode, Nested};
use awsgen_tests::restjson::Client;
use common::{config, signature_over, Reply, Server};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn put_thing_writes_every_binding_and_reads_headers_and_status() {
    let server = Server::start(vec![Reply::Http(
        201,
        vec![
            ("etag", "\"abc\"".into()),
            ("x-version", "7".into()),
            ("expires", "Tue, 29 Apr 2014 18:30:38 GMT".into()),
            ("x-names", "a, b".into()),
            ("x-meta-color", "blue".into()),
            ("x-amzn-requestid", "req-9".into()),
        ],
        br#"{"id":"thing-1","Nested":{"title":"t"}}"#.to_vec(),
    )])
    .await;
    let client = Client::new(config(&server.url()).build());
    let at = DateTime::from_secs_and_nanos(1_398_796_238, 0);
    let input = PutThingInput::new(PutThingInputRequired {
        bucket: "my bucket".into(),
        key: "a/b c".into(),
        count: 3,
    })
    .tags(vec!["x".into(), "y z".into()])
    .since(at)
    .flag(true)
    .extra(BTreeMap::from([
        ("count".to_string(), "99".to_string()),
        ("e".to_string(), "1".to_string()),
    ]))
    .token("tok-1")
    .ratio(1.5)
    .modified(at)
    .epoch(at)
    .names(vec!["n1".into(), "n,2".into()])
    .attrs(awsgen_runtime::serde_json::json!({"k": "v"}))
    .meta(BTreeMap::from([("owner".to_string(), "me".to_string())]))
    .mode(Mode::Fast)
    .description("hello")
    .nested(Nested::default().with_title("inner"));
    let out = client.put_thing(input).await.unwrap();
    assert_eq!(out.status, Some(201));
    assert_eq!(out.e_tag.as_deref(), Some("\"abc\""));
    assert_eq!(out.version, Some(7));
    assert_eq!(out.expires, Some(at));
    assert_eq!(
        out.names.as_deref(),
        Some(&["a".to_string(), "b".to_string()][..])
    );
    assert_eq!(
        out.meta
            .as_ref()
            .and_then(|m| m.get("color"))
            .map(String::as_str),
        Some("blue")
    );
    assert_eq!(out.id.as_deref(), Some("thing-1"));

    let req = &server.requests()[0];
    assert_eq!(req.method, "PUT");
    assert_eq!(req.path, "/things/my%20bucket/a/b%20c");
    let mut query: Vec<&str> = req.query.split('&').collect();
    query.sort();
    // The literal `mode=put` first in the template; the map's `count` yields to the member.
    assert_eq!(
        query,
        [
            "count=3",
            "e=1",
            "flag=true",
            "mode=put",
            "since=2014-04-29T18%3A30%3A38Z",
            "tag=x",
            "tag=y%20z"
        ]
    );
    assert!(req.query.starts_with("mode=put&"), "{}", req.query);
    assert_eq!(req.header("x-token"), Some("tok-1"));
    assert_eq!(req.header("x-ratio"), Some("1.5"));
    assert_eq!(
        req.header("x-modified"),
        Some("Tue, 29 Apr 2014 18:30:38 GMT")
    );
    assert_eq!(req.header("x-epoch"), Some("1398796238"));
    assert_eq!(req.header("x-names"), Some("n1,\"n,2\""));
    assert_eq!(req.header("x-attrs"), Some("eyJrIjoidiJ9")); // base64 of {"k":"v"}
    assert_eq!(req.header("x-meta-owner"), Some("me"));
    assert_eq!(req.header("x-mode"), Some("fast"));
    assert_eq!(req.header("content-type"), Some("application/json"));
    let body: awsgen_runtime::serde_json::Value =
        awsgen_runtime::serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body,
        awsgen_runtime::serde_json::json!({"description": "hello", "Nested": {"title": "inner"}})
    );
    // httpChecksumRequired: the body's CRC32, as botocore sends it.
    let crc = crc32(&req.body).to_be_bytes();
    assert_eq!(
        req.header("x-amz-checksum-crc32"),
        Some(Blob::new(crc.to_vec()).to_base64().as_str())
    );
    // The signature, over the headers ours signs, as `aws-sigv4` computes it.
    let auth = req.header("authorization").unwrap();
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap()
        .split(';')
        .collect();
    assert!(
        signed.contains(&"x-token") && signed.contains(&"x-amz-checksum-crc32"),
        "{auth}"
    );
    let expected = signature_over(req, "restjsonfixture", &signed, None);
    assert!(auth.ends_with(&expected), "{auth} / {expected}");
}

/// CRC-32 (IEEE), bit by bit: an independent reference for the header.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn blob_payloads_and_fault_header_members() {
    let server = Server::start(vec![
        Reply::Http(
            200,
            vec![("content-type", "image/png".into())],
            vec![0, 1, 2, 255],
        ),
        Reply::Http(
            404,
            vec![
                ("x-amzn-errortype", "ThingNotFound".into()),
                ("x-resource", "blob 7".into()),
                ("retry-after", "30".into()),
            ],
            br#"{"Message":"no such blob"}"#.to_vec(),
        ),
    ])
    .await;
    let client = Client::new(config(&server.url()).build());
    let out = client
        .get_blob(GetBlobInput::new(7).range("bytes=0-3"))
        .await
        .unwrap();
    assert_eq!(
        out.body.as_ref().map(Blob::as_slice),
        Some(&[0u8, 1, 2, 255][..])
    );
    assert_eq!(out.content_type.as_deref(), Some("image/png"));
    let req = &server.requests()[0];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/blobs/7")
    );
    assert_eq!(req.header("range"), Some("bytes=0-3"));

    let err = client.get_blob(GetBlobInput::new(8)).await.unwrap_err();
    let GetBlobError::ThingNotFound(fault) = &err else {
        panic!("expected ThingNotFound, got {err:?}");
    };
    assert_eq!(fault.resource.as_deref(), Some("blob 7"));
    assert_eq!(fault.retry_after, Some(30));
    assert_eq!(err.message(), Some("no such blob"));
    assert_eq!(
        fault
            .meta()
            .response_headers()
            .and_then(|h| h.get("retry-after"))
            .map(|v| v.as_bytes()),
        Some(&b"30"[..])
    );
}

#[tokio::test]
async fn a_structure_payload_is_the_whole_body() {
    let server = Server::start(vec![Reply::Http(
        200,
        vec![],
        br#"{"title":"back"}"#.to_vec(),
    )])
    .await;
    let client = Client::new(config(&server.url()).build());
    let out = client
        .post_doc(
            PostDocInput::new()
                .doc(Nested::default().with_title("sent"))
                .lang(Mode::Safe),
        )
        .await
        .unwrap();
    assert_eq!(out.doc.and_then(|d| d.title).as_deref(), Some("back"));
    let req = &server.requests()[0];
    assert_eq!(req.body, br#"{"title":"sent"}"#);
    assert_eq!(req.header("content-language"), Some("safe"));
    // An unset structure payload is `{}`, as botocore sends it.
    client.post_doc(PostDocInput::new()).await.unwrap();
    assert_eq!(server.requests()[1].body, b"{}");
}

/// A transport that records each request's URI and answers 200 `{}`.
#[derive(Debug, Clone, Default)]
struct Uris(Arc<Mutex<Vec<String>>>);

impl awsgen_runtime::http::HttpClient for Uris {
    fn send(
        &self,
        request: http::Request<awsgen_runtime::ByteStream>,
    ) -> awsgen_runtime::BoxFuture<
        '_,
        Result<http::Response<awsgen_runtime::ByteStream>, awsgen_runtime::http::TransportError>,
    > {
        self.0.lock().unwrap().push(request.uri().to_string());
        Box::pin(async {
            Ok(http::Response::new(awsgen_runtime::ByteStream::from(
                b"{}".to_vec(),
            )))
        })
    }
}

/// Issue #26: an operation's `staticContextParams` are rule-set parameters (Neptune
/// Analytics' `ApiType`, ACM's `ServiceType`, both required by their rule sets): each
/// operation resolves its endpoint with its own; without them every call failed with
/// "missing required parameter `ApiType`".
#[tokio::test]
async fn static_context_params_choose_each_operations_endpoint() {
    let uris = Uris::default();
    let config = awsgen_runtime::Config::builder()
        .region("us-west-2")
        .credentials(awsgen_runtime::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .http_client(uris.clone())
        .build();
    let client = Client::new(config);
    client.get_blob(GetBlobInput::new(1)).await.unwrap();
    client
        .put_thing(PutThingInput::new(PutThingInputRequired {
            bucket: "b".into(),
            key: "k".into(),
            count: 1,
        }))
        .await
        .unwrap();
    // `contextParams`: the input's `Tenant` member is a rule-set parameter, so each call
    // resolves its own endpoint (and without it, the operation's).
    client
        .download(DownloadInput::new(2).tenant("acme"))
        .await
        .unwrap();
    client
        .download(DownloadInput::new(3).tenant("globex"))
        .await
        .unwrap();
    client.download(DownloadInput::new(4)).await.unwrap();
    let seen = uris.0.lock().unwrap().clone();
    assert_eq!(
        seen[2..],
        [
            "https://acme.data.us-west-2.restjsonfixture.example/objects/2",
            "https://globex.data.us-west-2.restjsonfixture.example/objects/3",
            "https://data.us-west-2.restjsonfixture.example/objects/4",
        ]
    );
    assert_eq!(
        seen[0],
        "https://data.us-west-2.restjsonfixture.example/blobs/1"
    );
    assert!(
        seen[1]
            .starts_with("https://control.us-west-2.restjsonfixture.example/things/b/k?mode=put"),
        "{}",
        seen[1]
    );
}

/// A transport that records each request whole (as the test server would) and answers
/// 200 with no body.
#[derive(Debug, Clone, Default)]
struct Record(Arc<Mutex<Vec<common::Recorded>>>);

impl awsgen_runtime::http::HttpClient for Record {
    fn send(
        &self,
        request: http::Request<awsgen_runtime::ByteStream>,
    ) -> awsgen_runtime::BoxFuture<
        '_,
        Result<http::Response<awsgen_runtime::ByteStream>, awsgen_runtime::http::TransportError>,
    > {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect(usize::MAX).await.unwrap();
            self.0.lock().unwrap().push(common::Recorded {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                query: parts.uri.query().unwrap_or_default().to_string(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
                    .collect(),
                body: body.to_vec(),
            });
            Ok(http::Response::new(awsgen_runtime::ByteStream::default()))
        })
    }
}

fn signed_headers(auth: &str) -> Vec<&str> {
    auth.split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap()
        .split(';')
        .collect()
}

/// A streaming payload (`requiresLength`) read from a file: sent with its length, its
/// bytes whole; over plain http the body is hashed into the signature (botocore signs
/// `v4-unsigned-body` operations' payloads only over https).
#[tokio::test]
async fn a_streaming_payload_is_sent_from_a_file_with_its_length() {
    let server = Server::start(vec![Reply::Http(
        200,
        vec![("etag", "\"e1\"".into())],
        Vec::new(),
    )])
    .await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("awsgen-upload-{}", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let client = Client::new(config(&server.url()).build());
    let body = ByteStream::from_path(&path).await.unwrap();
    let out = client
        .upload(UploadInput::new(UploadInputRequired { id: 5, body }).note("n"))
        .await
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.e_tag.as_deref(), Some("\"e1\""));
    let req = &server.requests()[0];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("PUT", "/objects/5")
    );
    assert_eq!(req.header("content-length"), Some("300000"));
    assert_eq!(req.header("x-note"), Some("n"));
    // No `Content-Type` on a streaming payload, as botocore sends it.
    assert_eq!(req.header("content-type"), None);
    assert!(req.body == data, "the file's bytes, whole");
    let auth = req.header("authorization").unwrap();
    let expected = signature_over(req, "restjsonfixture", &signed_headers(auth), None);
    assert!(auth.ends_with(&expected), "{auth} / {expected}");
}

/// Over https a `v4-unsigned-body` operation is signed with `UNSIGNED-PAYLOAD`, as
/// botocore signs EBS `PutSnapshotBlock`; a body of unknown length is refused before
/// anything is sent when the model says `requiresLength`.
#[tokio::test]
async fn unsigned_payload_over_https_and_requires_length() {
    let record = Record::default();
    let client = Client::new(
        awsgen_runtime::Config::builder()
            .region("us-east-1")
            .credentials(awsgen_runtime::Credentials::new(
                common::AKID,
                common::SECRET,
                None,
                None,
                "test",
            ))
            .time_source(common::fixed_time)
            .http_client(record.clone())
            .build(),
    );
    client
        .upload(UploadInput::new(UploadInputRequired {
            id: 1,
            body: ByteStream::from(b"abc".to_vec()),
        }))
        .await
        .unwrap();
    let req = record.0.lock().unwrap()[0].clone();
    assert_eq!(req.body, b"abc");
    let auth = req.header("authorization").unwrap();
    let unsigned =
        common::signature_with(&req, "restjsonfixture", &signed_headers(auth), None, true);
    assert!(auth.ends_with(&unsigned), "{auth} / {unsigned}");

    let chunks = futures_stream(vec![b"ab".to_vec(), b"c".to_vec()]);
    let err = client
        .upload(UploadInput::new(UploadInputRequired {
            id: 2,
            body: ByteStream::from_stream(chunks, None),
        }))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("requiresLength"), "{err}");
    assert_eq!(record.0.lock().unwrap().len(), 1, "nothing more was sent");
}

/// A byte stream from `pieces`.
fn futures_stream(
    pieces: Vec<Vec<u8>>,
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + Sync + 'static
{
    struct S(std::collections::VecDeque<Vec<u8>>);
    impl futures_core::Stream for S {
        type Item = Result<bytes::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.pop_front().map(|p| Ok(p.into())))
        }
    }
    S(pieces.into())
}

/// A streaming output: the body arrives as a `ByteStream` read chunk by chunk (the
/// header members already set), and a fault is still read whole and typed.
#[tokio::test]
async fn a_streaming_output_hands_over_the_body_as_it_arrives() {
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 253) as u8).collect();
    let server = Server::start(vec![
        Reply::Http(200, vec![], data.clone()),
        Reply::Http(
            404,
            vec![("x-amzn-errortype", "ThingNotFound".into())],
            br#"{"Message":"gone"}"#.to_vec(),
        ),
    ])
    .await;
    let client = Client::new(config(&server.url()).build());
    let mut out = client.download(DownloadInput::new(3)).await.unwrap();
    assert_eq!(out.length, Some(3_000_000));
    assert_eq!(
        awsgen_runtime::protocol::HttpStatus::http_status(&out),
        Some(200)
    );
    let mut got = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = out.body.next().await {
        got.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert!(got == data, "the body, whole");
    assert!(chunks > 1, "read as it arrives, not in one piece");

    let err = client.download(DownloadInput::new(4)).await.unwrap_err();
    let DownloadError::ThingNotFound(_) = &err else {
        panic!("expected ThingNotFound, got {err:?}");
    };
    assert_eq!(err.message(), Some("gone"));
}

/// An operation the model leaves unsigned (`authtype: none`, Cognito Identity's `GetId`)
/// needs no credentials and is sent without `Authorization` or `X-Amz-Date`, as botocore
/// sends it.
#[tokio::test]
async fn an_unsigned_operation_needs_no_credentials() {
    let server = Server::start(vec![Reply::Http(200, vec![], Vec::new())]).await;
    let client = Client::new(
        awsgen_runtime::Config::builder()
            .region("us-east-1")
            .endpoint_url(server.url())
            .build(),
    );
    client.ping(PingInput::new()).await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.path, "/ping");
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.header("x-amz-date"), None);
    // A signed operation of the same client still needs credentials.
    let err = client.download(DownloadInput::new(1)).await.unwrap_err();
    assert!(err.to_string().contains("credentials"), "{err}");
}

/// The blocking client hands over a streaming output too; `read_body` reads it as
/// `std::io::Read` on the client's own runtime, which drives the connection.
#[test]
fn a_blocking_client_reads_a_streaming_body() {
    use std::io::Read as _;
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 241) as u8).collect();
    let server_rt = tokio::runtime::Runtime::new().unwrap();
    let server = server_rt.block_on(Server::start(vec![Reply::Http(200, vec![], data.clone())]));
    let client =
        awsgen_tests::restjson::blocking::Client::new(config(&server.url()).build()).unwrap();
    let out = client.download(DownloadInput::new(9)).unwrap();
    assert_eq!(out.length, Some(1_000_000));
    let mut got = Vec::new();
    client.read_body(out.body).read_to_end(&mut got).unwrap();
    assert!(got == data, "the body, whole");
}

/// Issue #26: the typed mocks work for a REST service. The operation is found without
/// `X-Amz-Target`, `match_input` sees the whole input (a label member is not in the
/// body), and an output is answered as a service would send it: the status member as the
/// status, header members as headers, a streaming payload as the body.
#[tokio::test]
async fn typed_mocks_answer_rest_operations() {
    use awsgen_tests::restjson::operation::download::Download;
    use awsgen_tests::restjson::operation::download::DownloadOutput;
    use awsgen_tests::restjson::operation::put_thing::{PutThing, PutThingOutput};
    use awsgen_tests::restjson::test_util::{mock, mock_config};
    let at = DateTime::from_secs_and_nanos(1_398_796_238, 0);
    let put = mock::<PutThing>()
        .match_input(|i| i.bucket == "b2" && i.count == 4)
        .then_output(
            PutThingOutput::default()
                .with_status(202)
                .with_e_tag("\"t\"")
                .with_version(3)
                .with_expires(at)
                .with_names(vec!["x".to_string(), "y".to_string()])
                .with_meta(BTreeMap::from([("k".to_string(), "v".to_string())]))
                .with_id("thing-2")
                .with_nested(Nested::default().with_title("n")),
        );
    let download = mock::<Download>().then_output(
        DownloadOutput::default()
            .with_body(ByteStream::from(b"mocked bytes".to_vec()))
            .with_length(12),
    );
    let client = Client::new(mock_config(&[&put, &download]));
    let input = |bucket: &str| {
        PutThingInput::new(PutThingInputRequired {
            bucket: bucket.into(),
            key: "k".into(),
            count: 4,
        })
    };
    let out = client.put_thing(input("b2")).await.unwrap();
    assert_eq!(out.status, Some(202));
    assert_eq!(out.e_tag.as_deref(), Some("\"t\""));
    assert_eq!(out.version, Some(3));
    assert_eq!(out.expires, Some(at));
    assert_eq!(out.names(), ["x", "y"]);
    assert_eq!(
        out.meta
            .as_ref()
            .and_then(|m| m.get("k"))
            .map(String::as_str),
        Some("v")
    );
    assert_eq!(out.id.as_deref(), Some("thing-2"));
    assert_eq!(out.nested.and_then(|n| n.title).as_deref(), Some("n"));
    assert_eq!(put.calls(), 1);
    // Another label: no rule matches, and the error names the operation.
    let err = client.put_thing(input("other")).await.unwrap_err();
    assert!(err.to_string().contains("PutThing"), "{err}");

    let out = client.download(DownloadInput::new(1)).await.unwrap();
    assert_eq!(out.length, Some(12));
    assert_eq!(
        &out.body.collect(1 << 20).await.unwrap()[..],
        b"mocked bytes"
    );
}
