"""Real published pages (issue 13): small excerpts of real 政府信息公开工作年度报告 pages, each
cited in tests/files/real/README.md, read end to end. The tests are named after the class
each page shows: the publisher, pre-2019 prose figures, pipe tables, excerpts.

What each expects was read off the page by hand: a body is the one the page states (or
absent when it states none), a number is the one printed there.
"""

from __future__ import annotations

import pytest

from gongkai.api import parse, parse_bytes
from helpers import FILES

REAL = FILES / "real"


def real(name: str):  # type: ignore[no-untyped-def]
    return parse(str(REAL / name))


def rules(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.rule for f in report.findings}


# ---------------------------------------------------------------- the publisher
@pytest.mark.parametrize(
    ("name", "body", "source"),
    [
        ("suzhou2016.txt", "宿州市人民政府", "title"),  # a title on two lines
        ("daoxian2013.txt", "道县文广新局", "title"),  # a title on two lines
        ("taizhou2017.txt", "泰州市人民政府", "self"),  # the title restated in the prose
        ("bzqc2014.txt", "谯城区政务服务中心", "self"),  # the title restated in the prose
        ("nanping2012.txt", "南平市人民政府", "self"),  # 某某市人民政府信息公开工作领导小组
        ("wenchang2016.txt", "文昌市龙楼镇人民政府", "self"),
        ("fzja2016.txt", "福州市晋安区", "title"),
        ("erlang2022.txt", "重庆市九龙坡区二郎街道办事处", "title"),
        ("jiuyuan2022.txt", "九原区政务服务局", "heading"),
        ("puning2023.txt", "普宁市公安局", "self"),
        ("changchun2023.txt", "长春市公安局", "self"),
        ("yunnan2023.txt", "云南省公安厅", "self"),
        ("dazu2022.txt", "重庆市大足区人民政府外事办公室", "title"),  # …政府信息公开工作2022年度报告
        ("shanghai2022.txt", "上海市", "title"),  # the year first: 2022年上海市政府信息公开…
        ("ziyang2022.txt", "资阳市同城化发展工作局", "self"),  # a 工作局: an organisation, not the work
        ("guangzhou2012_trad.txt", "广州市人民政府", "signature"),  # the cover's name over its date
        ("guangzhou2023.txt", "广州市人民政府办公厅", "self"),  # 现公布某某厅2023年…报告
        ("guangdong2023.txt", "广东省人民政府办公厅", "self"),  # the same, no heading left
        ("beiyinhe2022.txt", "五常市背荫河镇", "title"),  # a town with its city
        ("taiping2022.txt", "太平镇人民政府", "title"),  # a town without its county
        ("xizhen2022.txt", "螅镇", "title"),  # the year first, a town of one character
        ("baicheng2024.txt", "白城市农业农村局", "self"),  # the prose title and its 领导小组 agree
        ("tangcun2010.txt", "唐村镇", "title"),  # a town without its city
        ("wulong2011.txt", "武隆县人民政府", "title"),  # the title in an infobox row's value cell
        ("bjxfb2009_trad.txt", "北京市信访办", "self"),  # 由北京市信訪辦編制, traditional
        ("chuanzhu2019.txt", "川主乡", "title"),  # the year first, a 乡 without its county
        ("customsbj2020.txt", "海关总署", "title"),  # 海关总署(本级机关)2020年…: a note of scope
        ("suqian2017.txt", "宿迁市", "title"),  # 名称 宿迁市2017年…: a metadata key set off by a space
    ],
)
def test_publisher_real_pages(name: str, body: str, source: str) -> None:
    r = real(name)
    assert (r.issuing_body, r.confidence["issuing_body"]) == (body, source)
    assert "BODY_UNKNOWN" not in rules(r)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("shandong2023.txt", "山东省人民政府办公厅"),  # 一、总体情况 / 2023年,山东省人民政府办公厅以…
        ("cidca2023_trad.txt", "国家国际发展合作署"),  # the page's first words, traditional; 我署 after
    ],
)
def test_publisher_real_pages_named_as_the_intros_subject(name: str, body: str) -> None:
    # named once, as the subject of the report's own intro: neither a title nor a cited body
    r = real(name)
    assert (r.issuing_body, r.confidence["issuing_body"]) == (body, "self")
    assert "BODY_UNKNOWN" not in rules(r)


