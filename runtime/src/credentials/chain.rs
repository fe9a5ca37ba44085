//! The default credentials chain, in the SDKs' order: environment variables, web
//! identity, the profile (roles, SSO, static keys, `credential_process`), container credentials,
//! then IMDS. Each source that is not configured is skipped, with the reason kept; a
//! source that is configured but broken stops the chain with its error (as botocore
//! does), except IMDS, whose failure means only that this is not an EC2 instance. When no
//! source gives credentials, one error names every source and why it gave none.

use super::assume::{profile_provider, WebIdentityProvider};
use super::{
    from_env, ContainerProvider, Credentials, CredentialsError, Env, ImdsProvider, ProfileSet,
    ProvideCredentials, ProviderSettings, SharedCredentialsProvider, Sts,
};
use crate::BoxFuture;
use std::fmt;

/// One link of the chain.
enum Source {
    /// Credentials known when the chain was built (environment, static profile keys).
    Static(Credentials),
    /// A provider that fetches them; `optional` when its failure only skips it (IMDS).
    Fetch {
        provider: SharedCredentialsProvider,
        optional: bool,
    },
    /// Not configured, and why.
    Skipped(String),
    /// Configured, but unusable: the chain stops here.
    Broken(CredentialsError),
}

/// The default chain (see the module docs). Wrap it in a [`CachingProvider`](super::CachingProvider), as
/// `Config::from_env` does, so that fetched credentials are reused until they expire.
pub struct DefaultChain {
    sources: Vec<(String, Source)>,
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.sources.iter().map(|(name, s)| {
                let state = match s {
                    Source::Static(_) => "static",
                    Source::Fetch { .. } => "fetches",
                    Source::Skipped(_) => "skipped",
                    Source::Broken(_) => "broken",
                };
                format!("{name}: {state}")
            }))
            .finish()
    }
}

/// Profile settings this runtime does not act on yet: such a profile is reported, not
/// silently passed over (the `aws-config` feature's provider handles them).
impl DefaultChain {
    /// The chain for this environment and these shared files; `region` is the region STS
    /// is called in (for web identity and roles). STS and SSO are reached at their own
    /// endpoints; [`with_settings`](Self::with_settings) gives configured ones.
    pub fn new(env: &Env, profiles: &ProfileSet, region: Option<&str>) -> Self {
        Self::with_settings(env, profiles, region, &ProviderSettings::default())
    }

