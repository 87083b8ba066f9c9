"""Tokens of a table region -> canonical cells.

Rows are found by their labels (anchors) in form order; each anchor's fields are aligned
with the row's columns by ``align.readings``; lost and ambiguous cells are settled with the
table identities by ``align.settle``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..domain.findings import listed
from ..domain.labels import (
    T2_FORMAT_SIGNALS,
    T2_ROWS,
    T3_COLUMNS,
    T3_ROW_BY_KEY,
    T4_COLUMNS,
    T4_GROUPS,
    T4_KEYS,
    T2Row,
    cell_label,
    t3_rows,
)
from ..domain.rules import identities
from ..domain.text import MONEY_UNITS, PAGE_NUMBER, RUNNING_TITLE_WORDS
from ..model import Cell, Finding
from ..settings import MAX_LAYOUT_HYPOTHESES
from .align import (
    Reading,
    RowChoice,
    Slot,
    any_blanks,
    grouped_blank_check,
    readings,
    row_blank_check,
    settle,
    slot_for,
)
from .labels import core, match_t2_row, match_t3_row
from .runs import GLUED_TAIL, glued_tail, is_run_row, run_cells, split_runs
from .tokens import Token

LONG_TEXT = 30  # a text token longer than this is narrative, not a label fragment


@dataclass(slots=True)
class TableResult:
    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rows_found: list[str] = field(default_factory=list)
    signals: dict[str, int] = field(default_factory=dict)  # format evidence: "2019"/"2021" -> votes


_FILLED = frozenset(("value", "blank", "unread"))  # token kinds that fill a cell


def _collect(seg: Sequence[Token], i: int, end: int, n: int) -> list[Token]:
    """The value, blank and empty fields that belong to the anchor at ``seg[i]``."""
    row = seg[i].row
    fields: list[Token] = []
    filled = False
    k = i + 1
    while k < end:
        t = seg[k]
        if t.row != row:
            break
        if t.kind != "text":
            fields.append(t)
            filled = filled or t.kind in _FILLED
        k += 1
    if filled:
        return fields
    own_empties = fields
    # the values are on following rows (one cell per line, or a label wrapped around them)
    fields = []
    count = 0
    pipes = _PipeCells(seg, i, k, end)
    k = pipes.start
    while k < end and count < n:
        r = seg[k].row
        kept: list[Token] = []
        filled = 0
        pipe_cell = False
        narrative = False
        while k < end and seg[k].row == r:
            t = seg[k]
            k += 1
            if t.kind == "text":
                if t.text == "|" and pipes.cell_at(k - 1, len(fields) + len(kept), n):
                    kept.append(pipes.cell(t))
                    pipe_cell = True
                    continue
                narrative = narrative or len(t.key_text) > LONG_TEXT
                pipes.text_seen = pipes.text_seen or (bool(fields or kept) and t.text.strip("|") != "")
            else:
                kept.append(t)
                filled += t.kind in _FILLED
                pipes.closed = pipes.closed or (k < end and seg[k].row == r and seg[k].text == "|")
        if narrative or pipes.row_ended:
            break
        if filled or pipe_cell:
            fields.extend(_strip_trailing(kept))  # (drops empty fields only)
            count += filled
            if filled and n >= 7 and is_run_row(fields, n):
                # table 3's seven cells run together on one line (seven digits at least: no
                # count a row holds) make the row whole; a shorter row's run may be one cell
                break
    fields = pipes.resolve(fields)
    if not fields and len(own_empties) >= n:
        # a row of empty cells and nothing below it before the next label: a blank row
        # (a pipe row as wide as the page's table: its first n cells)
        return [Token("blank", "", t.row, t.origin) for t in own_empties[:n]]
    return fields


def _detached_row(seg: Sequence[Token], i: int, end: int, n: int) -> list[Token] | None:
    """The cells of a row a PDF-to-Markdown tool split over two table rows: its label's row
    (the label at ``seg[i]``) shows some (``| 行政许可 1 -1 | |``, ``| 1.属于国家秘密 | / | / |
    / | / | / | / | |``) and ends with empty cells, the next row, opened by the label
    column's empty cell, shows the others and no text (``| | 0 |``). Only where the two
    together show exactly the row's ``n`` cells; None otherwise. Called only for a row the
    plain reading left unread."""
    row = seg[i].row
    k = i + 1
    shown: list[Token] = []
    last = seg[i]
    while k < end and seg[k].row == row:
        last = seg[k]
        if last.kind in _FILLED:
            shown.append(last)
        k += 1
    if last.kind != "empty" or not shown or len(shown) >= n or k >= end or seg[k].kind != "empty":
        return None
    row = seg[k].row
    while k < end and seg[k].row == row:
        t = seg[k]
        if t.kind == "text":
            return None
        if t.kind in _FILLED:
            shown.append(t)
        k += 1
    return shown if len(shown) == n else None


class _PipeCells:
    """Bare ``|`` lines in a one-cell-per-line layout whose cells are closed by pipes
    (``0 |`` / ``|`` / ``规章 |``, an HTML table flattened): the row's grouping.

    * a label written without its pipe (``行政规范性文件`` / ``|``) is closed by the bare
      ``|`` on the next line: that one is no cell;
    * a layout that opens each row with a bare ``|`` line (``|`` / ``规章 |`` / ``0 |`` …)
      ends the row at the ``|`` that opens the next one (a bare ``|`` just before a label);
    * every other bare ``|`` after the label is the row's empty cell (``规章 | 0 | 0 | |``),
      but only where the row's values are closed by pipes too: in a layout of bare lines
      (``5`` / ``12``) a ``|`` line is stray, and dropped (``resolve``)."""

    __slots__ = ("closed", "end", "made", "opens_rows", "row_ended", "seg", "start", "text_seen")

    def __init__(self, seg: Sequence[Token], i: int, k: int, end: int) -> None:
        self.seg = seg
        self.end = end
        self.opens_rows = i > 0 and _bare_pipe(seg[i - 1])
        label_closer = not seg[i].text.endswith("|") and k < end and _bare_pipe(seg[k])
        self.start = k + 1 if label_closer else k
        # a value of the row, or its label, closed by a pipe on its own line ("0 |", "规章 |")
        self.closed = seg[i].text.endswith("|")
        self.text_seen = False  # a label or heading after the row's first field
        self.row_ended = False
        self.made: list[Token] = []  # the bare pipes kept as cells, until ``resolve``

    def cell(self, t: Token) -> Token:
        cell = Token("empty", "", t.row, t.origin, cell=True)
        self.made.append(cell)
        return cell

    def cell_at(self, k: int, have: int, n: int) -> bool:
        """Whether the bare ``|`` at ``seg[k]`` may be a cell (else it is layout), the row
        holding ``have`` of its ``n`` cells so far."""
        seg = self.seg
        t = seg[k]
        nxt = seg[k + 1] if k + 1 < len(seg) else None
        if seg[k - 1].row == t.row or (nxt is not None and nxt.row == t.row):
            return False  # the pipe that closes a cell on its line ("0 |")
        if self.text_seen:
            return False
        if self.opens_rows and (nxt is None or k + 1 >= self.end or (nxt.kind == "text" and not _bare_pipe(nxt))):
            if have == n - 1 and self.closed:
                # the row's last cell, not the next row's opening pipe: the pipe before this
                # row's label was the last empty cell of the row above (规章 | / | / | / |
                # after a row of empty cells), as an HTML table flattened keeps every cell
                return True
            self.row_ended = have > 0  # the next row's opening pipe
            return False
        return True

    def resolve(self, fields: list[Token]) -> list[Token]:
        """The kept bare pipes as the row's empty cells, or dropped as stray."""
        if not self.made or self.closed:
            return fields
        made = set(map(id, self.made))
        return [t for t in fields if id(t) not in made]


