//! `service`: what the model says about the service, and the `INFO` the runtime reads.

use super::{doc_attrs, Emitter};
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
                };
            }
        }
    }
}
