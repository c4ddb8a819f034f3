"""The summary procedure: decided and served on the spot, paid, reported, closed and archived (APL 51, 52)."""

import datetime
from decimal import Decimal

import pytest

from cases import workflow
from cases.errors import WorkflowError
from cases.models import Case, CaseState, DocumentKind, Party, PartyKind, Procedure, ServiceMethod
from cases.rules import check_summary_thresholds, summary_report_days
from lawenforce.models import CertificateStatus, PenaltyKind
from tests.cases.factories import assert_refused, resident_id
from tests.factories import OfficerFactory, PowerItemFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 3, 2)  # Monday
APL_51 = "《行政处罚法》第五十一条"
APL_52 = "《行政处罚法》第五十二条"


def person(**fields):
    return {
        "kind": PartyKind.NATURAL_PERSON,
        "name": "张三",
        "id_number": resident_id(),
        "address": "某村1号",
        **fields,
    }


def company(**fields):
    return {
        "kind": PartyKind.LEGAL_PERSON,
        "name": "济宁某某超市有限公司",
        "uscc": "91330100799655058B",
        "legal_representative": "王某",
        **fields,
    }


def decide(world, **kwargs):
    options = {
        "agency": world.agency,
        "actor": world.handler1,
        "officers": [world.handler1, world.handler2],
        "power_item": world.power_item,
        "party": person(),
        "facts": "当场发现销售超过保质期的饮料两瓶。",
        "penalty_kinds": [PenaltyKind.FINE],
        "fine": Decimal("200"),
        "place": "任城区某路农贸市场",
        "decided_on": DAY,
    }
    return workflow.decide_on_the_spot(**{**options, **kwargs})


# --- The thresholds (APL 51) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_person", "kinds", "fine"),
    [
        (True, [PenaltyKind.FINE], Decimal("200")),
        (False, [PenaltyKind.FINE], Decimal("3000")),
        (True, [PenaltyKind.WARNING], None),
        (False, [PenaltyKind.WARNING, PenaltyKind.FINE], "3000.00"),
    ],
)
def test_thresholds_allowed(is_person, kinds, fine):
    check_summary_thresholds(is_person, kinds, fine)


@pytest.mark.parametrize(
    ("is_person", "kinds", "fine", "code", "words"),
    [
        (True, [PenaltyKind.FINE], Decimal("200.01"), "summary_fine_over_limit", "200 元"),
        (False, [PenaltyKind.FINE], Decimal("3000.01"), "summary_fine_over_limit", "3000 元"),
        (True, [PenaltyKind.CONFISCATE_GAINS], None, "summary_kind_not_allowed", "没收违法所得"),
        (False, [PenaltyKind.FINE, PenaltyKind.SUSPEND_LICENCE], Decimal("100"), "summary_kind_not_allowed", "暂扣"),
        (True, [], None, "summary_no_penalty", "警告"),
        (True, [PenaltyKind.FINE], None, "summary_fine_missing", "罚款金额"),
        (True, [PenaltyKind.WARNING], Decimal("50"), "summary_fine_without_kind", "罚款"),
    ],
)
def test_thresholds_refused(is_person, kinds, fine, code, words):
    with pytest.raises(WorkflowError) as excinfo:
        check_summary_thresholds(is_person, kinds, fine)
    assert_refused(excinfo, code, APL_51)
    assert words in excinfo.value.text


def test_over_the_limit_says_to_use_the_ordinary_procedure():
    with pytest.raises(WorkflowError) as excinfo:
        check_summary_thresholds(True, [PenaltyKind.FINE], Decimal("201"))
    assert "普通程序" in excinfo.value.text and "公民" in excinfo.value.text


# --- End to end ------------------------------------------------------------------------------------


