"""People's corrections and dismissals over what the parser read, and the checks re-run on them.

A correction is a row of ``corrections`` (who, when, the value in force before, the new
value or blank, the reason, and what the parser read then); report_cells is never
updated. The latest row per (report, key) is in force, unless it is a revert. The checks
re-run on the corrected values by calling the validate stage itself on the stored report
with the corrections applied: the findings of the corrected report are the stored ones,
less what validate says about the parsed values, plus what it says about the corrected
ones. A report parsed again (``reparse``) keeps its corrections, since they hang on the
report's id (its content hash); where the parser now reads something else than it read
when the cell was corrected, the correction is a *conflict*: shown, flagged in exports,
never resolved silently.

``gongkai export`` and the web app's API both read corrected values through this module.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.labels import all_keys
from ..model import Cell, Finding, Origin, Report, Value, json_number
from ..validate import validate
from .schema import (
    audit_log,
    corrections,
    dismissals,
    findings,
    load_numbers,
    load_values,
    report_cells,
    report_review,
    reports,
    sections,
)
from .work import now

ABSENT = "absent"  # ``corrections.parsed`` when the parser did not show the cell
MAX_REASON = 2000
_KEYS: frozenset[str] | None = None


class CorrectionError(ValueError):
    """A correction that cannot be recorded (unknown report or key, bad value, no reason)."""


def known_keys() -> frozenset[str]:
    global _KEYS
    if _KEYS is None:
        _KEYS = frozenset(all_keys("2021") + all_keys("2019") + all_keys("2021", single_other=True))
    return _KEYS


def value_json(v: Value) -> str:
    return json.dumps(json_number(v))


def value_from_json(text: str | None) -> Value:
    if text is None or text == ABSENT:
        return None
    v = json.loads(text, parse_float=Decimal)
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


def parse_value(v: Any) -> Value:
    """What a person typed (or an API sent) as a cell value: a number, or None for blank.

    Accepts ``1,234``, full-width digits, ``12.35``; ``""``, ``"空"``, ``"/"``, ``"—"`` and
    ``None`` are blank. Anything else is refused with a Chinese message.
    """
    if v is None:
        return None
    if isinstance(v, bool):
        raise CorrectionError("数值须为数字或空")
    if isinstance(v, int):
        return v
    if isinstance(v, float | Decimal):
        d = Decimal(repr(v)) if isinstance(v, float) else v
    else:
        s = unicodedata.normalize("NFKC", str(v)).strip().replace(",", "").replace(" ", "")
        if s in ("", "空", "/", "-", "—", "无"):
            return None
        try:
            d = Decimal(s)
        except InvalidOperation:
            raise CorrectionError(f"不是数字：{str(v)[:40]}") from None
    if not d.is_finite() or abs(d) >= Decimal(10) ** 15:
        raise CorrectionError(f"不是合理的数值：{v}")
    if d == d.to_integral_value():
        return int(d)
    return d.normalize()


@dataclass(slots=True)
class Correction:
    id: int
    key: str
    value: Value  # in force (None = blank)
    parsed_then: str  # JSON text of the parser's reading when corrected, or "absent"
    parsed_now: str  # the same, today
    reason: str
    user_name: str
    at: datetime

    @property
    def conflict(self) -> bool:
        return self.parsed_then != self.parsed_now

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "value": json_number(self.value),
            "parsed_value": None if self.parsed_now == ABSENT else json_number(value_from_json(self.parsed_now)),
            "parsed_absent": self.parsed_now == ABSENT,
            "parsed_value_when_corrected": None if self.parsed_then == ABSENT else json_number(value_from_json(self.parsed_then)),
            "conflict": self.conflict,
            "reason": self.reason,
            "user": self.user_name,
            "at": self.at.isoformat(timespec="seconds"),
        }


@dataclass(slots=True)
class ReviewedFinding:
    finding: Finding
    fingerprint: str
    dismissed: bool = False
    dismissal_reason: str | None = None
    new: bool = False  # raised by the corrected values, not by the parsed ones

    def to_json(self) -> dict[str, Any]:
        out = self.finding.to_json()
        out["fingerprint"] = self.fingerprint
        out["dismissed"] = self.dismissed
        if self.dismissal_reason:
            out["dismissal_reason"] = self.dismissal_reason
        return out


@dataclass(slots=True)
class Reviewed:
    """A stored report as read, with people's work applied."""

    row: Any  # the reports row
    parsed: Report  # as the parser read it
    report: Report  # with the corrections applied (its findings: the effective ones)
    corrections: dict[str, Correction] = field(default_factory=dict)
    findings: list[ReviewedFinding] = field(default_factory=list)

    @property
    def n_errors(self) -> int:
        return sum(1 for f in self.findings if f.finding.severity == "error" and not f.dismissed)

    @property
    def conflicts(self) -> list[Correction]:
        return [c for c in self.corrections.values() if c.conflict]


