//! `client::Client`: one method per operation.

use super::operation::EVENT_STREAM_DOC;
use super::{deprecated_attr, doc_attrs, ident, Emitter};
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

impl Emitter<'_> {
    pub(super) fn client(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
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
        let methods = s.operations.iter().map(|op| self.client_method(op));
        let companions = self.companion_methods(s);
        quote! {
            /// The client: one `async` method per operation.
            #[allow(deprecated)]
            pub mod client {
                #doc
                #[derive(::std::clone::Clone, ::std::fmt::Debug)]
                pub struct Client {
                    handle: #rt::client::Handle,
                }

                impl Client {
                    /// A client from a configuration.
                    pub fn new(config: #rt::Config) -> Self {
                        Self { handle: #rt::client::Handle::new(&super::service::INFO, config) }
                    }

                    /// A client configured from the environment (`Config::from_env`: region, profile,
                    /// endpoint overrides and credentials from the usual `AWS_*` variables and files).
                    pub fn from_env() -> ::std::result::Result<Self, #rt::ConfigError> {
                        ::std::result::Result::Ok(Self::new(#rt::Config::from_env()?))
                    }

                    /// The configuration.
                    pub fn config(&self) -> &#rt::Config {
                        self.handle.config()
                    }

                    #[doc(hidden)]
                    pub fn handle(&self) -> &#rt::client::Handle {
                        &self.handle
                    }

                    #(#methods)*
                    #companions
                }
            }
        }
    }

    fn client_method(&self, op: &Operation) -> TokenStream {
        let m = ident(&op.module);
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
        if op.event_stream {
            see.push_str(EVENT_STREAM_DOC);
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
                super::operation::#m::send(::std::clone::Clone::clone(&self.handle), input)
            }
        }
    }
}
