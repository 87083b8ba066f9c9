"""The DOCX reader (and the LibreOffice route for .doc/.wps/.rtf): official merged-cell
layouts round-trip exactly, Word's structures are read as Word shows them, and archives
that are not Word documents, or are zip bombs, are refused quickly."""

from __future__ import annotations

import io
import random
import shutil
import struct
import time
import zipfile
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import CorruptDocument, GongkaiError, InputTooLarge, MissingDependency, UnsupportedFormat
from gongkai.read.docx import MEDIA_TYPE, read_docx, read_legacy_office
from gongkai.read.legacy import find_soffice
from helpers import assert_same_cells, load_official_layout

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
TEMPLATE = SHARED / "corpus" / "templates" / "annual-report-2021-blank.docx"





OL = load_official_layout()



def spec(fmt: str, cells: dict, body: str = "某某县科学技术局"):  # type: ignore[no-untyped-def]
    return OL.ReportSpec(
        body,
        2022 if fmt == "2021" else 2020,
        fmt,
        cells,
        ["本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。"],
        ["（一）存在问题。公开力度有待加强。"],
        ["本年度未收取信息处理费。"],
    )


assert_cells = assert_same_cells


# ------------------------------------------------------------------ hand-made documents
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def make_docx(body: str, numbering: str | None = None) -> bytes:
    doc = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", doc)
        if numbering:
            z.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
    return buf.getvalue()


def p(text: str = "", num: tuple[int, int] | None = None) -> str:
    ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    runs = "".join(
        "<w:r><w:tab/></w:r>"
        if part == "\t"
        else "<w:r><w:br/></w:r>"
        if part == "\n"
        else f'<w:r><w:t xml:space="preserve">{part}</w:t></w:r>'
        for part in _split_keep(text)
    )
    return f"<w:p>{ppr}{runs}</w:p>"


def _split_keep(text: str) -> list[str]:
    out, cur = [], ""
    for ch in text:
        if ch in "\t\n":
            if cur:
                out.append(cur)
            out.append(ch)
            cur = ""
        else:
            cur += ch
    return [*out, cur] if cur else out


def tc(text: str = "", span: int = 1, vmerge: str | None = None) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>" if vmerge else ""
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


def tr(*cells: str, before: int = 0) -> str:
    trpr = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl>{''.join(rows)}</w:tbl>"


def grid_of(doc) -> list[list[tuple[str, int | None]]]:  # type: ignore[no-untyped-def]
    return [[(b.text, b.origin.col) for b in row] for row in doc.rows() if row[0].origin.table is not None]


# ------------------------------------------------------------------ official layouts
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_official_layout_round_trip(fmt: str, tmp_path: Path) -> None:
    cells = OL.consistent_cells(fmt, seed=17)
    path = tmp_path / "r.docx"
    OL.report_docx(spec(fmt, cells), path)
    report = gongkai.parse(path)
    assert (report.issuing_body, report.format, report.media_type) == ("某某县科学技术局", fmt, MEDIA_TYPE)
    assert report.report_year == (2022 if fmt == "2021" else 2020)
    assert_cells(report, cells)
    assert not [f for f in report.findings if f.source == "extraction" and f.severity != "info"]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_blank_marks_round_trip(fmt: str, tmp_path: Path) -> None:
    rnd = random.Random(8)
    cells = {k: (None if rnd.random() < 0.3 else v) for k, v in OL.consistent_cells(fmt, seed=5).items()}
    path = tmp_path / "r.docx"
    OL.report_docx(spec(fmt, cells), path, blank="—")
    assert_cells(gongkai.parse(path), cells)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_empty_cells_round_trip(fmt: str, tmp_path: Path) -> None:
    rnd = random.Random(9)
    cells = {k: (None if rnd.random() < 0.3 else v) for k, v in OL.consistent_cells(fmt, seed=6).items()}
    path = tmp_path / "r.docx"
    OL.report_docx(spec(fmt, cells), path)
    assert_cells(gongkai.parse(path), cells)