def _bare_pipe(t: Token) -> bool:
    return t.kind == "text" and t.text == "|"


def _strip_trailing(fields: list[Token], n: int | None = None) -> list[Token]:
    """Drop trailing empty fields (padding in text layouts) and, beyond the row's ``n``
    columns, trailing empty cells of a real table (a table wider than its data)."""
    while fields and fields[-1].kind == "empty" and (not fields[-1].cell or (n is not None and len(fields) > n)):
        fields.pop()
    return fields


def _unique(options: list) -> bool:  # type: ignore[type-arg]
    first = [(s.kind, s.value) for s in options[0].slots]
    return all([(s.kind, s.value) for s in r.slots] == first for r in options[1:])


def _cell_from_slot(key: str, slot: Slot, unit: str | None = None) -> Cell:
    # every field by position, in the class's order (key, value, status, origin, raw, unit):
    # one Cell per table cell, and a keyword argument costs a dict per call (as Origin)
    t = slot.token
    if slot.kind == "b":
        return Cell(key, None, "blank", t.origin if t else None, t.text if t else None)
    assert t is not None
    return Cell(key, t.value, "read", t.origin, t.text, unit or t.unit)


# ------------------------------------------------------------------ table 3
_T3_ORDER = {k: i for i, k in enumerate(T3_ROW_BY_KEY)}
_T3_KEYS = {r: tuple(f"t3.{r}.{c.key}" for c in T3_COLUMNS) for r in T3_ROW_BY_KEY}
_ZERO_DERIVED = Slot("d", None, 0)  # slots are never changed once made: one serves every cell


