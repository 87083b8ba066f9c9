"""PDF reader: bytes -> Document, with table rows rebuilt from the page geometry.

Per document:

1. open with pdfminer behind guards (encryption, page count, content-stream size, a time
   budget), never letting a pdfminer exception escape;
2. per page, interpret the content once, without pdfminer's layout analysis, into glyphs
   (characters with boxes) and rules (the strokes a table is drawn with); a page without a
   text layer, or a large picture with no text on it (a table pasted as a screenshot), is
   rasterised and OCRed (``ocr.py``), giving glyphs and rules just the same;
3. geometry (kept here so that image.py shares it): rules -> table grids with merged
   cells; glyphs inside a grid -> cell text; glyphs outside -> lines;
4. across pages: running headers, footers and page numbers dropped; a table that goes on
   on the next page joined to its first part;
5. blocks: one row per grid row (label first, then one block per data column), one row
   per text line; unruled tables rebuilt from word positions.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import time
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..domain.text import BLANK_MARKS
from ..errors import CorruptDocument, GongkaiError, InputTooLarge, Timeout
from ..model import Block, Document, Finding, Origin
from ..settings import DEFAULT, Settings

# Bounds. A real annual report has a few hundred KB of content per page at most.
OCR_SECONDS_PER_PAGE = 90.0  # added to the budget for each page that has to be OCRed
MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024  # decoded content streams of one page
MAX_DOC_CONTENT_BYTES = 128 * 1024 * 1024  # decoded content streams of the whole document
MAX_PAGE_OPERATORS = 200_000  # content operators on one page (a dense real page has ~20,000)
MAX_PAGE_OBJECTS = 30_000  # chars + paths + images on one page (a dense real page has ~5,000)
MAX_RULES = 4000  # ruling segments on one page; more is a drawing, not a table
OCR_DPI = 200  # rasterisation of text-less pages (A4 -> ~1650 x 2340 px)

# Geometry tolerances, in points (a PDF point; OCR pixels are scaled to points first).
SNAP = 2.0  # rules closer than this are one rule
BOUNDARY = 3.5  # grid boundaries closer than this are one boundary (double rules)
MIN_RULE = 5.0  # shorter strokes are ticks, bullets or glyph parts, not table rules

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # broken PDFs are our message, not its log


# ====================================================================== geometry types
Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Glyph:
    """A character (text layer) or a recognised text box (OCR), top-down coordinates."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size (PDF) or box height (OCR)
    conf: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Rule:
    """A horizontal (at y=pos from x=a to b) or vertical (at x=pos from y=a to b) stroke."""

    horizontal: bool
    pos: float
    a: float
    b: float


@dataclass(slots=True)
class PageGeom:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    rules: list[Rule]
    ocr: bool = False
    images: list[Box] = field(default_factory=list)  # where pictures are painted
    paths: int = 0  # vector paths painted (text converted to outlines is thousands)


@dataclass(slots=True)
class Out:
    """One block to be: text and where it came from."""

    text: str
    page: int
    bbox: Box


# ====================================================================== text of glyph runs
def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o


def _gap_needed(left: Glyph, right: Glyph) -> float:
    """How wide a gap must be to be a space: CJK text is set without spaces and is often
    spread out (justified, letter-spaced titles), Latin text and numbers are not."""
    size = max(left.size, right.size, 1.0)
    if left.text and right.text and is_cjk(left.text[-1]) and is_cjk(right.text[0]):
        return 0.9 * size
    return 0.22 * size


def join_glyphs(glyphs: Sequence[Glyph]) -> str:
    out: list[str] = []
    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None and g.x0 - prev.x1 > _gap_needed(prev, g):
            out.append(" ")
        out.append(g.text)
        prev = g
    return "".join(out).strip()