def fingerprint(f: Finding) -> str:
    """A finding's identity across re-checks: its rule and the cells it names."""
    return (f.rule + "|" + ",".join(sorted(f.cells)) + "|" + (f.table or ""))[:200]


# ---------------------------------------------------------------- loading a stored report
def _origin(p: dict[str, Any] | None) -> Origin | None:
    if not p:
        return None
    get = p.get
    bbox = get("bbox")
    return Origin(
        get("start"), get("end"), get("line"), get("page"), tuple(bbox) if bbox else None, get("table"), get("row"), get("col")
    )


# A stored report's four reads, built once: making a select costs ~0.3 ms of CPU, more than
# SQLite's work for each of these (the web app's report page and API make them per view).
_RID = sa.bindparam("rid")
_ROW = sa.select(reports).where(reports.c.id == _RID)
_CELLS = sa.select(sa.cast(report_cells.c.cell_values, sa.Text), sa.cast(report_cells.c.cell_details, sa.Text)).where(
    report_cells.c.report_id == _RID
)
_SECTIONS = sa.select(sections.c.key, sections.c.text).where(sections.c.report_id == _RID).order_by(sections.c.key)
_FINDINGS = (
    sa.select(
        findings.c.rule,
        findings.c.severity,
        findings.c.message,
        findings.c.source,
        findings.c.cells,
        findings.c.expected,
        findings.c.found,
        findings.c.tbl,
    )
    .where(findings.c.report_id == _RID, findings.c.source != "corpus")
    .order_by(findings.c.id)
)


def load_report(conn: Connection, rid: str) -> tuple[Any, Report] | None:
    """The stored report ``rid`` as a ``Report`` (cells, sections, its own findings), with its row."""
    bound = {"rid": rid}
    row = conn.execute(_ROW, bound).first()
    if row is None:
        return None
    got = conn.execute(_CELLS, bound).first()
    values = load_values(got[0]) if got else {}
    details = json.loads(got[1]) if got else {}
    cells: dict[str, Cell] = {}
    for key, value in values.items():
        d = details.get(key, {})
        p = d.get("provenance") or {}
        cells[key] = Cell(
            key,
            value,
            d.get("status") or ("blank" if value is None else "read"),
            _origin(p),
            d.get("raw"),
            d.get("unit"),
            p.get("note"),
        )
    secs = {k: t for k, t in conn.execute(_SECTIONS, bound)}
    fs = [
        Finding(
            r.rule,
            r.severity,
            r.message,
            r.source,
            list(r.cells or []),
            _finding_value(r.expected),
            _finding_value(r.found),
            r.tbl,
        )
        for r in conn.execute(_FINDINGS, bound)
    ]
    report = Report(
        path=row.path or "",
        media_type=row.media_type or "text/plain",
        issuing_body=row.issuing_body,
        report_year=row.year,
        format=row.format,
        publication_date=row.publication_date,
        title=row.title,
        script=row.script or "simplified",
        encoding=row.encoding,
        sections=secs,
        cells=cells,
        findings=fs,
        confidence=dict(row.confidence or {}) if isinstance(row.confidence, dict) else {},
    )
    return row, report


def _finding_value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        v = json.loads(text, parse_float=Decimal)
    except ValueError:
        return text
    return v if isinstance(v, int | Decimal) else text


def _parsed_json(report: Report, key: str) -> str:
    c = report.cells.get(key)
    return ABSENT if c is None else value_json(c.value)


def active_corrections(conn: Connection, rid: str, parsed: Report) -> dict[str, Correction]:
    c = corrections.c
    out: dict[str, Correction] = {}
    for r in conn.execute(sa.select(corrections).where(c.report_id == rid).order_by(c.id)):
        if r.action == "revert":
            out.pop(r.key, None)
            continue
        out[r.key] = Correction(
            r.id, r.key, value_from_json(r.new_value), r.parsed, _parsed_json(parsed, r.key), r.reason, r.user_name, r.at
        )
    return out


