"""Extract: normalized Document -> Report (metadata, sections, cells, extraction findings).

Stages, each a function of its own module: ``tokens.tokenize`` -> ``regions.find_regions``
-> ``metadata.extract_metadata`` (``_skeleton``), the format voted (``_vote_format``), then
``tables.extract_t2/t3/t4`` (``_read_tables``), OCR repair (``_repair_ocr``).
``debug_extract`` returns every intermediate for inspection (``gongkai debug``).
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
from .narrative import narrative_numbers
from .publisher import prose_titles
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
    text: str = ""  # the document's lines, stripped, as metadata reads them
    format_votes: dict[str, int] = field(default_factory=lambda: {"2019": 0, "2021": 0})
    tables: dict[str, TableResult] = field(default_factory=dict)
    report: Report | None = None

    def segment(self, table: str) -> list[Token]:
        """The tokens of a table's region."""
        a, b = self.regions.tables[table]
        return self.tokens[a:b]


# (a digit, then the rest: a pattern that opens with a character class lets the regex
# engine skip to the digits; one that opens with a repeat is tried at every character,
# twice as slow over a report's text)
_LONG_NUMBER = re.compile(f"[0-9][0-9]{{{MAX_NUMBER_DIGITS},}}")


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
    """The extraction with every intermediate kept: the skeleton (tokens, regions,
    metadata, sections), the format and its votes, each table's reading."""
    ex = _skeleton(doc)
    report = ex.report
    assert report is not None
    if not ex.text.strip() or not _shows_markers(ex.text, 2):
        report.findings.append(Finding.of("NOT_A_REPORT", "empty" if not ex.text.strip() else None))
        return ex
    if ex.meta.issuing_body is None:
        report.findings.append(Finding.of("BODY_UNKNOWN"))
    fmt, t3 = _vote_format(ex, force_format)
    report.format = fmt
    report.confidence["issuing_body"] = ex.meta.body_from or "none"
    report.confidence["report_year"] = ex.meta.year_from or "none"
    if fmt == "pre2019":
        report.narrative = narrative_numbers(report, ex.text)
        if ex.meta.title is None and ex.meta.issuing_body is None and report.report_year is None and not report.narrative:
            # no title, body, year nor stated figure: a blank form or a page about the
            # reports (统计报表 with its labels), not a report under the 2008 regulation
            report.findings = [f for f in report.findings if f.rule != "BODY_UNKNOWN"]
            report.findings.append(Finding.of("NOT_A_REPORT", "template"))
            return ex
        report.findings.append(Finding.of("PRE2019_NO_TABLES"))
        return ex
    _read_tables(ex, fmt, t3)
    if doc.meta.get("ocr") and fmt in ("2019", "2021"):
        _repair_ocr(ex, fmt)
    if not any(c.status == "read" for c in report.cells.values()) and ex.meta.title is None and not _prose_of_a_report(ex):
        # the official template or the notice that issued it: labels, no numbers, no title
        report.cells.clear()
        report.findings = [f for f in report.findings if f.source != "extraction" or f.rule in ("SPAM_REMOVED", "ENCODING")]
        report.findings.append(Finding.of("NOT_A_REPORT", "template"))
    return ex


def _skeleton(doc: Document) -> Extraction:
    """Tokens, regions and metadata, and the report they give before any table is read:
    its metadata, sections and the reader's findings."""
    tokens = tokenize(doc.blocks)
    if doc.meta.get("ocr"):  # what OCR does to table cells: glued labels, rings for zeros
        split_glued(tokens)
        mark_unread(tokens)
    regions = find_regions(tokens)
    lines = _lines(doc)
    text = "\n".join(lines)
    meta = extract_metadata(lines, text)
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
    long_number = _LONG_NUMBER.search(text)
    if long_number is not None:
        n = long_number.end() - long_number.start()
        line = text.count("\n", 0, long_number.start()) + 1
        report.findings.append(Finding.of("NUMBER_TOO_LONG", line=line, digits=n))
    for key, (a, b) in regions.sections.items():
        report.sections[key] = _section_text(tokens[a:b])
    return Extraction(tokens, regions, meta, text=text, report=report)


