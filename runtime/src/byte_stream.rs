//! [`ByteStream`]: a request or response body that need not be in memory.
//!
//! In: bytes (`From<Bytes>`, `Vec<u8>`, `String`, `&'static [u8]`), a file
//! ([`ByteStream::from_path`], read lazily, its length known so `Content-Length` is sent),
//! or any [`AsyncRead`](tokio::io::AsyncRead) or byte [`Stream`](futures_core::Stream)
//! with a declared length (read once: such a body cannot be sent again).
//!
//! Out: the response body as the transport receives it: a [`Stream`](futures_core::Stream)
//! of chunks ([`ByteStream::next`]), [`ByteStream::into_async_read`],
//! [`ByteStream::collect`] with an explicit size limit, [`ByteStream::write_to_file`].
//!
//! It is the `http_body::Body` every [`HttpClient`](crate::http::HttpClient) sends and
//! returns. Whether a body can be sent again (a retry) is [`ByteStream::try_clone`]: bytes
//! and files can, one-shot streams cannot.

/// A boxed error (the same type as `http::BoxError`; named here so that this module does
/// not depend on the transport's).
type BoxError = Box<dyn std::error::Error + Send + Sync>;
use bytes::{Bytes, BytesMut};
use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// How much of a reader one chunk holds.
const CHUNK: usize = 64 * 1024;

/// How much of a file one chunk holds as it is sent: each read is a hand-off to tokio's
/// blocking pool, so a file's chunks are larger than a reader's (S3 PutObject of a
/// 256 MiB file over loopback http: about 440 MiB/s with 64 KiB chunks, 770 MiB/s with
/// 256 KiB; `bench/s3.py`).
const FILE_CHUNK: usize = 256 * 1024;

/// The buffer of [`ByteStream::read_copy`]'s file reads.
const COPY_CHUNK: usize = 1024 * 1024;

/// Reads `len` bytes of the file at `path` from `offset` through `f`, with one buffer.
fn read_file_range(
    path: &Path,
    offset: u64,
    len: u64,
    f: &mut dyn FnMut(&[u8]),
) -> Result<(), ByteStreamError> {
    use std::io::{Read, Seek};
    let failed = |what: &str, e: std::io::Error| {
        ByteStreamError::new(format!("{what} {}", path.display()), Some(Box::new(e)))
    };
    let mut file = std::fs::File::open(path).map_err(|e| failed("opening", e))?;
    file.seek(std::io::SeekFrom::Start(offset))
        .map_err(|e| failed("reading", e))?;
    let mut buf = vec![0u8; COPY_CHUNK.min(len as usize)];
    let mut left = len;
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = match file.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(failed("reading", e)),
        };
        if n == 0 {
            let what = format!(
                "{} ended {left} bytes before the length the body declared",
                path.display()
            );
            return Err(ByteStreamError::new(what, None));
        }
        f(&buf[..n]);
        left -= n as u64;
    }
    Ok(())
}

/// A body: bytes in memory, a file read lazily, or a stream read once.
pub struct ByteStream {
    inner: Inner,
}

type DynBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + Sync>>;
type Opening =
    Pin<Box<dyn std::future::Future<Output = std::io::Result<tokio::fs::File>> + Send + Sync>>;

enum Inner {
    /// In memory; `None` once yielded.
    Bytes(Option<Bytes>),
    /// `len` bytes of the file at `path` from `offset`.
    File(FileBody),
    /// A one-shot body (a response, a reader, a stream), with its length if declared.
    Stream { body: DynBody, len: Option<u64> },
}

struct FileBody {
    path: PathBuf,
    offset: u64,
    len: u64,
    /// Bytes still to read.
    left: u64,
    state: FileState,
}

