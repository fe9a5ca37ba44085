//! What S3 and S3 Control do differently, as botocore's S3 client does it: the `s3`
//! settings (addressing style, accelerate, ARN regions, the `us-east-1` global endpoint)
//! and the rule-set built-ins they become (`compute_endpoint_resolver_builtin_defaults`
//! and `customize_endpoint_resolver_builtins` in botocore).

use crate::endpoint::{ContextParam, S3Params};

/// How S3 buckets are addressed (botocore's `s3.addressing_style`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AddressingStyle {
    /// The rules choose: virtual-hosted (`bucket.s3.region.amazonaws.com`) where the
    /// bucket name allows it, path-style otherwise; path-style with a custom endpoint URL.
    #[default]
    Auto,
    /// Virtual-hosted, with a custom endpoint URL too.
    Virtual,
    /// Path-style (`s3.region.amazonaws.com/bucket`) always.
    Path,
}

/// S3's own settings (`Config::builder().s3(..)`; from the environment and the profile's
/// nested `s3` section by `Config::from_env`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Config {
    pub(crate) addressing_style: AddressingStyle,
    pub(crate) accelerate: bool,
    pub(crate) use_arn_region: Option<bool>,
    pub(crate) disable_multi_region_access_points: bool,
    pub(crate) us_east_1_regional: bool,
    pub(crate) use_dual_stack: Option<bool>,
}

impl S3Config {
    /// The defaults: addressing chosen by the rules, no acceleration, ARN regions used,
    /// the global endpoint for `us-east-1` (botocore's `legacy`).
    pub fn new() -> Self {
        Self::default()
    }
    /// The addressing style.
    pub fn addressing_style(mut self, style: AddressingStyle) -> Self {
        self.addressing_style = style;
        self
    }
    /// Path-style addressing always (`true`), or as the rules choose (`false`).
    pub fn force_path_style(self, on: bool) -> Self {
        self.addressing_style(if on {
            AddressingStyle::Path
        } else {
            AddressingStyle::Auto
        })
    }
    /// S3 Transfer Acceleration (`bucket.s3-accelerate.amazonaws.com`).
    pub fn accelerate(mut self, on: bool) -> Self {
        self.accelerate = on;
        self
    }
    /// Whether an ARN's region may differ from the client's (S3: allowed unless set to
    /// `false`; S3 Control: refused unless set to `true`).
    pub fn use_arn_region(mut self, on: bool) -> Self {
        self.use_arn_region = Some(on);
        self
    }
    /// Refuse multi-region access point ARNs.
    pub fn disable_multi_region_access_points(mut self, on: bool) -> Self {
        self.disable_multi_region_access_points = on;
        self
    }
    /// `us-east-1` requests to `s3.us-east-1.amazonaws.com` (`true`, botocore's
    /// `regional`) instead of the global `s3.amazonaws.com` (`false`, the default
    /// `legacy`).
    pub fn us_east_1_regional_endpoint(mut self, on: bool) -> Self {
        self.us_east_1_regional = on;
        self
    }

