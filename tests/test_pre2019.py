"""Pre-2019 reports (the 2008 条例's form, issue 13) are recognised as ``pre2019`` in
simplified and in traditional script: no tables, the sections and metadata read.

The page follows the 7-part structure of 福州市晋安区's 2016 report as
../shared/spec/official-format.md §5 lists it ([S43]), with figures of that era's kind.
"""

from __future__ import annotations

import opencc
import pytest

from gongkai.api import parse_bytes
from helpers import FILES

PAGE = """福州市晋安区2016年政府信息公开工作年度报告
本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括概述、主动公开政府信息情况、政府信息依申请公开办理情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议和提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进措施、需要说明的事项与附表，共七部分。
一、概述
2016年，我区认真贯彻落实《中华人民共和国政府信息公开条例》。
二、主动公开政府信息情况
2016年，全区共主动公开政府信息3562条，其中通过政府网站公开3120条。
三、政府信息依申请公开办理情况
2016年共受理政府信息公开申请45件，已全部按时答复。
四、政府信息公开的收费及减免情况
本年度未收取任何费用。
五、因政府信息公开申请行政复议和提起行政诉讼的情况
2016年，因政府信息公开申请提起行政复议2件，行政诉讼1件。
六、政府信息公开工作存在的主要问题及改进措施
公开内容还不够丰富。
福州市晋安区人民政府办公室
2017年3月28日
"""


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_pre2019_recognised(script: str) -> None:
    text = PAGE if script == "simplified" else opencc.OpenCC("s2t").convert(PAGE)
    r = parse_bytes(text.encode("utf-8"), "2016.txt")
    assert (r.format, r.report_year, r.script) == ("pre2019", 2016, script)
    assert r.issuing_body == "福州市晋安区"
    assert r.publication_date == "2017-03-28"
    assert r.cells == {}
    assert "PRE2019_NO_TABLES" in {f.rule for f in r.findings}


# ---------------------------------------------------------------- prose figures (issue 13, class 9)
FIGURES = {"proactive.total": 3562, "applications.received": 45, "review.total": 2, "litigation.total": 1, "fees.amount": 0}


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_pre2019_prose_figures_read_into_the_narrative_numbers(script: str) -> None:
    text = PAGE if script == "simplified" else opencc.OpenCC("s2t").convert(PAGE)
    r = parse_bytes(text.encode("utf-8"), "2016.txt")
    assert r.narrative == FIGURES  # 其中通过政府网站公开3120条 is a part: not the count
    assert r.to_json(full=False)["narrative"] == FIGURES


def _figures(prose: str) -> dict:
    head = "某某县2016年政府信息公开工作年度报告\n一、概述\n2016年，我县认真贯彻落实《条例》。\n"
    return parse_bytes((head + prose).encode("utf-8"), "p.txt").narrative


