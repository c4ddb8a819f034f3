"""From the decision to the archive: service, payment, deferral, court, closing, archiving."""

import datetime
from decimal import Decimal

import pytest

from cases import workflow
from cases.errors import WorkflowError
from cases.models import ArrangementKind, CaseState, CourtApplication, DecisionKind, Procedure, ServiceMethod
from cases.rules import amount_outstanding, check_court_application, check_electronic_service, court_application_window
from tests.cases.factories import PartyFactory, assert_refused, decided_case

pytestmark = pytest.mark.django_db

D = datetime.date
APL = "《行政处罚法》"
SERVED = D(2026, 3, 3)  # Tuesday; the 15 days run to Wednesday 18 March
DUE = D(2026, 3, 18)


def serve(world, case, **kwargs):
    options = {"method": ServiceMethod.DIRECT, "served_on": SERVED, "recipient": "王某", "address": "某路1号"}
    return workflow.serve_decision(case, world.handler1, **{**options, **kwargs})


# --- Service ----------------------------------------------------------------------------------------


def test_serving_a_fine_starts_execution_with_fifteen_days_to_pay(world):
    case = decided_case(world)
    service = serve(world, case)
    case.refresh_from_db()
    assert service.served_by == world.handler1 and service.method == ServiceMethod.DIRECT
    assert case.state == CaseState.EXECUTING
    assert case.served_on == SERVED
    assert case.payment_due_on == DUE
    event = case.events.get(to_state=CaseState.EXECUTING)
    assert "第六十六条" in event.summary


def test_serving_a_warning_leaves_nothing_to_pay(world):
    case = decided_case(world, fine=None)
    serve(world, case)
    case.refresh_from_db()
    assert case.state == CaseState.SERVED
    assert case.payment_due_on is None


def test_payment_due_date_moves_off_a_rest_day(world):
    case = decided_case(world)
    serve(world, case, served_on=D(2026, 3, 6))  # +15 = Saturday 21 March → Monday 23 March
    case.refresh_from_db()
    assert case.payment_due_on == D(2026, 3, 23)


def test_only_a_handler_serves(world):
    case = decided_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.serve_decision(case, world.reviewer, method=ServiceMethod.DIRECT, served_on=SERVED, recipient="王某")
    assert excinfo.value.rule_code == "handler_required"


def test_only_a_decided_case_is_served(world):
    case = decided_case(world, state=CaseState.PENDING_DECISION)
    with pytest.raises(WorkflowError) as excinfo:
        serve(world, case)
    assert excinfo.value.rule_code == "wrong_state"


def test_service_before_the_decision_is_refused(world):
    case = decided_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        serve(world, case, served_on=D(2026, 3, 1))
    assert excinfo.value.rule_code == "served_before_decision"


def test_electronic_service_needs_the_partys_consent(world):
    case = decided_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        serve(world, case, method=ServiceMethod.ELECTRONIC)
    assert_refused(excinfo, "no_electronic_consent", f"{APL}第六十一条")
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED and not case.services.exists()

    case.parties.update(electronic_service_consent=True, electronic_address="wang@example.com")
    serve(world, case, method=ServiceMethod.ELECTRONIC)
    case.refresh_from_db()
    assert case.state == CaseState.EXECUTING


def test_check_electronic_service_alone(world):
    party = PartyFactory.build(electronic_service_consent=True, electronic_address="")
    with pytest.raises(WorkflowError) as excinfo:
        check_electronic_service(party)
    assert_refused(excinfo, "no_electronic_consent", f"{APL}第六十一条")
    party.electronic_address = "13800000000"
    check_electronic_service(party)


def test_late_service_is_noted(world):
    case = decided_case(world)
    serve(world, case, served_on=D(2026, 3, 20))
    assert "七个工作日" in case.events.get(to_state=CaseState.EXECUTING).summary


# --- Payment ----------------------------------------------------------------------------------------


def test_payment_on_time_pays_in_full(world):
    case = decided_case(world)
    serve(world, case)
    payment = workflow.record_payment(case, world.handler2, amount=Decimal("10000"), paid_on=DUE, receipt_number="NO.1")
    assert payment.surcharge_part == Decimal("0")
    assert payment.recorded_by == world.handler2
    assert amount_outstanding(case, DUE) == 0
    assert case.events.filter(action="已全部缴清").count() == 1