@pytest.mark.skipif(not TEMPLATE.exists(), reason="shared template not present")
def test_blank_official_template_structure() -> None:
    doc = read_docx(TEMPLATE.read_bytes(), str(TEMPLATE))
    grid = grid_of(doc)
    t3 = [row for row in doc.rows() if row[0].origin.table == 1]
    assert len(t3) == 28 and all(len(r) == 10 for r in t3)
    # 三、本年度办理结果 (vMerge restart) at column 0, continuations below it empty
    first = next(r for r in t3 if r[0].text == "三、本年度办理结果")
    assert [b.text for b in first[:3]] == ["三、本年度办理结果", "（一）予以公开", ""]
    inquiry = next(r for r in t3 if r[2].text == "8.属于行政查询事项")
    assert inquiry[0].text == "" and inquiry[0].origin.row == first[0].origin.row  # the merged cell's origin
    assert any(row[:4] == [("第二十条第（一）项", 0), ("", 0), ("", 0), ("", 0)] for row in grid)
    licensing = next(row for row in grid if row[0][0] == "行政许可")
    assert licensing == [("行政许可", 0), ("", 1)]  # the value cell spans three grid columns: one value
    assert "商业企业" in [b.text for b in doc.blocks]  # 商业<w:br/>企业 joined


@pytest.mark.skipif(not TEMPLATE.exists(), reason="shared template not present")
def test_filled_official_template(tmp_path: Path) -> None:
    """The template agencies circulate, filled in with python-docx as a clerk would."""
    import docx

    cells = OL.consistent_cells("2021", seed=23)
    d = docx.Document(str(TEMPLATE))
    d.paragraphs[1].text = "某某市生态环境局2022年政府信息公开工作年度报告"
    t2, t3, t4 = d.tables
    t2_rows = {"规章": "regulations", "行政规范性文件": "normative_docs"}
    for row in t2.rows:
        label = row.cells[0].text.strip()
        if label in t2_rows:
            for c, col in zip(row.cells[1:], ("issued", "repealed", "in_force"), strict=True):
                c.text = str(cells[f"t2.{t2_rows[label]}.{col}"])
        single = {"行政许可": "licensing", "行政处罚": "punishment", "行政强制": "enforcement", "行政事业性收费": "fees"}
        if label in single:
            col = "amount" if label == "行政事业性收费" else "decisions"
            row.cells[1].text = str(cells[f"t2.{single[label]}.{col}"])
    t3_keys = [k.rsplit(".", 1)[0] for k in OL.keys("2021") if k.startswith("t3.") and k.endswith(".natural_person")]
    for row, key in zip(t3.rows[3:], t3_keys, strict=True):
        for c, col in zip(row.cells[3:], OL.T3_COLS, strict=True):
            c.text = str(cells[f"{key}.{col}"])
    for c, key in zip(t4.rows[3].cells, OL.T4_KEYS, strict=True):
        c.text = str(cells[key])
    path = tmp_path / "filled.docx"
    d.save(str(path))
    report = gongkai.parse(path)
    assert (report.issuing_body, report.report_year, report.format) == ("某某市生态环境局", 2022, "2021")
    assert_cells(report, cells)


# ------------------------------------------------------------------ Word structures
def test_vmerge_gridspan_and_grid_before() -> None:
    body = p("三、收到和处理政府信息公开申请情况") + tbl(
        tr(tc("甲", span=2), tc("乙")),
        tr(tc("组", vmerge="restart"), tc("一"), tc("1")),
        tr(tc(vmerge="continue"), tc("二"), tc("2")),
        tr(tc("三"), tc("3"), before=1),
        tr(tc("合计", span=2), tc("6", vmerge="restart")),
        tr(tc("注", span=2), tc(vmerge="continue")),
    )
    doc = read_docx(make_docx(body), "x.docx")
    assert grid_of(doc) == [
        [("甲", 0), ("", 0), ("乙", 2)],
        [("组", 0), ("一", 1), ("1", 2)],
        [("", 0), ("二", 1), ("2", 2)],
        [("三", 1), ("3", 2)],  # gridBefore: no cell at column 0
        [("合计", 4 - 4), ("", 0), ("6", 2)],
        [("注", 0), ("", 0), ("", 2)],  # a merged data cell leaves a blank below, at its own position
    ]
    rows = [r for r in doc.rows() if r[0].origin.table is not None]
    assert rows[2][0].origin.row == 1  # the continuation names the merged cell
    assert rows[5][2].origin.row == 5  # a data continuation is its own (blank) cell


def test_paragraphs_tabs_breaks_and_order() -> None:
    body = (
        p("某某局2022年政府信息公开工作年度报告")
        + p("规章\t0\t1\t2")
        + p("第一行\n第二行")
        + tbl(tr(tc("本年新\n制作数量"), tc("5")))
        + p("\t缩进的段落")
    )
    doc = read_docx(make_docx(body), "x.docx")
    assert [[b.text for b in r] for r in doc.rows()] == [
        ["某某局2022年政府信息公开工作年度报告"],
        ["规章", "0", "1", "2"],
        ["第一行"],
        ["第二行"],
        ["本年新制作数量", "5"],
        ["缩进的段落"],
    ]
    # line: the n-th paragraph of the body (paragraphs inside table cells are cells, not lines)
    assert doc.blocks[0].origin.line == 1 and doc.blocks[-1].origin.line == 4
    assert doc.media_type == MEDIA_TYPE


