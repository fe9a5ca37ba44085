#!/usr/bin/env python3
"""Our S3 client against a real botocore S3 client, every operation, request for request.

    python3 scripts/differential_s3.py [--cases 3] [--seed 1] [--ops GetObject,...] [--models s3]

For each operation of S3 (and, with `--models s3,s3control`, S3 Control) that has no event
stream, seeded random parameters valid for the input (the generator of
`scripts/differential.py`, with S3's own values where botocore insists: bucket names
botocore accepts, keys such as `a//b`, `../x`, `é`, `a+b`, `%2F`, `with space`) are
sent by a botocore client (`session.create_client("s3")`: every handler S3 registers,
its endpoint rules, its `s3v4` signer, its checksums) and by our generated client with
the same parameters in our serde form. Neither reaches a network: botocore's request is
taken at `before-send`, ours at the transport (`HttpClient`), both signed with the same
credentials at the same fixed time, in several configurations (regions, path-style,
accelerate, dual-stack, a custom http endpoint). Compared:

- the method, the scheme and host, the path exactly, the query as a multiset; our
  `Host` header is the URL's (botocore's HTTP library writes it from the URL);
- every header botocore sends, values exactly, the `Authorization` signature included
  (its canonical request covers the path, query, signed headers and payload hash), and
  ours sends no other, but for `user-agent` (each library names itself) and
  `amz-sdk-invocation-id`/`amz-sdk-request` (botocore's retry headers, not signed here:
  the handler that adds them is unregistered);
- the body: XML as canonical trees (`ET.canonicalize`), else byte for byte; a checksum
  header over an XML body ours writes differently (declaration, escaping) must be the
  checksum of our body.

Presigned URLs: for every operation whose required members all travel in the URI, query
string or headers, the same parameters (those members only) are presigned by botocore's
`generate_presigned_url` (with `signature_version="s3v4"`) and by our `Client::presign`,
for lifetimes from one second to seven days, one configuration with a session token:
scheme, host and path exactly, the query (signature included) as a multiset. Explained
and counted apart: a repeated query parameter (a list), of which botocore's presigner
keeps the first value only; a request both refuse for different reasons.

Prints each mismatch and

    differential-s3: O operations, N cases, K matched, S skipped, E explained, X mismatched

(skipped: parameters botocore's client refuses before sending.)
"""

import argparse
import base64
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import build_harnesses, latest, venv_run  # noqa: E402
from differential_restxml import CANONICAL, RESTXML_CASES  # noqa: E402
from differential_rest import refused_or_failed, split  # noqa: E402
from oracle_companions import ROOT, botocore_data, ensure_venv  # noqa: E402

WORK = os.path.join(ROOT, "target", "differential-s3")
NOW = 1767323045  # 2026-01-02T03:04:05Z, the signing time of both sides
AKID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

# The configurations each case is sent with: botocore's `Config` arguments and ours.
CONFIGS = [
    {"name": "us-east-1", "region": "us-east-1"},
    {"name": "eu-west-1 path-style", "region": "eu-west-1", "path_style": True},
    {"name": "us-west-2 dual-stack", "region": "us-west-2", "dual_stack": True},
    {"name": "us-west-2 accelerate", "region": "us-west-2", "accelerate": True},
    {"name": "http endpoint", "region": "us-east-1", "endpoint": "http://127.0.0.1:9000"},
    {"name": "ap-south-1 session token", "region": "ap-south-1", "token": "FwoGZXIvYXdzEJr//////////wEaDExample+token="},
]

