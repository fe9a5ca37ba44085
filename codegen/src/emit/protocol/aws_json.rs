//! awsJson 1.0 and 1.1: a `POST /` whose JSON body is the input, `X-Amz-Target:
//! <prefix>.<Operation>`, and errors identified by `X-Amzn-ErrorType` or `__type`.

use super::Protocol;
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct AwsJson {
    /// `1.0` or `1.1`.
    version: &'static str,
}

pub(super) static AWS_JSON_1_0: AwsJson = AwsJson { version: "1.0" };
pub(super) static AWS_JSON_1_1: AwsJson = AwsJson { version: "1.1" };

impl Protocol for AwsJson {
    fn service_items(&self, service: &Service, rt: &TokenStream) -> TokenStream {
        let prefix = &service.protocol.target_prefix;
        let version = self.version;
        let constructor = match version {
            "1.0" => quote!(v1_0()),
            _ => quote!(v1_1()),
        };
        let constructor = if service.protocol.query_compatible {
            quote!(#constructor.query_compatible())
        } else {
            constructor
        };
        quote! {
            /// The `X-Amz-Target` prefix: a request for operation `Op` is sent with
            /// `X-Amz-Target: <TARGET_PREFIX>.Op`.
            pub const TARGET_PREFIX: &str = #prefix;
            /// The awsJson version: requests are `application/x-amz-json-<JSON_VERSION>`.
            pub const JSON_VERSION: &str = #version;
            #[doc(hidden)]
            pub static PROTOCOL: #rt::protocol::AwsJson = #rt::protocol::AwsJson::#constructor;
        }
    }

    fn request(&self, service: &Service, op: &Operation, _rt: &TokenStream) -> TokenStream {
        let target = format!("{}.{}", service.protocol.target_prefix, op.name);
        quote!(super::super::service::PROTOCOL.request(#target, &input))
    }

    fn parse_output(&self, rt: &TokenStream, _at: &TokenStream) -> TokenStream {
        quote!(#rt::protocol::AwsJson::parse_output)
    }

    fn parse_fault(&self, rt: &TokenStream) -> TokenStream {
        quote!(#rt::protocol::AwsJson::parse_fault)
    }
}
