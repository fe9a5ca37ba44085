//! What every service error carries, whether the model names it or not.

use std::fmt;

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

    /// The bare code from the forms services send: `aws.protocoltests#FooError`,
    /// `FooError:http://internal.amazon.com/...` and `ns#FooError:uri` all give `FooError`
    /// (the part after the last `#`, up to the first `:`), with whitespace trimmed.
    pub fn sanitize_code(raw: &str) -> &str {
        let after_hash = match raw.rfind('#') {
            Some(i) => &raw[i + 1..],
            None => raw,
        };
        let before_colon = match after_hash.find(':') {
            Some(i) => &after_hash[..i],
            None => after_hash,
        };
        before_colon.trim()
    }
}

impl fmt::Display for ErrorMetadata {
    /// `Code: message (HTTP 400, request id abc)`; parts the service did not send are left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.0;
        if m.code.is_empty() {
            f.write_str("unknown error")?;
        } else {
            f.write_str(&m.code)?;
        }
        if let Some(msg) = m.message.as_deref().filter(|msg| !msg.is_empty()) {
            write!(f, ": {msg}")?;
        }
        match (m.status, &m.request_id) {
            (Some(s), Some(id)) => write!(f, " (HTTP {s}, request id {id})"),
            (Some(s), None) => write!(f, " (HTTP {s})"),
            (None, Some(id)) => write!(f, " (request id {id})"),
            (None, None) => Ok(()),
        }
    }
}

/// An error the model does not name (or a response that is not an AWS error at all,
/// such as a proxy's HTML page): its metadata and the start of the body, kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMetadata,
    body: String,
}

/// How much of an unhandled error's body is kept.
pub const UNHANDLED_BODY_LIMIT: usize = 4096;

impl UnhandledError {
    /// Wraps metadata and the raw body (kept up to [`UNHANDLED_BODY_LIMIT`] bytes, as lossy UTF-8).
    pub fn new(meta: ErrorMetadata, body: &[u8]) -> Self {
        let cut = &body[..body.len().min(UNHANDLED_BODY_LIMIT)];
        UnhandledError {
            meta,
            body: String::from_utf8_lossy(cut).into_owned(),
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
    /// The start of the response body.
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl std::error::Error for UnhandledError {}

/// Parses the modelled members of a fault from its body. A body that does not parse (not
/// JSON, wrong member types) gives the fault with no members: the code, message and
/// request id are in the metadata either way, so nothing is lost.
pub fn parse_fault<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap_or_default()
}

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

    #[test]
    fn unparsable_fault_bodies_give_defaults() {
        #[derive(serde::Deserialize, Default, PartialEq, Debug)]
        struct F {
            message: Option<String>,
        }
        assert_eq!(parse_fault::<F>(b"<html>"), F::default());
        assert_eq!(
            parse_fault::<F>(br#"{"message":"m","other":1}"#),
            F {
                message: Some("m".into())
            }
        );
        assert_eq!(parse_fault::<F>(br#"{"message":12}"#), F::default());
    }
}
