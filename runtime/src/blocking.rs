//! What generated blocking clients are built on (feature `blocking`): a private
//! single-threaded tokio runtime per client, and blocking paginators and waiters.
//!
//! A blocking client must not be called from inside an async runtime (tokio refuses to
//! block a thread that drives futures); use the async client there.

use crate::paginator::{self, Paginate, PaginateItems};
use crate::waiter::{self, Wait, WaiterError};
use crate::ConfigError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The runtime a blocking client runs its calls on.
pub struct Runtime(tokio::runtime::Runtime);

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Runtime")
    }
}

impl Runtime {
    /// A current-thread runtime with I/O and timers.
    pub fn new() -> std::io::Result<Arc<Self>> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| Arc::new(Runtime(rt)))
    }

    /// Runs `future` to completion on this thread.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.0.block_on(future)
    }
}

/// Why a blocking client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The configuration could not be read from the environment.
    Config(ConfigError),
    /// The runtime could not be started.
    Runtime(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(e) => fmt::Display::fmt(e, f),
            Error::Runtime(_) => f.write_str("the blocking client's runtime could not start"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Config(e) => e.source(),
            Error::Runtime(e) => Some(e),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Runtime(e)
    }
}

/// A streaming body (an output's `ByteStream`, such as a download's) read as
/// [`std::io::Read`] on a blocking client's runtime, which drives the connection while a
/// read waits for the next chunk ([`Runtime::reader`]; generated blocking clients call it
/// `read_body`). A body must be read on the runtime of the client that received it:
/// another runtime would wait for a connection nobody drives.
pub struct BodyReader {
    runtime: Arc<Runtime>,
    body: crate::ByteStream,
    chunk: bytes::Bytes,
}

impl fmt::Debug for BodyReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyReader")
            .field("body", &self.body)
            .field("buffered", &self.chunk.len())
            .finish()
    }
}

impl Runtime {
    /// Reads `body` as [`std::io::Read`] on this runtime.
    pub fn reader(self: &Arc<Self>, body: crate::ByteStream) -> BodyReader {
        BodyReader {
            runtime: Arc::clone(self),
            body,
            chunk: bytes::Bytes::new(),
        }
    }
}

/// The events of an output event stream as an [`Iterator`] (a generated blocking client's
/// `events`), each received on the client's runtime: `Ok(event)` as its message arrives;
/// a modelled exception, the service's error or a broken stream is the last item.
pub struct Events<T, E> {
    runtime: Arc<Runtime>,
    receiver: crate::eventstream::EventReceiver<T, E>,
}

impl<T, E> fmt::Debug for Events<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Events").finish_non_exhaustive()
    }
}

impl Runtime {
    /// Receives `receiver`'s events as an [`Iterator`] on this runtime.
    pub fn events<T, E>(
        self: &Arc<Self>,
        receiver: crate::eventstream::EventReceiver<T, E>,
    ) -> Events<T, E> {
        Events {
            runtime: Arc::clone(self),
            receiver,
        }
    }
}

impl<T, E> Iterator for Events<T, E> {
    type Item = Result<T, E>;

    fn next(&mut self) -> Option<Result<T, E>> {
        self.runtime.block_on(self.receiver.recv()).transpose()
    }
}

impl std::io::Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.chunk.is_empty() {
            match self.runtime.block_on(self.body.next()) {
                None => return Ok(0),
                Some(Ok(chunk)) => self.chunk = chunk,
                Some(Err(e)) => return Err(e.into()),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

/// A paginator of a blocking client: its pages and items are iterators.
pub struct Paginator<P: Paginate> {
    runtime: Arc<Runtime>,
    inner: paginator::Paginator<P>,
}

impl<P: Paginate> fmt::Debug for Paginator<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<P: Paginate> Paginator<P> {
    #[doc(hidden)]
    pub fn new(runtime: Arc<Runtime>, inner: paginator::Paginator<P>) -> Self {
        Paginator { runtime, inner }
    }

    /// See [`paginator::Paginator::page_size`].
    pub fn page_size(mut self, size: i32) -> Self {
        self.inner = self.inner.page_size(size);
        self
    }

    /// See [`paginator::Paginator::max_items`].
    pub fn max_items(mut self, items: usize) -> Self {
        self.inner = self.inner.max_items(items);
        self
    }

    /// The pages.
    pub fn pages(self) -> Pages<P> {
        Pages {
            runtime: self.runtime,
            inner: self.inner.pages(),
        }
    }

    /// The items of the primary result key, across pages.
    pub fn items(self) -> Items<P>
    where
        P: PaginateItems,
    {
        Items {
            runtime: self.runtime,
            inner: self.inner.items(),
        }
    }
}

/// The pages of a blocking paginator.
pub struct Pages<P: Paginate> {
    runtime: Arc<Runtime>,
    inner: paginator::Pages<P>,
}

impl<P: Paginate> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl<P: Paginate> Iterator for Pages<P> {
    type Item = Result<P::Output, P::Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.inner.next())
    }
}

/// The items of a blocking paginator.
pub struct Items<P: PaginateItems> {
    runtime: Arc<Runtime>,
    inner: paginator::Items<P>,
}

impl<P: PaginateItems> fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl<P: PaginateItems> Iterator for Items<P> {
    type Item = Result<P::Item, P::Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.inner.next())
    }
}

/// A waiter of a blocking client: set its timing, then [`wait`](Self::wait).
pub struct Waiter<W: Wait> {
    runtime: Arc<Runtime>,
    inner: waiter::Waiter<W>,
}

impl<W: Wait> fmt::Debug for Waiter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

impl<W: Wait> Waiter<W> {
    #[doc(hidden)]
    pub fn new(runtime: Arc<Runtime>, inner: waiter::Waiter<W>) -> Self {
        Waiter { runtime, inner }
    }

    /// See [`waiter::Waiter::delay`].
    pub fn delay(mut self, delay: Duration) -> Self {
        self.inner = self.inner.delay(delay);
        self
    }

    /// See [`waiter::Waiter::max_attempts`].
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.inner = self.inner.max_attempts(attempts);
        self
    }

    /// See [`waiter::Waiter::max_wait`].
    pub fn max_wait(mut self, limit: Duration) -> Self {
        self.inner = self.inner.max_wait(limit);
        self
    }

    /// Polls until success, failure or timeout, blocking this thread.
    #[allow(clippy::type_complexity)]
    pub fn wait(self) -> Result<Result<W::Output, W::Error>, WaiterError<W::Output, W::Error>> {
        self.runtime.block_on(self.inner.wait())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    /// Pieces handed over one per poll, after a timer (the runtime must drive it).
    struct Slow(
        std::collections::VecDeque<&'static [u8]>,
        Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
    );

    impl futures_core::Stream for Slow {
        type Item = Result<bytes::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let sleep = self
                .1
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(2))));
            std::task::ready!(sleep.as_mut().poll(cx));
            self.1 = None;
            std::task::Poll::Ready(self.0.pop_front().map(|p| Ok(bytes::Bytes::from_static(p))))
        }
    }

    #[test]
    fn a_body_reads_as_std_io_read_on_the_runtime() {
        let runtime = Runtime::new().unwrap();
        let body = crate::ByteStream::from_stream(
            Slow(vec![&b"hello "[..], b"blocking ", b"world"].into(), None),
            Some(20),
        );
        let mut reader = runtime.reader(body);
        let mut first = [0u8; 3];
        reader.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"hel");
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "lo blocking world");
    }
}
