//! rest-json and rest-xml: each operation gets a request builder (`__request`: method,
//! URI labels, query string, headers, then the body: the payload member, or the members
//! left in the body, as JSON or XML) and an output parser (`__parse`: the body, then the
//! members bound to headers and the status code), both written against
//! `awsgen_runtime::protocol::rest`. The two protocols differ only in the body: JSON
//! through the types' serde, XML through the service's shape table
//! ([`xml_table`](super::xml_table)).

use super::{xml_table, Protocol};
use crate::emit::{ident, Emitter};
use crate::ir::{
    Field, FieldLocation, Io, Module, Operation, PayloadKind, RustType, Service, Struct,
    TimestampFormat, TypeDef, UriPart,
};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) struct Rest {
    /// rest-xml: bodies in XML.
    xml: bool,
}

pub(super) static REST_JSON: Rest = Rest { xml: false };
pub(super) static REST_XML: Rest = Rest { xml: true };

/// Where a rest-xml body goes in the shape table: the structure's entry, the root
/// element's name and namespace.
struct XmlBody {
    shape: u32,
    root: String,
    ns: Option<(String, String)>,
}

impl Rest {
    /// The XML body of an operation's input (`input: true`) or output, for rest-xml.
    fn xml_body(&self, s: &Service, op: &Operation, input: bool) -> Option<XmlBody> {
        if !self.xml {
            return None;
        }
        let entry = s.xml.as_ref()?.operations.get(&op.name)?;
        Some(if input {
            XmlBody {
                shape: entry.input?,
                root: entry.input_root.clone(),
                ns: entry.input_ns.clone(),
            }
        } else {
            // A mock's answer: the root's name is not read.
            XmlBody {
                shape: entry.output?,
                root: op.output_name.to_string(),
                ns: None,
            }
        })
    }
}

impl Protocol for Rest {
    fn service_items(&self, service: &Service, rt: &TokenStream) -> TokenStream {
        if self.xml {
            let shapes = xml_table::shapes(service, rt);
            return quote! {
                #shapes
                #[doc(hidden)]
                pub static PROTOCOL: #rt::protocol::RestXml = #rt::protocol::RestXml { shapes: SHAPES };
            };
        }
        quote! {
            #[doc(hidden)]
            pub static PROTOCOL: #rt::protocol::RestJson = #rt::protocol::RestJson;
        }
    }

    fn request(&self, _service: &Service, _op: &Operation, _rt: &TokenStream) -> TokenStream {
        // By value: a streaming payload moves into the request.
        quote!(__request(input))
    }

