//! Tokens -> formatted source, one item at a time.
//!
//! Formatting a whole module at once (`syn` tree + `prettyplease`) costs several times the
//! source in memory: a model with a 50,000-member structure took 1.4 GB (issue #10). Here a
//! piece of emitted tokens is split into its items; `mod` items are opened and their items
//! formatted one by one, each wrapped in as many dummy modules as it is deep so that
//! `prettyplease` indents and breaks its lines exactly as it would in the whole file. The
//! output is byte for byte what formatting the whole piece gives, and the peak memory is
//! that of the largest single item.
//!
//! An item too large to format in reasonable time and memory (more than
//! [`UNFORMATTED_ABOVE`] tokens: only hostile or absurd models get there) is written as
//! `TokenStream`'s own text, valid Rust on long lines.

use crate::error::{Error, Result};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

/// Items with more tokens than this are written unformatted.
pub(crate) const UNFORMATTED_ABOVE: usize = 300_000;

/// Formats a piece of emitted tokens (any sequence of items) at the top level.
pub(crate) fn format(tokens: TokenStream) -> Result<String> {
    let mut out = String::new();
    items(tokens, 0, &mut out)?;
    Ok(out)
}

fn items(tokens: TokenStream, depth: usize, out: &mut String) -> Result<()> {
    for item in split(tokens) {
        match module(&item) {
            Some((head, body)) if !body.is_empty() => {
                // `pub mod x {}` formatted, then opened: its items follow one by one.
                let text = at_depth(quote!(#head {}), depth)?;
                let Some(open) = text.strip_suffix("{}\n") else {
                    return Err(emit_error("a module header did not format as expected"));
                };
                out.push_str(open);
                out.push_str("{\n");
                items(body, depth + 1, out)?;
                out.push_str(&"    ".repeat(depth));
                out.push_str("}\n");
            }
            _ => out.push_str(&at_depth(item, depth)?),
        }
    }
    Ok(())
}

/// One item formatted as if `depth` modules deep.
fn at_depth(item: TokenStream, depth: usize) -> Result<String> {
    let size = count(&item);
    if size > UNFORMATTED_ABOVE {
        let indent = "    ".repeat(depth);
        return Ok(format!("{indent}{item}\n"));
    }
    let mut wrapped = item;
    for _ in 0..depth {
        wrapped = quote!(mod __awsgen_wrap { #wrapped });
    }
    let file: syn::File = syn::parse2(wrapped).map_err(|e| emit_error(&e.to_string()))?;
    let text = prettyplease::unparse(&file);
    if depth == 0 {
        return Ok(text);
    }
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() < 2 * depth {
        return Err(emit_error("a wrapped item did not format as expected"));
    }
    let mut out = lines[depth..lines.len() - depth].join("\n");
    out.push('\n');
    Ok(out)
}

/// Splits a token sequence into items: an item ends at a `;`, at a `{ .. }` group (with
/// a `;` right after it, as in `use a::{b, c};`), or after an inner attribute `#![..]`.
fn split(tokens: TokenStream) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        let ends = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    || (g.delimiter() == Delimiter::Bracket && is_inner_attr_start(&current))
            }
            _ => false,
        };
        let brace = matches!(&tt, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
        current.push(tt);
        if ends {
            if brace && matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                current.extend(iter.next());
            }
            out.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        out.push(current.into_iter().collect());
    }
    out
}

/// `current` is exactly `#` `!`: the bracket group that follows closes an inner attribute.
fn is_inner_attr_start(current: &[TokenTree]) -> bool {
    matches!(
        current,
        [TokenTree::Punct(a), TokenTree::Punct(b)] if a.as_char() == '#' && b.as_char() == '!'
    )
}

/// An item `.. mod name { body }`: what precedes the braces, and the body.
fn module(item: &TokenStream) -> Option<(TokenStream, TokenStream)> {
    let tokens: Vec<TokenTree> = item.clone().into_iter().collect();
    let [.., TokenTree::Ident(kw), TokenTree::Ident(_), TokenTree::Group(g)] = tokens.as_slice()
    else {
        return None;
    };
    if kw != "mod" || g.delimiter() != Delimiter::Brace {
        return None;
    }
    let head = tokens[..tokens.len() - 1].iter().cloned().collect();
    Some((head, g.stream()))
}

/// Tokens in a stream, groups' contents included.
fn count(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => 1 + count(&g.stream()),
            _ => 1,
        })
        .sum()
}

fn emit_error(message: &str) -> Error {
    Error::Emit {
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Item by item is byte for byte the whole-file formatting, modules, inner
    /// attributes, `use` groups and empty modules included.
    #[test]
    fn item_by_item_is_the_whole_file_formatting() {
        let tokens = quote! {
            /// Outer.
            #[allow(dead_code)]
            pub mod a {
                #![doc = " Inner."]
                use std::collections::{BTreeMap, BTreeSet};
                pub struct S { pub x: BTreeMap<String, BTreeSet<u8>> }
                impl S { pub fn new() -> Self { Self { x: BTreeMap::new() } } }
                pub const C: &[&str] = &["a", "b"];
                pub mod b {
                    pub fn f(a_very_long_argument_name: u32, another_very_long_argument_name: u32) -> u32 { a_very_long_argument_name + another_very_long_argument_name }
                }
                pub mod empty {}
                pub struct T;
            }
            pub enum E { A, B }
        };
        let whole = prettyplease::unparse(&syn::parse2::<syn::File>(tokens.clone()).unwrap());
        assert_eq!(format(tokens).unwrap(), whole);
    }
}
