"""Aligning the fields found after a row label with the row's official columns.

A row of a text extraction rarely has exactly one field per column: a PDF drops a cell,
an HTML-to-text conversion drops empty cells, a tab export adds layout padding. Given the
fields and the column count we enumerate the readings (which empty fields are padding,
which columns lost their cell), price each by how much it has to assume, and keep the
cheapest. Lost cells are then filled from the table's identities where those fix them
(``solve``), and readings that disagree are settled by the identities or left absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations, product
from math import comb

from ..domain.rules import Identity
from ..model import Value
from .tokens import Token

# What a reading costs: each assumption it makes.
COST_PADDING = 1  # an empty field taken as layout, not as a cell
COST_LOST = 1  # a column whose cell is not in the text
COST_ODD_BLANKS = 3  # blanks in a pattern reports do not use (a lone blank among numbers)
MAX_READINGS = 600


@dataclass(frozen=True, slots=True)
class Slot:
    """One column of one reading: a value, a blank cell, or a lost cell."""

    kind: str  # "v" value read | "b" blank | "m" lost | "d" lost and derived
    token: Token | None = None
    derived: Value = None

    @property
    def value(self) -> Value:
        if self.kind == "d":
            return self.derived
        return self.token.value if (self.kind == "v" and self.token is not None) else None


@dataclass(frozen=True, slots=True)
class Reading:
    slots: tuple[Slot, ...]
    cost: int


BlankCheck = Callable[[frozenset[int]], bool]


def readings(fields: Sequence[Token], n: int, plausible: BlankCheck) -> list[Reading]:
    """The cheapest readings of ``fields`` (value, blank and empty tokens) as ``n`` columns.

    Trailing empty fields must already be removed by the caller (they are padding in every
    layout seen). An empty list means the fields cannot be ``n`` columns (too many values).
    """
    L = len(fields)
    empties = [i for i, t in enumerate(fields) if t.kind == "empty"]
    forced = max(0, L - n)
    if forced > len(empties):
        return []
    out: list[Reading] = []
    budget = MAX_READINGS
    for d in range(forced, min(len(empties), forced + 2) + 1):
        drop_sets = list(combinations(empties, d)) if comb(len(empties), d) <= budget else []
        for drop in drop_sets:
            kept = [t for i, t in enumerate(fields) if i not in drop]
            m = n - len(kept)
            if m < 0:
                continue
            if comb(n, m) > budget:
                continue
            for lost in combinations(range(n), m):
                budget -= 1
                if budget <= 0:
                    break
                slots: list[Slot] = []
                it = iter(kept)
                for col in range(n):
                    if col in lost:
                        slots.append(Slot("m"))
                    else:
                        t = next(it)
                        slots.append(Slot("v", t) if t.kind == "value" else Slot("b", t))
                blanks = frozenset(i for i, s in enumerate(slots) if s.kind == "b")
                cost = (d - forced) * COST_PADDING + m * COST_LOST
                if not plausible(blanks):
                    cost += COST_ODD_BLANKS
                out.append(Reading(tuple(slots), cost))
    if not out:
        return []
    low = min(r.cost for r in out)
    return [r for r in out if r.cost == low]


def row_blank_check(parts: int) -> BlankCheck:
    """Blank patterns a row of ``parts`` columns plus a total uses: none, all, only the total
    filled, only the total blank (D1)."""
    everything = frozenset(range(parts + 1))
    parts_only = frozenset(range(parts))
    total_only = frozenset({parts})
    ok = {frozenset(), everything, parts_only, total_only}
    return lambda blanks: blanks in ok


def grouped_blank_check(groups: int, parts: int) -> BlankCheck:
    """The same per group, for table 4's three groups of four results and a total."""
    width = parts + 1
    one = row_blank_check(parts)

    def check(blanks: frozenset[int]) -> bool:
        for g in range(groups):
            local = frozenset(i - g * width for i in blanks if g * width <= i < (g + 1) * width)
            if not one(local):
                return False
        return True

    return check


def any_blanks(blanks: frozenset[int]) -> bool:
    return True


# ------------------------------------------------------------------ solving a table
Known = dict[str, Value]  # key -> value (None: a blank cell); absent keys are lost cells


def solve(known: Known, lost: Iterable[str], eqs: Sequence[Identity]) -> dict[str, Value]:
    """Fill lost cells from equations with exactly one unknown and no blank term.

    Returns the derived values. A derived value must be a non-negative number; when the
    table's own numbers would make it negative, nothing is derived from that equation.
    """
    unknown = set(lost)
    derived: dict[str, Value] = {}
    changed = True
    while changed and unknown:
        changed = False
        for eq in eqs:
            missing = [k for k in eq.keys if k in unknown]
            if len(missing) != 1:
                continue
            k = missing[0]
            terms = [known.get(x, derived.get(x)) for x in eq.keys if x != k]
            if any(t is None for t in terms) or any(x not in known and x not in derived for x in eq.keys if x != k):
                continue
            lhs = sum((known.get(x, derived.get(x)) or 0) for x in eq.lhs if x != k)
            rhs = sum((known.get(x, derived.get(x)) or 0) for x in eq.rhs if x != k)
            v = (rhs - lhs) if k in eq.lhs else (lhs - rhs)
            if v < 0:
                continue
            derived[k] = int(v) if isinstance(v, int) or (isinstance(v, Decimal) and v == v.to_integral_value()) else v
            unknown.discard(k)
            changed = True
    return derived


