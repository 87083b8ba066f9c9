"""Scan benchmark: text PDFs printed to images (a scan without a text layer), read back by OCR.

    .venv/bin/python benchmarks/bench_scan.py [--reports 17] [--dpi 150] [--det-side 1280 0 ...] [--workers 0]

The scans are the shared corpus's real reports and reports generated and rendered by the
project's own renderer (seeds 0.., cached in ``--cache``), each page rendered by PDFium at
``--dpi`` in grey and saved as an image-only PDF, as a scanner would. For each detector
setting (``--det-side``: the detector's long side in pixels; 0 = RapidOCR's own default,
no cap; by default the tree's own ``DET_MAX_SIDE``) the whole set is parsed once, and printed: pages, CPU seconds per page (the
process and its OCR threads), wall seconds per page, peak RSS, and the cells read right,
against the same PDF's text layer (which reads every cell right: ``pdf_cells.py``).
Settings run one after another (not interleaved: one OCR pass is tens of seconds), so on a
shared machine compare CPU, not wall.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.api import parse_bytes  # noqa: E402
from gongkai.read import ocr  # noqa: E402
from gongkai.settings import Settings  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"


def sources(cache: Path, n: int) -> list[Path]:
    from gongkai.render.pdf import render_pdf
    from gongkai.testing.fixtures import random_report

    cache.mkdir(parents=True, exist_ok=True)
    out = sorted(REAL.glob("*.pdf"))
    for seed in range(max(0, n - len(out))):
        f = cache / f"scan-src-{seed:03d}.pdf"
        if not f.exists():
            spec = random_report(random.Random(1000 + seed), ("2019", "2021")[seed % 2], blank_style="none")
            f.write_bytes(render_pdf(spec))
        out.append(f)
    return out[:n]


def scan(data: bytes, dpi: int) -> tuple[bytes, int]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    images = [pdf[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(pdf))]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue(), len(images)


def run(scans: list[tuple[str, bytes, int, dict[str, object]]], det_side: int, workers: int) -> dict[str, float]:
    ocr.DET_MAX_SIDE = det_side
    ocr._engine.cache_clear()
    engine = ocr._engine()
    engine(_blank())  # load the models outside the timing
    settings = Settings(ocr_workers=workers)
    pages = right = total = 0
    wrong: list[str] = []
    c, t = time.process_time(), time.perf_counter()
    for name, data, n, want in scans:
        got = parse_bytes(data, "scan.pdf", settings).values()
        pages += n
        total += len(want)
        right += sum(1 for k, v in want.items() if k in got and got[k] == v)
        wrong.extend(f"{name}:{k}={v}/{got.get(k)}" for k, v in want.items() if got.get(k) != v)
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    print("  wrong (report:cell=want/got):", " ".join(wrong) or "none")
    return {"pages": pages, "cpu": cpu / pages, "wall": wall / pages, "right": right, "cells": total}


def _blank() -> object:
    import numpy as np

    return np.full((64, 256, 3), 255, dtype=np.uint8)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=17, help="reports (about 3 pages each; 17 give 50+ pages)")
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--det-side", type=int, nargs="+", default=[ocr.DET_MAX_SIDE], help="detector caps to run (default: the tree's own)")
    ap.add_argument("--workers", type=int, default=0, help="pages OCRed at once (0: every core)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/gongkai-scan-bench"))
    a = ap.parse_args()
    scans = []
    for f in sources(a.cache, a.reports):
        data = f.read_bytes()
        image_pdf, n = scan(data, a.dpi)
        scans.append((f.stem, image_pdf, n, parse_bytes(data, f.name).values()))
    print(f"{len(scans)} reports, {sum(s[2] for s in scans)} pages scanned at {a.dpi} dpi; workers={ocr.workers(a.workers)}")
    print(f"{'det side':>8s} {'pages':>5s} {'CPU s/page':>10s} {'wall s/page':>11s}  cells right")
    for side in a.det_side:
        r = run(scans, side, a.workers)
        print(
            f"{side or 'default':>8} {int(r['pages']):5d} {r['cpu']:10.2f} {r['wall']:11.2f}  {int(r['right'])}/{int(r['cells'])}"
        )
    print(f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
