#!/usr/bin/env python3
"""Our query and ec2 clients against botocore's `QuerySerializer`/`EC2Serializer` and
`QueryParser`/`EC2QueryParser`, operation by operation.

    python3 scripts/differential_query.py [--models iam,sns,...] [--all] [--cases 3] [--seed 1]

For each model (default: IAM and EC2; `--all`: every query and ec2 model version of
botocore 1.44.8) and each operation, seeded random parameters valid for the input shape
(the generator of `scripts/differential.py`) are serialized by botocore, then form-encoded
as its `AWSRequest` does, and by our generated `__request` from the same values (given in
our serde form: botocore's JSON serializer with ISO 8601 timestamps, which is what our
query types read). The bodies must be the same bytes, the `Content-Type` the same. Map
parameters are given with their keys sorted: our maps are `BTreeMap`s, botocore writes a
dict in the caller's order (an explained difference of the protocol suites).

Outputs: a random answer shaped like the output (the XML a service writes: element
names, flattened lists and maps, member and entry names, the result wrapper and request
id of the protocol) is read by botocore's parser and by our `__parse`; ours, read back
into botocore's terms, must equal it. Faults: a random error response (a fault the
operation lists, one only the service defines, an unmodelled code) must give botocore's
code, message, request id, fault shape and members.

Prints each mismatch and

    differential-query: M models, O operations, N cases, K matched, X mismatched
"""

import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential_rest import REST_CASES, cli  # noqa: E402
from oracle_companions import ROOT  # noqa: E402

SAMPLE = ["iam", "ec2"]
WORK = os.path.join(ROOT, "target", "differential-query")

