"""The source side of the report page: page images with each cell's box (PDF, scans), or
the source text with each cell's span (text, HTML, DOCX).

Page images are rendered with pdfium (pypdfium2, the renderer of Chrome) once per page and
kept under the data folder by content hash; report text never becomes a file name.
"""

from __future__ import annotations

import bisect
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..api import read_bytes
from ..errors import GongkaiError
from ..model import Report

RENDER_SCALE = 1.5  # 108 dpi: numbers legible, a page ~150 kB
MAX_IMAGE_SIDE = 4000


@dataclass(slots=True)
class Box:
    key: str
    x: float
    y: float
    w: float
    h: float
    status: str


@dataclass(slots=True)
class Page:
    n: int  # 1-based
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)


@dataclass(slots=True)
class Segment:
    text: str
    key: str | None = None


@dataclass(slots=True)
class SourceView:
    kind: str  # "pages" | "text" | "none"
    pages: list[Page] = field(default_factory=list)
    lines: list[list[Segment]] = field(default_factory=list)
    message: str | None = None  # why there is nothing to show


class Lru:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_SIZES = Lru(256)  # content hash -> [(width, height)] of its pages
_TEXT = Lru(64)  # content hash -> lines of (text, origin) pieces
_RENDER_LOCK = threading.Lock()  # pdfium is not thread-safe


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def is_image(media_type: str | None) -> bool:
    return bool(media_type and media_type.startswith("image/"))


def page_sizes(data: bytes, digest: str, media_type: str | None) -> list[tuple[float, float]]:
    got = _SIZES.get(digest)
    if got is not None:
        return got
    if is_image(media_type):
        from PIL import Image  # the web extra (pillow)

        with Image.open(io.BytesIO(data)) as im:
            sizes = [(float(im.width), float(im.height))]
    else:
        import pypdfium2 as pdfium  # the web extra

        with _RENDER_LOCK:
            pdf = pdfium.PdfDocument(data)
            try:
                sizes = [tuple(map(float, pdf.get_page_size(i))) for i in range(len(pdf))]
            finally:
                pdf.close()
    _SIZES.put(digest, sizes)
    return sizes  # type: ignore[return-value]


def render_page(data: bytes, media_type: str | None, n: int, dest: Path) -> Path:
    """PNG of page ``n`` (1-based) at ``dest`` (rendered once; written atomically)."""
    if dest.is_file():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    if is_image(media_type):
        from PIL import Image  # the web extra (pillow)

        with Image.open(io.BytesIO(data)) as im:
            im.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            out = im.convert("RGB") if im.mode not in ("RGB", "L") else im.copy()
    else:
        import pypdfium2 as pdfium  # the web extra

        with _RENDER_LOCK:
            pdf = pdfium.PdfDocument(data)
            try:
                if not 1 <= n <= len(pdf):
                    raise IndexError(n)
                page = pdf[n - 1]
                out = page.render(scale=RENDER_SCALE).to_pil()
                page.close()
            finally:
                pdf.close()
    tmp = dest.with_name(dest.name + ".partial")
    out.save(tmp, "PNG", optimize=True)
    tmp.replace(dest)
    return dest


def _status(report: Report, key: str) -> str:
    c = report.cells.get(key)
    return "absent" if c is None else c.status


def page_view(report: Report, data: bytes, digest: str) -> SourceView:
    try:
        sizes = page_sizes(data, digest, report.media_type)
    except Exception as e:  # a PDF pdfium cannot open still has its tables on the right
        return SourceView("none", message=f"无法显示页面图像：{type(e).__name__}")
    pages = [Page(i + 1, w, h) for i, (w, h) in enumerate(sizes)]
    for key, c in report.cells.items():
        o = c.origin
        if o is None or o.bbox is None:
            continue
        n = o.page or 1
        if not 1 <= n <= len(pages):
            continue
        x0, top, x1, bottom = (float(v) for v in o.bbox)
        pad = 1.5
        pages[n - 1].boxes.append(Box(key, x0 - pad, top - pad, x1 - x0 + 2 * pad, bottom - top + 2 * pad, c.status))
    return SourceView("pages", pages=pages)


# A text source's pieces, line by line: (text, start, end, table, row, col) of each block
# (None where the block has no such origin; a tab between a line's blocks), kept as plain
# tuples of str/int/None, which the cyclic collector leaves untracked.
Piece = tuple[str, int | None, int | None, int | None, int | None, int | None]
_TAB: Piece = ("\t", None, None, None, None, None)