    /// S3's own dual-stack setting (the profile's nested `s3.use_dualstack_endpoint`),
    /// which wins over the client-wide one for S3 and S3 Control.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// The settings as botocore reads them (`DEFAULT_S3_CONFIG_VARS`): `get(variable,
    /// profile key)` reads the environment, then the profile; `nested` is the profile's
    /// `s3` section (`addressing_style = path` lines). Booleans are botocore's
    /// `ensure_boolean`: `true` in any case, anything else false.
    pub(crate) fn from_settings(
        get: impl Fn(&str, &str) -> Option<String>,
        nested: Option<&str>,
    ) -> Self {
        let section: Vec<(String, String)> = nested
            .into_iter()
            .flat_map(str::lines)
            .filter_map(|l| {
                let (k, v) = l.split_once('=')?;
                Some((k.trim().to_string(), v.trim().to_string()))
            })
            .collect();
        let inner = |k: &str| section.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let boolean = |v: Option<String>| v.map(|v| v.eq_ignore_ascii_case("true"));
        let addressing_style = match inner("addressing_style").as_deref() {
            Some("path") => AddressingStyle::Path,
            Some("virtual") => AddressingStyle::Virtual,
            _ => AddressingStyle::Auto,
        };
        S3Config {
            addressing_style,
            accelerate: boolean(inner("use_accelerate_endpoint")).unwrap_or(false),
            use_arn_region: boolean(
                get("AWS_S3_USE_ARN_REGION", "s3_use_arn_region")
                    .or_else(|| inner("use_arn_region")),
            ),
            disable_multi_region_access_points: boolean(
                get("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "")
                    .or_else(|| inner("s3_disable_multiregion_access_points")),
            )
            .unwrap_or(false),
            us_east_1_regional: get(
                "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
                "s3_us_east_1_regional_endpoint",
            )
            .or_else(|| inner("us_east_1_regional_endpoint"))
            .is_some_and(|v| v == "regional"),
            use_dual_stack: boolean(inner("use_dualstack_endpoint")),
        }
    }

    /// The rule-set built-ins of a client in `region`, with `endpoint_url` its custom
    /// endpoint, as botocore computes them.
    pub(crate) fn params(&self, region: Option<&str>, endpoint_url: Option<&str>) -> S3Params {
        let force_path_style = if self.accelerate {
            false
        } else if endpoint_url.is_some_and(|u| !is_accelerate_url(u)) {
            self.addressing_style != AddressingStyle::Virtual
        } else {
            self.addressing_style == AddressingStyle::Path
        };
        S3Params {
            force_path_style,
            accelerate: self.accelerate,
            use_arn_region: self.use_arn_region,
            disable_multi_region_access_points: self.disable_multi_region_access_points,
            use_global_endpoint: !self.us_east_1_regional
                && matches!(region, None | Some("us-east-1")),
        }
    }
}

/// Whether `url`'s host is an S3 Transfer Acceleration endpoint (botocore's
/// `is_s3_accelerate_url`): `s3-accelerate` first, then optionally `dualstack`, then
/// `amazonaws.com`.
fn is_accelerate_url(url: &str) -> bool {
    let host = url.split("://").nth(1).unwrap_or(url);
    let host = host.split(['/', '?', '#', ':']).next().unwrap_or("");
    let mut parts = host.split('.');
    if parts.next() != Some("s3-accelerate") {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        ["amazonaws", "com"] => true,
        [middle @ .., "amazonaws", "com"] => middle.iter().all(|p| *p == "dualstack"),
        _ => false,
    }
}

/// The built-ins of one S3 call: a bucket given as an ARN is never path-style
/// (`customize_endpoint_resolver_builtins`).
pub(crate) fn call_params(
    params: &S3Params,
    context: &[(&'static str, ContextParam)],
) -> Option<S3Params> {
    let arn = context
        .iter()
        .any(|(n, v)| *n == "Bucket" && matches!(v, ContextParam::Str(b) if b.starts_with("arn:")));
    (arn && params.force_path_style).then(|| S3Params {
        force_path_style: false,
        ..params.clone()
    })
}

/// The built-ins of a presigned S3 request, when they differ from the client's: the
/// global endpoint (`aws-global`, `s3.amazonaws.com`) for a bucket that can be a host
/// name, as botocore presigns (`_should_use_global_endpoint`, then
/// `customize_endpoint_resolver_builtins`): in the `aws` partition, unless dual-stack,
/// `regional` for `us-east-1`, virtual-hosted or path-style addressing is configured (or
/// the operation is path-style), or the bucket is an ARN or an S3 Express bucket.
pub(crate) fn presign_params(
    config: &S3Config,
    params: &crate::endpoint::Params,
    statics: &[(&'static str, crate::endpoint::StaticParam)],
    context: &[(&'static str, ContextParam)],
) -> Option<crate::endpoint::Params> {
    let region = params.region.as_deref()?;
    // `GetBucketLocation` is path-style whatever the configuration says.
    let path_style = params.s3.force_path_style
        || statics.iter().any(|(n, v)| {
            *n == "ForcePathStyle" && matches!(v, crate::endpoint::StaticParam::Bool(true))
        });
    let global = crate::endpoint::partition_id(region).as_deref() == Some("aws")
        && !params.use_dual_stack
        && !(config.us_east_1_regional && region == "us-east-1")
        && config.addressing_style != AddressingStyle::Virtual;
    let bucket = context.iter().find_map(|(n, v)| match v {
        ContextParam::Str(b) if *n == "Bucket" => Some(b.as_str()),
        _ => None,
    });
    // No bucket (`ListBuckets`): nothing stands in the way.
    // botocore's `VALID_HOST_LABEL_RE`: the rules' host label, not ending in `-` either.
    let host_label =
        bucket.is_none_or(|b| crate::endpoint::is_valid_host_label(b, false) && !b.ends_with('-'));
    let express = bucket.is_some_and(|b| b.ends_with("--x-s3"));
    let arn = bucket.is_some_and(|b| b.starts_with("arn:"));
    (global && host_label && !path_style && !arn && !express).then(|| crate::endpoint::Params {
        region: Some("aws-global".to_string()),
        s3: S3Params {
            use_global_endpoint: true,
            ..params.s3.clone()
        },
        ..params.clone()
    })
}

/// The region an S3 error says the bucket is in, when the error is one botocore's
/// `S3RegionRedirectorv2.redirect_from_error` redirects: a `HeadObject` 301 or 400 (no
/// body says why), a `HeadBucket` one with `x-amz-bucket-region`, an
/// `AuthorizationHeaderMalformed` naming the region, a redirect status, a
/// `PermanentRedirect`, an `IllegalLocationConstraintException` (but for `CreateBucket`).
/// The region comes from `x-amz-bucket-region`, else the error's `<Region>`, and must be
/// a valid host label; when neither says it, [`Redirect::Unknown`]: botocore's last
/// resort, a `HeadBucket` whose answer's `x-amz-bucket-region` says it.
pub(crate) fn redirect_region(
    op_name: &str,
    meta: &crate::ErrorMetadata,
    body: &[u8],
) -> Option<Redirect> {
    let code = meta.code();
    let header = meta
        .response_headers()
        .and_then(|h| h.get("x-amz-bucket-region"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body_region = || {
        crate::xml::Document::parse(body).ok().and_then(|doc| {
            let root = doc.root();
            let error = if root.name() == "Error" {
                Some(root)
            } else {
                root.child("Error")
            };
            error
                .and_then(|e| e.child("Region"))
                .map(|r| r.text().trim().to_string())
                .filter(|r| !r.is_empty())
        })
    };
    let redirected = (matches!(code, "301" | "400") && op_name == "HeadObject")
        || (matches!(code, "301" | "400") && op_name == "HeadBucket" && header.is_some())
        || (code == "AuthorizationHeaderMalformed" && body_region().is_some())
        || matches!(meta.status(), Some(301 | 302 | 307))
        || code == "PermanentRedirect"
        || (code == "IllegalLocationConstraintException" && op_name != "CreateBucket");
    if !redirected {
        return None;
    }
    match header.or_else(body_region) {
        Some(r) => valid_region(Some(r)).map(Redirect::To),
        None => Some(Redirect::Unknown),
    }
}

/// Where a call redirected to another region goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Redirect {
    /// The region the error names.
    To(String),
    /// The error names none: ask `HeadBucket`.
    Unknown,
}

/// `region` if it can be a host label (botocore's `validate_region_name`).
pub(crate) fn valid_region(region: Option<String>) -> Option<String> {
    region.filter(|r| crate::endpoint::is_valid_host_label(r, false))
}

/// The bucket a call names, unless it is an ARN (botocore does not redirect those).
pub(crate) fn redirectable_bucket<'a>(
    context: &'a [(&'static str, ContextParam)],
) -> Option<&'a str> {
    context.iter().find_map(|(n, v)| match v {
        ContextParam::Str(b) if *n == "Bucket" && !b.starts_with("arn:") => Some(b.as_str()),
        _ => None,
    })
}

/// S3 Express One Zone sessions (botocore's `S3ExpressIdentityCache`): the credentials
/// each directory bucket's `CreateSession` gave, kept per bucket for the client's later
/// calls (at most [`EXPRESS_SESSIONS`] buckets; the map is emptied when full).
#[derive(Default)]
pub(crate) struct ExpressSessions(
    std::sync::Mutex<std::collections::BTreeMap<String, crate::credentials::Credentials>>,
);

/// How many buckets' sessions a client keeps (botocore's `lru_cache(maxsize=100)`).
const EXPRESS_SESSIONS: usize = 100;

/// A session is opened again when it has less than this left (botocore's
/// `advisory_timeout`).
const EXPRESS_REFRESH: std::time::Duration = std::time::Duration::from_secs(45);

/// Under this, a session that could not be opened again is not used either (botocore's
/// `mandatory_timeout`).
const EXPRESS_MANDATORY: std::time::Duration = std::time::Duration::from_secs(10);

/// What a kept session is good for, at `now`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Session {
    /// More than 45 seconds left: use it.
    Fresh(crate::credentials::Credentials),
    /// Open a new one; if that fails, this one still has more than 10 seconds.
    Stale(Option<crate::credentials::Credentials>),
}

impl ExpressSessions {
    /// The session kept for `bucket`, as it stands at `now`.
    pub(crate) fn get(&self, bucket: &str, now: std::time::SystemTime) -> Session {
        let kept = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(bucket)
            .cloned();
        let Some(c) = kept else {
            return Session::Stale(None);
        };
        let left = c
            .expiry()
            .map(|e| e.duration_since(now).unwrap_or_default());
        match left {
            None => Session::Fresh(c),
            Some(l) if l > EXPRESS_REFRESH => Session::Fresh(c),
            Some(l) => Session::Stale((l > EXPRESS_MANDATORY).then_some(c)),
        }
    }

    /// Keeps `bucket`'s new session.
    pub(crate) fn keep(&self, bucket: &str, c: crate::credentials::Credentials) {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= EXPRESS_SESSIONS && !map.contains_key(bucket) {
            map.clear();
        }
        map.insert(bucket.to_string(), c);
    }
}

/// The credentials of an S3 Express session, from what `CreateSession` answered
/// (generated code: `SessionCredentials`'s members); an answer without them is an error.
pub fn express_credentials(
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<crate::DateTime>,
) -> Result<crate::credentials::Credentials, String> {
    match (access_key_id, secret_access_key, session_token) {
        (Some(id), Some(secret), Some(token)) => Ok(crate::credentials::Credentials::new(
            id,
            secret,
            Some(token),
            expiration.and_then(|e| e.to_system_time()),
            "s3express",
        )),
        _ => Err("CreateSession answered without the session's credentials".into()),
    }
}

/// The bucket an S3 Express request signs with the session of.
pub(crate) fn express_bucket<'a>(context: &'a [(&'static str, ContextParam)]) -> Option<&'a str> {
    context.iter().find_map(|(n, v)| match v {
        ContextParam::Str(b) if *n == "Bucket" => Some(b.as_str()),
        _ => None,
    })
}

/// An SSE-C key as botocore's `sse_md5` handler sends it: when the caller gave the key
/// (its bytes as a string) and no MD5, the key goes base64-encoded and its MD5 with it.
pub fn sse_customer_key(key: &mut Option<String>, md5: &mut Option<String>) {
    if md5.is_some() {
        return;
    }
    if let Some(k) = key.as_mut() {
        use md5::Digest as _;
        let digest = md5::Md5::digest(k.as_bytes());
        *md5 = Some(crate::Blob::new(digest.to_vec()).to_base64());
        *k = crate::Blob::new(k.as_bytes().to_vec()).to_base64();
    }
}

/// A `CopySource` as botocore's `handle_copy_source_param` sends a string: percent-encoded
/// but for `/` and the unreserved characters, a trailing `?versionId=...` kept as it is.
pub fn copy_source(source: &mut String) {
    let split = version_id_suffix(source).unwrap_or(source.len());
    let (path, version) = source.split_at(split);
    let mut out = String::with_capacity(source.len() + 8);
    crate::sigv4::uri_encode(path, true, &mut out);
    out.push_str(version);
    *source = out;
}

/// Where botocore's `VERSION_ID_SUFFIX` (`\?versionId=[^/]+$`) starts in `s`.
fn version_id_suffix(s: &str) -> Option<usize> {
    let at = s.rfind("?versionId=")?;
    let id = &s[at + "?versionId=".len()..];
    (!id.is_empty() && !id.contains('/')).then_some(at)
}

/// A key or prefix of a listing S3 sent URL-encoded (because the client asked for
/// `EncodingType=url`), decoded as botocore's `unquote_str` (`unquote_plus`: `+` is a space,
/// invalid UTF-8 replaced).
pub fn url_decode(value: &mut Option<String>) {
    let Some(v) = value.as_mut() else {
        return;
    };
    if !v.contains(['%', '+']) {
        return;
    }
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    *v = String::from_utf8_lossy(&out).into_owned();
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Whether a 200 answer's body is an error after all (botocore's
/// `_looks_like_special_case_error`): an XML document whose root is `<Error>`, or a body
/// that is not a whole XML document (cut short: S3 sends the 200 before the work is
/// done). Read cheaply, without a parse: the root's name from its start tag, and whether
/// the body ends with that element's end tag (an empty body is not an error).
pub(crate) fn error_in_200(body: &[u8]) -> bool {
    let text = body.trim_ascii();
    if text.is_empty() {
        return false;
    }
    let Some(root) = root_name(text) else {
        return true;
    };
    if root == b"Error" {
        return true;
    }
    let self_closing = text.ends_with(b"/>") && text.iter().filter(|&&b| b == b'<').count() <= 2;
    let mut end = Vec::with_capacity(root.len() + 3);
    end.extend_from_slice(b"</");
    end.extend_from_slice(root);
    let closed = text.ends_with(b">") && {
        let before = &text[..text.len() - 1];
        let before = before.trim_ascii_end();
        before.ends_with(&end)
    };
    !(closed || self_closing)
}

/// The name of the first element's start tag, past a declaration, comments and
/// processing instructions; `None` when the body does not start as XML.
fn root_name(mut text: &[u8]) -> Option<&[u8]> {
    loop {
        text = text.trim_ascii_start();
        let rest = text.strip_prefix(b"<")?;
        if let Some(pi) = rest.strip_prefix(b"?") {
            let end = pi.windows(2).position(|w| w == b"?>")?;
            text = &pi[end + 2..];
        } else if let Some(comment) = rest.strip_prefix(b"!--") {
            let end = comment.windows(3).position(|w| w == b"-->")?;
            text = &comment[end + 3..];
        } else {
            let end = rest
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')?;
            let name = &rest[..end];
            // The name as written: botocore compares ElementTree's `root.tag` with `Error`.
            return (!name.is_empty()).then_some(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn express_sessions_are_kept_until_45_seconds_before_they_expire() {
        use crate::credentials::Credentials;
        use std::time::{Duration, SystemTime};
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let session = |left: u64| {
            Credentials::new(
                "K",
                "S",
                Some("T".into()),
                Some(now + Duration::from_secs(left)),
                "s3express",
            )
        };
        let kept = ExpressSessions::default();
        assert_eq!(kept.get("b", now), Session::Stale(None), "none yet");
        kept.keep("b", session(46));
        assert_eq!(kept.get("b", now), Session::Fresh(session(46)));
        kept.keep("b", session(45));
        assert_eq!(
            kept.get("b", now),
            Session::Stale(Some(session(45))),
            "renewed, else used"
        );
        kept.keep("b", session(10));
        assert_eq!(kept.get("b", now), Session::Stale(None), "too close to use");
        kept.keep("b", session(0));
        assert_eq!(
            kept.get("b", now + Duration::from_secs(5)),
            Session::Stale(None),
            "expired"
        );
        assert_eq!(kept.get("other", now), Session::Stale(None), "per bucket");
        // At most 100 buckets: a new one when 100 are kept empties the map first.
        for i in 0..100 {
            kept.keep(&format!("b{i}"), session(600));
        }
        assert!(matches!(kept.get("b99", now), Session::Fresh(_)));
        kept.keep("b100", session(600));
        assert_eq!(kept.get("b0", now), Session::Stale(None));
        assert!(matches!(kept.get("b100", now), Session::Fresh(_)));
    }

    #[test]
    fn express_credentials_need_all_three_parts() {
        let c = express_credentials(Some("K".into()), Some("S".into()), Some("T".into()), None)
            .unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("K", Some("T")));
        let e = express_credentials(Some("K".into()), None, Some("T".into()), None).unwrap_err();
        assert!(e.contains("without the session's credentials"), "{e}");
    }

    #[test]
    fn builtins_as_botocore_computes_them() {
        let c = S3Config::new();
        let p = c.params(Some("us-east-1"), None);
        assert!(!p.force_path_style && p.use_global_endpoint);
        assert!(!c.params(Some("eu-west-1"), None).use_global_endpoint);
        // A custom endpoint is path-style unless virtual-hosted is asked for.
        assert!(
            c.params(Some("eu-west-1"), Some("http://127.0.0.1:9000"))
                .force_path_style
        );
        let v = S3Config::new().addressing_style(AddressingStyle::Virtual);
        assert!(!v.params(None, Some("http://minio:9000")).force_path_style);
        // ... but not an accelerate endpoint given as the URL.
        assert!(
            !c.params(None, Some("https://s3-accelerate.amazonaws.com"))
                .force_path_style
        );
        assert!(
            !S3Config::new()
                .accelerate(true)
                .force_path_style(true)
                .params(None, None)
                .force_path_style
        );
        assert!(
            S3Config::new()
                .force_path_style(true)
                .params(None, None)
                .force_path_style
        );
        assert!(
            !S3Config::new()
                .us_east_1_regional_endpoint(true)
                .params(Some("us-east-1"), None)
                .use_global_endpoint
        );
    }

    #[test]
    fn settings_as_botocore_reads_them() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |var: &str, key: &str| {
                vars.iter()
                    .find(|(n, _)| *n == var || (!key.is_empty() && *n == key))
                    .map(|(_, v)| v.to_string())
            }
        };
        let c = S3Config::from_settings(
            env(&[]),
            Some("\n  addressing_style = path\n  use_accelerate_endpoint = TRUE\n  use_dualstack_endpoint = yes\n"),
        );
        assert_eq!(c.addressing_style, AddressingStyle::Path);
        assert!(c.accelerate);
        assert_eq!(c.use_dual_stack, Some(false));
        let c = S3Config::from_settings(
            env(&[
                ("AWS_S3_USE_ARN_REGION", "false"),
                ("s3_us_east_1_regional_endpoint", "regional"),
            ]),
            Some("use_arn_region = true"),
        );
        assert_eq!(c.use_arn_region, Some(false));
        assert!(c.us_east_1_regional);
        assert_eq!(S3Config::from_settings(env(&[]), None), S3Config::default());
    }

    /// botocore's `sse_md5` on the same key.
    #[test]
    fn sse_customer_keys() {
        let (mut key, mut md5) = (Some("a67".to_string()), None);
        sse_customer_key(&mut key, &mut md5);
        assert_eq!(key.as_deref(), Some("YTY3"));
        assert_eq!(md5.as_deref(), Some("aq733NdIRqPu0QA0PUyf8Q=="));
        // An MD5 the caller gave: both left as they are.
        let (mut key, mut md5) = (Some("k".to_string()), Some("m".to_string()));
        sse_customer_key(&mut key, &mut md5);
        assert_eq!((key.as_deref(), md5.as_deref()), (Some("k"), Some("m")));
    }

    /// Values botocore's `_quote_source_header` and `unquote_str` give.
    #[test]
    fn copy_sources_and_listing_keys() {
        for (given, sent) in [
            ("b/with space", "b/with%20space"),
            ("b/é?versionId=v1", "b/%C3%A9?versionId=v1"),
            ("b/~tilde*star", "b/~tilde%2Astar"),
            ("b/a+b?versionId=a/b", "b/a%2Bb%3FversionId%3Da/b"),
            ("b/key?versionId=", "b/key%3FversionId%3D"),
        ] {
            let mut s = given.to_string();
            copy_source(&mut s);
            assert_eq!(s, sent, "{given}");
        }
        for (sent, key) in [
            ("a%2Fb+c", "a/b c"),
            ("%C3%A9", "é"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%FF", "\u{FFFD}"),
        ] {
            let mut v = Some(sent.to_string());
            url_decode(&mut v);
            assert_eq!(v.as_deref(), Some(key), "{sent}");
        }
    }

    /// botocore's `_looks_like_special_case_error` on the same bodies.
    #[test]
    fn errors_in_200_answers() {
        let yes: [&[u8]; 5] = [
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>m</Message></Error>",
            b"<Error><Code>SlowDown</Code></Error>\n",
            b"<?xml version=\"1.0\"?><CopyObjectResult><ETag>x</ETag>",
            b"<CompleteMultipartUploadResult><Location>l</Loc",
            b"not xml at all",
        ];
        for body in yes {
            assert!(error_in_200(body), "{}", String::from_utf8_lossy(body));
        }
        let no: [&[u8]; 5] = [
            b"",
            b"  \n ",
            b"<?xml version=\"1.0\"?>\n<CopyObjectResult><ETag>x</ETag></CopyObjectResult>\n",
            b"<!-- c --><CopyObjectResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></CopyObjectResult >",
            b"<CopyObjectResult/>",
        ];
        for body in no {
            assert!(!error_in_200(body), "{}", String::from_utf8_lossy(body));
        }
    }

    /// The errors botocore's redirector follows, and the region it takes.
    #[test]
    fn region_redirects() {
        let with_header = |code: &str, status: u16| {
            let mut h = http::HeaderMap::new();
            h.insert(
                "x-amz-bucket-region",
                http::HeaderValue::from_static("eu-west-1"),
            );
            crate::ErrorMetadata::new(code)
                .with_status(status)
                .with_headers(h)
        };
        let plain = |code: &str, status: u16| crate::ErrorMetadata::new(code).with_status(status);
        let eu = Some(Redirect::To("eu-west-1".to_string()));
        assert_eq!(
            redirect_region("GetObject", &with_header("PermanentRedirect", 301), b""),
            eu
        );
        assert_eq!(
            redirect_region("HeadObject", &with_header("400", 400), b""),
            eu
        );
        assert_eq!(
            redirect_region("HeadBucket", &with_header("301", 301), b""),
            eu
        );
        let malformed =
            b"<Error><Code>AuthorizationHeaderMalformed</Code><Region>ap-south-1</Region></Error>";
        assert_eq!(
            redirect_region(
                "ListObjectsV2",
                &plain("AuthorizationHeaderMalformed", 400),
                malformed
            ),
            Some(Redirect::To("ap-south-1".to_string()))
        );
        // Not redirected: other errors, a CreateBucket's location constraint, a region
        // that cannot be one.
        assert_eq!(
            redirect_region("GetObject", &with_header("NoSuchKey", 404), b""),
            None
        );
        assert_eq!(
            redirect_region(
                "CreateBucket",
                &with_header("IllegalLocationConstraintException", 400),
                b""
            ),
            None
        );
        // No region said: botocore asks `HeadBucket`.
        assert_eq!(
            redirect_region("GetObject", &plain("PermanentRedirect", 301), b""),
            Some(Redirect::Unknown)
        );
        let bad = b"<Error><Code>PermanentRedirect</Code><Region>not a region!</Region></Error>";
        assert_eq!(
            redirect_region("GetObject", &plain("PermanentRedirect", 301), bad),
            None
        );
    }

    #[test]
    fn accelerate_urls() {
        assert!(is_accelerate_url("https://s3-accelerate.amazonaws.com"));
        assert!(is_accelerate_url(
            "https://s3-accelerate.dualstack.amazonaws.com/x"
        ));
        assert!(!is_accelerate_url(
            "https://bucket.s3-accelerate.amazonaws.com"
        ));
        assert!(!is_accelerate_url("https://s3-accelerate.example.com"));
        assert!(!is_accelerate_url("http://127.0.0.1:9000"));
    }

    #[test]
    fn arn_buckets_are_never_path_style() {
        let p = S3Params {
            force_path_style: true,
            ..Default::default()
        };
        let arn = [(
            "Bucket",
            ContextParam::Str("arn:aws:s3:us-west-2:123456789012:accesspoint:ap".into()),
        )];
        assert_eq!(
            call_params(&p, &arn).map(|p| p.force_path_style),
            Some(false)
        );
        let plain = [("Bucket", ContextParam::Str("b".into()))];
        assert!(call_params(&p, &plain).is_none());
    }
}
