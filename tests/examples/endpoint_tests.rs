//! The Rust side of `scripts/endpoint_tests.py`: runs botocore's endpoint tests
//! (`tests/functional/endpoint-rules/<service>/endpoint-tests-1.json` of the sdist)
//! through the runtime's rule-set interpreter, one service per line on stdin
//! (`{"service": "lambda", "rules": "<rule set JSON>", "tests": "<tests JSON>"}`), and
//! prints one line per service: `{"service", "cases", "passed", "failures": [..]}`.
//! A case passes when the URL is the expected one (and the `authSchemes` property, where
//! the case names one: scheme names, signing names and regions, `disableDoubleEncoding`),
//! or the error message is.

use awsgen_runtime::endpoint::Resolver;
use awsgen_runtime::serde_json::{self, json, Value};
use std::io::BufRead;

fn run(rules: &str, tests: &str) -> Result<(usize, Vec<String>), String> {
    let resolver = Resolver::new(rules).map_err(|e| format!("the rule set does not load: {e}"))?;
    let tests: Value = serde_json::from_str(tests).map_err(|e| e.to_string())?;
    let cases = tests["testCases"].as_array().cloned().unwrap_or_default();
    let mut failures = Vec::new();
    for case in &cases {
        let params = case["params"].as_object().cloned().unwrap_or_default();
        let got = resolver.resolve_named(&params);
        let expect = &case["expect"];
        let ok = match (
            expect["endpoint"]["url"].as_str(),
            expect["error"].as_str(),
            &got,
        ) {
            (Some(url), _, Ok(ep)) => {
                ep.url == url && same_schemes(&expect["endpoint"]["properties"]["authSchemes"], ep)
            }
            (_, Some(msg), Err(e)) => e.to_string() == format!("endpoint resolution failed: {msg}"),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{}: expected {expect}, got {got:?}",
                case["documentation"].as_str().unwrap_or("?")
            ));
        }
    }
    Ok((cases.len(), failures))
}

/// Whether the resolved auth schemes are the expected ones (true when none is expected).
fn same_schemes(expected: &Value, ep: &awsgen_runtime::endpoint::Endpoint) -> bool {
    let Some(expected) = expected.as_array() else {
        return true;
    };
    expected.len() == ep.auth_schemes.len()
        && expected.iter().zip(&ep.auth_schemes).all(|(e, got)| {
            let region = e["signingRegion"]
                .as_str()
                .or_else(|| e["signingRegionSet"][0].as_str());
            e["name"].as_str() == Some(got.name.as_str())
                && e["signingName"].as_str() == got.signing_name.as_deref()
                && region == got.signing_region.as_deref()
                && e["disableDoubleEncoding"].as_bool().unwrap_or(false)
                    == got.disable_double_encoding
        })
}

fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let item: Value = serde_json::from_str(&line).expect("a JSON line");
        let service = item["service"].as_str().unwrap_or("?");
        let answer = match run(
            item["rules"].as_str().unwrap_or_default(),
            item["tests"].as_str().unwrap_or_default(),
        ) {
            Ok((cases, failures)) => json!({
                "service": service,
                "cases": cases,
                "passed": cases - failures.len(),
                "failures": failures,
            }),
            Err(e) => json!({"service": service, "cases": 0, "passed": 0, "failures": [e]}),
        };
        println!("{answer}");
    }
}
