//! Generates typed Rust clients from botocore JSON service models.
//!
//! The pipeline runs in one direction: the botocore JSON is parsed into a serde mirror,
//! validated into a typed model, resolved into an IR whose every Rust name is final,
//! emitted as tokens with `quote` and formatted with `prettyplease` (the map of the
//! modules is the repository's `ARCHITECTURE.md`). The public surface is [`Config`],
//! [`Error`] and what they return.
//!
//! # From a build script
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     awsgen_codegen::Config::new()
//!         .model("models/dms/2016-01-01/service-2.json")
//!         .operations(["DeleteConnection", "DescribeConnections"])
//!         .compile()?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate, with `awsgen-runtime` as a dependency:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/dms.rs"));
//! ```
//!
//! The output may be included in any module: generated items refer to each other with
//! relative paths.

// Errors are built once, on the cold path of a build script; their size does not matter
// and keeping every field inline keeps them easy to match on.
#![allow(clippy::result_large_err)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod checked;
mod docs;
mod emit;
mod error;
mod format;
mod ir;
mod jmespath;
mod model;
#[doc(hidden)]
pub mod naming;
mod resolve;
mod validate;

pub use error::{Error, Location, Result};

use std::path::{Path, PathBuf};

/// Runs the whole pipeline on model text, formatting included, without touching the disk
/// (for the generator's own tests of bad input; `path` appears only in errors). Returns
/// the size of the generated source. Not a stable API.
#[doc(hidden)]
pub fn check_model_text(path: &Path, text: &str, operations: Option<&[String]>) -> Result<usize> {
    let model = model::parse(path, text)?;
    let checked = validate::validate(path, &model, operations)?;
    let service = resolve::resolve(&checked, operations, resolve::Companions::default())?;
    let text = emit::OptionsText::default();
    let code = format_service(&service, &text, String::new())?;
    Ok(code.len())
}

/// The generator's version, written into every generated file's header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Configures and runs the generator, in the style of `prost_build::Config`.
#[derive(Debug, Clone)]
pub struct Config {
    model: Option<PathBuf>,
    operations: Option<Vec<String>>,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    runtime_path: String,
    derives: Vec<String>,
    type_attributes: Vec<(String, String)>,
    emit_rerun_if_changed: bool,
    blocking_feature: Option<String>,
    test_util_feature: Option<String>,
    examples: Option<(String, String)>,
    wire_harness: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            model: None,
            operations: None,
            out_dir: None,
            file_name: None,
            runtime_path: "::awsgen_runtime".to_string(),
            derives: Vec::new(),
            type_attributes: Vec::new(),
            emit_rerun_if_changed: true,
            blocking_feature: None,
            test_util_feature: None,
            wire_harness: false,
            examples: None,
        }
    }
}

/// What [`Config::generate`] produces.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file name the code is written to by [`Config::compile`] (`dms.rs`).
    pub file_name: String,
    /// The formatted Rust source, header included.
    pub code: String,
    /// The model files that were read.
    pub inputs: Vec<PathBuf>,
    /// The examples file (its name and formatted source), when examples are rendered.
    pub examples: Option<(String, String)>,
}

impl Config {
    /// A configuration with defaults: every operation, output to `OUT_DIR`.
    pub fn new() -> Self {
        Config::default()
    }

    /// The model: a botocore `service-2.json`, or a directory holding one (for example
    /// `models/dms/2016-01-01`).
    pub fn model(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.model = Some(path.as_ref().to_path_buf());
        self
    }

    /// Generates only these operations (by their model names, `DeleteConnection`) and the
    /// shapes they use. Without it, every operation of the model is generated.
    pub fn operations<I, S>(&mut self, ops: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.operations = Some(ops.into_iter().map(Into::into).collect());
        self
    }

