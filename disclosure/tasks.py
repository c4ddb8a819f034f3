"""Celery tasks of the disclosure platform: ex-post publication, withdrawal and expiry of penalty
records, and the annual statistics. Under `make run` (no REDIS_URL) they run eagerly in-process."""

from celery import shared_task

from . import annual, publishing


@shared_task(name="disclosure.tasks.build_annual_reports")
def build_annual_reports(year=None):
    """On 1 January: the drafts of the previous year's statistics for every agency (T-annual)."""
    year = year or annual.previous_year()
    return annual.build_reports(year)

@shared_task(name="disclosure.publish_case", ignore_result=True)
def publish_case(case_id):
    """Build (and, by default, publish) the records of a case whose decision has just committed."""
    return len(publishing.build_for_case(case_id))


@shared_task(name="disclosure.withdraw_case", ignore_result=True)
def withdraw_case(case_id, remedy_id):
    """Withdraw a case's records after a remedy overturned its decision (《行政处罚法》第四十八条第二款)."""
    return len(publishing.withdraw_overturned(case_id, remedy_id))


@shared_task(name="disclosure.expire", ignore_result=True)
def expire():
    """Daily: published records past their publication period leave public search."""
    return publishing.expire_due()


@shared_task(name="disclosure.catch_up", ignore_result=True)
def catch_up():
    """Daily backstop: decided penalty cases without records (a broker outage lost the event)."""
    from cases.models import Case, DecisionKind

    missing = (
        Case.objects.filter(state__in=publishing.DECIDED_STATES, decision_kind=DecisionKind.PENALTY, disclosures=None)
        .exclude(decided_on=None)
        .values_list("pk", flat=True)
    )
    count = 0
    for case_id in list(missing):
        count += len(publishing.build_for_case(case_id))
    return count