def active_dismissals(conn: Connection, rid: str) -> dict[str, str]:
    """fingerprint -> reason, for the findings dismissed now."""
    d = dismissals.c
    out: dict[str, str] = {}
    for r in conn.execute(sa.select(d.fingerprint, d.action, d.reason).where(d.report_id == rid).order_by(d.id)):
        if r.action == "dismiss":
            out[r.fingerprint] = r.reason
        else:
            out.pop(r.fingerprint, None)
    return out


def apply(parsed: Report, fixes: dict[str, Correction]) -> Report:
    """A copy of ``parsed`` with corrected cells, checked again by the validate stage."""
    if not fixes:
        return parsed
    cells = dict(parsed.cells)
    for key, fix in fixes.items():
        old = cells.get(key)
        status = "blank" if fix.value is None else "read"
        if old is None:
            cells[key] = Cell(key, fix.value, status, note="人工更正")  # type: ignore[arg-type]
        else:
            cells[key] = replace(old, value=fix.value, status=status, note="人工更正")  # type: ignore[arg-type]
    before = validate(parsed)
    corrected = replace(parsed, cells=cells, findings=list(parsed.findings))
    after = validate(corrected)
    # the stored findings, less what validate says of the parsed values, plus what it says now
    drop = Counter(fingerprint(f) + "|" + f.message for f in before)
    kept = []
    for f in parsed.findings:
        k = fingerprint(f) + "|" + f.message
        if drop[k] > 0:
            drop[k] -= 1
            continue
        kept.append(f)
    corrected.findings = kept + after
    return corrected


def reviewed(conn: Connection, rid: str, has_corrections: bool = True, has_dismissals: bool = True) -> Reviewed | None:
    """The stored report ``rid`` with people's work applied. A caller that knows the report
    has no corrections (or no dismissals) says so and saves the query."""
    got = load_report(conn, rid)
    if got is None:
        return None
    row, parsed = got
    fixes = active_corrections(conn, rid, parsed) if has_corrections else {}
    report = apply(parsed, fixes)
    gone = active_dismissals(conn, rid) if has_dismissals else {}
    old = Counter(fingerprint(f) + "|" + f.message for f in parsed.findings)
    out = []
    for f in report.findings:
        fp = fingerprint(f)
        k = fp + "|" + f.message
        new = old[k] <= 0
        if not new:
            old[k] -= 1
        out.append(ReviewedFinding(f, fp, fp in gone, gone.get(fp), new))
    return Reviewed(row, parsed, report, fixes, out)


# ---------------------------------------------------------------- recording people's work
def _audit(conn: Connection, user: str, action: str, target: str, detail: dict[str, Any]) -> None:
    conn.execute(audit_log.insert().values(at=now(), user_name=user, action=action, target=target, detail=detail))


def refresh_review(conn: Connection, rid: str) -> Reviewed:
    """Recompute the report's review row (errors after corrections and dismissals) in ``conn``'s transaction."""
    r = reviewed(conn, rid)
    assert r is not None
    values = {
        "n_errors": r.n_errors,
        "n_corrections": len(r.corrections),
        "n_dismissed": sum(1 for f in r.findings if f.dismissed),
        "n_conflicts": len(r.conflicts),
        "updated_at": now(),
    }
    done = conn.execute(report_review.update().where(report_review.c.report_id == rid).values(**values)).rowcount
    if not done:
        conn.execute(report_review.insert().values(report_id=rid, **values))
    conn.execute(reports.update().where(reports.c.id == rid).values(n_errors_reviewed=r.n_errors))
    return r


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError("请填写理由")
    return reason[:MAX_REASON]


def correct(engine: Engine, rid: str, key: str, value: Any, reason: str | None, user: str) -> Reviewed:
    """Record a correction of ``key`` (a number, or None for blank) with its audit row, in one transaction."""
    if key not in known_keys():
        raise CorrectionError(f"不是表格单元格：{key[:80]}")
    new = parse_value(value)
    why = _reason(reason)
    with engine.begin() as conn:
        got = load_report(conn, rid)
        if got is None:
            raise CorrectionError(f"没有报告：{rid}")
        _, parsed = got
        fixes = active_corrections(conn, rid, parsed)
        old = fixes[key].value if key in fixes else parsed.value(key)
        old_text = value_json(old) if (key in fixes or key in parsed.cells) else None
        conn.execute(
            corrections.insert().values(
                report_id=rid,
                key=key,
                action="set",
                old_value=old_text,
                new_value=value_json(new),
                parsed=_parsed_json(parsed, key),
                reason=why,
                user_name=user,
                at=now(),
            )
        )
        _audit(
            conn,
            user,
            "cell.correct",
            rid,
            {"key": key, "old": json_number(old) if old_text else "absent", "new": json_number(new), "reason": why},
        )
        return refresh_review(conn, rid)


