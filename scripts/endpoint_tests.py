#!/usr/bin/env python3
"""botocore's endpoint tests for every service awsgen generates.

    python3 scripts/endpoint_tests.py [--only lambda,dms,...]

botocore's source distribution holds, for each service,
`tests/functional/endpoint-rules/<service>/endpoint-tests-1.json`: parameters (region,
FIPS, dual-stack, a custom endpoint, and the service's own: `AccountId`, `ResourceArn`,
...) and the endpoint URL or the error botocore expects. For every model of a protocol
the generator speaks (json, rest-json, query, ec2, rest-xml; the newest API version, whose rule set the tests
are written for), this runs those cases through the runtime's rule-set interpreter (the
`endpoint_tests` example of awsgen-tests), with the rule set botocore's wheel ships.
The sdist is downloaded once with pip into target/botocore-sdist; the rule sets come
from the pinned venv's botocore.

Prints the services that fail, each failing case, and

    endpoint tests: S services, N cases, P passed, F failed

and exits non-zero on any failure.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import BOTOCORE, ROOT, botocore_data, build_example, ensure_venv  # noqa: E402
import generality  # noqa: E402


def sdist(python):
    """The unpacked botocore sdist (downloaded the first time)."""
    base = os.path.join(ROOT, "target", "botocore-sdist")
    tree = os.path.join(base, f"botocore-{BOTOCORE}")
    if os.path.isdir(os.path.join(tree, "tests", "functional", "endpoint-rules")):
        return tree
    os.makedirs(base, exist_ok=True)
    subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    f"botocore=={BOTOCORE}", "-d", base], check=True)
    with tarfile.open(os.path.join(base, f"botocore-{BOTOCORE}.tar.gz")) as tar:
        members = [m for m in tar.getmembers() if "/tests/functional/endpoint-rules/" in m.name]
        for m in members:
            if m.name.startswith("/") or ".." in m.name.split("/"):
                raise SystemExit(f"endpoint tests: unexpected entry {m.name!r} in the sdist")
        tar.extractall(base, members=members)
    return tree


def read(path):
    for p, opener in ((path, open), (path + ".gz", gzip.open)):
        if os.path.exists(p):
            with opener(p, "rt", encoding="utf-8") as f:
                return f.read()
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated service names")
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    tree = sdist(python)
    data = botocore_data(python)
    only = set(filter(None, opts.only.split(",")))
    newest = {}
    for svc, ver, vdir, _ in generality.models(data, only or None, {"json", "rest-json", "query", "ec2", "rest-xml"}):
        newest[svc] = (ver, vdir)  # versions come in order: the last is the newest
    items, missing = [], []
    for svc, (ver, vdir) in sorted(newest.items()):
        rules = read(os.path.join(vdir, "endpoint-rule-set-1.json"))
        tests = read(os.path.join(tree, "tests", "functional", "endpoint-rules", svc, "endpoint-tests-1.json"))
        if rules is None or tests is None:
            missing.append(svc)
            continue
        items.append({"service": svc, "rules": rules, "tests": tests})
    binary = build_example("endpoint_tests")
    p = subprocess.run([binary], input="\n".join(json.dumps(i) for i in items) + "\n",
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"endpoint tests: the runner failed: {p.stderr[-2000:]}")
    results = [json.loads(line) for line in p.stdout.splitlines() if line]
    cases = sum(r["cases"] for r in results)
    passed = sum(r["passed"] for r in results)
    for r in results:
        if r["failures"]:
            print(f"{r['service']}: {r['passed']}/{r['cases']}")
            for f in r["failures"][:5]:
                print(f"    {f[:400]}")
    if missing:
        print(f"no endpoint tests or rule set: {', '.join(missing)}")
    print(f"endpoint tests: {len(results)} services, {cases} cases, {passed} passed, {cases - passed} failed")
    sys.exit(0 if passed == cases else 1)


if __name__ == "__main__":
    main()
