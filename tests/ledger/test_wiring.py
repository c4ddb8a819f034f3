"""The ledger wired into the platform: history records, documents and evidence become leaves; the
read API gives receipts in the object's scope; the public feed publishes the checkpoints."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases import workflow
from cases.documents import generate
from cases.models import DocumentKind, ServiceMethod
from lawenforce.ledger import canonical, keys, log, signing, verify
from lawenforce.models import Checkpoint, LedgerEntry
from tests.cases.factories import CaseFactory, PersonPartyFactory, agency_world, decided_case
from tests.evidence.helpers import make_item
from tests.evidence.samples import JPEG
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/ledger"
K = DocumentKind


@pytest.fixture
def world(regions):
    return agency_world(regions)


@pytest.fixture(autouse=True)
def _key_and_storage(settings, tmp_path):
    settings.LEDGER_SIGNING_KEY = signing.SigningKey.generate(keys.origin(), keys.signature_algorithm()).to_string()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def token_client(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer.user).key}")
    return client


def entries_of(obj, kind):
    return LedgerEntry.objects.filter(kind=kind, object_label=obj._meta.label_lower, object_pk=str(obj.pk))


def test_a_history_record_is_a_leaf_with_personal_data_salted(world):
    case = CaseFactory(agency=world.agency, registered_by=world.handler1)
    party = PersonPartyFactory(case=case, phone="13800138000")
    history = party.history.latest()
    leaf = bytes(entries_of(party, "history").get().leaf)
    assert party.id_number.encode() not in leaf and b"13800138000" not in leaf
    assert party.name.encode() not in leaf
    # The party's own random salt, not the deployment salt: candidates cannot be tried without it.
    salt = bytes.fromhex(party.ledger_salt)
    assert len(salt) == 16 and party.ledger_salt.encode() not in leaf
    assert canonical.salted_digest(party.id_number, salt=salt).encode() in leaf
    assert canonical.salted_digest(party.name, salt=salt).encode() in leaf
    assert canonical.salted_digest(party.id_number).encode() not in leaf
    assert b'"type":"+"' in leaf and b'"history_id":%d' % history.pk in leaf
    assert b'"model":"cases.party"' in leaf

    party.address = "山东省济宁市任城区另一路2号"
    party.save()
    assert entries_of(party, "history").count() == 2
    assert "另一路".encode() not in b"".join(bytes(e.leaf) for e in entries_of(party, "history"))


def test_the_same_id_number_gives_different_digests_for_different_parties(world):
    case = CaseFactory(agency=world.agency, registered_by=world.handler1)
    first = PersonPartyFactory(case=case)
    second = PersonPartyFactory(case=case, id_number=first.id_number, name=first.name)
    assert first.ledger_salt != second.ledger_salt
    leaves = [bytes(entries_of(p, "history").get().leaf) for p in (first, second)]
    digests = [canonical.salted_digest(first.id_number, salt=bytes.fromhex(p.ledger_salt)) for p in (first, second)]
    assert digests[0].encode() in leaves[0] and digests[1].encode() in leaves[1]
    assert digests[0].encode() not in leaves[1]
    first.phone = "13700137000"
    first.save()  # the salt stays the record's own
    first.refresh_from_db()
    assert digests[0].encode() in bytes(entries_of(first, "history").order_by("-index").first().leaf)
    call_command("verify_ledger")


def test_officer_id_number_and_phone_are_salted(world):
    officer = OfficerFactory(agency=world.agency, id_number="370811198001011234", phone="13900139000")
    leaf = bytes(entries_of(officer, "history").last().leaf)
    assert b"370811198001011234" not in leaf and b"13900139000" not in leaf
    assert canonical.salted_digest("370811198001011234").encode() in leaf


def test_documents_and_evidence_are_leaves(world):
    case = decided_case(world)
    document = generate(case, K.PENALTY_DECISION, world.head)
    leaf = bytes(entries_of(document, "document").get().leaf)
    assert document.sha256.encode() in leaf and b'"kind":"penalty_decision"' in leaf
    item = make_item(case, world.handler1, JPEG)
    leaf = bytes(entries_of(item, "evidence").get().leaf)
    assert item.sha256.encode() in leaf and item.sm3.encode() in leaf
    assert hashlib.sha256(JPEG).hexdigest() == item.sha256


def test_receipt_proof_verifies_against_the_checkpoint_and_stays_in_scope(world):
    case = decided_case(world)
    document = generate(case, K.PENALTY_DECISION, world.head)
    item = make_item(case, world.handler1, JPEG)
    assert not Checkpoint.objects.exists()
    client = token_client(world.handler1)
    for kind, obj in (("document", document), ("evidence", item)):
        response = client.get(f"{API}/receipt/{kind}/{obj.pk}/")
        assert response.status_code == 200, response.content
        receipt = response.json()
        proof, checkpoint = receipt["proof"], receipt["checkpoint"]
        assert receipt["index"] == proof["index"] and receipt["leaf_hash"] == proof["leaf_hash"]
        assert proof["size"] == checkpoint["size"] and proof["root"] == checkpoint["root"]
        assert verify.verify_inclusion(
            proof["index"], proof["size"], proof["leaf_hash"], proof["proof"], checkpoint["root"], proof["algorithm"]
        )
        assert verify.parse_checkpoint(checkpoint["note"]).root.hex() == checkpoint["root"]
    assert Checkpoint.objects.count() == 1  # made on demand once, then reused

    stranger = token_client(OfficerFactory(agency=world.other_agency))
    assert stranger.get(f"{API}/receipt/document/{document.pk}/").status_code == 404
    assert stranger.get(f"{API}/receipt/evidence/{item.pk}/").status_code == 404
    assert client.get(f"{API}/receipt/case/{case.pk}/").status_code == 404
    assert APIClient().get(f"{API}/receipt/document/{document.pk}/").status_code == 401


def test_checkpoint_inclusion_and_consistency_endpoints(world):
    CaseFactory(agency=world.agency, registered_by=world.handler1)
    client = token_client(world.handler1)
    assert client.get(f"{API}/checkpoint/").status_code == 404
    first = log.make_checkpoint()
    with transaction.atomic():
        log.append("test", {"n": 1})
    second = log.make_checkpoint()
    data = client.get(f"{API}/checkpoint/").json()
    assert data["size"] == second.size and data["root"] == bytes(second.root_hash).hex()
    assert data["note"] == second.note
    proof = client.get(f"{API}/inclusion/", {"index": 0, "size": second.size}).json()
    assert verify.verify_inclusion(
        0, second.size, proof["leaf_hash"], proof["proof"], bytes(second.root_hash), proof["algorithm"]
    )
    proof = client.get(f"{API}/consistency/", {"first": first.size, "second": second.size}).json()
    assert verify.verify_consistency(
        first.size, second.size, bytes(first.root_hash), bytes(second.root_hash), proof["proof"], proof["algorithm"]
    )
    assert client.get(f"{API}/inclusion/", {"index": 10**6}).status_code == 400
    assert client.get(f"{API}/inclusion/", {"index": "x"}).status_code == 400
    assert client.get(f"{API}/consistency/").status_code == 400
    assert APIClient().get(f"{API}/checkpoint/").status_code == 401


def test_public_feed_shows_the_latest_checkpoint_without_login(client, world):
    assert client.get("/transparency/checkpoint.txt").status_code == 404
    assert "尚未生成检查点" in client.get("/transparency/").content.decode()
    CaseFactory(agency=world.agency, registered_by=world.handler1)
    log.make_checkpoint()
    with transaction.atomic():
        log.append("test", {"n": 1})
    latest = log.make_checkpoint()
    response = client.get("/transparency/checkpoint.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == latest.note
    page = client.get("/transparency/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "存证日志" in html and bytes(latest.root_hash).hex() in html and str(latest.size) in html
    assert latest.note.splitlines()[0] in html


def test_verify_ledger_passes_after_a_full_workflow(world, capsys):
    case = decided_case(world)
    generate(case, K.PENALTY_DECISION, world.head)
    log.make_checkpoint()
    workflow.serve_decision(
        case,
        world.handler1,
        method=ServiceMethod.DIRECT,
        served_on=datetime.date(2026, 3, 3),
        recipient="王某",
        address="某路1号",
    )
    generate(case, K.PROOF_OF_SERVICE, world.handler1)
    make_item(case, world.handler1, JPEG)
    log.make_checkpoint()
    service = case.services.get()
    assert "王某".encode() not in b"".join(bytes(e.leaf) for e in entries_of(service, "history"))
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"history", "document", "evidence"} <= kinds
    call_command("verify_ledger")
    assert "OK:" in capsys.readouterr().out
