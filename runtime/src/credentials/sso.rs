//! IAM Identity Center (SSO) profiles: the access token `aws sso login` left in
//! `~/.aws/sso/cache`, exchanged at the SSO portal (`GetRoleCredentials`, REST-JSON,
//! unsigned: the token is the proof) for the role's credentials.
//!
//! Both profile styles botocore reads: `sso_session` naming an `[sso-session x]` section
//! (the cache file is the SHA-1 of the session name), and the legacy keys `sso_start_url`
//! and `sso_region` in the profile itself (the cache file is the SHA-1 of the start URL).
//! For `sso_session` profiles, a token within 15 minutes of expiry is refreshed as
//! botocore does: SSO-OIDC `CreateToken` with the cached refresh token and client
//! registration, the new token written back to the cache file (mode 0600); if that fails
//! the old token is used while it lasts. A missing or expired token says to run
//! `aws sso login`.
//!
//! The portal is `https://portal.sso.<sso_region>.amazonaws.com` and SSO-OIDC
//! `https://oidc.<sso_region>.amazonaws.com` unless endpoints are configured for them
//! ([`ProviderSettings`], as botocore reads them: `AWS_ENDPOINT_URL_SSO` /
//! `AWS_ENDPOINT_URL_SSO_OIDC`, `AWS_ENDPOINT_URL`, the profile's `services` section,
//! its `endpoint_url`).
//! Errors name the profile, the cache file or the URL; never the token.

use super::{
    json, Credentials, CredentialsError, Env, Profile, ProfileSet, ProvideCredentials,
    ProviderSettings,
};
use crate::endpoint::redact_userinfo;
use crate::http::{HttpClient, SharedHttpClient};
use crate::protocol::rest::RequestBuilder;
use crate::protocol::{Protocol, RestJson};
use crate::{BoxFuture, DateTime};
use bytes::Bytes;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PROVIDER: &str = "SSO";
const TIMEOUT: Duration = Duration::from_secs(10);
/// A token with less left than this is refreshed (botocore's window).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Exchanges the cached SSO access token for role credentials.
pub struct SsoProvider {
    profile: String,
    portal: String,
    account_id: String,
    role_name: String,
    cache_file: PathBuf,
    /// For `sso_session` profiles: the SSO-OIDC endpoint, the session's start URL and
    /// region (written into a refreshed token).
    refresh: Option<Refresh>,
    http: SharedHttpClient,
}

#[derive(Debug, Clone)]
struct Refresh {
    oidc: String,
    start_url: String,
    region: String,
}

impl fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoProvider")
            .field("profile", &self.profile)
            .field("portal", &redact_userinfo(&self.portal))
            .field("account_id", &self.account_id)
            .field("role_name", &self.role_name)
            .field("cache_file", &self.cache_file)
            .finish_non_exhaustive()
    }
}

fn error(reason: String) -> CredentialsError {
    CredentialsError::ProviderError {
        provider: PROVIDER,
        reason,
    }
}

/// Whether a profile is an SSO profile (either style).
pub(crate) fn is_sso(p: &Profile) -> bool {
    p.contains_key("sso_session") || p.contains_key("sso_start_url")
}

