//! The request path every generated operation goes through: endpoint, credentials,
//! awsJson request, SigV4, send, retry, and sorting the response into output or error.
//!
//! It is not generic over operations: generated code serializes the input, calls
//! [`Handle::invoke`], and parses the output or hands the error to its fault enum, so
//! each operation adds only its serde code to a binary.

use crate::config::Config;
use crate::credentials::{CredentialsError, ProvideCredentials};
use crate::endpoint::{self, Endpoint, EndpointError, Params};
use crate::http::{chain, HttpClient, HyperClient, SharedHttpClient, TransportError};
use crate::retry::{Quota, RetryKind, Rng, RETRYABLE_STATUS, THROTTLING_CODES, TRANSIENT_CODES};
use crate::sigv4;
use crate::{DateTime, ErrorMetadata};
use bytes::Bytes;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// What the generated code tells the runtime about its service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The model's service id (`Database Migration Service`), for `AWS_ENDPOINT_URL_<ID>`.
    pub service_id: &'static str,
    /// The endpoint prefix (`dms`), also accepted as `AWS_ENDPOINT_URL_<PREFIX>`.
    pub endpoint_prefix: &'static str,
    /// The SigV4 signing name (`dms`).
    pub signing_name: &'static str,
    /// The `X-Amz-Target` prefix (`AmazonDMSv20160101`).
    pub target_prefix: &'static str,
    /// `1.0` or `1.1`.
    pub json_version: &'static str,
    /// The model's endpoint rule set, if it has one.
    pub endpoint_rule_set: Option<&'static str>,
}

/// What the generated code tells the runtime about one operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The name on the wire (the `X-Amz-Target` suffix).
    pub name: &'static str,
    /// The fault codes the model names for it: never retried.
    pub errors: &'static [&'static str],
    /// The model asks for gzip request compression (`requestcompression`).
    pub gzip_request: bool,
}

/// Which limit a request ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// One attempt (send and read the whole response).
    Attempt,
    /// The whole operation, retries included.
    Operation,
}

/// A request that got no usable answer from the service. Never holds a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The input could not be turned into a request (an `Unknown` union member, an
    /// invalid host label).
    Build {
        /// What is wrong.
        message: String,
    },
    /// No endpoint: the configuration is invalid (FIPS with a custom endpoint, no region).
    Endpoint(EndpointError),
    /// No credentials.
    Credentials(CredentialsError),
    /// The transport failed: no connection, a broken connection, an oversized body.
    Transport(TransportError),
    /// A timeout expired.
    Timeout {
        /// Which one.
        kind: TimeoutKind,
        /// Its length.
        after: Duration,
    },
    /// A success status with a body that is not the operation's output (truncated or
    /// malformed JSON).
    Response {
        /// The HTTP status.
        status: u16,
        /// The request id, if any.
        request_id: Option<String>,
        /// What did not parse.
        message: String,
        /// The start of the body.
        body: String,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Build { message } => write!(f, "request could not be built: {message}"),
            RequestError::Endpoint(e) => write!(f, "{e}"),
            RequestError::Credentials(e) => write!(f, "{e}"),
            RequestError::Transport(e) => write!(f, "{e}"),
            RequestError::Timeout {
                kind: TimeoutKind::Attempt,
                after,
            } => write!(f, "attempt timed out after {after:?}"),
            RequestError::Timeout {
                kind: TimeoutKind::Operation,
                after,
            } => write!(f, "operation timed out after {after:?}"),
            RequestError::Response {
                status,
                request_id,
                message,
                ..
            } => {
                write!(f, "unreadable response (HTTP {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(f, "): {message}")
            }
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::Endpoint(e) => Some(e),
            RequestError::Credentials(e) => Some(e),
            RequestError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// The request id of a response (`x-amzn-RequestId`), on outputs and errors.
pub trait RequestId {
    /// The request id, if the service sent one.
    fn request_id(&self) -> Option<&str>;
}

#[doc(hidden)]
pub trait SetRequestId {
    fn set_request_id(&mut self, id: Option<String>);
}

/// A successful response.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// The body.
    pub body: Bytes,
}

/// Why [`Handle::invoke`] has no output.
#[derive(Debug)]
pub enum Failure {
    /// The service answered with an error: its metadata and body, for the operation's
    /// fault enum to sort.
    Service(ErrorMetadata, Bytes),
    /// No usable answer.
    Request(RequestError),
}

