//! Waiters: poll an operation until one of the model's acceptors says the resource
//! reached a success or failure state, as botocore's `waiter.py` does.
//!
//! Each attempt's result is matched against the acceptors in order; the first match
//! decides. `path`, `pathAll` and `pathAny` evaluate a JMESPath expression on the
//! output's JSON form; `status` compares the HTTP status; `error` the fault code (or,
//! with `true`/`false`, whether there was a service error at all). A service error no
//! acceptor matches ends the wait at once, as does a request that got no answer. Between
//! attempts the waiter sleeps the model's delay; it gives up after the model's
//! `maxAttempts`, or after a maximum total wait when one is set.

use crate::client::Handle;
use crate::jmespath::{self, Expr};
use crate::{BoxFuture, ProvideErrorMetadata};
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// The state an acceptor moves the waiter to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Done: the resource is as wanted.
    Success,
    /// Done: the resource will never be as wanted.
    Failure,
    /// Not yet: try again.
    Retry,
}

/// How an acceptor matches an attempt's result.
#[derive(Debug, Clone, Copy)]
pub enum Matcher {
    /// The expression's result equals `expected` (a success response).
    Path {
        /// The expression as written in the model.
        argument: &'static str,
        /// The parsed expression.
        expr: &'static Expr,
        /// The expected value, as JSON text.
        expected: &'static str,
    },
    /// The expression gives a non-empty list whose every element equals `expected`.
    PathAll {
        /// The expression as written in the model.
        argument: &'static str,
        /// The parsed expression.
        expr: &'static Expr,
        /// The expected value, as JSON text.
        expected: &'static str,
    },
    /// The expression gives a list of which some element equals `expected`.
    PathAny {
        /// The expression as written in the model.
        argument: &'static str,
        /// The parsed expression.
        expr: &'static Expr,
        /// The expected value, as JSON text.
        expected: &'static str,
    },
    /// The response's HTTP status.
    Status(u16),
    /// A service error with this code.
    ErrorCode(&'static str),
    /// Any service error (`true`) or none (`false`).
    AnyError(bool),
}

/// One acceptor of a waiter.
#[derive(Debug, Clone, Copy)]
pub struct Acceptor {
    /// What a match means.
    pub state: State,
    /// How to match.
    pub matcher: Matcher,
}

impl Acceptor {
    /// What botocore says when this acceptor matched.
    pub fn explanation(&self) -> String {
        match self.matcher {
            Matcher::Path {
                argument, expected, ..
            } => format!("For expression \"{argument}\" we matched expected path: {expected}"),
            Matcher::PathAll {
                argument, expected, ..
            } => format!(
                "For expression \"{argument}\" all members matched expected path: {expected}"
            ),
            Matcher::PathAny {
                argument, expected, ..
            } => format!(
                "For expression \"{argument}\" we matched expected path: {expected} at least once"
            ),
            Matcher::Status(s) => format!("Matched expected HTTP status code: {s}"),
            Matcher::ErrorCode(c) => format!("Matched expected service error code: {c}"),
            Matcher::AnyError(any) => format!("Matched expected service error code: {any}"),
        }
    }
}

/// What the generated code tells the runtime about one waiter.
pub trait Wait: Send + Sync + 'static {
    /// The operation's input.
    type Input: Clone + Send + Sync + 'static;
    /// The operation's output.
    type Output: serde::Serialize + crate::protocol::HttpStatus + Send + 'static;
    /// The operation's error.
    /// The operation's error; `meta()` is `None` exactly for requests that got no answer.
    type Error: ProvideErrorMetadata + Send + 'static;
    /// The waiter's name in the model (`ReplicationTaskReady`).
    const NAME: &'static str;
    /// Seconds between attempts.
    const DELAY: u64;
    /// Attempts before giving up.
    const MAX_ATTEMPTS: u32;
    /// The acceptors, in model order.
    const ACCEPTORS: &'static [Acceptor];
    /// Sends the operation once.
    fn send(
        handle: &Handle,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, Self::Error>>;
}

/// A waiter ready to run: `.await` it, after optionally changing its timing.
pub struct Waiter<W: Wait> {
    handle: Handle,
    input: W::Input,
    delay: Duration,
    max_attempts: u32,
    max_wait: Option<Duration>,
    _waiter: PhantomData<W>,
}

impl<W: Wait> fmt::Debug for Waiter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("waiter", &W::NAME)
            .field("delay", &self.delay)
            .field("max_attempts", &self.max_attempts)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

/// How a wait ended without reaching success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// An acceptor moved the waiter to the failure state.
    Failure {
        /// The waiter.
        waiter: &'static str,
        /// What matched (botocore's explanation).
        reason: String,
        /// The response that matched.
        last: Result<O, E>,
    },
    /// The operation failed in a way no acceptor expects: a service error no acceptor
    /// matches, or a request that got no usable answer.
    Operation {
        /// The waiter.
        waiter: &'static str,
        /// The error.
        error: E,
    },
    /// Attempts or the maximum wait ran out.
    Timeout {
        /// The waiter.
        waiter: &'static str,
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        elapsed: Duration,
        /// The last acceptor that matched (a retry state), if any.
        last_matched: Option<String>,
        /// The last response.
        last: Result<O, E>,
    },
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure { waiter, reason, .. } => write!(
                f,
                "Waiter {waiter} failed: Waiter encountered a terminal failure state: {reason}"
            ),
            WaiterError::Operation { waiter, error } => {
                write!(f, "Waiter {waiter} failed: {error}")
            }
            WaiterError::Timeout {
                waiter,
                attempts,
                elapsed,
                last_matched,
                ..
            } => {
                write!(f, "Waiter {waiter} failed: Max attempts exceeded ({attempts} attempts in {elapsed:?})")?;
                match last_matched {
                    Some(m) => write!(f, ". Previously accepted state: {m}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The error's text is in this one's: its source is the next layer.
            WaiterError::Operation { error, .. } => error.source(),
            _ => None,
        }
    }
}

impl<W: Wait> Waiter<W> {
    #[doc(hidden)]
    pub fn new(handle: Handle, input: W::Input) -> Self {
        Waiter {
            handle,
            input,
            delay: Duration::from_secs(W::DELAY),
            max_attempts: W::MAX_ATTEMPTS,
            max_wait: None,
            _waiter: PhantomData,
        }
    }

