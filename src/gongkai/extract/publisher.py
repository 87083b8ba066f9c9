"""The issuing body: taken from where a report states it, in order of trust, or left absent.

Order of trust (``find_body``):

1. the title (``某某局2023年政府信息公开工作年度报告``, ``关于某某2020年度政府信息公开工作的报告``,
   ``某某政府信息公开工作年度报告(2019年)``) and a name on its own line just above it;
2. the page's own metadata lines (``发布机构``, ``来源``, ``信息来源``, ``发文机关``, ``所属机构``);
3. the signature above or beside the date at the end;
4. self-references in the prose: ``某某局政府信息公开工作领导小组``, ``由某某局编制``,
   ``某某局（以下简称``, ``在某某局网站公开``, and a short self-name (``区科技局``) the prose
   uses again and again that one full mention (``开福区科技局``) expands, the report's own
   title restated or quoted in the prose (``现将《某某区2023年…报告》予以公布``), and the subject
   of the report's own intro (``2023年，山东省人民政府办公厅以…为指导``). All of them must
   agree; two different names leave the body absent.

Every candidate passes the organisation-name test (``org_problem``): it ends in a body
suffix, it is not a channel (网站, 门户网站, 公众号 …), not a fragment of a sentence, not a
superior body merely cited (国务院, 省政府 …), and outside the title a name with a division
must start with a place the gazetteer knows. The words are data in ``gongkai.domain.bodies``.
When nothing passes, the body is absent (``BODY_UNKNOWN``), never a guess.
"""

from __future__ import annotations

import re
from collections import Counter

from ..corpus.bodies import full_place, place_start, starts_a_town_name
from ..domain.bodies import (
    CHANNEL_ENDINGS,
    CITED_SUPERIORS,
    CITING_WORDS,
    FRAGMENT_LEADS,
    FRAGMENT_WORDS,
    INTRO_PREDICATES,
    LEVEL_CHARS,
    NATIONAL_PREFIXES,
    NOT_LEVEL_WORDS,
    NOT_TOWN_WORDS,
    ORG_EXTRA_ENDINGS,
    PROSE_WORDS,
    PUBLISHING_WORDS,
    SCOPE_NOTE,
)
from ..domain.text import BODY_SUFFIXES

# Sources, strongest first (``Meta.body_from``).
SOURCES = ("title", "heading", "chrome", "signature", "self")
# Metadata lines that name the publisher on a web page or in a PDF's header block.
CHROME_KEYS = ("发布机构", "发文机关", "信息来源", "来源", "所属机构", "发布单位", "发文单位")

_NAME_CHARS = re.compile(r"^[\u4e00-\u9fa5（）()]{2,40}$")
_ENDINGS = tuple(s for s, _ in BODY_SUFFIXES) + ORG_EXTRA_ENDINGS
_PLACE_END = ("省", "自治区", "市", "区", "县", "旗", "镇", "乡", "街道", "苏木", "开发区", "新区", "管理区")
_SHORT_TOWNS = ("镇", "乡")
_CHANNEL_RE = re.compile("(?:" + "|".join(map(re.escape, CHANNEL_ENDINGS)) + ")$")
_FRAGMENT_RE = re.compile("|".join(map(re.escape, FRAGMENT_WORDS)))
_PROSE_RE = re.compile("|".join(map(re.escape, PROSE_WORDS)))


