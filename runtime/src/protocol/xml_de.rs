//! Reading an XML answer into its generated type: a serde `Deserializer` over the parsed
//! tree ([`crate::xml`]) that walks the model's shape table ([`Table`]) as botocore's
//! `BaseXMLResponseParser` walks ElementTree, handing the generated `Deserialize` impls
//! each member as its serde form would (strings, numbers, booleans, lists, maps),
//! without building that serde form in memory first: a `serde_json::Value` of the answer
//! took more heap than the document itself (a `BTreeMap` node per structure).
//!
//! A structure yields the members the element has (an attribute, the repeated elements
//! of a flattened list or map, else the first child of the member's name); a wrapped
//! list every child, whatever its name; a map its entries' key and value; a union with
//! no known member its first child, by name (the type's `Unknown`). Depth follows the
//! document only as far as the model's shapes nest, and at most 100 levels.

use super::xml_table::{Member, Scalar, Shape, Table};
use crate::xml::Node;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// How deep an answer may nest the model's recursive shapes.
const MAX_DEPTH: usize = 100;

/// Why an XML answer does not read as its type.
#[derive(Debug)]
pub(crate) struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

/// `node` read as shape `shape` into `T`, under the parse budget of a body of `body`
/// (8 times its length, at least 64 KiB's) less what the document took: the tree and the
/// typed answer are alive together.
pub(crate) fn from_node<T: de::DeserializeOwned>(
    table: Table,
    node: Node<'_>,
    shape: u32,
    body: &[u8],
) -> Result<T, DeError> {
    let budget = super::aws_json::parse_budget(body).saturating_sub(node.document().memory());
    crate::wire::with_budget(budget, || {
        T::deserialize(De {
            table,
            what: What::Node(node, shape),
            depth: 0,
        })
    })
}

/// What a deserializer reads.
enum What<'a> {
    /// An element, as a shape of the table.
    Node(Node<'a>, u32),
    /// A flattened list's elements, as its member shape.
    Items(Vec<Node<'a>>, u32),
    /// A flattened map's entries, as the map shape.
    Entries(Vec<Node<'a>>, u32),
    /// Text as it is (an attribute, an unknown union member).
    Text(&'a str),
}

struct De<'a> {
    table: Table,
    what: What<'a>,
    depth: usize,
}

impl<'a> De<'a> {
    fn shape(&self, index: u32) -> Result<&'static Shape, DeError> {
        self.table
            .0
            .get(index as usize)
            .ok_or_else(|| DeError(format!("no shape {index} in the model's table")))
    }

    fn child(&self, what: What<'a>) -> Result<De<'a>, DeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DeError(format!(
                "the answer nests deeper than {MAX_DEPTH} elements"
            )));
        }
        Ok(De {
            table: self.table,
            what,
            depth: self.depth + 1,
        })
    }
}

