"""Each rule of cases.rules.procedure: a refused path naming its article, and an allowed path."""

import datetime
from decimal import Decimal

import pytest

from cases.errors import WorkflowError
from cases.models import REVIEW_CHECKLIST, CaseState, LegalReview, PartyKind, PriorNotice, ReviewOutcome
from cases.rules import config
from cases.rules.procedure import (
    check_decision_extension,
    check_deliberation_participants,
    check_discretion,
    check_handlers,
    check_hearing_host,
    check_hearing_notice,
    check_hearing_request_in_time,
    check_limitation,
    check_minor,
    check_penalty_kinds,
    check_power_item_held,
    check_review_approved,
    check_review_checklist,
    check_reviewer,
    check_statement_period_over,
    hearing_right,
    hearing_threshold,
    needs_deliberation,
    needs_legal_review,
)
from lawenforce.models import CertificateStatus, Circumstance, DiscretionStandard, FineBasis, PenaltyKind
from tests.cases.factories import CaseFactory, HearingFactory, PartyFactory, PersonPartyFactory, resident_id
from tests.factories import CertificateFactory, OfficerFactory, PowerItemFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(code, article, fn, *args, **kwargs):
    with pytest.raises(WorkflowError) as info:
        fn(*args, **kwargs)
    assert info.value.rule_code == code
    assert article in info.value.text, info.value.text
    return info.value


# --- APL 38: the agency holds the power item ------------------------------------------------------


def test_power_item_held_by_the_agency_passes(world):
    check_power_item_held(world.agency, world.power_item)


def test_power_item_of_another_agency_is_refused(world):
    foreign = PowerItemFactory(enforcement_category=world.category, agencies=[world.other_agency])
    err = refused("power_item_not_held", "第三十八条", check_power_item_held, world.agency, foreign)
    assert foreign.name in err.text


def test_missing_or_inactive_power_item_is_refused(world):
    refused("power_item_missing", "第三十八条", check_power_item_held, world.agency, None)
    world.power_item.active = False
    refused("power_item_inactive", "第三十八条", check_power_item_held, world.agency, world.power_item)


# --- APL 42: two qualified handlers of the agency ------------------------------------------------


def test_two_certified_handlers_pass(world):
    check_handlers([world.handler1, world.handler2], world.agency, world.category, D(2026, 3, 5))


def test_one_handler_is_refused(world):
    refused(
        "too_few_handlers", "第四十二条", check_handlers, [world.handler1], world.agency, world.category, D(2026, 3, 5)
    )
    # the same officer twice is still one
    refused(
        "too_few_handlers",
        "第四十二条",
        check_handlers,
        [world.handler1, world.handler1],
        world.agency,
        world.category,
        D(2026, 3, 5),
    )


def test_handler_of_another_agency_is_refused(world):
    stranger = OfficerFactory(agency=world.other_agency, name="外单位人员")
    CertificateFactory(officer=stranger, categories=[world.category])
    err = refused(
        "handler_other_agency",
        "第四十二条",
        check_handlers,
        [world.handler1, stranger],
        world.agency,
        world.category,
        D(2026, 3, 5),
    )
    assert "外单位人员" in err.text


def test_unqualified_handlers_are_named_with_the_reason(world):
    expired = OfficerFactory(agency=world.agency, name="过期人员")
    CertificateFactory(officer=expired, categories=[world.category], valid_to=D(2025, 12, 31))
    suspended = OfficerFactory(agency=world.agency, name="暂扣人员")
    CertificateFactory(officer=suspended, categories=[world.category], status=CertificateStatus.SUSPENDED)
    other_field = OfficerFactory(agency=world.agency, name="跨类别人员")
    from tests.factories import EnforcementCategoryFactory

    CertificateFactory(
        officer=other_field, categories=[EnforcementCategoryFactory(code="test-other", name="测试其他类别")]
    )
    err = refused(
        "handler_not_qualified",
        "第四十二条",
        check_handlers,
        [world.handler1, expired, suspended, other_field, world.uncertified],
        world.agency,
        world.category,
        D(2026, 3, 5),
    )
    text = err.text
    assert "过期人员（执法证已于2025-12-31过期）" in text
    assert "暂扣人员（执法证已暂扣）" in text
    assert "跨类别人员（执法证不含“市场监管”执法类别）" in text
    assert "无证人员（未取得执法证）" in text
    assert "李明" not in text