def test_numbering_is_rendered() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    )
    body = (
        p("总体情况", num=(1, 0))
        + p("主动公开", num=(1, 1))
        + p("依申请公开", num=(1, 1))
        + p("主动公开政府信息情况", num=(1, 0))
        + p("规章", num=(1, 1))
        + p("属于国家秘密", num=(2, 0))
        + p("其他法律行政法规禁止公开", num=(2, 0))
    )
    doc = read_docx(make_docx(body, numbering), "x.docx")
    assert [b.text for b in doc.blocks] == [
        "一、总体情况",
        "（一）主动公开",
        "（二）依申请公开",
        "二、主动公开政府信息情况",
        "（一）规章",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
    ]


def test_text_box_deletions_ruby_and_fallbacks() -> None:
    box = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        + p("文本框中的标题")
        + "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + p("文本框中的标题")
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    body = (
        f"<w:p><w:r><w:t>正文</w:t></w:r>{box}</w:p>"
        "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"
        "<w:p><w:ruby><w:rt><w:r><w:t>bào</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>报</w:t></w:r></w:rubyBase></w:ruby></w:p>"
    )
    doc = read_docx(make_docx(body), "x.docx")
    assert [b.text for b in doc.blocks] == ["正文", "文本框中的标题", "保留插入", "报"]


def test_nested_layout_table() -> None:
    inner = tbl(tr(tc("规章"), tc("1"), tc("2"), tc("3")), tr(tc("行政规范性文件"), tc("4"), tc("5"), tc("6")))
    body = tbl(tr(f"<w:tc>{p('二、主动公开政府信息情况')}{inner}{p('（表后说明）')}</w:tc>"))
    doc = read_docx(make_docx(body), "x.docx")
    assert [[b.text for b in r] for r in doc.rows()] == [
        ["二、主动公开政府信息情况"],
        ["规章", "1", "2", "3"],
        ["行政规范性文件", "4", "5", "6"],
        ["（表后说明）"],
    ]
    assert {b.origin.table for b in doc.blocks if b.origin.table is not None} == {0}


# ------------------------------------------------------------------ not Word, or hostile
def _zip(files: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_plain_zip_is_not_word() -> None:
    with pytest.raises(UnsupportedFormat) as e:
        gongkai.parse_bytes(_zip({"readme.txt": "hello"}), "x.docx")
    assert "不是 Word 文档" in e.value.message and "zip" in e.value.message


def test_xlsx_is_named() -> None:
    with pytest.raises(UnsupportedFormat) as e:
        read_docx(_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "x.xlsx")
    assert "Excel" in e.value.message


def _declare_sizes(data: bytes, size: int) -> bytes:
    """Rewrite every member's declared uncompressed size (local and central headers)."""
    out = bytearray(data)
    i = out.find(b"PK\x01\x02")
    while i != -1:
        struct.pack_into("<I", out, i + 24, size)
        local = struct.unpack_from("<I", out, i + 42)[0]
        struct.pack_into("<I", out, local + 22, size)
        i = out.find(b"PK\x01\x02", i + 4)
    return bytes(out)


def test_zip_bomb_declared_gigabytes_refused_quickly() -> None:
    files = {f"word/media/image{i}.png": b"x" * 100 for i in range(8)}
    bomb = _declare_sizes(_zip({"word/document.xml": "<w:document/>", **files}), 0xFFFFFFF0)
    t = time.monotonic()
    with pytest.raises(InputTooLarge) as e:
        gongkai.parse_bytes(bomb, "bomb.docx")
    assert time.monotonic() - t < 1.0
    assert "压缩炸弹" in e.value.message


def test_zip_bomb_by_compression_ratio() -> None:
    bomb = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<" + b" " * (40 * 1024 * 1024) + b">"})
    assert len(bomb) < 200_000
    t = time.monotonic()
    with pytest.raises(InputTooLarge) as e:
        read_docx(bomb, "bomb.docx")
    assert time.monotonic() - t < 1.0
    assert "压缩比" in e.value.message


def test_truncated_zip_is_corrupt() -> None:
    data = make_docx(p("某某局2022年政府信息公开工作年度报告"))
    with pytest.raises(CorruptDocument):
        read_docx(data[: len(data) // 2], "x.docx")


def test_broken_xml_is_corrupt() -> None:
    data = _zip({"word/document.xml": "<w:document><w:body><w:p>"})
    with pytest.raises(CorruptDocument) as e:
        read_docx(data, "x.docx")
    assert "损坏" in e.value.message


def test_entities_are_not_expanded() -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>'
    )
    try:
        doc = read_docx(_zip({"word/document.xml": evil}), "x.docx")
    except GongkaiError:
        return
    assert sum(len(b.text) for b in doc.blocks) < 1000


# ------------------------------------------------------------------ legacy formats
@pytest.fixture
def no_soffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def test_legacy_needs_libreoffice(no_soffice: None) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "WordDocument".encode("utf-16-le")
    with pytest.raises(MissingDependency) as e:
        gongkai.parse_bytes(ole, "old.doc")
    assert "LibreOffice" in e.value.message and "apt-get install libreoffice-writer" in e.value.message


def test_rtf_needs_libreoffice(no_soffice: None) -> None:
    with pytest.raises(MissingDependency):
        gongkai.parse_bytes(b"{\\rtf1\\ansi \\u25919?\\u24220? report}", "old.rtf")


def test_odt_goes_to_libreoffice(no_soffice: None) -> None:
    odt = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})
    with pytest.raises(MissingDependency):
        gongkai.parse_bytes(odt, "x.odt")