def test_late_payment_carries_the_surcharge(world):
    case = decided_case(world)
    serve(world, case)
    paid_on = DUE + datetime.timedelta(days=10)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.record_payment(case, world.handler1, amount=Decimal("13000.01"), paid_on=paid_on, receipt_number="1")
    assert_refused(excinfo, "overpayment", f"{APL}第七十二条")

    first = workflow.record_payment(case, world.handler1, amount=Decimal("10000"), paid_on=paid_on, receipt_number="1")
    assert first.surcharge_part == 0
    assert amount_outstanding(case, paid_on) == Decimal("3000.00")
    assert not case.events.filter(action="已全部缴清").exists()
    # The surcharge stopped when the fine was paid: later it is still 3,000.
    assert amount_outstanding(case, paid_on + datetime.timedelta(days=20)) == Decimal("3000.00")

    second = workflow.record_payment(
        case, world.handler1, amount=Decimal("3000"), paid_on=D(2026, 4, 10), receipt_number="2"
    )
    assert second.surcharge_part == Decimal("3000.00")
    assert case.events.filter(action="已全部缴清").count() == 1


def test_one_late_payment_of_fine_and_surcharge(world):
    case = decided_case(world)
    serve(world, case)
    payment = workflow.record_payment(
        case, world.handler1, amount=Decimal("13000"), paid_on=D(2026, 3, 28), receipt_number="3"
    )
    assert payment.surcharge_part == Decimal("3000.00")
    assert "加处罚款 3000.00 元" in case.events.filter(action="登记缴款").get().summary


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.001"), "abc"])
def test_payment_amount_must_be_positive_money(world, amount):
    case = decided_case(world)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.record_payment(case, world.handler1, amount=amount, paid_on=DUE, receipt_number="1")
    assert excinfo.value.rule_code == "invalid_amount"


def test_payment_by_another_agency_is_refused(world):
    case = decided_case(world)
    serve(world, case)
    from tests.factories import OfficerFactory

    stranger = OfficerFactory(agency=world.other_agency)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.record_payment(case, stranger, amount=Decimal("1"), paid_on=DUE, receipt_number="1")
    assert excinfo.value.rule_code == "other_agency"


def test_payment_needs_a_receipt_number(world):
    case = decided_case(world)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.record_payment(case, world.handler1, amount=Decimal("1"), paid_on=DUE, receipt_number=" ")
    assert_refused(excinfo, "receipt_required", f"{APL}第六十七条")


# --- Deferral and instalments -----------------------------------------------------------------------


def arrange(world, case, **kwargs):
    options = {
        "kind": ArrangementKind.DEFERRAL,
        "applied_on": D(2026, 3, 10),
        "approved_on": D(2026, 3, 12),
        "final_due_on": D(2026, 5, 29),
        "reason": "当事人经营困难，确有经济困难。",
    }
    return workflow.approve_payment_arrangement(case, world.head, **{**options, **kwargs})


def test_deferral_moves_the_surcharge_start(world):
    case = decided_case(world)
    serve(world, case)
    arrangement = arrange(world, case)
    assert arrangement.approved_by == world.head
    assert amount_outstanding(case, D(2026, 5, 29)) == Decimal("10000.00")
    assert amount_outstanding(case, D(2026, 6, 1)) == Decimal("10900.00")
    payment = workflow.record_payment(
        case, world.handler1, amount=Decimal("10000"), paid_on=D(2026, 5, 29), receipt_number="7"
    )
    assert payment.surcharge_part == 0
    assert case.events.filter(action="已全部缴清").exists()


def test_deferral_needs_the_head(world):
    case = decided_case(world)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.approve_payment_arrangement(
            case,
            world.handler1,
            kind=ArrangementKind.DEFERRAL,
            applied_on=D(2026, 3, 10),
            approved_on=D(2026, 3, 12),
            final_due_on=D(2026, 5, 29),
            reason="困难",
        )
    assert excinfo.value.rule_code == "head_required"


def test_deferral_needs_a_reason(world):
    case = decided_case(world)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        arrange(world, case, reason="")
    assert_refused(excinfo, "reason_required", f"{APL}第六十六条第二款")