@pytest.mark.parametrize(
    "name",
    [
        "hainan2014.txt",  # 我局 only
        "seismo2010_trad.txt",  # 我局 only, traditional script
        "jiancha2014_trad.txt",  # **市監察局: the place masked
        "zssrmzf2012_trad.txt",  # 我局 only, traditional script
        "wenwu2017.txt",  # 本局 only
        "hanyang2022.txt",  # 我办, 区政府办公室: no place
        "hebei2022.txt",  # 区政府政务服务办: no place
        "lintong2022.txt",  # 物流区: no organisation
        "gaochun2022.txt",  # 由某某区人民政府办公室汇总编制: the compiler, not the body
        "tongji2023.txt",  # 现公布区统计局2023年…报告: a prose title without a place
        "xinfang2021.txt",  # 由信访局…编制: no place
        "laifeng2021.txt",  # named only in 如有疑问请与…: a contact, not a self-reference
        "pingwu2021.txt",  # 县统计局; 《平武县人民政府办公室关于…的通知》 is cited
        "shanghai2012_trad.txt",  # traditional script: 市政府辦公廳 without a place, 國務院 cited
        "yangling2022.txt",  # 我局; 示范区管委会网站 is a channel
        "changchun_js2023.txt",  # 我局 only
        "wuhan2020_trad.txt",  # the title only in the URL; 我局
        "bjmssf2022.txt",  # a gambling site's name where the place was, 市合作交流办 without a place
        "hadhgd2021.txt",  # the title's body a gambling site's name
        "lishui2017.txt",  # a portal (channel) and a contact line only
        "qiaokou2023.txt",  # 现公开区人民政府办公室2023年…报告: no place; the place only in the contact
        "xiangyang2023.txt",  # 区政府办; 请联系:向阳区人民政府办公室 is a contact
        "chuanshan2023.txt",  # 区政府办公室 without a place
        "shenji2022.txt",  # 我局; 局政务网站 is a channel
        "qianjiang2023.txt",  # 全区 only
        "ccxi2022.txt",  # 我局; 管委会网站 is a channel
        "qinhuai2014.txt",  # 由某某区人民政府办公室综合…编制而成: the compiler; a contact line
        "saintpaul2023.txt",  # 我局
        "cqsdj2022.txt",  # 我镇
        "xuwen2024.txt",  # 我局
        "ouhai2024.txt",  # 我局; 某某区人民政府办公室《关于…通知》 is cited
        "nanlukou2023.txt",  # 我镇
        "guanzhou2023.txt",  # 在区委、区政府的坚强领导下,官洲街道办事处…: no place
    ],
)
def test_publisher_real_pages_without_a_stated_body_leave_it_absent(name: str) -> None:
    r = real(name)
    assert r.issuing_body is None
    assert "BODY_UNKNOWN" in rules(r)