/// Parses an operation's output from a success response. An empty body is `{}`.
pub fn parse_output<O>(resp: Response) -> Result<O, RequestError>
where
    O: serde::de::DeserializeOwned + SetRequestId,
{
    let body: &[u8] = if resp.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &resp.body
    };
    match serde_json::from_slice::<O>(body) {
        Ok(mut o) => {
            o.set_request_id(resp.request_id);
            Ok(o)
        }
        Err(e) => Err(RequestError::Response {
            status: resp.status,
            request_id: resp.request_id,
            message: e.to_string(),
            body: String::from_utf8_lossy(
                &resp.body[..resp.body.len().min(crate::error::UNHANDLED_BODY_LIMIT)],
            )
            .into_owned(),
        }),
    }
}

/// Turns what [`Handle::invoke`] returned into an operation's result: the output parsed
/// from a success, a fault sorted by the operation's `from_response`, or a request error.
pub fn finish<O, E>(
    result: Result<Response, Failure>,
    fault: fn(ErrorMetadata, &[u8]) -> E,
) -> Result<O, E>
where
    O: serde::de::DeserializeOwned + SetRequestId,
    E: From<RequestError>,
{
    match result {
        Ok(resp) => parse_output(resp).map_err(E::from),
        Err(Failure::Service(meta, body)) => Err(fault(meta, &body)),
        Err(Failure::Request(e)) => Err(E::from(e)),
    }
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Reads an error response the way the awsJson protocols define it: the code from the
/// `X-Amzn-ErrorType` header, else the body's `__type`, else its `code` (sanitized); the
/// message from `message`, `Message` or `errorMessage`; the request id from
/// `x-amzn-RequestId`. A body that is not JSON (a proxy's HTML page) gives no code.
pub fn parse_error_metadata(status: u16, headers: &http::HeaderMap, body: &[u8]) -> ErrorMetadata {
    let json: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(body).ok();
    let field = |names: &[&str]| -> Option<String> {
        let j = json.as_ref()?;
        names
            .iter()
            .find_map(|n| j.get(*n).and_then(|v| v.as_str()).map(str::to_string))
    };
    let code = header(headers, "x-amzn-errortype")
        .map(str::to_string)
        .or_else(|| field(&["__type", "code"]))
        .unwrap_or_default();
    let mut meta = ErrorMetadata::new(code).with_status(status);
    if let Some(m) = field(&["message", "Message", "errorMessage"]) {
        meta = meta.with_message(m);
    }
    if let Some(id) = header(headers, "x-amzn-requestid") {
        meta = meta.with_request_id(id);
    }
    meta
}

/// A client's shared state: config, resolved endpoint, transport, retry quota.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    endpoint: Result<Endpoint, EndpointError>,
    http: Result<SharedHttpClient, String>,
    /// The endpoint as a request target, parsed once (operations with a host prefix
    /// derive their own per call).
    target: Result<Target, String>,
    quota: Quota,
    rng: Rng,
    content_type: String,
    /// The derived SigV4 key of the current day (four HMACs saved per request).
    signing_key: std::sync::Mutex<Option<Arc<sigv4::SigningKey>>>,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.service.service_id)
            .field("config", &self.config)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// The service-specific endpoint variable names for a service id: `Database Migration
/// Service` gives `AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE`.
pub fn service_endpoint_variable(service_id: &str) -> String {
    let mut s = String::from("AWS_ENDPOINT_URL_");
    for c in service_id.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_uppercase());
        } else {
            s.push('_');
        }
    }
    s
}

impl AsRef<Handle> for Handle {
    fn as_ref(&self) -> &Handle {
        self
    }
}

