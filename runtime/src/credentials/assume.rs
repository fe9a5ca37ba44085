//! Roles: web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, or a profile's
//! `web_identity_token_file` + `role_arn`) and `role_arn` profiles, whose source is
//! another profile (`source_profile`, followed through chains, cycles refused) or a
//! `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), and the
//! provider any profile describes (role, SSO, `credential_process`, static keys, in
//! botocore's order).

use super::{
    from_env, CachingProvider, ContainerProvider, Credentials, CredentialsError, Env, ImdsProvider,
    ProcessProvider, ProfileSet, ProvideCredentials, RoleOptions, SharedCredentialsProvider, Sts,
};
use crate::BoxFuture;
use std::fmt;
use std::path::PathBuf;

/// `AssumeRoleWithWebIdentity` with the token read from a file at every fetch (it is
/// rotated by the platform, as on EKS).
pub struct WebIdentityProvider {
    sts: Sts,
    role_arn: String,
    token_file: PathBuf,
    options: RoleOptions,
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("role_arn", &self.role_arn)
            .field("token_file", &self.token_file)
            .finish_non_exhaustive()
    }
}

impl WebIdentityProvider {
    /// From `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`;
    /// `None` unless both of the first two are set.
    pub fn from_env(env: &Env, sts: &Sts) -> Option<Self> {
        let get = |k: &str| env.get(k).map(str::trim).filter(|v| !v.is_empty());
        Some(WebIdentityProvider {
            sts: sts.clone(),
            token_file: PathBuf::from(get("AWS_WEB_IDENTITY_TOKEN_FILE")?),
            role_arn: get("AWS_ROLE_ARN")?.to_string(),
            options: RoleOptions {
                session_name: get("AWS_ROLE_SESSION_NAME").map(str::to_string),
                ..Default::default()
            },
        })
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            CredentialsError::ProviderError {
                provider: "web identity",
                reason: format!(
                    "the token file {} cannot be read: {}",
                    self.token_file.display(),
                    e.kind()
                ),
            }
        })?;
        self.sts
            .assume_role_with_web_identity(&self.role_arn, token.trim(), &self.options)
            .await
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

/// `AssumeRole` with the credentials of a source provider.
pub struct AssumeRoleProvider {
    sts: Sts,
    role_arn: String,
    options: RoleOptions,
    source: SharedCredentialsProvider,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let source = self.source.provide_credentials().await?;
            self.sts
                .assume_role(&source, &self.role_arn, &self.options)
                .await
        })
    }
}

fn error(reason: String) -> CredentialsError {
    CredentialsError::ProviderError {
        provider: "profile",
        reason,
    }
}

/// The provider a profile describes, following `source_profile` chains; `Ok(None)` when
/// the profile names no credentials at all.
pub(crate) fn profile_provider(
    env: &Env,
    profiles: &ProfileSet,
    name: &str,
    sts: &Sts,
    visited: &mut Vec<String>,
) -> Result<Option<SharedCredentialsProvider>, CredentialsError> {
    let Some(p) = profiles.get(name) else {
        return Err(error(format!(
            "profile `{name}` is not in the shared config or credentials file"
        )));
    };
    if visited.iter().any(|v| v == name) {
        visited.push(name.to_string());
        return Err(error(format!(
            "the source_profile chain loops: {}",
            visited.join(" -> ")
        )));
    }
    visited.push(name.to_string());
    let Some(role_arn) = p.get("role_arn") else {
        if super::sso::is_sso(p) {
            return Ok(Some(SharedCredentialsProvider::new(CachingProvider::new(
                super::SsoProvider::from_profile(env, profiles, name)?,
            ))));
        }
        if let Some(command) = p.get("credential_process") {
            return Ok(Some(SharedCredentialsProvider::new(CachingProvider::new(
                ProcessProvider::new(name, command.clone()),
            ))));
        }
        return Ok(profiles
            .credentials(name)
            .ok()
            .map(SharedCredentialsProvider::new));
    };
    if p.contains_key("mfa_serial") {
        return Err(error(format!(
            "profile `{name}` needs an MFA code (mfa_serial), which a program cannot enter"
        )));
    }
    let options = RoleOptions {
        session_name: p.get("role_session_name").cloned(),
        external_id: p.get("external_id").cloned(),
        duration_seconds: match p.get("duration_seconds") {
            Some(d) => Some(d.parse().map_err(|_| {
                error(format!(
                    "profile `{name}`: duration_seconds `{d}` is not a number"
                ))
            })?),
            None => None,
        },
    };
    if let Some(file) = p.get("web_identity_token_file") {
        return Ok(Some(SharedCredentialsProvider::new(WebIdentityProvider {
            sts: sts.clone(),
            role_arn: role_arn.clone(),
            token_file: PathBuf::from(file),
            options,
        })));
    }
    let source = role_source(env, profiles, name, p, sts, visited)?;
    Ok(Some(SharedCredentialsProvider::new(AssumeRoleProvider {
        sts: sts.clone(),
        role_arn: role_arn.clone(),
        options,
        source,
    })))
}

/// Where a `role_arn` profile's source credentials come from.
fn role_source(
    env: &Env,
    profiles: &ProfileSet,
    name: &str,
    p: &super::Profile,
    sts: &Sts,
    visited: &mut Vec<String>,
) -> Result<SharedCredentialsProvider, CredentialsError> {
    match (p.get("source_profile"), p.get("credential_source")) {
        (Some(_), Some(_)) => Err(error(format!("profile `{name}` sets both source_profile and credential_source"))),
        // A profile that is its own source uses its static keys (botocore's rule).
        (Some(source), None) if source == name => profiles
            .credentials(name)
            .map(SharedCredentialsProvider::new)
            .map_err(|_| error(format!("profile `{name}` is its own source_profile but has no static keys"))),
        (Some(source), None) => profile_provider(env, profiles, source, sts, visited)?
            .ok_or_else(|| error(format!("source_profile `{source}` of profile `{name}` has no credentials"))),
        (None, Some(cs)) => match cs.as_str() {
            "Environment" => from_env(env).map(SharedCredentialsProvider::new),
            "Ec2InstanceMetadata" => ImdsProvider::from_env(env, profiles, name)?
                .map(SharedCredentialsProvider::new)
                .ok_or_else(|| error(format!("profile `{name}`: credential_source Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is true"))),
            "EcsContainer" => ContainerProvider::from_env(env)?
                .map(SharedCredentialsProvider::new)
                .ok_or_else(|| error(format!("profile `{name}`: credential_source EcsContainer, but no container URI is set"))),
            other => Err(error(format!("profile `{name}`: unknown credential_source `{other}`"))),
        },
        (None, None) => Err(error(format!("profile `{name}` sets role_arn without source_profile or credential_source"))),
    }
}
