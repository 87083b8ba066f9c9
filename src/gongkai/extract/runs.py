"""Rows whose cell boundaries were lost: a run of digits that is several cells.

Pages that lose a table's cell boundaries run a row's cells together
(``一、本年新收政府信息公开申请数量3520000037`` is 35 / 2 / 0 / 0 / 0 / 0 / 37). The row's own
identities (table 3's row total, table 4's group totals) fix the split in almost every row
of a real table; the splits that satisfy them become the row's readings, and the column
identities between rows (``align.settle``) choose among what is left. Where more than one
split satisfies every identity, the cells stay absent with a finding: never a guess.

Only a row whose values came as one run is read so (``is_run_row``): a row with cells lost
among separated values is ``align.readings``' case, not this one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..domain.rules import Identity
from .tokens import Token

# a label with the row's digits run onto its end (一、本年新收政府信息公开申请数量3520000037)
GLUED_TAIL = re.compile(r"^(.*[\u4e00-\u9fff][^\d,.．、]*)(\d+)$")
# cuts tried before a row is given up as too ambiguous to settle (absent with a finding)
MAX_SPLITS = 20000


def glued_tail(t: Token, n: int) -> Token | None:
    """The digit run at the end of a row's label, as a value token, when it is long enough
    to be the row's ``n`` cells run together; None otherwise."""
    text = t.text
    if not text[-n:].isdigit():  # (the regex only for a label that ends in n digits)
        return None
    m = GLUED_TAIL.match(text)
    if m is None or len(m.group(2)) < n:
        return None
    digits = m.group(2)
    return Token("value", digits, t.row, t.origin, int(digits))


def is_run_row(fields: Sequence[Token], n: int) -> bool:
    """Whether a row's fields are its ``n`` cells run together into one digit run.

    Only one run, with at least a digit per column, and beside it nothing but a few empty
    fields: values that came separated (``84 96 483``, a row whose blank cells a layout
    dropped) are ``align.readings``' case, however many digits they have together, and a
    count of a million or more is no count a row of these tables holds.
    """
    if len(fields) > 3:
        return False
    run = None
    for t in fields:
        if t.kind == "empty":
            continue
        if run is not None or t.kind != "value" or not t.text.isdigit():
            return False
        run = t
    return run is not None and len(run.text) >= n


def only_split(digits: str, n: int) -> tuple[int, ...] | None:
    """The one way ``digits`` is ``n`` numbers run together (none with a leading zero), for
    a row with no identity to check a cut by (table 2's); None where it is not the only way,
    or where fewer numbers make it too (a blank cell lost with the boundaries: ``105`` may be
    10 and 5 as well as 1, 0 and 5). ``000`` is 0 / 0 / 0 and ``0012`` is 0 / 0 / 12: no
    other cut, of any number of cells, is free of leading zeros."""
    if not digits.isdigit() or len(digits) > 6 * n:
        return None
    # ways[p][j]: the cuts of digits[:j] into p numbers (counted up to 2), and one of them
    ways: list[list[tuple[int, tuple[int, ...]]]] = [[(0, ())] * (len(digits) + 1) for _ in range(n + 1)]
    ways[0][0] = (1, ())
    for p in range(1, n + 1):
        for j in range(1, len(digits) + 1):
            count, cut = 0, ()
            for i in range(j - 1, -1, -1):
                piece = digits[i:j]
                if len(piece) > 1 and piece[0] == "0":
                    continue
                c, before = ways[p - 1][i]
                if c:
                    count, cut = count + c, (*before, int(piece))
                if count > 1:
                    break
            ways[p][j] = (min(count, 2), cut)
    total = sum(ways[p][len(digits)][0] for p in range(1, n + 1))
    count, cut = ways[n][len(digits)]
    return cut if total == 1 and count == 1 else None


def run_cells(label: Token, fields: Sequence[Token], n: int) -> list[Token] | None:
    """A table-2 row's ``n`` cells where the page ran them together, onto the label's end
    (``规章000``) or as the row's one value (``行政许可 000``), cut the one way they can be
    (``only_split``); None for any other row. A row of one cell is read as it is: its run, or
    the digits on its label's end, are its one number (``行政许可105``)."""
    if len(fields) > 3 or (fields and (n == 1 or not is_run_row(fields, n))):
        return None
    run = next((t for t in fields if t.kind != "empty"), None) if fields else glued_tail(label, n)
    cut = only_split(run.text, n) if run is not None else None
    if cut is None or run is None:
        return None
    return [Token("value", str(v), run.row, run.origin, v) for v in cut]


def split_runs(fields: Sequence[Token], keys: Sequence[str], eqs: Sequence[Identity]) -> list[tuple[Token, ...]] | None:
    """Every cut of the row's digit runs into ``len(keys)`` numbers (none with a leading
    zero) for which every identity over these keys alone holds. None when there are too
    many cuts to try.

    Cells are cut from the end, so a total (written after its parts) is known before its
    parts are cut, and no part may exceed what the total leaves (counts are never negative).
    """
    runs = [t for t in fields if t.kind != "empty"]
    n = len(keys)
    text = "".join(t.text for t in runs)
    starts: list[int] = []  # where each run starts in ``text``: a known cell boundary
    owner: list[Token] = []  # the run each digit belongs to
    for t in runs:
        starts.append(len(owner))
        owner.extend([t] * len(t.text))
    index = {k: i for i, k in enumerate(keys)}
    local = [(tuple(index[k] for k in e.lhs), tuple(index[k] for k in e.rhs)) for e in eqs if all(k in index for k in e.keys)]
    by_cell: list[list[tuple[tuple[int, ...], tuple[int, ...]]]] = [[] for _ in range(n)]
    for eq in local:
        for i in {*eq[0], *eq[1]}:
            by_cell[i].append(eq)
    values: list[int | None] = [None] * n
    pieces: list[Token | None] = [None] * n
    out: list[tuple[Token, ...]] = []
    tried = 0

    def holds(i: int) -> bool:
        for lhs, rhs in by_cell[i]:
            left = [values[j] for j in lhs]
            right = [values[j] for j in rhs]
            lk, rk = None not in left, None not in right
            ls = sum(v for v in left if v is not None)
            rs = sum(v for v in right if v is not None)
            if (lk and rk and ls != rs) or (lk and rs > ls) or (rk and ls > rs):
                return False
        return True

    def cut(i: int, end: int) -> bool:
        """Cut cell ``i`` (and those before it) from ``text[:end]``; False once too many."""
        nonlocal tried
        tried += 1
        if tried > MAX_SPLITS:
            return False
        if i < 0:
            if end == 0:
                out.append(tuple(pieces))  # type: ignore[arg-type]
            return True
        run_start = max(b for b in starts if b < end)
        runs_before = sum(1 for b in starts if b < run_start)
        for start in range(end - 1, run_start - 1, -1):
            # the cells left (i of them) need a digit each and a cell in every run left
            if start < i:
                break
            if i < runs_before + (start > run_start):
                continue
            piece = text[start:end]
            if len(piece) > 1 and piece[0] == "0":
                continue
            v = int(piece)
            values[i] = v
            pieces[i] = Token("value", piece, owner[start].row, owner[start].origin, v)
            if holds(i) and not cut(i - 1, start):
                return False
        values[i] = None
        pieces[i] = None
        return True

    if not cut(n - 1, len(text)):
        return None
    return out
