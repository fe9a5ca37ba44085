//! Credentials and where they come from: static values, the environment, the shared
//! `~/.aws/credentials` and `~/.aws/config` files, or any [`ProvideCredentials`].
//!
//! Secrets never appear in `Debug`, `Display` or errors.

mod assume;
mod cache;
mod chain;
mod flight;
mod json;
mod process;
mod profile;
mod remote;
mod sso;
mod sts;

pub use assume::{AssumeRoleProvider, WebIdentityProvider};
pub use cache::{CachingProvider, Clock, DEFAULT_REFRESH_BEFORE};
pub use chain::DefaultChain;
pub use process::ProcessProvider;
pub use remote::{imds_endpoint, ContainerProvider, ImdsProvider};
pub use sso::SsoProvider;

/// What the credential providers' own calls (STS, the SSO portal, SSO-OIDC) take from
/// the client's configuration: the endpoints configured for them (service variables,
/// `AWS_ENDPOINT_URL`, the profile's `services` section and `endpoint_url`, as
/// [`Config::from_env`](crate::Config::from_env) resolves them) and the extra trusted roots
/// (`ca_bundle` / `AWS_CA_BUNDLE`). The default is none of either: the services' own
/// endpoints and the bundled roots.
#[derive(Clone, Debug, Default)]
pub struct ProviderSettings {
    /// STS's configured endpoint.
    pub sts_endpoint: Option<String>,
    /// The SSO portal's configured endpoint.
    pub sso_endpoint: Option<String>,
    /// SSO-OIDC's configured endpoint.
    pub sso_oidc_endpoint: Option<String>,
    /// Extra trusted roots, DER.
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
}

impl ProviderSettings {
    /// The HTTPS transport of `provider`'s calls (3 s connect timeout).
    pub(crate) fn transport(
        &self,
        provider: &'static str,
    ) -> Result<crate::http::SharedHttpClient, CredentialsError> {
        crate::http::default_client(Some(std::time::Duration::from_secs(3)), &self.extra_roots)
            .map_err(|e| CredentialsError::ProviderError {
                provider,
                reason: e.to_string(),
            })
    }
}
pub use sts::{RoleOptions, Sts};

pub use profile::{FileKind, Profile, ProfileSet};

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::BoxFuture;

/// AWS credentials: an access key id, its secret, and a session token for temporary ones.
/// Cloning is cheap (the values are shared).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<CredentialsInner>);

#[derive(PartialEq, Eq)]
struct CredentialsInner {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<std::time::SystemTime>,
    source: &'static str,
}

impl Credentials {
    /// Long-term or temporary credentials; `source` says where they came from (`"static"`).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<std::time::SystemTime>,
        source: &'static str,
    ) -> Self {
        Credentials(Arc::new(CredentialsInner {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry,
            source,
        }))
    }
    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }
    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }
    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }
    /// When temporary credentials expire.
    pub fn expiry(&self) -> Option<std::time::SystemTime> {
        self.0.expiry
    }
    /// Which provider gave them (`"environment"`, `"profile"`, `"static"`, ...).
    pub fn source(&self) -> &'static str {
        self.0.source
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.0.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .field("expiry", &self.0.expiry)
            .field("source", &self.0.source)
            .finish()
    }
}

// `CredentialsError` lives in `error.rs` (so that `error` needs nothing of this module
// and the providers can use the protocol modules, which need `error`).
pub use crate::error::CredentialsError;

/// Anything that gives credentials (plug in your own for SSO, IMDS, a vault, ...).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Returns credentials; called before every attempt, so cache inside if fetching is costly.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// Credentials to hand out at once, without waiting: fixed ones, or a cached copy
    /// that is still fresh. The client asks this first before every attempt and awaits
    /// [`provide_credentials`](Self::provide_credentials) only on `None` (the default).
    fn ready_credentials(&self) -> Option<Credentials> {
        None
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        Some(self.clone())
    }
}

