//! Turns every suite of botocore's protocol test files (`protocols/*.json`: awsJson 1.1
//! and 1.0, query-compatible, rest-json, query, ec2, rest-xml, smithy-rpc-v2-cbor and
//! their legacy suites) into a model, runs the
//! generator on it, and writes a dispatcher from (suite, operation) to the generated
//! client call, so the tests can drive any case by name. A suite is named
//! `<file stem>_<index>` (`input_rest_json_3`).

use awsgen_codegen::naming;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The suite files, as `tests/data/botocore/protocols` holds them.
const FILES: &[&str] = &[
    "input-json.json",
    "output-json.json",
    "input-json_1_0.json",
    "output-json_1_0.json",
    "input-json_1_0-query-compatible.json",
    "output-json_1_0-query-compatible.json",
    "input-rest-json.json",
    "output-rest-json.json",
    "legacy-input-rest-json.json",
    "legacy-output-rest-json.json",
    "input-query.json",
    "output-query.json",
    "legacy-input-query.json",
    "legacy-output-query.json",
    "input-ec2.json",
    "output-ec2.json",
    "legacy-input-ec2.json",
    "legacy-output-ec2.json",
    "input-rest-xml.json",
    "output-rest-xml.json",
    "legacy-input-rest-xml.json",
    "legacy-output-rest-xml.json",
    "input-smithy-rpc-v2-cbor.json",
    "output-smithy-rpc-v2-cbor.json",
    "input-smithy-rpc-v2-cbor-query-compatible.json",
    "output-smithy-rpc-v2-cbor-query-compatible.json",
    "input-smithy-rpc-v2-cbor-non-query-compatible.json",
    "output-smithy-rpc-v2-cbor-non-query-compatible.json",
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let data = manifest.join("../data/botocore/protocols");
    // Each call's future is boxed: the dispatcher's own future would otherwise be as
    // large as the largest of hundreds of clients' (the test thread's stack overflowed).
    let mut dispatch = String::new();
    let mut input_arms = String::new();
    let mut output_arms = String::new();
    let mut case_arms = String::new();
    for file in FILES {
        let kind = if file.contains("input") {
            "input"
        } else {
            "output"
        };
        let path = data.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let suites: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = file.trim_end_matches(".json").replace('-', "_");
        for (i, suite) in suites.iter().enumerate() {
            let name = format!("{stem}_{i}");
            let (model, ops, by_case) = suite_model(suite, &name, kind == "output");
            for (j, op) in by_case.iter().enumerate() {
                writeln!(case_arms, "        ({name:?}, {j}) => {op:?},").unwrap();
            }
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
            // One small function per suite, returning the call as a boxed future: one
            // `async fn` matching on every operation of every suite had a state machine
            // (and a debug-build stack frame) as large as all of them together.
            let mut arms = String::new();
            for (op, _errors) in &ops {
                let m = naming::module_name(op);
                let input = naming::operation_type_name(op, "Input");
                let path = format!("{name}::operation::{m}");
                if kind == "input" {
                    writeln!(
                        arms,
                        "        {op:?} => Some(Box::pin(async move {{ let input: {path}::{input} = serde_json::from_value(params).map_err(|e| format!(\"params do not fit the input: {{e}}\"))?; \
                         {name}::client::Client::new(config).{m}(input).await.map(|_| ()).map_err(|e| e.to_string()) }})),"
                    )
                    .unwrap();
                } else {
                    // Members of any fault of the suite: the service-wide `Error` sorts the
                    // code among all of them, as botocore's `shape_for_error_code` does.
                    let mut fault_arms = String::new();
                    for (shape_name, shape) in suite["shapes"].as_object().into_iter().flatten() {
                        if shape["exception"].as_bool() == Some(true) {
                            let v = naming::type_name(shape_name);
                            writeln!(fault_arms, "                    {name}::error::Error::{v}(f) => serde_json::to_value(f).ok(),").unwrap();
                        }
                    }
                    let members = if fault_arms.is_empty() {
                        "{ let _ = &e; None }".to_string()
                    } else {
                        format!("match &e {{\n{fault_arms}                    _ => None }}")
                    };
                    writeln!(
                        arms,
                        "        {op:?} => Some(Box::pin(async move {{ let input: {path}::{input} = serde_json::from_value(serde_json::json!({{}})).map_err(|e| Failure::Harness(e.to_string()))?; \
                         match {name}::client::Client::new(config).{m}(input).await {{ \
                           Ok(o) => serde_json::to_value(&o).map_err(|e| Failure::Harness(e.to_string())), \
                           Err(e) => {{ let code = e.code().map(str::to_string); let message = e.message().map(str::to_string); let display = e.to_string(); \
                             let e: {name}::error::Error = e.into(); \
                             let members = {members}; \
                             Err(Failure::Service {{ code, message, members, display }}) }} }} }})),"
                    )
                    .unwrap();
                }
            }
            if kind == "input" {
                writeln!(
                    dispatch,
                    "#[allow(unused_variables)]\nfn input_{name}(op: &str, params: serde_json::Value, config: awsgen_runtime::Config) -> Option<Call<Result<(), String>>> {{\n    match op {{\n{arms}        _ => None,\n    }}\n}}"
                )
                .unwrap();
                writeln!(
                    input_arms,
                    "        {name:?} => input_{name}(op, params, config),"
                )
                .unwrap();
            } else {
                writeln!(
                    dispatch,
                    "#[allow(unused_variables)]\nfn output_{name}(op: &str, config: awsgen_runtime::Config) -> Option<Call<Result<serde_json::Value, Failure>>> {{\n    match op {{\n{arms}        _ => None,\n    }}\n}}"
                )
                .unwrap();
                writeln!(
                    output_arms,
                    "        {name:?} => output_{name}(op, config),"
                )
                .unwrap();
            }
        }
    }
    write!(
        dispatch,
        "\n/// A generated client's call.\n\
         type Call<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;\n\n\
         /// Sends the input case's operation with `params` (wire JSON) through the generated client.\n\
         pub async fn run_input(suite: &str, op: &str, params: serde_json::Value, config: awsgen_runtime::Config) -> Result<(), String> {{\n\
         \x20   let call = match suite {{\n{input_arms}        _ => None,\n    }};\n\
         \x20   match call {{ Some(call) => call.await, None => Err(format!(\"no operation {{op}} in input suite {{suite}}\")) }}\n}}\n\n\
         /// Calls the output case's operation (with an empty input) and returns the output as wire JSON.\n\
         pub async fn run_output(suite: &str, op: &str, config: awsgen_runtime::Config) -> Result<serde_json::Value, Failure> {{\n\
         \x20   let call = match suite {{\n{output_arms}        _ => None,\n    }};\n\
         \x20   match call {{ Some(call) => call.await, None => Err(Failure::Harness(format!(\"no operation {{op}} in output suite {{suite}}\"))) }}\n}}\n"
    )
    .unwrap();
    write!(
        dispatch,
        "\n/// The operation a case calls (cases that give one name different traits get one each).\n\
         pub fn case_operation(suite: &str, case: usize) -> &'static str {{\n    match (suite, case) {{\n{case_arms}        _ => \"OperationName\",\n    }}\n}}\n"
    )
    .unwrap();
    std::fs::write(out.join("dispatch.rs"), dispatch).expect("write dispatch");
}

