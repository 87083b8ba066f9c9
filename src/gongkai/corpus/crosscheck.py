"""Checks across reports: one body's years against each other, and copied narratives.

Pure functions over plain records, so the store can stream a corpus body by body: memory
never holds more than one body's history. Everything here is a heuristic about *the
reports* (the 勾稽 rules across years of ``shared/spec/official-format.md`` §1.6 are "not
stated" by the format), so findings are warnings or notes, never errors.

Near-duplicate narratives
-------------------------
``narrative_signature`` is a MinHash (the permutations and arithmetic of
``datasketch.MinHash``'s default ``affine32`` scheme, seed ``SIGNATURE_SEED``) over
5-character shingles of the text with digits, spaces, punctuation and the body's own name
removed, plus LSH band keys tuned for Jaccard ≈ 0.8. The store keeps the band keys in an
indexed table, finds candidate pairs as rows sharing a key, and confirms them with
``similar`` on the stored hash values. Shingles are hashed with a vectorised polynomial
hash (numpy) instead of datasketch's per-shingle SHA-1, and the permutations are applied
to all shingles at once: the signature is deterministic across processes and machines,
and an order of magnitude faster than feeding datasketch shingle by shingle.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

from ..domain.findings import kind
from ..domain.labels import SECTION_BY_KEY, T3_COLUMNS, cell_label

if TYPE_CHECKING:
    import numpy as np

Number = int | Decimal | None


@dataclass(frozen=True, slots=True)
class ReportRecord:
    report_id: int | str
    body: str  # BodyInfo.normalized
    year: int | None
    format: str | None  # "2019" | "2021" | "pre2019"
    cells: Mapping[str, int | Decimal | None]
    sections: Mapping[str, str]  # section key -> narrative text ("overview", "problems", ...)
    content_hash: str = ""


@dataclass(slots=True)
class CrossFinding:
    rule: str
    severity: str
    message: str  # Chinese, names both reports' bodies/years and the numbers
    report_ids: list[Any]
    cells: list[str]
    expected: object = None
    found: object = None

    @classmethod
    def of(
        cls,
        rule: str,
        variant: str | None = None,
        *,
        report_ids: list[Any],
        cells: list[str],
        expected: object = None,
        found: object = None,
        **fields: Any,
    ) -> CrossFinding:
        """The finding ``rule`` across reports, from the catalogue (``gongkai.domain.findings``)."""
        k = kind(rule)
        if k.source != "corpus":
            raise ValueError(f"{rule} is a finding on one report: Finding.of")
        return cls(rule, k.severity, k.message(variant, **fields), report_ids, cells, expected, found)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "report_ids": list(self.report_ids),
            "cells": list(self.cells),
            "expected": _plain(self.expected),
            "found": _plain(self.found),
        }


def _plain(v: object) -> object:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


# ---------------------------------------------------------------- thresholds
# YEAR_JUMP: a headline figure is flagged when it is at least YEAR_JUMP_RATIO times the
# median of the body's other years (or that median is at least YEAR_JUMP_RATIO times it),
# AND the two differ by at least YEAR_JUMP_MIN_CHANGE, AND at least YEAR_JUMP_MIN_YEARS
# other years are known. The ratio catches a lost or extra digit (3119 read as 311 or
# 31190); the floor keeps small bodies quiet (0 -> 3 applications is normal life); the
# history minimum keeps one odd year from accusing another.
YEAR_JUMP_RATIO = 10.0
YEAR_JUMP_MIN_CHANGE = 50
YEAR_JUMP_MIN_YEARS = 3
YEAR_JUMP_KEYS: tuple[str, ...] = (
    "t3.received.total",
    "t3.total_handled.total",
    "t4.review.total",
    "t4.litigation_direct.total",
    "t4.litigation_after_review.total",
    "t2.punishment.decisions",
    "t2.licensing.decisions",
)
IN_FORCE_ROWS: tuple[str, ...] = ("regulations", "normative_docs")

# Narrative signatures
SIGNATURE_SEED = 1  # datasketch's default seed: the permutations are reproducible anywhere
SHINGLE = 5
MIN_NARRATIVE_CHARS = 80  # normalized characters below which a text is too short to compare
COPY_THRESHOLD = 0.8  # the Jaccard similarity the LSH bands are tuned for
# The LSH band/row split minimises LSH_FP_WEIGHT * P(false candidate below the threshold)
# + LSH_FN_WEIGHT * P(missed pair above it). Missed copies weigh more: a false candidate
# costs one comparison of stored hash values, a miss costs a finding. For 64 permutations
# this gives 8 bands x 8 rows: a pair at Jaccard 0.8 is a candidate with p = 0.77, at 0.9
# with p = 0.99, at 0.6 with p = 0.13 (equal weights would give 5 x 11 and p = 0.36 at 0.8).
LSH_FP_WEIGHT = 0.2
LSH_FN_WEIGHT = 0.8
BAND_KEY_HEX = 12  # hex digits of a band's digest kept in its key (48 bits)
# Texts that say nothing ("无", "本年度无其他需要报告的事项") are never evidence of copying.
_BOILERPLATE = re.compile(r"^(?:无|暂无|没有|不涉及|无其他需要报告的事项|本年度无其他需要报告的事项)$")


# ---------------------------------------------------------------- body history
def _num(v: object) -> Decimal | int | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int | Decimal):
        return v
    return None


def _fmt(v: object) -> str:
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else str(v.normalize())
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _by_year(records: Sequence[ReportRecord]) -> dict[int, list[ReportRecord]]:
    out: dict[int, list[ReportRecord]] = {}
    for r in records:
        if r.year is not None:
            out.setdefault(r.year, []).append(r)
    return dict(sorted(out.items()))


def _distinct_versions(versions: list[ReportRecord]) -> list[ReportRecord]:
    """Versions of one year with identical content collapsed to the first (a re-post is no conflict)."""
    seen: set[str] = set()
    out = []
    for r in versions:
        key = r.content_hash or f"id:{r.report_id}"
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def check_body_history(records: Sequence[ReportRecord]) -> list[CrossFinding]:
    """All findings across the published versions of ONE body's reports (any order)."""
    years = _by_year(records)
    out: list[CrossFinding] = []
    for versions in years.values():
        out.extend(_duplicates(_distinct_versions(versions)))
    for year, versions in years.items():
        prev = years.get(year - 1)
        if not prev:
            continue  # a missing year breaks the chain: two years apart is not comparable
        cur_v, prev_v = _distinct_versions(versions), _distinct_versions(prev)
        f = _carry_over(prev_v, cur_v)
        if f:
            out.append(f)
        out.extend(_in_force(prev_v, cur_v))
    out.extend(_year_jumps(years))
    return out


