"""A small enforcement world for the page tests: agencies in 济宁市 and 菏泽市, officers in every role.

Built from tests/factories.py; kept separate because only the page tests need this much at once.
"""

import datetime

from django.utils import timezone

from lawenforce.models import CertificateStatus, Sector
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementCategoryFactory,
    LawFactory,
    LegalProvisionFactory,
    OfficerFactory,
    PowerItemFactory,
    UserFactory,
)

# Personal data that must never reach a page (resident ID numbers; phones outside the officer's own page).
ID_NUMBER = "370811199001011236"
PHONE = "13805370001"


def days_from_today(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def build_world(regions):
    market = EnforcementCategoryFactory(code="page-test-market", name="市场监管执法")
    w = {"regions": regions, "category": market}
    w["rencheng_market"] = AgencyFactory(
        name="济宁市任城区市场监督管理局",
        region=regions["county"],
        legal_review_unit="法制审核科",
        complaint_phone="0537-12315",
        duties="负责本区市场综合监督管理。",
    )
    w["rencheng_ecology"] = AgencyFactory(
        name="济宁市生态环境局任城区分局", region=regions["county"], sector=Sector.ECOLOGY, complaint_phone="12369"
    )
    w["township_office"] = AgencyFactory(name="古槐街道综合行政执法办公室", region=regions["township"])
    w["yanzhou_market"] = AgencyFactory(name="济宁市兖州区市场监督管理局", region=regions["county2"])
    w["heze_market"] = AgencyFactory(name="菏泽市市场监督管理局", region=regions["other_city"])
    w["city_justice"] = AgencyFactory(name="济宁市司法局", region=regions["city"], sector=Sector.JUSTICE)
    w["county_justice"] = AgencyFactory(name="济宁市任城区司法局", region=regions["county"], sector=Sector.JUSTICE)

    agency = w["rencheng_market"]
    w["officer"] = OfficerFactory(
        agency=agency, name="张执法", id_number=ID_NUMBER, phone=PHONE, user=UserFactory(username="officer")
    )
    w["officer_cert"] = CertificateFactory(
        officer=w["officer"], number="37081100000001", valid_to=days_from_today(30), categories=[market]
    )
    w["head"] = OfficerFactory(agency=agency, name="李局长", is_agency_head=True, user=UserFactory(username="head"))
    CertificateFactory(officer=w["head"], number="37081100000002")
    w["reviewer"] = OfficerFactory(
        agency=agency, name="王审核", is_legal_reviewer=True, user=UserFactory(username="reviewer")
    )
    CertificateFactory(
        officer=w["reviewer"],
        number="37081100000003",
        valid_from=datetime.date(2019, 1, 1),
        valid_to=days_from_today(-10),
        status=CertificateStatus.VALID,  # past its end date: counts as expired before the nightly task runs
    )
    w["suspended"] = OfficerFactory(agency=agency, name="赵暂扣", user=None)
    CertificateFactory(officer=w["suspended"], number="37081100000004", status=CertificateStatus.SUSPENDED)
    w["eco_officer"] = OfficerFactory(agency=w["rencheng_ecology"], name="孙生态", user=UserFactory(username="eco"))
    CertificateFactory(officer=w["eco_officer"], number="37081100000005")
    w["yanzhou_officer"] = OfficerFactory(agency=w["yanzhou_market"], name="周兖州")
    w["stranger"] = OfficerFactory(agency=w["heze_market"], name="吴菏泽", user=UserFactory(username="stranger"))
    w["supervisor"] = OfficerFactory(
        agency=w["city_justice"], name="郑监督", is_supervisor=True, user=UserFactory(username="supervisor")
    )
    w["county_supervisor"] = OfficerFactory(
        agency=w["county_justice"], name="冯监督", is_supervisor=True, user=UserFactory(username="county_supervisor")
    )
    w["admin"] = UserFactory(username="admin", is_superuser=True, is_staff=True)
    w["nobody"] = UserFactory(username="nobody")

    law = LawFactory(name="中华人民共和国食品安全法")
    provision = LegalProvisionFactory(law=law, article=124, text="违反本法规定，有下列情形之一……")
    w["power_item"] = PowerItemFactory(
        code="SD-CF-0001",
        name="对生产经营超范围使用食品添加剂的食品的行政处罚",
        enforcement_category=market,
        agencies=[agency],
    )
    w["power_item"].provisions.set([provision])
    return w
