"""Reconsideration and litigation against a decision (cases.workflow.record_remedy / _outcome)."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from cases import signals, workflow
from cases.errors import WorkflowError
from cases.models import CaseEvent, CaseState, Remedy, RemedyKind, RemedyOutcome
from tests.cases.factories import CaseFactory, decided_case
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

FILED = datetime.date(2026, 4, 1)


def remedy_of(world, case=None, **kwargs):
    case = case or decided_case(world)
    fields = dict(kind=RemedyKind.RECONSIDERATION, filed_on=FILED, body="济宁市任城区人民政府")
    fields.update(kwargs)
    return workflow.record_remedy(case, world.handler1, **fields)


def archived(case):
    type(case).objects.filter(pk=case.pk).update(state=CaseState.ARCHIVED, archived_on=datetime.date(2026, 3, 20))
    case.refresh_from_db()
    return case


def test_an_application_is_recorded_on_the_decided_case_and_its_timeline(world):
    remedy = remedy_of(world, reference="任政复〔2026〕8号")
    assert remedy.pending and not remedy.overturned
    assert remedy.case.state == CaseState.DECIDED  # a remedy does not move the case
    event = CaseEvent.objects.filter(case=remedy.case).last()
    assert event.action == "登记行政复议"
    assert "济宁市任城区人民政府" in event.summary and "任政复〔2026〕8号" in event.summary


@pytest.mark.parametrize("state", [CaseState.LEAD, CaseState.INVESTIGATING, CaseState.PENDING_DECISION])
def test_no_remedy_before_there_is_a_decision(world, state):
    case = CaseFactory(agency=world.agency, registered_by=world.handler1, state=state)
    with pytest.raises(WorkflowError) as excinfo:
        remedy_of(world, case=case)
    assert excinfo.value.rule_code == "wrong_state"


def test_only_the_deciding_agency_records_a_remedy(world):
    stranger = OfficerFactory(agency=world.other_agency)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.record_remedy(
            decided_case(world), stranger, kind=RemedyKind.LITIGATION, filed_on=FILED, body="济宁市中级人民法院"
        )
    assert excinfo.value.rule_code == "other_agency"


def test_impossible_dates_and_missing_body_are_refused_with_the_field(world):
    case = decided_case(world, decided_on=datetime.date(2026, 3, 2))
    with pytest.raises(WorkflowError) as before:
        remedy_of(world, case=case, filed_on=datetime.date(2026, 3, 1))
    assert before.value.rule_code == "remedy_before_decision" and before.value.field == "filed_on"
    with pytest.raises(WorkflowError) as future:
        remedy_of(world, case=case, filed_on=datetime.date.today() + datetime.timedelta(days=1))
    assert future.value.rule_code == "remedy_in_future"
    with pytest.raises(WorkflowError) as body:
        remedy_of(world, case=case, body="  ")
    assert body.value.field == "body"
    assert not Remedy.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "overturned"),
    [
        (RemedyOutcome.UPHELD, False),
        (RemedyOutcome.REJECTED, False),
        (RemedyOutcome.WITHDRAWN, False),
        (RemedyOutcome.CHANGED, True),
        (RemedyOutcome.REVOKED, True),
        (RemedyOutcome.REMADE, True),
        (RemedyOutcome.CONFIRMED_UNLAWFUL, True),
        (RemedyOutcome.CONFIRMED_VOID, True),
    ],
)
def test_the_outcome_says_whether_the_decision_was_overturned(world, outcome, overturned):
    remedy = workflow.record_remedy_outcome(
        remedy_of(world), world.handler2, outcome=outcome, outcome_on=datetime.date(2026, 5, 20), summary="复议决定"
    )
    remedy.refresh_from_db()
    assert remedy.outcome == outcome and remedy.overturned is overturned
    summary = CaseEvent.objects.filter(case=remedy.case).last().summary
    assert ("第四十八条第二款" in summary) is overturned


def test_an_outcome_is_recorded_once_and_not_before_the_application(world):
    remedy = remedy_of(world)
    with pytest.raises(WorkflowError) as early:
        workflow.record_remedy_outcome(remedy, world.handler1, outcome="revoked", outcome_on=datetime.date(2026, 3, 31))
    assert early.value.rule_code == "outcome_before_filing"
    with pytest.raises(WorkflowError) as unknown:
        workflow.record_remedy_outcome(remedy, world.handler1, outcome="won", outcome_on=datetime.date(2026, 5, 1))
    assert unknown.value.field == "outcome"
    workflow.record_remedy_outcome(remedy, world.handler1, outcome="upheld", outcome_on=datetime.date(2026, 5, 1))
    with pytest.raises(WorkflowError) as again:
        workflow.record_remedy_outcome(remedy, world.handler1, outcome="revoked", outcome_on=datetime.date(2026, 5, 2))
    assert again.value.rule_code == "remedy_outcome_recorded"
    remedy.refresh_from_db()
    assert remedy.outcome == "upheld"


@pytest.mark.django_db(transaction=True)
def test_other_apps_hear_an_overturned_decision_after_commit(world):
    heard = []

    def receiver(sender, signal, **kwargs):
        heard.append(kwargs)

    signals.remedy_outcome_recorded.connect(receiver, dispatch_uid="test-remedy", weak=False)
    try:
        remedy = remedy_of(world)
        workflow.record_remedy_outcome(remedy, world.handler1, outcome="revoked", outcome_on=datetime.date(2026, 5, 1))
    finally:
        signals.remedy_outcome_recorded.disconnect(dispatch_uid="test-remedy")
    assert heard == [{"case_id": remedy.case_id, "remedy_id": remedy.pk, "outcome": "revoked", "overturned": True}]


def test_an_archived_case_still_takes_its_remedies_but_nothing_else(world):
    case = archived(decided_case(world))
    remedy = remedy_of(world, case=case)
    workflow.record_remedy_outcome(remedy, world.handler1, outcome="changed", outcome_on=datetime.date(2026, 6, 1))
    assert Remedy.objects.get(pk=remedy.pk).overturned
    with pytest.raises(WorkflowError) as excinfo, transaction.atomic():
        Remedy.objects.get(pk=remedy.pk).delete()
    assert excinfo.value.rule_code == "case_archived"
    with pytest.raises(WorkflowError):
        workflow.add_party(case, world.handler1, kind="person", name="张三")


def test_the_case_page_records_a_remedy_and_its_outcome(client, world):
    case = decided_case(world)
    client.force_login(world.handler1.user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "登记行政复议、行政诉讼" in page
    url = reverse("cases:step", args=[case.pk, "record_remedy"])
    refused = client.post(url, {"kind": "litigation", "body": "济宁市中级人民法院", "filed_on": "2026-03-01"})
    assert refused.status_code == 400
    assert "济宁市中级人民法院" in refused.content.decode()  # the input is kept
    response = client.post(url, {"kind": "litigation", "body": "济宁市中级人民法院", "filed_on": "2026-04-02"})
    assert response.status_code == 302
    remedy = Remedy.objects.get(case=case)
    outcome_url = reverse("cases:remedy-outcome", args=[case.pk, remedy.pk])
    assert outcome_url in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    response = client.post(outcome_url, {"outcome": "confirmed_unlawful", "outcome_on": "2026-06-30", "summary": "判决确认违法"})
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "确认违法" in page and "原决定未予维持" in page


def test_a_supervisor_sees_remedies_but_cannot_record_them(client, world, regions):
    from lawenforce.models import Sector
    from tests.factories import AgencyFactory

    bureau = AgencyFactory(region=regions["city"], sector=Sector.JUSTICE)
    supervisor = OfficerFactory(agency=bureau, is_supervisor=True)
    remedy = remedy_of(world)
    client.force_login(supervisor.user)
    page = client.get(reverse("cases:detail", args=[remedy.case_id])).content.decode()
    assert "济宁市任城区人民政府" in page
    response = client.post(
        reverse("cases:remedy-outcome", args=[remedy.case_id, remedy.pk]), {"outcome": "revoked", "outcome_on": "2026-05-01"}
    )
    assert response.status_code in (403, 404)
    assert Remedy.objects.get(pk=remedy.pk).pending


def test_the_api_records_a_remedy_and_its_outcome(world):
    case = decided_case(world)
    api = APIClient()
    api.force_authenticate(world.handler1.user)
    response = api.post(
        f"/api/v1/cases/{case.pk}/remedies/",
        {"kind": "reconsideration", "body": "济宁市任城区人民政府", "filed_on": "2026-04-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    remedy_id = response.json()["remedies"][0]["id"]
    refused = api.post(
        f"/api/v1/cases/{case.pk}/remedies/{remedy_id}/outcome/", {"outcome": "revoked", "outcome_on": "2026-03-01"}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "outcome_before_filing"
    response = api.post(
        f"/api/v1/cases/{case.pk}/remedies/{remedy_id}/outcome/", {"outcome": "revoked", "outcome_on": "2026-05-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["remedies"][0]["overturned"] is True
    other = APIClient()
    other.force_authenticate(OfficerFactory(agency=world.other_agency).user)
    assert other.post(f"/api/v1/cases/{case.pk}/remedies/", {}, format="json").status_code == 404