impl Handle {
    /// Builds the shared state: resolves the endpoint once (it depends only on the config)
    /// and builds the default transport if none was given.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Self {
        let endpoint_override = config.endpoint_url.clone().or_else(|| {
            let by_id = service_endpoint_variable(service.service_id);
            let by_prefix = service_endpoint_variable(service.endpoint_prefix);
            config
                .service_endpoint_env
                .get(&by_id)
                .or_else(|| config.service_endpoint_env.get(&by_prefix))
                .map(str::to_string)
                .or_else(|| config.global_endpoint_env.clone())
        });
        let params = Params {
            region: config.region.clone(),
            use_fips: config.use_fips,
            use_dual_stack: config.use_dual_stack,
            endpoint: endpoint_override,
        };
        let endpoint = resolve_endpoint(service, &params);
        let http = match &config.http_client {
            Some(c) => Ok(c.clone()),
            None => HyperClient::new(config.timeouts.connect)
                .map(SharedHttpClient::new)
                .map_err(|e| format!("TLS setup failed: {e}")),
        };
        let content_type = format!("application/x-amz-json-{}", service.json_version);
        let target = match &endpoint {
            Ok(e) => Target::new(&e.url, None),
            Err(e) => Err(e.to_string()),
        };
        Handle {
            inner: Arc::new(Inner {
                service,
                config,
                endpoint,
                http,
                target,
                quota: Quota::new(),
                rng: Rng::new(),
                content_type,
                signing_key: std::sync::Mutex::new(None),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The resolved endpoint, or why there is none.
    pub fn endpoint(&self) -> Result<&Endpoint, &EndpointError> {
        self.inner.endpoint.as_ref()
    }

    /// Sends one operation: `body` is the serialized input, `host_prefix` the expanded
    /// `endpoint.hostPrefix`, `modeled_errors` the codes the operation models (never retried).
    pub async fn invoke(
        &self,
        op: &'static OperationInfo,
        body: Result<Vec<u8>, serde_json::Error>,
        host_prefix: Option<String>,
    ) -> Result<Response, Failure> {
        let span = tracing::debug_span!(
            "aws_operation",
            service = self.inner.service.service_id,
            operation = op.name
        );
        let run = self.run(op, body, host_prefix);
        match self.inner.config.timeouts.operation {
            Some(limit) => match tokio::time::timeout(limit, run).instrument(span).await {
                Ok(r) => r,
                Err(_) => Err(Failure::Request(RequestError::Timeout {
                    kind: TimeoutKind::Operation,
                    after: limit,
                })),
            },
            None => run.instrument(span).await,
        }
    }

    async fn run(
        &self,
        op: &'static OperationInfo,
        body: Result<Vec<u8>, serde_json::Error>,
        host_prefix: Option<String>,
    ) -> Result<Response, Failure> {
        let inner = &*self.inner;
        let body = body.map_err(|e| {
            Failure::Request(RequestError::Build {
                message: e.to_string(),
            })
        })?;
        // Compressed once, before signing (the signature covers the compressed bytes).
        let (body, gzip) = match &inner.config.request_compression {
            Some(min) if op.gzip_request && body.len() >= *min => match gzip(&body) {
                Ok(compressed) => (Bytes::from(compressed), true),
                Err(e) => {
                    return Err(Failure::Request(RequestError::Build {
                        message: format!("gzip failed: {e}"),
                    }))
                }
            },
            _ => (Bytes::from(body), false),
        };
        let endpoint = inner
            .endpoint
            .as_ref()
            .map_err(|e| Failure::Request(RequestError::Endpoint(e.clone())))?;
        let http = inner.http.as_ref().map_err(|e| {
            Failure::Request(RequestError::Transport(TransportError::Connect(
                e.clone().into(),
            )))
        })?;
        let prefixed;
        let url = match host_prefix.as_deref() {
            None => inner.target.as_ref().map_err(|message| {
                Failure::Request(RequestError::Build {
                    message: message.clone(),
                })
            })?,
            Some(p) => {
                prefixed = Target::new(&endpoint.url, Some(p))
                    .map_err(|message| Failure::Request(RequestError::Build { message }))?;
                &prefixed
            }
        };
        let mut target =
            String::with_capacity(inner.service.target_prefix.len() + 1 + op.name.len());
        target.push_str(inner.service.target_prefix);
        target.push('.');
        target.push_str(op.name);
        let payload_hash = sigv4::sha256_hex(&body);
        let call = Call {
            url,
            target: &target,
            extra_headers: &endpoint.headers,
            body: &body,
            payload_hash: &payload_hash,
            gzip,
        };
        let modeled_errors = op.errors;
        let retry = &inner.config.retry;
        let mut spent = 0;
        let mut attempt = 1;
        loop {
            let span = tracing::debug_span!("attempt", attempt);
            let outcome = self.attempt(http, &call).instrument(span).await;
            let (failure, kind) = match outcome {
                Attempt::Done(resp) => {
                    if retry.quota {
                        inner.quota.release(spent);
                    }
                    return Ok(resp);
                }
                Attempt::Final(f) => return Err(f),
                Attempt::Service(meta, body) => {
                    let code = meta.code();
                    let retryable = !modeled_errors.contains(&code)
                        && (meta.status().is_some_and(|s| RETRYABLE_STATUS.contains(&s))
                            || THROTTLING_CODES.contains(&code)
                            || TRANSIENT_CODES.contains(&code));
                    let f = Failure::Service(meta, body);
                    if !retryable {
                        return Err(f);
                    }
                    (f, RetryKind::Transient)
                }
                Attempt::Retryable(e, kind) => (Failure::Request(e), kind),
            };
            if attempt >= retry.max_attempts {
                return Err(failure);
            }
            if retry.quota {
                match inner.quota.acquire(kind) {
                    Some(cost) => spent += cost,
                    None => {
                        tracing::debug!("retry quota exhausted; not retrying");
                        return Err(failure);
                    }
                }
            }
            let delay = retry.backoff(attempt, &inner.rng);
            tracing::debug!(attempt, ?delay, error = %FailureDisplay(&failure), "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, http: &SharedHttpClient, call: &Call<'_>) -> Attempt {
        let inner = &*self.inner;
        let Call {
            url,
            target,
            extra_headers,
            body,
            payload_hash,
            gzip,
        } = *call;
        let creds = match &inner.config.credentials {
            Some(p) => match p.provide_credentials().await {
                Ok(c) => c,
                Err(e) => return Attempt::Final(Failure::Request(RequestError::Credentials(e))),
            },
            None => {
                let e =
                    inner
                        .config
                        .credentials_error
                        .clone()
                        .unwrap_or(CredentialsError::NotLoaded {
                            provider: "configuration",
                            reason: "no credentials were configured".into(),
                        });
                return Attempt::Final(Failure::Request(RequestError::Credentials(e)));
            }
        };
        let Some(region) = inner.config.region.as_deref() else {
            return Attempt::Final(Failure::Request(RequestError::Endpoint(
                EndpointError::Rules("no region is configured (needed to sign requests)".into()),
            )));
        };
        let now = inner
            .config
            .time_source
            .as_ref()
            .map(|f| f())
            .unwrap_or_else(DateTime::now);
        let amz_date = now.to_amz_date();
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(6 + extra_headers.len());
        headers.extend([
            ("content-type", inner.content_type.as_str()),
            ("host", url.host.as_str()),
            ("x-amz-date", amz_date.as_str()),
            ("x-amz-target", target),
        ]);
        if let Some(t) = creds.session_token() {
            headers.push(("x-amz-security-token", t));
        }
        if gzip {
            headers.push(("content-encoding", "gzip"));
        }
        for (k, v) in extra_headers {
            headers.push((k.as_str(), v.as_str()));
        }
        let params = sigv4::SigningParams {
            access_key_id: creds.access_key_id(),
            secret_access_key: creds.secret_access_key(),
            region,
            service: inner.service.signing_name,
            time: now,
        };
        let key = {
            let mut slot = inner.signing_key.lock().unwrap_or_else(|p| p.into_inner());
            match slot.as_ref() {
                Some(k) if k.matches(&params, &amz_date[..8]) => k.clone(),
                _ => {
                    let k = Arc::new(sigv4::SigningKey::derive(
                        params.secret_access_key,
                        &amz_date[..8],
                        region,
                        params.service,
                    ));
                    *slot = Some(k.clone());
                    k
                }
            }
        };
        let sig = sigv4::sign_with_key(
            &sigv4::SignableRequest {
                method: "POST",
                path: &url.path,
                query: "",
                headers: &headers,
                body,
            },
            &params,
            &key,
            Some(payload_hash),
        );
        let request = match build_request(url, &headers, &sig.authorization, body) {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Final(Failure::Request(RequestError::Build {
                    message: e.to_string(),
                }))
            }
        };
        let send = http.send(request, inner.config.max_response_body);
        let result = match inner.config.timeouts.attempt {
            Some(limit) => match tokio::time::timeout(limit, send).await {
                Ok(r) => r,
                Err(_) => {
                    return Attempt::Retryable(
                        RequestError::Timeout {
                            kind: TimeoutKind::Attempt,
                            after: limit,
                        },
                        RetryKind::Timeout,
                    )
                }
            },
            None => send.await,
        };
        let resp = match result {
            Ok(r) => r,
            Err(e @ TransportError::BodyTooLarge { .. }) => {
                return Attempt::Final(Failure::Request(RequestError::Transport(e)))
            }
            Err(e) => {
                tracing::debug!(error = %e, "transport error");
                return Attempt::Retryable(RequestError::Transport(e), RetryKind::Transient);
            }
        };
        let status = resp.status().as_u16();
        let request_id = header(resp.headers(), "x-amzn-requestid").map(str::to_string);
        tracing::debug!(
            status,
            request_id = request_id.as_deref().unwrap_or(""),
            "response"
        );
        if status < 300 {
            let body = resp.into_body();
            return Attempt::Done(Response {
                status,
                request_id,
                body,
            });
        }
        let meta = parse_error_metadata(status, resp.headers(), resp.body());
        Attempt::Service(meta, resp.into_body())
    }
}

/// The HTTP request: the signed headers (but `host`, which comes from the URI as HTTP/1.1
/// `Host` or HTTP/2 `:authority`), the authorization, and the unsigned `content-length`
/// and `user-agent`, as botocore sends them.
fn build_request(
    url: &Target,
    headers: &[(&str, &str)],
    authorization: &str,
    body: &Bytes,
) -> Result<http::Request<Bytes>, http::Error> {
    let mut req = http::Request::new(body.clone());
    *req.method_mut() = http::Method::POST;
    *req.uri_mut() = url.uri.clone();
    let map = req.headers_mut();
    map.reserve(headers.len() + 3);
    for (k, v) in headers {
        let name = match *k {
            "host" => continue,
            "content-type" => http::header::CONTENT_TYPE,
            "content-encoding" => http::header::CONTENT_ENCODING,
            "x-amz-date" => http::HeaderName::from_static("x-amz-date"),
            "x-amz-target" => http::HeaderName::from_static("x-amz-target"),
            "x-amz-security-token" => http::HeaderName::from_static("x-amz-security-token"),
            other => http::HeaderName::from_bytes(other.as_bytes())?,
        };
        map.append(name, http::HeaderValue::from_str(v)?);
    }
    map.insert(
        http::header::AUTHORIZATION,
        http::HeaderValue::from_str(authorization)?,
    );
    map.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(body.len()),
    );
    map.insert(
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    );
    Ok(req)
}

/// Gzip-compresses a request body.
fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    enc.write_all(body)?;
    enc.finish()
}

const USER_AGENT: &str = concat!("awsgen-runtime/", env!("CARGO_PKG_VERSION"));

/// What stays the same across the attempts of one call.
#[derive(Clone, Copy)]
struct Call<'a> {
    url: &'a Target,
    target: &'a str,
    extra_headers: &'a [(String, String)],
    body: &'a Bytes,
    payload_hash: &'a str,
    gzip: bool,
}

enum Attempt {
    Done(Response),
    Service(ErrorMetadata, Bytes),
    Retryable(RequestError, RetryKind),
    Final(Failure),
}

struct FailureDisplay<'a>(&'a Failure);

