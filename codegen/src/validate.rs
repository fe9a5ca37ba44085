//! Raw model -> [`checked::Model`]: every check the later passes rely on happens here,
//! once, and each failure is a typed error naming the file, shape and member.

use crate::checked::{self, Kind};
use crate::error::{Error, Location, Result};
use crate::ir::{ProtocolKind, RustType, TimestampFormat};
use crate::model::{Member, Model, Shape, ShapeType};
use std::collections::BTreeMap;
use std::path::Path;

/// Checks `model` (and the operation allow-list) and returns its typed form.
pub fn validate<'a>(
    file: &'a Path,
    model: &'a Model,
    allow: Option<&[String]>,
) -> Result<checked::Model<'a>> {
    let protocol = protocol(file, model)?;
    endpoint_prefix(file, model)?;
    if let Some(allow) = allow {
        if let Some(op) = allow.iter().find(|op| model.operations.get(op).is_none()) {
            return Err(Error::UnknownOperation {
                file: file.to_path_buf(),
                operation: op.clone(),
            });
        }
    }
    let mut shapes = BTreeMap::new();
    for (name, shape) in &model.shapes {
        let kind = kind(file, model, name, shape)?;
        shapes.insert(name.as_str(), checked::Shape { raw: shape, kind });
    }
    let checked = checked::Model {
        file,
        raw: model,
        protocol,
        shapes,
    };
    operation_refs(&checked)?;
    finite_containers(&checked)?;
    Ok(checked)
}

/// A list or map that contains itself with no structure in between (`L = list<L>`, or
/// list -> map -> list) has no finite Rust type: it is refused here, naming the cycle,
/// before any later pass recurses into it (issue #10: it overflowed the stack). So is a
/// chain of more than [`MAX_CONTAINER_NESTING`] lists and maps inside each other (the
/// passes after this one recurse along it). Lists and maps lead to one shape each
/// (element, value), so one walk per chain, remembering depths, is linear.
fn finite_containers(model: &checked::Model<'_>) -> Result<()> {
    let next = |name: &str| match model.shapes.get(name).map(|s| &s.kind) {
        Some(Kind::List { member, .. }) => Some(member.shape.as_str()),
        Some(Kind::Map { value, .. }) => Some(value.shape.as_str()),
        _ => None,
    };
    // Containers below each finished shape (0 for anything that is not a container).
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    for &start in model.shapes.keys() {
        let mut chain: Vec<&str> = Vec::new();
        let mut on_chain: BTreeMap<&str, usize> = BTreeMap::new();
        let mut current = start;
        let below = loop {
            if let Some(&d) = depth.get(current) {
                break d;
            }
            if let Some(&i) = on_chain.get(current) {
                let mut cycle = chain[i..].to_vec();
                cycle.push(current);
                return Err(malformed(
                    Location::shape(model.file, current),
                    format!(
                        "lists and maps contain each other with no structure in between ({}), which no Rust type can hold",
                        cycle.join(" -> ")
                    ),
                ));
            }
            let Some(following) = next(current) else {
                break 0;
            };
            on_chain.insert(current, chain.len());
            chain.push(current);
            current = following;
        };
        for (i, name) in chain.iter().rev().enumerate() {
            let d = below + i + 1;
            if d > MAX_CONTAINER_NESTING {
                return Err(malformed(
                    Location::shape(model.file, name),
                    format!("lists and maps nest more than {MAX_CONTAINER_NESTING} deep here"),
                ));
            }
            depth.insert(name, d);
        }
    }
    Ok(())
}

/// How deep lists and maps may nest inside each other (botocore models use at most 3).
pub(crate) const MAX_CONTAINER_NESTING: usize = 32;

/// botocore's order of preference among the protocols a model offers
/// (`PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`).
const BOTOCORE_PRIORITY: [&str; 6] = [
    "json",
    "rest-json",
    "rest-xml",
    "smithy-rpc-v2-cbor",
    "query",
    "ec2",
];

