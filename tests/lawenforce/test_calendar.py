"""The working-day calendar across the 2025 and 2026 State Council holiday arrangements.

Every holiday and make-up working day asserted here was checked against the chinese_calendar package
(the State Council notices for 2025 and 2026); `test_agrees_with_chinese_calendar_*` re-checks every
day of both years.
"""

import datetime

import chinese_calendar
import pytest

from lawenforce import calendar as cal
from lawenforce.calendar import (
    UnknownCalendarYear,
    add_days,
    add_working_days,
    is_working_day,
    working_days_between,
)
from lawenforce.models import CalendarDay, CalendarYear, DayKind

pytestmark = pytest.mark.django_db

D = datetime.date

MAKE_UP_WORKING_DAYS = [
    D(2025, 1, 26),  # Sun, Spring Festival
    D(2025, 2, 8),  # Sat, Spring Festival
    D(2025, 4, 27),  # Sun, Labour Day
    D(2025, 9, 28),  # Sun, National Day + Mid-Autumn
    D(2025, 10, 11),  # Sat, National Day + Mid-Autumn
    D(2026, 1, 4),  # Sun, New Year
    D(2026, 2, 14),  # Sat, Spring Festival
    D(2026, 2, 28),  # Sat, Spring Festival
    D(2026, 5, 9),  # Sat, Labour Day
    D(2026, 9, 20),  # Sun, National Day
    D(2026, 10, 10),  # Sat, National Day
]

HOLIDAY_WEEKDAYS = [
    *[D(2025, 1, 28) + datetime.timedelta(days=k) for k in (0, 1, 2, 3, 6, 7)],  # Spring Festival Jan 28–Feb 4
    D(2025, 5, 1),  # Labour Day May 1–5
    D(2025, 5, 2),
    D(2025, 5, 5),
    *[D(2025, 10, 1) + datetime.timedelta(days=k) for k in (0, 1, 2, 5, 6, 7)],  # National Day Oct 1–8
    *[D(2026, 2, 16) + datetime.timedelta(days=k) for k in (0, 1, 2, 3, 4, 7)],  # Spring Festival Feb 15–23
    D(2026, 9, 25),  # Mid-Autumn Sep 25–27
    *[D(2026, 10, 1) + datetime.timedelta(days=k) for k in (0, 1, 4, 5, 6)],  # National Day Oct 1–7
]


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # The cache outlives a test's rolled-back transaction (rollback sends no post_delete): clear both ways.
    cal.clear_cache()
    yield
    cal.clear_cache()


# --- Single days ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", MAKE_UP_WORKING_DAYS, ids=str)
def test_make_up_weekend_day_is_a_working_day(day):
    assert day.weekday() >= 5
    assert chinese_calendar.is_workday(day)
    assert is_working_day(day)


@pytest.mark.parametrize("day", HOLIDAY_WEEKDAYS, ids=str)
def test_holiday_on_a_weekday_is_not_a_working_day(day):
    assert day.weekday() < 5
    assert not chinese_calendar.is_workday(day)
    assert not is_working_day(day)


def test_ordinary_weekdays_work_and_ordinary_weekends_rest():
    assert is_working_day(D(2026, 3, 2))  # Mon
    assert not is_working_day(D(2026, 3, 7))  # Sat
    assert not is_working_day(D(2026, 3, 8))  # Sun


def test_agrees_with_chinese_calendar_on_every_day_of_2025_and_2026():
    day = D(2025, 1, 1)
    while day.year < 2027:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_datetime_is_refused_because_its_date_depends_on_the_time_zone():
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2026, 3, 2, 9, 0))


# --- add_working_days ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 2026 Spring Festival: Sat Feb 14 works, Feb 15–23 rest, Sat Feb 28 works.
        (D(2026, 2, 13), 7, D(2026, 3, 2)),  # 14, 24, 25, 26, 27, 28, Mar 2
        (D(2026, 2, 12), 7, D(2026, 2, 28)),  # the period ends on the make-up Saturday
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        # 2025 Spring Festival: Sun Jan 26 works, Jan 28–Feb 4 rest, Sat Feb 8 works.
        (D(2025, 1, 24), 7, D(2025, 2, 10)),  # Jan 26, 27, Feb 5, 6, 7, 8, 10
        # 2025 National Day + Mid-Autumn: Sun Sep 28 works, Oct 1–8 rest, Sat Oct 11 works.
        (D(2025, 9, 26), 7, D(2025, 10, 13)),  # Sep 28, 29, 30, Oct 9, 10, 11, 13
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # Oct 9, 10, 11
        # 2026 National Day: Sun Sep 20 works, Sep 25–27 and Oct 1–7 rest, Sat Oct 10 works.
        (D(2026, 9, 29), 7, D(2026, 10, 14)),  # Sep 30, Oct 8, 9, 10, 12, 13, 14
        (D(2026, 9, 18), 7, D(2026, 9, 29)),  # Sep 20, 21, 22, 23, 24, 28, 29
        # 2025 Labour Day: Sun Apr 27 works, May 1–5 rest (APL art. 64 five-day hearing request).
        (D(2025, 4, 25), 5, D(2025, 5, 6)),  # Apr 27, 28, 29, 30, May 6
        # Ordinary week: a Friday start skips the weekend.
        (D(2026, 3, 6), 2, D(2026, 3, 10)),
    ],
)
def test_add_working_days_skips_holidays_and_counts_make_up_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_working_days_does_not_count_the_start_day():
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert add_working_days(D(2026, 2, 16), 0) == D(2026, 2, 16)  # 0 leaves even a holiday alone


