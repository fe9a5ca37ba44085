//! Typed mocks for unit tests of code that calls a generated client (feature `test-util`).
//!
//! A [`Rule`] answers one operation with typed outputs or faults, optionally only for
//! inputs a predicate accepts; [`mock_config`] makes a client configuration whose
//! transport answers from the rules (no network, no JSON to write) with test
//! credentials. The whole request path still runs: the input is serialized and signed,
//! and the answer is parsed as a real response would be.
//!
//! ```ignore
//! let rule = mock::<DeleteConnection>().then_output(DeleteConnectionOutput::default());
//! let client = Client::new(mock_config(&[&rule]));
//! client.delete_connection(input).await?;
//! assert_eq!(rule.calls(), 1);
//! ```

use crate::client::Operation;
use crate::error::Fault;
use crate::http::{HttpClient, TransportError};
use crate::protocol::Sent;
use crate::{BoxFuture, Config, Credentials, RetryConfig};
use bytes::Bytes;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Starts a rule for operation `O` (`mock::<DeleteConnection>()`); it answers every call
/// of `O` until narrowed with [`Rule::match_input`].
pub fn mock<O: Operation>() -> Rule<O>
where
    O::Input: serde::de::DeserializeOwned,
    O::Output: serde::Serialize,
{
    Rule {
        state: Arc::new(RuleState {
            operation: O::NAME,
            matcher: None,
            answers: Mutex::new(VecDeque::new()),
            calls: AtomicUsize::new(0),
        }),
        _op: PhantomData,
    }
}

type Matcher = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// A mock rule for operation `O`: its answers, in order (the last one repeats), and how
/// often it was called. Clones share the answers and the count.
pub struct Rule<O: Operation> {
    state: Arc<RuleState>,
    _op: PhantomData<O>,
}

impl<O: Operation> Clone for Rule<O> {
    fn clone(&self) -> Self {
        Rule {
            state: self.state.clone(),
            _op: PhantomData,
        }
    }
}

struct RuleState {
    operation: &'static str,
    matcher: Option<Matcher>,
    answers: Mutex<VecDeque<Answer>>,
    calls: AtomicUsize,
}

#[derive(Clone)]
struct Answer {
    status: u16,
    /// Headers besides the request id (a REST output's bound members).
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The body, in the pieces the transport hands over one by one.
    body: Vec<Bytes>,
    /// Why the output given could not be made a response: the call fails with this.
    broken: Option<String>,
}

impl<O: Operation> fmt::Debug for Rule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &O::NAME)
            .field("calls", &self.calls())
            .finish_non_exhaustive()
    }
}

