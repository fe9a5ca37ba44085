//! Pass 3: type definitions, with every decision the emitters need (derives, redaction,
//! boxing, constructors, setter names) made here.

use super::locations::{needs_required_struct, Locations};
use super::reach::Reach;
use super::{claim, deprecation, docs};
use crate::checked::{self, Kind};
use crate::error::{Error, Location, Result};
use crate::ir::{
    self, Constructor, FieldLocation, Payload, PayloadKind, Role, RustType, Struct,
    TimestampFormat, TypeKind, TypeRef,
};
use crate::model::Member;
use crate::naming::{self, Scope};
use std::collections::BTreeSet;

pub(super) fn type_def(
    model: &checked::Model<'_>,
    reach: &Reach,
    locations: &Locations,
    shape_name: &str,
    at: &TypeRef,
) -> Result<ir::TypeDef> {
    let shape = model
        .shape(shape_name)
        .ok_or_else(|| Error::DanglingReference {
            at: Location::shape(model.file, shape_name),
            target: shape_name.to_string(),
        })?;
    let cx = Cx {
        model,
        locations,
        owner: shape_name,
    };
    let kind = match &shape.kind {
        Kind::Enum { values } => enum_values(&cx, values)?,
        Kind::Union { members } => union(&cx, members)?,
        Kind::Structure { members, required } => {
            let role = if reach.errors.contains(shape_name) || shape.raw.exception {
                Role::Exception
            } else if reach.output.contains(shape_name) {
                Role::Output
            } else {
                Role::Input
            };
            let named =
                needs_required_struct(shape).then(|| naming::required_struct_name(&at.name));
            let mut s = structure(&cx, members, required, role, named)?;
            // The payload, on the shape or on an operation's reference to it.
            let by_ref = model.raw.operations.iter().find_map(|(_, op)| {
                [&op.input, &op.output]
                    .into_iter()
                    .flatten()
                    .find(|r| r.shape == shape_name && r.payload.is_some())
                    .and_then(|r| r.payload.as_deref())
            });
            s.payload = payload(&cx, shape.raw.payload.as_deref().or(by_ref), &s.fields)?;
            stream_payload(&mut s);
            if role == Role::Exception {
                s.codes.push(shape_name.to_string());
                let code = shape.raw.error.as_ref().and_then(|e| e.code.clone());
                s.codes.extend(code.filter(|c| c != shape_name));
            }
            TypeKind::Struct(s)
        }
        _ => {
            return Err(Error::MalformedShape {
                at: Location::shape(model.file, shape_name),
                reason: "only structures, unions and string enums are named types".into(),
            })
        }
    };
    let derive_debug = !shape.raw.sensitive
        && match &kind {
            TypeKind::Struct(s) => !s.fields.iter().any(|f| f.sensitive),
            TypeKind::Union { variants } => !variants.iter().any(|v| v.sensitive),
            TypeKind::Enum { .. } => true,
        };
    Ok(ir::TypeDef {
        shape: shape_name.to_string(),
        name: at.name.clone(),
        module: at.module.clone(),
        alias: (at.name.as_str() != shape_name).then(|| shape_name.to_string()),
        docs: docs(&shape.raw.documentation),
        deprecated: deprecation(shape.raw.deprecated, &shape.raw.deprecated_message),
        sensitive: shape.raw.sensitive,
        derive_debug,
        is_output: reach.outputs.contains(shape_name),
        kind,
    })
}

/// What the passes below share: the model, the locations, and the shape being defined.
struct Cx<'m, 'a> {
    model: &'m checked::Model<'a>,
    locations: &'m Locations,
    owner: &'m str,
}

impl Cx<'_, '_> {
    fn at(&self, member: &str) -> Location {
        Location::member(self.model.file, self.owner, member)
    }
}

