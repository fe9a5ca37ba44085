//! Error enums: one per operation (its modelled faults, `Unhandled`, `Request`) and the
//! service-wide `Error` every operation error converts into. What they share (metadata
//! accessors, request id, `Display`, `source`) comes from the runtime through one
//! generated `kind()` method, so each enum adds only its variants.

use super::{doc_attrs, ident, Emitter};
use crate::ir::{ErrorRef, Module, Operation, Service, TypeKind};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

impl Emitter<'_> {
    /// `<Op>Error`, in the operation's module.
    pub(super) fn op_error(&self, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let name = ident(&op.error_name);
        let from = Module::Operation(op.module.clone());
        let doc = doc_attrs(Some(&format!(
            "The errors `{}` can return: one variant per fault the model names, `Unhandled` for\nany other service error, and `Request` when no usable answer came back.",
            op.name
        )));
        let variants = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            let path = self.path(&e.target, &from);
            let docs = doc_attrs(e.docs.as_deref());
            quote! { #docs #v(#path), }
        });
        let sort = self.op_error_sort(op, &from);
        let is_fns = self.is_fns(op);
        let faults: Vec<Ident> = op.errors.iter().map(|e| ident(&e.variant)).collect();
        let shared = self.error_impls(&name, &faults);
        quote! {
            #doc
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
                // Inline, like `send`: the faults' JSON parsing is compiled only in
                // crates that call the operation.
                #[inline]
                pub fn from_response(meta: #rt::ErrorMetadata, body: &[u8]) -> Self {
                    #sort
                }

                /// The operation this error came from; service errors also carry it in
                /// their metadata.
                #[inline]
                pub fn operation(&self) -> &'static str {
                    NAME
                }

                #is_fns
            }

            impl ::std::convert::From<#rt::RequestError> for #name {
                #[inline]
                fn from(e: #rt::RequestError) -> Self {
                    Self::Request(e)
                }
            }

            #shared
        }
    }

    /// The body of `<Op>Error::from_response`: the fault its code names among the
    /// operation's (S3's bodiless 404 of a `HEAD` as the operation's 404 fault), else
    /// `Unhandled`.
    fn op_error_sort(&self, op: &Operation, from: &Module) -> TokenStream {
        let rt = self.rt;
        let unhandled = quote!(Self::Unhandled(#rt::UnhandledError::new(meta, body)));
        let sort = if op.errors.is_empty() {
            unhandled
        } else {
            let arms = op.errors.iter().map(|e| self.fault_arm(e, from));
            // S3's `HeadObject`/`HeadBucket`: a bodiless 404 is the operation's 404 fault.
            let not_found = op.customizations.iter().find_map(|c| match c {
                crate::ir::Customization::HeadNotFound { code } => Some(code),
                _ => None,
            });
            let code = match not_found {
                Some(code) => quote! {
                    match meta.status() {
                        ::std::option::Option::Some(404) if body.iter().all(u8::is_ascii_whitespace) => #code,
                        _ => meta.shape_code(),
                    }
                },
                None => quote!(meta.shape_code()),
            };
            quote! {
                match #code {
                    #(#arms)*
                    _ => #unhandled,
                }
            }
        };
        sort
    }

    /// `is_<variant>()` for every variant.
    fn is_fns(&self, op: &Operation) -> TokenStream {
        let faults = op.errors.iter().map(|e| {
            let v = ident(&e.variant);
            let f = ident(&e.is_fn);
            let doc = format!(" Whether this is a `{}`.", e.variant.unraw());
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #f(&self) -> bool {
                    ::std::matches!(self, Self::#v(_))
                }
            }
        });
        quote! {
            #(#faults)*

            /// Whether this is an error the model does not name.
            #[inline]
            pub fn is_unhandled(&self) -> bool {
                ::std::matches!(self, Self::Unhandled(_))
            }

            /// Whether no usable answer came back (transport, timeout, credentials, endpoint).
            #[inline]
            pub fn is_request(&self) -> bool {
                ::std::matches!(self, Self::Request(_))
            }
        }
    }

    fn fault_arm(&self, e: &ErrorRef, from: &Module) -> TokenStream {
        let v = ident(&e.variant);
        let path = self.path(&e.target, from);
        let parse = self.protocol.parse_fault(self.rt);
        let bind = self.protocol.fault_bind();
        let codes = &e.codes;
        quote! {
            #(#codes)|* => Self::#v(#parse::<#path>(body)#bind.with_meta(meta)),
        }
    }

    /// What every error enum shares, through the runtime's `ErrorKind`: the metadata
    /// accessors (`ProvideErrorMetadata`), `RequestId`, `Display` and `source`.
    fn error_impls(&self, name: &Ident, faults: &[Ident]) -> TokenStream {
        let rt = self.rt;
        let extended = self.protocol.extended_request_id().then(|| {
            quote! {
                #[inline]
                fn extended_request_id(&self) -> ::std::option::Option<&str> {
                    self.kind().extended_request_id()
                }
            }
        });
        quote! {
            impl #name {
                #[doc(hidden)]
                #[inline]
                pub fn kind(&self) -> #rt::error::ErrorKind<'_> {
                    match self {
                        #( Self::#faults(e) => #rt::error::ErrorKind::Fault(e, e.meta()), )*
                        Self::Unhandled(e) => #rt::error::ErrorKind::Unhandled(e),
                        Self::Request(e) => #rt::error::ErrorKind::Request(e),
                    }
                }
            }

            impl #rt::ProvideErrorMetadata for #name {
                #[inline]
                fn meta(&self) -> ::std::option::Option<&#rt::ErrorMetadata> {
                    self.kind().meta()
                }
            }

            impl #rt::RequestId for #name {
                #[inline]
                fn request_id(&self) -> ::std::option::Option<&str> {
                    self.kind().request_id()
                }
                #extended
            }

            impl ::std::fmt::Display for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.kind(), f)
                }
            }

            impl ::std::error::Error for #name {
                #[inline]
                fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                    self.kind().source()
                }
            }
        }
    }

    /// `pub mod error { Error }`: any fault of the service.
    /// The body of the service-wide `Error::from_response`: the fault whose codes name
    /// `meta`'s code, its members parsed from `body`, else `Unhandled`.
    fn service_error_sort(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let parse = self.protocol.parse_fault(rt);
        let bind = self.protocol.fault_bind();
        let arms: Vec<TokenStream> = s
            .errors
            .iter()
            .filter_map(|t| {
                let TypeKind::Struct(st) = &t.kind else {
                    return None;
                };
                let v = ident(&t.name);
                let codes = &st.codes;
                Some(quote! {
                    #(#codes)|* => Self::#v(#parse::<super::types::error::#v>(body)#bind.with_meta(meta)),
                })
            })
            .collect();
        let unhandled = quote!(Self::Unhandled(#rt::UnhandledError::new(meta, body)));
        // A service with no fault (EC2) sorts everything as unhandled, without a `match`
        // of one wildcard arm (clippy's `match_single_binding` in users' crates).
        if arms.is_empty() {
            return unhandled;
        }
        quote! {
            match meta.shape_code() {
                #(#arms)*
                _ => #unhandled,
            }
        }
    }

    pub(super) fn service_error(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let variants = s.errors.iter().map(|t| {
            let v = ident(&t.name);
            let docs = doc_attrs(t.docs.as_deref());
            quote! { #docs #v(super::types::error::#v), }
        });
        let names: Vec<Ident> = s.errors.iter().map(|t| ident(&t.name)).collect();
        let froms = s.operations.iter().map(|op| self.service_error_from(op));
        let shared = self.error_impls(&format_ident!("Error"), &names);
        let sort = self.service_error_sort(s);
        let unused_allowed = super::unused_allowed();
        quote! {
            /// Errors of the whole service: every operation's error converts into `Error`
            /// with `?` or `From`.
            #[allow(deprecated)]
            #unused_allowed
            pub mod error {
                pub use #rt::{ErrorMetadata, ProvideErrorMetadata, RequestError, UnhandledError};

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

                #shared

                impl Error {
                    /// Sorts a service error into the fault its code names among all the
                    /// service's faults (as botocore does, whatever the operation lists),
                    /// parsing the modelled members from the body.
                    #[inline]
                    pub fn from_response(meta: #rt::ErrorMetadata, body: &[u8]) -> Self {
                        #sort
                    }

                    /// An error the operation does not name, sorted again among the
                    /// service's faults: a code the service models becomes its fault.
                    #[inline]
                    fn from_unhandled(e: #rt::UnhandledError) -> Self {
                        match Self::from_response(::std::clone::Clone::clone(e.meta()), e.raw_body()) {
                            Self::Unhandled(_) => Self::Unhandled(e),
                            typed => typed,
                        }
                    }
                }

                #(#froms)*
            }
        }
    }

    fn service_error_from(&self, op: &Operation) -> TokenStream {
        let m = ident(&op.module);
        let e = ident(&op.error_name);
        let arms = op.errors.iter().map(|er| {
            let v = ident(&er.variant);
            let target = ident(&er.target.name);
            quote! { #e::#v(e) => Self::#target(e), }
        });
        quote! {
            impl ::std::convert::From<super::operation::#m::#e> for Error {
                /// A fault the operation names keeps its variant; an unnamed code the
                /// service models elsewhere becomes that fault.
                #[inline]
                fn from(e: super::operation::#m::#e) -> Self {
                    use super::operation::#m::#e;
                    match e {
                        #(#arms)*
                        #e::Unhandled(e) => Self::from_unhandled(e),
                        #e::Request(e) => Self::Request(e),
                    }
                }
            }
        }
    }
}
