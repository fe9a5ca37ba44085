//! smithy-rpc-v2-cbor (botocore's `RpcV2CBORSerializer` and `RpcV2CBORParser`): `POST
//! /service/<targetPrefix>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor`,
//! the input as a CBOR map (none for an operation without input), answers and errors
//! in CBOR (`__type`, `message`), the request id in `x-amzn-RequestId`.
//!
//! Generated code gives the model's shape table ([`xml_table`](super::xml_table), shared
//! with the XML protocols): an input's serde form (`serde_json::Value`) is written as
//! CBOR with it (blobs as byte strings, timestamps as tag 1 epoch seconds, floats and
//! doubles as numbers, `NaN`/`Infinity` as floats), and an answer is read with it into
//! that serde form, then the output's `Deserialize`. The reading and writing of CBOR
//! items is ciborium's (`ciborium-ll`); what is walked, skipped and charged is ours: an
//! answer's nesting is bounded (100 levels), what it builds is charged to the parse
//! budget of 8 times its body, and lengths it declares are never allocated ahead.

use super::xml_table::{Scalar, Shape, Table};
use super::{Protocol, Request, Response, SetRequestId};
use crate::{Blob, DateTime, ErrorMetadata, RequestError};
use ciborium_ll::{Decoder, Encoder, Header};
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use serde_json::{Map, Value};

/// How deep an answer (or an input) may nest.
const MAX_DEPTH: usize = 100;

/// The smithy-rpc-v2-cbor protocol of one service.
#[derive(Debug)]
pub struct RpcV2Cbor {
    /// The model's `targetPrefix`: the service's name in the path.
    pub service: &'static str,
    /// The model's shapes, by index.
    pub shapes: &'static [Shape],
    /// The model's `awsQueryCompatible`: requests say `x-amzn-query-mode: true` and
    /// errors' `x-amzn-query-error` give the code.
    pub query_compatible: bool,
}

fn build_error(message: impl Into<String>) -> RequestError {
    RequestError::Build {
        message: message.into(),
    }
}

impl RpcV2Cbor {
    /// The request for `operation`: its input (of shape `input_shape`; none: no body) as
    /// a CBOR map.
    pub fn request<I: serde::Serialize>(
        &self,
        operation: &str,
        input_shape: Option<u32>,
        input: &I,
    ) -> Result<Request, RequestError> {
        let mut headers = vec![
            (
                HeaderName::from_static("smithy-protocol"),
                HeaderValue::from_static("rpc-v2-cbor"),
            ),
            (ACCEPT, HeaderValue::from_static("application/cbor")),
        ];
        let mut body = Vec::new();
        if let Some(shape) = input_shape {
            let value = serde_json::to_value(input).map_err(|e| build_error(e.to_string()))?;
            let mut w = Writer {
                table: Table(self.shapes),
                enc: Encoder::from(&mut body),
            };
            w.value(&value, shape, 0)?;
            headers.push((CONTENT_TYPE, HeaderValue::from_static("application/cbor")));
        }
        if self.query_compatible {
            headers.push((
                HeaderName::from_static("x-amzn-query-mode"),
                HeaderValue::from_static("true"),
            ));
        }
        Ok(Request {
            method: http::Method::POST,
            path: format!("/service/{}/operation/{operation}", self.service),
            headers,
            body: crate::ByteStream::from(body),
            mock_input: None,
            endpoint_params: Vec::new(),
            checksum: None,
            streaming_input: false,
            payload_given: false,
            events: None,
            validate_response: &[],
        })
    }

    /// Parses an operation's output (shape `output_shape`; an empty body has no
    /// members) from a success.
    pub fn parse_output<O>(
        &self,
        resp: Response,
        output_shape: Option<u32>,
    ) -> Result<O, RequestError>
    where
        O: serde::de::DeserializeOwned + SetRequestId,
    {
        let unreadable = |message: String| resp.unreadable(message);
        let mut out: O = match output_shape {
            Some(shape) if !resp.body.is_empty() => self.read(&resp.body, shape),
            _ => read_empty(&resp.body),
        }
        .map_err(unreadable)?;
        out.set_request_id(resp.request_id.clone());
        out.set_status(resp.status);
        Ok(out)
    }