/// The protocol botocore speaks to the model, if this generator speaks it too: the first
/// of botocore's preferences the model's `protocols` offers (its `protocol` when it lists
/// none). So the 41 models that list `json` after `smithy-rpc-v2-cbor` are awsJson 1.0
/// or 1.1, and a model offering cbor before query is refused, not sent as query.
fn protocol(file: &Path, model: &Model) -> Result<ProtocolKind> {
    let md = &model.metadata;
    let offered = md.protocols.as_deref().unwrap_or_default();
    let offers = |p: &str| {
        if offered.is_empty() {
            md.protocol == p
        } else {
            offered.iter().any(|o| o == p)
        }
    };
    let chosen = BOTOCORE_PRIORITY.into_iter().find(|p| offers(p));
    if chosen != Some("json") {
        match chosen {
            Some("rest-json") => return Ok(ProtocolKind::RestJson),
            Some("rest-xml") => return Ok(ProtocolKind::RestXml),
            Some("smithy-rpc-v2-cbor") => return Ok(ProtocolKind::RpcV2Cbor),
            Some("query") => return Ok(ProtocolKind::Query),
            Some("ec2") => return Ok(ProtocolKind::Ec2),
            _ => {}
        }
        let listed = if offered.is_empty() {
            md.protocol.clone()
        } else {
            format!("{} (protocols: {})", md.protocol, offered.join(", "))
        };
        return Err(Error::UnsupportedProtocol {
            file: file.to_path_buf(),
            protocol: listed,
        });
    }
    match md.json_version.as_deref() {
        None | Some("1.0") => Ok(ProtocolKind::AwsJson10),
        Some("1.1") => Ok(ProtocolKind::AwsJson11),
        Some(other) => Err(Error::UnsupportedProtocol {
            file: file.to_path_buf(),
            protocol: format!("json with jsonVersion `{other}` (awsJson is 1.0 or 1.1)"),
        }),
    }
}

/// The endpoint prefix names the output file (`dms.rs`) and goes into URLs: it must be
/// a plain name (letters, digits, `.`, `-`, `_`, not starting with `.`), never a path.
fn endpoint_prefix(file: &Path, model: &Model) -> Result<()> {
    let Some(prefix) = model.metadata.endpoint_prefix.as_deref() else {
        return Ok(());
    };
    let plain = !prefix.is_empty()
        && prefix.len() <= 63
        && !prefix.starts_with('.')
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if plain {
        Ok(())
    } else {
        Err(Error::Metadata {
            file: file.to_path_buf(),
            field: "endpointPrefix",
            reason: format!(
                "`{}` is not a plain name (letters, digits, `.`, `-`, `_`)",
                prefix.chars().take(64).collect::<String>().escape_debug()
            ),
        })
    }
}

fn operation_refs(model: &checked::Model<'_>) -> Result<()> {
    for (name, op) in model.raw.operations.iter() {
        let refs = op.input.iter().map(|r| ("input", r));
        let refs = refs.chain(op.output.iter().map(|r| ("output", r)));
        for (what, r) in refs.chain(op.errors.iter().map(|r| ("errors", r))) {
            exists(
                model.raw,
                Location::member(model.file, name, what),
                &r.shape,
            )?;
        }
    }
    Ok(())
}

fn exists(model: &Model, at: Location, target: &str) -> Result<()> {
    if model.shapes.contains_key(target) {
        Ok(())
    } else {
        Err(Error::DanglingReference {
            at,
            target: target.to_string(),
        })
    }
}

fn malformed(at: Location, reason: impl Into<String>) -> Error {
    Error::MalformedShape {
        at,
        reason: reason.into(),
    }
}

