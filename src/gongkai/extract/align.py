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
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import combinations, product
from math import comb

from ..domain.rules import Identity, side_sum
from ..model import Value
from .tokens import Token

# What a reading costs: each assumption it makes.
COST_PADDING = 2  # an empty field taken as layout, not as a cell
COST_LOST = 2  # a column whose cell is not in the text
COST_ODD_BLANKS = 6  # blanks in a pattern reports do not use (a lone blank among numbers)
# A row whose text ran on past its last value (trailing empty fields) most likely lost its
# last cell, not one in the middle: a tie-break, cheaper than any real assumption.
COST_LOST_INSIDE = 1
MAX_READINGS = 600


@dataclass(slots=True)
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


@dataclass(slots=True)  # never changed once made; not frozen: frozen init is three times slower
class Reading:
    slots: tuple[Slot, ...]
    cost: int


BlankCheck = Callable[[frozenset[int]], bool]


def readings(fields: Sequence[Token], n: int, plausible: BlankCheck, trailing: bool = False) -> list[Reading]:
    """The cheapest readings of ``fields`` (value, blank and empty tokens) as ``n`` columns.

    Trailing empty fields must already be removed by the caller (they are padding in every
    layout seen); ``trailing`` says there were some. An empty list means the fields cannot
    be ``n`` columns (too many values). Most rows are read as written (``as_written``);
    the others are enumerated.
    """
    only = as_written(fields, n, plausible)
    return [only] if only is not None else enumerate_readings(fields, n, plausible, trailing)


def as_written(fields: Sequence[Token], n: int, plausible: BlankCheck) -> Reading | None:
    """The one reading of a row in the two shapes most rows have, which the enumeration
    would find alone (``tests/test_align.py``): exactly ``n`` values and blanks, every empty
    field padding; or one field per column whose blanks are a usual pattern (any other
    reading both drops a field and loses a column). None for any other row."""
    kept = [t for t in fields if t.kind != "empty"]
    if len(kept) == n:
        slots = tuple(map(slot_for, kept))
        blanks = frozenset([i for i, s in enumerate(slots) if s.kind == "b"])
        return Reading(slots, 0 if plausible(blanks) else COST_ODD_BLANKS)
    if len(fields) == n:
        slots = tuple(map(slot_for, fields))
        if plausible(frozenset([i for i, s in enumerate(slots) if s.kind == "b"])):
            return Reading(slots, 0)
    return None


def enumerate_readings(fields: Sequence[Token], n: int, plausible: BlankCheck, trailing: bool = False) -> list[Reading]:
    """Every reading of ``fields`` as ``n`` columns (which empty fields are padding, which
    columns lost their cell), priced; the cheapest kept. The general mechanism."""
    empties = [i for i, t in enumerate(fields) if t.kind == "empty"]
    if max(0, len(fields) - n) > len(empties):
        return []
    return _enumerate(fields, n, plausible, trailing, empties, [slot_for(t) for t in fields])


def _enumerate(
    fields: Sequence[Token], n: int, plausible: BlankCheck, trailing: bool, empties: list[int], kept_as: list[Slot]
) -> list[Reading]:
    """Which empty fields are padding, which columns lost their cell: every reading within
    the budget, priced, the cheapest kept."""
    L = len(fields)
    forced = max(0, L - n)
    cells = {i for i in empties if fields[i].cell}  # empty cells of a real table grid
    out: list[Reading] = []
    best = None
    budget = MAX_READINGS
    for d in range(forced, len(empties) + 1):
        m = n - (L - d)
        floor = (d - forced) * COST_PADDING + max(0, m) * COST_LOST
        if best is not None and floor > best:
            break  # readings only get dearer from here
        if m < 0 or comb(len(empties), d) * comb(n, m) > budget:
            continue
        for drop in combinations(empties, d):
            if cells and len(cells.intersection(drop)) > forced:
                continue  # a real table's empty cell is a blank, dropped only as surplus
            kept = [s for i, s in enumerate(kept_as) if i not in drop]
            for lost in combinations(range(n), m):
                budget -= 1
                slots = _slots(kept, lost, n) if lost else tuple(kept)
                blanks = frozenset([i for i, s in enumerate(slots) if s.kind == "b"])
                cost = floor + (0 if plausible(blanks) else COST_ODD_BLANKS)
                if trailing and lost and lost != tuple(range(n - m, n)):
                    cost += COST_LOST_INSIDE
                if best is None or cost < best:
                    best = cost
                out.append(Reading(slots, cost))
    # the tie-break only orders readings; the identities may still overrule it (settle)
    return [r for r in out if best is not None and r.cost <= best + COST_LOST_INSIDE]


