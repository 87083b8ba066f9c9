"""Matching damaged label text against the official labels of ``gongkai.domain.labels``."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from ..domain.labels import SECTIONS, T2_ROWS, T3_ROWS, SectionSpec, T2Row

# Numbering in front of a label: 一、 (一) （一） 1. 1、 1．
_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]{1,2}[、.．]|[(（][一二三四五六七八九十]{1,2}[)）]|\d{1,2}[.、．,，]?(?!\d))+")
_NOISE = re.compile(r"[\s\"“”'‘’「」《》【】]")
_TAIL_PUNCT = re.compile(r"[:：。;；,，]+$")


def squash(text: str) -> str:
    """Remove spaces and quotes: 结 果 维 持 -> 结果维持."""
    return _NOISE.sub("", text)


@lru_cache(maxsize=8192)
def core(text: str) -> tuple[str, str]:
    """(prefix, label) with numbering split off and spaces removed."""
    s = squash(text)
    m = _PREFIX.match(s)
    if m:
        return m.group(0), _TAIL_PUNCT.sub("", s[m.end() :])
    return "", _TAIL_PUNCT.sub("", s)


_T3_INDEX = {r.key: i for i, r in enumerate(T3_ROWS)}
# A label may carry a wrapped fragment or a group name in front of it, not a sentence.
_T3_MAX_LEN = {r.key: len(squash(r.label)) + 12 for r in T3_ROWS}
_EXACT_ONLY = {"other.other": "其他", "total_handled": "总计"}
_EXACT_PREV = {"other.other": ("other.unpaid_fee", "other.no_correction"), "total_handled": ("other", "other.other", "other.unpaid_fee")}
_EXACT_PREFIX = {"other.other": ("3",), "total_handled": ("(七)", "七", "（七）")}


@lru_cache(maxsize=8192)
def match_t3_row(text: str, last: str | None) -> str | None:
    """The table-3 row a label token names, or None. ``last``: the row matched before,
    which disambiguates the generic labels 其他 and 总计 (also column headers)."""
    prefix, label = core(text)
    label = label.rstrip("/／")  # the row's first cells' blank marks run into its label
    if not label or len(label) > 48:
        return None
    pos = _T3_INDEX[last] if last else -1
    for key, word in _EXACT_ONLY.items():
        if label == word or label == word + "情况":
            # the row's own numbering names it wherever it is (a page may start at it: the
            # rows above on the page before); no column header is numbered
            if last in _EXACT_PREV[key] or prefix.rstrip(".、．,，") in _EXACT_PREFIX[key]:
                return key
            return None
    best = None
    for r in T3_ROWS:
        if r.key in _EXACT_ONLY:
            continue
        if len(label) > _T3_MAX_LEN[r.key]:
            continue  # a sentence that starts like a label ("本年新收…申请数量较上年有所增加")
        for ph in r.phrases:
            if ph in label:
                # the longest phrase wins: 其他法律行政 must not lose to a shorter one
                if best is None or len(ph) > best[1]:
                    best = (r.key, len(ph))
                break
    if best is not None:
        return best[0]
    # a typo the phrases miss: compare with the next few official labels only
    if prefix and 3 <= len(label) <= 40:
        for r in T3_ROWS[pos + 1 : pos + 4]:
            _, want = core(r.label)
            if SequenceMatcher(None, label, want).ratio() >= 0.75:
                return r.key
    return None


# A note in brackets after a row's name (规范性文件（行政机关制定发布的决定、公告…）, as
# provinces' forms explain their rows): the name is what is matched.
_NOTE = re.compile(r"^([^(（]{2,20})[(（].{8,}$")


@lru_cache(maxsize=4096)
def match_t2_row(text: str, fmt: str) -> T2Row | None:
    _, label = core(text)
    note = _NOTE.match(label)
    if note is not None:
        label = note.group(1)
    if not label or len(label) > 40:
        return None
    best: tuple[T2Row, int] | None = None
    for r in T2_ROWS[fmt]:
        for ph in r.phrases:
            if ph in label and (best is None or len(ph) > best[1]):
                best = (r, len(ph))
    if best is None:
        return None
    row = best[0]
    # 行政规范性文件 must not be read as 规章 and vice versa; the label must be mostly the row name
    if len(label) > len(row.label) + 24:
        return None
    return row


_SECTION_NUM = "一二三四五六"


@lru_cache(maxsize=4096)
def match_section(text: str) -> SectionSpec | None:
    """A section heading: 三、收到和处理政府信息公开申请情况 (numbered), or the bare title."""
    prefix, label = core(text)
    if not label or len(label) > 40:
        return None
    num = prefix[:1] if prefix and prefix[0] in _SECTION_NUM and not prefix.startswith(("(", "（")) else ""
    for s in SECTIONS:
        if num:
            if num != s.number:
                continue
            if any(ph in label for ph in s.phrases):
                return s
        elif label == s.title or label == "政府信息公开" + s.title:
            return s
    return None
