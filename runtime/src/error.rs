//! Errors: what every service error carries ([`ErrorMetadata`]), errors the model does
//! not name ([`UnhandledError`]), requests that got no usable answer ([`RequestError`]),
//! and what generated error enums share ([`ProvideErrorMetadata`], [`RequestId`](crate::RequestId)).

use crate::endpoint::EndpointError;
use crate::http::TransportError;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// What the service said about an error: its code, message, HTTP status and request id.
///
/// Every modelled fault and every unhandled error carries one, so nothing the service
/// said is lost whichever variant the error lands in.
///
/// It is one pointer wide (the fields live behind a `Box`), so faults and the error
/// enums that hold them stay small in `Result`s; errors are the cold path.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct ErrorMetadata(Box<Fields>);

#[derive(Clone, Default, PartialEq, Eq, Debug)]
struct Fields {
    code: String,
    message: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    operation: Option<&'static str>,
    /// From `x-amzn-query-error`: the code the response carried before the legacy query
    /// code replaced it, and the fault type (`Sender` or `Receiver`).
    query: Option<(String, String)>,
    /// The response's headers (REST faults bind members to them).
    headers: Option<ResponseHeaders>,
}

/// An error response's headers, kept for the members bound to them and for callers
/// (`Retry-After`, ...); `Debug` says only how many there are.
#[derive(Clone, Default, PartialEq, Eq)]
struct ResponseHeaders(http::HeaderMap);

impl fmt::Debug for ResponseHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} headers>", self.0.len())
    }
}

impl ErrorMetadata {
    /// Metadata with the given code (sanitized: see [`sanitize_code`](Self::sanitize_code)).
    pub fn new(code: impl AsRef<str>) -> Self {
        ErrorMetadata(Box::new(Fields {
            code: Self::sanitize_code(code.as_ref()).to_string(),
            ..Default::default()
        }))
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.0.message = Some(message.into());
        self
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.0.request_id = Some(request_id.into());
        self
    }

    /// Keeps the response's headers.
    pub fn with_headers(mut self, headers: http::HeaderMap) -> Self {
        self.0.headers = Some(ResponseHeaders(headers));
        self
    }

    /// The error response's headers, when it came from a service (not a mock).
    pub fn response_headers(&self) -> Option<&http::HeaderMap> {
        self.0.headers.as_ref().map(|h| &h.0)
    }

    /// Applies `x-amzn-query-error: <code>;<type>` of a query-compatible service: `code`
    /// becomes the code (as botocore reports it), the previous one is kept as
    /// [`shape_code`](Self::shape_code), and `kind` as [`error_type`](Self::error_type).
    pub fn with_query_error(mut self, code: &str, kind: &str) -> Self {
        let shape_code = std::mem::replace(&mut self.0.code, Self::sanitize_code(code).to_string());
        self.0.query = Some((shape_code, kind.to_string()));
        self
    }

    /// The code the modelled faults are matched by: the code itself, or for a
    /// query-compatible service the one the response carried before the legacy query
    /// code replaced it (botocore's `QueryErrorCode`).
    pub fn shape_code(&self) -> &str {
        self.0.query.as_ref().map_or(&self.0.code, |(c, _)| c)
    }

    /// `Sender` or `Receiver`, from `x-amzn-query-error` (botocore's `Error.Type`).
    pub fn error_type(&self) -> Option<&str> {
        self.0.query.as_ref().map(|(_, t)| t.as_str())
    }

    /// Sets the operation the error came from (the client does, for every service error).
    pub fn with_operation(mut self, operation: &'static str) -> Self {
        self.0.operation = Some(operation);
        self
    }

