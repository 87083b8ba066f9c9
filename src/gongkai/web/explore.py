"""Views over the corpus: who has not published, two reports compared, copied narratives."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..corpus.bodies import gazetteer
from ..domain.labels import SECTION_BY_KEY, T3_COLUMNS, cell_label
from ..store.corrections import Reviewed, reviewed
from ..store.schema import findings, reports
from ..store.work import NARRATIVE_SECTIONS

# ---------------------------------------------------------------- who has not published


@dataclass(slots=True)
class Expected:
    name: str
    why: str  # "gazetteer" | "earlier"
    code: str | None = None
    last_year: int | None = None
    last_report: str | None = None


def _place_codes(province: str | None, city: str | None, county: str | None) -> list[Any]:
    """Divisions of the gazetteer inside the region (the region itself included)."""
    g = gazetteer()
    places = list(g.places.values())
    prov = next((p for p in places if p.level == 1 and p.name == province), None)
    if prov is None:
        return []
    inside = [p for p in places if p.province == prov.code]
    if city:
        c = next((p for p in inside if p.level == 2 and p.name == city), None)
        if c is None:
            return []
        inside = [p for p in inside if p.code == c.code or p.city == c.code]
    if county:
        inside = [p for p in inside if p.level == 3 and p.name == county]
    return sorted(inside, key=lambda p: p.code)


def unpublished(engine: Engine, year: int, province: str, city: str | None = None, county: str | None = None) -> dict[str, Any]:
    """The expected publishers of ``year`` in a region against the reports present: the
    people's government of every division the gazetteer has there, and every body that
    published there in an earlier year."""
    r = reports.c
    region = [r.province == province]
    if city:
        region.append(r.city == city)
    if county:
        region.append(r.county == county)
    with engine.connect() as conn:
        present = conn.execute(
            sa.select(r.id, r.normalized_body, r.division_code, r.body_type).where(r.is_latest.is_(True), r.year == year, *region)
        ).all()
        earlier = conn.execute(
            sa.select(r.normalized_body, sa.func.max(r.year).label("last"))
            .where(r.is_latest.is_(True), r.year < year, r.normalized_body.is_not(None), *region)
            .group_by(r.normalized_body)
        ).all()
        last_ids = {}
        if earlier:
            for body, y, rid in conn.execute(
                sa.select(r.normalized_body, r.year, r.id).where(r.is_latest.is_(True), r.year < year, *region).order_by(r.year)
            ):
                last_ids[(body, y)] = rid
    governments = {row.division_code for row in present if row.body_type == "government" and row.division_code}
    bodies = {row.normalized_body for row in present if row.normalized_body}
    missing: list[Expected] = []
    expected_n = 0
    for p in _place_codes(province, city, county):
        expected_n += 1
        if p.code not in governments:
            prefix = ""
            g = gazetteer()
            if p.level == 3 and p.city and p.city in g.places:
                prefix = g.places[p.city].name
            missing.append(Expected(prefix + p.name + "人民政府", "gazetteer", p.code))
    for body, last in earlier:
        if body in bodies:
            continue
        expected_n += 1
        missing.append(Expected(body, "earlier", None, last, last_ids.get((body, last))))
    return {
        "year": year,
        "province": province,
        "city": city,
        "county": county,
        "present": len(present),
        "expected": expected_n,
        "missing": missing,
    }


# ---------------------------------------------------------------- compare two reports
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
MIN_COPIED = 12  # characters: a shared sentence shorter than this is boilerplate


@dataclass(slots=True)
class CellDiff:
    key: str
    label: str
    a: Any
    b: Any
    a_corrected: bool = False
    b_corrected: bool = False


@dataclass(slots=True)
class SectionDiff:
    key: str
    title: str
    a: list[tuple[str, bool]] = field(default_factory=list)  # (sentence, also in the other)
    b: list[tuple[str, bool]] = field(default_factory=list)
    copied_chars: int = 0
    ratio: float = 0.0


def sentences(text: str) -> list[str]:
    return [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]


def narrative_diff(key: str, a: str, b: str) -> SectionDiff:
    sa_, sb = sentences(a), sentences(b)
    spec = SECTION_BY_KEY.get(key)
    out = SectionDiff(key, f"{spec.number}、{spec.title}" if spec else key)
    m = difflib.SequenceMatcher(None, sa_, sb, autojunk=False)
    in_a = [False] * len(sa_)
    in_b = [False] * len(sb)
    for block in m.get_matching_blocks():
        for k in range(block.size):
            if len(sa_[block.a + k]) >= MIN_COPIED:
                in_a[block.a + k] = True
                in_b[block.b + k] = True
    common_b = {s for s in sb if len(s) >= MIN_COPIED}
    common_a = {s for s in sa_ if len(s) >= MIN_COPIED}
    out.a = [(s, in_a[i] or s in common_b) for i, s in enumerate(sa_)]
    out.b = [(s, in_b[i] or s in common_a) for i, s in enumerate(sb)]
    out.copied_chars = sum(len(s) for s, c in out.b if c)
    total = sum(len(s) for s in sb) or 1
    out.ratio = out.copied_chars / total
    return out


def compare(engine: Engine, a_id: str, b_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        a = reviewed(conn, a_id)
        b = reviewed(conn, b_id)
    if a is None or b is None:
        return None
    if (a.row.year or 0) > (b.row.year or 0):
        a, b = b, a  # the earlier report on the left
    va, vb = a.report.values(), b.report.values()
    keys = sorted(set(va) | set(vb))
    cells = []
    for k in keys:
        x, y = va.get(k, "absent"), vb.get(k, "absent")
        if x != y:
            cells.append(CellDiff(k, cell_label(k), x, y, k in a.corrections, k in b.corrections))
    carry = carry_over(a, b)
    secs = []
    for key in NARRATIVE_SECTIONS:  # the prose; the other sections hold the tables' text
        ta, tb = a.report.sections.get(key, ""), b.report.sections.get(key, "")
        if ta or tb:
            secs.append(narrative_diff(key, ta, tb))
    return {"a": a, "b": b, "same": len(keys) - len(cells), "cells": cells, "carry": carry, "sections": secs}


def carry_over(a: Reviewed, b: Reviewed) -> list[dict[str, Any]] | None:
    """Last year's 结转下年度 against this year's 上年结转, column by column (same body, consecutive years)."""
    if not (
        a.row.normalized_body and a.row.normalized_body == b.row.normalized_body and a.row.year and b.row.year == a.row.year + 1
    ):
        return None
    out = []
    for col in T3_COLUMNS:
        fwd = a.report.value(f"t3.carried_forward.{col.key}")
        over = b.report.value(f"t3.carried_over.{col.key}")
        ok = None if fwd is None or over is None else fwd == over
        out.append({"column": col.label, "forward": fwd, "over": over, "ok": ok})
    return out


# ---------------------------------------------------------------- copied narratives
def copy_clusters(engine: Engine, limit: int = 500) -> list[dict[str, Any]]:
    """The COPIED_NARRATIVE findings of the near-duplicate check, as clusters of reports
    (connected through copied pairs)."""
    f, r = findings.c, reports.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(f.report_ids, f.message, f.found).where(f.source == "corpus", f.rule == "COPIED_NARRATIVE").order_by(f.id)
        ).all()
        parent: dict[str, str] = {}

        def root(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        pairs = []
        for ids, message, found in rows:
            ids = list(ids or [])
            if len(ids) < 2:
                continue
            pairs.append((ids[0], ids[1], message, found))
            parent[root(ids[1])] = root(ids[0])
        clusters: dict[str, dict[str, Any]] = {}
        for a, b, message, found in pairs:
            c = clusters.setdefault(root(a), {"reports": set(), "pairs": []})
            c["reports"].update((a, b))
            c["pairs"].append({"a": a, "b": b, "message": message, "similarity": found})
        ids = sorted({x for c in clusters.values() for x in c["reports"]})
        meta = {}
        for chunk in range(0, len(ids), 500):
            for row in conn.execute(
                sa.select(r.id, r.issuing_body, r.normalized_body, r.year, r.province, r.city).where(
                    r.id.in_(ids[chunk : chunk + 500])
                )
            ):
                meta[row.id] = dict(row._mapping)
    out = []
    for c in clusters.values():
        members = sorted((meta.get(x, {"id": x}) for x in c["reports"]), key=lambda m: (m.get("year") or 0, m["id"]))
        out.append({"reports": members, "pairs": c["pairs"]})
    out.sort(key=lambda c: (-len(c["reports"]), c["reports"][0].get("year") or 0))
    return out[:limit]
