//! The shared `config` and `credentials` files, parsed as the AWS SDKs' shared
//! specification says (its test suite, `tests/data/smithy-rs/profile-parser-tests.json`,
//! passes case by case): `[profile name]` and `[default]` sections in the config file,
//! `[name]` in the credentials file, `[sso-session name]` and `[services name]` sections,
//! comments, continuation lines and sub-properties. Errors give the file and line, never
//! the line's text (it may hold a secret).

use super::{Credentials, CredentialsError, Env};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One profile's (or section's) properties, names lower-cased.
pub type Profile = BTreeMap<String, String>;

/// The sections of the shared `config` and `credentials` files, merged: credentials-file
/// values win, and in the config file `[profile default]` hides `[default]`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
    services: BTreeMap<String, Profile>,
}

impl fmt::Debug for ProfileSet {
    /// Lists section names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileSet")
            .field("profiles", &self.profiles.keys().collect::<Vec<_>>())
            .field(
                "sso_sessions",
                &self.sso_sessions.keys().collect::<Vec<_>>(),
            )
            .field("services", &self.services.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Which of the two shared files a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: sections are `[default]`, `[profile name]`, `[sso-session name]`
    /// and `[services name]`.
    Config,
    /// `~/.aws/credentials`: sections are `[name]`.
    Credentials,
}

/// What a section header names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    /// A profile; `prefixed` for `[profile default]` as opposed to `[default]`.
    Profile {
        name: String,
        prefixed: bool,
    },
    SsoSession(String),
    Services(String),
    /// A section this parser keeps nothing of (an invalid name, a config-file section
    /// without the `profile` prefix).
    Ignored,
}

/// A parsed file: its sections in order, each with its properties.
type Parsed = Vec<(Section, Profile)>;

