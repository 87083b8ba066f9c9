"""Prose figures of reports without tables (the 2008 条例's form, ``pre2019``).

Before 2019 there were no mandated tables: a report states its figures in prose
("全区共主动公开政府信息3562条", "共受理政府信息公开申请45件", "提起行政复议2件，行政诉讼1件",
"本年度未收取任何费用"). ``narrative_numbers`` reads them with the statement patterns the
text-vs-table check uses (``validate.text_vs_table.STATEMENTS``, and the same ``_usable``
test: no part, no other period, no aggregate beyond the body), plus two statements only
these reports need: the 主动公开 count and the fees. The result is ``Report.narrative``
(``"narrative"`` in the interchange JSON), keyed by ``NARRATIVE_KEYS``.

Never a guess: a key whose statements give two different numbers is left out, and a
statement that is about a part, another year or another subject is not read at all.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Report, Value
from ..validate.text_vs_table import (
    _BREAKS,
    _NEG,
    CONTEXT_EXCLUDE,
    NONE_CONTEXT_EXCLUDE,
    NONE_GAP_EXCLUDE,
    STATEMENTS,
    Openings,
    Statement,
    _gap,
    _usable,
    cn_number,
    narrative_text,
)

# The figures a pre-2019 report's prose gives, and what each means (docs/fidelity.md).
NARRATIVE_KEYS: dict[str, str] = {
    "proactive.total": "主动公开政府信息数（条或件，如报告所写）",
    "applications.received": "受理或收到的政府信息公开申请数（件；受理可能含上年结转，如报告所写）",
    "applications.handled": "答复或办结的申请数（件）",
    "review.total": "因政府信息公开申请行政复议数（件）",
    "litigation.total": "因政府信息公开提起行政诉讼数（件）",
    "fees.amount": "依申请公开收取的费用（元）",
}

_NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"
# 主动公开 count: 主动公开政府信息3562条, 主动公开信息的有5条. Channels and kinds of document are
# parts (通过政府网站公开3120条, 主动公开规章13件), so they rule a statement out.
PROACTIVE_GAP_EXCLUDE: tuple[str, ...] = (
    "其中", "通过", "网站", "网上", "公报", "微博", "微信", "媒体", "规章", "文件", "同比", "较", "增加", "减少",
    "增长", "下降", "占", "累计", "以来", "平均", "上年", "去年", "依申请", "不予", "部分",
)
REMEDIES_NONE_GAP_EXCLUDE: tuple[str, ...] = (*NONE_GAP_EXCLUDE, "纠正", "维持", "败诉", "撤销", "审结", "结案", "办结")
FEE_GAP_EXCLUDE: tuple[str, ...] = (
    "减免", "免收", "减收", "免除", "退还", "退回", "其中", "同比", "较", "上年", "去年", "行政事业性", "罚", "许可",
    "标准", "每",  # a rate (收费标准每页0.5元), not what was charged
)
# The words one of which must be just before a fee statement (its section heading or its
# sentence): 收费 elsewhere in a report is another subject.
FEE_NEEDS: tuple[str, ...] = ("信息公开", "申请", "收费")
_FEE_WINDOW = 80

PROACTIVE = Statement(
    "proactive",
    # a note in brackets after 信息 is allowed: 主动公开政府信息(综合政务类)287条; 资讯 is 信息
    # in a traditional copy converted with Taiwan's phrases (主動公開政府資訊19條)
    rf"主动公开(?P<gap>{_gap(10)}(?:信息|资讯)(?:\([^)\d{_BREAKS}]{{1,12}}\))?{_gap(6)}){_NUM}(?:条|件|项)",
    (),
    "eq",
    gap_exclude=PROACTIVE_GAP_EXCLUDE,
)
# The 2008 form's own heading turned into a statement: 未发生因政府信息公开申请行政复议、提起
# 行政诉讼的情况 (the text-vs-table ``remedies_none`` wants the two words side by side).
REMEDIES_NONE_2008 = Statement(
    "remedies_none_2008",
    # (无因政府信息公开申请行政复议、提起行政诉讼的情况: the heading's words after a negation, no verb)
    rf"{_NEG}(?:发生|出现|收到|产生|涉及|接到|(?=因))(?P<gap>{_gap(20)})(?:申请)?(?P<what>行政复议(?:[、和或及与]|或者|以及)(?:提起)?行政诉讼)"
    r"(?:案件|的情况|情况|事项)?(?=[。；;，,！!]|$)",
    (),
    "none_remedies",
    gap_exclude=REMEDIES_NONE_GAP_EXCLUDE,
    context_exclude=NONE_CONTEXT_EXCLUDE,
)
# The 2008 form's own words for the applications, where the 2019 statements want
# 政府信息公开申请: 申请公开政府信息, 要求公开政府信息的申请, 依申请公开政府信息(的申请) (the
# 依申请 word order of 政府信息依申请公开 too).
_APPLICATION_2008 = r"(?:(?:依申请|申请|要求)公开(?:政府)?(?:信息|资讯)(?:的申请)?|政府信息依申请公开|政府信息公开(?:的)?申请|信息公开(?:的)?申请)"
# What an application phrase may not be followed by: a fee, a remedy or a complaint about it.
_NOT_ABOUT = r"(?!费|处理费|引|而|的?行政|被|的?(?:投诉|举报|复议|诉讼|答复|咨询))"
# 未接到群众、业主依申请公开政府信息的申请; 未收到申请公开政府信息件.
RECEIVED_NONE_2008 = Statement(
    "received_none_2008",
    rf"{_NEG}(?:收到|受理|接到|接收)(?P<gap>{_gap(15)}){_APPLICATION_2008}{_NOT_ABOUT}",
    (),
    "none",
    gap_exclude=REMEDIES_NONE_GAP_EXCLUDE,
    context_exclude=NONE_CONTEXT_EXCLUDE,
)
# The number before what was received: 收到12起政府信息依申请公开, 共受理12件政府信息公开申请.
RECEIVED_BEFORE = Statement(
    "received_before",
    rf"(?:收到|受理|接到|接收)(?P<gap>共|了|共计)?{_NUM}(?:件|起|个|份|条)(?:的)?{_APPLICATION_2008}{_NOT_ABOUT}",
    (),
    "eq",
)
# 受理依申请公开政府信息12起: the 2008 form counts applications in 起 and 宗 too.
RECEIVED_CASES = Statement(
    "received_cases",
    rf"(?:收到|受理|接到|接收)(?P<gap>{_gap(20)}申请{_gap(8)}){_NUM}(?:起|宗)",
    (),
    "eq",
)
# 未发生针对本单位有关政府信息公开事务的行政复议案、行政诉讼案和有关的申诉案: 案 after each
# word, and the 申诉/投诉 the 2008 form lists with them.
REMEDIES_NONE_CASES = Statement(
    "remedies_none_cases",
    rf"{_NEG}(?:发生|出现|收到|产生|涉及|接到)(?P<gap>{_gap(20)})(?P<what>(?:行政复议|行政诉讼)(?:案件|案)"
    r"(?:(?:[、和或及与]|或者|以及)(?:提起)?(?:行政复议|行政诉讼)(?:案件|案)?)?)"
    r"(?:(?:[、和或及与]|或者|以及)(?:有关的?|相关的?)?(?:行政)?(?:申诉|投诉|举报|信访)(?:案件|案|情况)?)*(?=[。；;，,！!]|$)",
    (),
    "none_remedies",
    gap_exclude=REMEDIES_NONE_GAP_EXCLUDE,
    context_exclude=NONE_CONTEXT_EXCLUDE,
)
# 行政复议、提起行政诉讼均为0件: one number for both (in a sentence about 信息公开).
REMEDIES_BOTH = Statement(
    "remedies_both",
    rf"行政复议(?:案件|案)?(?:[、和或及与]|或者|以及)(?:提起)?行政诉讼(?:案件|案)?(?:数量|数)?(?P<gap>均|都|皆|各)(?:为|是)?{_NUM}"
    r"(?:件|起|宗|个|例)?(?![\d.])",
    (),
    "eq",
    needs="信息公开",
    needs_window=0,
)
_FEE = re.compile(rf"(?:收取|收费)(?P<gap>[^\d{_BREAKS}]{{0,30}}?)(?P<n>\d+(?:\.\d+)?)(?P<unit>万元|元)")
_FEE_NONE = re.compile(rf"{_NEG}(?P<gap>[^\d{_BREAKS}]{{0,10}}?)收取(?:任何|相关)?(?:的)?(?:费用|任何费用)")
# 政府信息公开没有收费, 未发生对公民、法人和其他组织政府信息公开收费和减免事项: no charge, in the
# 2008 form's words; the clause must say it is about 信息公开 or applications (收费 alone is
# any fee a body charges).
_FEE_NONE_WORD = re.compile(
    rf"{_NEG}(?:发生|产生|存在|进行)?(?P<gap>[^\d{_BREAKS}]{{0,20}}?)收费(?:[和及与、]减免)?(?:的)?(?:情况|事项|行为|现象)?(?=[。；;，,！!]|$)"
)
_FEE_WORD_NEEDS: tuple[str, ...] = ("信息公开", "申请")

NARRATIVE_STATEMENTS: tuple[Statement, ...] = (RECEIVED_NONE_2008, RECEIVED_BEFORE, RECEIVED_CASES, REMEDIES_NONE_CASES, REMEDIES_BOTH)

# Which key a text-vs-table statement's figure goes to (by the statement's name).
_STATEMENT_KEYS: dict[str, str] = {
    "received": "applications.received",
    "received_is": "applications.received",
    "received_none": "applications.received",
    "received_none_raised": "applications.received",
    "handled": "applications.handled",
    "received_none_2008": "applications.received",
    "received_before": "applications.received",
    "received_cases": "applications.received",
    "review": "review.total",
    "litigation": "litigation.total",
}


# 累计 after one of these is the year's total (全年累计 = 全年共); any other 累计 may count since
# the 条例 took effect (截至2015年底累计…), so its statement is not read.
_WITHIN_YEAR: tuple[str, ...] = ("全年累计", "本年度累计", "本年累计", "年内累计")


def narrative_numbers(report: Report, text: str) -> dict[str, Value]:
    """The figures ``text`` (the report's whole text) states, by ``NARRATIVE_KEYS``."""
    prose = narrative_text(text)
    if "累计" in prose:  # 全年累计主动公开…: the year's total, not one since 2008 (累计 is skipped)
        for words in _WITHIN_YEAR:
            prose = prose.replace(words, words[:-2] + "共")
    year = report.report_year
    found: dict[str, set[int | Decimal]] = {}

    def add(key: str, n: int | Decimal | None) -> None:
        if n is not None:
            found.setdefault(key, set()).add(n)

    openings = Openings(prose)
    for st in (*STATEMENTS, PROACTIVE, REMEDIES_NONE_2008, *NARRATIVE_STATEMENTS):
        key = "proactive.total" if st is PROACTIVE else _STATEMENT_KEYS.get(st.name)
        if key is None and st.kind != "none_remedies" and st is not REMEDIES_BOTH:
            continue
        for m in st.finditer(prose, openings):
            if not _usable(st, m, prose, year):
                continue
            if st.kind == "none_remedies":
                what = m.group("what")
                if "复议" in what:
                    add("review.total", 0)
                if "诉讼" in what:
                    add("litigation.total", 0)
            elif st.kind == "none":
                add(key, 0)  # type: ignore[arg-type]
            elif st is REMEDIES_BOTH:
                add("review.total", cn_number(m.group("n")))
                add("litigation.total", cn_number(m.group("n")))
            else:
                add(key, cn_number(m.group("n")))  # type: ignore[arg-type]
    for n in _fees(prose, year):
        add("fees.amount", n)
    return {k: next(iter(v)) for k in NARRATIVE_KEYS if len(v := found.get(k, set())) == 1}


_YEAR = re.compile(r"(20\d{2}|19\d{2})年")


def _fees(prose: str, year: int | None) -> list[int | Decimal]:
    """The fees the prose says were charged for applications, in 元 (万元 converted)."""
    out: list[int | Decimal] = []
    if "收取" not in prose and "收费" not in prose:
        return out
    for rx, none in ((_FEE, False), (_FEE_NONE, True), (_FEE_NONE_WORD, True)):
        for m in rx.finditer(prose):
            a = m.start()
            clause = prose[max(0, a - 40) : a]
            clause = clause[max(clause.rfind(c) for c in _BREAKS) + 1 :]
            if any(w in m.group("gap") or w in clause for w in FEE_GAP_EXCLUDE):
                continue
            if any(w in clause for w in (NONE_CONTEXT_EXCLUDE if none else CONTEXT_EXCLUDE)):
                continue
            years = {int(y) for y in _YEAR.findall(clause)}
            if years and (year is None or years != {year}):
                continue
            if not any(w in prose[max(0, a - _FEE_WINDOW) : m.end()] for w in FEE_NEEDS):
                continue
            if rx is _FEE_NONE_WORD and not any(w in clause + m.group("gap") for w in _FEE_WORD_NEEDS):
                continue
            if none:
                out.append(0)
                continue
            d = Decimal(m.group("n")) * (10000 if m.group("unit") == "万元" else 1)
            out.append(int(d) if d == d.to_integral_value() else d)
    return out


__all__ = ["NARRATIVE_KEYS", "narrative_numbers"]
