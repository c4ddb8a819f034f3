"""The read-only public API /api/v1/public/penalties/: anonymous, published records only, cursor
paged, filtered like the search, rate limited (429), and described in the OpenAPI schema."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from disclosure.models import DisclosureState
from tests.disclosure.record_factories import record

pytestmark = pytest.mark.django_db
API = "/api/v1/public/penalties/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_clients_read_published_records_only(client, world):
    shown = record(world, party_name="甲公司")
    record(world, party_name="待公示公司", state=DisclosureState.PENDING)
    record(world, party_name="撤下公司", state=DisclosureState.WITHDRAWN, withdrawn_at=timezone.now())
    record(world, party_name="期满公司", publish_until=timezone.localdate() - datetime.timedelta(days=1))
    response = client.get(API)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["party_name"] for r in results] == ["甲公司"]
    assert results[0]["public_id"] == str(shown.public_id)
    assert results[0]["fine_amount"] == "10000.00"
    assert "case" not in results[0] and "party" not in results[0] and "ledger_index" not in results[0]


def test_detail_by_public_id_and_404_for_anything_unpublished(client, world):
    shown = record(world)
    assert client.get(f"{API}{shown.public_id}/").json()["decision_number"] == shown.decision_number
    for state in (DisclosureState.PENDING, DisclosureState.EXEMPT, DisclosureState.WITHDRAWN, DisclosureState.EXPIRED):
        hidden = record(world, state=state)
        assert client.get(f"{API}{hidden.public_id}/").status_code == 404
    assert client.get(f"{API}{shown.pk}/").status_code == 404


def test_cursor_pages_and_filters(client, world):
    for i in range(7):
        record(world, party_name=f"宏达公司{i}", decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
    record(world, party_name="鑫源公司", decided_on=datetime.date(2025, 12, 20))
    first = client.get(API, {"q": "宏达", "page_size": 5}).json()
    assert [r["party_name"] for r in first["results"]] == [f"宏达公司{i}" for i in (6, 5, 4, 3, 2)]
    second = client.get(first["next"]).json()
    assert [r["party_name"] for r in second["results"]] == ["宏达公司1", "宏达公司0"]
    assert second["next"] is None
    dated = client.get(API, {"date_to": "2025-12-31"}).json()["results"]
    assert [r["party_name"] for r in dated] == ["鑫源公司"]


def test_bad_filters_answer_400_in_chinese(client, world):
    response = client.get(API, {"uscc": "123", "date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    errors = response.json()
    assert "统一社会信用代码应为 18 位" in errors["uscc"][0]
    assert "晚于“决定日期至”" in errors["__all__"][0]


def test_rate_limit_answers_429(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public_penalties": "3/min"},
    }
    from rest_framework.throttling import ScopedRateThrottle

    rates = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {"public_penalties": "3/min"}
    try:
        codes = [client.get(API).status_code for _ in range(4)]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = rates
    assert codes == [200, 200, 200, 429]


def test_the_openapi_schema_describes_the_public_endpoints(client, admin_user):
    client.force_login(admin_user)
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/public/penalties/" in schema["paths"]
    operation = schema["paths"]["/api/v1/public/penalties/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "uscc", "region", "date_from", "cursor"}
    assert "/api/v1/public/penalties/{public_id}/" in schema["paths"]
