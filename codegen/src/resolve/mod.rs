//! [`checked::Model`] -> [`ir::Service`], in named passes:
//!
//! 1. [`reach`]: which operations are selected, which shapes they reach from inputs and
//!    from outputs or errors, and which input/output shapes an operation owns;
//! 2. [`locations`]: the module and final Rust name of every emitted type, and which
//!    references must be boxed to break cycles;
//! 3. [`types`]: the type definitions (structs, enums, unions) with every emit decision;
//! 4. [`operations`]: the operations, their inputs, outputs, faults and host prefixes;
//! 5. [`companions`]: paginators and waiters of the selected operations, checked
//!    against their shapes; then the client's method names are claimed together;
//! 6. [`examples`]: the model's examples as typed values of the inputs;
//! 7. [`xml`]: the XML protocols' shape table (query);
//! 8. [`events`]: output event streams (rest-json): the events enum, the receiver field.
//!
//! The IR is complete when [`resolve`] returns: emitters decide nothing the model says.

mod companions;
mod customize;
mod events;
mod examples;
mod jmespath_check;
mod locations;
mod operations;
mod reach;
mod types;
mod xml;

use crate::checked;
use crate::docs::html_to_markdown;
use crate::error::{Error, Location, Result};
use crate::ir::{self, Deprecation, Module};
use crate::model::{Companion, ExamplesFile, PaginatorsFile, WaitersFile};
use crate::naming::{Ident, Scope};

/// What the model's companion files add.
#[derive(Default)]
pub struct Companions<'a> {
    pub endpoint_rule_set: Option<String>,
    pub paginators: Option<&'a Companion<PaginatorsFile>>,
    pub waiters: Option<&'a Companion<WaitersFile>>,
    pub examples: Option<&'a Companion<ExamplesFile>>,
}

/// Resolves the operations in `allow` (all when `None`) of a validated model.
/// Makes each wire code name one fault. Every list starts with the fault's shape name (the
/// `__type` awsJson sends); the rest are the model's `error.code` aliases. A shape name
/// always names its own fault; an alias that another fault's shape name (or an earlier
/// alias) already claims is dropped: CloudWatch's `DashboardNotFoundError` has the code
/// `ResourceNotFound`, which is also a fault of its own, and the duplicate arm did not
/// compile.
pub(crate) fn dedup_codes<'a>(lists: impl Iterator<Item = &'a mut Vec<String>>) {
    let mut lists: Vec<&mut Vec<String>> = lists.collect();
    let mut claimed: std::collections::BTreeSet<String> =
        lists.iter().filter_map(|l| l.first().cloned()).collect();
    for list in lists.iter_mut() {
        let mut first = true;
        list.retain(|code| {
            let keep = first || claimed.insert(code.clone());
            first = false;
            keep
        });
    }
}

/// The serde keys of every structure and union of `s`, by model shape name.
fn serde_keys(s: &ir::Service) -> xml::SerdeKeys {
    let io = s
        .operations
        .iter()
        .flat_map(|op| [&op.input, &op.output])
        .filter_map(|io| match io {
            ir::Io::Owned(def) => Some(def),
            _ => None,
        });
    s.types
        .iter()
        .chain(&s.errors)
        .chain(io)
        .filter_map(|t| {
            let keys = match &t.kind {
                ir::TypeKind::Struct(st) => st.fields.iter().map(|f| f.wire.clone()).collect(),
                ir::TypeKind::Union { variants } => {
                    variants.iter().map(|v| v.wire.clone()).collect()
                }
                _ => return None,
            };
            Some((t.shape.clone(), keys))
        })
        .collect()
}

