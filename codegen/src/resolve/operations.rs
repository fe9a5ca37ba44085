//! Pass 4: operations: their modules, inputs and outputs, faults and host prefixes.

use super::locations::Locations;
use super::reach::Reach;
use super::{claim, deprecation, docs};
use crate::checked::{self, Kind};
use crate::error::{Error, Location, Result};
use crate::ir::{self, Io, Module, Role, Struct, TypeKind};
use crate::model::{Member, Operation, ShapeRef};
use crate::naming::{self, Ident, Scope};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn build(
    model: &checked::Model<'_>,
    reach: &Reach,
    locations: &Locations,
    owned: &mut BTreeMap<String, ir::TypeDef>,
) -> Result<Vec<ir::Operation>> {
    let mut out = Vec::new();
    for name in &reach.ops {
        let Some(op) = model.raw.operations.get(name) else {
            continue;
        };
        out.push(operation(model, reach, locations, owned, name, op)?);
    }
    Ok(out)
}

fn operation(
    model: &checked::Model<'_>,
    reach: &Reach,
    locations: &Locations,
    owned: &mut BTreeMap<String, ir::TypeDef>,
    name: &str,
    op: &Operation,
) -> Result<ir::Operation> {
    let module = naming::module_name(name);
    let input_name = naming::operation_type_name(name, "Input");
    let output_name = naming::operation_type_name(name, "Output");
    let mut io = |sref: &Option<ShapeRef>, ty: &Ident, role: Role, what: &str| -> Result<Io> {
        let Some(s) = sref else {
            return Ok(Io::Empty(empty(&module, ty, role, what, name)));
        };
        if let Some(def) = owned.remove(&s.shape) {
            return Ok(Io::Owned(def));
        }
        match locations.get(&s.shape) {
            Some(at) if model.is_structure(&s.shape) => Ok(Io::Alias(at.clone())),
            _ => Err(Error::MalformedShape {
                at: Location::member(model.file, name, what),
                reason: format!(
                    "the {what} shape `{}` of operation `{name}` is not a structure",
                    s.shape
                ),
            }),
        }
    };
    let input = io(&op.input, &input_name, Role::Input, "input")?;
    let output = io(&op.output, &output_name, Role::Output, "output")?;
    let template = op.endpoint.as_ref().and_then(|e| e.host_prefix.as_deref());
    let host_prefix = match template.and_then(|t| super::customize::host_prefix(model, op, t)) {
        Some(template) => Some(host_prefix(
            model,
            reach,
            name,
            op.input.as_ref(),
            template,
        )?),
        None => None,
    };
    Ok(ir::Operation {
        name: name.to_string(),
        input_name,
        output_name,
        error_name: naming::operation_type_name(name, "Error"),
        type_name: naming::type_name(name),
        docs: docs(&op.documentation),
        deprecated: deprecation(op.deprecated, &op.deprecated_message),
        input,
        output,
        errors: errors(model, locations, name, op)?,
        event_stream: event_stream(model, op),
        gzip_request: op
            .requestcompression
            .as_ref()
            .is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
        host_prefix,
        idempotency_tokens: idempotency_tokens(model, op),
        http: http(model, reach, name, op)?,
        endpoint_params: super::customize::endpoint_params(
            model,
            name,
            endpoint_params(model, name, op)?,
        ),
        context_params: context_params(model, op),
        customizations: super::customize::operation(model, name, input_members(model, op)),
        error_in_200: super::customize::error_in_200(model, op),
        auth: auth(op),
        // Set once the output's type is resolved (`resolve`).
        streaming_output: false,
        event_output: None,
        event_input: None,
        module,
        examples: Vec::new(),
    })
}

/// How the operation is signed, as botocore reads `authtype` (or the `auth` schemes)
/// and `unsignedPayload`.
fn auth(op: &Operation) -> ir::Auth {
    let no_auth = match op.authtype.as_deref() {
        Some(t) => t == "none",
        None => op.auth.first().is_some_and(|a| a == "smithy.api#noAuth"),
    };
    if no_auth {
        ir::Auth::None
    } else if op.unsigned_payload || op.authtype.as_deref() == Some("v4-unsigned-body") {
        ir::Auth::SigV4UnsignedPayload
    } else {
        ir::Auth::SigV4
    }
}

