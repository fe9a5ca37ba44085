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

/// The URL with the values of `X-Amz-Signature` and the session token
/// (`X-Amz-Security-Token`, S3 Express's `X-Amz-S3session-Token`) hidden.
fn redact(uri: &str) -> String {
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _))
                if matches!(
                    k,
                    "X-Amz-Signature" | "X-Amz-Security-Token" | "X-Amz-S3session-Token"
                ) =>
            {
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
    /// Signed with an S3 Express session: its token goes as `X-Amz-S3session-Token`.
    pub(crate) s3_express: bool,
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
    let query = crate::sigv4::presign_query_token(
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
        u.session_token.map(|t| {
            let name = match u.s3_express {
                true => "X-Amz-S3session-Token",
                false => "X-Amz-Security-Token",
            };
            (name, t)
        }),
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

/// What an S3 presigned POST allows (botocore's `generate_presigned_post` arguments): a
/// browser form that uploads to `key` of `bucket` (a key ending in `${filename}`: any key
/// starting with what comes before, the file's name filling the rest) until it expires,
/// with the form `fields` given (`acl`, `Content-Type`, `x-amz-meta-*`, ...) and the policy
/// `conditions` given (`{"acl": "public-read"}`, `["content-length-range", 1, 1048576]`,
/// `["starts-with", "$Content-Type", "image/"]`). As in botocore, a field is not made a
/// condition nor a condition a field: give both.
#[derive(Clone, Debug, PartialEq)]
pub struct PostPolicy {
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) expires_in: Duration,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) conditions: Vec<serde_json::Value>,
}

impl PostPolicy {
    /// An upload to `key` of `bucket`, for an hour (botocore's default).
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        PostPolicy {
            bucket: bucket.into(),
            key: key.into(),
            expires_in: Duration::from_secs(3600),
            fields: Vec::new(),
            conditions: Vec::new(),
        }
    }

    /// How long the form may be used (the policy's expiration).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// A form field, sent as given (say it again in a condition for S3 to check it).
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// A condition of the policy: an object of one member, or a list
    /// (`["starts-with", "$key", "photos/"]`).
    pub fn condition(mut self, condition: serde_json::Value) -> Self {
        self.conditions.push(condition);
        self
    }
}

/// A presigned POST: the URL to post a `multipart/form-data` form to, and the fields the
/// form must carry (before the file, which comes last), in botocore's order: the policy's
/// own fields, `key`, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`,
/// `x-amz-security-token` (with temporary credentials), `policy`, `x-amz-signature`.
/// `Debug` hides the signature and the session token: until it expires, the form is a
/// credential.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    pub(crate) url: String,
    pub(crate) fields: Vec<(String, String)>,
}

impl PresignedPost {
    /// Where the form goes.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The form's fields, in order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }
}

impl fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(k, v)| match k.as_str() {
                "x-amz-signature" | "x-amz-security-token" | "X-Amz-S3session-Token" => {
                    (k.as_str(), crate::REDACTED)
                }
                _ => (k.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &fields)
            .finish()
    }
}

/// What [`sign_post`] signs with: the signing key of `amz_date`'s day, the credential
/// scope, the session token.
pub(crate) struct PostSigning<'a> {
    pub(crate) key: &'a crate::sigv4::SigningKey,
    pub(crate) amz_date: &'a str,
    /// `<access key id>/<date>/<region>/<service>/aws4_request`.
    pub(crate) credential: String,
    pub(crate) session_token: Option<&'a str>,
    /// Signed with an S3 Express session: its token is the field `X-Amz-S3session-Token`
    /// (botocore's `S3ExpressPostAuth`).
    pub(crate) s3_express: bool,
}

