"""The ordinary procedure through cases.workflow: each step's guards refused and allowed, the
numbers it gives, and whole cases from the lead to the decision."""

import datetime
from decimal import Decimal

import pytest

from cases.errors import WorkflowError
from cases.models import (
    REVIEW_CHECKLIST,
    Case,
    CaseEvent,
    CaseState,
    DecisionKind,
    LegalReview,
    ReviewOutcome,
)
from cases.workflow import (
    add_party,
    approve_filing,
    available_actions,
    decide,
    decline_filing,
    extend_decision_period,
    give_legal_review,
    give_prior_notice,
    proceed_to_decision,
    record_deliberation,
    record_hearing,
    record_statement,
    register_lead,
    request_hearing,
    resubmit_after_return,
    schedule_hearing,
    waive_statement,
)
from lawenforce.models import PenaltyKind
from tests.cases.factories import (
    CaseFactory,
    PartyFactory,
    filed_via_workflow,
    investigated_via_workflow,
    lead_via_workflow,
    notified_via_workflow,
    org_party_fields,
    person_party_fields,
)
from tests.factories import CertificateFactory, OfficerFactory, PowerItemFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FULL_CHECKLIST = {key: True for key, _label in REVIEW_CHECKLIST}
AFTER_STATEMENT = D(2026, 4, 10)  # notices served 2026-04-01 give the party until 2026-04-09


def refused(code, fn, *args, article=None, **kwargs):
    with pytest.raises(WorkflowError) as info:
        fn(*args, **kwargs)
    assert info.value.rule_code == code, info.value.text
    if article:
        assert article in info.value.text, info.value.text
    return info.value


@pytest.fixture
def second_head(world):
    head = OfficerFactory(agency=world.agency, name="刘副局长", is_agency_head=True)
    CertificateFactory(officer=head, categories=[world.category])
    return head


def state_of(case):
    return Case.objects.get(pk=case.pk).state


# --- Lead and filing --------------------------------------------------------------------------------


def test_register_lead_creates_the_case_parties_and_event(world):
    case = lead_via_workflow(world, parties=[org_party_fields(), person_party_fields()])
    assert case.state == CaseState.LEAD
    assert case.registered_by == world.handler1
    assert case.parties.count() == 2
    assert case.parties.get(name="张三").birth_date == D(1980, 1, 1)
    event = CaseEvent.objects.get(case=case)
    assert event.to_state == CaseState.LEAD
    assert case.history.first().history_change_reason == "登记线索"


def test_register_lead_by_another_agency_is_refused(world):
    stranger = OfficerFactory(agency=world.other_agency)
    refused("other_agency", lead_via_workflow, world, actor=stranger)
    assert not Case.objects.exists()


def test_register_lead_with_an_invalid_party_is_refused_and_nothing_is_kept(world):
    err = refused("invalid_party", lead_via_workflow, world, parties=[org_party_fields(uscc="")])
    assert "统一社会信用代码" in err.messages[0]
    assert not Case.objects.exists()


def test_add_party_while_investigating_and_refused_after_notice(world):
    case = filed_via_workflow(world, parties=[])
    party = add_party(case, world.handler2, **person_party_fields(name="李四"))
    assert party.case == case
    refused("invalid_party", add_party, case, world.handler2, kind="natural_person", name="王五")
    stranger = OfficerFactory(agency=world.other_agency)
    refused("other_agency", add_party, case, stranger, **org_party_fields())
    notified = notified_via_workflow(world)
    refused("wrong_state", add_party, notified, world.handler1, **org_party_fields())


def test_approve_filing_numbers_cases_consecutively(world):
    first = filed_via_workflow(world)
    second = filed_via_workflow(world)
    assert first.state == CaseState.INVESTIGATING
    assert first.number == "济任市监立〔2026〕1号"
    assert second.number == "济任市监立〔2026〕2号"
    assert set(first.handlers.all()) == {world.handler1, world.handler2}
    assert first.history.first().history_change_reason == "批准立案"


def test_approve_filing_only_by_the_head(world):
    case = lead_via_workflow(world)
    refused(
        "head_required",
        approve_filing,
        case,
        world.handler1,
        handlers=[world.handler1, world.handler2],
        power_item=world.power_item,
        violation_date=D(2026, 2, 20),
        filed_on=D(2026, 3, 5),
    )
    assert state_of(case) == CaseState.LEAD


def _approve(world, case, **overrides):
    kwargs = {
        "handlers": [world.handler1, world.handler2],
        "power_item": world.power_item,
        "violation_date": D(2026, 2, 20),
        "filed_on": D(2026, 3, 5),
        **overrides,
    }
    return approve_filing(case, world.head, **kwargs)


