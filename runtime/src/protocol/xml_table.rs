//! The model's shapes as the XML protocols (query, ec2, rest-xml) read and write them:
//! a table generated code gives ([`Shape`], by index), what botocore's XML serializers
//! and parsers read of the model (element and form names, flattened lists and maps,
//! list member and map entry names, attributes, namespaces, what each scalar's text
//! is).
//!
//! `xml_de` reads a parsed document ([`crate::xml`]) into the generated types with it,
//! as botocore's `BaseXMLResponseParser` walks ElementTree; [`Table::write`] walks a
//! serde form into an XML body with quick-xml's writer, as `RestXMLSerializer` does.
//! (The query form body, which is not XML, is `query`'s.) Both recurse with the model's
//! shapes, so a recursive shape's depth is bounded: 100 levels.

use crate::xml::Node;
use crate::RequestError;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use serde_json::Value;

/// An element's namespace declaration: the attribute (`xmlns` or `xmlns:prefix`) and
/// the URI.
pub type Ns = Option<(&'static str, &'static str)>;

/// The table of one model.
#[derive(Debug, Clone, Copy)]
pub struct Table(pub &'static [Shape]);

/// One shape of a model, as the XML protocols need it. Shapes refer to each other by
/// their index in the table.
#[derive(Debug)]
pub enum Shape {
    /// A structure: its members in model order.
    Struct(&'static [Member]),
    /// A union: as a structure, one member set; an element the model does not name is
    /// read as a member of that name (the type's `Unknown`).
    Union(&'static [Member]),
    /// A list: its element's shape, the element's name (`member` unless the model names
    /// it), and whether it is flattened (elements repeated in place of a wrapper).
    List {
        /// The element's shape.
        member: u32,
        /// The element's name.
        member_name: &'static str,
        /// Elements repeated in place of a wrapper.
        flattened: bool,
        /// The element's namespace (its reference's `xmlNamespace`).
        member_ns: Ns,
    },
    /// A map: key and value shapes and names (`key`, `value` unless named), flattened or
    /// in `entry` elements.
    Map {
        /// The key's shape.
        key: u32,
        /// The value's shape.
        value: u32,
        /// The key's element name.
        key_name: &'static str,
        /// The value's element name.
        value_name: &'static str,
        /// Entries repeated in place of a wrapper of `entry` elements.
        flattened: bool,
        /// The key's namespace.
        key_ns: Ns,
        /// The value's namespace.
        value_ns: Ns,
    },
    /// A scalar.
    Scalar(Scalar),
}

/// A structure's member.
#[derive(Debug)]
pub struct Member {
    /// Its key in the structure's serde form.
    pub serde: &'static str,
    /// Its element's name (`locationName`, or the member name).
    pub xml: &'static str,
    /// Its form key (the same as `xml` for query; ec2's `queryName` or capitalized name).
    pub query: &'static str,
    /// Its shape's index.
    pub shape: u32,
    /// A flattened list or map (on the member or on its shape).
    pub flattened: bool,
    /// Read from an attribute of the structure's element (`xmlAttribute`).
    pub attribute: bool,
    /// Its element's namespace (`xmlNamespace` of the member, else of its shape).
    pub ns: Ns,
}

/// What a scalar is, for its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// A string or string enum.
    String,
    /// `true` or `false`.
    Bool,
    /// Any integer.
    Integer,
    /// A double (`NaN`, `Infinity`, `-Infinity` as text).
    Float,
    /// A 32-bit float, written at its own precision (`1.2`, not `1.2000000476837158`).
    Float32,
    /// Base64 text.
    Blob,
    /// A timestamp whose serde form is a string (ISO 8601 or HTTP-date, as on the wire).
    TimestampText,
    /// A timestamp whose serde form is epoch seconds (a number).
    TimestampEpoch,
}

/// A serde form read into its type under the parse budget of a body of `body` (8 times
/// its length, at least 64 KiB's): the lists and maps of a response of many tiny
/// elements would otherwise take far more than the body in Rust.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    value: Value,
    body: &[u8],
) -> Result<T, serde_json::Error> {
    crate::wire::with_budget(super::aws_json::parse_budget(body), || {
        serde_json::from_value(value)
    })
}

/// How deep a document may nest the model's recursive shapes (botocore stops at
/// Python's recursion limit; serde's own reads recurse too).
const MAX_DEPTH: usize = 100;

impl Table {
    fn shape(&self, index: u32) -> Result<&'static Shape, RequestError> {
        self.0
            .get(index as usize)
            .ok_or_else(|| write_error(format!("no shape {index} in the model's table")))
    }

    /// `value` (the serde form of shape `shape`) as an XML document whose root is named
    /// `root`, as botocore's `RestXMLSerializer` writes a body: members in model order,
    /// `xmlAttribute` members as attributes, namespaces declared where the model puts
    /// them, unset members left out. No XML declaration (botocore's `tostring` writes
    /// one; neither S3 nor the others need it).
    pub fn write(
        &self,
        value: &Value,
        shape: u32,
        root: &str,
        ns: Ns,
    ) -> Result<Vec<u8>, RequestError> {
        let mut w = quick_xml::Writer::new(Vec::with_capacity(256));
        let flattened = matches!(
            self.0.get(shape as usize),
            Some(
                Shape::List {
                    flattened: true,
                    ..
                } | Shape::Map {
                    flattened: true,
                    ..
                }
            )
        );
        self.write_value(&mut w, value, shape, root, ns, flattened, 0)?;
        Ok(w.into_inner())
    }

    #[allow(clippy::too_many_arguments)]
    fn write_value(
        &self,
        w: &mut quick_xml::Writer<Vec<u8>>,
        value: &Value,
        shape: u32,
        name: &str,
        ns: Ns,
        flattened: bool,
        depth: usize,
    ) -> Result<(), RequestError> {
        if depth > MAX_DEPTH {
            return Err(write_error("the input nests deeper than 100 levels"));
        }
        let depth = depth + 1;
        let start = |attributes: &[(&str, String)]| {
            let mut e = BytesStart::new(name);
            if let Some((attr, uri)) = ns {
                e.push_attribute((attr, uri));
            }
            for (k, v) in attributes {
                e.push_attribute((*k, v.as_str()));
            }
            e
        };
        let shape_entry = self.shape(shape)?;
        match (shape_entry, value) {
            (_, Value::Null) => {}
            (Shape::Struct(members) | Shape::Union(members), Value::Object(map)) => {
                let mut attributes = Vec::new();
                for m in members.iter().filter(|m| m.attribute) {
                    if let Some(v) = map.get(m.serde).filter(|v| !v.is_null()) {
                        attributes.push((m.xml, scalar_text(Scalar::String, v)?));
                    }
                }
                event(w, Event::Start(start(&attributes)))?;
                for m in members.iter().filter(|m| !m.attribute) {
                    if let Some(v) = map.get(m.serde) {
                        self.write_value(w, v, m.shape, m.xml, m.ns, m.flattened, depth)?;
                    }
                }
                event(w, Event::End(BytesEnd::new(name)))?;
            }
            (
                Shape::List {
                    member,
                    member_name,
                    member_ns,
                    ..
                },
                Value::Array(items),
            ) => {
                let inner_flattened = self.flattened(*member);
                if flattened {
                    // Each element in place, under the member's own name.
                    for item in items {
                        self.write_value(
                            w,
                            item,
                            *member,
                            name,
                            *member_ns,
                            inner_flattened,
                            depth,
                        )?;
                    }
                } else {
                    event(w, Event::Start(start(&[])))?;
                    for item in items {
                        self.write_value(
                            w,
                            item,
                            *member,
                            member_name,
                            *member_ns,
                            inner_flattened,
                            depth,
                        )?;
                    }
                    event(w, Event::End(BytesEnd::new(name)))?;
                }
            }
            (
                Shape::Map {
                    key,
                    value: value_shape,
                    key_name,
                    value_name,
                    key_ns,
                    value_ns,
                    ..
                },
                Value::Object(entries),
            ) => {
                let value_flattened = self.flattened(*value_shape);
                if !flattened {
                    event(w, Event::Start(start(&[])))?;
                }
                // A flattened map repeats the member's element (without its namespace,
                // as botocore writes it) for each entry; otherwise `entry` elements.
                let entry = if flattened { name } else { "entry" };
                for (k, v) in entries {
                    event(w, Event::Start(BytesStart::new(entry)))?;
                    let k = Value::String(k.clone());
                    self.write_value(w, &k, *key, key_name, *key_ns, false, depth)?;
                    self.write_value(
                        w,
                        v,
                        *value_shape,
                        value_name,
                        *value_ns,
                        value_flattened,
                        depth,
                    )?;
                    event(w, Event::End(BytesEnd::new(entry)))?;
                }
                if !flattened {
                    event(w, Event::End(BytesEnd::new(name)))?;
                }
            }
            (Shape::Scalar(s), v) => {
                let text = scalar_text(*s, v)?;
                event(w, Event::Start(start(&[])))?;
                if !text.is_empty() {
                    event(w, Event::Text(BytesText::new(&text)))?;
                }
                event(w, Event::End(BytesEnd::new(name)))?;
            }
            (_, other) => {
                return Err(write_error(format!(
                    "the serde form of `{}` does not fit its shape: {other}",
                    name.escape_debug()
                )))
            }
        }
        Ok(())
    }

    /// Whether a shape, reached as a list element or map value, is a flattened list or
    /// map of its own.
    fn flattened(&self, shape: u32) -> bool {
        matches!(
            self.0.get(shape as usize),
            Some(
                Shape::List {
                    flattened: true,
                    ..
                } | Shape::Map {
                    flattened: true,
                    ..
                }
            )
        )
    }
}

