#!/usr/bin/env python3
"""Our rest-xml clients against botocore's `RestXMLSerializer` and `RestXMLParser`,
operation by operation.

    python3 scripts/differential_restxml.py [--models route53,cloudfront,...] [--all] [--cases 3] [--seed 1]

For each model (default: Route 53; `--all`: every rest-xml model version
of botocore 1.44.8: S3, S3 Control, CloudFront's versions, Route 53) and each operation
that has no event stream:

- inputs: seeded random parameters (the generator of `scripts/differential.py`) are
  serialized by botocore's bare serializer (no client handlers but S3's
  `remove_bucket_from_url_paths_from_model`, which changes the model: the rest of S3's
  rules, with the endpoint and signature, are `scripts/differential_s3.py`'s) and by our generated `__request` from the same values in our serde form (bound
  members by name, body members as botocore's JSON serializer writes them with ISO 8601
  timestamps, which is what our XML types read). Method, path, query (as a multiset),
  every header and the body must agree; XML bodies are compared as botocore's protocol
  tests compare them, `ET.canonicalize(strip_text=True)` of each. Map parameters are given
  with sorted keys: our maps are `BTreeMap`s (an explained difference of the suites).
- outputs: a random answer shaped like the output (header members as headers, the status
  member, the payload or the body members as the XML a service writes) is read by
  botocore's parser and by our `__parse`; ours, read back into botocore's terms, must
  equal it.
- faults: a random error (a fault the operation lists, one only the service defines, an
  unmodelled code) as `<ErrorResponse><Error>` (Route 53, CloudFront) or an `<Error>`
  root (S3), or an empty body (S3's HEAD answers), must give botocore's code, message,
  request id, fault shape and members.

Prints each mismatch and

    differential-restxml: M models, O operations, N cases, K matched, X mismatched
"""

import base64
import json
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import venv_run  # noqa: E402
from differential_query import QUERY_CASES  # noqa: E402
from differential_rest import cli, refused_or_failed, split  # noqa: E402
from oracle_companions import ROOT  # noqa: E402

SAMPLE = ["route53"]
WORK = os.path.join(ROOT, "target", "differential-restxml")