enum FileState {
    Closed,
    Opening(Opening),
    Open(tokio::fs::File, BytesMut),
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ByteStream");
        match &self.inner {
            Inner::Bytes(b) => d.field("bytes", &b.as_ref().map_or(0, Bytes::len)),
            Inner::File(file) => d.field("file", &file.path).field("len", &file.len),
            Inner::Stream { len, .. } => d.field("stream", len),
        };
        d.finish()
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::from(Bytes::new())
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> Self {
        ByteStream {
            inner: Inner::Bytes(Some(b)),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> Self {
        ByteStream::from(Bytes::from(v))
    }
}

impl From<String> for ByteStream {
    fn from(s: String) -> Self {
        ByteStream::from(Bytes::from(s))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(s: &'static [u8]) -> Self {
        ByteStream::from(Bytes::from_static(s))
    }
}

impl From<&'static str> for ByteStream {
    fn from(s: &'static str) -> Self {
        ByteStream::from(Bytes::from_static(s.as_bytes()))
    }
}

/// Why a body could not be read or written.
///
/// A transport's error (a broken connection, the read timeout) is shown as the transport
/// says it: `Display` and `source` are that error's.
#[derive(Debug)]
pub struct ByteStreamError {
    repr: Repr,
}

#[derive(Debug)]
enum Repr {
    Own {
        what: String,
        source: Option<BoxError>,
        too_large: bool,
    },
    Transparent(BoxError),
}

impl ByteStreamError {
    fn new(what: impl Into<String>, source: Option<BoxError>) -> Self {
        ByteStreamError {
            repr: Repr::Own {
                what: what.into(),
                source,
                too_large: false,
            },
        }
    }

    fn transparent(e: BoxError) -> Self {
        ByteStreamError {
            repr: Repr::Transparent(e),
        }
    }

    /// The body was larger than the limit given to [`ByteStream::collect`].
    pub fn is_too_large(&self) -> bool {
        matches!(
            self.repr,
            Repr::Own {
                too_large: true,
                ..
            }
        )
    }

    /// Reading stopped because no byte arrived within the read timeout.
    pub fn is_timeout(&self) -> bool {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cur {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::TimedOut {
                    return true;
                }
            }
            cur = e.source();
        }
        false
    }

    /// The error as a boxed error: the transport's own, where it came from one.
    pub fn into_inner(self) -> BoxError {
        match self.repr {
            Repr::Transparent(e) => e,
            own => Box::new(ByteStreamError { repr: own }),
        }
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Own { what, .. } => f.write_str(what),
            Repr::Transparent(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.repr {
            Repr::Own { source, .. } => source.as_deref().map(|e| e as _),
            Repr::Transparent(e) => e.source(),
        }
    }
}

impl From<ByteStreamError> for std::io::Error {
    fn from(e: ByteStreamError) -> Self {
        let kind = if e.is_timeout() {
            std::io::ErrorKind::TimedOut
        } else {
            std::io::ErrorKind::Other
        };
        std::io::Error::new(kind, e)
    }
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> Self {
        ByteStream::default()
    }

    /// The whole file at `path`, read lazily as it is sent (its length is taken now, so
    /// `Content-Length` is sent). A file body can be sent again (retries reopen it).
    pub async fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let len = tokio::fs::metadata(&path).await?.len();
        Ok(Self::from_file_range(path, 0, len))
    }

    /// `len` bytes of the file at `path`, from `offset` (a part of a multipart upload).
    /// Reading fails if the file is shorter than that when it is read.
    pub fn from_file_range(path: impl Into<PathBuf>, offset: u64, len: u64) -> Self {
        ByteStream {
            inner: Inner::File(FileBody {
                path: path.into(),
                offset,
                len,
                left: len,
                state: FileState::Closed,
            }),
        }
    }

    /// A body read once from `reader`, which must yield exactly `len` bytes (a shorter or
    /// longer one fails the request). It cannot be sent again: an attempt that fails
    /// after it was read is not retried.
    pub fn from_async_read<R>(reader: R, len: u64) -> Self
    where
        R: tokio::io::AsyncRead + Send + Sync + 'static,
    {
        Self::from_body(
            ReaderBody {
                reader: Box::pin(reader),
                buf: BytesMut::new(),
                left: len,
                len,
            },
            Some(len),
        )
    }

    /// A body read once from a stream of chunks that add up to `len` bytes (or of an
    /// unknown length, `None`: sent chunked, which S3 and most services refuse).
    pub fn from_stream<S, E>(stream: S, len: Option<u64>) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, E>> + Send + Sync + 'static,
        E: Into<BoxError>,
    {
        Self::from_body(
            StreamBody {
                stream: Box::pin(stream),
                left: len,
            },
            len,
        )
    }

    /// Any `http_body::Body` of bytes (a transport's response body), read once.
    pub fn from_body<B>(body: B, len: Option<u64>) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + Sync + 'static,
        B::Error: Into<BoxError>,
    {
        let body = http_body_util::BodyExt::map_err(body, Into::into);
        ByteStream {
            inner: Inner::Stream {
                body: Box::pin(body),
                len,
            },
        }
    }

    /// The body's length, if known before it is read.
    pub fn len(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes(b) => Some(b.as_ref().map_or(0, |b| b.len() as u64)),
            Inner::File(f) => Some(f.len),
            Inner::Stream { len, .. } => *len,
        }
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The bytes, when the body is in memory (and not yet read).
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(Some(b)) => Some(b),
            _ => None,
        }
    }

    /// A copy to send again, for bodies that can be (bytes, files): `None` for a
    /// one-shot stream. A file's copy reads it from the start of its range again.
    pub fn try_clone(&self) -> Option<ByteStream> {
        match &self.inner {
            Inner::Bytes(b) => Some(ByteStream {
                inner: Inner::Bytes(b.clone()),
            }),
            Inner::File(f) => Some(Self::from_file_range(f.path.clone(), f.offset, f.len)),
            Inner::Stream { .. } => None,
        }
    }

    /// Reads a copy of a body that can be read twice (bytes, a file), chunk by chunk,
    /// into `state` with `f`, and gives `state` back; `None` for a one-shot stream. A file
    /// is read on one blocking thread with one buffer ([`COPY_CHUNK`]), not chunk by chunk
    /// through the async runtime: hashing a large upload before it is sent (its checksum
    /// header, its SigV4 payload hash) costs a read of the page cache, not thousands of
    /// hand-offs.
    pub(crate) async fn read_copy<S>(
        &self,
        mut state: S,
        f: fn(&mut S, &[u8]),
    ) -> Result<Option<S>, ByteStreamError>
    where
        S: Send + 'static,
    {
        match &self.inner {
            Inner::Bytes(b) => {
                f(&mut state, b.as_deref().unwrap_or_default());
                Ok(Some(state))
            }
            Inner::File(file) => {
                let (path, offset, len) = (file.path.clone(), file.offset, file.len);
                let read = tokio::task::spawn_blocking(move || {
                    read_file_range(&path, offset, len, &mut |chunk| f(&mut state, chunk))
                        .map(|()| state)
                });
                match read.await {
                    Ok(r) => r.map(Some),
                    Err(e) => Err(ByteStreamError::new("reading a file", Some(Box::new(e)))),
                }
            }
            Inner::Stream { .. } => Ok(None),
        }
    }

    /// The next chunk of data (trailers are skipped), `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| self.poll_data(cx)).await
    }

    fn poll_data(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        loop {
            let frame = ready!(http_body::Body::poll_frame(Pin::new(&mut *self), cx));
            match frame {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
            }
        }
    }

    /// The whole body in memory, refused (without reading further) once it is longer
    /// than `limit` bytes.
    pub async fn collect(mut self, limit: usize) -> Result<Bytes, ByteStreamError> {
        let too_large = || ByteStreamError {
            repr: Repr::Own {
                what: format!("body is larger than the {limit}-byte limit"),
                source: None,
                too_large: true,
            },
        };
        if let Inner::Bytes(b) = &mut self.inner {
            let b = b.take().unwrap_or_default();
            return if b.len() > limit {
                Err(too_large())
            } else {
                Ok(b)
            };
        }
        if self.len().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut first: Option<Bytes> = None;
        let mut rest: Option<BytesMut> = None;
        let mut total = 0usize;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            total = total.saturating_add(chunk.len());
            if total > limit {
                return Err(too_large());
            }
            match (&first, &mut rest) {
                (None, _) => first = Some(chunk),
                (Some(f), None) => {
                    // The whole length when it is known (one buffer, never grown: growing
                    // holds the old and the new buffer at once), else room to double.
                    let known = self
                        .len()
                        .and_then(|n| usize::try_from(n).ok())
                        .filter(|&n| n >= total);
                    let mut m = BytesMut::with_capacity(known.unwrap_or(total.max(f.len() * 2)));
                    m.extend_from_slice(f);
                    m.extend_from_slice(&chunk);
                    rest = Some(m);
                }
                (Some(_), Some(m)) => m.extend_from_slice(&chunk),
            }
        }
        Ok(match rest {
            Some(m) => m.freeze(),
            None => first.unwrap_or_default(),
        })
    }

    /// Writes the body to a new (or truncated) file at `path`, chunk by chunk; the number
    /// of bytes written.
    pub async fn write_to_file(mut self, path: impl AsRef<Path>) -> Result<u64, ByteStreamError> {
        use tokio::io::AsyncWriteExt;
        let path = path.as_ref();
        let io = |what: &str, e: std::io::Error| {
            ByteStreamError::new(format!("{what} {}", path.display()), Some(Box::new(e)))
        };
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| io("creating", e))?;
        let mut n = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(|e| io("writing", e))?;
            n += chunk.len() as u64;
        }
        file.flush().await.map_err(|e| io("writing", e))?;
        Ok(n)
    }

    /// The body as an [`AsyncRead`](tokio::io::AsyncRead) (`tokio::io::copy` it anywhere).
    pub fn into_async_read(self) -> ByteStreamReader {
        ByteStreamReader {
            stream: self,
            chunk: Bytes::new(),
        }
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_data(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}

impl http_body::Body for ByteStream {
    type Data = Bytes;
    type Error = ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, ByteStreamError>>> {
        match &mut self.get_mut().inner {
            Inner::Bytes(b) => Poll::Ready(b.take().map(|b| Ok(http_body::Frame::data(b)))),
            Inner::File(f) => f.poll(cx).map(|o| o.map(|r| r.map(http_body::Frame::data))),
            Inner::Stream { body, .. } => body
                .as_mut()
                .poll_frame(cx)
                .map_err(ByteStreamError::transparent),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Bytes(b) => b.as_ref().is_none_or(Bytes::is_empty),
            Inner::File(f) => f.left == 0,
            Inner::Stream { body, .. } => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.inner {
            Inner::Bytes(b) => {
                http_body::SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64))
            }
            Inner::File(f) => http_body::SizeHint::with_exact(f.left),
            // What is left, as the body counts it (the declared length at the start).
            Inner::Stream { body, .. } => body.size_hint(),
        }
    }
}

