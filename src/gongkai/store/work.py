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
from decimal import Decimal
from typing import Any

from .. import __version__
from ..api import _load, parse_bytes
from ..corpus.bodies import resolve_body
from ..corpus.crosscheck import narrative_signature
from ..domain.stats import FIGURE_KEYS
from ..errors import GongkaiError
from ..guard.names import stored
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
    # The report's cells as the JSON text of report_cells' two columns, built here so that
    # the parent inserts one ready row (and unpickles two strings, not ~200 tuples). Long
    # text travels UTF-8 encoded (``UTF8_COLUMNS``): unpickling bytes is a copy, a str
    # is decoded again.
    cell_values: bytes = b"{}"
    cell_details: bytes = b"{}"
    figures: bytes = b"{}"  # report_figures' JSON: the cells of FIGURE_KEYS the report has
    # The other child tables travel as tuples in the column order of ``COLUMNS``; the
    # parent inserts them as they are (see ``write._bulk``).
    sections: list[tuple[Any, ...]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    bands: list[tuple[Any, ...]] = field(default_factory=list)
    minhash: list[tuple[Any, ...]] = field(default_factory=list)

    id: str = field(init=False, default="")  # = content_id(content_hash), set once

    def __post_init__(self) -> None:
        self.id = content_id(self.content_hash)

    def cells(self) -> list[tuple[Any, ...]]:
        """The cells in long form, ``COLUMNS["cells"]`` order (the ``cells`` view's rows)."""
        return cell_rows(self.id, self.cell_values, self.cell_details)


@dataclass(slots=True)
class Skipped(Failed):
    """An input that is not a report (a label file, a script, a blank template): listed
    by the ingest, never stored as a report."""


Outcome = Parsed | Failed

# The reports row a worker builds (``Parsed.report``); the parent adds the rest.
REPORT_KEYS: tuple[str, ...] = (
    "id",
    "source_id",
    "path",
    "title",
    "issuing_body",
    "normalized_body",
    "province",
    "city",
    "county",
    "division_code",
    "body_type",
    "year",
    "format",
    "publication_date",
    "media_type",
    "script",
    "encoding",
    "n_cells",
    "n_errors",
    "n_extraction",
    "confidence",
    "parser_version",
)
# Column order of the tuples ``write._bulk`` inserts.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "path", "content_hash", "media_type", "size", "fetched_at", "parsed_at"),
    "source_paths": ("path", "source_id", "seen_at"),
    "reports": (*REPORT_KEYS, "lineage", "version", "is_latest", "ingested_at", "n_errors_reviewed"),
    "report_cells": ("report_id", "cell_values", "cell_details"),
    "report_figures": ("report_id", "figures"),
    "cells": ("report_id", "key", "value", "status", "raw", "unit", "provenance"),
    "sections": ("report_id", "key", "text"),
    "narrative_bands": ("band_key", "section", "report_id"),
    "narrative_minhash": ("report_id", "section", "hashvalues"),
}
# (table, column) sent as UTF-8 bytes; the INSERT turns them back into text.
UTF8_COLUMNS = frozenset(
    {("report_cells", "cell_values"), ("report_cells", "cell_details"), ("report_figures", "figures"), ("sections", "text")}
)


def load(source: str, settings: Settings = DEFAULT) -> tuple[bytes, str]:
    """The bytes of a file path or URL, with the library's own bounds and messages."""
    return _load(source, settings)


_WARM_UP = "某某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n" + "本年度共收到政府信息公开申请12件，均已按时答复。" * 8


def warm_up() -> None:
    """What a fresh worker does before its first document (``gongkai.guard.serve``): the
    parser's, the body resolver's and MinHash's first calls build tables (~1 s together),
    which must not count against the first document's time bound."""
    report = parse_bytes(_WARM_UP.encode(), "<warm-up>")
    to_rows(report, "<warm-up>", "0" * 64, len(_WARM_UP), now())
    resolve_body("某某县人民政府", "")


def process(source: str, settings: Settings = DEFAULT) -> Outcome:
    """One input, start to finish. Never raises: every error becomes a ``Failed``."""
    fetched = now()
    digest: str | None = None
    name = stored(source)  # a file name of any bytes, as the database takes it (lossless)
    try:
        data, _ = load(source, settings)
        digest = hashlib.sha256(data).hexdigest()
        return process_bytes(data, name, digest, fetched, settings)
    except GongkaiError as e:
        return Failed(name, e.code, e.message, digest)
    except Exception as e:  # a bug in a stage must not stop the batch: record it
        return Failed(name, "internal", f"内部错误（{type(e).__name__}: {e}），请把此文件报告给 gongkai 开发者", digest)


