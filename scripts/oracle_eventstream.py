#!/usr/bin/env python3
"""The event stream codec (`runtime/src/eventstream.rs`) against botocore's own decoder,
`botocore.eventstream.EventStreamBuffer`, on the same bytes (issue #29).

    python3 scripts/oracle_eventstream.py [--venv target/oracle-venv] [--messages 400] [--seed 29]

Three sets of streams, each decoded by botocore 1.44.8 (the pinned virtualenv of
`oracle_companions.py`) and by ours (the `eventstream_oracle` example of awsgen-tests):

- **the published vectors**: the positive and negative cases of botocore's own
  `tests/unit/test_eventstream.py`, read from the pinned sdist (the shared AWS SDK
  vectors: every header type, empty messages, corrupted lengths, headers and payloads, a
  duplicate header, headers and payloads over the limits; the 24 MiB payload case given
  by its prelude, which both refuse before the payload comes), each also checked against
  the decoding the test file expects;
- **a seeded random stream** written by an encoder of this script's own (not ours): every
  header type, empty, small and large payloads (up to 1 MiB); its small messages read one
  byte at a time (every split of every message), the whole stream in random reads;
- **corruptions and truncations**: a byte flipped at random in a message, and the stream
  cut at random points; both decoders must refuse the message (botocore raises, or leaves
  it unread at the end), and read the same messages before it.

Messages must be equal (headers in order, values in botocore's terms, payloads), and the
errors the same kind where botocore names one. Prints

    eventstream oracle: N streams (M messages), K matched

and exits non-zero on any difference.
"""

import argparse
import ast
import binascii
import json
import os
import random
import struct
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import BOTOCORE, ROOT, build_example, ensure_venv  # noqa: E402

# botocore's exceptions and ours, by kind.
KINDS = {
    "ChecksumMismatch": {"PreludeChecksum", "MessageChecksum"},
    "InvalidHeadersLength": {"HeadersTooLong"},
    "InvalidPayloadLength": {"PayloadTooLong"},
    "DuplicateHeader": {"DuplicateHeader"},
}

BOTO = r'''
import json, sys
from botocore.eventstream import EventStreamBuffer

def view(v):
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    return v

out = []
for case in json.load(sys.stdin):
    data = bytes.fromhex(case["hex"])
    chunks = case["chunks"] if isinstance(case["chunks"], list) else [1]
    buf = EventStreamBuffer()
    messages, error, at, i = [], None, 0, 0
    try:
        while at < len(data):
            n = max(1, chunks[min(i, len(chunks) - 1)])
            i += 1
            buf.add_data(data[at:at + n])
            at += n
            for m in buf:
                messages.append({"headers": [[k, view(v)] for k, v in m.headers.items()],
                                 "payload": m.payload.hex()})
    except Exception as e:
        error = type(e).__name__
    out.append({"messages": messages, "error": error,
                "truncated": error is None and len(buf._data) > 0})
print(json.dumps(out))
'''


def sdist_test_file(python):
    """botocore's `tests/unit/test_eventstream.py` from the pinned sdist (downloaded into
    target/botocore-sdist the first time, as `endpoint_tests.py` does)."""
    base = os.path.join(ROOT, "target", "botocore-sdist")
    tarball = os.path.join(base, f"botocore-{BOTOCORE}.tar.gz")
    if not os.path.exists(tarball):
        os.makedirs(base, exist_ok=True)
        subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        f"botocore=={BOTOCORE}", "-d", base], check=True)
    with tarfile.open(tarball) as tar:
        f = tar.extractfile(f"botocore-{BOTOCORE}/tests/unit/test_eventstream.py")
        return f.read().decode()


def vectors(source):
    """The test file's POSITIVE_CASES and NEGATIVE_CASES: (name, bytes, expected), the
    expected decoding as headers and payload, or the exception's name."""
    tree = ast.parse(source)
    env = {
        "EventStreamMessage": lambda prelude, headers, payload, crc: {"headers": headers, "payload": payload},
        "MessagePrelude": lambda **kw: kw,
    }
    for name in KINDS:
        env[name] = name
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            if target.isupper():
                try:
                    values[target] = eval(compile(ast.Expression(node.value), "<vectors>", "eval"), env)
                except Exception:
                    pass
    cases = []
    for group in ("POSITIVE_CASES", "NEGATIVE_CASES"):
        names = [e.id for e in next(n.value.elts for n in tree.body if isinstance(n, ast.Assign)
                                    and getattr(n.targets[0], "id", None) == group)]
        for n in names:
            encoded, expected = values[n]
            if len(encoded) > 1 << 20:
                # The 24 MiB payload: its prelude is where both refuse it.
                encoded = encoded[:12]
            cases.append((n, encoded, expected))
    return cases


def header(rng, name):
    t = rng.randrange(10)
    if t in (0, 1):
        return name, bytes([t]), t == 0
    if t == 2:
        v = rng.randint(-128, 127)
        return name, struct.pack("!Bb", 2, v), v
    if t == 3:
        v = rng.randint(-2**15, 2**15 - 1)
        return name, struct.pack("!Bh", 3, v), v
    if t == 4:
        v = rng.randint(-2**31, 2**31 - 1)
        return name, struct.pack("!Bi", 4, v), v
    if t in (5, 8):
        v = rng.randint(-2**63, 2**63 - 1)
        return name, struct.pack("!Bq", t, v), v
    if t == 6:
        v = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 16, 300])))
        return name, struct.pack("!BH", 6, len(v)) + v, {"hex": v.hex()}
    if t == 7:
        v = "".join(rng.choice("abc é—😀\n\"") for _ in range(rng.choice([0, 1, 12, 200])))
        b = v.encode()
        return name, struct.pack("!BH", 7, len(b)) + b, v
    v = bytes(rng.randrange(256) for _ in range(16))
    return name, bytes([9]) + v, {"hex": v.hex()}


