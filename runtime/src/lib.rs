//! Hand-written support shared by every client that `awsgen-codegen` generates.
//!
//! Generated code reaches everything through this crate (including `serde` and
//! `serde_json`, re-exported), so a generated client needs this one dependency.
//!
//! - [`DateTime`] and [`Blob`]: the protocol's timestamp and binary types.
//! - [`wire`]: adapters for members whose wire form is not serde's default.
//! - [`error`]: [`ErrorMetadata`] (code, message, status, request id) and [`UnhandledError`].
//! - [`Config`] and [`client`]: what generated clients are built from and the request
//!   path they share (endpoint rules, credentials, SigV4, retries, timeouts, transport).
//! - [`protocol`]: the wire protocols (awsJson 1.0 and 1.1): request building, output
//!   and fault parsing, and reading error responses.

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod blob;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod client;
pub mod config;
pub mod credentials;
pub mod datetime;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod jmespath;
pub mod paginator;
pub mod protocol;
pub mod rate_limit;
pub mod retry;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod waiter;
pub mod wire;

pub use blob::Blob;
pub use config::{Config, ConfigBuilder, ConfigError, TimeoutConfig};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use datetime::DateTime;
pub use error::{ErrorMetadata, ProvideErrorMetadata, RequestError, TimeoutKind, UnhandledError};
pub use protocol::RequestId;
pub use retry::{RetryConfig, RetryMode};

#[doc(hidden)]
pub use serde;
#[doc(hidden)]
pub use serde_json;

/// A boxed future, as returned by credential providers and transports.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// An untyped JSON value (`document` shapes).
pub type Document = serde_json::Value;

/// What `Debug` prints in place of a sensitive member.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