fn enum_values(cx: &Cx<'_, '_>, values: &[String]) -> Result<TypeKind> {
    let mut scope = Scope::with_reserved(&[("Unknown", "the unknown-value variant")]);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for v in values {
        if !seen.insert(v.as_str()) {
            continue; // a value listed twice is the same value
        }
        let mut name = naming::variant_name(v);
        // Values that differ only in case or punctuation: numbered, in model order.
        let mut n = 2;
        while scope.claim(&name, v).is_err() {
            if n > values.len() + 1 {
                // Unreachable: some number up to the count of values is free.
                claim(&mut scope, &name, v, || cx.at(v))?;
            }
            name = naming::numbered_variant_name(&naming::variant_name(v), n);
            n += 1;
        }
        out.push(ir::EnumValue {
            wire: v.clone(),
            name,
        });
    }
    Ok(TypeKind::Enum { values: out })
}

fn union(cx: &Cx<'_, '_>, members: &[(String, Member)]) -> Result<TypeKind> {
    let mut scope = Scope::with_reserved(&[("Unknown", "the unknown-member variant")]);
    let mut variants = Vec::new();
    for (m, member) in members {
        let name = naming::union_variant_name(m);
        claim(&mut scope, &name, m, || cx.at(m))?;
        variants.push(ir::UnionVariant {
            wire: json_name(m, member),
            name,
            ty: rust_type(cx, m, member, true)?,
            docs: docs(&member.documentation),
            deprecated: deprecation(member.deprecated, &member.deprecated_message),
            sensitive: sensitive(cx.model, member),
        });
    }
    Ok(TypeKind::Union { variants })
}

fn structure(
    cx: &Cx<'_, '_>,
    members: &[(String, Member)],
    required: &BTreeSet<&str>,
    role: Role,
    named: Option<naming::Ident>,
) -> Result<Struct> {
    let fault = role == Role::Exception;
    let reserved: &[(&str, &str)] = if fault {
        &[("meta", "the error metadata field")]
    } else {
        &[]
    };
    let mut scope = Scope::with_reserved(reserved);
    let mut methods = method_scope(fault);
    let mut fields = Vec::new();
    for (m, member) in members {
        let name = naming::field_name(m);
        claim(&mut scope, &name, m, || cx.at(m))?;
        let location = field_location(cx, m, member)?;
        let ty = bound_type(cx, member, &location, rust_type(cx, m, member, true)?);
        let token = member.idempotency_token && ty == RustType::String;
        let returned = role != Role::Input;
        let setter = naming::setter_name(&name, returned);
        claim(
            &mut methods,
            &setter,
            &format!("the setter of `{m}`"),
            || cx.at(m),
        )?;
        let getter = (returned && matches!(ty, RustType::List(_))).then(|| name.clone());
        if let Some(g) = &getter {
            claim(&mut methods, g, &format!("the getter of `{m}`"), || {
                cx.at(m)
            })?;
        }
        let wire = match location {
            FieldLocation::Body => json_name(m, member),
            _ => m.clone(),
        };
        fields.push(ir::Field {
            location,
            wire,
            setter,
            getter,
            name,
            ty,
            // An idempotency token the model requires is still optional to the caller:
            // the client fills it (as botocore and the official SDK do).
            required: role == Role::Input && required.contains(m.as_str()) && !token,
            constructor_arg: required.contains(m.as_str()) && !token,
            docs: docs(&member.documentation),
            deprecated: deprecation(member.deprecated, &member.deprecated_message),
            sensitive: sensitive(cx.model, member),
        });
    }
    distinct_body_keys(&mut fields, members);
    distinct_serde_keys(&mut fields, members);
    let args = fields.iter().filter(|f| f.constructor_arg).count();
    let constructor = match (role, args, named) {
        (_, _, Some(name)) => Constructor::Named(name),
        (Role::Input, 0, None) => Constructor::Empty,
        (_, 0, None) => Constructor::None,
        (_, _, None) => Constructor::Positional,
    };
    Ok(Struct {
        codes: Vec::new(),
        payload: None,
        xml_shape: None,
        role,
        derive_default: !fields.iter().any(|f| f.required) && !fault,
        fields,
        constructor,
    })
}

/// The Rust type of member `member_name` of the structure `owner`, as its field has it.
pub(super) fn member_type(
    model: &checked::Model<'_>,
    locations: &Locations,
    owner: &str,
    member_name: &str,
    member: &Member,
) -> Result<RustType> {
    let cx = Cx {
        model,
        locations,
        owner,
    };
    rust_type(&cx, member_name, member, true)
}

