//! The `http2` feature: HTTP/2 by ALPN over TLS, against a local server on 127.0.0.1 that
//! speaks only HTTP/2 (with a self-signed certificate in `tests/data/tls/`, trusted
//! through `HyperClient::with_roots`, as `ca_bundle` does). Run by `.ci/run` with
//! `--features http2`.
#![cfg(feature = "http2")]

mod common;

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired,
};
use bytes::Bytes;
use common::{config, signature_over, Recorded};
use rustls::pki_types::CertificateDer;
use std::sync::{Arc, Mutex};

const CONNECTION: &str = r#"{"Connection":{"EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:E","Status":"deleting"}}"#;

type Seen = Arc<Mutex<Vec<(http::Version, http::request::Parts, Bytes)>>>;

/// A TLS server that offers only `h2` by ALPN and records every request: its port, its
/// log, and its (self-signed) certificate for the client to trust.
async fn h2_server() -> (u16, Seen, CertificateDer<'static>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::PrivateKeyDer;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/tls");
    let cert = CertificateDer::from_pem_file(format!("{dir}/cert.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/key.pem")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .unwrap();
    tls.alpn_protocols = vec![b"h2".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Seen::default();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, log) = (acceptor.clone(), log.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(tcp).await else {
                    return;
                };
                let svc = hyper::service::service_fn(move |req: hyper::Request<_>| {
                    let log = log.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = http_body_util::BodyExt::collect(body).await?.to_bytes();
                        log.lock().unwrap().push((parts.version, parts, body));
                        let resp = hyper::Response::builder()
                            .header("content-type", "application/x-amz-json-1.1")
                            .header("x-amzn-requestid", "h2-request")
                            .body(http_body_util::Full::new(Bytes::from_static(
                                CONNECTION.as_bytes(),
                            )))
                            .unwrap();
                        Ok::<_, hyper::Error>(resp)
                    }
                });
                let _ =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                        .await;
            });
        }
    });
    (port, seen, cert)
}

/// With the feature, the transport offers `h2` and a server that takes it gets an HTTP/2
/// request: the authority as `:authority` only (no `Host` field, as RFC 9113 prefers),
/// signed as `host` with the same value (checked with `aws-sigv4`), and the answer parsed.
#[tokio::test]
async fn http2_by_alpn_carries_the_signed_authority() {
    let (port, seen, cert) = h2_server().await;
    let http = awsgen_runtime::http::HyperClient::with_roots(None, &[cert]).unwrap();
    let url = format!("https://localhost:{port}");
    let client = awsgen_dms::Client::new(config(&url).http_client(http).build());
    for _ in 0..2 {
        let out = client
            .delete_connection(DeleteConnectionInput::new(DeleteConnectionInputRequired {
                endpoint_arn: "arn:aws:dms:us-east-1:123456789012:endpoint:E".into(),
                replication_instance_arn: "arn:aws:dms:us-east-1:123456789012:rep:R".into(),
            }))
            .await
            .unwrap();
        assert_eq!(out.connection.unwrap().status.as_deref(), Some("deleting"));
    }
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    for (version, parts, body) in seen.iter() {
        assert_eq!(*version, http::Version::HTTP_2);
        let authority = parts.uri.authority().unwrap().as_str();
        assert_eq!(authority, format!("localhost:{port}"));
        assert!(parts.headers.get(http::header::HOST).is_none(), "{parts:?}");
        let authorization = parts.headers["authorization"].to_str().unwrap();
        assert!(authorization.contains("SignedHeaders=content-type;host;"));
        let mut headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        headers.push(("host".into(), authority.to_string()));
        let received = Recorded {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            headers,
            body: body.to_vec(),
        };
        let expected = signature_over(
            &received,
            "dms",
            &["content-type", "host", "x-amz-target"],
            None,
        );
        assert!(
            authorization.ends_with(&format!("Signature={expected}")),
            "{authorization}"
        );
    }
}
