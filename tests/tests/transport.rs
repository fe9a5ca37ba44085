//! What any transport must do, checked against the default one (`HyperClient`) through
//! the `HttpClient` trait, with raw TCP and TLS servers on 127.0.0.1 that write exactly
//! the bytes each case needs. Kept from the transport of our own that hyper replaced
//! (issue #25): framing edge cases, the 421 truncated and changed chunked responses,
//! connections the server ends, limits on heads and bodies, TLS trust and a bounded
//! handshake. Added for issue #25: stale bytes after a response over TLS, an early 413
//! while the body is being written, the read timeout.

use awsgen_runtime::http::{HttpClient, HyperClient, ProxyConfig, TransportError};
use awsgen_runtime::ByteStream;
use bytes::Bytes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
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
    serve_with(answers, None).await
}

/// [`serve`], over TLS when `tls` is given.
async fn serve_with(answers: Vec<Answer>, tls: Option<tokio_rustls::TlsAcceptor>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let accepted = Arc::new(AtomicUsize::new(0));
    let queue = Arc::new(Mutex::new(answers.into_iter()));
    let (log, count) = (requests.clone(), accepted.clone());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let (queue, log, tls) = (queue.clone(), log.clone(), tls.clone());
            tokio::spawn(async move {
                match tls {
                    None => answer_on(tcp, queue, log).await,
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(tcp).await {
                            answer_on(stream, queue, log).await;
                        }
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

type Queue = Arc<Mutex<std::vec::IntoIter<Answer>>>;

async fn answer_on<S: AsyncRead + AsyncWrite + Unpin>(
    mut io: S,
    queue: Queue,
    log: Arc<Mutex<Vec<Vec<u8>>>>,
) {
    while let Some(request) = read_request(&mut io).await {
        log.lock().unwrap().push(request);
        let Some(a) = queue.lock().unwrap().next() else {
            return;
        };
        let sent = if a.trickle {
            let mut ok = true;
            for b in &a.bytes {
                ok &= io.write_all(&[*b]).await.is_ok() && io.flush().await.is_ok();
            }
            ok
        } else {
            io.write_all(&a.bytes).await.is_ok() && io.flush().await.is_ok()
        };
        if a.close || !sent {
            let _ = io.shutdown().await;
            return;
        }
    }
}

/// One request's bytes (head, then `content-length` bytes of body); `None` at the end.
async fn read_request<S: AsyncRead + Unpin>(io: &mut S) -> Option<Vec<u8>> {
    let mut got = read_head(io).await?;
    let head = String::from_utf8_lossy(&got).to_ascii_lowercase();
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .map_or(0, |n| n.trim().parse::<usize>().unwrap());
    let mut body = vec![0; len];
    io.read_exact(&mut body).await.ok()?;
    got.extend(body);
    Some(got)
}

/// A request's head, byte by byte up to the blank line (nothing of the body); `None` at
/// the end.
async fn read_head<S: AsyncRead + Unpin>(io: &mut S) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if io.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    Some(head)
}

fn post(url: &str, body: &'static str) -> http::Request<ByteStream> {
    let mut r = http::Request::new(ByteStream::from(body));
    *r.method_mut() = http::Method::POST;
    *r.uri_mut() = url.parse().unwrap();
    let h = r.headers_mut();
    h.insert("x-amz-target", "Svc.Op".parse().unwrap());
    h.insert("content-length", body.len().into());
    r
}

fn client() -> HyperClient {
    HyperClient::builder()
        .connect_timeout(Some(Duration::from_secs(5)))
        .proxy(ProxyConfig::disabled())
        .build()
        .unwrap()
}

/// Sends and reads the whole body (up to `limit` bytes).
async fn call(
    c: &HyperClient,
    r: http::Request<ByteStream>,
    limit: usize,
) -> Result<(u16, http::HeaderMap, Bytes), String> {
    let resp = c.send(r).await.map_err(|e| e.to_string())?;
    let (parts, body) = resp.into_parts();
    let body = body.collect(limit).await.map_err(|e| e.to_string())?;
    Ok((parts.status.as_u16(), parts.headers, body))
}

#[tokio::test]
async fn requests_go_out_as_written_and_connections_are_kept_alive() {
    let ok =
        "HTTP/1.1 200 OK\r\nX-Amzn-RequestId: r1\r\nx-custom: \t v \r\ncontent-length: 2\r\n\r\n{}";
    let server = serve(vec![answer(ok), answer(ok), answer(ok)]).await;
    let c = client();
    let url = format!("http://{}/a?b=c", server.addr);
    for _ in 0..3 {
        let (status, headers, body) = call(&c, post(&url, r#"{"k":1}"#), 1024).await.unwrap();
        assert_eq!(status, 200);
        assert_eq!(headers["x-amzn-requestid"], "r1");
        assert_eq!(headers["x-custom"], "v");
        assert_eq!(body.as_ref(), b"{}");
    }
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
    let requests = server.requests.lock().unwrap();
    let first = String::from_utf8_lossy(&requests[0]);
    assert!(first.starts_with("POST /a?b=c HTTP/1.1\r\n"), "{first}");
    assert!(first.contains("\r\nx-amz-target: Svc.Op\r\n"), "{first}");
    assert!(
        first.contains(&format!("\r\nhost: {}\r\n", server.addr)),
        "{first}"
    );
    assert!(first.ends_with("\r\n\r\n{\"k\":1}"), "{first}");
}

/// Concurrent calls each take a connection of their own, and connections go back to the
/// pool and are reused. hyper-util returns a connection to the pool a moment after its
/// response ends, so a call that starts in that moment opens another: 8 to 14
/// connections for 8 tasks of 5 calls were seen; the bound is half the calls.
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
                    let (_, _, body) = call(&c, post(&url, "{}"), 64).await.unwrap();
                    assert_eq!(body.as_ref(), b"{}");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let accepted = server.accepted.load(Ordering::SeqCst);
    assert!((1..=20).contains(&accepted), "{accepted} connections");
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
        let (_, _, body) = call(&c, post(&url, "{}"), 1024).await.unwrap();
        assert_eq!(body.as_ref(), br#"{"a":"0123456"}"#);
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
    assert_eq!(call(&c, post(&url, ""), 64).await.unwrap().2.as_ref(), b"x");
    let (status, _, body) = call(&c, post(&url, ""), 64).await.unwrap();
    assert_eq!((status, body.len()), (204, 0));
    let mut head = post(&url, "");
    *head.method_mut() = http::Method::HEAD;
    let (status, _, body) = call(&c, head, 64).await.unwrap();
    assert_eq!((status, body.len()), (200, 0));
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
}

/// The server closes right after a response, with or without saying so: the pool never
/// hands that connection to the next request.
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
        bodies.push(call(&c, post(&url, "{}"), 64).await.unwrap().2);
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
        answer("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n0123456789A"),
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
        let resp = c.send(post(&url, "{}")).await.unwrap();
        let err = resp.into_body().collect(10).await.unwrap_err();
        assert!(err.is_too_large(), "{err}");
        assert_eq!(err.to_string(), "body is larger than the 10-byte limit");
    }
}

#[tokio::test]
async fn broken_responses_are_errors_that_say_where_and_what() {
    let cases = [
        "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\ncontent-le",
        "<html>oops</html>\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nxx",
        "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nabc\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ];
    let answers = cases.iter().map(|a| Answer {
        close: true,
        ..answer(a)
    });
    let server = serve(answers.collect()).await;
    let c = client();
    let url = format!("http://{}/", server.addr);
    let origin = server.addr.to_string();
    for response in cases {
        let err = call(&c, post(&url, "{}"), 1024).await.unwrap_err();
        // `talking to 127.0.0.1:N: <what hyper found>` or `reading the response from ...`.
        assert!(err.contains(&origin), "{response:?}: {err}");
        assert!(err.len() > origin.len() + 20, "{response:?}: {err}");
    }
    // Limits on the head: hyper's 100 fields, and its read buffer for the head's size.
    let fields = (0..200)
        .map(|i| format!("x-f{i}: v\r\n"))
        .collect::<String>();
    let many = format!("HTTP/1.1 200 OK\r\n{fields}\r\n");
    let huge = format!("HTTP/1.1 200 OK\r\nx-big: {}\r\n\r\n", "a".repeat(1 << 20));
    let server = serve(vec![answer(&many), answer(&huge)]).await;
    let url = format!("http://{}/", server.addr);
    let err = call(&c, post(&url, "{}"), 1024).await.unwrap_err();
    assert!(err.contains("too large") || err.contains("header"), "{err}");
    let err = call(&c, post(&url, "{}"), 1024).await.unwrap_err();
    assert!(err.contains("too large"), "{err}");
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
        let result = tokio::time::timeout(Duration::from_secs(5), call(&c, post(&url, "{}"), 1024))
            .await
            .unwrap_or_else(|_| panic!("variant {i} did not end"));
        if i == 0 {
            assert_eq!(result.as_ref().unwrap().2.as_ref(), b"hello!!!");
        }
        outcomes[usize::from(result.is_err())] += 1;
    }
    // Most changes break the response; some (a header's letters) do not.
    assert!(outcomes[1] > variants.len() / 2, "{outcomes:?}");
}

fn tls_server_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/tls");
    let cert = rustls::pki_types::CertificateDer::from_pem_file(format!("{dir}/cert.pem"));
    let key = rustls::pki_types::PrivateKeyDer::from_pem_file(format!("{dir}/key.pem"));
    #[allow(deprecated)] // ring, as the runtime uses (`runtime/src/http/mod.rs`)
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
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/tls");
    rustls::pki_types::CertificateDer::from_pem_file(format!("{dir}/cert.pem")).unwrap()
}

fn trusting_client() -> HyperClient {
    HyperClient::builder()
        .extra_roots(&[test_cert()])
        .proxy(ProxyConfig::disabled())
        .build()
        .unwrap()
}

/// Over TLS: a trusted server answers on one kept-alive connection; an untrusted one
/// is a connect error naming the certificate; one that never completes its handshake
/// hits the read timeout.
#[tokio::test]
async fn tls_with_trusted_roots_and_a_bounded_handshake() {
    let ok = answer("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\ntls!");
    let acceptor = tokio_rustls::TlsAcceptor::from(tls_server_config());
    let server = serve_with(vec![ok.clone(), ok.clone(), ok], Some(acceptor)).await;
    let url = format!("https://localhost:{}/", server.addr.port());
    let trusted = trusting_client();
    for _ in 0..2 {
        let (_, _, body) = call(&trusted, post(&url, "{}"), 64).await.unwrap();
        assert_eq!(body.as_ref(), b"tls!");
    }
    assert_eq!(server.accepted.load(Ordering::SeqCst), 1);
    let err = client().send(post(&url, "{}")).await.unwrap_err();
    assert!(matches!(err, TransportError::Connect(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("connecting to localhost:{}: ", server.addr.port())),
        "{text}"
    );
    assert!(text.contains("certificate"), "{text}");

    // Accepts TCP, never says a word.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://localhost:{}/", silent.local_addr().unwrap().port());
    let quick = HyperClient::builder()
        .read_timeout(Some(Duration::from_millis(200)))
        .proxy(ProxyConfig::disabled())
        .build()
        .unwrap();
    let start = std::time::Instant::now();
    let err = quick.send(post(&url, "{}")).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(3));
    assert!(matches!(err, TransportError::Connect(_)), "{err:?}");
    let io = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<std::io::Error>());
    assert_eq!(
        io.map(std::io::Error::kind),
        Some(std::io::ErrorKind::TimedOut),
        "{err}"
    );
    drop(silent);
}

/// Issue #25: a server that sends a second, unasked-for response right after each one
/// over TLS. rustls has already decrypted those bytes when the connection goes back to
/// the pool; the next request must get its own answer, never the stale one (the
/// transport of our own handed the stale bytes over in 5 of 5 runs).
#[tokio::test]
async fn stale_bytes_after_a_response_over_tls_never_answer_the_next_request() {
    // A body larger than one read, so that the stale answer is left decrypted inside
    // rustls when the response ends (the old transport: "stale" in 5 of 5 runs).
    let stale = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nstale";
    let filler = "f".repeat(100_000);
    let answers: Vec<Answer> = (0..10)
        .map(|i| {
            let fresh =
                format!("HTTP/1.1 200 OK\r\ncontent-length: 100006\r\n\r\nfresh{i}{filler}");
            answer(&format!("{fresh}{stale}"))
        })
        .collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(tls_server_config());
    let server = serve_with(answers, Some(acceptor)).await;
    let url = format!("https://localhost:{}/", server.addr.port());
    let c = trusting_client();
    let mut got = Vec::new();
    for _ in 0..5 {
        // Retried once, as the client's retry policy does for a connection that broke.
        let body = match call(&c, post(&url, "{}"), 1 << 20).await {
            Ok(r) => r.2,
            Err(_) => call(&c, post(&url, "{}"), 1 << 20).await.unwrap().2,
        };
        got.push(String::from_utf8_lossy(&body[..body.len().min(6)]).into_owned());
    }
    assert!(got.iter().all(|b| b.starts_with("fresh")), "{got:?}");
}

/// Issue #25: a server that answers 413 and closes while the request body is still being
/// written: the client returns the 413, not a connection reset.
#[tokio::test]
async fn an_early_error_response_is_returned_while_the_body_is_still_being_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                if read_head(&mut tcp).await.is_none() {
                    return;
                }
                let refuse = b"HTTP/1.1 413 Payload Too Large\r\nconnection: close\r\n\
                               content-length: 9\r\n\r\ntoo large";
                let _ = tcp.write_all(refuse).await;
                let _ = tcp.shutdown().await;
                // Then goes without reading the body: the close resets the connection
                // (the transport of our own, still writing, got only the reset: 3 of 3).
                tokio::time::sleep(Duration::from_millis(100)).await;
            });
        }
    });
    let big = vec![b'x'; 64 << 20];
    let mut r = http::Request::new(ByteStream::from(big));
    *r.method_mut() = http::Method::PUT;
    *r.uri_mut() = format!("http://{addr}/upload").parse().unwrap();
    r.headers_mut()
        .insert("content-length", (64u64 << 20).into());
    let (status, _, body) = call(&client(), r, 1024).await.unwrap();
    assert_eq!((status, body.as_ref()), (413, &b"too large"[..]));
}