def _vote_format(ex: Extraction, force_format: str | None) -> tuple[str, TableResult | None]:
    """The tables' format: forced, or voted by table 2's column words and table 3's rows
    (``ex.format_votes``), the year deciding a tie or a report without tables. Table 3 is
    read once here, in the format the votes so far point to; returned for reuse."""
    year_fmt = _format_for(ex.meta.report_year)
    votes = ex.format_votes
    if "t2" in ex.regions.tables:
        for k, v in t2_format(ex.segment("t2")).items():
            votes[k] += v
    t3 = None
    if "t3" in ex.regions.tables:
        leading = year_fmt if votes["2019"] == votes["2021"] else max(votes, key=votes.get)  # type: ignore[arg-type]
        t3 = extract_t3(ex.segment("t3"), force_format or leading)
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
    assert ex.report is not None
    ex.report.confidence["format"] = "tables" if has_tables and votes["2019"] != votes["2021"] else "year"
    return fmt, t3


def _read_tables(ex: Extraction, fmt: str, t3: TableResult | None) -> None:
    """Tables 2, 3 and 4 in ``fmt`` (table 3 again if the vote read it in another format),
    their cells and findings into the report."""
    if t3 is not None and t3.signals.get("fmt_" + fmt) != 1:
        t3 = extract_t3(ex.segment("t3"), fmt)
    if "t2" in ex.regions.tables:
        ex.tables["t2"] = extract_t2(ex.segment("t2"), fmt)
    if t3 is not None:
        ex.tables["t3"] = t3
    if "t4" in ex.regions.tables:
        ex.tables["t4"] = extract_t4(ex.segment("t4"))
    assert ex.report is not None
    for res in ex.tables.values():
        ex.report.cells.update(res.cells)
        ex.report.findings.extend(res.findings)


def _repair_ocr(ex: Extraction, fmt: str) -> None:
    """OCR misreads that the identities of tables 3 and 4 fix uniquely (``repair``)."""
    assert ex.report is not None
    t3 = ex.tables.get("t3")
    single = bool(t3 and t3.signals.get("single_other"))
    for table in ("t3", "t4"):
        eqs = [e for e in identities(fmt, single) if e.keys[0].startswith(table)]
        ex.report.findings.extend(repair_digits(ex.report.cells, eqs, table))


def _prose_of_a_report(ex: Extraction) -> bool:
    """An excerpt of a report's prose: its sections' headings, and a body the prose names as
    itself (``publisher`` source ``self``), the statistics period of one year it states
    (统计期限自2023年1月1日起…: the report's own year) or figures its prose states as a report
    does (``narrative``); the template and the notice that issued it have none of them."""
    assert ex.report is not None
    if not ex.report.sections:
        # no heading left (a mirror that dropped them): the prose that publishes the report
        # under its own title (现公布某某厅2023年政府信息公开工作年度报告) is still a report's
        return ex.meta.body_from == "self" and bool(prose_titles(ex.text))
    # the body named by the prose itself: a page's metadata lines name whoever posted the
    # template too (发布机构：某某局 over 国办's notice)
    if ex.meta.body_from == "self" or ex.meta.year_from == "period":
        return True
    return bool(narrative_numbers(ex.report, ex.text))


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
        "format_votes": dict(ex.format_votes),
        "meta": {k: getattr(ex.meta, k) for k in ex.meta.__slots__},  # type: ignore[attr-defined]
        "tokens": [
            {"i": i, "kind": t.kind, "text": t.text, "row": t.row, "origin": t.origin.to_json()}
            for i, t in enumerate(ex.tokens)
        ],
    }
