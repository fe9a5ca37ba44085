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

/// What [`sign`] signs: the request as the protocol built it, where it goes, and with
/// what.
pub(crate) struct Unsigned<'a> {
    pub(crate) request: &'a crate::protocol::Request,
    pub(crate) endpoint_headers: &'a [(String, String)],
    pub(crate) target: &'a crate::endpoint::Target,
    /// S3's signer: the path as sent, the payload `UNSIGNED-PAYLOAD`.
    pub(crate) s3: bool,
    pub(crate) params: &'a crate::sigv4::SigningParams<'a>,
    pub(crate) key: &'a crate::sigv4::SigningKey,
    pub(crate) expires: u64,
    pub(crate) session_token: Option<&'a str>,
}

/// The request signed in its query string: every header it has signed (and returned, to
/// be sent as they are), the operation's parameters first, as botocore writes them
/// (`parse_qs`, then `percent_encode_sequence`: `acl` as `acl=`), then SigV4's.
pub(crate) fn sign(u: Unsigned<'_>) -> Result<PresignedRequest, crate::RequestError> {
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for (k, v) in &u.request.headers {
        let v = v.to_str().map_err(|_| crate::RequestError::Build {
            message: format!("{k} is not a valid header value"),
        })?;
        headers.push((k.as_str(), v));
    }
    for (k, v) in u.endpoint_headers {
        headers.push((k.as_str(), v.as_str()));
    }
    let sent: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    headers.push(("host", u.target.host.as_str()));
    let op_query = u
        .target
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.contains('=') {
            true => p.to_string(),
            false => format!("{p}="),
        })
        .collect::<Vec<_>>()
        .join("&");
    let empty_hash = crate::sigv4::sha256_hex(&[]);
    let query = crate::sigv4::presign_query(
        &crate::sigv4::SignableRequest {
            method: u.request.method.as_str(),
            path: &u.target.path,
            path_signing: if u.s3 {
                crate::sigv4::PathSigning::AsSent
            } else {
                crate::sigv4::PathSigning::Normalized
            },
            query: &op_query,
            headers: &headers,
            body: &[],
        },
        u.params,
        u.key,
        u.expires,
        u.session_token,
        if u.s3 {
            "UNSIGNED-PAYLOAD"
        } else {
            &empty_hash
        },
    );
    let scheme = u.target.uri.scheme_str().unwrap_or("https");
    Ok(PresignedRequest {
        method: u.request.method.clone(),
        uri: format!("{scheme}://{}{}?{query}", u.target.host, u.target.path),
        headers: sent,
    })
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
