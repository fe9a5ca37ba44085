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
//! Most items are independent, and emitting and formatting them is most of the
//! generator's time, so they are made on worker threads ([`format_pieces`]). Tokens are
//! not `Send`: the emitting thread leaves a [`deferred`] marker in place of each such
//! item, and a worker emits the item itself (with its own [`Emitter`]), parses its
//! tokens with `syn` and prints them. The output does not depend on the number of
//! threads.
//!
//! An item too large to format in reasonable time and memory (over [`UNFORMATTED_ABOVE`]
//! tokens: only hostile or absurd models get there) is written as `TokenStream`'s own
//! text, valid Rust on long lines.
//!
//! [`Emitter`]: crate::emit::Emitter

use crate::error::{Error, Result};
use proc_macro2::{Delimiter, Literal, TokenStream, TokenTree};
use quote::quote;
use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

/// Items with more tokens than this (about 2 MB of text) are written unformatted.
pub(crate) const UNFORMATTED_ABOVE: usize = 300_000;

/// A worker thread's emitter of deferred items: given a marker's key, the item's tokens
/// and a bound on their number (`None` for a key nothing stands for). Items are counted
/// against [`UNFORMATTED_ABOVE`] only when the bound exceeds it.
pub(crate) type Emit<'a> = Box<dyn FnMut(usize) -> Option<(TokenStream, usize)> + 'a>;