# Runs in the venv: the helpers of the query differential (random values, the XML a
# service writes, `norm`, `response`'s header rules), then rest-xml's cases.
RESTXML_CASES = QUERY_CASES.split("RAW = {}")[0] + r'''
import xml.etree.ElementTree as ET
import botocore.utils, botocore.exceptions, botocore.handlers
import http.client

def element(shape, v, name):
    """`<name>` holding `v` of `shape` (the query differential's writer, with a prefixed
    attribute's namespace declared: S3's `xsi:type`)."""
    t = shape.type_name
    if t == "structure":
        attrs = []
        for n, m in shape.members.items():
            if n in v and m.serialization.get("xmlAttribute"):
                aname = m.serialization["name"]
                if ":" in aname:
                    prefix = aname.split(":")[0]
                    uri = "http://www.w3.org/2001/XMLSchema-instance" if prefix == "xsi" else "urn:x-" + prefix
                    attrs.append(" xmlns:%s=%s" % (prefix, quoteattr(uri)))
                attrs.append(" %s=%s" % (aname, quoteattr(text(m, v[n]))))
        return "<%s%s>%s</%s>" % (name, "".join(attrs), inner(shape, v), name)
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

RAW_ELEMENTS = "__botocore_raw_elements__"

def iso8601(v):
    return rser._timestamp_iso8601(v)

def to_serde(shape, v):
    """A value in our serde form: structures keyed as `serde_keys` says, ISO 8601 (or the
    model's format) timestamps, base64 blobs, special floats as text."""
    if v is None:
        return None
    t = shape.type_name
    if t == "structure":
        if shape.metadata.get("document"):
            return v
        keys = serde_keys(shape)
        return {keys[n]: to_serde(shape.members[n], x) for n, x in v.items() if x is not None}
    if t == "list": return [to_serde(shape.member, x) for x in v]
    if t == "map": return {k: to_serde(shape.value, x) for k, x in v.items()}
    if t == "blob": return base64.b64encode(v).decode()
    if t == "timestamp":
        fmt = (shape.serialization.get("timestampFormat") or "iso8601").lower()
        if fmt == "unixtimestamp": return v.timestamp()
        if fmt == "rfc822": return email.utils.format_datetime(v, usegmt=True)
        return iso8601(v)
    if t in ("float", "double") and isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    return v

def serde(op, params):
    """Our serde form of an input: bound members as `bound` writes them, the rest as
    `to_serde`."""
    shape = op.input_shape
    keys = serde_keys(shape)
    out = {}
    for n, m in shape.members.items():
        if n not in params:
            continue
        loc = m.serialization.get("location")
        out[keys[n]] = bound(m, params[n], loc) if loc else to_serde(m, params[n])
    return out

def bound(shape, v, loc=None):
    """A bound member's value in our serde form: a timestamp in the location's format (an
    HTTP date in a header, ISO 8601 in the URI and query string, unless the model names
    one)."""
    t = shape.type_name
    if t == "list": return [bound(shape.member, x, loc) for x in v]
    if t == "map": return {k: bound(shape.value, x, loc) for k, x in v.items()}
    if t == "blob": return base64.b64encode(v).decode()
    if t == "timestamp":
        default = "rfc822" if loc == "header" else "iso8601"
        fmt = (shape.serialization.get("timestampFormat") or default).lower()
        if fmt == "unixtimestamp": return v.timestamp()
        if fmt == "rfc822": return email.utils.format_datetime(v, usegmt=True)
        return iso8601(v)
    return v

def header_safe(text):
    return all(0x20 <= ord(c) < 0x7f for c in text)

def is_token(text):
    return bool(text) and all(c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~") for c in text)

def norm(shape, v):
    if v is None:
        return None
    # A scalar member whose element repeats (S3's deprecated `Event` beside the flattened
    # `Events` list, both `<Event>`): botocore hands over the raw elements.
    if isinstance(v, ET.Element) or (isinstance(v, list) and v and all(isinstance(x, ET.Element) for x in v)):
        return RAW_ELEMENTS
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

rser = botocore.serialize.RestXMLSerializer()
parser = botocore.parsers.RestXMLParser()

def response(shape):
    """A success response shaped like `shape`: header members as headers (values a real
    server can send), the status member, the payload or the body members as XML."""
    vals = value(shape, 0, set())
    headers = HeadersDict({"x-amz-request-id": "req-%d" % rnd.randint(0, 10**6),
                           "x-amz-id-2": "host-%d" % rnd.randint(0, 10**6)})
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
            text = rser._convert_header_value(m, vals[name])
            if header_safe(text):
                headers[m.serialization.get("name", name)] = text
        elif loc == "headers":
            for k, x in vals[name].items():
                # A header name a server can send: an HTTP token (RFC 9110).
                if is_token(k) and header_safe(x) and x.strip() == x:
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
            body = element(m, v, m.serialization.get("name", payload)).encode()
    elif body_vals:
        body = ("<%sResponse>%s</%sResponse>" % (shape.name, inner(shape, body_vals), shape.name)).encode()
    else:
        body = b""
    return status, dict(headers.items()), body, vals

def restxml_fault(model, op):
    """An error: a fault the operation lists, one the service defines, or an unmodelled
    code; `<ErrorResponse><Error>`, S3's `<Error>` root, or no body at all."""
    listed, every = op.error_shapes, model.error_shapes
    roll = rnd.random()
    shape = rnd.choice(listed) if roll < 0.5 and listed else (rnd.choice(every) if roll < 0.9 and every else None)
    status = rnd.choice([400, 403, 404, 409, 500, 503])
    rid = "req-%d" % rnd.randint(0, 10**6)
    headers = {"x-amz-request-id": rid, "x-amz-id-2": "host-%d" % rnd.randint(0, 10**6)}
    if rnd.random() < 0.1:
        return status, headers, b""
    members = ""
    if shape is not None:
        _, fault_headers, _, vals = response(shape)
        headers.update({k: v for k, v in fault_headers.items() if k not in headers})
        for n, m in shape.members.items():
            if m.serialization.get("name", n) in ("Message", "Code", "Type", "RequestId", "HostId") or m.serialization.get("location"):
                vals.pop(n, None)
        members = inner(shape, vals)
        code = shape.error_code or shape.name
    else:
        code = "UnmodelledFault%d" % rnd.randint(0, 99)
    error = "<Code>%s</Code><Message>%s</Message>%s" % (escape(code), escape(rnd.choice(TEXT)), members)
    if rnd.random() < 0.5:
        body = "<Error>%s<RequestId>%s</RequestId><HostId>h</HostId></Error>" % (error, rid)
    else:
        body = ('<ErrorResponse xmlns="https://example.amazonaws.com/doc/x/"><Error><Type>Sender</Type>%s</Error>'
                '<RequestId>%s</RequestId></ErrorResponse>' % (error, rid))
    return status, headers, body.encode()

def canonical(body):
    """An XML body as botocore's protocol tests compare it, or None if it is not XML."""
    try:
        return ET.canonicalize(body.decode(), strip_text=True)
    except Exception:
        return None

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
            if op.output_shape is not None:
                status, headers, body, _ = response(op.output_shape)
                resp = {"status_code": status, "headers": HeadersDict(headers), "body": body}
                if op.has_streaming_output:
                    resp["body"] = body  # botocore hands a stream over; the bytes here
                parsed = parser.parse(resp, op.output_shape)
                parsed.pop("ResponseMetadata", None)
                if svc == "s3" and op_name == "GetBucketLocation":
                    # S3's answer is the value as the root (`parse_get_bucket_location`).
                    region = rnd.choice(["eu-west-1", "ap-south-1", ""])
                    body = ('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s'
                            '</LocationConstraint>' % region).encode()
                    parsed = {"LocationConstraint": region} if region else {}
                out.append({"kind": "output", "model": key, "op": op_name, "case": case, "status": status,
                            "headers": headers, "body": base64.b64encode(body).decode(),
                            "want": norm(op.output_shape, parsed)})
            status, headers, body = restxml_fault(model, op)
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
            params = sorted_maps(op.input_shape, value(op.input_shape, 0, set()))
            try:
                if svc == "s3":
                    # The model as botocore's S3 client has it: the bucket left to the
                    # endpoint (`remove_bucket_from_url_paths_from_model`).
                    botocore.handlers.remove_bucket_from_url_paths_from_model(params, op, {})
                req = rser.serialize_to_request(params, op)
            except botocore.exceptions.ParamValidationError:
                out.append({"kind": "skipped", "model": key, "op": op_name, "case": case})
                continue
            body = req["body"] if isinstance(req["body"], bytes) else (req["body"] or "").encode()
            query = botocore.utils.percent_encode_sequence(req["query_string"]) if req["query_string"] else ""
            out.append({
                "kind": "input", "model": key, "op": op_name, "case": case,
                "params": serde(op, params),
                "method": req["method"],
                "url": req["url_path"] + (("&" if "?" in req["url_path"] else "?") + query if query else ""),
                "headers": {k: str(v) for k, v in req["headers"].items()},
                "body": base64.b64encode(body).decode(),
                "canonical": canonical(body),
                "checksum_required": bool(op.http_checksum_required or op.http_checksum.get("requestChecksumRequired")),
            })
json.dump(out, sys.stdout)
'''