# ---------------------------------------------------------------- pre-2019 prose figures
@pytest.mark.parametrize(
    ("name", "year", "figures"),
    [
        # 没有关于信息公开的收费及减免情况: no fee, in the 2008 form's words
        ("daoxian2013.txt", 2013, {"proactive.total": 5, "review.total": 0, "litigation.total": 0, "fees.amount": 0}),
        ("bzqc2014.txt", 2014, {"proactive.total": 78}),
        # 收到12起政府信息依申请公开: the number before what was received
        ("hainan2014.txt", 2014, {"applications.received": 12, "review.total": 0, "litigation.total": 0, "fees.amount": 0}),
        (
            "wenwu2017.txt",
            2017,
            {"applications.received": 10, "applications.handled": 9, "review.total": 0, "fees.amount": 0},
        ),
        # the 2008 form's own words: 没有接到…要求公开政府信息的申请, 政府信息公开没有收费,
        # 未发生…行政复议案、行政诉讼案和有关的申诉案
        ("tangcun2010.txt", 2010, {"applications.received": 0, "review.total": 0, "litigation.total": 0, "fees.amount": 0}),
        # 未接到…依申请公开政府信息的申请, 未发生…收费和减免事项, 没有发生…行政复议案 / …行政诉讼案;
        # 通过政府门户网站…公开政府信息2361条 is a channel's count, not 主动公开
        ("wulong2011.txt", 2011, {"applications.received": 0, "review.total": 0, "litigation.total": 0, "fees.amount": 0}),
        # traditional script: 未收取費用, 未產生…行政複議與行政訴訟
        (
            "seismo2010_trad.txt",
            2010,
            {"proactive.total": 175, "applications.received": 0, "review.total": 0, "litigation.total": 0, "fees.amount": 0},
        ),
        # traditional, with pinyin: 主動公開政府信息(綜合政務類)287條 (a note in brackets), 行政復議案0件
        ("jiancha2014_trad.txt", 2014, {"proactive.total": 287, "review.total": 0, "litigation.total": 1}),
        # traditional with Taiwan's phrases: 主動公開政府資訊19條 (資訊 for 信息), stated twice alike
        (
            "bjxfb2009_trad.txt",
            2009,
            {"proactive.total": 19, "applications.received": 6, "applications.handled": 6, "review.total": 3},
        ),
        # traditional: 未收到申請公開政府信息件 (0); 2012年,全局累計主動公開…12條 is not read (累计 not
        # within the year in words); 未收到…投訴及…提起行政訴訟和行政申訴情況 mixes subjects: not read
        ("zssrmzf2012_trad.txt", 2012, {"applications.received": 0}),
        ("suzhou2016.txt", 2016, {}),  # the excerpt stops before any figure
        ("lishui2017.txt", 2017, {}),  # 一、概述 only: no figure stated
        ("guangzhou2012_trad.txt", 2012, {}),  # traditional with pinyin; the year from the period
        ("qinhuai2014.txt", 2014, {}),
    ],
)
def test_pre2019_real_pages_prose_figures(name: str, year: int, figures: dict) -> None:
    r = real(name)
    assert (r.format, r.report_year) == ("pre2019", year)
    assert r.narrative == figures
    assert r.cells == {}
    out = r.to_json(full=False)
    assert out.get("narrative", {}) == figures


# ---------------------------------------------------------------- pipe tables on real pages
def test_pipe_tables_real_pages_cut_off_mid_table() -> None:
    r = real("hebei2022.txt")
    got = r.values()
    assert got["t2.licensing.decisions"] == 1517
    assert [got[f"t3.received.{c}"] for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")] == [
        1, 0, 0, 0, 0, 3, 4,
    ]
    assert got["t3.disclosed.total"] == 4 and got["t3.carried_over.total"] == 0
    j = real("jiuyuan2022.txt").values()
    assert j["t3.received.total"] == 1 and j["t3.withheld.security_stability.total"] == 0
    assert all(v == 0 for k, v in j.items() if not k.startswith("t3.received"))


@pytest.mark.parametrize("name", ["gaochun2022.txt", "puning2023.txt", "yunnan2023.txt"])
def test_excerpt_real_page_of_prose_only_is_a_report(name: str) -> None:
    # no title and no table, but its prose states its own figures or names its own body:
    # not the official template nor its notice
    r = real(name)
    assert "NOT_A_REPORT" not in rules(r)
    assert r.report_year in (2022, 2023) and r.cells == {}


