//! The default transport: HTTP/1.1 of our own on tokio's TCP, over rustls for `https://`.
//!
//! What a client of AWS JSON services needs and no more: requests whose body is known in
//! full (sent with `content-length`), responses framed by `content-length`, by chunks or
//! by the end of the connection, a pool of kept-alive connections, and limits on
//! everything a server sends. It costs half of what hyper's client does per call and
//! about 12 s less compiler work in a clean build (`bench/README.md`, issue #13).
//!
//! A pooled connection is checked before reuse, as urllib3 (botocore's transport) does:
//! one that the server closed, or that has bytes waiting that nobody asked for, is
//! dropped. A request that fails on a connection closed in the meantime is an
//! [`Io`](TransportError::Io) error, which the retry policy retries like botocore's
//! `ConnectionClosedError`.

use super::{tls_config, BoxError, HttpClient, TransportError};
use crate::BoxFuture;
use bytes::Bytes;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// How long a kept-alive connection may wait in the pool (hyper's default, and below
/// the idle timeouts of AWS's load balancers' defaults of 350 s and more).
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// Connections kept alive per client, across all hosts.
const MAX_IDLE: usize = 32;
/// The largest response head (status line and fields) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// The most header fields a response head may have.
const MAX_FIELDS: usize = 128;
/// The longest chunk-size line, and the most trailer bytes, accepted.
const MAX_CHUNK_LINE: usize = 4096;
/// What a read asks the socket for, at least.
const READ_SIZE: usize = 16 * 1024;
/// The most interim (`1xx`) responses accepted before the final one.
const MAX_INTERIM: usize = 16;
/// Bodies up to this size go out in the same write as the head.
const COALESCE: usize = 16 * 1024;

/// The default transport (without the `http2` feature): HTTP/1.1 over TCP, and over
/// rustls (ring, webpki roots) for `https://`, with keep-alive. Cloning shares the pool.
#[derive(Clone)]
pub struct Http1Client {
    shared: Arc<Shared>,
}

struct Shared {
    tls: tokio_rustls::TlsConnector,
    connect_timeout: Option<Duration>,
    idle: Mutex<Vec<Idle>>,
}

/// A kept-alive connection and when it was put back.
struct Idle {
    conn: Conn,
    since: Instant,
}

