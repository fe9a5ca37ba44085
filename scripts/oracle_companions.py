#!/usr/bin/env python3
"""Paginators and waiters against botocore itself.

    python3 scripts/oracle_companions.py [--venv target/oracle-venv]

Makes (or reuses) a virtualenv with boto3 and botocore pinned to the version of the
models (1.44.8), starts a scripted HTTP server on 127.0.0.1, and runs each scenario
twice against it: with boto3's paginator or waiter, and with ours (the
`companions_oracle` example of awsgen-tests). For each it compares the requests the
server received (X-Amz-Target and JSON body, in order) and the outcome (item counts per
page and the error, or success/failure/timeout/error of the waiter), then prints

    companions oracle: N scenarios, M matched

and exits non-zero on any difference. No network but the local server and the package
index (for the virtualenv) is used; credentials are dummies.
"""

import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOTOCORE = "1.44.8"

TASK = "arn:aws:dms:us-east-1:123456789012:task:T"


def page(key, n, marker=None, start=0, strings=False):
    items = [f"item-{start + i}" if strings else {"Id": start + i} for i in range(n)]
    body = {key: items}
    if marker:
        body["Marker"] = marker
    return (200, body)


def fault(code):
    return (400, {"__type": code, "message": f"{code} raised"})


def tasks(*states):
    return (200, {"ReplicationTasks": [{"Status": s} for s in states]})


SCENARIOS = [
    # Paginators: three pages with a page size; strings as items; a required input
    # member; max_items cutting a page; a repeated token.
    {"kind": "paginator", "name": "DescribeEndpoints", "params": {}, "page_size": 2,
     "responses": [page("Endpoints", 2, "m1"), page("Endpoints", 2, "m2", 2), page("Endpoints", 1, None, 4)]},
    {"kind": "paginator", "name": "DescribeSchemas", "params": {"EndpointArn": "arn:e"},
     "responses": [page("Schemas", 3, "s1", strings=True), page("Schemas", 1, "", 3, strings=True)]},
    {"kind": "paginator", "name": "DescribeTableStatistics", "params": {"ReplicationTaskArn": TASK}, "page_size": 10,
     "responses": [page("TableStatistics", 1, "t1"), page("TableStatistics", 0, "t2"), page("TableStatistics", 2)]},
    {"kind": "paginator", "name": "DescribeEvents", "params": {"SourceType": "replication-instance"}, "max_items": 3,
     "responses": [page("Events", 2, "e1"), page("Events", 2, "e2", 2), page("Events", 2, None, 4)]},
    {"kind": "paginator", "name": "DescribeCertificates", "params": {},
     "responses": [page("Certificates", 1, "c1"), page("Certificates", 1, "c2", 1), page("Certificates", 1, "c2", 2)]},
    # Waiters: retry then success; success by an error acceptor; failure; timeout; an
    # error no acceptor expects.
    {"kind": "waiter", "name": "TestConnectionSucceeds", "params": {}, "max_attempts": 5,
     "responses": [(200, {"Connections": [{"Status": "testing"}]}),
                   (200, {"Connections": [{"Status": "successful"}, {"Status": "successful"}]})]},
    {"kind": "waiter", "name": "EndpointDeleted", "params": {}, "max_attempts": 5,
     "responses": [(200, {"Endpoints": [{"Status": "deleting"}]}), fault("ResourceNotFoundFault")]},
    {"kind": "waiter", "name": "ReplicationTaskReady", "params": {}, "max_attempts": 5,
     "responses": [tasks("creating"), tasks("ready", "failed")]},
    {"kind": "waiter", "name": "ReplicationInstanceAvailable", "params": {}, "max_attempts": 3,
     "responses": [(200, {"ReplicationInstances": [{"ReplicationInstanceStatus": "creating"}]})]},
    {"kind": "waiter", "name": "ReplicationTaskStopped", "params": {}, "max_attempts": 3,
     "responses": [tasks("stopping"), fault("AccessDeniedFault")]},
    {"kind": "waiter", "name": "ReplicationTaskRunning", "params": {}, "max_attempts": 4,
     "responses": [tasks(), tasks("starting"), tasks("running", "running")]},
]


class Script:
    """The server's state: the replies of the current scenario and what it received."""

    def __init__(self):
        self.replies = []
        self.received = []
        self.lock = threading.Lock()

    def reset(self, replies):
        with self.lock:
            self.replies = list(replies)
            self.received = []


