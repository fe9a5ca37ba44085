//! The default transport: hyper-util's pooled client over rustls, HTTP/2 by ALPN where the
//! endpoint offers it (feature `http2`, on by default), HTTP/1.1 otherwise; proxies from
//! the environment or the configuration; a connect timeout and a read timeout between
//! bytes; streaming bodies both ways.

use super::connect::{Connector, Direct};
use super::{describe, HttpClient, ProxyConfig, TransportError};
use crate::{BoxFuture, ByteStream};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

type HyperInner =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<Connector>, ByteStream>;

/// The default transport: hyper's pooled client (keep-alive) over rustls (ring, webpki
/// roots), offering HTTP/2 and HTTP/1.1 by ALPN.
#[derive(Clone)]
pub struct HyperClient {
    inner: HyperInner,
    proxy: ProxyConfig,
    read_timeout: Option<Duration>,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient")
            .field("proxy", &self.proxy)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

/// How a [`HyperClient`] is built.
#[derive(Clone, Debug)]
pub struct HyperClientBuilder {
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    proxy: Option<ProxyConfig>,
}

impl Default for HyperClientBuilder {
    fn default() -> Self {
        HyperClientBuilder {
            connect_timeout: Some(super::DEFAULT_CONNECT_TIMEOUT),
            read_timeout: Some(super::DEFAULT_READ_TIMEOUT),
            extra_roots: Vec::new(),
            proxy: None,
        }
    }
}

impl HyperClientBuilder {
    /// Bounds establishing a connection (the name lookup, TCP and, where the address
    /// family has two, Happy Eyeballs between them); TLS is bounded by the read timeout.
    pub fn connect_timeout(mut self, t: Option<Duration>) -> Self {
        self.connect_timeout = t;
        self
    }

    /// Bounds each wait for the socket (botocore's `read_timeout`): a download that keeps
    /// receiving never times out; one that stalls this long fails.
    pub fn read_timeout(mut self, t: Option<Duration>) -> Self {
        self.read_timeout = t;
        self
    }

    /// Trusts these certificates besides the bundled roots (`ca_bundle`).
    pub fn extra_roots(mut self, roots: &[rustls::pki_types::CertificateDer<'static>]) -> Self {
        self.extra_roots = roots.to_vec();
        self
    }

    /// The proxies; unset, [`ProxyConfig::from_env`].
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// The client. Fails only if the TLS library refuses the settings (an extra root it
    /// cannot use).
    pub fn build(self) -> Result<HyperClient, rustls::Error> {
        let proxy = self.proxy.unwrap_or_else(ProxyConfig::from_env);
        let direct = Direct::new(self.connect_timeout, self.read_timeout);
        let connector = Connector::new(direct, proxy.clone());
        // hyper-rustls sets the ALPN protocols itself.
        let tls = super::tls_config(&self.extra_roots)?;
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1();
        #[cfg(feature = "http2")]
        let https = https.enable_http2();
        let https = https.wrap_connector(connector);
        let inner =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_idle_timeout(Duration::from_secs(90))
                .pool_timer(hyper_util::rt::TokioTimer::new())
                // HTTP/1.1 connections get `Host` back from the URI (see `send`).
                .set_host(true)
                .build(https);
        Ok(HyperClient {
            inner,
            proxy,
            read_timeout: self.read_timeout,
        })
    }
}

impl HyperClient {
    /// A client with the given connect timeout, the default read timeout, and the proxies
    /// of the environment.
    pub fn new(connect_timeout: Option<Duration>) -> Result<Self, rustls::Error> {
        Self::builder().connect_timeout(connect_timeout).build()
    }

    /// A builder.
    pub fn builder() -> HyperClientBuilder {
        HyperClientBuilder::default()
    }