def test_add_working_days_counts_back_for_negative_n():
    # "at least 2 working days before Feb 24, 2026": Feb 15–23 rest, Sat Feb 14 works, then Fri Feb 13.
    assert add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 24), -2) == D(2026, 2, 13)
    assert add_working_days(D(2025, 10, 9), -2) == D(2025, 9, 29)


# --- add_days (natural days) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 9, 16), 15, D(2025, 10, 9)),  # Oct 1 (holiday) → Thu Oct 9 after the 8-day break
        (D(2026, 1, 31), 15, D(2026, 2, 24)),  # Feb 15 (Spring Festival) → Tue Feb 24
        (D(2025, 4, 20), 12, D(2025, 5, 6)),  # May 2 (Labour Day) → Tue May 6
        (D(2026, 9, 10), 15, D(2026, 9, 28)),  # Fri Sep 25 (Mid-Autumn) → Mon Sep 28
        (D(2025, 6, 6), 15, D(2025, 6, 23)),  # ordinary Saturday Jun 21 → Monday
    ],
)
def test_add_days_ending_on_a_rest_day_moves_to_the_next_working_day(start, n, expected):
    assert add_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 13), 15, D(2026, 2, 28)),  # Sat Feb 28, 2026 is a make-up working day
        (D(2025, 9, 13), 15, D(2025, 9, 28)),  # Sun Sep 28, 2025 is a make-up working day
        (D(2026, 9, 5), 15, D(2026, 9, 20)),  # Sun Sep 20, 2026 is a make-up working day
    ],
)
def test_add_days_ending_on_a_make_up_working_day_stays(start, n, expected):
    assert add_days(start, n) == expected


def test_add_days_counts_holidays_inside_the_period():
    # Natural days: the Spring Festival break inside the period is not skipped, only the last day moves.
    assert add_days(D(2025, 1, 27), 10) == D(2025, 2, 6)


def test_add_days_does_not_count_the_start_day_and_refuses_negative_periods():
    assert add_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert add_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    with pytest.raises(ValueError):
        add_days(D(2026, 3, 2), -1)


# --- working_days_between ------------------------------------------------------------------


def test_working_days_between_inverts_add_working_days_for_every_start_in_2025_and_2026():
    day = D(2025, 1, 1)
    while day <= D(2026, 11, 30):  # + 20 working days stays inside 2026, the last year the package knows
        for n in (-10, -7, -3, -1, 0, 1, 2, 3, 5, 7, 10, 15, 20):
            end = add_working_days(day, n)
            assert working_days_between(day, end) == n, (day, n)
            assert n == 0 or is_working_day(end), (day, n)
        day += datetime.timedelta(days=1)


def test_working_days_between_counts_after_a_up_to_and_including_b():
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 8)) == 0  # Fri → Sun: only rest days
    assert working_days_between(D(2026, 3, 6), D(2026, 3, 9)) == 1
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # Feb 14, 24, 25, 26, 27, 28
    # Jan 1, 2025 is a holiday, so this is every working day of 2025 (chinese_calendar.get_workdays: 248).
    assert working_days_between(D(2025, 1, 1), D(2025, 12, 31)) == 248


def test_working_days_between_is_negative_when_b_is_before_a():
    # b < a counts the working days in [b, a), matching add_working_days with negative n.
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 14)) == -1  # Feb 14 (make-up); Feb 15–23 rest
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 15)) == 0  # only holidays in [Feb 15, Feb 24)
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 6)) == -1


# --- Unknown years -------------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2031, 3, 3), D(2031, 3, 1)], ids=["weekday", "saturday"])
def test_unknown_year_raises_with_a_chinese_message_instead_of_guessing_from_weekends(day):
    with pytest.raises(UnknownCalendarYear) as excinfo:
        is_working_day(day)
    assert excinfo.value.year == 2031
    assert isinstance(excinfo.value, ValueError)
    message = str(excinfo.value)
    assert "2031 年" in message
    assert "基础数据 › 节假日年度安排" in message
    assert "节假日与调休" in message
    assert "国务院办公厅" in message


def test_period_running_into_an_unknown_year_raises():
    # The package knows up to 2026; a period crossing into 2027 must not be guessed.
    assert 2027 not in cal.PACKAGE_YEARS
    with pytest.raises(UnknownCalendarYear, match="2027"):
        add_days(D(2026, 12, 20), 15)
    with pytest.raises(UnknownCalendarYear, match="2027"):
        add_working_days(D(2026, 12, 28), 7)


def test_calendar_days_without_a_calendar_year_do_not_make_the_year_known():
    CalendarDay.objects.create(date=D(2031, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2031, 1, 1))