def _duplicates(versions: list[ReportRecord]) -> list[CrossFinding]:
    out = []
    for a, b in combinations(versions, 2):
        diff = [
            k
            for k in sorted(set(a.cells) & set(b.cells))
            if _num(a.cells[k]) is not None and _num(b.cells[k]) is not None and a.cells[k] != b.cells[k]
        ]
        if not diff:
            continue  # same numbers: a re-post with different formatting is no conflict
        shown = "；".join(f"{cell_label(k)}：{_fmt(a.cells[k])} 与 {_fmt(b.cells[k])}" for k in diff[:5])
        more = f"等 {len(diff)} 项" if len(diff) > 5 else ""
        out.append(
            CrossFinding.of(
                "DUPLICATE_PUBLICATION",
                report_ids=[a.report_id, b.report_id],
                cells=diff,
                expected={k: _plain(a.cells[k]) for k in diff},
                found={k: _plain(b.cells[k]) for k in diff},
                body=a.body,
                year=a.year,
                report=a.report_id,
                other_report=b.report_id,
                differences=shown + more,
            )
        )
    return out


def _carry_mismatches(prev: ReportRecord, cur: ReportRecord) -> list[tuple[str, Number, Number]]:
    """(column, last year's 结转下年度, this year's 上年结转) for every column where both are known and differ."""
    out = []
    for col in T3_COLUMNS:
        fwd = _num(prev.cells.get(f"t3.carried_forward.{col.key}"))
        over = _num(cur.cells.get(f"t3.carried_over.{col.key}"))
        if fwd is None or over is None:
            continue
        if fwd != over:
            out.append((col.key, fwd, over))
    return out


