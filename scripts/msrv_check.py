#!/usr/bin/env python3
"""The `rust-version` the published crates declare is one their dependencies allow.

    python3 scripts/msrv_check.py

For each published crate, walks its normal and build dependency graph as locked in
Cargo.lock (`cargo metadata`, this machine's target) and compares the declared
`rust-version` with the highest `rust-version` among the dependencies. A crate whose
dependencies need a newer toolchain than it declares fails, naming them. Prints one line
per crate.

What this does not check: that our own code uses no language feature newer than the
declared version. Clippy's `incompatible_msrv` lint (run by `.ci/run` with `-D warnings`)
checks the standard-library APIs we call against it; no older toolchain can be installed
on these machines to compile with it.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLISHED = ["awsgen-codegen", "awsgen-runtime", "awsgen-dms"]


def parse(v):
    return tuple(int(x) for x in v.split(".")) + (0,) * (3 - len(v.split(".")))


def main():
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform",
         subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True)
         .stdout.split("host: ")[1].split()[0]],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    failed = False
    for name in PUBLISHED:
        root = next(p for p in meta["packages"] if p["name"] == name)
        declared = root.get("rust_version")
        seen, stack = set(), [root["id"]]
        while stack:
            pid = stack.pop()
            if pid in seen:
                continue
            seen.add(pid)
            for dep in nodes[pid]["deps"]:
                if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
                    stack.append(dep["pkg"])
        needs = sorted(
            ((parse(packages[p]["rust_version"]), packages[p]["name"], packages[p]["version"])
             for p in seen if p != root["id"] and packages[p].get("rust_version")),
            reverse=True,
        )
        highest = needs[0][0] if needs else (0, 0, 0)
        top = [f"{n} {v}" for r, n, v in needs if r == highest]
        shown = ".".join(map(str, highest[:2]))
        if declared is None or parse(declared) < highest:
            failed = True
            print(f"{name}: declares rust-version {declared}, but {', '.join(top)} need {shown}")
        else:
            print(f"{name}: rust-version {declared}; {len(seen) - 1} dependencies need at most {shown} ({', '.join(top[:3])})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
