"""Demo cases for `make run`: a handful of cases of 济宁市任城区市场监督管理局 at different steps,
built through the real workflow so that every record, number, event and history row is what an
officer would have produced. Run by `manage.py seed_demo_cases` after `seed_demo`; idempotent
(a demo case whose title exists is skipped).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from cases import workflow
from cases.documents import generate
from cases.models import Case, DecisionKind, DocumentKind, ServiceMethod, Source
from lawenforce.models import Agency, DiscretionStandard, Officer, PenaltyKind, PowerItem

D = datetime.date
AGENCY = "济任市监"
SUFFIX = "（示例）"
COMPANY = {
    "kind": "legal_person",
    "name": "济宁鑫源商贸有限公司",
    "uscc": "91370811MA3C5Y5L2X",
    "legal_representative": "王某某",
    "address": "山东省济宁市任城区古槐路18号",
    "phone": "0537-2345678",
}
PERSON = {
    "kind": "natural_person",
    "name": "张某",
    "id_number": "370811198001011234",
    "address": "山东省济宁市任城区阜桥街道",
}
CHECKLIST = [
    "check_agency_and_officers",
    "check_procedure",
    "check_facts_and_evidence",
    "check_law_and_discretion",
    "check_authority",
    "check_documents",
    "check_crime_transfer",
]


class People:
    def __init__(self, agency):
        by_name = {o.name: o for o in Officer.objects.filter(agency=agency)}
        self.head = by_name["王建国"]
        self.officer = by_name["李明"]
        self.partner = by_name["叶敏旭"]
        self.reviewer = by_name["赵雪"]


def _fix_check_chars():
    """The demo parties' numbers carry correct check characters."""
    from lawenforce.validators import resident_id_check_char, uscc_check_char

    COMPANY["uscc"] = COMPANY["uscc"][:17] + uscc_check_char(COMPANY["uscc"][:17])
    PERSON["id_number"] = PERSON["id_number"][:17] + resident_id_check_char(PERSON["id_number"][:17])


def _lead(agency, people, title, received_on, party=COMPANY):
    return workflow.register_lead(
        agency=agency,
        actor=people.officer,
        source=Source.INSPECTION,
        title=title + SUFFIX,
        lead_received_on=received_on,
        lead_summary="日常监督检查中发现当事人经营的冷柜内存放超过保质期的预包装食品。",
        parties=[dict(party)],
    )


def _filed(agency, people, title, received_on, filed_on, item):
    case = _lead(agency, people, title, received_on)
    return workflow.approve_filing(
        case,
        people.head,
        handlers=[people.officer, people.partner],
        power_item=item,
        violation_date=received_on - datetime.timedelta(days=2),
        filed_on=filed_on,
    )


def _investigated(agency, people, title, received_on, filed_on, item, standard, fine, **major):
    case = _filed(agency, people, title, received_on, filed_on, item)
    return workflow.complete_investigation(
        case,
        people.officer,
        facts="当事人在其经营场所销售超过保质期的预包装食品共计12件，货值金额860元。",
        evidence_summary="现场检查笔录、询问笔录、现场照片、进货单据。",
        discretion_standard=standard,
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine=fine,
        confiscation=Decimal("240.00"),
        **major,
    )


def _noticed_and_waived(case, people, served_on):
    workflow.give_prior_notice(case, people.officer, served_on=served_on, approved_by=people.head)
    workflow.waive_statement(case, people.officer, waived_on=served_on + datetime.timedelta(days=1))
    return workflow.proceed_to_decision(case, people.officer, on_date=served_on + datetime.timedelta(days=2))


def _decided(agency, people, title, dates, item, standard):
    received, filed, noticed, decided = dates
    case = _investigated(agency, people, title, received, filed, item, standard, Decimal("50000.00"))
    _noticed_and_waived(case, people, noticed)
    return workflow.decide(
        case,
        people.head,
        kind=DecisionKind.PENALTY,
        decided_on=decided,
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine=Decimal("50000.00"),
        confiscation=Decimal("240.00"),
        decision_text="没收违法所得240元，并处罚款50000元。",
    )


def build():
    agency = Agency.objects.get(short_name=AGENCY)
    people = People(agency)
    item = PowerItem.objects.get(code="CF-SCJG-001")
    standard = DiscretionStandard.objects.get(power_item=item, circumstance="general", fine_basis="fixed")
    _fix_check_chars()
    made = []

    def once(title, build_case):
        if Case.objects.filter(agency=agency, title=title + SUFFIX).exists():
            return
        with transaction.atomic():
            made.append(build_case(title))

    def archived(title):
        case = _decided(
            agency, people, title, (D(2026, 2, 27), D(2026, 3, 2), D(2026, 3, 23), D(2026, 4, 13)), item, standard
        )
        generate(case, DocumentKind.PENALTY_DECISION, people.head)  # served with its ledger receipt
        workflow.serve_decision(
            case, people.officer, method=ServiceMethod.DIRECT, served_on=D(2026, 4, 14), recipient="王某某"
        )
        workflow.record_payment(
            case, people.officer, amount=Decimal("50240.00"), paid_on=D(2026, 4, 20), receipt_number="JN2026041200318"
        )
        workflow.close_case(case, people.head, closed_on=D(2026, 4, 24))
        workflow.archive_case(case, people.officer, archived_on=D(2026, 5, 8))
        return case

    once("涉嫌经营超过保质期饮料案", archived)

    def executing(title):
        case = _decided(
            agency, people, title, (D(2026, 6, 29), D(2026, 7, 1), D(2026, 7, 20), D(2026, 8, 10)), item, standard
        )
        generate(case, DocumentKind.PENALTY_DECISION, people.head)  # served with its ledger receipt
        workflow.serve_decision(
            case, people.officer, method=ServiceMethod.DIRECT, served_on=D(2026, 8, 12), recipient="王某某"
        )
        return case

    once("涉嫌销售过期调味品案", executing)

    def in_legal_review(title):
        case = _investigated(
            agency,
            people,
            title,
            D(2026, 9, 1),
            D(2026, 9, 3),
            item,
            standard,
            Decimal("80000.00"),
            is_major=True,
            major_reason="拟处较大数额罚款，涉及当事人重大权益",
        )
        return _noticed_and_waived(case, people, D(2026, 9, 21))

    once("涉嫌经营超过保质期乳制品案", in_legal_review)

    once("涉嫌经营标签不符合规定的食品案", lambda t: _filed(agency, people, t, D(2026, 11, 2), D(2026, 11, 5), item))
    once("涉嫌经营超过保质期食品案", lambda t: _lead(agency, people, t, D(2026, 11, 20)))

    def summary(title):
        case = workflow.decide_on_the_spot(
            agency=agency,
            actor=people.officer,
            officers=[people.officer, people.partner],
            power_item=item,
            party=dict(PERSON),
            facts="当事人在集贸市场摊位销售1袋超过保质期的散装食品，当场改正。",
            penalty_kinds=[PenaltyKind.WARNING],
            fine=None,
            place="任城区古槐路集贸市场",
            decided_on=D(2026, 11, 18),
            title=title + SUFFIX,
        )
        workflow.serve_decision(
            case, people.officer, method=ServiceMethod.ON_THE_SPOT, served_on=D(2026, 11, 18), recipient="张某"
        )
        workflow.report_summary_case(case, people.officer, reported_on=D(2026, 11, 19))
        return workflow.close_case(case, people.head, closed_on=D(2026, 11, 19))

    once("集贸市场销售过期散装食品当场处罚案", summary)
    return made