def message(rng, large=False):
    """One message written by this script's encoder, and its decoding."""
    heads, raw = [], b""
    for k in range(rng.choice([0, 1, 3, 10])):
        name = rng.choice([":event-type", ":message-type", ":content-type", "x", "é-name"]) + f"-{k}"
        name, body, v = header(rng, name)
        n = name.encode()
        raw += bytes([len(n)]) + n + body
        heads.append([name, v])
    size = rng.choice([0, 1, 100, 4000]) if not large else rng.choice([65536, 300000, 1 << 20])
    payload = bytes(rng.randrange(256) for _ in range(min(size, 64))) * (size // 64 + 1)
    payload = payload[:size]
    total = 16 + len(raw) + len(payload)
    prelude = struct.pack("!II", total, len(raw))
    prelude += struct.pack("!I", binascii.crc32(prelude))
    body = prelude + raw + payload
    body += struct.pack("!I", binascii.crc32(body))
    return body, {"headers": heads, "payload": payload.hex()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    ap.add_argument("--messages", type=int, default=400)
    ap.add_argument("--seed", type=int, default=29)
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours_bin = build_example("eventstream_oracle")
    rng = random.Random(opts.seed)

    cases, expected = [], []
    for name, encoded, want in vectors(sdist_test_file(python)):
        for chunks in ("bytewise", [len(encoded)]):
            cases.append({"name": f"vector {name}", "hex": encoded.hex(), "chunks": chunks})
            expected.append(want)
    small = [message(rng) for _ in range(opts.messages)]
    stream = b"".join(b for b, _ in small)
    cases.append({"name": "random small messages, one byte a read", "hex": stream.hex(), "chunks": "bytewise"})
    expected.append([d for _, d in small])
    mixed = small[: opts.messages // 4] + [message(rng, large=True) for _ in range(6)]
    rng.shuffle(mixed)
    stream = b"".join(b for b, _ in mixed)
    sizes = [rng.choice([1, 7, 100, 4096, 65536]) for _ in range(len(stream) // 1000 + 1)]
    cases.append({"name": "random messages with large payloads, random reads", "hex": stream.hex(), "chunks": sizes})
    expected.append([d for _, d in mixed])
    for k in range(60):
        picked = [message(rng) for _ in range(3)]
        wire = [b for b, _ in picked]
        if k % 2 == 0:
            bad = bytearray(wire[1])
            i = rng.randrange(len(bad))
            bad[i] ^= 1 << rng.randrange(8)
            data = wire[0] + bytes(bad) + wire[2]
            what = f"byte {i} of the second message flipped"
        else:
            joined = b"".join(wire)
            cut = rng.randrange(len(wire[0]) + 1, len(joined))
            data = joined[:cut]
            what = f"cut at byte {cut} of {len(joined)}"
        cases.append({"name": what, "hex": data.hex(), "chunks": [rng.choice([1, 3, 50, 10000])]})
        expected.append(None)

    spec = json.dumps([{"hex": c["hex"], "chunks": c["chunks"]} for c in cases])
    theirs = json.loads(subprocess.run([python, "-c", BOTO], input=spec, capture_output=True, text=True,
                                       check=True).stdout)
    ours = json.loads(subprocess.run([ours_bin], input=spec, capture_output=True, text=True, check=True).stdout)

    matched, messages = 0, 0
    for case, want, a, b in zip(cases, expected, theirs, ours):
        problems = []
        if a["messages"] != b["messages"]:
            problems.append(f"messages differ: botocore {len(a['messages'])}, ours {len(b['messages'])}")
        if (a["error"] is None) != (b["error"] is None) or a["truncated"] != b["truncated"]:
            problems.append(f"botocore error {a['error']} truncated {a['truncated']}, "
                            f"ours error {b['error']} truncated {b['truncated']}")
        elif a["error"] in KINDS and b["error"] not in KINDS[a["error"]]:
            problems.append(f"botocore {a['error']}, ours {b['error']}")
        if isinstance(want, str) and a["error"] != want:
            problems.append(f"botocore's test file expects {want}, botocore gave {a['error']}")
        if isinstance(want, dict):
            heads = [[k, {"hex": v.hex()} if isinstance(v, bytes) else v] for k, v in want["headers"].items()]
            if b["messages"] != [{"headers": heads, "payload": want["payload"].hex()}]:
                problems.append("not the decoding botocore's test file expects")
        if isinstance(want, list) and b["messages"] != want:
            problems.append("not the messages written")
        if want is None and not (b["error"] or b["truncated"]):
            problems.append("the damaged stream was read without complaint")
        if problems:
            print(f"{case['name']}: DIFFERENT: " + "; ".join(problems))
        else:
            matched += 1
        messages += len(a["messages"])
    print(f"eventstream oracle: {len(cases)} streams ({messages} messages), {matched} matched")
    return 0 if matched == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
