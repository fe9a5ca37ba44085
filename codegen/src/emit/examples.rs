//! The model's examples as Rust: a section in each client method's documentation, and
//! the same code as functions in a file of its own that the crate compiles as an example
//! target (so the documentation's code is compiled once, not as one doctest each).

use super::{ident, Emitter};
use crate::ir::{Constructor, ExampleValue, Module, Operation, Service, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The types an example names, by module (keyed by the module's path as text, for a
/// stable order): the module's path and the names, for its `use` lines.
type Uses = RefCell<BTreeMap<String, (TokenStream, std::collections::BTreeSet<String>)>>;

/// The arguments of `new` and the setters of an example structure.
type Members<'a> = (
    &'a [(crate::naming::Ident, ExampleValue)],
    &'a [(crate::naming::Ident, ExampleValue)],
);

impl Emitter<'_> {
    /// A generated type as an example names it: by its name, recorded for a `use` line.
    fn absolute(&self, krate: &TokenStream, t: &TypeRef, uses: &Uses) -> TokenStream {
        let name = ident(&t.name);
        let module = match &t.module {
            Module::Types => quote!(#krate::types),
            Module::Errors => quote!(#krate::types::error),
            Module::Operation(m) => {
                let m = ident(m);
                quote!(#krate::operation::#m)
            }
            Module::TopLevel => quote!(#krate),
        };
        uses.borrow_mut()
            .entry(module.to_string())
            .or_insert_with(|| (module.clone(), Default::default()))
            .1
            .insert(name.to_string());
        quote!(#name)
    }

    /// An example value as an expression; `into` when it is passed where `impl Into<T>`
    /// is taken (so string literals need no conversion).
    fn example_value(
        &self,
        krate: &TokenStream,
        v: &ExampleValue,
        into: bool,
        uses: &Uses,
    ) -> TokenStream {
        let rt = self.rt;
        match v {
            ExampleValue::String(s) if into => quote!(#s),
            ExampleValue::String(s) => quote!(#s.to_string()),
            ExampleValue::Bool(b) => quote!(#b),
            ExampleValue::Integer(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                quote!(#lit)
            }
            ExampleValue::Float(f) => {
                let lit = Literal::f64_unsuffixed(*f);
                quote!(#lit)
            }
            ExampleValue::Timestamp(s) => {
                quote!(#rt::DateTime::parse_any(#s).expect("the example's timestamp"))
            }
            ExampleValue::Blob(s) => {
                let bytes = Literal::byte_string(s.as_bytes());
                quote!(#rt::Blob::new(#bytes.to_vec()))
            }
            ExampleValue::Document(v) => {
                let text = v.to_string();
                quote!(#rt::serde_json::from_str::<#rt::Document>(#text).expect("the example's document"))
            }
            ExampleValue::Enum { ty, value } => {
                let path = self.absolute(krate, ty, uses);
                quote!(#path::from(#value))
            }
            ExampleValue::List(items) => {
                let items = items
                    .iter()
                    .map(|i| self.example_value(krate, i, false, uses));
                quote!(vec![#(#items),*])
            }
            ExampleValue::Map(entries) => {
                let entries = entries.iter().map(|(k, v)| {
                    let v = self.example_value(krate, v, false, uses);
                    quote!((#k.to_string(), #v))
                });
                quote!(std::collections::BTreeMap::from([#(#entries),*]))
            }
            ExampleValue::Union { ty, variant, value } => {
                let path = self.absolute(krate, ty, uses);
                let variant = ident(variant);
                let value = self.example_value(krate, value, false, uses);
                quote!(#path::#variant(#value))
            }
            ExampleValue::Struct {
                ty,
                constructor,
                required,
                setters,
            } => self.example_struct(krate, ty, constructor, (required, setters), uses),
        }
    }

    fn example_struct(
        &self,
        krate: &TokenStream,
        ty: &TypeRef,
        constructor: &Constructor,
        (required, setters): Members<'_>,
        uses: &Uses,
    ) -> TokenStream {
        let path = self.absolute(krate, ty, uses);
        let start = match constructor {
            Constructor::None => quote!(#path::default()),
            Constructor::Empty => quote!(#path::new()),
            Constructor::Positional => {
                let arg = required
                    .first()
                    .map(|(_, v)| self.example_value(krate, v, true, uses))
                    .unwrap_or_default();
                quote!(#path::new(#arg))
            }
            Constructor::Named(req) => {
                let req = self.absolute(
                    krate,
                    &TypeRef {
                        module: ty.module.clone(),
                        name: req.clone(),
                    },
                    uses,
                );
                let fields = required.iter().map(|(f, v)| {
                    let f = ident(f);
                    let v = self.example_value(krate, v, false, uses);
                    quote!(#f: #v)
                });
                quote!(#path::new(#req { #(#fields),* }))
            }
        };
        let calls = setters.iter().map(|(s, v)| {
            let s = ident(s);
            let v = self.example_value(krate, v, true, uses);
            quote!(.#s(#v))
        });
        quote!(#start #(#calls)*)
    }

    /// One example's statements: its `use` lines, the input, the call.
    fn example_body(&self, krate: &TokenStream, op: &Operation, i: usize) -> Option<TokenStream> {
        let example = op.examples.get(i)?;
        let uses = Uses::default();
        let input = self.example_value(krate, &example.input, false, &uses);
        let mut names = std::collections::BTreeSet::new();
        let all_unique = uses
            .borrow()
            .values()
            .flat_map(|(_, n)| n)
            .all(|n| names.insert(n.clone()));
        if !all_unique {
            // Two types of one name: this example names nothing by `use`.
            return None;
        }
        let use_lines = uses
            .borrow()
            .values()
            .map(|(module, names)| {
                let names = names.iter().map(|n| format_ident!("{}", n));
                quote!(use #module::{#(#names),*};)
            })
            .collect::<Vec<_>>();
        let method = ident(&op.module);
        Some(quote! {
            #(#use_lines)*
            let input = #input;
            let output = client.#method(input).await?;
        })
    }

    /// One example as a function of the examples file.
    fn example_fn(&self, krate: &TokenStream, op: &Operation, i: usize) -> Option<TokenStream> {
        let body = self.example_body(krate, op, i)?;
        let name = format_ident!("{}_{}", op.module.unraw(), i + 1);
        Some(quote! {
            pub async fn #name(client: &#krate::Client) -> ::std::result::Result<(), #krate::Error> {
                #body
                let _ = output;
                ::std::result::Result::Ok(())
            }
        })
    }

    /// The documentation section of an operation's examples (empty without examples).
    pub(super) fn example_docs(&self, op: &Operation) -> Option<String> {
        let krate = self.examples_crate()?;
        let mut doc = String::new();
        for (i, example) in op.examples.iter().enumerate() {
            let title = example.title.as_deref().unwrap_or("Example");
            doc.push_str(&format!("\n\n# Example: {}\n", title.replace('\n', " ")));
            if let Some(d) = &example.docs {
                doc.push_str(&format!("\n{d}\n"));
            }
            let Some(body) = self.example_body(&krate, op, i) else {
                continue;
            };
            let body = pretty_fn_body(&quote!(async fn example() { #body }));
            doc.push_str(&format!(
                "\n```rust,ignore\n// (compiled as the examples of the model, not as a doctest)\n{body}```"
            ));
        }
        (!doc.is_empty()).then_some(doc)
    }

    fn examples_crate(&self) -> Option<TokenStream> {
        let path = self.o.text.examples_crate.as_deref()?;
        syn::parse_str::<syn::Path>(path).ok().map(|p| quote!(#p))
    }

    /// The examples file: every example as an `async fn` of the crate's client.
    pub(crate) fn examples_file(&self, s: &Service) -> Option<TokenStream> {
        let krate = self.examples_crate()?;
        let fns: Vec<TokenStream> = s
            .operations
            .iter()
            .flat_map(|op| (0..op.examples.len()).filter_map(|i| self.example_fn(&krate, op, i)))
            .collect();
        let count = fns.len();
        Some(quote! {
            /// How many examples the model has that fit its types.
            pub const COUNT: usize = #count;
            #(#fns)*
        })
    }
}

/// The statements of `async fn example() { .. }`, formatted, one level of indentation off.
fn pretty_fn_body(f: &TokenStream) -> String {
    let Ok(file) = syn::parse2::<syn::File>(f.clone()) else {
        return String::new();
    };
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    // Drop the one-line signature and the closing brace.
    let body = &lines[1..lines.len().saturating_sub(1)];
    let mut out = String::new();
    for line in body {
        out.push_str(line.strip_prefix("    ").unwrap_or(line));
        out.push('\n');
    }
    out
}