/// A botocore model for one suite: its metadata and shapes, and one operation per
/// operation name its cases use (a name's fault lists are merged across cases). Cases
/// that give the same name different `http`, input or output (the legacy suites do)
/// get an operation each (`OperationName`, `OperationName2`, ...); `ops` lists the
/// operations with their faults, `by_case` the operation of each case.
/// A suite's operations, each with the faults its cases list.
type SuiteOps = Vec<(String, Vec<String>)>;

fn suite_model(suite: &Value, name: &str, output: bool) -> (Value, SuiteOps, Vec<String>) {
    let query = suite["metadata"]["protocol"] == "query";
    let mut metadata = suite["metadata"].as_object().cloned().unwrap_or_default();
    metadata.insert("uid".into(), json!(format!("protocol-{name}")));
    metadata.insert("endpointPrefix".into(), json!("protocoltest"));
    metadata.insert("serviceId".into(), json!(format!("Protocol {name}")));
    metadata.insert("signatureVersion".into(), json!("v4"));
    let mut operations: Map<String, Value> = Map::new();
    let mut ops: SuiteOps = Vec::new();
    let mut by_case = Vec::new();
    let without_errors = |g: &Value| {
        let mut g = g.as_object().cloned().unwrap_or_default();
        g.remove("errors");
        g.remove("documentation");
        g.remove("name");
        Value::Object(g)
    };
    for case in suite["cases"].as_array().into_iter().flatten() {
        let given = &case["given"];
        let base = given["name"]
            .as_str()
            .unwrap_or("OperationName")
            .to_string();
        let mut op = base.clone();
        let mut n = 1;
        while let Some(existing) = operations.get(&op) {
            if without_errors(existing) == without_errors(given) {
                break;
            }
            n += 1;
            op = format!("{base}{n}");
        }
        by_case.push(op.clone());
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
        g.insert("name".into(), json!(op));
        // As botocore's harness: a query output with members is read from `<OpResult>`.
        let has_members = given["output"]["shape"]
            .as_str()
            .and_then(|s| suite["shapes"][s]["members"].as_object())
            .is_some_and(|m| !m.is_empty());
        if query && output && has_members {
            if let Some(out) = g.get_mut("output").and_then(Value::as_object_mut) {
                out.insert("resultWrapper".into(), json!(format!("{base}Result")));
            }
        }
        operations.insert(op, Value::Object(g));
    }
    let model = json!({"metadata": metadata, "operations": operations, "shapes": suite["shapes"]});
    (model, ops, by_case)
}
