"""PDF ingest benchmark: a corpus of PDFs into SQLite with all cores, against bare parsing.

    .venv/bin/python benchmarks/bench_pdf_ingest.py --n 2000 [--jobs N] [--cache DIR]

The corpus is ``--n`` reports generated (``gongkai.testing.fixtures``) and rendered to PDF
by the project's own renderer (``gongkai.render.pdf``: WeasyPrint), each its own body,
alternately in the 2019 and the 2021 format, every blank style and three blank marks,
plus the shared corpus's real PDFs. Rendered files are kept in ``--cache``, outside the
repository: rendering costs about 0.8 s of CPU a report, fifty times reading one, so it
is done once, in a pool of ``--jobs`` (``--render-only`` stops there). In one run, over
the same files and with the same number of processes, it prints:

* bare pypdfium2: text page and every character's text and box (``bench_pdf.pdfium_boxes``)
  in a process pool: the library's own floor;
* bare parse: ``gongkai.parse`` in a process pool, no database;
* ingest: ``Corpus.ingest`` into a fresh SQLite database (bounded worker processes, one
  writer);

each as pages/s (wall clock), CPU ms per page (every process involved) and peak RSS of the
parent and of the largest single worker (sampled every 0.2 s), then the ratios: ingest
over bare parse throughput (target >= 0.6x) and over bare pypdfium2, by the wall clock and
by CPU (pages per CPU second: on a machine shared with other jobs the phases get unequal
shares of the cores; the CPU ratio is what the cores of an idle machine would show).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import tree_cpu  # noqa: E402
from bench_pdf import page_count, pdfium_boxes  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"


def _render(job: tuple[int, str, str]) -> None:
    """Render report ``i`` (its own seed, format, blank style and mark) to ``dst``."""
    from gongkai.render.pdf import render_pdf
    from gongkai.testing.fixtures import BLANK_STYLES, random_report

    i, body, dst = job
    fmt, style = ("2019", "2021")[i % 2], BLANK_STYLES[i % len(BLANK_STYLES)]
    spec = random_report(random.Random(i), fmt, blank_style=style, body=body)
    tmp = Path(dst + ".part")
    tmp.write_bytes(render_pdf(spec, blank_mark=("", "/", "—")[i % 3]))
    tmp.replace(dst)  # a run cut off never leaves half a file in the cache


def corpus(cache: Path, n: int, jobs: int = 1) -> list[Path]:
    """``n`` rendered reports (cached) and the real PDFs, as files under ``cache``."""
    from bench_ingest import body_names

    cache.mkdir(parents=True, exist_ok=True)
    bodies = body_names(random.Random(7), n)
    out = [cache / f"r{i:05d}.pdf" for i in range(n)]
    todo = [(i, bodies[i], str(f)) for i, f in enumerate(out) if not f.exists()]
    if todo:
        t = time.perf_counter()
        with ProcessPoolExecutor(jobs) as pool:
            for _ in pool.map(_render, todo, chunksize=4):
                pass
        print(f"rendered {len(todo)} reports in {time.perf_counter() - t:.0f} s ({jobs} processes)")
    for f in sorted(REAL.glob("*.pdf")):
        dst = cache / f.name
        if not dst.exists():
            shutil.copyfile(f, dst)
        out.append(dst)
    return out


def _bare(path: str) -> int:
    from gongkai.api import parse

    return len(parse(path).cells)


def _pdfium(path: str) -> int:
    return pdfium_boxes(Path(path).read_bytes())


class Peak(threading.Thread):
    """Peak RSS of this process and of its largest descendant, every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.parent = self.worker = 0
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(0.2):
            self.parent = max(self.parent, me.memory_info().rss)
            for child in me.children(recursive=True):
                try:
                    self.worker = max(self.worker, child.memory_info().rss)
                except psutil.Error:
                    pass

    def __enter__(self) -> Peak:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join()


def pooled(fn: Callable[[str], int], files: list[Path], jobs: int) -> tuple[float, float, Peak]:
    """(wall seconds, CPU seconds of the pool's workers, peak RSS) of ``fn`` over the files."""
    c0 = os.times()
    with Peak() as peak:
        t = time.perf_counter()
        with ProcessPoolExecutor(jobs) as pool:
            for _ in pool.map(fn, [str(f) for f in files], chunksize=8):
                pass
        wall = time.perf_counter() - t
    c1 = os.times()
    return wall, c1.children_user + c1.children_system - c0.children_user - c0.children_system, peak


def line(name: str, pages: int, wall: float, cpu: float, peak: Peak) -> str:
    return (
        f"{name:15s} {pages / wall:7.1f} pages/s {cpu / pages * 1e3:7.2f} ms CPU/page  "
        f"peak RSS parent {peak.parent / 1048576:4.0f} MiB, largest worker {peak.worker / 1048576:4.0f} MiB"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/gongkai-pdf-corpus"))
    ap.add_argument("--render-only", action="store_true", help="only render the corpus into the cache")
    a = ap.parse_args()
    files = corpus(a.cache, a.n, a.jobs)
    if a.render_only:
        return 0
    pages = sum(page_count(f.read_bytes()) for f in files)
    print(
        f"{len(files)} PDFs, {pages} pages; {a.jobs} processes; machine: {os.cpu_count()} cores, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the start"
    )
    wall, pdfium_cpu, peak = pooled(_pdfium, files, a.jobs)
    pdfium_rate = pages / wall
    print(line("bare pypdfium2", pages, wall, pdfium_cpu, peak))
    wall, parse_cpu, peak = pooled(_bare, files, a.jobs)
    parse_rate = pages / wall
    print(line("bare parse", pages, wall, parse_cpu, peak))

    from gongkai.store import Corpus

    work = Path(tempfile.mkdtemp(prefix="gongkai-pdf-ingest-"))
    try:
        c = Corpus(work / "bench.db")
        with Peak() as peak:
            t, cpu0 = time.perf_counter(), tree_cpu()
            summary = c.ingest(files, jobs=a.jobs, progress=False)
            wall, cpu = time.perf_counter() - t, tree_cpu() - cpu0
        c.close()
        print(line("ingest", pages, wall, cpu, peak) + f"  ({summary.parsed} stored, {summary.failed} failed)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rate = pages / wall
    print(f"ingest / bare parse throughput: {rate / parse_rate:.2f}x wall clock (target >= 0.6x), {parse_cpu / cpu:.2f}x by CPU")
    print(
        f"ingest / bare pypdfium2 throughput: {rate / pdfium_rate:.2f}x wall clock, {pdfium_cpu / cpu:.2f}x by CPU; "
        f"bare parse / bare pypdfium2: {parse_rate / pdfium_rate:.2f}x wall clock, {pdfium_cpu / parse_cpu:.2f}x by CPU"
    )
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