impl fmt::Debug for Http1Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http1Client")
            .field("connect_timeout", &self.shared.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl Http1Client {
    /// A client with the given connect timeout (TCP and TLS), speaking HTTP/1.1 over TLS
    /// and over plain `http://` (for local endpoints). Fails only if the TLS library
    /// rejects its own default settings.
    pub fn new(connect_timeout: Option<Duration>) -> Result<Self, rustls::Error> {
        Self::with_roots(connect_timeout, &[])
    }

    /// [`new`](Self::new), trusting these certificates too (a corporate proxy's root,
    /// from `ca_bundle` / `AWS_CA_BUNDLE`).
    pub fn with_roots(
        connect_timeout: Option<Duration>,
        extra_roots: &[rustls::pki_types::CertificateDer<'static>],
    ) -> Result<Self, rustls::Error> {
        let tls = tls_config(extra_roots, &[b"http/1.1"])?;
        Ok(Http1Client {
            shared: Arc::new(Shared {
                tls: tokio_rustls::TlsConnector::from(Arc::new(tls)),
                connect_timeout,
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    /// How many kept-alive connections wait in the pool.
    pub fn idle_connections(&self) -> usize {
        self.shared.lock_idle().len()
    }
}

impl HttpClient for Http1Client {
    fn send(
        &self,
        request: http::Request<Bytes>,
        max_body: usize,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.shared.send(request, max_body))
    }
}

/// Where a connection goes: scheme, host (without IPv6 brackets) and port.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    tls: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &http::Uri) -> Result<(bool, &str, u16), TransportError> {
        let tls = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            other => {
                return Err(TransportError::Connect(
                    format!("unsupported URI scheme {other:?} (http or https only)").into(),
                ))
            }
        };
        let host = uri
            .host()
            .ok_or_else(|| -> BoxError { "URI without a host".into() });
        let host = host.map_err(TransportError::Connect)?;
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        Ok((tls, host, port))
    }

    fn is(&self, tls: bool, host: &str, port: u16) -> bool {
        self.tls == tls && self.port == port && self.host == host
    }
}

impl Shared {
    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        // The pool holds no invariant a panic elsewhere could break.
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn send(
        &self,
        request: http::Request<Bytes>,
        max_body: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let (tls, host, port) = Origin::of(&parts.uri)?;
        let mut conn = match self.checkout(tls, host, port) {
            Some(c) => c,
            None => self.connect(tls, host, port).await?,
        };
        conn.write_request(&parts, &body).await.map_err(io_error)?;
        let head_only = parts.method == http::Method::HEAD;
        let (response, reusable) = conn.read_response(head_only, max_body).await?;
        let closes = |h: &http::HeaderMap| has_token(h, http::header::CONNECTION, "close");
        if reusable && !closes(&parts.headers) {
            self.put_back(conn);
        }
        Ok(response)
    }

    /// The most recently used open connection to this origin, if any; expired and closed
    /// ones are dropped on the way.
    fn checkout(&self, tls: bool, host: &str, port: u16) -> Option<Conn> {
        let mut idle = self.lock_idle();
        if idle.is_empty() {
            return None;
        }
        let now = Instant::now();
        idle.retain(|i| now.duration_since(i.since) < IDLE_TIMEOUT);
        while let Some(at) = idle.iter().rposition(|i| i.conn.origin.is(tls, host, port)) {
            let conn = idle.remove(at).conn;
            if conn.is_open() {
                return Some(conn);
            }
        }
        None
    }

    fn put_back(&self, conn: Conn) {
        let mut idle = self.lock_idle();
        if idle.len() >= MAX_IDLE {
            idle.remove(0);
        }
        idle.push(Idle {
            conn,
            since: Instant::now(),
        });
    }

    async fn connect(&self, tls: bool, host: &str, port: u16) -> Result<Conn, TransportError> {
        let origin = Origin {
            tls,
            host: host.to_owned(),
            port,
        };
        match self.open(tls, host, port).await {
            Ok(io) => Ok(Conn::new(io, origin)),
            Err(source) => Err(TransportError::Connect(Box::new(ConnectError {
                origin,
                source,
            }))),
        }
    }

    /// The name resolved, TCP to its addresses in turn, then the TLS handshake: each step,
    /// and each address, bounded by the connect timeout (urllib3, botocore's transport,
    /// gives each address the whole timeout too, so an unreachable IPv6 address does not
    /// use up the time of the IPv4 one after it).
    async fn open(&self, tls: bool, host: &str, port: u16) -> io::Result<Io> {
        let limit = self.connect_timeout;
        let addrs = bounded(limit, tokio::net::lookup_host((host, port))).await?;
        let tcp = connect_any(addrs, limit).await.map_err(|e| {
            e.unwrap_or_else(|| {
                let what = format!("{host} resolved to no address");
                io::Error::new(io::ErrorKind::NotFound, what)
            })
        })?;
        tcp.set_nodelay(true)?;
        if !tls {
            return Ok(Io::Tcp(tcp));
        }
        let name = rustls::pki_types::ServerName::try_from(host.to_owned())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let stream = bounded(limit, self.tls.connect(name, tcp)).await?;
        Ok(Io::Tls(Box::new(stream)))
    }
}

/// A TCP connection to the first of `addrs` that takes one, each tried for at most
/// `limit`; else the last address's error (`None` if there were none).
async fn connect_any(
    addrs: impl IntoIterator<Item = std::net::SocketAddr>,
    limit: Option<Duration>,
) -> Result<TcpStream, Option<io::Error>> {
    let mut last = None;
    for addr in addrs {
        match bounded(limit, TcpStream::connect(addr)).await {
            Ok(tcp) => return Ok(tcp),
            Err(e) => last = Some(e),
        }
    }
    Err(last)
}

/// `step`, failing with `TimedOut` if it takes longer than `limit`.
async fn bounded<T>(
    limit: Option<Duration>,
    step: impl std::future::Future<Output = io::Result<T>>,
) -> io::Result<T> {
    let Some(limit) = limit else {
        return step.await;
    };
    match tokio::time::timeout(limit, step).await {
        Ok(r) => r,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no answer within {limit:?}"),
        )),
    }
}

/// Why no connection could be made to an origin; the cause is the `io::Error` (with
/// the TLS error inside it for a failed handshake).
#[derive(Debug)]
struct ConnectError {
    origin: Origin,
    source: io::Error,
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.origin.tls { "https" } else { "http" };
        let Origin { host, port, .. } = &self.origin;
        if host.contains(':') {
            write!(f, "connecting to {scheme}://[{host}]:{port}")
        } else {
            write!(f, "connecting to {scheme}://{host}:{port}")
        }
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The connection failed while sending or reading.
fn io_error(e: io::Error) -> TransportError {
    TransportError::Io(Box::new(e))
}

/// A response that breaks HTTP/1.1, or a limit: what was wrong with it.
fn malformed(what: impl Into<String>) -> TransportError {
    io_error(io::Error::new(io::ErrorKind::InvalidData, what.into()))
}

/// The connection ended before the response did.
fn cut_short(what: &str) -> TransportError {
    let what = format!("the connection closed before {what}");
    io_error(io::Error::new(io::ErrorKind::UnexpectedEof, what))
}

/// Whether a comma-separated header field has this token (case-insensitively).
fn has_token(headers: &http::HeaderMap, name: http::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|v| {
        v.as_bytes()
            .split(|&b| b == b',')
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
    })
}

/// The TCP or TLS stream under a connection.
enum Io {
    Tcp(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Io {
    fn tcp(&self) -> &TcpStream {
        match self {
            Io::Tcp(t) => t,
            Io::Tls(t) => t.get_ref().0,
        }
    }

    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self {
            Io::Tcp(t) => Pin::new(t).poll_read(cx, buf),
            Io::Tls(t) => Pin::new(&mut **t).poll_read(cx, buf),
        }
    }

    fn poll_write(&mut self, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        match self {
            Io::Tcp(t) => Pin::new(t).poll_write(cx, data),
            Io::Tls(t) => Pin::new(&mut **t).poll_write(cx, data),
        }
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self {
            Io::Tcp(t) => Pin::new(t).poll_flush(cx),
            Io::Tls(t) => Pin::new(&mut **t).poll_flush(cx),
        }
    }

    async fn read(&mut self, into: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| {
            let mut buf = ReadBuf::new(into);
            self.poll_read(cx, &mut buf).map_ok(|()| buf.filled().len())
        })
        .await
    }

    async fn write_all(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            match poll_fn(|cx| self.poll_write(cx, data)).await? {
                0 => return Err(io::ErrorKind::WriteZero.into()),
                n => data = &data[n..],
            }
        }
        Ok(())
    }
}

