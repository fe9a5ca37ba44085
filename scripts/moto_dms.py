#!/usr/bin/env python3
"""DMS as a new user meets it, against moto (a third-party AWS stand-in), beside boto3.

    python3 scripts/moto_dms.py [--venv target/moto-venv] [--skip-newcomer]

1. **The newcomer's path.** Makes a new crate outside the workspace from the README's
   first `[dependencies]` block and first Rust program, copied verbatim. Its git
   dependency on this repository is fetched from this checkout instead (git's
   `url.<here>.insteadOf`, in a git config of the script's own, with cargo fetching
   through the git command): the committed HEAD, as a user's clone of the repository
   would get it. Nothing in the copied files changes. Builds it, creates a
   replication instance in moto with boto3, runs the program against moto with only the
   environment variables the README names, and checks that it prints the instance.
2. **The walk.** 22 DMS calls a user makes (instances, endpoints, connections, tasks,
   subnet groups, tags, faults, and three operations moto answers with an HTML 500 page),
   run once with boto3 and once with the `moto_dms` example of awsgen-tests, each side on
   a freshly reset moto. Later calls take ARNs from earlier answers of the same side.
   Each answer is compared:
   - outputs: ours (the output type written back as the service's JSON) read by
     botocore's own parser for the operation's output shape, against boto3's result;
     timestamps compared as "a timestamp", ARNs as the n-th ARN the side has seen (moto
     makes random ids);
   - errors: code, the whole message, HTTP status, the exception class boto3 raises
     (ours: the variant of the service-wide `Error`), and a request id on both sides or
     neither; ours' `Display` must be one printable line of at most 1 KiB naming the code
     and the operation.

Prints one line per call and `moto_dms: N/N calls match boto3`; exits non-zero on any
difference. Needs the network the first time only (pip and cargo registries).
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import BOTOCORE, build_example  # noqa: E402

MOTO = "5.2.6"
REPO_URL = "https://github.com/awsgen-rs/awsgen"
ENV = {
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",  # what boto3 reads; ours reads both
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
}

# (operation, parameters); "$n.Path.To.Value" takes a value from the n-th answer (0-based)
# of the same side.
WALK = [
    ("DescribeReplicationInstances", {}),
    ("CreateReplicationInstance", {"ReplicationInstanceIdentifier": "walk-1",
                                   "ReplicationInstanceClass": "dms.t3.micro",
                                   "AllocatedStorage": 20,
                                   "Tags": [{"Key": "team", "Value": "data"}]}),
    ("CreateReplicationInstance", {"ReplicationInstanceIdentifier": "walk-1",
                                   "ReplicationInstanceClass": "dms.t3.micro"}),
    ("DescribeReplicationInstances", {"Filters": [{"Name": "replication-instance-id",
                                                   "Values": ["walk-1"]}]}),
    ("CreateEndpoint", {"EndpointIdentifier": "source-1", "EndpointType": "source",
                        "EngineName": "mysql", "ServerName": "db.example.com", "Port": 3306,
                        "Username": "admin", "Password": "secret", "DatabaseName": "shop"}),
    ("CreateEndpoint", {"EndpointIdentifier": "target-1", "EndpointType": "target",
                        "EngineName": "s3",
                        "S3Settings": {"BucketName": "lake", "ServiceAccessRoleArn":
                                       "arn:aws:iam::123456789012:role/dms"}}),
    ("DescribeEndpoints", {"Filters": [{"Name": "endpoint-type", "Values": ["source"]}]}),
    ("TestConnection", {"ReplicationInstanceArn": "$1.ReplicationInstance.ReplicationInstanceArn",
                        "EndpointArn": "$4.Endpoint.EndpointArn"}),
    ("DescribeConnections", {}),
    ("CreateReplicationTask", {"ReplicationTaskIdentifier": "task-1",
                               "SourceEndpointArn": "$4.Endpoint.EndpointArn",
                               "TargetEndpointArn": "$5.Endpoint.EndpointArn",
                               "ReplicationInstanceArn": "$1.ReplicationInstance.ReplicationInstanceArn",
                               "MigrationType": "full-load",
                               "TableMappings": "{\"rules\": []}"}),
    ("StartReplicationTask", {"ReplicationTaskArn": "$9.ReplicationTask.ReplicationTaskArn",
                              "StartReplicationTaskType": "start-replication"}),
    ("DescribeReplicationTasks", {"WithoutSettings": True}),
    ("StopReplicationTask", {"ReplicationTaskArn": "$9.ReplicationTask.ReplicationTaskArn"}),
    ("ListTagsForResource", {"ResourceArn": "$1.ReplicationInstance.ReplicationInstanceArn"}),
    ("DeleteReplicationTask", {"ReplicationTaskArn": "$9.ReplicationTask.ReplicationTaskArn"}),
    ("DeleteEndpoint", {"EndpointArn": "arn:aws:dms:us-east-1:123456789012:endpoint:NOPE"}),
    ("StartReplicationTask", {"ReplicationTaskArn": "arn:aws:dms:us-east-1:123456789012:task:NOPE",
                              "StartReplicationTaskType": "start-replication"}),
    ("DescribeCertificates", {}),
    ("DescribeAccountAttributes", {}),
    ("DescribeEventSubscriptions", {}),
    ("DeleteEndpoint", {"EndpointArn": "$4.Endpoint.EndpointArn"}),
    ("DeleteReplicationInstance", {"ReplicationInstanceArn":
                                   "$1.ReplicationInstance.ReplicationInstanceArn"}),
]

BOTO_RUNNER = r'''
import json, sys, boto3, botocore
from botocore.exceptions import ClientError
client = boto3.client("dms", config=botocore.config.Config(retries={"total_max_attempts": 1}))
for line in sys.stdin:
    step = json.loads(line)
    try:
        out = getattr(client, botocore.xform_name(step["op"]))(**step["params"])
        rid = out.pop("ResponseMetadata", {}).get("RequestId")
        print(json.dumps({"ok": out, "request_id": rid}, default=lambda d: {"$datetime": d.isoformat()}), flush=True)
    except ClientError as e:
        err, meta = e.response.get("Error", {}), e.response.get("ResponseMetadata", {})
        print(json.dumps({"error": {
            "code": err.get("Code"), "message": err.get("Message"),
            "status": meta.get("HTTPStatusCode"), "request_id": meta.get("RequestId") or None,
            "type": type(e).__name__, "display": str(e)}}), flush=True)
'''

# Ours' outputs, read by botocore's parser for the operation's output shape, printed as
# boto3 would hand them over.
BOTO_PARSE = r'''
import json, sys, botocore.session, botocore.parsers
model = botocore.session.get_session().get_service_model("dms")
parser = botocore.parsers.create_parser("json")
for line in sys.stdin:
    item = json.loads(line)
    shape = model.operation_model(item["op"]).output_shape
    parsed = parser.parse({"body": json.dumps(item["body"]).encode(), "headers": {}, "status_code": 200}, shape)
    parsed.pop("ResponseMetadata", None)
    print(json.dumps(parsed, default=lambda d: {"$datetime": d.isoformat()}), flush=True)
'''


def ensure_venv(path):
    python = os.path.join(path, "bin", "python")
    probe = [python, "-c", "import moto, boto3, botocore; "
             f"assert moto.__version__ == '{MOTO}' and botocore.__version__ == '{BOTOCORE}'"]
    if os.path.exists(python) and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    venv.create(path, with_pip=True, clear=True)
    subprocess.run([python, "-m", "pip", "install", "-q", f"moto[server]=={MOTO}",
                    f"botocore=={BOTOCORE}", f"boto3=={BOTOCORE}"], check=True)
    return python


class Moto:
    """moto's server on a free port of 127.0.0.1, reset on demand."""

    def __init__(self, python):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=1).read()
                return
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.log.seek(0)
                    raise SystemExit(f"moto did not start:\n{self.log.read().decode()[-2000:]}")
                time.sleep(0.2)

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(self.url + "/moto-api/reset", method="POST")).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def env_for(moto):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(ENV, AWS_ENDPOINT_URL=moto.url, AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_EC2_METADATA_DISABLED="true")
    return env


