"""The working-day calendar of the State Council's holiday arrangements (ledger.md).

A ``WorkCalendar`` holds, per known year, the public holidays (not worked, whatever the
weekday) and the weekend days declared workdays (调休). A day of a year that is not known
is worked Monday to Friday, and anything computed over it is *provisional*. The calendar is
seeded from chinese-calendar (the ``agency`` extra), which carries the published
arrangements; an administrator edits a day or enters a new year (``with_year``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..domain.ledger import HOLIDAY_NAMES
from ..errors import GongkaiError, MissingDependency
from .ledger import parse_date

Date = dt.date
ONE = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Arrangement:
    """One year's arrangement: holidays and 调休 workdays, each with its (Chinese) name."""

    year: int
    holidays: Mapping[Date, str]
    workdays: Mapping[Date, str]
    source: str = "国务院办公厅通知"

    def __post_init__(self) -> None:
        for d in (*self.holidays, *self.workdays):
            if d.year != self.year:
                raise ValueError(f"{d.isoformat()} 不属于 {self.year} 年")
        both = set(self.holidays) & set(self.workdays)
        if both:
            raise ValueError("同一天不能既是假日又是调休工作日：" + "、".join(sorted(d.isoformat() for d in both)))


@dataclass(slots=True)
class WorkCalendar:
    years: dict[int, Arrangement] = field(default_factory=dict)
    _off: set[Date] = field(default_factory=set, repr=False)
    _on: set[Date] = field(default_factory=set, repr=False)
    _off_weekdays: list[Date] = field(default_factory=list, repr=False)  # holidays on Monday-Friday, sorted
    _on_weekends: list[Date] = field(default_factory=list, repr=False)  # 调休 workdays on weekends, sorted

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._off = {d for a in self.years.values() for d in a.holidays}
        self._on = {d for a in self.years.values() for d in a.workdays}
        self._off_weekdays = sorted(d for d in self._off if d.weekday() < 5)
        self._on_weekends = sorted(d for d in self._on if d.weekday() >= 5)

    # ------------------------------------------------------------ building
    @classmethod
    def seeded(cls) -> WorkCalendar:
        """Every year chinese-calendar knows (2004 to its last published arrangement)."""
        try:
            from chinese_calendar import constants
        except ImportError:
            raise MissingDependency("工作日历需要安装 chinese-calendar：pip install 'gongkai[agency]'") from None
        years: dict[int, dict[str, dict[Date, str]]] = {}
        for kind, days in (("holidays", constants.holidays), ("workdays", constants.workdays)):
            for d, name in days.items():
                years.setdefault(d.year, {"holidays": {}, "workdays": {}})[kind][d] = HOLIDAY_NAMES.get(name, name)
        return cls({y: Arrangement(y, v["holidays"], v["workdays"], "chinese-calendar") for y, v in sorted(years.items())})

    def with_year(self, arrangement: Arrangement) -> WorkCalendar:
        years = dict(self.years)
        years[arrangement.year] = arrangement
        return WorkCalendar(years)

    def with_day(self, day: Date, kind: str, name: str = "") -> WorkCalendar:
        """A copy with one day set: ``holiday``, ``workday`` (调休) or ``normal`` (as the weekday says).
        The year becomes known if it was not."""
        a = self.years.get(day.year) or Arrangement(day.year, {}, {}, "管理员录入")
        holidays, workdays = dict(a.holidays), dict(a.workdays)
        holidays.pop(day, None)
        workdays.pop(day, None)
        if kind == "holiday":
            holidays[day] = name or "假日"
        elif kind == "workday":
            workdays[day] = name or "调休上班"
        elif kind != "normal":
            raise ValueError(f"日期类型只能是 holiday / workday / normal，不是 {kind!r}")
        return self.with_year(Arrangement(day.year, holidays, workdays, "管理员修改"))

    # ------------------------------------------------------------ questions
    @property
    def last_known_year(self) -> int | None:
        return max(self.years) if self.years else None

    def known(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, d: Date) -> bool:
        if d in self._on:
            return True
        if d in self._off:
            return False
        return d.weekday() < 5

    def add_working_days(self, start: Date, n: int) -> tuple[Date, bool]:
        """The n-th working day after ``start`` (start itself never counts), and whether any
        day walked lies in a year whose arrangement is not known (provisional)."""
        if n < 0:
            raise ValueError("工作日数不能为负")
        d = start
        provisional = not self.known(d.year) and n > 0
        left = n
        while left:
            d += ONE
            if not self.known(d.year):
                provisional = True
            if self.is_workday(d):
                left -= 1
        return d, provisional

    def working_days(self, start: Date, end: Date) -> tuple[int, bool]:
        """The number of working days d with start < d <= end (0 when end <= start), and
        whether it is provisional. Monday-Friday counted by arithmetic, then the holidays
        on weekdays taken off and the 调休 weekend days added (both found by bisection)."""
        if end <= start:
            return 0, False
        weekdays = _weekdays_upto(end) - _weekdays_upto(start)
        off = bisect_right(self._off_weekdays, end) - bisect_right(self._off_weekdays, start)
        on = bisect_right(self._on_weekends, end) - bisect_right(self._on_weekends, start)
        first = start + ONE
        provisional = any(not self.known(y) for y in range(first.year, end.year + 1))
        return weekdays - off + on, provisional

    def days(self, year: int) -> Iterable[tuple[Date, str, str]]:
        """(day, "holiday" | "workday", name) of a year's arrangement, in date order."""
        a = self.years.get(year)
        if a is None:
            return []
        rows = [(d, "holiday", n) for d, n in a.holidays.items()] + [(d, "workday", n) for d, n in a.workdays.items()]
        return sorted(rows)


def _weekdays_upto(d: Date) -> int:
    """Monday-Friday days from a fixed Monday (0001-01-01) up to and including ``d``."""
    n = d.toordinal()  # 0001-01-01 is a Monday, ordinal 1
    weeks, rest = divmod(n, 7)
    return weeks * 5 + min(rest, 5)


class CalendarError(GongkaiError):
    code = "calendar"


_KINDS = {"休": "holiday", "假": "holiday", "假日": "holiday", "放假": "holiday", "holiday": "holiday",
          "班": "workday", "上班": "workday", "调休": "workday", "调休上班": "workday", "workday": "workday"}  # fmt: skip


def read_arrangement(data: bytes, year: int, path: str = "<安排>") -> Arrangement:
    """A year's arrangement from CSV rows ``日期,类型,名称`` (类型 休/班; a header row is allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    holidays: dict[Date, str] = {}
    workdays: dict[Date, str] = {}
    problems = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        try:
            d = parse_date(row[0])
        except ValueError:
            if n == 1:
                continue  # the header
            problems.append(f"第 {n} 行：日期无法识别：{row[0]}")
            continue
        kind = _KINDS.get(row[1].strip() if len(row) > 1 else "")
        name = row[2].strip() if len(row) > 2 else ""
        if kind is None:
            problems.append(f"第 {n} 行：类型应为 休 或 班：{row[1] if len(row) > 1 else ''}")
        elif d.year != year:
            problems.append(f"第 {n} 行：{d.isoformat()} 不属于 {year} 年")
        else:
            (holidays if kind == "holiday" else workdays)[d] = name
    if problems:
        raise CalendarError("节假日安排有错误，未录入：\n" + "\n".join(problems), path)
    try:
        return Arrangement(year, holidays, workdays, "管理员录入")
    except ValueError as e:
        raise CalendarError(str(e), path) from None
