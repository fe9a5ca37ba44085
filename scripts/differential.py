#!/usr/bin/env python3
"""Our generated code against botocore's own serializer and parser, operation by operation.

    python3 scripts/differential.py [--models dms,logs,dynamodb/2011-12-05,...] [--all] [--cases 3] [--seed 1]

For each model (default: DMS and the three CI sample models; `--all`: every json-capable
model of botocore 1.44.8), and each operation:

- inputs: seeded random parameters valid for the input shape (every member type, nested
  structures, lists, maps, timestamps, blobs, enums, unions, unicode) are serialized by
  `botocore.serialize` (JSONSerializer, in the pinned venv). The body goes through our
  generated input type (read, then written back) and must equal botocore's JSON value
  for value; our `X-Amz-Target` must be botocore's.
- outputs: a random response body shaped like the output is parsed by botocore's parser
  and by our output type; what ours writes back, parsed again by botocore, must equal
  botocore's reading of the original.

Our side is `awsgen generate --wire-harness` (a hidden per-operation round trip) built
into one small program per model. Prints every mismatch with a reproducer (model,
operation, seed, case, both values) and

    differential: M models, O operations, N cases, K matched, X mismatched

and exits non-zero on any mismatch.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import ROOT, botocore_data, ensure_venv  # noqa: E402

SAMPLE = ["dms", "dynamodb", "logs", "keyspacesstreams"]
WORK = os.path.join(ROOT, "target", "differential")

# Runs in the venv: loads models with botocore's loader, makes the cases.
CASES = r'''
import base64, calendar, datetime, json, math, random, sys
import botocore, botocore.loaders, botocore.model, botocore.serialize, botocore.parsers
spec = json.load(sys.stdin)
loader = botocore.loaders.Loader()
rnd = random.Random(spec["seed"])
TEXT = ["", "a", "ascii text", "é🦀 ünïcødé", "quote\" back\\slash", "tab\tnew\nline", "\u2028", "<b>&amp;</b>", "x" * 40]

def ts():
    secs = rnd.randint(0, 4102444800)
    ms = rnd.choice([0, 0, rnd.randint(1, 999)])
    return datetime.datetime.fromtimestamp(secs + ms / 1000, datetime.timezone.utc)

def value(shape, depth, seen):
    t = shape.type_name
    if t == "structure":
        if shape.metadata.get("document"):
            return rnd.choice([None, 1, "d", [1, "x"], {"k": {"n": [True]}}])
        members = shape.members
        out = {}
        if shape.is_tagged_union:
            if members:
                name = rnd.choice(sorted(members))
                out[name] = value(members[name], depth + 1, seen)
            return out
        required = set(shape.required_members)
        for name, m in members.items():
            recursive = m.name in seen
            if name in required or (not recursive and depth < 4 and rnd.random() < 0.6):
                out[name] = value(m, depth + 1, seen | {shape.name})
        return out
    if t == "list":
        n = rnd.randint(0, 2) if depth < 4 else 0
        return [value(shape.member, depth + 1, seen) for _ in range(n)]
    if t == "map":
        n = rnd.randint(0, 2) if depth < 4 else 0
        return {value(shape.key, depth + 1, seen): value(shape.value, depth + 1, seen) for _ in range(n)}
    if t == "string":
        if shape.enum:
            return rnd.choice(shape.enum)
        return rnd.choice(TEXT) + str(rnd.randint(0, 99))
    if t in ("integer", "long", "short", "byte"):
        lim = {"integer": 2**31 - 1, "long": 2**53, "short": 2**15 - 1, "byte": 127}[t]
        return rnd.choice([0, 1, -1, lim, -lim, rnd.randint(-1000, 1000)])
    if t == "boolean":
        return rnd.random() < 0.5
    if t in ("float", "double"):
        return rnd.choice([0.0, 1.5, -2.25, 1e10, rnd.uniform(-1e6, 1e6) if t == "double" else 0.5])
    if t == "timestamp":
        return ts()
    if t == "blob":
        return bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 12)))
    raise SystemExit(f"unknown shape type {t}")

NAMESPACES = ["", "", "com.amazonaws.service#", "aws.protocoltests.json#"]
SUFFIXES = ["", "", ":http://internal.amazon.com/coral/com.amazon.coral.validate/", ":http://internal.amazon.com/doc#errors"]

def fault(model, op, serializer):
    """An error response: a fault the operation lists, one only the service defines, an
    unmodelled code, or a proxy's page that is not JSON."""
    listed, every = op.error_shapes, model.error_shapes
    roll = rnd.random()
    headers = {"x-amzn-requestid": "req-%d" % rnd.randint(0, 10**6)}
    if roll < 0.08:
        body = rnd.choice([b"<html><body>Bad Gateway</body></html>", b"upstream\n\tconnect error", b""])
        return {"status": 400, "headers": headers, "body": base64.b64encode(body).decode()}
    if roll < 0.5 and listed:
        shape = rnd.choice(listed)
    elif roll < 0.9 and every:
        shape = rnd.choice(every)
    else:
        shape = None
    wire = {}
    if shape is not None:
        serializer._serialize(wire, value(shape, 0, set()), shape)
        code = shape.error_code or shape.name
        if model.metadata.get("awsQueryCompatible") is not None:
            # A query-compatible service sends the shape name, and the legacy code in
            # a header.
            headers["x-amzn-query-error"] = "%s;%s" % (code, rnd.choice(["Sender", "Receiver"]))
            code = shape.name
    else:
        code = "UnmodelledFault%d" % rnd.randint(0, 99)
        if rnd.random() < 0.5:
            wire[rnd.choice(["message", "Message"])] = rnd.choice(TEXT)
    wire["__type"] = rnd.choice(NAMESPACES) + code + rnd.choice(SUFFIXES)
    return {"status": rnd.choice([400, 400, 404, 409, 500, 503]), "headers": headers,
            "body": base64.b64encode(json.dumps(wire).encode()).decode()}

