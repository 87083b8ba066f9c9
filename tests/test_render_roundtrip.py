"""HTML, DOCX and PDF renderings: the official merged-cell structure, and round trips
through gongkai's own readers back to the same cells, body, year and format.

The PDF tests need a PDF engine (WeasyPrint with Pango and a CJK font, or LibreOffice);
without one they are skipped and say so.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai.api import parse_bytes
from gongkai.render import BLANK_MARKS, ReportSpec
from gongkai.render.docx import render_docx
from gongkai.render.grid import T3_NOTE, grids
from gongkai.render.html import render_html
from gongkai.render.pdf import pdf_engine, render_pdf
from gongkai.testing.fixtures import BLANK_STYLES, random_report

FORMATS = ("2019", "2021")
TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "templates" / "annual-report-2021-blank.docx"
NO_PDF = "no PDF engine: pip install weasyprint (needs libpango and fonts-noto-cjk or fonts-wqy-zenhei), or install LibreOffice"

_settings = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)


def _assert_same(spec: ReportSpec, data: bytes, where: str) -> None:
    report = parse_bytes(data, where)
    assert report.values() == spec.cells
    assert (report.issuing_body, report.report_year, report.format) == (spec.issuing_body, spec.report_year, spec.format)
    for key, cell in report.cells.items():
        assert cell.status == ("blank" if cell.value is None else "read"), key


# ------------------------------------------------------------------ HTML
def _html_cells(html: str) -> list[list[tuple[str, int, int]]]:
    """Per table, per row: (text, rowspan, colspan) of its cells."""
    import lxml.html

    root = lxml.html.fromstring(html)
    return [
        [
            [("".join(td.itertext()), int(td.get("rowspan", 1)), int(td.get("colspan", 1))) for td in tr.findall("td")]
            for tr in table.findall(".//tr")
        ]
        for table in root.iter("table")
    ]


@pytest.mark.parametrize("fmt,result_rows", [("2019", 20), ("2021", 22)])
def test_html_has_the_official_merges(fmt: str, result_rows: int) -> None:
    spec = random_report(random.Random(1), fmt, blank_style="none")
    html = render_html(spec)
    t2, t3, t4 = _html_cells(html)
    cells3 = {text: (rs, cs) for row in t3 for text, rs, cs in row}
    assert cells3[T3_NOTE] == (3, 3)
    assert cells3["申请人情况"] == (1, 7)
    assert cells3["法人或其他组织"] == (1, 5)
    assert cells3["自然人"] == cells3["总计"] == (2, 1)
    assert cells3["三、本年度办理结果"] == (result_rows, 1)
    assert cells3["（三）不予公开"] == (8, 1)
    assert cells3["（四）无法提供"] == (3, 1)
    assert cells3["（五）不予处理"] == (5, 1)
    if fmt == "2021":
        assert cells3["（六）其他处理"] == (3, 1)
    else:
        assert cells3["（六）其他处理"] == (1, 2)
    assert cells3["（七）总计"] == (1, 2)
    assert cells3["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert [c[1:] for c in t4[0]] == [(1, 5), (1, 10)]
    assert [c[1:] for c in t4[1]] == [(2, 1)] * 5 + [(1, 5), (1, 5)]
    assert len(t4[3]) == 15
    assert len(t2) == len(grids(fmt)[0].rows)
    assert f"<title>{spec.full_title}</title>" in html
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "六、其他需要报告的事项"):
        assert f"<h2>{heading}</h2>" in html


@pytest.mark.parametrize("fmt", FORMATS)
@_settings
@given(seed=st.integers(0, 2**32 - 1), style=st.sampled_from(BLANK_STYLES), mark=st.sampled_from(BLANK_MARKS))
def test_html_round_trip(fmt: str, seed: int, style: str, mark: str) -> None:
    spec = random_report(random.Random(seed), fmt, blank_style=style)
    _assert_same(spec, render_html(spec, blank_mark=mark).encode("utf-8"), f"<html seed={seed}>")


# ------------------------------------------------------------------ DOCX
def _docx_structure(data: bytes | Path) -> list[list[list[tuple[str, int, str | None]]]]:
    """Per table, per row: (label text, gridSpan, vMerge) of every w:tc, as Word stores it."""
    import io

    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    out = []
    for table in doc.tables:
        rows = []
        for tr in table._tbl.tr_lst:
            row = []
            for tc in tr.tc_lst:
                text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip().replace("\u3000", "")
                row.append((text if not text.isdigit() else "", tc.grid_span, tc.vMerge))
            rows.append(row)
        out.append(rows)
    return out


@pytest.mark.skipif(not TEMPLATE.exists(), reason=f"official template not found at {TEMPLATE}")
def test_docx_merges_match_the_official_template() -> None:
    """Same tables, same gridSpan/vMerge in every cell, same labels as the blank 2021 template."""
    spec = random_report(random.Random(2), "2021", blank_style="none")
    ours = _docx_structure(render_docx(spec))
    theirs = _docx_structure(TEMPLATE)
    assert len(ours) == len(theirs) == 3
    for mine, official in zip(ours, theirs, strict=True):
        assert [[c[1:] for c in row] for row in mine] == [[c[1:] for c in row] for row in official]
        assert [[c[0] for c in row] for row in mine] == [[c[0] for c in row] for row in official]


@pytest.mark.parametrize("fmt", FORMATS)
@_settings
@given(seed=st.integers(0, 2**32 - 1), style=st.sampled_from(BLANK_STYLES), mark=st.sampled_from(BLANK_MARKS))
def test_docx_round_trip(fmt: str, seed: int, style: str, mark: str) -> None:
    spec = random_report(random.Random(seed), fmt, blank_style=style)
    _assert_same(spec, render_docx(spec, blank_mark=mark), f"<docx seed={seed}>")


# ------------------------------------------------------------------ PDF
@pytest.mark.parametrize(
    "fmt,seed,style,mark",
    [
        ("2019", 0, "none", "/"),
        ("2021", 1, "t3_outcome_totals_blank", ""),
        ("2021", 2, "t3_totals_only", "—"),
    ],
)
def test_pdf_round_trip(fmt: str, seed: int, style: str, mark: str) -> None:
    if pdf_engine() is None:  # checked here, not at collection: importing WeasyPrint takes seconds
        pytest.skip(NO_PDF)
    spec = random_report(random.Random(seed), fmt, blank_style=style)
    data = render_pdf(spec, blank_mark=mark)
    assert data.startswith(b"%PDF-")
    _assert_same(spec, data, f"<pdf seed={seed}>")


# ------------------------------------------------------------------ a scan of it (OCR)
def _has_ocr() -> bool:
    try:
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
        from PIL import Image  # noqa: F401
    except ImportError:
        return False
    return pdf_engine() is not None


@pytest.mark.skipif(not _has_ocr(), reason="needs the ocr extra (rapidocr-onnxruntime, pypdfium2, pillow) and a PDF renderer")
@pytest.mark.parametrize("seed", [3, 4])  # 3: zeros read as rings; 4: a label and its number read as one
def test_rasterised_pdf_round_trip_through_ocr(seed: int) -> None:
    """Render a report to PDF, print it to 150 dpi greyscale images (a scan without a text
    layer), and read it back with OCR: every cell, the body, year and format come back."""
    import io

    import pypdfium2 as pdfium

    spec = random_report(random.Random(seed), "2021", blank_style="none")
    pages = pdfium.PdfDocument(render_pdf(spec))
    images = [pages[i].render(scale=150 / 72).to_pil().convert("L") for i in range(len(pages))]
    scan = io.BytesIO()
    images[0].save(scan, "PDF", save_all=True, append_images=images[1:], resolution=150)
    report = parse_bytes(scan.getvalue(), "scan.pdf")
    assert report.values() == spec.cells
    assert (report.issuing_body, report.report_year, report.format) == (spec.issuing_body, spec.report_year, spec.format)
