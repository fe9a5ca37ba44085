//! Credentials from an HTTP endpoint of the host: the EC2 instance metadata service
//! (IMDSv2) and the container credentials endpoint of ECS and EKS Pod Identity.
//!
//! Both are plain HTTP on a link-local or loopback address, answer with the same JSON
//! (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`), and get short timeouts so a
//! laptop without them does not hang. Errors name the source and the URL (user info
//! removed), never a token or the response.

use super::flight::{lock, SingleFlight};
use super::{json, Credentials, CredentialsError, Env, ProfileSet, ProvideCredentials};
use crate::endpoint::redact_userinfo;
use crate::http::{default_client, HttpClient, SharedHttpClient};
use crate::{BoxFuture, DateTime};
use bytes::Bytes;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The timeout of each request to IMDS or the container endpoint (botocore's 1 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
const MAX_BODY: usize = 64 * 1024;
const IMDS: &str = "IMDS";
const CONTAINER: &str = "container credentials";

fn default_http() -> Result<SharedHttpClient, CredentialsError> {
    default_client(Some(DEFAULT_TIMEOUT), &[]).map_err(|e| CredentialsError::ProviderError {
        provider: "credentials transport",
        reason: e.to_string(),
    })
}

/// One request; the answer's status and body, or what failed (never the body).
async fn fetch(
    http: &SharedHttpClient,
    method: http::Method,
    url: &str,
    headers: &[(&'static str, &str)],
    timeout: Duration,
) -> Result<(u16, Bytes), String> {
    let shown = redact_userinfo(url);
    let mut b = http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let request = b
        .body(crate::ByteStream::new())
        .map_err(|_| format!("`{shown}` is not a valid URL"))?;
    let send = crate::http::send_collect(http, request, MAX_BODY);
    match tokio::time::timeout(timeout, send).await {
        Err(_) => Err(format!("{shown} did not answer within {timeout:?}")),
        Ok(Err(e)) => Err(format!("{shown}: {}", crate::http::chain(&e))),
        Ok(Ok(resp)) => Ok((resp.status().as_u16(), resp.into_body())),
    }
}

/// The credentials document both endpoints answer with.
fn parse(body: &[u8], source: &'static str) -> Result<Credentials, String> {
    let unreadable = || "the answer is not a credentials document".to_string();
    let doc = json::object(body).ok_or_else(unreadable)?;
    let member = |key| json::string(&doc, key).map_err(|_| unreadable());
    let (code, id, secret) = (
        member("Code")?,
        member("AccessKeyId")?,
        member("SecretAccessKey")?,
    );
    let (token, expiration) = (member("Token")?, member("Expiration")?);
    if let Some(code) = code.filter(|c| c != "Success") {
        return Err(format!("the answer's code is `{code}`"));
    }
    let (Some(id), Some(secret)) = (id, secret) else {
        return Err("the answer has no AccessKeyId and SecretAccessKey".into());
    };
    let expiry = expiration
        .and_then(|e| DateTime::parse_iso8601(&e).ok())
        .and_then(|t| t.to_system_time());
    Ok(Credentials::new(id, secret, token, expiry, source))
}

/// The EC2 instance metadata service, IMDSv2 (a session token first), falling back to
/// IMDSv1 when the token request is refused, as botocore does.
pub struct ImdsProvider {
    endpoint: String,
    http: SharedHttpClient,
    timeout: Duration,
    /// The session token and when to stop using it.
    token: std::sync::Mutex<Option<(String, Instant)>>,
    /// Held while a token is fetched: one fetch serves every caller waiting.
    token_fetch: SingleFlight,
}

impl fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsProvider")
            .field("endpoint", &redact_userinfo(&self.endpoint))
            .finish_non_exhaustive()
    }
}

/// The IMDS endpoint, by the SDKs' precedence: an explicit endpoint, then
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, then the profile's `ec2_metadata_service_endpoint`,
/// then the address of the mode (an explicit mode, then
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`, then the profile's
/// `ec2_metadata_service_endpoint_mode`; `IPv4` by default).
pub fn imds_endpoint(
    env: &Env,
    profile: Option<&super::Profile>,
    endpoint: Option<&str>,
    mode: Option<&str>,
) -> Result<String, String> {
    let setting = |var: &str, key: &str| {
        env.get(var)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
            .or_else(|| profile.and_then(|p| p.get(key)).cloned())
    };
    let chosen = endpoint.map(str::to_string).or_else(|| {
        setting(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        )
    });
    let base = match chosen {
        Some(url) => url,
        None => {
            let mode = mode.map(str::to_string).or_else(|| {
                setting(
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                    "ec2_metadata_service_endpoint_mode",
                )
            });
            match mode.as_deref().map(str::trim) {
                None | Some("IPv4") => "http://169.254.169.254".to_string(),
                Some("IPv6") => "http://[fd00:ec2::254]".to_string(),
                Some(other) => return Err(format!("`{other}` is not a valid endpoint mode")),
            }
        }
    };
    base.trim()
        .parse::<http::Uri>()
        .map_err(|e| e.to_string())?;
    Ok(base.trim().trim_end_matches('/').to_string())
}

impl ImdsProvider {
    /// A provider for the IMDS at `endpoint` (`http://169.254.169.254`).
    pub fn new(endpoint: impl Into<String>) -> Result<Self, CredentialsError> {
        Ok(ImdsProvider {
            endpoint: endpoint.into(),
            http: default_http()?,
            timeout: DEFAULT_TIMEOUT,
            token: std::sync::Mutex::new(None),
            token_fetch: SingleFlight::default(),
        })
    }

    /// From the environment and the profile; `None` when `AWS_EC2_METADATA_DISABLED` is
    /// `true`.
    pub fn from_env(
        env: &Env,
        profiles: &ProfileSet,
        profile: &str,
    ) -> Result<Option<Self>, CredentialsError> {
        if env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return Ok(None);
        }
        let endpoint = imds_endpoint(env, profiles.get(profile), None, None).map_err(|reason| {
            CredentialsError::ProviderError {
                provider: IMDS,
                reason,
            }
        })?;
        Self::new(endpoint).map(Some)
    }

    /// Uses this transport (for tests).
    pub fn with_http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.http = SharedHttpClient::new(http);
        self
    }

    fn error(&self, reason: String) -> CredentialsError {
        CredentialsError::ProviderError {
            provider: IMDS,
            reason,
        }
    }

    /// A session token, reused until shortly before its six hours are up; `None` when
    /// the service refuses tokens (IMDSv1 only).
    async fn token(&self) -> Result<Option<String>, CredentialsError> {
        let _turn = self.token_fetch.turn().await;
        if let Some((t, _)) = lock(&self.token)
            .as_ref()
            .filter(|(_, until)| Instant::now() < *until)
        {
            return Ok(Some(t.clone()));
        }
        let url = format!("{}/latest/api/token", self.endpoint);
        let headers = [("x-aws-ec2-metadata-token-ttl-seconds", "21600")];
        let (status, body) = fetch(&self.http, http::Method::PUT, &url, &headers, self.timeout)
            .await
            .map_err(|e| self.error(e))?;
        match status {
            200 => {
                let token = String::from_utf8(body.to_vec())
                    .map_err(|_| self.error("the session token is not text".into()))?;
                *lock(&self.token) = Some((
                    token.clone(),
                    Instant::now() + Duration::from_secs(21_600 - 60),
                ));
                Ok(Some(token))
            }
            // Refused, not found, not allowed: a service that knows only IMDSv1.
            403..=405 => Ok(None),
            s => Err(self.error(format!("the session token request answered HTTP {s}"))),
        }
    }

    /// A metadata `GET` with the session token when there is one: status and body.
    async fn get_status(
        &self,
        url: &str,
        token: Option<&str>,
    ) -> Result<(u16, Bytes), CredentialsError> {
        let headers: Vec<(&'static str, &str)> = token
            .map(|t| ("x-aws-ec2-metadata-token", t))
            .into_iter()
            .collect();
        fetch(&self.http, http::Method::GET, url, &headers, self.timeout)
            .await
            .map_err(|e| self.error(e))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<Bytes, CredentialsError> {
        let url = format!("{}{path}", self.endpoint);
        let (status, body) = self.get_status(&url, token).await?;
        match status {
            200 => Ok(body),
            404 => Err(CredentialsError::NotLoaded {
                provider: IMDS,
                reason: "the instance has no IAM role".into(),
            }),
            s => Err(self.error(format!("{} answered HTTP {s}", redact_userinfo(&url)))),
        }
    }

    /// The instance's region (`/latest/meta-data/placement/region`), for the region
    /// chain's last step, which is taken only when asked for
    /// ([`Config::from_env_with_imds_region`](crate::Config::from_env_with_imds_region)).
    pub async fn region(&self) -> Result<String, CredentialsError> {
        const PATH: &str = "/latest/meta-data/placement/region";
        let token = self.token().await?;
        let url = format!("{}{PATH}", self.endpoint);
        let (status, body) = self.get_status(&url, token.as_deref()).await?;
        if status != 200 {
            return Err(self.error(format!("{} answered HTTP {status}", redact_userinfo(&url))));
        }
        let region = std::str::from_utf8(&body).map(str::trim).unwrap_or("");
        let valid = !region.is_empty()
            && region.len() <= 64
            && region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(self.error(format!(
                "{} did not answer with a region name",
                redact_userinfo(&url)
            )));
        }
        Ok(region.to_string())
    }

    async fn fetch_credentials(&self) -> Result<Credentials, CredentialsError> {
        const ROLES: &str = "/latest/meta-data/iam/security-credentials/";
        let token = self.token().await?;
        let roles = self.get(ROLES, token.as_deref()).await?;
        let role = String::from_utf8_lossy(&roles)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if role.is_empty() {
            return Err(CredentialsError::NotLoaded {
                provider: IMDS,
                reason: "the instance has no IAM role".into(),
            });
        }
        let body = self
            .get(&format!("{ROLES}{role}"), token.as_deref())
            .await?;
        parse(&body, "imds").map_err(|e| self.error(e))
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch_credentials())
    }
}