@pytest.mark.parametrize(
    ("prose", "figures"),
    [
        # a part, another year, another subject: not read
        ("其中主动公开政府信息120条。", {}),
        ("2015年主动公开政府信息300条。", {}),
        ("全年受理行政复议案件12件。", {}),
        ("信息公开申请同比增加5件。", {}),
        # two statements that disagree: the key is left out, never a guess
        ("全年主动公开政府信息300条。全年共主动公开政府信息310条。", {}),
        ("全年主动公开政府信息300条。全年共主动公开政府信息300条。", {"proactive.total": 300}),
        # fees: in 元, 万元 converted; a reduction is not what was charged
        ("四、政府信息公开的收费及减免情况\n本年度收取检索复制费共计1.5万元。", {"fees.amount": 15000}),
        ("四、政府信息公开的收费及减免情况\n本年度依申请公开收取费用120元。", {"fees.amount": 120}),
        ("四、政府信息公开的收费及减免情况\n本年度减免收取费用120元。", {}),
        ("本年度未收到政府信息公开申请。", {"applications.received": 0}),
        ("全年未发生因政府信息公开引起的行政复议和行政诉讼。", {"review.total": 0, "litigation.total": 0}),
        # the 2008 form's heading as a statement, and the heading alone (no statement)
        ("本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。", {"review.total": 0, "litigation.total": 0}),
        ("五、因政府信息公开申请行政复议、提起行政诉讼的情况\n公开内容还不够丰富。", {}),
        # the 2008 form's own words for applications: 申请公开政府信息, 依申请公开…的申请, the
        # number before them, 起 as the unit; the applicants' 其他组织 is no "other"
        ("本年度未收到申请公开政府信息件。", {"applications.received": 0}),
        ("全年未接到群众依申请公开政府信息的申请。", {"applications.received": 0}),
        ("全年收到12起政府信息依申请公开，均按时办理。", {"applications.received": 12}),
        ("全年共受理依申请公开政府信息12起。", {"applications.received": 12}),
        ("全年共收到公民、法人和其他组织提出的政府信息公开申请12件。", {"applications.received": 12}),
        ("全年共收到其他政府信息公开申请12件。", {}),
        ("全年收到12件行政复议申请。", {}),
        ("全年未收到申请公开政府信息的投诉。", {}),
        # 案 after each remedy, and the 申诉 listed with them
        ("本年度未发生针对本单位政府信息公开事务的行政复议案、行政诉讼案和有关的申诉案。", {"review.total": 0, "litigation.total": 0}),
        ("本年度没有发生针对政府信息公开事务的行政复议案。", {"review.total": 0}),
        # one number for both, and the 2008 heading's words after 无 with no verb
        ("本年度因政府信息公开申请行政复议、提起行政诉讼均为0件。", {"review.total": 0, "litigation.total": 0}),
        ("本年度涉及政府信息公开的行政复议和行政诉讼案件均为零。", {"review.total": 0, "litigation.total": 0}),
        ("本年度因政府信息公开申请行政复议、提起行政诉讼各1件。", {"review.total": 1, "litigation.total": 1}),
        ("本年度行政复议和行政诉讼案件均为0件。", {}),  # no word that it is about 信息公开
        ("全年无因政府信息公开申请行政复议、提起行政诉讼的情况。", {"review.total": 0, "litigation.total": 0}),
        ("全年无因政府信息公开申请行政复议被纠正、提起行政诉讼的情况。", {}),
        # no charge in the 2008 form's words, only where the clause is about 信息公开
        ("本年度政府信息公开没有收费。", {"fees.amount": 0}),
        ("本年度未发生对公民、法人和其他组织政府信息公开收费和减免事项。", {"fees.amount": 0}),
        ("本年度我局未收费。", {}),
        ("四、政府信息公开的收费及减免情况\n全年依申请公开政府信息收费0元。", {"fees.amount": 0}),
        ("四、政府信息公开的收费及减免情况\n本年度依申请提供政府信息共收费1.2万元。", {"fees.amount": 12000}),
        # a rate is not what was charged
        ("四、政府信息公开的收费及减免情况\n收取复印费每页0.5元。", {}),
        ("四、政府信息公开的收费及减免情况\n收费标准为0.5元一页。", {}),
        ("本年度行政事业性收费未发生减免情况。", {}),
        # 累计 within the year (全年累计) is the year's total; any other may count since 2008
        ("全年累计主动公开政府信息120条。", {"proactive.total": 120}),
        ("截至2016年底累计主动公开政府信息600条。", {}),
        ("全年累计主动公开政府信息120条，自2008年以来累计主动公开1000条。", {"proactive.total": 120}),
        # one kind of reply is a part of those answered
        ("全年受理政府信息公开申请10件，其中同意公开8件，同意部分公开答复1件，不予公开答复1件。", {"applications.received": 10}),
        ("全年受理申请10件，已答复10件，其中同意公开答复8件，否决公开答复2件。", {"applications.received": 10, "applications.handled": 10}),
        # a note in brackets after 信息; a part in brackets is still a part
        ("全年共主动公开政府信息（综合政务类）287条。", {"proactive.total": 287}),
        ("全年共主动公开政府信息（其中网站200条）287条。", {}),
    ],
)
def test_pre2019_prose_figures_are_never_a_guess(prose: str, figures: dict) -> None:
    assert _figures(prose) == figures


def test_pre2019_prose_figures_only_for_reports_without_tables() -> None:
    # a 2019+ report keeps its figures in its tables; its JSON has no narrative field
    seed = FILES / "html" / "official-2021-gbk.html"
    r = parse_bytes(seed.read_bytes(), seed.name)
    assert r.format in ("2019", "2021") and r.narrative == {} and "narrative" not in r.to_json()