def test_certificate_is_judged_on_the_given_day(world):
    late = OfficerFactory(agency=world.agency, name="新证人员")
    CertificateFactory(officer=late, categories=[world.category], valid_from=D(2026, 6, 1))
    err = refused(
        "handler_not_qualified",
        "第四十二条",
        check_handlers,
        [world.handler1, late],
        world.agency,
        world.category,
        D(2026, 3, 5),
    )
    assert "自2026-06-01起才生效" in err.text
    check_handlers([world.handler1, late], world.agency, world.category, D(2026, 6, 1))


# --- APL 36: limitation ----------------------------------------------------------------------------


def test_discovered_within_two_years_passes():
    check_limitation(D(2024, 3, 6), None, D(2026, 3, 5), False)


def test_discovered_after_two_years_is_refused():
    err = refused("limitation_expired", "第三十六条", check_limitation, D(2024, 3, 4), None, D(2026, 3, 5), False)
    assert "2年" in err.text


def test_continuing_violation_counts_from_its_end():
    check_limitation(D(2020, 1, 1), D(2025, 1, 1), D(2026, 3, 5), False)
    refused("limitation_expired", "第三十六条", check_limitation, D(2020, 1, 1), D(2024, 1, 1), D(2026, 3, 5), False)


def test_life_health_or_finance_gives_five_years():
    check_limitation(D(2022, 1, 1), None, D(2026, 3, 5), True)
    refused("limitation_expired", "第三十六条", check_limitation, D(2021, 1, 1), None, D(2026, 3, 5), True)


def test_violation_after_discovery_is_refused():
    refused("violation_after_discovery", "第三十六条", check_limitation, D(2026, 4, 1), None, D(2026, 3, 5), False)
    refused("violation_date_missing", "第三十六条", check_limitation, None, None, D(2026, 3, 5), False)


# --- APL 30: minors ---------------------------------------------------------------------------------


