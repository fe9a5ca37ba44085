//! rest-xml (S3, S3 Control, CloudFront, Route 53): the HTTP bindings rest-json uses
//! ([`rest`](super::rest): URI, query string, headers, status code), and the rest as an
//! XML body written and read with the model's shape table
//! ([`xml_table`](super::xml_table)), or one member as the whole body (`payload`).
//!
//! As botocore's `RestXMLSerializer` and `RestXMLParser`: a body has no `Content-Type`
//! of the protocol's own; an answer's root element is read whatever its name (S3 answers
//! some operations with roots the model does not name); an empty body has no members;
//! errors are `<ErrorResponse><Error>` (Route 53, CloudFront) or an `<Error>` root (S3),
//! with `x-amz-request-id` and `x-amz-id-2` kept.

use super::xml_de::{from_body, Target};
use super::xml_table::{error_root, Ns, Shape, Table};
use super::{Protocol, Response, SetRequestId};
use crate::xml::Document;
use crate::{ErrorMetadata, RequestError};
use serde_json::{Map, Value};

/// The rest-xml protocol of one service: its shape table.
#[derive(Debug)]
pub struct RestXml {
    /// The model's shapes, by index.
    pub shapes: &'static [Shape],
}

impl RestXml {
    /// An XML body: `value` (the input's body members, or a structure payload member) as
    /// shape `shape`, in an element named `root` with namespace `ns`.
    pub fn body<T: serde::Serialize + ?Sized>(
        &self,
        shape: u32,
        root: &str,
        ns: Ns,
        value: &T,
    ) -> Result<Vec<u8>, RequestError> {
        let value = serde_json::to_value(value).map_err(|e| RequestError::Build {
            message: e.to_string(),
        })?;
        Table(self.shapes).write(&value, shape, root, ns)
    }

    /// The body of an input's body members (`value`, the input's serde form, as shape
    /// `shape`): `None` when none of them is set, as botocore then sends no body.
    pub fn members_body<T: serde::Serialize + ?Sized>(
        &self,
        shape: u32,
        root: &str,
        ns: Ns,
        value: &T,
    ) -> Result<Option<Vec<u8>>, RequestError> {
        let value = serde_json::to_value(value).map_err(|e| RequestError::Build {
            message: e.to_string(),
        })?;
        let any_set = match (self.shapes.get(shape as usize), &value) {
            (Some(Shape::Struct(members) | Shape::Union(members)), Value::Object(map)) => members
                .iter()
                .any(|m| map.get(m.serde).is_some_and(|v| !v.is_null())),
            _ => false,
        };
        if !any_set {
            return Ok(None);
        }
        Table(self.shapes).write(&value, shape, root, ns).map(Some)
    }

    /// Parses an output's body members (the root element read as shape `shape`; an
    /// empty body has none) from a success response; generated code then sets the
    /// members bound to headers and the status code.
    pub fn parse_body<O>(&self, resp: &Response, shape: u32) -> Result<O, RequestError>
    where
        O: serde::de::DeserializeOwned + SetRequestId,
    {
        let mut out: O = self.parse_payload(resp, shape)?;
        out.set_request_id(resp.request_id.clone());
        out.set_extended_request_id(super::rest::header_text(&resp.headers, "x-amz-id-2"));
        out.set_status(resp.status);
        Ok(out)
    }

    /// The text of the root element (S3's `GetBucketLocation`, whose answer is
    /// `<LocationConstraint>eu-west-1</LocationConstraint>`, read as botocore's
    /// `parse_get_bucket_location` reads it); `None` for an empty body or element.
    pub fn root_text(&self, resp: &Response) -> Result<Option<String>, RequestError> {
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let doc =
            crate::xml::Document::parse(&resp.body).map_err(|e| resp.unreadable(e.to_string()))?;
        let text = doc.root().text();
        Ok((!text.is_empty()).then(|| text.to_string()))
    }

