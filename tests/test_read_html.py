"""The HTML reader: official merged-cell layouts round-trip exactly; encodings, site chrome,
<p> soup, layout tables, list pages, several reports, and hostile pages are handled."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

import gongkai
from gongkai.errors import DecodeError, GongkaiError, InputTooLarge, UnsupportedFormat
from gongkai.read.grid import MAX_BLOCKS
from gongkai.read.html import GridCell, ListPage, expand_grid, read_html
from gongkai.settings import Settings
from helpers import assert_same_cells, load_official_layout

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "shared" / "corpus"





OL = load_official_layout()



def spec(fmt: str, cells: dict, body: str = "某某县科学技术局", year: int | None = None):  # type: ignore[no-untyped-def]
    return OL.ReportSpec(
        body,
        year or (2022 if fmt == "2021" else 2020),
        fmt,
        cells,
        ["本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。"],
        ["（一）存在问题。公开力度有待加强。", "（二）改进措施。进一步规范公开流程。"],
        ["本年度未收取信息处理费。"],
    )


assert_cells = assert_same_cells


def parse_html(text: str, tmp_path: Path, name: str = "r.html", encoding: str = "utf-8", settings: Settings | None = None):  # type: ignore[no-untyped-def]
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return gongkai.parse(p, settings or Settings())


# ------------------------------------------------------------------ official layouts
@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("kind", ["numbers", "zeros"])
def test_official_layout_round_trip(fmt: str, kind: str, tmp_path: Path) -> None:
    cells = OL.consistent_cells(fmt, seed=7) if kind == "numbers" else dict.fromkeys(OL.keys(fmt), 0)
    report = parse_html(OL.report_html(spec(fmt, cells)), tmp_path)
    assert (report.issuing_body, report.format, report.media_type) == ("某某县科学技术局", fmt, "text/html")
    assert report.report_year == (2022 if fmt == "2021" else 2020)
    assert_cells(report, cells)
    assert not [f for f in report.findings if f.source == "extraction" and f.severity != "info"]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_blank_marks_round_trip(fmt: str, tmp_path: Path) -> None:
    rnd = random.Random(11)
    cells = {k: (None if rnd.random() < 0.3 else v) for k, v in OL.consistent_cells(fmt, seed=3).items()}
    report = parse_html(OL.report_html(spec(fmt, cells), blank="/"), tmp_path)
    assert_cells(report, cells)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_empty_cells_round_trip(fmt: str, tmp_path: Path) -> None:
    """&nbsp; cells are blank cells (null), in any pattern, including a trailing 总计."""
    rnd = random.Random(5)
    cells = {k: (None if rnd.random() < 0.3 else v) for k, v in OL.consistent_cells(fmt, seed=4).items()}
    report = parse_html(OL.report_html(spec(fmt, cells)), tmp_path)
    assert_cells(report, cells)


def test_all_blank_tables(tmp_path: Path) -> None:
    cells = dict.fromkeys(OL.keys("2021"))
    report = parse_html(OL.report_html(spec("2021", cells)), tmp_path)
    assert_cells(report, cells)


def _labelled() -> list[dict]:
    import json

    if not (CORPUS / "labels").exists():
        return []
    out = []
    for p in sorted((CORPUS / "labels").glob("*.json")):
        lab = json.loads(p.read_text(encoding="utf-8"))
        if lab["path"].startswith("seeds/"):
            out.append(lab)
    return out


def _seed_narrative(lab: dict) -> tuple[list[str], list[str], list[str]]:
    seed = gongkai.parse(CORPUS / lab["path"])

    def lines(key: str) -> list[str]:
        text = seed.sections.get(key, "")
        return [x for x in text.split("\n")[1:] if len(x) > 12 and "\t" not in x][:4] or ["无。"]

    return lines("overview"), lines("problems"), lines("other")


@pytest.mark.skipif(not _labelled(), reason="shared corpus not present")
@pytest.mark.parametrize("lab", _labelled(), ids=lambda lab: lab["path"])
def test_corpus_labels_round_trip(lab: dict, tmp_path: Path) -> None:
    """Each labelled seed report, rebuilt as an official-layout web page from its own
    narrative and its true cells, reads back exactly."""
    overview, problems, other = _seed_narrative(lab)
    r = OL.ReportSpec(lab["issuing_body"], lab["report_year"], lab["format"], lab["cells"], overview, problems, other)
    report = parse_html(OL.report_html(r, blank="/"), tmp_path)
    assert (report.issuing_body, report.report_year, report.format) == (lab["issuing_body"], lab["report_year"], lab["format"])
    assert_cells(report, lab["cells"])


def test_merged_cells_expand_to_grid_positions(tmp_path: Path) -> None:
    doc = read_html(OL.report_html(spec("2021", OL.consistent_cells("2021"))).encode(), "x.html")
    rows = [r for r in doc.rows() if r[0].origin.table == 1]  # table 3
    by_label = {r[0].text or r[1].text or r[2].text: r for r in rows}
    first = next(r for r in rows if r[0].text.startswith("一、本年新收"))
    assert [b.text for b in first][:3] == ["一、本年新收政府信息公开申请数量", "", ""]
    assert len(first) == 10 and [b.origin.col for b in first[3:]] == list(range(3, 10))
    secret = next(r for r in rows if any(b.text == "2.其他法律行政法规禁止公开" for b in r))
    assert [b.text for b in secret[:3]] == ["", "", "2.其他法律行政法规禁止公开"]
    # the covered positions carry the merged cell's own origin (row 5: 三、本年度办理结果)
    assert (secret[0].origin.row, secret[0].origin.col) == (5, 0)
    assert secret[3].origin.to_json()["table"] == 1 and secret[3].origin.col == 3
    assert "本年新收政府信息公开申请数量" in "".join(by_label)


def test_br_inside_cell_is_joined() -> None:
    doc = read_html(OL.report_html(spec("2019", OL.consistent_cells("2019"))).encode(), "x.html")
    texts = [b.text for b in doc.blocks]
    assert "本年新制作数量" in texts and "商业企业" in texts
    assert "本年新" not in texts


# ------------------------------------------------------------------ encodings
def test_gbk_page_declared_gb2312(tmp_path: Path) -> None:
    cells = OL.consistent_cells("2021", seed=2)
    # 喆 and 镕 are GBK but not GB2312: pages that declare gb2312 use them anyway
    r = spec("2021", cells, body="喆镕县科学技术局")
    report = parse_html(OL.report_html(r, charset="gb2312"), tmp_path, encoding="gbk")
    assert report.encoding == "gb18030"
    assert report.issuing_body == "喆镕县科学技术局"
    assert_cells(report, cells)


def test_gbk_page_without_declaration_is_detected() -> None:
    page = OL.report_html(spec("2021", dict.fromkeys(OL.keys("2021"), 0))).replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', ""
    )
    doc = read_html(page.encode("gbk"), "x.html")
    assert doc.encoding == "gb18030"
    assert any("政府信息公开工作年度报告" in b.text for b in doc.blocks)


def test_wrong_declaration_does_not_garble_utf8() -> None:
    page = "<html><head><meta charset='gb2312'></head><body><p>某某局2021年政府信息公开工作年度报告</p></body></html>"
    doc = read_html(page.encode("utf-8"), "x.html")
    assert doc.encoding == "utf-8" and doc.blocks[0].text == "某某局2021年政府信息公开工作年度报告"


def test_undecodable_page_is_refused() -> None:
    junk = b"<html><body><p>" + bytes(range(128, 256)) * 400 + b"</p></body></html>"
    with pytest.raises(DecodeError):
        read_html(junk, "x.html", Settings(encoding="ascii"))


# ------------------------------------------------------------------ real-page structure
CHROME_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_某某县人民政府</title>
<script>var x = "一、本年新收政府信息公开申请数量";</script><style>.a{{color:red}}</style></head>
<body>
<div class="header"><div class="logo">某某县人民政府</div>
  <ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/xxgk/">政府信息公开</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; 年度报告</div>
<table class="xxgk_info"><tr><td>索引号：</td><td>11640221MB1234567X/2023-00012</td><td>信息分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>某某县科学技术局</td><td>发布日期：</td><td>2023-01-18</td></tr></table>
<div class="article">
 <h2 class="article-title">{title}</h2>
 <div class="share">分享到：微信 微博</div>
 <div id="zoom" class="TRS_Editor">
  <div style="display:none">澳门博彩 人妻无码 在线观看</div>
  {body}
  <p>澳门威尼斯人娱乐城 体育投注 百家乐</p>
 </div>
 <div class="related"><h3>相关链接</h3><ul>
   <li><a href="/x/2021.html">某某县科学技术局2021年政府信息公开工作年度报告</a></li>
   <li><a href="/x/2020.html">某某县科学技术局2020年政府信息公开工作年度报告</a></li></ul></div>
</div>
<div class="footer"><p>主办单位：某某县人民政府办公室 地址：某某县人民路1号 电话：0951-1234567</p><p>网站标识码 6401000001 宁ICP备12345678号</p></div>
</body></html>"""


