"""Ruled tables: the strokes drawn on a page -> table grids with merged cells. Collinear
strokes are merged into rules, touching rules grouped (one group per drawn table), and each
group's boundaries give the grid's rows, columns and merged cells."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .layout_geom import Box, Rule

# Geometry tolerances, in points (a PDF point; OCR pixels are scaled to points first).
SNAP = 2.0  # rules closer than this are one rule
BOUNDARY = 3.5  # grid boundaries closer than this are one boundary (double rules)
MIN_RULE = 5.0  # shorter strokes are ticks, bullets or glyph parts, not table rules
MAX_RULES = 4000  # ruling segments on one page; more is a drawing, not a table


# ====================================================================== grids from rules
def _merge_rules(rules: Iterable[Rule]) -> list[Rule]:
    """Collinear strokes -> one rule each: snap positions, join overlapping spans."""
    out: list[Rule] = []
    group: list[Rule] = []
    for r in sorted(rules, key=lambda r: r.pos):
        if group and r.pos - group[0].pos > SNAP:
            out.extend(_join_spans(group))
            group = []
        group.append(r)
    if group:
        out.extend(_join_spans(group))
    return out


def _join_spans(group: list[Rule]) -> list[Rule]:
    pos = sum(r.pos for r in group) / len(group)
    spans: list[Rule] = []
    for r in sorted(group, key=lambda r: r.a):
        if spans and r.a <= spans[-1].b + SNAP:
            spans[-1].b = max(spans[-1].b, r.b)
        else:
            spans.append(Rule(r.horizontal, pos, r.a, r.b))
    return spans


class Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(hs: list[Rule], vs: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of rules that touch each other: one group per drawn table."""
    uf = Union(len(hs) + len(vs))
    hs_sorted = sorted(range(len(hs)), key=lambda i: hs[i].pos)
    h_pos = [hs[i].pos for i in hs_sorted]
    for j, v in enumerate(vs):
        lo = bisect_right(h_pos, v.a - SNAP - 0.01)
        hi = bisect_right(h_pos, v.b + SNAP)
        for k in range(lo, hi):
            i = hs_sorted[k]
            h = hs[i]
            if h.a - SNAP <= v.pos <= h.b + SNAP:
                uf.union(i, len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(uf.find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 1]


def cluster(values: Iterable[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _shared_ends(rules: list[Rule]) -> list[float]:
    """Span ends that at least two rules share: the border of a table drawn without one."""
    ends = [r.a for r in rules] + [r.b for r in rules]
    return [c for c in cluster(ends, BOUNDARY) if sum(1 for e in ends if abs(e - c) <= BOUNDARY) >= 2]


@dataclass(slots=True)
class Grid:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    group: list[list[int]]  # group[r][c]: the merged cell that base cell (r, c) belongs to
    spans: list[tuple[int, int, int, int]]  # per merged cell: r0, r1, c0, c1 (half-open)

    @property
    def bbox(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def locate(self, x: float, y: float) -> int | None:
        if not (self.xs[0] - 1 <= x <= self.xs[-1] + 1 and self.ys[0] - 1 <= y <= self.ys[-1] + 1):
            return None
        c = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        r = min(max(bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self.group[r][c]


def find_grids(rules: Sequence[Rule]) -> list[Grid]:
    hs = _merge_rules(r for r in rules if r.horizontal and r.b - r.a >= MIN_RULE)
    vs = _merge_rules(r for r in rules if not r.horizontal and r.b - r.a >= MIN_RULE)
    if len(hs) + len(vs) > MAX_RULES:
        return []  # a drawing or a map: reading it as a table would cost more than it gives
    out = []
    for h_group, v_group in _components(hs, vs):
        g = _grid(h_group, v_group)
        if g is not None:
            out.append(g)
    return sorted(out, key=lambda g: (g.ys[0], g.xs[0]))


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    xs = cluster([v.pos for v in vs] + _shared_ends(hs), BOUNDARY)
    ys = cluster([h.pos for h in hs] + _shared_ends(vs), BOUNDARY)
    if len(xs) < 2 or len(ys) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    v_at = _rules_at(vs, xs)
    h_at = _rules_at(hs, ys)
    uf = Union(nr * nc)
    for r in range(nr):
        for c in range(1, nc):
            if not _covered(v_at.get(c, []), ys[r], ys[r + 1]):
                uf.union(r * nc + c - 1, r * nc + c)
    for r in range(1, nr):
        for c in range(nc):
            if not _covered(h_at.get(r, []), xs[c], xs[c + 1]):
                uf.union((r - 1) * nc + c, r * nc + c)
    ids: dict[int, int] = {}
    group = [[0] * nc for _ in range(nr)]
    spans: list[list[int]] = []
    for r in range(nr):
        for c in range(nc):
            root = uf.find(r * nc + c)
            if root not in ids:
                ids[root] = len(spans)
                spans.append([r, r + 1, c, c + 1])
            k = ids[root]
            group[r][c] = k
            s = spans[k]
            s[0], s[1], s[2], s[3] = min(s[0], r), max(s[1], r + 1), min(s[2], c), max(s[3], c + 1)
    grid = Grid(xs, ys, group, [(s[0], s[1], s[2], s[3]) for s in spans])
    return grid if _is_table(grid) else None


def _rules_at(rules: list[Rule], bounds: list[float]) -> dict[int, list[Rule]]:
    out: dict[int, list[Rule]] = {}
    for r in rules:
        k = min(range(len(bounds)), key=lambda i: abs(bounds[i] - r.pos))
        if abs(bounds[k] - r.pos) <= BOUNDARY:
            out.setdefault(k, []).append(r)
    return out


def _covered(rules: list[Rule], a: float, b: float) -> bool:
    """Is the span a..b drawn (most of it) by these collinear rules?"""
    need = 0.6 * (b - a)
    got = sum(max(0.0, min(r.b, b) - max(r.a, a)) for r in rules)
    return got >= need


def _is_table(grid: Grid) -> bool:
    """A frame around text (one column, or every row one cell) is not a table."""
    nc = len(grid.xs) - 1
    if nc < 2:
        return False
    return any(len(set(row)) >= 2 for row in grid.group)