/// How a response body is delimited (RFC 9112, section 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    None,
    Length(u64),
    Chunked,
    UntilClose,
}

/// A connection: its stream, what was read and not yet used (`buf[start..end]`; the
/// whole of `buf` is initialized), and the head of the request being written.
struct Conn {
    io: Io,
    origin: Origin,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    out: Vec<u8>,
}

impl Conn {
    fn new(io: Io, origin: Origin) -> Self {
        Conn {
            io,
            origin,
            buf: vec![0; READ_SIZE],
            start: 0,
            end: 0,
            out: Vec::with_capacity(1024),
        }
    }

    /// Whether a kept-alive connection can take a request: the server has not closed it
    /// and sent nothing unasked. Costs at most one non-blocking `recv(MSG_PEEK)`.
    fn is_open(&self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        let mut byte = [0u8; 1];
        let mut peek = ReadBuf::new(&mut byte);
        matches!(self.io.tcp().poll_peek(&mut cx, &mut peek), Poll::Pending)
    }

    /// Writes the request line, the fields (`host` from the URI if the request has
    /// none; `content-length` for a body if it has none) and the body.
    async fn write_request(&mut self, parts: &http::request::Parts, body: &[u8]) -> io::Result<()> {
        let out = &mut self.out;
        out.clear();
        out.extend_from_slice(parts.method.as_str().as_bytes());
        out.push(b' ');
        let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        out.extend_from_slice(target.as_bytes());
        out.extend_from_slice(b" HTTP/1.1\r\n");
        if !parts.headers.contains_key(http::header::HOST) {
            if let Some(authority) = parts.uri.authority() {
                field(out, b"host", authority.as_str().as_bytes());
            }
        }
        for (name, value) in &parts.headers {
            // The body is sent whole, with its length: never chunked.
            if name != http::header::TRANSFER_ENCODING {
                field(out, name.as_str().as_bytes(), value.as_bytes());
            }
        }
        if !body.is_empty() && !parts.headers.contains_key(http::header::CONTENT_LENGTH) {
            field(out, b"content-length", body.len().to_string().as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        let coalesce = body.len() <= COALESCE;
        if coalesce {
            out.extend_from_slice(body);
        }
        // Taken out and put back: the buffer is kept for the connection's next request.
        let out = std::mem::take(&mut self.out);
        let written = self.io.write_all(&out).await;
        self.out = out;
        written?;
        if !coalesce {
            self.io.write_all(body).await?;
        }
        poll_fn(|cx| self.io.poll_flush(cx)).await
    }

    /// Reads more from the stream into `buf`, making room first; `Ok(0)` at its end.
    async fn fill(&mut self) -> io::Result<usize> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        if self.buf.len() - self.end < READ_SIZE / 4 {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.buf.len() - self.end < READ_SIZE / 4 {
                self.buf.resize(self.buf.len() + READ_SIZE, 0);
            }
        }
        let n = self.io.read(&mut self.buf[self.end..]).await?;
        self.end += n;
        Ok(n)
    }

    fn buffered(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Reads one response: its head (skipping `1xx` interim ones) and its whole body.
    /// The flag says whether the connection may carry another request.
    async fn read_response(
        &mut self,
        head_only: bool,
        max_body: usize,
    ) -> Result<(http::Response<Bytes>, bool), TransportError> {
        let mut interim = 0;
        let mut response = loop {
            let response = self.read_head().await?;
            match response.status().as_u16() {
                101 => return Err(malformed("the server switched protocols (HTTP 101)")),
                100..=199 if interim < MAX_INTERIM => interim += 1,
                100..=199 => {
                    return Err(malformed(format!(
                        "more than {MAX_INTERIM} interim (1xx) responses"
                    )))
                }
                _ => break response,
            }
        };
        let framing = framing(&response, head_only)?;
        let body = match framing {
            Framing::None => Bytes::new(),
            Framing::Length(n) => self.read_length(n, max_body).await?,
            Framing::Chunked => self.read_chunked(max_body).await?,
            Framing::UntilClose => self.read_to_close(max_body).await?,
        };
        *response.body_mut() = body;
        let keep_alive = match response.version() {
            http::Version::HTTP_11 => {
                !has_token(response.headers(), http::header::CONNECTION, "close")
            }
            _ => has_token(response.headers(), http::header::CONNECTION, "keep-alive"),
        };
        // Bytes after the response that nobody asked for: the connection is not in step.
        let reusable = keep_alive && framing != Framing::UntilClose && self.start == self.end;
        Ok((response, reusable))
    }

    /// The status line and fields of one response.
    async fn read_head(&mut self) -> Result<http::Response<Bytes>, TransportError> {
        loop {
            if let Some((used, response)) = parse_head(self.buffered())? {
                self.start += used;
                return Ok(response);
            }
            if self.end - self.start >= MAX_HEAD {
                return Err(malformed(format!(
                    "the response head is larger than {MAX_HEAD} bytes"
                )));
            }
            if self.fill().await.map_err(io_error)? == 0 {
                return Err(cut_short("the response head was complete"));
            }
        }
    }

    /// A body of `n` bytes: what is buffered, then the rest read straight into it.
    async fn read_length(&mut self, n: u64, max_body: usize) -> Result<Bytes, TransportError> {
        if n > max_body as u64 {
            return Err(TransportError::BodyTooLarge { limit: max_body });
        }
        let n = n as usize;
        let have = self.end - self.start;
        if have >= n {
            let body = Bytes::copy_from_slice(&self.buf[self.start..self.start + n]);
            self.start += n;
            return Ok(body);
        }
        let mut body = vec![0; n];
        body[..have].copy_from_slice(self.buffered());
        self.start = self.end;
        self.read_exact(&mut body[have..])
            .await
            .map_err(|e| self.body_error(e, n))?;
        Ok(Bytes::from(body))
    }

    fn body_error(&self, e: io::Error, n: usize) -> TransportError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            cut_short(&format!("the {n}-byte body was complete"))
        } else {
            io_error(e)
        }
    }

