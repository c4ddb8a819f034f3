"""The dossier (案卷): order, table of contents, page numbers, manifest and archive export."""

import datetime
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases import workflow
from cases.documents import generate
from cases.dossier import build_dossier, canonical_json, export_zip, latest_dossier, manifest, sources
from cases.errors import WorkflowError
from cases.models import CaseState, Document, DocumentKind, ServiceMethod
from tests.cases.factories import decided_case

pytestmark = pytest.mark.django_db

D = datetime.date
K = DocumentKind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def page_texts(data):
    """The text of each page, whitespace removed (pdftotext when installed, else pypdf)."""
    tool = shutil.which("pdftotext")
    if tool:
        out = subprocess.run([tool, "-enc", "UTF-8", "-layout", "-", "-"], input=data, capture_output=True, check=True)
        pages = out.stdout.decode("utf-8").split("\f")
        if pages and not pages[-1].strip():
            pages = pages[:-1]
    else:
        from pypdf import PdfReader

        pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]
    return [re.sub(r"\s+", "", p) for p in pages]


def read(path):
    with default_storage.open(path, "rb") as f:
        return f.read()


def add_evidence(case, officer, title, content, proves="当事人销售超过保质期的食品"):
    from evidence.models import EvidenceItem, EvidenceKind

    return EvidenceItem.objects.create(
        case=case,
        kind=EvidenceKind.DOCUMENTARY,
        title=title,
        proves=proves,
        collected_at=timezone.make_aware(datetime.datetime(2026, 1, 6, 10, 0)),
        collected_place="当事人经营场所",
        collected_by=officer,
        uploaded_by=officer,
        uploaded_at=timezone.make_aware(datetime.datetime(2026, 1, 6, 12, 0)),
        file=ContentFile(content, name="x.jpg"),
        content_type="image/jpeg",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        sm3="0" * 64,
    )


def closed_case(world, *, evidence=True):
    """A fined case, served, paid and closed, whose documents were printed out of order."""
    case = decided_case(world)
    generate(case, K.PENALTY_DECISION, world.head)
    workflow.serve_decision(
        case, world.handler1, method=ServiceMethod.DIRECT, served_on=D(2026, 3, 3), recipient="王某", address="某路1号"
    )
    generate(case, K.PROOF_OF_SERVICE, world.handler1)
    generate(case, K.INQUIRY_RECORD, world.handler1, context={"person": "王某", "qa": [("问一", "答一")]})
    generate(case, K.FILING_APPROVAL, world.head)
    generate(case, K.INSPECTION_RECORD, world.handler1, context={"place": "仓库", "findings": "过期纯牛奶120盒。"})
    workflow.record_payment(case, world.handler1, amount=Decimal("10000"), paid_on=D(2026, 3, 10), receipt_number="R1")
    workflow.close_case(case, world.head, closed_on=D(2026, 3, 20))
    if evidence:
        add_evidence(case, world.handler1, "进货单据", b"invoice-bytes")
        add_evidence(case, world.handler2, "现场照片", b"\xff\xd8photo-bytes")
    case.refresh_from_db()
    return case


def first_page_of(texts, needle, start=0):
    for i in range(start, len(texts)):
        if needle in texts[i]:
            return i + 1
    raise AssertionError(f"{needle} not found after page {start}")


