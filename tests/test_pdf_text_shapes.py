"""Lost cell boundaries and Markdown from PDF (issue 13): table 3 of the two real PDFs of
the shared corpus (../shared/corpus/real/) as common extraction tools give it, each cell
checked against the corpus's hand-made labels (``tests/files/pdftext/expected.json`` holds
the labels' table-3 cells; ``tests/files/pdftext/README.md`` says how each file was made).

* ``*.pdfplumber.txt``: ``pdfplumber`` ``page.extract_text()``, which orders words by their
  height: a row's numbers, set a little higher than its label, land on the line above it
  (``0 0 0 0 0 0 0`` / ``1.属于国家秘密``) or between the lines of a label wrapped in its cell
  (``1、申请人无正当理由逾期不补`` / ``正、行政机关不再处理其政府信 67 3 0 0 1 0 71``), with a page
  number (``- 3 -``) between;
* ``*.pdfplumber_lost.txt``: the same lines with the spaces between digits removed (lost cell
  boundaries: ``1.属于国家秘密 2000002``, ``0000000`` above its label), split by the identities;
* ``*.markdown_detached.md``: the same lines as Markdown table rows, a label in one row and
  its numbers in another (``|  | 0 | 0 | … |``), as PDF-to-Markdown tools print them.
"""

from __future__ import annotations

import json

import pytest

from gongkai.api import parse
from helpers import FILES

EXPECTED = json.loads((FILES / "pdftext" / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pdf_text_shapes_every_labelled_cell_read(name: str) -> None:
    report = parse(str(FILES / "pdftext" / name))
    got = report.values()
    want = EXPECTED[name]["cells"]
    assert {k: (v, got.get(k, "<absent>")) for k, v in want.items() if got.get(k, "<absent>") != v} == {}


def test_pdf_text_shapes_two_orphan_lines_leave_the_row_unread() -> None:
    # two lines of seven values before a label with none: which is its row? neither is read
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n"
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
        "（一）予以公开 3 0 0 0 0 0 3\n"
        "1 0 0 0 0 0 1\n"
        "2 0 0 0 0 0 2\n"
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
        "（三）不予公开\n"
    )
    got = parse_text(text).values()
    assert "t3.partially_disclosed.total" not in got and got["t3.disclosed.total"] == 3


def parse_text(text: str):  # type: ignore[no-untyped-def]
    from gongkai.api import parse_bytes

    return parse_bytes(text.encode("utf-8"), "page.txt")
