//! The seam between the request path and a wire protocol.
//!
//! A protocol builds a [`Request`] from an operation's input (generated code calls its
//! builder), parses outputs and fault members (generated code names its parsers), and
//! reads an error response's code and message ([`Protocol::error_metadata`], which the
//! client calls). Everything else (endpoint, signing, retries, timeouts, transport) is
//! protocol-neutral in [`client`](crate::client). A new protocol is a new module here.

pub mod aws_json;
pub mod query;
pub mod rest;
pub mod rest_json;
pub mod rest_xml;
pub mod rpc_v2_cbor;
mod xml_de;
pub mod xml_table;

pub use aws_json::AwsJson;
pub use query::Query;
pub use rest_json::RestJson;
pub use rest_xml::RestXml;
pub use rpc_v2_cbor::RpcV2Cbor;

use crate::ErrorMetadata;
use bytes::Bytes;
use std::fmt;

/// What the client asks of a service's protocol.
pub trait Protocol: fmt::Debug + Send + Sync {
    /// Reads an error response: the code, message and request id it carries. Never
    /// fails: a body that is not the protocol's error form gives metadata without a code.
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata;

    /// The request id of a response: `x-amzn-RequestId` (the REST protocols also read
    /// `x-amz-request-id`, as botocore does).
    fn request_id(&self, headers: &http::HeaderMap) -> Option<String> {
        request_id_header(headers, "x-amzn-requestid")
    }
}

/// A request-id header's value, trimmed, when it is present and not empty.
pub(crate) fn request_id_header(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// [`Protocol::error_metadata`] of a response given as plain parts, for harnesses that
/// have no `http::HeaderMap` (`scripts/differential.py`), with the headers kept as the
/// client keeps them. A header whose name or value
/// is not valid HTTP is left out, as a transport would refuse it.
#[doc(hidden)]
pub fn error_metadata_from_parts(
    protocol: &dyn Protocol,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> ErrorMetadata {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            map.append(n, v);
        }
    }
    protocol
        .error_metadata(status, &map, body)
        .with_headers(map)
}

/// A request as a protocol builds it from an operation's input. The client adds the
/// endpoint, `host`, date, security token, content encoding and signature.
#[derive(Debug)]
pub struct Request {
    /// The HTTP method.
    pub method: http::Method,
    /// The path and query after the endpoint's own path, percent-encoded (`/things/a%20b?x=1`);
    /// empty for protocols that post to the endpoint itself (awsJson).
    pub path: String,
    /// The protocol's headers (signed).
    pub headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The serialized body (or a streaming payload).
    pub body: crate::ByteStream,
    /// The input's serde form, for the typed mocks' `match_input` when the body is not the
    /// whole input (REST protocols; set by generated code only with its `test-util`
    /// feature).
    #[doc(hidden)]
    pub mock_input: Option<bytes::Bytes>,
    /// Rule-set parameters this call's input sets (the model's `contextParams`): the
    /// endpoint is resolved for the call when there are any.
    pub endpoint_params: Vec<(&'static str, crate::endpoint::ContextParam)>,
    /// What the operation's model says of checksums (REST protocols), for the client to
    /// send one as its configuration says.
    pub checksum: Option<crate::checksum::RequestChecksum>,
    /// The operation has a streaming payload (botocore's `has_streaming_input`).
    pub streaming_input: bool,
    /// The caller gave the payload member (botocore's `'Body' in params`).
    pub payload_given: bool,
    /// An input event stream's messages (the body, once the request is signed: each
    /// message signed in turn, `eventstream/input.rs`).
    pub events: Option<Outgoing>,
    /// The checksums an answer's body is checked against, in order of preference (set by
    /// the client when the operation's validation mode is `ENABLED`).
    #[doc(hidden)]
    pub validate_response: &'static [&'static str],
}

/// The messages of an input event stream, each in the wire format, as the caller sends
/// them ([`EventSender`](crate::eventstream::EventSender)); taken once, by the attempt that
/// sends them (behind a lock, so that the request can be shared between threads).
pub struct Outgoing(std::sync::Mutex<Option<OutgoingMessages>>);