def test_dossier_has_the_standard_order_contents_and_page_numbers(world):
    case = closed_case(world)
    dossier = build_dossier(case, world.handler1)

    data = read(dossier.path)
    assert hashlib.sha256(data).hexdigest() == dossier.sha256 and len(data) == dossier.size
    texts = page_texts(data)
    assert len(texts) == dossier.pages

    # Every page carries the dossier's page number.
    for n, text in enumerate(texts, start=1):
        assert f"第{n}页共{dossier.pages}页" in text, n

    # Cover, then the table of contents.
    assert "行政处罚案卷" in texts[0] and case.number in texts[0] and world.agency.name in texts[0]
    assert "2026年3月20日" in texts[0]  # closed on
    assert f"共{dossier.pages}页" in texts[0]
    assert "卷内文件目录" in texts[1]

    kinds = [p.kind for p in dossier.parts]
    assert kinds == [
        K.FILING_APPROVAL,
        K.INQUIRY_RECORD,
        K.INSPECTION_RECORD,
        K.PENALTY_DECISION,
        "evidence_list",
        K.PROOF_OF_SERVICE,
        K.CLOSING_REPORT,
    ]
    # The closing report was generated for the dossier.
    assert Document.objects.filter(case=case, kind=K.CLOSING_REPORT).count() == 1

    # Parts follow each other; each starts on the page the table of contents gives.
    assert dossier.parts[0].first_page == 3
    for before, after in zip(dossier.parts, dossier.parts[1:], strict=False):
        assert after.first_page == before.first_page + before.pages
    assert dossier.parts[-1].first_page + dossier.parts[-1].pages - 1 == dossier.pages
    titles = {K.FILING_APPROVAL: "立案审批表", K.INQUIRY_RECORD: "询问笔录", K.INSPECTION_RECORD: "现场检查笔录",
              K.PENALTY_DECISION: "行政处罚决定书", "evidence_list": "证据清单", K.PROOF_OF_SERVICE: "送达回证",
              K.CLOSING_REPORT: "结案报告"}  # fmt: skip
    toc = texts[1]
    for i, part in enumerate(dossier.parts, start=1):
        assert part.title == titles[part.kind]
        assert titles[part.kind] in texts[part.first_page - 1], part.kind
        row = f"{i}{part.title}{part.number}{part.first_page}"
        assert row in toc, (row, toc)
    decision = dossier.parts[3]
    assert decision.number == case.decision_number and decision.number in toc

    # Evidence list: both items with their digests; the closing report is the last part.
    evidence_page = texts[dossier.parts[4].first_page - 1]
    assert "进货单据" in evidence_page and "现场照片" in evidence_page
    assert hashlib.sha256(b"invoice-bytes").hexdigest()[:16] in evidence_page
    assert "结案报告" in texts[-1]


def test_bookmarks_name_the_parts(world):
    from pypdf import PdfReader

    case = closed_case(world, evidence=False)
    dossier = build_dossier(case, world.handler1)
    reader = PdfReader(io.BytesIO(read(dossier.path)))
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline[:2] == [("封面", 0), ("卷内文件目录", 1)]
    assert [o[1] + 1 for o in outline[2:]] == [p.first_page for p in dossier.parts]


def test_without_evidence_the_list_says_so(world):
    case = closed_case(world, evidence=False)
    dossier = build_dossier(case, world.handler1)
    texts = page_texts(read(dossier.path))
    part = next(p for p in dossier.parts if p.kind == "evidence_list")
    assert "本案未登记电子证据材料" in texts[part.first_page - 1]


def test_the_evidence_adapter_degrades_when_the_app_has_no_model(world, monkeypatch):
    case = closed_case(world)
    monkeypatch.setattr(sources, "_evidence_model", lambda: None)
    assert sources.evidence_items(case) == []
    assert [f["kind"] for f in manifest(case)["files"]].count("evidence") == 0


def test_only_a_closed_case_of_the_agency_gets_a_dossier(world):
    case = decided_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        build_dossier(case, world.handler1)
    assert excinfo.value.rule_code == "not_closed"
    case = closed_case(world, evidence=False)
    stranger = type(world.handler1).objects.create(agency=world.other_agency, name="外单位人员")
    with pytest.raises(WorkflowError) as excinfo:
        build_dossier(case, stranger)
    assert excinfo.value.rule_code == "other_agency"


