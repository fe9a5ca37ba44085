#!/usr/bin/env python3
"""Proxies from the environment, against boto3 itself (issue #25).

    python3 scripts/oracle_proxy.py [--venv target/oracle-venv]

A logging proxy on 127.0.0.1 (plain HTTP forwarding and CONNECT tunnels, requiring Basic
credentials) and a fake DMS on 127.0.0.1 over HTTP and over HTTPS (the test certificate
of tests/data/tls, trusted through AWS_CA_BUNDLE). For each scenario, boto3 1.44.8 (the
pinned venv of the other oracles) and ours (the `proxy_oracle` example of awsgen-tests,
`Config::from_env`) make one DeleteConnection call with the same environment; the script
compares what the proxy saw (CONNECT or forwarded request, its target, the
Proxy-Authorization it received), what the service saw, and the call's result, checks
that our configuration's Debug and error output never show the proxy password, and
prints

    proxy oracle: N scenarios, M matched
"""

import argparse
import http.server
import json
import os
import select
import socket
import ssl
import subprocess
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import ROOT, build_example, ensure_venv  # noqa: E402

PASSWORD = "pr0xy-s3cret"
AUTH = "Basic " + __import__("base64").b64encode(f"alice:{PASSWORD}".encode()).decode()
TLS = os.path.join(ROOT, "tests", "data", "tls")
CONNECTION = {"Connection": {"EndpointArn": "arn:e", "Status": "deleting"}}


class Service:
    """A fake DMS: answers every POST with a connection, records (method, path, host)."""

    def __init__(self, tls):
        self.received = []
        svc = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", 0) or 0))
                svc.received.append([self.command, self.path, self.headers.get("host", "").split(":")[0],
                                     self.headers.get("x-amz-target")])
                data = json.dumps(CONNECTION).encode()
                self.send_response(200)
                self.send_header("content-type", "application/x-amz-json-1.1")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(TLS, "cert.pem"), os.path.join(TLS, "key.pem"))
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]


class Proxy:
    """A logging proxy: forwards absolute-form HTTP requests and tunnels CONNECT; refuses
    (407) anything without the expected credentials. Logs (kind, target, auth)."""

    def __init__(self):
        self.log = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def authorized(self, target):
                auth = self.headers.get("proxy-authorization")
                proxy.log.append([self.command, target, auth == AUTH if auth else None])
                if auth != AUTH:
                    self.send_response(407)
                    self.send_header("proxy-authenticate", 'Basic realm="test"')
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return False
                return True

            def do_CONNECT(self):
                if not self.authorized(self.path):
                    return
                host, port = self.path.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)))
                self.send_response(200, "Connection established")
                self.end_headers()
                self.wfile.flush()
                sockets = [self.connection, upstream]
                try:
                    while True:
                        ready, _, _ = select.select(sockets, [], [], 10)
                        if not ready:
                            break
                        for s in ready:
                            data = s.recv(65536)
                            if not data:
                                return
                            (upstream if s is self.connection else self.connection).sendall(data)
                finally:
                    upstream.close()
                    self.close_connection = True

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                target = f"{url.scheme}://{url.hostname}:{url.port}{url.path}"
                length = int(self.headers.get("content-length", 0) or 0)
                body = self.rfile.read(length)
                if not url.scheme or not self.authorized(target):
                    return
                import http.client
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("proxy-authorization", "proxy-connection", "connection")}
                conn.request("POST", url.path or "/", body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://alice:{PASSWORD}@127.0.0.1:{self.server.server_address[1]}"
        self.no_auth_url = f"http://127.0.0.1:{self.server.server_address[1]}"


BOTO = r'''
import json, boto3, botocore
c = boto3.client("dms")
try:
    r = c.delete_connection(EndpointArn="arn:aws:dms:us-east-1:123456789012:endpoint:E",
                            ReplicationInstanceArn="arn:aws:dms:us-east-1:123456789012:rep:R")
    print(json.dumps({"status": r["Connection"]["Status"]}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__}))
'''


def scenarios(proxy, plain, secure):
    http_ep = f"http://localhost:{plain.port}"
    https_ep = f"https://localhost:{secure.port}"
    return [
        ("HTTP_PROXY forwards an http:// endpoint", {"HTTP_PROXY": proxy.url, "AWS_ENDPOINT_URL": http_ep}),
        ("HTTPS_PROXY tunnels an https:// endpoint", {"HTTPS_PROXY": proxy.url, "AWS_ENDPOINT_URL": https_ep}),
        ("lower-case https_proxy", {"https_proxy": proxy.url, "AWS_ENDPOINT_URL": https_ep}),
        ("NO_PROXY names the host", {"HTTPS_PROXY": proxy.url, "NO_PROXY": "localhost", "AWS_ENDPOINT_URL": https_ep}),
        ("NO_PROXY names another host", {"HTTPS_PROXY": proxy.url, "NO_PROXY": "example.com,.internal",
                                         "AWS_ENDPOINT_URL": https_ep}),
        ("NO_PROXY names the host and port", {"HTTPS_PROXY": proxy.url, "NO_PROXY": f"localhost:{secure.port}",
                                              "AWS_ENDPOINT_URL": https_ep}),
        ("NO_PROXY=*", {"HTTP_PROXY": proxy.url, "NO_PROXY": "*", "AWS_ENDPOINT_URL": http_ep}),
        ("HTTPS_PROXY does not serve http://", {"HTTPS_PROXY": proxy.url, "AWS_ENDPOINT_URL": http_ep}),
        ("a proxy without the credentials it wants", {"HTTPS_PROXY": proxy.no_auth_url, "AWS_ENDPOINT_URL": https_ep}),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours = build_example("proxy_oracle")
    proxy, plain, secure = Proxy(), Service(False), Service(True)
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("AWS_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    base.update({"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_DEFAULT_REGION": "us-east-1",
                 "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_RETRY_MODE": "standard",
                 "AWS_CA_BUNDLE": os.path.join(TLS, "cert.pem"),
                 "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    cases = scenarios(proxy, plain, secure)
    matched = 0
    for name, env in cases:
        runs = {}
        for side, cmd in (("boto3", [python, "-c", BOTO]), ("ours", [ours])):
            proxy.log.clear(), plain.received.clear(), secure.received.clear()
            p = subprocess.run(cmd, env=dict(base, **env), capture_output=True, text=True, timeout=120)
            lines = p.stdout.strip().splitlines()
            result = json.loads(lines[-1]) if lines else {"failed": p.stderr[-800:]}
            # Both fail a refused proxy; the error names differ (ProxyConnectionError, ours text).
            if "error" in result:
                result = {"error": True}
            runs[side] = {"result": result, "proxy": list(proxy.log),
                          "service": list(plain.received) + list(secure.received)}
            if side == "ours" and PASSWORD in p.stdout + p.stderr:
                runs[side]["leak"] = "the proxy password was printed"
        if runs["boto3"] == runs["ours"]:
            matched += 1
            print(f"{name}: same (proxy saw {runs['ours']['proxy']}, result {runs['ours']['result']})")
        else:
            print(f"{name}: DIFFERENT\n  boto3: {runs['boto3']}\n  ours:  {runs['ours']}")
    print(f"proxy oracle: {len(cases)} scenarios, {matched} matched")
    return 0 if matched == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
