//! Serde mirror of a botocore `service-2.json` file, and loading it (with the companion
//! files beside it) from disk.
//!
//! This is the only module that knows the raw JSON layout. It is deliberately lax about
//! keys it does not know (botocore adds new ones over time) and strict about the ones it
//! reads: a wrong JSON type for a known key is a parse error with line and column.
//! Everything here is plain data; checking that the model makes sense is `validate`'s job.

// Keys are declared so that their JSON types are checked even where no pass reads them
// yet (`http`, `idempotencyToken`, `protocols`, ...): a wrong type is a parse error.
#![allow(dead_code)]

use crate::error::{Error, Result};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A model as read from disk: the service model and the companion files found beside it.
#[derive(Debug)]
pub struct ModelFiles {
    /// The `service-2.json` (or `service-2.json.gz`) that was read.
    pub path: PathBuf,
    pub model: Model,
    /// `endpoint-rule-set-1.json` beside the model, compacted, if there is one.
    pub endpoint_rule_set: Option<String>,
    /// `paginators-1.json` beside the model, if there is one.
    pub paginators: Option<Companion<PaginatorsFile>>,
    /// `waiters-2.json` beside the model, if there is one.
    pub waiters: Option<Companion<WaitersFile>>,
    /// `examples-1.json` beside the model, if there is one.
    pub examples: Option<Companion<ExamplesFile>>,
    /// Every file read, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

impl ModelFiles {
    /// Reads a model: `path` is a `service-2.json`, a gzipped `service-2.json.gz` (as in
    /// a botocore wheel), or a directory holding either. The endpoint rule set beside it
    /// is read the same way when present.
    pub fn load(path: &Path) -> Result<Self> {
        let path = if path.is_dir() {
            first_existing(&path.join("service-2.json"))
                .unwrap_or_else(|| path.join("service-2.json"))
        } else {
            path.to_path_buf()
        };
        let text = read_text(&path)?;
        let model = parse(&path, &text)?;
        let mut inputs = vec![path.clone()];
        let rules = path.with_file_name("endpoint-rule-set-1.json");
        let endpoint_rule_set = match first_existing(&rules) {
            Some(found) => {
                let text = read_text(&found)?;
                let value: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| Error::json(&found, &e))?;
                inputs.push(found);
                Some(sorted_keys(value).to_string())
            }
            None => None,
        };
        let paginators = companion(&path, "paginators-1.json", &mut inputs)?;
        let waiters = companion(&path, "waiters-2.json", &mut inputs)?;
        let examples = companion(&path, "examples-1.json", &mut inputs)?;
        Ok(ModelFiles {
            path,
            model,
            endpoint_rule_set,
            paginators,
            waiters,
            examples,
            inputs,
        })
    }
}

/// A companion file of the model (paginators, waiters, examples) and where it was read.
#[derive(Debug)]
pub struct Companion<T> {
    pub path: PathBuf,
    pub content: T,
}

/// Reads the companion file `name` beside `model` (plain or `.gz`), if it exists.
fn companion<T: serde::de::DeserializeOwned>(
    model: &Path,
    name: &str,
    inputs: &mut Vec<PathBuf>,
) -> Result<Option<Companion<T>>> {
    let Some(path) = first_existing(&model.with_file_name(name)) else {
        return Ok(None);
    };
    let text = read_text(&path)?;
    let content = serde_json::from_str(&text).map_err(|e| Error::json(&path, &e))?;
    inputs.push(path.clone());
    Ok(Some(Companion { path, content }))
}

/// `paginators-1.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaginatorsFile {
    #[serde(default)]
    pub pagination: OrderedMap<RawPaginator>,
}

/// One paginator, as botocore's `paginate.py` reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct RawPaginator {
    pub input_token: OneOrMany,
    pub output_token: OneOrMany,
    #[serde(default)]
    pub result_key: Option<OneOrMany>,
    #[serde(default)]
    pub limit_key: Option<String>,
    #[serde(default)]
    pub more_results: Option<String>,
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
}

/// A key botocore accepts as a string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// `waiters-2.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WaitersFile {
    #[serde(default)]
    pub waiters: OrderedMap<RawWaiter>,
}

/// One waiter, as botocore's `waiter.py` reads it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawWaiter {
    pub operation: String,
    pub delay: u32,
    pub max_attempts: u32,
    #[serde(default)]
    pub description: Option<String>,
    pub acceptors: Vec<RawAcceptor>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RawAcceptor {
    pub matcher: String,
    pub state: String,
    pub expected: serde_json::Value,
    #[serde(default)]
    pub argument: Option<String>,
}

/// `examples-1.json`: per operation, examples of input and output.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExamplesFile {
    #[serde(default)]
    pub examples: BTreeMap<String, Vec<RawExample>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RawExample {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub input: Option<serde_json::Value>,
    #[serde(default)]
    pub output: Option<serde_json::Value>,
}