/// The lowercase hex SHA-1 of `s`: the name of a token's cache file.
fn sha1_hex(s: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, s.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// An SSO profile's settings, from the profile and its `sso-session` section.
struct SsoSettings {
    region: String,
    start_url: String,
    account_id: String,
    role_name: String,
    /// The session's name (`sso_session` profiles), or `None` for the legacy keys.
    session: Option<String>,
}

impl SsoSettings {
    /// Reads them; settings missing from the profile or its section are named in the
    /// error, as are a missing section and values the two set differently.
    fn read(profiles: &ProfileSet, name: &str) -> Result<Self, CredentialsError> {
        let p = profiles.get(name).ok_or_else(|| {
            error(format!(
                "profile `{name}` is not in the shared config or credentials file"
            ))
        })?;
        let session = p.get("sso_session");
        let source = match session {
            Some(session) => {
                let s = profiles.sso_session(session).ok_or_else(|| {
                    error(format!(
                        "profile `{name}` names sso_session `{session}`, but there is no [sso-session {session}] section"
                    ))
                })?;
                for key in ["sso_region", "sso_start_url"] {
                    if let (Some(a), Some(b)) = (p.get(key), s.get(key)) {
                        if a != b {
                            return Err(error(format!(
                                "profile `{name}` and its sso-session `{session}` set different values of {key}"
                            )));
                        }
                    }
                }
                s
            }
            None => p,
        };
        let value = |from: &Profile, key: &str| {
            from.get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let values = [
            ("sso_region", value(source, "sso_region")),
            ("sso_start_url", value(source, "sso_start_url")),
            ("sso_account_id", value(p, "sso_account_id")),
            ("sso_role_name", value(p, "sso_role_name")),
        ];
        let missing: Vec<&str> = values
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| *k)
            .collect();
        let [(_, Some(region)), (_, Some(start_url)), (_, Some(account_id)), (_, Some(role_name))] =
            values
        else {
            return Err(error(format!(
                "profile `{name}` is configured for SSO but lacks {}",
                missing.join(", ")
            )));
        };
        Ok(SsoSettings {
            region,
            start_url,
            account_id,
            role_name,
            session: session.cloned(),
        })
    }
}

impl SsoProvider {
    /// The provider the SSO profile `name` describes. Settings missing from the profile
    /// or its `sso-session` section are named in the error.
    pub fn from_profile(
        env: &Env,
        profiles: &ProfileSet,
        name: &str,
        settings: &ProviderSettings,
    ) -> Result<Self, CredentialsError> {
        let sso = SsoSettings::read(profiles, name)?;
        let region = &sso.region;
        let endpoint = |configured: &Option<String>, host: &str| match configured {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => {
                let suffix =
                    crate::endpoint::dns_suffix(region).unwrap_or_else(|| "amazonaws.com".into());
                format!("https://{host}.{region}.{suffix}")
            }
        };
        // The token cache is named by the session, or by the start URL (legacy keys).
        let cache_key = sso.session.as_deref().unwrap_or(&sso.start_url);
        let home = env.home().ok_or_else(|| {
            error("no home directory (HOME) to find the SSO token cache in".into())
        })?;
        Ok(SsoProvider {
            profile: name.to_string(),
            portal: endpoint(&settings.sso_endpoint, "portal.sso"),
            cache_file: home
                .join(".aws")
                .join("sso")
                .join("cache")
                .join(format!("{}.json", sha1_hex(cache_key))),
            refresh: sso.session.as_ref().map(|_| Refresh {
                oidc: endpoint(&settings.sso_oidc_endpoint, "oidc"),
                start_url: sso.start_url.clone(),
                region: sso.region.clone(),
            }),
            http: settings.transport(PROVIDER)?,
            account_id: sso.account_id,
            role_name: sso.role_name,
        })
    }

    /// Sends one request to the portal or SSO-OIDC (`shown`: its URL without user info),
    /// within [`TIMEOUT`].
    async fn send(
        &self,
        request: http::Request<Bytes>,
        shown: &str,
    ) -> Result<http::Response<Bytes>, CredentialsError> {
        let send = crate::http::send_collect(&self.http, request, 64 * 1024);
        tokio::time::timeout(TIMEOUT, send)
            .await
            .map_err(|_| error(format!("{shown} did not answer within {TIMEOUT:?}")))?
            .map_err(|e| error(format!("{shown}: {}", crate::http::chain(&e))))
    }

    /// Uses this transport (for tests).
    pub fn with_http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.http = SharedHttpClient::new(http);
        self
    }

    fn login_hint(&self) -> String {
        format!("run `aws sso login --profile {}`", self.profile)
    }

    /// The cached token document and its access token and expiry.
    fn cached(&self) -> Result<(serde_json::Value, String, SystemTime), CredentialsError> {
        let file = self.cache_file.display();
        let text = std::fs::read(&self.cache_file).map_err(|e| {
            error(format!(
                "no SSO token in {file} ({}): {}",
                e.kind(),
                self.login_hint()
            ))
        })?;
        let doc: serde_json::Value = serde_json::from_slice(&text)
            .ok()
            .filter(serde_json::Value::is_object)
            .ok_or_else(|| {
                error(format!(
                    "the SSO token cache {file} is not a token document"
                ))
            })?;
        let (Some(token), Some(expires)) = (
            doc.get("accessToken").and_then(|v| v.as_str()),
            doc.get("expiresAt").and_then(|v| v.as_str()),
        ) else {
            return Err(error(format!(
                "the SSO token cache {file} lacks accessToken or expiresAt: {}",
                self.login_hint()
            )));
        };
        let expiry = parse_time(expires).ok_or_else(|| {
            error(format!(
                "the SSO token cache {file} has an unreadable expiresAt"
            ))
        })?;
        Ok((doc.clone(), token.to_string(), expiry))
    }

    /// The access token: the cached one, refreshed first when it is close to expiry and
    /// can be (botocore's rule), and refused once expired.
    async fn token(&self, now: SystemTime) -> Result<String, CredentialsError> {
        let (doc, token, expiry) = self.cached()?;
        let close = expiry
            .duration_since(now)
            .map_or(true, |left| left < REFRESH_WINDOW);
        if close {
            if let Some(refresh) = &self.refresh {
                match self.refresh_token(refresh, &doc, now).await {
                    Ok(Some(fresh)) => return Ok(fresh),
                    Ok(None) => {}
                    Err(e) => tracing::debug!(error = %e, "SSO token refresh failed"),
                }
            }
        }
        if expiry <= now {
            return Err(error(format!(
                "the SSO token in {} has expired: {}",
                self.cache_file.display(),
                self.login_hint()
            )));
        }
        Ok(token)
    }

    /// SSO-OIDC `CreateToken` with the cached refresh token; the new token is written to
    /// the cache. `Ok(None)` when the cache holds no usable registration.
    async fn refresh_token(
        &self,
        refresh: &Refresh,
        doc: &serde_json::Value,
        now: SystemTime,
    ) -> Result<Option<String>, CredentialsError> {
        let field = |k: &str| doc.get(k).and_then(|v| v.as_str());
        let (Some(refresh_token), Some(client_id), Some(client_secret), Some(registration)) = (
            field("refreshToken"),
            field("clientId"),
            field("clientSecret"),
            field("registrationExpiresAt"),
        ) else {
            return Ok(None);
        };
        if parse_time(registration).is_none_or(|t| t <= now) {
            return Ok(None);
        }
        let body = serde_json::json!({
            "grantType": "refresh_token",
            "clientId": client_id,
            "clientSecret": client_secret,
            "refreshToken": refresh_token,
        });
        // SSO-OIDC's CreateToken (rest-json), written by the REST protocols' builder.
        let mut b = RequestBuilder::new("POST").map_err(|e| error(e.to_string()))?;
        b.path("/token");
        b.json_body(&body).map_err(|e| error(e.to_string()))?;
        let written = b.finish().map_err(|e| error(e.to_string()))?;
        let (request, shown) = http_request(&refresh.oidc, written)?;
        let response = self.send(request, &shown).await?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(error(format!(
                "CreateToken at {shown} answered HTTP {status}{}",
                error_detail(status, response.headers(), response.body())
            )));
        }
        let not_a_token = || error(format!("CreateToken at {shown}: the answer is not a token"));
        let created = json::object(response.body()).ok_or_else(not_a_token)?;
        let access_token = json::string(&created, "accessToken").map_err(|_| not_a_token())?;
        let expires_in = json::integer(&created, "expiresIn").map_err(|_| not_a_token())?;
        let new_refresh_token =
            json::string(&created, "refreshToken").map_err(|_| not_a_token())?;
        let (Some(access_token), Some(expires_in)) =
            (access_token, expires_in.and_then(|s| u64::try_from(s).ok()))
        else {
            return Err(not_a_token());
        };
        let at = (now + Duration::from_secs(expires_in.min(366 * 86_400)))
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let expires = DateTime::from_secs_and_nanos(at.as_secs() as i64, 0);
        let mut fresh = serde_json::json!({
            "startUrl": refresh.start_url,
            "region": refresh.region,
            "accessToken": access_token,
            "expiresAt": format_time(&expires),
            "clientId": client_id,
            "clientSecret": client_secret,
            "registrationExpiresAt": registration,
        });
        if let Some(t) = &new_refresh_token {
            fresh["refreshToken"] = serde_json::json!(t);
        }
        if let Err(e) = write_private(&self.cache_file, fresh.to_string().as_bytes()) {
            // The token still works for this process; the next one refreshes again.
            tracing::debug!(file = %self.cache_file.display(), error = %e.kind(), "the refreshed SSO token was not cached");
        }
        Ok(Some(access_token))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token(SystemTime::now()).await?;
        if token.contains(['\r', '\n']) {
            return Err(error("the SSO access token holds a line break".into()));
        }
        // The portal's GetRoleCredentials (rest-json: `GET /federation/credentials`, the
        // role and account as query parameters, the token in a header), written by the
        // REST protocols' builder as generated clients' requests are.
        let mut b = RequestBuilder::new("GET").map_err(|e| error(e.to_string()))?;
        b.path("/federation/credentials");
        b.query("role_name", self.role_name.as_str());
        b.query("account_id", self.account_id.as_str());
        b.header("x-amz-sso_bearer_token", &token)
            .map_err(|_| error("the SSO access token is not a valid header value".into()))?;
        let written = b.finish().map_err(|e| error(e.to_string()))?;
        let (request, shown) = http_request(&self.portal, written)?;
        let response = self.send(request, &shown).await?;
        let status = response.status().as_u16();
        if status != 200 {
            let hint = if status == 401 || status == 403 {
                format!("; the SSO session may have ended: {}", self.login_hint())
            } else {
                String::new()
            };
            return Err(error(format!(
                "GetRoleCredentials at {shown} answered HTTP {status}{}{hint}",
                error_detail(status, response.headers(), response.body())
            )));
        }
        parse(response.body()).map_err(|e| error(format!("GetRoleCredentials at {shown}: {e}")))
    }
}

