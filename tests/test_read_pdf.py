"""The PDF reader: real reports read to their labels, table rows rebuilt from geometry,
hostile files refused fast with a named error, scans OCRed or refused with the fix."""

from __future__ import annotations

import importlib.util
import io
import json
import random
import sys
import time
import zlib
from pathlib import Path
from types import ModuleType

import pytest

from gongkai.api import parse_bytes
from gongkai.errors import CorruptDocument, GongkaiError, InputTooLarge, MissingDependency, Timeout
from gongkai.model import Document
from gongkai.read import layout_geom, layout_grid, pdf, pdfium_page
from gongkai.read.pdf import read_pdf
from gongkai.settings import Settings

HERE = Path(__file__).resolve().parent
FILES = HERE / "files" / "pdf"
REAL = Path(__file__).parents[2] / "shared" / "corpus" / "real"
LABELS = Path(__file__).parents[2] / "shared" / "corpus" / "labels"
REAL_NAMES = ["hongze-district-gov-2024", "huaian-city-gov-2024"]
HAS_OCR = importlib.util.find_spec("rapidocr_onnxruntime") is not None and importlib.util.find_spec("pypdfium2") is not None


def _fixtures() -> ModuleType:
    """tests/files/pdf/make_files.py: the expected cells of the generated reports."""
    spec = importlib.util.spec_from_file_location("pdf_fixtures", FILES / "make_files.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, mod)  # dataclasses look their module up there
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


def _rows(doc: Document) -> list[list[str]]:
    return [[b.text for b in row] for row in doc.rows()]


def _row_with(doc: Document, label: str) -> list[str]:
    for row in _rows(doc):
        if any(label in t for t in row):
            return row
    raise AssertionError(f"no row with {label!r}")


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6  # type: ignore[arg-type]


# ---------------------------------------------------------------- real reports
@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_pdf_cells_equal_labels(name: str) -> None:
    path = REAL / f"{name}.pdf"
    if not path.exists():
        pytest.skip("shared corpus absent")
    label = json.loads((LABELS / f"{name}.json").read_text(encoding="utf-8"))
    report = parse_bytes(path.read_bytes(), str(path))
    got = report.values()
    wrong = {k: (v, got.get(k, "<absent>")) for k, v in label["cells"].items() if k not in got or not _same(got[k], v)}
    assert not wrong
    assert report.report_year == label["report_year"]
    assert report.format == label["format"]
    assert report.issuing_body and label["issuing_body"] in report.issuing_body
    assert report.media_type == "application/pdf"


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_pdf_cells_have_page_and_bbox(name: str) -> None:
    path = REAL / f"{name}.pdf"
    if not path.exists():
        pytest.skip("shared corpus absent")
    report = parse_bytes(path.read_bytes(), str(path))
    read = [c for c in report.cells.values() if c.status == "read"]
    assert len(read) > 150
    for c in read:
        assert c.origin is not None and c.origin.page is not None and c.origin.bbox is not None
        x0, top, x1, bottom = c.origin.bbox
        assert 0 <= x0 < x1 <= 600 and 0 <= top < bottom <= 850
    assert report.cells["t3.received.total"].origin.page in (3, 4)  # type: ignore[union-attr]


def test_real_pdf_rows_follow_the_contract() -> None:
    path = REAL / "huaian-city-gov-2024.pdf"
    if not path.exists():
        pytest.skip("shared corpus absent")
    doc = read_pdf(path.read_bytes(), str(path))
    rows = _rows(doc)
    assert rows[0] == ["淮安市人民政府"]  # the title lines, first, as plain lines
    assert rows[1][0].replace(" ", "") == "2024年政府信息公开工作年度报告"
    assert not any(r[0].startswith("- ") for r in rows)  # page numbers "- 1 -" dropped
    # a wrapped label is one block, on the row of its numbers
    row = _row_with(doc, "（二）部分公开")
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in row
    assert row[-7:] == ["447", "7", "0", "0", "0", "0", "454"]
    # the group set one character per line is one label, and its rowspan leaves empty blocks
    row = _row_with(doc, "三、本年度办理结果")
    assert row[:3] == ["三、本年度办理结果", "（一）予以公开", ""]
    assert _row_with(doc, "2.其他法律行政法规禁止公开")[:2] == ["", ""]
    # table 3 goes on from page 4 to page 5 inside （四）无法提供: one table, label joined
    assert "（四）无法提供" in _row_with(doc, "1.本机关不掌握相关政府信息")
    row = _row_with(doc, "2.没有现成信息需要另行制作")
    assert row == ["", "", "2.没有现成信息需要另行制作", "11", "0", "0", "0", "0", "0", "11"]
    # table 4: its one data row, 15 blocks
    assert ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"] in rows


# ---------------------------------------------------------------- generated reports
@pytest.mark.parametrize("name", ["report-ruled.pdf", "report-unruled.pdf", "report-sideways.pdf"])
def test_generated_report_cells(name: str) -> None:
    expected = _fixtures().expected_cells()
    report = parse_bytes((FILES / name).read_bytes(), name)
    got = report.values()
    wrong = {k: (v, got.get(k, "<absent>")) for k, v in expected.items() if k not in got or not _same(got[k], v)}
    assert not wrong
    assert (report.issuing_body, report.report_year, report.format) == ("某某县人民政府", 2023, "2021")


def test_running_header_and_page_numbers_dropped() -> None:
    doc = read_pdf((FILES / "report-ruled.pdf").read_bytes(), "r.pdf")
    texts = [t for row in _rows(doc) for t in row]
    assert "某某县人民政府办公室" not in texts
    assert not any(t.startswith("- ") and t.endswith(" -") for t in texts)
    assert doc.meta["chrome_lines_dropped"] >= 6


def test_table_split_over_pages_is_one_table() -> None:
    """The first part has no rules between the three label columns; the parts still join."""
    doc = read_pdf((FILES / "report-ruled.pdf").read_bytes(), "r.pdf")
    assert _row_with(doc, "本年新收")[:3] == ["一、本年新收政府信息公开申请数量", "", ""]
    assert "（四）无法提供" in _row_with(doc, "1.本机关不掌握相关政府信息")
    assert _row_with(doc, "2.没有现成信息需要另行制作")[:3] == ["", "", "2.没有现成信息需要另行制作"]


def test_unruled_table_labels_wrap_around_numbers() -> None:
    doc = read_pdf((FILES / "report-unruled.pdf").read_bytes(), "u.pdf")
    row = _row_with(doc, "5.要求行政机关确认")
    assert row[-8:] == ["5.要求行政机关确认或重新出具已获取信息", "0", "0", "0", "0", "0", "0", "0"]
    row = _row_with(doc, "2.申请人逾期未按收费通知要求")
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in row


def test_reading_order_and_provenance() -> None:
    doc = read_pdf((FILES / "report-ruled.pdf").read_bytes(), "r.pdf")
    firsts = [r[0] for r in _rows(doc)]
    order = [
        firsts.index(h)
        for h in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项")
    ]
    assert order == sorted(order)
    rows = [r[0].row for r in doc.rows()]
    assert rows == sorted(set(rows))
    assert all(b.origin.page in (1, 2, 3) and b.origin.bbox is not None for b in doc.blocks)


# ---------------------------------------------------------------- geometry units
def test_glyph_lines_join_cjk_without_spaces_and_keep_number_gaps() -> None:
    def g(t: str, x: float) -> layout_geom.Glyph:
        return layout_geom.Glyph(t, x, 100, x + 10, 110, 10)

    line = layout_geom.make_lines([g("行", 0), g("政", 10), g("许", 20), g("可", 30), g("9", 100), g("4", 105), g("8", 110)])
    assert len(line) == 1
    assert line[0].text == "行政许可 948"
    # a character painted twice to fake bold is read once
    assert layout_geom.make_lines([g("总", 0), g("总", 0.4), g("计", 10)])[0].text == "总计"


def test_grid_with_merged_cells() -> None:
    h = [layout_geom.Rule(True, y, 0, 300) for y in (0, 20, 40, 60)]
    v = [
        layout_geom.Rule(False, 0, 0, 60),
        layout_geom.Rule(False, 100, 0, 60),
        layout_geom.Rule(False, 300, 0, 60),
        layout_geom.Rule(False, 200, 20, 60),
    ]
    (grid,) = layout_grid.find_grids(h + v)
    assert grid.xs == [0, 100, 200, 300] and grid.ys == [0, 20, 40, 60]
    assert grid.spans[grid.group[0][1]] == (0, 1, 1, 3)  # the header cell spans two columns
    assert grid.spans[grid.group[2][2]] == (2, 3, 2, 3)


def test_glyph_directions() -> None:
    assert pdfium_page.turn_of(1, 0, 0, 1) == 0
    assert pdfium_page.turn_of(0, 1, -1, 0) == 90  # runs up the page: a turned landscape table
    assert pdfium_page.turn_of(0, -1, 1, 0) == 270
    assert pdfium_page.turn_of(0.7, 0.7, -0.7, 0.7) is None  # a diagonal watermark: left out
    assert pdfium_page.turn_of(1, 0, 0.2, 1) == 0  # synthetic italics


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_page_rotation_gives_the_same_rows(rotate: int) -> None:
    """A page turned by /Rotate reads as the same page: device space follows the rotation
    (text then runs up or down and the page is turned back to read across)."""
    content = b"BT /F1 12 Tf 72 700 Td (Annual report) Tj ET 72 650 m 300 650 l S"
    font = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents 4 0 R %s >>" % (rotate, font),
        _stream(content),
    ]
    doc = read_pdf(_mini_pdf(objs), "rot.pdf")
    assert _rows(doc) == [["Annual report"]]


