//! Pass 5: what the model's companion files add to the selected operations: paginators
//! (`paginators-1.json`) and waiters (`waiters-2.json`). Every key and JMESPath expression
//! is checked against the operation's shapes here, so that a wrong one is a generator
//! error naming the file, the paginator or waiter, and the key.

use super::locations::Locations;
use super::reach::Reach;
use super::{claim, docs};
use crate::checked::{self, Kind};
use crate::error::{Error, Location, Result};
use crate::ir::{
    self, AcceptorState, Matcher, MemberPath, OperationRef, PathMatch, PathStep, RustType,
};
use crate::jmespath;
use crate::model::{Companion, PaginatorsFile, RawAcceptor, RawPaginator, WaitersFile};
use crate::naming::{self, Scope};
use std::path::Path;

/// What the passes here read.
pub(super) struct Cx<'m, 'a> {
    pub model: &'m checked::Model<'a>,
    pub reach: &'m Reach,
    pub locations: &'m Locations,
}

fn bad(file: &Path, item: &str, key: &str, reason: impl Into<String>) -> Error {
    Error::MalformedShape {
        at: Location::member(file, item, key),
        reason: reason.into(),
    }
}

/// The operation `name` if it is selected (`None` when the allow-list leaves it out); an
/// error when the model has no such operation.
fn operation(cx: &Cx<'_, '_>, file: &Path, item: &str, name: &str) -> Result<Option<OperationRef>> {
    if cx.model.raw.operations.get(name).is_none() {
        return Err(bad(
            file,
            item,
            "operation",
            format!("the model has no operation `{name}`"),
        ));
    }
    if cx
        .reach
        .ops
        .binary_search_by(|o| o.as_str().cmp(name))
        .is_err()
    {
        return Ok(None);
    }
    Ok(Some(OperationRef {
        name: name.to_string(),
        module: naming::module_name(name),
        input: naming::operation_type_name(name, "Input"),
        output: naming::operation_type_name(name, "Output"),
        error: naming::operation_type_name(name, "Error"),
    }))
}

fn io_shape<'a>(cx: &Cx<'_, 'a>, op: &str, output: bool) -> Option<&'a str> {
    let op = cx.model.raw.operations.get(op)?;
    let r = if output {
        op.output.as_ref()
    } else {
        op.input.as_ref()
    };
    r.map(|r| r.shape.as_str())
}