# Runs in the venv: the rest-xml differential's helpers (random values, our serde form),
# then each case through a real botocore client.
S3_CASES = RESTXML_CASES.split("out = []\nfor key in spec")[0] + r'''
import botocore.session, botocore.config, botocore.auth, botocore.compat, botocore.handlers

FIXED = datetime.datetime.fromtimestamp(spec["now"], datetime.timezone.utc).replace(tzinfo=None)
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: FIXED
# The presigned POST's expiration (`S3PostPresigner`) reads the clock through its own name.
botocore.signers.get_current_datetime = botocore.auth.get_current_datetime
# Idempotency tokens (`generate_idempotent_uuid`): the same fixed one on both sides.
import uuid
botocore.handlers.uuid.uuid4 = lambda: uuid.UUID(spec["token"])

BUCKETS = ["my-bucket", "bucket.with.dots", "b12", "Upper_Case-bucket", "a" * 63]
KEYS = ["key", "a//b", "../x", "é", "a+b", "%2F", "with space", "dir/sub/file.txt", "~tilde*star",
        "", "trailing/"]

class Captured(Exception):
    pass

def sendable(m, v):
    """A header member's value a server would accept: printable ASCII (what `unsendable`
    values do is the rest-xml differential's business)."""
    t = m.type_name
    if t == "string" and not header_safe(v):
        return "v%d" % rnd.randint(0, 999)
    if t == "map":
        return {("k%d" % i): (x if isinstance(x, str) and header_safe(x) and x.strip() == x else "v%d" % i)
                for i, x in enumerate(v.values())}
    if t == "list":
        return [sendable(m.member, x) for x in v]
    return v

CHECKSUM_MEMBERS = {"ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256",
                    "ChecksumSHA512", "ChecksumMD5", "ChecksumXXHASH64", "ChecksumXXHASH3", "ChecksumXXHASH128",
                    "ContentMD5"}

def s3_params(op, params):
    """S3's values where botocore's client insists (bucket names it accepts), where the
    interesting cases are (keys, copy sources), sendable header values, and the checksum
    members mostly left to the clients (a caller's checksum header stops both from
    computing one)."""
    members = op.input_shape.members
    for name in list(params):
        m = members[name]
        loc = m.serialization.get("location")
        if name in CHECKSUM_MEMBERS and rnd.random() < 0.8 or name == "ContentLength":
            del params[name]
            continue
        if loc in ("header", "headers"):
            params[name] = sendable(m, params[name])
        # botocore validates `min` (lengths, integers): met here, at the top level.
        low = m.metadata.get("min")
        if low is not None and m.type_name == "string" and len(params[name]) < low:
            params[name] = params[name] + "x" * (low - len(params[name]))
        elif low is not None and m.type_name in ("integer", "long") and params[name] < low:
            params[name] = int(low)
        if name == "AccountId" and m.type_name == "string":
            params[name] = str(rnd.randint(10**11, 10**12 - 1))
        elif name in ("Bucket", "ExpectedBucketOwner") and m.type_name == "string":
            params[name] = rnd.choice(BUCKETS) if name == "Bucket" else str(rnd.randint(10**11, 10**12 - 1))
        elif name == "Key" and m.type_name == "string":
            params[name] = rnd.choice([k for k in KEYS if k])
        elif name == "ChecksumAlgorithm":
            # What botocore computes without its optional CRT (CRC32C, CRC64NVME and the
            # xxHashes need it).
            params[name] = rnd.choice(["CRC32", "SHA1", "SHA256"])
        elif name == "CopySource":
            params[name] = rnd.choice(BUCKETS) + "/" + rnd.choice(KEYS) + rnd.choice(["", "?versionId=v1"])
    return params

def client_for(conf, presign=False):
    s3 = {}
    if conf.get("path_style"):
        s3["addressing_style"] = "path"
    if conf.get("accelerate"):
        s3["use_accelerate_endpoint"] = True
    cfg = botocore.config.Config(s3=s3, use_dualstack_endpoint=conf.get("dual_stack", False),
                                 retries={"max_attempts": 1, "mode": "standard"},
                                 # Presigned URLs with SigV4 (botocore's default for S3 is
                                 # still SigV2 where S3 accepts it).
                                 signature_version="s3v4" if presign else None)
    session = botocore.session.Session()
    session.set_config_variable("credentials_file", "/nonexistent")
    session.set_config_variable("config_file", "/nonexistent")
    c = session.create_client(spec["service"], region_name=conf["region"], aws_access_key_id=spec["akid"],
                              aws_secret_access_key=spec["secret"], aws_session_token=conf.get("token"),
                              endpoint_url=conf.get("endpoint"), config=cfg)
    c.meta.events.unregister("request-created", botocore.handlers.add_retry_headers)
    def capture(request, **kwargs):
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        body = body or b""
        if isinstance(body, str):
            body = body.encode()
        raise Captured({"method": request.method, "url": request.url,
                        "headers": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in request.headers.items()},
                        "body": base64.b64encode(body).decode()})
    c.meta.events.register_first("before-send", capture)
    return c

service = spec["service"]
api = loader.load_service_model(service, "service-2", spec["version"])
model = botocore.model.ServiceModel(api, service)
clients = [client_for(conf) for conf in spec["configs"]]
out = []
only = set(spec["ops"] or [])
for op_name in model.operation_names:
    if only and op_name not in only:
        continue
    op = model.operation_model(op_name)
    if op.has_event_stream_input or op.has_event_stream_output or op.input_shape is None:
        continue
    for case in range(spec["cases"]):
        params = s3_params(op, sorted_maps(op.input_shape, value(op.input_shape, 0, set())))
        ci = case % len(clients)
        # Our serde form of what the caller passes (botocore's handlers change `params`).
        ours = serde(op, params)
        try:
            getattr(clients[ci], botocore.xform_name(op_name))(**params)
            raise SystemExit("botocore sent nothing")
        except Captured as c:
            req = c.args[0]
        except (botocore.exceptions.EndpointResolutionError,
                botocore.exceptions.UnsupportedS3ConfigurationError,
                botocore.exceptions.UnsupportedS3AccesspointConfigurationError,
                botocore.exceptions.UnsupportedS3ControlConfigurationError) as e:
            # The rules refuse the configuration: ours must refuse it with the same words.
            out.append({"kind": "input", "op": op_name, "case": case, "config": ci, "params": ours,
                        "refused": e.kwargs.get("msg", str(e))})
            continue
        except (botocore.exceptions.ParamValidationError,
                botocore.exceptions.InvalidEndpointConfigurationError,
                botocore.exceptions.MissingDependencyException) as e:
            out.append({"kind": "skipped", "op": op_name, "case": case, "why": " ".join(str(e).split())[:200]})
            continue
        body = base64.b64decode(req["body"])
        out.append({"kind": "input", "op": op_name, "case": case, "config": ci, "params": ours,
                    "method": req["method"], "url": req["url"], "headers": req["headers"],
                    "body": req["body"], "canonical": canonical(body)})
if spec["presign"]:
    signers = [client_for(conf, presign=True) for conf in spec["configs"]]
    for op_name in model.operation_names:
        if only and op_name not in only:
            continue
        op = model.operation_model(op_name)
        if op.has_event_stream_input or op.has_event_stream_output or op.input_shape is None:
            continue
        members = op.input_shape.members
        # A URL carries no body: only operations whose required members are all bound
        # to the URI, query string or headers, with their bound members only.
        if any(not members[r].serialization.get("location") for r in op.input_shape.required_members):
            continue
        for case in range(spec["cases"]):
            params = s3_params(op, sorted_maps(op.input_shape, value(op.input_shape, 0, set())))
            params = {k: v for k, v in params.items() if members[k].serialization.get("location")}
            ci = case % len(signers)
            ours = serde(op, params)
            expires = rnd.choice([1, 600, 3600, 604800])
            try:
                url = signers[ci].generate_presigned_url(botocore.xform_name(op_name), Params=params,
                                                         ExpiresIn=expires)
            except (botocore.exceptions.ParamValidationError, botocore.exceptions.EndpointResolutionError,
                    botocore.exceptions.UnsupportedS3ConfigurationError,
                    botocore.exceptions.UnsupportedS3AccesspointConfigurationError) as e:
                out.append({"kind": "skipped", "op": op_name, "case": case, "why": " ".join(str(e).split())[:200]})
                continue
            out.append({"kind": "presign", "op": op_name, "case": case, "config": ci, "params": ours,
                        "expires": expires, "url": url})
    # Presigned POST (`generate_presigned_post`), each case under each configuration.
    POSTS = [
        ("my-bucket", "photos/cat.jpg", {}, [], 3600),
        ("bucket.with.dots", "uploads/${filename}", {"acl": "public-read", "Content-Type": "image/png"},
         [{"acl": "public-read"}, ["starts-with", "$Content-Type", "image/"], ["content-length-range", 1, 1048576]],
         600),
        ("b12", "\u00e9 \u00fc/\u043a\u043b\u044e\u0447 \U0001F600 \"q\"\\", {"x-amz-meta-note": "\u00fcn\u00efcode", "key": "replaced"},
         [{"x-amz-meta-note": "\u00fcn\u00efcode"}], 2 * 604800),
        ("Upper_Case-bucket", "k", {}, [], 1),
    ]
    if not only or "CreateBucket" in only:
        for case, (bucket, key, fields, conditions, expires) in enumerate(POSTS):
            for ci, signer in enumerate(signers):
                try:
                    r = signer.generate_presigned_post(bucket, key, Fields=fields, Conditions=conditions,
                                                       ExpiresIn=expires)
                except (botocore.exceptions.ParamValidationError, botocore.exceptions.EndpointResolutionError,
                        botocore.exceptions.UnsupportedS3ConfigurationError) as e:
                    out.append({"kind": "skipped", "op": "presigned POST", "case": case,
                                "why": " ".join(str(e).split())[:200]})
                    continue
                out.append({"kind": "post", "op": "presigned POST", "case": case, "config": ci,
                            "bucket": bucket, "key": key, "fields": list(fields.items()),
                            "conditions": conditions, "expires": expires,
                            "want": {"url": r["url"], "fields": [list(kv) for kv in r["fields"].items()]}})
json.dump(out, sys.stdout)
'''

