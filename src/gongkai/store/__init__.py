"""The corpus store: many reports in one SQL database (SQLite or PostgreSQL).

``Corpus`` is the API; ``gongkai ingest|check-corpus|stats|export`` (``gongkai.cli.store``) are
thin commands over it. See ``docs/store.md``.
"""

from __future__ import annotations

from ..domain.extras import require

require("store")  # a Chinese "需要安装 …：pip install 'gongkai[store]'", not a ModuleNotFoundError

from .corpus import Corpus  # noqa: E402
from .ingest import IngestSummary  # noqa: E402

__all__ = ["Corpus", "IngestSummary"]
