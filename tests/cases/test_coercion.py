"""Seal-up and seizure: two officers, head's approval, 30 days, one extension of at most 30 (ACL 18, 25, 28)."""

import datetime
from decimal import Decimal

import pytest

from cases import workflow
from cases.errors import WorkflowError
from cases.models import CaseState, MeasureKind, MeasureState
from cases.rules import check_measure_extension, measure_ends_on
from tests.cases.factories import CaseFactory, assert_refused

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 3, 2)
ACL = "《行政强制法》"
ITEMS = [
    {"name": "过期饮料", "specification": "500ml", "quantity": 24, "unit": "瓶"},
    {"name": "过期饼干", "quantity": "3.5", "unit": "千克", "note": "散装"},
]


def investigating_case(world, handlers=None):
    case = CaseFactory(
        agency=world.agency,
        registered_by=world.handler1,
        state=CaseState.INVESTIGATING,
        number="济任市监立〔2026〕9号",
        power_item=world.power_item,
        filed_on=D(2026, 2, 27),
    )
    case.handlers.set(handlers if handlers is not None else [world.handler1, world.handler2])
    return case


def impose(world, case, **kwargs):
    options = {
        "kind": MeasureKind.SEIZURE,
        "decided_on": DAY,
        "reason": "涉嫌经营超过保质期的食品，依据《食品安全法》第一百一十条扣押。",
        "place": "某超市仓库",
        "items": ITEMS,
    }
    return workflow.impose_measure(case, world.head, **{**options, **kwargs})


def test_period_is_thirty_natural_days_ending_on_a_working_day():
    assert measure_ends_on(DAY) == D(2026, 4, 1)
    assert measure_ends_on(DAY, extended_days=30) == D(2026, 5, 6)  # 1 May is a holiday
    assert measure_ends_on(DAY, paused_days=10) == D(2026, 4, 13)  # 11 April is a Saturday


def test_impose_a_seizure(world):
    case = investigating_case(world)
    measure = impose(world, case)
    assert measure.number == "济任市监强〔2026〕1号"
    assert measure.ends_on == D(2026, 4, 1)
    assert measure.approved_by == world.head and measure.state == MeasureState.IN_FORCE
    assert [(i.name, i.quantity, i.unit) for i in measure.items.all()] == [
        ("过期饮料", Decimal("24.00"), "瓶"),
        ("过期饼干", Decimal("3.50"), "千克"),
    ]
    assert "第二十五条" in case.events.get(action="决定扣押").summary
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING  # a measure does not move the case


def test_two_officers_are_needed(world):
    case = investigating_case(world, handlers=[world.handler1])
    with pytest.raises(WorkflowError) as excinfo:
        impose(world, case)
    assert_refused(excinfo, "two_officers_required", f"{ACL}第十八条")
    case.handlers.add(world.uncertified)  # an officer without certificate does not count
    with pytest.raises(WorkflowError) as excinfo:
        impose(world, case)
    assert excinfo.value.rule_code == "two_officers_required"
    case.handlers.add(world.handler2)
    impose(world, case)


def test_the_head_approves(world):
    case = investigating_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.impose_measure(
            case, world.handler1, kind=MeasureKind.SEAL_UP, decided_on=DAY, reason="理由", place="", items=ITEMS
        )
    assert excinfo.value.rule_code == "head_required"


def test_not_before_filing_or_in_a_closed_case(world):
    case = investigating_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        impose(world, case, decided_on=D(2026, 2, 20))
    assert excinfo.value.rule_code == "decided_before_filing"
    case.state = CaseState.CLOSED
    case.save()
    with pytest.raises(WorkflowError) as excinfo:
        impose(world, case)
    assert excinfo.value.rule_code == "wrong_state"


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"name": "饮料", "quantity": 0, "unit": "瓶"}],
        [{"name": "饮料", "quantity": 1}],
        [{"name": "x", "quantity": 1, "unit": "瓶", "colour": "红"}],
    ],
)
def test_the_list_of_items_is_checked(world, items):
    case = investigating_case(world)
    with pytest.raises(WorkflowError) as excinfo:
        impose(world, case, items=items)
    assert excinfo.value.rule_code in ("items_required", "invalid_item")
    assert not case.measures.exists()


