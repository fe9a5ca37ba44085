//! The model's shapes as the XML protocols (query, ec2, rest-xml) read and write them:
//! a table generated code gives ([`Shape`], by index), what botocore's XML serializers
//! and parsers read of the model (element and form names, flattened lists and maps,
//! list member and map entry names, attributes, namespaces, what each scalar's text
//! is).
//!
//! [`Table::read`] walks a parsed document ([`crate::xml`]) into a structure's serde
//! form (`serde_json::Value`), which the generated type's own `Deserialize` then reads,
//! as botocore's `BaseXMLResponseParser` walks ElementTree. [`Table::write`] walks a
//! serde form into an XML body with quick-xml's writer, as `RestXMLSerializer` does.
//! (The query form body, which is not XML, is `query`'s.) Both recurse with the model's
//! shapes, so a recursive shape's depth is bounded: 100 levels.

use crate::xml::Node;
use crate::RequestError;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use serde_json::{Map, Value};

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

/// How deep a document may nest the model's recursive shapes (botocore stops at
/// Python's recursion limit; serde's own reads recurse too).
const MAX_DEPTH: usize = 100;

impl Table {
    fn shape(&self, index: u32) -> Result<&'static Shape, ReadError> {
        self.0.get(index as usize).ok_or(ReadError::NoShape(index))
    }

    /// The serde form of `node` read as shape `shape`.
    pub(crate) fn read(&self, node: Node<'_>, shape: u32) -> Result<Value, ReadError> {
        self.read_at(node, shape, 0)
    }

    fn read_at(&self, node: Node<'_>, shape: u32, depth: usize) -> Result<Value, ReadError> {
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep);
        }
        let depth = depth + 1;
        match self.shape(shape)? {
            Shape::Struct(members) | Shape::Union(members) => {
                let mut map = Map::new();
                for m in *members {
                    if m.attribute {
                        if let Some(v) = node.attribute(m.xml) {
                            map.insert(m.serde.to_string(), Value::String(v.to_string()));
                        }
                        continue;
                    }
                    let value = match self.shape(m.shape)? {
                        Shape::List {
                            member,
                            member_name,
                            ..
                        } if m.flattened => {
                            // Repeated elements in place, named after the list's member
                            // when the model names it.
                            let name = if *member_name == "member" {
                                m.xml
                            } else {
                                member_name
                            };
                            let mut list = Vec::new();
                            for item in node.children().filter(|c| c.name() == name) {
                                list.push(self.read_at(item, *member, depth)?);
                            }
                            if list.is_empty() {
                                continue;
                            }
                            Value::Array(list)
                        }
                        Shape::Map { .. } if m.flattened => {
                            let entries: Vec<Node<'_>> =
                                node.children().filter(|c| c.name() == m.xml).collect();
                            if entries.is_empty() {
                                continue;
                            }
                            self.read_entries(&entries, m.shape, depth)?
                        }
                        _ => match node.child(m.xml) {
                            Some(child) => self.read_at(child, m.shape, depth)?,
                            None => continue,
                        },
                    };
                    map.insert(m.serde.to_string(), value);
                }
                if map.is_empty() && matches!(self.shape(shape)?, Shape::Union(_)) {
                    if let Some(other) = node.children().next() {
                        map.insert(other.name().to_string(), Value::String(other.text().into()));
                    }
                }
                Ok(Value::Object(map))
            }
            Shape::List { member, .. } => {
                // A wrapped list: every child is an element, whatever its name (as
                // botocore reads them).
                let mut list = Vec::new();
                for item in node.children() {
                    list.push(self.read_at(item, *member, depth)?);
                }
                Ok(Value::Array(list))
            }
            Shape::Map { .. } => {
                let entries: Vec<Node<'_>> = node.children().collect();
                self.read_entries(&entries, shape, depth)
            }
            Shape::Scalar(s) => scalar_value(*s, node.text()),
        }
    }

    /// A map from its entries (`<entry>` elements, or a flattened map's repeated ones),
    /// each holding a key and a value element.
    fn read_entries(
        &self,
        entries: &[Node<'_>],
        shape: u32,
        depth: usize,
    ) -> Result<Value, ReadError> {
        let Shape::Map {
            key,
            value,
            key_name,
            value_name,
            ..
        } = self.shape(shape)?
        else {
            return Err(ReadError::NoShape(shape));
        };
        let mut map = Map::new();
        for entry in entries {
            let (Some(k), Some(v)) = (entry.child(key_name), entry.child(value_name)) else {
                continue;
            };
            let k = match self.read_at(k, *key, depth)? {
                Value::String(s) => s,
                other => other.to_string(),
            };
            map.insert(k, self.read_at(v, *value, depth)?);
        }
        Ok(Value::Object(map))
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
        let shape_entry = self.shape(shape).map_err(|e| write_error(e.to_string()))?;
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

/// Why an XML answer does not read as its shape.
#[derive(Debug)]
pub(crate) enum ReadError {
    NoShape(u32),
    Scalar(&'static str, String),
    TooDeep,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NoShape(i) => write!(f, "no shape {i} in the model's table"),
            ReadError::TooDeep => write!(f, "the document nests deeper than {MAX_DEPTH} elements"),
            ReadError::Scalar(what, text) => {
                let shown: String = text.chars().take(64).collect();
                write!(f, "`{}` is not {what}", shown.escape_debug())
            }
        }
    }
}

/// A scalar's text as its serde form.
pub(crate) fn scalar_value(s: Scalar, text: &str) -> Result<Value, ReadError> {
    let bad = |what| ReadError::Scalar(what, text.to_string());
    Ok(match s {
        Scalar::String | Scalar::Blob | Scalar::TimestampText => Value::String(text.to_string()),
        Scalar::Bool => match text.trim() {
            "true" => Value::Bool(true),
            // botocore reads anything but `true` as false.
            _ => Value::Bool(false),
        },
        Scalar::Integer => Value::from(text.trim().parse::<i64>().map_err(|_| bad("an integer"))?),
        Scalar::Float | Scalar::Float32 => {
            let t = text.trim();
            match t {
                "NaN" | "Infinity" | "-Infinity" => Value::String(t.to_string()),
                _ => {
                    let f = t.parse::<f64>().map_err(|_| bad("a number"))?;
                    serde_json::Number::from_f64(f)
                        .map(Value::Number)
                        .ok_or_else(|| bad("a finite number"))?
                }
            }
        }
        Scalar::TimestampEpoch => {
            let f = text.trim().parse::<f64>().map_err(|_| bad("a timestamp"))?;
            serde_json::Number::from_f64(f)
                .map(Value::Number)
                .ok_or_else(|| bad("a timestamp"))?
        }
    })
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