def _compared_columns(prev: ReportRecord, cur: ReportRecord) -> int:
    return sum(
        1
        for col in T3_COLUMNS
        if _num(prev.cells.get(f"t3.carried_forward.{col.key}")) is not None
        and _num(cur.cells.get(f"t3.carried_over.{col.key}")) is not None
    )


def _carry_over(prev_versions: list[ReportRecord], cur_versions: list[ReportRecord]) -> CrossFinding | None:
    # With several versions of a year, any agreeing pair clears the body: the finding is
    # about the reports, and one of them may be a corrected re-issue.
    best: tuple[int, ReportRecord, ReportRecord, list[tuple[str, Number, Number]]] | None = None
    for p in prev_versions:
        for c in cur_versions:
            if _compared_columns(p, c) == 0:
                continue
            mm = _carry_mismatches(p, c)
            if not mm:
                return None
            if best is None or len(mm) < best[0]:
                best = (len(mm), p, c, mm)
    if best is None:
        return None
    _, p, c, mm = best
    names = {col.key: col.label for col in T3_COLUMNS}
    parts = "；".join(f"{names[k]}：上年结转下年度 {_fmt(fwd)} 件，本年上年结转 {_fmt(over)} 件" for k, fwd, over in mm)
    cells = [key for k, _, _ in mm for key in (f"t3.carried_forward.{k}", f"t3.carried_over.{k}")]
    return CrossFinding.of(
        "CARRY_OVER",
        report_ids=[p.report_id, c.report_id],
        cells=cells,
        expected={f"t3.carried_over.{k}": _plain(fwd) for k, fwd, _ in mm},
        found={f"t3.carried_over.{k}": _plain(over) for k, _, over in mm},
        body=c.body,
        year=c.year,
        report=c.report_id,
        prev_body=p.body,
        prev_year=p.year,
        prev_report=p.report_id,
        differences=parts,
    )


def _in_force(prev_versions: list[ReportRecord], cur_versions: list[ReportRecord]) -> list[CrossFinding]:
    out = []
    for row in IN_FORCE_ROWS:
        k_force, k_issued, k_repealed = (f"t2.{row}.{c}" for c in ("in_force", "issued", "repealed"))
        best: tuple[ReportRecord, ReportRecord, Number, Number] | None = None
        agreed = False
        for p in prev_versions:
            for c in cur_versions:
                if c.format != "2021" or p.format != "2021":
                    continue
                last, now = _num(p.cells.get(k_force)), _num(c.cells.get(k_force))
                issued, repealed = _num(c.cells.get(k_issued)), _num(c.cells.get(k_repealed))
                if last is None or now is None or issued is None or repealed is None:
                    continue
                want = last + issued - repealed
                if want == now:
                    agreed = True
                elif best is None:
                    best = (p, c, want, now)
        if agreed or best is None:
            continue
        p, c, want, now = best
        label = "规章" if row == "regulations" else "行政规范性文件"
        out.append(
            CrossFinding.of(
                "IN_FORCE_CONTINUITY",
                report_ids=[p.report_id, c.report_id],
                cells=[k_force, k_issued, k_repealed],
                expected=_plain(want),
                found=_plain(now),
                body=c.body,
                year=c.year,
                report=c.report_id,
                what=label,
                now=_fmt(now),
                prev_year=p.year,
                prev_report=p.report_id,
                last=_fmt(p.cells.get(k_force)),
                issued=_fmt(c.cells.get(k_issued)),
                repealed=_fmt(c.cells.get(k_repealed)),
                want=_fmt(want),
            )
        )
    return out


