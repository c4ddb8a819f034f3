"""/api/v1/supervision/: the same scope, lifecycle and refusals as the pages."""

import pytest
from rest_framework.test import APIClient

from supervision import engine
from supervision.models import Alert
from supervision.rules import CATALOGUE
from tests.factories import OfficerFactory

from .factories import D, filed

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


def client_for(officer):
    client = APIClient()
    client.force_authenticate(officer.user)
    return client


def _alert(world):
    case = filed(world, filed_on=D(2026, 1, 5))
    engine.run(
        rules=[CATALOGUE["S-DECISION-OVERDUE"]], cases=type(case).objects.filter(pk=case.pk), today=D(2026, 6, 1)
    )
    return Alert.objects.get(case=case)


def test_an_agency_lists_and_rectifies_its_alert_through_the_api(world):
    alert = _alert(world)
    client = client_for(world.handler1)
    listed = client.get(f"{API}/alerts/").json()
    assert [a["id"] for a in listed["results"]] == [alert.pk]
    assert "2026-04-07" in listed["results"][0]["description"]
    response = client.post(f"{API}/alerts/{alert.pk}/rectify/", {"text": "已依法作出决定。"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "rectified"


def test_a_refusal_answers_400_with_the_chinese_message(world):
    alert = _alert(world)
    response = client_for(world.handler1).post(f"{API}/alerts/{alert.pk}/rectify/", {"text": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请填写整改情况")


def test_out_of_scope_alerts_are_not_found(world):
    alert = _alert(world)
    stranger = client_for(OfficerFactory(agency=world.other_agency))
    assert stranger.get(f"{API}/alerts/{alert.pk}/").status_code == 404
    assert stranger.get(f"{API}/alerts/").json()["count"] == 0
    assert stranger.post(f"{API}/alerts/{alert.pk}/rectify/", {"text": "x"}, format="json").status_code == 404


def test_the_api_needs_authentication(world):
    assert APIClient().get(f"{API}/alerts/").status_code == 401
