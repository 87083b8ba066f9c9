"""PDF reader: bytes -> Document, with table rows rebuilt from the page geometry.

Per document:

1. open with PDFium (pypdfium2) behind guards (content streams inflated with a bound
   before PDFium sees them, encryption, page count, objects per page, a time budget),
   never letting a PDFium error escape;
2. per page, PDFium parses the content in C; ``pdfium_page.py`` takes from it glyphs
   (characters with boxes) and rules (the strokes a table is drawn with) in the
   coordinates pdfminer's interpreter gave before; a page without a text layer, or a
   large picture with no text on it (a table pasted as a screenshot), is rasterised and
   OCRed (``ocr.py``), giving glyphs and rules just the same;
3. geometry (in ``layout.py``, ``layout_grid.py`` and ``layout_geom.py``, shared with
   image.py): rules -> table grids with merged cells; glyphs inside a grid -> cell text;
   glyphs outside -> lines;
4. across pages: running headers, footers and page numbers dropped; a table that goes on
   on the next page joined to its first part;
5. blocks: one row per grid row (label first, then one block per data column), one row
   per text line; unruled tables rebuilt from word positions.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import sys
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..domain import extras
from ..errors import CorruptDocument, GongkaiError, InputTooLarge
from ..gc_pause import gc_paused
from ..model import Document, Finding
from ..settings import DEFAULT, Settings
from . import ocr
from .layout import OCR_SECONDS_PER_PAGE, Budget, assemble
from .layout_geom import Box, Glyph, PageGeom, Rule
from .layout_grid import find_grids
from .pdfium_page import PageReader, page_ctm

# Bounds. A real annual report has a few hundred KB of content per page at most.
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024  # decoded content streams of one page
MAX_DOC_CONTENT_BYTES = 128 * 1024 * 1024  # decoded content streams of the whole document
MAX_PAGE_OBJECTS = 30_000  # chars + paths + images on one page (a dense real page has ~5,000)
OCR_DPI = 200  # rasterisation of text-less pages (A4 -> ~1650 x 2340 px)

PDF_HINT = "请先安装：pip install 'gongkai[pdf]'"
log = logging.getLogger("gongkai.ocr")  # one INFO line per OCRed page: the CLI shows it as progress
# set (to "1") by the CLI: a parse in a bounded worker process (gongkai.guard), where no
# handler listens, writes the progress lines to its stderr (the terminal's) itself
PROGRESS_ENV = "GONGKAI_PROGRESS"


# ====================================================================== PDFium front end
def read_pdf(data: bytes, path: str = "", settings: Settings = DEFAULT) -> Document:
    if len(data) > settings.max_input_bytes:
        raise InputTooLarge(f"文件大小 {len(data) // 1048576} MB 超过上限 {settings.max_input_bytes // 1048576} MB", path)
    # a missing extra is its own message, never "corrupt" from the catch-all below
    extras.require("pdf", path, "读取 PDF")
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
    except Exception as e:  # PDFium's and ctypes' errors: none may escape as a traceback
        raise CorruptDocument(f"PDF 文件已损坏，无法解析（{type(e).__name__}）", path) from None
    with gc_paused():
        doc = assemble(pages, path, "application/pdf")
    doc.findings.extend(findings)
    doc.meta.update(meta)
    return doc


def _pdfium(path: str) -> tuple[Any, Any]:
    try:
        import pypdfium2
        import pypdfium2.raw
    except ImportError:
        raise extras.missing("pdf", path, "读取 PDF") from None
    return pypdfium2, pypdfium2.raw


def _open(data: bytes, path: str) -> tuple[Any, bool]:
    """The document opened by PDFium, and whether the file lacks its end (a cut download)."""
    pdfium, raw = _pdfium(path)
    truncated = b"%%EOF" not in data[-2048:] and b"startxref" not in data[-4096:]
    check_streams(data, path)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise CorruptDocument("PDF 已加密，需要密码才能打开；请提供未加密的版本", path) from None
        if code == raw.FPDF_ERR_SECURITY:
            raise CorruptDocument("PDF 使用了不支持的加密方式，请提供未加密的版本", path) from None
        hint = "文件不完整（可能下载中断）" if truncated else "文件已损坏"
        raise CorruptDocument(f"无法打开 PDF：{hint}（PDFium 错误 {code}）", path) from None
    return doc, truncated


# streams PDFium does not inflate when it reads a page's text and paths (pictures, fonts,
# attachments), whose size is no bomb here
_NOT_CONTENT = re.compile(rb"/(?:Image|Length[123]|Type1C|CIDFontType0C|OpenType|EmbeddedFile|Metadata)\b")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")


def check_streams(data: bytes, path: str) -> None:
    """Refuse a compression bomb before PDFium inflates it: every Flate stream that may be
    content (not a picture, a font or an attachment) is inflated here with a bound, and
    one larger than MAX_PAGE_CONTENT_BYTES, or all of them together larger than
    MAX_DOC_CONTENT_BYTES, refuses the file. PDFium parses a page's content in C, all at
    once; this bound is what keeps that parse short (8 MB of operators: under a second)."""
    view = memoryview(data)
    total = 0
    for start, body in _streams(data):
        head = data[max(0, start - 4096) : start]
        k = head.rfind(b"obj")
        if k >= 0:
            head = head[k:]
        if not _FLATE.search(head) or _NOT_CONTENT.search(head):
            continue
        end = data.find(b"endstream", body)
        d = zlib.decompressobj()
        try:
            out = len(d.decompress(view[body : end if end > 0 else len(data)], MAX_PAGE_CONTENT_BYTES + 1))
        except zlib.error:
            continue  # encrypted or damaged: PDFium recovers what it can, under the object cap
        if out > MAX_PAGE_CONTENT_BYTES:
            raise InputTooLarge(f"PDF 的内容流解压后超过 {MAX_PAGE_CONTENT_BYTES // 1048576} MB（疑似 PDF 炸弹）", path)
        total += out
        if total > MAX_DOC_CONTENT_BYTES:
            raise InputTooLarge(f"PDF 内容流解压后超过 {MAX_DOC_CONTENT_BYTES // 1048576} MB（疑似 PDF 炸弹）", path)


def _streams(data: bytes) -> Iterator[tuple[int, int]]:
    """(where the keyword is, where the data starts) of every ``stream`` keyword that is not
    the end of ``endstream`` and is followed by an end of line (a plain find: a regex with
    a look-behind scans byte by byte, 40 ms for a 400 KB file)."""
    i = data.find(b"stream")
    while i >= 0:
        j = i + 6
        if not (i > 0 and data[i - 1 : i].isalpha()):
            if data[j : j + 2] == b"\r\n":
                yield i, j + 2
            elif data[j : j + 1] in (b"\n", b"\r"):
                yield i, j + 1
        i = data.find(b"stream", j)


def _read_pages(
    data: bytes, path: str, settings: Settings, budget: Budget, findings: list[Finding]
) -> tuple[list[PageGeom], dict[str, Any]]:
    doc, truncated = _open(data, path)
    try:
        _, raw = _pdfium(path)
        count = len(doc)
        limit = settings.max_pdf_pages
        if count > limit:
            raise InputTooLarge(f"PDF 共 {count} 页，超过上限 {limit} 页", path)
        if count <= 0:
            raise CorruptDocument("PDF 中没有可读的页面（文件可能已损坏或不完整）", path)
        reader = PageReader(raw, MAX_PAGE_OBJECTS, path)
        pages: list[PageGeom] = []
        jobs: dict[int, list[Box] | None] = {}
        with gc_paused():  # thousands of glyphs a page, and no reference cycles (tests/test_no_cycles.py)
            for n in range(1, count + 1):
                budget.check()
                geom = _page(raw, doc, n, reader, path)
                need = ocr_regions(geom)
                if need != []:
                    jobs[n] = need
                pages.append(geom)
        meta: dict[str, Any] = {"encrypted": raw.FPDF_GetSecurityHandlerRevision(doc.raw) != -1}
    finally:
        doc.close()
    if truncated:
        findings.append(Finding.of("PDF_TRUNCATED"))
    if jobs:
        _ocr_pages(data, pages, jobs, settings, budget, path, findings, meta)
    return pages, meta


def _page(raw: Any, doc: Any, n: int, reader: PageReader, path: str) -> PageGeom:
    """Page ``n`` (1-based) read by PDFium into glyphs, rules and pictures; a page whose
    text mostly runs up or down (a landscape table set on a portrait page), or upside
    down, is turned to read across."""
    page = raw.FPDF_LoadPage(doc.raw, n - 1)
    if not page:
        raise CorruptDocument(f"第 {n} 页无法解析：文件已损坏或不完整", path)
    textpage = None
    try:
        rotate = (raw.FPDFPage_GetRotation(page) % 4) * 90
        ctm, width, height = page_ctm(rotate, _mediabox(raw, page))
        objects = raw.FPDFPage_CountObjects(page)
        textpage = raw.FPDFText_LoadPage(page)
        if not textpage:
            raise CorruptDocument(f"第 {n} 页无法解析：文件已损坏或不完整", path)
        if raw.FPDFText_CountChars(textpage) + objects > MAX_PAGE_OBJECTS:
            raise InputTooLarge(f"单页对象数超过 {MAX_PAGE_OBJECTS} 个（疑似 PDF 炸弹）", path)
        glyphs, turned = reader.glyphs(textpage, ctm, height)
        rules, images, paths, _ = reader.objects(page, ctm, height)
    finally:
        if textpage:
            raw.FPDFText_ClosePage(textpage)
        raw.FPDF_ClosePage(page)
    geom = PageGeom(n, width, height, glyphs, rules, images=images, paths=paths)
    most = turned.most_common(1)
    if most and most[0][1] > 0.6 * len(glyphs):
        geom = _turned(geom, most[0][0])
    return geom


def _mediabox(raw: Any, page: Any) -> Box:
    """The page's media box (PDF user space), US Letter when it has none (as pdfminer did)."""
    v = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPage_GetMediaBox(page, *(ctypes.byref(x) for x in v)):
        return (0.0, 0.0, 612.0, 792.0)
    x0, y0, x1, y1 = (x.value for x in v)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _turned(g: PageGeom, turn: int) -> PageGeom:
    """The page turned so that text running up (90), upside down (180) or down (270) runs across."""
    w, h = g.width, g.height

    def pt(x: float, y: float) -> tuple[float, float]:
        if turn == 180:
            return (w - x, h - y)
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
    w, h = (w, h) if turn == 180 else (h, w)
    return PageGeom(g.number, w, h, glyphs, rules, g.ocr)


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
    done = [0]

    def one(n: int, img: Any, scale: float) -> tuple[int, list[tuple[list[Glyph], list[Rule]]]]:
        budget.check()
        g, regions = pages[n - 1], jobs[n]
        boxes = [(0.0, 0.0, g.width, g.height)] if regions is None else regions
        return n, [_recognise_region(ocr, img, scale, box, n, path) for box in boxes]

    def apply(n: int, results: list[tuple[list[Glyph], list[Rule]]]) -> None:
        g = pages[n - 1]
        for glyphs, rules in results:
            if jobs[n] is None:
                g.glyphs, g.rules = glyphs, rules
            else:
                g.glyphs.extend(glyphs)
                g.rules.extend(rules)
            confs.extend(x.conf for x in glyphs)
        g.ocr = True
        done[0] += 1
        _progress(f"文字识别（OCR）：{path or 'PDF'} 第 {n} 页，已完成 {done[0]}/{len(jobs)} 页")

    # pages in parallel (ONNX Runtime releases the GIL), rendered one after another (PDFium
    # is not thread-safe), at most two pages per worker in memory
    n_workers = min(ocr.workers(settings.ocr_workers), len(jobs))
    pending: deque[Future[tuple[int, list[tuple[list[Glyph], list[Rule]]]]]] = deque()
    with ThreadPoolExecutor(n_workers, thread_name_prefix="gongkai-ocr") as pool:
        try:
            for n, img, scale in ocr.render_pdf_pages(data, sorted(jobs), OCR_DPI, path):
                budget.check()
                pending.append(pool.submit(one, n, img, scale))
                while len(pending) >= 2 * n_workers:
                    apply(*pending.popleft().result())
            while pending:
                apply(*pending.popleft().result())
        except BaseException:
            for f in pending:
                f.cancel()
            raise
    meta.update(ocr=True, ocr_pages=sorted(jobs))
    if confs:
        meta["ocr_confidence"] = round(sum(confs) / len(confs), 3)
        meta["ocr_low_confidence"] = sum(1 for c in confs if c < 0.8)
    findings.append(Finding.of("OCR", "scans" if scans else "pictures", pages=_pages_str(sorted(jobs))))


def _progress(message: str) -> None:
    log.info(message)
    if os.environ.get(PROGRESS_ENV) == "1" and not log.hasHandlers():
        print(message, file=sys.stderr, flush=True)


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
    why = "missing" if enabled else "off"  # OCR asked for but not installed, or not asked for
    if scans:
        findings.append(Finding.of("OCR_SKIPPED", "scans_" + why, pages=_pages_str(scans)))
    if pictures:
        findings.append(Finding.of("OCR_SKIPPED", "pictures_" + why, pages=_pages_str(pictures)))


def _pages_str(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers[:10]) + ("等" if len(numbers) > 10 else "")


__all__ = ["Box", "Glyph", "PageGeom", "Rule", "assemble", "find_grids", "ocr_regions", "read_pdf"]