    /// Where [`compile`](Self::compile) writes; defaults to the `OUT_DIR` cargo gives build scripts.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The output file name; defaults to `<endpoint prefix>.rs` (`dms.rs`).
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = Some(name.into());
        self
    }

    /// How generated code names the runtime crate; defaults to `::awsgen_runtime`
    /// (change it when the runtime is re-exported or renamed in `Cargo.toml`).
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_path = path.into();
        self
    }

    /// Adds a derive to every generated struct, enum and union (`"::std::hash::Hash"`
    /// is not possible on types with floats; pick derives that fit the model).
    pub fn derive(&mut self, path: impl Into<String>) -> &mut Self {
        self.derives.push(path.into());
        self
    }

    /// Adds an attribute to the generated type with this Rust name (`"*"` for all):
    /// `.type_attribute("Connection", "#[allow(missing_docs)]")`.
    pub fn type_attribute(
        &mut self,
        type_name: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        self.type_attributes
            .push((type_name.into(), attribute.into()));
        self
    }

    /// Also generates `blocking::Client` (the same methods, without async), compiled only
    /// when the including crate's cargo feature `feature` is on; that feature must turn on
    /// `awsgen-runtime/blocking`. Default: no blocking client.
    pub fn blocking_feature(&mut self, feature: impl Into<String>) -> &mut Self {
        self.blocking_feature = Some(feature.into());
        self
    }

    /// Also generates `test_util` (the runtime's typed mocks, `mock` and `mock_config`,
    /// beside `Client` at the file's root), compiled only when the including crate's
    /// cargo feature `feature` is on; that feature must turn on `awsgen-runtime/test-util`.
    /// Default: no `test_util` module.
    pub fn test_util_feature(&mut self, feature: impl Into<String>) -> &mut Self {
        self.test_util_feature = Some(feature.into());
        self
    }

    /// Also emits `__wire_harness`, the hidden per-operation JSON round trip that
    /// `scripts/differential.py` compares with botocore. Not for clients.
    #[doc(hidden)]
    pub fn wire_harness(&mut self, on: bool) -> &mut Self {
        self.wire_harness = on;
        self
    }

    /// Renders the model's examples (`examples-1.json`): in each client method's
    /// documentation, and as `async fn`s in `file_name` (written beside the client by
    /// [`compile`](Self::compile)) for the crate to compile, for instance as an example
    /// target that `include!`s it. `crate_path` is how that code names the generated crate
    /// (`awsgen_dms`).
    pub fn examples(
        &mut self,
        file_name: impl Into<String>,
        crate_path: impl Into<String>,
    ) -> &mut Self {
        self.examples = Some((file_name.into(), crate_path.into()));
        self
    }

    /// Whether [`compile`](Self::compile) prints `cargo:rerun-if-changed` lines (default: yes).
    pub fn emit_rerun_if_changed(&mut self, yes: bool) -> &mut Self {
        self.emit_rerun_if_changed = yes;
        self
    }

    /// Runs the whole pipeline and returns the formatted source without writing it.
    pub fn generate(&self) -> Result<Generated> {
        let path = self.model.clone().ok_or_else(|| Error::Config {
            message: "no model given (call `.model(path)`)".into(),
        })?;
        let text = emit::OptionsText {
            runtime: self.runtime_path.clone(),
            derives: self.derives.clone(),
            type_attributes: self.type_attributes.clone(),
            blocking_feature: self.blocking_feature.clone(),
            test_util_feature: self.test_util_feature.clone(),
            examples_crate: self.examples.as_ref().map(|(_, c)| c.clone()),
            wire_harness: self.wire_harness,
        };
        let options = emit::Options::parse(&text)?;
        let files = model::ModelFiles::load(&path)?;
        let service = resolved(&files, self.operations.as_deref())?;
        let header = header(&service, self.operations.as_deref());
        let code = format_service(&service, &text, header.clone())?;
        let examples = match (&self.examples, emit::emit_examples(&service, &options)) {
            (Some((name, _)), Some(tokens)) => {
                Some((name.clone(), format!("{header}{}", format_tokens(tokens)?)))
            }
            _ => None,
        };
        Ok(Generated {
            file_name: self
                .file_name
                .clone()
                .unwrap_or_else(|| naming::file_name(&service.endpoint_prefix)),
            code,
            inputs: files.inputs,
            examples,
        })
    }

    /// Generates and writes the file to the output directory, only if its content changed
    /// (so an unchanged model never makes cargo recompile dependents). Prints
    /// `cargo:rerun-if-changed` for every model file read. Returns the written path.
    pub fn compile(&self) -> Result<PathBuf> {
        let generated = self.generate()?;
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::Config {
                    message: "no output directory: set `.out_dir(..)` or run from a build script"
                        .into(),
                })?,
        };
        if self.emit_rerun_if_changed {
            for input in &generated.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let path = out_dir.join(&generated.file_name);
        write_if_changed(&path, generated.code.as_bytes())?;
        if let Some((name, code)) = &generated.examples {
            write_if_changed(&out_dir.join(name), code.as_bytes())?;
        }
        Ok(path)
    }
}

/// Writes `contents` to `path` unless the file already holds exactly that. Returns
/// whether it wrote.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool> {
    if holds_exactly(path, contents) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, contents).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}

