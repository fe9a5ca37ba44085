#!/usr/bin/env python3
"""S3 end to end against moto (a third-party S3 on 127.0.0.1), each answer beside boto3's.

    python3 scripts/moto_s3.py [--venv target/moto-venv] [--mib 64]

A walk of the S3 calls a program makes, run once with boto3 and once with our generated
S3 client (the harness of `scripts/differential_s3.py`, `live` mode: the real transport,
signing, checksums and S3's handlers), each side on a freshly reset moto:

- a bucket; objects whose keys have spaces, `+`, unicode, `//`, `../`, an empty body,
  metadata; head, get (whole and a range), list (v1, v2, with a delimiter: keys come back
  URL-encoded because both clients ask for it, and are decoded), copy (a source with
  spaces and unicode, quoted by the client), batch delete;
- a multipart upload of `--mib` MiB (8 MiB parts; create, upload each part, complete),
  then head and a ranged get of it;
- versioning: two versions of one key and the versions listing;
- errors: `NoSuchKey`, `NoSuchBucket`, a HEAD of a missing key (404 with no body),
  `BucketNotEmpty`;
- presigned GETs (boto3's `generate_presigned_url` with SigV4, ours `Client::presign`),
  each fetched by a plain HTTP client without credentials: an object, and a missing one.

Then what moto cannot show, against a scripted local server (the same answers to each
side): an error in a 200 answer then the copy's result (retried), a 200 answer cut short
then the whole one, errors in 200 answers until the retries run out (the error, status
500), a streamed body whose CRC32 is not the one announced (an error on both sides), a
matching one, a multipart checksum (`-N`, not checked), a bucket in another region
(`PermanentRedirect` with `x-amz-bucket-region`: the call signed again for that region,
the next call to the bucket sent there at once; one naming no region, which a `HEAD` of
the bucket answers), a listing's URL-encoded keys; and how
many requests each bucket received.

Later calls take values (upload ids, ETags) from earlier answers of the same side. Each
answer is compared after both are put in botocore's terms (ours read back from its serde
form with the model): outputs equal but for what differs by nature (timestamps as "a
timestamp", version ids as the n-th one the side has seen, the `ResponseMetadata`);
errors by code, message and HTTP status.

First, **memory**: 1 GiB up from a file (`PutObject`, the body read as it is sent) and
down into a file (`GetObject`, `write_to_file`) through our client against a local server
that reads and writes bodies as they come, the process's peak RSS under 32 MiB.

Then **the newcomer's path**: the README's S3 build script and program (the fragments
marked for this script), verbatim, in a new crate with the S3 model copied from botocore's
data: a multipart upload of a generated file to moto, then the printed presigned link
fetched by a plain HTTP client and compared with the file.

Prints one line per call and `moto_s3: N/N calls match boto3`; exits non-zero on any
difference.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential_restxml import RESTXML_CASES  # noqa: E402
from differential_rest import OURS  # noqa: E402
import differential_s3  # noqa: E402
from moto_dms import Moto, ensure_venv  # noqa: E402
from oracle_companions import ROOT  # noqa: E402

BUCKET = "awsgen-e2e"
KEY = "dir/a b+é.txt"


def blob(size, seed):
    """`size` bytes both sides send (the same on each: the runner makes them)."""
    return {"$blob": [size, seed]}


def walk(mib):
    """(operation, botocore parameters); "$n.Path" takes a value from the n-th answer."""
    steps = [
        ("CreateBucket", {"Bucket": BUCKET}),
        ("PutObject", {"Bucket": BUCKET, "Key": KEY, "Body": blob(11, 1)}),
        ("PutObject", {"Bucket": BUCKET, "Key": "a//b", "Body": blob(1000, 2)}),
        ("PutObject", {"Bucket": BUCKET, "Key": "sp ace", "Body": b"", "ContentType": "text/plain",
                       "Metadata": {"k": "v"}}),
        ("HeadObject", {"Bucket": BUCKET, "Key": KEY}),
        ("GetBucketLocation", {"Bucket": BUCKET}),
        ("GetObject", {"Bucket": BUCKET, "Key": KEY}),
        ("GetObject", {"Bucket": BUCKET, "Key": "a//b", "Range": "bytes=10-19"}),
        ("HeadObject", {"Bucket": BUCKET, "Key": "sp ace"}),
        ("ListObjectsV2", {"Bucket": BUCKET}),
        ("ListObjectsV2", {"Bucket": BUCKET, "Prefix": "dir/", "Delimiter": "/"}),
        ("ListObjects", {"Bucket": BUCKET}),
        ("CopyObject", {"Bucket": BUCKET, "Key": "copy é", "CopySource": f"{BUCKET}/{KEY}"}),
        ("GetObject", {"Bucket": BUCKET, "Key": "copy é"}),
        ("DeleteObjects", {"Bucket": BUCKET, "Delete": {"Objects": [{"Key": "copy é"}, {"Key": "a//b"}]}}),
        ("ListObjectsV2", {"Bucket": BUCKET}),
        ("GetObject", {"Bucket": BUCKET, "Key": "missing"}),
        ("GetObject", {"Bucket": "awsgen-no-such-bucket", "Key": "k"}),
        ("HeadObject", {"Bucket": BUCKET, "Key": "missing"}),
        ("DeleteBucket", {"Bucket": BUCKET}),
    ]
    create = len(steps)
    steps.append(("CreateMultipartUpload", {"Bucket": BUCKET, "Key": "big"}))
    part = 8 << 20
    parts = []
    left, number = mib << 20, 1
    while left > 0:
        size = min(part, left)
        parts.append(len(steps))
        steps.append(("UploadPart", {"Bucket": BUCKET, "Key": "big", "PartNumber": number,
                                     "UploadId": f"${create}.UploadId", "Body": blob(size, 100 + number)}))
        left -= size
        number += 1
    steps += [
        ("CompleteMultipartUpload", {"Bucket": BUCKET, "Key": "big", "UploadId": f"${create}.UploadId",
                                     "MultipartUpload": {"Parts": [{"ETag": f"${i}.ETag", "PartNumber": n + 1}
                                                                   for n, i in enumerate(parts)]}}),
        ("HeadObject", {"Bucket": BUCKET, "Key": "big"}),
        ("GetObject", {"Bucket": BUCKET, "Key": "big", "Range": "bytes=8388600-8388615"}),
        ("PutBucketVersioning", {"Bucket": BUCKET, "VersioningConfiguration": {"Status": "Enabled"}}),
        ("PutObject", {"Bucket": BUCKET, "Key": "versioned", "Body": b"one"}),
        ("PutObject", {"Bucket": BUCKET, "Key": "versioned", "Body": b"two"}),
        ("ListObjectVersions", {"Bucket": BUCKET, "Prefix": "versioned"}),
        # Presigned by each client, fetched with a plain HTTP client (no credentials).
        ("presign:GetObject", {"Bucket": BUCKET, "Key": KEY}),
        ("presign:GetObject", {"Bucket": BUCKET, "Key": "missing"}),
    ]
    return steps


# What a scripted local server answers where moto cannot show a behaviour: (operation,
# parameters, the answers in turn (status, headers, body); the last repeats).
GOOD_COPY = (200, {}, b'<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><ETag>"9b2cf535f27731c974343645a3985328"</ETag>'
             b'<LastModified>2026-01-02T03:04:05.000Z</LastModified></CopyObjectResult>')
ERROR_200 = (200, {}, b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
             b'<Message>We encountered an internal error. Please try again.</Message><RequestId>r1</RequestId></Error>')
SCRIPTED = [
    # An error in a 200 answer, then the copy's result: retried, as botocore does.
    ("CopyObject", {"Bucket": "scripted-error-then-copy", "Key": "k", "CopySource": "src/k"}, [ERROR_200, GOOD_COPY]),
    # A 200 answer cut short, then the whole one.
    ("CompleteMultipartUpload", {"Bucket": "scripted-truncated", "Key": "k", "UploadId": "u",
                                 "MultipartUpload": {"Parts": [{"ETag": "e", "PartNumber": 1}]}},
     [(200, {}, b'<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult><Location>http'),
      (200, {}, b'<CompleteMultipartUploadResult><Location>l</Location><Bucket>b</Bucket><Key>k</Key>'
                b'<ETag>"e-1"</ETag></CompleteMultipartUploadResult>')]),
    # Errors in 200 answers until the retries run out: the error, with status 500.
    ("CopyObject", {"Bucket": "scripted-error-always", "Key": "k", "CopySource": "src/k"}, [ERROR_200]),
    # A body whose CRC32 is not the one announced: an error, not the wrong bytes.
    ("GetObject", {"Bucket": "scripted-bad-checksum", "Key": "k"},
     [(200, {"x-amz-checksum-crc32": "NhCmhg==", "Content-Type": "text/plain"}, b"world")]),
    # The right one (the CRC32 of `hello`): the body.
    ("GetObject", {"Bucket": "scripted-good-checksum", "Key": "k"},
     [(200, {"x-amz-checksum-crc32": "NhCmhg==", "Content-Type": "text/plain"}, b"hello")]),
    # A multipart object's checksum (`-N`) is not the body's: not checked.
    ("GetObject", {"Bucket": "scripted-multipart-checksum", "Key": "k"},
     [(200, {"x-amz-checksum-crc32": "AAAAAA==-2", "Content-Type": "text/plain"}, b"parts")]),
    # A bucket in another region: `PermanentRedirect` naming it to a request signed for
    # us-east-1, then the answer to one signed for eu-west-1; the next call to the bucket
    # goes there at once (the request counts are compared too).
    ("GetObject", {"Bucket": "scripted-eu-bucket", "Key": "k"}, [("redirect", {}, b"far away")]),
    ("ListObjectsV2", {"Bucket": "scripted-eu-bucket"},
     [("redirect", {}, b'<ListBucketResult><Name>scripted-eu-bucket</Name><KeyCount>0</KeyCount></ListBucketResult>')]),
    # A redirect that names no region (no header, no `<Region>`): botocore asks `HeadBucket`,
    # whose answer's `x-amz-bucket-region` says it; then the call goes there.
    ("GetObject", {"Bucket": "scripted-head-bucket", "Key": "k"}, [("redirect-head", {}, b"found by HEAD")]),
    # The one answer whose root is the value itself (`parse_get_bucket_location`).
    ("GetBucketLocation", {"Bucket": "scripted-location"},
     [(200, {}, b'<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint '
                b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>')]),
    # Keys URL-encoded because the client asked for it: decoded.
    ("ListObjectsV2", {"Bucket": "scripted-listing", "Key": None},
     [(200, {}, b'<ListBucketResult><Name>b</Name><EncodingType>url</EncodingType><KeyCount>2</KeyCount>'
                b'<Contents><Key>a%20b%2Bc%2F%C3%A9</Key><Size>1</Size></Contents><Contents><Key>x+y</Key><Size>2</Size></Contents>'
                b'<CommonPrefixes><Prefix>p%2F</Prefix></CommonPrefixes><Prefix>d%2F</Prefix></ListBucketResult>')]),
]


# Runs in the moto venv: the walk through boto3 and through our harness, answers in
# botocore's terms.
RUNNER = RESTXML_CASES.split("out = []\nfor key in spec")[0] + OURS.split("models = {}\nresult = []")[0].split(
    "import botocore.utils\n", 1)[1] + r'''
import boto3, botocore.config, random, subprocess

api = loader.load_service_model("s3", "service-2")
model = botocore.model.ServiceModel(api, "s3")

def expand(v):
    if isinstance(v, dict) and set(v) == {"$blob"}:
        size, seed = v["$blob"]
        return random.Random(seed).randbytes(size)
    if isinstance(v, dict):
        return {k: expand(x) for k, x in v.items()}
    if isinstance(v, list):
        return [expand(x) for x in v]
    if isinstance(v, str) and v.startswith("b64:"):
        return base64.b64decode(v[4:])
    return v

def resolve(v, answers):
    if isinstance(v, str) and v.startswith("$"):
        index, *path = v[1:].split(".")
        x = answers[int(index)]["ok"]
        for p in path:
            x = x[p]
        return x
    if isinstance(v, dict):
        return {k: resolve(x, answers) for k, x in v.items()}
    if isinstance(v, list):
        return [resolve(x, answers) for x in v]
    return v

def plain(shape, v):
    """A botocore value as JSON-able data: bytes as base64, timestamps as a marker."""
    if isinstance(v, dict):
        return {k: plain(shape.members.get(k) if shape is not None and shape.type_name == "structure" else None, x)
                for k, x in v.items() if k != "ResponseMetadata" and x is not None}
    if isinstance(v, list):
        return [plain(shape.member if shape is not None and shape.type_name == "list" else None, x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, datetime.datetime):
        return "<timestamp>"
    return v

import urllib.request, urllib.error

def fetch(method, url, headers):
    """A presigned request sent by a plain HTTP client: its status and body."""
    req = urllib.request.Request(url, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return {"ok": {"status": r.status, "Body": {"$bytes": base64.b64encode(r.read()).decode()}}}
    except urllib.error.HTTPError as e:
        body = e.read()
        code = body.split(b"<Code>")[1].split(b"</Code>")[0].decode() if b"<Code>" in body else None
        return {"err": {"code": code, "message": None, "status": e.code}}

def boto3_side(steps):
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=spec["moto"],
                      aws_access_key_id="test", aws_secret_access_key="test",
                      config=botocore.config.Config(retries=globals().get("boto3_retries", {"max_attempts": 1}),
                                                    signature_version="s3v4"))
    answers = []
    for op, params in steps:
        params = expand(resolve(params, answers))
        if op.startswith("presign:"):
            url = s3.generate_presigned_url(botocore.xform_name(op[8:]), Params=params, ExpiresIn=600)
            answers.append(fetch("GET", url, {}))
            continue
        try:
            out = getattr(s3, botocore.xform_name(op))(**params)
            if "Body" in out and hasattr(out["Body"], "read"):
                out["Body"] = out["Body"].read()
            answers.append({"ok": plain(model.operation_model(op).output_shape, out)})
        except botocore.exceptions.FlexibleChecksumError as e:
            answers.append({"err": {"code": "<checksum mismatch>", "message": None, "status": None}})
        except botocore.exceptions.ClientError as e:
            err = e.response.get("Error", {})
            answers.append({"err": {"code": err.get("Code"), "message": err.get("Message") or None,
                                    "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                                    "class": type(e).__name__}})
    return answers

def ours_side(steps):
    proc = subprocess.Popen([spec["harness"], "live", json.dumps(
        {"endpoint": spec["moto"], "region": "us-east-1", "akid": "test", "secret": "test"})],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    answers = []
    for op, params in steps:
        presign = op.startswith("presign:")
        op = op[8:] if presign else op
        om = model.operation_model(op)
        params = expand(resolve(params, answers))
        line = {"op": op, "params": serde(om, params)}
        if presign:
            line["presign"] = 600
        proc.stdin.write(json.dumps(line) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"the harness stopped at {op}")
        a = json.loads(line)
        if presign:
            p = a.get("ok")
            answers.append(fetch(p["method"], p["url"], p["headers"]) if p else {"err": a["err"]})
        elif "ok" in a:
            answers.append({"ok": plain(om.output_shape, from_serde(om.output_shape, a["ok"]))})
        else:
            e = a["err"]
            if "checksum does not match" in (e.get("err") or e.get("display") or ""):
                answers.append({"err": {"code": "<checksum mismatch>", "message": None, "status": None}})
                continue
            # The operation's enum keeps a fault the operation does not list as
            # `Unhandled`; the service-wide `Error` it converts into sorts it among all the
            # service's faults, as boto3's exception classes are.
            variant = e.get("variant")
            listed = {sh.name for sh in om.error_shapes}
            if variant == "Unhandled" and e.get("code") not in listed and any(
                    sh.name == e.get("code") for sh in model.error_shapes):
                variant = e.get("code")
            answers.append({"err": {"code": e.get("code"), "message": e.get("message"),
                                    "status": e.get("status"), "display": e.get("display"),
                                    "class": variant}})
    proc.stdin.close()
    proc.wait(timeout=60)
    return answers

import threading, http.server

class Scripted(http.server.ThreadingHTTPServer):
    """Answers each bucket's requests from its script, in turn (the last repeats)."""
    daemon_threads = True

