"""Render: a report (``ReportSpec`` or a parsed ``Report``) in the official layout.

* ``render_text``: the plain-text layouts real extractions have (``LAYOUTS``);
* ``render_html``: the official merged-cell HTML page;
* ``render_docx``: the same as a Word document;
* ``render_pdf``: the HTML through WeasyPrint (or the DOCX through LibreOffice).

Renderers print from ``render.grid``, the official tables as merged-cell grids built from
``gongkai.domain.labels``; none of them retypes a label.
"""

from __future__ import annotations

# python-docx and WeasyPrint are imported inside the functions that need them
from .docx import render_docx
from .html import render_html
from .pdf import pdf_engine, render_pdf
from .spec import ReportSpec, as_spec
from .text import BLANK_MARKS, LAYOUTS, Layout, TextRendering, blank_marks_for, render_text, render_text_detail

__all__ = [
    "BLANK_MARKS",
    "LAYOUTS",
    "Layout",
    "ReportSpec",
    "TextRendering",
    "as_spec",
    "blank_marks_for",
    "pdf_engine",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_text",
    "render_text_detail",
]
