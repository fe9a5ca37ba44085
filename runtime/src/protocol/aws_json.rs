//! awsJson 1.0 and 1.1: `POST` to the endpoint with the input as a JSON body and
//! `X-Amz-Target: <prefix>.<Operation>`; the output is the JSON body of a success; an
//! error's code is in `X-Amzn-ErrorType` or the body's `__type` (or `code`).

use super::{Protocol, Request, Response, SetRequestId};
use crate::{ErrorMetadata, RequestError};
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};

const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");

/// The awsJson protocol of one version.
#[derive(Debug)]
pub struct AwsJson {
    content_type: HeaderValue,
    /// The service is `awsQueryCompatible`: requests say `x-amzn-query-mode: true`.
    query_mode: bool,
}

impl AwsJson {
    /// awsJson 1.0: `application/x-amz-json-1.0`.
    pub const fn v1_0() -> Self {
        AwsJson {
            content_type: HeaderValue::from_static("application/x-amz-json-1.0"),
            query_mode: false,
        }
    }

    /// For a service the model marks `awsQueryCompatible` (moved from the query protocol,
    /// like SQS): requests carry `x-amzn-query-mode: true`, as botocore sends it.
    pub const fn query_compatible(mut self) -> Self {
        self.query_mode = true;
        self
    }

    /// awsJson 1.1: `application/x-amz-json-1.1`.
    pub const fn v1_1() -> Self {
        AwsJson {
            content_type: HeaderValue::from_static("application/x-amz-json-1.1"),
            query_mode: false,
        }
    }