/// The read timeout bounds each wait, not the whole body: a server that keeps sending
/// for longer than the timeout succeeds; one that stalls fails with an error that says
/// it was the read timeout, after about that long.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_read_timeout_is_between_bytes() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                // Each request on a connection of its own (the client's pool would
                // otherwise race the server's close).
                let Some(request) = read_request(&mut tcp).await else {
                    return;
                };
                let stall = String::from_utf8_lossy(&request).contains("/stall");
                let _ = tcp
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\n")
                    .await;
                for piece in [b"abc", b"def", b"ghi", b"jkl"] {
                    let _ = tcp.write_all(piece).await;
                    if stall {
                        // Then nothing, for longer than the client waits.
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
            });
        }
    });
    let c = HyperClient::builder()
        .read_timeout(Some(Duration::from_millis(400)))
        .proxy(ProxyConfig::disabled())
        .build()
        .unwrap();
    let start = std::time::Instant::now();
    let (_, _, body) = call(&c, post(&format!("http://{addr}/steady"), "{}"), 64)
        .await
        .unwrap();
    assert_eq!(body.as_ref(), b"abcdefghijkl");
    assert!(
        start.elapsed() > Duration::from_millis(450),
        "took the whole 600 ms"
    );

    let mut stall = post(&format!("http://{addr}/stall"), "{}");
    stall
        .headers_mut()
        .insert("connection", http::HeaderValue::from_static("close"));
    let start = std::time::Instant::now();
    let c = HyperClient::builder()
        .read_timeout(Some(Duration::from_millis(400)))
        .proxy(ProxyConfig::disabled())
        .build()
        .unwrap();
    let resp = c.send(stall).await.unwrap();
    let mut body = resp.into_body();
    assert_eq!(body.next().await.unwrap().unwrap().as_ref(), b"abc");
    let err = body.next().await.unwrap().unwrap_err();
    let waited = start.elapsed();
    assert!(err.is_timeout(), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("reading the response from {addr}: "))
            && text.ends_with(": no data for 400ms (the read timeout)"),
        "{text}"
    );
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

