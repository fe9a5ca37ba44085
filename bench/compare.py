#!/usr/bin/env python3
"""Our generated DMS client side by side with the official SDK and a bare hyper floor.

    python3 bench/compare.py [--runs 3] [--calls 20000] [--builds 1] [--skip-builds]

Measures, in one run, on this machine:
  - clean release build wall time of each minimal program (each in its own target dir,
    `cargo build --timings`), crates compiled, and the DMS crate's own compile time
    (ours also with the DeleteConnection allow-list);
  - stripped release binary size;
  - per-call latency (p50, p99), client CPU per call (user+sys / N) and peak RSS over
    --calls sequential DeleteConnection calls against a local keep-alive server,
    alternating the programs, repeated --runs times;
  - the wall time of a one-call process (start-up cost);
  - the generator's wall time for the whole DMS model (release binary).
Reports medians and ranges, writes bench/results/RESULTS.md, and exits non-zero when a
ratio misses its target (issue #5).
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROGRAMS = ["ours", "sdk", "floor"]
CRATE = {"ours": "awsgen-dms", "sdk": "aws-sdk-databasemigration", "floor": None}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def unit_times(timings_html):
    """Per-unit compile durations from `cargo build --timings` HTML."""
    text = open(timings_html).read()
    m = re.search(r"const UNIT_DATA = (\[.*?\]);", text, re.S)
    if not m:
        return []
    return json.loads(m.group(1))


def crate_time(units, name):
    """(start, duration) of a crate's library unit, and its build-script run if any."""
    lib = [u for u in units if u["name"] == name and u.get("mode") != "run-custom-build" and "build-script" not in u.get("target", "")]
    script_run = [u for u in units if u["name"] == name and u.get("mode") == "run-custom-build"]
    if not lib:
        return None
    start = min(u["start"] for u in lib + script_run)
    duration = sum(u["duration"] for u in lib + script_run)
    return start, duration


def clean_build(prog, env_extra=None, tag=None):
    tag = tag or prog
    target = os.path.join(HERE, "target", f"clean-{tag}")
    shutil.rmtree(target, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=target, CARGO_TERM_COLOR="never", **(env_extra or {}))
    t = time.time()
    p = subprocess.run(["cargo", "build", "--release", "--timings", "-p", f"bench-{prog}"], cwd=HERE, env=env, capture_output=True, text=True)
    wall = time.time() - t
    if p.returncode != 0:
        print(p.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"build of {prog} failed")
    crates = len(re.findall(r"^\s*Compiling ", p.stderr, re.M))
    html = os.path.join(target, "cargo-timings", "cargo-timing.html")
    units = unit_times(html) if os.path.exists(html) else []
    ct = crate_time(units, CRATE[prog]) if CRATE[prog] else None
    binary = os.path.join(target, "release", f"bench-{prog}")
    return {"wall": wall, "crates": crates, "crate_start": ct[0] if ct else None, "crate_time": ct[1] if ct else None, "binary": binary}