/// Whether the file at `path` holds exactly `contents`: its length first, then its bytes
/// a block at a time (a generated file is megabytes; reading it whole cost a tenth of
/// the generator's time). Any error reading it counts as a difference.
fn holds_exactly(path: &Path, contents: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len()).ok() != u64::try_from(contents.len()).ok() {
        return false;
    }
    let mut block = vec![0u8; 64 * 1024];
    let mut rest = contents;
    loop {
        match file.read(&mut block) {
            Ok(0) => return rest.is_empty(),
            Ok(n) => match (block.get(..n), rest.get(..n)) {
                (Some(read), Some(expected)) if read == expected => rest = &rest[n..],
                _ => return false,
            },
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// The model's files validated and resolved, for the operations in `ops` (all when
/// `None`).
fn resolved(files: &model::ModelFiles, ops: Option<&[String]>) -> Result<ir::Service> {
    let checked = validate::validate(&files.path, &files.model, ops)?;
    let companions = resolve::Companions {
        endpoint_rule_set: files.endpoint_rule_set.clone(),
        paginators: files.paginators.as_ref(),
        waiters: files.waiters.as_ref(),
        examples: files.examples.as_ref(),
    };
    resolve::resolve(&checked, ops, companions)
}

/// Formats tokens as a Rust file (a parse failure is a generator bug, reported).
fn format_tokens(tokens: proc_macro2::TokenStream) -> Result<String> {
    format::format_pieces(1, None, String::new(), |sink| sink(tokens))
}

/// Emits and formats the service after `head`: types, faults and operations on worker
/// threads, each with its own [`emit::Options`] made from `text` (tokens are not `Send`).
fn format_service(service: &ir::Service, text: &emit::OptionsText, head: String) -> Result<String> {
    let options = emit::Options::parse(text)?;
    let workers = || -> Result<format::Emit<'_>> {
        let options = emit::Options::parse(text)?;
        Ok(Box::new(move |key| {
            let tokens = emit::emit_deferred(service, &options, key)?;
            let weight = emit::deferred_weight(service, &options, key)?;
            Some((tokens, weight.saturating_mul(emit::TOKENS_PER_WEIGHT)))
        }))
    };
    format::format_pieces(format_threads(), Some(&workers), head, |sink| {
        emit::emit_each(service, &options, true, sink)
    })
}

/// Formatting threads (this one included): one per core the process may use (at most 8).
fn format_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The `@generated` header. Model text in it is reduced to one line of printable
/// characters, so that no model can end the comment and inject code.
fn header(service: &ir::Service, operations: Option<&[String]>) -> String {
    let selection = match operations {
        None => "all operations".to_string(),
        Some(ops) => {
            let ops: std::collections::BTreeSet<&String> = ops.iter().collect();
            let ops: Vec<&str> = ops.into_iter().map(String::as_str).collect();
            format!("operations: {}", ops.join(", "))
        }
    };
    let line = format!(
        "@generated by awsgen-codegen {VERSION} from the botocore model {uid} (API version {api}, {src}; {selection}).",
        uid = service.uid,
        api = service.api_version,
        src = service.source_name,
    );
    let line: String = line
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(
        "// {line}\n// Do not edit by hand: change the model or the generator and regenerate.\n\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`emit::deferred_weight`] bounds what each deferred item (type, fault, operation)
    /// of the DMS model and the test fixture emits, four times over, with extra derives
    /// and attributes configured: the formatter relies on it to skip counting items.
    #[test]
    fn deferred_weights_bound_their_tokens() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let options = emit::Options::parse(&emit::OptionsText {
            derives: vec!["::serde::Serialize".into()],
            type_attributes: vec![("*".into(), "#[serde(rename_all = \"camelCase\")]".into())],
            ..Default::default()
        })
        .unwrap();
        for dir in ["models/dms/2016-01-01", "tests/fixtures/recursive"] {
            let files = model::ModelFiles::load(&root.join(dir)).unwrap();
            let service = resolved(&files, None).unwrap();
            let mut worst = (0.0f64, 0);
            let mut key = 0;
            while let Some(tokens) = emit::emit_deferred(&service, &options, key) {
                let weight = emit::deferred_weight(&service, &options, key).unwrap();
                let tokens = format::count_all_tokens(tokens);
                let per_unit = tokens as f64 / weight as f64;
                if per_unit > worst.0 {
                    worst = (per_unit, key);
                }
                assert!(
                    tokens * 4 <= weight * emit::TOKENS_PER_WEIGHT,
                    "{dir}: item {key} emits {tokens} tokens for a weight of {weight}"
                );
                key += 1;
            }
            assert!(key > 10, "{dir}: {key} items");
            eprintln!(
                "{dir}: {key} items, at most {:.1} tokens per unit (item {})",
                worst.0, worst.1
            );
            assert!(emit::deferred_weight(&service, &options, key).is_none());
        }
    }
}
