//! The HTTP transport: a trait, so users and tests can plug their own, and the default,
//! [`HyperClient`]: hyper-util's pooled client on tokio with rustls (ring crypto, webpki
//! roots), HTTP/2 by ALPN (feature `http2`, on by default) or HTTP/1.1, proxies
//! ([`ProxyConfig`]), a connect timeout and a read timeout between bytes. Bodies are
//! [`ByteStream`]s both ways, so nothing has to be held whole in memory.
//! One TLS stack, nothing to build but Rust and a C compiler for `ring`.

use crate::{BoxFuture, ByteStream};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod connect;
mod hyper_client;
mod proxy;

pub use hyper_client::{HyperClient, HyperClientBuilder};
pub use proxy::{ProxyConfig, ProxyConfigBuilder};

/// A boxed error from a transport.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The default connect timeout: 3.1 s, botocore's standard defaults.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The default read timeout between bytes: 60 s, botocore's `read_timeout`.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a transport could not deliver a request or read its response.
///
/// `Display` says where it went and what failed (`connecting to
/// dms.us-east-1.amazonaws.com:443: connection refused`); the source chain goes on below
/// that, never repeating it (the `io::Error` is reachable by `downcast_ref`).
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (DNS, TCP refused or timed out, TLS handshake, proxy).
    Connect(BoxError),
    /// The connection failed while sending the request or reading the response.
    Io(BoxError),
    /// The response body is larger than the limit.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The request's own body failed (a file that could not be read, a stream that
    /// broke or ended before its declared length); not retried.
    RequestBody(BoxError),
    /// The request body was read by an attempt that failed, and cannot be read again
    /// (a one-shot stream): the request was not retried. The attempt's error is the
    /// source.
    NotReplayable(BoxError),
}

impl fmt::Display for TransportError {
    /// What failed, and where; the cause below that is the error's
    /// [`source`](std::error::Error::source).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Connect(e) | TransportError::Io(e) | TransportError::RequestBody(e) => {
                write!(f, "{e}")
            }
            TransportError::BodyTooLarge { limit } => {
                write!(f, "response body is larger than the {limit}-byte limit")
            }
            TransportError::NotReplayable(_) => f.write_str(
                "the attempt failed after its request body was read, and the body (a one-shot stream) cannot be sent again",
            ),
        }
    }
}

impl std::error::Error for TransportError {
    /// Transparent for the variants that display their error: the chain goes on with
    /// that error's own source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransportError::Connect(e) | TransportError::Io(e) | TransportError::RequestBody(e) => {
                e.source()
            }
            TransportError::NotReplayable(e) => Some(e.as_ref()),
            TransportError::BodyTooLarge { .. } => None,
        }
    }
}

/// What a transport was doing when it failed, and why, in one line; below it the
/// `io::Error` (when that is the cause), so that its kind can be read.
#[derive(Debug)]
pub struct HttpError {
    text: String,
    source: Option<std::io::Error>,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// `doing: why` from an error chain: each layer's text that says something (hyper-util's
/// generic wrappers left out, none repeated), the final `io::Error` by its kind (kept
/// below as the source). A timed-out read names the read timeout.
pub(crate) fn describe(
    doing: &str,
    e: impl Into<BoxError>,
    read_timeout: Option<Duration>,
) -> BoxError {
    let e: BoxError = e.into();
    let mut parts: Vec<String> = Vec::new();
    let mut io_kind = None;
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e.as_ref());
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            match io.get_ref() {
                None => {
                    io_kind = Some(io.kind());
                    break;
                }
                // An `io::Error` around another error shows that error's text, and its
                // `source` skips it: go on with the error it holds.
                Some(inner) => {
                    cur = Some(inner as &(dyn std::error::Error + 'static));
                    continue;
                }
            }
        }
        let text = err.to_string();
        let generic = text.starts_with("client error (")
            || text == "tcp connect error"
            || text == "error trying to connect";
        if !generic && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = err.source();
    }
    let mut text = String::from(doing);
    for p in &parts {
        text.push_str(": ");
        text.push_str(p);
    }
    let source = io_kind.map(|kind| {
        text.push_str(": ");
        match (kind, read_timeout) {
            (std::io::ErrorKind::TimedOut, Some(t)) if !doing.starts_with("connecting") => {
                text.push_str(&format!("no data for {t:?} (the read timeout)"));
            }
            _ => text.push_str(&io_kind_text(kind)),
        }
        // The `io::Error` itself, rebuilt from its kind and text (the original is
        // borrowed from the chain that is dropped here).
        let original = chain_io(e.as_ref());
        std::io::Error::new(kind, original)
    });
    Box::new(HttpError { text, source })
}

/// The text of the first `io::Error` in the chain.
fn chain_io(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io.to_string();
        }
        cur = err.source();
    }
    String::new()
}

