"""Celery tasks of ex-post disclosure. Under `make run` (no REDIS_URL) they run eagerly in-process."""

from celery import shared_task

from . import publishing


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