REDIRECT = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are '
            b'attempting to access must be addressed using the specified endpoint.</Message>'
            b'<Endpoint>s3.eu-west-1.amazonaws.com</Endpoint><Bucket>b</Bucket><RequestId>r</RequestId></Error>')

def serve(script, counts):
    queues = {params["Bucket"]: list(answers) for _, params, answers in script}
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a):
            pass
        def handle_one(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            bucket = self.path.split("/")[1].split("?")[0]
            counts[bucket] = counts.get(bucket, 0) + 1
            q = queues.get(bucket) or [(404, {}, b"")]
            status, headers, body = q.pop(0) if len(q) > 1 else q[0]
            if status == "redirect":
                # The bucket is in eu-west-1: a request signed for another region is told so.
                if "/eu-west-1/" not in (self.headers.get("Authorization") or ""):
                    status, headers, body = 301, {"x-amz-bucket-region": "eu-west-1"}, REDIRECT
                else:
                    status = 200
            elif status == "redirect-head":
                # The same, but the answer names no region; a HEAD of the bucket does (S3
                # sends `x-amz-bucket-region` on a HeadBucket's answer, redirect or not).
                eu = "/eu-west-1/" in (self.headers.get("Authorization") or "")
                if self.command == "HEAD":
                    status, headers, body = (200 if eu else 301), {"x-amz-bucket-region": "eu-west-1"}, b""
                elif eu:
                    status = 200
                else:
                    status, headers, body = 301, {}, REDIRECT
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("x-amz-request-id", "scripted")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = handle_one
    server = Scripted(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if x is not None}
    return v

steps = spec["steps"]
side = spec["side"]
if spec.get("scripted"):
    script = [(op, clean(p), [(s, h, base64.b64decode(b)) for s, h, b in a]) for op, p, a in spec["scripted"]]
    counts = {}
    server = serve(script, counts)
    spec["moto"] = "http://127.0.0.1:%d" % server.server_address[1]
    steps = [(op, p) for op, p, _ in script]
    if side == "boto3":
        # Retries as ours: standard mode, three attempts.
        boto3_retries = {"mode": "standard", "total_max_attempts": 3}
answers = boto3_side(steps) if side == "boto3" else ours_side(steps)
if spec.get("scripted"):
    answers.append({"ok": {"requests per bucket": counts}})
json.dump(answers, sys.stdout)
'''


def normalize(value, ids):
    """Version and upload ids as the n-th one the side has seen (moto makes them random)."""
    if isinstance(value, dict):
        return {k: (ids.setdefault(v, f"<id {len(ids) + 1}>") if k in ("VersionId", "UploadId") and isinstance(v, str)
                    else normalize(v, ids)) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [normalize(v, ids) for v in value]
    return value


def encode(steps):
    """Bytes given literally as `b64:` text (JSON has no bytes)."""
    def enc(v):
        if isinstance(v, bytes):
            return "b64:" + base64.b64encode(v).decode()
        if isinstance(v, dict):
            return {k: enc(x) for k, x in v.items()}
        if isinstance(v, list):
            return [enc(x) for x in v]
        return v
    return [(op, enc(p)) for op, p in steps]


def readme_program():
    """The README's S3 build script and program (its fragments marked `elsewhere` for
    this script), verbatim."""
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    blocks = re.findall(r"<!-- fragment elsewhere\nscripts/moto_s3\.py[^\n]*\n-->\n```rust\n(.*?)```", text, re.S)
    build = next((b for b in blocks if b.startswith("// build.rs")), None)
    main = next((b for b in blocks if b.startswith("// src/main.rs")), None)
    if build is None or main is None:
        raise SystemExit("moto_s3: the README's S3 build script and program are not found")
    return build, main


def newcomer(python, moto, data, mib):
    """The README's S3 program in a crate of its own (the two crates of this checkout by
    path, the S3 model copied out of botocore's data as the README says), run against
    moto: a multipart upload of a `mib` MiB file, then its presigned link fetched by a plain
    HTTP client. Returns what went wrong, or an empty list."""
    build, main = readme_program()
    crate = os.path.join(ROOT, "target", "moto-s3-newcomer")
    os.makedirs(os.path.join(crate, "src"), exist_ok=True)
    shutil.rmtree(os.path.join(crate, "models"), ignore_errors=True)
    shutil.copytree(os.path.join(data, "s3", "2006-03-01"), os.path.join(crate, "models", "s3"))
    from differential import write_if_changed  # noqa: E402
    write_if_changed(os.path.join(crate, "Cargo.toml"),
                     '[package]\nname = "s3-newcomer"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
                     '[workspace]\n\n[dependencies]\n'
                     f'awsgen-runtime = {{ path = "{ROOT}/runtime" }}\n'
                     'tokio = { version = "1", features = ["rt-multi-thread", "macros"] }\n\n'
                     '[build-dependencies]\n'
                     f'awsgen-codegen = {{ path = "{ROOT}/codegen", default-features = false, features = ["gzip"] }}\n')
    write_if_changed(os.path.join(crate, "build.rs"), build)
    write_if_changed(os.path.join(crate, "src", "main.rs"), main)
    shutil.copyfile(os.path.join(ROOT, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
    target = os.path.join(ROOT, "target", "differential-target")
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    p = subprocess.run(["cargo", "build", "-q"], cwd=crate, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        return [f"the README's S3 program does not build:\n{p.stderr[-3000:]}"]
    path = os.path.join(crate, "upload.bin")
    data_bytes = random.Random(7).randbytes(mib << 20)
    with open(path, "wb") as f:
        f.write(data_bytes)
    moto.reset()
    make = ("import boto3; boto3.client('s3', region_name='us-east-1', endpoint_url=%r, aws_access_key_id='test', "
            "aws_secret_access_key='test').create_bucket(Bucket='newcomer')" % moto.url)
    subprocess.run([python, "-c", make], check=True)
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    run_env.update(AWS_ENDPOINT_URL=moto.url, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="test",
                   AWS_SECRET_ACCESS_KEY="test", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_EC2_METADATA_DISABLED="true")
    p = subprocess.run([os.path.join(target, "debug", "s3-newcomer"), "newcomer", "big é.bin", path],
                       env=run_env, capture_output=True, text=True, timeout=300)
    os.remove(path)
    if p.returncode != 0:
        return [f"the README's S3 program failed: {p.stderr[-2000:]}"]
    link = p.stdout.strip().splitlines()[-1]
    with urllib.request.urlopen(link, timeout=60) as r:
        got = r.read()
    if hashlib.sha256(got).digest() != hashlib.sha256(data_bytes).digest():
        return [f"the link's object is not the file: {len(got)} bytes, the file {len(data_bytes)}"]
    return []


def memory(harness, gib=1):
    """`gib` GiB up from a file (PutObject) and down into a file (GetObject) through our
    S3 client against a local server that reads and writes bodies as they come; the
    harness's peak RSS must stay under 32 MiB. Returns what went wrong, or an empty list,
    and the figures."""
    import http.server
    import threading
    size = gib << 30

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_PUT(self):
            left = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Expect") == "100-continue":
                self.send_response_only(100)
                self.end_headers()
            while left:
                left -= len(self.rfile.read(min(left, 1 << 20)))
            self.send_response(200)
            self.send_header("ETag", '"e"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                self.wfile.write(chunk)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = os.path.join(ROOT, "target", "moto-s3-memory")
    os.makedirs(work, exist_ok=True)
    src, dst = os.path.join(work, "in.bin"), os.path.join(work, "out.bin")
    with open(src, "wb") as f:
        f.truncate(size)  # sparse: a GiB of zeros read from the file as it is sent
    config = {"endpoint": "http://127.0.0.1:%d" % server.server_address[1], "region": "us-east-1",
              "akid": "test", "secret": "test"}
    try:
        p = subprocess.run([harness, "memory", json.dumps(config), src, dst], capture_output=True, text=True,
                           timeout=600)
    finally:
        server.shutdown()
        got = os.path.getsize(dst) if os.path.exists(dst) else 0
        for f in (src, dst):
            if os.path.exists(f):
                os.remove(f)
    if p.returncode != 0 or not p.stdout.strip():
        return [f"the harness failed: {p.stderr[-2000:]}"], {}
    a = json.loads(p.stdout.strip().splitlines()[-1])
    if "err" in a:
        return [f"ours failed: {a['err']}"], a
    problems = []
    if a["written"] != size or got != size:
        problems.append(f"written {a['written']} bytes, the file {got}, not {size}")
    if a["peak_kib"] > 32 << 10:
        problems.append(f"peak RSS {a['peak_kib']} KiB, over 32 MiB")
    return problems, a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "moto-venv"))
    ap.add_argument("--mib", type=int, default=64, help="size of the multipart upload")
    ap.add_argument("--show", action="store_true", help="print our answer to each call")
    args = ap.parse_args()
    python = ensure_venv(args.venv)
    harness = os.path.join(differential_s3.build(["s3/2006-03-01"]), differential_s3.crate_name("s3/2006-03-01"))
    steps = encode(walk(args.mib))
    memory_problems, figures = memory(harness)
    print(("ok  " if not memory_problems else "FAIL") + " 1 GiB up from a file and down into one: peak RSS "
          f"{figures.get('put_peak_kib', '?')} KiB after the upload, {figures.get('peak_kib', '?')} KiB at the end"
          + "".join("\n    " + x for x in memory_problems))
    moto = Moto(python)
    try:
        readme_problems = newcomer(python, moto, differential_s3.data(), args.mib // 3 or 1)
        print(("ok  " if not readme_problems else "FAIL") + f" the README's S3 program: a {args.mib // 3 or 1} MiB "
              "multipart upload, its presigned link fetched" + "".join("\n    " + x for x in readme_problems))
        sides = {}
        for side in ("boto3", "ours"):
            moto.reset()
            p = subprocess.run([python, "-c", RUNNER], capture_output=True, text=True,
                               input=json.dumps({"seed": 0, "steps": steps, "side": side, "moto": moto.url,
                                                 "harness": harness}))
            if p.returncode != 0:
                raise SystemExit(f"moto_s3: the {side} side failed:\n{p.stderr[-3000:]}")
            sides[side] = json.loads(p.stdout)
    finally:
        moto.stop()
    # The scripted answers, to each side in turn.
    scripted = [(op, p, [(st, h, base64.b64encode(b).decode()) for st, h, b in a]) for op, p, a in SCRIPTED]
    for side in ("boto3", "ours"):
        p = subprocess.run([python, "-c", RUNNER], capture_output=True, text=True,
                           input=json.dumps({"seed": 0, "steps": [], "scripted": scripted, "side": side,
                                             "moto": "", "harness": harness}))
        if p.returncode != 0:
            raise SystemExit(f"moto_s3: the scripted {side} side failed:\n{p.stderr[-3000:]}")
        sides[side] += json.loads(p.stdout)
    steps = steps + [(f"{op} (scripted {params['Bucket'][9:]})", params) for op, params, _ in SCRIPTED]
    steps.append(("the scripted server's request counts", {}))
    ids_ours, ids_theirs, failed = {}, {}, 0
    for (op, _), ours, theirs in zip(steps, sides["ours"], sides["boto3"]):
        problems = []
        display = (ours.get("err") or {}).pop("display", None)
        variant = (ours.get("err") or {}).pop("class", None)
        exception = (theirs.get("err") or {}).pop("class", None)
        a, b = normalize(ours, ids_ours), normalize(theirs, ids_theirs)
        if exception is not None:
            # Ours: the variant of the operation's error enum; boto3: the exception class
            # (`ClientError` for a code the model does not name). A bodiless 404 of a HEAD is
            # the operation's 404 fault for ours, `ClientError` (code `404`) for boto3.
            want = {("HeadObject", 404): "NoSuchKey", ("HeadBucket", 404): "NoSuchBucket"}.get(
                (op, theirs["err"].get("status")), "Unhandled" if exception == "ClientError" else exception)
            if variant != want:
                problems.append(f"variant: ours {variant} / boto3 {exception} (expected {want})")
        if a != b:
            problems.append(f"ours {json.dumps(a)[:600]}\n      boto3 {json.dumps(b)[:600]}")
        if display is not None and ("\n" in display or not display.isprintable()):
            problems.append(f"Display is not one printable line: {display!r}")
        kind = "error " + str((theirs.get("err") or {}).get("code")) if "err" in theirs else "ok"
        print(f"{'ok  ' if not problems else 'FAIL'} {op} ({kind})" + "".join("\n    " + x for x in problems))
        if args.show:
            print(f"    {json.dumps(a)[:700]}")
        failed += bool(problems)
    print(f"moto_s3: {len(steps) - failed}/{len(steps)} calls match boto3"
          + ("" if not readme_problems else "; the README's S3 program failed")
          + ("" if not memory_problems else "; the 1 GiB memory check failed"))
    return 1 if failed or readme_problems or memory_problems else 0


if __name__ == "__main__":
    sys.exit(main())
