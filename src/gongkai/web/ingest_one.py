"""One upload, ingested in a child process of ``gongkai serve`` (see ``uploads.Worker``).

``python -m gongkai.web.ingest_one --db URL --objects DIR --upload ID [--memory-mb N]``:
bounds its own address space first, fetches the bytes of a URL upload (with the reader's
own limits) into the object store, then ingests the stored file through the store's ingest
(idempotent by content hash) and records the outcome on the upload's row: the report, a
duplicate of one already stored, or the Chinese message of the failure.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa

from ..errors import GongkaiError
from ..settings import DEFAULT
from ..store.db import open_engine
from ..store.ingest import Ingest
from ..store.reparse import object_path
from ..store.schema import failures, sources, uploads
from ..store.work import content_id, load, now
from .uploads import store_stream


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="gongkai.web.ingest_one")
    ap.add_argument("--db", required=True)
    ap.add_argument("--objects", required=True)
    ap.add_argument("--upload", type=int, required=True)
    ap.add_argument("--memory-mb", type=int, default=0)
    ap.add_argument("--max-bytes", type=int, default=DEFAULT.max_input_bytes)
    ap.add_argument("--allow-private-urls", action="store_true", help="fetch URLs on loopback and private addresses too")
    a = ap.parse_args(argv)
    # a URL to this server's own network is refused unless the administrator allows it
    # (docs/hostile.md); the document itself is parsed under the budget (gongkai.guard)
    settings = replace(DEFAULT, fetch_private=a.allow_private_urls)
    if a.memory_mb:
        limit = a.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    engine = open_engine(a.db, migrate_schema=False)
    objects = Path(a.objects)
    u = uploads.c

    def finish(status: str, message: str | None = None, report_id: str | None = None, **more: object) -> int:
        with engine.begin() as conn:
            conn.execute(
                uploads.update()
                .where(u.id == a.upload)
                .values(status=status, message=message, report_id=report_id, finished_at=now(), **more)
            )
        return 0

    with engine.connect() as conn:
        row = conn.execute(sa.select(uploads).where(u.id == a.upload)).first()
    if row is None:
        return 0
    digest = row.content_hash
    extra: dict[str, object] = {}
    if digest is None:  # a URL
        try:
            data, _ = load(row.name, settings)
        except GongkaiError as e:
            return finish("failed", e.message)
        s = store_stream(io.BytesIO(data), row.name, objects, a.max_bytes, [a.max_bytes])
        if s.content_hash is None:
            return finish("failed", s.message)
        digest = s.content_hash
        extra = {"content_hash": digest, "size": s.size}
    rid = content_id(digest)
    with engine.connect() as conn:
        known = conn.execute(sa.select(sources.c.id).where(sources.c.content_hash == digest)).scalar()
    if known is not None:
        return finish("duplicate", "相同内容的报告已在库中", rid, **extra)
    path = str(object_path(objects, digest))
    Ingest(engine, settings).run([path], jobs=1, engine="local", address=None, progress=False)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(sources.c.id).where(sources.c.content_hash == digest)).scalar()
        failed = conn.execute(sa.select(failures.c.message).where(failures.c.path == path)).scalar()
    if stored is not None:
        return finish("done", None, rid, **extra)
    return finish("failed", failed or "未能入库（原因不明）", None, **extra)


if __name__ == "__main__":
    sys.exit(main())
