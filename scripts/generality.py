#!/usr/bin/env python3
"""Generate and compile a client for every botocore model of a protocol awsgen speaks.

    python3 scripts/generality.py <botocore/data dir> <work dir> [--no-check] [--debug] [--only a,b,c]
                                  [--protocols json,rest-json]

<botocore/data dir> is the `botocore/data` folder of the botocore wheel (files may be
gzipped). For every service version whose metadata says `"protocol": "json"` or lists
`json` in `"protocols"` (41 models list it after `smithy-rpc-v2-cbor`), or else offers
`rest-json` (each model is counted under the protocol the generator picks), the script
runs the release `awsgen` command on it (generation errors are reported per service),
then makes one crate per generated client in <work dir> (each `#![deny(warnings)]`,
depending on this repo's runtime) and runs one `cargo check --keep-going` over all of
them, attributing errors to services. It prints one line per service and a summary:

    paginators: P in the files, P generated; waiters: W in the files, W generated
    generality: N models (json J, rest-json R), G generated, C compiled (T s)

and exits non-zero if any model failed. CI runs it on the sample in
tests/fixtures/botocore-sample; the note of issue #4 gives the full run.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Models that offer no protocol asked for, with what they offer (printed with the summary).
SKIPPED = []
# The protocol each model is generated with.
PROTOCOL = {}


def chosen_protocol(meta):
    """The protocol botocore picks (its PRIORITY_ORDERED_SUPPORTED_PROTOCOLS over the
    model's `protocols`, or its `protocol`), as the generator does."""
    offered = list(meta.get("protocols") or []) or [meta.get("protocol")]
    for p in ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2"):
        if p in offered:
            return p
    return None


def models(data_dir, only, protocols):
    for svc in sorted(os.listdir(data_dir)):
        sdir = os.path.join(data_dir, svc)
        if not os.path.isdir(sdir) or (only and svc not in only):
            continue
        for ver in sorted(os.listdir(sdir)):
            vdir = os.path.join(sdir, ver)
            for name in ("service-2.json", "service-2.json.gz"):
                path = os.path.join(vdir, name)
                if os.path.exists(path):
                    opener = gzip.open if name.endswith(".gz") else open
                    with opener(path, "rb") as f:
                        text = f.read()
                    try:
                        meta = json.loads(text)["metadata"]
                    except (ValueError, KeyError):
                        meta = {}
                    chosen = chosen_protocol(meta)
                    if chosen in protocols:
                        PROTOCOL[f"{svc}-{ver}"] = chosen
                        yield svc, ver, vdir, text
                    else:
                        SKIPPED.append(f"{svc}-{ver}: {meta.get('protocol', 'no protocol')} "
                                       f"(protocols: {', '.join(meta.get('protocols') or []) or 'none listed'})")
                    break


def load_json(vdir, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(vdir, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                return json.loads(f.read())
    return None


def companion_counts(vdir):
    """(paginators, waiters) the model's companion files define."""
    pag = load_json(vdir, "paginators-1.json") or {}
    wait = load_json(vdir, "waiters-2.json") or {}
    return len(pag.get("pagination", {})), len(wait.get("waiters", {}))


def main():
    ap = argparse.ArgumentParser(description="Generate and compile every botocore json model.")
    ap.add_argument("data_dir", help="botocore/data of the botocore wheel (or a folder laid out like it)")
    ap.add_argument("work", help="where models, crates and the report go")
    ap.add_argument("--no-check", action="store_true", help="generate only, do not cargo check")
    ap.add_argument("--debug", action="store_true", help="use a debug build of the generator")
    ap.add_argument("--only", default="", help="comma-separated service names")
    ap.add_argument("--protocols", default="json,rest-json", help="comma-separated: json, rest-json, rest-xml, smithy-rpc-v2-cbor, query, ec2")
    opts = ap.parse_args()
    data_dir, work = os.path.abspath(opts.data_dir), os.path.abspath(opts.work)
    check = not opts.no_check
    only = set(filter(None, opts.only.split(",")))
    protocols = set(filter(None, opts.protocols.split(",")))
    start = time.time()
    profile = "debug" if opts.debug else "release"
    build = ["cargo", "build", "-q", "-p", "awsgen-codegen"] + ([] if profile == "debug" else ["--release"])
    subprocess.run(build, cwd=ROOT, check=True)
    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    awsgen = os.path.join(target_dir, profile, "awsgen")
    crates_dir = os.path.join(work, "crates")
    shutil.rmtree(crates_dir, ignore_errors=True)
    os.makedirs(crates_dir)
    results = {}  # name -> (generated, error)
    counts = {}  # name -> ((paginators, waiters) in the files, (paginators, waiters) generated)
    crates = []
    gen_time = 0.0
    for svc, ver, vdir, text in models(data_dir, only, protocols):
        name = f"{svc}-{ver}"
        crate = "gen_" + re.sub(r"[^a-z0-9]", "_", name.lower())
        cdir = os.path.join(crates_dir, crate)
        os.makedirs(os.path.join(cdir, "src"))
        t = time.time()
        # The generator reads the model and its companion files (endpoint rules,
        # paginators, waiters) straight from the wheel's folder, gzipped or not.
        # With the blocking client and the typed mocks, each behind a feature the crate
        # turns on, so that every part of the generated code is checked.
        p = subprocess.run([awsgen, "generate", "--model", vdir, "--out-dir", os.path.join(cdir, "src"), "--file-name", "generated.rs",
                            "--blocking-feature", "blocking", "--test-util-feature", "test-util"], capture_output=True, text=True)
        gen_time += time.time() - t
        if p.returncode != 0:
            results[name] = (False, p.stderr.strip())
            shutil.rmtree(cdir)
            continue
        results[name] = (True, None)
        with open(os.path.join(cdir, "src", "generated.rs")) as f:
            code = f.read()
        expected = companion_counts(vdir)
        found = (len(re.findall(r"paginator::Paginate\s+for\s", code)), len(re.findall(r"waiter::Wait\s+for\s", code)))
        counts[name] = (expected, found)
        with open(os.path.join(cdir, "Cargo.toml"), "w") as f:
            f.write(f'[package]\nname = "{crate}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
                    f'[dependencies]\nawsgen-runtime = {{ path = "{os.path.join(ROOT, "runtime")}", features = ["gzip"] }}\n\n'
                    '[features]\ndefault = ["blocking", "test-util"]\nblocking = ["awsgen-runtime/blocking"]\ntest-util = ["awsgen-runtime/test-util"]\n')
        with open(os.path.join(cdir, "src", "lib.rs"), "w") as f:
            f.write('#![deny(warnings)]\ninclude!("generated.rs");\n')
        crates.append((name, crate))
    compiled = {}
    if check and crates:
        with open(os.path.join(work, "Cargo.toml"), "w") as f:
            members = ",\n".join(f'    "crates/{c}"' for _, c in crates)
            f.write(f'[workspace]\nresolver = "2"\nmembers = [\n{members}\n]\n\n[profile.dev]\ndebug = false\n')
        lock = os.path.join(ROOT, "Cargo.lock")
        if os.path.exists(lock):
            shutil.copy(lock, os.path.join(work, "Cargo.lock"))
        # A shared target dir (CARGO_TARGET_DIR) reuses the runtime's compiled dependencies.
        env = dict(os.environ, CARGO_TARGET_DIR=os.environ.get("CARGO_TARGET_DIR", os.path.join(work, "target")))
        p = subprocess.run(["cargo", "check", "--workspace", "--keep-going", "--message-format", "short"], cwd=work, capture_output=True, text=True, env=env)
        failed_crates = set(re.findall(r"could not compile `([^`]+)`", p.stderr))
        errors_by_crate = {}
        for line in p.stderr.splitlines():
            m = re.search(r"crates/(gen_[a-z0-9_]+)/src/generated\.rs:\d+:\d+: (error.*)", line)
            if m:
                errors_by_crate.setdefault(m.group(1), []).append(m.group(2))
        for name, crate in crates:
            ok = crate not in failed_crates
            compiled[name] = (ok, "; ".join(errors_by_crate.get(crate, [])[:3]) if not ok else None)
        if p.returncode != 0 and not failed_crates:
            print(p.stderr[-4000:], file=sys.stderr)
    for name in sorted(results):
        gen_ok, gen_err = results[name]
        if not gen_ok:
            print(f"{name}: generation failed: {gen_err}")
        elif check:
            ok, err = compiled.get(name, (False, "not checked"))
            print(f"{name}: {'ok' if ok else 'compile failed: ' + (err or 'see cargo output')}")
        else:
            print(f"{name}: generated")
    n = len(results)
    g = sum(1 for ok, _ in results.values() if ok)
    pe, pg = sum(e[0] for e, _ in counts.values()), sum(f[0] for _, f in counts.values())
    we, wg = sum(e[1] for e, _ in counts.values()), sum(f[1] for _, f in counts.values())
    for name, (e, f) in sorted(counts.items()):
        if e != f:
            print(f"{name}: paginators/waiters in the files {e}, generated {f}")
    print(f"paginators: {pe} in the files, {pg} generated; waiters: {we} in the files, {wg} generated")
    c = sum(1 for ok, _ in compiled.values() if ok) if check else 0
    print(f"skipped: {len(SKIPPED)} models that offer none of {', '.join(sorted(protocols))}"
          + (f" (e.g. {SKIPPED[0]})" if SKIPPED else ""))
    by = lambda p: sum(1 for k in results if PROTOCOL.get(k) == p)  # noqa: E731
    counts = ", ".join(f"{p} {by(p)}" for p in ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2") if p in protocols)
    print(f"generality: {n} models ({counts}), {g} generated, "
          f"{c if check else 'unchecked'} compiled "
          f"(generation {gen_time:.1f} s, total {time.time() - start:.0f} s)")
    return 0 if g == n and (not check or c == n) and (pe, we) == (pg, wg) else 1


if __name__ == "__main__":
    sys.exit(main())
