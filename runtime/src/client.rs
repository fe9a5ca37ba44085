//! The request path every generated operation goes through: endpoint, credentials,
//! SigV4, send, retry, and sorting the response into output or error. It is
//! protocol-neutral: the service's [`Protocol`] built the request and reads error
//! responses, and generated code parses outputs with the protocol's parser.
//!
//! It is not generic over operations: generated code builds the request, calls
//! [`Handle::invoke`], and parses the output or hands the error to its fault enum, so
//! each operation adds only its serde code to a binary.

use crate::checksum;
use crate::config::Config;
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials};
use crate::endpoint::{self, Endpoint, EndpointError, Params, Target};
use crate::error::{RequestError, TimeoutKind};
use crate::http::{chain, collect_body, HttpClient, HyperClient, SharedHttpClient, TransportError};
use crate::protocol::{Protocol, Request, Response, StreamingResponse};
use crate::retry::{self, Retrier, RetryKind, RetryState};
use crate::sigv4;
use crate::{ByteStream, DateTime, ErrorMetadata};
use bytes::Bytes;
use std::fmt;
use std::sync::Arc;
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
    /// The model's endpoint rule set, if it has one.
    pub endpoint_rule_set: Option<&'static str>,
    /// The wire protocol.
    pub protocol: &'static dyn Protocol,
    /// How requests are signed.
    pub signer: Signer,
    /// S3 with `CreateSession` generated: how the client opens an S3 Express One Zone
    /// session for a directory bucket, whose zonal endpoint takes requests signed with
    /// the session's credentials (`sigv4-s3express`).
    pub s3_express: Option<S3ExpressSession>,
}

/// Opens an S3 Express session for a bucket (the generated `CreateSession`, sent with
/// the client's own credentials): its credentials, or why there are none.
pub type S3ExpressSession = fn(
    Handle,
    String,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Credentials, String>> + Send>,
>;

/// The service's SigV4 flavour, as botocore chooses its signer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    /// SigV4 (`v4`): the path normalized and encoded again.
    SigV4,
    /// S3's SigV4 (`s3v4`, S3 and S3 Control): the path signed as sent, and
    /// `X-Amz-Content-SHA256` sent with every request.
    S3SigV4,
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
    /// Rule-set parameters the operation sets (`staticContextParams`): its endpoint is
    /// resolved with them (once per client and operation).
    pub endpoint_params: &'static [(&'static str, crate::endpoint::StaticParam)],
    /// How its requests are signed.
    pub auth: Auth,
    /// A 200 answer may be an error document, or cut short (S3's `CopyObject`,
    /// `CompleteMultipartUpload`, ...): such an answer is an error with status 500, and
    /// retried, as botocore's `_handle_200_error` makes it.
    pub error_in_200: bool,
}

/// How an operation's requests are signed: the model's `authtype` (or `auth`) and
/// `unsignedPayload`, as botocore reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// SigV4 over the whole request, the body's SHA-256 included.
    SigV4,
    /// SigV4 with the body left out (`UNSIGNED-PAYLOAD`) over https, as botocore signs
    /// `v4-unsigned-body` operations (large uploads such as EBS `PutSnapshotBlock`); over
    /// plain http the body is hashed, as botocore does.
    SigV4UnsignedPayload,
    /// Not signed, and no credentials needed (`authtype: none`: Cognito Identity's
    /// `GetId`, STS's `AssumeRoleWithWebIdentity`).
    None,
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

/// An operation as a type: generated code gives each operation one
/// (`operation::delete_connection::DeleteConnection`), for mocks and generic code.
pub trait Operation: Send + Sync + 'static {
    /// The input.
    type Input: Send + 'static;
    /// The output.
    type Output: Send + 'static;
    /// The error enum.
    type Error: From<RequestError> + Send + 'static;
    /// The name on the wire (`DeleteConnection`).
    const NAME: &'static str;

    /// The response a typed mock answers `output` with, for protocols whose body is not
    /// the output's serde form (REST: members bound to headers, the status, a payload);
    /// `None`: the serde form is the body (awsJson).
    #[doc(hidden)]
    fn mock_response(
        _output: &Self::Output,
    ) -> Option<Result<crate::protocol::rest::MockResponse, RequestError>> {
        None
    }

    /// The operation's static description (its name, errors, rule-set parameters, how
    /// it is signed).
    #[doc(hidden)]
    const INFO: &'static OperationInfo;

    /// The input made into the operation's request (generated `__prepare`); an
    /// operation this client cannot send refuses here.
    #[doc(hidden)]
    fn prepare(handle: &Handle, input: Self::Input) -> Prepared;
}

/// An operation whose output streams events: how a typed mock writes its answer
/// ([`Rule::then_events`](crate::test_util::Rule::then_events)). Generated code
/// implements it, with the `test-util` feature, for each operation whose output event
/// stream it reads.
#[doc(hidden)]
pub trait EventOperation: Operation {
    /// The operation's events (`ConverseStreamEvent`).
    type Event: Send + 'static;

    /// The message a service sends `event` in (`:event-type`, `:content-type`, its
    /// payload), as the operation's `__event` reads it back.
    fn event_message(event: &Self::Event) -> Result<crate::eventstream::Message, RequestError>;

    /// The message a service ends the stream with for `error`: a modelled exception of
    /// the stream (`:message-type` `exception`), else an `error` message with its code and
    /// message.
    fn error_message(error: &Self::Error) -> crate::eventstream::Message;

    /// The payload of the `initial-response` event that begins the stream (awsJson: the
    /// output's other members), or `None` when the stream has none (rest-json: they are
    /// headers).
    fn initial_response(output: &Self::Output) -> Option<Result<Vec<u8>, RequestError>>;
}

/// Turns what [`Handle::invoke`] returned into an operation's result: the output parsed
/// from a success by the protocol's `parse`, a fault sorted by the operation's
/// `from_response`, or a request error.
pub fn finish<R, O, E>(
    result: Result<R, Failure>,
    parse: fn(R) -> Result<O, RequestError>,
    fault: fn(ErrorMetadata, &[u8]) -> E,
) -> Result<O, E>
where
    E: From<RequestError>,
{
    match result {
        Ok(resp) => parse(resp).map_err(E::from),
        Err(failure) => Err(failed(failure, fault)),
    }
}

/// What an operation's generated `__prepare` makes of its input: the request as the
/// protocol built it and the expanded host prefix (`endpoint.hostPrefix`), or why there
/// is no request.
#[doc(hidden)]
pub type Prepared = Result<(Request, Option<String>), RequestError>;

/// The steps of one operation's call, as its generated code names them: the operation's
/// static description, the function that prepares its request from its input, the
/// protocol's parse of a success (`R`: [`Response`] or [`StreamingResponse`]) and the
/// operation's sorting of faults. One generic call path, so that a generated crate holds
/// no `async` body of its own per operation (each cost the compiler a coroutine to
/// type-check and borrow-check).
#[doc(hidden)]
pub struct Steps<I, R, O, E> {
    /// The operation.
    pub info: &'static OperationInfo,
    /// The input made into a request (idempotency tokens filled, botocore's handlers
    /// applied, rule-set parameters read).
    pub prepare: fn(&Handle, I) -> Prepared,
    /// A success's output.
    pub parse: fn(R) -> Result<O, RequestError>,
    /// A fault's typed error.
    pub fault: fn(ErrorMetadata, &[u8]) -> E,
}

fn split(prepared: Prepared) -> (Result<Request, RequestError>, Option<String>) {
    match prepared {
        Ok((request, host_prefix)) => (Ok(request), host_prefix),
        Err(e) => (Err(e), None),
    }
}

/// Sends an operation whose output is read whole: what a generated client method returns.
#[doc(hidden)]
pub async fn call<H, I, O, E>(handle: H, input: I, steps: Steps<I, Response, O, E>) -> Result<O, E>
where
    H: AsRef<Handle>,
    E: From<RequestError>,
{
    let handle = handle.as_ref();
    let (request, host_prefix) = split((steps.prepare)(handle, input));
    let answer = handle.invoke(steps.info, request, host_prefix).await;
    finish(answer, steps.parse, steps.fault)
}

