//! The messages typed mocks answer an event stream with (feature `test-util`): each
//! the inverse of what generated `__event` reads, so that a mock's events come back
//! typed as the service's would ([`Rule::then_events`](crate::test_util::Rule::then_events)).

use super::{HeaderValue, Message};
use crate::RequestError;

fn text(s: &str) -> HeaderValue {
    HeaderValue::String(s.to_string())
}

fn event(event_type: &str, content_type: &str, payload: Vec<u8>) -> Message {
    Message::new(payload)
        .with_header(":message-type", text("event"))
        .with_header(":event-type", text(event_type))
        .with_header(":content-type", text(content_type))
}

fn unwritable(event_type: &str, e: serde_json::Error) -> RequestError {
    RequestError::Build {
        message: format!("the mock event `{event_type}` cannot be written: {e}"),
    }
}

/// The `initial-response` event that begins an awsJson stream: the output's other
/// members as JSON.
pub(crate) fn mock_initial_response(payload: Vec<u8>) -> Message {
    self::event("initial-response", "application/json", payload)
}

/// An event whose payload is its structure's JSON.
#[doc(hidden)]
pub fn mock_event_json<T: serde::Serialize>(
    event_type: &str,
    event: &T,
) -> Result<Message, RequestError> {
    let payload = serde_json::to_vec(event).map_err(|e| unwritable(event_type, e))?;
    Ok(self::event(event_type, "application/json", payload))
}

/// An event whose payload is the JSON of its member `member` (`eventpayload`).
#[doc(hidden)]
pub fn mock_event_member_json<T: serde::Serialize>(
    event_type: &str,
    member: &str,
    event: &T,
) -> Result<Message, RequestError> {
    let value = serde_json::to_value(event).map_err(|e| unwritable(event_type, e))?;
    let member = value
        .get(member)
        .cloned()
        .unwrap_or(serde_json::Value::Object(Default::default()));
    let payload = serde_json::to_vec(&member).map_err(|e| unwritable(event_type, e))?;
    Ok(self::event(event_type, "application/json", payload))
}

/// An event whose payload is its blob member (`eventpayload`), as bytes.
#[doc(hidden)]
pub fn mock_event_bytes(event_type: &str, payload: &dyn PayloadBytes) -> Message {
    let bytes = payload.payload_bytes().to_vec();
    self::event(event_type, "application/octet-stream", bytes)
}

/// An event whose payload is its string member (`eventpayload`), as text.
#[doc(hidden)]
pub fn mock_event_text(event_type: &str, payload: &dyn PayloadBytes) -> Message {
    let bytes = payload.payload_bytes().to_vec();
    self::event(event_type, "text/plain", bytes)
}

/// A modelled exception of the stream: its members' JSON, with the message under
/// `message` where no member holds it.
#[doc(hidden)]
pub fn mock_exception<F: serde::Serialize>(
    exception_type: &str,
    fault: &F,
    message: Option<&str>,
) -> Message {
    let mut body = match serde_json::to_value(fault) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    if let Some(m) = message {
        if !body.contains_key("Message") {
            body.entry("message").or_insert_with(|| m.into());
        }
    }
    let payload = serde_json::to_vec(&body).unwrap_or_default();
    Message::new(payload)
        .with_header(":message-type", text("exception"))
        .with_header(":exception-type", text(exception_type))
        .with_header(":content-type", text("application/json"))
}

/// The service's `error` message: the error's code (`InternalFailure` when it has none)
/// and message.
#[doc(hidden)]
pub fn mock_error(code: Option<&str>, message: Option<&str>) -> Message {
    Message::default()
        .with_header(":message-type", text("error"))
        .with_header(":error-code", text(code.unwrap_or("InternalFailure")))
        .with_header(":error-message", text(message.unwrap_or_default()))
}

/// What an `eventpayload` member of bytes or text is, set or not.
#[doc(hidden)]
pub trait PayloadBytes {
    /// The payload's bytes (empty when the member is not set).
    fn payload_bytes(&self) -> &[u8];
}

impl PayloadBytes for crate::Blob {
    fn payload_bytes(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PayloadBytes for String {
    fn payload_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<T: PayloadBytes> PayloadBytes for Option<T> {
    fn payload_bytes(&self) -> &[u8] {
        self.as_ref().map_or(&[], PayloadBytes::payload_bytes)
    }
}