/// The Rust type of a reference from the current shape's member `member_name`;
/// `direct` is false inside lists and maps (which already allocate, so never box).
fn rust_type(
    cx: &Cx<'_, '_>,
    member_name: &str,
    member: &Member,
    direct: bool,
) -> Result<RustType> {
    let Some(shape) = cx.model.shape(&member.shape) else {
        return Err(Error::DanglingReference {
            at: cx.at(member_name),
            target: member.shape.clone(),
        });
    };
    let inner = |name: &str, m: &Member| {
        let cx = Cx {
            owner: &member.shape,
            ..*cx
        };
        rust_type(&cx, name, m, false).map(Box::new)
    };
    Ok(match &shape.kind {
        Kind::Scalar(t) => t.clone(),
        Kind::Document => RustType::Document,
        Kind::Timestamp(own) => RustType::Timestamp(
            member
                .timestamp_format
                .as_deref()
                .and_then(TimestampFormat::from_model)
                .or(*own)
                .unwrap_or(if cx.model.protocol.is_xml() {
                    TimestampFormat::Iso8601
                } else {
                    TimestampFormat::EpochSeconds
                }),
        ),
        Kind::List { member: el, sparse } => {
            RustType::List(sparse_element(inner("member", el)?, *sparse))
        }
        Kind::Map { key, value, sparse } => RustType::Map(
            inner("key", key)?,
            sparse_element(inner("value", value)?, *sparse),
        ),
        Kind::Structure { .. } | Kind::Union { .. } | Kind::Enum { .. } => {
            let target = cx.locations.get(&member.shape).cloned().ok_or_else(|| {
                Error::DanglingReference {
                    at: cx.at(member_name),
                    target: member.shape.clone(),
                }
            })?;
            let boxed = direct
                && (cx.locations.closes_cycle(cx.owner, &member.shape)
                    || large_structure(&shape.kind));
            RustType::Named { target, boxed }
        }
    })
}

/// Structures with this many members or more are boxed where another structure holds them
/// directly: such members are mostly unset (DMS's `Endpoint` has one settings structure
/// per engine, twenty of them), and inline they made `Endpoint` 4,992 bytes.
const BOX_STRUCTURES_FROM: usize = 16;

fn large_structure(kind: &Kind<'_>) -> bool {
    matches!(kind, Kind::Structure { members, .. } if members.len() >= BOX_STRUCTURES_FROM)
}

/// Whether a member's value may hold secrets: the member, its shape, or any shape inside
/// it (list elements, map values) is marked sensitive.
fn sensitive(model: &checked::Model<'_>, member: &Member) -> bool {
    if member.sensitive {
        return true;
    }
    let mut seen = BTreeSet::new();
    let mut stack = vec![member.shape.as_str()];
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(shape) = model.shape(name) else {
            continue;
        };
        if shape.raw.sensitive {
            return true;
        }
        if let Kind::List { .. } | Kind::Map { .. } = shape.kind {
            stack.extend(model.children(name).into_iter().map(|m| m.shape.as_str()));
        }
    }
    false
}

/// The element of a `sparse` list or map is `Option<T>` (`null` kept as `None`).
fn sparse_element(element: Box<RustType>, sparse: bool) -> Box<RustType> {
    if sparse {
        Box::new(RustType::Sparse(element))
    } else {
        element
    }
}

/// Body members that share a key (S3's deprecated `Events`, `locationName` `Event`,
/// beside a member `Event`: two XML elements, one serde object): a member renamed by its
/// `locationName` takes its own name instead, and one still sharing it `name#n`. The XML
/// table (`resolve::xml`) takes the keys the fields end with.
fn distinct_body_keys(fields: &mut [ir::Field], members: &[(String, Member)]) {
    let count = |fields: &[ir::Field], key: &str| {
        fields
            .iter()
            .filter(|f| f.location == FieldLocation::Body && f.wire == key)
            .count()
    };
    for i in 0..fields.len() {
        let (m, _) = &members[i];
        if fields[i].location == FieldLocation::Body
            && fields[i].wire != *m
            && count(fields, &fields[i].wire) > 1
        {
            fields[i].wire = m.clone();
        }
    }
    for i in 0..fields.len() {
        if fields[i].location != FieldLocation::Body || count(&fields[..i], &fields[i].wire) == 0 {
            continue;
        }
        let mut n = 2;
        let base = members[i].0.clone();
        while count(fields, &format!("{base}#{n}")) > 0 {
            n += 1;
        }
        fields[i].wire = format!("{base}#{n}");
    }
}

