#!/usr/bin/env python3
"""Long fuzz runs: ``python scripts/fuzz.py --count 20000 --jobs 2 [--seed N] [--minutes M]``.

Mutates the test documents of every format (see ``gongkai.testing.fuzz``), parses each in
a bounded worker, and prints the figures: inputs, reports, clear errors, failures
(internal errors, hangs, memory blow-ups) and the workers' peak memory. Each failure is
written to tests/files/hostile/fuzz-<kind>-<hash>.<ext>, which tests/test_fuzz.py parses
on every run from then on.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from gongkai.testing import fuzz  # noqa: E402
from test_fuzz import SEEDS  # noqa: E402

OUT = ROOT / "tests" / "files" / "hostile"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=2000, help="inputs per round")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--minutes", type=float, default=0, help="run rounds (seed, seed+1, ...) for this long")
    args = ap.parse_args()
    t0 = time.monotonic()
    total = fuzz.Run()
    seed = args.seed
    while True:
        r = fuzz.run(SEEDS, args.count, seed=seed, jobs=args.jobs)
        print(f"seed {seed}: {r.summary()}", flush=True)
        total.inputs += r.inputs
        total.ok += r.ok
        total.errors += r.errors
        total.failures += r.failures
        for k, v in r.by_kind.items():
            total.by_kind[k] = total.by_kind.get(k, 0) + v
        for f in r.failures:
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f.name).write_bytes(f.data)
            print(f"  {f.kind} from {f.seed_name} -> {f.name}: {f.detail.splitlines()[0][:300]}", flush=True)
        seed += 1
        if time.monotonic() - t0 > args.minutes * 60:
            break
    total.seconds = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"total: {total.summary()}; peak RSS of a worker {peak:.0f} MiB")


if __name__ == "__main__":
    main()
