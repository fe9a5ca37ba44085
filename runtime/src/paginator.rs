//! Paginators: every page of a listing operation, as botocore's `paginate.py` walks them.
//!
//! The first request is the caller's input (with the page size, if set). Each response's
//! output tokens become the next request's input tokens; the walk ends when every token
//! is absent or empty, when `more_results` is false, or when `max_items` items were seen
//! (the last page is then cut to fit). A token the service repeats ends the walk with an
//! error instead of looping forever.

use crate::client::Handle;
use crate::{BoxFuture, RequestError};
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What the generated code tells the runtime about one paginator.
pub trait Paginate: Send + Sync + 'static {
    /// The operation's input.
    type Input: Clone + PartialEq + Send + Sync + 'static;
    /// The operation's output.
    type Output: Send + 'static;
    /// The operation's error.
    type Error: From<RequestError> + Send + 'static;
    /// The input member that sets the page size (`MaxRecords`), if the operation has one.
    const LIMIT_KEY: Option<&'static str>;
    /// Sends the operation once.
    fn send(
        handle: &Handle,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, Self::Error>>;
    /// The next page's input: `input` with the tokens of `output`, or `None` when
    /// `output` is the last page (every token absent or empty, or `more_results` false).
    fn next_input(input: &Self::Input, output: &Self::Output) -> Option<Self::Input>;
    /// Sets the page size (the limit key) on an input.
    fn set_page_size(input: &mut Self::Input, size: i32);
    /// How many items the page's primary result key holds.
    fn count(output: &Self::Output) -> usize;
    /// Keeps the first `keep` items of the page's primary result key.
    fn truncate(output: &mut Self::Output, keep: usize);
}

/// A paginator whose primary result key is a list: its items can be streamed one by one.
pub trait PaginateItems: Paginate {
    /// An element of the primary result key.
    type Item: Send + 'static;
    /// Takes the items of a page.
    fn items(output: Self::Output) -> Vec<Self::Item>;
}

/// A paginator ready to run: take its [`pages`](Self::pages) or [`items`](Self::items).
pub struct Paginator<P: Paginate> {
    handle: Handle,
    input: P::Input,
    max_items: Option<usize>,
    _p: PhantomData<P>,
}

impl<P: Paginate> fmt::Debug for Paginator<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<P: Paginate> Paginator<P> {
    #[doc(hidden)]
    pub fn new(handle: Handle, input: P::Input) -> Self {
        Paginator {
            handle,
            input,
            max_items: None,
            _p: PhantomData,
        }
    }

    /// Asks for pages of this size (sets the operation's limit member, such as
    /// `MaxRecords`, on every request). Operations without one ([`Paginate::LIMIT_KEY`]
    /// is `None`) ignore it.
    pub fn page_size(mut self, size: i32) -> Self {
        P::set_page_size(&mut self.input, size);
        self
    }

    /// Stops after this many items of the primary result key, cutting the last page.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = Some(items);
        self
    }

    /// The pages, as a stream (`futures::Stream`) or with [`Pages::next`].
    pub fn pages(self) -> Pages<P> {
        Pages {
            handle: self.handle,
            next: Some(self.input),
            previous_next: None,
            in_flight: None,
            max_items: self.max_items,
            seen: 0,
            pending: None,
        }
    }

    /// The items of the primary result key, across pages.
    pub fn items(self) -> Items<P>
    where
        P: PaginateItems,
    {
        Items {
            pages: self.pages(),
            buffer: Vec::new().into_iter(),
        }
    }
}

type InFlight<P> = (
    <P as Paginate>::Input,
    BoxFuture<'static, Result<<P as Paginate>::Output, <P as Paginate>::Error>>,
);

/// The pages of a paginator.
pub struct Pages<P: Paginate> {
    handle: Handle,
    /// The input of the next request; `None` when the walk is over.
    next: Option<P::Input>,
    /// The input built from the previous page's tokens (botocore's previous next token).
    previous_next: Option<P::Input>,
    in_flight: Option<InFlight<P>>,
    max_items: Option<usize>,
    seen: usize,
    /// An error to report after the page that caused it (a repeated token: botocore
    /// yields that page, then raises).
    pending: Option<P::Error>,
}

