#!/usr/bin/env python3
"""Our output event streams against botocore's `EventStream` and
`EventStreamJSONParser`, operation by operation (issue #29).

    python3 scripts/differential_events.py [--models bedrock-runtime,...] [--all] [--cases 3] [--seed 1]

For each rest-json or awsJson model with output event streams (default: Bedrock Runtime,
Lambda, SageMaker Runtime and CloudWatch Logs; `--all`: every one of botocore 1.44.8) and
each operation whose output streams events, seeded random streams (awsJson's beginning
with the `initial-response` event, read by botocore's `JSONParser` as a response and by
ours through `eventstream::parse_initial_response`, the path the generated `send` takes): events of every type the stream names, each with
seeded random members (a member marked `eventpayload` as the message's whole payload:
bytes, text or JSON; else the event's JSON as botocore's `JSONSerializer` writes it), an
event type the model does not name, and at the end a modelled exception, the service's
`error` message, or nothing. Each stream is read by botocore's `EventStream` over
`EventStreamJSONParser` (events as dicts, an exception or error as `EventStreamError`'s
code and message) and by our generated `__event` (through the `rest_events` harness:
`Decoder`, `sort`, `__event`, `__stream_error`); ours, read back into botocore's terms,
must equal it. botocore yields nothing for an unknown event type; ours yields
`Unknown`, which is left out of the comparison. Explained: a modelled exception's code
is the stream member's name in botocore (`throttlingException`) and the fault's shape
name in ours (`ThrottlingException`, by which the typed error is sorted): compared
without case.

Live, as boto3 meets a service: every stream is also served by a local HTTP server (a
request to `<server>/<case>/...` gets that case's stream), the operation called by a
botocore client (`_make_api_call`, its events read from the output as a boto3 program
reads them) and by ours (the harness's `send_json`: `send`, then the output's receiver),
each with random parameters the answer does not depend on (plain strings; rest-xml's
required members only); ours must equal botocore's client, and botocore's client its own
reading of the bytes.

Prints each mismatch and

    differential-events: M models, O operations, N streams (E events), K matched, X mismatched
    differential-events live: L calls to a local server, botocore's client and ours, K matched, X mismatched
"""

import argparse
import base64
import http.server
import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import build_harnesses, latest, same, venv_run  # noqa: E402
from differential_rest import OURS, REST_CASES  # noqa: E402
from oracle_companions import ROOT, botocore_data, ensure_venv  # noqa: E402

SAMPLE = ["bedrock-runtime", "lambda", "sagemaker-runtime", "logs"]
WORK = os.path.join(ROOT, "target", "differential-events")

# Runs in the venv (after differential_rest.py's helpers): random parameters for a live
# call, whose answer does not depend on them: plain strings (some members go in a header,
# a host label or, for S3, the bucket's name), a required document given a value.
LIVE_VALUES = r'''
import re
def tame(v):
    if isinstance(v, str):
        return v if re.fullmatch(r"[A-Za-z0-9._-]{3,63}", v) else "v-%d" % len(v)
    if isinstance(v, list):
        return [tame(x) for x in v]
    if isinstance(v, dict):
        return {k: tame(x) for k, x in v.items()}
    return v

def required_only(shape, v):
    """`v` with the required members of each structure only."""
    if shape is None or not isinstance(v, dict) or shape.type_name != "structure":
        return v
    return {n: required_only(shape.members[n], x) for n, x in v.items() if n in shape.required_members}

def live_values(op):
    if op.input_shape is None:
        return {}
    params = tame(value(op.input_shape, 0, set()))
    for n in op.input_shape.required_members:
        if params.get(n) is None:
            params[n] = {"k": ["v", 1]}
    return params
'''

