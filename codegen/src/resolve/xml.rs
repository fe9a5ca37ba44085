//! The shape table of the XML protocols ([`ir::XmlSchema`]): every shape the selected
//! operations reach, with what botocore's `QuerySerializer` and `QueryParser` read of it
//! (element and form names, flattened lists and maps, list member and map entry names,
//! attributes, what each scalar's text is). Structures bridge to the generated serde
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

/// The table for `model`'s selected operations and faults.
pub(super) fn schema(model: &checked::Model<'_>, reach: &Reach) -> Result<ir::XmlSchema> {
    let mut b = Builder {
        model,
        shapes: Vec::new(),
        index: BTreeMap::new(),
        todo: Vec::new(),
    };
    let mut operations = BTreeMap::new();
    for name in &reach.ops {
        let Some(op) = model.raw.operations.get(name) else {
            continue;
        };
        let input = op.input.as_ref().map(|r| b.named(&r.shape)).transpose()?;
        let output = op.output.as_ref().map(|r| b.named(&r.shape)).transpose()?;
        let wrapper = op.output.as_ref().and_then(|r| r.result_wrapper.clone());
        operations.insert(
            name.clone(),
            ir::XmlOperation {
                input,
                output,
                wrapper,
            },
        );
    }
    let mut faults = BTreeMap::new();
    for name in &reach.errors {
        faults.insert(name.clone(), b.named(name)?);
    }
    b.finish()?;
    Ok(ir::XmlSchema {
        shapes: b.shapes,
        operations,
        faults,
    })
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

struct Builder<'m, 'a> {
    model: &'m checked::Model<'a>,
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

    fn build(&mut self, name: &str, format: Option<TimestampFormat>) -> Result<XmlShape> {
        let model = self.model;
        let Some(shape) = model.shape(name) else {
            return Err(Error::DanglingReference {
                at: Location::shape(model.file, name),
                target: name.to_string(),
            });
        };
        Ok(match &shape.kind {
            Kind::Structure { members, .. } | Kind::Union { members } => {
                let mut out = Vec::with_capacity(members.len());
                for (m, member) in *members {
                    let target = self.member(name, m, member)?;
                    let shape = model.shape(&member.shape);
                    let target_flattened = shape.is_some_and(|s| s.raw.flattened);
                    // botocore merges the target shape's `locationName` under the
                    // member's (ElastiCache's lists name themselves on the shape); the
                    // serde key is the member's own, as the generated types have it.
                    let named = member
                        .location_name
                        .as_deref()
                        .or_else(|| shape.and_then(|s| s.raw.location_name.as_deref()));
                    out.push(XmlMember {
                        serde: member.location_name.clone().unwrap_or_else(|| m.clone()),
                        query: form_name(model.protocol, m, member, named),
                        xml: named.unwrap_or(m).to_string(),
                        shape: target,
                        flattened: member.flattened || target_flattened,
                        attribute: member.xml_attribute,
                    });
                }
                XmlShape::Struct(out)
            }
            Kind::List { member, .. } => XmlShape::List {
                member: self.member(name, "member", member)?,
                member_name: self.name_of(member, "member"),
                flattened: shape.raw.flattened,
            },
            Kind::Map { key, value, .. } => XmlShape::Map {
                key: self.member(name, "key", key)?,
                value: self.member(name, "value", value)?,
                key_name: self.name_of(key, "key"),
                value_name: self.name_of(value, "value"),
                flattened: shape.raw.flattened,
            },
            Kind::Enum { .. } => XmlShape::Scalar(XmlScalar::String),
            Kind::Timestamp(_) => XmlShape::Scalar(match format {
                Some(TimestampFormat::EpochSeconds) => XmlScalar::TimestampEpoch,
                _ => XmlScalar::TimestampText,
            }),
            Kind::Scalar(t) => XmlShape::Scalar(match t {
                RustType::Bool => XmlScalar::Bool,
                RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => XmlScalar::Integer,
                RustType::F32 | RustType::F64 => XmlScalar::Float,
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