def test_pipe_tables_real_pages_one_cell_per_line_with_blanks() -> None:
    # bare "|" lines are empty cells (blank, null), "/" is a blank mark, "|||" lines padding
    got = real("tongji2023.txt").values()
    assert [got[f"t2.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [None, None, None]
    assert [got[f"t2.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert got["t2.fees.amount"] == 0
    parts = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
    for row in ("received", "carried_over"):
        assert [got[f"t3.{row}.{c}"] for c in parts] == [None] * 6 and got[f"t3.{row}.total"] == 0
    x = real("xinfang2021.txt").values()  # a label line without its "|"
    assert x == {k: 0 for k in x} and len(x) == 9


def test_pipe_tables_real_page_rows_opened_by_a_bare_pipe() -> None:
    # each row opened by a bare "|" line, each cell closed by one ("规章 |" / "0 |"): the
    # bare "|" inside a row is its empty cell (规章 | 0 | 0 | |), the one before a label opens
    # the next row
    r = real("hanyang2022.txt")
    got = r.values()
    assert [got[f"t2.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, None]
    assert r.cells["t2.regulations.in_force"].status == "blank"
    assert [got[f"t2.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [5, 12, 8]
    assert [got[f"t2.{k}.decisions"] for k in ("licensing", "punishment", "enforcement")] == [0, 0, 0]
    assert got["t2.fees.amount"] == 0
    assert [got[f"t3.received.{c}"] for c in ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")] == [
        8, 0, 0, 0, 0, 0, 8,
    ]
    assert got["t3.carried_over.total"] == 0
    assert "AMBIGUOUS_LAYOUT" not in rules(r)


def test_worded_changes_real_page_one_cell_per_line() -> None:
    got = real("mirror2019.txt").values()
    assert [got[f"t2.licensing.{c}"] for c in ("previous", "change", "decisions")] == [6, -4, 2]
    assert (got["t2.procurement.items"], float(got["t2.procurement.amount"])) == (6, 52.15)
    assert got["t3.partially_disclosed.total"] == 0


def test_pipe_tables_real_page_cut_inside_a_row() -> None:
    r = real("longgang2024.txt")
    got = r.values()
    assert [got[f"t3.received.{c}"] for c in ("natural_person", "commercial", "legal_service", "total")] == [58, 7, 1, 66]
    assert got["t3.withheld.internal_affairs.total"] == 1 and got["t2.normative_docs.in_force"] == 25
    assert all(v == 0 for k, v in got.items() if k.startswith("t3.withheld.enforcement_file."))


def test_pre2019_real_page_in_traditional_script() -> None:
    r = real("shanghai2012_trad.txt")
    assert (r.format, r.report_year, r.script) == ("pre2019", 2012, "traditional")


def test_publisher_real_page_named_only_in_a_contact_sentence() -> None:
    # 请与平度市公安局(地址…)联系 and 我局: no body stated, and with neither a body, a title,
    # a table nor a stated figure the excerpt is not taken for a report at all
    r = real("pingdu2023.txt")
    assert r.issuing_body is None and r.cells == {}


@pytest.mark.parametrize("chrome", ["pipes", "colon"])
def test_excerpt_real_page_of_the_format_notice_is_not_a_report(chrome: str) -> None:
    # the page as posted (pipe-separated metadata), and with a 发布机构： line naming the
    # department that posted it: the notice and its blank template are no report either way
    text = (REAL / "notice2021.txt").read_text(encoding="utf-8")
    if chrome == "colon":
        text = text.replace("发布机构 | 宁国市商务局 | 发文日期 | 2021-10-08 15:47 |", "发布机构：宁国市商务局")
        assert "发布机构：" in text
    r = parse_bytes(text.encode("utf-8"), "notice.txt")
    assert "NOT_A_REPORT" in rules(r) and r.cells == {}
    # the department that posted it, from its metadata row either way (key and value cells)
    assert r.issuing_body == "宁国市商务局"


def test_publisher_real_page_infobox_row() -> None:
    # a mirror's infobox row, 中文名 | 某某报告 | 发布单位 | 某某 |: the title is the value cell,
    # not the row (the key 中文名 is no part of the name), and 发布单位's value is a metadata line
    r = real("wulong2011.txt")
    assert (r.issuing_body, r.report_year, r.format) == ("武隆县人民政府", 2011, "pre2019")


# ---------------------------------------------------------------- table 2 variants on real pages
def test_table2_variants_real_page_provincial_rows_in_traditional_script() -> None:
    # Hubei's 2019 form in a 2020 report, copied in traditional script with Taiwan's phrases
    # (規範性檔案): rows explained in brackets, the extra row 其他主动公开档案 read past, "-" a
    # blank, the empty 收费 row blank
    r = real("wuhan2020_trad.txt")
    assert (r.format, r.report_year, r.script) == ("2019", 2020, "traditional")
    got = r.values()
    want = {
        "regulations": [0, 0, 0],
        "normative_docs": [2, 2, 19],
        "licensing": [8, 5, 93],
        "other_services": [117, 0, 165],
        "punishment": [90, 0, 22],
        "enforcement": [4, 4, None],
    }
    for row, values in want.items():
        cols = ("made", "published", "total_published") if row in ("regulations", "normative_docs") else ("previous", "change", "decisions")
        assert [got[f"t2.{row}.{c}"] for c in cols] == values, row
    assert r.cells["t2.enforcement.decisions"].status == "blank"
    assert (got["t2.fees.previous"], got["t2.fees.change"]) == (None, None)
    assert not any(k.startswith("t3.") or k.startswith("t4.") for k in got)
    assert {"AMBIGUOUS_LAYOUT", "UNREAD_CELL"}.isdisjoint(rules(r))


def test_pipe_tables_real_page_one_cell_per_line_without_padding() -> None:
    got = real("ccxi2022.txt").values()
    assert [got[f"t2.{k}.decisions"] for k in ("licensing", "punishment", "enforcement")] == [1012, 2, 0]
    assert got["t2.fees.amount"] == 0 and len(got) == 10


@pytest.mark.parametrize("name", ["yangling2022.txt", "changchun_js2023.txt"])
def test_pipe_tables_real_pages_rows_with_and_without_their_opening_pipe(name: str) -> None:
    r = real(name)
    got = r.values()
    t2 = {k: v for k, v in got.items() if k.startswith("t2.")}
    assert t2 == dict.fromkeys(t2, 0) and len(t2) == 10
    if name == "changchun_js2023.txt":
        parts = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
        assert [got[f"t3.received.{c}"] for c in parts] == [3, 0, 0, 0, 0, 0, 3]
        assert [got[f"t3.carried_over.{c}"] for c in parts] == [0] * 7
        assert "TEXT_TABLE_MISMATCH" in rules(r)  # the page's prose says 2, its table 3


def test_excerpt_real_page_with_its_statistics_period_is_a_report() -> None:
    r = real("qianjiang2023.txt")
    assert "NOT_A_REPORT" not in rules(r)
    assert (r.report_year, r.format, r.cells) == (2023, "2021", {})


def test_excerpt_real_page_of_a_blank_statistics_form_is_not_a_report() -> None:
    r = real("dingxi_form.txt")
    assert "NOT_A_REPORT" in rules(r) and r.cells == {} and r.narrative == {}


def test_table2_variants_real_page_2019_table_in_a_2023_report() -> None:
    r = real("saintpaul2023.txt")
    assert (r.format, r.report_year) == ("2019", 2023) and "FORMAT_YEAR" in rules(r)
    got = r.values()
    assert got == dict.fromkeys(got, 0) and len(got) == 12
    assert {f"t2.{row}.{c}" for row in ("licensing", "other_services") for c in ("previous", "change", "decisions")} <= set(got)


def test_table2_variants_real_page_2019_table_left_empty() -> None:
    # every cell of the page's table 2 is empty: nothing is read, nothing invented
    r = real("xizhen2022.txt")
    assert (r.format, r.report_year) == ("2019", 2022) and r.values() == {}
    assert "UNREAD_CELL" in rules(r)


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("cidca2023_trad.txt", {"regulations": [0, 0, 5], "normative_docs": [0, 0, 0]}),
        ("cqsdj2022.txt", {"regulations": [0, 0, 0], "normative_docs": [0, 0, 0]}),
    ],
)
def test_pipe_tables_real_pages_one_cell_per_line_closed_by_pipes(name: str, want: dict) -> None:
    got = real(name).values()
    for row, values in want.items():
        assert [got[f"t2.{row}.{c}"] for c in ("issued", "repealed", "in_force")] == values


def test_pipe_tables_real_page_one_cell_per_line_with_blank_lines_between() -> None:
    got = real("taiping2022.txt").values()
    assert len(got) == 59 and set(got.values()) == {0}
    assert got["t3.withheld.security_stability.total"] == 0 and "t3.withheld.third_party.total" not in got


def test_pipe_tables_real_page_empty_cells_between_pipes_are_blank() -> None:
    # 一、本年新收… | 0 | | | | | | 0 |: the empty cells are blank (null), not 0, and the rows
    # opened by pipes (| | 2.其他法律行政法规禁止公开 | …) are read as the others
    r = real("xuwen2024.txt")
    got = r.values()
    assert r.report_year is None  # the excerpt states no year
    assert [got[f"t2.normative_docs.{c}"] for c in ("issued", "repealed", "in_force")] == [3, 0, 101]
    parts = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org")
    assert [got[f"t3.received.{c}"] for c in parts] == [0, None, None, None, None, None]
    rows = ("carried_over", "disclosed", "partially_disclosed", "withheld.state_secret", "withheld.prohibited_by_law", "withheld.internal_affairs")
    for row in rows:
        assert [got[f"t3.{row}.{c}"] for c in parts] == [None] * 6 and got[f"t3.{row}.total"] == 0, row
    assert "t3.withheld.process_info.total" not in got  # cut off before it


@pytest.mark.parametrize(
    ("name", "body", "year"),
    [
        ("dawukou2022.txt", "大武口区教育体育局", 2022),  # 当前位置:首页 > … > 政府信息公开年报 > 2022年度
        ("dongjie2023.txt", "东街街道", 2023),  # 当前位置: 首页>…>2023年>部门公开年报; 发布机构:政务服务管理局
    ],
)
def test_publisher_real_pages_breadcrumb_is_no_title(name: str, body: str, year: int) -> None:
    # a breadcrumb that names the annual reports and a year is the site's path, not the title
    r = real(name)
    assert (r.issuing_body, r.confidence["issuing_body"], r.report_year) == (body, "title", year)
    assert not r.title.startswith(("当前位置", "首页"))


def test_lost_boundaries_real_page_table2() -> None:
    # 规章000, 行政事业性收费00: the only cut of the run into the row's cells (none of fewer
    # numbers either, as a lost blank cell would give) is read; 105 would stay absent
    r = real("chuanzhu2019.txt")
    assert (r.format, r.report_year) == ("2019", 2019)
    got = r.values()
    assert got == dict.fromkeys(got, 0) and len(got) == 20
    assert "t2.procurement.items" not in got  # cut off before it


def test_publisher_real_page_title_in_a_metadata_table_set_off_by_spaces() -> None:
    # 名称 宿迁市2017年政府信息公开年度报告: the key 名称 is no part of the title or its body
    r = real("suqian2017.txt")
    assert (r.title, r.issuing_body, r.report_year, r.format) == ("宿迁市2017年政府信息公开年度报告", "宿迁市", 2017, "pre2019")


def test_pipe_tables_real_page_every_piece_followed_by_a_bare_pipe_line() -> None:
    # labels, headers and cells each on a line of their own, each followed by a "|" line
    got = real("nanlukou2023.txt").values()
    assert [got[f"t2.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 6]
    assert len(got) == 73 and sum(got.values()) == 6
    assert "t3.withheld.process_info.total" not in got  # cut off inside its label


def test_pipe_tables_real_page_two_label_rows() -> None:
    r = real("guanzhou2023.txt")
    got = r.values()
    assert (got["t2.punishment.decisions"], got["t2.fees.amount"]) == (1472, 0)
    parts = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
    assert [got[f"t3.received.{c}"] for c in parts] == [1, 0, 0, 0, 0, 0, 1]
    for row in ("disclosed", "partially_disclosed", "withheld.state_secret", "withheld.internal_affairs"):
        assert [got[f"t3.{row}.{c}"] for c in parts] == [0] * 7, row


def test_table2_variants_real_page_2019_table_in_a_2020_report_one_cell_per_line() -> None:
    r = real("zhongcun2020.txt")
    assert (r.issuing_body, r.format, r.report_year) == ("中村乡", "2019", 2020)
    got = r.values()
    assert [got[f"t2.normative_docs.{c}"] for c in ("made", "published", "total_published")] == [5, 5, 5]
    assert (got["t2.procurement.items"], got["t2.procurement.amount"]) == (1, 8040)
    assert len(got) == 22 and sum(got.values()) == 15 + 8041