def _person_born(first17):
    party = PersonPartyFactory.build(id_number=resident_id(first17), case=None)
    party.birth_date = D(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    return party


def test_person_under_14_is_not_penalised():
    child = _person_born("37081120130601123")
    err = refused("minor_under_14", "第三十条", check_minor, child, D(2026, 5, 31))
    assert "12岁" in err.text


def test_minor_of_14_to_18_passes_and_is_flagged():
    teen = _person_born("37081120100601123")
    assert check_minor(teen, D(2026, 6, 1)) is True  # 16
    assert check_minor(_person_born("37081119800101123"), D(2026, 6, 1)) is False


def test_organisations_have_no_age():
    assert check_minor(PartyFactory.build(case=None), D(2026, 6, 1)) is False


# --- Discretion standard and statutory maximum ----------------------------------------------------


def test_fine_within_the_standard_passes(world):
    assert check_discretion(world.standard, world.power_item, [PenaltyKind.FINE], Decimal("60000"), None, "") is False


def test_fine_outside_the_standard_needs_a_deviation_reason(world):
    err = refused(
        "outside_discretion_standard",
        "第五十七条第二款",
        check_discretion,
        world.standard,
        world.power_item,
        [PenaltyKind.FINE],
        Decimal("30000"),
        None,
        "",
    )
    assert "50,000.00—100,000.00" in err.text
    assert (
        check_discretion(world.standard, world.power_item, [PenaltyKind.FINE], Decimal("30000"), None, "初犯且主动退赔")
        is True
    )


def test_fine_above_statutory_max_is_refused_even_with_a_reason(world):
    refused(
        "fine_above_statutory_max",
        "第三十八条",
        check_discretion,
        world.standard,
        world.power_item,
        [PenaltyKind.FINE],
        Decimal("100000.01"),
        None,
        "情节特别严重",
    )


def test_penalty_kind_outside_the_standard_is_a_deviation(world):
    refused(
        "outside_discretion_standard",
        "第五十七条第二款",
        check_discretion,
        world.standard,
        world.power_item,
        [PenaltyKind.FINE, PenaltyKind.REVOKE_LICENCE],
        Decimal("60000"),
        None,
        "",
    )


def test_standard_of_another_item_is_refused(world):
    other = PowerItemFactory(enforcement_category=world.category, agencies=[world.agency])
    refused(
        "standard_other_item",
        "第三十四条",
        check_discretion,
        world.standard,
        other,
        [PenaltyKind.FINE],
        Decimal("60000"),
        None,
        "",
    )


def test_fine_and_kind_must_agree(world):
    refused("fine_missing", "第九条", check_discretion, None, world.power_item, [PenaltyKind.FINE], None, None, "")
    refused(
        "fine_without_kind",
        "第九条",
        check_discretion,
        None,
        world.power_item,
        [PenaltyKind.WARNING],
        Decimal(1),
        None,
        "",
    )
    refused(
        "fine_not_positive",
        "第九条",
        check_discretion,
        None,
        world.power_item,
        [PenaltyKind.FINE],
        Decimal(0),
        None,
        "",
    )


def test_multiples_need_the_base_amount(world):
    standard = DiscretionStandard.objects.create(
        power_item=world.power_item,
        violation="货值金额一万元以上",
        circumstance=Circumstance.SERIOUS,
        penalty_kinds=[PenaltyKind.FINE],
        fine_basis=FineBasis.VALUE_MULTIPLE,
        multiple_min=Decimal("10"),
        multiple_max=Decimal("20"),
        statutory_max=Decimal("500000"),
    )
    refused(
        "base_amount_missing",
        "第三十四条",
        check_discretion,
        standard,
        world.power_item,
        [PenaltyKind.FINE],
        Decimal("150000"),
        None,
        "",
    )
    assert not check_discretion(standard, world.power_item, [PenaltyKind.FINE], Decimal("150000"), Decimal("10000"), "")


def test_penalty_kinds_are_checked():
    refused("penalty_kinds_invalid", "第九条", check_penalty_kinds, [])
    refused("penalty_kinds_invalid", "第九条", check_penalty_kinds, ["none", "fine"])
    assert check_penalty_kinds(["fine"]) == ["fine"]


# --- APL 63: hearing right --------------------------------------------------------------------------


def _proposal(world, party_kind, **fields):
    case = CaseFactory(agency=world.agency, power_item=world.power_item, **fields)
    if party_kind == PartyKind.NATURAL_PERSON:
        PersonPartyFactory(case=case)
    else:
        PartyFactory(case=case)
    return case


def test_hearing_threshold_defaults_and_power_item_override(world):
    assert hearing_threshold(world.power_item, True) == config.HEARING_THRESHOLD_PERSON == Decimal("10000")
    assert hearing_threshold(world.power_item, False) == config.HEARING_THRESHOLD_ORG == Decimal("100000")
    world.power_item.hearing_threshold_org = Decimal("50000")
    assert hearing_threshold(world.power_item, False) == Decimal("50000")


@pytest.mark.parametrize(
    ("party_kind", "kinds", "fine", "confiscation", "right"),
    [
        (PartyKind.NATURAL_PERSON, ["fine"], "10000", None, True),
        (PartyKind.NATURAL_PERSON, ["fine"], "9999.99", None, False),
        (PartyKind.LEGAL_PERSON, ["fine"], "99999", None, False),
        (PartyKind.LEGAL_PERSON, ["fine"], "100000", None, True),
        (PartyKind.LEGAL_PERSON, ["warning", "revoke_licence"], None, None, True),
        (PartyKind.LEGAL_PERSON, ["stop_business"], None, None, True),
        (PartyKind.LEGAL_PERSON, ["close"], None, None, True),
        (PartyKind.NATURAL_PERSON, ["restrict_practice"], None, None, True),
        (PartyKind.LEGAL_PERSON, ["lower_qualification"], None, None, True),
        (PartyKind.LEGAL_PERSON, ["warning"], None, None, False),
        (PartyKind.LEGAL_PERSON, ["confiscate_gains"], None, "100000", True),
        (PartyKind.NATURAL_PERSON, ["confiscate_gains"], None, "5000", False),
    ],
)
def test_hearing_right(world, party_kind, kinds, fine, confiscation, right):
    case = _proposal(
        world,
        party_kind,
        proposed_penalty_kinds=kinds,
        proposed_fine=Decimal(fine) if fine else None,
        proposed_confiscation=Decimal(confiscation) if confiscation else None,
    )
    assert hearing_right(case) is right


def test_hearing_right_follows_the_power_items_threshold(world):
    world.power_item.hearing_threshold_org = Decimal("50000")
    world.power_item.save()
    case = _proposal(world, PartyKind.LEGAL_PERSON, proposed_penalty_kinds=["fine"], proposed_fine=Decimal("60000"))
    assert hearing_right(case) is True


def _notice(world, **fields):
    case = CaseFactory(agency=world.agency, state=CaseState.NOTIFIED)
    defaults = {
        "number": "济任市监告〔2026〕1号",
        "served_on": D(2026, 4, 1),
        "statement_deadline": D(2026, 4, 9),
        "hearing_right": True,
        "hearing_request_deadline": D(2026, 4, 9),
    }
    return PriorNotice.objects.create(case=case, **{**defaults, **fields})


def test_hearing_request_in_time_passes_and_late_is_refused(world):
    notice = _notice(world)
    check_hearing_request_in_time(notice, D(2026, 4, 9))
    refused("hearing_request_late", "第六十四条第一款", check_hearing_request_in_time, notice, D(2026, 4, 10))
    refused("hearing_request_before_notice", "第六十四条第一款", check_hearing_request_in_time, notice, D(2026, 3, 31))


def test_hearing_request_without_the_right_is_refused(world):
    notice = _notice(world, hearing_right=False, hearing_request_deadline=None)
    refused("no_hearing_right", "第六十三条", check_hearing_request_in_time, notice, D(2026, 4, 2))


def test_hearing_host_must_not_have_investigated(world):
    case = CaseFactory(agency=world.agency)
    case.handlers.set([world.handler1, world.handler2])
    err = refused("hearing_host_is_handler", "第六十四条", check_hearing_host, world.handler1, case)
    assert "李明" in err.text
    stranger = OfficerFactory(agency=world.other_agency)
    refused("hearing_host_other_agency", "第六十四条", check_hearing_host, stranger, case)
    check_hearing_host(world.reviewer, case)


def test_hearing_notice_seven_working_days_ahead():
    # Served Monday 2026-04-13: seven working days later is Wednesday 2026-04-22.
    check_hearing_notice(D(2026, 4, 13), D(2026, 4, 22))
    err = refused("hearing_notice_too_late", "第六十四条", check_hearing_notice, D(2026, 4, 13), D(2026, 4, 21))
    assert "2026-04-22" in err.text


def test_hearing_notice_counts_working_days_across_national_day():
    # Served 2026-09-28 (Mon): 9-29, 9-30, then the holiday to 10-07, then 10-08, 10-09, 10-10 (make-up
    # working Saturday), 10-12, 10-13: the seventh working day is 2026-10-13.
    refused("hearing_notice_too_late", "第六十四条", check_hearing_notice, D(2026, 9, 28), D(2026, 10, 12))
    check_hearing_notice(D(2026, 9, 28), D(2026, 10, 13))


# --- APL 45, 62: statement period ---------------------------------------------------------------


def test_statement_period_running_is_refused_and_over_passes(world):
    notice = _notice(world, hearing_right=False, hearing_request_deadline=None)
    err = refused("statement_period_running", "第六十二条", check_statement_period_over, notice, D(2026, 4, 9))
    assert "2026-04-09" in err.text
    check_statement_period_over(notice, D(2026, 4, 10))


def test_statement_given_or_waived_ends_the_wait(world):
    notice = _notice(world, hearing_right=False, hearing_request_deadline=None, statement="我方已整改")
    check_statement_period_over(notice, D(2026, 4, 2))
    waived = _notice(world, waived_on=D(2026, 4, 2))
    check_statement_period_over(waived, D(2026, 4, 2))


def test_hearing_request_period_must_run_out_too(world):
    notice = _notice(world, statement="我方已整改")
    refused("hearing_request_period_running", "第六十四条第一款", check_statement_period_over, notice, D(2026, 4, 9))
    check_statement_period_over(notice, D(2026, 4, 10))


# --- APL 57, 58: legal review and deliberation --------------------------------------------------


def test_legal_review_needed_for_major_complex_or_heard_cases(world):
    case = CaseFactory(agency=world.agency)
    assert not needs_legal_review(case)
    case.is_major = True
    assert needs_legal_review(case)
    case.is_major = False
    case.is_complex = True
    assert needs_legal_review(case)
    heard = CaseFactory(agency=world.agency)
    HearingFactory(case=heard, host=world.reviewer, held_on=D(2026, 4, 24))
    heard.refresh_from_db()
    assert needs_legal_review(heard)


def test_deliberation_needed_for_complex_major_or_deviation(world):
    case = CaseFactory(agency=world.agency)
    assert not needs_deliberation(case)
    case.deviation_reason = "初犯且主动退赔"
    assert needs_deliberation(case)
    case.deviation_reason = ""
    case.is_complex = True
    assert needs_deliberation(case)


def test_reviewer_must_be_a_legal_reviewer_not_a_handler(world):
    case = CaseFactory(agency=world.agency)
    case.handlers.set([world.handler1, world.handler2])
    check_reviewer(world.reviewer, case)
    refused("not_legal_reviewer", "第五十八条", check_reviewer, world.handler2, case)
    world.reviewer.refresh_from_db()
    case.handlers.add(world.reviewer)
    refused("reviewer_is_handler", "第五十八条", check_reviewer, world.reviewer, case)
    stranger = OfficerFactory(agency=world.other_agency, is_legal_reviewer=True, legal_qualification_no="A1")
    refused("reviewer_other_agency", "第五十八条", check_reviewer, stranger, case)


def test_first_time_reviewer_needs_the_legal_qualification(world):
    case = CaseFactory(agency=world.agency)
    novice = OfficerFactory(agency=world.agency, name="新审核员", is_legal_reviewer=True)
    err = refused("reviewer_unqualified", "第五十八条第二款", check_reviewer, novice, case)
    assert "新审核员" in err.text
    # Someone who has reviewed before (under the old rules) may go on.
    from django.utils import timezone

    LegalReview.objects.create(
        case=case,
        submitted_at=timezone.now(),
        submitted_by=world.handler1,
        reviewer=novice,
        outcome=ReviewOutcome.APPROVED,
    )
    check_reviewer(novice, case)


def test_review_checklist_must_be_complete():
    keys = [key for key, _label in REVIEW_CHECKLIST]
    err = refused("review_checklist_incomplete", "第五十八条", check_review_checklist, dict.fromkeys(keys[:-1], True))
    assert "移送司法机关" in err.text
    check_review_checklist(dict.fromkeys(keys, True))


def test_review_approved_is_needed_before_the_decision(world):
    from django.utils import timezone

    case = CaseFactory(agency=world.agency, is_major=True, major_reason="涉及重大公共利益")
    refused("legal_review_missing", "第五十八条", check_review_approved, case)
    review = LegalReview.objects.create(case=case, submitted_at=timezone.now(), submitted_by=world.handler1)
    refused("legal_review_not_approved", "第五十八条", check_review_approved, case)
    review.outcome = ReviewOutcome.APPROVED
    review.save()
    check_review_approved(case)
    check_review_approved(CaseFactory(agency=world.agency))  # not needed, none made


def test_deliberation_needs_two_heads(world):
    second_head = OfficerFactory(agency=world.agency, name="副局长", is_agency_head=True)
    check_deliberation_participants([world.head, second_head], world.agency)
    refused("deliberation_too_few", "第五十七条第二款", check_deliberation_participants, [world.head], world.agency)
    err = refused(
        "deliberation_not_heads",
        "第五十七条第二款",
        check_deliberation_participants,
        [world.head, world.handler1],
        world.agency,
    )
    assert "李明" in err.text


# --- APL 60: extensions of the decision period -------------------------------------------------


def test_first_extension_at_most_30_days():
    check_decision_extension([], 30, False)
    refused("extension_too_long", "第六十条", check_decision_extension, [], 31, False)
    refused("extension_too_long", "第六十条", check_decision_extension, [], 31, True)
    refused("extension_days_invalid", "第六十条", check_decision_extension, [], 0, False)


def test_further_extensions_only_by_deliberation():
    refused("extension_needs_deliberation", "第六十条", check_decision_extension, [object()], 30, False)
    check_decision_extension([object()], 60, True)