/// Makes, on a worker thread, that thread's [`Emit`].
pub(crate) type Workers<'a> = &'a (dyn Fn() -> Result<Emit<'a>> + Sync);

/// The marker that stands for deferred item `key` in emitted tokens: an item of its own,
/// emitted and formatted later on a worker (see [`format_pieces`]).
pub(crate) fn deferred(key: usize) -> TokenStream {
    let key = Literal::usize_unsuffixed(key);
    quote!(__awsgen_deferred! { #key })
}

/// Formats a piece of emitted tokens (any sequence of items) at the top level.
#[cfg(test)]
pub(crate) fn format(tokens: TokenStream) -> Result<String> {
    format_pieces(1, None, String::new(), |sink| sink(tokens))
}

/// Formats every piece `emit` hands to its sink, in order, as one file that starts with
/// `head`.
///
/// Items are formatted on this thread as they come, except [`deferred`] markers: each
/// becomes a job for `threads - 1` workers (and this thread once `emit` is done), which
/// emit the item with an emitter from `workers`, then format it. Without `workers`,
/// markers are errors.
pub(crate) fn format_pieces(
    threads: usize,
    workers: Option<Workers<'_>>,
    head: String,
    emit: impl FnOnce(&mut dyn FnMut(TokenStream) -> Result<()>) -> Result<()>,
) -> Result<String> {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    let assembly = Mutex::new(Assembly::default());
    let mut plan = Plan {
        current: head,
        pieces: 0,
        deferring: workers.is_some(),
    };
    let emitted = std::thread::scope(|scope| {
        if let Some(workers) = workers {
            for _ in 1..threads.max(1) {
                let (job_rx, assembly) = (&job_rx, &assembly);
                scope.spawn(move || work(workers, job_rx, assembly));
            }
        }
        let emitted = emit(&mut |tokens| {
            let mut sink = Planning {
                plan: &mut plan,
                jobs: &job_tx,
                assembly: &assembly,
            };
            walk(split(tokens), 0, &mut sink)
        });
        plan.flush(&assembly);
        // Workers stop when the queue is empty and closed; this thread helps till then.
        drop(job_tx);
        if let Some(workers) = workers {
            work(workers, &job_rx, &assembly);
        }
        emitted
    });
    emitted?;
    let assembly = assembly
        .into_inner()
        .map_err(|_| emit_error("a formatting worker panicked"))?;
    assembly.finish(plan.pieces)
}

/// A worker: takes jobs until the queue is closed and empty.
fn work(workers: Workers<'_>, jobs: &Mutex<mpsc::Receiver<Job>>, assembly: &Mutex<Assembly>) {
    let mut emitter = workers();
    loop {
        // One worker at a time waits on the queue, holding the lock until a job (or the
        // queue's end) arrives; the work happens after it is released.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let text = match &mut emitter {
            Ok(emit) => match emit(job.key) {
                Some((tokens, bound)) => {
                    let mut text = Text {
                        text: String::new(),
                        count: bound > UNFORMATTED_ABOVE,
                    };
                    walk(split(tokens), job.depth, &mut text).map(|()| text.text)
                }
                None => Err(emit_error("a deferred item has no emitter")),
            },
            Err(e) => Err(emit_error(&e.to_string())),
        };
        match assembly.lock() {
            Ok(mut a) => a.put(job.piece, text),
            Err(_) => return,
        }
    }
}

/// A deferred item to emit and format at a depth, as piece `piece` of the output.
struct Job {
    piece: usize,
    key: usize,
    depth: usize,
}

/// The output, built in order as its pieces arrive (text from the emitting thread, items
/// from the workers): a piece is appended, and its memory freed for the next, as soon as
/// every piece before it is in.
#[derive(Default)]
struct Assembly {
    out: String,
    /// The index of the next piece to append.
    next: usize,
    /// Pieces that came before one ahead of them.
    waiting: BTreeMap<usize, String>,
    /// Pieces that failed, by index (the first in the file is reported).
    failed: BTreeMap<usize, Error>,
}

impl Assembly {
    fn put(&mut self, index: usize, piece: Result<String>) {
        match piece {
            Err(e) => {
                self.failed.insert(index, e);
            }
            Ok(text) if index == self.next => {
                self.out.push_str(&text);
                self.next += 1;
                while let Some(text) = self.waiting.remove(&self.next) {
                    self.out.push_str(&text);
                    self.next += 1;
                }
            }
            Ok(text) => {
                self.waiting.insert(index, text);
            }
        }
    }

    /// The whole output, once all `pieces` are in.
    fn finish(mut self, pieces: usize) -> Result<String> {
        if let Some((_, e)) = self.failed.pop_first() {
            return Err(e);
        }
        if self.next != pieces {
            return Err(emit_error("a formatting worker stopped"));
        }
        Ok(self.out)
    }
}

/// Numbers the output's pieces in order: runs of text formatted on the emitting thread,
/// and deferred items.
struct Plan {
    /// Text after the last piece.
    current: String,
    pieces: usize,
    /// Whether markers are jobs (else they are errors).
    deferring: bool,
}

/// Where [`walk`] puts formatted text, and what it does with a [`deferred`] marker.
trait Sink {
    fn text(&mut self) -> &mut String;
    /// Whether items must be counted against [`UNFORMATTED_ABOVE`] (false when their
    /// size is known to be below it).
    fn count(&self) -> bool {
        true
    }
    fn deferred(&mut self, key: usize, depth: usize) -> Result<()>;
}

/// Formats `items` at `depth` into `sink`, modules opened and their items formatted one
/// by one; markers go to the sink.
fn walk(items: Vec<Vec<TokenTree>>, depth: usize, sink: &mut dyn Sink) -> Result<()> {
    for item in items {
        if let Some(key) = deferred_key(&item) {
            sink.deferred(key, depth)?;
            continue;
        }
        match module(item) {
            Ok((head, body)) => {
                module_head(head, depth, sink.text())?;
                walk(split(body), depth + 1, sink)?;
                close_module(depth, sink.text());
            }
            Err(item) => {
                let count = sink.count();
                format_item(item, depth, count, sink.text())?
            }
        }
    }
    Ok(())
}

/// The emitting thread's sink: text runs and deferred items numbered as pieces, jobs
/// queued.
struct Planning<'p> {
    plan: &'p mut Plan,
    jobs: &'p mpsc::Sender<Job>,
    assembly: &'p Mutex<Assembly>,
}

impl Sink for Planning<'_> {
    fn text(&mut self) -> &mut String {
        &mut self.plan.current
    }

    fn deferred(&mut self, key: usize, depth: usize) -> Result<()> {
        if !self.plan.deferring {
            return Err(emit_error("a deferred item with no workers to emit it"));
        }
        self.plan.flush(self.assembly);
        let piece = self.plan.pieces;
        self.plan.pieces += 1;
        // A send fails only when every worker is gone; the missing piece is reported.
        let _ = self.jobs.send(Job { piece, key, depth });
        Ok(())
    }
}

impl Plan {
    /// Hands the text so far to the assembly as the next piece.
    fn flush(&mut self, assembly: &Mutex<Assembly>) {
        let text = std::mem::take(&mut self.current);
        let piece = self.pieces;
        self.pieces += 1;
        // A poisoned lock means a worker panicked; `format_pieces` reports it.
        if let Ok(mut a) = assembly.lock() {
            a.put(piece, Ok(text));
        }
    }
}