def org_problem(name: str, source: str = "title") -> str | None:
    """Why ``name`` is not an organisation's name for a body found in ``source``; None
    when it is one. The title is trusted most and tested least; prose is tested most."""
    t = name.replace(" ", "")
    if not _NAME_CHARS.match(t) or (len(t) < 3 and not (source == "title" and t.endswith(_SHORT_TOWNS) and t not in NOT_TOWN_WORDS)):
        return "not a name"  # (a title's 螅镇, 某乡: a town of one character is named so)
    if _CHANNEL_RE.search(t):
        return "a channel"
    if not t.endswith(_ENDINGS) and not (source == "title" and t.endswith(_PLACE_END)):
        return "no body suffix"
    if _FRAGMENT_RE.search(t):
        return "a sentence fragment"
    if t[0] in FRAGMENT_LEADS and place_start(t) != 0:
        return "a sentence fragment"
    if source == "title":
        return None
    if _PROSE_RE.search(_stem(t)):
        return "a phrase about the work"
    if t in CITED_SUPERIORS:
        return "a superior body"
    if source == "heading":
        return None
    starts = place_start(t)
    if t[0] in LEVEL_CHARS and not t.startswith(NOT_LEVEL_WORDS) and starts != 0 and not starts_a_town_name(t):
        return "a level without its place"  # 市政府办, 区科技局: which one? (县前街道 is a town's name)
    if starts is None and not t.startswith(NATIONAL_PREFIXES) and not t.endswith(("部", "总局", "总署")):
        return "no place the gazetteer knows"
    if source == "self" and starts != 0:
        return "no place the gazetteer knows"
    return None


_ENDINGS_LONGEST = tuple(sorted(_ENDINGS, key=len, reverse=True))


def _stem(name: str) -> str:
    """A name without its body suffix, and without the 工作 of a body's type (同城化发展
    工作局, 统战工作部, 工作委员会): what the phrase test reads."""
    ending = next((e for e in _ENDINGS_LONGEST if name.endswith(e)), "")
    stem = name[: len(name) - len(ending)]
    return stem[:-2] if ending and stem.endswith("工作") else stem


def is_org_name(name: str, source: str = "title") -> bool:
    return org_problem(name, source) is None


# ---------------------------------------------------------------- title
_YEAR = re.compile(r"[（(【\[]?\s*(?:20\d{2}|19\d{2})\s*年度?\s*[)）】\]]?")
_SUBJECT = re.compile(r"政府信息公开|政务公开|信息公开")
_DEBRIS = re.compile(r"[\s《》“”\"]")
_LEAD = re.compile(r"^(?:关于|有关)")
_TAIL = re.compile(r"(?:关于|的)$")


def clean(text: str) -> str:
    return _TAIL.sub("", _LEAD.sub("", _DEBRIS.sub("", text)))


def body_in_title(title: str) -> str | None:
    """The body a report's title names: before its year (某某局2023年…), after it
    (2022年度某某局…) or before the subject when the year comes last (…年度报告(2019年))."""
    m = _YEAR.search(title)
    parts = [title[: m.start()], title[m.end() :]] if m else [title]
    for part in parts:
        s = _SUBJECT.search(part)
        cand = clean(part[: s.start()] if s else part)
        if cand.endswith("人民"):  # 某某县人民政府信息公开…: 政府 written once for both words
            cand += "政府"
        if cand.endswith((")", "）")):  # 海关总署（本级机关）: the body's own organs
            cand = SCOPE_NOTE.sub("", cand)
        if cand and is_org_name(cand, "title"):
            return cand
    return None


# ---------------------------------------------------------------- signature
_MAYBE_NAME = re.compile(r"^[\u4e00-\u9fa5（）()\s《》“”\"]+$")
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_YEAR_MARK = re.compile(r"20\d{2}\s*年")
_NAME_AND_DATE = re.compile(r"^([\u4e00-\u9fa5（）()]{3,30})\s+((?:20\d{2})\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?)$")


def signature(lines: list[str]) -> str | None:
    """The name signed at the end, above or beside the date."""
    tail = [ln.strip() for ln in lines[-25:] if ln.strip()]
    for i in range(len(tail) - 1, -1, -1):
        if not _MAYBE_NAME.match(tail[i]):
            m = _NAME_AND_DATE.match(tail[i])  # 淮安市公安局    2024年1月18日, on one line
            if m and is_org_name(clean(m.group(1)), "signature") and i >= len(tail) - 3:
                return clean(m.group(1))
            continue
        cand = clean(tail[i])
        if len(cand) > 30 or not is_org_name(cand, "signature"):
            continue
        nxt = tail[i + 1] if i + 1 < len(tail) else ""
        if _DATE.search(nxt) or _YEAR_MARK.search(nxt) or i >= len(tail) - 3:
            return cand
    return None


