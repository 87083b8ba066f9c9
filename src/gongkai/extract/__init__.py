"""Extract: normalized Document -> Report (metadata, sections, cells, extraction findings).

Stages, each a function of its own module: ``tokens.tokenize`` -> ``regions.find_regions``
-> ``tables.extract_t2/t3/t4`` -> ``metadata.extract_metadata``. ``debug_extract`` returns
every intermediate for inspection (``gongkai debug``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..domain.labels import SECTION_BY_KEY, SECTIONS, T4_REVIEW
from ..domain.rules import identities
from ..domain.text import MAX_NUMBER_DIGITS
from ..model import Document, Finding, Report, row_texts
from .metadata import Meta, extract_metadata
from .regions import Regions, find_regions
from .repair import mark_unread, repair_digits, split_glued
from .tables import TableResult, extract_t2, extract_t3, extract_t4, t2_format
from .tokens import Token, tokenize

# A report must show some of these to be taken for an annual disclosure report at all.
_REPORT_MARKERS = ("政府信息公开", "年度报告", "主动公开", "依申请", T4_REVIEW, "信息公开申请", "工作报告")


@dataclass(slots=True)
class Extraction:
    """Every intermediate of one extraction, kept for ``debug``."""

    tokens: list[Token]
    regions: Regions
    meta: Meta
    tables: dict[str, TableResult] = field(default_factory=dict)
    report: Report | None = None


_LONG_NUMBER = re.compile(f"[0-9]{{{MAX_NUMBER_DIGITS + 1},}}")


def _lines(doc: Document) -> list[str]:
    return list(map(str.strip, row_texts(doc.blocks)))


def _format_for(year: int | None) -> str | None:
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "pre2019"


def debug_extract(doc: Document, force_format: str | None = None) -> Extraction:
    tokens = tokenize(doc.blocks)
    if doc.meta.get("ocr"):  # what OCR does to table cells: glued labels, rings for zeros
        split_glued(tokens)
        mark_unread(tokens)
    regions = find_regions(tokens)
    lines = _lines(doc)
    text = "\n".join(lines)
    meta = extract_metadata(lines, text)
    ex = Extraction(tokens, regions, meta)
    report = Report(
        path=doc.path,
        media_type=doc.media_type,
        issuing_body=meta.issuing_body,
        report_year=meta.report_year,
        title=meta.title,
        publication_date=meta.publication_date,
        script=doc.script,
        encoding=doc.encoding,
    )
    report.findings.extend(doc.findings)
    ex.report = report
    long_number = _LONG_NUMBER.search(text)
    if long_number is not None:
        n = long_number.end() - long_number.start()
        line = text.count("\n", 0, long_number.start()) + 1
        report.findings.append(Finding.of("NUMBER_TOO_LONG", line=line, digits=n))
    for key, (a, b) in regions.sections.items():
        report.sections[key] = _section_text(tokens[a:b])

    if not _shows_markers(text, 2) or not text.strip():
        report.findings.append(Finding.of("NOT_A_REPORT", "empty" if not text.strip() else None))
        return ex

    if meta.issuing_body is None:
        report.findings.append(Finding.of("BODY_UNKNOWN"))
    year_fmt = _format_for(meta.report_year)
    votes = {"2019": 0, "2021": 0}
    if "t2" in regions.tables:
        a, b = regions.tables["t2"]
        for k, v in t2_format(tokens[a:b]).items():
            votes[k] += v
    t3 = None
    if "t3" in regions.tables:
        a, b = regions.tables["t3"]
        t3 = extract_t3(tokens[a:b], force_format or (year_fmt if votes["2019"] == votes["2021"] else max(votes, key=votes.get)))  # type: ignore[arg-type]
        votes["2021"] += t3.signals.get("2021", 0)
    has_tables = bool((t3 and t3.rows_found) or votes["2019"] or votes["2021"])
    if force_format:
        fmt = force_format
    elif not has_tables:
        fmt = "pre2019" if (year_fmt in (None, "pre2019")) else year_fmt
    elif votes["2019"] == votes["2021"]:
        fmt = year_fmt if year_fmt in ("2019", "2021") else "2021"
    else:
        fmt = max(votes, key=votes.get)  # type: ignore[arg-type]
    report.format = fmt
    report.confidence["format"] = "tables" if has_tables and votes["2019"] != votes["2021"] else "year"
    report.confidence["issuing_body"] = meta.body_from or "none"
    report.confidence["report_year"] = meta.year_from or "none"

    if fmt == "pre2019":
        report.findings.append(Finding.of("PRE2019_NO_TABLES"))
        return ex
    if t3 is not None and t3.signals.get("fmt_" + fmt) != 1:
        a, b = regions.tables["t3"]
        t3 = extract_t3(tokens[a:b], fmt)
    if "t2" in regions.tables:
        a, b = regions.tables["t2"]
        ex.tables["t2"] = extract_t2(tokens[a:b], fmt)
    if t3 is not None:
        ex.tables["t3"] = t3
    if "t4" in regions.tables:
        a, b = regions.tables["t4"]
        ex.tables["t4"] = extract_t4(tokens[a:b])
    for res in ex.tables.values():
        report.cells.update(res.cells)
        report.findings.extend(res.findings)
    if doc.meta.get("ocr") and fmt in ("2019", "2021"):
        single = bool(t3 and t3.signals.get("single_other"))
        for table in ("t3", "t4"):
            eqs = [e for e in identities(fmt, single) if e.keys[0].startswith(table)]
            report.findings.extend(repair_digits(report.cells, eqs, table))
    if not any(c.status == "read" for c in report.cells.values()) and meta.title is None:
        # the official template or the notice that issued it: labels, no numbers, no title
        report.cells.clear()
        report.findings = [f for f in report.findings if f.source != "extraction" or f.rule in ("SPAM_REMOVED", "ENCODING")]
        report.findings.append(Finding.of("NOT_A_REPORT", "template"))
    return ex


def _shows_markers(text: str, enough: int) -> bool:
    """Whether ``text`` shows ``enough`` of the report markers (a search for a marker the
    text lacks reads all of it: stop once there are enough)."""
    for m in _REPORT_MARKERS:
        if m in text:
            enough -= 1
            if not enough:
                return True
    return False


def _section_text(tokens: list[Token]) -> str:
    return "\n".join(row_texts([t for t in tokens if t.text]))  # (no empty lines: no empty texts)


def extract(doc: Document, force_format: str | None = None) -> Report:
    ex = debug_extract(doc, force_format)
    assert ex.report is not None
    return ex.report


__all__ = ["SECTIONS", "SECTION_BY_KEY", "Extraction", "debug_extract", "extract"]


def describe(ex: Extraction) -> dict[str, Any]:
    """A JSON view of the intermediates (for ``gongkai debug --json``)."""
    return {
        "regions": {"sections": ex.regions.sections, "tables": ex.regions.tables},
        "meta": {k: getattr(ex.meta, k) for k in ex.meta.__slots__},  # type: ignore[attr-defined]
        "tokens": [
            {"i": i, "kind": t.kind, "text": t.text, "row": t.row, "origin": t.origin.to_json()}
            for i, t in enumerate(ex.tokens)
        ],
    }
