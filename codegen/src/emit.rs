//! IR -> Rust tokens. Reads only [`crate::ir`]; never the model.
//!
//! Layout of the output (one file, to be `include!`d anywhere; every reference between
//! generated items is a relative `super::` path, std items are fully qualified):
//!
//! ```text
//! pub mod types { structs, enums, unions; pub mod error { modelled faults } }
//! pub mod operation { pub mod <op> { <Op>Input, <Op>Output, <Op>Error, NAME, ERRORS, send() } }
//! pub mod error { Error (every fault of the service), ErrorMetadata, UnhandledError }
//! pub mod service { UID, API_VERSION, TARGET_PREFIX, SIGNING_NAME, ..., INFO }
//! pub mod client { Client: one async fn per operation }
//! ```

use crate::ir::{
    Deprecation, ErrorRef, Field, HostPart, Io, Module, Operation, Role, RustType, Service,
    TimestampFormat, TypeDef, TypeKind, TypeRef, UnionVariant,
};
use crate::naming::Ident;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

/// Added to the docs of operations with an event-stream input or output.
const EVENT_STREAM_DOC: &str =
    "\n\n **Not supported:** this operation streams events in AWS's binary event-stream \
framing, which this client does not speak yet. Calling it returns `Request(Build)` \
at once, without sending anything.";

/// Options that shape the emitted code.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Path of the runtime crate as written in generated code (`::awsgen_runtime`).
    pub runtime: String,
    /// Extra derives for every generated struct, enum and union (`serde::Serialize` is already there).
    pub derives: Vec<String>,
    /// Extra attributes: (Rust type name or `*`, attribute text).
    pub type_attributes: Vec<(String, String)>,
}

struct Emitter<'a> {
    opts: &'a EmitOptions,
    rt: TokenStream,
    derives: Vec<TokenStream>,
    type_attributes: Vec<(String, TokenStream)>,
}

pub(crate) fn ident(name: &Ident) -> proc_macro2::Ident {
    // Names come from `naming`, which only makes valid ASCII identifiers, and never
    // raw forms of `self`/`super`/`crate`/`Self`, so these constructors cannot panic.
    match name.as_str().strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, Span::call_site()),
        None => proc_macro2::Ident::new(name.as_str(), Span::call_site()),
    }
}

fn config_error(what: &str, text: &str, e: impl std::fmt::Display) -> crate::Error {
    crate::Error::Config {
        message: format!("{what} `{text}` is not valid Rust: {e}"),
    }
}

