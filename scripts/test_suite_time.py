#!/usr/bin/env python3
"""How long `cargo test --workspace` takes from a fresh clone (issue #13's test-suite row).

    python3 scripts/test_suite_time.py [--keep]

Clones the current commit into a temporary directory and runs, with a target directory
of its own (nothing compiled before; the cargo registry is the machine's),
`cargo test --workspace --no-run` (the compile) and then `cargo test --workspace`.
Prints the total, the compile, and each test binary's own time, slowest first, and
writes `bench/results/test_suite.json`, which `bench/compare.py` reports against its
target (4 minutes on an idle 2-core machine). Measure on an idle machine.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", action="store_true", help="keep the clone (printed)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="awsgen-fresh-")
    clone = os.path.join(work, "awsgen")
    subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True,
                            text=True, check=True).stdout.strip()
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(clone, "target"), CARGO_TERM_COLOR="never")
    env.pop("RUSTFLAGS", None)
    t0 = time.time()
    subprocess.run(["cargo", "test", "--workspace", "--no-run", "-q"], cwd=clone, env=env, check=True,
                   capture_output=True)
    t1 = time.time()
    p = subprocess.run(["cargo", "test", "--workspace"], cwd=clone, env=env, capture_output=True, text=True)
    t2 = time.time()
    if p.returncode != 0:
        print(p.stdout[-4000:], p.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit("test_suite_time: the tests failed")
    # Each binary: `Running <path> (...)` on stderr, `test result: ... finished in Xs` on stdout,
    # in the same order.
    names = re.findall(r"^\s+(?:Running|Doc-tests) (\S+)", p.stderr, re.M)
    times = [float(t) for t in re.findall(r"^test result: .*finished in ([0-9.]+)s", p.stdout, re.M)]
    binaries = sorted(zip(names, times), key=lambda x: -x[1])
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "commit": commit,
        "cores": os.cpu_count(),
        "seconds": round(t2 - t0, 1),
        "compile_seconds": round(t1 - t0, 1),
        "run_seconds": round(t2 - t1, 1),
        "slowest": f"{binaries[0][0]} {binaries[0][1]:.0f} s" if binaries else "none",
        "binaries": [{"name": n, "seconds": t} for n, t in binaries],
    }
    out = os.path.join(ROOT, "bench", "results", "test_suite.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for n, t in binaries[:8]:
        print(f"  {t:7.1f} s  {n}")
    print(f"test suite from a fresh clone of {commit}: {result['seconds']:.0f} s "
          f"(compile {result['compile_seconds']:.0f} s, tests {result['run_seconds']:.0f} s); written to {out}")
    if args.keep:
        print(f"clone kept in {clone}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