/// [`call`] for an operation whose output streams (a `streaming` payload, an output
/// event stream): its parse gets the response at its head.
#[doc(hidden)]
pub async fn call_streaming<H, I, O, E>(
    handle: H,
    input: I,
    steps: Steps<I, StreamingResponse, O, E>,
) -> Result<O, E>
where
    H: AsRef<Handle>,
    E: From<RequestError>,
{
    let handle = handle.as_ref();
    let (request, host_prefix) = split((steps.prepare)(handle, input));
    let answer = handle
        .invoke_streaming(steps.info, request, host_prefix)
        .await;
    finish(answer, steps.parse, steps.fault)
}

/// Sends an operation whose answer the generated code reads itself (awsJson's output
/// event streams, whose `initial-response` event is read first): the streaming response
/// or why there is none.
#[doc(hidden)]
pub async fn call_raw<I>(
    handle: &Handle,
    input: I,
    info: &'static OperationInfo,
    prepare: fn(&Handle, I) -> Prepared,
) -> Result<StreamingResponse, Failure> {
    let (request, host_prefix) = split(prepare(handle, input));
    handle.invoke_streaming(info, request, host_prefix).await
}

/// An operation's request for `input` signed in its URL ([`Handle::presign`]): what a
/// generated `presign` returns.
#[doc(hidden)]
pub async fn presign_call<H, I, E>(
    handle: H,
    input: I,
    expires_in: std::time::Duration,
    info: &'static OperationInfo,
    prepare: fn(&Handle, I) -> Prepared,
) -> Result<crate::presign::PresignedRequest, E>
where
    H: AsRef<Handle>,
    E: From<RequestError>,
{
    let handle = handle.as_ref();
    let (request, host_prefix) = split(prepare(handle, input));
    handle
        .presign(info, request, host_prefix, expires_in)
        .await
        .map_err(E::from)
}

/// Operation `O`'s request for `input` signed in its URL (`Client::presign::<O>`).
#[doc(hidden)]
pub async fn presign_op<O: Operation>(
    handle: &Handle,
    input: O::Input,
    expires_in: std::time::Duration,
) -> Result<crate::presign::PresignedRequest, O::Error> {
    presign_call(handle, input, expires_in, O::INFO, O::prepare).await
}

/// The operation's error for a call that got no success: the service's error sorted by
/// `fault`, or the request's.
#[doc(hidden)]
pub fn failed<E>(failure: Failure, fault: fn(ErrorMetadata, &[u8]) -> E) -> E
where
    E: From<RequestError>,
{
    match failure {
        Failure::Service(meta, body) => fault(meta, &body),
        Failure::Request(e) => E::from(e),
    }
}

/// An endpoint resolved and its URL parsed, or why it could not be.
type Resolved = Result<(Endpoint, Target), EndpointError>;

/// Resolves an endpoint with `resolver` (the service's parsed rule set, if it has one)
/// and parses its URL.
fn resolve_target(
    service: &ServiceInfo,
    resolver: Option<&Result<endpoint::Resolver, EndpointError>>,
    params: &Params,
    statics: &[(&'static str, endpoint::StaticParam)],
    context: &[(&'static str, endpoint::ContextParam)],
) -> Resolved {
    let resolver = match resolver {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => return Err(e.clone()),
        None => None,
    };
    endpoint::resolve_for_operation(resolver, service.endpoint_prefix, params, statics, context)
        .and_then(|e| Target::new(&e.url, None).map(|t| (e, t)))
}

/// A client's shared state: config, resolved endpoint, transport, retry quota.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    /// The endpoint, resolved once (it depends only on the config), and its URL parsed
    /// (operations with a host prefix derive their own per call).
    endpoint: Result<(Endpoint, Target), EndpointError>,
    /// The endpoints of operations with `staticContextParams`, resolved at their first
    /// call, by operation name.
    operation_endpoints: std::sync::Mutex<std::collections::BTreeMap<&'static str, Resolved>>,
    /// S3: the region of each bucket a redirect named, for its later calls (botocore's
    /// `S3RegionRedirectorv2` cache).
    bucket_regions: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
    /// S3: the S3 Express sessions opened, by bucket.
    express_sessions: crate::s3::ExpressSessions,
    /// The configuration's rule-set parameters (region, FIPS, dual-stack, endpoint URL).
    params: Params,
    /// The rule set, parsed once (`None`: the model has none), for the endpoints of
    /// operations and of calls whose input sets parameters (`contextParams`).
    resolver: Option<Result<endpoint::Resolver, EndpointError>>,
    http: Result<SharedHttpClient, rustls::Error>,
    retry: RetryState,
    signing_keys: sigv4::SigningKeyCache,
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.service.service_id)
            .field("config", &self.config)
            .field("endpoint", &self.endpoint.as_ref().map(|(e, _)| e))
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// A token for an idempotency-token member the caller left unset: the configured
    /// source's, or a random UUID v4 (as botocore's `generate_idempotent_uuid`).
    pub fn idempotency_token(&self) -> String {
        match &self.inner.config.idempotency_tokens {
            Some(source) => source(),
            None => crate::uuid_v4(),
        }
    }
}

impl AsRef<Handle> for Handle {
    fn as_ref(&self) -> &Handle {
        self
    }
}

/// What stays the same across the attempts of one call.
struct Call<'a> {
    op: &'static OperationInfo,
    target: &'a Target,
    request: &'a Request,
    /// The body as sent (gzipped when `gzip`); the request's own body was moved here.
    /// Each attempt sends a copy ([`ByteStream::try_clone`]); a one-shot stream is sent
    /// by the first attempt only (`None` here: it is held by `run`).
    body: Option<ByteStream>,
    /// The SigV4 payload hash: the body's SHA-256 (in memory, or read from its file), or
    /// `UNSIGNED-PAYLOAD` for a one-shot stream, as botocore signs unseekable bodies.
    payload_hash: PayloadHash,
    /// The service signs as S3 does.
    s3: bool,
    /// The checksum an `aws-chunked` body trails: each attempt frames its copy.
    trailer: Option<checksum::Algorithm>,
    gzip: bool,
    endpoint_headers: &'a [(String, String)],
    /// The signing region and name: the endpoint's `sigv4` auth scheme's, else the
    /// configured region and the model's signing name.
    signing_region: &'a str,
    signing_name: &'a str,
    /// Signed with the S3 Express session of this bucket (the endpoint's scheme is
    /// `sigv4-s3express`), not with the client's credentials.
    express: Option<&'a str>,
    /// The response body is handed over as it arrives instead of read whole.
    stream_output: bool,
}

/// How a request was signed, for a body whose parts chain from its signature.
struct Signed<'a> {
    creds: &'a Credentials,
    key: &'a std::sync::Arc<sigv4::SigningKey>,
    amz_date: &'a str,
    /// The request's signature (hex).
    seed: &'a str,
}

#[derive(Clone, Copy)]
enum PayloadHash {
    Digest(sigv4::HexDigest),
    Unsigned,
    StreamingUnsignedTrailer,
    /// An `aws-chunked` body over plain http: each chunk and the trailer signed.
    StreamingSignedTrailer,
    /// An input event stream: each message is signed as it is sent.
    StreamingEvents,
}

impl PayloadHash {
    fn as_str(&self) -> &str {
        match self {
            PayloadHash::Digest(d) => d.as_str(),
            PayloadHash::Unsigned => "UNSIGNED-PAYLOAD",
            PayloadHash::StreamingUnsignedTrailer => "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            PayloadHash::StreamingSignedTrailer => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            PayloadHash::StreamingEvents => crate::eventstream::STREAMING_EVENTS,
        }
    }
}

/// A successful attempt's response: read whole, or streaming.
enum Done {
    Whole(Response),
    /// Boxed: the head's headers make it several times the size of the rest.
    Stream(Box<StreamingResponse>),
}