def test_one_extension_only_of_at_most_thirty_days(world):
    measure = impose(world, investigating_case(world))
    with pytest.raises(WorkflowError) as excinfo:
        workflow.extend_measure(measure, world.head, days=31, reason="案情复杂")
    assert_refused(excinfo, "measure_extension_too_long", f"{ACL}第二十五条")
    with pytest.raises(WorkflowError) as excinfo:
        workflow.extend_measure(measure, world.handler1, days=30, reason="案情复杂")
    assert excinfo.value.rule_code == "head_required"
    with pytest.raises(WorkflowError) as excinfo:
        workflow.extend_measure(measure, world.head, days=30, reason="")
    assert_refused(excinfo, "reason_required", f"{ACL}第二十五条")

    workflow.extend_measure(measure, world.head, days=30, reason="案情复杂，需进一步调查", extended_on=D(2026, 3, 30))
    measure.refresh_from_db()
    assert measure.extended_days == 30 and measure.extension_approved_by == world.head
    assert measure.ends_on == D(2026, 5, 6)

    with pytest.raises(WorkflowError) as excinfo:
        workflow.extend_measure(measure, world.head, days=5, reason="仍需调查")
    assert_refused(excinfo, "measure_already_extended", f"{ACL}第二十五条")


def test_no_extension_after_the_period_ends(world):
    measure = impose(world, investigating_case(world))
    with pytest.raises(WorkflowError) as excinfo:
        check_measure_extension(measure, 10, on_date=D(2026, 4, 2))
    assert_refused(excinfo, "measure_expired", f"{ACL}第二十五条")
    check_measure_extension(measure, 10, on_date=D(2026, 4, 1))


def test_testing_days_are_not_counted(world):
    measure = impose(world, investigating_case(world))
    workflow.record_measure_testing(measure, world.head, days=10, reason="送检验机构检验")
    assert measure.ends_on == D(2026, 4, 13)
    workflow.extend_measure(measure, world.head, days=20, reason="案情复杂")
    assert measure.ends_on == measure_ends_on(DAY, extended_days=20, paused_days=10)


def test_release_and_disposal(world):
    case = investigating_case(world)
    released = impose(world, case)
    workflow.end_measure(
        released, world.head, state=MeasureState.RELEASED, ended_on=D(2026, 3, 20), reason="经检验合格，与违法行为无关"
    )
    assert released.state == MeasureState.RELEASED and released.ended_on == D(2026, 3, 20)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.end_measure(released, world.head, state=MeasureState.DISPOSED, ended_on=D(2026, 3, 21), reason="没收")
    assert_refused(excinfo, "measure_not_in_force", f"{ACL}第二十八条")
    with pytest.raises(WorkflowError) as excinfo:
        workflow.extend_measure(released, world.head, days=10, reason="x")
    assert excinfo.value.rule_code == "measure_not_in_force"

    second = impose(world, case)
    assert second.number == "济任市监强〔2026〕2号"
    with pytest.raises(WorkflowError) as excinfo:
        workflow.end_measure(second, world.head, state=MeasureState.DISPOSED, ended_on=D(2026, 4, 2), reason="没收销毁")
    assert_refused(excinfo, "measure_expired", f"{ACL}第二十七条")
    with pytest.raises(WorkflowError) as excinfo:
        workflow.end_measure(second, world.head, state=MeasureState.IN_FORCE, ended_on=D(2026, 4, 1), reason="x")
    assert excinfo.value.rule_code == "invalid_state"
    with pytest.raises(WorkflowError) as excinfo:
        workflow.end_measure(second, world.handler1, state=MeasureState.DISPOSED, ended_on=D(2026, 4, 1), reason="x")
    assert excinfo.value.rule_code == "head_required"
    workflow.end_measure(
        second, world.head, state=MeasureState.DISPOSED, ended_on=D(2026, 4, 1), reason="依法没收并销毁"
    )
    assert second.state == MeasureState.DISPOSED
    assert case.events.filter(action__contains="依法处理").exists()


def test_a_late_release_is_noted(world):
    measure = impose(world, investigating_case(world))
    workflow.end_measure(measure, world.head, state=MeasureState.RELEASED, ended_on=D(2026, 4, 3), reason="期限届满")
    assert "届满后才解除" in measure.case.events.filter(action__contains="解除").get().summary
