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

Outputs: a random response shaped like the output (header members as headers a server
can send, the status code, the payload or the body members as JSON) is read by botocore's
`RestJSONParser` and by our `__parse`; ours, read back into botocore's terms, must equal
it (timestamps to the millisecond, floats to 6 digits: `float` members are 32 bits).
Faults: a random error response (a fault the operation lists, one only the service
defines, an unmodelled code; the code in `X-Amzn-ErrorType`, `code` or `__type`, with or
without a namespace and URI; header members) must give botocore's code, message, request
id, fault shape and members.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import CASES, build_harnesses, latest, same, venv_run  # noqa: E402
from oracle_companions import ROOT, botocore_data, ensure_venv  # noqa: E402

SAMPLE = ["lambda", "efs", "apigateway"]
WORK = os.path.join(ROOT, "target", "differential-rest")

# Runs in the venv: the random values of differential.py, then botocore's REST request
# and our serde form of the same parameters.
REST_CASES = CASES.split("NAMESPACES = ")[0] + r'''
import botocore.utils, botocore.exceptions

def serde_keys(shape):
    """Each member's key in our serde form (the generator's `Field::wire`): a body
    member's `locationName`; body members sharing one (S3's `Event` and `Events`): one
    renamed by `locationName` takes its own name, one still sharing it `name#n`; a bound
    member's name, `name@location` when a body member has that key."""
    keys, body = {}, []
    for n, m in shape.members.items():
        if not m.serialization.get("location"):
            keys[n] = m.serialization.get("name", n)
            body.append(n)
    for n in body:
        if keys[n] != n and sum(keys[b] == keys[n] for b in body) > 1:
            keys[n] = n
    seen = []
    for n in body:
        if keys[n] in seen:
            i = 2
            while any(keys[b] == f"{n}#{i}" for b in body):
                i += 1
            keys[n] = f"{n}#{i}"
        seen.append(keys[n])
    taken = set(keys[n] for n in body)
    for n, m in shape.members.items():
        loc = m.serialization.get("location")
        if loc:
            keys[n] = n if n not in taken else f"{n}@{loc}"
    return keys

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

from botocore.awsrequest import HeadersDict
rparser = botocore.parsers.RestJSONParser()

def header_safe(text):
    return all(0x20 <= ord(c) < 0x7f for c in text)

def norm(shape, v):
    """botocore's parsed value in a comparable JSON form."""
    if v is None:
        return None
    t = shape.type_name if shape is not None else None
    if isinstance(v, datetime.datetime): return ["ts", round(v.timestamp(), 3)]
    if isinstance(v, (bytes, bytearray)): return ["blob", base64.b64encode(bytes(v)).decode()]
    if t == "blob" and isinstance(v, str): return ["blob", base64.b64encode(v.encode()).decode()]
    if isinstance(v, bool): return v
    if isinstance(v, float): return ["num", "%.6g" % v] if v == v else ["nan"]
    if t == "structure" and isinstance(v, dict) and not shape.metadata.get("document"):
        return {k: norm(shape.members.get(k), x) for k, x in v.items() if x is not None and k != "ResponseMetadata"}
    if t == "list" and isinstance(v, list): return [norm(shape.member, x) for x in v]
    if t == "map" and isinstance(v, dict): return {k: norm(shape.value, x) for k, x in v.items()}
    if isinstance(v, int) and t in ("float", "double"): return ["num", "%.6g" % v]
    return v

def response(shape, serializer):
    """A success response shaped like `shape`: header members as headers (values a real
    server can send), the status code, the payload or the body members as JSON."""
    vals = value(shape, 0, set())
    headers = HeadersDict({"x-amzn-requestid": "req-%d" % rnd.randint(0, 10**6)})
    status = 200
    payload = shape.serialization.get("payload")
    body_vals = {}
    for name, m in shape.members.items():
        if name not in vals:
            continue
        loc = m.serialization.get("location")
        if loc == "header":
            if m.type_name == "list" and not vals[name]:
                continue
            text = serializer._convert_header_value(m, vals[name])
            if header_safe(text):
                headers[m.serialization.get("name", name)] = text
        elif loc == "headers":
            for k, x in vals[name].items():
                if header_safe(k) and header_safe(x) and k.strip() == k and x.strip() == x and k:
                    headers[m.serialization.get("name", "") + k.lower()] = x
        elif loc == "statusCode":
            status = rnd.choice([200, 201, 202, 206])
        elif loc is None:
            body_vals[name] = vals[name]
    if payload:
        m = shape.members[payload]
        v = vals.get(payload)
        if m.type_name == "blob":
            body = base64.b64encode(v or b"")  # text: botocore decodes a bytes payload
        elif m.type_name == "string":
            body = (v or "").encode()
        elif v is None:
            body = b""
        else:
            wire = {}
            json_ser._serialize(wire, v, m, "x")
            body = json.dumps(wire["x"]).encode()
    else:
        wire = {}
        json_ser._serialize(wire, body_vals, shape)
        body = json.dumps(wire).encode()
    return status, dict(headers.items()), body

def rest_fault(model, op):
    """An error response: a fault the operation lists, one the service defines, or an
    unmodelled code; the code in `X-Amzn-ErrorType`, `code` or `__type`."""
    listed, every = op.error_shapes, model.error_shapes
    roll = rnd.random()
    shape = rnd.choice(listed) if roll < 0.5 and listed else (rnd.choice(every) if roll < 0.9 and every else None)
    if shape is not None:
        status, headers, body = response(shape, rser)
        wire = json.loads(body) if body else {}
        code = shape.error_code or shape.name
    else:
        status, headers, wire = 400, {"x-amzn-requestid": "req-%d" % rnd.randint(0, 10**6)}, {}
        code = "UnmodelledFault%d" % rnd.randint(0, 99)
        if rnd.random() < 0.5:
            wire[rnd.choice(["message", "Message"])] = rnd.choice(TEXT)
    where = rnd.choice(["header", "code", "__type"])
    suffix = rnd.choice(["", ":http://internal.amazon.com/coral/com.amazon.coral.validate/"])
    if where == "header":
        # One `X-Amzn-ErrorType`, as a service sends it: a fault member bound to it (oam's,
        # ivs's `amznErrorType`) holds the code, not a random value beside it.
        for k in [k for k in headers if k.lower() == "x-amzn-errortype"]:
            del headers[k]
        headers["x-amzn-errortype"] = code + suffix
    elif where == "code":
        wire["code"] = code
    else:
        wire["__type"] = rnd.choice(["", "aws.protocoltests.restjson#"]) + code + suffix
    status = rnd.choice([400, 403, 404, 409, 500, 503])
    return status, headers, json.dumps(wire).encode()

json_ser = botocore.serialize.JSONSerializer()
rser = botocore.serialize.RestJSONSerializer()

out = []
for key in spec["models"]:
    svc, version = key.split("/")
    api = loader.load_service_model(svc, "service-2", version)
    model = botocore.model.ServiceModel(api, svc)
    serializer = botocore.serialize.RestJSONSerializer()
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        if op.has_event_stream_input or op.has_event_stream_output:
            continue
        for case in range(spec["cases"]):
            if op.output_shape is not None:
                status, headers, body = response(op.output_shape, rser)
                parsed = rparser.parse({"status_code": status, "headers": HeadersDict(headers), "body": body}, op.output_shape)
                parsed.pop("ResponseMetadata", None)
                out.append({"kind": "output", "model": key, "op": op_name, "case": case, "status": status,
                            "headers": headers, "body": base64.b64encode(body).decode(),
                            "want": norm(op.output_shape, parsed)})
            status, headers, body = rest_fault(model, op)
            resp = {"status_code": status, "headers": HeadersDict(headers), "body": body}
            parsed = rparser.parse(resp, op.output_shape)
            error = parsed.get("Error", {})
            fshape = model.shape_for_error_code(error.get("Code"))
            members = None
            if fshape is not None:
                members = rparser.parse(resp, fshape)
                members.pop("ResponseMetadata", None)
                members.pop("Error", None)
            out.append({"kind": "fault", "model": key, "op": op_name, "case": case, "status": status,
                        "headers": headers, "body": base64.b64encode(body).decode(),
                        "want": {"code": error.get("Code"), "message": error.get("Message"),
                                 "request_id": parsed.get("ResponseMetadata", {}).get("RequestId"),
                                 "shape": fshape.name if fshape is not None else None,
                                 "members": norm(fshape, members) if fshape is not None else None}})
            if op.input_shape is None:
                continue
            params = value(op.input_shape, 0, set())
            # A required document given as `None` would fail botocore's parameter
            # validation (the bare serializer just leaves it out): give it a value.
            for n in op.input_shape.required_members:
                if params.get(n) is None:
                    params[n] = {"k": ["v", 1]}
            try:
                req = serializer.serialize_to_request(params, op)
            except botocore.exceptions.ParamValidationError:
                # A random value botocore refuses for a host label (`{graphIdentifier}.`):
                # the host prefix is the client's, not `__request`'s; counted, not compared.
                out.append({"kind": "skipped", "model": key, "op": op_name, "case": case})
                continue
            body = req["body"] if isinstance(req["body"], bytes) else (req["body"] or "").encode()
            query = botocore.utils.percent_encode_sequence(req["query_string"]) if req["query_string"] else ""
            out.append({
                "kind": "input", "model": key, "op": op_name, "case": case,
                "params": serde(op, params, body),
                "method": req["method"],
                "url": req["url_path"] + (("&" if "?" in req["url_path"] else "?") + query if query else ""),
                "headers": {k: str(v) for k, v in req["headers"].items()},
                "body": base64.b64encode(body).decode(),
                "checksum_required": bool(op.http_checksum_required or op.http_checksum.get("requestChecksumRequired")),
            })
json.dump(out, sys.stdout)
'''

