"""A report as the plain text real extractions make of it (the layout families of the seeds).

``render_text(spec, layout)`` prints the title, the preamble, the six numbered sections with
their narrative, the three tables and the signature, in one of ``LAYOUTS``:

* ``tsv``: PDF text, tab-separated rows with the merged label columns as extra fields
  (seeds 000, 002, 003);
* ``tsv_lost``: the same where the extraction dropped one cell in some rows; only cells
  the identities restore are dropped (``render.lost``);
* ``cell_per_line``: HTML text, each cell on its own line after a tab (seed 001);
* ``one_per_line``: flattened HTML, each non-empty cell on its own line (seed 004);
* ``traditional_pinyin``: a traditional-script mirror with pinyin, page chrome and a spam
  line (seed 004);
* ``spaced``: damaged PDF text: spaced-out and wrapped labels, vertical headers.

``blank_mark`` says how a blank cell is written: "" (empty), "/", "—", "-" or "无".
``seed`` drives the extraction noise (padding, wraps, lost cells), so a seed fixes the text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Literal

from ..domain.labels import SECTIONS
from ..model import Report
from .grid import Grid, grids
from .lost import choose_drops
from .spec import TABLE_SECTIONS, TITLE_SUFFIX, ReportSpec, as_spec, format_value
from .text_tables import CellText, cell_per_line_table, one_per_line_table, spaced_table, tsv_table
from .traditional import PAGE_FOOTER, chrome_lines, mirror, spam_line

Layout = Literal["tsv", "tsv_lost", "cell_per_line", "one_per_line", "traditional_pinyin", "spaced"]
LAYOUTS: tuple[Layout, ...] = ("tsv", "tsv_lost", "cell_per_line", "one_per_line", "traditional_pinyin", "spaced")
BLANK_MARKS: tuple[str, ...] = ("", "/", "—", "-", "无")
_PDF_FAMILY = ("tsv", "tsv_lost", "spaced")
_FLAT_FAMILY = ("one_per_line", "traditional_pinyin")


@dataclass(frozen=True, slots=True)
class TextRendering:
    text: str
    dropped: frozenset[str]  # tsv_lost: the keys whose cell the text does not show


def render_text(spec: ReportSpec | Report, layout: Layout = "tsv", *, blank_mark: str = "", seed: int = 0) -> str:
    return render_text_detail(spec, layout, blank_mark=blank_mark, seed=seed).text


def render_text_detail(
    spec: ReportSpec | Report, layout: Layout = "tsv", *, blank_mark: str = "", seed: int = 0
) -> TextRendering:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if blank_mark not in BLANK_MARKS:
        raise ValueError(f"blank mark must be one of {BLANK_MARKS}, not {blank_mark!r}")
    s = as_spec(spec)
    rng = random.Random(f"{seed}:{layout}")
    t2, t3, t4 = grids(s.format)
    cell_text = _cell_writer(s, blank_mark, rng)
    dropped: set[str] = set()
    if layout == "tsv_lost":
        t3_rows = tuple(tuple(c.key for c in r.cells if c.key) for r in t3.rows if r.row_key)
        t4_row = tuple(c.key for c in t4.rows[-1].cells if c.key)
        dropped = choose_drops(rng, s.cells, s.format, t3_rows, t4_row)  # type: ignore[arg-type]
    tables = {g.table: _table_lines(g, layout, cell_text, rng, dropped) for g in (t2, t3, t4)}
    if layout in _PDF_FAMILY:
        text = _pdf_document(s, tables, rng)
    elif layout == "cell_per_line":
        text = _html_text_document(s, tables)
    else:
        text = _flat_document(s, tables, rng, mirror_copy=layout == "traditional_pinyin")
    return TextRendering(text, frozenset(dropped))


def blank_marks_for(spec: ReportSpec | Report, layout: Layout) -> tuple[str, ...]:
    """The blank marks with which every blank cell of ``spec`` stays readable in ``layout``.

    A visible mark always does. An empty cell does in the tab layouts unless it ends its
    row (trailing empty fields are padding in every real extraction), and in the flattened
    layouts only as table 3's "only 总计 filled" rows, where a lone value can only be 总计.
    """
    s = as_spec(spec)
    rows = [tuple(c.key for c in r.cells if c.key) for g in grids(s.format) for r in g.rows if r.row_key]
    blank_rows = [r for r in rows if any(s.cells.get(k) is None for k in r)]
    if not blank_rows:
        return BLANK_MARKS
    if layout in _FLAT_FAMILY:
        ok = all(_total_only(s, r) for r in blank_rows)
    else:
        ok = all(s.cells.get(r[-1]) is not None for r in blank_rows)
    return BLANK_MARKS if ok else BLANK_MARKS[1:]


def _total_only(s: ReportSpec, row: tuple[str, ...]) -> bool:
    """A table-3 row with only its 总计 filled (D18, seed 002)."""
    cells = s.cells
    return row[0].startswith("t3.") and cells.get(row[-1]) is not None and all(cells.get(k) is None for k in row[:-1])


# ------------------------------------------------------------------ cells
def _cell_writer(s: ReportSpec, blank_mark: str, rng: random.Random) -> CellText:
    thousands = rng.random() < 0.15  # 12,345: some agencies group digits
    plus = rng.random() < 0.5  # +3 in 本年增/减 (seed 001)

    def cell_text(key: str) -> str:
        v = s.cells.get(key)
        if v is None:
            return blank_mark
        return format_value(v, thousands=thousands and abs(v) >= 1000, plus=plus and key.endswith(".change"))

    return cell_text


def _table_lines(grid: Grid, layout: Layout, cell_text: CellText, rng: random.Random, dropped: set[str]) -> list[str]:
    halfwidth = rng.random() < 0.3
    if layout in ("tsv", "tsv_lost"):
        return tsv_table(grid, cell_text, rng, drop=dropped, halfwidth=halfwidth)
    if layout == "spaced":
        return spaced_table(grid, cell_text, rng, halfwidth=halfwidth)
    if layout == "cell_per_line":
        return cell_per_line_table(grid, cell_text, rng)
    if layout == "traditional_pinyin" and grid.table == "t4":
        # seed 004: the narrow headers after 结果纠正 print one character per line
        narrow = {c.flat for c in grid.rows[2].cells} | {c.flat for c in grid.rows[1].cells[2:5]}
        lose = rng.random() < 0.5
        return one_per_line_table(
            grid,
            cell_text,
            rng,
            vertical=lambda c: c.role == "header" and c.flat in narrow,
            keep_char=(lambda ch: rng.random() < 0.4) if lose else None,
        )
    return one_per_line_table(grid, cell_text, rng)


# ------------------------------------------------------------------ documents
def _headings() -> dict[str, str]:
    return {s.key: f"{s.number}、{s.title}" for s in SECTIONS}


def _chinese_date(iso: str | None) -> str | None:
    if not iso:
        return None
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _pdf_spaces(text: str) -> str:
    """2020 年 … 87 条: PDF text puts a space between CJK and digits (seeds 000, 002, 003)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)", " ", text)
    return re.sub(r"(?<=\d)(?=[\u4e00-\u9fff])", " ", text)