impl<P: Paginate> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("done", &self.next.is_none())
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

impl<P: Paginate> Unpin for Pages<P> {}

impl<P: Paginate> Pages<P> {
    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<P::Output, P::Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every page.
    pub async fn collect(mut self) -> Result<Vec<P::Output>, P::Error> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P::Output, P::Error>>> {
        if let Some(e) = self.pending.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if self.in_flight.is_none() {
            let Some(input) = self.next.take() else {
                return Poll::Ready(None);
            };
            let future = P::send(&self.handle, input.clone());
            self.in_flight = Some((input, future));
        }
        let Some((_, future)) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        let Some((input, _)) = self.in_flight.take() else {
            return Poll::Ready(None);
        };
        Poll::Ready(Some(result.map(|output| self.after(&input, output))))
    }

    /// Counts the page's items, cuts it to `max_items`, and decides the next request.
    fn after(&mut self, input: &P::Input, mut output: P::Output) -> P::Output {
        let count = P::count(&output);
        if let Some(max) = self.max_items {
            if self.seen + count >= max {
                P::truncate(&mut output, max - self.seen);
                self.seen = max;
                return output;
            }
        }
        self.seen += count;
        let Some(next) = P::next_input(input, &output) else {
            return output;
        };
        if self.previous_next.as_ref() == Some(&next) {
            self.pending = Some(P::Error::from(RequestError::Pagination {
                message: "the same next token was received twice".into(),
            }));
            return output;
        }
        self.previous_next = Some(next.clone());
        self.next = Some(next);
        output
    }
}

impl<P: Paginate> futures_core::Stream for Pages<P> {
    type Item = Result<P::Output, P::Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a paginator's primary result key, across pages.
pub struct Items<P: PaginateItems> {
    pages: Pages<P>,
    buffer: std::vec::IntoIter<P::Item>,
}

impl<P: PaginateItems> fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<P: PaginateItems> Unpin for Items<P> {}

impl<P: PaginateItems> Items<P> {
    /// The next item, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<P::Item, P::Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item.
    pub async fn collect(mut self) -> Result<Vec<P::Item>, P::Error> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P::Item, P::Error>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => self.buffer = P::items(page).into_iter(),
            }
        }
    }
}

impl<P: PaginateItems> futures_core::Stream for Items<P> {
    type Item = Result<P::Item, P::Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// Whether a token is present, as Python's truthiness judges it: botocore stops on an
/// absent token and on an empty one.
pub trait Token {
    /// Whether the token continues the walk.
    fn is_present(&self) -> bool;
}

impl Token for String {
    fn is_present(&self) -> bool {
        !self.is_empty()
    }
}

impl<T> Token for Vec<T> {
    fn is_present(&self) -> bool {
        !self.is_empty()
    }
}

impl<K, V> Token for std::collections::BTreeMap<K, V> {
    fn is_present(&self) -> bool {
        !self.is_empty()
    }
}

impl Token for i32 {
    fn is_present(&self) -> bool {
        *self != 0
    }
}

impl Token for i64 {
    fn is_present(&self) -> bool {
        *self != 0
    }
}

impl Token for bool {
    fn is_present(&self) -> bool {
        *self
    }
}

/// [`index`] for a mutable list.
pub fn index_mut<T>(list: &mut [T], index: i64) -> Option<&mut T> {
    let at = position(list.len(), index)?;
    list.get_mut(at)
}

/// [`index`] taking the element out of the list.
pub fn into_index<T>(list: Vec<T>, index: i64) -> Option<T> {
    let at = position(list.len(), index)?;
    list.into_iter().nth(at)
}

fn position(len: usize, index: i64) -> Option<usize> {
    let at = if index < 0 { len as i64 + index } else { index };
    usize::try_from(at).ok().filter(|at| *at < len)
}

/// The element at `index` of a list (negative counts from the end), for token paths such
/// as `Shards[-1].ShardId`.
pub fn index<T>(list: &[T], index: i64) -> Option<&T> {
    list.get(position(list.len(), index)?)
}
