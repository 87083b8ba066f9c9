"""Prose that restates table figures, checked against the tables.

Reports repeat their headline numbers in the narrative ("全年共受理政府信息公开申请 3119 件",
"政府信息公开行政复议 351 件，其中结果维持 72 件…", "本年度未收到政府信息公开申请"). When the
prose and the table disagree, one of them is wrong, and the reader cannot tell which.

This check is deliberately conservative: a false alarm on a clean report costs more trust
than a missed mismatch, so a statement is compared only when it clearly restates a table
cell:

* the statement patterns are data (``STATEMENTS``): a regex, the cells it restates and how
  to compare;
* a statement about a part (其中…, 网上申请…, 代表区政府…), another period (上年, 同比, 1-6月,
  another year) or an aggregate beyond the body (全市各部门…, 各级…) is skipped;
* 受理/收到 may or may not include 上年结转, and 办结/答复 may be counted either way: any of
  the readings the table allows is accepted;
* a blank or absent cell is never compared (blank is not zero).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..domain.labels import T3_PARTS, T4_COLUMNS, T4_LITIGATION, T4_LITIGATION_KINDS, T4_REVIEW, TABLE_NAMES, cell_label
from ..domain.text import MAX_NUMBER_DIGITS
from ..model import Finding, Report, Value

# ---------------------------------------------------------------- pattern pieces
_BREAKS = "。；;，,！？!?\n"
_SENTENCE_BREAKS = "。；;！？!?\n"


def _gap(n: int) -> str:
    """Up to n characters inside one clause, with no digits (so a number is never skipped)."""
    return rf"[^\d{_BREAKS}]{{0,{n}}}?"


_NUM = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"
_APP_UNIT = r"(?:件|个|份|条|人次)"
_CASE_UNIT = r"(?:件|起|宗|个|例)"
NEG_WORDS = ("尚未", "均未", "从未", "未", "没有", "无")
_NEG = f"(?:{'|'.join(NEG_WORDS)})"
RECEIVED_VERBS = ("收到", "受理", "接收", "接到", "新收", "登记")
HANDLED_VERBS = ("答复", "办结", "办理完毕", "处理完毕")

T3_RECEIVED = "t3.received.total"
T3_CARRIED_OVER = "t3.carried_over.total"
T3_HANDLED = "t3.total_handled.total"
T3_CARRIED_FORWARD = "t3.carried_forward.total"
REVIEW_TOTAL = "t4.review.total"
LITIGATION_TOTALS = ("t4.litigation_direct.total", "t4.litigation_after_review.total")
_T4_COLUMN_LABELS = {c.key: c.label for c in T4_COLUMNS}


# Words in the clause before a statement (or between its verb and number) that make it
# about a part, another period, another subject or an aggregate beyond the body.
CONTEXT_EXCLUDE: tuple[str, ...] = (
    "其中", "代表", "通过", "网上", "在线", "当面", "信函", "传真", "邮件", "电话", "平台",
    "同比", "较", "比上年", "上年", "去年", "上一年", "前年", "累计", "历年", "以来", "平均",
    "各级", "各地", "各部门", "各单位", "各镇", "各街道", "各乡镇", "系统", "转办", "协助", "指导",
    "月", "季度", "上半年", "下半年", "日均", "人均",
)
GAP_EXCLUDE: tuple[str, ...] = (
    "复议", "诉讼", "投诉", "举报", "信访", "咨询", "建议", "提案", "许可", "审批", "办件",
    "网上", "在线", "当面", "信函", "邮件", "传真", "电话", "同比", "较", "增加", "减少",
    "增长", "下降", "占", "其中", "以上", "平均", "补正", "延期", "不予", "部分", "予以",
    "政务服务", "行政", "其他", "其它", "新的", "除", "被", "纠正", "维持", "败诉", "撤销",
    "审结", "结案", "率", "留言", "来信", "诉求", "热线", "网民", "费",
)
# In carry-over statements some of those words are normal ("结转申请"), so they get a
# shorter list.
CARRY_GAP_EXCLUDE: tuple[str, ...] = ("复议", "诉讼", "同比", "较", "其中", "增加", "减少")
# In "none" statements: 未收到其他…申请 is a partial negation, so 其他 in the gap rules the
# statement out; but "无公民、法人或其他组织向我局提出…" names the applicants, where 其他组织
# is normal, so that statement gets a list without the bare 其他.
NONE_GAP_EXCLUDE: tuple[str, ...] = (
    "复议", "诉讼", "投诉", "举报", "信访", "咨询", "建议", "提案", "许可", "审批", "办件",
    "其他", "其它", "新的", "除", "被", "逾期", "费", "有效", "书面", "网上", "当面", "信函", "电子",
)
RAISED_GAP_EXCLUDE: tuple[str, ...] = (
    *(w for w in NONE_GAP_EXCLUDE if w not in ("其他", "其它")),
    "其他政府", "其它政府", "其他信息", "其它信息", "其他的", "其它的", "其他申请", "其他依申请",
)
# Words in the clause before a "none" statement that limit it to a part or a period
# ("第四季度未收到…", "除…外未收到…").
NONE_CONTEXT_EXCLUDE: tuple[str, ...] = ("月", "季度", "上半年", "下半年", "除", "其中", "上年", "去年", "网上", "当面")

@dataclass(frozen=True, slots=True)
class Statement:
    """One way reports restate a table figure.

    ``kind``:
      * ``eq``: the number equals the sum of ``cells``;
      * ``received``: the number is 本年新收, or 新收 + 上年结转 (受理 may include carry-over);
      * ``handled``: the number is （七）总计, or 新收, or 新收 + 上年结转 (答复/办结 are used loosely);
      * ``none``: the prose says there were none, so the sum of ``cells`` must be 0;
      * ``none_remedies``: like ``none``, with the cells taken from the words matched
        (行政复议 -> table 4 review, 行政诉讼 -> both litigation blocks).
    ``needs``: a word that must occur within ``needs_window`` characters before the match
    (答复 N 件 is about applications only if 申请 was just mentioned), or, with
    ``needs_window`` 0, in the sentence up to the end of the match (a 司法局's "办理行政复议
    案件 56 件" is its own business, not a 信息公开 case).
    ``breakdown``: the 其中结果维持… that may follow, per column of table 4.
    ``starts``: for a pattern that opens with a choice of words (no common first character,
    so the regex engine would try it at every character, ~6 ns each): the words. The
    words are found with ``str.find`` (``Openings``), and the pattern is tried only there.
    ``anchor``: for a pattern that opens with the number (tried at every digit and every
    一 of the text, slow), a word every match contains once, at most ``reach`` characters
    after the match start when the number has at most 12 characters: the pattern is tried
    only in the windows before each anchor (widened over a longer number).
    """

    name: str
    pattern: str
    cells: tuple[str, ...]
    kind: str
    needs: str | None = None
    needs_window: int = 60
    breakdown: str | None = None  # "review" | "litigation"
    gap_exclude: tuple[str, ...] = GAP_EXCLUDE
    context_exclude: tuple[str, ...] = CONTEXT_EXCLUDE
    anchor: str | None = None
    reach: int = 0
    starts: tuple[str, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)

    def finditer(self, text: str, openings: Openings | None = None) -> Iterator[re.Match[str]]:
        """The pattern's matches in ``text``, as ``re.finditer`` gives them. ``openings``:
        where the statements' opening words are in ``text``, when the caller has them."""
        if self.starts:
            at = (openings or Openings(text)).of(self.starts)
            match = self.regex.match
            done = 0  # as in finditer: the next match starts at or after the last one's end
            for i in at:
                if i >= done:
                    m = match(text, i)
                    if m is not None:
                        done = m.end()
                        yield m
            return
        if self.anchor is None:
            yield from self.regex.finditer(text)
            return
        done = 0  # matches never overlap: the next starts at or after the last one's end
        at = text.find(self.anchor)
        while at >= 0:
            lo = max(done, at - self.reach)
            while lo > done and (text[lo - 1].isdecimal() or text[lo - 1] in _CN_NUMERALS):
                lo -= 1  # a window that starts inside a number starts where the number does
            for m in self.regex.finditer(text, lo, at + self.reach + len(self.anchor)):
                if m.start() >= done:
                    done = m.end()
                    yield m
            at = text.find(self.anchor, at + 1)


class Openings:
    """Where the opening words of the statements with ``starts`` occur in a text: every
    occurrence of each word, found with ``str.find`` (a word may start inside another,
    新收到: 收到 inside 新收; 尚未: 未, so each word is looked for on its own)."""

    __slots__ = ("found",)

    def __init__(self, text: str) -> None:
        found: dict[str, list[int]] = {}
        for word in _OPENING_WORDS:
            at = text.find(word)
            while at >= 0:
                found.setdefault(word, []).append(at)
                at = text.find(word, at + 1)
        self.found = found

    def of(self, words: tuple[str, ...]) -> list[int]:
        """The positions where any of ``words`` starts, in order."""
        at: list[int] = []
        for word in words:
            at += self.found.get(word, ())
        return sorted(set(at))


_CN_NUMERALS = frozenset("零〇一二两三四五六七八九十百千")  # with \d (str.isdecimal): what ``_NUM`` matches


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "received",
        rf"(?P<verb>{'|'.join(RECEIVED_VERBS)})(?P<gap>{_gap(20)}申请{_gap(8)}){_NUM}{_APP_UNIT}",
        (T3_RECEIVED,),
        "received",
        starts=RECEIVED_VERBS,
    ),
    Statement(
        "received_is",
        rf"(?P<verb>{'|'.join(RECEIVED_VERBS[:5])})(?P<gap>{_gap(20)}申请(?:数量|件数|总数|总量)?)(?:为|是|共)(?P<n>0|零)(?!\d)",
        (T3_RECEIVED,),
        "received",
        starts=RECEIVED_VERBS[:5],  # (the verbs but 登记)
    ),
    Statement(
        "handled",
        rf"(?P<verb>{'|'.join(HANDLED_VERBS)})(?P<gap>{_gap(8)}){_NUM}{_APP_UNIT}",
        (T3_HANDLED,),
        "handled",
        needs="申请",
        starts=HANDLED_VERBS,
    ),
    Statement(
        "received_none",
        rf"{_NEG}(?:收到|受理|接到|接收|发生|产生)(?P<gap>{_gap(15)})(?:政府信息公开|信息公开|依申请公开)(?:的|类|方面的?)?"
        r"(?:申请|事项)(?!费|处理费|引|而|的?行政|被)",
        (T3_RECEIVED,),
        "none",
        gap_exclude=NONE_GAP_EXCLUDE,
        context_exclude=NONE_CONTEXT_EXCLUDE,
        starts=NEG_WORDS,
    ),
    Statement(
        "received_none_raised",
        rf"无(?P<gap>{_gap(25)})提出(?:{_gap(4)})(?:政府信息公开|信息公开)(?:的)?申请(?!费|处理费|引|而|的?行政|被)",
        (T3_RECEIVED,),
        "none",
        gap_exclude=RAISED_GAP_EXCLUDE,
        context_exclude=NONE_CONTEXT_EXCLUDE,
    ),
    Statement(
        "carried_over",
        rf"(?:上年|上一年|上年度|上一年度)结转(?P<gap>{_gap(8)}){_NUM}件",
        (T3_CARRIED_OVER,),
        "eq",
        gap_exclude=CARRY_GAP_EXCLUDE,
        context_exclude=(),
    ),
    Statement(
        "carried_forward_after",
        rf"{_NUM}件(?P<gap>(?:申请)?)(?:顺延|结转|转入)(?:到|至)?下(?:一)?年度",
        (T3_CARRIED_FORWARD,),
        "eq",
        gap_exclude=CARRY_GAP_EXCLUDE,
        context_exclude=(),
        anchor="下",  # rarer in reports than 年度 (本年度, 2023年度): fewer windows to try
        reach=18,  # a number of up to 12 characters, 件申请, 结转到
    ),
    Statement(
        "carried_forward",
        rf"结转(?:到|至)?下(?:一)?年度(?:继续)?(?:办理|答复)?(?P<gap>{_gap(6)}){_NUM}件",
        (T3_CARRIED_FORWARD,),
        "eq",
        gap_exclude=CARRY_GAP_EXCLUDE,
        context_exclude=(),
    ),
    Statement(
        "review",
        # no leading context group: a pattern that starts with an optional run is retried at
        # every position; the clause before the keyword is examined by _usable instead
        rf"行政复议(?:案件|申请)?(?P<gap>{_gap(6)}){_NUM}{_CASE_UNIT}",
        (REVIEW_TOTAL,),
        "eq",
        needs="信息公开",
        needs_window=0,
        breakdown="review",
    ),
    Statement(
        "litigation",
        rf"行政诉讼(?:案件)?(?P<gap>{_gap(6)}){_NUM}{_CASE_UNIT}",
        LITIGATION_TOTALS,
        "eq",
        needs="信息公开",
        needs_window=0,
        breakdown="litigation",
    ),
    Statement(
        "remedies_none",
        rf"{_NEG}(?:发生|出现|收到|产生|涉及|接到|被提起|被申请)?(?P<gap>{_gap(15)})"
        r"(?P<what>行政复议(?:[和或及、与]行政诉讼)?|行政诉讼(?:[和或及、与]行政复议)?)"
        r"(?:案件|申请|事件|情况|事项|的情况)?(?:[和或及、与](?:投诉|举报|信访))*(?=[。；;，,！!]|$)",
        (),
        "none_remedies",
        gap_exclude=(*NONE_GAP_EXCLUDE, "纠正", "维持", "败诉", "撤销", "审结", "结案", "办结"),
        context_exclude=NONE_CONTEXT_EXCLUDE,
        starts=NEG_WORDS,
    ),
)