/// A worker's sink: one deferred item's text (a marker inside it is an error).
struct Text {
    text: String,
    count: bool,
}

impl Sink for Text {
    fn text(&mut self) -> &mut String {
        &mut self.text
    }

    fn count(&self) -> bool {
        self.count
    }

    fn deferred(&mut self, _: usize, _: usize) -> Result<()> {
        Err(emit_error("a deferred item inside a deferred item"))
    }
}

/// `.. mod name {` of a module whose items follow one by one: `.. mod name {}`
/// formatted, then opened.
fn module_head(head: Vec<TokenTree>, depth: usize, out: &mut String) -> Result<()> {
    let head: TokenStream = head.into_iter().collect();
    let mut text = String::new();
    format_item(
        quote!(#head {}).into_iter().collect(),
        depth,
        true,
        &mut text,
    )?;
    let Some(open) = text.strip_suffix("{}\n") else {
        return Err(emit_error("a module header did not format as expected"));
    };
    out.push_str(open);
    out.push_str("{\n");
    Ok(())
}

fn close_module(depth: usize, out: &mut String) {
    push_indent(depth, out);
    out.push_str("}\n");
}

fn push_indent(depth: usize, out: &mut String) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

/// One item formatted as if `depth` modules deep, appended to `out`; counted against
/// [`UNFORMATTED_ABOVE`] when `count`.
fn format_item(item: Vec<TokenTree>, depth: usize, count: bool, out: &mut String) -> Result<()> {
    let oversized = count && count_tokens(&item, UNFORMATTED_ABOVE) > UNFORMATTED_ABOVE;
    let mut tokens: TokenStream = item.into_iter().collect();
    if oversized {
        push_indent(depth, out);
        out.push_str(&tokens.to_string());
        out.push('\n');
        return Ok(());
    }
    for _ in 0..depth {
        tokens = quote!(mod __awsgen_wrap { #tokens });
    }
    let file: syn::File = syn::parse2(tokens).map_err(|e| emit_error(&e.to_string()))?;
    let text = prettyplease::unparse(&file);
    if depth == 0 {
        out.push_str(&text);
        return Ok(());
    }
    // Drop the `depth` wrapping lines at each end.
    let mut lines = text.lines();
    let (mut front, mut back) = (0, 0);
    for _ in 0..depth {
        front += lines.next().map(str::len).unwrap_or(0) + 1;
        back += lines.next_back().map(str::len).unwrap_or(0) + 1;
    }
    let inner = text.get(front..text.len().saturating_sub(back));
    match inner {
        Some(inner) if front + back < text.len() => {
            out.push_str(inner);
            Ok(())
        }
        _ => Err(emit_error("a wrapped item did not format as expected")),
    }
}

/// The number of tokens in `tokens`, groups and what they hold.
pub(crate) fn count_all_tokens(tokens: TokenStream) -> usize {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    count_tokens(&tokens, usize::MAX)
}

/// The number of tokens in `item`, counted up to a little over `limit`.
fn count_tokens(item: &[TokenTree], limit: usize) -> usize {
    let mut count = item.len();
    for tt in item {
        if count > limit {
            break;
        }
        if let TokenTree::Group(g) = tt {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            count += count_tokens(&inner, limit.saturating_sub(count));
        }
    }
    count
}

/// Splits a token sequence into items: an item ends at a `;`, at a `{ .. }` group (with
/// a `;` right after it, as in `use a::{b, c};`), or after an inner attribute `#![..]`.
fn split(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
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
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
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

/// The key of a [`deferred`] marker item.
fn deferred_key(item: &[TokenTree]) -> Option<usize> {
    let [TokenTree::Ident(name), TokenTree::Punct(bang), TokenTree::Group(g)] = item else {
        return None;
    };
    if name != "__awsgen_deferred" || bang.as_char() != '!' || g.delimiter() != Delimiter::Brace {
        return None;
    }
    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
    match inner.as_slice() {
        [TokenTree::Literal(key)] => key.to_string().parse().ok(),
        _ => None,
    }
}

/// An item `.. mod name { body }` with a non-empty body: what precedes the braces, and
/// the body. Any other item is given back.
fn module(
    mut item: Vec<TokenTree>,
) -> std::result::Result<(Vec<TokenTree>, TokenStream), Vec<TokenTree>> {
    let [.., TokenTree::Ident(kw), TokenTree::Ident(_), TokenTree::Group(g)] = item.as_slice()
    else {
        return Err(item);
    };
    if kw != "mod" || g.delimiter() != Delimiter::Brace || g.stream().is_empty() {
        return Err(item);
    }
    let body = g.stream();
    item.pop();
    Ok((item, body))
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
            let pieces = format_pieces(threads, None, String::new(), |sink| {
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

    /// Deferred items, emitted and formatted by workers, land where their markers were:
    /// the same text as emitting them in place, for any number of threads. A marker with
    /// no workers, one inside a deferred item, or one whose key has no item is an error.
    #[test]
    fn deferred_items_format_as_if_emitted_in_place() {
        // Text, because a worker's factory must be `Sync` and tokens are not.
        let sources = [
            "pub struct A { pub x: u32 } impl A { pub fn x(&self) -> u32 { self.x } }",
            "pub mod op { pub const NAME: &str = \"Op\"; pub mod empty {} pub enum E { A } }",
            "pub fn f(a_very_long_argument_name: u32, another_very_long_argument_name: u32) -> u32 { a_very_long_argument_name }",
        ];
        let tokens = |key: usize| sources.get(key).map(|s| s.parse::<TokenStream>().unwrap());
        let items: Vec<TokenStream> = (0..sources.len()).filter_map(tokens).collect();
        // Bounds below and above the limit: counted or not, the text is the same.
        let bounded = |key: usize| tokens(key).map(|t| (t, key * UNFORMATTED_ABOVE));
        let piece = |inner: &[TokenStream]| quote!(pub mod types { use std::fmt; #(#inner)* pub mod error { #(#inner)* } } pub struct Z;);
        let in_place = format(piece(&items)).unwrap();
        let markers: Vec<TokenStream> = (0..items.len()).map(deferred).collect();
        let make = || -> Result<Emit<'_>> { Ok(Box::new(bounded)) };
        for threads in [1, 2, 3, 8] {
            let text = format_pieces(threads, Some(&make), "// head\n".into(), |sink| {
                sink(piece(&markers))
            })
            .unwrap();
            assert_eq!(text, format!("// head\n{in_place}"), "{threads} threads");
        }
        assert!(format(piece(&markers)).is_err());
        let nested = || -> Result<Emit<'_>> { Ok(Box::new(|key| Some((deferred(key + 1), 0)))) };
        let missing = || -> Result<Emit<'_>> { Ok(Box::new(|_| None)) };
        for make in [&nested as Workers<'_>, &missing] {
            let text = format_pieces(2, Some(make), String::new(), |sink| sink(deferred(0)));
            assert!(matches!(text, Err(Error::Emit { .. })), "{text:?}");
        }
    }

    /// An item too large to format is written as its tokens' text, indented, and the
    /// items around it are still formatted.
    #[test]
    fn oversized_items_are_written_unformatted() {
        let members = (0..UNFORMATTED_ABOVE / 4).map(|i| quote::format_ident!("m{}", i));
        let tokens =
            quote! { pub mod a { pub struct Big { #(pub #members: u8,)* } pub struct Small; } };
        let text = format_pieces(2, None, String::new(), |sink| sink(tokens)).unwrap();
        assert!(
            text.starts_with("pub mod a {\n    pub struct Big {"),
            "{}",
            &text[..60]
        );
        assert!(text.ends_with("\n    pub struct Small;\n}\n"));
    }

    /// A deferred item is counted only when its emitter's bound exceeds the limit: the
    /// same oversized item is written unformatted with a bound above the limit, and
    /// formatted (not counted) with one below it.
    #[test]
    fn deferred_items_are_counted_only_when_their_bound_allows_too_many() {
        let big = || {
            let members = (0..UNFORMATTED_ABOVE / 4).map(|i| quote::format_ident!("m{}", i));
            quote! { pub struct Big { #(pub #members: u8,)* } }
        };
        for (bound, unformatted) in [(UNFORMATTED_ABOVE + 1, true), (UNFORMATTED_ABOVE, false)] {
            let make = || -> Result<Emit<'_>> { Ok(Box::new(move |_| Some((big(), bound)))) };
            let text =
                format_pieces(2, Some(&make), String::new(), |sink| sink(deferred(0))).unwrap();
            assert_eq!(
                text.starts_with("pub struct Big {\n    pub m0: u8,"),
                !unformatted,
                "bound {bound}: {}",
                &text[..60]
            );
        }
    }
}
