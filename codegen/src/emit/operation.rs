//! `operation::<op>`: the operation's input, output and error types and its `send`.

use super::{deprecated_attr, doc_attrs, ident, lints, Emitter};
use crate::ir::{ContextKind, Customization, HostPart, Io, Module, Operation, Service, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// Added to the docs of operations with an event stream this client does not read yet
/// (input and bidirectional streams; output streams of protocols other than rest-json).
pub(super) const EVENT_STREAM_DOC: &str =
    "\n\n **Not supported:** this operation's event stream (an input stream, or an output \
stream of this protocol) is not spoken by this client yet. Calling it returns \
`Request(Build)` at once, without sending anything.";

impl Emitter<'_> {
    /// `pub mod operation { pub mod <op> { .. } .. }`.
    pub(super) fn operations_module(&self, s: &Service) -> TokenStream {
        let first = s.types.len() + s.errors.len();
        let ops = (s.operations.iter().enumerate())
            .map(|(k, op)| self.deferrable(first + k, || self.operation(s, op)));
        let lints = lints();
        quote! {
            /// One module per operation: its input, output and error types.
            #lints
            pub mod operation {
                #(#ops)*
            }
        }
    }

    pub(super) fn operation(&self, s: &Service, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let module = ident(&op.module);
        let docs = doc_attrs(op.docs.as_deref());
        let deprecated = deprecated_attr(&op.deprecated);
        let input = self.io(op, &op.input, &op.input_name, "input");
        let output = self.io(op, &op.output, &op.output_name, "output");
        let error = self.op_error(op);
        let name = &op.name;
        let codes = op.errors.iter().flat_map(|e| e.codes.iter());
        let gzip = op.gzip_request;
        let endpoint_params = op.endpoint_params.iter().map(|(name, v)| match v {
            crate::ir::EndpointParam::Str(s) => {
                quote!((#name, #rt::endpoint::StaticParam::Str(#s)))
            }
            crate::ir::EndpointParam::Bool(b) => {
                quote!((#name, #rt::endpoint::StaticParam::Bool(#b)))
            }
        });
        let auth = match op.auth {
            crate::ir::Auth::SigV4 => quote!(#rt::client::Auth::SigV4),
            crate::ir::Auth::SigV4UnsignedPayload => {
                quote!(#rt::client::Auth::SigV4UnsignedPayload)
            }
            crate::ir::Auth::None => quote!(#rt::client::Auth::None),
        };
        let send = self.send(s, op);
        let protocol_items = if op.refuses_stream() {
            TokenStream::new()
        } else {
            self.protocol.operation_items(self, s, op)
        };
        let events = op
            .event_output
            .as_ref()
            .map(|ev| self.event_items(s, op, ev));
        let input_events = op
            .event_input
            .as_ref()
            .map(|ev| self.input_event_items(op, ev));
        let marker = self.operation_type(s, op);
        let error_in_200 = op.error_in_200;
        quote! {
            #docs
            #deprecated
            pub mod #module {
                #[doc(hidden)]
                pub const NAME: &str = #name;
                #[doc(hidden)]
                pub const ERRORS: &[&str] = &[ #(#codes),* ];
                #[doc(hidden)]
                pub static INFO: #rt::client::OperationInfo = #rt::client::OperationInfo {
                    name: NAME,
                    errors: ERRORS,
                    gzip_request: #gzip,
                    endpoint_params: &[ #(#endpoint_params),* ],
                    auth: #auth,
                    error_in_200: #error_in_200,
                };

                #marker
                #input
                #output
                #error
                #send
                #protocol_items
                #events
                #input_events
            }
        }
    }

    /// The operation as a type, for mocks and generic code.
    fn operation_type(&self, s: &Service, op: &Operation) -> TokenStream {
        let rt = self.rt;
        // REST mocks answer with the response a service would send (`__mock_response`).
        // (Event-stream operations this client does not read have no protocol items.)
        let reads = !op.refuses_stream();
        let mock = self.rest_mocks(s).filter(|_| reads).map(|feature| {
            quote! {
                #[cfg(feature = #feature)]
                #[inline]
                fn mock_response(output: &Self::Output) -> ::std::option::Option<::std::result::Result<#rt::protocol::rest::MockResponse, #rt::RequestError>> {
                    ::std::option::Option::Some(__mock_response(output))
                }
            }
        });
        let name = ident(&op.type_name);
        let (input, output, error) = (
            ident(&op.input_name),
            ident(&op.output_name),
            ident(&op.error_name),
        );
        let doc = format!(
            " The `{}` operation as a type (for mocks and generic code).",
            op.name
        );
        let events = self.event_operation(op);
        quote! {
            #[doc = #doc]
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
            pub struct #name;

            impl #rt::client::Operation for #name {
                type Input = #input;
                type Output = #output;
                type Error = #error;
                const NAME: &'static str = NAME;
                #mock
                const INFO: &'static #rt::client::OperationInfo = &INFO;
                #[inline]
                fn prepare(handle: &#rt::client::Handle, input: Self::Input) -> #rt::client::Prepared {
                    __prepare(handle, input)
                }
            }

            #events
        }
    }

    /// `impl EventOperation` (with the `test-util` feature), for typed mocks that answer
    /// with events: each event written as `__event` reads it back, the stream's
    /// exceptions as the service sends them, awsJson's `initial-response`.
    fn event_operation(&self, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let (Some(feature), Some(ev)) = (&self.o.text.test_util_feature, &op.event_output) else {
            return TokenStream::new();
        };
        let name = ident(&op.type_name);
        let event = ident(&ev.name);
        let events = ev.events.iter().map(|v| {
            let variant = ident(&v.variant);
            let message = self.event_message(v);
            quote! { #event::#variant(v) => #message, }
        });
        let error_message = self.mock_error_message(op, ev);
        let initial = if ev.initial_response {
            quote! {
                ::std::option::Option::Some(#rt::serde_json::to_vec(output).map_err(|e| #rt::RequestError::Build {
                    message: ::std::format!("the mock output of {NAME} cannot be written: {e}"),
                }))
            }
        } else {
            quote! { let _ = output; ::std::option::Option::None }
        };
        quote! {
            #[cfg(feature = #feature)]
            impl #rt::client::EventOperation for #name {
                type Event = #event;
                fn event_message(event: &Self::Event) -> ::std::result::Result<#rt::eventstream::Message, #rt::RequestError> {
                    match event {
                        #(#events)*
                        #event::Unknown(m) => ::std::result::Result::Ok(::std::clone::Clone::clone(m)),
                    }
                }
                fn error_message(error: &Self::Error) -> #rt::eventstream::Message {
                    #error_message
                }
                fn initial_response(output: &Self::Output) -> ::std::option::Option<::std::result::Result<::std::vec::Vec<u8>, #rt::RequestError>> {
                    #initial
                }
            }
        }
    }

    /// The body of `EventOperation::error_message`: a modelled exception of the stream as
    /// the service sends it, any other error as an `error` message.
    fn mock_error_message(&self, op: &Operation, ev: &crate::ir::EventOutput) -> TokenStream {
        let rt = self.rt;
        let error = ident(&op.error_name);
        let exceptions: Vec<TokenStream> = ev
            .exceptions
            .iter()
            .filter_map(|(wire, code, _)| {
                let e = op.errors.iter().find(|e| e.codes.contains(code))?;
                let variant = ident(&e.variant);
                Some(quote! {
                    #error::#variant(f) => #rt::eventstream::mock_exception(#wire, f, #rt::ProvideErrorMetadata::message(error)),
                })
            })
            .collect();
        let other = quote! {
            #rt::eventstream::mock_error(
                #rt::ProvideErrorMetadata::code(error),
                #rt::ProvideErrorMetadata::message(error),
            )
        };
        // No `match` of one wildcard arm (clippy's `match_single_binding` in users' crates).
        let error_message = if exceptions.is_empty() {
            other
        } else {
            quote! {
                match error {
                    #(#exceptions)*
                    _ => #other,
                }
            }
        };
        error_message
    }

    /// The `test-util` feature, when the typed mocks of a REST service need generated
    /// support (the input's serde form beside the request, outputs as responses).
    pub(super) fn rest_mocks(&self, s: &Service) -> Option<&str> {
        if !s.protocol.kind.is_rest() {
            return None;
        }
        self.o.text.test_util_feature.as_deref()
    }

    fn io(&self, op: &Operation, io: &Io, name: &crate::naming::Ident, what: &str) -> TokenStream {
        match io {
            Io::Owned(def) | Io::Empty(def) => {
                let fallback = Some(format!("The {what} of the `{}` operation.", op.name));
                self.type_def(def, fallback)
            }
            Io::Alias(target) => {
                let n = ident(name);
                let path = self.path(target, &Module::Operation(op.module.clone()));
                let doc = format!(" The {what} of the `{}` operation (the model shares this shape with other operations).", op.name);
                quote! {
                    #[doc = #doc]
                    pub type #n = #path;
                }
            }
        }
    }

    /// The expression that calls `op` with `handle` (a `Handle`) and `input`, from a
    /// module beside `operation` (the client, paginators and waiters, the harness): a
    /// future of the output. Most operations hand their steps (`__prepare`, the
    /// protocol's parse, `from_response`) straight to the runtime's one generic call path,
    /// so that an operation has no `async` body and no future type of its own (each cost
    /// the compiler a coroutine or an opaque type to check); an operation whose answer
    /// needs more (`has_send`) is called through its own `send`.
    pub(super) fn call_expr(
        &self,
        op: &Operation,
        handle: TokenStream,
        input: TokenStream,
    ) -> TokenStream {
        let rt = self.rt;
        let m = ident(&op.module);
        if self.has_send(op) {
            return quote!(super::operation::#m::send(#handle, #input));
        }
        let at = quote!(super::operation::#m::);
        let steps = self.steps(op, &at);
        if op.streaming_output {
            quote!(#rt::client::call_streaming(#handle, #input, #steps))
        } else {
            quote!(#rt::client::call(#handle, #input, #steps))
        }
    }

    /// Whether `op` has a `send` of its own: a refused event stream, awsJson's
    /// `initial-response`, botocore's handlers that read the answer with what they did to
    /// the input.
    fn has_send(&self, op: &Operation) -> bool {
        op.refuses_stream()
            || op
                .event_output
                .as_ref()
                .is_some_and(|ev| ev.initial_response)
            || op
                .customizations
                .iter()
                .any(|c| matches!(c, Customization::ListEncoding { .. }))
    }

    /// `client::Steps` of `op`, its items named from `at`.
    pub(super) fn steps(&self, op: &Operation, at: &TokenStream) -> TokenStream {
        let rt = self.rt;
        let error = ident(&op.error_name);
        let parse = self.protocol.parse_output(rt, at);
        quote! {
            #rt::client::Steps {
                info: &#at INFO,
                prepare: #at __prepare,
                parse: #parse,
                fault: #at #error::from_response,
            }
        }
    }

    /// The operation's `send` when it has one (`has_send`), and its `__prepare`.
    fn send(&self, s: &Service, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let input = ident(&op.input_name);
        let output = ident(&op.output_name);
        let error = ident(&op.error_name);
        if op.refuses_stream() {
            return self.refusing_send(op);
        }
        let prepare = self.prepare(s, op);
        if !self.has_send(op) {
            return prepare;
        }
        let (_, before_send, after) = self.customizations(op);
        let steps = self.steps(op, &TokenStream::new());
        let call = if op.streaming_output {
            quote!(#rt::client::call_streaming(handle, input, #steps))
        } else {
            quote!(#rt::client::call(handle, input, #steps))
        };
        let send = match &op.event_output {
            // awsJson: the stream's `initial-response` event is the rest of the output.
            Some(ev) if ev.initial_response => {
                let field = ident(&ev.field);
                quote! {
                    match #rt::client::call_raw(handle.as_ref(), input, &INFO, __prepare).await {
                        ::std::result::Result::Ok(resp) => {
                            #rt::eventstream::parse_initial_response(
                                resp,
                                __event,
                                __stream_error,
                                |out: &mut #output, stream| out.#field = stream,
                            )
                            .await
                        }
                        ::std::result::Result::Err(failure) => {
                            ::std::result::Result::Err(#rt::client::failed(failure, #error::from_response))
                        }
                    }
                }
            }
            // botocore's handlers that read the answer with what they did to the input.
            _ => quote! {
                #before_send
                let output = #call.await;
                #after
                output
            },
        };
        quote! {
            #[doc(hidden)]
            pub async fn send<H: ::std::convert::AsRef<#rt::client::Handle>>(
                handle: H,
                input: #input,
            ) -> ::std::result::Result<#output, #error> {
                #send
            }

            #prepare
        }
    }

    /// `send` and `__prepare` of an operation whose event stream this client does not
    /// speak: both fail at once, sending nothing (presigning included).
    fn refusing_send(&self, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let input = ident(&op.input_name);
        let output = ident(&op.output_name);
        let error = ident(&op.error_name);
        let msg = format!(
            "{} uses an event stream, which this client does not support yet; nothing was sent",
            op.name
        );
        quote! {
            #[doc(hidden)]
            #[inline]
            pub fn send<H: ::std::convert::AsRef<#rt::client::Handle>>(
                handle: H,
                input: #input,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<#output, #error>> {
                let _ = (handle.as_ref(), input);
                ::std::future::ready(::std::result::Result::Err(#error::Request(#rt::RequestError::Build {
                    message: ::std::string::String::from(#msg),
                })))
            }

            #[doc(hidden)]
            #[inline]
            pub fn __prepare(handle: &#rt::client::Handle, input: #input) -> #rt::client::Prepared {
                let _ = (handle, input);
                ::std::result::Result::Err(#rt::RequestError::Build {
                    message: ::std::string::String::from(#msg),
                })
            }
        }
    }

    /// `__prepare`: the input made into the request and its host prefix
    /// (`client::Prepared`): idempotency tokens filled, botocore's handlers applied to the
    /// input, the host prefix, the rule-set parameters the input sets, and (REST, with
    /// the `test-util` feature) the input's serde form beside the request for the mocks'
    /// `match_input`.
    fn prepare(&self, s: &Service, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let input = ident(&op.input_name);
        let host_prefix = self.host_prefix(op);
        let request = self.protocol.request(s, op, rt);
        let tokens = op.idempotency_tokens.iter().map(ident);
        let fill = (!op.idempotency_tokens.is_empty()).then(|| {
            quote! {
                let mut input = input;
                #( if input.#tokens.is_none() {
                    input.#tokens = ::std::option::Option::Some(handle.idempotency_token());
                } )*
            }
        });
        let (context, bind) = self.context_params(s, op);
        let (customize, _, _) = self.customizations(op);
        let (capture, attach) = match self.rest_mocks(s) {
            Some(feature) => (
                quote! {
                    #[cfg(feature = #feature)]
                    let mock_input = #rt::serde_json::to_vec(&input).ok();
                },
                quote! {
                    #[cfg(feature = #feature)]
                    let request = request.map(|mut r| {
                        r.mock_input = mock_input.map(::std::convert::Into::into);
                        r
                    });
                },
            ),
            None => (TokenStream::new(), TokenStream::new()),
        };
        quote! {
            #[doc(hidden)]
            #[inline]
            #[allow(unused_variables)]
            pub fn __prepare(handle: &#rt::client::Handle, input: #input) -> #rt::client::Prepared {
                #fill
                #customize
                let host_prefix = #host_prefix;
                #capture
                #context
                let request = #request;
                #attach
                #bind
                ::std::result::Result::Ok((request?, host_prefix))
            }
        }
    }

    /// What botocore's handlers do to the input before it is serialized (in `__prepare`),
    /// what `send` must remember of the input for them, and what they do to the output
    /// after it is parsed (`ir::Customization`).
    fn customizations(&self, op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
        let rt = self.rt;
        if op.customizations.is_empty() {
            return (TokenStream::new(), TokenStream::new(), TokenStream::new());
        }
        // Only customizations that change the input rebind it (`RootText` and
        // `HeadNotFound` act on the answer: a `mut` there is an `unused_mut` warning).
        let mut before = Vec::new();
        let mut before_send = Vec::new();
        let mut after = Vec::new();
        for c in &op.customizations {
            match c {
                Customization::SseCustomerKey { key, md5 } => {
                    let (key, md5) = (ident(key), ident(md5));
                    before.push(
                        quote! { #rt::s3::sse_customer_key(&mut input.#key, &mut input.#md5); },
                    );
                }
                // Read by `__parse` (`emit/protocol/rest.rs`) and `from_response`
                // (`emit/errors.rs`).
                Customization::RootText { .. } | Customization::HeadNotFound { .. } => {}
                Customization::CopySource { field } => {
                    let f = ident(field);
                    before.push(quote! { #rt::s3::copy_source(&mut input.#f); });
                }
                Customization::ListEncoding { field, top, nested } => {
                    let f = ident(field);
                    // `send` remembers whether the caller chose an encoding; `__prepare`
                    // asks for `url` when not.
                    before_send.push(quote! { let url_encoded = input.#f.is_none(); });
                    before.push(quote! {
                        if input.#f.is_none() {
                            input.#f = ::std::option::Option::Some(::std::convert::From::from("url"));
                        }
                    });
                    let top = top.iter().map(ident);
                    let nested = nested.iter().map(|(list, member)| {
                        let (list, member) = (ident(list), ident(member));
                        quote! {
                            if let ::std::option::Option::Some(list) = &mut o.#list {
                                for x in list.iter_mut() { #rt::s3::url_decode(&mut x.#member); }
                            }
                        }
                    });
                    after.push(quote! {
                        let output = output.map(|mut o| {
                            if url_encoded && o.#f.as_ref().is_some_and(|e| e.as_str() == "url") {
                                #( #rt::s3::url_decode(&mut o.#top); )*
                                #( #nested )*
                            }
                            o
                        });
                    });
                }
            }
        }
        let rebind = (!before.is_empty()).then(|| quote!(let mut input = input;));
        (
            quote!(#rebind #(#before)*),
            quote!(#(#before_send)*),
            quote!(#(#after)*),
        )
    }

    /// The rule-set parameters the input sets (`contextParams`), read before the input
    /// goes into the request, and the statement that puts them on it.
    fn context_params(&self, s: &Service, op: &Operation) -> (TokenStream, TokenStream) {
        let rt = self.rt;
        if op.context_params.is_empty() {
            return (TokenStream::new(), TokenStream::new());
        }
        let input = s.io_struct(&op.input);
        let pushes = op.context_params.iter().map(|c| {
            let (param, f) = (&c.param, ident(&c.field));
            let required = input
                .and_then(|st| st.fields.iter().find(|x| x.name == c.field))
                .is_some_and(|x| x.required);
            let value = match c.kind {
                ContextKind::Str => quote!(#rt::endpoint::ContextParam::Str(::std::clone::Clone::clone(v))),
                ContextKind::Enum => quote!(#rt::endpoint::ContextParam::Str(::std::string::String::from(v.as_str()))),
                ContextKind::Bool => quote!(#rt::endpoint::ContextParam::Bool(*v)),
            };
            if required {
                quote! { { let v = &input.#f; endpoint_params.push((#param, #value)); } }
            } else {
                quote! {
                    if let ::std::option::Option::Some(v) = &input.#f {
                        endpoint_params.push((#param, #value));
                    }
                }
            }
        });
        (
            quote! {
                let mut endpoint_params = ::std::vec::Vec::new();
                #(#pushes)*
            },
            quote! {
                let request = request.map(|mut r| {
                    r.endpoint_params = endpoint_params;
                    r
                });
            },
        )
    }

    /// The host prefix expression (`Option<String>`), from the model's
    /// `endpoint.hostPrefix` with input labels filled in and checked.
    fn host_prefix(&self, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let Some(parts) = &op.host_prefix else {
            return quote!(::std::option::Option::None);
        };
        let pushes = parts.iter().map(|p| match p {
            HostPart::Literal(l) => {
                let mut chars = l.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => quote! { prefix.push(#c); },
                    _ => quote! { prefix.push_str(#l); },
                }
            }
            HostPart::Label {
                wire,
                field,
                required,
            } => {
                let f = ident(field);
                let value = if *required {
                    quote!(input.#f.as_str())
                } else {
                    quote!(input.#f.as_deref().unwrap_or_default())
                };
                quote! { prefix.push_str(&#rt::client::host_label(#wire, #value)?); }
            }
        });
        quote! {
            ::std::option::Option::Some({
                let mut prefix = ::std::string::String::new();
                #(#pushes)*
                prefix
            })
        }
    }

    /// `__wire_harness` (only with `Options::wire_harness`): each operation's input and
    /// output read from JSON and written back, and its `X-Amz-Target`, by operation name,
    /// for `scripts/differential.py` to compare with botocore's serializer and parser.
    pub(super) fn wire_harness(&self, s: &Service) -> TokenStream {
        if !self.o.text.wire_harness {
            return TokenStream::new();
        }
        let rt = self.rt;
        let arms = |input: bool| -> Vec<TokenStream> {
            s.operations.iter().filter(|op| !op.event_stream).map(|op| {
                let name = &op.name;
                let m = ident(&op.module);
                let ty = ident(if input { &op.input_name } else { &op.output_name });
                quote! {
                    #name => {
                        let v: super::operation::#m::#ty = #rt::serde_json::from_slice(body).map_err(|e| e.to_string())?;
                        #rt::serde_json::to_vec(&v).map_err(|e| e.to_string())
                    }
                }
            }).collect()
        };
        let (inputs, outputs) = (arms(true), arms(false));
        let targets = s.operations.iter().map(|op| {
            let (name, target) = (
                &op.name,
                format!("{}.{}", s.protocol.target_prefix, op.name),
            );
            quote! { #name => ::std::option::Option::Some(#target), }
        });
        let fault = self.wire_harness_fault(s);
        let rest = self.wire_harness_rest(s);
        let events = self.wire_harness_events(s);
        let calls = if s.protocol.kind.is_rest() || s.protocol.kind.uses_table() {
            self.wire_harness_calls(s)
        } else if s.operations.iter().any(|op| op.event_output.is_some()) {
            // awsJson: the event-stream operations only (`scripts/differential_events.py`),
            // so that the 150 harnesses of `scripts/differential.py` stay small.
            self.wire_harness_send_json(s, |op| op.event_output.is_some() && json_sendable(op))
        } else {
            TokenStream::new()
        };
        let unused_allowed = super::unused_allowed();
        quote! {
            #[doc(hidden)]
            #[allow(deprecated)]
            #unused_allowed
            pub mod __wire_harness {
                #fault
                #rest
                #events
                #calls
                /// The input of `op` read from `body` and written back.
                pub fn input(op: &str, body: &[u8]) -> ::std::result::Result<::std::vec::Vec<u8>, ::std::string::String> {
                    match op {
                        #(#inputs)*
                        _ => ::std::result::Result::Err(::std::format!("no operation {op}")),
                    }
                }
                /// The output of `op` read from `body` and written back.
                pub fn output(op: &str, body: &[u8]) -> ::std::result::Result<::std::vec::Vec<u8>, ::std::string::String> {
                    match op {
                        #(#outputs)*
                        _ => ::std::result::Result::Err(::std::format!("no operation {op}")),
                    }
                }
                /// The `X-Amz-Target` of `op`.
                pub fn target(op: &str) -> ::std::option::Option<&'static str> {
                    match op {
                        #(#targets)*
                        _ => ::std::option::Option::None,
                    }
                }
            }
        }
    }

    /// `__wire_harness::rest_events`: the events of an operation's output stream read from a
    /// whole stream's bytes.
    fn wire_harness_events(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let events = s
            .operations
            .iter()
            .filter(|op| op.event_output.is_some())
            .map(|op| {
                let (name, m) = (&op.name, ident(&op.module));
                quote! { #name => super::operation::#m::__harness_events(body), }
            });
        quote! {
            /// The events of `op`'s output stream read from a whole stream's bytes
            /// (awsJson's from its `initial-response` on, as `send` reads the answer).
            pub fn rest_events(op: &str, body: &[u8]) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                match op {
                    #(#events)*
                    _ => ::std::result::Result::Err(::std::format!("no event stream operation {op}")),
                }
            }
        }
    }

    /// `__wire_harness::rest_request` (REST protocols): the request `__request` builds
    /// from an input read from its serde form, as method, path and query, the protocol's
    /// headers and the body.
    fn wire_harness_rest(&self, s: &Service) -> TokenStream {
        // Every protocol whose operations have their own `__request` and `__parse`.
        if !s.protocol.kind.is_rest() && !s.protocol.kind.uses_table() {
            return TokenStream::new();
        }
        let rt = self.rt;
        let arms = s.operations.iter().filter(|op| !op.event_stream).map(|op| {
            let (name, m, input) = (&op.name, ident(&op.module), ident(&op.input_name));
            quote! {
                #name => {
                    let v: super::operation::#m::#input = #rt::serde_json::from_slice(params).map_err(|e| e.to_string())?;
                    let mut request = super::operation::#m::__request(v).map_err(|e| e.to_string())?;
                    let body = request.body.bytes().cloned();
                    #rt::checksum::apply_required_in_memory(request.checksum.take(), &mut request.headers, body.as_ref()).map_err(|e| e.to_string())?;
                    request
                }
            }
        });
        let outputs = s.operations.iter().filter(|op| !op.event_stream).map(|op| {
            let (name, m) = (&op.name, ident(&op.module));
            quote! {
                #name => #rt::serde_json::to_value(super::operation::#m::__parse(::std::convert::Into::into(response)).map_err(|e| e.to_string())?).map_err(|e| e.to_string()),
            }
        });
        quote! {
            /// The request of `op` for the input `params` (its serde form): method, path
            /// and query, headers, and the body in base64.
            pub fn rest_request(op: &str, params: &[u8]) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                let request = match op {
                    #(#arms)*
                    _ => return ::std::result::Result::Err(::std::format!("no operation {op}")),
                };
                let headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = request
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_string(), ::std::string::String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect();
                let body = request.body.bytes().map(|b| #rt::Blob::new(b.to_vec()).to_base64());
                ::std::result::Result::Ok(#rt::serde_json::json!({
                    "method": request.method.as_str(),
                    "path": request.path,
                    "headers": headers,
                    "body": body,
                }))
            }

            /// The output `__parse` reads from a success response, in its serde form.
            pub fn rest_output(
                op: &str,
                status: u16,
                headers: &[(&str, &str)],
                body: &[u8],
            ) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                let response = #rt::protocol::response_from_parts(status, headers, body);
                match op {
                    #(#outputs)*
                    _ => ::std::result::Result::Err(::std::format!("no operation {op}")),
                }
            }
        }
    }

    /// One arm of `__wire_harness::send_json`: `op` sent, its output as JSON (a streaming
    /// body read whole) or its error's metadata.
    fn json_send_arm(&self, s: &Service, op: &Operation) -> TokenStream {
        let rt = self.rt;
        let (name, m, input) = (&op.name, ident(&op.module), ident(&op.input_name));
        let call = self.call_expr(op, quote!(handle), quote!(v));
        // A streaming body is read whole, so that the output can be written as JSON.
        let collect = s
                .io_struct(&op.output)
                .and_then(|st| st.fields.iter().find(|f| matches!(f.ty, crate::ir::RustType::Stream)))
                .map(|f| {
                    let f = ident(&f.name);
                    quote! {
                        let bytes = out.#f.collect(1 << 30).await.map_err(|e| #rt::serde_json::json!({"err": e.to_string()}))?;
                        out.#f = #rt::ByteStream::from(bytes);
                    }
                });
        // An output event stream is read to its end: its events under `__events`.
        let (events, attach) = match &op.event_output {
            Some(ev) => {
                let f = ident(&ev.field);
                (
                    quote! {
                        let events = super::operation::#m::__harness_receive(::std::mem::take(&mut out.#f)).await
                            .map_err(|e| #rt::serde_json::json!({"err": e}))?;
                    },
                    quote! { .map(|mut v| { v["__events"] = events; v }) },
                )
            }
            None => (TokenStream::new(), TokenStream::new()),
        };
        quote! {
            #name => {
                let v: super::operation::#m::#input = #rt::serde_json::from_slice(params).map_err(|e| e.to_string())?;
                ::std::boxed::Box::pin(async move {
                    match #call.await {
                        ::std::result::Result::Ok(out) => {
                            #[allow(unused_mut)]
                            let mut out = out;
                            #collect
                            #events
                            #rt::serde_json::to_value(&out)#attach.map_err(|e| #rt::serde_json::json!({"err": e.to_string()}))
                        }
                        ::std::result::Result::Err(e) => {
                            use #rt::ProvideErrorMetadata as _;
                            let meta = e.meta();
                            ::std::result::Result::Err(#rt::serde_json::json!({
                                "code": e.code(),
                                "message": e.message(),
                                "status": meta.and_then(|m| m.status()),
                                "request_id": meta.and_then(|m| m.request_id()),
                                "extended_request_id": meta.and_then(|m| m.extended_request_id()),
                                "display": e.to_string(),
                                "variant": ::std::format!("{e:?}").split(['(', ' ', '{']).next().unwrap_or_default(),
                            }))
                        }
                    }
                })
            }
        }
    }

    /// The harness's calls through a client (REST and table protocols): `send` (the
    /// request its transport is given), `presign`, and `send_json` (the output or the
    /// error's metadata), for `scripts/differential_s3.py` and `scripts/moto_s3.py`.
    fn wire_harness_calls(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let presigns = s.operations.iter().filter(|op| !op.event_stream).map(|op| {
            let (name, m, input) = (&op.name, ident(&op.module), ident(&op.input_name));
            let ty = ident(&op.type_name);
            quote! {
                #name => {
                    let v: super::operation::#m::#input = #rt::serde_json::from_slice(params).map_err(|e| e.to_string())?;
                    ::std::boxed::Box::pin(async move {
                        let p = #rt::client::presign_op::<super::operation::#m::#ty>(&handle, v, expires_in).await.map_err(|e| e.to_string())?;
                        ::std::result::Result::Ok(#rt::serde_json::json!({
                            "method": p.method().as_str(),
                            "url": p.uri(),
                            "headers": p.headers(),
                        }))
                    })
                }
            }
        });
        let send_json = self.wire_harness_send_json(s, json_sendable);
        let sends = s.operations.iter().filter(|op| !op.event_stream).map(|op| {
            let (name, m, input) = (&op.name, ident(&op.module), ident(&op.input_name));
            let call = self.call_expr(op, quote!(handle), quote!(v));
            quote! {
                #name => {
                    let v: super::operation::#m::#input = #rt::serde_json::from_slice(params).map_err(|e| e.to_string())?;
                    ::std::boxed::Box::pin(async move {
                        #call.await.map(|_| ()).map_err(|e| ::std::format!("{e:?}"))
                    })
                }
            }
        });
        quote! {
            /// `op` sent through `handle` with the input `params` (its serde form): what
            /// the client's transport is given, for the differential against a botocore
            /// client (`scripts/differential_s3.py`).
            pub fn send(
                handle: #rt::client::Handle,
                op: &str,
                params: &[u8],
            ) -> ::std::result::Result<#rt::BoxFuture<'static, ::std::result::Result<(), ::std::string::String>>, ::std::string::String> {
                ::std::result::Result::Ok(match op {
                    #(#sends)*
                    _ => return ::std::result::Result::Err(::std::format!("no operation {op}")),
                })
            }

            /// `op`'s request for the input `params` (its serde form), presigned for
            /// `expires_in`: method, URL and the headers to send.
            pub fn presign(
                handle: #rt::client::Handle,
                op: &str,
                params: &[u8],
                expires_in: ::std::time::Duration,
            ) -> ::std::result::Result<#rt::BoxFuture<'static, ::std::result::Result<#rt::serde_json::Value, ::std::string::String>>, ::std::string::String> {
                ::std::result::Result::Ok(match op {
                    #(#presigns)*
                    _ => return ::std::result::Result::Err(::std::format!("no operation {op}")),
                })
            }

            #send_json
        }
    }

    /// `send_json` of the operations `keep` selects: `op` sent through `handle` with the
    /// input `params` (its serde form), its output in its serde form (a streaming body
    /// read whole, an event stream's events under `__events`) or its error's metadata.
    fn wire_harness_send_json(
        &self,
        s: &Service,
        keep: impl Fn(&Operation) -> bool,
    ) -> TokenStream {
        let rt = self.rt;
        let json_sends = s
            .operations
            .iter()
            .filter(|op| keep(op))
            .map(|op| self.json_send_arm(s, op));
        quote! {
            /// `op` sent through `handle` with the input `params` (its serde form), its
            /// output in its serde form or its error's metadata, for the end-to-end
            /// comparisons with boto3 (`scripts/moto_s3.py`, `scripts/differential_events.py`).
            pub fn send_json(
                handle: #rt::client::Handle,
                op: &str,
                params: &[u8],
            ) -> ::std::result::Result<#rt::BoxFuture<'static, ::std::result::Result<#rt::serde_json::Value, #rt::serde_json::Value>>, ::std::string::String> {
                ::std::result::Result::Ok(match op {
                    #(#json_sends)*
                    _ => return ::std::result::Result::Err(::std::format!("no operation {op}")),
                })
            }
        }
    }

    /// `__wire_harness::fault`: an error response to an operation through the runtime's
    /// error metadata, the operation's `from_response` and the service-wide `Error`.
    fn wire_harness_fault(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let faults = s.operations.iter().filter(|op| !op.event_stream).map(|op| {
            let (name, m, e) = (&op.name, ident(&op.module), ident(&op.error_name));
            quote! {
                #name => {
                    let e = super::operation::#m::#e::from_response(::std::clone::Clone::clone(&meta), body);
                    (::std::matches!(e, super::operation::#m::#e::Unhandled(_)), super::error::Error::from(e))
                }
            }
        });
        let shapes = s
            .errors
            .iter()
            .filter(|t| matches!(t.kind, TypeKind::Struct(_)))
            .map(|t| {
                let (v, shape) = (ident(&t.name), &t.shape);
                quote! {
                    super::error::Error::#v(e) => (
                        ::std::option::Option::Some(#shape),
                        #rt::serde_json::to_value(&e).map_err(|e| e.to_string())?,
                    ),
                }
            });
        quote! {
                /// An error response to `op` as the client sorts it: its metadata, whether
                /// the operation's own error left it `Unhandled`, the fault shape the
                /// service-wide `Error` found, and that fault's members written back.
                pub fn fault(
                    op: &str,
                    status: u16,
                    headers: &[(&str, &str)],
                    body: &[u8],
                ) -> ::std::result::Result<#rt::serde_json::Value, ::std::string::String> {
                    let meta = #rt::protocol::error_metadata_from_parts(&super::service::PROTOCOL, status, headers, body);
                    let (op_unhandled, error): (bool, super::error::Error) = match op {
                        #(#faults)*
                        _ => return ::std::result::Result::Err(::std::format!("no operation {op}")),
                    };
                    let (shape, members): (::std::option::Option<&str>, #rt::serde_json::Value) = match error {
                        #(#shapes)*
                        _ => (::std::option::Option::None, #rt::serde_json::Value::Null),
                    };
                    ::std::result::Result::Ok(#rt::serde_json::json!({
                        "code": meta.code(),
                        "message": meta.message(),
                        "type": meta.error_type(),
                        "request_id": meta.request_id(),
                        "op_unhandled": op_unhandled,
                        "shape": shape,
                        "members": members,
                    }))
                }
        }
    }
}

/// Whether the harness's `send_json` calls `op`: output event streams too (read to their
/// end), not input ones.
fn json_sendable(op: &Operation) -> bool {
    !op.event_stream || (op.event_output.is_some() && op.event_input.is_none())
}
