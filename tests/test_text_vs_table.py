"""Prose that restates table figures, against the tables: no false alarms, no misses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gongkai
from gongkai.model import Cell, Report
from gongkai.validate.text_vs_table import STATEMENTS, check_text_vs_table, cn_number
from helpers import CORPUS, LABELS

SEEDS = sorted((CORPUS / "seeds").glob("*.txt")) if CORPUS.exists() else []
HUAIAN = LABELS / "huaian-city-gov-2024.json"
HUAIAN_PDF = CORPUS / "real" / "huaian-city-gov-2024.pdf"

# What a small body's table says, used by the sentence tests below:
# 新收 8 + 上年结转 2 = （七）总计 9 + 结转下年度 1; 复议 3 (维持 1, 纠正 1, 其他 0, 未审结 1);
# 诉讼 1 + 0.
TABLE = {
    "t3.received.total": 8,
    "t3.carried_over.total": 2,
    "t3.total_handled.total": 9,
    "t3.carried_forward.total": 1,
    "t4.review.upheld": 1,
    "t4.review.corrected": 1,
    "t4.review.other": 0,
    "t4.review.pending": 1,
    "t4.review.total": 3,
    "t4.litigation_direct.upheld": 1,
    "t4.litigation_direct.corrected": 0,
    "t4.litigation_direct.other": 0,
    "t4.litigation_direct.pending": 0,
    "t4.litigation_direct.total": 1,
    "t4.litigation_after_review.upheld": 0,
    "t4.litigation_after_review.corrected": 0,
    "t4.litigation_after_review.other": 0,
    "t4.litigation_after_review.pending": 0,
    "t4.litigation_after_review.total": 0,
}


def report(text: str, cells: dict[str, int | Decimal | None] | None = None, year: int | None = 2023) -> Report:
    r = Report(path="<test>", report_year=year, format="2021")
    r.cells = {k: Cell(k, v, "read") for k, v in (TABLE if cells is None else cells).items()}
    r.sections = {"overview": text}
    return r


def keys_of(text: str, cells: dict[str, int | Decimal | None] | None = None, year: int | None = 2023) -> list[list[str]]:
    return [f.cells for f in check_text_vs_table(report(text, cells, year))]


# ---------------------------------------------------------------- statements that agree
AGREE = [
    "本年度共收到政府信息公开申请8件。",
    "本年度共收到政府信息公开申请八件。",
    "全年共受理政府信息公开申请 8 件。",
    "全年共受理政府信息公开申请10件（含上年结转2件）。",
    "全年共受理政府信息公开申请9件，均已按时答复。",  # 受理 used for what was handled
    "共办结9件，结转下年度继续办理1件。",
    "全年收到政府信息公开申请8件，答复9件（含上年度结转申请2件，另有1件顺延到下年度答复）。",
    "因政府信息公开被申请行政复议3件，其中结果维持1件，结果纠正1件，尚未审结1件；被提起行政诉讼1件。",
    "政府信息公开行政复议 3 件，其中结果维持 1 件，结果纠正 1 件，其他结果 0 件，尚未审结 1 件；政府信息公开行政诉讼 1 件，其中结果维持 1 件。",
]


@pytest.mark.parametrize("text", AGREE)
def test_agreeing_statements_raise_nothing(text: str) -> None:
    assert keys_of(text) == []


# ---------------------------------------------------------------- statements that are not restatements
NOT_RESTATEMENTS = [
    "2022年共受理政府信息公开申请20件。",  # another year
    "其中网上申请5件，当面申请3件。",  # a part
    "通过政府网站受理政府信息公开申请5件。",  # a channel
    "较上年收到政府信息公开申请增加3件。",  # a change
    "全年办理行政复议案件56件。",  # a 司法局's own business, not a 信息公开 case
    "全区各部门共受理政府信息公开申请150件。",  # an aggregate beyond the body
    "区政府办代表区政府受理政府信息公开申请17件。",  # a part acting for the whole (洪泽区 2024)
    "本年度共收到行政许可申请500件。",  # another kind of application
    "第四季度未收到政府信息公开申请。",  # a period
    "除上述申请外，未收到其他政府信息公开申请。",  # a partial negation
    "未发生因政府信息公开引起的行政复议被纠错案件。",  # none corrected, not none at all
    "年内共制发公文68件，其中公开发布27件，依申请公开21件。",  # documents, not applications
    "自2008年以来累计受理政府信息公开申请300件。",  # cumulative
    "答复人大代表建议50件，政协提案30件。",  # not applications
    "本年度未收取信息处理费。",
    "收到政府信息公开申请后，同意部分公开答复1件，不予公开答复2件。",  # one kind of reply each
    "没有收到有关政府信息公开行政复议申请。",  # about 复议: a review statement, review total is 3 -> but see below
]


@pytest.mark.parametrize("text", NOT_RESTATEMENTS[:-1])
def test_non_restatements_raise_nothing(text: str) -> None:
    assert keys_of(text) == []


def test_none_about_reviews_is_not_none_about_applications() -> None:
    # the statement denies reviews, not applications: only table 4 is compared
    assert keys_of(NOT_RESTATEMENTS[-1]) == [["t4.review.total"]]


# ---------------------------------------------------------------- planted contradictions
CONTRADICT = [
    ("本年度共收到政府信息公开申请12件。", ["t3.received.total"], 12, 8),
    ("共收到政府信息公开申请十二件。", ["t3.received.total"], 12, 8),
    ("全年共受理政府信息公开申请 3119 件。", ["t3.received.total"], 3119, 8),
    ("本年度未收到政府信息公开申请。", ["t3.received.total"], 0, 8),
    ("本年度无公民、法人或其他组织向我局提出政府信息公开申请。", ["t3.received.total"], 0, 8),
    ("截至12月31日，我局没有收到有关政府信息公开的申请。", ["t3.received.total"], 0, 8),
    ("本年度新收政府信息公开申请数量为0。", ["t3.received.total"], 0, 8),
    ("共收到政府信息公开申请8件，答复20件。", ["t3.total_handled.total"], 20, 9),
    ("含上年度结转申请5件。", ["t3.carried_over.total"], 5, 2),
    ("另有4件顺延到下年度答复。", ["t3.carried_forward.total"], 4, 1),
    ("结转下年度继续办理3件。", ["t3.carried_forward.total"], 3, 1),
    ("政府信息公开行政复议 351 件。", ["t4.review.total"], 351, 3),
    (
        "因政府信息公开被申请行政复议3件，被提起行政诉讼46件。",
        ["t4.litigation_direct.total", "t4.litigation_after_review.total"],
        46,
        1,
    ),
]


@pytest.mark.parametrize(("text", "cells", "said", "table"), CONTRADICT)
def test_planted_contradictions_are_found(text: str, cells: list[str], said: int, table: int) -> None:
    found = check_text_vs_table(report(text))
    assert len(found) == 1, [f.message for f in found]
    f = found[0]
    assert (f.rule, f.severity, f.source) == ("TEXT_TABLE_MISMATCH", "warning", "report")
    assert (f.cells, f.found, f.expected) == (cells, said, table)
    assert f.table == cells[0].split(".")[0]
    assert f.message.startswith("正文称“") and str(table) in f.message


def test_breakdown_contradictions_name_the_column() -> None:
    text = "政府信息公开行政复议3件，其中结果维持2件，结果纠正1件，尚未审结0件。"
    found = check_text_vs_table(report(text))
    assert sorted(f.cells[0] for f in found) == ["t4.review.pending", "t4.review.upheld"]
    lit = "因政府信息公开被提起行政诉讼1件，其中结果维持0件，结果纠正1件。"
    found = check_text_vs_table(report(lit))
    assert [f.cells for f in found] == [
        ["t4.litigation_direct.upheld", "t4.litigation_after_review.upheld"],
        ["t4.litigation_direct.corrected", "t4.litigation_after_review.corrected"],
    ]


def test_no_remedies_statement_against_each_table_4_block() -> None:
    found = check_text_vs_table(report("本年度未发生政府信息公开行政复议和行政诉讼。"))
    assert [f.cells for f in found] == [["t4.review.total"], ["t4.litigation_direct.total", "t4.litigation_after_review.total"]]
    zero = {**TABLE, "t4.review.total": 0, "t4.litigation_direct.total": 0}
    assert keys_of("本年度未发生政府信息公开行政复议和行政诉讼。", zero) == []
    assert keys_of("没有发生针对信息公开事务的行政诉讼和投诉。", zero) == []


def test_blank_cells_are_never_compared() -> None:
    blank = {**TABLE, "t3.received.total": None, "t4.review.total": None}
    assert keys_of("本年度未收到政府信息公开申请。政府信息公开行政复议 351 件。", blank) == []
    # a missing 总计 is the sum of its six columns when all six are known
    parts = {k: v for k, v in TABLE.items() if k != "t3.received.total"}
    parts.update(
        {
            f"t3.received.{c}": v
            for c, v in zip(
                ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org"),
                (5, 3, 0, 0, 0, 0),
                strict=True,
            )
        }
    )
    assert keys_of("本年度共收到政府信息公开申请8件。", parts) == []
    assert keys_of("本年度共收到政府信息公开申请9件。", parts) == [["t3.received.total"]]


def test_a_year_that_is_not_the_reports_is_skipped() -> None:
    assert keys_of("2023年共收到政府信息公开申请12件。") == [["t3.received.total"]]
    assert keys_of("2022年共收到政府信息公开申请12件。") == []
    assert keys_of("2023年共收到政府信息公开申请12件。", year=None) == []


def test_same_contradiction_reported_once() -> None:
    text = "本年度未收到政府信息公开申请。总之，本年度未收到政府信息公开申请。"
    assert len(check_text_vs_table(report(text))) == 1


def test_wrapped_pdf_lines_and_page_footers() -> None:
    text = "（二）依申请公开情况。2023 年，全市共受理政府信息公开申请 3\n- 1 -\n119 件，答\n复 3050 件。"
    cells = {**TABLE, "t3.received.total": 3119, "t3.carried_over.total": 0, "t3.total_handled.total": 3050}
    assert keys_of(text, cells) == []
    assert keys_of(text, {**cells, "t3.received.total": 3000}) == [["t3.received.total"]]


def test_cn_number() -> None:
    assert [cn_number(s) for s in ("8", "八", "十二", "二十", "一百零三", "两千", "零", "x")] == [
        8,
        8,
        12,
        20,
        103,
        2000,
        0,
        None,
    ]


def test_patterns_are_data() -> None:
    assert {s.kind for s in STATEMENTS} == {"received", "handled", "none", "eq", "none_remedies"}
    assert all(s.pattern and s.name for s in STATEMENTS)


# ---------------------------------------------------------------- real reports
@pytest.mark.skipif(not SEEDS, reason="shared corpus not present")
@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_seeds_raise_no_false_alarm(path: Path) -> None:
    assert check_text_vs_table(gongkai.parse(path)) == []


@pytest.mark.skipif(not SEEDS, reason="shared corpus not present")
@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_seeds_none_statements_catch_a_planted_total(path: Path) -> None:
    # every seed says in prose that it received no application: a planted table total of 4
    # must contradict it (001 says nothing about applications and stays quiet)
    r = gongkai.parse(path)
    r.cells["t3.received.total"].value = 4
    found = check_text_vs_table(r)
    if path.name.startswith("001_"):
        assert found == []
    else:
        assert [f.cells for f in found if f.cells == ["t3.received.total"]] == [["t3.received.total"]]


def _huaian(text: str, **changes: int) -> Report:
    label = json.loads(HUAIAN.read_text(encoding="utf-8"))
    r = Report(path=label["path"], report_year=label["report_year"], format=label["format"])
    r.cells = {k: Cell(k, v, "read") for k, v in label["cells"].items()}
    for k, v in changes.items():
        r.cells[k.replace("__", ".")].value = v
    r.sections = {"overview": text}
    return r


def _narrative_sentences(narrative: dict[str, int]) -> str:
    """The label's narrative facts written the way the report writes them."""
    return (
        f"2024年，全市共受理政府信息公开申请{narrative['受理申请件数']}件，答复{narrative['答复件数']}件。"
        f"政府信息公开行政复议{narrative['行政复议件数']}件；政府信息公开行政诉讼{narrative['行政诉讼件数']}件。"
        f"全市实际收取信息处理费共计{narrative['信息处理费（元）']}元。"
    )


