"""The official tables as text extractions print them, one writer per layout family.

Each writer replays what a real extraction does to the merged-cell grid (seeds 000–004):

* PDF text (``tsv_table``): a row is a line of tab fields; a colspan leaves empty fields
  after its text, a rowspan from above leaves one empty field; numbering is printed
  ``(一) 予以公开`` / ``1. 属于国家秘密``; lost cells leave no field at all.
* damaged PDF text (``spaced_table``): the same with labels spaced out (``结 果 维 持``),
  header text wrapped onto a continuation line, the narrow table-4 headers printed
  vertically and a tall group label printed one character per row.
* HTML text (``cell_per_line_table``): every cell on its own line after a tab, empty cells
  kept as a bare tab, rows separated by a blank line.
* flattened HTML (``one_per_line_table``): every non-empty cell on its own line.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Collection

from .grid import Grid, GridCell, GridRow

CellText = Callable[[str], str]  # canonical key -> what the cell shows ("" when empty)

_NUMBERING = re.compile(r"^(?:（([一二三四五六七八九十]{1,2})）|(\d{1,2})\.)")
_HALF = str.maketrans({"（": "(", "）": ")", "，": ", ", "：": ":"})


def pdf_label(text: str, halfwidth: bool = False) -> str:
    """（一）予以公开 -> (一) 予以公开, 1.属于国家秘密 -> 1. 属于国家秘密 (all three PDF seeds);
    ``halfwidth``: the rest of the punctuation too, as seed 002 has it."""
    m = _NUMBERING.match(text)
    if m:
        head = f"({m.group(1)}) " if m.group(1) else f"{m.group(2)}. "
        text = head + text[m.end() :]
    return text.translate(_HALF) if halfwidth else text


def space_out(text: str) -> str:
    """三、本年度办理结果 -> 三、 本 年 度 办 理 结 果; (三) 不予公开 -> (三) 不 予 公 开."""
    m = re.match(
        r"^(?:[一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\) ?|（[一二三四五六七八九十]{1,2}）|\d{1,2}\. ?)", text
    )
    head = m.group(0).strip() + " " if m else ""
    rest = text[m.end() :] if m else text
    return head + " ".join(rest.replace(" ", ""))


def _cell_text(cell: GridCell, cell_text: CellText, halfwidth: bool) -> str:
    if cell.role == "value":
        assert cell.key is not None
        return cell_text(cell.key)
    if cell.role in ("label", "group", "title"):
        return pdf_label(cell.flat, halfwidth)
    return cell.flat


# ------------------------------------------------------------------ PDF text
def _row_fields(
    row: GridRow,
    cell_text: CellText,
    rng: random.Random,
    *,
    drop: Collection[str],
    halfwidth: bool,
    label_pad_p: float,
    covered_text: Callable[[GridCell], str] | None = None,
) -> tuple[list[str], list[int]]:
    """The tab fields of one grid row, and for every slot the index of its field (-1: lost)."""
    fields: list[str] = []
    at: list[int] = []
    for slot in row.slots:
        cell = slot.cell
        if slot.covered:
            at.append(len(fields))
            fields.append(covered_text(cell) if covered_text else "")
            continue
        if cell.role == "value" and cell.key in drop:
            at.append(-1)
            continue  # the extraction lost this cell: no field at all
        at.append(len(fields))
        fields.append(_cell_text(cell, cell_text, halfwidth))
        if cell.role == "label":
            # label colspans leave a gap only sometimes (seed 000 (六)/(七)/四, not seed 002)
            pads = 1 if cell.colspan > 1 and rng.random() < label_pad_p else 0
        elif cell.role == "note":
            pads = rng.randint(0, 1)
        else:
            pads = cell.colspan - 1
        fields.extend([""] * pads)
    return fields, at


def tsv_table(
    grid: Grid,
    cell_text: CellText,
    rng: random.Random,
    *,
    drop: Collection[str] = (),
    halfwidth: bool = False,
    label_pad_p: float = 0.25,
    trailing_p: float = 0.3,
    lead_loss_p: float = 0.05,
) -> list[str]:
    lines: list[str] = []
    for row in grid.rows:
        keys = {c.key for c in row.cells if c.key}
        # padding next to a lost cell would be a second gap; real rows with a loss show none
        pad_p = 0.0 if keys & set(drop) else label_pad_p
        fields, _ = _row_fields(row, cell_text, rng, drop=drop, halfwidth=halfwidth, label_pad_p=pad_p)
        if row.row_key and row.row_key.startswith("t3.") and rng.random() < lead_loss_p:
            while fields and fields[0] == "" and row.slots[0].covered:
                fields.pop(0)  # seed 002 row (六): the empty group-label fields went missing
        lost = [c.key for c in row.cells if c.key in drop]
        if row.row_key and rng.random() < trailing_p:
            # a trailing empty field is where a lost last cell was (seeds 000, 003); a row
            # that lost a cell inside does not run on past its last value
            if not lost or lost[-1] == [c.key for c in row.cells if c.key][-1]:
                fields.append("")
        lines.append("\t".join(fields))
    return lines


# ------------------------------------------------------------------ damaged PDF text
def _wrap(text: str) -> tuple[str, str]:
    cut = (len(text) + 1) // 2
    return text[:cut], text[cut:]


def spaced_table(grid: Grid, cell_text: CellText, rng: random.Random, *, halfwidth: bool = False) -> list[str]:
    """PDF text with the damage of seeds 000 and 003 (see module doc)."""
    if grid.table == "t4" and rng.random() < 0.7:
        return _t4_vertical(grid, cell_text, rng)
    vertical_group = grid.table == "t3" and rng.random() < 0.4
    spaced_groups = rng.random() < 0.7
    joined_values = rng.random() < 0.3 and all(
        cell_text(c.key) for r in grid.rows for c in r.cells if c.key
    )  # "0 0 0 0 0 0 0" in one field needs every cell printed
    lines: list[str] = []
    group_chars: dict[int, list[str]] = {}

    def covered(cell: GridCell) -> str:
        chars = group_chars.get(id(cell))
        return chars.pop(0) if chars else ""

    for row in grid.rows:
        for c in row.cells:
            if vertical_group and c.role == "group" and c.rowspan >= 8:
                # a narrow tall cell prints one character per row (D4)
                chars = list(c.flat)
                group_chars[id(c)] = chars[1:]
        fields, at = _row_fields(
            row,
            cell_text,
            rng,
            drop=(),
            halfwidth=halfwidth,
            label_pad_p=0.2,
            covered_text=covered if vertical_group else None,
        )
        if vertical_group:
            for i, slot in enumerate(row.slots):
                if not slot.covered and slot.cell.role == "group" and id(slot.cell) in group_chars:
                    fields[at[i]] = slot.cell.flat[0]
        continuation: dict[int, str] = {}
        for i, slot in enumerate(row.slots):
            cell = slot.cell
            if slot.covered:
                continue
            j = at[i]
            text = fields[j]
            if cell.role == "group" and spaced_groups and not vertical_group:
                fields[j] = space_out(text)
            elif cell.role == "header" and grid.table == "t3" and len(text) >= 3:
                x = rng.random()
                if x < 0.35:
                    fields[j] = " ".join(_wrap(text))  # 商业 企业, 社会公 益组织 (seed 000)
                elif x < 0.55 and len(text) >= 4:
                    fields[j], continuation[j] = _wrap(text)  # 法律服务 / 机构 (seed 003)
                elif x < 0.7:
                    fields[j] = " ".join(text)  # 自 然 人
            elif cell.role == "label" and len(text) > 18 and rng.random() < 0.5:
                fields[j], continuation[j] = _wrap(text)
            elif cell.role == "label" and rng.random() < 0.1:
                fields[j] = space_out(text)
        if joined_values and row.row_key:
            first = next(i for i, slot in enumerate(row.slots) if slot.cell.role == "value")
            values = [cell_text(c.key) for c in row.cells if c.key]
            fields = [*fields[: at[first]], " ".join(values)]
        lines.append("\t".join(fields))
        if continuation:
            if rng.random() < 0.5:
                lines.append("")
            width = max(continuation) + 1
            lines.append("\t".join(continuation.get(i, "") for i in range(width)) + "\t" * rng.randint(0, 3))
    return lines


def _t4_vertical(grid: Grid, cell_text: CellText, rng: random.Random) -> list[str]:
    """Table 4 as seed 003 prints it: the five narrow 行政复议 headers vertical, their first
    character on one line and the rest spaced on the next, beside the litigation headers."""
    top, mid, low, data = grid.rows
    lines = ["\t".join(_row_fields(top, cell_text, rng, drop=(), halfwidth=False, label_pad_p=0)[0][:6])]
    narrow = [c.flat for c in mid.cells if c.rowspan == 2]
    wide = [c.flat for c in mid.cells if c.rowspan == 1]
    lines.append("\t".join([t[0] for t in narrow] + wide))
    lines.append("")
    lines.append("\t".join([" ".join(t[1:]) for t in narrow] + [" ".join(c.flat) for c in low.cells]))
    lines.append("\t".join(cell_text(c.key) for c in data.cells if c.key))
    return lines


# ------------------------------------------------------------------ HTML text
def cell_per_line_table(grid: Grid, cell_text: CellText, rng: random.Random) -> list[str]:
    """Seed 001: "\\t<cell>" per cell, a bare tab for an empty or covered cell, a blank line
    after each row; a header typeset on two lines keeps its break (本年新 / 公开数量)."""
    lines: list[str] = []
    for row in grid.rows:
        for slot in row.slots:
            cell = slot.cell
            if slot.covered:
                lines.append("\t")
            elif cell.role == "value":
                assert cell.key is not None
                lines.append("\t" + cell_text(cell.key))
            elif "\n" in cell.text and rng.random() < 0.5:
                lines.append("\t" + cell.text)
            else:
                lines.append("\t" + cell.flat)
        lines.append("")
    return lines


# ------------------------------------------------------------------ flattened HTML
def one_per_line_table(
    grid: Grid,
    cell_text: CellText,
    rng: random.Random,
    *,
    vertical: Callable[[GridCell], bool] | None = None,
    keep_char: Callable[[str], bool] | None = None,
) -> list[str]:
    """Seed 004: one item per non-empty cell; empty cells vanish. ``vertical`` picks the
    headers typeset one character per item; ``keep_char`` which of their characters survive
    (seed 004 lost some, leaving empty items)."""
    items: list[str] = []
    for row in grid.rows:
        for cell in row.cells:
            if cell.role == "value":
                assert cell.key is not None
                text = cell_text(cell.key)
                if text:
                    items.append(text)
            elif vertical is not None and vertical(cell):
                items.extend(ch if keep_char is None or keep_char(ch) else "" for ch in cell.flat)
            else:
                items.append(cell.flat)
    return items
