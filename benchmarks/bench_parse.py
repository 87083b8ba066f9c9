"""Parse throughput and memory: text reports through ``gongkai.api.parse_bytes``.

The shared seed texts (or synthetic reports from ``gongkai.testing.fixtures`` in every text layout)
are replicated in memory, as bytes, to ``--reports`` reports (10,000 by default), parsed
once in this process and once with all cores (multiprocessing, chunked), and the rates and
peak memory are printed against the project's targets:

    >= 500 text reports per second per core, peak RSS < 200 MB per process.

Peak memory is the kernel's high-water mark (``getrusage`` maxrss) of this process and of
the largest worker, so no tracing slows the parse down. Rates are given per wall second and
per CPU second; on a shared machine the CPU-second rate is the one to hold against the
per-core target.

    .venv/bin/python benchmarks/bench_parse.py [--reports N] [--workers K] [--source seeds|synthetic|both]
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from gongkai.api import parse_bytes

TARGET_PER_CORE = 500.0  # reports per second
TARGET_PEAK_MB = 200.0
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

_CORPUS: list[bytes] = []  # the workers inherit it (fork) or receive it once (spawn)


def seed_texts(corpus: Path) -> list[bytes]:
    files = sorted(corpus.glob("*.txt"))
    if not files:
        sys.exit(f"no *.txt seed texts in {corpus} (use --corpus)")
    return [f.read_bytes() for f in files]


def synthetic_texts(n: int, seed: int = 0) -> list[bytes]:
    """``n`` distinct random reports, each in one of the text layouts."""
    from gongkai.render import LAYOUTS, blank_marks_for, render_text
    from gongkai.testing.fixtures import random_report

    out: list[bytes] = []
    rng = random.Random(seed)
    for i in range(n):
        spec = random_report(random.Random(rng.getrandbits(32)), rng.choice(("2019", "2021")))
        layout = LAYOUTS[i % len(LAYOUTS)]
        mark = rng.choice(blank_marks_for(spec, layout))
        out.append(render_text(spec, layout, blank_mark=mark, seed=i).encode("utf-8"))
    return out


def _init(corpus: list[bytes]) -> None:
    global _CORPUS
    _CORPUS = corpus


def _parse_chunk(bounds: tuple[int, int]) -> tuple[int, int, Counter[str]]:
    """Parse reports [a, b) of the replicated corpus; return (reports, cells, formats)."""
    a, b = bounds
    n_cells = 0
    formats: Counter[str] = Counter()
    for i in range(a, b):
        data = _CORPUS[i % len(_CORPUS)]
        report = parse_bytes(data, f"<report {i}>")
        n_cells += len(report.cells)
        formats[report.format or "none"] += 1
    return b - a, n_cells, formats


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_single(n: int) -> float:
    """Returns reports per CPU second (the machine may be shared: wall time would lie)."""
    t, c = time.perf_counter(), time.process_time()
    _, cells, formats = _parse_chunk((0, n))
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    print(
        f"  one process : {n} reports in {dt:.2f} s wall = {n / dt:,.0f} reports/s;"
        f" {cpu:.2f} s CPU = {n / cpu:,.0f} reports/CPU-s ({cells / n:.0f} cells/report, formats {dict(formats)})"
    )
    return n / cpu


def run_parallel(n: int, workers: int, chunk: int) -> float:
    """Returns reports per CPU second of the workers."""
    chunks = [(a, min(a + chunk, n)) for a in range(0, n, chunk)]
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    t, c = time.perf_counter(), _children_cpu()
    pool = ctx.Pool(workers, initializer=_init, initargs=(_CORPUS,))
    done = sum(r for r, _, _ in pool.imap_unordered(_parse_chunk, chunks))
    pool.close()
    pool.join()  # reaped workers count in RUSAGE_CHILDREN (CPU time and maxrss)
    dt, cpu = time.perf_counter() - t, _children_cpu() - c
    assert done == n
    print(
        f"  {workers} processes: {n} reports in {dt:.2f} s wall = {n / dt:,.0f} reports/s ({n / dt / workers:,.0f} per core);"
        f" {cpu:.2f} s CPU = {n / cpu:,.0f} reports/CPU-s ({method}, chunks of {chunk})"
    )
    return n / cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of seed *.txt reports")
    ap.add_argument("--reports", type=int, default=10_000, help="reports to parse per run (default 10000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the parallel run")
    ap.add_argument("--chunk", type=int, default=50, help="reports per task in the parallel run")
    ap.add_argument("--source", choices=("seeds", "synthetic", "both"), default="seeds")
    ap.add_argument("--synthetic", type=int, default=300, help="distinct synthetic reports (with --source synthetic/both)")
    ap.add_argument("--skip-single", action="store_true", help="only the parallel run")
    args = ap.parse_args(argv)

    corpus: list[bytes] = []
    if args.source in ("seeds", "both"):
        corpus += seed_texts(args.corpus)
    if args.source in ("synthetic", "both"):
        corpus += synthetic_texts(args.synthetic)
    _init(corpus)
    size = sum(len(c) for c in corpus) / len(corpus)
    print(
        f"corpus: {len(corpus)} distinct texts ({args.source}), {size / 1024:.1f} KiB average, replicated to {args.reports} reports"
    )
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")

    for data in corpus[:50]:  # warm up: imports, OpenCC dictionaries, regex compilation
        parse_bytes(data)
    # Like gongkai's own batch workers (store ingest), keep the startup heap (modules, the
    # corpus) out of the collector's full passes; forked workers inherit it frozen.
    gc.freeze()
    single = None if args.skip_single else run_single(args.reports)
    parallel = run_parallel(args.reports, args.workers, args.chunk)

    parent = _maxrss_mb(resource.RUSAGE_SELF)
    child = _maxrss_mb(resource.RUSAGE_CHILDREN)
    print(f"  peak RSS    : parent {parent:.0f} MB, largest worker {child:.0f} MB")
    per_core = min(single, parallel) if single is not None else parallel
    ok_rate = per_core >= TARGET_PER_CORE
    ok_mem = max(parent, child) < TARGET_PEAK_MB
    print(
        f"target: >= {TARGET_PER_CORE:.0f} reports/s per core: {'PASS' if ok_rate else 'FAIL'} ({per_core:,.0f});"
        f" peak < {TARGET_PEAK_MB:.0f} MB: {'PASS' if ok_mem else 'FAIL'} ({max(parent, child):.0f} MB)"
    )
    return 0 if ok_rate and ok_mem else 1


if __name__ == "__main__":
    sys.exit(main())
