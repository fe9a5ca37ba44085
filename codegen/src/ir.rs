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
    /// How requests and responses look on the wire.
    pub protocol: Protocol,
    /// SigV4 signing name.
    pub signing_name: String,
    pub endpoint_prefix: String,
    /// The SigV4 flavour botocore signs with.
    pub signer: Signer,
    /// The module of the operation whose URL an S3 presigned POST goes to (`CreateBucket`,
    /// as botocore's `generate_presigned_post` chooses), when this client has it.
    pub presigned_post: Option<crate::naming::Ident>,
    /// S3's `CreateSession`, when this client has it: how the runtime opens the S3
    /// Express sessions that directory buckets' requests are signed with.
    pub express_session: Option<ExpressSession>,
    pub docs: Option<String>,
    /// The endpoint rule set (`endpoint-rule-set-1.json`), compact JSON, if the model has one.
    pub endpoint_rule_set: Option<String>,
    /// Types of the `types` module, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Modelled faults (the `types::error` module), sorted by Rust name.
    pub errors: Vec<TypeDef>,
    /// Operations, sorted by wire name.
    pub operations: Vec<Operation>,
    /// Paginators (`paginators-1.json`) of the selected operations, sorted by name.
    pub paginators: Vec<Paginator>,
    /// Waiters (`waiters-2.json`) of the selected operations, sorted by name.
    pub waiters: Vec<Waiter>,
    /// The shape table of the XML protocols (query); `None` for the JSON ones.
    pub xml: Option<XmlSchema>,
}

impl Service {
    /// The structure of an operation's input or output.
    pub fn io_struct<'s>(&'s self, io: &'s Io) -> Option<&'s Struct> {
        let def = match io {
            Io::Owned(def) | Io::Empty(def) => def,
            Io::Alias(target) => self
                .types
                .iter()
                .find(|t| t.module == target.module && t.name == target.name)?,
        };
        match &def.kind {
            TypeKind::Struct(st) => Some(st),
            _ => None,
        }
    }
}

/// The SigV4 flavour botocore signs the service's requests with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    /// `v4`.
    SigV4,
    /// `s3v4` (S3, S3 Control): the path signed as sent, `X-Amz-Content-SHA256` always.
    S3SigV4,
}

/// The operation a paginator or waiter calls, with the names of its types.
#[derive(Debug, Clone)]
pub struct OperationRef {
    pub name: String,
    pub module: Ident,
    pub input: Ident,
    pub output: Ident,
    pub error: Ident,
}

/// A typed path into an output, from the model's `A.B[-1].C` (paginator keys).
#[derive(Debug, Clone)]
pub struct MemberPath {
    pub steps: Vec<PathStep>,
    /// The type at the end of the path.
    pub ty: RustType,
    /// The path as the model wrote it.
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum PathStep {
    /// A member (every member of a returned structure is an `Option`).
    Field { name: Ident, boxed: bool },
    /// An element of the list just reached.
    Index(i64),
}

/// A paginator: how to walk the pages of one operation.
#[derive(Debug, Clone)]
pub struct Paginator {
    /// Its type in the `paginator` module (named after the operation).
    pub name: Ident,
    /// The client method (`describe_endpoints_paginator`).
    pub method: Ident,
    pub operation: OperationRef,
    /// The tokens: input member, whether it is required (not an `Option`), output paths
    /// (`A || B`: the first present one; a token is a string, enum, number, boolean,
    /// list or map).
    pub tokens: Vec<(Ident, bool, Vec<MemberPath>)>,
    pub more_results: Option<MemberPath>,
    /// The input member setting the page size, its wire name, whether it is required,
    /// and its type (`I32`, `I64`, or `String`: a few REST models take the size as text).
    pub limit_key: Option<(Ident, String, bool, RustType)>,
    /// The primary result key and, when it is a list, its item type.
    pub result: Option<(MemberPath, Option<RustType>)>,
}

/// A waiter: poll one operation until an acceptor decides.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// Its model name, and its type in the `waiter` module.
    pub model_name: String,
    pub name: Ident,
    /// The client method (`wait_until_replication_task_ready`).
    pub method: Ident,
    pub operation: OperationRef,
    pub delay: u32,
    pub max_attempts: u32,
    pub docs: Option<String>,
    pub acceptors: Vec<Acceptor>,
}

