"""PDF reader: bytes -> Document, with table rows rebuilt from the page geometry.

Per document:

1. open with pdfminer behind guards (encryption, page count, content-stream size, a time
   budget), never letting a pdfminer exception escape;
2. per page, interpret the content once, without pdfminer's layout analysis, into glyphs
   (characters with boxes) and rules (the strokes a table is drawn with); a page without a
   text layer, or a large picture with no text on it (a table pasted as a screenshot), is
   rasterised and OCRed (``ocr.py``), giving glyphs and rules just the same;
3. geometry (in ``layout.py``, ``layout_grid.py`` and ``layout_geom.py``, shared with
   image.py): rules -> table grids with merged cells; glyphs inside a grid -> cell text;
   glyphs outside -> lines;
4. across pages: running headers, footers and page numbers dropped; a table that goes on
   on the next page joined to its first part;
5. blocks: one row per grid row (label first, then one block per data column), one row
   per text line; unruled tables rebuilt from word positions.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from ..errors import CorruptDocument, GongkaiError, InputTooLarge
from ..model import Document, Finding
from ..settings import DEFAULT, Settings
from . import ocr
from .layout import OCR_SECONDS_PER_PAGE, Budget, assemble
from .layout_geom import Box, Glyph, PageGeom, Rule
from .layout_grid import MIN_RULE, find_grids

# Bounds. A real annual report has a few hundred KB of content per page at most.
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024  # decoded content streams of one page
MAX_DOC_CONTENT_BYTES = 128 * 1024 * 1024  # decoded content streams of the whole document
MAX_PAGE_OPERATORS = 200_000  # content operators on one page (a dense real page has ~20,000)
MAX_PAGE_OBJECTS = 30_000  # chars + paths + images on one page (a dense real page has ~5,000)
OCR_DPI = 200  # rasterisation of text-less pages (A4 -> ~1650 x 2340 px)

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # broken PDFs are our message, not its log


# ====================================================================== pdfminer front end
def read_pdf(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(f"文件大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", path)
    budget = Budget(settings.max_pdf_seconds, path)
    findings: list[Finding] = []
    try:
        pages, meta = _read_pages(data, path, settings, budget, findings)
    except GongkaiError:
        raise
    except RecursionError:
        raise CorruptDocument("PDF 结构嵌套过深（可能是循环引用），无法解析", path) from None
    except MemoryError:
        raise InputTooLarge("PDF 解析所需内存超过上限（疑似 PDF 炸弹）", path) from None
    except Exception as e:  # pdfminer raises many types; none may escape as a traceback
        raise CorruptDocument(f"PDF 文件已损坏，无法解析（{type(e).__name__}）", path) from None
    doc = assemble(pages, path, "application/pdf")
    doc.findings.extend(findings)
    doc.meta.update(meta)
    return doc


def _open(data: bytes, path: str) -> Any:
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    truncated = b"%%EOF" not in data[-2048:] and b"startxref" not in data[-4096:]
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise CorruptDocument("PDF 已加密，需要密码才能打开；请提供未加密的版本", path) from None
    except PDFEncryptionError as e:
        raise CorruptDocument(f"PDF 使用了不支持的加密方式（{e}），请提供未加密的版本", path) from None
    except Exception as e:
        hint = "文件不完整（可能下载中断）" if truncated else "文件已损坏"
        raise CorruptDocument(f"无法打开 PDF：{hint}（{type(e).__name__}）", path) from None
    return doc, truncated


def _page_count(doc: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(doc.catalog.get("Pages"))
        n = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception:
        return None
    return n if isinstance(n, int) else None


def _read_pages(
    data: bytes, path: str, settings: Settings, budget: Budget, findings: list[Finding]
) -> tuple[list[PageGeom], dict[str, Any]]:
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    doc, truncated = _open(data, path)
    declared = _page_count(doc)
    limit = settings.max_pdf_pages
    if declared is not None and declared > limit:
        raise InputTooLarge(f"PDF 共 {declared} 页，超过上限 {limit} 页", path)
    rsrc = PDFResourceManager(caching=True)
    pages: list[PageGeom] = []
    content_total = 0
    jobs: dict[int, list[Box] | None] = {}
    for n, page in enumerate(PDFPage.create_pages(doc), start=1):
        if n > limit:
            raise InputTooLarge(f"PDF 超过 {limit} 页的上限", path)
        budget.check()
        content_total += _content_size(page, n, path)
        if content_total > MAX_DOC_CONTENT_BYTES:
            raise InputTooLarge(f"PDF 内容流解压后超过 {MAX_DOC_CONTENT_BYTES // 1048576} MB（疑似 PDF 炸弹）", path)
        geom = _interpret(rsrc, page, n, budget, path)
        need = ocr_regions(geom)
        if need != []:
            jobs[n] = need
        pages.append(geom)
    if not pages:
        raise CorruptDocument("PDF 中没有可读的页面（文件可能已损坏或不完整）", path)
    meta: dict[str, Any] = {"encrypted": bool(getattr(doc, "encryption", None))}
    if truncated:
        findings.append(
            Finding("PDF_TRUNCATED", "warning", "PDF 文件结尾缺失（可能下载不完整），已尽量读取", source="extraction")
        )
    if jobs:
        _ocr_pages(data, pages, jobs, settings, budget, path, findings, meta)
    return pages, meta


def _content_size(page: Any, n: int, path: str) -> int:
    """Decoded size of the page's content streams and form XObjects, measured with a bounded
    inflate so that a compression bomb is refused before pdfminer inflates it whole."""
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    streams = [resolve1(s) for s in page.contents]
    try:
        xobjs = resolve1(resolve1(page.resources or {}).get("XObject", {})) or {}
        for x in xobjs.values() if isinstance(xobjs, dict) else []:
            x = resolve1(x)
            if isinstance(x, PDFStream) and x.get("Subtype") is LIT("Form"):
                streams.append(x)
    except Exception:
        pass  # resources pdfminer cannot resolve are its problem when it interprets the page
    total = 0
    for s in streams:
        if isinstance(s, PDFStream):
            total += _stream_size(s, MAX_PAGE_CONTENT_BYTES - total)
        if total > MAX_PAGE_CONTENT_BYTES:
            raise InputTooLarge(f"第 {n} 页的内容流解压后超过 {MAX_PAGE_CONTENT_BYTES // 1048576} MB（疑似 PDF 炸弹）", path)
    return total


def _stream_size(s: Any, room: int) -> int:
    from pdfminer.psparser import LIT

    if s.rawdata is None:
        return len(s.data or b"")
    raw = s.rawdata
    if s.decipher and s.objid is not None:
        raw = s.decipher(s.objid, s.genno, raw, s.attrs)
    filters = [f for f, _ in s.get_filters()]
    if not filters:
        return len(raw)
    if filters[0] not in (LIT("FlateDecode"), LIT("Fl")):
        return len(raw)  # other filters expand little; the time budget covers the rest
    d = zlib.decompressobj()
    try:
        out = d.decompress(raw, max(room, 0) + 1)
    except zlib.error:
        return len(raw)  # pdfminer recovers what it can from a damaged stream
    return len(out)


def _interpret(rsrc: Any, page: Any, n: int, budget: Budget, path: str) -> PageGeom:
    device_cls, interp_cls = _pdfminer_classes()
    device = device_cls(rsrc, laparams=None)
    device.guard = _Guard(budget, path)
    try:
        interp_cls(rsrc, device).process_page(page)
    except GongkaiError:
        raise
    except RecursionError:
        raise CorruptDocument(f"第 {n} 页结构嵌套过深（可能是循环引用）", path) from None
    except Exception as e:
        raise CorruptDocument(f"第 {n} 页无法解析：文件已损坏或不完整（{type(e).__name__}）", path) from None
    return _geometry(device.get_result(), n)


class _Guard:
    """Counts what pdfminer does on one page: painted objects and content operators."""

    def __init__(self, budget: Budget, path: str) -> None:
        self.budget = budget
        self.path = path
        self.objects = 0
        self.ops = 0

    def object(self) -> None:
        self.objects += 1
        if self.objects > MAX_PAGE_OBJECTS:
            raise InputTooLarge(f"单页对象数超过 {MAX_PAGE_OBJECTS} 个（疑似 PDF 炸弹）", self.path)

    def op(self) -> None:
        self.ops += 1
        if self.ops > MAX_PAGE_OPERATORS:
            raise InputTooLarge(f"单页绘图指令超过 {MAX_PAGE_OPERATORS} 条（疑似 PDF 炸弹）", self.path)
        if self.ops & 1023 == 0:
            self.budget.check()


@lru_cache(maxsize=1)
def _pdfminer_classes() -> tuple[type, type]:
    """pdfminer's aggregator (without layout analysis) and interpreter, counting every
    painted object and content operator, so a flood of either stops within bounds."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter

    class Device(PDFPageAggregator):  # type: ignore[misc]
        guard: _Guard

        def render_char(self, *a: Any, **k: Any) -> float:
            self.guard.object()
            return float(super().render_char(*a, **k))

        def paint_path(self, *a: Any, **k: Any) -> None:
            self.guard.object()
            super().paint_path(*a, **k)

        def render_image(self, *a: Any, **k: Any) -> None:
            self.guard.object()
            super().render_image(*a, **k)

    class Interpreter(PDFPageInterpreter):  # type: ignore[misc]
        pass

    for name in dir(PDFPageInterpreter):
        if name.startswith("do_"):
            setattr(Interpreter, name, _counted(getattr(PDFPageInterpreter, name)))
    return Device, Interpreter


