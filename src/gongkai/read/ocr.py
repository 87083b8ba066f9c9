"""OCR for scanned pages and images: the same glyphs and rules a text PDF gives.

* ``render_pdf_pages``: text-less PDF pages -> RGB arrays (pypdfium2, Apache/BSD);
* ``recognise``: an RGB array -> (glyphs, rules) in points:
  - the ruling lines of tables, found with OpenCV morphology (long thin runs of ink,
    and the short borders of a table row alone), after straightening a slightly skewed scan;
  - text boxes from RapidOCR's detector (rapidocr-onnxruntime, models ship in the
    wheel), each recognised once at most: outside the tables as RapidOCR reads them;
    table cells that hold a short box (a number), a box that straddles two cells, a box
    read as a number, or ink but no box (a lone "0" is often missed) are read from the
    cell's own crop instead, the boxes in them not recognised at all.

Everything heavy is imported inside functions: without the ``ocr`` extra the module
imports and ``require`` says exactly what to install.
"""

from __future__ import annotations

import logging
import math
import os
import re
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..domain import extras
from ..errors import CorruptDocument, InputTooLarge, MissingDependency
from .layout_geom import Box, Glyph, Rule
from .layout_grid import Grid, find_grids
from .ocr_models import fast_model

INSTALL_HINT = extras.message("ocr", what="")  # "需要安装 …：pip install 'gongkai[ocr]'"
MAX_RENDER_PIXELS = 12_000_000  # a rasterised page; A4 at 200 dpi is 3.9 M
MIN_SCORE = 0.5  # recogniser confidence below which a box is noise
DET_MAX_SIDE = 1280  # detector input cap, long side in pixels; 0: none. Boxes then reach over the thin strokes it misses (_reach); 1024 lost lone zeros: docs/performance.md
REC_BATCH = 1  # crops per recogniser run (RapidOCR's default is 6): docs/performance.md
REC_HEIGHT = 48  # the recogniser's input height (PP-OCRv4)
REC_SQUEEZE = 0.75  # text lines are narrowed to this before recognition (0.6 lost a "。"): docs/performance.md
SQUEEZE_FROM = 3.0  # a crop this many times wider than high is a text line (a lone number is not narrowed)
REC_MIN_WIDTH = 160  # detected boxes narrower than this are padded to it (RapidOCR: 320): docs/performance.md
STRIP_MAX_WIDTH = 1600  # table cells read in one recogniser run: the strip's width at most (_NarrowRecogniser.strips)
REREAD_MIN_WIDTH = 240  # and the crops of cells (a lone "0" needs the width: 160 lost some, 200 did not): docs/performance.md
THREADS_PER_PAGE = 1  # ONNX Runtime threads per page; pages run in parallel
MAX_SKEW_DEG = 5.0  # larger angles are rotated pages, not skew
SHORT_BOX = 2.0  # a box in a cell narrower than this many times its height is read from the cell: docs/performance.md
INK_LEVEL = 170  # grey below this is ink (thin strokes of a 150 dpi scan are light)
REACH_GAP = 0.6  # a box reaches over ink this many of its heights past its end: _reach
REACH_LEVEL = 225  # and grey below this is ink there (the thin "一" of a 150 dpi scan is 180-210)
ROW_RULE_MIN = 20  # pixels: a vertical rule one table row high at least (_row_rules)
# a detected box in a cell that reads as a number: its cell is read from its own crop,
# where the recogniser sees the digits with a margin around them and no neighbour
# (single digits go wrong far less often that way)
_NUMBERISH = re.compile(r"^[\d.,%\-—/ ]{1,12}$")
# letters the recogniser gives for digits in a table cell (no Latin text is expected there)
_CONFUSABLE = str.maketrans({"o": "0", "O": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "Z": "2", "S": "5", "B": "8"})
_DIGITISH = re.compile(r"^[\doODQlI|ZSB.,%]{1,12}$")
# a box in a table cell with neither letter nor digit: a "0" read as a ring ("。", "○")
_RINGISH = re.compile(r"^[\W_]{1,3}$")


