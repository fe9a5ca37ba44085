//! Client configuration: region, credentials, endpoint, retries, timeouts, transport.

use crate::credentials::{
    CachingProvider, Credentials, CredentialsError, DefaultChain, Env, ImdsProvider, ProfileSet,
    ProvideCredentials, ProviderSettings, SharedCredentialsProvider,
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
    /// Establishing a connection (name lookup and TCP, each address family tried as Happy
    /// Eyeballs does). Default 3.1 s, as botocore's standard defaults.
    pub connect: Option<Duration>,
    /// Each wait for the socket, between bytes (botocore's `read_timeout`): the TLS
    /// handshake, the response head, every piece of a body, every write. Default 60 s, as
    /// botocore's. A download that keeps receiving never times out.
    pub read: Option<Duration>,
    /// One attempt: sending the request and reading the response (its head, for an
    /// output that streams). Default none, as botocore: the read timeout bounds stalls,
    /// and a large upload or download takes as long as it takes.
    pub attempt: Option<Duration>,
    /// The whole operation, retries and backoff included. Default none.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(crate::http::DEFAULT_CONNECT_TIMEOUT),
            read: Some(crate::http::DEFAULT_READ_TIMEOUT),
            attempt: None,
            operation: None,
        }
    }
}

/// Where the client gets the current time (for signing); replaceable in tests.
pub type TimeSource = Arc<dyn Fn() -> DateTime + Send + Sync>;

