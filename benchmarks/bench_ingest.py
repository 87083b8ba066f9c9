"""Ingest benchmark: a generated corpus into SQLite, against bare parsing on the same cores.

    .venv/bin/python benchmarks/bench_ingest.py --n 20000            # about 5 minutes on 2 cores
    .venv/bin/python benchmarks/bench_ingest.py --n 100000 --jobs 2

Prints generation time, bare parsing throughput (``gongkai.parse`` in a process pool, no
database), ingest throughput and their ratio (target: ingest within 2x of bare parsing),
the memory of the ingest (parent plus workers) sampled over time and shown at 10 %, 50 %
and 100 % of the corpus (it should stay flat), and the time of ``stats`` and of the
cross-report checks (body histories plus the near-duplicate pass) on the result.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

YEARS = range(2021, 2026)
_CN = "零一二三四五六七八九"  # 〇 (U+3007) is not a CJK ideograph: the parser would cut the name there


def body_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct bodies (by normalized name; the fixture pool has ~2,300, the rest are numbered)."""
    from gongkai.bodies import resolve_body
    from gongkai.fixtures import random_body

    out: dict[str, str] = {}
    i = 0
    while len(out) < n:
        name = random_body(rng)
        if resolve_body(name).normalized in out:
            i += 1
            name = name + "第" + "".join(_CN[int(d)] for d in str(i)) + "分局"
        out.setdefault(resolve_body(name).normalized, name)
    return list(out.values())


def generate(root: Path, n: int, seed: int = 1) -> int:
    from gongkai.fixtures import random_report
    from gongkai.render.text import render_text

    rng = random.Random(seed)
    names = body_names(rng, (n + len(YEARS) - 1) // len(YEARS))
    written = 0
    for i, body in enumerate(names):
        folder = root / f"{i // 1000:03d}" / f"b{i:06d}"
        folder.mkdir(parents=True, exist_ok=True)
        for year in YEARS:
            if written == n:
                return written
            spec = random_report(rng, "2021", body=body, year=year)
            (folder / f"{year}.txt").write_text(render_text(spec, "tsv", seed=written), encoding="utf-8")
            written += 1
    return written


def _bare(path: str) -> int:
    from gongkai.api import parse

    return len(parse(path).cells)


def bare_parse(files: list[str], jobs: int) -> float:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        for _ in pool.map(_bare, files, chunksize=32):
            pass
    return len(files) / (time.perf_counter() - t0)


class Sampler(threading.Thread):
    """RSS of this process and its children, with the number of reports stored, every 0.5 s."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.samples: list[tuple[float, int, int, int]] = []  # (seconds, reports, parent rss, workers rss)
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        t0 = time.perf_counter()
        while not self.stop.wait(0.5):
            rss, kids = me.memory_info().rss, 0
            for child in me.children(recursive=True):
                try:
                    kids += child.memory_info().rss
                except psutil.Error:
                    pass
            try:
                con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=1)
                n = con.execute("SELECT count(*) FROM reports").fetchone()[0]
                con.close()
            except sqlite3.Error:
                n = self.samples[-1][1] if self.samples else 0
            self.samples.append((time.perf_counter() - t0, n, rss, kids))

    def at(self, reports: int) -> tuple[float, int, int, int]:
        for s in self.samples:
            if s[1] >= reports:
                return s
        return self.samples[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000, help="reports in the corpus (default 20000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--bare-sample", type=int, default=4000, help="files parsed for the bare throughput")
    ap.add_argument("--workdir", type=Path, default=None, help="where the corpus and database go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and database")
    args = ap.parse_args()

    from gongkai.store import Corpus
    from gongkai.store.checks import candidate_pairs

    work = args.workdir or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    corpus_dir, db = work / "corpus", work / "bench.db"
    try:
        if not corpus_dir.exists():
            t = time.perf_counter()
            n = generate(corpus_dir, args.n)
            print(f"generated {n} reports (gongkai.fixtures + gongkai.render) in {time.perf_counter() - t:.1f} s")
        files = sorted(str(p) for p in corpus_dir.rglob("*.txt"))
        sample = random.Random(0).sample(files, min(args.bare_sample, len(files)))
        bare = bare_parse(sample, args.jobs)
        print(f"bare parsing ({args.jobs} processes, {len(sample)} files): {bare:.1f} reports/s")

        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        corpus = Corpus(db)
        sampler = Sampler(db)
        sampler.start()
        t = time.perf_counter()
        summary = corpus.ingest([corpus_dir], jobs=args.jobs, progress=False)
        seconds = time.perf_counter() - t
        sampler.stop.set()
        sampler.join()
        # Other work on a shared machine moves throughput within minutes: measure bare
        # parsing again after the ingest and compare with the mean of the two.
        bare_after = bare_parse(sample, args.jobs)
        print(f"bare parsing again after the ingest: {bare_after:.1f} reports/s")
        bare = (bare + bare_after) / 2
        rate = summary.parsed / seconds
        print(
            f"ingest: {summary.parsed} reports in {seconds:.1f} s = {rate:.1f} reports/s "
            f"({bare / rate:.2f}x the bare parsing time; failed {summary.failed}, partial {summary.partial})"
        )
        total = summary.parsed
        for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
            s, n, rss, kids = sampler.at(int(total * frac))
            print(
                f"  RSS at {frac:>4.0%} ({n:>7} reports, {s:6.1f} s): parent {rss / 2**20:6.1f} MiB, "
                f"{args.jobs} workers {kids / 2**20:6.1f} MiB"
            )
        peak = max(x[2] + x[3] for x in sampler.samples)
        print(f"  peak RSS (parent + workers): {peak / 2**20:.1f} MiB; the parent's SQLite page cache is capped at 128 MiB")
        size = sum(p.stat().st_size for p in work.glob("bench.db*"))
        print(f"  database: {size / 2**20:.0f} MiB, {corpus.counts()['cells']} cells")

        t = time.perf_counter()
        again = corpus.ingest([corpus_dir], jobs=args.jobs, progress=False)
        print(f"re-run (nothing new): {again.unchanged} unchanged in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        rows = corpus.stats()
        print(f"gongkai stats: {len(rows)} rows in {time.perf_counter() - t:.2f} s")

        t = time.perf_counter()
        with corpus.engine.connect() as conn:
            pairs = sum(1 for _ in candidate_pairs(conn))
        print(f"near-duplicate candidate pairs (band-key self-join): {pairs} in {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        checked = corpus.check()
        print(
            f"check-corpus (histories + near duplicates): {time.perf_counter() - t:.1f} s; {checked.to_json()['findings_by_rule']}"
        )
        corpus.close()
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            print(f"kept {work}")


if __name__ == "__main__":
    main()