def _counted(method: Any) -> Any:
    """``method`` with the operator counted first. pdfminer pops as many operands as the
    method's code takes, so the wrapper keeps the exact positional arity."""
    n = method.__code__.co_argcount - 1

    def op0(self: Any) -> Any:
        self.device.guard.op()
        return method(self)

    def op1(self: Any, a: Any) -> Any:
        self.device.guard.op()
        return method(self, a)

    def op2(self: Any, a: Any, b: Any) -> Any:
        self.device.guard.op()
        return method(self, a, b)

    def op3(self: Any, a: Any, b: Any, c: Any) -> Any:
        self.device.guard.op()
        return method(self, a, b, c)

    def op4(self: Any, a: Any, b: Any, c: Any, d: Any) -> Any:
        self.device.guard.op()
        return method(self, a, b, c, d)

    def op6(self: Any, a: Any, b: Any, c: Any, d: Any, e: Any, f: Any) -> Any:
        self.device.guard.op()
        return method(self, a, b, c, d, e, f)

    wrappers = {0: op0, 1: op1, 2: op2, 3: op3, 4: op4, 6: op6}
    return wrappers.get(n, method)  # an arity pdfminer does not use: left uncounted


def _geometry(lt_page: Any, n: int) -> PageGeom:
    """pdfminer's page objects -> glyphs, rules and where the pictures are.
    Glyphs set at an oblique angle (watermarks) are left out; a page whose text mostly runs
    up or down (a landscape table set on a portrait page) is turned to read across."""
    from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage

    x_min, y_min, x_max, y_max = lt_page.bbox
    glyphs: list[Glyph] = []
    turns: list[int] = []
    rules: list[Rule] = []
    images: list[Box] = []
    paths = [0]

    def walk(objs: Iterable[Any]) -> None:
        for o in objs:
            if isinstance(o, LTChar):
                t = o.get_text()
                turn = _turn(o.matrix)
                if t.strip() and o.width > 0 and turn is not None:
                    glyphs.append(Glyph(t, o.x0 - x_min, y_max - o.y1, o.x1 - x_min, y_max - o.y0, float(o.size)))
                    turns.append(turn)
            elif isinstance(o, LTCurve):
                rules.extend(_rules_of(o, x_min, y_max))
                paths[0] += 1
            elif isinstance(o, LTImage) and o.width > 0 and o.height > 0:
                images.append((o.x0 - x_min, y_max - o.y1, o.x1 - x_min, y_max - o.y0))
            elif isinstance(o, LTFigure):
                walk(o)

    walk(lt_page)
    geom = PageGeom(n, x_max - x_min, y_max - y_min, glyphs, rules, images=images, paths=paths[0])
    sideways = Counter(t for t in turns if t in (90, 270)).most_common(1)
    if sideways and sideways[0][1] > 0.6 * len(turns):
        geom = _turned(geom, sideways[0][0])
    return geom