/// Where the client gets idempotency tokens for members the caller left unset;
/// replaceable in tests.
pub type TokenSource = Arc<dyn Fn() -> String + Send + Sync>;

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
    /// Operations' `endpoint.hostPrefix` is not put before the endpoint's host
    /// (botocore's `inject_host_prefix=False`, `disable_host_prefix_injection`).
    pub(crate) disable_host_prefix: bool,
    pub(crate) s3: crate::s3::S3Config,
    pub(crate) checksum_calculation: crate::checksum::Calculation,
    pub(crate) checksum_validation: crate::checksum::Validation,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) time_source: Option<TimeSource>,
    /// Makes idempotency tokens; `None`: a random UUID v4 each time.
    pub(crate) idempotency_tokens: Option<TokenSource>,
    pub(crate) max_response_body: usize,
    /// Gzip request bodies of at least this many bytes for operations that allow it;
    /// `None` disables request compression.
    pub(crate) request_compression: Option<usize>,
    /// `AWS_ENDPOINT_URL_<SERVICE>` variables seen by `from_env`, for the client to pick its own.
    pub(crate) service_endpoint_env: Env,
    /// `AWS_ENDPOINT_URL`: below the service-specific one.
    pub(crate) global_endpoint_env: Option<String>,
    /// The profile's `services` section: endpoint URLs by service (`database_migration_service`).
    pub(crate) service_endpoint_config: std::collections::BTreeMap<String, String>,
    /// The profile's `endpoint_url`: the last resort before the rules.
    pub(crate) global_endpoint_config: Option<String>,
    /// Extra trusted roots (`ca_bundle` / `AWS_CA_BUNDLE`), DER.
    pub(crate) extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// The proxies of the default transport; `None`: the process environment's.
    pub(crate) proxy: Option<crate::http::ProxyConfig>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field(
                "endpoint_url",
                &self
                    .endpoint_url
                    .as_deref()
                    .map(crate::endpoint::redact_userinfo),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("disable_host_prefix", &self.disable_host_prefix)
            .field("s3", &self.s3)
            .field("checksum_calculation", &self.checksum_calculation)
            .field("checksum_validation", &self.checksum_validation)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("max_response_body", &self.max_response_body)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

/// The configuration could not be read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A shared config or credentials file is malformed.
    Credentials(CredentialsError),
    /// The region was asked of IMDS, which could not give it.
    Region {
        /// Why (the URL and what failed; never a token).
        reason: String,
    },
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
            ConfigError::Region { reason } => {
                write!(
                    f,
                    "no region configured, and IMDS did not give one: {reason}"
                )
            }
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
            disable_host_prefix: false,
            s3: crate::s3::S3Config::default(),
            checksum_calculation: Default::default(),
            checksum_validation: Default::default(),
            retry: RetryConfig::default(),
            timeouts: TimeoutConfig::default(),
            http_client: None,
            time_source: None,
            idempotency_tokens: None,
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            request_compression: Some(DEFAULT_MIN_COMPRESSION_SIZE),
            service_endpoint_env: Env::default(),
            global_endpoint_env: None,
            service_endpoint_config: Default::default(),
            global_endpoint_config: None,
            extra_roots: Vec::new(),
            proxy: None,
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

    /// [`from_env`](Self::from_env), then, when neither the environment nor the profile
    /// names a region, the region of the EC2 instance from IMDS (the region chain's last
    /// step, which the SDKs also take only when asked; IMDS settings as for credentials,
    /// 1 s timeouts). Fails when IMDS is asked and cannot answer, or is disabled.
    pub async fn from_env_with_imds_region() -> Result<Self, ConfigError> {
        Self::from_env_vars_with_imds_region(&Env::process()).await
    }

    /// [`from_env_with_imds_region`](Self::from_env_with_imds_region) with a given set of
    /// variables (for tests).
    pub async fn from_env_vars_with_imds_region(env: &Env) -> Result<Self, ConfigError> {
        let mut c = Self::from_env_vars(env)?;
        if c.region.is_some() {
            return Ok(c);
        }
        let profiles = ProfileSet::load(env).map_err(ConfigError::Credentials)?;
        let imds_error = |e: CredentialsError| ConfigError::Region {
            reason: match e {
                CredentialsError::ProviderError { reason, .. }
                | CredentialsError::NotLoaded { reason, .. } => reason,
                other => other.to_string(),
            },
        };
        let imds = ImdsProvider::from_env(env, &profiles, profile_name(env))
            .map_err(imds_error)?
            .ok_or_else(|| ConfigError::Region {
                reason: "AWS_EC2_METADATA_DISABLED is true".into(),
            })?;
        let region = imds.region().await.map_err(imds_error)?;
        // STS, for role credentials, is reached in this region too.
        c.credentials = Some(SharedCredentialsProvider::new(CachingProvider::new(
            DefaultChain::with_settings(
                env,
                &profiles,
                Some(&region),
                &provider_settings(env, &profiles, &c.extra_roots),
            ),
        )));
        c.region = Some(region);
        Ok(c)
    }

    /// [`from_env`](Self::from_env) with a given set of variables (for tests).
    pub fn from_env_vars(env: &Env) -> Result<Self, ConfigError> {
        let profiles = ProfileSet::load(env).map_err(ConfigError::Credentials)?;
        let profile_name = profile_name(env);
        let s = Settings {
            env,
            profile: profiles.get(profile_name),
        };
        let mut c = Config::empty();
        c.region = s
            .get("AWS_REGION", "region")
            .or_else(|| s.get("AWS_DEFAULT_REGION", "region"));
        if let Some(path) = s.get("AWS_CA_BUNDLE", "ca_bundle") {
            c.extra_roots = load_ca_bundle(&path)?;
        }
        // HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY (the profile has no proxy keys).
        c.proxy = Some(crate::http::ProxyConfig::from_vars(|name| {
            env.get(name).map(str::to_string)
        }));
        // The default chain, resolved at the first call and cached until expiry.
        c.credentials = Some(SharedCredentialsProvider::new(CachingProvider::new(
            DefaultChain::with_settings(
                env,
                &profiles,
                c.region.as_deref(),
                &provider_settings(env, &profiles, &c.extra_roots),
            ),
        )));
        if !s
            .bool(
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                "ignore_configured_endpoint_urls",
            )?
            .unwrap_or(false)
        {
            c.endpoints_from(env, &s, &profiles);
        }
        c.use_fips = s
            .bool("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?
            .unwrap_or(false);
        c.use_dual_stack = s
            .bool("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?
            .unwrap_or(false);
        c.disable_host_prefix = s
            .bool(
                "AWS_DISABLE_HOST_PREFIX_INJECTION",
                "disable_host_prefix_injection",
            )?
            .unwrap_or(false);
        if s.bool(
            "AWS_DISABLE_REQUEST_COMPRESSION",
            "disable_request_compression",
        )?
        .unwrap_or(false)
        {
            c.request_compression = None;
        } else if let Some(n) = s.get(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "request_min_compression_size_bytes",
        ) {
            c.request_compression =
                Some(s.number("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", &n, 0, 10_485_760)?);
        }
        c.retry = s.retry()?;
        c.s3 = crate::s3::S3Config::from_settings(
            |var, key| {
                if key.is_empty() {
                    env.get(var).map(str::to_string)
                } else {
                    s.get(var, key)
                }
            },
            s.profile.and_then(|p| p.get("s3")).map(String::as_str),
        );
        (c.checksum_calculation, c.checksum_validation) = s.checksums()?;
        Ok(c)
    }

    /// The endpoint settings of the environment and the profile (and its `services`
    /// section), for [`endpoint_url_for`](Self::endpoint_url_for).
    fn endpoints_from(&mut self, env: &Env, s: &Settings<'_>, profiles: &ProfileSet) {
        self.global_endpoint_env = env
            .get("AWS_ENDPOINT_URL")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string);
        self.service_endpoint_env = Env::from_pairs(
            env_pairs(env)
                .filter(|(k, v)| k.starts_with("AWS_ENDPOINT_URL_") && !v.trim().is_empty()),
        );
        self.global_endpoint_config = s.profile.and_then(|p| p.get("endpoint_url")).cloned();
        let services = s
            .profile
            .and_then(|p| p.get("services"))
            .and_then(|name| profiles.services(name));
        for (service, value) in services.into_iter().flatten() {
            // `dms =` followed by indented `endpoint_url = ...` sub-properties.
            let url = value.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == "endpoint_url").then(|| v.trim().to_string())
            });
            if let Some(url) = url.filter(|u| !u.is_empty()) {
                self.service_endpoint_config.insert(service.clone(), url);
            }
        }
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
    /// The endpoint URL configured for a service, by the SDKs' precedence: an explicit
    /// [`ConfigBuilder::endpoint_url`], then `AWS_ENDPOINT_URL_<SERVICE ID>` (or
    /// `_<ENDPOINT PREFIX>`), then `AWS_ENDPOINT_URL`, then the profile's `services`
    /// section for the service, then the profile's `endpoint_url`. `None`: the endpoint
    /// comes from the service's rules.
    pub fn endpoint_url_for(&self, service_id: &str, endpoint_prefix: &str) -> Option<String> {
        if let Some(url) = &self.endpoint_url {
            return Some(url.clone());
        }
        let config_key = |name: &str| name.to_ascii_lowercase().replace([' ', '-'], "_");
        [service_id, endpoint_prefix]
            .iter()
            .find_map(|name| {
                self.service_endpoint_env
                    .get(&service_endpoint_variable(name))
            })
            .map(str::to_string)
            .or_else(|| self.global_endpoint_env.clone())
            .or_else(|| {
                [service_id, endpoint_prefix]
                    .iter()
                    .find_map(|name| self.service_endpoint_config.get(&config_key(name)))
                    .cloned()
            })
            .or_else(|| self.global_endpoint_config.clone())
    }
    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }
    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The proxies the default transport uses, when configured ([`ConfigBuilder::proxy`],
    /// or read by `from_env`); `None`: the process environment's, read when a client is
    /// built.
    pub fn proxy(&self) -> Option<&crate::http::ProxyConfig> {
        self.proxy.as_ref()
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
        }
    }
}

