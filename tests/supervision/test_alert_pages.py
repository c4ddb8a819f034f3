"""Alerts in the browser: who sees which, the lifecycle, refusals that keep the input, and
query counts that do not grow with the number of alerts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision import engine
from supervision.models import Alert
from supervision.rules import CATALOGUE

from .conftest import login
from .factories import D, decided, filed

pytestmark = pytest.mark.django_db


def overdue_alert(world, **kwargs):
    case = filed(world, filed_on=D(2026, 1, 5), **kwargs)
    engine.run(
        rules=[CATALOGUE["S-DECISION-OVERDUE"]], cases=type(case).objects.filter(pk=case.pk), today=D(2026, 6, 1)
    )
    return Alert.objects.get(case=case)


def test_supervisors_see_alerts_of_their_region_and_below_only(client, world, bureaus):
    alert = overdue_alert(world)
    url = reverse("supervision:alert", args=[alert.pk])
    for officer in (bureaus.city_supervisor, bureaus.county_supervisor, world.handler1):
        assert login(client, officer).get(url).status_code == 200
    assert login(client, bureaus.other_supervisor).get(url).status_code == 404
    assert (
        login(client, bureaus.other_supervisor).get(reverse("supervision:alerts")).context["page"].paginator.count == 0
    )


def test_an_officer_of_another_agency_cannot_reach_the_alert_by_url(client, world):
    from tests.factories import OfficerFactory

    alert = overdue_alert(world)
    stranger = OfficerFactory(agency=world.other_agency)
    assert login(client, stranger).get(reverse("supervision:alert", args=[alert.pk])).status_code == 404
    response = client.post(reverse("supervision:alert-action", args=[alert.pk, "rectify"]), {"text": "已整改"})
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.state == "open"


def test_the_alert_page_shows_the_facts_and_the_article(client, world, bureaus):
    alert = overdue_alert(world)
    page = login(client, bureaus.city_supervisor).get(reverse("supervision:alert", args=[alert.pk])).content.decode()
    assert "2026-04-07" in page and "《行政处罚法》第六十条" in page


def test_notify_then_the_agency_rectifies(client, world, bureaus):
    alert = overdue_alert(world)
    login(client, bureaus.city_supervisor).post(
        reverse("supervision:alert-action", args=[alert.pk, "notify"]), {"text": ""}
    )
    alert.refresh_from_db()
    assert alert.state == "notified" and alert.notified_at
    login(client, world.handler1).post(
        reverse("supervision:alert-action", args=[alert.pk, "rectify"]),
        {"text": "已作出决定，并对承办人进行了提醒谈话。"},
    )
    alert.refresh_from_db()
    assert alert.state == "rectified" and alert.resolved_by == world.handler1
    assert [e.kind for e in alert.entries.all()] == ["notified", "rectified"]


def test_dismissing_without_a_reason_is_refused_and_the_form_comes_back(client, world, bureaus):
    alert = overdue_alert(world)
    response = login(client, bureaus.city_supervisor).post(
        reverse("supervision:alert-action", args=[alert.pk, "dismiss"]), {"text": " "}
    )
    assert response.status_code == 400
    assert "请填写撤销预警的理由" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == "open"


def test_an_agency_cannot_dismiss_its_own_alert(client, world):
    alert = overdue_alert(world)
    response = login(client, world.head).post(
        reverse("supervision:alert-action", args=[alert.pk, "dismiss"]), {"text": "不认可"}
    )
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.state == "open"


def test_a_supervisor_cannot_rectify_for_the_agency(client, world, bureaus):
    alert = overdue_alert(world)
    response = login(client, bureaus.city_supervisor).post(
        reverse("supervision:alert-action", args=[alert.pk, "rectify"]), {"text": "x"}
    )
    assert response.status_code == 400


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("supervision:alerts")).status_code == 200
    return len(ctx.captured_queries)


def test_the_alert_list_runs_the_same_queries_for_few_and_many_alerts(client, world, bureaus):
    login(client, bureaus.city_supervisor)
    for _ in range(2):
        decided(world, is_major=True, fine=150000)
    engine.run(today=D(2026, 6, 1))
    few = _list_queries(client)
    for _ in range(15):
        decided(world, is_major=True, fine=150000)
    engine.run(today=D(2026, 6, 1))
    assert Alert.objects.count() > 30
    assert _list_queries(client) == few


def test_the_rule_catalogue_lists_every_rule_with_its_article(client, world):
    page = login(client, world.handler1).get(reverse("supervision:rules")).content.decode()
    for code in CATALOGUE:
        assert code in page
    assert "补录判定 3 日" in page


def test_the_timeline_of_the_case_shows_the_alert(client, world, bureaus):
    alert = overdue_alert(world)
    page = (
        login(client, bureaus.county_supervisor).get(reverse("cases:timeline", args=[alert.case_id])).content.decode()
    )
    assert "监督预警：超过作出处罚决定期限" in page
    assert reverse("supervision:alert", args=[alert.pk]) in page


def test_pages_need_a_login_and_supervisor_pages_a_supervisor(client, world):
    assert client.get(reverse("supervision:alerts")).status_code == 302
    login(client, world.handler1)
    for name in (
        "supervision:dashboard",
        "supervision:samples",
        "supervision:performance-list",
        "supervision:notice-new",
    ):
        if name == "supervision:samples":
            continue  # evaluators of any agency see their own assignments there
        assert client.get(reverse(name)).status_code == 403, name
