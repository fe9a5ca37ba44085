//! The `application/vnd.amazon.eventstream` message format (issue #29): the framing of
//! every AWS event stream (Bedrock's `ConverseStream`, Lambda's response streaming,
//! Kinesis `SubscribeToShard`, S3 `SelectObjectContent`, ...).
//!
//! A message is a prelude (total length, headers length, both big-endian `u32`, and the
//! CRC32 of those 8 bytes), headers (a one-byte name length, the name, a type byte and
//! the value: `true`, `false`, byte, short, int, long, byte array and string with a
//! two-byte length, timestamp in milliseconds, UUID), the payload, and the CRC32 of
//! everything before it.
//!
//! [`Decoder`] reads messages from bytes as they arrive, split anywhere. What a hostile
//! stream cannot do: make it buffer more than one bounded message (the prelude is checked,
//! CRC and limits, before anything more is kept: headers at most 128 KiB and payloads
//! at most 24 MiB, botocore's limits), or make it panic; a CRC mismatch, an impossible
//! length, an unknown header type, a header running past the headers, invalid UTF-8, a
//! repeated header name (botocore refuses it too) and a stream ending inside a message
//! are each a [`FrameError`]. `Message::encode` writes the format, for input streams and
//! test servers. [`Receiver`] reads an output event stream from a response body and
//! sorts its messages by `:message-type` (`receiver.rs`).

use bytes::{Buf, Bytes, BytesMut};
use std::fmt;

mod input;
#[cfg(feature = "test-util")]
mod mock;
mod output;
mod receiver;
#[cfg(feature = "test-util")]
pub(crate) use mock::mock_initial_response;
#[cfg(feature = "test-util")]
#[doc(hidden)]
pub use mock::{mock_error, mock_exception};
#[doc(hidden)]
pub use output::{event_member_xml, event_xml, parse_initial_response};
#[doc(hidden)]
pub use receiver::{
    event_json, event_member_json, event_text, exception_meta, sort, stream_failure,
};
pub(crate) use receiver::{unreadable, NotInitial};

/// Runs `future` on a current-thread runtime of its own: for the wire harness of
/// `scripts/differential_events.py`, which reads whole streams outside any runtime.
#[doc(hidden)]
pub fn harness_block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map(|rt| rt.block_on(future))
        .map_err(|e| format!("starting a runtime: {e}"))
}
#[doc(hidden)]
pub use input::{
    event_message_bytes, event_message_json, event_message_member_json, event_message_text,
    PayloadBytes,
};
pub use input::{sign_message, EventSender, EventSink, InputEvent, StreamClosed};
pub(crate) use input::{EventBody, StreamSigner, STREAMING_EVENTS};
pub use receiver::{EventReceiver, ReceiveError, Received, Receiver};

/// The most header bytes a message may declare (botocore's `_MAX_HEADERS_LENGTH`).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;
/// The largest payload a message may declare (botocore's `_MAX_PAYLOAD_LENGTH`).
pub const MAX_PAYLOAD_LEN: usize = 24 * 1024 * 1024;
/// Total length, headers length and the prelude's CRC.
const PRELUDE_LEN: usize = 12;
/// A message with no headers and no payload: the prelude and the message CRC.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + 4;

/// A header's value, one variant per type of the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`).
    Bool(bool),
    /// Type 2: a signed byte.
    Byte(i8),
    /// Type 3: a 16-bit integer.
    Int16(i16),
    /// Type 4: a 32-bit integer.
    Int32(i32),
    /// Type 5: a 64-bit integer.
    Int64(i64),
    /// Type 6: bytes (at most 65,535).
    Bytes(Bytes),
    /// Type 7: a UTF-8 string (at most 65,535 bytes).
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9: a UUID's 16 bytes.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The type byte the format gives this value.
    pub fn type_code(&self) -> u8 {
        match self {
            HeaderValue::Bool(true) => 0,
            HeaderValue::Bool(false) => 1,
            HeaderValue::Byte(_) => 2,
            HeaderValue::Int16(_) => 3,
            HeaderValue::Int32(_) => 4,
            HeaderValue::Int64(_) => 5,
            HeaderValue::Bytes(_) => 6,
            HeaderValue::String(_) => 7,
            HeaderValue::Timestamp(_) => 8,
            HeaderValue::Uuid(_) => 9,
        }
    }

    /// The string, for a string header (`:event-type`, `:message-type`, ...).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A header: a name (at most 255 bytes) and a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The name.
    pub name: String,
    /// The value.
    pub value: HeaderValue,
}