def test_instalments_must_add_up_to_what_is_owed(world):
    case = decided_case(world)
    serve(world, case)
    rows = [{"due_on": "2026-04-15", "amount": "5000"}, {"due_on": D(2026, 5, 15), "amount": "4000"}]
    with pytest.raises(WorkflowError) as excinfo:
        arrange(world, case, kind=ArrangementKind.INSTALMENTS, instalments=rows)
    assert_refused(excinfo, "instalments_total", f"{APL}第六十六条第二款")
    rows[1]["amount"] = "5000"
    arrangement = arrange(world, case, kind=ArrangementKind.INSTALMENTS, instalments=rows)
    assert arrangement.instalments == [
        {"due_on": "2026-04-15", "amount": "5000.00"},
        {"due_on": "2026-05-15", "amount": "5000.00"},
    ]


def test_instalment_dates_must_rise_and_end_by_the_final_date(world):
    case = decided_case(world)
    serve(world, case)
    rows = [{"due_on": "2026-05-15", "amount": "5000"}, {"due_on": "2026-04-15", "amount": "5000"}]
    with pytest.raises(WorkflowError) as excinfo:
        arrange(world, case, kind=ArrangementKind.INSTALMENTS, instalments=rows)
    assert_refused(excinfo, "instalments_dates", f"{APL}第六十六条第二款")


# --- Application to the court ----------------------------------------------------------------------


ACL = "《行政强制法》"


def test_court_window_follows_the_remedy_periods():
    # Reconsideration ends 6 May (60 days), litigation 3 September (6 months): the 3 months run from then.
    assert court_application_window(SERVED) == (D(2026, 9, 4), D(2026, 12, 3))
    assert court_application_window(SERVED, arrangement_ends_on=D(2026, 9, 10)) == (D(2026, 9, 11), D(2026, 12, 10))


def test_a_period_ending_in_an_unknown_holiday_year_is_refused_not_guessed():
    with pytest.raises(WorkflowError) as excinfo:
        court_application_window(SERVED, arrangement_ends_on=D(2026, 10, 15))  # the window ends in 2027
    assert excinfo.value.rule_code == "calendar_unknown"
    assert "2027" in excinfo.value.text


@pytest.mark.parametrize(
    ("reminder", "applied", "code", "article"),
    [
        (D(2026, 3, 18), D(2026, 9, 21), "reminder_too_early", f"{ACL}第五十四条"),
        (D(2026, 9, 4), D(2026, 9, 18), "reminder_period_running", f"{ACL}第五十四条"),
        (D(2026, 4, 1), D(2026, 5, 6), "remedy_period_running", f"{ACL}第五十三条"),
        (D(2026, 11, 20), D(2026, 12, 10), "court_period_expired", f"{ACL}第五十三条"),
    ],
)
def test_court_application_refusals(reminder, applied, code, article):
    with pytest.raises(WorkflowError) as excinfo:
        check_court_application(reminder, applied, served_on=SERVED, due_on=DUE)
    assert_refused(excinfo, code, article)


def test_court_application_allowed_ten_working_days_after_the_reminder():
    check_court_application(D(2026, 9, 4), D(2026, 9, 21), served_on=SERVED, due_on=DUE)
    check_court_application(D(2026, 3, 19), D(2026, 12, 3), served_on=SERVED, due_on=DUE)


def test_apply_to_court_and_close(world):
    case = decided_case(world)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.close_case(case, world.head, closed_on=D(2026, 9, 1))
    assert_refused(excinfo, "money_outstanding", f"{APL}第七十二条")

    options = {"reminder_served_on": D(2026, 9, 4), "applied_on": D(2026, 9, 21), "court": "济宁市任城区人民法院"}
    with pytest.raises(WorkflowError) as excinfo:
        workflow.apply_to_court(case, world.handler1, **options)
    assert excinfo.value.rule_code == "head_required"

    application = workflow.apply_to_court(case, world.head, **options)
    assert CourtApplication.objects.get(case=case) == application
    assert "20000.00" in case.events.get(action="申请人民法院强制执行").summary  # fine + capped surcharge
    with pytest.raises(WorkflowError) as excinfo:
        workflow.apply_to_court(case, world.head, **options)
    assert excinfo.value.rule_code == "already_applied"

    workflow.close_case(case, world.head, closed_on=D(2026, 9, 22))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_on == D(2026, 9, 22)
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 9, 30))
    case.refresh_from_db()
    assert case.state == CaseState.ARCHIVED and case.archived_on == D(2026, 9, 30)