def readme_blocks(lang):
    text = open(os.path.join(ROOT, "README.md")).read()
    return re.findall(r"^```" + lang + r"[^\n]*\n(.*?)^```", text, re.S | re.M)


def newcomer(python, moto):
    """The README's first program, copied into a new crate, run against moto."""
    deps = next(b for b in readme_blocks("toml") if "awsgen-dms" in b)
    program = next(b for b in readme_blocks("rust") if "fn main" in b)
    work = tempfile.mkdtemp(prefix="dms-hello-")
    try:
        os.makedirs(os.path.join(work, "src"))
        with open(os.path.join(work, "Cargo.toml"), "w") as f:
            f.write('[package]\nname = "dms-hello"\nversion = "0.1.0"\nedition = "2021"\n\n' + deps)
        with open(os.path.join(work, "src", "main.rs"), "w") as f:
            f.write(program)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        gitconfig = os.path.join(work, "gitconfig")
        with open(gitconfig, "w") as f:
            f.write(f'[url "file://{ROOT}"]\n\tinsteadOf = {REPO_URL}\n')
        env = dict(os.environ, CARGO_TARGET_DIR=target, GIT_CONFIG_GLOBAL=gitconfig,
                   CARGO_NET_GIT_FETCH_WITH_CLI="true", CARGO_HOME=os.path.join(work, "cargo-home"))
        # The registry cache of the real CARGO_HOME is reused: only the git source is new.
        home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
        os.makedirs(env["CARGO_HOME"])
        if os.path.isdir(os.path.join(home, "registry")):
            os.symlink(os.path.join(home, "registry"), os.path.join(env["CARGO_HOME"], "registry"))
        subprocess.run(["cargo", "build", "-q"], cwd=work, check=True, env=env)
        binary = os.path.join(target, "debug", "dms-hello")
        moto.reset()
        setup = ("import boto3; c = boto3.client('dms'); "
                 "c.create_replication_instance(ReplicationInstanceIdentifier='newcomer-1', "
                 "ReplicationInstanceClass='dms.t3.micro'); "
                 "i = c.describe_replication_instances()['ReplicationInstances'][0]; "
                 "print(i['ReplicationInstanceIdentifier'] + ': ' + i['ReplicationInstanceStatus'])")
        expected = subprocess.run([python, "-c", setup], env=env_for(moto), check=True,
                                  capture_output=True, text=True).stdout
        got = subprocess.run([binary], env=env_for(moto), capture_output=True, text=True, timeout=60)
        if got.returncode != 0 or got.stdout != expected:
            print(f"newcomer: the README's first program printed {got.stdout!r} "
                  f"(exit {got.returncode}, stderr {got.stderr[-500:]!r}); boto3 sees {expected!r}")
            return False
        print(f"newcomer: the README's first program, copied into a new crate, printed {got.stdout.strip()!r}, as boto3 sees it")
        return True
    finally:
        shutil.rmtree(work, ignore_errors=True)


