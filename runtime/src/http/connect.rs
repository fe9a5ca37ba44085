//! How the transport reaches an endpoint: hyper-util's `HttpConnector` (name lookup,
//! Happy Eyeballs between IPv6 and IPv4, the connect timeout), the socket wrapped in a
//! read and write timeout between bytes ([`Stalled`]), and the proxy when one applies: a
//! forward proxy for `http://` endpoints, a `CONNECT` tunnel (hyper-util's `Tunnel`) for
//! `https://` ones, with TLS to the endpoint on top (`hyper-rustls`).

use super::proxy::ProxyConfig;
use super::BoxError;
use crate::BoxFuture;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpStream;
use tower_service::Service;

/// A TCP connection with read and write timeouts, as hyper reads and writes it.
pub(crate) struct Conn {
    io: TokioIo<Stalled<TcpStream>>,
    /// Through a forward proxy: HTTP/1 requests are sent in absolute form.
    proxied: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        Connected::new().proxy(self.proxied)
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

/// Opens TCP connections to where a URI says, with the socket's timeouts.
#[derive(Clone)]
pub(crate) struct Direct {
    tcp: HttpConnector,
    read_timeout: Option<Duration>,
}

impl Direct {
    pub(crate) fn new(connect_timeout: Option<Duration>, read_timeout: Option<Duration>) -> Self {
        let mut tcp = HttpConnector::new();
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        tcp.set_connect_timeout(connect_timeout);
        // Happy Eyeballs (RFC 6555): the second address family after 300 ms.
        tcp.set_happy_eyeballs_timeout(Some(Duration::from_millis(300)));
        Direct { tcp, read_timeout }
    }

    fn open(&self, dst: http::Uri, proxied: bool) -> BoxFuture<'static, Result<Conn, BoxError>> {
        let mut tcp = self.tcp.clone();
        let timeout = self.read_timeout;
        Box::pin(async move {
            std::future::poll_fn(|cx| tcp.poll_ready(cx)).await?;
            let stream = tcp.call(dst).await?.into_inner();
            // Between bytes, as botocore's `read_timeout` bounds each socket operation.
            Ok(Conn {
                io: TokioIo::new(Stalled::new(stream, timeout)),
                proxied,
            })
        })
    }
}

impl Service<http::Uri> for Direct {
    type Response = Conn;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<Conn, BoxError>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        self.open(dst, false)
    }
}

/// The connector under TLS: direct, or through the proxy `ProxyConfig` names for the URI.
#[derive(Clone)]
pub(crate) struct Connector {
    direct: Direct,
    proxy: ProxyConfig,
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl Connector {
    pub(crate) fn new(direct: Direct, proxy: ProxyConfig) -> Self {
        Connector { direct, proxy }
    }
}

/// Why no connection to a proxy could be used.
#[derive(Debug)]
pub(crate) struct ProxyError {
    what: String,
    source: Option<BoxError>,
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for ProxyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

impl Service<http::Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<Conn, BoxError>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let Some(intercept) = self.proxy.intercept(&dst) else {
            return self.direct.open(dst, false);
        };
        let proxy = intercept.uri().clone();
        let shown = proxy
            .authority()
            .map_or_else(String::new, |a| a.to_string());
        if proxy.scheme_str() != Some("http") {
            let what = format!(
                "proxy {}://{shown}: only http:// proxies are supported",
                proxy.scheme_str().unwrap_or("")
            );
            return Box::pin(async move { Err(ProxyError { what, source: None }.into()) });
        }
        if dst.scheme_str() == Some("http") {
            // A forward proxy: the request goes to it, its URI in absolute form.
            let open = self.direct.open(proxy, true);
            return Box::pin(async move {
                open.await.map_err(|e| {
                    let what = format!("connecting to the proxy {shown}");
                    ProxyError {
                        what,
                        source: Some(e),
                    }
                    .into()
                })
            });
        }
        let mut tunnel =
            hyper_util::client::legacy::connect::proxy::Tunnel::new(proxy, self.direct.clone());
        if let Some(auth) = intercept.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        Box::pin(async move {
            tunnel.call(dst).await.map_err(|e| {
                let what = format!("through the proxy {shown}");
                ProxyError {
                    what,
                    source: Some(Box::new(e)),
                }
                .into()
            })
        })
    }
}

/// A stream whose reads and writes fail with `TimedOut` once one has waited `timeout`
/// without progress: botocore's `read_timeout`, which bounds each socket operation.
///
/// The timer is armed once and moved only when it fires early (at most once per
/// `timeout`), instead of being reset at every wait: `tokio-io-timeout`, which resets it
/// whenever a read or write is pending, cost 7 µs of latency and 9 µs of CPU per small
/// call on this project's machine (`bench/compare.py`'s DeleteConnection, 8 alternating
/// runs: p50 125.2 against 118.4 µs without any timeout, the floor 115.5).
pub(crate) struct Stalled<S> {
    inner: S,
    timeout: Option<std::time::Duration>,
    /// When the pending read, and the pending write, started waiting.
    reading: Option<tokio::time::Instant>,
    writing: Option<tokio::time::Instant>,
    /// Armed at the earliest deadline of a wait it was last checked for.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> Stalled<S> {
    pub(crate) fn new(inner: S, timeout: Option<std::time::Duration>) -> Self {
        Stalled {
            inner,
            timeout,
            reading: None,
            writing: None,
            timer: None,
        }
    }

    /// A wait that is still pending: fails it once it has lasted the timeout, else makes
    /// sure the timer will wake the task by its deadline.
    fn check(&mut self, write: bool, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let Some(timeout) = self.timeout else {
            return Poll::Pending;
        };
        let now = tokio::time::Instant::now();
        let since = if write {
            &mut self.writing
        } else {
            &mut self.reading
        };
        let started = *since.get_or_insert(now);
        let deadline = started + timeout;
        if now >= deadline {
            *since = None;
            return Poll::Ready(Err(std::io::ErrorKind::TimedOut.into()));
        }
        let earliest = [self.reading, self.writing]
            .into_iter()
            .flatten()
            .map(|s| s + timeout)
            .min()
            .unwrap_or(deadline);
        if earliest <= now {
            // The other direction's wait has run out: let it find out when polled.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(earliest)));
        // A timer set for an earlier wait that ended fires early once; it is moved then,
        // not at every wait.
        while std::future::Future::poll(timer.as_mut(), cx).is_ready() {
            timer.as_mut().reset(earliest);
        }
        Poll::Pending
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Stalled<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.reading = None;
                Poll::Ready(r)
            }
            Poll::Pending => this.check(false, cx),
        }
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Stalled<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                this.writing = None;
                Poll::Ready(r)
            }
            Poll::Pending => this.check(true, cx).map(|r| r.map(|()| 0)),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => {
                this.writing = None;
                Poll::Ready(r)
            }
            Poll::Pending => this.check(true, cx).map(|r| r.map(|()| 0)),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
