"""Who sees evidence, how the file is served (ranges, players) and that every look is recorded."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from evidence.models import EvidenceAccess
from tests.evidence import samples
from tests.evidence.helpers import make_item, open_case, post_file, upload_url
from tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db

VIDEO = samples.MP4 + bytes(range(256)) * 40  # 10,240 + header bytes


@pytest.fixture
def case(world):
    return open_case(world)


@pytest.fixture
def video(case, world):
    return make_item(case, world.handler1, VIDEO, name="执法记录仪.mp4", kind="audiovisual", title="执法记录仪视频")


@pytest.fixture
def supervisor(regions):
    bureau = AgencyFactory(region=regions["city"], sector="justice")
    return OfficerFactory(agency=bureau, is_supervisor=True, name="郑监督")


@pytest.fixture
def stranger(world):
    return OfficerFactory(agency=world.other_agency, name="外地执法员")


def logged_in(client, officer):
    client.force_login(officer.user)
    return client


def actions(item):
    return list(EvidenceAccess.objects.filter(item=item).order_by("pk").values_list("action", flat=True))


def test_item_page_shows_the_player_and_metadata_and_records_a_view(client, video, world):
    response = logged_in(client, world.handler2).get(f"/evidence/{video.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<video controls preload="metadata" playsinline src="/evidence/{video.pk}/file/"' in html
    assert video.sha256 in html and video.sm3 in html
    assert "执法记录仪.mp4" in html and "视听资料" in html
    access = EvidenceAccess.objects.get(item=video)
    assert (access.action, access.user, access.officer, access.ip) == (
        "view",
        world.handler2.user,
        world.handler2,
        "127.0.0.1",
    )


def test_download_and_stream_are_recorded(client, video, world):
    client = logged_in(client, world.handler1)
    download = client.get(f"/evidence/{video.pk}/file/?download=1")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == VIDEO
    assert download["Content-Disposition"].startswith("attachment;")
    assert "%E6%89%A7%E6%B3%95%E8%AE%B0%E5%BD%95%E4%BB%AA.mp4" in download["Content-Disposition"]
    assert download["Content-Type"] == "video/mp4"
    assert download["X-Content-SHA256"] == video.sha256
    assert download["Accept-Ranges"] == "bytes"
    stream = client.get(f"/evidence/{video.pk}/file/")
    assert stream["Content-Disposition"].startswith("inline;")
    assert "sandbox" in stream["Content-Security-Policy"]
    assert actions(video) == ["download", "stream"]


def test_range_requests_answer_206_with_exactly_those_bytes(client, video, world):
    client = logged_in(client, world.handler1)
    size = len(VIDEO)
    cases = {
        "bytes=0-9": (0, 9),
        "bytes=100-": (100, size - 1),
        "bytes=-16": (size - 16, size - 1),
        f"bytes=50-{size + 1000}": (50, size - 1),
    }
    for header, (start, end) in cases.items():
        response = client.get(f"/evidence/{video.pk}/file/", headers={"Range": header})
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert response["Content-Length"] == str(end - start + 1)
        assert b"".join(response.streaming_content) == VIDEO[start : end + 1]
    recorded = EvidenceAccess.objects.filter(item=video).order_by("pk").values_list("byte_range", flat=True)
    assert list(recorded) == [
        "bytes=0-9",
        f"bytes=100-{size - 1}",
        f"bytes={size - 16}-{size - 1}",
        f"bytes=50-{size - 1}",
    ]


def test_unsatisfiable_range_is_416_and_odd_ranges_get_the_whole_file(client, video, world):
    client = logged_in(client, world.handler1)
    url = f"/evidence/{video.pk}/file/"
    beyond = client.get(url, headers={"Range": f"bytes={len(VIDEO)}-"})
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(VIDEO)}"
    for header in ("bytes=0-1,5-9", "items=0-9", "bytes=9-1"):
        whole = client.get(url, headers={"Range": header})
        assert whole.status_code == 200, header
        assert b"".join(whole.streaming_content) == VIDEO
    stale = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"not-the-etag"'})
    assert stale.status_code == 200
    fresh = client.get(url, headers={"Range": "bytes=0-9", "If-Range": f'"{video.sha256}"'})
    assert fresh.status_code == 206


def test_officer_of_another_agency_gets_404_everywhere(client, video, case, stranger):
    client = logged_in(client, stranger)
    assert client.get(f"/evidence/{video.pk}/").status_code == 404
    assert client.get(f"/evidence/{video.pk}/file/").status_code == 404
    assert client.get(upload_url(case)).status_code == 404
    assert post_file(client, case, samples.JPEG).status_code == 404
    assert EvidenceAccess.objects.count() == 0


def test_supervisor_views_and_downloads_but_cannot_upload(client, video, case, supervisor):
    client = logged_in(client, supervisor)
    assert client.get(f"/evidence/{video.pk}/").status_code == 200
    assert client.get(f"/evidence/{video.pk}/file/?download=1").status_code == 200
    assert actions(video) == ["view", "download"]
    assert EvidenceAccess.objects.filter(officer=supervisor).count() == 2
    assert client.get(upload_url(case)).status_code == 403
    assert post_file(client, case, samples.JPEG).status_code == 403


def test_anonymous_is_sent_to_login(client, video):
    assert client.get(f"/evidence/{video.pk}/file/").status_code == 302
    assert EvidenceAccess.objects.count() == 0


def test_access_records_are_append_only(client, video, world):
    logged_in(client, world.handler1).get(f"/evidence/{video.pk}/")
    access = EvidenceAccess.objects.get()
    access.action = "download"
    with pytest.raises(TypeError):
        access.save()
    with pytest.raises(TypeError):
        access.delete()
    with pytest.raises(TypeError):
        EvidenceAccess.objects.update(action="download")
    with pytest.raises(TypeError):
        EvidenceAccess.objects.all().delete()
    assert EvidenceAccess.objects.get().action == "view"


def test_case_section_shows_thumbnails_players_digests_and_the_late_mark(case, world):
    import datetime

    from django.utils import timezone

    photo = make_item(case, world.handler1, samples.JPEG, title="货架照片")
    make_item(case, world.handler1, samples.MP3, name="询问录音.mp3", title="询问录音")
    late = make_item(
        case,
        world.handler1,
        samples.MP4,
        name="v.mp4",
        title="迟传视频",
        collected_at=timezone.now() - datetime.timedelta(days=3),
    )
    make_item(open_case(world, number="另一案"), world.handler1, samples.PDF, title="别的案件的证据")
    request = RequestFactory().get("/")
    request.user = world.handler1.user
    html = Template("{% load evidence_tags %}{% evidence_section case %}").render(
        Context({"case": case, "request": request})
    )
    assert f'<img class="evidence-thumb" src="/evidence/{photo.pk}/file/"' in html
    assert "<audio controls" in html and "<video controls" in html
    assert f'title="{photo.sha256}">{photo.sha256[:12]}…' in html
    assert f'title="{photo.sm3}">{photo.sm3[:12]}…' in html
    assert html.count("超过24小时上传") == 1 and f'id="evidence-{late.pk}"' in html
    assert "别的案件的证据" not in html
    assert f'href="/evidence/cases/{case.pk}/new/"' in html


def test_case_section_hides_the_upload_link_from_a_supervisor(case, world, supervisor):
    make_item(case, world.handler1, samples.JPEG)
    request = RequestFactory().get("/")
    request.user = supervisor.user
    html = Template("{% load evidence_tags %}{% evidence_section case %}").render(
        Context({"case": case, "request": request})
    )
    assert "evidence-thumb" in html
    assert "/new/" not in html
