//! The query protocol (IAM, STS, SNS, CloudFormation, RDS, ...): `POST` of a form body
//! (`Action=<Op>&Version=<api version>&` and the input flattened into `a.b.member.1=`
//! keys), answers in XML (`<OpResponse><OpResult>..</OpResult><ResponseMetadata>`),
//! errors as `<ErrorResponse><Error><Code>`.
//!
//! Generated code gives a table of the model's shapes ([`xml_table`](super::xml_table)):
//! how each structure's members are named in a form key and in XML, which lists and maps
//! are flattened, what each scalar is. Requests are the input's serde form (`serde_json::Value`) walked with
//! that table, as botocore's `QuerySerializer` walks the model; outputs and faults are read
//! from the XML in one pass by `xml_de` into their own `Deserialize`, as
//! botocore's `QueryParser` walks ElementTree; error codes and messages are read from the
//! tree of [`crate::xml`].

use super::xml_de::{from_body, Target};
use super::xml_table::{scalar_text, Member, Shape, Table};
use super::{Protocol, Request, Response, SetRequestId};
use crate::xml::Document;
use crate::{ErrorMetadata, RequestError};
use http::header::{HeaderValue, CONTENT_TYPE};
use serde_json::{Map, Value};

/// The query protocol of one service.
#[derive(Debug)]
pub struct Query {
    /// The model's `apiVersion`.
    pub version: &'static str,
    /// The model's shapes, by index.
    pub shapes: &'static [Shape],
    /// The ec2 variant: lists as `Name.N` (never `.member`, nothing for an empty one),
    /// no result wrapper, the request id in `requestId`, errors in
    /// `<Response><Errors><Error>`.
    pub ec2: bool,
}

/// Why an input could not be written as a form.
fn build_error(message: impl Into<String>) -> RequestError {
    RequestError::Build {
        message: message.into(),
    }
}