    /// A fault's members from an error body, as shape `shape`; what does not read gives
    /// the default.
    pub fn parse_fault<T: serde::de::DeserializeOwned + Default>(
        &self,
        shape: u32,
        body: &[u8],
    ) -> T {
        self.read(body, shape).unwrap_or_default()
    }

    /// `body` read as shape `shape` into `T`: the serde form and then the type, within
    /// one budget.
    fn read<T: serde::de::DeserializeOwned>(&self, body: &[u8], shape: u32) -> Result<T, String> {
        let budget = super::aws_json::parse_budget(body);
        let mut r = Reader {
            table: Table(self.shapes),
            dec: Decoder::from(body),
            left: budget,
        };
        let value = r.value(shape, 0)?;
        let left = r.left;
        crate::wire::with_budget(left, || serde_json::from_value(value)).map_err(|e| e.to_string())
    }
}

/// An output with no members read (no body, or no output shape).
fn read_empty<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    crate::wire::with_budget(super::aws_json::parse_budget(body), || {
        serde_json::from_value(Value::Object(Map::new()))
    })
    .map_err(|e| e.to_string())
}

/// An input being written.
struct Writer<'b> {
    table: Table,
    enc: Encoder<&'b mut Vec<u8>>,
}

impl Writer<'_> {
    fn push(&mut self, h: Header) -> Result<(), RequestError> {
        self.enc
            .push(h)
            .map_err(|e| build_error(format!("writing CBOR: {e}")))
    }

    fn text(&mut self, s: &str) -> Result<(), RequestError> {
        self.enc
            .text(s, None)
            .map_err(|e| build_error(format!("writing CBOR: {e}")))
    }

    /// `value` (the serde form of shape `shape`) as a CBOR item.
    fn value(&mut self, value: &Value, shape: u32, depth: usize) -> Result<(), RequestError> {
        if depth > MAX_DEPTH {
            return Err(build_error("the input nests deeper than 100 levels"));
        }
        let entry = self
            .table
            .0
            .get(shape as usize)
            .ok_or_else(|| build_error(format!("no shape {shape} in the model's table")))?;
        match (entry, value) {
            (_, Value::Null) => self.push(Header::Simple(22)),
            (Shape::Struct(members) | Shape::Union(members), Value::Object(map)) => {
                let present: Vec<_> = members
                    .iter()
                    .filter_map(|m| map.get(m.serde).filter(|v| !v.is_null()).map(|v| (m, v)))
                    .collect();
                self.push(Header::Map(Some(present.len())))?;
                for (m, v) in present {
                    self.text(m.serde)?;
                    self.value(v, m.shape, depth + 1)?;
                }
                Ok(())
            }
            (Shape::List { member, .. }, Value::Array(items)) => {
                self.push(Header::Array(Some(items.len())))?;
                items
                    .iter()
                    .try_for_each(|x| self.value(x, *member, depth + 1))
            }
            (Shape::Map { value: v, .. }, Value::Object(entries)) => {
                self.push(Header::Map(Some(entries.len())))?;
                for (k, x) in entries {
                    self.text(k)?;
                    self.value(x, *v, depth + 1)?;
                }
                Ok(())
            }
            (Shape::Scalar(s), v) => self.scalar(*s, v),
            (_, other) => Err(build_error(format!(
                "a value does not fit its shape: {other}"
            ))),
        }
    }

    fn scalar(&mut self, s: Scalar, v: &Value) -> Result<(), RequestError> {
        let bad = || build_error(format!("a {s:?} member's serde form is {v}"));
        match (s, v) {
            (Scalar::String, Value::String(t)) => self.text(t),
            (Scalar::Bool, Value::Bool(b)) => self.push(Header::Simple(if *b { 21 } else { 20 })),
            (Scalar::Integer, Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => self.push(Header::Positive(u)),
                (None, Some(i)) => self.push(Header::Negative(!(i as u64))),
                _ => Err(bad()),
            },
            (Scalar::Float | Scalar::Float32, v) => {
                let f = float(v).ok_or_else(bad)?;
                let f = if s == Scalar::Float32 {
                    f64::from(f as f32)
                } else {
                    f
                };
                self.push(Header::Float(f))
            }
            (Scalar::Blob, Value::String(b64)) => {
                let bytes = Blob::from_base64(b64).map_err(|_| bad())?;
                self.enc
                    .bytes(bytes.as_slice(), None)
                    .map_err(|e| build_error(format!("writing CBOR: {e}")))
            }
            (Scalar::TimestampEpoch | Scalar::TimestampText, v) => {
                let secs = match v {
                    Value::Number(n) => n.as_f64().ok_or_else(bad)?,
                    Value::String(t) => DateTime::parse_any(t).map_err(|_| bad())?.as_secs_f64(),
                    _ => return Err(bad()),
                };
                // Tag 1, epoch seconds: whole seconds as an integer, else a double (as
                // botocore writes them).
                self.push(Header::Tag(1))?;
                if secs.fract() == 0.0 && secs.abs() < 9.0e15 {
                    let i = secs as i64;
                    if i >= 0 {
                        self.push(Header::Positive(i as u64))
                    } else {
                        self.push(Header::Negative(!(i as u64)))
                    }
                } else {
                    self.push(Header::Float(secs))
                }
            }
            _ => Err(bad()),
        }
    }
}