# ---------------------------------------------------------------- self-references
# Words that follow a body's own name in its report: its disclosure group, its drafting of
# the report, its short name, its own site (``在某某局网站公开``). Each alternative opens
# with its own literal, so the regex engine skips to the characters that can start one
# (written with optional groups in front, it tried every alternative at every character:
# seven times slower, a fifth of the parse of a report whose body only its prose names).
# A literal, not a character class: one alternative that opens with a class ([（(]) makes
# the engine try the whole pattern at every character (three times slower).
_SELF_AFTER = re.compile(
    "|".join(
        [
            *(f"{subject}(?:工作)?领导小组" for subject in ("政府信息公开", "政务公开", "信息公开")),
            *("负责编制", "编制"),
            *("（以下简称", r"\(以下简称"),
            *("门户网站", "官方网站", "网站"),
        ]
    )
)
_STOP = set('，。、；：,.;:“”"《》〈〉()（）的在和了是我为由向对经按及与将把被从于即并等其该本各全其中年月日\n')
_SCAN = 30000


def _run_start(text: str, end: int, longest: int) -> int:
    """Where the run of Chinese characters that ends at ``end`` starts (no stop character
    in it, ``longest`` characters at most): the words a name may be made of."""
    n = 0
    for ch in reversed(text[max(0, end - longest) : end]):
        if ch in _STOP or not "\u4e00" <= ch <= "\u9fa5":
            break
        n += 1
    return end - n


def _name_before(text: str, end: int, longest: int = 24) -> str | None:
    """The name that ends at ``end``, cut loose from the words before it at the first place
    the gazetteer knows."""
    cand = text[_run_start(text, end, longest) : end]
    if len(cand) < 3:
        return None
    i = place_start(cand)
    if i is None:
        return None
    return cand[i:]


def self_references(text: str) -> list[str]:
    """Names the prose gives the body itself, each an organisation with a place."""
    out = prose_titles(text)
    sample = text[:_SCAN]
    for m in _SELF_AFTER.finditer(sample):
        cand = _name_before(sample, m.start())
        if cand is None:
            continue
        if m.group(0).startswith("政府") and cand.endswith("人民"):
            cand += "政府"  # 某某市人民政府信息公开工作领导小组: 政府 written once for both words
        if m.group(0).endswith("网站") and cand.endswith("政府"):
            continue  # a government's portal carries its departments' reports too
        if is_org_name(cand, "self"):
            out.append(cand)
    return out


# The report's own title restated in its opening prose (现公布泰州市人民政府2017年政府信息公开
# 工作年度报告, 特向社会公布2014年某某中心政府信息公开工作年度报告): read as a title, tested as
# a self-reference. A title quoted in 《》 or after 关于/按照… is another document's.
_PROSE_TITLE = re.compile(
    r"(?:19|20)\d{2}\s*年度?[\u4e00-\u9fa5]{0,20}?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:工作)?(?:情况)?(?:报告|年报)"
)
_TITLE_SCAN = 3000
_QUOTING = ("关于", "有关", *CITING_WORDS)


def prose_titles(text: str) -> list[str]:
    """Bodies the opening prose names in the report's own title."""
    out = []
    sample = text[:_TITLE_SCAN]
    for m in _PROSE_TITLE.finditer(sample):
        a = m.start()
        clause = sample[max(0, a - 40) : a]
        opened = clause.rfind("《")
        if opened > clause.rfind("》") and not clause[:opened].endswith(PUBLISHING_WORDS):
            continue  # inside a cited document's title (现将《…》予以公布 quotes its own)
        k = _run_start(sample, a, 24)
        lead = sample[k:a]
        i = place_start(lead) if len(lead) >= 2 else None
        words = lead if i is None else lead[:i]
        if any(w in words or w in sample[max(0, k - 4) : k] for w in _QUOTING):
            continue
        name = body_in_title((lead[i:] if i is not None else "") + m.group(0))
        if name and is_org_name(name, "self"):
            out.append(name)
    return out


