"""Which cells a simulated PDF extraction may lose (layout "tsv_lost").

A lost cell is gone from the text: its row shows one field fewer, and nothing tells where
the gap is. A reader can only restore it when the table's identities leave exactly one
reading: the gap at the true place, its value fixed by an equation. ``recoverable`` checks
that by brute force over every place the gaps could be, independently of the parser, so a
round-trip failure on a drop it accepts is the parser's, not the test's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import product

from ..domain.rules import Identity, identities
from ..model import Value

Row = tuple[str, ...]  # the canonical keys of one table row, in column order


def _solve(values: dict[str, Value], unknown: set[str], eqs: Sequence[Identity]) -> dict[str, Value] | None:
    """Fill the unknowns from equations with one unknown and no blank term; None when the
    reading is impossible (an equation fails, or a count would be negative) or leaves an
    unknown open (then the table does not fix the cell)."""
    vals = dict(values)
    todo = set(unknown)
    changed = True
    while todo and changed:
        changed = False
        for eq in eqs:
            missing = [k for k in eq.keys if k in todo]
            if len(missing) != 1 or any(vals.get(k) is None for k in eq.keys if k not in todo):
                continue
            k = missing[0]
            lhs = sum(vals[x] for x in eq.lhs if x != k)  # type: ignore[misc]
            rhs = sum(vals[x] for x in eq.rhs if x != k)  # type: ignore[misc]
            v = rhs - lhs if k in eq.lhs else lhs - rhs
            if v < 0:
                return None
            vals[k] = v
            todo.discard(k)
            changed = True
    if todo:
        return None
    for eq in eqs:
        terms = [vals.get(k) for k in eq.keys]
        if any(t is None for t in terms):
            continue  # a blank makes the equation unknowable, never false
        if sum(vals[k] for k in eq.lhs) != sum(vals[k] for k in eq.rhs):  # type: ignore[misc]
            return None
    return vals


def _reading(cells: dict[str, Value], row: Row, lost_at: int, gap: int) -> tuple[dict[str, Value], str]:
    """The row's values when its shown fields are read with the gap at ``gap``, and the key
    left unknown."""
    shown = iter([cells[k] for i, k in enumerate(row) if i != lost_at])
    values = {k: next(shown) for i, k in enumerate(row) if i != gap}
    return values, row[gap]


def recoverable(cells: dict[str, Value], drops: dict[Row, int], eqs: Sequence[Identity]) -> bool:
    """True when every reading of the rows with a lost cell that the identities allow gives
    the true values: the gap may sit anywhere in its row, the fields keep their order."""
    rows = list(drops)
    touched = {k for r in rows for k in r}
    # only equations over the lossy rows can tell readings apart: the rest hold in all of them
    eqs = [e for e in eqs if touched.intersection(e.keys)]
    places: list[list[int]] = []
    for row in rows:
        if len({cells[k] for k in row}) == 1:
            places.append([drops[row]])  # all values equal (zeros): every gap reads the same
            continue
        # a gap its own row's equations reject is rejected in every combination
        own = [e for e in eqs if set(e.keys) <= set(row)]
        ok = [g for g in range(len(row)) if _solve(dict(_reading(cells, row, drops[row], g)[0]), {row[g]}, own) is not None]
        if drops[row] not in ok:
            return False  # the row's own equations do not fix the lost cell
        places.append(ok)
    truth_ok = False
    for gaps in product(*places):
        values = dict(cells)
        unknown: set[str] = set()
        for row, gap in zip(rows, gaps, strict=True):
            shown, key = _reading(cells, row, drops[row], gap)
            values.update(shown)
            values.pop(key, None)
            unknown.add(key)
        solved = _solve(values, unknown, eqs)
        is_truth = all(g == drops[r] for r, g in zip(rows, gaps, strict=True))
        if solved is None:
            if is_truth:
                return False  # the identities do not fix the lost cell itself
            continue
        if any(solved[k] != cells[k] for row in rows for k in row):
            return False  # another reading fits the identities as well
        truth_ok = truth_ok or is_truth
    return truth_ok


def choose_drops(
    rng: random.Random,
    cells: dict[str, Value],
    fmt: str,
    t3_rows: Sequence[Row],
    t4_row: Row,
    *,
    rate: float = 0.35,
    max_open: int = 3,
) -> set[str]:
    """Pick cells to lose: at most one per row, only in rows without blanks, and only while
    the whole set stays recoverable. Rows of zeros lose a cell often (as in seeds 000 and
    003); other rows lose their 总计 or a cell, at most ``max_open`` of them per table."""
    eqs = identities(fmt)
    t3_eqs = [e for e in eqs if e.rule != "T4_GROUP_TOTAL"]
    t4_eqs = [e for e in eqs if e.rule == "T4_GROUP_TOTAL"]
    dropped: set[str] = set()
    for table_rows, table_eqs, limit in ((t3_rows, t3_eqs, max_open), ((t4_row,), t4_eqs, 1)):
        drops: dict[Row, int] = {}
        open_rows = 0
        for row in table_rows:
            vals = [cells[k] for k in row]
            if any(v is None for v in vals) or rng.random() >= rate:
                continue
            if all(v == 0 for v in vals):
                # a row of zeros reads the same wherever its gap is, and its own total fixes
                # the gap at 0: always recoverable, and it constrains no other row's reading
                dropped.add(row[rng.randrange(len(row))])
                continue
            if open_rows >= limit:
                continue
            gap = rng.randrange(len(row)) if rng.random() < 0.5 else len(row) - 1
            trial = {**drops, row: gap}
            if recoverable(cells, trial, table_eqs):
                drops = trial
                open_rows += 1
        dropped.update(row[g] for row, g in drops.items())
    return dropped
