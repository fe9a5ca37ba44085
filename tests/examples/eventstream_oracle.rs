//! The Rust side of `scripts/oracle_eventstream.py`: decodes event streams with the
//! runtime's `eventstream::Decoder` and prints what it read, as JSON, for the script to
//! compare with botocore's `EventStreamBuffer` on the same bytes.
//!
//! Input: a list of `{"hex": <the stream>, "chunks": [sizes] | "bytewise"}` (the bytes
//! pushed in reads of those sizes, the last size repeated; `bytewise`: one byte a read,
//! so that every split of every message is met). Output: per stream, the messages read
//! (`headers` as `[name, value]` pairs in botocore's terms: integers of every width and
//! timestamps as numbers, strings, booleans, byte arrays and UUIDs as `{"hex": ..}`; the
//! `payload` in hex), the error that stopped it (`error`: the `FrameError` variant), and
//! whether it ended inside a message (`truncated`).

use awsgen_runtime::eventstream::{Decoder, FrameError, HeaderValue};
use awsgen_runtime::serde_json::{self, json, Value};
use std::io::Read;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn value(v: &HeaderValue) -> Value {
    match v {
        HeaderValue::Bool(b) => json!(b),
        HeaderValue::Byte(n) => json!(n),
        HeaderValue::Int16(n) => json!(n),
        HeaderValue::Int32(n) => json!(n),
        HeaderValue::Int64(n) | HeaderValue::Timestamp(n) => json!(n),
        HeaderValue::Bytes(b) => json!({ "hex": hex(b) }),
        HeaderValue::String(s) => json!(s),
        HeaderValue::Uuid(u) => json!({ "hex": hex(u) }),
    }
}

fn kind(e: &FrameError) -> &'static str {
    match e {
        FrameError::PreludeChecksum { .. } => "PreludeChecksum",
        FrameError::MessageChecksum { .. } => "MessageChecksum",
        FrameError::InvalidLength { .. } => "InvalidLength",
        FrameError::HeadersTooLong { .. } => "HeadersTooLong",
        FrameError::PayloadTooLong { .. } => "PayloadTooLong",
        FrameError::InvalidHeader { .. } => "InvalidHeader",
        FrameError::DuplicateHeader { .. } => "DuplicateHeader",
        FrameError::Truncated { .. } => "Truncated",
        _ => "Other",
    }
}

fn decode(stream: &[u8], chunks: &Value) -> Value {
    let sizes: Vec<usize> = match chunks {
        Value::Array(a) => a
            .iter()
            .filter_map(|n| n.as_u64())
            .map(|n| n.max(1) as usize)
            .collect(),
        _ => vec![1],
    };
    let mut d = Decoder::new();
    let (mut messages, mut error) = (Vec::new(), Value::Null);
    let (mut at, mut i) = (0, 0);
    'read: while at < stream.len() {
        let n = sizes.get(i).or(sizes.last()).copied().unwrap_or(1);
        i += 1;
        let end = (at + n).min(stream.len());
        d.push(&stream[at..end]);
        at = end;
        loop {
            match d.next_message() {
                Ok(Some(m)) => messages.push(json!({
                    "headers": m.headers.iter().map(|h| json!([h.name, value(&h.value)])).collect::<Vec<_>>(),
                    "payload": hex(&m.payload),
                })),
                Ok(None) => break,
                Err(e) => {
                    error = json!(kind(&e));
                    break 'read;
                }
            }
        }
    }
    let truncated = error.is_null() && matches!(d.finish(), Err(FrameError::Truncated { .. }));
    json!({ "messages": messages, "error": error, "truncated": truncated })
}

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read the streams: {e}");
        std::process::exit(2);
    }
    let cases: Vec<Value> = match serde_json::from_str(&input) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("the streams are not JSON: {e}");
            std::process::exit(2);
        }
    };
    let out: Vec<Value> = cases
        .iter()
        .map(|c| match c["hex"].as_str().and_then(unhex) {
            Some(bytes) => decode(&bytes, &c["chunks"]),
            None => json!({ "error": "the case's hex does not read" }),
        })
        .collect();
    println!("{}", Value::Array(out));
}
