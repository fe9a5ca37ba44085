//! Turns every suite of botocore's `protocols/{input,output}-json.json` into a model, runs
//! the generator on it, and writes a dispatcher from (suite, operation) to the generated
//! client call, so the tests can drive any case by name.

use awsgen_codegen::naming;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let data = manifest.join("../data/botocore/protocols");
    let mut dispatch = String::new();
    let mut input_arms = String::new();
    let mut output_arms = String::new();
    for (kind, file) in [("input", "input-json.json"), ("output", "output-json.json")] {
        let path = data.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let suites: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (i, suite) in suites.iter().enumerate() {
            let name = format!("{kind}_{i}");
            let (model, ops) = suite_model(suite, &name);
            let dir = out.join(&name);
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(
                dir.join("service-2.json"),
                serde_json::to_string_pretty(&model).expect("json"),
            )
            .expect("write model");
            if let Err(e) = awsgen_codegen::Config::new()
                .model(&dir)
                .out_dir(&out)
                .file_name(format!("{name}.rs"))
                .emit_rerun_if_changed(false)
                .compile()
            {
                panic!("generating suite {name} ({}): {e}", suite["description"]);
            }
            writeln!(dispatch, "#[allow(clippy::all, deprecated)]\npub mod {name} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\")); }}").unwrap();
            for (op, errors) in &ops {
                let m = naming::module_name(op);
                let input = naming::operation_type_name(op, "Input");
                let error = naming::operation_type_name(op, "Error");
                let path = format!("{name}::operation::{m}");
                if kind == "input" {
                    writeln!(
                        input_arms,
                        "        ({i}, {op:?}) => {{ let input: {path}::{input} = serde_json::from_value(params).map_err(|e| format!(\"params do not fit the input: {{e}}\"))?; \
                         {name}::client::Client::new(config).{m}(input).await.map(|_| ()).map_err(|e| e.to_string()) }}"
                    )
                    .unwrap();
                } else {
                    let mut fault_arms = String::new();
                    for e in errors {
                        let v = naming::union_variant_name(e);
                        writeln!(fault_arms, "                    {path}::{error}::{v}(f) => serde_json::to_value(f).ok(),").unwrap();
                    }
                    let members = if errors.is_empty() {
                        "{ let _ = &e; None }".to_string()
                    } else {
                        format!("match &e {{\n{fault_arms}                    _ => None }}")
                    };
                    writeln!(
                        output_arms,
                        "        ({i}, {op:?}) => {{ let input: {path}::{input} = serde_json::from_value(serde_json::json!({{}})).map_err(|e| Failure::Harness(e.to_string()))?; \
                         match {name}::client::Client::new(config).{m}(input).await {{ \
                           Ok(o) => serde_json::to_value(&o).map_err(|e| Failure::Harness(e.to_string())), \
                           Err(e) => {{ let members = {members}; \
                             Err(Failure::Service {{ code: e.code().map(str::to_string), message: e.message().map(str::to_string), members, display: e.to_string() }}) }} }} }}"
                    )
                    .unwrap();
                }
            }
        }
    }
    write!(
        dispatch,
        "\n/// Sends the input case's operation with `params` (wire JSON) through the generated client.\n\
         pub async fn run_input(suite: usize, op: &str, params: serde_json::Value, config: awsgen_runtime::Config) -> Result<(), String> {{\n\
         \x20   match (suite, op) {{\n{input_arms}        _ => Err(format!(\"no operation {{op}} in input suite {{suite}}\")),\n    }}\n}}\n\n\
         /// Calls the output case's operation (with an empty input) and returns the output as wire JSON.\n\
         pub async fn run_output(suite: usize, op: &str, config: awsgen_runtime::Config) -> Result<serde_json::Value, Failure> {{\n\
         \x20   match (suite, op) {{\n{output_arms}        _ => Err(Failure::Harness(format!(\"no operation {{op}} in output suite {{suite}}\"))),\n    }}\n}}\n"
    )
    .unwrap();
    std::fs::write(out.join("dispatch.rs"), dispatch).expect("write dispatch");
}

/// A botocore model for one suite: its metadata and shapes, and one operation per
/// operation name its cases use (a name's fault lists are merged across cases).
fn suite_model(suite: &Value, name: &str) -> (Value, Vec<(String, Vec<String>)>) {
    let mut metadata = suite["metadata"].as_object().cloned().unwrap_or_default();
    metadata.insert("uid".into(), json!(format!("protocol-{name}")));
    metadata.insert("endpointPrefix".into(), json!("protocoltest"));
    metadata.insert("serviceId".into(), json!(format!("Protocol {name}")));
    metadata.insert("signatureVersion".into(), json!("v4"));
    let mut operations: Map<String, Value> = Map::new();
    let mut ops: Vec<(String, Vec<String>)> = Vec::new();
    for case in suite["cases"].as_array().into_iter().flatten() {
        let given = &case["given"];
        let op = given["name"].as_str().expect("operation name").to_string();
        let errors: Vec<String> = given["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["shape"].as_str().map(str::to_string))
            .collect();
        match ops.iter_mut().find(|(n, _)| *n == op) {
            Some((_, errs)) => {
                for e in errors {
                    if !errs.contains(&e) {
                        errs.push(e);
                    }
                }
            }
            None => ops.push((op.clone(), errors)),
        }
        let mut g = given.as_object().cloned().unwrap_or_default();
        let merged = &ops.iter().find(|(n, _)| *n == op).expect("just inserted").1;
        g.insert(
            "errors".into(),
            Value::Array(merged.iter().map(|e| json!({"shape": e})).collect()),
        );
        operations.insert(op, Value::Object(g));
    }
    let model = json!({"metadata": metadata, "operations": operations, "shapes": suite["shapes"]});
    let _ = Path::new(name);
    (model, ops)
}
