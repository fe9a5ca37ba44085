//! AWS STS, for the credential sources that exchange one identity for another:
//! `AssumeRoleWithWebIdentity` (unsigned: the web identity token is the proof) and
//! `AssumeRole` (signed with the source credentials). AWS Query requests (a form body),
//! XML responses read by [`super::xml`], through the runtime's own transport.
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
use crate::xml::Document;
use crate::{sigv4, DateTime};
use bytes::Bytes;
use std::time::Duration;

const PROVIDER: &str = "STS";
const TIMEOUT: Duration = Duration::from_secs(10);

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
        let mut params = vec![
            ("Action", "AssumeRoleWithWebIdentity".to_string()),
            ("Version", "2011-06-15".to_string()),
            ("RoleArn", role_arn.to_string()),
            ("RoleSessionName", session_name(options)),
            ("WebIdentityToken", token.to_string()),
        ];
        if let Some(d) = options.duration_seconds {
            params.push(("DurationSeconds", d.to_string()));
        }
        self.call("AssumeRoleWithWebIdentity", &params, None, "web identity")
            .await
    }

    /// `AssumeRole`, signed with `source`.
    pub async fn assume_role(
        &self,
        source: &Credentials,
        role_arn: &str,
        options: &RoleOptions,
    ) -> Result<Credentials, CredentialsError> {
        let mut params = vec![
            ("Action", "AssumeRole".to_string()),
            ("Version", "2011-06-15".to_string()),
            ("RoleArn", role_arn.to_string()),
            ("RoleSessionName", session_name(options)),
        ];
        if let Some(d) = options.duration_seconds {
            params.push(("DurationSeconds", d.to_string()));
        }
        if let Some(e) = &options.external_id {
            params.push(("ExternalId", e.clone()));
        }
        self.call("AssumeRole", &params, Some(source), "assume role")
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
        params: &[(&str, String)],
        signer: Option<&Credentials>,
        source: &'static str,
    ) -> Result<Credentials, CredentialsError> {
        let body = form(params);
        let request = self
            .request(body, signer)
            .map_err(|e| self.error(action, e))?;
        let send = crate::http::send_collect(&self.http, request, 64 * 1024);
        let response = tokio::time::timeout(TIMEOUT, send)
            .await
            .map_err(|_| self.error(action, format!("no answer within {TIMEOUT:?}")))?
            .map_err(|e| self.error(action, crate::http::chain(&e)))?;
        let status = response.status().as_u16();
        let text = String::from_utf8_lossy(response.body()).into_owned();
        if status != 200 {
            return Err(self.error(action, error_text(status, &text)));
        }
        parse_credentials(&text, source).map_err(|e| self.error(action, e))
    }

    fn request(
        &self,
        body: String,
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
                method: "POST",
                path: "/",
                query: "",
                headers: &headers,
                body: body.as_bytes(),
            };
            let sig = sigv4::sign(&signable, &params);
            b = b
                .header("x-amz-date", amz_date.as_str())
                .header("authorization", sig.authorization);
            if let Some(t) = creds.session_token() {
                b = b.header("x-amz-security-token", t);
            }
        }
        b.body(Bytes::from(body)).map_err(|e| e.to_string())
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

/// An AWS Query form body.
fn form(params: &[(&str, String)]) -> String {
    let enc = sigv4::percent_encode;
    params
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `Credentials` element of an `AssumeRole*Response`.
fn parse_credentials(xml: &str, source: &'static str) -> Result<Credentials, String> {
    // Not the parse error: its snippet of a truncated answer could hold the secret key.
    let doc = Document::parse(xml.as_bytes()).map_err(|_| "the answer is not XML".to_string())?;
    let creds = doc
        .descendants()
        .find(|n| n.name() == "Credentials")
        .ok_or("the answer has no Credentials")?;
    let field = |name: &str| {
        creds
            .children()
            .find(|n| n.name() == name)
            .map(|n| n.text().trim().to_string())
            .filter(|t| !t.is_empty())
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

/// What an STS error response says: `HTTP 403: InvalidIdentityToken: message`.
fn error_text(status: u16, xml: &str) -> String {
    let Ok(doc) = Document::parse(xml.as_bytes()) else {
        return format!("HTTP {status}");
    };
    let text = |name: &str| {
        doc.descendants()
            .find(|n| n.name() == name)
            .map(|n| n.text().trim())
            .unwrap_or("")
            .to_string()
    };
    let (code, message) = (text("Code"), text("Message"));
    let message: String = message.chars().take(300).collect();
    format!("HTTP {status}: {code}: {message}")
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
        let c = parse_credentials(OK, "assume role").unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token()),
            ("ASIAROLE", Some("role-token"))
        );
        assert!(c.expiry().is_some());
        let err = r#"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>"#;
        assert_eq!(
            error_text(400, err),
            "HTTP 400: InvalidIdentityToken: bad token"
        );
        assert_eq!(error_text(502, "<html>"), "HTTP 502");
        assert!(parse_credentials("<x/>", "s").is_err());
        let empty = OK.replace("ASIAROLE", "");
        assert!(parse_credentials(&empty, "s").is_err());
        let no_token = OK.replace("role-token", " ");
        assert_eq!(
            parse_credentials(&no_token, "s").unwrap().session_token(),
            None
        );
        assert!(parse_credentials("not xml", "s").is_err());
    }

    #[test]
    fn query_bodies_are_form_encoded() {
        assert_eq!(
            form(&[
                ("Action", "AssumeRole".into()),
                ("RoleArn", "arn:aws:iam::1:role/a b".into())
            ]),
            "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b"
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
