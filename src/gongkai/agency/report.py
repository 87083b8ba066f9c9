"""The annual report of one body and year, made from its records.

``make_report`` computes the cells (``compute``), writes the narrative with the figures in
(``narrative``), and runs the same rules the parser's reports get (``gongkai.pipeline.validate``)
plus the year-to-year checks of ``gongkai.corpus.crosscheck`` against the previous year's
report: the one computed here from the records, or a published one parsed by gongkai. A
failing check blocks nothing; it is a finding, shown in Chinese before the agency publishes.
The report renders with ``gongkai.render`` in the official layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..corpus.crosscheck import CrossFinding, ReportRecord, check_body_history
from ..domain.labels import SECTION_BY_KEY, SECTIONS, all_keys, cell_label
from ..model import Cell, Finding, Report
from ..pipeline import validate
from ..render import ReportSpec
from .compute import Computed, compute
from .narrative import default_text, fill
from .records import Application, Count, Document, Remedy

Date = dt.date


@dataclass(slots=True)
class Records:
    """One body's live (not voided) records."""

    applications: list[Application] = field(default_factory=list)
    remedies: list[Remedy] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)

    def empty_until(self, year: int) -> bool:
        end = Date(year, 12, 31)
        return not (
            any(a.received <= end for a in self.applications)
            or any(m.received <= end for m in self.remedies)
            or any(d.issued <= end for d in self.documents)
            or any(c.year <= year for c in self.counts)
        )


@dataclass(slots=True)
class AgencyReport:
    body: str
    year: int
    computed: Computed
    report: Report  # the computed report as gongkai's model, findings included
    spec: ReportSpec  # what the renderer prints
    narrative: dict[str, str]  # section -> text with placeholders (as edited)
    previous_source: str | None = None  # "records" | a file path | None
    # the year-to-year checks (corpus.crosscheck) against the previous year's report
    year_findings: list[CrossFinding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding | CrossFinding]:
        return [*self.report.findings, *self.year_findings]

    def to_json(self) -> dict[str, object]:
        out = self.report.to_json(full=False)
        del out["path"]
        out["findings"] = [f.to_json() for f in self.findings]
        out["previous"] = self.previous_source
        out["sections"] = dict(self.spec.sections)
        return out


def _record(r: Report | ReportRecord, rid: str) -> ReportRecord:
    if isinstance(r, ReportRecord):
        return r
    return ReportRecord(rid, r.issuing_body or "", r.report_year, r.format, r.values(), dict(r.sections))


def make_report(
    body: str,
    year: int,
    records: Records,
    *,
    narrative: Mapping[str, str] | None = None,
    previous: Report | None = None,
    previous_path: str | None = None,
    publication_date: str | None = None,
) -> AgencyReport:
    """The report for ``year``; ``previous`` (a parsed published report) replaces the one
    computed from the records for the year-to-year checks."""
    c = compute(year, records.applications, records.remedies, records.documents, records.counts)
    texts = {s.key: (narrative or {}).get(s.key) or default_text(c.format, s.key) for s in SECTIONS}
    sections = {k: fill(t, c.cells, body, year) for k, t in texts.items()}
    keys = all_keys(c.format)
    cells = {k: Cell(k, c.cells[k], "read", note=f"由台账计算（{len(c.members.get(k, []))} 条记录）") for k in keys if k in c.cells}
    report = Report(
        f"agency:{body}/{year}",
        "application/x-gongkai-agency",
        issuing_body=body,
        report_year=year,
        format=c.format,
        publication_date=publication_date,
        title=f"{body}{year}年政府信息公开工作年度报告",
        sections=sections,
        cells=cells,
    )
    # the parser's rules, as for a published report; findings about *reading* (source
    # "extraction", e.g. a table with no cells) do not apply to a report nobody read
    found = [f for f in validate(report) if f.source != "extraction"]
    if records.empty_until(year):
        found.append(Finding.of("NO_RECORDS", body=body, year=year))
    for key, why in c.missing.items():
        if key.startswith("t2.") and c.format == "2019":
            continue
        found.append(Finding.of("COUNT_MISSING", cells=[key], table="t2", label=cell_label(key), why=why))
    if c.format == "2019":
        found.append(Finding.of("T2_2019_NOT_COMPUTED", cells=list(c.missing), table="t2"))
    for k, t in texts.items():
        if t == default_text(c.format, k) and "请填写" in t:
            s = SECTION_BY_KEY[k]
            found.append(Finding.of("NARRATIVE_DEFAULT", number=s.number, title=s.title))
    # year to year: last year's report, as published (parsed) or as the records give it
    source: str | None = None
    if previous is not None:
        source = previous_path or previous.path
        if previous.report_year != year - 1:
            what = f"{previous.issuing_body or '未识别的机关'}{previous.report_year or '未识别年度'}年度报告（{source}）"
            found.append(Finding.of("YEAR_MISMATCH", given=what, body=body, year=year - 1))
            prev_rec = None
        else:
            prev_rec = _record(previous, f"{year - 1}年度报告（{source}）")
    else:
        prev_c = compute(year - 1, records.applications, records.remedies, records.documents, records.counts)
        if not records.empty_until(year - 1):
            source = "records"
            prev_rec = ReportRecord(f"{year - 1}年度（由台账计算）", body, year - 1, prev_c.format, prev_c.cells, {})
        else:
            prev_rec = None
    year_findings: list[CrossFinding] = []
    if prev_rec is not None:
        cur = ReportRecord(f"{year}年度（由台账计算）", body, year, c.format, c.cells, sections)
        year_findings = check_body_history([prev_rec, cur])
    report.findings = found
    spec = ReportSpec(body, year, c.format, {k: c.cells.get(k) for k in keys}, sections, publication_date=publication_date)
    return AgencyReport(body, year, c, report, spec, texts, source, year_findings)
