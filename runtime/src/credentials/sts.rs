//! AWS STS, for the credential sources that exchange one identity for another:
//! `AssumeRoleWithWebIdentity` (unsigned: the web identity token is the proof) and
//! `AssumeRole` (signed with the source credentials). The requests and answers go through
//! the query protocol's own module ([`crate::protocol::query`], with a table of the few
//! STS shapes these calls use), as generated clients' do, but over the providers' own
//! transport and signing (no client: a client would need these very credentials).
//!
//! The endpoint is STS's regional one (`https://sts.<region>.amazonaws.com`, botocore's
//! default), the global one when `AWS_STS_REGIONAL_ENDPOINTS=legacy` or no region is
//! known, or the endpoint configured for STS ([`ProviderSettings`]: `AWS_ENDPOINT_URL_STS`,
//! `AWS_ENDPOINT_URL`, the profile's `services` section `sts`, its `endpoint_url`, as
//! botocore reads them).
//! Errors name the action, the STS error code and message and the URL; never a token.

use super::{Credentials, CredentialsError, Env, ProviderSettings};
use crate::endpoint::redact_userinfo;
use crate::http::{HttpClient, SharedHttpClient};
use crate::protocol::xml_table::{Member, Scalar, Shape};
use crate::protocol::{Protocol, Query};
use crate::{sigv4, DateTime};
use bytes::Bytes;
use serde_json::{json, Value};
use std::time::Duration;

const PROVIDER: &str = "STS";
const TIMEOUT: Duration = Duration::from_secs(10);

const fn member(name: &'static str, shape: u32) -> Member {
    Member {
        serde: name,
        xml: name,
        query: name,
        shape,
        flattened: false,
        attribute: false,
        ns: None,
    }
}

/// The STS shapes the providers use (`sts/2011-06-15`), members in the model's order.
static SHAPES: &[Shape] = &[
    Shape::Scalar(Scalar::String),
    Shape::Scalar(Scalar::Integer),
    // 2: AssumeRoleRequest
    Shape::Struct(&[
        member("RoleArn", 0),
        member("RoleSessionName", 0),
        member("DurationSeconds", 1),
        member("ExternalId", 0),
    ]),
    // 3: AssumeRoleWithWebIdentityRequest
    Shape::Struct(&[
        member("RoleArn", 0),
        member("RoleSessionName", 0),
        member("WebIdentityToken", 0),
        member("DurationSeconds", 1),
    ]),
    // 4: AssumeRoleResponse, AssumeRoleWithWebIdentityResponse (their `Credentials`)
    Shape::Struct(&[member("Credentials", 5)]),
    // 5: Credentials
    Shape::Struct(&[
        member("AccessKeyId", 0),
        member("SecretAccessKey", 0),
        member("SessionToken", 0),
        member("Expiration", 6),
    ]),
    Shape::Scalar(Scalar::TimestampText),
];

static QUERY: Query = Query {
    version: "2011-06-15",
    shapes: SHAPES,
    ec2: false,
};

/// An STS endpoint and the transport to reach it.
#[derive(Clone, Debug)]
pub struct Sts {
    endpoint: String,
    region: String,
    http: SharedHttpClient,
}

/// The parameters of `AssumeRole` and `AssumeRoleWithWebIdentity` a profile or the
/// environment can set.
#[derive(Clone, Debug, Default)]
pub struct RoleOptions {
    /// `RoleSessionName` (`role_session_name`; botocore's default otherwise).
    pub session_name: Option<String>,
    /// `ExternalId` (`external_id`, `AssumeRole` only).
    pub external_id: Option<String>,
    /// `DurationSeconds` (`duration_seconds`).
    pub duration_seconds: Option<u32>,
}

impl Sts {
    /// The endpoint for `region`: the configured one, else the regional one (the global
    /// one when `AWS_STS_REGIONAL_ENDPOINTS=legacy`).
    pub fn new(
        env: &Env,
        settings: &ProviderSettings,
        region: Option<&str>,
    ) -> Result<Self, CredentialsError> {
        let region = region.unwrap_or("us-east-1").to_string();
        let legacy = env.get("AWS_STS_REGIONAL_ENDPOINTS").map(str::trim) == Some("legacy");
        let endpoint = match &settings.sts_endpoint {
            Some(url) => url.trim_end_matches('/').to_string(),
            None if legacy => "https://sts.amazonaws.com".to_string(),
            None => {
                let suffix =
                    crate::endpoint::dns_suffix(&region).unwrap_or_else(|| "amazonaws.com".into());
                format!("https://sts.{region}.{suffix}")
            }
        };
        let http = settings.transport(PROVIDER)?;
        Ok(Sts {
            endpoint,
            region,
            http,
        })
    }

