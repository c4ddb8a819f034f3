"""The agency's disclosure pages: scope, filters, and the changes made in the browser."""

import datetime

import pytest
from django.urls import reverse

from disclosure import publishing
from disclosure.models import DisclosureState
from lawenforce.models import Sector
from tests.cases.factories import decided_case
from tests.factories import AgencyFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    mine = publishing.build_for_case(decided_case(world, decided_on=datetime.date(2026, 3, 2)).pk).get()
    other_world_case = decided_case(world, agency=world.other_agency, registered_by=world.uncertified)
    theirs = publishing.build_for_case(other_world_case.pk).get()
    pending = publishing.build_for_case(decided_case(world).pk, publish=False).get()
    return mine, theirs, pending


def login(client, officer):
    client.force_login(officer.user)
    return client


def test_an_officer_lists_own_agency_records_only(client, world, records):
    mine, theirs, pending = records
    html = login(client, world.handler1).get(reverse("disclosure_records:list")).content.decode()
    assert mine.decision_number in html and pending.decision_number in html
    assert reverse("disclosure_records:detail", args=[theirs.pk]) not in html
    assert client.get(reverse("disclosure_records:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("disclosure_records:publish", args=[theirs.pk])).status_code == 404
    assert 'data-nav="disclosure"' in html


def test_filters_late_and_state(client, world, records):
    mine, _, pending = records
    login(client, world.handler1)
    html = client.get(reverse("disclosure_records:list"), {"timing": "late"}).content.decode()
    # Both were decided in 2026-03 and published (or still pending) long after 7 working days.
    assert html.count('class="late-flag"') == 2  # 逾期公示 (published late) and 已逾期未公示 (pending)
    assert "逾期公示</strong>" in html and "已逾期未公示</strong>" in html
    html = client.get(reverse("disclosure_records:list"), {"state": "pending"}).content.decode()
    assert reverse("disclosure_records:detail", args=[pending.pk]) in html
    assert reverse("disclosure_records:detail", args=[mine.pk]) not in html
    response = client.get(
        reverse("disclosure_records:list"), {"decided_from": "2026-05-01", "decided_to": "2026-04-01"}
    )
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_a_supervisor_reads_the_region_but_cannot_act(client, world, regions, records):
    mine, theirs, pending = records
    bureau = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE, short_name="济司")
    supervisor = OfficerFactory(agency=bureau, is_supervisor=True, user=UserFactory(username="sup"))
    login(client, supervisor)
    html = client.get(reverse("disclosure_records:list")).content.decode()
    assert mine.decision_number in html
    assert reverse("disclosure_records:detail", args=[theirs.pk]) not in html  # 菏泽市 is outside 济宁市
    detail = client.get(reverse("disclosure_records:detail", args=[pending.pk])).content.decode()
    assert "立即公示" not in detail and "监督人员只能查看" in detail
    assert client.post(reverse("disclosure_records:publish", args=[pending.pk])).status_code == 404
    pending.refresh_from_db()
    assert pending.state == DisclosureState.PENDING


def test_the_public_and_anonymous_users_see_nothing(client, records):
    mine, _, _ = records
    response = client.get(reverse("disclosure_records:detail", args=[mine.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_publish_now_from_the_record_page(client, world, records):
    _, _, pending = records
    login(client, world.head)
    response = client.post(reverse("disclosure_records:publish", args=[pending.pk]), follow=True)
    assert "已公示" in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == DisclosureState.PUBLISHED
    assert pending.actions.last().actor == world.head


def test_withdraw_without_a_reason_keeps_the_input_and_says_what_to_do(client, world, records):
    mine, _, _ = records
    login(client, world.head)
    url = reverse("disclosure_records:withdraw", args=[mine.pk])
    response = client.post(url, {"reason": "", "fell_on": "2026-11-02"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "这个字段是必填项" in html or "必填" in html
    assert 'value="2026-11-02"' in html
    response = client.post(url, {"reason": "本机关撤销原决定", "fell_on": "2026-11-02"}, follow=True)
    mine.refresh_from_db()
    assert mine.state == DisclosureState.WITHDRAWN
    assert mine.withdraw_due_on == datetime.date(2026, 11, 5)
    assert "已撤下" in response.content.decode()


def test_exempt_a_pending_record_with_a_reason(client, world, records):
    _, _, pending = records
    login(client, world.head)
    url = reverse("disclosure_records:exempt", args=[pending.pk])
    response = client.post(url, {"exempt_reason": "protected", "note": ""})
    assert response.status_code == 400
    client.post(url, {"exempt_reason": "protected", "note": "涉及商业秘密"})
    pending.refresh_from_db()
    assert pending.state == DisclosureState.EXEMPT and pending.exempt_reason == "protected"


def test_correct_in_the_browser_keeps_the_input_on_refusal(client, world, records):
    mine, _, _ = records
    login(client, world.head)
    url = reverse("disclosure_records:correct", args=[mine.pk])
    page = client.get(url)
    assert page.status_code == 200 and mine.facts in page.content.decode()
    data = {f: getattr(mine, f) if getattr(mine, f) is not None else "" for f in publishing.CORRECTABLE_FIELDS}
    data.update({"serious": "", "reason": "更正违法事实", "facts": "补充：联系电话13812345678"})
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "电话号码" in html and "13812345678" in html  # the message, and the input kept
    data["facts"] = "经营超过保质期的食品（更正后）。"
    response = client.post(url, data, follow=True)
    mine.refresh_from_db()
    assert mine.revision == 1 and mine.facts == "经营超过保质期的食品（更正后）。"
    assert "已更正" in response.content.decode()


def test_the_case_page_shows_the_disclosure_status(client, world, records):
    mine, _, _ = records
    login(client, world.handler1)
    html = client.get(reverse("cases:detail", args=[mine.case_id])).content.decode()
    assert "处罚信息公示" in html and reverse("disclosure_records:detail", args=[mine.pk]) in html


def test_the_list_and_record_pages_do_not_query_per_row(client, world, records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine, _, _ = records
    login(client, world.handler1)
    url = reverse("disclosure_records:list")
    client.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        publishing.build_for_case(decided_case(world).pk)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    publishing.correct_record(mine, actor=world.head, reason="更正", changes={"remarks": "补充说明"})
    with CaptureQueriesContext(connection) as detail:
        assert client.get(reverse("disclosure_records:detail", args=[mine.pk])).status_code == 200
    assert len(detail) <= 20
