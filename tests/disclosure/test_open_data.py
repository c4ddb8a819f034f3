"""Open data: CSV (UTF-8 with BOM) and JSON, streamed, same filters as the search, published
records only, masked columns only; no natural person's ID number or phone ever leaves the platform."""

import csv
import datetime
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from disclosure import opendata
from disclosure.models import DisclosureState, PartyCategory
from tests.cases.factories import PersonPartyFactory, decided_case
from tests.disclosure.record_factories import record

pytestmark = pytest.mark.django_db
CSV = "/public/penalties/export.csv"
JSON = "/public/penalties/export.json"


def body(response):
    assert isinstance(response, StreamingHttpResponse)  # streamed, never built whole in memory
    return b"".join(response.streaming_content)


def csv_rows(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel opens the Chinese headers correctly
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_the_public_columns_and_the_filtered_published_rows(client, world):
    a = record(world, party_name="济宁宏达建材有限公司", decided_on=datetime.date(2026, 3, 1))
    record(world, party_name="任城区鑫源五金经营部", decided_on=datetime.date(2026, 2, 1))
    record(world, party_name="济宁宏达待公示建材公司", state=DisclosureState.PENDING)
    response = client.get(CSV, {"q": "宏达"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [str(label) for _field, label in opendata.PUBLIC_COLUMNS]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["行政相对人名称"] == "济宁宏达建材有限公司"
    assert row["罚款金额（元）"] == "10000.00"  # the Decimal's scale is kept
    assert row["公开编号"] == str(a.public_id) and row["公示内容摘要"] == a.digest
    assert len(csv_rows(client.get(CSV, {"sort": "newest"}))) == 3


def test_json_is_one_document_with_the_same_rows(client, world):
    record(world, party_name="甲公司", decided_on=datetime.date(2026, 1, 5))
    record(world, party_name="乙公司", decided_on=datetime.date(2026, 2, 5))
    record(world, party_name="撤下公司", state=DisclosureState.WITHDRAWN, withdrawn_at=timezone.now())
    response = client.get(JSON, {"sort": "newest"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    assert [r["party_name"] for r in data["records"]] == ["乙公司", "甲公司"]
    assert set(data["records"][0]) == set(opendata.FIELDS)
    assert data["records"][0]["fine_amount"] == "10000.00"
    assert data["records"][0]["decided_on"] == "2026-02-05"
    filtered = json.loads(body(client.get(JSON, {"date_from": "2026-02-01"})))
    assert [r["party_name"] for r in filtered["records"]] == ["乙公司"]
    assert filtered["meta"]["filters"]["date_from"] == "2026-02-01"
    assert json.loads(body(client.get(JSON, {"q": "没有这家"})))["records"] == []


def test_exports_refuse_bad_filters_with_the_form(client, world):
    response = client.get(CSV, {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert "晚于“决定日期至”" in response.content.decode()


def test_a_natural_persons_id_number_and_phone_appear_nowhere(client, world):
    """The raw case party has an ID number, a phone and an address; the public copy is masked."""
    case = decided_case(world)
    person = PersonPartyFactory(case=case, name="张三丰", phone="13912345678", address="济宁市任城区某街道某号")
    obj = record(
        world,
        case=case,
        party=person,
        party_name="张某某",
        party_category=PartyCategory.NATURAL_PERSON,
        legal_representative="",
    )
    secrets = [person.id_number, person.phone, person.address, "张三丰", person.id_number[-6:]]
    pages = [
        client.get("/public/penalties/", {"q": "张"}).content,
        client.get(reverse("public-penalties:detail", args=[obj.public_id])).content,
        body(client.get(CSV, {"sort": "newest"})),
        body(client.get(JSON, {"sort": "newest"})),
        client.get("/api/v1/public/penalties/").content,
        client.get(f"/api/v1/public/penalties/{obj.public_id}/").content,
    ]
    for content in pages:  # every output shows the record, masked
        assert "张某某" in content.decode("utf-8")
    for content in pages:
        text = content.decode("utf-8")
        for secret in secrets:
            assert secret not in text
