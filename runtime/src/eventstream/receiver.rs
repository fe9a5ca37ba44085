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

/// A message sorted by its `:message-type`.
fn sort(message: Message) -> Result<Received, ReceiveError> {
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