    /// The request for an operation: `target` is the whole `X-Amz-Target` value
    /// (`AmazonDMSv20160101.DeleteConnection`), `input` its JSON body.
    pub fn request<I: serde::Serialize>(
        &self,
        target: &'static str,
        input: &I,
    ) -> Result<Request, RequestError> {
        let build = |message: String| RequestError::Build { message };
        // Most inputs are a few hundred bytes: one allocation instead of growing from 128.
        let mut body = Vec::with_capacity(512);
        serde_json::to_writer(&mut body, input).map_err(|e| build(e.to_string()))?;
        // `from_static` accepts exactly visible ASCII, so checking first keeps it from
        // panicking on a target no model should have.
        if !target.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(build(format!(
                "`{}` is not a valid X-Amz-Target value",
                target.escape_debug()
            )));
        }
        let mut headers = vec![
            (CONTENT_TYPE, self.content_type.clone()),
            (X_AMZ_TARGET, HeaderValue::from_static(target)),
        ];
        if self.query_mode {
            headers.push((X_AMZN_QUERY_MODE, HeaderValue::from_static("true")));
        }
        Ok(Request {
            method: http::Method::POST,
            path: String::new(),
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

    /// Parses an operation's output from a success response. An empty body is `{}`.
    pub fn parse_output<O>(resp: Response) -> Result<O, RequestError>
    where
        O: serde::de::DeserializeOwned + SetRequestId,
    {
        parse_json_output(&resp)
    }

    /// Parses the modelled members of a fault from its body. A body that does not parse
    /// (not JSON, wrong member types) gives the fault with no members: the code, message
    /// and request id are in the metadata either way, so nothing is lost.
    pub fn parse_fault<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> T {
        crate::wire::with_budget(parse_budget(body), || serde_json::from_slice(body))
            .unwrap_or_default()
    }
}

/// An output from a JSON body (an empty body is `{}`), with the request id set.
pub(crate) fn parse_json_output<O>(resp: &Response) -> Result<O, RequestError>
where
    O: serde::de::DeserializeOwned + SetRequestId,
{
    let mut o: O = parse_json_body(resp)?;
    o.set_request_id(resp.request_id.clone());
    o.set_status(resp.status);
    Ok(o)
}

/// A value from a JSON body: an empty body is `{}`; lists and maps are charged to the
/// parse budget; what does not parse is a `Response` error with the start of the body.
pub(super) fn parse_json_body<T: serde::de::DeserializeOwned>(
    resp: &Response,
) -> Result<T, RequestError> {
    let body: &[u8] = if resp.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &resp.body
    };
    crate::wire::with_budget(parse_budget(body), || serde_json::from_slice::<T>(body))
        .map_err(|e| resp.unreadable(e))
}

/// What the lists and maps of a parsed body may hold: 8 times its length, so that with
/// the body itself and its strings a parse stays within 16 times the body. A body under
/// 64 KiB gets the budget of a 64 KiB one (512 KiB): a small answer of sparse elements
/// whose Rust form is large (amplifyuibuilder's `ActionParameters`, eight inline
/// properties in a 20-byte `{"parameters":{}}`) is read, and no small body can take more
/// than 1 MiB.
pub(crate) fn parse_budget(body: &[u8]) -> usize {
    8 * body.len().max(64 << 10)
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

impl Protocol for AwsJson {
    /// The code from the `X-Amzn-ErrorType` header, else the body's `__type`, else its
    /// `code` (sanitized), else the HTTP status as text (as botocore does); the message
    /// from `message`, `Message` or `errorMessage`, or, for a body that is not JSON (a
    /// proxy's HTML page), the body's text; the request id from
    /// `x-amzn-RequestId`.
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
        json_error_metadata(status, headers, body, false)
    }
}

/// An error response of a JSON protocol. The code: the `X-Amzn-ErrorType` header, then
/// for awsJson the body's `__type`, then `code`; for rest-json (`rest`: botocore's
/// `RestJSONParser`) `code`, then `Code`, then `__type`; else the HTTP status as text.
/// The message: `message` or `Message` (awsJson also `errorMessage`), or, for a body
/// that is not JSON (a proxy's HTML page), the body's text. The request id:
/// `x-amzn-RequestId` (rest-json also `x-amz-request-id`).
pub(super) fn json_error_metadata(
    status: u16,
    headers: &http::HeaderMap,
    body: &[u8],
    rest: bool,
) -> ErrorMetadata {
    // Only the few members read are kept: a hostile body costs no more than itself.
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let field = |names: &[&str]| -> Option<String> {
        let fields = &parsed.as_ref()?.0;
        names
            .iter()
            .find_map(|n| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    };
    let body_code: &[&str] = if rest {
        &["code", "Code", "__type"]
    } else {
        &["__type", "code"]
    };
    let code = header(headers, "x-amzn-errortype")
        .map(str::to_string)
        .or_else(|| field(body_code))
        .filter(|c| !ErrorMetadata::sanitize_code(c).is_empty())
        .unwrap_or_else(|| status.to_string());
    let mut meta = ErrorMetadata::new(code).with_status(status);
    let message_fields: &[&str] = if rest {
        &["message", "Message"]
    } else {
        &["message", "Message", "errorMessage"]
    };
    let message = match &parsed {
        Some(_) => field(message_fields),
        // A body that is not JSON (a load balancer's HTML page): the whole text, as
        // botocore's `{'message': body}`; `Display` shows a bounded, printable form.
        None if !body.is_empty() => Some(String::from_utf8_lossy(body).into_owned()),
        None => None,
    };
    if let Some(m) = message {
        meta = meta.with_message(m);
    }
    let request_id = header(headers, "x-amzn-requestid")
        .or_else(|| rest.then(|| header(headers, "x-amz-request-id")).flatten());
    if let Some(id) = request_id {
        meta = meta.with_request_id(id);
    }
    // `x-amzn-query-error: <legacy code>;<Sender|Receiver>` (query-compatible
    // services): the legacy code is the code, as botocore reports it; the modelled
    // fault is still found by the shape's code (`ErrorMetadata::shape_code`).
    if let Some((code, kind)) = header(headers, "x-amzn-query-error").and_then(query_error) {
        meta = meta.with_query_error(code, kind);
    }
    meta
}

/// `Code;Type` with a non-empty code and exactly two parts, as botocore accepts it.
pub(super) fn query_error(value: &str) -> Option<(&str, &str)> {
    let mut parts = value.split(';');
    let (code, kind) = (parts.next()?, parts.next()?);
    (parts.next().is_none() && !code.is_empty()).then_some((code, kind))
}

/// The string members of an error body that [`AwsJson::error_metadata`] reads (the last of
/// repeated ones wins); any other JSON value is valid and gives none.
struct ErrorBody(Vec<(&'static str, String)>);

const ERROR_MEMBERS: [&str; 6] = [
    "__type",
    "code",
    "Code",
    "message",
    "Message",
    "errorMessage",
];

impl<'de> serde::Deserialize<'de> for ErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BodyVisitor)
    }
}

/// Keeps the string values of [`ERROR_MEMBERS`]; any other JSON value gives none.
struct BodyVisitor;

/// Skips any value but a string, which it keeps.
struct TextVisitor;

/// A member's value if it is a string (anything else is skipped).
struct Text(Option<String>);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// The visits every JSON value can take, each answering `$none` (or skipping what a
/// sequence or map holds first), so that a visitor accepts any value.
macro_rules! accept_any_value {
    ($value:ty, $none:expr) => {
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_i64<E>(self, _: i64) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_u64<E>(self, _: u64) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_f64<E>(self, _: f64) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_unit<E>(self) -> Result<$value, E> {
            Ok($none)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<$value, A::Error> {
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok($none)
        }
    };
}

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text;
    accept_any_value!(Text, Text(None));
    fn visit_str<E>(self, v: &str) -> Result<Text, E> {
        Ok(Text(Some(v.to_string())))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Text(None))
    }
}

