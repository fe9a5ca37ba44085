#!/usr/bin/env python3
"""Fails when the modules of a crate depend on each other in a cycle.

    python3 scripts/module_cycles.py codegen/src runtime/src

A module is a top-level file or directory of `src/` (`client.rs`, `resolve/`); it depends
on another when its code names `crate::<other>` (in a `use` or a path), or a sibling
module names it through `super::`. Test modules (`#[cfg(test)]` to the end of a file) are
left out. ARCHITECTURE.md states the invariant this checks.
"""

import os
import re
import sys


def modules(src):
    out = {}
    for entry in sorted(os.listdir(src)):
        path = os.path.join(src, entry)
        if entry.endswith(".rs") and entry not in ("lib.rs", "main.rs"):
            out[entry[:-3]] = [path]
        elif os.path.isdir(path):
            out[entry] = [
                os.path.join(root, f) for root, _, files in os.walk(path) for f in files if f.endswith(".rs")
            ]
    return out


def code(path):
    """The file's code: no tests, no comments (doc links are not dependencies)."""
    text = open(path).read()
    cut = text.find("#[cfg(test)]")
    text = text if cut < 0 else text[:cut]
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def edges(src):
    mods = modules(src)
    graph = {m: set() for m in mods}
    for m, files in mods.items():
        for f in files:
            text = code(f)
            for name in re.findall(r"\bcrate::(\w+)", text):
                if name in mods and name != m:
                    graph[m].add(name)
            # `use crate::{a, b::C}` groups
            for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
                for name in re.findall(r"(?:^|,)\s*(\w+)", group):
                    if name in mods and name != m:
                        graph[m].add(name)
    return graph


def cycle(graph):
    state = {}
    stack = []

    def visit(n):
        state[n] = "open"
        stack.append(n)
        for d in sorted(graph[n]):
            if state.get(d) == "open":
                return stack[stack.index(d):] + [d]
            if d not in state:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[n] = "done"
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main():
    failed = False
    for src in sys.argv[1:] or ["codegen/src", "runtime/src"]:
        found = cycle(edges(src))
        if found:
            print(f"module cycle in {src}: {' -> '.join(found)}")
            failed = True
        else:
            print(f"module cycles: none in {src}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