/// `file` if it exists, else `file.gz` if that exists.
fn first_existing(file: &Path) -> Option<PathBuf> {
    if file.exists() {
        return Some(file.to_path_buf());
    }
    let mut gz = file.as_os_str().to_owned();
    gz.push(".gz");
    let gz = PathBuf::from(gz);
    gz.exists().then_some(gz)
}

/// Reads a file as UTF-8 text, un-gzipping it when its name ends in `.gz`.
fn read_text(path: &Path) -> Result<String> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        gunzip(&bytes).map_err(io)?
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text: {e}"),
        ))
    })
}

#[cfg(feature = "gzip")]
fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out)?;
    Ok(out)
}

#[cfg(not(feature = "gzip"))]
fn gunzip(_: &[u8]) -> std::io::Result<Vec<u8>> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "a gzipped model: build awsgen-codegen with its `gzip` feature, or gunzip the file",
    ))
}

/// Parses model text; `path` is only used in errors.
pub fn parse(path: &Path, text: &str) -> Result<Model> {
    serde_json::from_str(text).map_err(|e| Error::json(path, &e))
}

/// A whole `service-2.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Model {
    pub metadata: Metadata,
    #[serde(default)]
    pub operations: OrderedMap<Operation>,
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
    #[serde(default)]
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default)]
    pub api_version: Option<String>,
    #[serde(default)]
    pub endpoint_prefix: Option<String>,
    #[serde(default)]
    pub json_version: Option<String>,
    pub protocol: String,
    #[serde(default)]
    pub protocols: Option<Vec<String>>,
    #[serde(default)]
    pub service_full_name: Option<String>,
    #[serde(default)]
    pub service_abbreviation: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub signature_version: Option<String>,
    #[serde(default)]
    pub signing_name: Option<String>,
    #[serde(default)]
    pub target_prefix: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    /// Present (as an object) on services moved from the query protocol to JSON (SQS):
    /// requests carry `x-amzn-query-mode: true` and errors the legacy query code.
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    #[serde(default)]
    pub http: Option<Http>,
    #[serde(default)]
    pub input: Option<ShapeRef>,
    #[serde(default)]
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub endpoint: Option<OperationEndpoint>,
    #[serde(default)]
    pub requestcompression: Option<RequestCompression>,
    /// The request must carry a checksum (botocore 1.44 sends the body's CRC32).
    #[serde(default)]
    pub http_checksum_required: bool,
    /// Flexible checksums: whether one is required, and the member choosing the algorithm.
    #[serde(default)]
    pub http_checksum: Option<HttpChecksum>,
    /// Endpoint rule-set parameters the operation sets to fixed values.
    #[serde(default)]
    pub static_context_params: OrderedMap<StaticContextParam>,
    /// How the operation is signed (`none`, `v4-unsigned-body`, ...).
    #[serde(default)]
    pub authtype: Option<String>,
    /// The Smithy auth schemes, in order (`smithy.api#noAuth`, `aws.auth#sigv4`).
    #[serde(default)]
    pub auth: Vec<String>,
    /// SigV4 without the body's hash (`UNSIGNED-PAYLOAD`).
    #[serde(default)]
    pub unsigned_payload: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ContextParamRef {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StaticContextParam {
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    #[serde(default)]
    pub request_checksum_required: bool,
    #[serde(default)]
    pub request_algorithm_member: Option<String>,
    #[serde(default)]
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub request_uri: Option<String>,
    #[serde(default)]
    pub response_code: Option<u16>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationEndpoint {
    #[serde(default)]
    pub host_prefix: Option<String>,
}

/// A reference from an operation to a shape (`{"shape": "Foo"}`).
#[derive(Debug, Clone, Deserialize)]
pub struct ShapeRef {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    /// A REST payload given on the operation's reference instead of on the shape (old
    /// models; botocore merges the reference's traits into the shape).
    #[serde(default)]
    pub payload: Option<String>,
    /// query: the element of the answer that holds the output (`<OpResult>`).
    #[serde(default, rename = "resultWrapper")]
    pub result_wrapper: Option<String>,
    /// rest-xml: the body's root element name (botocore merges it into the shape).
    #[serde(default, rename = "locationName")]
    pub location_name: Option<String>,
    /// rest-xml: the body root's namespace.
    #[serde(default, rename = "xmlNamespace")]
    pub xml_namespace: Option<XmlNamespace>,
}

/// An element's `xmlNamespace`: a URI, or a URI with the prefix it is declared under.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespace {
    Uri(String),
    Prefixed {
        #[serde(default)]
        prefix: Option<String>,
        uri: String,
    },
}

impl XmlNamespace {
    /// The declaring attribute (`xmlns`, `xmlns:prefix`) and the URI.
    pub fn declaration(&self) -> (String, String) {
        match self {
            XmlNamespace::Uri(uri) => ("xmlns".into(), uri.clone()),
            XmlNamespace::Prefixed { prefix, uri } => match prefix.as_deref() {
                Some(p) if !p.is_empty() => (format!("xmlns:{p}"), uri.clone()),
                _ => ("xmlns".into(), uri.clone()),
            },
        }
    }
}

/// A member of a structure or the element/key/value of a list or map.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    /// A header whose value is base64 of JSON (botocore spells the key `jsonvalue`).
    #[serde(default, rename = "jsonvalue")]
    pub json_value: bool,
    #[serde(default)]
    pub location_name: Option<String>,
    /// Where a REST protocol puts the member: `uri`, `querystring`, `header`, `headers`
    /// or `statusCode`; absent for the body.
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub sensitive: bool,
    /// A blob payload that streams, marked on the reference (S3's `Body`).
    #[serde(default)]
    pub streaming: bool,
    /// The endpoint rule-set parameter this input member sets (`{"name": "Bucket"}`).
    #[serde(default)]
    pub context_param: Option<ContextParamRef>,
    /// XML protocols: a list or map whose elements stand in place of a wrapper.
    #[serde(default)]
    pub flattened: bool,
    /// XML protocols: read from an attribute of the structure's element.
    #[serde(default)]
    pub xml_attribute: bool,
    /// ec2: the member's form key.
    #[serde(default)]
    pub query_name: Option<String>,
    /// XML protocols: the namespace declared on the member's element.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub requires_length: bool,
    /// An event's member that is the message's whole payload.
    #[serde(default)]
    pub eventpayload: bool,
    /// An event's member read from a message header.
    #[serde(default)]
    pub eventheader: bool,
}

