//! The model's shapes as the XML protocols (query, ec2, rest-xml) read and write them:
//! a table generated code gives ([`Shape`], by index), what botocore's XML serializers
//! and parsers read of the model (element and form names, flattened lists and maps,
//! list member and map entry names, attributes, namespaces, what each scalar's text
//! is).
//!
//! `xml_de` reads an answer into the generated types with it in one pass over
//! quick-xml's events, as botocore's `BaseXMLResponseParser` walks ElementTree;
//! [`Table::write`] walks a
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
        let mut out = Writer {
            table: *self,
            w: quick_xml::Writer::new(Vec::with_capacity(256)),
        };
        let at = Place {
            name: root,
            ns,
            flattened: self.flattened(shape),
        };
        out.value(value, shape, at, 0)?;
        Ok(out.w.into_inner())
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

/// Where a value is written: its element's name and namespace, and whether a list or
/// map there is flattened (the member's trait, or the shape's own).
#[derive(Clone, Copy)]
struct Place<'n> {
    name: &'n str,
    ns: Ns,
    flattened: bool,
}

/// One body being written.
struct Writer {
    table: Table,
    w: quick_xml::Writer<Vec<u8>>,
}

impl Writer {
    fn value(
        &mut self,
        value: &Value,
        shape: u32,
        at: Place<'_>,
        depth: usize,
    ) -> Result<(), RequestError> {
        if depth > MAX_DEPTH {
            return Err(write_error("the input nests deeper than 100 levels"));
        }
        match (self.table.shape(shape)?, value) {
            (_, Value::Null) => Ok(()),
            (Shape::Struct(members) | Shape::Union(members), Value::Object(map)) => {
                self.structure(members, map, at, depth + 1)
            }
            (Shape::List { .. }, Value::Array(items)) => self.list(items, shape, at, depth + 1),
            (Shape::Map { .. }, Value::Object(entries)) => self.map(entries, shape, at, depth + 1),
            (Shape::Scalar(s), v) => {
                let text = scalar_text(*s, v)?;
                event(&mut self.w, Event::Start(start(at, &[])))?;
                if !text.is_empty() {
                    event(&mut self.w, Event::Text(BytesText::new(&text)))?;
                }
                event(&mut self.w, Event::End(BytesEnd::new(at.name)))
            }
            (_, other) => Err(write_error(format!(
                "the serde form of `{}` does not fit its shape: {other}",
                at.name.escape_debug()
            ))),
        }
    }

    fn structure(
        &mut self,
        members: &[Member],
        map: &serde_json::Map<String, Value>,
        at: Place<'_>,
        depth: usize,
    ) -> Result<(), RequestError> {
        let mut attributes = Vec::new();
        for m in members.iter().filter(|m| m.attribute) {
            if let Some(v) = map.get(m.serde).filter(|v| !v.is_null()) {
                attributes.push((m.xml, scalar_text(Scalar::String, v)?));
            }
        }
        event(&mut self.w, Event::Start(start(at, &attributes)))?;
        for m in members.iter().filter(|m| !m.attribute) {
            if let Some(v) = map.get(m.serde) {
                let place = Place {
                    name: m.xml,
                    ns: m.ns,
                    flattened: m.flattened,
                };
                self.value(v, m.shape, place, depth)?;
            }
        }
        event(&mut self.w, Event::End(BytesEnd::new(at.name)))
    }

    /// A list: each element in place under the member's own name when flattened, else
    /// inside the member's element under the list member's name.
    fn list(
        &mut self,
        items: &[Value],
        shape: u32,
        at: Place<'_>,
        depth: usize,
    ) -> Result<(), RequestError> {
        let Shape::List {
            member,
            member_name,
            member_ns,
            ..
        } = self.table.shape(shape)?
        else {
            return Err(write_error("not a list"));
        };
        let item = Place {
            name: if at.flattened { at.name } else { member_name },
            ns: *member_ns,
            flattened: self.table.flattened(*member),
        };
        if !at.flattened {
            event(&mut self.w, Event::Start(start(at, &[])))?;
        }
        for v in items {
            self.value(v, *member, item, depth)?;
        }
        if !at.flattened {
            event(&mut self.w, Event::End(BytesEnd::new(at.name)))?;
        }
        Ok(())
    }

    /// A map: `entry` elements inside the member's, or the member's element repeated for
    /// each entry when flattened (without its namespace, as botocore writes it).
    fn map(
        &mut self,
        entries: &serde_json::Map<String, Value>,
        shape: u32,
        at: Place<'_>,
        depth: usize,
    ) -> Result<(), RequestError> {
        let Shape::Map {
            key,
            value,
            key_name,
            value_name,
            key_ns,
            value_ns,
            ..
        } = self.table.shape(shape)?
        else {
            return Err(write_error("not a map"));
        };
        let key_at = Place {
            name: key_name,
            ns: *key_ns,
            flattened: false,
        };
        let value_at = Place {
            name: value_name,
            ns: *value_ns,
            flattened: self.table.flattened(*value),
        };
        if !at.flattened {
            event(&mut self.w, Event::Start(start(at, &[])))?;
        }
        let entry = if at.flattened { at.name } else { "entry" };
        for (k, v) in entries {
            event(&mut self.w, Event::Start(BytesStart::new(entry)))?;
            self.value(&Value::String(k.clone()), *key, key_at, depth)?;
            self.value(v, *value, value_at, depth)?;
            event(&mut self.w, Event::End(BytesEnd::new(entry)))?;
        }
        if !at.flattened {
            event(&mut self.w, Event::End(BytesEnd::new(at.name)))?;
        }
        Ok(())
    }
}

/// The start tag of `at`, with its namespace declaration and `attributes`.
fn start<'n>(at: Place<'n>, attributes: &[(&str, String)]) -> BytesStart<'n> {
    let mut e = BytesStart::new(at.name);
    if let Some((attr, uri)) = at.ns {
        e.push_attribute((attr, uri));
    }
    for (k, v) in attributes {
        e.push_attribute((*k, v.as_str()));
    }
    e
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
/// `<Error>`). (`xml_de::Target::Fault` finds the same element for a fault's members
/// without a tree.)
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