/// An `io::ErrorKind` as words.
fn io_kind_text(kind: std::io::ErrorKind) -> String {
    use std::io::ErrorKind as K;
    match kind {
        K::ConnectionRefused => "connection refused".into(),
        K::ConnectionReset => "connection reset by the peer".into(),
        K::ConnectionAborted => "connection aborted".into(),
        K::TimedOut => "timed out".into(),
        K::UnexpectedEof => "the connection closed early".into(),
        K::BrokenPipe => "the peer closed the connection".into(),
        K::AddrNotAvailable => "address not available".into(),
        other => other.to_string(),
    }
}

/// An error and its sources, joined with `: ` (a transport's errors say little on their own).
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = inner.source();
    }
    s
}

/// Sends one HTTP request and returns the response as soon as its head has arrived: the
/// body is read as the caller reads it.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request`, streaming its body.
    fn send(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>>;
}

/// A shared, cloneable transport.
#[derive(Clone, Debug)]
pub struct SharedHttpClient(Arc<dyn HttpClient>);

impl SharedHttpClient {
    /// Wraps a transport.
    pub fn new(c: impl HttpClient + 'static) -> Self {
        SharedHttpClient(Arc::new(c))
    }
}

impl HttpClient for SharedHttpClient {
    fn send(
        &self,
        request: http::Request<ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<ByteStream>, TransportError>> {
        self.0.send(request)
    }
}

/// Sends `request` and reads the whole response, refusing a body over `max_body` bytes
/// (for the small documents the credential providers fetch).
pub(crate) async fn send_collect(
    http: &dyn HttpClient,
    request: http::Request<impl Into<ByteStream>>,
    max_body: usize,
) -> Result<http::Response<bytes::Bytes>, TransportError> {
    let resp = http.send(request.map(Into::into)).await?;
    let (parts, body) = resp.into_parts();
    let body = collect_body(body, max_body).await?;
    Ok(http::Response::from_parts(parts, body))
}

/// A response body, whole, up to `max_body` bytes.
pub(crate) async fn collect_body(
    body: ByteStream,
    max_body: usize,
) -> Result<bytes::Bytes, TransportError> {
    body.collect(max_body).await.map_err(|e| {
        if e.is_too_large() {
            TransportError::BodyTooLarge { limit: max_body }
        } else {
            TransportError::Io(e.into_inner())
        }
    })
}

/// The default transport, [`HyperClient`]: `connect_timeout` bounds establishing a
/// connection, `extra_roots` are trusted besides the bundled roots (and the system's,
/// with `native-roots`), the read timeout is the default, and the proxies are the
/// environment's.
pub fn default_client(
    connect_timeout: Option<Duration>,
    extra_roots: &[rustls::pki_types::CertificateDer<'static>],
) -> Result<SharedHttpClient, rustls::Error> {
    HyperClient::with_roots(connect_timeout, extra_roots).map(SharedHttpClient::new)
}

/// The TLS settings of the transport: ring, the safe default protocol versions, the
/// webpki roots with `extra_roots` (and the system's, with `native-roots`).
fn tls_config(
    extra_roots: &[rustls::pki_types::CertificateDer<'static>],
) -> Result<rustls::ClientConfig, rustls::Error> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in extra_roots {
        roots.add(cert.clone())?;
    }
    #[cfg(feature = "native-roots")]
    add_native_roots(&mut roots);
    // ring, deliberately: it builds without a C toolchain or cmake (aws-lc-rs needs
    // both). rustls 0.23.48 deprecates ring's provider for lacking post-quantum key
    // exchange, which ring does not offer.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// The operating system's trusted certificates (feature `native-roots`). Certificates
/// the store holds but rustls cannot use are skipped, as the official SDK does; how many
/// were added and skipped is logged at `debug`.
#[cfg(feature = "native-roots")]
fn add_native_roots(roots: &mut rustls::RootCertStore) {
    let found = rustls_native_certs::load_native_certs();
    let (added, skipped) = roots.add_parsable_certificates(found.certs);
    tracing::debug!(
        added,
        skipped,
        load_errors = found.errors.len(),
        "trusting the operating system's certificate store"
    );
}

#[cfg(all(test, feature = "native-roots"))]
mod native_roots_tests {
    #[test]
    fn the_operating_system_store_is_trusted() {
        // rustls-native-certs reads SSL_CERT_FILE and SSL_CERT_DIR instead of the
        // platform's store when they are set: point it at the test root alone.
        let pem = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/ca/test-root.pem"
        );
        std::env::set_var("SSL_CERT_FILE", pem);
        std::env::remove_var("SSL_CERT_DIR");
        let mut roots = rustls::RootCertStore::empty();
        super::add_native_roots(&mut roots);
        assert_eq!(roots.len(), 1);
        assert!(super::default_client(None, &[]).is_ok());
    }
}
