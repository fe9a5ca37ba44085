//! An operation's output event stream (`ir::EventOutput`, issue #29): the enum of its
//! events, `__event` (a message as an event or the operation's error, as botocore's
//! `BaseEventStreamParser` reads it), `__stream_error` (a stream that stopped) and, with
//! the wire harness, `__harness_events` for `scripts/differential_events.py`.

use super::{doc_attrs, ident, Emitter};
use crate::ir::{
    EventInput, EventOutput, EventPayload, EventVariant, Module, Operation, ProtocolKind, Service,
};
use crate::naming::setter_name;
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    /// The items of `op`'s output event stream, in its module.
    pub(super) fn event_items(&self, s: &Service, op: &Operation, ev: &EventOutput) -> TokenStream {
        let rt = self.rt;
        let name = ident(&ev.name);
        let error = ident(&op.error_name);
        let event_enum = self.event_enum(op, ev);
        let arms = ev.events.iter().map(|v| self.event_arm(s, op, ev, v));
        let (code, keys) = exception_sorting(ev);
        let harness = self.o.text.wire_harness.then(|| self.event_harness(op, ev));
        quote! {
            #event_enum

            #[inline]
            fn __event(received: #rt::eventstream::Received) -> ::std::result::Result<#name, #error> {
                match received {
                    #rt::eventstream::Received::Event { event_type, message } => match event_type.as_str() {
                        #(#arms)*
                        _ => ::std::result::Result::Ok(#name::Unknown(message)),
                    },
                    #rt::eventstream::Received::Exception { exception_type, message } => {
                        let code = #code;
                        let keys: &[&str] = #keys;
                        ::std::result::Result::Err(#error::from_response(
                            #rt::eventstream::exception_meta(code, keys, &message).with_operation(NAME),
                            &message.payload,
                        ))
                    }
                }
            }

            #harness

            #[inline]
            fn __stream_error(e: #rt::eventstream::ReceiveError) -> #error {
                match #rt::eventstream::stream_failure(e) {
                    ::std::result::Result::Ok(meta) => #error::from_response(meta.with_operation(NAME), &[]),
                    ::std::result::Result::Err(e) => #error::Request(e),
                }
            }
        }
    }

    /// The items of `op`'s input event stream, in its module: `pub enum <Op>InputEvent`
    /// and how each event is written (`InputEvent`).
    pub(super) fn input_event_items(&self, op: &Operation, ev: &EventInput) -> TokenStream {
        let rt = self.rt;
        let name = ident(&ev.name);
        let doc = format!(
            " The events `{}` sends, through its input's `{}` (an `EventSender`): each \
             is written as a message whose `:event-type` is the variant's name in the model.",
            op.name,
            ev.field.unraw(),
        );
        let variants = self.event_variants(op, &ev.events);
        let arms = ev.events.iter().map(|v| {
            let variant = ident(&v.variant);
            let message = self.event_message(v);
            quote! { #name::#variant(v) => { let v = &v; #message } }
        });
        quote! {
            #[doc = #doc]
            #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::fmt::Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl #rt::eventstream::InputEvent for #name {
                fn into_message(self) -> ::std::result::Result<#rt::eventstream::Message, #rt::RequestError> {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    }

    /// The variants of an events enum: `<Event>(<type>),` with the event's docs.
    fn event_variants(&self, op: &Operation, events: &[EventVariant]) -> Vec<TokenStream> {
        let from = Module::Operation(op.module.clone());
        let variant = |v: &EventVariant| {
            let name = ident(&v.variant);
            let path = self.path(&v.target, &from);
            let docs = doc_attrs(v.docs.as_deref());
            quote! { #docs #name(#path), }
        };
        events.iter().map(variant).collect()
    }

    /// The message of event `v` (bound to a reference to its structure), as `__event`
    /// reads it back: `Result<Message, RequestError>`.
    pub(super) fn event_message(&self, v: &EventVariant) -> TokenStream {
        let rt = self.rt;
        let wire = &v.wire;
        match &v.payload {
            EventPayload::Whole => quote!(#rt::eventstream::event_message_json(#wire, v)),
            EventPayload::Structure { member, .. } => {
                quote!(#rt::eventstream::event_message_member_json(#wire, #member, v))
            }
            EventPayload::Blob(f) => {
                let f = ident(f);
                quote!(::std::result::Result::Ok(#rt::eventstream::event_message_bytes(#wire, &v.#f)))
            }
            EventPayload::Text(f) => {
                let f = ident(f);
                quote!(::std::result::Result::Ok(#rt::eventstream::event_message_text(#wire, &v.#f)))
            }
        }
    }

    /// `pub enum <Op>Event { <Event>(<type>), .., Unknown(Message) }`.
    fn event_enum(&self, op: &Operation, ev: &EventOutput) -> TokenStream {
        let rt = self.rt;
        let name = ident(&ev.name);
        let doc = format!(
            " The events of `{}`'s output stream, as its `{}` field yields them; \
             `Unknown` holds an event this version of the model does not name.",
            op.name,
            ev.field.unraw()
        );
        let variants = self.event_variants(op, &ev.events);
        quote! {
            #[doc = #doc]
            #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::fmt::Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// An event the model does not name (its `:event-type` is in the message's
                /// headers), as received.
                Unknown(#rt::eventstream::Message),
            }
        }
    }

    /// `"<event-type>" => <the event read from message>,`: the payload as the member
    /// marked `eventpayload` (bytes, text, JSON), else as the event's JSON.
    fn event_arm(
        &self,
        s: &Service,
        op: &Operation,
        ev: &EventOutput,
        v: &EventVariant,
    ) -> TokenStream {
        let rt = self.rt;
        // rest-xml: the XML of the event, or of its `eventpayload` structure, through the
        // shape table's entry for it.
        let xml_entry = |shape: &str| {
            s.xml
                .as_ref()
                .filter(|_| s.protocol.kind == ProtocolKind::RestXml)
                .and_then(|x| x.events.get(shape).copied())
        };
        let from = Module::Operation(op.module.clone());
        let (name, error) = (ident(&ev.name), ident(&op.error_name));
        let variant = ident(&v.variant);
        let wire = &v.wire;
        let path = self.path(&v.target, &from);
        let read = match &v.payload {
            EventPayload::Whole => match xml_entry(&v.shape) {
                Some(entry) => quote! {
                    #rt::eventstream::event_xml::<#path>(&super::super::service::PROTOCOL, #wire, #entry, &message)
                },
                None => quote!(#rt::eventstream::event_json::<#path>(#wire, &message)),
            },
            EventPayload::Blob(f) => {
                let setter = ident(&setter_name(f, true));
                return quote! {
                    #wire => ::std::result::Result::Ok(#name::#variant(
                        <#path as ::std::default::Default>::default()
                            .#setter(#rt::Blob::new(message.payload.to_vec())),
                    )),
                };
            }
            EventPayload::Text(f) => {
                let setter = ident(&setter_name(f, true));
                quote!(#rt::eventstream::event_text(#wire, &message).map(|t| {
                    <#path as ::std::default::Default>::default().#setter(t)
                }))
            }
            EventPayload::Structure { member, shape } => match xml_entry(shape) {
                Some(entry) => quote! {
                    #rt::eventstream::event_member_xml::<#path>(&super::super::service::PROTOCOL, #wire, #member, #entry, &message)
                },
                None => {
                    quote!(#rt::eventstream::event_member_json::<#path>(#wire, #member, &message))
                }
            },
        };
        quote! {
            #wire => #read.map(#name::#variant).map_err(#error::Request),
        }
    }

    /// `__harness_events` of an awsJson stream, read as `send` reads the answer: the
    /// `initial-response`, then the receiver.
    fn event_harness_initial(&self, op: &Operation, ev: &EventOutput) -> TokenStream {
        let rt = self.rt;
        let output = ident(&op.output_name);
        let field = ident(&ev.field);
        quote! {
            /// The events of a whole stream's bytes, read as `send` reads the answer,
            /// for `scripts/differential_events.py`.
            #[doc(hidden)]
            pub fn __harness_events(body: &[u8]) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                use #rt::ProvideErrorMetadata as _;
                let resp = #rt::protocol::StreamingResponse {
                    status: 200,
                    request_id: ::std::option::Option::None,
                    headers: ::std::default::Default::default(),
                    body: #rt::ByteStream::from(body.to_vec()),
                };
                #rt::eventstream::harness_block_on(async move {
                    let parsed = #rt::eventstream::parse_initial_response(
                        resp, __event, __stream_error, |o: &mut #output, s| o.#field = s,
                    ).await;
                    match parsed {
                        ::std::result::Result::Ok(o) => __harness_receive(o.#field).await,
                        ::std::result::Result::Err(e) => ::std::result::Result::Ok(#rt::serde_json::json!([
                            { "__error": { "code": e.code(), "message": e.message() } }
                        ])),
                    }
                })?
            }
        }
    }

    /// `__harness_receive`, the events of a receiver in their serde form (`{type:
    /// event}`, `{"__unknown": type}`, then `{"__error": {code, message}}`), and
    /// `__harness_events`, those of a whole stream's bytes (for
    /// `scripts/differential_events.py`; the harness's `send_json` reads a live answer's
    /// through `__harness_receive` too).
    fn event_harness(&self, op: &Operation, ev: &EventOutput) -> TokenStream {
        let rt = self.rt;
        let name = ident(&ev.name);
        let error = ident(&op.error_name);
        let arms = ev.events.iter().map(|v| {
            let variant = ident(&v.variant);
            let wire = &v.wire;
            quote! { #name::#variant(v) => #rt::serde_json::json!({ #wire: #rt::serde_json::to_value(&v).map_err(|e| e.to_string())? }), }
        });
        let events = if ev.initial_response {
            self.event_harness_initial(op, ev)
        } else {
            quote! {
                /// The events of a whole stream's bytes, for `scripts/differential_events.py`.
                #[doc(hidden)]
                pub fn __harness_events(body: &[u8]) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                    let body = #rt::ByteStream::from(body.to_vec());
                    let receiver = #rt::eventstream::EventReceiver::new(body, __event, __stream_error);
                    #rt::eventstream::harness_block_on(__harness_receive(receiver))?
                }
            }
        };
        quote! {
            /// A receiver's events in their serde form, until it ends or fails.
            #[doc(hidden)]
            pub async fn __harness_receive(
                mut receiver: #rt::eventstream::EventReceiver<#name, #error>,
            ) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                use #rt::ProvideErrorMetadata as _;
                let mut out = ::std::vec::Vec::new();
                loop {
                    match receiver.recv().await {
                        ::std::result::Result::Ok(::std::option::Option::Some(event)) => out.push(match event {
                            #(#arms)*
                            #name::Unknown(m) => #rt::serde_json::json!({ "__unknown": m.header(":event-type").and_then(|v| v.as_str()) }),
                        }),
                        ::std::result::Result::Ok(::std::option::Option::None) => break,
                        ::std::result::Result::Err(e) => {
                            out.push(#rt::serde_json::json!({ "__error": { "code": e.code(), "message": e.message() } }));
                            break;
                        }
                    }
                }
                ::std::result::Result::Ok(#rt::serde_json::Value::Array(out))
            }

            #events
        }
    }
}

/// How `__event` sorts an exception: the fault's code by `:exception-type` and the
/// members its message is read from (no `match` of one arm when there is none).
fn exception_sorting(ev: &EventOutput) -> (TokenStream, TokenStream) {
    if ev.exceptions.is_empty() {
        return (
            quote!(exception_type.as_str()),
            quote!(&["Message", "message"]),
        );
    }
    // Only the names that differ from the code (awsJson's stream members are named
    // after their shapes: a `match` of those alone is clippy's `needless_match`).
    let codes: Vec<TokenStream> = ev
        .exceptions
        .iter()
        .filter(|(wire, code, _)| wire != code)
        .map(|(wire, code, _)| quote!(#wire => #code,))
        .collect();
    let keys = ev
        .exceptions
        .iter()
        .map(|(wire, _, keys)| quote!(#wire => &[#(#keys),*],));
    let code = if codes.is_empty() {
        quote!(exception_type.as_str())
    } else {
        quote! {
            match exception_type.as_str() {
                #(#codes)*
                other => other,
            }
        }
    };
    (
        code,
        quote! {
            match exception_type.as_str() {
                #(#keys)*
                _ => &["Message", "message"],
            }
        },
    )
}