/// A shared, cloneable credentials provider.
#[derive(Clone, Debug)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Wraps a provider.
    pub fn new(p: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Arc::new(p))
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        self.0.ready_credentials()
    }
}

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
pub fn from_env(env: &Env) -> Result<Credentials, CredentialsError> {
    let get = |k: &str| env.get(k).filter(|v| !v.trim().is_empty());
    match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Ok(Credentials::new(
            id.trim(),
            secret.trim(),
            get("AWS_SESSION_TOKEN").map(|t| t.trim().to_string()),
            None,
            "environment",
        )),
        (Some(_), None) => Err(CredentialsError::NotLoaded {
            provider: "environment",
            reason: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".into(),
        }),
        _ => Err(CredentialsError::NotLoaded {
            provider: "environment",
            reason: "AWS_ACCESS_KEY_ID is not set".into(),
        }),
    }
}

/// A snapshot of environment variables (tests pass their own instead of the process's).
#[derive(Clone, Default)]
pub struct Env(BTreeMap<String, String>);

impl fmt::Debug for Env {
    /// Lists the variable names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

impl Env {
    /// The process environment (variables whose names or values are not UTF-8 are skipped).
    pub fn process() -> Self {
        // `extend`, not `collect`: a map collected from an iterator is sorted first, and
        // each sort is another instantiation of the stable sort in every build.
        let mut vars = BTreeMap::new();
        vars.extend(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        );
        Env(vars)
    }
    /// A given set of variables.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut vars = BTreeMap::new();
        vars.extend(pairs.into_iter().map(|(k, v)| (k.into(), v.into())));
        Env(vars)
    }
    /// The variable names.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
    /// One variable.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
    /// The home directory (`HOME`, or `USERPROFILE` on Windows).
    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
    }
}

#[cfg(feature = "aws-config")]
mod aws_config_bridge {
    use super::*;

    /// Adapts any credentials provider of the official `aws-config` /
    /// `aws-credential-types` crates (SSO, web identity, IMDS, the full default chain).
    #[derive(Debug)]
    pub struct AwsConfigProvider<P>(pub P);

    impl<P> ProvideCredentials for AwsConfigProvider<P>
    where
        P: aws_credential_types::provider::ProvideCredentials + fmt::Debug,
    {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                let c = aws_credential_types::provider::ProvideCredentials::provide_credentials(
                    &self.0,
                )
                .await
                .map_err(|e| CredentialsError::ProviderError {
                    provider: "aws-config",
                    reason: e.to_string(),
                })?;
                Ok(Credentials::new(
                    c.access_key_id(),
                    c.secret_access_key(),
                    c.session_token().map(str::to_string),
                    c.expiry(),
                    "aws-config",
                ))
            })
        }
    }
}

