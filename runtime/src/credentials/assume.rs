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

/// Where the innermost credentials of a profile chain come from.
#[derive(Debug)]
pub(crate) enum Base {
    /// A profile's static keys.
    AccessKey(Credentials),
    /// A profile's `credential_process`.
    Process { profile: String, command: String },
    /// An SSO profile.
    Sso { profile: String },
    /// A `credential_source` named by `profile`.
    Named { source: String, profile: String },
    /// `role_arn` + `web_identity_token_file`.
    WebIdentity {
        role_arn: String,
        token_file: PathBuf,
        options: RoleOptions,
    },
}

/// What a profile describes: a base, then the roles assumed with it, innermost first
/// (the model of the SDKs' shared `assume-role-tests.json`).
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) base: Base,
    pub(crate) roles: Vec<(String, RoleOptions)>,
}

fn has_static_keys(p: &super::Profile) -> bool {
    p.contains_key("aws_access_key_id") || p.contains_key("aws_secret_access_key")
}

fn role_options(name: &str, p: &super::Profile) -> Result<RoleOptions, CredentialsError> {
    Ok(RoleOptions {
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
    })
}

/// Follows `source_profile` from the profile `root`; `Ok(None)` when it names no
/// credentials at all. The profile asked for uses its role when it has one; a profile
/// reached as a `source_profile` uses its static keys when it has them (the SDKs' rule),
/// and a profile that is its own source uses its static keys. Loops are refused.
pub(crate) fn plan(profiles: &ProfileSet, root: &str) -> Result<Option<Plan>, CredentialsError> {
    let mut roles = Vec::new();
    let mut visited: Vec<String> = Vec::new();
    let mut name = root.to_string();
    let base = loop {
        let Some(p) = profiles.get(&name) else {
            return Err(error(match visited.last() {
                Some(from) => format!("source_profile `{name}` of profile `{from}` is not in the shared config or credentials file"),
                None => format!("profile `{name}` is not in the shared config or credentials file"),
            }));
        };
        if visited.contains(&name) {
            visited.push(name);
            return Err(error(format!(
                "the source_profile chain loops: {}",
                visited.join(" -> ")
            )));
        }
        visited.push(name.clone());
        let is_source = visited.len() > 1;
        if is_source && has_static_keys(p) {
            break Base::AccessKey(profiles.credentials(&name)?);
        }
        let Some(role_arn) = p.get("role_arn") else {
            match base_without_role(profiles, &name, p)? {
                Some(base) => break base,
                None if is_source => {
                    return Err(error(format!(
                        "source_profile `{name}` of profile `{}` has no credentials (aws_access_key_id and aws_secret_access_key, credential_process, role_arn or SSO)",
                        visited[visited.len() - 2]
                    )))
                }
                None => return Ok(None),
            }
        };
        if p.contains_key("mfa_serial") {
            return Err(error(format!(
                "profile `{name}` needs an MFA code (mfa_serial), which a program cannot enter"
            )));
        }
        let options = role_options(&name, p)?;
        if let Some(file) = p.get("web_identity_token_file") {
            break Base::WebIdentity {
                role_arn: role_arn.clone(),
                token_file: PathBuf::from(file),
                options,
            };
        }
        roles.push((role_arn.clone(), options));
        match role_source(profiles, &name, p)? {
            Source::Profile(next) => name = next,
            Source::Base(base) => break base,
        }
    };
    roles.reverse();
    Ok(Some(Plan { base, roles }))
}

/// The base a profile without `role_arn` describes, in botocore's order: SSO,
/// `credential_process`, static keys; `None` for none of them.
fn base_without_role(
    profiles: &ProfileSet,
    name: &str,
    p: &super::Profile,
) -> Result<Option<Base>, CredentialsError> {
    if p.contains_key("web_identity_token_file") {
        return Err(error(format!(
            "profile `{name}` sets web_identity_token_file without role_arn"
        )));
    }
    if super::sso::is_sso(p) {
        return Ok(Some(Base::Sso {
            profile: name.to_string(),
        }));
    }
    if let Some(command) = p.get("credential_process") {
        return Ok(Some(Base::Process {
            command: command.clone(),
            profile: name.to_string(),
        }));
    }
    if has_static_keys(p) {
        return Ok(Some(Base::AccessKey(profiles.credentials(name)?)));
    }
    Ok(None)
}

/// Where a role's source credentials come from.
enum Source {
    /// Another profile, to follow.
    Profile(String),
    /// A base: the profile's own static keys, or a `credential_source`.
    Base(Base),
}