pub(super) fn paginators(
    cx: &Cx<'_, '_>,
    file: Option<&Companion<PaginatorsFile>>,
) -> Result<Vec<ir::Paginator>> {
    let Some(file) = file else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, raw) in file.content.pagination.iter() {
        if let Some(op) = operation(cx, &file.path, name, name)? {
            out.push(paginator(cx, &file.path, name, raw, op)?);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn paginator(
    cx: &Cx<'_, '_>,
    file: &Path,
    name: &str,
    raw: &RawPaginator,
    operation: OperationRef,
) -> Result<ir::Paginator> {
    let err = |key: &str, reason: String| bad(file, name, key, reason);
    let input = io_shape(cx, name, false)
        .ok_or_else(|| err("input_token", "the operation has no input".into()))?;
    let output = io_shape(cx, name, true)
        .ok_or_else(|| err("output_token", "the operation has no output".into()))?;
    let tokens = tokens(cx, raw, (input, output)).map_err(|(key, reason)| err(key, reason))?;
    let more_results = match &raw.more_results {
        Some(m) => {
            let p = path(cx, output, m).map_err(|r| err("more_results", r))?;
            if !token_type(&p.ty) {
                return Err(err(
                    "more_results",
                    format!("`{m}` is not a string, number, boolean, list or map"),
                ));
            }
            Some(p)
        }
        None => None,
    };
    let limit_key = match &raw.limit_key {
        Some(l) => match member(cx, input, l).map_err(|r| err("limit_key", r))? {
            (field, ty @ (RustType::I32 | RustType::I64 | RustType::String)) => {
                Some((field, l.clone(), required(cx, input, l), ty))
            }
            _ => {
                return Err(err(
                    "limit_key",
                    format!("`{l}` is not an integer or string member"),
                ))
            }
        },
        None => None,
    };
    let result = match raw
        .result_key
        .as_ref()
        .map(|r| r.to_vec())
        .unwrap_or_default()
        .first()
    {
        Some(key) => {
            let p = path(cx, output, key).map_err(|r| err("result_key", r))?;
            match &p.ty {
                RustType::List(item) => Some((p.clone(), Some((**item).clone()))),
                RustType::Map(..) => Some((p, None)),
                _ => None,
            }
        }
        None => None,
    };
    Ok(ir::Paginator {
        name: naming::type_name(name),
        method: naming::paginator_method(&operation.module),
        operation,
        tokens,
        more_results,
        limit_key,
        result,
    })
}

/// The (input member, required, output paths: alternatives, the first present wins) of
/// each token pair, checked: the two sides
/// have one type, and it is one a token can be.
#[allow(clippy::type_complexity)]
fn tokens(
    cx: &Cx<'_, '_>,
    raw: &RawPaginator,
    (input, output): (&str, &str),
) -> std::result::Result<Vec<(naming::Ident, bool, Vec<MemberPath>)>, (&'static str, String)> {
    let (inputs, outputs) = (raw.input_token.to_vec(), raw.output_token.to_vec());
    if inputs.len() != outputs.len() {
        return Err((
            "output_token",
            "input_token and output_token differ in length".into(),
        ));
    }
    let mut tokens = Vec::new();
    for (i, o) in inputs.iter().zip(&outputs) {
        let (field, ty) = member(cx, input, i).map_err(|r| ("input_token", r))?;
        // `A || B[-1].C` (S3's ListObjects): the first of the paths that is present.
        let mut alternatives = Vec::new();
        for alt in o.split("||").map(str::trim) {
            let (path, shape) = path_to(cx, output, alt).map_err(|r| ("output_token", r))?;
            if !same_type(&ty, &path.ty) {
                return Err((
                    "input_token",
                    format!("`{i}` and `{alt}` have different types"),
                ));
            }
            let is_enum = matches!(
                cx.model.shape(&shape).map(|s| &s.kind),
                Some(Kind::Enum { .. })
            );
            if !token_type(&path.ty) && !is_enum {
                return Err((
                    "output_token",
                    format!("`{alt}` is not a string, enum, number, boolean, list or map"),
                ));
            }
            alternatives.push(path);
        }
        tokens.push((field, required(cx, input, i), alternatives));
    }
    Ok(tokens)
}

/// Whether a value can be a token (the runtime's `paginator::Token` judges whether it is
/// present).
fn token_type(ty: &RustType) -> bool {
    matches!(
        ty,
        RustType::String
            | RustType::I32
            | RustType::I64
            | RustType::Bool
            | RustType::List(_)
            | RustType::Map(..)
    )
}

/// Whether member `name` of the input `shape` is a required (non-`Option`) field.
fn required(cx: &Cx<'_, '_>, shape: &str, name: &str) -> bool {
    !cx.reach.output.contains(shape)
        && matches!(cx.model.shape(shape).map(|s| &s.kind), Some(Kind::Structure { required, .. }) if required.contains(name))
}

fn same_type(a: &RustType, b: &RustType) -> bool {
    match (a, b) {
        (RustType::Named { target: x, .. }, RustType::Named { target: y, .. }) => x == y,
        (RustType::List(x), RustType::List(y)) => same_type(x, y),
        (RustType::Map(k, v), RustType::Map(l, w)) => same_type(k, l) && same_type(v, w),
        _ => a == b,
    }
}

/// A member of the structure `shape`: its field name and type.
fn member(
    cx: &Cx<'_, '_>,
    shape: &str,
    name: &str,
) -> std::result::Result<(naming::Ident, RustType), String> {
    let members = match cx.model.shape(shape).map(|s| &s.kind) {
        Some(Kind::Structure { members, .. }) => *members,
        _ => return Err(format!("`{shape}` is not a structure")),
    };
    let (m, member) = members
        .iter()
        .find(|(m, _)| m == name)
        .ok_or_else(|| format!("`{shape}` has no member `{name}`"))?;
    let ty = super::types::member_type(cx.model, cx.locations, shape, m, member)
        .map_err(|e| e.to_string())?;
    Ok((naming::field_name(m), ty))
}

/// A path `A.B[-1].C` from the structure `root`.
fn path(cx: &Cx<'_, '_>, root: &str, text: &str) -> std::result::Result<MemberPath, String> {
    path_to(cx, root, text).map(|(p, _)| p)
}

/// [`path`], and the model shape it reaches.
fn path_to(
    cx: &Cx<'_, '_>,
    root: &str,
    text: &str,
) -> std::result::Result<(MemberPath, String), String> {
    let mut shape = root.to_string();
    let mut steps = Vec::new();
    let mut ty = RustType::Bool;
    for (i, segment) in text.split('.').enumerate() {
        if i > 0 && !matches!(ty, RustType::Named { .. }) {
            return Err(format!("`{text}` goes into a value that has no members"));
        }
        let (name, index) = match segment.split_once('[') {
            Some((n, rest)) => {
                let i: i64 = rest
                    .strip_suffix(']')
                    .and_then(|x| x.parse().ok())
                    .ok_or_else(|| format!("`{segment}` in `{text}` is not `name` or `name[n]`"))?;
                (n, Some(i))
            }
            None => (segment, None),
        };
        let (field, member_ty) = member(cx, &shape, name)?;
        let boxed = matches!(member_ty, RustType::Named { boxed: true, .. });
        steps.push(PathStep::Field { name: field, boxed });
        ty = member_ty;
        if let Some(i) = index {
            ty = match ty {
                RustType::List(inner) => *inner,
                _ => return Err(format!("`{name}` in `{text}` is not a list")),
            };
            steps.push(PathStep::Index(i));
        }
        shape = shape_after(cx, &shape, name, index.is_some())?;
    }
    Ok((
        MemberPath {
            steps,
            ty,
            text: text.to_string(),
        },
        shape,
    ))
}

/// The shape reached from `owner` through member `name` (and into its elements).
fn shape_after(
    cx: &Cx<'_, '_>,
    owner: &str,
    name: &str,
    element: bool,
) -> std::result::Result<String, String> {
    let Some(Kind::Structure { members, .. }) = cx.model.shape(owner).map(|s| &s.kind) else {
        return Err(format!("`{owner}` is not a structure"));
    };
    let target = members
        .iter()
        .find(|(m, _)| m == name)
        .map(|(_, m)| m.shape.clone())
        .ok_or_else(|| format!("`{owner}` has no member `{name}`"))?;
    if !element {
        return Ok(target);
    }
    match cx.model.shape(&target).map(|s| &s.kind) {
        Some(Kind::List { member, .. }) => Ok(member.shape.clone()),
        _ => Err(format!("`{name}` is not a list")),
    }
}

pub(super) fn waiters(
    cx: &Cx<'_, '_>,
    file: Option<&Companion<WaitersFile>>,
) -> Result<Vec<ir::Waiter>> {
    let Some(file) = file else {
        return Ok(Vec::new());
    };
    let mut scope = Scope::default();
    let mut out = Vec::new();
    for (name, raw) in file.content.waiters.iter() {
        let Some(operation) = operation(cx, &file.path, name, &raw.operation)? else {
            continue;
        };
        let type_name = naming::type_name(name);
        claim(&mut scope, &type_name, name, || {
            Location::shape(&file.path, name)
        })?;
        let output = io_shape(cx, &raw.operation, true);
        let mut acceptors = Vec::new();
        for (i, a) in raw.acceptors.iter().enumerate() {
            let key = format!("acceptors[{i}]");
            acceptors.push(acceptor(cx, output, a).map_err(|r| bad(&file.path, name, &key, r))?);
        }
        out.push(ir::Waiter {
            model_name: name.clone(),
            name: type_name,
            method: naming::waiter_method(name),
            operation,
            delay: raw.delay,
            max_attempts: raw.max_attempts,
            docs: docs(&raw.description),
            acceptors,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn acceptor(
    cx: &Cx<'_, '_>,
    output: Option<&str>,
    a: &RawAcceptor,
) -> std::result::Result<ir::Acceptor, String> {
    let state = match a.state.as_str() {
        "success" => AcceptorState::Success,
        "failure" => AcceptorState::Failure,
        "retry" => AcceptorState::Retry,
        other => return Err(format!("unknown acceptor state `{other}`")),
    };
    let kind = match a.matcher.as_str() {
        "path" => Some(PathMatch::Path),
        "pathAll" => Some(PathMatch::All),
        "pathAny" => Some(PathMatch::Any),
        _ => None,
    };
    let matcher = match (kind, a.matcher.as_str(), &a.expected) {
        (Some(kind), _, expected) => {
            let argument = a
                .argument
                .clone()
                .ok_or("a path matcher needs `argument`")?;
            let expr = jmespath::parse(&argument).map_err(|e| format!("`{argument}`: {e}"))?;
            let root = output.ok_or("the operation has no output to match a path on")?;
            super::jmespath_check::check(cx.model, root, &expr)
                .map_err(|e| format!("`{argument}`: {e}"))?;
            Matcher::Path {
                kind,
                argument,
                expr,
                expected: expected.clone(),
            }
        }
        (None, "status", serde_json::Value::Number(n)) => Matcher::Status(
            n.as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("a status matcher expects an HTTP status")?,
        ),
        (None, "error", serde_json::Value::String(code)) => Matcher::ErrorCode(code.clone()),
        (None, "error", serde_json::Value::Bool(any)) => Matcher::AnyError(*any),
        (None, m, e) => return Err(format!("unsupported matcher `{m}` expecting `{e}`")),
    };
    Ok(ir::Acceptor { state, matcher })
}