def test_a_tampered_document_stops_the_dossier(world):
    case = closed_case(world, evidence=False)
    document = case.documents.get(kind=K.FILING_APPROVAL)
    path = default_storage.path(document.file.name)
    with open(path, "ab") as f:
        f.write(b"%tampered")
    with pytest.raises(WorkflowError) as excinfo:
        build_dossier(case, world.handler1)
    assert excinfo.value.rule_code == "document_digest_mismatch"


def test_archiving_builds_the_dossier(world):
    case = closed_case(world)
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 4, 1))
    case.refresh_from_db()
    assert case.state == CaseState.ARCHIVED
    dossier = latest_dossier(case)
    assert dossier is not None
    texts = page_texts(read(dossier.path))
    assert "2026年4月1日" in texts[0]  # archived on, on the cover
    assert list(case.events.values_list("action", flat=True))[-2:] == ["结案", "归档"]


def test_manifest_lists_every_file_with_its_digest(world):
    case = closed_case(world)
    dossier = build_dossier(case, world.handler1)
    data = manifest(case)
    assert data["case"]["number"] == case.number
    assert data["checkpoint"] is None
    names = [f["name"] for f in data["files"]]
    assert names[0] == "dossier.pdf"
    documents = [f for f in data["files"] if f["name"].startswith("documents/")]
    evidence = [f for f in data["files"] if f["name"].startswith("evidence/")]
    assert [f["kind"] for f in documents] == [
        K.FILING_APPROVAL, K.INQUIRY_RECORD, K.INSPECTION_RECORD, K.PENALTY_DECISION, K.PROOF_OF_SERVICE,
        K.CLOSING_REPORT,
    ]  # fmt: skip
    assert len(evidence) == 2 and all(f["sm3"] == "0" * 64 for f in evidence)
    assert data["files"][0]["sha256"] == dossier.sha256
    stored = {d.pk: d for d in case.documents.all()}
    for entry in documents:
        pk = int(entry["name"].rsplit("-", 1)[1].removesuffix(".pdf"))
        content = read(stored[pk].file.name)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() and entry["size"] == len(content)
    for entry in data["files"]:
        assert entry["ledger"] is None  # no ledger yet: no proof
    # Canonical JSON: sorted keys, no spaces, UTF-8, stable.
    text = canonical_json(data).decode("utf-8")
    assert json.loads(text) == data and ", " not in text and "行政处罚案卷" in text


def test_manifest_carries_the_ledger_proof_when_there_is_one(world, monkeypatch):
    case = closed_case(world, evidence=False)
    build_dossier(case, world.handler1)
    monkeypatch.setattr(
        sources, "ledger_entry", lambda digest, obj=None: {"index": 7, "proof": ["ab" * 32], "checkpoint": "cp-1"}
    )
    monkeypatch.setattr(sources, "ledger_checkpoint", lambda: "checkpoint text\n")
    data = manifest(case)
    assert data["checkpoint"] == "checkpoint text\n"
    assert all(f["ledger"] == {"index": 7, "proof": ["ab" * 32], "checkpoint": "cp-1"} for f in data["files"])


def test_export_zip_holds_everything_the_verifier_needs(world, monkeypatch):
    case = closed_case(world)
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 4, 1))
    case.refresh_from_db()
    monkeypatch.setattr(sources, "ledger_checkpoint", lambda: "checkpoint 42\n")
    stream = export_zip(case, world.handler1)
    with zipfile.ZipFile(stream) as zf:
        names = set(zf.namelist())
        data = json.loads(zf.read("manifest.json"))
        assert {"dossier.pdf", "manifest.json", "README.txt", "checkpoint.txt"} <= names
        assert {f["name"] for f in data["files"]} | {"manifest.json", "README.txt", "checkpoint.txt"} == names
        for entry in data["files"]:
            content = zf.read(entry["name"])
            assert hashlib.sha256(content).hexdigest() == entry["sha256"] and len(content) == entry["size"]
        assert zf.read("dossier.pdf") == read(latest_dossier(case).path)
        assert sum(n.startswith("evidence/") for n in names) == 2
        assert zf.read("checkpoint.txt") == b"checkpoint 42\n"
        readme = zf.read("README.txt").decode("utf-8")
        assert "python -m lawenforce.ledger.verify archive manifest.json" in readme and case.number in readme
        assert zf.read("manifest.json") == canonical_json(data)
    event = case.events.get(action="导出归档案卷")
    assert event.actor == world.handler1 and hashlib.sha256(canonical_json(data)).hexdigest() in event.summary


