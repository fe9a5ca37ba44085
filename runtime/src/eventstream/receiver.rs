//! Messages of an output event stream as they arrive: a response body read through the
//! [`Decoder`](super::Decoder) and sorted by `:message-type` as botocore's `EventStream`
//! sorts them: an `event` (by `:event-type`), a modelled `exception` (by
//! `:exception-type`), or an `error` the service sends instead of an event
//! (`:error-code`, `:error-message`), which ends the stream.

use super::{Decoder, FrameError, Message};
use crate::byte_stream::ByteStreamError;
use crate::ByteStream;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One message of an output event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// An event (`:message-type` `event`, or none): its `:event-type` (empty when the
    /// message has none) and the message.
    Event {
        /// `:event-type`.
        event_type: String,
        /// The message: headers and payload.
        message: Message,
    },
    /// A modelled exception (`:message-type` `exception`): its `:exception-type` and the
    /// message.
    Exception {
        /// `:exception-type`.
        exception_type: String,
        /// The message: headers and payload.
        message: Message,
    },
}

/// Why an output event stream stopped before its end.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The bytes are not an event stream (a CRC, a length, a header), or it ended inside
    /// a message.
    Frame(FrameError),
    /// The body failed while it was being read (the connection, the read timeout).
    Body(ByteStreamError),
    /// The service sent an error in place of an event (`:message-type` `error`).
    Service {
        /// `:error-code`.
        code: String,
        /// `:error-message`.
        message: String,
    },
}

impl fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Frame(_) => f.write_str("the event stream does not read"),
            ReceiveError::Body(_) => f.write_str("the event stream's body failed"),
            ReceiveError::Service { code, message } => {
                write!(f, "the service ended the event stream: {code}: {message}")
            }
        }
    }
}

impl std::error::Error for ReceiveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReceiveError::Frame(e) => Some(e),
            ReceiveError::Body(e) => Some(e),
            ReceiveError::Service { .. } => None,
        }
    }
}

/// The messages of an output event stream, read from its response body as they arrive:
/// [`recv`](Receiver::recv), or as a `futures_core::Stream`. Holds at most one message
/// (bounded by the format's limits) besides what the transport buffers.
#[derive(Debug)]
pub struct Receiver {
    body: ByteStream,
    decoder: Decoder,
    /// The body has ended, or an error was returned: nothing more is read.
    ended: bool,
    done: bool,
}

impl Receiver {
    /// Reads the event stream `body`.
    pub fn new(body: ByteStream) -> Self {
        Receiver {
            body,
            decoder: Decoder::new(),
            ended: false,
            done: false,
        }
    }

    /// The next message, `None` at the stream's end; after an error, `None`.
    pub async fn recv(&mut self) -> Option<Result<Received, ReceiveError>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    fn finish(
        &mut self,
        r: Result<Received, ReceiveError>,
    ) -> Poll<Option<Result<Received, ReceiveError>>> {
        if r.is_err() {
            self.done = true;
        }
        Poll::Ready(Some(r))
    }

    fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Received, ReceiveError>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            match self.decoder.next_message() {
                Ok(Some(m)) => return self.finish(sort(m)),
                Ok(None) => {}
                Err(e) => return self.finish(Err(ReceiveError::Frame(e))),
            }
            if self.ended {
                self.done = true;
                return match self.decoder.finish() {
                    Ok(()) => Poll::Ready(None),
                    Err(e) => Poll::Ready(Some(Err(ReceiveError::Frame(e)))),
                };
            }
            match futures_core::Stream::poll_next(Pin::new(&mut self.body), cx) {
                Poll::Ready(Some(Ok(chunk))) => self.decoder.push(&chunk),
                Poll::Ready(Some(Err(e))) => return self.finish(Err(ReceiveError::Body(e))),
                Poll::Ready(None) => self.ended = true,
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl futures_core::Stream for Receiver {
    type Item = Result<Received, ReceiveError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx)
    }
}

