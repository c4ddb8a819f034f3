"""Uploading from the browser: what is stored, how, and what is refused with which message."""

import datetime
import hashlib
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from evidence.models import EvidenceItem
from evidence.services import sanitize_name
from evidence.uploads import HashingUploadHandler
from tests.evidence import samples
from tests.evidence.helpers import digests, fields, open_case, post_file, upload_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return open_case(world)


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.handler1.user)
    return client


def test_upload_page_offers_the_camera_and_a_file_picker(officer_client, case):
    response = officer_client.get(upload_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'capture="environment"' in html
    assert 'accept="image/*,video/*,audio/*,application/pdf"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "勘验笔录、现场笔录" in html and "当事人的陈述" in html


def test_upload_stores_the_file_under_a_generated_name_with_both_digests(officer_client, case, world, settings):
    response = post_file(officer_client, case, samples.JPEG, name="货架.jpg", officer=world.handler2)
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert response["Location"] == f"/evidence/{item.pk}/"
    sha256, sm3 = digests(samples.JPEG)
    assert (item.sha256, item.sm3, item.size) == (sha256, sm3, len(samples.JPEG))
    assert item.content_type == "image/jpeg"
    assert item.original_name == "货架.jpg"
    assert item.collected_by == world.handler2 and item.uploaded_by == world.handler1
    assert item.kind == "audiovisual" and item.collected_place.startswith("济宁市")
    stored = Path(item.file.name)
    assert stored.parts[0] == "evidence" and stored.suffix == ".jpg" and len(stored.stem) == 32
    assert "货架" not in item.file.name
    assert (Path(settings.MEDIA_ROOT) / item.file.name).read_bytes() == samples.JPEG
    assert item.history.count() == 1


def test_a_png_named_jpg_is_stored_as_what_it_is(officer_client, case):
    post_file(officer_client, case, samples.PNG, name="photo.jpg")
    item = EvidenceItem.objects.get()
    assert item.content_type == "image/png" and item.file.name.endswith(".png")
    assert item.download_name == "photo.png"


def test_digests_of_known_bytes():
    """The standard test vectors: SHA-256 (FIPS 180-2) and SM3 (GB/T 32905-2016 example 1) of "abc"."""
    handler = HashingUploadHandler()
    handler.new_file("file", "abc.txt", "text/plain", 3)
    handler.receive_data_chunk(b"a", 0)
    handler.receive_data_chunk(b"bc", 1)
    upload = handler.file_complete(3)
    assert upload.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert upload.sm3 == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert upload.read() == b"abc"
    upload.close()


def test_digests_are_computed_across_many_chunks(officer_client, case):
    content = samples.PDF + os.urandom(3 * 256 * 1024 + 17)
    post_file(officer_client, case, content, name="检验报告.pdf")
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.sm3 == hashlib.new("sm3", content).hexdigest()


@pytest.mark.parametrize(
    ("content", "detected"),
    [(samples.ZIP, "ZIP 压缩包"), (samples.EXE, "exe（application/x-msdownload）"), (samples.ELF, "elf")],
    ids=["zip", "exe", "elf"],
)
def test_a_jpg_that_is_really_something_else_is_refused_naming_what_it_is(officer_client, case, content, detected):
    response = post_file(officer_client, case, content, name="photo.jpg", title="伪装的照片")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"文件内容是 {detected}" in html
    assert "允许的类型：jpg、png" in html
    assert EvidenceItem.objects.count() == 0
    # What the officer typed is kept.
    assert 'value="伪装的照片"' in html
    assert "当事人在货架上陈列超过保质期的食品。" in html
    assert 'value="济宁市任城区某路1号超市"' in html


def test_empty_file_is_refused(officer_client, case):
    response = post_file(officer_client, case, b"", name="empty.jpg")
    assert response.status_code == 400
    assert "文件是空的" in response.content.decode()
    assert EvidenceItem.objects.count() == 0


def test_missing_file_is_refused(officer_client, case):
    response = post_file(officer_client, case, None)
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()


def test_oversized_file_is_refused_with_the_limit_and_the_fields_kept(officer_client, case, settings, tmp_path):
    settings.MAX_UPLOAD_SIZE = 4096
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    # The file comes first, as in the page: the fields after it must still arrive.
    data = {"file": SimpleUploadedFile("big.mp4", samples.JPEG + b"\x00" * 8192), **fields(title="太大的视频")}
    response = officer_client.post(upload_url(case), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件超过大小上限 4.0\xa0KB" in html
    assert 'value="太大的视频"' in html
    assert EvidenceItem.objects.count() == 0
    assert list(tmp_path.glob("*.upload*")) == []  # the partial temporary file is gone


def test_file_at_the_limit_is_accepted(officer_client, case, settings):
    settings.MAX_UPLOAD_SIZE = len(samples.JPEG)
    assert post_file(officer_client, case, samples.JPEG).status_code == 302


def test_a_path_in_the_file_name_is_dropped(officer_client, case, settings, tmp_path):
    response = post_file(officer_client, case, samples.JPEG, name="../../etc/passwd.jpg")
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.original_name == "passwd.jpg"
    assert ".." not in item.file.name and "passwd" not in item.file.name
    media = Path(settings.MEDIA_ROOT).resolve()
    assert (media / item.file.name).resolve().is_relative_to(media)
    assert not (media.parent / "etc").exists()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\Windows\\system32\\evil.png", "evil.png"),
        ("C:\\照片\\现场.jpg", "现场.jpg"),
        ("a\x00b<c>.jpg", "abc.jpg"),
        ("..", ""),
        ("x" * 300 + ".jpeg", "x" * 195 + ".jpeg"),
    ],
)
def test_sanitize_name(raw, clean):
    assert sanitize_name(raw) == clean