def test_approve_filing_checks_subject_officers_and_limitation(world):
    case = lead_via_workflow(world)
    foreign = PowerItemFactory(enforcement_category=world.category, agencies=[world.other_agency])
    refused("power_item_not_held", _approve, world, case, power_item=foreign, article="第三十八条")
    err = refused(
        "handler_not_qualified",
        _approve,
        world,
        case,
        handlers=[world.handler1, world.uncertified],
        article="第四十二条",
    )
    assert "无证人员" in err.messages[0]
    refused("too_few_handlers", _approve, world, case, handlers=[world.handler1], article="第四十二条")
    refused("limitation_expired", _approve, world, case, violation_date=D(2024, 2, 1), article="第三十六条")
    refused("filed_before_lead", _approve, world, case, filed_on=D(2026, 3, 1))
    case = _approve(world, case, violation_date=D(2024, 3, 3))  # discovered 2026-03-02: within two years
    assert case.state == CaseState.INVESTIGATING


def test_limitation_is_five_years_where_life_or_health_was_harmed(world):
    case = lead_via_workflow(world)
    refused("limitation_expired", _approve, world, case, violation_date=D(2023, 1, 1), article="第三十六条")
    case = _approve(world, case, violation_date=D(2023, 1, 1), involves_life_health_or_finance=True)
    assert case.number == "济任市监立〔2026〕1号"  # the refused attempts gave back their numbers


def test_decline_filing(world):
    case = lead_via_workflow(world)
    refused("head_required", decline_filing, case, world.handler1, reason="不属于本机关管辖")
    refused("reason_required", decline_filing, case, world.head, reason=" ")
    case = decline_filing(case, world.head, reason="违法事实不成立")
    assert case.state == CaseState.NOT_FILED
    assert case.number == ""
    refused("wrong_state", decline_filing, case, world.head, reason="重复")


# --- Decision period --------------------------------------------------------------------------------


def test_extend_decision_period_once_by_the_head_then_by_deliberation(world):
    case = filed_via_workflow(world)  # filed 2026-03-05: due 2026-06-03
    refused(
        "head_required",
        extend_decision_period,
        case,
        world.handler1,
        days=30,
        reason="需检验",
        approved_on=D(2026, 5, 20),
    )
    refused(
        "extension_too_long",
        extend_decision_period,
        case,
        world.head,
        days=31,
        reason="需检验",
        approved_on=D(2026, 5, 20),
    )
    refused(
        "extension_too_late",
        extend_decision_period,
        case,
        world.head,
        days=30,
        reason="需检验",
        approved_on=D(2026, 6, 4),
        article="第六十条",
    )
    extension = extend_decision_period(case, world.head, days=30, reason="需检验", approved_on=D(2026, 6, 3))
    assert extension.approved_by == world.head
    refused(
        "extension_needs_deliberation",
        extend_decision_period,
        case,
        world.head,
        days=30,
        reason="鉴定未完成",
        approved_on=D(2026, 6, 20),
    )
    extend_decision_period(
        case, world.head, days=60, reason="鉴定未完成", approved_on=D(2026, 6, 20), by_deliberation=True
    )
    assert case.extensions.count() == 2


# --- Investigation ------------------------------------------------------------------------------


def test_complete_investigation_by_a_handler(world):
    case = investigated_via_workflow(world)
    assert case.state == CaseState.UNDER_REVIEW
    assert case.proposed_fine == Decimal("60000")
    assert case.proposed_penalty_kinds == ["fine"]
    assert case.deviation_reason == ""


def test_complete_investigation_refusals(world):
    case = filed_via_workflow(world)
    from cases.workflow import complete_investigation

    def complete(actor=world.handler1, **kwargs):
        fields = {
            "facts": "经营过期食品。",
            "evidence_summary": "现场检查笔录。",
            "discretion_standard": world.standard,
            "penalty_kinds": [PenaltyKind.FINE],
            "fine": Decimal("60000"),
            **kwargs,
        }
        return complete_investigation(case, actor, **fields)

    refused("handler_required", complete, actor=world.reviewer)
    refused("facts_required", complete, facts="")
    refused("outside_discretion_standard", complete, fine=Decimal("20000"), article="第五十七条第二款")
    refused("fine_above_statutory_max", complete, fine=Decimal("150000"), deviation_reason="情节严重")
    refused("major_reason_required", complete, is_major=True)
    assert state_of(case) == CaseState.INVESTIGATING
    case = complete(fine=Decimal("20000"), deviation_reason="主动召回、积极赔偿")
    assert case.deviation_reason == "主动召回、积极赔偿"


