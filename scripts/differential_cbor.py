#!/usr/bin/env python3
"""Our smithy-rpc-v2-cbor clients against botocore's `RpcV2CBORSerializer` and
`RpcV2CBORParser`, operation by operation.

    python3 scripts/differential_cbor.py [--models eventbridgev2,...] [--all] [--cases 3] [--seed 1]

For each model (default: EventBridge v2; `--all`: the four models of botocore 1.44.8
that offer only CBOR) and each operation:

- inputs: seeded random parameters (the generator of `scripts/differential.py`) are
  serialized by botocore and by our generated `__request` from the same values in our
  serde form (JSON, blobs in base64, timestamps as epoch seconds). Method, path, the
  protocol's headers must agree, and the bodies must decode (botocore's own CBOR parser
  on both) to the same values, as botocore's protocol tests compare them.
- outputs: random values of the output shape, written as CBOR by botocore's serializer,
  are read by botocore's parser and by our `__parse`; ours, read back into botocore's
  terms, must equal it.
- faults: a CBOR error body (`__type`, with or without a namespace; `message`; the
  fault's members) for a fault the operation lists, one the service defines, or an
  unmodelled code, must give botocore's code, message, request id, fault shape and
  members.

Prints each mismatch and

    differential-cbor: M models, O operations, N cases, K matched, X mismatched
"""

import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import venv_run  # noqa: E402
from differential_rest import REST_CASES, cli  # noqa: E402
from oracle_companions import ROOT  # noqa: E402

SAMPLE = ["eventbridgev2"]
WORK = os.path.join(ROOT, "target", "differential-cbor")

# Runs in the venv: the random values and botocore's helpers of differential_rest.py,
# then botocore's CBOR requests, answers and errors.
CBOR_CASES = REST_CASES.split("json_ser = botocore.serialize.JSONSerializer()")[0] + r'''
from botocore.awsrequest import HeadersDict

ser = botocore.serialize.RpcV2CBORSerializer()
parser = botocore.parsers.RpcV2CBORParser()

def to_serde(shape, v):
    """Our serde form: JSON, blobs in base64, timestamps as epoch seconds (to the
    millisecond, as botocore's CBOR keeps them), special floats as text."""
    if v is None:
        return None
    t = shape.type_name
    if t == "structure":
        keys = serde_keys(shape)
        return {keys[n]: to_serde(shape.members[n], x) for n, x in v.items() if x is not None}
    if t == "list": return [to_serde(shape.member, x) for x in v]
    if t == "map": return {k: to_serde(shape.value, x) for k, x in v.items()}
    if t == "blob": return base64.b64encode(v).decode()
    if t == "timestamp": return round(v.timestamp(), 3)
    if t in ("float", "double") and isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    return v

def decoded(body):
    """A CBOR body as botocore's parser reads it, in a comparable JSON form."""
    if not body:
        return None
    v = parser.parse_data_item(parser.get_peekable_stream_from_bytes(body))
    def safe(x):
        if isinstance(x, dict): return {k: safe(y) for k, y in sorted(x.items())}
        if isinstance(x, list): return [safe(y) for y in x]
        if isinstance(x, (bytes, bytearray)): return ["blob", base64.b64encode(bytes(x)).decode()]
        if isinstance(x, datetime.datetime): return ["ts", round(x.timestamp(), 3)]
        if isinstance(x, float): return ["num", repr(x)] if x == x else ["nan"]
        if isinstance(x, bool): return x
        if isinstance(x, int): return ["num", repr(float(x))]
        return x
    return safe(v)

def cbor_map(pairs):
    """A CBOR map of (text key, shape, value) entries, each value written by botocore."""
    out = bytearray()
    info, n = ser._get_additional_info_and_num_bytes(len(pairs))
    out.extend(ser._get_initial_byte(ser.MAP_MAJOR_TYPE, info))
    if n:
        out.extend(len(pairs).to_bytes(n, "big"))
    for key, shape, value in pairs:
        ser._serialize_type_string(out, key, None, None)
        if shape is None:
            ser._serialize_type_string(out, value, None, None)
        else:
            ser._serialize_data_item(out, value, shape)
    return bytes(out)

def error_answer(model, op):
    listed, every = op.error_shapes, model.error_shapes
    roll = rnd.random()
    shape = rnd.choice(listed) if roll < 0.5 and listed else (rnd.choice(every) if roll < 0.9 and every else None)
    pairs = []
    if shape is not None:
        vals = value(shape, 0, set())
        for n in list(vals):
            if n.lower() == "message":
                del vals[n]
        pairs = [(n, shape.members[n], x) for n, x in vals.items() if x is not None]
        code = shape.error_code or shape.name
    else:
        code = "UnmodelledFault%d" % rnd.randint(0, 99)
    prefix = rnd.choice(["", "com.amazonaws.service#"])
    pairs.append(("__type", None, prefix + code))
    if rnd.random() < 0.8:
        pairs.append((rnd.choice(["message", "Message"]), None, rnd.choice(TEXT)))
    headers = {"x-amzn-requestid": "req-%d" % rnd.randint(0, 10**6)}
    return rnd.choice([400, 403, 404, 409, 500, 503]), headers, cbor_map(pairs)

out = []
for key in spec["models"]:
    svc, version = key.split("/")
    api = loader.load_service_model(svc, "service-2", version)
    model = botocore.model.ServiceModel(api, svc)
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        if op.has_event_stream_input or op.has_event_stream_output:
            continue
        for case in range(spec["cases"]):
            headers = {"x-amzn-requestid": "req-%d" % rnd.randint(0, 10**6)}
            if op.output_shape is not None:
                vals = value(op.output_shape, 0, set())
                body = bytearray()
                ser._serialize_data_item(body, vals, op.output_shape)
                body = bytes(body)
                resp = {"status_code": 200, "headers": HeadersDict(headers), "body": body}
                parsed = parser.parse(resp, op.output_shape)
                parsed.pop("ResponseMetadata", None)
                out.append({"kind": "output", "model": key, "op": op_name, "case": case, "status": 200,
                            "headers": headers, "body": base64.b64encode(body).decode(),
                            "want": norm(op.output_shape, parsed)})
            status, headers, body = error_answer(model, op)
            resp = {"status_code": status, "headers": HeadersDict(headers), "body": body}
            parsed = parser.parse(resp, op.output_shape)
            error = parsed.get("Error", {})
            fshape = model.shape_for_error_code(error.get("Code"))
            members = None
            if fshape is not None:
                members = parser.parse(resp, fshape)
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
            req = ser.serialize_to_request(params, op)
            out.append({"kind": "input", "model": key, "op": op_name, "case": case,
                        "params": to_serde(op.input_shape, params),
                        "method": req["method"], "url": req["url_path"],
                        "headers": {k: str(v) for k, v in req["headers"].items()},
                        "body": base64.b64encode(req["body"]).decode(),
                        "decoded": decoded(req["body"])})
json.dump(out, sys.stdout)
'''

