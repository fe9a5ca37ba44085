//! Input event streams (issue #29; Bedrock's `InvokeModelWithBidirectionalStream`, Lex's
//! `StartConversation`, Polly's `StartSpeechSynthesisStream`, ...): the events a caller
//! sends ([`EventSender`], filled from a stream or through an [`EventSink`]), each
//! written as a message (`:message-type` `event`, `:event-type`, `:content-type` and the
//! payload, as the generated `InputEvent` impls say) and signed on its way out.
//!
//! Signing (smithy-rs's `aws-sigv4` event-stream signer is the reference; `tests/
//! sigv4_suite.rs` cross-checks it): the request is signed with the payload hash
//! `STREAMING-AWS4-HMAC-SHA256-EVENTS`; each message then travels as the payload of an
//! outer message whose headers are `:chunk-signature` (the raw signature) and `:date`
//! (the signing time, whole seconds). A signature covers the prior one (the request's
//! for the first message), so the service can tell a message was dropped, reordered or
//! altered; an empty signed message ends the stream. Unsigned operations send the
//! messages as they are.

use super::{encode_headers, FrameError, Header, HeaderValue, Message};
use crate::credentials::Credentials;
use crate::protocol::{Outgoing, OutgoingMessages};
use crate::sigv4::{self, SigningKey};
use crate::{DateTime, RequestError};
use bytes::Bytes;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};

/// The payload hash a request with an input event stream is signed with.
pub(crate) const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// An event of an input stream (a generated `<Op>InputEvent` enum): how it is written.
pub trait InputEvent: Send + 'static {
    /// The event as its message: `:message-type` `event`, `:event-type` its member name,
    /// `:content-type` and the payload its members make.
    fn into_message(self) -> Result<Message, RequestError>;
}

fn text(s: &str) -> HeaderValue {
    HeaderValue::String(s.to_string())
}

/// An event's message: `:message-type` `event`, its type, its content type, its payload.
pub(crate) fn event(event_type: &str, content_type: &str, payload: Vec<u8>) -> Message {
    Message::new(payload)
        .with_header(":message-type", text("event"))
        .with_header(":event-type", text(event_type))
        .with_header(":content-type", text(content_type))
}

fn unwritable(event_type: &str, e: serde_json::Error) -> RequestError {
    RequestError::Build {
        message: format!("the event `{event_type}` cannot be written: {e}"),
    }
}

/// An event whose payload is its structure's JSON (generated `InputEvent` impls, typed
/// mocks' output events).
#[doc(hidden)]
pub fn event_message_json<T: serde::Serialize>(
    event_type: &str,
    event: &T,
) -> Result<Message, RequestError> {
    let payload = serde_json::to_vec(event).map_err(|e| unwritable(event_type, e))?;
    Ok(self::event(event_type, "application/json", payload))
}

/// An event whose payload is the JSON of its member `member` (`eventpayload`).
#[doc(hidden)]
pub fn event_message_member_json<T: serde::Serialize>(
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
pub fn event_message_bytes(event_type: &str, payload: &dyn PayloadBytes) -> Message {
    let bytes = payload.payload_bytes().to_vec();
    self::event(event_type, "application/octet-stream", bytes)
}

/// An event whose payload is its string member (`eventpayload`), as text.
#[doc(hidden)]
pub fn event_message_text(event_type: &str, payload: &dyn PayloadBytes) -> Message {
    let bytes = payload.payload_bytes().to_vec();
    self::event(event_type, "text/plain", bytes)
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

type Events<T> = Pin<Box<dyn futures_core::Stream<Item = T> + Send>>;

/// The events an operation sends: the input member of an input (or bidirectional) event
/// stream. From a `Stream` of events ([`EventSender::from_stream`]), a `Vec` of them, or a
/// channel ([`EventSender::channel`]) to send into as the conversation goes. The stream
/// ends (and the request's body with it) when the events do: the last [`EventSink`] is
/// dropped, or the stream ends.
///
/// Sent once: a call whose events went out is not retried.
pub struct EventSender<T> {
    events: Option<Events<T>>,
}

impl<T: Send + 'static> EventSender<T> {
    /// The events of `stream`, sent as it yields them.
    pub fn from_stream(stream: impl futures_core::Stream<Item = T> + Send + 'static) -> Self {
        EventSender {
            events: Some(Box::pin(stream)),
        }
    }

    /// A channel: events sent through the [`EventSink`] (which may be cloned) go out in
    /// order; at most `capacity` (at least 1) wait to be written before `send` waits.
    pub fn channel(capacity: usize) -> (EventSink<T>, Self) {
        let (tx, rx) = tokio::sync::mpsc::channel(capacity.max(1));
        (EventSink { tx }, Self::from_stream(ChannelEvents(rx)))
    }
}

impl<T: Send + 'static> From<Vec<T>> for EventSender<T> {
    /// These events, then the end of the stream.
    fn from(events: Vec<T>) -> Self {
        Self::from_stream(VecEvents(events.into_iter()))
    }
}

