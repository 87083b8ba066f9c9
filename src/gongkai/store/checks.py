"""Checks across reports, stored as findings with ``source = 'corpus'``.

* the history of each body (``gongkai.corpus.crosscheck.check_body_history``): every stored
  version of one normalized body's reports, in year order, streamed body by body so
  memory stays flat (carry-over, continuity, jumps, and one year published as several
  different documents: DUPLICATE_PUBLICATION);
* copied narratives: candidate pairs from a self-join on MinHash band keys in SQL, then
  ``crosscheck.similar`` on the stored signatures;
* reposts: the very same bytes found at several paths or URLs (REPOSTED, a note).

Every run replaces the previous corpus findings in one transaction, so a check that is
interrupted leaves the old findings, never half of the new ones.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..corpus.crosscheck import CrossFinding, ReportRecord, check_body_history, copied_narrative, similar
from ..model import json_number
from .schema import (
    findings,
    load_values,
    narrative_bands,
    narrative_minhash,
    report_cells,
    reports,
    sections,
    source_paths,
    sources,
)
from .work import unpack

COPY_THRESHOLD = 0.8  # estimated Jaccard of word shingles at which prose counts as copied
MAX_BUCKET = 50  # band keys shared by more narratives than this are boilerplate, not copies
INSERT_BATCH = 500


@dataclass(slots=True)
class CheckSummary:
    bodies: int = 0
    reports: int = 0
    candidate_pairs: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {
            "bodies": self.bodies,
            "reports": self.reports,
            "candidate_pairs": self.candidate_pairs,
            "findings_by_rule": dict(self.rules.most_common()),
        }

    def render(self) -> str:
        head = f"跨报告检查：{self.bodies} 个机关、{self.reports} 份报告，近似重复候选 {self.candidate_pairs} 对"
        if not self.rules:
            return head + "；未发现问题"
        return head + "\n发现的问题：" + "，".join(f"{r} {n}" for r, n in self.rules.most_common())


class _Sink:
    """Buffered inserts of corpus findings into the open write transaction."""

    def __init__(self, conn: Connection, summary: CheckSummary) -> None:
        self.conn = conn
        self.summary = summary
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        rule: str,
        severity: str,
        message: str,
        report_ids: list[str],
        body: str | None = None,
        cells: list[str] | None = None,
        expected: Any = None,
        found: Any = None,
    ) -> None:
        self.summary.rules[rule] += 1
        self.rows.append(
            {
                "report_id": report_ids[0] if len(report_ids) == 1 else None,
                "report_ids": list(report_ids),
                "rule": rule,
                "severity": severity,
                "source": "corpus",
                "tbl": None,
                "message": message,
                "cells": list(cells or []) or None,
                "expected": _text(expected),
                "found": _text(found),
                "body": body,
            }
        )
        if len(self.rows) >= INSERT_BATCH:
            self.flush()

    def add_cross(self, f: Any, body: str | None) -> None:
        self.add(f.rule, f.severity, f.message, list(f.report_ids), body, list(f.cells or []), f.expected, f.found)

    def flush(self) -> None:
        if self.rows:
            self.conn.execute(findings.insert(), self.rows)
            self.rows = []


def _text(v: Any) -> str | None:
    if v is None:
        return None
    v = json_number(v)
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)


def check_corpus(engine: Engine) -> CheckSummary:
    summary = CheckSummary()
    with engine.connect() as read, engine.connect() as lookup, engine.begin() as write:
        write.execute(findings.delete().where(findings.c.source == "corpus"))
        sink = _Sink(write, summary)
        _body_histories(read, lookup, sink)
        _copied_narratives(read, sink)
        _duplicate_publications(read, sink)
        sink.flush()
    return summary


# ---------------------------------------------------------------- body histories
def _versions_by_body(conn: Connection) -> Iterator[Any]:
    # Every version, not only the latest: crosscheck decides what two versions of one year
    # mean (identical numbers: a re-post; different numbers: DUPLICATE_PUBLICATION).
    r = reports.c
    q = (
        sa.select(r.id, r.normalized_body, r.year, r.format, sources.c.content_hash)
        .select_from(reports.join(sources, sources.c.id == r.source_id))
        .where(r.normalized_body.is_not(None), r.year.is_not(None))
        .order_by(r.normalized_body, r.year, r.version, r.id)
    )
    yield from conn.execution_options(stream_results=True, yield_per=2000).execute(q)


def load_records(conn: Connection, rows: list[Any]) -> list[Any]:
    """``crosscheck.ReportRecord``s for report rows (id, body, year, format, content_hash)."""
    ids = [row.id for row in rows]
    vals: dict[str, dict[str, Any]] = {i: {} for i in ids}
    secs: dict[str, dict[str, str]] = {i: {} for i in ids}
    rc = report_cells.c
    for rid, text in conn.execute(sa.select(rc.report_id, sa.cast(rc.cell_values, sa.Text)).where(rc.report_id.in_(ids))):
        vals[rid] = load_values(text)
    for rid, key, text in conn.execute(
        sa.select(sections.c.report_id, sections.c.key, sections.c.text).where(sections.c.report_id.in_(ids))
    ):
        secs[rid][key] = text
    return [
        ReportRecord(row.id, row.normalized_body, row.year, row.format, vals[row.id], secs[row.id], row.content_hash)
        for row in rows
    ]


def _body_histories(read: Connection, lookup: Connection, sink: _Sink) -> None:
    for body, group in groupby(_versions_by_body(read), key=lambda row: row.normalized_body):
        rows = list(group)
        sink.summary.bodies += 1
        sink.summary.reports += len(rows)
        if len(rows) < 2:
            continue  # nothing to compare a single report with
        for f in check_body_history(load_records(lookup, rows)):
            sink.add_cross(f, body)


# ---------------------------------------------------------------- copied narratives
def candidate_pairs(conn: Connection, max_bucket: int = MAX_BUCKET) -> Iterator[Any]:
    """Pairs of latest reports whose same section shares at least one LSH band key, with
    both signatures and what a finding names (one streaming query, no lookups per pair).

    A band key shared by more than ``max_bucket`` narratives is a template that many
    bodies fill in, not a copy; skipping it keeps the self-join linear in the corpus.
    """
    a, b = narrative_bands.alias("a"), narrative_bands.alias("b")
    ra, rb = reports.alias("ra"), reports.alias("rb")
    ma, mb = narrative_minhash.alias("ma"), narrative_minhash.alias("mb")
    small = (
        sa.select(narrative_bands.c.band_key)
        .group_by(narrative_bands.c.band_key)
        .having(sa.func.count() <= max_bucket)
        .scalar_subquery()
    )
    pairs = (
        sa.select(a.c.report_id.label("a"), b.c.report_id.label("b"), a.c.section.label("section"))
        .select_from(a.join(b, sa.and_(a.c.band_key == b.c.band_key, a.c.section == b.c.section, a.c.report_id < b.c.report_id)))
        .where(a.c.band_key.in_(small))
        .group_by(a.c.report_id, b.c.report_id, a.c.section)
        .subquery("pairs")
    )
    q = (
        sa.select(
            pairs.c.a,
            pairs.c.b,
            pairs.c.section,
            ma.c.hashvalues.label("sig_a"),
            mb.c.hashvalues.label("sig_b"),
            ra.c.normalized_body.label("body_a"),
            ra.c.year.label("year_a"),
            ra.c.format.label("format_a"),
            rb.c.normalized_body.label("body_b"),
            rb.c.year.label("year_b"),
            rb.c.format.label("format_b"),
        )
        .select_from(
            pairs.join(ra, sa.and_(ra.c.id == pairs.c.a, ra.c.is_latest.is_(True)))
            .join(rb, sa.and_(rb.c.id == pairs.c.b, rb.c.is_latest.is_(True)))
            .join(ma, sa.and_(ma.c.report_id == pairs.c.a, ma.c.section == pairs.c.section))
            .join(mb, sa.and_(mb.c.report_id == pairs.c.b, mb.c.section == pairs.c.section))
        )
        .order_by(pairs.c.a, pairs.c.b, pairs.c.section)
    )
    yield from conn.execution_options(stream_results=True, yield_per=2000).execute(q)


def _copied_narratives(read: Connection, sink: _Sink) -> None:
    for row in candidate_pairs(read):
        sink.summary.candidate_pairs += 1
        jaccard = similar(unpack(row.sig_a), unpack(row.sig_b))
        if jaccard < COPY_THRESHOLD:
            continue
        # copied_narrative names the reports only: no cells or sections needed
        ra = ReportRecord(row.a, row.body_a, row.year_a, row.format_a, {}, {})
        rb = ReportRecord(row.b, row.body_b, row.year_b, row.format_b, {}, {})
        if (ra.year or 0, row.a) > (rb.year or 0, row.b):
            ra, rb = rb, ra  # earlier report first: the later one is the copy
        sink.add_cross(copied_narrative(ra, rb, row.section, jaccard), rb.body)


# ---------------------------------------------------------------- reposts
def _duplicate_publications(conn: Connection, sink: _Sink) -> None:
    """The same bytes under several paths or URLs: a note, since the numbers cannot differ."""
    sp, r = source_paths.c, reports.c
    q = (
        sa.select(r.id, r.normalized_body, r.year, sp.path)
        .select_from(reports.join(source_paths, sp.source_id == r.source_id))
        .where(r.source_id.in_(sa.select(sp.source_id).group_by(sp.source_id).having(sa.func.count() > 1)))
        .order_by(r.id, sp.path)
    )
    for rid, group in groupby(conn.execute(q), key=lambda row: row.id):
        rows = list(group)
        paths = [row.path for row in rows]
        body, year = rows[0].normalized_body, rows[0].year
        finding = CrossFinding.of(
            "REPOSTED",
            report_ids=[rid],
            cells=[],
            found=len(paths),
            body=body or "未识别机关",
            year=year or "?",
            count=len(paths),
            paths="、".join(paths[:5]),
        )
        sink.add_cross(finding, body)