#[derive(Debug, Clone)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone)]
pub enum Matcher {
    /// `path`, `pathAll` or `pathAny`: the expression (checked against the output), as
    /// written and parsed, and the expected value.
    Path {
        kind: PathMatch,
        argument: String,
        expr: crate::jmespath::Expr,
        expected: serde_json::Value,
    },
    Status(u16),
    ErrorCode(String),
    AnyError(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathMatch {
    Path,
    All,
    Any,
}

/// The wire protocols this generator speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolKind {
    /// awsJson 1.0 (`application/x-amz-json-1.0`).
    AwsJson10,
    /// awsJson 1.1 (`application/x-amz-json-1.1`).
    AwsJson11,
    /// rest-json: HTTP bindings and a JSON body.
    RestJson,
    /// query: a form body, XML answers.
    Query,
    /// ec2: query with EC2's form names and lists, `<Response><Errors>` errors.
    Ec2,
    /// rest-xml: HTTP bindings and an XML body.
    RestXml,
    /// smithy-rpc-v2-cbor: `POST /service/<prefix>/operation/<op>`, CBOR bodies.
    RpcV2Cbor,
}

impl ProtocolKind {
    /// Whether members are bound to the URI, query string, headers and status code.
    pub fn is_rest(self) -> bool {
        matches!(self, ProtocolKind::RestJson | ProtocolKind::RestXml)
    }

    /// Whether bodies are read (and, for rest-xml, written) with the XML shape table.
    pub fn is_xml(self) -> bool {
        matches!(
            self,
            ProtocolKind::Query | ProtocolKind::Ec2 | ProtocolKind::RestXml
        )
    }

    /// Whether the generated code carries the model's shape table (`service::SHAPES`):
    /// the XML protocols and CBOR.
    pub fn uses_table(self) -> bool {
        self.is_xml() || self == ProtocolKind::RpcV2Cbor
    }
}

/// Where a member travels in a REST protocol's request or response. Always `Body` for
/// the JSON protocols; for REST ones it matters only on an operation's input and output
/// (members of nested structures are in the body wherever the model says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldLocation {
    Body,
    /// A `{Label}` or greedy `{Label+}` of the request URI (its name in the template).
    Label(String),
    /// A query parameter (a list: the parameter repeated).
    Query(String),
    /// A map member whose entries are query parameters.
    QueryMap,
    /// A header (a list: its elements joined with `,`).
    Header(String),
    /// A map member whose entries are headers named `prefix` + key.
    HeaderMap(String),
    /// The HTTP status of a response.
    StatusCode,
}

/// How a REST structure's `payload` member is the whole body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// A blob: the bytes.
    Blob,
    /// A string (or string enum): the text.
    Text,
    /// A structure, union or document: its JSON or XML.
    Structure,
    /// A blob marked `streaming`: a [`RustType::Stream`] field, sent and received as it
    /// is read; `requires_length`: sent only with a known length.
    Stream { requires_length: bool },
    /// A structure marked `eventstream`: the body is a stream of event messages.
    EventStream,
}

/// The member that is a REST structure's whole body.
#[derive(Debug, Clone)]
pub struct Payload {
    pub field: Ident,
    pub kind: PayloadKind,
}

/// A REST operation's `http` trait.
#[derive(Debug, Clone)]
pub struct Http {
    pub method: String,
    /// The request URI template (`/v1/{Name}/x?literal`), split at its labels.
    pub uri: Vec<UriPart>,
    /// The model requires a checksum of the request (`httpChecksumRequired`).
    pub checksum_required: bool,
    /// The operation's flexible checksums (`httpChecksum` with an algorithm or a
    /// validation-mode member).
    pub flexible_checksum: Option<FlexibleChecksum>,
}

