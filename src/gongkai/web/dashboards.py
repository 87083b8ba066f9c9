"""Dashboards: charts drawn on the server as SVG (no chart library, no CDN), each with its
numbers as a table and a CSV.

The figures are ``gongkai.store.stats`` (the same as ``gongkai stats``) plus the outcome
mix of table 3, over the latest version of each report. They are computed once per state
of the corpus (reports, ingest time, corrections) and kept until it changes.
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.engine import Engine

from ..domain.stats import BODY_TYPES, OUTCOME_KEYS, OUTCOMES
from ..store.corrections import corrected_values, in_force
from ..store.schema import cell_values_at, corrections, report_figures, reports
from ..store.stats import stats


@dataclass(slots=True)
class Chart:
    id: str
    title: str
    header: list[str]
    rows: list[list[Any]]  # first column the category, then one value per series
    percent: bool = False
    note: str | None = None

    @property
    def csv(self) -> str:
        return f"/dashboards/{self.id}.csv"

    @property
    def svg(self) -> Markup:
        return bars_svg(self)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(self.header)
        for r in self.rows:
            w.writerow(["" if v is None else v for v in r])
        return "\ufeff" + buf.getvalue()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "header": self.header,
            "rows": self.rows,
            "percent": self.percent,
            "note": self.note,
        }


COLORS = ("bar", "bar2")


def bars_svg(c: Chart, width: int = 640) -> Markup:
    """Horizontal bars, one group per row, one bar per series; values written at the bar's end."""
    series = len(c.header) - 1
    bar_h, gap = 14, 8
    label_w, value_w = 150, 70
    group_h = series * bar_h + gap
    height = max(40, len(c.rows) * group_h + 30)
    values = [v for r in c.rows for v in r[1:] if isinstance(v, int | float)]
    top = max(values, default=0) or 1
    span = width - label_w - value_w
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(c.title)}">']
    for i, r in enumerate(c.rows):
        y = 10 + i * group_h
        out.append(
            f'<text x="{label_w - 6}" y="{y + series * bar_h / 2 + 4:.1f}" text-anchor="end">{escape(str(r[0]))[:40]}</text>'
        )
        for j, v in enumerate(r[1:]):
            yy = y + j * bar_h
            if not isinstance(v, int | float):
                out.append(f'<text x="{label_w + 4}" y="{yy + bar_h - 3}" class="muted">—</text>')
                continue
            w = span * v / top
            shown = f"{v * 100:.1f}%" if c.percent else f"{v:,}"
            out.append(
                f'<rect class="{COLORS[j % 2]}" x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_h - 2}"><title>{escape(c.header[j + 1])}：{shown}</title></rect>'
            )
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{yy + bar_h - 3}">{shown}</text>')
    out.append(f'<line class="axis" x1="{label_w}" y1="4" x2="{label_w}" y2="{height - 20}"/>')
    if series > 1:
        for j, name in enumerate(c.header[1:]):
            x = label_w + j * 140
            out.append(
                f'<rect class="{COLORS[j % 2]}" x="{x}" y="{height - 14}" width="10" height="10"/><text x="{x + 14}" y="{height - 5}">{escape(name)}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))


_CACHE: dict[str, tuple[Any, list[Chart]]] = {}
_LOCK = threading.Lock()


def _state(engine: Engine) -> Any:
    r = reports.c
    with engine.connect() as conn:
        n, last = conn.execute(sa.select(sa.func.count(), sa.func.max(r.ingested_at)).where(r.is_latest.is_(True))).one()
        fixes = conn.execute(sa.select(sa.func.max(corrections.c.id))).scalar()
    return (str(engine.url), n, str(last), fixes)


def outcome_mix(engine: Engine) -> list[list[Any]]:
    """Table 3's outcome rows (their total column) added up over the latest reports, people's
    corrections applied; a blank cell is not 0 (an outcome with no value anywhere is None)."""
    r, rf = reports.c, report_figures.c
    keys = list(OUTCOME_KEYS)
    q = (
        sa.select(r.id, cell_values_at(rf.figures, keys).label("cells"))
        .select_from(reports.join(report_figures, rf.report_id == r.id))
        .where(r.is_latest.is_(True))
    )
    sums: dict[str, Any] = {}
    with engine.connect() as conn:
        fixes = corrected_values(conn)
        for got in conn.execution_options(stream_results=True, yield_per=5000).execute(q):
            for key, v in in_force(keys, got.cells, fixes.get(got.id)).items():
                if v is not None:
                    sums[key] = sums.get(key, 0) + v
    out = []
    for _name, label, rows in OUTCOMES:
        known = [sums[f"t3.{row}.total"] for row in rows if f"t3.{row}.total" in sums]
        out.append([label, int(sum(known)) if known else None])
    return out


def charts(engine: Engine) -> list[Chart]:
    key = _state(engine)
    with _LOCK:
        hit = _CACHE.get(str(engine.url))
        if hit and hit[0] == key:
            return hit[1]
    rows = stats(engine, ("year", "region", "body_type"))
    by = {d: [r for r in rows if r["dimension"] == d] for d in ("year", "region", "body_type")}
    years = sorted((r for r in by["year"] if r["value"] is not None), key=lambda r: r["value"])
    regions = sorted(by["region"], key=lambda r: -r["received"])
    out = [
        Chart(
            "applications-by-year",
            "各年度新收申请数",
            ["年度", "新收申请", "办理总数"],
            [[str(r["value"]), r["received"], r["total_handled"]] for r in years],
        ),
        Chart(
            "applications-by-region",
            "各地区新收申请数（按省，从多到少）",
            ["地区", "新收申请"],
            [[r["value"], r["received"]] for r in regions],
        ),
        Chart(
            "outcome-mix",
            "办理结果构成（表三各类结果的总计列之和）",
            ["办理结果", "件数"],
            outcome_mix(engine),
            note="空白单元格不计为 0",
        ),
        Chart(
            "disclosed-rate-by-year",
            "各年度予以公开率",
            ["年度", "予以公开率"],
            [[str(r["value"]), r["disclosed_rate"]] for r in years],
            percent=True,
            note="予以公开 ÷ 办理总数，只计两者都有数值的报告",
        ),
        Chart(
            "disclosed-rate-by-region",
            "各地区予以公开率（从高到低）",
            ["地区", "予以公开率"],
            [[r["value"], r["disclosed_rate"]] for r in sorted(by["region"], key=lambda r: -(r["disclosed_rate"] or -1))],
            percent=True,
        ),
        Chart(
            "correction-rates-by-year",
            "各年度行政复议、行政诉讼纠错率",
            ["年度", "复议纠错率", "诉讼纠错率"],
            [[str(r["value"]), r["review_correction_rate"], r["litigation_correction_rate"]] for r in years],
            percent=True,
            note="结果纠正 ÷（维持＋纠正＋其他结果），只计三者都有数值的报告",
        ),
        Chart(
            "errors-by-region",
            "各地区有错误的报告（比例，从高到低）",
            ["地区", "有错误的报告占比"],
            [[r["value"], round(r["with_errors"] / r["reports"], 4) if r["reports"] else None] for r in by["region"]],
            percent=True,
            note="错误：报告自身数字不符合表内关系等（严重程度为“错误”的问题）",
        ),
        Chart(
            "reports-by-body-type",
            "各类机关的报告数",
            ["机关类型", "报告数", "有错误"],
            [[BODY_TYPES.get(r["value"], r["value"]), r["reports"], r["with_errors"]] for r in by["body_type"]],
        ),
    ]
    out[6].rows.sort(key=lambda r: -(r[1] or 0))
    with _LOCK:
        _CACHE[str(engine.url)] = (key, out)
    return out


def chart(engine: Engine, cid: str) -> Chart | None:
    return next((c for c in charts(engine) if c.id == cid), None)
