"""The three official tables as merged-cell grids (official-format.md §1.3–1.5, §2).

Every renderer prints from these grids: HTML and DOCX copy the row/col spans, the text
layouts replay what a PDF or HTML text extraction makes of them. Row and column labels
headers and titles come from ``gongkai.domain.labels``; only how the official HTML breaks
two headers over lines is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..domain.labels import (
    T2_CONTENT,
    T2_ITEM,
    T2_ROWS,
    T3_APPLICANTS,
    T3_COLUMNS,
    T3_GROUP_TITLES,
    T3_NOTE,
    T3_ORGS,
    T3_ROW_BY_KEY,
    T4_COLUMNS,
    T4_GROUPS,
    T4_LITIGATION,
    T4_LITIGATION_KINDS,
    T4_REVIEW,
    T2Row,
    t3_rows,
)

Role = Literal["title", "header", "note", "group", "label", "value"]

# Headers the official HTML typesets on two lines (本年新<br/>制作数量, §2.1).
HEADER_BREAKS: dict[str, str] = {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量"}

# Column widths of the official template (../shared/corpus/templates/annual-report-2021-blank.docx,
# its w:tblGrid, in twips): table 3's three label columns take half the width (三、本年度办理结果
# narrow, the 1.…/2.… labels wide enough for one or two lines), its seven number columns
# narrow; tables 2 and 4 share their width equally. Renderers scale these to their page.
TEMPLATE_WIDTHS: dict[str, tuple[int, ...]] = {
    "t2": (2435, 2435, 2435, 2435),
    "t3": (754, 921, 3271, 685, 685, 685, 685, 685, 685, 685),
    "t4": (649, 649, 649, 649, 649, 649, 649, 650, 650, 650, 650, 650, 650, 650, 650),
}


def column_fractions(table: str) -> tuple[float, ...]:
    """Each column's share of the table's width, as in the official template."""
    w = TEMPLATE_WIDTHS[table]
    return tuple(x / sum(w) for x in w)


T2_COLS = 4  # 信息内容 + three value columns
T3_LABEL_COLS = 3  # 三、… | （三）… | 1.…
T3_COLS = T3_LABEL_COLS + len(T3_COLUMNS)
T4_COLS = len(T4_GROUPS) * len(T4_COLUMNS)


@dataclass(frozen=True, slots=True)
class GridCell:
    text: str  # "\n" marks a line break inside the cell
    role: Role
    key: str | None = None  # the canonical cell key of a value cell
    rowspan: int = 1
    colspan: int = 1

    @property
    def flat(self) -> str:
        return self.text.replace("\n", "")


@dataclass(frozen=True, slots=True)
class Slot:
    """A grid position as a row sees it: a cell that starts here, or the lower part of a
    rowspan cell from a row above (``covered``)."""

    cell: GridCell
    covered: bool = False


@dataclass(frozen=True, slots=True)
class GridRow:
    cells: tuple[GridCell, ...]  # the cells that start in this row, left to right
    slots: tuple[Slot, ...]  # every cell the row crosses, left to right
    row_key: str | None = None  # "t3.received", "t2.licensing", "t4"; None for header rows


@dataclass(frozen=True, slots=True)
class Grid:
    table: str  # "t2" | "t3" | "t4"
    ncols: int
    rows: tuple[GridRow, ...]

    def value_keys(self) -> tuple[str, ...]:
        return tuple(c.key for r in self.rows for c in r.cells if c.key)

    def placed(self) -> list[tuple[int, int, GridCell]]:
        """(row, column, cell) for every cell, at the grid position where it starts."""
        out: list[tuple[int, int, GridCell]] = []
        for i, row in enumerate(self.rows):
            col = 0
            for slot in row.slots:
                if not slot.covered:
                    out.append((i, col, slot.cell))
                col += slot.cell.colspan
        return out


def _build(table: str, ncols: int, raw: list[tuple[list[GridCell], str | None]]) -> Grid:
    """Lay cells out on the grid to know, for every row, which rowspans cross it."""
    above: dict[int, tuple[GridCell, int]] = {}  # column -> (cell, rows left below)
    rows: list[GridRow] = []
    for cells, key in raw:
        slots: list[Slot] = []
        it = iter(cells)
        col = 0
        while col < ncols:
            if col in above:
                cell, left = above[col]
                slots.append(Slot(cell, covered=True))
                if left == 1:
                    del above[col]
                else:
                    above[col] = (cell, left - 1)
                col += cell.colspan
                continue
            cell = next(it, None)
            if cell is None:
                break
            slots.append(Slot(cell))
            if cell.rowspan > 1:
                above[col] = (cell, cell.rowspan - 1)
            col += cell.colspan
        rest = list(it)
        if rest or col != ncols:
            raise AssertionError(f"{table}: row {[c.text for c in cells]} does not fill {ncols} columns")
        rows.append(GridRow(tuple(cells), tuple(slots), key))
    return Grid(table, ncols, tuple(rows))


# ------------------------------------------------------------------ table 2
def _t2_item_rows(item: str, members: list[T2Row]) -> list[tuple[list[GridCell], str | None]]:
    cols = members[0].columns
    # the value columns share three grid columns: one column spans 3, two columns end on a span of 2
    spans = [1] * len(cols)
    spans[-1] = T2_COLS - 1 - (len(cols) - 1)
    out: list[tuple[list[GridCell], str | None]] = [
        ([GridCell(T2_ITEM.format(item=item), "title", colspan=T2_COLS)], None),
        (
            [GridCell(T2_CONTENT, "header")]
            + [GridCell(HEADER_BREAKS.get(c.label, c.label), "header", colspan=s) for c, s in zip(cols, spans, strict=True)],
            None,
        ),
    ]
    for r in members:
        cells = [GridCell(r.label, "label")]
        cells += [GridCell("", "value", key=f"t2.{r.key}.{c.key}", colspan=s) for c, s in zip(r.columns, spans, strict=True)]
        out.append((cells, f"t2.{r.key}"))
    return out


@lru_cache(maxsize=2)
def t2_grid(fmt: str) -> Grid:
    raw: list[tuple[list[GridCell], str | None]] = []
    items: dict[str, list[T2Row]] = {}
    for r in T2_ROWS[fmt]:
        items.setdefault(r.item, []).append(r)
    for item, members in items.items():
        raw.extend(_t2_item_rows(item, members))
    return _build("t2", T2_COLS, raw)


# ------------------------------------------------------------------ table 3
@lru_cache(maxsize=2)
def t3_grid(fmt: str) -> Grid:
    rows = t3_rows(fmt)
    raw: list[tuple[list[GridCell], str | None]] = [
        (
            [
                GridCell(T3_NOTE, "note", rowspan=3, colspan=T3_LABEL_COLS),
                GridCell(T3_APPLICANTS, "header", colspan=len(T3_COLUMNS)),
            ],
            None,
        ),
        (
            [
                GridCell(T3_COLUMNS[0].label, "header", rowspan=2),
                GridCell(T3_ORGS, "header", colspan=len(T3_COLUMNS) - 2),
                GridCell(T3_COLUMNS[-1].label, "header", rowspan=2),
            ],
            None,
        ),
        ([GridCell(c.label, "header") for c in T3_COLUMNS[1:-1]], None),
    ]
    under_three = sum(1 for r in rows if T3_ROW_BY_KEY[r].group is not None)
    sub_counts: dict[str, int] = {}
    for r in rows:
        g = T3_ROW_BY_KEY[r].group
        if g and g != "三":
            sub_counts[g] = sub_counts.get(g, 0) + 1
    started: set[str] = set()
    for r in rows:
        spec = T3_ROW_BY_KEY[r]
        cells: list[GridCell] = []
        if spec.group is None:
            cells.append(GridCell(spec.label, "label", colspan=T3_LABEL_COLS))
        else:
            if "三" not in started:
                started.add("三")
                cells.append(GridCell(T3_GROUP_TITLES["三"], "group", rowspan=under_three))
            if spec.group == "三":
                cells.append(GridCell(spec.label, "label", colspan=T3_LABEL_COLS - 1))
            else:
                if spec.group not in started:
                    started.add(spec.group)
                    cells.append(GridCell(T3_GROUP_TITLES[spec.group], "group", rowspan=sub_counts[spec.group]))
                cells.append(GridCell(spec.label, "label"))
        cells += [GridCell("", "value", key=f"t3.{r}.{c.key}") for c in T3_COLUMNS]
        raw.append((cells, f"t3.{r}"))
    return _build("t3", T3_COLS, raw)


# ------------------------------------------------------------------ table 4
@lru_cache(maxsize=1)
def t4_grid() -> Grid:
    n = len(T4_COLUMNS)
    raw: list[tuple[list[GridCell], str | None]] = [
        (
            [
                GridCell(T4_REVIEW, "header", colspan=n),
                GridCell(T4_LITIGATION, "header", colspan=n * (len(T4_GROUPS) - 1)),
            ],
            None,
        ),
        (
            [GridCell(c.label, "header", rowspan=2) for c in T4_COLUMNS]
            + [GridCell(kind, "header", colspan=n) for kind in T4_LITIGATION_KINDS],
            None,
        ),
        ([GridCell(c.label, "header") for _ in T4_GROUPS[1:] for c in T4_COLUMNS], None),
        ([GridCell("", "value", key=f"t4.{g}.{c.key}") for g, _ in T4_GROUPS for c in T4_COLUMNS], "t4"),
    ]
    return _build("t4", T4_COLS, raw)


def grids(fmt: str) -> tuple[Grid, Grid, Grid]:
    return t2_grid(fmt), t3_grid(fmt), t4_grid()