    /// The time between attempts (default: the model's `delay`).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Attempts before giving up (default: the model's `maxAttempts`).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest total wait: no attempt starts after it, whatever the attempt count
    /// (which then no longer limits the wait).
    pub fn max_wait(mut self, limit: Duration) -> Self {
        self.max_wait = Some(limit);
        self.max_attempts = u32::MAX;
        self
    }

    /// Polls until success (the matching result: a success state can be reached by an
    /// error acceptor, such as a resource that is gone), failure or timeout.
    pub async fn wait(
        self,
    ) -> Result<Result<W::Output, W::Error>, WaiterError<W::Output, W::Error>> {
        let started = Instant::now();
        let mut attempts = 0;
        let mut last_matched = None;
        loop {
            let result = match W::send(&self.handle, self.input.clone()).await {
                // No answer (transport, timeout, credentials): nothing to match, as in
                // botocore, where such errors raise before the acceptors are looked at.
                Err(error) if error.meta().is_none() => {
                    return Err(WaiterError::Operation {
                        waiter: W::NAME,
                        error,
                    })
                }
                result => result,
            };
            attempts += 1;
            let matched = matching(W::ACCEPTORS, &result);
            tracing::debug!(waiter = W::NAME, attempts, matched = ?matched.map(|a| a.state), "waiter attempt");
            match matched {
                Some(a) if a.state == State::Success => return Ok(result),
                Some(a) if a.state == State::Failure => {
                    return Err(WaiterError::Failure {
                        waiter: W::NAME,
                        reason: a.explanation(),
                        last: result,
                    })
                }
                Some(a) => last_matched = Some(a.explanation()),
                None => {
                    if let Err(error) = result {
                        return Err(WaiterError::Operation {
                            waiter: W::NAME,
                            error,
                        });
                    }
                }
            }
            let out_of_time = self
                .max_wait
                .is_some_and(|max| started.elapsed() + self.delay > max);
            if attempts >= self.max_attempts || out_of_time {
                return Err(WaiterError::Timeout {
                    waiter: W::NAME,
                    attempts,
                    elapsed: started.elapsed(),
                    last_matched,
                    last: result,
                });
            }
            tokio::time::sleep(self.delay).await;
        }
    }
}

impl<W: Wait> IntoFuture for Waiter<W> {
    type Output = Result<Result<W::Output, W::Error>, WaiterError<W::Output, W::Error>>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

/// The first acceptor that matches `result`.
fn matching<O: serde::Serialize + crate::protocol::HttpStatus, E: ProvideErrorMetadata>(
    acceptors: &'static [Acceptor],
    result: &Result<O, E>,
) -> Option<&'static Acceptor> {
    let mut json = None;
    acceptors.iter().find(|a| match (&a.matcher, result) {
        (Matcher::Path { expr, expected, .. }, Ok(o)) => {
            jmespath::equal(&expr.search(json_of(o, &mut json)), &literal(expected))
        }
        (Matcher::PathAll { expr, expected, .. }, Ok(o)) => {
            match expr.search(json_of(o, &mut json)) {
                serde_json::Value::Array(items) => {
                    let expected = literal(expected);
                    !items.is_empty() && items.iter().all(|v| jmespath::equal(v, &expected))
                }
                _ => false,
            }
        }
        (Matcher::PathAny { expr, expected, .. }, Ok(o)) => {
            match expr.search(json_of(o, &mut json)) {
                serde_json::Value::Array(items) => {
                    let expected = literal(expected);
                    items.iter().any(|v| jmespath::equal(v, &expected))
                }
                _ => false,
            }
        }
        (Matcher::Path { .. } | Matcher::PathAll { .. } | Matcher::PathAny { .. }, Err(_)) => false,
        // The status the output was read with (a mocked output, which has none, is a 200).
        (Matcher::Status(s), Ok(o)) => o.http_status().unwrap_or(200) == *s,
        (Matcher::Status(s), Err(e)) => e.meta().and_then(|m| m.status()) == Some(*s),
        (Matcher::ErrorCode(code), Err(e)) => e.code() == Some(*code),
        (Matcher::ErrorCode(_), Ok(_)) => false,
        (Matcher::AnyError(any), r) => *any == service_error(r),
    })
}

/// Whether the service answered with an error (a request that got no answer has no
/// metadata, and is not one).
fn service_error<O, E: ProvideErrorMetadata>(r: &Result<O, E>) -> bool {
    matches!(r, Err(e) if e.meta().is_some())
}

fn json_of<'a, O: serde::Serialize>(
    o: &O,
    slot: &'a mut Option<serde_json::Value>,
) -> &'a serde_json::Value {
    slot.get_or_insert_with(|| serde_json::to_value(o).unwrap_or(serde_json::Value::Null))
}