impl<'de, 'a> de::Deserializer<'de> for De<'a> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let De { table, what, depth } = self;
        // What the accessors below look shapes up in and make children of.
        let de = De {
            table,
            what: What::Text(""),
            depth,
        };
        match what {
            What::Text(t) => visitor.visit_str(t),
            What::Items(nodes, member) => visitor.visit_seq(Items {
                de: &de,
                nodes: nodes.into_iter(),
                shape: member,
            }),
            What::Entries(nodes, map) => de.entries(nodes, map, visitor),
            What::Node(node, shape) => match de.shape(shape)? {
                shape @ (Shape::Struct(members) | Shape::Union(members)) => {
                    visitor.visit_map(Members {
                        de: &de,
                        node,
                        members,
                        next: 0,
                        value: None,
                        union: matches!(shape, Shape::Union(_)),
                        found: false,
                    })
                }
                Shape::List { member, .. } => visitor.visit_seq(Items {
                    de: &de,
                    nodes: node.children().collect::<Vec<_>>().into_iter(),
                    shape: *member,
                }),
                Shape::Map { .. } => de.entries(node.children().collect(), shape, visitor),
                Shape::Scalar(s) => scalar(*s, node.text(), visitor),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // An element that is there is a value; absent members are never yielded.
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'a> De<'a> {
    fn entries<'de, V: Visitor<'de>>(
        &self,
        nodes: Vec<Node<'a>>,
        map: u32,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let Shape::Map {
            key,
            value,
            key_name,
            value_name,
            ..
        } = self.shape(map)?
        else {
            return Err(DeError(format!("shape {map} is not a map")));
        };
        visitor.visit_map(Entries {
            de: self,
            nodes: nodes.into_iter(),
            key: (*key, key_name),
            value: (*value, value_name),
            pending: None,
        })
    }
}

/// A scalar's text as its serde form: strings, blobs (base64) and text timestamps as
/// strings; `true` (anything else is false, as botocore reads it); integers; floats,
/// with `NaN`, `Infinity`, `-Infinity` as text; epoch timestamps as numbers.
fn scalar<'de, V: Visitor<'de>>(s: Scalar, text: &str, visitor: V) -> Result<V::Value, DeError> {
    let bad = |what: &str| {
        let shown: String = text.chars().take(64).collect();
        DeError(format!("`{}` is not {what}", shown.escape_debug()))
    };
    match s {
        Scalar::String | Scalar::Blob | Scalar::TimestampText => visitor.visit_str(text),
        Scalar::Bool => visitor.visit_bool(text.trim() == "true"),
        Scalar::Integer => {
            let t = text.trim();
            match t.parse::<u64>() {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(t.parse::<i64>().map_err(|_| bad("an integer"))?),
            }
        }
        Scalar::Float | Scalar::Float32 => match text.trim() {
            t @ ("NaN" | "Infinity" | "-Infinity") => visitor.visit_str(t),
            t => {
                let f = t.parse::<f64>().map_err(|_| bad("a number"))?;
                if !f.is_finite() {
                    return Err(bad("a finite number"));
                }
                visitor.visit_f64(f)
            }
        },
        Scalar::TimestampEpoch => {
            let f = text.trim().parse::<f64>().map_err(|_| bad("a timestamp"))?;
            if !f.is_finite() {
                return Err(bad("a timestamp"));
            }
            visitor.visit_f64(f)
        }
    }
}

/// A structure's members that the element has, in model order.
struct Members<'d, 'a> {
    de: &'d De<'a>,
    node: Node<'a>,
    members: &'static [Member],
    next: usize,
    value: Option<What<'a>>,
    union: bool,
    found: bool,
}

impl<'a> Members<'_, 'a> {
    /// What member `m` reads from, when the element has it.
    fn member(&self, m: &Member) -> Result<Option<What<'a>>, DeError> {
        if m.attribute {
            return Ok(self.node.attribute(m.xml).map(What::Text));
        }
        Ok(match self.de.shape(m.shape)? {
            Shape::List {
                member,
                member_name,
                ..
            } if m.flattened => {
                // Repeated elements in place, named after the list's member when the
                // model names it.
                let name = if *member_name == "member" {
                    m.xml
                } else {
                    member_name
                };
                let items: Vec<Node<'a>> =
                    self.node.children().filter(|c| c.name() == name).collect();
                (!items.is_empty()).then_some(What::Items(items, *member))
            }
            Shape::Map { .. } if m.flattened => {
                let entries: Vec<Node<'a>> =
                    self.node.children().filter(|c| c.name() == m.xml).collect();
                (!entries.is_empty()).then_some(What::Entries(entries, m.shape))
            }
            _ => self.node.child(m.xml).map(|c| What::Node(c, m.shape)),
        })
    }
}

impl<'de, 'a> MapAccess<'de> for Members<'_, 'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        while let Some(m) = self.members.get(self.next) {
            self.next += 1;
            if let Some(what) = self.member(m)? {
                self.value = Some(what);
                self.found = true;
                let key: de::value::StrDeserializer<'_, DeError> = m.serde.into_deserializer();
                return seed.deserialize(key).map(Some);
            }
        }
        // A union none of whose members is there: its first child, by name.
        if self.union && !self.found {
            self.found = true;
            if let Some(other) = self.node.children().next() {
                self.value = Some(What::Text(other.text()));
                let key: de::value::StrDeserializer<'_, DeError> = other.name().into_deserializer();
                return seed.deserialize(key).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let what = self
            .value
            .take()
            .ok_or_else(|| DeError("a value without a key".into()))?;
        seed.deserialize(self.de.child(what)?)
    }
}

/// A list's elements.
struct Items<'d, 'a> {
    de: &'d De<'a>,
    nodes: std::vec::IntoIter<Node<'a>>,
    shape: u32,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.nodes.next() {
            Some(n) => seed
                .deserialize(self.de.child(What::Node(n, self.shape))?)
                .map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.nodes.len())
    }
}

/// A map's entries (`<entry>` elements, or a flattened map's repeated ones), each with a
/// key and a value element; an entry without both is skipped.
struct Entries<'d, 'a> {
    de: &'d De<'a>,
    nodes: std::vec::IntoIter<Node<'a>>,
    key: (u32, &'static str),
    value: (u32, &'static str),
    pending: Option<Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        for entry in self.nodes.by_ref() {
            let (Some(k), Some(v)) = (entry.child(self.key.1), entry.child(self.value.1)) else {
                continue;
            };
            self.pending = Some(v);
            return seed
                .deserialize(self.de.child(What::Node(k, self.key.0))?)
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let v = self
            .pending
            .take()
            .ok_or_else(|| DeError("a value without a key".into()))?;
        seed.deserialize(self.de.child(What::Node(v, self.value.0))?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.nodes.len())
    }
}
