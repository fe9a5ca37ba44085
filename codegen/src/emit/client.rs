//! `client::Client`: one method per operation.

use super::operation::EVENT_STREAM_DOC;
use super::{deprecated_attr, doc_attrs, ident, Emitter};
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    pub(super) fn client(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let doc = self.client_doc(s);
        let methods = s.operations.iter().map(|op| self.client_method(op));
        let companions = self.companion_methods(s);
        let presigned_post = self.presigned_post(s);
        let unused_allowed = super::unused_allowed();
        quote! {
            /// The client: one `async` method per operation.
            #[allow(deprecated)]
            #unused_allowed
            pub mod client {
                #doc
                #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                pub struct Client {
                    handle: #rt::client::Handle,
                }

                impl Client {
                    /// A client from a configuration.
                    #[inline]
                    pub fn new(config: #rt::Config) -> Self {
                        Self { handle: #rt::client::Handle::new(&super::service::INFO, config) }
                    }

                    /// A client configured from the environment (`Config::from_env`: region, profile,
                    /// endpoint overrides and credentials from the usual `AWS_*` variables and files).
                    #[inline]
                    pub fn from_env() -> ::std::result::Result<Self, #rt::ConfigError> {
                        ::std::result::Result::Ok(Self::new(#rt::Config::from_env()?))
                    }

                    /// The configuration.
                    #[inline]
                    pub fn config(&self) -> &#rt::Config {
                        self.handle.config()
                    }

                    #[doc(hidden)]
                    #[inline]
                    pub fn handle(&self) -> &#rt::client::Handle {
                        &self.handle
                    }

                    /// Any operation's request signed in its URL (SigV4 in the query
                    /// string), for a program without credentials to send before it
                    /// expires (at most seven days); name the operation by its type:
                    /// `client.presign::<operation::get_object::GetObject>(input, lifetime)`.
                    /// Operations whose request has a body cannot be presigned.
                    #[inline]
                    pub async fn presign<O: #rt::client::Operation>(
                        &self,
                        input: O::Input,
                        expires_in: ::std::time::Duration,
                    ) -> ::std::result::Result<#rt::presign::PresignedRequest, O::Error> {
                        #rt::client::presign_op::<O>(&self.handle, input, expires_in).await
                    }

                    #presigned_post
                    #(#methods)*
                    #companions
                }
            }
        }
    }

    /// `Client::presigned_post`, for S3 (`ir::Service::presigned_post`).
    fn presigned_post(&self, s: &Service) -> Option<TokenStream> {
        let rt = self.rt;
        let m = ident(s.presigned_post.as_ref()?);
        Some(quote! {
                /// A presigned POST (botocore's `generate_presigned_post`): the URL and
                /// fields of a `multipart/form-data` form that a browser, without
                /// credentials, uploads a file to the policy's key with until the policy
                /// expires (the file last, after the fields). The form goes to the bucket's
                /// endpoint (`CreateBucket`'s URL, as botocore chooses) and is signed as
                /// presigned requests are.
                #[inline]
                pub async fn presigned_post(
                    &self,
                    policy: #rt::presign::PostPolicy,
                ) -> ::std::result::Result<#rt::presign::PresignedPost, #rt::RequestError> {
                    self.handle.presigned_post(&super::operation::#m::INFO, policy).await
                }
        })
    }

    /// The `Client` type's documentation, with a paginated example when examples are
    /// rendered.
    fn client_doc(&self, s: &Service) -> TokenStream {
        let name = if s.full_name.is_empty() {
            &s.uid
        } else {
            &s.full_name
        };
        let doc = doc_attrs(Some(&format!(
            "A client for {name}: one `async` method per operation.\n\n\
             Build it from a [`Config`]({rt}::Config): `Client::new(config)`, or\n\
             `Client::from_env()` for the usual `AWS_*` variables and shared files. Cloning\n\
             is cheap and clones share connections and the retry quota. The futures the\n\
             methods return own what they need (`'static`), so they can be spawned.",
            rt = self.o.runtime_text
        )));
        // A paginator whose input needs nothing, for the example.
        let simple = s.paginators.iter().find(|p| {
            s.operations.iter().any(|op| {
                op.name == p.operation.name
                    && matches!(&op.input, crate::ir::Io::Owned(d) | crate::ir::Io::Empty(d)
                        if matches!(&d.kind, crate::ir::TypeKind::Struct(st) if matches!(st.constructor, crate::ir::Constructor::Empty)))
            })
        });
        match (&self.o.text.examples_crate, simple) {
            (Some(krate), Some(p)) => {
                let example = format!(
                    "\n\n```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {krate}::Client::from_env()?; // AWS_REGION, credentials from the environment or ~/.aws\nlet mut pages = client\n    .{method}({krate}::operation::{m}::{input}::new())\n    .pages();\nwhile let Some(page) = pages.next().await {{\n    let page = page?; // a fault names its code, message, operation and request id\n}}\n# Ok(())\n# }}\n```",
                    method = p.method.unraw(),
                    m = p.operation.module.unraw(),
                    input = p.operation.input.unraw(),
                );
                let mut d = doc.clone();
                d.extend(doc_attrs(Some(&example[1..])));
                d
            }
            _ => doc,
        }
    }

    fn client_method(&self, op: &Operation) -> TokenStream {
        let m = ident(&op.module);
        let call = self.call_expr(
            op,
            quote!(::std::clone::Clone::clone(&self.handle)),
            quote!(input),
        );
        let input = ident(&op.input_name);
        let output = ident(&op.output_name);
        let error = ident(&op.error_name);
        let docs = doc_attrs(op.docs.as_deref());
        let deprecated = deprecated_attr(&op.deprecated);
        let sep = op.docs.as_ref().map(|_| quote!(#[doc = ""]));
        let mut see = format!(
            " Input, output and errors: [`{0}`](super::operation::{0}).",
            op.module.unraw()
        );
        if op.refuses_stream() {
            see.push_str(EVENT_STREAM_DOC);
        }
        if let Some(ev) = &op.event_output {
            see.push_str(&format!(
                "\n\n The output's `{}` yields the events as they arrive ([`{}`](super::operation::{}::{})): `recv().await` or a `Stream`.",
                ev.field.unraw(),
                ev.name.unraw(),
                op.module.unraw(),
                ev.name.unraw()
            ));
        }
        if let Some(ev) = &op.event_input {
            see.push_str(&format!(
                "\n\n The input's `{}` sends events as the call goes ([`{}`](super::operation::{}::{}), \
                 through an `EventSender`: a channel or a stream), each signed in turn; the \
                 call needs HTTP/2 (the runtime's `http2` feature).",
                ev.field.unraw(),
                ev.name.unraw(),
                op.module.unraw(),
                ev.name.unraw()
            ));
        }
        if let Some(examples) = self.example_docs(op) {
            see.push_str(&examples);
        }
        let see = doc_attrs(Some(see.trim_start()));
        quote! {
            #docs
            #sep
            #see
            #deprecated
            #[inline]
            pub fn #m(
                &self,
                input: super::operation::#m::#input,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<super::operation::#m::#output, super::operation::#m::#error>,
            > + ::std::marker::Send + 'static {
                #call
            }
        }
    }
}