def test_pages_that_need_ocr() -> None:
    def page(glyphs: list[str], images: list[layout_geom.Box], paths: int = 0) -> layout_geom.PageGeom:
        gs = [layout_geom.Glyph(t, 100 + 10 * i, 100, 110 + 10 * i, 110, 10) for i, t in enumerate(glyphs)]
        return layout_geom.PageGeom(1, 595, 842, gs, [], images=images, paths=paths)

    assert pdf.ocr_regions(page(list("政府信息公开工作年度报告"), [])) == []
    assert pdf.ocr_regions(page([], [(0, 0, 595, 842)])) is None  # a scan
    assert pdf.ocr_regions(page([], [], paths=5000)) is None  # text drawn as outlines
    assert pdf.ocr_regions(page(["(cid:12)"] * 40, [])) is None  # undecodable text
    shot = (50, 300, 545, 700)
    assert pdf.ocr_regions(page(list("政府信息公开工作年度报告"), [shot])) == [shot]  # a pasted table
    assert pdf.ocr_regions(page(list("政府信息公开工作年度报告"), [(50, 50, 100, 80)])) == []  # a seal


def _geometry(content: bytes) -> layout_geom.PageGeom:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(_pages_pdf(_stream(content)))
    try:
        return pdf._page(raw, doc, 1, pdfium_page.PageReader(raw, 30_000, "t.pdf"), "t.pdf")
    finally:
        doc.close()