/// The operation's `staticContextParams`: strings and booleans (what rule-set
/// parameters are).
fn endpoint_params(
    model: &checked::Model<'_>,
    op_name: &str,
    op: &Operation,
) -> Result<Vec<(String, ir::EndpointParam)>> {
    op.static_context_params
        .iter()
        .map(|(name, p)| match &p.value {
            serde_json::Value::String(s) => Ok((name.clone(), ir::EndpointParam::Str(s.clone()))),
            serde_json::Value::Bool(b) => Ok((name.clone(), ir::EndpointParam::Bool(*b))),
            other => Err(Error::MalformedShape {
                at: Location::member(model.file, op_name, "staticContextParams"),
                reason: format!("`{name}` is {other}, not a string or a boolean"),
            }),
        })
        .collect()
}

/// A REST operation's method and URI template, its labels bound to input fields.
fn http(
    model: &checked::Model<'_>,
    reach: &Reach,
    op_name: &str,
    op: &Operation,
) -> Result<Option<ir::Http>> {
    if !model.protocol.is_rest() {
        return Ok(None);
    }
    let bad = |reason: String| Error::MalformedShape {
        at: Location::member(model.file, op_name, "http"),
        reason,
    };
    // botocore's defaults where the model leaves them out: `POST`, and `/`.
    let method = op
        .http
        .as_ref()
        .and_then(|h| h.method.clone())
        .unwrap_or_else(|| "POST".into());
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad(format!(
            "`{}` is not an HTTP method",
            method.escape_debug()
        )));
    }
    let template = op
        .http
        .as_ref()
        .and_then(|h| h.request_uri.as_deref())
        .unwrap_or("/");
    if !template.starts_with('/') || template.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
        return Err(bad(format!(
            "the requestUri `{}` must start with `/` and hold only visible ASCII",
            template.escape_debug()
        )));
    }
    let template = super::customize::request_uri(model, template);
    let uri = uri_parts(model, reach, op_name, op, &template)?;
    let flexible_checksum = op.http_checksum.as_ref().and_then(|c| {
        if c.request_algorithm_member.is_none() && c.request_validation_mode_member.is_none() {
            return None;
        }
        // botocore's `_ALGORITHMS_PRIORITY_LIST`, then any others in the model's order.
        const PRIORITY: [&str; 5] = ["CRC64NVME", "CRC32C", "CRC32", "SHA1", "SHA256"];
        let mut response_algorithms: Vec<String> = PRIORITY
            .iter()
            .filter(|p| {
                c.response_algorithms
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(p))
            })
            .map(|p| p.to_string())
            .collect();
        for a in &c.response_algorithms {
            if !response_algorithms
                .iter()
                .any(|r| r.eq_ignore_ascii_case(a))
            {
                response_algorithms.push(a.to_ascii_uppercase());
            }
        }
        Some(ir::FlexibleChecksum {
            algorithm_member: c.request_algorithm_member.clone(),
            validation_member: c.request_validation_mode_member.clone(),
            response_algorithms,
        })
    });
    Ok(Some(ir::Http {
        method,
        uri,
        checksum_required: op.http_checksum_required
            || op
                .http_checksum
                .as_ref()
                .is_some_and(|c| c.request_checksum_required),
        flexible_checksum,
    }))
}

