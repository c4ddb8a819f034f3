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