impl Emitter<'_> {
    /// The blocking client's `read_body` (a streaming output's body as `std::io::Read`) and
    /// `events` (an output event stream as an `Iterator`), when an operation needs them.
    fn blocking_stream_methods(&self, s: &Service) -> (Option<TokenStream>, Option<TokenStream>) {
        let rt = self.rt;
        // A streaming output's body can only be read on this client's runtime.
        let read_body = s.operations.iter().any(|op| op.streaming_output).then(|| {
            quote! {
                /// Reads a streaming output's body (a download's) as `std::io::Read`,
                /// on this client's runtime (which drives the connection).
                #[inline]
                pub fn read_body(&self, body: #rt::ByteStream) -> #rt::blocking::BodyReader {
                    self.runtime.reader(body)
                }
            }
        });
        // An output event stream too: its events as an iterator, on this runtime.
        let events = s.operations.iter().any(|op| op.event_output.is_some()).then(|| {
            quote! {
                /// An output event stream's events (`out.stream` of `converse_stream`,
                /// ...) as an `Iterator`, received on this client's runtime (which
                /// drives the connection): `Ok(event)` as each arrives, the operation's
                /// error last when the stream fails.
                #[inline]
                pub fn events<T, E>(&self, receiver: #rt::eventstream::EventReceiver<T, E>) -> #rt::blocking::Events<T, E> {
                    self.runtime.events(receiver)
                }
            }
        });
        (read_body, events)
    }

    /// `blocking::Client`, behind the configured cargo feature: each method runs the async
    /// one to completion on the client's own single-threaded runtime.
    pub(super) fn blocking_client(&self, s: &Service) -> TokenStream {
        let Some(feature) = &self.o.text.blocking_feature else {
            return TokenStream::new();
        };
        let rt = self.rt;
        let methods = s.operations.iter().map(|op| {
            let m = ident(&op.module);
            let (input, output, error) = (ident(&op.input_name), ident(&op.output_name), ident(&op.error_name));
            let deprecated = deprecated_attr(&op.deprecated);
            let doc = format!(" `{0}`, blocking: see [`Client::{1}`](super::client::Client::{1}).", op.name, op.module.unraw());
            quote! {
                #[doc = #doc]
                #deprecated
                #[inline]
                pub fn #m(&self, input: super::operation::#m::#input) -> ::std::result::Result<super::operation::#m::#output, super::operation::#m::#error> {
                    self.runtime.block_on(self.inner.#m(input))
                }
            }
        });
        let companions = self.blocking_companions(s);
        let unused_allowed = super::unused_allowed();
        let (read_body, events) = self.blocking_stream_methods(s);
        quote! {
            #[cfg(feature = #feature)]
            #[allow(deprecated)]
            #unused_allowed
            pub mod blocking {
                // An inner doc, so that its link resolves inside the module on every
                // rustdoc (an outer one was resolved from the parent: docs.rs failed).
                #![doc = " A blocking client: the methods of [`Client`](super::client::Client), each"]
                #![doc = " returning when the call is done. It runs calls on a runtime of its own, so"]
                #![doc = " it must not be used from inside an async runtime."]
                /// The blocking client. Cloning is cheap; clones share the runtime,
                /// connections and the retry quota.
                #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                pub struct Client {
                    inner: super::client::Client,
                    runtime: ::std::sync::Arc<#rt::blocking::Runtime>,
                }

                impl Client {
                    /// A blocking client from a configuration.
                    #[inline]
                    pub fn new(config: #rt::Config) -> ::std::result::Result<Self, #rt::blocking::Error> {
                        ::std::result::Result::Ok(Self {
                            runtime: #rt::blocking::Runtime::new()?,
                            inner: super::client::Client::new(config),
                        })
                    }

                    /// A blocking client configured from the environment.
                    #[inline]
                    pub fn from_env() -> ::std::result::Result<Self, #rt::blocking::Error> {
                        Self::new(#rt::Config::from_env()?)
                    }

                    /// The async client underneath.
                    #[inline]
                    pub fn as_async(&self) -> &super::client::Client {
                        &self.inner
                    }

                    #read_body
                    #events

                    #(#methods)*
                    #companions
                }
            }
        }
    }

    /// The blocking client's paginator and waiter methods.
    fn blocking_companions(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let paginators = s.paginators.iter().map(|p| {
            let (method, name, m, input) = (ident(&p.method), ident(&p.name), ident(&p.operation.module), ident(&p.operation.input));
            let doc = format!(" Every page of `{}`, as iterators.", p.operation.name);
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #method(&self, input: super::operation::#m::#input) -> #rt::blocking::Paginator<super::paginator::#name> {
                    #rt::blocking::Paginator::new(::std::clone::Clone::clone(&self.runtime), self.inner.#method(input))
                }
            }
        });
        let waiters = s.waiters.iter().map(|w| {
            let (method, name, m, input) = (ident(&w.method), ident(&w.name), ident(&w.operation.module), ident(&w.operation.input));
            let doc = format!(" Waits until `{}`, blocking on `wait()`.", w.model_name);
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #method(&self, input: super::operation::#m::#input) -> #rt::blocking::Waiter<super::waiter::#name> {
                    #rt::blocking::Waiter::new(::std::clone::Clone::clone(&self.runtime), self.inner.#method(input))
                }
            }
        });
        quote! { #(#paginators)* #(#waiters)* }
    }
}
