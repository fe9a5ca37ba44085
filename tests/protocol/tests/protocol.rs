//! botocore's awsJson protocol test suites (`tests/data/botocore/protocols`), every case:
//! input cases build the request from `params` with the generated client and compare
//! method, URI, host, headers and body; output cases parse `response` and compare with
//! `result`, or for errors check the code, the message and the modelled members.
//!
//! Ends with one summary line per file and an overall
//! `protocol tests: N cases, N passed, 0 failed, 0 skipped`.

use awsgen_protocol_tests::{run_input, run_output, Capture, Failure};
use awsgen_runtime::{Config, Credentials, DateTime, RetryConfig};
use serde_json::{Map, Value};

/// Cases deliberately not run, with the reason (counted in the summary).
const SKIPPED: &[(&str, &str)] = &[];

fn data(file: &str) -> Vec<Value> {
    let path = format!(
        "{}/../data/botocore/protocols/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn config(capture: &Capture, endpoint: &str) -> Config {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        ))
        .endpoint_url(endpoint)
        .retry(RetryConfig::disabled())
        .time_source(|| DateTime::from_ymd_hms(2015, 8, 30, 12, 36, 0).unwrap_or_default())
        .http_client(capture.clone())
        .build()
}

/// The shape a reference points to.
fn target<'a>(shapes: &'a Map<String, Value>, r: &Value) -> &'a Value {
    shapes
        .get(r["shape"].as_str().unwrap_or_default())
        .unwrap_or(&Value::Null)
}

/// Params as botocore takes them (raw strings for blobs) -> the wire JSON our input types
/// deserialize from (base64 for blobs). Everything else is already in wire form.
fn params_to_wire(shapes: &Map<String, Value>, shape: &Value, v: &Value) -> Value {
    match (shape["type"].as_str(), v) {
        (Some("blob"), Value::String(s)) => {
            Value::String(awsgen_runtime::Blob::new(s.as_bytes().to_vec()).to_base64())
        }
        (Some("structure"), Value::Object(o)) if !shape["document"].as_bool().unwrap_or(false) => {
            let members = shape["members"].as_object();
            Value::Object(
                o.iter()
                    .map(|(k, x)| {
                        let m = members
                            .and_then(|m| m.get(k))
                            .map(|m| target(shapes, m))
                            .unwrap_or(&Value::Null);
                        (k.clone(), params_to_wire(shapes, m, x))
                    })
                    .collect(),
            )
        }
        (Some("list"), Value::Array(a)) => Value::Array(
            a.iter()
                .map(|x| params_to_wire(shapes, target(shapes, &shape["member"]), x))
                .collect(),
        ),
        (Some("map"), Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    (
                        k.clone(),
                        params_to_wire(shapes, target(shapes, &shape["value"]), x),
                    )
                })
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// A comparable form of a value of `shape`, from either side: timestamps as seconds,
/// blobs as bytes (ours arrive base64), floats as numbers or their special names, null
/// members dropped, numbers compared as floats.
fn canon(shapes: &Map<String, Value>, shape: &Value, v: &Value, ours: bool) -> Value {
    let ty = shape["type"].as_str().unwrap_or_default();
    match (ty, v) {
        (_, Value::Null) => Value::Null,
        ("timestamp", Value::Number(n)) => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        ("timestamp", Value::String(s)) => DateTime::parse_any(s)
            .map(|d| Value::from(d.as_secs_f64()))
            .unwrap_or_else(|_| v.clone()),
        ("blob", Value::String(s)) if ours => awsgen_runtime::Blob::from_base64(s)
            .map(|b| Value::String(String::from_utf8_lossy(b.as_slice()).into_owned()))
            .unwrap_or_else(|_| v.clone()),
        ("float" | "double", Value::String(s)) => Value::String(s.clone()),
        (_, Value::Number(n)) => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        ("structure", Value::Object(o)) if !shape["document"].as_bool().unwrap_or(false) => {
            let members = shape["members"].as_object();
            Value::Object(
                o.iter()
                    .filter(|(k, _)| {
                        k.as_str() != "__type" || !shape["union"].as_bool().unwrap_or(false)
                    })
                    .map(|(k, x)| {
                        let m = members
                            .and_then(|m| m.get(k))
                            .map(|m| target(shapes, m))
                            .unwrap_or(&Value::Null);
                        (k.clone(), canon(shapes, m, x, ours))
                    })
                    .filter(|(_, x)| !x.is_null())
                    .collect(),
            )
        }
        ("list", Value::Array(a)) => Value::Array(
            a.iter()
                .map(|x| canon(shapes, target(shapes, &shape["member"]), x, ours))
                .collect(),
        ),
        ("map", Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    (
                        k.clone(),
                        canon(shapes, target(shapes, &shape["value"]), x, ours),
                    )
                })
                .collect(),
        ),
        (_, Value::Array(a)) => Value::Array(
            a.iter()
                .map(|x| canon(shapes, &Value::Null, x, ours))
                .collect(),
        ),
        (_, Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), canon(shapes, &Value::Null, x, ours)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// JSON equality with numbers compared as floats (`1` and `1.0` are the same number).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| json_eq(p, q)))
        }
        _ => a == b,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