    /// Uses this transport (for tests).
    pub fn with_http_client(mut self, http: impl HttpClient + 'static) -> Self {
        self.http = SharedHttpClient::new(http);
        self
    }

    /// `AssumeRoleWithWebIdentity`: unsigned.
    pub async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        token: &str,
        options: &RoleOptions,
    ) -> Result<Credentials, CredentialsError> {
        let mut input = json!({
            "RoleArn": role_arn,
            "RoleSessionName": session_name(options),
            "WebIdentityToken": token,
        });
        if let Some(d) = options.duration_seconds {
            input["DurationSeconds"] = json!(d);
        }
        self.call("AssumeRoleWithWebIdentity", 3, &input, None, "web identity")
            .await
    }

    /// `AssumeRole`, signed with `source`.
    pub async fn assume_role(
        &self,
        source: &Credentials,
        role_arn: &str,
        options: &RoleOptions,
    ) -> Result<Credentials, CredentialsError> {
        let mut input = json!({
            "RoleArn": role_arn,
            "RoleSessionName": session_name(options),
        });
        if let Some(d) = options.duration_seconds {
            input["DurationSeconds"] = json!(d);
        }
        if let Some(e) = &options.external_id {
            input["ExternalId"] = json!(e);
        }
        self.call("AssumeRole", 2, &input, Some(source), "assume role")
            .await
    }

    fn error(&self, action: &str, reason: String) -> CredentialsError {
        CredentialsError::ProviderError {
            provider: PROVIDER,
            reason: format!("{action} at {}: {reason}", redact_userinfo(&self.endpoint)),
        }
    }

    async fn call(
        &self,
        action: &str,
        input_shape: u32,
        input: &Value,
        signer: Option<&Credentials>,
        source: &'static str,
    ) -> Result<Credentials, CredentialsError> {
        // The form as generated query clients write it (botocore's `QuerySerializer`).
        let written = QUERY
            .request(action, Some(input_shape), input)
            .map_err(|e| self.error(action, e.to_string()))?;
        let body = written
            .body
            .bytes()
            .cloned()
            .ok_or_else(|| self.error(action, "the form is not in memory".into()))?;
        let request = self
            .request(body, signer)
            .map_err(|e| self.error(action, e))?;
        let send = crate::http::send_collect(&self.http, request, 64 * 1024);
        let response = tokio::time::timeout(TIMEOUT, send)
            .await
            .map_err(|_| self.error(action, format!("no answer within {TIMEOUT:?}")))?
            .map_err(|e| self.error(action, crate::http::chain(&e)))?;
        let status = response.status().as_u16();
        if status != 200 {
            let text = error_text(status, response.headers(), response.body());
            return Err(self.error(action, text));
        }
        parse_credentials(action, response.body(), source).map_err(|e| self.error(action, e))
    }

    fn request(
        &self,
        body: Bytes,
        signer: Option<&Credentials>,
    ) -> Result<http::Request<Bytes>, String> {
        let uri: http::Uri = format!("{}/", self.endpoint)
            .parse()
            .map_err(|_| "the endpoint is not a URL".to_string())?;
        let host = uri
            .authority()
            .map(|a| a.as_str().to_string())
            .ok_or("the endpoint has no host")?;
        let content_type = "application/x-www-form-urlencoded; charset=utf-8";
        let mut b = http::Request::builder()
            .method("POST")
            .uri(uri)
            .header("content-type", content_type);
        if let Some(creds) = signer {
            let now = DateTime::now();
            let amz_date = now.to_amz_date();
            let mut headers: Vec<(&str, &str)> = vec![
                ("content-type", content_type),
                ("host", &host),
                ("x-amz-date", &amz_date),
            ];
            if let Some(t) = creds.session_token() {
                headers.push(("x-amz-security-token", t));
            }
            let params = sigv4::SigningParams {
                access_key_id: creds.access_key_id(),
                secret_access_key: creds.secret_access_key(),
                region: &self.region,
                service: "sts",
                time: now,
            };
            let signable = sigv4::SignableRequest {
                path_signing: sigv4::PathSigning::Normalized,
                method: "POST",
                path: "/",
                query: "",
                headers: &headers,
                body: &body,
            };
            let sig = sigv4::sign(&signable, &params);
            b = b
                .header("x-amz-date", amz_date.as_str())
                .header("authorization", sig.authorization);
            if let Some(t) = creds.session_token() {
                b = b.header("x-amz-security-token", t);
            }
        }
        b.body(body).map_err(|e| e.to_string())
    }
}

