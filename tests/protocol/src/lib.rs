//! Code generated from each suite of botocore's awsJson protocol tests, a transport that
//! captures the request and plays back the case's response, and the dispatcher the
//! build script writes (`run_input`, `run_output`).

use awsgen_runtime::ProvideErrorMetadata;
use bytes::Bytes;
use std::sync::{Arc, Mutex};

include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));

/// Why an output case produced no output.
#[derive(Debug)]
pub enum Failure {
    /// The client returned an error: what it says.
    Service {
        /// The error code.
        code: Option<String>,
        /// The message.
        message: Option<String>,
        /// The modelled members of the fault, as wire JSON, when the code was modelled.
        members: Option<serde_json::Value>,
        /// `Display` of the error.
        display: String,
    },
    /// The harness itself failed.
    Harness(String),
}

/// A request as the transport received it.
#[derive(Debug, Clone)]
pub struct Captured {
    /// `POST`.
    pub method: String,
    /// The full URI.
    pub uri: String,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: Bytes,
}

/// A transport that records the request and answers with a fixed response.
#[derive(Debug, Clone)]
pub struct Capture {
    response: (u16, Vec<(String, String)>, Bytes),
    captured: Arc<Mutex<Option<Captured>>>,
}

impl Capture {
    /// Answers every request with `status`, `headers`, `body`.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Bytes>) -> Self {
        Capture {
            response: (status, headers, body.into()),
            captured: Arc::default(),
        }
    }
    /// The last request.
    pub fn captured(&self) -> Option<Captured> {
        self.captured.lock().ok()?.clone()
    }
}

impl awsgen_runtime::http::HttpClient for Capture {
    fn send(
        &self,
        request: http::Request<awsgen_runtime::ByteStream>,
    ) -> awsgen_runtime::BoxFuture<
        '_,
        Result<http::Response<awsgen_runtime::ByteStream>, awsgen_runtime::http::TransportError>,
    > {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect(usize::MAX)
                .await
                .map_err(|e| awsgen_runtime::http::TransportError::RequestBody(e.into_inner()))?;
            let captured = Captured {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body,
            };
            if let Ok(mut slot) = self.captured.lock() {
                *slot = Some(captured);
            }
            let (status, headers, body) = self.response.clone();
            let mut b = http::Response::builder().status(status);
            for (k, v) in headers {
                b = b.header(k, v);
            }
            b.body(awsgen_runtime::ByteStream::from(body))
                .map_err(|e| awsgen_runtime::http::TransportError::Io(Box::new(e)))
        })
    }
}