HARNESS_MAIN = r'''
#![allow(warnings)]
include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.rs"));

use awsgen_runtime::serde_json::{self, json, Value};
use std::sync::{Arc, Mutex};

/// A transport that keeps the request it is given and answers 200 with no body.
#[derive(Debug, Clone, Default)]
struct Capture(Arc<Mutex<Option<Value>>>);

impl awsgen_runtime::http::HttpClient for Capture {
    fn send(
        &self,
        request: http::Request<awsgen_runtime::ByteStream>,
    ) -> awsgen_runtime::BoxFuture<'_, Result<http::Response<awsgen_runtime::ByteStream>, awsgen_runtime::http::TransportError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body.collect(1 << 30).await.map(|b| b.to_vec()).unwrap_or_default();
            let headers: Vec<(String, String)> = parts
                .headers
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            *self.0.lock().unwrap() = Some(json!({
                "method": parts.method.as_str(),
                "url": parts.uri.to_string(),
                "headers": headers,
                "body": awsgen_runtime::Blob::new(body).to_base64(),
            }));
            Ok(http::Response::builder().status(200).body(awsgen_runtime::ByteStream::default()).unwrap())
        })
    }
}

const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The process's peak resident set (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// A client configuration as `c` describes it (region, credentials, endpoint, S3
/// settings), at the fixed time `now` and with the fixed idempotency token.
fn builder(c: &Value, now: i64) -> awsgen_runtime::ConfigBuilder {
    let mut b = awsgen_runtime::Config::builder()
        .region(c["region"].as_str().unwrap())
        .credentials(awsgen_runtime::Credentials::new(c["akid"].as_str().unwrap(), c["secret"].as_str().unwrap(), c["token"].as_str().map(str::to_string), None, "static"))
        .time_source(move || awsgen_runtime::DateTime::from_secs(now))
        .idempotency_token_source(|| TOKEN.to_string())
        .use_dual_stack(c["dual_stack"].as_bool().unwrap_or(false))
        .s3(awsgen_runtime::s3::S3Config::new()
            .force_path_style(c["path_style"].as_bool().unwrap_or(false))
            .accelerate(c["accelerate"].as_bool().unwrap_or(false)));
    if let Some(e) = c["endpoint"].as_str() {
        b = b.endpoint_url(e);
    }
    b
}

fn main() {
    use std::io::BufRead;
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    if args[1] == "live" {
        // `live <config>`: each line's call sent to a real endpoint (moto), its output or
        // error printed (`scripts/moto_s3.py`).
        let c: Value = serde_json::from_str(&args[2]).unwrap();
        let config = awsgen_runtime::Config::builder()
            .region(c["region"].as_str().unwrap())
            .credentials(awsgen_runtime::Credentials::new(c["akid"].as_str().unwrap(), c["secret"].as_str().unwrap(), None, None, "static"))
            .endpoint_url(c["endpoint"].as_str().unwrap())
            .build();
        let client = client::Client::new(config);
        for line in std::io::stdin().lock().lines() {
            let req: Value = serde_json::from_str(&line.unwrap()).unwrap();
            let op = req["op"].as_str().unwrap_or_default();
            let params = serde_json::to_vec(&req["params"]).unwrap();
            if let Some(secs) = req["presign"].as_u64() {
                let expires = std::time::Duration::from_secs(secs);
                let answer = match __wire_harness::presign(client.handle().clone(), op, &params, expires) {
                    Ok(fut) => match rt.block_on(fut) {
                        Ok(v) => json!({"ok": v}),
                        Err(e) => json!({"err": {"message": e}}),
                    },
                    Err(e) => json!({"err": {"harness": e}}),
                };
                println!("{answer}");
                continue;
            }
            let answer = match __wire_harness::send_json(client.handle().clone(), op, &params) {
                Ok(fut) => match rt.block_on(fut) {
                    Ok(v) => json!({"ok": v}),
                    Err(e) => json!({"err": e}),
                },
                Err(e) => json!({"err": {"harness": e}}),
            };
            println!("{answer}");
        }
        return;
    }
    if args[1] == "memory" {
        // `memory <config> <file> <out>`: PutObject of `file` (read as it is sent), then
        // GetObject of it written to `out`; prints the sizes and the peak RSS after each.
        let c: Value = serde_json::from_str(&args[2]).unwrap();
        let client = client::Client::new(builder(&c, 0).time_source(awsgen_runtime::DateTime::now).build());
        let (path, out) = (args[3].clone(), args[4].clone());
        let answer = rt.block_on(async {
            let body = awsgen_runtime::ByteStream::from_path(&path).await.map_err(|e| e.to_string())?;
            let put = operation::put_object::PutObjectInput::new(operation::put_object::PutObjectInputRequired {
                bucket: "memory".into(),
                key: "big".into(),
            })
            .body(body);
            client.put_object(put).await.map_err(|e| e.to_string())?;
            let after_put = peak_rss_kib();
            let get = operation::get_object::GetObjectInput::new(operation::get_object::GetObjectInputRequired {
                bucket: "memory".into(),
                key: "big".into(),
            });
            let got = client.get_object(get).await.map_err(|e| e.to_string())?;
            let written = got.body.write_to_file(&out).await.map_err(|e| e.to_string())?;
            Ok::<_, String>(json!({"put_peak_kib": after_put, "written": written, "peak_kib": peak_rss_kib()}))
        });
        println!("{}", answer.unwrap_or_else(|e| json!({"err": e})));
        return;
    }
    if args[1] == "post" {
        // `post <configs> <now>`: each line's presigned POST.
        let configs: Vec<Value> = serde_json::from_str(&args[2]).unwrap();
        let now: i64 = args[3].parse().unwrap();
        for line in std::io::stdin().lock().lines() {
            let req: Value = serde_json::from_str(&line.unwrap()).unwrap();
            let c = &configs[req["config"].as_u64().unwrap() as usize];
            let client = client::Client::new(builder(c, now).build());
            let mut policy = awsgen_runtime::presign::PostPolicy::new(
                req["bucket"].as_str().unwrap(),
                req["key"].as_str().unwrap(),
            )
            .expires_in(std::time::Duration::from_secs(req["expires"].as_u64().unwrap()));
            for kv in req["fields"].as_array().unwrap() {
                policy = policy.field(kv[0].as_str().unwrap(), kv[1].as_str().unwrap());
            }
            for cond in req["conditions"].as_array().unwrap() {
                policy = policy.condition(cond.clone());
            }
            let answer = match rt.block_on(client.presigned_post(policy)) {
                Ok(p) => json!({"url": p.url(), "fields": p.fields()}),
                Err(e) => json!({"err": e.to_string()}),
            };
            println!("{answer}");
        }
        return;
    }
    if args[1] == "presign" {
        // `presign <configs> <now>`: each line's request presigned for `expires` seconds.
        let configs: Vec<Value> = serde_json::from_str(&args[2]).unwrap();
        let now: i64 = args[3].parse().unwrap();
        let clients: Vec<client::Client> = configs
            .iter()
            .map(|c| client::Client::new(builder(c, now).build()))
            .collect();
        for line in std::io::stdin().lock().lines() {
            let req: Value = serde_json::from_str(&line.unwrap()).unwrap();
            let op = req["op"].as_str().unwrap_or_default();
            let client = &clients[req["config"].as_u64().unwrap() as usize];
            let params = serde_json::to_vec(&req["params"]).unwrap();
            let expires = std::time::Duration::from_secs(req["expires"].as_u64().unwrap());
            let answer = match __wire_harness::presign(client.handle().clone(), op, &params, expires) {
                Ok(fut) => match rt.block_on(fut) {
                    Ok(v) => v,
                    Err(e) => json!({"err": e}),
                },
                Err(e) => json!({"err": e}),
            };
            println!("{answer}");
        }
        return;
    }
    // `capture <configs> <now>`: each line's call taken at the transport.
    let configs: Vec<Value> = serde_json::from_str(&args[2]).unwrap();
    let now: i64 = args[3].parse().unwrap();
    let capture = Capture::default();
    let clients: Vec<client::Client> = configs
        .iter()
        .map(|c| {
            let b = builder(c, now)
                .retry(awsgen_runtime::RetryConfig::disabled())
                .http_client(capture.clone());
            client::Client::new(b.build())
        })
        .collect();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let req: Value = serde_json::from_str(&line).unwrap();
        let op = req["op"].as_str().unwrap_or_default();
        let client = &clients[req["config"].as_u64().unwrap() as usize];
        *capture.0.lock().unwrap() = None;
        let params = serde_json::to_vec(&req["params"]).unwrap();
        let result = match __wire_harness::send(client.handle().clone(), op, &params) {
            Ok(fut) => rt.block_on(fut),
            Err(e) => Err(e),
        };
        let answer = match capture.0.lock().unwrap().take() {
            Some(v) => v,
            None => json!({"err": result.err().unwrap_or_default()}),
        };
        println!("{answer}");
    }
}
'''


