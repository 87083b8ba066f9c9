"""A report as a Word document with the official merged-cell tables.

The document follows the blank 2021 template (``shared/corpus/templates``): 宋体, a bold
centred title, bold section headings, one table per statistics section whose merges
(gridSpan / vMerge restart-continue) are those of ``render.grid``. python-docx is the
``docx`` extra; it is imported only here.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from ..domain import extras
from ..domain.labels import SECTIONS
from ..model import Report
from .grid import TEMPLATE_WIDTHS, Grid, column_fractions, grids
from .spec import TABLE_SECTIONS, ReportSpec, as_spec, format_value

FONT = "宋体"


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise extras.missing("render", what="生成 Word 文档", modules=("docx",)) from None
    return docx


def _east_asian(run_or_style: Any, name: str = FONT) -> None:
    """Word picks CJK glyphs from the eastAsia font, which python-docx does not set."""
    from docx.oxml.ns import qn

    run_or_style.font.name = name
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(
    doc: Any, text: str, *, bold: bool = False, size: float | None = None, align: str | None = None, indent: bool = True
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif indent:
        p.paragraph_format.first_line_indent = Pt(24)  # two characters of 12 pt
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)


# Column widths in millimetres: the official template's shares (``grid.TEMPLATE_WIDTHS``)
# of the text width (A4, 25 mm margins: 160 mm).
TEXT_WIDTH_MM = 160
_WIDTHS_MM: dict[str, list[float]] = {t: [TEXT_WIDTH_MM * f for f in column_fractions(t)] for t in TEMPLATE_WIDTHS}


def _table(doc: Any, grid: Grid, spec: ReportSpec, blank_mark: str) -> None:
    """Rows of w:tc written directly with their gridSpan and vMerge (restart/continue), as
    Word stores merged cells; python-docx's cell merging rescans the table on every call."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt
    from docx.table import _Cell

    table = doc.add_table(rows=len(grid.rows), cols=grid.ncols)
    table.style = "Table Grid"
    widths = [Mm(w) for w in _WIDTHS_MM[grid.table]]
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for tr, row in zip(table._tbl.tr_lst, grid.rows, strict=True):
        for tc in list(tr.tc_lst):
            tr.remove(tc)
        col = 0
        for slot in row.slots:
            cell = slot.cell
            tc = tr.add_tc()
            tc.width = sum(widths[col : col + cell.colspan], start=Mm(0))
            col += cell.colspan
            if cell.colspan > 1:
                tc.grid_span = cell.colspan
            if cell.rowspan > 1:
                tc.vMerge = "continue" if slot.covered else "restart"
            target = _Cell(tc, table)
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if slot.covered:
                continue
            if cell.role == "value":
                assert cell.key is not None
                v = spec.value(cell.key)
                text = blank_mark if v is None else format_value(v)
            else:
                text = cell.text
            para = target.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.role in ("label", "note") else WD_ALIGN_PARAGRAPH.CENTER
            # 本年新<w:br/>制作数量: one run with a line break inside, as the official table
            parts = text.split("\n")
            run = para.add_run(parts[0])
            run.font.size = Pt(9)
            for part in parts[1:]:
                run.add_break()
                run.add_text(part)


def render_docx(report: ReportSpec | Report, *, blank_mark: str = "") -> bytes:
    """The report as .docx bytes."""
    docx = _docx()
    from docx.shared import Mm, Pt

    spec = as_spec(report)
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    normal = doc.styles["Normal"]
    _east_asian(normal)
    normal.font.size = Pt(12)
    doc.core_properties.title = spec.full_title
    doc.core_properties.author = spec.issuing_body
    _paragraph(doc, spec.full_title, bold=True, size=18, align="center")
    if spec.preamble:
        _paragraph(doc, spec.preamble)
    tables = {g.table: g for g in grids(spec.format)}
    for sec in SECTIONS:
        _paragraph(doc, f"{sec.number}、{sec.title}", bold=True, indent=False)
        for text in spec.paragraphs(sec.key):
            _paragraph(doc, text)
        if sec.key in TABLE_SECTIONS:
            _table(doc, tables[TABLE_SECTIONS[sec.key]], spec, blank_mark)
    _paragraph(doc, spec.signed_by, align="right")
    if spec.publication_date:
        y, m, d = (int(x) for x in spec.publication_date.split("-"))
        _paragraph(doc, f"{y}年{m}月{d}日", align="right")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