def test_complete_investigation_needs_a_party_and_refuses_children(world):
    case = filed_via_workflow(world, parties=[])
    refused("no_party", investigated_via_workflow, world, case=case)
    add_party(case, world.handler1, **person_party_fields(name="小明", id_number=_id("37081120140101123")))
    refused("minor_under_14", investigated_via_workflow, world, case=case, article="第三十条")
    case = investigated_via_workflow(
        world, case=case, penalty_kinds=[PenaltyKind.NONE], fine=None, discretion_standard=None
    )
    assert case.proposed_penalty_kinds == ["none"]


def _id(first17):
    from tests.cases.factories import resident_id

    return resident_id(first17)


# --- Prior notice, statement, hearing ---------------------------------------------------------------


def test_give_prior_notice_numbers_and_computes_deadlines(world):
    case = investigated_via_workflow(world)
    refused("handler_required", give_prior_notice, case, world.reviewer, served_on=D(2026, 4, 1))
    refused("served_before_filing", give_prior_notice, case, world.handler1, served_on=D(2026, 3, 1))
    notice = give_prior_notice(case, world.handler1, served_on=D(2026, 4, 1))
    assert notice.number == "济任市监告〔2026〕1号"
    # 2026-04-04..06 is the Qingming holiday: five working days from 04-01 end on 04-09.
    assert notice.statement_deadline == D(2026, 4, 9)
    assert notice.hearing_right is False  # 60,000 yuan to an organisation: below 100,000
    assert notice.hearing_request_deadline is None
    assert case.state == CaseState.NOTIFIED
    other = investigated_via_workflow(world)
    assert give_prior_notice(other, world.head, served_on=D(2026, 4, 2)).number == "济任市监告〔2026〕2号"


def test_prior_notice_tells_the_hearing_right_for_a_large_fine(world):
    case = notified_via_workflow(world, fine=Decimal("100000"))
    assert case.prior_notice.hearing_right is True
    assert case.prior_notice.hearing_request_deadline == D(2026, 4, 9)


def test_prior_notice_before_national_day_gives_a_deadline_after_the_holiday(world):
    case = notified_via_workflow(world, served_on=D(2026, 9, 30), fine=Decimal("100000"))
    # 2026-10-01..07 is the National Day holiday; 10-10 (Saturday) is a make-up working day.
    assert case.prior_notice.hearing_request_deadline == D(2026, 10, 13)
    assert case.prior_notice.statement_deadline == D(2026, 10, 13)


def test_record_statement_and_waiver(world):
    case = notified_via_workflow(world)
    refused("statement_required", record_statement, case, world.handler1, statement="", adopted=False)
    refused("handler_required", record_statement, case, world.head, statement="已整改", adopted=True)
    notice = record_statement(case, world.handler1, statement="我方已全部下架并销毁。", adopted=False)
    assert notice.statement_adopted is False
    refused("waived_before_notice", waive_statement, case, world.handler1, waived_on=D(2026, 3, 31))
    notice = waive_statement(case, world.handler1, waived_on=D(2026, 4, 2))
    assert notice.waived_on == D(2026, 4, 2)
    refused("already_waived", waive_statement, case, world.handler1, waived_on=D(2026, 4, 3))


def test_request_hearing_needs_the_right_and_the_period(world):
    no_right = notified_via_workflow(world)
    refused(
        "no_hearing_right", request_hearing, no_right, world.handler1, requested_on=D(2026, 4, 2), article="第六十三条"
    )
    case = notified_via_workflow(world, fine=Decimal("100000"))
    refused(
        "hearing_request_late",
        request_hearing,
        case,
        world.handler1,
        requested_on=D(2026, 4, 10),
        article="第六十四条第一款",
    )
    request_hearing(case, world.handler1, requested_on=D(2026, 4, 9))
    assert case.state == CaseState.HEARING


def _hearing_case(world):
    case = notified_via_workflow(world, fine=Decimal("100000"))
    request_hearing(case, world.handler1, requested_on=D(2026, 4, 3))
    return case


def test_schedule_hearing_checks_host_and_notice(world):
    case = _hearing_case(world)
    kwargs = {"notice_served_on": D(2026, 4, 7), "scheduled_on": D(2026, 4, 20), "place": "本局听证室"}
    refused("head_required", schedule_hearing, case, world.handler1, host=world.reviewer, **kwargs)
    refused(
        "hearing_host_is_handler",
        schedule_hearing,
        case,
        world.head,
        host=world.handler2,
        article="第六十四条",
        **kwargs,
    )
    refused(
        "hearing_notice_too_late",
        schedule_hearing,
        case,
        world.head,
        host=world.reviewer,
        notice_served_on=D(2026, 4, 13),
        scheduled_on=D(2026, 4, 20),
        place="本局听证室",
        article="第六十四条",
    )
    refused(
        "notice_before_request",
        schedule_hearing,
        case,
        world.head,
        host=world.reviewer,
        notice_served_on=D(2026, 4, 2),
        scheduled_on=D(2026, 4, 20),
        place="本局听证室",
    )
    hearing = schedule_hearing(case, world.head, host=world.reviewer, **kwargs)
    assert hearing.notice_number == "济任市监听〔2026〕1号"
    # rescheduling keeps the number
    hearing = schedule_hearing(
        case, world.head, host=world.reviewer, notice_served_on=D(2026, 4, 8), scheduled_on=D(2026, 4, 21), place="二楼"
    )
    assert hearing.notice_number == "济任市监听〔2026〕1号"
    assert hearing.scheduled_on == D(2026, 4, 21)