_MENTION = re.compile("(?:" + "|".join(re.escape(s) for s in sorted(_ENDINGS, key=len, reverse=True)) + ")")


_CITING = re.compile("|".join(map(re.escape, CITING_WORDS)))


def expanded_self_name(text: str) -> str | None:
    """A short self-name the prose keeps using (区科技局 x4) expanded by its one full
    mention (开福区科技局): the fullest name the prose uses most, when it starts with a place
    the gazetteer knows and no other body with a place is named nearly as often."""
    sample = text[:_SCAN]
    cands: list[str] = []
    for m in _MENTION.finditer(sample):
        k = _run_start(sample, m.start(), 14)
        cand = sample[k : m.end()]
        if len(cand) < 3 or (sample.startswith("信息", m.end()) and m.group(0).endswith("政府")):
            continue
        if _CITING.search(sample, max(0, k - 4), k + 4):
            continue  # 按照淮安市人民政府…, 根据《某某局…: a body cited, not the body
        cands.append(cand)
    if not cands:
        return None
    counts = Counter(cands)
    get = counts.get
    scored = []
    for c in counts:
        i = place_start(c)
        if i is None:
            continue
        name = c[i:]
        if not is_org_name(name, "self"):
            continue
        score = sum(get(c[n:], 0) for n in range(len(c)))  # the mentions that are a suffix of it
        scored.append((score, len(name), name))
    if not scored:
        return None
    scored.sort(reverse=True)
    best_score, _, best = scored[0]
    rivals = [s for s, _, n in scored[1:] if not (n.endswith(best) or best.endswith(n))]
    if best_score < 3 or (rivals and best_score < 2 * max(rivals)):
        return None
    return best


# The report's own intro opening with the body as its subject (2023年，山东省人民政府办公厅以
# 习近平新时代…为指导…): the first prose paragraph of the page, or the first one under the
# 总体情况/概述 heading. The name must be the sentence's first words (after its year), end
# in a body suffix, start with a place the gazetteer knows or a national body's prefix, and
# be followed by the start of a predicate (``INTRO_PREDICATES``); a cited superior
# (按照国务院办公厅要求…) opens with its citing word and is never read.
_INTRO_YEAR = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?(?:以来)?\s*[，,]\s*)?")
_OVERVIEW = re.compile(r"^[一1][、.．]\s*(?:总体情况|概述|总体概况)")
_INTRO_LINES = 12


def _intro_paragraphs(lines: list[str]) -> list[str]:
    """The page's first prose paragraph and the first one under 一、总体情况."""
    out = []
    head = [ln.strip() for ln in lines[:_INTRO_LINES]]
    first = next((ln for ln in head if len(ln) >= 30 and _SENTENCE_END.search(ln) and "：" not in ln[:8]), None)
    if first:
        out.append(first)
    for i, ln in enumerate(lines[:200]):
        if _OVERVIEW.match(ln.strip()):
            nxt = next((x.strip() for x in lines[i + 1 : i + 4] if x.strip()), None)
            if nxt:
                out.append(nxt)
            break
    return out


_SENTENCE_END = re.compile(r"[，。；,;]")


def intro_subject(lines: list[str]) -> str | None:
    """The body the report's own intro opens with as its subject, or None."""
    for para in _intro_paragraphs(lines):
        rest = para[_INTRO_YEAR.match(para).end() :]
        for j in range(3, min(len(rest), 32)):
            name = rest[:j]
            if not rest.startswith(INTRO_PREDICATES, j) or not is_org_name(name, "chrome"):
                continue
            if place_start(name) == 0 or name.startswith(NATIONAL_PREFIXES):
                return name
            return None  # the subject is a body without its place: which one?
    return None


