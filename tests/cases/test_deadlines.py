"""cases.deadlines: every deadline of a case, across weekends and holidays, without a query per case."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.deadlines import case_deadlines, decision_due_on, with_deadline_data
from cases.models import (
    ArrangementKind,
    Case,
    CaseState,
    DecisionKind,
    Extension,
    Hearing,
    Payment,
    PaymentArrangement,
    PriorNotice,
    Procedure,
)
from cases.workflow import give_prior_notice, request_hearing
from tests.cases.factories import CaseFactory, investigated_via_workflow

pytestmark = pytest.mark.django_db

D = datetime.date


def by_key(case, today):
    return {d.key: d for d in case_deadlines(case, today=today)}


def test_a_lead_has_the_filing_deadline_in_working_days(world):
    # Lead 2026-09-25 (Fri): 9-28..30, the National Day holiday 10-01..07, 10-10 a make-up working Saturday:
    # the fifteenth working day is 2026-10-22.
    case = CaseFactory(agency=world.agency, lead_received_on=D(2026, 9, 25))
    deadlines = by_key(case, today=D(2026, 10, 20))
    assert list(deadlines) == ["filing"]
    filing = deadlines["filing"]
    assert filing.due_on == D(2026, 10, 22)
    assert filing.days_left == 2
    assert filing.done_on is None
    assert "第十八条" in filing.article


def test_decision_deadline_is_90_natural_days_moved_off_a_rest_day(world):
    # Filed 2026-09-28: the 90th day is Sunday 2026-12-27, so the period ends Monday 2026-12-28.
    case = CaseFactory(agency=world.agency, state=CaseState.INVESTIGATING, filed_on=D(2026, 9, 28))
    decision = by_key(case, today=D(2026, 12, 30))["decision"]
    assert decision.due_on == D(2026, 12, 28)
    assert decision.days_left == -2
    assert decision.overdue
    assert decision.article == "《行政处罚法》第六十条"
    assert by_key(case, today=D(2026, 12, 30))["filing"].done_on == D(2026, 9, 28)


def test_extensions_lengthen_the_decision_period(world):
    case = CaseFactory(agency=world.agency, state=CaseState.INVESTIGATING, filed_on=D(2026, 3, 5))
    assert decision_due_on(case) == D(2026, 6, 3)
    Extension.objects.create(case=case, days=30, reason="检验", approved_by=world.head, approved_on=D(2026, 5, 1))
    decision = by_key(case, today=D(2026, 6, 1))["decision"]
    assert decision.due_on == D(2026, 7, 3)
    assert "含延长30日" in decision.note


def test_decided_case_shows_its_decision_done_and_service_due(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.DECIDED,
        filed_on=D(2026, 9, 1),
        decided_on=D(2026, 9, 29),
        decision_kind=DecisionKind.PENALTY,
        fine_amount=Decimal("1000"),
    )
    deadlines = by_key(case, today=D(2026, 10, 8))
    assert deadlines["decision"].done_on == D(2026, 9, 29)
    assert deadlines["decision"].days_left is None
    # seven working days from 09-29: 09-30, 10-08, 10-09, 10-10 (make-up), 10-12, 10-13, 10-14
    assert deadlines["service"].due_on == D(2026, 10, 14)
    assert "第六十一条" in deadlines["service"].article
    assert "payment" not in deadlines


def test_prior_notice_before_national_day(world):
    case = investigated_via_workflow(world, fine=Decimal("100000"))  # organisation, 100,000: hearing right
    give_prior_notice(case, world.handler1, served_on=D(2026, 9, 30))
    deadlines = by_key(case, today=D(2026, 10, 9))
    assert deadlines["statement"].due_on == D(2026, 10, 13)
    assert deadlines["hearing_request"].due_on == D(2026, 10, 13)
    assert deadlines["hearing_request"].days_left == 4
    assert deadlines["hearing_request"].article == "《行政处罚法》第六十四条第一款"
    request_hearing(case, world.handler1, requested_on=D(2026, 10, 9))
    assert by_key(case, today=D(2026, 10, 9))["hearing_request"].done_on == D(2026, 10, 9)


def test_party_periods_close_when_they_run_out_or_are_waived(world):
    case = CaseFactory(agency=world.agency, state=CaseState.NOTIFIED, filed_on=D(2026, 3, 5))
    PriorNotice.objects.create(
        case=case,
        number="济任市监告〔2026〕1号",
        served_on=D(2026, 4, 1),
        statement_deadline=D(2026, 4, 9),
    )
    case = Case.objects.get(pk=case.pk)
    assert by_key(case, today=D(2026, 4, 8))["statement"].done_on is None
    assert by_key(case, today=D(2026, 4, 10))["statement"].done_on == D(2026, 4, 9)
    case.prior_notice.waived_on = D(2026, 4, 2)
    assert by_key(case, today=D(2026, 4, 8))["statement"].done_on == D(2026, 4, 2)
    assert "hearing_request" not in by_key(case, today=D(2026, 4, 8))


def test_hearing_date_is_a_deadline_once_scheduled(world):
    case = CaseFactory(agency=world.agency, state=CaseState.HEARING, filed_on=D(2026, 3, 5))
    PriorNotice.objects.create(
        case=case,
        number="n",
        served_on=D(2026, 4, 1),
        statement_deadline=D(2026, 4, 9),
        hearing_right=True,
        hearing_request_deadline=D(2026, 4, 9),
        hearing_requested_on=D(2026, 4, 3),
    )
    Hearing.objects.create(
        case=case,
        host=world.reviewer,
        notice_number="h",
        notice_served_on=D(2026, 4, 7),
        scheduled_on=D(2026, 4, 20),
        place="听证室",
    )
    hearing = by_key(Case.objects.get(pk=case.pk), today=D(2026, 4, 15))["hearing"]
    assert hearing.due_on == D(2026, 4, 20)
    assert hearing.days_left == 5


def test_payment_is_due_15_days_after_service_or_at_the_arrangements_end(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.EXECUTING,
        filed_on=D(2026, 3, 5),
        decided_on=D(2026, 4, 13),
        decision_kind=DecisionKind.PENALTY,
        fine_amount=Decimal("60000"),
        served_on=D(2026, 4, 15),
    )
    payment = by_key(case, today=D(2026, 4, 20))["payment"]
    assert payment.due_on == D(2026, 4, 30)
    assert payment.article == "《行政处罚法》第六十六条"
    PaymentArrangement.objects.create(
        case=case,
        kind=ArrangementKind.INSTALMENTS,
        applied_on=D(2026, 4, 20),
        approved_by=world.head,
        approved_on=D(2026, 4, 22),
        final_due_on=D(2026, 8, 31),
        reason="经营困难",
    )
    case = Case.objects.get(pk=case.pk)
    assert by_key(case, today=D(2026, 4, 20))["payment"].due_on == D(2026, 8, 31)
    Payment.objects.create(
        case=case, amount=Decimal("30000"), paid_on=D(2026, 5, 1), receipt_number="1", recorded_by=world.head
    )
    assert by_key(case, today=D(2026, 5, 2))["payment"].done_on is None
    Payment.objects.create(
        case=case, amount=Decimal("30000"), paid_on=D(2026, 6, 1), receipt_number="2", recorded_by=world.head
    )
    case = Case.objects.get(pk=case.pk)
    assert by_key(case, today=D(2026, 6, 2))["payment"].done_on == D(2026, 6, 1)


def test_archiving_within_30_days_of_closing(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.CLOSED,
        filed_on=D(2026, 3, 5),
        decided_on=D(2026, 4, 13),
        decision_kind=DecisionKind.NOT_ESTABLISHED,
        served_on=D(2026, 4, 14),
        closed_on=D(2026, 9, 5),
    )
    archive = by_key(case, today=D(2026, 9, 10))["archive"]
    # 30 days from 09-05 is 10-05, inside the National Day holiday: the period ends 10-08.
    assert archive.due_on == D(2026, 10, 8)


def test_summary_case_report_deadline(world):
    case = CaseFactory(
        agency=world.agency,
        procedure=Procedure.SUMMARY,
        state=CaseState.DECIDED,
        decided_on=D(2026, 9, 30),
        decision_kind=DecisionKind.PENALTY,
    )
    deadlines = by_key(case, today=D(2026, 10, 1))
    assert list(deadlines) == ["summary_report"]
    assert deadlines["summary_report"].due_on == D(2026, 10, 10)


def test_a_year_without_a_holiday_notice_gives_an_estimate_and_says_so(world):
    case = CaseFactory(agency=world.agency, state=CaseState.INVESTIGATING, filed_on=D(2026, 11, 20))
    decision = by_key(case, today=D(2026, 11, 21))["decision"]
    assert decision.due_on == D(2027, 2, 18)  # unshifted: the earliest the period can end
    assert "节假日安排尚未录入" in decision.note
    late = CaseFactory(
        agency=world.agency, state=CaseState.DECIDED, decided_on=D(2026, 12, 30), decision_kind="penalty"
    )
    service = by_key(late, today=D(2026, 12, 30))["service"]
    assert service.due_on is None and service.days_left is None
    assert service.note


def test_not_filed_leads_have_no_deadline(world):
    case = CaseFactory(agency=world.agency, state=CaseState.NOT_FILED)
    assert case_deadlines(case, today=D(2026, 3, 3)) == []


def test_default_today(world):
    case = CaseFactory(agency=world.agency, lead_received_on=D(2026, 3, 2))
    filing = case_deadlines(case)[0]
    assert filing.days_left == (filing.due_on - timezone.localdate()).days


def test_no_query_per_case_on_a_prefetched_list(world, django_assert_num_queries):
    for i in range(5):
        case = CaseFactory(
            agency=world.agency,
            state=CaseState.EXECUTING,
            filed_on=D(2026, 3, 5),
            decided_on=D(2026, 4, 13),
            decision_kind=DecisionKind.PENALTY,
            fine_amount=Decimal("1000"),
            served_on=D(2026, 4, 15),
        )
        PriorNotice.objects.create(case=case, number=f"n{i}", served_on=D(2026, 4, 1), statement_deadline=D(2026, 4, 9))
        Extension.objects.create(case=case, days=10, reason="r", approved_by=world.head, approved_on=D(2026, 5, 1))
    case_deadlines(Case.objects.first(), today=D(2026, 5, 1))  # loads the calendar year once
    with django_assert_num_queries(4):  # the cases, then extensions, payments, arrangements for all of them
        cases = list(with_deadline_data(Case.objects.all()))
        for case in cases:
            case_deadlines(case, today=D(2026, 5, 1))
