"""The workbench's records in the corpus database (tables ``agency_*`` of ``store.schema``).

``Workbench(url)`` opens the same database as ``gongkai ingest`` (migrations on open).
Nothing is deleted: ``void`` marks a record with a reason; every insert, update, void,
workflow action and calendar change is a row of ``agency_audit``; every change of an
application's due date is a row of ``agency_due_log`` with the previous one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.ledger import ACTION_BY_KEY, OPEN_STATES, PERSONAL_FIELDS
from ..store.db import open_engine
from ..store.schema import (
    agency_applications,
    agency_audit,
    agency_calendar_days,
    agency_calendar_years,
    agency_counts,
    agency_disclosures,
    agency_documents,
    agency_due_log,
    agency_events,
    agency_narratives,
    agency_remedies,
)
from .calendar import Arrangement, WorkCalendar
from .deadlines import CaseRow, answer_deadline, case_row
from .ledger import LedgerFile
from .narrative import check_text
from .records import RECORD_TYPES, Application, Count, Document, Remedy, key_of, state_of, to_plain
from .report import Records
from .workflow import WorkflowError, apply

Date = dt.date
TABLES: dict[str, sa.Table] = {
    "cases": agency_applications,
    "remedies": agency_remedies,
    "documents": agency_documents,
    "counts": agency_counts,
}
KIND_LABEL = {"cases": "依申请公开", "remedies": "复议诉讼", "documents": "文件", "counts": "年度数量"}
BATCH = 2000


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


FIELDS: dict[str, tuple[str, ...]] = {k: tuple(f.name for f in fields(t)) for k, t in RECORD_TYPES.items()}


# what the case list needs: no personal data, no free text, no unknown columns
LIST_FIELDS: tuple[str, ...] = tuple(f for f in FIELDS["cases"] if f not in ("applicant", "contact", "content", "extra"))


def _fields(kind: str) -> tuple[str, ...]:
    return FIELDS[kind]


def _row_values(kind: str, rec: Any) -> dict[str, Any]:
    out = {f: getattr(rec, f) for f in _fields(kind)}
    out["extra"] = out.get("extra") or None
    return out


def _record(kind: str, row: Any) -> Any:
    m = row._mapping
    kw = {f: m[f] for f in FIELDS[kind]}  # every record field is a column of its table
    if "extra" in kw:
        kw["extra"] = dict(kw["extra"] or {})
    if kind == "counts" and isinstance(kw["value"], Decimal) and kw["value"] == kw["value"].to_integral_value():
        kw["value"] = int(kw["value"])
    return RECORD_TYPES[kind](**kw)


def _json(v: Any) -> Any:
    return to_plain(v) if not isinstance(v, dict) else v


@dataclass(slots=True)
class ImportResult:
    path: str
    body: str
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = []
        for kind in TABLES:
            if kind in self.inserted or kind in self.updated or kind in self.unchanged:
                parts.append(
                    f"{KIND_LABEL[kind]}：新增 {self.inserted.get(kind, 0)}，更新 {self.updated.get(kind, 0)}，"
                    f"未变 {self.unchanged.get(kind, 0)}"
                )
        return f"{self.path} → {self.body}：" + "；".join(parts)


class Workbench:
    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or open_engine(url)
        self._calendar: WorkCalendar | None = None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # ------------------------------------------------------------ audit
    @staticmethod
    def _audit(conn: Connection, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), BATCH):
            conn.execute(agency_audit.insert(), rows[i : i + BATCH])

    # ------------------------------------------------------------ import
    def import_ledger(self, body: str, ledger: LedgerFile, actor: str | None = None, today: Date | None = None) -> ImportResult:
        """All of a file's records, in one transaction: new 编号 inserted, changed ones
        updated (and logged), the same ones left alone. Nothing is deleted."""
        today = today or Date.today()
        res = ImportResult(ledger.path, body)
        now = _now()
        cal = self.calendar()
        with self._tx() as conn:
            for kind, recs in ledger.records.items():
                t = TABLES[kind]
                existing: dict[str, Any] = {}
                for row in conn.execute(sa.select(t).where(t.c.body == body)):
                    rec = _record(kind, row)
                    existing[key_of(kind, rec)] = (row._mapping["id"], rec, row._mapping)
                inserts, audits = [], []
                for rec in recs:
                    k = key_of(kind, rec)
                    old = existing.get(k)
                    vals = _row_values(kind, rec)
                    if kind == "cases":
                        d = answer_deadline(rec, cal, today)
                        vals |= {"state": state_of(rec), "due": d.due, "provisional": d.provisional}
                    if old is None:
                        inserts.append({"body": body, **vals, "updated_at": now})
                        audits.append(self._audit_row(now, actor, body, t, k, "insert", None, to_plain(rec)))
                        res.inserted[kind] = res.inserted.get(kind, 0) + 1
                        continue
                    rid, before, mapping = old
                    if before == rec:
                        res.unchanged[kind] = res.unchanged.get(kind, 0) + 1
                        continue
                    conn.execute(t.update().where(t.c.id == rid).values(**vals, updated_at=now))
                    audits.append(self._audit_row(now, actor, body, t, k, "update", to_plain(before), to_plain(rec)))
                    if kind == "cases" and mapping["due"] != vals["due"]:
                        conn.execute(agency_due_log.insert().values(application_id=rid, at=now, previous=mapping["due"],
                                                                    due=vals["due"], provisional=vals["provisional"],
                                                                    reason=f"台账更新（{ledger.path}）"))  # fmt: skip
                    res.updated[kind] = res.updated.get(kind, 0) + 1
                for i in range(0, len(inserts), BATCH):
                    conn.execute(t.insert(), inserts[i : i + BATCH])
                if kind == "cases" and inserts:
                    ids = dict(conn.execute(sa.select(t.c.number, t.c.id).where(t.c.body == body)).all())
                    logs = [{"application_id": ids[r["number"]], "at": now, "previous": None, "due": r["due"],
                             "provisional": r["provisional"], "reason": "登记"} for r in inserts]  # fmt: skip
                    for i in range(0, len(logs), BATCH):
                        conn.execute(agency_due_log.insert(), logs[i : i + BATCH])
                self._audit(conn, audits)
        return res

    @staticmethod
    def _audit_row(now: dt.datetime, actor: str | None, body: str | None, t: sa.Table, key: str | None, action: str,
                   before: Any, after: Any) -> dict[str, Any]:  # fmt: skip
        return {"at": now, "actor": actor, "body": body, "tbl": t.name, "record_key": key, "action": action,
                "before": before, "after": after}  # fmt: skip

    # ------------------------------------------------------------ reading
    def bodies(self) -> list[str]:
        with self.engine.connect() as conn:
            out: set[str] = set()
            for t in TABLES.values():
                out |= {r[0] for r in conn.execute(sa.select(t.c.body).distinct())}
        return sorted(out)

    def load(self, body: str, kind: str, include_voided: bool = False) -> list[Any]:
        t = TABLES[kind]
        q = sa.select(t).where(t.c.body == body)
        if not include_voided:
            q = q.where(t.c.voided_at.is_(None))
        with self.engine.connect() as conn:
            return [_record(kind, r) for r in conn.execute(q.order_by(t.c.id))]

    def records(self, body: str) -> Records:
        return Records(*(self.load(body, k) for k in ("cases", "remedies", "documents", "counts")))

    def all_records(self, body: str, include_voided: bool = False) -> dict[str, list[Any]]:
        return {k: self.load(body, k, include_voided) for k in TABLES}

    def application(self, body: str, number: str) -> tuple[int, Application, dict[str, Any]]:
        t = agency_applications
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t).where(t.c.body == body, t.c.number == number)).first()
        if row is None:
            raise WorkflowError(f"{body}没有编号为 {number} 的申请")
        return row._mapping["id"], _record("cases", row), dict(row._mapping)

    def events(self, application_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(agency_events).where(agency_events.c.application_id == application_id)
                                .order_by(agency_events.c.day, agency_events.c.id))  # fmt: skip
            return [dict(r._mapping) for r in rows]

    def due_log(self, application_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(agency_due_log).where(agency_due_log.c.application_id == application_id)
                                .order_by(agency_due_log.c.id))  # fmt: skip
            return [dict(r._mapping) for r in rows]

    def audit(self, body: str | None = None, key: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        q = sa.select(agency_audit)
        if body is not None:
            q = q.where(agency_audit.c.body == body)
        if key is not None:
            q = q.where(agency_audit.c.record_key == key)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q.order_by(agency_audit.c.id.desc()).limit(limit))]

    # ------------------------------------------------------------ cases
    def cases(self, body: str, today: Date | None = None) -> list[CaseRow]:
        """Every live application with its state and due date (open cases computed now,
        answered ones as they were fixed)."""
        today = today or Date.today()
        cal = self.calendar()
        t = agency_applications
        out = []
        cols = [t.c[f] for f in LIST_FIELDS]
        q = sa.select(*cols, t.c.state, t.c.due, t.c.provisional).where(t.c.body == body, t.c.voided_at.is_(None))
        n = len(LIST_FIELDS)
        with self.engine.connect() as conn:
            for row in conn.execute(q.order_by(t.c.received, t.c.number)):
                app = Application(**dict(zip(LIST_FIELDS, row[:n], strict=True)))
                state, due, prov = row[n], row[n + 1], row[n + 2]
                if state in OPEN_STATES or due is None:
                    d = answer_deadline(app, cal, today)
                    due, prov = d.due, d.provisional
                out.append(case_row(app, due, prov, cal, today))
        return out

    def act(
        self,
        body: str,
        number: str,
        action: str,
        day: Date,
        *,
        actor: str | None = None,
        role: str = "admin",
        outcome: str | None = None,
        days: int | None = None,
        handler: str | None = None,
        note: str | None = None,
        today: Date | None = None,
    ) -> Application:
        """Take one workflow action on a case (the transition table decides), logged."""
        rid, app, row = self.application(body, number)
        if row["voided_at"] is not None:
            raise WorkflowError(f"申请 {number} 已作废（{row['void_reason']}），不能再办理")
        new = apply(app, action, day, role=role, outcome=outcome, days=days, handler=handler)
        d = answer_deadline(new, self.calendar(), today or day)
        now = _now()
        t = agency_applications
        with self._tx() as conn:
            conn.execute(t.update().where(t.c.id == rid).values(**_row_values("cases", new), state=state_of(new), due=d.due,
                                                                provisional=d.provisional, updated_at=now))  # fmt: skip
            conn.execute(agency_events.insert().values(application_id=rid, action=action, day=day, actor=actor, note=note, at=now))
            self._audit(conn, [self._audit_row(now, actor, body, t, number, action, to_plain(app), to_plain(new))])
            if d.due != row["due"]:
                conn.execute(agency_due_log.insert().values(application_id=rid, at=now, previous=row["due"], due=d.due,
                                                            provisional=d.provisional,
                                                            reason=f"办理：{ACTION_BY_KEY[action].label}"))  # fmt: skip
        return new

    def register(self, body: str, app: Application, actor: str | None = None, today: Date | None = None) -> None:
        """A new application entered by the registrar (not from a ledger)."""
        self.import_ledger(body, LedgerFile("登记", {"cases": [app]}), actor=actor, today=today)

    def void(self, body: str, kind: str, key: str, reason: str, actor: str | None = None) -> None:
        if not reason.strip():
            raise WorkflowError("作废记录必须说明原因")
        t = TABLES[kind]
        with self._tx() as conn:
            for row in conn.execute(sa.select(t).where(t.c.body == body, t.c.voided_at.is_(None))):
                rec = _record(kind, row)
                if key_of(kind, rec) == key:
                    now = _now()
                    conn.execute(t.update().where(t.c.id == row._mapping["id"]).values(voided_at=now, void_reason=reason))
                    self._audit(conn, [self._audit_row(now, actor, body, t, key, "void", to_plain(rec), {"reason": reason})])
                    return
        raise WorkflowError(f"{body}没有「{KIND_LABEL[kind]}」记录 {key}（或已作废）")

    # ------------------------------------------------------------ calendar
    def calendar(self) -> WorkCalendar:
        """The calendar as entered; seeded from chinese-calendar on first use."""
        if self._calendar is not None:
            return self._calendar
        with self.engine.connect() as conn:
            years = conn.execute(sa.select(agency_calendar_years)).all()
            days = conn.execute(sa.select(agency_calendar_days)).all()
        if not years:
            cal = WorkCalendar.seeded()
            self._store_calendar(cal, cal.years, actor="system", reason="由 chinese-calendar 初始化")
            self._calendar = cal
            return cal
        by_year: dict[int, tuple[dict[Date, str], dict[Date, str]]] = {y.year: ({}, {}) for y in years}
        for d in days:
            if d.day.year in by_year:
                by_year[d.day.year][0 if d.kind == "holiday" else 1][d.day] = d.name or ""
        src = {y.year: y.source for y in years}
        self._calendar = WorkCalendar({y: Arrangement(y, h, w, src[y]) for y, (h, w) in sorted(by_year.items())})
        return self._calendar

    def _store_calendar(self, cal: WorkCalendar, years: Iterable[int], actor: str | None, reason: str) -> None:
        now = _now()
        with self._tx() as conn:
            for y in years:
                a = cal.years[y]
                lo, hi = Date(y, 1, 1), Date(y, 12, 31)
                before = [(r.day.isoformat(), r.kind) for r in conn.execute(
                    sa.select(agency_calendar_days).where(agency_calendar_days.c.day.between(lo, hi)))]  # fmt: skip
                conn.execute(agency_calendar_days.delete().where(agency_calendar_days.c.day.between(lo, hi)))
                conn.execute(agency_calendar_years.delete().where(agency_calendar_years.c.year == y))
                conn.execute(agency_calendar_years.insert().values(year=y, source=a.source, entered_at=now))
                rows = [{"day": d, "kind": k, "name": n} for d, k, n in cal.days(y)]
                if rows:
                    conn.execute(agency_calendar_days.insert(), rows)
                after = [(d.isoformat(), k) for d, k, _ in cal.days(y)]
                if before != after:
                    self._audit(conn, [self._audit_row(now, actor, None, agency_calendar_days, str(y), "calendar",
                                                       {"days": before}, {"days": after, "reason": reason})])  # fmt: skip

    def set_calendar(self, cal: WorkCalendar, years: Iterable[int], actor: str | None = None, reason: str = "管理员修改",
                     today: Date | None = None) -> int:  # fmt: skip
        """Store a changed calendar and recompute every open case; returns the number of
        due dates that changed (each logged with the previous one)."""
        self._store_calendar(cal, years, actor, reason)
        self._calendar = cal
        return self.recompute(reason=f"工作日历变更：{reason}", today=today)

    def recompute(self, reason: str, today: Date | None = None) -> int:
        """Open cases get their due dates again from the calendar; answered ones keep theirs."""
        today = today or Date.today()
        cal = self.calendar()
        t = agency_applications
        now = _now()
        changed = 0
        with self._tx() as conn:
            rows = conn.execute(sa.select(t).where(t.c.state.in_(sorted(OPEN_STATES)), t.c.voided_at.is_(None))).all()
            logs = []
            for row in rows:
                d = answer_deadline(_record("cases", row), cal, today)
                m = row._mapping
                if d.due != m["due"] or d.provisional != m["provisional"]:
                    conn.execute(t.update().where(t.c.id == m["id"]).values(due=d.due, provisional=d.provisional))
                    logs.append({"application_id": m["id"], "at": now, "previous": m["due"], "due": d.due,
                                 "provisional": d.provisional, "reason": reason})  # fmt: skip
                    changed += 1
            for i in range(0, len(logs), BATCH):
                conn.execute(agency_due_log.insert(), logs[i : i + BATCH])
        return changed

    # ------------------------------------------------------------ proactive disclosures
    def add_disclosure(self, body: str, title: str, drafter: str, *, channel: str | None = None, catalogue: str | None = None,
                       published_on: Date | None = None) -> int:  # fmt: skip
        """A 主动公开 entry, drafted by ``drafter``; it still needs the 保密审查 and the publisher."""
        if not title.strip() or not drafter.strip():
            raise WorkflowError("主动公开信息须有标题和拟稿人")
        now = _now()
        t = agency_disclosures
        with self._tx() as conn:
            rid = conn.execute(t.insert().values(body=body, title=title.strip(), channel=channel, catalogue=catalogue,
                                                 published_on=published_on, drafter=drafter, drafted_at=now,
                                                 updated_at=now)).inserted_primary_key[0]  # fmt: skip
            self._audit(conn, [self._audit_row(now, drafter, body, t, str(rid), "insert", None, {"title": title})])
        return int(rid)

    def sign_disclosure(self, body: str, rid: int, step: str, actor: str, day: Date | None = None) -> None:
        """The sign-off in order: drafter → reviewer (保密审查, not the drafter) → publisher."""
        t = agency_disclosures
        with self._tx() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == rid, t.c.body == body, t.c.voided_at.is_(None))).first()
            if row is None:
                raise WorkflowError(f"{body}没有编号为 {rid} 的主动公开记录")
            m = row._mapping
            now = _now()
            if step == "review":
                if m["reviewed_at"] is not None:
                    raise WorkflowError("该信息已通过保密审查")
                if actor == m["drafter"]:
                    raise WorkflowError("保密审查须由拟稿人以外的人进行")
                values: dict[str, Any] = {"reviewer": actor, "reviewed_at": now}
            elif step == "publish":
                if m["reviewed_at"] is None:
                    raise WorkflowError("未经保密审查的信息不能发布")
                if m["published_at"] is not None:
                    raise WorkflowError("该信息已发布")
                values = {"publisher": actor, "published_at": now, "published_on": m["published_on"] or day or now.date()}
            else:
                raise WorkflowError("签批步骤只能是 review（保密审查）或 publish（发布）")
            conn.execute(t.update().where(t.c.id == rid).values(**values, updated_at=now))
            self._audit(conn, [self._audit_row(now, actor, body, t, str(rid), step, None, {k: str(v) for k, v in values.items()})])

    def disclosures(self, body: str) -> list[dict[str, Any]]:
        t = agency_disclosures
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).where(t.c.body == body, t.c.voided_at.is_(None)).order_by(t.c.id.desc()))
            return [dict(r._mapping) for r in rows]

    # ------------------------------------------------------------ narrative
    def narrative(self, body: str, year: int) -> dict[str, str]:
        t = agency_narratives
        with self.engine.connect() as conn:
            return {r.section: r.text for r in conn.execute(sa.select(t).where(t.c.body == body, t.c.year == year))}

    def set_narrative(self, body: str, year: int, section: str, text: str, fmt: str, actor: str | None = None) -> None:
        check_text(fmt, text)
        t = agency_narratives
        now = _now()
        with self._tx() as conn:
            old = conn.execute(sa.select(t.c.text).where(t.c.body == body, t.c.year == year, t.c.section == section)).scalar()
            if old == text:
                return
            conn.execute(t.delete().where(t.c.body == body, t.c.year == year, t.c.section == section))
            conn.execute(t.insert().values(body=body, year=year, section=section, text=text, updated_at=now, updated_by=actor))
            self._audit(conn, [self._audit_row(now, actor, body, t, f"{year}/{section}", "update" if old else "insert",
                                               {"text": old} if old else None, {"text": text})])  # fmt: skip


def without_personal(records: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The records with 申请人 and contact details blanked (what exports give by default)."""
    out = {}
    for kind, recs in records.items():
        out[kind] = [replace(r, **{f: None for f in PERSONAL_FIELDS if hasattr(r, f)}) for r in recs]
    return out


__all__ = ["Count", "Document", "ImportResult", "Remedy", "Workbench", "without_personal"]
