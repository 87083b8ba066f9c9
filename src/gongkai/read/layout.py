"""Page layout: page geometry -> Document, shared by the PDF and the image reader.

Glyphs inside a ruled grid (``layout_grid``) become table cells, the others text lines;
across pages, running headers, footers and page numbers are dropped and a table that goes
on on the next page is joined to its first part; then one row per grid row (label first,
then one block per data column), one row per text line, unruled tables rebuilt from word
positions. Also the time budget both readers work under.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..domain.text import BLANK_MARKS
from ..errors import Timeout
from ..guard import limits
from ..model import Block, Document, Origin
from .layout_geom import Box, Glyph, Line, Out, PageGeom, bbox, lines_text, make_lines
from .layout_grid import Grid, Union, cluster, find_grids

OCR_SECONDS_PER_PAGE = 90.0  # added to the budget for each page that has to be OCRed


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
        return bbox(self.lines) if self.lines else self.rect


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
        """Columns left of the first value cell (a number or a blank mark such as —, as in a
        table with only the 总计 column filled): labels, whose spans get empty blocks."""
        cols = [c.c0 for c in self.cells if _value_like(c.text)]
        return min(cols) if cols else self.ncols


def build_table(grid: Grid, mine: list[list[Glyph]], page: int) -> Table:
    """A grid and the glyphs of each of its merged cells (``mine[k]``) -> a table."""
    cells = []
    for k, (r0, r1, c0, c1) in enumerate(grid.spans):
        rect = (grid.xs[c0], grid.ys[r0], grid.xs[c1], grid.ys[r1])
        cells.append(TCell(r0, r1, c0, c1, make_lines(mine[k]), page, rect))
    return Table(page, len(grid.xs) - 1, len(grid.ys) - 1, cells, grid.ys[0], list(grid.xs), page)


def table_rows(t: Table, tid: int = 0) -> list[list[Out]]:
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
        row = _grid_row(at, r, t.ncols, lc, tid)
        if any(o.text for o in row):
            rows.append(row)
    return rows


def _grid_row(at: dict[tuple[int, int], TCell], r: int, ncols: int, lc: int, tid: int) -> list[Out]:
    row: list[Out] = []
    for c in range(ncols):
        cell = at.get((r, c))
        if cell is None:
            continue
        where = (tid, cell.r0, cell.c0)
        if cell.r0 == r and cell.c0 == c:
            row.append(Out(cell.text, cell.page, cell.bbox, where))
        elif cell.c0 == c or c < lc:
            row.append(Out("", cell.page, cell.rect, where))
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
            return cluster(prev.xs + xs, tol), shift
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
    new_row = any(_value_like(c.text) for c in nxt.cells if c.r0 == skip and c.c0 >= lc)
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
    inside, free = _place(page.glyphs, grids)
    items: list[Line | Table] = [build_table(grid, cells, page.number) for grid, cells in zip(grids, inside, strict=True)]
    items.extend(make_lines(free))
    items.sort(key=lambda it: it.top)
    return PageItems(page.number, page.height, items)


def _place(glyphs: list[Glyph], grids: list[Grid]) -> tuple[list[list[list[Glyph]]], list[Glyph]]:
    """Each glyph into its cell of the first grid it lies in (grid -> cell -> glyphs), or
    into free text."""
    inside: list[list[list[Glyph]]] = [[[] for _ in grid.spans] for grid in grids]
    if not grids:
        return inside, list(glyphs)  # no table on the page
    free: list[Glyph] = []
    for g in glyphs:
        cx, cy = g.cx, g.cy
        for grid, cells in zip(grids, inside, strict=True):
            k = grid.locate(cx, cy)
            if k is not None:
                cells[k].append(g)
                break
        else:
            free.append(g)
    return inside, free


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
            rows.append([Out(" ".join(t.text for t in rest), page, bbox(rest))])
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
    uf = Union(len(pieces))
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
        out.append(Out(lines_text(col), page, bbox(col)))
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
    tables = iter(range(1_000_000))
    for p in items:
        for out_row in _page_rows(p, tables):
            row += 1
            for o in out_row:
                if o.cell is None:
                    blocks.append(Block(o.text, row, Origin(page=o.page, bbox=o.bbox)))
                else:
                    t, r, c = o.cell
                    blocks.append(Block(o.text, row, Origin(page=o.page, bbox=o.bbox, table=t, row=r, col=c)))
    doc = Document(path=path, media_type=media_type, blocks=blocks)
    doc.meta["pages"] = len(pages)
    doc.meta["chrome_lines_dropped"] = dropped
    return doc


def _page_rows(p: PageItems, tables: Iterator[int]) -> Iterator[list[Out]]:
    run: list[Line] = []
    for it in p.items:
        if isinstance(it, Line):
            run.append(it)
            continue
        if run:
            yield from free_rows(run, p.number)
            run = []
        yield from table_rows(it, next(tables))
    if run:
        yield from free_rows(run, p.number)


# ====================================================================== time budget
class Budget:
    def __init__(self, seconds: float, path: str) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.path = path

    def extend(self, seconds: float) -> None:
        """More time for pages to OCR; a bounded worker asks its watchdog for it too
        (``gongkai.guard``: granted up to ``settings.max_ocr_seconds`` per document)."""
        self.seconds += seconds
        self.deadline += seconds
        limits.extend(seconds)

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Timeout(f"PDF 解析超过 {self.seconds:.0f} 秒的时间上限，文件内容异常复杂或已损坏", self.path)