fn write_error(message: impl Into<String>) -> RequestError {
    RequestError::Build {
        message: message.into(),
    }
}

fn event(w: &mut quick_xml::Writer<Vec<u8>>, e: Event<'_>) -> Result<(), RequestError> {
    w.write_event(e)
        .map_err(|e| write_error(format!("writing XML: {e}")))
}

/// The element of an error body that holds a fault's members, as botocore's
/// `_get_error_root` finds it: `<Error>` inside `<ErrorResponse>` (query, Route 53,
/// CloudFront), `<Errors><Error>` inside ec2's `<Response>`, else the root (S3's
/// `<Error>`).
pub(crate) fn error_root<'a>(root: Node<'a>, ec2: bool) -> Node<'a> {
    let inner = if ec2 {
        root.child("Errors").and_then(|e| e.child("Error"))
    } else if root.name() == "ErrorResponse" {
        root.child("Error")
    } else {
        None
    };
    inner.unwrap_or(root)
}

/// A fault of an XML protocol's service, read from an error body (generated for each
/// fault: its entry in the service's table).
pub trait XmlFault: Sized {
    /// The fault's members from `body` (the default when it does not read).
    fn from_xml(body: &[u8]) -> Self;
}

/// [`XmlFault::from_xml`] as the function generated errors call for every protocol.
pub fn parse_fault<T: XmlFault>(body: &[u8]) -> T {
    T::from_xml(body)
}

/// A scalar's serde form as its form text, as botocore writes it.
pub(crate) fn scalar_text(s: Scalar, v: &Value) -> Result<String, RequestError> {
    Ok(match v {
        Value::String(t) => t.clone(),
        Value::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        Value::Number(n) => match (s, n.as_i64(), n.as_f64()) {
            // Whole seconds, as botocore writes `unixTimestamp` (its default precision
            // drops the fraction).
            (Scalar::TimestampEpoch, _, Some(f)) => format!("{}", f.floor() as i64),
            (Scalar::Float, _, Some(f)) => super::rest::float_text(f),
            (Scalar::Float32, _, Some(f)) => super::rest::float_text_f32(f as f32),
            (_, Some(i), _) => i.to_string(),
            (_, None, Some(f)) => super::rest::float_text(f),
            _ => n.to_string(),
        },
        other => {
            return Err(write_error(format!(
                "a scalar's serde form is a string, number or boolean, not {other}"
            )))
        }
    })
}