# Runs in the venv: ours (serde form) read back into botocore's shape of things, then in
# the comparable form of `norm`.
OURS = REST_CASES.split("out = []\nfor key in spec")[0].replace("spec = json.load(sys.stdin)", "items = json.load(sys.stdin); spec = {\"seed\": 0}") + r'''
import botocore.utils

def from_serde(shape, v):
    if v is None or shape is None:
        return v
    t = shape.type_name
    if t == "structure":
        if shape.metadata.get("document"):
            return v
        keys = {k: n for n, k in serde_keys(shape).items()}
        for n, m in shape.members.items():
            keys.setdefault(n, n)
        return {keys.get(k, k): from_serde(shape.members.get(keys.get(k, k)), x) for k, x in v.items()}
    if t == "list": return [from_serde(shape.member, x) for x in v]
    if t == "map": return {k: from_serde(shape.value, x) for k, x in v.items()}
    if t == "timestamp":
        if isinstance(v, (int, float)):
            return datetime.datetime.fromtimestamp(v, datetime.timezone.utc)
        return botocore.utils.parse_timestamp(v)
    if t == "blob": return base64.b64decode(v)
    if t in ("float", "double"):
        return float({"Infinity": "inf", "-Infinity": "-inf"}.get(v, v)) if isinstance(v, str) else float(v)
    return v

models = {}
result = []
for item in items:
    key = item["model"]
    if key not in models:
        svc, v = key.split("/")
        models[key] = botocore.model.ServiceModel(loader.load_service_model(svc, "service-2", v), svc)
    model = models[key]
    ours = item["ours"]
    if item["kind"] == "output":
        shape = model.operation_model(item["op"]).output_shape
        result.append(norm(shape, from_serde(shape, ours)))
    else:
        shape = model.shape_for(ours["shape"]) if ours.get("shape") else None
        members = from_serde(shape, ours.get("members")) if shape is not None else None
        if isinstance(members, dict):
            members = {k: x for k, x in members.items() if x is not None}
        # botocore's `Error.Message` is "" when the body has none.
        result.append({"code": ours.get("code"), "message": ours.get("message") or "",
                       "request_id": ours.get("request_id"), "shape": ours.get("shape"),
                       "members": norm(shape, members) if shape is not None else None})
json.dump(result, sys.stdout)
'''

