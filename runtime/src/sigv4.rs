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
    /// The path as sent (`/`); for the canonical request it is normalized and URI-encoded
    /// again, unless [`path_signing`](Self::path_signing) says otherwise.
    pub path: &'a str,
    /// How the path enters the canonical request.
    pub path_signing: PathSigning,
    /// The raw query string without `?` (may be empty).
    pub query: &'a str,
    /// The headers to sign (names in any case; repeated names are joined with `,`).
    pub headers: &'a [(&'a str, &'a str)],
    /// The request body.
    pub body: &'a [u8],
}

/// How a request's path enters its canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSigning {
    /// Dot and empty segments removed, then URI-encoded again (the sent path is already
    /// encoded once): every service but S3.
    Normalized,
    /// As sent, encoded once, nothing removed: S3 and S3 Control, whose keys may hold
    /// `//` and `..` (botocore's `S3SigV4Auth`, the rules' `disableDoubleEncoding`).
    AsSent,
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
    sha256_hex_inline(data).as_str().to_string()
}

/// Lower-case hex SHA-256, held inline (no allocation).
pub(crate) fn sha256_hex_inline(data: &[u8]) -> HexDigest {
    crate::InlineAscii(hex_bytes(digest::digest(&digest::SHA256, data).as_ref()))
}

/// A SHA-256 digest as 64 lower-case hex digits.
pub(crate) type HexDigest = crate::InlineAscii<64>;

/// SHA-256 over data given piece by piece (a body read from a file).
pub(crate) struct Sha256(digest::Context);

impl Sha256 {
    pub(crate) fn new() -> Self {
        Sha256(digest::Context::new(&digest::SHA256))
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    pub(crate) fn finish_hex(self) -> HexDigest {
        crate::InlineAscii(hex_bytes(self.0.finish().as_ref()))
    }
}

/// The lower-case hex of (the first 32 bytes of) `bytes`, zero-padded.
fn hex_bytes(bytes: &[u8]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [b'0'; 64];
    for (pair, b) in buf.chunks_exact_mut(2).zip(bytes.iter().take(32)) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 0xf)];
    }
    buf
}