_OPENING_WORDS = sorted({w for st in STATEMENTS for w in st.starts})

# The 其中… columns of table 4 after a review or litigation count.
BREAKDOWN: tuple[tuple[str, str], ...] = (
    ("upheld", rf"(?:结果)?维持(?:原)?(?:行政行为|决定)?{_gap(2)}{_NUM}{_CASE_UNIT}"),
    ("corrected", rf"(?:结果)?(?:被)?纠正(?:错误)?{_gap(2)}{_NUM}{_CASE_UNIT}"),
    ("other", rf"其他(?:结果)?{_gap(2)}{_NUM}{_CASE_UNIT}"),
    ("pending", rf"(?:尚未审结|未审结|尚在审理|正在审理|审理中){_gap(2)}{_NUM}{_CASE_UNIT}"),
)
BREAKDOWN_GROUPS: dict[str, tuple[str, ...]] = {
    "review": ("review",),
    "litigation": ("litigation_direct", "litigation_after_review"),
}

LOOSE_RECEIVED_VERBS: frozenset[str] = frozenset({"受理", "登记"})
_YEAR = re.compile(r"(20\d{2}|19\d{2})年")
_SPACES = (" ", "\t", "\r", "\u3000", "\xa0")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> int | None:
    """'8' -> 8, '十二' -> 12, '一百零三' -> 103; None for what is not a plain number."""
    if s.isdigit():  # ('²'.isdigit() is true, and int('²') an error)
        return int(s) if s.isdecimal() and len(s) <= MAX_NUMBER_DIGITS else None
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


