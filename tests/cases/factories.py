"""Factories and a ready-made agency for case tests.

`CaseFactory` builds rows directly, for tests that need a case already in some state; tests of
the workflow itself go through `cases.workflow`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from cases.models import Case, CaseState, Party, PartyKind, Procedure, Source
from lawenforce.models import (
    Agency,
    Circumstance,
    DiscretionStandard,
    EnforcementCategory,
    FineBasis,
    LegalProvision,
    Officer,
    PenaltyKind,
    PowerItem,
    Sector,
)
from lawenforce.validators import resident_id_check_char
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementCategoryFactory,
    LawFactory,
    OfficerFactory,
    PowerItemFactory,
)


def resident_id(first17="37081119800101123"):
    return first17 + resident_id_check_char(first17)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    agency = factory.SubFactory(AgencyFactory)
    procedure = Procedure.ORDINARY
    state = CaseState.LEAD
    title = factory.Sequence(lambda n: f"涉嫌经营过期食品案{n}")
    source = Source.INSPECTION
    lead_received_on = datetime.date(2026, 3, 2)
    registered_by = factory.SubFactory(OfficerFactory, agency=factory.SelfAttribute("..agency"))


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    kind = PartyKind.LEGAL_PERSON
    name = factory.Sequence(lambda n: f"济宁某某食品有限公司{n}")
    uscc = "91330100799655058B"
    legal_representative = "王某"
    address = "山东省济宁市任城区某路1号"


class PersonPartyFactory(PartyFactory):
    kind = PartyKind.NATURAL_PERSON
    name = "张三"
    uscc = ""
    legal_representative = ""
    id_number = factory.LazyFunction(resident_id)


@dataclass
class AgencyWorld:
    """One market-regulation agency with everyone a case needs."""

    agency: Agency
    category: EnforcementCategory
    head: Officer
    handler1: Officer
    handler2: Officer
    reviewer: Officer
    uncertified: Officer
    power_item: PowerItem
    standard: DiscretionStandard  # fixed 50,000–100,000 yuan, statutory max 100,000
    other_agency: Agency


def agency_world(regions):
    category = EnforcementCategoryFactory(code="market", name="市场监管")
    agency = AgencyFactory(region=regions["county"], sector=Sector.MARKET, short_name="济任市监")
    other = AgencyFactory(region=regions["other_city"], sector=Sector.MARKET, short_name="菏市监")

    def certified(**kwargs):
        officer = OfficerFactory(agency=agency, **kwargs)
        CertificateFactory(officer=officer, categories=[category])
        return officer

    head = certified(name="王局长", is_agency_head=True)
    handler1 = certified(name="李明")
    handler2 = certified(name="赵强")
    reviewer = certified(name="孙审核", is_legal_reviewer=True, legal_qualification_no="A20180001")
    uncertified = OfficerFactory(agency=agency, name="无证人员")
    law = LawFactory(name="中华人民共和国食品安全法")
    provision = LegalProvision.objects.create(
        law=law,
        article=124,
        paragraph=1,
        text="违反本法规定，有下列情形之一，尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品……",
    )
    item = PowerItemFactory(code="CF-SP-124", name="对经营超过保质期食品的行政处罚", enforcement_category=category, agencies=[agency])
    item.provisions.add(provision)
    standard = DiscretionStandard.objects.create(
        power_item=item,
        violation="经营超过保质期的食品，货值金额不足一万元",
        circumstance=Circumstance.GENERAL,
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine_basis=FineBasis.FIXED,
        fine_min=Decimal("50000"),
        fine_max=Decimal("100000"),
        statutory_max=Decimal("100000"),
    )
    return AgencyWorld(agency, category, head, handler1, handler2, reviewer, uncertified, item, standard, other)


def decided_case(world, *, fine=Decimal("10000"), confiscation=None, decided_on=datetime.date(2026, 3, 2), **kwargs):
    """A case of `world.agency` decided by the head (ordinary procedure) with handler1 and handler2,
    a legal-person party and, by default, a fine of 10,000 yuan: ready to be served and executed."""
    from cases.models import DecisionKind
    from lawenforce.models import PenaltyKind

    kinds = [PenaltyKind.FINE] if fine else [PenaltyKind.WARNING]
    if confiscation:
        kinds.append(PenaltyKind.CONFISCATE_GAINS)
    fields = {
        "agency": world.agency,
        "registered_by": world.handler1,
        "state": CaseState.DECIDED,
        "number": f"济任市监立〔2026〕{Case.objects.count() + 1}号",
        "power_item": world.power_item,
        "filed_on": datetime.date(2026, 1, 5),
        "violation_date": datetime.date(2025, 12, 20),
        "facts": "经营超过保质期的食品。",
        "decision_kind": DecisionKind.PENALTY,
        "decision_number": f"济任市监罚〔2026〕{Case.objects.count() + 1}号",
        "decided_on": decided_on,
        "decided_by": world.head,
        "penalty_kinds": kinds,
        "fine_amount": fine,
        "confiscated_amount": confiscation,
        **kwargs,
    }
    case = CaseFactory(**fields)
    case.handlers.set([world.handler1, world.handler2])
    PartyFactory(case=case)
    return case


# ---------------------------------------------------------------- step records (documents tests)

from cases.models import (  # noqa: E402
    CoerciveMeasure,
    Hearing,
    LegalReview,
    MeasureKind,
    PriorNotice,
    SeizedItem,
    Service,
    ServiceMethod,
)


class PriorNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorNotice

    case = factory.SubFactory(CaseFactory)
    number = factory.Sequence(lambda n: f"济任市监告〔2026〕{n + 1}号")
    served_on = datetime.date(2026, 4, 1)
    statement_deadline = datetime.date(2026, 4, 8)
    hearing_right = False


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    host = factory.SubFactory(OfficerFactory, agency=factory.SelfAttribute("..case.agency"))
    notice_number = factory.Sequence(lambda n: f"济任市监听〔2026〕{n + 1}号")
    notice_served_on = datetime.date(2026, 4, 10)
    scheduled_on = datetime.date(2026, 4, 24)
    place = "本局三楼听证室"


class LegalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalReview

    case = factory.SubFactory(CaseFactory)
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 4, 20, 9, 0, tzinfo=datetime.UTC))
    submitted_by = factory.SubFactory(OfficerFactory, agency=factory.SelfAttribute("..case.agency"))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    case = factory.SubFactory(CaseFactory)
    method = ServiceMethod.DIRECT
    served_on = datetime.date(2026, 5, 8)
    recipient = "王某"
    address = "山东省济宁市任城区某路1号"
    served_by = factory.SubFactory(OfficerFactory, agency=factory.SelfAttribute("..case.agency"))


class CoerciveMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoerciveMeasure

    case = factory.SubFactory(CaseFactory)
    kind = MeasureKind.SEIZURE
    number = factory.Sequence(lambda n: f"济任市监强〔2026〕{n + 1}号")
    decided_on = datetime.date(2026, 3, 10)
    ends_on = datetime.date(2026, 4, 9)
    approved_by = factory.SubFactory(OfficerFactory, agency=factory.SelfAttribute("..case.agency"))
    reason = "涉嫌经营超过保质期的食品，依据《中华人民共和国食品安全法》第一百一十条第（四）项予以扣押。"
    place = "当事人经营场所仓库"


class SeizedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeizedItem

    measure = factory.SubFactory(CoerciveMeasureFactory)
    name = "某品牌纯牛奶"
    specification = "250ml/盒"
    quantity = Decimal("120")
    unit = "盒"


def document_filed_case(world, **fields):
    """An ordinary case of `world`'s agency, filed and investigated, with one organisation party."""
    defaults = dict(
        agency=world.agency,
        registered_by=world.handler1,
        state=CaseState.INVESTIGATING,
        number="济任市监立〔2026〕1号",
        title="济宁某某食品有限公司涉嫌经营超过保质期食品案",
        power_item=world.power_item,
        filed_on=datetime.date(2026, 3, 2),
        violation_date=datetime.date(2026, 2, 20),
        facts="当事人于2026年2月20日在其经营场所销售超过保质期的纯牛奶120盒，货值金额2,400元。",
        evidence_summary="1. 现场检查笔录；2. 询问笔录；3. 进货单据；4. 现场照片。",
        discretion_standard=world.standard,
        proposed_penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        proposed_fine=Decimal("50000"),
        proposed_confiscation=Decimal("1234.56"),
    )
    defaults.update(fields)
    case = CaseFactory(**defaults)
    case.handlers.set([world.handler1, world.handler2])
    return case