/// A stream of encoded messages.
pub(crate) type OutgoingMessages =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, crate::RequestError>> + Send>>;

impl Outgoing {
    pub(crate) fn new(messages: OutgoingMessages) -> Self {
        Outgoing(std::sync::Mutex::new(Some(messages)))
    }

    /// The messages, the first time.
    pub(crate) fn take(&self) -> Option<OutgoingMessages> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Outgoing(..)")
    }
}

/// What the client tells the typed mocks' transport of each request (a request
/// extension, only with the `test-util` feature): the operation, and the input's serde
/// form when the body is not it. (Here, not in `test_util`, which depends on `client`.)
#[cfg(feature = "test-util")]
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Sent {
    pub operation: &'static str,
    pub input: Option<Bytes>,
}

/// The request id of a response (`x-amzn-RequestId`), on outputs and errors.
pub trait RequestId {
    /// The request id, if the service sent one.
    fn request_id(&self) -> Option<&str>;

    /// The extended request id S3 and the other rest-xml services send beside it
    /// (`x-amz-id-2`, botocore's `HostId`), which AWS support asks for with the request
    /// id; `None` for the services that send none.
    fn extended_request_id(&self) -> Option<&str> {
        None
    }
}

/// The HTTP status of the response an output was read from (`None` for an output built
/// in code, a mock's). Waiters' `status` acceptors read it.
pub trait HttpStatus {
    /// The status, when the output came from a response.
    fn http_status(&self) -> Option<u16>;
}

/// What a generated output keeps of its response besides the members.
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseInfo {
    pub request_id: Option<String>,
    pub status: Option<u16>,
    /// S3's `x-amz-id-2` (rest-xml outputs).
    pub extended_request_id: Option<String>,
}

#[doc(hidden)]
pub trait SetRequestId {
    fn set_request_id(&mut self, id: Option<String>);
    /// Keeps S3's `x-amz-id-2` (rest-xml outputs do; other types ignore it).
    fn set_extended_request_id(&mut self, _id: Option<String>) {}
    /// Keeps the HTTP status (outputs do; other types ignore it).
    fn set_status(&mut self, _status: u16) {}
}

/// A successful response whose body streams ([`Handle::invoke_streaming`](crate::client::Handle::invoke_streaming)).
#[derive(Debug)]
pub struct StreamingResponse {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The body, as it arrives.
    pub body: crate::ByteStream,
}

impl From<Response> for StreamingResponse {
    /// A response read whole, as a stream (harnesses and mocks).
    fn from(r: Response) -> Self {
        StreamingResponse {
            status: r.status,
            request_id: r.request_id,
            headers: r.headers,
            body: crate::ByteStream::from(r.body),
        }
    }
}

/// A successful response given as plain parts (harnesses).
#[doc(hidden)]
pub fn response_from_parts(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
    let mut map = http::HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            map.append(n, v);
        }
    }
    Response {
        status,
        request_id: request_id_header(&map, "x-amzn-requestid")
            .or_else(|| request_id_header(&map, "x-amz-request-id")),
        headers: map,
        body: bytes::Bytes::copy_from_slice(body),
    }
}

impl Response {
    /// The error of a success whose body does not read as the output: `message`, with the
    /// status, the request id and the start of the body kept.
    pub(crate) fn unreadable(&self, message: impl std::fmt::Display) -> crate::RequestError {
        crate::RequestError::Response {
            status: self.status,
            request_id: self.request_id.clone(),
            message: message.to_string(),
            body: String::from_utf8_lossy(
                &self.body[..self.body.len().min(crate::error::UNHANDLED_BODY_LIMIT)],
            )
            .into_owned(),
        }
    }
}

/// A successful response.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// The response headers (the REST protocols bind output members to them).
    pub headers: http::HeaderMap,
    /// The body.
    pub body: Bytes,
}
