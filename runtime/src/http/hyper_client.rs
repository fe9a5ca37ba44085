//! The transport of the `http2` feature: hyper's pooled client over rustls, HTTP/2 by ALPN
//! where the server offers it, HTTP/1.1 otherwise.

use super::{HttpClient, TransportError};
use crate::BoxFuture;
use bytes::Bytes;
use std::fmt;
use std::time::Duration;

type HyperInner = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<Bytes>,
>;

/// The default transport with the `http2` feature: hyper's pooled client (keep-alive) over
/// rustls, offering HTTP/2 and HTTP/1.1 by ALPN.
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
    /// A client with the given connect timeout (TCP only), speaking HTTP/2 or HTTP/1.1 over
    /// TLS, as the server chooses by ALPN, and HTTP/1.1 over plain `http://` (for local
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
        // hyper-rustls sets the ALPN protocols itself.
        let tls = super::tls_config(extra_roots, &[])?;
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let inner =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_idle_timeout(Duration::from_secs(90))
                // HTTP/1.1 connections get `Host` back from the URI (see `send`).
                .set_host(true)
                .build(https);
        Ok(HyperClient { inner })
    }
}

impl HttpClient for HyperClient {
    fn send(
        &self,
        request: http::Request<Bytes>,
        max_body: usize,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            // The connection decides: hyper-util adds `Host` back from the URI on HTTP/1.1
            // ones, and an HTTP/2 one carries it as `:authority` only.
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