/// A cache timestamp: RFC 3339, or the `...UTC` the CLI has also written.
fn parse_time(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    let s = s
        .strip_suffix("UTC")
        .map(|p| format!("{p}Z"))
        .unwrap_or_else(|| s.to_string());
    DateTime::parse_iso8601(&s).ok()?.to_system_time()
}

/// `2026-01-01T00:00:00Z`, as botocore writes a refreshed token's expiry.
fn format_time(t: &DateTime) -> String {
    let (y, mo, d, h, mi, s) = t.to_ymd_hms();
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Replaces `path` with `data`, readable by its owner only (it holds tokens): written to
/// a temporary file beside it, then renamed over it.
fn write_private(path: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(&tmp)?;
    f.write_all(data)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

/// The error code and message of a portal or SSO-OIDC error, as the rest-json protocol
/// reads them (`__type`, `code`, `message`/`Message`; a body that is not JSON: its
/// start), the message cut at 300 characters.
fn error_detail(status: u16, headers: &http::HeaderMap, body: &[u8]) -> String {
    let meta = RestJson.error_metadata(status, headers, body);
    let code = meta.code();
    let kind = if code == status.to_string() {
        String::new()
    } else {
        format!(" {code}")
    };
    let message = meta
        .message()
        .map(|m| format!(": {}", m.chars().take(300).collect::<String>()))
        .unwrap_or_default();
    format!("{kind}{message}")
}

/// A request the REST builder wrote, to `base` (the portal or SSO-OIDC), and its URL
/// without user info for messages.
fn http_request(
    base: &str,
    written: crate::protocol::Request,
) -> Result<(http::Request<Bytes>, String), CredentialsError> {
    let url = format!("{}{}", base.trim_end_matches('/'), written.path);
    let shown = redact_userinfo(&url);
    let body = written.body.bytes().cloned().unwrap_or_default();
    let mut b = http::Request::builder().method(written.method).uri(&url);
    for (name, value) in written.headers {
        b = b.header(name, value);
    }
    let request = b
        .body(body)
        .map_err(|_| error(format!("`{shown}` is not a valid URL")))?;
    Ok((request, shown.into_owned()))
}

/// The portal's answer: `roleCredentials`, expiry in epoch milliseconds.
fn parse(body: &[u8]) -> Result<Credentials, String> {
    let unreadable = || "the answer is not a GetRoleCredentials document".to_string();
    let doc = json::object(body).ok_or_else(unreadable)?;
    let role = match doc.get("roleCredentials") {
        None | Some(serde_json::Value::Null) => {
            return Err("the answer has no roleCredentials".into())
        }
        Some(serde_json::Value::Object(role)) => role,
        Some(_) => return Err(unreadable()),
    };
    let member = |key| json::string(role, key).map_err(|_| unreadable());
    let (id, secret, session_token) = (
        member("accessKeyId")?,
        member("secretAccessKey")?,
        member("sessionToken")?,
    );
    let expiration = json::integer(role, "expiration").map_err(|_| unreadable())?;
    let (Some(id), Some(secret)) = (id, secret) else {
        return Err("the answer has no accessKeyId and secretAccessKey".into());
    };
    let expiry = expiration
        .and_then(|ms| u64::try_from(ms).ok())
        .map(|ms| UNIX_EPOCH + Duration::from_millis(ms));
    Ok(Credentials::new(id, secret, session_token, expiry, "sso"))
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    #[test]
    fn portal_answers_and_errors_read_as_botocore_reads_them() {
        let c = parse(br#"{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":4102444800000}}"#).unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("ASIA", Some("t")));
        assert_eq!(
            c.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(4_102_444_800))
        );
        assert_eq!(
            parse(b"{}").err().as_deref(),
            Some("the answer has no roleCredentials")
        );
        for doc in [
            &br#"{"roleCredentials":[]}"#[..],
            br#"{"roleCredentials":{"expiration":"x"}}"#,
            b"nope",
        ] {
            assert_eq!(
                parse(doc).err().as_deref(),
                Some("the answer is not a GetRoleCredentials document")
            );
        }
        assert_eq!(
            parse(br#"{"roleCredentials":{"accessKeyId":"A"}}"#)
                .err()
                .as_deref(),
            Some("the answer has no accessKeyId and secretAccessKey")
        );
        let detail = |body: &[u8]| error_detail(401, &http::HeaderMap::new(), body);
        assert_eq!(
            detail(br#"{"__type":"com.amazon#UnauthorizedException","message":"m"}"#),
            " UnauthorizedException: m"
        );
        assert_eq!(detail(br#"{"Message":"M"}"#), ": M");
        assert_eq!(detail(br#"{"message":5}"#), "");
        assert_eq!(detail(b""), "");
        // Not JSON (a proxy's page): what it says, as for a generated client.
        assert_eq!(detail(b"<html>"), ": <html>");
    }

    #[test]
    fn cache_file_names_are_sha1_hex() {
        // FIPS 180 test vector, and the name the AWS CLI gives a session called `my-sso`.
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    /// The requests the fake endpoints received: method, URL, bearer token, body.
    type Seen = Arc<Mutex<Vec<(String, String, Option<String>, String)>>>;

    /// Fake SSO portal and SSO-OIDC: answers by URL path, 404 otherwise.
    #[derive(Clone, Debug, Default)]
    struct Portal {
        seen: Seen,
        routes: Vec<(&'static str, u16, &'static str)>,
    }

    impl Portal {
        fn answer(mut self, path: &'static str, status: u16, body: &'static str) -> Self {
            self.routes.push((path, status, body));
            self
        }
        fn seen(&self) -> Vec<(String, String, Option<String>, String)> {
            self.seen.lock().unwrap().clone()
        }
    }

    impl HttpClient for Portal {
        fn send(
            &self,
            request: http::Request<crate::ByteStream>,
        ) -> BoxFuture<'_, Result<http::Response<crate::ByteStream>, crate::http::TransportError>>
        {
            let token = request
                .headers()
                .get("x-amz-sso_bearer_token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            self.seen.lock().unwrap().push((
                request.method().to_string(),
                request.uri().to_string(),
                token,
                String::from_utf8_lossy(request.body().bytes().map_or(&[][..], |b| b)).into_owned(),
            ));
            let (status, body) = self
                .routes
                .iter()
                .find(|(p, _, _)| *p == request.uri().path())
                .map_or((404, ""), |(_, s, b)| (*s, *b));
            let response = http::Response::builder()
                .status(status)
                .body(crate::ByteStream::from(body))
                .unwrap();
            Box::pin(async move { Ok(response) })
        }
    }

    const ROLE: &str = r#"{"roleCredentials": {"accessKeyId": "ASIASSO", "secretAccessKey": "s", "sessionToken": "t", "expiration": 4070908800000}}"#;
    const CREDS_PATH: &str = "/federation/credentials";

    const CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n\
        [sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n\
        [profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-2\nsso_account_id = 1\nsso_role_name = R\n\
        [profile partial]\nsso_session = corp\nsso_role_name = Admin\n\
        [profile dangling]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n";

    fn setup(
        home: &Path,
        profile: &str,
        token: Option<&str>,
    ) -> Result<SsoProvider, CredentialsError> {
        let profiles = ProfileSet::parse(Some((Path::new("config"), CONFIG)), None).unwrap();
        let env = Env::from_pairs([("HOME", home.to_str().unwrap())]);
        let provider =
            SsoProvider::from_profile(&env, &profiles, profile, &ProviderSettings::default())?;
        if let Some(t) = token {
            std::fs::create_dir_all(provider.cache_file.parent().unwrap()).unwrap();
            std::fs::write(&provider.cache_file, t).unwrap();
        }
        Ok(provider)
    }

    fn home(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("awsgen-sso-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[tokio::test]
    async fn a_cached_token_is_exchanged_at_the_portal() {
        let dir = home("ok");
        let token = r#"{"accessToken": "sso-token-1", "expiresAt": "2099-01-01T00:00:00UTC"}"#;
        let portal = Portal::default().answer(CREDS_PATH, 200, ROLE);
        let p = setup(&dir, "dev", Some(token))
            .unwrap()
            .with_http_client(portal.clone());
        assert!(p.cache_file.ends_with(format!("{}.json", sha1_hex("corp"))));
        let c = p.provide_credentials().await.unwrap();
        assert_eq!((c.access_key_id(), c.source()), ("ASIASSO", "sso"));
        assert_eq!(
            c.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(4_070_908_800))
        );
        let seen = portal.seen();
        assert_eq!(
            seen,
            [(
                "GET".to_string(),
                "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?role_name=Admin&account_id=123456789012".to_string(),
                Some("sso-token-1".to_string()),
                String::new()
            )]
        );
        let legacy = setup(&dir, "legacy", None).unwrap();
        assert!(legacy.cache_file.ends_with(format!(
            "{}.json",
            sha1_hex("https://old.awsapps.com/start")
        )));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn missing_expired_and_refused_tokens_say_to_log_in() {
        let dir = home("bad");
        let refused = Portal::default().answer(
            CREDS_PATH,
            401,
            r#"{"message": "Session token not found or invalid", "__type": "com.amazonaws.switchboard.portal#UnauthorizedException"}"#,
        );
        let cases = [
            (None, "no SSO token in"),
            (Some(r#"{"accessToken": "secret-tok", "expiresAt": "2001-01-01T00:00:00Z"}"#), "has expired: run `aws sso login --profile dev`"),
            (Some("<html>"), "is not a token document"),
            (Some(r#"{"accessToken": "secret-tok"}"#), "lacks accessToken or expiresAt"),
            (Some(r#"{"accessToken": "secret-tok", "expiresAt": "2099-01-01T00:00:00Z"}"#), "HTTP 401 UnauthorizedException: Session token not found or invalid; the SSO session may have ended"),
        ];
        for (token, says) in cases {
            let _ = std::fs::remove_dir_all(&dir);
            let p = setup(&dir, "dev", token)
                .unwrap()
                .with_http_client(refused.clone());
            let e = p.provide_credentials().await.unwrap_err().to_string();
            assert!(e.contains(says), "{says}: {e}");
            assert!(!e.contains("secret-tok"), "{e}");
            assert!(!format!("{p:?}").contains("secret-tok"));
        }
        for (profile, says) in [
            ("partial", "lacks sso_account_id"),
            ("dangling", "no [sso-session nope] section"),
        ] {
            let e = setup(&dir, profile, None).unwrap_err().to_string();
            assert!(e.contains(says), "{says}: {e}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn in_minutes(m: i64) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        format_time(&DateTime::from_secs_and_nanos(now + m * 60, 0))
    }

    #[tokio::test]
    async fn a_token_close_to_expiry_is_refreshed_and_cached() {
        let dir = home("renew");
        let doc = serde_json::json!({
            "accessToken": "old-token", "expiresAt": in_minutes(5),
            "refreshToken": "refresh-1", "clientId": "client-1", "clientSecret": "client-secret-1",
            "registrationExpiresAt": in_minutes(60 * 24), "startUrl": "https://corp.awsapps.com/start",
            "region": "eu-west-1",
        });
        let oidc = Portal::default()
            .answer("/token", 200, r#"{"accessToken": "new-token", "expiresIn": 28800, "refreshToken": "refresh-2", "tokenType": "Bearer"}"#)
            .answer(CREDS_PATH, 200, ROLE);
        let p = setup(&dir, "dev", Some(&doc.to_string()))
            .unwrap()
            .with_http_client(oidc.clone());
        p.provide_credentials().await.unwrap();
        let seen = oidc.seen();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(
            (seen[0].0.as_str(), seen[0].1.as_str()),
            ("POST", "https://oidc.eu-west-1.amazonaws.com/token")
        );
        let sent: serde_json::Value = serde_json::from_str(&seen[0].3).unwrap();
        assert_eq!(
            sent,
            serde_json::json!({"grantType": "refresh_token", "clientId": "client-1",
            "clientSecret": "client-secret-1", "refreshToken": "refresh-1"})
        );
        assert_eq!(seen[1].2.as_deref(), Some("new-token"));
        let cached: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&p.cache_file).unwrap()).unwrap();
        assert_eq!(cached["accessToken"], "new-token");
        assert_eq!(cached["refreshToken"], "refresh-2");
        assert_eq!(cached["clientSecret"], "client-secret-1");
        let left = parse_time(cached["expiresAt"].as_str().unwrap())
            .unwrap()
            .duration_since(SystemTime::now())
            .unwrap();
        assert!(
            left > Duration::from_secs(28_700) && left <= Duration::from_secs(28_800),
            "{left:?}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p.cache_file)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        // A failed refresh: the old token while it lasts, then `aws sso login`.
        let failing = Portal::default()
            .answer("/token", 400, r#"{"error": "invalid_grant"}"#)
            .answer(CREDS_PATH, 200, ROLE);
        let p = setup(&dir, "dev", Some(&doc.to_string()))
            .unwrap()
            .with_http_client(failing.clone());
        p.provide_credentials().await.unwrap();
        assert_eq!(failing.seen()[1].2.as_deref(), Some("old-token"));
        let mut expired = doc.clone();
        expired["expiresAt"] = serde_json::json!(in_minutes(-1));
        let p = setup(&dir, "dev", Some(&expired.to_string()))
            .unwrap()
            .with_http_client(failing.clone());
        let e = p.provide_credentials().await.unwrap_err().to_string();
        assert!(
            e.contains("has expired: run `aws sso login --profile dev`"),
            "{e}"
        );
        assert!(
            !e.contains("refresh-1") && !e.contains("client-secret-1"),
            "{e}"
        );
        // Legacy profiles are never refreshed.
        let legacy = Portal::default().answer(CREDS_PATH, 200, ROLE);
        let p = setup(&dir, "legacy", Some(&doc.to_string()))
            .unwrap()
            .with_http_client(legacy.clone());
        p.provide_credentials().await.unwrap();
        assert_eq!(legacy.seen().len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
