"""``Corpus``: the one library object the CLI, benchmarks and notebooks use."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..settings import DEFAULT, Settings
from .checks import CheckSummary, check_corpus
from .db import normalize_url, open_engine
from .export import export
from .ingest import Ingest, IngestSummary
from .schema import cells, metadata
from .stats import stats


class Corpus:
    """A database of parsed reports: SQLite (default ``./gongkai.db``) or PostgreSQL by URL.

    Opening runs any pending schema migration. ``create=False``: the database must exist
    already (a ``DatabaseError`` otherwise), for what only reads a corpus.

        >>> corpus = Corpus("sqlite:///reports.db")
        >>> corpus.ingest(["downloads/"])
        >>> corpus.check()
        >>> corpus.stats(by=("year",))
        >>> corpus.export("csv", "cells.csv", form="long")
    """

    def __init__(self, url: str | os.PathLike[str] | None = None, settings: Settings = DEFAULT, create: bool = True) -> None:
        self.url = normalize_url(url)
        self.settings = settings
        self.engine = open_engine(self.url, create=create)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ingest(
        self,
        paths_or_urls: Iterable[str | os.PathLike[str]],
        jobs: int | None = None,
        engine: str = "local",
        address: str | None = None,
        progress: bool = True,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ) -> IngestSummary:
        """Parse and store files, folders (recursively), URLs and ``@list.txt`` files.

        Idempotent (bytes already stored are skipped), resumable (each report commits
        whole), parallel (``jobs`` processes, or a Dask cluster at ``address``). Files
        that are not reports are listed in the summary, not stored; ``include``/``exclude``
        are globs over the files found in folders. Returns an ``IngestSummary``.
        """
        paths = [str(p) for p in paths_or_urls]
        return Ingest(self.engine, self.settings, include, exclude).run(paths, jobs, engine, address, progress)

    def check(self) -> CheckSummary:
        """Checks across reports (history of each body, copied narratives, duplicate
        publications); replaces earlier corpus findings. Returns a ``CheckSummary``."""
        return check_corpus(self.engine)

    def stats(self, by: Sequence[str] = ("year", "region", "body_type")) -> list[dict[str, Any]]:
        """One row per value of each dimension in ``by`` (plus an overall row)."""
        return stats(self.engine, by)

    def export(self, fmt: str, dest: str | os.PathLike[str], form: str = "wide", latest_only: bool = True) -> int:
        """Write the corpus as csv, xlsx, parquet or json (lines); returns rows written."""
        return export(self.engine, fmt, Path(dest), form, latest_only)

    def counts(self) -> dict[str, int]:
        """Rows per table, and in the view ``cells`` (for tests and ``gongkai stats``)."""
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in [*metadata.sorted_tables, cells]
            }

    def __repr__(self) -> str:
        return f"Corpus({json.dumps(self.engine.url.render_as_string(hide_password=True))})"
