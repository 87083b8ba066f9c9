"""Counts and rates by year, region and body type, over the latest version of each report.

One streaming pass over the latest reports with the few cells the statistics need (SQL
looks them up in each report's ``report_figures`` row, all in one lookup; Python adds up per
group), so memory grows with the number of groups, never with the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..domain.stats import DIMENSIONS, KEYS, LITIGATION, REVIEW, WITHHELD
from .corrections import corrected_values, in_force
from .schema import cell_values_at, report_figures, reports


def _group_value(dim: str, row: Any) -> Any:
    if dim == "year":
        return row.year
    if dim == "region":
        return row.province or "未识别"
    if dim == "body_type":
        return row.body_type or "未识别"
    raise ValueError(f"未知的统计维度：{dim}（可选 year、region、body_type）")


class _Acc:
    __slots__ = ("missing", "n", "sums", "with_errors")

    def __init__(self) -> None:
        self.n = 0
        self.sums: dict[str, Decimal | int] = defaultdict(int)
        self.missing = 0
        self.with_errors = 0

    def add(self, row: Any) -> None:
        """One report: ``row.counts`` is what it adds to each sum (``_counts``)."""
        self.n += 1
        self.with_errors += bool(row.n_errors)
        sums = self.sums
        for name, v in row.counts.items():
            sums[name] += v

    def row(self, dim: str, value: Any) -> dict[str, Any]:
        s = self.sums
        out: dict[str, Any] = {"dimension": dim, "value": value, "reports": self.n}
        for name in ("received", "total_handled", "disclosed"):
            out[name] = _num(s.get(name, 0))
        out["disclosed_rate"] = _rate(s.get("rate_num", 0), s.get("rate_den", 0))
        out["withheld"] = _num(sum(s.get(w, 0) for w in WITHHELD))
        for w in WITHHELD:
            out[w] = _num(s.get(w, 0))
        for kind in ("review", "litigation"):
            out[f"{kind}_decided"] = _num(s.get(f"{kind}_decided", 0))
            out[f"{kind}_corrected"] = _num(s.get(f"{kind}_corrected", 0))
            out[f"{kind}_correction_rate"] = _rate(s.get(f"{kind}_corrected", 0), s.get(f"{kind}_decided", 0))
        out["missing"] = self.missing
        out["with_errors"] = self.with_errors
        return out


def _num(v: Any) -> int | float:
    return int(v) if v == int(v) else float(v)


def _rate(num: Any, den: Any) -> float | None:
    return round(float(num) / float(den), 4) if den else None


def _pivot() -> sa.Select[Any]:
    """One row per latest report with the cells the statistics need, looked up in its
    ``report_figures`` JSON by the database."""
    r, rf = reports.c, report_figures.c
    return (
        sa.select(r.id, r.year, r.province, r.body_type, r.n_errors, cell_values_at(rf.figures, list(KEYS.values())).label("cells"))
        .select_from(reports.outerjoin(report_figures, rf.report_id == r.id))
        .where(r.is_latest.is_(True))
    )


def _counts(v: dict[str, Any]) -> dict[str, Any]:
    """What one report adds to each sum of a group: its cells that have a value (blank is
    not zero), the disclosure rate's parts when both are there, and each review or
    litigation group whose three results all have values."""
    out = {name: v[name] for name in ("received", "total_handled", "disclosed", *WITHHELD) if v[name] is not None}
    if v["disclosed"] is not None and v["total_handled"] is not None:
        out["rate_num"], out["rate_den"] = v["disclosed"], v["total_handled"]
    for kind, groups in (("review", REVIEW), ("litigation", LITIGATION)):
        for g in groups:
            parts = [v[f"{g}.{c}"] for c in ("upheld", "corrected", "other")]
            if all(p is not None for p in parts):  # blank is not zero: skip the group
                out[f"{kind}_decided"] = out.get(f"{kind}_decided", 0) + sum(parts)
                out[f"{kind}_corrected"] = out.get(f"{kind}_corrected", 0) + parts[1]
    return out


def _with_values(row: Any, fixed: dict[str, Any] | None) -> SimpleNamespace:
    """A pivot row with ``counts`` (``_counts`` of its cells, people's corrections applied)."""
    cells = in_force(list(KEYS.values()), row.cells, fixed)
    values = {name: cells[key] for name, key in KEYS.items()}
    return SimpleNamespace(year=row.year, province=row.province, body_type=row.body_type, n_errors=row.n_errors, counts=_counts(values))


def missing_reports(engine: Engine) -> list[tuple[str, int, str | None, str | None]]:
    """(body, year, province, body_type) for each year a body skipped between its first and last report."""
    r = reports.c
    q = (
        sa.select(r.normalized_body, r.year, r.province, r.body_type)
        .where(r.is_latest.is_(True), r.normalized_body.is_not(None), r.year.is_not(None))
        .distinct()
        .order_by(r.normalized_body, r.year)
    )
    out = []
    with engine.connect() as conn:
        for body, group in groupby(conn.execution_options(stream_results=True, yield_per=5000).execute(q), key=lambda x: x[0]):
            rows = list(group)
            years = {x.year for x in rows}
            for y in range(min(years) + 1, max(years)):
                if y not in years:
                    out.append((body, y, rows[-1].province, rows[-1].body_type))
    return out


def stats(engine: Engine, by: Sequence[str] = ("year", "region", "body_type")) -> list[dict[str, Any]]:
    by = [d.strip() for d in by if d.strip()]
    for d in by:
        if d not in DIMENSIONS:
            raise ValueError(f"未知的统计维度：{d}（可选 year、region、body_type）")
    total = _Acc()
    groups: dict[str, dict[Any, _Acc]] = {d: defaultdict(_Acc) for d in by}
    with engine.connect() as conn:
        fixes = corrected_values(conn)  # people's corrections count, as in exports
        for got in conn.execution_options(stream_results=True, yield_per=5000).execute(_pivot()):
            row = _with_values(got, fixes.get(got.id))
            total.add(row)
            for d in by:
                groups[d][_group_value(d, row)].add(row)
    for _body, year, province, body_type in missing_reports(engine):
        total.missing += 1
        where = SimpleNamespace(year=year, province=province, body_type=body_type)
        for d in by:
            groups[d][_group_value(d, where)].missing += 1
    out = [total.row("all", "全部")]
    for d in by:
        for value in sorted(groups[d], key=lambda v: (v is None, str(v))):
            out.append(groups[d][value].row(d, value))
    return out