def violations(values: Known, eqs: Sequence[Identity]) -> int:
    """How many fully known equations fail (blank terms make an equation unknowable)."""
    bad = 0
    for eq in eqs:
        terms = [values.get(k, "absent") for k in eq.keys]
        if any(t is None or t == "absent" for t in terms):
            continue
        if sum(values[k] for k in eq.lhs) != sum(values[k] for k in eq.rhs):  # type: ignore[misc]
            bad += 1
    return bad


@dataclass(slots=True)
class RowChoice:
    """The readings still possible for one table row, as cell assignments."""

    keys: tuple[str, ...]
    options: list[Reading]


def settle(
    fixed: dict[str, Slot],
    choices: list[RowChoice],
    eqs: Sequence[Identity],
    max_combos: int,
) -> tuple[dict[str, Slot], dict[str, Value], set[str]]:
    """Pick, for every ambiguous row, the readings consistent with the identities.

    Returns (slots agreed on by every consistent combination, values derived for lost
    cells, keys left ambiguous).
    """

    # rows that settle on their own leave the combinations
    rest: list[RowChoice] = []
    fixed = dict(fixed)
    for c in choices:
        row = settle_row(c, eqs) if len(choices) > 1 or fixed else None
        if row is not None:
            fixed.update(zip(c.keys, row, strict=True))
        else:
            rest.append(c)
    choices = rest

    def values_of(slots: dict[str, Slot]) -> tuple[Known, list[str]]:
        known: Known = {}
        lost: list[str] = []
        for k, s in slots.items():
            if s.kind == "m":
                lost.append(k)
            else:
                known[k] = s.value
        return known, lost

    combos_n = 1
    for c in choices:
        combos_n *= max(1, len(c.options))
    results: list[tuple[int, dict[str, Slot], dict[str, Value]]] = []
    if choices and combos_n <= max_combos:
        for pick in product(*(c.options for c in choices)):
            slots = dict(fixed)
            for c, r in zip(choices, pick, strict=True):
                slots.update(zip(c.keys, r.slots, strict=True))
            known, lost = values_of(slots)
            derived = solve(known, lost, eqs)
            bad = violations({**known, **derived}, eqs)
            results.append((bad, slots, derived))
    else:
        # too many combinations: settle what the fixed rows allow, leave the rest ambiguous
        known, lost = values_of(fixed)
        derived = solve(known, lost, eqs)
        results.append((0, dict(fixed), derived))
        undecided = {k for c in choices for k in c.keys}
        agreed0, derived0, _ = _agree(results, fixed)
        return agreed0, derived0, undecided
    best = min(r[0] for r in results)
    good = [r for r in results if r[0] == best]
    all_keys = dict.fromkeys(fixed)
    for c in choices:
        all_keys.update(dict.fromkeys(c.keys))
    return _agree(good, all_keys)


def _agree(good: list[tuple[int, dict[str, Slot], dict[str, Value]]], all_keys: Iterable[str]):  # type: ignore[no-untyped-def]
    agreed: dict[str, Slot] = {}
    ambiguous: set[str] = set()
    derived_out: dict[str, Value] = {}
    for k in all_keys:
        seen = {_slot_value(r[1].get(k), r[2].get(k)) for r in good}
        if len(seen) != 1:
            ambiguous.add(k)
            continue
        slots_k = [r[1].get(k) for r in good]
        if all(s is not None and s.kind in ("v", "b") for s in slots_k):
            agreed[k] = slots_k[0]  # type: ignore[assignment]
            continue
        marker, value = next(iter(seen))
        if marker == "val" and value is not None:
            derived_out[k] = value  # type: ignore[assignment]
        # else: lost and not derivable: stays absent
    return agreed, derived_out, ambiguous


def settle_row(choice: RowChoice, eqs: Sequence[Identity]) -> tuple[Slot, ...] | None:
    """Resolve one row alone with the equations that involve only its cells: the readings
    may differ in where the lost cell is and still agree on every value (a row of zeros)."""
    keys = set(choice.keys)
    local = [e for e in eqs if set(e.keys) <= keys]
    agreed, derived, ambiguous = settle({}, [choice], local, MAX_READINGS)
    if ambiguous:
        return None
    out = []
    for k in choice.keys:
        if k in agreed:
            out.append(agreed[k])
        elif k in derived:
            out.append(Slot("d", None, derived[k]))
        else:
            out.append(Slot("m"))
    return tuple(out)


def _slot_value(slot: Slot | None, derived: Value) -> tuple[str, object]:
    """What a reading says of a cell: a value (read or derived alike), blank, or unknown."""
    if slot is None:
        return ("none", None)
    if slot.kind == "d":
        return ("val", slot.derived)
    if slot.kind == "m":
        return ("val", derived) if derived is not None else ("lost", None)
    if slot.kind == "b":
        return ("blank", None)
    return ("val", slot.value)