def test_record_hearing(world):
    case = _hearing_case(world)
    refused(
        "hearing_not_scheduled",
        record_hearing,
        case,
        world.handler1,
        held_on=D(2026, 4, 20),
        record="笔录",
        signed_by_party=True,
    )
    schedule_hearing(
        case,
        world.head,
        host=world.reviewer,
        notice_served_on=D(2026, 4, 7),
        scheduled_on=D(2026, 4, 20),
        place="听证室",
    )
    refused(
        "held_before_scheduled",
        record_hearing,
        case,
        world.reviewer,
        held_on=D(2026, 4, 17),
        record="笔录",
        signed_by_party=True,
    )
    refused(
        "handler_required",
        record_hearing,
        case,
        world.head,
        held_on=D(2026, 4, 20),
        record="笔录",
        signed_by_party=True,
    )
    refused(
        "record_required", record_hearing, case, world.reviewer, held_on=D(2026, 4, 20), record="", signed_by_party=True
    )
    hearing = record_hearing(case, world.reviewer, held_on=D(2026, 4, 20), record="当事人申辩……", signed_by_party=True)
    assert hearing.held_on == D(2026, 4, 20)
    refused(
        "hearing_held",
        record_hearing,
        case,
        world.handler1,
        held_on=D(2026, 4, 21),
        record="再开",
        signed_by_party=True,
    )


# --- Routing, legal review, deliberation ----------------------------------------------------------


def test_proceed_waits_for_the_statement_period(world):
    case = notified_via_workflow(world)
    refused(
        "statement_period_running",
        proceed_to_decision,
        case,
        world.handler1,
        on_date=D(2026, 4, 9),
        article="第六十二条",
    )
    refused("handler_required", proceed_to_decision, case, world.head, on_date=AFTER_STATEMENT)
    case = proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)
    assert case.state == CaseState.PENDING_DECISION
    assert not case.legal_reviews.exists()


def test_proceed_waits_for_the_hearing_once_requested(world):
    case = _hearing_case(world)
    refused("hearing_not_held", proceed_to_decision, case, world.handler1, on_date=D(2026, 5, 1))


def test_proceed_routes_major_cases_to_legal_review_and_deviations_to_deliberation(world):
    major = notified_via_workflow(world, is_major=True, major_reason="涉及重大公共利益")
    proceed_to_decision(major, world.handler1, on_date=AFTER_STATEMENT)
    assert major.state == CaseState.LEGAL_REVIEW
    assert major.legal_reviews.get().outcome == ReviewOutcome.PENDING
    deviating = notified_via_workflow(world, fine=Decimal("20000"), deviation_reason="主动召回")
    proceed_to_decision(deviating, world.handler1, on_date=AFTER_STATEMENT)
    assert deviating.state == CaseState.DELIBERATION


def test_no_penalty_proposal_goes_to_the_decision_without_notice(world):
    case = investigated_via_workflow(world, penalty_kinds=[PenaltyKind.NONE], fine=None, discretion_standard=None)
    proceed_to_decision(case, world.handler1)
    assert case.state == CaseState.PENDING_DECISION
    decide(case, world.head, kind=DecisionKind.NOT_ESTABLISHED, decided_on=D(2026, 4, 1))
    assert case.decision_number == "济任市监不罚〔2026〕1号"


def _in_review(world, **kwargs):
    case = notified_via_workflow(world, is_major=True, major_reason="涉及重大公共利益", **kwargs)
    proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)
    return case, case.legal_reviews.get()


def test_give_legal_review_refusals(world):
    case, review = _in_review(world)
    refused(
        "not_legal_reviewer",
        give_legal_review,
        review,
        world.head,
        outcome="approved",
        opinion="同意",
        checklist=FULL_CHECKLIST,
    )
    novice = OfficerFactory(agency=world.agency, is_legal_reviewer=True, name="新人")
    refused(
        "reviewer_unqualified",
        give_legal_review,
        review,
        novice,
        outcome="approved",
        opinion="同意",
        checklist=FULL_CHECKLIST,
    )
    partial = dict(FULL_CHECKLIST, check_documents=False)
    refused(
        "review_checklist_incomplete",
        give_legal_review,
        review,
        world.reviewer,
        outcome="approved",
        opinion="同意",
        checklist=partial,
    )
    refused(
        "opinion_required",
        give_legal_review,
        review,
        world.reviewer,
        outcome="approved",
        opinion="",
        checklist=FULL_CHECKLIST,
    )
    refused("outcome_invalid", give_legal_review, review, world.reviewer, outcome="pending", opinion="x", checklist={})
    assert state_of(case) == CaseState.LEGAL_REVIEW