    /// [`new`](Self::new), trusting these certificates too (a corporate proxy's root,
    /// from `ca_bundle` / `AWS_CA_BUNDLE`).
    pub fn with_roots(
        connect_timeout: Option<Duration>,
        extra_roots: &[rustls::pki_types::CertificateDer<'static>],
    ) -> Result<Self, rustls::Error> {
        Self::builder()
            .connect_timeout(connect_timeout)
            .extra_roots(extra_roots)
            .build()
    }
}

impl HttpClient for HyperClient {
    fn send(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let origin = Origin::of(&parts.uri);
            // The connection decides: hyper-util adds `Host` back from the URI on HTTP/1.1
            // ones, and an HTTP/2 one carries it as `:authority` only.
            parts.headers.remove(http::header::HOST);
            if self.proxy.forwards_http() && parts.uri.scheme_str() == Some("http") {
                // A forward proxy reads its credentials from each request; a tunnel's
                // are sent with `CONNECT` by the connector.
                if let Some(auth) = self
                    .proxy
                    .intercept(&parts.uri)
                    .and_then(|i| i.basic_auth().cloned())
                {
                    parts
                        .headers
                        .insert(http::header::PROXY_AUTHORIZATION, auth);
                }
            }
            let mut req = http::Request::from_parts(parts, body);
            let gate = expect_continue(&mut req);
            let resp = self.inner.request(req).await.map_err(|e| {
                let timeout = self.read_timeout;
                if e.is_connect() {
                    TransportError::Connect(describe(
                        &format!("connecting to {origin}"),
                        e,
                        timeout,
                    ))
                } else if is_request_body_error(&e) {
                    TransportError::RequestBody(describe(
                        &format!("sending the request body to {origin}"),
                        e,
                        None,
                    ))
                } else {
                    TransportError::Io(describe(&format!("talking to {origin}"), e, timeout))
                }
            })?;
            if resp.status().is_informational() {
                // hyper skips `100 Continue`; any other interim status as the final
                // answer (`101 Switching Protocols`) is nothing an AWS client can read.
                let what = format!(
                    "the server answered {} as its final response",
                    resp.status()
                );
                let doing = format!("talking to {origin}");
                return Err(TransportError::Io(describe(&doing, what, None)));
            }
            if let Some(g) = &gate {
                g.move_to(&[Phase::Waiting], Phase::Refused);
            }
            let (parts, body) = resp.into_parts();
            let len = http_body::Body::size_hint(&body).exact();
            let body = ResponseBody {
                inner: body,
                origin,
                read_timeout: self.read_timeout,
                gate,
            };
            Ok(http::Response::from_parts(
                parts,
                ByteStream::from_body(body, len),
            ))
        })
    }
}

/// Where a request went, as errors name it (`host:port`); kept as the URI's parts, so
/// that nothing is formatted unless an error needs it.
#[derive(Clone)]
struct Origin {
    authority: Option<http::uri::Authority>,
    https: bool,
}

impl Origin {
    fn of(uri: &http::Uri) -> Self {
        Origin {
            authority: uri.authority().cloned(),
            https: uri.scheme_str() == Some("https"),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(a) = &self.authority else {
            return f.write_str("(no host)");
        };
        let port = a.port_u16().unwrap_or(if self.https { 443 } else { 80 });
        write!(f, "{}:{port}", a.host())
    }
}

/// Whether the request failed because its own body did (a file that vanished, a stream
/// that broke or ended early): not a transport fault, and not worth a retry.
fn is_request_body_error(e: &hyper_util::client::legacy::Error) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<crate::byte_stream::ByteStreamError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// A response body whose errors say where they came from.
struct ResponseBody {
    inner: hyper::body::Incoming,
    origin: Origin,
    read_timeout: Option<Duration>,
    /// The request body's `100 Continue` gate: once this body is read (or dropped), a
    /// request body the server refused may fail and close the connection.
    gate: Option<Arc<Gate>>,
}

impl Drop for ResponseBody {
    fn drop(&mut self) {
        if let Some(g) = &self.gate {
            g.move_to(&[Phase::Refused], Phase::Closed);
        }
    }
}

impl http_body::Body for ResponseBody {
    type Data = bytes::Bytes;
    type Error = super::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, super::BoxError>>> {
        let this = &mut *self;
        let frame = std::pin::Pin::new(&mut this.inner)
            .poll_frame(cx)
            .map_err(|e| {
                let doing = format!("reading the response from {}", this.origin);
                describe(&doing, e, this.read_timeout)
            });
        if let (std::task::Poll::Ready(None), Some(g)) = (&frame, &this.gate) {
            g.move_to(&[Phase::Refused], Phase::Closed);
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// How long a body waits for `100 Continue` before it is sent anyway (curl's 1 s; a
/// server may ignore `Expect`, and HTTP/2 connections do not report interim responses).
const CONTINUE_TIMEOUT: Duration = Duration::from_secs(1);

/// `Expect: 100-continue`: the body is held until the server says `100 Continue` (or
/// stays silent for [`CONTINUE_TIMEOUT`]). A final answer that comes first (a 413, a 403)
/// is returned whole, and the body is then never sent: it fails, which makes hyper close
/// the connection instead of reusing it.
#[derive(Default)]
struct Gate {
    state: std::sync::Mutex<(Phase, Option<std::task::Waker>)>,
}

#[derive(Clone, Copy, Default, PartialEq, Debug)]
enum Phase {
    #[default]
    Waiting,
    Go,
    /// A final response came first; the body waits until it has been read.
    Refused,
    /// ... and it has: the body fails.
    Closed,
}

impl Gate {
    fn move_to(&self, from: &[Phase], to: Phase) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if from.contains(&state.0) {
            state.0 = to;
            if let Some(w) = state.1.take() {
                w.wake();
            }
        }
    }
}

/// A request body behind a [`Gate`].
struct GatedBody {
    inner: ByteStream,
    gate: Arc<Gate>,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl http_body::Body for GatedBody {
    type Data = bytes::Bytes;
    type Error = super::BoxError;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, super::BoxError>>> {
        use std::task::Poll;
        let this = &mut *self;
        loop {
            let phase = {
                let mut state = this
                    .gate
                    .state
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if state.0 != Phase::Go {
                    state.1 = Some(cx.waker().clone());
                }
                state.0
            };
            match phase {
                Phase::Go => {
                    return std::pin::Pin::new(&mut this.inner)
                        .poll_frame(cx)
                        .map_err(Into::into)
                }
                Phase::Waiting => match std::future::Future::poll(this.timer.as_mut(), cx) {
                    Poll::Ready(()) => this.gate.move_to(&[Phase::Waiting], Phase::Go),
                    Poll::Pending => return Poll::Pending,
                },
                Phase::Refused => return Poll::Pending,
                Phase::Closed => {
                    return Poll::Ready(Some(Err(
                        "the server answered before `100 Continue`: the body is not sent".into(),
                    )))
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Puts `request`'s body behind a gate when it asks for `Expect: 100-continue`.
fn expect_continue(request: &mut http::Request<ByteStream>) -> Option<Arc<Gate>> {
    let expects = request
        .headers()
        .get(http::header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if !expects || request.body().is_empty() {
        return None;
    }
    let gate = Arc::new(Gate::default());
    let inner = std::mem::take(request.body_mut());
    let len = inner.len();
    let gated = GatedBody {
        inner,
        gate: gate.clone(),
        timer: Box::pin(tokio::time::sleep(CONTINUE_TIMEOUT)),
    };
    *request.body_mut() = ByteStream::from_body(gated, len);
    let on_100 = gate.clone();
    hyper::ext::on_informational(request, move |res| {
        if res.status() == http::StatusCode::CONTINUE {
            on_100.move_to(&[Phase::Waiting], Phase::Go);
        }
    });
    Some(gate)
}
