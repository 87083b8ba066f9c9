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
    ],
)
def test_publisher_real_pages(name: str, body: str, source: str) -> None:
    r = real(name)
    assert (r.issuing_body, r.confidence["issuing_body"]) == (body, source)
    assert "BODY_UNKNOWN" not in rules(r)


@pytest.mark.parametrize(
    "name",
    [
        "hainan2014.txt",  # 我局 only
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
        ("daoxian2013.txt", 2013, {"proactive.total": 5, "review.total": 0, "litigation.total": 0}),
        ("bzqc2014.txt", 2014, {"proactive.total": 78}),
        ("hainan2014.txt", 2014, {"review.total": 0, "litigation.total": 0, "fees.amount": 0}),
        (
            "wenwu2017.txt",
            2017,
            {"applications.received": 10, "applications.handled": 9, "review.total": 0, "fees.amount": 0},
        ),
        ("suzhou2016.txt", 2016, {}),  # the excerpt stops before any figure
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