def body_from_prose(text: str, lines: list[str] | None = None) -> str | None:
    """The self-references and the intro's subject, if they all name one body (the fullest
    spelling of it)."""
    names = self_references(text)
    short = expanded_self_name(text)
    if short:
        names.append(short)
    subject = intro_subject(lines) if lines is not None else None
    if subject:
        names.append(subject)
    if not names:
        return None
    full = [_GOVERNMENT.sub("人民政府", n) for n in names]
    longest = max(full, key=len)
    if all(longest.endswith(n) for n in full):
        return longest
    return None


_GOVERNMENT = re.compile(r"(?<!人民)政府(?=(?:办公厅|办公室)?$)")  # 某某市政府(办公厅): 人民政府


# ---------------------------------------------------------------- a title's body without its place
def placed_title_body(
    body: str, above: list[str], chrome: dict[str, str], named: tuple[str | None, ...]
) -> tuple[str, str]:
    """A title's body written as a level without its place (县信访局, 区统计局), qualified
    from the page itself where it names the division, else as the title writes it.

    * a name the page's metadata lines or signature state in full that ends with the
      title's (大通回族土族自治县信访局 for 县信访局): that name;
    * a metadata line, or a line just above the title (a site's name), that is the
      division's own name or government, written by the gazetteer's full name and ending
      in the title's level (来源：大通回族土族自治县人民政府 for 县信访局): that place before the
      title's name;
    * else the title's name as written: it names no one body, and the store keys such a
      report by its content (``store.write.keyed_by_body``), so two counties' reports never
      become versions of one.

    A short or differently levelled place (大通县, a 市 for a 县…) qualifies nothing."""
    for name in named:
        if name and name != body and name.endswith(body):
            return name, "chrome" if name == named[0] else "signature"
    level = body[0]
    for source, values in (("chrome", [chrome.get(k, "") for k in CHROME_KEYS]), ("heading", above)):
        for value in values:
            cand = clean(value)
            if not cand or ":" in value or "：" in value:
                continue
            place = full_place(cand)
            rest = cand[len(place) :] if place and cand.startswith(place) else None
            if place and place.endswith(level) and rest in ("", "人民政府", "政府"):
                return place + body[1:], source
    return body, "title"


# ---------------------------------------------------------------- all sources
def _stated(chrome: dict[str, str]) -> str | None:
    """The body the page's metadata lines name, in the order of ``CHROME_KEYS``."""
    return next((c for c in (clean(chrome.get(k, "")) for k in CHROME_KEYS) if c and is_org_name(c, "chrome")), None)


def _same_body(a: str, b: str) -> bool:
    """One name holds the other (洪泽区人民政府 / 淮安市洪泽区人民政府)."""
    return a in b or b in a


def find_body(
    lines: list[str], text: str, title: tuple[int, str] | None, chrome: dict[str, str]
) -> tuple[str | None, str | None]:
    """(body, source) in the order of trust, or (None, None)."""
    heading = None
    if title is not None:
        i, t = title
        body = body_in_title(t)
        if body:
            if org_problem(body, "chrome") == "a level without its place":
                named = (_stated(chrome), signature(lines))
                return placed_title_body(body, lines[max(0, i - 3) : i], chrome, named)
            return body, "title"
        for j in range(i - 1, max(-1, i - 4), -1):  # the name on its own line above the title
            if ":" in lines[j] or "：" in lines[j]:
                continue  # a metadata line: its own, later turn
            cand = clean(lines[j])
            if is_org_name(cand, "heading"):
                heading = cand
                break
    stated = _stated(chrome)
    sig = signature(lines)
    if heading is not None:
        # a name above the title is the title's first line, or a site's name over a page
        # (淮安市人民政府 over its department's report): the page's own metadata line or
        # the signature, when either names another body, outranks it
        if not any(other and not _same_body(heading, other) for other in (stated, sig)):
            return heading, "heading"
    if stated:
        return stated, "chrome"
    if sig:
        return sig, "signature"
    body = body_from_prose(text, lines)
    if body:
        return body, "self"
    return None, None
