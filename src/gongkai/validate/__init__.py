"""Validate: Report -> findings about the report's own content.

Rules are data (``gongkai.domain.rules``); this module only evaluates them. Cells that are
blank or absent make an equation unknowable, never false: blank is not zero.
"""

from __future__ import annotations

from ..domain.labels import SECTIONS, T3_COLUMNS, TABLES
from ..domain.rules import identities, side_sum
from ..hooks import gathered
from ..model import Finding, Report

_SINGLE_OTHER_KEYS = tuple(f"t3.other.{c.key}" for c in T3_COLUMNS)


def check_identities(report: Report) -> list[Finding]:
    if report.format not in ("2019", "2021"):
        return []
    # a 2021 report that kept the single 2019 （六）其他处理 row (t3.other.<column>)
    single = report.format == "2021" and any(k in report.cells for k in _SINGLE_OTHER_KEYS)
    values = report.values()
    out: list[Finding] = []
    for eq in identities(report.format, single):
        lhs = side_sum(values, eq.lhs)
        if lhs is None:
            continue
        rhs = side_sum(values, eq.rhs)
        if rhs is None or lhs == rhs:
            continue
        out.append(
            Finding.of(eq.rule, cells=eq.keys, table=eq.table, expected=rhs, found=lhs, where=eq.where, lhs_value=lhs, rhs_value=rhs)
        )
    return out


def check_format(report: Report) -> list[Finding]:
    y, f = report.report_year, report.format
    if y is None or f is None:
        return []
    want = "2021" if y >= 2021 else "2019" if y >= 2019 else "pre2019"
    if f == want or (want == "pre2019"):
        return []
    return [Finding.of("FORMAT_YEAR", want, expected=want, found=f, year=y, actual=f)]


def check_structure(report: Report) -> list[Finding]:
    if report.format not in ("2019", "2021") or any(x.rule == "NOT_A_REPORT" for x in report.findings):
        return []
    out: list[Finding] = []
    missing = [s for s in SECTIONS if s.key not in report.sections]
    if missing:
        out.append(Finding.of("MISSING_SECTION", sections="、".join(f"{s.number}、{s.title}" for s in missing)))
    tables = {"t" + d for d in {k[1] for k in report.cells}}  # "t3.received.total" -> "3": no new string
    for t in TABLES:
        if t.key not in tables:
            out.append(Finding.of("MISSING_TABLE", table=t.key, table_title=t.heading))
    return out


def rules() -> list:  # type: ignore[type-arg]
    """Every registered rule: the built-in ones and any plugin's, through one hook."""
    return gathered("register_rules")


def validate(report: Report) -> list[Finding]:
    """All findings about the report itself (identities, format, structure, prose vs tables)."""
    out: list[Finding] = []
    for rule in rules():
        out.extend(rule(report))
    return out
