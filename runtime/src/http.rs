//! The HTTP transport: a trait, so users and tests can plug their own, and a default
//! implementation on hyper with rustls (ring crypto, webpki roots): HTTP/1.1, and HTTP/2
//! by ALPN with the `http2` feature; one TLS stack, nothing to build but Rust and a C
//! compiler for `ring`.

use crate::BoxFuture;
use bytes::Bytes;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A boxed error from a transport.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a transport could not deliver a request or read its response.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (DNS, TCP refused or timed out, TLS handshake).
    Connect(BoxError),
    /// The connection failed while sending the request or reading the response.
    Io(BoxError),
    /// The response body is larger than the limit.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl fmt::Display for TransportError {
    /// What failed, without the cause: that is the error's [`source`](std::error::Error::source)
    /// (walk the chain, or print it with `{:#}` in `anyhow`, to reach the `io::Error`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Connect(_) => f.write_str("connection failed"),
            TransportError::Io(_) => f.write_str(
                "the connection failed while sending the request or reading the response",
            ),
            TransportError::BodyTooLarge { limit } => {
                write!(f, "response body is larger than the {limit}-byte limit")
            }
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransportError::Connect(e) | TransportError::Io(e) => Some(e.as_ref()),
            TransportError::BodyTooLarge { .. } => None,
        }
    }
}

/// An error and its sources, joined with `: ` (hyper's errors say little on their own).
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

/// Sends one HTTP request and reads the whole response (up to `max_body` bytes).
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request`; the body of the returned response is complete.
    fn send(
        &self,
        request: http::Request<Bytes>,
        max_body: usize,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
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
        request: http::Request<Bytes>,
        max_body: usize,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.0.send(request, max_body)
    }
}

type HyperInner = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<Bytes>,
>;

/// The default transport: hyper's pooled client (keep-alive) over rustls.
#[derive(Clone)]
pub struct HyperClient {
    inner: HyperInner,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient").finish_non_exhaustive()
    }
}

impl HyperClient {
    /// A client with the given connect timeout, speaking HTTP/1.1 over TLS (and HTTP/2, by
    /// ALPN, with the `http2` feature), and HTTP/1.1 over plain `http://` (for local
    /// endpoints). Fails only if the TLS library rejects its own default settings.
    pub fn new(connect_timeout: Option<Duration>) -> Result<Self, rustls::Error> {
        Self::with_roots(connect_timeout, &[])
    }

    /// [`new`](Self::new), trusting these certificates too (a corporate proxy's root,
    /// from `ca_bundle` / `AWS_CA_BUNDLE`).
    pub fn with_roots(
        connect_timeout: Option<Duration>,
        extra_roots: &[rustls::pki_types::CertificateDer<'static>],
    ) -> Result<Self, rustls::Error> {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(connect_timeout);
        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for cert in extra_roots {
            roots.add(cert.clone())?;
        }
        #[cfg(feature = "native-roots")]
        add_native_roots(&mut roots);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1();
        #[cfg(feature = "http2")]
        let https = https.enable_http2();
        let https = https.wrap_connector(http);
        let inner =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_idle_timeout(Duration::from_secs(90))
                // The request carries the `Host` it was signed with (see `send`).
                .set_host(cfg!(feature = "http2"))
                .build(https);
        Ok(HyperClient { inner })
    }
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

impl HttpClient for HyperClient {
    fn send(
        &self,
        request: http::Request<Bytes>,
        max_body: usize,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            // With HTTP/2 possible, the connection decides: hyper-util adds `Host` back from
            // the URI on HTTP/1.1 ones, and an HTTP/2 one carries it as `:authority` only.
            #[cfg(feature = "http2")]
            let parts = {
                let mut parts = parts;
                parts.headers.remove(http::header::HOST);
                parts
            };
            let req = http::Request::from_parts(parts, http_body_util::Full::new(body));
            let resp = self.inner.request(req).await.map_err(|e| {
                if e.is_connect() {
                    TransportError::Connect(Box::new(e))
                } else {
                    TransportError::Io(Box::new(e))
                }
            })?;
            let (parts, body) = resp.into_parts();
            if let Some(len) = parts
                .headers
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            {
                if len > max_body as u64 {
                    return Err(TransportError::BodyTooLarge { limit: max_body });
                }
            }
            let limited = http_body_util::Limited::new(body, max_body);
            let bytes = match http_body_util::BodyExt::collect(limited).await {
                Ok(c) => c.to_bytes(),
                Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                    return Err(TransportError::BodyTooLarge { limit: max_body })
                }
                Err(e) => return Err(TransportError::Io(e)),
            };
            Ok(http::Response::from_parts(parts, bytes))
        })
    }
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
        assert!(super::HyperClient::new(None).is_ok());
    }
}