def test_export_without_ledger_has_no_checkpoint(world):
    case = closed_case(world, evidence=False)
    with zipfile.ZipFile(export_zip(case, world.handler1)) as zf:
        assert "checkpoint.txt" not in zf.namelist()
        assert json.loads(zf.read("manifest.json"))["checkpoint"] is None


def test_export_refuses_a_tampered_evidence_file(world):
    case = closed_case(world)
    item = case.evidence_items.first()
    with open(default_storage.path(item.file.name), "ab") as f:
        f.write(b"x")
    with pytest.raises(WorkflowError) as excinfo:
        export_zip(case, world.handler1)
    assert excinfo.value.rule_code == "file_digest_mismatch"


def test_manifest_proofs_verify_against_the_shipped_checkpoint(world, settings):
    from lawenforce.ledger import keys, log, signing, verify

    key = signing.SigningKey.generate(keys.origin(), keys.signature_algorithm())
    settings.LEDGER_SIGNING_KEY = key.to_string()

    case = closed_case(world, evidence=False)  # generate() appends a "document" entry per document
    log.make_checkpoint()
    decision = case.documents.get(kind=K.PENALTY_DECISION)
    with transaction.atomic():  # an entry after the checkpoint has no proof yet
        log.append("document", {"sha256": decision.sha256}, obj=decision)
    build_dossier(case, world.handler1)
    data = manifest(case)
    assert data["checkpoint"] and str(data["checkpoint"]).strip()
    entries = {f["kind"]: f["ledger"] for f in data["files"]}
    assert entries[K.FILING_APPROVAL] is not None
    assert data["files"][0]["ledger"] is None  # the dossier itself: made after the checkpoint
    ledger = entries[K.PENALTY_DECISION]
    assert ledger["index"] < ledger["checkpoint"]["size"]
    proof = ledger["proof"]
    assert ledger["index"] == proof["index"] and ledger["checkpoint"]["size"] == proof["size"]
    assert verify.verify_inclusion(
        proof["index"], proof["size"], proof["leaf_hash"], proof["proof"], proof["root"], proof["algorithm"]
    )
    assert proof["root"] == ledger["checkpoint"]["root"]


# --- Offline verification of the export, the download and the ledger status on the case page ------


def ledgered_archive(world, settings, tmp_path):
    """An archived case whose documents and evidence are in the ledger under a signed checkpoint,
    exported and extracted: (case, directory, zip path, verifier key)."""
    from lawenforce.ledger import keys, log, signing

    key = signing.SigningKey.generate(keys.origin(), keys.signature_algorithm())
    settings.LEDGER_SIGNING_KEY = key.to_string()
    case = closed_case(world)
    with transaction.atomic():  # the test helper creates evidence rows directly: record them here
        for item in case.evidence_items.all():
            log.append("evidence", {"case_id": case.pk, "sha256": item.sha256}, obj=item)
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 4, 1))
    case.refresh_from_db()
    with transaction.atomic():
        log.make_checkpoint()
    data = export_zip(case, world.handler1).read()
    archive = tmp_path / "export.zip"
    archive.write_bytes(data)
    target = tmp_path / "extracted"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target)
    return case, target, archive, key.vkey