def test_excel_ole_is_named() -> None:
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "Workbook".encode("utf-16-le")
    with pytest.raises(UnsupportedFormat) as e:
        read_legacy_office(xls, "x.xls")
    assert "Excel" in e.value.message


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_rtf_converted_by_libreoffice() -> None:
    rtf = (
        "{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0 "
        "\\u26576?\\u23616?2022\\u24180?\\u25919?\\u24220?\\u20449?\\u24687?\\u20844?\\u24320?\\u24037?\\u20316?\\u24180?\\u24230?\\u25253?\\u21578?\\par "
        "\\trowd\\cellx2000\\cellx4000 \\u35268?\\u31456?\\cell 5\\cell\\row }"
    )
    doc = read_legacy_office(rtf.encode("ascii"), "x.rtf")
    assert doc.media_type == "application/rtf"
    texts = [b.text for b in doc.blocks]
    assert "某局2022年政府信息公开工作年度报告" in texts and "规章" in texts and "5" in texts


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_doc_round_trip_through_libreoffice(tmp_path: Path) -> None:
    """An official-layout report saved as legacy .doc reads back exactly (merged cells too)."""
    import subprocess

    cells = OL.consistent_cells("2021", seed=61)
    src = tmp_path / "r.docx"
    OL.report_docx(spec("2021", cells), src)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            find_soffice() or "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    report = gongkai.parse(tmp_path / "r.doc")
    assert report.media_type == "application/msword"
    assert (report.issuing_body, report.report_year, report.format) == ("某某县科学技术局", 2022, "2021")
    assert_cells(report, cells)
    assert any(f.rule == "CONVERTED" for f in report.findings)


def _fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "soffice"
    exe.write_text("#!/bin/sh\n" + script + "\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


RTF = b"{\\rtf1\\ansi report}"


def test_libreoffice_hang_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.errors import Timeout
    from gongkai.read import legacy

    sleep = shutil.which("sleep") or "/bin/sleep"
    _fake_soffice(tmp_path, monkeypatch, f"{sleep} 30 & {sleep} 30")  # a helper process too: the group is killed
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT_S", 0.5)
    t = time.monotonic()
    with pytest.raises(Timeout) as e:
        read_legacy_office(RTF, "x.rtf")
    assert time.monotonic() - t < 5 and "LibreOffice" in e.value.message


def test_libreoffice_failure_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2; exit 1")
    with pytest.raises(CorruptDocument) as e:
        read_legacy_office(RTF, "x.rtf")
    assert "could not be loaded" in e.value.message


def test_libreoffice_without_output_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "exit 0")
    with pytest.raises(CorruptDocument) as e:
        read_legacy_office(RTF, "x.rtf")
    assert "无法转换" in e.value.message


def test_static_sample_docx() -> None:
    """A 2019-format report with blank marks (tests/files/docx), with its true cells beside it."""
    import json

    want = json.loads((HERE / "files" / "docx" / "official-2019.json").read_text(encoding="utf-8"))
    report = gongkai.parse(HERE / "files" / "docx" / "official-2019.docx")
    assert (report.issuing_body, report.report_year, report.format) == (want["issuing_body"], want["report_year"], want["format"])
    assert_cells(report, want["cells"])