def _turn(m: Sequence[float]) -> int | None:
    """Which way a glyph's text runs: 0 across, 90 up, 180 upside down, 270 down; None
    for an oblique angle."""
    a, b, c, d = m[0], m[1], m[2], m[3]
    if abs(b) <= 0.35 * abs(a) and abs(c) <= 0.35 * abs(d):
        return 0 if a > 0 else 180
    if abs(a) <= 0.35 * abs(b) and abs(d) <= 0.35 * abs(c):
        return 90 if b > 0 else 270
    return None


def _turned(g: PageGeom, turn: int) -> PageGeom:
    """The page turned so that text running up (90) or down (270) runs across."""
    w, h = g.width, g.height

    def pt(x: float, y: float) -> tuple[float, float]:
        return (h - y, x) if turn == 90 else (y, w - x)

    glyphs = []
    for gl in g.glyphs:
        (ax, ay), (bx, by) = pt(gl.x0, gl.top), pt(gl.x1, gl.bottom)
        x0, x1, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
        glyphs.append(Glyph(gl.text, x0, top, x1, bottom, bottom - top, gl.conf))
    rules = []
    for r in g.rules:
        (ax, ay), (bx, by) = (pt(r.a, r.pos), pt(r.b, r.pos)) if r.horizontal else (pt(r.pos, r.a), pt(r.pos, r.b))
        if abs(ax - bx) < abs(ay - by):
            rules.append(Rule(False, ax, min(ay, by), max(ay, by)))
        else:
            rules.append(Rule(True, ay, min(ax, bx), max(ax, bx)))
    return PageGeom(g.number, h, w, glyphs, rules, g.ocr)


