"""gongkai: read, validate, store and author China's government information disclosure
annual reports (政府信息公开工作年度报告).

    >>> import gongkai
    >>> report = gongkai.parse("report.txt")
    >>> report.cells["t3.received.total"].value

The pipeline is four plain functions, each usable alone (``gongkai.pipeline``):
``read_file``/``read_bytes`` (-> Document) -> ``normalize`` -> ``extract`` (-> Report) -> ``validate``.
"""

from __future__ import annotations

from .api import parse, parse_bytes, parse_text, read_bytes, read_file
from .errors import GongkaiError
from .model import Block, Cell, Document, Finding, Origin, Report
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Block",
    "Cell",
    "Document",
    "Finding",
    "GongkaiError",
    "Origin",
    "Report",
    "Settings",
    "__version__",
    "parse",
    "parse_bytes",
    "parse_text",
    "read_bytes",
    "read_file",
]