async fn input_case(
    suite: usize,
    shapes: &Map<String, Value>,
    case: &Value,
    endpoint: &str,
) -> Result<(), String> {
    let given = &case["given"];
    let op = given["name"].as_str().unwrap_or_default();
    let input_shape = if given["input"].is_null() {
        Value::Null
    } else {
        target(shapes, &given["input"]).clone()
    };
    let wire = params_to_wire(shapes, &input_shape, &case["params"]);
    let capture = Capture::new(200, vec![], "{}");
    run_input(suite, op, wire, config(&capture, endpoint)).await?;
    let req = capture.captured().ok_or("no request was sent")?;
    let ser = &case["serialized"];
    let uri: http::Uri = req
        .uri
        .parse()
        .map_err(|e| format!("bad URI {}: {e}", req.uri))?;
    let mut problems = Vec::new();
    if ser["method"].as_str() != Some(req.method.as_str()) {
        problems.push(format!("method {} != {}", req.method, ser["method"]));
    }
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if ser["uri"].as_str() != Some(path_and_query) {
        problems.push(format!("uri {path_and_query} != {}", ser["uri"]));
    }
    if let Some(host) = ser["host"].as_str() {
        // botocore writes the endpoint's path into `host` for the host-with-path case.
        let got = format!(
            "{}{}",
            uri.authority().map(|a| a.as_str()).unwrap_or(""),
            uri.path().trim_end_matches('/')
        );
        if got != host && uri.authority().map(|a| a.as_str()) != Some(host) {
            problems.push(format!("host {got} != {host}"));
        }
    }
    for (name, want) in ser["headers"].as_object().into_iter().flatten() {
        let got = header(&req.headers, name);
        if got != want.as_str() {
            problems.push(format!("header {name}: {got:?} != {want}"));
        }
    }
    for name in ser["requireHeaders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if header(&req.headers, name).is_none() {
            problems.push(format!("required header {name} missing"));
        }
    }
    if let Some(want) = ser["body"].as_str() {
        let got_text = String::from_utf8_lossy(&req.body);
        match (
            serde_json::from_str::<Value>(want),
            serde_json::from_slice::<Value>(&req.body),
        ) {
            (Ok(w), Ok(g)) => {
                if !json_eq(&w, &g) {
                    problems.push(format!("body {got_text} != {want}"));
                }
            }
            _ if want.is_empty() && req.body.is_empty() => {}
            _ => problems.push(format!("body {got_text:?} != {want:?}")),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

async fn output_case(
    suite: usize,
    shapes: &Map<String, Value>,
    case: &Value,
) -> Result<(), String> {
    let given = &case["given"];
    let op = given["name"].as_str().unwrap_or_default();
    let resp = &case["response"];
    let headers: Vec<(String, String)> = resp["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    let capture = Capture::new(
        resp["status_code"].as_u64().unwrap_or(200) as u16,
        headers,
        resp["body"].as_str().unwrap_or_default().to_string(),
    );
    let got = run_output(suite, op, config(&capture, "https://example.com")).await;
    if let Some(code) = case["errorCode"].as_str() {
        let Err(Failure::Service {
            code: got_code,
            message,
            members,
            display,
        }) = got
        else {
            return Err(format!("expected error {code}, got {got:?}"));
        };
        let mut problems = Vec::new();
        if got_code.as_deref() != Some(code) {
            problems.push(format!("code {got_code:?} != {code} ({display})"));
        }
        if let Some(m) = case["errorMessage"].as_str() {
            if message.as_deref() != Some(m) {
                problems.push(format!("message {message:?} != {m}"));
            }
        }
        let fault_shape = shapes.get(code).cloned().unwrap_or(Value::Null);
        let want = canon(shapes, &fault_shape, &case["error"], false);
        let ours = members
            .map(|m| canon(shapes, &fault_shape, &m, true))
            .unwrap_or(Value::Null);
        if !json_eq(&want, &ours) {
            problems.push(format!("members {ours} != {want}"));
        }
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        };
    }
    let out = got.map_err(|e| format!("expected output, got {e:?}"))?;
    let out_shape = if given["output"].is_null() {
        Value::Null
    } else {
        target(shapes, &given["output"]).clone()
    };
    let want = canon(shapes, &out_shape, &case["result"], false);
    let ours = canon(shapes, &out_shape, &out, true);
    if json_eq(&want, &ours) {
        Ok(())
    } else {
        Err(format!("result {ours} != {want}"))
    }
}

#[tokio::test]
async fn botocore_json_protocol_suites() {
    let mut total = (0, 0, 0, 0); // cases, passed, failed, skipped
    let mut failures = Vec::new();
    for (file, is_input) in [("input-json.json", true), ("output-json.json", false)] {
        let mut counts = (0, 0, 0, 0);
        for (i, suite) in data(file).iter().enumerate() {
            let shapes = suite["shapes"].as_object().cloned().unwrap_or_default();
            // The endpoint the suite's client is configured with, as in botocore's harness.
            let endpoint = suite["clientEndpoint"]
                .as_str()
                .unwrap_or("https://example.com");
            for case in suite["cases"].as_array().into_iter().flatten() {
                counts.0 += 1;
                let id = case["id"].as_str().unwrap_or("?");
                if SKIPPED.iter().any(|(s, _)| *s == id) {
                    counts.3 += 1;
                    continue;
                }
                let r = if is_input {
                    input_case(i, &shapes, case, endpoint).await
                } else {
                    output_case(i, &shapes, case).await
                };
                match r {
                    Ok(()) => counts.1 += 1,
                    Err(e) => {
                        counts.2 += 1;
                        failures.push(format!("{file} #{i} {id}: {e}"));
                    }
                }
            }
        }
        println!(
            "{file}: {} cases, {} passed, {} failed, {} skipped",
            counts.0, counts.1, counts.2, counts.3
        );
        total = (
            total.0 + counts.0,
            total.1 + counts.1,
            total.2 + counts.2,
            total.3 + counts.3,
        );
    }
    for (id, why) in SKIPPED {
        println!("skipped {id}: {why}");
    }
    println!(
        "protocol tests: {} cases, {} passed, {} failed, {} skipped",
        total.0, total.1, total.2, total.3
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(total.0, 112, "54 input and 58 output cases");
}