# Runs in the venv: the random values and botocore's helpers of differential_rest.py,
# then a stream per case and botocore's reading of it.
EVENT_CASES = REST_CASES.split("out = []\nfor key in spec")[0] + r'''
import binascii, struct
from botocore.eventstream import EventStream
from botocore.exceptions import EventStreamError
from botocore.parsers import EventStreamJSONParser

def frame(headers, payload):
    raw = b""
    for k, v in headers.items():
        n, b = k.encode(), v.encode()
        raw += bytes([len(n)]) + n + bytes([7]) + struct.pack("!H", len(b)) + b
    total = 16 + len(raw) + len(payload)
    prelude = struct.pack("!II", total, len(raw))
    prelude += struct.pack("!I", binascii.crc32(prelude))
    body = prelude + raw + payload
    return body + struct.pack("!I", binascii.crc32(body))

import xml.etree.ElementTree as ElementTree
from botocore.parsers import EventStreamXMLParser
xml_ser = botocore.serialize.RestXMLSerializer()

def xml_payload(shape, vals):
    # As S3 writes an event's XML (`<Stats><BytesScanned>..`): the shape's element.
    root = ElementTree.Element("root")
    xml_ser._serialize(shape, vals, root, shape.name)
    return ElementTree.tostring(root[0])

def event_payload(shape, vals, xml=False):
    for name, m in shape.members.items():
        if m.serialization.get("eventpayload"):
            v = vals.get(name)
            if m.type_name == "blob":
                return v or b"", "application/octet-stream"
            if m.type_name == "string":
                return (v or "").encode(), "text/plain"
            if xml:
                return xml_payload(m, v or {}), "text/xml"
            wire = {}
            json_ser._serialize(wire, v or {}, m, "x")
            return json.dumps(wire["x"]).encode(), "application/json"
    if xml:
        return xml_payload(shape, vals), "text/xml"
    wire = {}
    json_ser._serialize(wire, vals, shape)
    return json.dumps(wire).encode(), "application/json"

''' + LIVE_VALUES + r'''
def live_params(op, initial, xml):
    """Random parameters in our serde form, for the live call (the answer does not depend
    on them): awsJson's JSON body, rest-json's members by their serde keys, rest-xml's
    required members by name (S3's: the member names are the serde keys)."""
    params = live_values(op)
    if xml:
        return required_only(op.input_shape, params)
    ser = json_ser if initial else botocore.serialize.RestJSONSerializer()
    try:
        req = ser.serialize_to_request(params, op)
    except botocore.exceptions.ParamValidationError:
        return None
    body = req["body"] if isinstance(req["body"], bytes) else (req["body"] or "").encode()
    return json.loads(body or b"{}") if initial else serde(op, params, body)

class Raw:
    def __init__(self, body): self.body = body
    def stream(self):
        for i in range(0, len(self.body), 97):
            yield self.body[i:i + 97]

out = []
for key in spec["models"]:
    svc, ver = key.split("/")
    model = botocore.model.ServiceModel(loader.load_service_model(svc, "service-2", ver), svc)
    for op_name in model.operation_names:
        op = model.operation_model(op_name)
        stream = op.get_event_stream_output()
        if stream is None or op.get_event_stream_input() is not None:
            continue
        members = stream.members
        events = [n for n, m in members.items() if not m.metadata.get("exception")]
        faults = [n for n, m in members.items() if m.metadata.get("exception")]
        # awsJson (Kinesis SubscribeToShard, Logs StartLiveTail): the stream begins with
        # the `initial-response` event, and botocore's JSONParser reads the response.
        initial = model.metadata["protocol"] == "json"
        # rest-xml (S3 SelectObjectContent): XML payloads, botocore's EventStreamXMLParser.
        xml = model.metadata["protocol"] == "rest-xml"
        stream_member = next((n for n, m in op.output_shape.members.items() if m is stream), None)
        for case in range(spec["cases"]):
            body = b""
            if initial:
                body += frame({":message-type": "event", ":event-type": "initial-response",
                               ":content-type": "application/json"}, b"{}")
            for n in [rnd.choice(events) for _ in range(rnd.randint(1, 4))] if events else []:
                payload, ctype = event_payload(members[n], value(members[n], 0, set()), xml)
                body += frame({":message-type": "event", ":event-type": n, ":content-type": ctype}, payload)
            body += frame({":message-type": "event", ":event-type": "eventFromTheFuture",
                           ":content-type": "application/json"}, b'{"x":1}')
            end = rnd.choice(["none", "error"] + (["exception"] * 2 if faults else []))
            if end == "exception":
                n = rnd.choice(faults)
                vals = value(members[n], 0, set())
                vals["message"] = "stopped %d" % rnd.randint(0, 999)
                wire = {}
                json_ser._serialize(wire, {k: v for k, v in vals.items() if k in members[n].members} | (
                    {"message": vals["message"]} if "message" in members[n].members or "Message" not in members[n].members else {}), members[n])
                wire.setdefault("message", vals["message"])
                body += frame({":message-type": "exception", ":exception-type": n,
                               ":content-type": "application/json"}, json.dumps(wire).encode())
            elif end == "error":
                body += frame({":message-type": "error", ":error-code": "InternalFailure",
                               ":error-message": "the stream broke %d" % rnd.randint(0, 999)}, b"")
            want = []
            try:
                if initial:
                    response = {"body": Raw(body), "headers": {}, "status_code": 200,
                                "context": {"operation_name": op_name}}
                    parsed = botocore.parsers.JSONParser().parse(response, op.output_shape)
                    events_of = parsed[stream_member]
                else:
                    parser = EventStreamXMLParser() if xml else EventStreamJSONParser()
                    events_of = EventStream(Raw(body), stream, parser, op_name)
                for ev in events_of:
                    want.append({k: norm(members[k], v) for k, v in ev.items()})
            except EventStreamError as e:
                want.append({"__error": {"code": e.response["Error"]["Code"],
                                         "message": e.response["Error"]["Message"]}})
            except botocore.parsers.ResponseParserError:
                # A random union left empty at the depth limit: botocore refuses the
                # event, so the case says nothing.
                out.append({"kind": "skipped", "model": key, "op": op_name})
                continue
            out.append({"kind": "events", "model": key, "op": op_name, "case": case,
                        "body": base64.b64encode(body).decode(), "want": want,
                        "params": live_params(op, initial, xml)})
json.dump(out, sys.stdout)
'''

