//! Structures, string enums and unions, with their serde (the JSON wire form) and
//! constructors, setters and redacting `Debug`.

use super::{deprecated_attr, doc_attrs, ident, lints, Emitter};
use crate::ir::{
    Constructor, EnumValue, Field, FieldLocation, Module, Role, RustType, Service, Struct,
    TimestampFormat, TypeDef, TypeKind, UnionVariant,
};
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    /// `pub mod types { ..; pub mod error { .. } }`.
    pub(super) fn types_module(&self, s: &Service) -> TokenStream {
        let types = (s.types.iter().enumerate())
            .map(|(k, t)| self.deferrable(k, || self.type_def(t, None)));
        let faults = (s.errors.iter().enumerate())
            .map(|(k, t)| self.deferrable(s.types.len() + k, || self.type_def(t, None)));
        let lints = lints();
        let faults_doc = doc_attrs(Some(&format!(
            "The faults the model names, each with its modelled members and the\n[`ErrorMetadata`]({}::ErrorMetadata) of the response.",
            self.o.runtime_text
        )));
        quote! {
            /// Data types of the service: structures, string enums and unions.
            #lints
            pub mod types {
                #(#types)*

                #faults_doc
                pub mod error {
                    #(#faults)*
                }
            }
        }
    }

    /// A type definition; `fallback_doc` documents types the model leaves undocumented.
    pub(super) fn type_def(&self, t: &TypeDef, fallback_doc: Option<String>) -> TokenStream {
        match &t.kind {
            TypeKind::Struct(s) => self.structure(t, s, fallback_doc),
            TypeKind::Enum { values } => self.string_enum(t, values),
            TypeKind::Union { variants } => self.union(t, variants),
        }
    }

    /// A wire adapter for a member whose JSON form is not serde's default
    /// (`ListOf<Iso8601>`); only called for types that [`RustType::needs_adapter`].
    fn adapter(&self, ty: &RustType, from: &Module) -> TokenStream {
        let rt = self.rt;
        self.containers(ty, from, &|t| match t {
            RustType::Timestamp(TimestampFormat::Iso8601) => quote!(#rt::wire::Iso8601),
            RustType::Timestamp(TimestampFormat::HttpDate) => quote!(#rt::wire::HttpDate),
            RustType::F64 => quote!(#rt::wire::Float64),
            RustType::F32 => quote!(#rt::wire::Float32),
            // Epoch seconds, and anything else, serialize as themselves.
            _ => quote!(#rt::wire::EpochSeconds),
        })
    }

    /// `ty` with its lists, maps and sparse elements as the wire's `ListOf`, `MapOf`
    /// (keys as themselves) and `OptionOf`, around `leaf` of the element type. A sparse
    /// element keeps `null` as `None` (`OptionOf` reads `null` as a value).
    fn containers(
        &self,
        ty: &RustType,
        from: &Module,
        leaf: &dyn Fn(&RustType) -> TokenStream,
    ) -> TokenStream {
        let rt = self.rt;
        match ty {
            RustType::List(inner) => {
                let inner = self.containers(inner, from, leaf);
                quote!(#rt::wire::ListOf<#inner>)
            }
            RustType::Map(k, v) => {
                let k = self.ty(k, from);
                let v = self.containers(v, from, leaf);
                quote!(#rt::wire::MapOf<#k, #v>)
            }
            RustType::Sparse(inner) => {
                let inner = self.containers(inner, from, leaf);
                quote!(#rt::wire::OptionOf<#inner>)
            }
            t => leaf(t),
        }
    }

    fn structure(&self, t: &TypeDef, s: &Struct, fallback_doc: Option<String>) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let docs = doc_attrs(t.docs.as_deref().or(fallback_doc.as_deref()));
        let alias = t.alias.as_ref().map(|a| quote! { #[doc(alias = #a)] });
        let deprecated = deprecated_attr(&t.deprecated);
        // A streaming body is read once: neither cloned nor compared.
        let mut derives = if s.fields.iter().any(|f| f.ty.is_stream()) {
            Vec::new()
        } else {
            vec![quote!(::std::clone::Clone), quote!(::std::cmp::PartialEq)]
        };
        if t.derive_debug {
            derives.push(quote!(::std::fmt::Debug));
        }
        if s.derive_default {
            derives.push(quote!(::std::default::Default));
        }
        derives.extend(self.o.derives.iter().cloned());
        let extra = self.extra_attrs(&t.name);
        let fields = s.fields.iter().map(|f| self.field_def(f, &t.module));
        let fault = s.role == Role::Exception;
        let meta_field = fault.then(|| quote! { meta: #rt::ErrorMetadata, });
        let request_id_field = t.is_output.then(|| {
            quote! { _response: #rt::protocol::ResponseInfo, }
        });
        let constructor = self.constructor(t, s);
        let setters = s.fields.iter().map(|f| self.setter(f, &t.module));
        let getters = s.fields.iter().filter_map(|f| self.getter(f, &t.module));
        let debug_impl = (!t.derive_debug).then(|| self.redacted_struct_debug(t, s));
        let fault_methods = fault.then(|| self.fault_methods(t));
        let fault_impls = fault.then(|| self.fault_impls(t, s));
        let request_id_impls = t.is_output.then(|| self.request_id_impls(t));
        let required_struct = self.required_struct(t);
        let serialize = self.struct_serialize(t, s);
        let deserialize = self.struct_deserialize(t, s);
        quote! {
            #required_struct

            #docs
            #alias
            #deprecated
            #[derive(#(#derives),*)]
            #[non_exhaustive]
            #extra
            pub struct #name {
                #(#fields)*
                #meta_field
                #request_id_field
            }

            impl #name {
                #constructor
                #(#getters)*
                #(#setters)*
                #fault_methods
            }

            #debug_impl
            #serialize
            #deserialize
            #fault_impls
            #request_id_impls
        }
    }

    /// The adapter a member is read through: lists and maps always (they skip `null`
    /// elements and charge the parse's memory budget), anything else only when its wire
    /// form needs one. Only called when [`reads_through_adapter`] says so.
    fn read_adapter(&self, ty: &RustType, from: &Module) -> TokenStream {
        let rt = self.rt;
        self.containers(ty, from, &|t| match t {
            t if t.needs_adapter() => self.adapter(t, from),
            RustType::Document => quote!(#rt::wire::DocumentValue),
            t => {
                let t = self.ty(t, from);
                quote!(#rt::wire::Plain<#t>)
            }
        })
    }

    fn field_def(&self, f: &Field, from: &Module) -> TokenStream {
        let name = ident(&f.name);
        let docs = doc_attrs(f.docs.as_deref());
        let deprecated = deprecated_attr(&f.deprecated);
        let ty = self.member_type(f, from);
        quote! { #docs #deprecated pub #name: #ty, }
    }

    /// The field's type: `Option` unless it is a required member of an input.
    fn member_type(&self, f: &Field, from: &Module) -> TokenStream {
        let ty = self.ty(&f.ty, from);
        if f.required {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        }
    }

    /// A list member as a slice, empty when the service sent none.
    fn getter(&self, f: &Field, from: &Module) -> Option<TokenStream> {
        let getter = ident(f.getter.as_ref()?);
        let RustType::List(inner) = &f.ty else {
            return None;
        };
        let field = ident(&f.name);
        let ty = self.ty(inner, from);
        let doc = format!(
            " `{}`, or an empty slice when the service sent none.",
            f.wire
        );
        let deprecated = deprecated_attr(&f.deprecated);
        Some(quote! {
            #[doc = #doc]
            #deprecated
            #[inline]
            pub fn #getter(&self) -> &[#ty] {
                self.#field.as_deref().unwrap_or_default()
            }
        })
    }

    fn setter(&self, f: &Field, from: &Module) -> TokenStream {
        let field = ident(&f.name);
        let setter = ident(&f.setter);
        let ty = self.ty(&f.ty, from);
        let doc = format!(" Sets `{}` (`{}` on the wire).", f.name.unraw(), f.wire);
        let deprecated = deprecated_attr(&f.deprecated);
        let value = if f.required {
            quote!(value.into())
        } else {
            quote!(::std::option::Option::Some(value.into()))
        };
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#field = #value;
                self
            }
        }
    }

    /// `new(..)`, taking the members the model requires: a plain argument for one, a
    /// `<Name>Required` struct for two or more. Inputs hold them unwrapped; structures the
    /// service returns hold every member as an `Option`, so `new` wraps them in `Some`.
    fn constructor(&self, t: &TypeDef, s: &Struct) -> TokenStream {
        let name_str = t.name.unraw();
        let args: Vec<&Field> = s.fields.iter().filter(|f| f.constructor_arg).collect();
        let inits = args.iter().map(|f| {
            let n = ident(&f.name);
            if f.required {
                quote!(#n,)
            } else {
                quote!(#n: ::std::option::Option::Some(#n),)
            }
        });
        let rest = if s.role == Role::Input {
            let optional = s
                .fields
                .iter()
                .filter(|f| !f.required)
                .map(|f| ident(&f.name));
            quote! { #( #optional: ::std::option::Option::None, )* }
        } else {
            quote! { ..::std::default::Default::default() }
        };
        let (doc, params, unpack) = match &s.constructor {
            Constructor::None => return TokenStream::new(),
            Constructor::Empty => (
                format!(
                    " Creates an empty `{name_str}`; set members with the builder-style setters."
                ),
                TokenStream::new(),
                TokenStream::new(),
            ),
            Constructor::Positional => {
                let Some(f) = args.first() else {
                    return TokenStream::new();
                };
                let (n, ty) = (ident(&f.name), self.ty(&f.ty, &t.module));
                (
                    format!(" Creates a `{name_str}` from the member the model requires, `{n}`; set the others with the setters."),
                    quote!(#n: impl ::std::convert::Into<#ty>),
                    quote!(let #n = #n.into();),
                )
            }
            Constructor::Named(req) => {
                let req = ident(req);
                let fields = args.iter().map(|f| ident(&f.name));
                (
                    format!(" Creates a `{name_str}` from the members the model requires, given by name in [`{req}`]; set the others with the setters."),
                    quote!(required: #req),
                    quote!(let #req { #(#fields),* } = required;),
                )
            }
        };
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn new(#params) -> Self {
                #unpack
                Self { #(#inits)* #rest }
            }
        }
    }

    /// The struct of required members that `new` takes (emitted beside its type).
    fn required_struct(&self, t: &TypeDef) -> TokenStream {
        let TypeKind::Struct(s) = &t.kind else {
            return TokenStream::new();
        };
        let Constructor::Named(req) = &s.constructor else {
            return TokenStream::new();
        };
        let name = ident(req);
        let doc = format!(
            "The required members of [`{}`], by name, for its `new`: two values of the\nsame type cannot be swapped without the swap being visible.",
            t.name.unraw()
        );
        let fields = s.fields.iter().filter(|f| f.constructor_arg).map(|f| {
            let n = ident(&f.name);
            let docs = doc_attrs(f.docs.as_deref());
            let ty = self.ty(&f.ty, &t.module);
            quote! { #docs pub #n: #ty, }
        });
        let doc = doc_attrs(Some(&doc));
        let debug = t.derive_debug.then(|| quote!(#[derive(::std::fmt::Debug)]));
        quote! {
            #doc
            #debug
            pub struct #name {
                #(#fields)*
            }
        }
    }

    fn redacted_struct_debug(&self, t: &TypeDef, s: &Struct) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let name_str = t.name.as_str();
        let body = if t.sensitive {
            quote! { f.write_str(#rt::REDACTED) }
        } else {
            let entries = s.fields.iter().map(|f| {
                let n = ident(&f.name);
                let label = f.name.unraw();
                if f.sensitive {
                    quote!(.field(#label, &#rt::REDACTED))
                } else {
                    quote!(.field(#label, &self.#n))
                }
            });
            let meta = (s.role == Role::Exception).then(|| quote!(.field("meta", &self.meta)));
            quote! { f.debug_struct(#name_str) #(#entries)* #meta .finish() }
        };
        quote! {
            impl ::std::fmt::Debug for #name {
                /// Sensitive members are printed as `*** Sensitive Data Redacted ***`.
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #body
                }
            }
        }
    }

    /// A fault's code and the methods for its metadata.
    fn fault_methods(&self, t: &TypeDef) -> TokenStream {
        let rt = self.rt;
        let code = &t.shape;
        quote! {
            /// The error code this fault is sent with.
            pub const CODE: &'static str = #code;
            /// The code, message, HTTP status and request id of the response this fault came from.
            #[inline]
            pub fn meta(&self) -> &#rt::ErrorMetadata {
                &self.meta
            }
            /// Replaces the error metadata (for tests and mocks).
            #[inline]
            pub fn with_meta(mut self, meta: #rt::ErrorMetadata) -> Self {
                self.meta = meta;
                self
            }
        }
    }

    /// What a fault has besides its members: its code, `Default`, `Display` and `Error`.
    fn fault_impls(&self, t: &TypeDef, s: &Struct) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let fields = s.fields.iter().map(|f| ident(&f.name));
        let http = self.protocol.fault_items(self, t, s);
        quote! {
            #http
            impl ::std::default::Default for #name {
                #[inline]
                fn default() -> Self {
                    Self { #(#fields: ::std::option::Option::None,)* meta: #rt::ErrorMetadata::new(Self::CODE) }
                }
            }
            impl ::std::fmt::Display for #name {
                /// The code, the message, the HTTP status and the request id.
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.meta, f)
                }
            }
            impl ::std::error::Error for #name {}
            impl #rt::error::Fault for #name {
                const CODE: &'static str = Self::CODE;
                #[inline]
                fn metadata(&self) -> &#rt::ErrorMetadata {
                    &self.meta
                }
            }
        }
    }

    fn request_id_impls(&self, t: &TypeDef) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let (get_extended, set_extended) = if self.protocol.extended_request_id() {
            (
                quote! {
                    #[inline]
                    fn extended_request_id(&self) -> ::std::option::Option<&str> {
                        self._response.extended_request_id.as_deref()
                    }
                },
                quote! {
                    #[inline]
                    fn set_extended_request_id(&mut self, id: ::std::option::Option<::std::string::String>) {
                        self._response.extended_request_id = id;
                    }
                },
            )
        } else {
            (TokenStream::new(), TokenStream::new())
        };
        quote! {
            impl #rt::RequestId for #name {
                #[inline]
                fn request_id(&self) -> ::std::option::Option<&str> {
                    self._response.request_id.as_deref()
                }
                #get_extended
            }
            impl #rt::protocol::HttpStatus for #name {
                #[inline]
                fn http_status(&self) -> ::std::option::Option<u16> {
                    self._response.status
                }
            }
            impl #rt::protocol::SetRequestId for #name {
                #[inline]
                fn set_request_id(&mut self, id: ::std::option::Option<::std::string::String>) {
                    self._response.request_id = id;
                }
                #[inline]
                fn set_status(&mut self, status: u16) {
                    self._response.status = ::std::option::Option::Some(status);
                }
                #set_extended
            }
        }
    }

    /// A structure is a JSON object: members in model order, unset optional members left
    /// out, non-default wire forms through their adapter. (Emitted rather than derived:
    /// the derive's field enum and sequence form doubled the crate's compile time.)
    fn struct_serialize(&self, t: &TypeDef, s: &Struct) -> TokenStream {
        let rt = self.rt;
        let all = self.serialize_impl(
            t,
            s,
            |_| true,
            quote!(#rt::serde::Serialize),
            quote!(serialize),
        );
        if !s.has_bound_fields() {
            return all;
        }
        // A REST input's body: the members bound elsewhere left out.
        let body = self.serialize_impl(
            t,
            s,
            |f| f.location == FieldLocation::Body,
            quote!(#rt::wire::SerializeBody),
            quote!(serialize_body),
        );
        quote! { #all #body }
    }

    /// `impl <trait> for <struct> { fn <method>(&self, serializer) }` writing the fields
    /// `keep` selects as a JSON object.
    fn serialize_impl(
        &self,
        t: &TypeDef,
        s: &Struct,
        keep: impl Fn(&Field) -> bool,
        trait_path: TokenStream,
        method: TokenStream,
    ) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let fields: Vec<&Field> = s.fields.iter().filter(|f| keep(f)).collect();
        let entries = fields.iter().map(|f| {
            let n = ident(&f.name);
            let w = &f.wire;
            match (f.required, f.ty.needs_adapter()) {
                (true, false) => quote! { m.required(#w, &self.#n); },
                (false, false) => quote! { m.optional(#w, &self.#n); },
                (true, true) => {
                    let adapter = self.adapter(&f.ty, &t.module);
                    quote! { m.required_with::<#adapter>(#w, &self.#n); }
                }
                (false, true) => {
                    let adapter = self.adapter(&f.ty, &t.module);
                    quote! { m.optional_with::<#adapter>(#w, &self.#n); }
                }
            }
        });
        let binding = if fields.is_empty() {
            quote!(m)
        } else {
            quote!(mut m)
        };
        quote! {
            impl #trait_path for #name {
                fn #method<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    let #binding = #rt::wire::Members::new(serializer.serialize_map(::std::option::Option::None)?);
                    #(#entries)*
                    m.end()
                }
            }
        }
    }

    /// Reads a structure from a JSON object only: unknown members (and `__type`) are
    /// skipped, `null` is an unset member, the last of duplicate members wins (as in
    /// botocore), and a missing required member of an input is an error. The visitor is
    /// the runtime's (`wire::read_struct`); each member is read by one call and the
    /// loop applies one `?` (the compiler's work per structure is what is emitted here).
    fn struct_deserialize(&self, t: &TypeDef, s: &Struct) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let targets = member_targets(s);
        let (start, finish) = self.read_start_and_finish(t, s, &targets);
        let expecting = format!("a `{}` structure (a JSON object)", t.name.unraw());
        let read_loop = if s.fields.is_empty() {
            quote! { #rt::wire::skip_members(&mut map)?; }
        } else {
            let arms = s
                .fields
                .iter()
                .zip(&targets)
                .enumerate()
                .map(|(i, (f, to))| {
                    let i = proc_macro2::Literal::usize_unsuffixed(i);
                    if reads_through_adapter(&f.ty) {
                        let adapter = self.read_adapter(&f.ty, &t.module);
                        quote! { #i => #rt::wire::next_with::<#adapter, _>(&mut map, &mut #to), }
                    } else if f.ty == RustType::Document {
                        quote! { #i => #rt::wire::next_some(&mut map, &mut #to), }
                    } else {
                        quote! { #i => #rt::wire::next(&mut map, &mut #to), }
                    }
                });
            let names = s.fields.iter().map(|f| &f.wire);
            quote! {
                const NAMES: &[&str] = &[ #(#names),* ];
                while let ::std::option::Option::Some(key) = map.next_key::<#rt::wire::Key<'de>>()? {
                    match #rt::wire::member_index(key.as_str(), NAMES) {
                        #(#arms)*
                        _ => #rt::wire::skip_value(&mut map),
                    }?;
                }
            }
        };
        quote! {
            impl<'de> #rt::serde::Deserialize<'de> for #name {
                #[inline]
                fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #rt::wire::read_struct(deserializer)
                }
            }

            impl<'de> #rt::wire::ReadMembers<'de> for #name {
                const EXPECTING: &'static str = #expecting;
                fn read_members<A: #rt::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                    #start
                    #read_loop
                    ::std::result::Result::Ok(#finish)
                }
            }
        }
    }

    /// What a structure's reading starts with (a default value, or one local per member)
    /// and the value it ends with.
    fn read_start_and_finish(
        &self,
        t: &TypeDef,
        s: &Struct,
        targets: &[TokenStream],
    ) -> (TokenStream, TokenStream) {
        let rt = self.rt;
        let name = ident(&t.name);
        if reads_into_default(s) {
            let binding = if s.fields.is_empty() {
                quote!(out)
            } else {
                quote!(mut out)
            };
            return (
                quote! { let #binding = <#name as ::std::default::Default>::default(); },
                quote! { out },
            );
        }
        let locals = targets
            .iter()
            .map(|l| quote! { let mut #l = ::std::option::Option::None; });
        let inits = s.fields.iter().zip(targets).map(|(f, l)| {
            let n = ident(&f.name);
            let w = &f.wire;
            if f.required {
                quote! { #n: #rt::wire::required(#l, #w)?, }
            } else {
                quote! { #n: #l, }
            }
        });
        let request_id = t
            .is_output
            .then(|| quote! { _response: ::std::default::Default::default(), });
        (
            quote! { #(#locals)* },
            quote! { #name { #(#inits)* #request_id } },
        )
    }

    fn string_enum(&self, t: &TypeDef, values: &[EnumValue]) -> TokenStream {
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
        let derives = &self.o.derives;
        let debug = t.derive_debug.then(|| quote!(::std::fmt::Debug,));
        let variants = values.iter().map(|v| {
            let n = ident(&v.name);
            let doc = format!(" `{}`", v.wire.replace('`', "'"));
            quote! { #[doc = #doc] #n, }
        });
        let impls = self.string_enum_impls(t, values);
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

            #impls
        }
    }

    /// A string enum's conversions from and to its wire text, and its serde.
    fn string_enum_impls(&self, t: &TypeDef, values: &[EnumValue]) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let serde = self.string_enum_serde(t);
        let text_impls = Self::string_enum_text_impls(&name);
        let names: Vec<_> = values.iter().map(|v| ident(&v.name)).collect();
        let wires: Vec<_> = values.iter().map(|v| &v.wire).collect();
        let debug_impl = (!t.derive_debug).then(|| {
            quote! {
                impl ::std::fmt::Debug for #name {
                    #[inline]
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#rt::REDACTED)
                    }
                }
            }
        });
        quote! {
            impl #name {
                /// The values the model knows, as sent on the wire.
                pub const VALUES: &'static [&'static str] = &[ #(#wires),* ];

                /// The values the model knows, as sent on the wire.
                #[inline]
                pub fn values() -> &'static [&'static str] {
                    Self::VALUES
                }

                /// The value as sent on the wire.
                #[inline]
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#names => #wires, )*
                        Self::Unknown(value) => value.as_str(),
                    }
                }
            }

            impl ::std::convert::From<&str> for #name {
                #[inline]
                fn from(value: &str) -> Self {
                    match value {
                        #( #wires => Self::#names, )*
                        other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                    }
                }
            }

            #text_impls
            #debug_impl
            #serde
        }
    }

    /// A string enum's conversions that go through `from(&str)` and `as_str()`.
    fn string_enum_text_impls(name: &proc_macro2::Ident) -> TokenStream {
        quote! {
            impl ::std::convert::From<::std::string::String> for #name {
                #[inline]
                fn from(value: ::std::string::String) -> Self {
                    match Self::from(value.as_str()) {
                        Self::Unknown(_) => Self::Unknown(value),
                        known => known,
                    }
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                #[inline]
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(Self::from(value))
                }
            }

            impl ::std::convert::AsRef<str> for #name {
                #[inline]
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }

            impl ::std::fmt::Display for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        }
    }

    /// A string enum is its wire text in serde.
    fn string_enum_serde(&self, t: &TypeDef) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        quote! {
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

    fn union(&self, t: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let name = ident(&t.name);
        let docs = doc_attrs(t.docs.as_deref());
        let deprecated = deprecated_attr(&t.deprecated);
        let extra = self.extra_attrs(&t.name);
        let derives = &self.o.derives;
        let debug = t.derive_debug.then(|| quote!(::std::fmt::Debug,));
        let defs = variants.iter().map(|v| {
            let n = ident(&v.name);
            let docs = doc_attrs(v.docs.as_deref());
            let deprecated = deprecated_attr(&v.deprecated);
            let ty = self.ty(&v.ty, &t.module);
            quote! { #docs #deprecated #n(#ty), }
        });
        let debug_impl = (!t.derive_debug).then(|| self.redacted_union_debug(t, variants));
        let serialize = self.union_serialize(t, variants);
        let deserialize = self.union_deserialize(t, variants);
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
            #serialize
            #deserialize
        }
    }

    fn redacted_union_debug(&self, t: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
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
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::Unknown(member) => f.debug_tuple("Unknown").field(member).finish(),
                    }
                }
            }
        }
    }

    /// A union is a JSON object with exactly one member set.
    fn union_serialize(&self, t: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let name_str = t.name.as_str();
        let arms = variants.iter().map(|v| {
            let n = ident(&v.name);
            let w = &v.wire;
            let value = if v.ty.needs_adapter() {
                let adapter = self.adapter(&v.ty, &t.module);
                quote!(&#rt::wire::Ser::<#adapter>(value))
            } else {
                quote!(value)
            };
            quote! { Self::#n(value) => #rt::serde::ser::SerializeMap::serialize_entry(&mut map, #w, #value)?, }
        });
        quote! {
            impl #rt::serde::Serialize for #name {
                fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                    match self {
                        #(#arms)*
                        Self::Unknown(member) => {
                            return ::std::result::Result::Err(<S::Error as #rt::serde::ser::Error>::custom(
                                ::std::format!("cannot serialize the unknown member `{member}` of union `{}`", #name_str),
                            ));
                        }
                    }
                    #rt::serde::ser::SerializeMap::end(map)
                }
            }
        }
    }

    /// Reads a union: null members are skipped, `__type` is ignored, an unknown member
    /// becomes `Unknown(name)`, and more or fewer than one member set is an error.
    fn union_deserialize(&self, t: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let rt = self.rt;
        let name = ident(&t.name);
        let name_str = t.name.as_str();
        let arms = variants.iter().map(|v| {
            let n = ident(&v.name);
            let w = &v.wire;
            if reads_through_adapter(&v.ty) {
                let adapter = self.read_adapter(&v.ty, &t.module);
                quote! { #w => #rt::serde::de::MapAccess::next_value::<#rt::wire::De<#rt::wire::OptionOf<#adapter>>>(&mut map)?.0.map(#name::#n), }
            } else {
                if v.ty == RustType::Document {
                    // A `null` document is a value: the member is set.
                    quote! { #w => ::std::option::Option::Some(#name::#n(#rt::serde::de::MapAccess::next_value(&mut map)?)), }
                } else {
                    let ty = self.ty(&v.ty, &t.module);
                    quote! { #w => #rt::serde::de::MapAccess::next_value::<::std::option::Option<#ty>>(&mut map)?.map(#name::#n), }
                }
            }
        });
        let expecting = format!("a `{name_str}` union (an object with one member set)");
        let two_set = format!("more than one member of union `{name_str}` is set");
        let none_set = format!("no member of union `{name_str}` is set");
        quote! {
            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct __Visitor;
                    impl<'de> #rt::serde::de::Visitor<'de> for __Visitor {
                        type Value = #name;
                        #[inline]
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                            let mut found: ::std::option::Option<#name> = ::std::option::Option::None;
                            while let ::std::option::Option::Some(key) = #rt::serde::de::MapAccess::next_key::<::std::string::String>(&mut map)? {
                                let value = match key.as_str() {
                                    #(#arms)*
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
                    deserializer.deserialize_map(__Visitor)
                }
            }
        }
    }
}

/// Whether a member is read through [`Emitter::read_adapter`] rather than its own serde.
fn reads_through_adapter(ty: &RustType) -> bool {
    matches!(ty, RustType::List(_) | RustType::Map(..)) || ty.needs_adapter()
}

/// Structures with a `Default` and no required member are read into a default value; the
/// others (inputs with required members) into one local per member.
fn reads_into_default(s: &Struct) -> bool {
    (s.derive_default || s.role == Role::Exception)
        && s.fields.iter().all(|f| !f.required || f.ty.is_stream())
}

/// Where each member's value goes while a structure is read: `out.<field>` or `__f<i>`.
fn member_targets(s: &Struct) -> Vec<TokenStream> {
    // Decided once: per member it made 50,000 members quadratic (10 s instead of 1.5 s).
    let into_default = reads_into_default(s);
    s.fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if into_default {
                let n = ident(&f.name);
                quote!(out.#n)
            } else {
                let l = quote::format_ident!("__f{}", i);
                quote!(#l)
            }
        })
        .collect()
}