def _year_jumps(years: dict[int, list[ReportRecord]]) -> list[CrossFinding]:
    out = []
    for key in YEAR_JUMP_KEYS:
        # one value per year: the median of that year's versions (they usually agree)
        per_year: dict[int, tuple[Decimal, ReportRecord]] = {}
        for year, versions in years.items():
            vals = [(Decimal(v), r) for r in versions if (v := _num(r.cells.get(key))) is not None]
            if vals:
                vals.sort(key=lambda t: t[0])
                per_year[year] = vals[len(vals) // 2]
        if len(per_year) < YEAR_JUMP_MIN_YEARS + 1:
            continue
        for year, (value, rec) in per_year.items():
            others = [v for y, (v, _) in per_year.items() if y != year]
            med = Decimal(str(statistics.median(others)))
            lo, hi = min(value, med), max(value, med)
            if hi - lo < YEAR_JUMP_MIN_CHANGE:
                continue
            # +1 so a zero median still gives a finite ratio (0 -> 500 is a 501x jump)
            ratio = (hi + 1) / (lo + 1)
            if ratio < Decimal(str(YEAR_JUMP_RATIO)):
                continue
            shown_years = "、".join(f"{y}年 {_fmt(v)}" for y, (v, _) in per_year.items() if y != year)
            out.append(
                CrossFinding.of(
                    "YEAR_JUMP",
                    "up" if value > med else "down",
                    report_ids=[rec.report_id],
                    cells=[key],
                    expected=_plain(med),
                    found=_plain(value),
                    body=rec.body,
                    year=year,
                    report=rec.report_id,
                    cell=cell_label(key),
                    value=_fmt(value),
                    median=_fmt(med),
                    ratio=float(ratio),
                    years=shown_years,
                )
            )
    return out


# ---------------------------------------------------------------- narrative signatures
# How a body names itself in its own report; removed like its name, so a template filled
# in as "我局…" by one body and "某某局…" by another still compares as the same text.
_SELF_REFERENCE = re.compile(r"(?:我|本)(?:局|委|办|厅|院|室|中心|机关|单位|部门|区|县|市|镇|乡|街道|府)")
_NOT_TEXT = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fffA-Za-z]+")
_MAX_HASH = (1 << 32) - 1
_CHUNK = 4096  # shingles per block: bounds memory for very long texts (4096 x 64 x 8 bytes)