/// Appends the lower-case hex of a digest (32 bytes).
fn push_hex(bytes: &[u8], out: &mut String) {
    // Written to a stack buffer, then appended at once: pushing 64 chars one by one
    // costs a capacity check and a UTF-8 encode each.
    out.push_str(crate::InlineAscii(hex_bytes(bytes)).as_str());
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

/// Percent-encodes everything but the unreserved characters (and `/` when `keep_slash`).
pub(crate) fn uri_encode(s: &str, keep_slash: bool, out: &mut String) {
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

/// Appends the canonical form of `path`: normalized ([`normalize_path`]) and
/// URI-encoded (`/` kept).
fn push_canonical_path(path: &str, out: &mut String) {
    if is_normal_path(path) {
        uri_encode(path, true, out);
    } else {
        uri_encode(&normalize_path(path), true, out);
    }
}

/// Whether [`normalize_path`] would return `path` unchanged (the common case: no empty or
/// dot segments), so that it need not be rebuilt.
fn is_normal_path(path: &str) -> bool {
    if path == "/" {
        return true;
    }
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let mut segments = rest.split('/').peekable();
    while let Some(seg) = segments.next() {
        let last = segments.peek().is_none();
        if seg == "." || seg == ".." || (seg.is_empty() && !last) {
            return false;
        }
    }
    true
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
    // Unstable is enough (equal pairs are identical) and shares the unstable sort's code.
    pairs.sort_unstable();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Appends `v` trimmed, with runs of whitespace (line breaks included) as one space.
fn push_canonical_value(v: &str, out: &mut String) {
    // The common case: printable ASCII with single inner spaces is its own canonical form.
    let b = v.as_bytes();
    if b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter().all(|c| (0x20..0x7f).contains(c))
        && !b.windows(2).any(|w| w == b"  ")
    {
        out.push_str(v);
        return;
    }
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
    let amz_date = params.time.to_amz_date();
    let (canonical_request, signed_headers) = canonical_request(req, payload_hash);
    let canonical_hash = digest::digest(&digest::SHA256, canonical_request.as_bytes());
    let mut string_to_sign = String::new();
    let scope = push_string_to_sign(
        &mut string_to_sign,
        canonical_hash.as_ref(),
        params,
        &amz_date,
    );
    let signature = crate::InlineAscii(hex_bytes(
        hmac::sign(&key.key, string_to_sign.as_bytes()).as_ref(),
    ));
    let authorization = authorization(
        params.access_key_id,
        &string_to_sign[scope],
        &signed_headers,
        &signature,
    );
    Signature {
        canonical_request,
        string_to_sign,
        signature: signature.as_str().to_string(),
        signed_headers,
        authorization,
    }
}

/// A presigned request's query string (SigV4 in the query, as botocore's
/// `SigV4QueryAuth`): `req.query` (the operation's own parameters, encoded), then
/// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders` (every header of `req` but those never signed) and
/// `X-Amz-Security-Token` when there is one, then `X-Amz-Signature` over all of them.
pub fn presign_query(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    key: &SigningKey,
    expires_secs: u64,
    session_token: Option<&str>,
    payload_hash: &str,
) -> String {
    let token = session_token.map(|t| ("X-Amz-Security-Token", t));
    presign_query_token(req, params, key, expires_secs, token, payload_hash)
}

/// [`presign_query`] with the session token under the parameter `token.0`: S3 Express
/// sessions name theirs `X-Amz-S3session-Token` (botocore's `S3ExpressQueryAuth`).
pub(crate) fn presign_query_token(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    key: &SigningKey,
    expires_secs: u64,
    token: Option<(&str, &str)>,
    payload_hash: &str,
) -> String {
    let amz_date = params.time.to_amz_date();
    let credential = format!(
        "{}/{}/{}/{}/aws4_request",
        params.access_key_id,
        &amz_date[..8],
        params.region,
        params.service
    );
    let signed_headers = push_canonical_headers(req.headers, &mut String::new());
    let mut query = String::from(req.query);
    let expires = expires_secs.to_string();
    let mut auth: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &amz_date),
        ("X-Amz-Expires", &expires),
        ("X-Amz-SignedHeaders", &signed_headers),
    ];
    auth.extend(token);
    for (k, v) in auth {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(k);
        query.push('=');
        uri_encode(v, false, &mut query);
    }
    let signed = sign_with_key(
        &SignableRequest {
            query: &query,
            ..*req
        },
        params,
        key,
        Some(payload_hash),
    );
    query.push_str("&X-Amz-Signature=");
    query.push_str(&signed.signature);
    query
}

/// The `Authorization` header value alone, as [`sign_with_key`] computes it, with
/// `params.time` already formatted as `amz_date` (`YYYYMMDDTHHMMSSZ`) and fewer
/// allocations: the client's path, where one buffer holds the canonical request, then
/// the string to sign.
pub(crate) fn authorization_at(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    key: &SigningKey,
    payload_hash: Option<&str>,
    amz_date: &str,
) -> String {
    let (canonical_request, signed_headers) = canonical_request(req, payload_hash);
    let mut buf = canonical_request;
    let canonical_hash = digest::digest(&digest::SHA256, buf.as_bytes());
    buf.clear();
    let scope = push_string_to_sign(&mut buf, canonical_hash.as_ref(), params, amz_date);
    let signature = crate::InlineAscii(hex_bytes(hmac::sign(&key.key, buf.as_bytes()).as_ref()));
    authorization(
        params.access_key_id,
        &buf[scope],
        &signed_headers,
        &signature,
    )
}

/// The algorithm line of a chained signature's string to sign: an event-stream message's
/// or an `aws-chunked` body's chunk.
pub(crate) const PAYLOAD_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";
/// The algorithm line of an `aws-chunked` body's signed trailer.
pub(crate) const TRAILER_ALGORITHM: &str = "AWS4-HMAC-SHA256-TRAILER";

/// The string to sign of a signature chained from the prior one (the request's, first):
/// an event-stream message's (`PAYLOAD_ALGORITHM`, hashing its `:date` header in the
/// wire format and its payload, the inner message; the transcribe-streaming
/// documentation), an `aws-chunked` chunk's (`PAYLOAD_ALGORITHM`, hashing nothing and the
/// chunk's data) or its trailer's (`TRAILER_ALGORITHM`, hashing the trailing headers; S3's
/// sigv4-streaming documentation): the algorithm, the time (`amz_date`), the scope, the
/// prior signature, then the SHA-256 of each of `hashed`, a line each.
pub(crate) fn chained_string_to_sign(
    algorithm: &str,
    amz_date: &str,
    scope: (&str, &str),
    prior_signature: &str,
    hashed: &[&[u8]],
) -> String {
    let (region, service) = scope;
    let date = amz_date.get(..8).unwrap_or(amz_date);
    let mut out = String::with_capacity(
        algorithm.len() + amz_date.len() + region.len() + service.len() + 100 + 65 * hashed.len(),
    );
    for part in [algorithm, "\n", amz_date, "\n", date, "/", region, "/"] {
        out.push_str(part);
    }
    for part in [service, "/aws4_request\n", prior_signature] {
        out.push_str(part);
    }
    for data in hashed {
        out.push('\n');
        out.push_str(sha256_hex_inline(data).as_str());
    }
    out
}

/// A chained signature under `key` (of the time's day): the raw bytes (an event-stream
/// message's `:chunk-signature` holds them) and their hex, which the next one chains.
pub(crate) fn chained_signature(key: &SigningKey, string_to_sign: &str) -> ([u8; 32], HexDigest) {
    let tag = hmac::sign(&key.key, string_to_sign.as_bytes());
    let mut raw = [0u8; 32];
    for (d, b) in raw.iter_mut().zip(tag.as_ref()) {
        *d = *b;
    }
    (raw, crate::InlineAscii(hex_bytes(&raw)))
}

/// Appends the string to sign of the canonical request whose SHA-256 is
/// `canonical_hash`; returns where the credential scope (`date/region/service/aws4_request`)
/// is in `out`.
fn push_string_to_sign(
    out: &mut String,
    canonical_hash: &[u8],
    params: &SigningParams<'_>,
    amz_date: &str,
) -> std::ops::Range<usize> {
    let date = amz_date.get(..8).unwrap_or(amz_date);
    out.reserve(
        ALGORITHM.len()
            + amz_date.len()
            + date.len()
            + params.region.len()
            + params.service.len()
            + 82,
    );
    for part in [ALGORITHM, "\n", amz_date, "\n"] {
        out.push_str(part);
    }
    let scope_at = out.len();
    for part in [
        date,
        "/",
        params.region,
        "/",
        params.service,
        "/aws4_request",
    ] {
        out.push_str(part);
    }
    let scope_end = out.len();
    out.push('\n');
    push_hex(canonical_hash, out);
    scope_at..scope_end
}

/// `AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<list>, Signature=<hex>`.
fn authorization(
    access_key_id: &str,
    scope: &str,
    signed_headers: &str,
    signature: &HexDigest,
) -> String {
    let mut out = String::with_capacity(
        ALGORITHM.len() + access_key_id.len() + scope.len() + signed_headers.len() + 112,
    );
    for part in [
        ALGORITHM,
        " Credential=",
        access_key_id,
        "/",
        scope,
        ", SignedHeaders=",
        signed_headers,
        ", Signature=",
        signature.as_str(),
    ] {
        out.push_str(part);
    }
    out
}

/// The canonical request and the signed-headers list (`host;x-amz-date;...`).
fn canonical_request(req: &SignableRequest<'_>, payload_hash: Option<&str>) -> (String, String) {
    let headers_len: usize = req.headers.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(
        req.method.len() + req.path.len() + req.query.len() + 2 * headers_len + 72,
    );
    out.push_str(req.method);
    out.push('\n');
    match req.path_signing {
        PathSigning::Normalized => push_canonical_path(req.path, &mut out),
        PathSigning::AsSent => out.push_str(req.path),
    }
    out.push('\n');
    if !req.query.is_empty() {
        out.push_str(&canonical_query(req.query));
    }
    out.push('\n');
    let signed = push_canonical_headers(req.headers, &mut out);
    out.push('\n');
    out.push_str(&signed);
    out.push('\n');
    match payload_hash {
        Some(h) => out.push_str(h),
        None => push_hex(digest::digest(&digest::SHA256, req.body).as_ref(), &mut out),
    }
    (out, signed)
}

/// Headers botocore never signs (`SIGNED_HEADERS_BLACKLIST`): hop-by-hop and tracing
/// headers a proxy or the transport may change.
const UNSIGNED_HEADERS: [&str; 14] = [
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

fn is_unsigned(name: &str) -> bool {
    UNSIGNED_HEADERS
        .iter()
        .any(|u| u.len() == name.len() && u.bytes().eq(lower(name)))
}

/// The bytes of a header name, lower-cased.
fn lower(name: &str) -> impl Iterator<Item = u8> + '_ {
    name.bytes().map(|b| b.to_ascii_lowercase())
}

/// Appends the canonical headers block (lower-case names, sorted, values of repeated
/// names joined by `,`, each line ending in a line break; [`UNSIGNED_HEADERS`] left out)
/// and returns the signed-headers list.
fn push_canonical_headers(headers: &[(&str, &str)], out: &mut String) -> String {
    // Sorted by lower-cased, trimmed name; equal names keep their order (the index breaks
    // ties), so the unstable sort, which never allocates, gives the stable order.
    // Names are trimmed once (`trim` is Unicode-aware, too slow for every comparison).
    let mut small = [("", 0usize); 16];
    let mut large = Vec::new();
    let order: &mut [(&str, usize)] = if headers.len() <= small.len() {
        for (slot, (i, (k, _))) in small.iter_mut().zip(headers.iter().enumerate()) {
            *slot = (k.trim(), i);
        }
        &mut small[..headers.len()]
    } else {
        large.extend(headers.iter().enumerate().map(|(i, (k, _))| (k.trim(), i)));
        &mut large
    };
    order.sort_unstable_by(|a, b| lower(a.0).cmp(lower(b.0)).then(a.1.cmp(&b.1)));
    let mut signed = String::with_capacity(headers.len() * 16);
    let mut last: Option<&str> = None;
    for &(name, i) in order.iter() {
        if is_unsigned(name) {
            continue;
        }
        if last.is_some_and(|l| lower(l).eq(lower(name))) {
            // A repeated name: its values join the previous line, comma-separated.
            out.pop();
            out.push(',');
        } else {
            if last.is_some() {
                signed.push(';');
            }
            let at = out.len();
            out.push_str(name);
            if let Some(added) = out.get_mut(at..) {
                added.make_ascii_lowercase();
            }
            signed.push_str(&out[at..]);
            out.push(':');
        }
        push_canonical_value(headers[i].1, out);
        out.push('\n');
        last = Some(name);
    }
    signed
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
    fn the_client_path_signs_as_sign_with_key_does() {
        let params = SigningParams {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "dms",
            time: DateTime::from_ymd_hms(2026, 11, 30, 13, 30, 0).unwrap(),
        };
        let amz_date = params.time.to_amz_date();
        let key = SigningKey::derive(params.secret_access_key, &amz_date[..8], "us-east-1", "dms");
        for (path, query, body, payload_hash) in [
            ("/", "", &b"{}"[..], None),
            ("/a/../b//c", "b=2&a=1", &b""[..], None),
            (
                "/",
                "",
                &b"{}"[..],
                Some("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),
            ),
        ] {
            let req = SignableRequest {
                path_signing: PathSigning::Normalized,
                method: "POST",
                path,
                query,
                headers: &[
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("host", "dms.us-east-1.amazonaws.com"),
                    ("x-amz-date", &amz_date),
                ],
                body,
            };
            assert_eq!(
                authorization_at(&req, &params, &key, payload_hash, &amz_date),
                sign_with_key(&req, &params, &key, payload_hash).authorization
            );
        }
    }

    #[test]
    fn hex_digests_are_lower_case_and_complete() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(sha256_hex_inline(b"abc").as_str(), sha256_hex(b"abc"));
        let mut s = String::from("x");
        push_hex(&[0xab; 32], &mut s);
        assert_eq!(s.len(), 65);
        assert!(s[1..].chars().all(|c| c == 'a' || c == 'b'));
    }

    #[test]
    fn paths_already_normal_are_taken_as_they_are() {
        for path in [
            "", "/", "//", "///", "/a", "/a/", "/a//", "/a/b", "/a//b", "/./", "/.", "/..", "/a/.",
            "/a/..", "/a/./b", "/.a/..b/", "a", "a/b", "/a b/c%", "/é/",
        ] {
            let mut fast = String::new();
            push_canonical_path(path, &mut fast);
            let mut slow = String::new();
            uri_encode(&normalize_path(path), true, &mut slow);
            assert_eq!(fast, slow, "{path:?}");
        }
    }

    #[test]
    fn canonical_headers_sort_lower_case_and_join_repeats() {
        let mut out = String::new();
        let signed = push_canonical_headers(
            &[
                ("X-Amz-Date", "20150830T123600Z"),
                ("host", "example.com"),
                (" My-Header ", "  a   b  "),
                ("my-header", "second"),
                ("content-type", "text/plain"),
            ],
            &mut out,
        );
        assert_eq!(signed, "content-type;host;my-header;x-amz-date");
        assert_eq!(
            out,
            "content-type:text/plain\nhost:example.com\nmy-header:a b,second\nx-amz-date:20150830T123600Z\n"
        );
        let many: Vec<(String, String)> = (0..40)
            .rev()
            .map(|i| (format!("H{i:02}"), format!("v{i}")))
            .collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut out = String::new();
        let signed = push_canonical_headers(&many, &mut out);
        assert!(
            signed.starts_with("h00;h01;h02;") && signed.ends_with(";h39"),
            "{signed}"
        );
        assert!(out.starts_with("h00:v0\nh01:v1\n"), "{out}");
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
                path_signing: PathSigning::Normalized,
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
            path_signing: PathSigning::Normalized,
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
