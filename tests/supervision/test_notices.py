"""Supervision notices: numbered PDFs, deadlines in working days across holidays, answers, late
answers flagged, on the case's timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.errors import WorkflowError
from supervision import engine
from supervision.models import Alert, NoticeKind
from supervision.rules import CATALOGUE
from supervision.services import notices as service

from .conftest import login
from .factories import D, filed

pytestmark = pytest.mark.django_db


def _alert(world):
    case = filed(world, filed_on=D(2026, 1, 5))
    engine.run(
        rules=[CATALOGUE["S-DECISION-OVERDUE"]], cases=type(case).objects.filter(pk=case.pk), today=D(2026, 6, 1)
    )
    return Alert.objects.get(case=case)


def _issue(bureaus, alert, issued_on=datetime.date(2026, 9, 28), days=10):
    return service.issue(
        bureaus.city_supervisor.user,
        kind=NoticeKind.DIRECTIVE,
        subject="超过办案期限",
        findings="立案后超过九十日未作出决定。",
        requirements="请立即依法作出决定，并说明超期原因。",
        issued_on=issued_on,
        response_days=days,
        alerts=[alert],
    )


def test_the_response_deadline_counts_working_days_across_the_national_day_holiday(world, bureaus):
    notice = _issue(bureaus, _alert(world))
    # 10 working days from 2026-09-28: the holiday 10-01…10-07 does not count, 10-10 (Saturday) is a make-up working day.
    assert notice.response_due_on == datetime.date(2026, 10, 16)


def test_an_unknown_holiday_year_refuses_the_notice_instead_of_guessing(world, bureaus):
    with pytest.raises(WorkflowError) as excinfo:
        service.response_due_on(D(2027, 12, 20), 10)
    assert excinfo.value.rule_code == "calendar_unknown"


def test_notices_are_numbered_without_gaps_and_printed_with_their_digest(world, bureaus):
    first = _issue(bureaus, _alert(world))
    second = _issue(bureaus, _alert(world))
    assert (first.number, second.number) == ("济司督〔2026〕1号", "济司督〔2026〕2号")
    pdf = first.file.open("rb").read()
    assert pdf.startswith(b"%PDF") and len(first.sha256) == 64


def test_issuing_notifies_the_alert_and_puts_the_notice_on_the_case_timeline(client, world, bureaus):
    alert = _alert(world)
    notice = _issue(bureaus, alert)
    alert.refresh_from_db()
    assert alert.state == "notified"
    page = login(client, world.handler1).get(reverse("cases:timeline", args=[alert.case_id])).content.decode()
    assert notice.number in page


def test_an_answer_after_the_deadline_is_flagged_late(client, world, bureaus):
    notice = _issue(bureaus, _alert(world), issued_on=D(2026, 9, 1), days=5)
    assert notice.response_due_on < timezone.localdate()
    login(client, world.head).post(
        reverse("supervision:notice-action", args=[notice.pk, "answer"]), {"text": "已整改完毕。"}
    )
    notice.refresh_from_db()
    assert notice.state == "answered" and notice.answered_late
    assert notice.replies.get().late


def test_the_supervisor_returns_an_answer_and_the_agency_answers_again(client, world, bureaus):
    notice = _issue(bureaus, _alert(world), issued_on=timezone.localdate(), days=10)
    login(client, world.head).post(
        reverse("supervision:notice-action", args=[notice.pk, "answer"]), {"text": "已核查。"}
    )
    notice.refresh_from_db()
    assert not notice.answered_late
    response = login(client, bureaus.city_supervisor).post(
        reverse("supervision:notice-action", args=[notice.pk, "return"]), {"text": ""}
    )
    assert response.status_code == 400  # a return needs a reason
    client.post(reverse("supervision:notice-action", args=[notice.pk, "return"]), {"text": "未说明整改措施。"})
    notice.refresh_from_db()
    assert notice.state == "returned"
    login(client, world.head).post(
        reverse("supervision:notice-action", args=[notice.pk, "answer"]), {"text": "补充整改措施。"}
    )
    login(client, bureaus.city_supervisor).post(
        reverse("supervision:notice-action", args=[notice.pk, "accept"]), {"text": ""}
    )
    notice.refresh_from_db()
    assert notice.state == "closed"


def test_a_notice_out_of_scope_is_not_found(client, world, bureaus):
    notice = _issue(bureaus, _alert(world))
    assert (
        login(client, bureaus.other_supervisor).get(reverse("supervision:notice", args=[notice.pk])).status_code == 404
    )
    assert client.get(reverse("supervision:notice-pdf", args=[notice.pk])).status_code == 404
    assert login(client, world.handler1).get(reverse("supervision:notice-pdf", args=[notice.pk])).status_code == 200


def test_a_notice_covers_one_agency(world, bureaus):
    other = filed(world, filed_on=D(2026, 1, 5))
    type(other).objects.filter(pk=other.pk).update(agency=bureaus.county)  # a case of another agency in scope
    with pytest.raises(WorkflowError) as excinfo:
        service.issue(
            bureaus.city_supervisor.user,
            kind=NoticeKind.OPINION,
            subject="x",
            findings="x",
            requirements="x",
            issued_on=D(2026, 9, 28),
            response_days=10,
            cases=[filed(world), other],
        )
    assert excinfo.value.rule_code == "several_agencies"


def test_the_issue_form_keeps_the_input_when_refused(client, world, bureaus):
    alert = _alert(world)
    response = login(client, bureaus.city_supervisor).post(
        reverse("supervision:notice-new") + f"?alerts={alert.pk}",
        {
            "kind": "directive",
            "subject": "超期",
            "findings": "问题",
            "requirements": "要求",
            "issued_on": "2099-01-01",
            "response_days": 10,
            "alerts": str(alert.pk),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "签发日期不能晚于今天" in page and "问题" in page