    /// Fills `into` from the stream (the buffer is empty).
    async fn read_exact(&mut self, mut into: &mut [u8]) -> io::Result<()> {
        while !into.is_empty() {
            match self.io.read(into).await? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => into = &mut into[n..],
            }
        }
        Ok(())
    }

    /// A chunked body: each chunk's size line, its data and its CRLF, then the last
    /// chunk and the trailer fields (read and dropped, as botocore does).
    async fn read_chunked(&mut self, max_body: usize) -> Result<Bytes, TransportError> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line(MAX_CHUNK_LINE).await?;
            let size = chunk_size(&line)?;
            if size == 0 {
                break;
            }
            if size > (max_body - body.len()) as u64 {
                return Err(TransportError::BodyTooLarge { limit: max_body });
            }
            let size = size as usize;
            let from_buf = size.min(self.end - self.start);
            body.extend_from_slice(&self.buf[self.start..self.start + from_buf]);
            self.start += from_buf;
            if from_buf < size {
                let at = body.len();
                body.resize(at + size - from_buf, 0);
                self.read_exact(&mut body[at..])
                    .await
                    .map_err(|e| self.body_error(e, size))?;
            }
            if !self.read_line(2).await?.is_empty() {
                return Err(malformed("a chunk is longer than its size says"));
            }
        }
        let mut trailers = 0;
        loop {
            let line = self.read_line(MAX_CHUNK_LINE).await?;
            trailers += line.len() + 2;
            if line.is_empty() {
                return Ok(Bytes::from(body));
            }
            if trailers > MAX_CHUNK_LINE * 16 {
                return Err(malformed("the trailer fields are too large"));
            }
        }
    }

    /// One line, without its CRLF (a bare LF is taken too), of at most `max` bytes.
    async fn read_line(&mut self, max: usize) -> Result<Vec<u8>, TransportError> {
        loop {
            if let Some(at) = self.buffered().iter().position(|&b| b == b'\n') {
                let line = &self.buf[self.start..self.start + at];
                let line = line.strip_suffix(b"\r").unwrap_or(line).to_vec();
                self.start += at + 1;
                return Ok(line);
            }
            if self.end - self.start > max {
                return Err(malformed("a chunk-size or trailer line is too long"));
            }
            if self.fill().await.map_err(io_error)? == 0 {
                return Err(cut_short("the chunked body was complete"));
            }
        }
    }

    /// A body delimited by the end of the connection.
    async fn read_to_close(&mut self, max_body: usize) -> Result<Bytes, TransportError> {
        let mut body = Vec::new();
        loop {
            if body.len() + (self.end - self.start) > max_body {
                return Err(TransportError::BodyTooLarge { limit: max_body });
            }
            body.extend_from_slice(self.buffered());
            self.start = self.end;
            if self.fill().await.map_err(io_error)? == 0 {
                return Ok(Bytes::from(body));
            }
        }
    }
}

/// Appends `name: value` and CRLF.
fn field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
}

