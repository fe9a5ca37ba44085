//! rest-json: the operation's HTTP method and URI template, members bound to the URI,
//! query string, headers and status code ([`rest`](super::rest)), and the rest as a JSON
//! body, or one member as the whole body (`payload`). Errors are read as awsJson's, with
//! botocore's `RestJSONParser` precedence for the code: the `X-Amzn-ErrorType` header,
//! then the body's `code` / `Code`, then `__type`.

use super::aws_json::{json_error_metadata, parse_json_body, parse_json_output};
use super::{Protocol, Response, SetRequestId};
use crate::{ErrorMetadata, RequestError};

/// The rest-json protocol.
#[derive(Debug)]
pub struct RestJson;

impl RestJson {
    /// Parses an output's body members from a success response (an empty body is `{}`);
    /// generated code then sets the members bound to headers and the status code.
    pub fn parse_body<O>(resp: &Response) -> Result<O, RequestError>
    where
        O: serde::de::DeserializeOwned + SetRequestId,
    {
        parse_json_output(resp)
    }

    /// Parses a structure, union or document payload member from the whole body (an
    /// empty body is `{}`, as botocore reads it).
    pub fn parse_payload<T: serde::de::DeserializeOwned>(
        resp: &Response,
    ) -> Result<T, RequestError> {
        parse_json_body(resp)
    }

    /// Parses the modelled members of a fault from its body, as awsJson does.
    pub fn parse_fault<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> T {
        super::AwsJson::parse_fault(body)
    }
}

impl Protocol for RestJson {
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
        json_error_metadata(status, headers, body, true)
    }

    fn request_id(&self, headers: &http::HeaderMap) -> Option<String> {
        super::request_id_header(headers, "x-amzn-requestid")
            .or_else(|| super::request_id_header(headers, "x-amz-request-id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_code_comes_from_the_header_then_code_then_type() {
        let p = RestJson;
        let mut h = http::HeaderMap::new();
        let body = br#"{"code":"FromCode","__type":"FromType","message":"m"}"#;
        assert_eq!(p.error_metadata(400, &h, body).code(), "FromCode");
        assert_eq!(
            p.error_metadata(400, &h, br#"{"Code":"Upper","__type":"T"}"#)
                .code(),
            "Upper"
        );
        assert_eq!(
            p.error_metadata(400, &h, br#"{"__type":"aws#T:uri"}"#)
                .code(),
            "T"
        );
        h.insert(
            "x-amzn-errortype",
            "FromHeader:http://internal/".parse().unwrap(),
        );
        h.insert("x-amz-request-id", "rid".parse().unwrap());
        let m = p.error_metadata(400, &h, body);
        assert_eq!(
            (m.code(), m.message(), m.request_id()),
            ("FromHeader", Some("m"), Some("rid"))
        );
        let m = p.error_metadata(502, &http::HeaderMap::new(), b"<html>bad gateway</html>");
        assert_eq!(
            (m.code(), m.message()),
            ("502", Some("<html>bad gateway</html>"))
        );
    }
}
