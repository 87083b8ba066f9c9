"""PDF ingest benchmark: a corpus of PDFs into SQLite with all cores, against bare parsing.

    .venv/bin/python benchmarks/bench_pdf_ingest.py --n 2000 [--jobs N] [--cache DIR]

The corpus is ``--n`` reports generated (``gongkai.testing.fixtures``) and rendered to PDF
by the project's own renderer (``gongkai.render.pdf``: WeasyPrint), each body and year its
own, plus the shared corpus's real PDFs; rendered files are kept in ``--cache`` (rendering
takes about a second a report, far longer than reading one). In one run it prints:

* bare parsing: ``gongkai.parse`` in a process pool of ``--jobs``, no database: reports/s,
  pages/s, CPU ms per page of the workers;
* ingest: ``Corpus.ingest`` of the same files into a fresh SQLite database with the same
  jobs: reports/s, pages/s, CPU ms per page (parent, workers and fork server together),
  and its ratio to bare parsing (target: ingest >= 0.6x bare throughput);
* bare pypdfium2 (text and every character's box, one process) in ms per page, and the
  ratio of gongkai's CPU per page to it;
* the peak RSS of the ingest (parent plus workers, sampled every 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import Sampler, tree_cpu  # noqa: E402
from bench_pdf import page_count, pdfium_boxes  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"


def corpus(cache: Path, n: int) -> list[Path]:
    """``n`` rendered reports (cached) and the real PDFs, as files under ``cache``."""
    from bench_ingest import body_names

    from gongkai.render.pdf import render_pdf
    from gongkai.testing.fixtures import BLANK_STYLES, random_report

    cache.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    bodies = body_names(rng, n)
    out = []
    t = time.perf_counter()
    made = 0
    for i in range(n):
        f = cache / f"r{i:05d}.pdf"
        if not f.exists():
            fmt, style = ("2019", "2021")[i % 2], BLANK_STYLES[i % len(BLANK_STYLES)]
            spec = random_report(random.Random(i), fmt, blank_style=style, body=bodies[i])
            f.write_bytes(render_pdf(spec, blank_mark=("", "/", "—")[i % 3]))
            made += 1
        out.append(f)
    if made:
        print(f"rendered {made} reports in {time.perf_counter() - t:.0f} s")
    for f in sorted(REAL.glob("*.pdf")):
        dst = cache / f.name
        if not dst.exists():
            shutil.copyfile(f, dst)
        out.append(dst)
    return out


def _bare(path: str) -> int:
    from gongkai.api import parse

    return len(parse(path).cells)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/gongkai-pdf-corpus"))
    a = ap.parse_args()
    files = corpus(a.cache, a.n)
    pages = sum(page_count(f.read_bytes()) for f in files)
    print(f"{len(files)} PDFs, {pages} pages; {a.jobs} processes; machine: {os.cpu_count()} cores (shared: compare CPU)")

    t, c0 = time.perf_counter(), os.times()
    with ProcessPoolExecutor(a.jobs) as pool:
        for _ in pool.map(_bare, [str(f) for f in files], chunksize=8):
            pass
    bare_s = time.perf_counter() - t
    c1 = os.times()
    bare_cpu = (c1.children_user + c1.children_system - c0.children_user - c0.children_system) / pages * 1e3
    print(f"bare parse:  {len(files) / bare_s:7.1f} reports/s {pages / bare_s:7.1f} pages/s {bare_cpu:6.2f} ms CPU/page")

    from gongkai.store import Corpus

    work = Path(tempfile.mkdtemp(prefix="gongkai-pdf-ingest-"))
    try:
        db = work / "bench.db"
        c = Corpus(db)
        sampler = Sampler(db)
        sampler.start()
        t, cpu0 = time.perf_counter(), tree_cpu()
        summary = c.ingest([a.cache], jobs=a.jobs, progress=False)
        ingest_s, ingest_cpu = time.perf_counter() - t, (tree_cpu() - cpu0) / pages * 1e3
        sampler.stop.set()
        sampler.join()
        c.close()
        peak = max((s[2] + s[3] for s in sampler.samples), default=0) / 1048576
        print(
            f"ingest:      {len(files) / ingest_s:7.1f} reports/s {pages / ingest_s:7.1f} pages/s {ingest_cpu:6.2f} ms CPU/page"
            f"  ({summary.parsed} stored, {summary.failed} failed); peak RSS {peak:.0f} MiB"
        )
        print(f"ingest / bare parse throughput: {bare_s / ingest_s:.2f}x (target >= 0.6x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    sample = files[: min(40, len(files))]
    c = time.process_time()
    n = sum(page_count(f.read_bytes()) for f in sample)
    for f in sample:
        pdfium_boxes(f.read_bytes())
    bare_pdfium = (time.process_time() - c) / n * 1e3
    print(
        f"bare pypdfium2 text with boxes: {bare_pdfium:.2f} ms/page; gongkai bare parse CPU / that: {bare_cpu / bare_pdfium:.2f}x, "
        f"ingest CPU / that: {ingest_cpu / bare_pdfium:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
