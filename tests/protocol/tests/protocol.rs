//! botocore's protocol test suites (`tests/data/botocore/protocols`: awsJson 1.1 and 1.0,
//! query-compatible, rest-json, query, ec2, rest-xml, smithy-rpc-v2-cbor and their legacy
//! suites), every case: input cases build the
//! request from `params` with the generated client and compare method, URI, host,
//! headers and body as botocore's own `test_protocols.py` does; output cases parse
//! `response` and compare with `result`, or for errors check the code, the message and
//! the modelled members. The cases botocore's `protocol-tests-ignore-list.json` names
//! are run too: passing, they count as passed; failing, as skipped (botocore skips them),
//! each printed with the difference.
//!
//! Ends with one summary line per file and an overall
//! `protocol tests: N cases, N passed, 0 failed, S skipped`.

use awsgen_protocol_tests::{case_operation, run_input, run_output, Capture, Failure};
use awsgen_runtime::{Config, Credentials, DateTime, RetryConfig};
use serde_json::{Map, Value};

/// The suite files and the protocol botocore's ignore list files them under.
const FILES: &[(&str, &str)] = &[
    ("input-json.json", "json"),
    ("output-json.json", "json"),
    ("input-json_1_0.json", "json_1_0"),
    ("output-json_1_0.json", "json_1_0"),
    (
        "input-json_1_0-query-compatible.json",
        "json_1_0-query-compatible",
    ),
    (
        "output-json_1_0-query-compatible.json",
        "json_1_0-query-compatible",
    ),
    ("input-rest-json.json", "rest-json"),
    ("output-rest-json.json", "rest-json"),
    ("legacy-input-rest-json.json", "rest-json"),
    ("legacy-output-rest-json.json", "rest-json"),
    ("input-query.json", "query"),
    ("output-query.json", "query"),
    ("legacy-input-query.json", "query"),
    ("legacy-output-query.json", "query"),
    ("input-ec2.json", "ec2"),
    ("output-ec2.json", "ec2"),
    ("legacy-input-ec2.json", "ec2"),
    ("legacy-output-ec2.json", "ec2"),
    ("input-rest-xml.json", "rest-xml"),
    ("output-rest-xml.json", "rest-xml"),
    ("legacy-input-rest-xml.json", "rest-xml"),
    ("legacy-output-rest-xml.json", "rest-xml"),
    ("input-smithy-rpc-v2-cbor.json", "smithy-rpc-v2-cbor"),
    ("output-smithy-rpc-v2-cbor.json", "smithy-rpc-v2-cbor"),
    (
        "input-smithy-rpc-v2-cbor-query-compatible.json",
        "smithy-rpc-v2-cbor",
    ),
    (
        "output-smithy-rpc-v2-cbor-query-compatible.json",
        "smithy-rpc-v2-cbor",
    ),
    (
        "input-smithy-rpc-v2-cbor-non-query-compatible.json",
        "smithy-rpc-v2-cbor",
    ),
    (
        "output-smithy-rpc-v2-cbor-non-query-compatible.json",
        "smithy-rpc-v2-cbor",
    ),
];

/// Differences from botocore that are explained rather than fixed (README, "rest-json"):
/// the file, the suite's description, and why. Such a case counts as skipped.
const EXPLAINED: &[(&str, &str, &str)] = &[
    (
        "legacy-input-query.json",
        "Recursive shapes",
        "a map member is a `BTreeMap`: its entries go out in key order (`entry.1` is \
         `bar`), where botocore numbers them in the order the caller's dict holds them; \
         the service reads the same map either way",
    ),
    (
        "legacy-input-rest-xml.json",
        "Recursive shapes",
        "a map member is a `BTreeMap`: its entries go out in key order, where botocore \
         writes them in the order the caller's dict holds them",
    ),
    (
        "input-rest-xml.json",
        "Test cases for FlattenedXmlMap operation",
        "a map member is a `BTreeMap`: its entries go out in key order (`baz` before \
         `foo`), where botocore writes them in the order the caller's dict holds them",
    ),
    (
        "input-rest-xml.json",
        "Test cases for NestedXmlMapWithXmlName operation",
        "a map member is a `BTreeMap`: its entries go out in key order",
    ),
    (
        "input-rest-xml.json",
        "Test cases for XmlMaps operation",
        "a map member is a `BTreeMap`: its entries go out in key order",
    ),
    (
        "input-rest-xml.json",
        "Test cases for XmlMapsXmlName operation",
        "a map member is a `BTreeMap`: its entries go out in key order",
    ),
    (
        "legacy-output-rest-xml.json",
        "REST XML Event Stream",
        "event streams are issue #29: the operation refuses to send until then",
    ),
    (
        "legacy-output-rest-json.json",
        "Supports header maps",
        "HTTP header names are case-insensitive and hyper keeps them lower-case: a `headers` \
     map member's keys are `content-length`, not the `Content-Length` urllib3 keeps",
    ),
];