impl<'de> serde::de::Visitor<'de> for BodyVisitor {
    type Value = ErrorBody;
    accept_any_value!(ErrorBody, ErrorBody(Vec::new()));
    fn visit_str<E>(self, _: &str) -> Result<ErrorBody, E> {
        Ok(ErrorBody(Vec::new()))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ErrorBody, A::Error> {
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        while let Some(key) = map.next_key::<crate::wire::Key<'de>>()? {
            match ERROR_MEMBERS.iter().find(|m| **m == key.as_str()) {
                Some(name) => {
                    fields.retain(|(k, _)| k != name);
                    if let Text(Some(v)) = map.next_value::<Text>()? {
                        fields.push((name, v));
                    }
                }
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(ErrorBody(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_metadata_from_every_code_form() {
        let p = AwsJson::v1_1();
        let h = http::HeaderMap::new();
        for body in [
            r#"{"__type":"ResourceNotFoundFault","message":"m"}"#,
            r#"{"__type":"com.amazonaws.dms#ResourceNotFoundFault","message":"m"}"#,
            r#"{"__type":"ResourceNotFoundFault:http://internal.amazon.com/coral/","Message":"m"}"#,
            r#"{"code":"ResourceNotFoundFault","errorMessage":"m"}"#,
        ] {
            let m = p.error_metadata(400, &h, body.as_bytes());
            assert_eq!(
                (m.code(), m.message()),
                ("ResourceNotFoundFault", Some("m")),
                "{body}"
            );
        }
        let mut h = http::HeaderMap::new();
        h.insert(
            "x-amzn-errortype",
            "ResourceNotFoundFault:http://internal.amazon.com/"
                .parse()
                .unwrap(),
        );
        h.insert("x-amzn-requestid", "rid".parse().unwrap());
        let m = p.error_metadata(400, &h, br#"{"__type":"Other","message":"m"}"#);
        assert_eq!(
            (m.code(), m.request_id(), m.status()),
            ("ResourceNotFoundFault", Some("rid"), Some(400))
        );
        // Issue #10: a proxy's HTML page gave `unknown error (HTTP 502)`. Now, as boto3:
        // the status is the code and the body the message, whole (issue #30; invalid
        // UTF-8 as the replacement character); `Display` shows it on one line.
        let page = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\x00\xff</html>";
        let html = p.error_metadata(502, &http::HeaderMap::new(), page);
        assert_eq!(
            (html.code(), html.message(), html.status()),
            (
                "502",
                Some("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\0\u{fffd}</html>"),
                Some(502)
            )
        );
        assert_eq!(
            html.to_string(),
            "502: <html> <head><title>502 Bad Gateway</title></head> \u{fffd}</html> (HTTP 502)"
        );
        let huge = vec![b'x'; 100_000];
        let m = p.error_metadata(500, &http::HeaderMap::new(), &huge);
        assert_eq!(m.message().unwrap().len(), 100_000);
        // JSON without a code (or a JSON array, or nothing) also falls back to the status.
        for body in [&br#"{"message":"m"}"#[..], b"[]", b""] {
            assert_eq!(
                p.error_metadata(503, &http::HeaderMap::new(), body).code(),
                "503"
            );
        }
        assert_eq!(
            p.error_metadata(400, &http::HeaderMap::new(), b"")
                .message(),
            None
        );
    }

    /// Issue #11: query-compatible services (SQS) send `x-amzn-query-error`; the code is
    /// the legacy one and the type is kept, as botocore's parser does (checked against
    /// botocore 1.44.8: `;Sender` and `A;B;C` leave the code alone).
    #[test]
    fn query_compatible_errors() {
        let p = AwsJson::v1_0().query_compatible();
        let body = br#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#;
        let with = |v: &str| {
            let mut h = http::HeaderMap::new();
            h.insert("x-amzn-query-error", v.parse().unwrap());
            p.error_metadata(400, &h, body)
        };
        let m = with("AWS.SimpleQueueService.NonExistentQueue;Sender");
        assert_eq!(
            (m.code(), m.shape_code(), m.error_type(), m.message()),
            (
                "AWS.SimpleQueueService.NonExistentQueue",
                "QueueDoesNotExist",
                Some("Sender"),
                Some("gone")
            )
        );
        for ignored in [";Sender", "A;B;C", "Code"] {
            let m = with(ignored);
            assert_eq!(
                (m.code(), m.shape_code(), m.error_type()),
                ("QueueDoesNotExist", "QueueDoesNotExist", None),
                "{ignored}"
            );
        }
        let r = p
            .request("AmazonSQS.GetQueueUrl", &serde_json::json!({}))
            .unwrap();
        assert!(r
            .headers
            .iter()
            .any(|(k, v)| k == "x-amzn-query-mode" && v == "true"));
        let plain = AwsJson::v1_0()
            .request("Svc.Op", &serde_json::json!({}))
            .unwrap();
        assert!(!plain.headers.iter().any(|(k, _)| k == "x-amzn-query-mode"));
    }

    #[test]
    fn requests_carry_the_content_type_and_target() {
        let r = AwsJson::v1_0()
            .request("Svc.Op", &serde_json::json!({"A": 1}))
            .unwrap();
        assert_eq!(r.method, http::Method::POST);
        assert_eq!(r.body.bytes().unwrap().as_ref(), br#"{"A":1}"#);
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.to_str().unwrap()))
            .collect();
        assert_eq!(
            headers,
            [
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amz-target", "Svc.Op")
            ]
        );
        let bad = AwsJson::v1_1().request("Svc.Op\n", &serde_json::json!({}));
        assert!(matches!(bad, Err(RequestError::Build { .. })));
    }

    #[test]
    fn unparsable_fault_bodies_give_defaults() {
        #[derive(serde::Deserialize, Default, PartialEq, Debug)]
        struct F {
            message: Option<String>,
        }
        assert_eq!(AwsJson::parse_fault::<F>(b"<html>"), F::default());
        assert_eq!(
            AwsJson::parse_fault::<F>(br#"{"message":"m","other":1}"#),
            F {
                message: Some("m".into())
            }
        );
        assert_eq!(
            AwsJson::parse_fault::<F>(br#"{"message":12}"#),
            F::default()
        );
    }
}
