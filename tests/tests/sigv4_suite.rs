//! AWS's SigV4 test suite (`tests/data/botocore/aws4_testsuite`, from botocore's source
//! distribution), run through the signer the client uses. Each case compares the
//! canonical request, the string to sign and the `Authorization` header.
//!
//! As in botocore's own harness, the session token of a case is the one its expected
//! canonical request signs; the signer adds the `X-Amz-Security-Token` header before
//! signing (as the client does). No case is skipped: botocore skips four (a request line
//! with a space, repeated query keys), this signer passes them.

use awsgen_runtime::sigv4::{sign, SignableRequest, SigningParams};
use awsgen_runtime::DateTime;
use std::path::{Path, PathBuf};

const SKIPPED: &[(&str, &str)] = &[];

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            cases(&p, out);
        } else if p.extension().is_some_and(|e| e == "req") {
            out.push(p.with_extension(""));
        }
    }
}

struct Raw {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Parses a `.req` file: request line, headers (indented lines continue the previous
/// value), a blank line, the body.
fn parse_req(text: &str) -> Raw {
    let mut lines = text.split('\n');
    let first = lines.next().unwrap();
    let (method, rest) = first.split_once(' ').unwrap();
    let target = rest.strip_suffix(" HTTP/1.1").unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body_lines = Vec::new();
    let mut in_body = false;
    for line in lines {
        if in_body {
            body_lines.push(line);
        } else if line.is_empty() {
            in_body = true;
        } else if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.to_string(), v.to_string()));
        }
    }
    Raw {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers,
        body: body_lines.join("\n").into_bytes(),
    }
}

fn read(base: &Path, ext: &str) -> String {
    std::fs::read_to_string(base.with_extension(ext))
        .unwrap()
        .replace('\r', "")
}

#[test]
fn aws_sigv4_test_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/botocore/aws4_testsuite");
    let mut all = Vec::new();
    cases(&root, &mut all);
    let time = DateTime::from_ymd_hms(2015, 8, 30, 12, 36, 0).unwrap();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for base in &all {
        let name = base
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if SKIPPED.iter().any(|(n, _)| name.ends_with(n)) {
            skipped += 1;
            continue;
        }
        let raw = parse_req(&read(base, "req"));
        let creq = read(base, "creq");
        let sts = read(base, "sts");
        let authz = read(base, "authz");
        let token = creq
            .lines()
            .find_map(|l| l.strip_prefix("x-amz-security-token:"))
            .map(str::to_string);
        let mut headers = raw.headers.clone();
        if let Some(t) = &token {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-security-token"))
            {
                headers.push(("X-Amz-Security-Token".into(), t.clone()));
            }
        }
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let sig = sign(
            &SignableRequest {
                path_signing: awsgen_runtime::sigv4::PathSigning::Normalized,
                method: &raw.method,
                path: &raw.path,
                query: &raw.query,
                headers: &header_refs,
                body: &raw.body,
            },
            &SigningParams {
                access_key_id: "AKIDEXAMPLE",
                secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                region: "us-east-1",
                service: "service",
                time,
            },
        );
        let mut wrong = Vec::new();
        if sig.canonical_request != creq {
            wrong.push(format!(
                "canonical request:\n{}\n--- expected:\n{creq}",
                sig.canonical_request
            ));
        }
        if sig.string_to_sign != sts {
            wrong.push(format!(
                "string to sign:\n{}\n--- expected:\n{sts}",
                sig.string_to_sign
            ));
        }
        if sig.authorization != authz {
            wrong.push(format!(
                "authorization: {}\n--- expected: {authz}",
                sig.authorization
            ));
        }
        if wrong.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("== {name}\n{}", wrong.join("\n")));
        }
    }
    println!(
        "sigv4 tests: {} cases, {passed} passed, {} failed, {skipped} skipped",
        all.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(all.len(), 34, "the suite has 34 cases");
}