def normalize_narrative(text: str, names: Iterable[str] = ()) -> str:
    """The text a signature is taken over: no digits (years, counts), spaces, punctuation or own names."""
    t = unicodedata.normalize("NFKC", text)
    for n in sorted({n for n in names if n}, key=len, reverse=True):
        t = t.replace(n, "")
    t = _SELF_REFERENCE.sub("", t)
    return _NOT_TEXT.sub("", t)


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch.MinHash's ``affine32`` permutations (its default since 2.0) for SIGNATURE_SEED.

    Computed here, the same way, rather than taken from a datasketch object, so stored
    signatures stay valid whatever datasketch does later; numpy guarantees that the
    RandomState stream never changes.
    """
    import numpy as np

    gen = np.random.RandomState(SIGNATURE_SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)  # odd: a bijection
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


@lru_cache(maxsize=8)
def lsh_params(num_perm: int, threshold: float = COPY_THRESHOLD) -> tuple[int, int]:
    """(bands, rows) minimising weighted false positives + false negatives around ``threshold``.

    The same integrals datasketch.MinHashLSH minimises (with LSH_FP_WEIGHT/LSH_FN_WEIGHT),
    done here with a fixed-step sum so the choice, and so every stored band key, never
    depends on a library version.
    """

    def integral(f: Any, a: float, b: float, steps: int = 400) -> float:
        h = (b - a) / steps
        return sum(f(a + (i + 0.5) * h) for i in range(steps)) * h

    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integral(lambda s, b=b, r=r: 1 - (1 - s**r) ** b, 0.0, threshold)
            fn = integral(lambda s, b=b, r=r: 1 - (1 - (1 - s**r) ** b), threshold, 1.0)
            err = LSH_FP_WEIGHT * fp + LSH_FN_WEIGHT * fn
            if err < best_err:
                best, best_err = (b, r), err
    return best


def _shingle_hashes(t: str, mix: bool = True) -> np.ndarray:
    """32-bit hashes of every SHINGLE-character window, vectorised.

    A 64-bit polynomial over the code points (wrapping arithmetic) whose top 32 bits are
    kept, then the MurmurHash3 32-bit finaliser that datasketch applies before its
    permutations. Repeated shingles are kept: they cannot change a minimum.
    """
    import numpy as np

    cps = np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps) - SHINGLE + 1
    h = cps[:n].copy()
    with np.errstate(over="ignore"):
        for i in range(1, SHINGLE):
            h *= np.uint64(0x100000001B3)  # FNV-64 prime: every code point moves the high bits
            h += cps[i : i + n]
        h ^= h >> np.uint64(29)  # fold the low bits up before the top half is taken
        h *= np.uint64(0xBF58476D1CE4E5B9)
        x = (h >> np.uint64(32)).astype(np.uint32)
        if not mix:  # what datasketch's hashfunc would return, before its own pre-mix
            return x
        # MurmurHash3 fmix32, as datasketch.minhash._fmix(hv, 32)
        x ^= x >> np.uint32(16)
        x *= np.uint32(0x85EBCA6B)
        x ^= x >> np.uint32(13)
        x *= np.uint32(0xC2B2AE35)
        x ^= x >> np.uint32(16)
    return x


def _minhash(hv: np.ndarray, num_perm: int) -> np.ndarray:
    """min over shingles of a*h + b (mod 2^32): datasketch's ``affine32`` update, vectorised.

    uint32 wrap-around is the modulo, so there is no division at all; blocks of _CHUNK
    shingles bound memory for very long texts.
    """
    import numpy as np

    a, b = _permutations(num_perm)
    values = np.full(num_perm, _MAX_HASH, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for i in range(0, len(hv), _CHUNK):
            y = np.multiply.outer(hv[i : i + _CHUNK], a)
            y += b
            np.minimum(values, y.min(axis=0), out=values)
    return values


def _band_keys(values: np.ndarray, num_perm: int) -> list[str]:
    bands, rows = lsh_params(num_perm)
    raw = values.astype("<u4").tobytes()
    width = rows * 4
    return [
        f"b{i:02d}:" + hashlib.blake2b(raw[i * width : (i + 1) * width], digest_size=8).hexdigest()[:BAND_KEY_HEX]
        for i in range(bands)
    ]


def narrative_signature(text: str, num_perm: int = 64, *, names: Iterable[str] = ()) -> tuple[list[int], list[str]]:
    """(MinHash hash values, LSH band keys) of a narrative; no band keys for short or empty texts.

    ``names``: the body's own names, removed first so two bodies that share a template
    but each insert their own name still look alike (and a body's name alone is no match).
    The hash values are always returned (``similar`` needs them); band keys like
    ``"b03:9f2c4a1b7e3d"`` are what the store indexes to find candidate pairs.
    """
    t = normalize_narrative(text, names)
    if len(t) < SHINGLE:
        return [_MAX_HASH] * num_perm, []
    values = _minhash(_shingle_hashes(t), num_perm)
    sig: list[int] = values.tolist()
    if len(t) < MIN_NARRATIVE_CHARS or _BOILERPLATE.match(t):
        return sig, []
    return sig, _band_keys(values, num_perm)


def similar(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures of the same length."""
    if len(sig_a) != len(sig_b):
        raise ValueError(f"签名长度不同（{len(sig_a)} 与 {len(sig_b)}），无法比较")
    if not sig_a:
        return 0.0
    return sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / len(sig_a)


def copied_narrative(a: ReportRecord, b: ReportRecord, section: str, jaccard: float) -> CrossFinding:
    """A COPIED_NARRATIVE finding for two reports whose ``section`` texts are near-identical."""
    spec = SECTION_BY_KEY.get(section)
    if a.body == b.body:
        variant, names = "same_body", {}
    else:
        variant, names = None, {"other_body": b.body}
    return CrossFinding.of(
        "COPIED_NARRATIVE",
        variant,
        report_ids=[a.report_id, b.report_id],
        cells=[],
        expected=None,
        found=round(float(jaccard), 3),
        body=a.body,
        year=a.year,
        report=a.report_id,
        other_year=b.year,
        other_report=b.report_id,
        section=f"{spec.number}、{spec.title}" if spec else section,
        jaccard=jaccard,
        **names,
    )


__all__ = [
    "COPY_THRESHOLD",
    "MIN_NARRATIVE_CHARS",
    "YEAR_JUMP_MIN_CHANGE",
    "YEAR_JUMP_MIN_YEARS",
    "YEAR_JUMP_RATIO",
    "CrossFinding",
    "ReportRecord",
    "check_body_history",
    "copied_narrative",
    "lsh_params",
    "narrative_signature",
    "normalize_narrative",
    "similar",
]
