//! IR -> Rust tokens. Reads only [`crate::ir`]; never the model, and decides nothing the
//! model says (that is `resolve`'s job). One file per kind of item:
//!
//! - [`types`]: structures, string enums and unions (the `types` module, faults, and the
//!   inputs and outputs operations own);
//! - [`operation`]: `operation::<op>`: input, output, error enum and `send`;
//! - [`errors`]: operation error enums and the service-wide `Error`;
//! - [`service`]: the `service` module of model constants;
//! - [`client`]: `Client`, one method per operation.
//!
//! Layout of the output (one file, to be `include!`d anywhere; every reference between
//! generated items is a relative `super::` path made by [`Emitter::path`], std items are
//! fully qualified):
//!
//! ```text
//! pub mod types { structs, enums, unions; pub mod error { modelled faults } }
//! pub mod operation { pub mod <op> { <Op>Input, <Op>Output, <Op>Error, send() } }
//! pub mod error { Error (every fault of the service) }
//! pub mod service { UID, API_VERSION, SIGNING_NAME, ..., the protocol }
//! pub mod client { Client: one method per operation }
//! ```

mod client;
mod companions;
mod errors;
mod events;
mod examples;
mod operation;
mod protocol;
mod service;
mod types;

use crate::ir::{Deprecation, Module, Operation, RustType, Service, TypeDef, TypeRef};
use crate::naming::Ident;
use proc_macro2::{Span, TokenStream};
use protocol::Protocol;
use quote::quote;

/// Options that shape the emitted code, as configured (text only, so that every
/// formatting worker can make its own [`Options`]: tokens are not `Send`).
#[derive(Debug, Clone)]
pub(crate) struct OptionsText {
    /// Path of the runtime crate.
    pub runtime: String,
    /// Extra derives for every generated struct, enum and union.
    pub derives: Vec<String>,
    /// Extra attributes: (Rust type name or `*`, attributes).
    pub type_attributes: Vec<(String, String)>,
    /// The cargo feature that turns the blocking client on, if it is generated.
    pub blocking_feature: Option<String>,
    /// The cargo feature that turns the `test_util` module on, if it is generated.
    pub test_util_feature: Option<String>,
    /// The path of the generated crate (`awsgen_dms`), when the model's examples are
    /// rendered (in the docs, and as a file of their own).
    pub examples_crate: Option<String>,
    /// Emit `__wire_harness` (for the differential test against botocore).
    pub wire_harness: bool,
}

impl Default for OptionsText {
    fn default() -> Self {
        OptionsText {
            runtime: "::awsgen_runtime".to_string(),
            derives: Vec::new(),
            type_attributes: Vec::new(),
            blocking_feature: None,
            test_util_feature: None,
            examples_crate: None,
            wire_harness: false,
        }
    }
}

/// Options that shape the emitted code: the configuration ([`OptionsText`]) with its
/// paths and attributes parsed.
pub(crate) struct Options {
    pub text: OptionsText,
    /// Path of the runtime crate (`::awsgen_runtime`), as tokens and as text (for serde
    /// attributes, which take paths as strings).
    pub runtime: TokenStream,
    pub runtime_text: String,
    pub derives: Vec<TokenStream>,
    pub type_attributes: Vec<(String, TokenStream)>,
    /// What the configured derives and attributes add to each type, in units of
    /// [`TOKENS_PER_WEIGHT`] (as if every attribute applied to every type).
    pub attribute_weight: usize,
}