# Runs in the venv: each case's operation called by a botocore client against the local
# server that answers it with the case's stream (its endpoint `<server>/<case id>`), the
# events read from the answer as a boto3 program reads them.
LIVE_CASES = REST_CASES.split("out = []\nfor key in spec")[0] + LIVE_VALUES + r'''
import botocore.session, botocore.config
from botocore.exceptions import EventStreamError
session = botocore.session.get_session()
config = botocore.config.Config(inject_host_prefix=False, parameter_validation=False,
                                retries={"max_attempts": 1}, s3={"addressing_style": "path"})
clients, out = {}, []
for item in spec["items"]:
    svc, ver = item["model"].split("/")
    model = botocore.model.ServiceModel(loader.load_service_model(svc, "service-2", ver), svc)
    op = model.operation_model(item["op"])
    stream = op.get_event_stream_output()
    member = next(n for n, m in op.output_shape.members.items() if m is stream)
    client = session.create_client(svc, region_name="us-east-1", api_version=ver,
                                   endpoint_url=item["url"], aws_access_key_id="AKIDEXAMPLE",
                                   aws_secret_access_key="secret", config=config)
    params = live_values(op)
    if model.metadata["protocol"] == "rest-xml":
        params = required_only(op.input_shape, params)
    got = []
    try:
        answer = client._make_api_call(item["op"], params)
        for ev in answer[member]:
            got.append({k: norm(stream.members[k], v) for k, v in ev.items()})
    except EventStreamError as e:
        got.append({"__error": {"code": e.response["Error"]["Code"],
                                "message": e.response["Error"]["Message"]}})
    except Exception as e:
        got = {"failed": repr(e)[:500]}
    out.append(got)
json.dump(out, sys.stdout)
'''


class Streams(http.server.ThreadingHTTPServer):
    """Answers a request to `/<case id>/...` with that case's stream, 200, as a service
    sends one (any method; the request itself is read and ignored)."""

    daemon_threads = True

    def __init__(self, bodies):
        self.bodies = bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                body = self.server.bodies.get(self.path.split("/")[1].split("?")[0], b"")
                self.send_response(200)
                self.send_header("content-type", "application/vnd.amazon.eventstream")
                self.send_header("x-amzn-requestid", "live-request")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = answer

            def log_message(self, *args):
                if os.environ.get("EVENTS_SERVER_LOG"):
                    sys.stderr.write("server: %s\n" % (args[1] if len(args) > 1 else args))

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server_address[1]


