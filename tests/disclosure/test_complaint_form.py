"""The public complaint form, the acknowledgement and the status page: validation, attachments,
tracking codes, no personal data in public, rate limits."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from disclosure.complaints import services
from disclosure.models import Complaint, ComplaintAttachment, ComplaintKind, ComplaintState
from tests.disclosure.complaint_factories import ELF, PDF, SUBJECT_USCC, VALID_ID, VALID_PHONE, form_data, png, submit

pytestmark = pytest.mark.django_db
NEW = reverse("public-complaints:new")
TRACK = reverse("public-complaints:track")
DONE = reverse("public-complaints:done")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, data, files=()):
    payload = dict(data)
    if files:
        payload["files"] = list(files)
    return client.post(NEW, payload)


def errors(response, field):
    return response.context["form"].errors.get(field, [])


# --- The form ---------------------------------------------------------------------------------


def test_form_renders_without_login_with_csrf_and_grouped_regions(client, world):
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert '<optgroup label="山东省济宁市">' in html and "任城区" in html
    assert 'name="website"' in html  # the honeypot


def test_the_public_complaints_address_leads_to_the_form_in_the_public_frame(client, world):
    response = client.get("/public/complaints/")
    assert response.status_code == 302 and response.url == NEW
    assert client.get(NEW).context["section"] == "complaints"  # the public navigation marks 投诉举报


def test_csrf_is_enforced_on_the_form(world):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(NEW, form_data(world))
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_a_named_report_with_an_attachment_is_stored_routed_and_acknowledged(client, world):
    response = post(client, form_data(world, subject_uscc=SUBJECT_USCC.lower()), [png("../../etc/现场照片.png")])
    assert response.status_code == 302 and response.url == DONE
    complaint = Complaint.objects.get()
    assert complaint.agency == world.agency
    assert complaint.subject_uscc == SUBJECT_USCC
    assert complaint.complainant_id_number == VALID_ID
    assert complaint.state == ComplaintState.RECEIVED
    assert complaint.accept_due_on == services.accept_due_on(timezone.localdate())
    attachment = complaint.attachments.get()
    assert attachment.original_name == "现场照片.png"  # no path from the browser
    assert attachment.content_type == "image/png" and len(attachment.sha256) == 64 and len(attachment.sm3) == 64
    assert ".." not in attachment.file.name and attachment.file.name.startswith("complaints/")
    done = client.get(DONE)
    html = done.content.decode()
    assert services.display_code(complaint.tracking_code) in html
    assert f"{complaint.accept_due_on:%Y-%m-%d}" in html
    assert "第十四条" in html
    # Shown once: a reload, or the next person at a shared computer, does not get the code again.
    again = client.get(DONE)
    assert again.status_code == 302 and again.url == NEW


def test_the_acknowledgement_is_only_for_the_submitting_browser(client, world):
    post(client, form_data(world))
    from django.test import Client

    other = Client().get(DONE)
    assert other.status_code == 302 and other.url == NEW


def test_an_anonymous_report_keeps_no_personal_data(client, world):
    response = post(client, form_data(world, anonymous="on"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.anonymous
    assert complaint.complainant_name == complaint.complainant_phone == complaint.complainant_id_number == ""


def test_a_complaint_cannot_be_anonymous_and_says_why(client, world):
    response = post(client, form_data(world, kind=ComplaintKind.COMPLAINT, anonymous="on"))
    assert response.status_code == 400
    assert "请选择“举报”" in errors(response, "anonymous")[0] and "第九条" in errors(response, "anonymous")[0]
    assert not Complaint.objects.exists()


def test_bad_input_gets_one_chinese_message_per_field_and_keeps_what_was_typed(client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = form_data(
        world,
        complainant_name="",
        complainant_phone="12",
        complainant_id_number="110105194912310021",
        subject_uscc="91370800MA3C5XXX1A",
        occurred_on=f"{tomorrow:%Y-%m-%d}",
        title="",
        content="<script>alert('x')</script>超市的事",
    )
    response = post(client, data, [png()])
    assert response.status_code == 400
    for field in ("complainant_name", "complainant_phone", "complainant_id_number", "subject_uscc", "title"):
        assert errors(response, field), field
    assert errors(response, "occurred_on") == ["发生日期不能晚于今天，请核对。"]
    html = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;超市的事" in html  # kept, escaped
    assert "<script>alert" not in html
    assert 'id="files-dropped"' in html  # the person is told to choose the files again
    assert not Complaint.objects.exists()


def test_a_future_date_is_refused(client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(client, form_data(world, occurred_on=f"{tomorrow:%Y-%m-%d}"))
    assert response.status_code == 400
    assert errors(response, "occurred_on") == ["发生日期不能晚于今天，请核对。"]


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("photo.jpg", ELF, content_type="image/jpeg"), "不是允许的类型"),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "空文件"),
    ],
)
def test_attachments_are_checked_by_content(client, world, upload, expected):
    response = post(client, form_data(world), [upload])
    assert response.status_code == 400
    assert expected in " ".join(errors(response, "files"))
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_an_oversized_attachment_is_dropped_while_streaming_and_the_text_kept(client, world, settings):
    settings.COMPLAINT_MAX_UPLOAD_SIZE = 100_000  # 5 files: the body may be ~756 KB, one file only 100 KB
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 300_000, content_type="application/pdf")
    response = post(client, form_data(world, title="保留的事由"), [big])
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    assert "附件超过大小上限" in errors(response, "files")[0]
    html = response.content.decode()
    assert 'value="保留的事由"' in html and 'id="files-dropped"' in html


def test_more_than_the_allowed_number_of_files_is_refused(client, world, settings):
    settings.COMPLAINT_MAX_FILES = 2
    response = post(client, form_data(world), [png("a.png"), png("b.png"), png("c.png")])
    assert response.status_code == 400
    assert "最多上传 2 个附件" in errors(response, "files")[0]
    assert not Complaint.objects.exists()


def test_a_request_body_over_the_total_limit_is_refused_before_parsing(client, world, settings):
    settings.COMPLAINT_MAX_UPLOAD_SIZE = 1024
    settings.COMPLAINT_MAX_FILES = 1
    response = post(client, form_data(world), [SimpleUploadedFile("x.pdf", PDF + b"0" * 400_000)])
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_honeypot_stores_nothing(client, world):
    response = post(client, form_data(world, website="http://spam.example"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_text_longer_than_the_limit_is_refused(client, world):
    response = post(client, form_data(world, content="多" * (services.CONTENT_MAX_LENGTH + 1)))
    assert response.status_code == 400
    assert errors(response, "content")


# --- Tracking codes ---------------------------------------------------------------------------


def test_tracking_codes_are_long_random_and_unambiguous(world):
    codes = {services.new_tracking_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(f"[{services.CODE_ALPHABET}]{{{services.CODE_LENGTH}}}", code)
        assert not set(code) & set("01OIL")
    # 31 symbols, 12 places: about 59 bits, far beyond what a rate-limited guesser can try.
    assert len(services.CODE_ALPHABET) ** services.CODE_LENGTH > 10**17
    # Not sequential: consecutive complaints share no long prefix.
    first, second = submit(world).tracking_code, submit(world).tracking_code
    assert first[:6] != second[:6]


def test_a_collision_draws_again(world, monkeypatch):
    existing = submit(world)
    draws = iter(existing.tracking_code + "Z" * services.CODE_LENGTH)
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(draws))
    assert services.new_tracking_code() == "Z" * services.CODE_LENGTH


# --- The status page --------------------------------------------------------------------------


def test_status_page_shows_state_dates_public_events_and_reply_but_no_personal_data(client, world):
    complaint = submit(world, complainant_email="zhang@example.cn", subject_address="古槐路8号", place="一楼冷柜")
    services.accept(complaint, world.handler1, note="内部：与市场科联合检查")
    services.close(complaint, world.handler1, reply="经查属实，已责令下架并立案调查。", internal_note="内部意见：罚款")
    response = client.post(TRACK, {"code": services.display_code(complaint.tracking_code).lower()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已办结" in html and "经查属实" in html and "受理" in html
    for secret in ("张三", VALID_PHONE, VALID_ID, "zhang@example.cn", "与市场科联合检查", "内部意见：罚款"):
        assert secret not in html, secret
    assert complaint.routing_note not in html  # internal


def test_a_wrong_code_and_a_malformed_one_get_the_same_answer(client, world):
    complaint = submit(world)
    wrong = "A" * services.CODE_LENGTH if complaint.tracking_code != "A" * 12 else "B" * 12
    answers = []
    for code in (wrong, "xx", complaint.tracking_code[:-1]):
        response = client.post(TRACK, {"code": code})
        assert response.status_code == 200
        answers.append(re.sub(r'name="code"[^>]*', "", response.content.decode()))
        assert 'id="not-found"' in answers[-1]
    body = [re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "", a) for a in answers]
    assert body[0] == body[1] == body[2]


def test_the_code_is_not_put_in_the_url(client, world):
    response = client.get(TRACK, {"code": submit(world).tracking_code})
    assert response.status_code == 200 and response.context["complaint"] is None


# --- Rate limits ------------------------------------------------------------------------------


def test_status_lookups_are_rate_limited_per_client_with_a_chinese_429(client, world, settings):
    settings.COMPLAINT_TRACK_RATE = "3/h"
    for _ in range(3):
        assert client.post(TRACK, {"code": "ABCDEFGHJKMN"}).status_code == 200
    response = client.post(TRACK, {"code": "ABCDEFGHJKMN"})
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode() and "查询办理进度" in response.content.decode()
    # Another client is not affected.
    assert client.post(TRACK, {"code": "ABCDEFGHJKMN"}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_form_submissions_are_rate_limited_per_client(client, world, settings):
    settings.COMPLAINT_SUBMIT_RATE = "2/h"
    assert post(client, form_data(world)).status_code == 302
    assert post(client, form_data(world, title="")).status_code == 400  # a failed attempt counts too
    response = post(client, form_data(world))
    assert response.status_code == 429
    assert "提交投诉举报" in response.content.decode()
    assert Complaint.objects.count() == 1
    assert client.get(NEW).status_code == 200  # reading the form is not limited
