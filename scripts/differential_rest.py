#!/usr/bin/env python3
"""Our rest-json requests against botocore's `RestJSONSerializer`, operation by operation.

    python3 scripts/differential_rest.py [--models lambda,efs,...] [--all] [--cases 3] [--seed 1]

For each rest-json model (default: Lambda and two others; `--all`: every rest-json model
version of botocore 1.44.8) and each operation, seeded random parameters valid for the
input shape (the generator of `scripts/differential.py`: every member type, unicode,
timestamps, blobs, lists and maps, in every location) are serialized by botocore, and
by our generated `__request` from the same values (given in our serde form: body members
as botocore's JSON writes them, bound members as plain values). Compared:

- the method;
- the path, exactly (labels percent-encoded, greedy labels keeping `/`);
- the query string as a multiset of encoded pairs (botocore writes them in the order the
  caller passed the parameters, ours in the model's; the template's literal query too);
- the headers botocore's serializer sets, name case-insensitive, value exactly; and ours
  has no other header but `Content-Type` where botocore's has none (botocore's
  `Content-Type` for a JSON body is set by the serializer too) and `x-amz-checksum-crc32`,
  which botocore adds in a handler: it must be the CRC32 of botocore's body;
- the body: JSON bodies as JSON values, others byte for byte.

Prints each mismatch with model, operation, seed, case and both sides, and

    differential-rest: M models, O operations, N cases, K matched, X mismatched

Outputs and faults of rest-json are checked by the protocol suites (tests/protocol) and
not yet here.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import CASES, latest, same, venv_run  # noqa: E402
from oracle_companions import ROOT, ensure_venv  # noqa: E402

SAMPLE = ["lambda", "efs", "apigateway"]
WORK = os.path.join(ROOT, "target", "differential-rest")

# Runs in the venv: the random values of differential.py, then botocore's REST request
# and our serde form of the same parameters.
REST_CASES = CASES.split("NAMESPACES = ")[0] + r'''
import botocore.utils

def json_safe(v):
    """botocore's body values as JSON (bytes base64, datetimes epoch)."""
    if isinstance(v, dict): return {k: json_safe(x) for k, x in v.items()}
    if isinstance(v, list): return [json_safe(x) for x in v]
    if isinstance(v, bytes): return base64.b64encode(v).decode()
    if isinstance(v, datetime.datetime): return v.timestamp()
    return v

def bound(shape, v):
    """A bound member's value in our serde form."""
    t = shape.type_name
    if t == "list": return [bound(shape.member, x) for x in v]
    if t == "map": return {k: bound(shape.value, x) for k, x in v.items()}
    if t == "blob": return base64.b64encode(v).decode()
    if t == "timestamp": return v.timestamp()
    return v

def serde(op, params, body):
    """Our serde form of `params`: bound members by name; body members as the JSON body
    botocore wrote has them; the payload member as the body itself."""
    shape = op.input_shape
    payload = shape.serialization.get("payload")
    out = {}
    written = json.loads(body) if body and not payload else {}
    body_keys = {m.serialization.get("name", n) for n, m in shape.members.items()
                 if not m.serialization.get("location")}
    for name, m in shape.members.items():
        if name not in params:
            continue
        key = m.serialization.get("name", name)
        location = m.serialization.get("location")
        if location:
            # Our serde key: the member's name, `<name>@<location>` where a body member's
            # JSON name is the same (distinct_serde_keys in the generator).
            out[name if name not in body_keys else f"{name}@{location}"] = bound(m, params[name])
        elif name == payload:
            if m.type_name == "blob":
                out[key] = base64.b64encode(body or b"").decode()
            elif m.type_name == "string":
                out[key] = (body or b"").decode()
            else:
                out[key] = json.loads(body) if body else {}
        elif key in written:
            out[key] = written[key]
    return out

out = []
for key in spec["models"]:
    svc, version = key.split("/")
    api = loader.load_service_model(svc, "service-2", version)
    model = botocore.model.ServiceModel(api, svc)
    serializer = botocore.serialize.RestJSONSerializer()
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        if op.has_event_stream_input or op.has_event_stream_output or op.input_shape is None:
            continue
        for case in range(spec["cases"]):
            params = value(op.input_shape, 0, set())
            req = serializer.serialize_to_request(params, op)
            body = req["body"] if isinstance(req["body"], bytes) else (req["body"] or "").encode()
            query = botocore.utils.percent_encode_sequence(req["query_string"]) if req["query_string"] else ""
            out.append({
                "model": key, "op": op_name, "case": case,
                "params": serde(op, params, body),
                "method": req["method"],
                "url": req["url_path"] + (("&" if "?" in req["url_path"] else "?") + query if query else ""),
                "headers": {k: str(v) for k, v in req["headers"].items()},
                "body": base64.b64encode(body).decode(),
                "checksum_required": bool(op.http_checksum_required or op.http_checksum.get("requestChecksumRequired")),
            })
json.dump(out, sys.stdout)
'''

HARNESS_MAIN = r'''
#![allow(warnings)]
include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.rs"));

