"""A report as the official merged-cell HTML page (official-format.md §1.3–1.5, §2).

The tables copy the grids of ``render.grid`` cell for cell: 三、本年度办理结果 rowspan 22 (2021)
or 20 (2019), the 勾稽 note 3×3, 申请人情况 colspan 7, table 4's 行政复议 colspan 5 and
行政诉讼 colspan 10. The page is self-contained (inline CSS, no scripts) and prints on A4.
"""

from __future__ import annotations

from html import escape

from ..domain.labels import SECTIONS
from ..model import Report
from .grid import TEMPLATE_WIDTHS, Grid, GridCell, column_fractions, grids
from .spec import TABLE_SECTIONS, ReportSpec, as_spec, format_value

# CJK fonts in order of preference: the official documents' 宋体, then what Linux has.
FONT_STACK = (
    '"SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", serif'
)

_CSS = f"""
@page {{ size: A4; margin: 2cm 1.8cm; }}
body {{ font-family: {FONT_STACK}; font-size: 12pt; line-height: 1.75; color: #000; max-width: 48em; margin: 0 auto; }}
h1 {{ text-align: center; font-size: 18pt; font-weight: bold; margin: 0.6em 0 1em; }}
h2 {{ font-size: 13pt; font-weight: bold; margin: 1em 0 0.4em; }}
p {{ text-indent: 2em; margin: 0.2em 0; }}
p.signature, p.date {{ text-align: right; text-indent: 0; }}
table {{ border-collapse: collapse; table-layout: fixed; width: 100%; margin: 0.4em 0 0.8em; font-size: 9pt; line-height: 1.4; }}
td {{ border: 1px solid #000; padding: 2px 3px; text-align: center; vertical-align: middle; }}
td.label, td.note {{ text-align: left; }}
tr {{ page-break-inside: avoid; }}
table.t4 {{ page-break-inside: avoid; }}
"""
# Column widths: the official template's (``grid.TEMPLATE_WIDTHS``), kept by a fixed layout.
_COLGROUPS = {t: [f"{100 * f:.2f}%" for f in column_fractions(t)] for t in TEMPLATE_WIDTHS}


def _td(cell: GridCell, text: str) -> str:
    attrs = [f'class="{cell.role}"']
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    return f"<td {' '.join(attrs)}>{text}</td>"


def table_html(grid: Grid, spec: ReportSpec, blank_mark: str = "") -> str:
    rows: list[str] = []
    for row in grid.rows:
        tds: list[str] = []
        for cell in row.cells:
            if cell.role == "value":
                assert cell.key is not None
                v = spec.value(cell.key)
                text = escape(blank_mark) if v is None else format_value(v)
            else:
                text = "<br/>".join(escape(part) for part in cell.text.split("\n"))
            tds.append(_td(cell, text))
        rows.append("<tr>" + "".join(tds) + "</tr>")
    widths = _COLGROUPS.get(grid.table)
    cols = "<colgroup>" + "".join(f'<col style="width:{w}">' for w in widths) + "</colgroup>\n" if widths else ""
    return f'<table class="{grid.table}" border="1" cellspacing="0" cellpadding="0">\n{cols}' + "\n".join(rows) + "\n</table>"


def _paragraphs(texts: list[str]) -> list[str]:
    return [f"<p>{escape(t)}</p>" for t in texts]


def render_html(report: ReportSpec | Report, *, blank_mark: str = "") -> str:
    """The full page: title, preamble, the six sections with their tables, signature."""
    spec = as_spec(report)
    tables = {g.table: g for g in grids(spec.format)}
    title = escape(spec.full_title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    if spec.preamble:
        parts += _paragraphs([spec.preamble])
    for sec in SECTIONS:
        parts.append(f"<h2>{sec.number}、{escape(sec.title)}</h2>")
        parts += _paragraphs(spec.paragraphs(sec.key))
        if sec.key in TABLE_SECTIONS:
            parts.append(table_html(tables[TABLE_SECTIONS[sec.key]], spec, blank_mark))
    parts.append(f'<p class="signature">{escape(spec.signed_by)}</p>')
    if spec.publication_date:
        y, m, d = (int(x) for x in spec.publication_date.split("-"))
        parts.append(f'<p class="date">{y}年{m}月{d}日</p>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