impl Options {
    /// Checks that every configured path and attribute is valid Rust.
    pub fn parse(text: &OptionsText) -> crate::Result<Self> {
        let rt = parse_path("runtime path", &text.runtime)?;
        let derives = text
            .derives
            .iter()
            .map(|d| parse_path("derive", d))
            .collect::<crate::Result<Vec<_>>>()?;
        let type_attributes = text
            .type_attributes
            .iter()
            .map(|(pattern, attr)| Ok((pattern.clone(), parse_attributes(attr)?)))
            .collect::<crate::Result<Vec<_>>>()?;
        let attribute_tokens: usize = derives
            .iter()
            .chain(type_attributes.iter().map(|(_, a)| a))
            .map(|t| crate::format::count_all_tokens(t.clone()))
            .sum();
        Ok(Options {
            attribute_weight: attribute_tokens.div_ceil(TOKENS_PER_WEIGHT),
            text: text.clone(),
            runtime_text: quote!(#rt).to_string().replace(' ', ""),
            runtime: rt,
            derives,
            type_attributes,
        })
    }
}

fn config_error(what: &str, text: &str, e: impl std::fmt::Display) -> crate::Error {
    crate::Error::Config {
        message: format!("{what} `{text}` is not valid Rust: {e}"),
    }
}

fn parse_path(what: &str, text: &str) -> crate::Result<TokenStream> {
    let path: syn::Path = syn::parse_str(text).map_err(|e| config_error(what, text, e))?;
    Ok(quote!(#path))
}

fn parse_attributes(text: &str) -> crate::Result<TokenStream> {
    let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text)
        .map_err(|e| config_error("type attribute", text, e))?;
    Ok(quote!(#(#attrs)*))
}

/// Emits the examples file, when examples are rendered.
pub(crate) fn emit_examples(service: &Service, options: &Options) -> Option<TokenStream> {
    Emitter::new(service, options).examples_file(service)
}

/// Emits the service as a sequence of top-level items (types, operations, the service
/// error, service, client, paginators, waiters, blocking), handing each to `sink` as soon
/// as it is built, so that the caller can format one before the next exists: the peak
/// memory (and the page faults that were a third of the generator's time) is one piece's.
///
/// With `defer`, each type, fault and operation (most of the output) is left as a
/// [`format::deferred`](crate::format::deferred) marker for [`emit_deferred`] to emit
/// on a formatting worker, in parallel.
pub(crate) fn emit_each(
    service: &Service,
    options: &Options,
    defer: bool,
    mut sink: impl FnMut(TokenStream) -> crate::Result<()>,
) -> crate::Result<()> {
    let mut e = Emitter::new(service, options);
    e.defer = defer;
    sink(e.types_module(service))?;
    sink(e.operations_module(service))?;
    sink(e.service_error(service))?;
    sink(e.service_module(service))?;
    sink(e.client(service))?;
    sink(e.paginator_module(service))?;
    sink(e.waiter_module(service))?;
    sink(e.blocking_client(service))?;
    sink(e.root_items())?;
    sink(e.wire_harness(service))
}

/// The item a deferred marker stands for (`key` numbers the service's types, then its
/// faults, then its operations; see [`Emitter::deferrable`]). `None` for a key out of
/// range, which only a bug could give.
pub(crate) fn emit_deferred(
    service: &Service,
    options: &Options,
    key: usize,
) -> Option<TokenStream> {
    let e = Emitter::new(service, options);
    Some(match Deferred::find(service, key)? {
        Deferred::Type(t) => e.type_def(t, None),
        Deferred::Operation(op) => e.operation(service, op),
    })
}

/// What a deferred marker's `key` stands for: the service's types, then its faults, then
/// its operations.
enum Deferred<'s> {
    Type(&'s TypeDef),
    Operation(&'s Operation),
}

impl<'s> Deferred<'s> {
    fn find(service: &'s Service, key: usize) -> Option<Self> {
        let (types, faults) = (service.types.len(), service.errors.len());
        if let Some(t) = service.types.get(key) {
            Some(Deferred::Type(t))
        } else if let Some(t) = key.checked_sub(types).and_then(|k| service.errors.get(k)) {
            Some(Deferred::Type(t))
        } else {
            let op = service.operations.get(key.checked_sub(types + faults)?)?;
            Some(Deferred::Operation(op))
        }
    }
}

/// What one unit of [`deferred_weight`] may emit, at most, in tokens: a member (its field,
/// setter, serialization and parsing), a line of documentation, a level of a member's
/// type. Over six times the most any item of the DMS model and the test fixture emits per
/// unit, about 63 (`deferred_weights_bound_their_tokens` checks four times).
pub(crate) const TOKENS_PER_WEIGHT: usize = 400;

/// A bound on the tokens [`emit_deferred`] gives for `key`, in units of
/// [`TOKENS_PER_WEIGHT`], from the IR alone: members, documentation lines and type
/// nesting, plus the configured attributes of every type. The formatter counts an item's
/// tokens only when this bound could reach its limit, instead of copying every item to
/// count it (8 % of the generator's CPU). `None` for a key out of range.
pub(crate) fn deferred_weight(service: &Service, options: &Options, key: usize) -> Option<usize> {
    let per_type = options.attribute_weight;
    Some(match Deferred::find(service, key)? {
        Deferred::Type(t) => weight::type_def(t, per_type),
        Deferred::Operation(op) => weight::operation(op, per_type),
    })
}

/// The parts of [`deferred_weight`].
mod weight {
    use crate::ir::{Deprecation, Io, Operation, RustType, TypeDef, TypeKind};

    /// Lines of documentation (each an attribute), one more for the item's own tokens.
    fn docs(d: &Option<String>) -> usize {
        1 + d.as_deref().map_or(0, |d| d.lines().count())
    }

    fn deprecated(d: &Option<Deprecation>) -> usize {
        usize::from(d.is_some())
    }

    fn ty(t: &RustType) -> usize {
        match t {
            RustType::List(inner) | RustType::Sparse(inner) => 1 + ty(inner),
            RustType::Map(k, v) => 1 + ty(k) + ty(v),
            _ => 1,
        }
    }

    pub(super) fn type_def(t: &TypeDef, per_type: usize) -> usize {
        let members: usize = match &t.kind {
            TypeKind::Struct(s) => {
                s.codes.len()
                    + s.fields
                        .iter()
                        .map(|f| docs(&f.docs) + ty(&f.ty) + deprecated(&f.deprecated))
                        .sum::<usize>()
            }
            TypeKind::Enum { values } => values.len(),
            TypeKind::Union { variants } => variants
                .iter()
                .map(|v| docs(&v.docs) + ty(&v.ty) + deprecated(&v.deprecated))
                .sum(),
        };
        // A type's own impls (serialization, parsing, constructor) are about 700 tokens.
        8 + per_type + docs(&t.docs) + deprecated(&t.deprecated) + members
    }

    pub(super) fn operation(op: &Operation, per_type: usize) -> usize {
        let io = |io: &Io| match io {
            Io::Owned(def) | Io::Empty(def) => type_def(def, per_type),
            Io::Alias(_) => 1,
        };
        // The operation's own items (its type, error enum and `send`) are about 1,000.
        12 + docs(&op.docs)
            + deprecated(&op.deprecated)
            + io(&op.input)
            + io(&op.output)
            + op.errors.iter().map(|e| 1 + e.codes.len()).sum::<usize>()
            + op.host_prefix.as_ref().map_or(0, Vec::len)
            + op.idempotency_tokens.len()
    }
}

/// What every emit function reads: the options and the service's protocol.
pub(crate) struct Emitter<'a> {
    pub o: &'a Options,
    pub rt: &'a TokenStream,
    pub protocol: &'static dyn Protocol,
    /// Leave types, faults and operations as markers for [`emit_deferred`].
    pub defer: bool,
}

/// The lints generated modules allow: the model decides names, argument counts and
/// documentation layout.
fn lints() -> TokenStream {
    quote! {
        #[allow(
            deprecated,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::enum_variant_names,
            clippy::should_implement_trait,
            clippy::new_without_default,
            clippy::derive_partial_eq_without_eq,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments
        )]
        #[allow(dead_code, unused_imports)]
    }
}

/// Allows what goes unused where the file is included into a binary or a private
/// module: a program calls a few of a model's operations, and `#![deny(warnings)]` there
/// must not reject the rest. Every top-level generated module carries it.
pub(crate) fn unused_allowed() -> TokenStream {
    quote!(#[allow(dead_code, unused_imports)])
}

pub(crate) fn ident(name: &Ident) -> proc_macro2::Ident {
    // Names come from `naming`, which only makes valid ASCII identifiers, and never
    // raw forms of `self`/`super`/`crate`/`Self`, so these constructors cannot panic.
    match name.as_str().strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, Span::call_site()),
        None => proc_macro2::Ident::new(name.as_str(), Span::call_site()),
    }
}

/// `#[doc]` attributes, one per line, so that rustdoc and prettyplease keep them as
/// `///` comments.
pub(crate) fn doc_attrs(docs: Option<&str>) -> TokenStream {
    let Some(docs) = docs else {
        return TokenStream::new();
    };
    let lines = docs.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

pub(crate) fn deprecated_attr(d: &Option<Deprecation>) -> TokenStream {
    match d {
        None => TokenStream::new(),
        Some(Deprecation { note: Some(note) }) => quote! { #[deprecated(note = #note)] },
        Some(Deprecation { note: None }) => quote! { #[deprecated] },
    }
}

impl Emitter<'_> {
    /// What a client crate's root offers beside the modules, so that a crate that
    /// `include!`s the file at its root has the API `awsgen-dms` has: `Client`, `Error`,
    /// the runtime's `Config` and friends, and `test_util` behind the configured feature.
    fn root_items(&self) -> TokenStream {
        let rt = self.rt;
        let test_util = self.o.text.test_util_feature.as_ref().map(|feature| {
            quote! {
                /// Typed mocks for unit tests without a network: a rule per operation
                /// answers with typed outputs or faults (`mock::<Op>().then_output(..)`),
                /// and `mock_config` makes a client configuration that uses them.
                #[cfg(feature = #feature)]
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
                pub mod test_util {
                    #[allow(unused_imports)]
                    pub use #rt::test_util::{mock, mock_config, test_credentials, MockRule, Rule};
                }
            }
        });
        quote! {
            #[allow(unused_imports)]
            pub use client::Client;
            #[allow(unused_imports)]
            pub use error::Error;
            #[allow(unused_imports)]
            pub use #rt::{
                Config, Credentials, ProvideErrorMetadata, ProxyConfig, RequestError, RequestId,
                RetryConfig, TimeoutConfig,
            };
            #test_util
        }
    }
}

impl<'a> Emitter<'a> {
    fn new(service: &Service, options: &'a Options) -> Self {
        Emitter {
            o: options,
            rt: &options.runtime,
            protocol: protocol::for_kind(service.protocol.kind),
            defer: false,
        }
    }
}

impl Emitter<'_> {
    /// Item `key` of [`emit_deferred`]: a marker when deferring, else `emit()`.
    fn deferrable(&self, key: usize, emit: impl FnOnce() -> TokenStream) -> TokenStream {
        if self.defer {
            crate::format::deferred(key)
        } else {
            emit()
        }
    }

    /// The path from module `from` to the type `to` (`super::types::Connection` from
    /// `types`, `super::super::types::Connection` from `operation::<op>`).
    pub fn path(&self, to: &TypeRef, from: &Module) -> TokenStream {
        let depth = match from {
            Module::Types | Module::TopLevel => 1,
            Module::Errors | Module::Operation(_) => 2,
        };
        let up = std::iter::repeat_n(quote!(super::), depth);
        let name = ident(&to.name);
        let place = match &to.module {
            Module::Types => quote!(types::),
            Module::Errors => quote!(types::error::),
            Module::Operation(m) => {
                let m = ident(m);
                quote!(operation::#m::)
            }
            Module::TopLevel => quote!(),
        };
        quote! { #(#up)* #place #name }
    }

    /// The Rust type of a member as seen from module `from`.
    pub fn ty(&self, ty: &RustType, from: &Module) -> TokenStream {
        let rt = self.rt;
        match ty {
            RustType::String => quote!(::std::string::String),
            RustType::Bool => quote!(bool),
            RustType::I8 => quote!(i8),
            RustType::I16 => quote!(i16),
            RustType::I32 => quote!(i32),
            RustType::I64 => quote!(i64),
            RustType::F32 => quote!(f32),
            RustType::F64 => quote!(f64),
            RustType::Blob => quote!(#rt::Blob),
            RustType::Stream => quote!(#rt::ByteStream),
            RustType::EventStream { event, error } => {
                let (event, error) = (ident(event), ident(error));
                quote!(#rt::eventstream::EventReceiver<self::#event, self::#error>)
            }
            RustType::EventSender { event } => {
                let event = ident(event);
                quote!(#rt::eventstream::EventSender<self::#event>)
            }
            RustType::Timestamp(_) => quote!(#rt::DateTime),
            RustType::Document => quote!(#rt::Document),
            RustType::List(inner) => {
                let inner = self.ty(inner, from);
                quote!(::std::vec::Vec<#inner>)
            }
            RustType::Map(k, v) => {
                let k = self.ty(k, from);
                let v = self.ty(v, from);
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
            RustType::Sparse(inner) => {
                let inner = self.ty(inner, from);
                quote!(::std::option::Option<#inner>)
            }
            RustType::Named { target, boxed } => {
                let path = self.path(target, from);
                if *boxed {
                    quote!(::std::boxed::Box<#path>)
                } else {
                    path
                }
            }
        }
    }

    /// The user's extra attributes for the type `name`.
    pub fn extra_attrs(&self, name: &Ident) -> TokenStream {
        let attrs = self
            .o
            .type_attributes
            .iter()
            .filter(|(pattern, _)| pattern == "*" || pattern == name.as_str())
            .map(|(_, attr)| attr);
        quote! { #(#attrs)* }
    }
}
