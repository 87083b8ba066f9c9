"""A ``ReportSpec`` from JSON, checked before anything is printed (``gongkai render``).

The JSON is the spec's own fields (``issuing_body``, ``report_year``, ``format``, ``cells``,
``sections``, ``preamble``, ``publication_date``, ``title``, ``signature``); the output of
``gongkai parse --json`` is accepted too (its other keys are read-only facts and ignored).
Anything else is refused with the list of what is wrong: an unknown key (``t3.bogus``), a
value that is not a number, a count with decimals. ``check`` then runs the validator over
the spec, so an unbalanced report is said to be one before it is rendered.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from ..domain.labels import all_keys, is_count
from ..errors import GongkaiError
from ..model import Cell, Finding, Report, Value
from ..validate import validate
from .spec import SECTION_KEYS, ReportSpec, _narrative_only

SPEC_KEYS = ("issuing_body", "report_year", "format", "cells", "sections", "preamble", "publication_date", "title", "signature")
REQUIRED = ("issuing_body", "report_year", "format", "cells")
# Keys of ``gongkai parse --json`` output that say how the report was read: accepted, unused.
PARSE_OUTPUT_KEYS = ("path", "findings", "cell_status", "media_type", "script", "encoding", "provenance", "confidence", "narrative")
# Signed cells: table 2's 本年增/减 may be negative.
SIGNED_COLUMNS = frozenset({"change"})
MAX_PROBLEMS = 20


class InvalidSpec(GongkaiError):
    """The JSON does not describe a report that can be rendered."""

    code = "invalid_spec"

    def __init__(self, problems: list[str], path: str | None = None) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = f"\n  ……共 {len(problems)} 处" if len(problems) > MAX_PROBLEMS else ""
        super().__init__("报告数据有误，未生成：\n" + "\n".join(f"  {p}" for p in shown) + more, path)


def _keys_for(fmt: str) -> set[str]:
    keys = set(all_keys(fmt))
    if fmt == "2021":
        keys |= set(all_keys(fmt, single_other=True))
    return keys


def _value(key: str, v: Any, problems: list[str]) -> Value:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        problems.append(f"cells.{key}：应为数字或 null，实为 {json.dumps(v, ensure_ascii=False)}")
        return None
    try:
        d = Decimal(str(v).strip().replace(",", ""))
    except InvalidOperation:
        problems.append(f"cells.{key}：{v!r} 不是数字")
        return None
    if not d.is_finite():
        problems.append(f"cells.{key}：{v!r} 不是有限的数字")
        return None
    signed = key.rsplit(".", 1)[-1] in SIGNED_COLUMNS
    if d < 0 and not signed:
        problems.append(f"cells.{key}：{v} 为负数")
    if is_count(key):
        if d != d.to_integral_value():
            problems.append(f"cells.{key}：{v} 是件数，应为整数")
            return None
        return int(d)
    return d


def spec_from_json(data: Any, path: str | None = None) -> ReportSpec:
    """The ``ReportSpec`` the JSON describes; ``InvalidSpec`` listing every problem otherwise."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InvalidSpec([f"应为一个 JSON 对象，实为 {type(data).__name__}"], path)
    from_parse = "path" in data or "findings" in data
    for k in data:
        if k not in SPEC_KEYS and k not in PARSE_OUTPUT_KEYS:
            near = difflib.get_close_matches(k, SPEC_KEYS, n=1)
            problems.append(f"未知的键 {k!r}" + (f"（是否应为 {near[0]!r}？）" if near else ""))
    for k in REQUIRED:
        if data.get(k) in (None, ""):
            problems.append(f"缺少 {k}")
    fmt = data.get("format")
    if fmt is not None and fmt not in ("2019", "2021"):
        problems.append(f"format：只能是 \"2019\" 或 \"2021\"，实为 {fmt!r}")
        fmt = None
    year = data.get("report_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100):
        problems.append(f"report_year：应为年份（整数），实为 {year!r}")
    for k in ("issuing_body", "preamble", "title", "signature", "publication_date"):
        if data.get(k) is not None and not isinstance(data[k], str):
            problems.append(f"{k}：应为文字，实为 {json.dumps(data[k], ensure_ascii=False)}")
    date = data.get("publication_date")
    if isinstance(date, str):
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            problems.append(f"publication_date：应为 YYYY-MM-DD 形式的日期，实为 {date!r}")
    cells_in = data.get("cells")
    cells: dict[str, Value] = {}
    if cells_in is not None and not isinstance(cells_in, dict):
        problems.append("cells：应为对象（单元格键 → 数值）")
    elif isinstance(cells_in, dict) and fmt is not None:
        known = _keys_for(fmt)
        for k, v in cells_in.items():
            if k not in known:
                near = difflib.get_close_matches(k, sorted(known), n=1)
                problems.append(f"cells：{fmt} 年格式没有单元格 {k!r}" + (f"（是否应为 {near[0]!r}？）" if near else ""))
                continue
            cells[k] = _value(k, v, problems)
    sections_in = data.get("sections") or {}
    sections: dict[str, str] = {}
    if not isinstance(sections_in, dict):
        problems.append("sections：应为对象（章节键 → 文字）")
    else:
        for k, v in sections_in.items():
            if k not in SECTION_KEYS:
                problems.append(f"sections：未知的章节 {k!r}（可选 {'、'.join(SECTION_KEYS)}）")
            elif not isinstance(v, str):
                problems.append(f"sections.{k}：应为文字")
            else:
                sections[k] = _narrative_only(k, v) if from_parse else v
    if problems:
        raise InvalidSpec(problems, path)
    return ReportSpec(
        issuing_body=data["issuing_body"],
        report_year=data["report_year"],
        format=fmt,  # type: ignore[arg-type]
        cells=cells,
        sections=sections,
        preamble=data.get("preamble") or "",
        publication_date=date,
        title=data.get("title"),
        signature=data.get("signature"),
    )


def check(spec: ReportSpec, path: str = "<报告数据>") -> list[Finding]:
    """What the validator says of the report the spec prints (identities, format, prose
    against tables); table cells the spec leaves out are blank, never zero."""
    report = Report(path=path, issuing_body=spec.issuing_body, report_year=spec.report_year, format=spec.format)
    report.cells = {k: Cell(k, v, "read" if v is not None else "blank") for k, v in spec.cells.items()}
    report.sections = {k: spec.sections.get(k, "") for k in SECTION_KEYS}
    return validate(report)
