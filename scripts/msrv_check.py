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

import subprocess
import sys

import depgraph

PUBLISHED = ["awsgen-codegen", "awsgen-runtime", "awsgen-dms"]


def parse(v):
    return tuple(int(x) for x in v.split(".")) + (0,) * (3 - len(v.split(".")))


def main():
    host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    meta = depgraph.metadata("--filter-platform", host.split("host: ")[1].split()[0])
    packages = {p["id"]: p for p in meta["packages"]}
    failed = False
    for name in PUBLISHED:
        root = next(p for p in meta["packages"] if p["name"] == name)
        declared = root.get("rust_version")
        seen = depgraph.closure(meta, [root["id"]])
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