def crate_name(key):
    return "s3diff_" + key.replace("-", "_").replace("/", "_")


IGNORED = {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request"}
# A difference `compare` and `compare_presigned` explain (counted apart, not a mismatch).
EXPLAINED = ["explained"]


def compare(python, case, ours):
    """The differences between botocore's request and ours, as text."""
    if "refused" in case:
        if case["refused"] in ours.get("err", ""):
            return []
        if "err" in ours and "host label" in ours["err"]:
            # Both refuse: ours checks the host prefix's labels before the rules run.
            return EXPLAINED
        return [f"botocore's rules refuse it ({case['refused']}); ours: {json.dumps(ours)[:300]}"]
    problems = refused_or_failed(case, ours)
    if problems is not None:
        return problems
    problems = []
    if ours["method"] != case["method"]:
        problems.append(f"method: botocore {case['method']} ours {ours['method']}")
    b_origin, _, b_rest = case["url"].partition("://")[2].partition("/")
    o_origin, _, o_rest = ours["url"].partition("://")[2].partition("/")
    if case["url"].split("://")[0] != ours["url"].split("://")[0] or b_origin != o_origin:
        problems.append(f"origin: botocore {case['url'].split('/')[0]}//{b_origin} "
                        f"ours {ours['url'].split('/')[0]}//{o_origin}")
    (bp, bq), (op, oq) = split("/" + b_rest), split("/" + o_rest)
    if bp != op:
        problems.append(f"path: botocore {bp} ours {op}")
    if bq != oq:
        problems.append(f"query: botocore {bq} ours {oq}")
    theirs = {k.lower(): v for k, v in case["headers"].items() if k.lower() not in IGNORED}
    mine = {k.lower(): v for k, v in ours["headers"] if k.lower() not in IGNORED}
    # botocore's `Host` is written by the HTTP library from the URL (and signed as such).
    if mine.pop("host", None) != o_origin:
        problems.append(f"host header: ours is not {o_origin}")
    body = base64.b64decode(case["body"])
    got = base64.b64decode(ours["body"])
    same_tree = False
    if case["canonical"] is not None:
        mine_c = json.loads(venv_run(python, CANONICAL, [ours["body"]]))[0]
        same_tree = mine_c == case["canonical"]
        if not same_tree:
            problems.append(f"body (canonical XML):\n      botocore {case['canonical'][:600]}\n"
                            f"      ours     {(mine_c or got.decode(errors='replace'))[:600]}")
    elif got != body:
        problems.append(f"body: botocore {body[:300]!r} ours {got[:300]!r}")
    for k in sorted(set(theirs) | set(mine)):
        if theirs.get(k) == mine.get(k):
            continue
        if same_tree and got != body and (k.startswith("x-amz-checksum-") or k in (
                "content-md5", "content-length", "x-amz-content-sha256", "authorization")):
            # The same tree written differently: these describe each side's own bytes.
            continue
        problems.append(f"header {k}: botocore {theirs.get(k)!r} ours {mine.get(k)!r}")
    return problems


def compare_presigned(case, ours):
    """A presigned URL against botocore's: scheme, host and path exactly, the query as a
    multiset (botocore's operation parameters come in the order the caller gave them),
    the signature included."""
    if "err" in ours:
        return [f"ours failed: {ours['err']}"]
    want, got = case["url"], ours["url"]
    (wb, _, wq), (gb, _, gq) = want.partition("?"), got.partition("?")
    keys = [p.split("=")[0] for p in gq.split("&")]
    if len(keys) != len(set(keys)):
        # A list in the query string (`tagKeys=a&tagKeys=b`): botocore's presigner keeps
        # only the first value of each parameter (`parse_qs`, then `v[0]`) and signs that;
        # ours keeps them all.
        return EXPLAINED
    problems = []
    if wb != gb:
        problems.append(f"URL: botocore {wb} ours {gb}")
    if sorted(wq.split("&")) != sorted(gq.split("&")):
        problems.append(f"query: botocore {sorted(wq.split('&'))} ours {sorted(gq.split('&'))}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="s3", help="s3, s3control or both (comma-separated)")
    ap.add_argument("--ops", default="", help="only these operations")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", action="store_true", help="print every request botocore sent")
    ap.add_argument("--no-presign", action="store_true", help="requests only")
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    data = botocore_data(python)
    models = [f"{m}/{latest(data, m)}" for m in args.models.split(",")]
    bin_dir = build(models)
    configs = [dict(c, akid=AKID, secret=SECRET) for c in CONFIGS]
    total = {"matched": 0, "mismatched": 0, "skipped": 0}
    ops_seen = set()
    for key in models:
        service, version = key.split("/")
        cases = json.loads(venv_run(python, S3_CASES, {
            "service": service, "version": version, "cases": args.cases, "seed": args.seed,
            "ops": [o for o in args.ops.split(",") if o], "configs": configs, "now": NOW,
            "akid": AKID, "secret": SECRET, "token": "00000000-0000-4000-8000-000000000000",
            "presign": not args.no_presign}))
        inputs = [c for c in cases if c["kind"] == "input"]
        presigns = [c for c in cases if c["kind"] == "presign"]
        total["skipped"] += len(cases) - len(inputs) - len(presigns) - sum(1 for c in cases if c["kind"] == "post")
        reasons = {}
        for c in cases:
            if c["kind"] == "skipped":
                reasons[c["why"].split(":")[0][:60]] = reasons.get(c["why"].split(":")[0][:60], 0) + 1
        for why, n in sorted(reasons.items()):
            print(f"{key}: skipped {n}: botocore refused it before sending ({why})")
        p = subprocess.run([os.path.join(bin_dir, crate_name(key)), "capture", json.dumps(configs), str(NOW)],
                           input="\n".join(json.dumps({k: c[k] for k in ("op", "params", "config")})
                                           for c in inputs) + "\n",
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"differential-s3: the {key} harness failed: {p.stderr[-2000:]}")
        answers = [json.loads(line) for line in p.stdout.split("\n") if line]
        for c in cases:
            if args.show and c["kind"] == "skipped":
                print(f"skipped {c['op']}: {c['why']}")
        for c, a in zip(inputs, answers):
            ops_seen.add((key, c["op"]))
            if args.show:
                print(f"{c['op']}: botocore {c.get('method')} {c.get('url')} {json.dumps(c.get('headers'))} "
                      f"{base64.b64decode(c.get('body', ''))[:200]!r}\n    ours {json.dumps(a)[:1500]}")
            problems = compare(python, c, a)
            if problems is EXPLAINED:
                total["explained"] = total.get("explained", 0) + 1
            elif problems:
                total["mismatched"] += 1
                print(f"{key} {c['op']} [{CONFIGS[c['config']]['name']}] (seed {args.seed}, case {c['case']})"
                      f"\n    params: {json.dumps(c['params'])[:400]}\n    botocore: {c.get('method')} {c.get('url')}"
                      + "".join("\n    " + x for x in problems))
            else:
                total["matched"] += 1
        # Presigned URLs of the same operations, against botocore's `generate_presigned_url`.
        p = subprocess.run([os.path.join(bin_dir, crate_name(key)), "presign", json.dumps(configs), str(NOW)],
                           input="\n".join(json.dumps({k: c[k] for k in ("op", "params", "config", "expires")})
                                           for c in presigns) + "\n",
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"differential-s3: the {key} harness failed: {p.stderr[-2000:]}")
        answers = [json.loads(line) for line in p.stdout.split("\n") if line]
        for c, a in zip(presigns, answers):
            ops_seen.add((key, c["op"]))
            problems = compare_presigned(c, a)
            if args.show:
                print(f"presign {c['op']}: botocore {c['url']}\n    ours {a.get('url') or a}")
            if problems is EXPLAINED:
                total["explained"] = total.get("explained", 0) + 1
            elif problems:
                total["mismatched"] += 1
                print(f"{key} {c['op']} presigned [{CONFIGS[c['config']]['name']}] (seed {args.seed}, case {c['case']})"
                      f"\n    params: {json.dumps(c['params'])[:400]}" + "".join("\n    " + x for x in problems))
            else:
                total["matched"] += 1
                total["presigned"] = total.get("presigned", 0) + 1
        # Presigned POST forms, against botocore's `generate_presigned_post`: the same URL
        # and the same fields, in the same order.
        posts = [c for c in cases if c["kind"] == "post"]
        if posts:
            p = subprocess.run([os.path.join(bin_dir, crate_name(key)), "post", json.dumps(configs), str(NOW)],
                               input="\n".join(json.dumps(c) for c in posts) + "\n",
                               capture_output=True, text=True)
            if p.returncode != 0:
                raise SystemExit(f"differential-s3: the {key} harness failed: {p.stderr[-2000:]}")
            answers = [json.loads(line) for line in p.stdout.split("\n") if line]
            for c, a in zip(posts, answers):
                ops_seen.add((key, c["op"]))
                if a == c["want"]:
                    total["matched"] += 1
                    total["posts"] = total.get("posts", 0) + 1
                else:
                    total["mismatched"] += 1
                    print(f"{key} presigned POST [{CONFIGS[c['config']]['name']}] (case {c['case']})"
                          f"\n    botocore: {json.dumps(c['want'])[:1500]}\n    ours:     {json.dumps(a)[:1500]}")
    explained = total.get("explained", 0)
    n = total["matched"] + total["mismatched"] + total["skipped"] + explained
    print(f"presigned POST forms equal to botocore's: {total.get('posts', 0)}")
    print(f"presigned URLs equal to botocore's: {total.get('presigned', 0)}; explained: {explained} "
          "(repeated query parameters, which botocore's presigner drops; refusals for another reason)")
    print(f"differential-s3: {len(ops_seen)} operations, {n} cases, {total['matched']} matched, "
          f"{total['skipped']} skipped, {explained} explained, {total['mismatched']} mismatched")
    return 1 if total["mismatched"] else 0


S3_DEPS = 'http = "1"\ntokio = { version = "1", features = ["rt", "fs"] }\n'


def data():
    """botocore's data directory (of the pinned oracle venv)."""
    return botocore_data(ensure_venv(os.path.join(ROOT, "target", "oracle-venv")))


def build(models):
    """The harness of each model (`s3/<version>`, ...): the generated client with
    `__wire_harness`, whose program captures requests (`capture`) or sends them
    (`live`); shared with `scripts/moto_s3.py`. Returns where the binaries are."""
    python = ensure_venv(os.path.join(ROOT, "target", "oracle-venv"))
    data = botocore_data(python)
    os.makedirs(WORK, exist_ok=True)
    return build_harnesses(data, models, WORK, crate_name, HARNESS_MAIN, extra_deps=S3_DEPS)

if __name__ == "__main__":
    sys.exit(main())