impl<T> Default for EventSender<T> {
    /// No events: the stream ends at once.
    fn default() -> Self {
        EventSender { events: None }
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSender").finish_non_exhaustive()
    }
}

/// An input's serde form has no events: `null`.
impl<T> serde::Serialize for EventSender<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_none()
    }
}

/// Whatever an input's serde form holds for the stream, it reads as no events.
impl<'de, T> serde::Deserialize<'de> for EventSender<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Self::default())
    }
}

impl<T: InputEvent> EventSender<T> {
    /// The events as messages, for the request (generated code).
    #[doc(hidden)]
    pub fn into_outgoing(self) -> Outgoing {
        Outgoing::new(Box::pin(Encode(self.events)))
    }
}

/// Where events are sent into an [`EventSender::channel`] as the call goes.
pub struct EventSink<T> {
    tx: tokio::sync::mpsc::Sender<T>,
}

impl<T> Clone for EventSink<T> {
    fn clone(&self) -> Self {
        EventSink {
            tx: self.tx.clone(),
        }
    }
}

impl<T> fmt::Debug for EventSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSink")
            .field("closed", &self.tx.is_closed())
            .finish()
    }
}

impl<T> EventSink<T> {
    /// Queues `event` to be sent, waiting while the channel is full; [`StreamClosed`]
    /// (with the event) once the call is over (its request body dropped: finished,
    /// failed or cancelled).
    pub async fn send(&self, event: T) -> Result<(), StreamClosed<T>> {
        self.tx.send(event).await.map_err(|e| StreamClosed(e.0))
    }

    /// [`send`](Self::send) for code that is not async (a blocking client's caller, on
    /// another thread than the one reading the answer's events): waits while the channel
    /// is full. Called from async code, tokio's channel panics (use `send` there).
    pub fn blocking_send(&self, event: T) -> Result<(), StreamClosed<T>> {
        self.tx.blocking_send(event).map_err(|e| StreamClosed(e.0))
    }

    /// Whether the call is over, so that nothing more can be sent.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

/// An event sent after its stream's call was over: the event, unsent.
pub struct StreamClosed<T>(pub T);

impl<T> fmt::Debug for StreamClosed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StreamClosed(..)")
    }
}

impl<T> fmt::Display for StreamClosed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the event stream's call is over: the event was not sent")
    }
}

impl<T> std::error::Error for StreamClosed<T> {}

struct ChannelEvents<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> futures_core::Stream for ChannelEvents<T> {
    type Item = T;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.get_mut().0.poll_recv(cx)
    }
}

struct VecEvents<T>(std::vec::IntoIter<T>);

// Never pinned structurally: the events are moved out, not polled in place.
impl<T> Unpin for VecEvents<T> {}

impl<T> futures_core::Stream for VecEvents<T> {
    type Item = T;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<T>> {
        // `IntoIter<T>` is `Unpin`.
        Poll::Ready(self.get_mut().0.next())
    }
}

/// Each event as its message, in the wire format.
struct Encode<T>(Option<Events<T>>);