@pytest.mark.skipif(not HUAIAN.exists(), reason="shared corpus not present")
def test_huaian_label_narrative_agrees_with_its_table() -> None:
    label = json.loads(HUAIAN.read_text(encoding="utf-8"))
    text = _narrative_sentences(label["narrative"])
    assert check_text_vs_table(_huaian(text)) == []
    planted = check_text_vs_table(_huaian(text, t4__review__total=350, t3__received__total=3100))
    assert sorted(f.cells[0] for f in planted) == ["t3.received.total", "t4.review.total"]


@pytest.mark.skipif(not HUAIAN_PDF.exists(), reason="shared corpus not present")
def test_huaian_real_text_agrees_with_its_table() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(HUAIAN_PDF) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages[:2])
    assert "3119" in text
    assert check_text_vs_table(_huaian(text)) == []
    # the real sentences restate 受理, 答复, 结转, 顺延, 复议 with its four results and
    # 诉讼 with its four results: change each table figure and each is caught
    for key, value in [
        ("t3__received__total", 3000),
        ("t3__carried_over__total", 30),
        ("t3__carried_forward__total", 100),
        ("t4__review__total", 350),
        ("t4__review__other", 177),
        ("t4__litigation_direct__pending", 2),
    ]:
        found = check_text_vs_table(_huaian(text, **{key: value}))
        assert any(key.replace("__", ".") in f.cells for f in found), (key, [f.message for f in found])