/// One message of an event stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// The headers, in the order they were written.
    pub headers: Vec<Header>,
    /// The payload.
    pub payload: Bytes,
}

impl Message {
    /// A message with this payload and no headers.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// The message with a header added.
    pub fn with_header(mut self, name: impl Into<String>, value: HeaderValue) -> Self {
        self.headers.push(Header {
            name: name.into(),
            value,
        });
        self
    }

    /// The value of the header `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// The message in the wire format: refused when a name or value is longer than the
    /// format holds, or the headers or payload longer than a decoder accepts.
    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        let headers = encode_headers(&self.headers)?;
        if self.payload.len() > MAX_PAYLOAD_LEN {
            return Err(FrameError::PayloadTooLong {
                len: self.payload.len() as u64,
            });
        }
        let total = MIN_MESSAGE_LEN + headers.len() + self.payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
        Ok(out)
    }
}

/// Headers in the wire format (a message's headers section): refused when a name or
/// value is longer than the format holds, or the whole longer than a decoder accepts.
/// Event-stream signing hashes the `:date` header written so.
pub fn encode_headers(headers: &[Header]) -> Result<Vec<u8>, FrameError> {
    let mut out = Vec::new();
    for h in headers {
        let name = u8::try_from(h.name.len()).map_err(|_| FrameError::InvalidHeader {
            reason: format!("the name `{}` is longer than 255 bytes", h.name),
        })?;
        out.push(name);
        out.extend_from_slice(h.name.as_bytes());
        out.push(h.value.type_code());
        match &h.value {
            HeaderValue::Bool(_) => {}
            HeaderValue::Byte(v) => out.extend_from_slice(&v.to_be_bytes()),
            HeaderValue::Int16(v) => out.extend_from_slice(&v.to_be_bytes()),
            HeaderValue::Int32(v) => out.extend_from_slice(&v.to_be_bytes()),
            HeaderValue::Int64(v) | HeaderValue::Timestamp(v) => {
                out.extend_from_slice(&v.to_be_bytes())
            }
            HeaderValue::Bytes(b) => put_short(&mut out, &h.name, b)?,
            HeaderValue::String(s) => put_short(&mut out, &h.name, s.as_bytes())?,
            HeaderValue::Uuid(u) => out.extend_from_slice(u),
        }
    }
    if out.len() > MAX_HEADERS_LEN {
        return Err(FrameError::HeadersTooLong {
            len: out.len() as u64,
        });
    }
    Ok(out)
}

/// A byte array or string value: its two-byte length, then the bytes.
fn put_short(out: &mut Vec<u8>, name: &str, value: &[u8]) -> Result<(), FrameError> {
    let len = u16::try_from(value.len()).map_err(|_| FrameError::InvalidHeader {
        reason: format!("the value of `{name}` is longer than 65,535 bytes"),
    })?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(value);
    Ok(())
}

