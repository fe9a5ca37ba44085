#!/usr/bin/env python3
"""What a user downloads from the registry builds and works.

    python3 scripts/consumer_check.py [--drop <path inside the awsgen-dms package>]

1. Packages the published crates (`cargo package --no-verify`: awsgen-codegen,
   awsgen-runtime, awsgen-dms) and unpacks the `.crate` files into target/consumer/.
2. Writes a consumer crate outside the workspace whose `main.rs` is the packaged
   `examples/delete_connection.rs`. It depends on `awsgen-dms` by version; the registry's
   `awsgen-*` are replaced by the unpacked packages (`[patch.crates-io]`), so nothing of the
   workspace's paths is used, only what the `.crate` files hold.
3. Builds it, starts a local DMS stand-in on 127.0.0.1, runs the program against it, and
   checks the request (target header, signature, body) and the program's output.

Prints `consumer: built from packages (N files), DeleteConnection ok` and exits non-zero on
any failure.

`--drop models/dms/2016-01-01/service-2.json` removes that file from the unpacked
awsgen-dms package first, and then expects the build to fail naming it: the proof that
the check notices a package missing a file its build needs. CI runs both.
"""

import argparse
import http.server
import json
import os
import shutil
import subprocess
import sys
import tarfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["awsgen-codegen", "awsgen-runtime", "awsgen-dms"]
ENDPOINT_ARN = "arn:aws:dms:us-east-1:123456789012:endpoint:CONSUMER"
INSTANCE_ARN = "arn:aws:dms:us-east-1:123456789012:rep:CONSUMER"


def version():
    meta = subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    packages = {p["name"]: p["version"] for p in json.loads(meta.stdout)["packages"]}
    return {c: packages[c] for c in CRATES}


def package(target_dir, work):
    """Packages and unpacks the crates; returns {crate: unpacked dir} and the file count."""
    cmd = ["cargo", "package", "--no-verify", "--allow-dirty", "--quiet"]
    for c in CRATES:
        cmd += ["-p", c]
    subprocess.run(cmd, cwd=ROOT, check=True, env=dict(os.environ, CARGO_TARGET_DIR=target_dir))
    unpacked, files = {}, 0
    for crate, v in version().items():
        archive = os.path.join(target_dir, "package", f"{crate}-{v}.crate")
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
            files += sum(1 for m in members if m.isfile())
            for m in members:
                if not (m.isfile() or m.isdir()) or m.name.startswith("/") or ".." in m.name.split("/"):
                    raise SystemExit(f"consumer: unexpected entry {m.name!r} in {archive}")
            tar.extractall(work)
        unpacked[crate] = os.path.join(work, f"{crate}-{v}")
    return unpacked, files


def consumer(work, unpacked):
    """Writes the consumer crate; returns its directory."""
    path = os.path.join(work, "consumer")
    os.makedirs(os.path.join(path, "src"), exist_ok=True)
    dms_version = os.path.basename(unpacked["awsgen-dms"])[len("awsgen-dms-"):]
    patch = "\n".join(f'{c} = {{ path = "{unpacked[c]}" }}' for c in CRATES)
    with open(os.path.join(path, "Cargo.toml"), "w") as f:
        f.write(f"""[package]
name = "awsgen-consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
awsgen-dms = "={dms_version}"
tokio = {{ version = "1", features = ["rt", "macros"] }}

# The registry's awsgen crates are the unpacked packages, not the workspace.
[patch.crates-io]
{patch}

[workspace]
""")
    shutil.copyfile(
        os.path.join(unpacked["awsgen-dms"], "examples", "delete_connection.rs"),
        os.path.join(path, "src", "main.rs"),
    )
    # The workspace's lock file pins the same dependency versions CI tested.
    shutil.copyfile(os.path.join(ROOT, "Cargo.lock"), os.path.join(path, "Cargo.lock"))
    return path


def build(path, target_dir):
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir, CARGO_TERM_COLOR="never")
    for extra in (["--offline"], []):
        p = subprocess.run(["cargo", "build", "--quiet", *extra], cwd=path, env=env, capture_output=True, text=True)
        if p.returncode == 0 or "offline" not in p.stderr:
            return p
    return p


class Stub(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Stub.seen.append((self.headers, body))  # case-insensitive lookups
        out = json.dumps({"Connection": {
            "EndpointArn": ENDPOINT_ARN, "ReplicationInstanceArn": INSTANCE_ARN,
            "EndpointIdentifier": "source-db", "ReplicationInstanceIdentifier": "rep-1",
            "Status": "deleting"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", "consumer-request-1")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def run(binary):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{server.server_address[1]}",
        AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="AKIDCONSUMER",
        AWS_SECRET_ACCESS_KEY="consumer-secret", AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    try:
        p = subprocess.run([binary, ENDPOINT_ARN, INSTANCE_ARN], env=env, capture_output=True, text=True, timeout=60)
    finally:
        server.shutdown()
    problems = []
    if p.returncode != 0:
        problems.append(f"the program exited {p.returncode}: {p.stderr.strip()}")
    want = "connection source-db <-> rep-1: deleting (request id consumer-request-1)"
    if want not in p.stdout:
        problems.append(f"output {p.stdout.strip()!r}, expected {want!r}")
    if len(Stub.seen) != 1:
        problems.append(f"{len(Stub.seen)} requests reached the server, expected 1")
    else:
        headers, body = Stub.seen[0]
        if headers.get("X-Amz-Target") != "AmazonDMSv20160101.DeleteConnection":
            problems.append(f"X-Amz-Target {headers.get('X-Amz-Target')!r}")
        if not headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 Credential=AKIDCONSUMER/"):
            problems.append("the request is not SigV4-signed with the given key")
        if json.loads(body) != {"EndpointArn": ENDPOINT_ARN, "ReplicationInstanceArn": INSTANCE_ARN}:
            problems.append(f"body {body!r}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--drop", help="a path inside the awsgen-dms package to remove before building")
    args = ap.parse_args()
    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    work = os.path.join(target_dir, "consumer")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    unpacked, files = package(target_dir, work)
    if args.drop:
        dropped = os.path.join(unpacked["awsgen-dms"], args.drop)
        if not os.path.exists(dropped):
            raise SystemExit(f"consumer: {args.drop} is not in the awsgen-dms package")
        os.remove(dropped)
    path = consumer(work, unpacked)
    p = build(path, target_dir)
    if args.drop:
        name = os.path.basename(args.drop)
        said = [line.strip() for line in p.stderr.splitlines() if name in line]
        if p.returncode != 0 and said:
            print(f"consumer: without {args.drop} the packaged awsgen-dms fails to build: {said[0][:200]}")
            return
        print(p.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"consumer: the build without {args.drop} did not fail naming it")
    if p.returncode != 0:
        print(p.stderr[-3000:], file=sys.stderr)
        raise SystemExit("consumer: the consumer of the packaged crates does not build")
    problems = run(os.path.join(target_dir, "debug", "awsgen-consumer"))
    if problems:
        raise SystemExit("consumer: " + "; ".join(problems))
    print(f"consumer: built from packages ({files} files), DeleteConnection ok")


if __name__ == "__main__":
    main()