def test_a_handler_who_is_a_reviewer_cannot_review_the_case(world):
    world.handler2.is_legal_reviewer = True
    world.handler2.legal_qualification_no = "A1"
    world.handler2.save()
    _case, review = _in_review(world)
    refused(
        "reviewer_is_handler",
        give_legal_review,
        review,
        world.handler2,
        outcome="approved",
        opinion="同意",
        checklist=FULL_CHECKLIST,
    )


def test_return_and_resubmit_opens_a_new_round(world, second_head):
    case, first = _in_review(world)
    refused("no_returned_review", resubmit_after_return, filed_via_workflow(world), world.handler1)
    review = give_legal_review(
        first, world.reviewer, outcome="returned", opinion="缺少进货票据，请补充。", checklist={}
    )
    assert review.outcome == ReviewOutcome.RETURNED
    assert review.opinion_number == ""
    assert state_of(case) == CaseState.INVESTIGATING
    refused(
        "wrong_state",
        give_legal_review,
        first,
        world.reviewer,
        outcome="approved",
        opinion="x",
        checklist=FULL_CHECKLIST,
    )
    case.refresh_from_db()
    refused("handler_required", resubmit_after_return, case, world.head)
    resubmit_after_return(case, world.handler1, materials="已补充进货票据")
    assert case.state == CaseState.LEGAL_REVIEW
    rounds = list(case.legal_reviews.order_by("submitted_at", "pk"))
    refused(
        "review_not_pending",
        give_legal_review,
        first,
        world.reviewer,
        outcome="approved",
        opinion="x",
        checklist=FULL_CHECKLIST,
    )
    assert [r.outcome for r in rounds] == [ReviewOutcome.RETURNED, ReviewOutcome.PENDING]
    approved = give_legal_review(
        rounds[1], world.reviewer, outcome="approved", opinion="同意。", checklist=FULL_CHECKLIST
    )
    assert approved.opinion_number == "济任市监法审〔2026〕1号"
    case.refresh_from_db()
    assert case.state == CaseState.DELIBERATION  # a major case is also deliberated


def test_disapproved_review_blocks_the_decision_until_a_new_round_passes(world):
    case, review = _in_review(world)
    give_legal_review(review, world.reviewer, outcome="disapproved", opinion="适用法律错误", checklist={})
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    resubmit_after_return(case, world.handler1)
    assert case.state == CaseState.LEGAL_REVIEW


def test_record_deliberation(world, second_head):
    case = notified_via_workflow(world, fine=Decimal("20000"), deviation_reason="主动召回")
    proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)
    kwargs = {"held_on": D(2026, 4, 15), "conclusion": "同意按两万元处罚"}
    refused(
        "head_required", record_deliberation, case, world.handler1, participants=[world.head, second_head], **kwargs
    )
    refused("deliberation_too_few", record_deliberation, case, world.head, participants=[world.head], **kwargs)
    refused(
        "deliberation_not_heads",
        record_deliberation,
        case,
        world.head,
        participants=[world.head, world.handler1],
        **kwargs,
    )
    refused(
        "deviation_reason_required",
        record_deliberation,
        case,
        world.head,
        participants=[world.head, second_head],
        approves_deviation=True,
        **kwargs,
    )
    deliberation = record_deliberation(
        case,
        world.head,
        participants=[world.head, second_head],
        approves_deviation=True,
        deviation_reason="当事人主动召回并赔偿消费者，减轻处罚。",
        **kwargs,
    )
    assert set(deliberation.participants.all()) == {world.head, second_head}
    assert case.state == CaseState.PENDING_DECISION


# --- Decision -----------------------------------------------------------------------------------


def _pending(world, **kwargs):
    case = notified_via_workflow(world, **kwargs)
    return proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)


