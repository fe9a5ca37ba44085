#!/usr/bin/env python3
"""The large-response case of `compare.py`: a DescribeEndpoints response body of about
1 MB, made from the pinned DMS model.

    python3 bench/describe_endpoints.py [--endpoints 1000] > body.json

Each endpoint has every top-level member of `Endpoint` set, and one settings structure
(rotating through all of them, as each endpoint has one engine) with every member set,
recursively: strings, enums, integers, booleans, lists and maps. Deterministic.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(os.path.dirname(HERE), "models", "dms", "2016-01-01", "service-2.json")


def value(shapes, name, i, depth=0):
    shape = shapes[name]
    t = shape["type"]
    if t == "structure":
        return {m: value(shapes, ref["shape"], i + k, depth + 1)
                for k, (m, ref) in enumerate(sorted(shape.get("members", {}).items()))
                if depth < 4}
    if t == "list":
        return [value(shapes, shape["member"]["shape"], i + k, depth + 1) for k in range(2)]
    if t == "map":
        return {f"key-{k}": value(shapes, shape["value"]["shape"], i + k, depth + 1) for k in range(2)}
    if t == "string":
        enum = shape.get("enum")
        return enum[i % len(enum)] if enum else f"value-{i:06d}"
    if t in ("integer", "long"):
        return 1000 + i % 50000
    if t == "boolean":
        return i % 2 == 0
    if t in ("double", "float"):
        return (i % 1000) / 8
    if t == "timestamp":
        return 1700000000 + i
    if t == "blob":
        return "YmxvYg=="
    raise SystemExit(f"describe_endpoints: no value for type {t} ({name})")


def body(endpoints=1000, model=MODEL):
    shapes = json.load(open(model))["shapes"]
    members = shapes["Endpoint"]["members"]
    settings = sorted(m for m, ref in members.items() if shapes[ref["shape"]]["type"] == "structure")
    scalars = sorted(m for m in members if m not in settings)
    out = []
    for i in range(endpoints):
        ep = {m: value(shapes, members[m]["shape"], i) for m in scalars}
        ep["EndpointArn"] = f"arn:aws:dms:us-east-1:123456789012:endpoint:EP{i:06d}"
        ep["EndpointIdentifier"] = f"endpoint-{i:06d}"
        chosen = settings[i % len(settings)]
        ep[chosen] = value(shapes, members[chosen]["shape"], i)
        out.append(ep)
    return json.dumps({"Endpoints": out, "Marker": "next-page"}, separators=(",", ":")).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoints", type=int, default=1000)
    args = ap.parse_args()
    sys.stdout.buffer.write(body(args.endpoints))


if __name__ == "__main__":
    main()