def available() -> bool:
    """Is the OCR extra installed (without importing it)?"""
    return all(find_spec(m) is not None for m in ("rapidocr_onnxruntime", "cv2", "numpy", "pypdfium2"))


def require(path: str, what: str, pdf: bool = False) -> None:
    """Raise MissingDependency naming the install command unless OCR can run (and, for
    ``pdf``, pages can be rasterised)."""
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401

        if pdf:
            import pypdfium2  # noqa: F401
    except ImportError:
        raise MissingDependency(f"{what}，需要文字识别（OCR）才能读取。{INSTALL_HINT}", path) from None


@lru_cache(maxsize=1)
def _engine() -> Any:
    """One RapidOCR engine for the process, shared by the page threads (ONNX Runtime's
    sessions may run from several threads at once; it releases the GIL while it does).

    One ONNX thread per call: pages run in parallel instead (``recognise_pages``), which
    measured faster than two threads per page, and never oversubscribes the cores. The
    detector's input is capped at DET_MAX_SIDE pixels on its long side: RapidOCR 1.4's
    own ``limit_type="max"`` replaces the side length by 960, 1500 or 2000 from the image
    size, so its preprocessing is set here instead."""
    from rapidocr_onnxruntime import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    engine = RapidOCR(intra_op_num_threads=THREADS_PER_PAGE, inter_op_num_threads=1)
    # one crop a recogniser run: a batch pads every crop to its widest, and ran slower per
    # crop even at equal widths (6 crops of 48x320: 9x the time of one); the readings are the same
    engine.text_rec.rec_batch_num = REC_BATCH
    for holder in (engine.text_rec.session, getattr(engine.text_det, "infer", None)):
        _use_fast_model(holder)
    engine.text_rec = _NarrowRecogniser(engine.text_rec)
    det = getattr(engine, "text_det", None)
    if DET_MAX_SIDE > 0 and det is not None and hasattr(det, "get_preprocess"):
        import numpy as np
        from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

        pre = DetPreProcess(DET_MAX_SIDE, "max", getattr(det, "mean", None), getattr(det, "std", None))
        pre.mean, pre.std = pre.mean.astype(np.float32), pre.std.astype(np.float32)  # float64 took twice the time
        det.get_preprocess = lambda _max_wh: pre
    return engine


def _use_fast_model(holder: Any) -> None:
    """Swap the ONNX Runtime session of RapidOCR's ``OrtInferSession`` ``holder`` for one
    on the locally rewritten model (``ocr_models``: the same function, fused), with the
    options RapidOCR gives it; left as it is where that cannot be had."""
    src = getattr(getattr(holder, "session", None), "_model_path", None)
    if not src:
        return
    path = fast_model(src)
    if path == Path(src):
        return
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.enable_cpu_mem_arena = False
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = THREADS_PER_PAGE
    opts.inter_op_num_threads = 1
    try:
        holder.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception:  # keep RapidOCR's own session on the shipped model
        return