def test_decide_a_penalty_numbers_the_decision(world):
    case = _pending(world)
    refused(
        "head_required",
        decide,
        case,
        world.handler1,
        kind="penalty",
        decided_on=D(2026, 4, 13),
        penalty_kinds=["fine"],
        fine=60000,
    )
    refused(
        "statement_period_running",
        decide,
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 9),
        penalty_kinds=["fine"],
        fine=60000,
        article="第六十二条",
    )
    refused(
        "heavier_than_notified",
        decide,
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 13),
        penalty_kinds=["fine"],
        fine=Decimal("70000"),
        article="第四十五条第二款",
    )
    refused(
        "outside_discretion_standard",
        decide,
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 13),
        penalty_kinds=["fine"],
        fine=Decimal("40000"),
    )
    refused(
        "penalty_kinds_invalid",
        decide,
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 13),
        penalty_kinds=["none"],
    )
    case = decide(
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 13),
        penalty_kinds=["fine"],
        fine=Decimal("55000"),
        decision_text="罚款",
    )
    assert case.state == CaseState.DECIDED
    assert case.decision_number == "济任市监罚〔2026〕1号"
    assert case.fine_amount == Decimal("55000")
    assert case.decided_by == world.head
    second = decide(
        _pending(world), world.head, kind="penalty", decided_on=D(2026, 4, 14), penalty_kinds=["fine"], fine=60000
    )
    assert second.decision_number == "济任市监罚〔2026〕2号"


def test_decide_without_penalty_and_transfer(world):
    case = _pending(world)
    refused(
        "penalty_in_no_penalty_decision",
        decide,
        case,
        world.head,
        kind=DecisionKind.NO_PENALTY_FIRST,
        decided_on=D(2026, 4, 13),
        fine=100,
    )
    decide(case, world.head, kind=DecisionKind.NO_PENALTY_FIRST, decided_on=D(2026, 4, 13))
    assert case.decision_number == "济任市监不罚〔2026〕1号"
    assert case.penalty_kinds == []
    transfer = decide(_pending(world), world.head, kind=DecisionKind.TRANSFER, decided_on=D(2026, 4, 13))
    assert transfer.decision_number == ""
    assert transfer.state == CaseState.DECIDED


def test_decide_refuses_a_major_case_without_an_approved_review(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.PENDING_DECISION,
        power_item=world.power_item,
        filed_on=D(2026, 3, 5),
        is_major=True,
        major_reason="重大",
        proposed_penalty_kinds=["fine"],
        proposed_fine=Decimal("60000"),
    )
    PartyFactory(case=case)
    err = refused(
        "legal_review_missing",
        decide,
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 13),
        penalty_kinds=["fine"],
        fine=60000,
    )
    assert "第五十八条" in err.messages[0]


def test_decide_refuses_a_deviation_without_an_approving_deliberation(world, second_head):
    case = notified_via_workflow(world, fine=Decimal("20000"), deviation_reason="主动召回")
    proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)
    record_deliberation(
        case,
        world.head,
        held_on=D(2026, 4, 15),
        participants=[world.head, second_head],
        conclusion="不同意偏离，仍按基准处罚",
    )
    refused(
        "deviation_not_approved",
        decide,
        case,
        world.head,
        kind="penalty",
        decided_on=D(2026, 4, 16),
        penalty_kinds=["fine"],
        fine=Decimal("20000"),
        article="第五十七条第二款",
    )
    assert state_of(case) == CaseState.PENDING_DECISION


# --- Whole cases ------------------------------------------------------------------------------------


def test_a_whole_case_without_hearing(world):
    case = lead_via_workflow(world)
    case = approve_filing(
        case,
        world.head,
        handlers=[world.handler1, world.handler2],
        power_item=world.power_item,
        violation_date=D(2026, 2, 20),
        filed_on=D(2026, 3, 5),
    )
    case = investigated_via_workflow(world, case=case)
    give_prior_notice(case, world.handler1, served_on=D(2026, 4, 1))
    waive_statement(case, world.handler1, waived_on=D(2026, 4, 2))
    proceed_to_decision(case, world.handler1, on_date=D(2026, 4, 2))
    decide(case, world.head, kind="penalty", decided_on=D(2026, 4, 3), penalty_kinds=["fine"], fine=Decimal("60000"))
    assert case.state == CaseState.DECIDED
    events = list(CaseEvent.objects.filter(case=case).values_list("to_state", flat=True))
    assert events == [
        CaseState.LEAD,
        CaseState.INVESTIGATING,
        CaseState.UNDER_REVIEW,
        CaseState.NOTIFIED,
        "",  # the waiver is an event without a state change
        CaseState.PENDING_DECISION,
        CaseState.DECIDED,
    ]


