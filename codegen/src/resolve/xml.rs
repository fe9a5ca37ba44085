//! The shape table of the XML protocols ([`ir::XmlSchema`]): every shape the selected
//! operations reach, with what botocore's `QuerySerializer`, `RestXMLSerializer` and
//! their parsers read of it (element and form names, flattened lists and maps, list
//! member and map entry names, attributes, namespaces, what each scalar's text is; for
//! rest-xml, only the members in the body, and each operation's body root). Structures bridge to the generated serde
//! forms by each member's serde key (its `locationName`, or its name, as
//! [`ir::Field::wire`]).
//!
//! A scalar's entry depends on the reference too (a member's `timestampFormat`), so
//! entries are keyed by the shape and that format.

use super::reach::Reach;
use crate::checked::{self, Kind};
use crate::error::{Error, Location, Result};
use crate::ir::{self, RustType, TimestampFormat, XmlMember, XmlScalar, XmlShape};
use crate::model::Member;
use std::collections::BTreeMap;

/// Each structure's (and union's) serde keys in member order, by model shape name, as the
/// resolved types have them (`Field::wire`).
pub(super) type SerdeKeys = BTreeMap<String, Vec<String>>;

/// The table for `model`'s selected operations and faults.
pub(super) fn schema(
    model: &checked::Model<'_>,
    reach: &Reach,
    keys: &SerdeKeys,
) -> Result<ir::XmlSchema> {
    let mut b = Builder {
        model,
        keys,
        shapes: Vec::new(),
        index: BTreeMap::new(),
        todo: Vec::new(),
    };
    let mut operations = BTreeMap::new();
    for name in &reach.ops {
        let Some(op) = model.raw.operations.get(name) else {
            continue;
        };
        let entry = if model.protocol == ir::ProtocolKind::RestXml {
            let (input, input_root, input_ns) = match &op.input {
                Some(r) => b.rest_body(r)?,
                None => (None, String::new(), None),
            };
            let output = match &op.output {
                Some(r) => b.rest_body(r)?.0,
                None => None,
            };
            ir::XmlOperation {
                input,
                output,
                wrapper: None,
                input_root,
                input_ns,
            }
        } else {
            ir::XmlOperation {
                input: op.input.as_ref().map(|r| b.named(&r.shape)).transpose()?,
                output: op.output.as_ref().map(|r| b.named(&r.shape)).transpose()?,
                wrapper: op.output.as_ref().and_then(|r| r.result_wrapper.clone()),
                input_root: String::new(),
                input_ns: None,
            }
        };
        operations.insert(name.clone(), entry);
    }
    let mut faults = BTreeMap::new();
    for name in &reach.errors {
        faults.insert(name.clone(), b.named(name)?);
    }
    let events = if model.protocol == ir::ProtocolKind::RestXml {
        event_entries(model, reach, &mut b)?
    } else {
        BTreeMap::new()
    };
    b.finish()?;
    Ok(ir::XmlSchema {
        shapes: b.shapes,
        operations,
        faults,
        events,
    })
}

/// The XML payloads of rest-xml output event streams (S3's `SelectObjectContent`): the
/// entry of each event's structure, and of its `eventpayload` structure, by shape name.
fn event_entries(
    model: &checked::Model<'_>,
    reach: &Reach,
    b: &mut Builder<'_, '_>,
) -> Result<BTreeMap<String, u32>> {
    let mut events = BTreeMap::new();
    for name in &reach.ops {
        let Some(output) = model
            .raw
            .operations
            .get(name)
            .and_then(|o| o.output.as_ref())
        else {
            continue;
        };
        let streams = model
            .children(&output.shape)
            .into_iter()
            .filter(|m| model.shape(&m.shape).is_some_and(|t| t.raw.eventstream));
        for stream in streams {
            for event in model.children(&stream.shape) {
                if model.shape(&event.shape).is_some_and(|t| t.raw.exception) {
                    continue;
                }
                events.insert(event.shape.clone(), b.named(&event.shape)?);
                let Some(Kind::Structure { members, .. }) =
                    model.shape(&event.shape).map(|s| &s.kind)
                else {
                    continue;
                };
                for (_, m) in members.iter().filter(|(_, m)| m.eventpayload) {
                    if let Some(Kind::Structure { .. }) = model.shape(&m.shape).map(|s| &s.kind) {
                        events.insert(m.shape.clone(), b.named(&m.shape)?);
                    }
                }
            }
        }
    }
    Ok(events)
}