/// A setting read from its environment variable, else from the profile's key (as the
/// SDKs read them); unknown profile keys are ignored.
struct Settings<'a> {
    env: &'a Env,
    profile: Option<&'a crate::credentials::Profile>,
}

impl Settings<'_> {
    /// `request_checksum_calculation` and `response_checksum_validation` (and their
    /// variables): `when_supported` (the default) or `when_required`, in any case.
    fn checksums(
        &self,
    ) -> Result<(crate::checksum::Calculation, crate::checksum::Validation), ConfigError> {
        let read = |var: &str, key: &str| -> Result<bool, ConfigError> {
            match self
                .get(var, key)
                .map(|v| v.to_ascii_lowercase())
                .as_deref()
            {
                None | Some("when_supported") => Ok(true),
                Some("when_required") => Ok(false),
                Some(other) => Err(ConfigError::InvalidVariable {
                    name: format!("{var} (or `{key}` in the profile)"),
                    reason: format!("`{other}` is neither when_supported nor when_required"),
                }),
            }
        };
        let calculation = match read(
            "AWS_REQUEST_CHECKSUM_CALCULATION",
            "request_checksum_calculation",
        )? {
            true => crate::checksum::Calculation::WhenSupported,
            false => crate::checksum::Calculation::WhenRequired,
        };
        let validation = match read(
            "AWS_RESPONSE_CHECKSUM_VALIDATION",
            "response_checksum_validation",
        )? {
            true => crate::checksum::Validation::WhenSupported,
            false => crate::checksum::Validation::WhenRequired,
        };
        Ok((calculation, validation))
    }

    fn get(&self, var: &str, key: &str) -> Option<String> {
        self.env
            .get(var)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .or_else(|| {
                self.profile
                    .and_then(|p| p.get(key))
                    .map(|v| v.trim().to_string())
            })
    }

    fn bool(&self, var: &str, key: &str) -> Result<Option<bool>, ConfigError> {
        match self.get(var, key) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ConfigError::InvalidVariable {
                name: format!("{var} (or `{key}` in the profile)"),
                reason: format!("`{v}` is neither true nor false"),
            }),
        }
    }

    fn number<T: std::str::FromStr + PartialOrd + fmt::Display>(
        &self,
        var: &str,
        v: &str,
        min: T,
        max: T,
    ) -> Result<T, ConfigError> {
        v.parse()
            .ok()
            .filter(|n| *n >= min && *n <= max)
            .ok_or_else(|| ConfigError::InvalidVariable {
                name: var.into(),
                reason: format!("`{v}` is not a whole number from {min} to {max}"),
            })
    }

    /// `retry_mode` (`standard`, `legacy`, `adaptive`) and `max_attempts`.
    fn retry(&self) -> Result<RetryConfig, ConfigError> {
        let mut retry = match self.get("AWS_RETRY_MODE", "retry_mode").as_deref() {
            None | Some("standard") => RetryConfig::default(),
            Some("legacy") => RetryConfig::legacy(),
            Some("adaptive") => RetryConfig::default().with_mode(crate::retry::RetryMode::Adaptive),
            Some(other) => {
                return Err(ConfigError::InvalidVariable {
                    name: "AWS_RETRY_MODE (or `retry_mode` in the profile)".into(),
                    reason: format!("`{other}` is not standard, legacy or adaptive"),
                })
            }
        };
        if let Some(n) = self.get("AWS_MAX_ATTEMPTS", "max_attempts") {
            retry = retry.with_max_attempts(self.number("AWS_MAX_ATTEMPTS", &n, 1, u32::MAX)?);
        }
        Ok(retry)
    }
}