/// The container credentials endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
/// `169.254.170.2`, ECS) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at every fetch, EKS Pod Identity) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
pub struct ContainerProvider {
    url: String,
    token: Option<Token>,
    http: SharedHttpClient,
    timeout: Duration,
}

enum Token {
    Value(String),
    File(PathBuf),
}

impl fmt::Debug for ContainerProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContainerProvider")
            .field("url", &redact_userinfo(&self.url))
            .field("token", &self.token.as_ref().map(|_| crate::REDACTED))
            .finish_non_exhaustive()
    }
}

/// Whether a full URI may be used: HTTPS anywhere; plain HTTP only to loopback and to the
/// ECS and EKS link-local addresses (botocore's rules).
fn allowed_host(uri: &http::Uri) -> bool {
    if uri.scheme_str() == Some("https") {
        return true;
    }
    let host = uri
        .host()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || ip == std::net::IpAddr::from([169, 254, 170, 2])
                || ip == std::net::IpAddr::from([169, 254, 170, 23])
                || host.eq_ignore_ascii_case("fd00:ec2::23")
        }
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

impl ContainerProvider {
    /// From the environment; `None` when neither URI variable is set.
    pub fn from_env(env: &Env) -> Result<Option<Self>, CredentialsError> {
        let get = |k: &str| env.get(k).map(str::trim).filter(|v| !v.is_empty());
        let err = |reason: String| CredentialsError::ProviderError {
            provider: CONTAINER,
            reason,
        };
        let url = match (
            get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
            get("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        ) {
            (Some(relative), _) => format!("http://169.254.170.2{relative}"),
            (None, Some(full)) => {
                let uri: http::Uri = full.parse().map_err(|_| {
                    err(format!(
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI `{}` is not a URL",
                        redact_userinfo(full)
                    ))
                })?;
                if !allowed_host(&uri) {
                    return Err(err(format!(
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI `{}` must be HTTPS, or HTTP to a loopback or the ECS/EKS container address",
                        redact_userinfo(full)
                    )));
                }
                full.to_string()
            }
            (None, None) => return Ok(None),
        };
        let token = match (
            get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        ) {
            (Some(file), _) => Some(Token::File(PathBuf::from(file))),
            (None, Some(value)) => Some(Token::Value(value.to_string())),
            (None, None) => None,
        };
        Ok(Some(ContainerProvider {
            url,
            token,
            http: default_http()?,
            timeout: DEFAULT_TIMEOUT,
        }))
    }

    /// Uses this transport (for tests).
    pub fn with_http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.http = SharedHttpClient::new(http);
        self
    }