/// Whether botocore's ignore list skips a case (`_should_ignore_test`: by suite
/// description or case id, for all protocols or for this one).
fn ignored(list: &Value, protocol: &str, kind: &str, suite: &str, case: &str) -> bool {
    let hit = |v: &Value| {
        let any = |key: &str, what: &str| {
            v[kind][key]
                .as_array()
                .into_iter()
                .flatten()
                .any(|x| x.as_str() == Some(what))
        };
        any("suites", suite) || any("cases", case)
    };
    hit(&list["general"]) || hit(&list["protocols"][protocol])
}

fn data(file: &str) -> Value {
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
                        let member = members.and_then(|m| m.get(k));
                        let m = member.map(|m| target(shapes, m)).unwrap_or(&Value::Null);
                        // Our serde form keys a body member by its JSON name
                        // (`locationName`), a bound one by its member name.
                        let key = match member {
                            Some(m) if m["location"].is_null() => {
                                m["locationName"].as_str().unwrap_or(k).to_string()
                            }
                            _ => k.clone(),
                        };
                        (key, params_to_wire(shapes, m, x))
                    })
                    .collect(),
            )
        }
        (Some("list"), Value::Array(a)) => Value::Array(
            a.iter()
                .map(|x| params_to_wire(shapes, target(shapes, &shape["member"]), x))
                .collect(),
        ),
        (Some("float" | "double"), Value::String(s)) => Value::String(s.clone()),
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
        // A `float` member is 32 bits wide: compared at that precision.
        ("float", Value::Number(n)) => {
            Value::from(f64::from(n.as_f64().unwrap_or(f64::NAN) as f32))
        }
        (_, Value::Number(n)) => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        ("structure", Value::Object(o)) if !shape["document"].as_bool().unwrap_or(false) => {
            let members = shape["members"].as_object();
            Value::Object(
                o.iter()
                    .filter(|(k, _)| {
                        k.as_str() != "__type" || !shape["union"].as_bool().unwrap_or(false)
                    })
                    .map(|(k, x)| {
                        // Ours keys a body member by its JSON name: back to the member.
                        let (name, member) = match members.and_then(|m| m.get(k)) {
                            Some(m) => (k.clone(), Some(m)),
                            None if ours => members
                                .and_then(|ms| {
                                    ms.iter().find(|(_, m)| {
                                        m["location"].is_null()
                                            && m["locationName"].as_str() == Some(k)
                                    })
                                })
                                .map(|(n, m)| (n.clone(), Some(m)))
                                .unwrap_or((k.clone(), None)),
                            None => (k.clone(), None),
                        };
                        let m = member.map(|m| target(shapes, m)).unwrap_or(&Value::Null);
                        (name, canon(shapes, m, x, ours))
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

/// A CBOR body as a comparable value: maps with their entries sorted, `NaN` equal to
/// itself, a timestamp (tag 1) as its instant whether an integer or a float.
fn cbor_value(body: &[u8]) -> Result<String, String> {
    let v: ciborium::Value = ciborium::de::from_reader(body).map_err(|e| e.to_string())?;
    fn canon(v: &ciborium::Value) -> String {
        use ciborium::Value as V;
        match v {
            V::Map(entries) => {
                let mut items: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}:{}", canon(k), canon(v)))
                    .collect();
                items.sort();
                format!("{{{}}}", items.join(","))
            }
            V::Array(items) => format!(
                "[{}]",
                items.iter().map(canon).collect::<Vec<_>>().join(",")
            ),
            V::Float(f) if f.is_nan() => "NaN".into(),
            V::Float(f) => format!("{f:?}"),
            V::Integer(i) => format!("{}", i128::from(*i)),
            // A timestamp as the instant it is (botocore reads both forms to a datetime).
            V::Tag(1, inner) => match &**inner {
                V::Integer(i) => format!("ts({:?})", i128::from(*i) as f64),
                V::Float(f) => format!("ts({f:?})"),
                other => format!("tag1({})", canon(other)),
            },
            V::Tag(t, inner) => format!("tag{t}({})", canon(inner)),
            other => format!("{other:?}"),
        }
    }
    Ok(canon(&v))
}

/// An XML document as C14N with stripped text compares it: each element's name, its
/// attributes sorted, its text trimmed, its children in order. `None` when the body is
/// not an XML element (JSON, a raw payload, nothing).
fn canonical_xml(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim_start();
    if !text.starts_with('<') {
        return None;
    }
    let doc = awsgen_runtime::xml::Document::parse(body).ok()?;
    fn walk(n: awsgen_runtime::xml::Node<'_>, out: &mut String) {
        let mut attrs: Vec<(&str, &str)> = n.attributes().collect();
        attrs.sort();
        out.push('<');
        out.push_str(n.name());
        for (k, v) in attrs {
            out.push_str(&format!(" {k}={v:?}"));
        }
        out.push('>');
        out.push_str(n.text().trim());
        for c in n.children() {
            walk(c, out);
        }
        out.push_str("</");
        out.push_str(n.name());
        out.push('>');
    }
    let mut out = String::new();
    walk(doc.root(), &mut out);
    Some(out)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

async fn input_case(
    suite: &str,
    op: &str,
    shapes: &Map<String, Value>,
    case: &Value,
    endpoint: &str,
    protocol: &str,
) -> Result<(), String> {
    let given = &case["given"];
    let input_shape = if given["input"].is_null() {
        Value::Null
    } else {
        target(shapes, &given["input"]).clone()
    };
    let params = match &case["params"] {
        Value::Null => Value::Object(Map::new()),
        p => p.clone(),
    };
    let wire = params_to_wire(shapes, &input_shape, &params);
    let capture = Capture::new(200, vec![], "{}");
    run_input(suite, op, wire, config(&capture, endpoint)).await?;
    let req = capture.captured().ok_or("no request was sent")?;
    let ser = &case["serialized"];
    let uri: http::Uri = req
        .uri
        .parse()
        .map_err(|e| format!("bad URI {}: {e}", req.uri))?;
    let mut problems = Vec::new();
    if ser["method"].is_string() && ser["method"].as_str() != Some(req.method.as_str()) {
        problems.push(format!("method {} != {}", req.method, ser["method"]));
    }
    // The path exactly; the query as a multiset: botocore writes the parameters in the
    // order the caller passed them (the case's `params`), ours in the model's order.
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let split = |u: &str| -> (String, Vec<String>) {
        let (p, q) = u.split_once('?').unwrap_or((u, ""));
        let mut q: Vec<String> = q
            .split('&')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect();
        q.sort();
        (p.to_string(), q)
    };
    if split(ser["uri"].as_str().unwrap_or_default()) != split(path_and_query) {
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
    let members = input_shape["members"].as_object();
    // A header bound to a list member: botocore compares without the space after commas
    // (`_clean_list_header_values`).
    let list_header = |name: &str| -> Option<bool> {
        members?.values().find_map(|m| {
            let t = target(shapes, m);
            (m["location"] == "header"
                && m["locationName"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                && t["type"] == "list")
                .then(|| target(shapes, &t["member"])["type"] == "timestamp")
        })
    };
    for (name, want) in ser["headers"].as_object().into_iter().flatten() {
        let mut want = want.as_str().unwrap_or_default().to_string();
        // botocore sets no Content-Type of its own on a streaming payload (its harness
        // drops any expected one but application/json).
        if name.eq_ignore_ascii_case("content-type") && want != "application/json" {
            continue;
        }
        let mut got = header(&req.headers, name).map(str::to_string);
        if let Some(timestamps) = list_header(name) {
            want = want.replace(", ", ",");
            if timestamps {
                got = got.map(|g| g.replace(", ", ","));
            }
        }
        if got.as_deref() != Some(want.as_str()) {
            problems.push(format!("header {name}: {got:?} != {want:?}"));
        }
    }
    for name in ser["forbidHeaders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        // botocore's serializer never sets `Content-Length`; its `AWSRequest` adds it on
        // the wire to every method but GET, HEAD and OPTIONS, as our client does.
        let sent_by_botocore = name.eq_ignore_ascii_case("content-length")
            && !matches!(req.method.as_str(), "GET" | "HEAD" | "OPTIONS");
        if !sent_by_botocore && header(&req.headers, name).is_some() {
            problems.push(format!("forbidden header {name} sent"));
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
    if protocol == "smithy-rpc-v2-cbor" && !req.body.is_empty() {
        // CBOR bodies as the values they decode to, as botocore's harness compares them.
        let want = ser["body"].as_str().unwrap_or_default();
        let want = awsgen_runtime::Blob::from_base64(want)
            .map_err(|_| "the case's body is not base64".to_string())?;
        let (w, g) = (cbor_value(want.as_slice()), cbor_value(&req.body));
        if w != g {
            problems.push(format!("body {g:?} != {w:?}"));
        }
    } else if let Some(want) = ser["body"].as_str() {
        let got_text = String::from_utf8_lossy(&req.body);
        // XML bodies as canonical trees (botocore: `ET.canonicalize(strip_text=True)`).
        if let (Some(w), Some(g)) = (canonical_xml(want.as_bytes()), canonical_xml(&req.body)) {
            if w != g {
                problems.push(format!(
                    "body {got_text} != {want} (as canonical XML: {g} != {w})"
                ));
            }
        } else {
            match (
                serde_json::from_str::<Value>(want),
                serde_json::from_slice::<Value>(&req.body),
            ) {
                (Ok(w), Ok(g)) => {
                    if !json_eq(&w, &g) {
                        problems.push(format!("body {got_text} != {want}"));
                    }
                }
                // Not JSON (a blob or string payload): the bytes, as botocore compares them.
                _ if got_text == want => {}
                _ => problems.push(format!("body {got_text:?} != {want:?}")),
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

async fn output_case(
    suite: &str,
    op: &str,
    shapes: &Map<String, Value>,
    case: &Value,
    protocol: &str,
) -> Result<(), String> {
    let given = &case["given"];
    let resp = &case["response"];
    // A case with no body: botocore's harness answers query with `<xml/>`, the others
    // with nothing.
    let body = match resp["body"].as_str() {
        Some(b) => b,
        None if protocol == "query" => "<xml/>",
        None => "",
    };
    let headers: Vec<(String, String)> = resp["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    // The CBOR suites give their bodies in base64.
    let body: Vec<u8> = if protocol == "smithy-rpc-v2-cbor" {
        awsgen_runtime::Blob::from_base64(body)
            .map_err(|_| "the case's body is not base64".to_string())?
            .as_slice()
            .to_vec()
    } else {
        body.as_bytes().to_vec()
    };
    let capture = Capture::new(
        resp["status_code"].as_u64().unwrap_or(200) as u16,
        headers,
        body,
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
        // No modelled members (a code no fault has) reads as `{}` in botocore.
        let ours = members
            .map(|m| canon(shapes, &fault_shape, &m, true))
            .unwrap_or(if fault_shape.is_null() {
                Value::Object(Map::new())
            } else {
                Value::Null
            });
        let want = if fault_shape.is_null() && want.is_null() {
            Value::Object(Map::new())
        } else {
            want
        };
        if !json_eq(&want, &ours) {
            problems.push(format!("members {ours} != {want}"));
        }
        return if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        };
    }
    // A union member this model does not know is `Unknown` in ours (which serde cannot
    // write back); botocore reports it as `SDK_UNKNOWN_MEMBER` with its name.
    if let Err(Failure::Harness(msg)) = &got {
        if let Some(name) = msg
            .split_once("unknown member `")
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(name, _)| name)
        {
            let marker = format!(r#"{{"SDK_UNKNOWN_MEMBER":{{"name":"{name}"}}}}"#);
            if case["result"].to_string().contains(&marker) {
                return Ok(());
            }
        }
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

/// On a thread of its own with a large stack: in a debug build the dispatchers' `poll`
/// functions keep a stack slot for every local of each of their thousand-odd arms.
#[test]
fn botocore_protocol_suites() {
    let suites = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(run_suites())
        })
        .expect("a thread");
    if let Err(panic) = suites.join() {
        std::panic::resume_unwind(panic);
    }
}

async fn run_suites() {
    let ignore = data("protocol-tests-ignore-list.json");
    let mut total = (0, 0, 0, 0); // cases, passed, failed, skipped
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for (file, protocol) in FILES {
        let is_input = file.contains("input");
        let kind = if is_input { "input" } else { "output" };
        let stem = file.trim_end_matches(".json").replace('-', "_");
        let mut counts = (0, 0, 0, 0);
        for (i, suite) in data(file).as_array().into_iter().flatten().enumerate() {
            let name = format!("{stem}_{i}");
            let shapes = suite["shapes"].as_object().cloned().unwrap_or_default();
            let description = suite["description"].as_str().unwrap_or_default();
            // The endpoint the suite's client is configured with, as in botocore's harness.
            let endpoint = suite["clientEndpoint"]
                .as_str()
                .unwrap_or("https://example.com");
            for (j, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
                let op = case_operation(&name, j);
                counts.0 += 1;
                let id = case["id"].as_str().unwrap_or("?");
                let explained = EXPLAINED
                    .iter()
                    .find(|(f, d, _)| f == file && *d == description);
                let skip = ignored(&ignore, protocol, kind, description, id) || explained.is_some();
                let r = if is_input {
                    input_case(&name, op, &shapes, case, endpoint, protocol).await
                } else {
                    output_case(&name, op, &shapes, case, protocol).await
                };
                match r {
                    Ok(()) => counts.1 += 1,
                    // A case botocore's ignore list names is run too; failing it is a skip.
                    Err(e) if skip => {
                        counts.3 += 1;
                        let why = explained
                            .map(|(_, _, why)| format!(" (explained: {why})"))
                            .unwrap_or_default();
                        skipped.push(format!("{file} #{i} {id}: {e}{why}"));
                    }
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
    for s in &skipped {
        println!("skipped (botocore's ignore list names it, or an explained difference): {s}");
    }
    println!(
        "protocol tests: {} cases, {} passed, {} failed, {} skipped (botocore's ignore list, explained differences)",
        total.0, total.1, total.2, total.3
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
