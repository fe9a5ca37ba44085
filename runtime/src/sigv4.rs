//! AWS Signature Version 4 (header signing), with `ring` for SHA-256 and HMAC.
//!
//! Written here rather than taken from `aws-sigv4`: that crate brings ~45 crates
//! (`aws-smithy-*`, `time`, ...) and about 13 s of clean release build, while `ring` is
//! already compiled for TLS. The implementation is checked against AWS's published SigV4
//! test suite and, in the workspace tests, against `aws-sigv4` itself.

use crate::DateTime;
use ring::{digest, hmac};
use std::fmt::Write as _;

/// The algorithm name in the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// What a request is signed with.
#[derive(Clone, Copy)]
pub struct SigningParams<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// The region (`us-east-1`).
    pub region: &'a str,
    /// The signing name of the service (`dms`).
    pub service: &'a str,
    /// The signing time.
    pub time: DateTime,
}

impl std::fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .finish()
    }
}

/// The parts of a request that are signed.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path as sent (`/`); it is normalized and URI-encoded for the canonical request.
    pub path: &'a str,
    /// The raw query string without `?` (may be empty).
    pub query: &'a str,
    /// The headers to sign (names in any case; repeated names are joined with `,`).
    pub headers: &'a [(&'a str, &'a str)],
    /// The request body.
    pub body: &'a [u8],
}

/// The result of signing, with the intermediate strings for inspection and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// `host;x-amz-date;...`
    pub signed_headers: String,
    /// The full `Authorization` header value.
    pub authorization: String,
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let mut s = String::with_capacity(64);
    push_hex(digest::digest(&digest::SHA256, data).as_ref(), &mut s);
    s
}

fn push_hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
}

/// The derived signing key of one day, region and service (four HMACs), reusable for
/// every request signed with the same secret on that day.
pub struct SigningKey {
    date: [u8; 8],
    region: String,
    service: String,
    secret: String,
    key: hmac::Key,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Derives the key for `date` (`YYYYMMDD`).
    pub fn derive(secret_access_key: &str, date: &str, region: &str, service: &str) -> Self {
        let mut seed = String::with_capacity(4 + secret_access_key.len());
        seed.push_str("AWS4");
        seed.push_str(secret_access_key);
        let k_date = hmac_sha256(seed.as_bytes(), date.as_bytes());
        let k_region = hmac_sha256(k_date.as_ref(), region.as_bytes());
        let k_service = hmac_sha256(k_region.as_ref(), service.as_bytes());
        let k_signing = hmac_sha256(k_service.as_ref(), b"aws4_request");
        let mut d = [0u8; 8];
        for (slot, b) in d.iter_mut().zip(date.bytes()) {
            *slot = b;
        }
        SigningKey {
            date: d,
            region: region.to_string(),
            service: service.to_string(),
            secret: secret_access_key.to_string(),
            key: hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref()),
        }
    }

    /// Whether this key signs for these parameters (same day, region, service, secret).
    pub fn matches(&self, params: &SigningParams<'_>, date: &str) -> bool {
        self.date == date.as_bytes()[..8.min(date.len())]
            && self.region == params.region
            && self.service == params.service
            && self.secret == params.secret_access_key
    }
}

/// Percent-encodes everything but the unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    uri_encode(s, false, &mut out);
    out
}

/// Percent-encodes everything but the unreserved characters (and `/` when `keep_slash`).
fn uri_encode(s: &str, keep_slash: bool, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

/// Decodes `%XX` escapes (malformed ones are kept as they are).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hexpair = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hexpair {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 3986 dot-segment removal and empty-segment collapsing, as AWS normalizes paths
/// for every service but S3.
fn normalize_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut p = String::from("/");
    p.push_str(&out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        p.push('/');
    }
    p
}

fn canonical_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let mut ek = String::new();
            let mut ev = String::new();
            uri_encode(&percent_decode(k), false, &mut ek);
            uri_encode(&percent_decode(v), false, &mut ev);
            (ek, ev)
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Appends `v` trimmed, with runs of whitespace (line breaks included) as one space.
fn push_canonical_value(v: &str, out: &mut String) {
    let mut first = true;
    for word in v.split_whitespace() {
        if !first {
            out.push(' ');
        }
        out.push_str(word);
        first = false;
    }
}

