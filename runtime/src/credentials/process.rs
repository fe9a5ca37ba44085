//! `credential_process`: a profile names a command whose standard output is a JSON
//! document with the credentials (`Version` 1), as botocore runs it.
//!
//! The command line is split the way a POSIX shell splits words (quotes and backslashes),
//! without a shell. Errors name the profile and what went wrong, never the process's
//! output (it holds secrets) nor its standard error.

use super::{json, Credentials, CredentialsError, ProvideCredentials};
use crate::{BoxFuture, DateTime};
use std::fmt;

const PROVIDER: &str = "credential_process";

/// Runs a `credential_process` command.
#[derive(Clone)]
pub struct ProcessProvider {
    profile: String,
    command: String,
}

impl fmt::Debug for ProcessProvider {
    /// The command is shown by its program only: its arguments may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessProvider")
            .field("profile", &self.profile)
            .field(
                "program",
                &split(&self.command).ok().and_then(|w| w.into_iter().next()),
            )
            .finish()
    }
}

impl ProcessProvider {
    /// The provider for `command`, configured in `profile`.
    pub fn new(profile: impl Into<String>, command: impl Into<String>) -> Self {
        ProcessProvider {
            profile: profile.into(),
            command: command.into(),
        }
    }

    fn error(&self, reason: impl fmt::Display) -> CredentialsError {
        CredentialsError::ProviderError {
            provider: PROVIDER,
            reason: format!("profile `{}`: {reason}", self.profile),
        }
    }

    fn run(&self) -> Result<Credentials, CredentialsError> {
        let words = split(&self.command).map_err(|e| self.error(e))?;
        let Some((program, args)) = words.split_first() else {
            return Err(self.error("the command is empty"));
        };
        let output = std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| self.error(format_args!("`{program}` could not be run: {}", e.kind())))?;
        if !output.status.success() {
            return Err(self.error(format_args!("`{program}` failed ({})", output.status)));
        }
        parse(&output.stdout).map_err(|e| self.error(format_args!("`{program}` printed {e}")))
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let this = self.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || this.run())
                .await
                .unwrap_or_else(|_| {
                    Err(CredentialsError::ProviderError {
                        provider: PROVIDER,
                        reason: "the process runner stopped".into(),
                    })
                })
        })
    }
}

/// The process's JSON output.
fn parse(stdout: &[u8]) -> Result<Credentials, &'static str> {
    const UNREADABLE: &str = "output that is not the expected JSON";
    let doc = json::object(stdout).ok_or(UNREADABLE)?;
    let member = |key| json::string(&doc, key).map_err(|_| UNREADABLE);
    let version = json::integer(&doc, "Version").map_err(|_| UNREADABLE)?;
    let (id, secret) = (member("AccessKeyId")?, member("SecretAccessKey")?);
    let (session_token, expiration) = (member("SessionToken")?, member("Expiration")?);
    if version != Some(1) {
        return Err("a JSON document whose Version is not 1");
    }
    let (Some(id), Some(secret)) = (id, secret) else {
        return Err("JSON without AccessKeyId and SecretAccessKey");
    };
    let expiry = match expiration {
        Some(e) => Some(
            DateTime::parse_iso8601(&e)
                .ok()
                .and_then(|t| t.to_system_time())
                .ok_or("an Expiration that is not an ISO 8601 time")?,
        ),
        None => None,
    };
    Ok(Credentials::new(
        id,
        secret,
        session_token,
        expiry,
        PROVIDER,
    ))
}

/// Splits a command line into words as a POSIX shell does: whitespace separates words,
/// `'...'` is literal, `"..."` keeps whitespace and honours `\"`, `\\`, `\$` and `` \` ``,
/// and a backslash outside quotes escapes the next character.
pub fn split(line: &str) -> Result<Vec<String>, &'static str> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("an unclosed single quote"),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("an unclosed double quote"),
                        },
                        Some(c) => w.push(c),
                        None => return Err("an unclosed double quote"),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err("a trailing backslash"),
            },
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_documents_read_as_botocore_reads_them() {
        let ok = br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s","SessionToken":"t","Expiration":"2099-01-01T00:00:00Z","Extra":[1]}"#;
        let c = parse(ok).unwrap();
        assert_eq!((c.access_key_id(), c.session_token()), ("AKID", Some("t")));
        assert!(c.expiry().is_some());
        let no_token =
            br#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s","SessionToken":null}"#;
        assert_eq!(parse(no_token).unwrap().session_token(), None);
        for (doc, why) in [
            (
                &br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"s"}"#[..],
                "a JSON document whose Version is not 1",
            ),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"s"}"#,
                "a JSON document whose Version is not 1",
            ),
            (
                br#"{"Version":"1","AccessKeyId":"A","SecretAccessKey":"s"}"#,
                "output that is not the expected JSON",
            ),
            (
                br#"{"Version":1,"AccessKeyId":5,"SecretAccessKey":"s"}"#,
                "output that is not the expected JSON",
            ),
            (
                br#"{"Version":1,"AccessKeyId":"A"}"#,
                "JSON without AccessKeyId and SecretAccessKey",
            ),
            (
                br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"soon"}"#,
                "an Expiration that is not an ISO 8601 time",
            ),
            (b"[1]", "output that is not the expected JSON"),
            (b"", "output that is not the expected JSON"),
        ] {
            assert_eq!(
                parse(doc).err(),
                Some(why),
                "{}",
                String::from_utf8_lossy(doc)
            );
        }
    }

    #[test]
    fn command_lines_split_like_a_shell() {
        assert_eq!(split("a b  c").unwrap(), ["a", "b", "c"]);
        assert_eq!(
            split(r#"/opt/bin/get-creds --profile "my profile" 'it''s' x\ y"#).unwrap(),
            [
                "/opt/bin/get-creds",
                "--profile",
                "my profile",
                "its",
                "x y"
            ]
        );
        assert_eq!(split(r#""a\"b" "c\d""#).unwrap(), [r#"a"b"#, r"c\d"]);
        assert_eq!(split(r#"'' "" x"#).unwrap(), ["", "", "x"]);
        assert!(split("'open").is_err());
        assert!(split("\"open").is_err());
        assert!(split("end\\").is_err());
    }

    #[tokio::test]
    async fn a_process_gives_credentials_and_failures_never_echo_output() {
        let ok = ProcessProvider::new(
            "p",
            r#"echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s3cr3t", "SessionToken": "tok", "Expiration": "2030-01-01T00:00:00Z"}'"#,
        );
        let c = ok.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.session_token(), c.source()),
            ("AKIDPROC", Some("tok"), PROVIDER)
        );
        assert!(c.expiry().is_some());
        for (command, says) in [
            (
                "sh -c 'echo s3cr3t-out; echo s3cr3t-err >&2; exit 3'",
                "failed",
            ),
            ("echo s3cr3t-not-json", "not the expected JSON"),
            (
                r#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s3cr3t"}'"#,
                "Version is not 1",
            ),
            ("/nonexistent/get-creds --secret s3cr3t", "could not be run"),
            ("'unclosed", "unclosed single quote"),
        ] {
            let e = ProcessProvider::new("dev", command)
                .provide_credentials()
                .await
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("profile `dev`") && e.contains(says),
                "{command}: {e}"
            );
            assert!(!e.contains("s3cr3t"), "{command}: {e}");
        }
        let debug = format!(
            "{:?}",
            ProcessProvider::new("dev", "get-creds --token s3cr3t")
        );
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }
}
