"""A citizen on a phone uses the public portal: no login, every section reachable, nothing wider
than the screen, and an officer met in the field checked by certificate number."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AgencyFactory, CertificateFactory, EnforcementCategoryFactory, OfficerFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = ["执法主体", "执法人员", "权责清单", "执法流程", "随机抽查", "处罚信息", "投诉举报", "年度报告", "存证日志"]
FITS_THE_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def officer(regions):
    agency = AgencyFactory(name="济宁市任城区市场监督管理局", region=regions["county"])
    officer = OfficerFactory(agency=agency, name="李明", phone="13905371234")
    CertificateFactory(officer=officer, number="37081100000001", categories=[EnforcementCategoryFactory()])
    return officer


def test_every_public_section_opens_on_a_phone(phone, officer):
    phone.goto("/")
    nav = phone.get_by_role("navigation").filter(has_text="执法主体").first
    for label in SECTIONS:
        nav.get_by_role("link", name=label, exact=True).click()
        expect(phone.locator("h1").first).to_be_visible()
        assert phone.evaluate(FITS_THE_SCREEN), f"{label} is wider than a phone screen"
        assert "/accounts/login/" not in phone.url
        phone.goto("/")


def test_a_citizen_checks_an_officer_by_certificate_number(phone, officer):
    phone.goto("/public/officers/")
    phone.get_by_label("姓名或执法证号").fill("37081100000001")
    phone.get_by_label("姓名或执法证号").press("Enter")
    expect(phone).to_have_url(re.compile(r"q=37081100000001"))
    expect(phone.locator("main")).to_contain_text("李明")
    expect(phone.locator("main")).not_to_contain_text("13905371234")  # nothing personal beyond the name


def test_the_flowcharts_are_drawn_and_described(page, officer):
    page.goto("/public/procedures/")
    charts = page.locator("svg[role='img']")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    for i in range(charts.count()):
        chart = charts.nth(i)
        title = chart.get_attribute("aria-labelledby").split()[0]
        assert chart.locator(f"#{title}").text_content().strip()