    /// The operation the error came from (`DeleteConnection`), when the client set it.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// The error code (`ResourceNotFoundFault`); empty if the service sent none.
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// The message the service sent, if any.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// The HTTP status of the response, if the error came from one.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The `x-amzn-RequestId` of the response, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// S3's `x-amz-id-2` of the response (botocore's `HostId`), if it sent one.
    pub fn extended_request_id(&self) -> Option<&str> {
        self.response_headers()?
            .get("x-amz-id-2")?
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// The bare code from the forms services send: `aws.protocoltests#FooError`,
    /// `FooError:http://internal.amazon.com/...` and `ns#FooError:uri` all give `FooError`
    /// (what comes before the first `:`, then of that what comes after the last `#`, in
    /// the order of the awsJson specification and botocore), with whitespace trimmed.
    pub fn sanitize_code(raw: &str) -> &str {
        let before_colon = raw.split(':').next().unwrap_or(raw);
        let after_hash = before_colon.rsplit('#').next().unwrap_or(before_colon);
        after_hash.trim()
    }
}

impl fmt::Display for ErrorMetadata {
    /// `Code when calling Operation: message (HTTP 400, request id abc)`, as boto3 names
    /// the operation; parts the service did not send are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.0;
        if m.code.is_empty() {
            f.write_str("unknown error")?;
        } else {
            f.write_str(&m.code)?;
        }
        if let Some(op) = m.operation {
            write!(f, " when calling {op}")?;
        }
        if let Some(msg) = m.message.as_deref() {
            let (shown, whole) = printable(msg, MESSAGE_DISPLAY_LIMIT);
            if !shown.is_empty() {
                write!(f, ": {shown}")?;
                if !whole {
                    write!(f, "… (message() has all {} bytes)", msg.len())?;
                }
            }
        }
        match (m.status, &m.request_id) {
            (Some(s), Some(id)) => write!(f, " (HTTP {s}, request id {id})"),
            (Some(s), None) => write!(f, " (HTTP {s})"),
            (None, Some(id)) => write!(f, " (request id {id})"),
            (None, None) => Ok(()),
        }
    }
}

/// How much of a message `Display` shows: a service (or anything posing as one) can send
/// megabytes of message, and error text ends up in logs. [`ErrorMetadata::message`]
/// keeps the whole text.
pub const MESSAGE_DISPLAY_LIMIT: usize = 1024;

/// `s` as one line of printable text, at most `limit` bytes: every run of whitespace and
/// control characters becomes one space (a message can be a whole HTML page, or carry
/// terminal escapes), the ends trimmed; and whether that is all of it.
fn printable(s: &str, limit: usize) -> (String, bool) {
    let mut out = String::with_capacity(s.len().min(limit));
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            gap = !out.is_empty();
            continue;
        }
        if out.len() + usize::from(gap) + c.len_utf8() > limit {
            return (out, false);
        }
        if std::mem::take(&mut gap) {
            out.push(' ');
        }
        out.push(c);
    }
    (out, true)
}

/// An error the model does not name (or a response that is not an AWS error at all,
/// such as a proxy's HTML page): its metadata and the body, kept verbatim.
#[derive(Clone, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMetadata,
    /// Boxed, so that errors stay two words.
    body: Box<UnhandledBody>,
}

#[derive(Clone, PartialEq, Eq)]
struct UnhandledBody {
    /// The start of the body, as text.
    start: String,
    /// The whole body as received (so that a fault can be sorted again, members and all).
    raw: bytes::Bytes,
}

/// How much of an unhandled error's body [`UnhandledError::body`] shows (and `Debug`).
pub const UNHANDLED_BODY_LIMIT: usize = 4096;

impl UnhandledError {
    /// Wraps metadata and the raw body: the start (up to [`UNHANDLED_BODY_LIMIT`] bytes,
    /// as lossy UTF-8) to show, and the whole, as received.
    pub fn new(meta: ErrorMetadata, body: &[u8]) -> Self {
        let cut = &body[..body.len().min(UNHANDLED_BODY_LIMIT)];
        UnhandledError {
            meta,
            body: Box::new(UnhandledBody {
                start: String::from_utf8_lossy(cut).into_owned(),
                raw: bytes::Bytes::copy_from_slice(body),
            }),
        }
    }
    /// What the service said.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
    /// The code, as in [`ErrorMetadata::code`].
    pub fn code(&self) -> &str {
        self.meta.code()
    }
    /// The message, as in [`ErrorMetadata::message`].
    pub fn message(&self) -> Option<&str> {
        self.meta.message()
    }
    /// The start of the response body (up to [`UNHANDLED_BODY_LIMIT`] bytes, as lossy
    /// UTF-8).
    pub fn body(&self) -> &str {
        &self.body.start
    }
    /// The whole response body, as received (at most the configured
    /// `max_response_body`).
    pub fn raw_body(&self) -> &[u8] {
        &self.body.raw
    }
}