/// botocore's default session name: `botocore-session-<unix seconds>`.
fn session_name(options: &RoleOptions) -> String {
    options.session_name.clone().unwrap_or_else(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        format!("botocore-session-{secs}")
    })
}

/// The `Credentials` of an `<Action>Response`, read with the query protocol's reader
/// (the `<Action>Result` wrapper, as botocore's `QueryParser`).
fn parse_credentials(
    action: &str,
    body: &[u8],
    source: &'static str,
) -> Result<Credentials, String> {
    // Not the parse error: its snippet of a truncated answer could hold the secret key.
    let value = QUERY
        .read_output(body, 4, &format!("{action}Result"))
        .map_err(|_| "the answer is not XML".to_string())?;
    let field = |name: &str| {
        value["Credentials"][name]
            .as_str()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let (Some(id), Some(secret)) = (field("AccessKeyId"), field("SecretAccessKey")) else {
        return Err("the answer has no AccessKeyId and SecretAccessKey".into());
    };
    let expiry = field("Expiration")
        .and_then(|e| DateTime::parse_iso8601(&e).ok())
        .and_then(|t| t.to_system_time());
    Ok(Credentials::new(
        id,
        secret,
        field("SessionToken"),
        expiry,
        source,
    ))
}

/// What an STS error response says, as the query protocol reads it:
/// `HTTP 403: InvalidIdentityToken: message` (a body that is not an STS error: its start).
fn error_text(status: u16, headers: &http::HeaderMap, body: &[u8]) -> String {
    let meta = QUERY.error_metadata(status, headers, body);
    let message: String = meta.message().unwrap_or("").chars().take(300).collect();
    if meta.code() == status.to_string() && message.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {}: {message}", meta.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>role-secret</SecretAccessKey>
      <SessionToken>role-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>"#;

    #[test]
    fn responses_and_errors_parse() {
        let c = parse_credentials("AssumeRole", OK.as_bytes(), "assume role").unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token()),
            ("ASIAROLE", Some("role-token"))
        );
        assert!(c.expiry().is_some());
        let err = r#"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>"#;
        let h = http::HeaderMap::new();
        assert_eq!(
            error_text(400, &h, err.as_bytes()),
            "HTTP 400: InvalidIdentityToken: bad token"
        );
        assert_eq!(error_text(502, &h, b""), "HTTP 502");
        assert_eq!(error_text(502, &h, b"<html>"), "HTTP 502: 502: <html>");
        let parse = |xml: &str| parse_credentials("AssumeRole", xml.as_bytes(), "s");
        assert!(parse("<x/>").is_err());
        let empty = OK.replace("ASIAROLE", "");
        assert!(parse(&empty).is_err());
        let no_token = OK.replace("role-token", " ");
        assert_eq!(parse(&no_token).unwrap().session_token(), None);
        assert!(parse("not xml").is_err());
    }

    #[test]
    fn query_bodies_are_written_by_the_query_protocol() {
        let input = json!({"RoleSessionName": "s", "RoleArn": "arn:aws:iam::1:role/a b", "DurationSeconds": 900});
        let r = QUERY.request("AssumeRole", Some(2), &input).unwrap();
        assert_eq!(
            r.body.bytes().unwrap().as_ref(),
            b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b\
              &RoleSessionName=s&DurationSeconds=900"
        );
    }

    #[test]
    fn endpoints_are_regional_unless_told_otherwise() {
        let sts = |env: &[(&str, &str)], configured: Option<&str>, region| {
            let settings = ProviderSettings {
                sts_endpoint: configured.map(str::to_string),
                ..Default::default()
            };
            Sts::new(&Env::from_pairs(env.iter().copied()), &settings, region)
                .unwrap()
                .endpoint
        };
        assert_eq!(
            sts(&[], None, Some("eu-west-1")),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            sts(&[], None, Some("cn-north-1")),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            sts(
                &[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")],
                None,
                Some("eu-west-1")
            ),
            "https://sts.amazonaws.com"
        );
        assert_eq!(
            sts(&[], Some("http://127.0.0.1:1/"), Some("eu-west-1")),
            "http://127.0.0.1:1"
        );
        assert_eq!(sts(&[], None, None), "https://sts.us-east-1.amazonaws.com");
    }
}