def stripped_size(binary):
    out = binary + ".stripped"
    shutil.copy(binary, out)
    run(["strip", out])
    return os.path.getsize(out)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def parse_line(line):
    return {k: float(v) for k, v in (kv.split("=") for kv in line.split())}


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def rng(xs):
    return f"{min(xs):.4g}–{max(xs):.4g}" if xs else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--builds", type=int, default=1, help="clean builds per program (each minutes long for the SDK)")
    ap.add_argument("--skip-builds", action="store_true", help="reuse the binaries of the last run")
    opts = ap.parse_args()
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)

    builds = {p: [] for p in PROGRAMS}
    builds["ours-delete-connection"] = []
    binaries = {}
    if not opts.skip_builds:
        for i in range(opts.builds):
            for prog in PROGRAMS:
                print(f"clean release build {i + 1}/{opts.builds}: {prog}", flush=True)
                b = clean_build(prog)
                builds[prog].append(b)
                binaries[prog] = b["binary"]
            print(f"clean release build {i + 1}/{opts.builds}: ours with AWSGEN_DMS_OPERATIONS=DeleteConnection", flush=True)
            builds["ours-delete-connection"].append(clean_build("ours", {"AWSGEN_DMS_OPERATIONS": "DeleteConnection"}, "ours-dc"))
        json.dump(builds, open(os.path.join(HERE, "results", "builds.json"), "w"), indent=1)
    else:
        builds = json.load(open(os.path.join(HERE, "results", "builds.json")))
        binaries = {p: builds[p][-1]["binary"] for p in PROGRAMS}
    sizes = {p: stripped_size(binaries[p]) for p in PROGRAMS}

    # The server, built in the shared bench target dir.
    run(["cargo", "build", "--release", "-q", "-p", "bench-server"], cwd=HERE)
    port = free_port()
    server = subprocess.Popen([os.path.join(HERE, "target", "release", "bench-server"), str(port)], stdout=subprocess.PIPE, text=True)
    server.stdout.readline()
    samples = {p: [] for p in PROGRAMS}
    startup = {p: [] for p in PROGRAMS}
    try:
        for r in range(opts.runs):
            for prog in PROGRAMS:
                out = subprocess.run([binaries[prog], str(port), str(opts.calls)], capture_output=True, text=True, check=True).stdout.strip()
                samples[prog].append(parse_line(out.splitlines()[-1]))
                print(f"run {r + 1}/{opts.runs} {prog}: {out}", flush=True)
        for _ in range(10):
            for prog in PROGRAMS:
                t = time.perf_counter()
                subprocess.run([binaries[prog], str(port), "1"], capture_output=True, check=True)
                startup[prog].append((time.perf_counter() - t) * 1000)
    finally:
        server.terminate()

    # Generator wall time (release binary, median of 7).
    run(["cargo", "build", "--release", "-q", "-p", "awsgen-codegen"], cwd=ROOT)
    gen = []
    outdir = os.path.join(HERE, "target", "gen-out")
    for _ in range(7):
        t = time.perf_counter()
        run([os.path.join(ROOT, "target", "release", "awsgen"), "generate", "--model", os.path.join(ROOT, "models", "dms", "2016-01-01"), "--out-dir", outdir], capture_output=True)
        gen.append(time.perf_counter() - t)

    def stat(prog, key):
        return med([s[key] for s in samples[prog]])

    def bstat(prog, key):
        return med([b[key] for b in builds[prog] if b.get(key) is not None])

    rows = []
    checks = []

    def row(label, key_fn, unit, target=None, lower_is_better=True, note=""):
        vals = {p: key_fn(p) for p in PROGRAMS}
        ratio = vals["ours"] / vals["sdk"] if vals["sdk"] else float("nan")
        ok = None
        if target is not None:
            ok = ratio <= target
            checks.append((label, ok))
        rows.append((label, vals, unit, ratio, target, ok, note))

    row("clean release build", lambda p: bstat(p, "wall"), "s", 1 / 3)
    row("crates compiled", lambda p: bstat(p, "crates"), "")
    row("DMS crate compile (lib + build script)", lambda p: bstat(p, "crate_time") if CRATE[p] else float("nan"), "s", 1 / 4)
    row("DMS crate starts at", lambda p: bstat(p, "crate_start") if CRATE[p] else float("nan"), "s")
    row("stripped binary", lambda p: sizes[p] / 1e6, "MB", 1 / 3)
    row("p50 latency", lambda p: stat(p, "p50_us"), "µs", 0.5)
    row("p99 latency", lambda p: stat(p, "p99_us"), "µs")
    row("client CPU per call", lambda p: stat(p, "cpu_per_call_us"), "µs", 0.5)
    row("peak RSS", lambda p: stat(p, "max_rss_kib") / 1024, "MiB")
    row("one-call process", lambda p: med(startup[p]), "ms")

    cpu_floor = stat("ours", "cpu_per_call_us") / stat("floor", "cpu_per_call_us")
    checks.append(("client CPU within 1.25x of the floor", cpu_floor <= 1.25))
    dc = med([b["crate_time"] for b in builds["ours-delete-connection"] if b.get("crate_time") is not None])
    checks.append(("DMS crate with the DeleteConnection allow-list in a few seconds (<= 5 s)", dc <= 5.0))
    checks.append(("generator, whole DMS model, under 0.5 s", med(gen) < 0.5))

    machine = f"{os.cpu_count()} cores, {subprocess.run(['uname', '-m'], capture_output=True, text=True).stdout.strip()}"
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on this project's machine kind ({machine}) by `python3 bench/compare.py "
        f"--runs {opts.runs} --calls {opts.calls} --builds {opts.builds}`: medians (range over runs).",
        "",
        "| | ours (awsgen-dms) | official SDK (aws-sdk-databasemigration + aws-config) | bare hyper floor | ours / SDK | target |",
        "|---|---|---|---|---|---|",
    ]
    for label, vals, unit, ratio, target, ok, _ in rows:
        def fmt(p):
            v = vals[p]
            if v != v:  # NaN
                return "–"
            src = None
            if label.endswith("latency") or label == "client CPU per call":
                key = {"p50 latency": "p50_us", "p99 latency": "p99_us", "client CPU per call": "cpu_per_call_us"}[label]
                src = [s[key] for s in samples[p]]
            elif label == "one-call process":
                src = startup[p]
            spread = f" ({rng(src)})" if src and len(src) > 1 else ""
            return f"{v:.4g} {unit}{spread}".strip()
        tgt = f"≤ {target:.2g} {'✅' if ok else '❌'}" if target is not None else ""
        lines.append(f"| {label} | {fmt('ours')} | {fmt('sdk')} | {fmt('floor')} | {ratio:.3g} | {tgt} |")
    lines += [
        "",
        f"- client CPU per call, ours / floor: {cpu_floor:.3g} (target ≤ 1.25 {'✅' if cpu_floor <= 1.25 else '❌'})",
        f"- DMS crate with `AWSGEN_DMS_OPERATIONS=DeleteConnection`: {dc:.3g} s (target a few seconds {'✅' if dc <= 5 else '❌'})",
        f"- generator, whole DMS model, release: {med(gen) * 1000:.0f} ms (range {rng([g * 1000 for g in gen])} ms; target < 500 ms {'✅' if med(gen) < 0.5 else '❌'})",
    ]
    report = "\n".join(lines) + "\n"
    with open(os.path.join(HERE, "results", "RESULTS.md"), "w") as f:
        f.write(report)
    print(report)
    missed = [label for label, ok in checks if not ok]
    if missed:
        print("targets missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