def _rules_of(o: Any, x_min: float, y_max: float) -> list[Rule]:
    """The axis-parallel strokes a path draws, if it is visible: stroked in a dark colour,
    or filled dark and thin (a rule drawn as a thin filled rectangle)."""
    stroked = bool(o.stroke) and not _light(o.stroking_color)
    filled = bool(o.fill) and not _light(o.non_stroking_color)
    w, h = o.x1 - o.x0, o.y1 - o.y0
    if filled and min(w, h) <= 2.5 and max(w, h) >= MIN_RULE:
        if w >= h:
            return [Rule(True, y_max - (o.y0 + o.y1) / 2, o.x0 - x_min, o.x1 - x_min)]
        return [Rule(False, (o.x0 + o.x1) / 2 - x_min, y_max - o.y1, y_max - o.y0)]
    if not stroked:
        return []
    out: list[Rule] = []
    pts = [(x - x_min, y_max - y) for x, y in (o.pts or [])]
    for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1] if len(pts) > 2 else pts[1:], strict=False):
        if abs(ay - by) <= 1.0 and abs(ax - bx) >= MIN_RULE:
            out.append(Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= 1.0 and abs(ay - by) >= MIN_RULE:
            out.append(Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by)))
    return out


def _light(color: Any) -> bool:
    """White or nearly (invisible on paper): cell backgrounds, not rules."""
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return float(color) >= 0.9
    if isinstance(color, (tuple, list)):
        vals = [float(v) for v in color if isinstance(v, (int, float))]
        if len(vals) == 1:
            return vals[0] >= 0.9
        if len(vals) == 3:
            return min(vals) >= 0.9
        if len(vals) == 4:
            return max(vals) <= 0.1
    return False


# ====================================================================== pages without text
def ocr_regions(g: PageGeom) -> list[Box] | None:
    """What of a page only OCR can read: None for the whole page, else the large pictures
    with no text over them (a table pasted as a screenshot), possibly none. The whole
    page when it has (almost) no usable text and is mostly picture (a scan), is drawn
    as outlines (thousands of paths), or its text is undecodable "(cid:12)" glyphs."""
    area = max(g.width * g.height, 1.0)
    cid = sum(1 for x in g.glyphs if x.text.startswith("(cid:"))
    text = sum(len(x.text) for x in g.glyphs if not x.text.startswith("(cid:"))
    covered = sum((b[2] - b[0]) * (b[3] - b[1]) for b in g.images)
    if text < 10 and (covered >= 0.3 * area or g.paths >= 1500):
        return None
    if cid >= 20 and cid > len(g.glyphs) / 2:
        return None
    out = []
    for b in g.images:
        inside = sum(1 for x in g.glyphs if b[0] <= x.cx <= b[2] and b[1] <= x.cy <= b[3])
        if (b[2] - b[0]) * (b[3] - b[1]) >= 0.08 * area and inside < 5:
            out.append(b)
    return out


