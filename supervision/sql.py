"""Date arithmetic in SQL that works the same on SQLite and PostgreSQL.

The scheduled sweep narrows cases in the database (one query per rule, whatever the number of
cases), so it needs "days between two dates" and "the local date of an aware datetime" in SQL.
"""

import zoneinfo

from django.conf import settings
from django.db.models import DateField, Func, IntegerField
from django.db.models.functions import TruncDate


class DaysBetween(Func):
    """end - start in whole days (an integer; NULL when either is NULL)."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, start, end, **extra):
        super().__init__(start, end, **extra)

    def as_sql(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(({end[0]}) - ({start[0]}))", (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return (
            f"CAST(julianday({end[0]}) - julianday({start[0]}) AS INTEGER)",
            (*end[1], *start[1]),
        )


def local_date(expression):
    """The date in China (Asia/Shanghai) of an aware datetime column."""
    return TruncDate(expression, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE), output_field=DateField())