fn literal(text: &str) -> serde_json::Value {
    serde_json::from_slice(text.as_bytes()).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output read with the given status.
    struct Out(Option<u16>);

    impl serde::Serialize for Out {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_unit()
        }
    }

    impl crate::protocol::HttpStatus for Out {
        fn http_status(&self) -> Option<u16> {
            self.0
        }
    }

    struct NoError;

    impl ProvideErrorMetadata for NoError {
        fn meta(&self) -> Option<&crate::ErrorMetadata> {
            None
        }
    }

    static ACCEPTORS: [Acceptor; 2] = [
        Acceptor {
            state: State::Retry,
            matcher: Matcher::Status(202),
        },
        Acceptor {
            state: State::Success,
            matcher: Matcher::Status(200),
        },
    ];

    /// Issue #26: a `status` acceptor sees the status the output was read with (a REST
    /// operation answers 201, 202, 204, ...), not a 200 for every success.
    #[test]
    fn a_status_acceptor_sees_the_real_status() {
        let m = |status| matching::<Out, NoError>(&ACCEPTORS, &Ok(Out(status)));
        assert_eq!(m(Some(202)).map(|a| a.state), Some(State::Retry));
        assert_eq!(m(Some(200)).map(|a| a.state), Some(State::Success));
        assert!(m(Some(204)).is_none());
        // An output built in code (a mock's) counts as a 200.
        assert_eq!(m(None).map(|a| a.state), Some(State::Success));
    }
}
