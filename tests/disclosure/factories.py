"""Decided cases for the disclosure tests, through the real workflow (so the signals fire)."""

import datetime
from decimal import Decimal

from cases.models import DecisionKind, PartyKind
from cases.workflow import decide, proceed_to_decision
from tests.cases.factories import filed_via_workflow, notified_via_workflow, org_party_fields, resident_id

AFTER_STATEMENT = datetime.date(2026, 4, 10)  # notices served 2026-04-01: statement period over
DECIDED_ON = datetime.date(2026, 4, 13)

# A natural person whose details an officer typed into the case's texts (the masking must catch them).
PERSON_ID = resident_id("37081119850304123")
PERSON_PHONE = "13905371234"
PERSON_ADDRESS = "山东省济宁市任城区幸福路88号3单元501室"


def person_fields(**kwargs):
    return {
        "kind": PartyKind.NATURAL_PERSON,
        "name": "张三丰",
        "id_number": PERSON_ID,
        "phone": PERSON_PHONE,
        "address": PERSON_ADDRESS,
        **kwargs,
    }


LEAKY_FACTS = (
    f"当事人张三丰（身份证号{PERSON_ID}，住{PERSON_ADDRESS}，电话{PERSON_PHONE}）于2026年2月在其经营场所销售超过保质期的食品，"
    "货值金额五千元。举报人电话１３８ ０５３７ ５６７８，另一身份证号 370811-19900101-0011。"
)


def decided_via_workflow(
    world,
    *,
    parties=None,
    fine=Decimal("60000"),
    decided_on=DECIDED_ON,
    facts=None,
    penalty_kinds=("fine",),
    kind=DecisionKind.PENALTY,
    decision_text="",
    proposed_fine=Decimal("60000"),
):
    """A case decided by the head after notice and the statement period (ordinary procedure)."""
    extra = {"facts": facts} if facts is not None else {}
    case = filed_via_workflow(world, parties=parties or [org_party_fields()])
    case = notified_via_workflow(world, case=case, fine=proposed_fine, **extra)
    case = proceed_to_decision(case, world.handler1, on_date=AFTER_STATEMENT)
    if kind != DecisionKind.PENALTY:
        return decide(case, world.head, kind=kind, decided_on=decided_on)
    return decide(
        case,
        world.head,
        kind=kind,
        decided_on=decided_on,
        penalty_kinds=list(penalty_kinds),
        fine=fine,
        decision_text=decision_text,
    )
