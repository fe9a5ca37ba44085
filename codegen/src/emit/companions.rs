//! `paginator` and `waiter`: one marker type per paginator and waiter, implementing the
//! runtime's `Paginate` or `Wait` with what the model says (tokens, result keys,
//! acceptors); and their `Client` methods.

use super::{doc_attrs, ident, Emitter};
use crate::ir::{
    AcceptorState, Matcher, MemberPath, OperationRef, Paginator, PathMatch, PathStep, Service,
    Waiter,
};
use crate::jmespath::{Comparator, Expr};
use proc_macro2::TokenStream;
use quote::quote;

/// How a path's value is taken from its root.
#[derive(Clone, Copy)]
enum Access {
    Ref,
    Mut,
    Owned,
}

impl Emitter<'_> {
    /// The type path of an operation's input, output or error, from a top-level module.
    fn op_types(&self, op: &OperationRef) -> (TokenStream, TokenStream, TokenStream) {
        let m = ident(&op.module);
        let (i, o, e) = (ident(&op.input), ident(&op.output), ident(&op.error));
        (
            quote!(super::operation::#m::#i),
            quote!(super::operation::#m::#o),
            quote!(super::operation::#m::#e),
        )
    }

    /// `Some(root)` followed along `path`: an `Option` of a reference, a mutable
    /// reference or the value itself.
    fn path_expr(&self, root: TokenStream, path: &MemberPath, access: Access) -> TokenStream {
        let rt = self.rt;
        let steps = path.steps.iter().map(|step| match (step, access) {
            (PathStep::Field { name, boxed }, Access::Ref) => {
                let n = ident(name);
                if *boxed {
                    quote!(.and_then(|v| v.#n.as_deref()))
                } else {
                    quote!(.and_then(|v| v.#n.as_ref()))
                }
            }
            (PathStep::Field { name, boxed }, Access::Mut) => {
                let n = ident(name);
                if *boxed {
                    quote!(.and_then(|v| v.#n.as_deref_mut()))
                } else {
                    quote!(.and_then(|v| v.#n.as_mut()))
                }
            }
            (PathStep::Field { name, boxed }, Access::Owned) => {
                let n = ident(name);
                if *boxed {
                    quote!(.and_then(|v| v.#n).map(|v| *v))
                } else {
                    quote!(.and_then(|v| v.#n))
                }
            }
            (PathStep::Index(i), Access::Ref) => {
                quote!(.and_then(|v| #rt::paginator::index(v, #i)))
            }
            (PathStep::Index(i), Access::Mut) => {
                quote!(.and_then(|v| #rt::paginator::index_mut(v, #i)))
            }
            (PathStep::Index(i), Access::Owned) => {
                quote!(.and_then(|v| #rt::paginator::into_index(v, #i)))
            }
        });
        quote!(::std::option::Option::Some(#root) #(#steps)*)
    }

    /// `pub mod paginator { .. }`, when the model has paginators.
    pub(super) fn paginator_module(&self, s: &Service) -> TokenStream {
        if s.paginators.is_empty() {
            return TokenStream::new();
        }
        let items = s.paginators.iter().map(|p| self.paginator(s, p));
        let unused_allowed = super::unused_allowed();
        quote! {
            /// Paginators (the model's `paginators-1.json`): start one with
            /// `Client::<operation>_paginator(input)`, then stream its pages or items.
            #[allow(deprecated, clippy::question_mark)]
            #unused_allowed
            pub mod paginator {
                #(#items)*
            }
        }
    }

    fn paginator(&self, s: &Service, p: &Paginator) -> TokenStream {
        let rt = self.rt;
        let name = ident(&p.name);
        let (input, output, error) = self.op_types(&p.operation);
        let send = self.companion_send(s, &p.operation);
        let doc = doc_attrs(Some(&format!(
            "The pages of [`{0}`](super::operation::{1}): the `{2}` of each response is the next request's `{3}`.",
            p.operation.name,
            p.operation.module.unraw(),
            p.tokens
                .iter()
                .map(|(_, _, o)| o.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" || "))
                .collect::<Vec<_>>()
                .join("`, `"),
            p.tokens.iter().map(|(i, _, _)| i.unraw()).collect::<Vec<_>>().join("`, `"),
        )));
        let limit = match &p.limit_key {
            Some((_, wire, _, _)) => quote!(::std::option::Option::Some(#wire)),
            None => quote!(::std::option::Option::None),
        };
        let set_page_size = match &p.limit_key {
            Some((field, _, required, ty)) => {
                let f = ident(field);
                let size = match ty {
                    crate::ir::RustType::I64 => quote!(i64::from(size)),
                    crate::ir::RustType::String => {
                        quote!(::std::string::ToString::to_string(&size))
                    }
                    _ => quote!(size),
                };
                if *required {
                    quote!(input.#f = #size;)
                } else {
                    quote!(input.#f = ::std::option::Option::Some(#size);)
                }
            }
            None => quote!(let _ = (input, size);),
        };
        let next_input = self.next_input(p);
        let (count, truncate, items) = self.result_key(p);
        quote! {
            #doc
            #[derive(::std::fmt::Debug)]
            pub struct #name;

            impl #rt::paginator::Paginate for #name {
                type Input = #input;
                type Output = #output;
                type Error = #error;
                const LIMIT_KEY: ::std::option::Option<&'static str> = #limit;
                #send
                #next_input
                #[inline]
                fn set_page_size(input: &mut Self::Input, size: i32) {
                    #set_page_size
                }
                #count
                #truncate
            }

            #items
        }
    }

    /// `fn send`, as paginators and waiters call the operation.
    fn companion_send(&self, s: &Service, op: &OperationRef) -> TokenStream {
        let rt = self.rt;
        let call = match s.operations.iter().find(|o| o.name == op.name) {
            Some(o) => self.call_expr(o, quote!(::std::clone::Clone::clone(handle)), quote!(input)),
            // Resolution checked that a companion's operation exists.
            None => {
                let m = ident(&op.module);
                quote!(super::operation::#m::send(::std::clone::Clone::clone(handle), input))
            }
        };
        quote! {
            // Inline, so that the operation's serde is compiled only in crates that call it.
            #[inline]
            fn send(
                handle: &#rt::client::Handle,
                input: Self::Input,
            ) -> #rt::BoxFuture<'static, ::std::result::Result<Self::Output, Self::Error>> {
                ::std::boxed::Box::pin(#call)
            }
        }
    }

    /// The next input: the previous one with this page's tokens, unless every token is
    /// absent or empty, or `more_results` says this page was the last.
    fn next_input(&self, p: &Paginator) -> TokenStream {
        let rt = self.rt;
        let more = p.more_results.as_ref().map(|m| {
            let value = self.path_expr(quote!(output), m, Access::Ref);
            quote! {
                if !#value.is_some_and(#rt::paginator::Token::is_present) {
                    return ::std::option::Option::None;
                }
            }
        });
        let names: Vec<_> = (0..p.tokens.len())
            .map(|i| quote::format_ident!("token_{}", i))
            .collect();
        let takes = p.tokens.iter().zip(&names).map(|((_, _, paths), n)| {
            let mut alternatives = paths.iter().map(|path| {
                let value = self.path_expr(quote!(output), path, Access::Ref);
                // An enum token (Route 53's `NextRecordType`) is present when not empty.
                let present = if matches!(path.ty, crate::ir::RustType::Named { .. }) {
                    quote!(!::std::convert::AsRef::<str>::as_ref(*v).is_empty())
                } else {
                    quote!(#rt::paginator::Token::is_present(*v))
                };
                quote!(#value.filter(|v| #present).cloned())
            });
            let first = alternatives
                .next()
                .unwrap_or_else(|| quote!(::std::option::Option::None));
            quote! { let #n = #first #( .or_else(|| #alternatives) )*; }
        });
        let sets = p
            .tokens
            .iter()
            .zip(&names)
            .map(|((field, required, _), n)| {
                let f = ident(field);
                if *required {
                    quote! { if let ::std::option::Option::Some(v) = #n { next.#f = v; } }
                } else {
                    quote! { next.#f = #n; }
                }
            });
        quote! {
            #[inline]
            fn next_input(input: &Self::Input, output: &Self::Output) -> ::std::option::Option<Self::Input> {
                #more
                #(#takes)*
                if #( #names.is_none() )&&* {
                    return ::std::option::Option::None;
                }
                let mut next = ::std::clone::Clone::clone(input);
                #(#sets)*
                ::std::option::Option::Some(next)
            }
        }
    }

    /// `count` and `truncate` of the primary result key, and `PaginateItems` when it is a
    /// list.
    fn result_key(&self, p: &Paginator) -> (TokenStream, TokenStream, TokenStream) {
        let rt = self.rt;
        let name = ident(&p.name);
        let Some((path, item)) = &p.result else {
            return (
                quote! { fn count(_: &Self::Output) -> usize { 0 } },
                quote! { fn truncate(_: &mut Self::Output, _: usize) {} },
                TokenStream::new(),
            );
        };
        let value = self.path_expr(quote!(output), path, Access::Ref);
        let count = quote! {
            #[inline]
            fn count(output: &Self::Output) -> usize {
                #value.map_or(0, |v| v.len())
            }
        };
        let Some(item) = item else {
            return (
                count,
                quote! { fn truncate(_: &mut Self::Output, _: usize) {} },
                TokenStream::new(),
            );
        };
        let value = self.path_expr(quote!(output), path, Access::Mut);
        let truncate = quote! {
            #[inline]
            fn truncate(output: &mut Self::Output, keep: usize) {
                if let ::std::option::Option::Some(v) = #value {
                    v.truncate(keep);
                }
            }
        };
        let item = self.ty(item, &crate::ir::Module::TopLevel);
        let owned = self.path_expr(quote!(output), path, Access::Owned);
        let items = quote! {
            impl #rt::paginator::PaginateItems for #name {
                type Item = #item;
                #[inline]
                fn items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                    #owned.unwrap_or_default()
                }
            }
        };
        (count, truncate, items)
    }

    /// `pub mod waiter { .. }`, when the model has waiters.
    pub(super) fn waiter_module(&self, s: &Service) -> TokenStream {
        if s.waiters.is_empty() {
            return TokenStream::new();
        }
        let items = s.waiters.iter().map(|w| self.waiter(s, w));
        let unused_allowed = super::unused_allowed();
        quote! {
            /// Waiters (the model's `waiters-2.json`): start one with
            /// `Client::wait_until_<waiter>(input)`, set its timing, and `.await` it.
            #[allow(deprecated)]
            #unused_allowed
            pub mod waiter {
                #(#items)*
            }
        }
    }

    fn waiter(&self, s: &Service, w: &Waiter) -> TokenStream {
        let rt = self.rt;
        let name = ident(&w.name);
        let (input, output, error) = self.op_types(&w.operation);
        let send = self.companion_send(s, &w.operation);
        let doc = doc_attrs(Some(&waiter_doc(w)));
        let model_name = &w.model_name;
        let (delay, attempts) = (u64::from(w.delay), w.max_attempts);
        let acceptors = w.acceptors.iter().map(|a| {
            let state = match a.state {
                AcceptorState::Success => quote!(Success),
                AcceptorState::Failure => quote!(Failure),
                AcceptorState::Retry => quote!(Retry),
            };
            let matcher = self.matcher(&a.matcher);
            quote! { #rt::waiter::Acceptor { state: #rt::waiter::State::#state, matcher: #matcher } }
        });
        quote! {
            #doc
            #[derive(::std::fmt::Debug)]
            pub struct #name;

            impl #rt::waiter::Wait for #name {
                type Input = #input;
                type Output = #output;
                type Error = #error;
                const NAME: &'static str = #model_name;
                const DELAY: u64 = #delay;
                const MAX_ATTEMPTS: u32 = #attempts;
                const ACCEPTORS: &'static [#rt::waiter::Acceptor] = &[ #(#acceptors),* ];
                #send
            }
        }
    }

    fn matcher(&self, m: &Matcher) -> TokenStream {
        let rt = self.rt;
        match m {
            Matcher::Path {
                kind,
                argument,
                expr,
                expected,
            } => {
                let variant = match kind {
                    PathMatch::Path => quote!(Path),
                    PathMatch::All => quote!(PathAll),
                    PathMatch::Any => quote!(PathAny),
                };
                let expr = self.expr(expr);
                let expected = expected.to_string();
                quote!(#rt::waiter::Matcher::#variant { argument: #argument, expr: &#expr, expected: #expected })
            }
            Matcher::Status(s) => quote!(#rt::waiter::Matcher::Status(#s)),
            Matcher::ErrorCode(c) => quote!(#rt::waiter::Matcher::ErrorCode(#c)),
            Matcher::AnyError(b) => quote!(#rt::waiter::Matcher::AnyError(#b)),
        }
    }

    /// A JMESPath expression as a constant tree of the runtime's `Expr`.
    fn expr(&self, e: &Expr) -> TokenStream {
        let rt = self.rt;
        let x = |e: &Expr| self.expr(e);
        let j = quote!(#rt::jmespath::Expr);
        match e {
            Expr::Identity => quote!(#j::Identity),
            Expr::Field(f) => quote!(#j::Field(#f)),
            Expr::Sub(l, r) => {
                let (l, r) = (x(l), x(r));
                quote!(#j::Sub(&#l, &#r))
            }
            Expr::Pipe(l, r) => {
                let (l, r) = (x(l), x(r));
                quote!(#j::Pipe(&#l, &#r))
            }
            Expr::Index(l, i) => {
                let l = x(l);
                quote!(#j::Index(&#l, #i))
            }
            Expr::Flatten(l) => {
                let l = x(l);
                quote!(#j::Flatten(&#l))
            }
            Expr::Projection(l, r) => {
                let (l, r) = (x(l), x(r));
                quote!(#j::Projection(&#l, &#r))
            }
            Expr::ObjectProjection(l, r) => {
                let (l, r) = (x(l), x(r));
                quote!(#j::ObjectProjection(&#l, &#r))
            }
            Expr::Filter(l, c, r) => {
                let (l, c, r) = (x(l), x(c), x(r));
                quote!(#j::Filter(&#l, &#c, &#r))
            }
            Expr::Literal(v) => {
                let text = v.to_string();
                quote!(#j::Literal(#text))
            }
            Expr::Not(v) => {
                let v = x(v);
                quote!(#j::Not(&#v))
            }
            Expr::Length(v) => {
                let v = x(v);
                quote!(#j::Length(&#v))
            }
            Expr::And(l, r) => {
                let (l, r) = (x(l), x(r));
                quote!(#j::And(&#l, &#r))
            }
            Expr::Or(l, r) => {
                let (l, r) = (x(l), x(r));
                quote!(#j::Or(&#l, &#r))
            }
            Expr::Compare(c, l, r) => {
                let c = match c {
                    Comparator::Eq => quote!(Eq),
                    Comparator::Ne => quote!(Ne),
                    Comparator::Lt => quote!(Lt),
                    Comparator::Le => quote!(Le),
                    Comparator::Gt => quote!(Gt),
                    Comparator::Ge => quote!(Ge),
                };
                let (l, r) = (x(l), x(r));
                quote!(#j::Compare(#rt::jmespath::Comparator::#c, &#l, &#r))
            }
        }
    }

    /// The client methods that start paginators and waiters.
    pub(super) fn companion_methods(&self, s: &Service) -> TokenStream {
        let rt = self.rt;
        let paginators = s.paginators.iter().map(|p| {
            let method = ident(&p.method);
            let name = ident(&p.name);
            let m = ident(&p.operation.module);
            let input = ident(&p.operation.input);
            let doc = format!(
                " Every page of `{0}`, from `input` on: see [`paginator::{1}`](super::paginator::{1}).",
                p.operation.name,
                p.name.unraw()
            );
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #method(&self, input: super::operation::#m::#input) -> #rt::paginator::Paginator<super::paginator::#name> {
                    #rt::paginator::Paginator::new(::std::clone::Clone::clone(&self.handle), input)
                }
            }
        });
        let waiters = s.waiters.iter().map(|w| {
            let method = ident(&w.method);
            let name = ident(&w.name);
            let m = ident(&w.operation.module);
            let input = ident(&w.operation.input);
            let doc = format!(
                " Waits until `{0}`: see [`waiter::{1}`](super::waiter::{1}).",
                w.model_name,
                w.name.unraw()
            );
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #method(&self, input: super::operation::#m::#input) -> #rt::waiter::Waiter<super::waiter::#name> {
                    #rt::waiter::Waiter::new(::std::clone::Clone::clone(&self.handle), input)
                }
            }
        });
        quote! { #(#paginators)* #(#waiters)* }
    }
}

/// A waiter's documentation: the model's, then what it polls and what each acceptor does.
fn waiter_doc(w: &Waiter) -> String {
    let mut doc = w
        .docs
        .clone()
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    doc.push_str(&format!(
        "Polls `{}` every {} s, at most {} times (change with `delay`, `max_attempts` or\n`max_wait`), until the first of these matches:\n",
        w.operation.name, w.delay, w.max_attempts
    ));
    for a in &w.acceptors {
        let state = match a.state {
            AcceptorState::Success => "success",
            AcceptorState::Failure => "failure",
            AcceptorState::Retry => "retry",
        };
        let what = match &a.matcher {
            Matcher::Path {
                kind,
                argument,
                expected,
                ..
            } => {
                let how = match kind {
                    PathMatch::Path => "is",
                    PathMatch::All => "is, for every element,",
                    PathMatch::Any => "is, for some element,",
                };
                format!("`{}` {how} `{expected}`", argument.replace('`', "'"))
            }
            Matcher::Status(s) => format!("the HTTP status is {s}"),
            Matcher::ErrorCode(c) => format!("the error is `{c}`"),
            Matcher::AnyError(true) => "the call fails with a service error".to_string(),
            Matcher::AnyError(false) => "the call succeeds".to_string(),
        };
        doc.push_str(&format!("\n- {state} when {what}"));
    }
    doc
}
