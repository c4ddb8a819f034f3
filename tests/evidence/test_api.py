"""The evidence API: the same handler, checks and refusals as the browser; tokens for phones."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from evidence.models import EvidenceAccess, EvidenceItem
from tests.evidence import samples
from tests.evidence.helpers import API, digests, make_item, open_case
from tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def token_client(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer.user).key}")
    return client


def payload(content, name="现场.jpg", **overrides):
    data = {
        "kind": "electronic",
        "title": "微信聊天记录截图",
        "proves": "当事人承认销售。",
        "collected_at": (timezone.now() - datetime.timedelta(hours=30)).isoformat(),
        "collected_place": "当事人经营场所",
        **overrides,
    }
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    return data


@pytest.fixture
def case(world):
    return open_case(world)


def test_upload_with_a_token_returns_the_item_with_its_digests(case, world):
    response = token_client(world.handler1).post(
        f"{API}/cases/{case.pk}/evidence/", payload(samples.PNG, collected_by=world.handler2.pk), format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["sha256"], body["sm3"]) == digests(samples.PNG)
    assert body["content_type"] == "image/png" and body["kind_display"] == "电子数据"
    assert body["late_upload"] is True
    assert body["collected_by"] == world.handler2.pk and body["uploaded_by"] == world.handler1.pk
    assert body["file_url"].endswith(f"/api/v1/evidence/{body['id']}/file/")
    assert EvidenceItem.objects.get().file.name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (samples.EXE, "photo.jpg", "file_type_not_allowed"),
        (b"", "empty.jpg", "file_empty"),
        (None, "", "file_missing"),
    ],
)
def test_refused_uploads_answer_400_with_code_and_chinese_detail(case, world, content, name, code):
    response = token_client(world.handler1).post(
        f"{API}/cases/{case.pk}/evidence/", payload(content, name), format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["field"] == "file"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    assert EvidenceItem.objects.count() == 0


def test_oversized_upload_is_400(case, world, settings):
    settings.MAX_UPLOAD_SIZE = 100
    response = token_client(world.handler1).post(
        f"{API}/cases/{case.pk}/evidence/", payload(samples.JPEG), format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert "文件超过大小上限" in response.json()["detail"]


def test_archived_case_is_400_case_archived(world):
    case = open_case(world, state="archived")
    response = token_client(world.handler1).post(
        f"{API}/cases/{case.pk}/evidence/", payload(samples.JPEG), format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"code": "case_archived", "detail": "案件已归档，不能再补充证据。", "field": None}


def test_session_upload_needs_the_csrf_token(case, world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.handler1.user)
    response = client.post(f"{API}/cases/{case.pk}/evidence/", payload(samples.JPEG), format="multipart")
    assert response.status_code == 403
    assert EvidenceItem.objects.count() == 0


def test_list_detail_and_file_in_scope_with_every_read_recorded(case, world):
    item = make_item(case, world.handler1, samples.JPEG)
    client = token_client(world.handler2)
    listing = client.get(f"{API}/cases/{case.pk}/evidence/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [item.pk]
    detail = client.get(f"{API}/evidence/{item.pk}/")
    assert detail.status_code == 200 and detail.json()["sm3"] == item.sm3
    file = client.get(f"{API}/evidence/{item.pk}/file/", HTTP_RANGE="bytes=0-3")
    assert file.status_code == 206
    assert b"".join(file.streaming_content) == samples.JPEG[:4]
    assert list(EvidenceAccess.objects.order_by("pk").values_list("action", flat=True)) == ["view", "download"]


def test_scope_404_for_strangers_403_for_supervisors(case, world, regions):
    item = make_item(case, world.handler1, samples.JPEG)
    stranger = token_client(OfficerFactory(agency=world.other_agency))
    for url in (f"{API}/cases/{case.pk}/evidence/", f"{API}/evidence/{item.pk}/", f"{API}/evidence/{item.pk}/file/"):
        assert stranger.get(url).status_code == 404, url
    assert (
        stranger.post(f"{API}/cases/{case.pk}/evidence/", payload(samples.JPEG), format="multipart").status_code == 404
    )
    supervisor = token_client(
        OfficerFactory(agency=AgencyFactory(region=regions["city"], sector="justice"), is_supervisor=True)
    )
    assert supervisor.get(f"{API}/evidence/{item.pk}/").status_code == 200
    refused = supervisor.post(f"{API}/cases/{case.pk}/evidence/", payload(samples.JPEG), format="multipart")
    assert refused.status_code == 403
    assert "无权为其上传证据" in refused.json()["detail"]
    assert APIClient().get(f"{API}/evidence/{item.pk}/").status_code == 401
    assert EvidenceItem.objects.count() == 1


def test_schema_lists_the_evidence_endpoints_and_stays_valid(world):
    client = APIClient()
    client.force_authenticate(world.handler1.user)
    schema = client.get(f"{API}/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert {f"{API}/cases/{{case_pk}}/evidence/", f"{API}/evidence/{{id}}/", f"{API}/evidence/{{id}}/file/"} <= set(
        schema["paths"]
    )
    assert (
        "multipart/form-data" in schema["paths"][f"{API}/cases/{{case_pk}}/evidence/"]["post"]["requestBody"]["content"]
    )