def extract_t3(seg: Sequence[Token], year_fmt: str | None) -> TableResult:
    """Table 3: its rows' anchors in form order, each row's fields, each row read, then settled."""
    res = TableResult()
    anchors = _t3_anchors(seg)
    if not anchors:
        return res
    at = {k: j for j, (_, k) in enumerate(anchors)}  # each row's place in ``anchors``
    sub_other = bool(at.keys() & {"other.no_correction", "other.unpaid_fee", "other.other"})
    if sub_other:
        res.signals["2021"] = res.signals.get("2021", 0) + 2
    rows = _t3_fields(seg, anchors, sub_other)
    fmt = "2021" if sub_other else (year_fmt if year_fmt in ("2019", "2021") else "2019")
    single_other = fmt == "2021" and "other" in rows and not sub_other
    if single_other:
        res.findings.append(Finding.of("T3_SINGLE_OTHER_ROW", table="t3", cells=[f"t3.other.{c.key}" for c in T3_COLUMNS]))
    res.signals["single_other"] = int(single_other)
    wanted = t3_rows(fmt, single_other)
    res.rows_found = [k for k in wanted if k in rows]
    fixed: Fixed = {}
    choices: list[RowChoice] = []
    eqs = identities(fmt, single_other)
    check = row_blank_check(6)
    for r in res.rows_found:
        _read_t3_row(res, seg, anchors, at[r], rows[r], eqs, check, fixed, choices)
    _settle_into(res, fixed, choices, eqs, "t3")
    missing = [r for r in wanted if r not in rows]
    if missing:
        names = "、".join(f"「{_short(r)}」" for r in missing[:5]) + (f"等 {len(missing)} 行" if len(missing) > 5 else "")
        keys = [f"t3.{r}.{c.key}" for r in missing for c in T3_COLUMNS]
        res.findings.append(Finding.of("MISSING_ROW", "t3", cells=keys, table="t3", rows=names))
    res.signals["fmt_" + fmt] = 1
    return res


def _t3_anchors(seg: Sequence[Token]) -> list[tuple[int, str]]:
    """The text tokens that open a row of table 3: (token index, row key), in form order."""
    anchors: list[tuple[int, str]] = []
    last: str | None = None
    for i, t in enumerate(seg):
        if t.kind != "text":
            continue
        k = match_t3_row(t.text, last) or _glued_row(t.text, last)
        if k and (last is None or _T3_ORDER[k] > _T3_ORDER[last]):
            anchors.append((i, k))
            last = k
    return anchors


def _t3_fields(seg: Sequence[Token], anchors: list[tuple[int, str]], sub_other: bool) -> dict[str, list[Token]]:
    """Each anchored row's fields: the tokens up to the next anchor (or its glued tail)."""
    rows: dict[str, list[Token]] = {}
    for j, (i, k) in enumerate(anchors):
        end = anchors[j + 1][0] if j + 1 < len(anchors) else len(seg)
        tail = glued_tail(seg[i], 7)
        fields = [tail, *_same_row(seg, i, end)] if tail is not None else _collect(seg, i, end, 7)
        if k == "other" and sub_other and not any(t.kind in _FILLED for t in fields):
            continue  # the （六） group heading of the 2021 layout
        rows[k] = fields
    _orphan_rows(seg, anchors, rows)
    return rows