_PIECES = ["12", "3", "一", "十二", "件", "申请", "结转", "顺延", "转入", "到", "至", "下", "一", "年度", "。", "，", "本年", "共", "0", " "]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@settings(max_examples=400)
def test_anchored_statements_match_like_a_full_scan(text: str) -> None:
    """A statement tried only near its anchor finds exactly what a scan of the whole text finds."""
    _assert_anchored_like_full_scan(text)


def _assert_anchored_like_full_scan(text: str) -> None:
    import re

    for statement in STATEMENTS:
        if statement.anchor is None:
            continue
        full = [(m.span(), m.group("n")) for m in re.finditer(statement.pattern, text)]
        assert [(m.span(), m.group("n")) for m in statement.finditer(text)] == full


_CARRY_FORWARD = st.tuples(
    st.sampled_from(["", "本年度", "共有", "。", "2023年度"]),
    st.sampled_from(["3", "12", "123456789012", "十二", "一百零三"]),
    st.sampled_from(["件", "件申请"]),
    st.sampled_from(["顺延", "结转", "转入"]),
    st.sampled_from(["", "到", "至"]),
    st.sampled_from(["下", "下一"]),
    st.sampled_from(["年度", "年度办理。", "年"]),
).map("".join)


@given(st.lists(st.one_of(_CARRY_FORWARD, st.sampled_from(_PIECES)), max_size=12).map("".join))
@example("3件顺延下年度12123456789012件申请顺延下年度")  # a number longer than the reach allows for
@settings(max_examples=300)
def test_anchored_statements_find_whole_statements(text: str) -> None:
    """The same, over texts made of whole statements (the longest reach an anchor needs)."""
    _assert_anchored_like_full_scan(text)


