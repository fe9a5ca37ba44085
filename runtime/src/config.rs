//! Client configuration: region, credentials, endpoint, retries, timeouts, transport.

use crate::credentials::{
    CachingProvider, Credentials, CredentialsError, DefaultChain, Env, ProfileSet,
    ProvideCredentials, SharedCredentialsProvider,
};
use crate::http::{HttpClient, SharedHttpClient};
use crate::retry::RetryConfig;
use crate::DateTime;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Timeouts. `None` means no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a connection (TCP and TLS). Default 3.1 s, as botocore's standard defaults.
    pub connect: Option<Duration>,
    /// One attempt: sending the request and reading the whole response. Default 60 s.
    pub attempt: Option<Duration>,
    /// The whole operation, retries and backoff included. Default none.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: Some(Duration::from_secs(60)),
            operation: None,
        }
    }
}

/// Where the client gets the current time (for signing); replaceable in tests.
pub type TimeSource = Arc<dyn Fn() -> DateTime + Send + Sync>;

/// The default smallest request body that is compressed (botocore's 10 KiB).
pub const DEFAULT_MIN_COMPRESSION_SIZE: usize = 10_240;

/// The default limit on a response body: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 << 20;

/// What a client is built from.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) credentials_error: Option<CredentialsError>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) time_source: Option<TimeSource>,
    pub(crate) max_response_body: usize,
    /// Gzip request bodies of at least this many bytes for operations that allow it;
    /// `None` disables request compression.
    pub(crate) request_compression: Option<usize>,
    /// `AWS_ENDPOINT_URL_<SERVICE>` variables seen by `from_env`, for the client to pick its own.
    pub(crate) service_endpoint_env: Env,
    /// `AWS_ENDPOINT_URL` (or the profile's `endpoint_url`): below the service-specific one.
    pub(crate) global_endpoint_env: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("max_response_body", &self.max_response_body)
            .finish_non_exhaustive()
    }
}

/// The configuration could not be read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A shared config or credentials file is malformed.
    Credentials(CredentialsError),
    /// An environment variable has a value that makes no sense.
    InvalidVariable {
        /// The variable.
        name: String,
        /// What is wrong (never the value of a secret).
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Credentials(e) => write!(f, "{e}"),
            ConfigError::InvalidVariable { name, reason } => {
                write!(f, "environment variable {name}: {reason}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// A builder with defaults and nothing set.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            config: Config::empty(),
        }
    }

    fn empty() -> Self {
        Config {
            region: None,
            credentials: None,
            credentials_error: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            retry: RetryConfig::default(),
            timeouts: TimeoutConfig::default(),
            http_client: None,
            time_source: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            request_compression: Some(DEFAULT_MIN_COMPRESSION_SIZE),
            service_endpoint_env: Env::default(),
            global_endpoint_env: None,
        }
    }

    /// Reads the usual environment: `AWS_REGION`/`AWS_DEFAULT_REGION` (else the profile's
    /// `region`), `AWS_PROFILE`, `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`,
    /// `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_MAX_ATTEMPTS`, and
    /// credentials from the environment or the shared files (static keys).
    ///
    /// Missing credentials are not an error here: calls then fail with a credentials
    /// error that says what was looked for. A malformed shared file is an error.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_vars(&Env::process())
    }

    /// [`from_env`](Self::from_env) with a given set of variables (for tests).
    pub fn from_env_vars(env: &Env) -> Result<Self, ConfigError> {
        let profiles = ProfileSet::load(env).map_err(ConfigError::Credentials)?;
        let profile_name = env
            .get("AWS_PROFILE")
            .filter(|p| !p.is_empty())
            .unwrap_or("default");
        let profile = profiles.get(profile_name);
        let get = |k: &str| env.get(k).map(str::trim).filter(|v| !v.is_empty());
        let mut c = Config::empty();
        c.region = get("AWS_REGION")
            .or_else(|| get("AWS_DEFAULT_REGION"))
            .map(str::to_string)
            .or_else(|| profile.and_then(|p| p.get("region")).cloned());
        // The default chain, resolved at the first call and cached until expiry.
        c.credentials = Some(SharedCredentialsProvider::new(CachingProvider::new(
            DefaultChain::new(env, &profiles),
        )));
        let ignore_endpoints =
            parse_bool(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.unwrap_or(false);
        if !ignore_endpoints {
            c.global_endpoint_env = get("AWS_ENDPOINT_URL")
                .map(str::to_string)
                .or_else(|| profile.and_then(|p| p.get("endpoint_url")).cloned());
            c.service_endpoint_env = Env::from_pairs(
                env_pairs(env)
                    .filter(|(k, v)| k.starts_with("AWS_ENDPOINT_URL_") && !v.trim().is_empty()),
            );
        }
        c.use_fips = parse_bool(env, "AWS_USE_FIPS_ENDPOINT")?.unwrap_or(false);
        c.use_dual_stack = parse_bool(env, "AWS_USE_DUALSTACK_ENDPOINT")?.unwrap_or(false);
        if parse_bool(env, "AWS_DISABLE_REQUEST_COMPRESSION")?.unwrap_or(false) {
            c.request_compression = None;
        } else if let Some(n) = get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES") {
            let n: usize = n.parse().ok().filter(|n| *n <= 10_485_760).ok_or_else(|| {
                ConfigError::InvalidVariable {
                    name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES".into(),
                    reason: format!("`{n}` is not a whole number from 0 to 10485760"),
                }
            })?;
            c.request_compression = Some(n);
        }
        if let Some(n) = get("AWS_MAX_ATTEMPTS") {
            let n: u32 =
                n.parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| ConfigError::InvalidVariable {
                        name: "AWS_MAX_ATTEMPTS".into(),
                        reason: format!("`{n}` is not a whole number of at least 1"),
                    })?;
            c.retry = c.retry.with_max_attempts(n);
        }
        Ok(c)
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
    /// The credentials provider, if one is configured (`from_env` always configures the
    /// default chain).
    pub fn credentials_provider(&self) -> Option<&SharedCredentialsProvider> {
        self.credentials.as_ref()
    }
    /// The endpoint URL set with [`ConfigBuilder::endpoint_url`], if any. (Endpoints from
    /// `AWS_ENDPOINT_URL*` variables are applied per service when the client is built:
    /// an explicit URL, then `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`.)
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }
    /// The endpoint URL configured for a service, by precedence: an explicit
    /// [`ConfigBuilder::endpoint_url`], then `AWS_ENDPOINT_URL_<SERVICE ID>`, then
    /// `AWS_ENDPOINT_URL_<ENDPOINT PREFIX>`, then `AWS_ENDPOINT_URL` (or the profile's
    /// `endpoint_url`). `None`: the endpoint comes from the service's rules.
    pub fn endpoint_url_for(&self, service_id: &str, endpoint_prefix: &str) -> Option<String> {
        if let Some(url) = &self.endpoint_url {
            return Some(url.clone());
        }
        [service_id, endpoint_prefix]
            .iter()
            .find_map(|name| {
                self.service_endpoint_env
                    .get(&service_endpoint_variable(name))
            })
            .map(str::to_string)
            .or_else(|| self.global_endpoint_env.clone())
    }
    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }
    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }
    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }
}

