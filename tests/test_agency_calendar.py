"""Working days and answer deadlines against the State Council's arrangements (ledger.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.agency.calendar import Arrangement, CalendarError, WorkCalendar, read_arrangement
from gongkai.agency.deadlines import answer_deadline, case_row
from gongkai.agency.records import Application

D = dt.date
CAL = WorkCalendar.seeded()

# The weekend days the State Council declared workdays (调休), as its notices published them.
ADJUSTED_WORKDAYS = {
    2020: ["2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"],
    2021: ["2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"],
    2022: ["2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09"],
    2023: ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"],
    2024: ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"],
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}
# first and last day of each year's Spring Festival and National Day holidays
HOLIDAYS = {
    2020: (("2020-01-24", "2020-02-02"), ("2020-10-01", "2020-10-08")),
    2021: (("2021-02-11", "2021-02-17"), ("2021-10-01", "2021-10-07")),
    2022: (("2022-01-31", "2022-02-06"), ("2022-10-01", "2022-10-07")),
    2023: (("2023-01-21", "2023-01-27"), ("2023-09-29", "2023-10-06")),
    2024: (("2024-02-10", "2024-02-17"), ("2024-10-01", "2024-10-07")),
    2025: (("2025-01-28", "2025-02-04"), ("2025-10-01", "2025-10-08")),
}


@pytest.mark.parametrize("year", sorted(ADJUSTED_WORKDAYS))
def test_adjusted_weekend_workdays_are_exactly_the_published_ones(year: int) -> None:
    weekend_workdays = sorted(d.isoformat() for d, kind, _ in CAL.days(year) if kind == "workday" and d.weekday() >= 5)
    assert weekend_workdays == ADJUSTED_WORKDAYS[year]
    for s in ADJUSTED_WORKDAYS[year]:
        assert CAL.is_workday(D.fromisoformat(s))


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_spring_festival_and_national_day_are_not_worked(year: int) -> None:
    for first, last in HOLIDAYS[year]:
        d, end = D.fromisoformat(first), D.fromisoformat(last)
        while d <= end:
            assert not CAL.is_workday(d), d
            d += dt.timedelta(days=1)


# Hand-worked: 20 working days after 收到日期 (that day not counted).
HAND = [
    # 2024-02-01 (Thu): 2/2, 2/4(Sun, 调休), 2/5-2/9, [2/10-2/17 春节], 2/18(Sun, 调休), 2/19-23, 2/26-3/1, 3/4, 3/5
    ("2024-02-01", "2024-03-05"),
    # 2024-09-27 (Fri): 9/29(Sun, 调休), 9/30, [10/1-10/7 国庆], 10/8-11, 10/12(Sat, 调休), 10/14-18, 10/21-25, 10/28-30
    ("2024-09-27", "2024-10-30"),
    # 2025-01-24 (Fri): 1/26(Sun, 调休), 1/27, [1/28-2/4 春节], 2/5-7, 2/8(Sat, 调休), 2/10-14, 2/17-21, 2/24-27
    ("2025-01-24", "2025-02-27"),
    # 2023-09-28 (Thu): [9/29-10/6 中秋国庆], 10/7(Sat), 10/8(Sun) 调休, 10/9-13, 10/16-20, 10/23-27, 10/30, 10/31, 11/1
    ("2023-09-28", "2023-11-01"),
    # received on a holiday (2024-02-12): 2/18(Sun, 调休), 2/19-23, 2/26-3/1, 3/4-8, 3/11-14
    ("2024-02-12", "2024-03-14"),
]


@pytest.mark.parametrize(("received", "due"), HAND)
def test_hand_worked_answer_due_dates(received: str, due: str) -> None:
    app = Application("1", D.fromisoformat(received), "natural_person")
    d = answer_deadline(app, CAL, D(2026, 1, 1))
    assert d.due.isoformat() == due
    assert not d.provisional


def test_correction_restarts_the_clock_and_pauses_add_their_working_days() -> None:
    app = Application("1", D(2024, 2, 1), "natural_person", correction_requested=D(2024, 2, 2), correction_received=D(2024, 9, 27))
    assert answer_deadline(app, CAL, D(2026, 1, 1)).due == D(2024, 10, 30)
    # a consultation 2024-10-08 -> 2024-10-14: d with start < d <= end that are worked: 10/9,10,11,12(Sat 调休),14 = 5
    app.consult_start, app.consult_end = D(2024, 10, 8), D(2024, 10, 14)
    d = answer_deadline(app, CAL, D(2026, 1, 1))
    assert d.paused_days == 5
    assert d.due == CAL.add_working_days(D(2024, 10, 30), 5)[0] == D(2024, 11, 6)
    app.extension_days = 20
    assert answer_deadline(app, CAL, D(2026, 1, 1)).due == CAL.add_working_days(D(2024, 11, 6), 20)[0]


def test_correction_notice_due() -> None:
    app = Application("1", D(2024, 2, 1), "natural_person", correction_requested=D(2024, 2, 2))
    # 2/2(1), 2/4 Sun 调休(2), 2/5(3), 2/6(4), 2/7(5), 2/8(6), 2/9(7)
    assert answer_deadline(app, CAL, D(2026, 1, 1)).correction_due == D(2024, 2, 9)


def test_past_the_last_known_year_due_dates_are_provisional() -> None:
    last = CAL.last_known_year
    assert last is not None and last >= 2026
    app = Application("1", D(last, 12, 20), "natural_person")
    d = answer_deadline(app, CAL, D(last, 12, 21))
    assert d.provisional and d.due.year == last + 1
    # entering the new year's arrangement makes it certain, and can move it
    new = Arrangement(last + 1, {D(last + 1, 1, 1): "元旦", D(last + 1, 1, 2): "元旦"}, {})
    d2 = answer_deadline(app, CAL.with_year(new), D(last, 12, 21))
    assert not d2.provisional


def test_admin_edit_and_arrangement_import() -> None:
    cal = CAL.with_day(D(2024, 3, 4), "holiday", "测试")
    assert not cal.is_workday(D(2024, 3, 4)) and CAL.is_workday(D(2024, 3, 4))
    arr = read_arrangement("日期,类型,名称\n2030-01-01,休,元旦\n2030-02-02,班,春节\n".encode(), 2030)
    assert arr.holidays == {D(2030, 1, 1): "元旦"} and arr.workdays == {D(2030, 2, 2): "春节"}
    with pytest.raises(CalendarError, match="第 2 行"):
        read_arrangement("日期,类型\n2031-01-01,休\n".encode(), 2030)
    with pytest.raises(CalendarError, match="类型"):
        read_arrangement("2030-01-01,休息日\n".encode(), 2030)


days = st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 6, 30))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(days, st.integers(0, 40), st.integers(0, 30), st.integers(0, 30), st.integers(0, 20), st.booleans())
def test_deadline_invariants(received: dt.date, gap: int, pause: int, fee: int, ext: int, corrected: bool) -> None:
    base = Application("1", received, "natural_person")
    if corrected:
        base.correction_requested = received + dt.timedelta(days=1)
        base.correction_received = received + dt.timedelta(days=1 + gap)
    start = base.correction_received or received
    plain = answer_deadline(base, CAL, D(2030, 1, 1))
    assert plain.due > start  # never before (or on) its start
    assert CAL.working_days(start, plain.due)[0] == 20 and CAL.is_workday(plain.due)
    paused = replace(base)
    paused.consult_start = start + dt.timedelta(days=gap)
    paused.consult_end = paused.consult_start + dt.timedelta(days=pause)
    paused.fee_notice = paused.consult_end + dt.timedelta(days=1)
    paused.fee_paid = paused.fee_notice + dt.timedelta(days=fee)
    paused.extension_days = ext
    p = answer_deadline(paused, CAL, D(2030, 1, 1))
    n1 = CAL.working_days(paused.consult_start, paused.consult_end)[0]
    n2 = CAL.working_days(paused.fee_notice, paused.fee_paid)[0]
    # paused days never count: exactly 20 + the pauses' working days + the extension
    assert p.paused_days == n1 + n2
    assert CAL.working_days(start, p.due)[0] == 20 + n1 + n2 + ext
    assert p.due >= plain.due
    # an answered case's due date never changes: the store keeps it; the row uses what it is given
    paused.answered, paused.outcome = p.due + dt.timedelta(days=1), "disclosed"
    row = case_row(paused, p.due, p.provisional, CAL.with_day(p.due, "holiday"), D(2030, 1, 1))
    assert row.due == p.due.isoformat() and row.answered_late and row.overdue and row.days_left is None


def _slow_count(cal: WorkCalendar, start: dt.date, end: dt.date) -> tuple[int, bool]:
    n, prov, d = 0, False, start
    while d < end:
        d += dt.timedelta(days=1)
        prov = prov or not cal.known(d.year)
        n += cal.is_workday(d)
    return n, prov


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.dates(min_value=D(2003, 6, 1), max_value=D(2028, 6, 1)), st.integers(-30, 800))
def test_working_days_by_arithmetic_agree_with_counting_day_by_day(start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    assert CAL.working_days(start, end) == _slow_count(CAL, start, end)
    edited = CAL.with_day(start + dt.timedelta(days=3), "workday").with_day(start + dt.timedelta(days=5), "holiday")
    assert edited.working_days(start, end) == _slow_count(edited, start, end)