/// Splits a requestUri template at its labels, each bound to a `uri` member of the input
/// (by its `locationName`), which must be a scalar.
fn uri_parts(
    model: &checked::Model<'_>,
    reach: &Reach,
    op_name: &str,
    op: &Operation,
    template: &str,
) -> Result<Vec<ir::UriPart>> {
    let bad = |reason: String| Error::MalformedShape {
        at: Location::member(model.file, op_name, "http"),
        reason,
    };
    let input_name = op
        .input
        .as_ref()
        .map(|i| i.shape.as_str())
        .unwrap_or_default();
    let (members, required) = match model.shape(input_name).map(|s| &s.kind) {
        Some(Kind::Structure { members, required }) => (*members, Some(required)),
        _ => (&[][..], None),
    };
    let mut uri = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            uri.push(ir::UriPart::Literal(rest[..open].to_string()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| bad(format!("unclosed `{{` in requestUri `{template}`")))?
            + open;
        let label = &rest[open + 1..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        let found = members.iter().find(|(m, member)| {
            member.location.as_deref() == Some("uri")
                && member.location_name.as_deref().unwrap_or(m) == name
        });
        let Some((member_name, member)) = found else {
            return Err(bad(format!(
                "requestUri label `{name}` is not a `uri` member of the input `{input_name}`"
            )));
        };
        let scalar = matches!(
            model.shape(&member.shape).map(|s| &s.kind),
            Some(Kind::Scalar(_) | Kind::Enum { .. } | Kind::Timestamp(_))
        );
        if !scalar {
            return Err(bad(format!(
                "requestUri label `{name}` is not a scalar member"
            )));
        }
        uri.push(ir::UriPart::Label {
            member: member_name.clone(),
            field: naming::field_name(member_name),
            greedy,
            required: !reach.output.contains(input_name)
                && required.is_some_and(|r| r.contains(member_name.as_str()))
                && !member.idempotency_token,
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        uri.push(ir::UriPart::Literal(rest.to_string()));
    }
    Ok(uri)
}

/// The members of the operation's input structure (none without an input).
fn input_members<'a>(model: &checked::Model<'a>, op: &Operation) -> &'a [(String, Member)] {
    let shape = op.input.as_ref().and_then(|i| model.shape(&i.shape));
    match shape.map(|s| &s.kind) {
        Some(Kind::Structure { members, .. }) => members,
        _ => &[],
    }
}

/// The input members that set endpoint rule-set parameters (`contextParam`): strings,
/// string enums and booleans (what parameters are; others are left out, as botocore
/// would pass a value no rule could use).
fn context_params(model: &checked::Model<'_>, op: &Operation) -> Vec<ir::ContextParam> {
    input_members(model, op)
        .iter()
        .filter_map(|(name, m)| {
            let param = m.context_param.as_ref()?;
            let kind = match model.shape(&m.shape).map(|s| &s.kind) {
                Some(Kind::Scalar(ir::RustType::String)) => ir::ContextKind::Str,
                Some(Kind::Scalar(ir::RustType::Bool)) => ir::ContextKind::Bool,
                Some(Kind::Enum { .. }) => ir::ContextKind::Enum,
                _ => return None,
            };
            Some(ir::ContextParam {
                param: param.name.clone(),
                field: naming::field_name(name),
                kind,
            })
        })
        .collect()
}

/// The input's top-level string members marked `idempotencyToken` (botocore fills only
/// those), as field names.
fn idempotency_tokens(model: &checked::Model<'_>, op: &Operation) -> Vec<naming::Ident> {
    input_members(model, op)
        .iter()
        .filter(|(_, m)| {
            m.idempotency_token
                && matches!(
                    model.shape(&m.shape).map(|s| &s.kind),
                    Some(Kind::Scalar(crate::ir::RustType::String))
                )
        })
        .map(|(name, _)| naming::field_name(name))
        .collect()
}

/// The struct emitted for an input or output the model leaves out.
fn empty(module: &Ident, name: &Ident, role: Role, what: &str, op: &str) -> ir::TypeDef {
    ir::TypeDef {
        shape: String::new(),
        name: name.clone(),
        module: Module::Operation(module.clone()),
        alias: None,
        docs: Some(format!(
            "The {what} of the `{op}` operation, which the model leaves empty."
        )),
        deprecated: None,
        sensitive: false,
        derive_debug: true,
        is_output: role == Role::Output,
        kind: TypeKind::Struct(Struct {
            role,
            fields: Vec::new(),
            derive_default: true,
            codes: Vec::new(),
            payload: None,
            xml_shape: None,
            constructor: match role {
                Role::Input => ir::Constructor::Empty,
                _ => ir::Constructor::None,
            },
        }),
    }
}

/// The operation's modelled faults, in model order, each listed once.
fn errors(
    model: &checked::Model<'_>,
    locations: &Locations,
    op_name: &str,
    op: &Operation,
) -> Result<Vec<ir::ErrorRef>> {
    let mut variants = Scope::with_reserved(&[
        ("Unhandled", "the unhandled-error variant"),
        ("Request", "the request-error variant"),
    ]);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    // The operation's faults, then the exceptions its output event stream can carry
    // (CloudWatch Logs' `SessionTimeoutException`, Kinesis's `KMSThrottlingException`),
    // which the operation does not always list: a stream's modelled exception is then a
    // typed variant too, not `Unhandled`.
    let stream_exceptions = op.output.iter().flat_map(|out| {
        model
            .children(&out.shape)
            .into_iter()
            .filter(|m| model.shape(&m.shape).is_some_and(|t| t.raw.eventstream))
            .flat_map(|m| model.children(&m.shape))
            .filter(|m| model.shape(&m.shape).is_some_and(|t| t.raw.exception))
    });
    let shapes: Vec<String> = op
        .errors
        .iter()
        .map(|e| e.shape.clone())
        .chain(stream_exceptions.map(|m| m.shape.clone()))
        .collect();
    for shape_name in &shapes {
        // Some models list the same fault twice for one operation; it is one variant.
        if !seen.insert(shape_name.as_str()) {
            continue;
        }
        let Some(target) = locations.get(shape_name).cloned() else {
            continue;
        };
        let variant = naming::union_variant_name(shape_name);
        claim(&mut variants, &variant, shape_name, || {
            Location::member(model.file, op_name, "errors")
        })?;
        let shape = model.shape(shape_name).map(|s| s.raw);
        let mut codes = vec![shape_name.clone()];
        if let Some(code) = shape
            .and_then(|s| s.error.as_ref())
            .and_then(|e| e.code.clone())
        {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        out.push(ir::ErrorRef {
            codes,
            is_fn: naming::is_variant_fn(&variant),
            variant,
            target,
            docs: shape.and_then(|s| docs(&s.documentation)),
        });
    }
    super::dedup_codes(out.iter_mut().map(|e| &mut e.codes));
    Ok(out)
}

/// Whether the input or output has an event-stream member.
fn event_stream(model: &checked::Model<'_>, op: &Operation) -> bool {
    [&op.input, &op.output].into_iter().flatten().any(|r| {
        model
            .children(&r.shape)
            .iter()
            .any(|m| model.shape(&m.shape).is_some_and(|t| t.raw.eventstream))
    })
}

/// Splits `{Label}.rest` into literal parts and labels bound to input members.
fn host_prefix(
    model: &checked::Model<'_>,
    reach: &Reach,
    op: &str,
    input: Option<&ShapeRef>,
    template: &str,
) -> Result<Vec<ir::HostPart>> {
    let bad = |reason: String| Error::MalformedShape {
        at: Location::member(model.file, op, "endpoint.hostPrefix"),
        reason,
    };
    let input_name = input.map(|i| i.shape.as_str()).unwrap_or_default();
    let (members, required) = match model.shape(input_name).map(|s| &s.kind) {
        Some(Kind::Structure { members, required }) => (*members, Some(required)),
        _ => (&[][..], None),
    };
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(ir::HostPart::Literal(rest[..open].to_string()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| bad(format!("unclosed `{{` in host prefix `{template}`")))?
            + open;
        let label = &rest[open + 1..close];
        let Some((_, member)) = members.iter().find(|(m, _)| m == label) else {
            return Err(bad(format!(
                "host prefix label `{label}` is not a member of the input `{input_name}`"
            )));
        };
        let is_string = matches!(
            model.shape(&member.shape).map(|s| &s.kind),
            Some(Kind::Scalar(ir::RustType::String) | Kind::Enum { .. })
        );
        if !is_string {
            return Err(bad(format!(
                "host prefix label `{label}` is not a string member"
            )));
        }
        parts.push(ir::HostPart::Label {
            wire: label.to_string(),
            field: naming::field_name(label),
            required: !reach.output.contains(input_name)
                && required.is_some_and(|r| r.contains(label)),
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(ir::HostPart::Literal(rest.to_string()));
    }
    Ok(parts)
}
