//! Parse -> validate -> resolve: from a botocore file to the [`ir::Service`] the emitter reads.

use crate::docs::html_to_markdown;
use crate::error::{Error, Location, Result};
use crate::ir::{
    self, Deprecation, Io, Module, Role, RustType, TimestampFormat, TypeKind, TypeRef,
};
use crate::model::{Member, Model, Shape};
use crate::naming::{self, Ident, Scope};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Reads and parses a model file.
pub fn load(path: &Path) -> Result<Model> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Parses model text; `path` is only used in errors.
pub fn parse(path: &Path, text: &str) -> Result<Model> {
    serde_json::from_str(text).map_err(|e| Error::Json {
        file: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

const SCALARS: &[&str] = &[
    "string",
    "integer",
    "long",
    "short",
    "byte",
    "float",
    "double",
    "boolean",
    "blob",
    "timestamp",
];

/// Checks everything the resolver relies on, so that resolving cannot fail on a reference.
pub fn validate(file: &Path, model: &Model, allow: Option<&[String]>) -> Result<()> {
    if model.metadata.protocol != "json" {
        return Err(Error::UnsupportedProtocol {
            file: file.to_path_buf(),
            protocol: model.metadata.protocol.clone(),
        });
    }
    if let Some(allow) = allow {
        for op in allow {
            if model.operations.get(op).is_none() {
                return Err(Error::UnknownOperation {
                    file: file.to_path_buf(),
                    operation: op.clone(),
                });
            }
        }
    }
    let exists = |at: Location, target: &str| -> Result<()> {
        if model.shapes.contains_key(target) {
            Ok(())
        } else {
            Err(Error::DanglingReference {
                at,
                target: target.to_string(),
            })
        }
    };
    for (name, op) in model.operations.iter() {
        let refs = op
            .input
            .iter()
            .map(|r| ("input", r))
            .chain(op.output.iter().map(|r| ("output", r)));
        for (what, r) in refs.chain(op.errors.iter().map(|r| ("errors", r))) {
            exists(Location::member(file, name, what), &r.shape)?;
        }
    }
    for (name, shape) in &model.shapes {
        let t = shape.type_name.as_str();
        match t {
            "structure" => {
                let members = shape
                    .members
                    .as_ref()
                    .ok_or_else(|| Error::MalformedShape {
                        at: Location::shape(file, name),
                        reason: "a structure needs `members`".into(),
                    })?;
                for (m, member) in members.iter() {
                    exists(Location::member(file, name, m), &member.shape)?;
                    check_timestamp_format(
                        file,
                        name,
                        Some(m),
                        member.timestamp_format.as_deref(),
                    )?;
                }
                for req in &shape.required {
                    if members.get(req).is_none() {
                        return Err(Error::UnknownRequiredMember {
                            at: Location::member(file, name, req),
                        });
                    }
                }
            }
            "list" => {
                let member = shape.member.as_ref().ok_or_else(|| Error::MalformedShape {
                    at: Location::shape(file, name),
                    reason: "a list needs `member`".into(),
                })?;
                exists(Location::member(file, name, "member"), &member.shape)?;
            }
            "map" => {
                for (what, m) in [("key", &shape.key), ("value", &shape.value)] {
                    let m = m.as_ref().ok_or_else(|| Error::MalformedShape {
                        at: Location::shape(file, name),
                        reason: format!("a map needs `{what}`"),
                    })?;
                    exists(Location::member(file, name, what), &m.shape)?;
                }
                let key = shape
                    .key
                    .as_ref()
                    .map(|k| k.shape.as_str())
                    .unwrap_or_default();
                if model.shapes.get(key).map(|s| s.type_name.as_str()) != Some("string") {
                    return Err(Error::MalformedShape {
                        at: Location::member(file, name, "key"),
                        reason: "a map key must be a string shape".into(),
                    });
                }
            }
            _ if SCALARS.contains(&t) => {
                check_timestamp_format(file, name, None, shape.timestamp_format.as_deref())?;
                if shape.enum_values.is_some() && t != "string" {
                    return Err(Error::MalformedShape {
                        at: Location::shape(file, name),
                        reason: format!("`enum` on a `{t}` shape"),
                    });
                }
            }
            _ => {
                return Err(Error::UnknownShapeType {
                    at: Location::shape(file, name),
                    type_name: t.to_string(),
                })
            }
        }
    }
    Ok(())
}

fn check_timestamp_format(
    file: &Path,
    shape: &str,
    member: Option<&str>,
    fmt: Option<&str>,
) -> Result<()> {
    match fmt {
        None | Some("unixTimestamp" | "iso8601" | "rfc822") => Ok(()),
        Some(other) => Err(Error::MalformedShape {
            at: match member {
                Some(m) => Location::member(file, shape, m),
                None => Location::shape(file, shape),
            },
            reason: format!("unknown timestampFormat `{other}`"),
        }),
    }
}

fn timestamp_format(s: &str) -> TimestampFormat {
    match s {
        "iso8601" => TimestampFormat::Iso8601,
        "rfc822" => TimestampFormat::HttpDate,
        _ => TimestampFormat::EpochSeconds,
    }
}

fn docs(html: &Option<String>) -> Option<String> {
    html.as_deref().and_then(html_to_markdown)
}

fn deprecation(deprecated: bool, message: &Option<String>) -> Option<Deprecation> {
    (deprecated || message.is_some()).then(|| Deprecation {
        note: message
            .as_deref()
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty()),
    })
}

struct Resolver<'a> {
    file: &'a Path,
    model: &'a Model,
    /// Where each emitted named shape lives, with its final name.
    locations: BTreeMap<String, TypeRef>,
    /// Structures reachable from an output or error.
    output_reachable: BTreeSet<String>,
    /// Shapes that are the output of a selected operation.
    outputs: BTreeSet<String>,
    /// Direct (non-container) edges between structures/unions, for cycle detection.
    direct_edges: BTreeMap<String, BTreeSet<String>>,
}

/// Validates `model` and resolves the operations in `allow` (all when `None`).
pub fn resolve(file: &Path, model: &Model, allow: Option<&[String]>) -> Result<ir::Service> {
    validate(file, model, allow)?;
    let op_names: Vec<String> = match allow {
        Some(a) => {
            let set: BTreeSet<&String> = a.iter().collect();
            set.into_iter().cloned().collect()
        }
        None => {
            let mut all: Vec<String> = model.operations.iter().map(|(k, _)| k.clone()).collect();
            all.sort();
            all
        }
    };

    // Which shapes are reachable, and from where.
    let mut input_reach = BTreeSet::new();
    let mut output_reach = BTreeSet::new();
    let mut errors = BTreeSet::new();
    for name in &op_names {
        let Some(op) = model.operations.get(name) else {
            continue;
        };
        if let Some(i) = &op.input {
            reach(model, &i.shape, &mut input_reach);
        }
        if let Some(o) = &op.output {
            reach(model, &o.shape, &mut output_reach);
        }
        for e in &op.errors {
            errors.insert(e.shape.clone());
            reach(model, &e.shape, &mut output_reach);
        }
    }

    // How often each shape is referenced anywhere in the model (members, operations), to
    // decide whether an operation's input/output shape can be owned by that operation.
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for shape in model.shapes.values() {
        for m in shape_refs(shape) {
            *uses.entry(m.shape.as_str()).or_default() += 1;
        }
    }
    for (_, op) in model.operations.iter() {
        for r in op
            .input
            .iter()
            .chain(op.output.iter())
            .chain(op.errors.iter())
        {
            *uses.entry(r.shape.as_str()).or_default() += 1;
        }
    }

    let mut r = Resolver {
        file,
        model,
        locations: BTreeMap::new(),
        output_reachable: output_reach.clone(),
        outputs: op_names
            .iter()
            .filter_map(|n| {
                model
                    .operations
                    .get(n)?
                    .output
                    .as_ref()
                    .map(|o| o.shape.clone())
            })
            .collect(),
        direct_edges: BTreeMap::new(),
    };

    // Operation modules and the shapes they own.
    let mut module_scope = Scope::default();
    let mut owned: BTreeMap<String, (Ident, Ident)> = BTreeMap::new(); // shape -> (module, name)
    for name in &op_names {
        let Some(op) = model.operations.get(name) else {
            continue;
        };
        let module = naming::module_name(name);
        claim(&mut module_scope, &module, name, || {
            Location::shape(file, name)
        })?;
        let camel = naming::type_name(name);
        for (io, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
            if let Some(s) = io {
                let is_structure = model
                    .shapes
                    .get(&s.shape)
                    .is_some_and(|x| x.type_name == "structure");
                if is_structure
                    && uses.get(s.shape.as_str()) == Some(&1)
                    && !errors.contains(&s.shape)
                {
                    let ty = naming::type_name(&format!("{}{suffix}", camel.unraw()));
                    owned.insert(s.shape.clone(), (module.clone(), ty));
                }
            }
        }
    }

    // Every named type that will be emitted: structures, unions and string enums.
    let all: BTreeSet<String> = input_reach.union(&output_reach).cloned().collect();
    let mut types_scope = Scope::default();
    let mut errors_scope = Scope::with_reserved(&[("Unhandled", "the unhandled-error variant")]);
    for shape_name in &all {
        let Some(shape) = model.shapes.get(shape_name) else {
            continue;
        };
        let named = shape.type_name == "structure" || shape.enum_values.is_some();
        if !named {
            continue;
        }
        if let Some((module, ty)) = owned.get(shape_name) {
            r.locations.insert(
                shape_name.clone(),
                TypeRef {
                    module: Module::Operation(module.clone()),
                    name: ty.clone(),
                },
            );
            continue;
        }
        let name = naming::type_name(shape_name);
        let (module, scope) = if errors.contains(shape_name) || shape.exception {
            (Module::Errors, &mut errors_scope)
        } else {
            (Module::Types, &mut types_scope)
        };
        claim(scope, &name, shape_name, || {
            Location::shape(file, shape_name)
        })?;
        r.locations
            .insert(shape_name.clone(), TypeRef { module, name });
    }

    // Direct edges for boxing.
    for shape_name in &all {
        let Some(shape) = model.shapes.get(shape_name) else {
            continue;
        };
        if shape.type_name != "structure" {
            continue;
        }
        let targets = shape
            .members
            .iter()
            .flat_map(|m| m.iter())
            .filter(|(_, m)| {
                model
                    .shapes
                    .get(&m.shape)
                    .is_some_and(|s| s.type_name == "structure")
            })
            .map(|(_, m)| m.shape.clone())
            .collect();
        r.direct_edges.insert(shape_name.clone(), targets);
    }

    // Build the type definitions.
    let mut types = Vec::new();
    let mut faults = Vec::new();
    let mut op_owned: BTreeMap<String, ir::TypeDef> = BTreeMap::new();
    for shape_name in &all {
        let Some(loc) = r.locations.get(shape_name).cloned() else {
            continue;
        };
        let def = r.type_def(shape_name, &loc, &errors)?;
        match loc.module {
            Module::Types => types.push(def),
            Module::Errors => faults.push(def),
            Module::Operation(_) => {
                op_owned.insert(shape_name.clone(), def);
            }
        }
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    faults.sort_by(|a, b| a.name.cmp(&b.name));

    let mut operations = Vec::new();
    for name in &op_names {
        let Some(op) = model.operations.get(name) else {
            continue;
        };
        let module = naming::module_name(name);
        let camel = naming::type_name(name);
        let input_name = naming::type_name(&format!("{}Input", camel.unraw()));
        let output_name = naming::type_name(&format!("{}Output", camel.unraw()));
        let error_name = naming::type_name(&format!("{}Error", camel.unraw()));
        let io = |sref: &Option<crate::model::ShapeRef>,
                  name: &Ident,
                  role: Role,
                  what: &str|
         -> Result<Io> {
            let Some(s) = sref else {
                return Ok(Io::Empty(ir::TypeDef {
                    shape: String::new(),
                    name: name.clone(),
                    alias: None,
                    docs: Some(format!(
                        "The {what} of the `{}` operation, which the model leaves empty.",
                        op.name
                    )),
                    deprecated: None,
                    sensitive: false,
                    is_output: role == Role::Output,
                    kind: TypeKind::Struct {
                        role,
                        fields: Vec::new(),
                    },
                }));
            };
            if let Some(def) = op_owned.get(&s.shape) {
                return Ok(Io::Owned(def.clone()));
            }
            match r.locations.get(&s.shape) {
                Some(loc)
                    if model
                        .shapes
                        .get(&s.shape)
                        .is_some_and(|x| x.type_name == "structure") =>
                {
                    Ok(Io::Alias(loc.clone()))
                }
                _ => Err(Error::MalformedShape {
                    at: Location::member(file, &op.name, what),
                    reason: format!(
                        "the {what} shape `{}` of operation `{}` is not a structure",
                        s.shape, op.name
                    ),
                }),
            }
        };
        let input = io(&op.input, &input_name, Role::Input, "input")?;
        let output = io(&op.output, &output_name, Role::Output, "output")?;
        let mut variants = Scope::with_reserved(&[("Unhandled", "the unhandled-error variant")]);
        let mut errs = Vec::new();
        let mut seen_errors = BTreeSet::new();
        for e in &op.errors {
            // Some models list the same fault twice for one operation; it is one variant.
            if !seen_errors.insert(e.shape.as_str()) {
                continue;
            }
            let Some(target) = r.locations.get(&e.shape).cloned() else {
                continue;
            };
            let variant = naming::union_variant_name(&e.shape);
            claim(&mut variants, &variant, &e.shape, || {
                Location::member(file, name, "errors")
            })?;
            let shape = model.shapes.get(&e.shape);
            let mut codes = vec![e.shape.clone()];
            if let Some(code) = shape
                .and_then(|s| s.error.as_ref())
                .and_then(|e| e.code.clone())
            {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
            errs.push(ir::ErrorRef {
                codes,
                variant,
                target,
                docs: shape.and_then(|s| docs(&s.documentation)),
            });
        }
        operations.push(ir::Operation {
            name: name.clone(),
            module,
            input_name,
            output_name,
            error_name,
            docs: docs(&op.documentation),
            deprecated: deprecation(op.deprecated, &op.deprecated_message),
            input,
            output,
            errors: errs,
            event_stream: [&op.input, &op.output].into_iter().flatten().any(|r| {
                model
                    .shapes
                    .get(&r.shape)
                    .and_then(|s| s.members.as_ref())
                    .is_some_and(|m| {
                        m.iter().any(|(_, mem)| {
                            model.shapes.get(&mem.shape).is_some_and(|t| t.eventstream)
                        })
                    })
            }),
            gzip_request: op
                .requestcompression
                .as_ref()
                .is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            host_prefix: match op.endpoint.as_ref().and_then(|e| e.host_prefix.as_deref()) {
                Some(template) => Some(host_prefix(
                    file,
                    model,
                    &r,
                    name,
                    op.input.as_ref(),
                    template,
                )?),
                None => None,
            },
        });
    }

    let md = &model.metadata;
    let uid = md.uid.clone().unwrap_or_else(|| {
        format!(
            "{}-{}",
            md.endpoint_prefix.as_deref().unwrap_or("service"),
            md.api_version.as_deref().unwrap_or("unknown")
        )
    });
    let endpoint_prefix = md.endpoint_prefix.clone().unwrap_or_default();
    Ok(ir::Service {
        source_name: file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        uid,
        api_version: md.api_version.clone().unwrap_or_default(),
        service_id: md.service_id.clone().unwrap_or_default(),
        full_name: md.service_full_name.clone().unwrap_or_default(),
        target_prefix: md.target_prefix.clone().unwrap_or_default(),
        json_version: md.json_version.clone().unwrap_or_else(|| "1.0".into()),
        signing_name: md
            .signing_name
            .clone()
            .unwrap_or_else(|| endpoint_prefix.clone()),
        endpoint_prefix,
        docs: docs(&model.documentation),
        endpoint_rule_set: None,
        types,
        errors: faults,
        operations,
    })
}

/// Claims `rust` for `source` in `scope`, or reports the collision at `at()` (built only
/// on a collision).
fn claim(
    scope: &mut Scope,
    rust: &Ident,
    source: &str,
    at: impl FnOnce() -> Location,
) -> Result<()> {
    scope
        .claim(rust, source)
        .map_err(|first| Error::NameCollision {
            at: at(),
            first,
            second: source.to_string(),
            rust_name: rust.to_string(),
        })
}

/// Splits `{Label}.rest` into literal parts and labels bound to input members.
fn host_prefix(
    file: &Path,
    model: &Model,
    r: &Resolver<'_>,
    op: &str,
    input: Option<&crate::model::ShapeRef>,
    template: &str,
) -> Result<Vec<ir::HostPart>> {
    let at = || Location::member(file, op, "endpoint.hostPrefix");
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(ir::HostPart::Literal(rest[..open].to_string()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| Error::MalformedShape {
                at: at(),
                reason: format!("unclosed `{{` in host prefix `{template}`"),
            })?
            + open;
        let label = &rest[open + 1..close];
        let input_name = input.map(|i| i.shape.as_str()).unwrap_or_default();
        let shape = model.shapes.get(input_name);
        let member = shape
            .and_then(|s| s.members.as_ref())
            .and_then(|m| m.get(label));
        let Some(member) = member else {
            return Err(Error::MalformedShape {
                at: at(),
                reason: format!(
                    "host prefix label `{label}` is not a member of the input `{input_name}`"
                ),
            });
        };
        if model
            .shapes
            .get(&member.shape)
            .map(|s| s.type_name.as_str())
            != Some("string")
        {
            return Err(Error::MalformedShape {
                at: at(),
                reason: format!("host prefix label `{label}` is not a string member"),
            });
        }
        let required = !r.output_reachable.contains(input_name)
            && shape.is_some_and(|s| s.required.iter().any(|x| x == label));
        parts.push(ir::HostPart::Label {
            wire: label.to_string(),
            field: naming::field_name(label),
            required,
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(ir::HostPart::Literal(rest.to_string()));
    }
    Ok(parts)
}

fn shape_refs(shape: &Shape) -> Vec<&Member> {
    let mut out: Vec<&Member> = Vec::new();
    if let Some(members) = &shape.members {
        out.extend(members.iter().map(|(_, m)| m));
    }
    out.extend(shape.member.iter());
    out.extend(shape.key.iter());
    out.extend(shape.value.iter());
    out
}

fn reach(model: &Model, root: &str, acc: &mut BTreeSet<String>) {
    let mut stack = vec![root.to_string()];
    while let Some(name) = stack.pop() {
        if !acc.insert(name.clone()) {
            continue;
        }
        if let Some(shape) = model.shapes.get(&name) {
            for m in shape_refs(shape) {
                if !acc.contains(&m.shape) {
                    stack.push(m.shape.clone());
                }
            }
        }
    }
}

impl Resolver<'_> {
    fn shape(&self, name: &str, at: Location) -> Result<&Shape> {
        self.model.shapes.get(name).ok_or(Error::DanglingReference {
            at,
            target: name.to_string(),
        })
    }

    /// Whether `to` can reach `from` through direct structure edges (then `from -> to` is a cycle edge).
    fn in_cycle(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![to.to_string()];
        while let Some(n) = stack.pop() {
            if n == from {
                return true;
            }
            if !seen.insert(n.clone()) {
                continue;
            }
            if let Some(next) = self.direct_edges.get(&n) {
                stack.extend(next.iter().cloned());
            }
        }
        false
    }

    /// The Rust type of a reference to `target` from shape `owner`, member `member`.
    fn rust_type(
        &self,
        owner: &str,
        member_name: &str,
        member: &Member,
        direct: bool,
    ) -> Result<RustType> {
        let at = || Location::member(self.file, owner, member_name);
        let shape = self.shape(&member.shape, at())?;
        let ty = match shape.type_name.as_str() {
            "string" if shape.enum_values.is_some() => {
                self.named(&member.shape, owner, direct, at)?
            }
            "string" => RustType::String,
            "boolean" => RustType::Bool,
            "byte" => RustType::I8,
            "short" => RustType::I16,
            "integer" => RustType::I32,
            "long" => RustType::I64,
            "float" => RustType::F32,
            "double" => RustType::F64,
            "blob" => RustType::Blob,
            "timestamp" => {
                let fmt = member
                    .timestamp_format
                    .as_deref()
                    .or(shape.timestamp_format.as_deref());
                RustType::Timestamp(
                    fmt.map(timestamp_format)
                        .unwrap_or(TimestampFormat::EpochSeconds),
                )
            }
            "structure" if shape.document => RustType::Document,
            "structure" => self.named(&member.shape, owner, direct, at)?,
            "list" => {
                let Some(el) = &shape.member else {
                    return Err(Error::MalformedShape {
                        at: Location::shape(self.file, &member.shape),
                        reason: "a list needs `member`".into(),
                    });
                };
                RustType::List(Box::new(self.rust_type(
                    &member.shape,
                    "member",
                    el,
                    false,
                )?))
            }
            "map" => {
                let (Some(k), Some(v)) = (&shape.key, &shape.value) else {
                    return Err(Error::MalformedShape {
                        at: Location::shape(self.file, &member.shape),
                        reason: "a map needs `key` and `value`".into(),
                    });
                };
                RustType::Map(
                    Box::new(self.rust_type(&member.shape, "key", k, false)?),
                    Box::new(self.rust_type(&member.shape, "value", v, false)?),
                )
            }
            other => {
                return Err(Error::UnknownShapeType {
                    at: Location::shape(self.file, &member.shape),
                    type_name: other.to_string(),
                })
            }
        };
        Ok(ty)
    }

    fn named(
        &self,
        target: &str,
        owner: &str,
        direct: bool,
        at: impl Fn() -> Location,
    ) -> Result<RustType> {
        let loc = self
            .locations
            .get(target)
            .cloned()
            .ok_or_else(|| Error::DanglingReference {
                at: at(),
                target: target.to_string(),
            })?;
        let boxed = direct && self.in_cycle(owner, target);
        Ok(RustType::Named { target: loc, boxed })
    }

    /// Whether a member's value may hold secrets: the member, its shape, or any shape
    /// inside it (list elements, map values) is marked sensitive.
    fn sensitive(&self, member: &Member) -> bool {
        if member.sensitive {
            return true;
        }
        let mut seen = BTreeSet::new();
        let mut stack = vec![member.shape.as_str()];
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            let Some(shape) = self.model.shapes.get(name) else {
                continue;
            };
            if shape.sensitive {
                return true;
            }
            if shape.type_name == "list" || shape.type_name == "map" {
                stack.extend(
                    shape
                        .member
                        .iter()
                        .chain(shape.key.iter())
                        .chain(shape.value.iter())
                        .map(|m| m.shape.as_str()),
                );
            }
        }
        false
    }

    fn type_def(
        &self,
        shape_name: &str,
        loc: &TypeRef,
        errors: &BTreeSet<String>,
    ) -> Result<ir::TypeDef> {
        let shape = self.shape(shape_name, Location::shape(self.file, shape_name))?;
        let alias = (loc.name.as_str() != shape_name).then(|| shape_name.to_string());
        let kind = if let Some(values) = &shape.enum_values {
            let mut scope = Scope::with_reserved(&[("Unknown", "the unknown-value variant")]);
            let mut out = Vec::new();
            let mut seen = BTreeSet::new();
            for v in values {
                if !seen.insert(v.as_str()) {
                    continue; // a value listed twice is the same value
                }
                let name = naming::variant_name(v);
                claim(&mut scope, &name, v, || {
                    Location::member(self.file, shape_name, v)
                })?;
                out.push(ir::EnumValue {
                    wire: v.clone(),
                    name,
                });
            }
            TypeKind::Enum { values: out }
        } else if shape.union {
            let mut scope = Scope::with_reserved(&[("Unknown", "the unknown-member variant")]);
            let mut variants = Vec::new();
            for (m, member) in shape.members.iter().flat_map(|x| x.iter()) {
                let name = naming::union_variant_name(m);
                claim(&mut scope, &name, m, || {
                    Location::member(self.file, shape_name, m)
                })?;
                variants.push(ir::UnionVariant {
                    wire: m.clone(),
                    name,
                    ty: self.rust_type(shape_name, m, member, true)?,
                    docs: docs(&member.documentation),
                    deprecated: deprecation(member.deprecated, &member.deprecated_message),
                    sensitive: self.sensitive(member),
                });
            }
            TypeKind::Union { variants }
        } else {
            let role = if errors.contains(shape_name) || shape.exception {
                Role::Exception
            } else if self.output_reachable.contains(shape_name) {
                Role::Output
            } else {
                Role::Input
            };
            let reserved: &[(&str, &str)] = match role {
                Role::Exception => &[("meta", "the error metadata field")],
                _ => &[],
            };
            let mut scope = Scope::with_reserved(reserved);
            let mut fields = Vec::new();
            for (m, member) in shape.members.iter().flat_map(|x| x.iter()) {
                let name = naming::field_name(m);
                claim(&mut scope, &name, m, || {
                    Location::member(self.file, shape_name, m)
                })?;
                fields.push(ir::Field {
                    wire: m.clone(),
                    name,
                    ty: self.rust_type(shape_name, m, member, true)?,
                    required: role == Role::Input && shape.required.iter().any(|r| r == m),
                    docs: docs(&member.documentation),
                    deprecated: deprecation(member.deprecated, &member.deprecated_message),
                    sensitive: self.sensitive(member),
                });
            }
            TypeKind::Struct { role, fields }
        };
        Ok(ir::TypeDef {
            shape: shape_name.to_string(),
            name: loc.name.clone(),
            alias,
            docs: docs(&shape.documentation),
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message),
            sensitive: shape.sensitive,
            is_output: self.outputs.contains(shape_name),
            kind,
        })
    }
}