def test_report_inside_site_chrome(tmp_path: Path) -> None:
    cells = OL.consistent_cells("2021", seed=9)
    r = spec("2021", cells)
    body = OL.report_html_body(r).replace('<h1 class="title">某某县科学技术局2022年政府信息公开工作年度报告</h1>', "")
    page = CHROME_PAGE.format(title="某某县科学技术局2022年政府信息公开工作年度报告", body=body)
    report = parse_html(page, tmp_path)
    assert (report.issuing_body, report.report_year, report.format) == ("某某县科学技术局", 2022, "2021")
    assert report.publication_date == "2023-01-18"
    assert_cells(report, cells)
    doc = gongkai.read_file(tmp_path / "r.html")
    text = doc.text()
    for chrome in ("首页", "当前位置", "主办单位", "ICP", "分享到", "相关链接", "2021年政府信息公开", "var x", "澳门博彩"):
        assert chrome not in text, chrome
    assert text.index("发布日期") < text.index("某某县科学技术局2022年政府信息公开工作年度报告") < text.index("一、总体情况")


def test_p_soup_report(tmp_path: Path) -> None:
    """Tables typed as one <p> per cell (no <table>): each line is a row of one block."""
    cells = OL.consistent_cells("2019", seed=12)
    report = parse_html(OL.report_html(spec("2019", cells), soup=True), tmp_path)
    assert report.format == "2019"
    assert_cells(report, cells)
    doc = gongkai.read_file(tmp_path / "r.html")
    assert all(len(row) == 1 for row in doc.rows())


