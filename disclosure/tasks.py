"""Celery tasks of the disclosure platform's annual statistics (eager in-process under `make run`)."""

from celery import shared_task

from . import annual


@shared_task(name="disclosure.tasks.build_annual_reports")
def build_annual_reports(year=None):
    """On 1 January: the drafts of the previous year's statistics for every agency (T-annual)."""
    year = year or annual.previous_year()
    return annual.build_reports(year)