def test_summary_case_end_to_end(world):
    case = decide(world)
    assert case.procedure == Procedure.SUMMARY
    assert case.state == CaseState.DECIDED
    assert case.decision_number == "济任市监当罚〔2026〕1号"
    assert case.fine_amount == Decimal("200") and case.penalty_kinds == [PenaltyKind.FINE]
    assert set(case.handlers.all()) == {world.handler1, world.handler2}
    assert case.decided_by == world.handler1 and case.spot_place == "任城区某路农贸市场"
    party = case.parties.get()
    assert party.name == "张三" and party.birth_date == D(1980, 1, 1)
    assert case.events.get().to_state == CaseState.DECIDED

    with pytest.raises(WorkflowError) as excinfo:
        workflow.serve_decision(case, world.handler1, method=ServiceMethod.POST, served_on=DAY, recipient="张三")
    assert_refused(excinfo, "summary_on_the_spot", APL_52)

    workflow.serve_decision(case, world.handler1, method=ServiceMethod.ON_THE_SPOT, served_on=DAY, recipient="张三")
    assert case.state == CaseState.EXECUTING
    assert case.payment_due_on == D(2026, 3, 17)

    workflow.report_summary_case(case, world.handler1, reported_on=D(2026, 3, 3))
    workflow.record_payment(case, world.handler1, amount=Decimal("200"), paid_on=D(2026, 3, 5), receipt_number="P1")
    assert case.events.filter(action="已全部缴清").exists()
    workflow.close_case(case, world.head, closed_on=D(2026, 3, 6))
    workflow.archive_case(case, world.handler2, archived_on=D(2026, 3, 9))
    case.refresh_from_db()
    assert case.state == CaseState.ARCHIVED
    assert case.reported_on == D(2026, 3, 3)
    assert list(case.events.values_list("to_state", flat=True)).count(CaseState.ARCHIVED) == 1


def test_a_warning_for_an_organisation_is_served_and_closed(world):
    case = decide(world, party=company(), penalty_kinds=[PenaltyKind.WARNING], fine=None)
    workflow.serve_decision(case, world.handler2, method=ServiceMethod.ON_THE_SPOT, served_on=DAY, recipient="王某")
    assert case.state == CaseState.SERVED
    workflow.close_case(case, world.head, closed_on=DAY)
    assert case.state == CaseState.CLOSED


def test_organisation_fine_up_to_three_thousand(world):
    case = decide(world, party=company(), fine=Decimal("3000"))
    assert case.fine_amount == Decimal("3000")
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, party=company(), fine=Decimal("3000.01"))
    assert_refused(excinfo, "summary_fine_over_limit", APL_51)


def test_over_two_hundred_for_a_citizen_is_refused_and_nothing_is_written(world):
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, fine=Decimal("201"))
    assert_refused(excinfo, "summary_fine_over_limit", APL_51)
    assert not Case.objects.exists() and not Party.objects.exists()
    # The number was not used: the next decision gets number 1.
    assert decide(world).decision_number.endswith("〔2026〕1号")


def test_an_individual_business_counts_as_a_citizen(world):
    party = person(kind=PartyKind.INDIVIDUAL_BUSINESS, name="李四便利店")
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, party=party, fine=Decimal("500"))
    assert excinfo.value.rule_code == "summary_fine_over_limit"


def test_decision_numbers_are_consecutive(world):
    numbers = [decide(world).decision_number for _ in range(3)]
    assert numbers == [f"济任市监当罚〔2026〕{n}号" for n in (1, 2, 3)]


def test_officers_need_a_valid_certificate(world):
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, officers=[world.handler1, world.uncertified])
    assert_refused(excinfo, "certificate_invalid", "《行政处罚法》第四十二条")
    cert = world.handler1.certificates.get()
    cert.status = CertificateStatus.SUSPENDED
    cert.save()
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, officers=[world.handler1])
    assert_refused(excinfo, "certificate_invalid", "第五十二条")


def test_one_certified_officer_is_enough_but_none_is_not(world):
    assert decide(world, officers=[world.handler1]).handlers.count() == 1
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, officers=[])
    assert excinfo.value.rule_code in ("officers_required", "actor_not_officer")