    /// Parses a structure payload member from the whole body (an empty body is a
    /// structure with no members, as botocore reads it).
    pub fn parse_payload<T: serde::de::DeserializeOwned>(
        &self,
        resp: &Response,
        shape: u32,
    ) -> Result<T, RequestError> {
        let unreadable = |message: String| resp.unreadable(message);
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            return super::xml_table::typed(Value::Object(Map::new()), &resp.body)
                .map_err(|e| unreadable(e.to_string()));
        }
        from_body(Table(self.shapes), &resp.body, Target::Root, shape, &[])
            .map_err(|e| unreadable(e.to_string()))?
            .value
            .ok_or_else(|| unreadable("no root element".into()))
    }

    /// A value of shape `shape` from an XML document (an event's payload, S3's
    /// `SelectObjectContent`): a blank document is a structure with no members.
    pub(crate) fn parse_value(&self, xml: &[u8], shape: u32) -> Result<Value, String> {
        if xml.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Object(Map::new()));
        }
        from_body(Table(self.shapes), xml, Target::Root, shape, &[])
            .map_err(|e| e.to_string())?
            .value
            .ok_or_else(|| "no root element".to_string())
    }

    /// A fault's members from an error body (`<ErrorResponse><Error>` or the root), as
    /// shape `shape`; what does not read gives the default.
    pub fn parse_fault<T: serde::de::DeserializeOwned + Default>(
        &self,
        shape: u32,
        body: &[u8],
    ) -> T {
        from_body(
            Table(self.shapes),
            body,
            Target::Fault { ec2: false },
            shape,
            &[],
        )
        .ok()
        .and_then(|r| r.value)
        .unwrap_or_default()
    }
}

