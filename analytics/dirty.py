"""The incremental queue: what changed since the last refresh, and queuing the refresh.

Receivers (analytics/receivers.py) call these; they write one small row per changed case or
cell inside the caller's transaction (a rolled-back step leaves nothing behind) and queue one
refresh task for after the commit, however many rows the transaction marked.
"""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics.models import DirtyCase, DirtyCell


def mark_cases(case_ids):
    DirtyCase.objects.bulk_create([DirtyCase(case_id=pk) for pk in set(case_ids)], ignore_conflicts=True)


def mark_cells(cells):
    """`cells`: (agency_id, year, month) triples."""
    rows = [DirtyCell(agency_id=a, year=y, month=m) for a, y, m in set(cells) if a and y and m]
    DirtyCell.objects.bulk_create(rows, ignore_conflicts=True)


def mark_agency_year(agency_id, year=None):
    """Every month of the year so far (a certificate or the roster changed)."""
    today = timezone.localdate()
    year = year or today.year
    last = today.month if year == today.year else 12
    mark_cells((agency_id, year, m) for m in range(1, last + 1))


def queue_refresh():
    """Queue analytics.tasks.refresh_dirty once after the current transaction commits."""
    if not getattr(settings, "ANALYTICS_REFRESH_ON_CHANGE", True):
        return
    # One refresh per transaction: a seed or import that marks thousands of rows queues one task.
    if connection.in_atomic_block and any(entry[1] is _send for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send)


def _send():
    from analytics.tasks import refresh_dirty

    refresh_dirty.apply_async(countdown=getattr(settings, "ANALYTICS_REFRESH_DELAY", 10))
