"""The corpus store: many reports in one SQL database (SQLite or PostgreSQL).

``Corpus`` is the API; ``gongkai ingest|check-corpus|stats|export`` (``gongkai.cli.store``) are
thin commands over it. See ``docs/store.md``.
"""

from __future__ import annotations

from .corpus import Corpus
from .ingest import IngestSummary

__all__ = ["Corpus", "IngestSummary"]