def test_a_whole_case_with_hearing_and_legal_review(world):
    case = investigated_via_workflow(world, case=filed_via_workflow(world, parties=[person_party_fields()]))
    give_prior_notice(case, world.handler1, served_on=D(2026, 4, 1))  # 60,000 to a person: hearing right
    assert case.prior_notice.hearing_right
    request_hearing(case, world.handler1, requested_on=D(2026, 4, 3))
    schedule_hearing(
        case,
        world.head,
        host=world.reviewer,
        notice_served_on=D(2026, 4, 7),
        scheduled_on=D(2026, 4, 20),
        place="听证室",
    )
    record_hearing(case, world.reviewer, held_on=D(2026, 4, 20), record="当事人称系初犯。", signed_by_party=True)
    proceed_to_decision(case, world.handler1)
    assert case.state == CaseState.LEGAL_REVIEW  # a hearing was held (APL 58)
    other_reviewer = OfficerFactory(
        agency=world.agency, name="周审核", is_legal_reviewer=True, legal_qualification_no="A2"
    )
    review = case.legal_reviews.get()
    # the host of the hearing is no handler, yet another reviewer reviews here
    give_legal_review(
        review, other_reviewer, outcome=ReviewOutcome.APPROVED, opinion="同意", checklist=list(FULL_CHECKLIST)
    )
    case.refresh_from_db()
    assert case.state == CaseState.PENDING_DECISION
    decide(case, world.head, kind="penalty", decided_on=D(2026, 4, 24), penalty_kinds=["fine"], fine=Decimal("50000"))
    assert case.decision_number == "济任市监罚〔2026〕1号"
    assert LegalReview.objects.get(case=case).opinion_number == "济任市监法审〔2026〕1号"


def test_a_whole_major_case_with_return_resubmit_and_deliberation(world, second_head):
    case, review = _in_review(world)
    give_legal_review(review, world.reviewer, outcome="returned", opinion="请补充检验报告。", checklist={})
    case.refresh_from_db()
    resubmit_after_return(case, world.handler1, materials="检验报告")
    give_legal_review(
        case.legal_reviews.latest("submitted_at"),
        world.reviewer,
        outcome="approved",
        opinion="同意。",
        checklist=FULL_CHECKLIST,
    )
    case.refresh_from_db()
    assert case.state == CaseState.DELIBERATION
    record_deliberation(
        case, world.head, held_on=D(2026, 4, 20), participants=[world.head, second_head], conclusion="同意"
    )
    decide(case, world.head, kind="penalty", decided_on=D(2026, 4, 21), penalty_kinds=["fine"], fine=Decimal("60000"))
    assert case.state == CaseState.DECIDED


# --- available_actions ------------------------------------------------------------------------


def _actions(case, officer, **kwargs):
    return {a.name: a for a in available_actions(case, officer, **kwargs)}


def test_actions_at_the_lead(world):
    case = lead_via_workflow(world)
    head = _actions(case, world.head)
    assert head["approve_filing"].allowed and head["decline_filing"].allowed
    assert head["approve_filing"].label == "批准立案"
    handler = _actions(case, world.handler1)
    assert not handler["approve_filing"].allowed
    assert "机关负责人" in handler["approve_filing"].reasons[0]
    assert handler["add_party"].allowed
    assert "complete_investigation" not in handler


def test_actions_show_the_same_refusal_as_the_step(world):
    case = notified_via_workflow(world)
    action = _actions(case, world.handler1, on_date=D(2026, 4, 9))["proceed_to_decision"]
    assert not action.allowed
    err = refused("statement_period_running", proceed_to_decision, case, world.handler1, on_date=D(2026, 4, 9))
    assert action.reasons == [err.messages[0]]
    assert _actions(case, world.handler1, on_date=AFTER_STATEMENT)["proceed_to_decision"].allowed
    assert "request_hearing" not in _actions(case, world.handler1)  # no hearing right told


def test_actions_collect_every_reason(world):
    case = CaseFactory(
        agency=world.agency,
        state=CaseState.PENDING_DECISION,
        filed_on=D(2026, 3, 5),
        is_complex=True,
        proposed_penalty_kinds=["fine"],
    )
    case.handlers.set([world.handler1, world.handler2])
    action = _actions(case, world.handler1)["decide"]
    assert not action.allowed
    assert len(action.reasons) == 3  # not the head; no legal review; no deliberation
    assert any("第五十八条" in r for r in action.reasons)
    assert any("第五十七条第二款" in r for r in action.reasons)
    stranger = OfficerFactory(agency=world.other_agency)
    assert all(not a.allowed for a in available_actions(case, stranger))


def test_actions_in_legal_review_for_the_reviewer(world):
    case, _review = _in_review(world)
    assert _actions(case, world.reviewer)["give_legal_review"].allowed
    by_handler = _actions(case, world.handler1)["give_legal_review"]
    assert not by_handler.allowed and "法制审核人员" in by_handler.reasons[0]