/// One entry of `shapes`. botocore keeps every kind of shape in one flat object
/// distinguished by `type`; the mirror does the same and `validate` sorts them out.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub shape_type: ShapeType,
    #[serde(default)]
    pub members: Option<OrderedMap<Member>>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub member: Option<Member>,
    #[serde(default)]
    pub key: Option<Member>,
    #[serde(default)]
    pub value: Option<Member>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// A list or map whose `null` elements are values (`Vec<Option<T>>`).
    #[serde(default)]
    pub sparse: bool,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub event: bool,
    #[serde(default)]
    pub eventstream: bool,
    /// A REST structure's member that is the whole body.
    #[serde(default)]
    pub payload: Option<String>,
    /// A REST location given on the shape instead of on the member (old models; botocore
    /// merges the member's traits over the shape's).
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    /// A blob (or string) payload that streams.
    #[serde(default)]
    pub streaming: bool,
    /// A streaming input that must be sent with its length (`Content-Length`).
    #[serde(default)]
    pub requires_length: bool,
    /// XML protocols: a list or map whose elements stand in place of a wrapper.
    #[serde(default)]
    pub flattened: bool,
    /// XML protocols: the namespace declared on the shape's elements.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
}

/// `v` with every object's keys in sorted order, whatever serde_json's `preserve_order`
/// feature (another crate of a workspace can turn it on for the generator): the compact
/// rule set embedded in generated code is the same bytes in every build. (Depth is
/// bounded by serde_json's recursion limit of 128.)
fn sorted_keys(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, x)| (k, sorted_keys(x)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted_keys).collect())
        }
        other => other,
    }
}

/// A shape's `type`. Unknown types are kept as text so that `validate` can name the
/// shape in its error (a serde error would only give a line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeType {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Short,
    Byte,
    Float,
    Double,
    Boolean,
    Blob,
    Timestamp,
    /// A single character (old models): a string, as botocore reads it.
    Character,
    Unknown(String),
}

impl<'de> Deserialize<'de> for ShapeType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Ok(match s.as_str() {
            "structure" => ShapeType::Structure,
            "list" => ShapeType::List,
            "map" => ShapeType::Map,
            "string" => ShapeType::String,
            "integer" => ShapeType::Integer,
            "long" => ShapeType::Long,
            "short" => ShapeType::Short,
            "byte" => ShapeType::Byte,
            "float" => ShapeType::Float,
            "double" => ShapeType::Double,
            "boolean" => ShapeType::Boolean,
            "blob" => ShapeType::Blob,
            "timestamp" => ShapeType::Timestamp,
            "character" => ShapeType::Character,
            _ => ShapeType::Unknown(s),
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// A JSON object whose key order matters (structure members are emitted in model order).
/// Duplicate keys are rejected: a model that says the same member twice is malformed.
#[derive(Debug, Clone)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    let value = map.next_value()?;
                    out.push((key, value));
                }
                Ok(OrderedMap(out))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

#[cfg(all(test, not(feature = "gzip")))]
mod tests {
    /// Without the `gzip` feature (the DMS crate's build script) a gzipped model is a
    /// typed error that names the file and the feature, not garbage parsed as JSON.
    /// `.ci/run` runs this with `--no-default-features`.
    #[test]
    fn a_gzipped_model_without_the_feature_names_it() {
        let dir = std::env::temp_dir().join(format!("awsgen-nogz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("service-2.json.gz");
        std::fs::write(&path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]).unwrap();
        let err = super::ModelFiles::load(&path).err().map(|e| e.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        let err = err.expect("a gzipped model without the feature must fail");
        assert!(err.contains("service-2.json.gz"), "{err}");
        assert!(err.contains("`gzip` feature"), "{err}");
    }
}
