"""One full ordinary-procedure case through cases.workflow, for the CPU benchmark.

Uses the demo agency 济宁市任城区市场监督管理局 and its officers (seed_demo); dates are fixed in
2026 so the run does not depend on today.
"""

import datetime
from decimal import Decimal

from cases import workflow
from cases.models import DecisionKind, ServiceMethod, Source
from lawenforce.models import Agency, DiscretionStandard, Officer, PenaltyKind, PowerItem
from lawenforce.validators import uscc_check_char

D = datetime.date


def run_lifecycle(i):
    agency = Agency.objects.get(short_name="济任市监")
    staff = {o.name: o for o in Officer.objects.filter(agency=agency)}
    head, officer, partner = staff["王建国"], staff["李明"], staff["叶敏旭"]
    item = PowerItem.objects.get(code="CF-SCJG-001")
    standard = DiscretionStandard.objects.get(power_item=item, circumstance="general", fine_basis="fixed")
    first17 = f"91370811MA{i:07d}"[:17]
    case = workflow.register_lead(
        agency=agency, actor=officer, source=Source.INSPECTION, title=f"压测全流程案件{i}",
        lead_received_on=D(2026, 3, 2),
        parties=[{"kind": "legal_person", "name": f"压测公司{i}", "uscc": first17 + uscc_check_char(first17),
                  "legal_representative": "王某", "address": "济宁市"}],
    )
    workflow.approve_filing(case, head, handlers=[officer, partner], power_item=item,
                            violation_date=D(2026, 2, 27), filed_on=D(2026, 3, 3))
    workflow.complete_investigation(case, officer, facts="事实。", evidence_summary="证据。", discretion_standard=standard,
                                    penalty_kinds=[PenaltyKind.FINE], fine=Decimal("50000.00"))
    workflow.give_prior_notice(case, officer, served_on=D(2026, 3, 16), approved_by=head)
    workflow.waive_statement(case, officer, waived_on=D(2026, 3, 17))
    workflow.proceed_to_decision(case, officer, on_date=D(2026, 3, 18))
    workflow.decide(case, head, kind=DecisionKind.PENALTY, decided_on=D(2026, 3, 20),
                    penalty_kinds=[PenaltyKind.FINE], fine=Decimal("50000.00"))
    workflow.serve_decision(case, officer, method=ServiceMethod.DIRECT, served_on=D(2026, 3, 23), recipient="王某")
    workflow.record_payment(case, officer, amount=Decimal("50000.00"), paid_on=D(2026, 3, 30), receipt_number=f"R{i}")
    workflow.close_case(case, head, closed_on=D(2026, 4, 1))
    workflow.archive_case(case, officer, archived_on=D(2026, 4, 10))
    return case
