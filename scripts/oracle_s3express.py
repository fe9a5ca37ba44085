#!/usr/bin/env python3
"""S3 Express One Zone sessions: our S3 client against botocore's, request for request.

    python3 scripts/oracle_s3express.py

A fake zonal endpoint on 127.0.0.1 (a directory bucket's, path style as the S3 rules make
it for an IP endpoint) answers `CreateSession` with a session's credentials and every
other request with a small object, and records what it receives. botocore (the pinned
venv of the other oracles: `S3ExpressIdentityResolver`, `S3ExpressAuth`,
`S3ExpressQueryAuth`) and ours (the `s3express_oracle` example of awsgen-tests) each
make, signed at the same fixed time with the same keys: GetObject `a`, GetObject `b`,
PutObject `c` (`payload`), then a presigned GetObject URL for `k`. Compared: every
request the endpoint received (method, path, query as a multiset, every header
botocore sent with its value, the `Authorization` signature included, and no other
header of ours; `user-agent`, `amz-sdk-*` and the HTTP library's own aside), their
number (one `CreateSession` for the three calls), the body; and the presigned URL
(scheme, host, path, query as a multiset, the signature included).

Prints each difference and `s3express oracle: N requests compared, M matched; presigned
URL same|DIFFERENT`; exits non-zero on any difference.
"""

import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import ROOT, build_example, ensure_venv  # noqa: E402

NOW = 1767323045  # 2026-01-02T03:04:05Z, the signing time of both sides
BUCKET = "mybucket--use1-az4--x-s3"
SESSION_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<CreateSessionResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Credentials>'
    "<SessionToken>FQoGZXIvYXdzEXAMPLE+session/token=</SessionToken>"
    "<SecretAccessKey>sessionSecretKeyOfTheDirectoryBucketEXAMPLE</SecretAccessKey>"
    "<AccessKeyId>ASIASESSIONEXAMPLE</AccessKeyId>"
    "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></CreateSessionResult>"
)
# Each library names itself; botocore's retry headers are its own; `accept-encoding`
# and `connection` are its HTTP library's (urllib3's).
IGNORED = {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "accept-encoding", "connection"}

BOTO = r'''
import datetime, json, sys
import botocore.session, botocore.config, botocore.auth, botocore.signers
url, now, bucket = sys.argv[1], int(sys.argv[2]), sys.argv[3]
FIXED = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).replace(tzinfo=None)
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: FIXED
botocore.signers.get_current_datetime = botocore.auth.get_current_datetime
session = botocore.session.Session()
session.set_config_variable("credentials_file", "/nonexistent")
session.set_config_variable("config_file", "/nonexistent")
client = session.create_client(
    "s3", region_name="us-east-1", endpoint_url=url,
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))
try:
    for key in ("a", "b"):
        client.get_object(Bucket=bucket, Key=key)["Body"].read()
    client.put_object(Bucket=bucket, Key="c", Body=b"payload")
    print(client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=300))
except Exception as e:
    print(f"error: {e}")
'''


class Endpoint(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = []

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        Endpoint.received.append({
            "method": self.command, "path": url.path,
            "query": sorted(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("latin-1"),
        })
        if url.query == "session":
            out, kind = SESSION_XML.encode(), "application/xml"
        else:
            out, kind = (b"hello" if self.command == "GET" else b""), "application/octet-stream"
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("etag", '"e"')
        self.send_header("x-amz-request-id", "R")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_PUT = answer


def run(cmd, endpoint):
    Endpoint.received = []
    out = subprocess.run(cmd + [endpoint, str(NOW), BUCKET], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {out.stderr}")
    return out.stdout.strip(), list(Endpoint.received)


def differences(theirs, ours):
    """What differs between two requests as the endpoint received them."""
    out = []
    for k in ("method", "path", "query", "body"):
        if theirs[k] != ours[k]:
            out.append(f"{k}: botocore {theirs[k]!r}, ours {ours[k]!r}")
    for name, value in theirs["headers"].items():
        if name not in IGNORED and ours["headers"].get(name) != value:
            out.append(f"header {name}: botocore {value!r}, ours {ours['headers'].get(name)!r}")
    for name in ours["headers"].keys() - theirs["headers"].keys() - IGNORED:
        out.append(f"header {name}: only ours ({ours['headers'][name]!r})")
    return out


def url_parts(url):
    u = urllib.parse.urlsplit(url)
    return (u.scheme, u.netloc, u.path, sorted(urllib.parse.parse_qsl(u.query, keep_blank_values=True)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours_bin = build_example("s3express_oracle")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        boto_url, boto_reqs = run([python, "-c", BOTO], endpoint)
        our_url, our_reqs = run([ours_bin], endpoint)
    finally:
        server.shutdown()
    failed = False
    if len(boto_reqs) != len(our_reqs):
        failed = True
        print(f"requests: botocore sent {len(boto_reqs)}, ours {len(our_reqs)}")
    matched = 0
    for i, (theirs, ours) in enumerate(zip(boto_reqs, our_reqs)):
        diff = differences(theirs, ours)
        what = f"{theirs['method']} {theirs['path']}?{urllib.parse.urlencode(theirs['query'])}"
        if diff:
            failed = True
            print(f"request {i + 1} ({what}): DIFFERENT")
            for d in diff:
                print(f"  {d}")
        else:
            matched += 1
            print(f"request {i + 1} ({what}): same")
    sessions = sum(1 for r in boto_reqs if r["query"] == [("session", "")])
    if sessions != 1:
        failed = True
        print(f"botocore opened {sessions} sessions, not one: the oracle's premise does not hold")
    same_url = url_parts(boto_url) == url_parts(our_url) and not boto_url.startswith("error")
    if not same_url:
        failed = True
        print(f"presigned URL DIFFERENT:\n  botocore: {boto_url}\n  ours:     {our_url}")
    print(f"s3express oracle: {len(boto_reqs)} requests compared, {matched} matched; "
          f"presigned URL {'same' if same_url else 'DIFFERENT'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