/// The endpoint URL the environment and the selected profile configure for a service
/// the credential providers call (`STS`, `SSO`, `SSO OIDC`), with the precedence the
/// client's own endpoint has: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
/// profile's `services` section, its `endpoint_url`; none when
/// `ignore_configured_endpoint_urls` is set.
fn configured_endpoint(env: &Env, profiles: &ProfileSet, service_id: &str) -> Option<String> {
    let s = Settings {
        env,
        profile: profiles.get(profile_name(env)),
    };
    let ignore = s
        .bool(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        )
        .ok()
        .flatten()
        .unwrap_or(false);
    if ignore {
        return None;
    }
    let mut c = Config::empty();
    c.endpoints_from(env, &s, profiles);
    c.endpoint_url_for(service_id, service_id)
        .map(|u| u.trim_end_matches('/').to_string())
}

/// What the credential providers' STS and SSO calls take from this configuration: the
/// endpoints configured for them and the extra trusted roots.
fn provider_settings(
    env: &Env,
    profiles: &ProfileSet,
    extra_roots: &[rustls::pki_types::CertificateDer<'static>],
) -> ProviderSettings {
    ProviderSettings {
        sts_endpoint: configured_endpoint(env, profiles, "STS"),
        sso_endpoint: configured_endpoint(env, profiles, "SSO"),
        sso_oidc_endpoint: configured_endpoint(env, profiles, "SSO OIDC"),
        extra_roots: extra_roots.to_vec(),
    }
}

/// The profile the environment selects (`AWS_PROFILE`, else `default`).
fn profile_name(env: &Env) -> &str {
    env.get("AWS_PROFILE")
        .filter(|p| !p.is_empty())
        .unwrap_or("default")
}

/// The certificates of a PEM bundle (`ca_bundle`, `AWS_CA_BUNDLE`).
fn load_ca_bundle(
    path: &str,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, ConfigError> {
    use rustls::pki_types::pem::PemObject;
    let err = |reason: String| ConfigError::InvalidVariable {
        name: "AWS_CA_BUNDLE (or `ca_bundle` in the profile)".into(),
        reason: format!("{path}: {reason}"),
    };
    let certs: Vec<_> = rustls::pki_types::CertificateDer::pem_file_iter(path)
        .map_err(|e| err(format!("cannot be read ({e})")))?
        .collect::<Result<_, _>>()
        .map_err(|e| err(format!("is not a PEM certificate bundle ({e})")))?;
    if certs.is_empty() {
        return Err(err("holds no certificate".into()));
    }
    Ok(certs)
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
    /// Send operations that have an `endpoint.hostPrefix` (CloudWatch Logs'
    /// `StartLiveTail` to `streaming-<host>`, ...) to the endpoint's host as it is:
    /// botocore's `inject_host_prefix=False`, also read from
    /// `AWS_DISABLE_HOST_PREFIX_INJECTION` and the profile's
    /// `disable_host_prefix_injection`. For endpoints that are addresses or proxies.
    pub fn disable_host_prefix_injection(mut self, on: bool) -> Self {
        self.config.disable_host_prefix = on;
        self
    }
    /// S3's own settings (addressing style, acceleration, ARN regions, the `us-east-1`
    /// endpoint); S3 and S3 Control clients read them, others ignore them.
    pub fn s3(mut self, s3: crate::s3::S3Config) -> Self {
        self.config.s3 = s3;
        self
    }
    /// S3 path-style addressing (`s3.region.amazonaws.com/bucket`) for every bucket
    /// (`true`), or as S3's rules choose (`false`, the default).
    pub fn force_path_style(mut self, on: bool) -> Self {
        self.config.s3 = self.config.s3.force_path_style(on);
        self
    }
    /// S3 Transfer Acceleration endpoints.
    pub fn accelerate(mut self, on: bool) -> Self {
        self.config.s3 = self.config.s3.accelerate(on);
        self
    }
    /// When request checksums are sent: for every operation that supports one (the
    /// default), or only where required (`request_checksum_calculation`).
    pub fn request_checksum_calculation(mut self, c: crate::checksum::Calculation) -> Self {
        self.config.checksum_calculation = c;
        self
    }
    /// When response checksums are checked: for every operation that supports it (the
    /// default), or only when the input enables it (`response_checksum_validation`).
    pub fn response_checksum_validation(mut self, v: crate::checksum::Validation) -> Self {
        self.config.checksum_validation = v;
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
    /// Idempotency tokens from `f` instead of random UUID v4s (for reproducible requests
    /// in tests). Tokens the caller sets are always sent as they are.
    pub fn idempotency_token_source(
        mut self,
        f: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.config.idempotency_tokens = Some(Arc::new(f));
        self
    }
    /// Request compression for operations whose model allows it: `Some(min_bytes)` gzips
    /// bodies of at least that size (default 10240), `None` never compresses.
    pub fn request_compression(mut self, min_bytes: Option<usize>) -> Self {
        self.config.request_compression = min_bytes;
        self
    }
    /// The proxies of the default transport, instead of the environment's
    /// (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`);
    /// [`ProxyConfig::disabled`](crate::ProxyConfig::disabled) for none.
    pub fn proxy(mut self, proxy: crate::http::ProxyConfig) -> Self {
        self.config.proxy = Some(proxy);
        self
    }
    /// The largest response body accepted, of outputs read whole (default 64 MiB).
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

    /// The checksum settings and S3's nested section, as botocore reads them.
    #[test]
    fn checksum_and_s3_settings() {
        let dir = std::env::temp_dir().join(format!("awsgen-s3-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(
            &config,
            "[default]\nregion = us-east-1\nrequest_checksum_calculation = WHEN_REQUIRED\n\
             s3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n",
        )
        .unwrap();
        let env = Env::from_pairs([
            ("AWS_CONFIG_FILE".to_string(), config.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_string(),
                "/nonexistent".to_string(),
            ),
            (
                "AWS_RESPONSE_CHECKSUM_VALIDATION".to_string(),
                "when_required".to_string(),
            ),
            (
                "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT".to_string(),
                "regional".to_string(),
            ),
        ]);
        let c = Config::from_env_vars(&env).unwrap();
        assert_eq!(
            c.checksum_calculation,
            crate::checksum::Calculation::WhenRequired
        );
        assert_eq!(
            c.checksum_validation,
            crate::checksum::Validation::WhenRequired
        );
        let s3 = c.s3.params(Some("us-east-1"), None);
        assert!(s3.accelerate && !s3.use_global_endpoint);
        assert_eq!(c.s3.addressing_style, crate::s3::AddressingStyle::Path);
        let bad = Env::from_pairs([
            ("AWS_CONFIG_FILE".to_string(), "/nonexistent".to_string()),
            (
                "AWS_REQUEST_CHECKSUM_CALCULATION".to_string(),
                "sometimes".to_string(),
            ),
        ]);
        let e = Config::from_env_vars(&bad).unwrap_err().to_string();
        assert!(
            e.contains("AWS_REQUEST_CHECKSUM_CALCULATION") && e.contains("sometimes"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn from_files(env: &[(&str, &str)], config: &str) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!(
            "awsgen-settings-{}-{}",
            std::process::id(),
            config.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config");
        std::fs::write(&file, config).unwrap();
        let mut vars = vec![
            ("HOME", "/nonexistent".to_string()),
            ("AWS_CONFIG_FILE", file.to_str().unwrap().to_string()),
        ];
        vars.extend(env.iter().map(|(k, v)| (*k, v.to_string())));
        let c = Config::from_env_vars(&Env::from_pairs(vars));
        std::fs::remove_dir_all(&dir).ok();
        c
    }

    #[test]
    fn profile_settings_the_sdks_honour() {
        let config = "[default]\nregion = eu-north-1\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\ndisable_host_prefix_injection = true\nmax_attempts = 7\nretry_mode = legacy\nendpoint_url = http://global:1\nservices = local\nunknown_setting = ignored\n[services local]\ndatabase_migration_service =\n  endpoint_url = http://dms:2\n";
        let c = from_files(&[], config).unwrap();
        assert_eq!(c.region(), Some("eu-north-1"));
        assert!(c.use_fips && c.use_dual_stack && c.disable_host_prefix);
        assert_eq!(
            (c.retry.max_attempts, c.retry.mode),
            (7, crate::retry::RetryMode::Legacy)
        );
        let id = "Database Migration Service";
        assert_eq!(
            c.endpoint_url_for(id, "dms").as_deref(),
            Some("http://dms:2")
        );
        assert_eq!(
            c.endpoint_url_for("Other Service", "other").as_deref(),
            Some("http://global:1")
        );
        // The environment wins over the profile, setting by setting.
        let c = from_files(
            &[
                ("AWS_MAX_ATTEMPTS", "2"),
                ("AWS_RETRY_MODE", "standard"),
                ("AWS_ENDPOINT_URL", "http://env:3"),
            ],
            config,
        )
        .unwrap();
        assert_eq!(
            (c.retry.max_attempts, c.retry.mode),
            (2, crate::retry::RetryMode::Standard)
        );
        assert_eq!(
            c.endpoint_url_for(id, "dms").as_deref(),
            Some("http://env:3")
        );
        let ignored = from_files(
            &[],
            &format!("{config}ignore_configured_endpoint_urls = true\n"),
        );
        // (the line lands in the services section: the profile's own setting is what counts)
        assert!(ignored.is_ok());
        let c = from_files(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")], config).unwrap();
        assert_eq!(c.endpoint_url_for(id, "dms"), None);
        for (config, says) in [
            (
                "[default]\nretry_mode = sometimes\n",
                "not standard, legacy or adaptive",
            ),
            (
                "[default]\nuse_fips_endpoint = maybe\n",
                "use_fips_endpoint",
            ),
            ("[default]\nmax_attempts = 0\n", "not a whole number"),
        ] {
            let e = from_files(&[], config).unwrap_err().to_string();
            assert!(e.contains(says), "{config}: {e}");
        }
    }

    #[test]
    fn a_ca_bundle_adds_trusted_roots() {
        let pem =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ca/test-root.pem");
        let c = from_files(&[("AWS_CA_BUNDLE", pem.to_str().unwrap())], "").unwrap();
        assert_eq!(c.extra_roots.len(), 1);
        assert!(crate::http::default_client(None, &c.extra_roots).is_ok());
        let e = from_files(&[("AWS_CA_BUNDLE", "/nonexistent/ca.pem")], "")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/nonexistent/ca.pem") && e.contains("cannot be read"),
            "{e}"
        );
        let e = from_files(&[], "[default]\nca_bundle = /etc/hostname\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("holds no certificate") || e.contains("not a PEM"),
            "{e}"
        );
    }

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
            matches!(Config::from_env_vars(&env), Err(ConfigError::InvalidVariable { name, .. }) if name.starts_with("AWS_USE_FIPS_ENDPOINT"))
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

    /// A one-thread HTTP server on 127.0.0.1 that answers every request with `region`
    /// (the token request too) and counts the requests.
    fn fake_imds(region: &'static str) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = count.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    if line == "\r\n" {
                        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let mut out = &stream;
                        let _ = write!(
                            out,
                            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{region}",
                            region.len()
                        );
                    }
                    line.clear();
                }
            }
        });
        (url, count)
    }

    #[tokio::test]
    async fn the_region_comes_from_imds_only_when_asked_and_missing() {
        let (url, count) = fake_imds("ap-northeast-3");
        let env = |extra: &[(&str, &str)]| {
            let mut vars = vec![
                ("HOME", "/nonexistent".to_string()),
                ("AWS_CONFIG_FILE", "/nonexistent/config".to_string()),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.clone()),
            ];
            vars.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
            Env::from_pairs(vars)
        };
        assert_eq!(Config::from_env_vars(&env(&[])).unwrap().region(), None);
        assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 0);
        let c = Config::from_env_vars_with_imds_region(&env(&[]))
            .await
            .unwrap();
        assert_eq!(c.region(), Some("ap-northeast-3"));
        assert_eq!(
            count.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "token, region"
        );
        let c = Config::from_env_vars_with_imds_region(&env(&[("AWS_REGION", "us-west-1")]))
            .await
            .unwrap();
        assert_eq!(c.region(), Some("us-west-1"));
        assert_eq!(
            count.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "not asked"
        );
        let e =
            Config::from_env_vars_with_imds_region(&env(&[("AWS_EC2_METADATA_DISABLED", "true")]))
                .await
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no region configured, and IMDS did not give one: AWS_EC2_METADATA_DISABLED is true"
        );
    }

    #[test]
    fn providers_get_the_configured_endpoints_and_roots() {
        let pem = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/ca/test-root.pem"
        );
        let config = "[default]\nservices = dev\n[services dev]\nsts =\n  endpoint_url = http://sts.internal:8443/\nsso_oidc =\n  endpoint_url = http://oidc.internal\n";
        let profiles =
            ProfileSet::parse(Some((std::path::Path::new("config"), config)), None).unwrap();
        let settings = |env: &[(&str, &str)]| {
            provider_settings(&Env::from_pairs(env.iter().copied()), &profiles, &[])
        };
        let s = settings(&[]);
        assert_eq!(s.sts_endpoint.as_deref(), Some("http://sts.internal:8443"));
        assert_eq!(s.sso_oidc_endpoint.as_deref(), Some("http://oidc.internal"));
        assert_eq!(s.sso_endpoint, None);
        let s = settings(&[
            ("AWS_ENDPOINT_URL_STS", "http://env:1"),
            ("AWS_ENDPOINT_URL", "http://all:2"),
        ]);
        assert_eq!(s.sts_endpoint.as_deref(), Some("http://env:1"));
        assert_eq!(s.sso_endpoint.as_deref(), Some("http://all:2"));
        let s = settings(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]);
        assert_eq!((s.sts_endpoint, s.sso_oidc_endpoint), (None, None));
        // The CA bundle reaches the providers through from_env.
        let c = from_files(&[("AWS_CA_BUNDLE", pem)], "").unwrap();
        assert_eq!(
            provider_settings(&Env::from_pairs([("A", "B")]), &profiles, &c.extra_roots)
                .extra_roots
                .len(),
            1
        );
        let e = from_files(&[("AWS_CA_BUNDLE", "/nonexistent/bundle.pem")], "").unwrap_err();
        assert!(e.to_string().contains("/nonexistent/bundle.pem"), "{e}");
    }
}