/// Shows the start of the body only, and the whole body's length.
impl fmt::Debug for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnhandledError")
            .field("meta", &self.meta)
            .field("body", &self.body.start)
            .field("body_len", &self.body.raw.len())
            .finish()
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl std::error::Error for UnhandledError {}

/// Which limit a request ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// One attempt (send and read the whole response).
    Attempt,
    /// The whole operation, retries included.
    Operation,
}

/// Why a checksum could not be computed or did not match.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChecksumError {
    /// The input names an algorithm this client does not compute.
    Unsupported(String),
    /// A response body's checksum is not the one its header announced.
    Mismatch {
        /// The header (`x-amz-checksum-crc32`).
        header: &'static str,
        /// What the service sent.
        expected: String,
        /// What the body hashes to.
        computed: String,
    },
}

impl fmt::Display for ChecksumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChecksumError::Unsupported(a) => write!(
                f,
                "unsupported checksum algorithm `{a}` (CRC32, CRC32C, CRC64NVME, SHA1 and SHA256 are)"
            ),
            ChecksumError::Mismatch {
                header,
                expected,
                computed,
            } => write!(
                f,
                "the response body's checksum does not match: {header} says {expected}, the body's is {computed}"
            ),
        }
    }
}

impl std::error::Error for ChecksumError {}

/// A request that got no usable answer from the service. Never holds a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The input could not be turned into a request (an `Unknown` union member, an
    /// invalid host label).
    Build {
        /// What is wrong.
        message: String,
    },
    /// No endpoint: the configuration is invalid (FIPS with a custom endpoint, no region).
    Endpoint(EndpointError),
    /// No credentials.
    Credentials(CredentialsError),
    /// No region: requests are signed for a region, so one must be configured.
    NoRegion,
    /// A paginator stopped: the service sent the same next token twice.
    Pagination {
        /// What went wrong.
        message: String,
    },
    /// The transport failed: no connection, a broken connection, an oversized body.
    Transport(TransportError),
    /// A timeout expired.
    Timeout {
        /// Which one.
        kind: TimeoutKind,
        /// Its length.
        after: Duration,
    },
    /// A success status with a body that is not the operation's output (truncated or
    /// malformed JSON).
    Response {
        /// The HTTP status.
        status: u16,
        /// The request id, if any.
        request_id: Option<String>,
        /// What did not parse.
        message: String,
        /// The start of the body.
        body: String,
    },
    /// The answer's body does not match the checksum the service sent with it (flexible
    /// checksums, validated as botocore validates them).
    Checksum {
        /// The request id, if any.
        request_id: Option<String>,
        /// Which checksum, and the two values.
        error: ChecksumError,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Build { message } => write!(f, "request could not be built: {message}"),
            RequestError::Endpoint(e) => write!(f, "{e}"),
            RequestError::Credentials(e) => write!(f, "{e}"),
            RequestError::Transport(e) => write!(f, "{e}"),
            RequestError::Pagination { message } => write!(f, "pagination stopped: {message}"),
            RequestError::NoRegion => f.write_str(
                "no AWS region is configured: set AWS_REGION (or `region` in the profile), or call `Config::builder().region(..)`",
            ),
            RequestError::Timeout {
                kind: TimeoutKind::Attempt,
                after,
            } => write!(f, "attempt timed out after {after:?}"),
            RequestError::Timeout {
                kind: TimeoutKind::Operation,
                after,
            } => write!(f, "operation timed out after {after:?}"),
            RequestError::Response {
                status,
                request_id,
                message,
                ..
            } => {
                write!(f, "unreadable response (HTTP {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(f, "): {message}")
            }
            RequestError::Checksum { request_id, error } => {
                write!(f, "{error}")?;
                match request_id {
                    Some(id) => write!(f, " (request id {id})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for RequestError {
    /// Transparent: the variants that hold an error display it, so their source is that
    /// error's own source (the chain never repeats a message).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::Endpoint(e) => e.source(),
            RequestError::Credentials(e) => e.source(),
            RequestError::Transport(e) => e.source(),
            _ => None,
        }
    }
}

/// A modelled fault: its code and metadata (generated fault structs implement it).
pub trait Fault: std::error::Error + Send + Sync + 'static {
    /// The code the service sends it with.
    const CODE: &'static str;
    /// Its metadata.
    fn metadata(&self) -> &ErrorMetadata;
}