def test_no_court_application_when_paid(world):
    case = decided_case(world)
    serve(world, case)
    workflow.record_payment(case, world.handler1, amount=Decimal("10000"), paid_on=DUE, receipt_number="1")
    with pytest.raises(WorkflowError) as excinfo:
        workflow.apply_to_court(
            case, world.head, reminder_served_on=D(2026, 9, 4), applied_on=D(2026, 9, 21), court="任城区人民法院"
        )
    assert_refused(excinfo, "nothing_outstanding", f"{ACL}第五十三条")


def test_apply_to_court_refused_while_remedies_run(world):
    case = decided_case(world)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.apply_to_court(
            case, world.head, reminder_served_on=D(2026, 4, 1), applied_on=D(2026, 5, 6), court="任城区人民法院"
        )
    assert_refused(excinfo, "remedy_period_running", f"{ACL}第五十三条")
    assert not CourtApplication.objects.exists()


# --- Closing and archiving -------------------------------------------------------------------------


def test_full_execution_from_a_decided_case(world):
    """Service, deferral, a late payment with surcharge, paid in full, closed, archived."""
    case = decided_case(world)
    serve(world, case)
    arrange(world, case, final_due_on=D(2026, 4, 30))
    workflow.record_payment(case, world.handler1, amount=Decimal("4000"), paid_on=D(2026, 4, 20), receipt_number="A1")
    # 6,000 left after 30 April: 3% a day = 180; on 5 May 5 days = 900.
    assert amount_outstanding(case, D(2026, 5, 5)) == Decimal("6900.00")
    last = workflow.record_payment(
        case, world.handler1, amount=Decimal("6900"), paid_on=D(2026, 5, 5), receipt_number="A2"
    )
    assert last.surcharge_part == Decimal("900.00")
    workflow.close_case(case, world.head, closed_on=D(2026, 5, 6))
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 5, 8))
    case.refresh_from_db()
    assert case.state == CaseState.ARCHIVED
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-3:] == ["已全部缴清", "结案", "归档"]
    assert case.history.count() >= 4  # every save keeps a history row


def test_close_needs_the_head(world):
    case = decided_case(world, fine=None)
    serve(world, case)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.close_case(case, world.handler1, closed_on=D(2026, 3, 4))
    assert excinfo.value.rule_code == "head_required"
    workflow.close_case(case, world.head, closed_on=D(2026, 3, 4))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


@pytest.mark.parametrize("kind", [DecisionKind.NOT_ESTABLISHED, DecisionKind.TRANSFER, DecisionKind.DISMISSED])
def test_decisions_without_a_penalty_close_directly(world, kind):
    case = decided_case(world, fine=None, decision_kind=kind, penalty_kinds=[])
    workflow.close_case(case, world.head, closed_on=D(2026, 3, 3))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_a_penalty_must_be_served_before_closing(world):
    case = decided_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.close_case(case, world.head, closed_on=D(2026, 3, 3))
    assert_refused(excinfo, "not_served", f"{APL}第六十一条")


def test_archive_only_closed_cases_and_note_late_archiving(world):
    case = decided_case(world, fine=None, decision_kind=DecisionKind.DISMISSED, penalty_kinds=[])
    with pytest.raises(WorkflowError) as excinfo:
        workflow.archive_case(case, world.handler1, archived_on=D(2026, 3, 3))
    assert excinfo.value.rule_code == "wrong_state"
    workflow.close_case(case, world.head, closed_on=D(2026, 3, 3))
    with pytest.raises(WorkflowError) as excinfo:
        workflow.archive_case(case, world.handler1, archived_on=D(2026, 3, 2))
    assert excinfo.value.rule_code == "archived_before_closing"
    workflow.archive_case(case, world.handler1, archived_on=D(2026, 4, 20))
    assert "三十日" in case.events.get(action="归档").summary


def test_summary_procedure_is_marked_on_decided_case_factory(world):
    # The helper builds ordinary-procedure cases; summary cases come from decide_on_the_spot.
    assert decided_case(world).procedure == Procedure.ORDINARY
