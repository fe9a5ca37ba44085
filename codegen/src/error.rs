//! Typed errors for everything that can be wrong with the generator's input.
//!
//! Every variant names the model file, and where it applies the shape, member or
//! operation, so a bad model is fixed from the message alone.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the model a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The model file.
    pub file: Box<Path>,
    /// The shape (or operation) the problem is in.
    pub shape: Option<Box<str>>,
    /// The member of that shape, when the problem is in one.
    pub member: Option<Box<str>>,
}

impl Location {
    pub(crate) fn shape(file: &std::path::Path, shape: &str) -> Self {
        Location {
            file: file.into(),
            shape: Some(shape.into()),
            member: None,
        }
    }
    pub(crate) fn member(file: &std::path::Path, shape: &str, member: &str) -> Self {
        Location {
            file: file.into(),
            shape: Some(shape.into()),
            member: Some(member.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(shape) = &self.shape {
            write!(f, ": shape `{shape}`")?;
        }
        if let Some(member) = &self.member {
            write!(f, ", member `{member}`")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The model file is not valid JSON, or a known key has the wrong JSON type.
    Json {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The model's protocol is not one this generator speaks.
    UnsupportedProtocol { file: PathBuf, protocol: String },
    /// A member, list element, map key/value or operation names a shape the model lacks.
    DanglingReference { at: Location, target: String },
    /// A shape's `type` is not one botocore defines (or one this generator supports).
    UnknownShapeType { at: Location, type_name: String },
    /// A shape is missing something its type needs (a list without `member`, ...).
    MalformedShape { at: Location, reason: String },
    /// Two names in the same scope become the same Rust identifier.
    NameCollision {
        at: Location,
        first: String,
        second: String,
        rust_name: String,
    },
    /// The operation allow-list names an operation the model does not have.
    UnknownOperation { file: PathBuf, operation: String },
    /// A `required` entry names a member the structure does not have.
    UnknownRequiredMember { at: Location },
    /// A `metadata` value cannot be used as it is (an `endpointPrefix` holding a path).
    Metadata {
        file: PathBuf,
        field: &'static str,
        reason: String,
    },
    /// The configuration given to the generator is incomplete or contradictory.
    Config { message: String },
    /// The emitted tokens did not parse as Rust (a generator bug, reported rather than panicking).
    Emit { message: String },
}

impl Error {
    /// A JSON syntax or type error in `file`.
    pub(crate) fn json(file: &Path, e: &serde_json::Error) -> Self {
        Error::Json {
            file: file.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Json { file, line, column, message } => {
                write!(f, "{}:{line}:{column}: malformed model JSON: {message}", file.display())
            }
            Error::UnsupportedProtocol { file, protocol } => write!(
                f,
                "{}: protocol `{protocol}` is not supported (this generator speaks `json`, i.e. awsJson1.0/1.1)",
                file.display()
            ),
            Error::DanglingReference { at, target } => {
                write!(f, "{at}: refers to shape `{target}`, which the model does not define")
            }
            Error::UnknownShapeType { at, type_name } => {
                write!(f, "{at}: unknown shape type `{type_name}`")
            }
            Error::MalformedShape { at, reason } => write!(f, "{at}: {reason}"),
            Error::NameCollision { at, first, second, rust_name } => write!(
                f,
                "{at}: `{first}` and `{second}` both become the Rust name `{rust_name}`"
            ),
            Error::UnknownOperation { file, operation } => write!(
                f,
                "{}: the operation allow-list names `{operation}`, which the model does not have",
                file.display()
            ),
            Error::UnknownRequiredMember { at } => {
                write!(f, "{at}: listed as required but the structure has no such member")
            }
            Error::Metadata { file, field, reason } => {
                write!(f, "{}: metadata `{field}`: {reason}", file.display())
            }
            Error::Config { message } => write!(f, "invalid generator configuration: {message}"),
            Error::Emit { message } => write!(f, "internal error while emitting Rust: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