impl Query {
    /// The request for operation `action`: its input (of shape `input_shape`) as a form
    /// body after `Action` and `Version`.
    pub fn request<I: serde::Serialize>(
        &self,
        action: &str,
        input_shape: Option<u32>,
        input: &I,
    ) -> Result<Request, RequestError> {
        let mut pairs: Vec<(String, String)> = vec![
            ("Action".into(), action.into()),
            ("Version".into(), self.version.into()),
        ];
        if let Some(shape) = input_shape {
            let value = serde_json::to_value(input).map_err(|e| build_error(e.to_string()))?;
            self.flatten(&value, shape, String::new(), &mut pairs)?;
        }
        let mut body = String::with_capacity(256);
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                body.push('&');
            }
            form_encode(k, &mut body);
            body.push('=');
            form_encode(v, &mut body);
        }
        Ok(Request {
            method: http::Method::POST,
            path: String::new(),
            headers: vec![(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
            )],
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

    fn shape(&self, index: u32) -> Result<&'static Shape, RequestError> {
        self.shapes
            .get(index as usize)
            .ok_or_else(|| build_error(format!("no shape {index} in the model's table")))
    }

    /// `value` (of shape `shape`) as form pairs under `prefix`, as botocore's
    /// `QuerySerializer` writes them.
    fn flatten(
        &self,
        value: &Value,
        shape: u32,
        prefix: String,
        out: &mut Vec<(String, String)>,
    ) -> Result<(), RequestError> {
        match (self.shape(shape)?, value) {
            (_, Value::Null) => {}
            (Shape::Struct(members) | Shape::Union(members), Value::Object(map)) => {
                for m in *members {
                    let Some(v) = map.get(m.serde) else { continue };
                    let key = if prefix.is_empty() {
                        m.query.to_string()
                    } else {
                        format!("{prefix}.{}", m.query)
                    };
                    self.flatten_member(v, m, key, out)?;
                }
            }
            (Shape::Scalar(s), v) => out.push((prefix, scalar_text(*s, v)?)),
            (Shape::List { .. } | Shape::Map { .. }, _) => {
                // Only reached for a list or map directly in a list (a member's own
                // flattening is `flatten_member`'s).
                self.flatten_container(value, shape, false, prefix, out)?;
            }
            (Shape::Struct(_) | Shape::Union(_), other) => {
                return Err(build_error(format!(
                    "a structure's serde form is an object, not {other}"
                )))
            }
        }
        Ok(())
    }

    fn flatten_member(
        &self,
        value: &Value,
        m: &Member,
        key: String,
        out: &mut Vec<(String, String)>,
    ) -> Result<(), RequestError> {
        match self.shape(m.shape)? {
            Shape::List { .. } | Shape::Map { .. } => {
                self.flatten_container(value, m.shape, m.flattened, key, out)
            }
            _ => self.flatten(value, m.shape, key, out),
        }
    }

    fn flatten_container(
        &self,
        value: &Value,
        shape: u32,
        flattened: bool,
        prefix: String,
        out: &mut Vec<(String, String)>,
    ) -> Result<(), RequestError> {
        match (self.shape(shape)?, value) {
            (
                Shape::List {
                    member,
                    member_name,
                    ..
                },
                Value::Array(items),
            ) => {
                if self.ec2 {
                    for (i, item) in items.iter().enumerate() {
                        self.flatten(item, *member, format!("{prefix}.{}", i + 1), out)?;
                    }
                    return Ok(());
                }
                if items.is_empty() {
                    out.push((prefix, String::new()));
                    return Ok(());
                }
                let list_prefix = match (flattened, *member_name) {
                    // A flattened list with a named member: the name replaces the last
                    // part of the key.
                    (true, "member") => prefix,
                    (true, name) => match prefix.rsplit_once('.') {
                        Some((head, _)) => format!("{head}.{name}"),
                        None => name.to_string(),
                    },
                    (false, name) => format!("{prefix}.{name}"),
                };
                for (i, item) in items.iter().enumerate() {
                    self.flatten(item, *member, format!("{list_prefix}.{}", i + 1), out)?;
                }
            }
            (
                Shape::Map {
                    key,
                    value: value_shape,
                    key_name,
                    value_name,
                    ..
                },
                Value::Object(entries),
            ) => {
                let base = if flattened {
                    prefix
                } else {
                    format!("{prefix}.entry")
                };
                for (i, (k, v)) in entries.iter().enumerate() {
                    let n = i + 1;
                    self.flatten(
                        &Value::String(k.clone()),
                        *key,
                        format!("{base}.{n}.{key_name}"),
                        out,
                    )?;
                    self.flatten(v, *value_shape, format!("{base}.{n}.{value_name}"), out)?;
                }
            }
            (_, Value::Null) => {}
            (_, other) => {
                return Err(build_error(format!(
                    "a list or map's serde form is an array or object, not {other}"
                )))
            }
        }
        Ok(())
    }

    /// Parses an operation's output from a success: the XML body's element named
    /// `wrapper` (the output's `resultWrapper`), or its root, walked as shape
    /// `output_shape`; the request id from `ResponseMetadata`.
    pub fn parse_output<O>(
        &self,
        resp: Response,
        output_shape: Option<u32>,
        wrapper: Option<&str>,
    ) -> Result<O, RequestError>
    where
        O: serde::de::DeserializeOwned + SetRequestId,
    {
        let unreadable = |message: String| resp.unreadable(message);
        let mut request_id = resp.request_id.clone();
        let empty = || {
            super::xml_table::typed(Value::Object(Map::new()), &resp.body)
                .map_err(|e| unreadable(e.to_string()))
        };
        let mut out: O = match output_shape {
            None => empty(),
            Some(shape) => {
                // The request id from the body when the headers have none.
                let rid_path: &[&str] = match (&request_id, self.ec2) {
                    (Some(_), _) => &[],
                    (None, true) => &["requestId"],
                    (None, false) => &["ResponseMetadata", "RequestId"],
                };
                let target = match wrapper {
                    Some(w) => Target::Child(w),
                    None => Target::Root,
                };
                let read = from_body(Table(self.shapes), &resp.body, target, shape, rid_path)
                    .map_err(|e| unreadable(e.to_string()))?;
                request_id = request_id.or(read.request_id);
                match read.value {
                    Some(v) => Ok(v),
                    None => empty(),
                }
            }
        }?;
        out.set_request_id(request_id);
        out.set_status(resp.status);
        Ok(out)
    }

    /// The serde form of an answer's element `wrapper` (the root when absent) read as
    /// shape `shape` (the credential providers' STS calls, which have no output type).
    pub(crate) fn read_output(
        &self,
        body: &[u8],
        shape: u32,
        wrapper: &str,
    ) -> Result<Value, String> {
        from_body(
            Table(self.shapes),
            body,
            Target::ChildOrRoot(wrapper),
            shape,
            &[],
        )
        .map_err(|e| e.to_string())?
        .value
        .ok_or_else(|| "no element to read".to_string())
    }

    /// A fault's members from an error body (`<ErrorResponse><Error>` or the root),
    /// as shape `shape`; what does not read gives the default.
    pub fn parse_fault<T: serde::de::DeserializeOwned + Default>(
        &self,
        shape: u32,
        body: &[u8],
    ) -> T {
        from_body(
            Table(self.shapes),
            body,
            Target::Fault { ec2: self.ec2 },
            shape,
            &[],
        )
        .ok()
        .and_then(|r| r.value)
        .unwrap_or_default()
    }
}

