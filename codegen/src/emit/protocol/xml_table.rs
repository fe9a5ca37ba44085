//! What the XML protocols (query, ec2, rest-xml) emit alike: the model's shape table
//! (`service::SHAPES`, the runtime's `protocol::xml_table::Shape`s) and, per fault, the
//! `XmlFault` impl that reads the fault's members with it.

use crate::emit::{ident, Emitter};
use crate::ir::{Module, Service, Struct, TypeDef, XmlScalar, XmlShape};
use proc_macro2::TokenStream;
use quote::quote;

/// The path from `module` to the generated `service` module.
pub(super) fn service_path(module: &Module) -> TokenStream {
    match module {
        Module::Types => quote!(super::service),
        Module::TopLevel => quote!(self::service),
        Module::Errors | Module::Operation(_) => quote!(super::super::service),
    }
}

/// `SHAPES`: the service's table.
pub(super) fn shapes(service: &Service, rt: &TokenStream) -> TokenStream {
    let shapes = service
        .xml
        .iter()
        .flat_map(|x| x.shapes.iter())
        .map(|s| shape(s, rt));
    quote! {
        /// The model's shapes as the XML protocol reads and writes them.
        #[doc(hidden)]
        pub static SHAPES: &[#rt::protocol::xml_table::Shape] = &[ #(#shapes),* ];
    }
}

/// `impl XmlFault` for a fault: its members read with its entry of the table.
pub(super) fn fault_impl(e: &Emitter<'_>, t: &TypeDef, st: &Struct) -> TokenStream {
    let rt = e.rt;
    let name = ident(&t.name);
    let Some(index) = st.xml_shape else {
        return TokenStream::new();
    };
    let service = service_path(&t.module);
    quote! {
        impl #rt::protocol::xml_table::XmlFault for #name {
            #[inline]
            fn from_xml(body: &[u8]) -> Self {
                #service::PROTOCOL.parse_fault(#index, body)
            }
        }
    }
}

/// An operation's input and output entries of the table (`Option<u32>` expressions).
pub(super) fn entries(s: &Service, op: &crate::ir::Operation) -> (TokenStream, TokenStream) {
    let entry = s.xml.as_ref().and_then(|x| x.operations.get(&op.name));
    let index = |i: Option<u32>| match i {
        Some(i) => quote!(::std::option::Option::Some(#i)),
        None => quote!(::std::option::Option::None),
    };
    (
        index(entry.and_then(|x| x.input)),
        index(entry.and_then(|x| x.output)),
    )
}

/// A namespace declaration as the table holds it.
pub(super) fn ns(ns: &Option<(String, String)>) -> TokenStream {
    match ns {
        Some((attr, uri)) => quote!(::std::option::Option::Some((#attr, #uri))),
        None => quote!(::std::option::Option::None),
    }
}

/// One entry of the table.
fn shape(s: &XmlShape, rt: &TokenStream) -> TokenStream {
    let q = quote!(#rt::protocol::xml_table);
    match s {
        XmlShape::Struct(members) | XmlShape::Union(members) => {
            let members = members.iter().map(|m| {
                let (serde, xml, query, shape, flattened, attribute) =
                    (&m.serde, &m.xml, &m.query, m.shape, m.flattened, m.attribute);
                let n = ns(&m.ns);
                quote! {
                    #q::Member { serde: #serde, xml: #xml, query: #query, shape: #shape, flattened: #flattened, attribute: #attribute, ns: #n }
                }
            });
            if matches!(s, XmlShape::Union(_)) {
                quote!(#q::Shape::Union(&[ #(#members),* ]))
            } else {
                quote!(#q::Shape::Struct(&[ #(#members),* ]))
            }
        }
        XmlShape::List {
            member,
            member_name,
            flattened,
            member_ns,
        } => {
            let n = ns(member_ns);
            quote! {
                #q::Shape::List { member: #member, member_name: #member_name, flattened: #flattened, member_ns: #n }
            }
        }
        XmlShape::Map {
            key,
            value,
            key_name,
            value_name,
            flattened,
            key_ns,
            value_ns,
        } => {
            let (kn, vn) = (ns(key_ns), ns(value_ns));
            quote! {
                #q::Shape::Map { key: #key, value: #value, key_name: #key_name, value_name: #value_name, flattened: #flattened, key_ns: #kn, value_ns: #vn }
            }
        }
        XmlShape::Scalar(sc) => {
            let v = match sc {
                XmlScalar::String => quote!(String),
                XmlScalar::Bool => quote!(Bool),
                XmlScalar::Integer => quote!(Integer),
                XmlScalar::Float => quote!(Float),
                XmlScalar::Float32 => quote!(Float32),
                XmlScalar::Blob => quote!(Blob),
                XmlScalar::TimestampText => quote!(TimestampText),
                XmlScalar::TimestampEpoch => quote!(TimestampEpoch),
            };
            quote!(#q::Shape::Scalar(#q::Scalar::#v))
        }
    }
}