/// The form of a presigned POST to `url`, as botocore's `generate_presigned_post` and
/// `S3SigV4PostAuth` write it: the policy (its expiration, the caller's conditions, the
/// bucket, the key (or `starts-with` its prefix), the signing fields) as Python's
/// `json.dumps` writes it, in base64, signed with the day's key.
pub(crate) fn sign_post(
    post: PostPolicy,
    url: String,
    now: crate::DateTime,
    s: PostSigning<'_>,
) -> PresignedPost {
    use serde_json::json;
    // Any lifetime, as botocore's (the policy's expiration is not SigV4's seven days).
    let expires = i64::try_from(post.expires_in.as_secs()).unwrap_or(i64::MAX);
    let expiration = crate::DateTime::from_secs_and_nanos(now.secs().saturating_add(expires), 0);
    let (y, mo, d, h, mi, sec) = expiration.to_ymd_hms();
    let mut conditions = post.conditions;
    conditions.push(json!({ "bucket": post.bucket }));
    match post.key.strip_suffix("${filename}") {
        Some(prefix) => conditions.push(json!(["starts-with", "$key", prefix])),
        None => conditions.push(json!({ "key": post.key })),
    }
    let mut fields = post.fields;
    set(&mut fields, "key", post.key);
    let signing = [
        ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
        ("x-amz-credential", &s.credential),
        ("x-amz-date", s.amz_date),
    ];
    let token_field = match s.s3_express {
        true => "X-Amz-S3session-Token",
        false => "x-amz-security-token",
    };
    let token = s.session_token.map(|t| (token_field, t));
    for (k, v) in signing.into_iter().chain(token) {
        conditions.push(json!({ k: v }));
        set(&mut fields, k, v.to_string());
    }
    let mut policy = String::new();
    policy.push_str(&format!(
        "{{\"expiration\": \"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}Z\", \"conditions\": "
    ));
    python_json(&serde_json::Value::Array(conditions), &mut policy);
    policy.push('}');
    let encoded = crate::Blob::new(policy.into_bytes()).to_base64();
    let (_, signature) = crate::sigv4::chained_signature(s.key, &encoded);
    set(&mut fields, "policy", encoded);
    set(
        &mut fields,
        "x-amz-signature",
        signature.as_str().to_string(),
    );
    PresignedPost { url, fields }
}

/// Sets a form field as a Python `dict` does: in its place if the form has it, else last.
fn set(fields: &mut Vec<(String, String)>, name: &str, value: String) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(field) => field.1 = value,
        None => fields.push((name.to_string(), value)),
    }
}

/// `v` as Python's `json.dumps` writes it by default: `", "` and `": "` between items,
/// everything beyond ASCII escaped (`\u00e9`, surrogate pairs beyond the BMP).
fn python_json(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => python_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json(x, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, x)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_string(k, out);
                out.push_str(": ");
                python_json(x, out);
            }
            out.push('}');
        }
    }
}

fn python_string(s: &str, out: &mut String) {
    use std::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
        }
    }
    out.push('"');
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
    fn a_post_forms_debug_hides_the_signature_and_token() {
        let p = PresignedPost {
            url: "https://b.s3.amazonaws.com/".into(),
            fields: vec![
                ("key".into(), "k".into()),
                ("x-amz-security-token".into(), "TOKEN".into()),
                ("x-amz-signature".into(), "abc123".into()),
            ],
        };
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("abc123") && !shown.contains("TOKEN"),
            "{shown}"
        );
        assert!(shown.contains("\"key\", \"k\""), "{shown}");
    }

    #[test]
    fn policies_are_written_as_pythons_json_dumps() {
        let v = serde_json::json!([{"key": "a\"b\\c\n\u{1}é😀"}, ["starts-with", "$key", ""], ["content-length-range", 1, 10]]);
        let mut out = String::new();
        python_json(&v, &mut out);
        assert_eq!(
            out,
            r#"[{"key": "a\"b\\c\n\u0001\u00e9\ud83d\ude00"}, ["starts-with", "$key", ""], ["content-length-range", 1, 10]]"#
        );
    }

    #[test]
    fn lifetimes() {
        assert_eq!(expires_secs(Duration::from_secs(3600)).unwrap(), 3600);
        assert_eq!(expires_secs(MAX_EXPIRES).unwrap(), 604_800);
        assert!(expires_secs(MAX_EXPIRES + Duration::from_secs(1)).is_err());
        assert!(expires_secs(Duration::from_millis(500)).is_err());
    }
}
