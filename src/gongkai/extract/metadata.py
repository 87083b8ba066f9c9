"""Title, issuing body, report year and publication date (the body: ``publisher``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from ..domain.text import BREADCRUMB
from .publisher import find_body

_TITLE_WORDS = ("政府信息公开", "政务公开", "信息公开")
_CHROME = re.compile(
    r"^(?:标题|题名|名称|索引号|信息分类|发布机构|发文机关|发布日期|发布时间|成文日期|文号|时效|主题分类|来源|所属机构|公开方式|公开范围)\s*[:：]\s*"
)
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计区间|统计时间|统计周期|统计数据)[^。]{0,12}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")


@dataclass(slots=True)
class Meta:
    title: str | None = None
    issuing_body: str | None = None
    report_year: int | None = None
    publication_date: str | None = None
    body_from: str | None = None  # how the body was found: publisher.SOURCES (title … self)
    year_from: str | None = None


_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")


def _arabic_year(text: str) -> str:
    """二〇二二年 -> 2022年 (titles set in Chinese numerals)."""
    return _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", text)


_TITLE_KEY = re.compile(r"^(?:标题|题名|名称)\s*[:：]\s*")
# The same keys set off by a space, not a colon (a portal's metadata table flattened:
# 名称 宿迁市2017年政府信息公开年度报告, 文件下载 某某…报告): the key is no part of the title.
_SPACED_KEYS = ("标题", "题名", "名称", "文件名称", "文件下载")
_SPACED_KEY = re.compile(rf"^(?:{'|'.join(_SPACED_KEYS)})\s+(?=\S)")


def find_title(lines: list[str]) -> tuple[int, str] | None:
    """The report's title: the first line near the top that names an annual disclosure
    report, preferring one that states its year (a 信息分类: 政府信息公开年报 chrome line
    names the category, not the report, nor does a breadcrumb ending in 政府信息公开年报 >
    2022年度)."""
    first: tuple[int, str] | None = None
    top = lines[:60]
    for i, line in enumerate(top):
        if _CHROME.match(line) and not _TITLE_KEY.match(line):
            continue
        if "\t" in line:
            line = _infobox_title(line)
        if line.startswith(_SPACED_KEYS):
            line = _SPACED_KEY.sub("", line)
        t = _CHROME.sub("", line).replace(" ", "")
        if not t or len(t) > 60:
            continue
        if not (any(w in t for w in _TITLE_WORDS) and ("报告" in t or "年报" in t)):
            t = _title_first_half(t, top, i)
            if t is None:
                continue
        if any(w in t for w in ("条例", "通知", "模板", "格式", "范本", "样本")) or BREADCRUMB.search(t):
            continue
        if _YEAR.search(_arabic_year(t)):
            return i, t
        first = first or (i, t)
    return first


# The keys of an infobox row (a mirror's 中文名 | 某某报告 | 发布单位 | 某某局 |): cells that
# name the next cell.
_INFOBOX_KEYS = frozenset(
    ("中文名", "标题", "题名", "名称", "文件名称", "发布机构", "发文机关", "发布单位", "发文单位", "信息来源", "来源", "所属机构",
     "发布日期", "发布时间", "成文日期")
)


def _infobox_title(line: str) -> str:
    """In a row of key and value cells, the value that is a title (the keys and the other
    values are not part of it); any other line as it is. Only a row with a key cell: the
    two halves of a title set side by side (某某局 / 2023年…报告) stay one title."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if not any(c in _INFOBOX_KEYS for c in cells):
        return line
    for c in cells:
        if any(w in c for w in _TITLE_WORDS) and ("报告" in c or "年报" in c):
            return c
    return line


def _infobox_fields(line: str) -> dict[str, str]:
    """The metadata an infobox row gives: a key cell and the value cell after it."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if _FIELD_KEY_SET.isdisjoint(cells):
        return {}  # (a table's row, as most rows with tabs near the top are)
    return {k: v for k, v in pairwise(cells) if k in _FIELD_KEY_SET and v not in _INFOBOX_KEYS}


_SENTENCE_MARKS = re.compile(r"[，。；：,;:！？]")


def _title_first_half(t: str, lines: list[str], i: int) -> str | None:
    """A title set on two lines (宿州市人民政府2016年 / 政府信息公开工作年度报告, 道县文广新局
    2013年度信息公开工作 / 年度报告): ``t`` joined with the next line, when ``t`` holds the
    title's year or subject, is no sentence, and the two make a title the next line is not
    by itself."""
    if i + 1 >= len(lines) or len(t) > 30:
        return None
    nxt = lines[i + 1]
    if "报告" not in nxt and "年报" not in nxt:  # (first: what almost every line fails)
        return None
    if _SENTENCE_MARKS.search(t) or not (_YEAR.search(t) or any(w in t for w in _TITLE_WORDS)):
        return None
    nxt = nxt.replace(" ", "")
    if not nxt or len(nxt) > 30 or _SENTENCE_MARKS.search(nxt) or not ("报告" in nxt or "年报" in nxt):
        return None
    if any(w in nxt for w in _TITLE_WORDS) and _YEAR.search(nxt):
        return None  # the next line is a whole title of its own
    joined = t + nxt
    return joined if any(w in joined for w in _TITLE_WORDS) else None


def extract_metadata(lines: list[str], text: str) -> Meta:
    meta = Meta()
    found = find_title(lines)
    chrome = _chrome_fields(lines[:40])
    if found:
        i, title = found
        meta.title = title
        title = _arabic_year(title)
        m = _YEAR.search(title)
        if m:
            meta.report_year = int(m.group(1))
            meta.year_from = "title"
        found = (i, title)
    meta.issuing_body, meta.body_from = find_body(lines, text, found, chrome)
    if meta.report_year is None:
        m = _PERIOD.search(text.replace(" ", ""))
        if m:
            meta.report_year, meta.year_from = int(m.group(1)), "period"
    if meta.report_year is None:
        years = Counter(int(y) for y in _YEAR.findall(text[:6000]))
        if years:
            meta.report_year, meta.year_from = years.most_common(1)[0][0], "text"
    for key in ("发布日期", "发布时间", "成文日期"):
        if key in chrome:
            d = _iso(chrome[key])
            if d:
                meta.publication_date = d
                break
    if meta.publication_date is None:
        meta.publication_date = _signature_date(lines)
    return meta


_FIELD_SPLIT = re.compile(r"\s{2,}|\t")
_FIELD_KEYS = ("标题", "发布机构", "发文机关", "发布单位", "发文单位", "信息来源", "所属机构", "发布日期", "发布时间", "成文日期", "来源")
_FIELD_KEY_SET = frozenset(_FIELD_KEYS)
_FIELD = re.compile(rf"^({'|'.join(_FIELD_KEYS)})\s*[:：]\s*(.*)$")


def _chrome_fields(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        if ":" not in line and "：" not in line:
            if "\t" in line:
                for k, v in _infobox_fields(line).items():
                    out.setdefault(k, v)
            continue
        for part in _FIELD_SPLIT.split(line):
            m = _FIELD.match(part.strip())
            if m and m.group(2).strip():
                out.setdefault(m.group(1), m.group(2).strip())
    return out


def _iso(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


_YEAR_MARK = re.compile(r"20\d{2}\s*年")


def _signature_date(lines: list[str]) -> str | None:
    tail = [ln.strip() for ln in lines[-12:] if ln.strip()]
    for line in reversed(tail):
        if len(line) <= 20:
            d = _iso(line)
            if d:
                return d
    return None