def document_decided_case(world, **fields):
    """A filed case with a penalty decision (济任市监罚〔2026〕12号) for 50,000 yuan."""
    from cases.models import DecisionKind

    defaults = dict(
        state=CaseState.DECIDED,
        decision_kind=DecisionKind.PENALTY,
        decision_number="济任市监罚〔2026〕12号",
        decided_on=datetime.date(2026, 5, 6),
        decided_by=world.head,
        penalty_kinds=[PenaltyKind.FINE, PenaltyKind.CONFISCATE_GAINS],
        fine_amount=Decimal("50000"),
        confiscated_amount=Decimal("1234.56"),
    )
    defaults.update(fields)
    return document_filed_case(world, **defaults)


def assert_refused(excinfo, code, article):
    """A WorkflowError with this code whose message cites `article` (e.g. "《行政处罚法》第五十一条")."""
    error = excinfo.value
    assert error.rule_code == code, (error.rule_code, error.text)
    assert article in error.text, error.text
    assert article in error.article


# ------------------------------------------------- ordinary procedure through the workflow
# Helpers that drive a case through `cases.workflow` (not rows): a case in the state a test needs,
# reached the way an officer would reach it. Dates are in 2026, a year the calendar knows.


def org_party_fields(**kwargs):
    return {
        "kind": PartyKind.LEGAL_PERSON,
        "name": "济宁某某食品有限公司",
        "uscc": "91330100799655058B",
        "legal_representative": "王某",
        "address": "山东省济宁市任城区某路1号",
        **kwargs,
    }