/// A complete response head at the start of `bytes` (its length, and the response with an
/// empty body), `None` if more is needed.
fn parse_head(bytes: &[u8]) -> Result<Option<(usize, http::Response<Bytes>)>, TransportError> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_FIELDS];
    let mut head = httparse::Response::new(&mut fields);
    let used = match head.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(malformed(format!(
                "the response has more than {MAX_FIELDS} header fields"
            )))
        }
        Err(e) => return Err(malformed(format!("malformed response head: {e}"))),
    };
    let mut response = http::Response::new(Bytes::new());
    *response.status_mut() = head
        .code
        .and_then(|c| http::StatusCode::from_u16(c).ok())
        .ok_or_else(|| malformed("malformed response head: invalid status code"))?;
    *response.version_mut() = match head.version {
        Some(1) => http::Version::HTTP_11,
        _ => http::Version::HTTP_10,
    };
    // The values are slices of one copy of the head, not an allocation each.
    let shared = Bytes::copy_from_slice(&bytes[..used]);
    let map = response.headers_mut();
    map.reserve(head.headers.len());
    for f in head.headers.iter() {
        let name = field_name(f.name.as_bytes());
        let at = f.value.as_ptr() as usize - bytes.as_ptr() as usize;
        let value = http::HeaderValue::from_maybe_shared(shared.slice(at..at + f.value.len()));
        match (name, value) {
            (Ok(name), Ok(value)) => map.append(name, value),
            _ => return Err(malformed(format!("invalid header field {:?}", f.name))),
        };
    }
    Ok(Some((used, response)))
}

/// A field name; the ones AWS sends that `http` has no constant for are static too
/// (`HeaderName::from_bytes` allocates for a name it does not know).
fn field_name(name: &[u8]) -> Result<http::HeaderName, http::header::InvalidHeaderName> {
    const AWS: [&str; 6] = [
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-amz-id-2",
        "x-amzn-errortype",
        "x-amz-crc32",
        "x-amzn-query-error",
    ];
    match AWS.iter().find(|n| n.as_bytes().eq_ignore_ascii_case(name)) {
        Some(n) => Ok(http::HeaderName::from_static(n)),
        None => http::HeaderName::from_bytes(name),
    }
}

/// How the body of this response is delimited.
fn framing(response: &http::Response<Bytes>, head_only: bool) -> Result<Framing, TransportError> {
    let status = response.status().as_u16();
    if head_only || status == 204 || status == 304 {
        return Ok(Framing::None);
    }
    let headers = response.headers();
    if let Some(last) = headers
        .get_all(http::header::TRANSFER_ENCODING)
        .iter()
        .next_back()
    {
        let last = last
            .as_bytes()
            .rsplit(|&b| b == b',')
            .next()
            .unwrap_or_default();
        return Ok(if last.trim_ascii().eq_ignore_ascii_case(b"chunked") {
            Framing::Chunked
        } else {
            Framing::UntilClose
        });
    }
    let mut length = None;
    for value in headers.get_all(http::header::CONTENT_LENGTH) {
        for n in value.as_bytes().split(|&b| b == b',') {
            let n = std::str::from_utf8(n.trim_ascii())
                .ok()
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse::<u64>().ok());
            match (n, length) {
                (None, _) => return Err(malformed("invalid content-length")),
                (Some(n), Some(seen)) if n != seen => {
                    return Err(malformed("conflicting content-length values"))
                }
                (n, _) => length = n,
            }
        }
    }
    Ok(length.map_or(Framing::UntilClose, Framing::Length))
}