impl Protocol for RestXml {
    /// The code and message of `<Error>` (S3's root, or inside `<ErrorResponse>`), the
    /// request id from the body's `RequestId` (`<ErrorResponse>`) or the headers (S3). An empty body is the
    /// status and its reason phrase (`404`, `Not Found`), as botocore reads it; a body
    /// that is not XML or has neither code nor message (a proxy's HTML page) is the
    /// message, with the status as code.
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
        let header_id = self.request_id(headers);
        let mut error_response = false;
        let (code, message, body_id) = if body.iter().all(u8::is_ascii_whitespace) {
            let reason = http::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map(str::to_string);
            (None, reason, None)
        } else {
            match Document::parse(body) {
                Ok(doc) => {
                    let root = doc.root();
                    error_response = root.name() == "ErrorResponse";
                    let error = error_root(root, false);
                    let text = |name: &str| error.child(name).map(|n| n.text().to_string());
                    // `<ErrorResponse><RequestId>`; S3's `<Error><RequestId>`.
                    let id = root
                        .child("RequestId")
                        .or_else(|| error.child("RequestId"))
                        .map(|n| n.text().trim().to_string())
                        .filter(|t| !t.is_empty());
                    let code = text("Code");
                    let message = text("Message").filter(|m| !m.is_empty());
                    if code.is_none() && message.is_none() {
                        // Well-formed, but not an AWS error (a proxy's XHTML page): the
                        // body is all the service said.
                        (None, Some(String::from_utf8_lossy(body).into_owned()), id)
                    } else {
                        (code, message, id)
                    }
                }
                Err(_) => (None, Some(String::from_utf8_lossy(body).into_owned()), None),
            }
        };
        let code = code
            .filter(|c| !ErrorMetadata::sanitize_code(c).is_empty())
            .unwrap_or_else(|| status.to_string());
        let mut meta = ErrorMetadata::new(code).with_status(status);
        if let Some(m) = message {
            meta = meta.with_message(m);
        }
        // As botocore: `<ErrorResponse>`'s own `RequestId` first; S3's `<Error>` and an
        // empty body: the headers' (the body's only when the headers have none).
        let id = if error_response {
            body_id.or(header_id)
        } else {
            header_id.or(body_id)
        };
        if let Some(id) = id {
            meta = meta.with_request_id(id);
        }
        meta
    }

    fn request_id(&self, headers: &http::HeaderMap) -> Option<String> {
        super::request_id_header(headers, "x-amzn-requestid")
            .or_else(|| super::request_id_header(headers, "x-amz-request-id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::xml_table::{Member, Scalar};

    const fn member(
        serde: &'static str,
        xml: &'static str,
        shape: u32,
        flattened: bool,
        attribute: bool,
        ns: Ns,
    ) -> Member {
        Member {
            serde,
            xml,
            query: xml,
            shape,
            flattened,
            attribute,
            ns,
        }
    }

    // { Id (attribute `id`), Name, Tags: list of string named `Tag`, Flat: flattened
    // list, Attrs: map named `k`/`v`, Scale: float, Prefixed: string with a prefixed
    // namespace }.
    static SHAPES: &[Shape] = &[
        Shape::Struct(&[
            member("Id", "id", 1, false, true, None),
            member("Name", "Name", 1, false, false, None),
            member("Tags", "Tags", 2, false, false, None),
            member("Flat", "Flat", 3, true, false, None),
            member("Attrs", "Attrs", 4, false, false, None),
            member("Scale", "Scale", 5, false, false, None),
            member(
                "Prefixed",
                "Prefixed",
                1,
                false,
                false,
                Some(("xmlns:p", "https://p/")),
            ),
        ]),
        Shape::Scalar(Scalar::String),
        Shape::List {
            member: 1,
            member_name: "Tag",
            flattened: false,
            member_ns: None,
        },
        Shape::List {
            member: 1,
            member_name: "member",
            flattened: true,
            member_ns: None,
        },
        Shape::Map {
            key: 1,
            value: 1,
            key_name: "k",
            value_name: "v",
            flattened: false,
            key_ns: None,
            value_ns: None,
        },
        Shape::Scalar(Scalar::Float32),
    ];
    static P: RestXml = RestXml { shapes: SHAPES };

    #[test]
    fn a_body_is_written_as_the_table_says() {
        let value = serde_json::json!({
            "Scale": 1.2f32,
            "Name": "a < b & \"c\"",
            "Id": "x1",
            "Tags": ["t1", "t2"],
            "Flat": ["f1", "f2"],
            "Attrs": {"a": "1"},
            "Prefixed": "p",
        });
        let body = P
            .body(0, "Root", Some(("xmlns", "https://ns/")), &value)
            .unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "<Root xmlns=\"https://ns/\" id=\"x1\"><Name>a &lt; b &amp; &quot;c&quot;</Name>\
             <Tags><Tag>t1</Tag><Tag>t2</Tag></Tags><Flat>f1</Flat><Flat>f2</Flat>\
             <Attrs><entry><k>a</k><v>1</v></entry></Attrs><Scale>1.2</Scale>\
             <Prefixed xmlns:p=\"https://p/\">p</Prefixed></Root>"
        );
        // No member set: no body at all, as botocore sends none.
        assert_eq!(
            P.members_body(0, "Root", None, &serde_json::json!({}))
                .unwrap(),
            None
        );
    }

    #[test]
    fn an_answer_reads_whatever_its_root_is_called() {
        let xml = "<SomethingElse id=\"x9\"><Name>n</Name><Tags><Tag>a</Tag></Tags>\
                   <Flat>f</Flat><Attrs><entry><k>a</k><v>1</v></entry></Attrs></SomethingElse>";
        let resp = Response {
            status: 200,
            request_id: None,
            headers: Default::default(),
            body: xml.as_bytes().to_vec().into(),
        };
        let v: Value = P.parse_payload(&resp, 0).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"Id": "x9", "Name": "n", "Tags": ["a"], "Flat": ["f"], "Attrs": {"a": "1"}})
        );
        let empty = Response {
            body: bytes::Bytes::new(),
            ..resp
        };
        let v: Value = P.parse_payload(&empty, 0).unwrap();
        assert_eq!(v, serde_json::json!({}));
    }

    #[test]
    fn errors_of_s3_and_of_route53_and_empty_ones() {
        let mut h = http::HeaderMap::new();
        h.insert("x-amz-request-id", "hdr-id".parse().unwrap());
        h.insert("x-amz-id-2", "host-id".parse().unwrap());
        let s3 = P.error_metadata(
            404,
            &h,
            b"<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>body-id</RequestId></Error>",
        );
        assert_eq!(
            (s3.code(), s3.message(), s3.request_id()),
            ("NoSuchKey", Some("gone"), Some("hdr-id"))
        );
        let r53 = P.error_metadata(
            400,
            &http::HeaderMap::new(),
            b"<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error>\
              <Type>Sender</Type><Code>InvalidInput</Code><Message>bad</Message></Error>\
              <RequestId>r53-id</RequestId></ErrorResponse>",
        );
        assert_eq!(
            (r53.code(), r53.message(), r53.request_id()),
            ("InvalidInput", Some("bad"), Some("r53-id"))
        );
        // `<ErrorResponse>`'s own id before a header's, as botocore reads it.
        let both = P.error_metadata(
            400,
            &h,
            b"<ErrorResponse><Error><Code>X</Code></Error><RequestId>body-id</RequestId></ErrorResponse>",
        );
        assert_eq!(both.request_id(), Some("body-id"));
        // HeadObject's 404 has no body: the status and its reason, as botocore reads it.
        let head = P.error_metadata(404, &h, b"");
        assert_eq!(
            (head.code(), head.message(), head.request_id()),
            ("404", Some("Not Found"), Some("hdr-id"))
        );
        let page = P.error_metadata(
            502,
            &http::HeaderMap::new(),
            b"<html><body>down</body></html>",
        );
        assert_eq!(
            (page.code(), page.message()),
            ("502", Some("<html><body>down</body></html>"))
        );
        let html = P.error_metadata(502, &http::HeaderMap::new(), b"<html><body>bad gateway");
        assert_eq!(
            (html.code(), html.message()),
            ("502", Some("<html><body>bad gateway"))
        );
    }
}
