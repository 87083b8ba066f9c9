"""Repairing misread digits in OCR'd tables with the table identities.

OCR confuses digits (8/3, 1/7, a dropped or doubled digit). When equations fail, we look
for the one read cell whose change to a nearby number (at most two digit edits away) makes
every equation it takes part in hold, while no other single cell could do the same. Only
then is the value replaced, marked ``repaired`` with the OCR reading kept in ``note``. A
report whose numbers simply do not add up has no such unique cell, and stays as read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from ..domain.labels import cell_label
from ..domain.rules import Identity
from ..domain.text import OCR_RINGS
from ..model import Cell, Finding
from .labels import match_t2_row, match_t3_row
from .tokens import Token, parse_number

# a label with a number run onto its end, as OCR reads a cell whose box it merged with the
# next one: 行政许可6387
_GLUED = re.compile(r"^(.*[\u4e00-\u9fff)）])(\d[\d,]*(?:\.\d+)?)$")

MAX_DIGIT_EDITS = 2


def split_glued(tokens: list[Token]) -> int:
    """OCR text that is a table row's label with its number run on (行政许可6387) becomes the
    label and the value, in place. Returns how many. Only a label the tables know is split:
    prose that ends in a number is left alone."""
    out: list[Token] = []
    n = 0
    for t in tokens:
        m = _GLUED.match(t.text) if t.kind == "text" else None
        if m and _is_row_label(m.group(1)):
            parsed = parse_number(m.group(2))
            if parsed is not None:
                out += [Token("text", m.group(1), t.row, t.origin), Token("value", m.group(2), t.row, t.origin, *parsed)]
                n += 1
                continue
        out.append(t)
    tokens[:] = out
    return n


def _is_row_label(text: str) -> bool:
    return any(match_t2_row(text, fmt) is not None for fmt in ("2021", "2019")) or match_t3_row(text, None) is not None


def mark_unread(tokens: list[Token]) -> int:
    """OCR rings among numbers (``0 0 。 0``) become unread cells, in place. Returns how many.

    Only a mark with a number beside it in the same row counts: a 。 ending a sentence, or
    an o in a word, is left alone."""
    n = 0
    for i, t in enumerate(tokens):
        if t.kind != "text" or t.text not in OCR_RINGS:
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if any(x is not None and x.row == t.row and x.kind == "value" for x in (before, after)):
            tokens[i] = Token("unread", t.text, t.row, t.origin)
            n += 1
    return n


def _fails(eq: Identity, values: dict[str, object]) -> bool | None:
    terms = [values.get(k) for k in eq.keys]
    if any(t is None for t in terms):
        return None
    return sum(values[k] for k in eq.lhs) != sum(values[k] for k in eq.rhs)  # type: ignore[misc]


def _edits(a: str, b: str) -> int:
    """Levenshtein distance between two short digit strings."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _fix_for(key: str, eq: Identity, values: dict[str, object]) -> int | None:
    """The value of ``key`` that makes ``eq`` hold, everything else as read."""
    lhs = sum(values[k] for k in eq.lhs if k != key)  # type: ignore[misc]
    rhs = sum(values[k] for k in eq.rhs if k != key)  # type: ignore[misc]
    v = rhs - lhs if key in eq.lhs else lhs - rhs
    if isinstance(v, Decimal):
        if v != v.to_integral_value():
            return None
        v = int(v)
    return v if isinstance(v, int) and v >= 0 else None


def repair_digits(cells: dict[str, Cell], eqs: Sequence[Identity], table: str) -> list[Finding]:
    findings: list[Finding] = []
    for _ in range(8):  # a few misreads per table at most; each pass repairs one
        values = {k: c.value for k, c in cells.items()}
        failing = [e for e in eqs if _fails(e, values)]
        if not failing:
            break
        candidates: dict[str, int] = {}
        suspects = {k for e in failing for k in e.keys if k in cells and cells[k].status == "read"}
        for key in suspects:
            fix = _fix_for(key, next(e for e in failing if key in e.keys), values)
            if fix is None or fix == values[key]:
                continue
            if _edits(str(values[key]), str(fix)) > MAX_DIGIT_EDITS:
                continue
            trial = {**values, key: fix}
            involved = [e for e in eqs if key in e.keys]
            if any(_fails(e, trial) for e in involved):
                continue
            if sum(1 for e in eqs if _fails(e, trial)) >= len(failing):
                continue
            candidates[key] = fix
        if len(candidates) != 1:
            break  # none, or several cells could explain it: the identities do not fix it
        key, fix = next(iter(candidates.items()))
        cell = cells[key]
        findings.append(
            Finding.of(
                "OCR_REPAIRED", cells=[key], table=table, expected=fix, found=cell.value, cell=cell_label(key), read=cell.value, fixed=fix
            )
        )
        cell.note = f"文字识别结果为 {cell.raw or cell.value}，按勾稽关系修正"
        cell.value = fix
        cell.status = "repaired"
    return findings