#[test]
fn the_transport_shows_no_proxy_credentials() {
    let c = HyperClient::builder()
        .proxy(
            ProxyConfig::builder()
                .https("http://alice:pa55w0rd@proxy.internal:3128")
                .build(),
        )
        .build()
        .unwrap();
    let shown = format!("{c:?}");
    assert!(shown.contains("proxy.internal:3128"), "{shown}");
    assert!(
        !shown.contains("pa55w0rd") && !shown.contains("alice"),
        "{shown}"
    );
}

/// A server for the `Expect: 100-continue` cases: reads the head, then, by path,
/// answers `100 Continue` and reads the body (`/continue`), refuses at once with a 413
/// and then counts what still arrives for 1.5 s (`/refuse`), or reads the body without a
/// word first (`/ignore`). Records (path, expect header, body bytes received).
async fn continue_server() -> (
    std::net::SocketAddr,
    Arc<Mutex<Vec<(String, bool, usize)>>>,
    Arc<AtomicUsize>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let accepted = Arc::new(AtomicUsize::new(0));
    let (log2, accepted2) = (log.clone(), accepted.clone());
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            accepted2.fetch_add(1, Ordering::SeqCst);
            let log = log2.clone();
            tokio::spawn(async move {
                loop {
                    let Some(head) = read_head(&mut tcp).await else {
                        return;
                    };
                    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
                    let path = head.split(' ').nth(1).unwrap_or("").to_string();
                    let expect = head.contains("\r\nexpect: 100-continue\r\n");
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length: "))
                        .map_or(0, |n| n.trim().parse().unwrap());
                    let mut body = vec![0u8; len];
                    if path == "/refuse" {
                        let refuse =
                            b"HTTP/1.1 413 Payload Too Large\r\ncontent-length: 9\r\n\r\ntoo large";
                        tcp.write_all(refuse).await.unwrap();
                        let mut got = 0;
                        let until = tokio::time::Instant::now() + Duration::from_millis(1500);
                        while let Ok(Ok(n @ 1..)) =
                            tokio::time::timeout_at(until, tcp.read(&mut body)).await
                        {
                            got += n;
                        }
                        log.lock().unwrap().push((path, expect, got));
                        return;
                    }
                    if path == "/continue" {
                        tcp.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                            .await
                            .unwrap();
                    }
                    if tcp.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    log.lock().unwrap().push((path, expect, len));
                    let ok = format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{len}",
                        len.to_string().len()
                    );
                    tcp.write_all(ok.as_bytes()).await.unwrap();
                }
            });
        }
    });
    (addr, log, accepted)
}