# Runs in the venv: the random values and botocore's helpers of differential_rest.py
# (`value`, `norm`, ...), then botocore's request, answers and errors for query and ec2.
QUERY_CASES = REST_CASES.split("json_ser = botocore.serialize.JSONSerializer()")[0] + r'''
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr
import email.utils

class SerdeForm(botocore.serialize.JSONSerializer):
    """Our serde form of query types: JSON with ISO 8601 timestamps by default."""
    TIMESTAMP_FORMAT = "iso8601"

serde_form = SerdeForm()

def sorted_maps(shape, v):
    """`v` with every map's keys in sorted order (as our BTreeMaps write them)."""
    if v is None:
        return v
    t = shape.type_name
    if t == "structure":
        return {k: sorted_maps(shape.members[k], x) for k, x in v.items()}
    if t == "list":
        return [sorted_maps(shape.member, x) for x in v]
    if t == "map":
        return {k: sorted_maps(shape.value, v[k]) for k in sorted(v)}
    return v

def text(shape, v):
    """A scalar as a service writes it in XML."""
    t = shape.type_name
    if t == "boolean":
        return "true" if v else "false"
    if t == "timestamp":
        fmt = (shape.serialization.get("timestampFormat") or "iso8601").lower()
        if fmt == "unixtimestamp":
            return str(int(v.timestamp()))
        if fmt == "rfc822":
            return email.utils.format_datetime(v, usegmt=True)
        return v.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if t == "blob":
        return base64.b64encode(v).decode()
    if t in ("float", "double"):
        return repr(float(v))
    return str(v)

def element(shape, v, name):
    """`<name>` holding `v` of `shape`."""
    t = shape.type_name
    if t == "structure":
        attrs = "".join(" %s=%s" % (m.serialization["name"], quoteattr(text(m, v[n])))
                        for n, m in shape.members.items()
                        if n in v and m.serialization.get("xmlAttribute"))
        return "<%s%s>%s</%s>" % (name, attrs, inner(shape, v), name)
    if t == "list":
        item = shape.member.serialization.get("name", "member")
        return "<%s>%s</%s>" % (name, "".join(element(shape.member, x, item) for x in v), name)
    if t == "map":
        k_name = shape.key.serialization.get("name", "key")
        v_name = shape.value.serialization.get("name", "value")
        entries = "".join("<entry>%s%s</entry>" % (element(shape.key, k, k_name), element(shape.value, x, v_name))
                          for k, x in v.items())
        return "<%s>%s</%s>" % (name, entries, name)
    return "<%s>%s</%s>" % (name, escape(text(shape, v)), name)

def inner(shape, v):
    """The children of a structure's element."""
    out = []
    for n, m in shape.members.items():
        if n not in v or v[n] is None or m.serialization.get("xmlAttribute"):
            continue
        name = m.serialization.get("name", n)
        flat = m.serialization.get("flattened")
        if m.type_name == "list" and flat:
            item = m.member.serialization.get("name", name)
            out.extend(element(m.member, x, item) for x in v[n])
        elif m.type_name == "map" and flat:
            k_name = m.key.serialization.get("name", "key")
            v_name = m.value.serialization.get("name", "value")
            out.extend("<%s>%s%s</%s>" % (name, element(m.key, k, k_name), element(m.value, x, v_name), name)
                       for k, x in v[n].items())
        else:
            out.append(element(m, v[n], name))
    return "".join(out)

def answer(model, op, ec2):
    """A success answer to `op`, and its request id."""
    rid = "req-%d" % rnd.randint(0, 10**6)
    shape = op.output_shape
    vals = value(shape, 0, set()) if shape is not None else {}
    body = inner(shape, vals) if shape is not None else ""
    root = op.name + "Response"
    if ec2:
        return '<%s xmlns="http://ec2.amazonaws.com/doc/x/"><requestId>%s</requestId>%s</%s>' % (root, rid, body, root)
    wrapper = shape.serialization.get("resultWrapper") if shape is not None else None
    if wrapper:
        body = "<%s>%s</%s>" % (wrapper, body, wrapper)
    return ('<%s xmlns="https://example.amazonaws.com/doc/x/">%s<ResponseMetadata><RequestId>%s</RequestId>'
            '</ResponseMetadata></%s>' % (root, body, rid, root))

def error_answer(model, op, ec2):
    """An error response: a fault the operation lists, one the service defines, or an
    unmodelled code, with a message and the fault's members."""
    listed, every = op.error_shapes, model.error_shapes
    roll = rnd.random()
    shape = rnd.choice(listed) if roll < 0.5 and listed else (rnd.choice(every) if roll < 0.9 and every else None)
    members = ""
    message = rnd.choice(TEXT)
    if shape is not None:
        vals = value(shape, 0, set())
        # The message is the error's `<Message>`: a member of that name is it.
        for n, m in shape.members.items():
            if m.serialization.get("name", n) in ("Message", "Code", "Type"):
                vals.pop(n, None)
        members = inner(shape, vals)
        code = shape.error_code or shape.name
    else:
        code = "UnmodelledFault%d" % rnd.randint(0, 99)
    rid = "req-%d" % rnd.randint(0, 10**6)
    error = "<Code>%s</Code><Message>%s</Message>%s" % (escape(code), escape(message), members)
    if ec2:
        body = "<Response><Errors><Error>%s</Error></Errors><RequestID>%s</RequestID></Response>" % (error, rid)
    else:
        body = ("<ErrorResponse><Error><Type>Sender</Type>%s</Error><RequestId>%s</RequestId></ErrorResponse>"
                % (error, rid))
    return rnd.choice([400, 403, 404, 409, 500, 503]), body

RAW = {}

def raw_members(key, shape_name):
    """The members of a shape as the model file has them (without botocore's extras)."""
    if key not in RAW:
        # A loader of its own: the shared one merged the extras into its cached copy.
        RAW[key] = botocore.loaders.Loader().load_data(key + "/service-2")["shapes"]
    return RAW[key].get(shape_name, {}).get("members", {})

out = []
for key in spec["models"]:
    svc, version = key.split("/")
    api = loader.load_service_model(svc, "service-2", version)
    model = botocore.model.ServiceModel(api, svc)
    ec2 = model.protocol == "ec2"
    serializer = botocore.serialize.SERIALIZERS[model.protocol]()
    parser = botocore.parsers.create_parser(model.protocol)
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        for case in range(spec["cases"]):
            body = answer(model, op, ec2)
            resp = {"status_code": 200, "headers": HeadersDict({}), "body": body.encode()}
            parsed = parser.parse(resp, op.output_shape)
            parsed.pop("ResponseMetadata", None)
            out.append({"kind": "output", "model": key, "op": op_name, "case": case, "status": 200,
                        "headers": {}, "body": base64.b64encode(body.encode()).decode(),
                        "want": norm(op.output_shape, parsed)})
            status, body = error_answer(model, op, ec2)
            resp = {"status_code": status, "headers": HeadersDict({}), "body": body.encode()}
            parsed = parser.parse(resp, op.output_shape)
            error = parsed.get("Error", {})
            fshape = model.shape_for_error_code(error.get("Code"))
            members = None
            if fshape is not None:
                members = parser.parse(resp, fshape)
                members.pop("ResponseMetadata", None)
                members.pop("Error", None)
            out.append({"kind": "fault", "model": key, "op": op_name, "case": case, "status": status,
                        "headers": {}, "body": base64.b64encode(body.encode()).decode(),
                        "want": {"code": error.get("Code"), "message": error.get("Message"),
                                 "request_id": parsed.get("ResponseMetadata", {}).get("RequestId"),
                                 "shape": fshape.name if fshape is not None else None,
                                 "members": norm(fshape, members) if fshape is not None else None}})
            if op.input_shape is None:
                continue
            params = sorted_maps(op.input_shape, value(op.input_shape, 0, set()))
            # Members botocore adds to the model itself (`service-2.sdk-extras.json`: RDS's
            # `SourceRegion`) are its client's own: a handler turns them into a presigned
            # URL and never sends them. The generator reads the model as AWS ships it.
            raw = raw_members(key, op.input_shape.name)
            extras = [n for n in params if n not in raw]
            for n in extras:
                del params[n]
            req = serializer.serialize_to_request(params, op)
            form = urlencode([(k, v) for k, v in req["body"].items()], doseq=True).encode()
            wire = {}
            serde_form._serialize(wire, params, op.input_shape)
            out.append({"kind": "input", "model": key, "op": op_name, "case": case,
                        "params": json_safe(wire), "body": base64.b64encode(form).decode(),
                        "content_type": req["headers"]["Content-Type"]})
json.dump(out, sys.stdout)
'''


def crate_name(key):
    return "qdiff_" + key.replace("-", "_").replace("/", "_")


def settle(case, want, got):
    """botocore's answer and ours as compared: a fault without a message is botocore's
    `None` (an empty `<Message/>`) and ours' "" once read back (`OURS` gives botocore's
    "" of REST bodies without one)."""
    if case["kind"] == "fault":
        want = dict(want, message=want["message"] or "")
    return want, got


def compare_input(case, ours):
    if "err" in ours:
        return [f"ours failed: {ours['err']}"]
    problems = []
    body = base64.b64decode(case["body"])
    got = base64.b64decode(ours["body"]) if ours["body"] is not None else None
    if got != body:
        problems.append(f"body:\n      botocore {body[:600]!r}\n      ours     {(got or b'')[:600]!r}")
    mine = {k.lower(): v for k, v in ours["headers"]}
    if mine.get("content-type") != case["content_type"]:
        problems.append(f"content-type: botocore {case['content_type']!r} ours {mine.get('content-type')!r}")
    return problems


def main():
    return cli("differential-query", {"query", "ec2"}, SAMPLE, WORK, crate_name, QUERY_CASES, lambda python: compare_input, settle)


if __name__ == "__main__":
    sys.exit(main())