#[cfg(feature = "aws-config")]
pub use aws_config_bridge::AwsConfigProvider;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, kind: FileKind) -> Result<ProfileSet, CredentialsError> {
        let file = Some((std::path::Path::new("/home/u/.aws/x"), text));
        match kind {
            FileKind::Config => ProfileSet::parse(file, None),
            FileKind::Credentials => ProfileSet::parse(None, file),
        }
    }

    #[test]
    fn credentials_file_profiles() {
        let s = parse(
            "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key=secretdefault ; inline comment\n\n[dev]\nAWS_ACCESS_KEY_ID = AKIDDEV\naws_secret_access_key = secretdev\naws_session_token = tok\n",
            FileKind::Credentials,
        )
        .unwrap();
        let d = s.credentials("default").unwrap();
        assert_eq!(
            (d.access_key_id(), d.secret_access_key(), d.session_token()),
            ("AKIDDEFAULT", "secretdefault", None)
        );
        let dev = s.credentials("dev").unwrap();
        assert_eq!(dev.session_token(), Some("tok"));
        assert!(matches!(
            s.credentials("prod"),
            Err(CredentialsError::NotLoaded { .. })
        ));
    }

    #[test]
    fn config_file_uses_profile_prefix() {
        let s = parse("[default]\nregion = us-west-2\n[profile dev]\nregion=eu-west-1\naws_access_key_id=A\naws_secret_access_key=B\n[sso-session x]\nsso_region=us-east-1\n[dev]\nignored=1\n", FileKind::Config).unwrap();
        assert_eq!(s.get("default").unwrap()["region"], "us-west-2");
        assert_eq!(s.get("dev").unwrap()["region"], "eu-west-1");
        assert!(!s.get("dev").unwrap().contains_key("ignored"));
        assert!(s.get("x").is_none());
        assert!(s.credentials("dev").is_ok());
        // A profile with only a region has no static keys: a clear error.
        let e = s.credentials("default").unwrap_err().to_string();
        assert!(e.contains("profile `default` has no static keys"), "{e}");
    }

    #[test]
    fn malformed_files_name_file_and_line() {
        let e = parse(
            "[default]\naws_access_key_id = A\nthis line has no equals sign\n",
            FileKind::Credentials,
        )
        .unwrap_err();
        assert_eq!(
            e,
            CredentialsError::InvalidFile {
                path: "/home/u/.aws/x".into(),
                line: 3,
                reason: "Expected an '=' sign defining a property".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "/home/u/.aws/x:3: Expected an '=' sign defining a property"
        );
        let e = parse("[default\n", FileKind::Credentials).unwrap_err();
        assert!(
            matches!(e, CredentialsError::InvalidFile { line: 1, .. }),
            "{e:?}"
        );
        let e = parse("key = value\n", FileKind::Credentials).unwrap_err();
        assert!(
            e.to_string().contains(":1: Expected a profile definition"),
            "{e}"
        );
        // An invalid section name is ignored with its properties, as the spec says.
        let s = parse("[ ]\nkey = value\n", FileKind::Credentials).unwrap();
        assert!(s.profiles().is_empty());
    }

    #[test]
    fn errors_never_echo_secret_lines() {
        let e = parse(
            "[default]\nwJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n",
            FileKind::Credentials,
        )
        .unwrap_err()
        .to_string();
        assert!(!e.contains("EXAMPLEKEY"), "{e}");
    }

    #[test]
    fn environment_credentials() {
        let env = Env::from_pairs([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]);
        let c = from_env(&env).unwrap();
        assert_eq!(
            (
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token(),
                c.source()
            ),
            ("AKID", "SECRET", Some("TOKEN"), "environment")
        );
        let half = Env::from_pairs([("AWS_ACCESS_KEY_ID", "AKID")]);
        assert!(from_env(&half)
            .unwrap_err()
            .to_string()
            .contains("but AWS_SECRET_ACCESS_KEY is not"));
        assert!(from_env(&Env::default()).is_err());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("SESSIONTOKEN".into()),
            None,
            "static",
        );
        let d = format!("{c:?}");
        assert!(d.contains("AKIDEXAMPLE"));
        assert!(
            !d.contains("EXAMPLEKEY") && !d.contains("SESSIONTOKEN"),
            "{d}"
        );
        let env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", "hunter2")]);
        assert!(!format!("{env:?}").contains("hunter2"));
        let p = parse(
            "[default]\naws_secret_access_key=hunter2\n",
            FileKind::Credentials,
        )
        .unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn load_reads_files_from_env_paths_and_tolerates_missing_ones() {
        let dir = std::env::temp_dir().join(format!("awsgen-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let creds = dir.join("credentials");
        std::fs::write(
            &creds,
            "[default]\naws_access_key_id=FA\naws_secret_access_key=FS\n",
        )
        .unwrap();
        let env = Env::from_pairs([
            ("AWS_SHARED_CREDENTIALS_FILE", creds.to_str().unwrap()),
            ("AWS_CONFIG_FILE", dir.join("nope").to_str().unwrap()),
        ]);
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.credentials("default").unwrap().access_key_id(), "FA");
        std::fs::write(&creds, "[default]\n=x\n").unwrap();
        let e = ProfileSet::load(&env).unwrap_err();
        assert!(
            matches!(&e, CredentialsError::InvalidFile { path, line: 2, .. } if *path == creds),
            "{e:?}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[cfg(feature = "aws-config")]
    #[tokio::test]
    async fn any_aws_credential_types_provider_is_accepted() {
        // `aws_credential_types::Credentials` is itself a provider, like every provider of
        // `aws-config` (its default chain, SSO, web identity, IMDS).
        let theirs = aws_credential_types::Credentials::new(
            "AKIDAC",
            "SECRETAC",
            Some("TOKENAC".into()),
            None,
            "test",
        );
        let p = AwsConfigProvider(theirs);
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(
            (
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token(),
                c.source()
            ),
            ("AKIDAC", "SECRETAC", Some("TOKENAC"), "aws-config")
        );
        assert!(!format!("{c:?}").contains("SECRETAC"));
    }
}