fn upload(url: &str, len: usize) -> http::Request<ByteStream> {
    let chunk = Bytes::from(vec![7u8; 64 * 1024]);
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        (0..len / chunk.len()).map(|_| Ok(chunk.clone())).collect();
    let stream = ChunkStream(chunks.into());
    let mut r = http::Request::new(ByteStream::from_stream(stream, Some(len as u64)));
    *r.method_mut() = http::Method::PUT;
    *r.uri_mut() = url.parse().unwrap();
    r.headers_mut().insert("content-length", len.into());
    r.headers_mut()
        .insert("expect", http::HeaderValue::from_static("100-continue"));
    r
}

struct ChunkStream(std::collections::VecDeque<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for ChunkStream {
    type Item = Result<Bytes, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.pop_front())
    }
}

/// Issue #25: `Expect: 100-continue`. The body waits for `100 Continue`; a server that
/// refuses first gets no body at all, its answer comes back whole, and the connection is
/// not used again; a server that ignores `Expect` gets the body after a second.
#[tokio::test]
async fn expect_continue_holds_the_body_until_the_server_agrees() {
    let (addr, log, accepted) = continue_server().await;
    let c = client();
    let two_mib = 2 << 20;

    let start = std::time::Instant::now();
    let (status, _, body) = call(&c, upload(&format!("http://{addr}/continue"), two_mib), 64)
        .await
        .unwrap();
    assert_eq!((status, body), (200, Bytes::from(two_mib.to_string())));
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );

    let (status, _, body) = call(&c, upload(&format!("http://{addr}/refuse"), two_mib), 64)
        .await
        .unwrap();
    assert_eq!((status, body.as_ref()), (413, &b"too large"[..]));

    let start = std::time::Instant::now();
    let (status, _, _) = call(&c, upload(&format!("http://{addr}/ignore"), two_mib), 64)
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );

    // Let the refusing connection's 1.5 s of counting end.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let mut seen = log.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("/continue".to_string(), true, two_mib),
            ("/ignore".to_string(), true, two_mib),
            // Not a byte of the body after the refusal, not even when the second passed.
            ("/refuse".to_string(), true, 0),
        ]
    );
    // The refused connection was closed, not reused: the third call opened another.
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}
