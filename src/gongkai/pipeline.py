"""The four stages as plain functions, in order, for callers who run them one by one:

    from gongkai.pipeline import read_file, normalize, extract, validate
    doc = normalize(read_file("report.pdf"))
    report = extract(doc)
    report.findings += validate(report)

(They live here rather than on the package itself, where ``gongkai.extract`` and friends
name the stage packages.)
"""

from __future__ import annotations

from .api import parse, parse_bytes, read_bytes, read_file
from .extract import debug_extract, extract
from .normalize import normalize
from .validate import validate

__all__ = ["debug_extract", "extract", "normalize", "parse", "parse_bytes", "read_bytes", "read_file", "validate"]