/// A change botocore's handlers make to an operation's input or output.
#[derive(Debug, Clone)]
pub enum Customization {
    /// S3's SSE-C key: base64-encoded, its MD5 added, when the caller gave no MD5
    /// (`sse_md5`, `copy_source_sse_md5`).
    SseCustomerKey { key: Ident, md5: Ident },
    /// S3's `CopySource`: percent-encoded but for `/` and a `?versionId=` suffix
    /// (`handle_copy_source_param`).
    CopySource { field: Ident },
    /// S3's `HeadObject` and `HeadBucket`: a 404 answer has no body to name its code, so it
    /// is sorted as this fault of the operation (the one the model gives status 404); its
    /// code stays `404`, as botocore reads it.
    HeadNotFound { code: String },
    /// S3's `GetBucketLocation`: the answer's root element is the value of this output
    /// field (`parse_get_bucket_location`).
    RootText { field: Ident },
    /// S3's listings: `EncodingType=url` asked for when the caller did not, and the keys
    /// of the answer decoded (`set_list_objects_encoding_type_url`,
    /// `decode_list_object*`): the input's field, the output's top-level fields, and
    /// (list field, member field) pairs.
    ListEncoding {
        field: Ident,
        top: Vec<Ident>,
        nested: Vec<(Ident, Ident)>,
    },
}

/// An operation's `httpChecksum`: the input members naming the request's algorithm and
/// enabling response validation, and the algorithms a response may carry.
#[derive(Debug, Clone)]
pub struct FlexibleChecksum {
    /// `requestAlgorithmMember`: the member's name.
    pub algorithm_member: Option<String>,
    /// `requestValidationModeMember`: the member's name.
    pub validation_member: Option<String>,
    /// `responseAlgorithms`, in botocore's order of preference.
    pub response_algorithms: Vec<String>,
}

/// A piece of a request URI template.
#[derive(Debug, Clone)]
pub enum UriPart {
    /// Text written as it is (the literal query part included).
    Literal(String),
    /// `{Name}` or `{Name+}` (greedy: `/` kept): an input field.
    Label {
        /// The member's name in the model (for errors).
        member: String,
        field: Ident,
        greedy: bool,
        /// The field is not an `Option`.
        required: bool,
    },
}

/// The service's protocol and what it needs from the model.
#[derive(Debug, Clone)]
pub struct Protocol {
    pub kind: ProtocolKind,
    /// `X-Amz-Target` prefix (`AmazonDMSv20160101`).
    pub target_prefix: String,
    /// The model's `awsQueryCompatible`: requests say `x-amzn-query-mode: true`.
    pub query_compatible: bool,
}

/// The model's shapes as the XML protocols read and write them (query, ec2, rest-xml):
/// the runtime's `protocol::xml_table::Shape` table, by index.
#[derive(Debug, Clone, Default)]
pub struct XmlSchema {
    pub shapes: Vec<XmlShape>,
    /// Each operation's input and output shapes and the output's `resultWrapper`, by
    /// operation name.
    pub operations: std::collections::BTreeMap<String, XmlOperation>,
    /// Each fault's shape, by the fault's model shape name.
    pub faults: std::collections::BTreeMap<String, u32>,
    /// rest-xml output event streams: the entry of each event's structure and of each
    /// `eventpayload` structure, by model shape name.
    pub events: std::collections::BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Default)]