def test_white_rectangles_are_not_rules() -> None:
    assert _geometry(b"1 1 1 rg 10 10 290 30 re f").rules == []  # a white cell background
    assert _geometry(b"1 G 10 10 290 30 re S").rules == []  # stroked white
    assert len(_geometry(b"0 0 0 RG 1 1 1 rg 10 10 290 30 re B").rules) == 4  # stroked black, filled white
    (rule,) = _geometry(b"0 g 10 100 290 1 re f").rules  # a thin black bar is a rule
    assert rule.horizontal and abs(rule.pos - (842 - 100.5)) < 0.01 and (rule.a, rule.b) == (10, 300)


def test_paths_split_into_subpaths_and_forms_are_entered() -> None:
    two = _geometry(b"0 G 10 10 m 300 10 l 10 50 m 300 50 l S")
    assert sorted(r.pos for r in two.rules) == [842 - 50, 842 - 10] and two.paths == 2
    # a form XObject drawn twice, moved by cm: its rule appears twice, moved
    form = _stream(b"0 G 0 0 m 200 0 l S", b"/Type /XObject /Subtype /Form /BBox [0 0 300 300]")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>",
        _stream(b"q 1 0 0 1 50 100 cm /X Do Q q 1 0 0 1 50 300 cm /X Do Q"),
        form,
    ]
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(_mini_pdf(objs))
    g = pdf._page(raw, doc, 1, pdfium_page.PageReader(raw, 30_000, "t.pdf"), "t.pdf")
    doc.close()
    assert sorted((r.pos, r.a, r.b) for r in g.rules) == [(842 - 300, 50, 250), (842 - 100, 50, 250)]


