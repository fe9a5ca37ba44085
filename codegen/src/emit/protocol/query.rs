//! query: a form body built by the runtime from the input's serde form and the model's
//! shape table (`service::SHAPES`), XML answers read with the same table. Per operation
//! `__request` and `__parse` name the operation's entries; per fault, `XmlFault`.

use super::Protocol;
use crate::emit::{ident, Emitter};
use crate::ir::{Module, Operation, Service, Struct, TypeDef, XmlScalar, XmlShape};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Query {
    ec2: bool,
}

pub(super) static QUERY: Query = Query { ec2: false };
pub(super) static EC2: Query = Query { ec2: true };

/// The path from `module` to the generated `service` module.
fn service_path(module: &Module) -> TokenStream {
    match module {
        Module::Types => quote!(super::service),
        Module::TopLevel => quote!(self::service),
        Module::Errors | Module::Operation(_) => quote!(super::super::service),
    }
}

impl Protocol for Query {
    fn service_items(&self, service: &Service, rt: &TokenStream) -> TokenStream {
        let version = &service.api_version;
        let ec2 = self.ec2;
        let shapes = service
            .xml
            .iter()
            .flat_map(|x| x.shapes.iter())
            .map(|s| shape(s, rt));
        quote! {
            /// The model's shapes as the query protocol reads and writes them.
            #[doc(hidden)]
            pub static SHAPES: &[#rt::protocol::query::Shape] = &[ #(#shapes),* ];
            #[doc(hidden)]
            pub static PROTOCOL: #rt::protocol::Query = #rt::protocol::Query { version: #version, shapes: SHAPES, ec2: #ec2 };
        }
    }

    fn request(&self, _service: &Service, _op: &Operation, _rt: &TokenStream) -> TokenStream {
        // By value, as rest-json's: the harnesses call either protocol's the same way.
        quote!(__request(input))
    }

    fn parse_output(&self, _rt: &TokenStream) -> TokenStream {
        quote!(__parse)
    }

    fn parse_fault(&self, rt: &TokenStream) -> TokenStream {
        quote!(#rt::protocol::query::parse_fault)
    }

    fn operation_items(&self, e: &Emitter<'_>, s: &Service, op: &Operation) -> TokenStream {
        let rt = e.rt;
        let entry = s.xml.as_ref().and_then(|x| x.operations.get(&op.name));
        let index = |i: Option<u32>| match i {
            Some(i) => quote!(::std::option::Option::Some(#i)),
            None => quote!(::std::option::Option::None),
        };
        let input = index(entry.and_then(|x| x.input));
        let output = index(entry.and_then(|x| x.output));
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
        let rt = e.rt;
        let name = ident(&t.name);
        let Some(index) = st.xml_shape else {
            return TokenStream::new();
        };
        let service = service_path(&t.module);
        quote! {
            impl #rt::protocol::query::XmlFault for #name {
                #[inline]
                fn from_xml(body: &[u8]) -> Self {
                    #service::PROTOCOL.parse_fault(#index, body)
                }
            }
        }
    }
}

/// One entry of the table.
fn shape(s: &XmlShape, rt: &TokenStream) -> TokenStream {
    let q = quote!(#rt::protocol::query);
    match s {
        XmlShape::Struct(members) => {
            let members = members.iter().map(|m| {
                let (serde, xml, query, shape, flattened, attribute) =
                    (&m.serde, &m.xml, &m.query, m.shape, m.flattened, m.attribute);
                quote! {
                    #q::Member { serde: #serde, xml: #xml, query: #query, shape: #shape, flattened: #flattened, attribute: #attribute }
                }
            });
            quote!(#q::Shape::Struct(&[ #(#members),* ]))
        }
        XmlShape::List {
            member,
            member_name,
            flattened,
        } => quote! {
            #q::Shape::List { member: #member, member_name: #member_name, flattened: #flattened }
        },
        XmlShape::Map {
            key,
            value,
            key_name,
            value_name,
            flattened,
        } => quote! {
            #q::Shape::Map { key: #key, value: #value, key_name: #key_name, value_name: #value_name, flattened: #flattened }
        },
        XmlShape::Scalar(sc) => {
            let v = match sc {
                XmlScalar::String => quote!(String),
                XmlScalar::Bool => quote!(Bool),
                XmlScalar::Integer => quote!(Integer),
                XmlScalar::Float => quote!(Float),
                XmlScalar::Blob => quote!(Blob),
                XmlScalar::TimestampText => quote!(TimestampText),
                XmlScalar::TimestampEpoch => quote!(TimestampEpoch),
            };
            quote!(#q::Shape::Scalar(#q::Scalar::#v))
        }
    }
}