# Runs in the venv: our events (serde form) read back into botocore's terms.
OURS_EVENTS = OURS.split("models = {}\nresult = []")[0] + r'''
models = {}
result = []
for item in items:
    key = item["model"]
    if key not in models:
        svc, v = key.split("/")
        models[key] = botocore.model.ServiceModel(loader.load_service_model(svc, "service-2", v), svc)
    members = models[key].operation_model(item["op"]).get_event_stream_output().members
    got = []
    for ev in item["ours"]:
        if "__unknown" in ev:
            continue
        if "__error" in ev:
            got.append({"__error": {"code": ev["__error"]["code"], "message": ev["__error"]["message"] or ""}})
            continue
        got.append({k: norm(members[k], from_serde(members[k], v)) for k, v in ev.items()})
    result.append(got)
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
        if let Some(url) = req["live"].as_str() {
            // The operation sent to the local server, its answer's events read as a
            // program reads them (`send`, then the output's receiver).
            let config = awsgen_runtime::Config::builder()
                .region("us-east-1")
                .credentials(awsgen_runtime::Credentials::new("AKIDEXAMPLE", "secret", None, None, "static"))
                .endpoint_url(url)
                .disable_host_prefix_injection(true)
                .build();
            let client = client::Client::new(config);
            let params = awsgen_runtime::serde_json::to_vec(&req["params"]).unwrap();
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let answer = match __wire_harness::send_json(client.handle().clone(), op, &params) {
                Ok(fut) => match rt.block_on(fut) {
                    Ok(v) => v["__events"].clone(),
                    Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
                },
                Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
            };
            println!("{answer}");
            continue;
        }
        let body = awsgen_runtime::Blob::from_base64(req["body"].as_str().unwrap()).unwrap();
        let answer = match __wire_harness::rest_events(op, body.as_slice()) {
            Ok(v) => v,
            Err(e) => awsgen_runtime::serde_json::json!({"err": e}),
        };
        println!("{answer}");
    }
}
'''


def name_of(key):
    return "events_" + key.replace("-", "_").replace("/", "_")


def settle(want, got):
    """Exception codes compared without case (explained in the module's docs)."""
    def fold(events):
        return [{"__error": {**e["__error"], "code": (e["__error"]["code"] or "").lower()}} if "__error" in e else e
                for e in events]
    return fold(want), fold(got)


def ours(key, lines, bin_dir, python):
    """Model `key`'s harness on `lines` (a stream's bytes, or a live call): its answers,
    and those that are events read back into botocore's terms, in order."""
    p = subprocess.run([os.path.join(bin_dir, name_of(key))], input="\n".join(json.dumps(x) for x in lines) + "\n",
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"differential-events: {key} harness failed: {p.stderr[-2000:]}")
    answers = [json.loads(line) for line in p.stdout.split("\n") if line]
    back = [{"model": key, "op": x["op"], "ours": a} for x, a in zip(lines, answers) if isinstance(a, list)]
    return answers, iter(json.loads(venv_run(python, OURS_EVENTS, back)) if back else [])