def _title_lines(s: ReportSpec, rng: random.Random, pdf: bool) -> list[str]:
    if s.title:
        return [s.title]
    x = rng.random()
    year = f" {s.report_year} " if pdf else str(s.report_year)
    if x < 0.5:
        return [f"{s.issuing_body}{year.strip()}年{TITLE_SUFFIX}"]
    if x < 0.8:
        return [s.issuing_body, f"{year.lstrip()}年{TITLE_SUFFIX}"]  # seed 000: the body on its own line
    return [f"{s.issuing_body}{year}年政府信息公开 工作年度报告"]  # seed 002: the PDF broke the title


def _page_break(paragraph: str, rng: random.Random) -> list[str]:
    """A paragraph cut by a page break mid-sentence (seed 002: 公开企 / 业获批)."""
    if len(paragraph) < 60 or rng.random() > 0.15:
        return [paragraph]
    cut = rng.randint(30, len(paragraph) - 10)
    return [paragraph[:cut], paragraph[cut:]]


def _pdf_document(s: ReportSpec, tables: dict[str, list[str]], rng: random.Random) -> str:
    spaced_digits = rng.random() < 0.7
    prose = _pdf_spaces if spaced_digits else (lambda t: t)
    out: list[str] = ["", ""]
    out += [x for line in _title_lines(s, rng, spaced_digits) for x in (line, "")]
    if s.preamble:
        out += [prose(s.preamble), ""]
    heads = _headings()
    for sec in SECTIONS:
        out += [heads[sec.key], ""]
        for p in s.paragraphs(sec.key):
            out += [x for part in _page_break(prose(p), rng) for x in (part, "")]
        if sec.key in TABLE_SECTIONS:
            out += tables[TABLE_SECTIONS[sec.key]]
            out.append("")
    out += _signature(s, blank_lines=True)
    return "\n".join(out) + "\n"