_LOST_SLOT = Slot("m")


def slot_for(t: Token) -> Slot:
    """The slot a field kept as a cell fills: its value, a blank (a blank mark or an empty
    cell), or a lost cell in a known place (an OCR mark where a number was)."""
    if t.kind == "value":
        return Slot("v", t)
    if t.kind == "unread":
        return Slot("m", t)
    return Slot("b", t)


def _slots(kept: list[Slot], lost: tuple[int, ...], n: int) -> tuple[Slot, ...]:
    """The kept cells in column order with the ``lost`` columns between them."""
    it = iter(kept)
    return tuple(_LOST_SLOT if col in lost else next(it) for col in range(n))


@lru_cache(maxsize=16)
def row_blank_check(parts: int) -> BlankCheck:
    """Blank patterns a row of ``parts`` columns plus a total uses: none, all, only the total
    filled, only the total blank (D1)."""
    everything = frozenset(range(parts + 1))
    parts_only = frozenset(range(parts))
    total_only = frozenset({parts})
    ok = {frozenset(), everything, parts_only, total_only}
    return lambda blanks: blanks in ok


@lru_cache(maxsize=16)
def grouped_blank_check(groups: int, parts: int) -> BlankCheck:
    """The same per group, for table 4's three groups of four results and a total."""
    width = parts + 1
    one = row_blank_check(parts)

    @lru_cache(maxsize=4096)  # the same few patterns come back in every reading and report
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


