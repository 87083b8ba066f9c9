"""Where the sections and the three tables are in the token stream."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain.labels import SECTIONS, T2_ARTICLE, T3_APPLICANTS, T3_ROWS, T4_LITIGATION, T4_REVIEW
from .labels import core, match_section, match_t3_row
from .tokens import Token


@dataclass(slots=True)
class Regions:
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> token span
    headings: dict[str, int] = field(default_factory=dict)  # key -> token index of the heading
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # "t2"/"t3"/"t4" -> span


_ORDER = [s.key for s in SECTIONS]


def find_regions(tokens: list[Token]) -> Regions:
    reg = Regions()
    last = -1
    row_seen = None  # a heading is the first text of its row (a row's tokens sit together)
    for i, t in enumerate(tokens):
        if t.kind != "text" or t.row == row_seen:
            continue
        row_seen = t.row
        s = match_section(t.text)
        if s is None:
            continue
        idx = _ORDER.index(s.key)
        if idx > last:
            reg.headings[s.key] = i
            last = idx
    keys = [k for k in _ORDER if k in reg.headings]
    for a, b in zip(keys, [*keys[1:], None], strict=False):
        start = reg.headings[a]
        end = reg.headings[b] if b else len(tokens)
        reg.sections[a] = (start, end)

    # tables: the sections where present, else the tables' own signatures
    # (a signature is looked for only where it can matter: a scan calls core() per token)
    h = reg.headings
    start_t2 = h["proactive"] if "proactive" in h else _first(tokens, 0, len(tokens), _t2_signature)
    start_t3 = h.get("applications")
    # the table's signature before its heading: the heading was lost and a later line matched
    sig_t3 = _first(tokens, 0, len(tokens) if start_t3 is None else start_t3, _t3_signature)
    if sig_t3 is not None:
        start_t3 = sig_t3
    if start_t3 is None:
        # a page from the middle of table 3 (its header on the page before): its rows
        start_t3 = _t3_rows_start(tokens, 0, h.get("remedies", len(tokens)))
    start_t4 = h["remedies"] if "remedies" in h else _first(tokens, start_t3 or 0, len(tokens), _t4_signature)
    if "remedies" not in h and start_t4 is not None and start_t3 is not None and start_t4 <= start_t3:
        start_t4 = None
    end_all = reg.headings.get("problems", reg.headings.get("other", len(tokens)))
    starts = [("t2", start_t2), ("t3", start_t3), ("t4", start_t4)]
    present = [(k, s) for k, s in starts if s is not None]
    present.sort(key=lambda x: x[1])
    for (k, s), nxt in zip(present, [*present[1:], (None, None)], strict=False):
        e = nxt[1] if nxt[1] is not None else max(end_all, s)
        if k == "t4" or nxt[0] is None:
            e = end_all if end_all > s else len(tokens)
        reg.tables[k] = (s, e)
    return reg


def _t2_signature(c: str) -> bool:
    return c.startswith(T2_ARTICLE)


def _t3_signature(c: str) -> bool:
    return "勾稽关系" in c or c == T3_APPLICANTS or "本年新收" in c


def _t4_signature(c: str) -> bool:
    return c == T4_REVIEW or c.startswith(T4_REVIEW + T4_LITIGATION)


def _first(tokens: list[Token], start: int, stop: int, test: Callable[[str], bool]) -> int | None:
    for i in range(start, stop):
        t = tokens[i]
        if t.kind == "text" and test(core(t.text)[1]):
            return i
    return None


# The official labels of table 3's rows, as ``core`` gives them; 其他 and 总计 are also
# column headers, so they never start a table by themselves.
_T3_EXACT = frozenset(core(r.label)[1] for r in T3_ROWS) - {"其他", "总计"}
# 其他 and 总计 with their numbering (3.其他, （七）总计) name their rows all the same
_T3_NUMBERED_GENERIC = frozenset({"other.other", "total_handled"})
# rows written exactly as the official labels that make a run of table 3 without its header
T3_ROWS_WITHOUT_HEADER = 3


def _t3_rows_start(tokens: list[Token], start: int, stop: int) -> int | None:
    """The first of table 3's rows on a page that shows them without the table's heading
    or header (a page break put those on the page before): the first label written exactly
    as an official row label (其他 and 总计 with their numbering), when at least
    ``T3_ROWS_WITHOUT_HEADER`` are."""
    first = None
    seen = 0
    for i in range(start, stop):
        t = tokens[i]
        if t.kind == "text" and len(t.text) <= 40 and (core(t.text)[1] in _T3_EXACT or match_t3_row(t.text, None) in _T3_NUMBERED_GENERIC):
            first = i if first is None else first
            seen += 1
            if seen >= T3_ROWS_WITHOUT_HEADER:
                return first
    return None
