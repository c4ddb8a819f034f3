"""Celery tasks that write the analytics snapshots (eager in-process under `make run`)."""

from celery import shared_task
from django.utils import timezone

from analytics.compute import refresh
from lawenforce.models import Region, RegionLevel


@shared_task(name="analytics.tasks.refresh_dirty")
def refresh_dirty():
    """Incremental update: only what changed since the last run (see analytics/compute/refresh.py)."""
    run = refresh.incremental()
    return {"cases": run.cases, "cells": run.cells, "values": run.values} if run else None


@shared_task(name="analytics.tasks.recompute_year")
def recompute_year(year=None, region_code=None, years=None):
    """Full recompute of a year (default: this year), or of `years` together, for one region or
    for every province. Returns the RefreshRun ids."""
    years = years or [year or timezone.localdate().year]
    regions = (
        Region.objects.filter(code=region_code) if region_code else Region.objects.filter(level=RegionLevel.PROVINCE)
    )
    return [run.pk for region in regions for run in refresh.full(region, years)]


@shared_task(name="analytics.tasks.nightly")
def nightly():
    """The nightly safety net: this year in full (and last year too during January, when the
    annual statistics of the previous year are prepared), so nothing missed by the receivers lasts."""
    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    return recompute_year(years=years)
