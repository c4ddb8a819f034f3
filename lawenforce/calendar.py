"""Working-day calendar (工作日) for statutory periods.

Which periods count working days (the law, see docs/legal-rules.md "How days are counted"):

- 行政处罚法 (APL) art. 85: periods of 2, 3, 5 and 7 days are working days, statutory holidays excluded.
- 行政强制法 (ACL) art. 69: periods of 10 days or less are working days, statutory holidays excluded.
- 行政许可法 (ALL) art. 82: every period is in working days, statutory holidays excluded.
- Every other period is in natural days: the day the period starts from is not counted, and a period
  whose last day is a rest day ends on the next working day (民事诉讼法 art. 85, applied in
  administrative procedure).

This module only counts; the code that knows the period decides which of the functions applies:
`add_working_days` for working-day periods, `add_days` for natural-day periods.

What is a working day follows each year's State Council holiday notice (国务院办公厅关于部分节假日安排的
通知): Monday to Friday unless declared a holiday; Saturday and Sunday are rest days unless declared a
make-up working day (调休上班). The notices come from two sources:

1. the `chinese_calendar` package (one release per notice; knows a fixed range of years);
2. the admin tables `CalendarYear` (an administrator declares that a year's notice has been entered,
   which makes the year known) and `CalendarDay` (one holiday or make-up working day; always wins
   over the package, so it also corrects a single day of a year the package knows).

A date in a year that neither source knows raises `UnknownCalendarYear`: a deadline guessed from
weekends would be wrong around every holiday, and a wrong statutory deadline is worse than none.

The admin tables are read once per year and cached in-process. Saving or deleting a `CalendarDay` or
`CalendarYear` clears the cache of the process that saved (signals connected in
`LawenforceConfig.ready`); other processes (other web workers, Celery) reload after `CACHE_SECONDS`.
Bulk updates bypass signals: call `clear_cache()` after them.
"""

from __future__ import annotations

import datetime
import time

import chinese_calendar

__all__ = [
    "CACHE_SECONDS",
    "UnknownCalendarYear",
    "add_days",
    "add_working_days",
    "clear_cache",
    "is_known_year",
    "is_working_day",
    "working_days_between",
]

ONE_DAY = datetime.timedelta(days=1)

# Other processes learn of an admin edit only by reloading; five minutes bounds that staleness
# while keeping list pages and Celery sweeps at two queries per year per process.
CACHE_SECONDS = 300

# The package judges its own coverage by the span of its holiday table; we follow it.
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


class UnknownCalendarYear(ValueError):
    """The holiday arrangement of `year` is in neither the chinese_calendar package nor the admin tables."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"尚未掌握 {year} 年的法定节假日和调休安排，无法按工作日计算期限。"
            f"请管理员在后台“基础数据 › 节假日年度安排”中登记 {year} 年国务院办公厅节假日安排通知，"
            f"并在“节假日与调休”中逐日录入该年的放假日期和调休上班日期。"
        )


# year -> (loaded at, {date: is working day} exceptions to the Monday-Friday rule, or None if unknown)
_cache: dict[int, tuple[float, dict[datetime.date, bool] | None]] = {}
# Bumped by clear_cache; a load that raced with a clear is not stored, so it cannot resurrect stale data.
_generation = 0


def clear_cache(*args, **kwargs) -> None:
    """Forget the loaded years. Also the post_save/post_delete receiver, hence the signal arguments."""
    global _generation
    _generation += 1
    _cache.clear()


def _package_exceptions(year: int) -> dict[datetime.date, bool]:
    # Read the package's tables directly: its is_workday() rescans the whole table on every call.
    table = {d: False for d in chinese_calendar.holidays if d.year == year}
    table.update({d: True for d in chinese_calendar.workdays if d.year == year})
    return table


def _load_year(year: int) -> dict[datetime.date, bool] | None:
    from lawenforce.models import CalendarDay, CalendarYear, DayKind  # models import after app loading

    if year not in PACKAGE_YEARS and not CalendarYear.objects.filter(year=year).exists():
        return None
    table = _package_exceptions(year) if year in PACKAGE_YEARS else {}
    # Admin rows go last so that they win over the package.
    for day, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind"):
        table[day] = kind == DayKind.WORKDAY
    return table


def _exceptions(year: int) -> dict[datetime.date, bool]:
    entry = _cache.get(year)
    if entry is None or time.monotonic() - entry[0] > CACHE_SECONDS:
        generation = _generation
        entry = (time.monotonic(), _load_year(year))
        if generation == _generation:
            _cache[year] = entry
    if entry[1] is None:
        raise UnknownCalendarYear(year)
    return entry[1]


def _check_date(d: datetime.date) -> None:
    # A datetime would never match the date keys, and its UTC date may be the wrong day in China.
    if isinstance(d, datetime.datetime):
        raise TypeError("请传入日期（date），带时间的值请先用 timezone.localdate() 转换。")


def is_known_year(year: int) -> bool:
    """True when the year's holiday arrangement is in the package or the admin tables."""
    try:
        _exceptions(year)
    except UnknownCalendarYear:
        return False
    return True


def is_working_day(d: datetime.date) -> bool:
    """True on a working day; raises UnknownCalendarYear if d's year's holiday notice is unknown."""
    _check_date(d)
    return _exceptions(d.year).get(d, d.weekday() < 5)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (start itself not counted); n < 0 counts back before start.

    n == 0 returns start unchanged. Counting back gives "at least n working days before", e.g. the
    latest day to send a hearing notice (APL art. 64: at least 7 working days before the hearing).
    """
    _check_date(start)
    step = ONE_DAY if n >= 0 else -ONE_DAY
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def add_days(start: datetime.date, n: int) -> datetime.date:
    """Last day of a natural-day period of n days from `start` (start not counted).

    A last day that is a rest day moves to the next working day; holidays inside the period still count.
    """
    _check_date(start)
    if n < 0:
        raise ValueError("期间天数不能为负数。")
    end = start + datetime.timedelta(days=n)
    while not is_working_day(end):
        end += ONE_DAY
    return end


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Signed count of working days, the inverse of add_working_days: between(a, add_working_days(a, n)) == n.

    b >= a: the working days in (a, b], i.e. after a up to and including b (0 when b == a).
    b <  a: minus the working days in [b, a), i.e. from b up to but excluding a.
    For "is the period over", compare dates instead: `b > add_working_days(a, 7)` (a rest day after
    the last day is already late, yet adds no working day to the count).
    """
    _check_date(a)
    _check_date(b)
    if b < a:
        # [b, a) is (b - 1 day, a - 1 day]; mirrors add_working_days counting back from a.
        return -working_days_between(b - ONE_DAY, a - ONE_DAY)
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count
