"""The dependency graph of workspace packages as Cargo.lock resolves it (for
advisory_check.py and msrv_check.py)."""

import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def metadata(*extra):
    """`cargo metadata` of the workspace (locked), with `extra` arguments."""
    return json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", *extra],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)


def closure(meta, roots):
    """Ids of `roots` (package ids) and everything they need to build: normal and build
    dependencies, transitively (never dev-dependencies)."""
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    seen, stack = set(), list(roots)
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        for dep in nodes[pid]["deps"]:
            if any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
                stack.append(dep["pkg"])
    return seen
