"""Answer deadlines, exactly as ledger.md says (条例 arts. 30, 33; 国办函〔2020〕109号).

* answer due: 20 working days after 收到日期, or after 补正收到日期 when there was a 补正;
  plus the working days of each pause (consultation; fee notice → payment), counted as the
  days d with start < d <= end; plus an approved extension (<= 20 working days);
* a pause still open counts up to ``today`` (the clock is stopped while it lasts);
* while a 补正 is awaited (notice sent, nothing received) the clock has not started
  (art. 30: it runs from the corrected application): the due date is counted from the day
  the case was closed without it, or from ``today`` while it is open;
* 补正 notice due 7 working days after 收到日期; fee payment due 20 working days after the
  notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.ledger import ANSWER_DAYS, CORRECTION_NOTICE_DAYS, FEE_PAYMENT_DAYS, MAX_EXTENSION, OPEN_STATES, STATES
from .calendar import WorkCalendar
from .records import Application, state_of

Date = dt.date


@dataclass(frozen=True, slots=True)
class Deadline:
    due: Date  # the answer due date
    provisional: bool  # reaches into a year whose arrangement is not entered
    paused_days: int  # working days of the pauses
    start: Date  # the day the clock starts from (收到日期 or 补正收到日期)
    correction_due: Date | None = None
    fee_due: Date | None = None


def _pause(cal: WorkCalendar, start: Date | None, end: Date | None, today: Date) -> tuple[int, bool]:
    if start is None:
        return 0, False
    return cal.working_days(start, end if end is not None else max(today, start))


def answer_deadline(app: Application, cal: WorkCalendar, today: Date) -> Deadline:
    if app.correction_requested is not None and app.correction_received is None:
        start = max(app.answered or today, app.received)
    else:
        start = app.correction_received or app.received
    days, prov = ANSWER_DAYS, False
    paused = 0
    for s, e in ((app.consult_start, app.consult_end), (app.fee_notice, app.fee_paid)):
        n, p = _pause(cal, s, e, today)
        paused += n
        prov = prov or p
    ext = min(max(app.extension_days or 0, 0), MAX_EXTENSION)
    due, p = cal.add_working_days(start, days + paused + ext)
    correction_due = cal.add_working_days(app.received, CORRECTION_NOTICE_DAYS)[0] if app.correction_requested else None
    fee_due = cal.add_working_days(app.fee_notice, FEE_PAYMENT_DAYS)[0] if app.fee_notice else None
    return Deadline(due, prov or p, paused, start, correction_due, fee_due)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of ``gongkai agency cases`` (ledger.md, Outputs)."""

    number: str
    state: str
    state_label: str
    received: str
    due: str
    provisional: bool
    days_left: int | None  # working days from today to the due date (negative: overdue); None once closed
    overdue: bool
    answered_late: bool
    answered: str | None
    outcome: str | None
    applicant_type: str
    handler: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "state": self.state,
            "state_label": self.state_label,
            "received": self.received,
            "due": self.due,
            "provisional": self.provisional,
            "days_left": self.days_left,
            "overdue": self.overdue,
            "answered_late": self.answered_late,
            "answered": self.answered,
            "outcome": self.outcome,
            "applicant_type": self.applicant_type,
            "handler": self.handler,
        }


def case_row(app: Application, due: Date, provisional: bool, cal: WorkCalendar, today: Date) -> CaseRow:
    state = state_of(app)
    is_open = state in OPEN_STATES
    late = app.answered is not None and app.answered > due
    if is_open:
        if today <= due:
            left = cal.working_days(today, due)[0]
        else:
            left = -cal.working_days(due, today)[0]
    else:
        left = None
    return CaseRow(
        app.number,
        state,
        STATES[state],
        app.received.isoformat(),
        due.isoformat(),
        provisional,
        left,
        (is_open and today > due) or late,
        late,
        app.answered.isoformat() if app.answered else None,
        app.outcome,
        app.applicant_type,
        app.handler,
    )


DUE_SOON_DAYS = 5  # working days: "due this week" on the dashboard


def due_soon(row: CaseRow, within: int = DUE_SOON_DAYS) -> bool:
    """Open, not yet overdue, and due within ``within`` working days."""
    return row.days_left is not None and 0 <= row.days_left <= within
