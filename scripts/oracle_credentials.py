#!/usr/bin/env python3
"""The default credentials chain against botocore itself.

    python3 scripts/oracle_credentials.py [--venv target/oracle-venv]

For each scenario (environment variables, shared config and credentials files, a
`credential_process`, a container endpoint, an IMDS, web identity and role profiles
through a fake STS, SSO profiles through a fake SSO portal), the script writes the files into a
fresh home directory, starts the fake endpoints the scenario needs on 127.0.0.1, and
resolves credentials twice: with botocore 1.44.8 (`Session().get_credentials()`, in the
pinned virtualenv `oracle_companions.py` also uses) and with ours (the
`credentials_oracle` example of awsgen-tests, `Config::from_env`). It compares the access
key, the secret's length, whether there is a session token, the region, and the requests
the fake endpoints received, then prints

    credentials oracle: N scenarios, M matched

and exits non-zero on any difference. IMDS is pointed at a local fake or disabled in
every scenario, so nothing leaves the machine.

One difference is deliberate and left out: `AWS_REGION`, which the AWS SDKs read before
`AWS_DEFAULT_REGION` (as we do) and botocore does not read at all. Another is kept out
of the scenarios: with no region at all and `AWS_ENDPOINT_URL_STS` set, botocore cannot
sign `AssumeRole` (NoRegionError) where we sign for us-east-1, STS's global region.
"""

import argparse
import datetime
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import ROOT, build_example, ensure_venv  # noqa: E402

CREDS = {"Code": "Success", "AccessKeyId": "AKIDHOST", "SecretAccessKey": "host-secret-0123",
         "Token": "host-token", "Expiration": "2099-01-01T00:00:00Z"}