/// Why bytes are not an event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// The prelude's CRC is not the CRC32 of its first 8 bytes.
    PreludeChecksum {
        /// The CRC the prelude carries.
        expected: u32,
        /// The CRC of the bytes.
        computed: u32,
    },
    /// The message's CRC is not the CRC32 of the message before it.
    MessageChecksum {
        /// The CRC the message carries.
        expected: u32,
        /// The CRC of the bytes.
        computed: u32,
    },
    /// The lengths do not describe a message (shorter than a prelude and a CRC, or
    /// headers longer than the message).
    InvalidLength {
        /// The total length declared.
        total: u32,
        /// The headers length declared.
        headers: u32,
    },
    /// The headers are longer than [`MAX_HEADERS_LEN`].
    HeadersTooLong {
        /// The length declared.
        len: u64,
    },
    /// The payload is longer than [`MAX_PAYLOAD_LEN`].
    PayloadTooLong {
        /// The length declared.
        len: u64,
    },
    /// A header does not read: an unknown type, a value running past the headers,
    /// invalid UTF-8.
    InvalidHeader {
        /// What is wrong.
        reason: String,
    },
    /// Two headers of one message have the same name.
    DuplicateHeader {
        /// The name.
        name: String,
    },
    /// The stream ended inside a message.
    Truncated {
        /// The bytes of the unfinished message received.
        received: usize,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::PreludeChecksum { expected, computed } => write!(
                f,
                "event stream prelude checksum mismatch: the message says 0x{expected:08x}, its bytes give 0x{computed:08x}"
            ),
            FrameError::MessageChecksum { expected, computed } => write!(
                f,
                "event stream message checksum mismatch: the message says 0x{expected:08x}, its bytes give 0x{computed:08x}"
            ),
            FrameError::InvalidLength { total, headers } => write!(
                f,
                "event stream message of {total} bytes cannot hold {headers} bytes of headers, a prelude and a checksum"
            ),
            FrameError::HeadersTooLong { len } => write!(
                f,
                "event stream headers of {len} bytes exceed the maximum of {MAX_HEADERS_LEN}"
            ),
            FrameError::PayloadTooLong { len } => write!(
                f,
                "event stream payload of {len} bytes exceeds the maximum of {MAX_PAYLOAD_LEN}"
            ),
            FrameError::InvalidHeader { reason } => {
                write!(f, "event stream header does not read: {reason}")
            }
            FrameError::DuplicateHeader { name } => {
                write!(f, "event stream message repeats the header `{name}`")
            }
            FrameError::Truncated { received } => write!(
                f,
                "event stream ended inside a message ({received} bytes of it received)"
            ),
        }
    }
}

impl std::error::Error for FrameError {}

/// Reads messages from an event stream's bytes as they arrive.
///
/// ```
/// use awsgen_runtime::eventstream::{Decoder, HeaderValue, Message};
///
/// # fn main() -> Result<(), awsgen_runtime::eventstream::FrameError> {
/// let wire = Message::new("hello")
///     .with_header(":event-type", HeaderValue::String("chunk".into()))
///     .encode()?;
/// let mut decoder = Decoder::new();
/// let (first, rest) = wire.split_at(5);
/// decoder.push(first);
/// assert_eq!(decoder.next_message()?, None);
/// decoder.push(rest);
/// let message = decoder.next_message()?;
/// assert_eq!(message.map(|m| m.payload), Some("hello".into()));
/// decoder.finish()
/// # }
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    buf: BytesMut,
    /// The total length of the message being received, once its prelude checked out.
    total: Option<usize>,
    /// The first error: the stream is unreadable from there on.
    failed: Option<FrameError>,
}

impl Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes received.
    pub fn push(&mut self, data: &[u8]) {
        if self.failed.is_none() {
            self.buf.extend_from_slice(data);
        }
    }

    /// The next complete message, `None` until one has arrived whole. After an error
    /// every call returns it again.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match self.read() {
            Ok(m) => Ok(m),
            Err(e) => {
                self.failed = Some(e.clone());
                self.buf = BytesMut::new();
                Err(e)
            }
        }
    }

    /// At the end of the stream: an error when it ended inside a message (or failed).
    pub fn finish(&self) -> Result<(), FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(FrameError::Truncated {
                received: self.buf.len(),
            })
        }
    }

    fn read(&mut self) -> Result<Option<Message>, FrameError> {
        let total = match self.total {
            Some(total) => total,
            None => {
                if self.buf.len() < PRELUDE_LEN {
                    return Ok(None);
                }
                let total = check_prelude(&self.buf[..PRELUDE_LEN])?;
                self.total = Some(total);
                total
            }
        };
        if self.buf.len() < total {
            // Room for the rest of this message only (bounded by the checked lengths).
            self.buf.reserve(total - self.buf.len());
            return Ok(None);
        }
        self.total = None;
        let bytes = self.buf.split_to(total).freeze();
        decode_message(bytes).map(Some)
    }
}

