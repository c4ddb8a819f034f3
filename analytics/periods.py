"""Periods the indicators are computed for: months, quarters and years (Asia/Shanghai dates).

A period is written `2025` (year), `2025-Q2` (quarter) or `2025-04` (month) in URLs and exports.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str = YEAR
    number: int = 0  # month 1–12, quarter 1–4, 0 for a year

    @classmethod
    def parse(cls, text):
        """`2025`, `2025-Q2` or `2025-04`; ValueError for anything else."""
        match = _PATTERN.match(str(text or "").strip())
        if not match:
            raise ValueError(text)
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise ValueError(text)
            return cls(year, MONTH, month)
        if match["quarter"]:
            return cls(year, QUARTER, int(match["quarter"]))
        return cls(year, YEAR, 0)

    def __str__(self):
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    @property
    def label(self):
        if self.kind == MONTH:
            return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.number}
        if self.kind == QUARTER:
            return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.number}
        return _("%(year)d年") % {"year": self.year}

    @property
    def months(self):
        """The month numbers (1–12) of the period."""
        if self.kind == MONTH:
            return [self.number]
        if self.kind == QUARTER:
            return [3 * self.number - 2, 3 * self.number - 1, 3 * self.number]
        return list(range(1, 13))

    @property
    def yms(self):
        return [self.year * 100 + m for m in self.months]

    @property
    def start(self):
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self):
        last = self.months[-1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def stock_day(self, today=None):
        """The day stocks (certified officers) are counted on: the period's last day, or today
        while the period is still running."""
        today = today or timezone.localdate()
        return min(self.end, today)

    def previous(self):
        if self.kind == YEAR:
            return Period(self.year - 1)
        size = 12 if self.kind == MONTH else 4
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, size)

    def containing(self, kind):
        """The period of `kind` that contains this one (a month's quarter, a quarter's year)."""
        if kind == YEAR:
            return Period(self.year)
        if kind == QUARTER:
            return Period(self.year, QUARTER, (self.months[0] - 1) // 3 + 1)
        return self


def periods_of_year(year):
    """Every period of a year: 12 months, 4 quarters and the year."""
    return [Period(year, MONTH, m) for m in range(1, 13)] + [Period(year, QUARTER, q) for q in range(1, 5)] + [
        Period(year)
    ]


def periods_touching(year, months):
    """The periods that contain any of `months` (numbers 1–12) of `year`."""
    months = set(months)
    quarters = {(m - 1) // 3 + 1 for m in months}
    return [Period(year, MONTH, m) for m in sorted(months)] + [Period(year, QUARTER, q) for q in sorted(quarters)] + [
        Period(year)
    ]


def month_periods(period):
    return [Period(period.year, MONTH, m) for m in period.months]


def current_year():
    return timezone.localdate().year


def ym_of(day):
    """year*100+month of a date or an aware datetime (in Asia/Shanghai)."""
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date()
    return day.year * 100 + day.month