def test_two_files_at_once_are_refused(officer_client, case):
    data = fields()
    data["file"] = [SimpleUploadedFile("a.jpg", samples.JPEG), SimpleUploadedFile("b.png", samples.PNG)]
    response = officer_client.post(upload_url(case), data)
    assert response.status_code == 400
    assert "一次只能上传一个文件" in response.content.decode()


def test_upload_more_than_24_hours_after_collection_is_marked(officer_client, case):
    collected = timezone.localtime() - datetime.timedelta(hours=25)
    post_file(officer_client, case, samples.JPEG, collected_at=collected)
    item = EvidenceItem.objects.get()
    assert item.late_upload is True
    response = officer_client.get(f"/evidence/{item.pk}/")
    assert "超过24小时上传" in response.content.decode()


def test_upload_within_24_hours_is_not_marked(officer_client, case):
    post_file(officer_client, case, samples.JPEG, collected_at=timezone.localtime() - datetime.timedelta(hours=23))
    assert EvidenceItem.objects.get().late_upload is False


def test_collection_in_the_future_is_refused(officer_client, case):
    response = post_file(
        officer_client, case, samples.JPEG, collected_at=timezone.localtime() + datetime.timedelta(hours=2)
    )
    assert response.status_code == 400
    assert "取证时间不能晚于当前时间" in response.content.decode()


def test_collector_from_another_agency_is_refused(officer_client, case, world):
    from tests.factories import OfficerFactory

    stranger = OfficerFactory(agency=world.other_agency)
    response = post_file(officer_client, case, samples.JPEG, officer=stranger)
    assert response.status_code == 400
    assert EvidenceItem.objects.count() == 0


def test_archived_case_takes_no_more_evidence(officer_client, world):
    case = open_case(world, state="archived")
    page = officer_client.get(upload_url(case))
    assert "案件已归档，不能再补充证据" in page.content.decode()
    assert '<form method="post" enctype' not in page.content.decode()
    response = post_file(officer_client, case, samples.JPEG)
    assert response.status_code == 400
    assert "案件已归档，不能再补充证据" in response.content.decode()
    assert EvidenceItem.objects.count() == 0


def test_upload_requires_login(client, case):
    response = client.post(upload_url(case), {"file": io.BytesIO(samples.JPEG)})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_csrf_is_enforced_on_the_upload(world, case):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.handler1.user)
    response = post_file(client, case, samples.JPEG)
    assert response.status_code == 403
    assert EvidenceItem.objects.count() == 0