SCRIPT = Script()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        body = self.rfile.read(length)
        with SCRIPT.lock:
            SCRIPT.received.append({"target": self.headers.get("x-amz-target"), "body": json.loads(body or b"{}")})
            status, reply = SCRIPT.replies[0] if len(SCRIPT.replies) == 1 else SCRIPT.replies.pop(0)
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("content-type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-requestid", "oracle")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def ensure_venv(path):
    python = os.path.join(path, "bin", "python")
    probe = [python, "-c", f"import botocore, boto3; assert botocore.__version__ == '{BOTOCORE}'"]
    if os.path.exists(python) and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    venv.create(path, with_pip=True, clear=True)
    subprocess.run([python, "-m", "pip", "install", "-q", f"botocore=={BOTOCORE}", f"boto3=={BOTOCORE}"], check=True)
    return python


def botocore_data(python):
    """The `botocore/data` folder of the venv's botocore: the models as the wheel ships
    them (some files gzipped)."""
    return subprocess.run(
        [python, "-c", "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))"],
        capture_output=True, text=True, check=True).stdout.strip()


BOTO_RUNNER = r'''
import json, sys, boto3, botocore
s = json.load(sys.stdin)
client = boto3.client("dms", region_name="us-east-1", endpoint_url=s["endpoint"],
                      aws_access_key_id="AKID", aws_secret_access_key="SECRET",
                      config=botocore.config.Config(retries={"total_max_attempts": 1}))
if s["kind"] == "paginator":
    p = client.get_paginator(botocore.xform_name(s["name"]))
    cfg = {}
    if "page_size" in s: cfg["PageSize"] = s["page_size"]
    if "max_items" in s: cfg["MaxItems"] = s["max_items"]
    key = p.result_keys[0].expression
    pages, error = [], None
    try:
        for page in p.paginate(PaginationConfig=cfg, **s["params"]):
            pages.append(len(page.get(key, [])))
    except botocore.exceptions.PaginationError as e:
        error = "repeated token"
    print(json.dumps({"pages": pages, "error": error}))
else:
    w = client.get_waiter(botocore.xform_name(s["name"]))
    try:
        w.wait(WaiterConfig={"Delay": 0, "MaxAttempts": s["max_attempts"]}, **s["params"])
        print(json.dumps({"outcome": "success"}))
    except botocore.exceptions.WaiterError as e:
        reason = e.kwargs.get("reason", "")
        if reason.startswith("Waiter encountered a terminal failure state"):
            outcome = "failure"
        elif reason.startswith("Max attempts exceeded"):
            outcome = "timeout"
        else:
            outcome = "error"
        print(json.dumps({"outcome": outcome, "reason": reason}))
'''


def normalize(outcome):
    """What both sides must agree on: counts and error presence for paginators; the
    outcome and, for failures, botocore's explanation for waiters."""
    if "pages" in outcome:
        return {"pages": outcome["pages"], "error": outcome["error"] is not None}
    out = {"outcome": outcome["outcome"]}
    if outcome["outcome"] == "failure":
        out["reason"] = outcome["reason"].split("terminal failure state: ", 1)[-1]
    return out


def build_example(name):
    """Builds an example of awsgen-tests (debug) and returns its binary's path."""
    subprocess.run(["cargo", "build", "-q", "-p", "awsgen-tests", "--example", name], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "debug", "examples", name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours = build_example("companions_oracle")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    matched = 0
    for s in SCENARIOS:
        scenario = {k: v for k, v in s.items() if k != "responses"}
        scenario["endpoint"] = endpoint
        runs = {}
        for side, cmd in (("botocore", [python, "-c", BOTO_RUNNER]), ("ours", [ours])):
            SCRIPT.reset(s["responses"])
            p = subprocess.run(cmd, input=json.dumps(scenario), capture_output=True, text=True, timeout=120)
            if p.returncode != 0:
                print(f"{s['kind']} {s['name']}: {side} failed:\n{p.stderr[-2000:]}")
                runs[side] = None
                continue
            runs[side] = (SCRIPT.received, normalize(json.loads(p.stdout)))
        label = f"{s['kind']} {s['name']}"
        if runs.get("botocore") and runs.get("ours") and runs["botocore"] == runs["ours"]:
            matched += 1
            requests, outcome = runs["ours"]
            print(f"{label}: same {len(requests)} requests, same outcome {json.dumps(outcome)}")
        else:
            print(f"{label}: DIFFERENT\n  botocore: {runs.get('botocore')}\n  ours:     {runs.get('ours')}")
    server.shutdown()
    print(f"companions oracle: {len(SCENARIOS)} scenarios, {matched} matched")
    return 0 if matched == len(SCENARIOS) else 1


if __name__ == "__main__":
    sys.exit(main())