/// The source of the role profile `name` (`source_profile` or `credential_source`).
fn role_source(
    profiles: &ProfileSet,
    name: &str,
    p: &super::Profile,
) -> Result<Source, CredentialsError> {
    match (p.get("source_profile"), p.get("credential_source")) {
        (Some(_), Some(_)) => Err(error(format!(
            "profile `{name}` sets both source_profile and credential_source"
        ))),
        // A profile that is its own source uses its static keys (botocore's rule).
        (Some(source), None) if source == name => profiles
            .credentials(name)
            .map(|c| Source::Base(Base::AccessKey(c)))
            .map_err(|_| {
                error(format!(
                    "profile `{name}` is its own source_profile but has no static keys"
                ))
            }),
        (Some(source), None) => Ok(Source::Profile(source.clone())),
        (None, Some(cs)) if ["Environment", "Ec2InstanceMetadata", "EcsContainer"].contains(&cs.as_str()) => {
            Ok(Source::Base(Base::Named {
                source: cs.clone(),
                profile: name.to_string(),
            }))
        }
        (None, Some(cs)) => Err(error(format!(
            "profile `{name}`: unknown credential_source `{cs}` (Environment, Ec2InstanceMetadata or EcsContainer)"
        ))),
        (None, None) => Err(error(format!(
            "profile `{name}` sets role_arn without source_profile or credential_source"
        ))),
    }
}

/// The provider a profile describes (see [`plan`]); `Ok(None)` when the profile names no
/// credentials at all.
pub(crate) fn profile_provider(
    env: &Env,
    profiles: &ProfileSet,
    name: &str,
    sts: &Sts,
    settings: &super::ProviderSettings,
) -> Result<Option<SharedCredentialsProvider>, CredentialsError> {
    let Some(plan) = plan(profiles, name)? else {
        return Ok(None);
    };
    let mut provider = match plan.base {
        Base::AccessKey(c) => SharedCredentialsProvider::new(c),
        Base::Process { profile, command } => SharedCredentialsProvider::new(CachingProvider::new(
            ProcessProvider::new(profile, command),
        )),
        Base::Sso { profile } => SharedCredentialsProvider::new(CachingProvider::new(
            super::SsoProvider::from_profile(env, profiles, &profile, settings)?,
        )),
        Base::WebIdentity {
            role_arn,
            token_file,
            options,
        } => SharedCredentialsProvider::new(WebIdentityProvider {
            sts: sts.clone(),
            role_arn,
            token_file,
            options,
        }),
        Base::Named { source, profile } => named_source(env, profiles, &source, &profile)?,
    };
    for (role_arn, options) in plan.roles {
        provider = SharedCredentialsProvider::new(AssumeRoleProvider {
            sts: sts.clone(),
            role_arn,
            options,
            source: provider,
        });
    }
    Ok(Some(provider))
}