impl ProfileSet {
    /// Loads `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
    /// (default `~/.aws/credentials`); a missing file is not an error, a malformed one is.
    pub fn load(env: &Env) -> Result<Self, CredentialsError> {
        let home = env.home();
        let path = |var: &str, default: &str| -> Option<PathBuf> {
            match env.get(var) {
                Some(p) if !p.is_empty() => Some(expand_home(p, home.as_deref())),
                _ => home.as_ref().map(|h| h.join(".aws").join(default)),
            }
        };
        let read = |p: Option<PathBuf>| -> Result<Option<(PathBuf, String)>, CredentialsError> {
            let Some(p) = p else { return Ok(None) };
            match std::fs::read_to_string(&p) {
                Ok(text) => Ok(Some((p, text))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(CredentialsError::InvalidFile {
                    path: p,
                    line: 0,
                    reason: format!("cannot be read: {}", e.kind()),
                }),
            }
        };
        let config = read(path("AWS_CONFIG_FILE", "config"))?;
        let credentials = read(path("AWS_SHARED_CREDENTIALS_FILE", "credentials"))?;
        Self::parse(
            config.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
            credentials.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
        )
    }

    /// Parses the two files' texts (each may be absent); paths are for errors.
    pub fn parse(
        config: Option<(&Path, &str)>,
        credentials: Option<(&Path, &str)>,
    ) -> Result<Self, CredentialsError> {
        let mut set = ProfileSet::default();
        if let Some((path, text)) = config {
            let parsed = parse_file(path, text, FileKind::Config)?;
            let has_prefixed_default = parsed.iter().any(|(s, _)| {
                matches!(s, Section::Profile { name, prefixed: true } if name == "default")
            });
            for (section, props) in parsed {
                let target = match section {
                    Section::Profile { name, prefixed } => {
                        if name == "default" && !prefixed && has_prefixed_default {
                            continue;
                        }
                        set.profiles.entry(name)
                    }
                    Section::SsoSession(name) => set.sso_sessions.entry(name),
                    Section::Services(name) => set.services.entry(name),
                    Section::Ignored => continue,
                };
                target.or_default().extend(props);
            }
        }
        if let Some((path, text)) = credentials {
            for (section, props) in parse_file(path, text, FileKind::Credentials)? {
                if let Section::Profile { name, .. } = section {
                    set.profiles.entry(name).or_default().extend(props);
                }
            }
        }
        Ok(set)
    }

    /// A profile by name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The profiles, by name.
    pub fn profiles(&self) -> &BTreeMap<String, Profile> {
        &self.profiles
    }

    /// An `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The `[sso-session name]` sections, by name.
    pub fn sso_sessions(&self) -> &BTreeMap<String, Profile> {
        &self.sso_sessions
    }

    /// A `[services name]` section.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// Static credentials of a profile (`aws_access_key_id`, `aws_secret_access_key`,
    /// optional `aws_session_token`).
    pub fn credentials(&self, name: &str) -> Result<Credentials, CredentialsError> {
        let Some(p) = self.get(name) else {
            return Err(CredentialsError::NotLoaded {
                provider: "profile",
                reason: format!("profile `{name}` is not in the shared config or credentials file"),
            });
        };
        match (p.get("aws_access_key_id"), p.get("aws_secret_access_key")) {
            (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => Ok(Credentials::new(
                id.clone(),
                secret.clone(),
                p.get("aws_session_token").filter(|t| !t.is_empty()).cloned(),
                None,
                "profile",
            )),
            (id, secret) => Err(CredentialsError::NotLoaded {
                provider: "profile",
                reason: match (id.is_some_and(|v| !v.is_empty()), secret.is_some_and(|v| !v.is_empty())) {
                    (true, false) => format!("profile `{name}` has aws_access_key_id but no aws_secret_access_key"),
                    (false, true) => format!("profile `{name}` has aws_secret_access_key but no aws_access_key_id"),
                    _ => format!("profile `{name}` has no static keys (aws_access_key_id and aws_secret_access_key)"),
                },
            }),
        }
    }
}

/// Where the parser is in a file.
struct Cursor {
    /// The current section (`None` before the first header).
    section: Option<usize>,
    /// The current property: its name, and whether its value started empty (then its
    /// continuation lines are sub-properties).
    property: Option<(String, bool)>,
}

fn parse_file(path: &Path, text: &str, kind: FileKind) -> Result<Parsed, CredentialsError> {
    let mut out: Parsed = Vec::new();
    let mut at = Cursor {
        section: None,
        property: None,
    };
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let err = |reason: &str| CredentialsError::InvalidFile {
            path: path.to_path_buf(),
            line: i + 1,
            reason: reason.to_string(),
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            continuation(&mut out, &mut at, trimmed).map_err(err)?;
        } else if line.starts_with('[') {
            out.push((section(line, kind).map_err(err)?, Profile::new()));
            at = Cursor {
                section: Some(out.len() - 1),
                property: None,
            };
        } else {
            property(&mut out, &mut at, line).map_err(err)?;
        }
    }
    Ok(out)
}

/// A section header: `[name]`, with an optional comment after the bracket.
fn section(line: &str, kind: FileKind) -> Result<Section, &'static str> {
    const UNCLOSED: &str = "Profile definition must end with ']'";
    let close = line.find(']').ok_or(UNCLOSED)?;
    let rest = line[close + 1..].trim_start();
    if !(rest.is_empty() || rest.starts_with('#') || rest.starts_with(';')) {
        return Err(UNCLOSED);
    }
    let inner = line[1..close].trim();
    let prefixed = |prefix: &str| {
        inner
            .strip_prefix(prefix)
            .filter(|r| r.starts_with([' ', '\t']))
            .map(|r| r.trim().to_string())
    };
    let section = match kind {
        FileKind::Credentials => Section::Profile {
            name: inner.to_string(),
            prefixed: false,
        },
        FileKind::Config if inner == "default" => Section::Profile {
            name: inner.to_string(),
            prefixed: false,
        },
        FileKind::Config => match (
            prefixed("profile"),
            prefixed("sso-session"),
            prefixed("services"),
        ) {
            (Some(name), _, _) => Section::Profile {
                name,
                prefixed: true,
            },
            (_, Some(name), _) => Section::SsoSession(name),
            (_, _, Some(name)) => Section::Services(name),
            _ => Section::Ignored,
        },
    };
    let valid = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-/.%@_:+".contains(c))
    };
    Ok(match &section {
        Section::Profile { name, .. } | Section::SsoSession(name) | Section::Services(name)
            if !valid(name) =>
        {
            Section::Ignored
        }
        _ => section,
    })
}