def resolve(value, answers):
    if isinstance(value, str) and value.startswith("$"):
        index, *path = value[1:].split(".")
        v = answers[int(index)]["ok"]
        for p in path:
            v = v[p]
        return v
    if isinstance(value, dict):
        return {k: resolve(v, answers) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, answers) for v in value]
    return value


def run_side(name, cmd, env, parse=None):
    """Runs the walk through one side, a call per line; returns its answers."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    answers = []
    for op, params in WALK:
        proc.stdin.write(json.dumps({"op": op, "params": resolve(params, answers)}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"{name} stopped at {op}")
        answer = json.loads(line)
        if parse and "ok" in answer:
            answer["ok"] = parse(op, answer["ok"])
        answers.append(answer)
    proc.stdin.close()
    proc.wait(timeout=30)
    return answers


def normalize(value, arns):
    """Timestamps as a marker, ARNs as the n-th one this side has seen."""
    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return "<timestamp>"
        return {k: normalize(v, arns) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [normalize(v, arns) for v in value]
    if isinstance(value, str) and value.startswith("arn:aws:dms:"):
        return arns.setdefault(value, f"<dms arn {len(arns) + 1}>")
    return value


def compare(op, ours, theirs, arns_ours, arns_theirs):
    """The differences between ours and boto3's answer to one call, as text."""
    if "ok" in ours or "ok" in theirs:
        if "ok" not in ours or "ok" not in theirs:
            return [f"ours {json.dumps(ours)[:300]} / boto3 {json.dumps(theirs)[:300]}"]
        problems = []
        a, b = normalize(ours["ok"], arns_ours), normalize(theirs["ok"], arns_theirs)
        if a != b:
            problems.append(f"output: ours {json.dumps(a)[:400]} / boto3 {json.dumps(b)[:400]}")
        if bool(ours.get("request_id")) != bool(theirs.get("request_id")):
            problems.append(f"request id: ours {ours.get('request_id')!r} / boto3 {theirs.get('request_id')!r}")
        return problems
    o, t = ours["error"], theirs["error"]
    problems = []
    for key in ("code", "message", "status"):
        if o[key] != t[key]:
            problems.append(f"{key}: ours {o[key]!r} / boto3 {t[key]!r}")
    want_type = "Unhandled" if t["type"] == "ClientError" else t["type"]
    if o["type"] != want_type:
        problems.append(f"type: ours {o['type']} / boto3 {t['type']}")
    if bool(o["request_id"]) != bool(t["request_id"]):
        problems.append(f"request id: ours {o['request_id']!r} / boto3 {t['request_id']!r}")
    display = o["display"]
    if "\n" in display or len(display.encode()) > 1024 or not display.isprintable():
        problems.append(f"Display is not one printable line of at most 1 KiB: {display!r}")
    if not (display.startswith(f"{o['code']} when calling {op}")):
        problems.append(f"Display does not start with the code and operation: {display[:200]!r}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "moto-venv"))
    ap.add_argument("--skip-newcomer", action="store_true")
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours_bin = build_example("moto_dms")
    moto = Moto(python)
    ok = True
    try:
        if not opts.skip_newcomer:
            ok = newcomer(python, moto)
        env = env_for(moto)
        moto.reset()
        theirs = run_side("boto3", [python, "-c", BOTO_RUNNER], env)
        moto.reset()
        parser = subprocess.Popen([python, "-c", BOTO_PARSE], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)

        def parse(op, body):
            parser.stdin.write(json.dumps({"op": op, "body": body}) + "\n")
            parser.stdin.flush()
            return json.loads(parser.stdout.readline())

        ours = run_side("ours", [ours_bin], env, parse)
        parser.stdin.close()
        parser.wait(timeout=30)
    finally:
        moto.stop()
    arns_ours, arns_theirs = {}, {}
    matched = 0
    for (op, _), o, t in zip(WALK, ours, theirs):
        problems = compare(op, o, t, arns_ours, arns_theirs)
        what = "ok" if "ok" in t else f"{t['error']['code']} (HTTP {t['error']['status']}, {len(t['error']['message'] or '')}-byte message)"
        if problems:
            ok = False
            print(f"{op}: {what}: DIFFERS")
            for p in problems:
                print(f"    {p}")
        else:
            matched += 1
            print(f"{op}: {what}: same")
    print(f"moto_dms: {matched}/{len(WALK)} calls match boto3 (moto {MOTO}, botocore {BOTOCORE})")
    sys.exit(0 if ok and matched == len(WALK) else 1)


if __name__ == "__main__":
    main()