def _read_t3_row(  # type: ignore[no-untyped-def]
    res: TableResult, seg: Sequence[Token], anchors: list[tuple[int, str]], j: int, raw: list[Token],
    eqs, check, fixed: Fixed, choices: list[RowChoice],
) -> None:
    """One row of table 3 into ``fixed`` (read) or ``choices`` (left to the identities)."""
    r = anchors[j][1]
    keys = _T3_KEYS[r]
    fields = _strip_trailing(list(raw), 7)
    trailing = len(fields) < len(raw)
    if is_run_row(fields, 7):
        _split_run_row(res, fields, keys, eqs, fixed, choices, f"表三「{_short(r)}」行", "t3")
        return
    if not fields:
        res.findings.append(Finding.of("UNREAD_CELL", "t3_empty_row", cells=keys, table="t3", row=_short(r)))
        return
    lone_total = len(fields) == 1 and fields[0].kind == "value"
    six_zeros = len(fields) == 6 and all(t.kind == "value" and t.value == 0 for t in fields)
    if lone_total or six_zeros:
        # the row's first cells, the others on the next table row (Markdown from a PDF)?
        marked = _detached_t3_row(seg, anchors, j, fields) if trailing and _cells_below(seg, anchors[j][0], raw) else None
        if marked is not None:
            fixed.update(zip(keys, marked, strict=True))
        elif lone_total:
            # only the 总计 column written (D18), in a layout that drops empty cells
            fixed.update(zip(keys, [Slot("b")] * 6 + [Slot("v", fields[0])], strict=True))
        else:
            # six zeros for seven columns (a PDF lost a cell): wherever it was, it is 0
            fixed.update(dict.fromkeys(keys, _ZERO_DERIVED))
        return
    opts = readings(fields, 7, check, trailing)
    if len(opts) == 1 and not opts[0].cost:
        fixed.update(zip(keys, opts[0].slots, strict=True))  # read as written
        return
    one = len(opts) == 1 or (bool(opts) and _unique(opts))
    if not one or opts[0].cost:
        # not read as written: a row of Markdown from a PDF, its cells detached?
        marked = _detached_t3_row(seg, anchors, j, fields)
        if marked is not None:
            fixed.update(zip(keys, marked, strict=True))
            return
    if not opts:
        count = sum(t.kind != "empty" for t in fields)
        res.findings.append(Finding.of("UNREAD_CELL", "t3_too_many", cells=keys, table="t3", row=_short(r), count=count))
    elif one:
        fixed.update(zip(keys, opts[0].slots, strict=True))
    else:
        choices.append(RowChoice(keys, opts))


_SLASHES = "/／"


def _detached_t3_row(seg: Sequence[Token], anchors: list[tuple[int, str]], j: int, fields: list[Token]) -> list[Slot] | None:
    """The seven slots of a table-3 row the plain reading did not read as written, where
    the page shows them another way: ``label / / / / / /`` and its values after it, on its
    line or a later one (Markdown from a PDF: ``| label / / / / / / | |`` / ``| | 188 |``):
    the marks run into the label are the row's first cells, every other field shown one of
    the rest; or the row's cells split over two table rows (``_detached_row``). The row's
    label is ``anchors[j]``."""
    i = anchors[j][0]
    marks = _label_marks(seg[i].text)
    if 0 < marks < 7:
        shown = [t for t in fields if t.kind != "empty"]
        if marks + len(shown) == 7:
            return [Slot("b")] * marks + [slot_for(t) for t in shown]
    rest = _detached_row(seg, i, anchors[j + 1][0] if j + 1 < len(anchors) else len(seg), 7)
    return None if rest is None else [slot_for(t) for t in rest]


def _cells_below(seg: Sequence[Token], i: int, raw: list[Token]) -> bool:
    """Whether the row (label ``seg[i]``, fields ``raw``) may hold Markdown's detached cells
    (``| label | 0 | | |`` / ``| | 0 | 0 |``: the next table row opens with an empty cell and
    a cell, not text) or marks run into its label: a cheap first look, False only where
    ``_detached_t3_row`` finds nothing (a text layout's padding before the next label)."""
    if seg[i].text[-1:] in _SLASHES:
        return True
    k = i + len(raw) + 1  # the next row's first field, if no text came between the row's fields
    if k + 1 >= len(seg) or seg[k - 1] is not raw[-1] or seg[k].row == seg[i].row:
        return True  # not that plain shape: the full reading decides
    opener, first = seg[k], seg[k + 1]
    return opener.kind == "empty" and first.row == opener.row and first.kind != "text"