_OPENING_PIECES = [
    *(w for st_ in STATEMENTS for w in st_.starts),
    "新收到", "尚未收到", "接收到", "未", "有", "到", "申请", "信息公开", "政府信息公开", "的", "事项",
    "12", "0", "零", "件", "个", "为", "是", "共", "行政复议", "行政诉讼", "发生", "。", "，", "收", "理",
]


@given(st.lists(st.sampled_from(_OPENING_PIECES), max_size=30).map("".join))
@example("新收到" + "的" * 20 + "申请12件")  # 收到 inside 新收: only from there is the gap short enough
@settings(max_examples=400)
def test_statements_tried_at_their_opening_words_match_like_a_full_scan(text: str) -> None:
    """A statement tried only where one of its opening words occurs finds exactly what a scan
    of the whole text finds."""
    import re

    for statement in STATEMENTS:
        if not statement.starts:
            continue
        full = [m.span() for m in re.finditer(statement.pattern, text)]
        assert [m.span() for m in statement.finditer(text)] == full, statement.name


def _narrative_by_lines(text: str) -> str:
    """The reference reading of one section, line by line (``narrative_text`` does the
    same in whole-text passes)."""
    import re
    import unicodedata

    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = text.translate(str.maketrans("０１２３４５６７８９，；：（）", "0123456789,;:()"))
    for space in (" ", "\t", "\r", "\u3000", "\xa0"):
        text = text.replace(space, "")
    out: list[str] = []
    for line in text.split("\n"):
        if not line or re.fullmatch(r"[-—–第]*\d+[-—–页]*(?:/\d+)?", line):
            continue
        heading = re.match(r"(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、])", line)
        if out and (len(out[-1]) < 20 or out[-1][-1] in "。；;！？!?" or heading):
            out.append("。")
        out.append(line)
    return "".join(out)


_LINE_PIECES = st.sampled_from(
    ["\n", "\n", " ", "\u3000", "本机关", "收到申请", "12", "3", "-", "—", "第", "页", "/", "。", "；", "一、", "(二)",
     "三", "1.", "2、", "２", "（", "）", "这是一段很长的正文内容没有句号", "件", "\r"]
)


@given(st.lists(_LINE_PIECES, max_size=40).map("".join))
@example("短\n5\n下一行")  # a page number between a short line and the next
@example("这是一段很长的正文内容没有句号的一行文字\n二、标题\n第3页\n")
@example("这是一段很长的正文内容没有句号收到申请件\n下一行")  # 20 characters: wrapped
@example("这是一段很长的正文内容没有句号收到申请\n下一行")  # 19: a line of its own
@settings(max_examples=500)
def test_narrative_passes_read_like_line_by_line(text: str) -> None:
    from gongkai.validate.text_vs_table import narrative_text

    assert narrative_text(text) == _narrative_by_lines(text)
