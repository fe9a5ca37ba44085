//! query: a form body built by the runtime from the input's serde form and the model's
//! shape table (`service::SHAPES`), XML answers read with the same table. Per operation
//! `__request` and `__parse` name the operation's entries; per fault, `XmlFault`.

use super::{xml_table, Protocol};
use crate::emit::{ident, Emitter};
use crate::ir::{Operation, Service, Struct, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Query {
    ec2: bool,
}

pub(super) static QUERY: Query = Query { ec2: false };
pub(super) static EC2: Query = Query { ec2: true };

impl Protocol for Query {
    fn service_items(&self, service: &Service, rt: &TokenStream) -> TokenStream {
        let version = &service.api_version;
        let ec2 = self.ec2;
        let shapes = xml_table::shapes(service, rt);
        quote! {
            #shapes
            #[doc(hidden)]
            pub static PROTOCOL: #rt::protocol::Query = #rt::protocol::Query { version: #version, shapes: SHAPES, ec2: #ec2 };
        }
    }

    fn request(&self, _service: &Service, _op: &Operation, _rt: &TokenStream) -> TokenStream {
        // By value, as rest-json's: the harnesses call either protocol's the same way.
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
        let entry = s.xml.as_ref().and_then(|x| x.operations.get(&op.name));
        let wrapper = match entry.and_then(|x| x.wrapper.as_deref()) {
            Some(w) => quote!(::std::option::Option::Some(#w)),
            None => quote!(::std::option::Option::None),
        };
        let (input_ty, output_ty) = (ident(&op.input_name), ident(&op.output_name));
        quote! {
            #[inline]
            pub(crate) fn __request(input: #input_ty) -> ::std::result::Result<#rt::protocol::Request, #rt::RequestError> {
                super::super::service::PROTOCOL.request(NAME, #input, &input)
            }

            #[inline]
            pub(crate) fn __parse(resp: #rt::protocol::Response) -> ::std::result::Result<#output_ty, #rt::RequestError> {
                super::super::service::PROTOCOL.parse_output(resp, #output, #wrapper)
            }
        }
    }

    fn fault_items(&self, e: &Emitter<'_>, t: &TypeDef, st: &Struct) -> TokenStream {
        xml_table::fault_impl(e, t, st)
    }
}
