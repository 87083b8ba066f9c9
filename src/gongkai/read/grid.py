"""Table grids shared by the HTML and the DOCX reader: source cells (``GridCell``, with
their rowspan and colspan) -> rows of blocks with merged cells expanded (``expand_grid``),
and the bounded collector of rows (``Out``) both readers emit into."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..domain.text import BLANK_MARKS
from ..model import Block, Finding, Origin

# Bounds: a real report page has a few thousand elements and tables of at most ~30 x 20.
MAX_BLOCKS = 50_000  # blocks in the Document (a report has about a thousand)
MAX_COLS = 200  # grid columns of one table (absurd colspans are cut here)
MAX_TABLE_POSITIONS = 100_000  # grid positions of one table (absurd rowspans are cut here)
LAYOUT_PROBE_ROWS = 200  # rows of a narrow table looked at to tell layout from data
LONG_CELL = 200  # a cell with more text than this is page layout, not a statistic
_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元|件|条|个|项|次|宗|人次|人|份|%)?$")

Row = list[tuple[str, Origin]]


@dataclass(slots=True)
class Out:
    """Rows collected in reading order, with the bounds that keep a hostile page small."""

    rows: list[Row] = field(default_factory=list)
    max_chars: int = 4 * 1024 * 1024
    blocks: int = 0
    chars: int = 0
    truncated: bool = False
    tables_cut: int = 0

    @property
    def full(self) -> bool:
        return self.truncated

    def add(self, row: Row) -> None:
        if self.truncated or not row:
            return
        self.blocks += len(row)
        self.chars += sum(len(t) for t, _ in row)
        if self.blocks > MAX_BLOCKS or self.chars > self.max_chars:
            self.truncated = True
            return
        self.rows.append(row)

    def limit_findings(self, document: str) -> list[Finding]:
        """What the bounds cut, said of a ``document`` ("网页", "Word 文档")."""
        found: list[Finding] = []
        if self.truncated:
            found.append(Finding.of("INPUT_TRUNCATED", document=document))
        if self.tables_cut:
            found.append(Finding.of("TABLE_TRUNCATED", count=self.tables_cut))
        return found

    def add_table(self, grid: list[list[GridCell]], index: int, cut: bool) -> None:
        """A table's grid with merged cells expanded, one row at a time."""
        expanded, cut_spans = expand_grid(grid, index)
        if cut or cut_spans:
            self.tables_cut += 1
        for row in expanded:
            self.add(row)


@dataclass(slots=True)
class GridCell:
    """One cell of a table as the source has it, before merged cells are expanded."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    line: int | None = None
    phantom: bool = False  # grid positions with no cell at all (DOCX gridBefore/gridAfter)


def is_label(text: str) -> bool:
    """A cell with words in it; numbers, blank marks and empty cells are data."""
    t = text.replace(" ", "")
    return bool(t) and t not in BLANK_MARKS and not _NUMBER.match(t)


def expand_grid(rows: list[list[GridCell]], table: int) -> tuple[list[Row], bool]:
    """Rows of blocks, one per grid column, merged cells expanded per the reader contract.

    A label's text sits at its first position; its other positions (to the right, and in
    the rows below) are empty blocks whose Origin is the label cell's own (table, row,
    col): where a block came from is the merged cell, and a stage that wants to skip
    merged-cell continuations can tell them from empty cells by that. A data cell spanning
    columns is one block (it is one value); one spanning rows leaves an empty block, with
    its own position, in the rows below. Returns (rows, cut): cut says a bound on absurd
    spans or table size was hit.
    """
    n = len(rows)
    below: dict[int, dict[int, Origin | None]] = {}  # row -> col -> origin of a continuation, None: emit nothing
    positions = 0
    cut = False
    out: list[Row] = []
    for r, cells in enumerate(rows):
        slots: dict[int, tuple[str, Origin] | None] = {}
        for col, origin in below.pop(r, {}).items():
            slots[col] = ("", origin) if origin is not None else None
        c = 0
        for cell in cells:
            while c in slots:
                c += 1
            if c >= MAX_COLS or positions >= MAX_TABLE_POSITIONS:
                cut = True
                break
            cs = max(1, min(cell.colspan, MAX_COLS - c))
            rs = n - r if cell.rowspan == 0 else max(1, min(cell.rowspan, n - r))
            if positions + rs * cs > MAX_TABLE_POSITIONS:
                rs = max(1, (MAX_TABLE_POSITIONS - positions) // cs)
                cut = True
            cut = cut or cs < cell.colspan
            positions += rs * cs
            _place(cell, r, c, rs, cs, table, slots, below)
            c += cs
        out.append(_grid_row(slots, table, r))
    # a row of one empty position is a spacer; a row of several is a row of blank cells
    return [row for row in out if len(row) > 1 or any(t for t, _ in row)], cut


def _place(
    cell: GridCell,
    r: int,
    c: int,
    rs: int,
    cs: int,
    table: int,
    slots: dict[int, tuple[str, Origin] | None],
    below: dict[int, dict[int, Origin | None]],
) -> None:
    """Put one source cell into the grid: its own row now, the rows it spans later."""
    home = Origin(line=cell.line, table=table, row=r, col=c)
    label = is_label(cell.text) and not cell.phantom
    for dc in range(cs):
        if cell.phantom:
            slots[c + dc] = None
        elif dc == 0:
            slots[c] = (cell.text, home)
        else:
            slots[c + dc] = ("", home) if label else None
        for dr in range(1, rs):
            if label:
                cont: Origin | None = home
            elif dc == 0 and not cell.phantom:
                cont = Origin(line=cell.line, table=table, row=r + dr, col=c)
            else:
                cont = None
            below.setdefault(r + dr, {})[c + dc] = cont


def _grid_row(slots: dict[int, tuple[str, Origin] | None], table: int, r: int) -> Row:
    """Positions in column order; holes (no cell reaches them) become empty blocks."""
    row: Row = []
    if not slots:
        return row
    for c in range(max(slots) + 1):
        if c in slots:
            slot = slots[c]
            if slot is not None:
                row.append(slot)
        else:
            row.append(("", Origin(table=table, row=r, col=c)))
    return row


def join_pieces(pieces: Iterable[str]) -> str:
    """Join the lines of one table cell: 本年新 + 制作数量 -> 本年新制作数量, but 12 + 3 -> '12 3'."""
    out = ""
    for p in pieces:
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def to_blocks(rows: list[Row]) -> list[Block]:
    blocks: list[Block] = []
    for rid, row in enumerate(rows, start=1):
        for text, origin in row:
            blocks.append(Block(text, rid, origin))
    return blocks