/// The size of a chunk from its line (hexadecimal, then optional extensions).
fn chunk_size(line: &[u8]) -> Result<u64, TransportError> {
    let hex = line
        .split(|&b| b == b';')
        .next()
        .unwrap_or_default()
        .trim_ascii();
    if hex.is_empty() || hex.len() > 15 {
        return Err(malformed("invalid chunk size"));
    }
    let mut size = 0u64;
    for &b in hex {
        let digit = (b as char)
            .to_digit(16)
            .ok_or_else(|| malformed("invalid chunk size"))?;
        size = size * 16 + u64::from(digit);
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// What the server does with a request: answer these bytes (one write, or a byte at a
    /// time), then keep the connection or close it.
    #[derive(Clone)]
    struct Answer {
        bytes: Vec<u8>,
        trickle: bool,
        close: bool,
    }

    fn answer(bytes: &str) -> Answer {
        Answer {
            bytes: bytes.as_bytes().to_vec(),
            trickle: false,
            close: false,
        }
    }

    /// A local server answering requests in order from `answers`, on as many connections
    /// as the client makes: its address, the requests it read (raw), connections accepted.
    struct Server {
        addr: std::net::SocketAddr,
        requests: Arc<Mutex<Vec<Vec<u8>>>>,
        accepted: Arc<AtomicUsize>,
    }

    async fn serve(answers: Vec<Answer>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(AtomicUsize::new(0));
        let queue = Arc::new(Mutex::new(answers.into_iter()));
        let (log, count) = (requests.clone(), accepted.clone());
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let (queue, log) = (queue.clone(), log.clone());
                tokio::spawn(async move {
                    while let Some(request) = read_request(&mut tcp).await {
                        log.lock().unwrap().push(request);
                        let Some(a) = queue.lock().unwrap().next() else {
                            return;
                        };
                        if a.trickle {
                            for b in &a.bytes {
                                tcp.write_all(&[*b]).await.unwrap();
                                tcp.flush().await.unwrap();
                            }
                        } else {
                            tcp.write_all(&a.bytes).await.unwrap();
                        }
                        if a.close {
                            return;
                        }
                    }
                });
            }
        });
        Server {
            addr,
            requests,
            accepted,
        }
    }

    /// One request's bytes (head, then `content-length` bytes of body); `None` at the end.
    async fn read_request(tcp: &mut TcpStream) -> Option<Vec<u8>> {
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.ends_with(b"\r\n\r\n") {
            if tcp.read(&mut byte).await.ok()? == 0 {
                return None;
            }
            got.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&got).to_ascii_lowercase();
        let len = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map_or(0, |n| n.trim().parse::<usize>().unwrap());
        let mut body = vec![0; len];
        tcp.read_exact(&mut body).await.ok()?;
        got.extend(body);
        Some(got)
    }

    fn post(url: &str, body: &'static str) -> http::Request<Bytes> {
        let mut r = http::Request::new(Bytes::from_static(body.as_bytes()));
        *r.method_mut() = http::Method::POST;
        *r.uri_mut() = url.parse().unwrap();
        let h = r.headers_mut();
        h.insert("host", "example.com".parse().unwrap());
        h.insert("x-amz-target", "Svc.Op".parse().unwrap());
        r
    }

    fn client() -> Http1Client {
        Http1Client::new(Some(Duration::from_secs(5))).unwrap()
    }

    fn io_text(e: &TransportError) -> String {
        match e {
            TransportError::Io(e) => e.to_string(),
            other => panic!("not an I/O error: {other:?}"),
        }
    }

    #[tokio::test]
    async fn requests_go_out_as_written_and_connections_are_kept_alive() {
        let ok = "HTTP/1.1 200 OK\r\nX-Amzn-RequestId: r1\r\nx-custom: \t v \r\ncontent-length: 2\r\n\r\n{}";
        let server = serve(vec![answer(ok), answer(ok), answer(ok)]).await;
        let c = client();
        let url = format!("http://{}/a?b=c", server.addr);
        for _ in 0..3 {
            let resp = c.send(post(&url, r#"{"k":1}"#), 1024).await.unwrap();
            assert_eq!(resp.status(), 200);
            assert_eq!(resp.version(), http::Version::HTTP_11);
            assert_eq!(resp.headers()["x-amzn-requestid"], "r1");
            assert_eq!(resp.headers()["x-custom"], "v");
            assert_eq!(resp.body().as_ref(), b"{}");
        }
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
        assert_eq!(c.idle_connections(), 1);
        let requests = server.requests.lock().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&requests[0]),
            "POST /a?b=c HTTP/1.1\r\nhost: example.com\r\nx-amz-target: Svc.Op\r\n\
             content-length: 7\r\n\r\n{\"k\":1}"
        );
    }

    /// Concurrent calls each take a connection of their own, and every connection goes
    /// back to the pool and is reused: no more connections than calls in flight.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_calls_share_the_pool() {
        let ok = answer("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
        let server = serve(vec![ok; 40]).await;
        let c = client();
        let url = format!("http://{}/", server.addr);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (c, url) = (c.clone(), url.clone());
                tokio::spawn(async move {
                    for _ in 0..5 {
                        let resp = c.send(post(&url, "{}"), 64).await.unwrap();
                        assert_eq!(resp.body().as_ref(), b"{}");
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let accepted = server.accepted.load(Ordering::SeqCst);
        assert!((1..=8).contains(&accepted), "{accepted} connections");
        assert_eq!(c.idle_connections(), accepted);
        assert_eq!(server.requests.lock().unwrap().len(), 40);
    }

    #[tokio::test]
    async fn chunked_bodies_in_any_pieces_with_extensions_and_trailers() {
        let chunked = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
                       4;ext=1\r\n{\"a\"\r\nb\r\n:\"0123456\"}\r\n0\r\nx-trailer: t\r\n\r\n";
        let trickled = Answer {
            trickle: true,
            ..answer(chunked)
        };
        let server = serve(vec![answer(chunked), trickled]).await;
        let c = client();
        let url = format!("http://{}/", server.addr);
        for _ in 0..2 {
            let resp = c.send(post(&url, "{}"), 1024).await.unwrap();
            assert_eq!(resp.body().as_ref(), br#"{"a":"0123456"}"#);
        }
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn interim_responses_are_skipped_and_bodiless_statuses_have_no_body() {
        let server = serve(vec![
            answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nx"),
            answer("HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n"),
            answer("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n"),
        ])
        .await;
        let c = client();
        let url = format!("http://{}/", server.addr);
        assert_eq!(
            c.send(post(&url, ""), 64).await.unwrap().body().as_ref(),
            b"x"
        );
        let resp = c.send(post(&url, ""), 64).await.unwrap();
        assert_eq!((resp.status().as_u16(), resp.body().len()), (204, 0));
        let mut head = post(&url, "");
        *head.method_mut() = http::Method::HEAD;
        let resp = c.send(head, 64).await.unwrap();
        assert_eq!((resp.status().as_u16(), resp.body().len()), (200, 0));
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
        // An empty body is sent without a length, as hyper sent it.
        let requests = server.requests.lock().unwrap();
        assert!(!String::from_utf8_lossy(&requests[0]).contains("content-length"));
    }

    #[tokio::test]
    async fn connections_that_end_are_not_reused() {
        let server = serve(vec![
            // Delimited by the end of the connection.
            Answer {
                close: true,
                ..answer("HTTP/1.1 200 OK\r\n\r\nuntil close")
            },
            // Announced.
            Answer {
                close: true,
                ..answer("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\n\r\n1")
            },
            // Closed by the server after a kept-alive answer, without a word.
            Answer {
                close: true,
                ..answer("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n2")
            },
            answer("HTTP/1.0 200 OK\r\ncontent-length: 1\r\n\r\n3"),
            answer("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n4"),
        ])
        .await;
        let c = client();
        let url = format!("http://{}/", server.addr);
        let mut bodies = Vec::new();
        for _ in 0..5 {
            bodies.push(c.send(post(&url, "{}"), 64).await.unwrap().into_body());
            // Time for the runtime to see the server's FIN.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(bodies, ["until close", "1", "2", "3", "4"]);
        // Each of the first four ended its connection (HTTP/1.0 without keep-alive too).
        assert_eq!(server.accepted.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_however_they_are_framed() {
        let server = serve(vec![
            answer("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n"),
            answer("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n67890\r\n0\r\n\r\n"),
            Answer {
                close: true,
                ..answer("HTTP/1.1 200 OK\r\n\r\n0123456789A")
            },
        ])
        .await;
        let c = client();
        let url = format!("http://{}/", server.addr);
        for _ in 0..3 {
            match c.send(post(&url, "{}"), 10).await {
                Err(TransportError::BodyTooLarge { limit: 10 }) => {}
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(c.idle_connections(), 0);
    }

    #[tokio::test]
    async fn broken_responses_are_errors_that_say_what_broke() {
        // Seventeen `100 Continue` heads before the answer.
        let continues = "HTTP/1.1 100 Continue\r\n\r\n".repeat(17) + "HTTP/1.1 200 OK\r\n\r\n";
        let cases = [
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort",
                "before the 10-byte body",
            ),
            ("HTTP/1.1 200 OK\r\ncontent-le", "before the response head"),
            ("<html>oops</html>\r\n\r\n", "malformed response head"),
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nxx",
                "conflicting",
            ),
            (
                "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
                "invalid content-length",
            ),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
                "invalid chunk size",
            ),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nabc\r\n",
                "longer than its size",
            ),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab",
                "body was complete",
            ),
            (
                "HTTP/1.1 101 Switching Protocols\r\n\r\n",
                "switched protocols",
            ),
            (&continues, "more than 16 interim"),
        ];
        let answers = cases.iter().map(|(a, _)| Answer {
            close: true,
            ..answer(a)
        });
        let server = serve(answers.collect()).await;
        let c = client();
        let url = format!("http://{}/", server.addr);
        for (response, want) in cases {
            let err = c.send(post(&url, "{}"), 1024).await.unwrap_err();
            let text = io_text(&err);
            assert!(text.contains(want), "{response:?}: {text}");
        }
        let fields = (0..200)
            .map(|i| format!("x-f{i}: v\r\n"))
            .collect::<String>();
        let many = format!("HTTP/1.1 200 OK\r\n{fields}\r\n");
        let huge = format!("HTTP/1.1 200 OK\r\nx-big: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        let server = serve(vec![answer(&many), answer(&huge)]).await;
        let url = format!("http://{}/", server.addr);
        let err = c.send(post(&url, "{}"), 1024).await.unwrap_err();
        assert!(io_text(&err).contains("more than 128 header fields"));
        let err = c.send(post(&url, "{}"), 1024).await.unwrap_err();
        assert!(io_text(&err).contains("larger than 65536 bytes"));
    }

    /// Every truncation of a chunked response, and every byte of it replaced by one of
    /// four others: each call ends, with a response or an error, and nothing panics.
    #[tokio::test]
    async fn every_truncation_and_byte_change_of_a_response_ends_cleanly() {
        let good = b"HTTP/1.1 200 OK\r\nx-amzn-requestid: r\r\ntransfer-encoding: chunked\r\n\r\n\
                     5;e=1\r\nhello\r\n3\r\n!!!\r\n0\r\nt: v\r\n\r\n";
        let mut variants = vec![good.to_vec()];
        for at in 0..good.len() {
            variants.push(good[..at].to_vec());
            for b in [b'\n', b'0', b'f', 0xff] {
                let mut v = good.to_vec();
                v[at] = b;
                variants.push(v);
            }
        }
        let answers = variants.iter().map(|v| Answer {
            bytes: v.clone(),
            trickle: false,
            close: true,
        });
        let server = serve(answers.collect()).await;
        // A fresh client each time: every answer gets a connection of its own.
        let url = format!("http://{}/", server.addr);
        let mut outcomes = [0usize; 2];
        for (i, _) in variants.iter().enumerate() {
            let c = client();
            let call = c.send(post(&url, "{}"), 1024);
            let result = tokio::time::timeout(Duration::from_secs(5), call).await;
            let result = result.unwrap_or_else(|_| panic!("variant {i} did not end"));
            if i == 0 {
                let body = result.as_ref().map(|r| r.body().clone());
                assert_eq!(body.unwrap().as_ref(), b"hello!!!");
            }
            outcomes[usize::from(result.is_err())] += 1;
        }
        // Most changes break the response; some (a header's letters) do not.
        assert!(outcomes[1] > variants.len() / 2, "{outcomes:?}");
    }

    #[tokio::test]
    async fn connection_failures_name_the_origin_and_keep_the_cause() {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let url = format!("http://{addr}/");
        let err = client().send(post(&url, "{}"), 64).await.unwrap_err();
        let TransportError::Connect(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.to_string(), format!("connecting to http://{addr}"));
        let io = e.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(
            io.map(io::Error::kind),
            Some(io::ErrorKind::ConnectionRefused)
        );
        for bad in ["ftp://example.com/", "/relative"] {
            let mut r = post("http://x/", "");
            *r.uri_mut() = bad.parse().unwrap();
            assert!(matches!(
                client().send(r, 64).await,
                Err(TransportError::Connect(_))
            ));
        }
    }

    /// Each address a name resolves to is tried in turn: a refused one does not end the
    /// attempt (IPv6 before IPv4, where only one of them answers).
    #[tokio::test]
    async fn the_next_address_is_tried_when_one_refuses() {
        let refused = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let open = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let good = open.local_addr().unwrap();
        let limit = Some(Duration::from_secs(5));
        let tcp = connect_any([refused, good], limit).await.unwrap();
        assert_eq!(tcp.peer_addr().unwrap(), good);
        let err = connect_any([refused], limit).await.unwrap_err().unwrap();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        assert!(connect_any([], limit).await.unwrap_err().is_none());
    }

    fn tls_server_config() -> Arc<rustls::ServerConfig> {
        use rustls::pki_types::pem::PemObject;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/tls");
        let cert = rustls::pki_types::CertificateDer::from_pem_file(format!("{dir}/cert.pem"));
        let key = rustls::pki_types::PrivateKeyDer::from_pem_file(format!("{dir}/key.pem"));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.unwrap()], key.unwrap())
            .unwrap();
        Arc::new(config)
    }

    fn test_cert() -> rustls::pki_types::CertificateDer<'static> {
        use rustls::pki_types::pem::PemObject;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/tls");
        rustls::pki_types::CertificateDer::from_pem_file(format!("{dir}/cert.pem")).unwrap()
    }

    /// Over TLS: a trusted server answers on one kept-alive connection; an untrusted one
    /// is a connect error; one that never completes its handshake hits the connect timeout.
    #[tokio::test]
    async fn tls_with_trusted_roots_and_a_bounded_handshake() {
        let acceptor = tokio_rustls::TlsAcceptor::from(tls_server_config());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut buf = [0u8; 4096];
                    while let Ok(n @ 1..) = tls.read(&mut buf).await {
                        assert!(buf[..n].ends_with(b"{}"));
                        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\ntls!";
                        tls.write_all(ok).await.unwrap();
                    }
                });
            }
        });
        let url = format!("https://localhost:{port}/");
        let trusted = Http1Client::with_roots(None, &[test_cert()]).unwrap();
        for _ in 0..2 {
            let resp = trusted.send(post(&url, "{}"), 64).await.unwrap();
            assert_eq!(resp.body().as_ref(), b"tls!");
        }
        assert_eq!(trusted.idle_connections(), 1);
        let err = client().send(post(&url, "{}"), 64).await.unwrap_err();
        let TransportError::Connect(e) = &err else {
            panic!("{err:?}")
        };
        let cause = e.source().map(|s| s.to_string()).unwrap_or_default();
        assert!(cause.contains("certificate"), "{cause}");

        // Accepts TCP, never says a word.
        let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://localhost:{}/", silent.local_addr().unwrap().port());
        let quick = Http1Client::with_roots(Some(Duration::from_millis(200)), &[]).unwrap();
        let err = quick.send(post(&url, "{}"), 64).await.unwrap_err();
        let TransportError::Connect(e) = &err else {
            panic!("{err:?}")
        };
        let io = e.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(io.map(io::Error::kind), Some(io::ErrorKind::TimedOut));
        drop(silent);
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let head = |h: &str| parse_head(h.as_bytes()).unwrap().unwrap().1;
        let f = |h: &str| framing(&head(h), false).unwrap();
        assert_eq!(
            f("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"),
            Framing::Length(5)
        );
        assert_eq!(
            f("HTTP/1.1 200 OK\r\ncontent-length: 5, 5\r\n\r\n"),
            Framing::Length(5)
        );
        assert_eq!(f("HTTP/1.1 200 OK\r\n\r\n"), Framing::UntilClose);
        // Transfer-Encoding wins over Content-Length; only a final `chunked` is chunked.
        let te = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: gzip, Chunked\r\n\r\n";
        assert_eq!(f(te), Framing::Chunked);
        let te = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\n";
        assert_eq!(f(te), Framing::UntilClose);
        assert_eq!(
            f("HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\n"),
            Framing::None
        );
        assert!(framing(
            &head("HTTP/1.1 200 OK\r\ncontent-length: +5\r\n\r\n"),
            false
        )
        .is_err());
        assert_eq!(chunk_size(b"fF ; name=value").unwrap(), 255);
        assert!(chunk_size(b"").is_err());
        assert!(chunk_size(b"1ffffffffffffffff").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n")
            .unwrap()
            .is_none());
    }
}
