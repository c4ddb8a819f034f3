"""The agency's handling: queue, detail, accept / refuse / transfer / lead / close, scope, the path
complaint → lead → case, history and ledger."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseState, Source
from disclosure.complaints import services
from disclosure.models import Complaint, ComplaintState
from lawenforce.models import AgencyStatus, LedgerEntry, Sector
from tests.disclosure.complaint_factories import VALID_ID, VALID_PHONE, submit
from tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def supervisor(regions):
    bureau = AgencyFactory(name="济宁市司法局", region=regions["city"], sector=Sector.JUSTICE)
    return OfficerFactory(agency=bureau, name="监督员", is_supervisor=True)


@pytest.fixture
def other_officer(world):
    return OfficerFactory(agency=world.other_agency, name="菏泽执法员")


def login(client, officer):
    client.force_login(officer.user)
    return client


def act(client, complaint, action, **data):
    return client.post(
        reverse("complaints:act", args=[complaint.pk, action]), {f"{action}-{k}": v for k, v in data.items()}
    )


# --- Queue and detail -------------------------------------------------------------------------


def test_queue_lists_awaiting_first_with_due_dates_and_flags_overdue(client, world, django_assert_max_num_queries):
    old = submit(world, title="很久以前的举报", now=timezone.now() - datetime.timedelta(days=30))
    fresh = submit(world, title="新的举报")
    accepted = services.accept(submit(world, title="已受理的举报"), world.handler1)
    login(client, world.handler1)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("complaints:queue"))
    assert response.status_code == 200
    rows = [c.pk for c in response.context["page"].object_list]
    assert rows == [old.pk, fresh.pk, accepted.pk]
    html = response.content.decode()
    assert 'id="overdue-notice"' in html and "已超期" in html
    assert f"{fresh.accept_due_on:%Y-%m-%d}" in html and "个工作日" in html
    overdue = client.get(reverse("complaints:queue"), {"show": "overdue"})
    assert [c.pk for c in overdue.context["page"].object_list] == [old.pk]


def test_an_agency_sees_only_complaints_routed_to_it(client, world, other_officer):
    mine = submit(world)
    theirs = submit(world, region=world.other_agency.region)
    assert theirs.agency == world.other_agency
    login(client, world.handler1)
    assert [c.pk for c in client.get(reverse("complaints:queue")).context["page"].object_list] == [mine.pk]
    assert client.get(reverse("complaints:detail", args=[theirs.pk])).status_code == 404
    assert act(client, theirs, "accept").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == ComplaintState.RECEIVED


def test_the_detail_page_shows_the_complainant_to_the_agency_only(
    client, world, other_officer, django_assert_max_num_queries
):
    complaint = submit(world, complainant_email="zhang@example.cn")
    login(client, world.handler1)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    for value in ("张三", VALID_PHONE, VALID_ID, "zhang@example.cn", complaint.routing_note):
        assert value in html
    client.logout()
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 302  # to the login page
    login(client, other_officer)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404


def test_a_supervisor_reads_the_region_but_cannot_act(client, world, supervisor, other_officer):
    inside = submit(world)
    outside = submit(world, region=world.other_agency.region)
    login(client, supervisor)
    listed = [c.pk for c in client.get(reverse("complaints:queue")).context["page"].object_list]
    assert listed == [inside.pk]
    response = client.get(reverse("complaints:detail", args=[inside.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="actions"' not in html
    # The matter, yes; the complainant, no (agency only).
    assert inside.title in html and 'id="complainant-hidden"' in html
    assert VALID_PHONE not in html and VALID_ID not in html and "张三" not in html
    assert client.get(reverse("complaints:detail", args=[outside.pk])).status_code == 404
    assert act(client, inside, "accept").status_code == 404
    with pytest.raises(services.ComplaintError):
        services.accept(inside, supervisor)


def test_navigation_shows_complaints_to_staff(client, world):
    login(client, world.handler1)
    html = client.get(reverse("complaints:queue")).content.decode()
    assert 'data-nav="complaints"' in html and 'aria-current="page" data-nav="complaints"' in html


# --- Actions through the browser ------------------------------------------------------------


def test_accept_then_close_with_a_reply_through_the_pages(client, world):
    complaint = submit(world)
    login(client, world.handler1)
    response = act(client, complaint, "accept", note="联合检查")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ACCEPTED and complaint.accepted_on == timezone.localdate()
    assert complaint.handled_by == world.handler1
    empty = act(client, complaint, "close", reply="")
    assert empty.status_code == 400 and "答复意见" in empty.content.decode()
    response = act(client, complaint, "close", reply="已责令整改。", internal_note="罚款建议")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED and complaint.reply == "已责令整改。"
    assert complaint.internal_note == "罚款建议"
    public = list(complaint.events.filter(public=True).values_list("action", flat=True))
    assert public == ["收到投诉举报", "分派承办机关", "受理", "办结"]
    assert set(complaint.events.filter(public=False).values_list("action", flat=True)) == {
        "分派说明",
        "受理意见",
        "内部处理意见",
    }
    reasons = list(complaint.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["收到投诉举报", "受理", "办结"]


def test_refuse_needs_a_reason_that_the_complainant_is_told(client, world):
    complaint = submit(world)
    login(client, world.handler1)
    response = act(client, complaint, "refuse", reason="  ")
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED
    assert act(client, complaint, "refuse", reason="属于民事纠纷，请向人民法院起诉。").status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.REJECTED and complaint.rejected_on == timezone.localdate()
    track = client.post(reverse("public-complaints:track"), {"code": complaint.tracking_code}).content.decode()
    assert "不予受理" in track and "属于民事纠纷" in track
    # Decided once: no second decision.
    with pytest.raises(services.ComplaintError) as error:
        services.accept(complaint, world.handler1)
    assert error.value.rule_code == "not_awaiting"


def test_transfer_reroutes_restarts_the_deadline_and_moves_scope(client, world, other_officer):
    complaint = submit(world, now=timezone.now() - datetime.timedelta(days=3))
    login(client, world.handler1)
    bad = act(client, complaint, "transfer", to_agency=world.agency.pk, reason="x")
    assert bad.status_code == 400  # not a choice: the own agency is not offered
    response = act(client, complaint, "transfer", to_agency=world.other_agency.pk, reason="经营地在菏泽")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.agency == world.other_agency and complaint.transferred_from == world.agency
    assert complaint.state == ComplaintState.TRANSFERRED and complaint.transferred_on == timezone.localdate()
    assert complaint.accept_due_on == services.accept_due_on(timezone.localdate())
    assert "经营地在菏泽" in complaint.routing_note
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404  # no longer ours
    services.accept(complaint, other_officer)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ACCEPTED


def test_transfer_to_a_suspended_agency_is_refused(world):
    complaint = submit(world)
    world.other_agency.status = AgencyStatus.SUSPENDED
    world.other_agency.save()
    with pytest.raises(services.ComplaintError) as error:
        services.transfer(complaint, world.handler1, to_agency=world.other_agency, reason="转")
    assert error.value.field == "to_agency"


def test_lead_creates_the_case_through_the_workflow_and_records_the_path(client, world):
    complaint = submit(world, power_item=world.power_item, subject_uscc="")
    login(client, world.handler1)
    assert act(client, complaint, "lead").status_code == 400  # not accepted yet
    assert act(client, complaint, "accept").status_code == 302
    response = act(client, complaint, "lead")
    complaint.refresh_from_db()
    case = complaint.case
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert case.source == Source.COMPLAINT and case.state == CaseState.LEAD
    assert case.agency == world.agency and case.power_item == world.power_item
    assert case.registered_by == world.handler1
    assert complaint.tracking_code in case.lead_summary
    assert case.lead_received_on == timezone.localdate(complaint.received_at)
    assert list(Case.objects.get(pk=case.pk).complaints.all()) == [complaint]
    with pytest.raises(services.ComplaintError) as error:
        services.make_lead(complaint, world.handler1)
    assert error.value.rule_code == "already_lead"
    # The queue marks it; closing it afterwards still works.
    services.close(complaint, world.handler1, reply="已立案调查。")


def test_a_lead_about_an_item_the_agency_does_not_hold_leaves_the_item_for_filing(world):
    from tests.factories import PowerItemFactory

    complaint = services.accept(submit(world), world.handler1)
    # e.g. transferred in with the item the complainant chose, which this agency does not hold
    Complaint.objects.filter(pk=complaint.pk).update(
        power_item=PowerItemFactory(name="他人事项", agencies=[world.other_agency])
    )
    complaint.refresh_from_db()
    case = services.make_lead(complaint, world.handler1)
    assert case.power_item is None and case.source == Source.COMPLAINT


def test_only_officers_of_the_agency_act(world, other_officer):
    complaint = submit(world)
    with pytest.raises(services.ComplaintError) as error:
        services.accept(complaint, other_officer)
    assert error.value.rule_code == "not_handler"
    world.handler1.active = False
    world.handler1.save()
    with pytest.raises(services.ComplaintError):
        services.accept(complaint, world.handler1)


def test_close_needs_acceptance_first(world):
    complaint = submit(world)
    with pytest.raises(services.ComplaintError) as error:
        services.close(complaint, world.handler1, reply="好")
    assert error.value.rule_code == "not_accepted"


def test_accepting_late_is_recorded_internally(world):
    complaint = submit(world, now=timezone.now() - datetime.timedelta(days=30))
    services.accept(complaint, world.handler1)
    assert complaint.events.filter(public=False, note__contains="超过受理期限").exists()


def test_every_change_reaches_the_ledger_without_personal_data(world):
    complaint = submit(world)
    services.accept(complaint, world.handler1)
    entries = LedgerEntry.objects.filter(
        kind="history", object_label="disclosure.complaint", object_pk=str(complaint.pk)
    )
    assert entries.count() == 2  # received, accepted
    for entry in entries:
        leaf = bytes(entry.leaf).decode("utf-8", "replace")
        assert "accepted" in leaf or "received" in leaf
        assert VALID_PHONE not in leaf and VALID_ID not in leaf and "张三" not in leaf


def test_analytics_reads_the_handled_complaint_as_accepted_and_dealt(world):
    """The meaning analytics gives the fields: accepted_on set and state not refused/transferred;
    dealt when the linked case is decided (analytics/compute/cells.py)."""
    from analytics.compute.cells import NOT_ACCEPTED_STATES

    complaint = services.accept(submit(world), world.handler1)
    case = services.make_lead(complaint, world.handler1)
    complaint.refresh_from_db()
    assert complaint.accepted_on and complaint.state not in NOT_ACCEPTED_STATES
    assert Complaint.objects.filter(case=case, accepted_on__isnull=False).count() == 1


def test_the_demo_command_is_idempotent_and_covers_every_state(db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_complaints", stdout=io.StringIO())
    first = set(Complaint.objects.values_list("tracking_code", "state"))
    call_command("seed_demo_complaints", stdout=io.StringIO())
    assert set(Complaint.objects.values_list("tracking_code", "state")) == first
    assert {state for _code, state in first} == set(ComplaintState.values)
    assert Complaint.objects.filter(case__isnull=False, case__source=Source.COMPLAINT).count() == 1


# --- The JSON API ----------------------------------------------------------------------------


def api(officer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(officer.user)
    return client


def test_api_lists_and_shows_only_what_is_in_scope(world, other_officer, supervisor):
    mine = submit(world)
    theirs = submit(world, region=world.other_agency.region)
    listed = api(world.handler1).get("/api/v1/complaints/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    detail = api(world.handler1).get(f"/api/v1/complaints/{mine.pk}/").json()
    assert detail["complainant_phone"] == VALID_PHONE and detail["events"]
    assert api(world.handler1).get(f"/api/v1/complaints/{theirs.pk}/").status_code == 404
    assert api(other_officer).post(f"/api/v1/complaints/{mine.pk}/accept/", {}, format="json").status_code == 404
    read = api(supervisor).get(f"/api/v1/complaints/{mine.pk}/")
    assert read.status_code == 200 and read.json()["title"] == mine.title
    assert "complainant_phone" not in read.json() and VALID_PHONE not in read.content.decode()
    assert api(supervisor).post(f"/api/v1/complaints/{mine.pk}/accept/", {}, format="json").status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/complaints/").status_code == 401


def test_api_steps_use_the_same_rules_and_messages(world):
    complaint = submit(world, power_item=world.power_item)
    client = api(world.handler1)
    refused = client.post(f"/api/v1/complaints/{complaint.pk}/close/", {"reply": "好"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "not_accepted"
    assert "受理后才能办结" in refused.json()["detail"]
    assert client.post(f"/api/v1/complaints/{complaint.pk}/accept/", {}, format="json").json()["state"] == "accepted"
    lead = client.post(f"/api/v1/complaints/{complaint.pk}/lead/", {}, format="json").json()
    assert Case.objects.get(pk=lead["created_case"]).source == Source.COMPLAINT
    closed = client.post(f"/api/v1/complaints/{complaint.pk}/close/", {"reply": "已立案"}, format="json").json()
    assert closed["state"] == "closed" and closed["case"] == lead["created_case"]


def test_api_transfer_answers_without_personal_data_once_it_is_gone(world):
    complaint = submit(world)
    client = api(world.handler1)
    own = client.post(
        f"/api/v1/complaints/{complaint.pk}/transfer/", {"to_agency": world.agency.pk, "reason": "x"}, format="json"
    )
    assert own.status_code == 400 and own.json()["field"] == "to_agency"
    moved = client.post(
        f"/api/v1/complaints/{complaint.pk}/transfer/",
        {"to_agency": world.other_agency.pk, "reason": "经营地在菏泽"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["state"] == "transferred"
    assert "complainant_phone" not in moved.json()


def test_attachments_download_for_the_handling_agency_only(client, world, supervisor):
    from tests.disclosure.complaint_factories import PNG, Hashed

    complaint = submit(world, uploads=[Hashed(PNG, "现场.png")])
    attachment = complaint.attachments.get()
    url = reverse("complaints:attachment", args=[attachment.pk])
    login(client, world.handler1)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "image/png"
    client.logout()
    login(client, supervisor)
    assert client.get(url).status_code == 404


def test_the_justice_bureau_passes_on_what_nobody_else_handles(client, world, regions, supervisor):
    complaint = submit(world, sector=Sector.TRANSPORT)  # no transport agency anywhere
    assert complaint.agency == supervisor.agency and "司法行政" in complaint.routing_note
    transport = AgencyFactory(name="济宁市交通运输局", region=regions["city"], sector=Sector.TRANSPORT)
    login(client, supervisor)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="action-transfer"' in html and VALID_PHONE in html  # it is the bureau's own complaint
    response = act(client, complaint, "transfer", to_agency=transport.pk, reason="属于交通运输部门职责")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.agency == transport and complaint.state == ComplaintState.TRANSFERRED
    # Still in the supervisor's region: readable, but no longer theirs to handle or to see who complained.
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="actions"' not in html and VALID_PHONE not in html
    assert act(client, complaint, "accept").status_code == 404


def test_the_system_administrator_routes_an_unroutable_complaint_by_hand(client, world, settings):
    from tests.factories import UserFactory

    settings.COMPLAINT_DEFAULT_AGENCY = ""
    complaint = submit(world, sector=Sector.TRANSPORT)  # no transport agency, no justice bureau here
    assert complaint.agency is None and complaint.accept_due_on is None
    with pytest.raises(services.ComplaintError):
        services.assign(complaint, world.handler1.user, to_agency=world.agency, reason="x")
    admin = UserFactory(username="root-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="action-assign"' in html
    assert act(client, complaint, "assign", to_agency=world.agency.pk, reason="").status_code == 400
    assert act(client, complaint, "assign", to_agency=world.agency.pk, reason="货运站在任城区").status_code == 302
    complaint.refresh_from_db()
    assert complaint.agency == world.agency
    assert complaint.accept_due_on == services.accept_due_on(timezone.localdate())
    assert "货运站在任城区" in complaint.routing_note
    # From now on it is the agency's: the administrator cannot assign it again.
    assert act(client, complaint, "assign", to_agency=world.other_agency.pk, reason="再分").status_code == 404


def test_the_admin_cannot_change_a_complaint_behind_the_rules(client, world):
    from tests.factories import UserFactory

    complaint = submit(world)
    admin = UserFactory(username="root-admin2", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:disclosure_complaint_change", args=[complaint.pk])
    client.post(url, {"state": "closed", "reply": "改"})
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED and complaint.reply == ""
    assert client.get(reverse("admin:disclosure_complaint_add")).status_code == 403


def test_the_admin_cannot_delete_or_add_a_complaints_events_or_attachments(client, world):
    from tests.factories import UserFactory

    complaint = submit(world)
    events = complaint.events.count()
    admin = UserFactory(username="root-admin3", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("admin:disclosure_complaint_change", args=[complaint.pk]))
    assert page.status_code == 200
    for formset in page.context["inline_admin_formsets"]:
        assert not formset.formset.can_delete and not formset.has_add_permission
    assert complaint.events.count() == events
