"""File types are told by content: the allowed kinds are recognised, everything else is named and refused."""

import io

import pytest

from evidence.sniffing import sniff
from tests.evidence import samples

ALLOWED = [
    (samples.JPEG, "image/jpeg", "jpg"),
    (samples.PNG, "image/png", "png"),
    (samples.WEBP, "image/webp", "webp"),
    (samples.HEIC, "image/heic", "heic"),
    (samples.HEIF, "image/heif", "heif"),
    (samples.MP3, "audio/mpeg", "mp3"),
    (samples.M4A, "audio/mp4", "m4a"),
    (samples.WAV, "audio/wav", "wav"),
    (samples.AMR, "audio/amr", "amr"),
    (samples.MP4, "video/mp4", "mp4"),
    (samples.MOV, "video/quicktime", "mov"),
    (samples.THREE_GP, "video/3gpp", "3gp"),
    (samples.WEBM, "video/webm", "webm"),
    (samples.PDF, "application/pdf", "pdf"),
    (samples.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    (samples.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    (samples.TEXT, "text/plain", "txt"),
    (samples.TEXT_GBK, "text/plain", "txt"),
]


@pytest.mark.parametrize(("content", "mime", "extension"), ALLOWED, ids=[a[2] + "-" + a[1] for a in ALLOWED])
def test_allowed_types_are_recognised_by_content_whatever_the_name(content, mime, extension):
    result = sniff(io.BytesIO(content), "名字随便起.bin")
    assert (result.mime, result.extension, result.allowed) == (mime, extension, True)


def test_csv_is_text_named_csv():
    assert sniff(io.BytesIO(samples.CSV), "账目.CSV").mime == "text/csv"
    assert sniff(io.BytesIO(samples.CSV), "账目.txt").mime == "text/plain"


@pytest.mark.parametrize(
    ("content", "label_part"),
    [
        (samples.ZIP, "ZIP"),
        (samples.EXE, "exe"),
        (samples.ELF, "elf"),
        (samples.RANDOM_BINARY, "无法识别"),
        (samples.zipped(["[Content_Types].xml", "other/thing.xml"]), "ZIP"),
        (b"GIF89a" + b"\x00" * 64, "gif"),
    ],
    ids=["zip", "exe", "elf", "binary", "zip-with-content-types-but-no-office-part", "gif"],
)
def test_other_types_are_named_and_not_allowed(content, label_part):
    result = sniff(io.BytesIO(content), "photo.jpg")
    assert not result.allowed
    assert label_part.lower() in result.label.lower()


def test_sniff_rewinds_the_file():
    handle = io.BytesIO(samples.DOCX)
    sniff(handle)
    assert handle.tell() == 0
