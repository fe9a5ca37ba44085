//! `service`: what the model says about the service, and the `INFO` the runtime reads.

use super::{doc_attrs, ident, Emitter};
use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    pub(super) fn service_module(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let (uid, api, sid, full, signing, endpoint) = (
            &s.uid,
            &s.api_version,
            &s.service_id,
            &s.full_name,
            &s.signing_name,
            &s.endpoint_prefix,
        );
        let service_doc = doc_attrs(s.docs.as_deref());
        let rule_set = match &s.endpoint_rule_set {
            Some(r) => quote!(::std::option::Option::Some(#r)),
            None => quote!(::std::option::Option::None),
        };
        let protocol = self.protocol.service_items(s, rt);
        // Request compression is the runtime's `gzip` feature: without it the build stops.
        let gzip = s
            .operations
            .iter()
            .any(|op| op.gzip_request)
            .then(|| quote!(#rt::__require_gzip!();));
        let signer = match s.signer {
            crate::ir::Signer::SigV4 => quote!(#rt::client::Signer::SigV4),
            crate::ir::Signer::S3SigV4 => quote!(#rt::client::Signer::S3SigV4),
        };
        let unused_allowed = super::unused_allowed();
        let (express, express_fn) = match self.express_session(s) {
            Some(f) => (quote!(::std::option::Option::Some(__s3_express_session)), f),
            None => (quote!(::std::option::Option::None), TokenStream::new()),
        };
        quote! {
            /// What the model says about the service: names and protocol settings.
            #service_doc
            #unused_allowed
            pub mod service {
                #gzip
                /// The model's unique id.
                pub const UID: &str = #uid;
                /// The API version the model describes.
                pub const API_VERSION: &str = #api;
                /// The service id (used for `AWS_ENDPOINT_URL_<SERVICE>` and endpoint rules).
                pub const SERVICE_ID: &str = #sid;
                /// The service's full name.
                pub const FULL_NAME: &str = #full;
                /// The SigV4 signing name.
                pub const SIGNING_NAME: &str = #signing;
                /// The endpoint prefix (`<prefix>.<region>.amazonaws.com`).
                pub const ENDPOINT_PREFIX: &str = #endpoint;
                /// The model's endpoint rule set (`endpoint-rule-set-1.json`), if it has one.
                pub const ENDPOINT_RULE_SET: ::std::option::Option<&str> = #rule_set;

                #protocol

                #[doc(hidden)]
                pub static INFO: #rt::client::ServiceInfo = #rt::client::ServiceInfo {
                    service_id: SERVICE_ID,
                    endpoint_prefix: ENDPOINT_PREFIX,
                    signing_name: SIGNING_NAME,
                    endpoint_rule_set: ENDPOINT_RULE_SET,
                    protocol: &PROTOCOL,
                    signer: #signer,
                    s3_express: #express,
                };

                #express_fn
            }
        }
    }

    /// S3's `__s3_express_session` (`ir::Service::express_session`): `CreateSession` for
    /// a bucket, its answer made the session's credentials.
    fn express_session(&self, s: &Service) -> Option<TokenStream> {
        let rt = self.rt;
        let e = s.express_session.as_ref()?;
        let op = s.operations.iter().find(|op| op.module == e.module)?;
        let (m, input, credentials) = (ident(&e.module), ident(&e.input), ident(&e.credentials));
        let [id, secret, token, expiration] = e.fields.each_ref().map(ident);
        let at = quote!(super::operation::#m::);
        let steps = self.steps(op, &at);
        Some(quote! {
            /// Opens an S3 Express One Zone session for a bucket (`CreateSession`, signed
            /// with the client's credentials): what the runtime signs a directory
            /// bucket's requests with.
            #[doc(hidden)]
            pub fn __s3_express_session(
                handle: #rt::client::Handle,
                bucket: ::std::string::String,
            ) -> ::std::pin::Pin<::std::boxed::Box<
                dyn ::std::future::Future<
                    Output = ::std::result::Result<#rt::Credentials, ::std::string::String>,
                > + ::std::marker::Send,
            >> {
                ::std::boxed::Box::pin(async move {
                    let input = super::operation::#m::#input::new(bucket);
                    let out = #rt::client::call(handle, input, #steps)
                        .await
                        .map_err(|e| ::std::string::ToString::to_string(&e))?;
                    let c = out.#credentials.unwrap_or_default();
                    #rt::s3::express_credentials(c.#id, c.#secret, c.#token, c.#expiration)
                })
            }
        })
    }
}
