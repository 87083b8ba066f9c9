"""The one data model every stage shares.

read      bytes -> Document (Blocks with Origins)
normalize Document -> Document (same blocks, canonical text)
extract   Document -> Report (metadata, sections, Cells, extraction Findings)
validate  Report -> Findings (the report's own numbers)

Everything here is plain data with a ``to_json`` view; nothing does I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any, Literal, Protocol

from .domain.findings import FindingSource, Severity, kind

Value = int | Decimal | None
CellStatus = Literal["read", "blank", "derived", "repaired"]


@dataclass(slots=True)  # not frozen: readers make one per block, and frozen init is slow
class Origin:
    """Where a piece of text sits in the source document."""

    start: int | None = None  # character offset in the decoded text
    end: int | None = None
    line: int | None = None  # 1-based line of the decoded text
    page: int | None = None  # 1-based page (PDF, scan)
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in points
    table: int | None = None  # 0-based table index (HTML, DOCX)
    row: int | None = None  # 0-based row within that table
    col: int | None = None  # 0-based column within that table

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("start", "end", "line", "page", "table", "row", "col"):
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        if self.bbox is not None:
            out["bbox"] = [round(x, 1) for x in self.bbox]
        return out


@dataclass(slots=True)
class Block:
    """One piece of text as the reader found it: a table cell, a tab field or a line.

    Blocks that share ``row`` sit side by side in the source (one table row, one line).
    Inside a row of several blocks an empty block is an empty cell; a row of one block
    is a line of text.
    """

    text: str
    row: int
    origin: Origin = field(default_factory=Origin)


@dataclass(slots=True)
class Document:
    """What a reader produces: blocks in reading order, plus facts about the source."""

    path: str
    media_type: str
    blocks: list[Block]
    encoding: str | None = None
    script: str = "simplified"  # after normalize: what the source was written in
    findings: list[Finding] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[list[Block]]:
        """Blocks grouped by row, in order."""
        return [list(row) for _, row in groupby(self.blocks, attrgetter("row"))]

    def text(self) -> str:
        """The document as plain text: one line per row, tab between blocks."""
        return "\n".join(row_texts(self.blocks))


class _InRow(Protocol):
    text: str
    row: int


def row_texts(items: Sequence[_InRow]) -> list[str]:
    """The text of each row of ``items`` (blocks or tokens, in reading order): the texts of
    one row joined by tabs. (A plain loop: on CPython 3.11 it beats groupby, whose
    per-row iterator and join cost more than the attribute reads.)"""
    out: list[str] = []
    row: list[str] = []
    at = None
    for item in items:
        if item.row != at:
            if row:
                out.append("\t".join(row))
            row = [item.text]
            at = item.row
        else:
            row.append(item.text)
    if row:
        out.append("\t".join(row))
    return out


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # Chinese, for the user
    source: FindingSource = "report"
    cells: list[str] = field(default_factory=list)
    expected: Value | str = None
    found: Value | str = None
    table: str | None = None  # "t2" | "t3" | "t4" | None

    @classmethod
    def of(
        cls,
        rule: str,
        variant: str | None = None,
        *,
        cells: Sequence[str] = (),
        table: str | None = None,
        expected: Value | str = None,
        found: Value | str = None,
        **fields: Any,
    ) -> Finding:
        """The finding ``rule`` of the catalogue (``gongkai.domain.findings``): its severity,
        source and the Chinese message of ``variant`` with ``fields`` filled in."""
        k = kind(rule)
        if k.source == "corpus":
            raise ValueError(f"{rule} is a finding across reports: CrossFinding.of")
        source: FindingSource = "report" if k.source == "report" else "extraction"
        return cls(rule, k.severity, k.message(variant, **fields), source, list(cells), expected, found, table)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "source": self.source,
            "message": self.message,
            "cells": list(self.cells),
        }
        if self.table:
            out["table"] = self.table
        if self.expected is not None:
            out["expected"] = json_number(self.expected)
        if self.found is not None:
            out["found"] = json_number(self.found)
        return out


@dataclass(slots=True)
class Cell:
    key: str
    value: Value
    status: CellStatus
    origin: Origin | None = None
    raw: str | None = None  # the text the value was read from
    unit: str | None = None  # the report's own unit, where it stated one
    note: str | None = None  # why a derived/repaired value is what it is

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": json_number(self.value), "status": self.status}
        if self.origin is not None:
            out["origin"] = self.origin.to_json()
        if self.raw is not None:
            out["raw"] = self.raw
        if self.unit:
            out["unit"] = self.unit
        if self.note:
            out["note"] = self.note
        return out


@dataclass(slots=True)
class Report:
    path: str
    media_type: str = "text/plain"
    issuing_body: str | None = None
    report_year: int | None = None
    format: str | None = None  # "2021" | "2019" | "pre2019"
    publication_date: str | None = None  # ISO date
    title: str | None = None
    script: str = "simplified"
    encoding: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    confidence: dict[str, str] = field(default_factory=dict)  # what we are sure of, and how
    # figures a report without tables (pre2019) states in prose: extract.narrative.NARRATIVE_KEYS
    narrative: dict[str, Value] = field(default_factory=dict)

    def values(self) -> dict[str, Value]:
        return {k: c.value for k, c in self.cells.items()}

    def value(self, key: str) -> Value:
        c = self.cells.get(key)
        return None if c is None else c.value

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def to_json(self, full: bool = True) -> dict[str, Any]:
        """The interchange object of ``../shared/spec/cells.md``, plus extras when ``full``."""
        out: dict[str, Any] = {
            "path": self.path,
            "issuing_body": self.issuing_body,
            "report_year": self.report_year,
            "format": self.format,
            "cells": {k: json_number(c.value) for k, c in self.cells.items()},
            "findings": [f.to_json() for f in self.findings],
            "publication_date": self.publication_date,
            "cell_status": {k: c.status for k, c in self.cells.items() if c.status != "read"},
        }
        if self.narrative:  # an optional field beyond the contract (docs/fidelity.md)
            out["narrative"] = {k: json_number(v) for k, v in self.narrative.items()}
        if full:
            out["title"] = self.title
            out["media_type"] = self.media_type
            out["script"] = self.script
            out["encoding"] = self.encoding
            out["sections"] = dict(self.sections)
            out["provenance"] = {k: c.to_json() for k, c in self.cells.items()}
            out["confidence"] = dict(self.confidence)
        return out


def json_number(v: Any) -> Any:
    """Decimals become int when integral, float otherwise; everything else passes."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v
