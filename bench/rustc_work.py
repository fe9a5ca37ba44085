#!/usr/bin/env python3
"""How much work rustc does to compile a generated client: its instruction count.

    python3 bench/rustc_work.py [--model tests/fixtures/models/s3/2006-03-01] [--passes]

Compile times on a shared two-core machine vary by a third from one run to the next;
the number of instructions rustc executes does not (valgrind's cachegrind counts them,
about 30 times slower than a normal compile: some minutes for S3). So changes to the
generated code are compared by this count, and `bench/s3.py` gives the seconds.

The script generates the model with this checkout's generator (the `awsgen` CLI,
release), writes it into a scratch crate under `bench/target/rustc-work` that depends on
this checkout's runtime, builds that crate once (dependencies included), then runs the
generated crate's own rustc command again under `valgrind --tool=cachegrind` and prints
the count. `--passes` also prints `-Z time-passes` for one plain run (wall times: noisy).
Needs valgrind (`apt-get install valgrind`).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tests/fixtures/models/s3/2006-03-01")
    ap.add_argument("--passes", action="store_true", help="also print -Z time-passes")
    opts = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("rustc_work: valgrind is not installed (apt-get install valgrind)")

    work = os.path.join(HERE, "target", "rustc-work")
    src = os.path.join(work, "src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(work, "Cargo.toml"), "w") as f:
        f.write(
            '[package]\nname = "rustc-work"\nversion = "0.0.0"\nedition = "2021"\n\n'
            f'[dependencies]\nawsgen-runtime = {{ path = "{os.path.join(ROOT, "runtime")}" }}\n\n'
            "[workspace]\n\n[profile.release]\ndebug = false\n"
        )
    with open(os.path.join(src, "lib.rs"), "w") as f:
        f.write('#![allow(missing_docs)]\ninclude!("generated.rs");\n')
    run(["cargo", "run", "-q", "--release", "-p", "awsgen-codegen", "--bin", "awsgen", "--",
         "generate", "--model", os.path.join(ROOT, opts.model), "--out-dir", src,
         "--file-name", "generated.rs"], cwd=ROOT, stdout=subprocess.DEVNULL)
    lines = sum(1 for _ in open(os.path.join(src, "generated.rs")))

    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(work, "target"))
    run(["cargo", "build", "--release", "-q"], cwd=work, env=env)
    # The crate's own rustc command, as cargo runs it (cargo rebuilds it after a touch).
    os.utime(os.path.join(src, "lib.rs"))
    out = run(["cargo", "build", "--release", "-v"], cwd=work, env=env,
              capture_output=True, text=True).stderr
    cmd = next((m.group(1) for m in re.finditer(r"Running `(.*)`", out)
                if "--crate-name rustc_work" in m.group(1)), None)
    if cmd is None:
        sys.exit("rustc_work: cargo did not show the crate's rustc command")

    cg = os.path.join(work, "cachegrind.out")
    res = subprocess.run(f"valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file={cg} {cmd}",
                         shell=True, cwd=work, capture_output=True, text=True)
    if '"level":"error"' in res.stdout or res.returncode != 0:
        sys.exit(f"rustc_work: the generated crate did not compile:\n{res.stdout[-2000:]}")
    refs = re.search(r"I\s+refs:\s+([\d,]+)", res.stderr)
    if refs is None:
        sys.exit(f"rustc_work: no count from cachegrind:\n{res.stderr[-2000:]}")
    count = int(refs.group(1).replace(",", ""))
    print(f"rustc_work: {opts.model}: {lines} lines generated, "
          f"rustc executed {count / 1e9:.2f} G instructions to compile them (release)")
    if opts.passes:
        t = subprocess.run(f"{cmd} -Z time-passes", shell=True, cwd=work, capture_output=True,
                           text=True, env=dict(os.environ, RUSTC_BOOTSTRAP="1"))
        for line in t.stderr.splitlines():
            m = re.match(r"time:\s+([\d.]+);.*\t(\S+)$", line)
            if m and float(m.group(1)) >= 0.1:
                print(f"  {m.group(2)}: {m.group(1)} s")


if __name__ == "__main__":
    main()
