"""What a worker does with one input: read, hash, parse, and turn the Report into rows.

Runs in a worker process (ProcessPoolExecutor) or on a Dask worker, so everything here
is a plain function over picklable values; nothing touches the database. The result is a
``Parsed`` (rows ready to insert) or a ``Failed`` (the error, to record).
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import __version__
from ..errors import GongkaiError
from ..model import Cell, Report, json_number
from ..settings import DEFAULT, Settings

# Sections written as prose: the ones a copied narrative shows up in. The other three
# hold the tables' text, which every report shares label for label.
NARRATIVE_SECTIONS = ("overview", "problems", "other")
NUM_PERM = 64


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def content_id(content_hash: str) -> str:
    return content_hash[:16]


@dataclass(slots=True)
class Failed:
    path: str
    code: str
    message: str
    content_hash: str | None = None


@dataclass(slots=True)
class Parsed:
    path: str
    content_hash: str
    size: int
    media_type: str
    fetched_at: datetime
    parsed_at: datetime
    report: dict[str, Any]  # the reports row, less lineage/version/is_latest
    # The wide child tables travel as tuples in the column order of ``COLUMNS``: a report
    # has ~200 cells and the parent inserts them as they are (see ``write._bulk``).
    cells: list[tuple[Any, ...]] = field(default_factory=list)
    sections: list[tuple[Any, ...]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    bands: list[tuple[Any, ...]] = field(default_factory=list)
    minhash: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return content_id(self.content_hash)


Outcome = Parsed | Failed

COLUMNS: dict[str, tuple[str, ...]] = {
    "cells": ("report_id", "key", "value", "status", "raw", "unit", "provenance"),
    "sections": ("report_id", "key", "text"),
    "narrative_bands": ("band_key", "section", "report_id"),
    "narrative_minhash": ("report_id", "section", "hashvalues"),
}


def load(source: str, settings: Settings = DEFAULT) -> tuple[bytes, str]:
    """The bytes of a file path or URL, with the library's own bounds and messages."""
    from ..api import _load

    return _load(source, settings)


def process(source: str, settings: Settings = DEFAULT) -> Outcome:
    """One input, start to finish. Never raises: every error becomes a ``Failed``."""
    fetched = now()
    digest: str | None = None
    try:
        data, path = load(source, settings)
        digest = hashlib.sha256(data).hexdigest()
        return process_bytes(data, path, digest, fetched, settings)
    except GongkaiError as e:
        return Failed(source, e.code, e.message, digest)
    except Exception as e:  # a bug in a stage must not stop the batch: record it
        return Failed(source, "internal", f"内部错误（{type(e).__name__}: {e}），请把此文件报告给 gongkai 开发者", digest)


def process_bytes(data: bytes, path: str, digest: str, fetched: datetime, settings: Settings = DEFAULT) -> Parsed:
    from ..api import parse_bytes

    report = parse_bytes(data, path, settings)
    return to_rows(report, path, digest, len(data), fetched)


def to_rows(report: Report, path: str, digest: str, size: int, fetched: datetime) -> Parsed:
    rid = content_id(digest)
    body = resolve(report)
    n_extraction = sum(1 for f in report.findings if f.source == "extraction" and f.severity != "info")
    row = {
        "id": rid,
        "source_id": rid,
        "path": path,
        "title": report.title,
        "issuing_body": report.issuing_body,
        **body,
        "year": report.report_year,
        "format": report.format,
        "publication_date": report.publication_date,
        "media_type": report.media_type,
        "script": report.script,
        "encoding": report.encoding,
        "n_cells": len(report.cells),
        "n_errors": sum(1 for f in report.findings if f.severity == "error"),
        "n_extraction": n_extraction,
        "confidence": dict(report.confidence) or None,
        "parser_version": __version__,
    }
    out = Parsed(path, digest, size, report.media_type, fetched, now(), row)
    for key, c in report.cells.items():
        out.cells.append((rid, key, c.value, c.status, c.raw, c.unit, provenance(c)))
    for key, text in report.sections.items():
        out.sections.append((rid, key, text))
    for f in report.findings:
        out.findings.append(
            {
                "report_id": rid,
                "report_ids": None,
                "rule": f.rule,
                "severity": f.severity,
                "source": f.source,
                "tbl": f.table,
                "message": f.message,
                "cells": list(f.cells) or None,
                "expected": _text(f.expected),
                "found": _text(f.found),
                "body": None,
            }
        )
    for section, hashvalues, band_keys in signatures(report, (report.issuing_body, body["normalized_body"])):
        out.minhash.append((rid, section, pack(hashvalues)))
        out.bands.extend((k, section, rid) for k in dict.fromkeys(band_keys))
    return out


def provenance(c: Cell) -> str | None:
    """The cell's origin (and note) as JSON text, built by hand: json.dumps per cell cost more
    than parsing the report."""
    if c.origin is None and not c.note:
        return None
    parts = []
    for k, v in (c.origin.to_json() if c.origin is not None else {}).items():
        parts.append(f'"{k}":{v}' if isinstance(v, int) else f'"{k}":{json.dumps(v)}')
    if c.note:
        parts.append(f'"note":{json.dumps(c.note, ensure_ascii=False)}')
    return "{" + ",".join(parts) + "}" if parts else None


def _text(v: Any) -> str | None:
    v = json_number(v)
    return None if v is None else str(v)


def resolve(report: Report) -> dict[str, Any]:
    """Normalized body, region and body type from ``gongkai.bodies`` (when installed)."""
    name = report.issuing_body
    out: dict[str, Any] = {
        "normalized_body": name,
        "province": None,
        "city": None,
        "county": None,
        "division_code": None,
        "body_type": None,
    }
    if not name:
        return out
    try:
        from ..bodies import resolve_body
    except ImportError:
        return out
    hint = " ".join(filter(None, [report.title, report.sections.get("overview", "")[:1500]]))
    try:
        info = resolve_body(name, hint)
    except Exception:  # a resolver bug must not lose the report; the raw name is kept
        return out
    for k in ("province", "city", "county", "division_code", "body_type"):
        out[k] = getattr(info, k, None) or None
    out["normalized_body"] = getattr(info, "normalized", None) or name
    return out


def narrative(text: str) -> str:
    """A section's prose without its heading line."""
    lines = text.split("\n")
    return "\n".join(lines[1:]).strip() if len(lines) > 1 else text.strip()


def signatures(report: Report, names: tuple[str | None, ...] = ()) -> list[tuple[str, list[int], list[str]]]:
    """MinHash signatures of the prose sections that are long enough to be copied.

    The body's own names are left out of the shingles (``crosscheck``), so two bodies that
    fill in the same template with their own names still match.
    """
    try:
        from ..crosscheck import narrative_signature
    except ImportError:
        return []
    out = []
    own = tuple(n for n in dict.fromkeys(names) if n)
    for section in NARRATIVE_SECTIONS:
        text = narrative(report.sections.get(section, ""))
        if not text:
            continue
        hashvalues, band_keys = narrative_signature(text, num_perm=NUM_PERM, names=own)
        if band_keys:  # no keys: too short or boilerplate, never evidence of copying
            out.append((section, [int(h) for h in hashvalues], [str(k) for k in band_keys]))
    return out


def pack(hashvalues: list[int]) -> bytes:
    return struct.pack(f"<{len(hashvalues)}Q", *hashvalues)


def unpack(blob: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 8}Q", blob))