/// A member's form key: its `locationName` (`named`: the member's, else its shape's) or
/// its name for query; for ec2 its `queryName`, else that `locationName` capitalized,
/// else its name (botocore's `EC2Serializer`).
fn form_name(protocol: ir::ProtocolKind, name: &str, m: &Member, named: Option<&str>) -> String {
    if protocol != ir::ProtocolKind::Ec2 {
        return named.unwrap_or(name).to_string();
    }
    if let Some(q) = &m.query_name {
        return q.clone();
    }
    match named {
        Some(l) => {
            let mut chars = l.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        None => name.to_string(),
    }
}

/// A namespace declaration: the attribute (`xmlns`, `xmlns:prefix`) and the URI.
type Namespace = Option<(String, String)>;

struct Builder<'m, 'a> {
    model: &'m checked::Model<'a>,
    keys: &'m SerdeKeys,
    shapes: Vec<XmlShape>,
    /// Entries by shape name and, for timestamps, the format the reference reads.
    index: BTreeMap<(String, Option<TimestampFormat>), u32>,
    /// Entries reserved but not yet filled: (index, shape name, format).
    todo: Vec<(u32, String, Option<TimestampFormat>)>,
}

impl Builder<'_, '_> {
    /// The entry of a shape referenced with no member traits (an operation's input).
    fn named(&mut self, shape: &str) -> Result<u32> {
        self.entry(shape, None)
    }

    /// The entry of a member reference: its target, read with the reference's format.
    fn member(&mut self, owner: &str, name: &str, m: &Member) -> Result<u32> {
        let format = match self.model.shape(&m.shape).map(|s| &s.kind) {
            Some(Kind::Timestamp(own)) => Some(
                m.timestamp_format
                    .as_deref()
                    .and_then(TimestampFormat::from_model)
                    .or(*own)
                    .unwrap_or(TimestampFormat::Iso8601),
            ),
            Some(_) => None,
            None => {
                return Err(Error::DanglingReference {
                    at: Location::member(self.model.file, owner, name),
                    target: m.shape.clone(),
                })
            }
        };
        self.entry(&m.shape, format)
    }

    fn entry(&mut self, shape: &str, format: Option<TimestampFormat>) -> Result<u32> {
        let key = (shape.to_string(), format);
        if let Some(&i) = self.index.get(&key) {
            return Ok(i);
        }
        let i = u32::try_from(self.shapes.len()).map_err(|_| Error::MalformedShape {
            at: Location::shape(self.model.file, shape),
            reason: "more shapes than a table holds".into(),
        })?;
        // Reserved now, filled later: a structure may reach itself.
        self.shapes.push(XmlShape::Scalar(XmlScalar::String));
        self.index.insert(key, i);
        self.todo.push((i, shape.to_string(), format));
        Ok(i)
    }

    fn finish(&mut self) -> Result<()> {
        while let Some((i, name, format)) = self.todo.pop() {
            let entry = self.build(&name, format)?;
            self.shapes[i as usize] = entry;
        }
        Ok(())
    }

    /// A rest-xml operation's body (its input or output reference `r`): the entry of the
    /// structure the body is (a structure payload member's target, or the shape itself;
    /// `None` for a blob or string payload, which is the body as it is), the root
    /// element's name and its namespace, each the reference's own, else its shape's (as
    /// botocore merges them), the name falling back to the member's or shape's name.
    fn rest_body(
        &mut self,
        r: &crate::model::ShapeRef,
    ) -> Result<(Option<u32>, String, Namespace)> {
        let model = self.model;
        let Some(shape) = model.shape(&r.shape) else {
            return Err(Error::DanglingReference {
                at: Location::shape(model.file, &r.shape),
                target: r.shape.clone(),
            });
        };
        let payload = shape.raw.payload.as_deref().or(r.payload.as_deref());
        let members = match &shape.kind {
            Kind::Structure { members, .. } => *members,
            _ => &[],
        };
        if let Some(p) = payload {
            let Some((_, member)) = members.iter().find(|(m, _)| m == p) else {
                return Err(Error::MalformedShape {
                    at: Location::shape(model.file, &r.shape),
                    reason: format!("the payload `{}` is not a member", p.escape_debug()),
                });
            };
            let target = model.shape(&member.shape);
            if !matches!(
                target.map(|t| &t.kind),
                Some(Kind::Structure { .. } | Kind::Union { .. })
            ) {
                return Ok((None, String::new(), None));
            }
            let index = self.member(&r.shape, p, member)?;
            let root = self.name_of(member, p);
            return Ok((Some(index), root, self.ns_of(member)));
        }
        let index = self.named(&r.shape)?;
        let root = r
            .location_name
            .clone()
            .or_else(|| shape.raw.location_name.clone())
            .unwrap_or_else(|| r.shape.clone());
        let ns = r
            .xml_namespace
            .as_ref()
            .or(shape.raw.xml_namespace.as_ref())
            .map(|n| n.declaration());
        Ok((Some(index), root, ns))
    }

    /// A reference's namespace: its `xmlNamespace`, else its target shape's.
    fn ns_of(&self, m: &Member) -> Namespace {
        m.xml_namespace
            .as_ref()
            .or_else(|| {
                self.model
                    .shape(&m.shape)
                    .and_then(|s| s.raw.xml_namespace.as_ref())
            })
            .map(|n| n.declaration())
    }

    /// A reference's element name: its `locationName`, else its target shape's (botocore
    /// merges them), else `default`.
    fn name_of(&self, m: &Member, default: &str) -> String {
        m.location_name
            .clone()
            .or_else(|| {
                self.model
                    .shape(&m.shape)
                    .and_then(|s| s.raw.location_name.clone())
            })
            .unwrap_or_else(|| default.to_string())
    }

    /// A structure's or union's members in the table (rest-xml: not those bound to
    /// headers or the status), keyed by the resolved fields' serde keys.
    fn members(&mut self, name: &str, members: &[(String, Member)]) -> Result<Vec<XmlMember>> {
        let model = self.model;
        let mut out = Vec::with_capacity(members.len());
        let keys = self.keys.get(name);
        for (i, (m, member)) in members.iter().enumerate() {
            let shape = model.shape(&member.shape);
            // rest-xml: members bound to headers or the status are not in the
            // body (botocore's parser skips them at any depth). Those bound to the
            // URI or query string are not written (the input's body form leaves
            // them out) but are read, as botocore reads them in an output.
            let location = member
                .location
                .as_deref()
                .or_else(|| shape.and_then(|s| s.raw.location.as_deref()));
            let rest_xml = model.protocol == ir::ProtocolKind::RestXml;
            if rest_xml && matches!(location, Some("header" | "headers" | "statusCode")) {
                continue;
            }
            let serde =
                keys.and_then(|k| k.get(i))
                    .cloned()
                    .ok_or_else(|| Error::MalformedShape {
                        at: Location::member(model.file, name, m),
                        reason: "a member without a resolved type".into(),
                    })?;
            let target = self.member(name, m, member)?;
            let target_flattened = shape.is_some_and(|s| s.raw.flattened);
            let named = member
                .location_name
                .as_deref()
                .or_else(|| shape.and_then(|s| s.raw.location_name.as_deref()));
            out.push(XmlMember {
                serde,
                query: form_name(model.protocol, m, member, named),
                xml: named.unwrap_or(m).to_string(),
                shape: target,
                flattened: member.flattened || target_flattened,
                attribute: member.xml_attribute,
                ns: self.ns_of(member),
            });
        }
        Ok(out)
    }

    fn build(&mut self, name: &str, format: Option<TimestampFormat>) -> Result<XmlShape> {
        let model = self.model;
        let Some(shape) = model.shape(name) else {
            return Err(Error::DanglingReference {
                at: Location::shape(model.file, name),
                target: name.to_string(),
            });
        };
        Ok(match &shape.kind {
            Kind::Structure { members, .. } => XmlShape::Struct(self.members(name, members)?),
            Kind::Union { members } => XmlShape::Union(self.members(name, members)?),
            Kind::List { member, .. } => XmlShape::List {
                member: self.member(name, "member", member)?,
                member_name: self.name_of(member, "member"),
                flattened: shape.raw.flattened,
                member_ns: self.ns_of(member),
            },
            Kind::Map { key, value, .. } => XmlShape::Map {
                key: self.member(name, "key", key)?,
                value: self.member(name, "value", value)?,
                key_name: self.name_of(key, "key"),
                value_name: self.name_of(value, "value"),
                flattened: shape.raw.flattened,
                key_ns: self.ns_of(key),
                value_ns: self.ns_of(value),
            },
            Kind::Enum { .. } => XmlShape::Scalar(XmlScalar::String),
            Kind::Timestamp(_) => XmlShape::Scalar(match format {
                Some(TimestampFormat::EpochSeconds) => XmlScalar::TimestampEpoch,
                _ => XmlScalar::TimestampText,
            }),
            Kind::Scalar(t) => XmlShape::Scalar(match t {
                RustType::Bool => XmlScalar::Bool,
                RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => XmlScalar::Integer,
                RustType::F32 => XmlScalar::Float32,
                RustType::F64 => XmlScalar::Float,
                RustType::Blob => XmlScalar::Blob,
                _ => XmlScalar::String,
            }),
            Kind::Document => {
                return Err(Error::MalformedShape {
                    at: Location::shape(model.file, name),
                    reason: "a document has no XML form".into(),
                })
            }
        })
    }
}
