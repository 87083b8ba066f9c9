"""Writing worker results: one small transaction per batch, every report whole or not at all.

Only the parent process writes (the single-writer rule keeps SQLite fast and versioning
race-free). A batch is a handful of outcomes committed together; if the batch fails, each
outcome is retried in its own transaction so one bad row costs one file, recorded in
``failures``, never the batch.

Speed: a report is ~200 cell rows, so the per-row cost decides ingest throughput. Lookups
are one query per batch (not per report), and the wide child tables go through the
driver's ``executemany`` with plain tuples, skipping SQLAlchemy's per-row processing.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .schema import cells, failures, findings, narrative_bands, narrative_minhash, reports, sections, source_paths, sources
from .work import COLUMNS, Failed, Outcome, Parsed, now

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
    rules: Counter[str] = field(default_factory=Counter)
    failed_paths: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Written) -> None:
        self.parsed += other.parsed
        self.partial += other.partial
        self.versions += other.versions
        self.duplicates += other.duplicates
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.rules.update(other.rules)
        self.failed_paths.extend(other.failed_paths)


def write_batch(engine: Engine, batch: list[Outcome]) -> Written:
    try:
        with engine.begin() as conn:
            return _write(conn, batch)
    except Exception as e:  # isolate the outcome that broke the batch
        if len(batch) == 1:
            item = batch[0]
            log.debug("写入失败：%s：%s", item.path, e)
            msg = f"写入数据库失败（{type(e).__name__}: {e}）"
            with engine.begin() as conn:
                return _write(conn, [Failed(item.path, "store_error", msg[:2000], getattr(item, "content_hash", None))])
        out = Written()
        for item in batch:
            out.add(write_batch(engine, [item]))
        return out


def _write(conn: Connection, batch: list[Outcome]) -> Written:
    out = Written()
    parsed = [o for o in batch if isinstance(o, Parsed)]
    for item in batch:
        if isinstance(item, Failed):
            record_failure(conn, item)
            out.failed += 1
            out.failed_paths.append((item.path, item.message))
    if not parsed:
        return out
    t = now()
    hashes = {o.content_hash for o in parsed}
    known = {h for (h,) in conn.execute(sa.select(sources.c.content_hash).where(sources.c.content_hash.in_(hashes)))}
    pairs = {(o.path, o.id) for o in parsed}
    have_paths = {
        (p, s)
        for p, s in conn.execute(
            sa.select(source_paths.c.path, source_paths.c.source_id).where(source_paths.c.path.in_({p for p, _ in pairs}))
        )
    }
    new: list[Parsed] = []
    new_paths: list[dict[str, Any]] = []
    for o in parsed:
        seen_here = (o.path, o.id) in have_paths
        if not seen_here:
            have_paths.add((o.path, o.id))
            new_paths.append({"path": o.path, "source_id": o.id, "seen_at": o.fetched_at})
        if o.content_hash in known:  # stored before, or earlier in this batch
            if seen_here:
                out.unchanged += 1
            else:
                out.duplicates += 1
            continue
        known.add(o.content_hash)
        new.append(o)
    if new:
        conn.execute(
            sources.insert(),
            [
                {
                    "id": o.id,
                    "path": o.path,
                    "content_hash": o.content_hash,
                    "media_type": o.media_type,
                    "size": o.size,
                    "fetched_at": o.fetched_at,
                    "parsed_at": o.parsed_at,
                }
                for o in new
            ],
        )
    if new_paths:
        conn.execute(source_paths.insert(), new_paths)
    if not new:
        return out
    rows = []
    for o, (lineage, version, latest) in zip(new, _versions(conn, new), strict=True):
        rows.append({**o.report, "lineage": lineage, "version": version, "is_latest": latest, "ingested_at": t})
        out.parsed += 1
        out.versions += version > 1
        out.partial += o.report["n_extraction"] > 0
        out.rules.update(f["rule"] for f in o.findings)
    conn.execute(reports.insert(), rows)
    _bulk(conn, cells, [c for o in new for c in o.cells])
    _bulk(conn, sections, [s for o in new for s in o.sections])
    _bulk(conn, narrative_bands, [b for o in new for b in o.bands])
    _bulk(conn, narrative_minhash, [m for o in new for m in o.minhash])
    fs = [f for o in new for f in o.findings]
    if fs:
        conn.execute(findings.insert(), fs)
    conn.execute(failures.delete().where(failures.c.path.in_({o.path for o in new})))
    return out


def _versions(conn: Connection, new: list[Parsed]) -> list[tuple[str, int, bool]]:
    """(lineage, version) of each new report: a new version of the report at the same path,
    else of the same body and year, else version 1 of a lineage of its own."""
    r, sp = reports.c, source_paths.c
    by_path: dict[str, str] = {}
    q = (
        sa.select(sp.path, r.lineage)
        .select_from(reports.join(source_paths, sp.source_id == r.source_id))
        .where(sp.path.in_({o.path for o in new}))
        .order_by(r.version)
    )
    for path, lineage in conn.execute(q):
        by_path[path] = lineage  # the highest version wins
    keys = {(o.report["normalized_body"], o.report["year"]) for o in new if o.report["normalized_body"] and o.report["year"]}
    by_body: dict[tuple[str, int], str] = {}
    if keys:
        # By body only, year and is_latest filtered here: SQLite answers a row-value IN
        # or an is_latest condition by scanning, which made ingest quadratic.
        q2 = sa.select(r.normalized_body, r.year, r.lineage, r.is_latest).where(r.normalized_body.in_({b for b, _ in keys}))
        for body, year, lineage, latest in conn.execute(q2):
            if latest and (body, year) in keys:
                by_body[(body, year)] = lineage
    top: dict[str, int] = {}
    out: list[list[Any]] = []  # [lineage, version, is_latest]
    for o in new:
        key = (o.report["normalized_body"], o.report["year"])
        has_key = bool(key[0] and key[1])
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
    """executemany straight on the driver with the workers' tuples (``work.COLUMNS`` order)."""
    if not rows:
        return
    names = COLUMNS[table.name]
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    if table is cells and conn.dialect.name == "sqlite":
        # SQLite has no decimal: money goes in as REAL (schema.Num reads it back as Decimal)
        rows = [r if not isinstance(r[2], Decimal) else (*r[:2], _sqlite_number(r[2]), *r[3:]) for r in rows]
    conn.exec_driver_sql(sql, rows)


def _sqlite_number(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


def record_failure(conn: Connection, item: Failed) -> None:
    prev = conn.execute(sa.select(failures.c.attempts).where(failures.c.path == item.path)).scalar()
    values = {"content_hash": item.content_hash, "code": item.code, "message": item.message, "at": now()}
    if prev is None:
        conn.execute(failures.insert().values(path=item.path, attempts=1, **values))
    else:
        conn.execute(failures.update().where(failures.c.path == item.path).values(attempts=prev + 1, **values))