/// A message sorted by its `:message-type`, as [`Receiver`] sorts them (harnesses).
#[doc(hidden)]
pub fn sort(message: Message) -> Result<Received, ReceiveError> {
    let text = |name: &str| {
        message
            .header(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    match message.header(":message-type").and_then(|v| v.as_str()) {
        Some("error") => Err(ReceiveError::Service {
            code: text(":error-code"),
            message: text(":error-message"),
        }),
        Some("exception") => Ok(Received::Exception {
            exception_type: text(":exception-type"),
            message,
        }),
        _ => Ok(Received::Event {
            event_type: text(":event-type"),
            message,
        }),
    }
}

/// The typed events of an operation's output stream, as generated code reads them:
/// [`recv`](EventReceiver::recv) (`Ok(None)` at the stream's end) or a
/// `futures_core::Stream`. A modelled exception, the service's error or a broken
/// stream is the operation's error `E`, and ends the stream.
pub struct EventReceiver<T, E> {
    inner: Receiver,
    event: Option<fn(Received) -> Result<T, E>>,
    failed: Option<fn(ReceiveError) -> E>,
    ended: bool,
}

impl<T, E> EventReceiver<T, E> {
    /// Reads `body`, each message through `event`, each failure through `failed`.
    #[doc(hidden)]
    pub fn new(
        body: ByteStream,
        event: fn(Received) -> Result<T, E>,
        failed: fn(ReceiveError) -> E,
    ) -> Self {
        EventReceiver {
            inner: Receiver::new(body),
            event: Some(event),
            failed: Some(failed),
            ended: false,
        }
    }

    /// Reads `body`'s first message, which must be the `initial-response` event, as
    /// botocore's `EventStream.get_initial_response` reads it: its payload, and the
    /// receiver of the events after it.
    pub(crate) async fn with_initial_response(
        body: ByteStream,
        event: fn(Received) -> Result<T, E>,
        failed: fn(ReceiveError) -> E,
    ) -> Result<(bytes::Bytes, Self), NotInitial<E>> {
        let mut receiver = Self::new(body, event, failed);
        match receiver.inner.recv().await {
            Some(Ok(Received::Event {
                event_type,
                message,
            })) if event_type == "initial-response" => Ok((message.payload, receiver)),
            Some(Ok(Received::Event { event_type, .. })) => Err(NotInitial::Other(format!(
                "the stream began with the event `{event_type}`"
            ))),
            Some(Ok(exception)) => match event(exception) {
                Err(e) => Err(NotInitial::Error(e)),
                Ok(_) => Err(NotInitial::Other(
                    "the stream began with an exception".into(),
                )),
            },
            Some(Err(e)) => Err(NotInitial::Error(failed(e))),
            None => Err(NotInitial::Other("the stream ended before it".into())),
        }
    }

    /// The next event, `Ok(None)` once the stream has ended (after an error, too).
    pub async fn recv(&mut self) -> Result<Option<T>, E> {
        std::future::poll_fn(|cx| self.poll_event(cx))
            .await
            .transpose()
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, E>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let (Some(event), Some(failed)) = (self.event, self.failed) else {
            self.ended = true;
            return Poll::Ready(None);
        };
        let out = match self.inner.poll_recv(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => None,
            Poll::Ready(Some(Ok(m))) => Some(event(m)),
            Poll::Ready(Some(Err(e))) => Some(Err(failed(e))),
        };
        if !matches!(out, Some(Ok(_))) {
            self.ended = true;
        }
        Poll::Ready(out)
    }
}

/// Why an output stream did not begin with its `initial-response` event.
#[derive(Debug)]
pub(crate) enum NotInitial<E> {
    /// A modelled exception, the service's error or a broken stream: the operation's error.
    Error(E),
    /// Another first message, or none: what came instead.
    Other(String),
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A stream with no events.
    fn default() -> Self {
        EventReceiver {
            inner: Receiver::new(ByteStream::new()),
            event: None,
            failed: None,
            ended: true,
        }
    }
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T, E> futures_core::Stream for EventReceiver<T, E> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

/// An output's serde form has no events: `null`.
impl<T, E> serde::Serialize for EventReceiver<T, E> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_none()
    }
}

/// Whatever an output's serde form holds for the stream, it reads as no events.
impl<'de, T, E> serde::Deserialize<'de> for EventReceiver<T, E> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Self::default())
    }
}

/// An event's structure from its message's JSON payload (generated code), within the
/// parse budget of the payload.
#[doc(hidden)]
pub fn event_json<T: serde::de::DeserializeOwned>(
    event_type: &str,
    message: &Message,
) -> Result<T, crate::RequestError> {
    let payload: &[u8] = if message.payload.is_empty() {
        b"{}"
    } else {
        &message.payload
    };
    crate::wire::with_budget(crate::protocol::aws_json::parse_budget(payload), || {
        serde_json::from_slice(payload)
    })
    .map_err(|e| unreadable(event_type, message, e.to_string()))
}

/// An event's structure whose member `member` (`eventpayload`) is the message's JSON
/// payload (generated code).
#[doc(hidden)]
pub fn event_member_json<T: serde::de::DeserializeOwned>(
    event_type: &str,
    member: &str,
    message: &Message,
) -> Result<T, crate::RequestError> {
    let value: serde_json::Value = event_json(event_type, message)?;
    let mut object = serde_json::Map::new();
    object.insert(member.to_string(), value);
    serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| unreadable(event_type, message, e.to_string()))
}

/// An event's text payload (generated code).
#[doc(hidden)]
pub fn event_text(event_type: &str, message: &Message) -> Result<String, crate::RequestError> {
    String::from_utf8(message.payload.to_vec())
        .map_err(|_| unreadable(event_type, message, "the payload is not UTF-8".into()))
}

pub(crate) fn unreadable(event_type: &str, message: &Message, why: String) -> crate::RequestError {
    let shown = String::from_utf8_lossy(&message.payload[..message.payload.len().min(256)]);
    crate::RequestError::Response {
        status: 200,
        request_id: None,
        message: format!("the event `{event_type}` does not read: {why}"),
        body: shown.into_owned(),
    }
}

/// The metadata of a modelled exception received in the stream: `code` (the fault's),
/// the message from the first of `keys` its JSON payload has (the exception's members
/// among `Message` and `message`, botocore's order), status 400 as botocore gives it
/// (generated code).
#[doc(hidden)]
pub fn exception_meta(code: &str, keys: &[&str], message: &Message) -> crate::ErrorMetadata {
    let text = serde_json::from_slice::<serde_json::Value>(&message.payload)
        .ok()
        .and_then(|v| {
            keys.iter()
                .find_map(|k| v.get(*k).and_then(|m| m.as_str()))
                .map(str::to_string)
        });
    let meta = crate::ErrorMetadata::new(code).with_status(400);
    match text {
        Some(t) => meta.with_message(t),
        None => meta,
    }
}

/// What generated code makes of a stream that stopped: the service's error as its
/// metadata (`Ok`), or a broken stream as a request error.
#[doc(hidden)]
pub fn stream_failure(e: ReceiveError) -> Result<crate::ErrorMetadata, crate::RequestError> {
    match e {
        ReceiveError::Service { code, message } => Ok(crate::ErrorMetadata::new(code)
            .with_message(message)
            .with_status(400)),
        other => {
            let mut message = other.to_string();
            let mut source = std::error::Error::source(&other);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            Err(crate::RequestError::Response {
                status: 200,
                request_id: None,
                message,
                body: String::new(),
            })
        }
    }
}