# ---------------------------------------------------------------- text
def _narrative(report: Report) -> str:
    """All sections as one whitespace-free text (PDF lines break inside numbers and words)."""
    return "。".join([narrative_text(text) for text in report.sections.values()])


def narrative_text(text: str) -> str:
    """One section as one whitespace-free text: the lines joined, page numbers dropped.

    A line joins the next one directly when it was wrapped: at least ``_WRAPPED_LINE`` long,
    not ending a sentence, and the next line no heading. Any other line break becomes 。 so
    a heading or a finished line is not one sentence with the next."""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = text.translate(_FULLWIDTH)  # normalized text has no full-width forms; raw input may
    for space in _SPACES:
        if space in text:
            text = text.replace(space, "")
    out: list[str] = []
    for line in text.split("\n"):
        if not line or _PAGE_NUMBER.fullmatch(line):
            continue  # an empty line, or a page footer between the two halves of a wrapped sentence
        if out and (len(out[-1]) < _WRAPPED_LINE or out[-1][-1] in _SENTENCE_BREAKS or _HEADING.match(line)):
            out.append("。")
        out.append(line)
    return "".join(out)


# A line at least this long that does not end a sentence was wrapped (PDF), so it joins
# the next line; a shorter one is a heading or a line of its own.
_WRAPPED_LINE = 20
_PAGE_NUMBER = re.compile(r"[-—–第]*\d+[-—–页]*(?:/\d+)?")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、])")