def _label_marks(text: str) -> int:
    """How many ``/`` marks close a label (``一、本年新收政府信息公开申请数量//////``: the
    tokenizer keeps the blank marks right after a label in its text). Only slashes: a dash may
    be doubled for one cell (``——``), and a label has no slash of its own at its end."""
    return len(text) - len(text.rstrip(_SLASHES))


def _orphan_rows(seg: Sequence[Token], anchors: list[tuple[int, str]], rows: dict[str, list[Token]]) -> None:
    """A label with no value after it takes the one line of seven values just before it
    that no row above has taken: text pulled out of a PDF in reading order by height
    (pdfplumber's ``extract_text``) puts a row's numbers, set a little higher than its label,
    on the line above it (``0 0 0 0 0 0 0`` / ``1.属于国家秘密``), or between the lines of a
    label wrapped in its cell. Two such lines, or one that is not seven values alone on their
    line, leave the row unread."""
    # the labels with no value after them (most tables have none: nothing to do)
    unread = [j for j, (_, k) in enumerate(anchors) if j and k in rows and not any(t.kind in _FILLED for t in rows[k])]
    if not unread:
        return
    taken = {id(t) for fields in rows.values() for t in fields}
    for j in unread:
        i, k = anchors[j]
        lines: dict[int, list[Token]] = {}
        texts: set[int] = set()
        for t in seg[anchors[j - 1][0] + 1 : i]:
            if t.kind == "text":
                texts.add(t.row)
            elif id(t) not in taken:
                lines.setdefault(t.row, []).append(t)
        filled = {r: [t for t in ts if t.kind in _FILLED] for r, ts in lines.items()}
        # seven values alone on their line (the empty label cell of a pipe row aside), or
        # the seven run together into one digit run (``runs``: lost cell boundaries)
        rowlike = {r for r, ts in filled.items() if len(ts) == 7 or (len(ts) == 1 and is_run_row(ts, 7))}
        whole = [filled[r] for r in rowlike if r not in texts and all(t.kind in _FILLED or t.kind == "empty" for t in lines[r])]
        # anything else between is a page number at most ("- 3 -": one value, alone)
        other = [ts for r, ts in filled.items() if r not in rowlike and (len(ts) > 3 or sum(t.kind == "value" for t in ts) > 1)]
        if len(whole) == 1 and not other and len(rowlike) == 1:
            rows[k] = whole[0]
            taken.update(map(id, whole[0]))


def _glued_row(text: str, last: str | None) -> str | None:
    """The table-3 row of a label with the row's digits run onto it (``runs``)."""
    if not text[-1:].isdigit():
        return None
    m = GLUED_TAIL.match(text)
    return match_t3_row(m.group(1), last) if m else None


def _same_row(seg: Sequence[Token], i: int, end: int) -> list[Token]:
    """The fields on the anchor's own row (a row whose label carries its digits)."""
    row = seg[i].row
    out = []
    for t in seg[i + 1 : end]:
        if t.row != row:
            break
        if t.kind != "text":
            out.append(t)
    return out


def _split_run_row(res: TableResult, fields, keys, eqs, fixed: Fixed, choices: list[RowChoice], where: str, table: str) -> None:  # type: ignore[no-untyped-def]
    """A row whose cells ran together (``runs``): its splits that satisfy its identities
    become its readings; none, or too many to try, leave it absent with a finding."""
    splits = split_runs(fields, keys, eqs)
    run = "".join(t.text for t in fields if t.kind != "empty")
    if not splits:
        why = "拆分方式太多" if splits is None else "没有一种拆分符合表格勾稽关系"
        res.findings.append(Finding.of("LOST_BOUNDARIES", cells=list(keys), table=table, where=where, run=run, why=why))
        return
    options = [Reading(tuple([Slot("v", t) for t in split]), 0) for split in splits]
    if len(options) == 1:
        fixed.update(zip(keys, options[0].slots, strict=True))
    else:
        choices.append(RowChoice(tuple(keys), options))
    res.findings.append(Finding.of("LOST_BOUNDARIES_SPLIT", cells=list(keys), table=table, where=where, run=run))