def process_bytes(data: bytes, path: str, digest: str, fetched: datetime, settings: Settings = DEFAULT) -> Parsed | Skipped:
    report = parse_bytes(data, path, settings)
    reason = not_a_report(report)
    if reason is not None:
        return Skipped(path, "not_a_report", reason, digest)
    return to_rows(report, path, digest, len(data), fetched)


def not_a_report(report: Report) -> str | None:
    """Why ``report`` is not a report to store (None when it is one): the reader says so
    (``NOT_A_REPORT``), or nothing in it makes it one: no cell, no title, neither body nor year."""
    for f in report.findings:
        if f.rule == "NOT_A_REPORT":
            return f.message
    if not report.cells and report.title is None and (report.issuing_body is None or report.report_year is None):
        return "未识别为政府信息公开工作年度报告：没有标题、统计表，也没有发布机关和年度"
    return None


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
        "confidence": _ENCODE(dict(report.confidence)) if report.confidence else None,  # JSON text
        "parser_version": __version__,
    }
    values, details = cells_json(report.cells)
    out = Parsed(path, digest, size, report.media_type, fetched, now(), row, values.encode(), details.encode(), figures_json(report.cells).encode())
    for key, text in report.sections.items():
        out.sections.append((rid, key, text.encode()))
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


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ENCODE_STR = json.encoder.encode_basestring  # a str as JSON, non-ASCII kept (C)


_KEY_JSON: dict[str, str] = {}  # cell key -> its JSON string (a few hundred keys exist)


def _json_key(key: str) -> str:
    if len(_KEY_JSON) < 4096:
        _KEY_JSON[key] = _ENCODE(key)
    return _ENCODE(key)


def cells_json(cells: dict[str, Cell]) -> tuple[str, str]:
    """report_cells' ``cell_values`` and ``cell_details`` as JSON text.

    Values go through the JSON encoder in one call (money as ``json_number`` makes it, the
    interchange form); details of the common cell (read from text: start/end/line) are
    one f-string each, the rest a dict each: this runs for every cell of every report.
    """
    values: dict[str, Any] = {}
    details: list[str] = []
    enc, text, keys = _ENCODE, _ENCODE_STR, _KEY_JSON
    for key, c in cells.items():
        v = c.value
        values[key] = json_number(v) if v.__class__ is Decimal else v
        k = keys.get(key) or _json_key(key)
        o, raw = c.origin, c.raw
        if (
            o is not None
            and c.note is c.unit is o.page is o.bbox is o.table is o.row is o.col is None
            and c.status in _STATUSES
            and o.start.__class__ is o.end.__class__ is o.line.__class__ is int
        ):
            details.append(
                f'{k}:{{"status":"{c.status}","raw":{"null" if raw is None else text(raw)},'
                f'"provenance":{{"start":{o.start},"end":{o.end},"line":{o.line}}}}}'
            )
            continue
        d: dict[str, Any] = {"status": c.status}
        if raw is not None:
            d["raw"] = raw
        if c.unit is not None:
            d["unit"] = c.unit
        p = provenance(c)
        if p is not None:
            d["provenance"] = p
        details.append(f"{k}:{enc(d)}")
    return enc(values), "{" + ",".join(details) + "}"


_STATUSES = frozenset({"read", "blank", "derived", "repaired"})


def figures_json(cells: dict[str, Cell]) -> str:
    """report_figures' ``figures``: the values of the cells the statistics add up
    (``FIGURE_KEYS``) that the report has, as in ``cell_values``."""
    got = {}
    for key in FIGURE_KEYS:
        c = cells.get(key)
        if c is not None:
            got[key] = json_number(c.value) if c.value.__class__ is Decimal else c.value
    return _ENCODE(got)


def provenance(c: Cell) -> dict[str, Any] | None:
    """The cell's origin (and note) as a dict for JSON: ``Origin.to_json`` plus the note."""
    out = c.origin.to_json() if c.origin is not None else {}
    if c.note:
        out["note"] = c.note
    return out or None


def cell_rows(rid: str, cell_values: str | bytes, cell_details: str | bytes) -> list[tuple[Any, ...]]:
    """report_cells' JSON back in long form: (report_id, key, value, status, raw, unit,
    provenance JSON text), keys in the order they were stored."""
    values = json.loads(cell_values, parse_float=Decimal)
    details = json.loads(cell_details)
    out = []
    for key, value in values.items():
        d = details.get(key, {})
        prov = d.get("provenance")
        out.append((rid, key, value, d.get("status"), d.get("raw"), d.get("unit"), None if prov is None else _ENCODE(prov)))
    return out


def _text(v: Any) -> str | None:
    v = json_number(v)
    return None if v is None else str(v)


def resolve(report: Report) -> dict[str, Any]:
    """Normalized body, region and body type from ``gongkai.corpus.bodies``."""
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