def live_compare(key, live, bin_dir, python, server, seed):
    """Our client's live calls for `live` (cases of model `key` with `live`, botocore's
    client's events): the mismatches, botocore's live answer also held to its reading of
    the same bytes."""
    lines = [{"op": c["op"], "params": c["params"], "live": f"{server.url}/{c['id']}"} for c in live]
    answers, normalized = ours(key, lines, bin_dir, python)
    out = []
    for c, a in zip(live, answers):
        where = f"{key} {c['op']} live (seed {seed}, case {c['case']})"
        # Ours read back, in step with `back` (which holds only the answers that are lists).
        read_back = next(normalized) if isinstance(a, list) else None
        if isinstance(c["live"], dict):
            out.append(f"{where}\n    botocore's client failed: {c['live']['failed']}")
            continue
        if isinstance(a, dict):
            out.append(f"{where}\n    ours failed: {json.dumps(a.get('err'))[:800]}")
            continue
        want, got = settle(c["live"], read_back)
        if not same(want, got):
            out.append(f"{where}\n    botocore: {json.dumps(want)[:800]}\n    ours:     {json.dumps(got)[:800]}")
        elif not same(*settle(c["want"], c["live"])):
            out.append(f"{where}\n    botocore's client read what its parser did not: {json.dumps(c['live'])[:800]}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="comma-separated service names")
    ap.add_argument("--all", action="store_true", help="every rest-json, json and rest-xml model with output event streams")
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    data = botocore_data(python)
    if args.all:
        import generality
        models = sorted(f"{svc}/{ver}" for svc, ver, _, _ in generality.models(data, None, {"rest-json", "json", "rest-xml"})
                        if any(sh.get("eventstream") for sh in
                               generality.load_json(os.path.join(data, svc, ver), "service-2.json")["shapes"].values()))
    else:
        models = [m if "/" in m else f"{m}/{latest(data, m)}"
                  for m in (args.models.split(",") if args.models else SAMPLE)]
    os.makedirs(WORK, exist_ok=True)
    bin_dir = build_harnesses(data, models, WORK, name_of, HARNESS_MAIN,
                              extra_deps='tokio = { version = "1", features = ["rt", "net", "time"] }\n')
    cases = json.loads(venv_run(python, EVENT_CASES, {"models": models, "cases": args.cases, "seed": args.seed}))
    # Live: each case's stream served by a local server, the operation called by a
    # botocore client and by ours.
    for i, c in enumerate(cases):
        c["id"] = "c%d" % i
    server = Streams({c["id"]: base64.b64decode(c["body"]) for c in cases if c["kind"] != "skipped"})
    live_cases = [c for c in cases if c.get("params") is not None]
    botocore_live = json.loads(venv_run(python, LIVE_CASES, {"seed": args.seed, "items": [
        {"model": c["model"], "op": c["op"], "url": f"{server.url}/{c['id']}"} for c in live_cases]}))
    for c, got in zip(live_cases, botocore_live):
        c["live"] = got
    mismatches, ops, matched, events = [], set(), 0, 0
    live_calls, live_matched = 0, 0
    for key in models:
        mine = [c for c in cases if c["model"] == key and c["kind"] != "skipped"]
        if not mine:
            continue
        answers, normalized = ours(key, [{"op": c["op"], "body": c["body"]} for c in mine], bin_dir, python)
        for c, a in zip(mine, answers):
            ops.add((key, c["op"]))
            events += len(c["want"])
            where = f"{key} {c['op']} (seed {args.seed}, case {c['case']})"
            if isinstance(a, dict):
                mismatches.append(f"{where}\n    ours failed: {a.get('err')}")
                continue
            want, got = settle(c["want"], next(normalized))
            if same(want, got):
                matched += 1
            else:
                mismatches.append(f"{where}\n    botocore: {json.dumps(want)[:800]}\n    ours:     {json.dumps(got)[:800]}")
        live = [c for c in mine if "live" in c]
        if live:
            outcome = live_compare(key, live, bin_dir, python, server, args.seed)
            live_calls += len(live)
            live_matched += len(live) - len(outcome)
            mismatches += outcome
    for m in mismatches:
        print(m)
    skipped = sum(1 for c in cases if c["kind"] == "skipped")
    print(f"differential-events: {len(models)} models, {len(ops)} operations, {len(cases) - skipped} streams "
          f"({events} events), {matched} matched, {len(mismatches)} mismatched"
          + (f"; skipped: {skipped} streams botocore refuses (a random union left empty)" if skipped else ""))
    unlive = sum(1 for c in cases if c["kind"] != "skipped" and c.get("params") is None)
    print(f"differential-events live: {live_calls} calls to a local server, botocore's client and ours, "
          f"{live_matched} matched, {live_calls - live_matched} mismatched"
          + (f"; not called: {unlive} streams (parameters botocore's serializer refuses)" if unlive else ""))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