/// A number of the serde form: a JSON number, or `NaN`, `Infinity`, `-Infinity`.
fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// An answer being read.
struct Reader<'b> {
    table: Table,
    dec: Decoder<&'b [u8]>,
    /// What the serde form may still take.
    left: usize,
}

/// Null and undefined, which botocore reads as an absent value.
fn is_null(h: &Header) -> bool {
    matches!(h, Header::Simple(22 | 23))
}

impl Reader<'_> {
    fn pull(&mut self) -> Result<Header, String> {
        self.dec.pull().map_err(|e| match e {
            ciborium_ll::Error::Io(_) => "the body ends inside a CBOR item".to_string(),
            ciborium_ll::Error::Syntax(at) => format!("not valid CBOR (at byte {at})"),
        })
    }

    fn charge(&mut self, bytes: usize) -> Result<(), String> {
        self.left = self.left.checked_sub(bytes).ok_or_else(|| {
            "the response holds more than its size allows: reading it would take more than \
             8 times its length in memory"
                .to_string()
        })?;
        Ok(())
    }

    /// The contents of a byte or text string of `len` bytes (`None`: segmented), never
    /// allocated ahead of what the body holds.
    fn string_bytes(&mut self, len: Option<usize>, text: bool) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        let eof = |_| "the body ends inside a CBOR string".to_string();
        if text {
            let mut segments = self.dec.text(len);
            while let Some(mut segment) = segments.pull().map_err(eof)? {
                while let Some(chunk) = segment.pull(&mut buf).map_err(eof)? {
                    out.extend_from_slice(chunk.as_bytes());
                }
            }
        } else {
            let mut segments = self.dec.bytes(len);
            while let Some(mut segment) = segments.pull().map_err(eof)? {
                while let Some(chunk) = segment.pull(&mut buf).map_err(eof)? {
                    out.extend_from_slice(chunk);
                }
            }
        }
        self.charge(out.len())?;
        Ok(out)
    }

    fn text(&mut self, len: Option<usize>) -> Result<String, String> {
        String::from_utf8(self.string_bytes(len, true)?)
            .map_err(|_| "a CBOR text string is not UTF-8".into())
    }

    /// Skips the item whose header is `h` (and all it holds).
    fn skip(&mut self, h: Header, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("the answer nests deeper than {MAX_DEPTH} items"));
        }
        match h {
            Header::Bytes(len) => self.string_bytes(len, false).map(drop),
            Header::Text(len) => self.string_bytes(len, true).map(drop),
            Header::Tag(_) => {
                let next = self.pull()?;
                self.skip(next, depth + 1)
            }
            Header::Array(len) => self.items(len, depth, |r, h, d| r.skip(h, d)),
            Header::Map(len) => self.items(len.map(|n| n.saturating_mul(2)), depth, |r, h, d| {
                r.skip(h, d)
            }),
            Header::Break => Err("a CBOR break outside an indefinite item".into()),
            _ => Ok(()),
        }
    }

    /// Calls `each` for every item of an array (`len` items, or up to a break).
    fn items(
        &mut self,
        len: Option<usize>,
        depth: usize,
        mut each: impl FnMut(&mut Self, Header, usize) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut i = 0;
        loop {
            if len.is_some_and(|n| i >= n) {
                return Ok(());
            }
            let h = self.pull()?;
            if len.is_none() && h == Header::Break {
                return Ok(());
            }
            each(self, h, depth + 1)?;
            i += 1;
        }
    }

    /// The serde form of the next item, read as shape `shape`.
    fn value(&mut self, shape: u32, depth: usize) -> Result<Value, String> {
        let h = self.pull()?;
        self.value_of(h, shape, depth)
    }

    fn value_of(&mut self, h: Header, shape: u32, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!("the answer nests deeper than {MAX_DEPTH} items"));
        }
        self.charge(std::mem::size_of::<Value>())?;
        if is_null(&h) {
            return Ok(Value::Null);
        }
        let entry = self
            .table
            .0
            .get(shape as usize)
            .ok_or_else(|| format!("no shape {shape} in the model's table"))?;
        match (entry, h) {
            (Shape::Struct(members) | Shape::Union(members), Header::Map(len)) => {
                let union = matches!(entry, Shape::Union(_));
                let mut map = Map::new();
                self.entries(len, depth, |r, key, h, d| {
                    match members.iter().find(|m| m.serde == key) {
                        Some(m) => {
                            let v = r.value_of(h, m.shape, d)?;
                            if !v.is_null() {
                                r.charge(64 + key.len())?;
                                map.insert(key, v);
                            }
                        }
                        None => {
                            r.skip(h, d)?;
                            // A union member this model does not know: its name (the
                            // type's `Unknown`).
                            if union && key != "__type" {
                                map.insert(key, Value::Bool(true));
                            }
                        }
                    }
                    Ok(())
                })?;
                Ok(Value::Object(map))
            }
            (Shape::List { member, .. }, Header::Array(len)) => {
                let mut list = Vec::new();
                self.items(len, depth, |r, h, d| {
                    list.push(r.value_of(h, *member, d)?);
                    Ok(())
                })?;
                Ok(Value::Array(list))
            }
            (Shape::Map { value, .. }, Header::Map(len)) => {
                let mut map = Map::new();
                self.entries(len, depth, |r, key, h, d| {
                    let v = r.value_of(h, *value, d)?;
                    // botocore drops a null value (`_parse_key_value_pair`).
                    if !v.is_null() {
                        r.charge(64 + key.len())?;
                        map.insert(key, v);
                    }
                    Ok(())
                })?;
                Ok(Value::Object(map))
            }
            (Shape::Scalar(s), h) => self.scalar(*s, h, depth),
            (_, h) => Err(format!("a CBOR {h:?} where the model has a {entry:?}")),
        }
    }

    /// Calls `each` with the key and the value's header of every entry of a map whose
    /// keys are text.
    fn entries(
        &mut self,
        len: Option<usize>,
        depth: usize,
        mut each: impl FnMut(&mut Self, String, Header, usize) -> Result<(), String>,
    ) -> Result<(), String> {
        self.items(len, depth, |r, h, d| {
            let key = match h {
                Header::Text(n) => r.text(n)?,
                other => return Err(format!("a CBOR map key that is not text: {other:?}")),
            };
            let value = r.pull()?;
            each(r, key, value, d)
        })
    }

    fn scalar(&mut self, s: Scalar, h: Header, depth: usize) -> Result<Value, String> {
        // Tags around tags are read through, as deep as anything else.
        if depth > MAX_DEPTH {
            return Err(format!("the answer nests deeper than {MAX_DEPTH} items"));
        }
        let bad = |h: Header| format!("a CBOR {h:?} where the model has a {s:?}");
        Ok(match (s, h) {
            (Scalar::String, Header::Text(len)) => Value::String(self.text(len)?),
            (Scalar::Blob, Header::Bytes(len)) => {
                Value::String(Blob::new(self.string_bytes(len, false)?).to_base64())
            }
            (Scalar::Bool, Header::Simple(20)) => Value::Bool(false),
            (Scalar::Bool, Header::Simple(21)) => Value::Bool(true),
            (Scalar::Integer | Scalar::Float | Scalar::Float32, Header::Positive(u)) => {
                Value::from(u)
            }
            (Scalar::Integer | Scalar::Float | Scalar::Float32, Header::Negative(n)) => {
                Value::from(i64::try_from(n).map(|n| -1 - n).map_err(|_| bad(h))?)
            }
            (Scalar::Float | Scalar::Float32, Header::Float(f)) => float_value(f),
            (Scalar::TimestampEpoch | Scalar::TimestampText, Header::Tag(1)) => {
                let secs = match self.pull()? {
                    Header::Positive(u) => u as f64,
                    Header::Negative(n) => -1.0 - n as f64,
                    Header::Float(f) if f.is_finite() => f,
                    other => return Err(bad(other)),
                };
                if s == Scalar::TimestampText {
                    let t = DateTime::from_secs_f64(secs).ok_or_else(|| bad(h))?;
                    Value::String(t.to_iso8601())
                } else {
                    serde_json::Number::from_f64(secs)
                        .map(Value::Number)
                        .ok_or_else(|| bad(h))?
                }
            }
            (_, Header::Tag(_)) => {
                // Another tag: the tagged item read as the shape says.
                let next = self.pull()?;
                return self.scalar(s, next, depth + 1);
            }
            (_, h) => return Err(bad(h)),
        })
    }
}