impl fmt::Display for FailureDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Failure::Service(m, _) => write!(f, "{m}"),
            Failure::Request(e) => write!(f, "{}", chain(e)),
        }
    }
}

/// Where a request goes: the endpoint URL with the host prefix applied.
#[derive(Debug)]
struct Target {
    uri: http::Uri,
    /// `host[:port]` as signed (the port only when not the scheme's default).
    host: String,
    path: String,
}

impl Target {
    fn new(url: &str, host_prefix: Option<&str>) -> Result<Self, String> {
        let uri: http::Uri = url
            .parse()
            .map_err(|e| format!("endpoint `{url}` is not a valid URL: {e}"))?;
        let scheme = uri
            .scheme_str()
            .ok_or_else(|| format!("endpoint `{url}` has no scheme"))?
            .to_string();
        if scheme != "http" && scheme != "https" {
            return Err(format!("endpoint `{url}` must be http or https"));
        }
        let host = uri
            .host()
            .ok_or_else(|| format!("endpoint `{url}` has no host"))?;
        let host = match host_prefix {
            Some(p) => format!("{p}{host}"),
            None => host.to_string(),
        };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let authority = match uri.port_u16() {
            Some(p) if p != default_port => format!("{host}:{p}"),
            _ => host,
        };
        // The operation's request URI (`/` for the JSON protocols) joined to the
        // endpoint's path: `https://example.com/custom` sends to `/custom/`.
        let path = match uri.path() {
            "" | "/" => "/".to_string(),
            p if p.ends_with('/') => p.to_string(),
            p => format!("{p}/"),
        };
        let full = format!("{scheme}://{authority}{path}");
        let uri = full
            .parse()
            .map_err(|e| format!("endpoint `{full}` is not a valid URL: {e}"))?;
        Ok(Target {
            uri,
            host: authority,
            path,
        })
    }
}

