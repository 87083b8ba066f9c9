"""What the commands print: the terminal summary of a Report, its grouped findings, the debug
HTML page that colours each source block by the cell it became, and corpus statistics."""

from __future__ import annotations

import html
import io
import unicodedata
from typing import Any

from ..domain.findings import FINDINGS
from ..domain.labels import FORMAT_DOCUMENTS, T2_ROWS, T3_COLUMNS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, TABLES, t3_rows
from ..domain.stats import BODY_TYPES, DIMENSIONS, WITHHELD
from ..extract import Extraction
from ..model import Cell, Document, Report, json_number

_TABLE_NAMES: dict[str | None, str] = {t.key: t.heading for t in TABLES} | {None: "总体"}
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_SOURCE = {"report": "报告本身", "extraction": "识别", "corpus": "跨报告"}
_FORMAT = {fmt: f"{fmt}年格式（{doc}）" for fmt, doc in sorted(FORMAT_DOCUMENTS.items(), reverse=True)} | {"pre2019": "2019年以前（无统一统计表）"}


def render_finding_codes() -> str:
    """Every finding code of the catalogue: code, severity and source, Chinese name."""
    w = max(len(k.rule) for k in FINDINGS)
    return "\n".join(f"  {k.rule:<{w}}  {_SEVERITY[k.severity]}·{_SOURCE[k.source]}  {k.title}" for k in FINDINGS)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int, right: bool = False) -> str:
    gap = " " * max(0, w - _width(s))
    return gap + s if right else s + gap


def _fmt(cell: Cell | None) -> str:
    if cell is None:
        return "?"
    if cell.value is None:
        return "—"
    v = str(json_number(cell.value))
    return v + "*" if cell.status in ("derived", "repaired") else v


def _grid(header: list[str], rows: list[tuple[str, list[str]]]) -> str:
    label_w = max([_width(r[0]) for r in rows] + [_width(header[0])])
    col_w = [max(_width(header[i + 1]), *(_width(r[1][i]) for r in rows)) for i in range(len(header) - 1)]
    lines = ["  " + _pad(header[0], label_w) + "  " + "  ".join(_pad(h, w, True) for h, w in zip(header[1:], col_w, strict=True))]
    for label, vals in rows:
        lines.append("  " + _pad(label, label_w) + "  " + "  ".join(_pad(v, w, True) for v, w in zip(vals, col_w, strict=True)))
    return "\n".join(lines)


def render_tables(report: Report) -> str:
    c = report.cells
    parts: list[str] = []
    fmt = report.format
    if fmt not in ("2019", "2021"):
        return ""
    rows2 = []
    for r in T2_ROWS[fmt]:
        vals = [f"{col.label}={_fmt(c.get(f't2.{r.key}.{col.key}'))}" for col in r.columns]
        rows2.append((r.label, ["  ".join(vals)]))
    parts.append(_TABLE_NAMES["t2"] + "\n" + _grid(["项目", "数值"], rows2))
    single = any(k.startswith("t3.other.") and k.count(".") == 2 for k in c)
    rows3 = []
    for r in t3_rows(fmt, single):
        label = T3_ROW_BY_KEY[r].short
        if len(label) > 16:
            label = label[:15] + "…"
        rows3.append((label, [_fmt(c.get(f"t3.{r}.{col.key}")) for col in T3_COLUMNS]))
    parts.append(_TABLE_NAMES["t3"] + "\n" + _grid(["", *(col.label for col in T3_COLUMNS)], rows3))
    rows4 = [(glabel, [_fmt(c.get(f"t4.{g}.{col.key}")) for col in T4_COLUMNS]) for g, glabel in T4_GROUPS]
    parts.append(_TABLE_NAMES["t4"] + "\n" + _grid(["", *(col.label for col in T4_COLUMNS)], rows4))
    return "\n\n".join(parts) + "\n  （— 表示原文空白，? 表示未读到，* 表示由勾稽关系推出）"


