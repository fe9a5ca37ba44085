//! The resolved intermediate representation: every name is final, every reference is
//! resolved to a location, every type is decided. Emitters read only this.

use crate::naming::Ident;

/// A service ready to be emitted.
#[derive(Debug, Clone)]
pub struct Service {
    /// The model file it came from (for the header).
    pub source_name: String,
    pub uid: String,
    pub api_version: String,
    pub service_id: String,
    pub full_name: String,
    /// `X-Amz-Target` prefix (`AmazonDMSv20160101`).
    pub target_prefix: String,
    /// `1.1` for awsJson1.1.
    pub json_version: String,
    /// SigV4 signing name.
    pub signing_name: String,
    pub endpoint_prefix: String,
    pub docs: Option<String>,
    /// The endpoint rule set (`endpoint-rule-set-1.json`), compact JSON, if the model has one.
    pub endpoint_rule_set: Option<String>,
    /// Types of the `types` module, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Modelled faults (the `types::error` module), sorted by Rust name.
    pub errors: Vec<TypeDef>,
    /// Operations, sorted by wire name.
    pub operations: Vec<Operation>,
}

/// Where a named type lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Module {
    /// `types`
    Types,
    /// `types::error`
    Errors,
    /// `operation::<module>`
    Operation(Ident),
}

/// A reference to a generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeRef {
    pub module: Module,
    pub name: Ident,
}

#[derive(Debug, Clone)]
pub struct Deprecation {
    pub note: Option<String>,
}

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    Iso8601,
    HttpDate,
}

/// A Rust type of a member, list element, map value or union variant.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    Blob,
    Timestamp(TimestampFormat),
    Document,
    List(Box<RustType>),
    Map(Box<RustType>, Box<RustType>),
    Named { target: TypeRef, boxed: bool },
}

impl RustType {
    /// Whether serializing this type needs a wire adapter (non-default timestamps, floats).
    pub fn needs_adapter(&self) -> bool {
        match self {
            RustType::Timestamp(TimestampFormat::EpochSeconds) => false,
            RustType::Timestamp(_) | RustType::F32 | RustType::F64 => true,
            RustType::List(inner) => inner.needs_adapter(),
            RustType::Map(_, v) => v.needs_adapter(),
            _ => false,
        }
    }
}

/// Whether a structure is built by users (inputs) or received from the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reachable only from operation inputs: required members are not `Option`, the
    /// struct is exhaustive and has `new(required...)`.
    Input,
    /// Reachable from an output or error: every member is `Option`, the struct is
    /// `#[non_exhaustive]` with `Default` and setters.
    Output,
    /// A modelled fault: like `Output`, plus error metadata.
    Exception,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The model's shape name.
    pub shape: String,
    pub name: Ident,
    /// A second name the type is found by (`DeleteConnectionMessage` for `DeleteConnectionInput`).
    pub alias: Option<String>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// The whole shape is marked `sensitive`: `Debug` prints nothing of it.
    pub sensitive: bool,
    /// The shape is an operation's output: it carries the response's request id.
    pub is_output: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct { role: Role, fields: Vec<Field> },
    Enum { values: Vec<EnumValue> },
    Union { variants: Vec<UnionVariant> },
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The member name on the wire.
    pub wire: String,
    pub name: Ident,
    pub ty: RustType,
    /// Not wrapped in `Option` (required member of an input structure).
    pub required: bool,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub sensitive: bool,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub wire: String,
    pub name: Ident,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub wire: String,
    pub name: Ident,
    pub ty: RustType,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub sensitive: bool,
}

/// An operation's input or output type.
#[derive(Debug, Clone)]
pub enum Io {
    /// The shape is used only here: it is emitted in the operation module as `<Op>Input`
    /// (or `<Op>Output`).
    Owned(TypeDef),
    /// The shape is shared: the operation module gets a type alias to it.
    Alias(TypeRef),
    /// The model names no shape: an empty struct is emitted so every operation has one.
    Empty(TypeDef),
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`DeleteConnection`).
    pub name: String,
    pub module: Ident,
    pub input_name: Ident,
    pub output_name: Ident,
    pub error_name: Ident,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub input: Io,
    pub output: Io,
    /// Modelled faults in model order.
    pub errors: Vec<ErrorRef>,
    /// The model allows gzip request compression (`requestcompression`).
    pub gzip_request: bool,
    /// The input or output has an event-stream member (`eventstream: true`): this
    /// client cannot speak the binary event-stream framing, so it refuses to send.
    pub event_stream: bool,
    /// The model's `endpoint.hostPrefix`, split into literal text and input labels.
    pub host_prefix: Option<Vec<HostPart>>,
}

/// A piece of a host prefix template (`{Type}.` is `[Label(Type), Literal(".")]`).
#[derive(Debug, Clone)]
pub enum HostPart {
    Literal(String),
    Label {
        wire: String,
        field: Ident,
        required: bool,
    },
}

#[derive(Debug, Clone)]
pub struct ErrorRef {
    /// The code on the wire (the shape name, or `error.code` when the model gives one).
    pub codes: Vec<String>,
    pub variant: Ident,
    pub target: TypeRef,
    pub docs: Option<String>,
}