/// A member's key in a JSON body: its `locationName` when it has one (botocore's
/// `serialization['name']`), else its name.
fn json_name(member_name: &str, member: &Member) -> String {
    member
        .location_name
        .clone()
        .unwrap_or_else(|| member_name.to_string())
}

/// Where a member travels: its `location` in a REST protocol (`locationName` names the
/// label, parameter or header; the member's name when absent), the body otherwise.
fn field_location(cx: &Cx<'_, '_>, member_name: &str, member: &Member) -> Result<FieldLocation> {
    if !cx.model.protocol.is_rest() {
        return Ok(FieldLocation::Body);
    }
    let target = cx.model.shape(&member.shape);
    let kind = target.map(|s| &s.kind);
    // The member's own traits, else the shape's (old models put them there).
    let location = member
        .location
        .as_deref()
        .or(target.and_then(|t| t.raw.location.as_deref()));
    let location_name = member
        .location_name
        .as_deref()
        .or(target.and_then(|t| t.raw.location_name.as_deref()));
    let name = || location_name.unwrap_or(member_name).to_string();
    Ok(match location {
        None => FieldLocation::Body,
        Some("uri") => FieldLocation::Label(name()),
        Some("querystring") if matches!(kind, Some(Kind::Map { .. })) => FieldLocation::QueryMap,
        Some("querystring") => FieldLocation::Query(name()),
        Some("header") => FieldLocation::Header(name()),
        Some("headers") => {
            if !matches!(kind, Some(Kind::Map { .. })) {
                return Err(Error::MalformedShape {
                    at: cx.at(member_name),
                    reason: "a member with `location: headers` must be a map".into(),
                });
            }
            FieldLocation::HeaderMap(location_name.unwrap_or_default().to_string())
        }
        Some("statusCode") => FieldLocation::StatusCode,
        Some(other) => {
            return Err(Error::MalformedShape {
                at: cx.at(member_name),
                reason: format!(
                    "unknown member location `{}` (uri, querystring, header, headers, statusCode)",
                    other.escape_debug()
                ),
            })
        }
    })
}

/// The type of a member bound outside the body: a timestamp takes the location's
/// default format unless the model names one (HTTP date in headers, ISO 8601 in the URI
/// and query string, as botocore), and a `jsonvalue` header is a document.
fn bound_type(
    cx: &Cx<'_, '_>,
    member: &Member,
    location: &FieldLocation,
    ty: RustType,
) -> RustType {
    let default = match location {
        FieldLocation::Header(_) => TimestampFormat::HttpDate,
        FieldLocation::Label(_) | FieldLocation::Query(_) => TimestampFormat::Iso8601,
        _ => return ty,
    };
    let explicit = |shape: &str| {
        member
            .timestamp_format
            .as_deref()
            .and_then(TimestampFormat::from_model)
            .or(match cx.model.shape(shape).map(|s| &s.kind) {
                Some(Kind::Timestamp(own)) => *own,
                _ => None,
            })
    };
    match ty {
        RustType::Timestamp(_) => RustType::Timestamp(explicit(&member.shape).unwrap_or(default)),
        RustType::List(inner) if matches!(*inner, RustType::Timestamp(_)) => {
            let el = match cx.model.shape(&member.shape).map(|s| &s.kind) {
                Some(Kind::List { member: el, .. }) => el
                    .timestamp_format
                    .as_deref()
                    .and_then(TimestampFormat::from_model)
                    .or(match cx.model.shape(&el.shape).map(|s| &s.kind) {
                        Some(Kind::Timestamp(own)) => *own,
                        _ => None,
                    }),
                _ => None,
            };
            RustType::List(Box::new(RustType::Timestamp(el.unwrap_or(default))))
        }
        RustType::String if member.json_value && matches!(location, FieldLocation::Header(_)) => {
            RustType::Document
        }
        other => other,
    }
}

