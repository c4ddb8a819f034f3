import datetime
import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import CaseState
from tests.cases.factories import CaseFactory

API = "/api/v1"


def open_case(world, **kwargs):
    values = {"state": CaseState.INVESTIGATING, "number": "济任市监立〔2026〕1号", **kwargs}
    return CaseFactory(agency=world.agency, registered_by=world.handler1, **values)


def fields(officer=None, collected_at=None, **overrides):
    collected_at = collected_at or timezone.localtime() - datetime.timedelta(hours=2)
    data = {
        "kind": "audiovisual",
        "title": "现场货架照片",
        "proves": "当事人在货架上陈列超过保质期的食品。",
        "collected_at": timezone.localtime(collected_at).strftime("%Y-%m-%dT%H:%M"),
        "collected_place": "济宁市任城区某路1号超市",
        "note": "第一张",
    }
    if officer is not None:
        data["collected_by"] = officer.pk
    data.update(overrides)
    return data


def upload_url(case):
    return f"/evidence/cases/{case.pk}/new/"


def post_file(client, case, content, name="photo.jpg", officer=None, **overrides):
    data = fields(officer, **overrides)
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(upload_url(case), data)


def digests(content):
    return hashlib.sha256(content).hexdigest(), hashlib.new("sm3", content).hexdigest()


def hashed_upload(content, name="photo.jpg"):
    """An upload as the streaming handler leaves it: on disk, with its digests."""
    from evidence.uploads import HashingUploadHandler

    handler = HashingUploadHandler()
    handler.new_file("file", name, "application/octet-stream", len(content))
    for start in range(0, len(content), 1000):
        handler.receive_data_chunk(content[start : start + 1000], start)
    return handler.file_complete(len(content))


def make_item(case, officer, content, name="photo.jpg", **overrides):
    from evidence.services import add_evidence

    values = {
        "kind": "physical",
        "title": "扣押的过期食品",
        "proves": "货值金额。",
        "collected_at": timezone.now() - datetime.timedelta(hours=1),
        "collected_place": "超市仓库",
        **overrides,
    }
    upload = hashed_upload(content, name)
    try:
        return add_evidence(case, officer, upload, **values)
    finally:
        upload.close()