def person_party_fields(**kwargs):
    return {"kind": PartyKind.NATURAL_PERSON, "name": "张三", "id_number": resident_id(), **kwargs}


def lead_via_workflow(world, *, parties=None, lead_received_on=datetime.date(2026, 3, 2), actor=None):
    from cases.workflow import register_lead

    return register_lead(
        agency=world.agency,
        actor=actor or world.handler1,
        source=Source.INSPECTION,
        title="涉嫌经营超过保质期的食品案",
        lead_received_on=lead_received_on,
        lead_summary="日常检查发现货架上有过期食品。",
        parties=[org_party_fields()] if parties is None else parties,
    )


def filed_via_workflow(world, *, filed_on=datetime.date(2026, 3, 5), violation_date=datetime.date(2026, 2, 20), **lead):
    from cases.workflow import approve_filing

    return approve_filing(
        lead_via_workflow(world, **lead),
        world.head,
        handlers=[world.handler1, world.handler2],
        power_item=world.power_item,
        violation_date=violation_date,
        filed_on=filed_on,
    )


def investigated_via_workflow(world, *, case=None, fine=Decimal("60000"), penalty_kinds=None, **kwargs):
    """under_review, proposing a fine (60,000 yuan by default: inside world.standard, and below the
    organisation hearing threshold of 100,000)."""
    from cases.workflow import complete_investigation

    case = case or filed_via_workflow(world)
    kwargs.setdefault("facts", "当事人经营超过保质期的食品，货值金额五千元。")
    kwargs.setdefault("evidence_summary", "现场检查笔录、询问笔录、进货票据。")
    kwargs.setdefault("discretion_standard", world.standard)
    return complete_investigation(
        case, world.handler1, penalty_kinds=penalty_kinds or [PenaltyKind.FINE], fine=fine, **kwargs
    )


def notified_via_workflow(world, *, served_on=datetime.date(2026, 4, 1), **kwargs):
    from cases.workflow import give_prior_notice

    case = investigated_via_workflow(world, **kwargs)
    give_prior_notice(case, world.handler1, served_on=served_on)
    return case
