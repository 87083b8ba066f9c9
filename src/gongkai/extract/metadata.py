"""Title, issuing body, report year and publication date."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..domain.text import BODY_SUFFIXES

_TITLE_WORDS = ("政府信息公开", "政务公开", "信息公开")
_CHROME = re.compile(r"^(?:标题|题名|名称|索引号|信息分类|发布机构|发文机关|发布日期|发布时间|成文日期|文号|时效|主题分类|来源|所属机构|公开方式|公开范围)\s*[:：]\s*")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计区间|统计时间|统计周期|统计数据)[^。]{0,12}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_BODY_CHARS = re.compile(r"^[\u4e00-\u9fa5（）()]{2,40}$")
_SUFFIX_RE = re.compile("(?:" + "|".join(re.escape(s) for s, _ in BODY_SUFFIXES) + ")$")
# Characters that end a name candidate when scanning backwards from a suffix in prose
_STOP = set("，。、；：,.;:“”\"《》〈〉()（）的在和了是我为由向对经按及与将把被从于即并等其该本各全其中年月日")
_NOT_NAME = re.compile("公开|主动|工作|年度|申请|报告|发布|负责|召开|成立")
_MENTION = re.compile("(?:" + "|".join(re.escape(s) for s, _ in BODY_SUFFIXES if len(s) >= 1) + ")")


@dataclass(slots=True)
class Meta:
    title: str | None = None
    issuing_body: str | None = None
    report_year: int | None = None
    publication_date: str | None = None
    body_from: str | None = None  # how the body was found: title, heading, chrome, signature, text
    year_from: str | None = None


def looks_like_body(text: str, place_ok: bool = False) -> bool:
    """An agency's name; with ``place_ok`` a bare place (浦东新区, 某某镇) also counts, as it
    does in a report's own title where the place stands for its government."""
    t = text.replace(" ", "")
    if not _BODY_CHARS.match(t) or len(t) < 3:
        return False
    return bool(_SUFFIX_RE.search(t)) or (place_ok and bool(_PLACE_RE.search(t)))


_PLACE_RE = re.compile("(?:省|自治区|市|区|县|旗|镇|乡|街道|苏木|开发区|新区|管理区)$")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")


def _arabic_year(text: str) -> str:
    """二〇二二年 -> 2022年 (titles set in Chinese numerals)."""
    return _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", text)


_BODY_DEBRIS = re.compile(r"[\s《》“”\"]")
# a line ``_clean_body`` can turn into a name: name characters and the debris it removes
_MAYBE_BODY = re.compile(r"^[\u4e00-\u9fa5（）()\s《》“”\"]+$")
_BODY_LEAD = re.compile(r"^(?:关于|有关)")
_BODY_TAIL = re.compile(r"(?:关于|的)$")


def _clean_body(text: str) -> str:
    return _BODY_TAIL.sub("", _BODY_LEAD.sub("", _BODY_DEBRIS.sub("", text)))


_TITLE_KEY = re.compile(r"^(?:标题|题名|名称)\s*[:：]\s*")


def find_title(lines: list[str]) -> tuple[int, str] | None:
    """The report's title: the first line near the top that names an annual disclosure
    report, preferring one that states its year (a 信息分类: 政府信息公开年报 chrome line
    names the category, not the report)."""
    first: tuple[int, str] | None = None
    for i, line in enumerate(lines[:60]):
        if _CHROME.match(line) and not _TITLE_KEY.match(line):
            continue
        t = _CHROME.sub("", line).replace(" ", "")
        if not t or len(t) > 60:
            continue
        if not (any(w in t for w in _TITLE_WORDS) and ("报告" in t or "年报" in t)):
            continue
        if any(w in t for w in ("条例", "通知", "模板", "格式", "范本", "样本")):
            continue
        if _YEAR.search(_arabic_year(t)):
            return i, t
        first = first or (i, t)
    return first