# A table's cells so far: the slot each row's one reading (or a rule) put there.
Fixed = dict[str, Slot]


def _short(row_key: str) -> str:
    return T3_ROW_BY_KEY[row_key].short


def _settle_into(res: TableResult, fixed: Fixed, choices: list[RowChoice], eqs, table: str) -> None:  # type: ignore[no-untyped-def]
    agreed, derived, ambiguous = settle(fixed, choices, eqs, MAX_LAYOUT_HYPOTHESES)  # type: ignore[arg-type]
    lost_rows: dict[str, list[str]] = {}
    for k, slot in agreed.items():
        res.cells[k] = _cell_from_slot(k, slot)
    for k, v in derived.items():
        res.cells[k] = Cell(k, v, "derived", note="原文缺失此格，由表格勾稽关系推出")
    if derived:
        keys = sorted(derived)
        res.findings.append(Finding.of("DERIVED_CELL", cells=keys, table=table, count=len(keys), cells_named=listed(map(cell_label, keys), 6)))
    placed = len(agreed) + len(derived) + len(ambiguous)
    for keys in (fixed, *(c.keys for c in choices)) if placed < len(fixed) + sum(len(c.keys) for c in choices) else ():
        for k in keys:
            if k not in res.cells and k not in ambiguous:
                lost_rows.setdefault(k.rsplit(".", 1)[0], []).append(k)
    for _row, keys in lost_rows.items():
        res.findings.append(Finding.of("UNREAD_CELL", cells=keys, table=table, cells_named=listed(map(cell_label, keys), 3)))
    if ambiguous:
        keys = sorted(ambiguous)
        res.findings.append(Finding.of("AMBIGUOUS_LAYOUT", cells=keys, table=table, count=len(keys), cells_named=listed(map(cell_label, keys), 4)))


# ------------------------------------------------------------------ table 4
def extract_t4(seg: Sequence[Token]) -> TableResult:
    res = TableResult()
    fields: list[Token] = []
    count = 0
    k = 0
    while k < len(seg) and count < 15:
        r = seg[k].row
        row_tokens = []
        narrative = False
        filled = 0
        while k < len(seg) and seg[k].row == r:
            t = seg[k]
            row_tokens.append(t)
            if t.kind == "text":
                narrative = narrative or len(t.key_text) > LONG_TEXT
            elif t.kind in _FILLED:
                filled += 1
            k += 1
        if narrative:
            if count:
                break
            continue
        if not filled and len(row_tokens) >= 15 and all(t.kind == "empty" and (t.cell or len(row_tokens) <= 16) for t in row_tokens):
            # the data row of a real table with every cell empty, or a text row as wide as
            # the table (a pipe or tab row of fifteen empty fields, a closing tab after them)
            row_tokens = [Token("blank", "", t.row, t.origin) for t in row_tokens[: None if row_tokens[0].cell else 15]]
            filled = len(row_tokens)
        if not filled:
            continue
        if _page_furniture(row_tokens):
            continue  # a page break between the header and the data row: not the table's
        fields.extend(_strip_trailing([t for t in row_tokens if t.kind != "text"], 15))
        count += filled  # (stripping drops empty fields only)
    if not fields:
        fields = _empty_pipe_row(seg, 15)
    if not fields:
        fields = _marked_row(seg)
    if not fields:
        return res
    fields = _strip_trailing(fields, 15)
    # the first cells blank marks, the rest one digit run (/////37022322250027); a run for
    # one cell (fourteen blanks and the total) is no run: the plain reading below takes it
    lead = len(fields) - 1
    if not (0 < lead < 14 and all(t.kind == "blank" for t in fields[:lead]) and is_run_row(fields[lead:], 15 - lead)):
        lead = 0
    if lead or is_run_row(fields, 15):
        res.rows_found = ["t4"]
        fixed: Fixed = {k: Slot("b", t) for k, t in zip(T4_KEYS[:lead], fields[:lead], strict=True)}
        choices: list[RowChoice] = []
        _split_run_row(res, fields[lead:], T4_KEYS[lead:], _t4_equations(), fixed, choices, "表四", "t4")
        _settle_into(res, fixed, choices, _t4_equations(), "t4")
        return res
    check = grouped_blank_check(3, 4)
    opts = readings(fields, 15, check)
    if not opts:
        res.findings.append(Finding.of("UNREAD_CELL", "t4_too_many", cells=T4_KEYS, table="t4", count=count))
        return res
    res.rows_found = ["t4"]
    eqs = _t4_equations()
    if len(opts) == 1 or _unique(opts):
        _settle_into(res, dict(zip(T4_KEYS, opts[0].slots, strict=True)), [], eqs, "t4")
    else:
        _settle_into(res, {}, [RowChoice(T4_KEYS, opts)], eqs, "t4")
    return res


