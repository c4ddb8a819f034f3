"""Test data for complaints: form data, uploads that look like the real thing, a submitted complaint.

(Named apart from tests/disclosure/factories.py, which the other disclosure tests own.)
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.complaints import services
from disclosure.models import ComplaintKind
from lawenforce.models import Sector

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
VALID_ID = "11010519491231002X"
VALID_PHONE = "13800138000"
SUBJECT_USCC = "91370800MA3C5XXX1G"


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def form_data(world, **overrides):
    data = {
        "kind": ComplaintKind.REPORT,
        "subject_name": "任城区某某超市",
        "subject_uscc": "",
        "subject_address": "古槐路8号",
        "region": world.agency.region_id,
        "sector": Sector.MARKET,
        "power_item": "",
        "title": "超市销售过期食品",
        "content": "11月30日在该超市购买的牛奶已过保质期三天。",
        "occurred_on": "2026-11-30",
        "place": "古槐路8号一楼",
        "complainant_name": "张三",
        "complainant_phone": VALID_PHONE,
        "complainant_email": "zhang@example.cn",
        "complainant_id_number": VALID_ID,
        "website": "",
    }
    data.update(overrides)
    return data


class Hashed(io.BytesIO):
    """An upload as the streaming handler hands it over (size and digests), for calling services directly."""

    def __init__(self, content, name="photo.png"):
        import hashlib

        super().__init__(content)
        self.name = name
        self.size = len(content)
        self.file = self
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.sm3 = hashlib.new("sm3", content).hexdigest()


def submit(world, *, now=None, **overrides):
    """A complaint filed through services.submit, as the form would (named report about the market by default)."""
    fields = {
        "kind": ComplaintKind.REPORT,
        "region": world.agency.region,
        "sector": Sector.MARKET,
        "title": "超市销售过期食品",
        "content": "牛奶已过保质期。",
        "subject_name": "任城区某某超市",
        "complainant_name": "张三",
        "complainant_phone": VALID_PHONE,
        "complainant_id_number": VALID_ID,
    }
    fields.update(overrides)
    return services.submit(now=now, **fields)