def _bbox(glyphs: Iterable[Glyph]) -> Box:
    gs = list(glyphs)
    return (min(g.x0 for g in gs), min(g.top for g in gs), max(g.x1 for g in gs), max(g.bottom for g in gs))


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph]  # left to right
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self) -> None:
        self.x0, self.top, self.x1, self.bottom = _bbox(self.glyphs)
        sizes = sorted(g.size for g in self.glyphs)
        self.size = sizes[len(sizes) // 2]

    @property
    def text(self) -> str:
        return join_glyphs(self.glyphs)

    @property
    def bbox(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def split(self, gap: float) -> list[Line]:
        """Runs of glyphs separated by more than ``gap`` x the line's size."""
        runs: list[list[Glyph]] = [[self.glyphs[0]]]
        for prev, g in zip(self.glyphs, self.glyphs[1:], strict=False):
            if g.x0 - prev.x1 > gap * max(self.size, 1.0):
                runs.append([])
            runs[-1].append(g)
        return [Line(r) for r in runs]


def make_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """Glyphs -> text lines, top to bottom. A glyph joins a line when its vertical centre
    lies within half a line height of the line's centre; glyphs painted twice to fake bold
    are kept once."""
    lines: list[list[Glyph]] = []
    centres: list[float] = []
    heights: list[float] = []
    for g in sorted(glyphs, key=lambda g: (g.cy, g.x0)):
        h = max(g.bottom - g.top, 1.0)
        if lines and abs(g.cy - centres[-1]) <= 0.5 * min(h, heights[-1]):
            n = len(lines[-1])
            lines[-1].append(g)
            centres[-1] = (centres[-1] * n + g.cy) / (n + 1)
            heights[-1] = max(heights[-1], h)
            continue
        lines.append([g])
        centres.append(g.cy)
        heights.append(h)
    return [Line(_dedupe(sorted(gs, key=lambda g: g.x0))) for gs in lines]


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    out: list[Glyph] = []
    for g in glyphs:
        p = out[-1] if out else None
        if p is not None and p.text == g.text and abs(p.x0 - g.x0) < 0.3 * g.size and abs(p.top - g.top) < 0.3 * g.size:
            continue
        out.append(g)
    return out


def lines_text(lines: Sequence[Line]) -> str:
    """A cell's lines as one string: wrapped CJK text joins without a space."""
    out = ""
    for ln in lines:
        t = ln.text
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return out


# ====================================================================== grids from rules
def _merge_rules(rules: Iterable[Rule]) -> list[Rule]:
    """Collinear strokes -> one rule each: snap positions, join overlapping spans."""
    out: list[Rule] = []
    group: list[Rule] = []
    for r in sorted(rules, key=lambda r: r.pos):
        if group and r.pos - group[0].pos > SNAP:
            out.extend(_join_spans(group))
            group = []
        group.append(r)
    if group:
        out.extend(_join_spans(group))
    return out


def _join_spans(group: list[Rule]) -> list[Rule]:
    pos = sum(r.pos for r in group) / len(group)
    spans: list[Rule] = []
    for r in sorted(group, key=lambda r: r.a):
        if spans and r.a <= spans[-1].b + SNAP:
            spans[-1].b = max(spans[-1].b, r.b)
        else:
            spans.append(Rule(r.horizontal, pos, r.a, r.b))
    return spans


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(hs: list[Rule], vs: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of rules that touch each other: one group per drawn table."""
    uf = _Union(len(hs) + len(vs))
    hs_sorted = sorted(range(len(hs)), key=lambda i: hs[i].pos)
    h_pos = [hs[i].pos for i in hs_sorted]
    for j, v in enumerate(vs):
        lo = bisect_right(h_pos, v.a - SNAP - 0.01)
        hi = bisect_right(h_pos, v.b + SNAP)
        for k in range(lo, hi):
            i = hs_sorted[k]
            h = hs[i]
            if h.a - SNAP <= v.pos <= h.b + SNAP:
                uf.union(i, len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(uf.find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 1]


def _cluster(values: Iterable[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _shared_ends(rules: list[Rule]) -> list[float]:
    """Span ends that at least two rules share: the border of a table drawn without one."""
    ends = [r.a for r in rules] + [r.b for r in rules]
    return [c for c in _cluster(ends, BOUNDARY) if sum(1 for e in ends if abs(e - c) <= BOUNDARY) >= 2]


@dataclass(slots=True)
class Grid:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    group: list[list[int]]  # group[r][c]: the merged cell that base cell (r, c) belongs to
    spans: list[tuple[int, int, int, int]]  # per merged cell: r0, r1, c0, c1 (half-open)

    @property
    def bbox(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def locate(self, x: float, y: float) -> int | None:
        if not (self.xs[0] - 1 <= x <= self.xs[-1] + 1 and self.ys[0] - 1 <= y <= self.ys[-1] + 1):
            return None
        c = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        r = min(max(bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self.group[r][c]


def find_grids(rules: Sequence[Rule]) -> list[Grid]:
    hs = _merge_rules(r for r in rules if r.horizontal and r.b - r.a >= MIN_RULE)
    vs = _merge_rules(r for r in rules if not r.horizontal and r.b - r.a >= MIN_RULE)
    if len(hs) + len(vs) > MAX_RULES:
        return []  # a drawing or a map: reading it as a table would cost more than it gives
    out = []
    for h_group, v_group in _components(hs, vs):
        g = _grid(h_group, v_group)
        if g is not None:
            out.append(g)
    return sorted(out, key=lambda g: (g.ys[0], g.xs[0]))


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    xs = _cluster([v.pos for v in vs] + _shared_ends(hs), BOUNDARY)
    ys = _cluster([h.pos for h in hs] + _shared_ends(vs), BOUNDARY)
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    v_at = _rules_at(vs, xs)
    h_at = _rules_at(hs, ys)
    uf = _Union(nr * nc)
    for r in range(nr):
        for c in range(1, nc):
            if not _covered(v_at.get(c, []), ys[r], ys[r + 1]):
                uf.union(r * nc + c - 1, r * nc + c)
    for r in range(1, nr):
        for c in range(nc):
            if not _covered(h_at.get(r, []), xs[c], xs[c + 1]):
                uf.union((r - 1) * nc + c, r * nc + c)
    ids: dict[int, int] = {}
    group = [[0] * nc for _ in range(nr)]
    spans: list[list[int]] = []
    for r in range(nr):
        for c in range(nc):
            root = uf.find(r * nc + c)
            if root not in ids:
                ids[root] = len(spans)
                spans.append([r, r + 1, c, c + 1])
            k = ids[root]
            group[r][c] = k
            s = spans[k]
            s[0], s[1], s[2], s[3] = min(s[0], r), max(s[1], r + 1), min(s[2], c), max(s[3], c + 1)
    grid = Grid(xs, ys, group, [(s[0], s[1], s[2], s[3]) for s in spans])
    return grid if _is_table(grid) else None


def _rules_at(rules: list[Rule], bounds: list[float]) -> dict[int, list[Rule]]:
    out: dict[int, list[Rule]] = {}
    for r in rules:
        k = min(range(len(bounds)), key=lambda i: abs(bounds[i] - r.pos))
        if abs(bounds[k] - r.pos) <= BOUNDARY:
            out.setdefault(k, []).append(r)
    return out


def _covered(rules: list[Rule], a: float, b: float) -> bool:
    """Is the span a..b drawn (most of it) by these collinear rules?"""
    need = 0.6 * (b - a)
    got = sum(max(0.0, min(r.b, b) - max(r.a, a)) for r in rules)
    return got >= need


def _is_table(grid: Grid) -> bool:
    """A frame around text (one column, or every row one cell) is not a table."""
    nc = len(grid.xs) - 1
    if nc < 2:
        return False
    return any(len(set(row)) >= 2 for row in grid.group)


# ====================================================================== tables
_NUMERIC = re.compile(r"^[+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%|万元|亿元|元|件|条|个|项|次|宗|人次|人|份)?$")
_LIST_PREFIX = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十]{1,3}[)）、.．]|\d{1,2}\s*[.、．,，)）]|[(（]\d{1,2}[)）])")


def is_numeric(text: str) -> bool:
    return bool(text) and all(_NUMERIC.match(t) for t in text.split())


def _value_like(text: str) -> bool:
    """Numbers, or the marks reports write in an empty cell (/, —, 无)."""
    return bool(text) and all(_NUMERIC.match(t) or t in BLANK_MARKS for t in text.split())


@dataclass(slots=True)
class TCell:
    r0: int
    r1: int
    c0: int
    c1: int
    lines: list[Line]
    page: int
    rect: Box
    text: str = ""

    def __post_init__(self) -> None:
        self.text = lines_text(self.lines)

    @property
    def bbox(self) -> Box:
        return _bbox(g for ln in self.lines for g in ln.glyphs) if self.lines else self.rect


@dataclass(slots=True)
class Table:
    page: int
    ncols: int
    nrows: int
    cells: list[TCell]
    top: float
    xs: list[float]  # column boundaries, to tell a continuation on the next page
    bottom_page: int = 0  # the page the table ends on

    def label_cols(self) -> int:
        """Columns left of the first numeric cell: labels, whose spans get empty blocks."""
        cols = [c.c0 for c in self.cells if is_numeric(c.text)]
        return min(cols) if cols else self.ncols


def build_table(grid: Grid, glyphs: list[Glyph], page: int) -> Table:
    mine: list[list[Glyph]] = [[] for _ in grid.spans]
    for g in glyphs:
        k = grid.locate(g.cx, g.cy)
        if k is not None:
            mine[k].append(g)
    cells = []
    for k, (r0, r1, c0, c1) in enumerate(grid.spans):
        rect = (grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1])
        cells.append(TCell(r0, r1, c0, c1, make_lines(mine[k]), page, rect))
    return Table(page, len(grid.xs) - 1, len(grid.ys) - 1, cells, grid.ys[0], list(grid.xs), page)


def table_rows(t: Table) -> list[list[Out]]:
    """One row per grid row: label cells, then one block per data column. A rowspan cell is
    an empty block in the rows below; a colspan gives empty blocks in label columns only;
    a row that is one cell across the table is its lines, one row each."""
    at: dict[tuple[int, int], TCell] = {}
    for cell in t.cells:
        for r in range(cell.r0, cell.r1):
            for c in range(cell.c0, cell.c1):
                at[(r, c)] = cell
    lc = t.label_cols()
    rows: list[list[Out]] = []
    for r in range(t.nrows):
        row_cells = {id(at[(r, c)]) for c in range(t.ncols) if (r, c) in at}
        first = at.get((r, 0))
        if len(row_cells) == 1 and first is not None and first.c1 - first.c0 == t.ncols:
            if first.r0 == r:
                rows.extend([Out(ln.text, first.page, ln.bbox)] for ln in first.lines if ln.text)
            continue
        row = _grid_row(at, r, t.ncols, lc)
        if any(o.text for o in row):
            rows.append(row)
    return rows


def _grid_row(at: dict[tuple[int, int], TCell], r: int, ncols: int, lc: int) -> list[Out]:
    row: list[Out] = []
    for c in range(ncols):
        cell = at.get((r, c))
        if cell is None:
            continue
        if cell.r0 == r and cell.c0 == c:
            row.append(Out(cell.text, cell.page, cell.bbox))
        elif cell.c0 == c or c < lc:
            row.append(Out("", cell.page, cell.rect))
    return row


def continues(prev: Table, nxt: Table) -> tuple[list[float], float] | None:
    """Does ``nxt`` (first on its page) go on with ``prev`` (last on the page before)?
    Yes when the outer edges agree and most column boundaries of the coarser one are
    boundaries of the other (a part without the narrow label columns still matches).
    Returns the joint boundaries and the shift of ``nxt`` onto ``prev``."""
    if nxt.page != prev.bottom_page + 1:
        return None
    tol = 4.0
    for shift in (0.0, prev.xs[0] - nxt.xs[0]):
        xs = [x + shift for x in nxt.xs]
        if abs(xs[0] - prev.xs[0]) > tol or abs(xs[-1] - prev.xs[-1]) > tol:
            continue
        small, big = sorted((prev.xs, xs), key=len)
        hits = sum(1 for a in small if any(abs(a - b) <= tol for b in big))
        if hits >= len(small) - max(0, (len(small) - 2) // 3):
            return _cluster(prev.xs + xs, tol), shift
    return None


def _remap(t: Table, xs: list[float], shift: float) -> None:
    """Put a table's cells on joint column boundaries ``xs``."""

    def near(x: float) -> int:
        return min(range(len(xs)), key=lambda i: abs(xs[i] - x - shift))

    for cell in t.cells:
        cell.c0, cell.c1 = near(t.xs[cell.c0]), near(t.xs[cell.c1])
    t.xs = [x - shift for x in xs]
    t.ncols = len(xs) - 1


def join_tables(prev: Table, nxt: Table, xs: list[float], shift: float) -> None:
    """Append ``nxt`` to ``prev``: repeated header rows dropped, a label cell cut by the
    page break ("（四）无" / "法提供") joined with its first part."""
    _remap(prev, xs, 0.0)
    _remap(nxt, xs, shift)
    skip = _repeated_header_rows(prev, nxt)
    lc = prev.label_cols()
    last = {c.c0: c for c in prev.cells if c.r1 == prev.nrows}
    # the first row on the new page has numbers of its own: it is a new row, and only a
    # group label (a label column with more labels to its right) can go on into it
    new_row = any(is_numeric(c.text) for c in nxt.cells if c.r0 == skip and c.c0 >= lc)
    offset = prev.nrows - skip
    for cell in nxt.cells:
        if cell.r1 <= skip:
            continue
        first_row = cell.r0 <= skip
        cell.r0, cell.r1 = max(cell.r0, skip) + offset, cell.r1 + offset
        above = last.get(cell.c0)
        if first_row and above is not None and above.c1 == cell.c1 and _goes_on(above, cell, lc, new_row):
            above.lines.extend(cell.lines)
            above.text = above.text + cell.text
            above.r1 = cell.r1
            continue
        prev.cells.append(cell)
    prev.nrows = offset + nxt.nrows
    prev.bottom_page = nxt.page


def _goes_on(above: TCell, cell: TCell, lc: int, new_row: bool) -> bool:
    """Is ``cell`` (top of the new page) the rest of ``above`` (bottom of the last one)?"""
    if cell.c1 > lc:
        return False  # data cells never go on
    if not cell.text:
        return True
    if new_row and cell.c1 == lc:
        return False  # the label of a row of its own
    return bool(above.text) and not _LIST_PREFIX.match(cell.text) and not is_numeric(cell.text)


def _repeated_header_rows(prev: Table, nxt: Table) -> int:
    def sig(t: Table, r: int) -> list[tuple[int, int, str]]:
        return sorted((c.c0, c.c1, c.text) for c in t.cells if c.r0 == r)

    n = 0
    while n < min(4, prev.nrows - 1, nxt.nrows - 1) and sig(nxt, n) == sig(prev, n) and any(x[2] for x in sig(nxt, n)):
        n += 1
    return n


# ====================================================================== pages -> items
@dataclass(slots=True)
class PageItems:
    number: int
    height: float
    items: list[Line | Table] = field(default_factory=list)


def layout_page(page: PageGeom) -> PageItems:
    grids = find_grids(page.rules)
    inside: list[list[Glyph]] = [[] for _ in grids]
    free: list[Glyph] = []
    for g in page.glyphs:
        for k, grid in enumerate(grids):
            if grid.locate(g.cx, g.cy) is not None:
                inside[k].append(g)
                break
        else:
            free.append(g)
    items: list[Line | Table] = [build_table(grid, gs, page.number) for grid, gs in zip(grids, inside, strict=True)]
    items.extend(make_lines(free))
    items.sort(key=lambda it: it.top)
    return PageItems(page.number, page.height, items)


_PAGE_NO = re.compile(
    r"^[\s\-—–－·•.]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?|\s*共\s*\d{1,4}\s*页)?[\s\-—–－·•.]*$"
    r"|^(?:page|p\.)\s*\d+(?:\s*(?:/|of)\s*\d+)?$",
    re.I,
)
# page numbers that say so ("- 3 -", "第3页", "3/12") are dropped wherever they are
_DECORATED = re.compile(r"^\s*[\-—–－]\s*\d+\s*[\-—–－]\s*$|第\s*\d+\s*页|\d+\s*[/／]\s*\d+|共\s*\d+\s*页")
_CONTINUED = re.compile(r"^[(（]?续表[\d一二三四五六七八九十]*[)）]?$")


def drop_chrome(pages: list[PageItems]) -> int:
    """Remove page numbers and running headers/footers; returns how many lines went."""
    margin_keys: Counter[str] = Counter()
    for p in pages:
        for ln in _margin_lines(p):
            margin_keys[_chrome_key(ln.text)] += 1
    repeated = {k for k, n in margin_keys.items() if k and n >= 2 and n * 2 >= len(pages)}
    dropped = 0
    for p in pages:
        margin = {id(ln) for ln in _margin_lines(p)}
        keep: list[Line | Table] = []
        for it in p.items:
            if isinstance(it, Line) and _is_chrome(it, id(it) in margin, repeated):
                dropped += 1
                continue
            keep.append(it)
        p.items = keep
    return dropped


def _margin_lines(p: PageItems) -> list[Line]:
    """Lines first or last on the page and in its top or bottom eighth."""
    out = []
    for it in p.items[:2] + p.items[-2:]:
        if isinstance(it, Line) and (it.bottom < p.height / 8 or it.top > p.height * 7 / 8) and it not in out:
            out.append(it)
    return out


def _chrome_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _is_chrome(ln: Line, in_margin: bool, repeated: set[str]) -> bool:
    text = ln.text.strip()
    if _PAGE_NO.match(text) and (in_margin or _DECORATED.search(text)):
        return True
    return in_margin and _chrome_key(text) in repeated


def join_pages(pages: list[PageItems]) -> None:
    """Join each table that goes on at the top of the next page to its first part."""
    for prev_p, p in itertools.pairwise(pages):
        first = next((i for i, it in enumerate(p.items) if not (isinstance(it, Line) and _CONTINUED.match(it.text))), None)
        if first is None or not prev_p.items:
            continue
        last, nxt = prev_p.items[-1], p.items[first]
        if not (isinstance(last, Table) and isinstance(nxt, Table)):
            continue
        joint = continues(last, nxt)
        if joint is not None:
            join_tables(last, nxt, *joint)
            del p.items[: first + 1]
            p.items.insert(0, last)  # keeps the chain going onto a third page
            prev_p.items.pop()


# ====================================================================== free text -> rows
SEG_GAP = 1.0  # a gap this many characters wide separates two cells of an unruled table
WRAP_GAP = 0.6  # wrapped lines of one cell are closer than this many characters


@dataclass(slots=True)
class _ValueRow:
    """A line of an unruled table that holds numbers: its label pieces gather around it."""

    line: int  # index of the line
    value_x0: float  # where its numbers begin: label pieces lie left of it
    top: float  # vertical extent of the line and the pieces attached so far
    bottom: float
    cy: float
    own: list[Line]  # text segments on the line itself
    pieces: list[Line] = field(default_factory=list)


def free_rows(lines: list[Line], page: int) -> list[list[Out]]:
    """Lines outside any grid. A line with numbers set apart after its text is a row of an
    unruled table. Its label cell is centred on the numbers, so a wrapped label has pieces
    on the lines above and below, and group labels of narrower columns sit beside them:
    every text segment left of a row's numbers, stacked close to it, joins that row."""
    segs = [ln.split(SEG_GAP) for ln in lines]
    parts = [_parts(ss) for ss in segs]
    vrows = {i: _value_row(i, lines[i], p) for i, p in enumerate(parts) if p[1]}
    owned = _attach(lines, parts, list(vrows.values()))
    words = {i: [w for seg in parts[i][1] for w in seg.split(0.22)] for i in vrows}
    rows: list[list[Out]] = []
    runs: list[list[int]] = [[]]  # value rows not parted by a line of text: one unruled table
    for i, (texts, _) in enumerate(parts):
        if i in vrows:
            runs[-1].append(i)
            rows.append([])  # filled below, once its table's columns are known
            continue
        rest = [t for k, t in enumerate(texts) if (i, k) not in owned]
        if rest:
            runs.append([])
            rows.append([Out(" ".join(t.text for t in rest), page, _bbox(g for t in rest for g in t.glyphs))])
    columns = {i: spans for run in runs for spans in [_value_columns([words[j] for j in run])] for i in run}
    todo = iter(sorted(vrows))
    for row in rows:
        if not row:
            i = next(todo)
            row.extend(_value_out(vrows[i], words[i], columns[i], page))
    return rows


def _value_columns(rows: list[list[Line]]) -> list[tuple[float, float]] | None:
    """The value columns of an unruled table: spans of numbers that overlap from row to
    row. None when a row has two numbers in one column (then the numbers are just listed)."""
    if len(rows) < 2:
        return None
    cols: list[list[float]] = []
    for w in sorted((w for r in rows for w in r), key=lambda w: w.x0):
        if cols and w.x0 <= cols[-1][1] + 0.2 * w.size:
            cols[-1][1] = max(cols[-1][1], w.x1)
        else:
            cols.append([w.x0, w.x1])
    spans = [(a, b) for a, b in cols]
    for r in rows:
        hit = [_column_of(w, spans) for w in r]
        if len(set(hit)) != len(hit):
            return None
    return spans if len(spans) <= 24 else None


def _column_of(w: Line, spans: list[tuple[float, float]]) -> int:
    return next(k for k, (a, b) in enumerate(spans) if a <= w.x0 + 0.01 and w.x1 <= b + 0.01)


def _parts(segs: list[Line]) -> tuple[list[Line], list[Line]]:
    """(text segments, value segments): values count only after all the text; a lone
    blank mark ("—", "无") with nothing before it is text."""
    k = len(segs)
    while k > 0 and _value_like(segs[k - 1].text):
        k -= 1
    if k == 0 and len(segs) == 1 and not is_numeric(segs[0].text):
        return segs, []  # a lone "—" or "无" line is text
    return segs[:k], segs[k:]


def _value_row(i: int, ln: Line, part: tuple[list[Line], list[Line]]) -> _ValueRow:
    texts, values = part
    return _ValueRow(i, values[0].x0, ln.top, ln.bottom, ln.cy, texts)


def _attach(lines: list[Line], parts: list[tuple[list[Line], list[Line]]], vrows: list[_ValueRow]) -> set[tuple[int, int]]:
    """Text segments of number-less lines -> the value row they are a piece of. A piece
    must touch the row's block (the row line and pieces already attached) vertically, so a
    label grows line by line outwards; passes repeat until nothing more attaches."""
    todo = [(i, k, t) for i, (texts, vals) in enumerate(parts) if not vals for k, t in enumerate(texts)]
    owned: set[tuple[int, int]] = set()
    changed = True
    while changed and vrows:
        changed = False
        for i, k, t in todo:
            if (i, k) in owned:
                continue
            row = _best_row(t, vrows)
            if row is not None:
                row.pieces.append(t)
                row.top, row.bottom = min(row.top, t.top), max(row.bottom, t.bottom)
                owned.add((i, k))
                changed = True
    return owned


def _best_row(t: Line, vrows: list[_ValueRow]) -> _ValueRow | None:
    size = max(t.size, 1.0)
    cands = []
    for v in vrows:
        if t.x1 > v.value_x0 - 2:
            continue
        gap = max(v.top - t.bottom, t.top - v.bottom)
        if gap > WRAP_GAP * size or _starts_elsewhere(t, v):
            continue
        cands.append((abs(v.cy - t.cy), v))
    if not cands:
        return None
    cands.sort(key=lambda c: c[0])
    if len(cands) >= 2 and cands[1][0] - cands[0][0] < 0.25 * size:
        # a near tie: a numbered label starts a row (goes down), other text ends one (goes up)
        down = _LIST_PREFIX.match(t.text) is not None
        for _, v in cands[:2]:
            if (v.cy > t.cy) == down:
                return v
    return cands[0][1]


def _starts_elsewhere(t: Line, v: _ValueRow) -> bool:
    """A piece in the column of the row's own label cannot go above a label that starts on
    the row's line, nor below it when the piece starts a numbered label of its own."""
    same_col = [o for o in v.own if o.x0 < t.x1 and t.x0 < o.x1]
    if not same_col:
        return False
    if t.cy < v.cy:
        return bool(_LIST_PREFIX.match(same_col[0].text))
    return bool(_LIST_PREFIX.match(t.text))


def _value_out(v: _ValueRow, words: list[Line], spans: list[tuple[float, float]] | None, page: int) -> list[Out]:
    """Label columns (pieces whose spans overlap: wrapped lines of one cell) left to right,
    one block each, then one block per value column (empty where the row has none)."""
    pieces = v.own + v.pieces
    uf = _Union(len(pieces))
    for a in range(len(pieces)):
        for b in range(a + 1, len(pieces)):
            if pieces[a].x0 < pieces[b].x1 and pieces[b].x0 < pieces[a].x1:
                uf.union(a, b)
    cols: dict[int, list[Line]] = {}
    for k, t in enumerate(pieces):
        cols.setdefault(uf.find(k), []).append(t)
    out = []
    for col in sorted(cols.values(), key=lambda c: min(t.x0 for t in c)):
        col.sort(key=lambda t: t.top)
        out.append(Out(lines_text(col), page, _bbox(g for t in col for g in t.glyphs)))
    if spans is None:
        out.extend(Out(w.text, page, w.bbox) for w in words)
        return out
    cells = [Out("", page, (a, v.top, b, v.bottom)) for a, b in spans]
    for w in words:
        cells[_column_of(w, spans)] = Out(w.text, page, w.bbox)
    return out + cells


# ====================================================================== document
def assemble(pages: list[PageGeom], path: str, media_type: str) -> Document:
    """Page geometry -> Document (shared by the PDF and the image reader)."""
    items = [layout_page(p) for p in pages]
    dropped = drop_chrome(items)
    join_pages(items)
    blocks: list[Block] = []
    row = 0
    for p in items:
        for out_row in _page_rows(p):
            row += 1
            for o in out_row:
                blocks.append(Block(o.text, row, Origin(page=o.page, bbox=o.bbox)))
    doc = Document(path=path, media_type=media_type, blocks=blocks)
    doc.meta["pages"] = len(pages)
    doc.meta["chrome_lines_dropped"] = dropped
    return doc


def _page_rows(p: PageItems) -> Iterator[list[Out]]:
    run: list[Line] = []
    for it in p.items:
        if isinstance(it, Line):
            run.append(it)
            continue
        if run:
            yield from free_rows(run, p.number)
            run = []
        yield from table_rows(it)
    if run:
        yield from free_rows(run, p.number)


# ====================================================================== pdfminer front end
class Budget:
    def __init__(self, seconds: float, path: str) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.path = path

    def extend(self, seconds: float) -> None:
        self.seconds += seconds
        self.deadline += seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Timeout(f"PDF 解析超过 {self.seconds:.0f} 秒的时间上限，文件内容异常复杂或已损坏", self.path)


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
    from . import ocr

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