def solve(known: Known, lost: Iterable[str], eqs: Sequence[Identity], conflicts: list[str] | None = None) -> dict[str, Value]:
    """Fill lost cells from equations with exactly one unknown and no blank term.

    Returns the derived values. A derived value must be a non-negative number; when the
    table's own numbers would make it negative, nothing is derived from that equation and
    the cell is listed in ``conflicts``: that reading of the layout contradicts the table.
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
                if conflicts is not None:
                    conflicts.append(k)
                continue
            derived[k] = int(v) if isinstance(v, int) or (isinstance(v, Decimal) and v == v.to_integral_value()) else v
            unknown.discard(k)
            changed = True
    return derived


def violations(values: Known, eqs: Sequence[Identity]) -> int:
    """How many fully known equations fail (blank terms make an equation unknowable)."""
    bad = 0
    for eq in eqs:
        lhs = side_sum(values, eq.lhs)
        if lhs is not None:
            rhs = side_sum(values, eq.rhs)
            if rhs is not None and lhs != rhs:
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

    if not choices:
        agreed: dict[str, Slot] = {}
        lost: list[str] = []
        given: dict[str, Value] = {}
        for k, s in fixed.items():
            if s.kind == "v" or s.kind == "b":
                agreed[k] = s
            elif s.kind == "m":
                lost.append(k)
            else:  # "d": lost and already derived
                given[k] = s.derived
        derived = {**solve(_split(fixed)[0], lost, eqs), **given} if lost else given
        return agreed, derived, set()
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

    results: list[tuple[int, dict[str, Slot], dict[str, Value]]] = []
    if choices:
        # first the cheapest reading of every row (the tie-breaks' choice), then all of them:
        # the identities overrule a tie-break, never the other way round
        cheapest = [RowChoice(c.keys, [r for r in c.options if r.cost == min(o.cost for o in c.options)]) for c in choices]
        results = (
            _search(fixed, cheapest, eqs, max_combos)
            or _cheapest(_search(fixed, choices, eqs, max_combos))
            or _search(fixed, choices, eqs, max_combos, strict=False)
        )
    if not results:
        # every row settled on its own (a search over no rows finds the fixed rows alone),
        # or no combination satisfies the identities (the report's own numbers may not add
        # up): keep what the fixed rows say, leave the undecided rows out
        known, lost = _split(fixed)
        derived = solve(known, lost, eqs)
        agreed0, derived0, _ = _agree([(0, dict(fixed), derived)], fixed)
        return agreed0, derived0, {k for c in choices for k in c.keys}
    all_keys = dict.fromkeys(fixed)
    for c in choices:
        all_keys.update(dict.fromkeys(c.keys))
    return _agree(results, all_keys)


def _search(
    fixed: dict[str, Slot], choices: list[RowChoice], eqs: Sequence[Identity], max_nodes: int, strict: bool = True
) -> list[tuple[int, dict[str, Slot], dict[str, Value]]]:
    """Depth-first over the rows' readings, pruning as soon as a fully read equation fails.

    Returns every complete combination whose derived values satisfy all equations (at most
    a few dozen are kept: agreement needs no more). Empty when none does or the node budget
    runs out. ``strict=False`` is for reports whose own numbers do not add up: no pruning,
    and the combinations with the fewest failing equations win.
    """
    if not strict:
        return _least_violations(fixed, choices, eqs, max_nodes)
    walk = _Walk(sorted(choices, key=lambda c: len(c.options)), eqs, max_nodes, dict(fixed))
    complete = walk.step(0)
    return walk.found if complete or len(walk.found) >= 32 else []


@dataclass(slots=True)
class _Walk:
    """The state of ``_search``'s depth-first walk (an object, not a closure over itself:
    a self-referencing closure is a reference cycle, and parsing runs with the cyclic
    collector paused, see ``gc_pause``).

    The known values and lost keys are kept up to date as rows are assigned and taken back,
    and each node checks only the equations its last row touches: the others were checked
    higher up with the same values."""

    order: list[RowChoice]
    eqs: Sequence[Identity]
    budget: int
    slots: dict[str, Slot]
    cost: int = 0
    found: list[tuple[int, dict[str, Slot], dict[str, Value]]] = field(default_factory=list)
    known: Known = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    checks: list[tuple[Identity, ...]] = field(default_factory=list)  # per depth

    def __post_init__(self) -> None:
        self.known, self.lost = _split(self.slots)
        row_keys = [frozenset(c.keys) for c in self.order]
        in_rows = frozenset().union(*row_keys)
        self.checks = [tuple(e for e in self.eqs if in_rows.isdisjoint(e.keys))]
        self.checks += [tuple(e for e in self.eqs if not keys.isdisjoint(e.keys)) for keys in row_keys]

    def step(self, i: int) -> bool:
        self.budget -= 1
        if self.budget <= 0:
            return False
        if violations(self.known, self.checks[i]):
            return True
        if i == len(self.order):
            conflicts: list[str] = []
            derived = solve(self.known, self.lost, self.eqs, conflicts)
            if not conflicts and not violations({**self.known, **derived}, self.eqs):
                self.found.append((self.cost, dict(self.slots), derived))
            return len(self.found) < 32
        c = self.order[i]
        known, lost = self.known, self.lost
        for r in c.options:
            self.slots.update(zip(c.keys, r.slots, strict=True))
            lost_here = 0
            for k, s in zip(c.keys, r.slots, strict=True):
                if s.kind == "m":
                    known.pop(k, None)
                    lost.append(k)
                    lost_here += 1
                else:
                    known[k] = s.value
            self.cost += r.cost
            go_on = self.step(i + 1)
            self.cost -= r.cost
            if lost_here:
                del lost[-lost_here:]
            if not go_on:
                return False
        for k in c.keys:
            self.slots.pop(k, None)
            known.pop(k, None)
        return True


def _cheapest(
    results: list[tuple[int, dict[str, Slot], dict[str, Value]]],
) -> list[tuple[int, dict[str, Slot], dict[str, Value]]]:
    """Among combinations the identities accept, those that assume the least."""
    if not results:
        return results
    low = min(r[0] for r in results)
    return [r for r in results if r[0] == low]


def _least_violations(
    fixed: dict[str, Slot], choices: list[RowChoice], eqs: Sequence[Identity], max_nodes: int
) -> list[tuple[int, dict[str, Slot], dict[str, Value]]]:
    n = 1
    for c in choices:
        n *= len(c.options)
    if n > max_nodes:
        return []
    results = []
    for pick in product(*(c.options for c in choices)):
        slots = dict(fixed)
        for c, r in zip(choices, pick, strict=True):
            slots.update(zip(c.keys, r.slots, strict=True))
        known, lost = _split(slots)
        conflicts: list[str] = []
        derived = solve(known, lost, eqs, conflicts)
        results.append((violations({**known, **derived}, eqs) + len(conflicts), slots, derived))
    best = min(r[0] for r in results)
    return [r for r in results if r[0] == best]


def _agree(good: list[tuple[int, dict[str, Slot], dict[str, Value]]], all_keys: Iterable[str]):  # type: ignore[no-untyped-def]
    agreed: dict[str, Slot] = {}
    ambiguous: set[str] = set()
    derived_out: dict[str, Value] = {}
    if len(good) == 1:  # one combination (the common case): what it says, cell by cell
        _, slots, derived = good[0]
        for k in all_keys:
            s = slots.get(k)
            if s is None:
                continue
            if s.kind == "v" or s.kind == "b":
                agreed[k] = s
            else:
                value = s.derived if s.kind == "d" else derived.get(k)
                if value is not None:
                    derived_out[k] = value
        return agreed, derived_out, ambiguous
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
    local = _local_equations(choice.keys, eqs)
    if local and all(_zeros_and_one_lost(r) for r in choice.options):
        # a row of zeros with one cell lost: every reading gives zeros throughout
        return tuple(Slot("d", None, 0) for _ in choice.keys)
    outcome: tuple[object, ...] | None = None
    first: tuple[Slot, ...] | None = None
    for r in choice.options:
        known = {k: s.value for k, s in zip(choice.keys, r.slots, strict=True) if s.kind != "m"}
        lost = [k for k, s in zip(choice.keys, r.slots, strict=True) if s.kind == "m"]
        conflicts: list[str] = []
        derived = solve(known, lost, local, conflicts) if lost else {}
        if conflicts or violations({**known, **derived}, local):
            continue
        slots = tuple(
            s if s.kind != "m" else (Slot("d", None, derived[k]) if k in derived else s)
            for k, s in zip(choice.keys, r.slots, strict=True)
        )
        seen = tuple(_slot_value(s, None) for s in slots)
        if outcome is None:
            outcome, first = seen, slots
        elif seen != outcome:
            return None
    if first is None:
        return None
    if any(s.kind == "m" for s in first):
        return None  # a lost cell the row cannot fix: the table may
    # keep the read token where every reading read the same cell, else mark derived
    return tuple(
        s if all(r.slots[i].kind == s.kind for r in choice.options) or s.kind == "d" else _as_derived(s)
        for i, s in enumerate(first)
    )


def _split(slots: dict[str, Slot]) -> tuple[Known, list[str]]:
    known: Known = {}
    lost: list[str] = []
    for k, s in slots.items():
        if s.kind == "m":
            lost.append(k)
        else:
            known[k] = s.value
    return known, lost


def _zeros_and_one_lost(r: Reading) -> bool:
    lost = 0
    for s in r.slots:
        if s.kind == "m":
            lost += 1
        elif s.kind != "v" or s.value != 0:
            return False
    return lost == 1


def _as_derived(s: Slot) -> Slot:
    return Slot("d", None, s.value) if s.kind == "v" else s


_LOCAL: dict[tuple[tuple[str, ...], int], tuple[Identity, ...]] = {}


def _local_equations(keys: tuple[str, ...], eqs: Sequence[Identity]) -> tuple[Identity, ...]:
    # keyed by the equation list's identity: the lists come from cached factories, and
    # hashing hundreds of frozen Identity objects per call would cost more than the filter
    ck = (keys, id(eqs))
    hit = _LOCAL.get(ck)
    if hit is None:
        ks = set(keys)
        hit = _LOCAL[ck] = tuple(e for e in eqs if set(e.keys) <= ks)
        if len(_LOCAL) > 4096:
            _LOCAL.clear()
    return hit


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
