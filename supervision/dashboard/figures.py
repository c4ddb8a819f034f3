"""The dashboard's figures, computed by a Celery task (supervision.refresh_dashboard, nightly after
the sweep and on demand) and stored per agency in DashboardFigure. Each metric is defined once
here, with the filter that lists the cases behind a figure (the drill-down), so the number on
the dashboard and the list behind it mean the same thing.

Five GROUP BY queries over the whole database, whatever its size, then one bulk insert.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case
from supervision.models import ACTIVE_STATES, Alert, DashboardFigure, DossierEvaluation
from supervision.rules import CATALOGUE, Group

CASES_BY_STATE = "cases_state"
ACTIVE_ALERTS_BY_RULE = "alerts_rule"
ALERTS_BY_RULE = "alerts_rule_all"
ALERTS_BY_MONTH = "alerts_month"
EVALUATIONS = "evaluations"
TREND_MONTHS = 12

# "Overdue" on the dashboard: the deadline rules that say a period has passed.
OVERDUE_RULES = [
    code
    for code, rule in CATALOGUE.items()
    if (rule.group == Group.DEADLINE and code.endswith("OVERDUE")) or code in ("S-SEIZURE-OVERDUE", "S-PAYMENT-OVERDUE")
]


def _month_start(today, months_back):
    year, month = today.year, today.month - months_back
    while month <= 0:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def months(today=None):
    today = today or timezone.localdate()
    return [_month_start(today, n).strftime("%Y-%m") for n in range(TREND_MONTHS - 1, -1, -1)]


def compute(today=None):
    """[(agency id, metric, key, value)] for every agency."""
    today = today or timezone.localdate()
    rows = []
    for agency_id, state, n in Case.objects.order_by().values_list("agency_id", "state").annotate(n=Count("pk")):
        rows.append((agency_id, CASES_BY_STATE, state, n))
    alerts = Alert.objects.order_by()
    for agency_id, rule, n in (
        alerts.filter(state__in=ACTIVE_STATES).values_list("agency_id", "rule").annotate(n=Count("pk"))
    ):
        rows.append((agency_id, ACTIVE_ALERTS_BY_RULE, rule, n))
    for agency_id, rule, n in alerts.values_list("agency_id", "rule").annotate(n=Count("pk")):
        rows.append((agency_id, ALERTS_BY_RULE, rule, n))
    since = timezone.make_aware(datetime.datetime.combine(_month_start(today, TREND_MONTHS - 1), datetime.time()))
    monthly = (
        alerts.filter(raised_at__gte=since)
        .annotate(month=TruncMonth("raised_at"))
        .values_list("agency_id", "month")
        .annotate(n=Count("pk"))
    )
    for agency_id, month, n in monthly:
        rows.append((agency_id, ALERTS_BY_MONTH, f"{month:%Y-%m}", n))
    evaluated = (
        DossierEvaluation.objects.order_by()
        .filter(finalized_at__isnull=False)
        .values_list("agency_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    )
    for agency_id, n, passed in evaluated:
        rows.append((agency_id, EVALUATIONS, "evaluated", n))
        rows.append((agency_id, EVALUATIONS, "passed", passed))
    return rows


@transaction.atomic
def refresh(today=None):
    now = timezone.now()
    rows = compute(today)
    DashboardFigure.objects.all().delete()
    DashboardFigure.objects.bulk_create(
        (DashboardFigure(agency_id=a, metric=m, key=k, value=v, computed_at=now) for a, m, k, v in rows),
        batch_size=5000,
    )
    return len(rows)


def drill_cases(cases, *, state="", rule="", group="", alert_state="", month="", evaluation=""):
    """The cases behind a figure: the same definitions as compute()."""
    if state:
        cases = cases.filter(state=state)
    rules = [rule] if rule else ([c for c, r in CATALOGUE.items() if r.group == group] if group else [])
    if group == "overdue":
        rules = OVERDUE_RULES
    if rules or alert_state or month:
        alerts = Alert.objects.all()
        if rules:
            alerts = alerts.filter(rule__in=rules)
        if alert_state == "active":
            alerts = alerts.filter(state__in=ACTIVE_STATES)
        elif alert_state:
            alerts = alerts.filter(state=alert_state)
        if month:
            year, mon = (int(x) for x in month.split("-"))
            start = timezone.make_aware(datetime.datetime(year, mon, 1))
            end = timezone.make_aware(datetime.datetime(year + (mon == 12), mon % 12 + 1, 1))
            alerts = alerts.filter(raised_at__gte=start, raised_at__lt=end)
        cases = cases.filter(pk__in=alerts.values("case_id"))
    if evaluation:
        evaluations = DossierEvaluation.objects.filter(finalized_at__isnull=False)
        if evaluation == "passed":
            evaluations = evaluations.filter(passed=True)
        elif evaluation == "failed":
            evaluations = evaluations.filter(passed=False)
        cases = cases.filter(pk__in=evaluations.values("case_id"))
    return cases
