"""Celery tasks of supervision. Under `make run` (no REDIS_URL) they run eagerly in-process."""

from celery import shared_task

from supervision import engine
from supervision.rules import Trigger, rules_for


@shared_task(name="supervision.check_case", ignore_result=True)
def check_case(case_id):
    """Every rule on one case, queued after one of its steps committed."""
    report = engine.check_case(case_id)
    return report.raised


@shared_task(name="supervision.sweep", ignore_result=True)
def sweep(all_rules=False):
    """The nightly sweep: the schedule rules (or every rule) over every case, then the dashboard."""
    rules = None if all_rules else rules_for(Trigger.SCHEDULE)
    report = engine.run(rules=rules)
    refresh_dashboard()
    return report.raised


@shared_task(name="supervision.refresh_dashboard", ignore_result=True)
def refresh_dashboard():
    from supervision.dashboard.figures import refresh

    return refresh()