_FULLWIDTH = str.maketrans("０１２３４５６７８９，；：（）", "0123456789,;:()")


def _clause_start(text: str, pos: int, breaks: str = _BREAKS) -> int:
    i = pos - 1
    while i >= 0 and text[i] not in breaks:
        i -= 1
    return i + 1


def _sentence(text: str, start: int, end: int, limit: int = 90) -> str:
    a = _clause_start(text, start, _SENTENCE_BREAKS)
    b = end
    while b < len(text) and text[b] not in _SENTENCE_BREAKS:
        b += 1
    s = text[a:b]
    if len(s) > limit:  # keep the statement itself and some context on both sides
        left = max(a, start - 30)
        s = ("…" if left > a else "") + text[left : min(b, end + 30)] + ("…" if end + 30 < b else "")
    return s


def _has(s: str, words: Iterable[str]) -> bool:
    return any(w in s for w in words)


# ---------------------------------------------------------------- table values
def _cell(report: Report, key: str) -> Value:
    """A cell's value; a missing t3 总计 is the sum of its six columns when all are known."""
    v = report.value(key)
    if v is not None or not (key.startswith("t3.") and key.endswith(".total")):
        return v
    row = key[3:-6]
    parts = [report.value(f"t3.{row}.{c}") for c in T3_PARTS]
    if any(p is None for p in parts):
        return None
    return sum(parts)  # type: ignore[arg-type,return-value]


