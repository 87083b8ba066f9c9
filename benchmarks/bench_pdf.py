"""PDF reading speed: gongkai against bare text extraction of the same files, same run.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat 5] [--ocr-pages 2] [FILES...]

For each text PDF (default: ../shared/corpus/real/*.pdf) and each method, the median of
``--repeat`` runs, in seconds per page:

* ``pdfminer``  pdfminer.high_level.extract_text (its layout analysis included);
* ``pdfplumber`` page.extract_text() on every page;
* ``read``      gongkai's PDF reader alone (bytes -> Document with table rows);
* ``parse``     gongkai's whole parse (read, normalize, extract, validate);

then the overhead of ``parse`` over each bare extraction (target: at most +50%), the
OCR seconds per page when rapidocr-onnxruntime is installed (the first pages of the first
file, rasterised as a scan would be), and the peak memory of one parse (tracemalloc) and
of the process (ru_maxrss). The methods run interleaved, so that load from other
processes falls on all of them alike.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.api import parse_bytes  # noqa: E402
from gongkai.read.pdf import OCR_DPI, read_pdf  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(data)))


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def gongkai_read(data: bytes) -> object:
    return read_pdf(data, "bench.pdf")


def gongkai_parse(data: bytes) -> object:
    return parse_bytes(data, "bench.pdf")


METHODS: dict[str, Callable[[bytes], object]] = {
    "pdfminer": pdfminer_text,
    "pdfplumber": pdfplumber_text,
    "read": gongkai_read,
    "parse": gongkai_parse,
}


def page_count(data: bytes) -> int:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))


def time_methods(files: list[Path], repeat: int) -> dict[str, dict[str, float]]:
    """file name -> method -> median seconds per page."""
    out: dict[str, dict[str, float]] = {}
    for f in files:
        data = f.read_bytes()
        pages = page_count(data)
        for fn in METHODS.values():  # warm imports and caches outside the timings
            fn(data)
        runs: dict[str, list[float]] = {m: [] for m in METHODS}
        for _ in range(repeat):
            for name, fn in METHODS.items():
                t = time.perf_counter()
                fn(data)
                runs[name].append((time.perf_counter() - t) / pages)
        out[f.name] = {m: statistics.median(v) for m, v in runs.items()}
        out[f.name]["pages"] = pages
    return out


def ocr_per_page(f: Path, n_pages: int) -> float | None:
    """Seconds per page to OCR the first pages of ``f`` rasterised at the reader's DPI."""
    try:
        from gongkai.read import ocr

        ocr.require("", "")
    except Exception:
        return None
    data = f.read_bytes()
    numbers = list(range(1, n_pages + 1))
    images = list(ocr.render_pdf_pages(data, numbers, OCR_DPI, str(f)))
    ocr.recognise(images[0][1][:200, :200], 1.0)  # load the models outside the timing
    t = time.perf_counter()
    for _, img, scale in images:
        ocr.recognise(img, 1.0 / scale)
    return (time.perf_counter() - t) / len(images)


def peak_memory(f: Path) -> float:
    """MiB allocated at the peak of one whole parse (Python allocations)."""
    data = f.read_bytes()
    tracemalloc.start()
    parse_bytes(data, "bench.pdf")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1048576


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ocr-pages", type=int, default=2, help="pages to OCR for the OCR figure (0: skip)")
    a = ap.parse_args()
    files = a.files or sorted(CORPUS.glob("*.pdf"))
    if not files:
        print(f"no PDF files (looked in {CORPUS})")
        return 2
    table = time_methods(files, a.repeat)
    print(f"seconds per page, median of {a.repeat} runs")
    print(f"{'file':40s} {'pages':>5s} " + " ".join(f"{m:>10s}" for m in METHODS) + "  parse/pdfminer parse/pdfplumber")
    for name, row in table.items():
        cells = " ".join(f"{row[m]:10.4f}" for m in METHODS)
        print(
            f"{name:40s} {int(row['pages']):5d} {cells}  {row['parse'] / row['pdfminer']:14.2f} {row['parse'] / row['pdfplumber']:16.2f}"
        )
    total = {m: sum(r[m] * r["pages"] for r in table.values()) / sum(r["pages"] for r in table.values()) for m in METHODS}
    print(f"{'all':40s} {int(sum(r['pages'] for r in table.values())):5d} " + " ".join(f"{total[m]:10.4f}" for m in METHODS))
    for base in ("pdfminer", "pdfplumber"):
        over = total["parse"] / total[base] - 1
        print(f"overhead of gongkai parse over bare {base} extraction: {over:+.0%} (target <= +50%)")
    traced = peak_memory(files[-1])
    rss_text = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory of one parse ({files[-1].name}): {traced:.1f} MiB traced; process max RSS {rss_text:.0f} MiB (text PDFs only)"
    )
    if a.ocr_pages > 0:
        ocr_s = ocr_per_page(files[0], a.ocr_pages)
        print(
            "OCR: rapidocr-onnxruntime not installed"
            if ocr_s is None
            else f"OCR seconds per page ({files[0].name}, {a.ocr_pages} pages at {OCR_DPI} dpi): {ocr_s:.2f}"
        )
        if ocr_s is not None:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"process max RSS after OCR: {rss:.0f} MiB (OCR models and page images)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