pub struct XmlOperation {
    /// The input's entry (rest-xml: the body's, which is a structure payload member's
    /// target when there is one).
    pub input: Option<u32>,
    /// The output's entry (rest-xml: the body's, as for the input).
    pub output: Option<u32>,
    pub wrapper: Option<String>,
    /// rest-xml: the request body's root element name and namespace (`xmlns` or
    /// `xmlns:prefix`, and the URI).
    pub input_root: String,
    pub input_ns: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub enum XmlShape {
    Struct(Vec<XmlMember>),
    Union(Vec<XmlMember>),
    List {
        member: u32,
        member_name: String,
        flattened: bool,
        member_ns: Option<(String, String)>,
    },
    Map {
        key: u32,
        value: u32,
        key_name: String,
        value_name: String,
        flattened: bool,
        key_ns: Option<(String, String)>,
        value_ns: Option<(String, String)>,
    },
    Scalar(XmlScalar),
}

#[derive(Debug, Clone)]
pub struct XmlMember {
    /// Its key in the structure's serde form.
    pub serde: String,
    pub xml: String,
    pub query: String,
    pub shape: u32,
    pub flattened: bool,
    pub attribute: bool,
    /// The namespace declared on its element (`xmlns` or `xmlns:prefix`, and the URI).
    pub ns: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlScalar {
    String,
    Bool,
    Integer,
    Float,
    Float32,
    Blob,
    TimestampText,
    TimestampEpoch,
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
    /// A module directly below the output's root (`client`, `paginator`, `waiter`):
    /// only ever a place paths are written from, never where a type lives.
    TopLevel,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimestampFormat {
    EpochSeconds,
    Iso8601,
    HttpDate,
}

impl TimestampFormat {
    /// The format a model's `timestampFormat` names, if it is one botocore defines.
    pub fn from_model(name: &str) -> Option<Self> {
        match name {
            "unixTimestamp" => Some(TimestampFormat::EpochSeconds),
            "iso8601" => Some(TimestampFormat::Iso8601),
            "rfc822" => Some(TimestampFormat::HttpDate),
            _ => None,
        }
    }
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
    /// A streaming blob payload (`ByteStream`): always present, empty when unset.
    Stream,
    /// An output's event stream (rest-json): an `EventReceiver` of the operation's event
    /// enum and error, both named in the operation's module; always present.
    EventStream {
        event: Ident,
        error: Ident,
    },
    /// An input's event stream (rest-json): an `EventSender` of the operation's input
    /// event enum, named in the operation's module; always present.
    EventSender {
        event: Ident,
    },
    Timestamp(TimestampFormat),
    Document,
    List(Box<RustType>),
    Map(Box<RustType>, Box<RustType>),
    /// The element of a `sparse` list or map: `Option<T>`, `null` kept as `None`.
    Sparse(Box<RustType>),
    Named {
        target: TypeRef,
        boxed: bool,
    },
}

impl RustType {
    /// A body read once, as it arrives (`ByteStream`, `EventReceiver`): neither cloned
    /// nor compared, always present.
    pub fn is_stream(&self) -> bool {
        matches!(
            self,
            RustType::Stream | RustType::EventStream { .. } | RustType::EventSender { .. }
        )
    }

    /// Whether serializing this type needs a wire adapter (non-default timestamps, floats).
    pub fn needs_adapter(&self) -> bool {
        match self {
            RustType::Timestamp(TimestampFormat::EpochSeconds) => false,
            RustType::Timestamp(_) | RustType::F32 | RustType::F64 => true,
            RustType::List(inner) | RustType::Sparse(inner) => inner.needs_adapter(),
            RustType::Map(_, v) => v.needs_adapter(),
            _ => false,
        }
    }
}

/// Whether a structure is built by users (inputs) or received from the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reachable only from operation inputs: required members are not `Option`, and it
    /// is built with `new(..)` and setters (`#[non_exhaustive]`, so that a model update
    /// adding an optional member breaks no caller).
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
    /// The module the type is emitted in.
    pub module: Module,
    /// A second name the type is found by (`DeleteConnectionMessage` for `DeleteConnectionInput`).
    pub alias: Option<String>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// The whole shape is marked `sensitive`: `Debug` prints nothing of it.
    pub sensitive: bool,
    /// `Debug` is derived (false: a hand-written impl redacts sensitive parts).
    pub derive_debug: bool,
    /// The shape is an operation's output: it carries the response's request id.
    pub is_output: bool,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum { values: Vec<EnumValue> },
    Union { variants: Vec<UnionVariant> },
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub role: Role,
    pub fields: Vec<Field>,
    /// `Default` is derived (no required members, not a fault).
    pub derive_default: bool,
    /// How callers build it when it has required members.
    pub constructor: Constructor,
    /// A fault's codes on the wire: its shape name, and the model's `error.code` if that
    /// differs. Empty for other structures.
    pub codes: Vec<String>,
    /// A REST protocol's `payload`: the member that is the whole body.
    pub payload: Option<Payload>,
    /// A fault's entry in the XML protocols' shape table ([`XmlSchema::faults`]).
    pub xml_shape: Option<u32>,
}

impl Struct {
    /// Whether any member is bound outside the body (REST protocols).
    pub fn has_bound_fields(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.location != FieldLocation::Body)
    }
}

/// How a structure with required members is constructed.
#[derive(Debug, Clone)]
pub enum Constructor {
    /// No constructor: the model requires no member (outputs and faults have `Default`).
    None,
    /// `new()` (an input with no required members).
    Empty,
    /// `new(value)`: one required member, nothing to swap.
    Positional,
    /// `new(<Name>Required { a, b })`: two or more required members, given by name so
    /// that two values of the same type cannot be swapped silently.
    Named(Ident),
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The member name on the wire.
    pub wire: String,
    pub name: Ident,
    /// The setter's name: the field name on inputs (builder style), `with_<field>` on
    /// structures the service returns, whose field-named methods are getters.
    pub setter: Ident,
    /// A getter returning a slice (`endpoints()`), for list members of structures the
    /// service returns, so that reading needs no `Option` matching.
    pub getter: Option<Ident>,
    pub ty: RustType,
    /// Not wrapped in `Option` (required member of an input structure).
    pub required: bool,
    /// The model marks it required, so `new` takes it (as the field's type, wrapped in
    /// `Some` where the field is an `Option`).
    pub constructor_arg: bool,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecation>,
    pub sensitive: bool,
    /// Where the member travels (REST protocols); `wire` is the member's name when it is
    /// not in the body (the serde form keeps every member).
    pub location: FieldLocation,
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

/// The names the generated S3 Express session opener uses: `CreateSession`'s module, its
/// input (whose one required member is the bucket), the output's `Credentials` member
/// and `SessionCredentials`' four.
#[derive(Debug, Clone)]
pub struct ExpressSession {
    pub module: Ident,
    pub input: Ident,
    pub credentials: Ident,
    /// `AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`.
    pub fields: [Ident; 4],
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`DeleteConnection`).
    pub name: String,
    pub module: Ident,
    /// The operation as a type (`DeleteConnection`), in its module.
    pub type_name: Ident,
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
    /// Input fields marked `idempotencyToken`: filled with a fresh UUID v4 when the
    /// caller leaves them unset, as botocore does (a retried create runs once).
    pub idempotency_tokens: Vec<Ident>,
    /// The model's examples (`examples-1.json`) whose input fits the input type.
    pub examples: Vec<Example>,
    /// The HTTP method, URI and checksum requirement (REST protocols).
    pub http: Option<Http>,
    /// Endpoint rule-set parameters the operation sets (`staticContextParams`).
    pub endpoint_params: Vec<(String, EndpointParam)>,
    /// A 200 answer may be an error document (S3's `_handle_200_error`).
    pub error_in_200: bool,
    /// What `send` does to the input and output as botocore's handlers do
    /// (`resolve/customize.rs`).
    pub customizations: Vec<Customization>,
    /// Rule-set parameters its input members set (`contextParams`).
    pub context_params: Vec<ContextParam>,
    /// How its requests are signed.
    pub auth: Auth,
    /// Its output's payload streams: `send` hands the body over as it arrives.
    pub streaming_output: bool,
    /// Its output's event stream, when this client reads it (rest-json outputs; other
    /// event streams still refuse to send, `event_stream`).
    pub event_output: Option<EventOutput>,
    /// Its input's event stream, when this client sends it (rest-json: the
    /// bidirectional operations).
    pub event_input: Option<EventInput>,
}

impl Operation {
    /// The operation has an event stream this client does not speak (either way): it
    /// refuses to send.
    pub fn refuses_stream(&self) -> bool {
        self.event_stream && self.event_output.is_none() && self.event_input.is_none()
    }
}

/// An input event stream: the enum of the events a caller sends (in the operation's
/// module) and how each is written.
#[derive(Debug, Clone)]
pub struct EventInput {
    /// The enum's name.
    pub name: Ident,
    /// The input field holding the sender.
    pub field: Ident,
    /// The events: their `:event-type` and payload, as an output's are read.
    pub events: Vec<EventVariant>,
}

/// An output event stream: the enum of its events (in the operation's module) and how
/// each message becomes an event or the operation's error.
#[derive(Debug, Clone)]
pub struct EventOutput {
    /// The enum's name.
    pub name: Ident,
    /// The output field holding the receiver.
    pub field: Ident,
    /// The events: `:event-type` values.
    pub events: Vec<EventVariant>,
    /// The modelled exceptions: the `:exception-type` (the stream's member name), the
    /// code the operation's error sorts by (the fault's shape name), and the members its
    /// message is read from, in botocore's order (`Message`, then `message`).
    pub exceptions: Vec<(String, String, Vec<String>)>,
    /// The stream begins with an `initial-response` event whose payload is the output's
    /// other members (awsJson: Kinesis `SubscribeToShard`); else they are read from the
    /// response's headers (rest-json).
    pub initial_response: bool,
}

/// One event of an output event stream.
#[derive(Debug, Clone)]
pub struct EventVariant {
    /// The `:event-type` (the stream's member name).
    pub wire: String,
    pub variant: Ident,
    pub docs: Option<String>,
    /// The event's structure.
    pub target: TypeRef,
    /// The event's shape name in the model (rest-xml: its entry of the shape table).
    pub shape: String,
    /// How the message's payload reads.
    pub payload: EventPayload,
}

/// How an event's message payload becomes its structure.
#[derive(Debug, Clone)]
pub enum EventPayload {
    /// The payload is the structure's JSON (rest-xml: its XML).
    Whole,
    /// The payload is the bytes of this blob member (`eventpayload`).
    Blob(Ident),
    /// The payload is the text of this string member.
    Text(Ident),
    /// The payload is the JSON (rest-xml: the XML) of the structure member of this serde
    /// key, whose shape is `shape` in the model.
    Structure { member: String, shape: String },
}

/// An input member that sets an endpoint rule-set parameter (`contextParam`).
#[derive(Debug, Clone)]
pub struct ContextParam {
    /// The parameter's name in the rule set (`Bucket`).
    pub param: String,
    pub field: Ident,
    pub kind: ContextKind,
}

/// The type of a `contextParam` member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextKind {
    Str,
    /// A string enum (`as_str`).
    Enum,
    Bool,
}

