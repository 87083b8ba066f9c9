"""PDF reading speed: gongkai against bare text extraction of the same files, same run.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat 9] [--ocr-pages 0] [FILES...]

For each text PDF (default: ../shared/corpus/real/*.pdf) and each method, the median of
``--repeat`` rounds of CPU time (``process_time``: on a machine shared with other jobs the
wall clock says more about them than about us), in milliseconds per page:

* ``pdfium``    bare pypdfium2: text page, every character's text and box (the floor);
* ``read``      gongkai's PDF reader alone (bytes -> Document with table rows);
* ``parse``     gongkai's whole parse (read, normalize, extract, validate);
* ``pdfminer``  pdfminer.high_level.extract_text, when pdfminer.six is installed (what the
  reader used to be built on), for reference;

then ``parse`` over ``pdfium`` (target: at most 1.5x), the OCR seconds per page when
rapidocr-onnxruntime is installed (``--ocr-pages``: the first pages of the first file,
rasterised as a scan would be), and the peak memory of one parse (tracemalloc) and of the
process (ru_maxrss). The methods run interleaved, one round of each after another, so that
load from other processes falls on all of them alike.
"""

from __future__ import annotations

import argparse
import importlib.util
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


def pdfium_boxes(data: bytes) -> int:
    """Every character's text and box, through pypdfium2's own helpers."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    n = 0
    for page in pdf:
        tp = page.get_textpage()
        for i in range(tp.count_chars()):
            tp.get_text_range(i, 1)
            tp.get_charbox(i)
            n += 1
        tp.close()
        page.close()
    pdf.close()
    return n


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(data)))


def gongkai_read(data: bytes) -> object:
    return read_pdf(data, "bench.pdf")


def gongkai_parse(data: bytes) -> object:
    return parse_bytes(data, "bench.pdf")


METHODS: dict[str, Callable[[bytes], object]] = {"pdfium": pdfium_boxes, "read": gongkai_read, "parse": gongkai_parse}
if importlib.util.find_spec("pdfminer") is not None:
    METHODS["pdfminer"] = pdfminer_text


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(data))


def time_methods(files: list[Path], repeat: int) -> dict[str, dict[str, float]]:
    """file name -> method -> median CPU milliseconds per page."""
    out: dict[str, dict[str, float]] = {}
    for f in files:
        data = f.read_bytes()
        pages = page_count(data)
        for fn in METHODS.values():  # warm imports and caches outside the timings
            fn(data)
        runs: dict[str, list[float]] = {m: [] for m in METHODS}
        for _ in range(repeat):
            for name, fn in METHODS.items():
                t = time.process_time()
                fn(data)
                runs[name].append((time.process_time() - t) * 1000 / pages)
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
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--ocr-pages", type=int, default=0, help="pages to OCR for the OCR figure (0: skip)")
    a = ap.parse_args()
    files = a.files or sorted(CORPUS.glob("*.pdf"))
    if not files:
        print(f"no PDF files (looked in {CORPUS})")
        return 2
    table = time_methods(files, a.repeat)
    print(f"CPU milliseconds per page, median of {a.repeat} interleaved rounds")
    print(f"{'file':40s} {'pages':>5s} " + " ".join(f"{m:>9s}" for m in METHODS) + "  parse/pdfium")
    for name, row in table.items():
        cells = " ".join(f"{row[m]:9.2f}" for m in METHODS)
        print(f"{name:40s} {int(row['pages']):5d} {cells}  {row['parse'] / row['pdfium']:12.2f}")
    pages = sum(r["pages"] for r in table.values())
    total = {m: sum(r[m] * r["pages"] for r in table.values()) / pages for m in METHODS}
    print(
        f"{'all':40s} {int(pages):5d} "
        + " ".join(f"{total[m]:9.2f}" for m in METHODS)
        + f"  {total['parse'] / total['pdfium']:12.2f}"
    )
    print(f"gongkai parse / bare pypdfium2 text with boxes: {total['parse'] / total['pdfium']:.2f}x (target <= 1.5x)")
    if "pdfminer" in total:
        print(f"gongkai parse / bare pdfminer extract_text: {total['parse'] / total['pdfminer']:.2f}x")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
