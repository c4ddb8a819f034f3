"""Small helpers for the set-based SQL of the computation (portable: PostgreSQL and SQLite)."""

import csv

import pandas as pd
from django.db import connection

from cases.models import Case
from lawenforce.models import Agency, Region


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def frame(sql, params=(), columns=None):
    """The rows of `sql` as a DataFrame."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = columns or [c[0] for c in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=names)


def placeholders(values):
    return ", ".join(["%s"] * len(values))


def in_clause(column, values):
    """(SQL, params) keeping rows whose `column` is one of `values`. On PostgreSQL one array
    parameter (`= ANY(%s)`): a list of thousands of ids costs the driver and the server a
    placeholder each to parse otherwise. Elsewhere `IN (%s, …)`."""
    values = list(values)
    if not values:
        return "1 = 0", []
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({placeholders(values)})", values


class AgencySet:
    """The agencies a computation covers: every agency in a region's subtree, or a list of ids.

    `sql(column)` is a WHERE fragment on an agency id column, `ids()` the ids themselves."""

    def __init__(self, *, region=None, ids=None):
        assert (region is None) != (ids is None)
        self.region = region
        self._ids = sorted(set(ids)) if ids is not None else None

    def sql(self, column):
        if self.region is not None:
            return (
                f"{column} IN (SELECT a.id FROM {table(Agency)} a JOIN {table(Region)} r ON r.id = a.region_id "
                f"WHERE r.path LIKE %s)",
                [self.region.path + "%"],
            )
        return in_clause(column, self._ids)

    def ids(self):
        if self._ids is None:
            self._ids = list(Agency.objects.in_region(self.region).order_by("pk").values_list("pk", flat=True))
        return self._ids

    def queryset_filter(self, lookup="agency"):
        """The same set as a Django filter on `lookup` (an agency FK path)."""
        if self.region is not None:
            return {f"{lookup}__region__path__startswith": self.region.path}
        return {f"{lookup}__in": self._ids}


def insert_aggregate(model, columns, select_sql, params, parallel=True):
    """INSERT INTO model (columns) SELECT …, for a SELECT that folds many rows into few (a GROUP
    BY over a year of cases). On PostgreSQL, with `parallel`, the SELECT runs as CREATE TEMP TABLE
    … AS, which can use parallel workers (an INSERT … SELECT never does: PostgreSQL plans no
    parallel query for a statement that writes), and the few result rows are inserted from it.
    Small selects (the incremental refresh) pass parallel=False: a temporary table costs more
    than it saves there. Returns the number of rows inserted."""
    qn = connection.ops.quote_name
    target = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    if connection.vendor != "postgresql" or not parallel:
        return execute(f"INSERT INTO {table(model)} ({target}) {select_sql}", params)
    scratch = qn("analytics_aggregate")
    names = ", ".join(qn(f"c{i}") for i in range(len(columns)))
    # The planner takes a GROUP BY's groups for as many as its rows when it cannot tell (officer
    # months: two million estimated, 39,000 found), so gathering the workers' partial aggregates
    # looks as dear as the rows themselves and it plans no parallel query; a near-zero cost per
    # gathered row lets it (officer months of two years: 1.4 s → 0.9 s). For this statement only.
    ((before,),) = fetch("SELECT current_setting('parallel_tuple_cost')")
    execute("SELECT set_config('parallel_tuple_cost', '0.001', true)")
    try:
        execute(f"CREATE TEMPORARY TABLE {scratch} ({names}) ON COMMIT DROP AS {select_sql}", params)
    finally:
        execute("SELECT set_config('parallel_tuple_cost', %s, true)", [before])
    try:
        return execute(f"INSERT INTO {table(model)} ({target}) SELECT {names} FROM {scratch}")
    finally:
        execute(f"DROP TABLE {scratch}")


def copy_frame(model, rows, columns):
    """COPY a DataFrame into `model` (PostgreSQL; False elsewhere, and nothing is written). The
    frame is formatted as COPY text in one vectorised pass (tens of thousands of rows without a
    Python call each): its columns are `columns` (field names) in order, missing values NA,
    floats written with six places. Text columns must hold no tab, newline or backslash."""
    if connection.vendor != "postgresql":
        return False
    fields = [model._meta.get_field(c) for c in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    text = rows.to_csv(sep="\t", header=False, index=False, na_rep="\\N", float_format="%.6f", quoting=csv.QUOTE_NONE)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table(model)} ({names}) FROM STDIN") as copy:
            copy.write(text)
    return True


def bulk_write(model, rows, columns):
    """Write many rows fast: COPY on PostgreSQL, bulk_create elsewhere. `rows` are tuples in
    `columns` order (field names)."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        fields = [model._meta.get_field(c) for c in columns]
        qn = connection.ops.quote_name
        names = ", ".join(qn(f.column) for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table(model)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    attnames = [model._meta.get_field(c).attname for c in columns]
    objects = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=2000)
    return len(rows)


def bulk_update(objects, fields, batch_size=5000):
    """Save `fields` of many model instances in one statement per batch: on PostgreSQL an
    UPDATE … FROM (VALUES …) joined on the primary key (Django's bulk_update builds a CASE WHEN
    per field and row, which costs more to build than to run); elsewhere Django's bulk_update."""
    if not objects:
        return 0
    model = type(objects[0])
    if connection.vendor != "postgresql":
        return model.objects.bulk_update(objects, fields, batch_size=500)
    qn = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in fields)]
    casts = ", ".join(f"%s::{f.db_type(connection)}" for f in columns)
    names = ", ".join(qn(f.column) for f in columns)
    sets = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in columns[1:])
    for start in range(0, len(objects), batch_size):
        batch = objects[start : start + batch_size]
        values = ", ".join(f"({casts})" for _o in batch)
        params = [f.get_db_prep_value(getattr(o, f.attname), connection) for o in batch for f in columns]
        execute(
            f"UPDATE {table(model)} t SET {sets} FROM (VALUES {values}) AS v ({names}) WHERE t.{qn(pk.column)} = v.{qn(pk.column)}",
            params,
        )
    return len(objects)


def handlers_table():
    return table(Case.handlers.through)