/// `name = value`, with an optional comment after whitespace.
fn property(out: &mut Parsed, at: &mut Cursor, line: &str) -> Result<(), &'static str> {
    let index = at.section.ok_or("Expected a profile definition")?;
    let (key, value) = line
        .split_once('=')
        .ok_or("Expected an '=' sign defining a property")?;
    let key = key.trim().to_ascii_lowercase();
    if key.is_empty() {
        return Err("Property did not have a name");
    }
    let value = strip_comment(value).trim().to_string();
    at.property = Some((key.clone(), value.is_empty()));
    let valid = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if let (true, Some((_, props))) = (valid, out.get_mut(index)) {
        props.insert(key, value);
    }
    Ok(())
}

/// An indented line: more of the current property's value, or one of its sub-properties.
fn continuation(out: &mut Parsed, at: &mut Cursor, trimmed: &str) -> Result<(), &'static str> {
    let index = at.section.ok_or("Expected a profile definition")?;
    let (key, sub) = at
        .property
        .as_ref()
        .ok_or("Expected a property definition, found continuation")?;
    if *sub {
        let (name, _) = trimmed
            .split_once('=')
            .ok_or("Expected an '=' sign defining a sub-property")?;
        if name.trim().is_empty() {
            return Err("Sub-property did not have a name");
        }
    }
    if let Some(value) = out.get_mut(index).and_then(|(_, p)| p.get_mut(key)) {
        value.push('\n');
        value.push_str(trimmed);
    }
    Ok(())
}

/// The value before an inline comment (`#` or `;` after whitespace).
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if (bytes[i] == b'#' || bytes[i] == b';') && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

fn expand_home(p: &str, home: Option<&Path>) -> PathBuf {
    match (p.strip_prefix("~/"), home) {
        (Some(rest), Some(h)) => h.join(rest),
        _ => PathBuf::from(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case of the SDKs' shared profile-parser suite.
    #[test]
    fn the_shared_profile_parser_suite_passes() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/smithy-rs/profile-parser-tests.json");
        let suite: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let cases = suite["tests"].as_array().unwrap();
        let mut failures = Vec::new();
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let text = |k: &str| case["input"][k].as_str();
            let got = ProfileSet::parse(
                text("configFile").map(|t| (Path::new("config"), t)),
                text("credentialsFile").map(|t| (Path::new("credentials"), t)),
            );
            let expected = &case["output"];
            let ok = match (&got, expected["errorContaining"].as_str()) {
                (Err(e), Some(phrase)) => e.to_string().contains(phrase),
                (Ok(set), None) => {
                    let want = |k: &str| -> BTreeMap<String, Profile> {
                        serde_json::from_value(expected["config"][k].clone()).unwrap_or_default()
                    };
                    set.profiles == want("profiles")
                        && (expected["config"].get("sso_sessions").is_none()
                            || set.sso_sessions == want("sso_sessions"))
                }
                _ => false,
            };
            if !ok {
                failures.push(format!("{name}: got {got:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        );
        println!(
            "profile parser tests: {} cases, {} passed, 0 failed",
            cases.len(),
            cases.len()
        );
    }

    #[test]
    fn errors_name_the_file_and_line_but_never_the_text() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        for text in [
            format!("[default]\naws_access_key_id = AKID\n{secret}"),
            format!("[{secret}"),
            format!("[default]\n   {secret}\n"),
            format!("{secret} = x"),
        ] {
            let e = ProfileSet::parse(None, Some((Path::new("/home/u/.aws/credentials"), &text)))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("/home/u/.aws/credentials:"), "{e}");
            assert!(!e.contains("wJalr") && !e.contains("EXAMPLEKEY"), "{e}");
        }
    }
}
