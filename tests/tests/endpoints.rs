//! Endpoint resolution for DMS, checked against botocore's published endpoint tests
//! (`tests/data/botocore/endpoint-rules/dms/endpoint-tests-1.json`, 50 cases covering
//! every branch of the rule set: each partition, FIPS, dual-stack, both, custom
//! endpoints, and the invalid combinations), run through the rule set the generator
//! embedded in the client.

use awsgen_runtime::endpoint::{Params, Resolver};
use serde_json::Value;

#[test]
fn botocore_endpoint_tests_for_dms() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/botocore/endpoint-rules/dms/endpoint-tests-1.json"
    ))
    .unwrap();
    let tests: Value = serde_json::from_str(&text).unwrap();
    let rules = awsgen_dms::service::ENDPOINT_RULE_SET.expect("the DMS model has a rule set");
    let resolver = Resolver::new(rules).unwrap();
    let cases = tests["testCases"].as_array().unwrap();
    let (mut passed, mut failed) = (0, Vec::new());
    let mut errors_checked = 0;
    for case in cases {
        let p = &case["params"];
        let params = Params {
            region: p["Region"].as_str().map(str::to_string),
            use_fips: p["UseFIPS"].as_bool().unwrap_or(false),
            use_dual_stack: p["UseDualStack"].as_bool().unwrap_or(false),
            endpoint: p["Endpoint"].as_str().map(str::to_string),
            s3: Default::default(),
        };
        let got = resolver.resolve(&params);
        let expect = &case["expect"];
        let ok = match (
            expect["endpoint"]["url"].as_str(),
            expect["error"].as_str(),
            &got,
        ) {
            (Some(url), _, Ok(ep)) => ep.url == url,
            (_, Some(msg), Err(e)) => {
                errors_checked += 1;
                e.to_string() == format!("endpoint resolution failed: {msg}")
            }
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failed.push(format!(
                "{}: expected {expect}, got {got:?}",
                case["documentation"]
            ));
        }
    }
    println!(
        "endpoint tests: {} cases, {passed} passed, {} failed",
        cases.len(),
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(cases.len(), 50);
    assert!(errors_checked >= 3, "the invalid combinations are covered");
}

#[test]
fn client_uses_the_resolved_endpoint() {
    for (region, fips, dual, want) in [
        (
            "us-east-1",
            false,
            false,
            "https://dms.us-east-1.amazonaws.com",
        ),
        (
            "cn-north-1",
            false,
            false,
            "https://dms.cn-north-1.amazonaws.com.cn",
        ),
        (
            "us-gov-west-1",
            true,
            false,
            "https://dms.us-gov-west-1.amazonaws.com",
        ),
        (
            "us-east-1",
            true,
            true,
            "https://dms-fips.us-east-1.api.aws",
        ),
        ("eu-west-1", false, true, "https://dms.eu-west-1.api.aws"),
    ] {
        let c = awsgen_dms::Client::new(
            awsgen_dms::Config::builder()
                .region(region)
                .use_fips(fips)
                .use_dual_stack(dual)
                .build(),
        );
        assert_eq!(
            c.handle().endpoint().map(|e| e.url.as_str()),
            Ok(want),
            "{region} fips={fips} dual={dual}"
        );
    }
}