/// Reads what a service error says, whatever enum holds it: the code, message, HTTP
/// status and request id. Every generated error enum implements it; bring it into scope
/// (`use awsgen_runtime::ProvideErrorMetadata;`) to call `code()` and `message()`.
pub trait ProvideErrorMetadata {
    /// The code, message, HTTP status and request id, when the service answered.
    fn meta(&self) -> Option<&ErrorMetadata>;

    /// The error code (`ResourceNotFoundFault`), when the service answered with one.
    fn code(&self) -> Option<&str> {
        self.meta()
            .map(ErrorMetadata::code)
            .filter(|c| !c.is_empty())
    }

    /// The message the service sent, if any.
    fn message(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::message)
    }
}

/// A view of a generated error enum's variant, through which the runtime implements
/// what all of them share (`Display`, `source`, metadata, request id). Not a stable API:
/// generated code builds it with its `kind()` method.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum ErrorKind<'a> {
    /// A modelled fault and its metadata.
    Fault(&'a (dyn std::error::Error + 'static), &'a ErrorMetadata),
    /// An error the model does not name.
    Unhandled(&'a UnhandledError),
    /// No usable answer.
    Request(&'a RequestError),
}

impl<'a> ErrorKind<'a> {
    /// The metadata, when the service answered.
    pub fn meta(self) -> Option<&'a ErrorMetadata> {
        match self {
            ErrorKind::Fault(_, meta) => Some(meta),
            ErrorKind::Unhandled(e) => Some(e.meta()),
            ErrorKind::Request(_) => None,
        }
    }

    /// The request id of the response, also for a success body that did not parse.
    pub fn request_id(self) -> Option<&'a str> {
        match self {
            ErrorKind::Request(
                RequestError::Response { request_id, .. }
                | RequestError::Checksum { request_id, .. },
            ) => request_id.as_deref(),
            other => other.meta().and_then(ErrorMetadata::request_id),
        }
    }

    /// S3's `x-amz-id-2` of the response ([`ErrorMetadata::extended_request_id`]).
    pub fn extended_request_id(self) -> Option<&'a str> {
        self.meta().and_then(ErrorMetadata::extended_request_id)
    }

    /// The source of the variant's error: the enum is transparent, so it does not return
    /// the variant itself, whose text its own `Display` already shows.
    pub fn source(self) -> Option<&'a (dyn std::error::Error + 'static)> {
        match self {
            ErrorKind::Fault(e, _) => e.source(),
            ErrorKind::Unhandled(e) => std::error::Error::source(e),
            ErrorKind::Request(e) => std::error::Error::source(e),
        }
    }
}

impl fmt::Display for ErrorKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Fault(e, _) => fmt::Display::fmt(e, f),
            ErrorKind::Unhandled(e) => fmt::Display::fmt(e, f),
            ErrorKind::Request(e) => fmt::Display::fmt(e, f),
        }
    }
}