def revert(engine: Engine, rid: str, key: str, reason: str | None, user: str) -> Reviewed:
    """Drop the correction of ``key``: the parsed value stands again (a record of its own)."""
    why = _reason(reason)
    with engine.begin() as conn:
        got = load_report(conn, rid)
        if got is None:
            raise CorrectionError(f"没有报告：{rid}")
        _, parsed = got
        fixes = active_corrections(conn, rid, parsed)
        if key not in fixes:
            raise CorrectionError(f"单元格 {key} 没有更正")
        conn.execute(
            corrections.insert().values(
                report_id=rid,
                key=key,
                action="revert",
                old_value=value_json(fixes[key].value),
                new_value=None,
                parsed=_parsed_json(parsed, key),
                reason=why,
                user_name=user,
                at=now(),
            )
        )
        _audit(conn, user, "cell.revert", rid, {"key": key, "old": json_number(fixes[key].value), "reason": why})
        return refresh_review(conn, rid)


def dismiss(engine: Engine, rid: str, fp: str, reason: str | None, user: str, restore: bool = False) -> Reviewed:
    """Dismiss (or restore) the finding with fingerprint ``fp``, with its audit row, in one transaction."""
    why = _reason(reason) if not restore else (reason or "").strip()[:MAX_REASON] or "恢复"
    with engine.begin() as conn:
        r = reviewed(conn, rid)
        if r is None:
            raise CorrectionError(f"没有报告：{rid}")
        if not any(f.fingerprint == fp for f in r.findings):
            raise CorrectionError("报告没有这个问题（可能已随更正消失）")
        conn.execute(
            dismissals.insert().values(
                report_id=rid,
                fingerprint=fp[:200],
                action="restore" if restore else "dismiss",
                reason=why,
                user_name=user,
                at=now(),
            )
        )
        _audit(conn, user, "finding.restore" if restore else "finding.dismiss", rid, {"finding": fp, "reason": why})
        return refresh_review(conn, rid)


# ---------------------------------------------------------------- exports
def corrected_values(conn: Connection, ids: list[str] | None = None) -> dict[str, dict[str, tuple[Value, bool]]]:
    """report id -> {key: (value in force, conflict)} for every corrected cell (all reports,
    or those of ``ids``). Corrections are few (people make them), so this is one query."""
    c = corrections.c
    q = sa.select(c.report_id, c.key, c.action, c.new_value, c.parsed).order_by(c.report_id, c.id)
    if ids is not None:
        q = q.where(c.report_id.in_(ids))
    fixes: dict[str, dict[str, tuple[Value, str]]] = {}
    for r in conn.execute(q):
        per = fixes.setdefault(r.report_id, {})
        if r.action == "revert":
            per.pop(r.key, None)
        else:
            per[r.key] = (value_from_json(r.new_value), r.parsed)
    if not fixes:
        return {}
    rc = report_cells.c
    out: dict[str, dict[str, tuple[Value, bool]]] = {}
    for rid, text in conn.execute(
        sa.select(rc.report_id, sa.cast(rc.cell_values, sa.Text)).where(rc.report_id.in_([k for k, v in fixes.items() if v]))
    ):
        values = load_values(text)
        out[rid] = {
            key: (v, (value_json(values[key]) if key in values else ABSENT) != then) for key, (v, then) in fixes[rid].items()
        }
    return out


def in_force(keys: Sequence[str], looked_up: str | None, fixed: dict[str, tuple[Value, bool]] | None) -> dict[str, Value]:
    """``keys``' values as a ``cell_values_at`` lookup gave them, with the report's corrections
    (its entry of ``corrected_values``) in their place."""
    values: dict[str, Value] = dict(zip(keys, load_numbers(looked_up, len(keys)), strict=True))
    for key, (value, _conflict) in (fixed or {}).items():
        if key in values:
            values[key] = value
    return values