impl<T: InputEvent> futures_core::Stream for Encode<T> {
    type Item = Result<Bytes, RequestError>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(events) = self.get_mut().0.as_mut() else {
            return Poll::Ready(None);
        };
        let encoded = ready!(events.as_mut().poll_next(cx)).map(|event| {
            let message = event.into_message()?;
            message
                .encode()
                .map(Bytes::from)
                .map_err(|e| RequestError::Build {
                    message: format!("an event could not be written: {e}"),
                })
        });
        Poll::Ready(encoded)
    }
}

/// Signs `message` as the next of a stream whose last signature (the request's, for the
/// first message) is `prior_signature` (hex), at `time` (its sub-seconds dropped, as the
/// `:date` header holds whole seconds): the signed message to send, whose payload is
/// `message` in the wire format, and its signature (hex), which the next one chains.
/// `None` signs the empty message that ends a stream.
pub fn sign_message(
    message: Option<&Message>,
    prior_signature: &str,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: DateTime,
) -> Result<(Message, String), FrameError> {
    let time = DateTime::from_secs_and_nanos(time.secs(), 0);
    let amz_date = time.to_amz_date();
    let key = SigningKey::derive(
        credentials.secret_access_key(),
        amz_date.get(..8).unwrap_or(&amz_date),
        region,
        service,
    );
    let payload = match message {
        Some(m) => Bytes::from(m.encode()?),
        None => Bytes::new(),
    };
    let scope = Scope {
        key: &key,
        region,
        service,
    };
    let (signed, signature) = scope.sign(payload, prior_signature, time, &amz_date)?;
    Ok((signed, signature.as_str().to_string()))
}

/// What every message of a stream is signed for.
struct Scope<'a> {
    key: &'a SigningKey,
    region: &'a str,
    service: &'a str,
}

impl Scope<'_> {
    /// The outer message of `payload` and its signature.
    fn sign(
        &self,
        payload: Bytes,
        prior: &str,
        time: DateTime,
        amz_date: &str,
    ) -> Result<(Message, sigv4::HexDigest), FrameError> {
        let date = Header {
            name: ":date".into(),
            value: HeaderValue::Timestamp(time.secs().saturating_mul(1000)),
        };
        let date_header = encode_headers(std::slice::from_ref(&date))?;
        let sts = sigv4::chained_string_to_sign(
            sigv4::PAYLOAD_ALGORITHM,
            amz_date,
            (self.region, self.service),
            prior,
            &[&date_header, &payload],
        );
        let (raw, hex) = sigv4::chained_signature(self.key, &sts);
        let signed = Message::new(payload)
            .with_header(
                ":chunk-signature",
                HeaderValue::Bytes(Bytes::copy_from_slice(&raw)),
            )
            .with_header(date.name, date.value);
        Ok((signed, hex))
    }
}

/// How a stream's messages are signed: the credentials and scope of the request, its
/// clock, the last signature, and the key of the last message's day.
pub(crate) struct StreamSigner {
    pub(crate) credentials: Credentials,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) clock: Option<crate::config::TimeSource>,
    /// The request's signature, then each message's (hex).
    pub(crate) prior: String,
    /// The day (`YYYYMMDD`) and key of the last message.
    pub(crate) key: Option<(String, Arc<SigningKey>)>,
}

impl StreamSigner {
    /// `payload` (an encoded message, or nothing to end the stream) signed as the next
    /// message.
    fn sign(&mut self, payload: Bytes) -> Result<Message, FrameError> {
        let now = self.clock.as_ref().map_or_else(DateTime::now, |f| f());
        let time = DateTime::from_secs_and_nanos(now.secs(), 0);
        let amz_date = time.to_amz_date();
        let day = amz_date.get(..8).unwrap_or(&amz_date);
        let key = match &self.key {
            Some((d, k)) if d == day => k.clone(),
            _ => {
                let secret = self.credentials.secret_access_key();
                let k = Arc::new(SigningKey::derive(secret, day, &self.region, &self.service));
                self.key = Some((day.to_string(), k.clone()));
                k
            }
        };
        let scope = Scope {
            key: &key,
            region: &self.region,
            service: &self.service,
        };
        let (signed, signature) = scope.sign(payload, &self.prior, time, &amz_date)?;
        self.prior = signature.as_str().to_string();
        Ok(signed)
    }
}

