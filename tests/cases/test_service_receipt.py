"""A receipt (存证回执) is issued with every served decision and can be checked offline (issue 4)."""

import datetime
import json
import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from cases import workflow
from cases.documents import generate
from cases.models import DocumentKind, ServiceMethod
from lawenforce.ledger import log, signing, verify
from lawenforce.models import Checkpoint
from tests.cases.factories import decided_case
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _media_and_key(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.LEDGER_ORIGIN = "zfpt.example.gov.cn/ledger"
    key = signing.SigningKey.generate(settings.LEDGER_ORIGIN, "sm2")
    settings.LEDGER_SIGNING_KEY = key.to_string()
    return key


@pytest.fixture
def key(_media_and_key):
    return _media_and_key


def serve(case, world):
    return workflow.serve_decision(
        case, world.handler1, method=ServiceMethod.DIRECT, served_on=D(2026, 3, 3), recipient="王某"
    )


def test_serving_attaches_the_decision_documents_receipt(world, key):
    case = decided_case(world)
    document = generate(case, DocumentKind.PENALTY_DECISION, world.head)
    assert not Checkpoint.objects.exists()  # nothing covers the document yet: one is signed on demand
    service = serve(case, world)
    service.refresh_from_db()
    entry = log.LedgerEntry.objects.get(index=service.ledger_index)
    assert (entry.kind, entry.object_pk) == ("document", str(document.pk))
    assert service.receipt_checkpoint.size > service.ledger_index

    receipt = workflow.service_receipt(service)
    pdf = document.file.open("rb").read()
    assert verify.verify_receipt(receipt, document=pdf, key=key.vkey, out=open("/dev/null", "w"))
    assert receipt["document"]["sha256"] == document.sha256 and receipt["service"]["recipient"] == "王某"
    # Another file, or a proof changed in transit, does not pass.
    assert not verify.verify_receipt(receipt, document=pdf + b"x", out=open("/dev/null", "w"))
    forged = json.loads(json.dumps(receipt))
    forged["proof"]["proof"][0] = "00" * 32
    assert not verify.verify_receipt(forged, out=open("/dev/null", "w"))
    other_key = signing.SigningKey.generate("zfpt.example.gov.cn/ledger", "sm2")
    assert not verify.verify_receipt(receipt, key=other_key.vkey, out=open("/dev/null", "w"))


def test_a_covering_checkpoint_is_reused(world):
    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    existing = log.make_checkpoint()
    service = serve(case, world)
    assert service.receipt_checkpoint == existing and Checkpoint.objects.count() == 1


def test_the_case_page_shows_the_receipt_and_it_downloads_and_verifies_offline(client, world, key, tmp_path):
    case = decided_case(world)
    document = generate(case, DocumentKind.PENALTY_DECISION, world.head)
    service = serve(case, world)
    client.force_login(world.handler1.user)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    url = f"/cases/{case.pk}/services/{service.pk}/receipt.json"
    assert f"决定书日志序号 {service.ledger_index}" in html and url in html

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    receipt_file, pdf_file = tmp_path / "receipt.json", tmp_path / "decision.pdf"
    receipt_file.write_bytes(response.content)
    pdf_file.write_bytes(document.file.open("rb").read())
    command = [sys.executable, "-m", "lawenforce.ledger.verify", "receipt", str(receipt_file)]
    checked = subprocess.run([*command, "--document", str(pdf_file), "--key", key.vkey], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OK 文书" in checked.stdout and "OK 检查点: 签名有效" in checked.stdout
    pdf_file.write_bytes(b"%PDF-1.7 another document")
    assert subprocess.run([*command, "--document", str(pdf_file)], capture_output=True).returncode == 1


def test_the_serve_step_api_answers_with_the_receipt(world, key):
    case = decided_case(world)
    document = generate(case, DocumentKind.PENALTY_DECISION, world.head)
    api = APIClient()
    api.force_authenticate(world.handler1.user)
    response = api.post(
        f"/api/v1/cases/{case.pk}/serve/",
        {"method": "direct", "served_on": "2026-03-03", "recipient": "王某"},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()
    service = response.json()["services"][-1]
    receipt = service["receipt"]
    assert receipt["index"] == service["ledger_index"] and receipt["document"]["number"] == document.number
    assert service["receipt_url"].endswith(f"/cases/{case.pk}/services/{service['id']}/receipt.json")
    assert verify.verify_receipt(receipt, document=document.file.open("rb").read(), key=key.vkey)


def test_outside_the_scope_the_receipt_is_not_found(client, world):
    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    service = serve(case, world)
    client.force_login(OfficerFactory(agency=world.other_agency).user)
    assert client.get(f"/cases/{case.pk}/services/{service.pk}/receipt.json").status_code == 404


def test_without_a_decision_document_the_page_says_there_is_no_receipt(client, world):
    case = decided_case(world)
    service = serve(case, world)
    assert service.ledger_index is None and service.receipt_checkpoint is None
    client.force_login(world.handler1.user)
    assert "没有存证回执" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.get(f"/cases/{case.pk}/services/{service.pk}/receipt.json", follow=True)
    assert "请先生成决定书文书" in response.content.decode()


def test_without_a_signing_key_the_service_stands_and_the_receipt_says_why(client, world, settings):
    settings.LEDGER_SIGNING_KEY = ""
    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    service = serve(case, world)
    assert service.ledger_index is not None and service.receipt_checkpoint is None
    client.force_login(world.handler1.user)
    assert "签名检查点待出具" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.get(f"/cases/{case.pk}/services/{service.pk}/receipt.json", follow=True)
    assert "LEDGER_SIGNING_KEY" in response.content.decode()


def test_the_recipient_is_salted_with_the_services_own_salt(world):
    from lawenforce.ledger import canonical

    case = decided_case(world)
    service = serve(case, world)
    leaf = bytes(
        log.LedgerEntry.objects.filter(kind="history", object_label="cases.service", object_pk=str(service.pk))
        .get()
        .leaf
    )
    assert "王某".encode() not in leaf and service.ledger_salt.encode() not in leaf
    assert canonical.salted_digest("王某", salt=bytes.fromhex(service.ledger_salt)).encode() in leaf


def test_a_receipt_whose_entry_was_deleted_says_so(client, world):
    from django.db import connection

    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    service = serve(case, world)
    with connection.cursor() as cursor:
        cursor.execute('DELETE FROM lawenforce_ledgerentry WHERE "index" = %s', [service.ledger_index])
    client.force_login(world.handler1.user)
    response = client.get(f"/cases/{case.pk}/services/{service.pk}/receipt.json", follow=True)
    assert "日志可能被删改" in response.content.decode()


def test_the_case_api_reads_the_receipt_checkpoints_in_one_query(world, key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Service

    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    first = serve(case, world)
    Service.objects.create(
        case=case,
        method=first.method,
        served_on=first.served_on,
        recipient="李某",
        served_by=world.handler1,
        ledger_index=first.ledger_index,
        receipt_checkpoint=first.receipt_checkpoint,
    )
    api = APIClient()
    api.force_authenticate(world.handler1.user)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200, response.content.decode()
    assert [s["receipt"]["index"] for s in response.json()["services"]] == [first.ledger_index] * 2
    checkpoint_table = Checkpoint._meta.db_table
    assert sum(f'FROM "{checkpoint_table}"' in q["sql"] for q in queries.captured_queries) == 1


def test_a_receipt_whose_proof_cannot_be_given_says_so(client, world, key):
    from django.db import connection

    case = decided_case(world)
    generate(case, DocumentKind.PENALTY_DECISION, world.head)
    service = serve(case, world)
    with connection.cursor() as cursor:  # the proof's other leaves and nodes gone behind the ORM
        cursor.execute('DELETE FROM lawenforce_ledgerentry WHERE "index" <> %s', [service.ledger_index])
        cursor.execute("DELETE FROM lawenforce_ledgernode")
    client.force_login(world.handler1.user)
    response = client.get(f"/cases/{case.pk}/services/{service.pk}/receipt.json", follow=True)
    assert response.status_code == 200 and "运行 verify_ledger 核查" in response.content.decode()
    api = APIClient()
    api.force_authenticate(world.handler1.user)
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200 and response.json()["services"][0]["receipt"] is None