def _ocr_pages(
    data: bytes,
    pages: list[PageGeom],
    jobs: dict[int, list[Box] | None],
    settings: Settings,
    budget: Budget,
    path: str,
    findings: list[Finding],
    meta: dict[str, Any],
) -> None:
    """OCR whole scanned pages, and pictures without text on text pages. Scans need the
    OCR extra (MissingDependency names it); pictures without it only give a warning, as
    they may as well be photos."""
    scans = [n for n, regions in jobs.items() if regions is None]
    pictures = [n for n, regions in jobs.items() if regions]
    if not settings.ocr or (not scans and not ocr.available()):
        _ocr_skipped(findings, scans, pictures, settings.ocr)
        return
    ocr.require(path, f"PDF 第 {_pages_str(scans or pictures)} 页没有可用的文字层（扫描图像，或文字无法解码）", pdf=True)
    budget.extend(OCR_SECONDS_PER_PAGE * len(jobs))
    confs: list[float] = []
    for n, img, scale in ocr.render_pdf_pages(data, sorted(jobs), OCR_DPI, path):
        budget.check()
        g = pages[n - 1]
        regions = jobs[n]
        for box in [(0.0, 0.0, g.width, g.height)] if regions is None else regions:
            glyphs, rules = _recognise_region(ocr, img, scale, box, n, path)
            if regions is None:
                g.glyphs, g.rules = glyphs, rules
            else:
                g.glyphs.extend(glyphs)
                g.rules.extend(rules)
            confs.extend(x.conf for x in glyphs)
        g.ocr = True
    meta.update(ocr=True, ocr_pages=sorted(jobs))
    if confs:
        meta["ocr_confidence"] = round(sum(confs) / len(confs), 3)
        meta["ocr_low_confidence"] = sum(1 for c in confs if c < 0.8)
    what = f"第 {_pages_str(sorted(jobs))} 页" + ("（扫描图像或无法解码的文字）" if scans else "的图片")
    findings.append(Finding("OCR", "info", f"{what}内容经文字识别（OCR）读取，数字可能有误", source="extraction"))


def _recognise_region(ocr: Any, img: Any, scale: float, box: Box, n: int, path: str) -> tuple[list[Glyph], list[Rule]]:
    """OCR the part of a rendered page under ``box`` (points); results in page points."""
    x0, top = max(int(box[0] * scale), 0), max(int(box[1] * scale), 0)
    crop = img[top : int(box[3] * scale) + 1, x0 : int(box[2] * scale) + 1]
    if crop.size == 0:
        return [], []
    try:
        glyphs, rules = ocr.recognise(crop, 1.0 / scale)
    except Exception as e:  # the OCR engine's own failure, not a broken PDF
        raise GongkaiError(f"第 {n} 页文字识别（OCR）失败：{type(e).__name__}: {e}", path) from None
    dx, dy = x0 / scale, top / scale
    for g in glyphs:
        g.x0, g.x1, g.top, g.bottom = g.x0 + dx, g.x1 + dx, g.top + dy, g.bottom + dy
    moved = [
        Rule(
            r.horizontal,
            r.pos + (dy if r.horizontal else dx),
            r.a + (dx if r.horizontal else dy),
            r.b + (dx if r.horizontal else dy),
        )
        for r in rules
    ]
    return glyphs, moved


def _ocr_skipped(findings: list[Finding], scans: list[int], pictures: list[int], enabled: bool) -> None:
    why = "按设置未做文字识别" if not enabled else '未安装文字识别组件（pip install "gongkai[ocr]"），未能读取'
    if scans:
        findings.append(
            Finding(
                "OCR_SKIPPED",
                "warning",
                f"第 {_pages_str(scans)} 页没有可用的文字层（扫描图像或无法解码的文字），{why}",
                source="extraction",
            )
        )
    if pictures:
        findings.append(
            Finding(
                "OCR_SKIPPED", "warning", f"第 {_pages_str(pictures)} 页有大幅图片（可能是表格截图），{why}", source="extraction"
            )
        )


def _pages_str(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers[:10]) + ("等" if len(numbers) > 10 else "")


__all__ = ["Box", "Glyph", "PageGeom", "Rule", "assemble", "find_grids", "ocr_regions", "read_pdf"]