def _marked_row(seg: Sequence[Token]) -> list[Token]:
    """Table 4's data row as one text token alone on its row, its first cells' blank marks
    glued to the digit run of the others (``/////37022322250027``): looked for only where no
    data row was found."""
    for j, t in enumerate(seg):
        if t.kind == "text" and t.text[:1] == "/" and (j == 0 or seg[j - 1].row != t.row) and (j + 1 == len(seg) or seg[j + 1].row != t.row):
            marked = _marked_run(t, 15)
            if marked is not None:
                return marked
    return []


def _marked_run(t: Token, n: int) -> list[Token] | None:
    """A data row whose cell boundaries were lost after its first cells' blank marks, one
    ``/`` a cell (``/////37022322250027``): the blanks, then the digit run; None for any other
    text (only ``/``: a dash may be written doubled for one cell, ``——``)."""
    m = _MARKED_RUN.fullmatch(t.text) if t.kind == "text" else None
    if m is None or len(m.group(1)) >= n or len(m.group(1)) + len(m.group(2)) < n:
        return None
    blanks = [Token("blank", "/", t.row, t.origin) for _ in m.group(1)]
    return [*blanks, Token("value", m.group(2), t.row, t.origin, int(m.group(2)))]


_MARKED_RUN = re.compile(r"(/+)(\d+)")


def _page_furniture(row: list[Token]) -> bool:
    """A line a page break prints inside a table: the page number, or the running header
    (the report's title, its year a value token of the line)."""
    if PAGE_NUMBER.fullmatch("".join([t.key_text for t in row])):
        return True
    words = "\n".join([t.text for t in row if t.kind == "text"])
    return any(w in words for w in RUNNING_TITLE_WORDS)


def _empty_pipe_row(seg: Sequence[Token], n: int) -> list[Token]:
    """A data row of ``n`` empty cells in a one-cell-per-line layout closed by pipes (an HTML
    table flattened, each empty cell a bare ``|`` line): a run of ``n`` bare pipe lines, or
    ``n + 1`` where the layout opens the row with one too, between labels. Its ``n`` blanks,
    else nothing (a shorter or longer run is layout, not this row)."""
    runs: list[list[Token]] = []
    run: list[Token] = []
    for t in seg:
        if _bare_pipe(t) and (not run or t.row != run[-1].row):
            run.append(t)
            continue
        runs.append(run)
        run = []
    runs.append(run)
    rows = [r for r in runs if len(r) in (n, n + 1)]
    if len(rows) != 1:
        return []
    return [Token("blank", "", t.row, t.origin) for t in rows[0][-n:]]


@lru_cache(maxsize=1)
def _t4_equations() -> tuple:  # type: ignore[type-arg]
    return tuple(e for e in identities("2021") if e.rule == "T4_GROUP_TOTAL")


# ------------------------------------------------------------------ table 2
_T2_KEYS = {(fmt, r.key): tuple(f"t2.{r.key}.{c.key}" for c in r.columns) for fmt, rows in T2_ROWS.items() for r in rows}
_T2_SIGNAL_RE = {fmt: re.compile("|".join(map(re.escape, words))) for fmt, words in T2_FORMAT_SIGNALS.items()}


def t2_format(seg: Sequence[Token]) -> dict[str, int]:
    votes = {"2019": 0, "2021": 0}
    for t in seg:
        if t.kind != "text":
            continue
        for fmt in _t2_signals(t.text):
            votes[fmt] += 1
    return votes


@lru_cache(maxsize=4096)  # the same labels come back in every report
def _t2_signals(text: str) -> tuple[str, ...]:
    """The formats whose table-2 wording a label shows."""
    c = core(text)[1]
    return tuple([fmt for fmt, signal in _T2_SIGNAL_RE.items() if signal.search(c)])


