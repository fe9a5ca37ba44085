#!/usr/bin/env python3
"""The adaptive retry mode's client-side rate limiter against botocore itself.

    python3 scripts/oracle_adaptive.py [--venv target/oracle-venv] [--events 2000]

Makes a seeded sequence of events (an attempt about to be sent, or a response that is or
is not a throttling error, at increasing times, with bursts of throttling), replays it
through botocore 1.44.8's own `ClientRateLimiter`, `TokenBucket`, `CubicCalculator` and
`RateClocker` on a fake clock (in the pinned virtualenv `oracle_companions.py` makes), and
through ours (the `adaptive_oracle` example of awsgen-tests), and compares after every
event: whether the limiter is on, the fill rate, the bucket's capacity and contents, the
measured rate, CUBIC's w_max, and how long a send must wait. Prints

    adaptive oracle: N events, M matched

and exits non-zero on any difference (relative tolerance 1e-9).
"""

import argparse
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_companions import ROOT, build_example, ensure_venv  # noqa: E402

BOTO = r'''
import json, sys
from botocore.exceptions import CapacityNotAvailableError
from botocore.retries import adaptive, bucket, throttling

class Clock:
    def __init__(self, t): self.t = t
    def current_time(self): return self.t
    def sleep(self, amount): raise AssertionError("no blocking in a replay")

class Detector:
    def is_throttling_error(self, **kwargs): return kwargs["throttled"]

spec = json.load(sys.stdin)
clock = Clock(float(spec["start"]))
cubic = throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time())
tb = bucket.TokenBucket(max_rate=1, clock=clock)
limiter = adaptive.ClientRateLimiter(rate_adjustor=cubic, rate_clocker=adaptive.RateClocker(clock),
                                     token_bucket=tb, throttling_detector=Detector(), clock=clock)
out = []
for e in spec["events"]:
    clock.t = float(e["t"])
    wait = None
    if e["kind"] == "send":
        wait = 0.0
        if limiter._enabled:
            try:
                tb.acquire(block=False)
            except CapacityNotAvailableError:
                wait = tb._sleep_amount(1)
    else:
        limiter.on_receiving_response(throttled=e["throttled"])
    out.append({"wait": wait, "enabled": limiter._enabled, "fill_rate": tb.max_rate,
                "max_capacity": tb.max_capacity, "capacity": tb.available_capacity,
                "measured_rate": limiter._rate_clocker.measured_rate,
                "w_max": cubic.get_params_snapshot().w_max})
print(json.dumps(out))
'''


def events(n, seed=20161101):
    rng = random.Random(seed)
    t = 1_700_000_000.25
    out, storm = [], 0
    for _ in range(n):
        t += rng.choice([0.001, 0.01, 0.05, 0.1, 0.3, 0.7, 2.0]) * rng.random()
        if rng.random() < 0.03:
            storm = rng.randint(3, 15)
        if rng.random() < 0.5:
            out.append({"t": repr(t), "kind": "send"})
        else:
            throttled = storm > 0 and rng.random() < 0.8
            storm = max(0, storm - 1)
            out.append({"t": repr(t), "kind": "response", "throttled": throttled})
    # Times as decimal strings, read exactly on both sides.
    return {"start": repr(1_700_000_000.0), "events": out}


def close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--venv", default=os.path.join(ROOT, "target", "oracle-venv"))
    ap.add_argument("--events", type=int, default=2000)
    opts = ap.parse_args()
    python = ensure_venv(opts.venv)
    ours_bin = build_example("adaptive_oracle")
    spec = json.dumps(events(opts.events))
    theirs = json.loads(subprocess.run([python, "-c", BOTO], input=spec, capture_output=True, text=True, check=True).stdout)
    ours = json.loads(subprocess.run([ours_bin], input=spec, capture_output=True, text=True, check=True).stdout)
    matched, shown = 0, 0
    for i, (a, b) in enumerate(zip(theirs, ours)):
        if a.keys() == b.keys() and all(close(a[k], b[k]) for k in a):
            matched += 1
        elif shown < 5:
            shown += 1
            print(f"event {i}: DIFFERENT\n  botocore: {a}\n  ours:     {b}")
    throttles = sum(1 for e in json.loads(spec)["events"] if e.get("throttled"))
    waits = sum(1 for a in theirs if a["wait"])
    print(f"({throttles} throttling responses, {waits} sends that had to wait)")
    print(f"adaptive oracle: {len(theirs)} events, {matched} matched")
    return 0 if matched == len(theirs) == len(ours) else 1


if __name__ == "__main__":
    sys.exit(main())