impl fmt::Debug for StreamSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// The request body of an input event stream: each message as it comes, signed when
/// `signer` is set, then (signed) the empty message that ends the stream.
pub(crate) struct EventBody {
    /// Locked only through `&mut` (`get_mut`), to make the body `Sync`.
    messages: Mutex<OutgoingMessages>,
    signer: Option<StreamSigner>,
    ended: bool,
}

impl EventBody {
    pub(crate) fn new(messages: OutgoingMessages, signer: Option<StreamSigner>) -> Self {
        EventBody {
            messages: Mutex::new(messages),
            signer,
            ended: false,
        }
    }

    /// The bytes of one message on the wire: signed, or as it is.
    fn frame(&mut self, payload: Option<Bytes>) -> Result<Option<Bytes>, RequestError> {
        let failed = |e: FrameError| RequestError::Build {
            message: format!("an event could not be written: {e}"),
        };
        let out = match (&mut self.signer, payload) {
            (Some(signer), payload) => {
                let signed = signer.sign(payload.unwrap_or_default()).map_err(failed)?;
                Some(Bytes::from(signed.encode().map_err(failed)?))
            }
            (None, payload) => payload,
        };
        Ok(out)
    }
}

impl http_body::Body for EventBody {
    type Data = Bytes;
    type Error = crate::http::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let messages = this
            .messages
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let next = ready!(messages.as_mut().poll_next(cx));
        let framed = match next {
            Some(Ok(message)) => this.frame(Some(message)),
            Some(Err(e)) => Err(e),
            None => {
                this.ended = true;
                this.frame(None)
            }
        };
        match framed {
            Ok(Some(bytes)) => Poll::Ready(Some(Ok(http_body::Frame::data(bytes)))),
            Ok(None) => Poll::Ready(None),
            Err(e) => {
                this.ended = true;
                Poll::Ready(Some(Err(Box::new(e))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eventstream::Decoder;

    fn creds() -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        )
    }

    fn sample() -> Message {
        Message::new(&b"test payload"[..]).with_header("some-header", text("value"))
    }

    /// The string to sign of aws-sigv4's `event_stream::tests::string_to_sign` (smithy-rs,
    /// Apache-2.0): the same message, time, scope and prior signature.
    #[test]
    fn the_string_to_sign_is_aws_sigv4s() {
        let time = DateTime::from_secs_and_nanos(123_456_789, 0);
        let date = Header {
            name: ":date".into(),
            value: HeaderValue::Timestamp(time.secs() * 1000),
        };
        let sts = sigv4::chained_string_to_sign(
            sigv4::PAYLOAD_ALGORITHM,
            &time.to_amz_date(),
            ("us-east-1", "testservice"),
            &sigv4::sha256_hex(b"last message sts"),
            &[
                &encode_headers(&[date]).unwrap(),
                &sample().encode().unwrap(),
            ],
        );
        let expected = "AWS4-HMAC-SHA256-PAYLOAD\n\
            19731129T213309Z\n\
            19731129/us-east-1/testservice/aws4_request\n\
            be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
            0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
            f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6";
        assert_eq!(sts, expected);
    }

    #[test]
    fn a_signed_message_carries_its_signature_and_whole_seconds() {
        let time = DateTime::from_secs_and_nanos(123_456_789, 1234);
        let (signed, signature) = sign_message(
            Some(&sample()),
            "seed",
            &creds(),
            "us-east-1",
            "bedrock",
            time,
        )
        .unwrap();
        let Some(HeaderValue::Bytes(raw)) = signed.header(":chunk-signature") else {
            panic!("no :chunk-signature: {signed:?}");
        };
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, signature);
        assert_eq!(
            signed.header(":date"),
            Some(&HeaderValue::Timestamp(123_456_789_000))
        );
        assert_eq!(signed.payload, Bytes::from(sample().encode().unwrap()));
        // Another prior signature, another signature: the chain is covered.
        let (_, other) = sign_message(
            Some(&sample()),
            "seed2",
            &creds(),
            "us-east-1",
            "bedrock",
            time,
        )
        .unwrap();
        assert_ne!(other, signature);
    }

    struct Ev(&'static str);
    impl InputEvent for Ev {
        fn into_message(self) -> Result<Message, RequestError> {
            event_message_json("chunk", &self.0)
        }
    }

    async fn body_bytes(body: EventBody) -> Result<Vec<u8>, String> {
        let collected = http_body_util::BodyExt::collect(body).await;
        collected
            .map(|c| c.to_bytes().to_vec())
            .map_err(|e| e.to_string())
    }

    fn messages(bytes: &[u8]) -> Vec<Message> {
        let mut d = Decoder::new();
        d.push(bytes);
        std::iter::from_fn(|| d.next_message().unwrap()).collect()
    }

    #[tokio::test]
    async fn each_message_chains_from_the_last_and_an_empty_one_ends_the_stream() {
        let clock: crate::config::TimeSource =
            Arc::new(|| DateTime::from_secs_and_nanos(1_700_000_000, 5));
        let signer = StreamSigner {
            credentials: creds(),
            region: "us-west-2".into(),
            service: "bedrock".into(),
            clock: Some(clock),
            prior: "ab".repeat(32),
            key: None,
        };
        let sender = EventSender::from(vec![Ev("one"), Ev("two")]);
        let Some(messages_in) = sender.into_outgoing().take() else {
            panic!("no messages");
        };
        let sent = messages(
            &body_bytes(EventBody::new(messages_in, Some(signer)))
                .await
                .unwrap(),
        );
        assert_eq!(sent.len(), 3, "two events and the end");
        let time = DateTime::from_secs_and_nanos(1_700_000_000, 0);
        let mut prior = "ab".repeat(32);
        for (i, m) in sent.iter().enumerate() {
            let inner = (i < 2).then(|| messages(&m.payload).remove(0));
            let (expected, signature) = sign_message(
                inner.as_ref(),
                &prior,
                &creds(),
                "us-west-2",
                "bedrock",
                time,
            )
            .unwrap();
            assert_eq!(m, &expected, "message {i}");
            prior = signature;
        }
        let first = messages(&sent[0].payload).remove(0);
        assert_eq!(&first.payload[..], br#""one""#);
        assert_eq!(
            first.header(":event-type").and_then(HeaderValue::as_str),
            Some("chunk")
        );
        assert!(sent[2].payload.is_empty());
    }

    #[tokio::test]
    async fn unsigned_messages_go_as_they_are_and_a_bad_event_fails_the_body() {
        let (sink, sender) = EventSender::channel(0);
        let Some(out) = sender.into_outgoing().take() else {
            panic!("no messages");
        };
        let body = EventBody::new(out, None);
        let feed = tokio::spawn(async move {
            sink.send(Ev("a")).await.unwrap();
        });
        let sent = messages(&body_bytes(body).await.unwrap());
        feed.await.unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(&sent[0].payload[..], br#""a""#);

        struct Bad;
        impl InputEvent for Bad {
            fn into_message(self) -> Result<Message, RequestError> {
                Ok(Message::new(Bytes::new()).with_header("x".repeat(300), text("v")))
            }
        }
        let out = EventSender::from(vec![Bad]).into_outgoing().take().unwrap();
        let err = body_bytes(EventBody::new(out, None)).await.unwrap_err();
        assert!(err.contains("longer than 255 bytes"), "{err}");
    }

    #[tokio::test]
    async fn a_sink_knows_when_the_call_is_over() {
        let (sink, sender) = EventSender::<Ev>::channel(4);
        assert!(!sink.is_closed());
        drop(sender.into_outgoing());
        assert!(sink.is_closed());
        let Err(StreamClosed(Ev(e))) = sink.send(Ev("late")).await else {
            panic!("sent after the call was over");
        };
        assert_eq!(e, "late");
    }
}
