#!/usr/bin/env python3
"""The shipped crates' dependencies against the RustSec advisory database, offline.

    python3 scripts/advisory_check.py [--db ../shared/advisory-db] [--self-test]

Takes every package in the dependency graph of awsgen-codegen, awsgen-runtime and
awsgen-dms as Cargo.lock resolves it (`cargo metadata --all-features`: every optional
dependency and every target platform, normal and build dependencies), and checks each
against the advisories in the snapshot (`crates/<name>/RUSTSEC-*.md`, see the snapshot's
PROVENANCE.md). A version is affected unless it matches a `patched` or `unaffected`
requirement. Withdrawn advisories are skipped; informational ones (unmaintained,
unsound) are listed without failing, as `cargo audit` does. Prints

    advisories: N packages checked against M advisories, K vulnerable

and exits non-zero when K > 0. `--self-test` first shows that the check fires: hyper
0.14.9 must be reported for RUSTSEC-2021-0078, and 0.14.10 must not.
"""

import argparse
import os
import re
import sys
import tomllib

import depgraph

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED = ["awsgen-codegen", "awsgen-runtime", "awsgen-dms"]


def parse_version(text):
    """(major, minor, patch, pre) with missing parts 0; pre is () for a release."""
    m = re.fullmatch(r"\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+\S*)?\s*", text)
    if not m:
        raise ValueError(f"not a version: {text!r}")
    pre = tuple(int(p) if p.isdigit() else p for p in m.group(4).split(".")) if m.group(4) else ()
    parts = (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
    return parts, pre, m.group(2) is not None, m.group(3) is not None


def key(v):
    parts, pre, _, _ = v
    # A release sorts after its pre-releases; pre-release identifiers compare numerically
    # or as text, numbers first.
    return parts + ((1,) if not pre else (0,) + tuple((0, p) if isinstance(p, int) else (1, p) for p in pre))


def caret_upper(parts, has_minor, has_patch):
    major, minor, patch = parts
    if major > 0 or not has_minor:
        return (major + 1, 0, 0)
    if minor > 0 or not has_patch:
        return (0, minor + 1, 0)
    return (0, 0, patch + 1)


def matches(version, requirement):
    """Whether `version` (text) satisfies a Cargo requirement such as `>= 1.2, < 1.3`."""
    v = key(parse_version(version))
    for comparator in requirement.split(","):
        comparator = comparator.strip()
        m = re.fullmatch(r"(>=|<=|>|<|=|\^|~)?\s*(.+)", comparator)
        op, text = m.group(1) or "^", m.group(2)
        bound = parse_version(text)
        b = key(bound)
        parts, _, has_minor, has_patch = bound
        if op == ">=" and not v >= b:
            return False
        if op == ">" and not v > b:
            return False
        if op == "<=" and not v <= b:
            return False
        if op == "<" and not v < b:
            return False
        if op == "=" and v != b:
            return False
        if op == "^" and not (b <= v < key((caret_upper(parts, has_minor, has_patch), (), True, True))):
            return False
        if op == "~":
            upper = (parts[0], parts[1] + 1, 0) if has_minor else (parts[0] + 1, 0, 0)
            if not (b <= v < key((upper, (), True, True))):
                return False
    return True


def load_advisories(db):
    by_crate = {}
    crates = os.path.join(db, "crates")
    for name in sorted(os.listdir(crates)):
        for f in sorted(os.listdir(os.path.join(crates, name))):
            if not f.endswith(".md"):
                continue
            text = open(os.path.join(crates, name, f), encoding="utf-8").read()
            m = re.search(r"```toml\n(.*?)\n```", text, re.S)
            if not m:
                continue
            adv = tomllib.loads(m.group(1))
            by_crate.setdefault(adv["advisory"]["package"], []).append(adv)
    return by_crate


def affected(adv, version):
    versions = adv.get("versions", {})
    for req in versions.get("patched", []) + versions.get("unaffected", []):
        if matches(version, req):
            return False
    return True


def check(packages, advisories):
    """[(name, version, id, informational kind or None, title)] for affected packages."""
    found = []
    for name, version in packages:
        for adv in advisories.get(name, []):
            a = adv["advisory"]
            if a.get("withdrawn") or not affected(adv, version):
                continue
            found.append((name, version, a["id"], a.get("informational")))
    return found


def shipped_packages():
    meta = depgraph.metadata("--all-features")
    packages = {p["id"]: p for p in meta["packages"]}
    seen = depgraph.closure(meta, [p["id"] for p in meta["packages"] if p["name"] in SHIPPED])
    return sorted({(packages[p]["name"], packages[p]["version"]) for p in seen
                   if packages[p]["source"] is not None})


def self_test(advisories):
    hit = [f[2] for f in check([("hyper", "0.14.9")], advisories)]
    miss = [f[2] for f in check([("hyper", "0.14.10")], advisories)]
    if "RUSTSEC-2021-0078" not in hit or "RUSTSEC-2021-0078" in miss:
        raise SystemExit(f"advisories: self-test failed (0.14.9: {hit}, 0.14.10: {miss})")
    for version, req, want in [("1.2.3", "^1.2", True), ("2.0.0", "^1.2", False), ("0.3.5", "^0.3.4", True),
                               ("0.4.0", "^0.3.4", False), ("1.0.0-alpha.2", ">= 1.0.0-alpha.3", False),
                               ("1.5.0", ">= 1.2, < 1.6", True), ("1.6.0", ">= 1.2, < 1.6", False),
                               ("0.2.9", "~0.2.3", True), ("0.3.0", "~0.2.3", False)]:
        if matches(version, req) != want:
            raise SystemExit(f"advisories: self-test failed: {version} {req} should be {want}")
    print("advisories: self-test: hyper 0.14.9 is reported for RUSTSEC-2021-0078, 0.14.10 is not")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.environ.get("ADVISORY_DB", os.path.join(ROOT, "..", "shared", "advisory-db")))
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.db, "crates")):
        raise SystemExit(f"advisories: no advisory database at {args.db} (set --db or ADVISORY_DB)")
    advisories = load_advisories(args.db)
    if args.self_test:
        self_test(advisories)
    packages = shipped_packages()
    found = check(packages, advisories)
    vulnerable = [f for f in found if not f[3]]
    for name, version, adv_id, info in found:
        print(f"  {name} {version}: {adv_id}" + (f" ({info}, not failing)" if info else ""))
    total = sum(len(v) for v in advisories.values())
    print(f"advisories: {len(packages)} packages checked against {total} advisories, {len(vulnerable)} vulnerable")
    sys.exit(1 if vulnerable else 0)


if __name__ == "__main__":
    main()
