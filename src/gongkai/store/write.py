"""Writing worker results: one small transaction per batch, every report whole or not at all.

Only the parent process writes (the single-writer rule keeps SQLite fast and versioning
race-free). A batch is a handful of outcomes committed together; if the batch fails, each
outcome is retried in its own transaction so one bad row costs one file, recorded in
``failures``, never the batch.

Speed: the parent is the one writer, so its cost per report bounds ingest throughput. A
report is ~25 rows (its ~200 cells are one ``report_cells`` row of JSON that the worker
built); lookups are one query per batch (not per report), and every insert goes through the
driver's ``executemany`` with the workers' tuples, skipping SQLAlchemy's per-row processing
(~0.25 ms of CPU a report in all, see ``benchmarks/bench_ingest.py --writer``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.bodies import LEVEL_CHARS, NATIONAL_PREFIXES, NOT_LEVEL_WORDS
from .schema import (
    JSONB,
    failures,
    findings,
    metadata,
    narrative_bands,
    narrative_minhash,
    report_cells,
    report_figures,
    reports,
    sections,
    source_paths,
    sources,
)
from .work import COLUMNS, REPORT_KEYS, UTF8_COLUMNS, Failed, Outcome, Parsed, Skipped, now

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Written:
    """What became of each outcome of a batch."""

    parsed: int = 0
    partial: int = 0  # parsed, with extraction findings
    versions: int = 0  # parsed as a new version of a report already stored
    duplicates: int = 0  # bytes already stored under another path (or twice in this batch)
    unchanged: int = 0  # bytes already stored under this very path (a URL fetched again)
    failed: int = 0
    missing_dependency: int = 0  # ...of which for an extra not installed
    skipped: int = 0  # not reports: listed, not stored
    rules: Counter[str] = field(default_factory=Counter)
    failed_paths: list[tuple[str, str]] = field(default_factory=list)
    skipped_paths: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Written) -> None:
        self.parsed += other.parsed
        self.partial += other.partial
        self.versions += other.versions
        self.duplicates += other.duplicates
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.missing_dependency += other.missing_dependency
        self.skipped += other.skipped
        self.rules.update(other.rules)
        self.failed_paths.extend(other.failed_paths)
        self.skipped_paths.extend(other.skipped_paths)


def write_batch(engine: Engine, batch: list[Outcome]) -> Written:
    try:
        with engine.begin() as conn:
            return write_outcomes(conn, batch)
    except Exception as e:  # isolate the outcome that broke the batch
        if len(batch) == 1:
            item = batch[0]
            log.debug("写入失败：%s：%s", item.path, e)
            msg = f"写入数据库失败（{type(e).__name__}: {e}）"
            with engine.begin() as conn:
                return write_outcomes(conn, [Failed(item.path, "store_error", msg[:2000], getattr(item, "content_hash", None))])
        out = Written()
        for item in batch:
            out.add(write_batch(engine, [item]))
        return out


def write_into(conn: Connection, batch: list[Outcome]) -> Written:
    """``batch`` inside the caller's open transaction (``Writer`` keeps one open across many
    batches), in a savepoint: a batch that fails is rolled back to it and its outcomes retried
    one by one, each in a savepoint of its own, so one bad row costs one file, never the
    transaction. On SQLite the transaction must have been begun by a real ``BEGIN``
    (``Writer`` does): a savepoint opened outside one would commit on release."""
    try:
        with conn.begin_nested():
            return write_outcomes(conn, batch)
    except Exception as e:
        if len(batch) == 1:
            item = batch[0]
            log.debug("写入失败：%s：%s", item.path, e)
            msg = f"写入数据库失败（{type(e).__name__}: {e}）"
            with conn.begin_nested():
                return write_outcomes(conn, [Failed(item.path, "store_error", msg[:2000], getattr(item, "content_hash", None))])
        out = Written()
        for item in batch:
            out.add(write_into(conn, [item]))
        return out


def write_outcomes(conn: Connection, batch: list[Outcome]) -> Written:
    """``batch``'s rows in the caller's open transaction, with no savepoint of its own: on an
    error some of its rows may be in, and the caller rolls back (``write_batch``,
    ``write_into``, ``writer.Transactions``' group savepoints)."""
    out = Written()
    parsed = [o for o in batch if isinstance(o, Parsed)]
    for item in batch:
        if isinstance(item, Skipped):
            out.skipped += 1
            out.skipped_paths.append((item.path, item.message))
        elif isinstance(item, Failed):
            record_failure(conn, item)
            out.failed += 1
            out.missing_dependency += item.code == "missing_dependency"
            out.failed_paths.append((item.path, item.message))
    if not parsed:
        return out
    t = now()
    dt = _sqlite_datetime if conn.dialect.name == "sqlite" else _same  # SQLite stores DateTime as text
    known = set(_lookup(conn, _KNOWN_HASHES, [o.content_hash for o in parsed]).scalars())
    have_paths = {(p, s) for p, s in _lookup(conn, _KNOWN_PATHS, list({o.path for o in parsed}))}
    new: list[Parsed] = []
    new_paths: list[tuple[Any, ...]] = []
    for o in parsed:
        seen_here = (o.path, o.id) in have_paths
        if not seen_here:
            have_paths.add((o.path, o.id))
            new_paths.append((o.path, o.id, dt(o.fetched_at)))
        if o.content_hash in known:  # stored before, or earlier in this batch
            if seen_here:
                out.unchanged += 1
            else:
                out.duplicates += 1
            continue
        known.add(o.content_hash)
        new.append(o)
    _bulk(conn, sources, [(o.id, o.path, o.content_hash, o.media_type, o.size, dt(o.fetched_at), dt(o.parsed_at)) for o in new])
    _bulk(conn, source_paths, new_paths)
    if not new:
        return out
    rows = []
    ingested_at = dt(t)
    for o, (lineage, version, latest) in zip(new, _versions(conn, new), strict=True):
        report = o.report
        # n_errors_reviewed starts as the parsed count; refresh_review keeps it after a review
        rows.append((*[report[k] for k in REPORT_KEYS], lineage, version, latest, ingested_at, report["n_errors"]))
        out.parsed += 1
        out.versions += version > 1
        out.partial += report["n_extraction"] > 0
        if o.findings:
            out.rules.update(f["rule"] for f in o.findings)
    _bulk(conn, reports, rows)
    _bulk(conn, report_cells, [(o.id, o.cell_values, o.cell_details) for o in new])
    _bulk(conn, report_figures, [(o.id, o.figures) for o in new])
    _bulk(conn, sections, [s for o in new for s in o.sections])
    _bulk(conn, narrative_bands, [b for o in new for b in o.bands])
    _bulk(conn, narrative_minhash, [m for o in new for m in o.minhash])
    fs = [f for o in new for f in o.findings]
    if fs:
        conn.execute(findings.insert(), fs)
    if _lookup(conn, _FAILED_PATHS, [o.path for o in new]).first() is not None:  # rare: only then delete
        conn.execute(failures.delete().where(failures.c.path.in_([o.path for o in new])))
    return out


# Lookups by a batch's values, on the driver: SQLAlchemy would build one parameter per
# value every time.
_KNOWN_HASHES = "SELECT content_hash FROM sources WHERE content_hash IN"
_KNOWN_PATHS = "SELECT path, source_id FROM source_paths WHERE path IN"
_FAILED_PATHS = "SELECT path FROM failures WHERE path IN"
_LINEAGE_BY_PATH = "SELECT sp.path, r.lineage FROM reports r JOIN source_paths sp ON sp.source_id = r.source_id WHERE sp.path IN"
_LINEAGE_BY_BODY = "SELECT normalized_body, year, lineage, is_latest FROM reports WHERE normalized_body IN"


def _lookup(conn: Connection, sql: str, values: list[Any], tail: str = "") -> sa.CursorResult[Any]:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return conn.exec_driver_sql(f"{sql} ({', '.join([mark] * len(values))}){tail}", tuple(values))


def keyed_by_body(report: dict[str, Any]) -> bool:
    """Whether a report's body and year can make it a version of another report: the body
    must be known, and name one body. A level without its place that the text did not
    resolve (区科技局) could be any district's; such a report, like one whose body is absent,
    is keyed by its content alone (a lineage of its own), so two bodies are never merged."""
    body = report["normalized_body"]
    if not body or not report["year"]:
        return False
    if report["division_code"] is not None:
        return True
    if body[0] in LEVEL_CHARS and not body.startswith(NOT_LEVEL_WORDS):
        return False  # 区科技局
    if report.get("body_type") == "township":
        # 太平镇人民政府: a town's name is shared by towns of many counties; only a county
        # (or city, district…) written before it makes it one body
        town = max(body.rfind("镇"), body.rfind("乡"), body.rfind("街道"))
        return _placed(body[:town], keep=1)
    # a place the gazetteer lacks (a renamed county, a township) still names one body; a
    # bare agency (教育局) does not
    return body.startswith(NATIONAL_PREFIXES) or _placed(body[:-2])


_PLACE_CHARS = frozenset("省市区县州盟旗镇乡")


def _placed(head: str, keep: int = 0) -> bool:
    """Whether ``head`` (a name before its unit) starts with a place: a place character
    with a name before it (沛县, 某某市), and ``keep`` characters after it left for the
    unit's own name. The 市 of 新市镇 and the 县 of 县前街道 are the town's own name, and the
    市 of 市场监督管理局 opens a word: none of them places the body."""
    return any(c in _PLACE_CHARS for c in head[1 : len(head) - keep])


def _versions(conn: Connection, new: list[Parsed]) -> list[tuple[str, int, bool]]:
    """(lineage, version) of each new report: a new version of the report at the same path,
    else of the same body and year, else version 1 of a lineage of its own."""
    r = reports.c
    by_path: dict[str, str] = {}
    paths = list({o.path for o in new})
    for path, lineage in _lookup(conn, _LINEAGE_BY_PATH, paths, " ORDER BY r.version"):
        by_path[path] = lineage  # the highest version wins
    keys = {(o.report["normalized_body"], o.report["year"]) for o in new if keyed_by_body(o.report)}
    by_body: dict[tuple[str, int], str] = {}
    if keys:
        # By body only, year and is_latest filtered here: SQLite answers a row-value IN
        # or an is_latest condition by scanning, which made ingest quadratic.
        for body, year, lineage, latest in _lookup(conn, _LINEAGE_BY_BODY, list({b for b, _ in keys})):
            if latest and (body, year) in keys:
                by_body[(body, year)] = lineage
    top: dict[str, int] = {}
    out: list[list[Any]] = []  # [lineage, version, is_latest]
    for o in new:
        key = (o.report["normalized_body"], o.report["year"])
        has_key = keyed_by_body(o.report)
        lineage = by_path.get(o.path) or (by_body.get(key) if has_key else None)
        if lineage is None:
            lineage, version = o.id, 1
        else:
            if lineage not in top:
                top[lineage] = conn.execute(sa.select(sa.func.max(r.version)).where(r.lineage == lineage)).scalar() or 0
                # by lineage alone: an is_latest condition lets SQLite pick a scan
                conn.execute(reports.update().where(r.lineage == lineage).values(is_latest=False))
            version = top[lineage] + 1
            for row in out:  # an earlier report of this batch in the same lineage is superseded
                if row[0] == lineage:
                    row[2] = False
        top[lineage] = version
        by_path[o.path] = lineage
        if has_key:
            by_body[key] = lineage
        out.append([lineage, version, True])
    return [(lin, ver, latest) for lin, ver, latest in out]


def _bulk(conn: Connection, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
    """executemany straight on the driver with plain tuples in ``work.COLUMNS`` order,
    skipping SQLAlchemy's per-row processing (the caller has turned datetimes into SQLite's
    text already: ``_sqlite_datetime``)."""
    if rows:
        conn.exec_driver_sql(_insert_sql(conn.dialect.paramstyle, table.name), rows)


@lru_cache(maxsize=64)
def _insert_sql(paramstyle: str, name: str) -> str:
    table = metadata.tables[name]
    marks = []
    for n in COLUMNS[name]:
        t, utf8 = table.c[n].type, (name, n) in UTF8_COLUMNS
        if paramstyle == "qmark":  # SQLite: UTF-8 bytes become text as they are
            marks.append("CAST(? AS TEXT)" if utf8 else "?")
            continue
        mark = "convert_from(%s, 'UTF8')" if utf8 else "%s"
        if t is JSONB:  # JSON text: cast on PostgreSQL
            mark += "::jsonb"
        elif isinstance(t, sa.JSON):
            mark += "::json"
        marks.append(mark)
    return f"INSERT INTO {name} ({', '.join(COLUMNS[name])}) VALUES ({', '.join(marks)})"


def _sqlite_datetime(v: datetime | None) -> str | None:
    """SQLAlchemy's text form of a DateTime on SQLite (it reads it back as a datetime)."""
    return None if v is None else v.isoformat(" ", "microseconds")


def _same(v: Any) -> Any:
    return v


def record_failure(conn: Connection, item: Failed) -> None:
    prev = conn.execute(sa.select(failures.c.attempts).where(failures.c.path == item.path)).scalar()
    values = {"content_hash": item.content_hash, "code": item.code, "message": item.message, "at": now()}
    if prev is None:
        conn.execute(failures.insert().values(path=item.path, attempts=1, **values))
    else:
        conn.execute(failures.update().where(failures.c.path == item.path).values(attempts=prev + 1, **values))