def render_findings(report: Report, verbose: bool = False) -> str:
    if not report.findings:
        return f"{report.path}：未发现问题"
    lines = [f"{report.path}："]
    by_table: dict[str | None, list] = {}  # type: ignore[type-arg]
    for f in report.findings:
        if not verbose and f.severity == "info":
            continue
        by_table.setdefault(f.table, []).append(f)
    for table in (None, "t2", "t3", "t4"):
        fs = by_table.get(table)
        if not fs:
            continue
        lines.append(f" {_TABLE_NAMES[table]}")
        for f in fs:
            lines.append(f"  [{_SEVERITY[f.severity]}·{_SOURCE[f.source]}] {f.rule}：{f.message}")
    return "\n".join(lines)


def render_report(report: Report) -> str:
    head = [
        f"== {report.path}",
        f"  发布机关：{report.issuing_body or '（未识别）'}",
        f"  报告年度：{report.report_year or '（未识别）'}",
        f"  格式：{_FORMAT.get(report.format or '', '（未识别）')}",
    ]
    if report.publication_date:
        head.append(f"  发布日期：{report.publication_date}")
    if report.script != "simplified":
        head.append("  原文字体：繁体")
    found = [k for k in ("overview", "proactive", "applications", "remedies", "problems", "other") if k in report.sections]
    head.append(f"  章节：已识别 {len(found)}/6")
    body = render_tables(report)
    return "\n".join(head) + ("\n\n" + body if body else "") + "\n\n" + render_findings(report)


def debug_html(doc: Document, ex: Extraction) -> str:
    """The source blocks, each coloured by the table cell it fed; unassigned numbers in red."""
    report = ex.report
    by_origin: dict[tuple[int | None, int | None, int | None], str] = {}
    if report is not None:
        for k, cell in report.cells.items():
            if cell.origin is not None:
                o = cell.origin
                by_origin.setdefault((o.start, o.line, o.page), k)
    palette = {"t2": "#dbeafe", "t3": "#dcfce7", "t4": "#fef3c7"}
    out = [
        "<!doctype html><meta charset=utf-8><title>gongkai debug</title>",
        "<style>body{font-family:sans-serif}td{border:1px solid #ccc;padding:2px 4px;font-size:13px}"
        ".un{background:#fecaca}</style>",
        f"<h1>{html.escape(doc.path)}</h1><table>",
    ]
    for row in doc.rows():
        cells = []
        for b in row:
            o = b.origin
            key = by_origin.get((o.start, o.line, o.page))
            style = ""
            title = ""
            if key:
                style = f' style="background:{palette[key[:2]]}"'
                title = f' title="{html.escape(key)}"'
            elif b.text and any(ch.isdigit() for ch in b.text) and len(b.text) < 12:
                style = ' class="un"'
            cells.append(f"<td{style}{title}>{html.escape(b.text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_stats(rows: list[dict[str, Any]], columns: dict[str, str]) -> str:
    main_cols = [c for c in columns if c not in WITHHELD and c != "dimension"]
    parts = []
    for dim in dict.fromkeys(r["dimension"] for r in rows):
        sub = [r for r in rows if r["dimension"] == dim]
        title = "总体" if dim == "all" else f"按{DIMENSIONS.get(dim, dim)}"
        parts.append(_table(title, sub, main_cols, columns))
    reasons = [r for r in rows if r["dimension"] == "all"]
    parts.append(_table("不予公开理由（全部）", reasons, ["withheld", *WITHHELD], columns))
    return "\n\n".join(parts)


def _table(title: str, rows: list[dict[str, Any]], cols: list[str], labels: dict[str, str]) -> str:
    from rich.console import Console  # the store extra (optional)
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for c in cols:
        t.add_column(labels[c], justify="left" if c == "value" else "right")
    for r in rows:
        shown = {**r, "value": BODY_TYPES.get(r["value"], r["value"])} if r.get("dimension") == "body_type" else r
        t.add_row(*(_stat(c, shown.get(c)) for c in cols))
    console = Console(width=400, record=True, file=io.StringIO())  # render to text only
    console.print(t)
    return "\n".join(line.rstrip() for line in console.export_text().rstrip().splitlines())


def _stat(col: str, v: Any) -> str:
    if v is None:
        return "—"
    if col.endswith("rate"):
        return f"{v * 100:.1f}%"
    return str(v)