# ---------------------------------------------------------------- hostile input
def _mini_pdf(objs: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _pages_pdf(content: bytes, n_pages: int = 1, count: int | None = None) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n_pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages if count is None else count),
    ]
    objs += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << >> >>" % (3 + n_pages)
    ] * n_pages
    return _mini_pdf([*objs, content])


def _refused(data: bytes, error: type[GongkaiError], match: str, settings: Settings | None = None, seconds: float = 3.0) -> None:
    t = time.perf_counter()
    with pytest.raises(error, match=match) as e:
        read_pdf(data, "bad.pdf", settings or Settings())
    assert time.perf_counter() - t < seconds
    assert e.value.path == "bad.pdf"


def test_encrypted_pdf_is_refused_with_the_reason() -> None:
    _refused((FILES / "encrypted.pdf").read_bytes(), CorruptDocument, "加密")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.95])
def test_truncated_pdf_is_refused_fast(cut: float) -> None:
    data = (FILES / "report-ruled.pdf").read_bytes()
    real = REAL / "huaian-city-gov-2024.pdf"
    if real.exists():
        data = real.read_bytes()
    _refused(data[: int(len(data) * cut)], CorruptDocument, "不完整|损坏")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"%PDF-1.4\n" + bytes(range(256)) * 64, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"])
def test_corrupt_pdf_is_refused(data: bytes) -> None:
    _refused(data, CorruptDocument, "PDF")


def test_page_count_bomb_reads_only_the_pages_there_are() -> None:
    """PDFium counts the page tree's leaves when /Count is beyond belief: one page, read fast."""
    t = time.process_time()
    doc = read_pdf(_pages_pdf(_stream(b"BT ET"), 1, count=10_000_000), "bomb.pdf")
    assert doc.meta["pages"] == 1 and time.process_time() - t < 3


def test_more_pages_than_allowed() -> None:
    _refused(_pages_pdf(_stream(b"BT ET"), 5), InputTooLarge, "超过上限 3 页", Settings(max_pdf_pages=3))


def test_lying_page_count_is_still_bounded() -> None:
    """A /Count below the real number of pages: PDFium reads as many as it says, never more
    than the limit."""
    doc = read_pdf(_pages_pdf(_stream(b"BT ET"), 5, count=1), "lie.pdf", Settings(max_pdf_pages=3))
    assert doc.meta["pages"] <= 3