def _pieces(data: bytes, path: str, digest: str) -> tuple[tuple[Piece, ...], ...]:
    got = _TEXT.get(digest)
    if got is not None:
        return got
    doc = read_bytes(data, path)
    lines: list[list[Piece]] = []
    row = None
    for b in doc.blocks:
        if b.row != row:
            lines.append([])
            row = b.row
        elif lines[-1]:
            lines[-1].append(_TAB)
        o = b.origin
        if o is None:
            lines[-1].append((b.text, None, None, None, None, None))
        else:
            lines[-1].append((b.text, o.start, o.end, o.table, o.row, o.col))
    out = tuple(tuple(line) for line in lines)
    _TEXT.put(digest, out)
    return out


def text_view(report: Report, data: bytes, path: str, digest: str) -> SourceView:
    try:
        pieces = _pieces(data, path, digest)
    except GongkaiError as e:
        return SourceView("none", message=e.message)
    by_cell: dict[tuple[int, int, int], str] = {}
    by_offset: list[tuple[int, int, str]] = []
    for key, c in report.cells.items():
        o = c.origin
        if o is None:
            continue
        if o.table is not None and o.row is not None and o.col is not None:
            by_cell.setdefault((o.table, o.row, o.col), key)
        elif o.start is not None and o.end is not None and o.end > o.start:
            by_offset.append((o.start, o.end, key))
    by_offset.sort()
    starts = [s for s, _, _ in by_offset]
    out: list[list[Segment]] = []
    for line in pieces:
        segs: list[Segment] = []
        for text, start, end, table, row, col in line:
            if table is not None and row is not None and col is not None and (table, row, col) in by_cell:
                segs.append(Segment(text, by_cell[(table, row, col)]))
                continue
            if start is not None and end is not None and end - start == len(text) and by_offset:
                i = bisect.bisect_left(starts, start)
                at = 0
                while i < len(by_offset) and by_offset[i][0] < end:
                    s, e, key = by_offset[i]
                    a, b = s - start, min(e, end) - start
                    if a >= at:
                        if a > at:
                            segs.append(Segment(text[at:a]))
                        segs.append(Segment(text[a:b], key))
                        at = b
                    i += 1
                if at < len(text):
                    segs.append(Segment(text[at:]))
                continue
            segs.append(Segment(text))
        out.append(segs)
    return SourceView("text", lines=out)


def source_view(report: Report, found: tuple[bytes, str, str] | None) -> SourceView:
    if found is None:
        return SourceView("none", message="找不到原文件（未上传到本应用，或原路径下的文件已变动），只能显示识别出的表格")
    data, path, digest = found
    if is_pdf(data) or is_image(report.media_type):
        return page_view(report, data, digest)
    return text_view(report, data, path, digest)


# ---------------------------------------------------------------- HTML of the source side
# The report page's hot loops (a few hundred spans or boxes) are joined here, every piece of
# report text through the standard library's html.escape (quotes included): str in, str
# out, a third of markupsafe.escape's cost, which wraps each result in a Markup; the joined
# whole is Markup once (the page around it is cached: report_pages.Parts).
def source_html(src: SourceView, rid: str, labels: dict[str, str], corrected: frozenset[str]) -> Markup:
    out: list[str] = []
    esc = html_escape
    if src.kind == "pages":
        for p in src.pages:
            out.append(
                f'<div class="pagebox" id="page-{p.n}"><img src="/reports/{rid}/pages/{p.n}.png" loading="lazy" '
                f'width="{int(p.width)}" height="{int(p.height)}" alt="第 {p.n} 页">'
                f'<svg class="overlay" viewBox="0 0 {p.width} {p.height}" preserveAspectRatio="none" aria-hidden="true">'
            )
            for b in p.boxes:
                cls = f"box st-{esc(b.status)}" + (" corrected" if b.key in corrected else "")
                k = esc(b.key)
                out.append(
                    f'<rect class="{cls}" data-key="{k}" x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}">'
                    f"<title>{esc(labels.get(b.key, b.key))}</title></rect>"
                )
            out.append("</svg></div>")
    elif src.kind == "text":
        out.append('<pre class="text">')
        for line in src.lines:
            for s in line:
                if s.key:
                    k = esc(s.key)
                    out.append(f'<a class="span" data-key="{k}" href="?cell={k}#correct">{esc(s.text)}</a>')
                else:
                    out.append(esc(s.text))
            out.append("\n")
        out.append("</pre>")
    else:
        out.append(f'<p class="muted">{esc(src.message or "")}</p>')
    return Markup("".join(out))
