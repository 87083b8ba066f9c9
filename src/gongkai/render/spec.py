"""What a renderer prints: one report's metadata, statistics and narrative.

``ReportSpec`` is the renderer's input; ``as_spec`` also accepts a parsed ``gongkai.Report``
so a report read from one format can be printed in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.labels import SECTIONS, all_keys
from ..model import Report, Value

# the six sections, in form order; sections 二/三/四 hold the tables, their text is a lead-in
SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
TABLE_SECTIONS: dict[str, str] = {"proactive": "t2", "applications": "t3", "remedies": "t4"}
TITLE_SUFFIX = "政府信息公开工作年度报告"


@dataclass(slots=True)
class ReportSpec:
    """One annual report, ready to print.

    ``sections`` maps a section key (``domain.labels.SECTIONS``) to its narrative:
    paragraphs separated by "\\n". For the three table sections the text is printed before
    the table (often empty).
    """

    issuing_body: str
    report_year: int
    format: str  # "2019" | "2021"
    cells: dict[str, Value]
    sections: dict[str, str] = field(default_factory=dict)
    preamble: str = ""  # the paragraph between the title and 一、总体情况
    publication_date: str | None = None  # ISO date, printed under the signature
    title: str | None = None  # default: body + year + 政府信息公开工作年度报告
    # the name the report is signed with where it differs from the body's own, e.g.
    # 大同市新荣区科学技术局 under a 新荣区科学技术局 title (seed 004)
    signature: str | None = None

    def __post_init__(self) -> None:
        if self.format not in ("2019", "2021"):
            raise ValueError(f"只能按 2019 或 2021 格式排版，不能按 {self.format!r}")

    @property
    def signed_by(self) -> str:
        return self.signature or self.issuing_body

    @property
    def full_title(self) -> str:
        return self.title or f"{self.issuing_body}{self.report_year}年{TITLE_SUFFIX}"

    def value(self, key: str) -> Value:
        return self.cells.get(key)

    def paragraphs(self, section: str) -> list[str]:
        return [p for p in self.sections.get(section, "").split("\n") if p.strip()]


def as_spec(report: ReportSpec | Report) -> ReportSpec:
    """A ReportSpec for a spec or a parsed Report (2019/2021 format only)."""
    if isinstance(report, ReportSpec):
        return report
    fmt = report.format
    if fmt not in ("2019", "2021"):
        raise ValueError("只能排版 2019 或 2021 格式的年度报告（2019年以前的报告没有统一表格）")
    single = fmt == "2021" and "t3.other.total" in report.cells
    keys = all_keys(fmt, single)
    cells: dict[str, Value] = {k: report.value(k) for k in keys}
    sections = {k: _narrative_only(k, v) for k, v in report.sections.items() if k in SECTION_KEYS}
    return ReportSpec(
        issuing_body=report.issuing_body or "",
        report_year=report.report_year or 0,
        format=fmt,
        cells=cells,
        sections=sections,
        publication_date=report.publication_date,
        # a title that does not name the body and year (a chrome field taken for it) is
        # not printed; the canonical one is rebuilt from them
        title=report.title if _names(report.title, report.issuing_body, report.report_year) else None,
    )


def _names(title: str | None, body: str | None, year: int | None) -> bool:
    return bool(title and body and year and body in title and str(year) in title)


_HEADING = re.compile(r"^[一二三四五六][、.．]")


def _narrative_only(key: str, text: str) -> str:
    """A parsed section's text without its heading; table sections keep no text, since
    their text is the table itself (which the renderer prints from the cells)."""
    if key in TABLE_SECTIONS:
        return ""
    lines = text.split("\n")
    if lines and _HEADING.match(lines[0]):
        lines = lines[1:]
    return "\n".join(lines)


def format_value(v: Value, *, thousands: bool = False, plus: bool = False) -> str:
    """A cell value as a report writes it (never for a blank: the caller picks the mark)."""
    if v is None:
        raise ValueError("blank cells are printed with the layout's blank mark")
    if isinstance(v, Decimal):
        text = format(v, ",f") if thousands else format(v, "f")
    else:
        text = f"{v:,}" if thousands else str(v)
    if plus and v > 0:
        text = "+" + text
    return text
