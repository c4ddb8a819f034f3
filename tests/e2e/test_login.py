"""An officer signs in from a phone and lands on their own home page; a wrong password is refused."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(regions):
    return OfficerFactory(user=UserFactory(username="zhangsan"), agency__region=regions["county"])


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_officer_signs_in_on_a_phone(phone, officer):
    sign_in(phone, "zhangsan", PASSWORD)
    expect(phone).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(phone.locator("body")).to_contain_text(officer.agency.name)


def test_a_wrong_password_is_refused_in_chinese(page, officer):
    sign_in(page, "zhangsan", "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("alert")).to_contain_text("请输入一个正确的用户名和密码")
    expect(page.get_by_label("用户名")).to_have_value("zhangsan")  # what was typed is kept