fn kind<'a>(file: &Path, model: &Model, name: &str, shape: &'a Shape) -> Result<Kind<'a>> {
    let here = || Location::shape(file, name);
    if shape.enum_values.is_some() && shape.shape_type != ShapeType::String {
        return Err(malformed(
            here(),
            format!("`enum` on a `{}` shape", type_word(&shape.shape_type)),
        ));
    }
    let scalar = |t: RustType| Ok(Kind::Scalar(t));
    match &shape.shape_type {
        ShapeType::Structure => structure(file, model, name, shape),
        ShapeType::List => {
            let member = shape
                .member
                .as_ref()
                .ok_or_else(|| malformed(here(), "a list needs `member`"))?;
            exists(model, Location::member(file, name, "member"), &member.shape)?;
            timestamp_format(file, name, "member", member)?;
            Ok(Kind::List {
                member,
                sparse: shape.sparse,
            })
        }
        ShapeType::Map => map(file, model, name, shape),
        ShapeType::String => match &shape.enum_values {
            Some(values) => Ok(Kind::Enum { values }),
            None => scalar(RustType::String),
        },
        ShapeType::Character => scalar(RustType::String),
        ShapeType::Timestamp => Ok(Kind::Timestamp(format(
            shape.timestamp_format.as_deref(),
            here,
        )?)),
        ShapeType::Integer => scalar(RustType::I32),
        ShapeType::Long => scalar(RustType::I64),
        ShapeType::Short => scalar(RustType::I16),
        ShapeType::Byte => scalar(RustType::I8),
        ShapeType::Float => scalar(RustType::F32),
        ShapeType::Double => scalar(RustType::F64),
        ShapeType::Boolean => scalar(RustType::Bool),
        ShapeType::Blob => scalar(RustType::Blob),
        ShapeType::Unknown(t) => Err(Error::UnknownShapeType {
            at: here(),
            type_name: t.clone(),
        }),
    }
}

fn structure<'a>(file: &Path, model: &Model, name: &str, shape: &'a Shape) -> Result<Kind<'a>> {
    // A structure without `members` has none, as botocore reads it (issue #11).
    let members: &'a [(String, Member)] = shape.members.as_ref().map_or(&[], |m| m.0.as_slice());
    for (m, member) in members.iter() {
        exists(model, Location::member(file, name, m), &member.shape)?;
        timestamp_format(file, name, m, member)?;
    }
    let names: std::collections::BTreeSet<&str> = members.iter().map(|(m, _)| m.as_str()).collect();
    if let Some(ghost) = shape.required.iter().find(|r| !names.contains(r.as_str())) {
        return Err(Error::UnknownRequiredMember {
            at: Location::member(file, name, ghost),
        });
    }
    Ok(if shape.document {
        Kind::Document
    } else if shape.union {
        Kind::Union { members }
    } else {
        Kind::Structure {
            members,
            required: shape.required.iter().map(String::as_str).collect(),
        }
    })
}

fn map<'a>(file: &Path, model: &Model, name: &str, shape: &'a Shape) -> Result<Kind<'a>> {
    let part = |what: &str, m: &'a Option<Member>| -> Result<&'a Member> {
        let m = m.as_ref().ok_or_else(|| {
            malformed(Location::shape(file, name), format!("a map needs `{what}`"))
        })?;
        exists(model, Location::member(file, name, what), &m.shape)?;
        timestamp_format(file, name, what, m)?;
        Ok(m)
    };
    let key = part("key", &shape.key)?;
    let value = part("value", &shape.value)?;
    let key_shape = model.shapes.get(&key.shape);
    if key_shape.map(|s| &s.shape_type) != Some(&ShapeType::String) {
        return Err(malformed(
            Location::member(file, name, "key"),
            "a map key must be a string shape",
        ));
    }
    Ok(Kind::Map {
        key,
        value,
        sparse: shape.sparse,
    })
}

fn timestamp_format(file: &Path, shape: &str, member: &str, m: &Member) -> Result<()> {
    format(m.timestamp_format.as_deref(), || {
        Location::member(file, shape, member)
    })
    .map(|_| ())
}

/// Checks a `timestampFormat` and returns the format it names.
fn format(fmt: Option<&str>, at: impl Fn() -> Location) -> Result<Option<TimestampFormat>> {
    match fmt {
        None => Ok(None),
        Some(name) => match TimestampFormat::from_model(name) {
            Some(f) => Ok(Some(f)),
            None => Err(malformed(at(), format!("unknown timestampFormat `{name}`"))),
        },
    }
}

fn type_word(t: &ShapeType) -> &str {
    match t {
        ShapeType::Structure => "structure",
        ShapeType::List => "list",
        ShapeType::Map => "map",
        ShapeType::String => "string",
        ShapeType::Integer => "integer",
        ShapeType::Long => "long",
        ShapeType::Short => "short",
        ShapeType::Byte => "byte",
        ShapeType::Float => "float",
        ShapeType::Double => "double",
        ShapeType::Boolean => "boolean",
        ShapeType::Blob => "blob",
        ShapeType::Timestamp => "timestamp",
        ShapeType::Character => "character",
        ShapeType::Unknown(t) => t,
    }
}