def run_verifier(*args):
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "lawenforce.ledger.verify", "archive", *map(str, args)],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def test_the_archive_verifier_passes_an_untouched_export_and_names_a_tampered_file(world, settings, tmp_path):
    case, target, archive, vkey = ledgered_archive(world, settings, tmp_path)
    data = json.loads((target / "manifest.json").read_bytes())
    ledgered = [f for f in data["files"] if f["ledger"]]
    assert {f["kind"] for f in ledgered} >= {"evidence", K.PENALTY_DECISION}
    assert all(f["ledger"]["leaf"] and f["ledger"]["proof"]["leaf_hash"] for f in ledgered)

    for package in (target, archive, target / "manifest.json"):
        result = run_verifier(package, "--key", vkey)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "已存证" in result.stdout and "不符" not in result.stdout

    evidence = next(f["name"] for f in ledgered if f["kind"] == "evidence")
    path = target / evidence
    original = path.read_bytes()
    path.write_bytes(bytes([original[0] ^ 1]) + original[1:])
    result = run_verifier(target)
    assert result.returncode == 1
    assert f"不符 {evidence}" in result.stdout and result.stdout.count("不符") == 1
    path.write_bytes(original)

    document = next(f["name"] for f in ledgered if f["name"].startswith("documents/"))
    (target / document).write_bytes((target / document).read_bytes() + b"%")
    result = run_verifier(target)
    assert result.returncode == 1 and f"不符 {document}" in result.stdout


def test_the_archive_verifier_refuses_a_tampered_checkpoint_root(world, settings, tmp_path):
    import base64

    case, target, archive, vkey = ledgered_archive(world, settings, tmp_path)
    note = (target / "checkpoint.txt").read_text("utf-8")
    lines = note.split("\n")
    lines[2] = base64.b64encode(bytes(32)).decode()
    (target / "checkpoint.txt").write_text("\n".join(lines), "utf-8")
    manifest_path = target / "manifest.json"
    data = json.loads(manifest_path.read_bytes())
    data["checkpoint"] = "\n".join(lines)  # a forger would change both copies
    manifest_path.write_bytes(canonical_json(data))
    result = run_verifier(target)
    assert result.returncode == 1
    assert "包含证明" in result.stdout or "根哈希" in result.stdout
    assert run_verifier(target, "--key", vkey).returncode == 1  # and the signature no longer holds


def test_export_download_for_the_agency_and_a_supervisor_only(client, world, regions):
    from django.urls import reverse

    from tests.factories import AgencyFactory, OfficerFactory

    case = closed_case(world)
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 4, 1))
    url = reverse("cases:export", args=[case.pk])

    client.force_login(world.handler1.user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert "manifest.json" in zf.namelist()

    client.force_login(OfficerFactory(agency=world.other_agency, name="外单位人员").user)
    assert client.get(url).status_code == 404

    bureau = AgencyFactory(region=regions["city"], sector="justice")
    client.force_login(OfficerFactory(agency=bureau, is_supervisor=True, name="郑监督").user)
    response = client.get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        assert "manifest.json" in zf.namelist()


def test_export_of_an_open_case_is_404(client, world):
    from django.urls import reverse

    case = decided_case(world)
    client.force_login(world.handler1.user)
    assert client.get(reverse("cases:export", args=[case.pk])).status_code == 404
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:export", args=[case.pk]) not in page


def test_case_page_shows_the_ledger_status_of_documents_and_evidence(client, world):
    from django.urls import reverse

    from lawenforce.models import LedgerEntry

    case = closed_case(world)  # documents are in the ledger, the helper's evidence rows are not
    decision = case.documents.get(kind=K.PENALTY_DECISION, superseded_by__isnull=True)
    entry = LedgerEntry.objects.filter(kind="document", object_pk=str(decision.pk)).latest("index")
    client.force_login(world.handler1.user)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    receipt = reverse("ledger-api:receipt", args=["document", decision.pk])
    assert f'href="{receipt}">已存证（日志序号 {entry.index}）' in html
    assert html.count("未存证") == 2  # the two evidence items