    /// [`new`](Self::new), with the endpoints and trusted roots of the client's
    /// configuration for the providers' own calls (as `Config::from_env` passes them).
    pub fn with_settings(
        env: &Env,
        profiles: &ProfileSet,
        region: Option<&str>,
        settings: &ProviderSettings,
    ) -> Self {
        let profile_name = env
            .get("AWS_PROFILE")
            .filter(|p| !p.is_empty())
            .unwrap_or("default");
        let explicit_profile = env.get("AWS_PROFILE").is_some_and(|p| !p.is_empty());
        let sts = Sts::new(env, settings, region);
        let sources = vec![
            ("environment".to_string(), environment(env)),
            ("web identity".to_string(), web_identity(env, &sts)),
            (
                format!("profile `{profile_name}`"),
                profile(
                    env,
                    profiles,
                    profile_name,
                    explicit_profile,
                    &sts,
                    settings,
                ),
            ),
            ("container".to_string(), container(env)),
            ("IMDS".to_string(), imds(env, profiles, profile_name)),
        ];
        DefaultChain { sources }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut reasons = Vec::new();
        for (name, source) in &self.sources {
            match source {
                Source::Static(c) => return Ok(c.clone()),
                Source::Broken(e) => return Err(e.clone()),
                Source::Skipped(why) => reasons.push(format!("{name}: {why}")),
                Source::Fetch { provider, optional } => {
                    match provider.provide_credentials().await {
                        Ok(c) => return Ok(c),
                        Err(e @ CredentialsError::NotLoaded { .. }) => {
                            reasons.push(format!("{name}: {e}"))
                        }
                        Err(e) if *optional => reasons.push(format!("{name}: {e}")),
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Err(CredentialsError::NotLoaded {
            provider: "the default chain",
            reason: reasons.join("; "),
        })
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

fn environment(env: &Env) -> Source {
    match from_env(env) {
        Ok(c) => Source::Static(c),
        Err(CredentialsError::NotLoaded { reason, .. })
            if env.get("AWS_ACCESS_KEY_ID").is_none() =>
        {
            Source::Skipped(reason)
        }
        Err(e) => Source::Broken(e),
    }
}

fn web_identity(env: &Env, sts: &Result<Sts, CredentialsError>) -> Source {
    let set = |k: &str| env.get(k).is_some_and(|v| !v.trim().is_empty());
    if !(set("AWS_WEB_IDENTITY_TOKEN_FILE") && set("AWS_ROLE_ARN")) {
        return Source::Skipped(
            "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set".into(),
        );
    }
    let sts = match sts {
        Ok(sts) => sts,
        Err(e) => return Source::Broken(e.clone()),
    };
    match WebIdentityProvider::from_env(env, sts) {
        Some(p) => Source::Fetch {
            provider: SharedCredentialsProvider::new(p),
            optional: false,
        },
        None => {
            Source::Skipped("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set".into())
        }
    }
}

fn profile(
    env: &Env,
    profiles: &ProfileSet,
    name: &str,
    explicit: bool,
    sts: &Result<Sts, CredentialsError>,
    settings: &ProviderSettings,
) -> Source {
    let broken = |reason: String| {
        Source::Broken(CredentialsError::ProviderError {
            provider: "profile",
            reason,
        })
    };
    if profiles.get(name).is_none() {
        let why = format!("profile `{name}` is not in the shared config or credentials file");
        return if explicit {
            broken(format!(
                "AWS_PROFILE names profile `{name}`, which is not in the shared config or credentials file"
            ))
        } else {
            Source::Skipped(why)
        };
    };
    let sts = match sts {
        Ok(sts) => sts,
        Err(e) => return Source::Broken(e.clone()),
    };
    match profile_provider(env, profiles, name, sts, settings) {
        Ok(Some(provider)) => Source::Fetch {
            provider,
            optional: false,
        },
        Ok(None) => Source::Skipped(format!(
            "profile `{name}` has no credentials (static keys, credential_process, role_arn or SSO)"
        )),
        Err(e) => Source::Broken(e),
    }
}

fn container(env: &Env) -> Source {
    match ContainerProvider::from_env(env) {
        Ok(Some(p)) => Source::Fetch {
            provider: SharedCredentialsProvider::new(p),
            optional: false,
        },
        Ok(None) => Source::Skipped(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set".into(),
        ),
        Err(e) => Source::Broken(e),
    }
}

fn imds(env: &Env, profiles: &ProfileSet, profile: &str) -> Source {
    match ImdsProvider::from_env(env, profiles, profile) {
        Ok(Some(p)) => Source::Fetch {
            provider: SharedCredentialsProvider::new(p),
            optional: true,
        },
        Ok(None) => Source::Skipped("AWS_EC2_METADATA_DISABLED is true".into()),
        Err(e) => Source::Broken(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn chain(env: &[(&str, &str)], config: &str) -> DefaultChain {
        let mut vars = vec![("AWS_EC2_METADATA_DISABLED", "true")];
        vars.extend_from_slice(env);
        let profiles = ProfileSet::parse(Some((Path::new("config"), config)), None).unwrap();
        DefaultChain::new(&Env::from_pairs(vars), &profiles, Some("us-east-1"))
    }

    #[tokio::test]
    async fn the_order_is_environment_then_profile() {
        let config = "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = s\n";
        let env = [("AWS_ACCESS_KEY_ID", "ENV"), ("AWS_SECRET_ACCESS_KEY", "s")];
        assert_eq!(
            chain(&env, config)
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "ENV"
        );
        assert_eq!(
            chain(&[], config)
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "PROFILE"
        );
        let process = "[profile p]\ncredential_process = echo '{\"Version\":1,\"AccessKeyId\":\"PROC\",\"SecretAccessKey\":\"s\"}'\n";
        let got = chain(&[("AWS_PROFILE", "p")], process)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (got.access_key_id(), got.source()),
            ("PROC", "credential_process")
        );
    }

    #[tokio::test]
    async fn nothing_configured_names_every_source() {
        let e = chain(&[], "")
            .provide_credentials()
            .await
            .unwrap_err()
            .to_string();
        for source in [
            "environment:",
            "web identity:",
            "profile `default`:",
            "container:",
            "IMDS: AWS_EC2_METADATA_DISABLED is true",
        ] {
            assert!(e.contains(source), "{source} in {e}");
        }
    }

    #[tokio::test]
    async fn configured_but_unusable_sources_say_so() {
        for (env, config, says) in [
            (vec![("AWS_PROFILE", "missing")], "", "AWS_PROFILE names profile `missing`, which is not in the shared config or credentials file"),
            (vec![], "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = x\n", "source_profile `x` of profile `default` is not in"),
            (vec![], "[default]\nrole_arn = arn:aws:iam::1:role/r\n", "without source_profile or credential_source"),
            (vec![], "[default]\nrole_arn = r\nsource_profile = a\n[profile a]\nrole_arn = r\nsource_profile = default\n", "loops: default -> a -> default"),
            (vec![], "[default]\nmfa_serial = arn:mfa\nrole_arn = r\nsource_profile = default\naws_access_key_id = A\naws_secret_access_key = S\n", "needs an MFA code"),
            (vec![], "[default]\nsso_session = s\n", "no [sso-session s] section"),
            (vec![("AWS_ACCESS_KEY_ID", "A")], "", "AWS_SECRET_ACCESS_KEY is not"),
            (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds")], "", "must be HTTPS"),
            (vec![("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/t"), ("AWS_ROLE_ARN", "arn:r")], "", "token file /nonexistent/t cannot be read"),
        ] {
            let e = chain(&env, config).provide_credentials().await.unwrap_err().to_string();
            assert!(e.contains(says), "{says}: {e}");
        }
    }
}