def test_div_and_br_lines() -> None:
    page = "<html><body><div>一、总体情况<br>第一行<br/>第二行</div><div><span>第</span><span>三行</span></div></body></html>"
    doc = read_html(page.encode(), "x.html")
    assert [b.text for b in doc.blocks] == ["一、总体情况", "第一行", "第二行", "第三行"]
    assert len({b.row for b in doc.blocks}) == 4


def test_nested_layout_tables(tmp_path: Path) -> None:
    """A page laid out with tables: the data tables inside are found and numbered alone."""
    cells = OL.consistent_cells("2021", seed=21)
    inner = OL.report_html_body(spec("2021", cells))
    page = f"""<html><head><meta charset="utf-8"></head><body>
    <table width="1000"><tr><td colspan="2"><img src="banner.jpg">某某县人民政府门户网站</td></tr>
    <tr><td width="200"><table><tr><td><a href="/a">机构概况</a></td></tr><tr><td><a href="/b">政策文件</a></td></tr></table></td>
        <td><table width="100%"><tr><td>{inner}</td></tr></table></td></tr>
    <tr><td colspan="2">版权所有：某某县人民政府</td></tr></table></body></html>"""
    report = parse_html(page, tmp_path)
    assert (report.issuing_body, report.report_year) == ("某某县科学技术局", 2022)
    assert_cells(report, cells)
    doc = gongkai.read_file(tmp_path / "r.html")
    assert {b.origin.table for b in doc.blocks if b.origin.table is not None} == {0, 1, 2}
    assert "版权所有" not in doc.text() and "机构概况" not in doc.text()


def test_index_page_is_refused_with_links(tmp_path: Path) -> None:
    items = "".join(
        f'<li><a href="/xxgk/ndbg/{y}.html">某某县{y}年政府信息公开工作年度报告</a><span>{y + 1}-01-20</span></li>'
        for y in range(2010, 2024)
    )
    page = f'<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="/">首页</a></div><h2>政府信息公开年报</h2><ul class="list">{items}</ul></body></html>'
    p = tmp_path / "list.html"
    p.write_text(page, encoding="utf-8")
    with pytest.raises(ListPage) as e:
        gongkai.parse(p)
    assert isinstance(e.value, UnsupportedFormat)
    msg = e.value.message
    assert "列表" in msg and "某某县2010年政府信息公开工作年度报告" in msg and "/xxgk/ndbg/2019.html" in msg
    assert msg.count("年度报告（") == 10 and "共 14 个链接" in msg
    assert len(e.value.links) == 14