fn main() {
    use std::io::BufRead;
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let req: awsgen_runtime::serde_json::Value = awsgen_runtime::serde_json::from_str(&line).unwrap();
        let params = awsgen_runtime::serde_json::to_vec(&req["params"]).unwrap();
        let answer = match __wire_harness::rest_request(req["op"].as_str().unwrap_or_default(), &params) {
            Ok(v) => v,
            Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
        };
        println!("{answer}");
    }
}
'''


def crate_name(key):
    return "rdiff_" + key.replace("-", "_").replace("/", "_")


def build(data, models):
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "awsgen-codegen"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    awsgen = os.path.join(target, "release", "awsgen")
    crates = os.path.join(WORK, "crates")
    shutil.rmtree(crates, ignore_errors=True)
    members = []
    for key in models:
        name = crate_name(key)
        src = os.path.join(crates, name, "src")
        os.makedirs(src)
        subprocess.run([awsgen, "generate", "--model", os.path.join(data, key), "--out-dir", src,
                        "--file-name", "generated.rs", "--wire-harness"], check=True, capture_output=True)
        with open(os.path.join(src, "main.rs"), "w") as f:
            f.write(HARNESS_MAIN)
        with open(os.path.join(crates, name, "Cargo.toml"), "w") as f:
            f.write(f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
                    f'[dependencies]\nawsgen-runtime = {{ path = "{ROOT}/runtime", features = ["gzip"] }}\n')
        members.append(f"crates/{name}")
    with open(os.path.join(WORK, "Cargo.toml"), "w") as f:
        f.write('[workspace]\nresolver = "2"\nmembers = [' + ", ".join(f'"{m}"' for m in members) + ']\n'
                '\n[profile.dev]\ndebug = false\nincremental = false\n')
    shutil.copyfile(os.path.join(ROOT, "Cargo.lock"), os.path.join(WORK, "Cargo.lock"))
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target", "differential-target"))
    subprocess.run(["cargo", "build", "-q"], cwd=WORK, env=env, check=True)
    return os.path.join(ROOT, "target", "differential-target", "debug")


def split(url):
    path, _, query = url.partition("?")
    return path, sorted(p for p in query.split("&") if p)


def unsendable(value):
    """A header value `http.client` refuses to send (botocore's request fails there):
    characters beyond Latin-1, or a line break."""
    return any(ord(c) > 0xFF for c in value) or "\r" in value or "\n" in value


def compare(case, ours):
    """The differences between botocore's request and ours, as text."""
    problems = []
    refused = [k for k, v in case["headers"].items() if unsendable(v)]
    if refused:
        # botocore serializes it and then fails to send; ours refuses to build it.
        if "err" in ours and any(f"header `{k}`" in ours["err"] for k in refused):
            return []
        return [f"botocore cannot send header(s) {refused}; ours: {json.dumps(ours)[:300]}"]
    if "err" in ours:
        return [f"ours failed: {ours['err']}"]
    if ours["method"] != case["method"]:
        problems.append(f"method: botocore {case['method']} ours {ours['method']}")
    (bp, bq), (op, oq) = split(case["url"]), split(ours["path"])
    if bp != op:
        problems.append(f"path: botocore {bp} ours {op}")
    if bq != oq:
        problems.append(f"query: botocore {bq} ours {oq}")
    body = base64.b64decode(case["body"])
    theirs = {k.lower(): v for k, v in case["headers"].items()}
    mine = {k.lower(): v for k, v in ours["headers"]}
    if case["checksum_required"]:
        want = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
        got = mine.pop("x-amz-checksum-crc32", None)
        if got != want:
            problems.append(f"x-amz-checksum-crc32: want {want} (CRC32 of botocore's body) ours {got}")
    for k in sorted(set(theirs) | set(mine)):
        if theirs.get(k) != mine.get(k):
            problems.append(f"header {k}: botocore {theirs.get(k)!r} ours {mine.get(k)!r}")
    got_body = base64.b64decode(ours["body"]) if ours["body"] is not None else None
    if got_body is None:
        problems.append("ours: the body is not in memory")
    elif got_body != body:
        try:
            if not same(json.loads(body or b"null"), json.loads(got_body or b"null")):
                raise ValueError
        except ValueError:
            problems.append(f"body: botocore {body[:300]!r} ours {got_body[:300]!r}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="comma-separated service names")
    ap.add_argument("--all", action="store_true", help="every rest-json model")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    data = subprocess.run([python, "-c", "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    if args.all:
        import generality
        models = sorted(f"{svc}/{ver}" for svc, ver, _, _ in generality.models(data, None, {"rest-json"}))
    else:
        models = [m if "/" in m else f"{m}/{latest(data, m)}"
                  for m in (args.models.split(",") if args.models else SAMPLE)]
    os.makedirs(WORK, exist_ok=True)
    bin_dir = build(data, models)
    cases = json.loads(venv_run(python, REST_CASES, {"models": models, "cases": args.cases, "seed": args.seed}))
    mismatches, matched, ops = [], 0, set()
    for key in models:
        mine = [c for c in cases if c["model"] == key]
        if not mine:
            continue
        p = subprocess.run([os.path.join(bin_dir, crate_name(key))],
                           input="\n".join(json.dumps({"op": c["op"], "params": c["params"]}) for c in mine) + "\n",
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"differential-rest: {key} harness failed: {p.stderr[-2000:]}")
        answers = [json.loads(line) for line in p.stdout.split("\n") if line]
        for c, a in zip(mine, answers):
            ops.add((key, c["op"]))
            problems = compare(c, a)
            if problems:
                mismatches.append(f"{key} {c['op']} (seed {args.seed}, case {c['case']})\n    params: "
                                  f"{json.dumps(c['params'])[:400]}" + "".join("\n    " + x for x in problems))
            else:
                matched += 1
    for m in mismatches:
        print(m)
    print(f"differential-rest: {len(models)} models, {len(ops)} operations, {matched + len(mismatches)} cases, "
          f"{matched} matched, {len(mismatches)} mismatched")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
