//! Presigned requests: any operation's request signed in its query string (SigV4 query
//! signing, as botocore's `generate_presigned_url` signs with `s3v4`), for a program
//! without credentials (a browser, `curl`) to send before it expires.

use std::fmt;
use std::time::Duration;

/// The longest a presigned request may live: seven days, as SigV4 allows.
pub const MAX_EXPIRES: Duration = Duration::from_secs(7 * 24 * 3600);

/// A request signed in its URL. `Debug` hides the signature and the session token: until
/// it expires, the URL is a credential.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    pub(crate) method: http::Method,
    pub(crate) uri: String,
    pub(crate) headers: Vec<(String, String)>,
}

impl PresignedRequest {
    /// The method to send it with (`GET`, `PUT`, ...).
    pub fn method(&self) -> &http::Method {
        &self.method
    }
    /// The URL, signature included.
    pub fn uri(&self) -> &str {
        &self.uri
    }
    /// Headers that were signed and must be sent as they are (`content-type` when the
    /// input set one, ...); `host` is the URL's.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("uri", &redact(&self.uri))
            .field("headers", &self.headers)
            .finish()
    }
}

/// The URL with the values of `X-Amz-Signature` and `X-Amz-Security-Token` hidden.
fn redact(uri: &str) -> String {
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k == "X-Amz-Signature" || k == "X-Amz-Security-Token" => {
                format!("{k}={}", crate::REDACTED)
            }
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// How long it lives, checked: more than zero and at most [`MAX_EXPIRES`], in whole
/// seconds.
pub(crate) fn expires_secs(expires_in: Duration) -> Result<u64, crate::RequestError> {
    let secs = expires_in.as_secs();
    if secs == 0 || expires_in > MAX_EXPIRES {
        return Err(crate::RequestError::Build {
            message: format!(
                "a presigned request lives from 1 second to 7 days (604800 s), not {expires_in:?}"
            ),
        });
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_signature_and_token() {
        let p = PresignedRequest {
            method: http::Method::GET,
            uri: "https://b.s3.amazonaws.com/k?x-id=GetObject&X-Amz-Security-Token=TOKEN&X-Amz-Signature=abc123".into(),
            headers: Vec::new(),
        };
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("abc123") && !shown.contains("TOKEN"),
            "{shown}"
        );
        assert!(shown.contains("x-id=GetObject"));
    }

    #[test]
    fn lifetimes() {
        assert_eq!(expires_secs(Duration::from_secs(3600)).unwrap(), 3600);
        assert_eq!(expires_secs(MAX_EXPIRES).unwrap(), 604_800);
        assert!(expires_secs(MAX_EXPIRES + Duration::from_secs(1)).is_err());
        assert!(expires_secs(Duration::from_millis(500)).is_err());
    }
}
