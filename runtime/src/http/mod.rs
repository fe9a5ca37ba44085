//! The HTTP transport: a trait, so users and tests can plug their own, and the default:
//! [`Http1Client`], HTTP/1.1 of our own on tokio with rustls (ring crypto, webpki roots),
//! or with the `http2` feature `HyperClient`, hyper's client offering HTTP/2 by ALPN.
//! One TLS stack, nothing to build but Rust and a C compiler for `ring`.

use crate::BoxFuture;
use bytes::Bytes;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod h1;
#[cfg(feature = "http2")]
mod hyper_client;

pub use h1::Http1Client;
#[cfg(feature = "http2")]
pub use hyper_client::HyperClient;

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

/// The default transport: `HyperClient` with the `http2` feature, [`Http1Client`]
/// without; `connect_timeout` bounds establishing a connection, `extra_roots` are trusted
/// besides the bundled roots (and the system's, with `native-roots`).
pub fn default_client(
    connect_timeout: Option<Duration>,
    extra_roots: &[rustls::pki_types::CertificateDer<'static>],
) -> Result<SharedHttpClient, rustls::Error> {
    #[cfg(feature = "http2")]
    let client = HyperClient::with_roots(connect_timeout, extra_roots)?;
    #[cfg(not(feature = "http2"))]
    let client = Http1Client::with_roots(connect_timeout, extra_roots)?;
    Ok(SharedHttpClient::new(client))
}

/// The TLS settings of both transports: ring, the safe default protocol versions, the
/// webpki roots with `extra_roots` (and the system's, with `native-roots`), these ALPN
/// protocols.
fn tls_config(
    extra_roots: &[rustls::pki_types::CertificateDer<'static>],
    alpn: &[&[u8]],
) -> Result<rustls::ClientConfig, rustls::Error> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for cert in extra_roots {
        roots.add(cert.clone())?;
    }
    #[cfg(feature = "native-roots")]
    add_native_roots(&mut roots);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(tls)
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