def test_content_stream_bomb_is_refused_without_inflating_it() -> None:
    bomb = zlib.compress(b"0 0 m 1 1 l S\n" * (20 * 1024 * 1024 // 14), 9)  # 20 MB from ~40 KB
    _refused(_pages_pdf(_stream(bomb, b"/Filter /FlateDecode")), InputTooLarge, "内容流")


def test_object_floods_stop_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGE_OBJECTS", 2_000)
    _refused(_pages_pdf(_stream(b"0 0 m 100 0 l S\n" * 5_000)), InputTooLarge, "对象数")
    _refused(_pages_pdf(_stream(b"BT /F1 1 Tf " + b"(x) Tj " * 5_000 + b"ET")), InputTooLarge, "对象数")


def test_operator_flood_within_the_content_cap_is_read_fast() -> None:
    """PDFium parses operators in C: a page of 2 million no-op operators (just under the
    8 MB content cap) takes well under a second, so operators need no count of their own."""
    t = time.process_time()  # CPU: the machine may be shared
    doc = read_pdf(_pages_pdf(_stream(b"q Q\n" * (pdf.MAX_PAGE_CONTENT_BYTES // 4 - 16))), "ops.pdf")
    assert doc.blocks == [] and time.process_time() - t < 3


def test_time_budget() -> None:
    _refused((FILES / "report-ruled.pdf").read_bytes(), Timeout, "时间上限", Settings(max_pdf_seconds=1e-6))


def test_damaged_bytes_never_escape_as_library_errors() -> None:
    data = (FILES / "report-ruled.pdf").read_bytes()
    rng = random.Random(7)
    for _ in range(25):
        bad = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            i = rng.randrange(len(bad))
            bad[i] = rng.randrange(256)
        t = time.perf_counter()
        try:
            read_pdf(bytes(bad), "fuzz.pdf")
        except GongkaiError:
            pass
        assert time.perf_counter() - t < 10


def test_empty_page_gives_an_empty_document() -> None:
    doc = read_pdf(_pages_pdf(_stream(b"")), "empty.pdf")
    assert doc.blocks == [] and doc.meta["pages"] == 1


# ---------------------------------------------------------------- scans
def _scan_pdf(png: bytes) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()


def test_scan_without_ocr_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("PIL")
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import now fails
    data = _scan_pdf((FILES / "scan-t3.png").read_bytes())
    with pytest.raises(MissingDependency, match=r"pip install 'gongkai\[ocr\]'") as e:
        read_pdf(data, "scan.pdf")
    assert "扫描" in e.value.message and "rapidocr-onnxruntime" in e.value.message


@pytest.mark.skipif(not HAS_OCR, reason="rapidocr-onnxruntime / pypdfium2 not installed")
def test_pages_of_a_scan_are_ocred_in_parallel_and_kept_in_order() -> None:
    """Three scanned pages on two workers: each page gets its own rows, in page order."""
    from PIL import Image

    t3 = Image.open(io.BytesIO((FILES / "scan-t3.png").read_bytes())).convert("RGB")
    blank = Image.new("RGB", t3.size, "white")
    out = io.BytesIO()
    t3.save(out, format="PDF", resolution=150, save_all=True, append_images=[blank, t3])
    doc = read_pdf(out.getvalue(), "scan3.pdf", Settings(ocr_workers=2))
    assert doc.meta["ocr_pages"] == [1, 2, 3]
    pages = [b.origin.page for b in doc.blocks if "本年新收" in b.text]
    assert pages == [1, 3]
    assert _row_with(doc, "本年新收")[-7:] == ["95", "3", "0", "0", "1", "0", "99"]


def test_ocr_workers_setting_is_checked() -> None:
    with pytest.raises(ValueError, match="ocr_workers"):
        Settings(ocr_workers=-1)


def test_scan_with_ocr_switched_off_is_reported() -> None:
    pytest.importorskip("PIL")
    doc = read_pdf(_scan_pdf((FILES / "scan-t3.png").read_bytes()), "scan.pdf", Settings(ocr=False))
    assert [f.rule for f in doc.findings] == ["OCR_SKIPPED"]


def test_table_screenshot_without_ocr_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.read.ocr.available", lambda: False)
    doc = read_pdf((FILES / "screenshot.pdf").read_bytes(), "shot.pdf")
    assert [f.rule for f in doc.findings] == ["OCR_SKIPPED"]
    assert "表格截图" in doc.findings[0].message
    assert ["2023年政府信息公开工作年度报告"] in _rows(doc)


@pytest.mark.skipif(not HAS_OCR, reason="rapidocr-onnxruntime / pypdfium2 not installed")
def test_table_screenshot_in_a_text_page_is_ocred() -> None:
    doc = read_pdf((FILES / "screenshot.pdf").read_bytes(), "shot.pdf")
    assert doc.meta["ocr_pages"] == [1]
    assert ["2023年政府信息公开工作年度报告"] in _rows(doc)  # the text layer is kept
    assert _row_with(doc, "本年新收")[-7:] == ["95", "3", "0", "0", "1", "0", "99"]
    assert _row_with(doc, "本机关不掌握")[-7:] == ["20", "1", "0", "0", "0", "0", "21"]


@pytest.mark.skipif(not HAS_OCR, reason="rapidocr-onnxruntime / pypdfium2 not installed")
def test_scanned_pdf_is_ocred_into_table_rows(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="gongkai.ocr"):
        doc = read_pdf(_scan_pdf((FILES / "scan-t3.png").read_bytes()), "scan.pdf")
    assert [r.getMessage() for r in caplog.records if r.name == "gongkai.ocr"] == [
        "文字识别（OCR）：scan.pdf 第 1 页，已完成 1/1 页"
    ]
    assert doc.meta["ocr"] is True and doc.meta["ocr_pages"] == [1]
    assert _row_with(doc, "本年新收")[-7:] == ["95", "3", "0", "0", "1", "0", "99"]
    assert _row_with(doc, "保护第三方")[-7:] == ["2", "0", "0", "0", "0", "0", "2"]
    assert any(f.rule == "OCR" for f in doc.findings)