impl FileBody {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        loop {
            if self.left == 0 {
                return Poll::Ready(None);
            }
            match &mut self.state {
                FileState::Closed => {
                    let (path, offset) = (self.path.clone(), self.offset);
                    self.state = FileState::Opening(Box::pin(async move {
                        use tokio::io::AsyncSeekExt;
                        let mut file = tokio::fs::File::open(path).await?;
                        file.seek(std::io::SeekFrom::Start(offset)).await?;
                        Ok(file)
                    }));
                }
                FileState::Opening(fut) => match ready!(fut.as_mut().poll(cx)) {
                    Ok(file) => self.state = FileState::Open(file, BytesMut::new()),
                    Err(e) => {
                        let what = format!("opening {}", self.path.display());
                        self.left = 0;
                        return Poll::Ready(Some(Err(ByteStreamError::new(
                            what,
                            Some(Box::new(e)),
                        ))));
                    }
                },
                FileState::Open(file, buf) => {
                    let want = self.left.min(FILE_CHUNK as u64) as usize;
                    let n = match ready!(read_into(Pin::new(file), buf, want, cx)) {
                        Ok(n) => n,
                        Err(e) => {
                            let what = format!("reading {}", self.path.display());
                            self.left = 0;
                            return Poll::Ready(Some(Err(ByteStreamError::new(
                                what,
                                Some(Box::new(e)),
                            ))));
                        }
                    };
                    if n == 0 {
                        let what = format!(
                            "{} ended {} bytes before the length the body declared",
                            self.path.display(),
                            self.left
                        );
                        self.left = 0;
                        return Poll::Ready(Some(Err(ByteStreamError::new(what, None))));
                    }
                    self.left -= n as u64;
                    return Poll::Ready(Some(Ok(buf.split().freeze())));
                }
            }
        }
    }
}