def extract_metadata(lines: list[str], text: str) -> Meta:
    meta = Meta()
    found = find_title(lines)
    chrome = _chrome_fields(lines[:40])
    if found:
        i, title = found
        meta.title = title
        m = _YEAR.search(_arabic_year(title))
        if m:
            title = _arabic_year(title)
            meta.report_year = int(m.group(1))
            meta.year_from = "title"
            body = _clean_body(title[: m.start()])
            if not body:
                # 2022年度某某区人民政府政府信息公开工作年度报告: the name follows the year
                after = re.split(r"(?:年度|年)", title[m.start() :], maxsplit=1)[-1]
                body = _clean_body(re.split(r"政府信息公开|政务公开|信息公开", after, maxsplit=1)[0])
            if looks_like_body(body, place_ok=True):
                meta.issuing_body, meta.body_from = body, "title"
        if meta.issuing_body is None:
            # the name on its own line above the title (a two-line title)
            for j in range(i - 1, max(-1, i - 4), -1):
                cand = _clean_body(_CHROME.sub("", lines[j]))
                if looks_like_body(cand):
                    meta.issuing_body, meta.body_from = cand, "heading"
                    break
    if meta.issuing_body is None and chrome.get("发布机构") and looks_like_body(chrome["发布机构"]):
        meta.issuing_body, meta.body_from = _clean_body(chrome["发布机构"]), "chrome"
    if meta.issuing_body is None:
        sig = _signature(lines)
        if sig:
            meta.issuing_body, meta.body_from = sig, "signature"
    if meta.issuing_body is None:
        body = _body_from_text(text)
        if body:
            meta.issuing_body, meta.body_from = body, "text"
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
_FIELD = re.compile(r"^(标题|发布机构|发文机关|发布日期|发布时间|成文日期|来源)\s*[:：]\s*(.*)$")


def _chrome_fields(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        if ":" not in line and "：" not in line:
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


def _signature(lines: list[str]) -> str | None:
    """The body's name signed at the end, above or beside the date."""
    tail = [ln.strip() for ln in lines[-25:] if ln.strip()]
    for i in range(len(tail) - 1, -1, -1):
        if not _MAYBE_BODY.match(tail[i]):
            continue  # (cleaning removes none of its other characters: not a name)
        cand = _clean_body(tail[i])
        if looks_like_body(cand) and len(cand) <= 30:
            nxt = tail[i + 1] if i + 1 < len(tail) else ""
            if _DATE.search(nxt) or _YEAR_MARK.search(nxt) or i >= len(tail) - 3:
                return cand
    return None


def _signature_date(lines: list[str]) -> str | None:
    tail = [ln.strip() for ln in lines[-12:] if ln.strip()]
    for line in reversed(tail):
        if len(line) <= 20:
            d = _iso(line)
            if d:
                return d
    return None


def _body_from_text(text: str) -> str | None:
    """The agency the prose names most, in its fullest form (区科技局 x5 + 开福区科技局 -> 开福区科技局)."""
    cands: list[str] = []
    sample = text[:30000]
    for m in _MENTION.finditer(sample):
        j = m.start()
        k = j
        while k > 0 and j - k < 14 and sample[k - 1] not in _STOP and "\u4e00" <= sample[k - 1] <= "\u9fa5":
            k -= 1
        cand = sample[k : m.end()]
        if len(cand) < 3 or cand.startswith(("我", "本", "该", "全", "各")):
            continue
        if sample.startswith("信息", m.end()) and m.group(0).endswith("政府"):
            continue  # 政府信息 is the subject matter, not a body
        if not _NOT_NAME.search(cand):
            cands.append(cand)
    if not cands:
        return None
    counts = Counter(cands)
    best = None
    best_score = 0
    get = counts.get
    for c in counts:
        score = sum(get(c[i:], 0) for i in range(len(c)))  # the mentions that are a suffix of it
        if score > best_score or (score == best_score and best is not None and len(c) > len(best)):
            best, best_score = c, score
    return best if best_score >= 2 else None