/// A structure's `payload`: the member, and how it is the body.
fn payload(
    cx: &Cx<'_, '_>,
    payload: Option<&str>,
    fields: &[ir::Field],
) -> Result<Option<Payload>> {
    let Some(name) = payload else {
        return Ok(None);
    };
    if !cx.model.protocol.is_rest() {
        return Ok(None);
    }
    let members = match cx.model.shape(cx.owner).map(|s| &s.kind) {
        Some(Kind::Structure { members, .. }) => *members,
        _ => &[],
    };
    let found = members.iter().position(|(m, _)| m == name);
    let (Some(i), Some(field)) = (found, found.and_then(|i| fields.get(i))) else {
        return Err(Error::MalformedShape {
            at: Location::shape(cx.model.file, cx.owner),
            reason: format!("the payload `{}` is not a member", name.escape_debug()),
        });
    };
    let member = &members[i].1;
    let shape = cx.model.shape(&member.shape);
    let kind = match shape.map(|s| &s.kind) {
        Some(Kind::Scalar(RustType::Blob))
            if member.streaming || shape.is_some_and(|s| s.raw.streaming) =>
        {
            PayloadKind::Stream {
                requires_length: member.requires_length
                    || shape.is_some_and(|s| s.raw.requires_length),
            }
        }
        Some(Kind::Scalar(RustType::Blob)) => PayloadKind::Blob,
        Some(Kind::Structure { .. }) if shape.is_some_and(|s| s.raw.eventstream) => {
            PayloadKind::EventStream
        }
        Some(Kind::Scalar(RustType::String)) | Some(Kind::Enum { .. }) => PayloadKind::Text,
        Some(Kind::Structure { .. }) | Some(Kind::Union { .. }) | Some(Kind::Document) => {
            PayloadKind::Structure
        }
        _ => {
            return Err(Error::MalformedShape {
                at: cx.at(name),
                reason: "a payload must be a blob, string, structure, union or document".into(),
            })
        }
    };
    Ok(Some(Payload {
        field: field.name.clone(),
        kind,
    }))
}

/// A streaming payload's field is a `ByteStream`, always present (empty when unset, as
/// botocore's output body is an empty stream), so required in outputs too; it is the one
/// required field a `Default` output may have.
fn stream_payload(s: &mut Struct) {
    let Some(p) = &s.payload else { return };
    if !matches!(p.kind, PayloadKind::Stream { .. }) {
        return;
    }
    let role = s.role;
    for f in s.fields.iter_mut().filter(|f| f.name == p.field) {
        f.ty = RustType::Stream;
        f.required |= role != Role::Input;
    }
    s.derive_default = role != Role::Exception
        && !s
            .fields
            .iter()
            .any(|f| f.required && f.ty != RustType::Stream);
}

/// A bound member keyed by its name in the serde form may meet a body member whose JSON
/// name is the same (apigateway's PutIntegrationRequest: the label `httpMethod` and the
/// body's `httpMethod` of `integrationHttpMethod`): the bound one becomes
/// `<name>@<location>`, so every key of the form stays distinct.
fn distinct_serde_keys(fields: &mut [ir::Field], members: &[(String, Member)]) {
    let body_keys: BTreeSet<String> = fields
        .iter()
        .filter(|f| f.location == FieldLocation::Body)
        .map(|f| f.wire.clone())
        .collect();
    for (f, (_, member)) in fields.iter_mut().zip(members) {
        if f.location != FieldLocation::Body && body_keys.contains(&f.wire) {
            let location = member.location.as_deref().unwrap_or("bound");
            f.wire = format!("{}@{location}", f.wire);
        }
    }
}

/// The names a structure's own methods take before its members' setters and getters:
/// `new`, and for a fault the error metadata's `meta` and `with_meta`.
fn method_scope(fault: bool) -> Scope {
    if fault {
        Scope::with_reserved(&[
            ("new", "the constructor"),
            ("meta", "the error metadata getter"),
            ("with_meta", "the error metadata setter"),
        ])
    } else {
        Scope::with_reserved(&[("new", "the constructor")])
    }
}
