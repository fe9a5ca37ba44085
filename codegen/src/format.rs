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
//! Items are independent, so they are formatted on worker threads ([`format_pieces`]):
//! the emitting thread writes each item's tokens as text (tokens are not `Send`) and
//! goes on emitting while workers parse and print. Formatting is most of the generator's
//! time; on two cores the whole DMS model took 0.42 s on one thread.
//!
//! An item too large to format in reasonable time and memory (text over
//! [`UNFORMATTED_ABOVE`] bytes: only hostile or absurd models get there) is written as
//! `TokenStream`'s own text, valid Rust on long lines.

use crate::error::{Error, Result};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;
use std::sync::{mpsc, Mutex};

/// Items whose text is longer than this (in bytes; about 300,000 tokens) are written
/// unformatted.
pub(crate) const UNFORMATTED_ABOVE: usize = 2_000_000;

/// Formats a piece of emitted tokens (any sequence of items) at the top level.
#[cfg(test)]
pub(crate) fn format(tokens: TokenStream) -> Result<String> {
    format_pieces(1, |sink| sink(tokens))
}

/// Formats every piece `emit` hands to its sink, in order, as one file.
///
/// Tokens (`proc_macro2` values are not `Send`) are split into items and written as text
/// on this thread; `threads` workers parse and print the items (`syn` + `prettyplease`,
/// most of the generator's time) while the emitters go on, so that on several cores
/// formatting overlaps emission. The output does not depend on `threads`.
pub(crate) fn format_pieces(
    threads: usize,
    emit: impl FnOnce(&mut dyn FnMut(TokenStream) -> Result<()>) -> Result<()>,
) -> Result<String> {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let (done_tx, done_rx) = mpsc::channel::<(usize, Result<String>)>();
    let job_rx = Mutex::new(job_rx);
    let mut plan = Plan::default();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            scope.spawn(move || loop {
                // One worker at a time waits on the queue, holding the lock until a job
                // (or the queue's end) arrives; formatting happens after it is released.
                let job = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(job) = job else { return };
                if done_tx
                    .send((job.index, at_depth(&job.text, job.depth)))
                    .is_err()
                {
                    return;
                }
            });
        }
        drop(done_tx);
        let emitted = emit(&mut |tokens| {
            plan.items(tokens, 0, &job_tx);
            Ok(())
        });
        // Workers stop when the queue is empty and closed.
        drop(job_tx);
        let mut results: Vec<Option<Result<String>>> = (0..plan.jobs).map(|_| None).collect();
        for (index, text) in done_rx {
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(text);
            }
        }
        emitted?;
        plan.assemble(results)
    })
}

/// An item's text to format at a depth.
struct Job {
    index: usize,
    text: String,
    depth: usize,
}

/// The output in order: literal text and the places of formatted items.
#[derive(Default)]
struct Plan {
    segments: Vec<Segment>,
    jobs: usize,
}

enum Segment {
    Text(String),
    /// The formatted item of job `n`.
    Item(usize),
    /// The formatted `.. mod x {}` of job `n`, its `{}` opened.
    ModuleHead(usize),
}

impl Plan {
    fn items(&mut self, tokens: TokenStream, depth: usize, jobs: &mpsc::Sender<Job>) {
        for item in split(tokens) {
            match module(&item) {
                Some((head, body)) if !body.is_empty() => {
                    // `pub mod x {}` formatted, then opened: its items follow one by one.
                    let n = self.job(quote!(#head {}).to_string(), depth, jobs);
                    self.segments.push(Segment::ModuleHead(n));
                    self.items(body, depth + 1, jobs);
                    self.segments
                        .push(Segment::Text(format!("{}}}\n", "    ".repeat(depth))));
                }
                _ => {
                    let n = self.job(item.to_string(), depth, jobs);
                    self.segments.push(Segment::Item(n));
                }
            }
        }
    }

    fn job(&mut self, text: String, depth: usize, jobs: &mpsc::Sender<Job>) -> usize {
        let index = self.jobs;
        self.jobs += 1;
        // A send fails only when every worker is gone; the missing result is reported.
        let _ = jobs.send(Job { index, text, depth });
        index
    }

    fn assemble(self, mut results: Vec<Option<Result<String>>>) -> Result<String> {
        let mut take = |n: usize| -> Result<String> {
            results
                .get_mut(n)
                .and_then(Option::take)
                .unwrap_or_else(|| Err(emit_error("a formatting worker stopped")))
        };
        let mut out = String::new();
        for segment in self.segments {
            match segment {
                Segment::Text(t) => out.push_str(&t),
                Segment::Item(n) => out.push_str(&take(n)?),
                Segment::ModuleHead(n) => {
                    let text = take(n)?;
                    let Some(open) = text.strip_suffix("{}\n") else {
                        return Err(emit_error("a module header did not format as expected"));
                    };
                    out.push_str(open);
                    out.push_str("{\n");
                }
            }
        }
        Ok(out)
    }
}

/// One item (as `TokenStream` text) formatted as if `depth` modules deep.
fn at_depth(item: &str, depth: usize) -> Result<String> {
    if item.len() > UNFORMATTED_ABOVE {
        let indent = "    ".repeat(depth);
        return Ok(format!("{indent}{item}\n"));
    }
    let mut wrapped = String::with_capacity(item.len() + 24 * depth);
    for _ in 0..depth {
        wrapped.push_str("mod __awsgen_wrap { ");
    }
    wrapped.push_str(item);
    for _ in 0..depth {
        wrapped.push_str(" }");
    }
    let file: syn::File = syn::parse_str(&wrapped).map_err(|e| emit_error(&e.to_string()))?;
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
        assert_eq!(format(tokens.clone()).unwrap(), whole);
        // Any number of workers, and pieces handed over one by one, give the same text.
        for threads in [2, 3, 8] {
            let pieces = format_pieces(threads, |sink| {
                sink(quote!(
                    pub enum Z {
                        A,
                    }
                ))?;
                sink(tokens.clone())
            })
            .unwrap();
            let first = format(quote!(
                pub enum Z {
                    A,
                }
            ))
            .unwrap();
            assert_eq!(pieces, format!("{first}{whole}"), "{threads} threads");
        }
    }

    /// An item too large to format is written as its tokens' text, indented, and the
    /// items around it are still formatted.
    #[test]
    fn oversized_items_are_written_unformatted() {
        let members = (0..UNFORMATTED_ABOVE / 10).map(|i| quote::format_ident!("m{}", i));
        let tokens =
            quote! { pub mod a { pub struct Big { #(pub #members: u8,)* } pub struct Small; } };
        let text = format_pieces(2, |sink| sink(tokens)).unwrap();
        assert!(
            text.starts_with("pub mod a {\n    pub struct Big {"),
            "{}",
            &text[..60]
        );
        assert!(text.ends_with("\n    pub struct Small;\n}\n"));
    }
}