HARNESS_MAIN = r'''
#![allow(warnings)]
include!(concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated.rs"));

fn main() {
    use std::io::BufRead;
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let req: awsgen_runtime::serde_json::Value = awsgen_runtime::serde_json::from_str(&line).unwrap();
        let op = req["op"].as_str().unwrap_or_default();
        let result = if req["kind"] == "input" {
            let params = awsgen_runtime::serde_json::to_vec(&req["params"]).unwrap();
            __wire_harness::rest_request(op, &params)
        } else {
            let headers: Vec<(&str, &str)> = req["headers"].as_object().unwrap().iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap())).collect();
            let status = req["status"].as_u64().unwrap() as u16;
            let body = awsgen_runtime::Blob::from_base64(req["body"].as_str().unwrap()).unwrap();
            if req["kind"] == "output" {
                __wire_harness::rest_output(op, status, &headers, body.as_slice())
            } else {
                __wire_harness::fault(op, status, &headers, body.as_slice())
            }
        };
        let answer = match result {
            Ok(v) => v,
            Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
        };
        println!("{answer}");
    }
}
'''


def crate_name(key):
    return "rdiff_" + key.replace("-", "_").replace("/", "_")


def split(url):
    path, _, query = url.partition("?")
    return path, sorted(p for p in query.split("&") if p)


