//! smithy-rpc-v2-cbor: CBOR bodies written and read by the runtime from the input's serde
//! form and the model's shape table (`service::SHAPES`, the XML protocols' table); per
//! operation `__request` and `__parse` name the operation's entries; per fault,
//! `XmlFault` reads its members with its entry.

use super::{xml_table, Protocol};
use crate::emit::{ident, Emitter};
use crate::ir::{Operation, Service, Struct, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct RpcV2Cbor;

pub(super) static RPC_V2_CBOR: RpcV2Cbor = RpcV2Cbor;

impl Protocol for RpcV2Cbor {
    fn service_items(&self, service: &Service, rt: &TokenStream) -> TokenStream {
        let prefix = &service.protocol.target_prefix;
        let query_compatible = service.protocol.query_compatible;
        let shapes = xml_table::shapes(service, rt);
        quote! {
            #shapes
            #[doc(hidden)]
            pub static PROTOCOL: #rt::protocol::RpcV2Cbor = #rt::protocol::RpcV2Cbor {
                service: #prefix,
                shapes: SHAPES,
                query_compatible: #query_compatible,
            };
        }
    }

    fn request(&self, _service: &Service, _op: &Operation, _rt: &TokenStream) -> TokenStream {
        quote!(__request(input))
    }

    fn parse_output(&self, _rt: &TokenStream, at: &TokenStream) -> TokenStream {
        quote!(#at __parse)
    }

    fn parse_fault(&self, rt: &TokenStream) -> TokenStream {
        quote!(#rt::protocol::xml_table::parse_fault)
    }

    fn operation_items(&self, e: &Emitter<'_>, s: &Service, op: &Operation) -> TokenStream {
        let rt = e.rt;
        let (input, output) = xml_table::entries(s, op);
        let (input_ty, output_ty) = (ident(&op.input_name), ident(&op.output_name));
        quote! {
            #[inline]
            pub(crate) fn __request(input: #input_ty) -> ::std::result::Result<#rt::protocol::Request, #rt::RequestError> {
                super::super::service::PROTOCOL.request(NAME, #input, &input)
            }

            #[inline]
            pub(crate) fn __parse(resp: #rt::protocol::Response) -> ::std::result::Result<#output_ty, #rt::RequestError> {
                super::super::service::PROTOCOL.parse_output(resp, #output)
            }
        }
    }

    fn fault_items(&self, e: &Emitter<'_>, t: &TypeDef, st: &Struct) -> TokenStream {
        xml_table::fault_impl(e, t, st)
    }
}
