"""Every indicator against a straightforward pandas computation on generated data.

The demo jurisdiction plus generated history (analytics.demo, a few hundred cases with complaints,
evaluations and remedies) is computed by the full recompute; the test then recomputes each value
from plain frames of the source tables with the textbook pandas operations and compares them
for every agency and region, every month, quarter and the year.
"""

import datetime

import pandas as pd
import pytest
from django.apps import apps
from django.utils import timezone

from analytics import demo
from analytics.compute import refresh
from analytics.indicators import VIOLATION_KINDS
from analytics.models import IndicatorValue
from analytics.periods import periods_of_year
from cases.models import Case, Remedy
from lawenforce.demo import seed
from lawenforce.models import Agency, Certificate, PowerItem, Region

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def generated():
    seed.run()
    demo.generate(600, end=datetime.date(2025, 12, 31))
    refresh.full(Region.objects.get(code="370000"), YEAR)


def _frames():
    cases = pd.DataFrame(
        Case.objects.values("pk", "agency_id", "power_item_id", "filed_on", "decided_on", "decision_kind")
    )
    cases["handled_on"] = cases.filed_on.fillna(cases.decided_on)
    handlers = pd.DataFrame(list(Case.handlers.through.objects.values("case_id", "officer_id")))
    local = lambda s: pd.to_datetime(s).dt.tz_convert("Asia/Shanghai").dt.date  # noqa: E731
    complaints = pd.DataFrame(
        apps.get_model("disclosure", "Complaint").objects.values(
            "agency_id", "power_item_id", "received_at", "accepted_on", "state", "case__decided_on"
        )
    )
    complaints["received_on"] = local(complaints.received_at)
    evaluations = pd.DataFrame(
        apps.get_model("supervision", "DossierEvaluation")
        .objects.filter(passed__isnull=False)
        .values("case__agency_id", "passed", "finalized_at")
    )
    evaluations["finalized_on"] = local(evaluations.finalized_at)
    remedies = pd.DataFrame(Remedy.objects.exclude(outcome="").values("case__agency_id", "overturned", "outcome_on"))
    certificates = pd.DataFrame(
        Certificate.objects.filter(
            officer__active=True, officer__is_supervisor=False, status__in=["valid", "expired"]
        ).values("officer_id", "officer__agency_id", "valid_from", "valid_to")
    )
    return cases, handlers, complaints, evaluations, remedies, certificates


def _between(series, period):
    return (series >= period.start) & (series <= period.end)


def expected(agency_ids, period, frames):
    """{indicator: (numerator, denominator, value)} for the union of `agency_ids`, the plain way."""
    cases, handlers, complaints, evaluations, remedies, certificates = frames
    mine = cases[cases.agency_id.isin(agency_ids)]
    handled = mine[mine.handled_on.notna() & _between(mine.handled_on, period)]
    decided = mine[mine.decided_on.notna() & _between(mine.decided_on, period)]
    violations = decided[decided.decision_kind.isin(VIOLATION_KINDS)]
    penalties = decided[decided.decision_kind == "penalty"]
    out = {}
    day = period.stock_day()
    certified = set(
        certificates[
            certificates.officer__agency_id.isin(agency_ids)
            & (certificates.valid_from <= day)
            & (certificates.valid_to >= day)
        ].officer_id
    )
    busy = set(handlers[handlers.case_id.isin(handled.pk)].officer_id)
    out["cases_per_officer"] = (len(handled), len(certified))
    out["officer_engagement"] = (len(certified & busy), len(certified))
    out["violation_count"] = (len(violations), None)
    # Provisions: the penalty items the agencies hold, and those used by penalty decisions.
    through = PowerItem.provisions.through
    held_items = set(
        PowerItem.agencies.through.objects.filter(
            agency_id__in=agency_ids, poweritem__action_category="penalty"
        ).values_list("poweritem_id", flat=True)
    )
    available = set(through.objects.filter(poweritem_id__in=held_items).values_list("legalprovision_id", flat=True))
    used = set(
        through.objects.filter(poweritem_id__in=set(penalties.power_item_id.dropna())).values_list(
            "legalprovision_id", flat=True
        )
    )
    out["provision_usage"] = (len(used & available), len(available))
    counts = violations.power_item_id.dropna().value_counts()
    if len(violations):
        top = counts.sort_index().sort_values(ascending=False, kind="stable")
        out["violation_type_rate"] = (int(top.iloc[0]) if len(top) else 0, len(violations))
    k = complaints[complaints.agency_id.isin(agency_ids) & _between(complaints.received_on, period)]
    accepted = k[k.accepted_on.notna() & ~k.state.isin(["rejected", "transferred"])]
    if len(accepted):
        out["complaint_case_rate"] = (int(accepted.case__decided_on.notna().sum()), len(accepted))
    c = handled.power_item_id.dropna().value_counts(normalize=True)
    q = k.power_item_id.dropna().value_counts(normalize=True)
    if len(c) and len(q):
        both = pd.concat([c, q], axis=1).fillna(0)
        out["focus_match"] = (int(handled.power_item_id.notna().sum()), int(k.power_item_id.notna().sum()), both.min(axis=1).sum())
    e = evaluations[evaluations.case__agency_id.isin(agency_ids) & _between(evaluations.finalized_on, period)]
    if len(e):
        out["evaluation_pass_rate"] = (int(e.passed.sum()), len(e))
    r = remedies[remedies.case__agency_id.isin(agency_ids) & _between(remedies.outcome_on, period)]
    if len(r):
        out["remedy_loss_rate"] = (int(r.overturned.sum()), len(r))
    return out


def _stored(scope_filter, period):
    rows = IndicatorValue.objects.filter(**scope_filter, period_kind=period.kind, year=period.year, number=period.number)
    return {v.indicator: v for v in rows}


def _check(stored, wanted, label):
    for code, numbers in wanted.items():
        row = stored.get(code)
        if numbers[0] == 0 and (numbers[1] in (0, None)) and code != "violation_count":
            continue
        assert row is not None, (label, code)
        assert (row.numerator, row.denominator) == numbers[:2], (label, code)
        if code == "focus_match":
            assert float(row.value) == pytest.approx(numbers[2], abs=1e-6), (label, code)


def test_every_indicator_matches_a_plain_pandas_computation(generated):
    frames = _frames()
    assert len(frames[2]) and len(frames[3]) and len(frames[4])  # complaints, evaluations, remedies exist
    agencies = list(Agency.objects.exclude(sector="justice").select_related("region"))
    periods = periods_of_year(YEAR)
    checked = 0
    for agency in agencies:
        for period in periods:
            _check(_stored({"agency": agency}, period), expected([agency.pk], period, frames), (agency.name, period))
            checked += 1
    for region in Region.objects.all():
        ids = [a.pk for a in agencies if a.region.path.startswith(region.path)]
        for period in periods:
            _check(_stored({"region": region}, period), expected(ids, period, frames), (region.name, period))
            checked += 1
    assert checked > 500
    assert timezone.localdate() > datetime.date(YEAR, 12, 31)  # the stock day is the period's end
