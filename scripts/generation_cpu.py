#!/usr/bin/env python3
"""CPU time of the release `awsgen` command generating every model of botocore's data.

    python3 scripts/generation_cpu.py <botocore/data dir> [<awsgen binary>]

Runs `awsgen generate` once per model version (its `service-2.json` or `.json.gz`) into a
scratch directory and prints the count, how many generated (the others are refused as
protocols the generator does not speak), and the children's CPU time (user + system)
and wall time. The binary defaults to target/release/awsgen (build it first with
`cargo build --release -p awsgen-codegen`). Issue #26's target: 60 s of CPU for all
478 model versions of botocore 1.44.8.
"""
import os, resource, subprocess, sys, tempfile, time
data = sys.argv[1]
awsgen = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "target", "release", "awsgen")
out = tempfile.mkdtemp()
n = ok = 0
t = time.time()
before = resource.getrusage(resource.RUSAGE_CHILDREN)
for svc in sorted(os.listdir(data)):
    sdir = os.path.join(data, svc)
    if not os.path.isdir(sdir): continue
    for ver in sorted(os.listdir(sdir)):
        vdir = os.path.join(sdir, ver)
        if not any(os.path.exists(os.path.join(vdir, f)) for f in ("service-2.json", "service-2.json.gz")): continue
        n += 1
        p = subprocess.run([awsgen, "generate", "--model", vdir, "--out-dir", out, "--file-name", "g.rs"], capture_output=True)
        ok += p.returncode == 0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{n} model versions, {ok} generated, {n-ok} refused (other protocols); CPU {cpu:.1f} s (user {after.ru_utime-before.ru_utime:.1f}, sys {after.ru_stime-before.ru_stime:.1f}), wall {time.time()-t:.1f} s")