impl<O: Operation> Rule<O>
where
    O::Input: serde::de::DeserializeOwned,
    O::Output: serde::Serialize,
{
    /// Answers only calls whose input `predicate` accepts (set it before the answers).
    pub fn match_input(
        mut self,
        predicate: impl Fn(&O::Input) -> bool + Send + Sync + 'static,
    ) -> Self {
        let matcher: Matcher = Box::new(move |body: &[u8]| {
            serde_json::from_slice::<O::Input>(body).is_ok_and(|input| predicate(&input))
        });
        match Arc::get_mut(&mut self.state) {
            Some(state) => state.matcher = Some(matcher),
            // Already shared: a new rule with the answers so far.
            None => {
                let answers = self
                    .state
                    .answers
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .clone();
                self.state = Arc::new(RuleState {
                    operation: O::NAME,
                    matcher: Some(matcher),
                    answers: Mutex::new(answers),
                    calls: AtomicUsize::new(0),
                });
            }
        }
        self
    }

    /// Then answers with `output`: its serde form (awsJson), or the response a REST
    /// service would send (members bound to headers and the status, the payload). An
    /// output no response can carry (a header member with a line break) makes the call
    /// fail with a transport error that says so.
    pub fn then_output(self, output: O::Output) -> Self {
        let answer = match O::mock_response(&output) {
            None => Answer {
                status: 200,
                headers: Vec::new(),
                broken: None,
                body: vec![serde_json::to_vec(&output).unwrap_or_default().into()],
            },
            Some(Ok(r)) => Answer {
                status: r.status,
                headers: r.headers,
                // A body not in memory (a file, a stream) has no bytes to repeat.
                body: vec![r.body.bytes().cloned().unwrap_or_default()],
                broken: None,
            },
            Some(Err(e)) => Answer {
                status: 500,
                headers: Vec::new(),
                body: Vec::new(),
                broken: Some(format!(
                    "the mock output of {} cannot be sent: {e}",
                    O::NAME
                )),
            },
        };
        self.push(answer)
    }

    /// Then answers with a success whose body streams: `chunks`, handed over one by one
    /// as a transport hands over what arrives (the payload of an output that streams,
    /// read with [`Handle::invoke_streaming`](crate::client::Handle::invoke_streaming);
    /// an output read whole gets them joined).
    pub fn then_stream<I, B>(self, chunks: I) -> Self
    where
        I: IntoIterator<Item = B>,
        B: Into<Bytes>,
    {
        self.push(Answer {
            status: 200,
            headers: Vec::new(),
            broken: None,
            body: chunks.into_iter().map(Into::into).collect(),
        })
    }

    /// Then answers with a modelled fault (its metadata's status, or 400).
    pub fn then_fault<F: Fault + serde::Serialize>(self, fault: F) -> Self {
        let mut body = match serde_json::to_value(&fault) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        body.insert("__type".into(), F::CODE.into());
        if let Some(message) = fault.metadata().message() {
            body.entry("message").or_insert_with(|| message.into());
        }
        let status = fault.metadata().status().unwrap_or(400);
        let body = serde_json::to_vec(&body).unwrap_or_default();
        self.push(Answer {
            status,
            headers: Vec::new(),
            broken: None,
            body: vec![body.into()],
        })
    }

    fn push(self, answer: Answer) -> Self {
        self.state
            .answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(answer);
        self
    }
}

impl<O: crate::client::EventOperation> Rule<O>
where
    O::Input: serde::de::DeserializeOwned,
    O::Output: serde::Serialize,
{
    /// Then answers with an event stream, as the service sends one: `output`'s other
    /// members (the headers a REST service sends, or awsJson's `initial-response` event;
    /// its stream field is not read), then `events` one message at a time (an event of the
    /// operation's enum, `Unknown` as its message), then, for an `Err`, the stream's end
    /// as the service sends it (a modelled exception of the stream, or an `error` message
    /// with the error's code and message). The call's output yields them in order.
    pub fn then_events<I>(self, output: O::Output, events: I) -> Self
    where
        I: IntoIterator<Item = Result<O::Event, O::Error>>,
    {
        let broken = |e: String| Answer {
            status: 500,
            headers: Vec::new(),
            body: Vec::new(),
            broken: Some(format!(
                "the mock events of {} cannot be sent: {e}",
                O::NAME
            )),
        };
        let mut answer = match O::mock_response(&output) {
            Some(Ok(r)) => Answer {
                status: r.status,
                headers: r.headers,
                body: Vec::new(),
                broken: None,
            },
            Some(Err(e)) => return self.push(broken(e.to_string())),
            None => Answer {
                status: 200,
                headers: Vec::new(),
                body: Vec::new(),
                broken: None,
            },
        };
        let mut messages = Vec::new();
        match O::initial_response(&output) {
            Some(Ok(payload)) => messages.push(crate::eventstream::mock_initial_response(payload)),
            Some(Err(e)) => return self.push(broken(e.to_string())),
            None => {}
        }
        for event in events {
            match event {
                Ok(event) => match O::event_message(&event) {
                    Ok(m) => messages.push(m),
                    Err(e) => return self.push(broken(e.to_string())),
                },
                Err(error) => {
                    messages.push(O::error_message(&error));
                    break;
                }
            }
        }
        for m in messages {
            match m.encode() {
                Ok(bytes) => answer.body.push(bytes.into()),
                Err(e) => return self.push(broken(e.to_string())),
            }
        }
        self.push(answer)
    }
}

impl<O: Operation> Rule<O> {
    /// How many calls this rule answered.
    pub fn calls(&self) -> usize {
        self.state.calls.load(Ordering::SeqCst)
    }
}