def _sum(report: Report, keys: Iterable[str]) -> Value:
    total: int | Decimal = 0
    for k in keys:
        v = _cell(report, k)
        if v is None:
            return None
        total += v
    return total


def _fmt(v: object) -> str:
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return str(int(v))
    return str(v)


def _table(keys: Iterable[str]) -> str | None:
    tables = {k.split(".")[0] for k in keys}
    return tables.pop() if len(tables) == 1 else None


def _where(keys: tuple[str, ...]) -> str:
    if keys == LITIGATION_TOTALS:
        return f"{TABLE_NAMES['t4']}「{T4_LITIGATION}」（{T4_LITIGATION_KINDS[0]}与{T4_LITIGATION_KINDS[1]}）总计之和"
    if len(keys) == 1:
        return cell_label(keys[0])
    return "、".join(cell_label(k) for k in keys) + "之和"


# ---------------------------------------------------------------- the check
def check_text_vs_table(report: Report) -> list[Finding]:
    """Findings where the report's prose contradicts its own tables (TEXT_TABLE_MISMATCH)."""
    if not report.sections or not report.cells:
        return []
    text = _narrative(report)
    out: list[Finding] = []
    seen: set[tuple[tuple[str, ...], str]] = set()

    def add(keys: tuple[str, ...], sentence: str, said: str, table_value: Value, found: Value | str) -> None:
        if (keys, said) in seen:
            return
        seen.add((keys, said))
        out.append(
            Finding.of(
                "TEXT_TABLE_MISMATCH",
                cells=keys,
                table=_table(keys),
                expected=table_value,
                found=found,
                sentence=sentence,
                where=_where(keys),
                value=_fmt(table_value),
            )
        )

    openings = Openings(text)
    for st in STATEMENTS:
        for m in st.finditer(text, openings):
            if not _usable(st, m, text, report.report_year):
                continue
            sentence = _sentence(text, m.start(), m.end())
            if st.kind == "none_remedies":
                what = m.group("what")
                groups: list[tuple[str, ...]] = []
                if "复议" in what:
                    groups.append((REVIEW_TOTAL,))
                if "诉讼" in what:
                    groups.append(LITIGATION_TOTALS)
                for keys in groups:
                    v = _sum(report, keys)
                    if v is not None and v > 0:
                        add(keys, sentence, "none", v, 0)
                continue
            if st.kind == "none":
                v = _sum(report, st.cells)
                if v is not None and v > 0:
                    add(st.cells, sentence, "none", v, 0)
                continue
            n = cn_number(m.group("n"))
            if n is None:
                continue
            allowed, shown = _allowed(st, report, m.groupdict().get("verb") or "")
            if allowed is None:
                pass
            elif n not in allowed:
                add(st.cells, sentence, str(n), shown, n)
            if st.breakdown:
                out.extend(_check_breakdown(st, m, text, report, seen))
    return out


# The applicants as the 条例 names them: inside a statement's gap, their 其他 is no
# "other" applications.
_APPLICANTS = re.compile(r"公民[、，,]?法人(?:和|或|及|与|或者|以及|、)?(?:其他|其它)组织")


