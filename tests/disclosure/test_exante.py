"""Ex-ante disclosure pages (事前公开): agencies, officers, power items, random inspections.

Public, no login, live core data, only public fields, only valid certificates, fixed query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure import inspections
from disclosure.demo.inspections import seed_inspection_items
from disclosure.models import InspectionMethod, RandomInspectionItem
from lawenforce.models import ActionCategory, AgencyKind, AgencyStatus, CertificateStatus, LegalProvision, Sector
from tests.cases.factories import resident_id
from tests.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementCategoryFactory,
    LawFactory,
    OfficerFactory,
    PowerItemFactory,
)

ID_NUMBER = resident_id("37081119850612123")
PHONE = "13905371234"

NAV_SCRIPT = '<script src="/static/js/nav.js" defer></script>'


@pytest.fixture
def world(regions):
    category = EnforcementCategoryFactory(code="market", name="市场监管")
    agency = AgencyFactory(
        name="济宁市任城区市场监督管理局",
        region=regions["county"],
        duties="负责任城区市场综合监督管理，统一登记市场主体。",
        address="济宁市任城区共青团路1号",
        complaint_phone="0537-12315",
    )
    entrusted = AgencyFactory(
        name="古槐街道综合执法办公室",
        region=regions["township"],
        kind=AgencyKind.ENTRUSTED,
        entrusting_agency=agency,
        sector=Sector.URBAN,
    )
    dissolved = AgencyFactory(name="已撤销的执法局", region=regions["county"], status=AgencyStatus.DISSOLVED)
    AgencyFactory(name="菏泽市市场监督管理局", region=regions["other_city"])  # so 菏泽市 is a region to choose
    officer = OfficerFactory(agency=agency, name="李明", id_number=ID_NUMBER, phone=PHONE)
    CertificateFactory(officer=officer, number="37081100000001", categories=[category])
    CertificateFactory(
        officer=officer,
        number="37081100000099",
        categories=[category],
        valid_from=datetime.date(2015, 1, 1),
        valid_to=datetime.date(2020, 1, 1),
    )
    expired = OfficerFactory(agency=agency, name="过期人员")
    CertificateFactory(
        officer=expired,
        number="37081100000002",
        valid_to=datetime.date(2021, 1, 1),
        valid_from=datetime.date(2016, 1, 1),
    )
    suspended = OfficerFactory(agency=agency, name="暂扣人员")
    CertificateFactory(officer=suspended, number="37081100000003", status=CertificateStatus.SUSPENDED)
    gone = OfficerFactory(agency=dissolved, name="撤销单位人员")
    CertificateFactory(officer=gone, number="37081100000004", categories=[category])
    law = LawFactory(name="中华人民共和国食品安全法")
    provision = LegalProvision.objects.create(
        law=law,
        article=110,
        paragraph=1,
        text="县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施……",
    )
    penalty_provision = LegalProvision.objects.create(
        law=law, article=124, paragraph=1, text="违反本法规定，有下列情形之一，尚不构成犯罪的，没收违法所得……"
    )
    inspection = PowerItemFactory(
        code="JC-SCJG-001",
        name="食品生产经营监督检查",
        action_category=ActionCategory.INSPECTION,
        enforcement_category=category,
        agencies=[agency],
    )
    inspection.provisions.add(provision)
    penalty = PowerItemFactory(
        code="CF-SCJG-124", name="对经营超过保质期食品的行政处罚", enforcement_category=category, agencies=[agency]
    )
    penalty.provisions.add(penalty_provision)
    retired = PowerItemFactory(
        code="CF-OLD-1", name="已取消的事项", active=False, enforcement_category=category, agencies=[agency]
    )
    return {
        "agency": agency,
        "entrusted": entrusted,
        "dissolved": dissolved,
        "officer": officer,
        "inspection": inspection,
        "penalty": penalty,
        "retired": retired,
        "category": category,
        "provision": provision,
    }


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    # Works without JavaScript: the only script is the site-wide nav.js, which merely scrolls the
    # phone navigation to the current section.
    assert "<script" not in html.replace(NAV_SCRIPT, "")
    return html


# --- Officers -------------------------------------------------------------------------------------


def test_officer_list_shows_nothing_personal(client, world):
    html = _html(client, reverse("exante:officers"))
    assert "李明" in html and "37081100000001" in html and "市场监管" in html
    assert ID_NUMBER not in html and ID_NUMBER[:6] + "1985" not in html
    assert PHONE not in html


def test_officer_list_lists_only_valid_certificates(client, world):
    html = _html(client, reverse("exante:officers"))
    assert "37081100000099" not in html  # the same officer's expired certificate
    assert "过期人员" not in html and "暂扣人员" not in html
    assert "撤销单位人员" not in html  # a dissolved agency's staff are not public


def test_a_citizen_checks_an_officer_by_certificate_number_or_name(client, world):
    html = _html(client, reverse("exante:officers") + "?q=37081100000001")
    assert "李明" in html
    html = _html(client, reverse("exante:officers") + "?q=李")
    assert "37081100000001" in html
    html = _html(client, reverse("exante:officers") + "?q=37081100000002")  # expired: not found
    assert "过期人员" not in html and "没有找到符合条件的持证执法人员" in html


def test_officer_filters_by_agency_and_region(client, world, regions):
    html = _html(client, reverse("exante:officers") + f"?agency={world['agency'].pk}")
    assert "李明" in html and world["agency"].name in html
    html = _html(client, reverse("exante:officers") + "?region=371700")
    assert "李明" not in html
    # A bad value is reported, not a server error.
    response = client.get(reverse("exante:officers") + "?region=999999&agency=abc")
    assert response.status_code == 200
    assert response.context["form"].errors


# --- Agencies -------------------------------------------------------------------------------------


def test_agency_detail_shows_legal_standing(client, world):
    html = _html(client, reverse("exante:agency", args=[world["agency"].pk]))
    for text in ("行政机关", "负责任城区市场综合监督管理", "济宁市任城区共青团路1号", "0537-12315", "JC-SCJG-001"):
        assert text in html
    assert "CF-OLD-1" not in html  # inactive power item
    assert world["entrusted"].name in html  # the organisation it entrusts
    assert reverse("exante:officers") + f"?agency={world['agency'].pk}" in html


def test_entrusted_organisation_names_its_entrusting_agency(client, world):
    html = _html(client, reverse("exante:agency", args=[world["entrusted"].pk]))
    assert "受委托组织" in html and world["agency"].name in html and "第二十条" in html


def test_inactive_agency_is_not_public(client, world):
    assert client.get(reverse("exante:agency", args=[world["dissolved"].pk])).status_code == 404
    assert world["dissolved"].name not in _html(client, reverse("exante:agencies"))


def test_agency_list_filters_by_kind_and_sector(client, world):
    html = _html(client, reverse("exante:agencies") + "?kind=entrusted")
    assert world["entrusted"].name in html and f">{world['agency'].name}</a>" not in html
    html = _html(client, reverse("exante:agencies") + "?sector=market")
    assert f">{world['agency'].name}</a>" in html and f">{world['entrusted'].name}</a>" not in html


# --- Power items ----------------------------------------------------------------------------------


def test_power_item_shows_article_text(client, world):
    html = _html(client, reverse("exante:power", args=["JC-SCJG-001"]))
    assert "《中华人民共和国食品安全法》第一百一十条第一款" in html
    assert world["provision"].text in html
    assert world["agency"].name in html


def test_power_item_is_live_not_a_copy(client, world):
    world["provision"].text = "修改后的条文。"
    world["provision"].save()
    assert "修改后的条文。" in _html(client, reverse("exante:power", args=["JC-SCJG-001"]))


def test_inactive_power_item_is_not_public(client, world):
    assert client.get(reverse("exante:power", args=["CF-OLD-1"])).status_code == 404
    assert "CF-OLD-1" not in _html(client, reverse("exante:powers"))


def test_power_list_filters(client, world):
    html = _html(client, reverse("exante:powers") + "?category=inspection")
    assert "JC-SCJG-001" in html and "CF-SCJG-124" not in html
    html = _html(client, reverse("exante:powers") + "?q=保质期")
    assert "CF-SCJG-124" in html and "JC-SCJG-001" not in html
    html = _html(client, reverse("exante:powers") + "?region=371700")
    assert "CF-SCJG-124" not in html


# --- Random inspections ----------------------------------------------------------------------------


def _inspection_item(world, **kwargs):
    item = RandomInspectionItem.objects.create(
        name=kwargs.pop("name", "食品生产经营者监督检查"),
        subjects="辖区内食品生产经营者",
        method=InspectionMethod.ON_SITE,
        ratio=Decimal("5"),
        frequency="每年不少于一次",
        **kwargs,
    )
    item.power_items.set([world["inspection"]])
    item.agencies.set([world["agency"]])
    return item


def test_inspection_list_shows_basis_agency_subjects_method_ratio(client, world):
    _inspection_item(world)
    _inspection_item(world, name="已停止的抽查", active=False)
    html = _html(client, reverse("exante:inspections"))
    for text in (
        "食品生产经营者监督检查",
        "辖区内食品生产经营者",
        "现场检查",
        "5%",
        "每年不少于一次",
        world["provision"].text,
    ):
        assert text in html
    assert world["agency"].name in html
    assert "已停止的抽查" not in html


def test_inspection_rules(world):
    agencies = inspections.with_held_ids([world["agency"]])
    inspections.check_item([world["inspection"]], agencies)  # fine
    with pytest.raises(ValidationError) as excinfo:
        inspections.check_item([world["penalty"]], agencies)
    assert "行政检查" in str(excinfo.value.message_dict["power_items"]) and "国发〔2019〕5号" in str(excinfo.value)
    other = inspections.with_held_ids([AgencyFactory(name="不持有该事项的局")])
    with pytest.raises(ValidationError) as excinfo:
        inspections.check_item([world["inspection"]], other)
    assert "不持有该事项的局" in excinfo.value.message_dict["agencies"][0]
    with pytest.raises(ValidationError) as excinfo:
        inspections.check_item([world["inspection"]], agencies, writable_agency_ids=set())
    assert "权限范围" in excinfo.value.message_dict["agencies"][0]


def test_admin_form_refuses_an_agency_without_the_power_item(world, rf):
    from django.contrib.auth import get_user_model

    from disclosure.admin import RandomInspectionItemForm

    request = rf.get("/")
    request.user = get_user_model().objects.create_superuser("root", "r@example.com", "x")
    stranger = AgencyFactory(name="外区市场监督管理局")
    data = {
        "name": "抽查",
        "power_items": [world["inspection"].pk],
        "agencies": [stranger.pk],
        "subjects": "对象",
        "method": InspectionMethod.ON_SITE,
        "ratio": "5",
        "frequency": "每年一次",
        "active": "on",
    }
    form = RandomInspectionItemForm(data, request=request)
    assert not form.is_valid()
    assert "外区市场监督管理局" in form.errors["agencies"][0]
    data["agencies"] = [world["agency"].pk]
    assert RandomInspectionItemForm(data, request=request).is_valid()


def test_demo_inspection_items_are_idempotent(world):
    assert seed_inspection_items() == (2, 0)  # the two market items; the ecology item's power is not loaded
    assert seed_inspection_items() == (0, 2)
    assert RandomInspectionItem.objects.count() == 2


# --- Query counts do not grow with the page --------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(world, n):
    for i in range(n):
        agency = AgencyFactory(region=world["agency"].region)
        officer = OfficerFactory(agency=agency)
        CertificateFactory(officer=officer, categories=[world["category"]])
        item = PowerItemFactory(enforcement_category=world["category"], agencies=[agency, world["agency"]])
        item.provisions.add(world["provision"])
        ins = _inspection_item(world, name=f"抽查{i}")
        ins.agencies.add(agency)


@pytest.mark.parametrize("name", ["exante:agencies", "exante:officers", "exante:powers", "exante:inspections"])
def test_list_query_count_does_not_grow_with_page_size(client, world, name):
    _grow(world, 2)
    small = _queries(client, reverse(name))
    _grow(world, 8)
    assert _queries(client, reverse(name)) == small


def test_detail_query_counts_do_not_grow(client, world):
    agency_url = reverse("exante:agency", args=[world["agency"].pk])
    power_url = reverse("exante:power", args=["JC-SCJG-001"])
    before = (_queries(client, agency_url), _queries(client, power_url))
    for _ in range(5):
        world["inspection"].agencies.add(AgencyFactory(region=world["agency"].region))
        PowerItemFactory(enforcement_category=world["category"], agencies=[world["agency"]])
    assert (_queries(client, agency_url), _queries(client, power_url)) == before


def test_public_navigation_on_every_public_page(client, world):
    for url in (reverse("public-home"), reverse("exante:agencies"), reverse("exante:procedures")):
        html = _html(client, url)
        for link in (
            "/public/agencies/",
            "/public/officers/",
            "/public/powers/",
            "/public/procedures/",
            "/public/inspections/",
            "/public/penalties/",
            "/public/complaints/",
            "/public/annual/",
            "/transparency/",
        ):
            assert f'href="{link}"' in html, (url, link)


# --- Agency-side maintenance of the inspection list ------------------------------------------------


def _user(officer):
    from tests.factories import UserFactory

    if officer.user is None:
        officer.user = UserFactory()
        officer.save()
    return officer.user


def test_the_head_adds_an_inspection_item_and_the_public_sees_it(client, world):
    head = OfficerFactory(agency=world["agency"], is_agency_head=True, name="王局长")
    client.force_login(_user(head))
    data = {
        "name": "食品经营者随机抽查",
        "power_items": [world["inspection"].pk],
        "agencies": [world["agency"].pk],
        "subjects": "辖区内食品经营者",
        "method": InspectionMethod.ON_SITE,
        "ratio": "150",
        "frequency": "每年一次",
        "active": "on",
    }
    response = client.post(reverse("disclosure-inspections:new"), data)
    assert response.status_code == 200  # 150% is refused, and what was typed is kept
    html = response.content.decode()
    assert "食品经营者随机抽查" in html and "辖区内食品经营者" in html
    assert response.context["form"].errors["ratio"]
    data["ratio"] = "5"
    response = client.post(reverse("disclosure-inspections:new"), data)
    assert response.status_code == 302
    item = RandomInspectionItem.objects.get(name="食品经营者随机抽查")
    assert "食品经营者随机抽查" in _html(client, reverse("exante:inspections"))
    assert client.get(reverse("disclosure-inspections:edit", args=[item.pk])).status_code == 200


def test_the_head_cannot_choose_another_agency_or_a_penalty_item(client, world):
    head = OfficerFactory(agency=world["agency"], is_agency_head=True)
    client.force_login(_user(head))
    other = AgencyFactory(name="外区市场监督管理局")
    response = client.post(
        reverse("disclosure-inspections:new"),
        {
            "name": "越权抽查",
            "power_items": [world["penalty"].pk],
            "agencies": [other.pk],
            "subjects": "对象",
            "method": InspectionMethod.ON_SITE,
            "ratio": "5",
            "frequency": "每年一次",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "power_items" in errors and "agencies" in errors  # not among the choices
    assert not RandomInspectionItem.objects.filter(name="越权抽查").exists()


def test_inspection_pages_scope(client, world):
    item = _inspection_item(world)
    stranger_agency = AgencyFactory(name="外区市场监督管理局")
    stranger_head = OfficerFactory(agency=stranger_agency, is_agency_head=True)
    client.force_login(_user(stranger_head))
    assert item not in client.get(reverse("disclosure-inspections:list")).context["items"]
    assert client.get(reverse("disclosure-inspections:edit", args=[item.pk])).status_code == 404
    # An officer who is not the head sees the list, cannot edit.
    client.force_login(_user(world["officer"]))
    assert item in client.get(reverse("disclosure-inspections:list")).context["items"]
    assert client.get(reverse("disclosure-inspections:edit", args=[item.pk])).status_code == 404
    assert client.get(reverse("disclosure-inspections:new")).status_code == 404
    client.logout()
    assert client.get(reverse("disclosure-inspections:list")).status_code == 302


def test_admin_pages_of_the_new_tables(client, world):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root2", "r2@example.com", "x"))
    item = _inspection_item(world)
    for url in (
        "/admin/disclosure/randominspectionitem/",
        "/admin/disclosure/randominspectionitem/add/",
        f"/admin/disclosure/randominspectionitem/{item.pk}/change/",
        "/admin/disclosure/annualreport/",
    ):
        assert client.get(url).status_code == 200, url