/// The provider a `credential_source` names.
fn named_source(
    env: &Env,
    profiles: &ProfileSet,
    source: &str,
    name: &str,
) -> Result<SharedCredentialsProvider, CredentialsError> {
    match source {
        "Environment" => from_env(env).map(SharedCredentialsProvider::new),
        "Ec2InstanceMetadata" => ImdsProvider::from_env(env, profiles, name)?
            .map(SharedCredentialsProvider::new)
            .ok_or_else(|| error(format!("profile `{name}`: credential_source Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED is true"))),
        "EcsContainer" => ContainerProvider::from_env(env)?
            .map(SharedCredentialsProvider::new)
            .ok_or_else(|| error(format!("profile `{name}`: credential_source EcsContainer, but no container URI is set"))),
        other => Err(error(format!("profile `{name}`: unknown credential_source `{other}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};
    use std::path::Path;

    /// A plan in the shape of the suite's `ProfileChain`.
    fn describe(plan: &Plan) -> Value {
        let with_options = |mut v: serde_json::Map<String, Value>, o: &RoleOptions| {
            if let Some(n) = &o.session_name {
                v.insert("role_session_name".into(), json!(n));
            }
            if let Some(e) = &o.external_id {
                v.insert("external_id".into(), json!(e));
            }
            Value::Object(v)
        };
        let base = match &plan.base {
            Base::AccessKey(c) => json!({"AccessKey": {
                "access_key_id": c.access_key_id(), "secret_access_key": c.secret_access_key()}}),
            Base::Named { source, .. } => json!({ "NamedSource": source }),
            Base::WebIdentity {
                role_arn,
                token_file,
                options,
            } => {
                let mut m = serde_json::Map::new();
                m.insert("role_arn".into(), json!(role_arn));
                m.insert("web_identity_token_file".into(), json!(token_file));
                json!({ "WebIdentityToken": with_options(m, options) })
            }
            Base::Process { profile, .. } => json!({ "Process": profile }),
            Base::Sso { profile } => json!({ "Sso": profile }),
        };
        let mut chain = vec![base];
        for (role_arn, options) in &plan.roles {
            let mut m = serde_json::Map::new();
            m.insert("role_arn".into(), json!(role_arn));
            chain.push(json!({ "AssumeRole": with_options(m, options) }));
        }
        json!({ "ProfileChain": chain })
    }

    /// The shared suite's error texts are smithy-rs's own; ours say the same in our words.
    fn our_words(theirs: &str) -> &'static str {
        match theirs {
            "profile must contain `source_profile`" => {
                "sets role_arn without source_profile or credential_source"
            }
            "profile contained both source_profile and credential_source" => {
                "sets both source_profile and credential_source"
            }
            "profile missing aws_secret_access_key" => {
                "has aws_access_key_id but no aws_secret_access_key"
            }
            "profile missing aws_access_key_id" => {
                "has aws_secret_access_key but no aws_access_key_id"
            }
            "expected `aws_access_key_id` and `aws_secret_access_key` to be defined" => {
                "source_profile `B` of profile `A` has no credentials"
            }
            "could not find source profile B referenced from A" => {
                "source_profile `B` of profile `A` is not in the shared config"
            }
            "No profiles were defined" => "profile `A` is not in the shared config",
            "profile formed an infinite loop" => "the source_profile chain loops: A -> B -> A",
            "`role_arn` was missing" => "sets web_identity_token_file without role_arn",
            _ => "an error this test does not know",
        }
    }

    #[test]
    fn the_shared_assume_role_suite_passes() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/smithy-rs/assume-role-tests.json");
        let suite: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let cases = suite.as_array().unwrap();
        assert_eq!(cases.len(), 21);
        for case in cases {
            let docs = case["docs"].as_str().unwrap();
            let mut config = String::new();
            for (name, props) in case["input"]["profile"].as_object().unwrap() {
                config.push_str(&format!("[profile {name}]\n"));
                for (k, v) in props.as_object().unwrap() {
                    config.push_str(&format!("{k} = {}\n", v.as_str().unwrap()));
                }
            }
            let profiles = ProfileSet::parse(Some((Path::new("config"), &config)), None).unwrap();
            let got = plan(
                &profiles,
                case["input"]["selected_profile"].as_str().unwrap(),
            );
            match (&case["output"]["Error"], got) {
                (Value::String(theirs), Err(e)) => {
                    let ours = our_words(theirs);
                    assert!(e.to_string().contains(ours), "{docs}: `{e}` lacks `{ours}`");
                }
                (Value::Null, Ok(Some(plan))) => {
                    assert_eq!(describe(&plan), case["output"], "{docs}")
                }
                (_, got) => panic!("{docs}: expected {}, got {got:?}", case["output"]),
            }
        }
        println!(
            "assume-role tests: {} cases, {} passed, 0 failed",
            cases.len(),
            cases.len()
        );
    }

    #[test]
    fn profiles_name_their_sources_in_botocores_order() {
        let config = "[profile sso]\nsso_session = s\ncredential_process = p\naws_access_key_id = A\naws_secret_access_key = S\n\
            [profile proc]\ncredential_process = p\naws_access_key_id = A\naws_secret_access_key = S\n\
            [profile none]\nregion = us-east-1\n\
            [profile src]\nrole_arn = r\nsource_profile = proc\n";
        let profiles = ProfileSet::parse(Some((Path::new("config"), config)), None).unwrap();
        let kind = |name: &str| plan(&profiles, name).unwrap().map(|p| describe(&p));
        assert_eq!(kind("sso"), Some(json!({"ProfileChain": [{"Sso": "sso"}]})));
        assert_eq!(
            kind("proc"),
            Some(json!({"ProfileChain": [{"Process": "proc"}]}))
        );
        assert_eq!(kind("none"), None);
        // A source profile's static keys win over its credential_process.
        let src = kind("src").unwrap();
        assert_eq!(src["ProfileChain"][0]["AccessKey"]["access_key_id"], "A");
    }
}