class _NarrowRecogniser:
    """RapidOCR's recogniser with each crop padded only to REC_MIN_WIDTH, not 320 px, and
    text lines narrowed to REC_SQUEEZE of their width.

    RapidOCR pads every crop (48 px high) to at least 320 px wide, the training shape, so a
    lone digit of 30 px costs as much as a line of text; the recogniser's cost grows with
    the width. A text line narrowed by a quarter reads the same (PP-OCR is trained on lines
    squeezed into 320 px) at three quarters of the cost. The crops and their readings are
    otherwise RapidOCR's own (same resizing, normalisation and CTC decoding)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.session = inner.session
        self.postprocess_op = inner.postprocess_op

    def __call__(self, img_list: Any, return_word_box: bool = False, min_width: int = 0) -> tuple[list[tuple[str, float]], float]:
        import cv2
        import numpy as np

        if isinstance(img_list, np.ndarray):
            img_list = [img_list]
        out: list[tuple[str, float]] = []
        for img in img_list:
            h, w = img.shape[:2]
            if REC_SQUEEZE < 1 and w >= SQUEEZE_FROM * h:
                img = cv2.resize(img, (max(1, round(w * REC_SQUEEZE)), h), interpolation=cv2.INTER_AREA)
                w = img.shape[1]
            ratio = max(w / max(h, 1), (min_width or REC_MIN_WIDTH) / REC_HEIGHT)
            batch = self.inner.resize_norm_img(img, ratio)[np.newaxis, :].astype(np.float32)
            preds = self.session(batch)[0]
            out.extend(self.postprocess_op(preds, return_word_box, wh_ratio_list=[w / max(h, 1)], max_wh_ratio=ratio))
        return out, 0.0

    def strips(self, crops: Sequence[Any]) -> list[tuple[str, float]]:
        """Grey crops recognised several in one run: ``(text, score)`` for each, in order.

        Each crop is resized to REC_HEIGHT as it would be alone, and the crops are laid side
        by side, their own white margins apart, into strips up to STRIP_MAX_WIDTH wide. One
        run reads a strip; each character CTC decodes is given to the crop under its column.
        A lone number costs its own width, not the 240 px a run of its own needs. Wider white
        gaps between the crops read lone zeros as "o" or "〇" far more often: the numbers of a
        row close together read as a row of numbers (docs/performance.md). A strip of one
        crop is read alone, and so is a crop its strip reads below MIN_SCORE (the better
        reading is kept)."""
        import cv2
        import numpy as np

        sized = []
        for c in crops:
            h, w = c.shape[:2]
            sized.append(cv2.resize(c, (max(1, math.ceil(REC_HEIGHT * w / max(h, 1))), REC_HEIGHT)))
        out: list[tuple[str, float]] = [("", 0.0)] * len(sized)
        for run in _strip_runs([s.shape[1] for s in sized]):
            if len(run) == 1:
                continue  # read alone below
            starts, width = [], 0
            for i in run:
                starts.append(width)
                width += sized[i].shape[1]
            strip = np.full((REC_HEIGHT, width), 255, dtype=np.uint8)
            for i, x in zip(run, starts, strict=True):
                strip[:, x : x + sized[i].shape[1]] = sized[i]
            x = self.inner.resize_norm_img(cv2.cvtColor(strip, cv2.COLOR_GRAY2RGB), width / REC_HEIGHT)
            preds = self.session(x[np.newaxis].astype(np.float32))[0][0]
            cuts = starts[1:]
            for k, (text, score) in enumerate(_decode_columns(preds, self.postprocess_op.character, width, cuts)):
                out[run[k]] = (text, score)
        for i, (_, score) in enumerate(out):  # a doubtful reading in a strip: the crop alone, as before
            if score < MIN_SCORE:
                alone = self([cv2.cvtColor(crops[i], cv2.COLOR_GRAY2RGB)], min_width=REREAD_MIN_WIDTH)[0][0]
                out[i] = max(out[i], alone, key=lambda r: r[1])
        return out


def _strip_runs(widths: Sequence[int]) -> list[list[int]]:
    """Consecutive crops (by index) packed into strips of at most STRIP_MAX_WIDTH."""
    runs: list[list[int]] = []
    used = 0
    for i, w in enumerate(widths):
        if runs and used + w <= STRIP_MAX_WIDTH:
            runs[-1].append(i)
            used += w
        else:
            runs.append([i])
            used = w
    return runs


def _decode_columns(preds: Any, charset: Sequence[str], width: int, cuts: Sequence[float]) -> list[tuple[str, float]]:
    """CTC greedy decoding of one run's ``preds`` (steps x classes, class 0 the blank, as
    RapidOCR decodes), each character given to the part of the strip its step lies in:
    ``cuts`` are the x (pixels of a strip ``width`` wide) where one part ends. A part's
    score is the mean probability of its characters but spaces, 0 when it has none."""
    best = preds.argmax(axis=1)
    prob = preds.max(axis=1)
    step = width / max(len(best), 1)
    texts: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
    probs: list[list[float]] = [[] for _ in range(len(cuts) + 1)]
    for t, c in enumerate(best.tolist()):
        if c == 0 or (t and c == best[t - 1]):
            continue
        part = bisect(cuts, (t + 0.5) * step)
        texts[part].append(charset[c])
        if not charset[c].isspace():  # the gaps read as spaces: no part of a reading's score
            probs[part].append(float(prob[t]))
    return [("".join(t), sum(p) / len(p) if p else 0.0) for t, p in zip(texts, probs, strict=True)]


def workers(settings_workers: int) -> int:
    """Pages OCRed at once: the setting, or every core this process may use."""
    if settings_workers > 0:
        return settings_workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ====================================================================== rasterising
def render_pdf_pages(data: bytes, numbers: Sequence[int], dpi: int, path: str) -> Iterator[tuple[int, Any, float]]:
    """(page number, RGB array, pixels per point) for each of ``numbers``."""
    try:
        import numpy as np
        import pypdfium2 as pdfium
    except ImportError:
        raise MissingDependency(f"扫描版 PDF 需要先转成图像才能识别。{INSTALL_HINT}", path) from None
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # pdfium's own errors: the file is as broken for it as for pdfminer
        raise CorruptDocument(f"无法渲染 PDF 页面（{type(e).__name__}）", path) from None
    try:
        for n in numbers:
            page = pdf[n - 1]
            w, h = page.get_size()
            scale = min(dpi / 72.0, (MAX_RENDER_PIXELS / max(w * h, 1.0)) ** 0.5)
            # RGB straight from PDFium, copied out of its bitmap once (through PIL: two more copies)
            bitmap = page.render(scale=scale, rev_byteorder=True)
            img = np.array(bitmap.to_numpy()[:, :, :3])
            bitmap.close()
            yield n, img, scale
            page.close()
    finally:
        pdf.close()


# ====================================================================== recognition
def recognise(img: Any, to_points: float) -> tuple[list[Glyph], list[Rule]]:
    """An RGB page image -> glyphs and rules, in points (``to_points`` per pixel).

    The rules and the tables' grids come first (cheap), then the detector's boxes; each
    box is recognised once at most: a box outside the tables is read as RapidOCR reads it,
    a short box in a table cell (a number, most often) is not read at all but its cell
    read from its own crop instead (``_read_page``)."""
    import cv2

    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    angle = _skew(gray)
    if angle:
        img, gray = _rotate(img, angle), _rotate(gray, angle)
    rules = [_scaled_rule(r, to_points) for r in find_rules(gray)]
    grids = find_grids(rules)
    boxes = _Boxes(img, to_points)
    if not grids:
        return boxes.glyphs(range(len(boxes))), rules
    return _read_page(gray, grids, boxes, to_points), rules


class _Boxes:
    """The detector's text boxes of a page (points), each recognised only when asked for:
    RapidOCR's own preprocessing, detector, crops and recogniser, as its full pass
    (``RapidOCR.__call__``) does them, split so that the boxes a cell re-read replaces
    are never recognised."""

    def __init__(self, img: Any, to_points: float) -> None:
        engine = _engine()
        raw_h, raw_w = img.shape[:2]
        small, ratio_h, ratio_w = engine.preprocess(img)
        small, record = engine.maybe_add_letterbox(small, {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}})
        found, _ = engine.auto_text_det(small)
        self._small = small
        self._found = _reach(_ink_mask(small, REACH_LEVEL), list(found)) if found is not None else []
        self.boxes: list[Box] = []
        if self._found:
            for p in engine._get_origin_points(self._found, record, raw_h, raw_w):
                xs, ys = p[:, 0], p[:, 1]
                self.boxes.append(tuple(float(v) * to_points for v in (xs.min(), ys.min(), xs.max(), ys.max())))  # type: ignore[arg-type]
        self._read: dict[int, Glyph | None] = {}

    def __len__(self) -> int:
        return len(self.boxes)

    def glyphs(self, which: Iterable[int]) -> list[Glyph]:
        """The readings of boxes ``which`` (recognised now where not yet), in their order;
        a box read as nothing, or below MIN_SCORE, gives none."""
        which = list(which)
        todo = [i for i in which if i not in self._read]
        if todo:
            engine = _engine()
            crops = engine.get_crop_img_list(self._small, [self._found[i] for i in todo])
            results, _ = engine.text_rec(crops)
            for i, (text, score) in zip(todo, results, strict=True):
                t = str(text).strip()
                x0, top, x1, bottom = self.boxes[i]
                ok = t and float(score) >= MIN_SCORE
                self._read[i] = Glyph(t, x0, top, x1, bottom, bottom - top, float(score)) if ok else None
        return [g for i in which if (g := self._read[i]) is not None]


def _ink_mask(img: Any, level: int) -> Any:
    import cv2

    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) < level


def _reach(ink: Any, quads: list[Any]) -> list[Any]:
    """The detector's boxes (quadrilaterals, pixels of ``ink``'s image) widened over ink
    that goes on past either end of the box, within REACH_GAP of its height, as far as it
    goes on: the detector below full resolution misses a thin first or last stroke (the
    "一" of "一、本年新收…"), which the recogniser would then never see. A box never
    widens into another box's ink or across a vertical rule."""
    import numpy as np

    if not quads:
        return quads
    rects = np.array([[q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()] for q in quads])
    out = []
    for i, q in enumerate(quads):
        x0, y0, x1, y1 = (int(v) for v in np.rint(rects[i]))
        h = y1 - y0
        if h < 6 or x1 <= x0:
            out.append(q)
            continue
        rows = ink[y0 : y1 + 1]
        core = rows[h // 5 : h - h // 5 + 1].any(axis=0)  # a stroke across the line's middle
        rule = rows.mean(axis=0) > 0.8  # a vertical rule: the box goes no further
        overlap = (np.minimum(rects[:, 3], y1) - np.maximum(rects[:, 1], y0)) > 0.5 * h
        overlap[i] = False
        left = [int(r[2]) + 1 for r in rects[overlap] if r[2] <= x0 + h / 4]
        right = [int(r[0]) - 1 for r in rects[overlap] if r[0] >= x1 - h / 4]
        gap = max(2, int(REACH_GAP * h))
        inside = np.nonzero(core[x0 : x1 + 1])[0]
        if not len(inside):
            out.append(q)
            continue
        new_x0 = _reach_end(core, rule, x0 + int(inside[0]), max(left, default=0), gap, -1)
        new_x1 = _reach_end(core, rule, x0 + int(inside[-1]), min(right, default=len(core) - 1), gap, +1)
        q = q.copy()
        q[[0, 3], 0] -= (x0 + int(inside[0])) - new_x0
        q[[1, 2], 0] += new_x1 - (x0 + int(inside[-1]))
        out.append(q)
    return out


def _reach_end(core: Any, rule: Any, x: int, limit: int, gap: int, step: int) -> int:
    """The last ink column from ``x`` (ink) going ``step`` (-1: left, +1: right), through
    gaps of at most ``gap`` blank columns, stopping at ``limit`` or at a rule."""
    blank = 0
    while blank <= gap:
        nxt = x + step * (blank + 1)
        if (nxt - limit) * step > 0 or rule[nxt]:
            break
        if core[nxt]:
            x, blank = nxt, 0
        else:
            blank += 1
    return x


def as_number(text: str) -> str:
    """A table cell read as "o" or "1O" is a number: confusable letters become digits."""
    if _DIGITISH.match(text) and not text.isdigit():
        fixed = text.translate(_CONFUSABLE)
        if any(c.isdigit() for c in fixed):
            return fixed
    return text


def _scaled_glyph(g: Glyph, k: float) -> Glyph:
    return Glyph(g.text, g.x0 * k, g.top * k, g.x1 * k, g.bottom * k, g.size * k, g.conf)


def _scaled_rule(r: Rule, k: float) -> Rule:
    return Rule(r.horizontal, r.pos * k, r.a * k, r.b * k)


# ====================================================================== ruling lines
def _ink(gray: Any) -> Any:
    import cv2

    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


def find_rules(gray: Any) -> list[Rule]:
    """Long thin runs of ink: table rules (pixel coordinates); and the vertical ones too
    short for that, one row high, where they join two horizontal rules (``_row_rules``)."""
    bw = _ink(gray)
    h, w = bw.shape
    thick = max(12, min(h, w) // 100)
    out: list[Rule] = []
    for horizontal in (True, False):
        out.extend(_line_components(_runs_of(bw, horizontal, max((w if horizontal else h) // 40, 25)), horizontal, thick))
    return out + _row_rules(bw, out, long=max(h // 40, 25), thick=thick, wide=w // 4)


def _runs_of(bw: Any, horizontal: bool, length: int) -> Any:
    """The ink of ``bw`` in straight runs at least ``length`` pixels long."""
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    lines = cv2.morphologyEx(bw, cv2.MORPH_OPEN, kernel)
    # close small breaks (scan noise, dashed rules) along the line
    return cv2.morphologyEx(lines, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1) if horizontal else (1, 9)))


def _row_rules(bw: Any, rules: list[Rule], long: int, thick: int, wide: int) -> list[Rule]:
    """Vertical rules shorter than ``long`` in a table row that has none of the long ones:
    the borders of a row alone (the last row of a table continued from the page before,
    above the next table), which the long runs miss, so the row read as one cell. Kept
    only where both ends meet a horizontal rule at least ``wide`` long, as a cell's
    border does (a character's stroke does not, nor the strokes of a large title), and
    only in a row that no long vertical rule crosses but the table's two sides (in a row
    that has its borders, a short run is a stroke or a broken piece of a rule, which read
    as "1")."""

    def meets(y: float, x: float) -> bool:
        return any(
            r.horizontal and r.b - r.a >= wide and abs(r.pos - y) <= thick and r.a - thick <= x <= r.b + thick for r in rules
        )

    def crossed(a: float, b: float) -> bool:  # by more than the table's two sides
        return sum(not r.horizontal and min(r.b, b) - max(r.a, a) > 0.5 * (b - a) for r in rules) > 2

    found = _line_components(_runs_of(bw, False, ROW_RULE_MIN), False, thick)
    return [r for r in found if r.b - r.a < long and meets(r.a, r.pos) and meets(r.b, r.pos) and not crossed(r.a, r.b)]


def _line_components(mask: Any, horizontal: bool, max_thick: int) -> list[Rule]:
    out = []
    for x, y, w, h in _component_boxes(mask):
        thick, long_ = (h, w) if horizontal else (w, h)
        if thick > max_thick or long_ < 3 * thick:
            continue  # a filled area (shading, a photo), not a rule
        if horizontal:
            out.append(Rule(True, y + h / 2, float(x), float(x + w)))
        else:
            out.append(Rule(False, x + w / 2, float(y), float(y + h)))
    return out


def _component_boxes(mask: Any) -> list[tuple[int, int, int, int]]:
    """``(x, y, w, h)`` of each 8-connected component of ``mask``, top to bottom, then left
    to right: the bounds of the components' outer borders (those of their holes left out),
    which on a page's rule masks, mostly empty, take a tenth of the time of labelling
    every pixel (``connectedComponentsWithStats``)."""
    import cv2

    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    outer = [c for c, (*_, parent) in zip(contours, hierarchy[0] if contours else [], strict=True) if parent < 0]
    return sorted((cv2.boundingRect(c) for c in outer), key=lambda b: (b[1], b[0], b[2], b[3]))


def _skew(gray: Any) -> float:
    """The small angle (degrees) the page is turned by, from its long horizontal rules;
    0 when it is straight or has none (text alone the detector copes with)."""
    import cv2
    import numpy as np

    bw = _ink(gray)
    w = bw.shape[1]
    opened = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 30, 20), 1)))
    if sum(cw >= w // 6 for _, _, cw, _ in _component_boxes(opened)) < 2:
        return 0.0  # fewer than two long rules (a page of text): no pixel labelling needed
    n, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    angles = []
    for i in range(1, n):
        x, y, cw, ch = (int(v) for v in stats[i][:4])
        if cw < w // 6:
            continue
        ys, xs = np.nonzero(labels[y : y + ch, x : x + cw] == i)
        slope = float(np.polyfit(xs, ys, 1)[0])
        a = float(np.degrees(np.arctan(slope)))
        if abs(a) <= MAX_SKEW_DEG:
            angles.append(a)
    if len(angles) < 2:
        return 0.0
    angle = float(np.median(angles))
    return angle if abs(angle) >= 0.15 else 0.0


def _rotate(img: Any, angle: float) -> Any:
    import cv2

    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = (255, 255, 255) if img.ndim == 3 else 255
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


# ====================================================================== table cells
def _read_page(gray: Any, grids: list[Grid], boxes: _Boxes, to_points: float) -> list[Glyph]:
    """The page's glyphs, table cells read from their own crops where the detector's box
    would not do: a cell that holds ink but no box (a lone "0" is often missed), a cell
    under a box that straddles two of them (the detector joined two cells' numbers), a
    cell under a short box (a number, where the recogniser sees the digits with a margin
    around them and no neighbour: single digits go wrong far less often that way), and a
    cell under a box that reads as a number or a ring. Every other box is recognised as
    RapidOCR recognises it; none twice."""
    heights = sorted(b[3] - b[1] for b in boxes.boxes)
    line = heights[len(heights) // 2] if heights else 0.0
    rects = [_rects(grid) for grid in grids]
    under = [_cells_under(grids, rects, b) for b in boxes.boxes]
    redo: dict[tuple[int, int], Box] = {}
    for b, cells in zip(boxes.boxes, under, strict=True):
        if len(cells) > 1 or (cells and _short(b, line)):
            redo.update(cells)
    # the boxes outside the tables, and the longer ones in a cell not read again anyway
    wanted = [i for i, cells in enumerate(under) if not cells.keys() <= redo.keys() or not cells]
    covered: set[tuple[int, int]] = set()
    for i, g in zip(wanted, (boxes.glyphs([i]) for i in wanted), strict=True):
        if g and under[i]:
            covered.update(under[i])
            if _NUMBERISH.match(g[0].text) or _DIGITISH.match(g[0].text) or _RINGISH.match(g[0].text):
                redo.update(under[i])
    for gi, grid in enumerate(grids):  # cells with ink but no box (or none readable)
        for k in range(len(grid.spans)):
            if (gi, k) not in covered and (gi, k) not in redo:
                redo[(gi, k)] = _rect(grid, k)
    keys = list(redo)
    read = _read_crops(gray, [redo[k] for k in keys], to_points, owners := [])
    # a cell whose reading found nothing keeps what the detector read in it (a lone "0"
    # the detector saw can be lost on the cell's crop): never trade a reading for none.
    # The boxes of such cells are recognised only now.
    failed = set(keys) - {keys[i] for i in owners}
    keep = [i for i, cells in enumerate(under) if not (cells.keys() & redo.keys()) or cells.keys() & redo.keys() <= failed]
    return boxes.glyphs(keep) + read


def _short(box: Box, line: float) -> bool:
    """A box of a few characters at most, one line high: in a table cell, a number."""
    w, h = box[2] - box[0], box[3] - box[1]
    return w < SHORT_BOX * h and h < 1.5 * line


def _rect(grid: Grid, k: int) -> Box:
    r0, r1, c0, c1 = grid.spans[k]
    return (grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1])


def _rects(grid: Grid) -> Any:
    """The boxes of ``grid``'s cells (``_rect`` of each), as an array: k x (x0, top, x1, bottom)."""
    import numpy as np

    return np.array([_rect(grid, k) for k in range(len(grid.spans))], dtype=float).reshape(-1, 4)


def _cells_under(grids: list[Grid], rects: list[Any], box: Box) -> dict[tuple[int, int], Box]:
    """The cells a box lies in, keyed (grid, cell): more than one when it straddles a
    rule by a fair part of its width (boxes are padded a little, so a sliver is not).
    ``rects``: each grid's ``_rects``."""
    import numpy as np

    out: dict[tuple[int, int], Box] = {}
    g = Glyph("", *box, box[3] - box[1])
    w, h = max(g.x1 - g.x0, 1e-6), max(g.bottom - g.top, 1e-6)
    for gi, grid in enumerate(grids):
        home = grid.locate(g.cx, g.cy)
        if home is None:
            continue
        out[(gi, home)] = _rect(grid, home)
        r = rects[gi]
        ox = np.minimum(g.x1, r[:, 2]) - np.maximum(g.x0, r[:, 0])
        oy = np.minimum(g.bottom, r[:, 3]) - np.maximum(g.top, r[:, 1])
        for k in np.flatnonzero((ox > max(0.3 * w, 2.0)) & (oy > 0.5 * h)):
            out[(gi, int(k))] = _rect(grid, int(k))
        break
    return out


def _read_crops(gray: Any, cells: list[Box], to_points: float, owners: list[int] | None = None) -> list[Glyph]:
    """Recognise the text lines inside each cell (points) that holds ink; ``owners``, when
    given, gets the index in ``cells`` of each glyph returned."""
    crops: list[Any] = []
    where: list[Box] = []
    whose: list[int] = []
    for i, cell in enumerate(cells):
        for box, crop in _text_lines(gray, cell, to_points):
            crops.append(crop)
            where.append(box)
            whose.append(i)
    if not crops:
        return []
    results = _engine().text_rec.strips(crops)
    out = []
    for (x0, top, x1, bottom), (text, score), i in zip(where, results, whose, strict=True):
        t = as_number(str(text).strip())
        if t and float(score) >= MIN_SCORE:
            out.append(Glyph(t, x0, top, x1, bottom, bottom - top, float(score)))
            if owners is not None:
                owners.append(i)
    return out


def _text_lines(gray: Any, cell: Box, to_points: float) -> list[tuple[Box, Any]]:
    """(box in points, crop) per line of ink inside a cell, its borders cut away and a
    white margin put around it, as the recogniser is used to from the detector's boxes."""
    import numpy as np

    k = 1.0 / to_points
    x0, top, x1, bottom = (round(v * k) for v in cell)
    pad = max(2, int(0.06 * min(x1 - x0, bottom - top)))
    crop = gray[top + pad : bottom - pad, x0 + pad : x1 - pad].copy()
    if crop.size == 0:
        return []
    ink = crop < INK_LEVEL
    # what is left of the cell's rules: rows or columns that are mostly ink
    ink[ink.mean(axis=1) > 0.7, :] = False
    ink[:, ink.mean(axis=0) > 0.7] = False
    if ink.sum() < 8:
        return []
    crop[~ink & (crop < INK_LEVEL)] = 255
    out = []
    for a, b in _runs(np.where(ink.any(axis=1))[0], gap=3):
        if b - a < 4:
            continue
        cols = np.where(ink[a : b + 1].any(axis=0))[0]
        margin = max(4, (b - a) // 3)
        line = np.pad(crop[a : b + 1, cols[0] : cols[-1] + 1], margin, constant_values=255)
        box = (
            (x0 + pad + cols[0]) * to_points,
            (top + pad + a) * to_points,
            (x0 + pad + cols[-1]) * to_points,
            (top + pad + b) * to_points,
        )
        out.append((box, line))
    return out


def _runs(idx: Any, gap: int) -> list[tuple[int, int]]:
    """Consecutive index runs (allowing small gaps): the text lines of a crop."""
    out: list[tuple[int, int]] = []
    for i in idx.tolist():
        if out and i - out[-1][1] <= gap:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def check_pixels(w: int, h: int, limit: int, path: str) -> None:
    if w * h > limit:
        raise InputTooLarge(f"图像尺寸 {w}×{h}（{w * h / 1e6:.0f} 百万像素）超过上限 {limit / 1e6:.0f} 百万像素", path)