/// Signs a request, deriving the signing key.
pub fn sign(req: &SignableRequest<'_>, params: &SigningParams<'_>) -> Signature {
    let amz_date = params.time.to_amz_date();
    let key = SigningKey::derive(
        params.secret_access_key,
        &amz_date[..8],
        params.region,
        params.service,
    );
    sign_with_key(req, params, &key, None)
}

/// Signs a request with a derived key (which must [match](SigningKey::matches) the
/// parameters) and, optionally, the payload's hex SHA-256 computed beforehand.
pub fn sign_with_key(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    key: &SigningKey,
    payload_hash: Option<&str>,
) -> Signature {
    let (canonical_headers, signed_headers) = canonical_headers(req.headers);
    let canonical_request =
        canonical_request(req, &canonical_headers, &signed_headers, payload_hash);
    let amz_date = params.time.to_amz_date();
    let mut scope = String::with_capacity(64);
    for part in [
        &amz_date[..8],
        "/",
        params.region,
        "/",
        params.service,
        "/aws4_request",
    ] {
        scope.push_str(part);
    }
    let mut string_to_sign = String::with_capacity(160);
    for part in [ALGORITHM, "\n", &amz_date, "\n", &scope, "\n"] {
        string_to_sign.push_str(part);
    }
    push_hex(
        digest::digest(&digest::SHA256, canonical_request.as_bytes()).as_ref(),
        &mut string_to_sign,
    );
    let mut signature = String::with_capacity(64);
    push_hex(
        hmac::sign(&key.key, string_to_sign.as_bytes()).as_ref(),
        &mut signature,
    );
    let mut authorization = String::with_capacity(128 + signed_headers.len());
    for part in [
        ALGORITHM,
        " Credential=",
        params.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
    Signature {
        canonical_request,
        string_to_sign,
        signature,
        signed_headers,
        authorization,
    }
}

/// The canonical headers block and the signed-headers list: lower-case names, sorted,
/// values of repeated names joined by `,`.
fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut headers: Vec<(std::borrow::Cow<'_, str>, &str)> = headers
        .iter()
        .map(|(k, v)| {
            let k = k.trim();
            let name = if k.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(k.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(k)
            };
            (name, *v)
        })
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut signed = String::with_capacity(headers.len() * 16);
    let mut canonical = String::with_capacity(headers.len() * 48);
    let mut last: Option<&str> = None;
    for (k, v) in &headers {
        if last == Some(k.as_ref()) {
            // A repeated name: its values join the previous line, comma-separated.
            canonical.pop();
            canonical.push(',');
        } else {
            if last.is_some() {
                signed.push(';');
            }
            signed.push_str(k);
            canonical.push_str(k);
            canonical.push(':');
        }
        push_canonical_value(v, &mut canonical);
        canonical.push('\n');
        last = Some(k.as_ref());
    }
    (canonical, signed)
}

fn canonical_request(
    req: &SignableRequest<'_>,
    canonical_headers: &str,
    signed_headers: &str,
    payload_hash: Option<&str>,
) -> String {
    let mut out = String::with_capacity(128 + canonical_headers.len() + signed_headers.len());
    out.push_str(req.method);
    out.push('\n');
    uri_encode(&normalize_path(req.path), true, &mut out);
    out.push('\n');
    out.push_str(&canonical_query(req.query));
    out.push('\n');
    out.push_str(canonical_headers);
    out.push('\n');
    out.push_str(signed_headers);
    out.push('\n');
    match payload_hash {
        Some(h) => out.push_str(h),
        None => push_hex(digest::digest(&digest::SHA256, req.body).as_ref(), &mut out),
    }
    out
}

/// The signing key of the current day, kept between requests: deriving it costs four
/// HMACs, and it changes only with the day, the secret, the region or the service.
#[derive(Debug, Default)]
pub struct SigningKeyCache {
    slot: std::sync::Mutex<Option<std::sync::Arc<SigningKey>>>,
}

impl SigningKeyCache {
    /// The key for `params` on `date` (`YYYYMMDD`): the cached one if it matches, else a
    /// newly derived one, which replaces it.
    pub fn key(&self, params: &SigningParams<'_>, date: &str) -> std::sync::Arc<SigningKey> {
        // A poisoned lock only means another thread panicked mid-update of an `Option`
        // that is always valid; the value is still usable.
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(k) if k.matches(params, date) => k.clone(),
            _ => {
                let k = std::sync::Arc::new(SigningKey::derive(
                    params.secret_access_key,
                    date,
                    params.region,
                    params.service,
                ));
                *slot = Some(k.clone());
                k
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/example/.."), "/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./"), "/");
        assert_eq!(normalize_path("/example/./"), "/example/");
        assert_eq!(normalize_path("//"), "/");
        assert_eq!(normalize_path("/a//b"), "/a/b");
    }

    #[test]
    fn queries_are_sorted_and_encoded_once() {
        assert_eq!(
            canonical_query("Param2=value2&Param1=value1"),
            "Param1=value1&Param2=value2"
        );
        assert_eq!(
            canonical_query("Param-3=Value3&%E1%88%B4=Value1"),
            "%E1%88%B4=Value1&Param-3=Value3"
        );
        assert_eq!(canonical_query("Param1="), "Param1=");
        assert_eq!(canonical_query("Param1"), "Param1=");
        assert_eq!(canonical_query("a=b c"), "a=b%20c");
    }

    #[test]
    fn malformed_escapes_do_not_panic() {
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%41"), "A");
    }

    #[test]
    fn vanilla_get_matches_the_suite() {
        // tests/unit/auth/aws4_testsuite/get-vanilla of botocore's source distribution.
        let sig = sign(
            &SignableRequest {
                method: "GET",
                path: "/",
                query: "",
                headers: &[
                    ("Host", "example.amazonaws.com"),
                    ("X-Amz-Date", "20150830T123600Z"),
                ],
                body: b"",
            },
            &SigningParams {
                access_key_id: "AKIDEXAMPLE",
                secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                region: "us-east-1",
                service: "service",
                time: DateTime::from_ymd_hms(2015, 8, 30, 12, 36, 0).unwrap(),
            },
        );
        assert_eq!(
            sig.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn cached_keys_match_only_their_parameters() {
        let p = SigningParams {
            access_key_id: "AKID",
            secret_access_key: "s1",
            region: "us-east-1",
            service: "dms",
            time: DateTime::UNIX_EPOCH,
        };
        let key = SigningKey::derive("s1", "19700101", "us-east-1", "dms");
        assert!(key.matches(&p, "19700101"));
        assert!(!key.matches(&p, "19700102"));
        assert!(!key.matches(
            &SigningParams {
                secret_access_key: "s2",
                ..p
            },
            "19700101"
        ));
        assert!(!key.matches(
            &SigningParams {
                region: "eu-west-1",
                ..p
            },
            "19700101"
        ));
        let req = SignableRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &[("host", "h")],
            body: b"{}",
        };
        assert_eq!(
            sign(&req, &p),
            sign_with_key(&req, &p, &key, Some(&sha256_hex(b"{}")))
        );
        assert!(!format!("{key:?}").contains("s1"));
    }

    #[test]
    fn the_key_cache_reuses_a_key_only_while_it_matches() {
        let p = SigningParams {
            access_key_id: "AKID",
            secret_access_key: "s1",
            region: "us-east-1",
            service: "dms",
            time: DateTime::UNIX_EPOCH,
        };
        let cache = SigningKeyCache::default();
        let first = cache.key(&p, "19700101");
        assert!(std::sync::Arc::ptr_eq(&first, &cache.key(&p, "19700101")));
        let next_day = cache.key(&p, "19700102");
        assert!(!std::sync::Arc::ptr_eq(&first, &next_day));
        assert!(next_day.matches(&p, "19700102"));
        let rotated = SigningParams {
            secret_access_key: "s2",
            ..p
        };
        assert!(cache
            .key(&rotated, "19700102")
            .matches(&rotated, "19700102"));
    }

    #[test]
    fn debug_hides_the_secret() {
        let p = SigningParams {
            access_key_id: "AKID",
            secret_access_key: "topsecret",
            region: "r",
            service: "s",
            time: DateTime::UNIX_EPOCH,
        };
        assert!(!format!("{p:?}").contains("topsecret"));
    }
}