class Fake:
    """A scripted endpoint: answers by (method, path) and records what it received."""

    def __init__(self, routes):
        self.routes = routes
        self.received = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("content-length", 0) or 0)
                self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()
                           if k.lower() in ("authorization", "x-aws-ec2-metadata-token",
                                            "x-aws-ec2-metadata-token-ttl-seconds",
                                            "x-amz-sso_bearer_token")}
                url = urllib.parse.urlsplit(self.path)
                query = sorted(urllib.parse.parse_qsl(url.query))
                fake.received.append([self.command, url.path, query, sorted(headers.items())])
                status, body = fake.routes.get((self.command, url.path), (404, ""))
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                if self.path == "/token":
                    return self.answer_json()
                length = int(self.headers.get("content-length", 0) or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                auth = self.headers.get("authorization", "")
                scope = auth.split("Credential=")[1].split(",")[0].split("/") if "Credential=" in auth else []
                signed = [scope[0], scope[2], scope[3]] if len(scope) > 3 else None
                params = {k: ("<token>" if k == "WebIdentityToken" else v) for k, v in form.items()}
                fake.received.append(["POST", params, signed])
                role = form.get("RoleArn", "").rsplit("/", 1)[-1].upper()
                body = (f"<{form['Action']}Response><{form['Action']}Result><Credentials>"
                        f"<AccessKeyId>ASIA{role}</AccessKeyId><SecretAccessKey>role-secret-{role}</SecretAccessKey>"
                        f"<SessionToken>role-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
                        f"</Credentials></{form['Action']}Result></{form['Action']}Response>").encode()
                self.send_response(200)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def answer_json(self):
                length = int(self.headers.get("content-length", 0) or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.received.append([self.command, self.path, sorted(body.items())])
                status, reply = fake.routes.get((self.command, self.path), (404, {}))
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


def imds_routes(token_status=200):
    base = "/latest/meta-data/iam/security-credentials/"
    return {("PUT", "/latest/api/token"): (token_status, "imds-session-token"),
            ("GET", base): (200, "the-role"), ("GET", base + "the-role"): (200, CREDS)}


PROCESS = ("echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"process-secret\", "
           "\"SessionToken\": \"process-token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'")

SSO_ROUTES = {("GET", "/federation/credentials"): (200, {"roleCredentials": {
    "accessKeyId": "ASIASSO", "secretAccessKey": "sso-secret-012", "sessionToken": "sso-token",
    "expiration": 4070908800000}})}
SSO_TOKEN = {"accessToken": "the-sso-access-token", "expiresAt": "2099-01-01T00:00:00Z",
             "region": "eu-west-1", "startUrl": "https://corp.awsapps.com/start"}

def in_minutes(m):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=m)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


SSO_REFRESHABLE = dict(SSO_TOKEN, expiresAt=in_minutes(5), refreshToken="refresh-1", clientId="client-1",
                       clientSecret="client-secret-1", registrationExpiresAt=in_minutes(60 * 24))
OIDC_ROUTES = {("POST", "/token"): (200, {"accessToken": "refreshed-access-token", "expiresIn": 28800,
                                          "refreshToken": "refresh-2", "tokenType": "Bearer"})}

SCENARIOS = [
    {"name": "environment", "env": {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                    "AWS_SESSION_TOKEN": "env-token", "AWS_DEFAULT_REGION": "eu-west-1"}},
    {"name": "environment over the profile", "env": {"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"},
     "credentials": "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"},
    {"name": "profile static keys and region", "env": {"AWS_PROFILE": "dev"},
     "config": "[profile dev]\nregion = ap-south-1\n",
     "credentials": "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n"},
    {"name": "credentials file over config file", "config": "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = c\n",
     "credentials": "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = creds-secret\n"},
    {"name": "credential_process", "config": f"[default]\nregion = us-west-2\ncredential_process = {PROCESS}\n"},
    {"name": "container with a token file", "container": {("GET", "/creds"): (200, CREDS)}, "token_file": "pod-identity-token"},
    {"name": "container with a token", "container": {("GET", "/creds"): (200, CREDS)}, "env": {"AWS_CONTAINER_AUTHORIZATION_TOKEN": "ecs-token"}},
    {"name": "profile keys over the container", "container": {("GET", "/creds"): (200, CREDS)},
     "credentials": "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"},
    {"name": "web identity from the environment", "sts": {}, "web_identity": "eyJ.web.identity",
     "env": {"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/webrole", "AWS_ROLE_SESSION_NAME": "pod-1",
             "AWS_DEFAULT_REGION": "us-west-2"}},
    {"name": "role_arn with a static source_profile", "sts": {}, "env": {"AWS_PROFILE": "deploy", "AWS_DEFAULT_REGION": "us-west-2"},
     "config": "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\n"
               "role_session_name = ci\nexternal_id = ext-1\nduration_seconds = 1800\n",
     "credentials": "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"},
    {"name": "chained roles", "sts": {}, "env": {"AWS_PROFILE": "second", "AWS_DEFAULT_REGION": "us-west-2"},
     "config": "[profile second]\nrole_arn = arn:aws:iam::1:role/second\nsource_profile = first\nrole_session_name = s2\n"
               "[profile first]\nrole_arn = arn:aws:iam::1:role/first\nsource_profile = base\nrole_session_name = s1\n",
     "credentials": "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"},
    {"name": "a source profile's static keys over its own role", "sts": {}, "env": {"AWS_PROFILE": "top", "AWS_DEFAULT_REGION": "us-west-2"},
     "config": "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = mid\nrole_session_name = top-session\n"
               "[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\nsource_profile = base\n"
               "aws_access_key_id = AKIDMID\naws_secret_access_key = mid-secret\n"
               "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"},
    {"name": "STS endpoint from the profile's services section", "sts": {}, "env": {"AWS_PROFILE": "svc", "AWS_DEFAULT_REGION": "us-west-2"},
     "config": "[profile svc]\nrole_arn = arn:aws:iam::1:role/viaservices\nsource_profile = base\nrole_session_name = svc\nservices = local\n"
               "[services local]\nsts =\n  endpoint_url = {sts_url}\n",
     "credentials": "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"},
    {"name": "role_arn with credential_source EcsContainer", "sts": {}, "container": {("GET", "/creds"): (200, CREDS)},
     "env": {"AWS_PROFILE": "ecsrole", "AWS_DEFAULT_REGION": "us-west-2"},
     "config": "[profile ecsrole]\nrole_arn = arn:aws:iam::1:role/fromecs\ncredential_source = EcsContainer\nrole_session_name = ecs-session\n"},
    {"name": "SSO with an sso-session", "sso": SSO_ROUTES, "env": {"AWS_PROFILE": "dev"},
     "sso_cache": {"corp": SSO_TOKEN},
     "config": "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n"
               "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"},
    {"name": "SSO token refreshed through SSO-OIDC", "sso": SSO_ROUTES, "oidc": OIDC_ROUTES, "env": {"AWS_PROFILE": "dev"},
     "sso_cache": {"corp": SSO_REFRESHABLE},
     "config": "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n"
               "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"},
    {"name": "SSO with the legacy keys", "sso": SSO_ROUTES, "env": {"AWS_PROFILE": "old"},
     "sso_cache": {"https://old.awsapps.com/start": SSO_TOKEN},
     "config": "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-2\n"
               "sso_account_id = 210987654321\nsso_role_name = ReadOnly\n"},
    {"name": "role_arn with an SSO source_profile", "sso": SSO_ROUTES, "sts": {}, "env": {"AWS_PROFILE": "app"},
     "sso_cache": {"corp": SSO_TOKEN},
     "config": "[profile app]\nrole_arn = arn:aws:iam::1:role/fromsso\nsource_profile = dev\nrole_session_name = from-sso\nregion = ca-central-1\n"
               "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n"
               "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"},
    {"name": "IMDSv2", "imds": imds_routes()},
    {"name": "IMDSv1 fallback", "imds": imds_routes(token_status=403)},
]


def run_side(cmd, env):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return {"failed": p.stderr[-1500:]}
    return json.loads(p.stdout.strip().splitlines()[-1])


BOTO = r'''
import json, botocore.session
s = botocore.session.Session()
c = s.get_credentials()
if c is None:
    print(json.dumps({"error": "no credentials"}))
else:
    f = c.get_frozen_credentials()
    print(json.dumps({"access_key": f.access_key, "secret_length": len(f.secret_key),
                      "token": f.token is not None, "region": s.get_config_variable("region")}))
'''


def sso_cache(home):
    """The SSO token cache after a run (a refresh rewrites it), the expiry in whole hours
    from now (the runs are seconds apart)."""
    cache = os.path.join(home, ".aws", "sso", "cache")
    out = {}
    for name in sorted(os.listdir(cache)) if os.path.isdir(cache) else []:
        with open(os.path.join(cache, name)) as f:
            doc = json.load(f)
        at = datetime.datetime.strptime(doc.get("expiresAt", ""), "%Y-%m-%dT%H:%M:%SZ")
        left = at.replace(tzinfo=datetime.timezone.utc) - datetime.datetime.now(datetime.timezone.utc)
        doc["expiresAt"] = f"in {round(left.total_seconds() / 3600)} h"
        out[name] = doc
    return out


def scenario_env(s, home, fakes):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"HOME": home, "AWS_CONFIG_FILE": os.path.join(home, "config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials")})
    env.update(s.get("env", {}))
    if "imds" in fakes:
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = fakes["imds"].url
    else:
        env["AWS_EC2_METADATA_DISABLED"] = "true"
    if "container" in fakes:
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fakes["container"].url + "/creds"
    if "sts" in fakes and "{sts_url}" not in s.get("config", ""):
        env["AWS_ENDPOINT_URL_STS"] = fakes["sts"].url
    if "sso" in fakes:
        env["AWS_ENDPOINT_URL_SSO"] = fakes["sso"].url
    if "oidc" in fakes:
        env["AWS_ENDPOINT_URL_SSO_OIDC"] = fakes["oidc"].url
    for key, token in s.get("sso_cache", {}).items():
        cache = os.path.join(home, ".aws", "sso", "cache")
        os.makedirs(cache, exist_ok=True)
        with open(os.path.join(cache, hashlib.sha1(key.encode()).hexdigest() + ".json"), "w") as f:
            json.dump(token, f)
    if "web_identity" in s:
        path = os.path.join(home, "web-identity-token")
        with open(path, "w") as f:
            f.write(s["web_identity"])
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = path
    if "token_file" in s:
        path = os.path.join(home, "token")
        with open(path, "w") as f:
            f.write(s["token_file"])
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = path
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours = build_example("credentials_oracle")
    matched = 0
    for s in SCENARIOS:
        runs = {}
        for side, cmd in (("botocore", [python, "-c", BOTO]), ("ours", [ours])):
            home = tempfile.mkdtemp(prefix="awsgen-oracle-")
            fakes = {k: Fake(dict(s[k])) for k in ("imds", "container", "sts", "sso", "oidc") if k in s}
            try:
                for name in ("config", "credentials"):
                    if name in s:
                        with open(os.path.join(home, name), "w") as f:
                            f.write(s[name].replace("{sts_url}", fakes["sts"].url if "sts" in fakes else ""))
                out = run_side(cmd, scenario_env(s, home, fakes))
                runs[side] = (out, {k: f.received for k, f in fakes.items()}, sso_cache(home))
            finally:
                for f in fakes.values():
                    f.close()
                shutil.rmtree(home, ignore_errors=True)
        if runs["botocore"] == runs["ours"] and "access_key" in runs["ours"][0]:
            matched += 1
            out, received, _ = runs["ours"]
            asked = {k: len(v) for k, v in received.items()}
            print(f"{s['name']}: same credentials ({out['access_key']}), region {out['region']}, same requests {asked}")
        else:
            print(f"{s['name']}: DIFFERENT\n  botocore: {runs['botocore']}\n  ours:     {runs['ours']}")
    print(f"credentials oracle: {len(SCENARIOS)} scenarios, {matched} matched")
    return 0 if matched == len(SCENARIOS) else 1


if __name__ == "__main__":
    sys.exit(main())
