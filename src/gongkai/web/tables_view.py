"""The tables side of the report page: tables 2, 3 and 4 in the official layout, each cell
with its value, status and review state; findings grouped by table."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as html_escape
from typing import Any

from markupsafe import Markup

from ..domain.labels import (
    SECTION_BY_KEY,
    T2_CONTENT,
    T2_ROWS,
    T3_APPLICANTS,
    T3_COLUMNS,
    T3_ROW_BY_KEY,
    T4_COLUMNS,
    T4_GROUPS,
    TABLES,
    all_keys,
    cell_label,
    t3_rows,
)
from ..model import Report
from ..store.corrections import Correction, ReviewedFinding

TABLE_TITLES = {t.key: f"{SECTION_BY_KEY[t.section].number}、{t.title}" for t in TABLES}


@dataclass(slots=True)
class CellView:
    key: str
    label: str
    value: Any  # in force
    status: str  # read | blank | derived | repaired | absent
    raw: str | None = None
    parsed: Any = None  # what the parser read (when corrected)
    corrected: Correction | None = None
    in_finding: bool = False
    note: str | None = None


@dataclass(slots=True)
class TableView:
    key: str  # t2 | t3 | t4
    title: str
    head: list[list[tuple[str, int, int]]]  # header rows of (label, colspan, rowspan)
    rows: list[tuple[str, list[CellView | None]]]  # (row label, cells)
    findings: list[ReviewedFinding] = field(default_factory=list)


def _single_other(report: Report) -> bool:
    return report.format == "2021" and any(k.startswith("t3.other.") and k.count(".") == 2 for k in report.cells)


_LABELS: dict[str, str] = {}


def _label(key: str) -> str:
    """cell_label, kept per key (the keys are the forms' few hundred, plus what a report named)."""
    got = _LABELS.get(key)
    if got is None:
        got = cell_label(key)
        if len(_LABELS) < 4096:
            _LABELS[key] = got
    return got


def cell_views(parsed: Report, fixes: dict[str, Correction], finding_cells: set[str]) -> dict[str, CellView]:
    fmt = parsed.format if parsed.format in ("2019", "2021") else "2021"
    keys = list(dict.fromkeys([*all_keys(fmt, _single_other(parsed)), *parsed.cells, *fixes]))
    out = {}
    for key in keys:
        c = parsed.cells.get(key)
        fix = fixes.get(key)
        v = CellView(key, _label(key), None if c is None else c.value, "absent" if c is None else c.status)
        if c is not None:
            v.raw, v.note = c.raw, c.note
        if fix is not None:
            v.parsed, v.value, v.corrected = v.value, fix.value, fix
        v.in_finding = key in finding_cells
        out[key] = v
    return out


def tables(
    parsed: Report, fixes: dict[str, Correction], found: list[ReviewedFinding]
) -> tuple[list[TableView], dict[str, CellView]]:
    active = {k for f in found if not f.dismissed for k in f.finding.cells}
    views = cell_views(parsed, fixes, active)
    fmt = parsed.format if parsed.format in ("2019", "2021") else "2021"
    out: list[TableView] = []
    # table 2: one row per item, its own columns
    t2 = TableView("t2", TABLE_TITLES["t2"], [[(T2_CONTENT, 1, 1), ("数据", 1, 1)]], [])
    for r in T2_ROWS[fmt]:
        cells = [views.get(f"t2.{r.key}.{c.key}") for c in r.columns]
        label = r.label + "：" + "／".join(c.label for c in r.columns)
        t2.rows.append((label, cells))
    width = max(len(cells) for _, cells in t2.rows)
    t2.head = [[(T2_CONTENT, 1, 1), ("本年数据", width, 1)]]
    out.append(t2)
    # table 3: rows by the form, seven applicant columns
    t3 = TableView(
        "t3",
        TABLE_TITLES["t3"],
        [
            [("", 1, 2), (T3_APPLICANTS, len(T3_COLUMNS), 1)],
            [(c.label, 1, 1) for c in T3_COLUMNS],
        ],
        [],
    )
    for rk in t3_rows(fmt, _single_other(parsed)):
        spec = T3_ROW_BY_KEY.get(rk)
        t3.rows.append((spec.label if spec else rk, [views.get(f"t3.{rk}.{c.key}") for c in T3_COLUMNS]))
    out.append(t3)
    # table 4: review, then litigation directly and after review, five columns each
    t4 = TableView(
        "t4",
        TABLE_TITLES["t4"],
        [[(label, len(T4_COLUMNS), 1) for _, label in T4_GROUPS], [(c.label, 1, 1) for _ in T4_GROUPS for c in T4_COLUMNS]],
        [("", [views.get(f"t4.{g}.{c.key}") for g, _ in T4_GROUPS for c in T4_COLUMNS])],
    )
    out.append(t4)
    by_table = {t.key: t for t in out}
    for f in found:
        t = f.finding.table or next((k.split(".")[0] for k in f.finding.cells if k[:2] in by_table), None)
        if t in by_table:
            by_table[t].findings.append(f)
    return out, views


def other_findings(found: list[ReviewedFinding], tabled: list[TableView]) -> list[ReviewedFinding]:
    seen = {id(f) for t in tabled for f in t.findings}
    return [f for f in found if id(f) not in seen]


# ---------------------------------------------------------------- HTML of a table cell
_STATUS = {"read": "读取", "blank": "空", "derived": "推算", "repaired": "修复", "absent": "未读到"}


def _num(v: Any) -> str:
    if v is None:
        return "空"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


_TD_HEAD: dict[tuple[str, str], tuple[str, str]] = {}  # (key, label) -> both escaped


def cell_td(c: CellView | None) -> str:
    """One ``<td>`` of the official tables, HTML (the page's hottest loop, so joined here, the
    text escaped by the standard library's html.escape: str to str, a third of
    markupsafe.escape's cost)."""
    if c is None:
        return "<td></td>"
    cls = f"n cell st-{c.status}"
    title = f"{c.label} · {_STATUS.get(c.status, c.status)}"
    if c.raw:
        title += f" · 原文 {c.raw}"
    if c.corrected is not None:
        cls += " corrected" + (" conflict" if c.corrected.conflict else "")
        title += f" · 解析读作 {_num(c.parsed)}，{c.corrected.user_name} 更正：{c.corrected.reason}"
    if c.note:
        title += f" · {c.note}"
    if c.in_finding:
        cls += " in-finding"
    shown = "未读到" if c.status == "absent" and c.corrected is None else _num(c.value)
    head = _TD_HEAD.get((c.key, c.label))
    if head is None:
        head = (html_escape(c.key), html_escape(c.label))
        if len(_TD_HEAD) < 4096:
            _TD_HEAD[(c.key, c.label)] = head
    k, label = head
    return (
        f'<td class="{html_escape(cls)}" data-key="{k}" data-label="{label}" title="{html_escape(title)}">'
        f'<a href="?cell={k}#correct">{html_escape(shown)}</a></td>'
    )


def row_tds(cells: list[CellView | None]) -> Markup:
    """The ``<td>``s of one table row."""
    return Markup("".join(map(cell_td, cells)))


_DATALIST: dict[tuple[str, ...], Markup] = {}


def keys_datalist(views: dict[str, CellView]) -> Markup:
    keys = tuple(views)
    got = _DATALIST.get(keys)
    if got is None:
        got = Markup("".join(f'<option value="{html_escape(k)}">{html_escape(v.label)}</option>' for k, v in views.items()))
        if len(_DATALIST) < 64:
            _DATALIST[keys] = got
    return got