def extract_t2(seg: Sequence[Token], fmt: str) -> TableResult:
    res = TableResult()
    anchors: list[tuple[int, T2Row]] = []
    seen: set[str] = set()
    for i, t in enumerate(seg):
        if t.kind != "text":
            continue
        r = match_t2_row(t.text, fmt)
        if r is not None and r.key not in seen:
            anchors.append((i, r))
            seen.add(r.key)
    units = _t2_units(seg, fmt)
    for j, (i, r) in enumerate(anchors):
        end = anchors[j + 1][0] if j + 1 < len(anchors) else len(seg)
        n = len(r.columns)
        fields = _strip_trailing(_collect(seg, i, end, n), n)
        if not fields or (n > 1 and len(fields) == 1):  # the cells run together (规章000)?
            fields = run_cells(seg[i], fields, n) or fields
        keys = _T2_KEYS[fmt, r.key]
        res.rows_found.append(r.key)
        if not fields:
            res.findings.append(Finding.of("UNREAD_CELL", "t2_empty_row", cells=keys, table="t2", row=r.label))
            continue
        opts = readings(fields, n, any_blanks)
        one = len(opts) == 1 or (bool(opts) and _unique(opts))
        if not one:
            rest = _detached_row(seg, i, end, n)  # a row of Markdown from a PDF, detached?
            if rest is not None:
                opts = readings(rest, n, any_blanks)
                one = len(opts) == 1 or (bool(opts) and _unique(opts))
        if not opts:
            res.findings.append(Finding.of("UNREAD_CELL", "t2_too_many", cells=keys, table="t2", row=r.label, columns=n))
            continue
        if not one:
            res.findings.append(Finding.of("AMBIGUOUS_LAYOUT", "t2_row", cells=keys, table="t2", row=r.label))
            continue
        lost = []
        for key, _col, slot in zip(keys, r.columns, opts[0].slots, strict=True):
            if slot.kind == "m":
                lost.append(key)
                continue
            unit = units.get(key)
            cell = _cell_from_slot(key, slot, unit)
            if slot.kind == "v" and slot.token is not None and slot.token.unit in MONEY_UNITS:
                cell = _money(cell, slot.token.unit, unit)
            res.cells[key] = cell
        if lost:
            res.findings.append(Finding.of("UNREAD_CELL", "t2_lost", cells=lost, table="t2", row=r.label, count=len(lost)))
    missing = [r for r in T2_ROWS[fmt] if r.key not in seen]
    if missing and anchors:
        keys = [f"t2.{r.key}.{c.key}" for r in missing for c in r.columns]
        res.findings.append(Finding.of("MISSING_ROW", "t2", cells=keys, table="t2", rows="、".join(f"「{r.label}」" for r in missing)))
    return res


def _t2_units(seg: Sequence[Token], fmt: str) -> dict[str, str]:
    """Units stated in table-2 headers: （单位：万元）, 采购总金额（元）."""
    out: dict[str, str] = {}
    for r in T2_ROWS[fmt]:
        if r.unit:
            out[f"t2.{r.key}.{r.columns[0].key}"] = r.unit
    for t in seg:
        if t.kind != "text":
            continue
        c = core(t.text)[1]
        for unit in ("万元", "亿元", "元"):
            if unit in c and ("金额" in c or "收费" in c):
                if "采购" in c:
                    out["t2.procurement.amount"] = unit
                elif "收费" in c:
                    out["t2.fees.amount"] = unit
                break
    return out


def _money(cell: Cell, cell_unit: str, col_unit: str | None) -> Cell:
    """A value written with its own unit (251000元) in the column's unit."""
    if col_unit is None or col_unit == cell_unit or cell.value is None:
        cell.unit = cell_unit
        return cell
    v = Decimal(cell.value) * MONEY_UNITS[cell_unit] / MONEY_UNITS[col_unit]
    cell.value = int(v) if v == v.to_integral_value() else v.normalize()
    cell.unit = col_unit
    cell.note = f"原文写作 {cell.raw}，已换算为{col_unit}"
    return cell


__all__ = ["T4_COLUMNS", "T4_GROUPS", "TableResult", "extract_t2", "extract_t3", "extract_t4", "t2_format"]