    fn parse_output(&self, _rt: &TokenStream, at: &TokenStream) -> TokenStream {
        quote!(#at __parse)
    }

    fn parse_fault(&self, rt: &TokenStream) -> TokenStream {
        if self.xml {
            quote!(#rt::protocol::xml_table::parse_fault)
        } else {
            quote!(#rt::protocol::RestJson::parse_fault)
        }
    }

    fn operation_items(&self, e: &Emitter<'_>, s: &Service, op: &Operation) -> TokenStream {
        let request = request_fn(e, s, op, self.xml_body(s, op, true).as_ref(), self.xml);
        let parse = parse_fn(e, s, op, self.xml_body(s, op, false).as_ref(), self.xml);
        let mock = mock_fn(e, s, op, self.xml_body(s, op, false).as_ref(), self.xml);
        quote! { #request #parse #mock }
    }

    fn fault_items(&self, e: &Emitter<'_>, t: &TypeDef, st: &Struct) -> TokenStream {
        let xml = if self.xml {
            xml_table::fault_impl(e, t, st)
        } else {
            TokenStream::new()
        };
        let http = fault_http(e, t, st);
        quote! { #xml #http }
    }

    fn fault_bind(&self) -> TokenStream {
        quote!(.__with_http(&meta))
    }

    fn extended_request_id(&self) -> bool {
        self.xml
    }
}

/// `__with_http`: a fault's members bound to the error response's headers and status.
fn fault_http(e: &Emitter<'_>, t: &TypeDef, st: &Struct) -> TokenStream {
    {
        let rt = e.rt;
        let name = ident(&t.name);
        let target = Target {
            headers: quote!(headers),
            status: quote!(status),
            out: quote!(self),
        };
        let bound: Vec<TokenStream> = st
            .fields
            .iter()
            .filter_map(|f| bind_output(e, f, &t.module, &target))
            .collect();
        let (binding, body) = if bound.is_empty() {
            (quote!(self), quote! { let _ = meta; })
        } else {
            (
                quote!(mut self),
                quote! {
                    let headers = #rt::protocol::rest::fault_headers(meta);
                    let status = meta.status().unwrap_or_default();
                    let _ = status;
                    // A header that does not read as its member's type leaves the member
                    // unset: the fault's code and message are what matter.
                    let mut read = || -> ::std::result::Result<(), #rt::RequestError> {
                        #(#bound)*
                        ::std::result::Result::Ok(())
                    };
                    let _ = read();
                },
            )
        };
        quote! {
            impl #name {
                /// Sets the members bound to the error response's headers and status.
                #[doc(hidden)]
                #[inline]
                pub fn __with_http(#binding, meta: &#rt::ErrorMetadata) -> Self {
                    #body
                    self
                }
            }
        }
    }
}

/// Where `bind_output` reads from and writes to.
struct Target {
    /// An `&http::HeaderMap` expression.
    headers: TokenStream,
    /// A `u16` expression.
    status: TokenStream,
    /// The structure being filled (`out`, `self`).
    out: TokenStream,
}

/// An expression of type `String`: the text of scalar `v` (a reference) in a URI, query
/// string or header, as botocore writes it. `None` for types that have no text form.
fn text(rt: &TokenStream, ty: &RustType, v: TokenStream) -> Option<TokenStream> {
    Some(match ty {
        RustType::String => quote!(::std::string::String::from(#v.as_str())),
        RustType::Bool => quote!(::std::string::String::from(if *#v { "true" } else { "false" })),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
            quote!(::std::string::ToString::to_string(#v))
        }
        RustType::F32 => quote!(#rt::protocol::rest::float_text_f32(*#v)),
        RustType::F64 => quote!(#rt::protocol::rest::float_text(*#v)),
        RustType::Timestamp(TimestampFormat::Iso8601) => quote!(#v.to_iso8601()),
        RustType::Timestamp(TimestampFormat::HttpDate) => quote!(#v.to_http_date()),
        RustType::Timestamp(TimestampFormat::EpochSeconds) => {
            quote!(#rt::protocol::rest::epoch_text(#v))
        }
        RustType::Blob => quote!(#v.to_base64()),
        RustType::Named { boxed: false, .. } => {
            quote!(::std::string::String::from(#v.as_str()))
        }
        _ => return None,
    })
}

/// For a header's timestamp `v`, a statement shadowing it with its whole seconds, as
/// botocore's `_convert_header_value` writes it (through `calendar.timegm`).
fn whole_seconds(rt: &TokenStream, ty: &RustType, v: TokenStream) -> TokenStream {
    match ty {
        RustType::Timestamp(_) => quote!(let #v = &#rt::DateTime::from_secs(#v.secs());),
        _ => TokenStream::new(),
    }
}

/// S3's `GetBucketLocation` (`ir::Customization::RootText`): the statement setting the
/// field from the answer's root element.
fn root_text(op: &Operation) -> Option<TokenStream> {
    op.customizations.iter().find_map(|c| match c {
        crate::ir::Customization::RootText { field } => {
            let f = ident(field);
            Some(quote! {
                out.#f = super::super::service::PROTOCOL.root_text(&resp)?.map(::std::convert::From::from);
            })
        }
        _ => None,
    })
}

/// `fn __request(input) -> Result<Request, RequestError>`.
fn request_fn(
    e: &Emitter<'_>,
    s: &Service,
    op: &Operation,
    xml_body: Option<&XmlBody>,
    xml: bool,
) -> TokenStream {
    let rt = e.rt;
    let input_ty = ident(&op.input_name);
    let (Some(http), Some(st)) = (op.http.as_ref(), s.io_struct(&op.input)) else {
        return TokenStream::new();
    };
    let method = &http.method;
    let path = http.uri.iter().map(|part| match part {
        UriPart::Literal(l) => quote! { r.path(#l); },
        UriPart::Label {
            member,
            field,
            greedy,
            required,
        } => {
            let f = ident(field);
            let ty = st
                .fields
                .iter()
                .find(|x| x.name == *field)
                .map(|x| x.ty.clone())
                .unwrap_or(RustType::String);
            let t = text(rt, &ty, quote!(v)).unwrap_or_else(|| quote!(::std::string::String::new()));
            let push = if *greedy {
                quote!(r.greedy_label(&#t);)
            } else {
                quote!(r.label(&#t);)
            };
            if *required {
                quote! { { let v = &input.#f; #push } }
            } else {
                quote! {
                    match &input.#f {
                        ::std::option::Option::Some(v) => { #push }
                        ::std::option::Option::None => return ::std::result::Result::Err(#rt::protocol::rest::RequestBuilder::missing_label(#member)),
                    }
                }
            }
        }
    });
    let bound: Vec<TokenStream> = st
        .fields
        .iter()
        .filter_map(|f| bind_input(rt, f, &quote!(input)))
        .collect();
    let body = input_body(rt, st, &quote!(input), true, xml_body, xml);
    let checksum = checksum_plan(http, st);
    let uses_input = !bound.is_empty()
        || !body.is_empty()
        || http.uri.iter().any(|p| matches!(p, UriPart::Label { .. }));
    let param = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    // Inline, like `send`: the request's code (and the input's serde) is compiled only in
    // crates that call the operation, not in every crate that includes the model.
    quote! {
        #[inline]
        pub(crate) fn __request(#param: #input_ty) -> ::std::result::Result<#rt::protocol::Request, #rt::RequestError> {
            let mut r = #rt::protocol::rest::RequestBuilder::new(#method)?;
            #(#path)*
            #(#bound)*
            #checksum
            #body
            r.finish()
        }
    }
}

/// What `__request` tells the builder of checksums: `require_checksum` where the model
/// requires one and has no flexible checksums; else `flexible_checksum` with the
/// algorithm member's header and value, the validation member's header and the response
/// algorithms.
fn checksum_plan(http: &crate::ir::Http, st: &Struct) -> TokenStream {
    let required = http.checksum_required;
    let Some(flex) = &http.flexible_checksum else {
        return if required {
            quote! { r.require_checksum(); }
        } else {
            TokenStream::new()
        };
    };
    let field = |member: &Option<String>| {
        member
            .as_ref()
            .and_then(|m| st.fields.iter().find(|f| f.wire == *m))
    };
    let header_of = |f: &Field| match &f.location {
        FieldLocation::Header(name) => name.clone(),
        _ => String::new(),
    };
    let (algorithm_header, algorithm) = match field(&flex.algorithm_member) {
        Some(f) => {
            let (h, n) = (header_of(f), ident(&f.name));
            let value = if f.required {
                quote!(::std::option::Option::Some(input.#n.as_str()))
            } else {
                quote!(input.#n.as_ref().map(|v| v.as_str()))
            };
            (quote!(::std::option::Option::Some(#h)), value)
        }
        None => (
            quote!(::std::option::Option::None),
            quote!(::std::option::Option::None),
        ),
    };
    let validation = match field(&flex.validation_member).map(header_of) {
        Some(h) if !h.is_empty() => quote!(::std::option::Option::Some(#h)),
        _ => quote!(::std::option::Option::None),
    };
    let algorithms = &flex.response_algorithms;
    quote! {
        r.flexible_checksum(#required, #algorithm_header, #algorithm, #validation, &[#(#algorithms),*]);
    }
}

/// Statements that write one input field bound to the query string or headers (labels
/// are written with the path; body fields with the body).
fn bind_input(rt: &TokenStream, f: &Field, input: &TokenStream) -> Option<TokenStream> {
    let n = ident(&f.name);
    let write = match &f.location {
        FieldLocation::Body | FieldLocation::Label(_) | FieldLocation::StatusCode => return None,
        FieldLocation::Query(name) => match &f.ty {
            RustType::List(el) => {
                let t = text(rt, el, quote!(x))?;
                quote! { for x in v { r.query(#name, #t); } }
            }
            ty => {
                let t = text(rt, ty, quote!(v))?;
                quote! { r.query(#name, #t); }
            }
        },
        FieldLocation::QueryMap => match &f.ty {
            RustType::Map(_, value) => match &**value {
                RustType::List(el) => {
                    let t = text(rt, el, quote!(x))?;
                    quote! { for (k, xs) in v { for x in xs { r.query_map_entry(k, #t); } } }
                }
                ty => {
                    let t = text(rt, ty, quote!(x))?;
                    quote! { for (k, x) in v { r.query_map_entry(k, #t); } }
                }
            },
            _ => return None,
        },
        FieldLocation::Header(name) => match &f.ty {
            RustType::Document => quote! { r.header_json(#name, v)?; },
            RustType::List(el) => {
                let t = text(rt, el, quote!(x))?;
                let whole = whole_seconds(rt, el, quote!(x));
                let quote_strings = matches!(**el, RustType::String);
                quote! { r.header_list(#name, v.iter().map(|x| { #whole #t }), #quote_strings)?; }
            }
            ty => {
                let t = text(rt, ty, quote!(v))?;
                let whole = whole_seconds(rt, ty, quote!(v));
                quote! { #whole r.header(#name, &#t)?; }
            }
        },
        FieldLocation::HeaderMap(prefix) => match &f.ty {
            RustType::Map(_, value) if **value == RustType::String => {
                quote! { r.header_map(#prefix, v)?; }
            }
            _ => return None,
        },
    };
    Some(if f.required {
        quote! { { let v = &#input.#n; #write } }
    } else {
        quote! { if let ::std::option::Option::Some(v) = &#input.#n { #write } }
    })
}

/// The body: the payload member (its bytes, its text, or its JSON; an unset structure
/// is `{}`), or the members left in the body as a JSON object (none left: no body).
/// `owned`: `input` is owned, so a streaming payload moves into the request; otherwise
/// (a mock's output, by reference) a body in memory is copied.
///
/// rest-xml (`xml`): the structure payload or the body members through the shape table
/// (`xml_body`); an unset structure payload is no body, and so are body members none of
/// which is set, as botocore sends them.
fn input_body(
    rt: &TokenStream,
    st: &Struct,
    input: &TokenStream,
    owned: bool,
    xml_body: Option<&XmlBody>,
    xml: bool,
) -> TokenStream {
    let protocol = quote!(super::super::service::PROTOCOL);
    let xml_args = xml_body.map(|b| {
        let (shape, root, ns) = (b.shape, &b.root, xml_table::ns(&b.ns));
        quote!(#shape, #root, #ns)
    });
    if let Some(p) = &st.payload {
        return payload_body(st, p, input, owned, xml_args.as_ref(), xml);
    }
    if !st.fields.iter().any(|f| f.location == FieldLocation::Body) {
        return TokenStream::new();
    }
    // `input` is a reference when not owned.
    let whole = if owned {
        quote!(&#input)
    } else {
        input.clone()
    };
    let value = if st.has_bound_fields() {
        quote!(&#rt::wire::Body(#whole))
    } else {
        whole
    };
    if !xml {
        return quote! { r.json_body(#value)?; };
    }
    match xml_args {
        Some(args) => quote! {
            if let ::std::option::Option::Some(b) = #protocol.members_body(#args, #value)? {
                r.raw_body(b);
            }
        },
        None => TokenStream::new(),
    }
}

/// A payload member as the whole body: a streaming one moved in (or, for a mock's
/// output by reference, copied), bytes, text, or a structure as JSON or, for rest-xml,
/// through the table (`xml_args`: its entry, root name and namespace); an unset
/// structure is `{}` in JSON and no body in XML, as botocore sends them.
fn payload_body(
    st: &Struct,
    p: &crate::ir::Payload,
    input: &TokenStream,
    owned: bool,
    xml_args: Option<&TokenStream>,
    xml: bool,
) -> TokenStream {
    let f = ident(&p.field);
    let required = st.fields.iter().any(|x| x.name == p.field && x.required);
    // An input event stream this client sends (`ir::EventInput`): moved in last.
    let sends_events = st
        .fields
        .iter()
        .any(|x| x.name == p.field && matches!(x.ty, RustType::EventSender { .. }));
    if sends_events && owned {
        return match required {
            true => quote! { r.event_stream(#input.#f.into_outgoing()); },
            false => quote! { r.event_stream(#input.#f.unwrap_or_default().into_outgoing()); },
        };
    }
    if let PayloadKind::Stream { requires_length } = p.kind {
        if !owned {
            let copy = quote!(r.raw_body(v.try_clone().unwrap_or_default()););
            return if required {
                quote! { { let v = &#input.#f; #copy } }
            } else {
                quote! { if let ::std::option::Option::Some(v) = &#input.#f { #copy } }
            };
        }
        // Moved out last: the members bound elsewhere were read through `&input`. The
        // operation has a streaming payload whether or not the caller gave one (botocore's
        // `has_streaming_input`, which decides checksums and payload signing).
        return if required {
            quote! { r.stream_body(#input.#f, #requires_length)?; }
        } else {
            quote! {
                r.streaming_input();
                if let ::std::option::Option::Some(v) = #input.#f {
                    r.stream_body(v, #requires_length)?;
                }
            }
        };
    }
    let some = match (p.kind, xml_args) {
        (PayloadKind::Blob, _) => quote! { r.raw_body(v.as_slice().to_vec()); },
        (PayloadKind::Text, _) => quote! { r.raw_body(v.as_str().as_bytes().to_vec()); },
        (PayloadKind::Structure, _) if !xml => quote! { r.json_body(v)?; },
        (PayloadKind::Structure, Some(args)) => {
            quote! { r.raw_body(super::super::service::PROTOCOL.body(#args, v)?); }
        }
        (PayloadKind::Structure, None)
        | (PayloadKind::Stream { .. }, _)
        | (PayloadKind::EventStream, _) => TokenStream::new(),
    };
    if some.is_empty() {
        return some;
    }
    let none = match p.kind {
        PayloadKind::Structure if !xml => quote! { r.empty_json_body(); },
        _ => TokenStream::new(),
    };
    if required {
        quote! { { let v = &#input.#f; #some } }
    } else if none.is_empty() {
        quote! { if let ::std::option::Option::Some(v) = &#input.#f { #some } }
    } else {
        quote! {
            match &#input.#f {
                ::std::option::Option::Some(v) => { #some }
                ::std::option::Option::None => { #none }
            }
        }
    }
}

/// `fn __mock_response(output) -> Result<MockResponse, RequestError>` (with the
/// `test-util` feature): the response a service would send `output` in, written as a
/// request is (its header members, its payload or body members), with its status member.
fn mock_fn(
    e: &Emitter<'_>,
    s: &Service,
    op: &Operation,
    xml_body: Option<&XmlBody>,
    xml: bool,
) -> TokenStream {
    let rt = e.rt;
    let (Some(feature), Some(st)) = (e.rest_mocks(s), s.io_struct(&op.output)) else {
        return TokenStream::new();
    };
    // Event-stream operations this client does not read have no mocks (their output
    // streams are answered by `Rule::then_events`, with these headers).
    if op.refuses_stream() {
        return TokenStream::new();
    }
    let output_ty = ident(&op.output_name);
    let output = quote!(output);
    let headers = st.fields.iter().filter_map(|f| bind_input(rt, f, &output));
    let body = if matches!(op.output, Io::Empty(_)) {
        TokenStream::new()
    } else {
        input_body(rt, st, &output, false, xml_body, xml)
    };
    let status = st
        .fields
        .iter()
        .find(|f| f.location == FieldLocation::StatusCode)
        .map(|f| {
            let n = ident(&f.name);
            let v = if f.required {
                quote!(::std::option::Option::Some(&output.#n))
            } else {
                quote!(output.#n.as_ref())
            };
            quote! {
                if let ::std::option::Option::Some(v) = #v {
                    status = <u16 as ::std::convert::TryFrom<_>>::try_from(*v).unwrap_or(200);
                }
            }
        });
    let status_binding = if status.is_some() {
        quote!(mut status)
    } else {
        quote!(status)
    };
    quote! {
        #[cfg(feature = #feature)]
        #[allow(unused_variables, unused_mut)]
        fn __mock_response(output: &#output_ty) -> ::std::result::Result<#rt::protocol::rest::MockResponse, #rt::RequestError> {
            let mut r = #rt::protocol::rest::RequestBuilder::new("GET")?;
            let #status_binding: u16 = 200;
            #status
            #(#headers)*
            #body
            ::std::result::Result::Ok(#rt::protocol::rest::MockResponse::new(status, r.finish()?))
        }
    }
}

/// `fn __parse(resp) -> Result<Output, RequestError>`.
fn parse_fn(
    e: &Emitter<'_>,
    s: &Service,
    op: &Operation,
    xml_body: Option<&XmlBody>,
    xml: bool,
) -> TokenStream {
    let rt = e.rt;
    let output_ty = ident(&op.output_name);
    let Some(st) = s.io_struct(&op.output) else {
        return TokenStream::new();
    };
    let from = Module::Operation(op.module.clone());
    let target = Target {
        headers: quote!(&resp.headers),
        status: quote!(resp.status),
        out: quote!(out),
    };
    let bound: Vec<TokenStream> = st
        .fields
        .iter()
        .filter_map(|f| bind_output(e, f, &from, &target))
        .collect();
    let binding = if bound.is_empty() && st.payload.is_none() && !matches!(op.output, Io::Empty(_))
    {
        quote!(out)
    } else {
        quote!(mut out)
    };
    let default_out = |binding: &TokenStream| default_out(rt, &output_ty, binding, xml);
    let root_text = root_text(op).filter(|_| xml);
    let body = match &st.payload {
        // S3's `GetBucketLocation`: the root element's text is the field.
        None if root_text.is_some() => {
            let out = default_out(&quote!(mut out));
            quote! { #out #root_text }
        }
        // The model names no output: the body is not read (botocore ignores it).
        None if matches!(op.output, Io::Empty(_)) => default_out(&binding),
        None if !xml => {
            quote! { let #binding: #output_ty = #rt::protocol::RestJson::parse_body(&resp)?; }
        }
        None => match xml_body {
            Some(b) => {
                let shape = b.shape;
                quote! { let #binding: #output_ty = super::super::service::PROTOCOL.parse_body(&resp, #shape)?; }
            }
            None => default_out(&binding),
        },
        Some(p) => {
            let f = ident(&p.field);
            let value = payload_value(e, st, p, &from, xml_body, xml);
            let set = if matches!(p.kind, PayloadKind::Stream { .. }) || op.event_output.is_some() {
                quote!(out.#f = #value;)
            } else {
                quote!(out.#f = ::std::option::Option::Some(#value);)
            };
            let out = default_out(&quote!(mut out));
            quote! { #out #set }
        }
    };
    // A streaming output is parsed from the response's head; its body is the payload.
    let response = if op.streaming_output {
        quote!(#rt::protocol::StreamingResponse)
    } else {
        quote!(#rt::protocol::Response)
    };
    quote! {
        #[inline]
        pub(crate) fn __parse(resp: #response) -> ::std::result::Result<#output_ty, #rt::RequestError> {
            #body
            #(#bound)*
            ::std::result::Result::Ok(out)
        }
    }
}

/// An output built here (not read from a body): its request id, status and (rest-xml)
/// extended request id from the response.
fn default_out(
    rt: &TokenStream,
    output_ty: &proc_macro2::Ident,
    binding: &TokenStream,
    xml: bool,
) -> TokenStream {
    let extended = xml.then(|| set_extended_request_id(rt));
    quote! {
        let #binding = <#output_ty as ::std::default::Default>::default();
        #rt::protocol::SetRequestId::set_request_id(&mut out, resp.request_id.clone());
        #rt::protocol::SetRequestId::set_status(&mut out, resp.status);
        #extended
    }
}

/// rest-xml: S3's `x-amz-id-2` kept beside the request id, on an output `out` built
/// from `resp`.
fn set_extended_request_id(rt: &TokenStream) -> TokenStream {
    quote! {
        #rt::protocol::SetRequestId::set_extended_request_id(
            &mut out,
            #rt::protocol::rest::header_text(&resp.headers, "x-amz-id-2"),
        );
    }
}

/// An output's payload member read from the response: its bytes, its text, its
/// structure (JSON, or XML through the table), or the streaming body.
fn payload_value(
    e: &Emitter<'_>,
    st: &Struct,
    p: &crate::ir::Payload,
    from: &Module,
    xml_body: Option<&XmlBody>,
    xml: bool,
) -> TokenStream {
    let rt = e.rt;
    match p.kind {
        PayloadKind::Blob => quote!(#rt::protocol::rest::blob_payload(&resp)),
        PayloadKind::Text => {
            let ty = st
                .fields
                .iter()
                .find(|x| x.name == p.field)
                .map(|x| e.ty(&x.ty, from))
                .unwrap_or_else(|| quote!(::std::string::String));
            quote!(<#ty>::from(#rt::protocol::rest::text_payload(&resp)))
        }
        PayloadKind::Structure if !xml => quote!(#rt::protocol::RestJson::parse_payload(&resp)?),
        PayloadKind::Structure => match xml_body {
            Some(b) => {
                let shape = b.shape;
                quote!(super::super::service::PROTOCOL.parse_payload(&resp, #shape)?)
            }
            None => quote!(::std::default::Default::default()),
        },
        PayloadKind::Stream { .. } => quote!(resp.body),
        // An event stream this client reads (`ir::EventOutput`): its receiver; one it
        // does not read is never parsed (the operation refuses to send).
        PayloadKind::EventStream => {
            quote!(#rt::eventstream::EventReceiver::new(resp.body, __event, __stream_error))
        }
    }
}

/// A statement setting one output field from the response's headers or status (only
/// when the header is present: a member the body set stays, as in botocore).
fn bind_output(e: &Emitter<'_>, f: &Field, from: &Module, to: &Target) -> Option<TokenStream> {
    let rt = e.rt;
    let n = ident(&f.name);
    let h = &to.headers;
    let out = &to.out;
    let status = &to.status;
    let read = |ty: &RustType, name: &str| -> Option<TokenStream> {
        Some(match ty {
            RustType::String => quote!(#rt::protocol::rest::header_text(#h, #name)),
            RustType::Bool => quote!(#rt::protocol::rest::header_bool(#h, #name)),
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
                let t = e.ty(ty, from);
                quote!(#rt::protocol::rest::header_number::<#t>(#h, #name)?)
            }
            RustType::F64 => quote!(#rt::protocol::rest::header_float(#h, #name)?),
            RustType::F32 => {
                quote!(#rt::protocol::rest::header_float(#h, #name)?.map(|x| x as f32))
            }
            RustType::Timestamp(_) => quote!(#rt::protocol::rest::header_timestamp(#h, #name)?),
            RustType::Blob => quote!(#rt::protocol::rest::header_blob(#h, #name)?),
            RustType::Document => quote!(#rt::protocol::rest::header_json(#h, #name)?),
            RustType::Named { boxed: false, .. } => {
                let t = e.ty(ty, from);
                quote!(#rt::protocol::rest::header_text(#h, #name).map(|x| <#t>::from(x.as_str())))
            }
            RustType::List(el) => {
                let element = match &**el {
                    RustType::String => quote!(|x: &str| ::std::option::Option::Some(
                        ::std::string::String::from(x)
                    )),
                    RustType::Bool => quote!(#rt::protocol::rest::boolean),
                    RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
                        quote!(#rt::protocol::rest::number)
                    }
                    RustType::F64 => quote!(#rt::protocol::rest::float),
                    RustType::Timestamp(_) => quote!(#rt::protocol::rest::timestamp),
                    RustType::Named { boxed: false, .. } => {
                        let t = e.ty(el, from);
                        quote!(|x: &str| ::std::option::Option::Some(<#t>::from(x)))
                    }
                    _ => return None,
                };
                quote!(#rt::protocol::rest::header_list_of(#h, #name, #element)?)
            }
            _ => return None,
        })
    };
    match &f.location {
        FieldLocation::Header(name) => {
            let value = read(&f.ty, name)?;
            let set = if f.required {
                quote!(#out.#n = v;)
            } else {
                quote!(#out.#n = ::std::option::Option::Some(v);)
            };
            Some(quote! { if let ::std::option::Option::Some(v) = #value { #set } })
        }
        FieldLocation::HeaderMap(prefix) => Some(if f.required {
            quote! { #out.#n = #rt::protocol::rest::header_map(#h, #prefix); }
        } else {
            quote! { #out.#n = ::std::option::Option::Some(#rt::protocol::rest::header_map(#h, #prefix)); }
        }),
        FieldLocation::StatusCode => {
            let t = e.ty(&f.ty, from);
            let v = quote!(<#t>::from(#status));
            Some(if f.required {
                quote! { #out.#n = #v; }
            } else {
                quote! { #out.#n = ::std::option::Option::Some(#v); }
            })
        }
        _ => None,
    }
}