# The words just before 答复/办结 that make the count one kind of reply (同意公开答复,
# 同意部分公开答复, 不予公开答复, 否决公开答复, 告知…答复): a part of those handled.
_HANDLED_PART = re.compile(r"(?:公开|不予|否决|告知|不同意|不存在|不明确|非本机关|转办|延期|补正)$")


def _usable(st: Statement, m: re.Match[str], text: str, year: int | None) -> bool:
    """Whether a match clearly restates the table (see the module docstring)."""
    start = m.start()
    clause = text[_clause_start(text, start) : start]
    gap = m.groupdict().get("gap") or ""
    if "其他组织" in gap or "其它组织" in gap:
        gap = _APPLICANTS.sub("", gap)  # who applied (公民、法人和其他组织) is no partial 其他
    ctx = m.groupdict().get("ctx") or ""
    if _has(gap, st.gap_exclude):
        return False
    if _has(clause, st.context_exclude) or _has(ctx, st.context_exclude):
        return False
    if st.kind == "handled" and _HANDLED_PART.search(clause):
        return False  # 同意部分公开答复1件, 不予公开答复2件: one kind of reply, not all of them
    years = {int(y) for y in _YEAR.findall(clause + ctx)}
    if years and (year is None or years != {year}):
        return False  # a figure for another year, or for a year we cannot place
    if st.needs:
        if st.needs_window:
            window = text[max(0, start - st.needs_window) : start]
        else:
            window = text[_clause_start(text, start, _SENTENCE_BREAKS) : m.end()]
        if st.needs not in window:
            return False
    return True


def _allowed(st: Statement, report: Report, verb: str = "") -> tuple[set[int | Decimal] | None, Value]:
    """The values the statement may truthfully have, and the table value to show.

    受理 and 登记 are used by some bodies for what they finished handling, so for those verbs
    the （七）总计 is accepted too; 收到 and 新收 mean what came in.
    """
    if st.kind == "eq":
        v = _sum(report, st.cells)
        return (None, None) if v is None else ({v}, v)
    received = _cell(report, T3_RECEIVED)
    over = _cell(report, T3_CARRIED_OVER)
    handled = _cell(report, T3_HANDLED)
    if received is None:
        return None, None
    ok: set[int | Decimal] = {received}
    if over is not None:
        ok.add(received + over)
    if st.kind == "handled":
        if handled is None:
            return None, None
        ok.add(handled)
        return ok, handled
    if verb in LOOSE_RECEIVED_VERBS and handled is not None:
        ok.add(handled)
    return ok, received


def _check_breakdown(st: Statement, m: re.Match[str], text: str, report: Report, seen: set) -> list[Finding]:
    """其中结果维持 72 件，结果纠正 64 件… after a review or litigation count."""
    end = m.end()
    stop = end
    while stop < len(text) and text[stop] not in "。；;":
        stop += 1
    tail = text[end:stop]
    # the litigation statement after a review statement is not part of its breakdown
    for other in (T4_LITIGATION, T4_REVIEW):
        cut = tail.find(other)
        if cut >= 0:
            tail = tail[:cut]
    out: list[Finding] = []
    assert st.breakdown is not None
    for col, pat in BREAKDOWN:
        bm = re.search(pat, tail)
        if not bm:
            continue
        n = cn_number(bm.group("n"))
        keys = tuple(f"t4.{g}.{col}" for g in BREAKDOWN_GROUPS[st.breakdown])
        v = _sum(report, keys)
        if n is None or v is None or n == v or (keys, str(n)) in seen:
            continue
        seen.add((keys, str(n)))
        sentence = _sentence(text, m.start(), end + bm.end())
        label = _T4_COLUMN_LABELS[col]
        t4 = TABLE_NAMES["t4"]
        where = f"{t4}「{T4_REVIEW}」" if st.breakdown == "review" else f"{t4}「{T4_LITIGATION}」（两类起诉之和）"
        out.append(
            Finding.of("TEXT_TABLE_MISMATCH", cells=keys, table="t4", expected=v, found=n, sentence=sentence, where=where + label, value=_fmt(v))
        )
    return out


__all__ = ["BREAKDOWN", "STATEMENTS", "Statement", "check_text_vs_table", "cn_number"]
