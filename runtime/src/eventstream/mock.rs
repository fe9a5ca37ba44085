//! The messages typed mocks answer an event stream with (feature `test-util`): each
//! the inverse of what generated `__event` reads, so that a mock's events come back
//! typed as the service's would ([`Rule::then_events`](crate::test_util::Rule::then_events)).

use super::{HeaderValue, Message};

fn text(s: &str) -> HeaderValue {
    HeaderValue::String(s.to_string())
}

/// The `initial-response` event that begins an awsJson stream: the output's other
/// members as JSON.
pub(crate) fn mock_initial_response(payload: Vec<u8>) -> Message {
    super::input::event("initial-response", "application/json", payload)
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