fn be32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_be_bytes(a)
}

/// Checks a prelude (its CRC, then the lengths) and returns the message's total length.
fn check_prelude(prelude: &[u8]) -> Result<usize, FrameError> {
    let total = be32(&prelude[0..4]);
    let headers = be32(&prelude[4..8]);
    let expected = be32(&prelude[8..12]);
    let computed = crc32fast::hash(&prelude[..8]);
    if expected != computed {
        return Err(FrameError::PreludeChecksum { expected, computed });
    }
    if headers as usize > MAX_HEADERS_LEN {
        return Err(FrameError::HeadersTooLong {
            len: u64::from(headers),
        });
    }
    let Some(payload) = (total as usize)
        .checked_sub(MIN_MESSAGE_LEN)
        .and_then(|rest| rest.checked_sub(headers as usize))
    else {
        return Err(FrameError::InvalidLength { total, headers });
    };
    if payload > MAX_PAYLOAD_LEN {
        return Err(FrameError::PayloadTooLong {
            len: payload as u64,
        });
    }
    Ok(total as usize)
}

/// A whole message whose prelude checked out: its CRC, then its headers.
fn decode_message(bytes: Bytes) -> Result<Message, FrameError> {
    let total = bytes.len();
    let expected = be32(&bytes[total - 4..]);
    let computed = crc32fast::hash(&bytes[..total - 4]);
    if expected != computed {
        return Err(FrameError::MessageChecksum { expected, computed });
    }
    let headers_len = be32(&bytes[4..8]) as usize;
    let headers_end = PRELUDE_LEN + headers_len;
    let headers = read_headers(bytes.slice(PRELUDE_LEN..headers_end))?;
    Ok(Message {
        headers,
        payload: bytes.slice(headers_end..total - 4),
    })
}