def test_index_page_links_resolved_against_url() -> None:
    page = '<html><body><a href="2022.html">某局2022年政府信息公开工作年度报告</a><a href="2021.html">某局2021年政府信息公开工作年度报告</a></body></html>'
    with pytest.raises(ListPage) as e:
        read_html(page.encode(), "https://www.example.gov.cn/xxgk/ndbg/index.html")
    assert e.value.links[0] == ("某局2022年政府信息公开工作年度报告", "https://www.example.gov.cn/xxgk/ndbg/2022.html")


def test_several_reports_on_one_page(tmp_path: Path) -> None:
    first = OL.consistent_cells("2021", seed=31)
    second = OL.consistent_cells("2021", seed=32)
    page = (
        '<html><head><meta charset="utf-8"></head><body>'
        + OL.report_html_body(spec("2021", first, body="甲县科学技术局"))
        + OL.report_html_body(spec("2021", second, body="乙县科学技术局"))
        + "</body></html>"
    )
    report = parse_html(page, tmp_path)
    assert report.issuing_body == "甲县科学技术局"
    assert_cells(report, first)
    multi = [f for f in report.findings if f.rule == "MULTIPLE_REPORTS"]
    assert multi and multi[0].source == "extraction" and multi[0].severity == "warning" and "2 份" in multi[0].message


