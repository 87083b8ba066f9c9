"""CPU per OCR stage of one page at a time, single-threaded (process_time).

    .venv/bin/python benchmarks/ocr_stages.py [--src SRC] [--dpi 200] [--det-side N] FILE.pdf|FILE.png ...

Each page of a PDF is rendered as the reader renders a scan (``--dpi``), an image is read
as it is; ``recognise`` runs on each, and the CPU seconds per page are printed in total
and per stage: skew, rules, det (the detector), rec (every recogniser run: the detected
boxes and the cells' crops), cells (the recognition of table cells from their own crops,
its recogniser runs included). ``--src`` points
at another tree's ``src`` to compare two versions of the code, run in alternation.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def page_images(files: list[Path], dpi: int) -> list[tuple[str, Any, float]]:
    """``(name, RGB array, points per pixel)`` of every page: a PDF's pages rendered as the
    reader renders a scan (``dpi``), an image as it is (595 points wide, A4)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    from gongkai.read import ocr

    out = []
    for f in files:
        data = f.read_bytes()
        if f.suffix.lower() == ".pdf":
            n = len(pdfium.PdfDocument(data))
            out += [
                (f"{f.name}:{i}", img, 1 / scale)
                for i, img, scale in ocr.render_pdf_pages(data, list(range(1, n + 1)), dpi, str(f))
            ]
        else:
            img = np.asarray(Image.open(f).convert("RGB"))
            out.append((f.name, img, 595 / img.shape[1]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--src", type=Path, default=ROOT / "src")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--det-side", type=int, default=None, help="the detector's cap (DET_MAX_SIDE); default: the tree's own")
    a = ap.parse_args()
    sys.path.insert(0, str(a.src))
    import numpy as np

    from gongkai.read import ocr

    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def g(*args: Any, **kw: Any) -> Any:
            c = time.process_time()
            try:
                return f(*args, **kw)
            finally:
                spent[name] += time.process_time() - c

        return g

    if a.det_side is not None:
        ocr.DET_MAX_SIDE = a.det_side
    engine = ocr._engine()
    engine.text_det.__class__.__call__ = timed("det", engine.text_det.__class__.__call__)
    engine.text_rec.__class__.__call__ = timed("rec", engine.text_rec.__class__.__call__)
    ocr._read_crops = timed("cells", ocr._read_crops)  # type: ignore[method-assign]
    ocr.find_rules = timed("rules", ocr.find_rules)  # type: ignore[method-assign]
    ocr._skew = timed("skew", ocr._skew)  # type: ignore[method-assign]
    engine(np.full((64, 256, 3), 255, np.uint8))  # models loaded outside the timing
    spent.clear()
    pages, total = 0, 0.0
    for _, img, k in page_images(a.files, a.dpi):
        c = time.process_time()
        ocr.recognise(img, k)
        total += time.process_time() - c
        pages += 1
    stages = " ".join(f"{k}={v / pages:.2f}" for k, v in spent.items())
    print(f"{pages} pages, load {os.getloadavg()[0]:.1f}: {total / pages:.2f} s CPU/page; {stages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
