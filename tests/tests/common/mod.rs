//! What the workspace's end-to-end tests share: a scripted HTTP/1.1 server on 127.0.0.1
//! standing in for AWS, and a client configuration pointing at it.
#![allow(dead_code)] // each test file uses its own part of this

use awsgen_dms::{Config, Credentials, RetryConfig};
use awsgen_runtime::DateTime;
use bytes::Bytes;
use http_body_util::BodyExt;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const AKID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

pub fn fixed_time() -> DateTime {
    DateTime::from_ymd_hms(2015, 8, 30, 12, 36, 0).unwrap()
}

#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, headers, body.
    Http(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Never answer.
    Hang,
}

pub fn json(status: u16, request_id: &str, body: &str) -> Reply {
    Reply::Http(
        status,
        vec![
            ("content-type", "application/x-amz-json-1.1".into()),
            ("x-amzn-requestid", request_id.into()),
        ],
        body.as_bytes().to_vec(),
    )
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The query string as sent (encoded), empty when none.
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A scripted HTTP/1.1 server: answers requests with `replies` in order (the last one
/// repeats) and records every request.
pub struct Server {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    pub async fn start(replies: Vec<Reply>) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(VecDeque::from(replies)));
        let (log2, replies2) = (log.clone(), replies.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (log, replies) = (log2.clone(), replies2.clone());
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(
                        move |req: hyper::Request<hyper::body::Incoming>| {
                            let (log, replies) = (log.clone(), replies.clone());
                            async move {
                                let (parts, body) = req.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|c| c.to_bytes())
                                    .unwrap_or_default();
                                log.lock().unwrap().push(Recorded {
                                    method: parts.method.to_string(),
                                    path: parts.uri.path().to_string(),
                                    query: parts.uri.query().unwrap_or("").to_string(),
                                    headers: parts
                                        .headers
                                        .iter()
                                        .map(|(k, v)| {
                                            (
                                                k.as_str().to_string(),
                                                v.to_str().unwrap_or("").to_string(),
                                            )
                                        })
                                        .collect(),
                                    body: body.to_vec(),
                                });
                                let reply = {
                                    let mut r = replies.lock().unwrap();
                                    if r.len() > 1 {
                                        r.pop_front()
                                    } else {
                                        r.front().cloned()
                                    }
                                };
                                match reply {
                                    Some(Reply::Http(status, headers, body)) => {
                                        let mut b = hyper::Response::builder().status(status);
                                        for (k, v) in headers {
                                            b = b.header(k, v);
                                        }
                                        Ok::<_, std::convert::Infallible>(
                                            b.body(http_body_util::Full::new(Bytes::from(body)))
                                                .unwrap(),
                                        )
                                    }
                                    Some(Reply::Hang) | None => {
                                        tokio::time::sleep(Duration::from_secs(3600)).await;
                                        Ok(hyper::Response::new(http_body_util::Full::new(
                                            Bytes::new(),
                                        )))
                                    }
                                }
                            }
                        },
                    );
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, svc)
                        .await;
                });
            }
        });
        Server { addr, log, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }
}

pub fn config(url: &str) -> awsgen_runtime::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(AKID, SECRET, None, None, "test"))
        .endpoint_url(url)
        .time_source(fixed_time)
        .retry(
            RetryConfig::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// The SigV4 signature `aws-sigv4` computes for what the server received, over the
/// headers named (`service` signing name, region us-east-1, the fixed time).
pub fn signature_over(
    req: &Recorded,
    service: &str,
    headers: &[&str],
    session_token: Option<&str>,
) -> String {
    signature_with(req, service, headers, session_token, false)
}

/// [`signature_over`], with the payload hash `UNSIGNED-PAYLOAD` when `unsigned`.
pub fn signature_with(
    req: &Recorded,
    service: &str,
    headers: &[&str],
    session_token: Option<&str>,
    unsigned: bool,
) -> String {
    let payload = unsigned.then_some("UNSIGNED-PAYLOAD");
    signature_for(req, service, headers, session_token, payload)
}

/// [`signature_over`], with `payload_hash` as the payload's hash when given (else the
/// SHA-256 of the body).
pub fn signature_for(
    req: &Recorded,
    service: &str,
    headers: &[&str],
    session_token: Option<&str>,
    payload_hash: Option<&str>,
) -> String {
    signature_as(
        req,
        (AKID, SECRET),
        service,
        headers,
        session_token,
        payload_hash,
    )
}

/// [`signature_for`] with other keys (an S3 Express session's).
pub fn signature_as(
    req: &Recorded,
    (akid, secret): (&str, &str),
    service: &str,
    headers: &[&str],
    session_token: Option<&str>,
    payload_hash: Option<&str>,
) -> String {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let identity = aws_credential_types::Credentials::new(
        akid,
        secret,
        session_token.map(str::to_string),
        None,
        "test",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(std::time::UNIX_EPOCH + Duration::from_secs(fixed_time().secs() as u64))
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let headers = headers.iter().map(|h| (*h, req.header(h).unwrap()));
    let query = if req.query.is_empty() {
        String::new()
    } else {
        format!("?{}", req.query)
    };
    let url = format!("http://{}{}{query}", req.header("host").unwrap(), req.path);
    let body = match payload_hash {
        Some(hash) => SignableBody::Precomputed(hash.to_string()),
        None => SignableBody::Bytes(&req.body),
    };
    let signable = SignableRequest::new(&req.method, url, headers, body).unwrap();
    sign(signable, &params).unwrap().into_parts().1
}

/// Peak resident memory of this process (`VmHWM`), in bytes.
pub fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}