    fn error(&self, reason: String) -> CredentialsError {
        CredentialsError::ProviderError {
            provider: CONTAINER,
            reason,
        }
    }

    async fn fetch_credentials(&self) -> Result<Credentials, CredentialsError> {
        let token = match &self.token {
            None => None,
            Some(Token::Value(v)) => Some(v.clone()),
            Some(Token::File(path)) => Some(
                std::fs::read_to_string(path)
                    .map(|t| t.trim().to_string())
                    .map_err(|e| {
                        self.error(format!(
                            "the token file {} cannot be read: {}",
                            path.display(),
                            e.kind()
                        ))
                    })?,
            ),
        };
        if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
            return Err(self.error("the authorization token holds a line break".into()));
        }
        let headers: Vec<(&'static str, &str)> = token
            .as_deref()
            .map(|t| ("authorization", t))
            .into_iter()
            .collect();
        let (status, body) = fetch(
            &self.http,
            http::Method::GET,
            &self.url,
            &headers,
            self.timeout,
        )
        .await
        .map_err(|e| self.error(e))?;
        if status != 200 {
            return Err(self.error(format!(
                "{} answered HTTP {status}",
                redact_userinfo(&self.url)
            )));
        }
        parse(&body, "container").map_err(|e| self.error(e))
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch_credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn credentials_documents_read_as_botocore_reads_them() {
        let c = parse(br#"{"Code":"Success","AccessKeyId":"AKID","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#, "x").unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("AKID", Some("t")));
        assert!(c.expiry().is_some());
        assert_eq!(
            parse(
                br#"{"Code":"Failed","AccessKeyId":"A","SecretAccessKey":"s"}"#,
                "x"
            )
            .err()
            .as_deref(),
            Some("the answer's code is `Failed`")
        );
        for doc in [
            &br#"{"AccessKeyId":1,"SecretAccessKey":"s"}"#[..],
            b"<html>",
            b"[]",
        ] {
            assert_eq!(
                parse(doc, "x").err().as_deref(),
                Some("the answer is not a credentials document")
            );
        }
        assert_eq!(
            parse(br#"{"AccessKeyId":"A"}"#, "x").err().as_deref(),
            Some("the answer has no AccessKeyId and SecretAccessKey")
        );
    }

    /// (method, path, status, body).
    type Answer = (String, String, u16, String);
    /// (method, path, headers).
    type Seen = (String, String, Vec<(String, String)>);

    /// A transport answering from a script, by (method, path), and recording requests.
    #[derive(Debug, Default, Clone)]
    struct Script {
        answers: Arc<Mutex<Vec<Answer>>>,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Script {
        fn answer(self, method: &str, path: &str, status: u16, body: &str) -> Self {
            self.answers
                .lock()
                .unwrap()
                .push((method.into(), path.into(), status, body.into()));
            self
        }
        fn seen(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    impl HttpClient for Script {
        fn send(
            &self,
            req: http::Request<crate::ByteStream>,
        ) -> BoxFuture<'_, Result<http::Response<crate::ByteStream>, crate::http::TransportError>>
        {
            let (method, path) = (req.method().to_string(), req.uri().path().to_string());
            let headers = req
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            self.seen
                .lock()
                .unwrap()
                .push((method.clone(), path.clone(), headers));
            let answer = self
                .answers
                .lock()
                .unwrap()
                .iter()
                .find(|(m, p, _, _)| *m == method && *p == path)
                .map(|(_, _, s, b)| (*s, b.clone()));
            Box::pin(async move {
                let (status, body) = answer.unwrap_or((404, String::new()));
                Ok(http::Response::builder()
                    .status(status)
                    .body(crate::ByteStream::from(body))
                    .unwrap())
            })
        }
    }

    const CREDS: &str = r#"{"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"s3cr3t","Token":"tok","Expiration":"2030-01-01T00:00:00Z"}"#;

    fn imds(script: &Script) -> ImdsProvider {
        ImdsProvider::new("http://127.0.0.1:9")
            .unwrap()
            .with_http_client(script.clone())
    }

    #[tokio::test]
    async fn imds_v2_token_then_role_then_credentials_and_the_token_is_reused() {
        let script = Script::default()
            .answer("PUT", "/latest/api/token", 200, "session-token")
            .answer(
                "GET",
                "/latest/meta-data/iam/security-credentials/",
                200,
                "my-role\n",
            )
            .answer(
                "GET",
                "/latest/meta-data/iam/security-credentials/my-role",
                200,
                CREDS,
            );
        let p = imds(&script);
        for _ in 0..2 {
            let c = p.provide_credentials().await.unwrap();
            assert_eq!(
                (c.access_key_id(), c.session_token(), c.source()),
                ("AKIDIMDS", Some("tok"), "imds")
            );
        }
        let seen = script.seen();
        assert_eq!(
            seen.iter().filter(|(m, _, _)| m == "PUT").count(),
            1,
            "one token for both fetches"
        );
        assert_eq!(seen.len(), 5);
        let token_header = |h: &[(String, String)]| {
            h.iter()
                .find(|(k, _)| k == "x-aws-ec2-metadata-token")
                .map(|(_, v)| v.clone())
        };
        assert!(seen[1..]
            .iter()
            .all(|(_, _, h)| token_header(h).as_deref() == Some("session-token")));
        assert!(seen[0]
            .2
            .iter()
            .any(|(k, v)| k == "x-aws-ec2-metadata-token-ttl-seconds" && v == "21600"));
    }

    #[tokio::test]
    async fn imds_gives_the_region_and_rejects_what_is_not_one() {
        let script = Script::default()
            .answer("PUT", "/latest/api/token", 200, "session-token")
            .answer(
                "GET",
                "/latest/meta-data/placement/region",
                200,
                "eu-central-1\n",
            );
        assert_eq!(imds(&script).region().await.unwrap(), "eu-central-1");
        let seen = script.seen();
        assert_eq!(seen.len(), 2);
        assert!(seen[1]
            .2
            .iter()
            .any(|(k, v)| k == "x-aws-ec2-metadata-token" && v == "session-token"));
        for (status, body, says) in [
            (
                200,
                "<html>not found</html>",
                "did not answer with a region name",
            ),
            (500, "", "answered HTTP 500"),
        ] {
            let script =
                Script::default().answer("GET", "/latest/meta-data/placement/region", status, body);
            let e = imds(&script).region().await.unwrap_err().to_string();
            assert!(e.contains(says), "{says}: {e}");
        }
    }

    #[tokio::test]
    async fn imds_falls_back_to_v1_and_reports_a_missing_role() {
        let script = Script::default()
            .answer("PUT", "/latest/api/token", 403, "")
            .answer(
                "GET",
                "/latest/meta-data/iam/security-credentials/",
                200,
                "r",
            )
            .answer(
                "GET",
                "/latest/meta-data/iam/security-credentials/r",
                200,
                CREDS,
            );
        assert_eq!(
            imds(&script)
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "AKIDIMDS"
        );
        assert!(script.seen().iter().skip(1).all(|(_, _, h)| h.is_empty()));
        let no_role = Script::default().answer("PUT", "/latest/api/token", 200, "t");
        let e = imds(&no_role).provide_credentials().await.unwrap_err();
        assert!(matches!(e, CredentialsError::NotLoaded { .. }), "{e}");
        let bad = Script::default()
            .answer("PUT", "/latest/api/token", 200, "t")
            .answer(
                "GET",
                "/latest/meta-data/iam/security-credentials/",
                200,
                "r",
            )
            .answer(
                "GET",
                "/latest/meta-data/iam/security-credentials/r",
                200,
                "s3cr3t not json",
            );
        let e = imds(&bad)
            .provide_credentials()
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("IMDS") && !e.contains("s3cr3t"), "{e}");
    }

    #[tokio::test]
    async fn an_unreachable_imds_fails_fast_with_the_url() {
        // Nothing listens on this loopback port: refused at once.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = Instant::now();
        let e = ImdsProvider::new(format!("http://127.0.0.1:{port}"))
            .unwrap()
            .provide_credentials()
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    /// The SDKs' shared IMDS endpoint-configuration suite.
    #[test]
    fn the_shared_imds_config_suite_passes() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/smithy-rs/imds-config/imds-tests.json");
        let suite: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let cases = suite["tests"].as_array().unwrap();
        for case in cases {
            let env = Env::from_pairs(
                case["env"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| *k != "AWS_CONFIG_FILE")
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())),
            );
            let config = case["fs"]["config"].as_str();
            let profiles =
                ProfileSet::parse(config.map(|t| (std::path::Path::new("config"), t)), None)
                    .unwrap();
            let got = imds_endpoint(
                &env,
                profiles.get("default"),
                case["endpoint_override"].as_str(),
                case["mode_override"].as_str(),
            )
            .map(|base| format!("{base}/latest/api/token"));
            match (&got, case["result"].get("Ok"), case["result"].get("Err")) {
                (Ok(url), Some(want), _) => {
                    assert_eq!(url, want.as_str().unwrap(), "{}", case["docs"])
                }
                (Err(e), _, Some(want)) => {
                    assert!(e.contains(want.as_str().unwrap()), "{}: {e}", case["docs"])
                }
                _ => panic!("{}: {got:?}", case["docs"]),
            }
        }
        println!(
            "imds config tests: {} cases, {} passed, 0 failed",
            cases.len(),
            cases.len()
        );
    }

    fn container(
        env: &[(&str, &str)],
        script: &Script,
    ) -> Result<Option<ContainerProvider>, CredentialsError> {
        ContainerProvider::from_env(&Env::from_pairs(env.iter().copied()))
            .map(|p| p.map(|p| p.with_http_client(script.clone())))
    }

    #[tokio::test]
    async fn container_credentials_with_a_token_file_and_the_allowed_hosts() {
        let dir = std::env::temp_dir().join(format!("awsgen-token-{}", std::process::id()));
        std::fs::write(&dir, "eks-pod-identity-token\n").unwrap();
        let script = Script::default().answer("GET", "/v1/credentials", 200, CREDS);
        let p = container(
            &[
                (
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                    "http://169.254.170.23/v1/credentials",
                ),
                (
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                    dir.to_str().unwrap(),
                ),
                (
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                    "ignored-when-a-file-is-set",
                ),
            ],
            &script,
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.provide_credentials().await.unwrap().source(), "container");
        assert!(script.seen()[0]
            .2
            .contains(&("authorization".into(), "eks-pod-identity-token".into())));
        assert!(!format!("{p:?}").contains("eks-pod-identity-token"));
        std::fs::remove_file(&dir).unwrap();
        let e = p.provide_credentials().await.unwrap_err().to_string();
        assert!(
            e.contains("token file") && e.contains("cannot be read"),
            "{e}"
        );
        // ECS: a relative URI on 169.254.170.2.
        let ecs = container(
            &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds")],
            &script,
        )
        .unwrap()
        .unwrap();
        assert_eq!(ecs.url, "http://169.254.170.2/v2/creds");
        // Plain HTTP elsewhere is refused; HTTPS and loopback are not.
        for (uri, ok) in [
            ("http://169.254.170.99/creds", false),
            ("http://example.com/creds", false),
            ("https://example.com/creds", true),
            ("http://127.0.0.1:8080/creds", true),
            ("http://[::1]/creds", true),
            ("http://localhost/creds", true),
        ] {
            let got = container(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)], &script);
            assert_eq!(got.is_ok(), ok, "{uri}: {got:?}");
        }
        assert!(container(&[], &script).unwrap().is_none());
    }
}