def test_admin_calendar_year_and_days_make_2031_known():
    CalendarYear.objects.create(year=2031, notice="国办发明电〔2030〕1号（测试）")
    # Test data, not the real 2031 notice: New Year Wed Jan 1, make-up Sun Jan 5.
    CalendarDay.objects.create(date=D(2031, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(date=D(2031, 1, 5), kind=DayKind.WORKDAY, name="元旦调休")

    assert not is_working_day(D(2031, 1, 1))  # declared holiday (a Wednesday)
    assert is_working_day(D(2031, 1, 5))  # declared make-up Sunday
    assert is_working_day(D(2031, 1, 6))  # undeclared Monday
    assert not is_working_day(D(2031, 1, 11))  # undeclared Saturday
    assert add_working_days(D(2031, 1, 1), 4) == D(2031, 1, 6)  # Thu Jan 2, Fri 3, Sun 5 (make-up), Mon 6
    assert add_days(D(2031, 1, 1), 10) == D(2031, 1, 13)  # Sat Jan 11 → Mon Jan 13


# --- Admin overrides and the cache ---------------------------------------------------------


def test_calendar_day_override_wins_over_the_package():
    CalendarDay.objects.create(date=D(2026, 3, 2), kind=DayKind.HOLIDAY, name="临时放假（测试）")
    CalendarDay.objects.create(date=D(2026, 2, 16), kind=DayKind.WORKDAY, name="更正（测试）")

    assert chinese_calendar.is_workday(D(2026, 3, 2)) and not is_working_day(D(2026, 3, 2))
    assert not chinese_calendar.is_workday(D(2026, 2, 16)) and is_working_day(D(2026, 2, 16))
    # Feb 14, 16 (now working), 24, 25, 26, 27, 28 → the 7th is Feb 28 instead of Mar 2.
    assert add_working_days(D(2026, 2, 13), 7) == D(2026, 2, 28)
    assert add_days(D(2026, 2, 15), 15) == D(2026, 3, 3)  # Mar 2 is now a holiday


def test_saving_and_deleting_a_calendar_day_invalidates_the_cache():
    monday = D(2026, 3, 2)
    assert is_working_day(monday)  # loads and caches 2026

    override = CalendarDay.objects.create(date=monday, kind=DayKind.HOLIDAY)
    assert not is_working_day(monday)

    override.kind = DayKind.WORKDAY
    override.save()
    assert is_working_day(monday)

    override.kind = DayKind.HOLIDAY
    override.save()
    assert not is_working_day(monday)

    override.delete()
    assert is_working_day(monday)


def test_saving_and_deleting_a_calendar_year_invalidates_the_cache():
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2031, 3, 3))  # the unknown answer is cached too

    year = CalendarYear.objects.create(year=2031, notice="测试通知")
    assert is_working_day(D(2031, 3, 3))

    year.delete()
    with pytest.raises(UnknownCalendarYear):
        is_working_day(D(2031, 3, 3))


def test_bulk_update_bypasses_signals_until_clear_cache_or_expiry(monkeypatch):
    monday = D(2026, 3, 2)
    CalendarDay.objects.create(date=monday, kind=DayKind.HOLIDAY)
    assert not is_working_day(monday)

    CalendarDay.objects.filter(date=monday).update(kind=DayKind.WORKDAY)  # no post_save
    assert not is_working_day(monday)  # still the cached answer

    monkeypatch.setattr(cal, "CACHE_SECONDS", -1)  # as if another process's cache had expired
    assert is_working_day(monday)

    monkeypatch.setattr(cal, "CACHE_SECONDS", 300)
    CalendarDay.objects.filter(date=monday).update(kind=DayKind.HOLIDAY)
    cal.clear_cache()
    assert not is_working_day(monday)


def test_each_year_is_loaded_once_not_once_per_day(django_assert_num_queries):
    with django_assert_num_queries(2):  # one CalendarDay query per package year
        assert working_days_between(D(2025, 1, 1), D(2026, 12, 31)) == 248 + 248
    with django_assert_num_queries(0):
        working_days_between(D(2025, 1, 1), D(2026, 12, 31))
        add_days(D(2026, 1, 31), 15)


def test_unknown_year_is_cached_too(django_assert_num_queries):
    with django_assert_num_queries(1), pytest.raises(UnknownCalendarYear):
        is_working_day(D(2031, 3, 3))
    with django_assert_num_queries(0), pytest.raises(UnknownCalendarYear):
        is_working_day(D(2031, 3, 4))


@pytest.mark.django_db
def test_the_administrator_is_told_when_next_years_holidays_are_missing(client, monkeypatch):
    from lawenforce.views import home
    from tests.factories import UserFactory

    assert cal.is_known_year(2026) and not cal.is_known_year(2031)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    monkeypatch.setattr(home, "today", lambda: datetime.date(2030, 11, 25))
    html = client.get("/home/").content.decode()
    assert "尚未录入 2030 年的法定节假日" in html and "尚未录入 2031 年" in html
    monkeypatch.setattr(home, "today", lambda: datetime.date(2025, 11, 25))
    assert "尚未录入" not in client.get("/home/").content.decode()
