//! The seam between the request path and a wire protocol.
//!
//! A protocol builds a [`Request`] from an operation's input (generated code calls its
//! builder), parses outputs and fault members (generated code names its parsers), and
//! reads an error response's code and message ([`Protocol::error_metadata`], which the
//! client calls). Everything else (endpoint, signing, retries, timeouts, transport) is
//! protocol-neutral in [`client`](crate::client). A new protocol is a new module here.

pub mod aws_json;

pub use aws_json::AwsJson;

use crate::ErrorMetadata;
use bytes::Bytes;
use std::fmt;

/// What the client asks of a service's protocol.
pub trait Protocol: fmt::Debug + Send + Sync {
    /// Reads an error response: the code, message and request id it carries. Never
    /// fails: a body that is not the protocol's error form gives metadata without a code.
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata;
}

/// A request as a protocol builds it from an operation's input. The client adds the
/// endpoint, `host`, date, security token, content encoding and signature.
#[derive(Debug)]
pub struct Request {
    /// The HTTP method.
    pub method: http::Method,
    /// The path and query after the endpoint's own path; empty for protocols that post to
    /// the endpoint itself (awsJson).
    pub path: String,
    /// The protocol's headers (signed).
    pub headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The serialized body.
    pub body: Vec<u8>,
}

/// The request id of a response (`x-amzn-RequestId`), on outputs and errors.
pub trait RequestId {
    /// The request id, if the service sent one.
    fn request_id(&self) -> Option<&str>;
}

#[doc(hidden)]
pub trait SetRequestId {
    fn set_request_id(&mut self, id: Option<String>);
}

/// A successful response.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// The body.
    pub body: Bytes,
}