/// A one-shot body from an `AsyncRead` of a declared length.
struct ReaderBody {
    reader: Pin<Box<dyn tokio::io::AsyncRead + Send + Sync>>,
    buf: BytesMut,
    left: u64,
    len: u64,
}

impl http_body::Body for ReaderBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if this.left == 0 {
            return Poll::Ready(None);
        }
        let want = this.left.min(CHUNK as u64) as usize;
        let n = ready!(read_into(this.reader.as_mut(), &mut this.buf, want, cx))?;
        if n == 0 {
            let e = format!(
                "the reader ended after {} of the {} bytes declared",
                this.len - this.left,
                this.len
            );
            this.left = 0;
            return Poll::Ready(Some(Err(e.into())));
        }
        this.left -= n as u64;
        Poll::Ready(Some(Ok(http_body::Frame::data(this.buf.split().freeze()))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

/// Reads up to `want` bytes into the (empty) `buf`.
fn read_into<R: tokio::io::AsyncRead + ?Sized>(
    reader: Pin<&mut R>,
    buf: &mut BytesMut,
    want: usize,
    cx: &mut Context<'_>,
) -> Poll<std::io::Result<usize>> {
    buf.clear();
    buf.resize(want, 0);
    let mut read = tokio::io::ReadBuf::new(&mut buf[..]);
    let r = reader.poll_read(cx, &mut read);
    let n = read.filled().len();
    buf.truncate(n);
    r.map_ok(|()| n)
}

/// A one-shot body from a stream of chunks, checked against the declared length.
struct StreamBody<S> {
    stream: Pin<Box<S>>,
    left: Option<u64>,
}

impl<S, E> http_body::Body for StreamBody<S>
where
    S: futures_core::Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match ready!(this.stream.as_mut().poll_next(cx)) {
            None => match this.left {
                Some(n) if n > 0 => {
                    this.left = Some(0);
                    Poll::Ready(Some(Err(format!(
                        "the stream ended {n} bytes before the length it declared"
                    )
                    .into())))
                }
                _ => Poll::Ready(None),
            },
            Some(Err(e)) => Poll::Ready(Some(Err(e.into()))),
            Some(Ok(chunk)) => {
                if let Some(left) = &mut this.left {
                    match left.checked_sub(chunk.len() as u64) {
                        Some(l) => *left = l,
                        None => {
                            return Poll::Ready(Some(Err(
                                "the stream is longer than the length it declared".into(),
                            )))
                        }
                    }
                }
                Poll::Ready(Some(Ok(http_body::Frame::data(chunk))))
            }
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.left {
            Some(n) => http_body::SizeHint::with_exact(n),
            None => http_body::SizeHint::default(),
        }
    }
}

/// A [`ByteStream`] read as an [`AsyncRead`](tokio::io::AsyncRead)
/// ([`ByteStream::into_async_read`]).
#[derive(Debug)]
pub struct ByteStreamReader {
    stream: ByteStream,
    chunk: Bytes,
}

impl tokio::io::AsyncRead for ByteStreamReader {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        while this.chunk.is_empty() {
            match ready!(this.stream.poll_data(cx)) {
                None => return Poll::Ready(Ok(())),
                Some(Err(e)) => return Poll::Ready(Err(e.into())),
                Some(Ok(b)) => this.chunk = b,
            }
        }
        let n = this.chunk.len().min(out.remaining());
        out.put_slice(&this.chunk.split_to(n));
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(
        parts: &[&'static [u8]],
    ) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync {
        struct S(std::collections::VecDeque<Bytes>);
        impl futures_core::Stream for S {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                Poll::Ready(self.0.pop_front().map(Ok))
            }
        }
        S(parts.iter().map(|p| Bytes::from_static(p)).collect())
    }

    #[tokio::test]
    async fn streams_are_checked_against_their_declared_length() {
        let ok = ByteStream::from_stream(chunks(&[b"ab", b"cd"]), Some(4));
        assert_eq!(ok.len(), Some(4));
        assert!(ok.try_clone().is_none(), "a stream is read once");
        assert_eq!(ok.collect(4).await.unwrap(), "abcd");
        let short = ByteStream::from_stream(chunks(&[b"ab"]), Some(4));
        let e = short.collect(64).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "the stream ended 2 bytes before the length it declared"
        );
        let long = ByteStream::from_stream(chunks(&[b"abc", b"de"]), Some(4));
        let e = long.collect(64).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "the stream is longer than the length it declared"
        );
        let reader = ByteStream::from_async_read(&b"xyz"[..], 5);
        let e = reader.collect(64).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "the reader ended after 3 of the 5 bytes declared"
        );
    }

    #[tokio::test]
    async fn collect_refuses_what_is_over_the_limit_without_reading_it_all() {
        let declared = ByteStream::from_stream(chunks(&[b"0123456789"]), Some(10));
        assert!(declared.collect(9).await.unwrap_err().is_too_large());
        let undeclared = ByteStream::from_stream(chunks(&[b"01234", b"56789", b"x"]), None);
        let e = undeclared.collect(9).await.unwrap_err();
        assert!(e.is_too_large() && !e.is_timeout(), "{e}");
        assert!(ByteStream::from(vec![0u8; 10])
            .collect(9)
            .await
            .unwrap_err()
            .is_too_large());
        assert_eq!(ByteStream::from("0123").collect(4).await.unwrap(), "0123");
    }

    #[tokio::test]
    async fn files_are_read_lazily_again_for_each_copy_and_ranges_are_exact() {
        let path = std::env::temp_dir().join(format!("awsgen-bs-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        let whole = ByteStream::from_path(&path).await.unwrap();
        let copy = whole.try_clone().unwrap();
        assert_eq!(whole.collect(64).await.unwrap(), "0123456789");
        assert_eq!(copy.collect(64).await.unwrap(), "0123456789");
        let range = ByteStream::from_file_range(&path, 3, 4);
        assert_eq!(range.len(), Some(4));
        assert_eq!(range.collect(64).await.unwrap(), "3456");
        // A range past the end of the file is an error, not a short body.
        let past = ByteStream::from_file_range(&path, 8, 4);
        let e = past.collect(64).await.unwrap_err().to_string();
        assert!(
            e.ends_with("ended 2 bytes before the length the body declared"),
            "{e}"
        );
        let out = path.with_extension("out");
        let n = ByteStream::from_stream(chunks(&[b"ab", b"cd"]), Some(4))
            .write_to_file(&out)
            .await
            .unwrap();
        assert_eq!((n, std::fs::read(&out).unwrap()), (4, b"abcd".to_vec()));
        std::fs::remove_file(&path).unwrap();
        std::fs::remove_file(&out).unwrap();
        let missing = ByteStream::from_file_range(&path, 0, 1);
        let e = missing.collect(64).await.unwrap_err().to_string();
        assert!(e.starts_with("opening "), "{e}");
    }

    /// `read_copy` reads a file's range whole (more than one buffer of it), leaves the
    /// body to be sent untouched, refuses a file shorter than its range, and gives `None`
    /// for a one-shot stream.
    #[tokio::test]
    async fn a_copy_is_read_whole_in_one_pass() {
        let path = std::env::temp_dir().join(format!("awsgen-copy-{}", std::process::id()));
        let content: Vec<u8> = (0..COPY_CHUNK * 2 + 7).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let body = ByteStream::from_file_range(&path, 5, (COPY_CHUNK * 2) as u64);
        let append = |v: &mut Vec<u8>, chunk: &[u8]| v.extend_from_slice(chunk);
        let read = body.read_copy(Vec::new(), append).await.unwrap().unwrap();
        assert_eq!(read, &content[5..5 + COPY_CHUNK * 2]);
        assert_eq!(body.collect(usize::MAX).await.unwrap(), read);
        let bytes = ByteStream::from("abc");
        assert_eq!(
            bytes.read_copy(Vec::new(), append).await.unwrap().unwrap(),
            b"abc"
        );
        let past = ByteStream::from_file_range(&path, content.len() as u64 - 3, 10);
        let e = past
            .read_copy(Vec::new(), append)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("ended 7 bytes before the length the body declared"),
            "{e}"
        );
        std::fs::remove_file(&path).unwrap();
        let missing = ByteStream::from_file_range(&path, 0, 1);
        let e = missing
            .read_copy(Vec::new(), append)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("opening "), "{e}");
        let stream = ByteStream::from_stream(chunks(&[b"ab"]), Some(2));
        assert!(stream
            .read_copy(Vec::new(), append)
            .await
            .unwrap()
            .is_none());
    }

    #[tokio::test]
    async fn an_async_read_view_reads_every_chunk() {
        use tokio::io::AsyncReadExt;
        let mut r =
            ByteStream::from_stream(chunks(&[b"ab", b"", b"cde"]), Some(5)).into_async_read();
        let mut got = String::new();
        r.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "abcde");
    }
}