/// Why no credentials could be had. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider has nothing to give (no variables set, no such profile, ...).
    NotLoaded {
        /// Which provider.
        provider: &'static str,
        /// What it looked for.
        reason: String,
    },
    /// A shared config or credentials file is malformed.
    InvalidFile {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A provider failed for another reason.
    ProviderError {
        /// Which provider.
        provider: &'static str,
        /// What went wrong.
        reason: String,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotLoaded { provider, reason } => {
                write!(f, "no credentials from {provider}: {reason}")
            }
            CredentialsError::InvalidFile { path, line, reason } => {
                write!(f, "{}:{line}: {reason}", path.display())
            }
            CredentialsError::ProviderError { provider, reason } => {
                write!(f, "{provider} credentials provider failed: {reason}")
            }
        }
    }
}

impl std::error::Error for CredentialsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sanitized() {
        for raw in [
            "ResourceNotFoundFault",
            "com.amazonaws.dms#ResourceNotFoundFault",
            "ResourceNotFoundFault:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "com.amazonaws.dms#ResourceNotFoundFault:http://internal.amazon.com/",
            "  ResourceNotFoundFault ",
            // The colon first: a `#` in the URI after it is not the namespace's.
            "com.amazonaws.dms#ResourceNotFoundFault:http://internal.amazon.com/doc#errors",
        ] {
            assert_eq!(
                ErrorMetadata::sanitize_code(raw),
                "ResourceNotFoundFault",
                "{raw}"
            );
        }
    }

    #[test]
    fn display_says_everything_it_has() {
        let m = ErrorMetadata::new("ns#Boom")
            .with_message("it broke")
            .with_status(400)
            .with_request_id("rid-1");
        assert_eq!(m.to_string(), "Boom: it broke (HTTP 400, request id rid-1)");
        assert_eq!(
            ErrorMetadata::new("").with_status(502).to_string(),
            "unknown error (HTTP 502)"
        );
        assert_eq!(
            ErrorMetadata::new("Boom")
                .with_operation("DeleteConnection")
                .with_message("m")
                .to_string(),
            "Boom when calling DeleteConnection: m"
        );
    }

    /// Issue #10: a 50 MB message became a 50 MB `Display` string.
    #[test]
    fn display_caps_the_message_and_message_keeps_it() {
        let long = "é".repeat(MESSAGE_DISPLAY_LIMIT); // two bytes each: a cut inside one
        let e = ErrorMetadata::new("Boom").with_message(long.clone());
        let shown = e.to_string();
        assert!(shown.len() < MESSAGE_DISPLAY_LIMIT + 100, "{}", shown.len());
        assert!(
            shown.ends_with(&format!("… (message() has all {} bytes)", long.len())),
            "{shown}"
        );
        assert_eq!(e.message(), Some(long.as_str()));
        let short = ErrorMetadata::new("Boom").with_message("fine");
        assert_eq!(short.to_string(), "Boom: fine");
        // One printable line: whitespace runs and control characters (a terminal escape)
        // become one space; a message of nothing printable is left out.
        let page = ErrorMetadata::new("502").with_message("<p>\r\n  bad\x1b[31m gate\tway</p>\n");
        assert_eq!(page.to_string(), "502: <p> bad [31m gate way</p>");
        assert_eq!(
            ErrorMetadata::new("X").with_message(" \n\t").to_string(),
            "X"
        );
    }

    #[test]
    fn errors_stay_small() {
        assert_eq!(
            std::mem::size_of::<ErrorMetadata>(),
            std::mem::size_of::<usize>()
        );
        assert!(std::mem::size_of::<UnhandledError>() <= 4 * std::mem::size_of::<usize>());
    }

    #[test]
    fn unhandled_keeps_a_bounded_body() {
        let body = vec![b'x'; UNHANDLED_BODY_LIMIT * 3];
        let e = UnhandledError::new(ErrorMetadata::new("X"), &body);
        assert_eq!(e.body().len(), UNHANDLED_BODY_LIMIT);
        let html = UnhandledError::new(
            ErrorMetadata::new("").with_status(502),
            b"<html>Bad Gateway</html>",
        );
        assert_eq!(html.body(), "<html>Bad Gateway</html>");
    }
}
