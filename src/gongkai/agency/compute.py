"""Tables 2–4 of report year Y from the records, exactly as ledger.md says.

``compute`` returns every cell it can compute and, per cell, the records it counts (the
report page links each cell to them). A cell the records cannot give (a 年度数量 item not
entered, table 2 of the 2019 format) is absent, never 0; ``missing`` says which and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.labels import T3_COLUMNS, T3_PARTS, T4_GROUPS, t2_keys, t3_rows
from ..domain.ledger import COUNT_ITEM_LABEL
from .records import Application, Count, Document, Remedy

Date = dt.date
Number = int | Decimal


def report_format(year: int) -> str:
    return "2021" if year >= 2021 else "2019"


@dataclass(slots=True)
class Computed:
    year: int
    format: str
    cells: dict[str, Number] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)  # cell key -> record keys it counts
    missing: dict[str, str] = field(default_factory=dict)  # cell key -> why it is absent (Chinese)

    def add(self, key: str, who: Iterable[str]) -> None:
        who = list(who)
        self.cells[key] = len(who)
        self.members[key] = who


def _in(d: Date | None, year: int) -> bool:
    return d is not None and d.year == year


def compute(
    year: int,
    applications: Iterable[Application] = (),
    remedies: Iterable[Remedy] = (),
    documents: Iterable[Document] = (),
    counts: Iterable[Count] = (),
    fmt: str | None = None,
) -> Computed:
    fmt = fmt or report_format(year)
    out = Computed(year, fmt)
    start, end = Date(year, 1, 1), Date(year, 12, 31)
    apps = list(applications)

    # ---- table 3: one pass sorts each case into its rows, by applicant column
    rows = t3_rows(fmt)
    buckets: dict[str, dict[str, list[str]]] = {r: {c: [] for c in T3_PARTS} for r in rows}
    for a in apps:
        col = a.applicant_type
        if a.received > end:
            continue
        if a.received >= start:
            buckets["received"][col].append(a.number)
        elif a.answered is None or a.answered >= start:
            buckets["carried_over"][col].append(a.number)
        if a.answered is None or a.answered > end:
            buckets["carried_forward"][col].append(a.number)
        if _in(a.answered, year) and a.outcome is not None:
            row = "other" if fmt == "2019" and a.outcome.startswith("other") else a.outcome
            if row in buckets:
                buckets[row][col].append(a.number)
                buckets["total_handled"][col].append(a.number)
    for r in rows:
        for c in T3_PARTS:
            out.add(f"t3.{r}.{c}", buckets[r][c])
        out.add(f"t3.{r}.total", [n for c in T3_PARTS for n in buckets[r][c]])

    # ---- table 4
    for g, _ in T4_GROUPS:
        got: dict[str, list[str]] = {"upheld": [], "corrected": [], "other": [], "pending": []}
        for m in remedies:
            if m.kind != g or m.received > end:
                continue
            if _in(m.concluded, year) and m.result is not None:
                got[m.result].append(m.number)
            elif m.concluded is None or m.concluded > end:
                got["pending"].append(m.number)
        for c, who in got.items():
            out.add(f"t4.{g}.{c}", who)
        out.add(f"t4.{g}.total", [n for who in got.values() for n in who])

    # ---- table 2
    if fmt == "2021":
        docs = list(documents)
        for kind in ("regulations", "normative_docs"):
            mine = [d for d in docs if d.kind == kind]
            out.add(f"t2.{kind}.issued", [d.number for d in mine if _in(d.issued, year)])
            out.add(f"t2.{kind}.repealed", [d.number for d in mine if _in(d.repealed, year)])
            out.add(
                f"t2.{kind}.in_force",
                [d.number for d in mine if d.issued <= end and (d.repealed is None or d.repealed > end)],
            )
        have = {c.item: c for c in counts if c.year == year}
        for key, label in COUNT_ITEM_LABEL.items():
            if key in have:
                out.cells[key] = have[key].value
                out.members[key] = [f"{year}/{key}"]
            else:
                out.missing[key] = f"年度数量台账中没有 {year} 年的「{label}」"
    else:
        for key in t2_keys("2019"):
            out.missing[key] = "2019 年格式的表二（新制作数量、对外公开总数量、项目数量等）无法由台账计算，请在报告中手工填写"
    return out


def column_of(key: str) -> str:
    """The label of a table-3 column key (for the links of the report page)."""
    return next(c.label for c in T3_COLUMNS if c.key == key)
