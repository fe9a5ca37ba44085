//! What generated code makes an output of, for the protocols whose event streams need
//! more than [`EventReceiver::new`]: awsJson's stream that begins with an
//! `initial-response` event (the output's other members), and rest-xml's events whose
//! payload is XML (S3's `SelectObjectContent`).

use super::{unreadable, EventReceiver, Message, NotInitial, ReceiveError, Received};
use crate::protocol::{RestXml, SetRequestId, StreamingResponse};
use crate::RequestError;
use serde_json::{Map, Value};

/// Parses an output whose stream member is an event stream (Kinesis `SubscribeToShard`,
/// CloudWatch Logs `StartLiveTail` and `GetLogObject`), as botocore's
/// `JSONParser._handle_event_stream` does: the stream's first message must be the
/// `initial-response` event, whose payload is the output's other members as JSON;
/// `set_stream` puts the receiver of the events after it into the output. A modelled
/// exception or the service's error in its place is the operation's error; any other
/// first message, or none, is botocore's "First event was not of type initial-response".
#[doc(hidden)]
pub async fn parse_initial_response<O, T, E>(
    resp: StreamingResponse,
    event: fn(Received) -> Result<T, E>,
    failed: fn(ReceiveError) -> E,
    set_stream: fn(&mut O, EventReceiver<T, E>),
) -> Result<O, E>
where
    O: serde::de::DeserializeOwned + SetRequestId,
    E: From<RequestError>,
{
    let StreamingResponse {
        status,
        request_id,
        headers,
        body,
    } = resp;
    let (payload, receiver) = match EventReceiver::with_initial_response(body, event, failed).await
    {
        Ok(first) => first,
        Err(NotInitial::Error(e)) => return Err(e),
        Err(NotInitial::Other(what)) => {
            return Err(E::from(RequestError::Response {
                status,
                request_id,
                message: format!("First event was not of type initial-response: {what}"),
                body: String::new(),
            }))
        }
    };
    let resp = crate::protocol::Response {
        status,
        request_id,
        headers,
        body: payload,
    };
    let mut out: O = crate::protocol::aws_json::parse_json_output(&resp).map_err(E::from)?;
    set_stream(&mut out, receiver);
    Ok(out)
}

/// An event from its message's XML payload (S3's `SelectObjectContent`: `End`, `Cont`)
/// as shape `shape` of `protocol`'s table, as botocore's `EventStreamXMLParser` reads it
/// (an empty payload is an event with no members).
#[doc(hidden)]
pub fn event_xml<T: serde::de::DeserializeOwned>(
    protocol: &RestXml,
    event_type: &str,
    shape: u32,
    message: &Message,
) -> Result<T, RequestError> {
    let value = xml_value(protocol, event_type, shape, message)?;
    typed(event_type, message, value)
}

/// An event whose member `member` (`eventpayload`) is the message's XML payload, as shape
/// `shape` (S3's `Stats` and `Progress`: `<Stats><BytesScanned>..`).
#[doc(hidden)]
pub fn event_member_xml<T: serde::de::DeserializeOwned>(
    protocol: &RestXml,
    event_type: &str,
    member: &str,
    shape: u32,
    message: &Message,
) -> Result<T, RequestError> {
    let value = xml_value(protocol, event_type, shape, message)?;
    let mut object = Map::new();
    object.insert(member.to_string(), value);
    typed(event_type, message, Value::Object(object))
}

/// The message's XML payload as shape `shape`, in its serde form.
fn xml_value(
    protocol: &RestXml,
    event_type: &str,
    shape: u32,
    message: &Message,
) -> Result<Value, RequestError> {
    protocol
        .parse_value(&message.payload, shape)
        .map_err(|e| unreadable(event_type, message, e))
}

fn typed<T: serde::de::DeserializeOwned>(
    event_type: &str,
    message: &Message,
    value: Value,
) -> Result<T, RequestError> {
    crate::wire::with_budget(
        crate::protocol::aws_json::parse_budget(&message.payload),
        || serde_json::from_value(value),
    )
    .map_err(|e| unreadable(event_type, message, e.to_string()))
}