/// Parses a path (`::awsgen_runtime`, `serde::Serialize`) given in the configuration.
fn parse_path(what: &str, text: &str) -> crate::Result<TokenStream> {
    let path: syn::Path = syn::parse_str(text).map_err(|e| config_error(what, text, e))?;
    Ok(quote!(#path))
}

/// Parses outer attributes (`#[allow(missing_docs)]`) given in the configuration.
fn parse_attributes(text: &str) -> crate::Result<TokenStream> {
    let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text)
        .map_err(|e| config_error("type attribute", text, e))?;
    Ok(quote!(#(#attrs)*))
}

/// Emits the whole service as one token stream.
pub fn emit(service: &Service, opts: &EmitOptions) -> crate::Result<TokenStream> {
    let rt = parse_path("runtime path", &opts.runtime)?;
    let mut derives = Vec::new();
    for d in &opts.derives {
        derives.push(parse_path("derive", d)?);
    }
    let mut type_attributes = Vec::new();
    for (pattern, attr) in &opts.type_attributes {
        type_attributes.push((pattern.clone(), parse_attributes(attr)?));
    }
    let e = Emitter {
        opts,
        rt,
        derives,
        type_attributes,
    };
    Ok(e.service(service))
}

fn doc_attrs(docs: Option<&str>) -> TokenStream {
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

fn deprecated_attr(d: &Option<Deprecation>) -> TokenStream {
    match d {
        None => TokenStream::new(),
        Some(Deprecation { note: Some(note) }) => quote! { #[deprecated(note = #note)] },
        Some(Deprecation { note: None }) => quote! { #[deprecated] },
    }
}

/// `super::` repeated for a module `depth` levels below the output's root.
fn up(depth: usize) -> TokenStream {
    let supers = std::iter::repeat_n(quote!(super::), depth);
    quote! { #(#supers)* }
}

impl Emitter<'_> {
    fn type_path(&self, t: &TypeRef, depth: usize) -> TokenStream {
        let up = up(depth);
        let name = ident(&t.name);
        match &t.module {
            Module::Types => quote! { #up types::#name },
            Module::Errors => quote! { #up types::error::#name },
            Module::Operation(m) => {
                let m = ident(m);
                quote! { #up operation::#m::#name }
            }
        }
    }

    fn ty(&self, ty: &RustType, depth: usize) -> TokenStream {
        let rt = &self.rt;
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
            RustType::Timestamp(_) => quote!(#rt::DateTime),
            RustType::Document => quote!(#rt::Document),
            RustType::List(inner) => {
                let inner = self.ty(inner, depth);
                quote!(::std::vec::Vec<#inner>)
            }
            RustType::Map(k, v) => {
                let k = self.ty(k, depth);
                let v = self.ty(v, depth);
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
            RustType::Named { target, boxed } => {
                let path = self.type_path(target, depth);
                if *boxed {
                    quote!(::std::boxed::Box<#path>)
                } else {
                    path
                }
            }
        }
    }

    /// The adapter type, as text for a serde attribute (`::rt::wire::ListOf<::rt::wire::Iso8601>`).
    /// Only called for types that [`RustType::needs_adapter`].
    fn adapter(&self, ty: &RustType, depth: usize) -> String {
        let rt = &self.opts.runtime;
        match ty {
            RustType::Timestamp(TimestampFormat::EpochSeconds) => {
                format!("{rt}::wire::EpochSeconds")
            }
            RustType::Timestamp(TimestampFormat::Iso8601) => format!("{rt}::wire::Iso8601"),
            RustType::Timestamp(TimestampFormat::HttpDate) => format!("{rt}::wire::HttpDate"),
            RustType::F64 => format!("{rt}::wire::Float64"),
            RustType::F32 => format!("{rt}::wire::Float32"),
            RustType::List(inner) => format!("{rt}::wire::ListOf<{}>", self.adapter(inner, depth)),
            RustType::Map(k, v) => {
                let k = self.ty(k, depth).to_string().replace(' ', "");
                format!("{rt}::wire::MapOf<{k}, {}>", self.adapter(v, depth))
            }
            // Not reached: other types serialize as themselves.
            _ => format!("{rt}::wire::EpochSeconds"),
        }
    }

    fn serde_crate(&self) -> TokenStream {
        let krate = format!("{}::serde", self.opts.runtime);
        quote! { #[serde(crate = #krate)] }
    }

    fn extra_attrs(&self, name: &Ident) -> TokenStream {
        let attrs = self
            .type_attributes
            .iter()
            .filter(|(pattern, _)| pattern == "*" || pattern == name.as_str())
            .map(|(_, attr)| attr);
        quote! { #(#attrs)* }
    }

    fn service(&self, s: &Service) -> TokenStream {
        let types = s.types.iter().map(|t| self.type_def(t, 1));
        let faults = s.errors.iter().map(|t| self.type_def(t, 2));
        let ops = s.operations.iter().map(|op| self.operation(op));
        let error = self.service_error(s);
        let lints = quote! {
            #[allow(
                deprecated,
                clippy::too_many_arguments,
                clippy::large_enum_variant,
                clippy::should_implement_trait,
                clippy::new_without_default,
                clippy::derive_partial_eq_without_eq,
                clippy::doc_lazy_continuation,
                clippy::doc_overindented_list_items,
                clippy::tabs_in_doc_comments
            )]
        };
        let faults_doc = format!(
            " The faults the model names, each with its modelled members and the\n [`ErrorMetadata`]({}::ErrorMetadata) of the response.",
            self.opts.runtime
        );
        let (uid, api, sid, full, prefix, json, signing, endpoint) = (
            &s.uid,
            &s.api_version,
            &s.service_id,
            &s.full_name,
            &s.target_prefix,
            &s.json_version,
            &s.signing_name,
            &s.endpoint_prefix,
        );
        let service_doc = doc_attrs(s.docs.as_deref());
        let rt = &self.rt;
        let rule_set = match &s.endpoint_rule_set {
            Some(r) => quote!(::std::option::Option::Some(#r)),
            None => quote!(::std::option::Option::None),
        };
        let client = self.client(s);
        quote! {
            /// Data types of the service: structures, string enums and unions.
            #lints
            pub mod types {
                #(#types)*

                #[doc = #faults_doc]
                pub mod error {
                    #(#faults)*
                }
            }

            /// One module per operation: its input, output and error types.
            #lints
            pub mod operation {
                #(#ops)*
            }

            #error

            /// What the model says about the service: names and protocol settings.
            #service_doc
            pub mod service {
                /// The model's unique id.
                pub const UID: &str = #uid;
                /// The API version the model describes.
                pub const API_VERSION: &str = #api;
                /// The service id (used for `AWS_ENDPOINT_URL_<SERVICE>` and endpoint rules).
                pub const SERVICE_ID: &str = #sid;
                /// The service's full name.
                pub const FULL_NAME: &str = #full;
                /// The `X-Amz-Target` prefix: a request for operation `Op` is sent with
                /// `X-Amz-Target: <TARGET_PREFIX>.Op`.
                pub const TARGET_PREFIX: &str = #prefix;
                /// The awsJson version: requests are `application/x-amz-json-<JSON_VERSION>`.
                pub const JSON_VERSION: &str = #json;
                /// The SigV4 signing name.
                pub const SIGNING_NAME: &str = #signing;
                /// The endpoint prefix (`<prefix>.<region>.amazonaws.com`).
                pub const ENDPOINT_PREFIX: &str = #endpoint;
                /// The model's endpoint rule set (`endpoint-rule-set-1.json`), if it has one.
                pub const ENDPOINT_RULE_SET: ::std::option::Option<&str> = #rule_set;
                /// All of the above, for the runtime.
                pub static INFO: #rt::client::ServiceInfo = #rt::client::ServiceInfo {
                    service_id: SERVICE_ID,
                    endpoint_prefix: ENDPOINT_PREFIX,
                    signing_name: SIGNING_NAME,
                    target_prefix: TARGET_PREFIX,
                    json_version: JSON_VERSION,
                    endpoint_rule_set: ENDPOINT_RULE_SET,
                };
            }

            #client
        }
    }

    fn client(&self, s: &Service) -> TokenStream {
        let rt = &self.rt;
        let name = if s.full_name.is_empty() {
            s.uid.clone()
        } else {
            s.full_name.clone()
        };
        let doc = format!(
            " A client for {name}: one `async` method per operation.\n\n \
             Build it from a [`Config`]({rt}::Config): `Client::new(config)`, or\n \
             `Client::from_env()` for the usual `AWS_*` variables and shared files. Cloning\n \
             is cheap and clones share connections and the retry quota.",
            rt = self.opts.runtime
        );
        let methods = s.operations.iter().map(|op| {
            let m = ident(&op.module);
            let f = ident(&op.module);
            let input = ident(&op.input_name);
            let output = ident(&op.output_name);
            let error = ident(&op.error_name);
            let docs = doc_attrs(op.docs.as_deref());
            let deprecated = deprecated_attr(&op.deprecated);
            let sep = op.docs.as_ref().map(|_| quote!(#[doc = ""]));
            let mut see = format!(" Input, output and errors: [`{0}`](super::operation::{0}).", op.module.unraw());
            if op.event_stream {
                see.push_str(EVENT_STREAM_DOC);
            }
            quote! {
                #docs
                #sep
                #[doc = #see]
                #deprecated
                #[inline]
                pub fn #f(
                    &self,
                    input: super::operation::#m::#input,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<super::operation::#m::#output, super::operation::#m::#error>,
                > + ::std::marker::Send + '_ {
                    super::operation::#m::send(&self.handle, input)
                }
            }
        });
        quote! {
            /// The client: one `async` method per operation.
            #[allow(deprecated)]
            pub mod client {
                #[doc = #doc]
                #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                pub struct Client {
                    handle: #rt::client::Handle,
                }

                impl Client {
                    /// A client from a configuration.
                    pub fn new(config: #rt::Config) -> Self {
                        Self { handle: #rt::client::Handle::new(&super::service::INFO, config) }
                    }

                    /// A client configured from the environment (`Config::from_env`: region, profile,
                    /// endpoint overrides and credentials from the usual `AWS_*` variables and files).
                    pub fn from_env() -> ::std::result::Result<Self, #rt::ConfigError> {
                        ::std::result::Result::Ok(Self::new(#rt::Config::from_env()?))
                    }

                    /// The configuration.
                    pub fn config(&self) -> &#rt::Config {
                        self.handle.config()
                    }

                    /// The shared request path (for `operation::<op>::send`).
                    pub fn handle(&self) -> &#rt::client::Handle {
                        &self.handle
                    }

                    #(#methods)*
                }
            }
        }
    }

    fn type_def(&self, t: &TypeDef, depth: usize) -> TokenStream {
        match &t.kind {
            TypeKind::Struct { role, fields } => self.structure(t, *role, fields, depth, None),
            TypeKind::Enum { values } => self.string_enum(t, values),
            TypeKind::Union { variants } => self.union(t, variants, depth),
        }
    }

    fn field_serde(&self, f: &Field, depth: usize) -> TokenStream {
        let wire = &f.wire;
        let mut parts = vec![quote!(rename = #wire)];
        if !f.required {
            parts.push(quote!(default));
            parts.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
        }
        if f.ty.needs_adapter() {
            let inner = self.adapter(&f.ty, depth);
            let adapter = if f.required {
                inner
            } else {
                format!("{}::wire::OptionOf<{inner}>", self.opts.runtime)
            };
            let ser = format!("{}::wire::serialize::<{adapter}, _>", self.opts.runtime);
            let de = format!("{}::wire::deserialize::<{adapter}, _>", self.opts.runtime);
            parts.push(quote!(serialize_with = #ser));
            parts.push(quote!(deserialize_with = #de));
        }
        quote! { #[serde( #(#parts),* )] }
    }

    fn structure(
        &self,
        t: &TypeDef,
        role: Role,
        fields: &[Field],
        depth: usize,
        fallback_doc: Option<String>,
    ) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&t.name);
        let name_str = t.name.as_str();
        let docs = doc_attrs(t.docs.as_deref().or(fallback_doc.as_deref()));
        let alias = t.alias.as_ref().map(|a| quote! { #[doc(alias = #a)] });
        let deprecated = deprecated_attr(&t.deprecated);
        let exception = role == Role::Exception;
        let exhaustive = role == Role::Input;
        let has_required = fields.iter().any(|f| f.required);
        let redact = t.sensitive || fields.iter().any(|f| f.sensitive);

        let mut derives = vec![quote!(::std::clone::Clone), quote!(::std::cmp::PartialEq)];
        if !redact {
            derives.push(quote!(::std::fmt::Debug));
        }
        if !has_required && !exception {
            derives.push(quote!(::std::default::Default));
        }
        derives.push(quote!(#rt::serde::Serialize));
        derives.push(quote!(#rt::serde::Deserialize));
        derives.extend(self.derives.iter().cloned());
        let serde_crate = self.serde_crate();
        let non_exhaustive = (!exhaustive).then(|| quote!(#[non_exhaustive]));
        let extra = self.extra_attrs(&t.name);

        let field_defs = fields.iter().map(|f| {
            let fname = ident(&f.name);
            let fdocs = doc_attrs(f.docs.as_deref());
            let fdep = deprecated_attr(&f.deprecated);
            let ty = self.ty(&f.ty, depth);
            let ty = if f.required {
                ty
            } else {
                quote!(::std::option::Option<#ty>)
            };
            let serde = self.field_serde(f, depth);
            quote! { #fdocs #fdep #serde pub #fname: #ty, }
        });
        let meta_field = exception.then(|| {
            quote! {
                #[serde(skip)]
                meta: #rt::ErrorMetadata,
            }
        });
        let request_id_field = t.is_output.then(|| {
            quote! {
                #[serde(skip)]
                _request_id: ::std::option::Option<::std::string::String>,
            }
        });
        let request_id_impls = t.is_output.then(|| {
            quote! {
                impl #rt::RequestId for #name {
                    fn request_id(&self) -> ::std::option::Option<&str> {
                        self._request_id.as_deref()
                    }
                }
                impl #rt::client::SetRequestId for #name {
                    fn set_request_id(&mut self, id: ::std::option::Option<::std::string::String>) {
                        self._request_id = id;
                    }
                }
            }
        });

        // Constructor and setters.
        let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
        let ctor = (role == Role::Input).then(|| {
            let params = required.iter().map(|f| {
                let n = ident(&f.name);
                let ty = self.ty(&f.ty, depth);
                quote!(#n: impl ::std::convert::Into<#ty>)
            });
            let inits = fields.iter().map(|f| {
                let n = ident(&f.name);
                if f.required {
                    quote!(#n: #n.into())
                } else {
                    quote!(#n: ::std::option::Option::None)
                }
            });
            let doc = if required.is_empty() {
                format!(" Creates an empty `{name_str}`; set members with the builder-style setters.")
            } else {
                let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.name.unraw())).collect();
                format!(" Creates a `{name_str}` from its required members ({}); set the others with the builder-style setters.", names.join(", "))
            };
            quote! {
                #[doc = #doc]
                pub fn new( #(#params),* ) -> Self {
                    Self { #(#inits),* }
                }
            }
        });
        let setters = fields.iter().map(|f| {
            let n = ident(&f.name);
            let ty = self.ty(&f.ty, depth);
            let doc = format!(" Sets `{}` (`{}` on the wire).", f.name.unraw(), f.wire);
            let fdep = deprecated_attr(&f.deprecated);
            let assign = if f.required {
                quote!(value.into())
            } else {
                quote!(::std::option::Option::Some(value.into()))
            };
            quote! {
                #[doc = #doc]
                #fdep
                pub fn #n(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#n = #assign;
                    self
                }
            }
        });
        let exception_methods = exception.then(|| {
            quote! {
                /// The code, message, HTTP status and request id of the response this fault came from.
                pub fn meta(&self) -> &#rt::ErrorMetadata {
                    &self.meta
                }
                /// Replaces the error metadata (for tests and mocks).
                pub fn with_meta(mut self, meta: #rt::ErrorMetadata) -> Self {
                    self.meta = meta;
                    self
                }
            }
        });
        let code_const = if exception {
            let code = &t.shape;
            Some(quote! {
                /// The error code this fault is sent with.
                pub const CODE: &'static str = #code;
            })
        } else {
            None
        };

        let debug_impl = redact.then(|| {
            let body = if t.sensitive {
                quote! { f.write_str(#rt::REDACTED) }
            } else {
                let entries = fields.iter().map(|f| {
                    let n = ident(&f.name);
                    let label = f.name.unraw();
                    if f.sensitive {
                        quote!(.field(#label, &#rt::REDACTED))
                    } else {
                        quote!(.field(#label, &self.#n))
                    }
                });
                let meta = exception.then(|| quote!(.field("meta", &self.meta)));
                let meta = quote!(#meta);
                quote! { f.debug_struct(#name_str) #(#entries)* #meta .finish() }
            };
            quote! {
                impl ::std::fmt::Debug for #name {
                    /// Sensitive members are printed as `*** Sensitive Data Redacted ***`.
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        #body
                    }
                }
            }
        });
        let exception_impls = exception.then(|| {
            let inits = fields.iter().map(|f| {
                let n = ident(&f.name);
                quote!(#n: ::std::option::Option::None)
            });
            quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        Self { #(#inits,)* meta: #rt::ErrorMetadata::new(Self::CODE) }
                    }
                }
                impl ::std::fmt::Display for #name {
                    /// The code, the message, the HTTP status and the request id.
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.meta, f)
                    }
                }
                impl ::std::error::Error for #name {}
            }
        });

        quote! {
            #docs
            #alias
            #deprecated
            #[derive( #(#derives),* )]
            #serde_crate
            #non_exhaustive
            #extra
            pub struct #name {
                #(#field_defs)*
                #meta_field
                #request_id_field
            }

            impl #name {
                #code_const
                #ctor
                #(#setters)*
                #exception_methods
            }

            #debug_impl
            #exception_impls
            #request_id_impls
        }
    }

    fn string_enum(&self, t: &TypeDef, values: &[crate::ir::EnumValue]) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&t.name);
        // The model documents most enums; for the others, say what the values are.
        let fallback = t.docs.is_none().then(|| {
            let listed: Vec<String> = values
                .iter()
                .map(|v| format!("`{}`", v.wire.replace('`', "'")))
                .collect();
            format!(
                "The `{}` values the model knows: {}. A newer value arrives as `Unknown`.",
                t.shape,
                listed.join(", ")
            )
        });
        let docs = doc_attrs(t.docs.as_deref().or(fallback.as_deref()));
        let deprecated = deprecated_attr(&t.deprecated);
        let extra = self.extra_attrs(&t.name);
        let derives = &self.derives;
        let debug = (!t.sensitive).then(|| quote!(::std::fmt::Debug,));
        let variants = values.iter().map(|v| {
            let n = ident(&v.name);
            let doc = format!(" `{}`", v.wire.replace('`', "'"));
            quote! { #[doc = #doc] #n, }
        });
        let as_str = values.iter().map(|v| {
            let n = ident(&v.name);
            let w = &v.wire;
            quote! { Self::#n => #w, }
        });
        let from = values.iter().map(|v| {
            let n = ident(&v.name);
            let w = &v.wire;
            quote! { #w => Self::#n, }
        });
        let wires = values.iter().map(|v| &v.wire);
        let debug_impl = t.sensitive.then(|| {
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#rt::REDACTED)
                    }
                }
            }
        });
        quote! {
            #docs
            #deprecated
            #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash, #debug #(#derives),* )]
            #[non_exhaustive]
            #extra
            pub enum #name {
                #(#variants)*
                /// A value this version of the model does not know, kept as received so it
                /// round-trips unchanged.
                Unknown(::std::string::String),
            }

            impl #name {
                /// The values the model knows, as sent on the wire.
                pub const VALUES: &'static [&'static str] = &[ #(#wires),* ];

                /// The values the model knows, as sent on the wire.
                pub fn values() -> &'static [&'static str] {
                    Self::VALUES
                }

                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str)*
                        Self::Unknown(value) => value.as_str(),
                    }
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#from)*
                        other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                    }
                }
            }

            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    match Self::from(value.as_str()) {
                        Self::Unknown(_) => Self::Unknown(value),
                        known => known,
                    }
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(Self::from(value))
                }
            }

            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #debug_impl

            impl #rt::serde::Serialize for #name {
                fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    <::std::string::String as #rt::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
                }
            }
        }
    }

    fn union(&self, t: &TypeDef, variants: &[UnionVariant], depth: usize) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&t.name);
        let name_str = t.name.as_str();
        let docs = doc_attrs(t.docs.as_deref());
        let deprecated = deprecated_attr(&t.deprecated);
        let extra = self.extra_attrs(&t.name);
        let derives = &self.derives;
        let redact = t.sensitive || variants.iter().any(|v| v.sensitive);
        let debug = (!redact).then(|| quote!(::std::fmt::Debug,));
        let defs = variants.iter().map(|v| {
            let n = ident(&v.name);
            let vdocs = doc_attrs(v.docs.as_deref());
            let vdep = deprecated_attr(&v.deprecated);
            let ty = self.ty(&v.ty, depth);
            quote! { #vdocs #vdep #n(#ty), }
        });
        let ser_arms = variants.iter().map(|v| {
            let n = ident(&v.name);
            let w = &v.wire;
            if v.ty.needs_adapter() {
                let adapter: TokenStream = self.adapter(&v.ty, depth).parse().unwrap_or_default();
                quote! { Self::#n(value) => #rt::serde::ser::SerializeMap::serialize_entry(&mut map, #w, &#rt::wire::Ser::<#adapter>(value))?, }
            } else {
                quote! { Self::#n(value) => #rt::serde::ser::SerializeMap::serialize_entry(&mut map, #w, value)?, }
            }
        });
        let de_arms = variants.iter().map(|v| {
            let n = ident(&v.name);
            let w = &v.wire;
            let ty = self.ty(&v.ty, depth);
            if v.ty.needs_adapter() {
                let adapter: TokenStream = self.adapter(&v.ty, depth).parse().unwrap_or_default();
                quote! {
                    #w => #rt::serde::de::MapAccess::next_value::<#rt::wire::De<#rt::wire::OptionOf<#adapter>>>(&mut map)?.0.map(#name::#n),
                }
            } else {
                quote! {
                    #w => #rt::serde::de::MapAccess::next_value::<::std::option::Option<#ty>>(&mut map)?.map(#name::#n),
                }
            }
        });
        let debug_impl = redact.then(|| {
            let arms = variants.iter().map(|v| {
                let n = ident(&v.name);
                let label = v.name.as_str();
                if v.sensitive || t.sensitive {
                    quote! { Self::#n(_) => f.debug_tuple(#label).field(&#rt::REDACTED).finish(), }
                } else {
                    quote! { Self::#n(value) => f.debug_tuple(#label).field(value).finish(), }
                }
            });
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {
                            #(#arms)*
                            Self::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                        }
                    }
                }
            }
        });
        let expecting = format!("a `{name_str}` union (an object with one member set)");
        let two_set = format!("more than one member of union `{name_str}` is set");
        let none_set = format!("no member of union `{name_str}` is set");
        let visitor = format_ident!("{}Visitor", name_str.trim_end_matches('_'));
        quote! {
            #docs
            #deprecated
            #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #debug #(#derives),* )]
            #[non_exhaustive]
            #extra
            pub enum #name {
                #(#defs)*
                /// A member this version of the model does not know; holds the member's name.
                /// It cannot be sent back (serializing it is an error).
                Unknown(::std::string::String),
            }

            #debug_impl

            impl #rt::serde::Serialize for #name {
                fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                    match self {
                        #(#ser_arms)*
                        Self::Unknown(member) => {
                            return ::std::result::Result::Err(<S::Error as #rt::serde::ser::Error>::custom(
                                ::std::format!("cannot serialize the unknown member `{member}` of union `{}`", #name_str),
                            ));
                        }
                    }
                    #rt::serde::ser::SerializeMap::end(map)
                }
            }

            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct #visitor;
                    impl<'de> #rt::serde::de::Visitor<'de> for #visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                            let mut found: ::std::option::Option<#name> = ::std::option::Option::None;
                            while let ::std::option::Option::Some(key) = #rt::serde::de::MapAccess::next_key::<::std::string::String>(&mut map)? {
                                let value = match key.as_str() {
                                    #(#de_arms)*
                                    "__type" => {
                                        #rt::serde::de::MapAccess::next_value::<#rt::serde::de::IgnoredAny>(&mut map)?;
                                        ::std::option::Option::None
                                    }
                                    _ => #rt::serde::de::MapAccess::next_value::<::std::option::Option<#rt::serde::de::IgnoredAny>>(&mut map)?
                                        .map(|_| #name::Unknown(key)),
                                };
                                if let ::std::option::Option::Some(value) = value {
                                    if found.is_some() {
                                        return ::std::result::Result::Err(<A::Error as #rt::serde::de::Error>::custom(#two_set));
                                    }
                                    found = ::std::option::Option::Some(value);
                                }
                            }
                            found.ok_or_else(|| <A::Error as #rt::serde::de::Error>::custom(#none_set))
                        }
                    }
                    deserializer.deserialize_map(#visitor)
                }
            }
        }
    }

    fn io(&self, op: &Operation, io: &Io, name: &Ident, what: &str) -> TokenStream {
        match io {
            Io::Owned(def) | Io::Empty(def) => {
                let fallback = Some(format!("The {what} of the `{}` operation.", op.name));
                match &def.kind {
                    TypeKind::Struct { role, fields } => {
                        self.structure(def, *role, fields, 2, fallback)
                    }
                    _ => self.type_def(def, 2),
                }
            }
            Io::Alias(target) => {
                let n = ident(name);
                let path = self.type_path(target, 2);
                let doc = format!(" The {what} of the `{}` operation (the model shares this shape with other operations).", op.name);
                quote! {
                    #[doc = #doc]
                    pub type #n = #path;
                }
            }
        }
    }

    fn operation(&self, op: &Operation) -> TokenStream {
        let rt = &self.rt;
        let module = ident(&op.module);
        let docs = doc_attrs(op.docs.as_deref());
        let deprecated = deprecated_attr(&op.deprecated);
        let input = self.io(op, &op.input, &op.input_name, "input");
        let output = self.io(op, &op.output, &op.output_name, "output");
        let error = self.op_error(op);
        let name = &op.name;
        let codes = op.errors.iter().flat_map(|e| e.codes.iter());
        let gzip = op.gzip_request;
        let input_ty = ident(&op.input_name);
        let output_ty = ident(&op.output_name);
        let error_ty = ident(&op.error_name);
        let host_prefix = match &op.host_prefix {
            None => quote!(::std::option::Option::None),
            Some(parts) => {
                let pushes = parts.iter().map(|p| match p {
                    HostPart::Literal(l) => {
                        let mut chars = l.chars();
                        match (chars.next(), chars.next()) {
                            (Some(c), None) => quote! { prefix.push(#c); },
                            _ => quote! { prefix.push_str(#l); },
                        }
                    }
                    HostPart::Label {
                        wire,
                        field,
                        required,
                    } => {
                        let f = ident(field);
                        let value = if *required {
                            quote!(input.#f.as_str())
                        } else {
                            quote!(input.#f.as_deref().unwrap_or_default())
                        };
                        quote! { prefix.push_str(&#rt::client::host_label(#wire, #value)?); }
                    }
                });
                quote! {
                    ::std::option::Option::Some({
                        let mut prefix = ::std::string::String::new();
                        #(#pushes)*
                        prefix
                    })
                }
            }
        };
        let mut send_doc = format!(
            " Sends `{name}` through a client handle: what `Client::{}` does.",
            op.module.unraw()
        );
        let send_body = if op.event_stream {
            send_doc.push_str(EVENT_STREAM_DOC);
            let msg = format!("{name} uses an event stream, which this client does not support yet; nothing was sent");
            quote! {
                let _ = (handle.as_ref(), input);
                ::std::result::Result::Err(#error_ty::Request(#rt::RequestError::Build { message: ::std::string::String::from(#msg) }))
            }
        } else {
            quote! {
                let handle = handle.as_ref();
                let host_prefix = #host_prefix;
                let body = #rt::serde_json::to_vec(&input);
                #rt::client::finish(handle.invoke(&INFO, body, host_prefix).await, #error_ty::from_response)
            }
        };
        quote! {
            #docs
            #deprecated
            pub mod #module {
                /// The operation's name on the wire (the `X-Amz-Target` suffix).
                pub const NAME: &str = #name;
                /// The fault codes the model names for this operation (never retried).
                pub const ERRORS: &[&str] = &[ #(#codes),* ];
                /// What the runtime needs to know about the operation.
                pub static INFO: #rt::client::OperationInfo = #rt::client::OperationInfo {
                    name: NAME,
                    errors: ERRORS,
                    gzip_request: #gzip,
                };

                #input
                #output
                #error

                #[doc = #send_doc]
                ///
                /// Generic over how the handle is held, so that its code (the serde of the
                /// input and output) is compiled only in crates that call it.
                pub async fn send<H: ::std::convert::AsRef<#rt::client::Handle>>(
                    handle: H,
                    input: #input_ty,
                ) -> ::std::result::Result<#output_ty, #error_ty> {
                    #send_body
                }
            }
        }
    }

    fn op_error(&self, op: &Operation) -> TokenStream {
        let rt = &self.rt;
        let name = ident(&op.error_name);
        let doc = format!(
            " The errors `{}` can return: one variant per fault the model names, `Unhandled` for\n \
             any other service error, and `Request` when no usable answer came back.",
            op.name
        );
        let variants = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            let path = self.type_path(&e.target, 2);
            let docs = doc_attrs(e.docs.as_deref());
            quote! { #docs #v(#path), }
        });
        let from_body = if op.errors.is_empty() {
            quote! { Self::Unhandled(#rt::UnhandledError::new(meta, body)) }
        } else {
            let arms = op.errors.iter().map(|e| self.fault_arm(e, 2));
            quote! {
                match meta.code() {
                    #(#arms)*
                    _ => Self::Unhandled(#rt::UnhandledError::new(meta, body)),
                }
            }
        };
        let is_fns = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            let f = format_ident!("is_{}", heck::ToSnakeCase::to_snake_case(e.variant.unraw()));
            let doc = format!(" Whether this is a `{}`.", e.variant.unraw());
            quote! {
                #[doc = #doc]
                pub fn #f(&self) -> bool {
                    ::std::matches!(self, Self::#v(_))
                }
            }
        });
        let faults: Vec<proc_macro2::Ident> = op.errors.iter().map(|e| ident(&e.variant)).collect();
        let (accessors, impls) = self.error_common(&name, &faults);
        quote! {
            #[doc = #doc]
            #[derive(::std::fmt::Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// An error the model does not name for this operation (or a response that
                /// is not an AWS error at all), with the code, message, status and request
                /// id the service sent.
                Unhandled(#rt::UnhandledError),
                /// No usable answer from the service: the endpoint, the credentials or the
                /// transport failed, a timeout expired, or a success response did not parse.
                Request(#rt::RequestError),
            }

            impl #name {
                /// Sorts a service error into its variant by code, parsing the modelled
                /// members from the body. Any code the operation does not model, and any
                /// body that does not parse, is kept whole in the result.
                pub fn from_response(meta: #rt::ErrorMetadata, body: &[u8]) -> Self {
                    #from_body
                }

                #accessors

                #(#is_fns)*

                /// Whether this is an error the model does not name.
                pub fn is_unhandled(&self) -> bool {
                    ::std::matches!(self, Self::Unhandled(_))
                }

                /// Whether no usable answer came back (transport, timeout, credentials, endpoint).
                pub fn is_request(&self) -> bool {
                    ::std::matches!(self, Self::Request(_))
                }
            }

            impl ::std::convert::From<#rt::RequestError> for #name {
                fn from(e: #rt::RequestError) -> Self {
                    Self::Request(e)
                }
            }

            #impls
        }
    }

    /// What operation errors and the service error share: the accessors (`meta`, `code`,
    /// `message`, `request_id`) and the `RequestId`, `Display` and `Error` impls, for an
    /// enum with the given fault variants plus `Unhandled` and `Request`.
    fn error_common(
        &self,
        name: &proc_macro2::Ident,
        faults: &[proc_macro2::Ident],
    ) -> (TokenStream, TokenStream) {
        let rt = &self.rt;
        let accessors = quote! {
            /// The code, message, HTTP status and request id, when the service answered.
            pub fn meta(&self) -> ::std::option::Option<&#rt::ErrorMetadata> {
                match self {
                    #( Self::#faults(e) => ::std::option::Option::Some(e.meta()), )*
                    Self::Unhandled(e) => ::std::option::Option::Some(e.meta()),
                    Self::Request(_) => ::std::option::Option::None,
                }
            }

            /// The error code (`ResourceNotFoundFault`), when the service answered with one.
            pub fn code(&self) -> ::std::option::Option<&str> {
                self.meta().map(|m| m.code()).filter(|c| !c.is_empty())
            }

            /// The message the service sent, if any.
            pub fn message(&self) -> ::std::option::Option<&str> {
                self.meta().and_then(|m| m.message())
            }

            /// The request id of the response (`x-amzn-RequestId`), if there was one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                #rt::RequestId::request_id(self)
            }
        };
        let impls = quote! {
            impl #rt::RequestId for #name {
                fn request_id(&self) -> ::std::option::Option<&str> {
                    match self {
                        Self::Request(#rt::RequestError::Response { request_id, .. }) => request_id.as_deref(),
                        other => other.meta().and_then(|m| m.request_id()),
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #( Self::#faults(e) => ::std::fmt::Display::fmt(e, f), )*
                        Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                        Self::Request(e) => ::std::fmt::Display::fmt(e, f),
                    }
                }
            }

            impl ::std::error::Error for #name {
                fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                    match self {
                        #( Self::#faults(e) => ::std::option::Option::Some(e), )*
                        Self::Unhandled(e) => ::std::option::Option::Some(e),
                        Self::Request(e) => ::std::option::Option::Some(e),
                    }
                }
            }
        };
        (accessors, impls)
    }

    fn fault_arm(&self, e: &ErrorRef, depth: usize) -> TokenStream {
        let rt = &self.rt;
        let v = ident(&e.variant);
        let path = self.type_path(&e.target, depth);
        let codes = &e.codes;
        quote! {
            #(#codes)|* => Self::#v(#rt::error::parse_fault::<#path>(body).with_meta(meta)),
        }
    }

    fn service_error(&self, s: &Service) -> TokenStream {
        let rt = &self.rt;
        let variants = s.errors.iter().map(|t| {
            let v = ident(&t.name);
            let docs = doc_attrs(t.docs.as_deref());
            quote! { #docs #v(super::types::error::#v), }
        });
        let names: Vec<proc_macro2::Ident> = s.errors.iter().map(|t| ident(&t.name)).collect();
        let froms = s.operations.iter().map(|op| {
            let m = ident(&op.module);
            let e = ident(&op.error_name);
            let arms = op.errors.iter().map(|er| {
                let v = ident(&er.variant);
                let target = ident(&er.target.name);
                quote! { super::operation::#m::#e::#v(e) => Self::#target(e), }
            });
            quote! {
                impl ::std::convert::From<super::operation::#m::#e> for Error {
                    fn from(e: super::operation::#m::#e) -> Self {
                        match e {
                            #(#arms)*
                            super::operation::#m::#e::Unhandled(e) => Self::Unhandled(e),
                            super::operation::#m::#e::Request(e) => Self::Request(e),
                        }
                    }
                }
            }
        });
        let error = format_ident!("Error");
        let (accessors, impls) = self.error_common(&error, &names);
        quote! {
            /// Errors of the whole service: every operation's error converts into `Error`
            /// with `?` or `From`.
            #[allow(deprecated)]
            pub mod error {
                pub use #rt::{ErrorMetadata, RequestError, UnhandledError};

                /// Any fault any operation of the service can return, `Unhandled` for codes
                /// the model does not name, and `Request` when no usable answer came back.
                #[derive(::std::fmt::Debug)]
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)]
                pub enum Error {
                    #(#variants)*
                    /// An error the model does not name, with what the service sent.
                    Unhandled(#rt::UnhandledError),
                    /// No usable answer from the service.
                    Request(#rt::RequestError),
                }

                impl Error {
                    #accessors
                }

                #impls

                #(#froms)*
            }
        }
    }
}