out = []
for key in spec["models"]:
    svc, version = key.split("/")
    api = loader.load_service_model(svc, "service-2", version)
    model = botocore.model.ServiceModel(api, svc)
    serializer = botocore.serialize.JSONSerializer()
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        if op.has_event_stream_input or op.has_event_stream_output:
            continue
        for case in range(spec["cases"]):
            entry = {"model": key, "op": op_name, "case": case}
            if op.input_shape is not None:
                params = value(op.input_shape, 0, set())
                req = serializer.serialize_to_request(params, op)
                entry["target"] = req["headers"].get("X-Amz-Target")
                entry["input"] = base64.b64encode(req["body"] or b"{}").decode()
            if op.output_shape is not None:
                wire = {}
                serializer._serialize(wire, value(op.output_shape, 0, set()), op.output_shape)
                entry["output"] = base64.b64encode(json.dumps(wire).encode()).decode()
            entry["fault"] = fault(model, op, serializer)
            out.append(entry)
json.dump(out, sys.stdout)
'''

# What the two scripts below share: botocore's loader and JSON parser, its values made
# JSON-safe (timestamps, blobs and floats tagged), and a loop over the items on stdin,
# each with its model loaded once.
ORACLE_PRELUDE = r'''
import base64, json, sys, datetime
import botocore.loaders, botocore.model, botocore.parsers
loader = botocore.loaders.Loader()
parser = botocore.parsers.JSONParser()
models = {}
def safe(v):
    if isinstance(v, dict): return {k: safe(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list): return [safe(x) for x in v]
    if isinstance(v, datetime.datetime): return ["ts", round(v.timestamp(), 3)]
    if isinstance(v, bytes): return ["blob", base64.b64encode(v).decode()]
    if isinstance(v, float): return ["num", float("%.9g" % v)] if v == v else ["nan"]
    return v
out = []
for item in json.load(sys.stdin):
    key = item["model"]
    if key not in models:
        svc, v = key.split("/")
        models[key] = botocore.model.ServiceModel(loader.load_service_model(svc, "service-2", v), svc)
'''

# Runs in the venv: botocore's reading of an output body (JSON-safe).
PARSE = ORACLE_PRELUDE + r'''    shape = models[key].operation_model(item["op"]).output_shape
    body = base64.b64decode(item["body"])
    try:
        parsed = parser.parse({"status_code": 200, "headers": {}, "body": body}, shape)
        out.append(safe(parsed))
    except Exception as e:  # reported as a value, so that it shows as a mismatch
        out.append(["botocore could not parse it", type(e).__name__, str(e)[:200]])
json.dump(out, sys.stdout)
'''

# Runs in the venv: botocore's reading of an error response, as its client reports it:
# `Error.Code`, `Error.Message`, `Error.Type`, the request id, the fault shape the code
# names (`shape_for_error_code`, as `Endpoint._add_modeled_error_fields` and the
# client's exception factory look it up) and that shape's members.
FAULTS = ORACLE_PRELUDE + r'''    model = models[key]
    op = model.operation_model(item["op"])
    if "ours" in item:
        # Our fault's members written back, read as that shape.
        shape = model.shape_for(item["shape"])
        body = json.dumps(item["ours"]).encode()
        out.append(safe(parser.parse({"status_code": 200, "headers": {}, "body": body}, shape)))
        continue
    f = item["fault"]
    resp = {"status_code": f["status"], "headers": f["headers"], "body": base64.b64decode(f["body"])}
    parsed = parser.parse(resp, op.output_shape)
    error = parsed.get("Error", {})
    shape = model.shape_for_error_code(error.get("Code"))
    # The exception shape `__type` names, when it is another shape with the same code.
    try:
        named = json.loads(resp["body"]).get("__type", "").split(":")[0].rsplit("#")[-1]
        named = model.shape_for(named)
    except Exception:
        named = None
    collision = (named is not None and shape is not None and named.name != shape.name
                 and named.metadata.get("exception") and named.error_code == shape.error_code)
    out.append({
        "code": error.get("Code"),
        "message": error.get("Message"),
        "type": error.get("Type"),
        "request_id": parsed.get("ResponseMetadata", {}).get("RequestId"),
        "shape": shape.name if shape is not None else None,
        "listed": [s.name for s in op.error_shapes],
        "collision": named.name if collision else None,
        "members": safe(parser.parse(resp, shape)) if shape is not None else None,
    })
json.dump(out, sys.stdout)
'''

HARNESS_MAIN = r'''
#![allow(warnings)]
include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.rs"));

fn main() {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.unwrap();
        let req: awsgen_runtime::serde_json::Value = awsgen_runtime::serde_json::from_str(&line).unwrap();
        let op = req["op"].as_str().unwrap_or_default();
        let body = awsgen_runtime::Blob::from_base64(req["body"].as_str().unwrap_or_default()).unwrap();
        if req["kind"] == "fault" {
            let headers: Vec<(&str, &str)> = req["headers"].as_object().unwrap().iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap())).collect();
            let status = req["status"].as_u64().unwrap() as u16;
            let answer = match __wire_harness::fault(op, status, &headers, body.as_ref()) {
                Ok(v) => v,
                Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
            };
            println!("{answer}");
            continue;
        }
        let result = match req["kind"].as_str() {
            Some("input") => __wire_harness::input(op, body.as_ref()),
            _ => __wire_harness::output(op, body.as_ref()),
        };
        let answer = match result {
            Ok(bytes) => awsgen_runtime::serde_json::json!({
                "ok": awsgen_runtime::Blob::new(bytes).to_base64(),
                "target": __wire_harness::target(op),
            }),
            Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
        };
        println!("{answer}");
    }
}
'''


def crate_name(key):
    """`dynamodb/2012-08-10` -> `diff_dynamodb_2012_08_10`."""
    return "diff_" + key.replace("-", "_").replace("/", "_")


def build_harnesses(data, models, work=None, name_of=None, main=None, extra_deps=""):
    """Generates each model with `--wire-harness` into a crate of its own under `work`
    (named by `name_of`, with `main` as its program) and builds them all; returns where
    the binaries are. `scripts/differential_rest.py` builds its harnesses here too."""
    work = work or WORK
    name_of = name_of or crate_name
    main = main or HARNESS_MAIN
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "awsgen-codegen"], cwd=ROOT, check=True)
    # Where cargo put it: CARGO_TARGET_DIR when set (a shared target directory).
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    awsgen = os.path.join(target, "release", "awsgen")
    crates = os.path.join(work, "crates")
    # Crates of other models go; the kept ones are rewritten only where they changed (the
    # generator writes its file only if changed), so that cargo does not build them again.
    names = {name_of(key) for key in models}
    for old in os.listdir(crates) if os.path.isdir(crates) else []:
        if old not in names:
            shutil.rmtree(os.path.join(crates, old), ignore_errors=True)
    members = []
    for key in models:
        model_dir = os.path.join(data, key)
        name = name_of(key)
        src = os.path.join(crates, name, "src")
        os.makedirs(src, exist_ok=True)
        subprocess.run([awsgen, "generate", "--model", model_dir, "--out-dir", src, "--file-name",
                        "generated.rs", "--wire-harness"], check=True, capture_output=True)
        write_if_changed(os.path.join(src, "main.rs"), main)
        write_if_changed(os.path.join(crates, name, "Cargo.toml"),
                         f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
                         f'[dependencies]\nawsgen-runtime = {{ path = "{ROOT}/runtime", features = ["gzip"] }}\n'
                         + extra_deps)
        members.append(f"crates/{name}")
    write_if_changed(os.path.join(work, "Cargo.toml"),
                     '[workspace]\nresolver = "2"\nmembers = [' + ", ".join(f'"{m}"' for m in members) + ']\n'
                     # 156 programs with full debug info filled the disk: none is needed here.
                     '\n[profile.dev]\ndebug = false\nincremental = false\n')
    shutil.copyfile(os.path.join(ROOT, "Cargo.lock"), os.path.join(work, "Cargo.lock"))
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target", "differential-target"))
    subprocess.run(["cargo", "build", "-q"], cwd=work, env=env, check=True)
    return os.path.join(ROOT, "target", "differential-target", "debug")


def write_if_changed(path, text):
    """Writes `text` to `path` unless it already holds it (cargo rebuilds what changed)."""
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


def ours(binary, requests):
    p = subprocess.run([binary], input="\n".join(json.dumps(r) for r in requests) + "\n",
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"differential: {binary} failed: {p.stderr[-2000:]}")
    return [json.loads(line) for line in p.stdout.split("\n") if line]


def same(a, b):
    """JSON values equal, numbers compared to 1e-9 relative (floats go through text)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="comma-separated service names")
    ap.add_argument("--all", action="store_true", help="every json-capable model")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    data = botocore_data(python)
    if args.all:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import generality
        # Every version of every json-capable model, older API versions too.
        models = sorted(f"{svc}/{ver}" for svc, ver, _, _ in generality.models(data, None, {"json"}))
    else:
        models = [m if "/" in m else f"{m}/{latest(data, m)}"
                  for m in (args.models.split(",") if args.models else SAMPLE)]
    os.makedirs(WORK, exist_ok=True)
    bin_dir = build_harnesses(data, models)
    spec = {"models": models, "cases": args.cases, "seed": args.seed}
    cases = json.loads(venv_run(python, CASES, spec))
    mismatches, matched, ops = [], 0, set()
    for svc in models:
        mine = [c for c in cases if c["model"] == svc]
        binary = os.path.join(bin_dir, crate_name(svc))
        reqs = []
        for c in mine:
            ops.add((svc, c["op"]))
            if "input" in c:
                reqs.append({"kind": "input", "op": c["op"], "body": c["input"], "case": c})
            if "output" in c:
                reqs.append({"kind": "output", "op": c["op"], "body": c["output"], "case": c})
            reqs.append({"kind": "fault", "op": c["op"], **c["fault"], "case": c})
        answers = ours(binary, [{k: r[k] for k in ("kind", "op", "body", "status", "headers") if k in r}
                                for r in reqs])
        faults = [(r, a) for r, a in zip(reqs, answers) if r["kind"] == "fault"]
        reqs, answers = [r for r in reqs if r["kind"] != "fault"], [a for r, a in zip(reqs, answers) if r["kind"] != "fault"]
        ok, bad = compare_faults(python, svc, faults, args.seed)
        matched += ok
        mismatches += bad
        # Outputs: botocore reads the original and ours written back; the two must agree.
        outs = [(r, a) for r, a in zip(reqs, answers) if r["kind"] == "output"]
        to_parse = []
        for r, a in outs:
            to_parse.append({"model": svc, "op": r["op"], "body": r["body"]})
            to_parse.append({"model": svc, "op": r["op"], "body": a.get("ok", r["body"])})
        parsed = json.loads(venv_run(python, PARSE, to_parse)) if to_parse else []
        parsed_iter = iter(parsed)
        for r, a in zip(reqs, answers):
            c = r["case"]
            where = f"{svc} {c['op']} {r['kind']} (seed {args.seed}, case {c['case']})"
            if "err" in a:
                if r["kind"] == "output":
                    next(parsed_iter), next(parsed_iter)
                mismatches.append(f"{where}: ours failed: {a['err']}\n    body: {base64_text(r['body'])}")
                continue
            if r["kind"] == "input":
                want = json.loads(base64_bytes(r["body"]))
                got = json.loads(base64_bytes(a["ok"]))
                if not same(want, got):
                    mismatches.append(f"{where}: body differs\n    botocore: {json.dumps(want)[:600]}\n    ours:     {json.dumps(got)[:600]}")
                elif c.get("target") != a.get("target"):
                    mismatches.append(f"{where}: X-Amz-Target botocore {c.get('target')} ours {a.get('target')}")
                else:
                    matched += 1
                    KINDS["inputs"] += 1
            else:
                want, got = next(parsed_iter), next(parsed_iter)
                if not same(want, got):
                    mismatches.append(f"{where}: botocore reads ours differently\n    original: {json.dumps(want)[:600]}\n    ours:     {json.dumps(got)[:600]}")
                else:
                    matched += 1
                    KINDS["outputs"] += 1
    for m in mismatches:
        print(m)
    total = matched + len(mismatches)
    for e in sorted(EXPLAINED):
        print("explained: " + e)
    print("matched: " + ", ".join(f"{n} {k}" for k, n in KINDS.items()))
    print(f"differential: {len(models)} models, {len(ops)} operations, {total} cases, {matched} matched, {len(mismatches)} mismatched")
    sys.exit(1 if mismatches else 0)


# Matched cases by kind, for the summary.
KINDS = {"inputs": 0, "outputs": 0, "faults typed by the operation": 0, "faults typed service-wide": 0,
         "faults unmodelled": 0, "explained (a code two shapes share)": 0}
EXPLAINED = set()


def compare_faults(python, svc, faults, seed):
    """Error responses: ours must report botocore's code, message, type and request id,
    sort the fault into the shape botocore's client raises (typed by the operation's own
    error when the operation lists it, by the service-wide `Error` otherwise) and read its
    members as botocore does. Returns (matched, mismatches)."""
    want = json.loads(venv_run(python, FAULTS, [{"model": svc, "op": r["op"], "fault": r["case"]["fault"]}
                                                   for r, _ in faults]))
    # Our members written back, read by botocore as the shape we found.
    again = [{"model": svc, "op": r["op"], "shape": a["shape"], "ours": a["members"]}
             for (r, a), w in zip(faults, want) if "err" not in a and a["shape"] is not None]
    reread = iter(json.loads(venv_run(python, FAULTS, again)) if again else [])
    matched, mismatches = 0, []
    for (r, a), w in zip(faults, want):
        c = r["case"]
        where = (f"{svc} {c['op']} fault (seed {seed}, case {c['case']})\n    response: {r['status']} "
                 f"{json.dumps(r['headers'])} {base64_text(r['body'])}")
        if "err" in a:
            mismatches.append(f"{where}\n    ours failed: {a['err']}")
            continue
        got_members = next(reread) if a["shape"] is not None else None
        message = a["message"] or ""
        if not is_json(base64_bytes(r["body"])):
            # A body that is not JSON: the whole text is the message, botocore's and ours
            # (issue #30); an empty body gives none.
            message = message or None
            w = dict(w, message=w["message"] or None)
        if w["shape"] != a["shape"] and w["collision"] is not None and a["shape"] == w["collision"]:
            # Two exception shapes share the code botocore looks up: its code map keeps the
            # last one, whatever `__type` said; ours keeps the shape `__type` names.
            EXPLAINED.add(f"{svc}: code {w['code']} is both {w['collision']} and {w['shape']}; "
                          f"botocore always raises {w['shape']}, ours the shape `__type` names")
            KINDS["explained (a code two shapes share)"] += 1
            matched += 1
            continue
        problems = []
        for key, ours_value in (("code", a["code"]), ("message", message), ("type", a["type"]),
                                ("request_id", a["request_id"]), ("shape", a["shape"])):
            if w[key] != ours_value:
                problems.append(f"{key}: botocore {w[key]!r} ours {ours_value!r}")
        if w["shape"] is not None and a["op_unhandled"] == (w["shape"] in w["listed"]):
            problems.append(f"the operation's own error is {'Unhandled' if a['op_unhandled'] else 'typed'}, "
                            f"but it {'lists' if w['shape'] in w['listed'] else 'does not list'} {w['shape']}")
        if not problems and w["shape"] is not None and not same(w["members"], got_members):
            problems.append(f"members: botocore {json.dumps(w['members'])[:600]}\n    ours:     {json.dumps(got_members)[:600]}")
        if problems:
            mismatches.append(where + "".join("\n    " + p for p in problems))
        else:
            matched += 1
            KINDS["faults typed by the operation" if w["shape"] in w["listed"] else
                  "faults typed service-wide" if w["shape"] else "faults unmodelled"] += 1
    return matched, mismatches


def latest(data, svc):
    """The newest API version botocore has of `svc`, as its loader picks it."""
    versions = sorted(v for v in os.listdir(os.path.join(data, svc))
                      if os.path.isdir(os.path.join(data, svc, v)))
    if not versions:
        raise SystemExit(f"differential: botocore has no model `{svc}`")
    return versions[-1]


def venv_run(python, script, data):
    """Runs `script` in the venv with `data` as JSON on stdin; its stdout, or its error."""
    p = subprocess.run([python, "-c", script], input=json.dumps(data), capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"differential: the botocore side failed:\n{p.stderr[-3000:]}")
    return p.stdout


def is_json(body):
    try:
        json.loads(body)
        return True
    except ValueError:
        return False


def base64_bytes(text):
    import base64
    return base64.b64decode(text)


def base64_text(text):
    return base64_bytes(text)[:300].decode("utf-8", "replace")


if __name__ == "__main__":
    main()
