"""The agency's records as plain values: what the ledgers import, the database keeps and
the report is computed from. Dates are ``datetime.date``; an absent date is ``None``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from ..domain.ledger import ABANDONED_OUTCOMES, PERSONAL_FIELDS

Date = dt.date


@dataclass(slots=True)
class Application:
    number: str
    received: Date
    applicant_type: str  # a table-3 column key: natural_person, commercial, …
    channel: str | None = None
    applicant: str | None = None  # personal
    contact: str | None = None  # personal
    content: str | None = None
    correction_requested: Date | None = None
    correction_received: Date | None = None
    consult_start: Date | None = None
    consult_end: Date | None = None
    fee_notice: Date | None = None
    fee_paid: Date | None = None
    extension_days: int | None = None
    answered: Date | None = None
    outcome: str | None = None  # a table-3 outcome row key
    handler: str | None = None
    withdrawn: bool = False  # closed because the applicant withdrew (outcome other.other)
    extra: dict[str, str] = field(default_factory=dict)  # unknown ledger columns, kept as read


@dataclass(slots=True)
class Remedy:
    number: str
    kind: str  # review | litigation_direct | litigation_after_review
    received: Date
    application: str | None = None
    result: str | None = None  # upheld | corrected | other; None: 尚未审结
    concluded: Date | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    number: str  # 文号
    kind: str  # regulations | normative_docs
    issued: Date
    title: str | None = None
    repealed: Date | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Count:
    year: int
    item: str  # the table-2 cell key it fills: t2.licensing.decisions, t2.fees.amount …
    value: int | Decimal


RECORD_TYPES: dict[str, type] = {"cases": Application, "remedies": Remedy, "documents": Document, "counts": Count}


def key_of(kind: str, record: Any) -> str:
    """The record's identity within a body (编号, 文号, or 年度/事项)."""
    if kind == "counts":
        return f"{record.year}/{record.item}"
    return str(record.number)


def to_plain(record: Any, personal: bool = True) -> dict[str, Any]:
    """A JSON-able dict (dates ISO, Decimals as strings); personal fields dropped unless asked."""
    out: dict[str, Any] = {}
    for f in fields(record):
        if not personal and f.name in PERSONAL_FIELDS:
            continue
        v = getattr(record, f.name)
        if isinstance(v, Date):
            v = v.isoformat()
        elif isinstance(v, Decimal):
            v = str(v)
        elif isinstance(v, dict):
            v = dict(v)
        out[f.name] = v
    return out


def from_plain(kind: str, data: dict[str, Any]) -> Any:
    cls = RECORD_TYPES[kind]
    kw: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        if v is not None and f.type in ("Date", "Date | None"):
            v = Date.fromisoformat(v)
        elif v is not None and f.name == "value":
            v = Decimal(v) if isinstance(v, str) else v
            if isinstance(v, Decimal) and v == v.to_integral_value():
                v = int(v)
        kw[f.name] = v
    return cls(**kw)


def state_of(app: Application) -> str:
    """The case state its dates say (ledger.md's fields are the truth; the workflow sets them)."""
    if app.answered is not None:
        if app.withdrawn:
            return "withdrawn"
        if app.outcome in ABANDONED_OUTCOMES:
            return "abandoned"
        return "answered"
    if app.fee_notice is not None and app.fee_paid is None:
        return "fee_notice"
    if app.consult_start is not None and app.consult_end is None:
        return "consulting"
    if app.correction_requested is not None and app.correction_received is None:
        return "correction_requested"
    if app.correction_received or app.consult_start or app.fee_notice or app.extension_days or app.handler:
        return "in_progress"
    return "registered"