/// Form encoding as Python's `urlencode` writes it: letters, digits and `-_.~` as they
/// are, a space as `+`, every other byte `%XX`.
fn form_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

impl Protocol for Query {
    /// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`
    /// (or an `<Error>` anywhere); a body that is not XML (a proxy's HTML page) is the
    /// message, the status the code, as for the JSON protocols.
    fn error_metadata(&self, status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
        let header_id = self.request_id(headers);
        let (code, message, body_id) = match Document::parse(body) {
            Ok(doc) => {
                let root = doc.root();
                let error = if root.name() == "ErrorResponse" {
                    root.child("Error")
                } else {
                    root.descendants().find(|n| n.name() == "Error")
                };
                let text = |name: &str| {
                    error
                        .and_then(|n| n.child(name))
                        .map(|n| n.text().to_string())
                };
                let id = root
                    .descendants()
                    .find(|n| n.name() == "RequestId" || n.name() == "RequestID")
                    .map(|n| n.text().trim().to_string())
                    .filter(|t| !t.is_empty());
                // An empty `<Message/>` is no message, as botocore reads it (`None`).
                (text("Code"), text("Message").filter(|m| !m.is_empty()), id)
            }
            Err(_) if !body.is_empty() => {
                (None, Some(String::from_utf8_lossy(body).into_owned()), None)
            }
            Err(_) => (None, None, None),
        };
        let code = code
            .filter(|c| !ErrorMetadata::sanitize_code(c).is_empty())
            .unwrap_or_else(|| status.to_string());
        let mut meta = ErrorMetadata::new(code).with_status(status);
        if let Some(m) = message {
            meta = meta.with_message(m);
        }
        if let Some(id) = body_id.or(header_id) {
            meta = meta.with_request_id(id);
        }
        meta
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::xml_table::Scalar;

    // A structure { Name: string, Tags: list of string (named `item`), Attrs: map,
    // Flat: flattened list, Count: integer, At: timestamp, Nested: { On: bool } }.
    static SHAPES: &[Shape] = &[
        Shape::Struct(&[
            Member {
                serde: "Name",
                xml: "Name",
                query: "Name",
                shape: 1,
                flattened: false,
                attribute: false,
                ns: None,
            },
            Member {
                serde: "Tags",
                xml: "Tags",
                query: "Tags",
                shape: 2,
                flattened: false,
                attribute: false,
                ns: None,
            },
            Member {
                serde: "Attrs",
                xml: "Attrs",
                query: "Attrs",
                shape: 3,
                flattened: false,
                attribute: false,
                ns: None,
            },
            Member {
                serde: "Flat",
                xml: "Flat",
                query: "Flat",
                shape: 4,
                flattened: true,
                attribute: false,
                ns: None,
            },
            Member {
                serde: "Count",
                xml: "Count",
                query: "Count",
                shape: 5,
                flattened: false,
                attribute: false,
                ns: None,
            },
            Member {
                serde: "At",
                xml: "At",
                query: "At",
                shape: 6,
                flattened: false,
                attribute: false,
                ns: None,
            },
            Member {
                serde: "Nested",
                xml: "Nested",
                query: "Nested",
                shape: 7,
                flattened: false,
                attribute: false,
                ns: None,
            },
        ]),
        Shape::Scalar(Scalar::String),
        Shape::List {
            member: 1,
            member_name: "item",
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
        Shape::List {
            member: 1,
            member_name: "member",
            flattened: true,
            member_ns: None,
        },
        Shape::Scalar(Scalar::Integer),
        Shape::Scalar(Scalar::TimestampText),
        Shape::Struct(&[Member {
            serde: "On",
            xml: "On",
            query: "On",
            shape: 8,
            flattened: false,
            attribute: false,
            ns: None,
        }]),
        Shape::Scalar(Scalar::Bool),
    ];
    static QUERY: Query = Query {
        version: "2020-01-08",
        shapes: SHAPES,
        ec2: false,
    };
    static EC2: Query = Query {
        version: "2020-01-08",
        shapes: SHAPES,
        ec2: true,
    };

    fn body(r: &Request) -> String {
        String::from_utf8(r.body.bytes().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn an_input_is_a_form_in_model_order() {
        let input = serde_json::json!({
            "Nested": {"On": true},
            "Name": "a b&c~é",
            "Tags": ["x", "y"],
            "Attrs": {"k": "v"},
            "Flat": ["f1", "f2"],
            "Count": 3,
            "At": "2015-01-25T08:00:00Z",
        });
        let r = QUERY.request("Op", Some(0), &input).unwrap();
        assert_eq!(
            body(&r),
            "Action=Op&Version=2020-01-08&Name=a+b%26c~%C3%A9&Tags.item.1=x&Tags.item.2=y\
             &Attrs.entry.1.key=k&Attrs.entry.1.value=v&Flat.1=f1&Flat.2=f2&Count=3\
             &At=2015-01-25T08%3A00%3A00Z&Nested.On=true"
        );
        // ec2: lists as `Name.N`, nothing for an empty one.
        let r = EC2
            .request(
                "Op",
                Some(0),
                &serde_json::json!({"Tags": ["x"], "Flat": []}),
            )
            .unwrap();
        assert_eq!(body(&r), "Action=Op&Version=2020-01-08&Tags.1=x");
        let empty = QUERY
            .request("Op", Some(0), &serde_json::json!({"Tags": []}))
            .unwrap();
        assert_eq!(body(&empty), "Action=Op&Version=2020-01-08&Tags=");
    }

    #[derive(serde::Deserialize, Default, Debug, PartialEq)]
    struct Out {
        #[serde(rename = "Name")]
        name: Option<String>,
        #[serde(rename = "Tags")]
        tags: Option<Vec<String>>,
        #[serde(rename = "Attrs")]
        attrs: Option<std::collections::BTreeMap<String, String>>,
        #[serde(rename = "Flat")]
        flat: Option<Vec<String>>,
        #[serde(rename = "Count")]
        count: Option<i64>,
        #[serde(skip)]
        id: Option<String>,
    }

    impl SetRequestId for Out {
        fn set_request_id(&mut self, id: Option<String>) {
            self.id = id;
        }
    }

    #[test]
    fn an_answer_reads_through_its_result_wrapper() {
        let xml = "<OpResponse xmlns=\"https://example.com/\"><OpResult>\
                   <Name>n &amp; m</Name><Tags><item>x</item><item>y</item></Tags>\
                   <Attrs><entry><key>k</key><value>v</value></entry></Attrs>\
                   <Flat>f1</Flat><Flat>f2</Flat><Count> 7 </Count><Unknown>z</Unknown>\
                   </OpResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></OpResponse>";
        let resp = Response {
            status: 200,
            request_id: None,
            headers: Default::default(),
            body: xml.as_bytes().to_vec().into(),
        };
        let out: Out = QUERY.parse_output(resp, Some(0), Some("OpResult")).unwrap();
        assert_eq!(out.name.as_deref(), Some("n & m"));
        assert_eq!(out.tags, Some(vec!["x".into(), "y".into()]));
        assert_eq!(out.attrs.unwrap()["k"], "v");
        assert_eq!(out.flat, Some(vec!["f1".into(), "f2".into()]));
        assert_eq!(out.count, Some(7));
        assert_eq!(out.id.as_deref(), Some("req-1"));
    }

    #[test]
    fn errors_read_code_message_and_request_id() {
        let xml = b"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code>\
                    <Message>gone</Message></Error><RequestId>r-9</RequestId></ErrorResponse>";
        let meta = QUERY.error_metadata(404, &Default::default(), xml);
        assert_eq!(meta.code(), "NoSuchEntity");
        assert_eq!(meta.message(), Some("gone"));
        assert_eq!(meta.request_id(), Some("r-9"));
        // An empty `<Message/>` is no message, as botocore reads it.
        let empty = QUERY.error_metadata(
            400,
            &Default::default(),
            b"<ErrorResponse><Error><Code>X</Code><Message></Message></Error></ErrorResponse>",
        );
        assert_eq!(empty.message(), None);
        let html = QUERY.error_metadata(502, &Default::default(), b"<html><body>bad gateway");
        assert_eq!(html.code(), "502");
        assert_eq!(html.message(), Some("<html><body>bad gateway"));
    }
}