def test_the_deciding_officer_is_one_of_the_officers(world):
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, actor=world.handler1, officers=[world.handler2])
    assert_refused(excinfo, "actor_not_officer", APL_52)


def test_officers_of_another_agency_are_refused(world):
    stranger = OfficerFactory(agency=world.other_agency)
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, officers=[world.handler1, stranger])
    assert excinfo.value.rule_code == "officer_other_agency"
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, actor=stranger, officers=[stranger])
    assert excinfo.value.rule_code == "other_agency"


def test_the_agency_must_hold_the_power_item(world):
    item = PowerItemFactory(enforcement_category=world.category)  # held by no agency
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, power_item=item)
    assert_refused(excinfo, "power_item_not_held", "《行政处罚法》第三十八条")


def test_the_party_is_validated(world):
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, party=person(id_number="370811198001011230"))  # wrong check digit
    assert excinfo.value.rule_code == "invalid_party"
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, party=company(uscc=""))
    assert excinfo.value.rule_code == "invalid_party"
    assert "统一社会信用代码" in excinfo.value.text
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, party={**person(), "shoe_size": 42})
    assert excinfo.value.rule_code == "invalid_party"


def test_the_discretion_standard_must_fit(world):
    # The world's standard allows 50,000–100,000 yuan: far above the summary limit.
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, discretion_standard=world.standard)
    assert_refused(excinfo, "fine_outside_standard", "《行政处罚法》第三十四条")


def test_facts_and_place_are_required(world):
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, place="")
    assert_refused(excinfo, "place_required", APL_52)
    with pytest.raises(WorkflowError) as excinfo:
        decide(world, facts=" ")
    assert excinfo.value.rule_code == "facts_required"


# --- Report to the agency (APL 52) ------------------------------------------------------------------


def test_report_within_the_configured_days(world):
    case = decide(world)
    workflow.report_summary_case(case, world.handler2, reported_on=D(2026, 3, 4))  # 2 working days
    event = case.events.get(action="当场处罚报备")
    assert "逾期" not in event.summary and APL_52 in event.summary
    with pytest.raises(WorkflowError) as excinfo:
        workflow.report_summary_case(case, world.handler2, reported_on=D(2026, 3, 4))
    assert_refused(excinfo, "already_reported", APL_52)


def test_late_report_is_accepted_and_recorded_as_late(world, settings):
    settings.SUMMARY_REPORT_DAYS = {"default": 2}
    case = decide(world)
    workflow.report_summary_case(case, world.handler1, reported_on=D(2026, 3, 5))
    assert case.reported_on == D(2026, 3, 5)
    summary = case.events.get(action="当场处罚报备").summary
    assert "逾期报备" in summary and "2026-03-04" in summary


def test_report_days_per_sector_with_default(world, settings):
    settings.SUMMARY_REPORT_DAYS = {"market": 5, "default": 2}
    assert summary_report_days(world.agency) == 5
    case = decide(world)
    workflow.report_summary_case(case, world.handler1, reported_on=D(2026, 3, 9))
    assert "逾期" not in case.events.get(action="当场处罚报备").summary
    settings.SUMMARY_REPORT_DAYS = {"default": 3}
    assert summary_report_days(world.agency) == 3


def test_only_summary_cases_are_reported(world):
    from tests.cases.factories import decided_case

    with pytest.raises(WorkflowError) as excinfo:
        workflow.report_summary_case(decided_case(world), world.handler1, reported_on=DAY)
    assert_refused(excinfo, "not_summary", APL_52)


def test_report_by_another_agency_is_refused(world):
    case = decide(world)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.report_summary_case(case, OfficerFactory(agency=world.other_agency), reported_on=DAY)
    assert excinfo.value.rule_code == "other_agency"


def test_summary_decision_kind_is_numbered_with_its_own_word(world):
    from cases.models import NUMBER_WORD

    assert NUMBER_WORD[DocumentKind.SUMMARY_DECISION] in decide(world).decision_number