def unsendable(value):
    """A header value `http.client` refuses to send (botocore's request fails there):
    characters beyond Latin-1, or a line break."""
    return any(ord(c) > 0xFF for c in value) or "\r" in value or "\n" in value


def refused_or_failed(case, ours):
    """The comparison of a request ours refused or botocore cannot send (a header value
    `http.client` refuses: botocore serializes it and then fails to send, ours refuses to
    build it), as problems (empty: both refuse); None when both made one."""
    refused = [k for k, v in case["headers"].items() if unsendable(v)]
    if refused:
        if "err" in ours and any(f"header `{k}`" in ours["err"] for k in refused):
            return []
        return [f"botocore cannot send header(s) {refused}; ours: {json.dumps(ours)[:300]}"]
    if "err" in ours:
        return [f"ours failed: {ours['err']}"]
    return None


def compare(case, ours):
    """The differences between botocore's request and ours, as text."""
    problems = refused_or_failed(case, ours)
    if problems is not None:
        return problems
    problems = []
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


def settle(case, want, got):
    """botocore's answer and ours as compared, or None for an explained difference: a
    fault code with whitespace at an end, which `ErrorMetadata::sanitize_code` trims (a
    body's `code` member of a fault shape holds a random value here) and botocore keeps."""
    if (case["kind"] == "fault" and isinstance(want.get("code"), str) and want["code"] != got["code"]
            and want["code"].strip() == got["code"] and same(dict(want, code=got["code"]), got)):
        return None
    return want, got