impl RuleState {
    fn answer(&self, operation: &str, body: &[u8]) -> Option<Answer> {
        if operation != self.operation || !self.matcher.as_ref().is_none_or(|m| m(body)) {
            return None;
        }
        let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        let answer = if answers.len() > 1 {
            answers.pop_front()
        } else {
            answers.front().cloned()
        }?;
        self.calls.fetch_add(1, Ordering::SeqCst);
        Some(answer)
    }
}

impl Answer {
    /// The body as a transport returns it: bytes, or a stream of the pieces.
    fn into_body(self) -> crate::ByteStream {
        let len = self.body.iter().map(|b| b.len() as u64).sum();
        let mut pieces = self.body;
        if pieces.len() <= 1 {
            return crate::ByteStream::from(pieces.pop().unwrap_or_default());
        }
        crate::ByteStream::from_stream(Pieces(pieces.into()), Some(len))
    }
}

/// A body's pieces, one per poll.
struct Pieces(VecDeque<Bytes>);

impl futures_core::Stream for Pieces {
    type Item = Result<Bytes, std::convert::Infallible>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.pop_front().map(Ok))
    }
}

/// A rule of any operation, as [`mock_config`] takes them (`&[&rule_a, &rule_b]`).
pub trait MockRule: Send + Sync {
    #[doc(hidden)]
    fn state(&self) -> Arc<dyn Send + Sync + std::any::Any>;
}

impl<O: Operation> MockRule for Rule<O> {
    fn state(&self) -> Arc<dyn Send + Sync + std::any::Any> {
        self.state.clone()
    }
}

/// A configuration whose transport answers from `rules` (the first that matches), with
/// test credentials, region `us-east-1` and no retries. A call no rule matches fails with
/// a transport error that names the operation.
pub fn mock_config(rules: &[&dyn MockRule]) -> Config {
    let rules = rules
        .iter()
        .filter_map(|r| r.state().downcast::<RuleState>().ok())
        .collect();
    Config::builder()
        .region("us-east-1")
        .credentials(test_credentials())
        .endpoint_url("http://mock.invalid")
        .retry(RetryConfig::disabled())
        .http_client(MockTransport { rules })
        .build()
}

/// Credentials for tests: they sign, and mean nothing to AWS.
pub fn test_credentials() -> Credentials {
    Credentials::new("AKIDTEST", "test-secret-key", None, None, "test-util")
}

struct MockTransport {
    rules: Vec<Arc<RuleState>>,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockTransport")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl HttpClient for MockTransport {
    fn send(
        &self,
        request: http::Request<crate::ByteStream>,
    ) -> BoxFuture<'_, Result<http::Response<crate::ByteStream>, TransportError>> {
        // The client names the operation; a request from elsewhere, by its target.
        let sent = request.extensions().get::<Sent>().cloned();
        let operation = match &sent {
            Some(s) => s.operation.to_string(),
            None => request
                .headers()
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .and_then(|t| t.rsplit('.').next())
                .unwrap_or("")
                .to_string(),
        };
        Box::pin(async move {
            // The request body is read whole (it is in memory unless it streams).
            let body = request
                .into_body()
                .collect(usize::MAX)
                .await
                .map_err(|e| TransportError::RequestBody(e.into_inner()))?;
            // A REST body is not the whole input: its serde form came with the request.
            let input = sent.and_then(|s| s.input).unwrap_or(body);
            let answer = self.rules.iter().find_map(|r| r.answer(&operation, &input));
            let answer = answer.ok_or_else(|| {
                TransportError::Io(
                    format!("no mock rule answers {operation} with this input").into(),
                )
            })?;
            if let Some(why) = &answer.broken {
                return Err(TransportError::Io(why.clone().into()));
            }
            let mut response = http::Response::builder()
                .status(answer.status)
                .header("x-amzn-requestid", "mock-request-id");
            for (name, value) in &answer.headers {
                response = response.header(name, value);
            }
            response
                .body(answer.into_body())
                .map_err(|e| TransportError::Io(Box::new(e)))
        })
    }
}
