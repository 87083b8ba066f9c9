"""What the commands print: the terminal summary of a Report, its grouped findings, the debug
HTML page that colours each source block by the cell it became, and corpus statistics."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import unicodedata
from typing import Any

from ..domain.findings import FINDINGS
from ..domain.labels import (
    FORMAT_DOCUMENTS,
    T2_ROWS,
    T3_COLUMNS,
    T3_GROUP_PARENT,
    T3_GROUP_TITLES,
    T3_ROW_BY_KEY,
    T4_COLUMNS,
    T4_GROUPS,
    TABLES,
    cell_label,
    t3_rows,
)
from ..domain.stats import BODY_TYPES, DIMENSIONS, WITHHELD
from ..extract import Extraction
from ..model import Cell, Document, Origin, Report, json_number

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
    rows3: list[tuple[str, list[str]]] = []
    blank = [""] * len(T3_COLUMNS)
    opened: set[str] = set()
    for r in t3_rows(fmt, single):
        spec = T3_ROW_BY_KEY[r]
        chain = []  # the group rows above this row, outermost first
        g = spec.group
        while g is not None:
            chain.insert(0, g)
            g = T3_GROUP_PARENT.get(g)
        for depth, g in enumerate(chain):
            if g not in opened and not (g == "（六）" and r == "other"):
                opened.add(g)
                rows3.append(("  " * depth + T3_GROUP_TITLES[g], blank))
        label = spec.short
        if len(label) > 16:
            label = label[:15] + "…"
        rows3.append(("  " * len(chain) + label, [_fmt(c.get(f"t3.{r}.{col.key}")) for col in T3_COLUMNS]))
    parts.append(_TABLE_NAMES["t3"] + "\n" + _grid(["", *(col.label for col in T3_COLUMNS)], rows3))
    rows4 = [(glabel, [_fmt(c.get(f"t4.{g}.{col.key}")) for col in T4_COLUMNS]) for g, glabel in T4_GROUPS]
    parts.append(_TABLE_NAMES["t4"] + "\n" + _grid(["", *(col.label for col in T4_COLUMNS)], rows4))
    return "\n\n".join(parts) + "\n  （— 表示原文空白，? 表示未读到，* 表示由勾稽关系推出）"


def render_finding_lines(findings: list[Any]) -> list[str]:
    """One line per finding: severity, source, rule and the Chinese message."""
    return [f"  [{_SEVERITY[f.severity]}·{_SOURCE[f.source]}] {f.rule}：{f.message}" for f in findings]


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
        lines.extend(render_finding_lines(fs))
    if len(lines) == 1:  # only informational findings, not shown here
        n = len(report.findings)
        return f"{report.path}：未发现问题（另有 {n} 条提示，gongkai check 可列出）"
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


_PALETTE = {"t2": "#bfdbfe", "t3": "#bbf7d0", "t4": "#fde68a"}
_UNUSED = "#fecaca"
_NUMBER = re.compile(r"^[\s\d０-９,，.．%％-]*\d[\s\d０-９,，.．%％-]*$")


def _where(o: Origin) -> tuple[Any, ...]:
    """An origin's identity: a PDF cell by page and box, an HTML/DOCX cell by table, row,
    column, a text piece by line and offsets."""
    return (o.page, o.bbox, o.table, o.row, o.col, o.line, o.start, o.end)


def debug_html(doc: Document, ex: Extraction) -> str:
    """The source blocks with each table cell's own block (PDF box, HTML/DOCX table cell) or
    span (a piece of a text line) coloured by its table and titled with its key; numbers
    that became no cell in red; a legend and the list of cells."""
    report = ex.report
    cells = [(k, c) for k, c in (report.cells.items() if report else ()) if c.origin is not None]
    exact: dict[tuple[Any, ...], str] = {}
    by_line: dict[int | None, list[tuple[int, int, str]]] = {}
    for k, c in cells:
        o = c.origin
        assert o is not None
        exact.setdefault(_where(o), k)
        if o.start is not None:
            by_line.setdefault(o.line, []).append((o.start, o.end if o.end is not None else o.start + 1, k))
    shown: set[str] = set()

    def mark(text: str, key: str) -> str:
        shown.add(key)
        label = cell_label(key)
        return (
            f'<span class="c" style="background:{_PALETTE.get(key[:2], "#e5e7eb")}" data-key="{html.escape(key)}"'
            f' title="{html.escape(key)}：{html.escape(label)}">{html.escape(text)}</span>'
        )

    rows_html = []
    for row in doc.rows():
        tds = []
        for b in row:
            o = b.origin
            key = exact.get(_where(o))
            if key is not None:
                inner = mark(b.text, key)
            elif o.start is not None and o.line in by_line:
                end = o.end if o.end is not None else o.start + len(b.text)
                spans = sorted((a, z, k) for a, z, k in by_line[o.line] if o.start <= a < end)
                inner, at = "", 0
                for a, z, k in spans:
                    a, z = max(a - o.start, at), min(z - o.start, len(b.text))
                    if z <= a:
                        continue
                    inner += html.escape(b.text[at:a]) + mark(b.text[a:z], k)
                    at = z
                inner += html.escape(b.text[at:])
                if not spans and _NUMBER.match(b.text):
                    inner = f'<span class="un">{inner}</span>'
            elif _NUMBER.match(b.text):  # a number no cell came from (row labels like 1.属于国家秘密 are text)
                inner = f'<span class="un">{html.escape(b.text)}</span>'
            else:
                inner = html.escape(b.text)
            tds.append(f"<td>{inner}</td>")
        rows_html.append("<tr>" + "".join(tds) + "</tr>")
    legend = "".join(
        f'<li><span class="sw" style="background:{colour}"></span>{html.escape(_TABLE_NAMES[t])}的单元格</li>'
        for t, colour in _PALETTE.items()
    ) + f'<li><span class="sw" style="background:{_UNUSED}"></span>没有成为任何单元格的数字</li>'
    listing = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(cell_label(k))}</td><td>{html.escape(_fmt(c))}</td>"
        f"<td>{'已标出' if k in shown else '原文中未找到位置'}</td></tr>"
        for k, c in (report.cells.items() if report else ())
    )
    return "\n".join(
        [
            "<!doctype html><meta charset=utf-8><title>gongkai debug</title>",
            "<style>body{font-family:sans-serif}td{border:1px solid #ccc;padding:2px 4px;font-size:13px}"
            f".c{{outline:1px solid #555}}.un{{background:{_UNUSED}}}"
            ".sw{display:inline-block;width:1.2em;height:1em;margin-right:.4em;vertical-align:middle;outline:1px solid #555}"
            "ul.legend{list-style:none;padding:0}</style>",
            f"<h1>{html.escape(doc.path)}</h1>",
            '<h2>图例</h2><ul class="legend">' + legend + "</ul><p>鼠标停在着色处可看到单元格键名和名称。</p>",
            '<h2>原文</h2><table class="source">',
            *rows_html,
            "</table>",
            '<h2>单元格</h2><table class="cells"><tr><td>键</td><td>名称</td><td>数值</td><td>原文位置</td></tr>' + listing + "</table>",
        ]
    )


def terminal_width() -> int:
    """Columns of the terminal (``COLUMNS`` when set), 100 when not a terminal."""
    return shutil.get_terminal_size((100, 24)).columns


def render_stats(rows: list[dict[str, Any]], columns: dict[str, str], width: int | None = None) -> str:
    """The statistics as tables no wider than ``width`` (the terminal's): a table whose
    columns do not fit goes on in a second one that repeats the 取值 column; the reasons
    for withholding are listed one a line."""
    width = width or terminal_width()
    main_cols = [c for c in columns if c not in WITHHELD and c not in ("dimension", "value")]
    parts = []
    for dim in dict.fromkeys(r["dimension"] for r in rows):
        sub = [r for r in rows if r["dimension"] == dim]
        title = "总体" if dim == "all" else f"按{DIMENSIONS.get(dim, dim)}"
        shown = [_shown(r) for r in sub]
        label_w = max(_width(columns["value"]), *(_width(str(r["value"])) for r in shown))
        groups = _fit(["value"], main_cols, shown, columns, width, label_w)
        for i, cols in enumerate(groups):
            parts.append(_table(title if i == 0 else f"{title}（续）", shown, cols, columns, width))
    overall = next((r for r in rows if r["dimension"] == "all"), None)
    if overall is not None:
        reasons = [{"value": columns[w].split("·", 1)[-1], "count": overall.get(w)} for w in WITHHELD]
        reasons.append({"value": "合计", "count": overall.get("withheld")})
        parts.append(_table("不予公开理由（全部）", reasons, ["value", "count"], {"value": "理由", "count": "件数"}, width))
    return "\n\n".join(parts)


def _shown(r: dict[str, Any]) -> dict[str, Any]:
    """A stats row as shown: body types by their Chinese names."""
    return {**r, "value": BODY_TYPES.get(r["value"], r["value"])} if r.get("dimension") == "body_type" else r


def _fit(
    fixed: list[str], cols: list[str], rows: list[dict[str, Any]], labels: dict[str, str], width: int, label_w: int
) -> list[list[str]]:
    """``cols`` in groups whose table (with the ``fixed`` columns first) fits ``width``."""
    groups: list[list[str]] = []
    used = 1 + label_w + 3  # the left border and the fixed column
    current: list[str] = []
    for c in cols:
        w = max(_width(labels[c]), *(_width(_stat(c, r.get(c))) for r in rows)) + 3
        if current and used + w > width:
            groups.append(fixed + current)
            current, used = [], 1 + label_w + 3
        current.append(c)
        used += w
    if current:
        groups.append(fixed + current)
    return groups


def _table(title: str, rows: list[dict[str, Any]], cols: list[str], labels: dict[str, str], width: int) -> str:
    from rich.console import Console  # the store extra (optional)
    from rich.table import Table

    t = Table(title=title, title_justify="left")
    for c in cols:
        t.add_column(labels[c], justify="left" if c == "value" else "right")
    for r in rows:
        t.add_row(*(_stat(c, r.get(c)) if c != "value" else str(r.get(c)) for c in cols))
    console = Console(width=width, record=True, file=io.StringIO())  # render to text only
    console.print(t)
    return "\n".join(line.rstrip() for line in console.export_text().rstrip().splitlines())


def stats_csv(rows: list[dict[str, Any]], columns: dict[str, str]) -> str:
    """The statistics as CSV: one row per group, the Chinese headers; rates as fractions,
    a figure that cannot be computed (no denominator) empty."""
    out = io.StringIO()
    w = csv.writer(out)
    names = list(columns)
    w.writerow([columns[c] for c in names])
    for r in rows:
        shown = {**r, "dimension": DIMENSIONS.get(r["dimension"], "全部")}
        w.writerow(["" if shown.get(c) is None else shown.get(c) for c in names])
    return out.getvalue()


def _stat(col: str, v: Any) -> str:
    if v is None:
        return "—"
    if col.endswith("rate"):
        return f"{v * 100:.1f}%"
    return str(v)
