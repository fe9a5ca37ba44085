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

mod aws_chunked;
pub mod blob;
#[cfg(feature = "blocking")]
pub mod blocking;
pub mod byte_stream;
pub mod checksum;
pub mod client;
pub mod config;
pub mod credentials;
pub mod datetime;
pub mod endpoint;
pub mod error;
pub mod eventstream;
pub mod http;
pub mod jmespath;
pub mod paginator;
pub mod presign;
pub mod protocol;
pub mod rate_limit;
pub mod retry;
pub mod s3;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod waiter;
pub mod wire;
pub mod xml;

pub use blob::Blob;
pub use byte_stream::ByteStream;
pub use config::{Config, ConfigBuilder, ConfigError, TimeoutConfig};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use datetime::DateTime;
pub use error::{ErrorMetadata, ProvideErrorMetadata, RequestError, TimeoutKind, UnhandledError};
pub use http::ProxyConfig;
pub use protocol::RequestId;
pub use retry::{RetryConfig, RetryMode};

#[doc(hidden)]
pub use serde;
#[doc(hidden)]
pub use serde_json;

/// Invoked once by clients generated from a model that compresses requests: without the
/// `gzip` feature of this crate it stops the build and says which feature to turn on.
#[cfg(feature = "gzip")]
#[doc(hidden)]
#[macro_export]
macro_rules! __require_gzip {
    () => {};
}

/// Invoked once by clients generated from a model that compresses requests: without the
/// `gzip` feature of this crate it stops the build and says which feature to turn on.
#[cfg(not(feature = "gzip"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __require_gzip {
    () => {
        ::std::compile_error!(
            "this client's model compresses requests (`requestcompression`): turn on the `gzip` feature of awsgen-runtime"
        );
    };
}

/// A boxed future, as returned by credential providers and transports.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// An untyped JSON value (`document` shapes).
pub type Document = serde_json::Value;

/// ASCII text of a fixed length held inline, for what the request path formats on every
/// call without allocating (a digest's hex, the SigV4 date). Only ASCII is ever stored.
#[derive(Clone, Copy)]
pub(crate) struct InlineAscii<const N: usize>(pub(crate) [u8; N]);

impl<const N: usize> InlineAscii<N> {
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// What `Debug` prints in place of a sensitive member.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A random (version 4, RFC 9562) UUID in its hyphenated lowercase form, from the
/// operating system's random source: what idempotency tokens are when the caller sets
/// none, as botocore's `str(uuid.uuid4())`.
pub fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    // `SystemRandom` fails only where the OS has no random source at all; a token from
    // the clock and a counter is still unique per process then.
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).is_err() {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        b[..8].copy_from_slice(&now.to_le_bytes());
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        b[8..].copy_from_slice(&n.to_le_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // the RFC variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod uuid_tests {
    #[test]
    fn uuid_v4_has_the_version_and_variant_and_differs() {
        let (a, b) = (super::uuid_v4(), super::uuid_v4());
        assert_ne!(a, b);
        for u in [a, b] {
            let parts: Vec<&str> = u.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{u}"
            );
            assert!(parts[2].starts_with('4'), "{u}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{u}");
            assert!(u
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        }
    }
}
