"""Parse throughput of this tree against another revision, side by side.

On a shared machine one run cannot tell a 3 % change from noise, so the two trees run in
turns (this tree, then the other, ``--rounds`` times), each parsing the same seed texts in a
fresh process, and the best rate of each is compared:

    .venv/bin/python benchmarks/compare_parse.py --base HEAD~3 [--rounds 6] [--reports 4000]

``--steps REV REV ...`` measures a chain of revisions the same way (all in turns) and
prints what each step costs against the one before: a series of small changes, each
undo or trick on its own.

    .venv/bin/python benchmarks/compare_parse.py --steps HEAD~4 HEAD~3 HEAD~2 HEAD~1 HEAD

``--instructions`` counts instructions instead of CPU time, with valgrind's cachegrind
(a run of ``--reports`` reports, 100 by default, less a run of none): the same count on a
quiet or a loaded machine, one run each, so a change of under 1 % shows. It counts work,
not time: cache misses are not in it, so keep the CPU-time comparison for the final figure.

    .venv/bin/python benchmarks/compare_parse.py --base HEAD~1 --instructions

Other revisions are checked out into temporary git worktrees (removed afterwards) and
imported from there with PYTHONPATH, so all run on this virtual environment.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"

# the child: warm up on every text, freeze the start-up heap (as batch programs do), then
# parse ``n`` reports and print reports per CPU-second
CHILD = """
import gc, sys, time
from pathlib import Path
from gongkai.api import parse_bytes
texts = [p.read_bytes() for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
for t in texts:
    parse_bytes(t)
gc.freeze()
n = int(sys.argv[2])
start = time.process_time()
for i in range(n):
    parse_bytes(texts[i % len(texts)])
if n:
    print(n / (time.process_time() - start))
"""


def rate(src: Path, corpus: Path, reports: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(reports)], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def instructions(src: Path, corpus: Path, reports: int) -> float:
    """Instructions a report (cachegrind): a run of ``reports`` less a run of none, which
    leaves out the start-up and the warm-up. String hashing is fixed so counts repeat."""

    def count(n: int) -> int:
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0"}
        cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        out = subprocess.run(
            [*cmd, sys.executable, "-c", CHILD, str(corpus), str(n)], env=env, capture_output=True, text=True, check=True
        )
        m = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
        if m is None:
            sys.exit("valgrind printed no instruction count:\n" + out.stderr[-2000:])
        return int(m.group(1).replace(",", ""))

    return (count(reports) - count(0)) / reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="the revision to compare with (e.g. HEAD~3, a tag, a commit)")
    ap.add_argument("--steps", nargs="+", metavar="REV", help="a chain of revisions, oldest first: each step's cost")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--reports", type=int, help="reports per run (4000; 100 with --instructions)")
    ap.add_argument("--corpus", type=Path, default=SEEDS, help="folder of *.txt reports")
    ap.add_argument("--instructions", action="store_true", help="count instructions (cachegrind), one run a tree")
    args = ap.parse_args(argv)
    if not any(args.corpus.glob("*.txt")):
        sys.exit(f"no *.txt reports in {args.corpus} (use --corpus)")
    if not (args.base or args.steps):
        ap.error("--base or --steps is required")
    if args.instructions:
        if shutil.which("valgrind") is None:
            sys.exit("--instructions needs valgrind (apt-get install valgrind)")
        return count_steps(args.steps or [args.base, None], args.reports or 100, args.corpus)
    reports = args.reports or 4000
    if args.steps:
        return steps(args.steps, args.rounds, reports, args.corpus)

    with tempfile.TemporaryDirectory(prefix="gongkai-base-") as tmp:
        base = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            here: list[float] = []
            there: list[float] = []
            for i in range(args.rounds):
                here.append(rate(ROOT / "src", args.corpus, reports))
                there.append(rate(base / "src", args.corpus, reports))
                print(f"  round {i + 1}: this tree {here[-1]:,.0f}, {args.base} {there[-1]:,.0f} reports/CPU-s")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    print(f"best: this tree {max(here):,.0f}, {args.base} {max(there):,.0f} reports/CPU-s: {max(here) / max(there):.3f}x")
    return 0


def steps(revs: list[str], rounds: int, reports: int, corpus: Path) -> int:
    best: dict[str, float] = dict.fromkeys(revs, 0.0)
    with tempfile.TemporaryDirectory(prefix="gongkai-steps-") as tmp:
        trees = {rev: Path(tmp) / f"tree{i}" for i, rev in enumerate(revs)}
        for rev, tree in trees.items():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
        try:
            for i in range(rounds):
                rates = {rev: rate(tree / "src", corpus, reports) for rev, tree in trees.items()}
                for rev, r in rates.items():
                    best[rev] = max(best[rev], r)
                print(f"  round {i + 1}: " + ", ".join(f"{rev} {r:,.0f}" for rev, r in rates.items()) + " reports/CPU-s")
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    print(f"best of {rounds} (reports per CPU-second), each step against the one before:")
    for prev, rev in zip([None, *revs], revs, strict=False):
        step = "" if prev is None else f"  {best[rev] / best[prev] - 1:+.1%} against {prev}"
        print(f"  {rev}: {best[rev]:,.0f}{step}")
    return 0


def count_steps(revs: list[str | None], reports: int, corpus: Path) -> int:
    """Instructions a report for each revision (None: this tree), each against the one before."""
    counts: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-count-") as tmp:
        for i, rev in enumerate(revs):
            name = rev or "this tree"
            if rev is None:
                counts[name] = instructions(ROOT / "src", corpus, reports)
            else:
                tree = Path(tmp) / f"tree{i}"
                subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
                try:
                    counts[name] = instructions(tree / "src", corpus, reports)
                finally:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
            print(f"  {name}: {counts[name] / 1e6:.3f} M instructions a report")
    names = list(counts)
    for prev, name in pairwise(names):
        print(f"{name} against {prev}: {counts[name] / counts[prev] - 1:+.2%} instructions, {counts[prev] / counts[name]:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