/// How an operation's requests are signed (`authtype`, `auth`, `unsignedPayload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` over https.
    SigV4UnsignedPayload,
    /// Not signed (`authtype: none`, `smithy.api#noAuth`).
    None,
}

/// The value of a `staticContextParams` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointParam {
    Str(String),
    Bool(bool),
}

/// An example call from `examples-1.json`.
#[derive(Debug, Clone)]
pub struct Example {
    pub title: Option<String>,
    pub docs: Option<String>,
    /// The input, as a typed value of the operation's input type.
    pub input: ExampleValue,
}

/// A value of a generated type, to be written as a Rust expression.
#[derive(Debug, Clone)]
pub enum ExampleValue {
    String(String),
    Bool(bool),
    Integer(i64),
    Float(f64),
    Timestamp(String),
    Blob(String),
    Document(serde_json::Value),
    Enum {
        ty: TypeRef,
        value: String,
    },
    List(Vec<ExampleValue>),
    Map(Vec<(String, ExampleValue)>),
    /// A structure: its path, constructor, the arguments of `new` (by field), and the
    /// setters for the other members set.
    Struct {
        ty: TypeRef,
        constructor: Constructor,
        required: Vec<(Ident, ExampleValue)>,
        setters: Vec<(Ident, ExampleValue)>,
    },
    Union {
        ty: TypeRef,
        variant: Ident,
        value: Box<ExampleValue>,
    },
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
    /// The `is_<variant>()` helper.
    pub is_fn: Ident,
    pub target: TypeRef,
    pub docs: Option<String>,
}