def first_difference(want, got, path="$"):
    """Where two values first differ (a path), with both sides there."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            if k not in want or k not in got:
                return f"{path}.{k}: botocore {json.dumps(want.get(k))[:200]} ours {json.dumps(got.get(k))[:200]}"
            d = first_difference(want[k], got[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (a, b) in enumerate(zip(want, got)):
            d = first_difference(a, b, f"{path}[{i}]")
            if d:
                return d
        return None
    if not same(want, got):
        return f"{path}: botocore {json.dumps(want)[:200]} ours {json.dumps(got)[:200]}"
    return None


def run_models(label, models, cases, bin_dir, name_of, python, seed, compare_input, settle_answer):
    """Every model's cases through its harness (`name_of(model)` under `bin_dir`): inputs
    compared by `compare_input(case, ours)`; outputs and faults read back into botocore's
    terms (`OURS`) and compared after `settle_answer(case, want, got)`, which gives the
    two values to compare or None for an explained difference. Returns the mismatches (as
    text), the operations seen, the matched counts by kind and the explained count."""
    mismatches, ops, explained = [], set(), 0
    matched = {"inputs": 0, "outputs": 0, "faults": 0}
    for key in models:
        mine = [c for c in cases if c["model"] == key and c["kind"] != "skipped"]
        if not mine:
            continue
        lines = [json.dumps({k: c[k] for k in ("kind", "op", "params", "status", "headers", "body") if k in c})
                 for c in mine]
        p = subprocess.run([os.path.join(bin_dir, name_of(key))], input="\n".join(lines) + "\n",
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"{label}: {key} harness failed: {p.stderr[-2000:]}")
        answers = [json.loads(line) for line in p.stdout.split("\n") if line]
        # Ours of outputs and faults, read back as botocore's values.
        back = [{"model": key, "op": c["op"], "kind": c["kind"], "ours": a}
                for c, a in zip(mine, answers) if c["kind"] != "input" and "err" not in a]
        normalized = iter(json.loads(venv_run(python, OURS, back)) if back else [])
        for c, a in zip(mine, answers):
            ops.add((key, c["op"]))
            where = f"{key} {c['op']} {c['kind']} (seed {seed}, case {c['case']})"
            response = (f"\n    response: {c.get('status')} {json.dumps(c.get('headers'))[:300]} "
                        f"{base64.b64decode(c['body'])[:1500]!r}")
            if c["kind"] == "input":
                problems = compare_input(c, a)
                detail = f"\n    params: {json.dumps(c['params'])[:400]}"
            elif "err" in a:
                problems, detail = [f"ours failed: {a['err']}"], response
            else:
                settled = settle_answer(c, c["want"], next(normalized))
                if settled is None:
                    explained += 1
                    continue
                want, got = settled
                problems = [] if same(want, got) else [f"first difference at {first_difference(want, got)}"]
                detail = response
            if problems:
                mismatches.append(where + detail + "".join("\n    " + x for x in problems))
            else:
                matched[c["kind"] + "s"] += 1
    return mismatches, ops, matched, explained


def cli(label, protocols, sample, work, name_of, cases_script, make_compare, settle_answer):
    """The command line the protocol differentials share (`--models`, `--all` for every
    model of `protocols`, `--cases`, `--seed`, `--venv`): builds the harnesses, makes the
    cases with `cases_script` in the venv, runs them (`make_compare(python)` compares
    inputs), prints each mismatch and the summary line, and returns the exit status."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="comma-separated service names")
    ap.add_argument("--all", action="store_true", help="every model of the protocol")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    data = botocore_data(python)
    if args.all:
        import generality
        models = sorted(f"{svc}/{ver}" for svc, ver, _, _ in generality.models(data, None, protocols))
    else:
        models = [m if "/" in m else f"{m}/{latest(data, m)}"
                  for m in (args.models.split(",") if args.models else sample)]
    os.makedirs(work, exist_ok=True)
    bin_dir = build_harnesses(data, models, work, name_of, HARNESS_MAIN)
    cases = json.loads(venv_run(python, cases_script, {"models": models, "cases": args.cases, "seed": args.seed}))
    mismatches, ops, matched, explained = run_models(
        label, models, cases, bin_dir, name_of, python, args.seed, make_compare(python), settle_answer)
    for m in mismatches:
        print(m)
    total = sum(matched.values())
    print(f"matched: {matched['inputs']} inputs, {matched['outputs']} outputs, {matched['faults']} faults"
          + (f"; explained: {explained}" if explained else ""))
    print(f"{label}: {len(models)} models, {len(ops)} operations, "
          f"{total + explained + len(mismatches)} cases, {total} matched, {len(mismatches)} mismatched")
    return 1 if mismatches else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="comma-separated service names")
    ap.add_argument("--all", action="store_true", help="every rest-json model")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    data = botocore_data(python)
    if args.all:
        import generality
        models = sorted(f"{svc}/{ver}" for svc, ver, _, _ in generality.models(data, None, {"rest-json"}))
    else:
        models = [m if "/" in m else f"{m}/{latest(data, m)}"
                  for m in (args.models.split(",") if args.models else SAMPLE)]
    os.makedirs(WORK, exist_ok=True)
    bin_dir = build_harnesses(data, models, WORK, crate_name, HARNESS_MAIN)
    cases = json.loads(venv_run(python, REST_CASES, {"models": models, "cases": args.cases, "seed": args.seed}))
    skipped = sum(1 for c in cases if c["kind"] == "skipped")
    mismatches, ops, matched, explained = run_models(
        "differential-rest", models, cases, bin_dir, crate_name, python, args.seed, compare, settle)
    for m in mismatches:
        print(m)
    total = sum(matched.values())
    print("matched: " + ", ".join(f"{n} {k}" for k, n in matched.items())
          + f"; skipped: {skipped} inputs botocore refuses (a random host label)"
          + f"; explained: {explained} fault codes with whitespace at an end, which ours trims and botocore keeps")
    print(f"differential-rest: {len(models)} models, {len(ops)} operations, "
          f"{total + explained + len(mismatches)} cases, {total} matched, {explained} explained, "
          f"{len(mismatches)} mismatched")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