def _html_text_document(s: ReportSpec, tables: dict[str, list[str]]) -> str:
    """Seed 001: paragraphs on consecutive lines, each table row closed by a blank line,
    two more blank lines after a table."""
    out: list[str] = [s.full_title, ""]
    if s.preamble:
        out.append(s.preamble)
    heads = _headings()
    for sec in SECTIONS:
        out.append(heads[sec.key])
        out += s.paragraphs(sec.key)
        if sec.key in TABLE_SECTIONS:
            out.append("")
            out += tables[TABLE_SECTIONS[sec.key]]
            out += ["", ""]
    out += _signature(s, blank_lines=False)
    return "\n".join(out) + "\n"


def _flat_document(s: ReportSpec, tables: dict[str, list[str]], rng: random.Random, *, mirror_copy: bool) -> str:
    """Seed 004: every line of the page followed by a blank line."""
    items: list[str] = []
    title = s.full_title
    date = s.publication_date or ""
    if mirror_copy:
        items.append("\n".join(chrome_lines(title, date, s.issuing_body, rng)))  # chrome lines sit together
    items.append(title)
    if mirror_copy:
        source = re.sub(r"^.*?[市县区镇省]", "", s.issuing_body) or s.issuing_body
        items += [f"发布时间:{date} 来源:{source}", "| | | |"]
    if s.preamble:
        items.append(s.preamble)
    heads = _headings()
    for sec in SECTIONS:
        items.append(heads[sec.key])
        items += s.paragraphs(sec.key)
        if sec.key in TABLE_SECTIONS:
            items += tables[TABLE_SECTIONS[sec.key]]
    items += [x for x in _signature(s, blank_lines=False) if x]
    text = "\n\n".join(items)
    if not mirror_copy:
        return text + "\n"
    text = mirror(text, toneless_twice=rng.random() < 0.15)
    footer = PAGE_FOOTER[0] + "\n\n" + "\n".join(PAGE_FOOTER[1:])
    # the spam line is injected after conversion: it stays simplified (seed 004)
    return f"{text}\n\n \n\n{footer}\n{spam_line(rng)}\n"


def _signature(s: ReportSpec, *, blank_lines: bool) -> list[str]:
    date = _chinese_date(s.publication_date)
    lines = [s.signed_by] + ([date] if date else [])
    if not blank_lines:
        return lines
    return ["", *(x for line in lines for x in (line, ""))]


__all__ = ["BLANK_MARKS", "LAYOUTS", "Layout", "TextRendering", "blank_marks_for", "render_text", "render_text_detail"]
