"""Parse a stored document again with this gongkai, in place, keeping people's work.

Ingest never parses bytes it has stored (idempotent by content hash); after a gongkai
upgrade, ``reparse`` reads a stored report's bytes again and replaces what the parser
made of them (its row's metadata, cells, sections, own findings, narrative signatures) in
one transaction. The report's id is its content hash, so corrections and dismissals,
which hang on it, stay; ``corrections`` then shows where the new reading differs from
the one that was corrected (a conflict).

The bytes come from the web app's store of uploads (by content hash) or from a path the
source was ingested from, and only when their SHA-256 is the stored one.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..errors import GongkaiError
from ..settings import DEFAULT, Settings
from .corrections import refresh_review
from .schema import (
    audit_log,
    findings,
    narrative_bands,
    narrative_minhash,
    report_cells,
    report_figures,
    reports,
    sections,
    source_paths,
    sources,
)
from .work import REPORT_KEYS, Skipped, process_bytes
from .work import now as _now
from .write import _bulk

# reports columns a new parse may change (not its id, source, path or version history)
_UPDATED = tuple(k for k in REPORT_KEYS if k not in ("id", "source_id", "path"))


_VERIFIED: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> the SHA-256 it had


def object_path(objects: Path, content_hash: str) -> Path:
    """Where the web app keeps bytes with this SHA-256 (never a name a person gave)."""
    if len(content_hash) != 64 or any(c not in "0123456789abcdef" for c in content_hash):
        raise ValueError("not a SHA-256")
    return objects / content_hash[:2] / content_hash


# built once (the report page asks per view; making a select costs more than running this one)
_SOURCE = (
    sa.select(sources.c.id, sources.c.content_hash, sources.c.path)
    .select_from(reports.join(sources, sources.c.id == reports.c.source_id))
    .where(reports.c.id == sa.bindparam("rid"))
)


def source_bytes(engine: Engine, rid: str, objects: Path | None = None) -> tuple[bytes, str, str] | None:
    """(bytes, path, content hash) of report ``rid``'s document, or None when no copy with the
    stored hash can be found."""
    with engine.connect() as conn:
        got = conn.execute(_SOURCE, {"rid": rid}).first()
        if got is None:
            return None
    for p in _candidates(engine, got, objects):
        try:
            st = p.stat()
            if not stat.S_ISREG(st.st_mode):
                continue
            data = p.read_bytes()
        except OSError:
            continue
        # the hash of a file is checked once per (path, size, mtime), not on every page view
        seen = (str(p), st.st_size, st.st_mtime_ns)
        if _VERIFIED.get(seen) == got.content_hash or hashlib.sha256(data).hexdigest() == got.content_hash:
            if len(_VERIFIED) > 100_000:
                _VERIFIED.clear()
            _VERIFIED[seen] = got.content_hash
            return data, got.path, got.content_hash
    return None


def _candidates(engine: Engine, got: Any, objects: Path | None) -> Iterator[Path]:
    """Where a source's bytes may be: the object store (by hash), then the paths recorded for
    it (read only when the object store has no copy)."""
    if objects is not None:
        yield object_path(objects, got.content_hash)
    with engine.connect() as conn:
        paths = [got.path, *conn.execute(sa.select(source_paths.c.path).where(source_paths.c.source_id == got.id)).scalars()]
    for p in dict.fromkeys(paths):
        if p and "://" not in p:
            yield Path(p)


def reparse(engine: Engine, rid: str, objects: Path | None = None, settings: Settings = DEFAULT, user: str = "cli") -> bool:
    """Parse report ``rid`` again; False when its bytes are not at hand."""
    found = source_bytes(engine, rid, objects)
    if found is None:
        return False
    data, path, digest = found
    parsed = process_bytes(data, path, digest, _now(), settings)  # a GongkaiError (Chinese) goes to the caller
    if isinstance(parsed, Skipped):  # the parser no longer takes it for a report: keep what is stored
        raise GongkaiError(parsed.message, path)
    with engine.begin() as conn:
        for table in (report_cells, report_figures, sections, narrative_bands, narrative_minhash):
            conn.execute(table.delete().where(table.c.report_id == rid))
        conn.execute(findings.delete().where(findings.c.report_id == rid, findings.c.source != "corpus"))
        values = {k: parsed.report[k] for k in _UPDATED}
        values["confidence"] = json.loads(values["confidence"]) if values["confidence"] else None  # JSON text for _bulk
        values["ingested_at"] = _now()
        conn.execute(reports.update().where(reports.c.id == rid).values(**values))
        _bulk(conn, report_cells, [(rid, parsed.cell_values, parsed.cell_details)])
        _bulk(conn, report_figures, [(rid, parsed.figures)])
        _bulk(conn, sections, parsed.sections)
        _bulk(conn, narrative_bands, parsed.bands)
        _bulk(conn, narrative_minhash, parsed.minhash)
        if parsed.findings:
            conn.execute(findings.insert(), parsed.findings)
        conn.execute(
            audit_log.insert().values(
                at=_now(),
                user_name=user,
                action="report.reparse",
                target=rid,
                detail={"parser_version": parsed.report["parser_version"]},
            )
        )
        refresh_review(conn, rid)
    return True