fn resolve_endpoint(service: &ServiceInfo, params: &Params) -> Result<Endpoint, EndpointError> {
    match service.endpoint_rule_set {
        Some(rules) => endpoint::Resolver::new(rules)?.resolve(params),
        None => match (&params.endpoint, &params.region) {
            (Some(url), _) => Ok(Endpoint {
                url: url.clone(),
                headers: Vec::new(),
            }),
            (None, Some(region)) => {
                let suffix = endpoint::dns_suffix(region).unwrap_or_else(|| "amazonaws.com".into());
                Ok(Endpoint {
                    url: format!("https://{}.{region}.{suffix}", service.endpoint_prefix),
                    headers: Vec::new(),
                })
            }
            (None, None) => Err(EndpointError::Rules(
                "Invalid Configuration: Missing Region".into(),
            )),
        },
    }
}

/// Checks and expands a host prefix label (`{Label}` values must be valid DNS labels).
pub fn host_label(name: &str, value: &str) -> Result<String, RequestError> {
    if endpoint::is_valid_host_label(value, false) {
        Ok(value.to_string())
    } else {
        Err(RequestError::Build {
            message: format!("host label `{name}` must be a valid DNS label, got `{value}`"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_metadata_from_every_code_form() {
        let h = http::HeaderMap::new();
        for body in [
            r#"{"__type":"ResourceNotFoundFault","message":"m"}"#,
            r#"{"__type":"com.amazonaws.dms#ResourceNotFoundFault","message":"m"}"#,
            r#"{"__type":"ResourceNotFoundFault:http://internal.amazon.com/coral/","Message":"m"}"#,
            r#"{"code":"ResourceNotFoundFault","errorMessage":"m"}"#,
        ] {
            let m = parse_error_metadata(400, &h, body.as_bytes());
            assert_eq!(
                (m.code(), m.message()),
                ("ResourceNotFoundFault", Some("m")),
                "{body}"
            );
        }
        let mut h = http::HeaderMap::new();
        h.insert(
            "x-amzn-errortype",
            "ResourceNotFoundFault:http://internal.amazon.com/"
                .parse()
                .unwrap(),
        );
        h.insert("x-amzn-requestid", "rid".parse().unwrap());
        let m = parse_error_metadata(400, &h, br#"{"__type":"Other","message":"m"}"#);
        assert_eq!(
            (m.code(), m.request_id(), m.status()),
            ("ResourceNotFoundFault", Some("rid"), Some(400))
        );
        let html = parse_error_metadata(502, &http::HeaderMap::new(), b"<html>Bad Gateway</html>");
        assert_eq!(
            (html.code(), html.message(), html.status()),
            ("", None, Some(502))
        );
    }

    #[test]
    fn targets() {
        let t = Target::new("https://dms.us-east-1.amazonaws.com", None).unwrap();
        assert_eq!(
            (t.uri.to_string().as_str(), t.host.as_str(), t.path.as_str()),
            (
                "https://dms.us-east-1.amazonaws.com/",
                "dms.us-east-1.amazonaws.com",
                "/"
            )
        );
        let t = Target::new("http://127.0.0.1:8080", Some("data-")).unwrap();
        assert_eq!(
            (t.uri.to_string().as_str(), t.host.as_str()),
            ("http://data-127.0.0.1:8080/", "data-127.0.0.1:8080")
        );
        let t = Target::new("https://example.com:443/base", None).unwrap();
        assert_eq!(
            (t.host.as_str(), t.path.as_str()),
            ("example.com", "/base/")
        );
        assert!(Target::new("not a url", None).is_err());
        assert!(Target::new("ftp://x", None).is_err());
    }

    #[test]
    fn service_variables() {
        assert_eq!(
            service_endpoint_variable("Database Migration Service"),
            "AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE"
        );
        assert_eq!(service_endpoint_variable("dms"), "AWS_ENDPOINT_URL_DMS");
    }

    #[test]
    fn host_labels() {
        assert_eq!(host_label("Type", "abc").unwrap(), "abc");
        assert!(host_label("Type", "a.b").is_err());
        assert!(host_label("Type", "").is_err());
    }
}
