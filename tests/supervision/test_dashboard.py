"""The dashboard reads precomputed figures scoped by region; every number leads to its cases;
the performance evaluation scores agencies by the scheme and exports to Excel."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import CaseState
from supervision import engine
from supervision.dashboard import figures
from supervision.models import DashboardFigure, PerformanceScheme
from supervision.services import performance

from .conftest import login
from .factories import D, decided, filed

pytestmark = pytest.mark.django_db


def data(world, n):
    for _ in range(n):
        filed(world, filed_on=D(2026, 1, 5))
        decided(world, fine=Decimal("150000"))
        filed(world, state=CaseState.CLOSED, closed_on=D(2026, 3, 2))
    engine.run(today=D(2026, 6, 1))
    figures.refresh()


def _dashboard(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("supervision:dashboard"))
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_the_dashboard_counts_from_the_figures_and_links_to_the_cases_behind_them(client, world, bureaus):
    data(world, 2)
    response, _ = _dashboard(login(client, bureaus.city_supervisor))
    states = {s["key"]: s for s in response.context["states"]}
    assert states["investigating"]["value"] == 2
    drill = client.get(states["investigating"]["url"])
    assert drill.context["page"].paginator.count == 2
    overdue = next(r for r in response.context["rules"] if r["code"] == "S-DECISION-OVERDUE")
    assert overdue["active"] == 2
    assert client.get(overdue["url"]).context["page"].paginator.count == 2
    from supervision.models import Alert

    behind = set(Alert.objects.filter(rule__in=figures.OVERDUE_RULES, state="open").values_list("case_id", flat=True))
    assert client.get(response.context["overdue_url"]).context["page"].paginator.count == len(behind) > 0


def test_the_dashboard_does_not_count_cases_on_a_page_view(client, world, bureaus):
    data(world, 1)
    filed(world, filed_on=D(2026, 1, 5))  # after the refresh: not on the dashboard until the next one
    response, _ = _dashboard(login(client, bureaus.city_supervisor))
    assert response.context["total_cases"] == 3
    figures.refresh()
    response, _ = _dashboard(client)
    assert response.context["total_cases"] == 4


def test_the_dashboard_of_another_city_shows_nothing_of_this_one(client, world, bureaus):
    data(world, 1)
    response, _ = _dashboard(login(client, bureaus.other_supervisor))
    assert response.context["total_cases"] == 0
    assert client.get(reverse("supervision:cases") + "?region=370800").context["page"].paginator.count == 0


def test_the_dashboard_runs_the_same_queries_for_little_and_much_data(client, world, bureaus):
    login(client, bureaus.city_supervisor)
    data(world, 1)
    _, few = _dashboard(client)
    data(world, 10)
    _, many = _dashboard(client)
    assert DashboardFigure.objects.count() > 5
    assert few == many


def test_the_drill_down_list_runs_the_same_queries_for_few_and_many_cases(client, world, bureaus):
    login(client, bureaus.city_supervisor)
    data(world, 1)
    url = reverse("supervision:cases") + "?alert_state=active"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    data(world, 12)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_performance_evaluation_scores_by_the_scheme_and_exports_to_excel(client, world, bureaus):
    data(world, 2)
    scheme = PerformanceScheme.objects.get()
    run = performance.evaluate(bureaus.city_supervisor.user, scheme, D(2026, 1, 1), D(2026, 12, 31))
    score = run.scores.get(agency=world.agency)
    by_label = {b["label"]: b for b in score.breakdown}
    assert sum(Decimal(b["points"]) for b in score.breakdown) == score.total
    # Two high alerts per decided case (no review is required here, fine above the maximum, …): 2 points each.
    high = by_label["严重预警"]
    assert Decimal(high["points"]) == max(Decimal(20) - 2 * int(high["raw"]), Decimal(0))
    assert by_label["案卷评查合格率"]["note"]  # no evaluation in the period: full points, said so
    response = login(client, bureaus.city_supervisor).get(reverse("supervision:performance-export", args=[run.pk]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["考核结果"].values)
    assert any(r[1] == world.agency.name and Decimal(str(r[-1])) == score.total for r in rows[2:])


def test_the_rate_and_deduction_arithmetic():
    rate = {"points": "20", "method": "rate", "per_unit": "0"}
    assert performance.score_item(rate, (3, 4))[0] == Decimal("15.00")
    assert performance.score_item(rate, (0, 0))[0] == Decimal("20")
    deduct = {"points": "20", "method": "deduct", "per_unit": "2"}
    assert performance.score_item(deduct, 3)[0] == Decimal("14.00")
    assert performance.score_item(deduct, 30)[0] == Decimal("0.00")