/// How one attempt ended.
enum Attempt {
    Done(Done),
    /// A failure, and how to retry it if it may be retried.
    Failed(Failure, Option<RetryKind>),
}

impl Handle {
    /// Builds the shared state: resolves the endpoint once and builds the default
    /// transport if none was given.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Self {
        let endpoint = config.endpoint_url_for(service.service_id, service.endpoint_prefix);
        let params = Params {
            region: config.region.clone(),
            use_fips: config.use_fips,
            use_dual_stack: match (service.signer, config.s3.use_dual_stack) {
                (Signer::S3SigV4, Some(on)) => on,
                _ => config.use_dual_stack,
            },
            s3: config
                .s3
                .params(config.region.as_deref(), endpoint.as_deref()),
            endpoint,
        };
        let resolver = service.endpoint_rule_set.map(endpoint::Resolver::new);
        let endpoint = resolve_target(service, resolver.as_ref(), &params, &[], &[]);
        let http = match &config.http_client {
            Some(c) => Ok(c.clone()),
            None => {
                let mut b = HyperClient::builder()
                    .connect_timeout(config.timeouts.connect)
                    .read_timeout(config.timeouts.read)
                    .extra_roots(&config.extra_roots);
                if let Some(p) = &config.proxy {
                    b = b.proxy(p.clone());
                }
                b.build().map(SharedHttpClient::new)
            }
        };
        Handle {
            inner: Arc::new(Inner {
                service,
                config,
                endpoint,
                operation_endpoints: std::sync::Mutex::default(),
                bucket_regions: std::sync::Mutex::default(),
                express_sessions: crate::s3::ExpressSessions::default(),
                params,
                resolver,
                http,
                retry: RetryState::new(),
                signing_keys: sigv4::SigningKeyCache::default(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The adaptive retry mode's rate limiter as it stands (`None` in other modes): whether
    /// it is on, the allowed send rate, the measured one.
    pub fn send_rate(&self) -> Option<crate::rate_limit::RateSnapshot> {
        (self.inner.config.retry.mode == retry::RetryMode::Adaptive)
            .then(|| self.inner.retry.rate.snapshot())
    }

    /// The endpoint of an operation with `staticContextParams`, resolved with them at
    /// its first call and kept.
    fn operation_endpoint(
        &self,
        op: &'static OperationInfo,
    ) -> Result<(Endpoint, Target), EndpointError> {
        let inner = &*self.inner;
        let mut cache = inner
            .operation_endpoints
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(op.name)
            .or_insert_with(|| self.call_endpoint(op, &[]))
            .clone()
    }

    /// The endpoint of one call: the operation's `staticContextParams` and the
    /// parameters its input sets (`contextParams`), resolved for it.
    fn call_endpoint(
        &self,
        op: &'static OperationInfo,
        context: &[(&'static str, endpoint::ContextParam)],
    ) -> Resolved {
        let inner = &*self.inner;
        let s3_call = match inner.service.signer {
            Signer::S3SigV4 => crate::s3::call_params(&inner.params.s3, context),
            Signer::SigV4 => None,
        };
        let region = match inner.service.endpoint_prefix {
            "s3" => crate::s3::redirectable_bucket(context).and_then(|b| {
                let cache = inner
                    .bucket_regions
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                cache.get(b).cloned()
            }),
            _ => None,
        };
        let with_s3;
        let params = match (s3_call, region) {
            (None, None) => &inner.params,
            (s3, region) => {
                with_s3 = Params {
                    s3: s3.unwrap_or_else(|| inner.params.s3.clone()),
                    region: region.or_else(|| inner.params.region.clone()),
                    ..inner.params.clone()
                };
                &with_s3
            }
        };
        resolve_target(
            inner.service,
            inner.resolver.as_ref(),
            params,
            op.endpoint_params,
            context,
        )
    }

    /// The resolved endpoint, or why there is none.
    pub fn endpoint(&self) -> Result<&Endpoint, &EndpointError> {
        self.inner.endpoint.as_ref().map(|(e, _)| e)
    }

    /// Sends one operation: `request` as the protocol built it, `host_prefix` the
    /// expanded `endpoint.hostPrefix`.
    pub async fn invoke(
        &self,
        op: &'static OperationInfo,
        request: Result<Request, RequestError>,
        host_prefix: Option<String>,
    ) -> Result<Response, Failure> {
        match self.invoke_as(op, request, host_prefix, false).await? {
            Done::Whole(r) => Ok(r),
            // `invoke_as` streams only when asked to.
            Done::Stream(r) => Err(Failure::Request(RequestError::Build {
                message: format!("{} answered a stream where none was asked for", r.status),
            })),
        }
    }

    /// [`invoke`](Self::invoke) for an operation whose output streams (a blob payload
    /// marked `streaming`): a success is returned as soon as its head arrives, its body a
    /// [`ByteStream`] read as the caller reads it (the read timeout bounds each wait; the
    /// attempt and operation timeouts end with the head). Errors are read whole, as usual.
    pub async fn invoke_streaming(
        &self,
        op: &'static OperationInfo,
        request: Result<Request, RequestError>,
        host_prefix: Option<String>,
    ) -> Result<StreamingResponse, Failure> {
        match self.invoke_as(op, request, host_prefix, true).await? {
            Done::Stream(r) => Ok(*r),
            Done::Whole(r) => Ok(StreamingResponse::from(r)),
        }
    }

    async fn invoke_as(
        &self,
        op: &'static OperationInfo,
        request: Result<Request, RequestError>,
        host_prefix: Option<String>,
        stream_output: bool,
    ) -> Result<Done, Failure> {
        let span = tracing::debug_span!(
            "aws_operation",
            service = self.inner.service.service_id,
            operation = op.name
        );
        // Checked (its labels) but not put before the host when disabled, as botocore.
        let host_prefix = host_prefix.filter(|_| !self.inner.config.disable_host_prefix);
        let run = self.run(op, request, host_prefix, stream_output);
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

    /// `request` signed in its URL, valid for `expires_in` (at most seven days): botocore's
    /// `generate_presigned_url` with SigV4 (`s3v4` for S3: the payload `UNSIGNED-PAYLOAD`,
    /// the global endpoint for S3 buckets that can be host names). No checksum is added
    /// (botocore's rule for presigned requests), nor the validation-mode header; a body
    /// cannot travel in a URL, so an operation whose request has one is refused.
    pub async fn presign(
        &self,
        op: &'static OperationInfo,
        request: Result<Request, RequestError>,
        host_prefix: Option<String>,
        expires_in: std::time::Duration,
    ) -> Result<crate::presign::PresignedRequest, RequestError> {
        let inner = &*self.inner;
        let request = request?;
        let expires = crate::presign::expires_secs(expires_in)?;
        if !request.body.is_empty() {
            return Err(RequestError::Build {
                message: format!(
                    "{} sends a body, which a presigned URL cannot carry",
                    op.name
                ),
            });
        }
        let host_prefix = host_prefix.filter(|_| !inner.config.disable_host_prefix);
        let (endpoint, target) = self.presign_target(op, &request, host_prefix.as_deref())?;
        let (signing_region, signing_name) = self.presign_scope(&request, &endpoint)?;
        let express = express_bucket(op, &endpoint, &request)?;
        let creds = match express {
            Some(bucket) => self.express_credentials(bucket).await,
            None => self.credentials().await,
        }
        .map_err(RequestError::Credentials)?;
        let now = self.now();
        let params = sigv4::SigningParams {
            access_key_id: creds.access_key_id(),
            secret_access_key: creds.secret_access_key(),
            region: &signing_region,
            service: signing_name,
            time: now,
        };
        let key = inner.signing_keys.key(&params, &now.to_amz_date()[..8]);
        crate::presign::sign(crate::presign::Unsigned {
            request: &request,
            endpoint_headers: &endpoint.headers,
            target: &target,
            s3: inner.service.signer == Signer::S3SigV4,
            params: &params,
            key: &key,
            expires,
            session_token: creds.session_token(),
            s3_express: express.is_some(),
        })
    }

    /// An S3 presigned POST (botocore's `generate_presigned_post`): a form for a browser
    /// to upload `post`'s key to its bucket with, posted to the URL of `op` (the
    /// generated `CreateBucket`'s, as botocore chooses, for the bucket's endpoint), signed
    /// as presigned requests are.
    pub async fn presigned_post(
        &self,
        op: &'static OperationInfo,
        post: crate::presign::PostPolicy,
    ) -> Result<crate::presign::PresignedPost, RequestError> {
        let inner = &*self.inner;
        let request = Request {
            method: http::Method::POST,
            path: "/".into(),
            headers: Vec::new(),
            body: ByteStream::default(),
            mock_input: None,
            endpoint_params: vec![("Bucket", endpoint::ContextParam::Str(post.bucket.clone()))],
            checksum: None,
            streaming_input: false,
            payload_given: false,
            events: None,
            validate_response: &[],
        };
        let (endpoint, target) = self.presign_target(op, &request, None)?;
        let (region, service) = self.presign_scope(&request, &endpoint)?;
        let express = express_bucket(op, &endpoint, &request)?;
        let creds = match express {
            Some(bucket) => self.express_credentials(bucket).await,
            None => self.credentials().await,
        }
        .map_err(RequestError::Credentials)?;
        let now = self.now();
        let amz_date = now.to_amz_date();
        let params = sigv4::SigningParams {
            access_key_id: creds.access_key_id(),
            secret_access_key: creds.secret_access_key(),
            region: &region,
            service,
            time: now,
        };
        let key = inner.signing_keys.key(&params, &amz_date[..8]);
        let scheme = target.uri.scheme_str().unwrap_or("https");
        let url = format!("{scheme}://{}{}", target.host, target.path);
        let signing = crate::presign::PostSigning {
            key: &key,
            amz_date: &amz_date,
            credential: format!(
                "{}/{}/{region}/{service}/aws4_request",
                creds.access_key_id(),
                &amz_date[..8]
            ),
            session_token: creds.session_token(),
            s3_express: express.is_some(),
        };
        Ok(crate::presign::sign_post(post, url, now, signing))
    }

    /// The signing region and name of a presigned request to `endpoint`, as botocore
    /// presigns: the client's region, unless the bucket is an ARN (whose region the rules
    /// put in the auth scheme); the scheme's signing name, else the model's.
    fn presign_scope<'a>(
        &'a self,
        request: &Request,
        endpoint: &'a Endpoint,
    ) -> Result<(String, &'a str), RequestError> {
        let inner = &*self.inner;
        let region = inner.config.region.clone().ok_or(RequestError::NoRegion)?;
        let scheme = endpoint.sigv4_scheme().map_err(RequestError::Endpoint)?;
        let arn = request.endpoint_params.iter().any(|(n, v)| {
            *n == "Bucket" && matches!(v, endpoint::ContextParam::Str(b) if b.starts_with("arn:"))
        });
        let signing_region = match scheme.and_then(|s| s.signing_region.clone()) {
            Some(r) if arn => r,
            _ => region,
        };
        let name = scheme
            .and_then(|s| s.signing_name.as_deref())
            .unwrap_or(inner.service.signing_name);
        Ok((signing_region, name))
    }

    /// The signing region and name of requests to `endpoint`: its `sigv4` auth scheme's,
    /// else the configured region and the model's signing name.
    fn signing<'a>(&'a self, endpoint: &'a Endpoint) -> Result<(&'a str, &'a str), RequestError> {
        let inner = &*self.inner;
        let scheme = endpoint.sigv4_scheme().map_err(RequestError::Endpoint)?;
        let region = match scheme.and_then(|s| s.signing_region.as_deref()) {
            Some(r) => r,
            None => inner
                .config
                .region
                .as_deref()
                .ok_or(RequestError::NoRegion)?,
        };
        let name = scheme
            .and_then(|s| s.signing_name.as_deref())
            .unwrap_or(inner.service.signing_name);
        Ok((region, name))
    }

    /// The endpoint and target of a presigned request: S3's own built-ins for presigning
    /// (botocore's `customize_endpoint_resolver_builtins` is S3's, not S3 Control's),
    /// else the call's endpoint; the host prefix and the request's path.
    fn presign_target(
        &self,
        op: &'static OperationInfo,
        request: &Request,
        host_prefix: Option<&str>,
    ) -> Result<(Endpoint, Target), RequestError> {
        let inner = &*self.inner;
        let presign_params = match inner.service.endpoint_prefix {
            "s3" => crate::s3::presign_params(
                &inner.config.s3,
                &inner.params,
                op.endpoint_params,
                &request.endpoint_params,
            ),
            _ => None,
        };
        let (endpoint, target) = match presign_params {
            Some(params) => resolve_target(
                inner.service,
                inner.resolver.as_ref(),
                &params,
                op.endpoint_params,
                &request.endpoint_params,
            ),
            None => self.call_endpoint(op, &request.endpoint_params),
        }
        .map_err(RequestError::Endpoint)?;
        let target = match host_prefix {
            None => target,
            Some(p) => Target::new(&endpoint.url, Some(p)).map_err(RequestError::Endpoint)?,
        };
        let target = target
            .with_request_path(&request.path)
            .map_err(RequestError::Endpoint)?;
        Ok((endpoint, target))
    }

    /// Checks what every attempt needs, then runs attempts until one succeeds or the
    /// retry policy gives up.
    async fn run(
        &self,
        op: &'static OperationInfo,
        request: Result<Request, RequestError>,
        host_prefix: Option<String>,
        stream_output: bool,
    ) -> Result<Done, Failure> {
        let inner = &*self.inner;
        let fail = |e: RequestError| Failure::Request(e);
        let mut request = request.map_err(fail)?;
        self.check(op, &request).map_err(fail)?;
        let own;
        let (endpoint, default_target) =
            if request.endpoint_params.is_empty() && op.endpoint_params.is_empty() {
                let (e, t) = inner
                    .endpoint
                    .as_ref()
                    .map_err(|e| fail(RequestError::Endpoint(e.clone())))?;
                (e, t)
            } else {
                // Resolved for this call (its input sets rule-set parameters), or once for
                // the operation (its `staticContextParams`).
                own = match request.endpoint_params.is_empty() {
                    true => self.operation_endpoint(op),
                    false => self.call_endpoint(op, &request.endpoint_params),
                }
                .map_err(|e| fail(RequestError::Endpoint(e)))?;
                (&own.0, &own.1)
            };
        let http = self.transport().map_err(fail)?;
        let prefixed;
        let target = match host_prefix.as_deref() {
            None => default_target,
            Some(p) => {
                prefixed = Target::new(&endpoint.url, Some(p))
                    .map_err(|e| fail(RequestError::Endpoint(e)))?;
                &prefixed
            }
        };
        // A REST request's own path and query, joined to the endpoint's path.
        let with_path;
        let target = if request.path.is_empty() {
            target
        } else {
            with_path = target
                .with_request_path(&request.path)
                .map_err(|e| fail(RequestError::Endpoint(e)))?;
            &with_path
        };
        let (body, gzip, payload_hash, trailer) = self
            .prepare_body(op, &mut request, target)
            .await
            .map_err(fail)?;
        let (body, one_shot) = replayable(body, request.events.is_some());
        let (signing_region, signing_name) = self.signing(endpoint).map_err(fail)?;
        let express = express_bucket(op, endpoint, &request).map_err(fail)?;
        let call = Call {
            op,
            target,
            request: &request,
            payload_hash,
            body,
            trailer,
            s3: inner.service.signer == Signer::S3SigV4,
            gzip,
            endpoint_headers: &endpoint.headers,
            signing_region,
            signing_name,
            express,
            stream_output,
        };
        match self.attempts(http, &call, one_shot).await {
            Err(Failure::Service(meta, body)) => {
                self.redirect(http, &call, host_prefix.as_deref(), meta, body)
                    .await
            }
            other => other,
        }
    }

    /// What a call needs before anything else: a region, and for an input event stream a
    /// transport that speaks HTTP/2 (AWS takes them over HTTP/2 only).
    fn check(&self, op: &OperationInfo, request: &Request) -> Result<(), RequestError> {
        let config = &self.inner.config;
        if config.region.is_none() {
            return Err(RequestError::NoRegion);
        }
        if request.events.is_some() && config.http_client.is_none() && !cfg!(feature = "http2") {
            let message = format!(
                "{} sends an event stream, which AWS takes over HTTP/2 only: enable the \
                 `http2` feature of awsgen-runtime (or give `http_client` a transport that \
                 speaks HTTP/2); nothing was sent",
                op.name
            );
            return Err(RequestError::Build { message });
        }
        Ok(())
    }

    /// The signing time: the configured clock's, else the system's.
    fn now(&self) -> DateTime {
        self.inner
            .config
            .time_source
            .as_ref()
            .map(|f| f())
            .unwrap_or_else(DateTime::now)
    }

    /// The transport, or why the default one could not be made (its TLS settings).
    fn transport(&self) -> Result<&SharedHttpClient, RequestError> {
        self.inner
            .http
            .as_ref()
            .map_err(|e| RequestError::Transport(TransportError::Connect(Box::new(e.clone()))))
    }

    /// S3's region redirect (botocore's `S3RegionRedirectorv2`): an error that names the
    /// bucket's region ([`crate::s3::redirect_region`]) is remembered for the bucket, and
    /// the call made once more, to that region's endpoint and signed for it. Any other
    /// error, an ARN bucket, the region the call was already signed for, or a one-shot
    /// body (already sent) is returned as it is.
    async fn redirect(
        &self,
        http: &SharedHttpClient,
        call: &Call<'_>,
        host_prefix: Option<&str>,
        meta: ErrorMetadata,
        body: Bytes,
    ) -> Result<Done, Failure> {
        let inner = &*self.inner;
        let bucket = match inner.service.endpoint_prefix {
            "s3" => crate::s3::redirectable_bucket(&call.request.endpoint_params),
            _ => None,
        };
        let region =
            match bucket.and_then(|_| crate::s3::redirect_region(call.op.name, &meta, &body)) {
                Some(crate::s3::Redirect::To(r)) => Some(r),
                Some(crate::s3::Redirect::Unknown) if call.body.is_some() => {
                    self.head_bucket_region(http, call, bucket.unwrap_or_default())
                        .await
                }
                _ => None,
            };
        let (Some(bucket), Some(region), Some(copy)) = (
            bucket,
            region,
            call.body.as_ref().and_then(ByteStream::try_clone),
        ) else {
            return Err(Failure::Service(meta, body));
        };
        if region == call.signing_region {
            return Err(Failure::Service(meta, body));
        }
        tracing::debug!(bucket, region, "S3 region redirect");
        inner
            .bucket_regions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(bucket.to_string(), region);
        let fail = |e: EndpointError| Failure::Request(RequestError::Endpoint(e));
        let (endpoint, target) = self
            .call_endpoint(call.op, &call.request.endpoint_params)
            .map_err(fail)?;
        let target = match host_prefix {
            Some(p) => Target::new(&endpoint.url, Some(p)).map_err(fail)?,
            None => target,
        };
        let target = match call.request.path.is_empty() {
            true => target,
            false => target.with_request_path(&call.request.path).map_err(fail)?,
        };
        let (signing_region, signing_name) = self.signing(&endpoint).map_err(Failure::Request)?;
        let again = Call {
            target: &target,
            body: Some(copy),
            endpoint_headers: &endpoint.headers,
            signing_region,
            signing_name,
            ..*call
        };
        self.attempts(http, &again, None).await
    }

    /// The region of `bucket` as `HeadBucket` tells it (`x-amz-bucket-region` of its
    /// answer, a success or an error alike), botocore's last resort when a redirect names
    /// none: a `HEAD` of the bucket at the call's endpoint, signed as the call was. As
    /// botocore's `head_bucket` is itself redirected, a `HEAD` answered with another
    /// region is sent once more there (the region remembered for the bucket), and that
    /// answer says.
    async fn head_bucket_region(
        &self,
        http: &SharedHttpClient,
        call: &Call<'_>,
        bucket: &str,
    ) -> Option<String> {
        let params = vec![("Bucket", endpoint::ContextParam::Str(bucket.to_string()))];
        for redirected in [false, true] {
            let headers = match self.head_bucket(http, call, &params).await? {
                Ok(headers) => headers,
                Err((meta, body)) => {
                    let again = crate::s3::redirect_region("HeadBucket", &meta, &body);
                    match again {
                        Some(crate::s3::Redirect::To(r)) if !redirected => {
                            self.inner
                                .bucket_regions
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .insert(bucket.to_string(), r);
                            continue;
                        }
                        _ => meta.response_headers()?.clone(),
                    }
                }
            };
            let region = headers.get("x-amz-bucket-region")?.to_str().ok()?;
            return crate::s3::valid_region(Some(region.to_string()));
        }
        None
    }

    /// One `HEAD` of a bucket (`params`) at the endpoint its region resolves to: the
    /// answer's headers, or the service's error; `None` when it could not be sent.
    async fn head_bucket(
        &self,
        http: &SharedHttpClient,
        call: &Call<'_>,
        params: &[(&'static str, endpoint::ContextParam)],
    ) -> Option<Result<http::HeaderMap, (ErrorMetadata, Bytes)>> {
        let (endpoint, target) = self.call_endpoint(call.op, params).ok()?;
        let target = target.with_request_path("/").ok()?;
        let (signing_region, signing_name) = self.signing(&endpoint).ok()?;
        let request = Request {
            method: http::Method::HEAD,
            path: "/".into(),
            headers: Vec::new(),
            body: ByteStream::default(),
            mock_input: None,
            endpoint_params: params.to_vec(),
            checksum: None,
            streaming_input: false,
            payload_given: false,
            events: None,
            validate_response: &[],
        };
        let head = Call {
            target: &target,
            request: &request,
            body: Some(ByteStream::default()),
            payload_hash: PayloadHash::Digest(sigv4::sha256_hex_inline(&[])),
            trailer: None,
            gzip: false,
            endpoint_headers: &endpoint.headers,
            signing_region,
            signing_name,
            stream_output: false,
            ..*call
        };
        match self.attempts(http, &head, None).await {
            Ok(Done::Whole(resp)) => Some(Ok(resp.headers)),
            Ok(Done::Stream(resp)) => Some(Ok(resp.headers)),
            Err(Failure::Service(meta, body)) => Some(Err((meta, body))),
            Err(Failure::Request(_)) => None,
        }
    }

    /// Runs attempts until one succeeds or the retry policy gives up (or a one-shot body,
    /// sent by the first, would have to be sent again).
    async fn attempts(
        &self,
        http: &SharedHttpClient,
        call: &Call<'_>,
        mut one_shot: Option<ByteStream>,
    ) -> Result<Done, Failure> {
        let inner = &*self.inner;
        let op = call.op;
        let mut retrier = Retrier::new(&inner.config.retry, &inner.retry);
        let adaptive = inner.config.retry.mode == retry::RetryMode::Adaptive;
        loop {
            if adaptive {
                while let Some(wait) = inner.retry.rate.try_acquire(retry::now_seconds()) {
                    tracing::debug!(?wait, "adaptive retry mode: waiting for send capacity");
                    tokio::time::sleep(wait).await;
                }
            }
            let span = tracing::debug_span!("attempt", attempt = retrier.attempt());
            let body = match &call.body {
                Some(b) => b.try_clone().unwrap_or_default(),
                None => one_shot.take().unwrap_or_default(),
            };
            // Framed here when unsigned; signed chunks are framed once the request is
            // signed (`signed_request`).
            let body = match (call.trailer, call.payload_hash) {
                (Some(algorithm), PayloadHash::StreamingUnsignedTrailer) => {
                    crate::aws_chunked::unsigned(body, algorithm)
                }
                _ => body,
            };
            let outcome = self.attempt(http, call, body).instrument(span).await;
            if adaptive {
                let throttled = matches!(&outcome,
                    Attempt::Failed(Failure::Service(meta, _), _) if retry::is_throttling(meta, op.errors));
                inner
                    .retry
                    .rate
                    .on_response(retry::now_seconds(), throttled);
            }
            match outcome {
                Attempt::Done(resp) => {
                    retrier.succeeded();
                    return Ok(resp);
                }
                Attempt::Failed(failure, kind) => {
                    let Some(delay) = kind.and_then(|k| retrier.next_delay(k)) else {
                        return Err(failure);
                    };
                    if call.body.is_none() {
                        // The one-shot body went with the attempt: say so rather than
                        // send an empty or truncated one.
                        return Err(not_replayable(failure));
                    }
                    tracing::debug!(?delay, error = %FailureDisplay(&failure), "retrying");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// The body to send, whether it is gzipped, its payload hash, and the algorithm of
    /// the checksum its `aws-chunked` framing trails (each attempt frames its copy): a
    /// body in memory is compressed (when the operation allows it) and hashed once,
    /// before signing; the request's checksum is applied ([`checksum::apply`]); a body not
    /// in memory is hashed as [`payload_hash`] says; an `Auth::SigV4UnsignedPayload`
    /// operation's is not hashed when `target` is https, nor, with S3's signer, a
    /// streaming payload whose checksum is in a header (botocore's
    /// `S3SigV4Auth._should_sha256_sign_payload`); a trailing checksum's body is signed
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`.
    async fn prepare_body(
        &self,
        op: &OperationInfo,
        request: &mut Request,
        target: &Target,
    ) -> Result<(ByteStream, bool, PayloadHash, Option<checksum::Algorithm>), RequestError> {
        let config = &self.inner.config;
        if request.events.is_some() {
            // The messages are the body, each signed as it goes (`signed_request`).
            return Ok((
                ByteStream::default(),
                false,
                PayloadHash::StreamingEvents,
                None,
            ));
        }
        let https = target.uri.scheme() == Some(&http::uri::Scheme::HTTPS);
        let body = std::mem::take(&mut request.body);
        let (body, gzip) = match body.bytes() {
            Some(bytes) => {
                let (bytes, gzip) = self.compress(op, bytes.clone())?;
                (ByteStream::from(bytes), gzip)
            }
            None => (body, false),
        };
        // `UNSIGNED-PAYLOAD` only over https, as botocore signs (the body is not hashed);
        // with S3's signer only when a checksum header protects the body.
        let md5 = request
            .headers
            .iter()
            .any(|(n, _)| *n == http::HeaderName::from_static("content-md5"));
        let streaming_input = request.streaming_input;
        let signer = self.inner.service.signer;
        let unsigned = |header_checksum: bool| {
            https
                && match signer {
                    Signer::SigV4 => op.auth == Auth::SigV4UnsignedPayload,
                    Signer::S3SigV4 => {
                        (md5 || header_checksum)
                            && (streaming_input || op.auth == Auth::SigV4UnsignedPayload)
                    }
                }
        };
        let applied = checksum::apply(
            request.checksum.take(),
            &mut request.headers,
            request.streaming_input,
            &body,
            https,
            (config.checksum_calculation, config.checksum_validation),
            |header_checksum| !unsigned(header_checksum),
        )
        .await?;
        request.validate_response = applied.validate;
        let (trailer, header_checksum) = match applied.placed {
            Some((a, checksum::Placement::Trailer)) => (Some(a), false),
            Some((_, checksum::Placement::Header)) => (None, true),
            None => (None, false),
        };
        if trailer.is_some() {
            // Over plain http nothing else protects the data: each chunk is signed.
            let hash = match https {
                true => PayloadHash::StreamingUnsignedTrailer,
                false => PayloadHash::StreamingSignedTrailer,
            };
            return Ok((body, gzip, hash, trailer));
        }
        let hash = match (body.bytes(), applied.payload_sha256) {
            _ if unsigned(header_checksum) => PayloadHash::Unsigned,
            (Some(bytes), _) => PayloadHash::Digest(sigv4::sha256_hex_inline(bytes)),
            // Read with the checksum header's value.
            (None, Some(digest)) => PayloadHash::Digest(digest),
            (None, None) => payload_hash(&body).await?,
        };
        Ok((body, gzip, hash, None))
    }

    /// The body to send: gzipped once, before signing (the signature covers the
    /// compressed bytes), when the operation allows it and the body is large enough.
    ///
    /// Without the `gzip` feature bodies are sent as they are, as botocore sends them with
    /// compression disabled; generated clients whose model compresses require the feature
    /// ([`require_gzip!`](crate::__require_gzip)).
    #[cfg(not(feature = "gzip"))]
    fn compress(&self, _: &OperationInfo, body: Bytes) -> Result<(Bytes, bool), RequestError> {
        Ok((body, false))
    }

    #[cfg(feature = "gzip")]
    fn compress(&self, op: &OperationInfo, body: Bytes) -> Result<(Bytes, bool), RequestError> {
        match self.inner.config.request_compression {
            Some(min) if op.gzip_request && body.len() >= min => gzip(&body)
                .map(|c| (Bytes::from(c), true))
                .map_err(|e| RequestError::Build {
                    message: format!("gzip failed: {e}"),
                }),
            _ => Ok((body, false)),
        }
    }

    /// One attempt: credentials, signature, send, and what the response means.
    async fn attempt(&self, http: &SharedHttpClient, call: &Call<'_>, body: ByteStream) -> Attempt {
        let inner = &*self.inner;
        // An operation the model leaves unsigned needs no credentials (botocore sends it
        // without `Authorization` even when it has some).
        let creds = match call.op.auth {
            Auth::None => None,
            Auth::SigV4 | Auth::SigV4UnsignedPayload => {
                match self.signing_credentials(call).await {
                    Ok(c) => Some(c),
                    Err(e) => {
                        return Attempt::Failed(
                            Failure::Request(RequestError::Credentials(e)),
                            None,
                        )
                    }
                }
            }
        };
        let request = match self.signed_request(call, creds.as_ref(), body) {
            Ok(r) => r,
            Err(e) => return Attempt::Failed(Failure::Request(e), None),
        };
        let send = self.exchange(
            http,
            call.op,
            request,
            call.stream_output,
            call.request.validate_response,
        );
        let result = match inner.config.timeouts.attempt {
            Some(limit) => match tokio::time::timeout(limit, send).await {
                Ok(r) => r,
                Err(_) => {
                    let e = RequestError::Timeout {
                        kind: TimeoutKind::Attempt,
                        after: limit,
                    };
                    return Attempt::Failed(Failure::Request(e), Some(RetryKind::Timeout));
                }
            },
            None => send.await,
        };
        match result {
            Ok(outcome) => outcome,
            Err(e @ (TransportError::BodyTooLarge { .. } | TransportError::RequestBody(_))) => {
                Attempt::Failed(Failure::Request(RequestError::Transport(e)), None)
            }
            Err(e) => {
                tracing::debug!(error = %e, "transport error");
                let e = RequestError::Transport(e);
                Attempt::Failed(Failure::Request(e), Some(RetryKind::Transient))
            }
        }
    }

    /// The credentials `call` is signed with: its S3 Express session's, else the
    /// client's.
    async fn signing_credentials(&self, call: &Call<'_>) -> Result<Credentials, CredentialsError> {
        match call.express {
            Some(bucket) => self.express_credentials(bucket).await,
            None => self.credentials().await,
        }
    }

    /// `bucket`'s S3 Express session: the one kept, else one opened with `CreateSession`
    /// (botocore's `S3ExpressIdentityCache`: opened again 45 seconds before it expires; a
    /// session that cannot be opened again is used while it has more than 10 seconds).
    async fn express_credentials(&self, bucket: &str) -> Result<Credentials, CredentialsError> {
        let inner = &*self.inner;
        let stale = match inner
            .express_sessions
            .get(bucket, std::time::SystemTime::now())
        {
            crate::s3::Session::Fresh(c) => return Ok(c),
            crate::s3::Session::Stale(old) => old,
        };
        let fail = |reason: String| CredentialsError::ProviderError {
            provider: "S3 Express CreateSession",
            reason: format!("bucket `{bucket}`: {reason}"),
        };
        let Some(open) = inner.service.s3_express else {
            return Err(fail(
                "the endpoint asks for an S3 Express session, and this client was generated \
                 without CreateSession"
                    .into(),
            ));
        };
        match open(self.clone(), bucket.to_string()).await {
            Ok(c) => {
                inner.express_sessions.keep(bucket, c.clone());
                Ok(c)
            }
            Err(reason) => match stale {
                Some(c) => {
                    tracing::debug!(
                        bucket,
                        reason,
                        "S3 Express session not renewed; the old one is used"
                    );
                    Ok(c)
                }
                None => Err(fail(reason)),
            },
        }
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let config = &self.inner.config;
        match &config.credentials {
            // Fixed or freshly cached credentials need no future (nor its allocation).
            Some(p) => match p.ready_credentials() {
                Some(c) => Ok(c),
                None => p.provide_credentials().await,
            },
            None => Err(config
                .credentials_error
                .clone()
                .unwrap_or(CredentialsError::NotLoaded {
                    provider: "configuration",
                    reason: "no credentials were configured".into(),
                })),
        }
    }

    /// The HTTP request of one attempt: the protocol's request with the endpoint's
    /// headers, `x-amz-date`, the security token and content encoding, signed (with no
    /// credentials, for an unsigned operation: neither signed nor dated).
    fn signed_request(
        &self,
        call: &Call<'_>,
        creds: Option<&Credentials>,
        body: ByteStream,
    ) -> Result<http::Request<ByteStream>, RequestError> {
        let inner = &*self.inner;
        let now = self.now();
        let amz_owned;
        let amz_inline = now.amz_date();
        let amz_date = match &amz_inline {
            Some(d) => d.as_str(),
            None => {
                amz_owned = now.to_amz_date();
                amz_owned.as_str()
            }
        };
        let headers = self.headers_to_sign(call, creds, amz_date)?;
        let build = |authorization, body| {
            build_request(call, &headers, authorization, body).map_err(|e| RequestError::Build {
                message: e.to_string(),
            })
        };
        let Some(creds) = creds else {
            return build(None, self.body_as_sent(call, body, None));
        };
        let params = sigv4::SigningParams {
            access_key_id: creds.access_key_id(),
            secret_access_key: creds.secret_access_key(),
            region: call.signing_region,
            service: call.signing_name,
            time: now,
        };
        let key = inner.signing_keys.key(&params, &amz_date[..8]);
        let signable = sigv4::SignableRequest {
            path_signing: if call.s3 {
                sigv4::PathSigning::AsSent
            } else {
                sigv4::PathSigning::Normalized
            },
            method: call.request.method.as_str(),
            path: &call.target.path,
            query: &call.target.query,
            headers: &headers,
            body: &[],
        };
        let authorization = sigv4::authorization_at(
            &signable,
            &params,
            &key,
            Some(call.payload_hash.as_str()),
            amz_date,
        );
        let signed = authorization
            .rsplit_once("Signature=")
            .map(|(_, seed)| Signed {
                creds,
                key: &key,
                amz_date,
                seed,
            });
        let body = self.body_as_sent(call, body, signed);
        build(Some(authorization), body)
    }

    /// The body as an attempt sends it once its request is signed (`signed`: how; `None`
    /// for an unsigned request): an `aws-chunked` body over plain http with each chunk
    /// signed, an input event stream with each message signed, each chained from the
    /// request's signature; any other body as it is.
    fn body_as_sent(
        &self,
        call: &Call<'_>,
        body: ByteStream,
        signed: Option<Signed<'_>>,
    ) -> ByteStream {
        match (call.trailer, call.payload_hash, signed) {
            (Some(a), PayloadHash::StreamingSignedTrailer, Some(s)) => {
                let signer = crate::aws_chunked::ChunkSigner {
                    key: s.key.clone(),
                    amz_date: s.amz_date.to_string(),
                    region: call.signing_region.to_string(),
                    service: call.signing_name.to_string(),
                    prior: s.seed.to_string(),
                };
                crate::aws_chunked::signed(body, a, signer)
            }
            (Some(a), PayloadHash::StreamingSignedTrailer, None) => {
                crate::aws_chunked::unsigned(body, a)
            }
            // Most requests: the body as it is, nothing made for a signer.
            _ if call.request.events.is_none() => body,
            (_, _, signed) => {
                let signer = signed.map(|s| crate::eventstream::StreamSigner {
                    credentials: s.creds.clone(),
                    region: call.signing_region.to_string(),
                    service: call.signing_name.to_string(),
                    clock: self.inner.config.time_source.clone(),
                    prior: s.seed.to_string(),
                    key: Some((s.amz_date[..8].to_string(), s.key.clone())),
                });
                self.event_body(call, signer).unwrap_or(body)
            }
        }
    }

    /// The body of a request with an input event stream: its messages, signed by
    /// `signer` when the request is signed. `None` for other requests, or when the
    /// messages already went with an earlier attempt.
    fn event_body(
        &self,
        call: &Call<'_>,
        signer: Option<crate::eventstream::StreamSigner>,
    ) -> Option<ByteStream> {
        let messages = call.request.events.as_ref()?.take()?;
        let body = crate::eventstream::EventBody::new(messages, signer);
        Some(ByteStream::from_body(body, None))
    }

    /// The headers an attempt sends and signs: the protocol's, `host`, the date and
    /// security token when signed, `content-encoding` when gzipped, S3's
    /// `x-amz-content-sha256`, the endpoint's.
    fn headers_to_sign<'a>(
        &self,
        call: &'a Call<'_>,
        creds: Option<&'a Credentials>,
        amz_date: &'a str,
    ) -> Result<Vec<(&'a str, &'a str)>, RequestError> {
        let bad = |what: &str| RequestError::Build {
            message: format!("{what} is not a valid header value"),
        };
        let mut headers: Vec<(&str, &str)> =
            Vec::with_capacity(7 + call.request.headers.len() + call.endpoint_headers.len());
        for (k, v) in &call.request.headers {
            headers.push((k.as_str(), v.to_str().map_err(|_| bad(k.as_str()))?));
        }
        headers.push(("host", call.target.host.as_str()));
        if creds.is_some() {
            headers.push(("x-amz-date", amz_date));
        }
        if let Some(t) = creds.and_then(Credentials::session_token) {
            // An S3 Express session's token has a header of its own (botocore's
            // `S3ExpressAuth`: S3 Express does not take `X-Amz-Security-Token`).
            match call.express {
                Some(_) => headers.push(("x-amz-s3session-token", t)),
                None => headers.push(("x-amz-security-token", t)),
            }
        }
        if call.gzip {
            headers.push(("content-encoding", "gzip"));
        }
        // What S3 requires of every request, and any service of a body signed in parts.
        let chained = matches!(
            call.payload_hash,
            PayloadHash::StreamingEvents | PayloadHash::StreamingSignedTrailer
        );
        if (call.s3 || chained) && creds.is_some() {
            headers.push(("x-amz-content-sha256", call.payload_hash.as_str()));
        }
        for (k, v) in call.endpoint_headers {
            headers.push((k.as_str(), v.as_str()));
        }
        Ok(headers)
    }

    /// Sends one request and reads what the attempt needs of the response: the whole body
    /// (of an error, or of a success unless it streams), within the attempt's timeout.
    async fn exchange(
        &self,
        http: &SharedHttpClient,
        op: &OperationInfo,
        request: http::Request<ByteStream>,
        stream_output: bool,
        validate: &'static [&'static str],
    ) -> Result<Attempt, TransportError> {
        let resp = http.send(request).await?;
        let status = resp.status().as_u16();
        let request_id = self.inner.service.protocol.request_id(resp.headers());
        tracing::debug!(
            status,
            request_id = request_id.as_deref().unwrap_or(""),
            "response"
        );
        let (parts, body) = resp.into_parts();
        // The answer's checksum, when the operation asked for one to be checked.
        let expected = match status < 300 && !validate.is_empty() {
            true => checksum::response_checksum(validate, &parts.headers),
            false => None,
        };
        if status < 300 && stream_output {
            let body = match expected {
                Some((algorithm, value)) => checksum::validating(body, algorithm, value),
                None => body,
            };
            return Ok(Attempt::Done(Done::Stream(Box::new(StreamingResponse {
                status,
                request_id,
                headers: parts.headers,
                body,
            }))));
        }
        let body = collect_body(body, self.inner.config.max_response_body).await?;
        let status = if status == 200 && op.error_in_200 && crate::s3::error_in_200(&body) {
            tracing::debug!("an error in a 200 answer");
            500
        } else {
            status
        };
        if let (true, Some((algorithm, value))) = (status < 300, &expected) {
            if let Err(error) = checksum::check(*algorithm, value, &body) {
                let e = RequestError::Checksum { request_id, error };
                return Ok(Attempt::Failed(Failure::Request(e), None));
            }
        }
        if status < 300 {
            return Ok(Attempt::Done(Done::Whole(Response {
                status,
                request_id,
                headers: parts.headers,
                body,
            })));
        }
        let meta = self
            .inner
            .service
            .protocol
            .error_metadata(status, &parts.headers, &body)
            .with_operation(op.name)
            .with_headers(parts.headers);
        let kind = retry::classify(&meta, op.errors);
        Ok(Attempt::Failed(Failure::Service(meta, body), kind))
    }
}

/// A body that can be sent again (copied for each attempt), or a one-shot stream (sent by
/// the first attempt only).
fn replayable(body: ByteStream, events: bool) -> (Option<ByteStream>, Option<ByteStream>) {
    match body.try_clone() {
        // An input event stream is sent once, by the first attempt.
        Some(_) if !events => (Some(body), None),
        _ => (None, Some(body)),
    }
}

/// What a retryable failure becomes when the request's one-shot body cannot be sent again.
fn not_replayable(failure: Failure) -> Failure {
    let cause: crate::http::BoxError = match failure {
        Failure::Request(e) => Box::new(e),
        Failure::Service(meta, _) => Box::new(crate::UnhandledError::new(meta, &[])),
    };
    Failure::Request(RequestError::Transport(TransportError::NotReplayable(
        cause,
    )))
}

/// The SigV4 payload hash of a body that is not in memory: a file's is read (chunk by
/// chunk, from a copy of the body), as botocore hashes a seekable body; a one-shot
/// stream is signed `UNSIGNED-PAYLOAD`, as botocore signs an unseekable one.
async fn payload_hash(body: &ByteStream) -> Result<PayloadHash, RequestError> {
    let read = body.read_copy(sigv4::Sha256::new(), sigv4::Sha256::update);
    match read.await {
        Ok(Some(hasher)) => Ok(PayloadHash::Digest(hasher.finish_hex())),
        Ok(None) => Ok(PayloadHash::Unsigned),
        Err(e) => Err(RequestError::Transport(TransportError::RequestBody(
            Box::new(e),
        ))),
    }
}

/// The HTTP request: the signed headers (`host` as the endpoint's `Host` value, made once
/// per endpoint, so that no transport has to build it per call), the authorization, and
/// The bucket whose S3 Express session signs `request` when `endpoint` asks for one
/// (a directory bucket's zonal endpoint); a request to such an endpoint that names no
/// bucket cannot be signed.
fn express_bucket<'r>(
    op: &OperationInfo,
    endpoint: &Endpoint,
    request: &'r Request,
) -> Result<Option<&'r str>, RequestError> {
    if !endpoint.s3_express() {
        return Ok(None);
    }
    match crate::s3::express_bucket(&request.endpoint_params) {
        Some(b) => Ok(Some(b)),
        None => Err(RequestError::Build {
            message: format!(
                "{} goes to an S3 Express endpoint, whose session is a bucket's, and names no bucket",
                op.name
            ),
        }),
    }
}

/// the unsigned `content-length` and `user-agent`, as botocore sends them.
fn build_request(
    call: &Call<'_>,
    headers: &[(&str, &str)],
    authorization: Option<String>,
    body: ByteStream,
) -> Result<http::Request<ByteStream>, http::Error> {
    let length = body.len();
    // botocore sends `Expect: 100-continue` (unsigned) with a file-like upload; here,
    // with any upload that is not in memory, of 1 MiB or more.
    // S3 (botocore's `add_expect_header`): with the body of `PutObject` and `UploadPart`,
    // which botocore makes file-like, whatever its size.
    let put_or_post = matches!(call.request.method, http::Method::PUT | http::Method::POST);
    let s3_upload = call.s3 && matches!(call.op.name, "PutObject" | "UploadPart");
    let expect = put_or_post
        && ((body.bytes().is_none() && length.is_some_and(|n| n >= EXPECT_CONTINUE_FROM))
            || (s3_upload && call.request.payload_given));
    let mut req = http::Request::new(body);
    *req.method_mut() = call.request.method.clone();
    *req.uri_mut() = call.target.uri.clone();
    let map = req.headers_mut();
    map.reserve(headers.len() + 3);
    for (k, v) in &call.request.headers {
        map.append(k.clone(), v.clone());
    }
    // `headers` starts with the protocol's own headers (added above as they are), then
    // what `signed_request` added.
    let protocol_headers = call.request.headers.len();
    for (k, v) in &headers[protocol_headers..] {
        let name = match *k {
            "host" => {
                map.append(http::header::HOST, call.target.host_header.clone());
                continue;
            }
            "content-encoding" => http::header::CONTENT_ENCODING,
            "x-amz-date" => http::HeaderName::from_static("x-amz-date"),
            "x-amz-security-token" => http::HeaderName::from_static("x-amz-security-token"),
            "x-amz-s3session-token" => http::HeaderName::from_static("x-amz-s3session-token"),
            other => http::HeaderName::from_bytes(other.as_bytes())?,
        };
        map.append(name, http::HeaderValue::from_str(v)?);
    }
    if let Some(authorization) = authorization {
        map.insert(
            http::header::AUTHORIZATION,
            // The signature's own buffer becomes the value (checked, not copied).
            http::HeaderValue::from_maybe_shared(Bytes::from(authorization))?,
        );
    }
    // As botocore: no `Content-Length` on a GET, HEAD or OPTIONS without a body.
    let bodiless = length == Some(0)
        && matches!(
            call.request.method,
            http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
        );
    if let (Some(n), false) = (length, bodiless) {
        map.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(n));
    }
    if expect {
        map.insert(
            http::header::EXPECT,
            http::HeaderValue::from_static("100-continue"),
        );
    }
    map.insert(
        http::header::USER_AGENT,
        http::HeaderValue::from_static(USER_AGENT),
    );
    // The typed mocks find the operation and its input here (REST requests have no
    // `X-Amz-Target`, and their body is not the whole input).
    #[cfg(feature = "test-util")]
    req.extensions_mut().insert(crate::protocol::Sent {
        operation: call.op.name,
        input: call.request.mock_input.clone(),
    });
    Ok(req)
}

/// Gzip-compresses a request body.
#[cfg(feature = "gzip")]
fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    enc.write_all(body)?;
    enc.finish()
}

/// The smallest upload (of a body not in memory) sent with `Expect: 100-continue`.
const EXPECT_CONTINUE_FROM: u64 = 1 << 20;

const USER_AGENT: &str = concat!("awsgen-runtime/", env!("CARGO_PKG_VERSION"));

struct FailureDisplay<'a>(&'a Failure);

impl fmt::Display for FailureDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Failure::Service(m, _) => write!(f, "{m}"),
            Failure::Request(e) => write!(f, "{}", chain(e)),
        }
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
    fn host_labels() {
        assert_eq!(host_label("Type", "abc").unwrap(), "abc");
        assert!(host_label("Type", "a.b").is_err());
        assert!(host_label("Type", "").is_err());
    }
}