# Runs in the venv: our bodies as botocore's parser reads them.
DECODE = CBOR_CASES.split("out = []\nfor key in spec")[0].replace(
    "spec = json.load(sys.stdin)", "bodies = json.load(sys.stdin); spec = {\"seed\": 0}") + r'''
json.dump([decoded(base64.b64decode(b)) for b in bodies], sys.stdout)
'''


def crate_name(key):
    return "cdiff_" + key.replace("-", "_").replace("/", "_")


def make_compare(python):
    def compare_input(case, ours):
        if "err" in ours:
            return [f"ours failed: {ours['err']}"]
        problems = []
        if ours["method"] != case["method"]:
            problems.append(f"method: botocore {case['method']} ours {ours['method']}")
        if ours["path"] != case["url"]:
            problems.append(f"path: botocore {case['url']} ours {ours['path']}")
        theirs = {k.lower(): v for k, v in case["headers"].items()}
        mine = {k.lower(): v for k, v in ours["headers"]}
        for k in sorted(set(theirs) | set(mine)):
            if theirs.get(k) != mine.get(k):
                problems.append(f"header {k}: botocore {theirs.get(k)!r} ours {mine.get(k)!r}")
        got = json.loads(venv_run(python, DECODE, [ours["body"] or ""]))[0]
        if got != case["decoded"]:
            problems.append(f"body:\n      botocore {json.dumps(case['decoded'])[:600]}\n"
                            f"      ours     {json.dumps(got)[:600]}")
        return problems
    return compare_input


def settle(case, want, got):
    """botocore's answer and ours as compared: a fault without a message is botocore's
    "" and ours' "" once read back."""
    if case["kind"] == "fault":
        want = dict(want, message=want["message"] or "")
    return want, got


def main():
    return cli("differential-cbor", {"smithy-rpc-v2-cbor"}, SAMPLE, WORK, crate_name, CBOR_CASES, make_compare, settle)


if __name__ == "__main__":
    sys.exit(main())