fn read_headers(mut b: Bytes) -> Result<Vec<Header>, FrameError> {
    let short = |what: &str| FrameError::InvalidHeader {
        reason: format!("{what} runs past the end of the headers"),
    };
    let mut headers: Vec<Header> = Vec::new();
    while b.has_remaining() {
        let name_len = b.get_u8() as usize;
        if b.remaining() < name_len {
            return Err(short("a name"));
        }
        let name = String::from_utf8(b.split_to(name_len).to_vec()).map_err(|_| {
            FrameError::InvalidHeader {
                reason: "a name is not UTF-8".into(),
            }
        })?;
        if !b.has_remaining() {
            return Err(short(&format!("the type of `{name}`")));
        }
        let kind = b.get_u8();
        let need = match kind {
            0 | 1 => 0,
            2 => 1,
            3 => 2,
            4 => 4,
            5 | 8 => 8,
            6 | 7 => 2,
            9 => 16,
            other => {
                return Err(FrameError::InvalidHeader {
                    reason: format!("`{name}` has the unknown type {other}"),
                })
            }
        };
        if b.remaining() < need {
            return Err(short(&format!("the value of `{name}`")));
        }
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(b.get_i8()),
            3 => HeaderValue::Int16(b.get_i16()),
            4 => HeaderValue::Int32(b.get_i32()),
            5 => HeaderValue::Int64(b.get_i64()),
            8 => HeaderValue::Timestamp(b.get_i64()),
            9 => {
                let mut u = [0u8; 16];
                b.copy_to_slice(&mut u);
                HeaderValue::Uuid(u)
            }
            _ => {
                let len = b.get_u16() as usize;
                if b.remaining() < len {
                    return Err(short(&format!("the value of `{name}`")));
                }
                let v = b.split_to(len);
                if kind == 6 {
                    HeaderValue::Bytes(v)
                } else {
                    HeaderValue::String(String::from_utf8(v.to_vec()).map_err(|_| {
                        FrameError::InvalidHeader {
                            reason: format!("the value of `{name}` is not UTF-8"),
                        }
                    })?)
                }
            }
        };
        if headers.iter().any(|h| h.name == name) {
            return Err(FrameError::DuplicateHeader { name });
        }
        headers.push(Header { name, value });
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_type() -> Message {
        Message::new(vec![7u8; 300])
            .with_header("t", HeaderValue::Bool(true))
            .with_header("f", HeaderValue::Bool(false))
            .with_header("byte", HeaderValue::Byte(-1))
            .with_header("short", HeaderValue::Int16(-300))
            .with_header("int", HeaderValue::Int32(40972))
            .with_header("long", HeaderValue::Int64(-42424242))
            .with_header("bytes", HeaderValue::Bytes(Bytes::from_static(b"\0\xff")))
            .with_header(":event-type", HeaderValue::String("chunk é".into()))
            .with_header("ts", HeaderValue::Timestamp(8675309))
            .with_header("uuid", HeaderValue::Uuid(*b"0123456789abcdef"))
    }

    #[test]
    fn every_header_type_round_trips_split_at_every_byte() {
        let messages = [every_type(), Message::default(), Message::new("x")];
        let mut wire = Vec::new();
        for m in &messages {
            wire.extend(m.encode().unwrap());
        }
        let mut d = Decoder::new();
        let mut got = Vec::new();
        for byte in &wire {
            d.push(std::slice::from_ref(byte));
            while let Some(m) = d.next_message().unwrap() {
                got.push(m);
            }
        }
        d.finish().unwrap();
        assert_eq!(got, messages);
        assert_eq!(
            got[0].header(":event-type").and_then(HeaderValue::as_str),
            Some("chunk é")
        );
    }

    #[test]
    fn every_flipped_bit_is_refused_never_a_panic() {
        let wire = every_type().encode().unwrap();
        for i in 0..wire.len() {
            for bit in 0..8 {
                let mut bad = wire.clone();
                bad[i] ^= 1 << bit;
                let mut d = Decoder::new();
                d.push(&bad);
                let read = d.next_message();
                // A length made larger waits for bytes that never come.
                let failed = read.is_err() || d.finish().is_err();
                assert!(failed, "byte {i} bit {bit}: {read:?}");
            }
        }
    }

    #[test]
    fn a_hostile_prelude_is_refused_before_its_message_is_buffered() {
        let prelude = |total: u32, headers: u32| {
            let mut p = total.to_be_bytes().to_vec();
            p.extend(headers.to_be_bytes());
            p.extend(crc32fast::hash(&p).to_be_bytes());
            p
        };
        for (p, want) in [
            (prelude(u32::MAX, 0), "payload"),
            (prelude(200_000, 140_000), "headers"),
            (prelude(15, 0), "cannot hold"),
            (prelude(20, 8), "cannot hold"),
        ] {
            let mut d = Decoder::new();
            d.push(&p);
            let err = d.next_message().unwrap_err().to_string();
            assert!(err.contains(want), "{err}");
            assert!(d.buf.capacity() < 1024);
        }
    }

    #[test]
    fn headers_that_do_not_read_are_errors() {
        let with_headers = |h: &[u8]| {
            let total = (MIN_MESSAGE_LEN + h.len()) as u32;
            let mut m = total.to_be_bytes().to_vec();
            m.extend((h.len() as u32).to_be_bytes());
            m.extend(crc32fast::hash(&m).to_be_bytes());
            m.extend_from_slice(h);
            m.extend(crc32fast::hash(&m).to_be_bytes());
            let mut d = Decoder::new();
            d.push(&m);
            d.next_message().unwrap_err().to_string()
        };
        assert!(with_headers(b"\x01a\x0a").contains("unknown type 10"));
        assert!(with_headers(b"\x01a\x04\0\0").contains("runs past"));
        assert!(with_headers(b"\x05ab").contains("runs past"));
        assert!(with_headers(b"\x01a\x07\0\x02\xff\xfe").contains("not UTF-8"));
        assert!(with_headers(b"\x01a\x00\x01a\x01").contains("repeats"));
        let mut d = Decoder::new();
        d.push(&every_type().encode().unwrap()[..40]);
        assert_eq!(d.next_message(), Ok(None));
        assert!(d.finish().unwrap_err().to_string().contains("ended inside"));
    }
}