pub fn resolve(
    model: &checked::Model<'_>,
    allow: Option<&[String]>,
    companions: Companions<'_>,
) -> Result<ir::Service> {
    let reach = reach::analyse(model, allow);
    let locations = locations::assign(model, &reach)?;
    let mut types = Vec::new();
    let mut errors = Vec::new();
    let mut owned = std::collections::BTreeMap::new();
    for shape in &reach.all {
        let Some(at) = locations.get(shape) else {
            continue;
        };
        let def = types::type_def(model, &reach, &locations, shape, at)?;
        match &def.module {
            Module::Types => types.push(def),
            Module::Errors => errors.push(def),
            _ => {
                owned.insert(shape.clone(), def);
            }
        }
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    dedup_codes(errors.iter_mut().filter_map(|t| match &mut t.kind {
        ir::TypeKind::Struct(s) => Some(&mut s.codes),
        _ => None,
    }));
    let operations = operations::build(model, &reach, &locations, &mut owned)?;
    let cx = companions::Cx {
        model,
        reach: &reach,
        locations: &locations,
    };
    let mut s = service(
        model,
        companions.endpoint_rule_set,
        types,
        errors,
        operations,
    );
    let streaming: Vec<bool> = s
        .operations
        .iter()
        .map(|op| {
            s.io_struct(&op.output)
                .and_then(|st| st.payload.as_ref())
                .is_some_and(|p| matches!(p.kind, ir::PayloadKind::Stream { .. }))
        })
        .collect();
    for (op, streaming) in s.operations.iter_mut().zip(streaming) {
        op.streaming_output = streaming;
    }
    events::resolve(model, &mut s);
    if model.protocol.uses_table() {
        let schema = xml::schema(model, &reach, &serde_keys(&s))?;
        for t in &mut s.errors {
            if let ir::TypeKind::Struct(st) = &mut t.kind {
                st.xml_shape = schema.faults.get(&t.shape).copied();
            }
        }
        s.xml = Some(schema);
    }
    s.paginators = companions::paginators(&cx, companions.paginators)?;
    s.waiters = companions::waiters(&cx, companions.waiters)?;
    examples::attach(&mut s, companions.examples);
    client_methods(model, &s)?;
    Ok(s)
}

/// Claims every method name of the generated `Client` in one scope.
fn client_methods(model: &checked::Model<'_>, s: &ir::Service) -> Result<()> {
    let mut scope = Scope::with_reserved(&[
        ("new", "the constructor"),
        ("from_env", "the constructor from the environment"),
        ("config", "the configuration getter"),
        ("handle", "the request path"),
    ]);
    let names = s
        .operations
        .iter()
        .map(|o| (&o.module, o.name.as_str()))
        .chain(
            s.paginators
                .iter()
                .map(|p| (&p.method, p.operation.name.as_str())),
        )
        .chain(s.waiters.iter().map(|w| (&w.method, w.model_name.as_str())));
    for (method, source) in names {
        claim(&mut scope, method, source, || {
            Location::shape(model.file, source)
        })?;
    }
    Ok(())
}

fn service(
    model: &checked::Model<'_>,
    endpoint_rule_set: Option<String>,
    types: Vec<ir::TypeDef>,
    errors: Vec<ir::TypeDef>,
    operations: Vec<ir::Operation>,
) -> ir::Service {
    let md = &model.raw.metadata;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let endpoint_prefix = text(&md.endpoint_prefix);
    let uid = md.uid.clone().unwrap_or_else(|| {
        format!(
            "{}-{}",
            md.endpoint_prefix.as_deref().unwrap_or("service"),
            md.api_version.as_deref().unwrap_or("unknown")
        )
    });
    ir::Service {
        source_name: model
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        uid,
        api_version: text(&md.api_version),
        service_id: text(&md.service_id),
        full_name: text(&md.service_full_name),
        protocol: ir::Protocol {
            kind: model.protocol,
            target_prefix: text(&md.target_prefix),
            query_compatible: md.aws_query_compatible.is_some(),
        },
        signing_name: md
            .signing_name
            .clone()
            .unwrap_or_else(|| endpoint_prefix.clone()),
        endpoint_prefix,
        signer: customize::signer(model),
        presigned_post: customize::presigned_post(model, &operations),
        express_session: customize::express_session(model, &operations, &types),
        docs: docs(&model.raw.documentation),
        endpoint_rule_set,
        types,
        errors,
        operations,
        paginators: Vec::new(),
        waiters: Vec::new(),
        xml: None,
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