/// A float as its serde form (`NaN`, `Infinity`, `-Infinity` as text).
fn float_value(f: f64) -> Value {
    if f.is_nan() {
        Value::from("NaN")
    } else if f.is_infinite() {
        Value::from(if f > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl Protocol for RpcV2Cbor {
    /// `__type` (sanitized as awsJson's), `message` or `Message`, `x-amzn-query-error`
    /// for a query-compatible service; a body that is not CBOR is the message, the status
    /// the code.
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
        let (code, message) = match error_fields(body) {
            Some(fields) => fields,
            None if !body.is_empty() => (None, Some(String::from_utf8_lossy(body).into_owned())),
            None => (None, None),
        };
        let code = code
            .filter(|c| !ErrorMetadata::sanitize_code(c).is_empty())
            .unwrap_or_else(|| status.to_string());
        let mut meta = ErrorMetadata::new(code).with_status(status);
        if let Some(m) = message {
            meta = meta.with_message(m);
        }
        if let Some(id) = self.request_id(headers) {
            meta = meta.with_request_id(id);
        }
        let query_error = headers
            .get("x-amzn-query-error")
            .and_then(|v| v.to_str().ok())
            .and_then(super::aws_json::query_error);
        if let Some((code, kind)) = query_error {
            meta = meta.with_query_error(code, kind);
        }
        meta
    }
}

/// `__type` and the message of an error body that is a CBOR map (`None` otherwise).
fn error_fields(body: &[u8]) -> Option<(Option<String>, Option<String>)> {
    let mut r = Reader {
        table: Table(&[]),
        dec: Decoder::from(body),
        left: super::aws_json::parse_budget(body),
    };
    let Ok(Header::Map(len)) = r.pull() else {
        return None;
    };
    let (mut code, mut message, mut upper) = (None, None, None);
    r.entries(len, 0, |r, key, h, d| {
        match (key.as_str(), h) {
            ("__type", Header::Text(n)) => code = Some(r.text(n)?),
            ("message", Header::Text(n)) => message = Some(r.text(n)?),
            ("Message", Header::Text(n)) => upper = Some(r.text(n)?),
            (_, h) => r.skip(h, d)?,
        }
        Ok(())
    })
    .ok()?;
    Some((code, message.or(upper)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::xml_table::Member;

    const fn member(name: &'static str, shape: u32) -> Member {
        Member {
            serde: name,
            xml: name,
            query: name,
            shape,
            flattened: false,
            attribute: false,
            ns: None,
        }
    }

    // { Name: string, Count: integer, Ratio: float, At: timestamp, Data: blob,
    //   Tags: list of string, Attrs: map of string, On: bool }
    static SHAPES: &[Shape] = &[
        Shape::Struct(&[
            member("Name", 1),
            member("Count", 2),
            member("Ratio", 3),
            member("At", 4),
            member("Data", 5),
            member("Tags", 6),
            member("Attrs", 7),
            member("On", 8),
        ]),
        Shape::Scalar(Scalar::String),
        Shape::Scalar(Scalar::Integer),
        Shape::Scalar(Scalar::Float32),
        Shape::Scalar(Scalar::TimestampEpoch),
        Shape::Scalar(Scalar::Blob),
        Shape::List {
            member: 1,
            member_name: "member",
            flattened: false,
            member_ns: None,
        },
        Shape::Map {
            key: 1,
            value: 1,
            key_name: "key",
            value_name: "value",
            flattened: false,
            key_ns: None,
            value_ns: None,
        },
        Shape::Scalar(Scalar::Bool),
    ];
    static P: RpcV2Cbor = RpcV2Cbor {
        service: "Svc",
        shapes: SHAPES,
        query_compatible: false,
    };

    #[test]
    fn an_input_goes_out_as_cbor_and_reads_back() {
        let input = serde_json::json!({
            "Name": "n", "Count": -3, "Ratio": 1.5, "At": 1.7e9, "Data": "AQI=",
            "Tags": ["a", "b"], "Attrs": {"k": "v"}, "On": true,
        });
        let r = P.request("Op", Some(0), &input).unwrap();
        assert_eq!(r.path, "/service/Svc/operation/Op");
        let body = r.body.bytes().unwrap().to_vec();
        // A map of 8 entries, the first key `Name`.
        assert_eq!(&body[..6], b"\xa8\x64Name");
        let back: Value = P.read(&body, 0).unwrap();
        assert_eq!(back, input);
        // No input shape: no body and no Content-Type.
        let r = P.request("Op", None, &()).unwrap();
        assert!(r.body.bytes().unwrap().is_empty());
        assert!(r.headers.iter().all(|(n, _)| *n != CONTENT_TYPE));
    }

    #[test]
    fn hostile_answers_are_errors() {
        // An array that declares 2^60 items and holds none.
        let huge = b"\xa1\x64Tags\x9b\x10\x00\x00\x00\x00\x00\x00\x00";
        assert!(P
            .read::<Value>(huge, 0)
            .unwrap_err()
            .contains("ends inside"));
        // Deep nesting of unknown arrays.
        let mut deep = b"\xa1\x61X".to_vec();
        deep.extend(std::iter::repeat_n(0x81u8, 1000));
        deep.push(0x00);
        assert!(P.read::<Value>(&deep, 0).unwrap_err().contains("deeper"));
        // A string where a number is.
        assert!(P.read::<Value>(b"\xa1\x65Count\x61x", 0).is_err());
        // Tags around tags around a name.
        let mut tags = b"\xa1\x64Name".to_vec();
        tags.extend(std::iter::repeat_n(0xc2u8, 1000));
        tags.extend(b"\x61n");
        assert!(P.read::<Value>(&tags, 0).unwrap_err().contains("deeper"));
        for end in 0..huge.len() {
            let _ = P.read::<Value>(&huge[..end], 0);
        }
    }

    #[test]
    fn errors_read_type_and_message() {
        // {"__type": "aws.protocoltests#Boom", "message": "m"}
        let body = b"\xa2\x66__type\x76aws.protocoltests#Boom\x67message\x61m";
        let m = P.error_metadata(400, &Default::default(), body);
        assert_eq!((m.code(), m.message()), ("Boom", Some("m")));
        let html = P.error_metadata(502, &Default::default(), b"<html>");
        assert_eq!((html.code(), html.message()), ("502", Some("<html>")));
    }
}