def test_actions_include_the_execution_steps(world):
    case = _pending(world)
    decide(case, world.head, kind="penalty", decided_on=D(2026, 4, 13), penalty_kinds=["fine"], fine=60000)
    assert _actions(case, world.handler1)["serve_decision"].allowed
    assert not _actions(case, world.head)["serve_decision"].allowed
    returned = _actions(filed_via_workflow(world), world.head)
    assert "impose_measure" in returned and returned["impose_measure"].allowed
    assert returned["extend_decision_period"].allowed


def test_actions_run_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    case = notified_via_workflow(world)
    from cases.deadlines import with_deadline_data

    case = with_deadline_data(
        Case.objects.prefetch_related("handlers", "parties", "legal_reviews", "deliberations")
    ).get(pk=case.pk)
    with django_assert_max_num_queries(0):
        available_actions(case, world.handler1, on_date=AFTER_STATEMENT)


# --- Smaller input checks ---------------------------------------------------------------------------


def test_lead_needs_a_title(world):
    from cases.models import Source

    refused(
        "title_required",
        register_lead,
        agency=world.agency,
        actor=world.handler1,
        source=Source.COMPLAINT,
        title=" ",
        lead_received_on=D(2026, 3, 2),
    )


def test_a_suspended_agency_cannot_file(world):
    from lawenforce.models import AgencyStatus

    case = lead_via_workflow(world)
    world.agency.status = AgencyStatus.SUSPENDED
    world.agency.save()
    refused("agency_not_active", _approve, world, case, article="第三十八条")


def test_another_agencys_head_cannot_file(world):
    case = lead_via_workflow(world)
    foreign_head = OfficerFactory(agency=world.other_agency, is_agency_head=True)
    refused(
        "other_agency",
        approve_filing,
        case,
        foreign_head,
        handlers=[],
        power_item=world.power_item,
        violation_date=D(2026, 2, 20),
        filed_on=D(2026, 3, 5),
    )


def test_investigation_input_checks(world):
    case = filed_via_workflow(world)
    refused("evidence_required", investigated_via_workflow, world, case=case, evidence_summary="")
    refused("confiscation_without_kind", investigated_via_workflow, world, case=case, confiscation=Decimal("100"))
    refused(
        "confiscation_not_positive",
        investigated_via_workflow,
        world,
        case=case,
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        confiscation=Decimal("0"),
    )
    other_item = PowerItemFactory(enforcement_category=world.category, agencies=[world.agency])
    from lawenforce.models import DiscretionStandard

    foreign_standard = DiscretionStandard.objects.create(
        power_item=other_item, violation="x", circumstance="general", penalty_kinds=["warning"]
    )
    refused("standard_other_item", investigated_via_workflow, world, case=case, discretion_standard=foreign_standard)


def test_hearing_place_and_review_checklist_keys(world):
    case = _hearing_case(world)
    refused(
        "place_required",
        schedule_hearing,
        case,
        world.head,
        host=world.reviewer,
        notice_served_on=D(2026, 4, 7),
        scheduled_on=D(2026, 4, 20),
        place="",
    )
    _case, review = _in_review(world)
    refused(
        "unknown_checklist_item",
        give_legal_review,
        review,
        world.reviewer,
        outcome="approved",
        opinion="同意",
        checklist={"x": True},
    )


def test_deliberation_and_decision_dates(world, second_head):
    case = notified_via_workflow(world, fine=Decimal("20000"), deviation_reason="主动召回")
    proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)
    refused(
        "conclusion_required",
        record_deliberation,
        case,
        world.head,
        held_on=D(2026, 4, 15),
        participants=[world.head, second_head],
        conclusion="",
    )
    refused(
        "held_before_filing",
        record_deliberation,
        case,
        world.head,
        held_on=D(2026, 3, 1),
        participants=[world.head, second_head],
        conclusion="同意",
    )
    pending = _pending(world)
    refused(
        "decided_before_filing",
        decide,
        pending,
        world.head,
        kind="penalty",
        decided_on=D(2026, 3, 1),
        penalty_kinds=["fine"],
        fine=60000,
    )
    refused("decision_kind_invalid", decide, pending, world.head, kind="pardon", decided_on=D(2026, 4, 13))
    refused(
        "approved_before_filing",
        extend_decision_period,
        pending,
        world.head,
        days=10,
        reason="r",
        approved_on=D(2026, 3, 1),
    )


def test_a_period_in_an_unknown_year_is_refused_rather_than_guessed(world):
    case = investigated_via_workflow(world)
    err = refused("calendar_unknown", give_prior_notice, case, world.handler1, served_on=D(2026, 12, 29))
    assert "2027" in err.messages[0]
    assert state_of(case) == CaseState.UNDER_REVIEW


def test_step_records_keep_their_change_reason(world):
    case = notified_via_workflow(world)
    assert case.prior_notice.history.first().history_change_reason == "事先告知"
    assert case.history.first().history_change_reason == "事先告知"