/// The service-specific endpoint variable of a service id or endpoint prefix:
/// `Database Migration Service` gives `AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE`.
pub fn service_endpoint_variable(service_id: &str) -> String {
    let mut s = String::from("AWS_ENDPOINT_URL_");
    for c in service_id.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_uppercase());
        } else {
            s.push('_');
        }
    }
    s
}

fn env_pairs(env: &Env) -> impl Iterator<Item = (String, String)> + '_ {
    const PREFIX: &str = "AWS_ENDPOINT_URL_";
    env.keys()
        .filter(|k| k.starts_with(PREFIX))
        .filter_map(move |k| Some((k.to_string(), env.get(k)?.to_string())))
}

fn parse_bool(env: &Env, name: &str) -> Result<Option<bool>, ConfigError> {
    match env.get(name).map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(ConfigError::InvalidVariable {
            name: name.into(),
            reason: format!("`{v}` is neither true nor false"),
        }),
    }
}

/// Builds a [`Config`].
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// The region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }
    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(SharedCredentialsProvider::new(credentials));
        self.config.credentials_error = None;
        self
    }
    /// A credentials provider (called before each attempt).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(SharedCredentialsProvider::new(provider));
        self.config.credentials_error = None;
        self
    }
    /// Sends every request to this URL (`http://127.0.0.1:4566`) instead of the resolved endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }
    /// Use the FIPS endpoint.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.config.use_fips = on;
        self
    }
    /// Use the dual-stack (IPv6) endpoint.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.config.use_dual_stack = on;
        self
    }
    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }
    /// Timeouts.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }
    /// A transport other than the default hyper client.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.config.http_client = Some(SharedHttpClient::new(client));
        self
    }
    /// A clock other than the system's (for reproducible signatures in tests).
    pub fn time_source(mut self, f: impl Fn() -> DateTime + Send + Sync + 'static) -> Self {
        self.config.time_source = Some(Arc::new(f));
        self
    }
    /// Request compression for operations whose model allows it: `Some(min_bytes)` gzips
    /// bodies of at least that size (default 10240), `None` never compresses.
    pub fn request_compression(mut self, min_bytes: Option<usize>) -> Self {
        self.config.request_compression = min_bytes;
        self
    }
    /// The largest response body accepted (default 64 MiB).
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.config.max_response_body = bytes;
        self
    }
    /// The configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_variables() {
        assert_eq!(
            service_endpoint_variable("Database Migration Service"),
            "AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE"
        );
        assert_eq!(service_endpoint_variable("dms"), "AWS_ENDPOINT_URL_DMS");
    }

    #[test]
    fn endpoint_url_precedence() {
        let env = |pairs: &[(&str, &str)]| {
            let mut all = vec![("HOME", "/nonexistent")];
            all.extend_from_slice(pairs);
            Config::from_env_vars(&Env::from_pairs(all.iter().copied())).unwrap()
        };
        let id = "Database Migration Service";
        let all = [
            ("AWS_ENDPOINT_URL", "http://global"),
            ("AWS_ENDPOINT_URL_DMS", "http://prefix"),
            ("AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE", "http://id"),
        ];
        assert_eq!(
            env(&all).endpoint_url_for(id, "dms").as_deref(),
            Some("http://id")
        );
        assert_eq!(
            env(&all[..2]).endpoint_url_for(id, "dms").as_deref(),
            Some("http://prefix")
        );
        assert_eq!(
            env(&all[..1]).endpoint_url_for(id, "dms").as_deref(),
            Some("http://global")
        );
        assert_eq!(env(&[]).endpoint_url_for(id, "dms"), None);
        let explicit = env(&all)
            .to_builder()
            .endpoint_url("http://explicit")
            .build();
        assert_eq!(
            explicit.endpoint_url_for(id, "dms").as_deref(),
            Some("http://explicit")
        );
        let ignored = env(&[all[0], ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
        assert_eq!(ignored.endpoint_url_for(id, "dms"), None);
    }

    #[test]
    fn from_env_reads_the_usual_variables() {
        let env = Env::from_pairs([
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
            ("AWS_ENDPOINT_URL_DMS", "http://localhost:9999"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ]);
        let c = Config::from_env_vars(&env).unwrap();
        assert_eq!(c.region(), Some("eu-west-1"));
        assert_eq!(c.endpoint_url(), None);
        assert_eq!(
            c.global_endpoint_env.as_deref(),
            Some("http://localhost:4566")
        );
        assert_eq!(
            c.service_endpoint_env.get("AWS_ENDPOINT_URL_DMS"),
            Some("http://localhost:9999")
        );
        assert!(c.use_fips);
        assert_eq!(c.retry.max_attempts, 5);
        assert!(c.credentials.is_some());
        // AWS_REGION wins over AWS_DEFAULT_REGION.
        let env2 = Env::from_pairs([
            ("AWS_REGION", "us-west-2"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("HOME", "/nonexistent"),
        ]);
        assert_eq!(
            Config::from_env_vars(&env2).unwrap().region(),
            Some("us-west-2")
        );
    }

    #[test]
    fn bad_variables_are_errors() {
        let env = Env::from_pairs([("AWS_USE_FIPS_ENDPOINT", "maybe"), ("HOME", "/nonexistent")]);
        assert!(
            matches!(Config::from_env_vars(&env), Err(ConfigError::InvalidVariable { name, .. }) if name == "AWS_USE_FIPS_ENDPOINT")
        );
        let env = Env::from_pairs([("AWS_MAX_ATTEMPTS", "0"), ("HOME", "/nonexistent")]);
        assert!(Config::from_env_vars(&env).is_err());
    }

    #[tokio::test]
    async fn profile_gives_region_and_keys() {
        let dir = std::env::temp_dir().join(format!("awsgen-cfg-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(
            dir.join(".aws/config"),
            "[profile dev]\nregion = ap-south-1\n",
        )
        .unwrap();
        std::fs::write(
            dir.join(".aws/credentials"),
            "[dev]\naws_access_key_id = PA\naws_secret_access_key = PS\n",
        )
        .unwrap();
        let env = |profile: &str| {
            Env::from_pairs([
                ("HOME", dir.to_str().unwrap()),
                ("AWS_PROFILE", profile),
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ])
        };
        let c = Config::from_env_vars(&env("dev")).unwrap();
        assert_eq!(c.region(), Some("ap-south-1"));
        let creds = c
            .credentials
            .as_ref()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "PA");
        // No credentials anywhere: not an error until a call needs them.
        let c = Config::from_env_vars(&env("nobody")).unwrap();
        let e = c
            .credentials
            .as_ref()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(e.to_string().contains("profile `nobody`"), "{e}");
        let env = env("nobody");
        // A malformed file is.
        std::fs::write(dir.join(".aws/credentials"), "[dev\n").unwrap();
        assert!(matches!(
            Config::from_env_vars(&env),
            Err(ConfigError::Credentials(CredentialsError::InvalidFile {
                line: 1,
                ..
            }))
        ));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn debug_has_no_secrets() {
        let c = Config::builder()
            .credentials(Credentials::new(
                "AKID",
                "SUPERSECRET",
                Some("TOKENTOKEN".into()),
                None,
                "static",
            ))
            .build();
        let d = format!("{c:?}");
        assert!(
            !d.contains("SUPERSECRET") && !d.contains("TOKENTOKEN"),
            "{d}"
        );
    }
}