# ------------------------------------------------------------------ bounds
def test_huge_page_refused_quickly() -> None:
    data = b"<html><body>" + b"<p>x</p>" * (100 * 1024 * 1024 // 8) + b"</body></html>"
    t = time.monotonic()
    with pytest.raises(InputTooLarge) as e:
        read_html(data, "big.html")
    assert time.monotonic() - t < 1.0
    assert "超过上限" in e.value.message


def test_absurd_spans_are_bounded() -> None:
    page = "<table><tr><td rowspan=100000 colspan=100000>规章</td><td>1</td></tr>" + "<tr><td>2</td></tr>" * 50 + "</table>"
    t = time.monotonic()
    doc = read_html(page.encode(), "x.html")
    assert time.monotonic() - t < 2.0
    assert len(doc.blocks) < 50_000
    assert any(f.rule == "TABLE_TRUNCATED" for f in doc.findings)


def test_expand_grid_bounds_rowspan_to_table() -> None:
    rows, cut = expand_grid([[GridCell("三、本年度办理结果", rowspan=100000), GridCell("5")], [GridCell("6")]], 0)
    assert not cut  # rowspan beyond the table's end is clamped, as browsers do
    assert [[t for t, _ in r] for r in rows] == [["三、本年度办理结果", "5"], ["", "6"]]


def test_deep_nesting_is_bounded() -> None:
    page = "<html><body>" + "<div>" * 50000 + "深" + "</div>" * 50000 + "<p>尾</p></body></html>"
    t = time.monotonic()
    read_html(page.encode(), "x.html")
    assert time.monotonic() - t < 5.0


def test_many_cells_bounded() -> None:
    row = "<tr>" + "<td>1</td>" * 20 + "</tr>"
    page = "<html><body>" + ("<table>" + row * 200 + "</table>") * 40 + "</body></html>"
    doc = read_html(page.encode(), "x.html")
    assert any(f.rule == "INPUT_TRUNCATED" for f in doc.findings)
    assert len(doc.blocks) <= MAX_BLOCKS


def test_text_bounded_by_settings() -> None:
    page = "<html><body>" + "<p>政府信息公开工作的文字。</p>" * 20000 + "</body></html>"
    doc = read_html(page.encode(), "x.html", Settings(max_text_chars=10_000))
    assert any(f.rule == "INPUT_TRUNCATED" for f in doc.findings)
    assert sum(len(b.text) for b in doc.blocks) <= 10_000


def test_empty_page_reads_as_nothing() -> None:
    with pytest.raises(GongkaiError):
        gongkai.parse_bytes(b"<html><body></body></html>", "x.html", Settings(strict=True))
    assert read_html(b"<html></html>", "x.html").blocks == []


# ------------------------------------------------------------------ layouts seen on real sites
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_header_cells_repeated_as_empty_cells(fmt: str, tmp_path: Path) -> None:
    """Editors often write the header as empty cells under 自然人/总计 and 结果维持… instead
    of rowspans."""
    cells = OL.consistent_cells(fmt, seed=51)
    page = "<html><head><meta charset='utf-8'></head><body>" + OL.report_html_body(spec(fmt, cells), flat=True) + "</body></html>"
    assert_cells(parse_html(page, tmp_path), cells)


def test_word_exported_html(tmp_path: Path) -> None:
    """'Save as web page' from Word: MsoNormal paragraphs, <o:p>, conditional comments,
    spans split mid-number, a zero-height column-width row after each table."""
    cells = OL.consistent_cells("2021", seed=52)
    body = OL.report_html_body(spec("2021", cells))
    body = body.replace("<td", "<td width=57 valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'")
    body = body.replace(
        "<p><span>", "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:10.5pt'>"
    )
    body = body.replace("</span></p>", "<o:p></o:p></span></p>")
    body = body.replace("2022年政府信息公开", "<span lang=EN-US>20</span><span lang=EN-US>22</span>年政府信息公开")
    body = body.replace(
        "</table>",
        "<![if !supportMisalignedColumns]><tr height=0><td width=57 style='border:none'></td><td width=40 style='border:none'></td></tr><![endif]></table>",
    )
    page = (
        "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta http-equiv=Content-Type content='text/html; charset=gb2312'>"
        "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>张三</o:Author></o:DocumentProperties></xml><![endif]-->"
        f"</head><body lang=ZH-CN style='tab-interval:21.0pt'><div class=WordSection1>{body}</div></body></html>"
    )
    report = parse_html(page, tmp_path, encoding="gbk")
    assert (report.issuing_body, report.report_year) == ("某某县科学技术局", 2022)
    assert_cells(report, cells)


def test_report_as_attachment_is_refused_with_link() -> None:
    page = (
        "<html><body><div class='nav'><a href='/'>首页</a></div><h1>某某局2022年政府信息公开工作年度报告</h1>"
        "<p>发布日期：2023-01-20</p><p>附件：<a href='/upload/2023/ndbg.pdf'>某某局2022年政府信息公开工作年度报告.pdf</a></p></body></html>"
    )
    with pytest.raises(ListPage) as e:
        read_html(page.encode(), "http://www.example.gov.cn/art/2023/1/20/art_1.html")
    assert "附件" in e.value.message and "http://www.example.gov.cn/upload/2023/ndbg.pdf" in e.value.message


def test_pdf_in_iframe_is_refused_with_link() -> None:
    page = "<html><body><h1>某某局2022年政府信息公开工作年度报告</h1><iframe src='/pdfjs/web/viewer.html?file=/u/r.pdf'></iframe><embed src='/u/r.pdf'></body></html>"
    with pytest.raises(ListPage) as e:
        read_html(page.encode(), "x.html")
    assert "/u/r.pdf" in e.value.message


def test_metadata_spans_run_together(tmp_path: Path) -> None:
    cells = OL.consistent_cells("2021", seed=53)
    page = (
        "<html><head><meta charset='utf-8'></head><body><div class='top'><a href='/'>首页</a></div>"
        "<div class='info'><span>索引号：11640221/2023-00012</span><span>发布机构：某某县科学技术局</span>"
        "<span>发布日期：2023-02-03</span><span>信息来源：本局</span></div>"
        f"<div class='content'>{OL.report_html_body(spec('2021', cells))}</div></body></html>"
    )
    report = parse_html(page, tmp_path)
    assert report.publication_date == "2023-02-03"
    assert_cells(report, cells)
    lines = [r[0].text for r in gongkai.read_file(tmp_path / "r.html").rows()[:4]]
    assert lines[:4] == ["索引号：11640221/2023-00012", "发布机构：某某县科学技术局", "发布日期：2023-02-03", "信息来源：本局"]


def test_pre_keeps_lines_and_tabs() -> None:
    doc = read_html("<html><body><pre>一、总体情况\n规章\t0\t1\t2\n</pre></body></html>".encode(), "x.html")
    assert [[b.text for b in r] for r in doc.rows()] == [["一、总体情况"], ["规章", "0", "1", "2"]]


def test_big5_page() -> None:
    page = "<html><head><meta charset='big5'></head><body><p>某某局2022年政府資訊公開工作年度報告</p></body></html>"
    doc = read_html(page.encode("big5"), "x.html")
    assert doc.encoding == "big5hkscs" and doc.blocks[0].text == "某某局2022年政府資訊公開工作年度報告"


def test_report_split_over_sibling_containers(tmp_path: Path) -> None:
    """Sections 五 and 六 in a second container (a paged article) are not left behind."""
    cells = OL.consistent_cells("2021", seed=54)
    body = OL.report_html_body(spec("2021", cells))
    head, tail = body.split("<p>五、")
    page = (
        "<html><head><meta charset='utf-8'></head><body><div class='nav'><a href='/'>首页</a></div>"
        f"<div class='wrap'><div class='page1'>{head}</div><div class='page2'><p>五、{tail}</div></div>"
        "<div class='article-head'><p>某某县科学技术局2022年政府信息公开工作年度报告</p></div></body></html>"
    )
    report = parse_html(page, tmp_path)
    assert set(report.sections) == {"overview", "proactive", "applications", "remedies", "problems", "other"}
    assert "信息处理费" in report.sections["other"]
    assert_cells(report, cells)


def test_title_block_named_like_chrome_is_kept(tmp_path: Path) -> None:
    cells = OL.consistent_cells("2021", seed=55)
    body = OL.report_html_body(spec("2021", cells)).replace(
        '<h1 class="title">某某县科学技术局2022年政府信息公开工作年度报告</h1>',
        '<div class="article-head"><h1>某某县科学技术局2022年政府信息公开工作年度报告</h1><span>来源：本局</span></div>',
    )
    report = parse_html(
        f"<html><head><meta charset='utf-8'><title>首页</title></head><body><div class='content'>{body}</div></body></html>",
        tmp_path,
    )
    assert report.title == "某某县科学技术局2022年政府信息公开工作年度报告"
    assert (report.issuing_body, report.report_year) == ("某某县科学技术局", 2022)


def test_narrative_sentence_is_not_a_second_report() -> None:
    r = spec("2021", OL.consistent_cells("2021", seed=56))
    r.overview.append("本年新收政府信息公开申请数量较上年有所增加，全部按期答复。")
    doc = read_html(OL.report_html(r).encode(), "x.html")
    assert doc.meta["reports_on_page"] == 1
    assert not [f for f in doc.findings if f.rule == "MULTIPLE_REPORTS"]


def test_static_sample_page() -> None:
    """A GBK page in site chrome (tests/files/html), with its true cells beside it."""
    import json

    want = json.loads((HERE / "files" / "html" / "official-2021-gbk.json").read_text(encoding="utf-8"))
    report = gongkai.parse(HERE / "files" / "html" / "official-2021-gbk.html")
    assert (report.issuing_body, report.report_year, report.format, report.publication_date) == (
        want["issuing_body"],
        want["report_year"],
        want["format"],
        want["publication_date"],
    )
    assert_cells(report, want["cells"])
    text = gongkai.read_file(HERE / "files" / "html" / "official-2021-gbk.html").text()
    assert "索引号：000014349/2024-00007" in text and "打印本页" not in text and "版权所有" not in text


def test_linked_title_in_sidebar_is_not_the_title(tmp_path: Path) -> None:
    cells = OL.consistent_cells("2021", seed=57)
    body = OL.report_html_body(spec("2021", cells)).replace(
        '<h1 class="title">某某县科学技术局2022年政府信息公开工作年度报告</h1>', ""
    )
    page = (
        "<html><head><meta charset='utf-8'><title>某某县科学技术局2022年政府信息公开工作年度报告</title></head><body>"
        "<div class='latest'>最新：<a href='/1'>乙县交通运输局2019年政府信息公开工作年度报告</a></div>"
        f"<div class='content'>{body}</div></body></html>"
    )
    report = parse_html(page, tmp_path)
    assert (report.issuing_body, report.report_year) == ("某某县科学技术局", 2022)