# Runs in the venv: canonical forms of our XML bodies.
CANONICAL = r'''
import json, sys, base64
import xml.etree.ElementTree as ET
out = []
for b in json.load(sys.stdin):
    try:
        out.append(ET.canonicalize(base64.b64decode(b).decode(), strip_text=True))
    except Exception:
        out.append(None)
json.dump(out, sys.stdout)
'''


def crate_name(key):
    return "xdiff_" + key.replace("-", "_").replace("/", "_")


def make_compare(python):
    def compare_input(case, ours):
        problems = refused_or_failed(case, ours)
        if problems is not None:
            return problems
        problems = []
        if ours["method"] != case["method"]:
            problems.append(f"method: botocore {case['method']} ours {ours['method']}")
        (bp, bq), (op, oq) = split(case["url"]), split(ours["path"])
        # S3's `/{Bucket}` operations once the bucket left the path: botocore's empty path
        # and our `/` both become the endpoint's own path (`_urljoin`).
        bp = bp or "/"
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
            # Over the same XML tree written differently (botocore's declaration, its
            # escaping): the CRC32 of our own body.
            if case["canonical"] is not None and ours["body"] is not None:
                want = base64.b64encode(zlib.crc32(base64.b64decode(ours["body"])).to_bytes(4, "big")).decode()
            if got != want:
                problems.append(f"x-amz-checksum-crc32: want {want} ours {got}")
        for k in sorted(set(theirs) | set(mine)):
            if theirs.get(k) != mine.get(k):
                problems.append(f"header {k}: botocore {theirs.get(k)!r} ours {mine.get(k)!r}")
        if ours["body"] is None:
            problems.append("ours: the body is not in memory")
            return problems
        got = base64.b64decode(ours["body"])
        if case["canonical"] is not None:
            mine_c = json.loads(venv_run(python, CANONICAL, [ours["body"]]))[0]
            if mine_c != case["canonical"]:
                problems.append(f"body (canonical XML):\n      botocore {case['canonical'][:600]}\n"
                                f"      ours     {(mine_c or got.decode(errors='replace'))[:600]}")
        elif got != body:
            problems.append(f"body: botocore {body[:300]!r} ours {got[:300]!r}")
        return problems
    return compare_input


def settle(case, want, got):
    """botocore's answer and ours as compared, or None for an explained difference: a 5xx
    answer with no body is botocore's "generic error", which drops the request id the
    headers carry (`_do_generic_error_parse`); ours keeps it. A scalar member whose
    element repeats (S3's deprecated `Event` beside the `Events` list, both `<Event>`):
    botocore hands over the raw elements, ours reads the first one's text. An empty
    `<Message/>` is botocore's `None` and ours' "" once read back."""
    if "__botocore_raw_elements__" in json.dumps(want):
        return None
    if case["kind"] == "fault":
        want = dict(want, message=want["message"] or "")
    if (case["kind"] == "fault" and case["status"] >= 500 and not base64.b64decode(case["body"])
            and want.get("request_id") is None and got.get("request_id")
            and dict(got, request_id=None) == want):
        return None
    return want, got


def main():
    return cli("differential-restxml", {"rest-xml"}, SAMPLE, WORK, crate_name, RESTXML_CASES, make_compare, settle)


if __name__ == "__main__":
    sys.exit(main())
